/* A terminal whose disk fills up at every point of a payment: the data folder is a tmpfs of
 * one size after another, in a mount namespace of the test's own, and paydesk-ctl takes a
 * bank payment on each against the training core. Whatever the disk does, nothing the core
 * charged is called "not charged", and once the disk has room, recovery finishes every
 * payment exactly once. */
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statvfs.h>

#include <glib/gstdio.h>

#include "pd-journal.h"
#include "pd-test-common.h"
#include "pd-test-core.h"

/* From a disk too small for an empty journal to one that takes the payment several times
 * over; the sweep stops after this many payments in a row went through. */
#define FIRST_SIZE_KB 4
#define STEP_KB 4
#define LAST_SIZE_KB 1024
#define SUCCESSES_TO_STOP 4

typedef struct {
  PdTestDir tmp;
  PdTestCore *core;
  char *disk;
  char *data_dir;
  char *config;
} Fixture;

typedef PdTestRun Run;

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, pd_test_run_clear)

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *contents = NULL;

  pd_test_dir_set_up (&fixture->tmp, data);
  fixture->core = pd_test_core_start (fixture->tmp.dir, 0, NULL);
  fixture->disk = g_build_filename (fixture->tmp.dir, "disk", NULL);
  fixture->data_dir = g_build_filename (fixture->disk, "state", NULL);
  fixture->config = g_build_filename (fixture->tmp.dir, "paydesk.conf", NULL);
  g_assert_cmpint (g_mkdir (fixture->disk, 0700), ==, 0);

  contents = g_strdup_printf ("[core]\nurl = %s\ntimeout-seconds = 5\n"
                              "[journal]\ndata-dir = %s\n", fixture->core->url,
                              fixture->data_dir);
  pd_test_write_file (fixture->config, contents);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  umount2 (fixture->disk, MNT_DETACH);
  g_clear_pointer (&fixture->core, pd_test_core_free);
  g_free (fixture->config);
  g_free (fixture->data_dir);
  g_free (fixture->disk);
  pd_test_dir_tear_down (&fixture->tmp, data);
}

/* A fresh, empty disk of that size in place of the last one. */
static void
mount_disk (Fixture *fixture,
            guint    size_kb)
{
  g_autofree char *options = g_strdup_printf ("size=%uk,mode=0700", size_kb);

  umount2 (fixture->disk, MNT_DETACH);
  g_assert_cmpint (mount ("tmpfs", fixture->disk, "tmpfs", MS_NOSUID | MS_NODEV, options), ==, 0);
}

/* The same disk, with its files, made roomy: space freed by support. */
static void
grow_disk (Fixture *fixture)
{
  g_assert_cmpint (mount ("tmpfs", fixture->disk, "tmpfs", MS_REMOUNT | MS_NOSUID | MS_NODEV,
                          "size=64m,mode=0700"), ==, 0);
}

G_GNUC_NULL_TERMINATED
static Run
ctl (const char *first_arg,
     ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  va_list args;

  g_ptr_array_add (argv, (gpointer) g_getenv ("PAYDESK_CTL"));
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  return pd_test_run ((const char * const *) argv->pdata, NULL);
}

static guint
ledger_size (PdTestCore *core)
{
  g_autoptr(JsonObject) ledger = pd_test_core_ledger (core);

  return json_array_get_length (json_object_get_array_member (ledger, "payments"));
}

/* The reference in "Payment REF was sent to the payment core and may have gone through". */
static char *
reference_in (const char *message)
{
  const char *start = strstr (message, "Payment ");
  const char *end;

  g_assert_nonnull (start);
  start += strlen ("Payment ");
  end = strchr (start, ' ');
  g_assert_nonnull (end);
  return g_strndup (start, (gsize) (end - start));
}

