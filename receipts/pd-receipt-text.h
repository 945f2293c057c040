#pragma once

#include "pd-receipt-layout.h"

G_BEGIN_DECLS

/* A receipt laid out in monospaced columns: the CLI, logs (nothing on a receipt is
 * sensitive), the email's text part, and the printers' own fonts. Wide characters (CJK)
 * count two columns; fields too long for one line put their value on the next. */
char  *pd_receipt_render_text   (PdReceiptLayout *layout,
                                 guint            columns);

/* The same as lines of (kind, columns of text), for the ESC/POS renderer: one string per
 * printed line, already padded and wrapped; a QR line holds its payload. A signature's
 * first line holds its strokes too, to draw above it; a line to sign on paper comes after
 * an empty one, which a printer may make taller. */
typedef struct {
  PdReceiptLineKind kind;
  char *text;
  PdSignature *signature;   /* the layout's: valid while it is */
} PdReceiptTextLine;

GPtrArray *pd_receipt_text_lines (PdReceiptLayout *layout,
                                  guint            columns);

G_END_DECLS
