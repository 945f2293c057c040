#include <errno.h>
#include <string.h>

#include <sys/ioctl.h>
#include <linux/usb/ch9.h>
#include <linux/usbdevice_fs.h>

#include "pd-virtual-usb-device.h"

#define USB_REQUEST_GET_DESCRIPTOR 0x06
#define USB_DESCRIPTOR_STRING 0x03
#define SETUP_LENGTH 8

typedef struct {
  UMockdevTestbed *testbed;
  char *devnode;
  char *sysfs_path;
  guint devnum;
  char *descriptors_hex;
  char *product;
  char *serial;
  gboolean kernel_drivers;
  gboolean plugged;
  gboolean unplugged_files;

  GMutex lock;
  char *kernel_driver;
  char *detached_driver;
  gboolean detachable;
  gboolean claimed;
  /* Being unplugged: URBs are refused from then on, as the kernel's. */
  gboolean gone;
  guint reattached;
  GByteArray *received;
  GQueue answers;        /* GBytes for IN transfers */
  GQueue waiting_in;     /* UMockdevIoctlData: IN URBs with nothing to send yet */
  GQueue reapable;       /* UMockdevIoctlData: finished URBs for the next reap */
  GQueue waiting_out;    /* PdVirtualUsbPendingOut: OUT URBs the device holds back */
} PdVirtualUsbDevicePrivate;

G_DEFINE_TYPE_WITH_PRIVATE (PdVirtualUsbDevice, pd_virtual_usb_device, UMOCKDEV_TYPE_IOCTL_BASE)

#define PRIV(self) ((PdVirtualUsbDevicePrivate *) pd_virtual_usb_device_get_instance_private (self))

static struct usbdevfs_urb *
urb_of (UMockdevIoctlData *urb_data)
{
  return (struct usbdevfs_urb *) urb_data->data;
}

UMockdevIoctlData *
pd_virtual_usb_device_urb_buffer (UMockdevIoctlData *urb_data)
{
  return umockdev_ioctl_data_resolve (urb_data, G_STRUCT_OFFSET (struct usbdevfs_urb, buffer),
                                      urb_of (urb_data)->buffer_length, NULL);
}

void
pd_virtual_usb_pending_out_free (PdVirtualUsbPendingOut *pending)
{
  umockdev_ioctl_data_unref (pending->urb_data);
  g_free (pending);
}

/* Writes the URB (and for IN, its buffer) back to libusb when it is reaped. */
static void
finish_urb_locked (PdVirtualUsbDevice *self,
                   UMockdevIoctlData  *urb_data,
                   int                 status,
                   const guint8       *in_data,
                   gsize               in_length,
                   gsize               in_offset)
{
  struct usbdevfs_urb urb = *urb_of (urb_data);

  if (in_data != NULL && in_length > 0)
    {
      g_autoptr(UMockdevIoctlData) buffer = pd_virtual_usb_device_urb_buffer (urb_data);

      umockdev_ioctl_data_update (buffer, in_offset, (guint8 *) in_data, (gint) in_length);
      urb.actual_length = (int) in_length;
    }
  else if (status == 0 && !(urb.endpoint & USB_DIR_IN))
    urb.actual_length = urb.buffer_length;
  else
    urb.actual_length = 0;

  urb.status = status;
  urb.buffer = urb_of (urb_data)->buffer;
  umockdev_ioctl_data_update (urb_data, 0, (guint8 *) &urb, sizeof urb);
  g_queue_push_tail (&PRIV (self)->reapable, umockdev_ioctl_data_ref (urb_data));
}

/* A discarded OUT URB reports the bytes the device had already taken, as usbfs does. */
static void
set_out_taken_locked (UMockdevIoctlData *urb_data,
                      gsize              taken)
{
  struct usbdevfs_urb urb = *urb_of (urb_data);

  urb.actual_length = (int) taken;
  umockdev_ioctl_data_update (urb_data, 0, (guint8 *) &urb, sizeof urb);
}

void
pd_virtual_usb_device_finish_urb_locked (PdVirtualUsbDevice *self,
                                         UMockdevIoctlData  *urb_data,
                                         int                 status)
{
  finish_urb_locked (self, urb_data, status, NULL, 0, 0);
}

