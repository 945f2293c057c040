#pragma once

#include "pd-usb-driver.h"

G_BEGIN_DECLS

#define PD_TYPE_USB_RAW_PRINTER (pd_usb_raw_printer_get_type ())

G_DECLARE_FINAL_TYPE (PdUsbRawPrinter, pd_usb_raw_printer, PD, USB_RAW_PRINTER, PdUsbDriver)

/* Any bidirectional USB printer (interface class 7, subclass 1, protocol 2), spoken to in raw
 * bytes: the proof of the driver model until the ESC/POS driver takes its place. Blocking:
 * call from a worker thread. */
gboolean  pd_usb_raw_printer_write (PdUsbRawPrinter  *self,
                                    GBytes           *data,
                                    GCancellable     *cancellable,
                                    GError          **error);
GBytes   *pd_usb_raw_printer_read  (PdUsbRawPrinter  *self,
                                    gsize             max_length,
                                    guint             timeout_ms,
                                    GCancellable     *cancellable,
                                    GError          **error);

G_END_DECLS
