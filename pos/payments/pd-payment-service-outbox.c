#include <glib/gi18n-lib.h>

#include "pd-payment-service-private.h"

/* The outbox: payments that wait for the core, sent again with their journaled requests;
 * recovery of what a stop left unfinished. */

/* Answers a drain has had from the core and not yet journaled: recorded together, one
 * commit for a run of payments instead of one each. */
#define ANSWER_BATCH_MAX 64

typedef struct {
  GPtrArray *payments;  /* PdPayment */
  GPtrArray *answers;   /* PdCoreAnswer, which the outcomes' strings point into */
  GArray *outcomes;     /* PdJournalOutcome */
} AnswerBatch;

static void
answer_batch_init (AnswerBatch *batch)
{
  batch->payments = g_ptr_array_new_with_free_func (g_object_unref);
  batch->answers = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_core_answer_free);
  batch->outcomes = g_array_new (FALSE, FALSE, sizeof (PdJournalOutcome));
}

static void
answer_batch_clear (AnswerBatch *batch)
{
  g_clear_pointer (&batch->payments, g_ptr_array_unref);
  g_clear_pointer (&batch->answers, g_ptr_array_unref);
  g_clear_pointer (&batch->outcomes, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AnswerBatch, answer_batch_clear)

/* Journals what the batch holds; on failure the payments stay as they were, to be sent
 * again with their keys. */
static gboolean
answer_batch_flush (PdPaymentService  *self,
                    AnswerBatch       *batch,
                    GError           **error)
{
  gboolean recorded = pd_journal_record_outcomes (self->journal,
                                                  (PdPayment * const *) batch->payments->pdata,
                                                  (const PdJournalOutcome *) batch->outcomes->data,
                                                  batch->outcomes->len, error);

  g_ptr_array_set_size (batch->payments, 0);
  g_ptr_array_set_size (batch->answers, 0);
  g_array_set_size (batch->outcomes, 0);
  return recorded;
}

/* A check or bank payment waiting for the core: sent again with its journaled request. Its
 * answer joins the batch; anything else is journaled at once, after the batch. */
static gboolean
deliver_held (PdPaymentService  *self,
              PdPayment         *payment,
              AnswerBatch       *batch,
              GCancellable      *cancellable,
              GError           **error)
{
  g_autoptr(PdJournalRequest) stored = NULL;
  g_autoptr(PdCoreAnswer) answer = NULL;
  g_autoptr(GError) send_error = NULL;
  PdJournalOutcome outcome;
  PdCoreRequest request;

  stored = pd_journal_get_first_request (self->journal, pd_payment_get_id (payment), error);
  if (stored == NULL)
    return FALSE;
  request = pd_journal_request_view (stored);

  answer = pd_core_client_send (self->client, &request, cancellable, &send_error);
  if (answer == NULL || !pd_payment_service_check_answer_matches (payment, answer, &send_error))
    return answer_batch_flush (self, batch, error) &&
           pd_payment_service_record_send_error (self, payment, send_error, error);

  outcome = pd_payment_service_outcome_for_answer (payment, answer);
  if (!pd_payment_service_outcome_from_current (payment, &outcome))
    return TRUE;

  g_ptr_array_add (batch->payments, g_object_ref (payment));
  g_ptr_array_add (batch->answers, g_steal_pointer (&answer));
  g_array_append_val (batch->outcomes, outcome);
  return batch->outcomes->len < ANSWER_BATCH_MAX || answer_batch_flush (self, batch, error);
}

/* A card payment still open long after its card left (a crash, a lost answer) is reversed:
 * the card never accepted the issuer's answer, so it must not be charged. A failure is left
 * for the next drain. Only payments past their grace come here (list_unfinished). */
static void
reverse_if_stale (PdPaymentService *self,
                  PdPayment        *payment,
                  GCancellable     *cancellable)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdJournalRequest) completion = NULL;

  /* The card's own verdict was journaled but never acknowledged: say it again. */
  completion = pd_journal_find_request (self->journal, pd_payment_get_id (payment),
                                        "%/completion", NULL);
  if (completion != NULL)
    {
      if (!pd_payment_service_send_completion (self, payment, completion, cancellable, &error))
        g_debug ("core: completion of %s not acknowledged yet: %s",
                 pd_payment_get_client_ref (payment), error->message);
      return;
    }

  if (!pd_payment_service_reverse_claimed (self, payment, "terminal_recovery", cancellable, &error))
    g_debug ("core: reversal of %s not acknowledged yet: %s",
             pd_payment_get_client_ref (payment), error->message);
}

/* What a drain looks at, in the order it works: payments a stop left before their first
 * send, those a crash or a lost answer left open, those approved but not completed, then
 * the queue, oldest first in each. */
static GPtrArray *
list_unfinished (PdPaymentService  *self,
                 GError           **error)
{
  static const PdPaymentState unfinished_states[] = {
    PD_PAYMENT_STATE_CREATED, PD_PAYMENT_STATE_AUTHORIZING, PD_PAYMENT_STATE_APPROVED,
    PD_PAYMENT_STATE_QUEUED,
  };
  g_autoptr(GPtrArray) unfinished = g_ptr_array_new_with_free_func (g_object_unref);

  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  for (gsize s = 0; s < G_N_ELEMENTS (unfinished_states); s++)
    {
      g_autoptr(GPtrArray) found = pd_journal_list_payments_in_state (self->journal,
                                                                      unfinished_states[s], error);

      if (found == NULL)
        return NULL;

      for (guint i = 0; i < found->len; i++)
        {
          PdPayment *payment = g_ptr_array_index (found, i);

          /* A card payment within its grace belongs to the card flow that took it, between
           * its authorization and the card's own verdict: a drain that claimed it then
           * would keep that flow from completing it. */
          if (pd_payment_get_tender (payment) == PD_TENDER_CARD &&
              g_date_time_difference (now, pd_payment_get_created_at (payment)) <
              self->card_grace)
            continue;
          g_ptr_array_add (unfinished, g_object_ref (payment));
        }
    }

  {
    g_autoptr(GPtrArray) undoing = pd_journal_list_undoing (self->journal, error);

    if (undoing == NULL)
      return NULL;
    g_ptr_array_extend_and_steal (unfinished, g_steal_pointer (&undoing));
  }

  return g_steal_pointer (&unfinished);
}

