#include <sqlite3.h>

#include "pd-line-of-business.h"
#include "pd-sim-ledger.h"

G_DEFINE_QUARK (pd-sim-ledger-error-quark, pd_sim_ledger_error)

/* The training core's books: the members it knows, every payment it answered, and the first
 * answer to every idempotency key. One connection, used only from the main loop. */
struct _PdSimLedger {
  GObject parent_instance;

  sqlite3 *db;
};

G_DEFINE_FINAL_TYPE (PdSimLedger, pd_sim_ledger, G_TYPE_OBJECT)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

static const char ledger_schema[] =
  "CREATE TABLE IF NOT EXISTS members ("
  "  member_id TEXT PRIMARY KEY, first_name TEXT NOT NULL, last_name TEXT NOT NULL,"
  "  dob TEXT NOT NULL, zip TEXT NOT NULL, email TEXT);"
  "CREATE TABLE IF NOT EXISTS accounts ("
  "  account_number TEXT PRIMARY KEY, member_id TEXT NOT NULL REFERENCES members,"
  "  line_of_business TEXT NOT NULL, holder_name TEXT NOT NULL, balance_cents INTEGER NOT NULL,"
  "  minimum_due_cents INTEGER NOT NULL, due_date TEXT);"
  "CREATE TABLE IF NOT EXISTS invoices ("
  "  invoice_number TEXT PRIMARY KEY, account_number TEXT NOT NULL REFERENCES accounts,"
  "  kind TEXT NOT NULL, amount_due_cents INTEGER NOT NULL, due_date TEXT);"
  "CREATE TABLE IF NOT EXISTS payments ("
  "  seq INTEGER PRIMARY KEY AUTOINCREMENT, payment_id TEXT NOT NULL UNIQUE,"
  "  client_ref TEXT NOT NULL UNIQUE, center_id TEXT NOT NULL, terminal_id TEXT NOT NULL,"
  "  operator_id TEXT, business_date TEXT NOT NULL, account_number TEXT NOT NULL,"
  "  line_of_business TEXT NOT NULL, invoice_number TEXT, amount_cents INTEGER NOT NULL,"
  "  tender TEXT NOT NULL, status TEXT NOT NULL, confirmation_number TEXT, auth_code TEXT,"
  "  decline_reason TEXT, created_at TEXT NOT NULL);"
  "CREATE TABLE IF NOT EXISTS early_reversals ("
  "  client_ref TEXT PRIMARY KEY, created_at TEXT NOT NULL);"
  "CREATE TABLE IF NOT EXISTS answers ("
  "  idempotency_key TEXT PRIMARY KEY, request_hash TEXT NOT NULL, status INTEGER NOT NULL,"
  "  body TEXT NOT NULL, created_at TEXT NOT NULL);";

static void
pd_sim_ledger_finalize (GObject *object)
{
  PdSimLedger *self = PD_SIM_LEDGER (object);

  if (self->db != NULL)
    sqlite3_close_v2 (self->db);

  G_OBJECT_CLASS (pd_sim_ledger_parent_class)->finalize (object);
}

static void
pd_sim_ledger_class_init (PdSimLedgerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pd_sim_ledger_finalize;
}

static void
pd_sim_ledger_init (PdSimLedger *self)
{
}

static gboolean
set_error_from_db (PdSimLedger  *self,
                   GError      **error)
{
  g_set_error (error, PD_SIM_LEDGER_ERROR, PD_SIM_LEDGER_ERROR_FAILED, "ledger: %s",
               sqlite3_errmsg (self->db));
  return FALSE;
}

static sqlite3_stmt *
prepare (PdSimLedger *self,
         const char  *sql)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("training core ledger: cannot prepare “%s”: %s", sql, sqlite3_errmsg (self->db));

  return stmt;
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

