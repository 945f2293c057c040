#pragma once

#include <adwaita.h>

#include "pd-terminal.h"

G_BEGIN_DECLS

#define PD_TYPE_OUTBOX_PAGE (pd_outbox_page_get_type ())

G_DECLARE_FINAL_TYPE (PdOutboxPage, pd_outbox_page, PD, OUTBOX_PAGE, AdwBin)

/* What waits for the payment core: each check and bank payment with its age, amount, tender
 * and why it could not go yet; the totals against the configured caps; "Send now".
 * Actions: outbox.refresh, outbox.send. */
GtkWidget *pd_outbox_page_new           (void);
void       pd_outbox_page_set_terminal  (PdOutboxPage      *self,
                                         PdTerminal        *terminal);
void       pd_outbox_page_set_associate (PdOutboxPage      *self,
                                         const PdAssociate *associate);
void       pd_outbox_page_refresh       (PdOutboxPage      *self);

G_END_DECLS
