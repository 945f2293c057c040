#include "pd-core-json.h"
#include "pd-json.h"
#include "pd-payment-service-private.h"
#include "pd-secret-file.h"

/* Card payments: authorized online, completed or reversed after the card's last word. */

/* with_sealed FALSE: what the journal keeps. The sealed PAN and track 2 equivalent data go
 * to the core in the authorization and are never written to disk (PCI DSS 3.3.1: no
 * sensitive authentication data after authorization, even encrypted); a card payment is
 * never sent again from the journal, and recovery asks the core by its reference. */
static JsonNode *
card_tender (const PdCardTender *card,
             gboolean            with_sealed)
{
  g_autoptr(JsonObject) tender = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (tender, "kind", "card");
  json_object_set_string_member (tender, "entry_mode", card->entry_mode);
  json_object_set_string_member (tender, "aid", card->aid);
  json_object_set_string_member (tender, "app_label", card->app_label);
  json_object_set_string_member (tender, "brand", card->brand);
  json_object_set_string_member (tender, "pan_last4", card->pan_last4);
  json_object_set_string_member (tender, "icc_data", card->icc_data);
  if (with_sealed)
    json_object_set_string_member (tender, "sealed", card->sealed);
  json_node_set_object (node, tender);
  return node;
}

/* Reverses a card authorization whose fate is unknown or unwanted. The reversal is journaled
 * first and sent with one key until the core acknowledges it, across restarts (outbox
 * drain sends it again). Returns FALSE with the payment still open when it was not
 * acknowledged. */
gboolean
pd_payment_service_reverse_claimed (PdPaymentService  *self,
                                    PdPayment         *payment,
                                    const char        *reason,
                                    GCancellable      *cancellable,
                                    GError           **error)
{
  g_autoptr(PdJournalRequest) stored = NULL;
  g_autoptr(PdCoreAnswer) answer = NULL;
  g_autoptr(GError) local_error = NULL;
  PdCoreRequest request;

  stored = pd_journal_find_request (self->journal, pd_payment_get_id (payment), "/v1/reversals",
                                    &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (stored == NULL)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autofree char *key = g_uuid_string_random ();
      g_autofree char *body = NULL;

      json_builder_begin_object (builder);
      pd_json_add_string (builder, "client_ref", pd_payment_get_client_ref (payment));
      pd_json_add_string (builder, "reason", reason);
      json_builder_end_object (builder);
      body = pd_json_builder_to_string (builder);
      request = (PdCoreRequest) { "POST", "/v1/reversals", key, body };
      if (!pd_journal_record_request (self->journal, payment, &request, error))
        return FALSE;

      stored = pd_journal_find_request (self->journal, pd_payment_get_id (payment),
                                        "/v1/reversals", error);
      if (stored == NULL)
        return FALSE;
    }

  request = pd_journal_request_view (stored);
  answer = pd_core_client_send (self->client, &request, cancellable, error);
  if (answer == NULL)
    return FALSE;

  return pd_payment_service_record_and_release (self, payment, PD_PAYMENT_STATE_REVERSED, reason, error);
}

/* The answer to a card authorization was lost: ask the core what became of it, and reverse
 * it if the core cannot say (a reversal of a payment it never saw keeps it from ever
 * charging it). */
static gboolean
recover_card (PdPaymentService  *self,
              PdPayment         *payment,
              PdCoreAnswer     **answer_out,
              GCancellable      *cancellable,
              GError           **error)
{
  g_autoptr(PdCoreAnswer) found = NULL;
  g_autoptr(GError) reverse_error = NULL;

  found = pd_core_client_find_payment (self->client, pd_payment_get_client_ref (payment),
                                       cancellable, NULL);
  if (found != NULL && !pd_payment_service_check_answer_matches (payment, found, NULL))
    g_clear_pointer (&found, pd_core_answer_free);
  if (found != NULL)
    {
      if (!pd_payment_service_record_answer (self, payment, found, error))
        return FALSE;
      if (answer_out != NULL)
        *answer_out = g_steal_pointer (&found);
      return TRUE;
    }

  if (!pd_payment_service_reverse_claimed (self, payment, "timeout", cancellable, &reverse_error))
    {
      g_debug ("core: reversal of %s not acknowledged yet: %s",
               pd_payment_get_client_ref (payment), reverse_error->message);
      /* A drain sends it again. */
      return pd_journal_release_payment (self->journal, payment, error);
    }

  return TRUE;
}

