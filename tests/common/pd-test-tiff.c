#include "pd-check-image.h"
#include "pd-test-tiff.h"

static guint32
get_uint32 (TIFF    *tiff,
            guint32  tag)
{
  guint32 value = 0;

  g_assert_true (TIFFGetField (tiff, tag, &value));
  return value;
}

static guint16
get_uint16 (TIFF    *tiff,
            guint32  tag)
{
  guint16 value = 0;

  g_assert_true (TIFFGetField (tiff, tag, &value));
  return value;
}

static float
get_float (TIFF    *tiff,
           guint32  tag)
{
  float value = 0;

  g_assert_true (TIFFGetField (tiff, tag, &value));
  return value;
}

TIFF *
pd_test_open_check_tiff (const char *path,
                         guint       width,
                         guint       height)
{
  TIFF *tiff = TIFFOpen (path, "r");

  g_assert_nonnull (tiff);
  g_assert_false (TIFFIsBigEndian (tiff));
  g_assert_cmpuint (TIFFNumberOfDirectories (tiff), ==, 1);
  g_assert_cmpuint (get_uint32 (tiff, TIFFTAG_IMAGEWIDTH), ==, width);
  g_assert_cmpuint (get_uint32 (tiff, TIFFTAG_IMAGELENGTH), ==, height);
  g_assert_cmpuint (get_uint16 (tiff, TIFFTAG_COMPRESSION), ==, COMPRESSION_CCITTFAX4);
  g_assert_cmpuint (get_uint16 (tiff, TIFFTAG_BITSPERSAMPLE), ==, 1);
  g_assert_cmpuint (get_uint16 (tiff, TIFFTAG_SAMPLESPERPIXEL), ==, 1);
  g_assert_cmpuint (get_uint16 (tiff, TIFFTAG_PHOTOMETRIC), ==, PHOTOMETRIC_MINISWHITE);
  g_assert_cmpuint (get_uint16 (tiff, TIFFTAG_FILLORDER), ==, FILLORDER_MSB2LSB);
  g_assert_cmpuint (get_uint16 (tiff, TIFFTAG_ORIENTATION), ==, ORIENTATION_TOPLEFT);
  g_assert_cmpuint (get_uint16 (tiff, TIFFTAG_RESOLUTIONUNIT), ==, RESUNIT_INCH);
  g_assert_cmpfloat (get_float (tiff, TIFFTAG_XRESOLUTION), ==, PD_CHECK_IMAGE_DPI);
  g_assert_cmpfloat (get_float (tiff, TIFFTAG_YRESOLUTION), ==, PD_CHECK_IMAGE_DPI);
  g_assert_cmpuint (get_uint32 (tiff, TIFFTAG_ROWSPERSTRIP), ==, height);
  g_assert_cmpuint (TIFFNumberOfStrips (tiff), ==, 1);
  g_assert_cmpuint ((gsize) TIFFScanlineSize (tiff), ==, (width + 7) / 8);
  return tiff;
}
