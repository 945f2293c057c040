#pragma once

#include <adwaita.h>

#include "pd-config.h"
#include "pd-terminal.h"

G_BEGIN_DECLS

#define PD_TYPE_SUPERVISOR_PANEL (pd_supervisor_panel_get_type ())

G_DECLARE_FINAL_TYPE (PdSupervisorPanel, pd_supervisor_panel, PD, SUPERVISOR_PANEL, AdwBin)

/* What a supervisor reaches at a kiosk, behind the hidden gesture: a supervisor's PIN (an
 * associate's, or a member, gets no further), then the devices and the outbox, and leaving
 * kiosk mode. Emits "done" (back to the members' screens) and "quit" (leave kiosk mode,
 * written to the audit log first). Actions: supervisor.back, supervisor.quit,
 * supervisor.show (devices, outbox). Left alone for [timeouts] counter-lock-seconds, it
 * goes back to the kiosk by itself. */
GtkWidget *pd_supervisor_panel_new          (PdConfig          *config);
void       pd_supervisor_panel_set_terminal (PdSupervisorPanel *self,
                                             PdTerminal        *terminal);
/* Nobody signed in: the supervisors to choose from and the PIN pad. */
void       pd_supervisor_panel_open         (PdSupervisorPanel *self);
/* NULL while nobody is signed in. */
const PdAssociate *pd_supervisor_panel_get_supervisor (PdSupervisorPanel *self);

G_END_DECLS
