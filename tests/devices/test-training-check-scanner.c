#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include <glib/gstdio.h>
#include <tiffio.h>

#include "pd-bank-account.h"
#include "pd-check-image.h"
#include "pd-test-common.h"
#include "pd-test-tiff.h"
#include "pd-training-check-scanner.h"

/* The training check scanner through PdCheckScanner, with the profiles of
 * assets/training-checks ($PAYDESK_TRAINING_CHECKS), and paydesk-vcheck ($PAYDESK_VCHECK)
 * putting checks in its slot. Account numbers are compared, never printed: a failed
 * comparison shows the expression, not the number. */

#define PERSONAL_WIDTH  1200
#define PERSONAL_HEIGHT 550
#define BUSINESS_WIDTH  1700
#define BUSINESS_HEIGHT 700

/* Long enough for a loaded machine under a sanitizer, short enough to notice a hang. */
#define PROCESS_TIMEOUT_MS 10000

typedef struct {
  PdTestDir tmp;
  char *slot;
  char *check_path;
  PdTrainingCheckScanner *scanner;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  pd_test_dir_set_up (&fixture->tmp, data);
  fixture->slot = g_build_filename (fixture->tmp.dir, "slot", NULL);
  fixture->check_path = g_build_filename (fixture->slot, PD_TRAINING_CHECK_FILE, NULL);
  fixture->scanner = pd_training_check_scanner_new (fixture->slot);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->scanner);
  g_clear_pointer (&fixture->check_path, g_free);
  g_clear_pointer (&fixture->slot, g_free);
  pd_test_dir_tear_down (&fixture->tmp, data);
}

static PdCheckScanner *
scanner_of (Fixture *fixture)
{
  return PD_CHECK_SCANNER (fixture->scanner);
}

static void
insert (Fixture    *fixture,
        const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = pd_training_check_find_profile (name, &error);

  g_assert_no_error (error);
  g_assert_true (pd_training_check_insert (fixture->slot, path, &error));
  g_assert_no_error (error);
}

/* The profile's own line, parsed: what the scanner must give back. */
static PdMicrLine *
profile_line (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = pd_training_check_find_profile (name, &error);
  g_autoptr(PdTrainingCheck) check = NULL;
  PdMicrLine *line;

  g_assert_no_error (error);
  check = pd_training_check_load (path, &error);
  g_assert_no_error (error);
  line = pd_micr_line_parse (check->micr, -1, NULL, &error);
  g_assert_no_error (error);
  return line;
}

