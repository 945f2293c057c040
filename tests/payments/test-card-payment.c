#include <string.h>

#include <json-glib/json-glib.h>

#include "pd-card-payment.h"
#include "pd-card-profile.h"
#include "pd-card-readers.h"
#include "pd-hex.h"
#include "pd-terminal.h"
#include "pd-test-common.h"
#include "pd-test-core.h"
#include "pd-test-vpcd.h"

/* Card payments end to end, as an associate runs them: paydesk-ctl, a real pcscd with the
 * vpcd driver (tests/common/run-with-pcscd), paydesk-vcard answering as the card, and the
 * training core over HTTP. */

typedef struct {
  PdTestDir tmp;
  PdTestCore *core;
  char *data_dir;
  char *core_url;
} Fixture;

typedef struct {
  int status;
  char *out;
  char *err;
  char *log;
  JsonObject *json;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
  g_free (run->log);
  g_clear_pointer (&run->json, json_object_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  pd_test_dir_set_up (&fixture->tmp, data);
  fixture->core = pd_test_core_start (fixture->tmp.dir, 0, NULL);
  fixture->data_dir = g_build_filename (fixture->tmp.dir, "state", NULL);
  fixture->core_url = g_strdup (fixture->core->url);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->core, pd_test_core_free);
  g_free (fixture->data_dir);
  g_free (fixture->core_url);
  pd_test_dir_tear_down (&fixture->tmp, data);
}

static PdCardProfile *
load_profile (const char *name)
{
  g_autofree char *path = pd_card_profile_resolve (name, g_getenv ("PAYDESK_CARD_PROFILES"));
  g_autoptr(GError) error = NULL;
  PdCardProfile *profile = pd_card_profile_load (path, &error);

  g_assert_no_error (error);
  return profile;
}

/* A failed assertion must not leave a card behind, holding the test's output open: the card
 * dies with the test. */
static GSubprocess *
insert_card (const char *profile)
{
  g_autoptr(GError) error = NULL;
  GSubprocess *card = pd_test_vcard_insert (profile, &error);

  g_assert_no_error (error);
  return card;
}

static Run
run_ctl (Fixture     *fixture,
         const char  *amount,
         const char **extra)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *log_path = g_build_filename (fixture->tmp.dir, "card.log", NULL);
  Run run = { 0 };

  g_ptr_array_add (argv, g_strdup (g_getenv ("PAYDESK_CTL")));
  g_ptr_array_add (argv, g_strdup ("pay"));
  g_ptr_array_add (argv, g_strdup ("--json"));
  g_ptr_array_add (argv, g_strdup_printf ("--core-url=%s", fixture->core_url));
  g_ptr_array_add (argv, g_strdup_printf ("--data-dir=%s", fixture->data_dir));
  g_ptr_array_add (argv, g_strdup ("--account=400123456789"));
  g_ptr_array_add (argv, g_strdup_printf ("--amount=%s", amount));
  g_ptr_array_add (argv, g_strdup ("--tender=card"));
  g_ptr_array_add (argv, g_strdup ("--reader=" PD_TEST_VPCD_READER));
  g_ptr_array_add (argv, g_strdup ("--wait=10"));
  g_ptr_array_add (argv, g_strdup_printf ("--card-log=%s", log_path));
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (extra[i]));
  g_ptr_array_add (argv, NULL);

  unlink (log_path);
  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run.out, &run.err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run.status = g_subprocess_get_exit_status (process);
  g_file_get_contents (log_path, &run.log, NULL, NULL);
  g_test_message ("exit %d\nstdout: %s\nstderr: %s\ncard log:\n%s", run.status, run.out,
                  run.err, run.log != NULL ? run.log : "(none)");

  if (run.status != 2 && run.out != NULL && *run.out != '\0')
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      json_parser_load_from_data (parser, run.out, -1, &error);
      g_assert_no_error (error);
      run.json = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
    }
  return run;
}

/* One profile through one payment: the card goes in, pays, comes out. */
static Run
pay_with (Fixture     *fixture,
          const char  *profile,
          const char  *amount,
          const char **extra)
{
  GSubprocess *card = insert_card (profile);
  Run run = run_ctl (fixture, amount, extra);

  pd_test_vcard_remove (card);
  return run;
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *contents = NULL;
  gsize length;

  gsize needle_length = strlen (needle);

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;
  for (gsize at = 0; at + needle_length <= length; at++)
    if (memcmp (contents + at, needle, needle_length) == 0)
      return TRUE;
  return FALSE;
}

