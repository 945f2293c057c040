#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-ctl.h"
#include "pd-receipt-mailer.h"

static gint64
now_unix (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static char *
format_local_time (gint64 unix_time)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (unix_time);
  g_autoptr(GDateTime) local = g_date_time_to_local (utc);

  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

static void
add_email_json (JsonBuilder          *builder,
                const PdJournalEmail *email)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, email->id);
  pd_json_add_string (builder, "payment_id", email->payment_id);
  pd_json_add_string (builder, "recipient", email->recipient);
  pd_json_add_string (builder, "language", email->language);
  pd_json_add_string (builder, "state", pd_email_state_to_id (email->state));
  json_builder_set_member_name (builder, "attempts");
  json_builder_add_int_value (builder, email->attempts);
  pd_json_add_string (builder, "requested_at", email->requested_at);
  pd_json_add_string (builder, "updated_at", email->updated_at);
  if (email->state == PD_EMAIL_STATE_DEFERRED)
    {
      json_builder_set_member_name (builder, "next_attempt_at");
      json_builder_add_int_value (builder, email->next_attempt_at);
    }
  if (email->smtp_code > 0)
    {
      json_builder_set_member_name (builder, "smtp_code");
      json_builder_add_int_value (builder, email->smtp_code);
    }
  pd_json_add_string (builder, "detail", email->detail);
  json_builder_end_object (builder);
}

/* What an associate tells the member, in one or two lines. */
static void
print_email (const PdJournalEmail *email)
{
  g_autofree char *next = NULL;

  switch (email->state)
    {
    case PD_EMAIL_STATE_SENT:
      g_print (_("Receipt emailed to %s.\n"), email->recipient);
      break;
    case PD_EMAIL_STATE_QUEUED:
    case PD_EMAIL_STATE_SENDING:
      g_print (_("Receipt for %s waits to be emailed.\n"), email->recipient);
      break;
    case PD_EMAIL_STATE_DEFERRED:
      next = format_local_time (email->next_attempt_at);
      g_print (_("Receipt for %s not sent yet: %s\nIt stays queued and is tried again from %s.\n"),
               email->recipient, email->detail != NULL ? email->detail : "", next);
      break;
    case PD_EMAIL_STATE_FAILED:
    default:
      g_print (_("Receipt for %s could not be emailed: %s\n"), email->recipient,
               email->detail != NULL ? email->detail : "");
      break;
    }
}

PdCtlExit
pd_ctl_receipt_email (PdCtl       *ctl,
                      PdConfig    *config,
                      PdJournal   *journal,
                      const char  *payment,
                      const char  *address,
                      const char  *language,
                      GError     **error)
{
  g_autoptr(PdReceiptMailer) mailer = pd_receipt_mailer_new (journal, config);
  g_autoptr(PdJournalEmail) email = NULL;
  gint64 id;

  id = pd_receipt_mailer_queue (mailer, payment, address, language, error);
  if (id == 0)
    return PD_CTL_EXIT_ERROR;
  /* The address is the member's: not in the audit log. */
  pd_ctl_audit (config, journal, PD_AUDIT_EMAIL_RESEND, NULL, payment, NULL);

  /* Queued first: whatever happens now, the request is not lost. */
  if (!pd_receipt_mailer_send (mailer, id, now_unix (), NULL, NULL, error) ||
      !(email = pd_journal_get_email (journal, id, error)))
    return PD_CTL_EXIT_ERROR;

  if (ctl->options.json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      add_email_json (builder, email);
      pd_ctl_print_json (builder);
    }
  else
    print_email (email);

  return email->state == PD_EMAIL_STATE_SENT ? PD_CTL_EXIT_OK : PD_CTL_EXIT_DECLINED;
}

PdCtlExit
pd_ctl_email_list (PdCtl   *ctl,
                   int      argc,
                   char   **argv,
                   GError **error)
{
  g_autofree char *payment = NULL;
  const GOptionEntry entries[] = {
    { "payment", 0, 0, G_OPTION_ARG_STRING, &payment,
      N_("Only this payment’s (its id)"), N_("PAYMENT") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = pd_ctl_option_context_new (ctl, entries);
  g_autoptr(PdConfig) config = NULL;
  g_autoptr(PdJournal) journal = NULL;
  g_autoptr(GPtrArray) emails = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  if (!g_option_context_parse (context, &argc, &argv, error))
    return PD_CTL_EXIT_ERROR;

  if (!(config = pd_ctl_load_config (ctl, error)) ||
      !(journal = pd_ctl_open_journal (ctl, config, error)) ||
      !(emails = pd_journal_list_emails (journal, payment, error)))
    return PD_CTL_EXIT_ERROR;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "emails");
  json_builder_begin_array (builder);
  for (guint i = 0; i < emails->len; i++)
    {
      const PdJournalEmail *email = g_ptr_array_index (emails, i);

      add_email_json (builder, email);
      if (!ctl->options.json)
        g_print ("%5" G_GINT64_FORMAT "  %-28s  %-8s  %2u  %s\n", email->id, email->payment_id,
                 pd_email_state_to_id (email->state), email->attempts, email->recipient);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  if (ctl->options.json)
    pd_ctl_print_json (builder);
  else if (emails->len == 0)
    g_print (_("No receipt was emailed from this terminal.\n"));
  return PD_CTL_EXIT_OK;
}

PdCtlExit
pd_ctl_email_send (PdCtl   *ctl,
                   int      argc,
                   char   **argv,
                   GError **error)
{
  g_autoptr(GOptionContext) context = pd_ctl_option_context_new (ctl, NULL);
  g_autoptr(PdConfig) config = NULL;
  g_autoptr(PdJournal) journal = NULL;
  g_autoptr(PdReceiptMailer) mailer = NULL;
  g_autoptr(GPtrArray) waiting = NULL;
  int sent;

  if (!g_option_context_parse (context, &argc, &argv, error))
    return PD_CTL_EXIT_ERROR;

  if (!(config = pd_ctl_load_config (ctl, error)) ||
      !(journal = pd_ctl_open_journal (ctl, config, error)))
    return PD_CTL_EXIT_ERROR;

  mailer = pd_receipt_mailer_new (journal, config);
  sent = pd_receipt_mailer_send_due (mailer, now_unix (), NULL, error);
  if (sent < 0)
    return PD_CTL_EXIT_ERROR;

  /* Still waiting: deferred again, or not due yet. */
  waiting = pd_journal_list_emails_due (journal, G_MAXINT64, error);
  if (waiting == NULL)
    return PD_CTL_EXIT_ERROR;

  if (ctl->options.json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "sent");
      json_builder_add_int_value (builder, sent);
      json_builder_set_member_name (builder, "waiting");
      json_builder_add_int_value (builder, waiting->len);
      json_builder_end_object (builder);
      pd_ctl_print_json (builder);
    }
  else
    g_print (_("Emailed now: %d. Still waiting: %u.\n"), sent, waiting->len);

  return waiting->len == 0 ? PD_CTL_EXIT_OK : PD_CTL_EXIT_DECLINED;
}
