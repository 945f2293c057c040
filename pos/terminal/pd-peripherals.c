#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>

#include "pd-device-manager.h"
#include "pd-epson-micr.h"
#include "pd-peripherals.h"
#include "pd-receipt-printer.h"
#include "pd-hid-pos-scanner.h"
#include "pd-training-barcode-scanner.h"
#include "pd-training-check-scanner.h"
#include "pd-training-printer.h"

/* What a training device said last, kept on the main thread. */
typedef struct {
  GObject *device;
  PdDeviceHealth health;
  char *detail;
} TrainingState;

struct _PdPeripherals {
  GObject parent_instance;

  PdConfig *config;
  PdUsbContext *usb;
  PdDeviceManager *manager;
  TrainingState training[2]; /* by PdPeripheralKind */
  /* The training barcode scanner ([devices] barcode-scanner = training). */
  PdTrainingBarcodeScanner *barcode_scanner;
  /* HID POS scanners being read, each on a worker of its own. */
  GHashTable *scanning;
  GCancellable *cancellable;
  guint training_queries;
  gboolean started;
  gboolean settled;
};

G_DEFINE_FINAL_TYPE (PdPeripherals, pd_peripherals, G_TYPE_OBJECT)

enum {
  SIGNAL_CHANGED,
  SIGNAL_SETTLED,
  SIGNAL_SCANNED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
pd_peripheral_info_free (PdPeripheralInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->setting);
  g_free (info->name);
  g_free (info->location);
  g_free (info->detail);
  g_free (info);
}

/* The first fault an associate can put right, in the order they would look: is it there,
 * may Paydesk use it, is it on, is the cover shut, is there paper. */
const char *
pd_peripheral_info_advice (const PdPeripheralInfo *info)
{
  PdDeviceHealth health;

  g_return_val_if_fail (info != NULL, NULL);

  health = info->health;
  if (g_strcmp0 (info->setting, "none") == 0)
    return _("None is configured for this terminal.");
  if (!(health & PD_DEVICE_HEALTH_PRESENT))
    return info->kind == PD_PERIPHERAL_PRINTER
           ? _("Plug the printer in and turn it on; check its USB cable.")
           : _("Plug the check scanner in and turn it on; check its USB cable.");
  if (health & PD_DEVICE_HEALTH_NO_PERMISSION)
    return _("Paydesk may not use it: ask support to install Paydesk’s device rules, then plug "
             "it in again.");
  if (health & PD_DEVICE_HEALTH_BUSY_KERNEL_DRIVER)
    return _("Another program holds it: restart the terminal.");
  if (health & PD_DEVICE_HEALTH_OFFLINE)
    return _("Turn it on, or press its feed button once to bring it back online.");
  if (health & PD_DEVICE_HEALTH_COVER_OPEN)
    return _("Close the printer’s cover until it clicks.");
  if (health & PD_DEVICE_HEALTH_PAPER_OUT)
    return _("Put a new roll of paper in, printed side out, and close the cover.");
  if (health & PD_DEVICE_HEALTH_ERROR)
    return _("Turn it off and on again; if the fault stays, call support.");
  if (health & PD_DEVICE_HEALTH_PAPER_LOW)
    return _("Paper is running low: keep a new roll at hand.");
  if (health & PD_DEVICE_HEALTH_READY)
    return _("Ready.");
  return _("Not ready yet: wait a moment, then look again.");
}

static const char *
setting_for (PdPeripherals    *self,
             PdPeripheralKind  kind)
{
  return kind == PD_PERIPHERAL_PRINTER ? pd_config_get_printer (self->config)
                                       : pd_config_get_check_scanner (self->config);
}

static gboolean
setting_is_usb (const char *setting)
{
  return g_str_equal (setting, "auto") || g_str_has_prefix (setting, "usb:");
}

static gboolean
driver_is_kind (PdUsbDriver      *driver,
                PdPeripheralKind  kind)
{
  return kind == PD_PERIPHERAL_PRINTER ? PD_IS_PRINTER (driver) : PD_IS_CHECK_SCANNER (driver);
}

