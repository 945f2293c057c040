/* Crash consistency: training payments of every tender (bank, check in the training scanner,
 * card through pcscd + vpcd + paydesk-vcard) taken by paydesk-ctl, each killed with SIGKILL
 * at a random moment while the training core shows a random fault; then recovery, then the
 * journal reconciled with the core's ledger. Every payment is charged once or not at all,
 * every card authorization left unfinished is reversed, every queued check or bank payment
 * is delivered once, and "journal verify" is clean.
 *
 * Runs under tests/common/run-with-pcscd. `--count N` sets the number of payments (100 by
 * default, what CI runs; 2000 is the soak); GTest's --seed repeats a run. */
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include <json-glib/json-glib.h>

#include "pd-journal.h"
#include "pd-test-common.h"
#include "pd-test-core.h"
#include "pd-test-vpcd.h"
#include "pd-training-check-scanner.h"

#define DEFAULT_COUNT 100
/* paydesk-ctl needs some tens of milliseconds to start and look the account up, and a
 * payment a few hundred more: kills land anywhere in it, or after it ended. */
#define MIN_KILL_DELAY_MS 20
#define MAX_KILL_DELAY_MS 700
/* How long recovery may take: the card payments' grace (twice card-seconds) and the
 * core's timeouts, with room to spare. */
#define RECOVERY_SECONDS 60

static guint count = DEFAULT_COUNT;

typedef enum {
  TENDER_BANK,
  TENDER_CHECK,
  TENDER_CARD,
  N_TENDERS
} Tender;

/* What the core does to the payment's request: nothing, or fail before or after taking it. */
static const char * const faults[] = {
  NULL,
  NULL,
  "{\"fault\": \"status\", \"status\": 503, \"method\": \"POST\"}",
  "{\"fault\": \"status\", \"status\": 500, \"after_processing\": true, \"method\": \"POST\"}",
  "{\"fault\": \"reset\", \"method\": \"POST\"}",
  "{\"fault\": \"reset\", \"after_processing\": true, \"method\": \"POST\"}",
  "{\"fault\": \"malformed\", \"after_processing\": true, \"method\": \"POST\"}",
  "{\"fault\": \"timeout\", \"after_processing\": true, \"method\": \"POST\"}",
  "{\"fault\": \"slow\", \"delay_ms\": 150, \"method\": \"POST\"}",
  "{\"fault\": \"slow\", \"delay_ms\": 150, \"after_processing\": true, \"method\": \"POST\"}",
  "{\"fault\": \"slow\", \"delay_ms\": 400, \"method\": \"POST\"}",
  "{\"fault\": \"slow\", \"delay_ms\": 400, \"after_processing\": true, \"method\": \"POST\"}",
};

static const char * const card_profiles[] = { "visa", "mastercard", "discover",
                                               "contactless-visa", "declines-genac2" };

typedef struct {
  PdTestDir tmp;
  PdTestCore *core;
  char *config;
  char *data_dir;
  char *slot;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *contents = NULL;

  pd_test_dir_set_up (&fixture->tmp, data);
  fixture->core = pd_test_core_start (fixture->tmp.dir, 0, NULL);
  fixture->data_dir = g_build_filename (fixture->tmp.dir, "state", NULL);
  fixture->slot = g_build_filename (g_get_user_runtime_dir (), "paydesk", "training-check-slot",
                                    NULL);
  fixture->config = g_build_filename (fixture->tmp.dir, "paydesk.conf", NULL);
  contents = g_strdup_printf ("[terminal]\ntraining = true\n"
                              "[core]\nurl = %s\ntimeout-seconds = 2\n"
                              "connect-timeout-seconds = 2\n"
                              "[journal]\ndata-dir = %s\n"
                              "[devices]\ncard-readers = " PD_TEST_VPCD_READER "\n"
                              "[timeouts]\ncard-seconds = 2\n"
                              "[outbox]\nmax-payment = 500.00\nmax-total = 1000000.00\n",
                              fixture->core->url, fixture->data_dir);
  pd_test_write_file (fixture->config, contents);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->core, pd_test_core_free);
  g_free (fixture->config);
  g_free (fixture->data_dir);
  g_free (fixture->slot);
  pd_test_dir_tear_down (&fixture->tmp, data);
}

