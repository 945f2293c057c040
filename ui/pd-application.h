#pragma once

#include <adwaita.h>

#include "pd-config.h"
#include "pd-terminal.h"

G_BEGIN_DECLS

#define PD_TYPE_APPLICATION (pd_application_get_type ())

G_DECLARE_FINAL_TYPE (PdApplication, pd_application, PD, APPLICATION, AdwApplication)

PdApplication    *pd_application_new                 (void);
/* NULL until the terminal is open (or when it could not be). */
PdTerminal       *pd_application_get_terminal        (PdApplication *self);

G_END_DECLS
