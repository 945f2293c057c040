#include <stdio.h>

#include <sqlite3.h>

#include "pd-journal.h"
#include "pd-test-common.h"

/* The journal benchmark, each figure against a bare baseline measured in the same run on
 * the same disk:
 *
 * - Payments committed per second through the journal (pd_journal_begin_payment, then
 *   pd_journal_record_outcome: what a bank payment writes), against a bare SQLite loop that
 *   does the least durable work a payment needs: two commits per payment, one before its
 *   request leaves and one for the answer, with the journal's pragmas (WAL, synchronous
 *   FULL) and rows of the same size.
 * - The outbox's summary (total and oldest queued payment, what each payment taken with the
 *   core down reads first) with 0, 10,000 and 50,000 payments in the journal: it must not
 *   grow with the journal.
 *
 * It prints a table and never fails on timing. */

#define DEFAULT_PAYMENTS 400

static double
seconds_since (gint64 start)
{
  return (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
}

static void
exec_or_die (sqlite3    *db,
             const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("bare loop: %s", message);
}

/* Two commits per payment, nothing else: the floor the journal is measured against. */
static double
bare_payments_per_second (const char *dir,
                          guint       n_payments)
{
  g_autofree char *path = g_build_filename (dir, "bare.sqlite3", NULL);
  g_autofree char *body = g_strnfill (1200, 'x');
  sqlite3 *db = NULL;
  sqlite3_stmt *payment = NULL;
  sqlite3_stmt *event = NULL;
  gint64 start;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  exec_or_die (db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                   "CREATE TABLE payments (id TEXT PRIMARY KEY, client_ref TEXT UNIQUE,"
                   " body TEXT, amount_cents INTEGER) STRICT;"
                   "CREATE TABLE events (seq INTEGER PRIMARY KEY, payment_id TEXT, state TEXT,"
                   " confirmation TEXT) STRICT;");
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO payments VALUES (?, ?, ?, 7500)", -1,
                                       &payment, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO events (payment_id, state, confirmation)"
                                           " VALUES (?, ?, ?)", -1, &event, NULL), ==, SQLITE_OK);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < n_payments; i++)
    {
      g_autofree char *id = g_uuid_string_random ();

      exec_or_die (db, "BEGIN IMMEDIATE");
      sqlite3_bind_text (payment, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (payment, 2, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (payment, 3, body, -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (payment), ==, SQLITE_DONE);
      sqlite3_reset (payment);
      sqlite3_bind_text (event, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (event, 2, "authorizing", -1, SQLITE_STATIC);
      sqlite3_bind_null (event, 3);
      g_assert_cmpint (sqlite3_step (event), ==, SQLITE_DONE);
      sqlite3_reset (event);
      exec_or_die (db, "COMMIT");

      exec_or_die (db, "BEGIN IMMEDIATE");
      sqlite3_bind_text (event, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (event, 2, "completed", -1, SQLITE_STATIC);
      sqlite3_bind_text (event, 3, "CNF-1", -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (event), ==, SQLITE_DONE);
      sqlite3_reset (event);
      exec_or_die (db, "COMMIT");
    }

  sqlite3_finalize (payment);
  sqlite3_finalize (event);
  sqlite3_close (db);
  return n_payments / seconds_since (start);
}

static void
take_payment (PdJournal      *journal,
              PdAccount      *account,
              PdPaymentState  final_state,
              const char     *body)
{
  g_autoptr(PdPayment) payment = pd_test_payment_new (account, 7500, PD_TENDER_BANK);
  PdCoreRequest request = { "POST", "/v1/payments", pd_payment_get_idempotency_key (payment),
                            body };
  PdJournalOutcome outcome = { .release_claim = TRUE };
  g_autoptr(GError) error = NULL;

  if (final_state == PD_PAYMENT_STATE_COMPLETED)
    {
      outcome.states[outcome.n_states++] = PD_PAYMENT_STATE_APPROVED;
      outcome.confirmation = "CNF-1";
    }
  outcome.states[outcome.n_states++] = final_state;

  if (!pd_journal_begin_payment (journal, payment, &request, "ppd-2026-01", &error) ||
      !pd_journal_record_outcome (journal, payment, &outcome, &error))
    g_error ("journal: %s", error->message);
}

static double
journal_payments_per_second (const char *dir,
                             PdAccount  *account,
                             guint       n_payments)
{
  g_autofree char *path = g_build_filename (dir, "journal.sqlite3", NULL);
  g_autofree char *body = g_strnfill (1200, 'x');
  g_autoptr(PdJournal) journal = pd_journal_open (path, NULL);
  gint64 start = g_get_monotonic_time ();

  g_assert_nonnull (journal);
  for (guint i = 0; i < n_payments; i++)
    take_payment (journal, account, PD_PAYMENT_STATE_COMPLETED, body);
  return n_payments / seconds_since (start);
}

typedef enum {
  READ_SUMMARY,     /* what each payment taken with the core down reads */
  READ_WAITING,     /* outbox list */
} Read;

/* The median of 51 reads, in milliseconds. */
static double
read_ms (PdJournal *journal,
         Read       read)
{
  double samples[51];

  for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      g_autoptr(GDateTime) oldest = NULL;
      g_autoptr(GPtrArray) waiting = NULL;
      gint64 start = g_get_monotonic_time ();
      PdCents total = 0;

      if (read == READ_SUMMARY &&
          (!pd_journal_get_queued_summary (journal, &total, &oldest, NULL) || total != 3 * 7500))
        g_error ("the outbox summary is wrong");
      if (read == READ_WAITING &&
          ((waiting = pd_journal_list_payments_in_state (journal, PD_PAYMENT_STATE_QUEUED,
                                                         NULL)) == NULL || waiting->len != 3))
        g_error ("the outbox list is wrong");
      samples[i] = seconds_since (start) * 1000;
    }

  for (guint i = 1; i < G_N_ELEMENTS (samples); i++)
    for (guint j = i; j > 0 && samples[j - 1] > samples[j]; j--)
      {
        double swap = samples[j];

        samples[j] = samples[j - 1];
        samples[j - 1] = swap;
      }
  return samples[G_N_ELEMENTS (samples) / 2];
}

/* Grows a journal fast (one transaction, no fsync per payment: these rows are only there
 * to make the journal big), with three payments queued among them. */
static void
fill_journal (const char *path,
              PdAccount  *account,
              guint       n_payments)
{
  sqlite3 *db = NULL;
  g_autoptr(PdJournal) journal = pd_journal_open (path, NULL);
  g_autofree char *body = g_strnfill (1200, 'x');

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  exec_or_die (db, "PRAGMA synchronous = OFF");
  sqlite3_close (db);

  for (guint i = 0; i < 3; i++)
    take_payment (journal, account, PD_PAYMENT_STATE_QUEUED, body);
  for (guint i = 3; i < n_payments; i++)
    take_payment (journal, account, PD_PAYMENT_STATE_COMPLETED, body);
}

int
main (int    argc,
      char **argv)
{
  static const guint sizes[] = { 0, 10000, 50000 };
  guint n_payments = DEFAULT_PAYMENTS;
  gboolean throughput_only = FALSE;
  g_autofree char *dir = NULL;
  g_autoptr(PdAccount) account = NULL;
  double bare, journal;
  const GOptionEntry entries[] = {
    { "payments", 0, 0, G_OPTION_ARG_INT, &n_payments, "Payments per throughput run", "N" },
    { "throughput-only", 0, 0, G_OPTION_ARG_NONE, &throughput_only,
      "Leave out the big journals", NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, NULL) || n_payments == 0)
    return 2;

  dir = pd_test_make_temp_dir ();
  account = pd_test_account_new ();

  bare = bare_payments_per_second (dir, n_payments);
  journal = journal_payments_per_second (dir, account, n_payments);
  printf ("| bank payments committed per second | %.0f | bare SQLite, 2 commits: %.0f | %.2f× |\n",
          journal, bare, journal / bare);

  for (gsize i = 0; i < G_N_ELEMENTS (sizes) && !throughput_only; i++)
    {
      g_autofree char *name = g_strdup_printf ("big-%u.sqlite3", sizes[i]);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr(PdJournal) big = NULL;

      fill_journal (path, account, MAX (sizes[i], 3));
      big = pd_journal_open (path, NULL);
      printf ("| outbox summary (queueing one payment), %u payments in the journal | %.3f ms | |\n",
              sizes[i], read_ms (big, READ_SUMMARY));
      printf ("| payments waiting (outbox list), %u payments in the journal | %.3f ms | |\n",
              sizes[i], read_ms (big, READ_WAITING));
    }

  pd_test_remove_tree (dir);
  return 0;
}
