#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "pd-test-common.h"

/* The training mail server (paydesk-mail-sim), the real program in a subprocess, spoken to
 * line by line over SMTP as a mail client would, with GIO's TLS for STARTTLS and SMTPS. */

#define USER "paydesk-terminal"
#define PASSWORD "correct horse battery staple"

typedef struct {
  PdTestDir tmp;
  char *maildir;
  GSubprocess *server;
  char *url;
  guint16 port;
} Fixture;

/* One certificate for the whole run: openssl takes a good part of a second to make one. */
static char *certificate_dir;
static char *certificate;
static char *key;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  pd_test_dir_set_up (&fixture->tmp, data);
  /* Not there yet: the server makes it. */
  fixture->maildir = g_build_filename (fixture->tmp.dir, "mail", NULL);
}

static void
stop_server (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  if (fixture->server == NULL)
    return;

  /* It ends cleanly on SIGTERM, with nothing leaked when built with AddressSanitizer (which
   * would make the exit status non-zero). */
  g_subprocess_send_signal (fixture->server, SIGTERM);
  g_subprocess_wait (fixture->server, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (fixture->server));
  g_assert_cmpint (g_subprocess_get_exit_status (fixture->server), ==, 0);
  g_clear_object (&fixture->server);
  g_clear_pointer (&fixture->url, g_free);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  stop_server (fixture);
  g_free (fixture->maildir);
  pd_test_dir_tear_down (&fixture->tmp, data);
}

/* The server with these options (NULL-terminated) on top of --listen and --maildir. */
G_GNUC_NULL_TERMINATED
static void
start_server (Fixture *fixture,
              ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  va_list args;

  g_ptr_array_add (argv, g_strdup (g_getenv ("PAYDESK_MAIL_SIM")));
  g_ptr_array_add (argv, g_strdup ("--listen=127.0.0.1:0"));
  g_ptr_array_add (argv, g_strdup_printf ("--maildir=%s", fixture->maildir));
  va_start (args, fixture);
  for (const char *arg = va_arg (args, const char *); arg != NULL;
       arg = va_arg (args, const char *))
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, NULL);

  fixture->server = pd_test_spawn_listening ((const char * const *) argv->pdata,
                                             &fixture->url);
  fixture->port = (guint16) atoi (strrchr (fixture->url, ':') + 1);
  g_assert_cmpuint (fixture->port, >, 0);
}

/* The server with STARTTLS (or TLS from the start) and a password. */
static void
start_secure_server (Fixture  *fixture,
                     gboolean  implicit_tls)
{
  g_autofree char *password_file = g_build_filename (fixture->tmp.dir, "password", NULL);
  g_autofree char *certificate_arg = NULL;
  g_autofree char *key_arg = NULL;
  g_autofree char *password_arg = NULL;

  /* As an administrator would write it, with a newline. */
  pd_test_write_secret (password_file, PASSWORD "\n");
  certificate_arg = g_strdup_printf ("--tls-certificate=%s", certificate);
  key_arg = g_strdup_printf ("--tls-key=%s", key);
  password_arg = g_strdup_printf ("--password-file=%s", password_file);
  start_server (fixture, certificate_arg, key_arg, "--user=" USER, password_arg,
                implicit_tls ? "--implicit-tls" : NULL, NULL);
}

