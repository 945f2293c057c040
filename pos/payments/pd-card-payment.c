#include <errno.h>
#include <string.h>

#include <glib/gstdio.h>

#include <glib/gi18n-lib.h>

#include "pd-card-channel.h"
#include "pd-card-payment.h"
#include "pd-card-readers.h"
#include "pd-seal.h"

void
pd_card_payment_result_clear (PdCardPaymentResult *result)
{
  g_clear_object (&result->payment);
  g_clear_pointer (&result->message, g_free);
  g_clear_pointer (&result->reader, g_free);
  g_clear_pointer (&result->brand, g_free);
  g_clear_pointer (&result->pan_last4, g_free);
  g_clear_pointer (&result->aid, g_free);
  g_clear_pointer (&result->app_label, g_free);
  g_clear_pointer (&result->tvr, g_free);
  g_clear_pointer (&result->tsi, g_free);
  g_clear_pointer (&result->auth_code, g_free);
  g_clear_pointer (&result->log, g_free);
  memset (result, 0, sizeof *result);
}

G_STATIC_ASSERT (PD_CONFIG_MAX_ACCEPTED_AIDS <= PD_EMV_MAX_AIDS);

/* ISO numeric codes go to the card as two BCD bytes: 840 is 08 40. */
static guint16
numeric_code_to_bcd (guint code)
{
  return (guint16) ((code / 100 % 10) << 8 | (code / 10 % 10) << 4 | code % 10);
}

/* The built-in parameters for the mode, then [card] from the configuration. */
static gboolean
terminal_from_config (PdEmvTerminal  *terminal,
                      PdConfig       *config,
                      GError        **error)
{
  pd_emv_terminal_init_defaults (terminal,
                                 pd_config_get_mode (config) == PD_TERMINAL_MODE_COUNTER);
  if (!pd_emv_terminal_set_aids (terminal, pd_config_get_accepted_aids (config), error))
    return FALSE;

  terminal->terminal_type = pd_config_get_terminal_type (config);
  memcpy (terminal->capabilities, pd_config_get_terminal_capabilities (config),
          sizeof terminal->capabilities);
  memcpy (terminal->additional_capabilities, pd_config_get_additional_capabilities (config),
          sizeof terminal->additional_capabilities);
  memcpy (terminal->tac_denial, pd_config_get_tac_denial (config), sizeof terminal->tac_denial);
  memcpy (terminal->tac_online, pd_config_get_tac_online (config), sizeof terminal->tac_online);
  memcpy (terminal->tac_default, pd_config_get_tac_default (config),
          sizeof terminal->tac_default);
  terminal->country = numeric_code_to_bcd (pd_config_get_country_code (config));
  terminal->currency = numeric_code_to_bcd (pd_config_get_currency_code (config));
  terminal->contactless_limit = pd_config_get_contactless_limit (config);
  terminal->prefer_common_debit = pd_config_get_prefer_common_debit (config);
  return TRUE;
}

struct _PdCardPaymentContext {
  gint ref_count;
  PdEmvTerminal terminal;
  PdCapkTable *capks;
  char *core_public_key;
  PdPaymentService *service;
  PdEmvChooser chooser;
  gpointer chooser_data;
  GDestroyNotify chooser_data_destroy;
  /* Where each session's command log is kept for support. */
  char *log_dir;
};

PdCardPaymentContext *
pd_card_payment_context_new (PdConfig          *config,
                             PdPaymentService  *service,
                             GError           **error)
{
  g_autoptr(PdCardPaymentContext) context = NULL;
  const char *capk_path = NULL;

  g_return_val_if_fail (PD_IS_CONFIG (config) && PD_IS_PAYMENT_SERVICE (service), NULL);

  context = g_new0 (PdCardPaymentContext, 1);
  context->ref_count = 1;
  context->service = g_object_ref (service);

  /* The CA keys are trust anchors: a production terminal takes them from its installation
   * only, never from the environment (training and the tests may point elsewhere). */
  if (pd_config_get_training (config))
    capk_path = g_getenv ("PAYDESK_CAPK");

  if (!terminal_from_config (&context->terminal, config, error))
    return NULL;
  context->terminal.use_training_keys = pd_config_get_training (config);

  if (capk_path == NULL || *capk_path == '\0')
    capk_path = g_file_test (PAYDESK_CAPK_FILE, G_FILE_TEST_EXISTS) ? PAYDESK_CAPK_FILE
                                                                    : PAYDESK_SOURCE_CAPK_FILE;
  context->capks = pd_capk_table_load (capk_path, context->terminal.use_training_keys, error);
  if (context->capks == NULL)
    return NULL;

  context->log_dir = g_build_filename (pd_config_get_data_dir (config), "card-sessions", NULL);
  context->core_public_key = g_strdup (pd_config_get_core_public_key (config));
  return g_steal_pointer (&context);
}

