#include <errno.h>
#include <string.h>

#include <curl/curl.h>
#include <glib/gi18n-lib.h>

#include "pd-account.h"
#include "pd-core-client.h"
#include "pd-secret-file.h"
#include "pd-core-json.h"
#include "pd-json.h"

G_DEFINE_QUARK (pd-core-error-quark, pd_core_error)


static const PdRetryPolicy default_retry_policy = {
  .max_attempts = 4,
  .first_delay_ms = 250,
  .max_delay_ms = 4000,
};

struct _PdCoreClient {
  GObject parent_instance;

  char *base_url;
  char *authorization;
  char *ca_file;
  char *pinned_keys;
  char *client_certificate;
  char *client_key;
  guint timeout_ms;
  guint connect_timeout_ms;
  PdRetryPolicy retry;
  /* Transfers tried since the client was made, for support and the tests. */
  guint attempts;
  /* Whether this terminal is a training one, and whether the core said it is the same kind
   * (asked once, before the first request). */
  gboolean training;
  gboolean mode_checked;
  GMutex mode_lock;

  /* Connections are shared between requests (keep-alive), from any worker thread. */
  CURLSH *share;
  GMutex share_locks[CURL_LOCK_DATA_LAST];
};

G_DEFINE_FINAL_TYPE (PdCoreClient, pd_core_client, G_TYPE_OBJECT)

static void
lock_share (CURL              *handle,
            curl_lock_data     data,
            curl_lock_access   access,
            void              *user_data)
{
  PdCoreClient *self = user_data;

  g_mutex_lock (&self->share_locks[data]);
}

static void
unlock_share (CURL           *handle,
              curl_lock_data  data,
              void           *user_data)
{
  PdCoreClient *self = user_data;

  g_mutex_unlock (&self->share_locks[data]);
}

static void
pd_core_client_finalize (GObject *object)
{
  PdCoreClient *self = PD_CORE_CLIENT (object);

  curl_share_cleanup (self->share);
  for (guint i = 0; i < CURL_LOCK_DATA_LAST; i++)
    g_mutex_clear (&self->share_locks[i]);
  g_mutex_clear (&self->mode_lock);
  g_free (self->base_url);
  pd_secret_free (self->authorization);
  g_free (self->ca_file);
  g_free (self->pinned_keys);
  g_free (self->client_certificate);
  g_free (self->client_key);

  G_OBJECT_CLASS (pd_core_client_parent_class)->finalize (object);
}

static void
pd_core_client_class_init (PdCoreClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pd_core_client_finalize;
}

