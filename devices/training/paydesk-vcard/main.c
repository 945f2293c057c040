#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <glib-unix.h>
#include <openssl/crypto.h>

#include "pd-hex.h"
#include "pd-virtual-card.h"
#include "pd-vpcd-link.h"

/* paydesk-vcard: a virtual EMV card, from a profile of tests/fixtures/cards, inserted in a
 * vpcd virtual reader until SIGINT or SIGTERM takes it out. */

#define CONNECT_TIMEOUT_MS (10 * 1000)

static char *profile_option;
static gint port_option = PD_VPCD_PORT_SLOT_0;
static char *issuer_master_key_option;
static gboolean list_option;
static gboolean verbose_option;

static const GOptionEntry options[] = {
  { "profile", 'p', 0, G_OPTION_ARG_FILENAME, &profile_option,
    "The card: a profile name (see --list) or a profile file", "NAME|FILE" },
  { "port", 0, 0, G_OPTION_ARG_INT, &port_option,
    "The vpcd slot's TCP port (35963 is slot 0, 35964 slot 1)", "N" },
  { "issuer-master-key", 0, 0, G_OPTION_ARG_STRING, &issuer_master_key_option,
    "Issuer master key for the cryptograms, 32 hex digits (default: the training core's, "
    "0123456789ABCDEFFEDCBA9876543210)", "HEX" },
  { "list", 0, 0, G_OPTION_ARG_NONE, &list_option, "List the card profiles and exit", NULL },
  { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose_option,
    "Print each command's header and status word (never its data)", NULL },
  { NULL },
};

typedef struct {
  PdVirtualCard *card;
  guint16 port;
  GCancellable *cancellable;
  GMainLoop *loop;
  PdVpcdEnd end;
  GError *error;
} Session;

static const char *
profiles_dir (void)
{
  const char *dir = g_getenv ("PAYDESK_CARD_PROFILES");

  return dir != NULL && *dir != '\0' ? dir : PAYDESK_SOURCE_CARD_PROFILES_DIR;
}

static char *
describe_slot (guint16 port)
{
  if (port >= PD_VPCD_PORT_SLOT_0 && port < PD_VPCD_PORT_SLOT_0 + 16)
    return g_strdup_printf ("slot %u", port - PD_VPCD_PORT_SLOT_0);
  return g_strdup_printf ("the vpcd slot on port %u", port);
}

static gint
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

/* Name, masked account and description of every profile: what a trainer picks from. */
static int
list_profiles (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (profiles_dir (), 0, &error);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (dir == NULL)
    {
      g_printerr ("paydesk-vcard: %s\n", error->message);
      return 1;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".json"))
      g_ptr_array_add (files, g_build_filename (profiles_dir (), name, NULL));
  g_ptr_array_sort (files, compare_paths);

  for (guint i = 0; i < files->len; i++)
    {
      g_autoptr(GError) load_error = NULL;
      g_autoptr(PdCardProfile) profile = pd_card_profile_load (g_ptr_array_index (files, i),
                                                               &load_error);
      const PdCardApplication *app;
      g_autofree char *masked = NULL;

      if (profile == NULL)
        {
          g_print ("(broken) %s\n", load_error->message);
          continue;
        }
      app = g_ptr_array_index (profile->applications, 0);
      masked = pd_card_mask_pan (app->pan);
      g_print ("%-24s %-20s %s\n", profile->name, masked,
               profile->description != NULL ? profile->description : "");
    }

  return 0;
}

static gboolean
parse_issuer_master_key (const char  *hex,
                         guint8       key[PD_ISSUER_MASTER_KEY_BYTES],
                         GError     **error)
{
  if (hex == NULL)
    {
      memcpy (key, pd_virtual_card_default_issuer_master_key, PD_ISSUER_MASTER_KEY_BYTES);
      return TRUE;
    }

  /* Exactly 32 digits, or key is left alone: shorter hex would fill only part of it. */
  if (strlen (hex) == 2 * PD_ISSUER_MASTER_KEY_BYTES &&
      pd_hex_decode (hex, key, PD_ISSUER_MASTER_KEY_BYTES, NULL))
    return TRUE;

  g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--issuer-master-key takes 32 hex digits");
  return FALSE;
}

static PdVirtualCard *
make_card (GError **error)
{
  g_autofree char *path = pd_card_profile_resolve (profile_option, profiles_dir ());
  PdCardProfile *profile = pd_card_profile_load (path, error);
  guint8 key[PD_ISSUER_MASTER_KEY_BYTES];
  PdVirtualCard *card;

  if (profile == NULL)
    return NULL;

  if (!parse_issuer_master_key (issuer_master_key_option, key, error))
    {
      pd_card_profile_free (profile);
      return NULL;
    }
  card = pd_virtual_card_new (profile, key, error);
  OPENSSL_cleanse (key, sizeof key);
  if (issuer_master_key_option != NULL)
    OPENSSL_cleanse (issuer_master_key_option, strlen (issuer_master_key_option));
  return card;
}

