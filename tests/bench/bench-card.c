#include <locale.h>
#include <stdio.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "pd-card-payment.h"
#include "pd-card-readers.h"
#include "pd-hex.h"
#include "pd-terminal.h"
#include "pd-test-common.h"
#include "pd-test-core.h"
#include "pd-test-vpcd.h"

/* The card benchmark: card seen → authorization request sent, for every approving card
 * profile. Run by `meson test -C _build --benchmark` under tests/common/run-with-pcscd (a
 * pcscd of its own with the vpcd virtual readers), against the training core.
 *
 * "Card seen" is pd_card_readers_wait_for_card returning; "request sent" is just before
 * pd_payment_service_authorize_card. pd_card_payment_run measures that span itself:
 * commands_before_request counts every exchange with the card (GET RESPONSE and corrected-Le
 * resends included), transmit_usec_before_request is the time inside SCardTransmit, and
 * kiosk_usec_before_request the rest: connecting to the card through pcscd, the kernel's
 * own work (TLV, DOLs, offline data authentication, risk management) and sealing the card
 * data for the core.
 *
 * Two ways of paying, both on the same inserted card:
 *
 * - In this process, through pd_card_payment_run with a PdPaymentService on a journal in a
 *   temporary folder: the APDU count, the kiosk-side time (wall time minus the time inside
 *   SCardTransmit) and the transmit time come from here. No process start, configuration
 *   or journal opening blurs them, and the kernel's code is the one the kiosk runs.
 * - Through paydesk-ctl pay --tender card, as an associate would: only its wall time, from
 *   spawning it to its exit, is kept (its APDU count is checked against the first), to show
 *   what a whole payment costs with process start, journal and the core's round trips.
 *
 * The card is a paydesk-vcard process behind vpcd's TCP link: each exchange pays vpcd's
 * own latency, which a real reader replaces with the card's. That lands in the transmit
 * time, not in the kiosk-side time.
 *
 * The payments run back to back on one insertion, without a warm-up: the medians and the
 * 90th percentiles take the first, colder payment as one among many. Figures move with the
 * machine's load (a busy processor delays every wakeup after pcscd answers), so compare runs
 * made on a quiet machine.
 *
 * Timing never fails the benchmark; a payment that is not approved does. */

#define DEFAULT_ITERATIONS 20
#define AMOUNT_CENTS 7500
#define AMOUNT_TEXT "75.00"
#define ACCOUNT "400123456789"
#define OPERATOR "BENCH"
#define WAIT_MS 10000

typedef struct {
  const char *name;
  /* The AID the member picks, for cards with more than one application. */
  const char *application;
} BenchProfile;

static const BenchProfile profiles[] = {
  { "visa", NULL },
  { "mastercard", NULL },
  { "discover", NULL },
  { "visa-debit", "A0000000980840" },
  { "multi-app", "A0000000041010" },
  { "visa-t0", NULL },
  { "no-pse", NULL },
  { "sda", NULL },
  { "dda", NULL },
  { "cda", NULL },
  { "contactless-visa", NULL },
  { "contactless-mastercard", NULL },
  { "contactless-discover", NULL },
};

typedef struct {
  const BenchProfile *profile;
  GArray *commands;       /* guint, in process */
  GArray *kiosk_usec;     /* gint64, in process */
  GArray *transmit_usec;  /* gint64, in process */
  GArray *payment_usec;   /* gint64: the whole pd_card_payment_run, in process */
  GArray *ctl_usec;       /* gint64: paydesk-ctl spawned to exited */
  GArray *ctl_commands;   /* guint */
  guint failures;
} ProfileRuns;

typedef struct {
  char *dir;
  PdTestCore *core;
  PdConfig *config;
  PdTerminal *terminal;
  PdAccount *account;
  PdCardPaymentContext *context;
  char *ctl_data_dir;
} Bench;

static gint iterations = DEFAULT_ITERATIONS;
static gboolean json_output;
static gboolean skip_ctl;
static char **only_profiles;

static const GOptionEntry options[] = {
  { "iterations", 'n', 0, G_OPTION_ARG_INT, &iterations,
    "Payments per profile and per way of paying (default 20)", "N" },
  { "json", 0, 0, G_OPTION_ARG_NONE, &json_output, "Print JSON instead of a table", NULL },
  { "no-ctl", 0, 0, G_OPTION_ARG_NONE, &skip_ctl, "Do not time paydesk-ctl runs", NULL },
  { "profile", 'p', 0, G_OPTION_ARG_STRING_ARRAY, &only_profiles,
    "Only this profile (may be repeated)", "NAME" },
  G_OPTION_ENTRY_NULL
};

