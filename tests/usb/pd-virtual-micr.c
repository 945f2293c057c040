#include <errno.h>
#include <string.h>

#include <sys/ioctl.h>
#include <linux/usb/ch9.h>
#include <linux/usbdevice_fs.h>

#include "pd-virtual-micr.h"

#define DEVNODE "/dev/bus/usb/001/003"
#define SYSFS_PATH "/devices/usb1/1-2"

/* Device 04b8:0202, one configuration, one vendor-specific interface (class ff) with bulk
 * OUT 0x01 and bulk IN 0x82, as Epson TM printers in vendor-class mode present themselves. */
static const char descriptors_hex[] =
  "12010002000000" "40" "b8040202" "0001" "010203" "01"
  "0902" "2000" "01" "01" "00" "c0" "01"
  "0904000002ff000000"
  "07050102400000"
  "07058202400000";

#define USB_REQUEST_GET_DESCRIPTOR 0x06
#define USB_DESCRIPTOR_STRING 0x03
#define SETUP_LENGTH 8

#define FS  0x1c
#define DLE 0x10
#define EOT 0x04
#define BS  0x08

#define REPLY_HEADER 0x5f
#define READ_NORMAL_E13B 0x50
#define READ_ABNORMAL 0x70
#define SENSORS_CHECK_IN_SLOT 0x12
#define SENSORS_SLOT_EMPTY 0x72
#define PRINTER_STATUS_FINE 0x12

struct _PdVirtualMicr {
  UMockdevIoctlBase parent_instance;

  UMockdevTestbed *testbed;

  /* The handler runs on the testbed's thread, the test on its own: this guards the rest. */
  GMutex lock;
  gboolean claimed;
  char *micr_line;       /* NULL: the slot is empty */
  GBytes *raw_reply;
  GBytes *last_reply;    /* for FS b */
  gboolean silent;
  guint ejected;
  guint cleaned;
  GByteArray *received;
  GByteArray *pending;   /* received bytes not yet a whole command */
  GQueue answers;        /* GBytes for IN transfers */
  GQueue waiting_in;     /* UMockdevIoctlData: IN URBs with nothing to send yet */
  GQueue reapable;       /* UMockdevIoctlData: finished URBs for the next reap */
};

G_DEFINE_FINAL_TYPE (PdVirtualMicr, pd_virtual_micr, UMOCKDEV_TYPE_IOCTL_BASE)

static struct usbdevfs_urb *
urb_of (UMockdevIoctlData *urb_data)
{
  return (struct usbdevfs_urb *) urb_data->data;
}

static void
complete_urb_locked (PdVirtualMicr     *self,
                     UMockdevIoctlData *urb_data,
                     int                status,
                     const guint8      *in_data,
                     gsize              in_length,
                     gsize              in_offset)
{
  struct usbdevfs_urb urb = *urb_of (urb_data);

  urb.actual_length = 0;
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

  urb.status = status;
  urb.buffer = urb_of (urb_data)->buffer;
  umockdev_ioctl_data_update (urb_data, 0, (guint8 *) &urb, sizeof urb);
  g_queue_push_tail (&self->reapable, umockdev_ioctl_data_ref (urb_data));
}

static void
serve_waiting_in_locked (PdVirtualMicr *self)
{
  while (!g_queue_is_empty (&self->waiting_in) && !g_queue_is_empty (&self->answers))
    {
      g_autoptr(UMockdevIoctlData) urb_data = g_queue_pop_head (&self->waiting_in);
      g_autoptr(GBytes) answer = g_queue_pop_head (&self->answers);
      gsize length = 0;
      const guint8 *bytes = g_bytes_get_data (answer, &length);

      length = MIN (length, (gsize) urb_of (urb_data)->buffer_length);
      complete_urb_locked (self, urb_data, 0, bytes, length, 0);
    }
}

static void
queue_answer_locked (PdVirtualMicr *self,
                     const guint8  *data,
                     gsize          length)
{
  g_queue_push_tail (&self->answers, g_bytes_new (data, length));
}

static void
queue_status_locked (PdVirtualMicr *self,
                     guint8         status)
{
  queue_answer_locked (self, &status, 1);
}

/* Sent in two packets, the header alone first, so the driver has to put the reply together
 * as it would from a slow serial-to-USB bridge. */
static void
queue_micr_reply_locked (PdVirtualMicr *self,
                         GBytes        *reply)
{
  gsize length = 0;
  const guint8 *bytes = g_bytes_get_data (reply, &length);
  gsize first = MIN (length, (gsize) 2);

  queue_answer_locked (self, bytes, first);
  if (length > first)
    queue_answer_locked (self, bytes + first, length - first);
}

