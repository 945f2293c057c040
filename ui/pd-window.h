#pragma once

#include <adwaita.h>

#include "pd-config.h"
#include "pd-counter.h"
#include "pd-flow.h"
#include "pd-supervisor-panel.h"
#include "pd-terminal.h"

G_BEGIN_DECLS

#define PD_TYPE_WINDOW (pd_window_get_type ())

G_DECLARE_FINAL_TYPE (PdWindow, pd_window, PD, WINDOW, AdwApplicationWindow)

PdWindow   *pd_window_new                   (gpointer      application,
                                             PdConfig     *config,
                                             const GError *config_error);
const char *pd_window_get_visible_page_name (PdWindow     *self);
void        pd_window_show_setup_error      (PdWindow     *self,
                                             const GError *error);

/* The terminal is open: the kiosk's pages can reach the payment core. */
void        pd_window_set_terminal          (PdWindow     *self,
                                             PdTerminal   *terminal);
/* The member's flow, at a kiosk or a counter (NULL when the terminal cannot take
 * payments). */
PdFlow     *pd_window_get_flow              (PdWindow     *self);
/* The associate's counter (NULL at a kiosk). */
PdCounter  *pd_window_get_counter           (PdWindow     *self);
/* A kiosk's supervisor screens (NULL until the hidden corner was first held). */
PdSupervisorPanel *pd_window_get_supervisor_panel (PdWindow *self);

G_END_DECLS
