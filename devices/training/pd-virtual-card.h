#pragma once

#include "pd-card-profile.h"

G_BEGIN_DECLS

/* An EMV card, emulated from a profile: it answers command APDUs as the card would
 * (selection through the PSE or PPSE, GET PROCESSING OPTIONS, READ RECORD, GENERATE AC,
 * INTERNAL AUTHENTICATE, GET DATA, issuer script commands), with cryptograms the training
 * payment core verifies and offline data authentication signed by the project's test CA. */

#define PD_ISSUER_MASTER_KEY_BYTES 16

typedef struct _PdVirtualCard PdVirtualCard;

/* Takes the profile. The issuer master key derives each application's card key (EMV
 * option A with its PAN and PSN); the caller wipes its copy. */
PdVirtualCard       *pd_virtual_card_new         (PdCardProfile  *profile,
                                                  const guint8    issuer_master_key[PD_ISSUER_MASTER_KEY_BYTES],
                                                  GError        **error);
void                 pd_virtual_card_free        (PdVirtualCard  *card);

const PdCardProfile *pd_virtual_card_get_profile (PdVirtualCard  *card);
GBytes              *pd_virtual_card_get_atr     (PdVirtualCard  *card);
/* Power on, power off or reset: no application selected, no transaction under way. The
 * counters (ATC) stay. */
void                 pd_virtual_card_reset       (PdVirtualCard  *card);
/* Appends the response APDU to response; FALSE when the profile pulls the card at this
 * command: it goes away without answering. */
gboolean             pd_virtual_card_transmit    (PdVirtualCard  *card,
                                                  const guint8   *apdu,
                                                  gsize           length,
                                                  GByteArray     *response);
/* The ATC of the application whose AID is aid (hex). */
guint16              pd_virtual_card_get_atc     (PdVirtualCard  *card,
                                                  const char     *aid);
guint                pd_virtual_card_get_script_commands (PdVirtualCard *card);

/* The issuer master key the training core uses unless told otherwise. */
extern const guint8 pd_virtual_card_default_issuer_master_key[PD_ISSUER_MASTER_KEY_BYTES];

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdVirtualCard, pd_virtual_card_free)

G_END_DECLS
