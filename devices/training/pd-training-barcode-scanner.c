#include <glib/gstdio.h>

#include "pd-training-barcode-scanner.h"

struct _PdTrainingBarcodeScanner {
  GObject parent_instance;

  char *slot;
  GFileMonitor *monitor;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (PdTrainingBarcodeScanner, pd_training_barcode_scanner, G_TYPE_OBJECT)

enum {
  SIGNAL_SCANNED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

const char *
pd_training_barcode_get_default_slot (void)
{
  static char *slot;

  if (g_once_init_enter (&slot))
    {
      char *path = g_build_filename (g_get_user_runtime_dir (), "paydesk",
                                     "training-barcode-slot", NULL);

      g_once_init_leave (&slot, path);
    }
  return slot;
}

gboolean
pd_training_barcode_scan (const char  *slot_directory,
                          const char  *text,
                          GError     **error)
{
  const char *slot = slot_directory != NULL ? slot_directory
                                            : pd_training_barcode_get_default_slot ();
  g_autofree char *path = g_build_filename (slot, PD_TRAINING_BARCODE_FILE, NULL);
  g_autofree char *line = g_strdup_printf ("%s\n", text);

  g_return_val_if_fail (text != NULL, FALSE);

  if (g_mkdir_with_parents (slot, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "%s: %s", slot,
                   g_strerror (saved_errno));
      return FALSE;
    }
  /* Whole or not at all: the scanner never reads half a barcode. */
  return g_file_set_contents_full (path, line, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

static void
scan_deleted (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_file_delete_finish (G_FILE (source), result, NULL);
}

static void
scan_loaded (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(PdTrainingBarcodeScanner) self = user_data;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_file_load_contents_finish (G_FILE (source), result, &contents, NULL, NULL, &error))
    return;
  /* Read once: the barcode leaves the window. */
  g_file_delete_async (G_FILE (source), G_PRIORITY_DEFAULT, self->cancellable, scan_deleted,
                       NULL);
  g_strstrip (contents);
  if (*contents != '\0')
    g_signal_emit (self, signals[SIGNAL_SCANNED], 0, contents);
}

static void
on_slot_changed (GFileMonitor      *monitor,
                 GFile             *file,
                 GFile             *other,
                 GFileMonitorEvent  event,
                 PdTrainingBarcodeScanner *self)
{
  g_autofree char *name = NULL;
  GFile *arrived = event == G_FILE_MONITOR_EVENT_MOVED_IN ||
                   event == G_FILE_MONITOR_EVENT_RENAMED ? other : file;

  if (event != G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT &&
      event != G_FILE_MONITOR_EVENT_MOVED_IN && event != G_FILE_MONITOR_EVENT_RENAMED &&
      event != G_FILE_MONITOR_EVENT_CREATED)
    return;
  if (arrived == NULL)
    return;
  name = g_file_get_basename (arrived);
  if (g_strcmp0 (name, PD_TRAINING_BARCODE_FILE) != 0)
    return;
  g_file_load_contents_async (arrived, self->cancellable, scan_loaded, g_object_ref (self));
}

gboolean
pd_training_barcode_scanner_start (PdTrainingBarcodeScanner  *self,
                                   GError                   **error)
{
  g_autoptr(GFile) slot = NULL;

  g_return_val_if_fail (PD_IS_TRAINING_BARCODE_SCANNER (self), FALSE);

  if (self->monitor != NULL)
    return TRUE;
  if (g_mkdir_with_parents (self->slot, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "%s: %s",
                   self->slot, g_strerror (saved_errno));
      return FALSE;
    }
  slot = g_file_new_for_path (self->slot);
  self->monitor = g_file_monitor_directory (slot, G_FILE_MONITOR_WATCH_MOVES, NULL, error);
  if (self->monitor == NULL)
    return FALSE;
  g_signal_connect_object (self->monitor, "changed", G_CALLBACK (on_slot_changed), self, 0);
  return TRUE;
}

static void
pd_training_barcode_scanner_dispose (GObject *object)
{
  PdTrainingBarcodeScanner *self = PD_TRAINING_BARCODE_SCANNER (object);

  g_cancellable_cancel (self->cancellable);
  if (self->monitor != NULL)
    g_file_monitor_cancel (self->monitor);
  g_clear_object (&self->monitor);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (pd_training_barcode_scanner_parent_class)->dispose (object);
}

static void
pd_training_barcode_scanner_finalize (GObject *object)
{
  g_free (PD_TRAINING_BARCODE_SCANNER (object)->slot);

  G_OBJECT_CLASS (pd_training_barcode_scanner_parent_class)->finalize (object);
}

static void
pd_training_barcode_scanner_class_init (PdTrainingBarcodeScannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pd_training_barcode_scanner_dispose;
  object_class->finalize = pd_training_barcode_scanner_finalize;

  signals[SIGNAL_SCANNED] = g_signal_new ("scanned", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
pd_training_barcode_scanner_init (PdTrainingBarcodeScanner *self)
{
  self->cancellable = g_cancellable_new ();
}

PdTrainingBarcodeScanner *
pd_training_barcode_scanner_new (const char *slot_directory)
{
  PdTrainingBarcodeScanner *self = g_object_new (PD_TYPE_TRAINING_BARCODE_SCANNER, NULL);

  self->slot = g_strdup (slot_directory != NULL ? slot_directory
                                                : pd_training_barcode_get_default_slot ());
  return self;
}