static void
assert_tree_lacks (const char *dir,
                   const char *needle,
                   guint      *files_seen)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        assert_tree_lacks (path, needle, files_seen);
      else
        {
          g_assert_false (file_contains (path, needle));
          (*files_seen)++;
        }
    }
}

/* No card number anywhere a person or a disk could keep it: the output, the card log, the
 * journal and the session logs kept for support. */
static void
assert_pan_nowhere (Fixture    *fixture,
                    Run        *run,
                    const char *profile_name)
{
  g_autoptr(PdCardProfile) profile = load_profile (profile_name);
  g_autofree char *sessions = g_build_filename (fixture->data_dir, "card-sessions", NULL);
  guint files_seen = 0;
  guint session_logs = 0;

  for (guint i = 0; i < profile->applications->len; i++)
    {
      PdCardApplication *app = g_ptr_array_index (profile->applications, i);

      g_assert_null (strstr (run->out != NULL ? run->out : "", app->pan));
      g_assert_null (strstr (run->err != NULL ? run->err : "", app->pan));
      g_assert_null (strstr (run->log != NULL ? run->log : "", app->pan));
      files_seen = 0;
      assert_tree_lacks (fixture->data_dir, app->pan, &files_seen);
    }

  /* Nor the card data sealed to the core: it goes with the authorization and is never
   * written down, even sealed (PCI DSS 3.3.1). Whoever holds the core's key (and the
   * training core's ships with Paydesk) finds nothing of the card on this terminal. */
  files_seen = 0;
  assert_tree_lacks (fixture->data_dir, "\"sealed\"", &files_seen);
  g_assert_cmpuint (files_seen, >=, 2);

  /* The search looked at something: the journal and this session's log at least. */
  assert_tree_lacks (sessions, "\x01", &session_logs);
  g_assert_cmpuint (session_logs, >=, 1);
  g_assert_cmpuint (files_seen, >=, 2);
}

static const char *
member (Run        *run,
        const char *name)
{
  g_assert_nonnull (run->json);
  return json_object_get_string_member_with_default (run->json, name, NULL);
}

static JsonObject *
payment_of (Run *run)
{
  g_assert_nonnull (run->json);
  g_assert_true (json_object_has_member (run->json, "payment"));
  return json_object_get_object_member (run->json, "payment");
}

/* An approved card payment: journaled complete, charged once in the core, card facts shown
 * with the last four digits only. */
static void
assert_approved (Fixture    *fixture,
                 Run        *run,
                 const char *profile_name,
                 const char *brand,
                 const char *aid,
                 const char *entry_mode)
{
  g_autoptr(PdCardProfile) profile = load_profile (profile_name);
  g_autoptr(JsonObject) charged = NULL;
  JsonObject *payment;
  const char *pan = NULL;

  for (guint i = 0; i < profile->applications->len; i++)
    {
      PdCardApplication *app = g_ptr_array_index (profile->applications, i);
      g_autofree char *app_aid = pd_hex_encode (g_bytes_get_data (app->aid, NULL),
                                                g_bytes_get_size (app->aid));

      if (g_str_equal (app_aid, aid))
        pan = app->pan;
    }
  g_assert_nonnull (pan);

  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpstr (member (run, "outcome"), ==, "approved");
  g_assert_cmpstr (member (run, "brand"), ==, brand);
  g_assert_cmpstr (member (run, "aid"), ==, aid);
  g_assert_cmpstr (member (run, "entry_mode"), ==, entry_mode);
  g_assert_cmpstr (member (run, "pan_last4"), ==, pan + strlen (pan) - 4);
  g_assert_cmpuint (strlen (member (run, "tvr")), ==, 10);
  g_assert_cmpuint (strlen (member (run, "tsi")), ==, 4);
  g_assert_cmpuint (strlen (member (run, "auth_code")), ==, 6);

  payment = payment_of (run);
  g_assert_cmpstr (json_object_get_string_member (payment, "state"), ==, "completed");
  charged = pd_test_core_find_payment (fixture->core,
                                       json_object_get_string_member (payment, "client_ref"));
  g_assert_nonnull (charged);
  g_assert_cmpint (json_object_get_int_member (charged, "amount_cents"), ==,
                   json_object_get_int_member (payment, "amount_cents"));
  g_assert_cmpuint (pd_test_core_count_payments (fixture->core,
                                                 json_object_get_string_member (payment,
                                                                                "client_ref")),
                    ==, 1);
  assert_pan_nowhere (fixture, run, profile_name);
}

