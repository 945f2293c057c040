#pragma once

#include "pd-receipt-layout.h"

G_BEGIN_DECLS

#define PD_RECEIPT_RENDER_ERROR (pd_receipt_render_error_quark ())

typedef enum {
  PD_RECEIPT_RENDER_ERROR_NO_GLYPH, /* no installed font can draw some of the text */
  PD_RECEIPT_RENDER_ERROR_FAILED,
} PdReceiptRenderError;

GQuark  pd_receipt_render_error_quark (void);

/* The receipt as a strip of 80 mm paper, drawn with Pango and Cairo from the same lines as
 * every other rendering: a PNG 576 pixels wide (the paper at 203 dpi), or a one-page PDF
 * with real text (searchable, read aloud by screen readers) and the QR code in vector. */
GBytes *pd_receipt_render_png (PdReceiptLayout  *layout,
                               GError          **error);
GBytes *pd_receipt_render_pdf (PdReceiptLayout  *layout,
                               GError          **error);

G_END_DECLS
