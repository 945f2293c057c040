#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The real training core (paydesk-core-sim) in a subprocess, on a loopback port. */
typedef struct {
  GSubprocess *process;
  char *url;
  char *db_path;
  guint16 port;
  char *tls_certificate;
  /* The bearer token of a core started with --token-file=FILE: its control requests carry
   * it too. */
  char *token;
  GTlsCertificate *client_certificate;
} PdTestCore;

/* extra_args: more options for paydesk-core-sim (NULL-terminated, may be NULL). With
 * --tls-certificate=FILE among them, the control requests trust that certificate. */
PdTestCore *pd_test_core_start    (const char          *dir,
                                   guint16              port,
                                   const char * const  *extra_args);
void        pd_test_core_stop     (PdTestCore   *core);
/* For a core started with --tls-client-ca: the control requests present this certificate. */
void        pd_test_core_set_client_certificate (PdTestCore *core,
                                   const char   *certificate,
                                   const char   *key);
void        pd_test_core_free     (PdTestCore   *core);

/* Through libsoup, not through the client under test. */
JsonObject *pd_test_core_ledger   (PdTestCore   *core);
guint       pd_test_core_count_payments (PdTestCore *core,
                                   const char   *client_ref);
/* Every payment in the ledger. */
guint       pd_test_core_count_ledger (PdTestCore *core);
/* The ledger's record of the payment with client_ref (a new reference), or NULL; a record
 * held twice fails the test: the core charges a payment once. */
JsonObject *pd_test_core_find_payment (PdTestCore   *core,
                                   const char   *client_ref);
void        pd_test_core_control  (PdTestCore   *core,
                                   const char   *json);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdTestCore, pd_test_core_free)

G_END_DECLS