static ProfileRuns *
profile_runs_new (const BenchProfile *profile)
{
  ProfileRuns *runs = g_new0 (ProfileRuns, 1);

  runs->profile = profile;
  runs->commands = g_array_new (FALSE, FALSE, sizeof (guint));
  runs->kiosk_usec = g_array_new (FALSE, FALSE, sizeof (gint64));
  runs->transmit_usec = g_array_new (FALSE, FALSE, sizeof (gint64));
  runs->payment_usec = g_array_new (FALSE, FALSE, sizeof (gint64));
  runs->ctl_usec = g_array_new (FALSE, FALSE, sizeof (gint64));
  runs->ctl_commands = g_array_new (FALSE, FALSE, sizeof (guint));
  return runs;
}

static void
profile_runs_free (ProfileRuns *runs)
{
  g_array_unref (runs->commands);
  g_array_unref (runs->kiosk_usec);
  g_array_unref (runs->transmit_usec);
  g_array_unref (runs->payment_usec);
  g_array_unref (runs->ctl_usec);
  g_array_unref (runs->ctl_commands);
  g_free (runs);
}

/* Statistics */

static gint
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static GArray *
sorted_copy (GArray *samples)
{
  GArray *sorted = g_array_sized_new (FALSE, FALSE, sizeof (gint64), samples->len);

  g_array_append_vals (sorted, samples->data, samples->len);
  g_array_sort (sorted, compare_int64);
  return sorted;
}

/* Milliseconds; the middle value, or the mean of the middle two. Negative: no samples. */
static double
median_ms (GArray *samples)
{
  g_autoptr(GArray) sorted = NULL;
  guint n = samples->len;

  if (n == 0)
    return -1;
  sorted = sorted_copy (samples);
  if (n % 2 == 1)
    return g_array_index (sorted, gint64, n / 2) / 1000.0;
  return (g_array_index (sorted, gint64, n / 2 - 1) + g_array_index (sorted, gint64, n / 2)) /
         2000.0;
}

/* Nearest rank: the smallest sample with at least 90% of them at or below it. */
static double
p90_ms (GArray *samples)
{
  g_autoptr(GArray) sorted = NULL;
  guint n = samples->len;
  guint rank;

  if (n == 0)
    return -1;
  sorted = sorted_copy (samples);
  rank = (90 * n + 99) / 100;
  return g_array_index (sorted, gint64, rank - 1) / 1000.0;
}

static void
count_range (GArray *counts,
             guint  *min,
             guint  *max)
{
  *min = G_MAXUINT;
  *max = 0;
  for (guint i = 0; i < counts->len; i++)
    {
      *min = MIN (*min, g_array_index (counts, guint, i));
      *max = MAX (*max, g_array_index (counts, guint, i));
    }
  if (counts->len == 0)
    *min = 0;
}

/* The virtual card */

/* paydesk-vcard in the first vpcd slot, and seen by pcscd (it polls vpcd twice a second). */
static GSubprocess *
insert_card (const char *profile,
             GError    **error)
{
  g_autoptr(GSubprocess) card = pd_test_vcard_insert (profile, error);
  g_autofree char *reader = NULL;

  if (card == NULL)
    return NULL;

  reader = pd_card_readers_wait_for_card (NULL, PD_TEST_VPCD_READER, WAIT_MS, NULL, error);
  if (reader == NULL)
    {
      g_subprocess_force_exit (card);
      return NULL;
    }
  return g_steal_pointer (&card);
}

/* The payments */

/* Stands for the member at the kiosk: picks the application named, or none. */
static gint
choose_application (GPtrArray *candidates,
                    gpointer   user_data)
{
  const char *wanted = user_data;

  for (guint i = 0; wanted != NULL && i < candidates->len; i++)
    {
      PdEmvCandidate *candidate = g_ptr_array_index (candidates, i);
      gsize length;
      const guint8 *bytes = g_bytes_get_data (candidate->aid, &length);
      g_autofree char *aid = pd_hex_encode (bytes, length);

      if (g_ascii_strcasecmp (aid, wanted) == 0)
        return (gint) i;
    }

  return -1;
}

