#pragma once

#include "pd-virtual-usb-device.h"

G_BEGIN_DECLS

#define PD_TYPE_VIRTUAL_HID_SCANNER (pd_virtual_hid_scanner_get_type ())

G_DECLARE_FINAL_TYPE (PdVirtualHidScanner, pd_virtual_hid_scanner, PD, VIRTUAL_HID_SCANNER,
                      PdVirtualUsbDevice)

/* A barcode scanner in USB HID POS mode (0c2e:0b8f, one HID interface with an interrupt IN
 * endpoint 0x81 of 64 bytes) in a umockdev testbed, the kernel's usbhid bound to it until a
 * driver detaches it. Programs using it run under umockdev-wrapper. */
PdVirtualHidScanner *pd_virtual_hid_scanner_new    (UMockdevTestbed     *testbed);
void                 pd_virtual_hid_scanner_plug   (PdVirtualHidScanner *self);
/* A barcode shown to it: sent as Scanned Data Reports of 56 bytes of data each, the last
 * with its "more follows" flag clear. */
void                 pd_virtual_hid_scanner_scan   (PdVirtualHidScanner *self,
                                                    const char          *text);
/* A report that is not scanned data (report ID 0x04, a trigger state). */
void                 pd_virtual_hid_scanner_send_other_report (PdVirtualHidScanner *self);

G_END_DECLS