PdCardPaymentContext *
pd_card_payment_context_ref (PdCardPaymentContext *context)
{
  g_return_val_if_fail (context != NULL, NULL);

  g_atomic_int_inc (&context->ref_count);
  return context;
}

void
pd_card_payment_context_unref (PdCardPaymentContext *context)
{
  if (context == NULL || !g_atomic_int_dec_and_test (&context->ref_count))
    return;

  if (context->chooser_data_destroy != NULL)
    context->chooser_data_destroy (context->chooser_data);
  g_clear_pointer (&context->capks, pd_capk_table_free);
  g_free (context->log_dir);
  g_free (context->core_public_key);
  g_clear_object (&context->service);
  g_free (context);
}

void
pd_card_payment_context_set_chooser (PdCardPaymentContext *context,
                                     PdEmvChooser          chooser,
                                     gpointer              data,
                                     GDestroyNotify        destroy)
{
  g_return_if_fail (context != NULL);

  if (context->chooser_data_destroy != NULL)
    context->chooser_data_destroy (context->chooser_data);
  context->chooser = chooser;
  context->chooser_data = data;
  context->chooser_data_destroy = destroy;
}

const PdEmvTerminal *
pd_card_payment_context_get_terminal (PdCardPaymentContext *context)
{
  g_return_val_if_fail (context != NULL, NULL);

  return &context->terminal;
}

static void
describe_card (PdEmvSession        *session,
               PdCardPaymentResult *result)
{
  g_free (result->brand);
  result->brand = g_strdup (pd_emv_session_get_brand (session));
  g_free (result->pan_last4);
  result->pan_last4 = g_strdup (pd_emv_session_get_pan_last4 (session));
  g_free (result->aid);
  result->aid = g_strdup (pd_emv_session_get_aid (session));
  g_free (result->app_label);
  result->app_label = g_strdup (pd_emv_session_get_label (session));
  result->entry_mode = pd_emv_session_is_contactless (session) ? "contactless" : "chip";
  g_free (result->tvr);
  result->tvr = pd_emv_session_dup_tvr (session);
  g_free (result->tsi);
  result->tsi = pd_emv_session_dup_tsi (session);
  result->signature_required = pd_emv_session_needs_signature (session);
}

static char *
seal_card (PdEmvSession *session,
           const char   *public_key,
           GError      **error)
{
  char *secret = pd_emv_session_dup_card_secret (session);
  char *sealed;

  if (secret == NULL)
    {
      g_set_error (error, PD_EMV_ERROR, PD_EMV_ERROR_CARD_DATA,
                   _("The card sent data this terminal cannot read. Please use another card."));
      return NULL;
    }

  sealed = pd_seal (public_key, secret, error);
  memset (secret, 0, strlen (secret));
  g_free (secret);
  return sealed;
}

/* The core said yes: the card has the last word (GENERATE AC 2). */
static PdPayment *
finish_approved (PdCardPaymentContext       *context,
                 PdEmvSession               *session,
                 PdPayment                  *payment,
                 PdCoreAnswer               *answer,
                 PdCardPaymentResult        *result,
                 gboolean                   *card_accepted,
                 GCancellable               *cancellable,
                 GError                    **error)
{
  g_autoptr(GError) card_error = NULL;
  g_autofree char *icc_data = NULL;
  gboolean accepted = FALSE;

  if (!pd_emv_session_complete (session, PD_EMV_ONLINE_APPROVED,
                                answer->issuer_authentication_data, answer->issuer_scripts,
                                &accepted, &card_error))
    {
      g_message ("card payment %s: %s; reversing", pd_payment_get_id (payment),
                 card_error != NULL ? card_error->message : "no answer from the card");
      if (g_error_matches (card_error, PD_CARD_ERROR, PD_CARD_ERROR_REMOVED))
        result->message = g_strdup (_("The card was removed before the payment was finished. "
                                      "Nothing was charged."));
      else
        result->message = g_strdup (_("The card could not finish the payment. Nothing was "
                                      "charged."));
    }
  else if (!accepted)
    result->message = g_strdup (pd_emv_session_get_decline_message (session));

  icc_data = pd_emv_session_dup_icc_data (session);
  *card_accepted = accepted;
  return pd_payment_service_complete_card (context->service, pd_payment_get_id (payment),
                                           accepted, icc_data, cancellable, error);
}

