#include <stdarg.h>
#include <string.h>

#include "pd-loopback-address.h"
#include "pd-mail-sim-maildir.h"
#include "pd-mail-sim-server.h"

/* The name the server gives itself in its greeting and replies: it only ever talks to this
 * machine. */
#define SERVER_NAME "localhost"
/* RFC 5321 4.5.3.1.6: a line of text is at most 998 octets before its CRLF. Longer ones are
 * kept as sent (a training server shows what the client did) but said so on stderr. */
#define MAX_LINE_OCTETS 998
/* Without --max-size a message still cannot take all the memory: it is held whole until
 * the final dot, so that its file name tells when it arrived. */
#define DEFAULT_SIZE_LIMIT (64 * 1024 * 1024)
/* RFC 5321 4.5.3.1.8: at least 100 recipients must be taken; more are not needed. */
#define MAX_RECIPIENTS 100
/* RFC 5321 4.5.3.2.7: a server waits five minutes for the next command, then gives up. */
#define IDLE_TIMEOUT_SECONDS 300

struct _PdMailSimServer {
  GObject parent_instance;

  /* Set before listening, then only read. */
  PdMailSimMaildir *maildir;
  GTlsCertificate *certificate;
  gboolean implicit_tls;
  char *user;
  char *password;
  GPtrArray *rejected_domains;
  GPtrArray *deferred_domains;
  guint unavailable_first;
  guint64 max_size;

  GSocketService *service;
  GInetSocketAddress *address;
  int greeted_connections;    /* atomic */

  /* Every connection's Session, each with its thread, until that thread is joined: when
   * the next connection comes, or when the server stops. Threads are joined rather than
   * left to a pool, so that none is still running when the program ends. */
  GMutex lock;
  GPtrArray *sessions;
};

G_DEFINE_FINAL_TYPE (PdMailSimServer, pd_mail_sim_server, G_TYPE_OBJECT)

static void
pd_mail_sim_server_finalize (GObject *object)
{
  PdMailSimServer *self = PD_MAIL_SIM_SERVER (object);

  pd_mail_sim_server_stop (self);
  g_clear_object (&self->service);
  g_clear_object (&self->address);
  g_clear_object (&self->maildir);
  g_clear_object (&self->certificate);
  g_free (self->user);
  g_free (self->password);
  g_ptr_array_unref (self->rejected_domains);
  g_ptr_array_unref (self->deferred_domains);
  g_ptr_array_unref (self->sessions);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (pd_mail_sim_server_parent_class)->finalize (object);
}

static void
pd_mail_sim_server_class_init (PdMailSimServerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pd_mail_sim_server_finalize;
}

static void
pd_mail_sim_server_init (PdMailSimServer *self)
{
  self->rejected_domains = g_ptr_array_new_with_free_func (g_free);
  self->deferred_domains = g_ptr_array_new_with_free_func (g_free);
  self->sessions = g_ptr_array_new ();
  g_mutex_init (&self->lock);
}

PdMailSimServer *
pd_mail_sim_server_new (const char  *maildir,
                        GError     **error)
{
  g_autoptr(PdMailSimServer) self = g_object_new (PD_TYPE_MAIL_SIM_SERVER, NULL);

  self->maildir = pd_mail_sim_maildir_new (maildir, error);
  if (self->maildir == NULL)
    return NULL;

  return g_steal_pointer (&self);
}

void
pd_mail_sim_server_set_tls_certificate (PdMailSimServer *self,
                                        GTlsCertificate *certificate,
                                        gboolean         implicit_tls)
{
  g_return_if_fail (PD_IS_MAIL_SIM_SERVER (self));
  g_return_if_fail (certificate == NULL || G_IS_TLS_CERTIFICATE (certificate));
  g_return_if_fail (self->service == NULL);

  g_set_object (&self->certificate, certificate);
  self->implicit_tls = implicit_tls;
}

void
pd_mail_sim_server_set_credentials (PdMailSimServer *self,
                                    const char      *user,
                                    const char      *password)
{
  g_return_if_fail (PD_IS_MAIL_SIM_SERVER (self));
  g_return_if_fail ((user == NULL) == (password == NULL));
  g_return_if_fail (self->service == NULL);

  g_free (self->user);
  g_free (self->password);
  self->user = g_strdup (user);
  self->password = g_strdup (password);
}

