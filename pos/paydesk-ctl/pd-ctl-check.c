#include <glib/gi18n.h>

#include "pd-check-image.h"
#include "pd-ctl.h"
#include "pd-peripherals.h"
#include "pd-sealed-check.h"

static void
add_check_json (JsonBuilder          *builder,
                const PdCheckCapture *capture)
{
  const PdMicrLine *micr = capture->micr;
  g_autofree char *masked = pd_micr_line_dup_masked_account (micr);
  char epc[2] = { pd_micr_line_get_epc (micr), '\0' };

  json_builder_set_member_name (builder, "check");
  json_builder_begin_object (builder);
  pd_json_add_string (builder, "routing_number", pd_micr_line_get_routing_number (micr));
  pd_json_add_string (builder, "account", masked);
  pd_json_add_string (builder, "serial", pd_micr_line_get_serial (micr));
  pd_json_add_string (builder, "aux_on_us", pd_micr_line_get_aux_on_us (micr));
  pd_json_add_string (builder, "epc", epc[0] != '\0' ? epc : NULL);
  json_builder_set_member_name (builder, "amount_field_cents");
  json_builder_add_int_value (builder, pd_micr_line_get_amount_cents (micr));
  json_builder_set_member_name (builder, "business");
  json_builder_add_boolean_value (builder, (capture->flags & PD_CHECK_CAPTURE_BUSINESS) != 0);
  json_builder_set_member_name (builder, "usable");
  json_builder_add_boolean_value (builder, pd_check_capture_is_usable (capture));
  json_builder_set_member_name (builder, "problems");
  json_builder_begin_array (builder);
  for (guint i = 0; i < capture->problems->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (capture->problems, i));
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "front_tiff_bytes");
  json_builder_add_int_value (builder, capture->front_tiff != NULL
                                       ? (gint64) g_bytes_get_size (capture->front_tiff) : 0);
  json_builder_set_member_name (builder, "back_tiff_bytes");
  json_builder_add_int_value (builder, capture->back_tiff != NULL
                                       ? (gint64) g_bytes_get_size (capture->back_tiff) : 0);
  pd_json_add_string (builder, "images_missing_reason", capture->images_missing_reason);
  json_builder_end_object (builder);
}

static void
print_check (const PdCheckCapture *capture)
{
  const PdMicrLine *micr = capture->micr;
  g_autofree char *masked = pd_micr_line_dup_masked_account (micr);
  const char *serial = pd_micr_line_get_serial (micr);
  const char *aux_on_us = pd_micr_line_get_aux_on_us (micr);
  gint64 amount_field = pd_micr_line_get_amount_cents (micr);

  g_print (_("Check read:\n"));
  g_print (_("  Routing:      %s\n"), pd_micr_line_get_routing_number (micr));
  g_print (_("  Account:      %s\n"), masked);
  g_print (_("  Serial:       %s\n"), serial != NULL && *serial != '\0' ? serial : _("none"));
  if (aux_on_us != NULL && *aux_on_us != '\0')
    g_print (_("  Aux. on-us:   %s (a business check)\n"), aux_on_us);
  if (amount_field > 0)
    {
      g_autofree char *amount = pd_money_format (amount_field, NULL);

      g_print (_("  Amount field: %s\n"), amount);
    }
  if (capture->front_tiff != NULL && capture->back_tiff != NULL)
    g_print (_("  Images:       front %lu bytes, back %lu bytes (TIFF, CCITT G4, %u dpi)\n"),
             (gulong) g_bytes_get_size (capture->front_tiff),
             (gulong) g_bytes_get_size (capture->back_tiff), PD_CHECK_IMAGE_DPI);
  else
    g_print (_("  Images:       none (%s)\n"), capture->images_missing_reason);
  for (guint i = 0; i < capture->problems->len; i++)
    g_print (_("  Problem:      %s\n"), (const char *) g_ptr_array_index (capture->problems, i));
}

/* Feeds the check, shows what was read, and pays with it: the member keeps the check. */
PdCtlExit
pd_ctl_pay_check (PdCtl                   *ctl,
                  PdConfig                *config,
                  PdPaymentService        *service,
                  PdAccount               *account,
                  PdInvoice               *invoice,
                  PdCents                  amount,
                  const PdPaymentParties  *parties,
                  int                      wait_seconds,
                  PdSignature             *signature,
                  GError                 **error)
{
  g_autoptr(PdPeripherals) peripherals = NULL;
  g_autoptr(PdCheckScanner) scanner = NULL;
  g_autoptr(PdCheckCapture) capture = NULL;
  g_autoptr(PdSealedCheck) sealed = NULL;
  g_autoptr(PdPayment) payment = NULL;
  g_autoptr(GError) refusal = NULL;
  g_autoptr(GError) signature_error = NULL;
  guint wait_ms = (guint) (wait_seconds > 0 ? wait_seconds
                                            : (int) pd_config_get_card_seconds (config)) * 1000;

  if (!(peripherals = pd_ctl_start_peripherals (config, error)) ||
      !(scanner = pd_peripherals_dup_check_scanner (peripherals, error)))
    return PD_CTL_EXIT_ERROR;

  if (!ctl->options.json)
    g_printerr (_("Insert the check…\n"));

  /* A command line may block: no main loop waits on this thread. */
  if (!pd_check_scanner_wait_for_check (scanner, wait_ms, NULL, error) ||
      !(capture = pd_check_scanner_capture (scanner, NULL, error)))
    return PD_CTL_EXIT_ERROR;

  sealed = pd_sealed_check_new (capture, pd_config_get_core_public_key (config), &refusal);
  if (sealed != NULL)
    payment = pd_payment_service_pay_check (service, account, invoice, amount,
                                            pd_sealed_check_get_tender (sealed), parties,
                                            NULL, &refusal);
  if (payment == NULL && !g_error_matches (refusal, PD_PAYMENT_ERROR,
                                           PD_PAYMENT_ERROR_INVALID_TENDER_DETAILS))
    {
      /* The journal or the configuration failed: not an answer about this check. */
      g_propagate_error (error, g_steal_pointer (&refusal));
      return PD_CTL_EXIT_ERROR;
    }

  /* Signed for this check: recorded as soon as the payment is. */
  if (payment != NULL)
    pd_ctl_record_signature (service, payment, signature, &signature_error);

  if (ctl->options.json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      pd_json_add_string (builder, "outcome", payment != NULL ? "taken" : "refused");
      pd_json_add_string (builder, "message", refusal != NULL ? refusal->message : NULL);
      add_check_json (builder, capture);
      if (payment != NULL)
        {
          json_builder_set_member_name (builder, "payment");
          pd_ctl_add_payment_json (builder, payment);
        }
      json_builder_end_object (builder);
      pd_ctl_print_json (builder);
    }
  else
    {
      print_check (capture);
      if (payment != NULL)
        pd_ctl_print_payment (ctl, payment);
      else
        g_print ("%s\n", refusal->message);
    }

  if (signature_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&signature_error));
      return PD_CTL_EXIT_ERROR;
    }
  return payment != NULL ? pd_ctl_exit_for_payment (payment) : PD_CTL_EXIT_DECLINED;
}
