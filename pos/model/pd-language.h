#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  const char *code;
  const char *native_name;
  gboolean right_to_left;
} PdLanguage;

const PdLanguage *pd_language_lookup (const char *code);
const PdLanguage *pd_language_all    (guint      *n_languages);

G_END_DECLS
