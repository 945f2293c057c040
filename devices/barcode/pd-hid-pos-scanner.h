#pragma once

#include "pd-usb-driver.h"

G_BEGIN_DECLS

#define PD_TYPE_HID_POS_SCANNER (pd_hid_pos_scanner_get_type ())

G_DECLARE_FINAL_TYPE (PdHidPosScanner, pd_hid_pos_scanner, PD, HID_POS_SCANNER, PdUsbDriver)

/* A USB barcode scanner in HID POS mode (the USB-IF "HID Point of Sale Usage Tables", usage
 * page 0x8C Bar Code Scanner), read on its interrupt IN endpoint with no keyboard in
 * between. Its Scanned Data Reports, as the scanners in the id table send them: report ID
 * 0x02, the number of data bytes in this report, three bytes of AIM symbology identifier,
 * the data (up to 56 bytes), and in the report's last byte a flag saying more of the same
 * barcode follows in the next report. The layout is the makers' documented one, not yet
 * checked against hardware here. Everything blocks: call it from a worker thread. */

/* The next whole barcode read, as text; waits up to timeout_ms for the first report
 * (PD_USB_ERROR_TIMEOUT then). A barcode that is not text is refused. */
char *pd_hid_pos_scanner_read_scan (PdHidPosScanner  *self,
                                    guint             timeout_ms,
                                    GCancellable     *cancellable,
                                    GError          **error);

G_END_DECLS
