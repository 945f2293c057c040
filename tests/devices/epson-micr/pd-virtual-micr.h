#pragma once

#include "pd-virtual-usb-device.h"

G_BEGIN_DECLS

#define PD_TYPE_VIRTUAL_MICR (pd_virtual_micr_get_type ())

G_DECLARE_FINAL_TYPE (PdVirtualMicr, pd_virtual_micr, PD, VIRTUAL_MICR, PdVirtualUsbDevice)

/* An Epson TM hybrid printer with a MICR reader (04b8:0202, one vendor-class interface, bulk
 * OUT 0x01 and bulk IN 0x82) in a umockdev testbed, answering libusb's usbfs ioctls and the
 * ESC/POS MICR commands as pd-epson-micr.c describes them: FS a 0 (with the check's line, or
 * an abnormal end), FS a 1, FS a 2, FS b, FS c, DLE EOT n and DLE EOT BS 1. Programs using
 * it run under umockdev-wrapper. */
PdVirtualMicr *pd_virtual_micr_new           (UMockdevTestbed *testbed);
void           pd_virtual_micr_plug          (PdVirtualMicr   *self);

/* The check in the slot: its MICR line as the printer sends it (Epson letters A B C D), or
 * NULL for an empty slot. A check whose line is "" is there but cannot be read. */
void           pd_virtual_micr_insert_check  (PdVirtualMicr   *self,
                                              const char      *micr_line);
/* Bytes sent for the next FS a 0 instead of a well-formed reply. */
void           pd_virtual_micr_set_raw_reply (PdVirtualMicr   *self,
                                              const guint8    *reply,
                                              gsize            length);
/* Answers nothing to FS a 0, as a printer still waiting for a check. */
void           pd_virtual_micr_set_silent    (PdVirtualMicr   *self,
                                              gboolean         silent);

gboolean       pd_virtual_micr_has_check     (PdVirtualMicr   *self);
guint          pd_virtual_micr_get_ejected   (PdVirtualMicr   *self);
guint          pd_virtual_micr_get_cleaned   (PdVirtualMicr   *self);
/* Everything written to the OUT endpoint since the last call. */
GBytes        *pd_virtual_micr_take_received (PdVirtualMicr   *self);

G_END_DECLS
