#pragma once

#include <adwaita.h>

#include "pd-terminal.h"

G_BEGIN_DECLS

#define PD_TYPE_DEVICES_PAGE (pd_devices_page_get_type ())

G_DECLARE_FINAL_TYPE (PdDevicesPage, pd_devices_page, PD, DEVICES_PAGE, AdwBin)

/* The terminal's devices as they are now, for whoever gets the call when a printer jams:
 * the card readers and whether a card is in each (PdReaderMonitor), the receipt printer and
 * the check scanner with their health (PdPeripherals) and what to do about it in one
 * sentence. Actions: devices.refresh, devices.test-print. */
GtkWidget *pd_devices_page_new          (void);
void       pd_devices_page_set_terminal (PdDevicesPage *self,
                                         PdTerminal    *terminal);

G_END_DECLS
