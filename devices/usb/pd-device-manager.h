#pragma once

#include <gio/gio.h>

#include "pd-usb-context.h"
#include "pd-usb-driver.h"

G_BEGIN_DECLS

#define PD_TYPE_DEVICE_MANAGER (pd_device_manager_get_type ())

G_DECLARE_FINAL_TYPE (PdDeviceManager, pd_device_manager, PD, DEVICE_MANAGER, GObject)

/* Matches the registered drivers to the USB devices plugged in now and later, opens them on
 * worker threads, and reports on the main context where it was started:
 *   device-added (PdUsbDriver)    a device a driver takes, opening (health PRESENT);
 *   health-changed (PdUsbDriver)  opened (READY...), or why not (BUSY_KERNEL_DRIVER,
 *                                 NO_PERMISSION, ERROR with a detail for people); later
 *                                 what a refresh found, or what the driver's watch heard
 *                                 the device announce by itself (a printer's automatic
 *                                 status back), each on a thread of its own;
 *   device-removed (PdUsbDriver)  unplugged; the driver is closed;
 *   settled ()                    once after start, when every device plugged in then has
 *                                 been opened or has said why not: what a one-shot program
 *                                 (`paydesk-ctl devices`) waits for before it reports.
 * A device plugged back into the same port with the same vendor and product comes back as
 * the same PdUsbDriver object, added and opened again. */
PdDeviceManager *pd_device_manager_new             (PdUsbContext    *context);
void             pd_device_manager_register_driver (PdDeviceManager *self,
                                                    GType            driver_type);
void             pd_device_manager_start           (PdDeviceManager *self);
void             pd_device_manager_stop            (PdDeviceManager *self);
gboolean         pd_device_manager_is_settled      (PdDeviceManager *self);
/* The drivers of the devices plugged in now (PdUsbDriver, owned by the manager). */
GPtrArray       *pd_device_manager_get_drivers     (PdDeviceManager *self);
/* Asks the device how it is again, on a worker; health-changed when anything changed. */
void             pd_device_manager_refresh         (PdDeviceManager *self,
                                                    PdUsbDriver     *driver);

G_END_DECLS
