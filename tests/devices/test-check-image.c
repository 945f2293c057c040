#include <string.h>

#include <glib/gstdio.h>
#include <tiffio.h>

#include "pd-check-image.h"
#include "pd-test-common.h"
#include "pd-test-tiff.h"

/* A personal check at 200 dpi: 6 x 2.75 in. */
#define CHECK_WIDTH  1200
#define CHECK_HEIGHT 550

/* Strokes of ink on white paper: a short dash every 20 pixels on every other 5 rows, about
 * 5% black, and a band of gray right at the threshold to show which side it falls on. */
static guint8 *
draw_check (guint  width,
            guint  height,
            gsize  stride)
{
  guint8 *pixels = g_malloc (stride * height);

  memset (pixels, 0xee, stride * height);
  for (guint y = 0; y < height; y++)
    for (guint x = 0; x < width; x++)
      {
        guint8 *pixel = &pixels[y * stride + x];

        if (x % 20 < 2 && y % 10 < 5)
          *pixel = 0x10;
        else if (y == 40 && x < 600)
          *pixel = PD_CHECK_IMAGE_DEFAULT_THRESHOLD - 1;
        else if (y == 41 && x < 600)
          *pixel = PD_CHECK_IMAGE_DEFAULT_THRESHOLD;
      }

  return pixels;
}

static PdCheckImage *
new_check (guint width,
           guint height,
           guint dpi)
{
  gsize stride = width + 3;
  g_autofree guint8 *pixels = draw_check (width, height, stride);

  return pd_check_image_new_from_gray (PD_CHECK_SIDE_FRONT, pixels, width, height, stride, dpi,
                                       PD_CHECK_IMAGE_DEFAULT_THRESHOLD);
}

static PdCheckImage *
new_filled (guint  width,
            guint  height,
            guint8 level)
{
  g_autofree guint8 *pixels = g_malloc (width * height);

  memset (pixels, level, width * height);
  return pd_check_image_new_from_gray (PD_CHECK_SIDE_BACK, pixels, width, height, width,
                                       PD_CHECK_IMAGE_DPI, PD_CHECK_IMAGE_DEFAULT_THRESHOLD);
}

static void
test_threshold (void)
{
  g_autoptr(PdCheckImage) image = new_check (CHECK_WIDTH, CHECK_HEIGHT, PD_CHECK_IMAGE_DPI);

  g_assert_cmpuint (pd_check_image_get_width (image), ==, CHECK_WIDTH);
  g_assert_cmpuint (pd_check_image_get_height (image), ==, CHECK_HEIGHT);
  g_assert_cmpuint (pd_check_image_get_dpi (image), ==, PD_CHECK_IMAGE_DPI);
  g_assert_true (pd_check_image_is_black (image, 0, 0));
  g_assert_true (pd_check_image_is_black (image, 21, 4));
  g_assert_false (pd_check_image_is_black (image, 2, 0));
  g_assert_false (pd_check_image_is_black (image, 0, 5));
  g_assert_true (pd_check_image_is_black (image, 303, 40));
  g_assert_false (pd_check_image_is_black (image, 303, 41));
  g_assert_cmpfloat_with_epsilon (pd_check_image_get_black_fraction (image), 0.05, 0.005);
}

/* What X9.100-181 asks of a check image, read back by libtiff itself, and every pixel. */
static void
assert_check_tiff (const char         *path,
                   const PdCheckImage *image)
{
  guint width = pd_check_image_get_width (image);
  guint height = pd_check_image_get_height (image);
  TIFF *tiff = pd_test_open_check_tiff (path, width, height);
  g_autofree guint8 *row = NULL;

  row = g_malloc (TIFFScanlineSize (tiff));
  for (guint y = 0; y < height; y++)
    {
      g_assert_cmpint (TIFFReadScanline (tiff, row, y, 0), ==, 1);
      for (guint x = 0; x < width; x++)
        {
          gboolean black = (row[x / 8] & (0x80 >> (x % 8))) != 0;

          if (black != pd_check_image_is_black (image, x, y))
            g_error ("pixel %u,%u differs after the round trip", x, y);
        }
    }

  TIFFClose (tiff);
}