void
pd_mail_sim_server_add_rejected_domain (PdMailSimServer *self,
                                        const char      *domain)
{
  g_return_if_fail (PD_IS_MAIL_SIM_SERVER (self));
  g_return_if_fail (domain != NULL);
  g_return_if_fail (self->service == NULL);

  g_ptr_array_add (self->rejected_domains, g_strdup (domain));
}

void
pd_mail_sim_server_add_deferred_domain (PdMailSimServer *self,
                                        const char      *domain)
{
  g_return_if_fail (PD_IS_MAIL_SIM_SERVER (self));
  g_return_if_fail (domain != NULL);
  g_return_if_fail (self->service == NULL);

  g_ptr_array_add (self->deferred_domains, g_strdup (domain));
}

void
pd_mail_sim_server_set_unavailable_first (PdMailSimServer *self,
                                          guint            count)
{
  g_return_if_fail (PD_IS_MAIL_SIM_SERVER (self));
  g_return_if_fail (self->service == NULL);

  self->unavailable_first = count;
}

void
pd_mail_sim_server_set_max_size (PdMailSimServer *self,
                                 guint64          bytes)
{
  g_return_if_fail (PD_IS_MAIL_SIM_SERVER (self));
  g_return_if_fail (bytes <= G_MAXUINT32);
  g_return_if_fail (self->service == NULL);

  self->max_size = bytes;
}

/* One connection, served by one thread from greeting to QUIT. */

typedef struct {
  PdMailSimServer *server;
  GThread *thread;
  /* Cancelled to end the session from outside: every read and write of it takes this. */
  GCancellable *cancellable;
  gboolean finished;            /* under the server's lock */
  GSocketConnection *connection;
  GIOStream *tls;               /* over connection, once TLS is up */
  GDataInputStream *input;      /* of connection, or of tls */
  GOutputStream *output;
  gboolean closing;

  /* What the client has done so far; STARTTLS forgets it all (RFC 3207 4.2). */
  char *client_name;            /* from EHLO or HELO */
  gboolean authenticated;
  char *from;                   /* "<address>" of MAIL, for the transaction under way */
  GPtrArray *recipients;        /* "<address>" of each RCPT taken, NULL-terminated */
} Session;

static void
session_reset_transaction (Session *session)
{
  g_clear_pointer (&session->from, g_free);
  g_ptr_array_set_size (session->recipients, 0);
}

static void
session_forget_client (Session *session)
{
  session_reset_transaction (session);
  g_clear_pointer (&session->client_name, g_free);
  session->authenticated = FALSE;
}

static Session *
session_new (PdMailSimServer   *server,
             GSocketConnection *connection)
{
  Session *session = g_new0 (Session, 1);

  session->server = server;
  session->cancellable = g_cancellable_new ();
  session->connection = g_object_ref (connection);
  session->recipients = g_ptr_array_new_null_terminated (0, g_free, TRUE);
  return session;
}

/* In the session's thread: the client sees the connection end now, not when the thread is
 * joined. */
static void
session_close (Session *session)
{
  g_clear_object (&session->input);
  if (session->tls != NULL)
    g_io_stream_close (session->tls, session->cancellable, NULL);
  g_io_stream_close (G_IO_STREAM (session->connection), NULL, NULL);
}

/* Once its thread is joined. */
static void
session_free (Session *session)
{
  g_clear_object (&session->tls);
  g_clear_object (&session->connection);
  g_clear_object (&session->cancellable);
  g_free (session->client_name);
  g_free (session->from);
  g_ptr_array_unref (session->recipients);
  g_free (session);
}

static void
session_use_stream (Session   *session,
                    GIOStream *stream)
{
  g_clear_object (&session->input);
  session->input = g_data_input_stream_new (g_io_stream_get_input_stream (stream));
  /* The line reader is thrown away at STARTTLS with whatever it had read ahead, but the
   * connection under it goes on, now carrying TLS. */
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (session->input), FALSE);
  /* Lines end with CRLF, but a bare LF is taken too; the CR stays on the line, so that a
   * message is kept with exactly the line ends it came with. */
  g_data_input_stream_set_newline_type (session->input, G_DATA_STREAM_NEWLINE_TYPE_LF);
  session->output = g_io_stream_get_output_stream (stream);
}

static void reply (Session    *session,
                   const char *format,
                   ...) G_GNUC_PRINTF (2, 3);

