#include <glib/gi18n-lib.h>

#include "pd-payment-service-private.h"

/* Check payments: converted to ACH (a personal check with a serial) or sent as images. */

const char *
pd_check_tender_choose_authorization (const PdCheckTender  *check,
                                      PdCents               amount,
                                      GError              **error)
{
  const char *why;

  g_return_val_if_fail (check != NULL, NULL);

  if (check->aux_on_us == NULL && check->serial != NULL && *check->serial != '\0' &&
      amount <= PD_CHECK_POP_LIMIT_CENTS)
    return "POP";
  if (check->has_images)
    return "CHECK21";

  why = check->images_missing_reason != NULL ? check->images_missing_reason
                                             : _("the scanner did not say why");

  if (check->aux_on_us != NULL)
    g_set_error (error, PD_PAYMENT_ERROR, PD_PAYMENT_ERROR_INVALID_TENDER_DETAILS,
                 _("This is a business check: it can only be sent as images, and the scanner "
                   "gave none (%s). Nothing was charged; ask for another way to pay."),
                 why);
  else if (amount > PD_CHECK_POP_LIMIT_CENTS)
    g_set_error (error, PD_PAYMENT_ERROR, PD_PAYMENT_ERROR_INVALID_TENDER_DETAILS,
                 _("A check over the conversion limit can only be sent as images, and the "
                   "scanner gave none (%s). Nothing was charged."),
                 why);
  else
    g_set_error (error, PD_PAYMENT_ERROR, PD_PAYMENT_ERROR_INVALID_TENDER_DETAILS,
                 _("The check has no serial number, so it can only be sent as images, and the "
                   "scanner gave none (%s). Nothing was charged."),
                 why);
  return NULL;
}

static JsonNode *
check_tender (const PdCheckTender *check,
              const char          *authorization)
{
  g_autoptr(JsonObject) tender = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (tender, "kind", "check");
  json_object_set_string_member (tender, "routing_number", check->routing_number);
  json_object_set_string_member (tender, "serial", check->serial);
  json_object_set_string_member (tender, "aux_on_us", check->aux_on_us);
  json_object_set_string_member (tender, "account_last4", check->account_last4);
  json_object_set_string_member (tender, "authorization", authorization);
  json_object_set_boolean_member (tender, "images_included", check->has_images);
  if (!check->has_images)
    json_object_set_string_member (tender, "images_missing_reason",
                                   check->images_missing_reason);
  json_object_set_string_member (tender, "sealed", check->sealed);

  json_node_set_object (node, tender);
  return node;
}

/* Returns the payment in the state it reached (completed, declined, queued or failed; the
 * reason says why), or NULL when nothing was recorded. */
PdPayment *
pd_payment_service_pay_check (PdPaymentService        *self,
                              PdAccount               *account,
                              PdInvoice               *invoice,
                              PdCents                  amount,
                              const PdCheckTender     *check,
                              const PdPaymentParties  *parties,
                              GCancellable            *cancellable,
                              GError                 **error)
{
  PdPaymentOrigin origin = pd_payment_service_origin_for (self, parties);
  g_autoptr(PdPayment) payment = NULL;
  g_autoptr(JsonNode) tender = NULL;
  const char *authorization;

  g_return_val_if_fail (PD_IS_PAYMENT_SERVICE (self), NULL);
  g_return_val_if_fail (check != NULL && check->sealed != NULL, NULL);

  if (!pd_payment_service_check_amount (self, amount, error))
    return NULL;

  if (!pd_routing_number_is_valid (check->routing_number))
    {
      g_set_error_literal (error, PD_PAYMENT_ERROR, PD_PAYMENT_ERROR_INVALID_TENDER_DETAILS,
                           _("The check's routing number is not a valid one. Nothing was "
                             "charged; ask for another way to pay."));
      return NULL;
    }

  authorization = pd_check_tender_choose_authorization (check, amount, error);
  if (authorization == NULL)
    return NULL;

  payment = pd_payment_new (&origin, account, invoice, amount, PD_TENDER_CHECK, NULL, error);
  if (payment == NULL ||
      !pd_payment_set_tender_display (payment, authorization, check->account_last4, error))
    return NULL;

  tender = check_tender (check, authorization);
  if (!pd_payment_service_journal_and_authorize (self, payment, tender,
                                                 g_str_equal (authorization, "POP")
                                                 ? PD_CHECK_CONVERSION_AUTHORIZATION_VERSION : NULL,
                                                 cancellable, error))
    return NULL;

  return g_steal_pointer (&payment);
}