PdSimLedger *
pd_sim_ledger_open (const char  *path,
                    GError     **error)
{
  g_autoptr(PdSimLedger) self = g_object_new (PD_TYPE_SIM_LEDGER, NULL);

  if (sqlite3_open (path, &self->db) != SQLITE_OK ||
      sqlite3_exec (self->db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                              "PRAGMA foreign_keys = ON;", NULL, NULL, NULL) != SQLITE_OK ||
      sqlite3_exec (self->db, ledger_schema, NULL, NULL, NULL) != SQLITE_OK)
    {
      g_set_error (error, PD_SIM_LEDGER_ERROR, PD_SIM_LEDGER_ERROR_FAILED,
                   "cannot open the ledger %s: %s", path,
                   self->db != NULL ? sqlite3_errmsg (self->db) : "out of memory");
      return NULL;
    }

  return g_steal_pointer (&self);
}

static gboolean
insert_seed_account (PdSimLedger  *self,
                     const char   *member_id,
                     JsonObject   *account,
                     GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  JsonArray *invoices = json_object_get_array_member (account, "invoices");
  const char *number = json_object_get_string_member (account, "account_number");
  PdLineOfBusiness line;

  if (!pd_line_of_business_from_id (json_object_get_string_member (account, "line_of_business"),
                                    &line))
    {
      g_set_error (error, PD_SIM_LEDGER_ERROR, PD_SIM_LEDGER_ERROR_INVALID,
                   "seed: account %s has an unknown line of business", number);
      return FALSE;
    }

  stmt = prepare (self, "INSERT INTO accounts VALUES (?, ?, ?, ?, ?, ?, ?)");
  bind_text (stmt, 1, number);
  bind_text (stmt, 2, member_id);
  bind_text (stmt, 3, pd_line_of_business_to_id (line));
  bind_text (stmt, 4, json_object_get_string_member (account, "holder_name"));
  sqlite3_bind_int64 (stmt, 5, json_object_get_int_member (account, "balance_cents"));
  sqlite3_bind_int64 (stmt, 6, json_object_get_int_member (account, "minimum_due_cents"));
  bind_text (stmt, 7, json_object_get_string_member_with_default (account, "due_date", NULL));
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return set_error_from_db (self, error);

  for (guint i = 0; invoices != NULL && i < json_array_get_length (invoices); i++)
    {
      JsonObject *invoice = json_array_get_object_element (invoices, i);
      g_autoptr(sqlite3_stmt) insert = prepare (self,
                                                "INSERT INTO invoices VALUES (?, ?, ?, ?, ?)");

      bind_text (insert, 1, json_object_get_string_member (invoice, "invoice_number"));
      bind_text (insert, 2, number);
      bind_text (insert, 3, json_object_get_string_member (invoice, "kind"));
      sqlite3_bind_int64 (insert, 4, json_object_get_int_member (invoice, "amount_due_cents"));
      bind_text (insert, 5, json_object_get_string_member_with_default (invoice, "due_date",
                                                                        NULL));
      if (sqlite3_step (insert) != SQLITE_DONE)
        return set_error_from_db (self, error);
    }

  return TRUE;
}

/* Loads the members of a seed file into an empty ledger; a ledger that already has members
 * keeps them, so a restarted core remembers its payments. */
