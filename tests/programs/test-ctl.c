#include <string.h>

#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "pd-journal.h"
#include "pd-test-common.h"
#include "pd-test-core.h"

typedef struct {
  PdTestDir tmp;
  char *data_dir;
} Fixture;

typedef PdTestRun Run;

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, pd_test_run_clear)

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  pd_test_dir_set_up (&fixture->tmp, data);
  fixture->data_dir = g_build_filename (fixture->tmp.dir, "state", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_free (fixture->data_dir);
  pd_test_dir_tear_down (&fixture->tmp, data);
}

static GPtrArray *
ctl_argv (const char *first_arg,
          va_list     args)
{
  GPtrArray *argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (gpointer) g_getenv ("PAYDESK_CTL"));
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  g_ptr_array_add (argv, NULL);
  return argv;
}

static Run
ctl_run (GPtrArray  *argv,
         const char *input)
{
  return pd_test_run ((const char * const *) argv->pdata, input);
}

/* Runs the real paydesk-ctl built by meson, as an operator would. */
G_GNUC_NULL_TERMINATED
static Run
ctl (const char *first_arg,
     ...)
{
  g_autoptr(GPtrArray) argv = NULL;
  va_list args;

  va_start (args, first_arg);
  argv = ctl_argv (first_arg, args);
  va_end (args);
  return ctl_run (argv, NULL);
}

