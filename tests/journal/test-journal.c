/* memmem */
#define _GNU_SOURCE

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "pd-business-date.h"
#include "pd-journal-private.h"
#include "pd-test-common.h"
#include "pd-test-pans.h"

#define CRASH_DIR_ENV "PD_TEST_CRASH_DIR"

typedef struct {
  PdTestDir tmp;
  char *path;
  PdAccount *account;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  pd_test_dir_set_up (&fixture->tmp, data);
  fixture->path = g_build_filename (fixture->tmp.dir, "journal.sqlite3", NULL);
  fixture->account = pd_test_account_new ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_free (fixture->path);
  g_clear_object (&fixture->account);
  pd_test_dir_tear_down (&fixture->tmp, data);
}

static PdJournal *
open_journal (const char *path)
{
  g_autoptr(GError) error = NULL;
  PdJournal *journal = pd_journal_open (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (journal);
  return journal;
}

static void
record (PdJournal *journal,
        PdPayment *payment)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pd_journal_record_payment (journal, payment, NULL, &error));
  g_assert_no_error (error);
}

static void
transition (PdJournal      *journal,
            PdPayment      *payment,
            PdPaymentState  state,
            const char     *confirmation)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pd_journal_record_transition (journal, payment, state, confirmation, NULL,
                                               &error));
  g_assert_no_error (error);
  g_assert_cmpint (pd_payment_get_state (payment), ==, state);
}

static void
assert_sound (PdJournal *journal)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = pd_journal_verify (journal, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("problem: %s", (char *) g_ptr_array_index (problems, i));
  g_assert_cmpuint (problems->len, ==, 0);
}

static sqlite3 *
open_raw (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  return db;
}

static int
raw_exec (sqlite3    *db,
          const char *sql)
{
  return sqlite3_exec (db, sql, NULL, NULL, NULL);
}

static char *
raw_text (sqlite3    *db,
          const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *text = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return text;
}

static void
test_record_and_reopen (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(PdJournal) journal = open_journal (fixture->path);
  g_autoptr(PdPayment) payment = pd_test_payment_new (fixture->account, 7500, PD_TENDER_CARD);
  g_autoptr(PdJournal) reopened = NULL;
  g_autoptr(PdPayment) reloaded = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  static const PdPaymentState expected[] = {
    PD_PAYMENT_STATE_CREATED, PD_PAYMENT_STATE_AUTHORIZING, PD_PAYMENT_STATE_APPROVED,
    PD_PAYMENT_STATE_COMPLETED,
  };

  g_assert_true (pd_payment_set_tender_display (payment, "Visa", "0010", NULL));
  record (journal, payment);
  transition (journal, payment, PD_PAYMENT_STATE_AUTHORIZING, NULL);
  transition (journal, payment, PD_PAYMENT_STATE_APPROVED, "CNF-884211");
  transition (journal, payment, PD_PAYMENT_STATE_COMPLETED, NULL);
  g_assert_cmpint (pd_journal_get_schema_version (journal), ==, PD_JOURNAL_SCHEMA_VERSION);
  g_clear_object (&journal);

  reopened = open_journal (fixture->path);
  reloaded = pd_journal_get_payment (reopened, pd_payment_get_id (payment), &error);
  g_assert_no_error (error);

  g_assert_cmpint (pd_payment_get_state (reloaded), ==, PD_PAYMENT_STATE_COMPLETED);
  g_assert_cmpstr (pd_payment_get_confirmation (reloaded), ==, "CNF-884211");
  g_assert_cmpstr (pd_payment_get_idempotency_key (reloaded), ==,
                   pd_payment_get_idempotency_key (payment));
  g_assert_cmpstr (pd_payment_get_client_ref (reloaded), ==, pd_payment_get_client_ref (payment));
  g_assert_cmpint (pd_payment_get_amount (reloaded), ==, 7500);
  g_assert_cmpstr (pd_payment_get_tender_last4 (reloaded), ==, "0010");
  g_assert_cmpstr (pd_payment_get_tender_brand (reloaded), ==, "Visa");
  g_assert_cmpint (pd_payment_get_line_of_business (reloaded), ==,
                   PD_LINE_OF_BUSINESS_ESSENTIAL_PLAN);
  g_assert_true (g_date_time_equal (pd_payment_get_created_at (reloaded),
                                    pd_payment_get_created_at (payment)));
  g_assert_cmpint (g_date_compare (pd_payment_get_business_date (reloaded),
                                   pd_payment_get_business_date (payment)), ==, 0);

  events = pd_journal_list_events (reopened, pd_payment_get_id (payment), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < events->len; i++)
    {
      PdJournalEvent *event = g_ptr_array_index (events, i);

      g_assert_cmpint (event->state, ==, expected[i]);
      if (i > 0)
        g_assert_cmpint (event->seq, >, ((PdJournalEvent *) g_ptr_array_index (events, i - 1))->seq);
    }

  assert_sound (reopened);
}

