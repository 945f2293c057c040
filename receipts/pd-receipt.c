#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "pd-emv-tags.h"
#include "pd-hex.h"
#include "pd-receipt-private.h"
#include "pd-strings.h"
#include "pd-tlv.h"

G_DEFINE_QUARK (pd-receipt-error-quark, pd_receipt_error)

G_DEFINE_FINAL_TYPE (PdReceipt, pd_receipt, G_TYPE_OBJECT)

static void
pd_receipt_finalize (GObject *object)
{
  PdReceipt *self = PD_RECEIPT (object);

  g_free (self->center_name);
  g_strfreev (self->center_address);
  g_free (self->center_phone);
  g_free (self->center_hours);
  g_free (self->member_services_phone);
  g_free (self->terminal_id);
  g_free (self->operator_id);
  g_free (self->operator_name);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_free (self->payment_id);
  g_free (self->reference);
  g_free (self->member_name);
  g_free (self->account_last4);
  g_free (self->invoice_number);
  g_free (self->currency);
  g_free (self->brand);
  g_free (self->last4);
  g_free (self->entry_mode);
  g_free (self->aid);
  g_free (self->app_label);
  g_free (self->tvr);
  g_free (self->tsi);
  g_free (self->auth_code);
  g_free (self->routing_number);
  g_free (self->check_serial);
  g_free (self->check_authorization);
  g_free (self->account_type);
  g_free (self->holder_name);
  g_free (self->authorization_text);
  g_clear_object (&self->signature);
  g_free (self->confirmation);
  g_free (self->reason);
  g_clear_pointer (&self->status_at, g_date_time_unref);
  g_free (self->language);

  G_OBJECT_CLASS (pd_receipt_parent_class)->finalize (object);
}

static void
pd_receipt_class_init (PdReceiptClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pd_receipt_finalize;
}

static void
pd_receipt_init (PdReceipt *self)
{
}

static char *
dup_last4 (const char *number)
{
  gsize length = number != NULL ? strlen (number) : 0;

  return g_strdup (length > 4 ? number + length - 4 : number);
}

static char *
dup_string_member (JsonObject *object,
                   const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return g_strdup (json_node_get_string (node));
}

/* TVR and TSI from hex ICC data; left as they were when the data lacks them. */
static void
read_card_results (PdReceipt  *self,
                   const char *icc_data)
{
  g_autoptr(GBytes) bytes = icc_data != NULL ? pd_hex_decode_bytes (icc_data) : NULL;
  g_autoptr(GPtrArray) nodes = NULL;
  const PdTlv *tvr, *tsi;
  gsize length;
  const guint8 *data;

  if (bytes == NULL)
    return;
  data = g_bytes_get_data (bytes, &length);
  nodes = pd_tlv_parse (data, length, NULL);
  if (nodes == NULL)
    return;

  tvr = pd_tlv_find (nodes, PD_TAG_TVR);
  tsi = pd_tlv_find (nodes, PD_TAG_TSI);
  if (tvr != NULL)
    {
      g_free (self->tvr);
      data = g_bytes_get_data (tvr->value, &length);
      self->tvr = pd_hex_encode (data, length);
    }
  if (tsi != NULL)
    {
      g_free (self->tsi);
      data = g_bytes_get_data (tsi->value, &length);
      self->tsi = pd_hex_encode (data, length);
    }
}

/* The tender as the terminal sent it to the core: brand, last four, and the details the
 * receipt shows (the sealed part stays sealed). */
