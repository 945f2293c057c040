#include <glib/gi18n.h>

#include "pd-business-date.h"
#include "pd-ctl.h"
#include "pd-report.h"

static void
print_report_json (PdReport   *report,
                   const char *terminal_id)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *date = pd_business_date_to_string (&report->business_date);

  json_builder_begin_object (builder);
  pd_json_add_string (builder, "business_date", date);
  pd_json_add_string (builder, "terminal_id", terminal_id);
  json_builder_set_member_name (builder, "matches");
  json_builder_add_boolean_value (builder, report->matches);
  json_builder_set_member_name (builder, "totals");
  json_builder_begin_array (builder);
  for (guint i = 0; i < report->rows->len; i++)
    {
      PdReportRow *row = &g_array_index (report->rows, PdReportRow, i);

      json_builder_begin_object (builder);
      pd_json_add_string (builder, "tender", pd_tender_to_id (row->tender));
      pd_json_add_string (builder, "line_of_business",
                                  pd_line_of_business_to_id (row->line_of_business));
      json_builder_set_member_name (builder, "count");
      json_builder_add_int_value (builder, row->count);
      json_builder_set_member_name (builder, "amount_cents");
      json_builder_add_int_value (builder, row->amount);
      json_builder_set_member_name (builder, "core_count");
      json_builder_add_int_value (builder, row->core_count);
      json_builder_set_member_name (builder, "core_amount_cents");
      json_builder_add_int_value (builder, row->core_amount);
      json_builder_set_member_name (builder, "matches");
      json_builder_add_boolean_value (builder, pd_report_row_matches (row));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "waiting_count");
  json_builder_add_int_value (builder, report->waiting_count);
  json_builder_set_member_name (builder, "waiting_amount_cents");
  json_builder_add_int_value (builder, report->waiting_amount);
  json_builder_end_object (builder);
  pd_ctl_print_json (builder);
}

static void
print_report_text (PdReport   *report,
                   const char *terminal_id)
{
  g_autofree char *date = pd_business_date_to_string (&report->business_date);
  PdCents total = 0;
  guint count = 0;
  g_autofree char *total_text = NULL;

  g_print (_("End of day %s, terminal %s\n"), date, terminal_id);
  g_print ("%-6s  %-32s  %5s  %12s  %5s  %12s\n", _("Tender"), _("Line of business"),
           _("Count"), _("Amount"), _("Core"), _("Core amount"));

  for (guint i = 0; i < report->rows->len; i++)
    {
      PdReportRow *row = &g_array_index (report->rows, PdReportRow, i);
      g_autofree char *amount = pd_money_format (row->amount, NULL);
      g_autofree char *core_amount = pd_money_format (row->core_amount, NULL);

      g_print ("%-6s  %-32s  %5u  %12s  %5u  %12s%s\n", pd_tender_to_id (row->tender),
               pd_line_of_business_get_name (row->line_of_business), row->count, amount,
               row->core_count, core_amount,
               pd_report_row_matches (row) ? "" : _("  DIFFERENT"));
      total += row->amount;
      count += row->count;
    }

  total_text = pd_money_format (total, NULL);
  g_print (ngettext ("Total: %u payment, %s.\n", "Total: %u payments, %s.\n", count), count,
           total_text);

  if (report->waiting_count > 0)
    {
      g_autofree char *waiting = pd_money_format (report->waiting_amount, NULL);

      g_print (ngettext ("%u payment (%s) is still waiting to be sent; send it with "
                         "“paydesk-ctl outbox drain”.\n",
                         "%u payments (%s) are still waiting to be sent; send them with "
                         "“paydesk-ctl outbox drain”.\n", report->waiting_count),
               report->waiting_count, waiting);
    }

  g_print ("%s\n", report->matches ? _("The journal and the payment core agree.")
                                   : _("The journal and the payment core DISAGREE: call "
                                       "support before closing the day."));
}

PdCtlExit
pd_ctl_report (PdCtl   *ctl,
               int      argc,
               char   **argv,
               GError **error)
{
  g_autofree char *date_text = NULL;
  const GOptionEntry entries[] = {
    { "date", 0, 0, G_OPTION_ARG_STRING, &date_text,
      N_("Business date (YYYY-MM-DD); today's by default"), N_("DATE") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = pd_ctl_option_context_new (ctl, entries);
  g_autoptr(PdConfig) config = NULL;
  g_autoptr(PdJournal) journal = NULL;
  g_autoptr(PdCoreClient) client = NULL;
  g_autoptr(PdReport) report = NULL;
  GDate date;

  if (!g_option_context_parse (context, &argc, &argv, error) ||
      !(config = pd_ctl_load_config (ctl, error)))
    return PD_CTL_EXIT_ERROR;

  if (date_text != NULL && !pd_ctl_parse_date (date_text, &date, error))
    return PD_CTL_EXIT_ERROR;
  if (date_text == NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      pd_business_date_for (now, pd_config_get_business_day_cutoff (config), &date);
    }

  if (!(journal = pd_ctl_open_journal (ctl, config, error)) ||
      !(client = pd_core_client_new (config, error)) ||
      !(report = pd_report_build (journal, client, &date, pd_config_get_terminal_id (config),
                                  NULL, error)))
    return PD_CTL_EXIT_ERROR;

  if (ctl->options.json)
    print_report_json (report, pd_config_get_terminal_id (config));
  else
    print_report_text (report, pd_config_get_terminal_id (config));

  return report->matches ? PD_CTL_EXIT_OK : PD_CTL_EXIT_DECLINED;
}