/* The authorization as the core gets it, with the sealed card data, which lives only as long
 * as this call. */
static PdCoreAnswer *
send_card_authorization (PdPaymentService    *self,
                         PdPayment           *payment,
                         const PdCardTender  *card,
                         GCancellable        *cancellable,
                         GError             **error)
{
  g_autoptr(JsonNode) tender = card_tender (card, TRUE);
  char *body = pd_core_json_payment_request (payment, tender);
  PdCoreRequest request = { "POST", "/v1/payments", pd_payment_get_idempotency_key (payment),
                            body };
  PdCoreAnswer *answer = pd_core_client_send (self->client, &request, cancellable, error);

  pd_secret_free (body);
  return answer;
}

/* Authorizes a card payment online. The payment comes back APPROVED (the card must still
 * accept the issuer's answer), DECLINED, FAILED (nothing charged), REVERSED, or still
 * AUTHORIZING when its answer was lost and the reversal awaits acknowledgment. */
PdPayment *
pd_payment_service_authorize_card (PdPaymentService        *self,
                                   PdAccount               *account,
                                   PdInvoice               *invoice,
                                   PdCents                  amount,
                                   const PdCardTender      *card,
                                   const PdPaymentParties  *parties,
                                   PdCoreAnswer           **answer_out,
                                   GCancellable            *cancellable,
                                   GError                 **error)
{
  PdPaymentOrigin origin = pd_payment_service_origin_for (self, parties);
  g_autoptr(PdPayment) payment = NULL;
  g_autoptr(JsonNode) journaled_tender = NULL;
  g_autoptr(PdCoreAnswer) answer = NULL;
  g_autoptr(GError) send_error = NULL;
  GError *journal_error = NULL;
  g_autofree char *journaled_body = NULL;
  PdCoreRequest request;

  g_return_val_if_fail (PD_IS_PAYMENT_SERVICE (self), NULL);
  g_return_val_if_fail (card != NULL && card->sealed != NULL && card->icc_data != NULL, NULL);

  if (!pd_payment_service_check_amount (self, amount, error))
    return NULL;

  payment = pd_payment_new (&origin, account, invoice, amount, PD_TENDER_CARD, NULL, error);
  if (payment == NULL ||
      !pd_payment_set_tender_display (payment, card->brand, card->pan_last4, error))
    return NULL;

  journaled_tender = card_tender (card, FALSE);
  journaled_body = pd_core_json_payment_request (payment, journaled_tender);
  request = (PdCoreRequest) { "POST", "/v1/payments",
                              pd_payment_get_idempotency_key (payment), journaled_body };

  if (!pd_journal_begin_payment (self->journal, payment, &request, NULL, error))
    {
      pd_payment_service_note_nothing_charged (error);
      return NULL;
    }

  answer = send_card_authorization (self, payment, card, cancellable, &send_error);
  if (answer != NULL && !pd_payment_service_check_answer_matches (payment, answer, &send_error))
    g_clear_pointer (&answer, pd_core_answer_free);
  if (answer != NULL)
    {
      if (!pd_payment_service_record_answer (self, payment, answer, &journal_error))
        {
          pd_payment_service_set_outcome_not_recorded (self, payment, journal_error, error);
          return NULL;
        }
      if (answer_out != NULL)
        *answer_out = g_steal_pointer (&answer);
      return g_steal_pointer (&payment);
    }

  /* Never sent: nothing to undo. */
  if (g_error_matches (send_error, PD_CORE_ERROR, PD_CORE_ERROR_UNREACHABLE) ||
      (!g_error_matches (send_error, PD_CORE_ERROR, PD_CORE_ERROR_NO_ANSWER) &&
       !g_error_matches (send_error, G_IO_ERROR, G_IO_ERROR_CANCELLED)))
    {
      if (!pd_payment_service_record_and_release (self, payment, PD_PAYMENT_STATE_FAILED, send_error->message,
                                                  &journal_error))
        {
          pd_payment_service_set_outcome_not_recorded (self, payment, journal_error, error);
          return NULL;
        }
      return g_steal_pointer (&payment);
    }

  if (!recover_card (self, payment, answer_out, NULL, &journal_error))
    {
      pd_payment_service_set_outcome_not_recorded (self, payment, journal_error, error);
      return NULL;
    }

  return g_steal_pointer (&payment);
}