/* usb:VVVV:PPPP takes that device only; auto any the drivers take. */
static gboolean
driver_answers_setting (PdUsbDriver *driver,
                        const char  *setting)
{
  PdUsbDevice *device = pd_usb_driver_get_device (driver);
  unsigned int vendor, product;

  if (g_str_equal (setting, "auto"))
    return TRUE;
  if (sscanf (setting, "usb:%4x:%4x", &vendor, &product) != 2)
    return FALSE;
  return pd_usb_device_get_vendor_id (device) == vendor &&
         pd_usb_device_get_product_id (device) == product;
}

static void
settle_if_done (PdPeripherals *self)
{
  if (self->settled || !self->started || self->training_queries > 0 ||
      (self->manager != NULL && !pd_device_manager_is_settled (self->manager)))
    return;

  self->settled = TRUE;
  g_signal_emit (self, signals[SIGNAL_SETTLED], 0);
}

static void
on_manager_changed (PdPeripherals *self)
{
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

typedef struct {
  PdPeripheralKind kind;
  GObject *device;
  PdDeviceHealth health;
  char *detail;
} TrainingQuery;

static void
training_query_free (gpointer data)
{
  TrainingQuery *query = data;

  g_object_unref (query->device);
  g_free (query->detail);
  g_free (query);
}

static void
query_training_in_thread (GTask        *task,
                          gpointer      source,
                          gpointer      data,
                          GCancellable *cancellable)
{
  TrainingQuery *query = data;
  g_autoptr(GError) error = NULL;

  if (query->kind == PD_PERIPHERAL_PRINTER)
    query->health = pd_printer_query_status (PD_PRINTER (query->device), &query->detail,
                                             cancellable, &error);
  else
    query->health = pd_check_scanner_query_status (PD_CHECK_SCANNER (query->device),
                                                   &query->detail, cancellable, &error);
  if (error != NULL)
    {
      g_free (query->detail);
      query->detail = g_strdup (error->message);
      query->health = PD_DEVICE_HEALTH_PRESENT | PD_DEVICE_HEALTH_ERROR;
    }
  g_task_return_boolean (task, TRUE);
}

static void
on_training_queried (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  PdPeripherals *self = PD_PERIPHERALS (source);
  TrainingQuery *query = g_task_get_task_data (G_TASK (result));
  TrainingState *state = &self->training[query->kind];
  gboolean changed = state->health != query->health ||
                     g_strcmp0 (state->detail, query->detail) != 0;

  self->training_queries--;
  state->health = query->health;
  g_free (state->detail);
  state->detail = g_steal_pointer (&query->detail);
  if (changed)
    g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  settle_if_done (self);
}

static void
query_training (PdPeripherals    *self,
                PdPeripheralKind  kind)
{
  g_autoptr(GTask) task = NULL;
  TrainingQuery *query;

  if (self->training[kind].device == NULL)
    return;

  query = g_new0 (TrainingQuery, 1);
  query->kind = kind;
  query->device = g_object_ref (self->training[kind].device);
  task = g_task_new (self, self->cancellable, on_training_queried, NULL);
  g_task_set_task_data (task, query, training_query_free);
  self->training_queries++;
  g_task_run_in_thread (task, query_training_in_thread);
}

static void
pd_peripherals_dispose (GObject *object)
{
  PdPeripherals *self = PD_PERIPHERALS (object);

  g_cancellable_cancel (self->cancellable);
  if (self->scanning != NULL)
    {
      GHashTableIter iter;
      gpointer cancellable;

      g_hash_table_iter_init (&iter, self->scanning);
      while (g_hash_table_iter_next (&iter, NULL, &cancellable))
        g_cancellable_cancel (cancellable);
      g_clear_pointer (&self->scanning, g_hash_table_unref);
    }
  if (self->manager != NULL)
    pd_device_manager_stop (self->manager);
  g_clear_object (&self->manager);
  g_clear_object (&self->usb);
  for (guint i = 0; i < G_N_ELEMENTS (self->training); i++)
    {
      g_clear_object (&self->training[i].device);
      g_clear_pointer (&self->training[i].detail, g_free);
    }
  if (self->barcode_scanner != NULL)
    g_signal_handlers_disconnect_by_data (self->barcode_scanner, self);
  g_clear_object (&self->barcode_scanner);

  G_OBJECT_CLASS (pd_peripherals_parent_class)->dispose (object);
}

static void
pd_peripherals_finalize (GObject *object)
{
  PdPeripherals *self = PD_PERIPHERALS (object);

  g_clear_object (&self->config);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (pd_peripherals_parent_class)->finalize (object);
}

static void
pd_peripherals_class_init (PdPeripheralsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pd_peripherals_dispose;
  object_class->finalize = pd_peripherals_finalize;

  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 0);
  signals[SIGNAL_SCANNED] = g_signal_new ("scanned", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_SETTLED] = g_signal_new ("settled", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 0);
}