static void
serve_waiting_in_locked (PdVirtualUsbDevice *self)
{
  PdVirtualUsbDevicePrivate *priv = PRIV (self);

  while (!g_queue_is_empty (&priv->waiting_in) && !g_queue_is_empty (&priv->answers))
    {
      g_autoptr(UMockdevIoctlData) urb_data = g_queue_pop_head (&priv->waiting_in);
      g_autoptr(GBytes) answer = g_queue_pop_head (&priv->answers);
      gsize length = 0;
      const guint8 *bytes = g_bytes_get_data (answer, &length);

      length = MIN (length, (gsize) urb_of (urb_data)->buffer_length);
      finish_urb_locked (self, urb_data, 0, bytes, length, 0);
    }
}

void
pd_virtual_usb_device_answer_locked (PdVirtualUsbDevice *self,
                                     const guint8       *data,
                                     gsize               length)
{
  g_queue_push_tail (&PRIV (self)->answers, g_bytes_new (data, length));
  serve_waiting_in_locked (self);
}

void
pd_virtual_usb_device_record_locked (PdVirtualUsbDevice *self,
                                     const guint8       *data,
                                     gsize               length)
{
  g_byte_array_append (PRIV (self)->received, data, (guint) length);
}

void
pd_virtual_usb_device_hold_out_locked (PdVirtualUsbDevice *self,
                                       UMockdevIoctlData  *urb_data)
{
  PdVirtualUsbPendingOut *pending = g_new0 (PdVirtualUsbPendingOut, 1);

  pending->urb_data = umockdev_ioctl_data_ref (urb_data);
  g_queue_push_tail (&PRIV (self)->waiting_out, pending);
}

GQueue *
pd_virtual_usb_device_get_waiting_out (PdVirtualUsbDevice *self)
{
  return &PRIV (self)->waiting_out;
}

/* String descriptors: 0 the language list, 1 manufacturer, 2 product, 3 serial. */
static GBytes *
string_descriptor (PdVirtualUsbDevice *self,
                   guint               index)
{
  PdVirtualUsbDevicePrivate *priv = PRIV (self);
  const char *text = index == 1 ? "Paydesk" : index == 2 ? priv->product : priv->serial;
  GByteArray *descriptor = g_byte_array_new ();
  guint8 header[2] = { 0, USB_DESCRIPTOR_STRING };

  g_byte_array_append (descriptor, header, 2);
  if (index == 0)
    g_byte_array_append (descriptor, (const guint8 *) "\x09\x04", 2);
  else
    for (const char *c = text; *c != '\0'; c++)
      g_byte_array_append (descriptor, (const guint8[]) { (guint8) *c, 0 }, 2);
  descriptor->data[0] = (guint8) descriptor->len;
  return g_byte_array_free_to_bytes (descriptor);
}

static void
submit_control_locked (PdVirtualUsbDevice *self,
                       UMockdevIoctlData  *urb_data)
{
  g_autoptr(UMockdevIoctlData) buffer = pd_virtual_usb_device_urb_buffer (urb_data);
  const guint8 *setup = buffer->data;
  g_autoptr(GBytes) reply = NULL;
  gsize length = 0;
  const guint8 *bytes;
  guint requested;

  if (setup[1] != USB_REQUEST_GET_DESCRIPTOR || setup[3] != USB_DESCRIPTOR_STRING ||
      setup[2] > 3)
    {
      finish_urb_locked (self, urb_data, -EPIPE, NULL, 0, 0);
      return;
    }

  reply = string_descriptor (self, setup[2]);
  bytes = g_bytes_get_data (reply, &length);
  requested = setup[6] | (setup[7] << 8);
  finish_urb_locked (self, urb_data, 0, bytes, MIN (length, requested), SETUP_LENGTH);
}

static void
submit_bulk_locked (PdVirtualUsbDevice *self,
                    UMockdevIoctlData  *urb_data)
{
  g_autoptr(UMockdevIoctlData) buffer = NULL;

  if (urb_of (urb_data)->endpoint & USB_DIR_IN)
    {
      /* Resolved now, while the client waits in SUBMITURB: its memory can be read only then,
       * and the answer may come later from another thread (resolving again finds this). */
      buffer = pd_virtual_usb_device_urb_buffer (urb_data);
      g_queue_push_tail (&PRIV (self)->waiting_in, umockdev_ioctl_data_ref (urb_data));
      serve_waiting_in_locked (self);
      return;
    }

  buffer = pd_virtual_usb_device_urb_buffer (urb_data);
  PD_VIRTUAL_USB_DEVICE_GET_CLASS (self)->bulk_out (self, urb_data,
                                                    buffer != NULL ? buffer->data : NULL,
                                                    buffer != NULL ? buffer->data_len : 0);
}

