#pragma once

#include "pd-terminal.h"

G_BEGIN_DECLS

/* A counter terminal's payment service on a real journal (in dir/state), talking to the
 * training core at core_url: what integration tests pay through. */
typedef struct {
  PdTerminal *terminal;
  /* The terminal's. */
  PdConfig *config;
  PdJournal *journal;
  PdCoreClient *client;
  PdPaymentService *service;
  /* Who pd_test_service_pay_bank pays as: associate A-117, in the terminal's language unless
   * a test sets one. */
  PdPaymentParties parties;
} PdTestService;

/* config_extra: more groups for the configuration file ([email]...), or NULL. */
PdTestService *pd_test_service_new        (const char    *dir,
                                           const char    *core_url,
                                           const char    *config_extra);
void           pd_test_service_free       (PdTestService *service);

PdAccount     *pd_test_service_get_account (PdTestService *service,
                                           const char    *account_number);
/* A bank payment (savings, Maria L Gonzalez) of the account's invoice INV2026110042. */
PdPayment     *pd_test_service_pay_bank   (PdTestService *service,
                                           PdAccount     *account,
                                           const char    *routing_number,
                                           const char    *bank_account,
                                           PdCents        amount);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdTestService, pd_test_service_free)

G_END_DECLS
