#include <glib/gi18n-lib.h>

#include "pd-payment-state.h"

G_DEFINE_QUARK (pd-payment-state-error-quark, pd_payment_state_error)

#define TO(state) (1u << PD_PAYMENT_STATE_##state)

static const struct {
  const char *id;
  const char *name;
  guint allowed_next;
} states[PD_N_PAYMENT_STATES] = {
  [PD_PAYMENT_STATE_CREATED] = {
    "created", N_("Created"),
    /* QUEUED: the core was unreachable before the first send; FAILED: the tender failed
     * on the device, nothing was sent. */
    TO (AUTHORIZING) | TO (QUEUED) | TO (FAILED),
  },
  [PD_PAYMENT_STATE_AUTHORIZING] = {
    "authorizing", N_("Authorizing"),
    /* REVERSED: a card authorization that never got an answer is reversed. */
    TO (APPROVED) | TO (DECLINED) | TO (FAILED) | TO (QUEUED) | TO (REVERSED),
  },
  [PD_PAYMENT_STATE_QUEUED] = {
    "queued", N_("Waiting to be sent"),
    TO (AUTHORIZING),
  },
  [PD_PAYMENT_STATE_APPROVED] = {
    "approved", N_("Approved"),
    /* REVERSED: approved by the core, then declined by the card at the second cryptogram. */
    TO (COMPLETED) | TO (REVERSED),
  },
  [PD_PAYMENT_STATE_DECLINED] = { "declined", N_("Declined"), 0 },
  [PD_PAYMENT_STATE_FAILED] = { "failed", N_("Failed"), 0 },
  [PD_PAYMENT_STATE_COMPLETED] = {
    "completed", N_("Completed"),
    TO (VOIDED) | TO (REFUNDED),
  },
  [PD_PAYMENT_STATE_REVERSED] = { "reversed", N_("Reversed"), 0 },
  [PD_PAYMENT_STATE_VOIDED] = { "voided", N_("Voided"), 0 },
  [PD_PAYMENT_STATE_REFUNDED] = { "refunded", N_("Refunded"), 0 },
};

#undef TO

const char *
pd_payment_state_to_id (PdPaymentState state)
{
  g_return_val_if_fail (state < PD_N_PAYMENT_STATES, NULL);
  return states[state].id;
}

gboolean
pd_payment_state_from_id (const char     *id,
                          PdPaymentState *state)
{
  g_return_val_if_fail (state != NULL, FALSE);

  for (guint i = 0; i < PD_N_PAYMENT_STATES; i++)
    if (g_strcmp0 (states[i].id, id) == 0)
      {
        *state = (PdPaymentState) i;
        return TRUE;
      }

  return FALSE;
}

const char *
pd_payment_state_get_name (PdPaymentState state)
{
  g_return_val_if_fail (state < PD_N_PAYMENT_STATES, NULL);
  return _(states[state].name);
}

gboolean
pd_payment_state_is_final (PdPaymentState state)
{
  g_return_val_if_fail (state < PD_N_PAYMENT_STATES, TRUE);
  return states[state].allowed_next == 0;
}

gboolean
pd_payment_state_can_transition (PdPaymentState from,
                                 PdPaymentState to,
                                 PdTender       tender)
{
  g_return_val_if_fail (from < PD_N_PAYMENT_STATES, FALSE);
  g_return_val_if_fail (to < PD_N_PAYMENT_STATES, FALSE);
  g_return_val_if_fail (tender < PD_N_TENDERS, FALSE);

  if ((states[from].allowed_next & (1u << to)) == 0)
    return FALSE;

  /* Cards are never stored and forwarded: the decline risk would be the plan's. */
  if ((to == PD_PAYMENT_STATE_QUEUED || from == PD_PAYMENT_STATE_QUEUED) &&
      tender == PD_TENDER_CARD)
    return FALSE;

  /* Reversals undo card authorizations; checks and bank debits are voided instead. */
  if (to == PD_PAYMENT_STATE_REVERSED && tender != PD_TENDER_CARD)
    return FALSE;

  return TRUE;
}

gboolean
pd_payment_state_check_transition (PdPaymentState   from,
                                   PdPaymentState   to,
                                   PdTender         tender,
                                   GError         **error)
{
  if (pd_payment_state_can_transition (from, to, tender))
    return TRUE;

  g_set_error (error, PD_PAYMENT_STATE_ERROR, PD_PAYMENT_STATE_ERROR_FORBIDDEN,
               _("A %s payment cannot go from %s to %s."),
               pd_tender_to_id (tender), pd_payment_state_to_id (from),
               pd_payment_state_to_id (to));
  return FALSE;
}
