/* paydesk-ctl with the devices of a training terminal (no configuration file: [devices]
 * printer = training, check-scanner = training): `devices`, `printer test` with the training
 * printer's fault files, and `pay --tender check` with training checks in the scanner's slot
 * and the training core behind it. The checks' account numbers are read from their profiles
 * and compared, never printed: what the commands say is logged with them blotted out. */

/* memmem */
#define _GNU_SOURCE

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "pd-escpos-reader.h"
#include "pd-journal.h"
#include "pd-printer-test-page.h"
#include "pd-test-common.h"
#include "pd-test-core.h"
#include "pd-training-check-scanner.h"
#include "pd-training-printer.h"

/* An account of the training core's seed (assets/training-members.json). */
#define MEMBER_ACCOUNT "400123456789"

/* paydesk-vcheck starts, and ends once the scanner hands its check back, well within this
 * even under AddressSanitizer. */
#define PROCESS_TIMEOUT_MS 30000

typedef struct {
  PdTestDir tmp;
  char *data_dir;
  char *printer_dir;
  char *runtime_dir;
  char *slot;
  char *no_pcscd_socket;
  PdTestCore *core;
  /* The full account number of the check in the slot: kept out of the test's log. */
  char *account_number;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  pd_test_dir_set_up (&fixture->tmp, data);
  fixture->data_dir = g_build_filename (fixture->tmp.dir, "state", NULL);
  fixture->printer_dir = g_build_filename (fixture->data_dir, "training-printer", NULL);
  /* G_TEST_OPTION_ISOLATE_DIRS gives each test a runtime dir of its own, which the scanner's
   * default slot is under. */
  fixture->runtime_dir = g_strdup (g_get_user_runtime_dir ());
  fixture->slot = g_build_filename (fixture->runtime_dir, "paydesk", "training-check-slot",
                                    NULL);
  fixture->no_pcscd_socket = g_build_filename (fixture->tmp.dir, "no-pcscd.comm", NULL);
}

static void
fixture_set_up_with_core (Fixture       *fixture,
                          gconstpointer  data)
{
  fixture_set_up (fixture, data);
  fixture->core = pd_test_core_start (fixture->tmp.dir, 0, NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->core, pd_test_core_free);
  g_free (fixture->data_dir);
  g_free (fixture->printer_dir);
  g_free (fixture->runtime_dir);
  g_free (fixture->slot);
  g_free (fixture->no_pcscd_socket);
  g_free (fixture->account_number);
  pd_test_dir_tear_down (&fixture->tmp, data);
}

/* What a command said, fit for the log. */
static char *
blot_out_account_number (Fixture    *fixture,
                         const char *text)
{
  g_auto(GStrv) pieces = NULL;

  if (text == NULL || fixture->account_number == NULL)
    return g_strdup (text);
  pieces = g_strsplit (text, fixture->account_number, -1);
  return g_strjoinv ("[ACCOUNT NUMBER]", pieces);
}

/* A failed assertion must not leave a child behind, holding meson's pipes open. */
static void
die_with_test (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* Children get this test's runtime dir, so that they look for checks in the slot this test
 * fills: the isolated dirs live inside GLib, and the environment children inherit has
 * XDG_RUNTIME_DIR=/dev/null. And libpcsclite finds pcscd through PCSCLITE_CSOCK_NAME: a socket
 * where none listens makes the card service "not running" whatever this machine runs. */
static GSubprocessLauncher *
launcher_new (Fixture          *fixture,
              GSubprocessFlags  flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", fixture->runtime_dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "PCSCLITE_CSOCK_NAME", fixture->no_pcscd_socket,
                                TRUE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_test, NULL, NULL);
  return launcher;
}

/* Runs the real paydesk-ctl built by meson on this test's data dir (and core, if any). Not
 * pd_test_run (): the command needs launcher_new ()'s environment, and its output may hold
 * what must not reach the log. */
G_GNUC_NULL_TERMINATED
static PdTestRun
ctl (Fixture    *fixture,
     const char *first_arg,
     ...)
{
  g_autoptr(GSubprocessLauncher) launcher = launcher_new (fixture,
                                                          G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                          G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *logged_out = NULL;
  g_autofree char *logged_err = NULL;
  PdTestRun run = { 0 };
  int ended;
  va_list args;

  g_assert_nonnull (g_getenv ("PAYDESK_CTL"));
  g_ptr_array_add (argv, (gpointer) g_getenv ("PAYDESK_CTL"));
  g_ptr_array_add (argv, "--data-dir");
  g_ptr_array_add (argv, fixture->data_dir);
  if (fixture->core != NULL)
    {
      g_ptr_array_add (argv, "--core-url");
      g_ptr_array_add (argv, fixture->core->url);
    }
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run.out, &run.err, &error);
  g_assert_no_error (error);
  /* Logged first: a command that crashed, or that a sanitizer stopped, says why there. */
  ended = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process)
                                               : -g_subprocess_get_term_sig (process);
  logged_out = blot_out_account_number (fixture, run.out);
  logged_err = blot_out_account_number (fixture, run.err);
  g_test_message ("exit %d (negative: killed by that signal)\nstdout: %s\nstderr: %s", ended,
                  logged_out, logged_err);
  g_assert_true (g_subprocess_get_if_exited (process));
  run.status = ended;
  return run;
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

