/* The USB layer through the real libusb, against a virtual printer in a umockdev testbed. */
#include <stdio.h>

#include "pd-test-common.h"

#include "pd-usb-test-fixture.h"
#include "pd-usb-raw-printer.h"

#define wait_for(fixture, condition) \
  pd_usb_test_wait ((fixture), (PdUsbTestCondition) (condition))

typedef PdPrinterTestFixture Fixture;

static gboolean
is_removed (Fixture *fixture)
{
  return fixture->usb.removed_count > 0;
}

static PdUsbDevice *
plug_and_open (Fixture          *fixture,
               PdUsbContextFlags flags)
{
  pd_virtual_printer_plug (fixture->printer);
  pd_usb_test_fixture_start (&fixture->usb, flags, PD_TYPE_USB_RAW_PRINTER);
  wait_for (fixture, pd_usb_test_is_ready);
  return pd_usb_driver_get_device (fixture->usb.added);
}

static void
test_open (Fixture       *fixture,
           gconstpointer  data)
{
  PdUsbDevice *device = plug_and_open (fixture, PD_USB_CONTEXT_FLAGS_NONE);
  GPtrArray *drivers = pd_device_manager_get_drivers (fixture->usb.manager);
  g_autofree char *serial = NULL;

  g_test_message ("devices found by %s",
                  pd_usb_context_get_hotplug (fixture->usb.context) ? "hotplug" : "enumeration");
  g_assert_cmpuint (drivers->len, ==, 1);
  g_assert_true (PD_IS_USB_RAW_PRINTER (g_ptr_array_index (drivers, 0)));
  g_assert_cmpstr (pd_usb_driver_get_id (fixture->usb.added), ==, "raw-printer");
  g_assert_cmpint (pd_usb_driver_get_health (fixture->usb.added), ==,
                   PD_DEVICE_HEALTH_PRESENT | PD_DEVICE_HEALTH_READY);
  g_assert_cmphex (pd_usb_device_get_vendor_id (device), ==, 0x04b8);
  g_assert_cmphex (pd_usb_device_get_product_id (device), ==, 0x0202);
  g_assert_cmpint (pd_usb_device_get_interface (device), ==, 0);
  /* From the descriptors: OUT 0x01 and IN 0x82. */
  g_assert_cmphex (pd_usb_device_get_bulk_out (device), ==, 0x01);
  g_assert_cmphex (pd_usb_device_get_bulk_in (device), ==, 0x82);
  serial = pd_usb_device_dup_serial (device);
  g_assert_cmpstr (serial, ==, "VP0001");
  g_assert_false (pd_usb_device_get_detached_kernel_driver (device));
}

static void
test_write (Fixture       *fixture,
            gconstpointer  data)
{
  PdUsbDevice *device = plug_and_open (fixture, PD_USB_CONTEXT_FLAGS_NONE);
  static const guint8 receipt[] = { 0x1b, '@', 'P', 'a', 'y', 'd', 'e', 's', 'k', '\n',
                                    0x1d, 'V', 0x00 };
  g_autoptr(GBytes) sent = g_bytes_new_static (receipt, sizeof receipt);
  g_autoptr(GBytes) received = NULL;
  g_autoptr(GError) error = NULL;

  pd_usb_device_write_async (device, sent, 1000, NULL, pd_usb_test_keep_result, fixture);
  wait_for (fixture, pd_usb_test_has_result);
  g_assert_true (pd_usb_device_write_finish (device, fixture->usb.result, &error));
  g_assert_no_error (error);

  received = pd_virtual_printer_take_received (fixture->printer);
  g_assert_true (g_bytes_equal (received, sent));
}

static void
test_read (Fixture       *fixture,
           gconstpointer  data)
{
  PdUsbDevice *device = plug_and_open (fixture, PD_USB_CONTEXT_FLAGS_NONE);
  static const guint8 status[] = { 0x16 };
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;

  pd_virtual_printer_answer (fixture->printer, status, sizeof status);
  pd_usb_device_read_async (device, 64, 1000, NULL, pd_usb_test_keep_result, fixture);
  wait_for (fixture, pd_usb_test_has_result);
  answer = pd_usb_device_read_finish (device, fixture->usb.result, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer),
                   status, sizeof status);
}

static void
test_read_timeout (Fixture       *fixture,
                   gconstpointer  data)
{
  PdUsbDevice *device = plug_and_open (fixture, PD_USB_CONTEXT_FLAGS_NONE);
  static const guint8 late[] = { 0x12 };
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  pd_usb_device_read_async (device, 64, 200, NULL, pd_usb_test_keep_result, fixture);
  wait_for (fixture, pd_usb_test_has_result);
  answer = pd_usb_device_read_finish (device, fixture->usb.result, &error);
  g_assert_error (error, PD_USB_ERROR, PD_USB_ERROR_TIMEOUT);
  g_assert_null (answer);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 150 * 1000);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);

  /* Nothing is left behind: the next read gets the next answer. */
  g_clear_error (&error);
  g_clear_object (&fixture->usb.result);
  pd_virtual_printer_answer (fixture->printer, late, sizeof late);
  answer = pd_usb_device_read (device, 64, 1000, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (answer), ==, 1);
}

