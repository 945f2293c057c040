#include <string.h>

#include "pd-secret-file.h"

char *
pd_secret_file_read (const char  *path,
                     GError     **error)
{
  char *contents = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &contents, NULL, error))
    return NULL;

  return g_strstrip (contents);
}

void
pd_secret_free (char *secret)
{
  if (secret == NULL)
    return;

  /* Not left behind in freed memory for a later allocation to show. */
  memset (secret, 0, strlen (secret));
  g_free (secret);
}
