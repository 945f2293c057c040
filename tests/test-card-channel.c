#include <netinet/in.h>
#include <netinet/tcp.h>

#include <string.h>

#include <PCSC/winscard.h>

#include "pd-card-channel.h"
#include "pd-test-common.h"

/* Runs under tests/pcsc/run-with-pcscd: a private pcscd with the vpcd driver. The card below
 * speaks the vpcd protocol on slot 0 and answers like a T=0 card that wants GET RESPONSE
 * and corrected Le values. */

#define READER "Virtual PCD 00 00"
#define VPCD_PORT 35963

static const guint8 test_atr[] = { 0x3b, 0x88, 0x80, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                                   0x00, 0x00 };

typedef struct {
  GSocket *socket;
  GThread *thread;
  /* What the card still owes for GET RESPONSE. */
  GByteArray *pending;
  guint commands;
} VirtualCard;

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

/* Returns FALSE when the card is "pulled": it goes away without answering. */
static gboolean
answer (VirtualCard  *card,
        const guint8 *apdu,
        gsize         length,
        GByteArray   *reply)
{
  guint8 ins = apdu[1];

  card->commands++;
  switch (ins)
    {
    case 0xa4: /* SELECT: the FCI comes by GET RESPONSE */
      g_byte_array_set_size (card->pending, 0);
      for (guint8 i = 0; i < 0x1e; i++)
        g_byte_array_append (card->pending, &i, 1);
      g_byte_array_append (reply, (const guint8 *) "\x61\x1e", 2);
      return TRUE;

    case 0xca: /* GET DATA: eight bytes in two helpings */
      g_byte_array_set_size (card->pending, 0);
      g_byte_array_append (card->pending, (const guint8 *) "\x9f\x36\x02\x00\x1c\xaa\xbb\xcc", 8);
      g_byte_array_append (reply, (const guint8 *) "\x61\x05", 2);
      return TRUE;

    case 0xc0: /* GET RESPONSE */
      {
        guint n = MIN (apdu[4], card->pending->len);

        g_byte_array_append (reply, card->pending->data, n);
        g_byte_array_remove_range (card->pending, 0, n);
        if (card->pending->len > 0)
          {
            guint8 more[2] = { 0x61, (guint8) card->pending->len };
            g_byte_array_append (reply, more, 2);
          }
        else
          g_byte_array_append (reply, (const guint8 *) "\x90\x00", 2);
        return TRUE;
      }

    case 0xb2: /* READ RECORD: wrong Le first */
      if (length < 5 || apdu[4] != 0x20)
        {
          g_byte_array_append (reply, (const guint8 *) "\x6c\x20", 2);
          return TRUE;
        }
      for (guint8 i = 0; i < 0x20; i++)
        {
          guint8 byte = (guint8) (0x70 + i);
          g_byte_array_append (reply, &byte, 1);
        }
      g_byte_array_append (reply, (const guint8 *) "\x90\x00", 2);
      return TRUE;

    case 0xae: /* GENERATE AC: the member pulls the card */
      return FALSE;

    default:
      g_byte_array_append (reply, (const guint8 *) "\x6d\x00", 2);
      return TRUE;
    }
}

static gpointer
run_card (gpointer data)
{
  VirtualCard *card = data;

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
            send_frame (card->socket, test_atr, sizeof test_atr);
          continue;
        }

      if (!answer (card, payload, length, reply))
        break;
      send_frame (card->socket, reply->data, reply->len);
    }

  g_socket_close (card->socket, NULL);
  return NULL;
}

static VirtualCard *
insert_card (void)
{
  VirtualCard *card = g_new0 (VirtualCard, 1);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new_from_string ("127.0.0.1",
                                                                             VPCD_PORT);
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

  card->pending = g_byte_array_new ();
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
static void
wait_until_reader_empty (void)
{
  SCARDCONTEXT context;
  SCARD_READERSTATE state = { 0 };
  gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

  g_assert_cmpint (SCardEstablishContext (SCARD_SCOPE_SYSTEM, NULL, NULL, &context), ==,
                   SCARD_S_SUCCESS);
  state.szReader = READER;
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

static void
remove_card (VirtualCard *card)
{
  g_socket_shutdown (card->socket, TRUE, TRUE, NULL);
  g_thread_join (card->thread);
  g_object_unref (card->socket);
  g_byte_array_unref (card->pending);
  g_free (card);
  wait_until_reader_empty ();
}

static PdCardChannel *
open_when_present (void)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      PdCardChannel *channel = pd_card_channel_open (READER, &error);

      if (channel != NULL)
        return channel;
      g_assert_error (error, PD_CARD_ERROR, PD_CARD_ERROR_NO_CARD);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (20 * 1000);
    }
}