/* A card or a stray program must not outlive the test. */
static void
die_with_test (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static GSubprocess *
spawn (const char * const *argv,
       GSubprocessFlags    flags)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (flags);
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  g_subprocess_launcher_set_child_setup (launcher, die_with_test, NULL, NULL);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  return process;
}

static GSubprocess *
insert_card (const char *profile)
{
  g_autoptr(GError) error = NULL;
  GSubprocess *card = pd_test_vcard_insert (profile, &error);

  g_assert_no_error (error);
  return card;
}

static void
insert_check (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *profile = pd_training_check_find_profile ("personal", &error);

  g_assert_no_error (error);
  g_assert_true (pd_training_check_remove (fixture->slot, &error));
  g_assert_true (pd_training_check_insert (fixture->slot, profile, &error));
  g_assert_no_error (error);
}

typedef struct {
  GSubprocess *payer;
  guint killer;
} Payer;

static gboolean
kill_payment (gpointer data)
{
  Payer *payer = data;

  payer->killer = 0;
  g_subprocess_send_signal (payer->payer, SIGKILL);
  return G_SOURCE_REMOVE;
}

static void
on_exited (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *(gboolean *) data = TRUE;
}

/* One payment, killed after delay_ms unless it ended first. TRUE when it was killed. */
static gboolean
pay_and_kill (Fixture *fixture,
              Tender   tender,
              guint    amount_cents,
              guint    delay_ms)
{
  g_autofree char *amount = g_strdup_printf ("%u.%02u", amount_cents / 100, amount_cents % 100);
  const char *bank_argv[] = {
    g_getenv ("PAYDESK_CTL"), "pay", "--config", fixture->config, "--account", "400123456789",
    "--amount", amount, "--tender", "bank", "--routing", "021000021", "--bank-account",
    "000123456789", "--account-type", "checking", "--holder", "Maria G", NULL
  };
  const char *check_argv[] = {
    g_getenv ("PAYDESK_CTL"), "pay", "--config", fixture->config, "--account", "400123456789",
    "--amount", amount, "--tender", "check", "--wait", "5", NULL
  };
  const char *card_argv[] = {
    g_getenv ("PAYDESK_CTL"), "pay", "--config", fixture->config, "--account", "400123456789",
    "--amount", amount, "--tender", "card", "--reader", PD_TEST_VPCD_READER, "--wait", "5",
    NULL
  };
  const char * const *argv = tender == TENDER_BANK ? bank_argv
                             : tender == TENDER_CHECK ? check_argv : card_argv;
  g_autoptr(GSubprocess) process = spawn (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  Payer payer = { process, 0 };
  gboolean exited = FALSE;

  payer.killer = g_timeout_add (delay_ms, kill_payment, &payer);
  g_subprocess_wait_async (process, NULL, on_exited, &exited);
  while (!exited)
    g_main_context_iteration (NULL, TRUE);

  g_clear_handle_id (&payer.killer, g_source_remove);
  return g_subprocess_get_if_signaled (process);
}

/* Payments the kills left open so far (the journal may not exist yet). */
static guint
count_unresolved (Fixture *fixture)
{
  g_autofree char *path = g_build_filename (fixture->data_dir, "journal.sqlite3", NULL);
  g_autoptr(PdJournal) journal = NULL;
  g_autoptr(GPtrArray) unresolved = NULL;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return 0;
  journal = pd_journal_open (path, NULL);
  g_assert_nonnull (journal);
  unresolved = pd_journal_list_unresolved (journal, NULL);
  g_assert_nonnull (unresolved);
  return unresolved->len;
}

static gboolean
verify_is_clean (Fixture *fixture)
{
  const char *argv[] = { g_getenv ("PAYDESK_CTL"), "journal", "verify", "--data-dir",
                         fixture->data_dir, NULL };
  PdTestRun run = pd_test_run (argv, NULL);
  gboolean clean = run.status == 0;

  pd_test_run_clear (&run);
  return clean;
}

static void
drain (Fixture *fixture)
{
  const char *argv[] = { g_getenv ("PAYDESK_CTL"), "outbox", "drain", "--config",
                         fixture->config, NULL };
  PdTestRun run = pd_test_run (argv, NULL);

  pd_test_run_clear (&run);
}

static gboolean
recovery_too_slow (gpointer data)
{
  g_error ("recovery did not finish every payment within %d seconds", RECOVERY_SECONDS);
  return G_SOURCE_REMOVE;
}

static gboolean
drain_again (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Drains until nothing is left without an outcome. Card payments are reversed only once
 * their grace has passed, so the drain goes again every half second until then. */
static void
recover (Fixture *fixture)
{
  guint deadline = g_timeout_add_seconds (RECOVERY_SECONDS, recovery_too_slow, NULL);

  pd_test_core_control (fixture->core, "{\"clear\": true}");
  for (;;)
    {
      gboolean again = FALSE;

      drain (fixture);
      if (verify_is_clean (fixture))
        break;
      g_timeout_add (500, drain_again, &again);
      while (!again)
        g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (deadline);
}

/* The ledger's payments by client reference, each with how often the core has it. */
static GHashTable *
ledger_by_reference (Fixture    *fixture,
                     GHashTable *statuses)
{
  g_autoptr(JsonObject) ledger = pd_test_core_ledger (fixture->core);
  JsonArray *payments = json_object_get_array_member (ledger, "payments");
  GHashTable *counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < json_array_get_length (payments); i++)
    {
      JsonObject *payment = json_array_get_object_element (payments, i);
      const char *reference = json_object_get_string_member (payment, "client_ref");

      g_hash_table_insert (counts, g_strdup (reference),
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (
                             g_hash_table_lookup (counts, reference)) + 1));
      g_hash_table_insert (statuses, g_strdup (reference),
                           g_strdup (json_object_get_string_member (payment, "status")));
    }
  return counts;
}

static void
reconcile (Fixture *fixture,
           guint   *by_state)
{
  g_autofree char *path = g_build_filename (fixture->data_dir, "journal.sqlite3", NULL);
  g_autoptr(PdJournal) journal = NULL;
  g_autoptr(GPtrArray) payments = NULL;
  g_autoptr(GHashTable) statuses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          g_free);
  g_autoptr(GHashTable) counts = ledger_by_reference (fixture, statuses);
  g_autoptr(GHashTable) journaled = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer reference;

  journal = pd_journal_open (path, &error);
  g_assert_no_error (error);
  payments = pd_journal_list_payments (journal, NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < payments->len; i++)
    {
      PdPayment *payment = g_ptr_array_index (payments, i);
      const char *ref = pd_payment_get_client_ref (payment);
      guint charged = GPOINTER_TO_UINT (g_hash_table_lookup (counts, ref));
      const char *status = g_hash_table_lookup (statuses, ref);

      g_hash_table_add (journaled, (gpointer) ref);
      by_state[pd_payment_get_state (payment)]++;
      /* The core never holds a payment twice. */
      g_assert_cmpuint (charged, <=, 1);

      switch (pd_payment_get_state (payment))
        {
        case PD_PAYMENT_STATE_COMPLETED:
          g_test_message ("%s completed: core %s", ref, status);
          g_assert_cmpuint (charged, ==, 1);
          g_assert_true (g_strcmp0 (status, "approved") == 0 ||
                         g_strcmp0 (status, "accepted") == 0);
          break;
        case PD_PAYMENT_STATE_REVERSED:
          /* Reversed before the core saw it, or reversed there. */
          g_assert_true (charged == 0 || g_strcmp0 (status, "reversed") == 0);
          break;
        case PD_PAYMENT_STATE_DECLINED:
          g_assert_true (charged == 0 || g_strcmp0 (status, "declined") == 0);
          break;
        case PD_PAYMENT_STATE_FAILED:
          /* Nothing charged: never sent, or refused. */
          g_assert_true (charged == 0 || g_strcmp0 (status, "declined") == 0);
          break;
        default:
          g_test_fail_printf ("payment %s was left %s", ref,
                              pd_payment_state_to_id (pd_payment_get_state (payment)));
        }
    }

  /* And nothing charged that the terminal does not know of. */
  g_hash_table_iter_init (&iter, counts);
  while (g_hash_table_iter_next (&iter, &reference, NULL))
    if (!g_hash_table_contains (journaled, reference))
      g_test_fail_printf ("the core holds %s, which the journal does not",
                          (const char *) reference);
}

