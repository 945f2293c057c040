#pragma once

#include <umockdev.h>

G_BEGIN_DECLS

#define PD_TYPE_VIRTUAL_USB_DEVICE (pd_virtual_usb_device_get_type ())

G_DECLARE_DERIVABLE_TYPE (PdVirtualUsbDevice, pd_virtual_usb_device, PD, VIRTUAL_USB_DEVICE,
                          UMockdevIoctlBase)

/* An OUT URB the device cannot take yet, and how much of it it took already. */
typedef struct {
  UMockdevIoctlData *urb_data;
  gsize consumed;
} PdVirtualUsbPendingOut;

/* The usbfs side of a virtual USB device in a umockdev testbed: it answers the ioctls libusb
 * sends (capabilities, claim and release, kernel driver, string descriptors, URB submit, reap
 * and discard) from the testbed's thread, and plugs and unplugs the device. IN transfers take
 * the answers queued with pd_virtual_usb_device_answer_locked() in order. Subclasses say what
 * becomes of the data written to the bulk OUT endpoint. Programs using it run with
 * libumockdev-preload.so loaded (umockdev-wrapper). */
struct _PdVirtualUsbDeviceClass {
  UMockdevIoctlBaseClass parent_class;

  /* Called with the lock held, for a bulk OUT URB and its data (NULL when it has none); it
   * finishes the URB or holds it with pd_virtual_usb_device_hold_out_locked(). */
  void (*bulk_out) (PdVirtualUsbDevice *self,
                    UMockdevIoctlData  *urb_data,
                    const guint8       *data,
                    gsize               length);
};

/* What the device is: its place on bus 1 (port 1-N, device number), its descriptors in hex,
 * its product name and serial number (string descriptors 2 and 3), and whether a kernel
 * driver may bind its interface (GETDRIVER and the driver ioctls answered); for subclasses'
 * constructors. */
void          pd_virtual_usb_device_setup          (PdVirtualUsbDevice *self,
                                                    UMockdevTestbed    *testbed,
                                                    guint               port,
                                                    guint               devnum,
                                                    const char         *descriptors_hex,
                                                    const char         *product,
                                                    const char         *serial,
                                                    gboolean            kernel_drivers);
void          pd_virtual_usb_device_plug           (PdVirtualUsbDevice *self);
/* Transfers in flight end as the kernel ends them on a disconnect (-ESHUTDOWN, "no device"
 * for libusb) and are reaped before the device goes. */
void          pd_virtual_usb_device_unplug         (PdVirtualUsbDevice *self);

void          pd_virtual_usb_device_set_kernel_driver (PdVirtualUsbDevice *self,
                                                       const char         *driver,
                                                       gboolean            detachable);
const char   *pd_virtual_usb_device_get_kernel_driver (PdVirtualUsbDevice *self);
guint         pd_virtual_usb_device_get_reattached    (PdVirtualUsbDevice *self);

/* How many IN URBs wait for an answer: a read is in progress. */
guint         pd_virtual_usb_device_get_waiting_in_length (PdVirtualUsbDevice *self);
/* Everything recorded as received since the last call. */
GBytes       *pd_virtual_usb_device_take_received  (PdVirtualUsbDevice *self);

/* The handler runs on the testbed's thread, the test on its own: this lock guards the
 * device's state, the subclasses' too. */
void          pd_virtual_usb_device_lock           (PdVirtualUsbDevice *self);
void          pd_virtual_usb_device_unlock         (PdVirtualUsbDevice *self);

/* For subclasses, with the lock held. */
UMockdevIoctlData *pd_virtual_usb_device_urb_buffer (UMockdevIoctlData *urb_data);
void          pd_virtual_usb_device_finish_urb_locked (PdVirtualUsbDevice *self,
                                                       UMockdevIoctlData  *urb_data,
                                                       int                 status);
/* Bytes for the next IN transfer. */
void          pd_virtual_usb_device_answer_locked  (PdVirtualUsbDevice *self,
                                                    const guint8       *data,
                                                    gsize               length);
void          pd_virtual_usb_device_record_locked  (PdVirtualUsbDevice *self,
                                                    const guint8       *data,
                                                    gsize               length);
/* OUT URBs held back, PdVirtualUsbPendingOut, oldest first; a discard or an unplug ends
 * them. */
void          pd_virtual_usb_device_hold_out_locked (PdVirtualUsbDevice *self,
                                                     UMockdevIoctlData  *urb_data);
GQueue       *pd_virtual_usb_device_get_waiting_out (PdVirtualUsbDevice *self);
void          pd_virtual_usb_pending_out_free      (PdVirtualUsbPendingOut *pending);

G_END_DECLS