static gboolean
payment_in_batch (AnswerBatch *batch,
                  PdPayment   *payment)
{
  return g_ptr_array_find (batch->payments, payment, NULL);
}

/* One claimed payment. FALSE with an error when the journal failed; *stop when the core
 * still cannot take it, so that the queue goes out in order. */
static gboolean
finish_one (PdPaymentService  *self,
            PdPayment         *payment,
            AnswerBatch       *batch,
            guint             *delivered,
            gboolean          *stop,
            GCancellable      *cancellable,
            GError           **error)
{
  PdPaymentState before = pd_payment_get_state (payment);

  /* What follows is journaled at once: the batch goes first, so that the journal keeps the
   * order in which the core answered. */
  if (pd_payment_get_tender (payment) == PD_TENDER_CARD ||
      (before != PD_PAYMENT_STATE_AUTHORIZING && before != PD_PAYMENT_STATE_QUEUED))
    {
      if (!answer_batch_flush (self, batch, error))
        return FALSE;
    }

  switch (before)
    {
    case PD_PAYMENT_STATE_CREATED:
      /* Its first request never left: the move to AUTHORIZING comes before any send. */
      return pd_payment_service_record_and_release (self, payment, PD_PAYMENT_STATE_FAILED,
                                                    _("The terminal stopped before sending this payment to the "
                                   "payment core; nothing was charged."), error);

    case PD_PAYMENT_STATE_APPROVED:
      if (pd_payment_get_tender (payment) == PD_TENDER_CARD)
        break;
      /* Approved by the core, then a stop before it was marked complete. */
      return pd_payment_service_record_and_release (self, payment, PD_PAYMENT_STATE_COMPLETED, NULL, error);

    case PD_PAYMENT_STATE_AUTHORIZING:
    case PD_PAYMENT_STATE_QUEUED:
      if (pd_payment_get_tender (payment) == PD_TENDER_CARD)
        break;
      if (!deliver_held (self, payment, batch, cancellable, error))
        return FALSE;
      /* Journaled at once (no answer): still waiting, or closed. In the batch: answered. */
      if (pd_payment_get_state (payment) == PD_PAYMENT_STATE_QUEUED &&
          !payment_in_batch (batch, payment))
        *stop = TRUE;
      else
        (*delivered)++;
      return TRUE;

    case PD_PAYMENT_STATE_COMPLETED:
      return pd_payment_service_resend_undo (self, payment, cancellable, error);

    default:
      /* Finished by another worker between the listing and the claim. */
      return TRUE;
    }

  reverse_if_stale (self, payment, cancellable);
  return TRUE;
}

/* Sends what waits, oldest first, and stops at the first payment the core still cannot take
 * so that the order holds. Checks and bank payments left in AUTHORIZING by a crash are sent
 * again too: the same key makes the core answer what it answered before. Each payment is
 * claimed first, so that any number of drains (the kiosk's, an associate's) may run at once:
 * each sends what it claimed, and skips what another holds. Returns how many this drain
 * delivered. */
guint
pd_payment_service_drain_outbox (PdPaymentService  *self,
                                 GCancellable      *cancellable,
                                 GError           **error)
{
  g_autoptr(GPtrArray) unfinished = NULL;
  g_autoptr(GPtrArray) claimed = NULL;
  g_autoptr(GError) local_error = NULL;
  g_auto(AnswerBatch) batch = { 0 };
  /* Claims taken now hold this long; stop taking them up a minute before. */
  gint64 deadline = g_get_monotonic_time () +
                    (PD_JOURNAL_CLAIM_LEASE_SECONDS - 60) * G_TIME_SPAN_SECOND;
  guint delivered = 0;
  gboolean stop = FALSE;

  g_return_val_if_fail (PD_IS_PAYMENT_SERVICE (self), 0);

  unfinished = list_unfinished (self, error);
  if (unfinished == NULL)
    return 0;

  claimed = pd_journal_claim_payments (self->journal, unfinished, error);
  if (claimed == NULL)
    return 0;

  answer_batch_init (&batch);
  for (guint i = 0; i < claimed->len && !stop && g_get_monotonic_time () < deadline; i++)
    {
      /* Read again now that it is ours: another drain may have finished it since the
       * listing. */
      g_autoptr(PdPayment) payment = pd_journal_get_payment (
        self->journal, pd_payment_get_id (g_ptr_array_index (claimed, i)), &local_error);

      if (payment == NULL ||
          !finish_one (self, payment, &batch, &delivered, &stop, cancellable, &local_error))
        break;
    }

  /* Answers not journaled are not delivered: they go again with the next drain, and the
   * core answers them as before. */
  if (batch.outcomes->len > 0)
    {
      guint pending = batch.outcomes->len;

      if (local_error != NULL || !answer_batch_flush (self, &batch, &local_error))
        delivered -= MIN (delivered, pending);
    }

  /* What this drain did not finish goes back to whoever comes next. */
  pd_journal_release_payments (self->journal, claimed, NULL);

  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return delivered;
}