gboolean
pd_sim_ledger_load_seed (PdSimLedger  *self,
                         const char   *seed_path,
                         GError      **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(sqlite3_stmt) count = prepare (self, "SELECT count(*) FROM members");
  JsonArray *members;

  if (sqlite3_step (count) == SQLITE_ROW && sqlite3_column_int (count, 0) > 0)
    return TRUE;

  if (!json_parser_load_from_file (parser, seed_path, error))
    return FALSE;

  members = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                          "members");
  sqlite3_exec (self->db, "BEGIN", NULL, NULL, NULL);

  for (guint i = 0; i < json_array_get_length (members); i++)
    {
      JsonObject *member = json_array_get_object_element (members, i);
      JsonArray *accounts = json_object_get_array_member (member, "accounts");
      g_autoptr(sqlite3_stmt) stmt = prepare (self,
                                              "INSERT INTO members VALUES (?, ?, ?, ?, ?, ?)");
      const char *member_id = json_object_get_string_member (member, "member_id");

      bind_text (stmt, 1, member_id);
      bind_text (stmt, 2, json_object_get_string_member (member, "first_name"));
      bind_text (stmt, 3, json_object_get_string_member (member, "last_name"));
      bind_text (stmt, 4, json_object_get_string_member (member, "dob"));
      bind_text (stmt, 5, json_object_get_string_member (member, "zip"));
      bind_text (stmt, 6, json_object_get_string_member_with_default (member, "email", NULL));
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
          return set_error_from_db (self, error);
        }

      for (guint a = 0; a < json_array_get_length (accounts); a++)
        if (!insert_seed_account (self, member_id, json_array_get_object_element (accounts, a),
                                  error))
          {
            sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
            return FALSE;
          }
    }

  return sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK ||
         set_error_from_db (self, error);
}

static JsonObject *
account_from_row (PdSimLedger  *self,
                  sqlite3_stmt *stmt)
{
  JsonObject *account = json_object_new ();
  JsonArray *invoices = json_array_new ();
  g_autoptr(sqlite3_stmt) query = NULL;
  const char *number = column_text (stmt, 0);
  PdLineOfBusiness line = PD_LINE_OF_BUSINESS_MARKETPLACE;

  pd_line_of_business_from_id (column_text (stmt, 2), &line);
  json_object_set_string_member (account, "account_number", number);
  json_object_set_string_member (account, "member_id", column_text (stmt, 1));
  json_object_set_string_member (account, "line_of_business", column_text (stmt, 2));
  json_object_set_string_member (account, "display_name", pd_line_of_business_get_name (line));
  json_object_set_string_member (account, "holder_name", column_text (stmt, 3));
  json_object_set_int_member (account, "balance_cents", sqlite3_column_int64 (stmt, 4));
  json_object_set_int_member (account, "minimum_due_cents", sqlite3_column_int64 (stmt, 5));
  json_object_set_string_member (account, "due_date", column_text (stmt, 6));

  query = prepare (self, "SELECT invoice_number, kind, amount_due_cents, due_date FROM invoices"
                         " WHERE account_number = ? ORDER BY due_date, invoice_number");
  bind_text (query, 1, number);
  while (sqlite3_step (query) == SQLITE_ROW)
    {
      JsonObject *invoice = json_object_new ();

      json_object_set_string_member (invoice, "invoice_number", column_text (query, 0));
      json_object_set_string_member (invoice, "kind", column_text (query, 1));
      json_object_set_int_member (invoice, "amount_due_cents", sqlite3_column_int64 (query, 2));
      json_object_set_string_member (invoice, "due_date", column_text (query, 3));
      json_array_add_object_element (invoices, invoice);
    }

  json_object_set_array_member (account, "invoices", invoices);
  return account;
}

#define ACCOUNT_COLUMNS \
  "account_number, member_id, line_of_business, holder_name, balance_cents," \
  " minimum_due_cents, due_date"

JsonObject *
pd_sim_ledger_get_account (PdSimLedger *self,
                           const char  *account_number)
{
  g_autoptr(sqlite3_stmt) stmt = prepare (self, "SELECT " ACCOUNT_COLUMNS " FROM accounts"
                                                " WHERE account_number = ?");

  bind_text (stmt, 1, account_number);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;

  return account_from_row (self, stmt);
}

