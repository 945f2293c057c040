#pragma once

#include "pd-printer-profile.h"
#include "pd-receipt-layout.h"

G_BEGIN_DECLS

/* One print job for the printer the profile describes, cut at the end.
 *
 * When one of the profile's code pages holds the whole receipt (English, Spanish, French,
 * Haitian Creole, Italian...) it is sent as text in the printer's own font, one column
 * per 12 dots of paper; typographic dashes, quotes and thin spaces become their ASCII
 * forms first when that is all a page lacks. Otherwise (Chinese, Korean, Bengali, Russian,
 * Polish on a page without its letters, Arabic, Urdu, Yiddish) the text is drawn with
 * Pango into rasters at the paper's width, right-to-left laid out from the right. The QR
 * code is the printer's own where the profile says it has one, else drawn.
 *
 * Fails with PD_TEXT_RASTER_ERROR_NO_GLYPH when no installed font can draw the receipt's
 * language: nothing half-printed. */
GBytes *pd_receipt_render_escpos (PdReceiptLayout   *layout,
                                  PdPrinterProfile  *profile,
                                  GError           **error);

G_END_DECLS
