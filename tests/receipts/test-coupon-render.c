#include <string.h>

#include <poppler.h>

#include "pd-coupon.h"
#include "pd-coupon-render.h"
#include "pd-test-common.h"
#include "pd-test-png.h"

/* Invoice coupons drawn as PDF and PNG and read back: the QR code through zbar gives the
 * scan line the kiosk reads, the PDF's text through poppler says what a person reads; and
 * `paydesk-ctl training coupons` writes one of each for every training invoice. */

static char *
maria_line (void)
{
  g_autoptr(GError) error = NULL;
  char *line = pd_coupon_encode ("400123456789", "INV2026110042", 7500, &error);

  g_assert_no_error (error);
  return line;
}

static char *
pdf_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = g_filename_to_uri (path, NULL, &error);
  PopplerDocument *document;
  PopplerPage *page;
  char *text;

  g_assert_no_error (error);
  document = poppler_document_new_from_file (uri, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (poppler_document_get_n_pages (document), ==, 1);
  page = poppler_document_get_page (document, 0);
  text = poppler_page_get_text (page);
  g_object_unref (page);
  g_object_unref (document);
  return text;
}

static void
assert_png_scans_to (const char *path,
                     const char *line)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr(GBytes) png = NULL;
  g_autofree char *scanned = NULL;
  g_autoptr(PdCoupon) coupon = NULL;

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  png = g_bytes_new_take (g_steal_pointer (&contents), length);
  scanned = pd_test_scan_png_qr (png);
  g_assert_cmpstr (scanned, ==, line);
  coupon = pd_coupon_parse (scanned, &error);
  g_assert_no_error (error);
}

static void
test_render (void)
{
  g_autofree char *dir = pd_test_make_temp_dir ();
  g_autofree char *line = maria_line ();
  g_autofree char *png_path = g_build_filename (dir, "coupon.png", NULL);
  g_autofree char *pdf_path = g_build_filename (dir, "coupon.pdf", NULL);
  g_autofree char *other_path = g_build_filename (dir, "coupon.jpg", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  PdCouponPrint print = {
    .member_name = "Maria Gonzalez", .invoice_account = "400123456789",
    .invoice_number = "INV2026110042", .amount_due = 7500, .scan_line = line, .training = TRUE,
  };

  g_assert_true (pd_coupon_render (&print, png_path, &error));
  g_assert_no_error (error);
  assert_png_scans_to (png_path, line);

  g_assert_true (pd_coupon_render (&print, pdf_path, &error));
  g_assert_no_error (error);
  text = pdf_text (pdf_path);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "Amount due: $75.00"));
  g_assert_nonnull (strstr (text, "INV2026110042"));
  g_assert_nonnull (strstr (text, "TRAINING"));
  g_assert_nonnull (strstr (text, line));

  g_assert_false (pd_coupon_render (&print, other_path, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  pd_test_remove_tree (dir);
}

static void
test_training_coupons (void)
{
  g_autofree char *dir = pd_test_make_temp_dir ();
  g_autofree char *out = g_build_filename (dir, "coupons", NULL);
  const char *argv[] = { g_getenv ("PAYDESK_CTL"), "training", "coupons", out, NULL };
  g_auto(PdTestRun) run = pd_test_run (argv, NULL);
  g_autofree char *maria_png = g_build_filename (out, "INV2026110042.png", NULL);
  g_autofree char *maria_pdf = g_build_filename (out, "INV2026110042.pdf", NULL);
  g_autofree char *line = maria_line ();
  g_autoptr(GDir) listing = NULL;
  guint files = 0;

  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "coupons written to"));
  listing = g_dir_open (out, 0, NULL);
  g_assert_nonnull (listing);
  while (g_dir_read_name (listing) != NULL)
    files++;
  /* A PDF and a PNG for each training invoice: the seed has dozens. */
  g_assert_cmpuint (files % 2, ==, 0);
  g_assert_cmpuint (files, >=, 2 * 40);
  g_assert_true (g_file_test (maria_pdf, G_FILE_TEST_IS_REGULAR));
  assert_png_scans_to (maria_png, line);
  pd_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  pd_test_init (&argc, &argv);

  g_test_add_func ("/coupon-render/render", test_render);
  g_test_add_func ("/coupon-render/training-coupons", test_training_coupons);

  return g_test_run ();
}