static void
test_sweep (Fixture       *fixture,
            gconstpointer  data)
{
  guint successes = 0;
  guint maybe_through = 0;
  guint refused = 0;

  for (guint size_kb = FIRST_SIZE_KB;
       size_kb <= LAST_SIZE_KB && successes < SUCCESSES_TO_STOP;
       size_kb += STEP_KB)
    {
      g_autofree char *journal_path = g_build_filename (fixture->data_dir, "journal.sqlite3",
                                                        NULL);
      g_autoptr(PdJournal) journal = NULL;
      g_autoptr(GPtrArray) completed = NULL;
      g_autoptr(GPtrArray) payments = NULL;
      g_autoptr(GError) error = NULL;
      guint before = ledger_size (fixture->core);
      guint charged;

      g_test_message ("disk of %u KiB", size_kb);
      mount_disk (fixture, size_kb);

      {
        g_auto(Run) pay = ctl ("pay", "--config", fixture->config, "--account", "400123456789",
                               "--amount", "61.00", "--tender", "bank", "--routing",
                               "021000021", "--bank-account", "000123456789",
                               "--account-type", "checking", "--holder", "Maria G", NULL);

        charged = ledger_size (fixture->core) - before;
        g_assert_cmpuint (charged, <=, 1);

        if (pay.status == 0)
          successes++;
        else if (strstr (pay.err, "may have gone through") != NULL)
          {
            g_autofree char *reference = reference_in (pay.err);

            g_assert_cmpint (pay.status, ==, 2);
            g_assert_nonnull (strstr (pay.err, "Do not take this payment again"));
            g_assert_cmpuint (pd_test_core_count_payments (fixture->core, reference), ==,
                              charged);
            maybe_through++;
          }
        else
          {
            /* Anything else the screen says must be true: nothing was charged. */
            g_assert_cmpint (pay.status, ==, 2);
            g_assert_cmpuint (charged, ==, 0);
            g_assert_null (strstr (pay.err, "Nothing was recorded"));
            refused++;
          }
      }

      /* Support frees space; the next drain finishes what the full disk left. */
      grow_disk (fixture);
      if (!g_file_test (journal_path, G_FILE_TEST_EXISTS))
        continue;

      {
        g_auto(Run) drain = ctl ("outbox", "drain", "--config", fixture->config, NULL);
        g_auto(Run) verify = ctl ("journal", "verify", "--data-dir", fixture->data_dir, NULL);

        g_assert_cmpint (drain.status, ==, 0);
        g_assert_cmpint (verify.status, ==, 0);
      }

      journal = pd_journal_open (journal_path, &error);
      g_assert_no_error (error);
      payments = pd_journal_list_payments (journal, NULL, &error);
      completed = pd_journal_list_payments_in_state (journal, PD_PAYMENT_STATE_COMPLETED,
                                                     &error);
      g_assert_no_error (error);
      g_assert_cmpuint (payments->len, <=, 1);
      /* Every payment the journal holds is finished: completed and charged once, or failed
       * and never charged. */
      for (guint i = 0; i < payments->len; i++)
        {
          PdPayment *payment = g_ptr_array_index (payments, i);
          guint in_ledger = pd_test_core_count_payments (fixture->core,
                                                         pd_payment_get_client_ref (payment));

          if (pd_payment_get_state (payment) == PD_PAYMENT_STATE_COMPLETED)
            g_assert_cmpuint (in_ledger, ==, 1);
          else
            {
              g_assert_cmpint (pd_payment_get_state (payment), ==, PD_PAYMENT_STATE_FAILED);
              g_assert_cmpuint (in_ledger, ==, 0);
            }
        }
      g_assert_cmpuint (ledger_size (fixture->core) - before, ==, completed->len);
    }

  g_test_message ("%u refused with nothing charged, %u may have gone through, then %u paid",
                  refused, maybe_through, successes);
  g_assert_cmpuint (successes, ==, SUCCESSES_TO_STOP);
  /* The sweep reached the points where the disk fills after the request left. */
  g_assert_cmpuint (maybe_through, >, 0);
  g_assert_cmpuint (refused, >, 0);
}

/* Fills what is left of the disk but free_kb with a file, as a growing log would. */
static void
leave_free (Fixture *fixture,
            guint    free_kb)
{
  g_autofree char *filler = g_build_filename (fixture->disk, "filler", NULL);
  g_autofree char *block = g_malloc0 (1024);
  struct statvfs disk;
  FILE *file;
  guint64 available_kb;

  g_assert_cmpint (statvfs (fixture->disk, &disk), ==, 0);
  available_kb = (guint64) disk.f_bavail * disk.f_frsize / 1024;
  file = fopen (filler, "w");
  g_assert_nonnull (file);
  for (guint64 i = 0; i + free_kb < available_kb; i++)
    if (fwrite (block, 1, 1024, file) != 1024)
      break;
  fclose (file);
}

