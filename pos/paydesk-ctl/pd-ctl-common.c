#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>
#include <sodium.h>

#include "pd-money.h"

#include "pd-business-date.h"
#include "pd-ctl.h"
#include "pd-json.h"
#include "pd-terminal.h"

PdConfig *
pd_ctl_load_config (PdCtl   *ctl,
                    GError **error)
{
  g_autoptr(PdConfig) config = pd_config_load (ctl->options.config_path, error);

  if (config == NULL)
    return NULL;

  if (ctl->options.core_url != NULL &&
      !pd_config_override_core_url (config, ctl->options.core_url, error))
    return NULL;

  if (ctl->options.data_dir != NULL)
    pd_config_override_data_dir (config, ctl->options.data_dir);

  return g_steal_pointer (&config);
}

/* Reading commands never create a journal: an empty new file would hide a wrong path. */
PdJournal *
pd_ctl_open_journal (PdCtl     *ctl,
                     PdConfig  *config,
                     GError   **error)
{
  g_autofree char *path = pd_config_dup_journal_path (config);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, PD_JOURNAL_ERROR, PD_JOURNAL_ERROR_NOT_FOUND,
                   _("There is no journal at %s. Check --data-dir or [journal] data-dir."),
                   path);
      return NULL;
    }

  return pd_journal_open_for_terminal (path, pd_config_get_training (config), error);
}

gboolean
pd_ctl_take_sensitive (PdCtl       *ctl,
                       const char  *option,
                       char       **value,
                       GError     **error)
{
  g_autoptr(PdConfig) config = NULL;
  char line[512];

  if (*value == NULL)
    return TRUE;

  if (g_str_equal (*value, "-"))
    {
      if (fgets (line, sizeof line, stdin) == NULL)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("No value for --%s on standard input."), option);
          return FALSE;
        }
      line[strcspn (line, "\r\n")] = '\0';
      g_free (*value);
      *value = g_strdup (line);
      sodium_memzero (line, sizeof line);
      return TRUE;
    }

  config = pd_ctl_load_config (ctl, error);
  if (config == NULL)
    return FALSE;
  if (pd_config_get_training (config))
    return TRUE;

  sodium_memzero (*value, strlen (*value));
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               _("On a production terminal, give --%s as - and type the value on standard "
                 "input: a command line is seen by every user of this machine and kept in "
                 "shell histories."), option);
  return FALSE;
}

void
pd_ctl_print_json (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = pd_json_node_to_string (root, TRUE);

  g_print ("%s\n", text);
}

gboolean
pd_ctl_parse_date (const char  *text,
                   GDate       *date,
                   GError     **error)
{
  if (pd_business_date_parse (text, date))
    return TRUE;

  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               _("“%s” is not a date; write it as YYYY-MM-DD."), text);
  return FALSE;
}

void
pd_ctl_add_payment_json (JsonBuilder *builder,
                         PdPayment   *payment)
{
  g_autofree char *created_at = g_date_time_format_iso8601 (pd_payment_get_created_at (payment));
  g_autofree char *business_date =
    pd_business_date_to_string (pd_payment_get_business_date (payment));

  json_builder_begin_object (builder);
  pd_json_add_string (builder, "id", pd_payment_get_id (payment));
  pd_json_add_string (builder, "client_ref", pd_payment_get_client_ref (payment));
  pd_json_add_string (builder, "created_at", created_at);
  pd_json_add_string (builder, "business_date", business_date);
  pd_json_add_string (builder, "center_id", pd_payment_get_center_id (payment));
  pd_json_add_string (builder, "terminal_id", pd_payment_get_terminal_id (payment));
  pd_json_add_string (builder, "operator_id", pd_payment_get_operator_id (payment));
  pd_json_add_string (builder, "account", pd_payment_get_account_number (payment));
  pd_json_add_string (builder, "line_of_business",
                       pd_line_of_business_to_id (pd_payment_get_line_of_business (payment)));
  pd_json_add_string (builder, "invoice", pd_payment_get_invoice_number (payment));
  json_builder_set_member_name (builder, "amount_cents");
  json_builder_add_int_value (builder, pd_payment_get_amount (payment));
  pd_json_add_string (builder, "currency", pd_payment_get_currency (payment));
  pd_json_add_string (builder, "tender", pd_tender_to_id (pd_payment_get_tender (payment)));
  pd_json_add_string (builder, "tender_brand", pd_payment_get_tender_brand (payment));
  pd_json_add_string (builder, "tender_last4", pd_payment_get_tender_last4 (payment));
  pd_json_add_string (builder, "state", pd_payment_state_to_id (pd_payment_get_state (payment)));
  pd_json_add_string (builder, "confirmation", pd_payment_get_confirmation (payment));
  pd_json_add_string (builder, "reason", pd_payment_get_reason (payment));
  json_builder_end_object (builder);
}

