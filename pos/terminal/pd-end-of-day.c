#include <glib/gi18n-lib.h>
#include <errno.h>
#include <glib/gstdio.h>

#include "pd-business-date.h"
#include "pd-end-of-day.h"
#include "pd-receipt-cairo.h"
#include "pd-receipt-escpos.h"

void
pd_end_of_day_free (PdEndOfDay *end_of_day)
{
  if (end_of_day == NULL)
    return;
  g_clear_pointer (&end_of_day->report, pd_report_free);
  g_clear_pointer (&end_of_day->layout, pd_receipt_layout_free);
  g_free (end_of_day->pdf_path);
  g_clear_error (&end_of_day->print_error);
  g_free (end_of_day);
}

static char *
count_and_amount (guint   count,
                  PdCents amount)
{
  g_autofree char *money = pd_money_format (amount, NULL);

  /* TRANSLATORS: a number of payments and their total, on the end-of-day paper. */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u payment, %s", "%u payments, %s",
                                       count), count, money);
}

static PdReceiptLayout *
lay_out (PdTerminal        *terminal,
         const PdAssociate *associate,
         PdReport          *report)
{
  PdConfig *config = pd_terminal_get_config (terminal);
  PdReceiptLayout *layout = pd_receipt_layout_new_empty (pd_config_get_default_language (config));
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *when = g_date_time_format (now, "%Y-%m-%d %H:%M");
  g_autofree char *date = pd_business_date_to_string (&report->business_date);
  guint differences = 0;

  if (pd_config_get_training (config))
    pd_receipt_layout_add (layout, PD_RECEIPT_LINE_MARK, _("TRAINING — NOT REAL PAYMENTS"), NULL);
  pd_receipt_layout_add (layout, PD_RECEIPT_LINE_TITLE, _("End of day"), NULL);
  pd_receipt_layout_add (layout, PD_RECEIPT_LINE_CENTERED,
                         pd_config_get_center_name (config) != NULL
                           ? pd_config_get_center_name (config)
                           : pd_config_get_center_id (config), NULL);
  pd_receipt_layout_add (layout, PD_RECEIPT_LINE_FIELD, _("Terminal"),
                         pd_config_get_terminal_id (config));
  pd_receipt_layout_add (layout, PD_RECEIPT_LINE_FIELD, _("Business date"), date);
  pd_receipt_layout_add (layout, PD_RECEIPT_LINE_FIELD, _("Closed by"), associate->id);
  pd_receipt_layout_add (layout, PD_RECEIPT_LINE_FIELD, _("Closed at"), when);
  pd_receipt_layout_add (layout, PD_RECEIPT_LINE_RULE, NULL, NULL);
  if (report->rows->len == 0)
    pd_receipt_layout_add (layout, PD_RECEIPT_LINE_PARAGRAPH,
                           _("No payments on this business date, here or at the payment core."),
                           NULL);
  for (guint i = 0; i < report->rows->len; i++)
    {
      PdReportRow *row = &g_array_index (report->rows, PdReportRow, i);
      g_autofree char *heading = g_strdup_printf ("%s · %s", pd_tender_get_name (row->tender),
                                                  pd_line_of_business_get_name (
                                                    row->line_of_business));
      g_autofree char *here = count_and_amount (row->count, row->amount);
      g_autofree char *core = count_and_amount (row->core_count, row->core_amount);
      g_autofree char *why = pd_report_row_explain (row);

      pd_receipt_layout_add (layout, PD_RECEIPT_LINE_HEADING, heading, NULL);
      pd_receipt_layout_add (layout, PD_RECEIPT_LINE_FIELD, _("This terminal"), here);
      pd_receipt_layout_add (layout, PD_RECEIPT_LINE_FIELD, _("Payment core"), core);
      if (why != NULL)
        {
          g_autofree char *different = g_strdup_printf (_("DIFFERENT: %s"), why);

          differences++;
          pd_receipt_layout_add (layout, PD_RECEIPT_LINE_PARAGRAPH, different, NULL);
        }
    }
  pd_receipt_layout_add (layout, PD_RECEIPT_LINE_RULE, NULL, NULL);
  if (report->waiting_count > 0)
    {
      g_autofree char *waiting = count_and_amount (report->waiting_count,
                                                   report->waiting_amount);
      g_autofree char *notice = g_strdup_printf (_("Waiting in the outbox, not at the payment "
                                                   "core yet: %s."), waiting);

      pd_receipt_layout_add (layout, PD_RECEIPT_LINE_NOTICE, notice, NULL);
    }
  if (differences == 0)
    pd_receipt_layout_add (layout, PD_RECEIPT_LINE_STATUS, _("AGREES WITH THE CORE"), NULL);
  else
    pd_receipt_layout_add (layout, PD_RECEIPT_LINE_STATUS, _("DIFFERENCES"), NULL);
  return layout;
}

