#include <glib/gi18n-lib.h>

#include <string.h>

#include <curl/curl.h>

#include "pd-secret-file.h"
#include "pd-smtp-client.h"

struct _PdSmtpClient {
  GObject parent_instance;

  char *url;
  char *host;
  gboolean implicit_tls;
  char *username;
  char *password;
  char *from;
  char *ca_file;
  guint timeout_seconds;
};

G_DEFINE_FINAL_TYPE (PdSmtpClient, pd_smtp_client, G_TYPE_OBJECT)

G_DEFINE_QUARK (pd-smtp-error-quark, pd_smtp_error)

/* Reaching a mail server that is up takes well under this; a receipt is not worth a long
 * wait when the next pass will try again. */
#define CONNECT_TIMEOUT_SECONDS 10

static void
pd_smtp_client_finalize (GObject *object)
{
  PdSmtpClient *self = PD_SMTP_CLIENT (object);

  g_free (self->url);
  g_free (self->host);
  g_free (self->username);
  pd_secret_free (self->password);
  g_free (self->from);
  g_free (self->ca_file);

  G_OBJECT_CLASS (pd_smtp_client_parent_class)->finalize (object);
}

static void
pd_smtp_client_class_init (PdSmtpClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pd_smtp_client_finalize;
}

static void
pd_smtp_client_init (PdSmtpClient *self)
{
}

PdSmtpClient *
pd_smtp_client_new (PdConfig  *config,
                    GError   **error)
{
  g_autoptr(PdSmtpClient) self = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *server;

  g_return_val_if_fail (PD_IS_CONFIG (config), NULL);

  server = pd_config_get_email_server (config);
  if (server == NULL)
    {
      g_set_error (error, PD_SMTP_ERROR, PD_SMTP_ERROR_NOT_SET_UP,
                   _("Receipts cannot be emailed from this terminal: no mail server is set up "
                     "([email] server in %s)."),
                   pd_config_get_source (config) != NULL ? pd_config_get_source (config)
                                                         : _("the configuration"));
      return NULL;
    }

  /* Checked when the configuration was loaded. */
  uri = g_uri_parse (server, G_URI_FLAGS_NONE, NULL);
  g_return_val_if_fail (uri != NULL, NULL);

  self = g_object_new (PD_TYPE_SMTP_CLIENT, NULL);
  self->implicit_tls = g_ascii_strcasecmp (g_uri_get_scheme (uri), "smtps") == 0;
  self->host = g_strdup (g_uri_get_host (uri));
  /* Only the scheme, host and port: a path would become the EHLO name. */
  self->url = g_uri_join (G_URI_FLAGS_NONE, self->implicit_tls ? "smtps" : "smtp", NULL,
                          self->host, g_uri_get_port (uri), "", NULL, NULL);
  self->from = g_strdup (pd_config_get_email_from (config));
  self->ca_file = g_strdup (pd_config_get_email_ca_file (config));
  self->timeout_seconds = pd_config_get_email_timeout_seconds (config);

  if (pd_config_get_email_username (config) != NULL)
    {
      g_autoptr(GError) local_error = NULL;
      char *password = pd_secret_file_read (pd_config_get_email_password_file (config),
                                            &local_error);

      if (password == NULL)
        {
          g_set_error (error, PD_SMTP_ERROR, PD_SMTP_ERROR_NOT_SET_UP,
                       _("The mail server’s password cannot be read: %s"), local_error->message);
          return NULL;
        }
      self->username = g_strdup (pd_config_get_email_username (config));
      self->password = password;
    }

  return g_steal_pointer (&self);
}

const char *
pd_smtp_client_get_from (PdSmtpClient *self)
{
  g_return_val_if_fail (PD_IS_SMTP_CLIENT (self), NULL);

  return self->from;
}

typedef struct {
  const guint8 *data;
  gsize length;
  gsize offset;
  GCancellable *cancellable;
} Upload;

static size_t
read_message (char   *buffer,
              size_t  size,
              size_t  count,
              void   *user_data)
{
  Upload *upload = user_data;
  gsize n = MIN (size * count, upload->length - upload->offset);

  memcpy (buffer, upload->data + upload->offset, n);
  upload->offset += n;
  return n;
}

static int
check_cancelled (void       *user_data,
                 curl_off_t  download_total,
                 curl_off_t  downloaded,
                 curl_off_t  upload_total,
                 curl_off_t  uploaded)
{
  Upload *upload = user_data;

  return g_cancellable_is_cancelled (upload->cancellable) ? 1 : 0;
}

