#pragma once

#include "pd-usb-driver.h"

G_BEGIN_DECLS

/* What only the device manager does to a driver. */

/* The same device came back after a replug. */
void     pd_usb_driver_set_device (PdUsbDriver    *self,
                                   PdUsbDevice    *device,
                                   int             interface_number);
/* What the manager saw of the device's health, on the main thread; TRUE when it changed. */
gboolean pd_usb_driver_set_health (PdUsbDriver    *self,
                                   PdDeviceHealth  health,
                                   const char     *detail);

G_END_DECLS
