#pragma once

#include "pd-receipt-layout.h"

G_BEGIN_DECLS

typedef struct {
  const char *from;          /* the terminal's sending address */
  const char *from_name;     /* may be NULL: the center's name, else none */
  const char *to;            /* checked by pd_email_address_normalize () */
  const char *message_id;    /* without angle brackets; the same on every retry */
  GDateTime *date;
} PdReceiptEmailHeaders;

/* The receipt as an email (RFC 5322 and MIME, CRLF lines, 7-bit clean): a plain text part
 * and an HTML part of the same lines, in the layout's language, and the same receipt as a
 * PDF attached (with its QR code). Fails as pd_receipt_render_pdf () does, when no
 * installed font can draw the language. */
GBytes *pd_receipt_email_compose (PdReceipt                    *receipt,
                                  PdReceiptLayout              *layout,
                                  const PdReceiptEmailHeaders  *headers,
                                  GError                      **error);

G_END_DECLS