static void
reply (Session    *session,
       const char *format,
       ...)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *line = NULL;
  va_list args;

  if (session->closing)
    return;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  g_debug ("S: %s", text);
  line = g_strconcat (text, "\r\n", NULL);
  if (!g_output_stream_write_all (session->output, line, strlen (line), NULL,
                                  session->cancellable, &error))
    {
      g_debug ("connection lost while replying: %s", error->message);
      session->closing = TRUE;
    }
}

/* A multi-line reply: "250-first", ..., "250 last". */
static void
reply_lines (Session   *session,
             guint      code,
             GPtrArray *lines)
{
  for (guint i = 0; i < lines->len; i++)
    reply (session, "%u%c%s", code, i + 1 < lines->len ? '-' : ' ',
           (const char *) lines->pdata[i]);
}

/* The next line from the client without its line end, or NULL when the connection is gone
 * (then the session ends). length: of the line, which may hold NUL bytes. */
static char *
read_line (Session *session,
           gsize   *length)
{
  g_autoptr(GError) error = NULL;
  gsize line_length = 0;
  char *line;

  if (session->closing)
    return NULL;

  line = g_data_input_stream_read_line (session->input, &line_length, session->cancellable,
                                       &error);
  if (line == NULL)
    {
      if (error != NULL)
        g_debug ("connection lost: %s", error->message);
      session->closing = TRUE;
      return NULL;
    }

  if (line_length > 0 && line[line_length - 1] == '\r')
    line[--line_length] = '\0';
  if (length != NULL)
    *length = line_length;
  return line;
}

static gboolean
offers_starttls (Session *session)
{
  return session->server->certificate != NULL && session->tls == NULL;
}

/* Never a password in clear where TLS could carry it. */
static gboolean
offers_auth (Session *session)
{
  return session->server->user != NULL &&
         (session->server->certificate == NULL || session->tls != NULL);
}

static guint64
size_limit (PdMailSimServer *self)
{
  return self->max_size != 0 ? self->max_size : DEFAULT_SIZE_LIMIT;
}

static gboolean
start_tls (Session  *session,
           GError  **error)
{
  g_autoptr(GIOStream) tls = NULL;

  tls = g_tls_server_connection_new (G_IO_STREAM (session->connection),
                                     session->server->certificate, error);
  if (tls == NULL)
    return FALSE;

  /* SMTP ends with QUIT, not with TLS's own goodbye, and clients often leave without it. */
  g_tls_connection_set_require_close_notify (G_TLS_CONNECTION (tls), FALSE);
  if (!g_tls_connection_handshake (G_TLS_CONNECTION (tls), session->cancellable, error))
    return FALSE;

  session->tls = g_steal_pointer (&tls);
  session_use_stream (session, session->tls);
  return TRUE;
}

/* Commands */

static void
greet_client (Session    *session,
              const char *args)
{
  session_reset_transaction (session);
  g_free (session->client_name);
  session->client_name = g_strdup (args);
}

static void
command_ehlo (Session    *session,
              const char *args)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);

  if (*args == '\0')
    {
      reply (session, "501 5.5.4 Syntax: EHLO hostname");
      return;
    }

  greet_client (session, args);
  g_ptr_array_add (lines, g_strdup_printf ("%s greets %s", SERVER_NAME, args));
  g_ptr_array_add (lines, g_strdup ("8BITMIME"));
  /* The replies carry RFC 3463 codes, which RFC 2034 says to announce. */
  g_ptr_array_add (lines, g_strdup ("ENHANCEDSTATUSCODES"));
  if (session->server->max_size != 0)
    g_ptr_array_add (lines, g_strdup_printf ("SIZE %" G_GUINT64_FORMAT,
                                             session->server->max_size));
  if (offers_starttls (session))
    g_ptr_array_add (lines, g_strdup ("STARTTLS"));
  if (offers_auth (session))
    g_ptr_array_add (lines, g_strdup ("AUTH PLAIN LOGIN"));
  reply_lines (session, 250, lines);
}

static void
command_helo (Session    *session,
              const char *args)
{
  if (*args == '\0')
    {
      reply (session, "501 5.5.4 Syntax: HELO hostname");
      return;
    }

  greet_client (session, args);
  reply (session, "250 %s", SERVER_NAME);
}

