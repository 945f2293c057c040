#include <string.h>

#include "pd-card-channel.h"
#include "pd-card-readers.h"
#include "pd-test-common.h"
#include "pd-test-vpcd.h"

/* Runs under tests/common/run-with-pcscd: a private pcscd with the vpcd driver. The card below
 * speaks the vpcd protocol on slot 0 and answers like a T=0 card that wants GET RESPONSE
 * and corrected Le values. */

typedef struct {
  /* What the card still owes for GET RESPONSE. */
  GByteArray *pending;
} ScriptedCard;

/* Returns FALSE when the card is "pulled": it goes away without answering. */
static gboolean
answer (gpointer      data,
        const guint8 *apdu,
        gsize         length,
        GByteArray   *reply)
{
  ScriptedCard *card = data;
  guint8 ins = apdu[1];

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

static PdCardChannel *
open_when_present (void)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      PdCardChannel *channel = pd_card_channel_open (PD_TEST_VPCD_READER, &error);

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
  ScriptedCard script = { g_byte_array_new () };
  PdTestCard *card = pd_test_card_insert (answer, &script);
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
                   g_bytes_get_size (pd_card_channel_get_atr (channel)), pd_test_card_atr,
                   sizeof pd_test_card_atr);

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
  pd_test_card_remove (card);
  g_byte_array_unref (script.pending);
}

/* The member pulls the card in the middle of the transaction: a clean error that says so. */
static void
test_card_pulled (void)
{
  ScriptedCard script = { g_byte_array_new () };
  PdTestCard *card = pd_test_card_insert (answer, &script);
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
  pd_test_card_remove (card);
  g_byte_array_unref (script.pending);
}

static void
test_no_card (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdCardChannel) channel = pd_card_channel_open ("Virtual PCD 00 01", &error);

  g_assert_null (channel);
  g_assert_error (error, PD_CARD_ERROR, PD_CARD_ERROR_NO_CARD);
}

/* The readers pcscd lists here are vpcd's: a terminal told nothing about its readers (a
 * production one takes any) leaves them out, and one that names them (training) takes them. */
static void
test_virtual_readers_only_when_named (void)
{
  const char *named[] = { "Virtual PCD", NULL };
  g_autoptr(GPtrArray) any = NULL;
  g_autoptr(GPtrArray) training = NULL;
  g_autoptr(GError) error = NULL;

  any = pd_card_readers_list (NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (any->len, ==, 0);

  training = pd_card_readers_list (named, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (training->len, ==, 2);
}

int
main (int    argc,
      char **argv)
{
  pd_test_init (&argc, &argv);

  g_test_add_func ("/card-channel/get-response-and-le", test_get_response_and_le);
  g_test_add_func ("/card-channel/card-pulled", test_card_pulled);
  g_test_add_func ("/card-channel/no-card", test_no_card);
  g_test_add_func ("/card-channel/virtual-readers-only-when-named",
                   test_virtual_readers_only_when_named);

  return g_test_run ();
}
