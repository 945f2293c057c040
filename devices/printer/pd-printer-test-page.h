#pragma once

#include "pd-printer-profile.h"

G_BEGIN_DECLS

/* The page `paydesk-ctl printer test` prints, so that support can see a printer works end to
 * end: the model and its paper width, the terminal, the time, each code page of the profile
 * with the accented letters it holds, a ruler of the full width as a raster, a QR code (native
 * when the model has it), and the cut. The text is in the language of the messages. */
GBytes *pd_printer_test_page_build (PdPrinterProfile  *profile,
                                    const char        *terminal_id,
                                    GDateTime         *now,
                                    GError           **error);

/* What the test page's QR code holds. */
#define PD_PRINTER_TEST_PAGE_QR "PAYDESK PRINTER TEST"

G_END_DECLS
