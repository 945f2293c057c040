#include <glib/gi18n-lib.h>

#include "pd-business-date.h"
#include "pd-json.h"
#include "pd-report.h"

static PdReportRow *
row_for (GArray           *rows,
         PdTender          tender,
         PdLineOfBusiness  line)
{
  PdReportRow row = { tender, line, 0, 0, 0, 0 };

  for (guint i = 0; i < rows->len; i++)
    {
      PdReportRow *existing = &g_array_index (rows, PdReportRow, i);

      if (existing->tender == tender && existing->line_of_business == line)
        return existing;
    }

  g_array_append_val (rows, row);
  return &g_array_index (rows, PdReportRow, rows->len - 1);
}

/* What the core counts: payments it approved or accepted, less those voided or refunded. */
static gboolean
counts_toward_totals (PdPaymentState state)
{
  return state == PD_PAYMENT_STATE_APPROVED || state == PD_PAYMENT_STATE_COMPLETED;
}

static gboolean
add_core_totals (GArray       *rows,
                 JsonNode     *answer,
                 GError      **error)
{
  JsonArray *totals = pd_json_get_array (pd_json_node_get_object (answer), "totals");

  if (totals == NULL)
    {
      g_set_error_literal (error, PD_CORE_ERROR, PD_CORE_ERROR_NO_ANSWER,
                           _("The payment core's reconciliation has no totals."));
      return FALSE;
    }

  for (guint i = 0; i < json_array_get_length (totals); i++)
    {
      JsonObject *total = pd_json_array_get_object (totals, i);
      PdTender tender;
      PdLineOfBusiness line;
      PdReportRow *row;

      if (total == NULL ||
          !pd_tender_from_id (pd_json_get_string (total, "tender"), &tender) ||
          !pd_line_of_business_from_id (pd_json_get_string (total, "line_of_business"), &line))
        {
          g_set_error_literal (error, PD_CORE_ERROR, PD_CORE_ERROR_NO_ANSWER,
                               _("The payment core's reconciliation has a total Paydesk cannot "
                                 "read."));
          return FALSE;
        }

      row = row_for (rows, tender, line);
      row->core_count += (guint) pd_json_get_int (total, "count", 0);
      row->core_amount += pd_json_get_int (total, "amount_cents", 0);
    }

  return TRUE;
}

static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  const PdReportRow *left = a;
  const PdReportRow *right = b;

  if (left->tender != right->tender)
    return (int) left->tender - (int) right->tender;
  return (int) left->line_of_business - (int) right->line_of_business;
}

gboolean
pd_report_row_matches (const PdReportRow *row)
{
  return row->count == row->core_count && row->amount == row->core_amount;
}

char *
pd_report_row_explain (const PdReportRow *row)
{
  g_autofree char *here = NULL;
  g_autofree char *core = NULL;

  g_return_val_if_fail (row != NULL, NULL);

  if (pd_report_row_matches (row))
    return NULL;
  here = pd_money_format (row->amount, NULL);
  core = pd_money_format (row->core_amount, NULL);
  if (row->count > row->core_count)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "This terminal took %u more payment than the payment "
                                         "core counts (%s here, %s there): look for it in the "
                                         "outbox or among today’s payments left without an "
                                         "outcome.",
                                         "This terminal took %u more payments than the payment "
                                         "core counts (%s here, %s there): look for them in the "
                                         "outbox or among today’s payments left without an "
                                         "outcome.", row->count - row->core_count),
                            row->count - row->core_count, here, core);
  if (row->core_count > row->count)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "The payment core counts %u more payment for this "
                                         "terminal than it journaled (%s there, %s here): call "
                                         "support with this report before the day is closed.",
                                         "The payment core counts %u more payments for this "
                                         "terminal than it journaled (%s there, %s here): call "
                                         "support with this report before the day is closed.",
                                         row->core_count - row->count),
                            row->core_count - row->count, core, here);
  return g_strdup_printf (_("As many payments here as at the payment core, but %s here against "
                            "%s there: compare each payment’s amount with the core’s."),
                          here, core);
}

PdReport *
pd_report_build (PdJournal     *journal,
                 PdCoreClient  *client,
                 const GDate   *business_date,
                 const char    *terminal_id,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autoptr(PdReport) report = g_new0 (PdReport, 1);
  g_autoptr(GPtrArray) payments = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *date = NULL;
  g_autofree char *escaped_terminal = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (PD_IS_JOURNAL (journal), NULL);
  g_return_val_if_fail (PD_IS_CORE_CLIENT (client), NULL);
  g_return_val_if_fail (business_date != NULL && g_date_valid (business_date), NULL);

  report->business_date = *business_date;
  report->rows = g_array_new (FALSE, TRUE, sizeof (PdReportRow));

  payments = pd_journal_list_payments (journal, business_date, error);
  if (payments == NULL)
    return NULL;

  for (guint i = 0; i < payments->len; i++)
    {
      PdPayment *payment = g_ptr_array_index (payments, i);
      PdPaymentState state = pd_payment_get_state (payment);

      if (state == PD_PAYMENT_STATE_QUEUED)
        {
          report->waiting_count++;
          report->waiting_amount += pd_payment_get_amount (payment);
        }
      else if (counts_toward_totals (state))
        {
          PdReportRow *row = row_for (report->rows, pd_payment_get_tender (payment),
                                      pd_payment_get_line_of_business (payment));

          row->count++;
          row->amount += pd_payment_get_amount (payment);
        }
    }

  date = pd_business_date_to_string (business_date);
  escaped_terminal = g_uri_escape_string (terminal_id, NULL, FALSE);
  path = g_strdup_printf ("/v1/reconciliation?business_date=%s&terminal_id=%s", date,
                          escaped_terminal);
  answer = pd_core_client_get (client, path, cancellable, error);
  if (answer == NULL || !add_core_totals (report->rows, answer, error))
    return NULL;

  g_array_sort (report->rows, compare_rows);
  report->matches = TRUE;
  for (guint i = 0; i < report->rows->len; i++)
    report->matches &= pd_report_row_matches (&g_array_index (report->rows, PdReportRow, i));

  return g_steal_pointer (&report);
}

void
pd_report_free (PdReport *report)
{
  if (report == NULL)
    return;

  g_clear_pointer (&report->rows, g_array_unref);
  g_free (report);
}
