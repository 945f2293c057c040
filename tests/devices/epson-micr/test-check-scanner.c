/* The Epson MICR driver through the real libusb, against a virtual TM printer with a MICR
 * reader in a umockdev testbed. Account numbers appear in output only masked. */
#include <stdio.h>
#include <string.h>

#include "pd-test-common.h"

#include "pd-epson-micr.h"
#include "pd-usb-test-fixture.h"
#include "pd-virtual-micr.h"

/* Epson's letters: A transit, B amount, C on-us, D dash. Routing 021000021 is a real one
 * (its check digit holds); the account numbers are made up. */
#define PERSONAL_CHECK "A021000021A 123456789C 0123"
#define BAD_CHECK_DIGIT "A021000022A 123456789C 0123"
#define TORN_ROUTING "A0210?0021A 123456789C 0123"
#define BUSINESS_CHECK "C001234C A026009593A 1234567890C"
#define PERSONAL_ACCOUNT "123456789"

typedef struct {
  PdUsbTestFixture usb;
  PdVirtualMicr *micr;
} Fixture;

static void
set_up (Fixture       *fixture,
        gconstpointer  data)
{
  pd_usb_test_fixture_set_up (&fixture->usb);
  fixture->micr = pd_virtual_micr_new (fixture->usb.testbed);
  pd_virtual_micr_plug (fixture->micr);
  pd_usb_test_fixture_start (&fixture->usb, PD_USB_CONTEXT_FLAGS_NONE, PD_TYPE_EPSON_MICR);
  pd_usb_test_wait (fixture, pd_usb_test_is_ready);
}

static void
tear_down (Fixture       *fixture,
           gconstpointer  data)
{
  pd_usb_test_fixture_tear_down (&fixture->usb, &fixture->micr);
}

static PdCheckScanner *
scanner_of (Fixture *fixture)
{
  return PD_CHECK_SCANNER (fixture->usb.added);
}

static gboolean
received_contains (GBytes       *received,
                   const guint8 *command,
                   gsize         length)
{
  gsize size = 0;
  const guint8 *bytes = g_bytes_get_data (received, &size);

  for (gsize i = 0; i + length <= size; i++)
    if (memcmp (bytes + i, command, length) == 0)
      return TRUE;
  return FALSE;
}

/* Logs the capture as support would see it, and proves the account never shows in it. */
static void
log_capture (const PdCheckCapture *capture)
{
  g_autofree char *described = pd_micr_line_describe (capture->micr);

  g_test_message ("capture: %s", described);
  g_assert_null (strstr (described, PERSONAL_ACCOUNT));
  for (guint i = 0; i < capture->problems->len; i++)
    {
      const char *problem = g_ptr_array_index (capture->problems, i);

      g_test_message ("  problem: %s", problem);
      g_assert_null (strstr (problem, PERSONAL_ACCOUNT));
    }
}

