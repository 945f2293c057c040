#pragma once

#include <gio/gio.h>
#include <libusb.h>

#include "pd-usb-context.h"

G_BEGIN_DECLS

#define PD_USB_ERROR (pd_usb_error_quark ())

typedef enum {
  PD_USB_ERROR_FAILED,
  PD_USB_ERROR_NO_DEVICE,     /* unplugged */
  PD_USB_ERROR_BUSY,          /* a kernel driver (usblp) or another program holds it */
  PD_USB_ERROR_ACCESS,        /* no permission: the udev rule is missing */
  PD_USB_ERROR_NOT_SUPPORTED, /* no interface or endpoint this driver can use */
  PD_USB_ERROR_TIMEOUT,
  PD_USB_ERROR_NOT_OPEN,
} PdUsbError;

/* The udev rule that lets the paydesk group use receipt printers and check scanners. */
#define PD_USB_UDEV_RULE "70-paydesk.rules"

#define PD_TYPE_USB_DEVICE (pd_usb_device_get_type ())

G_DECLARE_FINAL_TYPE (PdUsbDevice, pd_usb_device, PD, USB_DEVICE, GObject)

GQuark       pd_usb_error_quark              (void);
void         pd_usb_set_error_from_libusb    (GError       **error,
                                              int            rc,
                                              const char    *doing);

/* One USB device, and once opened one claimed interface with its bulk endpoints. Opening,
 * closing and the synchronous transfers block: call them from a worker thread. The
 * transfers need the context's event thread (pd_usb_context_start). */
PdUsbDevice *pd_usb_device_new               (PdUsbContext  *context,
                                              libusb_device *device);
libusb_device *pd_usb_device_get_libusb      (PdUsbDevice   *self);
guint16      pd_usb_device_get_vendor_id     (PdUsbDevice   *self);
guint16      pd_usb_device_get_product_id    (PdUsbDevice   *self);
/* "bus-port.port...", the same after a replug into the same socket. */
const char  *pd_usb_device_get_port_path     (PdUsbDevice   *self);
/* Known once opened; NULL when the device has none. A copy: closing frees the device's. */
char        *pd_usb_device_dup_serial        (PdUsbDevice   *self);

gboolean     pd_usb_device_open              (PdUsbDevice   *self,
                                              int            interface_number,
                                              GError       **error);
/* Cancels the transfers in progress first, so it does not wait for their timeouts. */
void         pd_usb_device_close             (PdUsbDevice   *self);
gboolean     pd_usb_device_is_open           (PdUsbDevice   *self);
int          pd_usb_device_get_interface     (PdUsbDevice   *self);
guint8       pd_usb_device_get_bulk_in       (PdUsbDevice   *self);
guint8       pd_usb_device_get_bulk_out      (PdUsbDevice   *self);
/* Whether opening had to detach a kernel driver (re-attached on close). */
gboolean     pd_usb_device_get_detached_kernel_driver (PdUsbDevice *self);

gboolean     pd_usb_device_write             (PdUsbDevice   *self,
                                              const guint8  *data,
                                              gsize          length,
                                              guint          timeout_ms,
                                              GCancellable  *cancellable,
                                              GError       **error);
/* As pd_usb_device_write, and how much of data the device took, also when it failed:
 * a printer stopped mid-job has taken part of the last chunk. */
gboolean     pd_usb_device_write_partial     (PdUsbDevice   *self,
                                              const guint8  *data,
                                              gsize          length,
                                              guint          timeout_ms,
                                              gsize         *written,
                                              GCancellable  *cancellable,
                                              GError       **error);
/* Up to max_length bytes, whatever the device sends first. */
GBytes      *pd_usb_device_read              (PdUsbDevice   *self,
                                              gsize          max_length,
                                              guint          timeout_ms,
                                              GCancellable  *cancellable,
                                              GError       **error);
/* Throws away what the device sent that nobody read (an answer that came after its read
 * timed out), so that the next answer read is the answer to the next request. Returns how
 * many bytes went; FALSE only for a real failure (unplugged, cancelled). */
gboolean     pd_usb_device_drain             (PdUsbDevice   *self,
                                              gsize         *discarded,
                                              GCancellable  *cancellable,
                                              GError       **error);

void         pd_usb_device_write_async       (PdUsbDevice        *self,
                                              GBytes             *data,
                                              guint               timeout_ms,
                                              GCancellable       *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer            user_data);
gboolean     pd_usb_device_write_finish      (PdUsbDevice   *self,
                                              GAsyncResult  *result,
                                              GError       **error);
void         pd_usb_device_read_async        (PdUsbDevice        *self,
                                              gsize               max_length,
                                              guint               timeout_ms,
                                              GCancellable       *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer            user_data);
GBytes      *pd_usb_device_read_finish       (PdUsbDevice   *self,
                                              GAsyncResult  *result,
                                              GError       **error);

G_END_DECLS
