#include <glib/gi18n-lib.h>

#include "pd-usb-device.h"

G_DEFINE_QUARK (pd-usb-error-quark, pd_usb_error)

#define MAX_PORT_DEPTH 7

struct _PdUsbDevice {
  GObject parent_instance;

  PdUsbContext *context;
  libusb_device *device;
  struct libusb_device_descriptor descriptor;
  char *port_path;

  /* Transfers hold it for reading, open and close for writing: a handle is never closed
   * under a transfer. */
  GRWLock lock;
  libusb_device_handle *handle;
  int interface_number;
  guint8 bulk_in;
  /* The IN endpoint is an interrupt one (a HID device has no bulk endpoints). */
  gboolean in_is_interrupt;
  guint8 bulk_out;
  gboolean detached_kernel_driver;
  char *serial;

  /* The transfers submitted and not yet done, and how many closes are waiting, guarded by
   * in_flight_lock, never held across a wait. Closing cancels these before it takes the
   * writer side: a transfer holds the reader side for up to its whole timeout (seconds),
   * and closing runs on the main thread too (dispose, finalize). */
  GMutex in_flight_lock;
  GPtrArray *in_flight;
  guint closing;
};

G_DEFINE_FINAL_TYPE (PdUsbDevice, pd_usb_device, G_TYPE_OBJECT)

void
pd_usb_set_error_from_libusb (GError     **error,
                              int          rc,
                              const char  *doing)
{
  switch (rc)
    {
    case LIBUSB_ERROR_ACCESS:
      g_set_error (error, PD_USB_ERROR, PD_USB_ERROR_ACCESS,
                   _("No permission to use the USB device (%s). Install the udev rule %s "
                     "from Paydesk's assets/udev folder and add the kiosk's user to the "
                     "paydesk group."), doing, PD_USB_UDEV_RULE);
      break;
    case LIBUSB_ERROR_BUSY:
      g_set_error (error, PD_USB_ERROR, PD_USB_ERROR_BUSY,
                   _("The USB device is held by another driver, the kernel's usblp driver "
                     "or CUPS, and could not be taken from it (%s). Remove the printer from "
                     "CUPS or unbind usblp."), doing);
      break;
    case LIBUSB_ERROR_NO_DEVICE:
    case LIBUSB_ERROR_NOT_FOUND:
      g_set_error (error, PD_USB_ERROR, PD_USB_ERROR_NO_DEVICE,
                   _("The USB device was unplugged (%s)."), doing);
      break;
    case LIBUSB_ERROR_TIMEOUT:
      g_set_error (error, PD_USB_ERROR, PD_USB_ERROR_TIMEOUT,
                   _("The USB device did not answer in time (%s)."), doing);
      break;
    default:
      g_set_error (error, PD_USB_ERROR, PD_USB_ERROR_FAILED,
                   _("The USB device failed (%s: %s)."), doing, libusb_strerror (rc));
    }
}

static void
pd_usb_device_finalize (GObject *object)
{
  PdUsbDevice *self = PD_USB_DEVICE (object);

  pd_usb_device_close (self);
  libusb_unref_device (self->device);
  g_object_unref (self->context);
  g_free (self->port_path);
  g_rw_lock_clear (&self->lock);
  g_ptr_array_unref (self->in_flight);
  g_mutex_clear (&self->in_flight_lock);

  G_OBJECT_CLASS (pd_usb_device_parent_class)->finalize (object);
}

static void
pd_usb_device_class_init (PdUsbDeviceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pd_usb_device_finalize;
}

static void
pd_usb_device_init (PdUsbDevice *self)
{
  g_rw_lock_init (&self->lock);
  g_mutex_init (&self->in_flight_lock);
  self->in_flight = g_ptr_array_new ();
  self->interface_number = -1;
}

static char *
make_port_path (libusb_device *device)
{
  guint8 ports[MAX_PORT_DEPTH];
  int depth = libusb_get_port_numbers (device, ports, G_N_ELEMENTS (ports));
  GString *path = g_string_new (NULL);

  g_string_printf (path, "%u", libusb_get_bus_number (device));
  for (int i = 0; i < depth; i++)
    g_string_append_printf (path, i == 0 ? "-%u" : ".%u", ports[i]);
  return g_string_free (path, FALSE);
}

