#include <errno.h>
#include <string.h>

#include <sys/ioctl.h>
#include <linux/usb/ch9.h>
#include <linux/usbdevice_fs.h>

#include "pd-virtual-printer.h"

#define DEVNODE "/dev/bus/usb/001/002"
#define SYSFS_PATH "/devices/usb1/1-1"

/* Device, configuration, interface (class 7/1/2), bulk OUT 0x01, bulk IN 0x82: 64 bytes. */
static const char descriptors_hex[] =
  "12010002000000" "40" "b8040202" "0001" "010203" "01"
  "0902" "2000" "01" "01" "00" "c0" "01"
  "090400000207010200"
  "07050102400000"
  "07058202400000";

#define USB_REQUEST_GET_DESCRIPTOR 0x06
#define USB_DESCRIPTOR_STRING 0x03
#define SETUP_LENGTH 8

#define DLE 0x10
#define EOT 0x04
/* Bits 1 and 4 set, 0 and 7 clear: what makes a byte a DLE EOT answer. */
#define STATUS_FIXED_BITS 0x12

/* An OUT URB the printer cannot take yet, and how much of it went to paper already. */
typedef struct {
  UMockdevIoctlData *urb_data;
  gsize consumed;
} PendingOut;

struct _PdVirtualPrinter {
  UMockdevIoctlBase parent_instance;

  UMockdevTestbed *testbed;
  char *serial;
  gboolean plugged;
  gboolean unplugged_files;

  /* The handler runs on the testbed's thread, the test on its own: this guards the rest. */
  GMutex lock;
  char *kernel_driver;
  char *detached_driver;
  gboolean detachable;
  gboolean claimed;
  guint reattached;
  GByteArray *received;
  GQueue answers;        /* GBytes for IN transfers */
  GQueue waiting_in;     /* UMockdevIoctlData: IN URBs with nothing to send yet */
  GQueue reapable;       /* UMockdevIoctlData: finished URBs for the next reap */
  GQueue waiting_out;    /* PendingOut: print data while the printer cannot print */
  PdVirtualPaper paper;
  gboolean cover_open;
  gboolean offline;
  gssize paper_left;
  gboolean garbled_status;
  guint status_requests;
  gsize received_total;
};

G_DEFINE_FINAL_TYPE (PdVirtualPrinter, pd_virtual_printer, UMOCKDEV_TYPE_IOCTL_BASE)

static struct usbdevfs_urb *
urb_of (UMockdevIoctlData *urb_data)
{
  return (struct usbdevfs_urb *) urb_data->data;
}

