#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Replaces an owned string with a copy of value (which may be NULL or the same string). */
static inline void
pd_replace_string (char       **field,
                   const char  *value)
{
  char *copy = g_strdup (value);

  g_free (*field);
  *field = copy;
}

G_END_DECLS