PdUsbDevice *
pd_usb_device_new (PdUsbContext  *context,
                   libusb_device *device)
{
  PdUsbDevice *self;

  g_return_val_if_fail (PD_IS_USB_CONTEXT (context), NULL);
  g_return_val_if_fail (device != NULL, NULL);

  self = g_object_new (PD_TYPE_USB_DEVICE, NULL);
  self->context = g_object_ref (context);
  self->device = libusb_ref_device (device);
  /* Cached by libusb since enumeration: no I/O. */
  libusb_get_device_descriptor (device, &self->descriptor);
  self->port_path = make_port_path (device);
  return self;
}

libusb_device *
pd_usb_device_get_libusb (PdUsbDevice *self)
{
  g_return_val_if_fail (PD_IS_USB_DEVICE (self), NULL);
  return self->device;
}

guint16
pd_usb_device_get_vendor_id (PdUsbDevice *self)
{
  g_return_val_if_fail (PD_IS_USB_DEVICE (self), 0);
  return self->descriptor.idVendor;
}

guint16
pd_usb_device_get_product_id (PdUsbDevice *self)
{
  g_return_val_if_fail (PD_IS_USB_DEVICE (self), 0);
  return self->descriptor.idProduct;
}

const char *
pd_usb_device_get_port_path (PdUsbDevice *self)
{
  g_return_val_if_fail (PD_IS_USB_DEVICE (self), NULL);
  return self->port_path;
}

char *
pd_usb_device_dup_serial (PdUsbDevice *self)
{
  char *serial;

  g_return_val_if_fail (PD_IS_USB_DEVICE (self), NULL);

  /* A copy: closing on another thread frees the device's own. */
  g_rw_lock_reader_lock (&self->lock);
  serial = g_strdup (self->serial);
  g_rw_lock_reader_unlock (&self->lock);
  return serial;
}

/* The bulk endpoints of the interface's first alternate setting, from the descriptors; for an
 * interface without bulk IN, its interrupt IN instead. */
static gboolean
find_bulk_endpoints (PdUsbDevice  *self,
                     GError      **error)
{
  struct libusb_config_descriptor *config = NULL;
  int rc = libusb_get_active_config_descriptor (self->device, &config);
  guint8 interrupt_in = 0;

  if (rc != LIBUSB_SUCCESS)
    {
      pd_usb_set_error_from_libusb (error, rc, "reading the configuration");
      return FALSE;
    }

  for (guint i = 0; i < config->bNumInterfaces; i++)
    {
      const struct libusb_interface_descriptor *setting = &config->interface[i].altsetting[0];

      if (config->interface[i].num_altsetting < 1 ||
          setting->bInterfaceNumber != self->interface_number)
        continue;

      for (guint e = 0; e < setting->bNumEndpoints; e++)
        {
          const struct libusb_endpoint_descriptor *endpoint = &setting->endpoint[e];

          gboolean in = (endpoint->bEndpointAddress & LIBUSB_ENDPOINT_DIR_MASK) ==
                        LIBUSB_ENDPOINT_IN;
          guint8 type = endpoint->bmAttributes & 0x03;

          if (type == LIBUSB_TRANSFER_TYPE_INTERRUPT && in && interrupt_in == 0)
            interrupt_in = endpoint->bEndpointAddress;
          if (type != LIBUSB_TRANSFER_TYPE_BULK)
            continue;
          if (in)
            self->bulk_in = self->bulk_in ? self->bulk_in : endpoint->bEndpointAddress;
          else
            self->bulk_out = self->bulk_out ? self->bulk_out : endpoint->bEndpointAddress;
        }
    }
  libusb_free_config_descriptor (config);

  /* A device that only reports (a HID barcode scanner) reads from its interrupt IN. */
  self->in_is_interrupt = self->bulk_in == 0 && interrupt_in != 0;
  if (self->in_is_interrupt)
    self->bulk_in = interrupt_in;
  if (self->bulk_out == 0 && !self->in_is_interrupt)
    {
      g_set_error (error, PD_USB_ERROR, PD_USB_ERROR_NOT_SUPPORTED,
                   _("The USB device %04x:%04x has no bulk OUT endpoint on interface %d."),
                   self->descriptor.idVendor, self->descriptor.idProduct,
                   self->interface_number);
      return FALSE;
    }
  return TRUE;
}