G_GNUC_NULL_TERMINATED
static Run
ctl_with_input (const char *input,
                const char *first_arg,
                ...)
{
  g_autoptr(GPtrArray) argv = NULL;
  va_list args;

  va_start (args, first_arg);
  argv = ctl_argv (first_arg, args);
  va_end (args);
  return ctl_run (argv, input);
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static char *
write_config (Fixture    *fixture,
              const char *contents)
{
  char *path = g_build_filename (fixture->tmp.dir, "paydesk.conf", NULL);

  pd_test_write_file (path, contents);
  return path;
}

static void
test_help (void)
{
  g_auto(Run) help = ctl ("--help", NULL);
  g_auto(Run) none = ctl (NULL, NULL);
  g_auto(Run) unknown = ctl ("refund-everything", NULL);
  g_auto(Run) command_help = ctl ("journal", "list", "--help", NULL);

  g_assert_cmpint (help.status, ==, 0);
  g_assert_nonnull (strstr (help.out, "config check"));
  g_assert_nonnull (strstr (help.out, "journal verify"));
  g_assert_nonnull (strstr (help.out, "--data-dir"));

  g_assert_cmpint (none.status, ==, 2);
  g_assert_nonnull (strstr (none.err, "journal list"));

  g_assert_cmpint (unknown.status, ==, 2);
  g_assert_nonnull (strstr (unknown.err, "refund-everything"));

  g_assert_cmpint (command_help.status, ==, 0);
  g_assert_nonnull (strstr (command_help.out, "--date"));
  g_assert_nonnull (strstr (command_help.out, "--json"));
}

static void
test_config_check (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *bad = write_config (fixture, "[terminal]\nmode = kiosk\n\n[core]\n"
                                                "timeout-seconds = soon\n");
  g_autofree char *sample_with_key = pd_test_sample_config_with_key (fixture->tmp.dir);
  g_auto(Run) as_shipped = ctl ("config", "check", g_getenv ("PAYDESK_SAMPLE_CONFIG"), NULL);
  g_auto(Run) sample = ctl ("config", "check", sample_with_key, NULL);
  g_auto(Run) builtin = ctl ("config", "check", NULL);
  g_auto(Run) invalid = ctl ("config", "check", bad, NULL);
  g_auto(Run) invalid_json = ctl ("--json", "config", "check", bad, NULL);
  g_auto(Run) through_option = ctl ("config", "check", "--config", bad, NULL);
  g_autofree char *where = g_strdup_printf ("%s:5: [core] timeout-seconds:", bad);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;

  /* Until the core's key is filled in, the sample is no production terminal. */
  g_assert_cmpint (as_shipped.status, ==, 1);
  g_assert_nonnull (strstr (as_shipped.err, "[core] public-key"));

  g_assert_cmpint (sample.status, ==, 0);
  g_assert_nonnull (strstr (sample.out, "valid"));
  g_assert_nonnull (strstr (sample.out, "K-07"));

  g_assert_cmpint (builtin.status, ==, 0);
  g_assert_nonnull (strstr (builtin.out, "Built-in training configuration"));

  g_assert_cmpint (invalid.status, ==, 1);
  g_assert_nonnull (strstr (invalid.err, where));

  g_assert_cmpint (through_option.status, ==, 1);
  g_assert_nonnull (strstr (through_option.err, where));

  g_assert_cmpint (invalid_json.status, ==, 1);
  root = parse_json (invalid_json.out);
  object = json_node_get_object (root);
  g_assert_false (json_object_get_boolean_member (object, "valid"));
  g_assert_cmpstr (json_object_get_string_member (object, "file"), ==, bad);
  g_assert_nonnull (strstr (json_object_get_string_member (object, "error"), where));
}

/* Fills a journal the way the terminal does, through pos/. */
static void
fill_journal (Fixture *fixture,
              guint    n_payments)
{
  g_autofree char *path = g_build_filename (fixture->data_dir, "journal.sqlite3", NULL);
  g_autoptr(PdJournal) journal = pd_journal_open (path, NULL);
  g_autoptr(PdAccount) account = pd_test_account_new ();

  g_assert_nonnull (journal);
  for (guint i = 0; i < n_payments; i++)
    {
      g_autoptr(PdPayment) payment = pd_test_payment_new (account, 1000 + i, PD_TENDER_BANK);

      g_assert_true (pd_journal_record_payment (journal, payment, NULL, NULL));
      g_assert_true (pd_journal_record_transition (journal, payment,
                                                   PD_PAYMENT_STATE_AUTHORIZING, NULL, NULL,
                                                   NULL));
      g_assert_true (pd_journal_record_transition (journal, payment, PD_PAYMENT_STATE_APPROVED,
                                                   "CNF-77", NULL, NULL));
      g_assert_true (pd_journal_record_transition (journal, payment, PD_PAYMENT_STATE_COMPLETED,
                                                   NULL, NULL, NULL));
    }
}

static void
test_journal_list (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  g_auto(Run) missing = ctl ("journal", "list", "--data-dir", fixture->data_dir, NULL);
  g_autoptr(JsonNode) root = NULL;
  JsonArray *payments;
  JsonObject *first;

  g_assert_cmpint (missing.status, ==, 2);
  g_assert_nonnull (strstr (missing.err, "There is no journal"));
  g_assert_false (g_file_test (fixture->data_dir, G_FILE_TEST_EXISTS));

  fill_journal (fixture, 3);

  {
    g_auto(Run) text = ctl ("--data-dir", fixture->data_dir, "journal", "list", NULL);
    g_auto(Run) json = ctl ("journal", "list", "--json", "--data-dir", fixture->data_dir, NULL);
    g_auto(Run) today_only = ctl ("journal", "list", "-d", fixture->data_dir, "--date", today,
                                  "--json", NULL);
    g_auto(Run) other_day = ctl ("journal", "list", "-d", fixture->data_dir,
                                 "--date", "2001-01-01", NULL);
    g_auto(Run) bad_date = ctl ("journal", "list", "-d", fixture->data_dir,
                                "--date", "yesterday", NULL);
    g_autoptr(JsonNode) today_root = NULL;

    g_assert_cmpint (text.status, ==, 0);
    g_assert_nonnull (strstr (text.out, "K-07-"));
    g_assert_nonnull (strstr (text.out, "$10.02"));
    g_assert_nonnull (strstr (text.out, "completed"));
    g_assert_nonnull (strstr (text.out, "CNF-77"));

    g_assert_cmpint (json.status, ==, 0);
    root = parse_json (json.out);
    payments = json_object_get_array_member (json_node_get_object (root), "payments");
    g_assert_cmpuint (json_array_get_length (payments), ==, 3);
    first = json_array_get_object_element (payments, 0);
    g_assert_cmpint (json_object_get_int_member (first, "amount_cents"), ==, 1000);
    g_assert_cmpstr (json_object_get_string_member (first, "state"), ==, "completed");
    g_assert_cmpstr (json_object_get_string_member (first, "tender"), ==, "bank");
    g_assert_cmpstr (json_object_get_string_member (first, "line_of_business"), ==, "essential");
    g_assert_cmpstr (json_object_get_string_member (first, "account"), ==, "400123456789");

    g_assert_cmpint (today_only.status, ==, 0);
    today_root = parse_json (today_only.out);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                        json_node_get_object (today_root), "payments")), ==, 3);

    g_assert_cmpint (other_day.status, ==, 0);
    g_assert_nonnull (strstr (other_day.out, "No payments"));

    g_assert_cmpint (bad_date.status, ==, 2);
    g_assert_nonnull (strstr (bad_date.err, "yesterday"));
  }

  /* A payment of an earlier day: left out of the day's list, there with --all. */
  {
    g_autofree char *path = g_build_filename (fixture->data_dir, "journal.sqlite3", NULL);
    sqlite3 *db = NULL;

    g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db,
                                   "INSERT INTO payments (id, client_ref, idempotency_key,"
                                   " created_at, business_date, center_id, terminal_id,"
                                   " account_number, line_of_business, amount_cents, currency,"
                                   " tender) VALUES ('old', 'K-07-OLD', 'k-old',"
                                   " '2001-01-01T15:00:00Z', '2001-01-01', 'NYC-0042', 'K-07',"
                                   " '400123456789', 'essential', 5000, 'USD', 'bank');"
                                   "INSERT INTO payment_events (payment_id, recorded_at, state)"
                                   " VALUES ('old', '2001-01-01T15:00:00Z', 'created');",
                                   NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
  }
  {
    g_auto(Run) today_default = ctl ("journal", "list", "-d", fixture->data_dir, NULL);
    g_auto(Run) everything = ctl ("journal", "list", "-d", fixture->data_dir, "--all", NULL);

    g_assert_cmpint (today_default.status, ==, 0);
    g_assert_null (strstr (today_default.out, "K-07-OLD"));
    g_assert_cmpint (everything.status, ==, 0);
    g_assert_nonnull (strstr (everything.out, "K-07-OLD"));
  }
}

