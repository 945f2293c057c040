#include <glib/gi18n-lib.h>

#include "pd-business-date.h"
#include "pd-core-json.h"
#include "pd-json.h"

char *
pd_core_json_lookup_request (const PdIdentification *identification)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *dob = NULL;

  json_builder_begin_object (builder);
  switch (identification->kind)
    {
    case PD_IDENTIFICATION_MEMBER:
      dob = pd_business_date_to_string (&identification->date_of_birth);
      if (identification->member_id != NULL)
        pd_json_add_string (builder, "member_id", identification->member_id);
      pd_json_add_string (builder, "zip", identification->zip);
      pd_json_add_string (builder, "dob", dob);
      pd_json_add_string (builder, "first_name", identification->first_name);
      pd_json_add_string (builder, "last_name", identification->last_name);
      break;
    case PD_IDENTIFICATION_INVOICE:
      pd_json_add_string (builder, "invoice_account", identification->invoice_account);
      pd_json_add_string (builder, "invoice_number", identification->invoice_number);
      break;
    case PD_IDENTIFICATION_ACCOUNT_ZIP:
      pd_json_add_string (builder, "invoice_account", identification->invoice_account);
      pd_json_add_string (builder, "zip", identification->zip);
      break;
    default:
      g_assert_not_reached ();
    }
  json_builder_end_object (builder);

  return pd_json_builder_to_string (builder);
}

static void
set_bad_answer (GError     **error,
                const char  *what)
{
  g_set_error (error, PD_CORE_ERROR, PD_CORE_ERROR_NO_ANSWER,
               _("The payment core's answer makes no sense: %s."), what);
}

static gboolean
parse_date (JsonObject *object,
            const char *name,
            GDate      *date)
{
  const char *text = pd_json_get_string (object, name);

  g_date_clear (date, 1);
  return text == NULL || pd_business_date_parse (text, date);
}

PdAccount *
pd_core_json_parse_account (JsonObject  *object,
                            GError     **error)
{
  const char *number = pd_json_get_string (object, "account_number");
  const char *line_id = pd_json_get_string (object, "line_of_business");
  JsonArray *invoices = pd_json_get_array (object, "invoices");
  g_autoptr(PdAccount) account = NULL;
  PdLineOfBusiness line;
  GDate due;

  if (object == NULL || number == NULL || !pd_line_of_business_from_id (line_id, &line) ||
      !parse_date (object, "due_date", &due) ||
      (json_object_has_member (object, "invoices") && invoices == NULL))
    {
      set_bad_answer (error, "an account without number, line of business or valid due date");
      return NULL;
    }

  account = pd_account_new (number, line,
                            pd_json_get_string (object, "holder_name"),
                            pd_json_get_int (object, "balance_cents", 0),
                            pd_json_get_int (object, "minimum_due_cents", 0),
                            g_date_valid (&due) ? &due : NULL);

  for (guint i = 0; invoices != NULL && i < json_array_get_length (invoices); i++)
    {
      JsonObject *invoice = pd_json_array_get_object (invoices, i);
      const char *invoice_number = pd_json_get_string (invoice, "invoice_number");
      g_autoptr(PdInvoice) parsed = NULL;
      PdInvoiceKind kind;
      gint64 amount = pd_json_get_int (invoice, "amount_due_cents", -1);

      if (invoice == NULL || invoice_number == NULL || amount < 0 ||
          !pd_invoice_kind_from_id (pd_json_get_string (invoice, "kind"), &kind) ||
          !parse_date (invoice, "due_date", &due) ||
          pd_account_find_invoice (account, invoice_number) != NULL)
        {
          set_bad_answer (error, "an invoice without number, kind, amount or valid due date");
          return NULL;
        }

      parsed = pd_invoice_new (invoice_number, kind, amount, g_date_valid (&due) ? &due : NULL);
      pd_account_add_invoice (account, parsed);
    }

  return g_steal_pointer (&account);
}

PdMemberLookup *
pd_core_json_parse_lookup (JsonNode  *answer,
                           GError   **error)
{
  g_autoptr(PdMemberLookup) lookup = g_new0 (PdMemberLookup, 1);
  JsonObject *object = pd_json_node_get_object (answer);
  const char *result = pd_json_get_string (object, "result");
  JsonObject *member;
  JsonArray *accounts;

  lookup->accounts = g_ptr_array_new_with_free_func (g_object_unref);

  if (g_strcmp0 (result, "not_found") == 0)
    lookup->outcome = PD_LOOKUP_NOT_FOUND;
  else if (g_strcmp0 (result, "ambiguous") == 0)
    lookup->outcome = PD_LOOKUP_AMBIGUOUS;
  else if (g_strcmp0 (result, "found") == 0)
    lookup->outcome = PD_LOOKUP_FOUND;
  else
    {
      set_bad_answer (error, "no lookup result");
      return NULL;
    }

  if (lookup->outcome != PD_LOOKUP_FOUND)
    return g_steal_pointer (&lookup);

  member = pd_json_get_object (object, "member");
  accounts = pd_json_get_array (object, "accounts");
  if (member == NULL || accounts == NULL)
    {
      set_bad_answer (error, "a member found without member or accounts");
      return NULL;
    }

  lookup->member_id = g_strdup (pd_json_get_string (member, "member_id"));
  lookup->first_name = g_strdup (pd_json_get_string (member, "first_name"));
  lookup->last_name = g_strdup (pd_json_get_string (member, "last_name"));
  lookup->email = g_strdup (pd_json_get_string (member, "email"));

  for (guint i = 0; i < json_array_get_length (accounts); i++)
    {
      PdAccount *account = pd_core_json_parse_account (pd_json_array_get_object (accounts, i),
                                                       error);

      if (account == NULL)
        return NULL;
      g_ptr_array_add (lookup->accounts, account);
    }

  return g_steal_pointer (&lookup);
}

