#pragma once

#include "pd-payment.h"

G_BEGIN_DECLS

/* Everything the journal stores about a payment, to rebuild it on reload: for storage only,
 * the rest of Paydesk makes payments through the payment service. */
typedef struct {
  const char *id;
  const char *client_ref;
  const char *idempotency_key;
  GDateTime *created_at;
  const GDate *business_date;
  const char *center_id;
  const char *terminal_id;
  const char *operator_id;
  const char *account_number;
  PdLineOfBusiness line_of_business;
  const char *invoice_number;
  PdCents amount;
  const char *currency;
  PdTender tender;
  const char *tender_brand;
  const char *tender_last4;
  PdPaymentState state;
  const char *confirmation;
  const char *reason;
  gboolean training;
} PdPaymentRecord;

PdPayment *pd_payment_new_from_record (const PdPaymentRecord *record);
void       pd_payment_apply_event      (PdPayment             *self,
                                        PdPaymentState         state,
                                        const char            *confirmation,
                                        const char            *reason);

G_END_DECLS