typedef struct {
  const char *profile;
  const char *brand;
  const char *aid;
  const char *entry_mode;
  const char *application;
} Approval;

static const Approval approvals[] = {
  { "visa", "visa", "A0000000031010", "chip", NULL },
  { "mastercard", "mastercard", "A0000000041010", "chip", NULL },
  { "discover", "discover", "A0000001523010", "chip", NULL },
  { "visa-debit", "visa", "A0000000980840", "chip", "A0000000980840" },
  { "visa-t0", "visa", "A0000000031010", "chip", NULL },
  { "no-pse", "visa", "A0000000031010", "chip", NULL },
  { "sda", "visa", "A0000000031010", "chip", NULL },
  { "dda", "visa", "A0000000031010", "chip", NULL },
  { "dda-sfi11", "visa", "A0000000031010", "chip", NULL },
  { "cda", "visa", "A0000000031010", "chip", NULL },
  { "contactless-visa", "visa", "A0000000031010", "contactless", NULL },
  { "contactless-mastercard", "mastercard", "A0000000041010", "contactless", NULL },
  { "contactless-discover", "discover", "A0000001523010", "contactless", NULL },
  /* A phone verifies its owner itself: its tap needs no PIN on a kiosk that says it takes
   * consumer device verification. */
  { "wallet-visa", "visa", "A0000000031010", "contactless", NULL },
};

static void
test_approved (Fixture       *fixture,
               gconstpointer  data)
{
  const Approval *approval = data;
  g_autofree char *application = approval->application != NULL
                                 ? g_strdup_printf ("--application=%s", approval->application)
                                 : NULL;
  const char *extra[] = { application, NULL };
  g_auto(Run) run = pay_with (fixture, approval->profile, "75.00", extra);

  assert_approved (fixture, &run, approval->profile, approval->brand, approval->aid,
                   approval->entry_mode);

  /* Offline data authentication ran and passed on the cards that offer it. */
  if (g_str_equal (approval->profile, "sda") || g_str_equal (approval->profile, "dda") ||
      g_str_equal (approval->profile, "dda-sfi11") ||
      g_str_equal (approval->profile, "cda") || g_str_equal (approval->profile, "mastercard"))
    {
      const char *tvr = member (&run, "tvr");
      const char *tsi = member (&run, "tsi");
      guint tvr_byte_1 = (guint) (g_ascii_xdigit_value (tvr[0]) << 4 | g_ascii_xdigit_value (tvr[1]));

      /* Not "not performed", no SDA/DDA/CDA failure, no ICC data missing (only "SDA
       * selected" may be set); TSI "offline data authentication was performed". */
      g_assert_cmphex (tvr_byte_1 & 0xec, ==, 0x00);
      /* The ICC certificate holds the whole PAN: its value never reaches the log. */
      if (!g_str_equal (approval->profile, "sda"))
        g_assert_nonnull (strstr (run.log, "9F46=<"));
      g_assert_cmpint (g_ascii_xdigit_value (tsi[0]) & 0x8, ==, 0x8);
    }
}

static void
test_two_applications_need_a_choice (Fixture       *fixture,
                                     gconstpointer  data)
{
  const char *profile = data;
  g_auto(Run) run = pay_with (fixture, profile, "75.00", NULL);

  /* Nobody chose: the associate is shown both, nothing is charged. */
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "--application"));
  g_assert_nonnull (strstr (run.err, "A00000"));
  g_assert_cmpuint (pd_test_core_count_ledger (fixture->core), ==, 0);
}

static void
test_amex_refused (Fixture       *fixture,
                   gconstpointer  data)
{
  g_auto(Run) run = pay_with (fixture, "amex", "75.00", NULL);

  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "American Express"));
  g_assert_cmpuint (pd_test_core_count_ledger (fixture->core), ==, 0);
}