static void
test_journal_verify (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->data_dir, "journal.sqlite3", NULL);
  g_autoptr(JsonNode) root = NULL;
  sqlite3 *db = NULL;

  fill_journal (fixture, 2);

  {
    g_auto(Run) sound = ctl ("journal", "verify", "--data-dir", fixture->data_dir, NULL);
    g_auto(Run) sound_json = ctl ("journal", "verify", "--json", "--data-dir", fixture->data_dir,
                                  NULL);

    g_assert_cmpint (sound.status, ==, 0);
    g_assert_nonnull (strstr (sound.out, "sound"));
    g_assert_nonnull (strstr (sound.out, "2 payments"));

    g_assert_cmpint (sound_json.status, ==, 0);
    root = parse_json (sound_json.out);
    g_assert_true (json_object_get_boolean_member (json_node_get_object (root), "ok"));
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (root), "payments"), ==, 2);
  }

  /* Someone with a raw SQLite shell forces a payment from created straight to completed. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "INSERT INTO payments (id, client_ref, idempotency_key,"
                                 " created_at, business_date, center_id, terminal_id,"
                                 " account_number, line_of_business, amount_cents, currency,"
                                 " tender) VALUES ('forged', 'K-07-F', 'k-f',"
                                 " '2026-11-23T15:00:00Z', '2026-11-23', 'NYC-0042', 'K-07',"
                                 " '400123456789', 'essential', 5000, 'USD', 'card');"
                                 "INSERT INTO payment_events (payment_id, recorded_at, state)"
                                 " VALUES ('forged', '2026-11-23T15:00:00Z', 'created'),"
                                 " ('forged', '2026-11-23T15:00:01Z', 'completed');",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  {
    g_auto(Run) damaged = ctl ("journal", "verify", "--data-dir", fixture->data_dir, NULL);

    g_assert_cmpint (damaged.status, ==, 1);
    g_assert_nonnull (strstr (damaged.out, "1 problem found"));
    g_assert_nonnull (strstr (damaged.out, "forged went from created to completed"));
  }

  g_assert_true (g_file_set_contents (path, "this is not a database, it is a grocery list",
                                      -1, NULL));
  {
    g_auto(Run) garbage = ctl ("journal", "verify", "--data-dir", fixture->data_dir, NULL);

    g_assert_cmpint (garbage.status, ==, 2);
    g_assert_nonnull (strstr (garbage.err, "damaged"));
    g_assert_nonnull (strstr (garbage.err, path));
  }
}

static void
test_global_options (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *bad = write_config (fixture, "[terminal]\nmode = drive-thru\n");
  g_auto(Run) bad_config = ctl ("--config", bad, "journal", "list", NULL);
  g_auto(Run) remote_http = ctl ("journal", "list", "--core-url", "http://core.example",
                                 "--data-dir", fixture->data_dir, NULL);
  g_auto(Run) json_error = ctl ("--json", "journal", "verify", "--data-dir", fixture->data_dir,
                                NULL);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *error;

  g_assert_cmpint (bad_config.status, ==, 2);
  g_assert_nonnull (strstr (bad_config.err, ":2: [terminal] mode:"));

  g_assert_cmpint (remote_http.status, ==, 2);
  g_assert_nonnull (strstr (remote_http.err, "--core-url"));

  g_assert_cmpint (json_error.status, ==, 2);
  root = parse_json (json_error.out);
  error = json_object_get_object_member (json_node_get_object (root), "error");
  g_assert_nonnull (strstr (json_object_get_string_member (error, "message"),
                            "There is no journal"));
}


static char *
core_config (Fixture    *fixture,
             PdTestCore *core,
             guint       timeout_seconds)
{
  g_autofree char *contents = g_strdup_printf ("[core]\nurl = %s\ntimeout-seconds = %u\n"
                                               "[journal]\ndata-dir = %s\n",
                                               core->url, timeout_seconds, fixture->data_dir);

  return write_config (fixture, contents);
}

static void
test_lookup_and_pay (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(PdTestCore) core = pd_test_core_start (fixture->tmp.dir, 0, NULL);
  g_autofree char *config = core_config (fixture, core, 5);
  g_autoptr(JsonNode) found_json = NULL;
  g_autoptr(JsonNode) paid_json = NULL;
  JsonObject *paid;

  {
    g_auto(Run) found = ctl ("lookup", "--config", config, "--invoice-account", "400123456789",
                             "--zip", "10001", NULL);
    g_auto(Run) as_json = ctl ("--json", "lookup", "--config", config, "--member-id",
                               "12345678901", "--zip", "10001", "--dob", "07/04/1961",
                               "--first-name", "Maria", "--last-name", "Gonzalez", NULL);
    g_auto(Run) nobody = ctl ("lookup", "--config", config, "--invoice-account", "400123456789",
                              "--zip", "99999", NULL);
    g_auto(Run) two = ctl ("lookup", "--config", config, "--zip", "10025", "--dob", "1980-01-01",
                           "--first-name", "John", "--last-name", "Smith", NULL);
    g_auto(Run) bad_zip = ctl ("lookup", "--config", config, "--invoice-account", "400123456789",
                               "--zip", "1001", NULL);

    g_assert_cmpint (found.status, ==, 0);
    g_assert_nonnull (strstr (found.out, "Maria Gonzalez"));
    g_assert_nonnull (strstr (found.out, "INV2026110042"));
    g_assert_nonnull (strstr (found.out, "$150.00"));

    g_assert_cmpint (as_json.status, ==, 0);
    found_json = parse_json (as_json.out);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                        json_node_get_object (found_json), "accounts")), ==, 2);

    g_assert_cmpint (nobody.status, ==, 1);
    g_assert_nonnull (strstr (nobody.out, "No member matches"));
    g_assert_cmpint (two.status, ==, 1);
    g_assert_nonnull (strstr (two.out, "More than one member"));
    g_assert_cmpint (bad_zip.status, ==, 2);
    g_assert_nonnull (strstr (bad_zip.err, "ZIP"));
  }

  {
    /* The account number comes on standard input, never on the command line. */
    g_auto(Run) pay = ctl_with_input ("000123456789\n", "--json", "pay", "--config", config,
                                      "--account", "400123456789", "--invoice", "INV2026110042",
                                      "--amount", "75.00", "--tender", "bank", "--routing",
                                      "021000021", "--bank-account", "-", "--account-type",
                                      "checking", "--holder", "Maria L Gonzalez", NULL);
    g_auto(Run) declined = ctl_with_input ("000123456789\n", "pay", "--config", config,
                                           "--account", "400123456789", "--amount", "10.51",
                                           "--tender", "bank", "--routing", "021000021",
                                           "--bank-account", "-", "--account-type", "savings",
                                           "--holder", "Maria L Gonzalez", NULL);
    g_auto(Run) bad_routing = ctl ("pay", "--config", config, "--account", "400123456789",
                                   "--amount", "5", "--tender", "bank", "--routing", "123456789",
                                   "--bank-account", "000123456789", "--account-type",
                                   "checking", "--holder", "Maria", NULL);
    g_auto(Run) cash = ctl ("pay", "--config", config, "--account", "400123456789", "--amount",
                            "5", "--tender", "cash", NULL);

    g_assert_cmpint (pay.status, ==, 0);
    paid_json = parse_json (pay.out);
    paid = json_node_get_object (paid_json);
    g_assert_cmpstr (json_object_get_string_member (paid, "state"), ==, "completed");
    g_assert_cmpstr (json_object_get_string_member (paid, "tender_last4"), ==, "6789");
    g_assert_true (g_str_has_prefix (json_object_get_string_member (paid, "confirmation"), "CNF-"));
    g_assert_null (strstr (pay.out, "000123456789"));
    g_assert_cmpuint (pd_test_core_count_payments (core, json_object_get_string_member (paid,
                                                                                       "client_ref")),
                      ==, 1);

    g_assert_cmpint (declined.status, ==, 1);
    g_assert_nonnull (strstr (declined.out, "Declined"));
    g_assert_nonnull (strstr (declined.out, "insufficient_funds"));

    g_assert_cmpint (bad_routing.status, ==, 2);
    g_assert_nonnull (strstr (bad_routing.err, "routing number"));
    g_assert_cmpint (cash.status, ==, 2);
    g_assert_nonnull (strstr (cash.err, "no cash"));
  }

  {
    g_auto(Run) voided = ctl ("void", "--config", config, "--reason", "duplicate",
                              json_object_get_string_member (paid, "client_ref"), NULL);
    g_auto(Run) list = ctl ("journal", "list", "--config", config, NULL);

    g_auto(Run) report = ctl ("report", "--config", config, NULL);

    g_assert_cmpint (voided.status, ==, 0);
    g_assert_nonnull (strstr (voided.out, "Voided"));
    g_assert_cmpint (report.status, ==, 0);
    g_assert_nonnull (strstr (report.out, "Total: 0 payments"));
    g_assert_nonnull (strstr (report.out, "agree"));
    g_assert_nonnull (strstr (list.out, "voided"));
    g_assert_nonnull (strstr (list.out, "declined"));
  }
}