static PdCheckCapture *
capture (Fixture    *fixture,
         const char *name)
{
  g_autoptr(GError) error = NULL;
  PdCheckCapture *result;

  insert (fixture, name);
  g_assert_true (pd_check_scanner_wait_for_check (scanner_of (fixture), 1000, NULL, &error));
  g_assert_no_error (error);
  result = pd_check_scanner_capture (scanner_of (fixture), NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  /* The whole pass hands the check back. */
  g_assert_false (g_file_test (fixture->check_path, G_FILE_TEST_EXISTS));
  return result;
}

/* The TIFF read back by libtiff itself, its Check 21 tags checked, and its pixels as an
 * image for the quality checks. */
static PdCheckImage *
read_tiff (Fixture     *fixture,
           GBytes      *tiff_bytes,
           PdCheckSide  side,
           guint        width,
           guint        height)
{
  g_autofree char *path = g_build_filename (fixture->tmp.dir,
                                            side == PD_CHECK_SIDE_FRONT ? "front.tif"
                                                                        : "back.tif", NULL);
  g_autoptr(GError) error = NULL;
  gsize size = 0;
  const char *data;
  TIFF *tiff;
  gsize row_bytes;
  g_autofree guint8 *bits = NULL;
  PdCheckImage *image;

  g_assert_nonnull (tiff_bytes);
  data = g_bytes_get_data (tiff_bytes, &size);
  g_assert_true (g_file_set_contents (path, data, (gssize) size, &error));
  g_assert_no_error (error);

  tiff = pd_test_open_check_tiff (path, width, height);
  row_bytes = (width + 7) / 8;
  bits = g_malloc (row_bytes * height);
  for (guint y = 0; y < height; y++)
    g_assert_cmpint (TIFFReadScanline (tiff, bits + y * row_bytes, y, 0), ==, 1);
  TIFFClose (tiff);
  g_unlink (path);

  /* Min-is-white: a set bit is ink, as the image wants it. */
  image = pd_check_image_new_from_bilevel (side, bits, width, height, row_bytes, 200);
  memset (bits, 0, row_bytes * height);
  return image;
}

static void
test_personal (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdMicrLine) expected = profile_line ("personal");
  g_autoptr(PdMicrLine) line = NULL;
  g_autoptr(GBytes) front = NULL;
  g_autoptr(GBytes) back = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *detail = NULL;
  g_autoptr(PdCheckImage) front_image = NULL;
  g_autoptr(PdCheckImage) back_image = NULL;

  insert (fixture, "personal");
  g_assert_true (pd_check_scanner_wait_for_check (scanner_of (fixture), 1000, NULL, &error));
  g_assert_no_error (error);

  line = pd_check_scanner_read_micr (scanner_of (fixture), NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_cmpstr (pd_micr_line_get_routing_number (line), ==, "021000021");
  g_assert_cmpstr (pd_micr_line_get_serial (line), ==, "1042");
  g_assert_true (g_str_equal (pd_micr_line_get_account_number (line),
                              pd_micr_line_get_account_number (expected)));
  g_assert_cmpint (pd_micr_line_get_flags (line), ==, PD_MICR_LINE_FLAGS_NONE);
  g_assert_true (pd_micr_line_is_usable (line));

  g_assert_true (pd_check_scanner_capture_images (scanner_of (fixture), &front, &back, &reason,
                                                  NULL, &error));
  g_assert_no_error (error);
  g_assert_null (reason);
  front_image = read_tiff (fixture, front, PD_CHECK_SIDE_FRONT, PERSONAL_WIDTH, PERSONAL_HEIGHT);
  back_image = read_tiff (fixture, back, PD_CHECK_SIDE_BACK, PERSONAL_WIDTH, PERSONAL_HEIGHT);
  g_assert_cmpint (pd_check_image_assess (front_image), ==, PD_CHECK_IMAGE_PROBLEMS_NONE);
  g_assert_cmpint (pd_check_image_assess (back_image), ==, PD_CHECK_IMAGE_PROBLEMS_NONE);

  /* Reading and imaging leave the check where it is. */
  g_assert_true (g_file_test (fixture->check_path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (pd_check_scanner_query_status (scanner_of (fixture), &detail, NULL, &error),
                   ==, PD_DEVICE_HEALTH_PRESENT | PD_DEVICE_HEALTH_READY);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (detail, fixture->slot));
}

static void
test_business (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(PdCheckCapture) result = capture (fixture, "business");
  g_autoptr(PdCheckImage) front = NULL;
  g_autoptr(PdCheckImage) back = NULL;

  g_assert_cmpint (result->flags, ==, PD_CHECK_CAPTURE_BUSINESS);
  g_assert_true (pd_check_capture_is_usable (result));
  g_assert_cmpstr (pd_micr_line_get_serial (result->micr), ==,
                   pd_micr_line_get_aux_on_us (result->micr));
  front = read_tiff (fixture, result->front_tiff, PD_CHECK_SIDE_FRONT, BUSINESS_WIDTH,
                     BUSINESS_HEIGHT);
  back = read_tiff (fixture, result->back_tiff, PD_CHECK_SIDE_BACK, BUSINESS_WIDTH,
                    BUSINESS_HEIGHT);
  g_assert_cmpint (pd_check_image_assess (front), ==, PD_CHECK_IMAGE_PROBLEMS_NONE);
  g_assert_cmpint (pd_check_image_assess (back), ==, PD_CHECK_IMAGE_PROBLEMS_NONE);
}

static void
test_bad_check_digit (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(PdCheckCapture) result = capture (fixture, "bad-check-digit");

  g_assert_cmpint (result->flags, ==, PD_CHECK_CAPTURE_BAD_CHECK_DIGIT);
  g_assert_false (pd_check_capture_is_usable (result));
  g_assert_cmpuint (result->problems->len, ==, 1);
}

static void
test_torn (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(PdCheckCapture) result = capture (fixture, "torn");
  g_autoptr(PdCheckImage) front = NULL;

  g_assert_cmpint (result->flags, ==, PD_CHECK_CAPTURE_TORN);
  g_assert_false (pd_check_capture_is_usable (result));
  g_assert_false (pd_micr_line_field_is_sound (result->micr, PD_MICR_FIELD_ACCOUNT));
  /* The smudge over the unread character still makes an acceptable image. */
  front = read_tiff (fixture, result->front_tiff, PD_CHECK_SIDE_FRONT, PERSONAL_WIDTH,
                     PERSONAL_HEIGHT);
  g_assert_cmpint (pd_check_image_assess (front), ==, PD_CHECK_IMAGE_PROBLEMS_NONE);
}

static void
test_no_images (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(PdCheckCapture) result = capture (fixture, "no-images");

  g_assert_cmpint (result->flags, ==, PD_CHECK_CAPTURE_IMAGES_MISSING);
  g_assert_true (pd_check_capture_is_usable (result));
  g_assert_null (result->front_tiff);
  g_assert_null (result->back_tiff);
  g_assert_nonnull (result->images_missing_reason);
  g_assert_cmpuint (strlen (result->images_missing_reason), >, 0);
  g_assert_cmpuint (result->problems->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (result->problems, 0), ==, result->images_missing_reason);
}

/* pd_check_scanner_capture() does not assess images: the caller runs the image checks on
 * what it got, as done here. */
static void
test_unendorsed (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(PdCheckCapture) result = capture (fixture, "unendorsed");
  g_autoptr(PdCheckImage) front = NULL;
  g_autoptr(PdCheckImage) back = NULL;
  g_autofree char *message = NULL;

  /* The capture itself assesses what the scanner gave: a blank back is a problem to show,
   * not a reason to refuse the line. */
  g_assert_cmpint (result->flags, ==, PD_CHECK_CAPTURE_IMAGE_PROBLEMS);
  g_assert_cmpuint (result->problems->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (result->problems, 0), "back"));
  g_assert_true (pd_check_capture_is_usable (result));
  front = read_tiff (fixture, result->front_tiff, PD_CHECK_SIDE_FRONT, PERSONAL_WIDTH,
                     PERSONAL_HEIGHT);
  back = read_tiff (fixture, result->back_tiff, PD_CHECK_SIDE_BACK, PERSONAL_WIDTH,
                    PERSONAL_HEIGHT);
  g_assert_cmpint (pd_check_image_assess (front), ==, PD_CHECK_IMAGE_PROBLEMS_NONE);
  g_assert_cmpint (pd_check_image_assess (back), ==, PD_CHECK_IMAGE_BLANK);
  message = pd_check_image_describe_problems (PD_CHECK_SIDE_BACK, pd_check_image_assess (back));
  g_assert_nonnull (strstr (message, "back"));
}

static void
test_no_check (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdMicrLine) line = NULL;
  gint64 start = g_get_monotonic_time ();
  gint64 elapsed;

  g_assert_false (pd_check_scanner_wait_for_check (scanner_of (fixture), 50, NULL, &error));
  elapsed = g_get_monotonic_time () - start;
  g_assert_error (error, PD_CHECK_SCANNER_ERROR, PD_CHECK_SCANNER_ERROR_NO_CHECK);
  g_assert_cmpint (elapsed, >=, 50 * 1000);
  g_assert_cmpint (elapsed, <, 2 * G_USEC_PER_SEC);
  g_clear_error (&error);

  line = pd_check_scanner_read_micr (scanner_of (fixture), NULL, &error);
  g_assert_null (line);
  g_assert_error (error, PD_CHECK_SCANNER_ERROR, PD_CHECK_SCANNER_ERROR_NO_CHECK);
}

