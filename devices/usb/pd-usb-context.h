#pragma once

#include <gio/gio.h>
#include <libusb.h>

G_BEGIN_DECLS

#define PD_TYPE_USB_CONTEXT (pd_usb_context_get_type ())

G_DECLARE_FINAL_TYPE (PdUsbContext, pd_usb_context, PD, USB_CONTEXT, GObject)

typedef enum {
  PD_USB_CONTEXT_FLAGS_NONE = 0,
  /* Look for devices by enumerating every second even when libusb has hotplug support. */
  PD_USB_CONTEXT_FLAGS_POLL = 1 << 0,
} PdUsbContextFlags;

/* The process's one libusb context. Its events (transfers, hotplug) are handled on a worker
 * thread; devices coming and going are reported on the main context where it was started:
 *   device-arrived (libusb_device *), device-left (libusb_device *)
 * The device pointer is valid during the emission; ref it with libusb_ref_device to keep it.
 *   enumerated ()  once per start, after the arrivals of the devices plugged in then.
 * Devices already plugged in arrive right after pd_usb_context_start(). */
PdUsbContext   *pd_usb_context_new            (PdUsbContextFlags   flags,
                                               GError            **error);
void            pd_usb_context_start          (PdUsbContext       *self);
void            pd_usb_context_stop           (PdUsbContext       *self);
libusb_context *pd_usb_context_get_libusb     (PdUsbContext       *self);
/* TRUE when arrivals and removals come from libusb's hotplug, FALSE when enumerating. */
gboolean        pd_usb_context_get_hotplug    (PdUsbContext       *self);

G_END_DECLS