/* Sends a journaled follow-up (a completion) and journals the core's answer. */
gboolean
pd_payment_service_send_completion (PdPaymentService  *self,
                                    PdPayment         *payment,
                                    PdJournalRequest  *stored,
                                    GCancellable      *cancellable,
                                    GError           **error)
{
  PdCoreRequest request = pd_journal_request_view (stored);
  g_autoptr(PdCoreAnswer) answer = pd_core_client_send (self->client, &request, cancellable,
                                                        error);

  if (answer == NULL)
    return FALSE;

  if (answer->status == PD_CORE_STATUS_REVERSED)
    return pd_payment_service_record_and_release (self, payment, PD_PAYMENT_STATE_REVERSED, "card_declined", error);

  return pd_payment_service_record_and_release (self, payment, PD_PAYMENT_STATE_COMPLETED, NULL, error);
}

/* After the second GENERATE AC: the card accepted the issuer's answer (completed), or
 * declined it, which reverses the authorization. Journaled before it is sent; a lost
 * answer leaves the payment approved, and the drain sends the same completion again. */
PdPayment *
pd_payment_service_complete_card (PdPaymentService  *self,
                                  const char        *payment_id,
                                  gboolean           card_accepted,
                                  const char        *icc_data,
                                  GCancellable      *cancellable,
                                  GError           **error)
{
  g_autoptr(PdPayment) payment = NULL;
  g_autoptr(PdCoreAnswer) found = NULL;
  g_autoptr(PdJournalRequest) stored = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *key = g_uuid_string_random ();
  g_autofree char *path = NULL;
  g_autofree char *escaped_id = NULL;
  g_autofree char *body = NULL;
  PdCoreRequest request;

  g_return_val_if_fail (PD_IS_PAYMENT_SERVICE (self), NULL);
  g_return_val_if_fail (payment_id != NULL, NULL);

  payment = pd_journal_get_payment (self->journal, payment_id, error);
  if (payment == NULL ||
      !pd_payment_state_check_transition (pd_payment_get_state (payment),
                                          card_accepted ? PD_PAYMENT_STATE_COMPLETED
                                                        : PD_PAYMENT_STATE_REVERSED,
                                          pd_payment_get_tender (payment), error) ||
      !pd_payment_service_claim_or_say_busy (self, payment, error))
    return NULL;

  found = pd_core_client_find_payment (self->client, pd_payment_get_client_ref (payment),
                                       cancellable, error);
  if (found == NULL)
    {
      pd_journal_release_payment (self->journal, payment, NULL);
      return NULL;
    }

  json_builder_begin_object (builder);
  pd_json_add_string (builder, "outcome", card_accepted ? "completed" : "card_declined");
  pd_json_add_string (builder, "icc_data", icc_data);
  json_builder_end_object (builder);
  body = pd_json_builder_to_string (builder);
  escaped_id = g_uri_escape_string (found->payment_id, NULL, FALSE);
  path = g_strdup_printf ("/v1/payments/%s/completion", escaped_id);
  request = (PdCoreRequest) { "POST", path, key, body };

  if (!pd_journal_record_request (self->journal, payment, &request, error) ||
      !(stored = pd_journal_find_request (self->journal, pd_payment_get_id (payment),
                                          "%/completion", error)) ||
      !pd_payment_service_send_completion (self, payment, stored, cancellable, error))
    {
      /* The drain sends the journaled completion again. */
      pd_journal_release_payment (self->journal, payment, NULL);
      return NULL;
    }

  return g_steal_pointer (&payment);
}

PdPayment *
pd_payment_service_reverse (PdPaymentService  *self,
                            const char        *payment_id,
                            const char        *reason,
                            GCancellable      *cancellable,
                            GError           **error)
{
  g_autoptr(PdPayment) payment = NULL;

  g_return_val_if_fail (PD_IS_PAYMENT_SERVICE (self), NULL);
  g_return_val_if_fail (payment_id != NULL, NULL);

  payment = pd_journal_get_payment (self->journal, payment_id, error);
  if (payment == NULL ||
      !pd_payment_state_check_transition (pd_payment_get_state (payment),
                                          PD_PAYMENT_STATE_REVERSED,
                                          pd_payment_get_tender (payment), error) ||
      !pd_payment_service_claim_or_say_busy (self, payment, error))
    return NULL;

  if (!pd_payment_service_reverse_claimed (self, payment, reason, cancellable, error))
    {
      pd_journal_release_payment (self->journal, payment, NULL);
      return NULL;
    }

  return g_steal_pointer (&payment);
}