static void
test_outbox (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(PdTestCore) core = pd_test_core_start (fixture->tmp.dir, 0, NULL);
  g_autofree char *config = core_config (fixture, core, 2);
  guint16 port = core->port;

  pd_test_core_stop (core);

  {
    g_auto(Run) needs_core = ctl ("pay", "--config", config, "--account", "400123456789",
                                  "--amount", "20.00", "--tender", "bank", "--routing",
                                  "021000021", "--bank-account", "000123456789",
                                  "--account-type", "checking", "--holder", "Maria G", NULL);
    g_auto(Run) queued = ctl_with_input ("000123456789\n", "pay", "--config", config, "--account",
                                         "400123456789", "--line-of-business", "essential",
                                         "--amount", "20.00", "--tender", "bank",
                                         "--routing", "021000021", "--bank-account", "-",
                                         "--account-type", "checking", "--holder", "Maria G",
                                         NULL);
    g_auto(Run) waiting = ctl ("outbox", "list", "--config", config, NULL);
    g_auto(Run) still_down = ctl ("outbox", "drain", "--config", config, NULL);

    g_assert_cmpint (needs_core.status, ==, 2);
    g_assert_nonnull (strstr (needs_core.err, "Cannot reach the payment core"));
    g_assert_cmpint (queued.status, ==, 0);
    g_assert_nonnull (strstr (queued.out, "waiting to be sent"));
    g_assert_nonnull (strstr (waiting.out, "1 payment waiting, $20.00"));
    g_assert_cmpint (still_down.status, ==, 1);
    g_assert_nonnull (strstr (still_down.out, "Sent 0 payments"));
  }

  pd_test_core_free (g_steal_pointer (&core));
  core = pd_test_core_start (fixture->tmp.dir, port, NULL);

  {
    g_auto(Run) drained = ctl ("outbox", "drain", "--config", config, NULL);
    g_auto(Run) empty = ctl ("--json", "outbox", "list", "--config", config, NULL);
    g_autoptr(JsonNode) root = parse_json (empty.out);
    g_autoptr(JsonObject) ledger = pd_test_core_ledger (core);

    g_auto(Run) report = ctl ("--json", "report", "--config", config, NULL);
    g_autoptr(JsonNode) report_root = parse_json (report.out);
    JsonObject *report_object = json_node_get_object (report_root);
    JsonObject *total = json_array_get_object_element (
      json_object_get_array_member (report_object, "totals"), 0);

    g_assert_cmpint (drained.status, ==, 0);
    g_assert_nonnull (strstr (drained.out, "Sent 1 payment"));
    g_assert_cmpint (report.status, ==, 0);
    g_assert_true (json_object_get_boolean_member (report_object, "matches"));
    g_assert_cmpint (json_object_get_int_member (total, "amount_cents"), ==, 2000);
    g_assert_cmpint (json_object_get_int_member (total, "core_amount_cents"), ==, 2000);
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (root), "total_cents"), ==, 0);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (ledger, "payments")),
                      ==, 1);
  }
}

