#include <string.h>
#include <sys/socket.h>

#include <sodium.h>

#include "pd-bank-account.h"
#include "pd-hex.h"
#include "pd-json.h"
#include "pd-line-of-business.h"
#include "pd-loopback-address.h"
#include "pd-sim-card-check.h"
#include "pd-sim-faults.h"
#include "pd-sim-icc.h"
#include "pd-sim-sealing.h"
#include "pd-sim-server.h"

struct _PdSimServer {
  GObject parent_instance;

  SoupServer *server;
  PdSimLedger *ledger;
  PdSimSealing *sealing;
  char *token;
  PdSimFaults faults;
  /* Requests told to time out: held, never answered, released with the server. */
  GPtrArray *held;
  /* Every /v1/ request received, for tests that count retries. */
  guint requests_seen;
  guint8 issuer_master_key[16];
  /* When set, every /v1/ request must come with a certificate this CA issued. */
  GTlsCertificate *client_ca;
};

G_DEFINE_FINAL_TYPE (PdSimServer, pd_sim_server, G_TYPE_OBJECT)

static void
pd_sim_server_finalize (GObject *object)
{
  PdSimServer *self = PD_SIM_SERVER (object);

  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_clear_object (&self->ledger);
  g_clear_pointer (&self->sealing, pd_sim_sealing_free);
  g_clear_pointer (&self->held, g_ptr_array_unref);
  g_clear_object (&self->client_ca);
  g_free (self->token);
  pd_sim_faults_clear (&self->faults);

  G_OBJECT_CLASS (pd_sim_server_parent_class)->finalize (object);
}

static void
pd_sim_server_class_init (PdSimServerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pd_sim_server_finalize;
}

static void
pd_sim_server_init (PdSimServer *self)
{
  pd_sim_faults_init (&self->faults);
  self->held = g_ptr_array_new_with_free_func (g_object_unref);
}

/* Answers */

static char *
object_to_text (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  return pd_json_node_to_string (node, FALSE);
}

static void
respond_text (SoupServerMessage *msg,
              guint              status,
              const char        *text)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, text,
                                    strlen (text));
}

static void
respond_object (SoupServerMessage *msg,
                guint              status,
                JsonObject        *object)
{
  g_autofree char *text = object_to_text (object);

  respond_text (msg, status, text);
}

static void
respond_error (SoupServerMessage *msg,
               guint              status,
               const char        *code,
               const char        *message,
               const char        *field)
{
  g_autoptr(JsonObject) answer = json_object_new ();
  JsonObject *error = json_object_new ();

  json_object_set_string_member (error, "code", code);
  json_object_set_string_member (error, "message", message);
  if (field != NULL)
    json_object_set_string_member (error, "field", field);
  json_object_set_object_member (answer, "error", error);
  respond_object (msg, status, answer);
}

static JsonObject *
request_object (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (body->length == 0 ||
      !json_parser_load_from_data (parser, body->data, (gssize) body->length, NULL))
    return NULL;

  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  return json_object_ref (json_node_get_object (root));
}

static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* Faults */

static gboolean
resume_slow_answer (gpointer data)
{
  soup_server_message_unpause (data);
  return G_SOURCE_REMOVE;
}

static void
reset_connection (SoupServerMessage *msg)
{
  GSocket *socket = soup_server_message_get_socket (msg);
  struct linger abortive = { 1, 0 };
  g_autoptr(GIOStream) stream = NULL;

  /* Linger 0: closing sends a TCP reset, as a crashed core or a broken link would. The
   * socket is taken from libsoup first, so that nothing else closes it again. */
  if (socket != NULL)
    setsockopt (g_socket_get_fd (socket), SOL_SOCKET, SO_LINGER, &abortive, sizeof abortive);
  stream = soup_server_message_steal_connection (msg);
  if (stream != NULL)
    g_io_stream_close (stream, NULL, NULL);
}

/* Replaces the answer already set on msg (if any) by the fault. */
static void
apply_fault (PdSimServer       *self,
             SoupServerMessage *msg,
             const PdSimFault  *fault)
{
  switch (fault->kind)
    {
    case PD_SIM_FAULT_STATUS:
      respond_error (msg, fault->status, "simulated_fault", "the training core was told to fail",
                     NULL);
      break;
    case PD_SIM_FAULT_TIMEOUT:
      soup_server_message_pause (msg);
      g_ptr_array_add (self->held, g_object_ref (msg));
      break;
    case PD_SIM_FAULT_RESET:
      reset_connection (msg);
      break;
    case PD_SIM_FAULT_SLOW:
      soup_server_message_pause (msg);
      g_timeout_add_full (G_PRIORITY_DEFAULT, fault->delay_ms, resume_slow_answer,
                          g_object_ref (msg), g_object_unref);
      break;
    case PD_SIM_FAULT_MALFORMED:
      respond_text (msg, SOUP_STATUS_OK, "{\"status\": \"appro");
      break;
    case PD_SIM_FAULT_ANSWER:
      respond_text (msg, SOUP_STATUS_OK, fault->body);
      break;
    case PD_SIM_FAULT_NONE:
    default:
      break;
    }
}

/* Payments */

