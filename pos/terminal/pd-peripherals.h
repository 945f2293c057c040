#pragma once

#include <gio/gio.h>

#include "pd-check-capture.h"
#include "pd-config.h"
#include "pd-printer.h"

G_BEGIN_DECLS

typedef enum {
  PD_PERIPHERAL_PRINTER,
  PD_PERIPHERAL_CHECK_SCANNER,
} PdPeripheralKind;

/* One line of `paydesk-ctl devices` and of the associate's devices page. */
typedef struct {
  PdPeripheralKind kind;
  /* The [devices] setting it answers to: auto, training, usb:VVVV:PPPP or none. */
  char *setting;
  /* The model, or NULL when nothing was found for the setting. */
  char *name;
  /* Where it is: "USB 1-3, serial X", or the training device's folder. */
  char *location;
  PdDeviceHealth health;
  /* A sentence for people: why it is not ready, or what it is doing. */
  char *detail;
} PdPeripheralInfo;

void        pd_peripheral_info_free   (PdPeripheralInfo       *info);
/* What to do about it, in one sentence an associate can act on ("Ready." when nothing). */
const char *pd_peripheral_info_advice (const PdPeripheralInfo *info);

#define PD_TYPE_PERIPHERALS (pd_peripherals_get_type ())

G_DECLARE_FINAL_TYPE (PdPeripherals, pd_peripherals, PD, PERIPHERALS, GObject)

/* The receipt printer and the check scanner that [devices] asks for: USB devices through
 * the device manager and their drivers, or the training devices (printer output in
 * DATA_DIR/training-printer/, check slot in pd_training_check_scanner_get_default_slot()).
 * Reports on the main context where it was started:
 *   changed ()  a device came, went, or its health changed;
 *   settled ()  once, when the devices there at start have said how they are;
 *   scanned (text)  a barcode scanner read text (a training terminal's training barcode
 *               scanner; a keyboard-wedge scanner types into the window instead). */
PdPeripherals  *pd_peripherals_new               (PdConfig       *config,
                                                  GError        **error);
void            pd_peripherals_start             (PdPeripherals  *self);
gboolean        pd_peripherals_is_settled        (PdPeripherals  *self);
/* PdPeripheralInfo, printers first; configured devices that are missing are listed too. */
GPtrArray      *pd_peripherals_list              (PdPeripherals  *self);
/* TRUE when every configured device is there and ready. */
gboolean        pd_peripherals_all_ready         (PdPeripherals  *self);
/* The configured device, ready or not; G_IO_ERROR_NOT_FOUND, saying why, when there is none. */
PdPrinter      *pd_peripherals_dup_printer       (PdPeripherals  *self,
                                                  GError        **error);
PdCheckScanner *pd_peripherals_dup_check_scanner (PdPeripherals  *self,
                                                  GError        **error);
/* Asks every device how it is again (after paper was loaded, say). */
void            pd_peripherals_refresh           (PdPeripherals  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdPeripheralInfo, pd_peripheral_info_free)

G_END_DECLS
