#include <cairo-pdf.h>
#include <cairo.h>
#include <gio/gio.h>
#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "pd-coupon-render.h"
#include "pd-receipt-qr.h"

/* 7 by 3 inches at 72 points an inch; the PNG at 150 dots an inch. */
#define WIDTH_PT 504.0
#define HEIGHT_PT 216.0
#define PNG_SCALE (150.0 / 72.0)
#define MARGIN 18.0
#define QR_MODULE 1

/* text at x, y; wrapped at width points when width > 0. */
static void
draw_text (cairo_t    *cr,
           const char *font,
           const char *text,
           double      x,
           double      y,
           double      width)
{
  g_autoptr(PangoLayout) layout = pango_cairo_create_layout (cr);
  PangoFontDescription *description = pango_font_description_from_string (font);

  if (width > 0)
    pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_font_description (layout, description);
  pango_font_description_free (description);
  pango_layout_set_text (layout, text, -1);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
}

static gboolean
draw_coupon (cairo_t             *cr,
             const PdCouponPrint *coupon,
             GError             **error)
{
  g_autofree char *amount = pd_money_format (coupon->amount_due, NULL);
  g_autofree char *amount_line = g_strdup_printf (_("Amount due: %s"), amount);
  g_autofree char *account_line = g_strdup_printf (_("Invoice account: %s"),
                                                  coupon->invoice_account);
  g_autofree char *invoice_line = g_strdup_printf (_("Invoice: %s"), coupon->invoice_number);
  g_autofree guint8 *bits = NULL;
  guint size = 0;
  gsize stride = 0;
  double qr_side = HEIGHT_PT - 2 * MARGIN - 24;
  double scale;

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  /* The tear-off line along the top. */
  cairo_set_line_width (cr, 1);
  cairo_set_dash (cr, (double[]) { 4, 3 }, 2, 0);
  cairo_move_to (cr, 0, 2);
  cairo_line_to (cr, WIDTH_PT, 2);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);

  draw_text (cr, "Sans Bold 14", _("Payment coupon"), MARGIN, MARGIN, 0);
  draw_text (cr, "Sans 11", coupon->member_name, MARGIN, MARGIN + 28, 0);
  draw_text (cr, "Sans 11", account_line, MARGIN, MARGIN + 48, 0);
  draw_text (cr, "Sans 11", invoice_line, MARGIN, MARGIN + 66, 0);
  draw_text (cr, "Sans Bold 13", amount_line, MARGIN, MARGIN + 90, 0);
  draw_text (cr, "Sans 8",
             _("Scan this coupon at a kiosk, or bring it to the counter, to pay this invoice."),
             MARGIN, MARGIN + 118, WIDTH_PT - 3 * MARGIN - qr_side);
  draw_text (cr, "Monospace 9", coupon->scan_line, MARGIN, HEIGHT_PT - MARGIN - 12, 0);
  if (coupon->training)
    {
      cairo_set_source_rgb (cr, 0.706, 0.325, 0.035);
      draw_text (cr, "Sans Bold 10", _("TRAINING — not a real invoice"), MARGIN,
                 HEIGHT_PT - MARGIN - 32, 0);
      cairo_set_source_rgb (cr, 0, 0, 0);
    }

  bits = pd_receipt_qr_bits (coupon->scan_line, QR_MODULE, &size, &stride);
  if (bits == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "the scan line %s cannot be drawn as a QR code", coupon->scan_line);
      return FALSE;
    }
  scale = qr_side / size;
  for (guint y = 0; y < size; y++)
    for (guint x = 0; x < size; x++)
      if (bits[y * stride + x / 8] & (0x80 >> (x % 8)))
        cairo_rectangle (cr, WIDTH_PT - MARGIN - qr_side + x * scale, MARGIN + y * scale,
                         scale, scale);
  cairo_fill (cr);
  return TRUE;
}

static gboolean
check_surface (cairo_surface_t  *surface,
               const char       *path,
               GError          **error)
{
  cairo_status_t status = cairo_surface_status (surface);

  if (status == CAIRO_STATUS_SUCCESS)
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", path,
               cairo_status_to_string (status));
  return FALSE;
}

gboolean
pd_coupon_render (const PdCouponPrint  *coupon,
                  const char           *path,
                  GError              **error)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  gboolean drawn;

  g_return_val_if_fail (coupon != NULL && coupon->scan_line != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (g_str_has_suffix (path, ".pdf"))
    surface = cairo_pdf_surface_create (path, WIDTH_PT, HEIGHT_PT);
  else if (g_str_has_suffix (path, ".png"))
    surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) (WIDTH_PT * PNG_SCALE),
                                          (int) (HEIGHT_PT * PNG_SCALE));
  else
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("%s: a coupon is written as .pdf or .png"), path);
      return FALSE;
    }
  if (!check_surface (surface, path, error))
    {
      cairo_surface_destroy (surface);
      return FALSE;
    }

  cr = cairo_create (surface);
  if (g_str_has_suffix (path, ".png"))
    cairo_scale (cr, PNG_SCALE, PNG_SCALE);
  drawn = draw_coupon (cr, coupon, error);
  cairo_destroy (cr);
  if (drawn && g_str_has_suffix (path, ".png") &&
      cairo_surface_write_to_png (surface, path) != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("%s could not be written."), path);
      drawn = FALSE;
    }
  cairo_surface_finish (surface);
  if (drawn && !check_surface (surface, path, error))
    drawn = FALSE;
  cairo_surface_destroy (surface);
  return drawn;
}