static char *
request_hash (SoupServerMessage *msg,
              const char        *path)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  g_checksum_update (checksum, (const guchar *) soup_server_message_get_method (msg), -1);
  g_checksum_update (checksum, (const guchar *) path, -1);
  g_checksum_update (checksum, (const guchar *) body->data, (gssize) body->length);
  return g_strdup (g_checksum_get_string (checksum));
}

/* TRUE when the key was seen before: the stored answer (or a conflict) has been sent. */
static gboolean
replay_if_seen (PdSimServer       *self,
                SoupServerMessage *msg,
                const char        *key,
                const char        *hash)
{
  g_autofree char *stored_hash = NULL;
  g_autofree char *body = NULL;
  guint status;

  if (!pd_sim_ledger_find_answer (self->ledger, key, &stored_hash, &status, &body))
    return FALSE;

  if (!g_str_equal (stored_hash, hash))
    {
      respond_error (msg, SOUP_STATUS_CONFLICT, "idempotency_conflict",
                     "this Idempotency-Key was used with a different request", NULL);
      return TRUE;
    }

  respond_text (msg, status, body);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Idempotent-Replay", "true");
  return TRUE;
}

/* A bank account number, sealed to this core, that must end in the last four digits the
 * terminal shows. */
/* Every request that changes the ledger carries a key, and a repeat gets the first answer.
 * FALSE when msg has been answered already. */
static gboolean
begin_keyed_request (PdSimServer        *self,
                     SoupServerMessage  *msg,
                     const char         *path,
                     const char        **key,
                     char              **hash)
{
  *key = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                       "Idempotency-Key");
  if (*key == NULL || **key == '\0')
    {
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                     "Idempotency-Key header required", "Idempotency-Key");
      return FALSE;
    }

  *hash = request_hash (msg, path);
  return !replay_if_seen (self, msg, *key, *hash);
}

static void
respond_ledger_failure (SoupServerMessage *msg,
                        const GError      *error)
{
  respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "ledger_failed", error->message, NULL);
}

/* A side of a check as the terminal sealed it: base64 of a TIFF file. */
static gboolean
is_tiff_image (JsonObject *sealed,
               const char *member)
{
  const char *base64 = string_member (sealed, member);
  g_autofree guchar *data = NULL;
  gsize length = 0;

  if (base64 == NULL)
    return FALSE;
  data = g_base64_decode (base64, &length);
  return length > 8 && (memcmp (data, "II*\0", 4) == 0 || memcmp (data, "MM\0*", 4) == 0);
}