static gboolean
bench_set_up (Bench   *bench,
              GError **error)
{
  g_autofree char *data_dir = NULL;
  PdPaymentService *service;

  bench->dir = pd_test_make_temp_dir ();
  bench->core = pd_test_core_start (bench->dir, 0, NULL);

  /* The training configuration, as paydesk-ctl has it without a configuration file. */
  bench->config = pd_config_new_training ();
  if (!pd_config_override_core_url (bench->config, bench->core->url, error))
    return FALSE;
  data_dir = g_build_filename (bench->dir, "state", NULL);
  pd_config_override_data_dir (bench->config, data_dir);
  bench->ctl_data_dir = g_build_filename (bench->dir, "ctl-state", NULL);

  bench->terminal = pd_terminal_new (bench->config, PD_TERMINAL_FLAGS_NONE, NULL, error);
  if (bench->terminal == NULL)
    return FALSE;
  service = pd_terminal_get_payment_service (bench->terminal);

  if ((bench->account = pd_payment_service_get_account (service, ACCOUNT, NULL, error)) == NULL)
    return FALSE;

  bench->context = pd_card_payment_context_new (bench->config, service, error);
  return bench->context != NULL;
}

static void
bench_tear_down (Bench *bench)
{
  g_clear_pointer (&bench->context, pd_card_payment_context_unref);
  g_clear_object (&bench->account);
  g_clear_object (&bench->terminal);
  g_clear_object (&bench->config);
  g_clear_pointer (&bench->core, pd_test_core_free);
  if (bench->dir != NULL)
    pd_test_remove_tree (bench->dir);
  g_clear_pointer (&bench->dir, g_free);
  g_clear_pointer (&bench->ctl_data_dir, g_free);
}

static gboolean
pay_in_process (Bench       *bench,
                ProfileRuns *runs,
                GError     **error)
{
  g_auto(PdCardPaymentResult) result = { 0 };
  PdCardPaymentRequest request = {
    .reader = PD_TEST_VPCD_READER, .wait_ms = WAIT_MS, .account = bench->account,
    .amount = AMOUNT_CENTS, .parties = { OPERATOR, NULL },
  };
  gint64 started, elapsed;
  gboolean done;

  pd_card_payment_context_set_chooser (bench->context, choose_application,
                                       (gpointer) runs->profile->application, NULL);

  started = g_get_monotonic_time ();
  done = pd_card_payment_run (bench->context, &request, &result, NULL, error);
  elapsed = g_get_monotonic_time () - started;

  if (done && g_strcmp0 (result.outcome, "approved") != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", result.outcome,
                   result.message != NULL ? result.message : "");
      done = FALSE;
    }
  if (!done)
    {
      g_printerr ("card log:\n%s\n", result.log != NULL ? result.log : "(none)");
      return FALSE;
    }

  g_array_append_val (runs->commands, result.commands_before_request);
  g_array_append_val (runs->kiosk_usec, result.kiosk_usec_before_request);
  g_array_append_val (runs->transmit_usec, result.transmit_usec_before_request);
  g_array_append_val (runs->payment_usec, elapsed);
  return TRUE;
}

static gboolean
pay_with_ctl (Bench       *bench,
              ProfileRuns *runs,
              GError     **error)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  JsonObject *answer;
  const char *outcome;
  gint64 started, elapsed;
  guint commands;

  g_ptr_array_add (argv, g_strdup (g_getenv ("PAYDESK_CTL")));
  g_ptr_array_add (argv, g_strdup ("pay"));
  g_ptr_array_add (argv, g_strdup ("--json"));
  g_ptr_array_add (argv, g_strdup_printf ("--core-url=%s", bench->core->url));
  g_ptr_array_add (argv, g_strdup_printf ("--data-dir=%s", bench->ctl_data_dir));
  g_ptr_array_add (argv, g_strdup ("--account=" ACCOUNT));
  g_ptr_array_add (argv, g_strdup ("--amount=" AMOUNT_TEXT));
  g_ptr_array_add (argv, g_strdup ("--tender=card"));
  g_ptr_array_add (argv, g_strdup ("--operator=" OPERATOR));
  g_ptr_array_add (argv, g_strdup ("--reader=" PD_TEST_VPCD_READER));
  g_ptr_array_add (argv, g_strdup ("--wait=10"));
  if (runs->profile->application != NULL)
    g_ptr_array_add (argv, g_strdup_printf ("--application=%s", runs->profile->application));
  g_ptr_array_add (argv, NULL);

  started = g_get_monotonic_time ();
  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               error);
  if (process == NULL ||
      !g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, error))
    return FALSE;
  elapsed = g_get_monotonic_time () - started;

  if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0 ||
      !json_parser_load_from_data (parser, out, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "paydesk-ctl pay did not approve:\n%s%s", out, err);
      return FALSE;
    }

  answer = json_node_get_object (json_parser_get_root (parser));
  outcome = json_object_get_string_member_with_default (answer, "outcome", "");
  if (!g_str_equal (outcome, "approved"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "paydesk-ctl pay: %s\n%s", outcome,
                   out);
      return FALSE;
    }
  commands = (guint) json_object_get_int_member_with_default (answer,
                                                             "commands_before_request", 0);

  g_array_append_val (runs->ctl_usec, elapsed);
  g_array_append_val (runs->ctl_commands, commands);
  return TRUE;
}

