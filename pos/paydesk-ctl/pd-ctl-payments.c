#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>
#include <sodium.h>

#include "pd-business-date.h"
#include "pd-ctl.h"
#include "pd-language.h"

static void
add_account_json (JsonBuilder *builder,
                  PdAccount   *account)
{
  GListModel *invoices = pd_account_get_invoices (account);
  g_autofree char *due = g_date_valid (pd_account_get_due_date (account))
                         ? pd_business_date_to_string (pd_account_get_due_date (account)) : NULL;

  json_builder_begin_object (builder);
  pd_json_add_string (builder, "account_number", pd_account_get_number (account));
  pd_json_add_string (builder, "line_of_business",
                              pd_line_of_business_to_id (pd_account_get_line_of_business (account)));
  pd_json_add_string (builder, "holder_name", pd_account_get_holder_name (account));
  json_builder_set_member_name (builder, "balance_cents");
  json_builder_add_int_value (builder, pd_account_get_balance (account));
  json_builder_set_member_name (builder, "minimum_due_cents");
  json_builder_add_int_value (builder, pd_account_get_minimum_due (account));
  pd_json_add_string (builder, "due_date", due);
  json_builder_set_member_name (builder, "invoices");
  json_builder_begin_array (builder);
  for (guint i = 0; i < g_list_model_get_n_items (invoices); i++)
    {
      g_autoptr(PdInvoice) invoice = g_list_model_get_item (invoices, i);
      g_autofree char *invoice_due = g_date_valid (pd_invoice_get_due_date (invoice))
                                     ? pd_business_date_to_string (pd_invoice_get_due_date (invoice))
                                     : NULL;

      json_builder_begin_object (builder);
      pd_json_add_string (builder, "invoice_number", pd_invoice_get_number (invoice));
      pd_json_add_string (builder, "kind", pd_invoice_kind_to_id (pd_invoice_get_kind (invoice)));
      json_builder_set_member_name (builder, "amount_due_cents");
      json_builder_add_int_value (builder, pd_invoice_get_amount_due (invoice));
      pd_json_add_string (builder, "due_date", invoice_due);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

static void
print_account (PdAccount *account)
{
  GListModel *invoices = pd_account_get_invoices (account);
  g_autofree char *balance = pd_money_format (pd_account_get_balance (account), NULL);
  g_autofree char *minimum = pd_money_format (pd_account_get_minimum_due (account), NULL);

  g_print (_("  Account %s  %s\n"), pd_account_get_number (account),
           pd_line_of_business_get_name (pd_account_get_line_of_business (account)));
  g_print (_("    Balance %s, minimum due %s\n"), balance, minimum);

  for (guint i = 0; i < g_list_model_get_n_items (invoices); i++)
    {
      g_autoptr(PdInvoice) invoice = g_list_model_get_item (invoices, i);
      g_autofree char *amount = pd_money_format (pd_invoice_get_amount_due (invoice), NULL);
      g_autofree char *due = g_date_valid (pd_invoice_get_due_date (invoice))
                             ? pd_business_date_to_string (pd_invoice_get_due_date (invoice))
                             : g_strdup ("-");

      g_print (_("    Invoice %s  %s  %s, due %s\n"), pd_invoice_get_number (invoice),
               pd_invoice_kind_to_id (pd_invoice_get_kind (invoice)), amount, due);
    }
}

static PdIdentification *
identification_from_options (const char  *member_id,
                             const char  *zip,
                             const char  *dob,
                             const char  *first_name,
                             const char  *last_name,
                             const char  *invoice_account,
                             const char  *invoice_number,
                             GError     **error)
{
  if (member_id != NULL || first_name != NULL || last_name != NULL || dob != NULL)
    {
      if (zip == NULL || dob == NULL || first_name == NULL || last_name == NULL)
        {
          g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                               _("A member is found by --zip, --dob, --first-name and "
                                 "--last-name, with --member-id when the member has it."));
          return NULL;
        }
      return pd_identification_new_member (member_id, zip, dob, first_name, last_name, NULL,
                                           error);
    }

  if (invoice_account != NULL && invoice_number != NULL)
    return pd_identification_new_invoice (invoice_account, invoice_number, error);

  if (invoice_account != NULL && zip != NULL)
    return pd_identification_new_account_zip (invoice_account, zip, error);

  g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                       _("Identify the member with --member-id, --zip, --dob, --first-name and "
                         "--last-name; or --invoice-account with --invoice-number or --zip."));
  return NULL;
}

