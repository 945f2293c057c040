#pragma once

#include <adwaita.h>

#include "pd-config.h"
#include "pd-staff.h"

G_BEGIN_DECLS

#define PD_TYPE_SIGN_IN_PAGE (pd_sign_in_page_get_type ())

G_DECLARE_FINAL_TYPE (PdSignInPage, pd_sign_in_page, PD, SIGN_IN_PAGE, AdwBin)

/* Who signs in at a counter: the enabled associates to choose from, a PIN pad, and what
 * went wrong in words an associate can act on. The PIN is checked on a worker; the page
 * emits "signed-in" (a PdAssociate) when it is right. Actions: sign-in.choose (an ID),
 * sign-in.submit; digits, Backspace, Escape and Enter work from a keyboard. */
GtkWidget *pd_sign_in_page_new       (PdConfig     *config);
/* The associates are read (on a worker) when the terminal is open. */
void       pd_sign_in_page_set_staff (PdSignInPage *self,
                                      PdStaff      *staff);
/* Only supervisors are offered, under title (leaving a kiosk's members' screens). */
void       pd_sign_in_page_set_supervisors_only (PdSignInPage *self,
                                                 const char   *title);
/* Ready for the next sign-in: the PIN wiped, chosen_id (or nobody) chosen, notice (or
 * nothing) said. */
void       pd_sign_in_page_reset     (PdSignInPage *self,
                                      const char   *chosen_id,
                                      const char   *notice);

G_END_DECLS
