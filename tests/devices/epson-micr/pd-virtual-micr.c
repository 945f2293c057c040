#include <string.h>

#include "pd-virtual-micr.h"

/* Device 04b8:0202, one configuration, one vendor-specific interface (class ff) with bulk
 * OUT 0x01 and bulk IN 0x82, as Epson TM printers in vendor-class mode present themselves. */
static const char descriptors_hex[] =
  "12010002000000" "40" "b8040202" "0001" "010203" "01"
  "0902" "2000" "01" "01" "00" "c0" "01"
  "0904000002ff000000"
  "07050102400000"
  "07058202400000";

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

/* The state below is guarded by the device's lock (pd_virtual_usb_device_lock()). */
struct _PdVirtualMicr {
  PdVirtualUsbDevice parent_instance;

  char *micr_line;       /* NULL: the slot is empty */
  GBytes *raw_reply;
  GBytes *last_reply;    /* for FS b */
  gboolean silent;
  guint ejected;
  guint cleaned;
  GByteArray *pending;   /* received bytes not yet a whole command */
};

G_DEFINE_FINAL_TYPE (PdVirtualMicr, pd_virtual_micr, PD_TYPE_VIRTUAL_USB_DEVICE)

#define BASE(self) PD_VIRTUAL_USB_DEVICE (self)

static void
queue_answer_locked (PdVirtualMicr *self,
                     const guint8  *data,
                     gsize          length)
{
  pd_virtual_usb_device_answer_locked (BASE (self), data, length);
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
}

static void
pd_virtual_micr_bulk_out (PdVirtualUsbDevice *base,
                          UMockdevIoctlData  *urb_data,
                          const guint8       *data,
                          gsize               length)
{
  PdVirtualMicr *self = PD_VIRTUAL_MICR (base);

  if (data != NULL)
    {
      pd_virtual_usb_device_record_locked (base, data, length);
      g_byte_array_append (self->pending, data, (guint) length);
    }
  pd_virtual_usb_device_finish_urb_locked (base, urb_data, 0);
  run_commands_locked (self);
}

static void
pd_virtual_micr_finalize (GObject *object)
{
  PdVirtualMicr *self = PD_VIRTUAL_MICR (object);

  g_free (self->micr_line);
  g_clear_pointer (&self->raw_reply, g_bytes_unref);
  g_clear_pointer (&self->last_reply, g_bytes_unref);
  g_byte_array_unref (self->pending);

  G_OBJECT_CLASS (pd_virtual_micr_parent_class)->finalize (object);
}

static void
pd_virtual_micr_class_init (PdVirtualMicrClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pd_virtual_micr_finalize;
  PD_VIRTUAL_USB_DEVICE_CLASS (klass)->bulk_out = pd_virtual_micr_bulk_out;
}

static void
pd_virtual_micr_init (PdVirtualMicr *self)
{
  self->pending = g_byte_array_new ();
}

PdVirtualMicr *
pd_virtual_micr_new (UMockdevTestbed *testbed)
{
  PdVirtualMicr *self = g_object_new (PD_TYPE_VIRTUAL_MICR, NULL);

  /* No kernel driver takes a vendor-class interface. */
  pd_virtual_usb_device_setup (BASE (self), testbed, 2, 3, descriptors_hex, "Virtual MICR",
                               "VM0001", FALSE);
  return self;
}

void
pd_virtual_micr_plug (PdVirtualMicr *self)
{
  pd_virtual_usb_device_plug (BASE (self));
}

void
pd_virtual_micr_insert_check (PdVirtualMicr *self,
                              const char    *micr_line)
{
  pd_virtual_usb_device_lock (BASE (self));
  g_free (self->micr_line);
  self->micr_line = g_strdup (micr_line);
  pd_virtual_usb_device_unlock (BASE (self));
}

void
pd_virtual_micr_set_raw_reply (PdVirtualMicr *self,
                               const guint8  *reply,
                               gsize          length)
{
  pd_virtual_usb_device_lock (BASE (self));
  g_clear_pointer (&self->raw_reply, g_bytes_unref);
  self->raw_reply = g_bytes_new (reply, length);
  pd_virtual_usb_device_unlock (BASE (self));
}

void
pd_virtual_micr_set_silent (PdVirtualMicr *self,
                            gboolean       silent)
{
  pd_virtual_usb_device_lock (BASE (self));
  self->silent = silent;
  pd_virtual_usb_device_unlock (BASE (self));
}

gboolean
pd_virtual_micr_has_check (PdVirtualMicr *self)
{
  gboolean has_check;

  pd_virtual_usb_device_lock (BASE (self));
  has_check = self->micr_line != NULL;
  pd_virtual_usb_device_unlock (BASE (self));
  return has_check;
}

guint
pd_virtual_micr_get_ejected (PdVirtualMicr *self)
{
  guint ejected;

  pd_virtual_usb_device_lock (BASE (self));
  ejected = self->ejected;
  pd_virtual_usb_device_unlock (BASE (self));
  return ejected;
}

guint
pd_virtual_micr_get_cleaned (PdVirtualMicr *self)
{
  guint cleaned;

  pd_virtual_usb_device_lock (BASE (self));
  cleaned = self->cleaned;
  pd_virtual_usb_device_unlock (BASE (self));
  return cleaned;
}

GBytes *
pd_virtual_micr_take_received (PdVirtualMicr *self)
{
  return pd_virtual_usb_device_take_received (BASE (self));
}