static void
test_expired_declined (Fixture       *fixture,
                       gconstpointer  data)
{
  g_auto(Run) run = pay_with (fixture, "expired", "75.00", NULL);

  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (member (&run, "outcome"), ==, "declined");
  g_assert_nonnull (strstr (member (&run, "message"), "expired"));
  /* Expired application: TVR byte 2, bit 7. */
  g_assert_cmpint (g_ascii_xdigit_value (member (&run, "tvr")[2]) & 0x4, ==, 0x4);
  g_assert_cmpuint (pd_test_core_count_ledger (fixture->core), ==, 0);
  assert_pan_nowhere (fixture, &run, "expired");
}

static void
test_card_declines_after_approval (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_auto(Run) run = pay_with (fixture, "declines-genac2", "75.00", NULL);
  g_autoptr(JsonObject) charged = NULL;
  JsonObject *payment;

  /* The core approved, the card said no at GENERATE AC 2: reversed, nothing charged. */
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (member (&run, "outcome"), ==, "reversed");
  payment = payment_of (&run);
  g_assert_cmpstr (json_object_get_string_member (payment, "state"), ==, "reversed");
  charged = pd_test_core_find_payment (fixture->core,
                                       json_object_get_string_member (payment, "client_ref"));
  g_assert_nonnull (charged);
  g_assert_cmpstr (json_object_get_string_member (charged, "status"), !=, "approved");
  g_assert_cmpstr (json_object_get_string_member (charged, "status"), !=, "completed");
  assert_pan_nowhere (fixture, &run, "declines-genac2");
}

static void
test_core_declines (Fixture       *fixture,
                    gconstpointer  data)
{
  /* The training core declines amounts ending in .51. */
  g_auto(Run) run = pay_with (fixture, "visa", "75.51", NULL);
  JsonObject *payment;

  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (member (&run, "outcome"), ==, "declined");
  payment = payment_of (&run);
  g_assert_cmpstr (json_object_get_string_member (payment, "state"), ==, "declined");
  /* The card was told: its last GENERATE AC asked for an AAC (P1 00). */
  g_assert_nonnull (strstr (run.log, "GENERATE AC 80 AE 00 00"));
}

static void
test_card_pulled_after_approval (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_auto(Run) run = pay_with (fixture, "pulled-before-genac2", "75.00", NULL);
  g_autoptr(JsonObject) charged = NULL;
  JsonObject *payment;

  /* Approved by the core, then the card left before its last word: reversed, once. */
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (member (&run, "outcome"), ==, "reversed");
  g_assert_nonnull (strstr (member (&run, "message"), "removed"));
  payment = payment_of (&run);
  g_assert_cmpstr (json_object_get_string_member (payment, "state"), ==, "reversed");
  charged = pd_test_core_find_payment (fixture->core,
                                       json_object_get_string_member (payment, "client_ref"));
  g_assert_nonnull (charged);
  g_assert_cmpstr (json_object_get_string_member (charged, "status"), ==, "reversed");
  g_assert_cmpuint (pd_test_core_count_payments (fixture->core,
                                                 json_object_get_string_member (payment,
                                                                                "client_ref")),
                    ==, 1);
  assert_pan_nowhere (fixture, &run, "pulled-before-genac2");
}

