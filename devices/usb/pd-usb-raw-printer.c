#include "pd-usb-raw-printer.h"

/* A receipt's worth of bytes at full speed takes well under this. */
#define WRITE_TIMEOUT_MS 5000

#define USB_CLASS_PRINTER 7
#define USB_PRINTER_SUBCLASS 1
#define USB_PRINTER_BIDIRECTIONAL 2

struct _PdUsbRawPrinter {
  PdUsbDriver parent_instance;
};

G_DEFINE_FINAL_TYPE (PdUsbRawPrinter, pd_usb_raw_printer, PD_TYPE_USB_DRIVER)

static const PdUsbIdEntry raw_printer_ids[] = {
  {
    .match = PD_USB_MATCH_INTERFACE_CLASS | PD_USB_MATCH_INTERFACE_SUBCLASS |
             PD_USB_MATCH_INTERFACE_PROTOCOL,
    .interface_class = USB_CLASS_PRINTER,
    .interface_subclass = USB_PRINTER_SUBCLASS,
    .interface_protocol = USB_PRINTER_BIDIRECTIONAL,
  },
  { 0 },
};

static void
pd_usb_raw_printer_class_init (PdUsbRawPrinterClass *klass)
{
  PdUsbDriverClass *driver_class = PD_USB_DRIVER_CLASS (klass);

  driver_class->id = "raw-printer";
  driver_class->full_name = "USB printer (raw bytes)";
  driver_class->id_table = raw_printer_ids;
}

static void
pd_usb_raw_printer_init (PdUsbRawPrinter *self)
{
}

gboolean
pd_usb_raw_printer_write (PdUsbRawPrinter  *self,
                          GBytes           *data,
                          GCancellable     *cancellable,
                          GError          **error)
{
  g_autoptr(PdUsbDevice) device = NULL;
  gsize length = 0;
  const guint8 *bytes;

  g_return_val_if_fail (PD_IS_USB_RAW_PRINTER (self), FALSE);
  g_return_val_if_fail (data != NULL, FALSE);

  /* Held for the transfer: a replug may replace the driver's device meanwhile. */
  device = pd_usb_driver_dup_device (PD_USB_DRIVER (self));
  bytes = g_bytes_get_data (data, &length);
  return pd_usb_device_write (device, bytes, length, WRITE_TIMEOUT_MS, cancellable, error);
}

GBytes *
pd_usb_raw_printer_read (PdUsbRawPrinter  *self,
                         gsize             max_length,
                         guint             timeout_ms,
                         GCancellable     *cancellable,
                         GError          **error)
{
  g_autoptr(PdUsbDevice) device = NULL;

  g_return_val_if_fail (PD_IS_USB_RAW_PRINTER (self), NULL);

  device = pd_usb_driver_dup_device (PD_USB_DRIVER (self));
  return pd_usb_device_read (device, max_length, timeout_ms, cancellable, error);
}