/* ---- devices ---- */

static JsonObject *
find_peripheral (JsonObject *devices,
                 const char *kind)
{
  JsonArray *peripherals = json_object_get_array_member (devices, "peripherals");
  JsonObject *found = NULL;

  for (guint i = 0; i < json_array_get_length (peripherals); i++)
    {
      JsonObject *peripheral = json_array_get_object_element (peripherals, i);

      if (g_strcmp0 (json_object_get_string_member (peripheral, "kind"), kind) == 0)
        {
          g_assert_null (found);
          found = peripheral;
        }
    }

  g_assert_nonnull (found);
  return found;
}

/* Health is a list of words ("present,paper-out"): a word, not a substring. */
static gboolean
health_has (JsonObject *peripheral,
            const char *word)
{
  g_auto(GStrv) words = g_strsplit (json_object_get_string_member (peripheral, "health"), ",",
                                    -1);

  return g_strv_contains ((const char * const *) words, word);
}

static void
write_printer_flag (Fixture    *fixture,
                    const char *flag)
{
  g_autofree char *path = g_build_filename (fixture->printer_dir, flag, NULL);

  g_assert_cmpint (g_mkdir_with_parents (fixture->printer_dir, 0700), ==, 0);
  pd_test_write_file (path, "");
}

static void
remove_printer_flag (Fixture    *fixture,
                     const char *flag)
{
  g_autofree char *path = g_build_filename (fixture->printer_dir, flag, NULL);

  g_assert_cmpint (g_unlink (path), ==, 0);
}

static void
test_devices (Fixture       *fixture,
              gconstpointer  data)
{
  {
    g_auto(PdTestRun) ready = ctl (fixture, "--json", "devices", NULL);
    g_autoptr(JsonNode) root = NULL;
    JsonObject *devices;
    JsonObject *printer;
    JsonObject *scanner;

    /* Both training devices are ready: the answer is no only because no card service runs
     * here (see launcher_new), and a terminal without one takes no cards. */
    g_assert_cmpint (ready.status, ==, 1);
    root = parse_json (ready.out);
    devices = json_node_get_object (root);
    g_assert_cmpstr (json_object_get_string_member (devices, "card_service"), ==,
                     "not_running");
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (devices,
                                                                           "card_readers")),
                      ==, 0);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (devices,
                                                                           "peripherals")),
                      ==, 2);

    printer = find_peripheral (devices, "printer");
    g_assert_cmpstr (json_object_get_string_member (printer, "setting"), ==, "training");
    g_assert_cmpstr (json_object_get_string_member (printer, "name"), ==, "Training printer");
    g_assert_cmpstr (json_object_get_string_member (printer, "location"), ==,
                     fixture->printer_dir);
    g_assert_cmpstr (json_object_get_string_member (printer, "health"), ==, "present,ready");

    /* The command's slot is this test's: checks put there reach it. */
    scanner = find_peripheral (devices, "check_scanner");
    g_assert_cmpstr (json_object_get_string_member (scanner, "setting"), ==, "training");
    g_assert_cmpstr (json_object_get_string_member (scanner, "name"), ==,
                     "Training check scanner");
    g_assert_cmpstr (json_object_get_string_member (scanner, "location"), ==, fixture->slot);
    g_assert_cmpstr (json_object_get_string_member (scanner, "health"), ==, "present,ready");
  }

  write_printer_flag (fixture, "paper-out");

  {
    g_auto(PdTestRun) no_paper = ctl (fixture, "--json", "devices", NULL);
    g_autoptr(JsonNode) root = NULL;
    JsonObject *devices;
    JsonObject *printer;

    g_assert_cmpint (no_paper.status, ==, 1);
    root = parse_json (no_paper.out);
    devices = json_node_get_object (root);
    printer = find_peripheral (devices, "printer");
    g_assert_true (health_has (printer, "present"));
    g_assert_true (health_has (printer, "paper-out"));
    g_assert_false (health_has (printer, "ready"));
    g_assert_nonnull (strstr (json_object_get_string_member (printer, "detail"), "out of paper"));
    g_assert_cmpstr (json_object_get_string_member (find_peripheral (devices, "check_scanner"),
                                                    "health"), ==, "present,ready");
  }
}

/* ---- printer test ---- */

/* The training printer's receipts (RECEIPT.escpos and RECEIPT.png), by name. */
static GPtrArray *
list_receipts (Fixture *fixture)
{
  GPtrArray *receipts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = g_dir_open (fixture->printer_dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "receipt-"))
      g_ptr_array_add (receipts, g_strdup (name));
  return receipts;
}

static void
assert_private_file (const char *path)
{
  GStatBuf status;

  g_assert_cmpint (g_stat (path, &status), ==, 0);
  g_assert_true (S_ISREG (status.st_mode));
  g_assert_cmpint (status.st_mode & 0777, ==, 0600);
}

/* A PNG starts with its signature and the IHDR chunk: length, type, then the width and the
 * height, big-endian. */
