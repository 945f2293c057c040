#include <glib/gi18n-lib.h>

#include "pd-business-date.h"
#include "pd-json.h"
#include "pd-payment-service-private.h"

/* Voids (the same business day) and refunds (after settlement), journaled before they
 * leave and sent again with their key until the core answers. */

/* The journaled void ("%/void") or refund ("/v1/refunds") of a payment, or NULL without an
 * error when there is none. */
static PdJournalRequest *
find_undo_request (PdPaymentService  *self,
                   PdPayment         *payment,
                   PdPaymentState    *target,
                   GError           **error)
{
  g_autoptr(GError) local_error = NULL;
  PdJournalRequest *stored;

  stored = pd_journal_find_request (self->journal, pd_payment_get_id (payment), "%/void",
                                    &local_error);
  if (stored != NULL)
    {
      *target = PD_PAYMENT_STATE_VOIDED;
      return stored;
    }
  if (local_error == NULL)
    stored = pd_journal_find_request (self->journal, pd_payment_get_id (payment),
                                      "/v1/refunds", &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  *target = PD_PAYMENT_STATE_REFUNDED;
  return stored;
}

/* Sends a journaled void or refund (again: the same key and body, so the core does it once)
 * and records what the core confirmed. */
static gboolean
send_undo (PdPaymentService  *self,
           PdPayment         *payment,
           PdPaymentState     target,
           PdJournalRequest  *stored,
           GCancellable      *cancellable,
           GError           **error)
{
  PdCoreRequest request = pd_journal_request_view (stored);
  PdCoreStatus expected = target == PD_PAYMENT_STATE_REFUNDED ? PD_CORE_STATUS_REFUNDED
                                                              : PD_CORE_STATUS_VOIDED;
  g_autoptr(PdCoreAnswer) answer = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) send_error = NULL;
  PdJournalOutcome outcome = { .states = { target }, .n_states = 1, .release_claim = TRUE };

  answer = pd_core_client_send (self->client, &request, cancellable, &send_error);
  if (answer == NULL)
    {
      if (g_error_matches (send_error, PD_CORE_ERROR, PD_CORE_ERROR_NO_ANSWER) ||
          g_error_matches (send_error, PD_CORE_ERROR, PD_CORE_ERROR_UNREACHABLE))
        g_set_error (error, PD_CORE_ERROR, send_error->code,
                     target == PD_PAYMENT_STATE_REFUNDED
                     ? _("The refund of payment %s is kept and goes again, with its key, with "
                         "the next outbox drain: %s")
                     : _("The void of payment %s is kept and goes again, with its key, with the "
                         "next outbox drain: %s"),
                     pd_payment_get_client_ref (payment), send_error->message);
      else
        g_propagate_error (error, g_steal_pointer (&send_error));
      return FALSE;
    }

  if (answer->status != expected)
    {
      g_set_error (error, PD_CORE_ERROR, PD_CORE_ERROR_REJECTED,
                   _("The payment core did not do it: payment %s is %s."),
                   pd_payment_get_client_ref (payment), pd_core_status_to_id (answer->status));
      return FALSE;
    }

  /* The reason is the one journaled with the request, whoever sends it again. */
  if (json_parser_load_from_data (parser, stored->body, -1, NULL))
    outcome.reason = pd_json_get_string (pd_json_node_get_object (json_parser_get_root (parser)),
                                         "reason");
  if (target == PD_PAYMENT_STATE_REFUNDED)
    outcome.confirmation = answer->confirmation_number;
  return pd_journal_record_outcome (self->journal, payment, &outcome, error);
}

/* A void (the same business day, before settlement) or a refund (after): journaled before it
 * is sent, and sent with one key, by this call or by the drains after it, until the core
 * confirms it. Asked again while one waits, the waiting one goes again. */
