#pragma once

#include <adwaita.h>

#include "pd-config.h"

G_BEGIN_DECLS

#define PD_TYPE_WINDOW (pd_window_get_type ())

G_DECLARE_FINAL_TYPE (PdWindow, pd_window, PD, WINDOW, AdwApplicationWindow)

PdWindow   *pd_window_new                   (gpointer      application,
                                             PdConfig     *config,
                                             const GError *config_error);
const char *pd_window_get_visible_page_name (PdWindow     *self);
void        pd_window_show_setup_error      (PdWindow     *self,
                                             const GError *error);

G_END_DECLS
