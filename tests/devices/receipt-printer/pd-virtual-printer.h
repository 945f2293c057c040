#pragma once

#include "pd-virtual-usb-device.h"

G_BEGIN_DECLS

#define PD_TYPE_VIRTUAL_PRINTER (pd_virtual_printer_get_type ())

G_DECLARE_FINAL_TYPE (PdVirtualPrinter, pd_virtual_printer, PD, VIRTUAL_PRINTER, PdVirtualUsbDevice)

/* A USB receipt printer (Epson 04b8:0202, one printer-class interface, bulk OUT 0x01 and bulk
 * IN 0x82) living in a umockdev testbed: it answers the usbfs ioctls libusb sends (claim,
 * kernel driver, URBs, string descriptors) from the testbed's thread. Programs using it run
 * with libumockdev-preload.so loaded (umockdev-wrapper). */
PdVirtualPrinter *pd_virtual_printer_new            (UMockdevTestbed  *testbed,
                                                     const char       *serial);
/* The same printer under a USB id no profile names (0416:5011), so that the driver takes it
 * by its printer class with the generic profile. */
PdVirtualPrinter *pd_virtual_printer_new_generic    (UMockdevTestbed  *testbed,
                                                     const char       *serial);
void              pd_virtual_printer_plug           (PdVirtualPrinter *self);
/* Transfers in flight end as the kernel ends them on a disconnect (-ESHUTDOWN, "no device"
 * for libusb) and are reaped before the device goes; new ones are refused (ENODEV). */
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
/* Everything written to the OUT endpoint since the last call, except the real-time status
 * requests (DLE EOT n sent alone), which the printer answers itself, and GS a n sent alone. */
GBytes           *pd_virtual_printer_take_received  (PdVirtualPrinter *self);

typedef enum {
  PD_VIRTUAL_PAPER_OK,
  PD_VIRTUAL_PAPER_NEAR_END,
  PD_VIRTUAL_PAPER_OUT,
} PdVirtualPaper;

/* The state DLE EOT 1, 2 and 4 report. While the paper is out, the cover open or the printer
 * offline, OUT transfers wait (the host sees a timeout); putting things right (paper back,
 * cover closed, online) takes the waiting data. Once GS a n (n not 0) came, the printer sends
 * an automatic status back message (four bytes, Epson's layout) at once, and again whenever
 * a change touches an item n asked for: these setters, and the paper running out mid-job. */
void              pd_virtual_printer_set_paper      (PdVirtualPrinter *self,
                                                     PdVirtualPaper    paper);
void              pd_virtual_printer_set_cover_open (PdVirtualPrinter *self,
                                                     gboolean          open);
void              pd_virtual_printer_set_offline    (PdVirtualPrinter *self,
                                                     gboolean          offline);
/* The paper runs out after this many more bytes of print data; -1 for an endless roll. */
void              pd_virtual_printer_set_paper_left (PdVirtualPrinter *self,
                                                     gssize            bytes);
/* Status answers that fail the validity check, as from a confused printer or a clone. */
void              pd_virtual_printer_set_garbled_status (PdVirtualPrinter *self,
                                                         gboolean          garbled);
guint             pd_virtual_printer_get_status_requests (PdVirtualPrinter *self);
/* Every DLE EOT answer followed, in the same transfer, by an automatic status back message,
 * as a printer whose state changed just then may send them. */
void              pd_virtual_printer_set_asb_with_status (PdVirtualPrinter *self,
                                                          gboolean          with_status);
/* The n of the last GS a (0 when none came), and how many came. */
guint8            pd_virtual_printer_get_automatic_status (PdVirtualPrinter *self,
                                                           guint            *requests);
/* Bytes of print data taken since plugged in, including those taken before a paper-out. */
gsize             pd_virtual_printer_get_received_length (PdVirtualPrinter *self);

G_END_DECLS
