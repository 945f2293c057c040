#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "pd-card-channel.h"
#include "pd-card-payment.h"
#include "pd-card-readers.h"
#include "pd-ctl.h"
#include "pd-hex.h"

/* --application: the associate names the application (AID or label) the member chose. */
static gint
choose_named_application (GPtrArray *candidates,
                          gpointer   user_data)
{
  const char *wanted = user_data;

  for (guint i = 0; i < candidates->len; i++)
    {
      PdEmvCandidate *candidate = g_ptr_array_index (candidates, i);
      g_autofree char *aid = pd_hex_encode (g_bytes_get_data (candidate->aid, NULL),
                                            g_bytes_get_size (candidate->aid));

      if (g_ascii_strcasecmp (wanted, aid) == 0 ||
          (candidate->label != NULL && g_ascii_strcasecmp (wanted, candidate->label) == 0))
        return (gint) i;
    }

  return -1;
}

/* Without --application, and more than one application or one that wants confirming: list
 * them and stop, so the associate can ask the member. */
static gint
refuse_to_guess (GPtrArray *candidates,
                 gpointer   user_data)
{
  GString *choices = user_data;

  for (guint i = 0; i < candidates->len; i++)
    {
      PdEmvCandidate *candidate = g_ptr_array_index (candidates, i);
      g_autofree char *aid = pd_hex_encode (g_bytes_get_data (candidate->aid, NULL),
                                            g_bytes_get_size (candidate->aid));

      g_string_append_printf (choices, "  %s  %s\n", aid, candidate->label);
    }

  return -1;
}

static void
print_card_result (PdCtl               *ctl,
                   PdCardPaymentResult *result)
{
  if (ctl->options.json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      pd_json_add_string (builder, "outcome", result->outcome);
      pd_json_add_string (builder, "message", result->message);
      pd_json_add_string (builder, "reader", result->reader);
      pd_json_add_string (builder, "brand", result->brand);
      pd_json_add_string (builder, "pan_last4", result->pan_last4);
      pd_json_add_string (builder, "aid", result->aid);
      pd_json_add_string (builder, "app_label", result->app_label);
      pd_json_add_string (builder, "entry_mode", result->entry_mode);
      pd_json_add_string (builder, "tvr", result->tvr);
      pd_json_add_string (builder, "tsi", result->tsi);
      pd_json_add_string (builder, "auth_code", result->auth_code);
      json_builder_set_member_name (builder, "signature_required");
      json_builder_add_boolean_value (builder, result->signature_required);
      json_builder_set_member_name (builder, "commands_before_request");
      json_builder_add_int_value (builder, result->commands_before_request);
      json_builder_set_member_name (builder, "kiosk_usec_before_request");
      json_builder_add_int_value (builder, result->kiosk_usec_before_request);
      json_builder_set_member_name (builder, "transmit_usec_before_request");
      json_builder_add_int_value (builder, result->transmit_usec_before_request);
      if (result->payment != NULL)
        {
          json_builder_set_member_name (builder, "payment");
          pd_ctl_add_payment_json (builder, result->payment);
        }
      json_builder_end_object (builder);
      pd_ctl_print_json (builder);
      return;
    }

  if (result->payment != NULL)
    pd_ctl_print_payment (ctl, result->payment);
  else
    g_print ("%s\n", result->message);
  if (result->message != NULL && result->payment != NULL)
    g_print (_("  Message:      %s\n"), result->message);
  g_print (_("  Card:         %s ••••%s, %s (%s), %s\n"), result->brand ? result->brand : "",
           result->pan_last4 ? result->pan_last4 : "----",
           result->app_label ? result->app_label : "", result->aid ? result->aid : "",
           result->entry_mode ? result->entry_mode : "");
  g_print (_("  TVR / TSI:    %s / %s\n"), result->tvr ? result->tvr : "", result->tsi ? result->tsi : "");
  if (result->auth_code != NULL)
    g_print (_("  Auth code:    %s\n"), result->auth_code);
  if (result->signature_required)
    g_print (_("  Signature:    the member signs the receipt\n"));
}

static void
write_log (const char          *path,
           PdCardPaymentResult *result)
{
  g_autoptr(GError) error = NULL;

  if (path == NULL || result->log == NULL)
    return;
  if (!g_file_set_contents_full (path, result->log, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                 &error))
    g_printerr (_("Could not write the card log: %s\n"), error->message);
}

PdCtlExit
pd_ctl_pay_card (PdCtl      *ctl,
                 PdConfig   *config,
                 PdPaymentService *service,
                 PdAccount  *account,
                 PdInvoice  *invoice,
                 PdCents     amount,
                 const PdCtlCardOptions *options,
                 GError    **error)
{
  g_auto(PdCardPaymentResult) result = { 0 };
  g_autoptr(GString) choices = g_string_new (NULL);
  g_autoptr(PdCardPaymentContext) context = NULL;
  PdCardPaymentRequest request = {
    .patterns = pd_config_get_card_readers (config),
    .reader = options->reader,
    .wait_ms = (options->wait_seconds > 0 ? (guint) options->wait_seconds
                                          : pd_config_get_card_seconds (config)) * 1000,
    .account = account,
    .invoice = invoice,
    .amount = amount,
    .parties = options->parties,
  };
  gboolean done;

  context = pd_card_payment_context_new (config, service, error);
  if (context == NULL)
    return PD_CTL_EXIT_ERROR;

  if (options->application != NULL)
    pd_card_payment_context_set_chooser (context, choose_named_application,
                                         (gpointer) options->application, NULL);
  else
    pd_card_payment_context_set_chooser (context, refuse_to_guess, choices, NULL);

  if (!ctl->options.json)
    g_printerr (_("Insert or tap the card…\n"));

  done = pd_card_payment_run (context, &request, &result, NULL, error);
  write_log (options->log_path, &result);

  if (!done)
    {
      if (choices->len > 0 && error != NULL && g_error_matches (*error, PD_EMV_ERROR,
                                                                PD_EMV_ERROR_CANCELLED))
        {
          g_clear_error (error);
          g_set_error (error, PD_EMV_ERROR, PD_EMV_ERROR_CANCELLED,
                       _("The member must choose or confirm the card's application; ask "
                         "them and name it with --application:\n%s"), choices->str);
        }
      return PD_CTL_EXIT_ERROR;
    }

  print_card_result (ctl, &result);
  return g_str_equal (result.outcome, "approved") ? PD_CTL_EXIT_OK : PD_CTL_EXIT_DECLINED;
}