/* with_images: a check whose tender says both sides travel in the sealed box. */
static gboolean
check_sealed_account (PdSimServer  *self,
                      JsonObject   *tender,
                      gboolean      with_images,
                      const char  **field,
                      const char  **message)
{
  gboolean images_ok = TRUE;
  const char *last4 = string_member (tender, "account_last4");
  const char *sealed = string_member (tender, "sealed");
  g_autofree char *opened = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *account_number;
  gboolean matches;

  if (last4 == NULL || strlen (last4) != 4 || strspn (last4, "0123456789") != 4)
    return *field = "tender.account_last4", *message = "four digits", FALSE;

  opened = sealed != NULL ? pd_sim_sealing_open (self->sealing, sealed, NULL) : NULL;
  if (opened == NULL || !json_parser_load_from_data (parser, opened, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      if (opened != NULL)
        sodium_memzero (opened, strlen (opened));
      return *field = "tender.sealed", *message = "cannot open the sealed account details",
             FALSE;
    }

  account_number = string_member (json_node_get_object (json_parser_get_root (parser)),
                                  "account_number");
  matches = account_number != NULL && strlen (account_number) >= 4 &&
            g_str_equal (account_number + strlen (account_number) - 4, last4);
  if (with_images)
    images_ok = is_tiff_image (json_node_get_object (json_parser_get_root (parser)),
                               "front_tiff") &&
                is_tiff_image (json_node_get_object (json_parser_get_root (parser)),
                               "back_tiff");
  sodium_memzero (opened, strlen (opened));

  if (!matches)
    return *field = "tender.sealed", *message = "sealed account does not end in account_last4",
           FALSE;
  if (!images_ok)
    return *field = "tender.sealed", *message = "images_included, but no TIFF of both sides",
           FALSE;

  return TRUE;
}

static gboolean
check_bank_tender (PdSimServer  *self,
                   JsonObject   *tender,
                   const char  **field,
                   const char  **message)
{
  const char *type = string_member (tender, "account_type");

  if (!pd_routing_number_is_valid (string_member (tender, "routing_number")))
    return *field = "tender.routing_number", *message = "invalid routing number", FALSE;
  if (g_strcmp0 (type, "checking") != 0 && g_strcmp0 (type, "savings") != 0)
    return *field = "tender.account_type", *message = "checking or savings", FALSE;
  if (string_member (tender, "holder_name") == NULL)
    return *field = "tender.holder_name", *message = "required", FALSE;

  return check_sealed_account (self, tender, FALSE, field, message);
}

/* NACHA: a check converted at the counter (POP) or in the back office (BOC) must be a
 * consumer check with a serial number, POP at most $25,000; a business check (auxiliary
 * on-us field) travels as a Check 21 image instead. */
#define POP_LIMIT_CENTS G_GINT64_CONSTANT (2500000)

static gboolean
check_check_tender (PdSimServer  *self,
                    JsonObject   *tender,
                    gint64        amount_cents,
                    const char  **field,
                    const char  **message)
{
  const char *authorization = string_member (tender, "authorization");
  const char *serial = string_member (tender, "serial");
  gboolean business = string_member (tender, "aux_on_us") != NULL;
  gboolean with_images = json_object_has_member (tender, "images_included") &&
                         json_object_get_boolean_member (tender, "images_included");
  gboolean converted = g_strcmp0 (authorization, "POP") == 0 ||
                       g_strcmp0 (authorization, "BOC") == 0;

  if (!pd_routing_number_is_valid (string_member (tender, "routing_number")))
    return *field = "tender.routing_number", *message = "invalid routing number", FALSE;
  if (!converted && g_strcmp0 (authorization, "CHECK21") != 0)
    return *field = "tender.authorization", *message = "POP, BOC or CHECK21", FALSE;
  if (converted && business)
    return *field = "tender.authorization",
           *message = "a business check cannot be converted: send it as CHECK21", FALSE;
  if (converted && (serial == NULL || *serial == '\0' || strspn (serial, "0123456789") != strlen (serial)))
    return *field = "tender.serial", *message = "a converted check needs its serial number",
           FALSE;
  if (g_strcmp0 (authorization, "POP") == 0 && amount_cents > POP_LIMIT_CENTS)
    return *field = "amount_cents", *message = "POP conversion is limited to $25,000", FALSE;
  /* Check 21 exchanges images, not the paper: without them there is nothing to present. */
  if (!converted && !with_images)
    return *field = "tender.images_included", *message = "CHECK21 needs the images", FALSE;

  return check_sealed_account (self, tender, with_images, field, message);
}

static gboolean
check_card_tender (PdSimServer  *self,
                   JsonObject   *tender,
                   const char  **field,
                   const char  **message)
{
  static const char * const required_tags[] = { "95", "9F10", "9F26" };
  static const char * const forbidden_tags[] = {
    "56", "57", "5A", "5F20", "5F24", "99", "9F0B", "9F1F", "9F20",
  };
  const char *brand = string_member (tender, "brand");
  const char *last4 = string_member (tender, "pan_last4");
  const char *entry_mode = string_member (tender, "entry_mode");
  g_autoptr(GHashTable) tags = NULL;

  if (g_strcmp0 (entry_mode, "chip") != 0 && g_strcmp0 (entry_mode, "contactless") != 0)
    return *field = "tender.entry_mode", *message = "chip or contactless", FALSE;
  if (g_strcmp0 (brand, "visa") != 0 && g_strcmp0 (brand, "mastercard") != 0 &&
      g_strcmp0 (brand, "discover") != 0)
    return *field = "tender.brand", *message = "Visa, Mastercard or Discover only", FALSE;
  if (last4 == NULL || strlen (last4) != 4 || strspn (last4, "0123456789") != 4)
    return *field = "tender.pan_last4", *message = "four digits", FALSE;
  if (string_member (tender, "aid") == NULL)
    return *field = "tender.aid", *message = "required", FALSE;

  tags = pd_sim_icc_parse (string_member (tender, "icc_data"), NULL);
  if (tags == NULL)
    return *field = "tender.icc_data", *message = "hex BER-TLV required", FALSE;

  for (gsize i = 0; i < G_N_ELEMENTS (required_tags); i++)
    if (!g_hash_table_contains (tags, required_tags[i]))
      return *field = "tender.icc_data", *message = "95, 9F10 and 9F26 are required", FALSE;

  /* Track data, the clear PAN and PIN data travel sealed or not at all. */
  for (gsize i = 0; i < G_N_ELEMENTS (forbidden_tags); i++)
    if (g_hash_table_contains (tags, forbidden_tags[i]))
      return *field = "tender.icc_data", *message = "carries a tag that must be sealed or absent",
             FALSE;

  return TRUE;
}

static gboolean
check_payment (PdSimServer  *self,
               JsonObject   *request,
               const char  **field,
               const char  **message)
{
  static const char * const required[] = {
    "client_ref", "center_id", "terminal_id", "business_date", "account_number",
    "line_of_business", "currency",
  };
  g_autoptr(JsonObject) account = NULL;
  JsonObject *tender;
  const char *kind;

  for (gsize i = 0; i < G_N_ELEMENTS (required); i++)
    if (string_member (request, required[i]) == NULL)
      return *field = required[i], *message = "required", FALSE;

  if (!g_str_equal (string_member (request, "currency"), "USD"))
    return *field = "currency", *message = "only USD", FALSE;

  if (!json_object_has_member (request, "amount_cents") ||
      json_object_get_int_member (request, "amount_cents") <= 0)
    return *field = "amount_cents", *message = "a positive number of cents", FALSE;

  account = pd_sim_ledger_get_account (self->ledger, string_member (request, "account_number"));
  if (account == NULL)
    return *field = "account_number", *message = "no such account", FALSE;

  if (!g_str_equal (string_member (account, "line_of_business"),
                    string_member (request, "line_of_business")))
    return *field = "line_of_business", *message = "not the account's line of business", FALSE;

  if (string_member (request, "invoice_number") != NULL &&
      !pd_sim_ledger_invoice_on_account (self->ledger, string_member (request, "invoice_number"),
                                         string_member (request, "account_number")))
    return *field = "invoice_number", *message = "not an invoice of this account", FALSE;

  tender = json_object_has_member (request, "tender")
           ? json_object_get_object_member (request, "tender") : NULL;
  kind = string_member (tender, "kind");

  if (g_strcmp0 (kind, "bank") == 0)
    return check_bank_tender (self, tender, field, message);
  if (g_strcmp0 (kind, "card") == 0)
    return check_card_tender (self, tender, field, message);
  if (g_strcmp0 (kind, "check") == 0)
    return check_check_tender (self, tender, json_object_get_int_member (request, "amount_cents"),
                               field, message);

  return *field = "tender.kind", *message = "card, check or bank", FALSE;
}

static char *
new_confirmation_number (void)
{
  static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  char code[9];

  for (gsize i = 0; i < sizeof code - 1; i++)
    code[i] = alphabet[randombytes_uniform (sizeof alphabet - 1)];
  code[sizeof code - 1] = '\0';

  return g_strdup_printf ("CNF-%s", code);
}

static void
create_payment (PdSimServer       *self,
                SoupServerMessage *msg,
                const char        *path)
{
  const char *key = NULL;
  g_autofree char *hash = NULL;
  g_autoptr(JsonObject) request = NULL;
  g_autoptr(JsonObject) payment = NULL;
  g_autoptr(JsonArray) same_ref = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *payment_id = NULL;
  g_autofree char *confirmation = NULL;
  g_autofree char *body = NULL;
  const char *field = NULL;
  const char *message = NULL;
  const char *decline_reason;
  const char *tender_kind;
  g_autofree char *auth_code = NULL;
  g_auto(PdSimCardCheck) card_check = { 0 };
  PdSimStoredAnswer answer;

  if (!begin_keyed_request (self, msg, path, &key, &hash))
    return;

  request = request_object (msg);
  if (request == NULL)
    {
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request", "body is not a JSON object",
                     NULL);
      return;
    }

  if (!check_payment (self, request, &field, &message))
    {
      respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "invalid_request", message, field);
      return;
    }

  same_ref = pd_sim_ledger_find_payments (self->ledger, string_member (request, "client_ref"));
  if (json_array_get_length (same_ref) > 0)
    {
      respond_error (msg, SOUP_STATUS_CONFLICT, "duplicate_client_ref",
                     "a payment with this client_ref exists under another Idempotency-Key",
                     "client_ref");
      return;
    }

  tender_kind = string_member (json_object_get_object_member (request, "tender"), "kind");
  if (g_str_equal (tender_kind, "card") &&
      !pd_sim_card_check (self->sealing, self->issuer_master_key,
                          json_object_get_object_member (request, "tender"),
                          json_object_get_int_member (request, "amount_cents"), &card_check,
                          &field, &message))
    {
      respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "invalid_request", message, field);
      return;
    }

  decline_reason = pd_sim_faults_decline_reason (&self->faults,
                                                 string_member (request, "account_number"),
                                                 json_object_get_int_member (request,
                                                                             "amount_cents"));
  if (card_check.decline_reason != NULL)
    decline_reason = card_check.decline_reason;
  if (pd_sim_ledger_was_reversed_early (self->ledger, string_member (request, "client_ref")))
    decline_reason = "reversed_before_authorization";
  if (decline_reason == NULL && g_str_equal (tender_kind, "card"))
    auth_code = g_strdup_printf ("%06u", randombytes_uniform (1000000));
  payment_id = g_strdup_printf ("PAY-%06" G_GINT64_FORMAT,
                                pd_sim_ledger_next_sequence (self->ledger));
  confirmation = decline_reason == NULL ? new_confirmation_number () : NULL;

  payment = json_object_new ();
  json_object_set_string_member (payment, "payment_id", payment_id);
  json_object_set_string_member (payment, "client_ref", string_member (request, "client_ref"));
  json_object_set_string_member (payment, "status",
                                 decline_reason != NULL ? "declined"
                                 : g_str_equal (tender_kind, "card") ? "approved" : "accepted");
  json_object_set_string_member (payment, "confirmation_number", confirmation);
  json_object_set_string_member (payment, "auth_code", auth_code);
  json_object_set_string_member (payment, "decline_reason", decline_reason);
  json_object_set_string_member (payment, "issuer_authentication_data",
                                 decline_reason == NULL ? card_check.issuer_authentication_data
                                                        : NULL);
  if (g_str_equal (tender_kind, "card") && decline_reason == NULL &&
      self->faults.next_issuer_scripts != NULL)
    {
      json_object_set_string_member (payment, "issuer_scripts", self->faults.next_issuer_scripts);
      g_clear_pointer (&self->faults.next_issuer_scripts, g_free);
    }
  else
    json_object_set_null_member (payment, "issuer_scripts");
  if (g_str_equal (tender_kind, "card"))
    json_object_set_boolean_member (payment, "cryptogram_verified", card_check.verified);
  body = object_to_text (payment);

  json_object_set_string_member (payment, "center_id", string_member (request, "center_id"));
  json_object_set_string_member (payment, "terminal_id", string_member (request, "terminal_id"));
  json_object_set_string_member (payment, "operator_id", string_member (request, "operator_id"));
  json_object_set_string_member (payment, "business_date",
                                 string_member (request, "business_date"));
  json_object_set_string_member (payment, "account_number",
                                 string_member (request, "account_number"));
  json_object_set_string_member (payment, "line_of_business",
                                 string_member (request, "line_of_business"));
  json_object_set_string_member (payment, "invoice_number",
                                 string_member (request, "invoice_number"));
  json_object_set_int_member (payment, "amount_cents",
                              json_object_get_int_member (request, "amount_cents"));
  json_object_set_string_member (payment, "tender", tender_kind);

  answer = (PdSimStoredAnswer) { key, hash, SOUP_STATUS_CREATED, body };
  if (!pd_sim_ledger_record_payment (self->ledger, payment, &answer, &error))
    {
      respond_ledger_failure (msg, error);
      return;
    }

  respond_text (msg, SOUP_STATUS_CREATED, body);
}

