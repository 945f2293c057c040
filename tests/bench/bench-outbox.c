#include <stdio.h>

#include <curl/curl.h>

#include "pd-test-common.h"
#include "pd-test-core.h"
#include "pd-terminal.h"

/* The outbox benchmark: queued bank payments drained to the training core per second,
 * against a bare loop that posts the same kind of journaled requests to the same core over
 * one kept-alive libcurl connection, with nothing journaled. Both sets are queued while the
 * core is down (a refused connection: one try each), then the core comes back on the same
 * port. It prints a table and never fails on timing; it fails when a payment is not
 * delivered. */

#define DEFAULT_PAYMENTS 2000
#define ROUTING "021000021"
#define BANK_ACCOUNT "000123456789"

/* A PdTerminal and what the benchmark uses of it. */
typedef struct {
  PdTerminal *terminal;
  PdJournal *journal;
  PdPaymentService *service;
} Terminal;

static void
terminal_open (Terminal   *terminal,
               const char *dir,
               const char *name,
               const char *url)
{
  g_autofree char *config_path = g_strdup_printf ("%s/%s.conf", dir, name);
  g_autofree char *contents = g_strdup_printf ("[core]\nurl = %s\ntimeout-seconds = 10\n"
                                               "[journal]\ndata-dir = %s/%s\n"
                                               "[outbox]\nmax-payment = 100.00\n"
                                               "max-total = 100000.00\n", url, dir, name);
  g_autoptr(PdConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  pd_test_write_file (config_path, contents);
  config = pd_config_load_file (config_path, &error);
  g_assert_no_error (error);
  terminal->terminal = pd_terminal_new (config, PD_TERMINAL_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  terminal->journal = pd_terminal_get_journal (terminal->terminal);
  terminal->service = pd_terminal_get_payment_service (terminal->terminal);
}

static void
terminal_close (Terminal *terminal)
{
  g_clear_object (&terminal->terminal);
  terminal->journal = NULL;
  terminal->service = NULL;
}

static void
queue_payments (Terminal  *terminal,
                PdAccount *account,
                guint      n_payments)
{
  for (guint i = 0; i < n_payments; i++)
    {
      g_autoptr(PdBankAccount) bank = pd_bank_account_new (ROUTING, BANK_ACCOUNT, "checking",
                                                           "Maria L Gonzalez", NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(PdPayment) payment = pd_payment_service_pay_bank (terminal->service, account,
                                                                  NULL, 100 + i % 50, bank,
                                                                  NULL, NULL, &error);

      if (payment == NULL || pd_payment_get_state (payment) != PD_PAYMENT_STATE_QUEUED)
        g_error ("payment %u was not queued: %s", i, error != NULL ? error->message : "");
    }
}

static size_t
discard (char   *data,
         size_t  size,
         size_t  count,
         void   *user_data)
{
  return size * count;
}

/* The floor: the same requests, posted back to back on one connection. */
static double
bare_per_second (Terminal   *terminal,
                 const char *url)
{
  g_autoptr(GPtrArray) queued = pd_journal_list_payments_in_state (terminal->journal,
                                                                   PD_PAYMENT_STATE_QUEUED,
                                                                   NULL);
  g_autoptr(GPtrArray) requests = g_ptr_array_new_with_free_func (
    (GDestroyNotify) pd_journal_request_free);
  g_autofree char *endpoint = g_strconcat (url, "/v1/payments", NULL);
  CURL *easy = curl_easy_init ();
  gint64 start;

  for (guint i = 0; i < queued->len; i++)
    g_ptr_array_add (requests, pd_journal_get_first_request (
                       terminal->journal, pd_payment_get_id (g_ptr_array_index (queued, i)),
                       NULL));

  curl_easy_setopt (easy, CURLOPT_URL, endpoint);
  curl_easy_setopt (easy, CURLOPT_WRITEFUNCTION, discard);
  curl_easy_setopt (easy, CURLOPT_NOSIGNAL, 1L);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < requests->len; i++)
    {
      PdJournalRequest *request = g_ptr_array_index (requests, i);
      g_autofree char *key = g_strdup_printf ("Idempotency-Key: %s", request->idempotency_key);
      struct curl_slist *headers = NULL;
      long status = 0;

      headers = curl_slist_append (headers, "Content-Type: application/json");
      headers = curl_slist_append (headers, "Accept: application/json");
      headers = curl_slist_append (headers, key);
      curl_easy_setopt (easy, CURLOPT_HTTPHEADER, headers);
      curl_easy_setopt (easy, CURLOPT_POSTFIELDS, request->body);
      if (curl_easy_perform (easy) != CURLE_OK)
        g_error ("bare loop: the core did not answer");
      curl_easy_getinfo (easy, CURLINFO_RESPONSE_CODE, &status);
      if (status < 200 || status >= 300)
        g_error ("bare loop: HTTP %ld", status);
      curl_slist_free_all (headers);
    }

  curl_easy_cleanup (easy);
  return requests->len / ((double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC);
}

int
main (int    argc,
      char **argv)
{
  guint n_payments = DEFAULT_PAYMENTS;
  const GOptionEntry entries[] = {
    { "payments", 0, 0, G_OPTION_ARG_INT, &n_payments, "Payments in each outbox", "N" },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autofree char *dir = NULL;
  g_autoptr(PdAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  PdTestCore *core;
  Terminal drained = { 0 };
  Terminal bare = { 0 };
  guint16 port;
  gint64 start;
  guint delivered;
  double drain_rate, bare_rate;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, NULL) || n_payments == 0)
    return 2;

  dir = pd_test_make_temp_dir ();
  account = pd_test_account_new ();
  core = pd_test_core_start (dir, 0, NULL);
  port = core->port;
  terminal_open (&drained, dir, "drained", core->url);
  terminal_open (&bare, dir, "bare", core->url);

  pd_test_core_stop (core);
  queue_payments (&drained, account, n_payments);
  queue_payments (&bare, account, n_payments);
  pd_test_core_free (core);
  core = pd_test_core_start (dir, port, NULL);

  start = g_get_monotonic_time ();
  delivered = pd_payment_service_drain_outbox (drained.service, NULL, &error);
  drain_rate = delivered / ((double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC);
  if (error != NULL || delivered != n_payments)
    g_error ("the drain delivered %u of %u: %s", delivered, n_payments,
             error != NULL ? error->message : "");

  bare_rate = bare_per_second (&bare, core->url);
  printf ("| outbox drain, payments per second (%u queued) | %.0f | bare libcurl loop: %.0f | "
          "%.2f× |\n", n_payments, drain_rate, bare_rate, drain_rate / bare_rate);

  terminal_close (&drained);
  terminal_close (&bare);
  pd_test_core_free (core);
  pd_test_remove_tree (dir);
  return 0;
}
