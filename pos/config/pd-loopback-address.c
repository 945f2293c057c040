#include "pd-loopback-address.h"

GSocketAddress *
pd_loopback_address_parse (const char  *address,
                           const char  *what,
                           GError     **error)
{
  g_autoptr(GSocketConnectable) connectable = NULL;
  g_autoptr(GSocketAddressEnumerator) enumerator = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  GInetAddress *inet;

  g_return_val_if_fail (address != NULL, NULL);
  g_return_val_if_fail (what != NULL, NULL);

  connectable = g_network_address_parse (address, 0, error);
  if (connectable == NULL)
    return NULL;

  enumerator = g_socket_connectable_enumerate (connectable);
  socket_address = g_socket_address_enumerator_next (enumerator, NULL, error);
  if (socket_address == NULL)
    return NULL;

  inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (socket_address));
  if (!g_inet_address_get_is_loopback (inet))
    {
      /* Developer tools' messages: not translated, like the rest of their output. */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s listens on loopback only, not %s", what, address);
      return NULL;
    }

  return g_steal_pointer (&socket_address);
}