static char *
save_pdf (PdTerminal        *terminal,
          PdReceiptLayout   *layout,
          PdReport          *report,
          GError           **error)
{
  PdConfig *config = pd_terminal_get_config (terminal);
  g_autofree char *journal = pd_config_dup_journal_path (config);
  g_autofree char *folder = NULL;
  g_autofree char *date = pd_business_date_to_string (&report->business_date);
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GBytes) pdf = NULL;

  g_autofree char *data_dir = g_path_get_dirname (journal);

  folder = g_build_filename (data_dir, "reports", NULL);
  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("Could not make the folder for end-of-day reports %s: %s"), folder,
                   g_strerror (saved));
      return NULL;
    }
  name = g_strdup_printf ("end-of-day-%s-%s.pdf", date, pd_config_get_terminal_id (config));
  path = g_build_filename (folder, name, NULL);
  if (!(pdf = pd_receipt_render_pdf (layout, error)) ||
      !g_file_set_contents (path, g_bytes_get_data (pdf, NULL), (gssize) g_bytes_get_size (pdf),
                            error))
    return NULL;
  return g_steal_pointer (&path);
}

static gboolean
print (PdTerminal       *terminal,
       PdReceiptLayout  *layout,
       GCancellable     *cancellable,
       GError          **error)
{
  PdPeripherals *peripherals = pd_terminal_get_peripherals (terminal);
  g_autoptr(PdPrinter) printer = NULL;
  g_autoptr(PdPrinterProfile) profile = NULL;
  g_autoptr(GBytes) job = NULL;

  if (peripherals == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("This terminal has no receipt printer."));
      return FALSE;
    }
  if (!(printer = pd_peripherals_dup_printer (peripherals, error)))
    return FALSE;
  profile = pd_printer_dup_profile (printer);
  return (job = pd_receipt_render_escpos (layout, profile, error)) != NULL &&
         pd_printer_print (printer, job, cancellable, error);
}

PdEndOfDay *
pd_end_of_day_close (PdTerminal         *terminal,
                     const PdAssociate  *associate,
                     const GDate        *business_date,
                     GCancellable       *cancellable,
                     GError            **error)
{
  PdConfig *config;
  g_autoptr(PdEndOfDay) end_of_day = NULL;
  g_autofree char *detail = NULL;
  GDate today;
  guint differences = 0;

  g_return_val_if_fail (PD_IS_TERMINAL (terminal), NULL);
  g_return_val_if_fail (associate != NULL, NULL);

  config = pd_terminal_get_config (terminal);
  if (!pd_staff_check_permission (pd_terminal_get_staff (terminal), associate,
                                  PD_PERMISSION_END_OF_DAY, error))
    return NULL;
  if (business_date == NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();

      pd_business_date_for (now, pd_config_get_business_day_cutoff (config), &today);
      business_date = &today;
    }
  end_of_day = g_new0 (PdEndOfDay, 1);
  if (!(end_of_day->report = pd_report_build (pd_terminal_get_journal (terminal),
                                              pd_terminal_get_core_client (terminal),
                                              business_date, pd_config_get_terminal_id (config),
                                              cancellable, error)))
    return NULL;
  end_of_day->layout = lay_out (terminal, associate, end_of_day->report);
  if (!(end_of_day->pdf_path = save_pdf (terminal, end_of_day->layout, end_of_day->report,
                                         error)))
    return NULL;
  end_of_day->printed = print (terminal, end_of_day->layout, cancellable,
                               &end_of_day->print_error);

  for (guint i = 0; i < end_of_day->report->rows->len; i++)
    differences += !pd_report_row_matches (&g_array_index (end_of_day->report->rows,
                                                           PdReportRow, i));
  detail = g_strdup_printf ("%u differences, %s", differences,
                            end_of_day->printed ? "printed" : "not printed");
  if (!pd_staff_record (pd_terminal_get_staff (terminal), PD_AUDIT_END_OF_DAY, associate->id,
                        NULL, NULL, detail, error))
    return NULL;
  return g_steal_pointer (&end_of_day);
}
