#pragma once

#include "pd-page.h"

G_BEGIN_DECLS

#define PD_TYPE_RESULT_PAGE (pd_result_page_get_type ())

G_DECLARE_FINAL_TYPE (PdResultPage, pd_result_page, PD, RESULT_PAGE, PdPage)

/* What became of the payment, in words the member can act on: accepted, pending (waiting
 * to be sent), declined with its reason, or failed; the notices members must see; and the
 * way to finish the visit. */
PdPage *pd_result_page_new (void);

G_END_DECLS
