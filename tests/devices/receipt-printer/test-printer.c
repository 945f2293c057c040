/* The ESC/POS receipt printer driver through the real libusb, against the virtual printer
 * in a umockdev testbed. */
#include <stdio.h>

#include "pd-test-common.h"

#include "pd-receipt-printer.h"
#include "pd-usb-test-fixture.h"

#define wait_for(fixture, condition) \
  pd_usb_test_wait ((fixture), (PdUsbTestCondition) (condition))
/* Long enough for the virtual printer, short enough that a paper-out test is quick. */
#define TEST_WRITE_TIMEOUT_MS 300

typedef PdPrinterTestFixture Fixture;

static void
start_manager (Fixture *fixture)
{
  pd_virtual_printer_plug (fixture->printer);
  pd_usb_test_fixture_start (&fixture->usb, PD_USB_CONTEXT_FLAGS_NONE, PD_TYPE_RECEIPT_PRINTER);
  wait_for (fixture, pd_usb_test_is_opened_or_failed);
}

static PdReceiptPrinter *
plug_and_open (Fixture *fixture)
{
  PdReceiptPrinter *printer;

  start_manager (fixture);
  g_assert_cmpint (pd_usb_driver_get_health (fixture->usb.added), ==,
                   PD_DEVICE_HEALTH_PRESENT | PD_DEVICE_HEALTH_READY);
  printer = PD_RECEIPT_PRINTER (fixture->usb.added);
  pd_receipt_printer_set_write_timeout (printer, TEST_WRITE_TIMEOUT_MS);
  return printer;
}

static gboolean
print_and_wait (Fixture           *fixture,
                PdReceiptPrinter  *printer,
                GBytes            *job,
                GError           **error)
{
  g_clear_object (&fixture->usb.result);
  pd_printer_print_async (PD_PRINTER (printer), job, NULL, pd_usb_test_keep_result, fixture);
  wait_for (fixture, pd_usb_test_has_result);
  return pd_printer_print_finish (PD_PRINTER (printer), fixture->usb.result, error);
}

/* A receipt as the till would build it from the printer's profile. */
static GBytes *
build_receipt (PdPrinterProfile *profile,
               const char       *header,
               guint             item_lines)
{
  g_autoptr(PdEscpos) builder = pd_escpos_new ();
  g_autoptr(GError) error = NULL;
  const PdPrinterCodePage *page = pd_printer_profile_choose_code_page (profile, "Caf\u00e9 \u20ac");

  g_assert_nonnull (page);
  pd_escpos_initialize (builder);
  pd_escpos_select_code_page (builder, page->page, page->esc_t_number);
  if (header != NULL)
    g_assert_true (pd_escpos_text (builder, header, &error));
  for (guint i = 0; i < item_lines; i++)
    {
      g_autofree char *line = g_strdup_printf ("Item %04u ............ 1,00 \u20ac\n", i);

      g_assert_true (pd_escpos_text (builder, line, &error));
    }
  g_assert_true (pd_escpos_text (builder, "Caf\u00e9 3,50 \u20ac\n", &error));
  g_assert_true (pd_escpos_qr (builder, "R42", 6, &error));
  pd_escpos_cut (builder, pd_printer_profile_get_cut (profile), 3);
  g_assert_no_error (error);
  return pd_escpos_free_to_bytes (g_steal_pointer (&builder));
}