static GPtrArray *
list_dir (Fixture    *fixture,
          const char *name)
{
  g_autofree char *path = g_build_filename (fixture->maildir, name, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (path, 0, &error);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *entry;

  g_assert_no_error (error);
  while ((entry = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (entry));
  return names;
}

static char *
read_message (Fixture    *fixture,
              const char *unique)
{
  g_autofree char *name = g_strconcat (unique, ".eml", NULL);
  g_autofree char *path = g_build_filename (fixture->maildir, "new", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

/* An SMTP client: one connection, read line by line. */

typedef struct {
  GSocketConnection *connection;
  GIOStream *tls;
  GDataInputStream *input;
  GOutputStream *output;
} Client;

static void
client_use_stream (Client    *client,
                   GIOStream *stream)
{
  g_clear_object (&client->input);
  client->input = g_data_input_stream_new (g_io_stream_get_input_stream (stream));
  /* The connection under it goes on carrying TLS after STARTTLS. */
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (client->input), FALSE);
  /* Only CRLF ends a line: a server answering with bare LFs would fail every test. */
  g_data_input_stream_set_newline_type (client->input, G_DATA_STREAM_NEWLINE_TYPE_CR_LF);
  client->output = g_io_stream_get_output_stream (stream);
}

static Client *
client_connect (Fixture *fixture)
{
  g_autoptr(GSocketClient) socket_client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  Client *client = g_new0 (Client, 1);

  /* A server that stops answering fails the test instead of hanging it. */
  g_socket_client_set_timeout (socket_client, 20);
  client->connection = g_socket_client_connect_to_host (socket_client, "127.0.0.1",
                                                        fixture->port, NULL, &error);
  g_assert_no_error (error);
  client_use_stream (client, G_IO_STREAM (client->connection));
  return client;
}

static void
client_free (Client *client)
{
  g_clear_object (&client->input);
  if (client->tls != NULL)
    g_io_stream_close (client->tls, NULL, NULL);
  g_clear_object (&client->tls);
  g_io_stream_close (G_IO_STREAM (client->connection), NULL, NULL);
  g_clear_object (&client->connection);
  g_free (client);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Client, client_free)

/* TLS over the connection, trusting only the test's own certificate for 127.0.0.1. */
static void
client_start_tls (Client  *client,
                  Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsDatabase) database = g_tls_file_database_new (certificate, &error);
  g_autoptr(GSocketConnectable) identity = g_network_address_new ("127.0.0.1", fixture->port);
  g_autoptr(GIOStream) tls = NULL;

  g_assert_no_error (error);
  tls = g_tls_client_connection_new (G_IO_STREAM (client->connection), identity, &error);
  g_assert_no_error (error);
  g_tls_connection_set_database (G_TLS_CONNECTION (tls), database);
  g_tls_connection_set_require_close_notify (G_TLS_CONNECTION (tls), FALSE);
  g_tls_connection_handshake (G_TLS_CONNECTION (tls), NULL, &error);
  g_assert_no_error (error);

  client->tls = g_steal_pointer (&tls);
  client_use_stream (client, client->tls);
}

static void
client_send (Client     *client,
             const char *text)
{
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all (client->output, text, strlen (text), NULL, NULL, &error);
  g_assert_no_error (error);
}

/* A whole reply, every line of a multi-line one, each line ending in "\n". */
static char *
client_read_reply (Client *client)
{
  g_autoptr(GString) reply = g_string_new (NULL);

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *line = g_data_input_stream_read_line (client->input, NULL, NULL,
                                                             &error);

      g_assert_no_error (error);
      g_assert_nonnull (line);
      g_assert_cmpuint (strlen (line), >=, 3);
      g_assert_true (g_ascii_isdigit (line[0]) && g_ascii_isdigit (line[1]) &&
                     g_ascii_isdigit (line[2]));
      g_string_append_printf (reply, "%s\n", line);
      if (line[3] != '-')
        break;
      g_assert_cmpint (strncmp (line, reply->str, 3), ==, 0);
    }

  return g_string_free (g_steal_pointer (&reply), FALSE);
}

/* Asserts that the reply's last line starts with expected ("250 2.1.0"); the whole reply. */
static char *
client_expect (Client     *client,
               const char *expected)
{
  char *reply = client_read_reply (client);
  g_auto(GStrv) lines = g_strsplit (reply, "\n", -1);
  guint count = g_strv_length (lines);
  const char *last = lines[count - 2];

  if (!g_str_has_prefix (last, expected))
    g_assert_cmpstr (last, ==, expected);
  return reply;
}

/* Sends command (with CRLF) and checks the reply as client_expect() does. */
static char *
client_command (Client     *client,
                const char *command,
                const char *expected)
{
  g_autofree char *line = g_strconcat (command, "\r\n", NULL);

  client_send (client, line);
  return client_expect (client, expected);
}

static void
client_check (Client     *client,
              const char *command,
              const char *expected)
{
  g_autofree char *reply = client_command (client, command, expected);
}

static void
client_assert_closed (Client *client)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_data_input_stream_read_line (client->input, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_null (line);
}

/* The name the server gave a message it took: "250 2.0.0 Ok: queued as NAME". */
static char *
client_send_message (Client     *client,
                     const char *message)
{
  g_autofree char *reply = NULL;
  const char *queued;

  client_check (client, "DATA", "354 ");
  client_send (client, message);
  reply = client_command (client, ".", "250 2.0.0 Ok: queued as ");
  queued = reply + strlen ("250 2.0.0 Ok: queued as ");
  return g_strndup (queued, strcspn (queued, "\n"));
}

static char *
plain_response (const char *user,
                const char *password)
{
  g_autofree char *credentials = g_strdup_printf ("%c%s%c%s", 0, user, 0, password);
  gsize length = 2 + strlen (user) + strlen (password);

  return g_base64_encode ((const guchar *) credentials, length);
}

static char *
base64 (const char *text)
{
  return g_base64_encode ((const guchar *) text, strlen (text));
}

static gboolean
reply_has_line (const char *reply,
                const char *extension)
{
  g_autofree char *continued = g_strdup_printf ("250-%s\n", extension);
  g_autofree char *last = g_strdup_printf ("250 %s\n", extension);

  return strstr (reply, continued) != NULL || strstr (reply, last) != NULL;
}

/* Tests */

/* A message arrives whole in new/, dots the client doubled undone, line ends as sent, after
 * the envelope; nothing is left in tmp/. Commands out of order are refused. */
static void
test_delivery (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(Client) client = NULL;
  g_autofree char *ehlo = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *saved_second = NULL;
  g_autoptr(GPtrArray) in_new = NULL;
  g_autoptr(GPtrArray) in_tmp = NULL;

  start_server (fixture, NULL);
  g_assert_true (g_str_has_prefix (fixture->url, "smtp://127.0.0.1:"));

  client = client_connect (fixture);
  g_free (client_expect (client, "220 "));
  client_check (client, "MAIL FROM:<receipts@center.example.org>", "503 5.5.1");
  ehlo = client_command (client, "EHLO terminal.example.org", "250 ");
  g_assert_true (reply_has_line (ehlo, "8BITMIME"));
  /* No certificate, no password, no limit: none of them offered. */
  g_assert_null (strstr (ehlo, "STARTTLS"));
  g_assert_null (strstr (ehlo, "AUTH"));
  g_assert_null (strstr (ehlo, "SIZE"));

  client_check (client, "RCPT TO:<maria@example.org>", "503 5.5.1");
  client_check (client, "DATA", "503 5.5.1");
  client_check (client, "FROBNICATE", "500 5.5.2");
  client_check (client, "VRFY maria", "502 5.5.1");
  client_check (client, "MAIL FROM:receipts@center.example.org", "501 5.5.4");
  client_check (client, "MAIL FROM:<receipts@center.example.org> BODY=8BITMIME", "250 2.1.0");
  client_check (client, "MAIL FROM:<other@center.example.org>", "503 5.5.1");
  client_check (client, "DATA", "503 5.5.1");
  client_check (client, "RCPT TO:<maria@example.org>", "250 2.1.5");
  client_check (client, "rcpt to:<luis@example.org>", "250 2.1.5");
  first = client_send_message (client,
                               "Subject: dots\r\n"
                               "\r\n"
                               "..leading dot\r\n"
                               "...\r\n"
                               "bare LF\n"
                               "last\r\n");

  /* A new transaction, on the same connection; NOOP with a bare LF. */
  client_send (client, "NOOP\n");
  g_free (client_expect (client, "250 "));
  client_check (client, "MAIL FROM:<>", "250 2.1.0");
  client_check (client, "RCPT TO:<maria@example.org>", "250 2.1.5");
  client_check (client, "RSET", "250 2.0.0");
  client_check (client, "DATA", "503 5.5.1");
  client_check (client, "MAIL FROM:<>", "250 2.1.0");
  client_check (client, "RCPT TO:<maria@example.org>", "250 2.1.5");
  second = client_send_message (client, "Subject: second\r\n\r\nno dots\r\n");
  client_check (client, "QUIT", "221 2.0.0");
  client_assert_closed (client);

  /* Names sort as the messages came. */
  g_assert_cmpstr (first, <, second);
  in_new = list_dir (fixture, "new");
  in_tmp = list_dir (fixture, "tmp");
  g_assert_cmpuint (in_new->len, ==, 2);
  g_assert_cmpuint (in_tmp->len, ==, 0);

  saved = read_message (fixture, first);
  g_assert_cmpstr (saved, ==,
                   "X-Paydesk-Envelope-From: <receipts@center.example.org>\r\n"
                   "X-Paydesk-Envelope-To: <maria@example.org>, <luis@example.org>\r\n"
                   "Subject: dots\r\n"
                   "\r\n"
                   ".leading dot\r\n"
                   "..\r\n"
                   "bare LF\n"
                   "last\r\n");
  saved_second = read_message (fixture, second);
  g_assert_cmpstr (saved_second, ==,
                   "X-Paydesk-Envelope-From: <>\r\n"
                   "X-Paydesk-Envelope-To: <maria@example.org>\r\n"
                   "Subject: second\r\n\r\nno dots\r\n");
}

/* Two clients at once: one waiting in the middle of its transaction does not hold up the
 * other. */
static void
test_concurrent (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(Client) slow = NULL;
  g_autoptr(Client) quick = NULL;
  g_autofree char *quick_name = NULL;
  g_autofree char *slow_reply = NULL;

  start_server (fixture, NULL);
  slow = client_connect (fixture);
  g_free (client_expect (slow, "220 "));
  g_free (client_command (slow, "EHLO slow.example.org", "250 "));
  client_check (slow, "MAIL FROM:<slow@example.org>", "250 2.1.0");
  client_check (slow, "RCPT TO:<maria@example.org>", "250 2.1.5");
  client_check (slow, "DATA", "354 ");
  client_send (slow, "Subject: slow\r\n\r\nhalf of it\r\n");

  quick = client_connect (fixture);
  g_free (client_expect (quick, "220 "));
  g_free (client_command (quick, "EHLO quick.example.org", "250 "));
  client_check (quick, "MAIL FROM:<quick@example.org>", "250 2.1.0");
  client_check (quick, "RCPT TO:<maria@example.org>", "250 2.1.5");
  quick_name = client_send_message (quick, "Subject: quick\r\n\r\nall of it\r\n");

  client_send (slow, "the rest\r\n");
  slow_reply = client_command (slow, ".", "250 2.0.0 Ok: queued as ");
  g_assert_cmpstr (quick_name, <, slow_reply + strlen ("250 2.0.0 Ok: queued as "));
}

/* With a certificate and a password: AUTH only after STARTTLS, and MAIL only after AUTH;
 * a wrong password is refused and the right one taken, by PLAIN and by LOGIN. */
static void
test_auth_after_starttls (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(Client) client = NULL;
  g_autoptr(Client) login = NULL;
  g_autofree char *clear_ehlo = NULL;
  g_autofree char *tls_ehlo = NULL;
  g_autofree char *right = plain_response (USER, PASSWORD);
  g_autofree char *wrong = plain_response (USER, "Tr0ub4dor&3");
  g_autofree char *right_in_clear = g_strconcat ("AUTH PLAIN ", right, NULL);
  g_autofree char *wrong_plain = g_strconcat ("AUTH PLAIN ", wrong, NULL);
  g_autofree char *user = base64 (USER);
  g_autofree char *password = base64 (PASSWORD);
  g_autofree char *wrong_password = base64 ("Tr0ub4dor&3");
  g_autofree char *login_with_user = g_strconcat ("AUTH LOGIN ", user, NULL);
  g_autofree char *injected = g_strconcat ("STARTTLS\r\n", right_in_clear, "\r\n", NULL);
  g_autofree char *name = NULL;
  g_autofree char *saved = NULL;

  start_secure_server (fixture, FALSE);
  g_assert_true (g_str_has_prefix (fixture->url, "smtp://"));

  client = client_connect (fixture);
  g_free (client_expect (client, "220 "));
  clear_ehlo = client_command (client, "EHLO terminal.example.org", "250 ");
  g_assert_true (reply_has_line (clear_ehlo, "STARTTLS"));
  /* Never a password in clear where TLS could carry it. */
  g_assert_null (strstr (clear_ehlo, "AUTH"));
  client_check (client, "MAIL FROM:<receipts@center.example.org>", "530 5.7.0");
  client_check (client, right_in_clear, "530 5.7.0");

  client_check (client, "STARTTLS", "220 ");
  client_start_tls (client, fixture);
  /* TLS starts the session over: EHLO again. */
  client_check (client, "MAIL FROM:<receipts@center.example.org>", "503 5.5.1");
  tls_ehlo = client_command (client, "EHLO terminal.example.org", "250 ");
  g_assert_true (reply_has_line (tls_ehlo, "AUTH PLAIN LOGIN"));
  g_assert_null (strstr (tls_ehlo, "STARTTLS"));
  client_check (client, "STARTTLS", "503 5.5.1");
  client_check (client, "MAIL FROM:<receipts@center.example.org>", "530 5.7.0");

  client_check (client, wrong_plain, "535 5.7.8");
  client_check (client, "AUTH CRAM-MD5", "504 5.5.4");
  /* Without an initial response: an empty challenge, then the credentials. */
  client_check (client, "AUTH PLAIN", "334 ");
  client_check (client, right, "235 2.7.0");
  client_check (client, "AUTH PLAIN", "503 5.5.1");
  client_check (client, "MAIL FROM:<receipts@center.example.org>", "250 2.1.0");
  client_check (client, "RCPT TO:<maria@example.org>", "250 2.1.5");
  name = client_send_message (client, "Subject: over TLS\r\n\r\nsecret\r\n");
  saved = read_message (fixture, name);
  g_assert_true (g_str_has_suffix (saved, "Subject: over TLS\r\n\r\nsecret\r\n"));
  client_check (client, "QUIT", "221 ");

  /* LOGIN: user name and password each asked for. Before that, an AUTH sent in clear
   * right behind STARTTLS, as an attacker on the way could add it: it is dropped, not
   * taken once TLS is up. */
  login = client_connect (fixture);
  g_free (client_expect (login, "220 "));
  g_free (client_command (login, "EHLO terminal.example.org", "250 "));
  client_send (login, injected);
  g_free (client_expect (login, "220 "));
  client_start_tls (login, fixture);
  g_free (client_command (login, "EHLO terminal.example.org", "250 "));
  client_check (login, "AUTH LOGIN", "334 VXNlcm5hbWU6");
  client_check (login, user, "334 UGFzc3dvcmQ6");
  client_check (login, wrong_password, "535 5.7.8");
  client_check (login, "MAIL FROM:<receipts@center.example.org>", "530 5.7.0");
  client_check (login, login_with_user, "334 UGFzc3dvcmQ6");
  client_check (login, password, "235 2.7.0");
  client_check (login, "MAIL FROM:<receipts@center.example.org>", "250 2.1.0");
}

/* SMTPS: TLS from the first byte, then the greeting; no STARTTLS offered, AUTH is. */
static void
test_implicit_tls (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(Client) client = NULL;
  g_autofree char *ehlo = NULL;
  g_autofree char *right = plain_response (USER, PASSWORD);
  g_autofree char *auth = g_strconcat ("AUTH PLAIN ", right, NULL);

  start_secure_server (fixture, TRUE);
  g_assert_true (g_str_has_prefix (fixture->url, "smtps://127.0.0.1:"));

  client = client_connect (fixture);
  client_start_tls (client, fixture);
  g_free (client_expect (client, "220 "));
  ehlo = client_command (client, "EHLO terminal.example.org", "250 ");
  g_assert_null (strstr (ehlo, "STARTTLS"));
  g_assert_true (reply_has_line (ehlo, "AUTH PLAIN LOGIN"));
  client_check (client, "STARTTLS", "503 5.5.1");
  client_check (client, auth, "235 2.7.0");
  client_check (client, "MAIL FROM:<receipts@center.example.org>", "250 2.1.0");
}

/* Recipients at some domains are refused for good, at others for now; the rest arrive. */
static void
test_recipient_faults (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(Client) client = NULL;
  g_autofree char *name = NULL;
  g_autofree char *saved = NULL;

  start_server (fixture, "--reject-recipient=example.net", "--reject-recipient=refused.test",
                "--defer-recipient=example.com", NULL);
  client = client_connect (fixture);
  g_free (client_expect (client, "220 "));
  g_free (client_command (client, "EHLO terminal.example.org", "250 "));
  client_check (client, "MAIL FROM:<receipts@center.example.org>", "250 2.1.0");
  client_check (client, "RCPT TO:<gone@example.net>", "550 5.1.1");
  client_check (client, "RCPT TO:<later@EXAMPLE.COM>", "451 4.3.0");
  client_check (client, "RCPT TO:<nobody@refused.test>", "550 5.1.1");
  /* Only the domain itself, not the ones under it. */
  client_check (client, "RCPT TO:<maria@mail.example.net>", "250 2.1.5");
  client_check (client, "RCPT TO:<luis@example.org>", "250 2.1.5");
  name = client_send_message (client, "Subject: some of you\r\n\r\nhello\r\n");

  saved = read_message (fixture, name);
  g_assert_true (g_str_has_prefix (saved,
                                   "X-Paydesk-Envelope-From: <receipts@center.example.org>\r\n"
                                   "X-Paydesk-Envelope-To: <maria@mail.example.net>, "
                                   "<luis@example.org>\r\n"
                                   "Subject: some of you\r\n"));
}

/* The first connection is turned away with 421 and closed; the next one is served. */
static void
test_unavailable_first (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(Client) first = NULL;
  g_autoptr(Client) second = NULL;

  start_server (fixture, "--unavailable-first=1", NULL);
  first = client_connect (fixture);
  g_free (client_expect (first, "421 4.3.2 "));
  client_assert_closed (first);

  second = client_connect (fixture);
  g_free (client_expect (second, "220 "));
  g_free (client_command (second, "EHLO terminal.example.org", "250 "));
}

#define SIZE_HEADER "Subject: size\r\n\r\n"

static char *
message_of_size (gsize size)
{
  GString *message = g_string_new (SIZE_HEADER);

  while (message->len + 2 < size)
    g_string_append_c (message, 'x');
  g_string_append (message, "\r\n");
  g_assert_cmpuint (message->len, ==, size);
  return g_string_free (message, FALSE);
}

/* SIZE is announced; a message said to be bigger, or found bigger, is refused (552), and
 * nothing of it is kept. One of exactly the size is taken. */
static void
test_size_limit (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(Client) client = NULL;
  g_autofree char *ehlo = NULL;
  g_autofree char *too_big = message_of_size (101);
  g_autofree char *exact = message_of_size (100);
  g_autofree char *stuffed = NULL;
  g_autofree char *name = NULL;
  g_autofree char *saved = NULL;
  g_autoptr(GPtrArray) empty_new = NULL;
  g_autoptr(GPtrArray) in_new = NULL;

  start_server (fixture, "--max-size=100", NULL);
  client = client_connect (fixture);
  g_free (client_expect (client, "220 "));
  ehlo = client_command (client, "EHLO terminal.example.org", "250 ");
  g_assert_true (reply_has_line (ehlo, "SIZE 100"));

  client_check (client, "MAIL FROM:<receipts@center.example.org> SIZE=101", "552 5.3.4");
  client_check (client, "MAIL FROM:<receipts@center.example.org> SIZE=100", "250 2.1.0");
  client_check (client, "RCPT TO:<maria@example.org>", "250 2.1.5");
  client_check (client, "DATA", "354 ");
  client_send (client, too_big);
  client_check (client, ".", "552 5.3.4");
  empty_new = list_dir (fixture, "new");
  g_assert_cmpuint (empty_new->len, ==, 0);

  /* 100 octets once the doubled dot is undone, and the connection still in use. */
  client_check (client, "MAIL FROM:<receipts@center.example.org>", "250 2.1.0");
  client_check (client, "RCPT TO:<maria@example.org>", "250 2.1.5");
  exact[strlen (SIZE_HEADER)] = '.';
  stuffed = g_strconcat (SIZE_HEADER ".", exact + strlen (SIZE_HEADER), NULL);
  name = client_send_message (client, stuffed);
  in_new = list_dir (fixture, "new");
  g_assert_cmpuint (in_new->len, ==, 1);
  saved = read_message (fixture, name);
  g_assert_true (g_str_has_suffix (saved, exact));
  g_assert_cmpuint (strlen (strstr (saved, SIZE_HEADER)), ==, 100);
}

/* Mistakes on the command line are said, and the server does not start. */
static void
test_bad_usage (Fixture       *fixture,
                gconstpointer  data)
{
  const char *mail_sim = g_getenv ("PAYDESK_MAIL_SIM");
  g_autofree char *maildir_arg = g_strdup_printf ("--maildir=%s", fixture->maildir);
  const char *not_loopback[] = { mail_sim, "--listen=192.0.2.1:0", maildir_arg, NULL };
  const char *no_certificate[] = { mail_sim, "--listen=127.0.0.1:0", maildir_arg,
                                   "--implicit-tls", NULL };
  const char *no_password[] = { mail_sim, "--listen=127.0.0.1:0", maildir_arg,
                                "--user=" USER, NULL };
  g_auto(PdTestRun) refused = pd_test_run (not_loopback, NULL);
  g_auto(PdTestRun) plain_smtps = pd_test_run (no_certificate, NULL);
  g_auto(PdTestRun) half_auth = pd_test_run (no_password, NULL);

  g_assert_cmpint (refused.status, ==, 2);
  g_assert_nonnull (strstr (refused.err, "loopback"));
  g_assert_cmpstr (refused.out, ==, "");
  g_assert_cmpint (plain_smtps.status, ==, 2);
  g_assert_nonnull (strstr (plain_smtps.err, "--implicit-tls"));
  g_assert_cmpint (half_auth.status, ==, 2);
  g_assert_nonnull (strstr (half_auth.err, "--password-file"));
}

#define ADD(name, func) \
  g_test_add ("/mail-sim/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int    argc,
      char **argv)
{
  int status;

  pd_test_init (&argc, &argv);
  certificate_dir = pd_test_make_temp_dir ();
  pd_test_make_certificate (certificate_dir, "mail", &certificate, &key);

  ADD ("delivery", test_delivery);
  ADD ("concurrent", test_concurrent);
  ADD ("auth-after-starttls", test_auth_after_starttls);
  ADD ("implicit-tls", test_implicit_tls);
  ADD ("recipient-faults", test_recipient_faults);
  ADD ("unavailable-first", test_unavailable_first);
  ADD ("size-limit", test_size_limit);
  ADD ("bad-usage", test_bad_usage);

  status = g_test_run ();
  pd_test_remove_tree (certificate_dir);
  g_free (certificate_dir);
  g_free (certificate);
  g_free (key);
  return status;
}
