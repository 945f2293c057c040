#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Faults the training core can be told to show, for tests and for training associates in
 * what the terminal does when the core misbehaves. */
typedef enum {
  PD_SIM_FAULT_NONE,
  PD_SIM_FAULT_STATUS,     /* answer with an HTTP error status */
  PD_SIM_FAULT_TIMEOUT,    /* never answer */
  PD_SIM_FAULT_RESET,      /* drop the connection */
  PD_SIM_FAULT_SLOW,       /* the real answer, after a delay */
  PD_SIM_FAULT_MALFORMED,  /* answer 200 with a body that is not JSON */
  PD_SIM_FAULT_ANSWER,     /* answer 200 with the JSON text given (wrong types, say) */
} PdSimFaultKind;

typedef struct {
  PdSimFaultKind kind;
  guint status;
  guint delay_ms;
  /* TRUE: process the request, then lose the answer (the charge happened). */
  gboolean after_processing;
  guint remaining;
  /* Only requests with this method and path prefix, when set. */
  char *method;
  char *path;
  /* PD_SIM_FAULT_ANSWER: what to answer. */
  char *body;
} PdSimFault;

typedef struct {
  GQueue pending;
  GHashTable *decline_amounts;
  GHashTable *decline_accounts;
  /* Issuer scripts (hex, tags 71/72) for the next approved card payment. */
  char *next_issuer_scripts;
} PdSimFaults;

void        pd_sim_faults_init      (PdSimFaults *faults);
void        pd_sim_faults_clear     (PdSimFaults *faults);
gboolean    pd_sim_faults_configure (PdSimFaults *faults,
                                     JsonObject  *request,
                                     GError     **error);
PdSimFault  pd_sim_faults_next      (PdSimFaults *faults,
                                     const char  *method,
                                     const char  *path);
const char *pd_sim_faults_decline_reason (PdSimFaults *faults,
                                          const char  *account_number,
                                          gint64       amount_cents);

G_END_DECLS
