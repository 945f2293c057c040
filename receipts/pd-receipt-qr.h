#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A QR code (model 2, error correction M, as the printers' own) as a 1-bit image with a
 * quiet zone of four modules, each module module_dots square: for printers without native
 * QR and for the PNG and PDF. Most significant bit leftmost, 1 = black. NULL when the
 * payload cannot be encoded. */
guint8 *pd_receipt_qr_bits (const char *payload,
                            guint       module_dots,
                            guint      *size_dots,
                            gsize      *stride);

G_END_DECLS