static void
command_starttls (Session    *session,
                  const char *args)
{
  g_autoptr(GError) error = NULL;

  if (*args != '\0')
    reply (session, "501 5.5.4 Syntax: STARTTLS");
  else if (session->tls != NULL)
    reply (session, "503 5.5.1 TLS is already active");
  else if (session->server->certificate == NULL)
    reply (session, "502 5.5.1 STARTTLS not available: no certificate");
  else
    {
      reply (session, "220 2.0.0 Ready to start TLS");
      /* Anything sent after STARTTLS but before TLS is dropped with the old line reader:
       * it could be commands an attacker slipped in while the connection was in clear. */
      if (session->closing || !start_tls (session, &error))
        {
          if (error != NULL)
            g_debug ("TLS handshake failed: %s", error->message);
          session->closing = TRUE;
          return;
        }
      session_forget_client (session);
    }
}

static gboolean
is_base64 (const char *text)
{
  gsize length = strlen (text);
  gsize padding = 0;

  if (length == 0 || length % 4 != 0)
    return FALSE;

  while (padding < 2 && text[length - 1 - padding] == '=')
    padding++;

  for (gsize i = 0; i < length - padding; i++)
    if (!g_ascii_isalnum (text[i]) && text[i] != '+' && text[i] != '/')
      return FALSE;

  return TRUE;
}

/* A SASL response (RFC 4954 4): base64, or "=" for an empty one. NULL when it is neither.
 * The result has a NUL after its length bytes. */
static char *
decode_response (const char *text,
                 gsize      *length)
{
  g_autofree guchar *decoded = NULL;
  char *result;

  if (strcmp (text, "=") == 0)
    {
      *length = 0;
      return g_strdup ("");
    }

  if (!is_base64 (text))
    return NULL;

  decoded = g_base64_decode (text, length);
  result = g_malloc (*length + 1);
  memcpy (result, decoded, *length);
  result[*length] = '\0';
  return result;
}

/* The response to a 334 challenge, or NULL once replied to (cancelled, or gone). */
static char *
ask (Session    *session,
     const char *challenge)
{
  g_autofree char *line = NULL;

  reply (session, "334 %s", challenge);
  line = read_line (session, NULL);
  if (line == NULL)
    return NULL;

  if (strcmp (line, "*") == 0)
    {
      reply (session, "501 5.7.0 Authentication cancelled");
      return NULL;
    }

  return g_steal_pointer (&line);
}

/* Compares without stopping at the first difference, so a reply's timing tells nothing
 * about how much of a password was right. */
static gboolean
equal_secret (const char *given,
              gsize       given_length,
              const char *expected)
{
  gsize expected_length = strlen (expected);
  guint8 difference = given_length != expected_length;

  for (gsize i = 0; i < given_length; i++)
    difference |= (guint8) (given[i] ^ expected[expected_length > 0 ? i % expected_length : 0]);

  return difference == 0;
}

static void
finish_auth (Session    *session,
             const char *user,
             gsize       user_length,
             const char *password,
             gsize       password_length)
{
  gboolean user_ok = equal_secret (user, user_length, session->server->user);
  gboolean password_ok = equal_secret (password, password_length, session->server->password);

  if (user_ok && password_ok)
    {
      session->authenticated = TRUE;
      reply (session, "235 2.7.0 Authentication successful");
    }
  else
    reply (session, "535 5.7.8 Authentication credentials invalid");
}

/* RFC 4616: authorization identity NUL user NUL password. */
static void
auth_plain (Session    *session,
            const char *initial_response)
{
  g_autofree char *asked = NULL;
  g_autofree char *decoded = NULL;
  gsize length = 0;
  const char *user, *password;
  const char *first_nul, *second_nul;

  if (initial_response == NULL)
    {
      /* An empty challenge: PLAIN has nothing to say first. */
      asked = ask (session, "");
      if (asked == NULL)
        return;
      initial_response = asked;
    }

  decoded = decode_response (initial_response, &length);
  first_nul = decoded != NULL ? memchr (decoded, '\0', length) : NULL;
  second_nul = first_nul != NULL
               ? memchr (first_nul + 1, '\0', length - (gsize) (first_nul + 1 - decoded))
               : NULL;
  if (second_nul == NULL)
    {
      reply (session, "501 5.5.2 Cannot decode the AUTH PLAIN response");
      return;
    }

  user = first_nul + 1;
  password = second_nul + 1;
  /* Acting for someone else is not something this server lets anyone do. */
  if (first_nul != decoded &&
      ((gsize) (first_nul - decoded) != (gsize) (second_nul - user) ||
       memcmp (decoded, user, (gsize) (second_nul - user)) != 0))
    {
      reply (session, "535 5.7.8 Authentication credentials invalid");
      return;
    }

  finish_auth (session, user, (gsize) (second_nul - user), password,
               length - (gsize) (password - decoded));
}

