#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

void  pd_json_add_string        (JsonBuilder *builder,
                                 const char  *name,
                                 const char  *value);
char *pd_json_builder_to_string (JsonBuilder *builder);
char *pd_json_node_to_string    (JsonNode    *node,
                                 gboolean     pretty);

G_END_DECLS
