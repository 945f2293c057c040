#include "config.h"

#include "pd-receipt-signature.h"

/* Cairo's coverage at or above this is ink: half a dot. */
#define INK_THRESHOLD 128

void
pd_receipt_signature_path (cairo_t     *cr,
                           PdSignature *signature,
                           double       x,
                           double       y,
                           double       width,
                           double       height,
                           double       pen_width)
{
  guint x_min = 0, y_min = 0, x_max = 0, y_max = 0;
  double ink_width, ink_height, room_width, room_height, scale, left, top;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (PD_IS_SIGNATURE (signature));

  pd_signature_get_bounds (signature, &x_min, &y_min, &x_max, &y_max);
  /* Points are pixels: a stroke across x_min..x_max covers one more. */
  ink_width = x_max - x_min + 1;
  ink_height = y_max - y_min + 1;
  room_width = MAX (width - pen_width, 1.0);
  room_height = MAX (height - pen_width, 1.0);
  scale = MIN (room_width / ink_width, room_height / ink_height);
  left = x + (width - ink_width * scale) / 2;
  top = y + (height - ink_height * scale) / 2;

  for (guint stroke = 0; stroke < pd_signature_get_n_strokes (signature); stroke++)
    {
      guint n_points = 0;
      const PdSignaturePoint *points = pd_signature_get_stroke (signature, stroke, &n_points);

      /* Each point at the middle of its pixel. */
      for (guint i = 0; i < n_points; i++)
        {
          double px = left + (points[i].x - x_min + 0.5) * scale;
          double py = top + (points[i].y - y_min + 0.5) * scale;

          if (i == 0)
            cairo_move_to (cr, px, py);
          cairo_line_to (cr, px, py);
        }
    }
}

guint8 *
pd_receipt_signature_bits (PdSignature *signature,
                           guint        width,
                           guint        height,
                           double       pen_width,
                           gsize       *stride)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  const guint8 *coverage;
  gsize coverage_stride;
  guint8 *bits;

  g_return_val_if_fail (PD_IS_SIGNATURE (signature), NULL);
  g_return_val_if_fail (width > 0 && height > 0, NULL);
  g_return_val_if_fail (stride != NULL, NULL);

  surface = cairo_image_surface_create (CAIRO_FORMAT_A8, (int) width, (int) height);
  cr = cairo_create (surface);
  cairo_set_source_rgba (cr, 0.0, 0.0, 0.0, 1.0);
  cairo_set_line_width (cr, pen_width);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  pd_receipt_signature_path (cr, signature, 0.0, 0.0, width, height, pen_width);
  cairo_stroke (cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  *stride = (width + 7) / 8;
  bits = g_malloc0 (*stride * height);
  /* Out of memory, Cairo draws nothing: a blank box rather than a crash. */
  if (cairo_surface_status (surface) == CAIRO_STATUS_SUCCESS)
    {
      coverage = cairo_image_surface_get_data (surface);
      coverage_stride = (gsize) cairo_image_surface_get_stride (surface);
      for (guint row = 0; row < height; row++)
        for (guint column = 0; column < width; column++)
          if (coverage[row * coverage_stride + column] >= INK_THRESHOLD)
            bits[row * *stride + column / 8] |= (guint8) (0x80 >> (column % 8));
    }
  cairo_surface_destroy (surface);
  return bits;
}