static void
test_kill_anywhere (Fixture       *fixture,
                    gconstpointer  data)
{
  guint killed = 0;
  guint left_open = 0;
  guint by_tender[N_TENDERS] = { 0 };
  guint by_state[PD_N_PAYMENT_STATES] = { 0 };
  g_autoptr(GString) summary = g_string_new (NULL);

  for (guint i = 0; i < count; i++)
    {
      Tender tender = (Tender) g_test_rand_int_range (0, N_TENDERS);
      const char *fault = faults[g_test_rand_int_range (0, G_N_ELEMENTS (faults))];
      guint delay_ms = (guint) g_test_rand_int_range (MIN_KILL_DELAY_MS, MAX_KILL_DELAY_MS + 1);
      /* Never ending in 51 cents: the training core declines those. */
      guint amount = 100 + (guint) g_test_rand_int_range (0, 100) * 100 + i % 50;
      GSubprocess *card = NULL;
      gboolean was_killed;
      guint unresolved_before;

      by_tender[tender]++;
      pd_test_core_control (fixture->core, "{\"clear\": true}");
      if (fault != NULL)
        pd_test_core_control (fixture->core, fault);
      if (tender == TENDER_CARD)
        card = insert_card (card_profiles[g_test_rand_int_range (0, G_N_ELEMENTS (card_profiles))]);
      else if (tender == TENDER_CHECK)
        insert_check (fixture);

      unresolved_before = count_unresolved (fixture);
      was_killed = pay_and_kill (fixture, tender, amount, delay_ms);
      killed += was_killed;
      left_open += count_unresolved (fixture) > unresolved_before;

      if (card != NULL)
        pd_test_vcard_remove (card);
      /* A payment the kill stopped before the scanner took the check leaves it there. */
      if (tender == TENDER_CHECK)
        g_assert_true (pd_training_check_remove (fixture->slot, NULL));
    }

  recover (fixture);
  reconcile (fixture, by_state);

  for (guint s = 0; s < PD_N_PAYMENT_STATES; s++)
    if (by_state[s] > 0)
      g_string_append_printf (summary, " %u %s", by_state[s], pd_payment_state_to_id (s));
  g_test_message ("%u payments (%u bank, %u check, %u card), %u killed, %u of them between "
                  "the journal and an outcome; after recovery:%s",
                  count, by_tender[TENDER_BANK], by_tender[TENDER_CHECK], by_tender[TENDER_CARD],
                  killed, left_open, summary->str);
  /* The kills did land, some in the middle of a payment: a harness that never interrupts
   * anything proves nothing. */
  g_assert_cmpuint (killed, <, count);
  g_assert_cmpuint (left_open, >, 0);
}

int
main (int    argc,
      char **argv)
{
  /* --count N, taken out before GTest reads its own options. */
  for (int i = 1; i + 1 < argc; i++)
    if (g_str_equal (argv[i], "--count"))
      {
        guint64 value = 0;

        if (!g_ascii_string_to_unsigned (argv[i + 1], 10, 1, 100000, &value, NULL))
          {
            g_printerr ("--count takes a number of payments from 1 to 100000\n");
            return 2;
          }
        count = (guint) value;
        memmove (&argv[i], &argv[i + 2], (size_t) (argc - i - 1) * sizeof argv[0]);
        argc -= 2;
        break;
      }

  pd_test_init (&argc, &argv);

  g_test_add ("/crash/kill-anywhere", Fixture, NULL, fixture_set_up, test_kill_anywhere,
              fixture_tear_down);

  return g_test_run ();
}
