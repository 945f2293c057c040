#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A virtual card's side of the vpcd reader driver (vsmartcard): the card is a TCP client of
 * the driver, one port per slot. Being connected is being inserted; closing the socket
 * takes the card out. Every message either way is a 2-byte big-endian length and a
 * payload: one byte from the driver is a control code (power off, power on, reset, get
 * ATR), anything longer a command APDU, answered with the response APDU. */

#define PD_VPCD_HOST "127.0.0.1"
#define PD_VPCD_PORT_SLOT_0 35963

typedef struct {
  /* Power off, power on and reset all start the card afresh. May be NULL. */
  void     (*reset)   (gpointer      card);
  GBytes  *(*get_atr) (gpointer      card);
  /* Appends the response APDU (with its status word) to response; FALSE: the card is
   * pulled and goes away without answering. */
  gboolean (*answer)  (gpointer      card,
                       const guint8 *apdu,
                       gsize         length,
                       GByteArray   *response);
} PdVpcdCard;

typedef enum {
  /* The cancellable was cancelled: the card is taken out. */
  PD_VPCD_END_REMOVED,
  /* The card pulled itself in the middle of a command. */
  PD_VPCD_END_PULLED,
  /* The driver closed the connection (pcscd stopped). */
  PD_VPCD_END_READER_GONE,
  /* The connection failed; error says how. */
  PD_VPCD_END_FAILED,
} PdVpcdEnd;

typedef struct _PdVpcdLink PdVpcdLink;

/* Connects to the driver on port, trying again until it listens or timeout_ms passed. */
PdVpcdLink *pd_vpcd_link_connect (guint16            port,
                                  guint              timeout_ms,
                                  GCancellable      *cancellable,
                                  GError           **error);
/* Answers the driver until the card leaves the reader, and says why it left. Blocks: run
 * it on a thread of its own. */
PdVpcdEnd   pd_vpcd_link_serve   (PdVpcdLink        *link,
                                  const PdVpcdCard  *card,
                                  gpointer           card_data,
                                  GCancellable      *cancellable,
                                  GError           **error);
/* Closes the connection: for the reader, the card is removed. */
void        pd_vpcd_link_free    (PdVpcdLink        *link);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdVpcdLink, pd_vpcd_link_free)

G_END_DECLS