static void
test_durability_settings (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(PdJournal) journal = open_journal (fixture->path);
  sqlite3 *db = open_raw (fixture->path);
  g_autofree char *mode = raw_text (db, "PRAGMA journal_mode");
  g_autofree char *application_id = raw_text (db, "PRAGMA application_id");

  g_assert_cmpstr (mode, ==, "wal");
  g_assert_cmpstr (application_id, ==, "1348027475");
  sqlite3_close (db);
}

static void
test_forbidden_transitions (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(PdJournal) journal = open_journal (fixture->path);
  g_autoptr(PdPayment) card = pd_test_payment_new (fixture->account, 100, PD_TENDER_CARD);
  g_autoptr(PdPayment) stale = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) skip = NULL;
  g_autoptr(GError) queue_card = NULL;
  g_autoptr(GError) twice = NULL;
  g_autoptr(GError) unknown = NULL;
  g_autoptr(PdPayment) never_recorded = pd_test_payment_new (fixture->account, 100,
                                                             PD_TENDER_BANK);

  record (journal, card);

  g_assert_false (pd_journal_record_transition (journal, card, PD_PAYMENT_STATE_COMPLETED,
                                                NULL, NULL, &skip));
  g_assert_error (skip, PD_PAYMENT_STATE_ERROR, PD_PAYMENT_STATE_ERROR_FORBIDDEN);
  g_assert_false (pd_journal_record_transition (journal, card, PD_PAYMENT_STATE_QUEUED,
                                                NULL, NULL, &queue_card));
  g_assert_error (queue_card, PD_PAYMENT_STATE_ERROR, PD_PAYMENT_STATE_ERROR_FORBIDDEN);
  g_assert_cmpint (pd_payment_get_state (card), ==, PD_PAYMENT_STATE_CREATED);

  /* A second holder of the same payment, loaded before the first one moved it on. */
  stale = pd_journal_get_payment (journal, pd_payment_get_id (card), NULL);
  transition (journal, card, PD_PAYMENT_STATE_AUTHORIZING, NULL);
  transition (journal, card, PD_PAYMENT_STATE_DECLINED, NULL);
  g_assert_false (pd_journal_record_transition (journal, stale, PD_PAYMENT_STATE_AUTHORIZING,
                                                NULL, NULL, &twice));
  g_assert_error (twice, PD_PAYMENT_STATE_ERROR, PD_PAYMENT_STATE_ERROR_FORBIDDEN);

  g_assert_false (pd_journal_record_transition (journal, never_recorded,
                                                PD_PAYMENT_STATE_AUTHORIZING, NULL, NULL,
                                                &unknown));
  g_assert_error (unknown, PD_JOURNAL_ERROR, PD_JOURNAL_ERROR_NOT_FOUND);

  events = pd_journal_list_events (journal, pd_payment_get_id (card), NULL);
  g_assert_cmpuint (events->len, ==, 3);
  assert_sound (journal);
}

static void
test_duplicate_payment (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(PdJournal) journal = open_journal (fixture->path);
  g_autoptr(PdPayment) payment = pd_test_payment_new (fixture->account, 100, PD_TENDER_CHECK);
  g_autoptr(GPtrArray) payments = NULL;
  g_autoptr(GError) error = NULL;

  record (journal, payment);
  g_assert_false (pd_journal_record_payment (journal, payment, NULL, &error));
  g_assert_error (error, PD_JOURNAL_ERROR, PD_JOURNAL_ERROR_DUPLICATE);

  payments = pd_journal_list_payments (journal, NULL, NULL);
  g_assert_cmpuint (payments->len, ==, 1);
}

static void
test_append_only (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(PdJournal) journal = open_journal (fixture->path);
  g_autoptr(PdPayment) payment = pd_test_payment_new (fixture->account, 100, PD_TENDER_CARD);
  sqlite3 *db;

  record (journal, payment);

  db = open_raw (fixture->path);
  g_assert_cmpint (raw_exec (db, "UPDATE payments SET amount_cents = 1"), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_exec (db, "DELETE FROM payments"), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_exec (db, "UPDATE payment_events SET state = 'completed'"), ==,
                   SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_exec (db, "DELETE FROM payment_events"), ==, SQLITE_CONSTRAINT);

  /* The schema itself refuses more than four digits of a card or account. */
  g_assert_cmpint (raw_exec (db,
                             "INSERT INTO payments (id, client_ref, idempotency_key, created_at,"
                             " center_id, terminal_id, account_number, line_of_business,"
                             " amount_cents, currency, tender, tender_last4) VALUES"
                             " ('x', 'x', 'x', '2026-11-23T10:00:00Z', 'C', 'T', '1', 'qhp', 1,"
                             " 'USD', 'card', '" PD_TEST_PAN_VISA "')"), ==, SQLITE_CONSTRAINT);
  sqlite3_close (db);

  assert_sound (journal);
}