static void
test_happy_path (Fixture       *fixture,
                 gconstpointer  data)
{
  PdReceiptPrinter *printer = plug_and_open (fixture);
  g_autoptr(PdPrinterProfile) profile = pd_printer_dup_profile (PD_PRINTER (printer));
  g_autoptr(GBytes) job = NULL;
  g_autoptr(GBytes) received = NULL;
  g_autoptr(GError) error = NULL;
  static const guint8 expected[] = {
    0x1b, '@',                                        /* initialize */
    0x1b, 't', 19,                                    /* CP858 on the TM-T88 */
    'C', 'a', 'f', 0x82, ' ', '3', ',', '5', '0', ' ', 0xd5, '\n',
    0x1d, '(', 'k', 4, 0, 49, 65, 50, 0,              /* QR model 2 */
    0x1d, '(', 'k', 3, 0, 49, 67, 6,                  /* module size */
    0x1d, '(', 'k', 3, 0, 49, 69, 49,                 /* error correction M */
    0x1d, '(', 'k', 6, 0, 49, 80, 48, 'R', '4', '2',  /* store */
    0x1d, '(', 'k', 3, 0, 49, 81, 48,                 /* print */
    0x1d, 'V', 66, 3,                                 /* feed and cut */
  };

  g_assert_cmpstr (pd_usb_driver_get_id (fixture->usb.added), ==, "receipt-printer");
  g_assert_cmpstr (pd_printer_profile_get_id (profile), ==, "epson-tm-t88");
  g_assert_cmpuint (pd_printer_profile_get_paper_width (profile), ==, 512);

  job = build_receipt (profile, NULL, 0);
  g_assert_true (print_and_wait (fixture, printer, job, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pd_printer_get_bytes_accepted (PD_PRINTER (printer)), ==, sizeof expected);

  received = pd_virtual_printer_take_received (fixture->printer);
  g_assert_cmpmem (g_bytes_get_data (received, NULL), g_bytes_get_size (received),
                   expected, sizeof expected);
  /* Asked before and after: three DLE EOT each, and three when the manager opened it. */
  g_assert_cmpuint (pd_virtual_printer_get_status_requests (fixture->printer), ==, 9);
}

typedef struct {
  PdVirtualPaper paper;
  gboolean cover_open;
  gboolean offline;
  gboolean garbled;
  PdDeviceHealth expected;
} StatusCase;

static void
test_status (Fixture       *fixture,
             gconstpointer  data)
{
  const StatusCase *status = data;
  PdReceiptPrinter *printer = plug_and_open (fixture);
  g_autoptr(GError) error = NULL;
  g_autofree char *detail = NULL;
  PdDeviceHealth health;

  pd_virtual_printer_set_paper (fixture->printer, status->paper);
  pd_virtual_printer_set_cover_open (fixture->printer, status->cover_open);
  pd_virtual_printer_set_offline (fixture->printer, status->offline);
  pd_virtual_printer_set_garbled_status (fixture->printer, status->garbled);

  health = pd_usb_driver_query_status (PD_USB_DRIVER (printer), NULL, &detail, &error);
  g_assert_no_error (error);
  g_test_message ("detail: %s", detail);
  g_assert_cmpint (health, ==, PD_DEVICE_HEALTH_PRESENT | status->expected);
  if (status->expected != PD_DEVICE_HEALTH_READY)
    g_assert_nonnull (detail);
}

/* An answer that arrived after its request gave up (0x1E: "offline" to DLE EOT 1, "cover
 * open" to DLE EOT 2) must not be read as the answer to the next request. */
static void
test_status_late_answer (Fixture       *fixture,
                         gconstpointer  data)
{
  static const guint8 late_answer[] = { 0x1e };
  PdReceiptPrinter *printer = plug_and_open (fixture);
  g_autoptr(GError) error = NULL;
  g_autofree char *detail = NULL;
  PdDeviceHealth health;

  pd_virtual_printer_answer (fixture->printer, late_answer, sizeof late_answer);
  health = pd_usb_driver_query_status (PD_USB_DRIVER (printer), NULL, &detail, &error);
  g_assert_no_error (error);
  g_assert_cmpint (health, ==, PD_DEVICE_HEALTH_PRESENT | PD_DEVICE_HEALTH_READY);
}

static const StatusCase status_ready = { .expected = PD_DEVICE_HEALTH_READY };
static const StatusCase status_near_end = {
  .paper = PD_VIRTUAL_PAPER_NEAR_END,
  .expected = PD_DEVICE_HEALTH_READY | PD_DEVICE_HEALTH_PAPER_LOW,
};
static const StatusCase status_paper_out = {
  .paper = PD_VIRTUAL_PAPER_OUT,
  .expected = PD_DEVICE_HEALTH_OFFLINE | PD_DEVICE_HEALTH_PAPER_LOW | PD_DEVICE_HEALTH_PAPER_OUT,
};
static const StatusCase status_cover_open = {
  .cover_open = TRUE,
  .expected = PD_DEVICE_HEALTH_OFFLINE | PD_DEVICE_HEALTH_COVER_OPEN,
};
static const StatusCase status_offline = { .offline = TRUE, .expected = PD_DEVICE_HEALTH_OFFLINE };
/* An answer failing the validity check is never read as "fine". */
static const StatusCase status_garbled = {
  .garbled = TRUE,
  .expected = PD_DEVICE_HEALTH_OFFLINE | PD_DEVICE_HEALTH_ERROR,
};

static void
test_paper_out_mid_job (Fixture       *fixture,
                        gconstpointer  data)
{
  PdReceiptPrinter *printer = plug_and_open (fixture);
  g_autoptr(PdPrinterProfile) profile = pd_printer_dup_profile (PD_PRINTER (printer));
  g_autoptr(GBytes) job = build_receipt (profile, NULL, 100);
  g_autoptr(GBytes) reprint = build_receipt (profile, "*** REPRINT ***\n", 100);
  g_autoptr(GBytes) received = NULL;
  g_autoptr(GByteArray) expected = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *detail = NULL;
  const gsize paper_left = 1500;

  g_assert_cmpuint (g_bytes_get_size (job), >, 2 * 1024);
  pd_virtual_printer_set_paper_left (fixture->printer, paper_left);

  g_assert_false (print_and_wait (fixture, printer, job, &error));
  g_assert_error (error, PD_PRINTER_ERROR, PD_PRINTER_ERROR_PAPER_OUT);
  g_test_message ("%s", error->message);
  /* The first chunk went through, the second stopped on the paper: what it took counts. */
  g_assert_cmpuint (pd_printer_get_bytes_accepted (PD_PRINTER (printer)), ==, paper_left);
  g_assert_nonnull (strstr (error->message, "1500"));
  g_assert_cmpint (pd_usb_driver_query_status (PD_USB_DRIVER (printer), NULL, &detail, NULL) &
                   PD_DEVICE_HEALTH_PAPER_OUT, !=, 0);

  /* Still out of paper: refused before a byte is sent. */
  g_clear_error (&error);
  g_assert_false (print_and_wait (fixture, printer, reprint, &error));
  g_assert_error (error, PD_PRINTER_ERROR, PD_PRINTER_ERROR_PAPER_OUT);
  g_assert_cmpuint (pd_printer_get_bytes_accepted (PD_PRINTER (printer)), ==, 0);

  /* New paper; the whole receipt again, marked as a reprint. */
  g_clear_error (&error);
  pd_virtual_printer_set_paper (fixture->printer, PD_VIRTUAL_PAPER_OK);
  g_assert_true (print_and_wait (fixture, printer, reprint, &error));
  g_assert_no_error (error);

  g_byte_array_append (expected, g_bytes_get_data (job, NULL), paper_left);
  g_byte_array_append (expected, g_bytes_get_data (reprint, NULL), g_bytes_get_size (reprint));
  received = pd_virtual_printer_take_received (fixture->printer);
  g_assert_cmpmem (g_bytes_get_data (received, NULL), g_bytes_get_size (received),
                   expected->data, expected->len);
}

static void
test_cover_open (Fixture       *fixture,
                 gconstpointer  data)
{
  PdReceiptPrinter *printer = plug_and_open (fixture);
  g_autoptr(PdPrinterProfile) profile = pd_printer_dup_profile (PD_PRINTER (printer));
  g_autoptr(GBytes) job = build_receipt (profile, NULL, 0);
  g_autoptr(GBytes) received = NULL;
  g_autoptr(GError) error = NULL;

  pd_virtual_printer_set_cover_open (fixture->printer, TRUE);
  g_assert_false (print_and_wait (fixture, printer, job, &error));
  g_assert_error (error, PD_PRINTER_ERROR, PD_PRINTER_ERROR_COVER_OPEN);
  received = pd_virtual_printer_take_received (fixture->printer);
  g_assert_cmpuint (g_bytes_get_size (received), ==, 0);
}

static gboolean
has_taken_some (Fixture *fixture)
{
  return pd_virtual_printer_get_received_length (fixture->printer) > 0;
}

static gboolean
is_absent (Fixture *fixture)
{
  return pd_usb_driver_get_health (fixture->usb.added) == PD_DEVICE_HEALTH_ABSENT;
}

static void
test_unplug_mid_job (Fixture       *fixture,
                     gconstpointer  data)
{
  PdReceiptPrinter *printer = plug_and_open (fixture);
  g_autoptr(PdPrinterProfile) profile = pd_printer_dup_profile (PD_PRINTER (printer));
  g_autoptr(GBytes) job = build_receipt (profile, NULL, 100);
  g_autoptr(GError) error = NULL;

  /* Long enough that the job is still going when the cable comes out. */
  pd_receipt_printer_set_write_timeout (printer, 3000);
  pd_virtual_printer_set_paper_left (fixture->printer, 100);
  pd_printer_print_async (PD_PRINTER (printer), job, NULL, pd_usb_test_keep_result, fixture);
  wait_for (fixture, has_taken_some);
  pd_virtual_printer_unplug (fixture->printer);
  wait_for (fixture, pd_usb_test_has_result);

  g_assert_false (pd_printer_print_finish (PD_PRINTER (printer), fixture->usb.result, &error));
  g_assert_nonnull (error);
  g_test_message ("%s (%s %d)", error->message, g_quark_to_string (error->domain), error->code);
  g_assert_true (g_error_matches (error, PD_USB_ERROR, PD_USB_ERROR_NO_DEVICE) ||
                 g_error_matches (error, PD_USB_ERROR, PD_USB_ERROR_TIMEOUT) ||
                 error->domain == PD_PRINTER_ERROR);
  g_assert_cmpuint (pd_printer_get_bytes_accepted (PD_PRINTER (printer)), <, g_bytes_get_size (job));

  /* The manager saw it go and closed it: the next test's libusb starts from nothing. */
  wait_for (fixture, is_absent);
  for (int i = 0; i < 50; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
}

static gboolean
is_holding_out (Fixture *fixture)
{
  PdVirtualUsbDevice *device = PD_VIRTUAL_USB_DEVICE (fixture->printer);
  guint held;

  pd_virtual_usb_device_lock (device);
  held = g_queue_get_length (pd_virtual_usb_device_get_waiting_out (device));
  pd_virtual_usb_device_unlock (device);
  return held > 0;
}

/* A UI asking how far a job got, or for the profile, while the printer holds a chunk: the
 * answer comes while the chunk is still held, not after the job gave up on it. */
static void
test_query_during_job (Fixture       *fixture,
                       gconstpointer  data)
{
  PdReceiptPrinter *printer = plug_and_open (fixture);
  g_autoptr(PdPrinterProfile) profile = pd_printer_dup_profile (PD_PRINTER (printer));
  g_autoptr(PdPrinterProfile) during = NULL;
  g_autoptr(GBytes) job = build_receipt (profile, NULL, 100);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  pd_receipt_printer_set_write_timeout (printer, 30000);
  pd_virtual_printer_set_paper_left (fixture->printer, 100);
  pd_printer_print_async (PD_PRINTER (printer), job, cancellable, pd_usb_test_keep_result, fixture);
  wait_for (fixture, is_holding_out);

  /* Nothing counted yet: the first chunk is still in the printer's hands. */
  g_assert_cmpuint (pd_printer_get_bytes_accepted (PD_PRINTER (printer)), ==, 0);
  during = pd_printer_dup_profile (PD_PRINTER (printer));
  g_assert_true (during == profile);
  g_assert_true (is_holding_out (fixture));

  g_cancellable_cancel (cancellable);
  wait_for (fixture, pd_usb_test_has_result);
  g_assert_false (pd_printer_print_finish (PD_PRINTER (printer), fixture->usb.result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* The tests of automatic status back: what the manager said in health-changed, in order. */
typedef struct {
  Fixture base;
  GArray *healths;
  PdDeviceHealth wanted;
} WatchFixture;

static const PdDeviceHealth health_ready = PD_DEVICE_HEALTH_PRESENT | PD_DEVICE_HEALTH_READY;
/* As DLE EOT reports it too: offline, and the near-end sensor is past its mark as well. */
static const PdDeviceHealth health_paper_out =
  PD_DEVICE_HEALTH_PRESENT | PD_DEVICE_HEALTH_OFFLINE | PD_DEVICE_HEALTH_PAPER_LOW |
  PD_DEVICE_HEALTH_PAPER_OUT;
static const PdDeviceHealth health_cover_open =
  PD_DEVICE_HEALTH_PRESENT | PD_DEVICE_HEALTH_OFFLINE | PD_DEVICE_HEALTH_COVER_OPEN;

static void
watch_fixture_set_up (WatchFixture  *fixture,
                      gconstpointer  data)
{
  pd_printer_test_fixture_set_up (&fixture->base, data);
  fixture->healths = g_array_new (FALSE, FALSE, sizeof (PdDeviceHealth));
}

static void
watch_fixture_tear_down (WatchFixture  *fixture,
                         gconstpointer  data)
{
  pd_printer_test_fixture_tear_down (&fixture->base, data);
  g_array_unref (fixture->healths);
}

static void
on_health_changed (PdDeviceManager *manager,
                   PdUsbDriver     *driver,
                   WatchFixture    *fixture)
{
  PdDeviceHealth health = pd_usb_driver_get_health (driver);

  g_test_message ("health-changed: %x (%s)", health, pd_usb_driver_get_health_detail (driver));
  g_array_append_val (fixture->healths, health);
}

/* Opened by the manager, with health-changed heard from then on. */
static PdReceiptPrinter *
plug_and_watch (WatchFixture *fixture)
{
  PdReceiptPrinter *printer = plug_and_open (&fixture->base);

  g_signal_connect (fixture->base.usb.manager, "health-changed", G_CALLBACK (on_health_changed),
                    fixture);
  return printer;
}

static gboolean
was_told_wanted (WatchFixture *fixture)
{
  return fixture->healths->len > 0 &&
         g_array_index (fixture->healths, PdDeviceHealth, fixture->healths->len - 1) ==
         fixture->wanted;
}

/* Until the manager says so in health-changed: nobody asks the printer meanwhile. */
static void
wait_for_health (WatchFixture   *fixture,
                 PdDeviceHealth  wanted)
{
  fixture->wanted = wanted;
  wait_for (fixture, was_told_wanted);
  g_assert_cmpint (pd_usb_driver_get_health (fixture->base.usb.added), ==, wanted);
}

/* The watch is reading: an IN transfer waits for the printer to speak. */
static gboolean
is_watching (WatchFixture *fixture)
{
  PdVirtualUsbDevice *device = PD_VIRTUAL_USB_DEVICE (fixture->base.printer);

  return pd_virtual_usb_device_get_waiting_in_length (device) > 0;
}

/* Runs the main loop a while, for what should not happen. */
static void
iterate_for (guint milliseconds)
{
  gint64 end = g_get_monotonic_time () + milliseconds * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

/* Paper and cover changing while the printer is idle reach the manager on their own: no
 * job, no refresh, no DLE EOT. */
static void
test_watch_idle (WatchFixture  *fixture,
                 gconstpointer  data)
{
  PdVirtualPrinter *virtual = fixture->base.printer;
  guint asb_requests = 0;
  guint status_requests;

  plug_and_watch (fixture);
  /* On, and for the online, error and roll paper items only: there is no drawer. */
  g_assert_cmpuint (pd_virtual_printer_get_automatic_status (virtual, &asb_requests), ==, 0x0e);
  g_assert_cmpuint (asb_requests, ==, 1);
  wait_for (fixture, is_watching);
  status_requests = pd_virtual_printer_get_status_requests (virtual);

  pd_virtual_printer_set_paper (virtual, PD_VIRTUAL_PAPER_OUT);
  wait_for_health (fixture, health_paper_out);
  g_assert_cmpstr (pd_usb_driver_get_health_detail (fixture->base.usb.added), ==,
                   "The printer is out of paper.");

  pd_virtual_printer_set_paper (virtual, PD_VIRTUAL_PAPER_OK);
  wait_for_health (fixture, health_ready);
  g_assert_null (pd_usb_driver_get_health_detail (fixture->base.usb.added));

  pd_virtual_printer_set_cover_open (virtual, TRUE);
  wait_for_health (fixture, health_cover_open);
  pd_virtual_printer_set_cover_open (virtual, FALSE);
  wait_for_health (fixture, health_ready);

  pd_virtual_printer_set_paper (virtual, PD_VIRTUAL_PAPER_NEAR_END);
  wait_for_health (fixture, health_ready | PD_DEVICE_HEALTH_PAPER_LOW);

  pd_virtual_printer_set_offline (virtual, TRUE);
  wait_for_health (fixture, PD_DEVICE_HEALTH_PRESENT | PD_DEVICE_HEALTH_OFFLINE |
                            PD_DEVICE_HEALTH_PAPER_LOW);

  g_assert_cmpuint (pd_virtual_printer_get_status_requests (virtual), ==, status_requests);
  /* One signal per change, none twice. */
  g_assert_cmpuint (fixture->healths->len, ==, 6);
}

/* A job while the watch runs prints as ever; the printer's word during the job (the
 * paper-out, which the job's own status queries read first) still reaches the manager, and
 * the watch goes on after the job. */
static void
test_watch_job (WatchFixture  *fixture,
                gconstpointer  data)
{
  PdReceiptPrinter *printer = plug_and_watch (fixture);
  PdVirtualPrinter *virtual = fixture->base.printer;
  g_autoptr(PdPrinterProfile) profile = pd_printer_dup_profile (PD_PRINTER (printer));
  g_autoptr(GBytes) short_job = build_receipt (profile, NULL, 0);
  g_autoptr(GBytes) long_job = build_receipt (profile, NULL, 100);
  g_autoptr(GBytes) received = NULL;
  g_autoptr(GError) error = NULL;

  wait_for (fixture, is_watching);
  g_assert_true (print_and_wait (&fixture->base, printer, short_job, &error));
  g_assert_no_error (error);
  received = pd_virtual_printer_take_received (virtual);
  g_assert_cmpmem (g_bytes_get_data (received, NULL), g_bytes_get_size (received),
                   g_bytes_get_data (short_job, NULL), g_bytes_get_size (short_job));

  pd_virtual_printer_set_paper_left (virtual, 1500);
  g_assert_false (print_and_wait (&fixture->base, printer, long_job, &error));
  g_assert_error (error, PD_PRINTER_ERROR, PD_PRINTER_ERROR_PAPER_OUT);
  wait_for_health (fixture, health_paper_out);

  pd_virtual_printer_set_paper (virtual, PD_VIRTUAL_PAPER_OK);
  wait_for_health (fixture, health_ready);
  pd_virtual_printer_set_cover_open (virtual, TRUE);
  wait_for_health (fixture, health_cover_open);
}

/* An answer and a message in one transfer: the answer is the status byte, the message is
 * the watch's. */
static void
test_watch_status_with_message (WatchFixture  *fixture,
                                gconstpointer  data)
{
  PdReceiptPrinter *printer = plug_and_watch (fixture);
  PdVirtualPrinter *virtual = fixture->base.printer;
  g_autoptr(GError) error = NULL;
  g_autofree char *detail = NULL;

  pd_virtual_printer_set_asb_with_status (virtual, TRUE);
  g_assert_cmpint (pd_usb_driver_query_status (PD_USB_DRIVER (printer), NULL, &detail, &error),
                   ==, health_ready);
  g_assert_no_error (error);

  pd_virtual_printer_set_paper (virtual, PD_VIRTUAL_PAPER_NEAR_END);
  g_clear_pointer (&detail, g_free);
  g_assert_cmpint (pd_usb_driver_query_status (PD_USB_DRIVER (printer), NULL, &detail, &error),
                   ==, health_ready | PD_DEVICE_HEALTH_PAPER_LOW);
  g_assert_no_error (error);
  wait_for_health (fixture, health_ready | PD_DEVICE_HEALTH_PAPER_LOW);
}

/* A printer of the generic profile is never sent GS a: its health changes only when it is
 * asked. */
static void
test_watch_generic (WatchFixture  *fixture,
                    gconstpointer  data)
{
  PdReceiptPrinter *printer;
  g_autoptr(PdPrinterProfile) profile = NULL;
  guint asb_requests = 0;

  g_clear_object (&fixture->base.printer);
  fixture->base.printer = pd_virtual_printer_new_generic (fixture->base.usb.testbed, "VP0002");
  printer = plug_and_watch (fixture);
  profile = pd_printer_dup_profile (PD_PRINTER (printer));
  g_assert_cmpstr (pd_printer_profile_get_id (profile), ==, "generic-escpos");
  g_assert_false (pd_printer_profile_get_automatic_status (profile));
  g_assert_cmpuint (pd_virtual_printer_get_automatic_status (fixture->base.printer,
                                                             &asb_requests), ==, 0);
  g_assert_cmpuint (asb_requests, ==, 0);

  pd_virtual_printer_set_paper (fixture->base.printer, PD_VIRTUAL_PAPER_OUT);
  iterate_for (300);
  g_assert_cmpuint (fixture->healths->len, ==, 0);
  g_assert_false (is_watching (fixture));

  pd_device_manager_refresh (fixture->base.usb.manager, fixture->base.usb.added);
  wait_for_health (fixture, health_paper_out);
}

static gboolean
was_removed (WatchFixture *fixture)
{
  return fixture->base.usb.removed_count > 0;
}

/* Unplugged while the watch reads: removed, and the teardown proves nothing left over. */
static void
test_watch_unplug (WatchFixture  *fixture,
                   gconstpointer  data)
{
  plug_and_watch (fixture);
  wait_for (fixture, is_watching);

  pd_virtual_printer_unplug (fixture->base.printer);
  wait_for (fixture, was_removed);
  g_assert_cmpint (pd_usb_driver_get_health (fixture->base.usb.added), ==,
                   PD_DEVICE_HEALTH_ABSENT);
  /* The watch ends without a word: the unplug is the manager's to report. */
  iterate_for (100);
  g_assert_cmpuint (fixture->healths->len, ==, 0);
}

static void
test_kernel_driver_busy (Fixture       *fixture,
                         gconstpointer  data)
{
  pd_virtual_printer_set_kernel_driver (fixture->printer, "usblp", FALSE);
  start_manager (fixture);

  g_assert_cmpint (pd_usb_driver_get_health (fixture->usb.added), ==,
                   PD_DEVICE_HEALTH_PRESENT | PD_DEVICE_HEALTH_BUSY_KERNEL_DRIVER);
  g_assert_nonnull (strstr (pd_usb_driver_get_health_detail (fixture->usb.added), "usblp"));
  g_assert_false (pd_usb_device_is_open (pd_usb_driver_get_device (fixture->usb.added)));
}

static void
test_profiles (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) profiles =
    pd_printer_profile_load_directory (pd_printer_profile_get_directory (), &error);
  PdPrinterProfile *generic;

  g_assert_no_error (error);
  g_assert_cmpuint (profiles->len, ==, 3);
  g_assert_cmpstr (pd_printer_profile_get_id (pd_printer_profile_find (profiles, 0x04b8, 0x0202, 7)),
                   ==, "epson-tm-t88");
  g_assert_cmpstr (pd_printer_profile_get_id (pd_printer_profile_find (profiles, 0x04b8, 0x0e03, 0xff)),
                   ==, "epson-tm-t20");
  generic = pd_printer_profile_find (profiles, 0x1234, 0x5678, 7);
  g_assert_cmpstr (pd_printer_profile_get_id (generic), ==, "generic-escpos");
  g_assert_null (pd_printer_profile_find (profiles, 0x1234, 0x5678, 3));

  g_assert_false (pd_printer_profile_get_qr_code (generic));
  g_assert_cmpint (pd_printer_profile_get_cut (generic), ==, PD_ESCPOS_CUT_FULL);
  g_assert_cmpint (pd_printer_profile_choose_code_page (generic, "\u00a3 \u00e9")->page, ==,
                   PD_ESCPOS_CODE_PAGE_CP437);
  /* No euro in CP437: the caller rasterizes. */
  g_assert_null (pd_printer_profile_choose_code_page (generic, "\u20ac"));
}

static void
test_profile_invalid (void)
{
  g_autofree char *dir = pd_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "bad.conf", NULL);
  g_autoptr(PdPrinterProfile) profile = NULL;
  g_autoptr(GError) error = NULL;

  pd_test_write_file (path, "[Printer]\nName=Bad\nUsbIds=04b8:0202;\nPaperWidthDots=500\n"
                            "CodePages=CP437:0;\nCut=full\nQrCode=false\n");
  profile = pd_printer_profile_load (path, &error);
  g_assert_null (profile);
  g_assert_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE);
  pd_test_remove_tree (dir);
}

#define ADD(path, test, data) \
  g_test_add (path, Fixture, data, pd_printer_test_fixture_set_up, test, \
              pd_printer_test_fixture_tear_down)
#define ADD_WATCH(path, test) \
  g_test_add (path, WatchFixture, NULL, watch_fixture_set_up, test, watch_fixture_tear_down)

int
main (int    argc,
      char **argv)
{
  if (!pd_usb_test_init (&argc, &argv))
    return 0;

  g_test_add_func ("/printer/profiles", test_profiles);
  g_test_add_func ("/printer/profile-invalid", test_profile_invalid);
  ADD ("/printer/print/happy-path", test_happy_path, NULL);
  ADD ("/printer/status/ready", test_status, &status_ready);
  ADD ("/printer/status/late-answer", test_status_late_answer, NULL);
  ADD ("/printer/status/near-end", test_status, &status_near_end);
  ADD ("/printer/status/paper-out", test_status, &status_paper_out);
  ADD ("/printer/status/cover-open", test_status, &status_cover_open);
  ADD ("/printer/status/offline", test_status, &status_offline);
  ADD ("/printer/status/garbled", test_status, &status_garbled);
  ADD ("/printer/print/paper-out-mid-job", test_paper_out_mid_job, NULL);
  ADD ("/printer/print/cover-open", test_cover_open, NULL);
  ADD ("/printer/print/unplug-mid-job", test_unplug_mid_job, NULL);
  ADD ("/printer/print/query-during-job", test_query_during_job, NULL);
  ADD ("/printer/manager/kernel-driver-busy", test_kernel_driver_busy, NULL);
  ADD_WATCH ("/printer/watch/idle", test_watch_idle);
  ADD_WATCH ("/printer/watch/job", test_watch_job);
  ADD_WATCH ("/printer/watch/status-with-message", test_watch_status_with_message);
  ADD_WATCH ("/printer/watch/generic", test_watch_generic);
  ADD_WATCH ("/printer/watch/unplug", test_watch_unplug);

  return g_test_run ();
}