static int
submit_urb_locked (PdVirtualUsbDevice *self,
                   UMockdevIoctlData  *arg)
{
  g_autoptr(UMockdevIoctlData) urb_data =
    umockdev_ioctl_data_resolve (arg, 0, sizeof (struct usbdevfs_urb), NULL);
  guint8 type = urb_of (urb_data)->type;

  /* One submitted after the unplug ended those in flight would wait for a reap that never
   * comes once the handler is gone. */
  if (PRIV (self)->gone)
    return ENODEV;
  if (type == USBDEVFS_URB_TYPE_CONTROL)
    submit_control_locked (self, urb_data);
  /* An interrupt IN takes the queued answers as a bulk IN does (a HID device's reports). */
  else if ((type == USBDEVFS_URB_TYPE_BULK || type == USBDEVFS_URB_TYPE_INTERRUPT) &&
           PRIV (self)->claimed)
    submit_bulk_locked (self, urb_data);
  else
    return EINVAL;
  return 0;
}

static int
reap_urb_locked (PdVirtualUsbDevice *self,
                 UMockdevIoctlData  *arg)
{
  g_autoptr(UMockdevIoctlData) urb_data = g_queue_pop_head (&PRIV (self)->reapable);
  g_autoptr(UMockdevIoctlData) pointer = NULL;

  if (urb_data == NULL)
    return EAGAIN;

  pointer = umockdev_ioctl_data_resolve (arg, 0, sizeof (gpointer), NULL);
  umockdev_ioctl_data_set_ptr (pointer, 0, urb_data);
  return 0;
}

/* A GCompareFunc: 0 for the URB at that address in the client. */
static int
compare_client_urb (gconstpointer urb_data,
                    gconstpointer client_address)
{
  return ((const UMockdevIoctlData *) urb_data)->client_addr != (gulong) client_address;
}

/* A cancelled or timed-out transfer: reaped with -ENOENT as the kernel does. */
static int
discard_urb_locked (PdVirtualUsbDevice *self,
                    UMockdevIoctlData  *arg)
{
  PdVirtualUsbDevicePrivate *priv = PRIV (self);
  gulong client_address = *(gulong *) arg->data;
  GList *link = g_queue_find_custom (&priv->waiting_in, (gconstpointer) client_address,
                                     compare_client_urb);
  g_autoptr(UMockdevIoctlData) urb_data = NULL;

  if (link != NULL)
    {
      urb_data = link->data;
      g_queue_delete_link (&priv->waiting_in, link);
      finish_urb_locked (self, urb_data, -ENOENT, NULL, 0, 0);
      return 0;
    }

  for (link = priv->waiting_out.head; link != NULL; link = link->next)
    {
      PdVirtualUsbPendingOut *pending = link->data;

      if (compare_client_urb (pending->urb_data, (gconstpointer) client_address) != 0)
        continue;
      /* What the device took stays taken, and the kernel says how much; the rest of the
       * URB is dropped. */
      g_queue_delete_link (&priv->waiting_out, link);
      finish_urb_locked (self, pending->urb_data, -ENOENT, NULL, 0, 0);
      set_out_taken_locked (pending->urb_data, pending->consumed);
      pd_virtual_usb_pending_out_free (pending);
      return 0;
    }

  /* Already finished: libusb then reaps it as it is. */
  return EINVAL;
}

static int
get_driver_locked (PdVirtualUsbDevice *self,
                   UMockdevIoctlData  *arg)
{
  PdVirtualUsbDevicePrivate *priv = PRIV (self);
  g_autoptr(UMockdevIoctlData) data = NULL;
  struct usbdevfs_getdriver getdriver;
  const char *driver = priv->claimed ? "usbfs" : priv->kernel_driver;

  if (!priv->kernel_drivers || driver == NULL)
    return ENODATA;
  data = umockdev_ioctl_data_resolve (arg, 0, sizeof (struct usbdevfs_getdriver), NULL);
  getdriver = *(struct usbdevfs_getdriver *) data->data;
  g_strlcpy (getdriver.driver, driver, sizeof getdriver.driver);
  umockdev_ioctl_data_update (data, 0, (guint8 *) &getdriver, sizeof getdriver);
  return 0;
}

