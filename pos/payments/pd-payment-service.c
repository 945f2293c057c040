#include <glib/gi18n-lib.h>

#include "pd-core-json.h"
#include "pd-json.h"
#include "pd-payment-service-private.h"
#include "pd-strings.h"

G_DEFINE_FINAL_TYPE (PdPaymentService, pd_payment_service, G_TYPE_OBJECT)

static void
pd_payment_service_finalize (GObject *object)
{
  PdPaymentService *self = PD_PAYMENT_SERVICE (object);

  g_clear_object (&self->config);
  g_clear_object (&self->journal);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (pd_payment_service_parent_class)->finalize (object);
}

static void
pd_payment_service_class_init (PdPaymentServiceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pd_payment_service_finalize;
}

static void
pd_payment_service_init (PdPaymentService *self)
{
}

void
pd_payment_service_set_card_grace (PdPaymentService *self,
                                   GTimeSpan         grace)
{
  g_return_if_fail (PD_IS_PAYMENT_SERVICE (self));
  g_return_if_fail (grace >= 0);

  self->card_grace = grace;
}

PdPaymentService *
pd_payment_service_new (PdConfig     *config,
                        PdJournal    *journal,
                        PdCoreClient *client)
{
  PdPaymentService *self;

  g_return_val_if_fail (PD_IS_CONFIG (config), NULL);
  g_return_val_if_fail (PD_IS_JOURNAL (journal), NULL);
  g_return_val_if_fail (PD_IS_CORE_CLIENT (client), NULL);

  self = g_object_new (PD_TYPE_PAYMENT_SERVICE, NULL);
  self->config = g_object_ref (config);
  self->journal = g_object_ref (journal);
  self->client = g_object_ref (client);
  self->card_grace = 2 * (GTimeSpan) pd_config_get_card_seconds (config) * G_TIME_SPAN_SECOND;
  return self;
}

gboolean
pd_payment_service_check_amount (PdPaymentService  *self,
                                 PdCents            amount,
                                 GError           **error)
{
  g_autofree char *text = NULL;
  g_autofree char *limit = NULL;

  g_return_val_if_fail (PD_IS_PAYMENT_SERVICE (self), FALSE);

  if (amount <= pd_config_get_max_payment (self->config))
    return TRUE;

  text = pd_money_format (amount, NULL);
  limit = pd_money_format (pd_config_get_max_payment (self->config), NULL);
  g_set_error (error, PD_PAYMENT_ERROR, PD_PAYMENT_ERROR_INVALID_AMOUNT,
               _("%s is more than this terminal takes in one payment (%s). Nothing was "
                 "charged; an associate can help."), text, limit);
  return FALSE;
}

PdJournal *
pd_payment_service_get_journal (PdPaymentService *self)
{
  g_return_val_if_fail (PD_IS_PAYMENT_SERVICE (self), NULL);

  return self->journal;
}

PdAccount *
pd_payment_service_get_account (PdPaymentService  *self,
                                const char        *account_number,
                                GCancellable      *cancellable,
                                GError           **error)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) answer = NULL;

  g_return_val_if_fail (PD_IS_PAYMENT_SERVICE (self), NULL);
  g_return_val_if_fail (account_number != NULL, NULL);

  escaped = g_uri_escape_string (account_number, NULL, FALSE);
  path = g_strdup_printf ("/v1/accounts/%s", escaped);
  answer = pd_core_client_get (self->client, path, cancellable, error);
  if (answer == NULL)
    return NULL;

  return pd_core_json_parse_account (pd_json_node_get_object (answer), error);
}

PdPaymentOrigin
pd_payment_service_origin_for (PdPaymentService       *self,
                               const PdPaymentParties *parties)
{
  return (PdPaymentOrigin) {
    .center_id = pd_config_get_center_id (self->config),
    .terminal_id = pd_config_get_terminal_id (self->config),
    .operator_id = parties != NULL ? parties->operator_id : NULL,
    .business_day_cutoff_minutes = pd_config_get_business_day_cutoff (self->config),
    .language = parties != NULL ? parties->language : NULL,
    .training = pd_config_get_training (self->config),
  };
}

