#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

#include <PCSC/winscard.h>

#include "pd-test-vpcd.h"

const guint8 pd_test_card_atr[12] = { 0x3b, 0x88, 0x80, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
                                      0x00, 0x00, 0x00 };

struct _PdTestCard {
  GSocket *socket;
  GThread *thread;
  PdTestCardAnswer answer;
  gpointer card_data;
};

static gboolean
read_exact (GSocket *socket,
            guint8  *buffer,
            gsize    length)
{
  gsize got = 0;

  while (got < length)
    {
      gssize n = g_socket_receive (socket, (char *) buffer + got, length - got, NULL, NULL);

      if (n <= 0)
        return FALSE;
      got += (gsize) n;
    }

  return TRUE;
}

static void
send_frame (GSocket      *socket,
            const guint8 *data,
            gsize         length)
{
  guint8 frame[300];

  frame[0] = (guint8) (length >> 8);
  frame[1] = (guint8) length;
  memcpy (frame + 2, data, length);
  g_socket_send (socket, (const char *) frame, length + 2, NULL, NULL);
}

static gpointer
run_card (gpointer data)
{
  PdTestCard *card = data;

  for (;;)
    {
      guint8 header[2];
      guint8 payload[300];
      gsize length;
      g_autoptr(GByteArray) reply = g_byte_array_new ();

      if (!read_exact (card->socket, header, 2))
        break;
      length = (gsize) header[0] << 8 | header[1];
      if (length == 0 || length > sizeof payload || !read_exact (card->socket, payload, length))
        break;

      if (length == 1)
        {
          /* 04: get ATR; power on, off and reset need no answer. */
          if (payload[0] == 0x04)
            send_frame (card->socket, pd_test_card_atr, sizeof pd_test_card_atr);
          continue;
        }

      if (!card->answer (card->card_data, payload, length, reply))
        break;
      send_frame (card->socket, reply->data, reply->len);
    }

  g_socket_close (card->socket, NULL);
  return NULL;
}

PdTestCard *
pd_test_card_insert (PdTestCardAnswer answer,
                     gpointer         card_data)
{
  PdTestCard *card = g_new0 (PdTestCard, 1);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new_from_string ("127.0.0.1",
                                                                             PD_TEST_VPCD_PORT);
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

  card->answer = answer;
  card->card_data = card_data;
  card->socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                               G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_set_option (card->socket, IPPROTO_TCP, TCP_NODELAY, 1, NULL);

  /* vpcd listens once pcscd has loaded it. */
  while (!g_socket_connect (card->socket, address, NULL, NULL))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (20 * 1000);
    }

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
  g_socket_shutdown (card->socket, TRUE, TRUE, NULL);
  g_thread_join (card->thread);
  g_object_unref (card->socket);
  g_free (card);
  pd_test_card_wait_until_reader_empty ();
}