static gboolean
cancel_later (gpointer cancellable)
{
  g_cancellable_cancel (cancellable);
  return G_SOURCE_REMOVE;
}

static void
test_read_cancelled (Fixture       *fixture,
                     gconstpointer  data)
{
  PdUsbDevice *device = plug_and_open (fixture, PD_USB_CONTEXT_FLAGS_NONE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  pd_usb_device_read_async (device, 64, 30000, cancellable, pd_usb_test_keep_result, fixture);
  g_timeout_add (100, cancel_later, cancellable);
  wait_for (fixture, pd_usb_test_has_result);
  answer = pd_usb_device_read_finish (device, fixture->usb.result, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (answer);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
}

static gboolean
is_reading (Fixture *fixture)
{
  PdVirtualUsbDevice *device = PD_VIRTUAL_USB_DEVICE (fixture->printer);

  return pd_virtual_usb_device_get_waiting_in_length (device) > 0;
}

/* Closing on the main thread (dispose, finalize) must not wait for a transfer's timeout:
 * it cancels the transfer first. Without that, close returns only when the read times out,
 * and the read ends with a timeout instead. */
static void
test_close_during_read (Fixture       *fixture,
                        gconstpointer  data)
{
  PdUsbDevice *device = plug_and_open (fixture, PD_USB_CONTEXT_FLAGS_NONE);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;

  pd_usb_device_read_async (device, 64, 30000, NULL, pd_usb_test_keep_result, fixture);
  wait_for (fixture, is_reading);
  pd_usb_device_close (device);
  g_assert_false (pd_usb_device_is_open (device));

  wait_for (fixture, pd_usb_test_has_result);
  answer = pd_usb_device_read_finish (device, fixture->usb.result, &error);
  g_assert_null (answer);
  g_test_message ("%s", error->message);
  g_assert_true (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
                 g_error_matches (error, PD_USB_ERROR, PD_USB_ERROR_NO_DEVICE));
}

static void
check_replug (Fixture *fixture)
{
  PdUsbDriver *first = g_object_ref (fixture->usb.added);

  pd_virtual_printer_unplug (fixture->printer);
  wait_for (fixture, is_removed);
  g_assert_cmpuint (pd_device_manager_get_drivers (fixture->usb.manager)->len, ==, 0);
  g_assert_cmpint (pd_usb_driver_get_health (first), ==, PD_DEVICE_HEALTH_ABSENT);

  /* Let the manager close it before the printer comes back. */
  for (int i = 0; i < 50; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
  g_clear_object (&fixture->usb.added);
  pd_virtual_printer_plug (fixture->printer);
  wait_for (fixture, pd_usb_test_is_ready);
  g_assert_true (fixture->usb.added == first);
  g_assert_cmpuint (fixture->usb.added_count, ==, 2);
  g_assert_true (pd_usb_device_is_open (pd_usb_driver_get_device (first)));
  g_object_unref (first);
}

static void
test_replug (Fixture       *fixture,
             gconstpointer  data)
{
  plug_and_open (fixture, PD_USB_CONTEXT_FLAGS_NONE);
  if (!pd_usb_context_get_hotplug (fixture->usb.context))
    g_test_message ("libusb has no hotplug here: removal found by enumeration");
  check_replug (fixture);
}

static void
test_replug_polling (Fixture       *fixture,
                     gconstpointer  data)
{
  plug_and_open (fixture, PD_USB_CONTEXT_FLAGS_POLL);
  g_assert_false (pd_usb_context_get_hotplug (fixture->usb.context));
  check_replug (fixture);
}

static void
test_kernel_driver_detached (Fixture       *fixture,
                             gconstpointer  data)
{
  PdUsbDevice *device;

  pd_virtual_printer_set_kernel_driver (fixture->printer, "usblp", TRUE);
  device = plug_and_open (fixture, PD_USB_CONTEXT_FLAGS_NONE);
  g_assert_true (pd_usb_device_get_detached_kernel_driver (device));
  g_assert_null (pd_virtual_printer_get_kernel_driver (fixture->printer));

  /* Closing gives the printer back to usblp. */
  pd_usb_driver_close (fixture->usb.added);
  g_assert_cmpstr (pd_virtual_printer_get_kernel_driver (fixture->printer), ==, "usblp");
  g_assert_cmpuint (pd_virtual_printer_get_reattached (fixture->printer), ==, 1);
}

static void
test_kernel_driver_busy (Fixture       *fixture,
                         gconstpointer  data)
{
  pd_virtual_printer_set_kernel_driver (fixture->printer, "usblp", FALSE);
  pd_virtual_printer_plug (fixture->printer);
  pd_usb_test_fixture_start (&fixture->usb, PD_USB_CONTEXT_FLAGS_NONE, PD_TYPE_USB_RAW_PRINTER);
  wait_for (fixture, pd_usb_test_is_opened_or_failed);

  g_assert_cmpint (pd_usb_driver_get_health (fixture->usb.added), ==,
                   PD_DEVICE_HEALTH_PRESENT | PD_DEVICE_HEALTH_BUSY_KERNEL_DRIVER);
  g_assert_nonnull (strstr (pd_usb_driver_get_health_detail (fixture->usb.added), "usblp"));
  g_assert_nonnull (strstr (pd_usb_driver_get_health_detail (fixture->usb.added), "CUPS"));
  g_assert_false (pd_usb_device_is_open (pd_usb_driver_get_device (fixture->usb.added)));
}

static gboolean
is_settled (Fixture *fixture)
{
  return pd_device_manager_is_settled (fixture->usb.manager);
}

/* What a one-shot program waits for: the printer plugged in at start has been opened (or said
 * why not) by the time the manager says it has settled, found by hotplug or by polling. */
static void
check_settled (Fixture          *fixture,
               PdUsbContextFlags flags,
               gboolean          plugged)
{
  GPtrArray *drivers;

  if (plugged)
    pd_virtual_printer_plug (fixture->printer);
  pd_usb_test_fixture_start (&fixture->usb, flags, PD_TYPE_USB_RAW_PRINTER);
  g_assert_false (is_settled (fixture));
  wait_for (fixture, is_settled);

  drivers = pd_device_manager_get_drivers (fixture->usb.manager);
  g_assert_cmpuint (drivers->len, ==, plugged ? 1 : 0);
  if (plugged)
    g_assert_cmpint (pd_usb_driver_get_health (g_ptr_array_index (drivers, 0)), ==,
                     PD_DEVICE_HEALTH_PRESENT | PD_DEVICE_HEALTH_READY);
}

static void
test_settled (Fixture       *fixture,
              gconstpointer  data)
{
  check_settled (fixture, PD_USB_CONTEXT_FLAGS_NONE, TRUE);
}

static void
test_settled_polling (Fixture       *fixture,
                      gconstpointer  data)
{
  check_settled (fixture, PD_USB_CONTEXT_FLAGS_POLL, TRUE);
}

static void
test_settled_empty (Fixture       *fixture,
                    gconstpointer  data)
{
  check_settled (fixture, PD_USB_CONTEXT_FLAGS_NONE, FALSE);
}

/* Only libusb's error is checked: the tests run as root (permissions do not apply) or in a
 * sandbox where the testbed's device nodes are sockets, so EACCES cannot be provoked. */
static void
test_permission_message (void)
{
  g_autoptr(GError) error = NULL;

  pd_usb_set_error_from_libusb (&error, LIBUSB_ERROR_ACCESS, "opening");
  g_assert_error (error, PD_USB_ERROR, PD_USB_ERROR_ACCESS);
  g_assert_nonnull (strstr (error->message, "70-paydesk.rules"));
}

static void
test_health_words (void)
{
  g_autofree char *absent = pd_device_health_to_string (PD_DEVICE_HEALTH_ABSENT);
  g_autofree char *low = pd_device_health_to_string (PD_DEVICE_HEALTH_PRESENT |
                                                     PD_DEVICE_HEALTH_READY |
                                                     PD_DEVICE_HEALTH_PAPER_LOW);

  g_assert_cmpstr (absent, ==, "absent");
  g_assert_cmpstr (low, ==, "present,ready,paper-low");
}

#define ADD(path, test) \
  g_test_add (path, Fixture, NULL, pd_printer_test_fixture_set_up, test, \
              pd_printer_test_fixture_tear_down)

int
main (int    argc,
      char **argv)
{
  if (!pd_usb_test_init (&argc, &argv))
    return 0;

  ADD ("/usb/manager/open", test_open);
  ADD ("/usb/device/write", test_write);
  ADD ("/usb/device/read", test_read);
  ADD ("/usb/device/read-timeout", test_read_timeout);
  ADD ("/usb/device/read-cancelled", test_read_cancelled);
  ADD ("/usb/device/close-during-read", test_close_during_read);
  ADD ("/usb/manager/replug", test_replug);
  ADD ("/usb/manager/replug-polling", test_replug_polling);
  ADD ("/usb/manager/kernel-driver-detached", test_kernel_driver_detached);
  ADD ("/usb/manager/kernel-driver-busy", test_kernel_driver_busy);
  ADD ("/usb/manager/settled", test_settled);
  ADD ("/usb/manager/settled-polling", test_settled_polling);
  ADD ("/usb/manager/settled-empty", test_settled_empty);
  g_test_add_func ("/usb/error/permission-message", test_permission_message);
  g_test_add_func ("/usb/health/words", test_health_words);

  return g_test_run ();
}
