#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The card readers pcscd knows, at one moment; and waiting for a card. Blocking: for
 * paydesk-ctl or a worker thread. The GUI watches with PdReaderMonitor instead. */
typedef struct {
  char *name;
  gboolean card_present;
  /* Another program holds the card exclusively. */
  gboolean in_use;
  GBytes *atr;
} PdReaderState;

/* The readers of vpcd (vsmartcard), where paydesk-vcard plays training cards. */
#define PD_CARD_READER_VIRTUAL_PREFIX "Virtual PCD"

gboolean   pd_card_reader_is_virtual     (const char         *reader);
/* Whether a reader is one of the configured ones (name prefixes; when there are none, every
 * reader but the virtual ones). */
gboolean   pd_card_reader_is_wanted      (const char * const *patterns,
                                          const char         *reader);
/* PD_CARD_ERROR_NO_SERVICE when pcscd is not running. */
GPtrArray *pd_card_readers_list          (const char * const *patterns,
                                          GError            **error);
/* Waits until a card is in one of the readers (or in reader, when given); returns the
 * reader's name. PD_CARD_ERROR_NO_CARD when timeout_ms passes; G_IO_ERROR_CANCELLED. */
char      *pd_card_readers_wait_for_card (const char * const *patterns,
                                          const char         *reader,
                                          guint               timeout_ms,
                                          GCancellable       *cancellable,
                                          GError            **error);
void       pd_reader_state_free          (PdReaderState      *state);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdReaderState, pd_reader_state_free)

G_END_DECLS