static char *
read_serial (libusb_device_handle *handle,
             guint8                index)
{
  unsigned char serial[128];
  int length;

  if (index == 0)
    return NULL;
  length = libusb_get_string_descriptor_ascii (handle, index, serial, sizeof serial - 1);
  if (length <= 0)
    return NULL;
  return g_strndup ((const char *) serial, length);
}

static void
close_locked (PdUsbDevice *self)
{
  if (self->handle == NULL)
    return;

  /* With auto-detach on, releasing also gives the interface back to the kernel driver. */
  libusb_release_interface (self->handle, self->interface_number);
  libusb_close (g_steal_pointer (&self->handle));
  self->interface_number = -1;
  self->bulk_in = self->bulk_out = 0;
  self->in_is_interrupt = FALSE;
  self->detached_kernel_driver = FALSE;
  g_clear_pointer (&self->serial, g_free);
}

static gboolean
open_locked (PdUsbDevice  *self,
             int           interface_number,
             GError      **error)
{
  int rc = libusb_open (self->device, &self->handle);

  if (rc != LIBUSB_SUCCESS)
    {
      self->handle = NULL;
      pd_usb_set_error_from_libusb (error, rc, "opening");
      return FALSE;
    }
  self->interface_number = interface_number;

  /* usblp binds to every printer-class interface; take it for as long as we are open. */
  libusb_set_auto_detach_kernel_driver (self->handle, 1);
  self->detached_kernel_driver = libusb_kernel_driver_active (self->handle, interface_number) == 1;

  rc = libusb_claim_interface (self->handle, interface_number);
  if (rc != LIBUSB_SUCCESS)
    {
      libusb_close (g_steal_pointer (&self->handle));
      self->detached_kernel_driver = FALSE;
      pd_usb_set_error_from_libusb (error, rc, "claiming the interface");
      return FALSE;
    }

  if (!find_bulk_endpoints (self, error))
    {
      close_locked (self);
      return FALSE;
    }

  self->serial = read_serial (self->handle, self->descriptor.iSerialNumber);
  return TRUE;
}

/* The writer side, after cancelling what holds the reader side: the transfers end within
 * the event thread's next round instead of at their timeouts. While closing is set no new
 * transfer starts, so a worker's next transfer cannot keep the writer waiting either. */
static void
writer_lock_cancelling (PdUsbDevice *self)
{
  g_mutex_lock (&self->in_flight_lock);
  self->closing++;
  for (guint i = 0; i < self->in_flight->len; i++)
    libusb_cancel_transfer (g_ptr_array_index (self->in_flight, i));
  g_mutex_unlock (&self->in_flight_lock);

  g_rw_lock_writer_lock (&self->lock);
}

static void
writer_unlock_cancelling (PdUsbDevice *self)
{
  /* Before the writer side goes: a transfer waiting for the reader side then finds the
   * device as this left it, not refused. */
  g_mutex_lock (&self->in_flight_lock);
  self->closing--;
  g_mutex_unlock (&self->in_flight_lock);

  g_rw_lock_writer_unlock (&self->lock);
}