static int
claim_locked (PdVirtualUsbDevice *self,
              gboolean            detach)
{
  PdVirtualUsbDevicePrivate *priv = PRIV (self);

  if (priv->kernel_driver != NULL && !detach)
    return EBUSY;
  if (priv->kernel_driver != NULL && !priv->detachable)
    return EBUSY;
  if (priv->kernel_driver != NULL)
    priv->detached_driver = g_steal_pointer (&priv->kernel_driver);
  priv->claimed = TRUE;
  return 0;
}

/* USBDEVFS_IOCTL carries the driver ioctls: disconnect and connect the kernel driver. */
static int
driver_ioctl_locked (PdVirtualUsbDevice *self,
                     UMockdevIoctlData  *arg)
{
  PdVirtualUsbDevicePrivate *priv = PRIV (self);
  g_autoptr(UMockdevIoctlData) data = NULL;
  const struct usbdevfs_ioctl *command;

  if (!priv->kernel_drivers)
    return ENOTTY;
  data = umockdev_ioctl_data_resolve (arg, 0, sizeof (struct usbdevfs_ioctl), NULL);
  command = (const struct usbdevfs_ioctl *) data->data;
  if (command->ioctl_code == (int) USBDEVFS_DISCONNECT)
    {
      if (priv->kernel_driver == NULL)
        return ENODATA;
      if (!priv->detachable)
        return EBUSY;
      priv->detached_driver = g_steal_pointer (&priv->kernel_driver);
      return 0;
    }
  if (command->ioctl_code == (int) USBDEVFS_CONNECT)
    {
      if (priv->claimed || priv->detached_driver == NULL)
        return priv->claimed ? EBUSY : ENODATA;
      priv->kernel_driver = g_steal_pointer (&priv->detached_driver);
      priv->reattached++;
      return 0;
    }
  return ENOTTY;
}

static int
get_capabilities (UMockdevIoctlData *arg)
{
  g_autoptr(UMockdevIoctlData) data = umockdev_ioctl_data_resolve (arg, 0, sizeof (guint32), NULL);
  guint32 caps = USBDEVFS_CAP_BULK_SCATTER_GATHER | USBDEVFS_CAP_NO_PACKET_SIZE_LIM |
                 USBDEVFS_CAP_REAP_AFTER_DISCONNECT | USBDEVFS_CAP_ZERO_PACKET;

  umockdev_ioctl_data_update (data, 0, (guint8 *) &caps, sizeof caps);
  return 0;
}

static int
handle_request_locked (PdVirtualUsbDevice *self,
                       gulong              request,
                       UMockdevIoctlData  *arg)
{
  switch (request)
    {
    case USBDEVFS_GET_CAPABILITIES:
      return get_capabilities (arg);
    case USBDEVFS_SUBMITURB:
      return submit_urb_locked (self, arg);
    case USBDEVFS_REAPURB:
    case USBDEVFS_REAPURBNDELAY:
      return reap_urb_locked (self, arg);
    case USBDEVFS_DISCARDURB:
      return discard_urb_locked (self, arg);
    case USBDEVFS_GETDRIVER:
      return get_driver_locked (self, arg);
    case USBDEVFS_CLAIMINTERFACE:
      return claim_locked (self, FALSE);
    case USBDEVFS_DISCONNECT_CLAIM:
      return claim_locked (self, TRUE);
    case USBDEVFS_RELEASEINTERFACE:
      PRIV (self)->claimed = FALSE;
      return 0;
    case USBDEVFS_IOCTL:
      return driver_ioctl_locked (self, arg);
    case USBDEVFS_CLEAR_HALT:
    case USBDEVFS_RESETEP:
    case USBDEVFS_RESET:
    case USBDEVFS_SETINTERFACE:
      return 0;
    default:
      return ENOTTY;
    }
}

static gboolean
pd_virtual_usb_device_handle_ioctl (UMockdevIoctlBase   *base,
                                    UMockdevIoctlClient *client)
{
  PdVirtualUsbDevice *self = PD_VIRTUAL_USB_DEVICE (base);
  int error;

  pd_virtual_usb_device_lock (self);
  error = handle_request_locked (self, umockdev_ioctl_client_get_request (client),
                                 umockdev_ioctl_client_get_arg (client));
  pd_virtual_usb_device_unlock (self);

  umockdev_ioctl_client_complete (client, error == 0 ? 0 : -1, error);
  return TRUE;
}

