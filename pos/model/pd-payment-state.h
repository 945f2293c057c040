#pragma once

#include <glib.h>

#include "pd-tender.h"

G_BEGIN_DECLS

#define PD_PAYMENT_STATE_ERROR (pd_payment_state_error_quark ())

typedef enum {
  PD_PAYMENT_STATE_ERROR_FORBIDDEN,
} PdPaymentStateError;

typedef enum {
  PD_PAYMENT_STATE_CREATED,
  PD_PAYMENT_STATE_AUTHORIZING,
  PD_PAYMENT_STATE_QUEUED,
  PD_PAYMENT_STATE_APPROVED,
  PD_PAYMENT_STATE_DECLINED,
  PD_PAYMENT_STATE_FAILED,
  PD_PAYMENT_STATE_COMPLETED,
  PD_PAYMENT_STATE_REVERSED,
  PD_PAYMENT_STATE_VOIDED,
  PD_PAYMENT_STATE_REFUNDED,
} PdPaymentState;

#define PD_N_PAYMENT_STATES (PD_PAYMENT_STATE_REFUNDED + 1)

GQuark      pd_payment_state_error_quark    (void);
const char *pd_payment_state_to_id          (PdPaymentState  state);
gboolean    pd_payment_state_from_id        (const char     *id,
                                             PdPaymentState *state);
const char *pd_payment_state_get_name       (PdPaymentState  state);
gboolean    pd_payment_state_is_final       (PdPaymentState  state);
gboolean    pd_payment_state_can_transition (PdPaymentState  from,
                                             PdPaymentState  to,
                                             PdTender        tender);
gboolean    pd_payment_state_check_transition (PdPaymentState  from,
                                               PdPaymentState  to,
                                               PdTender        tender,
                                               GError        **error);

G_END_DECLS
