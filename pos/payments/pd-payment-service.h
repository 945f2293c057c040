#pragma once

#include "pd-bank-account.h"
#include "pd-config.h"
#include "pd-core-client.h"
#include "pd-journal.h"

G_BEGIN_DECLS

/* What the EMV kernel hands over for an online authorization: display data, the ICC data
 * (hex TLV, without track data or PAN), and the PAN and track data sealed to the core. */
typedef struct {
  const char *entry_mode;
  const char *aid;
  const char *app_label;
  const char *brand;
  const char *pan_last4;
  const char *icc_data;
  const char *sealed;
} PdCardTender;

/* What a check scanner hands over: what may be shown and sent in clear, and the account
 * number, the MICR line and the images of both sides sealed to the core (the images show the
 * account number too). serial is NULL when the line has none, aux_on_us on business checks
 * only; without images, images_missing_reason says why. */
typedef struct {
  const char *routing_number;
  const char *serial;
  const char *aux_on_us;
  const char *account_last4;
  gboolean    has_images;
  const char *images_missing_reason;
  const char *sealed;
} PdCheckTender;

/* NACHA: a consumer check converted at the point of purchase is limited to $25,000. */
#define PD_CHECK_POP_LIMIT_CENTS G_GINT64_CONSTANT (2500000)

/* The version of the notice a member accepts when a check is converted to an ACH debit here
 * (NACHA POP); its text is in receipts/. */
#define PD_CHECK_CONVERSION_AUTHORIZATION_VERSION "pop-2026-01"

#define PD_TYPE_PAYMENT_SERVICE (pd_payment_service_get_type ())

G_DECLARE_FINAL_TYPE (PdPaymentService, pd_payment_service, PD, PAYMENT_SERVICE, GObject)

PdPaymentService *pd_payment_service_new          (PdConfig          *config,
                                                   PdJournal         *journal,
                                                   PdCoreClient      *client);

/* FALSE, with a message for the member or associate, when the amount is over what this
 * terminal takes in one payment: checked before a card or a check is even read. */
gboolean          pd_payment_service_check_amount (PdPaymentService *self,
                                                   PdCents           amount,
                                                   GError          **error);
/* The journal the service records in, for what reads it beside payments (receipts). */
PdJournal        *pd_payment_service_get_journal  (PdPaymentService  *self);
PdAccount        *pd_payment_service_get_account  (PdPaymentService  *self,
                                                   const char        *account_number,
                                                   GCancellable      *cancellable,
                                                   GError           **error);
PdPayment        *pd_payment_service_pay_bank     (PdPaymentService  *self,
                                                   PdAccount         *account,
                                                   PdInvoice         *invoice,
                                                   PdCents            amount,
                                                   PdBankAccount     *bank_account,
                                                   const PdPaymentParties *parties,
                                                   GCancellable      *cancellable,
                                                   GError           **error);
/* "POP" (a consumer check with a serial, converted to an ACH debit here and handed back),
 * "CHECK21" (sent as images: business checks, checks without a serial, and over the POP
 * limit), or NULL with an error when neither is possible (no images to send). */
const char       *pd_check_tender_choose_authorization (const PdCheckTender *check,
                                                   PdCents            amount,
                                                   GError           **error);
PdPayment        *pd_payment_service_pay_check    (PdPaymentService  *self,
                                                   PdAccount         *account,
                                                   PdInvoice         *invoice,
                                                   PdCents            amount,
                                                   const PdCheckTender *check,
                                                   const PdPaymentParties *parties,
                                                   GCancellable      *cancellable,
                                                   GError           **error);
PdPayment        *pd_payment_service_authorize_card (PdPaymentService *self,
                                                   PdAccount         *account,
                                                   PdInvoice         *invoice,
                                                   PdCents            amount,
                                                   const PdCardTender *card,
                                                   const PdPaymentParties *parties,
                                                   PdCoreAnswer     **answer,
                                                   GCancellable      *cancellable,
                                                   GError           **error);
PdPayment        *pd_payment_service_complete_card (PdPaymentService *self,
                                                   const char        *payment_id,
                                                   gboolean           card_accepted,
                                                   const char        *icc_data,
                                                   GCancellable      *cancellable,
                                                   GError           **error);
PdPayment        *pd_payment_service_reverse      (PdPaymentService  *self,
                                                   const char        *payment_id,
                                                   const char        *reason,
                                                   GCancellable      *cancellable,
                                                   GError           **error);
void              pd_payment_service_set_card_grace (PdPaymentService *self,
                                                   GTimeSpan          grace);
void              pd_payment_service_pay_bank_async (PdPaymentService *self,
                                                   PdAccount         *account,
                                                   PdInvoice         *invoice,
                                                   PdCents            amount,
                                                   PdBankAccount     *bank_account,
                                                   const PdPaymentParties *parties,
                                                   GCancellable      *cancellable,
                                                   GAsyncReadyCallback callback,
                                                   gpointer           user_data);
PdPayment        *pd_payment_service_pay_bank_finish (PdPaymentService *self,
                                                   GAsyncResult      *result,
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
