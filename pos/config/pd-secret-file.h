#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A token, password or key kept alone in a file readable only by its owner: the contents
 * without the surrounding blanks and newline an administrator's editor leaves. A file that
 * others may read is refused (G_FILE_ERROR_PERM), with the mode it should have. */
char *pd_secret_file_read (const char  *path,
                           GError     **error);
/* The same refusal for a secret another library reads (the TLS client key). */
gboolean pd_secret_file_check (const char  *path,
                               GError     **error);

/* Overwrites and frees a secret read with it, or any text that held personal or bank data
 * (NULL is fine). */
void  pd_secret_free      (char        *secret);

/* Text wiped when it goes out of scope: g_autoptr(PdSecretText). */
typedef char PdSecretText;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdSecretText, pd_secret_free)

/* A growing buffer of such text (an answer read from the network), wiped to its whole
 * allocation when freed: g_autoptr(PdSecretString). */
typedef GString PdSecretString;
void  pd_secret_string_free (PdSecretString *buffer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdSecretString, pd_secret_string_free)

G_END_DECLS