static PdCheckCapture *
capture_check (Fixture    *fixture,
               const char *micr_line)
{
  g_autoptr(GError) error = NULL;
  PdCheckCapture *capture;

  pd_virtual_micr_insert_check (fixture->micr, micr_line);
  g_assert_true (pd_check_scanner_wait_for_check (scanner_of (fixture), 1000, NULL, &error));
  g_assert_no_error (error);
  capture = pd_check_scanner_capture (scanner_of (fixture), NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (capture);
  log_capture (capture);
  return capture;
}

static void
test_open (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *detail = NULL;
  g_autoptr(GError) error = NULL;
  PdDeviceHealth health;

  g_assert_true (PD_IS_EPSON_MICR (fixture->usb.added));
  g_assert_true (PD_IS_CHECK_SCANNER (fixture->usb.added));
  g_assert_cmpstr (pd_usb_driver_get_id (fixture->usb.added), ==, "epson-micr");

  health = pd_check_scanner_query_status (scanner_of (fixture), &detail, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (health, ==, PD_DEVICE_HEALTH_PRESENT | PD_DEVICE_HEALTH_READY);
  g_assert_cmpstr (detail, ==, "The check reader is ready.");
}

static void
test_personal_check (Fixture       *fixture,
                     gconstpointer  data)
{
  static const guint8 read_micr[] = { 0x1c, 'a', '0', 0x00 };
  static const guint8 eject[] = { 0x1c, 'a', '2' };
  g_autoptr(PdCheckCapture) capture = capture_check (fixture, PERSONAL_CHECK);
  g_autoptr(GBytes) received = pd_virtual_micr_take_received (fixture->micr);
  g_autofree char *masked = pd_micr_line_dup_masked_account (capture->micr);

  g_assert_cmpstr (pd_micr_line_get_routing_number (capture->micr), ==, "021000021");
  g_assert_cmpstr (pd_micr_line_get_serial (capture->micr), ==, "0123");
  g_assert_null (strstr (masked, PERSONAL_ACCOUNT));
  g_assert_true (g_str_has_suffix (masked, "6789"));
  g_assert_true (pd_micr_line_field_is_sound (capture->micr, PD_MICR_FIELD_ACCOUNT));
  g_assert_true (pd_check_capture_is_usable (capture));
  g_assert_cmpint (capture->flags, ==, PD_CHECK_CAPTURE_IMAGES_MISSING);

  g_assert_true (received_contains (received, read_micr, sizeof read_micr));
  g_assert_true (received_contains (received, eject, sizeof eject));
  g_assert_cmpuint (pd_virtual_micr_get_ejected (fixture->micr), ==, 1);
  g_assert_false (pd_virtual_micr_has_check (fixture->micr));
}

static void
test_images_missing (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(PdCheckCapture) capture = capture_check (fixture, PERSONAL_CHECK);

  g_assert_true (capture->flags & PD_CHECK_CAPTURE_IMAGES_MISSING);
  g_assert_null (capture->front_tiff);
  g_assert_null (capture->back_tiff);
  g_assert_nonnull (strstr (capture->images_missing_reason, "no images"));
  g_assert_true (g_ptr_array_find_with_equal_func (capture->problems,
                                                   capture->images_missing_reason,
                                                   g_str_equal, NULL));
}

static void
test_bad_check_digit (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(PdCheckCapture) capture = capture_check (fixture, BAD_CHECK_DIGIT);

  g_assert_true (capture->flags & PD_CHECK_CAPTURE_BAD_CHECK_DIGIT);
  g_assert_false (capture->flags & PD_CHECK_CAPTURE_TORN);
  g_assert_false (pd_check_capture_is_usable (capture));
  g_assert_true (g_ptr_array_find_with_equal_func (
                   capture->problems, "Routing number: the check digit does not match.",
                   g_str_equal, NULL));
}

static void
test_torn_line (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(PdCheckCapture) capture = capture_check (fixture, TORN_ROUTING);

  g_assert_true (capture->flags & PD_CHECK_CAPTURE_TORN);
  /* Never guessed: no check digit verdict on a number with a hole in it. */
  g_assert_false (capture->flags & PD_CHECK_CAPTURE_BAD_CHECK_DIGIT);
  g_assert_nonnull (strchr (pd_micr_line_get_routing_number (capture->micr), '?'));
  g_assert_false (pd_micr_line_field_is_sound (capture->micr, PD_MICR_FIELD_ROUTING));
  g_assert_false (pd_check_capture_is_usable (capture));
}

static void
test_business_check (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(PdCheckCapture) capture = capture_check (fixture, BUSINESS_CHECK);

  g_assert_true (capture->flags & PD_CHECK_CAPTURE_BUSINESS);
  g_assert_cmpstr (pd_micr_line_get_aux_on_us (capture->micr), ==, "001234");
  g_assert_cmpstr (pd_micr_line_get_routing_number (capture->micr), ==, "026009593");
  g_assert_nonnull (strstr (g_ptr_array_index (capture->problems, 0), "business check"));
}

static void
test_no_check (Fixture       *fixture,
               gconstpointer  data)
{
  static const guint8 read_micr[] = { 0x1c, 'a', '0' };
  g_autoptr(GError) error = NULL;
  g_autoptr(PdCheckCapture) capture = NULL;
  g_autoptr(GBytes) received = NULL;
  gint64 start = g_get_monotonic_time ();

  g_assert_false (pd_check_scanner_wait_for_check (scanner_of (fixture), 300, NULL, &error));
  g_assert_error (error, PD_CHECK_SCANNER_ERROR, PD_CHECK_SCANNER_ERROR_NO_CHECK);
  g_assert_nonnull (strstr (error->message, "Insert the check"));
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 250 * 1000);
  g_clear_error (&error);

  capture = pd_check_scanner_capture (scanner_of (fixture), NULL, &error);
  g_assert_null (capture);
  g_assert_error (error, PD_CHECK_SCANNER_ERROR, PD_CHECK_SCANNER_ERROR_NO_CHECK);

  /* Nothing was read: the sensors said the slot is empty. */
  received = pd_virtual_micr_take_received (fixture->micr);
  g_assert_false (received_contains (received, read_micr, sizeof read_micr));
}

static void
test_unreadable_check (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdCheckCapture) capture = NULL;

  pd_virtual_micr_insert_check (fixture->micr, "");
  capture = pd_check_scanner_capture (scanner_of (fixture), NULL, &error);
  g_assert_null (capture);
  g_assert_error (error, PD_CHECK_SCANNER_ERROR, PD_CHECK_SCANNER_ERROR_READ_FAILED);
  g_assert_nonnull (strstr (error->message, "insert it again"));
}

