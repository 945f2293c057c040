#include <glib/gi18n-lib.h>

#include "pd-device-manager.h"
#include "pd-usb-driver-private.h"

struct _PdDeviceManager {
  GObject parent_instance;

  PdUsbContext *context;
  GArray *driver_types;
  GPtrArray *present;
  /* Drivers of unplugged devices, waiting for the same device to come back. */
  GPtrArray *departed;
  GCancellable *cancellable;
  /* Where start was called: the watches' reports are delivered there. */
  GMainContext *main_context;
  /* Watch: the drivers' status watches running, and those cancelled or ended whose threads
   * are not joined yet. */
  GPtrArray *watches;
  gboolean started;
  /* Every device plugged in at start has arrived, and none is still being opened. */
  gboolean enumerated;
  guint opening;
  gboolean settled;
};

G_DEFINE_FINAL_TYPE (PdDeviceManager, pd_device_manager, G_TYPE_OBJECT)

enum {
  SIGNAL_DEVICE_ADDED,
  SIGNAL_DEVICE_REMOVED,
  SIGNAL_HEALTH_CHANGED,
  SIGNAL_SETTLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct {
  PdUsbDriver *driver;
  PdUsbDevice *device;
  PdDeviceHealth health;
  char *detail;
  gboolean opening;
  gboolean opened;
} HealthCheck;

/* One driver's watch (PdUsbDriverClass.watch) on a thread of its own, not a GTask: it runs
 * for as long as the device is plugged in, and stop joins it, so that nothing the thread
 * holds (the driver, its device, the libusb context) outlives the manager's stop. The
 * manager is only a weak reference here: neither keeps the other alive. */
typedef struct {
  GWeakRef manager;
  PdUsbDriver *driver;
  /* The device it watches: a report about an earlier plug of the same driver is stale. */
  PdUsbDevice *device;
  GCancellable *cancellable;
  GMainContext *main_context;
  GThread *thread;
  gboolean ended;
} Watch;

typedef struct {
  Watch *watch;
  PdDeviceHealth health;
  char *detail;
} WatchReport;

static void
health_check_free (gpointer data)
{
  HealthCheck *check = data;

  g_object_unref (check->driver);
  g_object_unref (check->device);
  g_free (check->detail);
  g_free (check);
}

static PdDeviceHealth
health_from_error (const GError *error)
{
  if (g_error_matches (error, PD_USB_ERROR, PD_USB_ERROR_BUSY))
    return PD_DEVICE_HEALTH_PRESENT | PD_DEVICE_HEALTH_BUSY_KERNEL_DRIVER;
  if (g_error_matches (error, PD_USB_ERROR, PD_USB_ERROR_ACCESS))
    return PD_DEVICE_HEALTH_PRESENT | PD_DEVICE_HEALTH_NO_PERMISSION;
  if (g_error_matches (error, PD_USB_ERROR, PD_USB_ERROR_NO_DEVICE))
    return PD_DEVICE_HEALTH_ABSENT;
  return PD_DEVICE_HEALTH_PRESENT | PD_DEVICE_HEALTH_ERROR;
}

static void
query_health (HealthCheck  *check,
              GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;

  check->health = pd_usb_driver_query_status (check->driver, cancellable, &check->detail,
                                              &error);
  if (error != NULL)
    {
      check->health = health_from_error (error);
      g_free (check->detail);
      check->detail = g_strdup (error->message);
    }
  else
    check->health |= PD_DEVICE_HEALTH_PRESENT;
}

static void
open_in_thread (GTask        *task,
                gpointer      source,
                gpointer      data,
                GCancellable *cancellable)
{
  HealthCheck *check = data;
  g_autoptr(GError) error = NULL;

  check->opened = pd_usb_driver_open (check->driver, cancellable, &error);
  if (check->opened)
    query_health (check, cancellable);
  else
    {
      check->health = health_from_error (error);
      check->detail = g_strdup (error->message);
    }
  g_task_return_boolean (task, TRUE);
}

static void
query_in_thread (GTask        *task,
                 gpointer      source,
                 gpointer      data,
                 GCancellable *cancellable)
{
  query_health (data, cancellable);
  g_task_return_boolean (task, TRUE);
}

static void
close_device_in_thread (GTask        *task,
                        gpointer      source,
                        gpointer      data,
                        GCancellable *cancellable)
{
  pd_usb_device_close (data);
  g_task_return_boolean (task, TRUE);
}

/* Closing a device that was unplugged while it was being opened. */
static void
close_device_later (PdDeviceManager *self,
                    PdUsbDevice     *device)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, NULL, NULL);

  g_task_set_task_data (task, g_object_ref (device), g_object_unref);
  g_task_run_in_thread (task, close_device_in_thread);
}

