#pragma once

#include "pd-money.h"

G_BEGIN_DECLS

/* The invoice coupon's scan line (COUPON.md beside this file): the invoice account, the
 * invoice number and the amount due, with two check digits, as a barcode on the coupon a
 * member tears off the invoice. Scanned, it finds the member's account with no typing. */

#define PD_COUPON_ERROR (pd_coupon_error_quark ())

/* The most a coupon's ten digits of cents can say. */
#define PD_COUPON_MAX_AMOUNT G_GINT64_CONSTANT (9999999999)

typedef enum {
  /* Some other barcode: not a Paydesk coupon at all. */
  PD_COUPON_ERROR_NOT_A_COUPON,
  /* A coupon of a version this terminal does not read. */
  PD_COUPON_ERROR_UNKNOWN_VERSION,
  /* The right shape, but a character was misread: the check digits disagree. */
  PD_COUPON_ERROR_MISREAD,
} PdCouponError;

typedef struct {
  char *invoice_account;
  char *invoice_number;
  PdCents amount_due;
} PdCoupon;

GQuark    pd_coupon_error_quark (void);

/* The scan line for an invoice; NULL with a PD_FIELD_ERROR naming the field that is not
 * one (an account of 8 to 12 digits, an invoice number of 6 to 14 letters and digits). */
char     *pd_coupon_encode      (const char  *invoice_account,
                                 const char  *invoice_number,
                                 PdCents      amount_due,
                                 GError     **error);
/* What a scanner read (surrounding blanks ignored); NULL with a PD_COUPON_ERROR, or a
 * PD_FIELD_ERROR for a field that is not one, in words for the member. */
PdCoupon *pd_coupon_parse       (const char  *scan_line,
                                 GError     **error);
void      pd_coupon_free        (PdCoupon    *coupon);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdCoupon, pd_coupon_free)

G_END_DECLS