static void
test_bad_reply (Fixture       *fixture,
                gconstpointer  data)
{
  static const guint8 not_micr[] = { 'O', 'K', 0 };
  static const guint8 odd_status[] = { 0x5f, 0x8f, 'A', 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PdMicrLine) line = NULL;

  pd_virtual_micr_insert_check (fixture->micr, PERSONAL_CHECK);
  pd_virtual_micr_set_raw_reply (fixture->micr, not_micr, sizeof not_micr);
  line = pd_check_scanner_read_micr (scanner_of (fixture), NULL, &error);
  g_assert_null (line);
  g_assert_error (error, PD_CHECK_SCANNER_ERROR, PD_CHECK_SCANNER_ERROR_BAD_REPLY);
  g_clear_error (&error);

  pd_virtual_micr_set_raw_reply (fixture->micr, odd_status, sizeof odd_status);
  line = pd_check_scanner_read_micr (scanner_of (fixture), NULL, &error);
  g_assert_null (line);
  g_assert_error (error, PD_CHECK_SCANNER_ERROR, PD_CHECK_SCANNER_ERROR_BAD_REPLY);
}

static void
test_read_timeout (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdMicrLine) line = NULL;
  gint64 start = g_get_monotonic_time ();

  pd_virtual_micr_insert_check (fixture->micr, PERSONAL_CHECK);
  pd_virtual_micr_set_silent (fixture->micr, TRUE);
  pd_epson_micr_set_read_timeout (PD_EPSON_MICR (fixture->usb.added), 200);
  line = pd_check_scanner_read_micr (scanner_of (fixture), NULL, &error);
  g_assert_null (line);
  g_assert_error (error, PD_USB_ERROR, PD_USB_ERROR_TIMEOUT);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
}

static void
test_resend (Fixture       *fixture,
             gconstpointer  data)
{
  static const guint8 resend[] = { 0x1c, 'b' };
  g_autoptr(PdCheckCapture) capture = capture_check (fixture, PERSONAL_CHECK);
  g_autoptr(PdMicrLine) again = NULL;
  g_autoptr(GBytes) received = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = pd_micr_line_describe (capture->micr);
  g_autofree char *second = NULL;

  /* What the first read sent is not this test's business. */
  g_bytes_unref (pd_virtual_micr_take_received (fixture->micr));
  again = pd_epson_micr_resend (PD_EPSON_MICR (fixture->usb.added), NULL, &error);
  g_assert_no_error (error);
  second = pd_micr_line_describe (again);
  g_assert_cmpstr (first, ==, second);
  received = pd_virtual_micr_take_received (fixture->micr);
  g_assert_true (received_contains (received, resend, sizeof resend));
}

static void
test_load_and_clean (Fixture       *fixture,
                     gconstpointer  data)
{
  static const guint8 load[] = { 0x1c, 'a', '1' };
  static const guint8 clean[] = { 0x1c, 'c' };
  PdEpsonMicr *reader = PD_EPSON_MICR (fixture->usb.added);
  g_autoptr(GBytes) received = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (pd_epson_micr_load_for_printing (reader, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (pd_epson_micr_clean_head (reader, NULL, &error));
  g_assert_no_error (error);

  received = pd_virtual_micr_take_received (fixture->micr);
  g_assert_true (received_contains (received, load, sizeof load));
  g_assert_true (received_contains (received, clean, sizeof clean));
  g_assert_cmpuint (pd_virtual_micr_get_cleaned (fixture->micr), ==, 1);
}

#define ADD(path, test) \
  g_test_add (path, Fixture, NULL, set_up, test, tear_down)

int
main (int    argc,
      char **argv)
{
  if (!pd_usb_test_init (&argc, &argv))
    return 0;

  ADD ("/check-scanner/open", test_open);
  ADD ("/check-scanner/personal-check", test_personal_check);
  ADD ("/check-scanner/images-missing", test_images_missing);
  ADD ("/check-scanner/bad-check-digit", test_bad_check_digit);
  ADD ("/check-scanner/torn-line", test_torn_line);
  ADD ("/check-scanner/business-check", test_business_check);
  ADD ("/check-scanner/no-check", test_no_check);
  ADD ("/check-scanner/unreadable-check", test_unreadable_check);
  ADD ("/check-scanner/bad-reply", test_bad_reply);
  ADD ("/check-scanner/read-timeout", test_read_timeout);
  ADD ("/check-scanner/resend", test_resend);
  ADD ("/check-scanner/load-and-clean", test_load_and_clean);

  return g_test_run ();
}