static gboolean
is_current (PdDeviceManager *self,
            PdUsbDriver     *driver,
            PdUsbDevice     *device)
{
  return g_ptr_array_find (self->present, driver, NULL) &&
         pd_usb_driver_get_device (driver) == device;
}

static void
watch_clear (Watch *watch)
{
  g_weak_ref_clear (&watch->manager);
  g_object_unref (watch->driver);
  g_object_unref (watch->device);
  g_object_unref (watch->cancellable);
  g_main_context_unref (watch->main_context);
}

static void
watch_unref (gpointer data)
{
  g_atomic_rc_box_release_full (data, (GDestroyNotify) watch_clear);
}

static void
watch_report_free (gpointer data)
{
  WatchReport *report = data;

  watch_unref (report->watch);
  g_free (report->detail);
  g_free (report);
}

/* On the main context: a report still about the device plugged in now becomes its health. */
static gboolean
deliver_watch_report (gpointer data)
{
  WatchReport *report = data;
  Watch *watch = report->watch;
  g_autoptr(PdDeviceManager) self = g_weak_ref_get (&watch->manager);

  /* Cancelled: the device left or the manager stopped after the report was made. */
  if (self == NULL || g_cancellable_is_cancelled (watch->cancellable) ||
      !is_current (self, watch->driver, watch->device))
    return G_SOURCE_REMOVE;
  if (pd_usb_driver_set_health (watch->driver, report->health, report->detail))
    g_signal_emit (self, signals[SIGNAL_HEALTH_CHANGED], 0, watch->driver);
  return G_SOURCE_REMOVE;
}

/* On the watch's thread. */
static void
on_watch_report (PdUsbDriver    *driver,
                 PdDeviceHealth  health,
                 const char     *detail,
                 gpointer        data)
{
  Watch *watch = data;
  WatchReport *report;

  /* An unplug is the device-left event's to report. */
  if (health == PD_DEVICE_HEALTH_ABSENT)
    return;

  report = g_new0 (WatchReport, 1);
  report->watch = g_atomic_rc_box_acquire (watch);
  report->health = health;
  report->detail = g_strdup (detail);
  g_main_context_invoke_full (watch->main_context, G_PRIORITY_DEFAULT, deliver_watch_report,
                              report, watch_report_free);
}

static gpointer
watch_thread (gpointer data)
{
  Watch *watch = data;

  pd_usb_driver_watch (watch->driver, on_watch_report, watch, watch->cancellable);
  g_atomic_int_set (&watch->ended, TRUE);
  watch_unref (watch);
  return NULL;
}

/* Joins the threads of the watches that were cancelled or have ended, or cancels and joins
 * all of them; a cancelled watch ends within a transfer's cancellation. One that ended on
 * its own is not cancelled: its last report (an error) may still be on its way. */
static void
join_watches (PdDeviceManager *self,
              gboolean         all)
{
  for (guint i = self->watches->len; i > 0; i--)
    {
      Watch *watch = g_ptr_array_index (self->watches, i - 1);

      if (all)
        g_cancellable_cancel (watch->cancellable);
      else if (!g_cancellable_is_cancelled (watch->cancellable) &&
               !g_atomic_int_get (&watch->ended))
        continue;
      g_thread_join (g_steal_pointer (&watch->thread));
      g_ptr_array_remove_index_fast (self->watches, i - 1);
    }
}

static void
start_watch (PdDeviceManager *self,
             PdUsbDriver     *driver)
{
  Watch *watch;

  if (PD_USB_DRIVER_GET_CLASS (driver)->watch == NULL)
    return;

  /* The threads of earlier plugs are done with by now: no need to keep them until stop. */
  join_watches (self, FALSE);

  watch = g_atomic_rc_box_new0 (Watch);
  g_weak_ref_init (&watch->manager, self);
  watch->driver = g_object_ref (driver);
  watch->device = g_object_ref (pd_usb_driver_get_device (driver));
  watch->cancellable = g_cancellable_new ();
  watch->main_context = g_main_context_ref (self->main_context);
  g_ptr_array_add (self->watches, watch);
  watch->thread = g_thread_new ("usb-watch", watch_thread, g_atomic_rc_box_acquire (watch));
}

