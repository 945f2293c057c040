#include <glib/gi18n-lib.h>

#include "pd-journal-private.h"

/* Each entry brings the schema from the version before it to its own. Never edit a
 * shipped migration: journals in the field have already run it. */
static const char * const migrations[PD_JOURNAL_SCHEMA_VERSION + 1] = {
  [1] =
    "CREATE TABLE payments ("
    "  id TEXT PRIMARY KEY,"
    "  client_ref TEXT NOT NULL UNIQUE,"
    "  idempotency_key TEXT NOT NULL UNIQUE,"
    "  created_at TEXT NOT NULL,"
    "  center_id TEXT NOT NULL,"
    "  terminal_id TEXT NOT NULL,"
    "  operator_id TEXT,"
    "  account_number TEXT NOT NULL,"
    "  line_of_business TEXT NOT NULL,"
    "  invoice_number TEXT,"
    "  amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),"
    "  currency TEXT NOT NULL,"
    "  tender TEXT NOT NULL CHECK (tender IN ('card', 'check', 'bank')),"
    "  tender_brand TEXT,"
    "  tender_last4 TEXT CHECK (tender_last4 IS NULL OR"
    "                           (length (tender_last4) = 4 AND tender_last4 NOT GLOB '*[^0-9]*'))"
    ") STRICT;"
    "CREATE TABLE payment_events ("
    "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  payment_id TEXT NOT NULL REFERENCES payments (id),"
    "  recorded_at TEXT NOT NULL,"
    "  state TEXT NOT NULL,"
    "  confirmation TEXT,"
    "  reason TEXT"
    ") STRICT;"
    "CREATE INDEX payment_events_by_payment ON payment_events (payment_id, seq);",

  /* Business dates for end-of-day reports, and the journal made append-only. */
  [2] =
    "ALTER TABLE payments ADD COLUMN business_date TEXT;"
    "UPDATE payments SET business_date = date (created_at, 'localtime');"
    "CREATE INDEX payments_by_business_date ON payments (business_date, created_at);"
    "CREATE TRIGGER payments_are_append_only BEFORE UPDATE ON payments"
    "  BEGIN SELECT RAISE (ABORT, 'payments are append-only'); END;"
    "CREATE TRIGGER payments_are_kept BEFORE DELETE ON payments"
    "  BEGIN SELECT RAISE (ABORT, 'payments are never deleted'); END;"
    "CREATE TRIGGER payment_events_are_append_only BEFORE UPDATE ON payment_events"
    "  BEGIN SELECT RAISE (ABORT, 'payment events are append-only'); END;"
    "CREATE TRIGGER payment_events_are_kept BEFORE DELETE ON payment_events"
    "  BEGIN SELECT RAISE (ABORT, 'payment events are never deleted'); END;"
    "CREATE VIEW payment_current AS"
    "  SELECT p.id, p.client_ref, p.idempotency_key, p.created_at, p.business_date,"
    "         p.center_id, p.terminal_id, p.operator_id, p.account_number,"
    "         p.line_of_business, p.invoice_number, p.amount_cents, p.currency, p.tender,"
    "         p.tender_brand, p.tender_last4, e.state, e.recorded_at AS updated_at, e.reason,"
    "         (SELECT c.confirmation FROM payment_events c"
    "           WHERE c.payment_id = p.id AND c.confirmation IS NOT NULL"
    "           ORDER BY c.seq DESC LIMIT 1) AS confirmation"
    "    FROM payments p"
    "    JOIN payment_events e"
    "      ON e.seq = (SELECT max (m.seq) FROM payment_events m WHERE m.payment_id = p.id);",

  /* Requests to the payment core, journaled before their first send. Bodies hold sealed
   * blocks and last fours only, never a clear account or card number. */
  [3] =
    "CREATE TABLE core_requests ("
    "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  payment_id TEXT NOT NULL REFERENCES payments (id),"
    "  idempotency_key TEXT NOT NULL UNIQUE,"
    "  method TEXT NOT NULL,"
    "  path TEXT NOT NULL,"
    "  body TEXT,"
    "  recorded_at TEXT NOT NULL"
    ") STRICT;"
    "CREATE INDEX core_requests_by_payment ON core_requests (payment_id, seq);"
    "CREATE TRIGGER core_requests_are_append_only BEFORE UPDATE ON core_requests"
    "  BEGIN SELECT RAISE (ABORT, 'core requests are append-only'); END;"
    "CREATE TRIGGER core_requests_are_kept BEFORE DELETE ON core_requests"
    "  BEGIN SELECT RAISE (ABORT, 'core requests are never deleted'); END;",

  /* What a receipt needs beyond the payment and its requests, and each copy made of it. A
   * fact is superseded by a later one of the same name, never changed. */
  [4] =
    "CREATE TABLE payment_facts ("
    "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  payment_id TEXT NOT NULL REFERENCES payments (id),"
    "  name TEXT NOT NULL CHECK (name IN ('member_name', 'auth_code', 'language',"
    "                                     'authorization_text')),"
    "  value TEXT NOT NULL CHECK (length (value) BETWEEN 1 AND 200),"
    "  recorded_at TEXT NOT NULL"
    ") STRICT;"
    "CREATE INDEX payment_facts_by_payment ON payment_facts (payment_id, name, seq);"
    "CREATE TRIGGER payment_facts_are_append_only BEFORE UPDATE ON payment_facts"
    "  BEGIN SELECT RAISE (ABORT, 'payment facts are append-only'); END;"
    "CREATE TRIGGER payment_facts_are_kept BEFORE DELETE ON payment_facts"
    "  BEGIN SELECT RAISE (ABORT, 'payment facts are never deleted'); END;"
    "CREATE TABLE receipt_copies ("
    "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  payment_id TEXT NOT NULL REFERENCES payments (id),"
    "  made_at TEXT NOT NULL,"
    "  format TEXT NOT NULL CHECK (format IN ('escpos', 'png', 'pdf', 'text', 'email')),"
    "  language TEXT NOT NULL"
    ") STRICT;"
    "CREATE INDEX receipt_copies_by_payment ON receipt_copies (payment_id, seq);"
    "CREATE TRIGGER receipt_copies_are_append_only BEFORE UPDATE ON receipt_copies"
    "  BEGIN SELECT RAISE (ABORT, 'receipt copies are append-only'); END;"
    "CREATE TRIGGER receipt_copies_are_kept BEFORE DELETE ON receipt_copies"
    "  BEGIN SELECT RAISE (ABORT, 'receipt copies are never deleted'); END;",

  /* Receipts to email, and every attempt to hand one to the mail server: the queue that
   * survives a restart, and the record of what a member was sent. The latest attempt says
   * where a message stands; 'sending' is a claim that lapses at next_attempt_at. And the
   * member's signature under a debit authorization (bank payments, converted checks), as
   * pen strokes in their text form (pd-signature.h); signed again, the latest stands. */
  [5] =
    "CREATE TABLE email_requests ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  payment_id TEXT NOT NULL REFERENCES payments (id),"
    "  recipient TEXT NOT NULL CHECK (length (recipient) BETWEEN 3 AND 254),"
    "  language TEXT NOT NULL,"
    "  message_id TEXT NOT NULL UNIQUE,"
    "  requested_at TEXT NOT NULL"
    ") STRICT;"
    "CREATE INDEX email_requests_by_payment ON email_requests (payment_id, id);"
    "CREATE TABLE email_attempts ("
    "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  email_id INTEGER NOT NULL REFERENCES email_requests (id),"
    "  recorded_at TEXT NOT NULL,"
    "  outcome TEXT NOT NULL CHECK (outcome IN ('sending', 'deferred', 'sent', 'failed')),"
    "  smtp_code INTEGER,"
    "  detail TEXT CHECK (detail IS NULL OR length (detail) <= 500),"
    "  next_attempt_at INTEGER"
    ") STRICT;"
    "CREATE INDEX email_attempts_by_email ON email_attempts (email_id, seq);"
    "CREATE TRIGGER email_requests_are_append_only BEFORE UPDATE ON email_requests"
    "  BEGIN SELECT RAISE (ABORT, 'email requests are append-only'); END;"
    "CREATE TRIGGER email_requests_are_kept BEFORE DELETE ON email_requests"
    "  BEGIN SELECT RAISE (ABORT, 'email requests are never deleted'); END;"
    "CREATE TRIGGER email_attempts_are_append_only BEFORE UPDATE ON email_attempts"
    "  BEGIN SELECT RAISE (ABORT, 'email attempts are append-only'); END;"
    "CREATE TRIGGER email_attempts_are_kept BEFORE DELETE ON email_attempts"
    "  BEGIN SELECT RAISE (ABORT, 'email attempts are never deleted'); END;"
    "CREATE TABLE payment_signatures ("
    "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  payment_id TEXT NOT NULL REFERENCES payments (id),"
    "  recorded_at TEXT NOT NULL,"
    "  format TEXT NOT NULL CHECK (format = 'strokes-v1'),"
    "  data TEXT NOT NULL CHECK (length (data) BETWEEN 1 AND 65536)"
    ") STRICT;"
    "CREATE INDEX payment_signatures_by_payment ON payment_signatures (payment_id, seq);"
    "CREATE TRIGGER payment_signatures_are_append_only BEFORE UPDATE ON payment_signatures"
    "  BEGIN SELECT RAISE (ABORT, 'payment signatures are append-only'); END;"
    "CREATE TRIGGER payment_signatures_are_kept BEFORE DELETE ON payment_signatures"
    "  BEGIN SELECT RAISE (ABORT, 'payment signatures are never deleted'); END;",

  /* Who works on a payment now (a payment being taken, a drain, a recovery), so that two
   * workers never send or record the same payment at once. Not a record of anything: a
   * claim is deleted when the work ends, and one whose process has ended or whose lease
   * (Unix time) has lapsed is void. And each payment's latest event, kept by a trigger, so
   * that the current state is read through an index instead of a scan of every event. */
  [6] =
    "CREATE TABLE payment_claims ("
    "  payment_id TEXT PRIMARY KEY REFERENCES payments (id),"
    "  owner TEXT NOT NULL,"
    "  lease_until INTEGER NOT NULL"
    ") STRICT, WITHOUT ROWID;"
    "CREATE TABLE payment_latest ("
    "  payment_id TEXT PRIMARY KEY REFERENCES payments (id),"
    "  seq INTEGER NOT NULL,"
    "  state TEXT NOT NULL,"
    "  confirmation TEXT"
    ") STRICT, WITHOUT ROWID;"
    "CREATE INDEX payment_latest_by_state ON payment_latest (state);"
    "INSERT INTO payment_latest (payment_id, seq, state, confirmation)"
    "  SELECT e.payment_id, e.seq, e.state,"
    "         (SELECT c.confirmation FROM payment_events c"
    "           WHERE c.payment_id = e.payment_id AND c.confirmation IS NOT NULL"
    "           ORDER BY c.seq DESC LIMIT 1)"
    "    FROM payment_events e"
    "   WHERE e.seq = (SELECT max (m.seq) FROM payment_events m WHERE m.payment_id = e.payment_id);"
    "CREATE TRIGGER payment_events_keep_latest AFTER INSERT ON payment_events"
    "  BEGIN"
    "    INSERT INTO payment_latest (payment_id, seq, state, confirmation)"
    "      VALUES (NEW.payment_id, NEW.seq, NEW.state, NEW.confirmation)"
    "      ON CONFLICT (payment_id) DO UPDATE SET seq = excluded.seq, state = excluded.state,"
    "        confirmation = coalesce (excluded.confirmation, payment_latest.confirmation);"
    "  END;"
    "ALTER TABLE payments ADD COLUMN training INTEGER"
    "  CHECK (training IS NULL OR training IN (0, 1));"
    "DROP VIEW payment_current;"
    "CREATE VIEW payment_current AS"
    "  SELECT p.id, p.client_ref, p.idempotency_key, p.created_at, p.business_date,"
    "         p.center_id, p.terminal_id, p.operator_id, p.account_number,"
    "         p.line_of_business, p.invoice_number, p.amount_cents, p.currency, p.tender,"
    "         p.tender_brand, p.tender_last4, l.state, e.recorded_at AS updated_at, e.reason,"
    "         l.confirmation, p.training"
    "    FROM payments p"
    "    JOIN payment_latest l ON l.payment_id = p.id"
    "    JOIN payment_events e ON e.seq = l.seq;"
  /* And the sealed card data (PAN, track 2 equivalent) that earlier versions journaled
   * with each card authorization goes: nothing is kept of a card after its authorization,
   * not even sealed (PCI DSS 3.3.1). The journal opens with secure_delete, so the old bytes
   * are overwritten, and its WAL is truncated once the migration is done. */
    "DROP TRIGGER core_requests_are_append_only;"
    "UPDATE core_requests SET body = json_remove (body, '$.tender.sealed')"
    "  WHERE path = '/v1/payments' AND json_valid (body)"
    "    AND json_extract (body, '$.tender.kind') = 'card'"
    "    AND json_extract (body, '$.tender.sealed') IS NOT NULL;"
    "CREATE TRIGGER core_requests_are_append_only BEFORE UPDATE ON core_requests"
    "  BEGIN SELECT RAISE (ABORT, 'core requests are append-only'); END;"
  /* Voids and refunds are journaled before they are sent and sent again, with their keys,
   * until the core answers: the few there are, found without reading every request. */
    "CREATE INDEX core_requests_undoing ON core_requests (payment_id)"
    "  WHERE path = '/v1/refunds' OR path LIKE '%/void';"
  /* Training is unmistakable: the journal says whose it is (mode: training or production,
   * set by the first terminal that opens it), and each payment whether it was taken in
   * training (NULL for those taken before: they are what the journal is). */
    "CREATE TABLE journal_settings ("
    "  name TEXT PRIMARY KEY CHECK (name IN ('mode')),"
    "  value TEXT NOT NULL"
    ") STRICT, WITHOUT ROWID;"
    "CREATE TRIGGER journal_settings_are_kept BEFORE UPDATE ON journal_settings"
    "  BEGIN SELECT RAISE (ABORT, 'journal settings are set once'); END;"
    "CREATE TRIGGER journal_settings_stay BEFORE DELETE ON journal_settings"
    "  BEGIN SELECT RAISE (ABORT, 'journal settings are never deleted'); END;",

  /* Who works the counters, and what they did. An associate is disabled, never deleted
   * (the audit log names them); the PIN is kept only as an argon2id hash. The audit log is
   * append-only, each event chained to the one before it (pd-audit-event.h), so that one
   * taken out or changed behind the triggers' back shows in "journal verify". */
  [7] =
    "CREATE TABLE associates ("
    "  id TEXT PRIMARY KEY CHECK (length (id) BETWEEN 2 AND 16),"
    "  display_name TEXT NOT NULL CHECK (length (display_name) BETWEEN 1 AND 60),"
    "  role TEXT NOT NULL CHECK (role IN ('associate', 'supervisor')),"
    "  pin_hash TEXT NOT NULL CHECK (pin_hash GLOB '$argon2id$*'),"
    "  enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),"
    "  failed_attempts INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),"
    "  locked_until INTEGER NOT NULL DEFAULT 0,"
    "  created_at TEXT NOT NULL"
    ") STRICT, WITHOUT ROWID;"
    "CREATE TRIGGER associates_are_kept BEFORE DELETE ON associates"
    "  BEGIN SELECT RAISE (ABORT, 'associates are disabled, never deleted'); END;"
    "CREATE TRIGGER associates_keep_their_id BEFORE UPDATE OF id, created_at ON associates"
    "  BEGIN SELECT RAISE (ABORT, 'an associate keeps their ID'); END;"
    "CREATE TABLE audit_events ("
    "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  recorded_at TEXT NOT NULL,"
    "  business_date TEXT NOT NULL,"
    "  terminal_id TEXT NOT NULL,"
    "  source TEXT NOT NULL CHECK (source IN ('paydesk', 'paydesk-ctl')),"
    "  kind TEXT NOT NULL,"
    "  associate_id TEXT,"
    "  approver_id TEXT,"
    "  payment_id TEXT,"
    "  detail TEXT CHECK (detail IS NULL OR length (detail) <= 500),"
    "  chain TEXT NOT NULL CHECK (length (chain) = 64)"
    ") STRICT;"
    "CREATE INDEX audit_events_by_date ON audit_events (business_date, seq);"
    "CREATE INDEX audit_events_by_associate ON audit_events (associate_id, seq);"
    "CREATE TRIGGER audit_events_are_append_only BEFORE UPDATE ON audit_events"
    "  BEGIN SELECT RAISE (ABORT, 'audit events are append-only'); END;"
    "CREATE TRIGGER audit_events_are_kept BEFORE DELETE ON audit_events"
    "  BEGIN SELECT RAISE (ABORT, 'audit events are never deleted'); END;",
};

gboolean
_pd_journal_migrate (sqlite3  *db,
                     int       from_version,
                     int       to_version,
                     GError  **error)
{
  g_return_val_if_fail (from_version >= 0 && to_version <= PD_JOURNAL_SCHEMA_VERSION, FALSE);

  for (int version = from_version + 1; version <= to_version; version++)
    {
      g_autofree char *sql = g_strdup_printf ("BEGIN IMMEDIATE;%s PRAGMA user_version = %d; COMMIT;",
                                              migrations[version], version);
      char *message = NULL;

      if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
        {
          g_set_error (error, PD_JOURNAL_ERROR, PD_JOURNAL_ERROR_FAILED,
                       _("Could not update the journal to schema version %d: %s"),
                       version, message);
          sqlite3_free (message);
          sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
    }

  return TRUE;
}