gboolean
pd_sim_ledger_invoice_on_account (PdSimLedger *self,
                                  const char  *invoice_number,
                                  const char  *account_number)
{
  g_autoptr(sqlite3_stmt) stmt = prepare (self, "SELECT 1 FROM invoices"
                                                " WHERE invoice_number = ? AND account_number = ?");

  bind_text (stmt, 1, invoice_number);
  bind_text (stmt, 2, account_number);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

static JsonObject *
member_object (PdSimLedger *self,
               const char  *member_id)
{
  g_autoptr(sqlite3_stmt) stmt = prepare (self, "SELECT member_id, first_name, last_name, email"
                                                " FROM members WHERE member_id = ?");
  JsonObject *member = json_object_new ();

  bind_text (stmt, 1, member_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      json_object_set_string_member (member, "member_id", column_text (stmt, 0));
      json_object_set_string_member (member, "first_name", column_text (stmt, 1));
      json_object_set_string_member (member, "last_name", column_text (stmt, 2));
      if (column_text (stmt, 3) != NULL)
        json_object_set_string_member (member, "email", column_text (stmt, 3));
    }

  return member;
}

static JsonNode *
answer_found (PdSimLedger *self,
              const char  *member_id,
              const char  *only_account)
{
  g_autoptr(JsonObject) answer = json_object_new ();
  g_autoptr(sqlite3_stmt) stmt = prepare (self, "SELECT " ACCOUNT_COLUMNS " FROM accounts"
                                                " WHERE member_id = ?1 AND"
                                                " (?2 IS NULL OR account_number = ?2)"
                                                " ORDER BY account_number");
  JsonArray *accounts = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  bind_text (stmt, 1, member_id);
  bind_text (stmt, 2, only_account);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    json_array_add_object_element (accounts, account_from_row (self, stmt));

  json_object_set_string_member (answer, "result", "found");
  json_object_set_object_member (answer, "member", member_object (self, member_id));
  json_object_set_array_member (answer, "accounts", accounts);
  json_node_set_object (node, answer);
  return node;
}

static JsonNode *
answer_result (const char *result)
{
  g_autoptr(JsonObject) answer = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (answer, "result", result);
  json_node_set_object (node, answer);
  return node;
}

/* Names are compared as people type them: case and accents do not matter ("maria" finds
 * "María"), since a kiosk keyboard may not offer them. */
static char *
name_key (const char *name)
{
  g_autofree char *decomposed = name != NULL ? g_utf8_normalize (name, -1, G_NORMALIZE_ALL)
                                             : NULL;
  g_autoptr(GString) bare = g_string_new (NULL);

  if (decomposed == NULL)
    return g_strdup ("");

  for (const char *p = decomposed; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_ismark (g_utf8_get_char (p)))
      g_string_append_unichar (bare, g_utf8_get_char (p));

  return g_utf8_casefold (bare->str, -1);
}

static const char *
member_string (JsonObject *request,
               const char *name)
{
  JsonNode *node = json_object_get_member (request, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonNode *
lookup_by_member (PdSimLedger *self,
                  JsonObject  *request)
{
  const char *member_id = member_string (request, "member_id");
  g_autofree char *first = name_key (member_string (request, "first_name"));
  g_autofree char *last = name_key (member_string (request, "last_name"));
  g_autoptr(sqlite3_stmt) stmt = prepare (self, "SELECT member_id, first_name, last_name"
                                                " FROM members WHERE zip = ? AND dob = ?"
                                                " AND (?3 IS NULL OR member_id = ?3)");
  g_autofree char *found = NULL;
  guint matches = 0;

  bind_text (stmt, 1, member_string (request, "zip"));
  bind_text (stmt, 2, member_string (request, "dob"));
  bind_text (stmt, 3, member_id);

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autofree char *row_first = name_key (column_text (stmt, 1));
      g_autofree char *row_last = name_key (column_text (stmt, 2));

      if (g_str_equal (first, row_first) && g_str_equal (last, row_last))
        {
          matches++;
          g_free (found);
          found = g_strdup (column_text (stmt, 0));
        }
    }

  if (matches == 0)
    return answer_result ("not_found");
  if (matches > 1)
    return answer_result ("ambiguous");
  return answer_found (self, found, NULL);
}

static JsonNode *
lookup_by_invoice_account (PdSimLedger *self,
                           JsonObject  *request)
{
  const char *account = member_string (request, "invoice_account");
  const char *invoice = member_string (request, "invoice_number");
  const char *zip = member_string (request, "zip");
  g_autoptr(sqlite3_stmt) stmt = prepare (self, "SELECT a.member_id FROM accounts a"
                                                " JOIN members m USING (member_id)"
                                                " WHERE a.account_number = ?1"
                                                " AND (?2 IS NULL OR m.zip = ?2)"
                                                " AND (?3 IS NULL OR EXISTS (SELECT 1 FROM"
                                                "  invoices i WHERE i.invoice_number = ?3"
                                                "  AND i.account_number = a.account_number))");

  bind_text (stmt, 1, account);
  bind_text (stmt, 2, zip);
  bind_text (stmt, 3, invoice);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return answer_result ("not_found");

  return answer_found (self, column_text (stmt, 0), account);
}

JsonNode *
pd_sim_ledger_lookup (PdSimLedger  *self,
                      JsonObject   *request,
                      GError      **error)
{
  gboolean has_account = member_string (request, "invoice_account") != NULL;

  if (has_account && (member_string (request, "invoice_number") != NULL) !=
                     (member_string (request, "zip") != NULL))
    return lookup_by_invoice_account (self, request);

  if (!has_account && member_string (request, "zip") != NULL &&
      member_string (request, "dob") != NULL && member_string (request, "first_name") != NULL &&
      member_string (request, "last_name") != NULL)
    return lookup_by_member (self, request);

  g_set_error_literal (error, PD_SIM_LEDGER_ERROR, PD_SIM_LEDGER_ERROR_INVALID,
                       "send member_id, zip, dob, first_name and last_name; or invoice_account"
                       " with invoice_number; or invoice_account with zip");
  return NULL;
}

gboolean
pd_sim_ledger_find_answer (PdSimLedger  *self,
                           const char   *key,
                           char        **request_hash,
                           guint        *status,
                           char        **body)
{
  g_autoptr(sqlite3_stmt) stmt = prepare (self, "SELECT request_hash, status, body FROM answers"
                                                " WHERE idempotency_key = ?");

  bind_text (stmt, 1, key);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return FALSE;

  *request_hash = g_strdup (column_text (stmt, 0));
  *status = (guint) sqlite3_column_int (stmt, 1);
  *body = g_strdup (column_text (stmt, 2));
  return TRUE;
}

static gboolean
insert_answer (PdSimLedger              *self,
               const PdSimStoredAnswer  *answer,
               GError                  **error)
{
  g_autoptr(sqlite3_stmt) stmt = prepare (self, "INSERT INTO answers VALUES"
                                                " (?, ?, ?, ?, strftime ('%Y-%m-%dT%H:%M:%fZ'))");

  bind_text (stmt, 1, answer->key);
  bind_text (stmt, 2, answer->request_hash);
  sqlite3_bind_int (stmt, 3, (int) answer->status);
  bind_text (stmt, 4, answer->body);
  return sqlite3_step (stmt) == SQLITE_DONE || set_error_from_db (self, error);
}

gboolean
pd_sim_ledger_store_answer (PdSimLedger              *self,
                            const PdSimStoredAnswer  *answer,
                            GError                  **error)
{
  return insert_answer (self, answer, error);
}

static const char *
string_or_null (JsonObject *object,
                const char *name)
{
  return member_string (object, name);
}

/* The payment and the answer to its key are one transaction: a crash cannot leave a charge
 * whose retry would charge again. */
gboolean
pd_sim_ledger_record_payment (PdSimLedger              *self,
                              JsonObject               *payment,
                              const PdSimStoredAnswer  *answer,
                              GError                  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_exec (self->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    return set_error_from_db (self, error);

  stmt = prepare (self, "INSERT INTO payments (payment_id, client_ref, center_id, terminal_id,"
                        " operator_id, business_date, account_number, line_of_business,"
                        " invoice_number, amount_cents, tender, status, confirmation_number,"
                        " auth_code, decline_reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?,"
                        " ?, ?, ?, ?, ?, ?, ?, ?, strftime ('%Y-%m-%dT%H:%M:%fZ'))");
  bind_text (stmt, 1, string_or_null (payment, "payment_id"));
  bind_text (stmt, 2, string_or_null (payment, "client_ref"));
  bind_text (stmt, 3, string_or_null (payment, "center_id"));
  bind_text (stmt, 4, string_or_null (payment, "terminal_id"));
  bind_text (stmt, 5, string_or_null (payment, "operator_id"));
  bind_text (stmt, 6, string_or_null (payment, "business_date"));
  bind_text (stmt, 7, string_or_null (payment, "account_number"));
  bind_text (stmt, 8, string_or_null (payment, "line_of_business"));
  bind_text (stmt, 9, string_or_null (payment, "invoice_number"));
  sqlite3_bind_int64 (stmt, 10, json_object_get_int_member (payment, "amount_cents"));
  bind_text (stmt, 11, string_or_null (payment, "tender"));
  bind_text (stmt, 12, string_or_null (payment, "status"));
  bind_text (stmt, 13, string_or_null (payment, "confirmation_number"));
  bind_text (stmt, 14, string_or_null (payment, "auth_code"));
  bind_text (stmt, 15, string_or_null (payment, "decline_reason"));

  if (sqlite3_step (stmt) != SQLITE_DONE || !insert_answer (self, answer, NULL) ||
      sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    {
      set_error_from_db (self, error);
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }

  return TRUE;
}

gboolean
pd_sim_ledger_set_payment_status (PdSimLedger              *self,
                                  const char               *payment_id,
                                  const char               *status,
                                  const PdSimStoredAnswer  *answer,
                                  GError                  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_exec (self->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    return set_error_from_db (self, error);

  stmt = prepare (self, "UPDATE payments SET status = ? WHERE payment_id = ?");
  bind_text (stmt, 1, status);
  bind_text (stmt, 2, payment_id);

  if (sqlite3_step (stmt) != SQLITE_DONE ||
      (answer != NULL && !insert_answer (self, answer, NULL)) ||
      sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    {
      set_error_from_db (self, error);
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }

  return TRUE;
}

#define PAYMENT_COLUMNS \
  "payment_id, client_ref, status, confirmation_number, auth_code, decline_reason," \
  " center_id, terminal_id, operator_id, business_date, account_number, line_of_business," \
  " invoice_number, amount_cents, tender, created_at"

static JsonObject *
payment_from_row (sqlite3_stmt *stmt)
{
  static const char * const text_columns[] = {
    "payment_id", "client_ref", "status", "confirmation_number", "auth_code", "decline_reason",
    "center_id", "terminal_id", "operator_id", "business_date", "account_number",
    "line_of_business", "invoice_number",
  };
  JsonObject *payment = json_object_new ();

  for (guint i = 0; i < G_N_ELEMENTS (text_columns); i++)
    if (column_text (stmt, (int) i) != NULL)
      json_object_set_string_member (payment, text_columns[i], column_text (stmt, (int) i));
    else
      json_object_set_null_member (payment, text_columns[i]);

  json_object_set_int_member (payment, "amount_cents", sqlite3_column_int64 (stmt, 13));
  json_object_set_string_member (payment, "tender", column_text (stmt, 14));
  json_object_set_string_member (payment, "created_at", column_text (stmt, 15));
  json_object_set_null_member (payment, "issuer_authentication_data");
  json_object_set_null_member (payment, "issuer_scripts");
  return payment;
}

JsonObject *
pd_sim_ledger_get_payment (PdSimLedger *self,
                           const char  *payment_id)
{
  g_autoptr(sqlite3_stmt) stmt = prepare (self, "SELECT " PAYMENT_COLUMNS " FROM payments"
                                                " WHERE payment_id = ?");

  bind_text (stmt, 1, payment_id);
  return sqlite3_step (stmt) == SQLITE_ROW ? payment_from_row (stmt) : NULL;
}

static JsonArray *
payments_where (PdSimLedger *self,
                const char  *client_ref)
{
  g_autoptr(sqlite3_stmt) stmt = prepare (self, "SELECT " PAYMENT_COLUMNS " FROM payments"
                                                " WHERE ?1 IS NULL OR client_ref = ?1"
                                                " ORDER BY seq");
  JsonArray *payments = json_array_new ();

  bind_text (stmt, 1, client_ref);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    json_array_add_object_element (payments, payment_from_row (stmt));

  return payments;
}

JsonArray *
pd_sim_ledger_find_payments (PdSimLedger *self,
                             const char  *client_ref)
{
  g_return_val_if_fail (client_ref != NULL, NULL);
  return payments_where (self, client_ref);
}

JsonArray *
pd_sim_ledger_list_payments (PdSimLedger *self)
{
  return payments_where (self, NULL);
}

JsonArray *
pd_sim_ledger_reconciliation (PdSimLedger *self,
                              const char  *business_date,
                              const char  *terminal_id)
{
  g_autoptr(sqlite3_stmt) stmt = prepare (self, "SELECT tender, line_of_business, count(*),"
                                                " sum(amount_cents) FROM payments"
                                                " WHERE business_date = ?1"
                                                " AND (?2 IS NULL OR terminal_id = ?2)"
                                                " AND status IN ('approved', 'accepted',"
                                                "  'pending')"
                                                " GROUP BY tender, line_of_business"
                                                " ORDER BY tender, line_of_business");
  JsonArray *totals = json_array_new ();

  bind_text (stmt, 1, business_date);
  bind_text (stmt, 2, terminal_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      JsonObject *total = json_object_new ();

      json_object_set_string_member (total, "tender", column_text (stmt, 0));
      json_object_set_string_member (total, "line_of_business", column_text (stmt, 1));
      json_object_set_int_member (total, "count", sqlite3_column_int64 (stmt, 2));
      json_object_set_int_member (total, "amount_cents", sqlite3_column_int64 (stmt, 3));
      json_array_add_object_element (totals, total);
    }

  return totals;
}

gint64
pd_sim_ledger_next_sequence (PdSimLedger *self)
{
  g_autoptr(sqlite3_stmt) stmt = prepare (self, "SELECT coalesce (max (seq), 0) + 1 FROM payments");

  return sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 1;
}

/* A reversal for a payment the core never saw: remembered, so that the authorization, if it
 * arrives late, is refused rather than charged. */
gboolean
pd_sim_ledger_add_early_reversal (PdSimLedger  *self,
                                  const char   *client_ref,
                                  const PdSimStoredAnswer *answer,
                                  GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_exec (self->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    return set_error_from_db (self, error);

  stmt = prepare (self, "INSERT OR IGNORE INTO early_reversals VALUES"
                        " (?, strftime ('%Y-%m-%dT%H:%M:%fZ'))");
  bind_text (stmt, 1, client_ref);

  if (sqlite3_step (stmt) != SQLITE_DONE || !insert_answer (self, answer, NULL) ||
      sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    {
      set_error_from_db (self, error);
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }

  return TRUE;
}

gboolean
pd_sim_ledger_was_reversed_early (PdSimLedger *self,
                                  const char  *client_ref)
{
  g_autoptr(sqlite3_stmt) stmt = prepare (self, "SELECT 1 FROM early_reversals"
                                                " WHERE client_ref = ?");

  bind_text (stmt, 1, client_ref);
  return sqlite3_step (stmt) == SQLITE_ROW;
}