/* Before the driver is closed: its watch must not read from a device being closed. */
static void
cancel_watch (PdDeviceManager *self,
              PdUsbDriver     *driver)
{
  for (guint i = 0; i < self->watches->len; i++)
    {
      Watch *watch = g_ptr_array_index (self->watches, i);

      if (watch->driver == driver)
        g_cancellable_cancel (watch->cancellable);
    }
}

static void
settle_if_done (PdDeviceManager *self)
{
  if (self->settled || !self->started || !self->enumerated || self->opening > 0)
    return;

  self->settled = TRUE;
  g_signal_emit (self, signals[SIGNAL_SETTLED], 0);
}

static void
on_health_checked (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  PdDeviceManager *self = PD_DEVICE_MANAGER (source);
  HealthCheck *check = g_task_get_task_data (G_TASK (result));

  if (check->opening)
    self->opening--;

  if (!is_current (self, check->driver, check->device))
    close_device_later (self, check->device);
  /* An unplug noticed by a transfer: the device-left event follows and reports it. */
  else if (check->health != PD_DEVICE_HEALTH_ABSENT)
    {
      if (pd_usb_driver_set_health (check->driver, check->health, check->detail))
        g_signal_emit (self, signals[SIGNAL_HEALTH_CHANGED], 0, check->driver);
      /* Stopped meanwhile: the task still finishes, but nothing new may start. Watching
       * does not count as opening: "settled" stays as it was. */
      if (check->opening && check->opened && self->started)
        start_watch (self, check->driver);
    }

  settle_if_done (self);
}

static void
check_health_later (PdDeviceManager  *self,
                    PdUsbDriver      *driver,
                    GTaskThreadFunc   work)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, on_health_checked, NULL);
  HealthCheck *check = g_new0 (HealthCheck, 1);

  check->driver = g_object_ref (driver);
  check->device = g_object_ref (pd_usb_driver_get_device (driver));
  check->opening = work == open_in_thread;
  if (check->opening)
    self->opening++;
  g_task_set_task_data (task, check, health_check_free);
  g_task_run_in_thread (task, work);
}

static PdUsbDriver *
find_present (PdDeviceManager *self,
              libusb_device   *device)
{
  for (guint i = 0; i < self->present->len; i++)
    {
      PdUsbDriver *driver = g_ptr_array_index (self->present, i);

      if (pd_usb_device_get_libusb (pd_usb_driver_get_device (driver)) == device)
        return driver;
    }
  return NULL;
}

static gboolean
same_device (PdUsbDevice *a,
             PdUsbDevice *b)
{
  return pd_usb_device_get_vendor_id (a) == pd_usb_device_get_vendor_id (b) &&
         pd_usb_device_get_product_id (a) == pd_usb_device_get_product_id (b) &&
         g_strcmp0 (pd_usb_device_get_port_path (a), pd_usb_device_get_port_path (b)) == 0;
}

/* The driver that had this device before it was unplugged, taken off the departed list. */
static PdUsbDriver *
take_departed (PdDeviceManager *self,
               GType            driver_type,
               PdUsbDevice     *device)
{
  for (guint i = 0; i < self->departed->len; i++)
    {
      PdUsbDriver *driver = g_ptr_array_index (self->departed, i);

      if (G_OBJECT_TYPE (driver) == driver_type &&
          same_device (pd_usb_driver_get_device (driver), device))
        return g_ptr_array_steal_index (self->departed, i);
    }
  return NULL;
}

static GType
match_driver_type (PdDeviceManager *self,
                   libusb_device   *device,
                   int             *interface_number)
{
  for (guint i = 0; i < self->driver_types->len; i++)
    {
      GType type = g_array_index (self->driver_types, GType, i);
      g_autoptr(GTypeClass) klass = g_type_class_ref (type);

      if (pd_usb_driver_class_match (PD_USB_DRIVER_CLASS (klass), device, interface_number))
        return type;
    }
  return G_TYPE_INVALID;
}

