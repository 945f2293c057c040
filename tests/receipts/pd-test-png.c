#include <string.h>

#include <zbar.h>

#include "pd-test-png.h"

static cairo_status_t
read_bytes (void          *closure,
            unsigned char *data,
            unsigned int   length)
{
  GInputStream *stream = closure;
  gsize read = 0;

  if (!g_input_stream_read_all (stream, data, length, &read, NULL, NULL) || read != length)
    return CAIRO_STATUS_READ_ERROR;
  return CAIRO_STATUS_SUCCESS;
}

cairo_surface_t *
pd_test_load_png (GBytes *png)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (png);
  cairo_surface_t *surface = cairo_image_surface_create_from_png_stream (read_bytes, stream);

  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  return surface;
}

char *
pd_test_scan_png_qr (GBytes *png)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (png);
  cairo_surface_t *surface = cairo_image_surface_create_from_png_stream (read_bytes, stream);
  zbar_image_scanner_t *scanner = zbar_image_scanner_create ();
  zbar_image_t *image = zbar_image_create ();
  int width, height, stride;
  const guint8 *pixels;
  g_autofree guint8 *gray = NULL;
  const zbar_symbol_t *symbol;
  char *found = NULL;

  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  width = cairo_image_surface_get_width (surface);
  height = cairo_image_surface_get_height (surface);
  stride = cairo_image_surface_get_stride (surface);
  pixels = cairo_image_surface_get_data (surface);
  gray = g_malloc ((gsize) width * height);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint32 pixel;

        memcpy (&pixel, pixels + (gsize) y * stride + (gsize) x * 4, sizeof pixel);
        gray[(gsize) y * width + x] = (guint8) ((pixel >> 8) & 0xff);
      }

  zbar_image_scanner_set_config (scanner, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
  zbar_image_set_format (image, zbar_fourcc ('Y', '8', '0', '0'));
  zbar_image_set_size (image, (unsigned) width, (unsigned) height);
  zbar_image_set_data (image, gray, (unsigned long) width * height, NULL);
  g_assert_cmpint (zbar_scan_image (scanner, image), >, 0);
  for (symbol = zbar_image_first_symbol (image); symbol != NULL;
       symbol = zbar_symbol_next (symbol))
    if (zbar_symbol_get_type (symbol) == ZBAR_QRCODE)
      found = g_strdup (zbar_symbol_get_data (symbol));

  zbar_image_destroy (image);
  zbar_image_scanner_destroy (scanner);
  cairo_surface_destroy (surface);
  return found;
}