static void
test_get_response_and_le (void)
{
  VirtualCard *card = insert_card ();
  g_autoptr(PdCardChannel) channel = open_when_present ();
  static const guint8 select_pse[] = { 0x00, 0xa4, 0x04, 0x00, 0x0e, '1', 'P', 'A', 'Y', '.',
                                       'S', 'Y', 'S', '.', 'D', 'D', 'F', '0', '1', 0x00 };
  static const guint8 read_record[] = { 0x00, 0xb2, 0x01, 0x0c, 0x00 };
  static const guint8 get_data[] = { 0x80, 0xca, 0x9f, 0x36, 0x00 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) fci = NULL;
  g_autoptr(GBytes) record = NULL;
  g_autoptr(GBytes) atc = NULL;
  guint16 sw = 0;

  g_assert_cmpmem (g_bytes_get_data (pd_card_channel_get_atr (channel), NULL),
                   g_bytes_get_size (pd_card_channel_get_atr (channel)), test_atr,
                   sizeof test_atr);

  /* 61 1E, then GET RESPONSE for 30 bytes. */
  fci = pd_card_channel_transmit (channel, select_pse, sizeof select_pse, &sw, &error);
  g_assert_no_error (error);
  g_assert_cmphex (sw, ==, 0x9000);
  g_assert_cmpuint (g_bytes_get_size (fci), ==, 0x1e);
  g_assert_cmpuint (((const guint8 *) g_bytes_get_data (fci, NULL))[0x1d], ==, 0x1d);

  /* 6C 20, then the same command with Le 20. */
  record = pd_card_channel_transmit (channel, read_record, sizeof read_record, &sw, &error);
  g_assert_no_error (error);
  g_assert_cmphex (sw, ==, 0x9000);
  g_assert_cmpuint (g_bytes_get_size (record), ==, 0x20);
  g_assert_cmpuint (((const guint8 *) g_bytes_get_data (record, NULL))[0], ==, 0x70);

  /* 61 05, then 61 03 after the first helping: both parts, in order. */
  atc = pd_card_channel_transmit (channel, get_data, sizeof get_data, &sw, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (atc, NULL), g_bytes_get_size (atc),
                   "\x9f\x36\x02\x00\x1c\xaa\xbb\xcc", 8);

  /* Three commands took seven exchanges with the card. */
  g_assert_cmpuint (pd_card_channel_get_exchanges (channel), ==, 7);
  g_assert_cmpint (pd_card_channel_get_transmit_time (channel), >, 0);

  g_clear_pointer (&channel, pd_card_channel_free);
  remove_card (card);
}

/* The member pulls the card in the middle of the transaction: a clean error that says so. */
static void
test_card_pulled (void)
{
  VirtualCard *card = insert_card ();
  g_autoptr(PdCardChannel) channel = open_when_present ();
  static const guint8 generate_ac[] = { 0x80, 0xae, 0x80, 0x00, 0x02, 0x00, 0x00, 0x00 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) nothing = NULL;
  guint16 sw = 0;

  nothing = pd_card_channel_transmit (channel, generate_ac, sizeof generate_ac, &sw, &error);
  g_assert_null (nothing);
  g_test_message ("card pulled: %s", error->message);
  g_assert_error (error, PD_CARD_ERROR, PD_CARD_ERROR_REMOVED);

  g_clear_pointer (&channel, pd_card_channel_free);
  remove_card (card);
}

static void
test_no_card (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdCardChannel) channel = pd_card_channel_open ("Virtual PCD 00 01", &error);

  g_assert_null (channel);
  g_assert_error (error, PD_CARD_ERROR, PD_CARD_ERROR_NO_CARD);
}

int
main (int    argc,
      char **argv)
{
  pd_test_init (&argc, &argv);

  g_test_add_func ("/card-channel/get-response-and-le", test_get_response_and_le);
  g_test_add_func ("/card-channel/card-pulled", test_card_pulled);
  g_test_add_func ("/card-channel/no-card", test_no_card);

  return g_test_run ();
}