gboolean
pd_usb_device_open (PdUsbDevice  *self,
                    int           interface_number,
                    GError      **error)
{
  gboolean opened;

  g_return_val_if_fail (PD_IS_USB_DEVICE (self), FALSE);
  g_return_val_if_fail (interface_number >= 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  writer_lock_cancelling (self);
  close_locked (self);
  opened = open_locked (self, interface_number, error);
  writer_unlock_cancelling (self);
  return opened;
}

void
pd_usb_device_close (PdUsbDevice *self)
{
  g_return_if_fail (PD_IS_USB_DEVICE (self));

  writer_lock_cancelling (self);
  close_locked (self);
  writer_unlock_cancelling (self);
}

gboolean
pd_usb_device_is_open (PdUsbDevice *self)
{
  gboolean open;

  g_return_val_if_fail (PD_IS_USB_DEVICE (self), FALSE);

  g_rw_lock_reader_lock (&self->lock);
  open = self->handle != NULL;
  g_rw_lock_reader_unlock (&self->lock);
  return open;
}

int
pd_usb_device_get_interface (PdUsbDevice *self)
{
  int value;

  g_return_val_if_fail (PD_IS_USB_DEVICE (self), -1);

  g_rw_lock_reader_lock (&self->lock);
  value = self->interface_number;
  g_rw_lock_reader_unlock (&self->lock);
  return value;
}

guint8
pd_usb_device_get_bulk_in (PdUsbDevice *self)
{
  guint8 value;

  g_return_val_if_fail (PD_IS_USB_DEVICE (self), 0);

  g_rw_lock_reader_lock (&self->lock);
  value = self->bulk_in;
  g_rw_lock_reader_unlock (&self->lock);
  return value;
}

guint8
pd_usb_device_get_bulk_out (PdUsbDevice *self)
{
  guint8 value;

  g_return_val_if_fail (PD_IS_USB_DEVICE (self), 0);

  g_rw_lock_reader_lock (&self->lock);
  value = self->bulk_out;
  g_rw_lock_reader_unlock (&self->lock);
  return value;
}

gboolean
pd_usb_device_get_detached_kernel_driver (PdUsbDevice *self)
{
  gboolean detached;

  g_return_val_if_fail (PD_IS_USB_DEVICE (self), FALSE);

  g_rw_lock_reader_lock (&self->lock);
  detached = self->detached_kernel_driver;
  g_rw_lock_reader_unlock (&self->lock);
  return detached;
}

typedef struct {
  GMutex lock;
  GCond cond;
  gboolean done;
} Completion;

static void LIBUSB_CALL
on_transfer_done (struct libusb_transfer *transfer)
{
  Completion *completion = transfer->user_data;

  g_mutex_lock (&completion->lock);
  completion->done = TRUE;
  g_cond_signal (&completion->cond);
  g_mutex_unlock (&completion->lock);
}

static void
on_cancelled (GCancellable *cancellable,
              gpointer      transfer)
{
  libusb_cancel_transfer (transfer);
}

static gboolean
check_transfer_status (struct libusb_transfer  *transfer,
                       GCancellable            *cancellable,
                       GError                 **error)
{
  switch (transfer->status)
    {
    case LIBUSB_TRANSFER_COMPLETED:
      return TRUE;
    case LIBUSB_TRANSFER_CANCELLED:
      if (!g_cancellable_set_error_if_cancelled (cancellable, error))
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The USB transfer was cancelled."));
      return FALSE;
    case LIBUSB_TRANSFER_TIMED_OUT:
      pd_usb_set_error_from_libusb (error, LIBUSB_ERROR_TIMEOUT, "bulk transfer");
      return FALSE;
    case LIBUSB_TRANSFER_NO_DEVICE:
      pd_usb_set_error_from_libusb (error, LIBUSB_ERROR_NO_DEVICE, "bulk transfer");
      return FALSE;
    case LIBUSB_TRANSFER_STALL:
      pd_usb_set_error_from_libusb (error, LIBUSB_ERROR_PIPE, "bulk transfer");
      return FALSE;
    default:
      pd_usb_set_error_from_libusb (error, LIBUSB_ERROR_IO, "bulk transfer");
      return FALSE;
    }
}

/* An asynchronous libusb transfer waited for: the event thread completes it, a timeout or
 * the cancellable ends it. */
static gboolean
run_transfer_locked (PdUsbDevice   *self,
                     guint8         endpoint,
                     guint8        *buffer,
                     gsize          length,
                     guint          timeout_ms,
                     GCancellable  *cancellable,
                     gsize         *actual_length,
                     GError       **error)
{
  struct libusb_transfer *transfer = libusb_alloc_transfer (0);
  Completion completion = { 0 };
  gulong cancel_handler = 0;
  gboolean ok;
  int rc;

  *actual_length = 0;
  if (transfer == NULL)
    {
      pd_usb_set_error_from_libusb (error, LIBUSB_ERROR_NO_MEM, "allocating a transfer");
      return FALSE;
    }

  g_mutex_init (&completion.lock);
  g_cond_init (&completion.cond);
  libusb_fill_bulk_transfer (transfer, self->handle, endpoint, buffer, (int) length,
                             on_transfer_done, &completion, timeout_ms);
  if (self->in_is_interrupt && endpoint == self->bulk_in)
    transfer->type = LIBUSB_TRANSFER_TYPE_INTERRUPT;

  /* Submitted under in_flight_lock, so that a close either sees it or comes first. */
  g_mutex_lock (&self->in_flight_lock);
  if (self->closing > 0)
    rc = LIBUSB_ERROR_INTERRUPTED;
  else
    rc = libusb_submit_transfer (transfer);
  if (rc == LIBUSB_SUCCESS)
    g_ptr_array_add (self->in_flight, transfer);
  g_mutex_unlock (&self->in_flight_lock);

  if (rc == LIBUSB_SUCCESS)
    {
      if (cancellable != NULL)
        cancel_handler = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled),
                                                transfer, NULL);
      g_mutex_lock (&completion.lock);
      while (!completion.done)
        g_cond_wait (&completion.cond, &completion.lock);
      g_mutex_unlock (&completion.lock);
      g_cancellable_disconnect (cancellable, cancel_handler);
      g_mutex_lock (&self->in_flight_lock);
      g_ptr_array_remove_fast (self->in_flight, transfer);
      g_mutex_unlock (&self->in_flight_lock);

      *actual_length = transfer->actual_length;
      ok = check_transfer_status (transfer, cancellable, error);
    }
  else if (rc == LIBUSB_ERROR_INTERRUPTED)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                   _("The USB transfer was cancelled: the device is being closed."));
      ok = FALSE;
    }
  else
    {
      pd_usb_set_error_from_libusb (error, rc, "submitting a transfer");
      ok = FALSE;
    }

  libusb_free_transfer (transfer);
  g_cond_clear (&completion.cond);
  g_mutex_clear (&completion.lock);
  return ok;
}

