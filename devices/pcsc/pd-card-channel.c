#include <string.h>

#include <glib/gi18n-lib.h>
#include <PCSC/winscard.h>

#include "pd-card-channel.h"
#include "pd-tlv.h"

G_DEFINE_QUARK (pd-card-error-quark, pd_card_error)

/* A card that keeps answering 61xx or 6Cxx is broken; stop after this many exchanges. */
#define MAX_EXCHANGES_PER_COMMAND 16
#define MAX_RESPONSE_BYTES 4096

struct _PdCardChannel {
  SCARDCONTEXT context;
  char *reader_name;
  SCARDHANDLE card;
  DWORD protocol;
  GBytes *atr;
  guint exchanges;
  gint64 transmit_time;
};

void
pd_card_channel_free (PdCardChannel *channel)
{
  if (channel == NULL)
    return;

  if (channel->card != 0)
    SCardDisconnect (channel->card, SCARD_UNPOWER_CARD);
  if (channel->context != 0)
    SCardReleaseContext (channel->context);
  g_clear_pointer (&channel->atr, g_bytes_unref);
  g_free (channel->reader_name);
  g_free (channel);
}

/* A card pulled out is an everyday event at a counter, not a failure of the terminal. */
static void
set_pcsc_error (GError **error,
                LONG     rc)
{
  switch (rc)
    {
    case SCARD_E_NO_SERVICE:
    case SCARD_E_SERVICE_STOPPED:
      g_set_error (error, PD_CARD_ERROR, PD_CARD_ERROR_NO_SERVICE,
                   _("The card reader service (pcscd) is not running."));
      break;
    case SCARD_E_NO_SMARTCARD:
      g_set_error (error, PD_CARD_ERROR, PD_CARD_ERROR_NO_CARD, _("There is no card in the reader."));
      break;
    case SCARD_W_REMOVED_CARD:
    case SCARD_W_RESET_CARD:
    case SCARD_E_READER_UNAVAILABLE:
      g_set_error (error, PD_CARD_ERROR, PD_CARD_ERROR_REMOVED,
                   _("The card was removed before the payment was finished."));
      break;
    default:
      g_set_error (error, PD_CARD_ERROR, PD_CARD_ERROR_FAILED,
                   _("The card reader failed (%s)."), pcsc_stringify_error (rc));
      break;
    }
}

PdCardChannel *
pd_card_channel_open (const char  *reader_name,
                      GError     **error)
{
  g_autoptr(PdCardChannel) channel = g_new0 (PdCardChannel, 1);
  BYTE atr[MAX_ATR_SIZE];
  DWORD atr_length = sizeof atr;
  DWORD state = 0;
  DWORD protocol = 0;
  char name[256];
  DWORD name_length = sizeof name;
  LONG rc;

  g_return_val_if_fail (reader_name != NULL, NULL);

  if ((rc = SCardEstablishContext (SCARD_SCOPE_SYSTEM, NULL, NULL, &channel->context)) !=
      SCARD_S_SUCCESS)
    {
      set_pcsc_error (error, rc);
      return NULL;
    }

  if ((rc = SCardConnect (channel->context, reader_name, SCARD_SHARE_EXCLUSIVE,
                          SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &channel->card,
                          &channel->protocol)) != SCARD_S_SUCCESS ||
      (rc = SCardStatus (channel->card, name, &name_length, &state, &protocol, atr,
                         &atr_length)) != SCARD_S_SUCCESS)
    {
      set_pcsc_error (error, rc);
      return NULL;
    }

  channel->atr = g_bytes_new (atr, atr_length);
  channel->reader_name = g_strdup (reader_name);
  return g_steal_pointer (&channel);
}

GBytes *
pd_card_channel_get_atr (PdCardChannel *channel)
{
  g_return_val_if_fail (channel != NULL, NULL);
  return channel->atr;
}

guint
pd_card_channel_get_exchanges (PdCardChannel *channel)
{
  g_return_val_if_fail (channel != NULL, 0);
  return channel->exchanges;
}

/* Microseconds spent inside SCardTransmit: the card's and the reader's share of a payment. */
gint64
pd_card_channel_get_transmit_time (PdCardChannel *channel)
{
  g_return_val_if_fail (channel != NULL, 0);
  return channel->transmit_time;
}

/* A transmission that failed because the card left looks, at first, like any failed one (or
 * like an empty answer): ask the reader whether the card is still there, waiting for its
 * next event (pcscd polls readers a few times a second), two seconds at most. */
static gboolean
card_was_removed (PdCardChannel *channel)
{
  SCARD_READERSTATE state = { 0 };
  gint64 deadline = g_get_monotonic_time () + 2 * G_TIME_SPAN_SECOND;

  state.szReader = channel->reader_name;
  state.dwCurrentState = SCARD_STATE_UNAWARE;

  while (g_get_monotonic_time () < deadline)
    {
      LONG rc = SCardGetStatusChange (channel->context,
                                      (DWORD) ((deadline - g_get_monotonic_time ()) / 1000),
                                      &state, 1);

      if (rc != SCARD_S_SUCCESS)
        return rc == SCARD_E_READER_UNAVAILABLE || rc == SCARD_E_UNKNOWN_READER;
      if (state.dwEventState & (SCARD_STATE_EMPTY | SCARD_STATE_UNAVAILABLE))
        return TRUE;
      state.dwCurrentState = state.dwEventState & ~SCARD_STATE_CHANGED;
    }

  return FALSE;
}