static guint32
png_width (const char *path)
{
  static const guint8 signature[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  guint32 width;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, >=, 24);
  g_assert_cmpmem (contents, sizeof signature, signature, sizeof signature);
  g_assert_cmpmem (contents + 12, 4, "IHDR", 4);
  memcpy (&width, contents + 16, sizeof width);
  return GUINT32_FROM_BE (width);
}

static void
test_printer_test (Fixture       *fixture,
                   gconstpointer  data)
{
  g_auto(PdTestRun) printed = ctl (fixture, "--json", "printer", "test", NULL);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) receipts = NULL;
  g_autoptr(PdPrinterProfile) profile = NULL;
  g_autoptr(PdEscposDocument) document = NULL;
  g_autoptr(GBytes) job = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *profile_path = NULL;
  g_autofree char *base = NULL;
  g_autofree char *escpos_path = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) qr_payloads = NULL;
  JsonObject *result;
  const char *png_path;
  gsize length = 0;

  g_assert_cmpint (printed.status, ==, 0);
  root = parse_json (printed.out);
  result = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (result, "outcome"), ==, "printed");
  g_assert_cmpstr (json_object_get_string_member (result, "printer"), ==, "Epson TM-T88");

  /* One job: its bytes and its drawing, side by side in the printer's folder. */
  png_path = json_object_get_string_member (result, "image");
  g_assert_nonnull (png_path);
  g_assert_true (g_str_has_prefix (png_path, fixture->printer_dir));
  g_assert_true (g_str_has_suffix (png_path, ".png"));
  base = g_strndup (png_path, strlen (png_path) - strlen (".png"));
  escpos_path = g_strconcat (base, ".escpos", NULL);
  receipts = list_receipts (fixture);
  g_assert_cmpuint (receipts->len, ==, 2);
  /* Receipts hold members' payments: only the terminal's user reads them. */
  assert_private_file (escpos_path);
  assert_private_file (png_path);

  g_file_get_contents (escpos_path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpint ((gint64) length, ==, json_object_get_int_member (result, "bytes"));
  job = g_bytes_new_take (g_steal_pointer (&contents), length);

  /* Read back as the TM-T88 the training printer plays, with its code pages. */
  profile_path = g_build_filename (pd_printer_profile_get_directory (),
                                   PD_TRAINING_PRINTER_MODEL ".conf", NULL);
  profile = pd_printer_profile_load (profile_path, &error);
  g_assert_no_error (error);
  document = pd_escpos_document_read_bytes (job, profile, &error);
  g_assert_no_error (error);

  text = pd_escpos_document_dup_text (document);
  g_assert_nonnull (strstr (text, "Printer test"));
  g_assert_nonnull (strstr (text, "Epson TM-T88"));
  /* The built-in training configuration's terminal. */
  g_assert_nonnull (strstr (text, "TRAIN-01"));
  qr_payloads = pd_escpos_document_dup_qr_payloads (document);
  g_assert_cmpuint (g_strv_length (qr_payloads), ==, 1);
  g_assert_cmpstr (qr_payloads[0], ==, PD_PRINTER_TEST_PAGE_QR);
  g_assert_cmpuint (pd_escpos_document_count_items (document, PD_ESCPOS_ITEM_CUT), ==, 1);

  /* Drawn on paper of the printer's full width. */
  g_assert_cmpuint (pd_printer_profile_get_paper_width (profile), ==, 512);
  g_assert_cmpuint (png_width (png_path), ==, 512);
}

static void
test_printer_faults (Fixture       *fixture,
                     gconstpointer  data)
{
  write_printer_flag (fixture, "paper-out");

  {
    g_auto(PdTestRun) no_paper = ctl (fixture, "printer", "test", NULL);
    g_autoptr(GPtrArray) receipts = list_receipts (fixture);

    g_assert_cmpint (no_paper.status, ==, 1);
    g_assert_nonnull (strstr (no_paper.out, "not printed"));
    g_assert_nonnull (strstr (no_paper.out, "out of paper"));
    g_assert_cmpuint (receipts->len, ==, 0);
  }

  remove_printer_flag (fixture, "paper-out");
  write_printer_flag (fixture, "cover-open");

  {
    g_auto(PdTestRun) cover_open = ctl (fixture, "printer", "test", NULL);
    g_autoptr(GPtrArray) receipts = list_receipts (fixture);

    g_assert_cmpint (cover_open.status, ==, 1);
    g_assert_nonnull (strstr (cover_open.out, "not printed"));
    g_assert_nonnull (strstr (cover_open.out, "cover is open"));
    g_assert_cmpuint (receipts->len, ==, 0);
  }

  /* Low paper is a warning: the page still prints. */
  remove_printer_flag (fixture, "cover-open");
  write_printer_flag (fixture, "paper-low");

  {
    g_auto(PdTestRun) low_paper = ctl (fixture, "printer", "test", NULL);
    g_autoptr(GPtrArray) receipts = list_receipts (fixture);

    g_assert_cmpint (low_paper.status, ==, 0);
    g_assert_nonnull (strstr (low_paper.out, "Test page printed on Epson TM-T88"));
    g_assert_cmpuint (receipts->len, ==, 2);
  }
}

/* ---- pay --tender check ---- */

