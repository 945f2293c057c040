#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "pd-config.h"
#include "pd-core-request.h"
#include "pd-identity.h"

G_BEGIN_DECLS

#define PD_CORE_ERROR (pd_core_error_quark ())

typedef enum {
  /* Nothing reached the core: it is safe to hold the request and send it later. */
  PD_CORE_ERROR_UNREACHABLE,
  /* The request may have reached the core, but no usable answer came back (timeout, reset,
   * 5xx, garbage): the outcome is unknown until the core is asked again. */
  PD_CORE_ERROR_NO_ANSWER,
  PD_CORE_ERROR_REJECTED,
  PD_CORE_ERROR_UNAUTHORIZED,
  PD_CORE_ERROR_CONFLICT,
  PD_CORE_ERROR_NOT_FOUND,
  PD_CORE_ERROR_TLS,
  PD_CORE_ERROR_SETUP,
} PdCoreError;

typedef enum {
  PD_CORE_STATUS_APPROVED,
  PD_CORE_STATUS_ACCEPTED,
  PD_CORE_STATUS_DECLINED,
  PD_CORE_STATUS_PENDING,
  PD_CORE_STATUS_VOIDED,
  PD_CORE_STATUS_REFUNDED,
  PD_CORE_STATUS_REVERSED,
} PdCoreStatus;

/* The core's answer about one payment. */
typedef struct {
  PdCoreStatus status;
  char *payment_id;
  char *client_ref;
  char *confirmation_number;
  char *auth_code;
  char *decline_reason;
  char *issuer_authentication_data;
  char *issuer_scripts;
  /* The amount the core took, when its answer says (-1 otherwise). */
  gint64 amount_cents;
  gboolean replayed;
} PdCoreAnswer;

typedef enum {
  PD_LOOKUP_FOUND,
  PD_LOOKUP_NOT_FOUND,
  PD_LOOKUP_AMBIGUOUS,
} PdLookupOutcome;

typedef struct {
  PdLookupOutcome outcome;
  char *member_id;
  char *first_name;
  char *last_name;
  char *email;
  GPtrArray *accounts;
} PdMemberLookup;

typedef struct {
  guint max_attempts;
  guint first_delay_ms;
  guint max_delay_ms;
} PdRetryPolicy;

#define PD_TYPE_CORE_CLIENT (pd_core_client_get_type ())

G_DECLARE_FINAL_TYPE (PdCoreClient, pd_core_client, PD, CORE_CLIENT, GObject)

GQuark          pd_core_error_quark            (void);

PdCoreClient   *pd_core_client_new             (PdConfig              *config,
                                                GError               **error);
void            pd_core_client_set_retry_policy (PdCoreClient         *self,
                                                const PdRetryPolicy   *policy);
/* How many transfers this client has tried (each try of a retried request counts). */
guint           pd_core_client_get_attempts    (PdCoreClient         *self);

PdMemberLookup *pd_core_client_lookup          (PdCoreClient          *self,
                                                const PdIdentification *identification,
                                                GCancellable          *cancellable,
                                                GError               **error);
void            pd_core_client_lookup_async    (PdCoreClient          *self,
                                                const PdIdentification *identification,
                                                GCancellable          *cancellable,
                                                GAsyncReadyCallback    callback,
                                                gpointer               user_data);
PdMemberLookup *pd_core_client_lookup_finish   (PdCoreClient          *self,
                                                GAsyncResult          *result,
                                                GError               **error);

PdCoreAnswer   *pd_core_client_send            (PdCoreClient          *self,
                                                const PdCoreRequest   *request,
                                                GCancellable          *cancellable,
                                                GError               **error);
void            pd_core_client_send_async      (PdCoreClient          *self,
                                                const PdCoreRequest   *request,
                                                GCancellable          *cancellable,
                                                GAsyncReadyCallback    callback,
                                                gpointer               user_data);
PdCoreAnswer   *pd_core_client_send_finish     (PdCoreClient          *self,
                                                GAsyncResult          *result,
                                                GError               **error);

PdCoreAnswer   *pd_core_client_find_payment    (PdCoreClient          *self,
                                                const char            *client_ref,
                                                GCancellable          *cancellable,
                                                GError               **error);
JsonNode       *pd_core_client_get             (PdCoreClient          *self,
                                                const char            *path_and_query,
                                                GCancellable          *cancellable,
                                                GError               **error);

const char     *pd_core_status_to_id           (PdCoreStatus           status);
void            pd_core_answer_free            (PdCoreAnswer          *answer);
void            pd_member_lookup_free          (PdMemberLookup        *lookup);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdCoreAnswer, pd_core_answer_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdMemberLookup, pd_member_lookup_free)

G_END_DECLS