static gboolean
check_open_locked (PdUsbDevice  *self,
                   guint8        endpoint,
                   GError      **error)
{
  if (self->handle == NULL)
    {
      g_set_error (error, PD_USB_ERROR, PD_USB_ERROR_NOT_OPEN, _("The USB device is not open."));
      return FALSE;
    }
  if (endpoint == 0)
    {
      g_set_error (error, PD_USB_ERROR, PD_USB_ERROR_NOT_SUPPORTED,
                   _("The USB device cannot send data back."));
      return FALSE;
    }
  return TRUE;
}

gboolean
pd_usb_device_write_partial (PdUsbDevice   *self,
                             const guint8  *data,
                             gsize          length,
                             guint          timeout_ms,
                             gsize         *written,
                             GCancellable  *cancellable,
                             GError       **error)
{
  g_autofree guint8 *copy = NULL;
  gboolean ok;

  g_return_val_if_fail (PD_IS_USB_DEVICE (self), FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (length <= G_MAXINT, FALSE);
  g_return_val_if_fail (written != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *written = 0;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  /* libusb takes a mutable buffer even for OUT transfers. */
  copy = g_memdup2 (data, length);
  g_rw_lock_reader_lock (&self->lock);
  ok = check_open_locked (self, self->bulk_out, error) &&
       run_transfer_locked (self, self->bulk_out, copy, length, timeout_ms, cancellable,
                            written, error);
  g_rw_lock_reader_unlock (&self->lock);

  if (ok && *written != length)
    {
      g_set_error (error, PD_USB_ERROR, PD_USB_ERROR_FAILED,
                   /* TRANSLATORS: bytes accepted by a printer, of those sent. */
                   _("The USB device took %lu of %lu bytes."), (gulong) *written,
                   (gulong) length);
      return FALSE;
    }
  return ok;
}

gboolean
pd_usb_device_write (PdUsbDevice   *self,
                     const guint8  *data,
                     gsize          length,
                     guint          timeout_ms,
                     GCancellable  *cancellable,
                     GError       **error)
{
  gsize written;

  return pd_usb_device_write_partial (self, data, length, timeout_ms, &written, cancellable,
                                      error);
}

GBytes *
pd_usb_device_read (PdUsbDevice   *self,
                    gsize          max_length,
                    guint          timeout_ms,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autofree guint8 *buffer = NULL;
  gsize received = 0;
  gboolean ok;

  g_return_val_if_fail (PD_IS_USB_DEVICE (self), NULL);
  g_return_val_if_fail (max_length > 0 && max_length <= G_MAXINT, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  buffer = g_malloc0 (max_length);
  g_rw_lock_reader_lock (&self->lock);
  ok = check_open_locked (self, self->bulk_in, error) &&
       run_transfer_locked (self, self->bulk_in, buffer, max_length, timeout_ms, cancellable,
                            &received, error);
  g_rw_lock_reader_unlock (&self->lock);

  if (!ok)
    return NULL;
  return g_bytes_new (buffer, received);
}

typedef struct {
  GBytes *data;
  gsize max_length;
  guint timeout_ms;
} TransferRequest;

static void
transfer_request_free (gpointer data)
{
  TransferRequest *request = data;

  g_clear_pointer (&request->data, g_bytes_unref);
  g_free (request);
}

static void
write_in_thread (GTask        *task,
                 gpointer      source,
                 gpointer      data,
                 GCancellable *cancellable)
{
  TransferRequest *request = data;
  GError *error = NULL;
  gsize length = 0;
  const guint8 *bytes = g_bytes_get_data (request->data, &length);

  if (pd_usb_device_write (source, bytes, length, request->timeout_ms, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Long enough for a packet already on its way, short enough to add little to a request. */
#define DRAIN_WAIT_MS 10
#define DRAIN_MAX_PACKETS 16

gboolean
pd_usb_device_drain (PdUsbDevice   *self,
                     gsize         *discarded,
                     GCancellable  *cancellable,
                     GError       **error)
{
  gsize total = 0;

  g_return_val_if_fail (PD_IS_USB_DEVICE (self), FALSE);

  for (guint i = 0; i < DRAIN_MAX_PACKETS; i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GBytes) stale = pd_usb_device_read (self, 512, DRAIN_WAIT_MS, cancellable,
                                                    &local_error);

      if (stale == NULL)
        {
          if (!g_error_matches (local_error, PD_USB_ERROR, PD_USB_ERROR_TIMEOUT))
            return g_propagate_error (error, g_steal_pointer (&local_error)), FALSE;
          break;
        }
      total += g_bytes_get_size (stale);
    }

  if (discarded != NULL)
    *discarded = total;
  return TRUE;
}

void
pd_usb_device_write_async (PdUsbDevice        *self,
                           GBytes             *data,
                           guint               timeout_ms,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  TransferRequest *request;

  g_return_if_fail (PD_IS_USB_DEVICE (self));
  g_return_if_fail (data != NULL);

  request = g_new0 (TransferRequest, 1);
  request->data = g_bytes_ref (data);
  request->timeout_ms = timeout_ms;
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pd_usb_device_write_async);
  g_task_set_task_data (task, request, transfer_request_free);
  g_task_run_in_thread (task, write_in_thread);
}

gboolean
pd_usb_device_write_finish (PdUsbDevice   *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
read_in_thread (GTask        *task,
                gpointer      source,
                gpointer      data,
                GCancellable *cancellable)
{
  TransferRequest *request = data;
  GError *error = NULL;
  GBytes *bytes = pd_usb_device_read (source, request->max_length, request->timeout_ms,
                                      cancellable, &error);

  if (bytes != NULL)
    g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
  else
    g_task_return_error (task, error);
}

void
pd_usb_device_read_async (PdUsbDevice        *self,
                          gsize               max_length,
                          guint               timeout_ms,
                          GCancellable       *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  TransferRequest *request;

  g_return_if_fail (PD_IS_USB_DEVICE (self));
  g_return_if_fail (max_length > 0);

  request = g_new0 (TransferRequest, 1);
  request->max_length = max_length;
  request->timeout_ms = timeout_ms;
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pd_usb_device_read_async);
  g_task_set_task_data (task, request, transfer_request_free);
  g_task_run_in_thread (task, read_in_thread);
}

GBytes *
pd_usb_device_read_finish (PdUsbDevice   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
