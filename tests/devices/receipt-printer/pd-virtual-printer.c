#include <string.h>

#include "pd-virtual-printer.h"

/* Device (vendor and product in the middle, little-endian), configuration, interface (class
 * 7/1/2), bulk OUT 0x01, bulk IN 0x82: 64 bytes. */
#define DESCRIPTORS_HEX(vendor_product) \
  "12010002000000" "40" vendor_product "0001" "010203" "01" \
  "0902" "2000" "01" "01" "00" "c0" "01" \
  "090400000207010200" \
  "07050102400000" \
  "07058202400000"

/* Epson's 04b8:0202: the TM-T88 profile. */
static const char descriptors_hex[] = DESCRIPTORS_HEX ("b8040202");
/* 0416:5011, a maker no profile names: only the printer class matches (generic-escpos). */
static const char generic_descriptors_hex[] = DESCRIPTORS_HEX ("16041150");

#define DLE 0x10
#define EOT 0x04
#define GS  0x1d
/* Bits 1 and 4 set, 0 and 7 clear: what makes a byte a DLE EOT answer. */
#define STATUS_FIXED_BITS 0x12
/* The fixed bits of an automatic status back message's first byte: bit 4 set, bits 0, 1
 * and 7 clear (the other three bytes have bits 4 and 7 clear). */
#define ASB_FIRST_FIXED_BITS 0x10
/* GS a n's items: online/offline, errors, roll paper sensors. */
#define ASB_ITEM_ONLINE 0x02
#define ASB_ITEM_ERROR  0x04
#define ASB_ITEM_PAPER  0x08
#define ASB_LENGTH 4

/* The state below is guarded by the device's lock (pd_virtual_usb_device_lock()). */
struct _PdVirtualPrinter {
  PdVirtualUsbDevice parent_instance;

  PdVirtualPaper paper;
  gboolean cover_open;
  gboolean offline;
  gssize paper_left;
  gboolean garbled_status;
  guint status_requests;
  gsize received_total;
  /* GS a n: the items reported on their own (0: none), how often GS a came, the last message
   * sent (a message goes when it would differ), and whether every DLE EOT answer carries
   * one in the same transfer. */
  guint8 asb_items;
  guint asb_requests;
  guint8 asb_sent[ASB_LENGTH];
  gboolean asb_with_status;
};

G_DEFINE_FINAL_TYPE (PdVirtualPrinter, pd_virtual_printer, PD_TYPE_VIRTUAL_USB_DEVICE)

#define BASE(self) PD_VIRTUAL_USB_DEVICE (self)

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

/* The message as Epson's TM printers send it. Byte 1: bit 3 offline, bit 5 cover open,
 * bit 6 paper fed by the button (never here). Byte 2: bit 3 autocutter error, bit 5
 * unrecoverable error, bit 6 automatically recoverable error (none here). Byte 3: bits 0-1
 * roll paper near end, bits 2-3 roll paper end. Byte 4: nothing this printer reports. Items
 * GS a left out are still reported as they are: each message is the whole status. */
static void
asb_message_locked (PdVirtualPrinter *self,
                    guint8            message[ASB_LENGTH])
{
  memset (message, 0, ASB_LENGTH);
  message[0] = ASB_FIRST_FIXED_BITS;
  if (!can_print_locked (self))
    message[0] |= 0x08;
  if (self->cover_open)
    message[0] |= 0x20;
  /* Out of paper is past near end: both sensors report, as in DLE EOT 4. */
  if (self->paper != PD_VIRTUAL_PAPER_OK)
    message[2] |= 0x03;
  if (self->paper == PD_VIRTUAL_PAPER_OUT)
    message[2] |= 0x0c;
}

/* The printer's own word after its state changed: sent when GS a asked for the item that
 * changed (always on GS a itself), as the printer would, before any later answer. */
