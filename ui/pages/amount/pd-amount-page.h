#pragma once

#include "pd-page.h"

G_BEGIN_DECLS

#define PD_TYPE_AMOUNT_PAGE (pd_amount_page_get_type ())

G_DECLARE_FINAL_TYPE (PdAmountPage, pd_amount_page, PD, AMOUNT_PAGE, PdPage)

/* How much to pay on the chosen account: its balance, its minimum due, or an amount the
 * member types; a refused amount says why beside it. */
PdPage *pd_amount_page_new (void);

G_END_DECLS
