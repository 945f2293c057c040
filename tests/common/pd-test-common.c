#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

#include <glib/gstdio.h>
#include <sodium.h>

#include "pd-test-common.h"

const PdPaymentOrigin pd_test_origin = {
  .center_id = "NYC-0042",
  .terminal_id = "K-07",
  .operator_id = NULL,
  .business_day_cutoff_minutes = 0,
};

void
pd_test_init (int    *argc,
              char ***argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("PAYDESK_CONFIG", "", TRUE);
  g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
}

static char *gui_test_home;

static void
remove_gui_test_home (void)
{
  pd_test_remove_tree (gui_test_home);
  g_clear_pointer (&gui_test_home, g_free);
}

/* GTK needs the system data dirs (MIME database, icons, schemas), which
 * G_TEST_OPTION_ISOLATE_DIRS would hide; only the user's own dirs are made private. */
void
pd_test_init_gui (int    *argc,
                  char ***argv)
{
  static const char * const user_dirs[] = {
    "HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME",
    "XDG_RUNTIME_DIR",
  };
  gui_test_home = g_dir_make_tmp ("paydesk-test-home-XXXXXX", NULL);
  g_assert_nonnull (gui_test_home);
  atexit (remove_gui_test_home);

  for (gsize i = 0; i < G_N_ELEMENTS (user_dirs); i++)
    {
      g_autofree char *dir = g_build_filename (gui_test_home, user_dirs[i], NULL);

      g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
      g_setenv (user_dirs[i], dir, TRUE);
    }

  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("PAYDESK_CONFIG", "", TRUE);
  g_test_init (argc, argv, NULL);
}

char *
pd_test_make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("paydesk-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
pd_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
          pd_test_remove_tree (child);
        else
          g_unlink (child);
      }

  g_rmdir (path);
}

void
pd_test_dir_set_up (PdTestDir     *fixture,
                    gconstpointer  data)
{
  fixture->dir = pd_test_make_temp_dir ();
}

void
pd_test_dir_tear_down (PdTestDir     *fixture,
                       gconstpointer  data)
{
  pd_test_remove_tree (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
}

void
pd_test_write_file (const char *path,
                    const char *contents)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

/* Readable by its owner only, as Paydesk requires of a token, password or key. */
void
pd_test_write_secret (const char *path,
                      const char *contents)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents_full (path, contents, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error);
  g_assert_no_error (error);
}

void
pd_test_make_certificate (const char  *dir,
                          const char  *name,
                          char       **certificate,
                          char       **key)
{
  pd_test_make_certificate_for (dir, name, "IP:127.0.0.1", certificate, key);
}

void
pd_test_make_certificate_for (const char  *dir,
                              const char  *name,
                              const char  *alt_names,
                              char       **certificate,
                              char       **key)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *subject = g_strdup_printf ("/CN=paydesk test %s", name);
  g_autofree char *extension = g_strdup_printf ("subjectAltName=%s", alt_names);
  int status = 0;

  *certificate = g_strdup_printf ("%s/%s.crt", dir, name);
  *key = g_strdup_printf ("%s/%s.key", dir, name);
  {
    const char *argv[] = {
      "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
      "-subj", subject, "-addext", extension,
      "-keyout", *key, "-out", *certificate, NULL
    };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                  &status, &error);
  }
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  /* A key is a secret: its owner's alone, or Paydesk will not use it. */
  g_assert_cmpint (g_chmod (*key, 0600), ==, 0);
}

PdAccount *
pd_test_account_new (void)
{
  GDate due;
  PdAccount *account;
  g_autoptr(PdInvoice) invoice = NULL;

  g_date_clear (&due, 1);
  g_date_set_dmy (&due, 1, G_DATE_DECEMBER, 2026);

  account = pd_account_new ("400123456789", PD_LINE_OF_BUSINESS_ESSENTIAL_PLAN,
                            "MARIA L GONZALEZ", 15000, 7500, &due);
  invoice = pd_invoice_new ("INV2026110042", PD_INVOICE_PREMIUM, 7500, &due);
  pd_account_add_invoice (account, invoice);

  return account;
}

PdPayment *
pd_test_payment_new (PdAccount *account,
                     PdCents    amount,
                     PdTender   tender)
{
  g_autoptr(GError) error = NULL;
  PdPayment *payment = pd_payment_new (&pd_test_origin, account, NULL, amount, tender, NULL,
                                       &error);

  g_assert_no_error (error);
  g_assert_nonnull (payment);
  return payment;
}

void
pd_test_run_clear (PdTestRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

PdTestRun
pd_test_run (const char * const *argv,
             const char         *input)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  PdTestRun run = { 0 };

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                     G_SUBPROCESS_FLAGS_STDERR_PIPE |
                                     G_SUBPROCESS_FLAGS_STDIN_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input, NULL, &run.out, &run.err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run.status = g_subprocess_get_exit_status (process);

  g_test_message ("%s: exit %d\nstdout: %s\nstderr: %s", argv[0], run.status, run.out,
                  run.err);
  return run;
}

/* A test that fails an assertion must not leave its servers running (holding meson's pipes). */
static void
die_with_test (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

GSubprocess *
pd_test_spawn_listening (const char * const  *argv,
                         char               **url)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (
                                              G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  GSubprocess *process;

  g_subprocess_launcher_set_child_setup (launcher, die_with_test, NULL, NULL);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "listening on "));
  *url = g_strdup (line + strlen ("listening on "));
  return process;
}

/* The sample ships with a placeholder where the core's key goes: a copy with a key of a core
 * of this test's own, as an installer would fill it in. */
char *
pd_test_sample_config_with_key (const char *dir)
{
  static const char placeholder[] = "public-key = REPLACE-WITH-YOUR-PAYMENT-CORES-PUBLIC-KEY";
  g_autofree char *sample = NULL;
  g_autofree char *key_line = NULL;
  g_autofree char *public_b64 = NULL;
  g_auto(GStrv) parts = NULL;
  unsigned char public_key[crypto_box_PUBLICKEYBYTES];
  unsigned char secret_key[crypto_box_SECRETKEYBYTES];
  char *path = g_build_filename (dir, "sample.conf", NULL);

  g_assert_true (g_file_get_contents (g_getenv ("PAYDESK_SAMPLE_CONFIG"), &sample, NULL, NULL));
  g_assert_nonnull (strstr (sample, placeholder));
  g_assert_cmpint (sodium_init (), >=, 0);
  crypto_box_keypair (public_key, secret_key);
  sodium_memzero (secret_key, sizeof secret_key);
  public_b64 = g_base64_encode (public_key, sizeof public_key);
  key_line = g_strdup_printf ("public-key = %s", public_b64);
  parts = g_strsplit (sample, placeholder, 2);
  g_free (sample);
  sample = g_strjoinv (key_line, parts);
  pd_test_write_file (path, sample);
  return path;
}