static gboolean
exchange (PdCardChannel  *channel,
          const guint8   *apdu,
          gsize           length,
          guint8         *response,
          gsize          *response_length,
          GError        **error)
{
  const SCARD_IO_REQUEST *pci = channel->protocol == SCARD_PROTOCOL_T0 ? SCARD_PCI_T0
                                                                      : SCARD_PCI_T1;
  DWORD received = (DWORD) *response_length;
  gint64 start = g_get_monotonic_time ();
  LONG rc = SCardTransmit (channel->card, pci, apdu, (DWORD) length, NULL, response, &received);

  channel->transmit_time += g_get_monotonic_time () - start;
  channel->exchanges++;

  if (rc == SCARD_E_NOT_TRANSACTED && card_was_removed (channel))
    rc = SCARD_W_REMOVED_CARD;

  if (rc != SCARD_S_SUCCESS)
    {
      set_pcsc_error (error, rc);
      return FALSE;
    }

  if (received < 2)
    {
      if (card_was_removed (channel))
        set_pcsc_error (error, SCARD_W_REMOVED_CARD);
      else
        g_set_error (error, PD_CARD_ERROR, PD_CARD_ERROR_BAD_RESPONSE,
                     _("The card gave an answer without a status."));
      return FALSE;
    }

  *response_length = received;
  return TRUE;
}

/* Sends one command APDU and returns the response data, following the card's T=0 requests:
 * 61xx (more data: GET RESPONSE for xx bytes, as often as it takes) and 6Cxx (wrong Le: send
 * the same command again with Le = xx). */
/* The buffers held card data (a READ RECORD answer carries the PAN): zero them. */
static void
wipe_exchange (GByteArray *data,
               guint8     *response,
               gsize       response_size,
               guint8     *command,
               gsize       command_size)
{
  volatile guint8 *bytes;

  bytes = data->data;
  for (guint i = 0; i < data->len; i++)
    bytes[i] = 0;
  bytes = response;
  for (gsize i = 0; i < response_size; i++)
    bytes[i] = 0;
  bytes = command;
  for (gsize i = 0; i < command_size; i++)
    bytes[i] = 0;
}

GBytes *
pd_card_channel_transmit (PdCardChannel  *channel,
                          const guint8   *apdu,
                          gsize           length,
                          guint16        *status_word,
                          GError        **error)
{
  /* Sized once: a GByteArray that grows leaves copies of card data behind. */
  g_autoptr(GByteArray) data = g_byte_array_sized_new (MAX_RESPONSE_BYTES + 258);
  g_autofree guint8 *command = NULL;
  guint8 response[258];
  GBytes *answer = NULL;
  gsize command_length = length;

  g_return_val_if_fail (channel != NULL, NULL);
  g_return_val_if_fail (apdu != NULL && length >= 4, NULL);
  g_return_val_if_fail (status_word != NULL, NULL);

  command = g_malloc (length + 1);
  memcpy (command, apdu, length);

  for (guint round = 0; round < MAX_EXCHANGES_PER_COMMAND && answer == NULL; round++)
    {
      gsize response_length = sizeof response;
      guint8 sw1, sw2;

      if (!exchange (channel, command, command_length, response, &response_length, error))
        break;

      sw1 = response[response_length - 2];
      sw2 = response[response_length - 1];
      g_byte_array_append (data, response, (guint) response_length - 2);

      if (data->len > MAX_RESPONSE_BYTES)
        {
          g_set_error (error, PD_CARD_ERROR, PD_CARD_ERROR_BAD_RESPONSE,
                       _("The card kept asking for more exchanges than a payment needs."));
          break;
        }

      if (sw1 == 0x61)
        {
          const guint8 get_response[] = { 0x00, 0xc0, 0x00, 0x00, sw2 };

          memcpy (command, get_response, sizeof get_response);
          command_length = sizeof get_response;
          continue;
        }

      if (sw1 == 0x6c)
        {
          /* Case 2 and 4 commands end in Le; a case 1 or 3 command gains one. */
          gboolean has_le = length == 5 || (length > 5 && length == 5u + apdu[4] + 1);

          memset (data->data, 0, data->len);
          g_byte_array_set_size (data, 0);
          memcpy (command, apdu, length);
          command_length = has_le ? length : length + 1;
          command[command_length - 1] = sw2;
          continue;
        }

      *status_word = (guint16) (sw1 << 8 | sw2);
      answer = pd_bytes_new_wiped (data->data, data->len);
    }

  if (answer == NULL && error != NULL && *error == NULL)
    g_set_error (error, PD_CARD_ERROR, PD_CARD_ERROR_BAD_RESPONSE,
                 _("The card kept asking for more exchanges than a payment needs."));
  wipe_exchange (data, response, sizeof response, command, length + 1);
  return answer;
}