static gboolean
run_payment (PdCardPaymentContext       *context,
             const PdCardPaymentRequest *request,
             PdCardPaymentResult        *result,
             GCancellable               *cancellable,
             GError                    **error)
{
  g_autoptr(PdCardChannel) channel = NULL;
  g_autoptr(PdEmvSession) session = NULL;
  g_autoptr(PdCoreAnswer) answer = NULL;
  g_autoptr(PdPayment) payment = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *sealed = NULL;
  g_autofree char *icc_data = NULL;
  PdEmvDecision decision;
  PdCardTender tender;
  gint64 started;

  g_return_val_if_fail (context != NULL && PD_IS_PAYMENT_SERVICE (context->service), FALSE);
  g_return_val_if_fail (result != NULL, FALSE);

  memset (result, 0, sizeof *result);

  /* Before the card is even read: the kernel's amount field has its own limits. */
  if (!pd_payment_service_check_amount (context->service, request->amount, error))
    return FALSE;

  result->reader = pd_card_readers_wait_for_card (request->patterns, request->reader,
                                                  request->wait_ms, cancellable, error);
  if (result->reader == NULL)
    return FALSE;
  /* From here the card, the journal and the core are at work: stopping half way would leave
   * a charge nobody knows the fate of, so the payment runs to its end. */
  cancellable = NULL;
  /* The card is seen: the benchmark's clock starts here, so the kiosk-side time includes
   * connecting to the card (SCardConnect), and only SCardTransmit counts as the card's. */
  started = g_get_monotonic_time ();

  channel = pd_card_channel_open (result->reader, error);
  if (channel == NULL)
    return FALSE;

  session = pd_emv_session_new (channel, &context->terminal, context->capks);
  pd_emv_session_set_chooser (session, context->chooser, context->chooser_data);
  now = g_date_time_new_now_local ();

  if (!pd_emv_session_authorize (session, request->amount, now, &decision, error))
    {
      describe_card (session, result);
      result->log = g_strdup (pd_emv_session_get_log (session));
      return FALSE;
    }
  describe_card (session, result);

  if (decision == PD_EMV_DECISION_DECLINED)
    {
      result->outcome = "declined";
      result->message = g_strdup (pd_emv_session_get_decline_message (session));
      result->log = g_strdup (pd_emv_session_get_log (session));
      return TRUE;
    }

  sealed = seal_card (session, context->core_public_key, error);
  if (sealed == NULL)
    return FALSE;
  icc_data = pd_emv_session_dup_icc_data (session);
  tender = (PdCardTender) {
    .entry_mode = result->entry_mode, .aid = result->aid, .app_label = result->app_label,
    .brand = result->brand, .pan_last4 = result->pan_last4, .icc_data = icc_data,
    .sealed = sealed,
  };

  result->commands_before_request = pd_card_channel_get_exchanges (channel);
  result->transmit_usec_before_request = pd_card_channel_get_transmit_time (channel);
  result->kiosk_usec_before_request = g_get_monotonic_time () - started -
                                      result->transmit_usec_before_request;

  payment = pd_payment_service_authorize_card (context->service, request->account,
                                               request->invoice, request->amount, &tender,
                                               &request->parties, &answer, cancellable,
                                               error);
  if (payment == NULL)
    {
      gboolean ignored;

      /* The card still waits for its second GENERATE AC: decline it there. */
      pd_emv_session_complete (session, PD_EMV_ONLINE_UNREACHABLE, NULL, NULL, &ignored, NULL);
      result->log = g_strdup (pd_emv_session_get_log (session));
      return FALSE;
    }

  if (pd_payment_get_state (payment) == PD_PAYMENT_STATE_APPROVED && answer != NULL)
    {
      g_autoptr(PdPayment) finished = NULL;
      g_autoptr(GError) completion_error = NULL;
      gboolean card_accepted = FALSE;

      result->auth_code = g_strdup (answer->auth_code);
      finished = finish_approved (context, session, payment, answer, result, &card_accepted,
                                  cancellable, &completion_error);
      if (finished == NULL && card_accepted &&
          !g_error_matches (completion_error, PD_PAYMENT_ERROR,
                            PD_PAYMENT_ERROR_OUTCOME_NOT_RECORDED))
        {
          /* The core approved and the card accepted: the completion is journaled and the
           * outbox sends it again. For the member the payment is taken, never to be taken
           * again; telling them it failed would invite a second one. */
          g_message ("card payment %s: approved, its completion waits in the outbox: %s",
                     pd_payment_get_id (payment), completion_error->message);
          describe_card (session, result);
          result->outcome = "approved";
          result->payment = g_steal_pointer (&payment);
          result->log = g_strdup (pd_emv_session_get_log (session));
          return TRUE;
        }
      if (finished == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&completion_error));
          result->log = g_strdup (pd_emv_session_get_log (session));
          return FALSE;
        }
      g_set_object (&payment, finished);
    }
  else
    {
      gboolean ignored;

      /* Declined: the card still hears the issuer (a script may block it). */
      pd_emv_session_complete (session, answer != NULL ? PD_EMV_ONLINE_DECLINED
                                                       : PD_EMV_ONLINE_UNREACHABLE,
                               answer != NULL ? answer->issuer_authentication_data : NULL,
                               answer != NULL ? answer->issuer_scripts : NULL, &ignored, NULL);
    }

  describe_card (session, result);
  switch (pd_payment_get_state (payment))
    {
    case PD_PAYMENT_STATE_COMPLETED:
      result->outcome = "approved";
      break;
    case PD_PAYMENT_STATE_DECLINED:
      result->outcome = "declined";
      if (result->message == NULL)
        result->message = g_strdup (_("The payment was declined. Please use another card."));
      break;
    case PD_PAYMENT_STATE_REVERSED:
      result->outcome = "reversed";
      if (result->message == NULL)
        result->message = g_strdup (_("The payment did not go through. Nothing was charged."));
      break;
    case PD_PAYMENT_STATE_FAILED:
      result->outcome = "failed";
      if (result->message == NULL)
        /* A card is never queued: without the payment core's answer it cannot pay. */
        result->message = g_strdup (_("We could not reach the payment system, so nothing "
                                      "was charged. A card cannot pay without it: please "
                                      "pay another way, or ask an associate."));
      break;
    default:
      /* The answer was lost and its reversal is not acknowledged yet: the outbox sends it
       * again; until then the card's bank may show a hold. */
      result->outcome = "failed";
      if (result->message == NULL)
        result->message = g_strdup (_("We could not confirm this payment with the payment "
                                      "system, so it was cancelled. If your bank shows a "
                                      "hold, it will be released. Please pay another way, or "
                                      "ask an associate."));
      break;
    }

  result->payment = g_steal_pointer (&payment);
  result->log = g_strdup (pd_emv_session_get_log (session));
  return TRUE;
}