static void
send_asb_locked (PdVirtualPrinter *self,
                 gboolean          always)
{
  guint8 message[ASB_LENGTH];
  guint8 changed;

  if (self->asb_items == 0)
    return;
  asb_message_locked (self, message);
  changed = 0;
  if ((message[0] ^ self->asb_sent[0]) & 0x28)
    changed |= ASB_ITEM_ONLINE;
  if (message[1] != self->asb_sent[1])
    changed |= ASB_ITEM_ERROR;
  if (message[2] != self->asb_sent[2])
    changed |= ASB_ITEM_PAPER;
  if (!always && (changed & self->asb_items) == 0)
    return;

  memcpy (self->asb_sent, message, ASB_LENGTH);
  pd_virtual_usb_device_answer_locked (BASE (self), message, ASB_LENGTH);
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
      pd_virtual_usb_device_record_locked (BASE (self), data + *consumed, room);
      self->received_total += room;
      *consumed += room;
      if (self->paper_left >= 0)
        {
          self->paper_left -= (gssize) room;
          if (self->paper_left == 0 && *consumed < length)
            {
              self->paper = PD_VIRTUAL_PAPER_OUT;
              send_asb_locked (self, FALSE);
            }
        }
    }
  return *consumed == length;
}

/* After paper, cover or online came back: the waiting data goes to paper in order. */
static void
resume_out_locked (PdVirtualPrinter *self)
{
  GQueue *waiting_out = pd_virtual_usb_device_get_waiting_out (BASE (self));

  while (!g_queue_is_empty (waiting_out) && can_print_locked (self))
    {
      PdVirtualUsbPendingOut *pending = g_queue_peek_head (waiting_out);
      g_autoptr(UMockdevIoctlData) buffer = pd_virtual_usb_device_urb_buffer (pending->urb_data);

      if (!consume_locked (self, buffer != NULL ? buffer->data : NULL,
                           buffer != NULL ? buffer->data_len : 0, &pending->consumed))
        return;
      g_queue_pop_head (waiting_out);
      pd_virtual_usb_device_finish_urb_locked (BASE (self), pending->urb_data, 0);
      pd_virtual_usb_pending_out_free (pending);
    }
}

static void
pd_virtual_printer_bulk_out (PdVirtualUsbDevice *base,
                             UMockdevIoctlData  *urb_data,
                             const guint8       *data,
                             gsize               length)
{
  PdVirtualPrinter *self = PD_VIRTUAL_PRINTER (base);

  /* Real-time commands are answered even while the printer cannot print. */
  if (data != NULL && length == 3 && data[0] == DLE && data[1] == EOT)
    {
      guint8 answer[1 + ASB_LENGTH] = { status_byte_locked (self, data[2]) };
      gsize answer_length = 1;

      self->status_requests++;
      if (self->asb_with_status)
        {
          asb_message_locked (self, answer + 1);
          answer_length += ASB_LENGTH;
        }
      pd_virtual_usb_device_finish_urb_locked (base, urb_data, 0);
      pd_virtual_usb_device_answer_locked (base, answer, answer_length);
      return;
    }

  /* GS a n sent alone, taken at once even while the printer cannot print: a real one takes
   * it into its receive buffer, which a held transfer here stands for being full. Kept out
   * of what was received, like DLE EOT: it is no part of a receipt. */
  if (data != NULL && length == 3 && data[0] == GS && data[1] == 'a')
    {
      self->asb_requests++;
      self->asb_items = data[2];
      pd_virtual_usb_device_finish_urb_locked (base, urb_data, 0);
      send_asb_locked (self, TRUE);
      return;
    }

  pd_virtual_usb_device_hold_out_locked (base, urb_data);
  resume_out_locked (self);
}

static void
pd_virtual_printer_class_init (PdVirtualPrinterClass *klass)
{
  PD_VIRTUAL_USB_DEVICE_CLASS (klass)->bulk_out = pd_virtual_printer_bulk_out;
}

static void
pd_virtual_printer_init (PdVirtualPrinter *self)
{
  self->paper_left = -1;
}

PdVirtualPrinter *
pd_virtual_printer_new (UMockdevTestbed *testbed,
                        const char      *serial)
{
  PdVirtualPrinter *self = g_object_new (PD_TYPE_VIRTUAL_PRINTER, NULL);

  pd_virtual_usb_device_setup (BASE (self), testbed, 1, 2, descriptors_hex, "Virtual Printer",
                               serial, TRUE);
  return self;
}

PdVirtualPrinter *
pd_virtual_printer_new_generic (UMockdevTestbed *testbed,
                                const char      *serial)
{
  PdVirtualPrinter *self = g_object_new (PD_TYPE_VIRTUAL_PRINTER, NULL);

  pd_virtual_usb_device_setup (BASE (self), testbed, 1, 2, generic_descriptors_hex,
                               "Virtual Generic Printer", serial, TRUE);
  return self;
}

