#include <stdio.h>
#include <string.h>

#include "pd-test-common.h"
#include "pd-usb-test-fixture.h"

#define WAIT_TIMEOUT_USEC (5 * G_USEC_PER_SEC)

gboolean
pd_usb_test_init (int    *argc,
                  char ***argv)
{
  pd_test_init (argc, argv);

  if (strstr (g_getenv ("LD_PRELOAD") ?: "", "libumockdev-preload") == NULL)
    {
      printf ("1..0 # SKIP not run under umockdev-wrapper (libumockdev-preload.so)\n");
      return FALSE;
    }
  return TRUE;
}

static void
on_added (PdDeviceManager  *manager,
          PdUsbDriver      *driver,
          PdUsbTestFixture *self)
{
  g_set_object (&self->added, driver);
  self->added_count++;
}

static void
on_removed (PdDeviceManager  *manager,
            PdUsbDriver      *driver,
            PdUsbTestFixture *self)
{
  g_assert_true (driver == self->added);
  self->removed_count++;
}

void
pd_usb_test_fixture_set_up (PdUsbTestFixture *self)
{
  self->testbed = umockdev_testbed_new ();
}

void
pd_usb_test_fixture_start (PdUsbTestFixture  *self,
                           PdUsbContextFlags  flags,
                           GType              driver_type)
{
  g_autoptr(GError) error = NULL;

  self->context = pd_usb_context_new (flags, &error);
  g_assert_no_error (error);
  self->manager = pd_device_manager_new (self->context);
  pd_device_manager_register_driver (self->manager, driver_type);
  g_signal_connect (self->manager, "device-added", G_CALLBACK (on_added), self);
  g_signal_connect (self->manager, "device-removed", G_CALLBACK (on_removed), self);
  pd_device_manager_start (self->manager);
}

void
pd_usb_test_fixture_tear_down (PdUsbTestFixture *self,
                               gpointer          device_pointer)
{
  g_clear_object (&self->result);
  g_clear_object (&self->added);
  if (self->manager != NULL)
    {
      pd_device_manager_stop (self->manager);
      pd_usb_context_stop (self->context);
      /* Events and finished tasks still queued hold the manager and the context. */
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_assert_finalize_object (g_steal_pointer (&self->manager));
      /* libusb keeps one udev monitor while any context lives: the next test's testbed
       * would never be heard from if this one stayed. */
      g_assert_finalize_object (g_steal_pointer (&self->context));
    }
  if (device_pointer != NULL)
    g_clear_object ((GObject **) device_pointer);
  g_clear_object (&self->testbed);
}

void
pd_usb_test_wait (gpointer           fixture,
                  PdUsbTestCondition condition)
{
  PdUsbTestFixture *self = fixture;
  gint64 deadline = g_get_monotonic_time () + WAIT_TIMEOUT_USEC;

  while (!condition (fixture))
    {
      if (g_get_monotonic_time () >= deadline && self->added != NULL)
        g_test_message ("waited in vain; health %x: %s",
                        pd_usb_driver_get_health (self->added),
                        pd_usb_driver_get_health_detail (self->added));
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

void
pd_usb_test_keep_result (GObject      *source,
                         GAsyncResult *result,
                         gpointer      fixture)
{
  PdUsbTestFixture *self = fixture;

  self->result = g_object_ref (result);
}

gboolean
pd_usb_test_has_result (gpointer fixture)
{
  return ((PdUsbTestFixture *) fixture)->result != NULL;
}

gboolean
pd_usb_test_is_ready (gpointer fixture)
{
  PdUsbTestFixture *self = fixture;

  return self->added != NULL && (pd_usb_driver_get_health (self->added) & PD_DEVICE_HEALTH_READY);
}

gboolean
pd_usb_test_is_opened_or_failed (gpointer fixture)
{
  PdUsbTestFixture *self = fixture;

  return self->added != NULL &&
         pd_usb_driver_get_health (self->added) != PD_DEVICE_HEALTH_PRESENT;
}

void
pd_printer_test_fixture_set_up (PdPrinterTestFixture *fixture,
                                gconstpointer         data)
{
  pd_usb_test_fixture_set_up (&fixture->usb);
  fixture->printer = pd_virtual_printer_new (fixture->usb.testbed, "VP0001");
}

void
pd_printer_test_fixture_tear_down (PdPrinterTestFixture *fixture,
                                   gconstpointer         data)
{
  pd_usb_test_fixture_tear_down (&fixture->usb, &fixture->printer);
}