/* The issuer's scripts reach the card around GENERATE AC 2, and their results are told. */
static void
test_issuer_scripts (Fixture       *fixture,
                     gconstpointer  data)
{
  /* 71: APPLICATION UNBLOCK before GENERATE AC 2; 72: PIN CHANGE/UNBLOCK after it. Both
   * carry a 4-byte MAC, as secure messaging wants. */
  static const char scripts[] =
    "{\"issuer_scripts\": \"7112" "9F180400000001" "8609" "8418000004AABBCCDD"
    "7212" "9F180400000002" "8609" "8424000004AABBCCDD\"}";
  /* The same without a MAC: the card refuses it. */
  static const char refused[] =
    "{\"issuer_scripts\": \"710E" "9F180400000003" "8605" "8418000000\"}";
  g_auto(Run) run = { 0 };
  g_auto(Run) failed = { 0 };
  const char *tsi;
  const char *tvr;

  pd_test_core_control (fixture->core, scripts);
  run = pay_with (fixture, "visa", "75.00", NULL);
  assert_approved (fixture, &run, "visa", "visa", "A0000000031010", "chip");
  g_assert_nonnull (strstr (run.log, "ISSUER SCRIPT 84 18 00 00"));
  g_assert_nonnull (strstr (run.log, "ISSUER SCRIPT 84 24 00 00"));
  /* The 71 script went before the last GENERATE AC, the 72 script after it. */
  g_assert_true (strstr (run.log, "ISSUER SCRIPT 84 18") < strrchr (run.log, '>') &&
                 strstr (run.log, "ISSUER SCRIPT 84 18") < strstr (run.log, "GENERATE AC 80 AE 40"));
  g_assert_true (strstr (run.log, "ISSUER SCRIPT 84 24") > strstr (run.log, "GENERATE AC 80 AE 40"));
  tsi = member (&run, "tsi");
  g_assert_cmpint (g_ascii_xdigit_value (tsi[1]) & 0x4, ==, 0x4);
  tvr = member (&run, "tvr");
  g_assert_cmpint (g_ascii_xdigit_value (tvr[8]) & 0x3, ==, 0);

  pd_test_core_control (fixture->core, refused);
  failed = pay_with (fixture, "visa", "75.00", NULL);
  g_assert_cmpint (failed.status, ==, 0);
  tvr = member (&failed, "tvr");
  /* TVR byte 5: script processing failed before the final GENERATE AC. */
  g_assert_cmpint (g_ascii_xdigit_value (tvr[8]) & 0x2, ==, 0x2);
}

static void
test_clean_errors (Fixture       *fixture,
                   gconstpointer  data)
{
  const char *profile = data;
  g_auto(Run) run = pay_with (fixture, profile, "75.00", NULL);

  g_assert_cmpint (run.status, ==, 2);
  if (g_str_equal (profile, "pulled-after-gpo"))
    g_assert_nonnull (strstr (run.err, "removed"));
  else
    g_assert_nonnull (strstr (run.err, "cannot read"));
  g_assert_cmpuint (pd_test_core_count_ledger (fixture->core), ==, 0);
  assert_pan_nowhere (fixture, &run, profile);
}

static void
test_contactless_limit (Fixture       *fixture,
                        gconstpointer  data)
{
  /* The limit is 250.00: a tap of exactly that much is refused (EMV entry point), a cent
   * less goes through. */
  g_auto(Run) at_limit = pay_with (fixture, "contactless-visa", "250.00", NULL);
  g_auto(Run) below = { 0 };

  g_assert_cmpint (at_limit.status, ==, 2);
  g_assert_nonnull (strstr (at_limit.err, "insert"));
  g_assert_cmpuint (pd_test_core_count_ledger (fixture->core), ==, 0);

  below = pay_with (fixture, "contactless-visa", "249.99", NULL);
  g_assert_cmpint (below.status, ==, 0);
  g_assert_cmpuint (pd_test_core_count_ledger (fixture->core), ==, 1);
}

/* Ten billion dollars is over the terminal's maximum: refused before the card is read, in
 * words, not by the kernel's amount field giving up. */
static void
test_over_maximum (Fixture       *fixture,
                   gconstpointer  data)
{
  g_auto(Run) run = pay_with (fixture, "visa", "10000000000.00", NULL);

  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "is more than this terminal takes in one payment"));
  g_assert_cmpuint (pd_test_core_count_ledger (fixture->core), ==, 0);
}

static void
test_devices (Fixture       *fixture,
              gconstpointer  data)
{
  const char *argv[] = { g_getenv ("PAYDESK_CTL"), "devices", "--json", NULL };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *reader = NULL;
  GSubprocess *card = insert_card ("visa");

  /* pcscd sees the card at its next poll of vpcd. */
  reader = pd_card_readers_wait_for_card (NULL, PD_TEST_VPCD_READER, 10000, NULL, &error);
  g_assert_no_error (error);
  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("%s", out);
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  g_assert_nonnull (strstr (out, "\"running\""));
  g_assert_nonnull (strstr (out, PD_TEST_VPCD_READER));
  g_assert_nonnull (strstr (out, "\"present\""));
  pd_test_vcard_remove (card);
}

