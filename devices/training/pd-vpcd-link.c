#include <netinet/in.h>
#include <netinet/tcp.h>

#include "pd-vpcd-link.h"

/* Control codes, the one-byte payloads the driver sends. */
enum {
  VPCD_POWER_OFF = 0x00,
  VPCD_POWER_ON = 0x01,
  VPCD_RESET = 0x02,
  VPCD_GET_ATR = 0x04,
};

#define RETRY_INTERVAL_US (50 * 1000)

struct _PdVpcdLink {
  GSocket *socket;
};

void
pd_vpcd_link_free (PdVpcdLink *link)
{
  if (link == NULL)
    return;

  if (link->socket != NULL)
    g_socket_close (link->socket, NULL);
  g_clear_object (&link->socket);
  g_free (link);
}

static GSocket *
try_connect (GSocketAddress  *address,
             GCancellable    *cancellable,
             GError         **error)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, error);

  if (socket == NULL || !g_socket_connect (socket, address, cancellable, error))
    return NULL;

  /* Every APDU is a small message the other side waits for: never hold one back. */
  if (!g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, 1, error))
    return NULL;
  return g_steal_pointer (&socket);
}

PdVpcdLink *
pd_vpcd_link_connect (guint16        port,
                      guint          timeout_ms,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new_from_string (PD_VPCD_HOST,
                                                                             port);
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* The driver listens only once pcscd has loaded it, which may be after we start. */
  for (;;)
    {
      g_autoptr(GError) local_error = NULL;
      GSocket *socket = try_connect (address, cancellable, &local_error);

      if (socket != NULL)
        {
          PdVpcdLink *link = g_new0 (PdVpcdLink, 1);

          link->socket = socket;
          return link;
        }

      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
          g_get_monotonic_time () >= deadline)
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                      "no vpcd reader listens on %s port %u: ",
                                      PD_VPCD_HOST, port);
          return NULL;
        }

      g_usleep (RETRY_INTERVAL_US);
    }
}

/* Debian's vpcd writes a message's length and its payload in two writes: were the
 * acknowledgement of the first delayed, the second would wait for it (Nagle's algorithm on
 * its side). The kernel turns quick acknowledgements off again by itself, so this is asked
 * before every read. */
static void
acknowledge_quickly (GSocket *socket)
{
  g_socket_set_option (socket, IPPROTO_TCP, TCP_QUICKACK, 1, NULL);
}

/* FALSE with no error: the other side closed the connection. */
static gboolean
read_exact (GSocket       *socket,
            guint8        *buffer,
            gsize          length,
            GCancellable  *cancellable,
            GError       **error)
{
  gsize got = 0;

  while (got < length)
    {
      gssize n;

      acknowledge_quickly (socket);
      n = g_socket_receive (socket, (char *) buffer + got, length - got, cancellable, error);
      if (n <= 0)
        return FALSE;
      got += (gsize) n;
    }

  return TRUE;
}

static gboolean
send_message (GSocket       *socket,
              const guint8  *payload,
              gsize          length,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GByteArray) message = g_byte_array_sized_new ((guint) length + 2);
  guint8 header[2] = { (guint8) (length >> 8), (guint8) length };
  gsize sent = 0;

  g_return_val_if_fail (length <= G_MAXUINT16, FALSE);

  /* One write for length and payload: the driver reads them as they come. */
  g_byte_array_append (message, header, 2);
  g_byte_array_append (message, payload, (guint) length);
  while (sent < message->len)
    {
      gssize n = g_socket_send (socket, (const char *) message->data + sent,
                                message->len - sent, cancellable, error);

      if (n < 0)
        return FALSE;
      sent += (gsize) n;
    }

  return TRUE;
}

static gboolean
answer_control (PdVpcdLink        *link,
                guint8             code,
                const PdVpcdCard  *card,
                gpointer           card_data,
                GCancellable      *cancellable,
                GError           **error)
{
  g_autoptr(GBytes) atr = NULL;

  switch (code)
    {
    case VPCD_POWER_OFF:
    case VPCD_POWER_ON:
    case VPCD_RESET:
      if (card->reset != NULL)
        card->reset (card_data);
      return TRUE;

    case VPCD_GET_ATR:
      atr = card->get_atr (card_data);
      return send_message (link->socket, g_bytes_get_data (atr, NULL), g_bytes_get_size (atr),
                           cancellable, error);

    default:
      /* Unknown codes need no answer; the driver would not wait for one. */
      return TRUE;
    }
}

static PdVpcdEnd
end_of_reading (GError **error,
                GError  *read_error)
{
  if (read_error == NULL)
    return PD_VPCD_END_READER_GONE;
  if (g_error_matches (read_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_error_free (read_error);
      return PD_VPCD_END_REMOVED;
    }
  /* A reset connection is the driver going away too, only less politely. */
  if (g_error_matches (read_error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
      g_error_matches (read_error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE))
    {
      g_error_free (read_error);
      return PD_VPCD_END_READER_GONE;
    }

  g_propagate_error (error, read_error);
  return PD_VPCD_END_FAILED;
}

PdVpcdEnd
pd_vpcd_link_serve (PdVpcdLink        *link,
                    const PdVpcdCard  *card,
                    gpointer           card_data,
                    GCancellable      *cancellable,
                    GError           **error)
{
  g_autofree guint8 *payload = g_malloc (G_MAXUINT16);

  g_return_val_if_fail (link != NULL, PD_VPCD_END_FAILED);
  g_return_val_if_fail (card != NULL && card->get_atr != NULL && card->answer != NULL,
                        PD_VPCD_END_FAILED);

  for (;;)
    {
      g_autoptr(GByteArray) response = NULL;
      GError *io_error = NULL;
      guint8 header[2];
      gsize length;

      if (!read_exact (link->socket, header, 2, cancellable, &io_error))
        return end_of_reading (error, io_error);
      length = (gsize) header[0] << 8 | header[1];
      if (length == 0)
        continue;
      if (!read_exact (link->socket, payload, length, cancellable, &io_error))
        return end_of_reading (error, io_error);

      if (length == 1)
        {
          if (!answer_control (link, payload[0], card, card_data, cancellable, &io_error))
            return end_of_reading (error, io_error);
          continue;
        }

      response = g_byte_array_new ();
      if (!card->answer (card_data, payload, length, response))
        return PD_VPCD_END_PULLED;
      if (!send_message (link->socket, response->data, response->len, cancellable, &io_error))
        return end_of_reading (error, io_error);
    }
}