static const char * const status_ids[] = {
  [PD_CORE_STATUS_APPROVED] = "approved",
  [PD_CORE_STATUS_ACCEPTED] = "accepted",
  [PD_CORE_STATUS_DECLINED] = "declined",
  [PD_CORE_STATUS_PENDING] = "pending",
  [PD_CORE_STATUS_VOIDED] = "voided",
  [PD_CORE_STATUS_REFUNDED] = "refunded",
  [PD_CORE_STATUS_REVERSED] = "reversed",
};

const char *
pd_core_status_to_id (PdCoreStatus status)
{
  g_return_val_if_fail (status < G_N_ELEMENTS (status_ids), NULL);
  return status_ids[status];
}

static char *
dup_member (JsonObject *object,
            const char *name)
{
  return g_strdup (pd_json_get_string (object, name));
}

PdCoreAnswer *
pd_core_json_parse_answer (JsonObject  *object,
                           GError     **error)
{
  g_autoptr(PdCoreAnswer) answer = g_new0 (PdCoreAnswer, 1);
  g_autofree char *status = dup_member (object, "status");
  gboolean known = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (status_ids); i++)
    if (g_strcmp0 (status, status_ids[i]) == 0)
      {
        answer->status = (PdCoreStatus) i;
        known = TRUE;
      }

  answer->payment_id = dup_member (object, "payment_id");
  answer->client_ref = dup_member (object, "client_ref");
  answer->confirmation_number = dup_member (object, "confirmation_number");
  answer->auth_code = dup_member (object, "auth_code");
  answer->decline_reason = dup_member (object, "decline_reason");
  answer->issuer_authentication_data = dup_member (object, "issuer_authentication_data");
  answer->issuer_scripts = dup_member (object, "issuer_scripts");
  answer->amount_cents = pd_json_get_int (object, "amount_cents", -1);

  /* A reversal of a payment the core never saw has no payment id; only what moved money
   * has a confirmation number. */
  if (!known ||
      (answer->payment_id == NULL && answer->status != PD_CORE_STATUS_REVERSED) ||
      ((answer->status == PD_CORE_STATUS_APPROVED || answer->status == PD_CORE_STATUS_ACCEPTED ||
        answer->status == PD_CORE_STATUS_PENDING) && answer->confirmation_number == NULL))
    {
      set_bad_answer (error, "a payment without a known status, id or confirmation number");
      return NULL;
    }

  return g_steal_pointer (&answer);
}

void
pd_core_answer_free (PdCoreAnswer *answer)
{
  if (answer == NULL)
    return;

  g_free (answer->payment_id);
  g_free (answer->client_ref);
  g_free (answer->confirmation_number);
  g_free (answer->auth_code);
  g_free (answer->decline_reason);
  g_free (answer->issuer_authentication_data);
  g_free (answer->issuer_scripts);
  g_free (answer);
}

void
pd_member_lookup_free (PdMemberLookup *lookup)
{
  if (lookup == NULL)
    return;

  g_free (lookup->member_id);
  g_free (lookup->first_name);
  g_free (lookup->last_name);
  g_free (lookup->email);
  g_clear_pointer (&lookup->accounts, g_ptr_array_unref);
  g_free (lookup);
}

/* The body of POST /v1/payments: built once, journaled, then sent as is on every try. */
char *
pd_core_json_payment_request (PdPayment *payment,
                              JsonNode  *tender)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *business_date =
    pd_business_date_to_string (pd_payment_get_business_date (payment));

  json_builder_begin_object (builder);
  pd_json_add_string (builder, "client_ref", pd_payment_get_client_ref (payment));
  pd_json_add_string (builder, "center_id", pd_payment_get_center_id (payment));
  pd_json_add_string (builder, "terminal_id", pd_payment_get_terminal_id (payment));
  pd_json_add_string (builder, "operator_id", pd_payment_get_operator_id (payment));
  pd_json_add_string (builder, "business_date", business_date);
  pd_json_add_string (builder, "account_number", pd_payment_get_account_number (payment));
  pd_json_add_string (builder, "line_of_business",
              pd_line_of_business_to_id (pd_payment_get_line_of_business (payment)));
  pd_json_add_string (builder, "invoice_number", pd_payment_get_invoice_number (payment));
  json_builder_set_member_name (builder, "amount_cents");
  json_builder_add_int_value (builder, pd_payment_get_amount (payment));
  pd_json_add_string (builder, "currency", pd_payment_get_currency (payment));
  json_builder_set_member_name (builder, "tender");
  json_builder_add_value (builder, json_node_copy (tender));
  json_builder_end_object (builder);

  return pd_json_builder_to_string (builder);
}