static gpointer
cancel_soon (gpointer data)
{
  g_usleep (50 * 1000);
  g_cancellable_cancel (data);
  return NULL;
}

static void
test_cancelled (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  GThread *canceller = g_thread_new ("canceller", cancel_soon, cancellable);
  gint64 start = g_get_monotonic_time ();
  gint64 elapsed;

  g_assert_false (pd_check_scanner_wait_for_check (scanner_of (fixture), 60 * 1000, cancellable,
                                                   &error));
  elapsed = g_get_monotonic_time () - start;
  g_thread_join (canceller);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (elapsed, <, G_USEC_PER_SEC);
}

static void
test_insert_twice (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *business = pd_training_check_find_profile ("business", &error);
  g_autoptr(PdTrainingCheck) in_slot = NULL;
  g_autoptr(PdTrainingCheck) personal = NULL;
  g_autofree char *personal_path = NULL;
  GStatBuf status;

  g_assert_no_error (error);
  insert (fixture, "personal");
  g_assert_false (pd_training_check_insert (fixture->slot, business, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&error);

  /* The first check stayed, private to its owner, and nothing was left behind. */
  personal_path = pd_training_check_find_profile ("personal", &error);
  g_assert_no_error (error);
  personal = pd_training_check_load (personal_path, &error);
  g_assert_no_error (error);
  in_slot = pd_training_check_load (fixture->check_path, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_equal (in_slot->micr, personal->micr));
  g_assert_cmpint (g_stat (fixture->check_path, &status), ==, 0);
  g_assert_cmpint (status.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (fixture->slot, &status), ==, 0);
  g_assert_cmpint (status.st_mode & 0777, ==, 0700);
  {
    g_autoptr(GDir) dir = g_dir_open (fixture->slot, 0, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (g_dir_read_name (dir), ==, PD_TRAINING_CHECK_FILE);
    g_assert_null (g_dir_read_name (dir));
  }
}

static void
test_eject (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *detail = NULL;

  insert (fixture, "personal");
  g_assert_true (pd_check_scanner_wait_for_check (scanner_of (fixture), 0, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (pd_check_scanner_eject (scanner_of (fixture), NULL, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (fixture->check_path, G_FILE_TEST_EXISTS));

  g_assert_false (pd_check_scanner_wait_for_check (scanner_of (fixture), 0, NULL, &error));
  g_assert_error (error, PD_CHECK_SCANNER_ERROR, PD_CHECK_SCANNER_ERROR_NO_CHECK);
  g_clear_error (&error);

  /* Nothing to hand back is no failure; and the slot takes a check again. */
  g_assert_true (pd_check_scanner_eject (scanner_of (fixture), NULL, &error));
  g_assert_no_error (error);
  insert (fixture, "business");
  g_assert_true (pd_training_check_remove (fixture->slot, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (fixture->check_path, G_FILE_TEST_EXISTS));
}

static void
test_bad_profiles (Fixture       *fixture,
                   gconstpointer  data)
{
  static const struct {
    const char *contents;
    GKeyFileError code;
  } cases[] = {
    { "[Check]\nMicr=⑆021000021⑆ 123456789⑈ 0123\nEndorsd=true\n",
      G_KEY_FILE_ERROR_KEY_NOT_FOUND },
    { "[Check]\nPayer=Nobody\n", G_KEY_FILE_ERROR_KEY_NOT_FOUND },
    { "[Cheque]\nMicr=⑆021000021⑆ 123456789⑈ 0123\n", G_KEY_FILE_ERROR_GROUP_NOT_FOUND },
    { "[Check]\nMicr=⑆021000021⑆ 123456789⑈ 0123\nImages=perhaps\n",
      G_KEY_FILE_ERROR_INVALID_VALUE },
    { "[Check]\nMicr=⑆021000021⑆ 123456789⑈ 0123\nnot a key\n", G_KEY_FILE_ERROR_PARSE },
  };
  g_autofree char *path = g_build_filename (fixture->tmp.dir, "bad.conf", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      pd_test_write_file (path, cases[i].contents);
      g_assert_false (pd_training_check_insert (fixture->slot, path, &error));
      g_assert_error (error, G_KEY_FILE_ERROR, (gint) cases[i].code);
      g_assert_nonnull (strstr (error->message, path));
      g_clear_error (&error);
      g_assert_false (g_file_test (fixture->check_path, G_FILE_TEST_EXISTS));
    }

  missing = pd_training_check_find_profile ("no-such-check", &error);
  g_assert_null (missing);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
}

/* Every profile shipped: a line that parses, a fictional account number of 9 or 10 digits
 * (never a card number's length), and a routing number that passes the ABA check unless the
 * profile is about one that does not. */
static void
test_profiles (void)
{
  const char *directory = pd_training_check_get_profile_directory ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (directory, 0, &error);
  const char *name;
  guint n_profiles = 0;

  g_assert_no_error (error);
  g_assert_cmpstr (directory, ==, g_getenv ("PAYDESK_TRAINING_CHECKS"));
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (directory, name, NULL);
      g_autoptr(PdTrainingCheck) check = NULL;
      g_autoptr(PdMicrLine) line = NULL;
      const char *account;
      gsize digits;

      if (!g_str_has_suffix (name, ".conf"))
        continue;
      n_profiles++;
      check = pd_training_check_load (path, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (check->description, !=, "");
      g_assert_cmpstr (check->payer, !=, "");
      line = pd_micr_line_parse (check->micr, -1, NULL, &error);
      g_assert_no_error (error);

      account = pd_micr_line_get_account_number (line);
      g_assert_nonnull (account);
      digits = strlen (account);
      g_assert_true (digits == 9 || digits == 10);
      g_assert_cmpint (pd_routing_number_is_valid (pd_micr_line_get_routing_number (line)), ==,
                       !g_str_equal (name, "bad-check-digit.conf"));
    }
  g_assert_cmpuint (n_profiles, ==, 6);
}

/* ---- paydesk-vcheck ---- */

/* A failed assertion must not leave the tool behind, holding the test's output open. */
static void
die_with_test (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

typedef struct {
  GSubprocess *process;
  GDataInputStream *out;
  GString *output;
} Tool;

static void
tool_start (Tool       *tool,
            Fixture    *fixture,
            const char *profile)
{
  const char *argv[] = {
    g_getenv ("PAYDESK_VCHECK"), "--profile", profile, "--slot", fixture->slot, NULL,
  };
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (
                                              G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  g_assert_nonnull (argv[0]);
  g_subprocess_launcher_set_child_setup (launcher, die_with_test, NULL, NULL);
  tool->process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  tool->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (tool->process));
  tool->output = g_string_new (NULL);

  /* The tool says so once the check is in: no guessing, no sleeping. */
  line = g_data_input_stream_read_line_utf8 (tool->out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_string_append_printf (tool->output, "%s\n", line);
  g_assert_nonnull (strstr (line, profile));
  g_assert_true (g_file_test (fixture->check_path, G_FILE_TEST_IS_REGULAR));
}

static void
wait_done (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  gboolean *done = data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *done = TRUE;
}

static gboolean
time_is_up (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Waits for the tool to end by itself and reads what is left of its output; exits 0. */
static void
tool_finish (Tool *tool)
{
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;
  gboolean timed_out = FALSE;
  guint timeout = g_timeout_add (PROCESS_TIMEOUT_MS, time_is_up, &timed_out);
  char *line;

  g_subprocess_wait_async (tool->process, NULL, wait_done, &done);
  while (!done && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout);
  if (!done)
    {
      g_subprocess_force_exit (tool->process);
      g_assert_true (g_subprocess_wait (tool->process, NULL, NULL));
    }
  g_assert_true (done);
  g_assert_true (g_subprocess_get_if_exited (tool->process));
  g_assert_cmpint (g_subprocess_get_exit_status (tool->process), ==, 0);

  while ((line = g_data_input_stream_read_line_utf8 (tool->out, NULL, NULL, &error)) != NULL)
    {
      g_string_append_printf (tool->output, "%s\n", line);
      g_free (line);
    }
  g_assert_no_error (error);
}

static void
tool_clear (Tool *tool)
{
  g_clear_object (&tool->out);
  g_clear_object (&tool->process);
  if (tool->output != NULL)
    g_string_free (g_steal_pointer (&tool->output), TRUE);
}

static void
test_vcheck_ejected (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdMicrLine) expected = profile_line ("personal");
  g_autoptr(PdCheckCapture) result = NULL;
  Tool tool = { 0 };

  tool_start (&tool, fixture, "personal");
  g_assert_true (pd_check_scanner_wait_for_check (scanner_of (fixture), 5000, NULL, &error));
  g_assert_no_error (error);
  result = pd_check_scanner_capture (scanner_of (fixture), NULL, &error);
  g_assert_no_error (error);
  g_assert_true (pd_check_capture_is_usable (result));
  g_assert_true (g_str_equal (pd_micr_line_get_account_number (result->micr),
                              pd_micr_line_get_account_number (expected)));

  tool_finish (&tool);
  g_assert_nonnull (strstr (tool.output->str, "personal"));
  g_assert_nonnull (strstr (tool.output->str, "came back"));
  g_assert_null (strstr (tool.output->str, pd_micr_line_get_account_number (expected)));
  g_assert_false (g_file_test (fixture->check_path, G_FILE_TEST_EXISTS));
  tool_clear (&tool);
}

static void
test_vcheck_terminated (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(PdMicrLine) expected = profile_line ("business");
  Tool tool = { 0 };

  tool_start (&tool, fixture, "business");
  g_subprocess_send_signal (tool.process, SIGTERM);
  tool_finish (&tool);
  g_assert_false (g_file_test (fixture->check_path, G_FILE_TEST_EXISTS));
  g_assert_null (strstr (tool.output->str, pd_micr_line_get_account_number (expected)));
  tool_clear (&tool);
}

#define ADD(path, function) \
  g_test_add ("/training-check-scanner/" path, Fixture, NULL, fixture_set_up, function, \
              fixture_tear_down)

int
main (int    argc,
      char **argv)
{
  pd_test_init (&argc, &argv);

  g_test_add_func ("/training-check-scanner/profiles", test_profiles);
  ADD ("personal", test_personal);
  ADD ("business", test_business);
  ADD ("bad-check-digit", test_bad_check_digit);
  ADD ("torn", test_torn);
  ADD ("no-images", test_no_images);
  ADD ("unendorsed", test_unendorsed);
  ADD ("no-check", test_no_check);
  ADD ("cancelled", test_cancelled);
  ADD ("insert-twice", test_insert_twice);
  ADD ("eject", test_eject);
  ADD ("bad-profiles", test_bad_profiles);
  ADD ("vcheck-ejected", test_vcheck_ejected);
  ADD ("vcheck-terminated", test_vcheck_terminated);

  return g_test_run ();
}
