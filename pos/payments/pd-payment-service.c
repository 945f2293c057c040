#include <string.h>

#include <glib/gi18n-lib.h>

#include "pd-business-date.h"
#include "pd-core-json.h"
#include "pd-json.h"
#include "pd-payment-service.h"
#include "pd-secret-file.h"
#include "pd-strings.h"

/* The steps of a payment, in the order that keeps every promise: journaled before anything
 * leaves the machine, sent with one key however many times it takes, and every answer
 * journaled before anyone is told. */
struct _PdPaymentService {
  GObject parent_instance;

  PdConfig *config;
  PdJournal *journal;
  PdCoreClient *client;
  /* A card payment left unfinished longer than this has lost its card: it is reversed. */
  GTimeSpan card_grace;
  char *language;
};

G_DEFINE_FINAL_TYPE (PdPaymentService, pd_payment_service, G_TYPE_OBJECT)

static void
pd_payment_service_finalize (GObject *object)
{
  PdPaymentService *self = PD_PAYMENT_SERVICE (object);

  g_clear_object (&self->config);
  g_clear_object (&self->journal);
  g_clear_object (&self->client);
  g_free (self->language);

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

void
pd_payment_service_set_language (PdPaymentService *self,
                                 const char       *language)
{
  g_return_if_fail (PD_IS_PAYMENT_SERVICE (self));

  pd_replace_string (&self->language, language);
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

static PdPaymentOrigin
origin_for (PdPaymentService *self,
            const char       *operator_id)
{
  return (PdPaymentOrigin) {
    .center_id = pd_config_get_center_id (self->config),
    .terminal_id = pd_config_get_terminal_id (self->config),
    .operator_id = operator_id,
    .business_day_cutoff_minutes = pd_config_get_business_day_cutoff (self->config),
    .language = self->language,
    .training = pd_config_get_training (self->config),
  };
}

static JsonNode *
bank_tender (PdBankAccount  *bank_account,
             const char     *sealed)
{
  g_autoptr(JsonObject) tender = json_object_new ();
  JsonObject *authorization = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (tender, "kind", "bank");
  json_object_set_string_member (tender, "routing_number",
                                 pd_bank_account_get_routing_number (bank_account));
  json_object_set_string_member (tender, "account_type",
                                 pd_bank_account_type_to_id (
                                   pd_bank_account_get_account_type (bank_account)));
  json_object_set_string_member (tender, "account_last4", pd_bank_account_get_last4 (bank_account));
  json_object_set_string_member (tender, "holder_name",
                                 pd_bank_account_get_holder_name (bank_account));
  json_object_set_string_member (authorization, "text_version", PD_BANK_AUTHORIZATION_VERSION);
  json_object_set_object_member (tender, "authorization", authorization);
  json_object_set_string_member (tender, "sealed", sealed);

  json_node_set_object (node, tender);
  return node;
}

/* A payment sent from the outbox goes on from QUEUED: its send is recorded with what came
 * of it, in one commit (until then it stays queued, and is sent again with its key after a
 * stop, as one in AUTHORIZING would be). FALSE when there is nothing to record: one still
 * not through stays as it is. */
static gboolean
outcome_from_current (PdPayment         *payment,
                      PdJournalOutcome  *outcome)
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
  if (!outcome_from_current (payment, outcome))
    return TRUE;

  return pd_journal_record_outcome (self->journal, payment, outcome, error);
}

/* An answer is about the payment asked for, or it is no answer: the core's reference and
 * amount must be this payment's, and a new payment cannot come back voided or refunded. A
 * mismatch is treated as a lost answer (the payment is held, or looked up, and sent again
 * with its key), never as a charge. */
static gboolean
check_answer_matches (PdPayment     *payment,
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
static PdJournalOutcome
outcome_for_answer (PdPayment     *payment,
                    PdCoreAnswer  *answer)
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
static gboolean
record_answer (PdPaymentService  *self,
               PdPayment         *payment,
               PdCoreAnswer      *answer,
               GError           **error)
{
  PdJournalOutcome outcome = outcome_for_answer (payment, answer);

  return record_from_current (self, payment, &outcome, error);
}

/* A move that ends this worker's part: the payment is left for the outbox or closed. */
static gboolean
record_and_release (PdPaymentService  *self,
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
static void
set_outcome_not_recorded (PdPaymentService  *self,
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
static gboolean
claim_or_say_busy (PdPaymentService  *self,
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
static void
note_nothing_charged (GError **error)
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
    return record_and_release (self, payment, PD_PAYMENT_STATE_QUEUED, send_error->message,
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

      return record_and_release (self, payment, PD_PAYMENT_STATE_FAILED, reason, error);
    }

  if (amount > pd_config_get_outbox_max_payment (self->config) ||
      amount > pd_config_get_outbox_max_total (self->config) - queued_total)
    {
      g_autofree char *reason = g_strdup_printf (_("%s The payment is over what this terminal may "
                                                   "hold until the core is back; nothing was "
                                                   "charged."), send_error->message);

      return record_and_release (self, payment, PD_PAYMENT_STATE_FAILED, reason, error);
    }

  return record_and_release (self, payment, PD_PAYMENT_STATE_QUEUED, send_error->message, error);
}

/* No answer: held for the outbox, or failed when the core refused the request. */
static gboolean
record_send_error (PdPaymentService  *self,
                   PdPayment         *payment,
                   const GError      *send_error,
                   GError           **error)
{
  if (g_error_matches (send_error, PD_CORE_ERROR, PD_CORE_ERROR_UNREACHABLE) ||
      g_error_matches (send_error, PD_CORE_ERROR, PD_CORE_ERROR_NO_ANSWER) ||
      g_error_matches (send_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return hold_or_fail (self, payment, send_error, error);

  return record_and_release (self, payment, PD_PAYMENT_STATE_FAILED, send_error->message, error);
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
  if (answer != NULL && check_answer_matches (payment, answer, &send_error))
    return record_answer (self, payment, answer, error);

  return record_send_error (self, payment, send_error, error);
}

/* A check or bank payment: its request journaled before the first send (one commit), then
 * sent, and its outcome journaled (one more). */
static gboolean
journal_and_authorize (PdPaymentService  *self,
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
      note_nothing_charged (error);
      return FALSE;
    }

  if (!authorize (self, payment, &request, cancellable, &journal_error))
    {
      set_outcome_not_recorded (self, payment, journal_error, error);
      return FALSE;
    }

  return TRUE;
}

/* Returns the payment in the state it reached (completed, declined, queued or failed; the
 * reason says why), or NULL when nothing was recorded. */
PdPayment *
pd_payment_service_pay_bank (PdPaymentService  *self,
                             PdAccount         *account,
                             PdInvoice         *invoice,
                             PdCents            amount,
                             PdBankAccount     *bank_account,
                             const char        *operator_id,
                             GCancellable      *cancellable,
                             GError           **error)
{
  PdPaymentOrigin origin = origin_for (self, operator_id);
  g_autoptr(PdPayment) payment = NULL;
  g_autofree char *sealed = NULL;
  g_autoptr(JsonNode) tender = NULL;

  g_return_val_if_fail (PD_IS_PAYMENT_SERVICE (self), NULL);
  g_return_val_if_fail (bank_account != NULL, NULL);

  if (!pd_payment_service_check_amount (self, amount, error))
    return NULL;

  payment = pd_payment_new (&origin, account, invoice, amount, PD_TENDER_BANK, NULL, error);
  if (payment == NULL ||
      !pd_payment_set_tender_display (payment,
                                      pd_bank_account_type_to_id (
                                        pd_bank_account_get_account_type (bank_account)),
                                      pd_bank_account_get_last4 (bank_account), error))
    return NULL;

  sealed = pd_bank_account_seal (bank_account, pd_config_get_core_public_key (self->config),
                                 error);
  if (sealed == NULL)
    return NULL;

  tender = bank_tender (bank_account, sealed);
  if (!journal_and_authorize (self, payment, tender, PD_BANK_AUTHORIZATION_VERSION,
                              cancellable, error))
    return NULL;

  return g_steal_pointer (&payment);
}

/* Checks */

const char *
pd_check_tender_choose_authorization (const PdCheckTender  *check,
                                      PdCents               amount,
                                      GError              **error)
{
  const char *why;

  g_return_val_if_fail (check != NULL, NULL);

  if (check->aux_on_us == NULL && check->serial != NULL && *check->serial != '\0' &&
      amount <= PD_CHECK_POP_LIMIT_CENTS)
    return "POP";
  if (check->has_images)
    return "CHECK21";

  why = check->images_missing_reason != NULL ? check->images_missing_reason
                                             : _("the scanner did not say why");

  if (check->aux_on_us != NULL)
    g_set_error (error, PD_PAYMENT_ERROR, PD_PAYMENT_ERROR_INVALID_TENDER_DETAILS,
                 _("This is a business check: it can only be sent as images, and the scanner "
                   "gave none (%s). Nothing was charged; ask for another way to pay."),
                 why);
  else if (amount > PD_CHECK_POP_LIMIT_CENTS)
    g_set_error (error, PD_PAYMENT_ERROR, PD_PAYMENT_ERROR_INVALID_TENDER_DETAILS,
                 _("A check over the conversion limit can only be sent as images, and the "
                   "scanner gave none (%s). Nothing was charged."),
                 why);
  else
    g_set_error (error, PD_PAYMENT_ERROR, PD_PAYMENT_ERROR_INVALID_TENDER_DETAILS,
                 _("The check has no serial number, so it can only be sent as images, and the "
                   "scanner gave none (%s). Nothing was charged."),
                 why);
  return NULL;
}

static JsonNode *
check_tender (const PdCheckTender *check,
              const char          *authorization)
{
  g_autoptr(JsonObject) tender = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (tender, "kind", "check");
  json_object_set_string_member (tender, "routing_number", check->routing_number);
  json_object_set_string_member (tender, "serial", check->serial);
  json_object_set_string_member (tender, "aux_on_us", check->aux_on_us);
  json_object_set_string_member (tender, "account_last4", check->account_last4);
  json_object_set_string_member (tender, "authorization", authorization);
  json_object_set_boolean_member (tender, "images_included", check->has_images);
  if (!check->has_images)
    json_object_set_string_member (tender, "images_missing_reason",
                                   check->images_missing_reason);
  json_object_set_string_member (tender, "sealed", check->sealed);

  json_node_set_object (node, tender);
  return node;
}

/* Returns the payment in the state it reached (completed, declined, queued or failed; the
 * reason says why), or NULL when nothing was recorded. */
PdPayment *
pd_payment_service_pay_check (PdPaymentService     *self,
                              PdAccount            *account,
                              PdInvoice            *invoice,
                              PdCents               amount,
                              const PdCheckTender  *check,
                              const char           *operator_id,
                              GCancellable         *cancellable,
                              GError              **error)
{
  PdPaymentOrigin origin = origin_for (self, operator_id);
  g_autoptr(PdPayment) payment = NULL;
  g_autoptr(JsonNode) tender = NULL;
  const char *authorization;

  g_return_val_if_fail (PD_IS_PAYMENT_SERVICE (self), NULL);
  g_return_val_if_fail (check != NULL && check->sealed != NULL, NULL);

  if (!pd_payment_service_check_amount (self, amount, error))
    return NULL;

  if (!pd_routing_number_is_valid (check->routing_number))
    {
      g_set_error_literal (error, PD_PAYMENT_ERROR, PD_PAYMENT_ERROR_INVALID_TENDER_DETAILS,
                           _("The check's routing number is not a valid one. Nothing was "
                             "charged; ask for another way to pay."));
      return NULL;
    }

  authorization = pd_check_tender_choose_authorization (check, amount, error);
  if (authorization == NULL)
    return NULL;

  payment = pd_payment_new (&origin, account, invoice, amount, PD_TENDER_CHECK, NULL, error);
  if (payment == NULL ||
      !pd_payment_set_tender_display (payment, authorization, check->account_last4, error))
    return NULL;

  tender = check_tender (check, authorization);
  if (!journal_and_authorize (self, payment, tender,
                              g_str_equal (authorization, "POP")
                              ? PD_CHECK_CONVERSION_AUTHORIZATION_VERSION : NULL,
                              cancellable, error))
    return NULL;

  return g_steal_pointer (&payment);
}

/* Cards */

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
static gboolean
reverse (PdPaymentService  *self,
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

  return record_and_release (self, payment, PD_PAYMENT_STATE_REVERSED, reason, error);
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
  if (found != NULL && !check_answer_matches (payment, found, NULL))
    g_clear_pointer (&found, pd_core_answer_free);
  if (found != NULL)
    {
      if (!record_answer (self, payment, found, error))
        return FALSE;
      if (answer_out != NULL)
        *answer_out = g_steal_pointer (&found);
      return TRUE;
    }

  if (!reverse (self, payment, "timeout", cancellable, &reverse_error))
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
pd_payment_service_authorize_card (PdPaymentService    *self,
                                   PdAccount           *account,
                                   PdInvoice           *invoice,
                                   PdCents              amount,
                                   const PdCardTender  *card,
                                   const char          *operator_id,
                                   PdCoreAnswer       **answer_out,
                                   GCancellable        *cancellable,
                                   GError             **error)
{
  PdPaymentOrigin origin = origin_for (self, operator_id);
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
      note_nothing_charged (error);
      return NULL;
    }

  answer = send_card_authorization (self, payment, card, cancellable, &send_error);
  if (answer != NULL && !check_answer_matches (payment, answer, &send_error))
    g_clear_pointer (&answer, pd_core_answer_free);
  if (answer != NULL)
    {
      if (!record_answer (self, payment, answer, &journal_error))
        {
          set_outcome_not_recorded (self, payment, journal_error, error);
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
      if (!record_and_release (self, payment, PD_PAYMENT_STATE_FAILED, send_error->message,
                               &journal_error))
        {
          set_outcome_not_recorded (self, payment, journal_error, error);
          return NULL;
        }
      return g_steal_pointer (&payment);
    }

  if (!recover_card (self, payment, answer_out, NULL, &journal_error))
    {
      set_outcome_not_recorded (self, payment, journal_error, error);
      return NULL;
    }

  return g_steal_pointer (&payment);
}

/* Sends a journaled follow-up (a completion) and journals the core's answer. */
static gboolean
send_completion (PdPaymentService  *self,
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
    return record_and_release (self, payment, PD_PAYMENT_STATE_REVERSED, "card_declined", error);

  return record_and_release (self, payment, PD_PAYMENT_STATE_COMPLETED, NULL, error);
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
      !claim_or_say_busy (self, payment, error))
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
      !send_completion (self, payment, stored, cancellable, error))
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
      !claim_or_say_busy (self, payment, error))
    return NULL;

  if (!reverse (self, payment, reason, cancellable, error))
    {
      pd_journal_release_payment (self->journal, payment, NULL);
      return NULL;
    }

  return g_steal_pointer (&payment);
}

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
      !claim_or_say_busy (self, payment, error))
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
  if (answer == NULL || !check_answer_matches (payment, answer, &send_error))
    return answer_batch_flush (self, batch, error) &&
           record_send_error (self, payment, send_error, error);

  outcome = outcome_for_answer (payment, answer);
  if (!outcome_from_current (payment, &outcome))
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
      if (!send_completion (self, payment, completion, cancellable, &error))
        g_debug ("core: completion of %s not acknowledged yet: %s",
                 pd_payment_get_client_ref (payment), error->message);
      return;
    }

  if (!reverse (self, payment, "terminal_recovery", cancellable, &error))
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

/* A void or refund whose answer was lost: sent again with its key. One the core still
 * cannot take waits for the next drain; only the journal failing is an error. */
static gboolean
resend_undo (PdPaymentService  *self,
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
      return record_and_release (self, payment, PD_PAYMENT_STATE_FAILED,
                                 _("The terminal stopped before sending this payment to the "
                                   "payment core; nothing was charged."), error);

    case PD_PAYMENT_STATE_APPROVED:
      if (pd_payment_get_tender (payment) == PD_TENDER_CARD)
        break;
      /* Approved by the core, then a stop before it was marked complete. */
      return record_and_release (self, payment, PD_PAYMENT_STATE_COMPLETED, NULL, error);

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
      return resend_undo (self, payment, cancellable, error);

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

/* The GUI's way in: the same payment on a worker thread, so that the screen never waits for
 * the journal or the core. */

typedef struct {
  PdAccount *account;
  PdInvoice *invoice;
  PdCents amount;
  PdBankAccount *bank_account;
  char *operator_id;
} PayBankData;

static void
pay_bank_data_free (gpointer data)
{
  PayBankData *pay = data;

  g_clear_object (&pay->account);
  g_clear_object (&pay->invoice);
  g_clear_pointer (&pay->bank_account, pd_bank_account_free);
  g_free (pay->operator_id);
  g_free (pay);
}

static void
pay_bank_in_thread (GTask        *task,
                    gpointer      source,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  PayBankData *pay = task_data;
  GError *error = NULL;
  PdPayment *payment = pd_payment_service_pay_bank (source, pay->account, pay->invoice,
                                                    pay->amount, pay->bank_account,
                                                    pay->operator_id, cancellable, &error);

  if (payment != NULL)
    g_task_return_pointer (task, payment, g_object_unref);
  else
    g_task_return_error (task, error);
}

/* Takes bank_account: it is wiped when the payment is done. */
void
pd_payment_service_pay_bank_async (PdPaymentService    *self,
                                   PdAccount           *account,
                                   PdInvoice           *invoice,
                                   PdCents              amount,
                                   PdBankAccount       *bank_account,
                                   const char          *operator_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PayBankData *pay;

  g_return_if_fail (PD_IS_PAYMENT_SERVICE (self));
  g_return_if_fail (PD_IS_ACCOUNT (account));
  g_return_if_fail (bank_account != NULL);

  pay = g_new0 (PayBankData, 1);
  pay->account = g_object_ref (account);
  pay->invoice = invoice != NULL ? g_object_ref (invoice) : NULL;
  pay->amount = amount;
  pay->bank_account = bank_account;
  pay->operator_id = g_strdup (operator_id);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pd_payment_service_pay_bank_async);
  g_task_set_task_data (task, pay, pay_bank_data_free);
  g_task_run_in_thread (task, pay_bank_in_thread);
}

PdPayment *
pd_payment_service_pay_bank_finish (PdPaymentService  *self,
                                    GAsyncResult      *result,
                                    GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