static void
crash_now (gpointer user_data)
{
  _exit (3);
}

/* Runs in a child process that dies just before COMMIT, as on a power cut. */
static void
crash_child (Fixture *fixture)
{
  const char *dir = g_getenv (CRASH_DIR_ENV);
  g_autofree char *path = g_build_filename (dir, "journal.sqlite3", NULL);
  g_autofree char *committed_path = g_build_filename (dir, "committed-id", NULL);
  g_autoptr(PdAccount) account = pd_test_account_new ();
  g_autoptr(PdJournal) journal = open_journal (path);
  g_autoptr(PdPayment) committed = pd_test_payment_new (account, 7500, PD_TENDER_BANK);
  g_autoptr(PdPayment) lost = pd_test_payment_new (account, 9900, PD_TENDER_BANK);

  /* The child dies without tearing down; its own fixture folder is not needed. */
  pd_test_remove_tree (fixture->tmp.dir);
  record (journal, committed);
  transition (journal, committed, PD_PAYMENT_STATE_AUTHORIZING, NULL);
  pd_test_write_file (committed_path, pd_payment_get_id (committed));

  _pd_journal_set_before_commit_hook (journal, crash_now, NULL);
  if (g_strcmp0 (g_getenv ("PD_TEST_CRASH_STEP"), "transition") == 0)
    pd_journal_record_transition (journal, committed, PD_PAYMENT_STATE_APPROVED, "LOST", NULL,
                                  NULL);
  else
    pd_journal_record_payment (journal, lost, NULL, NULL);

  g_assert_not_reached ();
}

static void
run_crash (Fixture    *fixture,
           const char *step)
{
  g_setenv (CRASH_DIR_ENV, fixture->tmp.dir, TRUE);
  g_setenv ("PD_TEST_CRASH_STEP", step, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_unsetenv (CRASH_DIR_ENV);
  g_unsetenv ("PD_TEST_CRASH_STEP");
  g_test_trap_assert_failed ();
}

static void
test_crash_before_commit (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(PdJournal) journal = NULL;
  g_autoptr(GPtrArray) payments = NULL;
  g_autoptr(PdPayment) after = NULL;
  g_autofree char *committed_id = NULL;
  g_autofree char *committed_path = NULL;
  PdPayment *survivor;

  if (g_test_subprocess ())
    {
      crash_child (fixture);
      return;
    }

  run_crash (fixture, (const char *) data);

  committed_path = g_build_filename (fixture->tmp.dir, "committed-id", NULL);
  g_assert_true (g_file_get_contents (committed_path, &committed_id, NULL, NULL));

  journal = open_journal (fixture->path);
  assert_sound (journal);
  payments = pd_journal_list_payments (journal, NULL, NULL);

  /* What was committed survived as committed; the half-written record left no trace. */
  g_assert_cmpuint (payments->len, ==, 1);
  survivor = g_ptr_array_index (payments, 0);
  g_assert_cmpstr (pd_payment_get_id (survivor), ==, committed_id);
  g_assert_cmpint (pd_payment_get_state (survivor), ==, PD_PAYMENT_STATE_AUTHORIZING);
  g_assert_null (pd_payment_get_confirmation (survivor));

  /* And the journal takes payments again. */
  after = pd_test_payment_new (fixture->account, 100, PD_TENDER_CARD);
  record (journal, after);
  transition (journal, survivor, PD_PAYMENT_STATE_APPROVED, "CNF-1");
  assert_sound (journal);
}

static void
test_migration_from_v1 (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdJournal) old = _pd_journal_open_at_version (fixture->path, 1, &error);
  g_autoptr(PdJournal) journal = NULL;
  g_autoptr(PdPayment) payment = NULL;
  g_autoptr(PdPayment) fresh = NULL;
  g_autofree char *business_date = NULL;
  sqlite3 *db;

  g_assert_no_error (error);
  g_assert_cmpint (pd_journal_get_schema_version (old), ==, 1);
  g_clear_object (&old);

  /* A payment as version 1 wrote it, taken at 21:30 in New York (02:30 UTC next day). */
  db = open_raw (fixture->path);
  g_assert_cmpint (raw_exec (db,
                             "INSERT INTO payments (id, client_ref, idempotency_key, created_at,"
                             " center_id, terminal_id, account_number, line_of_business,"
                             " amount_cents, currency, tender) VALUES"
                             " ('p-1', 'K-07-ABC', 'key-1', '2026-11-24T02:30:00Z', 'NYC-0042',"
                             " 'K-07', '400123456789', 'essential', 7500, 'USD', 'bank');"
                             "INSERT INTO payment_events (payment_id, recorded_at, state) VALUES"
                             " ('p-1', '2026-11-24T02:30:00Z', 'created'),"
                             " ('p-1', '2026-11-24T02:30:01Z', 'queued');"), ==, SQLITE_OK);
  sqlite3_close (db);

  journal = open_journal (fixture->path);
  g_assert_cmpint (pd_journal_get_schema_version (journal), ==, PD_JOURNAL_SCHEMA_VERSION);

  payment = pd_journal_get_payment (journal, "p-1", &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_payment_get_state (payment), ==, PD_PAYMENT_STATE_QUEUED);
  g_assert_cmpint (pd_payment_get_amount (payment), ==, 7500);
  business_date = pd_business_date_to_string (pd_payment_get_business_date (payment));
  g_assert_cmpstr (business_date, ==, "2026-11-23");

  /* The migrated journal goes on working, with the version 2 guards in force. */
  transition (journal, payment, PD_PAYMENT_STATE_AUTHORIZING, NULL);
  fresh = pd_test_payment_new (fixture->account, 100, PD_TENDER_CARD);
  record (journal, fresh);
  db = open_raw (fixture->path);
  g_assert_cmpint (raw_exec (db, "DELETE FROM payments"), ==, SQLITE_CONSTRAINT);
  sqlite3_close (db);
  assert_sound (journal);
}

