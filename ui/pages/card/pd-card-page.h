#pragma once

#include "pd-page.h"

G_BEGIN_DECLS

#define PD_TYPE_CARD_PAGE (pd_card_page_get_type ())

G_DECLARE_FINAL_TYPE (PdCardPage, pd_card_page, PD, CARD_PAGE, PdPage)

/* The card step: "Insert or tap your card" with the reader's state as it changes; a card
 * in the reader starts the payment (the page's apply step), the member picks among a
 * card's applications on screen, and is asked to take the card back before the result. A
 * card that cannot pay says why, in the kernel's words, and the member tries another card
 * or another way to pay. */
PdPage *pd_card_page_new (void);

G_END_DECLS