static void
clear_transfers_locked (PdVirtualUsbDevicePrivate *priv)
{
  g_queue_clear_full (&priv->waiting_in, (GDestroyNotify) umockdev_ioctl_data_unref);
  g_queue_clear_full (&priv->reapable, (GDestroyNotify) umockdev_ioctl_data_unref);
  g_queue_clear_full (&priv->waiting_out, (GDestroyNotify) pd_virtual_usb_pending_out_free);
}

static void
pd_virtual_usb_device_finalize (GObject *object)
{
  PdVirtualUsbDevicePrivate *priv = PRIV (PD_VIRTUAL_USB_DEVICE (object));

  g_clear_object (&priv->testbed);
  g_free (priv->devnode);
  g_free (priv->sysfs_path);
  g_free (priv->descriptors_hex);
  g_free (priv->product);
  g_free (priv->serial);
  g_free (priv->kernel_driver);
  g_free (priv->detached_driver);
  g_byte_array_unref (priv->received);
  g_queue_clear_full (&priv->answers, (GDestroyNotify) g_bytes_unref);
  clear_transfers_locked (priv);
  g_mutex_clear (&priv->lock);

  G_OBJECT_CLASS (pd_virtual_usb_device_parent_class)->finalize (object);
}

static void
pd_virtual_usb_device_class_init (PdVirtualUsbDeviceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pd_virtual_usb_device_finalize;
  UMOCKDEV_IOCTL_BASE_CLASS (klass)->handle_ioctl = pd_virtual_usb_device_handle_ioctl;
}

static void
pd_virtual_usb_device_init (PdVirtualUsbDevice *self)
{
  PdVirtualUsbDevicePrivate *priv = PRIV (self);

  g_mutex_init (&priv->lock);
  priv->received = g_byte_array_new ();
}

void
pd_virtual_usb_device_setup (PdVirtualUsbDevice *self,
                             UMockdevTestbed    *testbed,
                             guint               port,
                             guint               devnum,
                             const char         *descriptors_hex,
                             const char         *product,
                             const char         *serial,
                             gboolean            kernel_drivers)
{
  PdVirtualUsbDevicePrivate *priv = PRIV (self);

  g_set_object (&priv->testbed, testbed);
  priv->devnode = g_strdup_printf ("/dev/bus/usb/001/%03u", devnum);
  priv->sysfs_path = g_strdup_printf ("/sys/devices/usb1/1-%u", port);
  priv->devnum = devnum;
  priv->descriptors_hex = g_strdup (descriptors_hex);
  priv->product = g_strdup (product);
  priv->serial = g_strdup (serial);
  priv->kernel_drivers = kernel_drivers;
}