static void
run_profile (Bench       *bench,
             ProfileRuns *runs)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) card = insert_card (runs->profile->name, &error);

  if (card == NULL)
    {
      g_printerr ("%s: %s\n", runs->profile->name, error->message);
      runs->failures++;
      return;
    }

  for (gint i = 0; i < iterations; i++)
    if (!pay_in_process (bench, runs, &error))
      {
        g_printerr ("%s: payment %d in process: %s\n", runs->profile->name, i + 1,
                    error->message);
        g_clear_error (&error);
        runs->failures++;
      }

  for (gint i = 0; !skip_ctl && i < iterations; i++)
    if (!pay_with_ctl (bench, runs, &error))
      {
        g_printerr ("%s: payment %d with paydesk-ctl: %s\n", runs->profile->name, i + 1,
                    error->message);
        g_clear_error (&error);
        runs->failures++;
      }

  pd_test_vcard_remove (g_steal_pointer (&card));
}

/* Reports */

/* "-" when there was nothing to measure. */
static char *
format_ms (double ms,
           int    decimals)
{
  return ms < 0 ? g_strdup ("-") : g_strdup_printf ("%.*f", decimals, ms);
}

static void
print_table (GPtrArray *all)
{
  g_print ("Card seen → authorization request sent; %d payments per profile (in process%s).\n"
           "kiosk = wall time minus time inside SCardTransmit; transmit = inside "
           "SCardTransmit (vpcd);\n"
           "payment = whole pd_card_payment_run; ctl = paydesk-ctl pay, spawn to exit. "
           "Times in ms.\n\n", iterations, skip_ctl ? "" : ", and as many with paydesk-ctl");
  g_print ("%-23s %7s %8s %8s %9s %8s %8s\n", "profile", "APDUs", "kiosk", "kiosk",
           "transmit", "payment", "ctl");
  g_print ("%-23s %7s %8s %8s %9s %8s %8s\n", "", "min-max", "median", "p90", "median",
           "median", "median");

  for (guint i = 0; i < all->len; i++)
    {
      ProfileRuns *runs = g_ptr_array_index (all, i);
      g_autofree char *range = NULL;
      g_autofree char *kiosk = format_ms (median_ms (runs->kiosk_usec), 3);
      g_autofree char *kiosk_p90 = format_ms (p90_ms (runs->kiosk_usec), 3);
      g_autofree char *transmit = format_ms (median_ms (runs->transmit_usec), 3);
      g_autofree char *payment = format_ms (median_ms (runs->payment_usec), 1);
      g_autofree char *ctl = format_ms (median_ms (runs->ctl_usec), 1);
      guint min, max;

      count_range (runs->commands, &min, &max);
      if (runs->commands->len == 0)
        range = g_strdup ("-");
      else if (min == max)
        range = g_strdup_printf ("%u", min);
      else
        range = g_strdup_printf ("%u-%u", min, max);
      g_print ("%-23s %7s %8s %8s %9s %8s %8s%s\n", runs->profile->name, range, kiosk,
               kiosk_p90, transmit, payment, ctl, runs->failures > 0 ? "  FAILED" : "");
    }

  /* paydesk-ctl runs the same kernel: its count should be the same. */
  for (guint i = 0; i < all->len; i++)
    {
      ProfileRuns *runs = g_ptr_array_index (all, i);
      guint min, max, ctl_min, ctl_max;

      count_range (runs->commands, &min, &max);
      count_range (runs->ctl_commands, &ctl_min, &ctl_max);
      if (runs->ctl_commands->len > 0 && (ctl_min != min || ctl_max != max))
        g_print ("note: %s sent %u-%u APDUs through paydesk-ctl, %u-%u in process\n",
                 runs->profile->name, ctl_min, ctl_max, min, max);
    }
}