void
pd_virtual_printer_plug (PdVirtualPrinter *self)
{
  pd_virtual_usb_device_plug (BASE (self));
}

void
pd_virtual_printer_unplug (PdVirtualPrinter *self)
{
  pd_virtual_usb_device_unplug (BASE (self));
}

void
pd_virtual_printer_set_kernel_driver (PdVirtualPrinter *self,
                                      const char       *driver,
                                      gboolean          detachable)
{
  pd_virtual_usb_device_set_kernel_driver (BASE (self), driver, detachable);
}

const char *
pd_virtual_printer_get_kernel_driver (PdVirtualPrinter *self)
{
  return pd_virtual_usb_device_get_kernel_driver (BASE (self));
}

guint
pd_virtual_printer_get_reattached (PdVirtualPrinter *self)
{
  return pd_virtual_usb_device_get_reattached (BASE (self));
}

void
pd_virtual_printer_answer (PdVirtualPrinter *self,
                           const guint8     *data,
                           gsize             length)
{
  pd_virtual_usb_device_lock (BASE (self));
  pd_virtual_usb_device_answer_locked (BASE (self), data, length);
  pd_virtual_usb_device_unlock (BASE (self));
}

GBytes *
pd_virtual_printer_take_received (PdVirtualPrinter *self)
{
  return pd_virtual_usb_device_take_received (BASE (self));
}

/* Sets one of the printer's conditions, and lets the waiting data go when it can print. */
static void
set_condition (PdVirtualPrinter *self,
               gboolean         *field,
               gboolean          value)
{
  pd_virtual_usb_device_lock (BASE (self));
  *field = value;
  send_asb_locked (self, FALSE);
  resume_out_locked (self);
  pd_virtual_usb_device_unlock (BASE (self));
}

void
pd_virtual_printer_set_paper (PdVirtualPrinter *self,
                              PdVirtualPaper    paper)
{
  pd_virtual_usb_device_lock (BASE (self));
  self->paper = paper;
  /* A new roll is endless unless the test says otherwise again. */
  if (paper != PD_VIRTUAL_PAPER_OUT)
    self->paper_left = -1;
  send_asb_locked (self, FALSE);
  resume_out_locked (self);
  pd_virtual_usb_device_unlock (BASE (self));
}

void
pd_virtual_printer_set_cover_open (PdVirtualPrinter *self,
                                   gboolean          open)
{
  set_condition (self, &self->cover_open, open);
}

void
pd_virtual_printer_set_offline (PdVirtualPrinter *self,
                                gboolean          offline)
{
  set_condition (self, &self->offline, offline);
}

void
pd_virtual_printer_set_paper_left (PdVirtualPrinter *self,
                                   gssize            bytes)
{
  pd_virtual_usb_device_lock (BASE (self));
  self->paper_left = bytes;
  pd_virtual_usb_device_unlock (BASE (self));
}

void
pd_virtual_printer_set_garbled_status (PdVirtualPrinter *self,
                                       gboolean          garbled)
{
  pd_virtual_usb_device_lock (BASE (self));
  self->garbled_status = garbled;
  pd_virtual_usb_device_unlock (BASE (self));
}

guint
pd_virtual_printer_get_status_requests (PdVirtualPrinter *self)
{
  guint count;

  pd_virtual_usb_device_lock (BASE (self));
  count = self->status_requests;
  pd_virtual_usb_device_unlock (BASE (self));
  return count;
}

void
pd_virtual_printer_set_asb_with_status (PdVirtualPrinter *self,
                                        gboolean          with_status)
{
  pd_virtual_usb_device_lock (BASE (self));
  self->asb_with_status = with_status;
  pd_virtual_usb_device_unlock (BASE (self));
}

guint8
pd_virtual_printer_get_automatic_status (PdVirtualPrinter *self,
                                         guint            *requests)
{
  guint8 items;

  pd_virtual_usb_device_lock (BASE (self));
  items = self->asb_items;
  if (requests != NULL)
    *requests = self->asb_requests;
  pd_virtual_usb_device_unlock (BASE (self));
  return items;
}

gsize
pd_virtual_printer_get_received_length (PdVirtualPrinter *self)
{
  gsize length;

  pd_virtual_usb_device_lock (BASE (self));
  length = self->received_total;
  pd_virtual_usb_device_unlock (BASE (self));
  return length;
}