static void
test_tiff_in_memory (PdTestDir    *fixture,
                     gconstpointer data)
{
  g_autoptr(PdCheckImage) image = new_check (CHECK_WIDTH, CHECK_HEIGHT, PD_CHECK_IMAGE_DPI);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) tiff = pd_check_image_to_tiff (image, &error);
  g_autofree char *path = g_build_filename (fixture->dir, "front.tif", NULL);
  gsize size;
  const guint8 *bytes;

  g_assert_no_error (error);
  bytes = g_bytes_get_data (tiff, &size);
  g_assert_cmpmem (bytes, 4, "II*\0", 4);
  /* G4 does what it is for: far smaller than the 82,500 bytes of raw bits. */
  g_assert_cmpuint (size, <, CHECK_WIDTH * CHECK_HEIGHT / 8 / 4);

  g_assert_true (g_file_set_contents (path, (const char *) bytes, (gssize) size, &error));
  g_assert_no_error (error);
  assert_check_tiff (path, image);
}

static void
test_tiff_file (PdTestDir    *fixture,
                gconstpointer data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "back.tif", NULL);
  g_autoptr(GError) error = NULL;
  /* An odd width: the last byte of each row is partly padding. */
  guint width = 1203;
  gsize stride = (width + 7) / 8 + 2;
  g_autofree guint8 *bits = g_malloc (stride * CHECK_HEIGHT);
  g_autoptr(PdCheckImage) image = NULL;
  GStatBuf status;

  /* Every third pixel black, and padding set, which must not count as ink. */
  memset (bits, 0xff, stride * CHECK_HEIGHT);
  for (guint y = 0; y < CHECK_HEIGHT; y++)
    for (guint x = 0; x < width; x++)
      if (x % 3 != 0)
        bits[y * stride + x / 8] &= (guint8) ~(0x80 >> (x % 8));

  image = pd_check_image_new_from_bilevel (PD_CHECK_SIDE_BACK, bits, width, CHECK_HEIGHT, stride,
                                           PD_CHECK_IMAGE_DPI);
  g_assert_true (pd_check_image_is_black (image, 1200, 7));
  g_assert_false (pd_check_image_is_black (image, 1202, 7));
  g_assert_cmpfloat_with_epsilon (pd_check_image_get_black_fraction (image), 401.0 / 1203, 1e-9);

  g_assert_true (pd_check_image_save_tiff (image, path, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &status), ==, 0);
  g_assert_cmpint (status.st_mode & 0777, ==, 0600);
  assert_check_tiff (path, image);
}

