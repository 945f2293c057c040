#include "pd-payment-service-private.h"

/* Bank account (ACH) payments, on the caller's thread or on a worker for the GUI. */

static JsonNode *
bank_tender (PdBankAccount  *bank_account,
             const char     *sealed)
{
  g_autoptr(JsonObject) tender = json_object_new ();
  JsonObject *authorization = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (tender, "kind", "bank");
  json_object_set_string_member (tender, "routing_number",
                                 pd_bank_account_get_routing_number (bank_account));
  json_object_set_string_member (tender, "account_type",
                                 pd_bank_account_type_to_id (
                                   pd_bank_account_get_account_type (bank_account)));
  json_object_set_string_member (tender, "account_last4", pd_bank_account_get_last4 (bank_account));
  json_object_set_string_member (tender, "holder_name",
                                 pd_bank_account_get_holder_name (bank_account));
  json_object_set_string_member (authorization, "text_version", PD_BANK_AUTHORIZATION_VERSION);
  json_object_set_object_member (tender, "authorization", authorization);
  json_object_set_string_member (tender, "sealed", sealed);

  json_node_set_object (node, tender);
  return node;
}

/* Returns the payment in the state it reached (completed, declined, queued or failed; the
 * reason says why), or NULL when nothing was recorded. */
PdPayment *
pd_payment_service_pay_bank (PdPaymentService        *self,
                             PdAccount               *account,
                             PdInvoice               *invoice,
                             PdCents                  amount,
                             PdBankAccount           *bank_account,
                             const PdPaymentParties  *parties,
                             GCancellable            *cancellable,
                             GError                 **error)
{
  PdPaymentOrigin origin = pd_payment_service_origin_for (self, parties);
  g_autoptr(PdPayment) payment = NULL;
  g_autofree char *sealed = NULL;
  g_autoptr(JsonNode) tender = NULL;

  g_return_val_if_fail (PD_IS_PAYMENT_SERVICE (self), NULL);
  g_return_val_if_fail (bank_account != NULL, NULL);

  if (!pd_payment_service_check_amount (self, amount, error))
    return NULL;

  payment = pd_payment_new (&origin, account, invoice, amount, PD_TENDER_BANK, NULL, error);
  if (payment == NULL ||
      !pd_payment_set_tender_display (payment,
                                      pd_bank_account_type_to_id (
                                        pd_bank_account_get_account_type (bank_account)),
                                      pd_bank_account_get_last4 (bank_account), error))
    return NULL;

  sealed = pd_bank_account_seal (bank_account, pd_config_get_core_public_key (self->config),
                                 error);
  if (sealed == NULL)
    return NULL;

  tender = bank_tender (bank_account, sealed);
  if (!pd_payment_service_journal_and_authorize (self, payment, tender, PD_BANK_AUTHORIZATION_VERSION,
                                                 cancellable, error))
    return NULL;

  return g_steal_pointer (&payment);
}

/* The GUI's way in: the same payment on a worker thread, so that the screen never waits for
 * the journal or the core. */

typedef struct {
  PdAccount *account;
  PdInvoice *invoice;
  PdCents amount;
  PdBankAccount *bank_account;
  char *operator_id;
  char *language;
} PayBankData;

static void
pay_bank_data_free (gpointer data)
{
  PayBankData *pay = data;

  g_clear_object (&pay->account);
  g_clear_object (&pay->invoice);
  g_clear_pointer (&pay->bank_account, pd_bank_account_free);
  g_free (pay->operator_id);
  g_free (pay->language);
  g_free (pay);
}

static void
pay_bank_in_thread (GTask        *task,
                    gpointer      source,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  PayBankData *pay = task_data;
  PdPaymentParties parties = { pay->operator_id, pay->language };
  GError *error = NULL;
  PdPayment *payment = pd_payment_service_pay_bank (source, pay->account, pay->invoice,
                                                    pay->amount, pay->bank_account, &parties,
                                                    cancellable, &error);

  if (payment != NULL)
    g_task_return_pointer (task, payment, g_object_unref);
  else
    g_task_return_error (task, error);
}

/* Takes bank_account: it is wiped when the payment is done. */
void
pd_payment_service_pay_bank_async (PdPaymentService       *self,
                                   PdAccount              *account,
                                   PdInvoice              *invoice,
                                   PdCents                 amount,
                                   PdBankAccount          *bank_account,
                                   const PdPaymentParties *parties,
                                   GCancellable           *cancellable,
                                   GAsyncReadyCallback     callback,
                                   gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  PayBankData *pay;

  g_return_if_fail (PD_IS_PAYMENT_SERVICE (self));
  g_return_if_fail (PD_IS_ACCOUNT (account));
  g_return_if_fail (bank_account != NULL);

  pay = g_new0 (PayBankData, 1);
  pay->account = g_object_ref (account);
  pay->invoice = invoice != NULL ? g_object_ref (invoice) : NULL;
  pay->amount = amount;
  pay->bank_account = bank_account;
  pay->operator_id = g_strdup (parties != NULL ? parties->operator_id : NULL);
  pay->language = g_strdup (parties != NULL ? parties->language : NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pd_payment_service_pay_bank_async);
  g_task_set_task_data (task, pay, pay_bank_data_free);
  g_task_run_in_thread (task, pay_bank_in_thread);
}

PdPayment *
pd_payment_service_pay_bank_finish (PdPaymentService  *self,
                                    GAsyncResult      *result,
                                    GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
