#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* HOST:PORT for a training server (a port of 0 picks a free one), refused unless it is on
 * this machine: training servers take no real money and must not be reachable from the
 * network. what names the server in the error ("the training core"). */
GSocketAddress *pd_loopback_address_parse (const char  *address,
                                           const char  *what,
                                           GError     **error);

G_END_DECLS