static void
test_save_refused (PdTestDir    *fixture,
                   gconstpointer data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "missing", "front.tif", NULL);
  g_autoptr(PdCheckImage) image = new_check (CHECK_WIDTH, CHECK_HEIGHT, PD_CHECK_IMAGE_DPI);
  g_autoptr(GError) error = NULL;

  g_assert_false (pd_check_image_save_tiff (image, path, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
}

/* What a scanner hands over, read back bit for bit to be assessed; anything else refused. */
static void
test_tiff_read_back (void)
{
  g_autoptr(PdCheckImage) drawn = new_check (1203, 550, PD_CHECK_IMAGE_DPI);
  g_autoptr(GBytes) tiff = NULL;
  g_autoptr(PdCheckImage) read = NULL;
  g_autoptr(GBytes) garbage = g_bytes_new_static ("II*\0not a tiff at all", 21);
  g_autoptr(GBytes) cut = NULL;
  g_autoptr(GError) error = NULL;

  tiff = pd_check_image_to_tiff (drawn, &error);
  g_assert_no_error (error);
  read = pd_check_image_new_from_tiff (PD_CHECK_SIDE_FRONT, tiff, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pd_check_image_get_width (read), ==, pd_check_image_get_width (drawn));
  g_assert_cmpuint (pd_check_image_get_height (read), ==, pd_check_image_get_height (drawn));
  g_assert_cmpuint (pd_check_image_get_dpi (read), ==, PD_CHECK_IMAGE_DPI);
  for (guint y = 0; y < pd_check_image_get_height (drawn); y += 7)
    for (guint x = 0; x < pd_check_image_get_width (drawn); x += 3)
      g_assert_cmpint (pd_check_image_is_black (read, x, y), ==,
                       pd_check_image_is_black (drawn, x, y));
  g_assert_cmpint (pd_check_image_assess (read), ==, pd_check_image_assess (drawn));

  g_assert_null (pd_check_image_new_from_tiff (PD_CHECK_SIDE_FRONT, garbage, &error));
  g_assert_error (error, PD_CHECK_IMAGE_ERROR, PD_CHECK_IMAGE_ERROR_TIFF);
  g_clear_error (&error);

  cut = g_bytes_new_from_bytes (tiff, 0, g_bytes_get_size (tiff) / 2);
  g_assert_null (pd_check_image_new_from_tiff (PD_CHECK_SIDE_FRONT, cut, &error));
  g_assert_error (error, PD_CHECK_IMAGE_ERROR, PD_CHECK_IMAGE_ERROR_TIFF);
}

/* A bilevel TIFF as a scanner might write it, at the resolution and unit given. */
static GBytes *
tiff_at_resolution (const char *dir,
                    float       resolution,
                    guint16     unit)
{
  g_autofree char *path = g_build_filename (dir, "resolution.tif", NULL);
  g_autofree guint8 *row = g_malloc0 (CHECK_WIDTH / 8 + 1);
  TIFF *tiff = TIFFOpen (path, "w");
  char *contents = NULL;
  gsize length = 0;

  g_assert_nonnull (tiff);
  TIFFSetField (tiff, TIFFTAG_IMAGEWIDTH, (guint32) CHECK_WIDTH);
  TIFFSetField (tiff, TIFFTAG_IMAGELENGTH, (guint32) CHECK_HEIGHT);
  TIFFSetField (tiff, TIFFTAG_BITSPERSAMPLE, (guint16) 1);
  TIFFSetField (tiff, TIFFTAG_SAMPLESPERPIXEL, (guint16) 1);
  TIFFSetField (tiff, TIFFTAG_PHOTOMETRIC, (guint16) PHOTOMETRIC_MINISWHITE);
  TIFFSetField (tiff, TIFFTAG_XRESOLUTION, resolution);
  TIFFSetField (tiff, TIFFTAG_YRESOLUTION, resolution);
  TIFFSetField (tiff, TIFFTAG_RESOLUTIONUNIT, unit);
  for (guint y = 0; y < CHECK_HEIGHT; y++)
    g_assert_cmpint (TIFFWriteScanline (tiff, row, y, 0), ==, 1);
  TIFFClose (tiff);

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpint (g_unlink (path), ==, 0);
  return g_bytes_new_take (contents, length);
}

/* A resolution is a float in the file: one no scanner has (none, huge, in centimetres past
 * any integer) is refused as a damaged image, never cast into a number of dots. */
static void
test_tiff_resolution (void)
{
  g_autofree char *dir = pd_test_make_temp_dir ();
  struct {
    float resolution;
    guint16 unit;
    guint dpi;
  } cases[] = {
    { 200.0f, RESUNIT_INCH, 200 },
    { 94.49f, RESUNIT_CENTIMETER, 240 },
    { 0.0f, RESUNIT_INCH, 0 },
    { 0.25f, RESUNIT_INCH, 0 },
    { 10001.0f, RESUNIT_INCH, 0 },
    { 4.0e9f, RESUNIT_CENTIMETER, 0 },
    { 4.2e9f, RESUNIT_INCH, 0 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) tiff = tiff_at_resolution (dir, cases[i].resolution, cases[i].unit);
      g_autoptr(GError) error = NULL;
      g_autoptr(PdCheckImage) image = pd_check_image_new_from_tiff (PD_CHECK_SIDE_FRONT, tiff,
                                                                    &error);

      g_test_message ("%g per %s", cases[i].resolution,
                      cases[i].unit == RESUNIT_INCH ? "inch" : "centimetre");
      if (cases[i].dpi == 0)
        {
          g_assert_null (image);
          g_assert_error (error, PD_CHECK_IMAGE_ERROR, PD_CHECK_IMAGE_ERROR_TIFF);
          continue;
        }
      g_assert_no_error (error);
      g_assert_cmpuint (pd_check_image_get_dpi (image), ==, cases[i].dpi);
    }
  pd_test_remove_tree (dir);
}

static void
test_quality (void)
{
  g_autoptr(PdCheckImage) personal = new_check (CHECK_WIDTH, CHECK_HEIGHT, PD_CHECK_IMAGE_DPI);
  g_autoptr(PdCheckImage) business = new_check (1700, 700, PD_CHECK_IMAGE_DPI);
  g_autoptr(PdCheckImage) at_240 = new_check (1440, 660, PD_CHECK_IMAGE_ALT_DPI);
  g_autoptr(PdCheckImage) blank = new_filled (CHECK_WIDTH, CHECK_HEIGHT, 0xf0);
  g_autoptr(PdCheckImage) dark = new_filled (CHECK_WIDTH, CHECK_HEIGHT, 0x30);
  g_autoptr(PdCheckImage) small = new_check (400, 400, PD_CHECK_IMAGE_DPI);
  g_autoptr(PdCheckImage) two_checks = new_check (CHECK_WIDTH, 2 * CHECK_HEIGHT, PD_CHECK_IMAGE_DPI);
  g_autoptr(PdCheckImage) at_300 = new_check (1800, 825, 300);
  g_autoptr(PdCheckImage) dark_and_small = new_filled (300, 300, 0x00);

  g_assert_cmpint (pd_check_image_assess (personal), ==, PD_CHECK_IMAGE_PROBLEMS_NONE);
  g_assert_cmpint (pd_check_image_assess (business), ==, PD_CHECK_IMAGE_PROBLEMS_NONE);
  g_assert_cmpint (pd_check_image_assess (at_240), ==, PD_CHECK_IMAGE_PROBLEMS_NONE);
  g_assert_cmpint (pd_check_image_assess (blank), ==, PD_CHECK_IMAGE_BLANK);
  g_assert_cmpint (pd_check_image_assess (dark), ==, PD_CHECK_IMAGE_TOO_DARK);
  g_assert_cmpint (pd_check_image_assess (small), ==, PD_CHECK_IMAGE_WRONG_SIZE);
  g_assert_cmpint (pd_check_image_assess (two_checks), ==, PD_CHECK_IMAGE_WRONG_SIZE);
  g_assert_cmpint (pd_check_image_assess (at_300), ==, PD_CHECK_IMAGE_WRONG_RESOLUTION);
  g_assert_cmpint (pd_check_image_assess (dark_and_small), ==,
                   PD_CHECK_IMAGE_TOO_DARK | PD_CHECK_IMAGE_WRONG_SIZE);
}

static void
test_problem_messages (void)
{
  g_autofree char *none = pd_check_image_describe_problems (PD_CHECK_SIDE_FRONT,
                                                            PD_CHECK_IMAGE_PROBLEMS_NONE);
  g_autofree char *one = pd_check_image_describe_problems (PD_CHECK_SIDE_BACK,
                                                           PD_CHECK_IMAGE_BLANK);
  g_autofree char *all = pd_check_image_describe_problems (PD_CHECK_SIDE_FRONT,
                                                           PD_CHECK_IMAGE_BLANK |
                                                           PD_CHECK_IMAGE_TOO_DARK |
                                                           PD_CHECK_IMAGE_WRONG_SIZE |
                                                           PD_CHECK_IMAGE_WRONG_RESOLUTION);
  g_auto(GStrv) lines = NULL;

  g_assert_null (none);
  g_assert_nonnull (strstr (one, "back"));
  g_assert_null (strchr (one, '\n'));
  lines = g_strsplit (all, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  g_assert_nonnull (strstr (lines[0], "front"));
}

int
main (int    argc,
      char **argv)
{
  pd_test_init (&argc, &argv);

  g_test_add_func ("/check-image/threshold", test_threshold);
  g_test_add ("/check-image/tiff-in-memory", PdTestDir, NULL, pd_test_dir_set_up,
              test_tiff_in_memory, pd_test_dir_tear_down);
  g_test_add ("/check-image/tiff-file", PdTestDir, NULL, pd_test_dir_set_up,
              test_tiff_file, pd_test_dir_tear_down);
  g_test_add ("/check-image/save-refused", PdTestDir, NULL, pd_test_dir_set_up,
              test_save_refused, pd_test_dir_tear_down);
  g_test_add_func ("/check-image/tiff-read-back", test_tiff_read_back);
  g_test_add_func ("/check-image/tiff-resolution", test_tiff_resolution);
  g_test_add_func ("/check-image/quality", test_quality);
  g_test_add_func ("/check-image/problem-messages", test_problem_messages);

  return g_test_run ();
}