/* Words for the associate: what happened and whether trying again can help. */
static void
set_send_error (PdSmtpClient  *self,
                CURLcode       code,
                long           reply,
                const char    *detail,
                GError       **error)
{
  const char *why = *detail != '\0' ? detail : curl_easy_strerror (code);

  switch (code)
    {
    case CURLE_ABORTED_BY_CALLBACK:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Sending was cancelled."));
      return;

    case CURLE_LOGIN_DENIED:
      g_set_error (error, PD_SMTP_ERROR, PD_SMTP_ERROR_AUTHENTICATION,
                   _("The mail server %s refused the terminal’s user name or password."),
                   self->host);
      return;

    case CURLE_USE_SSL_FAILED:
      g_set_error (error, PD_SMTP_ERROR, PD_SMTP_ERROR_TLS,
                   _("The mail server %s does not offer encryption (STARTTLS): nothing was "
                     "sent."), self->host);
      return;

    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
      g_set_error (error, PD_SMTP_ERROR, PD_SMTP_ERROR_TLS,
                   _("The mail server %s could not be trusted: %s"), self->host, why);
      return;

    default:
      break;
    }

  if (reply >= 500 && reply < 600)
    g_set_error (error, PD_SMTP_ERROR, PD_SMTP_ERROR_REJECTED,
                 _("The mail server %s refused the message (%ld): %s"), self->host, reply, why);
  else if (reply >= 400 && reply < 500)
    g_set_error (error, PD_SMTP_ERROR, PD_SMTP_ERROR_UNAVAILABLE,
                 _("The mail server %s is busy (%ld): %s"), self->host, reply, why);
  else
    g_set_error (error, PD_SMTP_ERROR, PD_SMTP_ERROR_UNAVAILABLE,
                 _("The mail server %s could not be reached: %s"), self->host, why);
}

gboolean
pd_smtp_client_send (PdSmtpClient  *self,
                     const char    *recipient,
                     GBytes        *message,
                     int           *smtp_code,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autofree char *mail_from = NULL;
  g_autofree char *mail_rcpt = NULL;
  struct curl_slist *recipients = NULL;
  char detail[CURL_ERROR_SIZE] = "";
  Upload upload = { 0 };
  CURL *easy;
  CURLcode code;
  long reply = 0;

  g_return_val_if_fail (PD_IS_SMTP_CLIENT (self), FALSE);
  g_return_val_if_fail (recipient != NULL, FALSE);
  g_return_val_if_fail (message != NULL, FALSE);

  easy = curl_easy_init ();
  if (easy == NULL)
    {
      g_set_error (error, PD_SMTP_ERROR, PD_SMTP_ERROR_UNAVAILABLE,
                   _("The mail client could not start (out of memory)."));
      return FALSE;
    }

  mail_from = g_strdup_printf ("<%s>", self->from);
  mail_rcpt = g_strdup_printf ("<%s>", recipient);
  recipients = curl_slist_append (NULL, mail_rcpt);
  upload.data = g_bytes_get_data (message, &upload.length);
  upload.cancellable = cancellable;

  curl_easy_setopt (easy, CURLOPT_URL, self->url);
  curl_easy_setopt (easy, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt (easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (easy, CURLOPT_ERRORBUFFER, detail);
  if (!self->implicit_tls)
    curl_easy_setopt (easy, CURLOPT_USE_SSL, (long) CURLUSESSL_ALL);
  curl_easy_setopt (easy, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt (easy, CURLOPT_SSL_VERIFYHOST, 2L);
  if (self->ca_file != NULL)
    curl_easy_setopt (easy, CURLOPT_CAINFO, self->ca_file);
  if (self->username != NULL)
    {
      curl_easy_setopt (easy, CURLOPT_USERNAME, self->username);
      curl_easy_setopt (easy, CURLOPT_PASSWORD, self->password);
    }
  curl_easy_setopt (easy, CURLOPT_MAIL_FROM, mail_from);
  curl_easy_setopt (easy, CURLOPT_MAIL_RCPT, recipients);
  curl_easy_setopt (easy, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt (easy, CURLOPT_READFUNCTION, read_message);
  curl_easy_setopt (easy, CURLOPT_READDATA, &upload);
  curl_easy_setopt (easy, CURLOPT_INFILESIZE_LARGE, (curl_off_t) upload.length);
  curl_easy_setopt (easy, CURLOPT_TIMEOUT, (long) self->timeout_seconds);
  curl_easy_setopt (easy, CURLOPT_CONNECTTIMEOUT,
                    (long) MIN (self->timeout_seconds, CONNECT_TIMEOUT_SECONDS));
  curl_easy_setopt (easy, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt (easy, CURLOPT_XFERINFOFUNCTION, check_cancelled);
  curl_easy_setopt (easy, CURLOPT_XFERINFODATA, &upload);

  code = curl_easy_perform (easy);
  curl_easy_getinfo (easy, CURLINFO_RESPONSE_CODE, &reply);
  curl_easy_cleanup (easy);
  curl_slist_free_all (recipients);

  if (smtp_code != NULL)
    *smtp_code = (int) reply;

  if (code != CURLE_OK)
    {
      set_send_error (self, code, reply, g_strchomp (detail), error);
      return FALSE;
    }

  return TRUE;
}
