#pragma once

#include <adwaita.h>

#include "pd-training-devices.h"

G_BEGIN_DECLS

#define PD_TYPE_TRAINING_PANEL (pd_training_panel_get_type ())

G_DECLARE_FINAL_TYPE (PdTrainingPanel, pd_training_panel, PD, TRAINING_PANEL, AdwBin)

/* The training devices panel, beside the kiosk on a training terminal only: a trainee
 * inserts or taps a training card, takes it out, puts a training check in the scanner, and
 * takes the printer's paper out or puts it back, by touch. Its actions (training.*) are
 * what its buttons do. */
GtkWidget         *pd_training_panel_new         (PdTrainingDevices *devices);
PdTrainingDevices *pd_training_panel_get_devices (PdTrainingPanel   *self);

G_END_DECLS