static gboolean
file_holds (const char *path,
            const char *needle)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  return g_file_get_contents (path, &contents, &length, NULL) &&
         memmem (contents, length, needle, strlen (needle)) != NULL;
}

/* A journal from before schema 6 kept each card authorization whole, sealed card data
 * included: the migration takes it out, and leaves no copy of it in the file or its WAL.
 * A bank payment's sealed account number stays: the outbox may have to send it again. */
static void
test_migration_drops_card_data (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdJournal) old = _pd_journal_open_at_version (fixture->path, 5, &error);
  g_autoptr(PdJournal) journal = NULL;
  g_autoptr(PdJournalRequest) card = NULL;
  g_autoptr(PdJournalRequest) bank = NULL;
  g_autofree char *wal = g_strconcat (fixture->path, "-wal", NULL);
  sqlite3 *db;

  g_assert_no_error (error);
  g_clear_object (&old);

  db = open_raw (fixture->path);
  g_assert_cmpint (raw_exec (db,
                             "INSERT INTO payments (id, client_ref, idempotency_key, created_at,"
                             " business_date, center_id, terminal_id, account_number,"
                             " line_of_business, amount_cents, currency, tender) VALUES"
                             " ('c-1', 'K-07-CARD', 'key-c', '2026-11-24T15:00:00Z', '2026-11-24',"
                             " 'NYC-0042', 'K-07', '400123456789', 'essential', 7500, 'USD', 'card'),"
                             " ('b-1', 'K-07-BANK', 'key-b', '2026-11-24T15:01:00Z', '2026-11-24',"
                             " 'NYC-0042', 'K-07', '400123456789', 'essential', 7500, 'USD', 'bank');"
                             "INSERT INTO payment_events (payment_id, recorded_at, state) VALUES"
                             " ('c-1', '2026-11-24T15:00:00Z', 'created'),"
                             " ('b-1', '2026-11-24T15:01:00Z', 'created');"
                             "INSERT INTO core_requests (payment_id, idempotency_key, method, path,"
                             " body, recorded_at) VALUES"
                             " ('c-1', 'key-c', 'POST', '/v1/payments', '{\"client_ref\":"
                             "\"K-07-CARD\",\"tender\":{\"kind\":\"card\",\"aid\":"
                             "\"A0000000031010\",\"sealed\":\"CARDSEALEDTRACKTWOCARDSEALED\"}}',"
                             " '2026-11-24T15:00:00Z'),"
                             " ('b-1', 'key-b', 'POST', '/v1/payments', '{\"client_ref\":"
                             "\"K-07-BANK\",\"tender\":{\"kind\":\"bank\",\"sealed\":"
                             "\"BANKSEALEDACCOUNTNUMBER\"}}', '2026-11-24T15:01:00Z');"),
                   ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_true (file_holds (fixture->path, "CARDSEALEDTRACKTWO") ||
                 file_holds (wal, "CARDSEALEDTRACKTWO"));

  journal = open_journal (fixture->path);
  card = pd_journal_get_first_request (journal, "c-1", &error);
  g_assert_no_error (error);
  bank = pd_journal_get_first_request (journal, "b-1", &error);
  g_assert_no_error (error);

  g_assert_null (strstr (card->body, "sealed"));
  g_assert_nonnull (strstr (card->body, "A0000000031010"));
  g_assert_nonnull (strstr (bank->body, "BANKSEALEDACCOUNTNUMBER"));
  g_assert_false (file_holds (fixture->path, "CARDSEALEDTRACKTWO"));
  g_assert_false (file_holds (wal, "CARDSEALEDTRACKTWO"));

  /* Requests stay append-only after it. */
  db = open_raw (fixture->path);
  g_assert_cmpint (raw_exec (db, "UPDATE core_requests SET body = NULL"), ==, SQLITE_CONSTRAINT);
  sqlite3_close (db);
  assert_sound (journal);
}