static void
test_no_card_service (Fixture       *fixture,
                      gconstpointer  data)
{
  const char *argv[] = { g_getenv ("PAYDESK_CTL"), "devices", NULL };
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (
                                              G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *socket = g_build_filename (fixture->tmp.dir, "no-pcscd.comm", NULL);
  g_autofree char *out = NULL;

  /* libpcsclite finds pcscd through this socket: point it where no pcscd listens. */
  g_subprocess_launcher_setenv (launcher, "PCSCLITE_CSOCK_NAME", socket, TRUE);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("%s", out);
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 1);
  g_assert_nonnull (strstr (out, "pcscd"));
  g_assert_nonnull (strstr (out, "not running"));
}

typedef struct {
  gboolean finished;
  gboolean done;
  GThread *thread;
  PdCardPaymentResult result;
  GError *error;
} AsyncRun;

static void
on_paid (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  AsyncRun *run = user_data;

  run->thread = g_thread_self ();
  run->done = pd_card_payment_run_finish (result, &run->result, &run->error);
  run->finished = TRUE;
}

typedef struct {
  PdTerminal *terminal;
  GError *error;
} OpenedTerminal;

static void
on_terminal_opened (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  OpenedTerminal *opened = user_data;

  opened->terminal = pd_terminal_new_finish (result, &opened->error);
}

/* What the GUI calls: the card and the core worked off the main thread, the answer came
 * back on it. The caller lets go of everything it handed over as soon as the payment starts
 * (a kiosk whose visit timed out): the worker holds its own. */