/* Commands that take payments open (and create, the first time) the journal. */
PdPaymentService *
pd_ctl_open_service (PdCtl     *ctl,
                     PdConfig  *config,
                     GError   **error)
{
  g_autoptr(PdTerminal) terminal = pd_terminal_new (config, PD_TERMINAL_FLAGS_NONE, NULL, error);

  if (terminal == NULL)
    return NULL;

  return g_object_ref (pd_terminal_get_payment_service (terminal));
}

PdCtlExit
pd_ctl_exit_for_payment (PdPayment *payment)
{
  switch (pd_payment_get_state (payment))
    {
    case PD_PAYMENT_STATE_COMPLETED:
    case PD_PAYMENT_STATE_APPROVED:
    case PD_PAYMENT_STATE_QUEUED:
    case PD_PAYMENT_STATE_VOIDED:
    case PD_PAYMENT_STATE_REFUNDED:
      return PD_CTL_EXIT_OK;
    case PD_PAYMENT_STATE_DECLINED:
      return PD_CTL_EXIT_DECLINED;
    case PD_PAYMENT_STATE_CREATED:
    case PD_PAYMENT_STATE_AUTHORIZING:
    case PD_PAYMENT_STATE_FAILED:
    case PD_PAYMENT_STATE_REVERSED:
    default:
      return PD_CTL_EXIT_ERROR;
    }
}

static const char *
outcome_sentence (PdPaymentState state)
{
  switch (state)
    {
    case PD_PAYMENT_STATE_COMPLETED: return _("Paid.");
    case PD_PAYMENT_STATE_APPROVED: return _("Approved.");
    case PD_PAYMENT_STATE_QUEUED:
      return _("Taken, and waiting to be sent: the payment core cannot be reached now.");
    case PD_PAYMENT_STATE_DECLINED: return _("Declined.");
    case PD_PAYMENT_STATE_FAILED: return _("Not taken.");
    case PD_PAYMENT_STATE_VOIDED: return _("Voided.");
    case PD_PAYMENT_STATE_REFUNDED: return _("Refunded.");
    case PD_PAYMENT_STATE_REVERSED: return _("Reversed.");
    case PD_PAYMENT_STATE_CREATED:
    case PD_PAYMENT_STATE_AUTHORIZING:
    default:
      return _("Not finished.");
    }
}

void
pd_ctl_print_payment (PdCtl     *ctl,
                      PdPayment *payment)
{
  g_autofree char *amount = NULL;
  const char *last4 = pd_payment_get_tender_last4 (payment);
  const char *reason = pd_payment_get_reason (payment);
  const char *confirmation = pd_payment_get_confirmation (payment);

  if (ctl->options.json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      pd_ctl_add_payment_json (builder, payment);
      pd_ctl_print_json (builder);
      return;
    }

  amount = pd_money_format (pd_payment_get_amount (payment), NULL);
  g_print ("%s\n", outcome_sentence (pd_payment_get_state (payment)));
  g_print (_("  Amount:       %s\n"), amount);
  g_print (_("  Account:      %s (%s)\n"), pd_payment_get_account_number (payment),
           pd_line_of_business_get_name (pd_payment_get_line_of_business (payment)));
  if (pd_payment_get_invoice_number (payment) != NULL)
    g_print (_("  Invoice:      %s\n"), pd_payment_get_invoice_number (payment));
  g_print (_("  Paid with:    %s %s ••••%s\n"), pd_tender_get_name (pd_payment_get_tender (payment)),
           pd_payment_get_tender_brand (payment) != NULL ? pd_payment_get_tender_brand (payment)
                                                         : "",
           last4 != NULL ? last4 : "----");
  if (confirmation != NULL)
    g_print (_("  Confirmation: %s\n"), confirmation);
  g_print (_("  Reference:    %s\n"), pd_payment_get_client_ref (payment));
  if (reason != NULL)
    g_print (_("  Reason:       %s\n"), reason);
}

/* What an operator did with paydesk-ctl, in the audit log beside what associates did at a
 * counter. A record that cannot be written is said, not fatal: the command's own work is
 * done and journaled. */
void
pd_ctl_audit (PdConfig    *config,
              PdJournal   *journal,
              PdAuditKind  kind,
              const char  *associate_id,
              const char  *payment_id,
              const char  *detail)
{
  g_autoptr(PdStaff) staff = pd_staff_new (config, journal, PD_AUDIT_SOURCE_PAYDESK_CTL);
  g_autoptr(GError) error = NULL;

  if (!pd_staff_record (staff, kind, associate_id, NULL, payment_id, detail, &error))
    g_printerr (_("paydesk-ctl: the audit log did not take this: %s\n"), error->message);
}
