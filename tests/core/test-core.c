/* memmem */
#define _GNU_SOURCE

#include <string.h>

#include <glib/gstdio.h>

#include "pd-business-date.h"
#include "pd-outbox-drainer.h"
#include "pd-payment-service.h"
#include "pd-report.h"
#include "pd-seal.h"
#include "pd-terminal.h"
#include "pd-test-common.h"
#include "pd-test-core.h"

#define ROUTING "021000021"
#define BANK_ACCOUNT "000123456789"

static const PdPaymentParties associate = { "A-117", NULL };

typedef struct {
  PdTestDir tmp;
  PdTestCore *core;
  PdConfig *config;
  PdTerminal *terminal;
  /* The terminal's. */
  PdJournal *journal;
  PdCoreClient *client;
  PdPaymentService *service;
} Fixture;

/* Fast retries: the tests count attempts, not seconds. */
static const PdRetryPolicy quick_retries = { 4, 10, 40 };

/* A short timeout keeps the lost-answer tests quick. The TLS test loads the system's CA
 * bundle while connecting, which takes seconds under AddressSanitizer and more on a busy
 * machine, so it asks for a longer one for the connection as well as the whole request. */
#define SHORT_TIMEOUT_SECONDS 2
#define TLS_TIMEOUT_SECONDS 30

static PdConfig *
write_config_with_timeout (Fixture    *fixture,
                           const char *url,
                           guint       timeout_seconds,
                           const char *extra)
{
  g_autofree char *path = g_build_filename (fixture->tmp.dir, "paydesk.conf", NULL);
  g_autofree char *contents = g_strdup_printf ("[core]\nurl = %s\ntimeout-seconds = %u\n"
                                               "connect-timeout-seconds = %u\n%s"
                                               "[journal]\ndata-dir = state\n"
                                               "[outbox]\nmax-payment = 500.00\n"
                                               "max-total = 800.00\n",
                                               url, timeout_seconds, timeout_seconds,
                                               extra != NULL ? extra : "");
  g_autoptr(GError) error = NULL;
  PdConfig *config;

  pd_test_write_file (path, contents);
  config = pd_config_load_file (path, &error);
  g_assert_no_error (error);
  return config;
}

static PdConfig *
write_config (Fixture    *fixture,
              const char *url,
              const char *extra)
{
  return write_config_with_timeout (fixture, url, SHORT_TIMEOUT_SECONDS, extra);
}

static void
connect_service (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&fixture->terminal);
  fixture->terminal = pd_terminal_new (fixture->config, PD_TERMINAL_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  fixture->journal = pd_terminal_get_journal (fixture->terminal);
  fixture->client = pd_terminal_get_core_client (fixture->terminal);
  fixture->service = pd_terminal_get_payment_service (fixture->terminal);
  pd_core_client_set_retry_policy (fixture->client, &quick_retries);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  pd_test_dir_set_up (&fixture->tmp, data);
  fixture->core = pd_test_core_start (fixture->tmp.dir, 0, NULL);
  fixture->config = write_config (fixture, fixture->core->url, NULL);
  connect_service (fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->terminal);
  g_clear_object (&fixture->config);
  g_clear_pointer (&fixture->core, pd_test_core_free);
  pd_test_dir_tear_down (&fixture->tmp, data);
}

static PdMemberLookup *
lookup (Fixture          *fixture,
        PdIdentification *identification)
{
  g_autoptr(GError) error = NULL;
  PdMemberLookup *result;

  g_assert_nonnull (identification);
  result = pd_core_client_lookup (fixture->client, identification, NULL, &error);
  g_assert_no_error (error);
  return result;
}

static void
test_lookup_forms (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(PdIdentification) by_member = pd_identification_new_member (
    "12345678901", "10001", "07/04/1961", "maria", "GONZÁLEZ", NULL, NULL);
  g_autoptr(PdIdentification) by_invoice = pd_identification_new_invoice (
    "4001 2345 6789", "INV2026110042", NULL);
  g_autoptr(PdIdentification) by_zip = pd_identification_new_account_zip (
    "400123456790", "10001", NULL);
  g_autoptr(PdIdentification) wrong_zip = pd_identification_new_account_zip (
    "400123456789", "10002", NULL);
  g_autoptr(PdIdentification) two_johns = pd_identification_new_member (
    NULL, "10025", "1980-01-01", "John", "Smith", NULL, NULL);
  g_autoptr(PdMemberLookup) member = lookup (fixture, by_member);
  g_autoptr(PdMemberLookup) invoice = lookup (fixture, by_invoice);
  g_autoptr(PdMemberLookup) zip = lookup (fixture, by_zip);
  g_autoptr(PdMemberLookup) nobody = lookup (fixture, wrong_zip);
  g_autoptr(PdMemberLookup) ambiguous = lookup (fixture, two_johns);
  PdAccount *essential;
  PdAccount *spenddown;

  g_assert_cmpint (member->outcome, ==, PD_LOOKUP_FOUND);
  g_assert_cmpstr (member->member_id, ==, "12345678901");
  g_assert_cmpuint (member->accounts->len, ==, 2);
  essential = g_ptr_array_index (member->accounts, 0);
  spenddown = g_ptr_array_index (member->accounts, 1);
  g_assert_cmpstr (pd_account_get_number (essential), ==, "400123456789");
  g_assert_cmpint (pd_account_get_line_of_business (essential), ==,
                   PD_LINE_OF_BUSINESS_ESSENTIAL_PLAN);
  g_assert_cmpint (pd_account_get_balance (essential), ==, 15000);
  g_assert_cmpint (pd_account_get_minimum_due (essential), ==, 7500);
  g_assert_cmpuint (g_list_model_get_n_items (pd_account_get_invoices (essential)), ==, 2);
  g_assert_cmpint (pd_account_get_line_of_business (spenddown), ==, PD_LINE_OF_BUSINESS_SPENDDOWN);
  g_assert_cmpint (pd_invoice_get_kind (pd_account_find_invoice (spenddown, "SPD2026110777")), ==,
                   PD_INVOICE_SPENDDOWN);

  /* The invoice forms name one account: only that one comes back. */
  g_assert_cmpint (invoice->outcome, ==, PD_LOOKUP_FOUND);
  g_assert_cmpuint (invoice->accounts->len, ==, 1);
  g_assert_cmpstr (pd_account_get_number (g_ptr_array_index (invoice->accounts, 0)), ==,
                   "400123456789");
  g_assert_cmpint (zip->outcome, ==, PD_LOOKUP_FOUND);
  g_assert_cmpstr (pd_account_get_number (g_ptr_array_index (zip->accounts, 0)), ==,
                   "400123456790");

  g_assert_cmpint (nobody->outcome, ==, PD_LOOKUP_NOT_FOUND);
  g_assert_cmpuint (nobody->accounts->len, ==, 0);
  g_assert_cmpint (ambiguous->outcome, ==, PD_LOOKUP_AMBIGUOUS);
}

static PdPayment *
pay_bank (Fixture  *fixture,
          PdCents   amount,
          GError  **error)
{
  g_autoptr(PdAccount) account = NULL;
  g_autoptr(PdBankAccount) bank = NULL;

  account = pd_payment_service_get_account (fixture->service, "400123456789", NULL, error);
  if (account == NULL)
    return NULL;

  bank = pd_bank_account_new (ROUTING, BANK_ACCOUNT, "checking", "Maria L Gonzalez", NULL);
  g_assert_nonnull (bank);
  return pd_payment_service_pay_bank (fixture->service, account,
                                      pd_account_find_invoice (account, "INV2026110042"),
                                      amount, bank, &associate, NULL, error);
}

static PdPayment *
pay_bank_ok (Fixture *fixture,
             PdCents  amount)
{
  g_autoptr(GError) error = NULL;
  PdPayment *payment = pay_bank (fixture, amount, &error);

  g_assert_no_error (error);
  g_assert_nonnull (payment);
  return payment;
}

static void
assert_no_clear_account_number (Fixture *fixture)
{
  g_autofree char *journal_path = pd_config_dup_journal_path (fixture->config);
  g_autofree char *wal_path = g_strconcat (journal_path, "-wal", NULL);
  const char *files[] = { journal_path, wal_path, fixture->core->db_path };

  for (gsize i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (!g_file_get_contents (files[i], &contents, &length, NULL))
        continue;
      g_assert_null (memmem (contents, length, BANK_ACCOUNT, strlen (BANK_ACCOUNT)));
    }
}

static void
test_bank_payment_accepted (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(PdPayment) payment = pay_bank_ok (fixture, 7500);
  g_autoptr(JsonObject) ledger = pd_test_core_find_payment (fixture->core,
                                                           pd_payment_get_client_ref (payment));
  g_autoptr(PdJournalRequest) request = NULL;
  g_autoptr(PdPayment) reloaded = NULL;

  g_assert_cmpint (pd_payment_get_state (payment), ==, PD_PAYMENT_STATE_COMPLETED);
  g_assert_true (g_str_has_prefix (pd_payment_get_confirmation (payment), "CNF-"));
  g_assert_cmpstr (pd_payment_get_tender_last4 (payment), ==, "6789");

  g_assert_nonnull (ledger);
  g_assert_cmpstr (json_object_get_string_member (ledger, "status"), ==, "accepted");
  g_assert_cmpint (json_object_get_int_member (ledger, "amount_cents"), ==, 7500);
  g_assert_cmpstr (json_object_get_string_member (ledger, "line_of_business"), ==, "essential");
  g_assert_cmpstr (json_object_get_string_member (ledger, "invoice_number"), ==, "INV2026110042");
  g_assert_cmpstr (json_object_get_string_member (ledger, "operator_id"), ==, "A-117");
  g_assert_cmpstr (json_object_get_string_member (ledger, "confirmation_number"), ==,
                   pd_payment_get_confirmation (payment));

  /* The journal kept the request as sent: sealed, with the last four digits only. */
  request = pd_journal_get_first_request (fixture->journal, pd_payment_get_id (payment), NULL);
  g_assert_nonnull (request);
  g_assert_cmpstr (request->idempotency_key, ==, pd_payment_get_idempotency_key (payment));
  g_assert_nonnull (strstr (request->body, "\"sealed\""));
  g_assert_nonnull (strstr (request->body, "\"account_last4\":\"6789\""));
  assert_no_clear_account_number (fixture);

  reloaded = pd_journal_get_payment (fixture->journal, pd_payment_get_client_ref (payment), NULL);
  g_assert_cmpint (pd_payment_get_state (reloaded), ==, PD_PAYMENT_STATE_COMPLETED);
}