/* pay --signature: the member's signature recorded with a bank payment, on its receipt;
 * one that cannot be used is refused before anything is taken. */
static void
test_pay_with_signature (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(PdTestCore) core = pd_test_core_start (fixture->tmp.dir, 0, NULL);
  g_autofree char *config = core_config (fixture, core, 5);
  g_autofree char *sample = g_test_build_filename (G_TEST_DIST, "..", "assets",
                                                   "training-signature.txt", NULL);
  g_autofree char *blank = g_build_filename (fixture->tmp.dir, "blank.txt", NULL);
  g_autofree char *damaged = g_build_filename (fixture->tmp.dir, "damaged.txt", NULL);
  g_autofree char *missing = g_build_filename (fixture->tmp.dir, "missing.txt", NULL);
  g_autoptr(JsonNode) paid_json = NULL;
  const char *reference;

  pd_test_write_file (blank, "strokes-v1 600 200;300,100 301,100\n");
  pd_test_write_file (damaged, "strokes-v1 600 200;300,100 301,100 x\n");

  {
    g_auto(Run) pay = ctl_with_input ("000123456789\n", "--json", "pay", "--config", config,
                                      "--account", "400123456789", "--invoice", "INV2026110042",
                                      "--amount", "75.00", "--tender", "bank", "--routing",
                                      "021000021", "--bank-account", "-", "--account-type",
                                      "checking", "--holder", "Maria L Gonzalez",
                                      "--signature", sample, NULL);

    g_assert_cmpint (pay.status, ==, 0);
    paid_json = parse_json (pay.out);
    reference = json_object_get_string_member (json_node_get_object (paid_json), "client_ref");
  }

  {
    g_auto(Run) receipt = ctl ("receipt", "--config", config, reference, "--format", "text",
                               NULL);

    g_assert_cmpint (receipt.status, ==, 0);
    g_assert_nonnull (strstr (receipt.out, "Signed on screen by Maria L Gonzalez"));
    /* A kiosk has no pen: no line to sign on paper. */
    g_assert_null (strstr (receipt.out, "Signature:"));
  }

  /* The language the member chose comes back on the receipt, without being asked again. */
  {
    g_auto(Run) pay = ctl_with_input ("000123456789\n", "--json", "pay", "--config", config,
                                      "--account", "400123456789", "--amount", "12.00",
                                      "--tender", "bank", "--routing", "021000021",
                                      "--bank-account", "-", "--account-type", "savings",
                                      "--holder", "Maria L Gonzalez", "--language", "es",
                                      "--signature", sample, NULL);
    g_autoptr(JsonNode) spanish_json = NULL;
    const char *spanish;

    g_assert_cmpint (pay.status, ==, 0);
    spanish_json = parse_json (pay.out);
    spanish = json_object_get_string_member (json_node_get_object (spanish_json), "client_ref");
    {
      g_auto(Run) receipt = ctl ("receipt", "--config", config, spanish, "--format", "text",
                                 NULL);

      g_assert_cmpint (receipt.status, ==, 0);
      g_assert_nonnull (strstr (receipt.out, "Firmado en pantalla por Maria L Gonzalez"));
      g_assert_nonnull (strstr (receipt.out, "ACEPTADO"));
    }
  }
  /* Ten billion dollars: over what a terminal takes in one payment, said before anything is
   * read or sent. */
  {
    g_auto(Run) huge = ctl ("pay", "--config", config, "--account", "400123456789",
                            "--amount", "10000000000.00", "--tender", "bank", "--routing",
                            "021000021", "--bank-account", "000123456789", "--account-type",
                            "checking", "--holder", "Maria G", NULL);

    g_assert_cmpint (huge.status, ==, 2);
    g_assert_nonnull (strstr (huge.err, "$10,000,000,000.00 is more than this terminal takes "
                                        "in one payment ($25,000.00)"));
    g_assert_cmpuint (pd_test_core_count_ledger (core), ==, 2);
  }
  {
    g_auto(Run) unknown = ctl ("pay", "--config", config, "--account", "400123456789",
                               "--amount", "5.00", "--tender", "bank", "--language", "tlh",
                               NULL);

    g_assert_cmpint (unknown.status, ==, 2);
    g_assert_nonnull (strstr (unknown.err, "“tlh” is not a language Paydesk offers."));
  }

  {
    g_auto(Run) with_blank = ctl ("pay", "--config", config, "--account", "400123456789",
                                  "--amount", "5.00", "--tender", "bank", "--routing",
                                  "021000021", "--bank-account", "000123456789",
                                  "--account-type", "checking", "--holder", "Maria G",
                                  "--signature", blank, NULL);
    g_auto(Run) with_damaged = ctl ("pay", "--config", config, "--account", "400123456789",
                                    "--amount", "5.00", "--tender", "bank", "--routing",
                                    "021000021", "--bank-account", "000123456789",
                                    "--account-type", "checking", "--holder", "Maria G",
                                    "--signature", damaged, NULL);
    g_auto(Run) with_missing = ctl ("pay", "--config", config, "--account", "400123456789",
                                    "--amount", "5.00", "--tender", "bank", "--routing",
                                    "021000021", "--bank-account", "000123456789",
                                    "--account-type", "checking", "--holder", "Maria G",
                                    "--signature", missing, NULL);
    g_auto(Run) with_card = ctl ("pay", "--config", config, "--account", "400123456789",
                                 "--amount", "5.00", "--tender", "card", "--signature", sample,
                                 NULL);

    g_assert_cmpint (with_blank.status, ==, 2);
    g_assert_nonnull (strstr (with_blank.err, "blank.txt"));
    g_assert_nonnull (strstr (with_blank.err, "not a signature"));
    g_assert_cmpint (with_damaged.status, ==, 2);
    g_assert_nonnull (strstr (with_damaged.err, "character 36"));
    g_assert_cmpint (with_missing.status, ==, 2);
    g_assert_nonnull (strstr (with_missing.err, "missing.txt"));
    g_assert_cmpint (with_card.status, ==, 2);
    g_assert_nonnull (strstr (with_card.err, "--tender bank or check"));
    /* Nothing was taken for any of them: the core has the two signed payments only. */
    g_assert_cmpuint (pd_test_core_count_ledger (core), ==, 2);
  }
}