static GBytes *
read_check_locked (PdVirtualMicr *self)
{
  GByteArray *reply = g_byte_array_new ();
  gboolean readable = self->micr_line != NULL && self->micr_line[0] != '\0';
  guint8 header[2] = { REPLY_HEADER, readable ? READ_NORMAL_E13B : READ_ABNORMAL };

  g_byte_array_append (reply, header, sizeof header);
  if (readable)
    g_byte_array_append (reply, (const guint8 *) self->micr_line,
                         (guint) strlen (self->micr_line));
  g_byte_array_append (reply, (const guint8 *) "", 1);

  /* On an abnormal end the printer hands the check back by itself. */
  if (!readable && self->micr_line != NULL)
    {
      g_clear_pointer (&self->micr_line, g_free);
      self->ejected++;
    }
  return g_byte_array_free_to_bytes (reply);
}

static void
answer_read_locked (PdVirtualMicr *self)
{
  g_autoptr(GBytes) reply = NULL;

  if (self->silent)
    return;
  if (self->raw_reply != NULL)
    {
      reply = g_steal_pointer (&self->raw_reply);
      queue_answer_locked (self, g_bytes_get_data (reply, NULL), g_bytes_get_size (reply));
      return;
    }
  reply = read_check_locked (self);
  queue_micr_reply_locked (self, reply);
  g_clear_pointer (&self->last_reply, g_bytes_unref);
  self->last_reply = g_steal_pointer (&reply);
}

/* The length of the command at the start of the pending bytes once it is all there, or 0
 * while it is not; unknown bytes count as one-byte commands that do nothing. */
static gsize
take_command_locked (PdVirtualMicr *self)
{
  const guint8 *bytes = self->pending->data;
  gsize length = self->pending->len;

  if (length == 0)
    return 0;
  if (bytes[0] == DLE)
    {
      if (length < 3)
        return length >= 2 && bytes[1] != EOT ? 1 : 0;
      if (bytes[1] != EOT)
        return 1;
      if (bytes[2] == BS)
        {
          if (length < 4)
            return 0;
          queue_status_locked (self, self->micr_line != NULL ? SENSORS_CHECK_IN_SLOT
                                                             : SENSORS_SLOT_EMPTY);
          return 4;
        }
      queue_status_locked (self, PRINTER_STATUS_FINE);
      return 3;
    }
  if (bytes[0] != FS)
    return 1;
  if (length < 2)
    return 0;
  if (bytes[1] == 'b')
    {
      static const guint8 nothing_read[] = { REPLY_HEADER, READ_ABNORMAL, 0 };

      if (self->last_reply != NULL)
        queue_micr_reply_locked (self, self->last_reply);
      else
        queue_answer_locked (self, nothing_read, sizeof nothing_read);
      return 2;
    }
  if (bytes[1] == 'c')
    {
      self->cleaned++;
      return 2;
    }
  if (bytes[1] != 'a')
    return 1;
  if (length < 3)
    return 0;
  if (bytes[2] == '0')
    {
      if (length < 4)
        return 0;
      answer_read_locked (self);
      return 4;
    }
  if (bytes[2] == '2')
    {
      self->ejected++;
      g_clear_pointer (&self->micr_line, g_free);
    }
  return 3;
}

static void
run_commands_locked (PdVirtualMicr *self)
{
  gsize used;

  while ((used = take_command_locked (self)) > 0)
    g_byte_array_remove_range (self->pending, 0, (guint) used);
  serve_waiting_in_locked (self);
}

