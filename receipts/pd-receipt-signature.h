#pragma once

#include <cairo.h>

#include "pd-signature.h"

G_BEGIN_DECLS

/* The member's signature drawn on a receipt: its ink (not the whole canvas it was drawn on)
 * scaled to fit a box, aspect kept, centered, with a round pen pen_width wide that stays
 * inside the box. For every renderer, so the strokes look the same on paper, in the PNG and
 * in the PDF (where they stay vectors). */

/* Adds the strokes to cr's path; the caller strokes it with pen_width. A stroke of a single
 * point is a dot. */
void    pd_receipt_signature_path (cairo_t      *cr,
                                   PdSignature  *signature,
                                   double        x,
                                   double        y,
                                   double        width,
                                   double        height,
                                   double        pen_width);

/* The strokes alone as a 1-bit image of width × height dots, for GS v 0: most significant
 * bit leftmost, 1 = black, rows of *stride bytes. */
guint8 *pd_receipt_signature_bits (PdSignature  *signature,
                                   guint         width,
                                   guint         height,
                                   double        pen_width,
                                   gsize        *stride);

G_END_DECLS