static PdPayment *
undo_payment (PdPaymentService  *self,
              const char        *payment_id,
              PdPaymentState     target,
              const char        *operator_id,
              const char        *reason,
              GCancellable      *cancellable,
              GError           **error)
{
  g_autoptr(PdPayment) payment = NULL;
  g_autoptr(PdJournalRequest) stored = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  PdPaymentState waiting = target;
  GDate today;

  payment = pd_journal_get_payment (self->journal, payment_id, error);
  if (payment == NULL ||
      !pd_payment_state_check_transition (pd_payment_get_state (payment), target,
                                          pd_payment_get_tender (payment), error) ||
      !pd_payment_service_claim_or_say_busy (self, payment, error))
    return NULL;

  stored = find_undo_request (self, payment, &waiting, error);
  if (stored == NULL && error != NULL && *error != NULL)
    goto failed;

  if (stored != NULL && waiting != target)
    {
      g_set_error (error, PD_PAYMENT_STATE_ERROR, PD_PAYMENT_STATE_ERROR_FORBIDDEN,
                   waiting == PD_PAYMENT_STATE_VOIDED
                   ? _("A void of payment %s waits for the payment core's answer: the outbox "
                       "drain sends it again.")
                   : _("A refund of payment %s waits for the payment core's answer: the outbox "
                       "drain sends it again."),
                   pd_payment_get_client_ref (payment));
      goto failed;
    }

  if (stored == NULL)
    {
      g_autoptr(PdCoreAnswer) found = NULL;
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autofree char *key = g_uuid_string_random ();
      g_autofree char *path = NULL;
      g_autofree char *body = NULL;
      PdCoreRequest request;

      pd_business_date_for (now, pd_config_get_business_day_cutoff (self->config), &today);
      if (target == PD_PAYMENT_STATE_VOIDED &&
          g_date_compare (&today, pd_payment_get_business_date (payment)) != 0)
        {
          g_set_error (error, PD_PAYMENT_STATE_ERROR, PD_PAYMENT_STATE_ERROR_FORBIDDEN,
                       _("Payment %s is from an earlier business day and may be settled: "
                         "refund it instead of voiding it."),
                       pd_payment_get_client_ref (payment));
          goto failed;
        }

      found = pd_core_client_find_payment (self->client, pd_payment_get_client_ref (payment),
                                           cancellable, error);
      if (found == NULL)
        goto failed;

      json_builder_begin_object (builder);
      if (target == PD_PAYMENT_STATE_REFUNDED)
        {
          pd_json_add_string (builder, "payment_id", found->payment_id);
          json_builder_set_member_name (builder, "amount_cents");
          json_builder_add_int_value (builder, pd_payment_get_amount (payment));
          path = g_strdup ("/v1/refunds");
        }
      else
        {
          g_autofree char *escaped_id = g_uri_escape_string (found->payment_id, NULL, FALSE);

          path = g_strdup_printf ("/v1/payments/%s/void", escaped_id);
        }
      pd_json_add_string (builder, "reason", reason);
      pd_json_add_string (builder, "operator_id", operator_id);
      json_builder_end_object (builder);
      body = pd_json_builder_to_string (builder);
      request = (PdCoreRequest) { "POST", path, key, body };

      if (!pd_journal_record_request (self->journal, payment, &request, error) ||
          !(stored = find_undo_request (self, payment, &waiting, error)))
        goto failed;
    }

  if (!send_undo (self, payment, target, stored, cancellable, error))
    goto failed;

  return g_steal_pointer (&payment);

failed:
  pd_journal_release_payment (self->journal, payment, NULL);
  return NULL;
}

/* A void or refund whose answer was lost: sent again with its key. One the core still
 * cannot take waits for the next drain; only the journal failing is an error. */
gboolean
pd_payment_service_resend_undo (PdPaymentService  *self,
                                PdPayment         *payment,
                                GCancellable      *cancellable,
                                GError           **error)
{
  g_autoptr(PdJournalRequest) stored = NULL;
  g_autoptr(GError) local_error = NULL;
  PdPaymentState target = PD_PAYMENT_STATE_VOIDED;

  stored = find_undo_request (self, payment, &target, error);
  if (stored == NULL)
    return error == NULL || *error == NULL;

  if (!send_undo (self, payment, target, stored, cancellable, &local_error))
    {
      if (g_error_matches (local_error, PD_JOURNAL_ERROR, PD_JOURNAL_ERROR_FULL) ||
          g_error_matches (local_error, PD_JOURNAL_ERROR, PD_JOURNAL_ERROR_FAILED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_debug ("core: %s", local_error->message);
    }
  return TRUE;
}

PdPayment *
pd_payment_service_void (PdPaymentService  *self,
                         const char        *payment_id,
                         const char        *operator_id,
                         const char        *reason,
                         GCancellable      *cancellable,
                         GError           **error)
{
  g_return_val_if_fail (PD_IS_PAYMENT_SERVICE (self), NULL);
  g_return_val_if_fail (payment_id != NULL, NULL);

  return undo_payment (self, payment_id, PD_PAYMENT_STATE_VOIDED, operator_id, reason,
                       cancellable, error);
}

PdPayment *
pd_payment_service_refund (PdPaymentService  *self,
                           const char        *payment_id,
                           const char        *operator_id,
                           const char        *reason,
                           GCancellable      *cancellable,
                           GError           **error)
{
  g_return_val_if_fail (PD_IS_PAYMENT_SERVICE (self), NULL);
  g_return_val_if_fail (payment_id != NULL, NULL);

  return undo_payment (self, payment_id, PD_PAYMENT_STATE_REFUNDED, operator_id, reason,
                       cancellable, error);
}