/* The old LOGIN mechanism: user name, then password, each asked for in base64. */
static void
auth_login (Session    *session,
            const char *initial_response)
{
  g_autofree char *asked_user = NULL;
  g_autofree char *asked_password = NULL;
  g_autofree char *user = NULL;
  g_autofree char *password = NULL;
  gsize user_length = 0, password_length = 0;

  if (initial_response == NULL)
    {
      asked_user = ask (session, "VXNlcm5hbWU6");   /* "Username:" */
      if (asked_user == NULL)
        return;
      initial_response = asked_user;
    }

  user = decode_response (initial_response, &user_length);
  if (user == NULL)
    {
      reply (session, "501 5.5.2 Cannot decode the user name");
      return;
    }

  asked_password = ask (session, "UGFzc3dvcmQ6");   /* "Password:" */
  if (asked_password == NULL)
    return;

  password = decode_response (asked_password, &password_length);
  if (password == NULL)
    {
      reply (session, "501 5.5.2 Cannot decode the password");
      return;
    }

  finish_auth (session, user, user_length, password, password_length);
}

static void
command_auth (Session    *session,
              const char *args)
{
  g_auto(GStrv) words = g_strsplit (args, " ", -1);
  guint count = g_strv_length (words);

  if (session->server->user == NULL)
    reply (session, "502 5.5.1 AUTH not available: no user");
  else if (session->client_name == NULL)
    reply (session, "503 5.5.1 Send EHLO first");
  else if (session->authenticated)
    reply (session, "503 5.5.1 Already authenticated");
  else if (session->from != NULL)
    reply (session, "503 5.5.1 AUTH not allowed during a mail transaction");
  else if (!offers_auth (session))
    reply (session, "530 5.7.0 Must issue a STARTTLS command first");
  else if (count < 1 || count > 2 || *words[0] == '\0')
    reply (session, "501 5.5.4 Syntax: AUTH mechanism [initial-response]");
  else if (g_ascii_strcasecmp (words[0], "PLAIN") == 0)
    auth_plain (session, words[1]);
  else if (g_ascii_strcasecmp (words[0], "LOGIN") == 0)
    auth_login (session, words[1]);
  else
    reply (session, "504 5.5.4 Unrecognized authentication type");
}

/* "FROM:<path> PARAM..." or "TO:<path> PARAM...": the path with its brackets, and where the
 * parameters start. NULL on bad syntax. */
static char *
parse_path (const char  *args,
            const char  *keyword,
            const char **parameters)
{
  gsize keyword_length = strlen (keyword);
  const char *start, *end;

  if (g_ascii_strncasecmp (args, keyword, keyword_length) != 0)
    return NULL;

  /* "MAIL FROM: <a@b>" is wrong but common; it hurts no one to take it. */
  start = args + keyword_length;
  while (*start == ' ')
    start++;

  if (*start != '<')
    return NULL;

  end = strchr (start, '>');
  if (end == NULL || (end[1] != '\0' && end[1] != ' '))
    return NULL;

  *parameters = end + 1;
  return g_strndup (start, (gsize) (end - start) + 1);
}

static void
command_mail (Session    *session,
              const char *args)
{
  PdMailSimServer *self = session->server;
  g_autofree char *path = NULL;
  g_auto(GStrv) parameters = NULL;
  const char *rest = NULL;

  if (session->client_name == NULL)
    {
      reply (session, "503 5.5.1 Send EHLO first");
      return;
    }
  if (self->user != NULL && !session->authenticated)
    {
      reply (session, "530 5.7.0 Authentication required");
      return;
    }
  if (session->from != NULL)
    {
      reply (session, "503 5.5.1 Nested MAIL command");
      return;
    }

  path = parse_path (args, "FROM:", &rest);
  if (path == NULL)
    {
      reply (session, "501 5.5.4 Syntax: MAIL FROM:<address>");
      return;
    }

  /* SIZE is checked now, so a client that says how big it is is not made to send it all
   * first; BODY, AUTH, SMTPUTF8 and the others change nothing here. */
  parameters = g_strsplit (rest, " ", -1);
  for (guint i = 0; parameters[i] != NULL; i++)
    if (g_ascii_strncasecmp (parameters[i], "SIZE=", 5) == 0)
      {
        guint64 size = 0;

        if (!g_ascii_string_to_unsigned (parameters[i] + 5, 10, 0, G_MAXUINT64, &size, NULL))
          {
            reply (session, "501 5.5.4 Bad SIZE parameter");
            return;
          }
        if (size > size_limit (self))
          {
            reply (session, "552 5.3.4 Message size exceeds fixed maximum message size");
            return;
          }
      }

  session->from = g_steal_pointer (&path);
  reply (session, "250 2.1.0 Ok");
}

