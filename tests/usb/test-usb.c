/* The USB layer through the real libusb, against a virtual printer in a umockdev testbed. */
#include <stdio.h>

#include "pd-test-common.h"

#ifdef PD_HAVE_UMOCKDEV

#include "pd-device-manager.h"
#include "pd-usb-raw-printer.h"
#include "pd-virtual-printer.h"

#define WAIT_TIMEOUT_USEC (5 * G_USEC_PER_SEC)

typedef struct {
  UMockdevTestbed *testbed;
  PdVirtualPrinter *printer;
  PdUsbContext *context;
  PdDeviceManager *manager;
  PdUsbDriver *added;
  guint added_count;
  guint removed_count;
  GAsyncResult *result;
} Fixture;

static void
on_added (PdDeviceManager *manager,
          PdUsbDriver     *driver,
          Fixture         *fixture)
{
  g_set_object (&fixture->added, driver);
  fixture->added_count++;
}

static void
on_removed (PdDeviceManager *manager,
            PdUsbDriver     *driver,
            Fixture         *fixture)
{
  g_assert_true (driver == fixture->added);
  fixture->removed_count++;
}

static void
start_manager (Fixture          *fixture,
               PdUsbContextFlags flags)
{
  g_autoptr(GError) error = NULL;

  fixture->context = pd_usb_context_new (flags, &error);
  g_assert_no_error (error);
  fixture->manager = pd_device_manager_new (fixture->context);
  pd_device_manager_register_driver (fixture->manager, PD_TYPE_USB_RAW_PRINTER);
  g_signal_connect (fixture->manager, "device-added", G_CALLBACK (on_added), fixture);
  g_signal_connect (fixture->manager, "device-removed", G_CALLBACK (on_removed), fixture);
  pd_device_manager_start (fixture->manager);
}

static void
set_up (Fixture       *fixture,
        gconstpointer  data)
{
  fixture->testbed = umockdev_testbed_new ();
  fixture->printer = pd_virtual_printer_new (fixture->testbed, "VP0001");
}

static void
tear_down (Fixture       *fixture,
           gconstpointer  data)
{
  g_clear_object (&fixture->added);
  g_clear_object (&fixture->result);
  if (fixture->manager != NULL)
    {
      pd_device_manager_stop (fixture->manager);
      pd_usb_context_stop (fixture->context);
      /* Events and finished tasks still queued hold the manager and the context. */
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_assert_finalize_object (g_steal_pointer (&fixture->manager));
      /* libusb keeps one udev monitor while any context lives: the next test's testbed
       * would never be heard from if this one stayed. */
      g_assert_finalize_object (g_steal_pointer (&fixture->context));
    }
  g_clear_object (&fixture->printer);
  g_clear_object (&fixture->testbed);
}

typedef gboolean (*Condition) (Fixture *fixture);

/* Runs the main loop until the condition holds; fails the test after five seconds. */
static void
wait_for (Fixture   *fixture,
          Condition  condition)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_TIMEOUT_USEC;

  while (!condition (fixture))
    {
      if (g_get_monotonic_time () >= deadline && fixture->added != NULL)
        g_test_message ("waited in vain; health %x: %s",
                        pd_usb_driver_get_health (fixture->added),
                        pd_usb_driver_get_health_detail (fixture->added));
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static gboolean
is_ready (Fixture *fixture)
{
  return fixture->added != NULL &&
         (pd_usb_driver_get_health (fixture->added) & PD_DEVICE_HEALTH_READY);
}

static gboolean
has_result (Fixture *fixture)
{
  return fixture->result != NULL;
}

static gboolean
is_removed (Fixture *fixture)
{
  return fixture->removed_count > 0;
}

static gboolean
is_opened_or_failed (Fixture *fixture)
{
  return fixture->added != NULL &&
         pd_usb_driver_get_health (fixture->added) != PD_DEVICE_HEALTH_PRESENT;
}

static void
keep_result (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Fixture *fixture = user_data;

  fixture->result = g_object_ref (result);
}

static PdUsbDevice *
plug_and_open (Fixture          *fixture,
               PdUsbContextFlags flags)
{
  pd_virtual_printer_plug (fixture->printer);
  start_manager (fixture, flags);
  wait_for (fixture, is_ready);
  return pd_usb_driver_get_device (fixture->added);
}

static void
test_open (Fixture       *fixture,
           gconstpointer  data)
{
  PdUsbDevice *device = plug_and_open (fixture, PD_USB_CONTEXT_FLAGS_NONE);
  GPtrArray *drivers = pd_device_manager_get_drivers (fixture->manager);

  g_test_message ("devices found by %s",
                  pd_usb_context_get_hotplug (fixture->context) ? "hotplug" : "enumeration");
  g_assert_cmpuint (drivers->len, ==, 1);
  g_assert_true (PD_IS_USB_RAW_PRINTER (g_ptr_array_index (drivers, 0)));
  g_assert_cmpstr (pd_usb_driver_get_id (fixture->added), ==, "raw-printer");
  g_assert_cmpint (pd_usb_driver_get_health (fixture->added), ==,
                   PD_DEVICE_HEALTH_PRESENT | PD_DEVICE_HEALTH_READY);
  g_assert_cmphex (pd_usb_device_get_vendor_id (device), ==, 0x04b8);
  g_assert_cmphex (pd_usb_device_get_product_id (device), ==, 0x0202);
  g_assert_cmpint (pd_usb_device_get_interface (device), ==, 0);
  /* From the descriptors: OUT 0x01 and IN 0x82. */
  g_assert_cmphex (pd_usb_device_get_bulk_out (device), ==, 0x01);
  g_assert_cmphex (pd_usb_device_get_bulk_in (device), ==, 0x82);
  g_assert_cmpstr (pd_usb_device_get_serial (device), ==, "VP0001");
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

  pd_usb_device_write_async (device, sent, 1000, NULL, keep_result, fixture);
  wait_for (fixture, has_result);
  g_assert_true (pd_usb_device_write_finish (device, fixture->result, &error));
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
  pd_usb_device_read_async (device, 64, 1000, NULL, keep_result, fixture);
  wait_for (fixture, has_result);
  answer = pd_usb_device_read_finish (device, fixture->result, &error);
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

  pd_usb_device_read_async (device, 64, 200, NULL, keep_result, fixture);
  wait_for (fixture, has_result);
  answer = pd_usb_device_read_finish (device, fixture->result, &error);
  g_assert_error (error, PD_USB_ERROR, PD_USB_ERROR_TIMEOUT);
  g_assert_null (answer);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 150 * 1000);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);

  /* Nothing is left behind: the next read gets the next answer. */
  g_clear_error (&error);
  g_clear_object (&fixture->result);
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

  pd_usb_device_read_async (device, 64, 30000, cancellable, keep_result, fixture);
  g_timeout_add (100, cancel_later, cancellable);
  wait_for (fixture, has_result);
  answer = pd_usb_device_read_finish (device, fixture->result, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (answer);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
}

