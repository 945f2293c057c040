#pragma once

#include <gtk/gtk.h>

#include "pd-config.h"

G_BEGIN_DECLS

#define PD_TYPE_WELCOME_PAGE (pd_welcome_page_get_type ())

G_DECLARE_FINAL_TYPE (PdWelcomePage, pd_welcome_page, PD, WELCOME_PAGE, GtkWidget)

void pd_welcome_page_set_config (PdWelcomePage *self,
                                 PdConfig      *config);

G_END_DECLS