static gboolean
read_tender (PdReceipt   *self,
             const char  *body,
             GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *request, *tender;
  JsonNode *authorization;

  if (body == NULL || !json_parser_load_from_data (parser, body, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    goto damaged;
  request = json_node_get_object (json_parser_get_root (parser));
  if (!json_object_has_member (request, "tender") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (request, "tender")))
    goto damaged;
  tender = json_object_get_object_member (request, "tender");

  switch (self->tender)
    {
    case PD_TENDER_CARD:
      self->entry_mode = dup_string_member (tender, "entry_mode");
      self->aid = dup_string_member (tender, "aid");
      self->app_label = dup_string_member (tender, "app_label");
      {
        g_autofree char *icc_data = dup_string_member (tender, "icc_data");

        read_card_results (self, icc_data);
      }
      break;
    case PD_TENDER_CHECK:
      self->routing_number = dup_string_member (tender, "routing_number");
      self->check_serial = dup_string_member (tender, "serial");
      self->check_authorization = dup_string_member (tender, "authorization");
      break;
    case PD_TENDER_BANK:
      self->routing_number = dup_string_member (tender, "routing_number");
      self->account_type = dup_string_member (tender, "account_type");
      self->holder_name = dup_string_member (tender, "holder_name");
      authorization = json_object_get_member (tender, "authorization");
      if (self->authorization_text == NULL && authorization != NULL &&
          JSON_NODE_HOLDS_OBJECT (authorization))
        self->authorization_text = dup_string_member (json_node_get_object (authorization),
                                                      "text_version");
      break;
    default:
      goto damaged;
    }

  return TRUE;

damaged:
  g_set_error (error, PD_RECEIPT_ERROR, PD_RECEIPT_ERROR_DAMAGED,
               _("The journal's record of payment %s cannot be read back; the receipt "
                 "cannot be made. Keep the journal for support."), self->payment_id);
  return FALSE;
}

static PdReceiptStatus
status_for (PdPayment *payment)
{
  gboolean card = pd_payment_get_tender (payment) == PD_TENDER_CARD;

  switch (pd_payment_get_state (payment))
    {
    case PD_PAYMENT_STATE_APPROVED:
      if (g_strcmp0 (pd_payment_get_reason (payment), "pending") == 0)
        return PD_RECEIPT_STATUS_PENDING;
      return card ? PD_RECEIPT_STATUS_APPROVED : PD_RECEIPT_STATUS_ACCEPTED;
    case PD_PAYMENT_STATE_COMPLETED:
      return card ? PD_RECEIPT_STATUS_APPROVED : PD_RECEIPT_STATUS_ACCEPTED;
    case PD_PAYMENT_STATE_DECLINED:
      return PD_RECEIPT_STATUS_DECLINED;
    case PD_PAYMENT_STATE_VOIDED:
      return PD_RECEIPT_STATUS_VOIDED;
    case PD_PAYMENT_STATE_REFUNDED:
      return PD_RECEIPT_STATUS_REFUNDED;
    case PD_PAYMENT_STATE_FAILED:
    case PD_PAYMENT_STATE_REVERSED:
      return PD_RECEIPT_STATUS_NOT_CHARGED;
    case PD_PAYMENT_STATE_CREATED:
    case PD_PAYMENT_STATE_AUTHORIZING:
    case PD_PAYMENT_STATE_QUEUED:
    default:
      return PD_RECEIPT_STATUS_PENDING;
    }
}

static GDateTime *
parse_local_time (const char *iso8601)
{
  g_autoptr(GDateTime) utc = iso8601 != NULL ? g_date_time_new_from_iso8601 (iso8601, NULL)
                                             : NULL;

  return utc != NULL ? g_date_time_to_local (utc) : NULL;
}

static gboolean
read_facts (PdReceipt   *self,
            PdJournal   *journal,
            GError     **error)
{
  struct {
    PdPaymentFact fact;
    char **field;
  } facts[] = {
    { PD_PAYMENT_FACT_MEMBER_NAME, &self->member_name },
    { PD_PAYMENT_FACT_AUTH_CODE, &self->auth_code },
    { PD_PAYMENT_FACT_AUTHORIZATION_TEXT, &self->authorization_text },
  };
  g_autofree char *language = NULL;
  GError *local_error = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (facts); i++)
    {
      *facts[i].field = pd_journal_get_fact (journal, self->payment_id, facts[i].fact,
                                             &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return FALSE;
        }
    }

  language = pd_journal_get_fact (journal, self->payment_id, PD_PAYMENT_FACT_LANGUAGE, error);
  if (language != NULL)
    pd_replace_string (&self->language, language);
  return TRUE;
}

static gboolean
read_events (PdReceipt   *self,
             PdJournal   *journal,
             GError     **error)
{
  g_autoptr(GPtrArray) events = pd_journal_list_events (journal, self->payment_id, error);
  PdJournalEvent *last;

  if (events == NULL)
    return FALSE;
  if (events->len == 0)
    return TRUE;

  last = g_ptr_array_index (events, events->len - 1);
  self->status_at = parse_local_time (last->recorded_at);
  return TRUE;
}

