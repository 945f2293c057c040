#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A virtual card on a vpcd slot (tests run under tests/common/run-with-pcscd): a thread that
 * speaks the vpcd protocol (devices/training/pd-vpcd-link.c, as paydesk-vcard does),
 * answers get-ATR, and hands every command APDU to a callback. */

#define PD_TEST_VPCD_READER "Virtual PCD 00 00"
#define PD_TEST_VPCD_PORT 35963

/* Appends the response APDU (with its status word) to reply; FALSE: the card is pulled and
 * goes away without answering. */
typedef gboolean (*PdTestCardAnswer) (gpointer      card_data,
                                      const guint8 *apdu,
                                      gsize         length,
                                      GByteArray   *reply);

typedef struct _PdTestCard PdTestCard;

extern const guint8 pd_test_card_atr[12];

PdTestCard *pd_test_card_insert              (PdTestCardAnswer answer,
                                              gpointer         card_data);
void        pd_test_card_remove              (PdTestCard      *card);
void        pd_test_card_wait_until_reader_empty (void);

/* paydesk-vcard ($PAYDESK_VCARD) playing a card profile in the first slot, once it says the
 * card is in; it dies with the test. Removing it waits until pcscd sees the reader empty. */
GSubprocess *pd_test_vcard_insert            (const char      *profile,
                                              GError         **error);
void        pd_test_vcard_remove             (GSubprocess     *card);

G_END_DECLS
