#pragma once

#include <umockdev.h>

G_BEGIN_DECLS

#define PD_TYPE_VIRTUAL_PRINTER (pd_virtual_printer_get_type ())

G_DECLARE_FINAL_TYPE (PdVirtualPrinter, pd_virtual_printer, PD, VIRTUAL_PRINTER, UMockdevIoctlBase)

/* A USB receipt printer (Epson 04b8:0202, one printer-class interface, bulk OUT 0x01 and bulk
 * IN 0x82) living in a umockdev testbed: it answers the usbfs ioctls libusb sends (claim,
 * kernel driver, URBs, string descriptors) from the testbed's thread. Programs using it run
 * with libumockdev-preload.so loaded (umockdev-wrapper). */
PdVirtualPrinter *pd_virtual_printer_new            (UMockdevTestbed  *testbed,
                                                     const char       *serial);
void              pd_virtual_printer_plug           (PdVirtualPrinter *self);
void              pd_virtual_printer_unplug         (PdVirtualPrinter *self);

/* A kernel driver bound to the interface ("usblp"), and whether it lets go when asked. */
void              pd_virtual_printer_set_kernel_driver (PdVirtualPrinter *self,
                                                        const char       *driver,
                                                        gboolean          detachable);
const char       *pd_virtual_printer_get_kernel_driver (PdVirtualPrinter *self);
guint             pd_virtual_printer_get_reattached    (PdVirtualPrinter *self);

/* Bytes the printer sends on its IN endpoint, for the next read. */
void              pd_virtual_printer_answer         (PdVirtualPrinter *self,
                                                     const guint8     *data,
                                                     gsize             length);
/* Everything written to the OUT endpoint since the last call. */
GBytes           *pd_virtual_printer_take_received  (PdVirtualPrinter *self);

G_END_DECLS