/* Voids and refunds: a status change on an accepted or approved payment, answered once per
 * key like a payment. A refund here is always of the whole amount. */
static void
change_payment_status (PdSimServer       *self,
                       SoupServerMessage *msg,
                       const char        *path,
                       const char        *payment_id,
                       const char        *new_status)
{
  const char *key = NULL;
  g_autofree char *hash = NULL;
  g_autoptr(JsonObject) request = NULL;
  g_autoptr(JsonObject) payment = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  g_autofree char *refund_id = NULL;
  PdSimStoredAnswer answer;
  const char *status;

  if (!begin_keyed_request (self, msg, path, &key, &hash))
    return;

  request = request_object (msg);
  if (payment_id == NULL)
    payment_id = string_member (request, "payment_id");

  payment = payment_id != NULL ? pd_sim_ledger_get_payment (self->ledger, payment_id) : NULL;
  if (payment == NULL)
    {
      respond_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", "no such payment", "payment_id");
      return;
    }

  status = string_member (payment, "status");
  if (!g_str_equal (status, "accepted") && !g_str_equal (status, "approved"))
    {
      respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "invalid_request",
                     "only accepted or approved payments can be voided or refunded",
                     "payment_id");
      return;
    }

  if (g_str_equal (new_status, "refunded") &&
      (request == NULL || !json_object_has_member (request, "amount_cents") ||
       json_object_get_int_member (request, "amount_cents") !=
       json_object_get_int_member (payment, "amount_cents")))
    {
      respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "invalid_request",
                     "a refund is of the whole payment", "amount_cents");
      return;
    }

  json_object_set_string_member (payment, "status", new_status);
  if (g_str_equal (new_status, "refunded"))
    {
      refund_id = g_strdup_printf ("REF-%s", string_member (payment, "payment_id"));
      json_object_set_string_member (payment, "refund_id", refund_id);
      json_object_set_string_member (payment, "confirmation_number", refund_id);
    }
  body = object_to_text (payment);
  answer = (PdSimStoredAnswer) { key, hash, SOUP_STATUS_OK, body };
  if (!pd_sim_ledger_set_payment_status (self->ledger, string_member (payment, "payment_id"),
                                         new_status, &answer, &error))
    {
      respond_ledger_failure (msg, error);
      return;
    }

  respond_text (msg, SOUP_STATUS_OK, body);
}

