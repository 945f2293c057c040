#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "pd-email-address.h"
#include "pd-receipt-cairo.h"
#include "pd-receipt-email.h"
#include "pd-receipt-mailer.h"
#include "pd-receipt.h"
#include "pd-smtp-client.h"

struct _PdReceiptMailer {
  GObject parent_instance;

  PdJournal *journal;
  PdConfig *config;
  PdSmtpClient *smtp;
};

G_DEFINE_FINAL_TYPE (PdReceiptMailer, pd_receipt_mailer, G_TYPE_OBJECT)

/* How long a sender may hold a message before another may try it: the send's own timeout
 * and then some. */
#define CLAIM_MARGIN_SECONDS 60
#define FIRST_RETRY_SECONDS 60
#define LONGEST_RETRY_SECONDS 3600

static void
pd_receipt_mailer_finalize (GObject *object)
{
  PdReceiptMailer *self = PD_RECEIPT_MAILER (object);

  g_clear_object (&self->journal);
  g_clear_object (&self->config);
  g_clear_object (&self->smtp);

  G_OBJECT_CLASS (pd_receipt_mailer_parent_class)->finalize (object);
}

static void
pd_receipt_mailer_class_init (PdReceiptMailerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pd_receipt_mailer_finalize;
}

static void
pd_receipt_mailer_init (PdReceiptMailer *self)
{
}

PdReceiptMailer *
pd_receipt_mailer_new (PdJournal *journal,
                       PdConfig  *config)
{
  PdReceiptMailer *self;

  g_return_val_if_fail (PD_IS_JOURNAL (journal), NULL);
  g_return_val_if_fail (PD_IS_CONFIG (config), NULL);

  self = g_object_new (PD_TYPE_RECEIPT_MAILER, NULL);
  self->journal = g_object_ref (journal);
  self->config = g_object_ref (config);
  return self;
}

gint64
pd_receipt_mailer_next_attempt (gint64 now,
                                guint  attempts)
{
  gint64 wait = FIRST_RETRY_SECONDS;

  for (guint i = 1; i < attempts && wait < LONGEST_RETRY_SECONDS; i++)
    wait *= 2;

  return now + MIN (wait, LONGEST_RETRY_SECONDS);
}

/* The client is made once, on first use, from whichever thread gets there: the pass runs on
 * one worker at a time. */
static PdSmtpClient *
ensure_smtp (PdReceiptMailer  *self,
             GError          **error)
{
  if (self->smtp == NULL)
    self->smtp = pd_smtp_client_new (self->config, error);

  return self->smtp;
}

static char *
new_message_id (const char *from)
{
  g_autofree char *uuid = g_uuid_string_random ();
  const char *at = strrchr (from, '@');

  return g_strdup_printf ("paydesk-%s%s", uuid, at != NULL ? at : "@paydesk.invalid");
}

gint64
pd_receipt_mailer_queue (PdReceiptMailer  *self,
                         const char       *payment,
                         const char       *address,
                         const char       *language,
                         GError          **error)
{
  g_autoptr(PdReceipt) receipt = NULL;
  g_autofree char *recipient = NULL;
  g_autofree char *message_id = NULL;

  g_return_val_if_fail (PD_IS_RECEIPT_MAILER (self), 0);
  g_return_val_if_fail (payment != NULL, 0);
  g_return_val_if_fail (address != NULL, 0);

  if (ensure_smtp (self, error) == NULL)
    return 0;

  recipient = pd_email_address_normalize (address, error);
  if (recipient == NULL)
    return 0;

  receipt = pd_receipt_new_from_journal (self->journal, self->config, payment, error);
  if (receipt == NULL)
    return 0;

  message_id = new_message_id (pd_smtp_client_get_from (self->smtp));
  return pd_journal_queue_email (self->journal, pd_receipt_get_payment_id (receipt), recipient,
                                 language != NULL ? language : pd_receipt_get_language (receipt),
                                 message_id, error);
}

static gboolean
is_due (const PdJournalEmail *email,
        gint64                now)
{
  switch (email->state)
    {
    case PD_EMAIL_STATE_QUEUED:
      return TRUE;
    case PD_EMAIL_STATE_SENDING:
    case PD_EMAIL_STATE_DEFERRED:
      return email->next_attempt_at <= now;
    default:
      return FALSE;
    }
}

/* The message as it is sent now: the payment's current status (a pending one may have been
 * accepted since it was queued), in the language asked for. */
static GBytes *
compose (PdReceiptMailer       *self,
         const PdJournalEmail  *email,
         gint64                 now,
         GError               **error)
{
  g_autoptr(PdReceipt) receipt = NULL;
  g_autoptr(PdReceiptLayout) layout = NULL;
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (now);
  g_autoptr(GDateTime) date = g_date_time_to_local (utc);
  PdReceiptEmailHeaders headers = { 0 };
  int copies;

  receipt = pd_receipt_new_from_journal (self->journal, self->config, email->payment_id, error);
  if (receipt == NULL)
    return NULL;

  copies = pd_journal_count_receipt_copies (self->journal, email->payment_id,
                                            PD_RECEIPT_FORMAT_EMAIL, error);
  if (copies < 0)
    return NULL;
  pd_receipt_set_copy_number (receipt, (guint) copies);

  layout = pd_receipt_layout_new (receipt, email->language);
  headers.from = pd_smtp_client_get_from (self->smtp);
  headers.from_name = pd_config_get_email_from_name (self->config);
  headers.to = email->recipient;
  headers.message_id = email->message_id;
  headers.date = date;
  return pd_receipt_email_compose (receipt, layout, &headers, error);
}