/* A payment sent from the outbox goes on from QUEUED: its send is recorded with what came
 * of it, in one commit (until then it stays queued, and is sent again with its key after a
 * stop, as one in AUTHORIZING would be). FALSE when there is nothing to record: one still
 * not through stays as it is. */
gboolean
pd_payment_service_outcome_from_current (PdPayment        *payment,
                                         PdJournalOutcome *outcome)
{
  if (pd_payment_get_state (payment) != PD_PAYMENT_STATE_QUEUED)
    return TRUE;

  if (outcome->n_states == 1 && outcome->states[0] == PD_PAYMENT_STATE_QUEUED)
    return FALSE;

  g_return_val_if_fail (outcome->n_states < G_N_ELEMENTS (outcome->states), FALSE);
  memmove (&outcome->states[1], &outcome->states[0],
           outcome->n_states * sizeof outcome->states[0]);
  outcome->states[0] = PD_PAYMENT_STATE_AUTHORIZING;
  outcome->n_states++;
  return TRUE;
}

static gboolean
record_from_current (PdPaymentService  *self,
                     PdPayment         *payment,
                     PdJournalOutcome  *outcome,
                     GError           **error)
{
  if (!pd_payment_service_outcome_from_current (payment, outcome))
    return TRUE;

  return pd_journal_record_outcome (self->journal, payment, outcome, error);
}

/* An answer is about the payment asked for, or it is no answer: the core's reference and
 * amount must be this payment's, and a new payment cannot come back voided or refunded. A
 * mismatch is treated as a lost answer (the payment is held, or looked up, and sent again
 * with its key), never as a charge. */
gboolean
pd_payment_service_check_answer_matches (PdPayment     *payment,
                                         PdCoreAnswer  *answer,
                                         GError       **error)
{
  const char *why = NULL;

  if (answer->client_ref != NULL &&
      g_strcmp0 (answer->client_ref, pd_payment_get_client_ref (payment)) != 0)
    why = "the answer is about another payment";
  else if (answer->amount_cents >= 0 && answer->amount_cents != pd_payment_get_amount (payment))
    why = "the answer has another amount";
  else if (answer->status == PD_CORE_STATUS_VOIDED || answer->status == PD_CORE_STATUS_REFUNDED)
    why = "a new payment cannot be voided or refunded";

  if (why == NULL)
    return TRUE;

  g_set_error (error, PD_CORE_ERROR, PD_CORE_ERROR_NO_ANSWER,
               _("The payment core's answer makes no sense: %s."), why);
  return FALSE;
}

/* What the core said, as the journal records it; ends this worker's claim on the
 * payment. The strings stay the answer's. */
PdJournalOutcome
pd_payment_service_outcome_for_answer (PdPayment    *payment,
                                       PdCoreAnswer *answer)
{
  PdJournalOutcome outcome = { .release_claim = TRUE };

  switch (answer->status)
    {
    case PD_CORE_STATUS_DECLINED:
      outcome.states[outcome.n_states++] = PD_PAYMENT_STATE_DECLINED;
      outcome.reason = answer->decline_reason;
      break;
    case PD_CORE_STATUS_PENDING:
      outcome.states[outcome.n_states++] = PD_PAYMENT_STATE_APPROVED;
      outcome.confirmation = answer->confirmation_number;
      outcome.reason = "pending";
      break;
    case PD_CORE_STATUS_REVERSED:
      outcome.states[outcome.n_states++] = PD_PAYMENT_STATE_REVERSED;
      outcome.reason = "reversed by the payment core";
      break;
    case PD_CORE_STATUS_APPROVED:
    case PD_CORE_STATUS_ACCEPTED:
    case PD_CORE_STATUS_VOIDED:
    case PD_CORE_STATUS_REFUNDED:
    default:
      outcome.states[outcome.n_states++] = PD_PAYMENT_STATE_APPROVED;
      outcome.confirmation = answer->confirmation_number;
      outcome.auth_code = answer->auth_code;
      /* A card is complete only once the card itself accepts the issuer's answer. */
      if (pd_payment_get_tender (payment) != PD_TENDER_CARD)
        outcome.states[outcome.n_states++] = PD_PAYMENT_STATE_COMPLETED;
      break;
    }

  return outcome;
}

