#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A token, password or key kept alone in a file readable only by its user: the contents
 * without the surrounding blanks and newline an administrator's editor leaves. */
char *pd_secret_file_read (const char  *path,
                           GError     **error);

/* Overwrites and frees a secret read with it (NULL is fine). */
void  pd_secret_free      (char        *secret);

G_END_DECLS
