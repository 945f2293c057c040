#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PD_CARD_ERROR (pd_card_error_quark ())

typedef enum {
  PD_CARD_ERROR_NO_SERVICE,
  PD_CARD_ERROR_NO_CARD,
  PD_CARD_ERROR_REMOVED,
  PD_CARD_ERROR_BAD_RESPONSE,
  PD_CARD_ERROR_FAILED,
} PdCardError;

/* An open connection to the card in one PC/SC reader. Transmitting blocks: call it from a
 * worker thread, never from the GTK main thread. */
typedef struct _PdCardChannel PdCardChannel;

GQuark         pd_card_error_quark           (void);

PdCardChannel *pd_card_channel_open          (const char     *reader_name,
                                              GError        **error);
void           pd_card_channel_free          (PdCardChannel  *channel);
GBytes        *pd_card_channel_get_atr       (PdCardChannel  *channel);
GBytes        *pd_card_channel_transmit      (PdCardChannel  *channel,
                                              const guint8   *apdu,
                                              gsize           length,
                                              guint16        *status_word,
                                              GError        **error);
guint          pd_card_channel_get_exchanges (PdCardChannel  *channel);
gint64         pd_card_channel_get_transmit_time (PdCardChannel *channel);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdCardChannel, pd_card_channel_free)

G_END_DECLS