/* The account number of a training check: the on-us field, between the routing number's
 * closing transit symbol (U+2446) and the next on-us symbol (U+2448). */
static char *
account_number_of_profile (const char *profile_path)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *micr = NULL;
  const char *start;
  const char *end;
  char *account_number;

  g_key_file_load_from_file (file, profile_path, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  micr = g_key_file_get_string (file, "Check", "Micr", &error);
  g_assert_no_error (error);

  start = g_utf8_strrchr (micr, -1, 0x2446);
  g_assert_nonnull (start);
  start = g_utf8_next_char (start);
  end = g_utf8_strchr (start, -1, 0x2448);
  g_assert_nonnull (end);
  account_number = g_strstrip (g_strndup (start, (gsize) (end - start)));
  /* Long enough not to turn up by chance in a database. */
  g_assert_cmpuint (strlen (account_number), >=, 9);
  return account_number;
}

static char *
find_profile (Fixture    *fixture,
              const char *profile)
{
  g_autoptr(GError) error = NULL;
  char *path = pd_training_check_find_profile (profile, &error);

  g_assert_no_error (error);
  g_clear_pointer (&fixture->account_number, g_free);
  fixture->account_number = account_number_of_profile (path);
  return path;
}

static gboolean
slot_holds_check (Fixture *fixture)
{
  g_autofree char *path = g_build_filename (fixture->slot, PD_TRAINING_CHECK_FILE, NULL);

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

/* The library's default slot is worked out once per process, and this process changes
 * runtime dirs from one test to the next: the slot is named. */
static void
insert_check (Fixture    *fixture,
              const char *profile)
{
  g_autofree char *path = find_profile (fixture, profile);
  g_autoptr(GError) error = NULL;

  g_assert_true (pd_training_check_insert (fixture->slot, path, &error));
  g_assert_no_error (error);
  g_assert_true (slot_holds_check (fixture));
}

static PdTestRun
pay_check (Fixture *fixture)
{
  /* The check is in the slot already: the wait only bounds a failure. */
  return ctl (fixture, "--json", "pay", "--account", MEMBER_ACCOUNT, "--amount", "75.00",
              "--tender", "check", "--wait", "5", NULL);
}

static void
assert_not_in (Fixture    *fixture,
               const char *data,
               gsize       length,
               const char *where)
{
  if (data != NULL &&
      memmem (data, length, fixture->account_number, strlen (fixture->account_number)) != NULL)
    g_test_fail_printf ("The check's full account number is in %s.", where);
}

static void
assert_not_in_file (Fixture    *fixture,
                    const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (g_file_get_contents (path, &contents, &length, NULL))
    assert_not_in (fixture, contents, length, path);
}

/* Nowhere the terminal or the core keeps it, nor in what the command said. */
static void
assert_account_number_nowhere (Fixture         *fixture,
                               const PdTestRun *run)
{
  g_autofree char *journal = g_build_filename (fixture->data_dir, "journal.sqlite3", NULL);
  g_autofree char *journal_wal = g_strconcat (journal, "-wal", NULL);
  g_autofree char *ledger_wal = g_strconcat (fixture->core->db_path, "-wal", NULL);

  g_assert_true (g_file_test (journal, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (fixture->core->db_path, G_FILE_TEST_IS_REGULAR));

  assert_not_in (fixture, run->out, strlen (run->out), "the standard output");
  assert_not_in (fixture, run->err, strlen (run->err), "the standard error");
  assert_not_in_file (fixture, journal);
  assert_not_in_file (fixture, journal_wal);
  assert_not_in_file (fixture, fixture->core->db_path);
  assert_not_in_file (fixture, ledger_wal);
}

static void
assert_accepted_once (Fixture    *fixture,
                      JsonObject *payment)
{
  g_autoptr(JsonObject) ledger = pd_test_core_find_payment (
    fixture->core, json_object_get_string_member (payment, "client_ref"));

  g_assert_nonnull (ledger);
  g_assert_cmpstr (json_object_get_string_member (ledger, "status"), ==, "accepted");
  g_assert_cmpstr (json_object_get_string_member (ledger, "tender"), ==, "check");
  g_assert_cmpint (json_object_get_int_member (ledger, "amount_cents"), ==, 7500);
  g_assert_cmpstr (json_object_get_string_member (ledger, "account_number"), ==, MEMBER_ACCOUNT);
  g_assert_cmpstr (json_object_get_string_member (ledger, "confirmation_number"), ==,
                   json_object_get_string_member (payment, "confirmation"));
}

/* The request the terminal journaled for a payment, as sent to the core. */
static char *
journaled_request_body (Fixture    *fixture,
                        const char *payment_id)
{
  g_autofree char *path = g_build_filename (fixture->data_dir, "journal.sqlite3", NULL);
  g_autoptr(PdJournal) journal = NULL;
  g_autoptr(PdJournalRequest) request = NULL;
  g_autoptr(GError) error = NULL;

  journal = pd_journal_open (path, &error);
  g_assert_no_error (error);
  request = pd_journal_get_first_request (journal, payment_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (request);
  g_assert_cmpstr (request->path, ==, "/v1/payments");
  return g_strdup (request->body);
}

static guint
journal_size (Fixture *fixture)
{
  g_auto(PdTestRun) list = ctl (fixture, "--json", "journal", "list", NULL);
  g_autoptr(JsonNode) root = NULL;

  g_assert_cmpint (list.status, ==, 0);
  root = parse_json (list.out);
  return json_array_get_length (json_object_get_array_member (json_node_get_object (root),
                                                              "payments"));
}

/* What paid with a check says of it: the account number masked to its last four digits. */
static void
assert_check_paid (Fixture    *fixture,
                   JsonObject *result)
{
  JsonObject *check = json_object_get_object_member (result, "check");
  JsonObject *payment = json_object_get_object_member (result, "payment");
  const char *last4 = fixture->account_number + strlen (fixture->account_number) - 4;
  g_autofree char *masked = g_strconcat ("****", last4, NULL);

  g_assert_cmpstr (json_object_get_string_member (result, "outcome"), ==, "taken");
  g_assert_true (json_object_get_null_member (result, "message"));
  g_assert_cmpstr (json_object_get_string_member (check, "account"), ==, masked);
  g_assert_true (json_object_get_boolean_member (check, "usable"));

  g_assert_nonnull (payment);
  g_assert_cmpstr (json_object_get_string_member (payment, "tender"), ==, "check");
  g_assert_cmpstr (json_object_get_string_member (payment, "tender_last4"), ==, last4);
  g_assert_cmpstr (json_object_get_string_member (payment, "account"), ==, MEMBER_ACCOUNT);
  g_assert_cmpint (json_object_get_int_member (payment, "amount_cents"), ==, 7500);
}

/* paydesk-vcheck as a trainer runs it, with no --slot: its default slot must be the one
 * paydesk-ctl scans. */
typedef struct {
  GSubprocess *process;
  GDataInputStream *out;
  GString *output;
} Vcheck;

static void
vcheck_start (Vcheck     *vcheck,
              Fixture    *fixture,
              const char *profile)
{
  const char *argv[] = { g_getenv ("PAYDESK_VCHECK"), "--profile", profile, NULL };
  g_autoptr(GSubprocessLauncher) launcher = launcher_new (fixture,
                                                          G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  g_assert_nonnull (argv[0]);
  g_free (find_profile (fixture, profile));
  vcheck->process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  vcheck->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (vcheck->process));
  vcheck->output = g_string_new (NULL);

  /* It says so once the check is in: no guessing, no sleeping. */
  line = g_data_input_stream_read_line_utf8 (vcheck->out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_string_append_printf (vcheck->output, "%s\n", line);
  g_assert_nonnull (strstr (line, "inserted"));
  g_assert_nonnull (strstr (line, fixture->slot));
  g_assert_true (slot_holds_check (fixture));
}

static void
on_vcheck_exited (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  gboolean *exited = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *exited = TRUE;
}

static gboolean
on_time_up (gpointer user_data)
{
  gboolean *time_up = user_data;

  *time_up = TRUE;
  return G_SOURCE_REMOVE;
}

/* It ends by itself once the scanner has handed the check back. */
static void
vcheck_finish (Vcheck *vcheck)
{
  g_autoptr(GError) error = NULL;
  gboolean exited = FALSE;
  gboolean time_up = FALSE;
  guint timeout = g_timeout_add (PROCESS_TIMEOUT_MS, on_time_up, &time_up);
  char *line;

  g_subprocess_wait_async (vcheck->process, NULL, on_vcheck_exited, &exited);
  while (!exited && !time_up)
    g_main_context_iteration (NULL, TRUE);
  if (!time_up)
    g_source_remove (timeout);
  if (!exited)
    {
      g_subprocess_force_exit (vcheck->process);
      while (!exited)
        g_main_context_iteration (NULL, TRUE);
    }
  g_assert_false (time_up);
  g_assert_true (g_subprocess_get_if_exited (vcheck->process));
  g_assert_cmpint (g_subprocess_get_exit_status (vcheck->process), ==, 0);

  while ((line = g_data_input_stream_read_line_utf8 (vcheck->out, NULL, NULL, &error)) != NULL)
    {
      g_string_append_printf (vcheck->output, "%s\n", line);
      g_free (line);
    }
  g_assert_no_error (error);
}

static void
vcheck_clear (Vcheck *vcheck)
{
  g_clear_object (&vcheck->out);
  g_clear_object (&vcheck->process);
  if (vcheck->output != NULL)
    g_string_free (g_steal_pointer (&vcheck->output), TRUE);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Vcheck, vcheck_clear)

static void
test_check_personal (Fixture       *fixture,
                     gconstpointer  data)
{
  g_auto(Vcheck) vcheck = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *result;
  JsonObject *check;
  JsonObject *payment;

  vcheck_start (&vcheck, fixture, "personal");

  {
    g_auto(PdTestRun) paid = pay_check (fixture);

    g_assert_cmpint (paid.status, ==, 0);
    root = parse_json (paid.out);
    result = json_node_get_object (root);
    assert_check_paid (fixture, result);

    check = json_object_get_object_member (result, "check");
    g_assert_cmpstr (json_object_get_string_member (check, "routing_number"), ==, "021000021");
    g_assert_cmpstr (json_object_get_string_member (check, "serial"), ==, "1042");
    g_assert_false (json_object_get_boolean_member (check, "business"));
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (check, "problems")),
                      ==, 0);
    g_assert_cmpint (json_object_get_int_member (check, "front_tiff_bytes"), >, 0);
    g_assert_cmpint (json_object_get_int_member (check, "back_tiff_bytes"), >, 0);
    g_assert_true (json_object_get_null_member (check, "images_missing_reason"));

    /* A member's own check with a serial: converted at the point of purchase. */
    payment = json_object_get_object_member (result, "payment");
    g_assert_cmpstr (json_object_get_string_member (payment, "state"), ==, "completed");
    g_assert_cmpstr (json_object_get_string_member (payment, "tender_brand"), ==, "POP");
    g_assert_true (g_str_has_prefix (json_object_get_string_member (payment, "confirmation"),
                                     "CNF-"));
    assert_accepted_once (fixture, payment);
    g_assert_cmpuint (pd_test_core_count_ledger (fixture->core), ==, 1);

    /* The member keeps the check: the scanner hands it back. */
    vcheck_finish (&vcheck);
    g_assert_nonnull (strstr (vcheck.output->str, "came back"));
    g_assert_false (slot_holds_check (fixture));

    assert_account_number_nowhere (fixture, &paid);
    assert_not_in (fixture, vcheck.output->str, vcheck.output->len, "paydesk-vcheck's output");
  }
}

/* pay --tender check --signature: a converted check's authorization, signed on the
 * screen, recorded with the payment and on its receipt. */
static void
test_check_signed (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *sample = g_test_build_filename (G_TEST_DIST, "..", "assets",
                                                   "training-signature.txt", NULL);
  g_auto(Vcheck) vcheck = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *payment;

  vcheck_start (&vcheck, fixture, "personal");

  {
    g_auto(PdTestRun) paid = ctl (fixture, "--json", "pay", "--account", MEMBER_ACCOUNT,
                                  "--amount", "75.00", "--tender", "check", "--wait", "5",
                                  "--signature", sample, NULL);

    g_assert_cmpint (paid.status, ==, 0);
    root = parse_json (paid.out);
    assert_check_paid (fixture, json_node_get_object (root));
    payment = json_object_get_object_member (json_node_get_object (root), "payment");
    g_assert_cmpstr (json_object_get_string_member (payment, "tender_brand"), ==, "POP");
    vcheck_finish (&vcheck);
  }

  {
    g_auto(PdTestRun) receipt = ctl (fixture, "receipt",
                                     json_object_get_string_member (payment, "client_ref"),
                                     "--format", "text", NULL);

    g_assert_cmpint (receipt.status, ==, 0);
    g_assert_nonnull (strstr (receipt.out, "\nSigned on screen by "));
    g_assert_nonnull (strstr (receipt.out, "Your authorization"));
  }
}

static void
test_check_business (Fixture       *fixture,
                     gconstpointer  data)
{
  g_auto(PdTestRun) paid = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;
  JsonObject *result;
  JsonObject *check;
  JsonObject *payment;
  JsonArray *problems;

  insert_check (fixture, "business");
  paid = pay_check (fixture);

  g_assert_cmpint (paid.status, ==, 0);
  root = parse_json (paid.out);
  result = json_node_get_object (root);
  assert_check_paid (fixture, result);
  check = json_object_get_object_member (result, "check");
  g_assert_true (json_object_get_boolean_member (check, "business"));
  g_assert_nonnull (json_object_get_string_member (check, "aux_on_us"));
  problems = json_object_get_array_member (check, "problems");
  g_assert_cmpuint (json_array_get_length (problems), ==, 1);
  g_assert_nonnull (strstr (json_array_get_string_element (problems, 0), "business check"));
  g_assert_cmpint (json_object_get_int_member (check, "front_tiff_bytes"), >, 0);
  g_assert_cmpint (json_object_get_int_member (check, "back_tiff_bytes"), >, 0);

  /* NACHA lets no merchant convert a business check: it goes as its images (Check 21). */
  payment = json_object_get_object_member (result, "payment");
  g_assert_cmpstr (json_object_get_string_member (payment, "state"), ==, "completed");
  g_assert_cmpstr (json_object_get_string_member (payment, "tender_brand"), ==, "CHECK21");
  body = journaled_request_body (fixture, json_object_get_string_member (payment, "id"));
  g_assert_nonnull (strstr (body, "\"authorization\":\"CHECK21\""));
  g_assert_nonnull (strstr (body, "\"images_included\":true"));
  assert_accepted_once (fixture, payment);

  g_assert_false (slot_holds_check (fixture));
  assert_account_number_nowhere (fixture, &paid);
}

static void
test_check_no_images (Fixture       *fixture,
                      gconstpointer  data)
{
  g_auto(PdTestRun) paid = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;
  JsonObject *result;
  JsonObject *check;
  JsonObject *payment;
  const char *reason;

  insert_check (fixture, "no-images");
  paid = pay_check (fixture);

  g_assert_cmpint (paid.status, ==, 0);
  root = parse_json (paid.out);
  result = json_node_get_object (root);
  assert_check_paid (fixture, result);
  check = json_object_get_object_member (result, "check");
  g_assert_cmpint (json_object_get_int_member (check, "front_tiff_bytes"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (check, "back_tiff_bytes"), ==, 0);
  reason = json_object_get_string_member (check, "images_missing_reason");
  g_assert_nonnull (reason);
  g_assert_cmpstr (reason, !=, "");

  /* A consumer check with a serial converts without images; the core is told why. */
  payment = json_object_get_object_member (result, "payment");
  g_assert_cmpstr (json_object_get_string_member (payment, "state"), ==, "completed");
  g_assert_cmpstr (json_object_get_string_member (payment, "tender_brand"), ==, "POP");
  body = journaled_request_body (fixture, json_object_get_string_member (payment, "id"));
  g_assert_nonnull (strstr (body, "\"images_included\":false"));
  g_assert_nonnull (strstr (body, "\"images_missing_reason\""));
  assert_accepted_once (fixture, payment);

  g_assert_false (slot_holds_check (fixture));
  assert_account_number_nowhere (fixture, &paid);
}

typedef struct {
  const char *profile;
  const char *problem;
} Refusal;

static const Refusal torn = { "torn", "could not be read" };
static const Refusal bad_check_digit = { "bad-check-digit", "check digit does not match" };

/* A check that cannot be read well enough is refused before anything is journaled or sent:
 * the associate hands it back and nothing is charged. */
static void
test_check_refused (Fixture       *fixture,
                    gconstpointer  data)
{
  const Refusal *refusal = data;
  g_auto(PdTestRun) refused = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *result;
  JsonObject *check;
  const char *message;

  insert_check (fixture, refusal->profile);
  refused = pay_check (fixture);

  g_assert_cmpint (refused.status, ==, 1);
  root = parse_json (refused.out);
  result = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (result, "outcome"), ==, "refused");
  message = json_object_get_string_member (result, "message");
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, refusal->problem));
  g_assert_nonnull (strstr (message, "Nothing was charged"));
  g_assert_false (json_object_has_member (result, "payment"));

  check = json_object_get_object_member (result, "check");
  g_assert_false (json_object_get_boolean_member (check, "usable"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (check, "problems")),
                    >, 0);

  g_assert_cmpuint (pd_test_core_count_ledger (fixture->core), ==, 0);
  g_assert_cmpuint (journal_size (fixture), ==, 0);
  g_assert_false (slot_holds_check (fixture));
  assert_account_number_nowhere (fixture, &refused);
}