static void
check_replug (Fixture *fixture)
{
  PdUsbDriver *first = g_object_ref (fixture->added);

  pd_virtual_printer_unplug (fixture->printer);
  wait_for (fixture, is_removed);
  g_assert_cmpuint (pd_device_manager_get_drivers (fixture->manager)->len, ==, 0);
  g_assert_cmpint (pd_usb_driver_get_health (first), ==, PD_DEVICE_HEALTH_ABSENT);

  /* Let the manager close it before the printer comes back. */
  for (int i = 0; i < 50; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
  g_clear_object (&fixture->added);
  pd_virtual_printer_plug (fixture->printer);
  wait_for (fixture, is_ready);
  g_assert_true (fixture->added == first);
  g_assert_cmpuint (fixture->added_count, ==, 2);
  g_assert_true (pd_usb_device_is_open (pd_usb_driver_get_device (first)));
  g_object_unref (first);
}

static void
test_replug (Fixture       *fixture,
             gconstpointer  data)
{
  plug_and_open (fixture, PD_USB_CONTEXT_FLAGS_NONE);
  if (!pd_usb_context_get_hotplug (fixture->context))
    g_test_message ("libusb has no hotplug here: removal found by enumeration");
  check_replug (fixture);
}

static void
test_replug_polling (Fixture       *fixture,
                     gconstpointer  data)
{
  plug_and_open (fixture, PD_USB_CONTEXT_FLAGS_POLL);
  g_assert_false (pd_usb_context_get_hotplug (fixture->context));
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
  pd_usb_driver_close (fixture->added);
  g_assert_cmpstr (pd_virtual_printer_get_kernel_driver (fixture->printer), ==, "usblp");
  g_assert_cmpuint (pd_virtual_printer_get_reattached (fixture->printer), ==, 1);
}

static void
test_kernel_driver_busy (Fixture       *fixture,
                         gconstpointer  data)
{
  pd_virtual_printer_set_kernel_driver (fixture->printer, "usblp", FALSE);
  pd_virtual_printer_plug (fixture->printer);
  start_manager (fixture, PD_USB_CONTEXT_FLAGS_NONE);
  wait_for (fixture, is_opened_or_failed);

  g_assert_cmpint (pd_usb_driver_get_health (fixture->added), ==,
                   PD_DEVICE_HEALTH_PRESENT | PD_DEVICE_HEALTH_BUSY_KERNEL_DRIVER);
  g_assert_nonnull (strstr (pd_usb_driver_get_health_detail (fixture->added), "usblp"));
  g_assert_nonnull (strstr (pd_usb_driver_get_health_detail (fixture->added), "CUPS"));
  g_assert_false (pd_usb_device_is_open (pd_usb_driver_get_device (fixture->added)));
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
  g_test_add (path, Fixture, NULL, set_up, test, tear_down)

int
main (int    argc,
      char **argv)
{
  pd_test_init (&argc, &argv);

  if (strstr (g_getenv ("LD_PRELOAD") ?: "", "libumockdev-preload") == NULL)
    {
      printf ("1..0 # SKIP not run under umockdev-wrapper (libumockdev-preload.so)\n");
      return 0;
    }

  ADD ("/usb/manager/open", test_open);
  ADD ("/usb/device/write", test_write);
  ADD ("/usb/device/read", test_read);
  ADD ("/usb/device/read-timeout", test_read_timeout);
  ADD ("/usb/device/read-cancelled", test_read_cancelled);
  ADD ("/usb/manager/replug", test_replug);
  ADD ("/usb/manager/replug-polling", test_replug_polling);
  ADD ("/usb/manager/kernel-driver-detached", test_kernel_driver_detached);
  ADD ("/usb/manager/kernel-driver-busy", test_kernel_driver_busy);
  g_test_add_func ("/usb/error/permission-message", test_permission_message);
  g_test_add_func ("/usb/health/words", test_health_words);

  return g_test_run ();
}

#else

int
main (int    argc,
      char **argv)
{
  printf ("1..0 # SKIP umockdev (libumockdev-dev) was not found at build time\n");
  return 0;
}

#endif