/* After the second GENERATE AC: the card accepted the issuer's answer (the payment stands) or
 * declined it (the authorization is reversed). */
static void
complete_card_payment (PdSimServer       *self,
                       SoupServerMessage *msg,
                       const char        *path,
                       const char        *payment_id)
{
  const char *key = NULL;
  g_autofree char *hash = NULL;
  g_autoptr(JsonObject) request = request_object (msg);
  g_autoptr(JsonObject) payment = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  const char *outcome = string_member (request, "outcome");
  PdSimStoredAnswer answer;
  const char *status;

  if (!begin_keyed_request (self, msg, path, &key, &hash))
    return;

  payment = pd_sim_ledger_get_payment (self->ledger, payment_id);
  if (payment == NULL || g_strcmp0 (string_member (payment, "tender"), "card") != 0)
    {
      respond_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", "no such card payment", NULL);
      return;
    }

  if (g_strcmp0 (outcome, "completed") != 0 && g_strcmp0 (outcome, "card_declined") != 0)
    {
      respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "invalid_request",
                     "outcome is completed or card_declined", "outcome");
      return;
    }

  if (!g_str_equal (string_member (payment, "status"), "approved"))
    {
      respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "invalid_request",
                     "only an approved card payment can be completed", "payment_id");
      return;
    }

  status = g_str_equal (outcome, "completed") ? "approved" : "reversed";
  json_object_set_string_member (payment, "status", status);
  body = object_to_text (payment);
  answer = (PdSimStoredAnswer) { key, hash, SOUP_STATUS_OK, body };
  if (!pd_sim_ledger_set_payment_status (self->ledger, payment_id, status, &answer, &error))
    {
      respond_ledger_failure (msg, error);
      return;
    }

  respond_text (msg, SOUP_STATUS_OK, body);
}

