#include "config.h"

#include <stdio.h>

#include <glib/gi18n-lib.h>

#include "pd-ctl.h"
#include "pd-language.h"
#include "pd-printer.h"
#include "pd-receipt-cairo.h"
#include "pd-receipt-escpos.h"
#include "pd-receipt-layout.h"
#include "pd-receipt-print.h"
#include "pd-receipt-text.h"
#include "pd-receipt.h"
#include "pd-training-printer.h"

/* Wide enough for a terminal window and for the email's text part. */
#define TEXT_COLUMNS 48

static GBytes *
render (PdReceiptLayout  *layout,
        PdReceiptFormat   format,
        PdPrinterProfile *profile,
        GError          **error)
{
  switch (format)
    {
    case PD_RECEIPT_FORMAT_ESCPOS:
      return pd_receipt_render_escpos (layout, profile, error);
    case PD_RECEIPT_FORMAT_PNG:
      return pd_receipt_render_png (layout, error);
    case PD_RECEIPT_FORMAT_PDF:
      return pd_receipt_render_pdf (layout, error);
    case PD_RECEIPT_FORMAT_TEXT:
    case PD_RECEIPT_FORMAT_EMAIL:
    default:
      {
        char *text = pd_receipt_render_text (layout, TEXT_COLUMNS);

        return g_bytes_new_take (text, strlen (text));
      }
    }
}

static void
report (PdCtl           *ctl,
        PdReceipt       *receipt,
        PdReceiptLayout *layout,
        PdReceiptFormat  format,
        const char      *outcome,
        const char      *where)
{
  if (ctl->options.json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      pd_json_add_string (builder, "outcome", outcome);
      pd_json_add_string (builder, "payment_id", pd_receipt_get_payment_id (receipt));
      pd_json_add_string (builder, "reference", pd_receipt_get_reference (receipt));
      pd_json_add_string (builder, "status",
                          pd_receipt_status_to_id (pd_receipt_get_status (receipt)));
      pd_json_add_string (builder, "format", pd_receipt_format_to_id (format));
      pd_json_add_string (builder, "language", layout->language);
      json_builder_set_member_name (builder, "duplicate");
      json_builder_add_boolean_value (builder, pd_receipt_get_copy_number (receipt) > 0);
      pd_json_add_string (builder, "file", where);
      json_builder_end_object (builder);
      pd_ctl_print_json (builder);
    }
  else if (g_str_equal (outcome, "printed"))
    g_print (pd_receipt_get_copy_number (receipt) > 0
             ? _("Receipt printed, marked DUPLICATE.\n") : _("Receipt printed.\n"));
  else
    g_print (_("Receipt written to %s.\n"), where);
}

