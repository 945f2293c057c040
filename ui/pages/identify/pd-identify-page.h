#pragma once

#include "pd-page.h"

G_BEGIN_DECLS

#define PD_TYPE_IDENTIFY_PAGE (pd_identify_page_get_type ())

G_DECLARE_FINAL_TYPE (PdIdentifyPage, pd_identify_page, PD, IDENTIFY_PAGE, PdPage)

/* The member says who they are, one of the ways their plan knows them (the invoice's
 * account and number, or the member ID card's details), and the payment core finds them:
 * what is wrong is said beside the field it is about. */
PdPage *pd_identify_page_new             (void);
/* The same at a counter, in an associate's words, with two more ways the associate may
 * use: the name, birth date and ZIP without the member ID (a member without the card),
 * and the invoice account with the ZIP code (a member on the phone); and the member's
 * language (one of languages), in which the receipt is printed and emailed. */
PdPage *pd_identify_page_new_for_counter (const char * const *languages);

G_END_DECLS