/* Whole microseconds, or null when there was nothing to measure. */
static void
add_usec (JsonBuilder *builder,
          const char  *name,
          double       ms)
{
  json_builder_set_member_name (builder, name);
  if (ms < 0)
    json_builder_add_null_value (builder);
  else
    json_builder_add_int_value (builder, (gint64) (ms * 1000 + 0.5));
}

static void
add_int (JsonBuilder *builder,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
print_json (GPtrArray *all)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  add_int (builder, "iterations", iterations);
  add_int (builder, "processors", g_get_num_processors ());
  json_builder_set_member_name (builder, "profiles");
  json_builder_begin_array (builder);
  for (guint i = 0; i < all->len; i++)
    {
      ProfileRuns *runs = g_ptr_array_index (all, i);
      guint min, max, ctl_min, ctl_max;

      count_range (runs->commands, &min, &max);
      count_range (runs->ctl_commands, &ctl_min, &ctl_max);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "profile");
      json_builder_add_string_value (builder, runs->profile->name);
      add_int (builder, "payments", runs->commands->len);
      add_int (builder, "failures", runs->failures);
      add_int (builder, "commands_min", min);
      add_int (builder, "commands_max", max);
      add_usec (builder, "kiosk_us_median", median_ms (runs->kiosk_usec));
      add_usec (builder, "kiosk_us_p90", p90_ms (runs->kiosk_usec));
      add_usec (builder, "transmit_us_median", median_ms (runs->transmit_usec));
      add_usec (builder, "transmit_us_p90", p90_ms (runs->transmit_usec));
      add_usec (builder, "payment_us_median", median_ms (runs->payment_usec));
      add_int (builder, "ctl_payments", runs->ctl_usec->len);
      add_usec (builder, "ctl_us_median", median_ms (runs->ctl_usec));
      add_usec (builder, "ctl_us_p90", p90_ms (runs->ctl_usec));
      if (runs->ctl_commands->len > 0)
        {
          add_int (builder, "ctl_commands_min", ctl_min);
          add_int (builder, "ctl_commands_max", ctl_max);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

static gboolean
profile_wanted (const BenchProfile *profile)
{
  return only_profiles == NULL || g_strv_contains ((const char * const *) only_profiles,
                                                   profile->name);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) option_context = g_option_context_new ("- the card benchmark");
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify) profile_runs_free);
  g_autoptr(GError) error = NULL;
  Bench bench = { 0 };
  guint failures = 0;
  const char * const needed[] = {
    "PAYDESK_CTL", "PAYDESK_VCARD", "PAYDESK_CORE_SIM", "PAYDESK_CARD_PROFILES",
    "PAYDESK_SEED", "PAYDESK_SEALING_KEY",
  };

  setlocale (LC_ALL, "C.UTF-8");
  g_option_context_add_main_entries (option_context, options, NULL);
  if (!g_option_context_parse (option_context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (iterations < 1)
    {
      g_printerr ("--iterations must be at least 1\n");
      return 2;
    }

  for (gsize i = 0; i < G_N_ELEMENTS (needed); i++)
    if (g_getenv (needed[i]) == NULL)
      {
        /* Meson's code for a skipped test. */
        g_printerr ("%s is not set: run this through meson test --benchmark\n", needed[i]);
        return 77;
      }
  /* paydesk-ctl, like this process, takes the training configuration. */
  g_setenv ("PAYDESK_CONFIG", "", TRUE);

  if (!bench_set_up (&bench, &error))
    {
      g_printerr ("%s\n", error->message);
      bench_tear_down (&bench);
      return 1;
    }

  for (gsize i = 0; i < G_N_ELEMENTS (profiles); i++)
    {
      ProfileRuns *runs;

      if (!profile_wanted (&profiles[i]))
        continue;
      g_printerr ("%s…\n", profiles[i].name);
      runs = profile_runs_new (&profiles[i]);
      g_ptr_array_add (all, runs);
      run_profile (&bench, runs);
      failures += runs->failures;
    }
  bench_tear_down (&bench);

  if (json_output)
    print_json (all);
  else
    print_table (all);

  g_strfreev (only_profiles);
  if (failures > 0)
    {
      g_printerr ("%u payments were not approved.\n", failures);
      return 1;
    }
  return 0;
}