PdCtlExit
pd_ctl_lookup (PdCtl   *ctl,
               int      argc,
               char   **argv,
               GError **error)
{
  g_autofree char *member_id = NULL, *zip = NULL, *dob = NULL, *first_name = NULL;
  g_autofree char *last_name = NULL, *invoice_account = NULL, *invoice_number = NULL;
  const GOptionEntry entries[] = {
    { "member-id", 0, 0, G_OPTION_ARG_STRING, &member_id, N_("Member ID (11 digits)"), N_("ID") },
    { "zip", 0, 0, G_OPTION_ARG_STRING, &zip, N_("ZIP code"), N_("ZIP") },
    { "dob", 0, 0, G_OPTION_ARG_STRING, &dob, N_("Date of birth (MM/DD/YYYY)"), N_("DATE") },
    { "first-name", 0, 0, G_OPTION_ARG_STRING, &first_name, N_("First name"), N_("NAME") },
    { "last-name", 0, 0, G_OPTION_ARG_STRING, &last_name, N_("Last name"), N_("NAME") },
    { "invoice-account", 0, 0, G_OPTION_ARG_STRING, &invoice_account,
      N_("Invoice account number"), N_("NUMBER") },
    { "invoice-number", 0, 0, G_OPTION_ARG_STRING, &invoice_number, N_("Invoice number"),
      N_("NUMBER") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = pd_ctl_option_context_new (ctl, entries);
  g_autoptr(PdIdentification) identification = NULL;
  g_autoptr(PdConfig) config = NULL;
  g_autoptr(PdCoreClient) client = NULL;
  g_autoptr(PdMemberLookup) lookup = NULL;

  if (!g_option_context_parse (context, &argc, &argv, error) ||
      !pd_ctl_take_sensitive (ctl, "member-id", &member_id, error) ||
      !pd_ctl_take_sensitive (ctl, "dob", &dob, error) ||
      !(identification = identification_from_options (member_id, zip, dob, first_name,
                                                      last_name, invoice_account,
                                                      invoice_number, error)) ||
      !(config = pd_ctl_load_config (ctl, error)) ||
      !(client = pd_core_client_new (config, error)) ||
      !(lookup = pd_core_client_lookup (client, identification, NULL, error)))
    return PD_CTL_EXIT_ERROR;

  if (ctl->options.json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      static const char * const results[] = { "found", "not_found", "ambiguous" };

      json_builder_begin_object (builder);
      pd_json_add_string (builder, "result", results[lookup->outcome]);
      if (lookup->outcome == PD_LOOKUP_FOUND)
        {
          json_builder_set_member_name (builder, "member");
          json_builder_begin_object (builder);
          pd_json_add_string (builder, "member_id", lookup->member_id);
          pd_json_add_string (builder, "first_name", lookup->first_name);
          pd_json_add_string (builder, "last_name", lookup->last_name);
          json_builder_end_object (builder);
          json_builder_set_member_name (builder, "accounts");
          json_builder_begin_array (builder);
          for (guint i = 0; i < lookup->accounts->len; i++)
            add_account_json (builder, g_ptr_array_index (lookup->accounts, i));
          json_builder_end_array (builder);
        }
      json_builder_end_object (builder);
      pd_ctl_print_json (builder);
    }
  else if (lookup->outcome == PD_LOOKUP_NOT_FOUND)
    g_print (_("No member matches. Check each detail against the member ID card or invoice.\n"));
  else if (lookup->outcome == PD_LOOKUP_AMBIGUOUS)
    g_print (_("More than one member matches. Ask for the member ID or an invoice.\n"));
  else
    {
      g_print (_("%s %s (member %s)\n"), lookup->first_name, lookup->last_name,
               lookup->member_id != NULL ? lookup->member_id : "-");
      for (guint i = 0; i < lookup->accounts->len; i++)
        print_account (g_ptr_array_index (lookup->accounts, i));
    }

  return lookup->outcome == PD_LOOKUP_FOUND ? PD_CTL_EXIT_OK : PD_CTL_EXIT_DECLINED;
}

/* "-" reads the account number from standard input, so that it stays out of the shell's
 * history and the process list. */
/* FILE holds a signature in its text form (pd-signature.h); a final newline is allowed. */
static PdSignature *
read_signature (const char  *path,
                GError     **error)
{
  g_autofree char *text = NULL;
  g_autoptr(PdSignature) signature = NULL;

  if (!g_file_get_contents (path, &text, NULL, error))
    return NULL;

  signature = pd_signature_new_from_text (g_strchomp (text), error);
  if (signature == NULL || !pd_signature_check_signed (signature, error))
    {
      g_prefix_error (error, "%s: ", path);
      return NULL;
    }
  return g_steal_pointer (&signature);
}

gboolean
pd_ctl_record_signature (PdPaymentService  *service,
                         PdPayment         *payment,
                         PdSignature       *signature,
                         GError           **error)
{
  if (signature == NULL ||
      pd_journal_record_signature (pd_payment_service_get_journal (service),
                                   pd_payment_get_id (payment), signature, error))
    return TRUE;

  /* The payment stands: the associate must not take it again. */
  g_prefix_error (error,
                  /* TRANSLATORS: the payment's reference; the journal's error follows. */
                  _("Payment %s was taken, but the member's signature was not "
                    "recorded: "), pd_payment_get_client_ref (payment));
  return FALSE;
}

PdCtlExit
pd_ctl_pay (PdCtl   *ctl,
            int      argc,
            char   **argv,
            GError **error)
{
  g_autofree char *account_number = NULL, *invoice_number = NULL, *amount_text = NULL;
  g_autofree char *tender_text = NULL, *routing = NULL, *bank_account_text = NULL;
  g_autofree char *account_type = NULL, *holder = NULL, *operator_id = NULL;
  g_autofree char *line_id = NULL, *reader = NULL, *application = NULL, *log_path = NULL;
  g_autofree char *signature_path = NULL, *language = NULL;
  PdPaymentParties parties = { 0 };
  int wait_seconds = 0;
  const GOptionEntry entries[] = {
    { "account", 0, 0, G_OPTION_ARG_STRING, &account_number, N_("Account to pay"), N_("NUMBER") },
    { "line-of-business", 0, 0, G_OPTION_ARG_STRING, &line_id,
      N_("The account's line of business, as on the invoice; without it the payment core is "
         "asked"), N_("ID") },
    { "invoice", 0, 0, G_OPTION_ARG_STRING, &invoice_number, N_("Invoice paid"), N_("NUMBER") },
    { "amount", 0, 0, G_OPTION_ARG_STRING, &amount_text, N_("Amount, like 75.00"), N_("AMOUNT") },
    { "tender", 0, 0, G_OPTION_ARG_STRING, &tender_text, N_("card, check or bank"), N_("KIND") },
    { "routing", 0, 0, G_OPTION_ARG_STRING, &routing, N_("Bank routing number"), N_("NUMBER") },
    { "bank-account", 0, 0, G_OPTION_ARG_STRING, &bank_account_text,
      N_("Bank account number, or - to read it from standard input"), N_("NUMBER") },
    { "account-type", 0, 0, G_OPTION_ARG_STRING, &account_type, N_("checking or savings"),
      N_("TYPE") },
    { "holder", 0, 0, G_OPTION_ARG_STRING, &holder, N_("Name on the bank account"), N_("NAME") },
    { "operator", 0, 0, G_OPTION_ARG_STRING, &operator_id, N_("Associate taking the payment"),
      N_("ID") },
    { "reader", 0, 0, G_OPTION_ARG_STRING, &reader, N_("Card reader to use (default: the first "
      "with a card)"), N_("NAME") },
    { "application", 0, 0, G_OPTION_ARG_STRING, &application,
      N_("Card application the member chose (AID or label), when the card has several"),
      N_("AID") },
    { "wait", 0, 0, G_OPTION_ARG_INT, &wait_seconds, N_("Seconds to wait for the card or the check"),
      N_("SECONDS") },
    { "card-log", 0, 0, G_OPTION_ARG_FILENAME, &log_path,
      N_("Write the card session's command log (sensitive data withheld) to FILE"),
      N_("FILE") },
    { "language", 0, 0, G_OPTION_ARG_STRING, &language,
      N_("The language the member chose, for the receipt (default: the terminal's)"),
      N_("CODE") },
    { "signature", 0, 0, G_OPTION_ARG_FILENAME, &signature_path,
      N_("Record the member's signature of the debit authorization (bank, check) from FILE, "
         "in the strokes-v1 text form"), N_("FILE") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = pd_ctl_option_context_new (ctl, entries);
  g_autoptr(PdConfig) config = NULL;
  g_autoptr(PdPaymentService) service = NULL;
  g_autoptr(PdAccount) account = NULL;
  g_autoptr(PdBankAccount) bank_account = NULL;
  g_autoptr(PdPayment) payment = NULL;
  g_autoptr(PdSignature) signature = NULL;
  g_autoptr(GError) signature_error = NULL;
  char bank_account_number[64] = "";
  PdInvoice *invoice = NULL;
  PdTender tender;
  PdCents amount;

  if (!g_option_context_parse (context, &argc, &argv, error))
    return PD_CTL_EXIT_ERROR;

  if (account_number == NULL || amount_text == NULL || tender_text == NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("pay needs --account, --amount and --tender."));
      return PD_CTL_EXIT_ERROR;
    }

  if (!pd_money_parse (amount_text, &amount, error))
    return PD_CTL_EXIT_ERROR;

  if (!pd_tender_from_id (tender_text, &tender))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” is not a tender: use card, check or bank. There is no cash."),
                   tender_text);
      return PD_CTL_EXIT_ERROR;
    }

  if (language != NULL && pd_language_lookup (language) == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” is not a language Paydesk offers."), language);
      return PD_CTL_EXIT_ERROR;
    }

  if (signature_path != NULL)
    {
      /* Read before anything is taken: a payment never goes without the signature asked
       * for. */
      if (tender == PD_TENDER_CARD)
        {
          g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                               _("--signature goes with --tender bank or check: a card "
                                 "payment has no debit authorization to sign."));
          return PD_CTL_EXIT_ERROR;
        }
      signature = read_signature (signature_path, error);
      if (signature == NULL)
        return PD_CTL_EXIT_ERROR;
    }

  if (tender == PD_TENDER_BANK)
    {
      if (routing == NULL || bank_account_text == NULL || account_type == NULL || holder == NULL)
        {
          g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                               _("--tender bank needs --routing, --bank-account, --account-type "
                                 "and --holder."));
          return PD_CTL_EXIT_ERROR;
        }

      if (!pd_ctl_take_sensitive (ctl, "bank-account", &bank_account_text, error))
        return PD_CTL_EXIT_ERROR;
      g_strlcpy (bank_account_number, bank_account_text, sizeof bank_account_number);
      sodium_memzero (bank_account_text, strlen (bank_account_text));

      bank_account = pd_bank_account_new (routing, bank_account_number, account_type, holder,
                                          error);
      sodium_memzero (bank_account_number, sizeof bank_account_number);
      sodium_memzero (bank_account_text, strlen (bank_account_text));
      if (bank_account == NULL)
        return PD_CTL_EXIT_ERROR;
    }

  if (!(config = pd_ctl_load_config (ctl, error)) ||
      !(service = pd_ctl_open_service (ctl, config, error)))
    return PD_CTL_EXIT_ERROR;
  parties.operator_id = operator_id;
  parties.language = language != NULL ? pd_language_lookup (language)->code : NULL;

  if (line_id != NULL)
    {
      /* Known from the invoice: the payment can be taken, and held, while the core is down. */
      PdLineOfBusiness line;

      if (!pd_line_of_business_from_id (line_id, &line))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("“%s” is not a line of business."), line_id);
          return PD_CTL_EXIT_ERROR;
        }

      account = pd_account_new (account_number, line, NULL, 0, 0, NULL);
      if (invoice_number != NULL)
        {
          g_autoptr(PdInvoice) stated = pd_invoice_new (invoice_number, PD_INVOICE_PREMIUM, 0,
                                                        NULL);
          pd_account_add_invoice (account, stated);
        }
    }
  else if (!(account = pd_payment_service_get_account (service, account_number, NULL, error)))
    return PD_CTL_EXIT_ERROR;

  if (invoice_number != NULL && (invoice = pd_account_find_invoice (account, invoice_number)) == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("Invoice %s is not an open invoice of account %s."), invoice_number,
                   account_number);
      return PD_CTL_EXIT_ERROR;
    }

  if (tender == PD_TENDER_CARD)
    {
      PdCtlCardOptions card_options = {
        .reader = reader, .application = application, .parties = parties,
        .log_path = log_path, .wait_seconds = wait_seconds,
      };

      if (line_id != NULL)
        {
          /* Cards are authorized while the member waits: never taken for later. */
          g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                               _("Card payments need the payment core: leave out "
                                 "--line-of-business."));
          return PD_CTL_EXIT_ERROR;
        }
      return pd_ctl_pay_card (ctl, config, service, account, invoice, amount, &card_options,
                              error);
    }

  if (tender == PD_TENDER_CHECK)
    return pd_ctl_pay_check (ctl, config, service, account, invoice, amount, &parties,
                             wait_seconds, signature, error);

  payment = pd_payment_service_pay_bank (service, account, invoice, amount, bank_account,
                                         &parties, NULL, error);
  if (payment == NULL)
    return PD_CTL_EXIT_ERROR;

  pd_ctl_record_signature (service, payment, signature, &signature_error);
  pd_ctl_print_payment (ctl, payment);
  if (signature_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&signature_error));
      return PD_CTL_EXIT_ERROR;
    }
  return pd_ctl_exit_for_payment (payment);
}

