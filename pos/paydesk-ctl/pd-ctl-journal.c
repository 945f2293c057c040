#include <glib/gi18n.h>

#include "pd-business-date.h"
#include "pd-ctl.h"

static PdJournal *
open_journal_with_config (PdCtl      *ctl,
                          PdConfig  **config_out,
                          GError    **error)
{
  g_autoptr(PdConfig) config = pd_ctl_load_config (ctl, error);
  PdJournal *journal;

  if (config == NULL)
    return NULL;

  journal = pd_ctl_open_journal (ctl, config, error);
  if (journal != NULL && config_out != NULL)
    *config_out = g_steal_pointer (&config);
  return journal;
}

static PdJournal *
open_journal_from_options (PdCtl   *ctl,
                           GError **error)
{
  return open_journal_with_config (ctl, NULL, error);
}

PdCtlExit
pd_ctl_journal_verify (PdCtl   *ctl,
                       int      argc,
                       char   **argv,
                       GError **error)
{
  g_autoptr(GOptionContext) context = pd_ctl_option_context_new (ctl, NULL);
  g_autoptr(PdJournal) journal = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  gint64 n_payments = -1;

  if (!g_option_context_parse (context, &argc, &argv, error))
    return PD_CTL_EXIT_ERROR;

  journal = open_journal_from_options (ctl, error);
  if (journal == NULL)
    return PD_CTL_EXIT_ERROR;

  problems = pd_journal_verify (journal, error);
  if (problems == NULL)
    return PD_CTL_EXIT_ERROR;

  /* A sound file may still hold payments a stop left without an outcome. */
  if (problems->len == 0)
    {
      g_autoptr(GPtrArray) unresolved = pd_journal_list_unresolved (journal, error);

      if (unresolved == NULL)
        return PD_CTL_EXIT_ERROR;
      for (guint i = 0; i < unresolved->len; i++)
        {
          PdPayment *payment = g_ptr_array_index (unresolved, i);

          g_ptr_array_add (problems,
                           g_strdup_printf (_("Payment %s was left %s, without an outcome: run "
                                              "“paydesk-ctl outbox drain” to finish it."),
                                            pd_payment_get_client_ref (payment),
                                            pd_payment_state_to_id (
                                              pd_payment_get_state (payment))));
        }
    }

  if (problems->len == 0)
    n_payments = pd_journal_count_payments (journal, NULL);

  if (ctl->options.json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "journal");
      json_builder_add_string_value (builder, pd_journal_get_path (journal));
      json_builder_set_member_name (builder, "schema_version");
      json_builder_add_int_value (builder, pd_journal_get_schema_version (journal));
      json_builder_set_member_name (builder, "ok");
      json_builder_add_boolean_value (builder, problems->len == 0);
      if (n_payments >= 0)
        {
          json_builder_set_member_name (builder, "payments");
          json_builder_add_int_value (builder, n_payments);
        }
      json_builder_set_member_name (builder, "problems");
      json_builder_begin_array (builder);
      for (guint i = 0; i < problems->len; i++)
        json_builder_add_string_value (builder, g_ptr_array_index (problems, i));
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      pd_ctl_print_json (builder);
    }
  else if (problems->len == 0)
    {
      guint counted = (guint) MAX (n_payments, 0);

      g_print (ngettext ("Journal %s: sound (schema %d, %u payment).\n",
                         "Journal %s: sound (schema %d, %u payments).\n", counted),
               pd_journal_get_path (journal), pd_journal_get_schema_version (journal),
               counted);
    }
  else
    {
      g_print (ngettext ("Journal %s: %u problem found:\n", "Journal %s: %u problems found:\n",
                         problems->len),
               pd_journal_get_path (journal), problems->len);
      for (guint i = 0; i < problems->len; i++)
        g_print ("  %s\n", (const char *) g_ptr_array_index (problems, i));
    }

  return problems->len == 0 ? PD_CTL_EXIT_OK : PD_CTL_EXIT_DECLINED;
}

static void
print_payment_line (PdPayment *payment)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (pd_payment_get_created_at (payment));
  g_autofree char *time = g_date_time_format (local, "%Y-%m-%d %H:%M:%S");
  g_autofree char *amount = pd_money_format (pd_payment_get_amount (payment), NULL);
  const char *confirmation = pd_payment_get_confirmation (payment);

  g_print ("%s  %-20s  %-12s  %-19s  %12s  %-5s  %-11s  %s\n", time,
           pd_payment_get_client_ref (payment), pd_payment_get_account_number (payment),
           pd_line_of_business_to_id (pd_payment_get_line_of_business (payment)), amount,
           pd_tender_to_id (pd_payment_get_tender (payment)),
           pd_payment_state_to_id (pd_payment_get_state (payment)),
           confirmation != NULL ? confirmation : "-");
}

PdCtlExit
pd_ctl_journal_list (PdCtl   *ctl,
                     int      argc,
                     char   **argv,
                     GError **error)
{
  g_autofree char *date_text = NULL;
  gboolean all = FALSE;
  const GOptionEntry entries[] = {
    { "date", 0, 0, G_OPTION_ARG_STRING, &date_text,
      N_("Only payments of business date DATE (YYYY-MM-DD; default: today's)"), N_("DATE") },
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, N_("Every payment the journal holds"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = pd_ctl_option_context_new (ctl, entries);
  g_autoptr(PdJournal) journal = NULL;
  g_autoptr(PdConfig) config = NULL;
  g_autoptr(GPtrArray) payments = NULL;
  GDate date;

  if (!g_option_context_parse (context, &argc, &argv, error))
    return PD_CTL_EXIT_ERROR;

  if (date_text != NULL && !pd_ctl_parse_date (date_text, &date, error))
    return PD_CTL_EXIT_ERROR;

  journal = open_journal_with_config (ctl, &config, error);
  if (journal == NULL)
    return PD_CTL_EXIT_ERROR;

  /* A day's payments by default: what an associate looks at, as quick in a journal of
   * years as in a new one. */
  if (date_text == NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      pd_business_date_for (now, pd_config_get_business_day_cutoff (config), &date);
    }

  payments = pd_journal_list_payments (journal, all ? NULL : &date, error);
  if (payments == NULL)
    return PD_CTL_EXIT_ERROR;

  if (ctl->options.json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "payments");
      json_builder_begin_array (builder);
      for (guint i = 0; i < payments->len; i++)
        pd_ctl_add_payment_json (builder, g_ptr_array_index (payments, i));
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      pd_ctl_print_json (builder);
    }
  else if (payments->len == 0)
    g_print (_("No payments.\n"));
  else
    for (guint i = 0; i < payments->len; i++)
      print_payment_line (g_ptr_array_index (payments, i));

  return PD_CTL_EXIT_OK;
}
