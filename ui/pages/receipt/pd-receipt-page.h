#pragma once

#include "pd-page.h"

G_BEGIN_DECLS

#define PD_TYPE_RECEIPT_PAGE (pd_receipt_page_get_type ())

G_DECLARE_FINAL_TYPE (PdReceiptPage, pd_receipt_page, PD, RECEIPT_PAGE, PdPage)

/* The member's receipt: printed here, emailed, or none. A printer that cannot print says
 * why, and the member can still have it emailed, or ask an associate to print it. */
PdPage *pd_receipt_page_new (void);

G_END_DECLS
