#pragma once

#include "pd-page.h"

G_BEGIN_DECLS

#define PD_TYPE_AUTHORIZE_PAGE (pd_authorize_page_get_type ())

G_DECLARE_FINAL_TYPE (PdAuthorizePage, pd_authorize_page, PD, AUTHORIZE_PAGE, PdPage)

/* The debit authorization in full, the member's signature under it, and only then "I
 * authorize this payment", which takes the payment (off the main thread) with the
 * signature recorded beside it. */
PdPage *pd_authorize_page_new             (void);
/* The same at a counter, where the member may sign the printed receipt with a pen instead
 * (the receipt then has a line to sign). */
PdPage *pd_authorize_page_new_for_counter (void);

G_END_DECLS