typedef PdPayment *(*UndoFunc) (PdPaymentService *, const char *, const char *, const char *,
                                GCancellable *, GError **);

static PdCtlExit
undo (PdCtl     *ctl,
      int        argc,
      char     **argv,
      UndoFunc   func,
      GError   **error)
{
  g_autofree char *reason = NULL, *operator_id = NULL;
  const GOptionEntry entries[] = {
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, N_("Why"), N_("TEXT") },
    { "operator", 0, 0, G_OPTION_ARG_STRING, &operator_id, N_("Associate doing it"), N_("ID") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = pd_ctl_option_context_new (ctl, entries);
  g_autoptr(PdConfig) config = NULL;
  g_autoptr(PdPaymentService) service = NULL;
  g_autoptr(PdPayment) payment = NULL;
  g_autoptr(GError) undo_error = NULL;
  g_autofree char *detail = NULL;

  if (!g_option_context_parse (context, &argc, &argv, error))
    return PD_CTL_EXIT_ERROR;

  if (argc != 2)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("Name the payment: its reference from the receipt."));
      return PD_CTL_EXIT_ERROR;
    }

  if (!(config = pd_ctl_load_config (ctl, error)) ||
      !(service = pd_ctl_open_service (ctl, config, error)))
    return PD_CTL_EXIT_ERROR;
  payment = func (service, argv[1], operator_id, reason, NULL, &undo_error);
  detail = g_strdup_printf ("%s %s: %s", argv[1],
                            payment != NULL ? pd_payment_state_to_id (pd_payment_get_state (payment))
                                            : "not done",
                            reason != NULL ? reason : "no reason given");
  pd_ctl_audit (config, pd_payment_service_get_journal (service),
                func == pd_payment_service_void ? PD_AUDIT_VOID : PD_AUDIT_REFUND, operator_id,
                payment != NULL ? pd_payment_get_id (payment) : NULL, detail);
  if (payment == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&undo_error));
      return PD_CTL_EXIT_ERROR;
    }

  pd_ctl_print_payment (ctl, payment);
  return PD_CTL_EXIT_OK;
}

PdCtlExit
pd_ctl_void (PdCtl   *ctl,
             int      argc,
             char   **argv,
             GError **error)
{
  return undo (ctl, argc, argv, pd_payment_service_void, error);
}

PdCtlExit
pd_ctl_refund (PdCtl   *ctl,
               int      argc,
               char   **argv,
               GError **error)
{
  return undo (ctl, argc, argv, pd_payment_service_refund, error);
}
