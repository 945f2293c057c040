#pragma once

#include <gio/gio.h>

#include "pd-printer.h"

G_BEGIN_DECLS

#define PD_TYPE_TRAINING_PRINTER (pd_training_printer_get_type ())

G_DECLARE_FINAL_TYPE (PdTrainingPrinter, pd_training_printer, PD, TRAINING_PRINTER, GObject)

/* The receipt printer of a training terminal. It plays an Epson TM-T88 (its profile from
 * assets/printers/), so jobs are the bytes a real one would get; each job is kept in the
 * output folder as RECEIPT.escpos and drawn as RECEIPT.png, the paper a trainee would have
 * torn off. A job it cannot read fails, as a garbled receipt would on paper.
 *
 * A trainer makes it misbehave with files in the output folder: `paper-out`, `paper-low`
 * and `cover-open` are reported as a printer would report them, and a job sent meanwhile
 * fails (paper-low still prints). Implements PdPrinter. */

#define PD_TRAINING_PRINTER_MODEL "epson-tm-t88"

/* profile: NULL for the TM-T88's. */
PdTrainingPrinter *pd_training_printer_new              (const char        *output_directory,
                                                        PdPrinterProfile  *profile,
                                                        GError           **error);
const char        *pd_training_printer_get_output_directory (PdTrainingPrinter *self);
/* The PNG of the last job printed, or NULL; a new string. */
char              *pd_training_printer_dup_last_receipt (PdTrainingPrinter *self);

G_END_DECLS