void
pd_virtual_usb_device_plug (PdVirtualUsbDevice *self)
{
  PdVirtualUsbDevicePrivate *priv = PRIV (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;

  g_return_if_fail (!priv->plugged);

  if (priv->unplugged_files)
    umockdev_testbed_remove_device (priv->testbed, priv->sysfs_path);

  /* The handler first: libusb may open the device as soon as the add event arrives. */
  g_assert_true (umockdev_testbed_attach_ioctl (priv->testbed, priv->devnode,
                                                UMOCKDEV_IOCTL_BASE (self), &error));
  g_assert_no_error (error);

  description = g_strdup_printf ("P: %s\n"
                                 "N: bus/usb/001/%03u\n"
                                 "E: SUBSYSTEM=usb\n"
                                 "E: DEVTYPE=usb_device\n"
                                 "E: DRIVER=usb\n"
                                 "E: BUSNUM=001\n"
                                 "E: DEVNUM=%03u\n"
                                 "E: DEVNAME=%s\n"
                                 "A: busnum=1\\n\n"
                                 "A: devnum=%u\\n\n"
                                 "A: bConfigurationValue=1\\n\n"
                                 "A: speed=480\\n\n"
                                 "H: descriptors=%s\n",
                                 priv->sysfs_path + strlen ("/sys"), priv->devnum, priv->devnum,
                                 priv->devnode, priv->devnum, priv->descriptors_hex);
  g_assert_true (umockdev_testbed_add_from_string (priv->testbed, description, &error));
  g_assert_no_error (error);
  priv->plugged = TRUE;
  pd_virtual_usb_device_lock (self);
  priv->gone = FALSE;
  pd_virtual_usb_device_unlock (self);
}

static void
shut_down_pending_locked (PdVirtualUsbDevice *self)
{
  PdVirtualUsbDevicePrivate *priv = PRIV (self);
  UMockdevIoctlData *urb_data;
  PdVirtualUsbPendingOut *pending;

  while ((urb_data = g_queue_pop_head (&priv->waiting_in)) != NULL)
    {
      finish_urb_locked (self, urb_data, -ESHUTDOWN, NULL, 0, 0);
      umockdev_ioctl_data_unref (urb_data);
    }
  while ((pending = g_queue_pop_head (&priv->waiting_out)) != NULL)
    {
      finish_urb_locked (self, pending->urb_data, -ESHUTDOWN, NULL, 0, 0);
      pd_virtual_usb_pending_out_free (pending);
    }
}

static gboolean
reaped_all (PdVirtualUsbDevice *self)
{
  gboolean empty;

  pd_virtual_usb_device_lock (self);
  empty = g_queue_is_empty (&PRIV (self)->reapable);
  pd_virtual_usb_device_unlock (self);
  return empty;
}

void
pd_virtual_usb_device_unplug (PdVirtualUsbDevice *self)
{
  PdVirtualUsbDevicePrivate *priv = PRIV (self);
  g_autoptr(GError) error = NULL;

  g_return_if_fail (priv->plugged);

  /* URBs in flight end as the kernel ends them on a disconnect; libusb reaps them as "no
   * device" before the handler goes (afterwards nothing would ever answer the reap). */
  pd_virtual_usb_device_lock (self);
  priv->gone = TRUE;
  shut_down_pending_locked (self);
  pd_virtual_usb_device_unlock (self);
  for (int i = 0; i < 500 && !reaped_all (self); i++)
    g_usleep (2000);

  /* Only the event: libusb reads the device's numbers from sysfs while handling it, so the
   * files stay until the next plug replaces them. */
  umockdev_testbed_uevent (priv->testbed, priv->sysfs_path, "remove");
  umockdev_testbed_detach_ioctl (priv->testbed, priv->devnode, &error);
  g_assert_no_error (error);
  priv->plugged = FALSE;
  priv->unplugged_files = TRUE;

  pd_virtual_usb_device_lock (self);
  priv->claimed = FALSE;
  clear_transfers_locked (priv);
  pd_virtual_usb_device_unlock (self);
}

void
pd_virtual_usb_device_set_kernel_driver (PdVirtualUsbDevice *self,
                                         const char         *driver,
                                         gboolean            detachable)
{
  PdVirtualUsbDevicePrivate *priv = PRIV (self);

  pd_virtual_usb_device_lock (self);
  g_free (priv->kernel_driver);
  priv->kernel_driver = g_strdup (driver);
  priv->detachable = detachable;
  pd_virtual_usb_device_unlock (self);
}

const char *
pd_virtual_usb_device_get_kernel_driver (PdVirtualUsbDevice *self)
{
  const char *driver;

  pd_virtual_usb_device_lock (self);
  driver = PRIV (self)->kernel_driver;
  pd_virtual_usb_device_unlock (self);
  return driver;
}

guint
pd_virtual_usb_device_get_reattached (PdVirtualUsbDevice *self)
{
  guint count;

  pd_virtual_usb_device_lock (self);
  count = PRIV (self)->reattached;
  pd_virtual_usb_device_unlock (self);
  return count;
}

guint
pd_virtual_usb_device_get_waiting_in_length (PdVirtualUsbDevice *self)
{
  guint length;

  pd_virtual_usb_device_lock (self);
  length = g_queue_get_length (&PRIV (self)->waiting_in);
  pd_virtual_usb_device_unlock (self);
  return length;
}

GBytes *
pd_virtual_usb_device_take_received (PdVirtualUsbDevice *self)
{
  PdVirtualUsbDevicePrivate *priv = PRIV (self);
  GBytes *received;

  pd_virtual_usb_device_lock (self);
  received = g_bytes_new (priv->received->data, priv->received->len);
  g_byte_array_set_size (priv->received, 0);
  pd_virtual_usb_device_unlock (self);
  return received;
}

void
pd_virtual_usb_device_lock (PdVirtualUsbDevice *self)
{
  g_mutex_lock (&PRIV (self)->lock);
}

void
pd_virtual_usb_device_unlock (PdVirtualUsbDevice *self)
{
  g_mutex_unlock (&PRIV (self)->lock);
}