static gboolean
domain_listed (GPtrArray  *domains,
               const char *domain)
{
  for (guint i = 0; i < domains->len; i++)
    if (g_ascii_strcasecmp (domains->pdata[i], domain) == 0)
      return TRUE;

  return FALSE;
}

static void
command_rcpt (Session    *session,
              const char *args)
{
  PdMailSimServer *self = session->server;
  g_autofree char *path = NULL;
  g_autofree char *domain = NULL;
  const char *rest = NULL;
  const char *at;

  if (session->from == NULL)
    {
      reply (session, "503 5.5.1 Need MAIL command");
      return;
    }

  path = parse_path (args, "TO:", &rest);
  if (path == NULL)
    {
      reply (session, "501 5.5.4 Syntax: RCPT TO:<address>");
      return;
    }
  if (strcmp (path, "<>") == 0)
    {
      reply (session, "501 5.1.3 Bad recipient address syntax");
      return;
    }
  if (session->recipients->len >= MAX_RECIPIENTS)
    {
      reply (session, "452 4.5.3 Too many recipients");
      return;
    }

  at = strrchr (path, '@');
  domain = at != NULL ? g_strndup (at + 1, strlen (at + 1) - 1) : g_strdup ("");
  if (domain_listed (self->rejected_domains, domain))
    reply (session, "550 5.1.1 %s: Recipient address rejected (training)", path);
  else if (domain_listed (self->deferred_domains, domain))
    reply (session, "451 4.3.0 %s: Recipient address deferred, try again later (training)",
           path);
  else
    {
      g_ptr_array_add (session->recipients, g_steal_pointer (&path));
      reply (session, "250 2.1.5 Ok");
    }
}

/* The message up to the line with a single dot, dots doubled by the client undone
 * (RFC 5321 4.5.2), line ends as they came. NULL when the connection is gone or the message
 * is bigger than the limit (too_big; it is read to its end all the same). */
static GByteArray *
receive_message (Session  *session,
                 gboolean *too_big)
{
  guint64 limit = size_limit (session->server);
  g_autoptr(GByteArray) content = g_byte_array_new ();
  guint long_lines = 0;

  *too_big = FALSE;
  for (;;)
    {
      g_autofree char *line = NULL;
      gsize length = 0;
      gsize skip;
      gboolean had_cr;

      /* read_line() takes the CR off, so the line end is put back from what was read. */
      line = g_data_input_stream_read_line (session->input, &length, session->cancellable,
                                            NULL);
      if (line == NULL)
        {
          g_debug ("connection lost in the middle of a message");
          session->closing = TRUE;
          return NULL;
        }

      had_cr = length > 0 && line[length - 1] == '\r';
      if (length - had_cr == 1 && line[0] == '.')
        break;
      if (length - had_cr > MAX_LINE_OCTETS)
        long_lines++;
      if (*too_big)
        continue;

      skip = line[0] == '.' ? 1 : 0;
      g_byte_array_append (content, (const guint8 *) line + skip, (guint) (length - skip));
      g_byte_array_append (content, (const guint8 *) "\n", 1);
      if (content->len > limit)
        {
          *too_big = TRUE;
          g_byte_array_set_size (content, 0);
        }
    }

  if (long_lines > 0)
    g_message ("a message from %s has %u lines longer than %d octets; kept as sent",
               session->from, long_lines, MAX_LINE_OCTETS);

  return *too_big ? NULL : g_steal_pointer (&content);
}