static void
pd_peripherals_init (PdPeripherals *self)
{
  self->cancellable = g_cancellable_new ();
}

/* --- HID POS barcode scanners ------------------------------------------------------- */

typedef struct {
  PdPeripherals *self;
  char *text;
} Scan;

static gboolean
deliver_scan (gpointer data)
{
  Scan *scan = data;

  g_signal_emit (scan->self, signals[SIGNAL_SCANNED], 0, scan->text);
  return G_SOURCE_REMOVE;
}

static void
scan_free (gpointer data)
{
  Scan *scan = data;

  g_object_unref (scan->self);
  g_free (scan->text);
  g_free (scan);
}

typedef struct {
  /* Weak: the peripherals' dispose ends the loop, so the loop must not keep them. */
  GWeakRef self;
  PdHidPosScanner *scanner;
  GMainContext *main_context;
  GCancellable *cancellable;
} ScanLoop;

static gpointer
scan_loop (gpointer data)
{
  ScanLoop *loop = data;

  while (!g_cancellable_is_cancelled (loop->cancellable))
    {
      g_autoptr(GError) error = NULL;
      char *text = pd_hid_pos_scanner_read_scan (loop->scanner, 1000, loop->cancellable, &error);
      Scan *scan;

      if (text == NULL)
        {
          if (g_error_matches (error, PD_USB_ERROR, PD_USB_ERROR_TIMEOUT))
            continue;
          /* Gone, or closed: the manager reports it; a new loop starts when it is back. */
          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            g_message ("barcode scanner: %s", error->message);
          break;
        }
      scan = g_new0 (Scan, 1);
      scan->self = g_weak_ref_get (&loop->self);
      scan->text = text;
      if (scan->self == NULL)
        {
          g_free (scan->text);
          g_free (scan);
          break;
        }
      g_main_context_invoke_full (loop->main_context, G_PRIORITY_DEFAULT, deliver_scan, scan,
                                  scan_free);
    }
  g_main_context_unref (loop->main_context);
  g_object_unref (loop->scanner);
  g_object_unref (loop->cancellable);
  g_weak_ref_clear (&loop->self);
  g_free (loop);
  return NULL;
}

static void
stop_reading (PdPeripherals *self,
              PdUsbDriver   *driver)
{
  GCancellable *cancellable = g_hash_table_lookup (self->scanning, driver);

  if (cancellable != NULL)
    g_cancellable_cancel (cancellable);
  g_hash_table_remove (self->scanning, driver);
}

/* A HID POS scanner opened and ready: a worker reads its barcodes until it goes (the manager
 * hands back the same driver when the scanner comes back: it is read anew then). */
static void
read_when_ready (PdPeripherals *self,
                 PdUsbDriver   *driver)
{
  ScanLoop *loop;
  GCancellable *cancellable;

  if (!PD_IS_HID_POS_SCANNER (driver))
    return;
  if (!(pd_usb_driver_get_health (driver) & PD_DEVICE_HEALTH_READY))
    {
      stop_reading (self, driver);
      return;
    }
  if (g_hash_table_contains (self->scanning, driver))
    return;

  cancellable = g_cancellable_new ();
  g_hash_table_insert (self->scanning, g_object_ref (driver), cancellable);
  loop = g_new0 (ScanLoop, 1);
  g_weak_ref_init (&loop->self, self);
  loop->scanner = PD_HID_POS_SCANNER (g_object_ref (driver));
  loop->main_context = g_main_context_ref_thread_default ();
  loop->cancellable = g_object_ref (cancellable);
  g_thread_unref (g_thread_new ("barcode-scanner", scan_loop, loop));
}