/* The terminal dies while the core holds its answer: after a restart, the outcome is
 * recovered with the same key, and the member is charged once. */
static void
test_killed_mid_request (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(PdTestCore) core = pd_test_core_start (fixture->tmp.dir, 0, NULL);
  g_autofree char *config = core_config (fixture, core, 60);
  g_autofree char *journal_path = g_build_filename (fixture->data_dir, "journal.sqlite3", NULL);
  const char *argv[] = {
    g_getenv ("PAYDESK_CTL"), "pay", "--config", config, "--account", "400123456789",
    "--amount", "33.00", "--tender", "bank", "--routing", "021000021", "--bank-account",
    "000123456789", "--account-type", "checking", "--holder", "Maria G", NULL
  };
  g_autoptr(GSubprocess) payer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdJournal) journal = NULL;
  g_autoptr(GPtrArray) in_flight = NULL;
  g_autoptr(GPtrArray) completed = NULL;
  gint64 deadline = g_get_monotonic_time () + 30 * G_TIME_SPAN_SECOND;

  /* Faults apply in order: the account request passes untouched (a slow answer with no
   * delay), then the payment is taken and its answer never comes. */
  pd_test_core_control (core, "{\"fault\": \"slow\", \"delay_ms\": 0}");
  pd_test_core_control (core, "{\"fault\": \"timeout\", \"after_processing\": true}");

  payer = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error);
  g_assert_no_error (error);

  while (pd_test_core_count_ledger (core) == 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (20 * 1000);
    }

  g_subprocess_force_exit (payer);
  g_subprocess_wait (payer, NULL, NULL);
  g_assert_false (g_subprocess_get_if_exited (payer));

  journal = pd_journal_open (journal_path, &error);
  g_assert_no_error (error);
  in_flight = pd_journal_list_payments_in_state (journal, PD_PAYMENT_STATE_AUTHORIZING, &error);
  g_assert_cmpuint (in_flight->len, ==, 1);

  {
    g_auto(Run) recovered = ctl ("outbox", "drain", "--config", config, NULL);

    g_assert_cmpint (recovered.status, ==, 0);
    g_assert_nonnull (strstr (recovered.out, "Sent 1 payment"));
  }

  completed = pd_journal_list_payments_in_state (journal, PD_PAYMENT_STATE_COMPLETED, &error);
  g_assert_cmpuint (completed->len, ==, 1);
  g_assert_cmpuint (pd_test_core_count_ledger (core), ==, 1);
  g_assert_cmpuint (pd_test_core_count_payments (core, pd_payment_get_client_ref (
                                                   g_ptr_array_index (completed, 0))), ==, 1);
}

