#pragma once

#include "pd-apdu.h"

G_BEGIN_DECLS

/* How a T=0 card hands out its answers (ISO/IEC 7816-3 and 7816-4, EMV Book 1 section
 * 9.3): after a command with data, only 61xx, the data waiting for GET RESPONSE; after a
 * command without, 6Cxx when Le is not the length of the data, for the terminal to ask
 * again. */
typedef struct _PdCardT0 PdCardT0;

PdCardT0 *pd_card_t0_new             (void);
void      pd_card_t0_free            (PdCardT0      *t0);
/* Forgets what the card still owes (power off, reset). */
void      pd_card_t0_reset           (PdCardT0      *t0);

/* Rewrites answer (data and status word, as a T=1 card would send them) into what the T=0
 * card answers to command. */
void      pd_card_t0_shape           (PdCardT0      *t0,
                                      const PdApdu  *command,
                                      GByteArray    *answer);
/* Answers GET RESPONSE (00 C0 00 00 Le). */
void      pd_card_t0_get_response    (PdCardT0      *t0,
                                      const PdApdu  *command,
                                      GByteArray    *answer);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdCardT0, pd_card_t0_free)

G_END_DECLS
