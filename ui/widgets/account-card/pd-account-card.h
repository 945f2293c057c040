#pragma once

#include <adwaita.h>

#include "pd-account.h"

G_BEGIN_DECLS

#define PD_TYPE_ACCOUNT_CARD (pd_account_card_get_type ())

G_DECLARE_FINAL_TYPE (PdAccountCard, pd_account_card, PD, ACCOUNT_CARD, AdwBin)

/* One of the member's accounts as a card they can touch: the plan in words, the account's
 * last four digits, what is owed and by when, and the open invoices. Activating it is the
 * action in action_name with the card's position as its target. */
GtkWidget *pd_account_card_new (PdAccount  *account,
                                const char *action_name,
                                guint       position);

G_END_DECLS
