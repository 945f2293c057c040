#pragma once

#include <adwaita.h>

#include "pd-config.h"
#include "pd-flow.h"
#include "pd-terminal.h"

G_BEGIN_DECLS

#define PD_TYPE_COUNTER (pd_counter_get_type ())

G_DECLARE_FINAL_TYPE (PdCounter, pd_counter, PD, COUNTER, AdwBin)

/* An associate's counter: nobody works it before signing in; then the payment flow with the
 * associate's name above it, the associate's pages beside it (counter.show: pay, payments,
 * end-of-day, devices, outbox; Alt+1 to Alt+5), and counter.new-visit (Ctrl+N),
 * counter.lock (Ctrl+L) and counter.sign-out; Escape goes back a page, Alt+C, Alt+K and
 * Alt+B choose card, check and bank account. Left alone for [timeouts] counter-lock-seconds it locks: the member's
 * visit is kept for the associate who signs in again, and wiped if another one does. */
PdCounter *pd_counter_new              (PdConfig    *config,
                                        PdFlow      *flow);
void       pd_counter_set_terminal     (PdCounter   *self,
                                        PdTerminal  *terminal);
/* NULL while nobody is signed in. */
const PdAssociate *pd_counter_get_associate (PdCounter *self);
/* For the tests: how long the counter waits before it locks, in milliseconds. */
void       pd_counter_set_lock_timeout (PdCounter   *self,
                                        guint        lock_ms);

G_END_DECLS
