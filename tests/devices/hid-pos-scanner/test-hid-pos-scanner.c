/* The HID POS barcode scanner driver through the real libusb, against a virtual scanner in
 * a umockdev testbed: it takes the scanner from the kernel's usbhid, reads the invoice
 * coupon's scan line from its interrupt reports, a long barcode across several reports, and
 * skips reports that carry no barcode. */

#include <string.h>

#include "pd-coupon.h"
#include "pd-hid-pos-scanner.h"
#include "pd-peripherals.h"
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
  g_assert_error (error, PD_USB_ERROR, PD_USB_ERROR_TIMEOUT);
  g_clear_error (&error);
  pd_virtual_hid_scanner_scan (fixture->scanner, "LATER");
  scanned = pd_hid_pos_scanner_read_scan (scanner_of (fixture), 2000, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (scanned, ==, "LATER");
}

static void
on_scanned (PdPeripherals *peripherals,
            const char    *text,
            char         **scanned)
{
  g_free (*scanned);
  *scanned = g_strdup (text);
}

/* What the kiosk uses: [devices] barcode-scanner names the scanner, the peripherals find it,
 * read it on a worker of their own and report each barcode on the main loop. A training
 * terminal may name it only on this recorded bus, where no real device can be reached. */
static void
test_peripherals (void)
{
  g_autoptr(UMockdevTestbed) testbed = umockdev_testbed_new ();
  g_autoptr(PdVirtualHidScanner) scanner = pd_virtual_hid_scanner_new (testbed);
  g_autofree char *dir = pd_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "paydesk.conf", NULL);
  g_autoptr(PdConfig) config = NULL;
  g_autoptr(PdPeripherals) peripherals = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *scanned = NULL;

  pd_virtual_hid_scanner_plug (scanner);
  pd_test_write_file (path, "[terminal]\ntraining = true\n[journal]\ndata-dir = state\n"
                            "[devices]\nprinter = none\ncheck-scanner = none\n"
                            "barcode-scanner = usb:0c2e:0b8f\n");
  config = pd_config_load_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pd_config_get_barcode_scanner (config), ==, "usb:0c2e:0b8f");
  peripherals = pd_peripherals_new (config, &error);
  g_assert_no_error (error);
  g_signal_connect (peripherals, "scanned", G_CALLBACK (on_scanned), &scanned);
  pd_peripherals_start (peripherals);
  while (!pd_peripherals_is_settled (peripherals))
    g_main_context_iteration (NULL, TRUE);

  /* Shown once the scanner is read: the report waits in the device until then. */
  pd_virtual_hid_scanner_scan (scanner, "PD1124001234567890000007500INV20261100421P");
  while (scanned == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (scanned, ==, "PD1124001234567890000007500INV20261100421P");

  /* Unplugged and plugged back in: read again. */
  g_clear_pointer (&scanned, g_free);
  pd_virtual_usb_device_unplug (PD_VIRTUAL_USB_DEVICE (scanner));
  pd_virtual_hid_scanner_plug (scanner);
  pd_virtual_hid_scanner_scan (scanner, "AFTER-REPLUG");
  while (scanned == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (scanned, ==, "AFTER-REPLUG");

  g_clear_object (&peripherals);
  pd_test_remove_tree (dir);
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
  g_test_add_func ("/hid-pos-scanner/peripherals", test_peripherals);

  return g_test_run ();
}
