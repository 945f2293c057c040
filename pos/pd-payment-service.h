#pragma once

#include "pd-bank-account.h"
#include "pd-config.h"
#include "pd-core-client.h"
#include "pd-journal.h"

G_BEGIN_DECLS

#define PD_TYPE_PAYMENT_SERVICE (pd_payment_service_get_type ())

G_DECLARE_FINAL_TYPE (PdPaymentService, pd_payment_service, PD, PAYMENT_SERVICE, GObject)

PdPaymentService *pd_payment_service_new          (PdConfig          *config,
                                                   PdJournal         *journal,
                                                   PdCoreClient      *client);

PdAccount        *pd_payment_service_get_account  (PdPaymentService  *self,
                                                   const char        *account_number,
                                                   GCancellable      *cancellable,
                                                   GError           **error);
PdPayment        *pd_payment_service_pay_bank     (PdPaymentService  *self,
                                                   PdAccount         *account,
                                                   PdInvoice         *invoice,
                                                   PdCents            amount,
                                                   PdBankAccount     *bank_account,
                                                   const char        *operator_id,
                                                   GCancellable      *cancellable,
                                                   GError           **error);
guint             pd_payment_service_drain_outbox (PdPaymentService  *self,
                                                   GCancellable      *cancellable,
                                                   GError           **error);
PdPayment        *pd_payment_service_void         (PdPaymentService  *self,
                                                   const char        *payment_id,
                                                   const char        *operator_id,
                                                   const char        *reason,
                                                   GCancellable      *cancellable,
                                                   GError           **error);
PdPayment        *pd_payment_service_refund       (PdPaymentService  *self,
                                                   const char        *payment_id,
                                                   const char        *operator_id,
                                                   const char        *reason,
                                                   GCancellable      *cancellable,
                                                   GError           **error);
PdCents           pd_payment_service_get_queued_total (PdPaymentService *self,
                                                   GError           **error);

G_END_DECLS