/* Journals what the core said; returns FALSE only when the journal itself failed. */
gboolean
pd_payment_service_record_answer (PdPaymentService  *self,
                                  PdPayment         *payment,
                                  PdCoreAnswer      *answer,
                                  GError           **error)
{
  PdJournalOutcome outcome = pd_payment_service_outcome_for_answer (payment, answer);

  return record_from_current (self, payment, &outcome, error);
}

/* A move that ends this worker's part: the payment is left for the outbox or closed. */
gboolean
pd_payment_service_record_and_release (PdPaymentService  *self,
                                       PdPayment         *payment,
                                       PdPaymentState     state,
                                       const char        *reason,
                                       GError           **error)
{
  PdJournalOutcome outcome = {
    .states = { state }, .n_states = 1, .reason = reason, .release_claim = TRUE,
  };

  return record_from_current (self, payment, &outcome, error);
}

/* The request may have left, and the journal could not say what became of it. The claim
 * is let go where the journal can still write, so that a drain finishes the payment; one
 * that cannot be let go lapses with this process. */
void
pd_payment_service_set_outcome_not_recorded (PdPaymentService  *self,
                                             PdPayment         *payment,
                                             GError            *journal_error,
                                             GError           **error)
{
  pd_journal_release_payment (self->journal, payment, NULL);
  g_set_error (error, PD_PAYMENT_ERROR, PD_PAYMENT_ERROR_OUTCOME_NOT_RECORDED,
               _("Payment %s was sent to the payment core and may have gone through, but this "
                 "terminal could not record what became of it: %s Do not take this payment "
                 "again: once the journal can be written, “paydesk-ctl outbox drain” finishes "
                 "it."), pd_payment_get_client_ref (payment), journal_error->message);
  g_error_free (journal_error);
}

/* Another worker (a drain, another program) is on this payment now: leave it to them. */
gboolean
pd_payment_service_claim_or_say_busy (PdPaymentService  *self,
                                      PdPayment         *payment,
                                      GError           **error)
{
  GError *local_error = NULL;

  if (pd_journal_claim_payment (self->journal, payment, &local_error))
    return TRUE;

  if (local_error != NULL)
    g_propagate_error (error, local_error);
  else
    g_set_error (error, PD_PAYMENT_STATE_ERROR, PD_PAYMENT_STATE_ERROR_FORBIDDEN,
                 _("Payment %s is being worked on by another program on this terminal (an "
                   "outbox drain); try again in a moment."),
                 pd_payment_get_client_ref (payment));
  return FALSE;
}

/* Nothing left the machine: say so after the journal's reason. */
void
pd_payment_service_note_nothing_charged (GError **error)
{
  char *message;

  if (error == NULL || *error == NULL)
    return;
  message = g_strdup_printf (_("%s Nothing was charged."), (*error)->message);
  g_free ((*error)->message);
  (*error)->message = message;
}

PdCents
pd_payment_service_get_queued_total (PdPaymentService  *self,
                                     GError           **error)
{
  g_autoptr(GDateTime) oldest = NULL;
  PdCents total = 0;

  g_return_val_if_fail (PD_IS_PAYMENT_SERVICE (self), -1);

  if (!pd_journal_get_queued_summary (self->journal, &total, &oldest, error))
    return -1;
  return total;
}

/* The core could not be reached, or its answer was lost. A check or bank payment waits in the
 * outbox, to be sent again with the same key. One that may already have reached the core
 * always waits, since it must be settled either way; a new one only within the limits. */