static void
on_device_arrived (PdUsbContext  *context,
                   libusb_device *libusb,
                   gpointer       user_data)
{
  PdDeviceManager *self = user_data;
  g_autoptr(PdUsbDevice) device = NULL;
  g_autoptr(PdUsbDriver) driver = NULL;
  int interface_number = -1;
  GType type;

  if (find_present (self, libusb) != NULL)
    return;
  type = match_driver_type (self, libusb, &interface_number);
  if (type == G_TYPE_INVALID)
    return;

  device = pd_usb_device_new (context, libusb);
  driver = take_departed (self, type, device);
  if (driver == NULL)
    driver = g_object_new (type, NULL);
  pd_usb_driver_set_device (driver, device, interface_number);
  pd_usb_driver_set_health (driver, PD_DEVICE_HEALTH_PRESENT, NULL);
  g_ptr_array_add (self->present, g_object_ref (driver));

  g_signal_emit (self, signals[SIGNAL_DEVICE_ADDED], 0, driver);
  check_health_later (self, driver, open_in_thread);
}

static void
close_driver_in_thread (GTask        *task,
                        gpointer      source,
                        gpointer      data,
                        GCancellable *cancellable)
{
  pd_usb_driver_close (data);
  g_task_return_boolean (task, TRUE);
}

/* Closed: now it may wait for its device to come back. */
static void
on_departed_closed (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  PdDeviceManager *self = PD_DEVICE_MANAGER (source);
  PdUsbDriver *driver = g_task_get_task_data (G_TASK (result));
  PdUsbDevice *device = pd_usb_driver_get_device (driver);

  /* Back while this closed, with a new driver: this one would wait for it forever and be
   * taken instead of a fresh one at the next replug. */
  for (guint i = 0; i < self->present->len; i++)
    if (same_device (pd_usb_driver_get_device (g_ptr_array_index (self->present, i)), device))
      return;
  g_ptr_array_add (self->departed, g_object_ref (driver));
}

static void
on_device_left (PdUsbContext  *context,
                libusb_device *libusb,
                gpointer       user_data)
{
  PdDeviceManager *self = user_data;
  PdUsbDriver *found = find_present (self, libusb);
  g_autoptr(PdUsbDriver) driver = NULL;
  g_autoptr(GTask) task = NULL;

  if (found == NULL)
    return;

  driver = g_object_ref (found);
  g_ptr_array_remove (self->present, driver);
  cancel_watch (self, driver);
  pd_usb_driver_set_health (driver, PD_DEVICE_HEALTH_ABSENT, NULL);
  g_signal_emit (self, signals[SIGNAL_DEVICE_REMOVED], 0, driver);

  task = g_task_new (self, NULL, on_departed_closed, NULL);
  g_task_set_task_data (task, g_object_ref (driver), g_object_unref);
  g_task_run_in_thread (task, close_driver_in_thread);
}

static void
on_enumerated (PdUsbContext *context,
               gpointer      user_data)
{
  PdDeviceManager *self = user_data;

  self->enumerated = TRUE;
  settle_if_done (self);
}

static void
pd_device_manager_dispose (GObject *object)
{
  PdDeviceManager *self = PD_DEVICE_MANAGER (object);

  pd_device_manager_stop (self);
  /* Pending tasks hold the manager: nothing runs on these drivers any more. Closing is
   * quick (release the interface, close the file), and it is the last thing done. */
  for (guint i = 0; i < self->present->len; i++)
    pd_usb_driver_close (g_ptr_array_index (self->present, i));
  g_ptr_array_set_size (self->present, 0);
  g_ptr_array_set_size (self->departed, 0);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (pd_device_manager_parent_class)->dispose (object);
}

static void
pd_device_manager_finalize (GObject *object)
{
  PdDeviceManager *self = PD_DEVICE_MANAGER (object);

  g_array_unref (self->driver_types);
  g_ptr_array_unref (self->present);
  g_ptr_array_unref (self->departed);
  g_ptr_array_unref (self->watches);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->main_context, g_main_context_unref);

  G_OBJECT_CLASS (pd_device_manager_parent_class)->finalize (object);
}

