#pragma once

#include <glib.h>

#include "pd-money.h"

G_BEGIN_DECLS

/* The invoice coupons of the training members (assets/training-members.json, the training
 * core's seed): what the training barcode scanner is shown. */
typedef struct {
  char *invoice_account;
  char *invoice_number;
  char *member_name;
  PdCents amount_due;
  /* The coupon's scan line (pos/model/COUPON.md). */
  char *line;
} PdTrainingCoupon;

void       pd_training_coupon_free    (PdTrainingCoupon *coupon);

/* $PAYDESK_SEED, else the source tree's training members. */
const char *pd_training_coupons_get_members_path (void);
/* Every open invoice's coupon, in the file's order; NULL with an error when the file cannot
 * be read as training members. */
GPtrArray *pd_training_coupons_load   (const char       *members_path,
                                       GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdTrainingCoupon, pd_training_coupon_free)

G_END_DECLS