static gboolean
hold_or_fail (PdPaymentService  *self,
              PdPayment         *payment,
              const GError      *send_error,
              GError           **error)
{
  gboolean maybe_delivered = !g_error_matches (send_error, PD_CORE_ERROR,
                                               PD_CORE_ERROR_UNREACHABLE);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) oldest = NULL;
  PdCents queued_total = 0;
  PdCents amount = pd_payment_get_amount (payment);

  /* The limits are for taking new payments: one already in the outbox stays there. */
  if (maybe_delivered || pd_payment_get_state (payment) == PD_PAYMENT_STATE_QUEUED)
    return pd_payment_service_record_and_release (self, payment, PD_PAYMENT_STATE_QUEUED, send_error->message,
                                                  error);

  if (!pd_journal_get_queued_summary (self->journal, &queued_total, &oldest, error))
    return FALSE;

  /* The core has been gone too long: stop taking payments it may never see in time. */
  if (oldest != NULL &&
      g_date_time_difference (now, oldest) > (GTimeSpan) pd_config_get_outbox_max_age_hours (
                                               self->config) * G_TIME_SPAN_HOUR)
    {
      g_autofree char *reason = g_strdup_printf (_("%s Payments have waited for the core longer "
                                                   "than allowed; nothing was charged. Call "
                                                   "support."), send_error->message);

      return pd_payment_service_record_and_release (self, payment, PD_PAYMENT_STATE_FAILED, reason, error);
    }

  if (amount > pd_config_get_outbox_max_payment (self->config) ||
      amount > pd_config_get_outbox_max_total (self->config) - queued_total)
    {
      g_autofree char *reason = g_strdup_printf (_("%s The payment is over what this terminal may "
                                                   "hold until the core is back; nothing was "
                                                   "charged."), send_error->message);

      return pd_payment_service_record_and_release (self, payment, PD_PAYMENT_STATE_FAILED, reason, error);
    }

  return pd_payment_service_record_and_release (self, payment, PD_PAYMENT_STATE_QUEUED, send_error->message, error);
}

/* No answer: held for the outbox, or failed when the core refused the request. */
gboolean
pd_payment_service_record_send_error (PdPaymentService  *self,
                                      PdPayment         *payment,
                                      const GError      *send_error,
                                      GError           **error)
{
  if (g_error_matches (send_error, PD_CORE_ERROR, PD_CORE_ERROR_UNREACHABLE) ||
      g_error_matches (send_error, PD_CORE_ERROR, PD_CORE_ERROR_NO_ANSWER) ||
      g_error_matches (send_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return hold_or_fail (self, payment, send_error, error);

  return pd_payment_service_record_and_release (self, payment, PD_PAYMENT_STATE_FAILED, send_error->message, error);
}

/* Sends the journaled request of a payment in AUTHORIZING and journals the outcome. */
static gboolean
authorize (PdPaymentService    *self,
           PdPayment           *payment,
           const PdCoreRequest *request,
           GCancellable        *cancellable,
           GError             **error)
{
  g_autoptr(PdCoreAnswer) answer = NULL;
  g_autoptr(GError) send_error = NULL;

  answer = pd_core_client_send (self->client, request, cancellable, &send_error);
  if (answer != NULL && pd_payment_service_check_answer_matches (payment, answer, &send_error))
    return pd_payment_service_record_answer (self, payment, answer, error);

  return pd_payment_service_record_send_error (self, payment, send_error, error);
}

/* A check or bank payment: its request journaled before the first send (one commit), then
 * sent, and its outcome journaled (one more). */
gboolean
pd_payment_service_journal_and_authorize (PdPaymentService  *self,
                                          PdPayment         *payment,
                                          JsonNode          *tender,
                                          const char        *authorization_text,
                                          GCancellable      *cancellable,
                                          GError           **error)
{
  g_autofree char *body = pd_core_json_payment_request (payment, tender);
  PdCoreRequest request = { "POST", "/v1/payments", pd_payment_get_idempotency_key (payment),
                            body };
  GError *journal_error = NULL;

  if (!pd_journal_begin_payment (self->journal, payment, &request, authorization_text, error))
    {
      pd_payment_service_note_nothing_charged (error);
      return FALSE;
    }

  if (!authorize (self, payment, &request, cancellable, &journal_error))
    {
      pd_payment_service_set_outcome_not_recorded (self, payment, journal_error, error);
      return FALSE;
    }

  return TRUE;
}
