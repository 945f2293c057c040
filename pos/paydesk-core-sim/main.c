#include <locale.h>
#include <stdio.h>

#include <glib-unix.h>

#include "pd-secret-file.h"
#include "pd-sim-ledger.h"
#include "pd-sim-server.h"

static char *listen_address = NULL;
static char *db_path = NULL;
static char *seed_path = NULL;
static char *token_file = NULL;
static char *sealing_key_file = NULL;
static char *tls_certificate_file = NULL;
static char *tls_key_file = NULL;
static char *tls_client_ca_file = NULL;
/* The public EMV test key; every training card is personalized from it. */
static char *issuer_master_key = NULL;
#define PUBLIC_TEST_ISSUER_MASTER_KEY "0123456789ABCDEFFEDCBA9876543210"

static const GOptionEntry options[] = {
  { "listen", 'l', 0, G_OPTION_ARG_STRING, &listen_address,
    "Listen on HOST:PORT, loopback only (port 0: any free port)", "HOST:PORT" },
  { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, "Keep the ledger in FILE (SQLite)", "FILE" },
  { "seed", 0, 0, G_OPTION_ARG_FILENAME, &seed_path,
    "Load members from FILE into an empty ledger", "FILE" },
  { "token-file", 0, 0, G_OPTION_ARG_FILENAME, &token_file,
    "Require the bearer token in FILE (default: no token)", "FILE" },
  { "sealing-key", 0, 0, G_OPTION_ARG_FILENAME, &sealing_key_file,
    "The core's private sealing key (base64)", "FILE" },
  { "tls-certificate", 0, 0, G_OPTION_ARG_FILENAME, &tls_certificate_file,
    "Serve HTTPS with the certificate in FILE (PEM)", "FILE" },
  { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &tls_key_file,
    "The private key of --tls-certificate (PEM)", "FILE" },
  { "tls-client-ca", 0, 0, G_OPTION_ARG_FILENAME, &tls_client_ca_file,
    "Require terminals to present a client certificate issued by the CA in FILE", "FILE" },
  { "issuer-master-key", 0, 0, G_OPTION_ARG_STRING, &issuer_master_key,
    "Issuer master key (AC) for card cryptograms, 32 hex digits (default: the public EMV test "
    "key)", "HEX" },
  G_OPTION_ENTRY_NULL
};

static const char description[] =
  "The training payment core: the payment core API (pos/core/core-api.md) on loopback, with a\n"
  "ledger in SQLite. It prints \"listening on URL\" once it accepts requests.\n"
  "\n"
  "Cards: Visa CVN 10 and 18 and Mastercard CVN 16 cryptograms are checked against\n"
  "keys derived from --issuer-master-key (EMV option A, PSN from tag 5F34); a wrong one\n"
  "is declined as cryptogram_failed. Other cryptograms are approved unverified.\n"
  "\n"
  "Declines: amounts ending in 51 cents are declined. More through the control endpoint,\n"
  "from this machine only:\n"
  "  POST /_sim/faults {\"fault\": \"status\"|\"timeout\"|\"reset\"|\"slow\"|\"malformed\",\n"
  "                     \"count\": N, \"status\": 503, \"delay_ms\": 2000,\n"
  "                     \"after_processing\": true,\n"
  "                     \"method\": \"POST\", \"path\": \"/v1/payments\"}\n"
  "    (method and path, a prefix, pick which requests the fault hits; by default, any)\n"
  "  POST /_sim/faults {\"fault\": \"answer\", \"body\": \"{\\\"payments\\\": [1]}\"}\n"
  "    (answers 200 with that JSON text: a well-formed answer of the wrong shape)\n"
  "  POST /_sim/faults {\"decline_amount_cents\": 4200} or {\"decline_account\": \"…\"}\n"
  "  POST /_sim/faults {\"issuer_scripts\": \"7207...\"}  scripts for the next card approval\n"
  "  POST /_sim/faults {\"clear\": true}\n"
  "  GET  /_sim/ledger  every payment the core has answered\n";

static gboolean
stop (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}


/* The training key is published with Paydesk (assets/), so it is read as it is, whatever its
 * mode; a training core's token stays a secret of its own. */
static char *
read_sealing_key (const char  *path,
                  GError     **error)
{
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, error))
    return NULL;
  return g_strstrip (contents);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdSimLedger) ledger = NULL;
  g_autoptr(PdSimServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *token = NULL;
  g_autofree char *sealing_key = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, options, NULL);
  g_option_context_set_summary (context, "Run the Paydesk training payment core.");
  g_option_context_set_description (context, description);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    goto failed;

  if (listen_address == NULL || db_path == NULL || sealing_key_file == NULL)
    {
      g_printerr ("paydesk-core-sim: --listen, --db and --sealing-key are required\n");
      return 2;
    }

  if ((tls_certificate_file != NULL) != (tls_key_file != NULL))
    {
      g_printerr ("paydesk-core-sim: --tls-certificate and --tls-key go together\n");
      return 2;
    }

  if ((tls_certificate_file != NULL &&
       !(certificate = g_tls_certificate_new_from_files (tls_certificate_file, tls_key_file,
                                                         &error))) ||
      (token_file != NULL && !(token = pd_secret_file_read (token_file, &error))) ||
      !(sealing_key = read_sealing_key (sealing_key_file, &error)) ||
      !(ledger = pd_sim_ledger_open (db_path, &error)) ||
      (seed_path != NULL && !pd_sim_ledger_load_seed (ledger, seed_path, &error)) ||
      !(server = pd_sim_server_new (ledger, token, sealing_key, certificate, &error)) ||
      (tls_client_ca_file != NULL &&
       !pd_sim_server_require_client_certificates (server, tls_client_ca_file, &error)) ||
      !pd_sim_server_set_issuer_master_key (server, issuer_master_key != NULL
                                                    ? issuer_master_key
                                                    : PUBLIC_TEST_ISSUER_MASTER_KEY, &error) ||
      !pd_sim_server_listen (server, listen_address, &error))
    goto failed;

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, stop, loop);
  g_unix_signal_add (SIGINT, stop, loop);

  url = pd_sim_server_dup_base_url (server);
  g_print ("listening on %s\n", url);
  fflush (stdout);

  g_main_loop_run (loop);
  return 0;

failed:
  g_printerr ("paydesk-core-sim: %s\n", error->message);
  return 2;
}