/* Reversals name the payment by the terminal's reference: after a lost answer the terminal
 * never learned the core's id. A reversal is acknowledged whatever it finds. */
static void
reverse_payment (PdSimServer       *self,
                 SoupServerMessage *msg,
                 const char        *path)
{
  const char *key = NULL;
  g_autofree char *hash = NULL;
  g_autoptr(JsonObject) request = request_object (msg);
  g_autoptr(JsonArray) found = NULL;
  g_autoptr(JsonObject) answer_object = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  const char *client_ref = string_member (request, "client_ref");
  PdSimStoredAnswer answer;
  gboolean stored;

  if (client_ref == NULL)
    {
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request", "client_ref required",
                     "client_ref");
      return;
    }

  if (!begin_keyed_request (self, msg, path, &key, &hash))
    return;

  found = pd_sim_ledger_find_payments (self->ledger, client_ref);
  json_object_set_string_member (answer_object, "client_ref", client_ref);
  json_object_set_string_member (answer_object, "status", "reversed");

  if (json_array_get_length (found) == 0)
    {
      json_object_set_null_member (answer_object, "payment_id");
      body = object_to_text (answer_object);
      answer = (PdSimStoredAnswer) { key, hash, SOUP_STATUS_OK, body };
      stored = pd_sim_ledger_add_early_reversal (self->ledger, client_ref, &answer, &error);
    }
  else
    {
      JsonObject *payment = json_array_get_object_element (found, 0);
      const char *payment_id = string_member (payment, "payment_id");
      const char *status = string_member (payment, "status");

      json_object_set_string_member (answer_object, "payment_id", payment_id);
      body = object_to_text (answer_object);
      answer = (PdSimStoredAnswer) { key, hash, SOUP_STATUS_OK, body };
      if (g_str_equal (status, "approved"))
        stored = pd_sim_ledger_set_payment_status (self->ledger, payment_id, "reversed", &answer,
                                                   &error);
      else
        stored = pd_sim_ledger_store_answer (self->ledger, &answer, &error);
    }

  if (!stored)
    {
      respond_ledger_failure (msg, error);
      return;
    }

  respond_text (msg, SOUP_STATUS_OK, body);
}

/* Routes */

static void
lookup_members (PdSimServer       *self,
                SoupServerMessage *msg)
{
  g_autoptr(JsonObject) request = request_object (msg);
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (request == NULL)
    {
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request", "body is not a JSON object",
                     NULL);
      return;
    }

  answer = pd_sim_ledger_lookup (self->ledger, request, &error);
  if (answer == NULL)
    {
      respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "invalid_request", error->message,
                     NULL);
      return;
    }

  text = pd_json_node_to_string (answer, FALSE);
  respond_text (msg, SOUP_STATUS_OK, text);
}

static void
respond_health (SoupServerMessage *msg)
{
  g_autoptr(JsonObject) answer = json_object_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *time = g_date_time_format_iso8601 (now);

  json_object_set_string_member (answer, "status", "ok");
  json_object_set_int_member (answer, "api_version", 1);
  json_object_set_string_member (answer, "time", time);
  json_object_set_boolean_member (answer, "training", TRUE);
  respond_object (msg, SOUP_STATUS_OK, answer);
}

static void
respond_payment_list (SoupServerMessage *msg,
                      JsonArray         *payments)
{
  g_autoptr(JsonObject) answer = json_object_new ();

  json_object_set_array_member (answer, "payments", payments);
  respond_object (msg, SOUP_STATUS_OK, answer);
}

static void
respond_reconciliation (PdSimServer       *self,
                        SoupServerMessage *msg,
                        GHashTable        *query)
{
  const char *date = query != NULL ? g_hash_table_lookup (query, "business_date") : NULL;
  const char *terminal = query != NULL ? g_hash_table_lookup (query, "terminal_id") : NULL;
  g_autoptr(JsonObject) answer = json_object_new ();

  if (date == NULL)
    {
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request", "business_date required",
                     "business_date");
      return;
    }

  json_object_set_string_member (answer, "business_date", date);
  json_object_set_string_member (answer, "terminal_id", terminal);
  json_object_set_array_member (answer, "totals",
                                pd_sim_ledger_reconciliation (self->ledger, date, terminal));
  respond_object (msg, SOUP_STATUS_OK, answer);
}

static gboolean
is_authorized (PdSimServer       *self,
               SoupServerMessage *msg)
{
  const char *header;
  g_autofree char *expected = NULL;

  if (self->token == NULL)
    return TRUE;

  header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                         "Authorization");
  expected = g_strdup_printf ("Bearer %s", self->token);
  return header != NULL && strlen (header) == strlen (expected) &&
         sodium_memcmp (header, expected, strlen (expected)) == 0;
}

