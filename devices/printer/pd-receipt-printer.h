#pragma once

#include "pd-printer.h"
#include "pd-usb-driver.h"

G_BEGIN_DECLS

#define PD_TYPE_RECEIPT_PRINTER (pd_receipt_printer_get_type ())

G_DECLARE_FINAL_TYPE (PdReceiptPrinter, pd_receipt_printer, PD, RECEIPT_PRINTER, PdUsbDriver)

/* An ESC/POS receipt printer: the Epson models of assets/printers/ by USB id, and any other
 * printer-class interface with the generic profile. It implements PdPrinter; its health
 * comes from the real-time status DLE EOT 1, 2 and 4, and, where the profile enables
 * automatic status back, from the messages its watch reads between jobs; never from a
 * guess.
 *
 * Printing checks the status first, sends the job in chunks, and asks again after the last
 * byte; it succeeds only when the printer took every byte and still reports no fault. When
 * the paper runs out mid-job the error is PD_PRINTER_ERROR_PAPER_OUT and
 * pd_printer_get_bytes_accepted() tells how far the USB transfers got; ESC/POS cannot say
 * how much of that reached the paper (the printer buffers), so after new paper the caller
 * prints the whole job again from the start, marked "REPRINT" so nobody takes two receipts
 * for two sales. */

/* How long one chunk may wait for the printer to take it; tests shorten it. */
void pd_receipt_printer_set_write_timeout (PdReceiptPrinter *self,
                                           guint             timeout_ms);

G_END_DECLS