/* Support reads these when a member calls: one file per card session, nothing sensitive in
 * it (the link withholds card data), the newest MAX_KEPT_LOGS kept. */
#define MAX_KEPT_LOGS 500

static void
prune_logs (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    if (g_str_has_suffix (name, ".log"))
      g_ptr_array_add (names, g_strdup (name));

  /* Names start with the time: sorted, the oldest come first. */
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  for (guint i = 0; i + MAX_KEPT_LOGS < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir, g_ptr_array_index (names, i), NULL);

      g_unlink (path);
    }
}

static void
keep_log (PdCardPaymentContext *context,
          PdCardPaymentResult  *result,
          const GError         *error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%S");
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) write_error = NULL;

  if (context->log_dir == NULL || result->log == NULL)
    return;

  name = g_strdup_printf ("%s.%06d-%s.log", stamp, g_date_time_get_microsecond (now),
                          result->payment != NULL ? pd_payment_get_client_ref (result->payment)
                          : result->outcome != NULL ? result->outcome : "error");
  path = g_build_filename (context->log_dir, name, NULL);
  contents = g_strdup_printf ("%s%s%s", result->log, error != NULL ? "# error: " : "",
                              error != NULL ? error->message : "");
  if (g_mkdir_with_parents (context->log_dir, 0700) != 0 ||
      !g_file_set_contents_full (path, contents, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                 &write_error))
    {
      g_message ("card session log not kept in %s: %s", context->log_dir,
                 write_error != NULL ? write_error->message : g_strerror (errno));
      return;
    }
  prune_logs (context->log_dir);
}