/* On a production terminal a bank account number, a date of birth, a member ID or an email
 * address never comes on the command line (every user of the machine sees it, shell
 * histories keep it): refused, saying how to give it. A training terminal takes both. */
static void
test_sensitive_options (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *production = pd_test_sample_config_with_key (fixture->tmp.dir);
  g_auto(Run) bank = ctl ("pay", "--config", production, "--account", "400123456789",
                          "--amount", "5.00", "--tender", "bank", "--routing", "021000021",
                          "--bank-account", "000123456789", "--account-type", "checking",
                          "--holder", "Maria G", NULL);
  g_auto(Run) dob = ctl ("lookup", "--config", production, "--zip", "10001", "--dob",
                         "07/04/1961", "--first-name", "Maria", "--last-name", "Gonzalez",
                         NULL);
  g_auto(Run) member = ctl ("lookup", "--config", production, "--member-id", "12345678901",
                            "--zip", "10001", "--dob", "-", "--first-name", "Maria",
                            "--last-name", "Gonzalez", NULL);
  g_auto(Run) email = ctl ("receipt", "--config", production, "K-07-ANY", "--email",
                           "member@example.org", NULL);

  g_assert_cmpint (bank.status, ==, 2);
  g_assert_nonnull (strstr (bank.err, "On a production terminal, give --bank-account as -"));
  g_assert_null (strstr (bank.err, "000123456789"));
  g_assert_cmpint (dob.status, ==, 2);
  g_assert_nonnull (strstr (dob.err, "--dob as -"));
  g_assert_cmpint (member.status, ==, 2);
  g_assert_nonnull (strstr (member.err, "--member-id as -"));
  g_assert_cmpint (email.status, ==, 2);
  g_assert_nonnull (strstr (email.err, "--email as -"));
}

static guint
sent_count (const char *out)
{
  const char *sent = strstr (out, "Sent ");

  g_assert_nonnull (sent);
  return (guint) g_ascii_strtoull (sent + strlen ("Sent "), NULL, 10);
}

/* Three drains at once on thirty queued payments (the kiosk drains every 30 s while an
 * associate may drain too): each ends cleanly and says what it sent, and the core is paid
 * each payment once. */