static void
pd_device_manager_class_init (PdDeviceManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pd_device_manager_dispose;
  object_class->finalize = pd_device_manager_finalize;

  signals[SIGNAL_DEVICE_ADDED] = g_signal_new ("device-added", G_TYPE_FROM_CLASS (klass),
                                               G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                               G_TYPE_NONE, 1, PD_TYPE_USB_DRIVER);
  signals[SIGNAL_DEVICE_REMOVED] = g_signal_new ("device-removed", G_TYPE_FROM_CLASS (klass),
                                                 G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                 G_TYPE_NONE, 1, PD_TYPE_USB_DRIVER);
  signals[SIGNAL_HEALTH_CHANGED] = g_signal_new ("health-changed", G_TYPE_FROM_CLASS (klass),
                                                 G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                 G_TYPE_NONE, 1, PD_TYPE_USB_DRIVER);
  signals[SIGNAL_SETTLED] = g_signal_new ("settled", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 0);
}

static void
pd_device_manager_init (PdDeviceManager *self)
{
  self->driver_types = g_array_new (FALSE, FALSE, sizeof (GType));
  self->present = g_ptr_array_new_with_free_func (g_object_unref);
  self->departed = g_ptr_array_new_with_free_func (g_object_unref);
  self->watches = g_ptr_array_new_with_free_func (watch_unref);
  self->cancellable = g_cancellable_new ();
}

PdDeviceManager *
pd_device_manager_new (PdUsbContext *context)
{
  PdDeviceManager *self;

  g_return_val_if_fail (PD_IS_USB_CONTEXT (context), NULL);

  self = g_object_new (PD_TYPE_DEVICE_MANAGER, NULL);
  self->context = g_object_ref (context);
  return self;
}

void
pd_device_manager_register_driver (PdDeviceManager *self,
                                   GType            driver_type)
{
  g_return_if_fail (PD_IS_DEVICE_MANAGER (self));
  g_return_if_fail (g_type_is_a (driver_type, PD_TYPE_USB_DRIVER));
  g_return_if_fail (!self->started);

  g_array_append_val (self->driver_types, driver_type);
}

void
pd_device_manager_start (PdDeviceManager *self)
{
  g_return_if_fail (PD_IS_DEVICE_MANAGER (self));

  if (self->started)
    return;

  self->started = TRUE;
  if (g_cancellable_is_cancelled (self->cancellable))
    {
      g_object_unref (self->cancellable);
      self->cancellable = g_cancellable_new ();
    }
  g_clear_pointer (&self->main_context, g_main_context_unref);
  self->main_context = g_main_context_ref_thread_default ();
  g_signal_connect_object (self->context, "device-arrived", G_CALLBACK (on_device_arrived),
                           self, 0);
  g_signal_connect_object (self->context, "device-left", G_CALLBACK (on_device_left), self, 0);
  g_signal_connect_object (self->context, "enumerated", G_CALLBACK (on_enumerated), self, 0);
  self->enumerated = FALSE;
  self->settled = FALSE;
  pd_usb_context_start (self->context);
}

void
pd_device_manager_stop (PdDeviceManager *self)
{
  g_return_if_fail (PD_IS_DEVICE_MANAGER (self));

  if (!self->started || self->context == NULL)
    return;

  self->started = FALSE;
  g_cancellable_cancel (self->cancellable);
  g_signal_handlers_disconnect_by_data (self->context, self);
  /* Waits for the watches' threads: what they hold must not outlive the stop. */
  join_watches (self, TRUE);
}

gboolean
pd_device_manager_is_settled (PdDeviceManager *self)
{
  g_return_val_if_fail (PD_IS_DEVICE_MANAGER (self), FALSE);
  return self->settled;
}

GPtrArray *
pd_device_manager_get_drivers (PdDeviceManager *self)
{
  g_return_val_if_fail (PD_IS_DEVICE_MANAGER (self), NULL);
  return self->present;
}

void
pd_device_manager_refresh (PdDeviceManager *self,
                           PdUsbDriver     *driver)
{
  g_return_if_fail (PD_IS_DEVICE_MANAGER (self));
  g_return_if_fail (PD_IS_USB_DRIVER (driver));

  if (g_ptr_array_find (self->present, driver, NULL))
    check_health_later (self, driver, query_in_thread);
}