static void
test_check_none (Fixture       *fixture,
                 gconstpointer  data)
{
  gint64 started = g_get_monotonic_time ();
  g_auto(PdTestRun) none = ctl (fixture, "pay", "--account", MEMBER_ACCOUNT, "--amount",
                                "75.00", "--tender", "check", "--wait", "1", NULL);
  gint64 waited = g_get_monotonic_time () - started;

  g_assert_cmpint (none.status, ==, 2);
  g_assert_nonnull (strstr (none.err, "There is no check"));
  /* It gave the member the second it was told to before giving up. */
  g_assert_cmpint (waited, >=, G_TIME_SPAN_SECOND);
  g_assert_cmpuint (pd_test_core_count_ledger (fixture->core), ==, 0);
  g_assert_cmpuint (journal_size (fixture), ==, 0);
}

static void
test_check_core_down (Fixture       *fixture,
                      gconstpointer  data)
{
  guint16 port = fixture->core->port;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) outbox_root = NULL;
  JsonObject *payment;
  JsonObject *outbox;
  JsonObject *waiting;
  const char *client_ref;

  /* Nobody listens on the core's address any more. */
  pd_test_core_stop (fixture->core);
  insert_check (fixture, "personal");

  {
    g_auto(PdTestRun) needs_core = ctl (fixture, "pay", "--account", MEMBER_ACCOUNT,
                                        "--amount", "75.00", "--tender", "check", "--wait",
                                        "5", NULL);

    /* Without the line of business the account is asked of the core, before the check is
     * touched: it stays in the slot for the next try. */
    g_assert_cmpint (needs_core.status, ==, 2);
    g_assert_nonnull (strstr (needs_core.err, "Cannot reach the payment core"));
    g_assert_true (slot_holds_check (fixture));
  }

  {
    g_auto(PdTestRun) queued = ctl (fixture, "--json", "pay", "--account", MEMBER_ACCOUNT,
                                    "--line-of-business", "essential", "--amount", "75.00",
                                    "--tender", "check", "--wait", "5", NULL);
    g_auto(PdTestRun) outbox_list = ctl (fixture, "--json", "outbox", "list", NULL);

    /* pd_ctl_exit_for_payment: a queued payment is taken, exit 0. */
    g_assert_cmpint (queued.status, ==, 0);
    root = parse_json (queued.out);
    assert_check_paid (fixture, json_node_get_object (root));
    payment = json_object_get_object_member (json_node_get_object (root), "payment");
    g_assert_cmpstr (json_object_get_string_member (payment, "state"), ==, "queued");
    g_assert_cmpstr (json_object_get_string_member (payment, "tender_brand"), ==, "POP");
    g_assert_nonnull (strstr (json_object_get_string_member (payment, "reason"),
                              "Cannot reach the payment core"));
    client_ref = json_object_get_string_member (payment, "client_ref");
    g_assert_false (slot_holds_check (fixture));

    g_assert_cmpint (outbox_list.status, ==, 0);
    outbox_root = parse_json (outbox_list.out);
    outbox = json_node_get_object (outbox_root);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (outbox, "payments")),
                      ==, 1);
    waiting = json_array_get_object_element (json_object_get_array_member (outbox, "payments"),
                                             0);
    g_assert_cmpstr (json_object_get_string_member (waiting, "client_ref"), ==, client_ref);
    g_assert_cmpstr (json_object_get_string_member (waiting, "tender"), ==, "check");
    g_assert_cmpstr (json_object_get_string_member (waiting, "state"), ==, "queued");
    g_assert_cmpint (json_object_get_int_member (outbox, "total_cents"), ==, 7500);

    assert_account_number_nowhere (fixture, &queued);
  }

  /* The core comes back on the same address and takes the check, once. */
  g_clear_pointer (&fixture->core, pd_test_core_free);
  fixture->core = pd_test_core_start (fixture->tmp.dir, port, NULL);

  {
    g_auto(PdTestRun) drained = ctl (fixture, "outbox", "drain", NULL);
    g_autoptr(JsonObject) ledger = pd_test_core_find_payment (fixture->core, client_ref);

    g_assert_nonnull (ledger);
    g_assert_cmpint (drained.status, ==, 0);
    g_assert_nonnull (strstr (drained.out, "Sent 1 payment"));
    g_assert_cmpstr (json_object_get_string_member (ledger, "status"), ==, "accepted");
    g_assert_cmpuint (pd_test_core_count_ledger (fixture->core), ==, 1);
    assert_account_number_nowhere (fixture, &drained);
  }
}

