#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "pd-escpos-reader.h"
#include "pd-escpos-render.h"
#include "pd-training-printer.h"

struct _PdTrainingPrinter {
  GObject parent_instance;

  char *output_directory;
  PdPrinterProfile *profile;

  /* Jobs may come from several workers: one at a time, as on a real printer. */
  GMutex lock;
  gsize bytes_accepted;
  char *last_receipt;
};

static void pd_training_printer_printer_init (PdPrinterInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PdTrainingPrinter, pd_training_printer, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (PD_TYPE_PRINTER,
                                                      pd_training_printer_printer_init))

static gboolean
has_flag_file (PdTrainingPrinter *self,
               const char        *name)
{
  g_autofree char *path = g_build_filename (self->output_directory, name, NULL);

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static PdDeviceHealth
pd_training_printer_query_status (PdPrinter     *printer,
                                  char         **detail,
                                  GCancellable  *cancellable,
                                  GError       **error)
{
  PdTrainingPrinter *self = PD_TRAINING_PRINTER (printer);
  PdDeviceHealth health = PD_DEVICE_HEALTH_PRESENT;

  if (has_flag_file (self, "cover-open"))
    health |= PD_DEVICE_HEALTH_COVER_OPEN;
  if (has_flag_file (self, "paper-out"))
    health |= PD_DEVICE_HEALTH_PAPER_OUT;
  else if (has_flag_file (self, "paper-low"))
    health |= PD_DEVICE_HEALTH_PAPER_LOW;
  if (!(health & (PD_DEVICE_HEALTH_COVER_OPEN | PD_DEVICE_HEALTH_PAPER_OUT)))
    health |= PD_DEVICE_HEALTH_READY;

  if (health & PD_DEVICE_HEALTH_COVER_OPEN)
    *detail = g_strdup (_("The training printer's cover is open (remove the file cover-open "
                          "from its folder to close it)."));
  else if (health & PD_DEVICE_HEALTH_PAPER_OUT)
    *detail = g_strdup (_("The training printer is out of paper (remove the file paper-out "
                          "from its folder to load paper)."));
  else
    *detail = g_strdup_printf (_("Training printer: receipts are saved in %s."),
                               self->output_directory);
  return health;
}

static gboolean
write_private_file (const char  *path,
                    GBytes      *contents,
                    GError     **error)
{
  gsize length = 0;
  const char *data = g_bytes_get_data (contents, &length);

  return g_file_set_contents_full (path, data, (gssize) length,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

/* receipt-DATE-TIME-N.escpos, N the first number no file has yet: several programs (the
 * kiosk, paydesk-ctl) may print into the same folder within one second. The name is taken
 * by creating the file. */
static char *
claim_receipt_name (const char  *directory,
                    const char  *stamp,
                    GError     **error)
{
  for (guint n = 1; n < 10000; n++)
    {
      g_autofree char *path = g_strdup_printf ("%s/receipt-%s-%03u.escpos", directory, stamp, n);
      int fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL, 0600);

      if (fd >= 0)
        {
          close (fd);
          return g_steal_pointer (&path);
        }
      if (errno != EEXIST)
        {
          int saved_errno = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("The training printer cannot write %s: %s"), path,
                       g_strerror (saved_errno));
          return NULL;
        }
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
               _("The training printer's folder %s is full of receipts from this second."),
               directory);
  return NULL;
}

static gboolean
print_locked (PdTrainingPrinter  *self,
              GBytes             *job,
              GCancellable       *cancellable,
              GError            **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *escpos_path = NULL;
  g_autofree char *png_path = NULL;
  g_autofree char *detail = NULL;
  g_autoptr(PdEscposDocument) document = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GError) local_error = NULL;
  PdDeviceHealth health;

  health = pd_training_printer_query_status (PD_PRINTER (self), &detail, cancellable, NULL);
  if (health & (PD_DEVICE_HEALTH_COVER_OPEN | PD_DEVICE_HEALTH_PAPER_OUT))
    {
      g_set_error (error, PD_PRINTER_ERROR,
                   health & PD_DEVICE_HEALTH_COVER_OPEN ? PD_PRINTER_ERROR_COVER_OPEN
                                                        : PD_PRINTER_ERROR_PAPER_OUT,
                   /* TRANSLATORS: %s says what is wrong with the printer. */
                   _("%s It took none of the receipt; print it again from the start."),
                   detail);
      return FALSE;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  if (g_mkdir_with_parents (self->output_directory, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("The training printer cannot use its folder %s: %s"),
                   self->output_directory, g_strerror (saved_errno));
      return FALSE;
    }

  escpos_path = claim_receipt_name (self->output_directory, stamp, error);
  if (escpos_path == NULL)
    return FALSE;
  png_path = g_strdup_printf ("%.*s.png", (int) (strlen (escpos_path) - strlen (".escpos")),
                              escpos_path);

  if (!write_private_file (escpos_path, job, error))
    return FALSE;
  self->bytes_accepted = g_bytes_get_size (job);

  document = pd_escpos_document_read_bytes (job, self->profile, &local_error);
  if (document == NULL)
    {
      g_set_error (error, PD_PRINTER_ERROR, PD_PRINTER_ERROR_FAILED,
                   _("The training printer could not read the receipt it was sent (%s); "
                     "the bytes are in %s."), local_error->message, escpos_path);
      return FALSE;
    }

  png = pd_escpos_render_png (document, pd_printer_profile_get_paper_width (self->profile),
                              error);
  if (png == NULL || !write_private_file (png_path, png, error))
    return FALSE;

  g_free (self->last_receipt);
  self->last_receipt = g_steal_pointer (&png_path);
  return TRUE;
}

static gboolean
pd_training_printer_print (PdPrinter     *printer,
                           GBytes        *job,
                           GCancellable  *cancellable,
                           GError       **error)
{
  PdTrainingPrinter *self = PD_TRAINING_PRINTER (printer);
  gboolean printed;

  g_mutex_lock (&self->lock);
  self->bytes_accepted = 0;
  printed = print_locked (self, job, cancellable, error);
  g_mutex_unlock (&self->lock);
  return printed;
}

static PdPrinterProfile *
pd_training_printer_dup_profile (PdPrinter *printer)
{
  return g_object_ref (PD_TRAINING_PRINTER (printer)->profile);
}

static gsize
pd_training_printer_get_bytes_accepted (PdPrinter *printer)
{
  PdTrainingPrinter *self = PD_TRAINING_PRINTER (printer);
  gsize accepted;

  g_mutex_lock (&self->lock);
  accepted = self->bytes_accepted;
  g_mutex_unlock (&self->lock);
  return accepted;
}

static void
pd_training_printer_printer_init (PdPrinterInterface *iface)
{
  iface->dup_profile = pd_training_printer_dup_profile;
  iface->print = pd_training_printer_print;
  iface->get_bytes_accepted = pd_training_printer_get_bytes_accepted;
  iface->query_status = pd_training_printer_query_status;
}

static void
pd_training_printer_finalize (GObject *object)
{
  PdTrainingPrinter *self = PD_TRAINING_PRINTER (object);

  g_free (self->output_directory);
  g_clear_object (&self->profile);
  g_free (self->last_receipt);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (pd_training_printer_parent_class)->finalize (object);
}

static void
pd_training_printer_class_init (PdTrainingPrinterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pd_training_printer_finalize;
}

static void
pd_training_printer_init (PdTrainingPrinter *self)
{
  g_mutex_init (&self->lock);
}

PdTrainingPrinter *
pd_training_printer_new (const char        *output_directory,
                         PdPrinterProfile  *profile,
                         GError           **error)
{
  g_autoptr(PdTrainingPrinter) self = NULL;

  g_return_val_if_fail (output_directory != NULL, NULL);
  g_return_val_if_fail (profile == NULL || PD_IS_PRINTER_PROFILE (profile), NULL);

  self = g_object_new (PD_TYPE_TRAINING_PRINTER, NULL);
  self->output_directory = g_strdup (output_directory);
  if (profile != NULL)
    self->profile = g_object_ref (profile);
  else
    {
      g_autofree char *path = g_build_filename (pd_printer_profile_get_directory (),
                                                PD_TRAINING_PRINTER_MODEL ".conf", NULL);

      self->profile = pd_printer_profile_load (path, error);
      if (self->profile == NULL)
        return NULL;
    }
  return g_steal_pointer (&self);
}

const char *
pd_training_printer_get_output_directory (PdTrainingPrinter *self)
{
  g_return_val_if_fail (PD_IS_TRAINING_PRINTER (self), NULL);
  return self->output_directory;
}

char *
pd_training_printer_dup_last_receipt (PdTrainingPrinter *self)
{
  char *path;

  g_return_val_if_fail (PD_IS_TRAINING_PRINTER (self), NULL);

  g_mutex_lock (&self->lock);
  path = g_strdup (self->last_receipt);
  g_mutex_unlock (&self->lock);
  return path;
}
