#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

void  pd_json_add_string        (JsonBuilder *builder,
                                 const char  *name,
                                 const char  *value);
char *pd_json_builder_to_string (JsonBuilder *builder);
char *pd_json_node_to_string    (JsonNode    *node,
                                 gboolean     pretty);

/* Members read as NULL (or default_value) when missing or of another type. */
JsonObject *pd_json_get_object       (JsonObject  *object,
                                      const char  *name);
JsonArray  *pd_json_get_array        (JsonObject  *object,
                                      const char  *name);
const char *pd_json_get_string       (JsonObject  *object,
                                      const char  *name);
gint64      pd_json_get_int          (JsonObject  *object,
                                      const char  *name,
                                      gint64       default_value);
JsonObject *pd_json_array_get_object (JsonArray   *array,
                                      guint        index);
JsonObject *pd_json_node_get_object  (JsonNode    *node);

G_END_DECLS
