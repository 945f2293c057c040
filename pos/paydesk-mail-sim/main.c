#include <locale.h>
#include <stdio.h>

#include <glib-unix.h>

#include "pd-mail-sim-server.h"
#include "pd-secret-file.h"

/* Bigger messages would be held in memory whole; no receipt comes near. */
#define MAX_SIZE_CEILING (G_GINT64_CONSTANT (1) << 30)

static char *listen_address = NULL;
static char *maildir = NULL;
static char *tls_certificate_file = NULL;
static char *tls_key_file = NULL;
static gboolean implicit_tls = FALSE;
static char *user = NULL;
static char *password_file = NULL;
static char **rejected_domains = NULL;
static char **deferred_domains = NULL;
static int unavailable_first = 0;
static gint64 max_size = 0;

static const GOptionEntry options[] = {
  { "listen", 'l', 0, G_OPTION_ARG_STRING, &listen_address,
    "Listen on HOST:PORT, loopback only (port 0: any free port)", "HOST:PORT" },
  { "maildir", 0, 0, G_OPTION_ARG_FILENAME, &maildir,
    "Keep each message taken in DIR/new/ (made if missing)", "DIR" },
  { "tls-certificate", 0, 0, G_OPTION_ARG_FILENAME, &tls_certificate_file,
    "Offer STARTTLS with the certificate in FILE (PEM)", "FILE" },
  { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &tls_key_file,
    "The private key of --tls-certificate (PEM)", "FILE" },
  { "implicit-tls", 0, 0, G_OPTION_ARG_NONE, &implicit_tls,
    "TLS from the first byte (SMTPS) instead of STARTTLS", NULL },
  { "user", 0, 0, G_OPTION_ARG_STRING, &user,
    "Require AUTH (PLAIN or LOGIN) as NAME before MAIL", "NAME" },
  { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file,
    "The password of --user, in FILE", "FILE" },
  { "reject-recipient", 0, 0, G_OPTION_ARG_STRING_ARRAY, &rejected_domains,
    "Refuse recipients at DOMAIN for good (550 5.1.1); may be repeated", "DOMAIN" },
  { "defer-recipient", 0, 0, G_OPTION_ARG_STRING_ARRAY, &deferred_domains,
    "Refuse recipients at DOMAIN for now (451 4.3.0); may be repeated", "DOMAIN" },
  { "unavailable-first", 0, 0, G_OPTION_ARG_INT, &unavailable_first,
    "Greet the first N connections with 421 4.3.2 and close them", "N" },
  { "max-size", 0, 0, G_OPTION_ARG_INT64, &max_size,
    "Announce SIZE BYTES and refuse bigger messages (552 5.3.4)", "BYTES" },
  G_OPTION_ENTRY_NULL
};

static const char description[] =
  "The training mail server: SMTP on loopback for the terminal's emailed receipts. It\n"
  "prints \"listening on URL\" once it accepts connections.\n"
  "\n"
  "Each message it takes is written to DIR/tmp/ and then moved to DIR/new/NAME.eml, names\n"
  "sorting by arrival, beginning with two added lines:\n"
  "  X-Paydesk-Envelope-From: <sender>\n"
  "  X-Paydesk-Envelope-To: <recipient>, <recipient>\n"
  "then the message as the client sent it (dots it doubled undone).\n"
  "\n"
  "With a certificate it offers STARTTLS, and takes AUTH only after it: a password never\n"
  "goes in clear where TLS could carry it.\n";

static gboolean
stop (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

/* Usage errors, said before anything listens. */
static const char *
check_options (void)
{
  if (listen_address == NULL || maildir == NULL)
    return "--listen and --maildir are required";
  if ((tls_certificate_file != NULL) != (tls_key_file != NULL))
    return "--tls-certificate and --tls-key go together";
  if (implicit_tls && tls_certificate_file == NULL)
    return "--implicit-tls needs --tls-certificate and --tls-key";
  if ((user != NULL) != (password_file != NULL))
    return "--user and --password-file go together";
  if (user != NULL && *user == '\0')
    return "--user cannot be empty";
  if (unavailable_first < 0)
    return "--unavailable-first cannot be negative";
  if (max_size < 0 || max_size > MAX_SIZE_CEILING)
    return "--max-size must be between 0 (no limit of its own) and 1073741824";
  return NULL;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdMailSimServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autofree char *password = NULL;
  g_autofree char *url = NULL;
  const char *usage_error;

  setlocale (LC_ALL, "");
  /* stdout carries the one "listening on" line that starters wait for, and may be closed
   * after it; GLib would print debug messages there too. */
  g_log_writer_default_set_use_stderr (TRUE);
  g_option_context_add_main_entries (context, options, NULL);
  g_option_context_set_summary (context, "Run the Paydesk training mail server.");
  g_option_context_set_description (context, description);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    goto failed;

  usage_error = check_options ();
  if (usage_error != NULL)
    {
      g_printerr ("paydesk-mail-sim: %s\n", usage_error);
      return 2;
    }

  if ((tls_certificate_file != NULL &&
       !(certificate = g_tls_certificate_new_from_files (tls_certificate_file, tls_key_file,
                                                         &error))) ||
      (password_file != NULL && !(password = pd_secret_file_read (password_file, &error))))
    goto failed;

  if (password != NULL && *password == '\0')
    {
      g_printerr ("paydesk-mail-sim: the password in %s is empty\n", password_file);
      return 2;
    }

  server = pd_mail_sim_server_new (maildir, &error);
  if (server == NULL)
    goto failed;

  pd_mail_sim_server_set_tls_certificate (server, certificate, implicit_tls);
  pd_mail_sim_server_set_credentials (server, user, password);
  for (guint i = 0; rejected_domains != NULL && rejected_domains[i] != NULL; i++)
    pd_mail_sim_server_add_rejected_domain (server, rejected_domains[i]);
  for (guint i = 0; deferred_domains != NULL && deferred_domains[i] != NULL; i++)
    pd_mail_sim_server_add_deferred_domain (server, deferred_domains[i]);
  pd_mail_sim_server_set_unavailable_first (server, (guint) unavailable_first);
  pd_mail_sim_server_set_max_size (server, (guint64) max_size);

  if (!pd_mail_sim_server_listen (server, listen_address, &error))
    goto failed;

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, stop, loop);
  g_unix_signal_add (SIGINT, stop, loop);

  url = pd_mail_sim_server_dup_url (server);
  g_print ("listening on %s\n", url);
  fflush (stdout);

  g_main_loop_run (loop);

  /* Every connection ends and its thread is joined before the program exits. */
  pd_mail_sim_server_stop (server);
  return 0;

failed:
  g_printerr ("paydesk-mail-sim: %s\n", error->message);
  return 2;
}
