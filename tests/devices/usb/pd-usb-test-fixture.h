#pragma once

#include <umockdev.h>

#include "pd-device-manager.h"
#include "pd-virtual-printer.h"

G_BEGIN_DECLS

/* What the USB tests share: a umockdev testbed, a libusb context and a device manager on it,
 * the driver the manager added last and the result of the last asynchronous call. A test's
 * fixture starts with one of these, so that a pointer to the fixture is a pointer to it too. */
typedef struct {
  UMockdevTestbed *testbed;
  PdUsbContext *context;
  PdDeviceManager *manager;
  PdUsbDriver *added;
  guint added_count;
  guint removed_count;
  GAsyncResult *result;
} PdUsbTestFixture;

/* Takes the test's fixture (see above). */
typedef gboolean (*PdUsbTestCondition) (gpointer fixture);

/* pd_test_init(); FALSE, with the TAP plan skipping all, when the program does not run under
 * umockdev-wrapper (libumockdev-preload.so). */
gboolean pd_usb_test_init                  (int               *argc,
                                            char            ***argv);

void     pd_usb_test_fixture_set_up        (PdUsbTestFixture  *self);
/* A context with these flags and a manager with this driver, started. */
void     pd_usb_test_fixture_start         (PdUsbTestFixture  *self,
                                            PdUsbContextFlags  flags,
                                            GType              driver_type);
/* Stops the manager and the context if started and proves both finalized, then drops the
 * virtual device (device_pointer: where the fixture keeps it, or NULL) and the testbed. */
void     pd_usb_test_fixture_tear_down     (PdUsbTestFixture  *self,
                                            gpointer           device_pointer);
/* Runs the main loop until the condition holds; fails the test after five seconds. */
void     pd_usb_test_wait                  (gpointer           fixture,
                                            PdUsbTestCondition condition);

/* A GAsyncReadyCallback keeping the result in the fixture (user_data). */
void     pd_usb_test_keep_result           (GObject           *source,
                                            GAsyncResult      *result,
                                            gpointer           fixture);
gboolean pd_usb_test_has_result            (gpointer           fixture);
gboolean pd_usb_test_is_ready              (gpointer           fixture);
/* Opened or not, the driver has said how it went. */
gboolean pd_usb_test_is_opened_or_failed   (gpointer           fixture);

/* The tests against the virtual printer (serial VP0001, not plugged yet). */
typedef struct {
  PdUsbTestFixture usb;
  PdVirtualPrinter *printer;
} PdPrinterTestFixture;

void     pd_printer_test_fixture_set_up    (PdPrinterTestFixture *fixture,
                                            gconstpointer         data);
void     pd_printer_test_fixture_tear_down (PdPrinterTestFixture *fixture,
                                            gconstpointer         data);

G_END_DECLS