PdCtlExit
pd_ctl_receipt (PdCtl   *ctl,
                int      argc,
                char   **argv,
                GError **error)
{
  g_autofree char *format_id = NULL, *output = NULL, *language = NULL, *address = NULL;
  const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_id,
      N_("escpos, png, pdf or text (without it: print on the receipt printer)"), N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write to FILE (text goes to the screen without it)"), N_("FILE") },
    { "language", 0, 0, G_OPTION_ARG_STRING, &language,
      N_("The receipt's language (default: the one the member chose)"), N_("CODE") },
    { "email", 0, 0, G_OPTION_ARG_STRING, &address,
      N_("Email it to ADDRESS (queued, and retried while the mail server is down)"),
      N_("ADDRESS") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = pd_ctl_option_context_new (ctl, entries);
  g_autoptr(PdConfig) config = NULL;
  g_autoptr(PdJournal) journal = NULL;
  g_autoptr(PdReceipt) receipt = NULL;
  g_autoptr(PdReceiptLayout) layout = NULL;
  g_autoptr(PdPeripherals) peripherals = NULL;
  g_autoptr(PdPrinter) printer = NULL;
  g_autoptr(PdPrinterProfile) profile = NULL;
  g_autoptr(GBytes) bytes = NULL;
  PdReceiptFormat format = PD_RECEIPT_FORMAT_ESCPOS;
  gboolean to_printer;
  int copies;

  if (!g_option_context_parse (context, &argc, &argv, error) ||
      !pd_ctl_take_sensitive (ctl, "email", &address, error))
    return PD_CTL_EXIT_ERROR;
  if (argc != 2)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("Name the payment: its reference from the receipt or from "
                             "“paydesk-ctl journal list”."));
      return PD_CTL_EXIT_ERROR;
    }
  if (format_id != NULL && (!pd_receipt_format_from_id (format_id, &format) ||
                            format == PD_RECEIPT_FORMAT_EMAIL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” is not a receipt format: use escpos, png, pdf or text."), format_id);
      return PD_CTL_EXIT_ERROR;
    }
  if (language != NULL && pd_language_lookup (language) == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” is not a language Paydesk offers."), language);
      return PD_CTL_EXIT_ERROR;
    }
  if (address != NULL)
    {
      if (format_id != NULL || output != NULL)
        {
          g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                               _("--email sends text, HTML and PDF together: leave out --format "
                                 "and -o."));
          return PD_CTL_EXIT_ERROR;
        }
      if (!(config = pd_ctl_load_config (ctl, error)) ||
          !(journal = pd_ctl_open_journal (ctl, config, error)))
        return PD_CTL_EXIT_ERROR;
      return pd_ctl_receipt_email (ctl, config, journal, argv[1], address, language, error);
    }
  to_printer = format_id == NULL && output == NULL;
  if (format_id == NULL && output != NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("Say which format to write with --format."));
      return PD_CTL_EXIT_ERROR;
    }
  if (!to_printer && output == NULL && format != PD_RECEIPT_FORMAT_TEXT)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("Give a file to write it to with -o FILE."));
      return PD_CTL_EXIT_ERROR;
    }

  if (!(config = pd_ctl_load_config (ctl, error)) ||
      !(journal = pd_ctl_open_journal (ctl, config, error)) ||
      !(receipt = pd_receipt_new_from_journal (journal, config, argv[1], error)))
    return PD_CTL_EXIT_ERROR;

  copies = pd_journal_count_receipt_copies (journal, pd_receipt_get_payment_id (receipt),
                                            PD_RECEIPT_FORMAT_ESCPOS, error);
  if (copies < 0)
    return PD_CTL_EXIT_ERROR;
  pd_receipt_set_copy_number (receipt, (guint) copies);
  layout = pd_receipt_layout_new (receipt, language);

  if (to_printer)
    {
      g_autoptr(GError) print_error = NULL;

      if (!(printer = pd_ctl_open_printer (config, &peripherals, &profile, error)))
        return PD_CTL_EXIT_ERROR;
      /* The same path as the kiosk's; a command line may block: no main loop waits here. */
      if (!pd_receipt_print (journal, config, printer, argv[1], language, NULL, &print_error))
        {
          gboolean refused = print_error->domain == PD_PRINTER_ERROR &&
                             print_error->code != PD_PRINTER_ERROR_NO_PROFILE;

          g_propagate_error (error, g_steal_pointer (&print_error));
          return refused ? PD_CTL_EXIT_DECLINED : PD_CTL_EXIT_ERROR;
        }
    }
  else
    {
      if (format == PD_RECEIPT_FORMAT_ESCPOS)
        {
          g_autoptr(GPtrArray) profiles = pd_printer_profile_load_directory (
            pd_printer_profile_get_directory (), error);

          /* A file for a printer not attached here: the model the training printer plays. */
          if (profiles == NULL)
            return PD_CTL_EXIT_ERROR;
          profile = pd_printer_profile_find (profiles, 0x04b8, 0x0202, 0);
          if (profile == NULL)
            {
              g_set_error (error, PD_PRINTER_ERROR, PD_PRINTER_ERROR_NO_PROFILE,
                           _("No printer profile for the Epson TM-T88 in %s."),
                           pd_printer_profile_get_directory ());
              return PD_CTL_EXIT_ERROR;
            }
          g_object_ref (profile);
        }
      if (!(bytes = render (layout, format, profile, error)))
        return PD_CTL_EXIT_ERROR;
      if (output == NULL)
        {
          /* On the screen only: not a copy handed to the member. */
          fwrite (g_bytes_get_data (bytes, NULL), 1, g_bytes_get_size (bytes), stdout);
          return PD_CTL_EXIT_OK;
        }
      if (!g_file_set_contents (output, g_bytes_get_data (bytes, NULL),
                                (gssize) g_bytes_get_size (bytes), error))
        return PD_CTL_EXIT_ERROR;
    }

  /* A printed copy was recorded by pd_receipt_print. */
  if (!to_printer &&
      !pd_journal_record_receipt_copy (journal, pd_receipt_get_payment_id (receipt), format,
                                       layout->language, error))
    return PD_CTL_EXIT_ERROR;

  /* Every copy after the member's first is a reprint. */
  if (to_printer && pd_receipt_get_copy_number (receipt) > 0)
    pd_ctl_audit (config, journal, PD_AUDIT_REPRINT, NULL, pd_receipt_get_payment_id (receipt),
                  NULL);

  if (to_printer && PD_IS_TRAINING_PRINTER (printer))
    {
      g_autofree char *image = pd_training_printer_dup_last_receipt (PD_TRAINING_PRINTER (printer));

      report (ctl, receipt, layout, format, "printed", image);
      if (!ctl->options.json && image != NULL)
        g_print (_("The training printer drew it in %s\n"), image);
    }
  else
    report (ctl, receipt, layout, format, to_printer ? "printed" : "written", output);
  return PD_CTL_EXIT_OK;
}
