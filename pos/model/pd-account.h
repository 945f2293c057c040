#pragma once

#include <gio/gio.h>

#include "pd-invoice.h"
#include "pd-line-of-business.h"
#include "pd-money.h"

G_BEGIN_DECLS

#define PD_TYPE_ACCOUNT (pd_account_get_type ())

G_DECLARE_FINAL_TYPE (PdAccount, pd_account, PD, ACCOUNT, GObject)

/* One account number per line of business or policy; a payment pays exactly one. */
PdAccount        *pd_account_new                  (const char       *number,
                                                   PdLineOfBusiness  line_of_business,
                                                   const char       *holder_name,
                                                   PdCents           balance,
                                                   PdCents           minimum_due,
                                                   const GDate      *due_date);
const char       *pd_account_get_number           (PdAccount        *self);
PdLineOfBusiness  pd_account_get_line_of_business (PdAccount        *self);
const char       *pd_account_get_holder_name      (PdAccount        *self);
PdCents           pd_account_get_balance          (PdAccount        *self);
PdCents           pd_account_get_minimum_due      (PdAccount        *self);
const GDate      *pd_account_get_due_date         (PdAccount        *self);
void              pd_account_add_invoice          (PdAccount        *self,
                                                   PdInvoice        *invoice);
GListModel       *pd_account_get_invoices         (PdAccount        *self);
PdInvoice        *pd_account_find_invoice         (PdAccount        *self,
                                                   const char       *number);

/* The open invoice due first (the one paid first), or NULL when none is open. */
PdInvoice        *pd_account_find_oldest_invoice  (PdAccount        *self);

G_END_DECLS
