/* The HID POS barcode scanner driver through the real libusb, against a virtual scanner in
 * a umockdev testbed: it takes the scanner from the kernel's usbhid, reads the invoice
 * coupon's scan line from its interrupt reports, a long barcode across several reports, and
 * skips reports that carry no barcode. */

#include <string.h>

#include "pd-coupon.h"
#include "pd-hid-pos-scanner.h"
#include "pd-test-common.h"
#include "pd-usb-test-fixture.h"
#include "pd-virtual-hid-scanner.h"

typedef struct {
  PdUsbTestFixture usb;
  PdVirtualHidScanner *scanner;
} Fixture;

static void
set_up (Fixture       *fixture,
        gconstpointer  data)
{
  pd_usb_test_fixture_set_up (&fixture->usb);
  fixture->scanner = pd_virtual_hid_scanner_new (fixture->usb.testbed);
  pd_virtual_hid_scanner_plug (fixture->scanner);
  pd_usb_test_fixture_start (&fixture->usb, PD_USB_CONTEXT_FLAGS_NONE, PD_TYPE_HID_POS_SCANNER);
  pd_usb_test_wait (fixture, pd_usb_test_is_ready);
}

static void
tear_down (Fixture       *fixture,
           gconstpointer  data)
{
  pd_usb_test_fixture_tear_down (&fixture->usb, &fixture->scanner);
}

static PdHidPosScanner *
scanner_of (Fixture *fixture)
{
  return PD_HID_POS_SCANNER (fixture->usb.added);
}

/* Taken from usbhid, open and ready. */
static void
test_claimed (Fixture       *fixture,
              gconstpointer  data)
{
  PdUsbDriver *driver = fixture->usb.added;

  g_assert_true (PD_IS_HID_POS_SCANNER (driver));
  g_assert_cmpstr (pd_usb_driver_get_id (driver), ==, "hid-pos-scanner");
  g_assert_null (pd_virtual_usb_device_get_kernel_driver (
                   PD_VIRTUAL_USB_DEVICE (fixture->scanner)));
  g_assert_true (pd_usb_driver_get_health (driver) & PD_DEVICE_HEALTH_READY);
}

static void
test_coupon (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *line = pd_coupon_encode ("400123456789", "INV2026110042", 7500, &error);
  g_autofree char *scanned = NULL;
  g_autoptr(PdCoupon) coupon = NULL;

  g_assert_no_error (error);
  pd_virtual_hid_scanner_scan (fixture->scanner, line);
  scanned = pd_hid_pos_scanner_read_scan (scanner_of (fixture), 2000, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (scanned, ==, line);
  coupon = pd_coupon_parse (scanned, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (coupon->invoice_number, ==, "INV2026110042");
}

/* 130 characters: three reports, put back together. */
static void
test_long_barcode (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *scanned = NULL;

  for (guint i = 0; i < 130; i++)
    g_string_append_c (text, (char) ('A' + i % 26));
  pd_virtual_hid_scanner_scan (fixture->scanner, text->str);
  scanned = pd_hid_pos_scanner_read_scan (scanner_of (fixture), 2000, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (scanned, ==, text->str);
}

/* A report that is no barcode (a trigger pulled) is skipped; two scans are two barcodes. */
static void
test_other_reports (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  pd_virtual_hid_scanner_send_other_report (fixture->scanner);
  pd_virtual_hid_scanner_scan (fixture->scanner, "036000291452");
  pd_virtual_hid_scanner_scan (fixture->scanner, "PD1");
  first = pd_hid_pos_scanner_read_scan (scanner_of (fixture), 2000, NULL, &error);
  g_assert_no_error (error);
  second = pd_hid_pos_scanner_read_scan (scanner_of (fixture), 2000, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first, ==, "036000291452");
  g_assert_cmpstr (second, ==, "PD1");
}

/* Nothing shown to it: the wait ends with an error, and a barcode shown later is read. */
static void
test_nothing_scanned (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *scanned = pd_hid_pos_scanner_read_scan (scanner_of (fixture), 100, NULL,
                                                           &error);

  g_assert_null (scanned);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  pd_virtual_hid_scanner_scan (fixture->scanner, "LATER");
  scanned = pd_hid_pos_scanner_read_scan (scanner_of (fixture), 2000, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (scanned, ==, "LATER");
}

#define ADD(name, func) \
  g_test_add ("/hid-pos-scanner/" name, Fixture, NULL, set_up, func, tear_down)

int
main (int    argc,
      char **argv)
{
  if (!pd_usb_test_init (&argc, &argv))
    return 0;

  ADD ("claimed", test_claimed);
  ADD ("coupon", test_coupon);
  ADD ("long-barcode", test_long_barcode);
  ADD ("other-reports", test_other_reports);
  ADD ("nothing-scanned", test_nothing_scanned);

  return g_test_run ();
}