static void
route_v1 (PdSimServer       *self,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query)
{
  const char *method = soup_server_message_get_method (msg);
  gboolean post = g_str_equal (method, "POST");
  gboolean get = g_str_equal (method, "GET");

  if (g_str_equal (path, "/v1/health") && get)
    respond_health (msg);
  else if (g_str_equal (path, "/v1/members/lookup") && post)
    lookup_members (self, msg);
  else if (g_str_equal (path, "/v1/payments") && post)
    create_payment (self, msg, path);
  else if (g_str_equal (path, "/v1/payments") && get && query != NULL &&
           g_hash_table_lookup (query, "client_ref") != NULL)
    respond_payment_list (msg, pd_sim_ledger_find_payments (self->ledger,
                                                            g_hash_table_lookup (query,
                                                                                 "client_ref")));
  else if (g_str_has_prefix (path, "/v1/accounts/") && get)
    {
      g_autoptr(JsonObject) account = pd_sim_ledger_get_account (self->ledger,
                                                                 path + strlen ("/v1/accounts/"));

      if (account != NULL)
        {
          json_object_remove_member (account, "member_id");
          respond_object (msg, SOUP_STATUS_OK, account);
        }
      else
        respond_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", "no such account", NULL);
    }
  else if (g_str_equal (path, "/v1/reconciliation") && get)
    respond_reconciliation (self, msg, query);
  else if (g_str_has_prefix (path, "/v1/payments/") && g_str_has_suffix (path, "/void") && post)
    {
      g_autofree char *id = g_strndup (path + strlen ("/v1/payments/"),
                                       strlen (path) - strlen ("/v1/payments/") - strlen ("/void"));
      change_payment_status (self, msg, path, id, "voided");
    }
  else if (g_str_has_prefix (path, "/v1/payments/") && g_str_has_suffix (path, "/completion") &&
           post)
    {
      g_autofree char *id = g_strndup (path + strlen ("/v1/payments/"),
                                       strlen (path) - strlen ("/v1/payments/") -
                                       strlen ("/completion"));
      complete_card_payment (self, msg, path, id);
    }
  else if (g_str_equal (path, "/v1/reversals") && post)
    reverse_payment (self, msg, path);
  else if (g_str_equal (path, "/v1/refunds") && post)
    change_payment_status (self, msg, path, NULL, "refunded");
  else
    respond_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", "no such endpoint", NULL);
}

static gboolean has_trusted_client_certificate (PdSimServer       *self,
                                                SoupServerMessage *msg);

static void
handle_v1 (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  PdSimServer *self = user_data;
  PdSimFault fault;
  g_autofree char *body = NULL;

  self->requests_seen++;

  if (!is_authorized (self, msg))
    {
      respond_error (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized", "bad or missing token", NULL);
      return;
    }

  if (!has_trusted_client_certificate (self, msg))
    {
      respond_error (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                     "a client certificate from the terminals' CA is required", NULL);
      return;
    }

  fault = pd_sim_faults_next (&self->faults, soup_server_message_get_method (msg), path);
  body = fault.body;

  /* A slow answer is the real answer, late: it is always worked out first. */
  if (fault.kind != PD_SIM_FAULT_NONE && fault.kind != PD_SIM_FAULT_SLOW &&
      !fault.after_processing)
    {
      apply_fault (self, msg, &fault);
      return;
    }

  route_v1 (self, msg, path, query);

  /* The request took effect; now its answer is lost, late or garbled. */
  if (fault.kind != PD_SIM_FAULT_NONE)
    apply_fault (self, msg, &fault);
}

static gboolean
is_loopback_peer (SoupServerMessage *msg)
{
  GSocketAddress *address = soup_server_message_get_remote_address (msg);

  return G_IS_INET_SOCKET_ADDRESS (address) &&
         g_inet_address_get_is_loopback (
           g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address)));
}

/* The control endpoints: only from this machine. */
static void
handle_sim (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  PdSimServer *self = user_data;
  const char *method = soup_server_message_get_method (msg);

  if (!is_loopback_peer (msg))
    {
      respond_error (msg, SOUP_STATUS_FORBIDDEN, "forbidden", "only from loopback", NULL);
      return;
    }

  /* A core that wants a token wants it here too: the ledger and the faults are no less the
   * core's than its payments. */
  if (!is_authorized (self, msg))
    {
      respond_error (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized", "bad or missing token", NULL);
      return;
    }

  if (g_str_equal (path, "/_sim/ledger") && g_str_equal (method, "GET"))
    {
      g_autoptr(JsonObject) answer = json_object_new ();

      json_object_set_array_member (answer, "payments",
                                    pd_sim_ledger_list_payments (self->ledger));
      json_object_set_int_member (answer, "requests_seen", self->requests_seen);
      respond_object (msg, SOUP_STATUS_OK, answer);
    }
  else if (g_str_equal (path, "/_sim/faults") && g_str_equal (method, "POST"))
    {
      g_autoptr(JsonObject) request = request_object (msg);
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonObject) answer = json_object_new ();

      if (request == NULL || !pd_sim_faults_configure (&self->faults, request, &error))
        {
          respond_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                         error != NULL ? error->message : "body is not a JSON object", NULL);
          return;
        }

      json_object_set_int_member (answer, "pending_faults",
                                  g_queue_get_length (&self->faults.pending));
      respond_object (msg, SOUP_STATUS_OK, answer);
    }
  else
    respond_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", "no such endpoint", NULL);
}