static gboolean
is_too_old (PdReceiptMailer      *self,
            const PdJournalEmail *email,
            gint64                now)
{
  g_autoptr(GDateTime) requested = g_date_time_new_from_iso8601 (email->requested_at, NULL);
  gint64 give_up_after = (gint64) pd_config_get_email_give_up_hours (self->config) * 3600;

  return requested != NULL && now - g_date_time_to_unix (requested) >= give_up_after;
}

/* Records what became of one try; the state it leaves the request in. */
static gboolean
record_outcome (PdReceiptMailer       *self,
                const PdJournalEmail  *email,
                const GError          *send_error,
                int                    smtp_code,
                gint64                 now,
                PdEmailState          *state,
                GError               **error)
{
  g_autofree char *masked = pd_email_address_dup_masked (email->recipient);
  g_autofree char *detail = NULL;
  gboolean permanent;

  if (send_error == NULL)
    {
      *state = PD_EMAIL_STATE_SENT;
      g_info ("receipt email %" G_GINT64_FORMAT " (%s) sent to %s", email->id,
              email->payment_id, masked);
      return pd_journal_record_email_outcome (self->journal, email, PD_EMAIL_STATE_SENT,
                                              smtp_code, NULL, 0, error);
    }

  /* A refusal, a receipt that cannot be made, or a message nobody could deliver in time:
   * retrying cannot help, the member is told at the counter instead. */
  permanent = g_error_matches (send_error, PD_SMTP_ERROR, PD_SMTP_ERROR_REJECTED) ||
              send_error->domain == PD_RECEIPT_ERROR ||
              send_error->domain == PD_RECEIPT_RENDER_ERROR;
  if (!permanent && is_too_old (self, email, now))
    {
      permanent = TRUE;
      detail = g_strdup_printf (_("Given up after %u tries: %s"), email->attempts + 1,
                                send_error->message);
    }
  else
    detail = g_strdup (send_error->message);

  g_info ("receipt email %" G_GINT64_FORMAT " (%s) to %s %s: %s", email->id,
          email->payment_id, masked, permanent ? "failed" : "deferred", detail);

  *state = permanent ? PD_EMAIL_STATE_FAILED : PD_EMAIL_STATE_DEFERRED;
  return pd_journal_record_email_outcome (self->journal, email, *state, smtp_code, detail,
                                          pd_receipt_mailer_next_attempt (now, email->attempts + 1),
                                          error);
}

gboolean
pd_receipt_mailer_send (PdReceiptMailer  *self,
                        gint64            email_id,
                        gint64            now,
                        PdEmailState     *state,
                        GCancellable     *cancellable,
                        GError          **error)
{
  g_autoptr(PdJournalEmail) email = NULL;
  g_autoptr(PdJournalEmail) current = NULL;
  g_autoptr(GBytes) message = NULL;
  g_autoptr(GError) send_error = NULL;
  PdEmailState ignored;
  int smtp_code = 0;

  g_return_val_if_fail (PD_IS_RECEIPT_MAILER (self), FALSE);

  if (state == NULL)
    state = &ignored;

  email = pd_journal_get_email (self->journal, email_id, error);
  if (email == NULL)
    return FALSE;
  *state = email->state;

  if (!is_due (email, now))
    return TRUE;

  /* Without a mail server nothing is tried: the request waits, untouched, for one. */
  if (ensure_smtp (self, error) == NULL)
    return FALSE;

  if (!pd_journal_claim_email (self->journal, email, now + CLAIM_MARGIN_SECONDS +
                               pd_config_get_email_timeout_seconds (self->config), error))
    {
      if (error != NULL && *error != NULL)
        return FALSE;
      current = pd_journal_get_email (self->journal, email_id, error);
      if (current == NULL)
        return FALSE;
      *state = current->state;
      return TRUE;
    }

  message = compose (self, email, now, &send_error);
  if (message != NULL)
    pd_smtp_client_send (self->smtp, email->recipient, message, &smtp_code, cancellable,
                         &send_error);

  /* Cancelled (the terminal is closing): the claim lapses and the next pass sends it. */
  if (g_error_matches (send_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      *state = PD_EMAIL_STATE_SENDING;
      return TRUE;
    }

  return record_outcome (self, email, send_error, smtp_code, now, state, error);
}

int
pd_receipt_mailer_send_due (PdReceiptMailer  *self,
                            gint64            now,
                            GCancellable     *cancellable,
                            GError          **error)
{
  g_autoptr(GPtrArray) due = NULL;
  int sent = 0;

  g_return_val_if_fail (PD_IS_RECEIPT_MAILER (self), -1);

  due = pd_journal_list_emails_due (self->journal, now, error);
  if (due == NULL)
    return -1;

  for (guint i = 0; i < due->len && !g_cancellable_is_cancelled (cancellable); i++)
    {
      const PdJournalEmail *email = g_ptr_array_index (due, i);
      PdEmailState state;

      if (!pd_receipt_mailer_send (self, email->id, now, &state, cancellable, error))
        return -1;
      if (state == PD_EMAIL_STATE_SENT)
        sent++;
    }

  return sent;
}

static void
send_due_in_thread (GTask        *task,
                    gpointer      source,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  GError *error = NULL;
  int sent = pd_receipt_mailer_send_due (source, g_get_real_time () / G_USEC_PER_SEC,
                                         cancellable, &error);

  if (sent < 0)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, sent);
}

void
pd_receipt_mailer_send_due_async (PdReceiptMailer     *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PD_IS_RECEIPT_MAILER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pd_receipt_mailer_send_due_async);
  g_task_run_in_thread (task, send_due_in_thread);
}

int
pd_receipt_mailer_send_due_finish (PdReceiptMailer  *self,
                                   GAsyncResult     *result,
                                   GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);

  return (int) g_task_propagate_int (G_TASK (result), error);
}