static void
command_data (Session    *session,
              const char *args)
{
  g_autoptr(GByteArray) content = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *unique = NULL;
  gboolean too_big = FALSE;

  if (*args != '\0')
    {
      reply (session, "501 5.5.4 Syntax: DATA");
      return;
    }
  if (session->from == NULL)
    {
      reply (session, "503 5.5.1 Need MAIL command");
      return;
    }
  if (session->recipients->len == 0)
    {
      reply (session, "503 5.5.1 Need RCPT command (no valid recipients)");
      return;
    }

  reply (session, "354 End data with <CR><LF>.<CR><LF>");
  if (session->closing)
    return;

  content = receive_message (session, &too_big);
  if (too_big)
    reply (session, "552 5.3.4 Message size exceeds fixed maximum message size");
  else if (content == NULL)
    return;
  else if (!pd_mail_sim_maildir_deliver (session->server->maildir, session->from,
                                         (const char * const *) session->recipients->pdata,
                                         content->data, content->len, &unique, &error))
    {
      g_message ("a message from %s could not be kept: %s", session->from, error->message);
      reply (session, "451 4.3.0 Local error: the message could not be kept");
    }
  else
    {
      g_debug ("queued %s from %s", unique, session->from);
      reply (session, "250 2.0.0 Ok: queued as %s", unique);
    }

  session_reset_transaction (session);
}

static void
command_rset (Session    *session,
              const char *args)
{
  if (*args != '\0')
    {
      reply (session, "501 5.5.4 Syntax: RSET");
      return;
    }

  session_reset_transaction (session);
  reply (session, "250 2.0.0 Ok");
}

static void
command_noop (Session    *session,
              const char *args)
{
  /* RFC 5321 4.1.1.9: NOOP may have an argument, which means nothing. */
  reply (session, "250 2.0.0 Ok");
}

static void
command_quit (Session    *session,
              const char *args)
{
  if (*args != '\0')
    {
      reply (session, "501 5.5.4 Syntax: QUIT");
      return;
    }

  reply (session, "221 2.0.0 Bye");
  session->closing = TRUE;
}

typedef void (*CommandFunc) (Session    *session,
                             const char *args);

static const struct {
  const char *verb;
  CommandFunc func;
} commands[] = {
  { "EHLO", command_ehlo },
  { "HELO", command_helo },
  { "STARTTLS", command_starttls },
  { "AUTH", command_auth },
  { "MAIL", command_mail },
  { "RCPT", command_rcpt },
  { "DATA", command_data },
  { "RSET", command_rset },
  { "NOOP", command_noop },
  { "QUIT", command_quit },
};

/* Real commands this server does not do: 502, where a word that is no command gets 500. */
static const char * const not_implemented[] = {
  "VRFY", "EXPN", "HELP", "TURN", "ETRN", "BDAT", "SEND", "SOML", "SAML", "ATRN",
};

static void
handle_command (Session    *session,
                const char *line)
{
  const char *space = strchr (line, ' ');
  gsize verb_length = space != NULL ? (gsize) (space - line) : strlen (line);
  const char *args = space != NULL ? space + 1 : "";

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (verb_length == strlen (commands[i].verb) &&
        g_ascii_strncasecmp (line, commands[i].verb, verb_length) == 0)
      {
        commands[i].func (session, args);
        return;
      }

  for (gsize i = 0; i < G_N_ELEMENTS (not_implemented); i++)
    if (verb_length == strlen (not_implemented[i]) &&
        g_ascii_strncasecmp (line, not_implemented[i], verb_length) == 0)
      {
        reply (session, "502 5.5.1 Command not implemented");
        return;
      }

  reply (session, "500 5.5.2 Command not recognized");
}

static void
serve (Session *session)
{
  PdMailSimServer *self = session->server;
  g_autoptr(GError) error = NULL;

  g_socket_set_timeout (g_socket_connection_get_socket (session->connection),
                        IDLE_TIMEOUT_SECONDS);
  session_use_stream (session, G_IO_STREAM (session->connection));

  if (self->implicit_tls && !start_tls (session, &error))
    {
      g_debug ("TLS handshake failed: %s", error->message);
      return;
    }

  /* Counted once TLS is up, so that a client turned away by its own certificate check
   * does not use up the refusals a test asked for. */
  if ((guint) g_atomic_int_add (&self->greeted_connections, 1) < self->unavailable_first)
    {
      reply (session, "421 4.3.2 %s Service not available, closing transmission channel",
             SERVER_NAME);
      return;
    }

  reply (session, "220 %s ESMTP paydesk-mail-sim (training)", SERVER_NAME);
  while (!session->closing)
    {
      g_autofree char *line = read_line (session, NULL);

      if (line == NULL)
        break;

      /* Never a password in the log: only the mechanism of an AUTH line. */
      g_debug ("C: %s", g_ascii_strncasecmp (line, "AUTH ", 5) == 0 ? "AUTH ..." : line);
      handle_command (session, line);
    }
}