static char *
proc_line (GPid        pid,
           const char *file,
           const char *prefix)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/%s", (int) pid, file);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], prefix))
      return g_strdup (lines[i]);
  return NULL;
}

/* paydesk-ctl holds card and bank data: while it waits for a check, its files would be its
 * user's alone, and it would leave no core dump. */
static void
test_process_hardened (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GSubprocessLauncher) launcher = launcher_new (fixture,
                                                          G_SUBPROCESS_FLAGS_STDERR_PIPE |
                                                          G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  const char *argv[] = { g_getenv ("PAYDESK_CTL"), "--data-dir", fixture->data_dir,
                         "--core-url", fixture->core->url, "pay", "--account", MEMBER_ACCOUNT,
                         "--amount", "75.00", "--tender", "check", "--wait", "30", NULL };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) err = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *umask_line = NULL;
  g_autofree char *core_line = NULL;
  g_auto(GStrv) core_fields = NULL;
  GPid pid;

  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  err = g_data_input_stream_new (g_subprocess_get_stderr_pipe (process));
  /* It asks for the check once it is ready to read one (after saying it is a training
   * terminal, having no configuration file). */
  do
    {
      g_free (line);
      line = g_data_input_stream_read_line_utf8 (err, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (line);
    }
  while (strstr (line, "Insert the check") == NULL);

  pid = (GPid) g_ascii_strtoll (g_subprocess_get_identifier (process), NULL, 10);
  umask_line = proc_line (pid, "status", "Umask:");
  core_line = proc_line (pid, "limits", "Max core file size");
  g_subprocess_force_exit (process);
  g_subprocess_wait (process, NULL, NULL);

  g_assert_cmpstr (umask_line, ==, "Umask:\t0077");
  g_assert_nonnull (core_line);
  core_fields = g_strsplit_set (core_line + strlen ("Max core file size"), " ", -1);
  for (guint i = 0, n = 0; core_fields[i] != NULL && n < 2; i++)
    if (*core_fields[i] != '\0')
      {
        /* The soft and the hard limit. */
        g_assert_cmpstr (core_fields[i], ==, "0");
        n++;
      }
}

#define ADD(path, func) \
  g_test_add ("/ctl-devices/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
#define ADD_WITH_CORE(path, func, data) \
  g_test_add ("/ctl-devices/" path, Fixture, data, fixture_set_up_with_core, func, \
              fixture_tear_down)

int
main (int    argc,
      char **argv)
{
  pd_test_init (&argc, &argv);

  ADD ("devices", test_devices);
  ADD ("printer-test", test_printer_test);
  ADD ("printer-faults", test_printer_faults);
  ADD_WITH_CORE ("check/personal", test_check_personal, NULL);
  ADD_WITH_CORE ("check/signed", test_check_signed, NULL);
  ADD_WITH_CORE ("check/business", test_check_business, NULL);
  ADD_WITH_CORE ("check/no-images", test_check_no_images, NULL);
  ADD_WITH_CORE ("check/torn", test_check_refused, &torn);
  ADD_WITH_CORE ("check/bad-check-digit", test_check_refused, &bad_check_digit);
  ADD_WITH_CORE ("check/none", test_check_none, NULL);
  ADD_WITH_CORE ("check/core-down", test_check_core_down, NULL);
  ADD_WITH_CORE ("process-hardened", test_process_hardened, NULL);

  return g_test_run ();
}
