#pragma once

#include "pd-page.h"

G_BEGIN_DECLS

#define PD_TYPE_ACCOUNTS_PAGE (pd_accounts_page_get_type ())

G_DECLARE_FINAL_TYPE (PdAccountsPage, pd_accounts_page, PD, ACCOUNTS_PAGE, PdPage)

/* The member's accounts, one card each, and which one to pay now: each account is paid
 * separately. */
PdPage *pd_accounts_page_new (void);

G_END_DECLS