static void
test_concurrent_drains (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(PdTestCore) core = pd_test_core_start (fixture->tmp.dir, 0, NULL);
  g_autofree char *config = core_config (fixture, core, 5);
  g_autofree char *journal_path = g_build_filename (fixture->data_dir, "journal.sqlite3", NULL);
  const char *argv[] = { g_getenv ("PAYDESK_CTL"), "outbox", "drain", "--config", config, NULL };
  GSubprocess *drains[3];
  g_autoptr(PdJournal) journal = NULL;
  g_autoptr(GPtrArray) completed = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port = core->port;
  guint total_sent = 0;

  pd_test_core_stop (core);
  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *amount = g_strdup_printf ("1.%02u", i);
      g_auto(Run) queued = ctl ("pay", "--config", config, "--account", "400123456789",
                                "--line-of-business", "essential",
                                "--amount", amount, "--tender", "bank", "--routing",
                                "021000021", "--bank-account", "000123456789",
                                "--account-type", "checking", "--holder", "Maria G", NULL);

      g_assert_cmpint (queued.status, ==, 0);
    }

  pd_test_core_free (g_steal_pointer (&core));
  core = pd_test_core_start (fixture->tmp.dir, port, NULL);
  /* Slow answers keep the drains side by side. */
  pd_test_core_control (core, "{\"fault\": \"slow\", \"delay_ms\": 40, \"count\": 30,"
                              " \"path\": \"/v1/payments\"}");

  for (guint i = 0; i < G_N_ELEMENTS (drains); i++)
    {
      drains[i] = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                     G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
      g_assert_no_error (error);
    }

  for (guint i = 0; i < G_N_ELEMENTS (drains); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      g_subprocess_communicate_utf8 (drains[i], NULL, NULL, &out, &err, &error);
      g_assert_no_error (error);
      g_test_message ("drain %u: %s%s", i, out, err);
      g_assert_true (g_subprocess_get_if_exited (drains[i]));
      g_assert_cmpint (g_subprocess_get_exit_status (drains[i]), ==, 0);
      g_assert_cmpstr (err, ==, "");
      total_sent += sent_count (out);
      g_clear_object (&drains[i]);
    }

  g_assert_cmpuint (total_sent, ==, 30);
  journal = pd_journal_open (journal_path, &error);
  g_assert_no_error (error);
  completed = pd_journal_list_payments_in_state (journal, PD_PAYMENT_STATE_COMPLETED, &error);
  g_assert_cmpuint (completed->len, ==, 30);
  for (guint i = 0; i < completed->len; i++)
    g_assert_cmpuint (pd_test_core_count_payments (core, pd_payment_get_client_ref (
                                                     g_ptr_array_index (completed, i))), ==, 1);
  g_assert_cmpuint (pd_test_core_count_ledger (core), ==, 30);

  {
    g_auto(Run) verify = ctl ("journal", "verify", "--data-dir", fixture->data_dir, NULL);
    g_auto(Run) again = ctl ("outbox", "drain", "--config", config, NULL);

    g_assert_cmpint (verify.status, ==, 0);
    g_assert_cmpint (again.status, ==, 0);
    g_assert_cmpuint (sent_count (again.out), ==, 0);
    g_assert_nonnull (strstr (again.out, "0 payments waiting"));
  }
}

/* A payment journaled but never sent (a stop between the two, as an older Paydesk or a full
 * disk could leave it): verify names it, and recovery closes it without charging anyone. */
static void
test_never_sent_closed_by_recovery (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(PdTestCore) core = pd_test_core_start (fixture->tmp.dir, 0, NULL);
  g_autofree char *config = core_config (fixture, core, 5);
  g_autofree char *journal_path = g_build_filename (fixture->data_dir, "journal.sqlite3", NULL);
  g_autoptr(PdAccount) account = pd_test_account_new ();
  g_autoptr(PdPayment) stranded = pd_test_payment_new (account, 4400, PD_TENDER_BANK);
  g_autoptr(PdPayment) after = NULL;
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(PdJournal) journal = pd_journal_open (journal_path, &error);

    g_assert_no_error (error);
    g_assert_true (pd_journal_record_payment (journal, stranded, NULL, &error));
  }

  {
    g_auto(Run) flagged = ctl ("journal", "verify", "--data-dir", fixture->data_dir, NULL);
    g_auto(Run) drained = ctl ("outbox", "drain", "--config", config, NULL);
    g_auto(Run) sound = ctl ("journal", "verify", "--data-dir", fixture->data_dir, NULL);
    g_autoptr(PdJournal) journal = pd_journal_open (journal_path, &error);

    g_assert_cmpint (flagged.status, ==, 1);
    g_assert_nonnull (strstr (flagged.out, pd_payment_get_client_ref (stranded)));
    g_assert_nonnull (strstr (flagged.out, "left created"));
    g_assert_cmpint (drained.status, ==, 0);
    g_assert_cmpint (sound.status, ==, 0);

    after = pd_journal_get_payment (journal, pd_payment_get_id (stranded), &error);
    g_assert_no_error (error);
    g_assert_cmpint (pd_payment_get_state (after), ==, PD_PAYMENT_STATE_FAILED);
    g_assert_nonnull (strstr (pd_payment_get_reason (after), "nothing was charged"));
    g_assert_cmpuint (pd_test_core_count_ledger (core), ==, 0);
  }
}

#define ADD(name, func) \
  g_test_add ("/ctl/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int    argc,
      char **argv)
{
  pd_test_init (&argc, &argv);

  g_test_add_func ("/ctl/help", test_help);
  ADD ("config-check", test_config_check);
  ADD ("journal-list", test_journal_list);
  ADD ("journal-verify", test_journal_verify);
  ADD ("global-options", test_global_options);
  ADD ("lookup-and-pay", test_lookup_and_pay);
  ADD ("outbox", test_outbox);
  ADD ("pay-with-signature", test_pay_with_signature);
  ADD ("killed-mid-request", test_killed_mid_request);
  ADD ("concurrent-drains", test_concurrent_drains);
  ADD ("never-sent-closed-by-recovery", test_never_sent_closed_by_recovery);
  ADD ("sensitive-options", test_sensitive_options);

  return g_test_run ();
}