static void
pd_core_client_init (PdCoreClient *self)
{
  static gsize curl_ready = 0;

  if (g_once_init_enter (&curl_ready))
    {
      curl_global_init (CURL_GLOBAL_DEFAULT);
      g_once_init_leave (&curl_ready, 1);
    }

  for (guint i = 0; i < CURL_LOCK_DATA_LAST; i++)
    g_mutex_init (&self->share_locks[i]);
  g_mutex_init (&self->mode_lock);

  self->share = curl_share_init ();
  curl_share_setopt (self->share, CURLSHOPT_LOCKFUNC, lock_share);
  curl_share_setopt (self->share, CURLSHOPT_UNLOCKFUNC, unlock_share);
  curl_share_setopt (self->share, CURLSHOPT_USERDATA, self);
  curl_share_setopt (self->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
  curl_share_setopt (self->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  curl_share_setopt (self->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
  self->retry = default_retry_policy;
}

PdCoreClient *
pd_core_client_new (PdConfig  *config,
                    GError   **error)
{
  g_autoptr(PdCoreClient) self = g_object_new (PD_TYPE_CORE_CLIENT, NULL);
  const char *token_file;

  g_return_val_if_fail (PD_IS_CONFIG (config), NULL);

  self->training = pd_config_get_training (config);
  self->base_url = g_strdup (pd_config_get_core_url (config));
  if (g_str_has_suffix (self->base_url, "/"))
    self->base_url[strlen (self->base_url) - 1] = '\0';
  self->ca_file = g_strdup (pd_config_get_core_ca_file (config));
  self->pinned_keys = g_strdup (pd_config_get_core_pinned_keys (config));
  self->client_certificate = g_strdup (pd_config_get_core_client_certificate (config));
  self->client_key = g_strdup (pd_config_get_core_client_key (config));
  self->timeout_ms = pd_config_get_core_timeout_seconds (config) * 1000;
  self->connect_timeout_ms = MIN (pd_config_get_core_connect_timeout_seconds (config) * 1000,
                                  self->timeout_ms);

  if (self->client_key != NULL)
    {
      g_autoptr(GError) local_error = NULL;

      if (!pd_secret_file_check (self->client_key, &local_error))
        {
          g_set_error (error, PD_CORE_ERROR, PD_CORE_ERROR_SETUP,
                       _("Cannot use the TLS client key: %s"), local_error->message);
          return NULL;
        }
    }

  token_file = pd_config_get_core_token_file (config);
  if (token_file != NULL)
    {
      g_autoptr(GError) local_error = NULL;
      char *token = pd_secret_file_read (token_file, &local_error);

      if (token == NULL)
        {
          g_set_error (error, PD_CORE_ERROR, PD_CORE_ERROR_SETUP,
                       _("Cannot read the payment core token: %s"), local_error->message);
          return NULL;
        }
      self->authorization = g_strdup_printf ("Authorization: Bearer %s", token);
      pd_secret_free (token);
    }

  return g_steal_pointer (&self);
}

void
pd_core_client_set_retry_policy (PdCoreClient        *self,
                                 const PdRetryPolicy *policy)
{
  g_return_if_fail (PD_IS_CORE_CLIENT (self));
  g_return_if_fail (policy != NULL && policy->max_attempts >= 1);

  self->retry = *policy;
}

/* One exchange with the core */

typedef struct {
  GString *body;
  gboolean replayed;
  GCancellable *cancellable;
} Exchange;

static size_t
collect_body (char   *data,
              size_t  size,
              size_t  count,
              void   *user_data)
{
  Exchange *exchange = user_data;

  g_string_append_len (exchange->body, data, (gssize) (size * count));
  return size * count;
}

static size_t
collect_header (char   *data,
                size_t  size,
                size_t  count,
                void   *user_data)
{
  Exchange *exchange = user_data;

  if (g_ascii_strncasecmp (data, "Idempotent-Replay: true", strlen ("Idempotent-Replay: true")) == 0)
    exchange->replayed = TRUE;
  return size * count;
}

static int
check_cancelled (void       *user_data,
                 curl_off_t  dltotal,
                 curl_off_t  dlnow,
                 curl_off_t  ultotal,
                 curl_off_t  ulnow)
{
  Exchange *exchange = user_data;

  return g_cancellable_is_cancelled (exchange->cancellable) ? 1 : 0;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CURL, curl_easy_cleanup)

typedef struct curl_slist CurlHeaders;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CurlHeaders, curl_slist_free_all)

/* Classifies a failed transfer: did any of the request reach the core? */
static void
set_transfer_error (GError      **error,
                    CURL         *easy,
                    CURLcode      code,
                    const char   *base_url)
{
  long request_size = 0;

  curl_easy_getinfo (easy, CURLINFO_REQUEST_SIZE, &request_size);

  switch (code)
    {
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
      g_set_error (error, PD_CORE_ERROR, PD_CORE_ERROR_TLS,
                   _("The payment core at %s could not prove who it is (%s). Nothing was sent."),
                   base_url, curl_easy_strerror (code));
      break;
    case CURLE_ABORTED_BY_CALLBACK:
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled."));
      break;
    default:
      if (request_size == 0)
        g_set_error (error, PD_CORE_ERROR, PD_CORE_ERROR_UNREACHABLE,
                     _("Cannot reach the payment core at %s (%s)."), base_url,
                     curl_easy_strerror (code));
      else
        g_set_error (error, PD_CORE_ERROR, PD_CORE_ERROR_NO_ANSWER,
                     _("The payment core at %s did not answer (%s)."), base_url,
                     curl_easy_strerror (code));
      break;
    }
}

static void
set_status_error (GError     **error,
                  long         status,
                  JsonNode    *answer)
{
  JsonObject *detail = pd_json_get_object (pd_json_node_get_object (answer), "error");
  const char *message = pd_json_get_string (detail, "message");
  const char *field = pd_json_get_string (detail, "field");

  if (message == NULL)
    message = "";

  if (status == 401 || status == 403)
    g_set_error (error, PD_CORE_ERROR, PD_CORE_ERROR_UNAUTHORIZED,
                 _("The payment core refused this terminal's credentials (HTTP %ld)."), status);
  else if (status == 409)
    g_set_error (error, PD_CORE_ERROR, PD_CORE_ERROR_CONFLICT,
                 _("The payment core reports a conflict: %s"), message);
  else if (status == 404)
    g_set_error (error, PD_CORE_ERROR, PD_CORE_ERROR_NOT_FOUND,
                 _("The payment core does not know this: %s"), message);
  else if (status >= 500)
    g_set_error (error, PD_CORE_ERROR, PD_CORE_ERROR_NO_ANSWER,
                 _("The payment core failed (HTTP %ld)."), status);
  else if (field != NULL)
    g_set_error (error, PD_CORE_ERROR, PD_CORE_ERROR_REJECTED,
                 _("The payment core refused the request: %s (%s)."), message, field);
  else
    g_set_error (error, PD_CORE_ERROR, PD_CORE_ERROR_REJECTED,
                 _("The payment core refused the request (HTTP %ld): %s"), status, message);
}

/* A connection the core's host refused: nobody listens there now, and trying again at
 * once will not change that. */
static gboolean
was_refused (CURL     *easy,
             CURLcode  code)
{
  long os_errno = 0;

  if (code != CURLE_COULDNT_CONNECT)
    return FALSE;
  curl_easy_getinfo (easy, CURLINFO_OS_ERRNO, &os_errno);
  return os_errno == ECONNREFUSED;
}

static JsonNode *
exchange_once (PdCoreClient         *self,
               const PdCoreRequest  *request,
               gboolean             *replayed,
               gboolean             *refused,
               GCancellable         *cancellable,
               GError              **error)
{
  g_autoptr(CURL) easy = curl_easy_init ();
  g_autoptr(CurlHeaders) headers = NULL;
  /* Answers name members and their accounts; sized for most of them from the start so
   * that few unwiped smaller copies are left behind as it grows. */
  g_autoptr(PdSecretString) body = g_string_sized_new (16384);
  g_autofree char *url = g_strconcat (self->base_url, request->path, NULL);
  g_autofree char *key_header = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  Exchange exchange = { body, FALSE, cancellable };
  JsonNode *root;
  CURLcode code;
  long status = 0;

  headers = curl_slist_append (headers, "Accept: application/json");
  headers = curl_slist_append (headers, "User-Agent: Paydesk/" PACKAGE_VERSION);
  if (request->body != NULL)
    headers = curl_slist_append (headers, "Content-Type: application/json");
  if (request->idempotency_key != NULL)
    {
      key_header = g_strdup_printf ("Idempotency-Key: %s", request->idempotency_key);
      headers = curl_slist_append (headers, key_header);
    }
  if (self->authorization != NULL)
    headers = curl_slist_append (headers, self->authorization);

  curl_easy_setopt (easy, CURLOPT_URL, url);
  curl_easy_setopt (easy, CURLOPT_SHARE, self->share);
  curl_easy_setopt (easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt (easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (easy, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt (easy, CURLOPT_CUSTOMREQUEST, request->method);
  if (request->body != NULL)
    {
      curl_easy_setopt (easy, CURLOPT_POSTFIELDS, request->body);
      curl_easy_setopt (easy, CURLOPT_POSTFIELDSIZE, (long) strlen (request->body));
    }
  curl_easy_setopt (easy, CURLOPT_TIMEOUT_MS, (long) self->timeout_ms);
  curl_easy_setopt (easy, CURLOPT_CONNECTTIMEOUT_MS, (long) self->connect_timeout_ms);
  curl_easy_setopt (easy, CURLOPT_WRITEFUNCTION, collect_body);
  curl_easy_setopt (easy, CURLOPT_WRITEDATA, &exchange);
  curl_easy_setopt (easy, CURLOPT_HEADERFUNCTION, collect_header);
  curl_easy_setopt (easy, CURLOPT_HEADERDATA, &exchange);
  curl_easy_setopt (easy, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt (easy, CURLOPT_XFERINFOFUNCTION, check_cancelled);
  curl_easy_setopt (easy, CURLOPT_XFERINFODATA, &exchange);
  curl_easy_setopt (easy, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt (easy, CURLOPT_SSL_VERIFYHOST, 2L);
  if (self->ca_file != NULL)
    curl_easy_setopt (easy, CURLOPT_CAINFO, self->ca_file);
  /* A certificate a CA vouches for is not enough where the core's key is pinned. */
  if (self->pinned_keys != NULL)
    curl_easy_setopt (easy, CURLOPT_PINNEDPUBLICKEY, self->pinned_keys);
  if (self->client_certificate != NULL)
    {
      curl_easy_setopt (easy, CURLOPT_SSLCERT, self->client_certificate);
      curl_easy_setopt (easy, CURLOPT_SSLKEY, self->client_key);
    }

  g_atomic_int_inc (&self->attempts);
  code = curl_easy_perform (easy);
  if (code != CURLE_OK)
    {
      *refused = was_refused (easy, code);
      set_transfer_error (error, easy, code, self->base_url);
      return NULL;
    }

  curl_easy_getinfo (easy, CURLINFO_RESPONSE_CODE, &status);
  root = json_parser_load_from_data (parser, body->str, (gssize) body->len, NULL)
         ? json_parser_get_root (parser) : NULL;

  if (status < 200 || status >= 300)
    {
      set_status_error (error, status, root);
      return NULL;
    }

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, PD_CORE_ERROR, PD_CORE_ERROR_NO_ANSWER,
                   _("The payment core at %s answered with something that is not JSON."),
                   self->base_url);
      return NULL;
    }

  *replayed = exchange.replayed;
  return json_node_copy (root);
}

static gboolean
is_retryable (const GError *error)
{
  return g_error_matches (error, PD_CORE_ERROR, PD_CORE_ERROR_UNREACHABLE) ||
         g_error_matches (error, PD_CORE_ERROR, PD_CORE_ERROR_NO_ANSWER);
}

/* Waits before the next attempt, or until cancelled. */
static gboolean
back_off (const PdRetryPolicy *policy,
          guint                attempt,
          GCancellable        *cancellable)
{
  guint delay = policy->first_delay_ms;
  GPollFD poll_fd;
  gint timeout;

  for (guint i = 1; i < attempt && delay < policy->max_delay_ms; i++)
    delay *= 2;
  delay = MIN (delay, policy->max_delay_ms);

  /* Full jitter in the upper half, so that terminals coming back together spread out. */
  timeout = (gint) g_random_int_range ((gint32) (delay / 2), (gint32) delay + 1);

  if (cancellable == NULL || !g_cancellable_make_pollfd (cancellable, &poll_fd))
    {
      g_usleep ((gulong) timeout * 1000);
      return TRUE;
    }

  g_poll (&poll_fd, 1, timeout);
  g_cancellable_release_fd (cancellable);
  return !g_cancellable_is_cancelled (cancellable);
}

/* Training is unmistakable: before its first request, the terminal asks the core what it is
 * (GET /v1/health, "training"), and a training terminal talks only to a training core, a
 * production terminal never to one. A core that cannot be asked now counts as unreachable:
 * nothing of the request was sent. */
static gboolean
check_core_mode (PdCoreClient  *self,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mode_lock);
  PdCoreRequest health = { "GET", "/v1/health", NULL, NULL };
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *training_node;
  gboolean replayed = FALSE;
  gboolean refused = FALSE;
  gboolean core_training;

  if (self->mode_checked)
    return TRUE;

  answer = exchange_once (self, &health, &replayed, &refused, cancellable, &local_error);
  if (answer == NULL)
    {
      if (g_error_matches (local_error, PD_CORE_ERROR, PD_CORE_ERROR_NO_ANSWER))
        local_error->code = PD_CORE_ERROR_UNREACHABLE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  training_node = json_object_get_member (json_node_get_object (answer), "training");
  core_training = training_node != NULL &&
                  json_node_get_value_type (training_node) == G_TYPE_BOOLEAN &&
                  json_node_get_boolean (training_node);

  if (self->training && !core_training)
    {
      g_set_error (error, PD_CORE_ERROR, PD_CORE_ERROR_SETUP,
                   _("The payment core at %s does not say it is a training core: a training "
                     "terminal takes no payment through a real one. Nothing was sent."),
                   self->base_url);
      return FALSE;
    }
  if (!self->training && core_training)
    {
      g_set_error (error, PD_CORE_ERROR, PD_CORE_ERROR_SETUP,
                   _("The payment core at %s is a training core: a production terminal takes "
                     "no payment through it. Nothing was sent."), self->base_url);
      return FALSE;
    }

  self->mode_checked = TRUE;
  return TRUE;
}

/* Sends the request, again and again with the same key and body while the core cannot be
 * reached or gives no usable answer. Never repeats a request the core refused, nor one
 * whose connection was refused: the member should not wait for a core that is down (a held
 * payment goes to the outbox, whose drain tries again later). */
static JsonNode *
exchange (PdCoreClient         *self,
          const PdCoreRequest  *request,
          gboolean             *replayed,
          GCancellable         *cancellable,
          GError              **error)
{
  g_autoptr(GError) last_error = NULL;
  gboolean maybe_delivered = FALSE;

  if (!check_core_mode (self, cancellable, error))
    return NULL;

  for (guint attempt = 1; attempt <= self->retry.max_attempts; attempt++)
    {
      JsonNode *answer;
      gboolean refused = FALSE;

      g_clear_error (&last_error);
      answer = exchange_once (self, request, replayed, &refused, cancellable, &last_error);
      if (answer != NULL)
        return answer;

      maybe_delivered |= g_error_matches (last_error, PD_CORE_ERROR, PD_CORE_ERROR_NO_ANSWER);

      if (refused || !is_retryable (last_error) || attempt == self->retry.max_attempts)
        break;

      g_debug ("core: %s %s failed (attempt %u of %u): %s", request->method, request->path,
               attempt, self->retry.max_attempts, last_error->message);
      if (!back_off (&self->retry, attempt, cancellable))
        {
          g_clear_error (&last_error);
          g_set_error_literal (&last_error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled."));
          break;
        }
    }

  /* One earlier try may have reached the core: then the outcome is unknown, whatever the
   * last try met. */
  if (maybe_delivered && g_error_matches (last_error, PD_CORE_ERROR, PD_CORE_ERROR_UNREACHABLE))
    last_error->code = PD_CORE_ERROR_NO_ANSWER;

  g_propagate_error (error, g_steal_pointer (&last_error));
  return NULL;
}

/* Public calls */

guint
pd_core_client_get_attempts (PdCoreClient *self)
{
  g_return_val_if_fail (PD_IS_CORE_CLIENT (self), 0);

  return (guint) g_atomic_int_get (&self->attempts);
}

PdMemberLookup *
pd_core_client_lookup (PdCoreClient            *self,
                       const PdIdentification  *identification,
                       GCancellable            *cancellable,
                       GError                 **error)
{
  /* The member's date of birth, name and ZIP: wiped once sent. */
  g_autoptr(PdSecretText) body = NULL;
  g_autoptr(JsonNode) answer = NULL;
  PdCoreRequest request = { "POST", "/v1/members/lookup", NULL, NULL };
  gboolean replayed = FALSE;

  g_return_val_if_fail (PD_IS_CORE_CLIENT (self), NULL);
  g_return_val_if_fail (identification != NULL, NULL);

  body = pd_core_json_lookup_request (identification);
  request.body = body;
  answer = exchange (self, &request, &replayed, cancellable, error);
  if (answer == NULL)
    return NULL;

  return pd_core_json_parse_lookup (answer, error);
}

PdCoreAnswer *
pd_core_client_send (PdCoreClient         *self,
                     const PdCoreRequest  *request,
                     GCancellable         *cancellable,
                     GError              **error)
{
  g_autoptr(JsonNode) answer = NULL;
  gboolean replayed = FALSE;
  PdCoreAnswer *parsed;

  g_return_val_if_fail (PD_IS_CORE_CLIENT (self), NULL);
  g_return_val_if_fail (request != NULL && request->idempotency_key != NULL, NULL);

  answer = exchange (self, request, &replayed, cancellable, error);
  if (answer == NULL)
    return NULL;

  parsed = pd_core_json_parse_answer (json_node_get_object (answer), error);
  if (parsed != NULL)
    parsed->replayed = replayed;
  return parsed;
}

PdCoreAnswer *
pd_core_client_find_payment (PdCoreClient  *self,
                             const char    *client_ref,
                             GCancellable  *cancellable,
                             GError       **error)
{
  g_autofree char *escaped = g_uri_escape_string (client_ref, NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/v1/payments?client_ref=%s", escaped);
  g_autoptr(JsonNode) answer = pd_core_client_get (self, path, cancellable, error);
  JsonArray *payments;

  if (answer == NULL)
    return NULL;

  payments = pd_json_get_array (pd_json_node_get_object (answer), "payments");
  if (payments == NULL)
    {
      g_set_error (error, PD_CORE_ERROR, PD_CORE_ERROR_NO_ANSWER,
                   _("The payment core's answer makes no sense: %s."),
                   "a payment search without a list of payments");
      return NULL;
    }
  /* The one the terminal asked about, not whatever comes first. */
  for (guint i = 0; i < json_array_get_length (payments); i++)
    {
      JsonObject *payment = pd_json_array_get_object (payments, i);

      if (payment == NULL)
        {
          g_set_error (error, PD_CORE_ERROR, PD_CORE_ERROR_NO_ANSWER,
                       _("The payment core's answer makes no sense: %s."),
                       "a payment search listing something else than payments");
          return NULL;
        }
      if (g_strcmp0 (pd_json_get_string (payment, "client_ref"), client_ref) == 0)
        return pd_core_json_parse_answer (payment, error);
    }

  g_set_error (error, PD_CORE_ERROR, PD_CORE_ERROR_NOT_FOUND,
               _("The payment core has no payment %s."), client_ref);
  return NULL;
}

JsonNode *
pd_core_client_get (PdCoreClient  *self,
                    const char    *path_and_query,
                    GCancellable  *cancellable,
                    GError       **error)
{
  PdCoreRequest request = { "GET", path_and_query, NULL, NULL };
  gboolean replayed = FALSE;

  g_return_val_if_fail (PD_IS_CORE_CLIENT (self), NULL);

  return exchange (self, &request, &replayed, cancellable, error);
}

/* Asynchronous calls: the same, on a worker thread, so that the UI never waits. */

typedef struct {
  char *method;
  char *path;
  char *idempotency_key;
  char *body;
} RequestCopy;

static void
request_copy_free (gpointer data)
{
  RequestCopy *copy = data;

  g_free (copy->method);
  g_free (copy->path);
  g_free (copy->idempotency_key);
  g_free (copy->body);
  g_free (copy);
}

static void
send_in_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  RequestCopy *copy = task_data;
  PdCoreRequest request = { copy->method, copy->path, copy->idempotency_key, copy->body };
  GError *error = NULL;
  PdCoreAnswer *answer = pd_core_client_send (source, &request, cancellable, &error);

  if (answer != NULL)
    g_task_return_pointer (task, answer, (GDestroyNotify) pd_core_answer_free);
  else
    g_task_return_error (task, error);
}

void
pd_core_client_send_async (PdCoreClient         *self,
                           const PdCoreRequest  *request,
                           GCancellable         *cancellable,
                           GAsyncReadyCallback   callback,
                           gpointer              user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  RequestCopy *copy = g_new0 (RequestCopy, 1);

  g_return_if_fail (PD_IS_CORE_CLIENT (self));
  g_return_if_fail (request != NULL);

  copy->method = g_strdup (request->method);
  copy->path = g_strdup (request->path);
  copy->idempotency_key = g_strdup (request->idempotency_key);
  copy->body = g_strdup (request->body);
  g_task_set_source_tag (task, pd_core_client_send_async);
  g_task_set_task_data (task, copy, request_copy_free);
  g_task_run_in_thread (task, send_in_thread);
}

PdCoreAnswer *
pd_core_client_send_finish (PdCoreClient  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
wipe_text (gpointer text)
{
  pd_secret_free (text);
}

static void
lookup_in_thread (GTask        *task,
                  gpointer      source,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  PdCoreRequest request = { "POST", "/v1/members/lookup", NULL, task_data };
  g_autoptr(JsonNode) answer = NULL;
  gboolean replayed = FALSE;
  GError *error = NULL;
  PdMemberLookup *lookup = NULL;

  answer = exchange (source, &request, &replayed, cancellable, &error);
  if (answer != NULL)
    lookup = pd_core_json_parse_lookup (answer, &error);

  if (lookup != NULL)
    g_task_return_pointer (task, lookup, (GDestroyNotify) pd_member_lookup_free);
  else
    g_task_return_error (task, error);
}

void
pd_core_client_lookup_async (PdCoreClient            *self,
                             const PdIdentification  *identification,
                             GCancellable            *cancellable,
                             GAsyncReadyCallback      callback,
                             gpointer                 user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_return_if_fail (PD_IS_CORE_CLIENT (self));
  g_return_if_fail (identification != NULL);

  g_task_set_source_tag (task, pd_core_client_lookup_async);
  g_task_set_task_data (task, pd_core_json_lookup_request (identification), wipe_text);
  g_task_run_in_thread (task, lookup_in_thread);
}

PdMemberLookup *
pd_core_client_lookup_finish (PdCoreClient  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