static void
test_newer_schema_refused (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(PdJournal) journal = open_journal (fixture->path);
  g_autoptr(GError) error = NULL;
  sqlite3 *db;

  g_clear_object (&journal);
  db = open_raw (fixture->path);
  g_assert_cmpint (raw_exec (db, "PRAGMA user_version = 99"), ==, SQLITE_OK);
  sqlite3_close (db);

  g_assert_null (pd_journal_open (fixture->path, &error));
  g_assert_error (error, PD_JOURNAL_ERROR, PD_JOURNAL_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "99"));
}

static void
test_garbage_file (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) garbage = g_string_new (NULL);

  for (int i = 0; i < 8192; i++)
    g_string_append_c (garbage, (char) ((i * 7919) % 251));
  g_assert_true (g_file_set_contents (fixture->path, garbage->str, garbage->len, NULL));

  g_assert_null (pd_journal_open (fixture->path, &error));
  g_assert_error (error, PD_JOURNAL_ERROR, PD_JOURNAL_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, fixture->path));
}

/* A journal whose pages were overwritten on disk: opening or verifying says so. */
static void
test_damaged_pages (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(PdJournal) journal = open_journal (fixture->path);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  gsize length;
  sqlite3 *db;

  for (int i = 0; i < 200; i++)
    {
      g_autoptr(PdPayment) payment = pd_test_payment_new (fixture->account, 100 + i,
                                                          PD_TENDER_CHECK);
      record (journal, payment);
    }
  g_clear_object (&journal);

  /* Fold the WAL into the main file so that the damage below hits the only copy. */
  db = open_raw (fixture->path);
  g_assert_cmpint (raw_exec (db, "PRAGMA wal_checkpoint(TRUNCATE)"), ==, SQLITE_OK);
  sqlite3_close (db);

  g_assert_true (g_file_get_contents (fixture->path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 8 * 4096);
  memset (contents + 4 * 4096, 0x5a, 2 * 4096);
  g_assert_true (g_file_set_contents (fixture->path, contents, length, NULL));

  journal = pd_journal_open (fixture->path, &error);
  if (journal == NULL)
    {
      g_assert_error (error, PD_JOURNAL_ERROR, PD_JOURNAL_ERROR_CORRUPT);
      return;
    }

  problems = pd_journal_verify (journal, &error);
  if (problems == NULL)
    g_assert_error (error, PD_JOURNAL_ERROR, PD_JOURNAL_ERROR_CORRUPT);
  else
    g_assert_cmpuint (problems->len, >, 0);
}

static void
test_not_a_journal (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  sqlite3 *db = open_raw (fixture->path);

  g_assert_cmpint (raw_exec (db, "CREATE TABLE recipes (name TEXT)"), ==, SQLITE_OK);
  sqlite3_close (db);

  g_assert_null (pd_journal_open (fixture->path, &error));
  g_assert_error (error, PD_JOURNAL_ERROR, PD_JOURNAL_ERROR_NOT_A_JOURNAL);
}

static void
test_disk_full (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(PdJournal) journal = open_journal (fixture->path);
  g_autoptr(GPtrArray) payments = NULL;
  g_autoptr(GError) error = NULL;
  guint recorded = 0;
  char *page_count;
  sqlite3 *db;

  db = open_raw (fixture->path);
  page_count = raw_text (db, "PRAGMA page_count");
  sqlite3_close (db);

  /* The file may grow by a page or two, then the "disk" is full. */
  _pd_journal_limit_pages (journal, atoi (page_count) + 2);
  g_free (page_count);

  for (int i = 0; i < 10000 && error == NULL; i++)
    {
      g_autoptr(PdPayment) payment = pd_test_payment_new (fixture->account, 100,
                                                          PD_TENDER_BANK);

      if (pd_journal_record_payment (journal, payment, NULL, &error))
        recorded++;
    }

  g_assert_error (error, PD_JOURNAL_ERROR, PD_JOURNAL_ERROR_FULL);
  g_assert_nonnull (strstr (error->message, "full"));
  g_assert_cmpuint (recorded, >, 0);

  /* Everything recorded before the disk filled up is intact, and nothing half-written. */
  payments = pd_journal_list_payments (journal, NULL, NULL);
  g_assert_cmpuint (payments->len, ==, recorded);
  assert_sound (journal);
}

static void
test_list_by_business_date (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(PdJournal) journal = open_journal (fixture->path);
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("America/New_York");
  g_autoptr(GDateTime) monday = g_date_time_new (zone, 2026, 11, 23, 10, 0, 0);
  g_autoptr(GDateTime) monday_evening = g_date_time_new (zone, 2026, 11, 23, 19, 30, 0);
  g_autoptr(GDateTime) tuesday = g_date_time_new (zone, 2026, 11, 24, 9, 0, 0);
  GDateTime *times[] = { monday, monday_evening, tuesday };
  PdPaymentOrigin origin = pd_test_origin;
  g_autoptr(GPtrArray) on_monday = NULL;
  g_autoptr(GPtrArray) on_tuesday = NULL;
  g_autoptr(GPtrArray) all = NULL;
  GDate date;

  origin.business_day_cutoff_minutes = 19 * 60;
  for (gsize i = 0; i < G_N_ELEMENTS (times); i++)
    {
      g_autoptr(PdPayment) payment = pd_payment_new (&origin, fixture->account, NULL, 100,
                                                     PD_TENDER_CARD, times[i], NULL);
      record (journal, payment);
    }

  g_assert_true (pd_business_date_parse ("2026-11-23", &date));
  on_monday = pd_journal_list_payments (journal, &date, NULL);
  g_assert_true (pd_business_date_parse ("2026-11-24", &date));
  on_tuesday = pd_journal_list_payments (journal, &date, NULL);
  all = pd_journal_list_payments (journal, NULL, NULL);

  g_assert_cmpuint (on_monday->len, ==, 1);
  g_assert_cmpuint (on_tuesday->len, ==, 2);
  g_assert_cmpuint (all->len, ==, 3);
  g_assert_true (g_date_time_equal (pd_payment_get_created_at (g_ptr_array_index (all, 0)),
                                    monday));
}

#define N_THREADS 4
#define PAYMENTS_PER_THREAD 25

static gpointer
record_from_thread (gpointer data)
{
  PdJournal *journal = data;
  g_autoptr(PdAccount) account = pd_test_account_new ();

  for (int i = 0; i < PAYMENTS_PER_THREAD; i++)
    {
      g_autoptr(PdPayment) payment = pd_test_payment_new (account, 100, PD_TENDER_CARD);

      if (!pd_journal_record_payment (journal, payment, NULL, NULL) ||
          !pd_journal_record_transition (journal, payment, PD_PAYMENT_STATE_AUTHORIZING, NULL,
                                         NULL, NULL))
        return GINT_TO_POINTER (FALSE);
    }

  return GINT_TO_POINTER (TRUE);
}

static void
test_concurrent_writers (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(PdJournal) journal = open_journal (fixture->path);
  g_autoptr(GPtrArray) payments = NULL;
  GThread *threads[N_THREADS];

  for (int i = 0; i < N_THREADS; i++)
    threads[i] = g_thread_new ("writer", record_from_thread, journal);
  for (int i = 0; i < N_THREADS; i++)
    g_assert_true (GPOINTER_TO_INT (g_thread_join (threads[i])));

  payments = pd_journal_list_payments (journal, NULL, NULL);
  g_assert_cmpuint (payments->len, ==, N_THREADS * PAYMENTS_PER_THREAD);
  assert_sound (journal);
}

static void
test_unwritable_location (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *blocker = g_build_filename (fixture->tmp.dir, "not-a-dir", NULL);
  g_autofree char *path = g_build_filename (blocker, "journal.sqlite3", NULL);

  pd_test_write_file (blocker, "a file where the data folder should be");
  g_assert_null (pd_journal_open (path, &error));
  g_assert_error (error, PD_JOURNAL_ERROR, PD_JOURNAL_ERROR_OPEN);
  g_assert_nonnull (strstr (error->message, blocker));
}

/* One worker at a time on a payment: another journal (a drain in another program) cannot
 * claim what this one holds; released, or held by a process that has ended, it can. */
static void
test_claims (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(PdJournal) kiosk = open_journal (fixture->path);
  g_autoptr(PdJournal) drain = open_journal (fixture->path);
  g_autoptr(PdPayment) taken = pd_test_payment_new (fixture->account, 2500, PD_TENDER_BANK);
  g_autoptr(PdPayment) orphan = pd_test_payment_new (fixture->account, 3500, PD_TENDER_BANK);
  g_autoptr(GPtrArray) both = g_ptr_array_new ();
  g_autoptr(GPtrArray) claimed = NULL;
  g_autoptr(GPtrArray) unresolved = NULL;
  g_autoptr(GError) error = NULL;
  PdCoreRequest request = { "POST", "/v1/payments", NULL, "{}" };
  PdJournalOutcome done = {
    .states = { PD_PAYMENT_STATE_APPROVED, PD_PAYMENT_STATE_COMPLETED }, .n_states = 2,
    .confirmation = "CNF-9", .release_claim = TRUE,
  };
  int status = 0;
  pid_t child;

  request.idempotency_key = pd_payment_get_idempotency_key (taken);
  g_assert_true (pd_journal_begin_payment (kiosk, taken, &request, "ppd-2026-01", &error));
  g_assert_no_error (error);
  g_assert_cmpint (pd_payment_get_state (taken), ==, PD_PAYMENT_STATE_AUTHORIZING);

  /* The payment in flight is the kiosk's: a drain leaves it alone, and verify does not call
   * it unresolved while the kiosk works on it. */
  g_ptr_array_add (both, taken);
  claimed = pd_journal_claim_payments (drain, both, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (claimed->len, ==, 0);
  g_clear_pointer (&claimed, g_ptr_array_unref);
  g_assert_true (pd_journal_payment_is_claimed (drain, pd_payment_get_id (taken), &error));
  unresolved = pd_journal_list_unresolved (drain, &error);
  g_assert_cmpuint (unresolved->len, ==, 0);
  g_clear_pointer (&unresolved, g_ptr_array_unref);

  /* Its outcome ends the claim, in the same commit. */
  g_assert_true (pd_journal_record_outcome (kiosk, taken, &done, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pd_payment_get_state (taken), ==, PD_PAYMENT_STATE_COMPLETED);
  g_assert_false (pd_journal_payment_is_claimed (drain, pd_payment_get_id (taken), &error));

  /* A process that claims and dies: its claim is void at once, not after the lease. */
  record (kiosk, orphan);
  child = fork ();
  g_assert_cmpint (child, >=, 0);
  if (child == 0)
    {
      g_autoptr(PdJournal) doomed = pd_journal_open (fixture->path, NULL);

      _exit (doomed != NULL && pd_journal_claim_payment (doomed, orphan, NULL) ? 0 : 1);
    }
  g_assert_cmpint (waitpid (child, &status, 0), ==, child);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);

  unresolved = pd_journal_list_unresolved (drain, &error);
  g_assert_cmpuint (unresolved->len, ==, 1);
  g_assert_cmpstr (pd_payment_get_id (g_ptr_array_index (unresolved, 0)), ==,
                   pd_payment_get_id (orphan));
  g_assert_true (pd_journal_claim_payment (drain, orphan, &error));
  g_assert_false (pd_journal_claim_payment (kiosk, orphan, &error));
  g_assert_no_error (error);
  g_assert_true (pd_journal_release_payment (drain, orphan, &error));
  g_assert_true (pd_journal_claim_payment (kiosk, orphan, &error));
  assert_sound (kiosk);
}

/* Members and their accounts are in the journal: its folder is the Paydesk user's alone, and
 * the journal, its WAL and shared memory are readable by their owner only, also when an older
 * Paydesk left them otherwise. */
static void
test_private_files (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *open_dir = g_build_filename (fixture->tmp.dir, "shared", NULL);
  g_autofree char *open_path = g_build_filename (open_dir, "journal.sqlite3", NULL);
  g_autofree char *private_dir = g_build_filename (fixture->tmp.dir, "private", NULL);
  g_autofree char *path = g_build_filename (private_dir, "journal.sqlite3", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autoptr(PdJournal) journal = NULL;
  g_autoptr(PdPayment) payment = pd_test_payment_new (fixture->account, 100, PD_TENDER_BANK);
  g_autoptr(GError) error = NULL;
  const char *files[] = { path, wal, shm };
  GStatBuf st;

  g_assert_cmpint (g_mkdir (open_dir, 0755), ==, 0);
  g_assert_cmpint (g_chmod (open_dir, 0755), ==, 0);
  g_assert_null (pd_journal_open (open_path, &error));
  g_assert_error (error, PD_JOURNAL_ERROR, PD_JOURNAL_ERROR_OPEN);
  g_assert_nonnull (strstr (error->message, "mode 0755"));
  g_assert_nonnull (strstr (error->message, "chmod 700"));
  g_clear_error (&error);
  g_assert_false (g_file_test (open_path, G_FILE_TEST_EXISTS));

  journal = open_journal (path);
  record (journal, payment);
  for (gsize i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_assert_cmpint (g_stat (files[i], &st), ==, 0);
      g_assert_cmpint (st.st_mode & 0777, ==, 0600);
    }
  g_clear_object (&journal);

  /* As an older Paydesk left it: made private again when opened. */
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  journal = open_journal (path);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

/* Training is unmistakable: a journal belongs to the first kind of terminal that opened it,
 * and the other kind is refused; each payment says whether it was taken in training, and
 * those from before the journal said so are what the journal is. */
static void
test_mode (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdJournal) old = _pd_journal_open_at_version (fixture->path, 5, &error);
  g_autoptr(PdJournal) training = NULL;
  g_autoptr(PdPayment) before = NULL;
  g_autoptr(PdPayment) taken = NULL;
  g_autoptr(PdPayment) reloaded = NULL;
  PdPaymentOrigin origin = pd_test_origin;
  sqlite3 *db;

  g_assert_no_error (error);
  g_clear_object (&old);
  db = open_raw (fixture->path);
  g_assert_cmpint (raw_exec (db,
                             "INSERT INTO payments (id, client_ref, idempotency_key, created_at,"
                             " business_date, center_id, terminal_id, account_number,"
                             " line_of_business, amount_cents, currency, tender) VALUES"
                             " ('p-old', 'K-07-OLD', 'key-old', '2026-11-24T15:00:00Z',"
                             " '2026-11-24', 'NYC-0042', 'K-07', '400123456789', 'essential',"
                             " 7500, 'USD', 'bank');"
                             "INSERT INTO payment_events (payment_id, recorded_at, state) VALUES"
                             " ('p-old', '2026-11-24T15:00:00Z', 'created');"), ==, SQLITE_OK);
  sqlite3_close (db);

  training = pd_journal_open_for_terminal (fixture->path, TRUE, &error);
  g_assert_no_error (error);
  before = pd_journal_get_payment (training, "p-old", &error);
  g_assert_no_error (error);
  g_assert_true (pd_payment_get_training (before));

  origin.training = TRUE;
  taken = pd_payment_new (&origin, fixture->account, NULL, 100, PD_TENDER_BANK, NULL, &error);
  g_assert_no_error (error);
  record (training, taken);
  reloaded = pd_journal_get_payment (training, pd_payment_get_id (taken), &error);
  g_assert_true (pd_payment_get_training (reloaded));
  g_clear_object (&training);

  g_assert_null (pd_journal_open_for_terminal (fixture->path, FALSE, &error));
  g_assert_error (error, PD_JOURNAL_ERROR, PD_JOURNAL_ERROR_WRONG_MODE);
  g_assert_nonnull (strstr (error->message, "training terminal's"));
  g_clear_error (&error);

  /* Once said, never changed, even from a raw SQLite shell. */
  db = open_raw (fixture->path);
  g_assert_cmpint (raw_exec (db, "UPDATE journal_settings SET value = 'production'"), ==,
                   SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_exec (db, "DELETE FROM journal_settings"), ==, SQLITE_CONSTRAINT);
  sqlite3_close (db);

  training = pd_journal_open_for_terminal (fixture->path, TRUE, &error);
  g_assert_no_error (error);
  assert_sound (training);
}

#define ADD(name, func, data) \
  g_test_add ("/journal/" name, Fixture, data, fixture_set_up, func, fixture_tear_down)

int
main (int    argc,
      char **argv)
{
  pd_test_init (&argc, &argv);

  ADD ("record-and-reopen", test_record_and_reopen, NULL);
  ADD ("durability-settings", test_durability_settings, NULL);
  ADD ("forbidden-transitions", test_forbidden_transitions, NULL);
  ADD ("duplicate-payment", test_duplicate_payment, NULL);
  ADD ("append-only", test_append_only, NULL);
  ADD ("crash-before-commit/payment", test_crash_before_commit, "payment");
  ADD ("crash-before-commit/transition", test_crash_before_commit, "transition");
  ADD ("migration-from-v1", test_migration_from_v1, NULL);
  ADD ("newer-schema-refused", test_newer_schema_refused, NULL);
  ADD ("garbage-file", test_garbage_file, NULL);
  ADD ("damaged-pages", test_damaged_pages, NULL);
  ADD ("not-a-journal", test_not_a_journal, NULL);
  ADD ("disk-full", test_disk_full, NULL);
  ADD ("list-by-business-date", test_list_by_business_date, NULL);
  ADD ("concurrent-writers", test_concurrent_writers, NULL);
  ADD ("unwritable-location", test_unwritable_location, NULL);
  ADD ("claims", test_claims, NULL);
  ADD ("migration-drops-card-data", test_migration_drops_card_data, NULL);
  ADD ("private-files", test_private_files, NULL);
  ADD ("mode", test_mode, NULL);

  return g_test_run ();
}
