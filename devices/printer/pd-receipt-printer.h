#pragma once

#include "pd-printer-profile.h"
#include "pd-usb-driver.h"

G_BEGIN_DECLS

#define PD_PRINTER_ERROR (pd_printer_error_quark ())

typedef enum {
  PD_PRINTER_ERROR_FAILED,
  PD_PRINTER_ERROR_PAPER_OUT,
  PD_PRINTER_ERROR_COVER_OPEN,
  PD_PRINTER_ERROR_OFFLINE,   /* or an answer that was not a status at all */
  PD_PRINTER_ERROR_NO_PROFILE,
} PdPrinterError;

#define PD_TYPE_RECEIPT_PRINTER (pd_receipt_printer_get_type ())

G_DECLARE_FINAL_TYPE (PdReceiptPrinter, pd_receipt_printer, PD, RECEIPT_PRINTER, PdUsbDriver)

GQuark            pd_printer_error_quark             (void);

/* An ESC/POS receipt printer: the Epson models of assets/printers/ by USB id, and any other
 * printer-class interface with the generic profile. Its health comes from the real-time
 * status DLE EOT 1, 2 and 4, never from a guess.
 *
 * Printing (blocking: call from a worker, or use the async wrapper) checks the status first,
 * sends the job in chunks, and asks again after the last byte; it succeeds only when the
 * printer took every byte and still reports no fault. When the paper runs out mid-job the
 * error is PD_PRINTER_ERROR_PAPER_OUT and pd_receipt_printer_get_bytes_accepted() tells how
 * far the USB transfers got; ESC/POS cannot say how much of that reached the paper (the
 * printer buffers), so after new paper the caller reprints the whole job from the start,
 * marked "REPRINT" so nobody takes two receipts for two sales. */
PdPrinterProfile *pd_receipt_printer_dup_profile         (PdReceiptPrinter   *self);
/* How long one chunk may wait for the printer to take it; tests shorten it. */
void              pd_receipt_printer_set_write_timeout   (PdReceiptPrinter   *self,
                                                          guint               timeout_ms);
gsize             pd_receipt_printer_get_bytes_accepted  (PdReceiptPrinter   *self);

gboolean          pd_receipt_printer_print               (PdReceiptPrinter   *self,
                                                          GBytes             *job,
                                                          GCancellable       *cancellable,
                                                          GError            **error);
void              pd_receipt_printer_print_async         (PdReceiptPrinter   *self,
                                                          GBytes             *job,
                                                          GCancellable       *cancellable,
                                                          GAsyncReadyCallback callback,
                                                          gpointer            user_data);
gboolean          pd_receipt_printer_print_finish        (PdReceiptPrinter   *self,
                                                          GAsyncResult       *result,
                                                          GError            **error);

G_END_DECLS
