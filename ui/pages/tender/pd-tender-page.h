#pragma once

#include "pd-page.h"

G_BEGIN_DECLS

#define PD_TYPE_TENDER_PAGE (pd_tender_page_get_type ())

G_DECLARE_FINAL_TYPE (PdTenderPage, pd_tender_page, PD, TENDER_PAGE, PdPage)

/* How the member pays: card, check or bank account (never cash). A way whose device is
 * missing or not ready is shown, greyed, with the reason: never hidden. */
PdPage *pd_tender_page_new (void);

G_END_DECLS
