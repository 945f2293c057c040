#pragma once

#include <adwaita.h>

#include "pd-terminal.h"

G_BEGIN_DECLS

#define PD_TYPE_PAYMENTS_PAGE (pd_payments_page_get_type ())

G_DECLARE_FINAL_TYPE (PdPaymentsPage, pd_payments_page, PD, PAYMENTS_PAGE, AdwBin)

/* The day's payments at a counter: searched by reference, last 4, member name or amount;
 * one chosen shows its events and its receipt, and can be printed again, emailed again,
 * voided or refunded (with the reason, and a supervisor's PIN when the associate's role
 * needs one). Actions: payments.search, payments.choose (an id), payments.reprint,
 * payments.email, payments.start-void, payments.start-refund, payments.reason (an id),
 * payments.supervisor (an id), payments.confirm-undo, payments.cancel-undo. Every piece of
 * work runs on a worker. */
GtkWidget *pd_payments_page_new           (void);
void       pd_payments_page_set_terminal  (PdPaymentsPage    *self,
                                           PdTerminal        *terminal);
/* Who works the page (NULL: nobody; the page forgets what it showed). */
void       pd_payments_page_set_associate (PdPaymentsPage    *self,
                                           const PdAssociate *associate);
/* Reads the day's payments again. */
void       pd_payments_page_refresh       (PdPaymentsPage    *self);

G_END_DECLS