/* Twenty payments wait in the outbox; the core comes back while the disk has a few KiB
 * left, a different few each round. Whatever the drain could journal, the next drain, with
 * room again, finishes the rest, and the core charges each payment once. */
static void
test_drain_sweep (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *journal_path = g_build_filename (fixture->data_dir, "journal.sqlite3", NULL);
  g_autofree char *filler = g_build_filename (fixture->disk, "filler", NULL);
  guint16 port = fixture->core->port;

  for (guint free_kb = 0; free_kb <= 96; free_kb += 24)
    {
      g_autoptr(PdJournal) journal = NULL;
      g_autoptr(GPtrArray) payments = NULL;
      g_autoptr(GError) error = NULL;
      guint before;

      g_test_message ("%u KiB left when the drain runs", free_kb);
      mount_disk (fixture, 4096);
      pd_test_core_stop (fixture->core);
      for (guint i = 0; i < 20; i++)
        {
          g_autofree char *amount = g_strdup_printf ("2.%02u", i);
          g_auto(Run) queued = ctl ("pay", "--config", fixture->config, "--account",
                                    "400123456789", "--line-of-business", "essential",
                                    "--amount", amount, "--tender", "bank", "--routing",
                                    "021000021", "--bank-account", "000123456789",
                                    "--account-type", "checking", "--holder", "Maria G", NULL);

          g_assert_cmpint (queued.status, ==, 0);
        }
      g_clear_pointer (&fixture->core, pd_test_core_free);
      fixture->core = pd_test_core_start (fixture->tmp.dir, port, NULL);
      before = ledger_size (fixture->core);

      leave_free (fixture, free_kb);
      {
        g_auto(Run) starved = ctl ("outbox", "drain", "--config", fixture->config, NULL);

        /* Whatever it says it sent, the core has at least that many. */
        if (strstr (starved.out, "Sent ") != NULL)
          g_assert_cmpuint (ledger_size (fixture->core) - before, >=,
                            (guint) g_ascii_strtoull (strstr (starved.out, "Sent ") + 5, NULL,
                                                      10));
      }

      g_assert_cmpint (g_unlink (filler), ==, 0);
      grow_disk (fixture);
      {
        g_auto(Run) drain = ctl ("outbox", "drain", "--config", fixture->config, NULL);
        g_auto(Run) verify = ctl ("journal", "verify", "--data-dir", fixture->data_dir, NULL);

        g_assert_cmpint (drain.status, ==, 0);
        g_assert_cmpint (verify.status, ==, 0);
      }

      journal = pd_journal_open (journal_path, &error);
      g_assert_no_error (error);
      payments = pd_journal_list_payments (journal, NULL, &error);
      g_assert_cmpuint (payments->len, ==, 20);
      for (guint i = 0; i < payments->len; i++)
        {
          PdPayment *payment = g_ptr_array_index (payments, i);

          g_assert_cmpint (pd_payment_get_state (payment), ==, PD_PAYMENT_STATE_COMPLETED);
          g_assert_cmpuint (pd_test_core_count_payments (fixture->core,
                                                         pd_payment_get_client_ref (payment)),
                            ==, 1);
        }
      g_assert_cmpuint (ledger_size (fixture->core) - before, ==, 20);
    }
}

int
main (int    argc,
      char **argv)
{
  pd_test_init (&argc, &argv);

  if (g_getenv ("PD_MOUNT_NAMESPACE") == NULL)
    {
      g_print ("1..0 # SKIP run me through tests/common/run-in-mount-namespace\n");
      return 0;
    }

  g_test_add ("/disk-full/sweep", Fixture, NULL, fixture_set_up, test_sweep,
              fixture_tear_down);
  g_test_add ("/disk-full/drain-sweep", Fixture, NULL, fixture_set_up, test_drain_sweep,
              fixture_tear_down);

  return g_test_run ();
}