static void
test_bank_payment_declined (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(PdPayment) payment = NULL;
  g_autoptr(JsonObject) ledger = NULL;

  pd_test_core_control (fixture->core, "{\"decline_amount_cents\": 4200}");
  payment = pay_bank_ok (fixture, 4200);
  ledger = pd_test_core_find_payment (fixture->core, pd_payment_get_client_ref (payment));

  g_assert_cmpint (pd_payment_get_state (payment), ==, PD_PAYMENT_STATE_DECLINED);
  g_assert_cmpstr (pd_payment_get_reason (payment), ==, "insufficient_funds");
  g_assert_null (pd_payment_get_confirmation (payment));
  g_assert_cmpstr (json_object_get_string_member (ledger, "status"), ==, "declined");
}

static guint
requests_seen (Fixture *fixture)
{
  g_autoptr(JsonObject) ledger = pd_test_core_ledger (fixture->core);

  return (guint) json_object_get_int_member (ledger, "requests_seen");
}

typedef struct {
  const char *fault;
  guint extra_requests;
} FaultCase;

/* Each fault, before or after the core took the payment: one charge in the ledger, whatever
 * the number of tries. */
static void
test_retries_without_double_charge (Fixture       *fixture,
                                    gconstpointer  data)
{
  static const FaultCase cases[] = {
    { "{\"fault\": \"status\", \"status\": 503, \"count\": 2}", 2 },
    { "{\"fault\": \"status\", \"status\": 500, \"after_processing\": true}", 1 },
    { "{\"fault\": \"reset\"}", 1 },
    { "{\"fault\": \"reset\", \"after_processing\": true}", 1 },
    { "{\"fault\": \"malformed\", \"after_processing\": true}", 1 },
    { "{\"fault\": \"timeout\", \"after_processing\": true}", 1 },
    { "{\"fault\": \"slow\", \"delay_ms\": 100, \"after_processing\": true}", 0 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PdPayment) payment = NULL;
      guint before;

      g_test_message ("fault %s", cases[i].fault);
      /* The account lookup goes first, so the fault hits the payment itself. */
      {
        g_autoptr(PdAccount) warm = pd_payment_service_get_account (fixture->service,
                                                                    "400123456789", NULL, NULL);
        g_assert_nonnull (warm);
      }
      before = requests_seen (fixture);
      pd_test_core_control (fixture->core, cases[i].fault);
      payment = pay_bank_ok (fixture, 1000 + (PdCents) i);

      g_assert_cmpint (pd_payment_get_state (payment), ==, PD_PAYMENT_STATE_COMPLETED);
      g_assert_cmpuint (pd_test_core_count_payments (fixture->core,
                                                     pd_payment_get_client_ref (payment)), ==, 1);
      /* account lookup + payment + retries */
      g_assert_cmpuint (requests_seen (fixture) - before, ==, 2 + cases[i].extra_requests);
    }
}

static void
test_replay_is_marked (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *body = g_strdup_printf (
    "{\"client_ref\":\"K-07-REPLAY\",\"center_id\":\"C\",\"terminal_id\":\"K-07\","
    "\"business_date\":\"2026-11-23\",\"account_number\":\"400123456789\","
    "\"line_of_business\":\"essential\",\"amount_cents\":500,\"currency\":\"USD\","
    "\"tender\":{\"kind\":\"bank\",\"routing_number\":\"" ROUTING "\","
    "\"account_type\":\"savings\",\"account_last4\":\"6789\",\"holder_name\":\"M G\","
    "\"sealed\":\"%s\"}}", "AAAA");
  PdCoreRequest bad_seal = { "POST", "/v1/payments", "key-bad-seal", body };
  g_autoptr(GError) rejected = NULL;
  /* The client asks the core what it is before its first request: done here first. */
  g_autoptr(PdAccount) warm = pd_payment_service_get_account (fixture->service, "400123456789",
                                                              NULL, NULL);
  guint before = requests_seen (fixture);

  g_assert_nonnull (warm);
  /* A refused request is not sent again. */
  g_assert_null (pd_core_client_send (fixture->client, &bad_seal, NULL, &rejected));
  g_assert_error (rejected, PD_CORE_ERROR, PD_CORE_ERROR_REJECTED);
  g_assert_nonnull (strstr (rejected->message, "tender.sealed"));
  g_assert_cmpuint (requests_seen (fixture) - before, ==, 1);
}

static void
test_idempotency (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(PdPayment) payment = pay_bank_ok (fixture, 2500);
  g_autoptr(PdJournalRequest) stored = NULL;
  g_autoptr(PdCoreAnswer) replay = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) conflict = NULL;
  g_autofree char *altered = NULL;
  PdCoreRequest request;
  char *amount;

  stored = pd_journal_get_first_request (fixture->journal, pd_payment_get_id (payment), NULL);
  request = pd_journal_request_view (stored);

  /* Same key, same body: the first answer again, marked as a replay. */
  replay = pd_core_client_send (fixture->client, &request, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (replay->replayed);
  g_assert_cmpstr (replay->confirmation_number, ==, pd_payment_get_confirmation (payment));

  /* Same key, another amount: a conflict, never a second charge. */
  altered = g_strdup (stored->body);
  amount = strstr (altered, "\"amount_cents\":2500");
  g_assert_nonnull (amount);
  memcpy (amount + strlen ("\"amount_cents\":"), "2600", 4);
  request.body = altered;
  g_assert_null (pd_core_client_send (fixture->client, &request, NULL, &conflict));
  g_assert_error (conflict, PD_CORE_ERROR, PD_CORE_ERROR_CONFLICT);
  g_assert_cmpuint (pd_test_core_count_payments (fixture->core,
                                                 pd_payment_get_client_ref (payment)), ==, 1);
}

static void
test_outbox_while_core_down (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(PdAccount) account = pd_payment_service_get_account (fixture->service,
                                                                 "400123456789", NULL, NULL);
  g_autoptr(PdBankAccount) bank = pd_bank_account_new (ROUTING, BANK_ACCOUNT, "checking",
                                                       "Maria L Gonzalez", NULL);
  g_autoptr(PdPayment) first = NULL;
  g_autoptr(PdPayment) second = NULL;
  g_autoptr(PdPayment) too_big = NULL;
  g_autoptr(PdPayment) over_total = NULL;
  g_autoptr(PdPayment) delivered = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strdup (fixture->core->url);
  guint16 port = fixture->core->port;

  pd_test_core_stop (fixture->core);

  first = pd_payment_service_pay_bank (fixture->service, account, NULL, 30000, bank, NULL, NULL,
                                       &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_payment_get_state (first), ==, PD_PAYMENT_STATE_QUEUED);
  second = pd_payment_service_pay_bank (fixture->service, account, NULL, 40000, bank, NULL, NULL,
                                        &error);
  g_assert_cmpint (pd_payment_get_state (second), ==, PD_PAYMENT_STATE_QUEUED);

  /* Over the per-payment limit, then over the total: refused, nothing charged. */
  too_big = pd_payment_service_pay_bank (fixture->service, account, NULL, 50001, bank, NULL,
                                         NULL, &error);
  g_assert_cmpint (pd_payment_get_state (too_big), ==, PD_PAYMENT_STATE_FAILED);
  over_total = pd_payment_service_pay_bank (fixture->service, account, NULL, 10001, bank, NULL,
                                            NULL, &error);
  g_assert_cmpint (pd_payment_get_state (over_total), ==, PD_PAYMENT_STATE_FAILED);
  g_assert_nonnull (strstr (pd_payment_get_reason (over_total), "nothing was charged"));
  g_assert_cmpint (pd_payment_service_get_queued_total (fixture->service, NULL), ==, 70000);

  /* Still down: draining leaves both, in order. */
  g_assert_cmpuint (pd_payment_service_drain_outbox (fixture->service, NULL, &error), ==, 0);
  g_assert_no_error (error);

  /* The core comes back on the same address; a restarted terminal drains its outbox. */
  g_clear_pointer (&fixture->core, pd_test_core_free);
  fixture->core = pd_test_core_start (fixture->tmp.dir, port, NULL);
  g_assert_cmpstr (fixture->core->url, ==, url);
  connect_service (fixture);

  g_assert_cmpuint (pd_payment_service_drain_outbox (fixture->service, NULL, &error), ==, 2);
  g_assert_no_error (error);
  g_assert_cmpuint (pd_payment_service_drain_outbox (fixture->service, NULL, &error), ==, 0);

  delivered = pd_journal_get_payment (fixture->journal, pd_payment_get_id (first), NULL);
  g_assert_cmpint (pd_payment_get_state (delivered), ==, PD_PAYMENT_STATE_COMPLETED);
  g_assert_cmpuint (pd_test_core_count_payments (fixture->core, pd_payment_get_client_ref (first)),
                    ==, 1);
  g_assert_cmpuint (pd_test_core_count_payments (fixture->core, pd_payment_get_client_ref (second)),
                    ==, 1);
  g_assert_cmpuint (pd_test_core_count_payments (fixture->core,
                                                 pd_payment_get_client_ref (too_big)), ==, 0);
  g_assert_cmpint (pd_payment_service_get_queued_total (fixture->service, NULL), ==, 0);
}

static void
test_void (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(PdPayment) payment = pay_bank_ok (fixture, 1500);
  g_autoptr(PdPayment) voided = NULL;
  g_autoptr(JsonObject) ledger = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) twice = NULL;

  voided = pd_payment_service_void (fixture->service, pd_payment_get_client_ref (payment),
                                    "A-117", "member changed their mind", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_payment_get_state (voided), ==, PD_PAYMENT_STATE_VOIDED);

  ledger = pd_test_core_find_payment (fixture->core, pd_payment_get_client_ref (payment));
  g_assert_cmpstr (json_object_get_string_member (ledger, "status"), ==, "voided");

  g_assert_null (pd_payment_service_void (fixture->service, pd_payment_get_id (payment), NULL,
                                          NULL, NULL, &twice));
  g_assert_error (twice, PD_PAYMENT_STATE_ERROR, PD_PAYMENT_STATE_ERROR_FORBIDDEN);
}

/* A void and a refund whose answers are lost: the terminal does not say COMPLETED over what
 * the core did. Each is journaled before it is sent, and the drain (or asking again) sends the
 * same request with the same key: the core does it once, and the journal follows. */
