#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include <PCSC/winscard.h>

#include "pd-test-vpcd.h"
#include "pd-vpcd-link.h"

const guint8 pd_test_card_atr[12] = { 0x3b, 0x88, 0x80, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
                                      0x00, 0x00, 0x00 };

/* The vpcd protocol is devices/training/pd-vpcd-link.c's, as paydesk-vcard speaks it; a
 * test card only brings its answers. */
struct _PdTestCard {
  PdVpcdLink *link;
  GCancellable *cancellable;
  GThread *thread;
  PdTestCardAnswer answer;
  gpointer card_data;
};

static GBytes *
get_atr (gpointer data)
{
  return g_bytes_new_static (pd_test_card_atr, sizeof pd_test_card_atr);
}

static gboolean
answer (gpointer      data,
        const guint8 *apdu,
        gsize         length,
        GByteArray   *response)
{
  PdTestCard *card = data;

  return card->answer (card->card_data, apdu, length, response);
}

static gpointer
run_card (gpointer data)
{
  static const PdVpcdCard scripted = { NULL, get_atr, answer };
  PdTestCard *card = data;
  g_autoptr(GError) error = NULL;

  if (pd_vpcd_link_serve (card->link, &scripted, card, card->cancellable, &error) ==
      PD_VPCD_END_FAILED)
    g_test_message ("the virtual card's connection failed: %s", error->message);

  /* Pulled or not, the card is out of the reader from here. */
  g_clear_pointer (&card->link, pd_vpcd_link_free);
  return NULL;
}

PdTestCard *
pd_test_card_insert (PdTestCardAnswer answer_func,
                     gpointer         card_data)
{
  PdTestCard *card = g_new0 (PdTestCard, 1);
  g_autoptr(GError) error = NULL;

  card->answer = answer_func;
  card->card_data = card_data;
  card->cancellable = g_cancellable_new ();
  card->link = pd_vpcd_link_connect (PD_TEST_VPCD_PORT, 10 * 1000, NULL, &error);
  g_assert_no_error (error);

  card->thread = g_thread_new ("virtual-card", run_card, card);
  return card;
}

/* Waits, on pcscd's events, until the reader says it is empty: the next test must not meet
 * the last test's card. */
void
pd_test_card_wait_until_reader_empty (void)
{
  SCARDCONTEXT context;
  SCARD_READERSTATE state = { 0 };
  gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

  g_assert_cmpint (SCardEstablishContext (SCARD_SCOPE_SYSTEM, NULL, NULL, &context), ==,
                   SCARD_S_SUCCESS);
  state.szReader = PD_TEST_VPCD_READER;
  state.dwCurrentState = SCARD_STATE_UNAWARE;

  for (;;)
    {
      LONG rc = SCardGetStatusChange (context, 500, &state, 1);

      g_assert_true (rc == SCARD_S_SUCCESS || rc == SCARD_E_TIMEOUT);
      if (state.dwEventState & SCARD_STATE_EMPTY)
        break;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      state.dwCurrentState = state.dwEventState & ~SCARD_STATE_CHANGED;
    }

  SCardReleaseContext (context);
}

void
pd_test_card_remove (PdTestCard *card)
{
  g_cancellable_cancel (card->cancellable);
  g_thread_join (card->thread);
  g_object_unref (card->cancellable);
  g_free (card);
  pd_test_card_wait_until_reader_empty ();
}

/* A card or any other helper must not outlive the test that started it. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

GSubprocess *
pd_test_vcard_insert (const char  *profile,
                      GError     **error)
{
  const char *argv[] = { g_getenv ("PAYDESK_VCARD"), "--profile", profile, NULL };
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (
                                              G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) card = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autofree char *line = NULL;

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  card = g_subprocess_launcher_spawnv (launcher, argv, error);
  if (card == NULL)
    return NULL;

  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (card));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, error);
  if (line == NULL || strstr (line, "inserted") == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                     "paydesk-vcard --profile %s did not insert its card", profile);
      g_subprocess_force_exit (card);
      return NULL;
    }

  return g_steal_pointer (&card);
}

void
pd_test_vcard_remove (GSubprocess *card)
{
  g_subprocess_send_signal (card, SIGTERM);
  g_subprocess_wait (card, NULL, NULL);
  g_object_unref (card);
  pd_test_card_wait_until_reader_empty ();
}