/* Writes the URB (and for IN, its buffer) back to libusb when it is reaped. */
static void
finish_urb_locked (PdVirtualPrinter  *self,
                   UMockdevIoctlData *urb_data,
                   int                status,
                   const guint8      *in_data,
                   gsize              in_length,
                   gsize              in_offset)
{
  struct usbdevfs_urb urb = *urb_of (urb_data);

  if (in_data != NULL && in_length > 0)
    {
      g_autoptr(UMockdevIoctlData) buffer =
        umockdev_ioctl_data_resolve (urb_data, G_STRUCT_OFFSET (struct usbdevfs_urb, buffer),
                                     urb.buffer_length, NULL);

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
  g_queue_push_tail (&self->reapable, umockdev_ioctl_data_ref (urb_data));
}

static void
answer_waiting_in_locked (PdVirtualPrinter *self)
{
  while (!g_queue_is_empty (&self->waiting_in) && !g_queue_is_empty (&self->answers))
    {
      g_autoptr(UMockdevIoctlData) urb_data = g_queue_pop_head (&self->waiting_in);
      g_autoptr(GBytes) answer = g_queue_pop_head (&self->answers);
      gsize length = 0;
      const guint8 *bytes = g_bytes_get_data (answer, &length);

      length = MIN (length, (gsize) urb_of (urb_data)->buffer_length);
      finish_urb_locked (self, urb_data, 0, bytes, length, 0);
    }
}

/* String descriptors: 0 the language list, 1 manufacturer, 2 product, 3 serial. */
static GBytes *
string_descriptor (PdVirtualPrinter *self,
                   guint             index)
{
  const char *text = index == 1 ? "Paydesk" : index == 2 ? "Virtual Printer" : self->serial;
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
submit_control_locked (PdVirtualPrinter  *self,
                       UMockdevIoctlData *urb_data)
{
  struct usbdevfs_urb *urb = urb_of (urb_data);
  g_autoptr(UMockdevIoctlData) buffer =
    umockdev_ioctl_data_resolve (urb_data, G_STRUCT_OFFSET (struct usbdevfs_urb, buffer),
                                 urb->buffer_length, NULL);
  const guint8 *setup = buffer->data;
  g_autoptr(GBytes) reply = NULL;
  gsize length = 0;
  const guint8 *bytes;
  guint requested;

  if (setup[1] != USB_REQUEST_GET_DESCRIPTOR || setup[3] != USB_DESCRIPTOR_STRING ||
      (setup[2] > 3))
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
pending_out_free (gpointer data)
{
  PendingOut *pending = data;

  umockdev_ioctl_data_unref (pending->urb_data);
  g_free (pending);
}

static gboolean
can_print_locked (PdVirtualPrinter *self)
{
  return self->paper != PD_VIRTUAL_PAPER_OUT && !self->cover_open && !self->offline;
}

static guint8
status_byte_locked (PdVirtualPrinter *self,
                    guint8            kind)
{
  guint8 status = STATUS_FIXED_BITS;

  if (self->garbled_status)
    return 0x00;
  switch (kind)
    {
    case 1:
      if (!can_print_locked (self))
        status |= 0x08;
      break;
    case 2:
      if (self->cover_open)
        status |= 0x04;
      if (self->paper == PD_VIRTUAL_PAPER_OUT)
        status |= 0x20;
      break;
    case 4:
      /* Out of paper is past near end: both sensors report. */
      if (self->paper != PD_VIRTUAL_PAPER_OK)
        status |= 0x0c;
      if (self->paper == PD_VIRTUAL_PAPER_OUT)
        status |= 0x60;
      break;
    default:
      break;
    }
  return status;
}

/* Takes print data onto the paper until the roll ends; FALSE when it ended first. */
static gboolean
consume_locked (PdVirtualPrinter *self,
                const guint8     *data,
                gsize             length,
                gsize            *consumed)
{
  while (*consumed < length && can_print_locked (self))
    {
      gsize room = length - *consumed;

      if (self->paper_left >= 0)
        room = MIN (room, (gsize) self->paper_left);
      g_byte_array_append (self->received, data + *consumed, (guint) room);
      self->received_total += room;
      *consumed += room;
      if (self->paper_left >= 0)
        {
          self->paper_left -= (gssize) room;
          if (self->paper_left == 0 && *consumed < length)
            self->paper = PD_VIRTUAL_PAPER_OUT;
        }
    }
  return *consumed == length;
}

/* After paper, cover or online came back: the waiting data goes to paper in order. */
static void
resume_out_locked (PdVirtualPrinter *self)
{
  while (!g_queue_is_empty (&self->waiting_out) && can_print_locked (self))
    {
      PendingOut *pending = g_queue_peek_head (&self->waiting_out);
      struct usbdevfs_urb *urb = urb_of (pending->urb_data);
      g_autoptr(UMockdevIoctlData) buffer =
        umockdev_ioctl_data_resolve (pending->urb_data,
                                     G_STRUCT_OFFSET (struct usbdevfs_urb, buffer),
                                     urb->buffer_length, NULL);

      if (!consume_locked (self, buffer != NULL ? buffer->data : NULL,
                           buffer != NULL ? buffer->data_len : 0, &pending->consumed))
        return;
      g_queue_pop_head (&self->waiting_out);
      finish_urb_locked (self, pending->urb_data, 0, NULL, 0, 0);
      pending_out_free (pending);
    }
}

static void
submit_bulk_locked (PdVirtualPrinter  *self,
                    UMockdevIoctlData *urb_data)
{
  struct usbdevfs_urb *urb = urb_of (urb_data);

  if (urb->endpoint & USB_DIR_IN)
    {
      g_queue_push_tail (&self->waiting_in, umockdev_ioctl_data_ref (urb_data));
      answer_waiting_in_locked (self);
    }
  else
    {
      g_autoptr(UMockdevIoctlData) buffer =
        umockdev_ioctl_data_resolve (urb_data, G_STRUCT_OFFSET (struct usbdevfs_urb, buffer),
                                     urb->buffer_length, NULL);

      PendingOut *pending;

      /* Real-time commands are answered even while the printer cannot print. */
      if (buffer != NULL && buffer->data_len == 3 && buffer->data[0] == DLE &&
          buffer->data[1] == EOT)
        {
          guint8 status = status_byte_locked (self, buffer->data[2]);

          self->status_requests++;
          g_queue_push_tail (&self->answers, g_bytes_new (&status, 1));
          finish_urb_locked (self, urb_data, 0, NULL, 0, 0);
          answer_waiting_in_locked (self);
          return;
        }

      pending = g_new0 (PendingOut, 1);
      pending->urb_data = umockdev_ioctl_data_ref (urb_data);
      g_queue_push_tail (&self->waiting_out, pending);
      resume_out_locked (self);
    }
}

static int
submit_urb_locked (PdVirtualPrinter  *self,
                   UMockdevIoctlData *arg)
{
  g_autoptr(UMockdevIoctlData) urb_data =
    umockdev_ioctl_data_resolve (arg, 0, sizeof (struct usbdevfs_urb), NULL);

  if (!self->claimed && urb_of (urb_data)->type != USBDEVFS_URB_TYPE_CONTROL)
    return EINVAL;

  if (urb_of (urb_data)->type == USBDEVFS_URB_TYPE_CONTROL)
    submit_control_locked (self, urb_data);
  else if (urb_of (urb_data)->type == USBDEVFS_URB_TYPE_BULK)
    submit_bulk_locked (self, urb_data);
  else
    return EINVAL;
  return 0;
}

static int
reap_urb_locked (PdVirtualPrinter  *self,
                 UMockdevIoctlData *arg)
{
  g_autoptr(UMockdevIoctlData) urb_data = g_queue_pop_head (&self->reapable);
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
discard_urb_locked (PdVirtualPrinter  *self,
                    UMockdevIoctlData *arg)
{
  gulong client_address = *(gulong *) arg->data;
  GList *link = g_queue_find_custom (&self->waiting_in, (gconstpointer) client_address,
                                     compare_client_urb);
  g_autoptr(UMockdevIoctlData) urb_data = NULL;

  if (link != NULL)
    {
      urb_data = link->data;
      g_queue_delete_link (&self->waiting_in, link);
      finish_urb_locked (self, urb_data, -ENOENT, NULL, 0, 0);
      return 0;
    }

  for (link = self->waiting_out.head; link != NULL; link = link->next)
    {
      PendingOut *pending = link->data;

      if (compare_client_urb (pending->urb_data, (gconstpointer) client_address) != 0)
        continue;
      /* What reached the paper stays printed; the rest of the URB is dropped. */
      g_queue_delete_link (&self->waiting_out, link);
      finish_urb_locked (self, pending->urb_data, -ENOENT, NULL, 0, 0);
      pending_out_free (pending);
      return 0;
    }

  /* Already finished: libusb then reaps it as it is. */
  return EINVAL;
}

static int
get_driver_locked (PdVirtualPrinter  *self,
                   UMockdevIoctlData *arg)
{
  g_autoptr(UMockdevIoctlData) data =
    umockdev_ioctl_data_resolve (arg, 0, sizeof (struct usbdevfs_getdriver), NULL);
  struct usbdevfs_getdriver getdriver = *(struct usbdevfs_getdriver *) data->data;
  const char *driver = self->claimed ? "usbfs" : self->kernel_driver;

  if (driver == NULL)
    return ENODATA;
  g_strlcpy (getdriver.driver, driver, sizeof getdriver.driver);
  umockdev_ioctl_data_update (data, 0, (guint8 *) &getdriver, sizeof getdriver);
  return 0;
}

static int
claim_locked (PdVirtualPrinter *self,
              gboolean          detach)
{
  if (self->kernel_driver != NULL && !detach)
    return EBUSY;
  if (self->kernel_driver != NULL && !self->detachable)
    return EBUSY;
  if (self->kernel_driver != NULL)
    self->detached_driver = g_steal_pointer (&self->kernel_driver);
  self->claimed = TRUE;
  return 0;
}

/* USBDEVFS_IOCTL carries the driver ioctls: disconnect and connect the kernel driver. */
static int
driver_ioctl_locked (PdVirtualPrinter  *self,
                     UMockdevIoctlData *arg)
{
  g_autoptr(UMockdevIoctlData) data =
    umockdev_ioctl_data_resolve (arg, 0, sizeof (struct usbdevfs_ioctl), NULL);
  const struct usbdevfs_ioctl *command = (const struct usbdevfs_ioctl *) data->data;

  if (command->ioctl_code == (int) USBDEVFS_DISCONNECT)
    {
      if (self->kernel_driver == NULL)
        return ENODATA;
      if (!self->detachable)
        return EBUSY;
      self->detached_driver = g_steal_pointer (&self->kernel_driver);
      return 0;
    }
  if (command->ioctl_code == (int) USBDEVFS_CONNECT)
    {
      if (self->claimed || self->detached_driver == NULL)
        return self->claimed ? EBUSY : ENODATA;
      self->kernel_driver = g_steal_pointer (&self->detached_driver);
      self->reattached++;
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
handle_request_locked (PdVirtualPrinter  *self,
                       gulong             request,
                       UMockdevIoctlData *arg)
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
      self->claimed = FALSE;
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
pd_virtual_printer_handle_ioctl (UMockdevIoctlBase   *base,
                                 UMockdevIoctlClient *client)
{
  PdVirtualPrinter *self = PD_VIRTUAL_PRINTER (base);
  int error;

  g_mutex_lock (&self->lock);
  error = handle_request_locked (self, umockdev_ioctl_client_get_request (client),
                                 umockdev_ioctl_client_get_arg (client));
  g_mutex_unlock (&self->lock);

  umockdev_ioctl_client_complete (client, error == 0 ? 0 : -1, error);
  return TRUE;
}

static void
pd_virtual_printer_finalize (GObject *object)
{
  PdVirtualPrinter *self = PD_VIRTUAL_PRINTER (object);

  g_object_unref (self->testbed);
  g_free (self->serial);
  g_free (self->kernel_driver);
  g_free (self->detached_driver);
  g_byte_array_unref (self->received);
  g_queue_clear_full (&self->answers, (GDestroyNotify) g_bytes_unref);
  g_queue_clear_full (&self->waiting_in, (GDestroyNotify) umockdev_ioctl_data_unref);
  g_queue_clear_full (&self->reapable, (GDestroyNotify) umockdev_ioctl_data_unref);
  g_queue_clear_full (&self->waiting_out, pending_out_free);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (pd_virtual_printer_parent_class)->finalize (object);
}

static void
pd_virtual_printer_class_init (PdVirtualPrinterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pd_virtual_printer_finalize;
  UMOCKDEV_IOCTL_BASE_CLASS (klass)->handle_ioctl = pd_virtual_printer_handle_ioctl;
}

static void
pd_virtual_printer_init (PdVirtualPrinter *self)
{
  g_mutex_init (&self->lock);
  self->received = g_byte_array_new ();
  self->paper_left = -1;
}

PdVirtualPrinter *
pd_virtual_printer_new (UMockdevTestbed *testbed,
                        const char      *serial)
{
  PdVirtualPrinter *self = g_object_new (PD_TYPE_VIRTUAL_PRINTER, NULL);

  self->testbed = g_object_ref (testbed);
  self->serial = g_strdup (serial);
  return self;
}

void
pd_virtual_printer_plug (PdVirtualPrinter *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;

  g_return_if_fail (!self->plugged);

  if (self->unplugged_files)
    umockdev_testbed_remove_device (self->testbed, "/sys" SYSFS_PATH);

  /* The handler first: libusb may open the device as soon as the add event arrives. */
  g_assert_true (umockdev_testbed_attach_ioctl (self->testbed, DEVNODE, UMOCKDEV_IOCTL_BASE (self),
                                                &error));
  g_assert_no_error (error);

  description = g_strdup_printf ("P: " SYSFS_PATH "\n"
                                 "N: bus/usb/001/002\n"
                                 "E: SUBSYSTEM=usb\n"
                                 "E: DEVTYPE=usb_device\n"
                                 "E: DRIVER=usb\n"
                                 "E: BUSNUM=001\n"
                                 "E: DEVNUM=002\n"
                                 "E: DEVNAME=" DEVNODE "\n"
                                 "A: busnum=1\\n\n"
                                 "A: devnum=2\\n\n"
                                 "A: bConfigurationValue=1\\n\n"
                                 "A: speed=480\\n\n"
                                 "H: descriptors=%s\n",
                                 descriptors_hex);
  g_assert_true (umockdev_testbed_add_from_string (self->testbed, description, &error));
  g_assert_no_error (error);
  self->plugged = TRUE;
}

static void
shut_down_pending_locked (PdVirtualPrinter *self)
{
  UMockdevIoctlData *urb_data;
  PendingOut *pending;

  while ((urb_data = g_queue_pop_head (&self->waiting_in)) != NULL)
    {
      finish_urb_locked (self, urb_data, -ESHUTDOWN, NULL, 0, 0);
      umockdev_ioctl_data_unref (urb_data);
    }
  while ((pending = g_queue_pop_head (&self->waiting_out)) != NULL)
    {
      finish_urb_locked (self, pending->urb_data, -ESHUTDOWN, NULL, 0, 0);
      pending_out_free (pending);
    }
}

static gboolean
reaped_all (PdVirtualPrinter *self)
{
  gboolean empty;

  g_mutex_lock (&self->lock);
  empty = g_queue_is_empty (&self->reapable);
  g_mutex_unlock (&self->lock);
  return empty;
}

void
pd_virtual_printer_unplug (PdVirtualPrinter *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (self->plugged);

  /* URBs in flight end as the kernel ends them on a disconnect; libusb reaps them as "no
   * device" before the handler goes (afterwards nothing would ever answer the reap). */
  g_mutex_lock (&self->lock);
  shut_down_pending_locked (self);
  g_mutex_unlock (&self->lock);
  for (int i = 0; i < 500 && !reaped_all (self); i++)
    g_usleep (2000);

  /* Only the event: libusb reads the device's numbers from sysfs while handling it, so the
   * files stay until the next plug replaces them. */
  umockdev_testbed_uevent (self->testbed, "/sys" SYSFS_PATH, "remove");
  umockdev_testbed_detach_ioctl (self->testbed, DEVNODE, &error);
  g_assert_no_error (error);
  self->plugged = FALSE;
  self->unplugged_files = TRUE;

  g_mutex_lock (&self->lock);
  self->claimed = FALSE;
  g_queue_clear_full (&self->waiting_in, (GDestroyNotify) umockdev_ioctl_data_unref);
  g_queue_clear_full (&self->reapable, (GDestroyNotify) umockdev_ioctl_data_unref);
  g_queue_clear_full (&self->waiting_out, pending_out_free);
  g_mutex_unlock (&self->lock);
}

void
pd_virtual_printer_set_kernel_driver (PdVirtualPrinter *self,
                                      const char       *driver,
                                      gboolean          detachable)
{
  g_mutex_lock (&self->lock);
  g_free (self->kernel_driver);
  self->kernel_driver = g_strdup (driver);
  self->detachable = detachable;
  g_mutex_unlock (&self->lock);
}

const char *
pd_virtual_printer_get_kernel_driver (PdVirtualPrinter *self)
{
  const char *driver;

  g_mutex_lock (&self->lock);
  driver = self->kernel_driver;
  g_mutex_unlock (&self->lock);
  return driver;
}

guint
pd_virtual_printer_get_reattached (PdVirtualPrinter *self)
{
  guint count;

  g_mutex_lock (&self->lock);
  count = self->reattached;
  g_mutex_unlock (&self->lock);
  return count;
}

void
pd_virtual_printer_answer (PdVirtualPrinter *self,
                           const guint8     *data,
                           gsize             length)
{
  g_mutex_lock (&self->lock);
  g_queue_push_tail (&self->answers, g_bytes_new (data, length));
  answer_waiting_in_locked (self);
  g_mutex_unlock (&self->lock);
}

GBytes *
pd_virtual_printer_take_received (PdVirtualPrinter *self)
{
  GBytes *received;

  g_mutex_lock (&self->lock);
  received = g_bytes_new (self->received->data, self->received->len);
  g_byte_array_set_size (self->received, 0);
  g_mutex_unlock (&self->lock);
  return received;
}

void
pd_virtual_printer_set_paper (PdVirtualPrinter *self,
                              PdVirtualPaper    paper)
{
  g_mutex_lock (&self->lock);
  self->paper = paper;
  /* A new roll is endless unless the test says otherwise again. */
  if (paper != PD_VIRTUAL_PAPER_OUT)
    self->paper_left = -1;
  resume_out_locked (self);
  g_mutex_unlock (&self->lock);
}

void
pd_virtual_printer_set_cover_open (PdVirtualPrinter *self,
                                   gboolean          open)
{
  g_mutex_lock (&self->lock);
  self->cover_open = open;
  resume_out_locked (self);
  g_mutex_unlock (&self->lock);
}

void
pd_virtual_printer_set_offline (PdVirtualPrinter *self,
                                gboolean          offline)
{
  g_mutex_lock (&self->lock);
  self->offline = offline;
  resume_out_locked (self);
  g_mutex_unlock (&self->lock);
}

void
pd_virtual_printer_set_paper_left (PdVirtualPrinter *self,
                                   gssize            bytes)
{
  g_mutex_lock (&self->lock);
  self->paper_left = bytes;
  g_mutex_unlock (&self->lock);
}

void
pd_virtual_printer_set_garbled_status (PdVirtualPrinter *self,
                                       gboolean          garbled)
{
  g_mutex_lock (&self->lock);
  self->garbled_status = garbled;
  g_mutex_unlock (&self->lock);
}

guint
pd_virtual_printer_get_status_requests (PdVirtualPrinter *self)
{
  guint count;

  g_mutex_lock (&self->lock);
  count = self->status_requests;
  g_mutex_unlock (&self->lock);
  return count;
}

gsize
pd_virtual_printer_get_received_length (PdVirtualPrinter *self)
{
  gsize length;

  g_mutex_lock (&self->lock);
  length = self->received_total;
  g_mutex_unlock (&self->lock);
  return length;
}