static gboolean
set_up_usb (PdPeripherals  *self,
            GError        **error)
{
  const char *printer = pd_config_get_printer (self->config);
  const char *scanner = pd_config_get_check_scanner (self->config);
  const char *barcode = pd_config_get_barcode_scanner (self->config);

  if (!setting_is_usb (printer) && !setting_is_usb (scanner) && !setting_is_usb (barcode))
    return TRUE;

  self->usb = pd_usb_context_new (PD_USB_CONTEXT_FLAGS_NONE, error);
  if (self->usb == NULL)
    return FALSE;
  self->manager = pd_device_manager_new (self->usb);

  /* The Epson MICR reader shares its USB id with Epson's plain receipt printers, so it is
   * only looked for when named (usb:04b8:0202): "auto" must not take a TM-T88 for a check
   * reader. Registered first: on a hybrid printer, the check reader is the rarer part. */
  if (g_str_has_prefix (scanner, "usb:"))
    pd_device_manager_register_driver (self->manager, PD_TYPE_EPSON_MICR);
  if (setting_is_usb (printer))
    pd_device_manager_register_driver (self->manager, PD_TYPE_RECEIPT_PRINTER);
  if (setting_is_usb (barcode))
    pd_device_manager_register_driver (self->manager, PD_TYPE_HID_POS_SCANNER);

  g_signal_connect_object (self->manager, "device-added", G_CALLBACK (on_manager_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->manager, "device-removed", G_CALLBACK (on_manager_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->manager, "health-changed", G_CALLBACK (on_manager_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->manager, "health-changed", G_CALLBACK (read_when_ready),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->manager, "device-removed", G_CALLBACK (stop_reading),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->manager, "settled", G_CALLBACK (settle_if_done), self,
                           G_CONNECT_SWAPPED);
  return TRUE;
}

PdPeripherals *
pd_peripherals_new (PdConfig  *config,
                    GError   **error)
{
  g_autoptr(PdPeripherals) self = NULL;

  g_return_val_if_fail (PD_IS_CONFIG (config), NULL);

  self = g_object_new (PD_TYPE_PERIPHERALS, NULL);
  self->config = g_object_ref (config);
  self->scanning = g_hash_table_new_full (NULL, NULL, g_object_unref, g_object_unref);

  if (g_str_equal (pd_config_get_printer (config), "training"))
    {
      g_autofree char *folder = g_build_filename (pd_config_get_data_dir (config),
                                                  "training-printer", NULL);
      PdTrainingPrinter *printer = pd_training_printer_new (folder, NULL, error);

      if (printer == NULL)
        return NULL;
      self->training[PD_PERIPHERAL_PRINTER].device = G_OBJECT (printer);
    }

  if (g_str_equal (pd_config_get_check_scanner (config), "training"))
    self->training[PD_PERIPHERAL_CHECK_SCANNER].device =
      G_OBJECT (pd_training_check_scanner_new (NULL));

  if (g_str_equal (pd_config_get_barcode_scanner (config), "training"))
    self->barcode_scanner = pd_training_barcode_scanner_new (NULL);

  if (!set_up_usb (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

static void
on_scanned (PdPeripherals *self,
            const char    *text)
{
  g_signal_emit (self, signals[SIGNAL_SCANNED], 0, text);
}

void
pd_peripherals_start (PdPeripherals *self)
{
  g_return_if_fail (PD_IS_PERIPHERALS (self));

  if (self->started)
    return;

  self->started = TRUE;
  query_training (self, PD_PERIPHERAL_PRINTER);
  query_training (self, PD_PERIPHERAL_CHECK_SCANNER);
  if (self->barcode_scanner != NULL)
    {
      g_autoptr(GError) error = NULL;

      g_signal_connect_swapped (self->barcode_scanner, "scanned", G_CALLBACK (on_scanned), self);
      if (!pd_training_barcode_scanner_start (self->barcode_scanner, &error))
        g_message ("training barcode scanner: %s", error->message);
    }
  if (self->manager != NULL)
    pd_device_manager_start (self->manager);
  settle_if_done (self);
}

gboolean
pd_peripherals_is_settled (PdPeripherals *self)
{
  g_return_val_if_fail (PD_IS_PERIPHERALS (self), FALSE);
  return self->settled;
}

void
pd_peripherals_refresh (PdPeripherals *self)
{
  g_return_if_fail (PD_IS_PERIPHERALS (self));

  query_training (self, PD_PERIPHERAL_PRINTER);
  query_training (self, PD_PERIPHERAL_CHECK_SCANNER);
  if (self->manager != NULL)
    {
      GPtrArray *drivers = pd_device_manager_get_drivers (self->manager);

      for (guint i = 0; i < drivers->len; i++)
        pd_device_manager_refresh (self->manager, g_ptr_array_index (drivers, i));
    }
}

static char *
usb_driver_name (PdUsbDriver *driver)
{
  if (PD_IS_PRINTER (driver))
    {
      g_autoptr(PdPrinterProfile) profile = pd_printer_dup_profile (PD_PRINTER (driver));

      if (profile != NULL)
        return g_strdup (pd_printer_profile_get_name (profile));
    }
  return g_strdup (PD_USB_DRIVER_GET_CLASS (driver)->full_name);
}

static char *
usb_location (PdUsbDriver *driver)
{
  PdUsbDevice *device = pd_usb_driver_get_device (driver);
  g_autofree char *serial = pd_usb_device_dup_serial (device);

  if (serial != NULL)
    /* TRANSLATORS: where a device is plugged in: the USB port path, then its serial number. */
    return g_strdup_printf (_("USB %04x:%04x, port %s, serial %s"),
                            pd_usb_device_get_vendor_id (device),
                            pd_usb_device_get_product_id (device),
                            pd_usb_device_get_port_path (device), serial);
  return g_strdup_printf (_("USB %04x:%04x, port %s"), pd_usb_device_get_vendor_id (device),
                          pd_usb_device_get_product_id (device),
                          pd_usb_device_get_port_path (device));
}

static const char *
kind_noun (PdPeripheralKind kind)
{
  return kind == PD_PERIPHERAL_PRINTER ? _("receipt printer") : _("check scanner");
}

static void
list_kind (PdPeripherals    *self,
           PdPeripheralKind  kind,
           GPtrArray        *infos)
{
  const char *setting = setting_for (self, kind);
  TrainingState *training = &self->training[kind];
  guint found = 0;
  PdPeripheralInfo *info;

  if (training->device != NULL)
    {
      info = g_new0 (PdPeripheralInfo, 1);
      info->kind = kind;
      info->setting = g_strdup (setting);
      info->name = g_strdup (kind == PD_PERIPHERAL_PRINTER ? _("Training printer")
                                                           : _("Training check scanner"));
      info->location = g_strdup (kind == PD_PERIPHERAL_PRINTER
                                 ? pd_training_printer_get_output_directory (
                                     PD_TRAINING_PRINTER (training->device))
                                 : pd_training_check_scanner_get_slot_directory (
                                     PD_TRAINING_CHECK_SCANNER (training->device)));
      info->health = training->health;
      info->detail = g_strdup (training->detail);
      g_ptr_array_add (infos, info);
      return;
    }

  if (self->manager != NULL && setting_is_usb (setting))
    {
      GPtrArray *drivers = pd_device_manager_get_drivers (self->manager);

      for (guint i = 0; i < drivers->len; i++)
        {
          PdUsbDriver *driver = g_ptr_array_index (drivers, i);

          if (!driver_is_kind (driver, kind) || !driver_answers_setting (driver, setting))
            continue;
          info = g_new0 (PdPeripheralInfo, 1);
          info->kind = kind;
          info->setting = g_strdup (setting);
          info->name = usb_driver_name (driver);
          info->location = usb_location (driver);
          info->health = pd_usb_driver_get_health (driver);
          info->detail = g_strdup (pd_usb_driver_get_health_detail (driver));
          g_ptr_array_add (infos, info);
          found++;
        }
    }

  if (found > 0)
    return;

  info = g_new0 (PdPeripheralInfo, 1);
  info->kind = kind;
  info->setting = g_strdup (setting);
  info->health = PD_DEVICE_HEALTH_ABSENT;
  if (g_str_equal (setting, "none"))
    /* TRANSLATORS: %s is "receipt printer" or "check scanner". */
    info->detail = g_strdup_printf (_("This terminal has no %s (the configuration says none)."),
                                    kind_noun (kind));
  else if (g_str_equal (setting, "auto"))
    info->detail = g_strdup_printf (_("No %s was found on USB. Is it plugged in and switched "
                                      "on?"), kind_noun (kind));
  else
    /* TRANSLATORS: the first %s is "receipt printer" or "check scanner", the second its USB id. */
    info->detail = g_strdup_printf (_("The %s %s was not found on USB. Is it plugged in and "
                                      "switched on?"), kind_noun (kind), setting);
  g_ptr_array_add (infos, info);
}

GPtrArray *
pd_peripherals_list (PdPeripherals *self)
{
  GPtrArray *infos = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_peripheral_info_free);

  g_return_val_if_fail (PD_IS_PERIPHERALS (self), infos);

  list_kind (self, PD_PERIPHERAL_PRINTER, infos);
  list_kind (self, PD_PERIPHERAL_CHECK_SCANNER, infos);
  return infos;
}

gboolean
pd_peripherals_all_ready (PdPeripherals *self)
{
  g_autoptr(GPtrArray) infos = pd_peripherals_list (self);

  for (guint i = 0; i < infos->len; i++)
    {
      PdPeripheralInfo *info = g_ptr_array_index (infos, i);

      if (!g_str_equal (info->setting, "none") && !(info->health & PD_DEVICE_HEALTH_READY))
        return FALSE;
    }
  return TRUE;
}

/* The training device, else the ready USB device answering the setting, else any. */
static GObject *
dup_device (PdPeripherals     *self,
            PdPeripheralKind   kind,
            GError           **error)
{
  const char *setting = setting_for (self, kind);
  GPtrArray *drivers;
  PdUsbDriver *chosen = NULL;

  if (self->training[kind].device != NULL)
    return g_object_ref (self->training[kind].device);

  if (g_str_equal (setting, "none"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("This terminal has no %s (the configuration says none)."),
                   kind_noun (kind));
      return NULL;
    }

  drivers = self->manager != NULL ? pd_device_manager_get_drivers (self->manager) : NULL;
  for (guint i = 0; drivers != NULL && i < drivers->len; i++)
    {
      PdUsbDriver *driver = g_ptr_array_index (drivers, i);

      if (!driver_is_kind (driver, kind) || !driver_answers_setting (driver, setting))
        continue;
      if (chosen == NULL || (pd_usb_driver_get_health (driver) & PD_DEVICE_HEALTH_READY))
        chosen = driver;
      if (pd_usb_driver_get_health (driver) & PD_DEVICE_HEALTH_READY)
        break;
    }

  if (chosen == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("No %s is connected. Is it plugged in and switched on?"),
                   kind_noun (kind));
      return NULL;
    }
  return g_object_ref (G_OBJECT (chosen));
}

PdPrinter *
pd_peripherals_dup_printer (PdPeripherals  *self,
                            GError        **error)
{
  g_return_val_if_fail (PD_IS_PERIPHERALS (self), NULL);
  return PD_PRINTER (dup_device (self, PD_PERIPHERAL_PRINTER, error));
}

PdCheckScanner *
pd_peripherals_dup_check_scanner (PdPeripherals  *self,
                                  GError        **error)
{
  g_return_val_if_fail (PD_IS_PERIPHERALS (self), NULL);
  return PD_CHECK_SCANNER (dup_device (self, PD_PERIPHERAL_CHECK_SCANNER, error));
}