static GBytes *
string_descriptor (guint index)
{
  const char *text = index == 1 ? "Paydesk" : index == 2 ? "Virtual MICR" : "VM0001";
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
submit_control_locked (PdVirtualMicr     *self,
                       UMockdevIoctlData *urb_data)
{
  g_autoptr(UMockdevIoctlData) buffer =
    umockdev_ioctl_data_resolve (urb_data, G_STRUCT_OFFSET (struct usbdevfs_urb, buffer),
                                 urb_of (urb_data)->buffer_length, NULL);
  const guint8 *setup = buffer->data;
  g_autoptr(GBytes) reply = NULL;
  gsize length = 0;
  const guint8 *bytes;

  if (setup[1] != USB_REQUEST_GET_DESCRIPTOR || setup[3] != USB_DESCRIPTOR_STRING ||
      setup[2] > 3)
    {
      complete_urb_locked (self, urb_data, -EPIPE, NULL, 0, 0);
      return;
    }
  reply = string_descriptor (setup[2]);
  bytes = g_bytes_get_data (reply, &length);
  complete_urb_locked (self, urb_data, 0, bytes,
                       MIN (length, (gsize) (setup[6] | (setup[7] << 8))), SETUP_LENGTH);
}

static void
submit_bulk_locked (PdVirtualMicr     *self,
                    UMockdevIoctlData *urb_data)
{
  g_autoptr(UMockdevIoctlData) buffer = NULL;

  if (urb_of (urb_data)->endpoint & USB_DIR_IN)
    {
      g_queue_push_tail (&self->waiting_in, umockdev_ioctl_data_ref (urb_data));
      serve_waiting_in_locked (self);
      return;
    }

  buffer = umockdev_ioctl_data_resolve (urb_data, G_STRUCT_OFFSET (struct usbdevfs_urb, buffer),
                                        urb_of (urb_data)->buffer_length, NULL);
  if (buffer != NULL)
    {
      g_byte_array_append (self->received, buffer->data, (guint) buffer->data_len);
      g_byte_array_append (self->pending, buffer->data, (guint) buffer->data_len);
    }
  complete_urb_locked (self, urb_data, 0, NULL, 0, 0);
  run_commands_locked (self);
}

static int
submit_urb_locked (PdVirtualMicr     *self,
                   UMockdevIoctlData *arg)
{
  g_autoptr(UMockdevIoctlData) urb_data =
    umockdev_ioctl_data_resolve (arg, 0, sizeof (struct usbdevfs_urb), NULL);
  guint8 type = urb_of (urb_data)->type;

  if (type == USBDEVFS_URB_TYPE_CONTROL)
    submit_control_locked (self, urb_data);
  else if (type == USBDEVFS_URB_TYPE_BULK && self->claimed)
    submit_bulk_locked (self, urb_data);
  else
    return EINVAL;
  return 0;
}

static int
reap_urb_locked (PdVirtualMicr     *self,
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

static int
is_other_urb (gconstpointer urb_data,
              gconstpointer client_address)
{
  return ((const UMockdevIoctlData *) urb_data)->client_addr != (gulong) client_address;
}

/* A timed-out or cancelled IN transfer comes back with -ENOENT, as from the kernel. */
static int
discard_urb_locked (PdVirtualMicr     *self,
                    UMockdevIoctlData *arg)
{
  gulong client_address = *(gulong *) arg->data;
  GList *link = g_queue_find_custom (&self->waiting_in, (gconstpointer) client_address,
                                     is_other_urb);
  g_autoptr(UMockdevIoctlData) urb_data = NULL;

  if (link == NULL)
    return EINVAL;
  urb_data = link->data;
  g_queue_delete_link (&self->waiting_in, link);
  complete_urb_locked (self, urb_data, -ENOENT, NULL, 0, 0);
  return 0;
}

static int
report_capabilities (UMockdevIoctlData *arg)
{
  g_autoptr(UMockdevIoctlData) data = umockdev_ioctl_data_resolve (arg, 0, sizeof (guint32), NULL);
  guint32 caps = USBDEVFS_CAP_BULK_SCATTER_GATHER | USBDEVFS_CAP_NO_PACKET_SIZE_LIM |
                 USBDEVFS_CAP_REAP_AFTER_DISCONNECT | USBDEVFS_CAP_ZERO_PACKET;

  umockdev_ioctl_data_update (data, 0, (guint8 *) &caps, sizeof caps);
  return 0;
}

static int
handle_request_locked (PdVirtualMicr     *self,
                       gulong             request,
                       UMockdevIoctlData *arg)
{
  switch (request)
    {
    case USBDEVFS_GET_CAPABILITIES:
      return report_capabilities (arg);
    case USBDEVFS_SUBMITURB:
      return submit_urb_locked (self, arg);
    case USBDEVFS_REAPURB:
    case USBDEVFS_REAPURBNDELAY:
      return reap_urb_locked (self, arg);
    case USBDEVFS_DISCARDURB:
      return discard_urb_locked (self, arg);
    case USBDEVFS_GETDRIVER:
      /* No kernel driver takes a vendor-class interface. */
      return ENODATA;
    case USBDEVFS_CLAIMINTERFACE:
    case USBDEVFS_DISCONNECT_CLAIM:
      self->claimed = TRUE;
      return 0;
    case USBDEVFS_RELEASEINTERFACE:
      self->claimed = FALSE;
      return 0;
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
pd_virtual_micr_handle_ioctl (UMockdevIoctlBase   *base,
                              UMockdevIoctlClient *client)
{
  PdVirtualMicr *self = PD_VIRTUAL_MICR (base);
  int error;

  g_mutex_lock (&self->lock);
  error = handle_request_locked (self, umockdev_ioctl_client_get_request (client),
                                 umockdev_ioctl_client_get_arg (client));
  g_mutex_unlock (&self->lock);

  umockdev_ioctl_client_complete (client, error == 0 ? 0 : -1, error);
  return TRUE;
}

static void
pd_virtual_micr_finalize (GObject *object)
{
  PdVirtualMicr *self = PD_VIRTUAL_MICR (object);

  g_object_unref (self->testbed);
  g_free (self->micr_line);
  g_clear_pointer (&self->raw_reply, g_bytes_unref);
  g_clear_pointer (&self->last_reply, g_bytes_unref);
  g_byte_array_unref (self->received);
  g_byte_array_unref (self->pending);
  g_queue_clear_full (&self->answers, (GDestroyNotify) g_bytes_unref);
  g_queue_clear_full (&self->waiting_in, (GDestroyNotify) umockdev_ioctl_data_unref);
  g_queue_clear_full (&self->reapable, (GDestroyNotify) umockdev_ioctl_data_unref);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (pd_virtual_micr_parent_class)->finalize (object);
}

static void
pd_virtual_micr_class_init (PdVirtualMicrClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pd_virtual_micr_finalize;
  UMOCKDEV_IOCTL_BASE_CLASS (klass)->handle_ioctl = pd_virtual_micr_handle_ioctl;
}

static void
pd_virtual_micr_init (PdVirtualMicr *self)
{
  g_mutex_init (&self->lock);
  self->received = g_byte_array_new ();
  self->pending = g_byte_array_new ();
}

PdVirtualMicr *
pd_virtual_micr_new (UMockdevTestbed *testbed)
{
  PdVirtualMicr *self = g_object_new (PD_TYPE_VIRTUAL_MICR, NULL);

  self->testbed = g_object_ref (testbed);
  return self;
}

void
pd_virtual_micr_plug (PdVirtualMicr *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;

  /* The handler first: libusb may open the device as soon as the add event arrives. */
  g_assert_true (umockdev_testbed_attach_ioctl (self->testbed, DEVNODE,
                                                UMOCKDEV_IOCTL_BASE (self), &error));
  g_assert_no_error (error);

  description = g_strdup_printf ("P: " SYSFS_PATH "\n"
                                 "N: bus/usb/001/003\n"
                                 "E: SUBSYSTEM=usb\n"
                                 "E: DEVTYPE=usb_device\n"
                                 "E: DRIVER=usb\n"
                                 "E: BUSNUM=001\n"
                                 "E: DEVNUM=003\n"
                                 "E: DEVNAME=" DEVNODE "\n"
                                 "A: busnum=1\\n\n"
                                 "A: devnum=3\\n\n"
                                 "A: bConfigurationValue=1\\n\n"
                                 "A: speed=480\\n\n"
                                 "H: descriptors=%s\n",
                                 descriptors_hex);
  g_assert_true (umockdev_testbed_add_from_string (self->testbed, description, &error));
  g_assert_no_error (error);
}

void
pd_virtual_micr_insert_check (PdVirtualMicr *self,
                              const char    *micr_line)
{
  g_mutex_lock (&self->lock);
  g_free (self->micr_line);
  self->micr_line = g_strdup (micr_line);
  g_mutex_unlock (&self->lock);
}

void
pd_virtual_micr_set_raw_reply (PdVirtualMicr *self,
                               const guint8  *reply,
                               gsize          length)
{
  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->raw_reply, g_bytes_unref);
  self->raw_reply = g_bytes_new (reply, length);
  g_mutex_unlock (&self->lock);
}

void
pd_virtual_micr_set_silent (PdVirtualMicr *self,
                            gboolean       silent)
{
  g_mutex_lock (&self->lock);
  self->silent = silent;
  g_mutex_unlock (&self->lock);
}

gboolean
pd_virtual_micr_has_check (PdVirtualMicr *self)
{
  gboolean has_check;

  g_mutex_lock (&self->lock);
  has_check = self->micr_line != NULL;
  g_mutex_unlock (&self->lock);
  return has_check;
}

guint
pd_virtual_micr_get_ejected (PdVirtualMicr *self)
{
  guint ejected;

  g_mutex_lock (&self->lock);
  ejected = self->ejected;
  g_mutex_unlock (&self->lock);
  return ejected;
}

guint
pd_virtual_micr_get_cleaned (PdVirtualMicr *self)
{
  guint cleaned;

  g_mutex_lock (&self->lock);
  cleaned = self->cleaned;
  g_mutex_unlock (&self->lock);
  return cleaned;
}

GBytes *
pd_virtual_micr_take_received (PdVirtualMicr *self)
{
  GBytes *received;

  g_mutex_lock (&self->lock);
  received = g_bytes_new (self->received->data, self->received->len);
  g_byte_array_set_size (self->received, 0);
  g_mutex_unlock (&self->lock);
  return received;
}