gboolean
pd_card_payment_run (PdCardPaymentContext       *context,
                     const PdCardPaymentRequest *request,
                     PdCardPaymentResult        *result,
                     GCancellable               *cancellable,
                     GError                    **error)
{
  GError *local_error = NULL;
  gboolean done;

  g_return_val_if_fail (context != NULL && request != NULL, FALSE);
  g_return_val_if_fail (result != NULL, FALSE);

  done = run_payment (context, request, result, cancellable, &local_error);
  keep_log (context, result, local_error);
  if (local_error != NULL)
    g_propagate_error (error, local_error);
  return done;
}

/* A worker's own copy of everything it uses. */
typedef struct {
  PdCardPaymentContext *context;
  PdCardPaymentRequest request;
  GStrv patterns;
  char *reader;
  char *operator_id;
  char *language;
  PdCardPaymentResult result;
} RunData;

static void
run_data_free (RunData *data)
{
  pd_card_payment_context_unref (data->context);
  g_strfreev (data->patterns);
  g_free (data->reader);
  g_clear_object (&data->request.account);
  g_clear_object (&data->request.invoice);
  g_free (data->operator_id);
  g_free (data->language);
  pd_card_payment_result_clear (&data->result);
  g_free (data);
}

static void
run_in_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  RunData *data = task_data;
  GError *error = NULL;

  if (pd_card_payment_run (data->context, &data->request, &data->result, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_new_error (task, PD_EMV_ERROR, PD_EMV_ERROR_CARD_DATA,
                             _("The card payment stopped without saying why. Nothing was "
                               "charged."));
}

void
pd_card_payment_run_async (PdCardPaymentContext       *context,
                           const PdCardPaymentRequest *request,
                           GCancellable               *cancellable,
                           GAsyncReadyCallback         callback,
                           gpointer                    user_data)
{
  g_autoptr(GTask) task = NULL;
  RunData *data;

  g_return_if_fail (context != NULL && request != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  /* A payment under way ends with its outcome even when the caller cancelled meanwhile. */
  g_task_set_check_cancellable (task, FALSE);
  data = g_new0 (RunData, 1);

  data->context = pd_card_payment_context_ref (context);
  data->patterns = g_strdupv ((GStrv) request->patterns);
  data->reader = g_strdup (request->reader);
  data->operator_id = g_strdup (request->parties.operator_id);
  data->language = g_strdup (request->parties.language);
  data->request = (PdCardPaymentRequest) {
    .patterns = (const char * const *) data->patterns,
    .reader = data->reader,
    .wait_ms = request->wait_ms,
    .account = request->account != NULL ? g_object_ref (request->account) : NULL,
    .invoice = request->invoice != NULL ? g_object_ref (request->invoice) : NULL,
    .amount = request->amount,
    .parties = { data->operator_id, data->language },
  };
  g_task_set_source_tag (task, pd_card_payment_run_async);
  g_task_set_task_data (task, data, (GDestroyNotify) run_data_free);
  g_task_run_in_thread (task, run_in_thread);
}

gboolean
pd_card_payment_run_finish (GAsyncResult        *result,
                            PdCardPaymentResult *outcome,
                            GError             **error)
{
  RunData *data;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (outcome != NULL, FALSE);

  data = g_task_get_task_data (G_TASK (result));
  /* Handed over even on failure: the card facts and log say what happened. */
  *outcome = data->result;
  memset (&data->result, 0, sizeof data->result);
  return g_task_propagate_boolean (G_TASK (result), error);
}
