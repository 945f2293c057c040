#pragma once

#include "pd-receipt-layout.h"

G_BEGIN_DECLS

/* The receipt as an HTML document for the email's rich part: the same lines, in the
 * member's language and direction, styled inline (mail readers drop style sheets) and
 * readable by screen readers (fields are a table with row headers). The QR code is left to
 * the attached PDF: mail readers block images. intro: paragraphs before the receipt (plain
 * text, may be NULL). */
char *pd_receipt_render_html (PdReceiptLayout    *layout,
                              const char         *title,
                              const char * const *intro);

G_END_DECLS