static gpointer
run_session (gpointer data)
{
  Session *session = data;

  serve (session);
  session_close (session);

  g_mutex_lock (&session->server->lock);
  session->finished = TRUE;
  g_mutex_unlock (&session->server->lock);
  return NULL;
}

/* Joins the threads of sessions that are over, and frees them. */
static void
reap_sessions (PdMailSimServer *self)
{
  g_autoptr(GPtrArray) finished = g_ptr_array_new ();

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->sessions->len; )
    {
      Session *session = self->sessions->pdata[i];

      if (session->finished)
        g_ptr_array_add (finished, g_ptr_array_steal_index_fast (self->sessions, i));
      else
        i++;
    }
  g_mutex_unlock (&self->lock);

  for (guint i = 0; i < finished->len; i++)
    {
      Session *session = finished->pdata[i];

      g_thread_join (session->thread);
      session_free (session);
    }
}

/* In the main thread: each connection gets a thread of its own, which blocks on it. */
static gboolean
on_incoming (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source_object,
             gpointer           user_data)
{
  PdMailSimServer *self = user_data;
  g_autoptr(GError) error = NULL;
  Session *session;

  reap_sessions (self);

  session = session_new (self, connection);
  session->thread = g_thread_try_new ("smtp-session", run_session, session, &error);
  if (session->thread == NULL)
    {
      g_message ("a connection could not be served: %s", error->message);
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
      session_free (session);
      return TRUE;
    }

  g_mutex_lock (&self->lock);
  g_ptr_array_add (self->sessions, session);
  g_mutex_unlock (&self->lock);
  return TRUE;
}

gboolean
pd_mail_sim_server_listen (PdMailSimServer  *self,
                           const char       *address,
                           GError          **error)
{
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(GSocketAddress) effective_address = NULL;
  g_autoptr(GSocketService) service = NULL;

  g_return_val_if_fail (PD_IS_MAIL_SIM_SERVER (self), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);
  g_return_val_if_fail (self->service == NULL, FALSE);

  if (self->implicit_tls && self->certificate == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "TLS from the first byte needs a certificate");
      return FALSE;
    }

  socket_address = pd_loopback_address_parse (address, "the training mail server", error);
  if (socket_address == NULL)
    return FALSE;

  /* A thread per connection and no cap: only this machine can connect. */
  service = g_socket_service_new ();
  g_signal_connect (service, "incoming", G_CALLBACK (on_incoming), self);
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (service), socket_address,
                                      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL,
                                      &effective_address, error))
    return FALSE;

  self->address = G_INET_SOCKET_ADDRESS (g_steal_pointer (&effective_address));
  self->service = g_steal_pointer (&service);
  g_socket_service_start (self->service);
  return TRUE;
}

char *
pd_mail_sim_server_dup_url (PdMailSimServer *self)
{
  GInetAddress *inet;
  g_autofree char *host = NULL;
  const char *scheme;

  g_return_val_if_fail (PD_IS_MAIL_SIM_SERVER (self), NULL);

  if (self->address == NULL)
    return NULL;

  inet = g_inet_socket_address_get_address (self->address);
  host = g_inet_address_to_string (inet);
  scheme = self->implicit_tls ? "smtps" : "smtp";
  if (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6)
    return g_strdup_printf ("%s://[%s]:%u", scheme, host,
                            g_inet_socket_address_get_port (self->address));

  return g_strdup_printf ("%s://%s:%u", scheme, host,
                          g_inet_socket_address_get_port (self->address));
}

void
pd_mail_sim_server_stop (PdMailSimServer *self)
{
  g_autoptr(GPtrArray) sessions = NULL;

  g_return_if_fail (PD_IS_MAIL_SIM_SERVER (self));

  if (self->service != NULL)
    {
      g_socket_service_stop (self->service);
      g_socket_listener_close (G_SOCKET_LISTENER (self->service));
    }

  /* A thread waiting for its client wakes up cancelled, and its session ends. */
  g_mutex_lock (&self->lock);
  sessions = g_steal_pointer (&self->sessions);
  self->sessions = g_ptr_array_new ();
  g_mutex_unlock (&self->lock);

  for (guint i = 0; i < sessions->len; i++)
    g_cancellable_cancel (((Session *) sessions->pdata[i])->cancellable);
  for (guint i = 0; i < sessions->len; i++)
    {
      Session *session = sessions->pdata[i];

      g_thread_join (session->thread);
      session_free (session);
    }
}
