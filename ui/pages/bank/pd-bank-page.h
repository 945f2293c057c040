#pragma once

#include "pd-page.h"

G_BEGIN_DECLS

#define PD_TYPE_BANK_PAGE (pd_bank_page_get_type ())

G_DECLARE_FINAL_TYPE (PdBankPage, pd_bank_page, PD, BANK_PAGE, PdPage)

/* The member's bank account, as printed on their checks: routing number (its check digit
 * checked as it is typed), account number typed twice and hidden once typed, checking or
 * savings, and the name on the account. */
PdPage *pd_bank_page_new (void);

G_END_DECLS
