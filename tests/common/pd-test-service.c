#include "config.h"

#include "pd-test-common.h"
#include "pd-test-service.h"

/* Few and quick retries: a test waits on the core's answers, never on backoff. */
static const PdRetryPolicy quick_retries = { 2, 10, 20 };

PdTestService *
pd_test_service_new (const char *dir,
                     const char *core_url,
                     const char *config_extra)
{
  g_autofree char *path = g_build_filename (dir, "paydesk.conf", NULL);
  g_autofree char *contents = g_strdup_printf (
    "[terminal]\nmode = counter\n"
    "[receipt]\ncenter-address = 125 Example Avenue, Suite 200;New York, NY 10007\n"
    "center-phone = (212) 555-0142\nmember-services-phone = 1-800-555-0199\n"
    "[core]\nurl = %s\ntimeout-seconds = 2\n"
    "[journal]\ndata-dir = state\n"
    "[outbox]\nmax-payment = 500.00\nmax-total = 800.00\n%s",
    core_url, config_extra != NULL ? config_extra : "");
  g_autoptr(PdConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  PdTestService *service = g_new0 (PdTestService, 1);

  pd_test_write_file (path, contents);
  config = pd_config_load_file (path, &error);
  g_assert_no_error (error);
  service->terminal = pd_terminal_new (config, PD_TERMINAL_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  service->config = pd_terminal_get_config (service->terminal);
  service->journal = pd_terminal_get_journal (service->terminal);
  service->client = pd_terminal_get_core_client (service->terminal);
  service->service = pd_terminal_get_payment_service (service->terminal);
  pd_core_client_set_retry_policy (service->client, &quick_retries);
  service->parties.operator_id = "A-117";
  return service;
}

void
pd_test_service_free (PdTestService *service)
{
  if (service == NULL)
    return;

  g_clear_object (&service->terminal);
  g_free (service);
}

PdAccount *
pd_test_service_get_account (PdTestService *service,
                             const char    *account_number)
{
  g_autoptr(GError) error = NULL;
  PdAccount *account = pd_payment_service_get_account (service->service, account_number, NULL,
                                                       &error);

  g_assert_no_error (error);
  return account;
}

PdPayment *
pd_test_service_pay_bank (PdTestService *service,
                          PdAccount     *account,
                          const char    *routing_number,
                          const char    *bank_account,
                          PdCents        amount)
{
  g_autoptr(PdBankAccount) bank = pd_bank_account_new (routing_number, bank_account, "savings",
                                                       "Maria L Gonzalez", NULL);
  g_autoptr(GError) error = NULL;
  PdPayment *payment;

  g_assert_nonnull (bank);
  payment = pd_payment_service_pay_bank (service->service, account,
                                         pd_account_find_invoice (account, "INV2026110042"),
                                         amount, bank, &service->parties, NULL, &error);
  g_assert_no_error (error);
  return payment;
}