static void
test_undo_survives_lost_answer (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(PdPayment) to_void = pay_bank_ok (fixture, 1600);
  g_autoptr(PdPayment) to_refund = pay_bank_ok (fixture, 1700);
  g_autoptr(PdPayment) after = NULL;
  g_autoptr(PdPayment) asked_again = NULL;
  g_autoptr(JsonObject) ledger = NULL;
  g_autoptr(PdJournalRequest) voiding = NULL;
  g_autoptr(GPtrArray) undoing = NULL;
  g_autoptr(GError) error = NULL;
  guint before;

  /* Every try at the void is taken by the core, and its answer lost. */
  pd_test_core_control (fixture->core, "{\"fault\": \"reset\", \"after_processing\": true,"
                                       " \"count\": 8, \"method\": \"POST\","
                                       " \"path\": \"/v1/payments/\"}");
  g_assert_null (pd_payment_service_void (fixture->service, pd_payment_get_id (to_void), "A-117",
                                          "entered twice", NULL, &error));
  g_assert_error (error, PD_CORE_ERROR, PD_CORE_ERROR_NO_ANSWER);
  g_assert_nonnull (strstr (error->message, "goes again, with its key"));
  g_clear_error (&error);
  ledger = pd_test_core_find_payment (fixture->core, pd_payment_get_client_ref (to_void));
  g_assert_cmpstr (json_object_get_string_member (ledger, "status"), ==, "voided");
  g_clear_pointer (&ledger, json_object_unref);
  voiding = pd_journal_find_request (fixture->journal, pd_payment_get_id (to_void), "%/void",
                                     NULL);
  g_assert_nonnull (voiding);

  /* The refund too, then the core answers again. */
  pd_test_core_control (fixture->core, "{\"clear\": true}");
  pd_test_core_control (fixture->core, "{\"fault\": \"reset\", \"after_processing\": true,"
                                       " \"count\": 8, \"method\": \"POST\","
                                       " \"path\": \"/v1/refunds\"}");
  g_assert_null (pd_payment_service_refund (fixture->service, pd_payment_get_id (to_refund),
                                            "A-117", "overpaid", NULL, &error));
  g_assert_error (error, PD_CORE_ERROR, PD_CORE_ERROR_NO_ANSWER);
  g_clear_error (&error);
  pd_test_core_control (fixture->core, "{\"clear\": true}");

  /* Asked again: the waiting void goes again, not a second one. */
  before = requests_seen (fixture);
  asked_again = pd_payment_service_void (fixture->service, pd_payment_get_id (to_void),
                                         "A-200", "another reason", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_payment_get_state (asked_again), ==, PD_PAYMENT_STATE_VOIDED);
  g_assert_cmpstr (pd_payment_get_reason (asked_again), ==, "entered twice");
  g_assert_cmpuint (requests_seen (fixture) - before, ==, 1);

  /* The drain sends the refund again. */
  pd_payment_service_drain_outbox (fixture->service, NULL, &error);
  g_assert_no_error (error);
  after = pd_journal_get_payment (fixture->journal, pd_payment_get_id (to_refund), NULL);
  g_assert_cmpint (pd_payment_get_state (after), ==, PD_PAYMENT_STATE_REFUNDED);
  g_assert_nonnull (pd_payment_get_confirmation (after));
  ledger = pd_test_core_find_payment (fixture->core, pd_payment_get_client_ref (to_refund));
  g_assert_cmpstr (json_object_get_string_member (ledger, "status"), ==, "refunded");
  g_clear_pointer (&ledger, json_object_unref);

  /* Nothing is left to send. */
  undoing = pd_journal_list_undoing (fixture->journal, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (undoing->len, ==, 0);
}

/* The public Visa CVN 10 vector (shared/docs/reference.md): a $40.00 purchase whose ARQC the
 * issuer key 0123456789ABCDEFFEDCBA9876543210 checks, from a card with this test PAN. */
#define VECTOR_PAN "1234567890123456"
#define VECTOR_ICC_DATA(arqc) \
  "9F0206000000004000" "9F0306000000000000" "9F1A020124" "95058000048000" "5F2A020124" \
  "9A03191105" "9C0101" "9F370452BF4585" "82021800" "9F3602001C" "5F340100" \
  "9F10070601" "0A03A06010" "9F2608" arqc

static PdPayment *
authorize_card_sealed (Fixture       *fixture,
                       const char    *icc_data,
                       PdCents        amount,
                       PdCoreAnswer **answer,
                       char         **sealed_out,
                       GError       **error)
{
  g_autoptr(PdAccount) account = pd_payment_service_get_account (fixture->service,
                                                                 "400123456789", NULL, NULL);
  g_autofree char *sealed = pd_seal (pd_config_get_core_public_key (fixture->config),
                                     "{\"pan\":\"" VECTOR_PAN "\"}", NULL);
  PdCardTender card = {
    .entry_mode = "chip", .aid = "A0000000031010", .app_label = "VISA CREDIT",
    .brand = "visa", .pan_last4 = "3456", .icc_data = icc_data, .sealed = sealed,
  };
  PdPayment *payment;

  g_assert_nonnull (account);
  payment = pd_payment_service_authorize_card (fixture->service, account, NULL, amount, &card,
                                               NULL, answer, NULL, error);
  if (sealed_out != NULL)
    *sealed_out = g_steal_pointer (&sealed);
  return payment;
}

static PdPayment *
authorize_card (Fixture       *fixture,
                const char    *icc_data,
                PdCents        amount,
                PdCoreAnswer **answer,
                GError       **error)
{
  return authorize_card_sealed (fixture, icc_data, amount, answer, NULL, error);
}

static void
test_card_cryptogram (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(PdCoreAnswer) answer = NULL;
  g_autoptr(PdPayment) approved = NULL;
  g_autoptr(PdPayment) forged = NULL;
  g_autoptr(PdPayment) other_amount = NULL;
  g_autoptr(PdPayment) with_track = NULL;
  g_autoptr(JsonObject) ledger = NULL;
  g_autoptr(GError) error = NULL;

  approved = authorize_card (fixture, VECTOR_ICC_DATA ("29CCA15AE665FA2E"), 4000, &answer,
                             &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_payment_get_state (approved), ==, PD_PAYMENT_STATE_APPROVED);
  g_assert_cmpstr (pd_payment_get_tender_last4 (approved), ==, "3456");
  /* ARPC method 1 with ARC "00", as the public vector gives it. */
  g_assert_cmpstr (answer->issuer_authentication_data, ==, "28993816AFAE4AEB3030");
  g_assert_cmpuint (strlen (answer->auth_code), ==, 6);
  ledger = pd_test_core_find_payment (fixture->core, pd_payment_get_client_ref (approved));
  g_assert_cmpstr (json_object_get_string_member (ledger, "status"), ==, "approved");

  /* Issuer scripts travel back to the kernel as the core sent them. */
  {
    g_autoptr(PdPayment) scripted = NULL;
    g_autoptr(PdCoreAnswer) scripted_answer = NULL;

    pd_test_core_control (fixture->core, "{\"issuer_scripts\": \"720E9F180400000001860580DA8E0200\"}");
    scripted = authorize_card (fixture, VECTOR_ICC_DATA ("29CCA15AE665FA2E"), 4000,
                               &scripted_answer, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (scripted_answer->issuer_scripts, ==, "720E9F180400000001860580DA8E0200");
    g_assert_null (answer->issuer_scripts);
  }

  /* One bit off in the cryptogram: declined for it. */
  forged = authorize_card (fixture, VECTOR_ICC_DATA ("29CCA15AE665FA2F"), 4000, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_payment_get_state (forged), ==, PD_PAYMENT_STATE_DECLINED);
  g_assert_cmpstr (pd_payment_get_reason (forged), ==, "cryptogram_failed");

  /* The card signed $40.00: charging $45.00 with it is refused outright. */
  other_amount = authorize_card (fixture, VECTOR_ICC_DATA ("29CCA15AE665FA2E"), 4500, NULL,
                                 &error);
  g_assert_cmpint (pd_payment_get_state (other_amount), ==, PD_PAYMENT_STATE_FAILED);
  g_assert_nonnull (strstr (pd_payment_get_reason (other_amount), "9F02"));

  /* No cryptogram at all, or no IAD: refused with the field named, the core stays up. */
  {
    g_autoptr(PdPayment) without_cryptogram = NULL;
    g_autoptr(PdPayment) without_iad = NULL;

    without_cryptogram = authorize_card (fixture,
                                         "9F0206000000004000" "9F0306000000000000" "9F1A020124"
                                         "95058000048000" "5F2A020124" "9A03191105" "9C0101"
                                         "9F370452BF4585" "82021800" "9F3602001C",
                                         4000, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (pd_payment_get_state (without_cryptogram), ==, PD_PAYMENT_STATE_FAILED);
    g_assert_nonnull (strstr (pd_payment_get_reason (without_cryptogram), "9F26"));

    without_iad = authorize_card (fixture,
                                  "9F0206000000004000" "9F0306000000000000" "9F1A020124"
                                  "95058000048000" "5F2A020124" "9A03191105" "9C0101"
                                  "9F370452BF4585" "82021800" "9F3602001C" "9F26082"
                                  "9CCA15AE665FA2E", 4000, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (pd_payment_get_state (without_iad), ==, PD_PAYMENT_STATE_FAILED);
    g_assert_nonnull (strstr (pd_payment_get_reason (without_iad), "9F10"));
  }

  /* Track 2 equivalent data in the clear: refused, never stored. */
  with_track = authorize_card (fixture, VECTOR_ICC_DATA ("29CCA15AE665FA2E") "5708" "1234567890123456",
                               4000, NULL, &error);
  g_assert_cmpint (pd_payment_get_state (with_track), ==, PD_PAYMENT_STATE_FAILED);
  g_assert_cmpuint (pd_test_core_count_payments (fixture->core,
                                                 pd_payment_get_client_ref (with_track)), ==, 0);
}

/* The core took the card payment but the answer was lost, every time: the terminal finds it
 * by its reference instead of charging again. */
static void
test_card_lost_answer_found (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(PdPayment) payment = NULL;
  g_autoptr(PdCoreAnswer) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdAccount) warm = pd_payment_service_get_account (fixture->service, "400123456789",
                                                              NULL, NULL);

  g_assert_nonnull (warm);
  /* Every try at the payment is taken, then its answer lost (libcurl may also retry a dead
   * kept-alive connection on its own: the count covers that). */
  pd_test_core_control (fixture->core, "{\"fault\": \"reset\", \"after_processing\": true, "
                                       "\"count\": 8, \"method\": \"POST\", "
                                       "\"path\": \"/v1/payments\"}");
  payment = authorize_card (fixture, VECTOR_ICC_DATA ("29CCA15AE665FA2E"), 4000, &answer, &error);
  g_assert_no_error (error);

  g_assert_cmpint (pd_payment_get_state (payment), ==, PD_PAYMENT_STATE_APPROVED);
  g_assert_nonnull (answer);
  g_assert_cmpuint (pd_test_core_count_payments (fixture->core,
                                                 pd_payment_get_client_ref (payment)), ==, 1);
}

/* The core never saw it, and says so: the terminal reverses, and the authorization, should
 * it arrive late, is refused. */
static void
test_card_timeout_reversal (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(PdPayment) payment = NULL;
  g_autoptr(PdJournalRequest) original = NULL;
  g_autoptr(PdCoreAnswer) late = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdAccount) warm = pd_payment_service_get_account (fixture->service, "400123456789",
                                                              NULL, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *sealed = NULL;
  g_autofree char *late_body = NULL;
  JsonObject *tender;
  PdCoreRequest request;

  g_assert_nonnull (warm);
  pd_test_core_control (fixture->core, "{\"fault\": \"reset\", \"count\": 8, "
                                       "\"method\": \"POST\", \"path\": \"/v1/payments\"}");
  payment = authorize_card_sealed (fixture, VECTOR_ICC_DATA ("29CCA15AE665FA2E"), 4000, NULL,
                                   &sealed, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_payment_get_state (payment), ==, PD_PAYMENT_STATE_REVERSED);
  g_assert_cmpuint (pd_test_core_count_payments (fixture->core,
                                                 pd_payment_get_client_ref (payment)), ==, 0);
  pd_test_core_control (fixture->core, "{\"clear\": true}");

  /* The journal kept the authorization without the sealed card data. The late copy is the
   * request as it was sent: the journaled one with that block back in its place. */
  original = pd_journal_get_first_request (fixture->journal, pd_payment_get_id (payment), NULL);
  g_assert_null (strstr (original->body, "sealed"));
  g_assert_true (json_parser_load_from_data (parser, original->body, -1, NULL));
  tender = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                          "tender");
  json_object_set_string_member (tender, "sealed", sealed);
  json_generator_set_root (generator, json_parser_get_root (parser));
  late_body = json_generator_to_data (generator, NULL);
  request = pd_journal_request_view (original);
  request.body = late_body;
  late = pd_core_client_send (fixture->client, &request, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (late->status, ==, PD_CORE_STATUS_DECLINED);
  g_assert_cmpstr (late->decline_reason, ==, "reversed_before_authorization");
}

/* The answer was lost and the core stayed unreachable for the reversal too: the payment waits,
 * and the reversal is sent again, with its key, until the core acknowledges it. */
static void
test_card_reversal_survives_restart (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autoptr(PdPayment) payment = NULL;
  g_autoptr(PdPayment) after = NULL;
  g_autoptr(PdJournalRequest) reversal = NULL;
  g_autoptr(JsonObject) ledger = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdAccount) warm = pd_payment_service_get_account (fixture->service, "400123456789",
                                                              NULL, NULL);
  guint16 port = fixture->core->port;

  g_assert_nonnull (warm);
  /* Taken, then every answer lost; then neither lookups nor reversals get through. */
  pd_test_core_control (fixture->core, "{\"fault\": \"reset\", \"after_processing\": true, "
                                       "\"count\": 8, \"method\": \"POST\", "
                                       "\"path\": \"/v1/payments\"}");
  pd_test_core_control (fixture->core, "{\"fault\": \"status\", \"status\": 503, "
                                       "\"count\": 100, \"method\": \"GET\", "
                                       "\"path\": \"/v1/payments\"}");
  pd_test_core_control (fixture->core, "{\"fault\": \"status\", \"status\": 503, "
                                       "\"count\": 100, \"path\": \"/v1/reversals\"}");
  payment = authorize_card (fixture, VECTOR_ICC_DATA ("29CCA15AE665FA2E"), 4000, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_payment_get_state (payment), ==, PD_PAYMENT_STATE_AUTHORIZING);
  reversal = pd_journal_find_request (fixture->journal, pd_payment_get_id (payment),
                                      "/v1/reversals", &error);
  g_assert_no_error (error);
  g_assert_nonnull (reversal);

  /* A restarted terminal and core: the drain sends the journaled reversal. */
  g_clear_pointer (&fixture->core, pd_test_core_free);
  fixture->core = pd_test_core_start (fixture->tmp.dir, port, NULL);
  connect_service (fixture);
  pd_payment_service_set_card_grace (fixture->service, 0);
  pd_payment_service_drain_outbox (fixture->service, NULL, &error);
  g_assert_no_error (error);

  after = pd_journal_get_payment (fixture->journal, pd_payment_get_id (payment), NULL);
  g_assert_cmpint (pd_payment_get_state (after), ==, PD_PAYMENT_STATE_REVERSED);
  ledger = pd_test_core_find_payment (fixture->core, pd_payment_get_client_ref (payment));
  g_assert_cmpstr (json_object_get_string_member (ledger, "status"), ==, "reversed");
}

static void
on_drained (PdOutboxDrainer *drainer,
            guint            delivered,
            gpointer         data)
{
  int *result = data;

  *result = (int) delivered;
}

/* A running terminal sends its outbox by itself once the core is back, on a worker thread,
 * while its main loop keeps turning. */
static void
test_outbox_drains_itself (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(PdAccount) account = pd_payment_service_get_account (fixture->service,
                                                                 "400123456789", NULL, NULL);
  g_autoptr(PdBankAccount) bank = pd_bank_account_new (ROUTING, BANK_ACCOUNT, "checking",
                                                       "Maria L Gonzalez", NULL);
  g_autoptr(PdPayment) queued = NULL;
  g_autoptr(PdPayment) delivered = NULL;
  g_autoptr(PdOutboxDrainer) drainer = NULL;
  guint16 port = fixture->core->port;
  int result = -1;

  pd_test_core_stop (fixture->core);
  queued = pd_payment_service_pay_bank (fixture->service, account, NULL, 1234, bank, NULL, NULL,
                                        NULL);
  g_assert_cmpint (pd_payment_get_state (queued), ==, PD_PAYMENT_STATE_QUEUED);

  drainer = pd_outbox_drainer_new (fixture->service, 3600);
  g_signal_connect (drainer, "drained", G_CALLBACK (on_drained), &result);
  pd_outbox_drainer_start (drainer);

  /* Still down: a pass sends nothing, and the payment keeps waiting. */
  pd_outbox_drainer_run_now (drainer);
  while (result < 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (result, ==, 0);

  g_clear_pointer (&fixture->core, pd_test_core_free);
  fixture->core = pd_test_core_start (fixture->tmp.dir, port, NULL);

  result = -1;
  pd_outbox_drainer_run_now (drainer);
  while (result < 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (result, ==, 1);

  delivered = pd_journal_get_payment (fixture->journal, pd_payment_get_id (queued), NULL);
  g_assert_cmpint (pd_payment_get_state (delivered), ==, PD_PAYMENT_STATE_COMPLETED);
  g_assert_cmpuint (pd_test_core_count_payments (fixture->core,
                                                 pd_payment_get_client_ref (queued)), ==, 1);
  pd_outbox_drainer_stop (drainer);
}

static PdReport *todays_report (Fixture *fixture);

static void
test_card_completion (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(PdPayment) accepted = authorize_card (fixture, VECTOR_ICC_DATA ("29CCA15AE665FA2E"),
                                                  4000, NULL, NULL);
  g_autoptr(PdPayment) refused = authorize_card (fixture, VECTOR_ICC_DATA ("29CCA15AE665FA2E"),
                                                 4000, NULL, NULL);
  g_autoptr(PdPayment) completed = NULL;
  g_autoptr(PdPayment) reversed = NULL;
  g_autoptr(JsonObject) kept = NULL;
  g_autoptr(JsonObject) undone = NULL;
  g_autoptr(PdReport) report = NULL;
  g_autoptr(GError) error = NULL;

  completed = pd_payment_service_complete_card (fixture->service, pd_payment_get_id (accepted),
                                                TRUE, "9F2708" "40", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_payment_get_state (completed), ==, PD_PAYMENT_STATE_COMPLETED);

  /* Approved by the issuer, declined by the card at the second cryptogram. */
  reversed = pd_payment_service_complete_card (fixture->service, pd_payment_get_id (refused),
                                               FALSE, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_payment_get_state (reversed), ==, PD_PAYMENT_STATE_REVERSED);

  kept = pd_test_core_find_payment (fixture->core, pd_payment_get_client_ref (accepted));
  undone = pd_test_core_find_payment (fixture->core, pd_payment_get_client_ref (refused));
  g_assert_cmpstr (json_object_get_string_member (kept, "status"), ==, "approved");
  g_assert_cmpstr (json_object_get_string_member (undone, "status"), ==, "reversed");

  report = todays_report (fixture);
  g_assert_true (report->matches);
  g_assert_cmpuint (report->rows->len, ==, 1);
  g_assert_cmpint (g_array_index (report->rows, PdReportRow, 0).tender, ==, PD_TENDER_CARD);
  g_assert_cmpint (g_array_index (report->rows, PdReportRow, 0).amount, ==, 4000);
}

typedef struct {
  const char *tender;
  PdCents amount;
  gboolean with_images;
  const char *refused_field;
} CheckCase;

/* What the terminal seals for a scanned check: the account number and both sides as TIFF
 * (here only a TIFF header each, all the training core looks at). */
#define TIFF_HEADER_BASE64 "SUkqAAgAAAAAAA=="

static void
test_check_tenders (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(PdBankAccount) bank = pd_bank_account_new (ROUTING, BANK_ACCOUNT, "checking",
                                                       "Maria L Gonzalez", NULL);
  g_autofree char *sealed = pd_bank_account_seal (bank, pd_config_get_core_public_key (
                                                    fixture->config), NULL);
  g_autofree char *sealed_with_images = pd_seal (pd_config_get_core_public_key (fixture->config),
                                                 "{\"account_number\":\"" BANK_ACCOUNT "\","
                                                 "\"front_tiff\":\"" TIFF_HEADER_BASE64 "\","
                                                 "\"back_tiff\":\"" TIFF_HEADER_BASE64 "\"}",
                                                 NULL);
  const CheckCase cases[] = {
    { "\"authorization\":\"POP\",\"serial\":\"1042\",\"aux_on_us\":null", 7500, FALSE, NULL },
    { "\"authorization\":\"POP\",\"serial\":\"1042\",\"images_included\":true", 7500, TRUE,
      NULL },
    { "\"authorization\":\"CHECK21\",\"serial\":\"5001\",\"aux_on_us\":\"000123\","
      "\"images_included\":true", 7500, TRUE, NULL },
    { "\"authorization\":\"CHECK21\",\"serial\":\"5001\",\"aux_on_us\":\"000123\"", 7500, FALSE,
      "tender.images_included" },
    { "\"authorization\":\"CHECK21\",\"aux_on_us\":\"000123\",\"images_included\":true", 7500,
      FALSE, "tender.sealed" },
    { "\"authorization\":\"POP\",\"serial\":\"5001\",\"aux_on_us\":\"000123\"", 7500, FALSE,
      "tender.authorization" },
    { "\"authorization\":\"BOC\",\"aux_on_us\":null", 7500, FALSE, "tender.serial" },
    { "\"authorization\":\"POP\",\"serial\":\"1042\"", 2500001, FALSE, "amount_cents" },
    { "\"authorization\":\"CASH\",\"serial\":\"1042\"", 7500, FALSE, "tender.authorization" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *key = g_strdup_printf ("check-%" G_GSIZE_FORMAT, i);
      g_autofree char *body = g_strdup_printf (
        "{\"client_ref\":\"TRAIN-01-CHECK%" G_GSIZE_FORMAT "\",\"center_id\":\"TRAINING\","
        "\"terminal_id\":\"TRAIN-01\",\"business_date\":\"2026-11-23\","
        "\"account_number\":\"400123456789\",\"line_of_business\":\"essential\","
        "\"amount_cents\":%" G_GINT64_FORMAT ",\"currency\":\"USD\",\"tender\":{"
        "\"kind\":\"check\",\"routing_number\":\"" ROUTING "\",\"account_last4\":\"6789\","
        "%s,\"sealed\":\"%s\"}}", i, cases[i].amount, cases[i].tender,
        cases[i].with_images ? sealed_with_images : sealed);
      PdCoreRequest request = { "POST", "/v1/payments", key, body };
      g_autoptr(PdCoreAnswer) answer = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("check %s", cases[i].tender);
      answer = pd_core_client_send (fixture->client, &request, NULL, &error);
      if (cases[i].refused_field == NULL)
        {
          g_assert_no_error (error);
          g_assert_cmpint (answer->status, ==, PD_CORE_STATUS_ACCEPTED);
        }
      else
        {
          g_assert_error (error, PD_CORE_ERROR, PD_CORE_ERROR_REJECTED);
          g_assert_nonnull (strstr (error->message, cases[i].refused_field));
        }
    }
}

/* A scanned check through the service: converted at the counter (POP), or sent as images
 * (business check); a business check without images is refused before anything is written. */
static void
test_check_payments (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(PdAccount) account = pd_payment_service_get_account (fixture->service,
                                                                 "400123456789", NULL, NULL);
  const char *key = pd_config_get_core_public_key (fixture->config);
  g_autofree char *sealed = pd_seal (key, "{\"account_number\":\"" BANK_ACCOUNT "\"}", NULL);
  g_autofree char *sealed_with_images = pd_seal (key,
                                                 "{\"account_number\":\"" BANK_ACCOUNT "\","
                                                 "\"front_tiff\":\"" TIFF_HEADER_BASE64 "\","
                                                 "\"back_tiff\":\"" TIFF_HEADER_BASE64 "\"}",
                                                 NULL);
  PdCheckTender personal = {
    .routing_number = ROUTING, .serial = "1042", .account_last4 = "6789",
    .has_images = FALSE, .images_missing_reason = "no imager", .sealed = sealed,
  };
  PdCheckTender business = {
    .routing_number = ROUTING, .serial = "5001", .aux_on_us = "5001", .account_last4 = "6789",
    .has_images = TRUE, .sealed = sealed_with_images,
  };
  PdCheckTender business_no_images = business;
  PdCheckTender bad_routing = personal;
  g_autoptr(PdPayment) converted = NULL;
  g_autoptr(PdPayment) imaged = NULL;
  g_autoptr(PdPayment) refused = NULL;
  g_autoptr(PdPayment) misread = NULL;
  g_autoptr(JsonObject) converted_ledger = NULL;
  g_autoptr(JsonObject) imaged_ledger = NULL;
  g_autoptr(PdJournalRequest) request = NULL;
  g_autoptr(GPtrArray) journaled = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (account);
  business_no_images.has_images = FALSE;
  business_no_images.images_missing_reason = "no imager";
  business_no_images.sealed = sealed;
  bad_routing.routing_number = "021000022";

  converted = pd_payment_service_pay_check (fixture->service, account, NULL, 7500, &personal,
                                            &associate, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_payment_get_state (converted), ==, PD_PAYMENT_STATE_COMPLETED);
  g_assert_cmpint (pd_payment_get_tender (converted), ==, PD_TENDER_CHECK);
  g_assert_cmpstr (pd_payment_get_tender_last4 (converted), ==, "6789");
  converted_ledger = pd_test_core_find_payment (fixture->core, pd_payment_get_client_ref (converted));
  g_assert_cmpstr (json_object_get_string_member (converted_ledger, "status"), ==, "accepted");
  request = pd_journal_get_first_request (fixture->journal, pd_payment_get_id (converted), NULL);
  g_assert_nonnull (strstr (request->body, "\"authorization\":\"POP\""));
  g_assert_nonnull (strstr (request->body, "\"images_missing_reason\":\"no imager\""));

  imaged = pd_payment_service_pay_check (fixture->service, account, NULL, 7500, &business,
                                         &associate, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_payment_get_state (imaged), ==, PD_PAYMENT_STATE_COMPLETED);
  imaged_ledger = pd_test_core_find_payment (fixture->core, pd_payment_get_client_ref (imaged));
  g_assert_nonnull (imaged_ledger);

  refused = pd_payment_service_pay_check (fixture->service, account, NULL, 7500,
                                          &business_no_images, &associate, NULL, &error);
  g_assert_null (refused);
  g_assert_error (error, PD_PAYMENT_ERROR, PD_PAYMENT_ERROR_INVALID_TENDER_DETAILS);
  g_assert_nonnull (strstr (error->message, "no imager"));
  g_clear_error (&error);

  misread = pd_payment_service_pay_check (fixture->service, account, NULL, 7500, &bad_routing,
                                          &associate, NULL, &error);
  g_assert_null (misread);
  g_assert_error (error, PD_PAYMENT_ERROR, PD_PAYMENT_ERROR_INVALID_TENDER_DETAILS);

  /* Only the two taken are in the journal. */
  journaled = pd_journal_list_payments_in_state (fixture->journal, PD_PAYMENT_STATE_COMPLETED,
                                                 NULL);
  g_assert_cmpuint (journaled->len, ==, 2);
  assert_no_clear_account_number (fixture);
}

static void
test_outbox_age_limit (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(PdAccount) account = pd_payment_service_get_account (fixture->service,
                                                                 "400123456789", NULL, NULL);
  g_autoptr(PdBankAccount) bank = pd_bank_account_new (ROUTING, BANK_ACCOUNT, "checking",
                                                       "Maria L Gonzalez", NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) two_days_ago = g_date_time_add_days (now, -2);
  PdPaymentOrigin origin = { "TRAINING", "TRAIN-01", NULL, 0 };
  g_autoptr(PdPayment) old = pd_payment_new (&origin, account, NULL, 1000, PD_TENDER_BANK,
                                             two_days_ago, NULL);
  g_autoptr(PdPayment) refused = NULL;
  g_autoptr(GError) error = NULL;

  /* A check payment queued two days ago, still waiting (the limit here is 24 hours). */
  g_assert_true (pd_journal_record_payment (fixture->journal, old, NULL, NULL));
  g_assert_true (pd_journal_record_transition (fixture->journal, old,
                                               PD_PAYMENT_STATE_QUEUED, NULL, NULL, NULL));

  pd_test_core_stop (fixture->core);
  refused = pd_payment_service_pay_bank (fixture->service, account, NULL, 1500, bank, NULL, NULL,
                                         &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_payment_get_state (refused), ==, PD_PAYMENT_STATE_FAILED);
  g_assert_nonnull (strstr (pd_payment_get_reason (refused), "longer than allowed"));
}

static void
test_refund (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(PdPayment) payment = pay_bank_ok (fixture, 2200);
  g_autoptr(PdPayment) refunded = NULL;
  g_autoptr(PdPayment) void_after = NULL;
  g_autoptr(JsonObject) ledger = NULL;
  g_autoptr(PdReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) not_twice = NULL;

  refunded = pd_payment_service_refund (fixture->service, pd_payment_get_client_ref (payment),
                                        "A-117", "paid twice by mistake", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_payment_get_state (refunded), ==, PD_PAYMENT_STATE_REFUNDED);
  g_assert_true (g_str_has_prefix (pd_payment_get_confirmation (refunded), "REF-"));

  ledger = pd_test_core_find_payment (fixture->core, pd_payment_get_client_ref (payment));
  g_assert_cmpstr (json_object_get_string_member (ledger, "status"), ==, "refunded");

  g_assert_null (pd_payment_service_void (fixture->service, pd_payment_get_id (payment), NULL,
                                          NULL, NULL, &not_twice));
  g_assert_error (not_twice, PD_PAYMENT_STATE_ERROR, PD_PAYMENT_STATE_ERROR_FORBIDDEN);

  report = todays_report (fixture);
  g_assert_true (report->matches);
  g_assert_cmpuint (report->rows->len, ==, 0);
}

/* The status line of a plain GET to the core, sent without any credentials. */
static char *
status_line_of_get (PdTestCore *core,
                    const char *path)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GDataInputStream) in = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *request = g_strdup_printf ("GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n",
                                              path);
  GOutputStream *out;

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", core->port, NULL, &error);
  g_assert_no_error (error);
  out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_assert_true (g_output_stream_write_all (out, request, strlen (request), NULL, NULL, &error));
  g_assert_no_error (error);
  in = g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (connection)));
  return g_data_input_stream_read_line_utf8 (in, NULL, NULL, &error);
}

static void
test_token_required (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *token_path = g_build_filename (fixture->tmp.dir, "core-token", NULL);
  g_autofree char *extra = g_strdup_printf ("token-file = %s\n", token_path);
  g_autoptr(PdIdentification) identification = pd_identification_new_account_zip (
    "400123456789", "10001", NULL);
  g_autoptr(GError) refused = NULL;
  g_autoptr(PdMemberLookup) found = NULL;
  guint before;

  g_autofree char *token_arg = g_strdup_printf ("--token-file=%s", token_path);
  const char *core_args[] = { token_arg, NULL };

  pd_test_write_secret (token_path, "s3cret-terminal-token\n");
  g_clear_pointer (&fixture->core, pd_test_core_free);
  fixture->core = pd_test_core_start (fixture->tmp.dir, 0, core_args);

  /* A token others may read is no secret: refused before anything is sent, with the mode
   * it should have. Likewise a TLS client key. */
  {
    g_autofree char *open_token = g_build_filename (fixture->tmp.dir, "open-token", NULL);
    g_autofree char *open_key = g_build_filename (fixture->tmp.dir, "open.key", NULL);
    g_autofree char *with_open_token = g_strdup_printf ("token-file = %s\n", open_token);
    g_autofree char *with_open_key = g_strdup_printf ("client-certificate = %s\n"
                                                      "client-key = %s\n", open_key, open_key);
    g_autoptr(PdConfig) config = NULL;
    g_autoptr(PdCoreClient) client = NULL;
    g_autoptr(GError) setup = NULL;

    pd_test_write_file (open_token, "s3cret-terminal-token\n");
    g_assert_cmpint (g_chmod (open_token, 0644), ==, 0);
    config = write_config (fixture, fixture->core->url, with_open_token);
    client = pd_core_client_new (config, &setup);
    g_assert_null (client);
    g_assert_error (setup, PD_CORE_ERROR, PD_CORE_ERROR_SETUP);
    g_assert_nonnull (strstr (setup->message, "mode 0644"));
    g_assert_nonnull (strstr (setup->message, "chmod 600"));
    g_clear_error (&setup);
    g_clear_object (&config);

    pd_test_write_file (open_key, "-----BEGIN PRIVATE KEY-----\n");
    g_assert_cmpint (g_chmod (open_key, 0640), ==, 0);
    config = write_config (fixture, fixture->core->url, with_open_key);
    client = pd_core_client_new (config, &setup);
    g_assert_null (client);
    g_assert_error (setup, PD_CORE_ERROR, PD_CORE_ERROR_SETUP);
    g_assert_nonnull (strstr (setup->message, "TLS client key"));
    g_assert_nonnull (strstr (setup->message, "mode 0640"));
  }

  /* The training core's own control endpoints want the token too. */
  {
    g_autofree char *ledger = status_line_of_get (fixture->core, "/_sim/ledger");

    g_assert_nonnull (ledger);
    g_assert_nonnull (strstr (ledger, " 401 "));
  }

  /* Without the token: refused, once, not retried. */
  g_clear_object (&fixture->config);
  fixture->config = write_config (fixture, fixture->core->url, NULL);
  connect_service (fixture);
  before = requests_seen (fixture);
  g_assert_null (pd_core_client_lookup (fixture->client, identification, NULL, &refused));
  g_assert_error (refused, PD_CORE_ERROR, PD_CORE_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (requests_seen (fixture) - before, ==, 1);

  g_clear_object (&fixture->config);
  fixture->config = write_config (fixture, fixture->core->url, extra);
  connect_service (fixture);
  found = lookup (fixture, identification);
  g_assert_cmpint (found->outcome, ==, PD_LOOKUP_FOUND);
}

/* sha256//BASE64 of the certificate's public key, as openssl works it out. */
static char *
public_key_pin (const char *certificate)
{
  g_autofree char *command = g_strdup_printf (
    "openssl x509 -in '%s' -pubkey -noout | openssl pkey -pubin -outform der |"
    " openssl dgst -sha256 -binary | base64", certificate);
  const char *argv[] = { "sh", "-c", command, NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL,
                &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_strdup_printf ("sha256//%s", g_strstrip (out));
}

/* HTTPS is checked for real: a core whose certificate the terminal does not trust gets
 * nothing, not even one request. */
static void
test_tls_verification (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *certificate = NULL, *key = NULL;
  g_autofree char *other_certificate = NULL, *other_key = NULL;
  g_autofree char *certificate_arg = NULL, *key_arg = NULL;
  g_autofree char *trust_other = NULL, *trust_right = NULL;
  g_autoptr(PdIdentification) identification = pd_identification_new_account_zip (
    "400123456789", "10001", NULL);
  g_autoptr(GError) untrusted = NULL;
  g_autoptr(GError) wrong_ca = NULL;
  g_autoptr(PdMemberLookup) found = NULL;
  const char *core_args[3];

  pd_test_make_certificate (fixture->tmp.dir, "core", &certificate, &key);
  pd_test_make_certificate (fixture->tmp.dir, "impostor", &other_certificate, &other_key);
  certificate_arg = g_strdup_printf ("--tls-certificate=%s", certificate);
  key_arg = g_strdup_printf ("--tls-key=%s", key);
  core_args[0] = certificate_arg;
  core_args[1] = key_arg;
  core_args[2] = NULL;

  g_clear_pointer (&fixture->core, pd_test_core_free);
  fixture->core = pd_test_core_start (fixture->tmp.dir, 0, core_args);
  g_assert_true (g_str_has_prefix (fixture->core->url, "https://"));

  /* The system's CAs do not know this core. */
  g_clear_object (&fixture->config);
  fixture->config = write_config_with_timeout (fixture, fixture->core->url, TLS_TIMEOUT_SECONDS,
                                               NULL);
  connect_service (fixture);
  g_assert_null (pd_core_client_lookup (fixture->client, identification, NULL, &untrusted));
  g_assert_error (untrusted, PD_CORE_ERROR, PD_CORE_ERROR_TLS);

  /* A CA file, but another one. */
  trust_other = g_strdup_printf ("ca-file = %s\n", other_certificate);
  g_clear_object (&fixture->config);
  fixture->config = write_config_with_timeout (fixture, fixture->core->url, TLS_TIMEOUT_SECONDS,
                                               trust_other);
  connect_service (fixture);
  g_assert_null (pd_core_client_lookup (fixture->client, identification, NULL, &wrong_ca));
  g_assert_error (wrong_ca, PD_CORE_ERROR, PD_CORE_ERROR_TLS);
  g_assert_cmpuint (requests_seen (fixture), ==, 0);

  trust_right = g_strdup_printf ("ca-file = %s\n", certificate);
  g_clear_object (&fixture->config);
  fixture->config = write_config_with_timeout (fixture, fixture->core->url, TLS_TIMEOUT_SECONDS,
                                               trust_right);
  connect_service (fixture);
  found = lookup (fixture, identification);
  g_assert_cmpint (found->outcome, ==, PD_LOOKUP_FOUND);
  /* The health check, then the lookup. */
  g_assert_cmpuint (requests_seen (fixture), ==, 2);

  /* Pinned: a certificate the CA vouches for is not enough, the key must be the one pinned. */
  {
    g_autofree char *pin = public_key_pin (certificate);
    g_autofree char *other_pin = public_key_pin (other_certificate);
    g_autofree char *pinned_right = g_strdup_printf ("ca-file = %s\npinned-public-key = %s\n",
                                                     certificate, pin);
    g_autofree char *pinned_wrong = g_strdup_printf ("ca-file = %s\npinned-public-key = %s\n",
                                                     certificate, other_pin);
    g_autoptr(GError) wrong_pin = NULL;
    g_autoptr(PdMemberLookup) pinned = NULL;

    g_clear_object (&fixture->config);
    fixture->config = write_config_with_timeout (fixture, fixture->core->url,
                                                 TLS_TIMEOUT_SECONDS, pinned_wrong);
    connect_service (fixture);
    g_assert_null (pd_core_client_lookup (fixture->client, identification, NULL, &wrong_pin));
    g_assert_error (wrong_pin, PD_CORE_ERROR, PD_CORE_ERROR_TLS);
    g_assert_cmpuint (requests_seen (fixture), ==, 2);

    g_clear_object (&fixture->config);
    fixture->config = write_config_with_timeout (fixture, fixture->core->url,
                                                 TLS_TIMEOUT_SECONDS, pinned_right);
    connect_service (fixture);
    pinned = lookup (fixture, identification);
    g_assert_cmpint (pinned->outcome, ==, PD_LOOKUP_FOUND);
  }
}

/* A core that authenticates terminals by TLS client certificate: without one, nothing; with
 * one from the terminal's configuration, the lookup goes through. */
static void
test_tls_client_certificate (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *certificate = NULL, *key = NULL;
  g_autofree char *terminal_certificate = NULL, *terminal_key = NULL;
  char *args[3];
  g_autofree char *trust = NULL, *with_certificate = NULL;
  g_autoptr(PdIdentification) identification = pd_identification_new_account_zip (
    "400123456789", "10001", NULL);
  g_autoptr(GError) refused = NULL;
  g_autoptr(PdMemberLookup) found = NULL;
  const char *core_args[4];

  pd_test_make_certificate (fixture->tmp.dir, "core", &certificate, &key);
  pd_test_make_certificate (fixture->tmp.dir, "terminal", &terminal_certificate, &terminal_key);
  args[0] = g_strdup_printf ("--tls-certificate=%s", certificate);
  args[1] = g_strdup_printf ("--tls-key=%s", key);
  /* The terminal's self-signed certificate is its own CA. */
  args[2] = g_strdup_printf ("--tls-client-ca=%s", terminal_certificate);
  for (int i = 0; i < 3; i++)
    core_args[i] = args[i];
  core_args[3] = NULL;

  g_clear_pointer (&fixture->core, pd_test_core_free);
  fixture->core = pd_test_core_start (fixture->tmp.dir, 0, core_args);
  pd_test_core_set_client_certificate (fixture->core, terminal_certificate, terminal_key);

  trust = g_strdup_printf ("ca-file = %s\n", certificate);
  g_clear_object (&fixture->config);
  fixture->config = write_config_with_timeout (fixture, fixture->core->url, TLS_TIMEOUT_SECONDS,
                                               trust);
  connect_service (fixture);
  g_assert_null (pd_core_client_lookup (fixture->client, identification, NULL, &refused));
  g_assert_error (refused, PD_CORE_ERROR, PD_CORE_ERROR_UNAUTHORIZED);

  with_certificate = g_strdup_printf ("ca-file = %s\nclient-certificate = %s\n"
                                      "client-key = %s\n", certificate, terminal_certificate,
                                      terminal_key);
  g_clear_object (&fixture->config);
  fixture->config = write_config_with_timeout (fixture, fixture->core->url, TLS_TIMEOUT_SECONDS,
                                               with_certificate);
  connect_service (fixture);
  found = lookup (fixture, identification);
  g_assert_cmpint (found->outcome, ==, PD_LOOKUP_FOUND);
  for (int i = 0; i < 3; i++)
    g_free (args[i]);
}

static void
on_lookup_done (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  PdMemberLookup **out = data;
  g_autoptr(GError) error = NULL;

  *out = pd_core_client_lookup_finish (PD_CORE_CLIENT (source), result, &error);
  g_assert_no_error (error);
}

/* The UI's path: the request runs on a worker while the main loop keeps turning. */
static void
test_async_lookup (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(PdIdentification) identification = pd_identification_new_invoice (
    "400123456789", "INV2026110042", NULL);
  PdMemberLookup *result = NULL;
  guint turns = 0;

  pd_test_core_control (fixture->core, "{\"fault\": \"slow\", \"delay_ms\": 200}");
  pd_core_client_lookup_async (fixture->client, identification, NULL, on_lookup_done, &result);
  while (result == NULL)
    {
      g_main_context_iteration (NULL, TRUE);
      turns++;
    }

  g_assert_cmpint (result->outcome, ==, PD_LOOKUP_FOUND);
  g_assert_cmpuint (turns, >=, 1);
  pd_member_lookup_free (result);
}

static PdReport *
todays_report (Fixture *fixture)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  PdReport *report;
  GDate today;

  pd_business_date_for (now, pd_config_get_business_day_cutoff (fixture->config), &today);
  report = pd_report_build (fixture->journal, fixture->client, &today,
                            pd_config_get_terminal_id (fixture->config), NULL, &error);
  g_assert_no_error (error);
  return report;
}

/* A core that is down refuses the connection: the member does not wait through retries,
 * the payment goes to the outbox after one try, and the drain sends it when the core is back. */
static void
test_refused_connection_not_retried (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autoptr(PdAccount) account = pd_payment_service_get_account (fixture->service,
                                                                 "400123456789", NULL, NULL);
  g_autoptr(PdBankAccount) bank = pd_bank_account_new (ROUTING, BANK_ACCOUNT, "checking",
                                                       "Maria L Gonzalez", NULL);
  g_autoptr(PdPayment) queued = NULL;
  g_autoptr(PdMemberLookup) found = NULL;
  g_autoptr(PdIdentification) identification = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port = fixture->core->port;
  guint before;

  g_assert_nonnull (account);
  pd_test_core_stop (fixture->core);

  before = pd_core_client_get_attempts (fixture->client);
  queued = pd_payment_service_pay_bank (fixture->service, account, NULL, 2500, bank, NULL, NULL,
                                        &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_payment_get_state (queued), ==, PD_PAYMENT_STATE_QUEUED);
  g_assert_cmpuint (pd_core_client_get_attempts (fixture->client) - before, ==, 1);

  before = pd_core_client_get_attempts (fixture->client);
  identification = pd_identification_new_invoice ("400123456789", "INV2026110042", NULL);
  found = pd_core_client_lookup (fixture->client, identification, NULL, &error);
  g_assert_null (found);
  g_assert_error (error, PD_CORE_ERROR, PD_CORE_ERROR_UNREACHABLE);
  g_assert_cmpuint (pd_core_client_get_attempts (fixture->client) - before, ==, 1);
  g_clear_error (&error);

  g_clear_pointer (&fixture->core, pd_test_core_free);
  fixture->core = pd_test_core_start (fixture->tmp.dir, port, NULL);
  g_assert_cmpuint (pd_payment_service_drain_outbox (fixture->service, NULL, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpuint (pd_test_core_count_payments (fixture->core,
                                                 pd_payment_get_client_ref (queued)), ==, 1);
}

/* A training terminal asks the core what it is before its first request, and a core that
 * does not say it is a training one gets nothing: not the lookup, not the payment. */
static void
test_training_terminal_needs_training_core (Fixture       *fixture,
                                            gconstpointer  data)
{
  g_autoptr(PdAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  guint before = requests_seen (fixture);

  pd_test_core_control (fixture->core,
                        "{\"fault\": \"answer\", \"path\": \"/v1/health\", \"count\": 2,"
                        " \"body\": \"{\\\"status\\\": \\\"ok\\\", \\\"api_version\\\": 1,"
                        " \\\"training\\\": false}\"}");

  account = pd_payment_service_get_account (fixture->service, "400123456789", NULL, &error);
  g_assert_null (account);
  g_assert_error (error, PD_CORE_ERROR, PD_CORE_ERROR_SETUP);
  g_assert_nonnull (strstr (error->message, "does not say it is a training core"));
  g_clear_error (&error);
  /* The health check, and nothing after it. */
  g_assert_cmpuint (requests_seen (fixture) - before, ==, 1);

  /* Not remembered as checked: the next request asks again. */
  g_assert_null (pd_payment_service_get_account (fixture->service, "400123456789", NULL,
                                                 &error));
  g_assert_error (error, PD_CORE_ERROR, PD_CORE_ERROR_SETUP);
  g_clear_error (&error);

  /* The real training core says what it is. */
  account = pd_payment_service_get_account (fixture->service, "400123456789", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (account);
}

static void
answer_next_with (Fixture    *fixture,
                  const char *method,
                  const char *path,
                  const char *body)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *control = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "fault");
  json_builder_add_string_value (builder, "answer");
  json_builder_set_member_name (builder, "body");
  json_builder_add_string_value (builder, body);
  json_builder_set_member_name (builder, "method");
  json_builder_add_string_value (builder, method);
  json_builder_set_member_name (builder, "path");
  json_builder_add_string_value (builder, path);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  control = json_generator_to_data (generator, NULL);
  pd_test_core_control (fixture->core, control);
}

/* An answer about another payment, with another amount, or voided for a new payment, is no
 * answer: the payment waits in the outbox (nothing recorded as charged), and the drain sends
 * it again with its key. A search by reference takes the payment asked about, not the first
 * in the list. */
static void
test_answers_cross_checked (Fixture       *fixture,
                            gconstpointer  data)
{
  static const char * const wrong[] = {
    "{\"payment_id\":\"PAY-X\",\"client_ref\":\"K-07-SOMEONE-ELSE\",\"status\":\"accepted\","
    "\"confirmation_number\":\"CNF-X\"}",
    "{\"payment_id\":\"PAY-X\",\"status\":\"accepted\",\"confirmation_number\":\"CNF-X\","
    "\"amount_cents\":1}",
    "{\"payment_id\":\"PAY-X\",\"status\":\"voided\",\"confirmation_number\":\"CNF-X\"}",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(PdCoreAnswer) found = NULL;
  g_autoptr(PdAccount) warm = pd_payment_service_get_account (fixture->service, "400123456789",
                                                              NULL, NULL);
  g_autoptr(GPtrArray) queued = g_ptr_array_new_with_free_func (g_object_unref);

  g_assert_nonnull (warm);
  for (gsize i = 0; i < G_N_ELEMENTS (wrong); i++)
    {
      PdPayment *payment;

      answer_next_with (fixture, "POST", "/v1/payments", wrong[i]);
      payment = pay_bank_ok (fixture, 2000 + (PdCents) i);
      g_test_message ("%s: %s", wrong[i], pd_payment_get_reason (payment));
      g_assert_cmpint (pd_payment_get_state (payment), ==, PD_PAYMENT_STATE_QUEUED);
      g_assert_nonnull (strstr (pd_payment_get_reason (payment), "makes no sense"));
      g_assert_null (pd_payment_get_confirmation (payment));
      g_ptr_array_add (queued, payment);
    }

  g_assert_cmpuint (pd_payment_service_drain_outbox (fixture->service, NULL, &error), ==,
                    G_N_ELEMENTS (wrong));
  g_assert_no_error (error);
  for (guint i = 0; i < queued->len; i++)
    {
      PdPayment *payment = g_ptr_array_index (queued, i);
      g_autoptr(PdPayment) after = pd_journal_get_payment (fixture->journal,
                                                           pd_payment_get_id (payment), NULL);

      g_assert_cmpint (pd_payment_get_state (after), ==, PD_PAYMENT_STATE_COMPLETED);
      g_assert_cmpuint (pd_test_core_count_payments (fixture->core,
                                                     pd_payment_get_client_ref (payment)), ==, 1);
    }

  answer_next_with (fixture, "GET", "/v1/payments",
                    "{\"payments\":[{\"payment_id\":\"PAY-X\",\"client_ref\":\"K-07-OTHER\","
                    "\"status\":\"approved\",\"confirmation_number\":\"CNF-X\"}]}");
  found = pd_core_client_find_payment (fixture->client, "K-07-MINE", NULL, &error);
  g_assert_null (found);
  g_assert_error (error, PD_CORE_ERROR, PD_CORE_ERROR_NOT_FOUND);
}

typedef struct {
  const char *method;
  const char *path;
  const char *body;
} WrongShape;

/* Well-formed JSON of the wrong shape, where each call expects an answer: refused as an
 * answer that makes no sense, without a single json-glib warning on the way (a critical is
 * fatal in this test, whatever G_DEBUG says). */
static void
test_wrong_shaped_answers (Fixture       *fixture,
                           gconstpointer  data)
{
  static const WrongShape lookups[] = {
    { "POST", "/v1/members/lookup", "{\"result\":\"found\",\"member\":{},\"accounts\":[5]}" },
    { "POST", "/v1/members/lookup", "{\"result\":\"found\",\"member\":\"x\",\"accounts\":[]}" },
    { "POST", "/v1/members/lookup", "{\"result\":\"found\",\"member\":{},\"accounts\":{}}" },
    { "POST", "/v1/members/lookup", "{\"result\":7}" },
    { "POST", "/v1/members/lookup",
      "{\"result\":\"found\",\"member\":{},\"accounts\":[{\"account_number\":\"400123456789\","
      "\"line_of_business\":\"essential\",\"invoices\":[1]}]}" },
  };
  static const WrongShape finds[] = {
    { "GET", "/v1/payments", "{\"payments\":[1]}" },
    { "GET", "/v1/payments", "{\"payments\":{}}" },
    { "GET", "/v1/payments", "{}" },
    { "GET", "/v1/payments",
      "{\"payments\":[{\"client_ref\":\"TRAIN-01-ANY\",\"status\":[\"approved\"]}]}" },
  };
  static const WrongShape accounts[] = {
    { "GET", "/v1/accounts/", "{\"account_number\":5}" },
    { "GET", "/v1/accounts/",
      "{\"account_number\":\"400123456789\",\"line_of_business\":\"essential\","
      "\"invoices\":\"none\"}" },
    { "GET", "/v1/accounts/",
      "{\"account_number\":\"400123456789\",\"line_of_business\":\"essential\","
      "\"invoices\":[{\"invoice_number\":1,\"kind\":\"premium\",\"amount_due_cents\":\"5\"}]}" },
  };
  GLogLevelFlags fatal = g_log_set_always_fatal (G_LOG_FATAL_MASK);
  g_autoptr(PdIdentification) identification =
    pd_identification_new_invoice ("400123456789", "INV2026110042", NULL);
  g_autoptr(GError) error = NULL;

  g_log_set_always_fatal (fatal | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);

  for (gsize i = 0; i < G_N_ELEMENTS (lookups) + G_N_ELEMENTS (finds) + G_N_ELEMENTS (accounts);
       i++)
    {
      const WrongShape *shape = i < G_N_ELEMENTS (lookups) ? &lookups[i]
                                : i < G_N_ELEMENTS (lookups) + G_N_ELEMENTS (finds)
                                ? &finds[i - G_N_ELEMENTS (lookups)]
                                : &accounts[i - G_N_ELEMENTS (lookups) - G_N_ELEMENTS (finds)];
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autofree char *control = NULL;
      gpointer result = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "fault");
      json_builder_add_string_value (builder, "answer");
      json_builder_set_member_name (builder, "body");
      json_builder_add_string_value (builder, shape->body);
      json_builder_set_member_name (builder, "method");
      json_builder_add_string_value (builder, shape->method);
      json_builder_set_member_name (builder, "path");
      json_builder_add_string_value (builder, shape->path);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      json_generator_set_root (generator, root);
      control = json_generator_to_data (generator, NULL);
      pd_test_core_control (fixture->core, control);

      g_test_message ("%s %s answered %s", shape->method, shape->path, shape->body);
      if (shape == &lookups[0] || (shape > &lookups[0] && shape < &lookups[G_N_ELEMENTS (lookups)]))
        result = pd_core_client_lookup (fixture->client, identification, NULL, &error);
      else if (shape >= &finds[0] && shape < &finds[G_N_ELEMENTS (finds)])
        result = pd_core_client_find_payment (fixture->client, "TRAIN-01-ANY", NULL, &error);
      else
        result = pd_payment_service_get_account (fixture->service, "400123456789", NULL, &error);

      g_assert_null (result);
      g_assert_error (error, PD_CORE_ERROR, PD_CORE_ERROR_NO_ANSWER);
      g_assert_nonnull (strstr (error->message, "makes no sense"));
      g_clear_error (&error);
    }

  g_log_set_always_fatal (fatal);
}

static void
test_end_of_day (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(PdPayment) kept = pay_bank_ok (fixture, 7500);
  g_autoptr(PdPayment) voided = pay_bank_ok (fixture, 1200);
  g_autoptr(PdPayment) declined = pay_bank_ok (fixture, 951);
  g_autoptr(PdPayment) after_void = NULL;
  g_autoptr(PdReport) agreed = NULL;
  g_autoptr(PdReport) disagreed = NULL;
  g_autoptr(PdBankAccount) bank = pd_bank_account_new (ROUTING, BANK_ACCOUNT, "checking",
                                                       "Maria L Gonzalez", NULL);
  g_autofree char *sealed = pd_bank_account_seal (bank, pd_config_get_core_public_key (
                                                    fixture->config), NULL);
  g_autofree char *business_date = NULL;
  g_autofree char *body = NULL;
  g_autoptr(PdCoreAnswer) stray = NULL;
  g_autoptr(GError) error = NULL;
  PdReportRow *row;

  g_assert_cmpint (pd_payment_get_state (declined), ==, PD_PAYMENT_STATE_DECLINED);
  after_void = pd_payment_service_void (fixture->service, pd_payment_get_id (voided), NULL, NULL,
                                        NULL, &error);
  g_assert_no_error (error);

  agreed = todays_report (fixture);
  g_assert_true (agreed->matches);
  g_assert_cmpuint (agreed->rows->len, ==, 1);
  row = &g_array_index (agreed->rows, PdReportRow, 0);
  g_assert_cmpint (row->tender, ==, PD_TENDER_BANK);
  g_assert_cmpint (row->line_of_business, ==, PD_LINE_OF_BUSINESS_ESSENTIAL_PLAN);
  g_assert_cmpuint (row->count, ==, 1);
  g_assert_cmpint (row->amount, ==, 7500);
  g_assert_cmpint (row->core_amount, ==, 7500);

  /* A payment the core holds for this terminal that its journal does not. */
  business_date = pd_business_date_to_string (pd_payment_get_business_date (kept));
  body = g_strdup_printf ("{\"client_ref\":\"TRAIN-01-STRAY\",\"center_id\":\"TRAINING\","
                          "\"terminal_id\":\"TRAIN-01\",\"business_date\":\"%s\","
                          "\"account_number\":\"400123456790\","
                          "\"line_of_business\":\"spenddown\",\"amount_cents\":31250,"
                          "\"currency\":\"USD\",\"tender\":{\"kind\":\"bank\","
                          "\"routing_number\":\"" ROUTING "\",\"account_type\":\"checking\","
                          "\"account_last4\":\"6789\",\"holder_name\":\"M G\","
                          "\"sealed\":\"%s\"}}", business_date, sealed);
  {
    PdCoreRequest request = { "POST", "/v1/payments", "stray-key", body };

    stray = pd_core_client_send (fixture->client, &request, NULL, &error);
    g_assert_no_error (error);
  }

  disagreed = todays_report (fixture);
  g_assert_false (disagreed->matches);
  g_assert_cmpuint (disagreed->rows->len, ==, 2);
  row = &g_array_index (disagreed->rows, PdReportRow, 1);
  g_assert_cmpint (row->line_of_business, ==, PD_LINE_OF_BUSINESS_SPENDDOWN);
  g_assert_cmpuint (row->count, ==, 0);
  g_assert_cmpuint (row->core_count, ==, 1);
  g_assert_false (pd_report_row_matches (row));
}

static void
on_paid (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  PdPayment **payment = data;
  g_autoptr(GError) error = NULL;

  *payment = pd_payment_service_pay_bank_finish (PD_PAYMENT_SERVICE (source), result, &error);
  g_assert_no_error (error);
}

/* The GUI's path for a bank payment: on a worker, the main loop free meanwhile, even while
 * the core takes its time. */
static void
test_async_bank_payment (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(PdAccount) account = pd_payment_service_get_account (fixture->service,
                                                                 "400123456789", NULL, NULL);
  PdBankAccount *bank = pd_bank_account_new (ROUTING, BANK_ACCOUNT, "savings",
                                             "Maria L Gonzalez", NULL);
  PdPayment *payment = NULL;
  guint turns = 0;

  pd_test_core_control (fixture->core, "{\"fault\": \"slow\", \"delay_ms\": 300}");
  pd_payment_service_pay_bank_async (fixture->service, account, NULL, 6000, bank, NULL, NULL,
                                     on_paid, &payment);
  while (payment == NULL)
    {
      g_main_context_iteration (NULL, TRUE);
      turns++;
    }

  g_assert_cmpint (pd_payment_get_state (payment), ==, PD_PAYMENT_STATE_COMPLETED);
  g_assert_cmpuint (pd_test_core_count_payments (fixture->core,
                                                 pd_payment_get_client_ref (payment)), ==, 1);
  g_assert_cmpuint (turns, >=, 1);
  g_object_unref (payment);
}

#define ADD(name, func) \
  g_test_add ("/core/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int    argc,
      char **argv)
{
  pd_test_init (&argc, &argv);

  ADD ("lookup-forms", test_lookup_forms);
  ADD ("bank-payment-accepted", test_bank_payment_accepted);
  ADD ("bank-payment-declined", test_bank_payment_declined);
  ADD ("retries-without-double-charge", test_retries_without_double_charge);
  ADD ("refused-request-not-retried", test_replay_is_marked);
  ADD ("idempotency", test_idempotency);
  ADD ("outbox-while-core-down", test_outbox_while_core_down);
  ADD ("void", test_void);
  ADD ("refund", test_refund);
  ADD ("card-cryptogram", test_card_cryptogram);
  ADD ("card-completion", test_card_completion);
  ADD ("check-tenders", test_check_tenders);
  ADD ("check-payments", test_check_payments);
  ADD ("outbox-age-limit", test_outbox_age_limit);
  ADD ("outbox-drains-itself", test_outbox_drains_itself);
  ADD ("card-lost-answer-found", test_card_lost_answer_found);
  ADD ("card-timeout-reversal", test_card_timeout_reversal);
  ADD ("card-reversal-survives-restart", test_card_reversal_survives_restart);
  ADD ("token-required", test_token_required);
  ADD ("async-lookup", test_async_lookup);
  ADD ("async-bank-payment", test_async_bank_payment);
  ADD ("end-of-day", test_end_of_day);
  ADD ("refused-connection-not-retried", test_refused_connection_not_retried);
  ADD ("wrong-shaped-answers", test_wrong_shaped_answers);
  ADD ("training-terminal-needs-training-core", test_training_terminal_needs_training_core);
  ADD ("answers-cross-checked", test_answers_cross_checked);
  ADD ("undo-survives-lost-answer", test_undo_survives_lost_answer);
  ADD ("tls-verification", test_tls_verification);
  ADD ("tls-client-certificate", test_tls_client_certificate);

  return g_test_run ();
}
