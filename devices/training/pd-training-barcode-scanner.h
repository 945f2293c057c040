#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The barcode scanner of a training terminal: a folder stands for the scanner's window,
 * and a barcode is read when a file "scan" appears in it holding the barcode's text (one
 * line). paydesk-vscan and the training devices panel put it there; the scanner reads it,
 * takes it away, and says what it read:
 *   scanned (text)  on the main context where it was started. */

#define PD_TYPE_TRAINING_BARCODE_SCANNER (pd_training_barcode_scanner_get_type ())

G_DECLARE_FINAL_TYPE (PdTrainingBarcodeScanner, pd_training_barcode_scanner, PD,
                      TRAINING_BARCODE_SCANNER, GObject)

#define PD_TRAINING_BARCODE_FILE "scan"

/* slot_directory: NULL for pd_training_barcode_get_default_slot (). */
PdTrainingBarcodeScanner *pd_training_barcode_scanner_new   (const char *slot_directory);
/* Watches the slot (made, owner only, when missing); FALSE with an error when it cannot. */
gboolean                  pd_training_barcode_scanner_start (PdTrainingBarcodeScanner *self,
                                                             GError                  **error);

/* $XDG_RUNTIME_DIR/paydesk/training-barcode-slot. */
const char               *pd_training_barcode_get_default_slot (void);
/* Puts text in the slot as one scan. Blocking (a small file): from a worker or a program. */
gboolean                  pd_training_barcode_scan          (const char *slot_directory,
                                                             const char *text,
                                                             GError    **error);

G_END_DECLS
