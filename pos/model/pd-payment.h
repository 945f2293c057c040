#pragma once

#include <glib-object.h>

#include "pd-account.h"
#include "pd-money.h"
#include "pd-payment-state.h"
#include "pd-tender.h"

G_BEGIN_DECLS

#define PD_PAYMENT_ERROR (pd_payment_error_quark ())

typedef enum {
  PD_PAYMENT_ERROR_INVALID_AMOUNT,
  PD_PAYMENT_ERROR_INVOICE_NOT_ON_ACCOUNT,
  PD_PAYMENT_ERROR_INVALID_ORIGIN,
  PD_PAYMENT_ERROR_INVALID_TENDER_DETAILS,
  /* The request left, and what became of it could not be recorded (a full disk): it may
   * have gone through. Never take it again; recovery finishes it. */
  PD_PAYMENT_ERROR_OUTCOME_NOT_RECORDED,
} PdPaymentError;

/* Who is at the terminal for one payment: the associate taking it (NULL at a kiosk) and the
 * language the member chose there (BCP 47, for the receipt; NULL: none). A visit's, passed
 * with each payment: the service that takes it serves every visit. */
typedef struct {
  const char *operator_id;
  const char *language;
} PdPaymentParties;

/* Where and by whom a payment is taken, and the center's business-day cut-off. */
typedef struct {
  const char *center_id;
  const char *terminal_id;
  const char *operator_id;
  int business_day_cutoff_minutes;
  /* The language the member chose on the terminal (BCP 47), for the receipt; NULL: none. */
  const char *language;
  /* Taken on a training terminal: never a real payment, and its receipt says so. */
  gboolean training;
} PdPaymentOrigin;

#define PD_TYPE_PAYMENT (pd_payment_get_type ())

G_DECLARE_FINAL_TYPE (PdPayment, pd_payment, PD, PAYMENT, GObject)

GQuark            pd_payment_error_quark          (void);

PdPayment        *pd_payment_new                  (const PdPaymentOrigin  *origin,
                                                   PdAccount              *account,
                                                   PdInvoice              *invoice,
                                                   PdCents                 amount,
                                                   PdTender                tender,
                                                   GDateTime              *now,
                                                   GError                **error);

const char       *pd_payment_get_id               (PdPayment *self);
const char       *pd_payment_get_client_ref       (PdPayment *self);
const char       *pd_payment_get_idempotency_key  (PdPayment *self);
GDateTime        *pd_payment_get_created_at       (PdPayment *self);
const GDate      *pd_payment_get_business_date    (PdPayment *self);
const char       *pd_payment_get_center_id        (PdPayment *self);
const char       *pd_payment_get_terminal_id      (PdPayment *self);
const char       *pd_payment_get_operator_id      (PdPayment *self);
const char       *pd_payment_get_account_number   (PdPayment *self);
/* The account holder's name as the core gave it when the payment was taken (NULL after a
 * reload: the journal keeps it among the payment's facts). */
const char       *pd_payment_get_member_name      (PdPayment *self);
/* The language the member chose, as the origin gave it (NULL after a reload, as the name). */
const char       *pd_payment_get_language         (PdPayment *self);
/* Taken on a training terminal, as recorded with the payment. */
gboolean          pd_payment_get_training         (PdPayment *self);
PdLineOfBusiness  pd_payment_get_line_of_business (PdPayment *self);
const char       *pd_payment_get_invoice_number   (PdPayment *self);
PdCents           pd_payment_get_amount           (PdPayment *self);
const char       *pd_payment_get_currency         (PdPayment *self);
PdTender          pd_payment_get_tender           (PdPayment *self);
const char       *pd_payment_get_tender_brand     (PdPayment *self);
const char       *pd_payment_get_tender_last4     (PdPayment *self);
PdPaymentState    pd_payment_get_state            (PdPayment *self);
const char       *pd_payment_get_confirmation     (PdPayment *self);
const char       *pd_payment_get_reason           (PdPayment *self);

gboolean          pd_payment_set_tender_display   (PdPayment  *self,
                                                   const char *brand,
                                                   const char *last4,
                                                   GError    **error);

/* The core's decline reasons (pos/core/core-api.md and the training core) as a member reads
 * them (untranslated: pass it through the member's catalog), or NULL for a reason id that
 * has no wording: a raw id is never shown. */
const char       *pd_payment_reason_wording          (const char       *reason);

G_END_DECLS
