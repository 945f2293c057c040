#include <glib/gi18n-lib.h>

#include "pd-receipt-escpos.h"
#include "pd-receipt-layout.h"
#include "pd-receipt-print.h"

gboolean
pd_receipt_print (PdJournal     *journal,
                  PdConfig      *config,
                  PdPrinter     *printer,
                  const char    *payment,
                  const char    *language,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autoptr(PdReceipt) receipt = NULL;
  g_autoptr(PdReceiptLayout) layout = NULL;
  g_autoptr(PdPrinterProfile) profile = NULL;
  g_autoptr(GBytes) job = NULL;
  g_autoptr(GError) print_error = NULL;
  gint64 copies;

  g_return_val_if_fail (PD_IS_JOURNAL (journal) && PD_IS_CONFIG (config), FALSE);
  g_return_val_if_fail (PD_IS_PRINTER (printer) && payment != NULL, FALSE);

  receipt = pd_receipt_new_from_journal (journal, config, payment, error);
  if (receipt == NULL)
    return FALSE;
  copies = pd_journal_count_receipt_copies (journal, pd_receipt_get_payment_id (receipt),
                                            PD_RECEIPT_FORMAT_ESCPOS, error);
  if (copies < 0)
    return FALSE;
  pd_receipt_set_copy_number (receipt, (guint) copies);
  layout = pd_receipt_layout_new (receipt, language);

  profile = pd_printer_dup_profile (printer);
  if (profile == NULL)
    {
      g_set_error_literal (error, PD_PRINTER_ERROR, PD_PRINTER_ERROR_NO_PROFILE,
                           _("The receipt printer cannot be used: it was not opened."));
      return FALSE;
    }
  job = pd_receipt_render_escpos (layout, profile, error);
  if (job == NULL)
    return FALSE;
  if (!pd_printer_print (printer, job, cancellable, &print_error))
    {
      g_set_error (error, PD_PRINTER_ERROR, print_error->code,
                   _("The receipt was not printed: %s"), print_error->message);
      return FALSE;
    }

  return pd_journal_record_receipt_copy (journal, pd_receipt_get_payment_id (receipt),
                                         PD_RECEIPT_FORMAT_ESCPOS, layout->language, error);
}
