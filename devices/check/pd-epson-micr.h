#pragma once

#include "pd-check-capture.h"
#include "pd-usb-driver.h"

G_BEGIN_DECLS

#define PD_TYPE_EPSON_MICR (pd_epson_micr_get_type ())

G_DECLARE_FINAL_TYPE (PdEpsonMicr, pd_epson_micr, PD, EPSON_MICR, PdUsbDriver)

/* The MICR reader of an Epson TM hybrid printer (TM-H6000 family; the command set is the
 * one in Epson's TM-H5000II specification), spoken to in ESC/POS on the printer's bulk
 * endpoints. It reads the line only: captures say images are missing. Implements
 * PdCheckScanner; everything blocks, call it from a worker thread. */

/* FS a 0 waits for the check at the printer's own pace (ESC f), so reads wait this long. */
#define PD_EPSON_MICR_DEFAULT_READ_TIMEOUT_MS 30000

void        pd_epson_micr_set_alphabet      (PdEpsonMicr           *self,
                                             const PdMicrAlphabet  *alphabet);
void        pd_epson_micr_set_read_timeout  (PdEpsonMicr           *self,
                                             guint                  timeout_ms);

/* FS b: the last line read again, e.g. after the first answer was lost. */
PdMicrLine *pd_epson_micr_resend           (PdEpsonMicr           *self,
                                             GCancellable          *cancellable,
                                             GError               **error);
/* FS a 1: the check read is moved to where the printer endorses it. */
gboolean    pd_epson_micr_load_for_printing (PdEpsonMicr           *self,
                                             GCancellable          *cancellable,
                                             GError               **error);
/* FS c: runs a cleaning sheet through the MICR head. */
gboolean    pd_epson_micr_clean_head        (PdEpsonMicr           *self,
                                             GCancellable          *cancellable,
                                             GError               **error);

G_END_DECLS
