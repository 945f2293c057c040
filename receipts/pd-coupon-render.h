#pragma once

#include <glib.h>

#include "pd-money.h"

G_BEGIN_DECLS

/* An invoice coupon as a member tears it off the invoice: who and what it is for, the
 * amount due, and its scan line as a QR code and in print (pos/model/COUPON.md). Written as
 * a PDF (path ending in .pdf) or a PNG (.png). A training coupon says so across it. */
typedef struct {
  const char *member_name;
  const char *invoice_account;
  const char *invoice_number;
  PdCents amount_due;
  const char *scan_line;
  gboolean training;
} PdCouponPrint;

gboolean pd_coupon_render (const PdCouponPrint  *coupon,
                           const char           *path,
                           GError              **error);

G_END_DECLS