/* The TLS layer lets any certificate through; the request handler checks it against the
 * CA, so that a terminal without a good one gets a clear 401 rather than a broken
 * connection. */
static gboolean
accept_any_certificate (SoupServerMessage    *msg,
                        GTlsCertificate      *certificate,
                        GTlsCertificateFlags  errors,
                        gpointer              user_data)
{
  return TRUE;
}

static void
on_request_started (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_any_certificate), NULL);
}

/* Terminals must prove themselves with a certificate from this CA, as the core of a plan that
 * authenticates terminals by TLS client certificate would ask. */
gboolean
pd_sim_server_require_client_certificates (PdSimServer  *self,
                                           const char   *ca_file,
                                           GError      **error)
{
  g_autofree char *absolute = g_canonicalize_filename (ca_file, NULL);

  if (!soup_server_is_https (self->server))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "client certificates need --tls-certificate");
      return FALSE;
    }

  self->client_ca = g_tls_certificate_new_from_file (absolute, error);
  if (self->client_ca == NULL)
    return FALSE;

  soup_server_set_tls_auth_mode (self->server, G_TLS_AUTHENTICATION_REQUESTED);
  g_signal_connect (self->server, "request-started", G_CALLBACK (on_request_started), NULL);
  return TRUE;
}

static gboolean
has_trusted_client_certificate (PdSimServer       *self,
                                SoupServerMessage *msg)
{
  GSocket *socket = soup_server_message_get_socket (msg);
  GTlsCertificate *peer;
  gboolean trusted;

  if (self->client_ca == NULL)
    return TRUE;

  /* libsoup 3.2 gives the peer's certificate with the first request of a connection only:
   * a kept-alive connection is remembered as the terminal it proved to be. */
  if (socket != NULL && g_object_get_data (G_OBJECT (socket), "paydesk-trusted-terminal"))
    return TRUE;

  peer = soup_server_message_get_tls_peer_certificate (msg);
  trusted = peer != NULL &&
            (g_tls_certificate_verify (peer, NULL, self->client_ca) &
             ~G_TLS_CERTIFICATE_BAD_IDENTITY) == 0;
  if (trusted && socket != NULL)
    g_object_set_data (G_OBJECT (socket), "paydesk-trusted-terminal", GINT_TO_POINTER (TRUE));
  return trusted;
}

/* The key every training card's ICC master key is derived from (EMV option A). */
gboolean
pd_sim_server_set_issuer_master_key (PdSimServer  *self,
                                     const char   *hex,
                                     GError      **error)
{
  guint8 key[sizeof self->issuer_master_key];
  gsize length;

  /* A refused key, too short ones included, leaves the one in use. */
  if (hex == NULL || !pd_hex_decode (hex, key, sizeof key, &length) || length != sizeof key)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "the issuer master key is 32 hex digits");
      return FALSE;
    }

  memcpy (self->issuer_master_key, key, sizeof key);
  sodium_memzero (key, sizeof key);
  return TRUE;
}

PdSimServer *
pd_sim_server_new (PdSimLedger      *ledger,
                   const char       *token,
                   const char       *sealing_secret_key,
                   GTlsCertificate  *tls_certificate,
                   GError          **error)
{
  g_autoptr(PdSimServer) self = g_object_new (PD_TYPE_SIM_SERVER, NULL);

  self->sealing = pd_sim_sealing_new_from_base64 (sealing_secret_key, error);
  if (self->sealing == NULL)
    return NULL;

  self->ledger = g_object_ref (ledger);
  self->token = g_strdup (token);
  self->server = soup_server_new ("server-header", "paydesk-core-sim ",
                                  "tls-certificate", tls_certificate, NULL);
  soup_server_add_handler (self->server, "/v1", handle_v1, self, NULL);
  soup_server_add_handler (self->server, "/_sim", handle_sim, self, NULL);

  return g_steal_pointer (&self);
}

/* address is HOST:PORT; a port of 0 picks a free one. Only loopback addresses. */
gboolean
pd_sim_server_listen (PdSimServer  *self,
                      const char   *address,
                      GError      **error)
{
  g_autoptr(GSocketAddress) socket_address = NULL;

  socket_address = pd_loopback_address_parse (address, "the training core", error);
  if (socket_address == NULL)
    return FALSE;

  return soup_server_listen (self->server, socket_address,
                             soup_server_is_https (self->server) ? SOUP_SERVER_LISTEN_HTTPS : 0,
                             error);
}

char *
pd_sim_server_dup_base_url (PdSimServer *self)
{
  GSList *uris = soup_server_get_uris (self->server);
  g_autofree char *text = NULL;

  if (uris == NULL)
    return NULL;

  text = g_uri_to_string_partial (uris->data, G_URI_HIDE_PASSWORD);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  if (g_str_has_suffix (text, "/"))
    text[strlen (text) - 1] = '\0';
  return g_steal_pointer (&text);
}
