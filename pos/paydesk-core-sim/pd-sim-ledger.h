#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define PD_SIM_LEDGER_ERROR (pd_sim_ledger_error_quark ())

typedef enum {
  PD_SIM_LEDGER_ERROR_FAILED,
  PD_SIM_LEDGER_ERROR_INVALID,
  PD_SIM_LEDGER_ERROR_NOT_FOUND,
} PdSimLedgerError;

typedef struct {
  const char *key;
  const char *request_hash;
  guint status;
  const char *body;
} PdSimStoredAnswer;

#define PD_TYPE_SIM_LEDGER (pd_sim_ledger_get_type ())

G_DECLARE_FINAL_TYPE (PdSimLedger, pd_sim_ledger, PD, SIM_LEDGER, GObject)

GQuark       pd_sim_ledger_error_quark       (void);

PdSimLedger *pd_sim_ledger_open              (const char   *path,
                                              GError      **error);
gboolean     pd_sim_ledger_load_seed         (PdSimLedger  *self,
                                              const char   *seed_path,
                                              GError      **error);

JsonNode    *pd_sim_ledger_lookup            (PdSimLedger  *self,
                                              JsonObject   *request,
                                              GError      **error);
JsonObject  *pd_sim_ledger_get_account       (PdSimLedger  *self,
                                              const char   *account_number);
gboolean     pd_sim_ledger_invoice_on_account (PdSimLedger *self,
                                              const char   *invoice_number,
                                              const char   *account_number);

/* Idempotency: the first answer to a key, replayed to every repeat. */
gboolean     pd_sim_ledger_find_answer       (PdSimLedger  *self,
                                              const char   *key,
                                              char        **request_hash,
                                              guint        *status,
                                              char        **body);
gboolean     pd_sim_ledger_record_payment    (PdSimLedger  *self,
                                              JsonObject   *payment,
                                              const PdSimStoredAnswer *answer,
                                              GError      **error);
gboolean     pd_sim_ledger_store_answer      (PdSimLedger  *self,
                                              const PdSimStoredAnswer *answer,
                                              GError      **error);
gboolean     pd_sim_ledger_set_payment_status (PdSimLedger *self,
                                              const char   *payment_id,
                                              const char   *status,
                                              const PdSimStoredAnswer *answer,
                                              GError      **error);

JsonObject  *pd_sim_ledger_get_payment       (PdSimLedger  *self,
                                              const char   *payment_id);
JsonArray   *pd_sim_ledger_find_payments     (PdSimLedger  *self,
                                              const char   *client_ref);
JsonArray   *pd_sim_ledger_list_payments     (PdSimLedger  *self);
JsonArray   *pd_sim_ledger_reconciliation    (PdSimLedger  *self,
                                              const char   *business_date,
                                              const char   *terminal_id);
gint64       pd_sim_ledger_next_sequence     (PdSimLedger  *self);
gboolean     pd_sim_ledger_add_early_reversal (PdSimLedger *self,
                                              const char   *client_ref,
                                              const PdSimStoredAnswer *answer,
                                              GError      **error);
gboolean     pd_sim_ledger_was_reversed_early (PdSimLedger *self,
                                              const char   *client_ref);

G_END_DECLS
