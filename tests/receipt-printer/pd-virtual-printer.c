#include "pd-virtual-printer.h"

/* Device, configuration, interface (class 7/1/2), bulk OUT 0x01, bulk IN 0x82: 64 bytes. */
static const char descriptors_hex[] =
  "12010002000000" "40" "b8040202" "0001" "010203" "01"
  "0902" "2000" "01" "01" "00" "c0" "01"
  "090400000207010200"
  "07050102400000"
  "07058202400000";

#define DLE 0x10
#define EOT 0x04
/* Bits 1 and 4 set, 0 and 7 clear: what makes a byte a DLE EOT answer. */
#define STATUS_FIXED_BITS 0x12

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
            self->paper = PD_VIRTUAL_PAPER_OUT;
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
      guint8 status = status_byte_locked (self, data[2]);

      self->status_requests++;
      pd_virtual_usb_device_finish_urb_locked (base, urb_data, 0);
      pd_virtual_usb_device_answer_locked (base, &status, 1);
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

gsize
pd_virtual_printer_get_received_length (PdVirtualPrinter *self)
{
  gsize length;

  pd_virtual_usb_device_lock (BASE (self));
  length = self->received_total;
  pd_virtual_usb_device_unlock (BASE (self));
  return length;
}