static void
test_async_for_the_gui (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *config_path = g_build_filename (fixture->tmp.dir, "paydesk.conf", NULL);
  g_autofree char *contents = g_strdup_printf ("[terminal]\ntraining = true\n"
                                               "[core]\nurl = %s\n"
                                               "[journal]\ndata-dir = %s\n",
                                               fixture->core_url, fixture->data_dir);
  g_autofree char *log_dir = g_build_filename (fixture->data_dir, "card-sessions", NULL);
  g_autoptr(PdConfig) config = NULL;
  g_autoptr(PdTerminal) terminal = NULL;
  g_autoptr(PdAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) logs = NULL;
  g_autofree char *reader = g_strdup (PD_TEST_VPCD_READER);
  PdCardPaymentContext *context;
  PdCardPaymentRequest request = { 0 };
  OpenedTerminal opened = { 0 };
  AsyncRun run = { 0 };
  GSubprocess *card;

  pd_test_write_file (config_path, contents);
  config = pd_config_load_file (config_path, &error);
  g_assert_no_error (error);
  g_assert_true (g_mkdir_with_parents (fixture->data_dir, 0700) == 0);

  /* Opened off the main thread, as the GUI opens it. */
  pd_terminal_new_async (config, PD_TERMINAL_FLAGS_NONE, NULL, on_terminal_opened, &opened);
  while (opened.terminal == NULL && opened.error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (opened.error);
  terminal = opened.terminal;
  g_assert_true (pd_terminal_get_config (terminal) == config);

  account = pd_payment_service_get_account (pd_terminal_get_payment_service (terminal),
                                            "400123456789", NULL, &error);
  g_assert_no_error (error);
  context = pd_card_payment_context_new (config, pd_terminal_get_payment_service (terminal),
                                         &error);
  g_assert_no_error (error);

  card = insert_card ("mastercard");
  request = (PdCardPaymentRequest) { .reader = reader, .wait_ms = 10000, .account = account,
                                     .amount = 4200 };
  pd_card_payment_run_async (context, &request, NULL, on_paid, &run);
  /* Poisoned and dropped: nothing of the caller's may be read by the worker from here. */
  memset (reader, 'X', strlen (reader));
  g_clear_pointer (&context, pd_card_payment_context_unref);
  g_clear_object (&account);
  g_clear_object (&terminal);
  g_clear_object (&config);
  while (!run.finished)
    g_main_context_iteration (NULL, TRUE);
  pd_test_vcard_remove (card);

  g_assert_no_error (run.error);
  g_assert_true (run.done);
  g_assert_true (run.thread == g_thread_self ());
  g_assert_cmpstr (run.result.outcome, ==, "approved");
  g_assert_cmpstr (run.result.brand, ==, "mastercard");
  g_assert_cmpstr (run.result.reader, ==, PD_TEST_VPCD_READER);
  g_assert_cmpint (pd_payment_get_state (run.result.payment), ==, PD_PAYMENT_STATE_COMPLETED);
  g_assert_cmpuint (pd_test_core_count_payments (fixture->core,
                                                 pd_payment_get_client_ref (run.result.payment)),
                    ==, 1);
  /* The session log went where the context said, not to wherever a freed path pointed. */
  logs = g_dir_open (log_dir, 0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (g_dir_read_name (logs));
  pd_card_payment_result_clear (&run.result);
}

/* The CA public keys are trust anchors: a production terminal reads its installed ones and
 * never the file $PAYDESK_CAPK names; training and the tests may point it elsewhere. */
static void
test_capk_from_environment (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *planted = g_build_filename (fixture->tmp.dir, "planted-capk.conf", NULL);
  g_autofree char *sample = pd_test_sample_config_with_key (fixture->tmp.dir);
  g_autofree char *installed = g_strdup (g_getenv ("PAYDESK_CAPK"));
  g_autoptr(PdConfig) training = pd_config_new_training ();
  g_autoptr(PdConfig) production = NULL;
  g_autoptr(PdTerminal) terminal = NULL;
  PdPaymentService *service;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdCardPaymentContext) from_environment = NULL;
  g_autoptr(PdCardPaymentContext) installed_keys = NULL;

  production = pd_config_load_file (sample, &error);
  g_assert_no_error (error);
  g_assert_false (pd_config_get_training (production));
  pd_config_override_data_dir (training, fixture->data_dir);
  terminal = pd_terminal_new (training, PD_TERMINAL_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  service = pd_terminal_get_payment_service (terminal);

  pd_test_write_file (planted, "[A000000003]\nthis is not a key table\n");
  g_setenv ("PAYDESK_CAPK", planted, TRUE);

  from_environment = pd_card_payment_context_new (training, service, &error);
  g_assert_null (from_environment);
  g_assert_nonnull (error);
  g_test_message ("training: %s", error->message);
  g_clear_error (&error);

  installed_keys = pd_card_payment_context_new (production, service, &error);
  g_assert_no_error (error);
  g_assert_nonnull (installed_keys);

  g_setenv ("PAYDESK_CAPK", installed, TRUE);
}

#define ADD(path, func, data) \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)

int
main (int    argc,
      char **argv)
{
  pd_test_init (&argc, &argv);

  for (gsize i = 0; i < G_N_ELEMENTS (approvals); i++)
    {
      g_autofree char *path = g_strdup_printf ("/card-payment/approved/%s",
                                               approvals[i].profile);

      ADD (path, test_approved, &approvals[i]);
    }
  ADD ("/card-payment/choice/visa-debit", test_two_applications_need_a_choice, "visa-debit");
  ADD ("/card-payment/choice/multi-app", test_two_applications_need_a_choice, "multi-app");
  ADD ("/card-payment/refused/amex", test_amex_refused, NULL);
  ADD ("/card-payment/declined/expired", test_expired_declined, NULL);
  ADD ("/card-payment/declined/by-core", test_core_declines, NULL);
  ADD ("/card-payment/reversed/declines-genac2", test_card_declines_after_approval, NULL);
  ADD ("/card-payment/reversed/pulled-before-genac2", test_card_pulled_after_approval, NULL);
  ADD ("/card-payment/issuer-scripts", test_issuer_scripts, NULL);
  ADD ("/card-payment/error/malformed-records", test_clean_errors, "malformed-records");
  ADD ("/card-payment/error/pulled-after-gpo", test_clean_errors, "pulled-after-gpo");
  ADD ("/card-payment/error/contactless-limit", test_contactless_limit, NULL);
  ADD ("/card-payment/error/over-maximum", test_over_maximum, NULL);
  ADD ("/card-payment/devices", test_devices, NULL);
  ADD ("/card-payment/async", test_async_for_the_gui, NULL);
  ADD ("/card-payment/capk-from-environment", test_capk_from_environment, NULL);
  ADD ("/card-payment/devices/no-pcscd", test_no_card_service, NULL);

  return g_test_run ();
}
