#pragma once

#include <gio/gio.h>

#include "pd-usb-device.h"

G_BEGIN_DECLS

/* What a device is doing now, as flags: a printer can be ready with its paper low. */
typedef enum {
  PD_DEVICE_HEALTH_ABSENT             = 0,
  PD_DEVICE_HEALTH_PRESENT            = 1 << 0,
  PD_DEVICE_HEALTH_READY              = 1 << 1,
  PD_DEVICE_HEALTH_PAPER_LOW          = 1 << 2,
  PD_DEVICE_HEALTH_PAPER_OUT          = 1 << 3,
  PD_DEVICE_HEALTH_COVER_OPEN         = 1 << 4,
  PD_DEVICE_HEALTH_OFFLINE            = 1 << 5,
  PD_DEVICE_HEALTH_BUSY_KERNEL_DRIVER = 1 << 6,
  PD_DEVICE_HEALTH_NO_PERMISSION      = 1 << 7,
  PD_DEVICE_HEALTH_ERROR              = 1 << 8,
} PdDeviceHealth;

/* The words for logs and `paydesk-ctl devices`, e.g. "present,ready,paper-low". */
char *pd_device_health_to_string (PdDeviceHealth health);

typedef enum {
  PD_USB_MATCH_VENDOR_PRODUCT     = 1 << 0,
  PD_USB_MATCH_INTERFACE_CLASS    = 1 << 1,
  PD_USB_MATCH_INTERFACE_SUBCLASS = 1 << 2,
  PD_USB_MATCH_INTERFACE_PROTOCOL = 1 << 3,
} PdUsbMatchFlags;

/* One line of a driver's id table, as the kernel's usb_device_id: only the fields named in
 * match are compared. A line with match 0 ends the table. */
typedef struct {
  PdUsbMatchFlags match;
  guint16 vendor_id;
  guint16 product_id;
  guint8 interface_class;
  guint8 interface_subclass;
  guint8 interface_protocol;
  gconstpointer driver_data;
} PdUsbIdEntry;

#define PD_TYPE_USB_DRIVER (pd_usb_driver_get_type ())

G_DECLARE_DERIVABLE_TYPE (PdUsbDriver, pd_usb_driver, PD, USB_DRIVER, GObject)

/* What a watch calls, on its worker thread, when the device said on its own that its health
 * changed: the whole health (PRESENT included) and a sentence for people, or NULL. */
typedef void (*PdUsbHealthReport) (PdUsbDriver    *driver,
                                   PdDeviceHealth  health,
                                   const char     *detail,
                                   gpointer        data);

/* A driver is a subclass, like libfprint's FpDeviceClass: its class says which hardware it
 * takes; an instance drives one device. Every vfunc blocks and runs on a worker thread.
 *   open:         take the device (the default claims the matched interface);
 *   close:        give it back (the default releases it, re-attaching a kernel driver);
 *   query_status: ask the device how it is, as health flags and a sentence for people;
 *   watch:        optional, for a device that reports changes unasked (a printer's automatic
 *                 status back): after open, blocks on its own worker until cancelled or the
 *                 device is gone, calling report from that worker each time the device says
 *                 its health changed. It shares the device with the operations and must let
 *                 them through. It returns at once when the device will say nothing.
 * The operations of a kind of device (print, read a check) are the subclass's own API. */
struct _PdUsbDriverClass {
  GObjectClass parent_class;

  const char *id;
  const char *full_name;
  const PdUsbIdEntry *id_table;

  gboolean       (*open)         (PdUsbDriver   *self,
                                  GCancellable  *cancellable,
                                  GError       **error);
  void           (*close)        (PdUsbDriver   *self);
  PdDeviceHealth (*query_status) (PdUsbDriver   *self,
                                  GCancellable  *cancellable,
                                  char         **detail,
                                  GError       **error);
  void           (*watch)        (PdUsbDriver      *self,
                                  PdUsbHealthReport report,
                                  gpointer          report_data,
                                  GCancellable     *cancellable);

  gpointer padding[7];
};

/* The line of the table that takes this device, and which interface, or NULL. Reads only
 * descriptors libusb cached at enumeration. */
const PdUsbIdEntry *pd_usb_driver_class_match (PdUsbDriverClass *klass,
                                               libusb_device    *device,
                                               int              *interface_number);

/* Main thread only: the manager may replace the device there. */
PdUsbDevice    *pd_usb_driver_get_device        (PdUsbDriver   *self);
/* A new reference, for a worker to hold while it uses the device. */
PdUsbDevice    *pd_usb_driver_dup_device        (PdUsbDriver   *self);
int             pd_usb_driver_get_interface     (PdUsbDriver   *self);
const char     *pd_usb_driver_get_id            (PdUsbDriver   *self);

gboolean        pd_usb_driver_open              (PdUsbDriver   *self,
                                                 GCancellable  *cancellable,
                                                 GError       **error);
void            pd_usb_driver_close             (PdUsbDriver   *self);
PdDeviceHealth  pd_usb_driver_query_status      (PdUsbDriver   *self,
                                                 GCancellable  *cancellable,
                                                 char         **detail,
                                                 GError       **error);
/* Blocks until cancelled when the class has a watch; returns at once when it has none. */
void            pd_usb_driver_watch             (PdUsbDriver      *self,
                                                 PdUsbHealthReport report,
                                                 gpointer          report_data,
                                                 GCancellable     *cancellable);

/* The last health the manager saw, kept on the main thread. */
PdDeviceHealth  pd_usb_driver_get_health        (PdUsbDriver   *self);
const char     *pd_usb_driver_get_health_detail (PdUsbDriver   *self);

G_END_DECLS
