/* renameat2 */
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>

#include "pd-mail-sim-maildir.h"

/* Two servers sharing a folder would both have to pick the same microsecond to meet; a few
 * more tries cover that. */
#define MAX_NAME_ATTEMPTS 8

struct _PdMailSimMaildir {
  GObject parent_instance;

  char *path;
  char *tmp_dir;
  char *new_dir;

  /* Names are the arrival time in microseconds, made unique within this process by never
   * handing out the same one twice, even when the clock steps back. */
  GMutex lock;
  gint64 last_stamp;
};

G_DEFINE_FINAL_TYPE (PdMailSimMaildir, pd_mail_sim_maildir, G_TYPE_OBJECT)

static void
pd_mail_sim_maildir_finalize (GObject *object)
{
  PdMailSimMaildir *self = PD_MAIL_SIM_MAILDIR (object);

  g_free (self->path);
  g_free (self->tmp_dir);
  g_free (self->new_dir);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (pd_mail_sim_maildir_parent_class)->finalize (object);
}

static void
pd_mail_sim_maildir_class_init (PdMailSimMaildirClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pd_mail_sim_maildir_finalize;
}

static void
pd_mail_sim_maildir_init (PdMailSimMaildir *self)
{
  g_mutex_init (&self->lock);
}

static gboolean
make_dir (const char  *path,
          GError     **error)
{
  int saved_errno;

  if (g_mkdir_with_parents (path, 0700) == 0)
    return TRUE;

  saved_errno = errno;
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               "cannot make the mail folder %s: %s", path, g_strerror (saved_errno));
  return FALSE;
}

PdMailSimMaildir *
pd_mail_sim_maildir_new (const char  *path,
                         GError     **error)
{
  g_autoptr(PdMailSimMaildir) self = NULL;
  g_autofree char *cur_dir = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (PD_TYPE_MAIL_SIM_MAILDIR, NULL);
  self->path = g_strdup (path);
  self->tmp_dir = g_build_filename (path, "tmp", NULL);
  self->new_dir = g_build_filename (path, "new", NULL);
  /* Nothing here reads cur/, but mail readers (mutt -f DIR) only open a Maildir with it. */
  cur_dir = g_build_filename (path, "cur", NULL);

  if (!make_dir (self->tmp_dir, error) || !make_dir (self->new_dir, error) ||
      !make_dir (cur_dir, error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
pd_mail_sim_maildir_get_path (PdMailSimMaildir *self)
{
  g_return_val_if_fail (PD_IS_MAIL_SIM_MAILDIR (self), NULL);

  return self->path;
}

static char *
next_name (PdMailSimMaildir *self)
{
  gint64 stamp = g_get_real_time ();

  g_mutex_lock (&self->lock);
  if (stamp <= self->last_stamp)
    stamp = self->last_stamp + 1;
  self->last_stamp = stamp;
  g_mutex_unlock (&self->lock);

  /* Fixed widths, so that names sort as their times do. */
  return g_strdup_printf ("%010" G_GINT64_FORMAT "-%06u", stamp / G_USEC_PER_SEC,
                          (guint) (stamp % G_USEC_PER_SEC));
}

static gboolean
write_file (const char    *path,
            const char    *header,
            const guint8  *message,
            gsize          length,
            GError       **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileOutputStream) stream = NULL;

  stream = g_file_create (file, G_FILE_CREATE_PRIVATE, NULL, error);
  if (stream == NULL)
    return FALSE;

  if (!g_output_stream_write_all (G_OUTPUT_STREAM (stream), header, strlen (header), NULL,
                                  NULL, error) ||
      !g_output_stream_write_all (G_OUTPUT_STREAM (stream), message, length, NULL, NULL,
                                  error) ||
      !g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, error))
    {
      g_unlink (path);
      return FALSE;
    }

  return TRUE;
}

/* Like rename(), but never over a message already there: that one came first. */
static gboolean
move_into_new (const char  *from,
               const char  *to,
               gboolean    *exists,
               GError     **error)
{
  int result = renameat2 (AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE);
  int saved_errno = errno;

  /* Some file systems cannot promise that; there a plain rename has to do. */
  if (result != 0 && (saved_errno == EINVAL || saved_errno == ENOSYS))
    {
      result = g_rename (from, to);
      saved_errno = errno;
    }

  *exists = result != 0 && saved_errno == EEXIST;
  if (result == 0 || *exists)
    return result == 0;

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               "cannot move %s to %s: %s", from, to, g_strerror (saved_errno));
  return FALSE;
}

gboolean
pd_mail_sim_maildir_deliver (PdMailSimMaildir    *self,
                             const char          *from,
                             const char * const  *recipients,
                             const guint8        *message,
                             gsize                length,
                             char               **unique,
                             GError             **error)
{
  g_autoptr(GString) header = g_string_new (NULL);
  g_autofree char *to = NULL;

  g_return_val_if_fail (PD_IS_MAIL_SIM_MAILDIR (self), FALSE);
  g_return_val_if_fail (from != NULL && recipients != NULL, FALSE);
  g_return_val_if_fail (message != NULL || length == 0, FALSE);

  to = g_strjoinv (", ", (char **) recipients);
  g_string_append_printf (header, "X-Paydesk-Envelope-From: %s\r\n", from);
  g_string_append_printf (header, "X-Paydesk-Envelope-To: %s\r\n", to);

  for (int attempt = 0; attempt < MAX_NAME_ATTEMPTS; attempt++)
    {
      g_autofree char *name = next_name (self);
      g_autofree char *file_name = g_strconcat (name, ".eml", NULL);
      g_autofree char *tmp_path = g_build_filename (self->tmp_dir, file_name, NULL);
      g_autofree char *new_path = g_build_filename (self->new_dir, file_name, NULL);
      g_autoptr(GError) local_error = NULL;
      gboolean exists = FALSE;

      /* The whole message goes to tmp/ first: a reader of new/ never sees half of one. */
      if (!write_file (tmp_path, header->str, message, length, &local_error))
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
            continue;
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }

      if (move_into_new (tmp_path, new_path, &exists, error))
        {
          if (unique != NULL)
            *unique = g_steal_pointer (&name);
          return TRUE;
        }

      g_unlink (tmp_path);
      if (!exists)
        return FALSE;
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
               "no free message name in %s after %d tries", self->new_dir, MAX_NAME_ATTEMPTS);
  return FALSE;
}
