#include <string.h>

#include "pd-virtual-hid-scanner.h"

/* Device 0c2e:0b8f, one configuration, one HID interface (class 03, no boot protocol) with
 * its HID descriptor and one interrupt IN endpoint 0x81 of 64 bytes. */
static const char descriptors_hex[] =
  "12010002000000" "40" "2e0c8f0b" "0001" "010203" "01"
  "0902" "2200" "01" "01" "00" "80" "32"
  "090400000103000000"
  "092111010001224000"
  "07058103400001";

#define REPORT_BYTES 64
#define DATA_BYTES 56

struct _PdVirtualHidScanner {
  PdVirtualUsbDevice parent_instance;
};

G_DEFINE_FINAL_TYPE (PdVirtualHidScanner, pd_virtual_hid_scanner, PD_TYPE_VIRTUAL_USB_DEVICE)

#define BASE(self) PD_VIRTUAL_USB_DEVICE (self)

static void
pd_virtual_hid_scanner_class_init (PdVirtualHidScannerClass *klass)
{
}

static void
pd_virtual_hid_scanner_init (PdVirtualHidScanner *self)
{
}

PdVirtualHidScanner *
pd_virtual_hid_scanner_new (UMockdevTestbed *testbed)
{
  PdVirtualHidScanner *self = g_object_new (PD_TYPE_VIRTUAL_HID_SCANNER, NULL);

  pd_virtual_usb_device_setup (BASE (self), testbed, 3, 4, descriptors_hex,
                               "Virtual HID POS scanner", "VS0001", TRUE);
  pd_virtual_usb_device_set_kernel_driver (BASE (self), "usbhid", TRUE);
  return self;
}

void
pd_virtual_hid_scanner_plug (PdVirtualHidScanner *self)
{
  pd_virtual_usb_device_plug (BASE (self));
}

void
pd_virtual_hid_scanner_scan (PdVirtualHidScanner *self,
                             const char          *text)
{
  gsize length = strlen (text);
  gsize sent = 0;

  pd_virtual_usb_device_lock (BASE (self));
  do
    {
      guint8 report[REPORT_BYTES] = { 0x02 };
      gsize part = MIN (length - sent, (gsize) DATA_BYTES);

      report[1] = (guint8) part;
      /* AIM symbology identifier: ]Q1, a QR code. */
      memcpy (report + 2, "]Q1", 3);
      memcpy (report + 5, text + sent, part);
      sent += part;
      report[REPORT_BYTES - 1] = sent < length;
      pd_virtual_usb_device_answer_locked (BASE (self), report, sizeof report);
    }
  while (sent < length);
  pd_virtual_usb_device_unlock (BASE (self));
}

void
pd_virtual_hid_scanner_send_other_report (PdVirtualHidScanner *self)
{
  guint8 report[REPORT_BYTES] = { 0x04, 0x01 };

  pd_virtual_usb_device_lock (BASE (self));
  pd_virtual_usb_device_answer_locked (BASE (self), report, sizeof report);
  pd_virtual_usb_device_unlock (BASE (self));
}