PdReceipt *
pd_receipt_new_from_journal (PdJournal   *journal,
                             PdConfig    *config,
                             const char  *payment_id,
                             GError     **error)
{
  g_autoptr(PdReceipt) self = NULL;
  g_autoptr(PdPayment) payment = NULL;
  g_autoptr(PdJournalRequest) first = NULL;
  g_autoptr(PdJournalRequest) completion = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (PD_IS_JOURNAL (journal), NULL);
  g_return_val_if_fail (PD_IS_CONFIG (config), NULL);
  g_return_val_if_fail (payment_id != NULL, NULL);

  payment = pd_journal_get_payment (journal, payment_id, &local_error);
  if (payment == NULL)
    {
      if (g_error_matches (local_error, PD_JOURNAL_ERROR, PD_JOURNAL_ERROR_NOT_FOUND))
        g_set_error (error, PD_RECEIPT_ERROR, PD_RECEIPT_ERROR_NOT_FOUND,
                     _("There is no payment %s in this terminal's journal."), payment_id);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  self = g_object_new (PD_TYPE_RECEIPT, NULL);
  /* As the payment was taken, whatever this terminal is now. */
  self->training = pd_payment_get_training (payment);
  self->mode = pd_config_get_mode (config);
  self->center_name = g_strdup (pd_config_get_center_name (config));
  self->center_address = g_strdupv ((GStrv) pd_config_get_center_address (config));
  self->center_phone = g_strdup (pd_config_get_center_phone (config));
  self->center_hours = g_strdup (pd_config_get_center_hours (config));
  self->member_services_phone = g_strdup (pd_config_get_member_services_phone (config));
  self->language = g_strdup (pd_config_get_default_language (config));

  /* Named by its id or its reference: the journal's queries take the id. */
  self->payment_id = g_strdup (pd_payment_get_id (payment));
  self->reference = g_strdup (pd_payment_get_client_ref (payment));
  self->terminal_id = g_strdup (pd_payment_get_terminal_id (payment));
  self->operator_id = g_strdup (pd_payment_get_operator_id (payment));
  if (self->operator_id != NULL)
    {
      g_autoptr(PdAssociate) associate = pd_journal_find_associate (journal, self->operator_id,
                                                                    NULL, NULL);

      if (associate != NULL)
        self->operator_name = g_strdup_printf ("%s (%s)", associate->display_name,
                                               associate->id);
    }
  self->created_at = g_date_time_to_local (pd_payment_get_created_at (payment));
  self->account_last4 = dup_last4 (pd_payment_get_account_number (payment));
  self->line_of_business = pd_payment_get_line_of_business (payment);
  self->invoice_number = g_strdup (pd_payment_get_invoice_number (payment));
  self->amount = pd_payment_get_amount (payment);
  self->currency = g_strdup (pd_payment_get_currency (payment));
  self->tender = pd_payment_get_tender (payment);
  self->brand = g_strdup (pd_payment_get_tender_brand (payment));
  self->last4 = g_strdup (pd_payment_get_tender_last4 (payment));
  self->status = status_for (payment);
  self->confirmation = g_strdup (pd_payment_get_confirmation (payment));
  if (self->status == PD_RECEIPT_STATUS_DECLINED)
    self->reason = g_strdup (pd_payment_get_reason (payment));

  if (!read_facts (self, journal, error) || !read_events (self, journal, error))
    return NULL;

  first = pd_journal_get_first_request (journal, self->payment_id, &local_error);
  if (first == NULL)
    {
      if (!g_error_matches (local_error, PD_JOURNAL_ERROR, PD_JOURNAL_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      g_set_error (error, PD_RECEIPT_ERROR, PD_RECEIPT_ERROR_NO_RECEIPT,
                   _("Payment %s was never sent to the payment core; there is nothing to "
                     "confirm."), payment_id);
      return NULL;
    }
  if (!read_tender (self, first->body, error))
    return NULL;

  /* NACHA: the member signs the debit authorization of a bank payment or a converted check
   * (POP); a check sent as images (Check 21) has neither. */
  if (self->tender == PD_TENDER_BANK ||
      (self->tender == PD_TENDER_CHECK && g_strcmp0 (self->check_authorization, "POP") == 0))
    {
      self->signature = pd_journal_get_signature (journal, self->payment_id, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }

  /* The card's final word on the transaction is in the completion, when there is one. */
  if (self->tender == PD_TENDER_CARD)
    {
      completion = pd_journal_find_request (journal, self->payment_id, "%/completion",
                                            error);
      if (completion != NULL)
        {
          g_autoptr(JsonParser) parser = json_parser_new ();

          if (completion->body != NULL &&
              json_parser_load_from_data (parser, completion->body, -1, NULL) &&
              JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
            {
              g_autofree char *icc_data = dup_string_member (
                json_node_get_object (json_parser_get_root (parser)), "icc_data");

              read_card_results (self, icc_data);
            }
        }
    }

  return g_steal_pointer (&self);
}

const char *
pd_receipt_get_reference (PdReceipt *self)
{
  g_return_val_if_fail (PD_IS_RECEIPT (self), NULL);

  return self->reference;
}

const char *
pd_receipt_get_payment_id (PdReceipt *self)
{
  g_return_val_if_fail (PD_IS_RECEIPT (self), NULL);

  return self->payment_id;
}

PdReceiptStatus
pd_receipt_get_status (PdReceipt *self)
{
  g_return_val_if_fail (PD_IS_RECEIPT (self), PD_RECEIPT_STATUS_PENDING);

  return self->status;
}

const char *
pd_receipt_get_confirmation (PdReceipt *self)
{
  g_return_val_if_fail (PD_IS_RECEIPT (self), NULL);

  return self->confirmation;
}

const char *
pd_receipt_get_language (PdReceipt *self)
{
  g_return_val_if_fail (PD_IS_RECEIPT (self), NULL);

  return self->language;
}

guint
pd_receipt_get_copy_number (PdReceipt *self)
{
  g_return_val_if_fail (PD_IS_RECEIPT (self), 0);

  return self->copy_number;
}

void
pd_receipt_set_copy_number (PdReceipt *self,
                            guint      copy_number)
{
  g_return_if_fail (PD_IS_RECEIPT (self));

  self->copy_number = copy_number;
}

const char *
pd_receipt_status_to_id (PdReceiptStatus status)
{
  static const char * const ids[] = {
    "approved", "accepted", "pending", "declined", "not-charged", "voided", "refunded",
  };

  g_return_val_if_fail (status < G_N_ELEMENTS (ids), NULL);

  return ids[status];
}