static void
card_reset (gpointer data)
{
  pd_virtual_card_reset (data);
}

static GBytes *
card_get_atr (gpointer data)
{
  return pd_virtual_card_get_atr (data);
}

static gboolean
card_answer (gpointer      data,
             const guint8 *apdu,
             gsize         length,
             GByteArray   *response)
{
  gboolean answered = pd_virtual_card_transmit (data, apdu, length, response);

  /* The header and status word only: command and response data may hold card data. */
  if (verbose_option && length >= 4)
    {
      if (answered && response->len >= 2)
        g_printerr ("%02X %02X %02X %02X (%" G_GSIZE_FORMAT " bytes) -> %02X%02X "
                    "(%u bytes)\n", apdu[0], apdu[1], apdu[2], apdu[3], length,
                    response->data[response->len - 2], response->data[response->len - 1],
                    response->len - 2);
      else
        g_printerr ("%02X %02X %02X %02X -> pulled\n", apdu[0], apdu[1], apdu[2], apdu[3]);
    }

  return answered;
}

static const PdVpcdCard vpcd_card = { card_reset, card_get_atr, card_answer };

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

/* The card's life in the reader, on a thread of its own: the main loop is left free for
 * the signals that take it out. */
static gpointer
run_card (gpointer data)
{
  Session *session = data;
  const PdCardProfile *profile = pd_virtual_card_get_profile (session->card);
  g_autoptr(PdVpcdLink) link = pd_vpcd_link_connect (session->port, CONNECT_TIMEOUT_MS,
                                                     session->cancellable, &session->error);
  g_autofree char *slot = describe_slot (session->port);

  if (link == NULL)
    {
      session->end = g_error_matches (session->error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                     ? PD_VPCD_END_REMOVED : PD_VPCD_END_FAILED;
      g_main_context_invoke (NULL, quit_loop, session->loop);
      return NULL;
    }

  g_print ("card %s inserted in %s\n", profile->name, slot);
  fflush (stdout);
  session->end = pd_vpcd_link_serve (link, &vpcd_card, session->card, session->cancellable,
                                     &session->error);
  g_main_context_invoke (NULL, quit_loop, session->loop);
  return NULL;
}

static gboolean
take_card_out (gpointer data)
{
  Session *session = data;

  g_cancellable_cancel (session->cancellable);
  return G_SOURCE_CONTINUE;
}

static int
report_end (Session *session)
{
  const PdCardProfile *profile = pd_virtual_card_get_profile (session->card);
  g_autofree char *slot = describe_slot (session->port);

  switch (session->end)
    {
    case PD_VPCD_END_REMOVED:
      g_printerr ("card %s removed from %s\n", profile->name, slot);
      return 0;
    case PD_VPCD_END_PULLED:
      g_printerr ("card %s pulled from %s, as its profile says\n", profile->name, slot);
      return 0;
    case PD_VPCD_END_READER_GONE:
      g_printerr ("the reader of %s went away (pcscd stopped?)\n", slot);
      return 0;
    case PD_VPCD_END_FAILED:
    default:
      g_printerr ("paydesk-vcard: %s\n", session->error->message);
      return 1;
    }
}

static int
run (PdVirtualCard *card)
{
  Session session = { .card = card, .port = (guint16) port_option };
  GThread *thread;
  guint sigint, sigterm;
  int status;

  session.cancellable = g_cancellable_new ();
  session.loop = g_main_loop_new (NULL, FALSE);
  sigint = g_unix_signal_add (SIGINT, take_card_out, &session);
  sigterm = g_unix_signal_add (SIGTERM, take_card_out, &session);

  thread = g_thread_new ("card", run_card, &session);
  g_main_loop_run (session.loop);
  g_thread_join (thread);

  status = report_end (&session);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  g_clear_error (&session.error);
  g_main_loop_unref (session.loop);
  g_object_unref (session.cancellable);
  return status;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- a virtual EMV card in a vpcd "
                                                            "reader");
  g_autoptr(GError) error = NULL;
  g_autoptr(PdVirtualCard) card = NULL;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, options, NULL);
  g_option_context_set_description (context,
                                    "The card stays in the reader until SIGINT or SIGTERM. "
                                    "Profiles are read from PAYDESK_CARD_PROFILES, by default\n"
                                    PAYDESK_SOURCE_CARD_PROFILES_DIR ".");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("paydesk-vcard: %s\n", error->message);
      return 2;
    }

  if (list_option)
    return list_profiles ();
  if (profile_option == NULL)
    {
      g_printerr ("paydesk-vcard: --profile NAME|FILE is needed (--list shows the names)\n");
      return 2;
    }
  if (port_option < 1 || port_option > G_MAXUINT16)
    {
      g_printerr ("paydesk-vcard: --port takes a TCP port\n");
      return 2;
    }

  if ((card = make_card (&error)) == NULL)
    {
      g_printerr ("paydesk-vcard: %s\n", error->message);
      return 1;
    }

  return run (card);
}
