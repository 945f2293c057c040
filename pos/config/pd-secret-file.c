/* O_CLOEXEC, explicit_bzero */
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "pd-secret-file.h"

/* A token or password is a line; a key a few of them. */
#define MAX_SECRET_BYTES (64 * 1024)

/* Refused unless its owner alone may read it: anyone else who can read it holds the
 * terminal's credentials. */
static gboolean
check_private (const char   *path,
               struct stat  *st,
               GError      **error)
{
  if ((st->st_mode & (S_IRWXG | S_IRWXO)) == 0)
    return TRUE;

  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_PERM,
               _("%s can be read by other users (mode %04o), and it holds a secret: make it "
                 "readable by its owner only (chmod 600 %s)."),
               path, (unsigned) (st->st_mode & 07777), path);
  return FALSE;
}

gboolean
pd_secret_file_check (const char  *path,
                      GError     **error)
{
  struct stat st;

  g_return_val_if_fail (path != NULL, FALSE);

  if (g_stat (path, &st) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Cannot read %s: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }
  return check_private (path, &st, error);
}

char *
pd_secret_file_read (const char  *path,
                     GError     **error)
{
  struct stat st;
  char *buffer;
  char *secret;
  gssize got;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0 || fstat (fd, &st) != 0)
    {
      int saved_errno = errno;

      if (fd >= 0)
        close (fd);
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Cannot read %s: %s"), path, g_strerror (saved_errno));
      return NULL;
    }

  if (!check_private (path, &st, error))
    {
      close (fd);
      return NULL;
    }
  if (!S_ISREG (st.st_mode) || st.st_size > MAX_SECRET_BYTES)
    {
      close (fd);
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   _("%s is not a file holding a secret."), path);
      return NULL;
    }

  /* One buffer of the file's size, read whole, wiped whole: no copy of the secret is left
   * in memory that nobody wipes. */
  buffer = g_malloc0 ((gsize) st.st_size + 1);
  got = read (fd, buffer, (size_t) st.st_size);
  close (fd);
  if (got != (gssize) st.st_size)
    {
      explicit_bzero (buffer, (size_t) st.st_size + 1);
      g_free (buffer);
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_IO, _("Cannot read %s."), path);
      return NULL;
    }

  secret = g_strdup (g_strstrip (buffer));
  explicit_bzero (buffer, (size_t) st.st_size + 1);
  g_free (buffer);
  return secret;
}

void
pd_secret_free (char *secret)
{
  if (secret == NULL)
    return;

  /* Not left behind in freed memory for a later allocation to show. The secret fills its
   * buffer exactly (pd_secret_file_read copies it out of the file's). */
  explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

void
pd_secret_string_free (PdSecretString *buffer)
{
  if (buffer == NULL)
    return;

  /* The whole allocation: text once longer than today's may still sit past its end. */
  explicit_bzero (buffer->str, buffer->allocated_len);
  g_string_free (buffer, TRUE);
}
