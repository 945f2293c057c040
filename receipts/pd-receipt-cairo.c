#include "config.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <glib/gi18n-lib.h>
#include <pango/pangocairo.h>

#include "pd-receipt-cairo.h"
#include "pd-receipt-qr.h"
#include "pd-receipt-signature.h"
#include "pd-text-raster.h"

/* Units are dots of 80 mm paper at 203 dpi: the PNG's pixels; the PDF scales them to
 * points. */
#define PAPER_WIDTH 576.0
#define DOTS_PER_INCH 203.0
#define MARGIN 24.0
#define TEXT_WIDTH (PAPER_WIDTH - 2 * MARGIN)
#define EM 24.0
#define LARGE_EM 34.0
#define GAP 8.0
#define RULE_SPACE 14.0
#define QR_MODULE 6
#define MARK_PADDING 8.0
/* The member's signature: a box as high as on paper, the strokes drawn with a pen of three
 * dots inside its padding; on paper, the room above the line to sign on. */
#define SIGNATURE_BOX 120.0
#define SIGNATURE_PADDING 6.0
#define SIGNATURE_PEN 3.0
#define SIGN_ROOM 72.0

G_DEFINE_QUARK (pd-receipt-render-error-quark, pd_receipt_render_error)

/* A line of the layout, measured: one or two Pango layouts placed in a row. */
typedef struct {
  const PdReceiptLine *line;
  PangoLayout *start;   /* text (or the whole paragraph) */
  PangoLayout *end;     /* a field's value, at the end of the row or under it */
  gboolean value_below;
  double height;
} Row;

typedef struct {
  PdReceiptLayout *layout;
  PangoFontMap *font_map;
  PangoContext *context;
  char *families;
  GArray *rows;
  double height;
} Drawing;

static void
row_clear (gpointer data)
{
  Row *row = data;

  g_clear_object (&row->start);
  g_clear_object (&row->end);
}

static PangoLayout *
make_text (Drawing        *drawing,
           const char     *text,
           double          size,
           gboolean        bold,
           PangoAlignment  alignment,
           double          width)
{
  PangoLayout *layout = pango_layout_new (drawing->context);
  PangoFontDescription *font = pango_font_description_from_string (drawing->families);

  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  pango_font_description_set_weight (font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  pango_layout_set_auto_dir (layout, TRUE);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  /* Pango mirrors left and right in a right-to-left paragraph: "left" is its start. */
  pango_layout_set_alignment (layout, alignment);
  pango_layout_set_text (layout, text, -1);
  return layout;
}

static double
text_height (PangoLayout *layout)
{
  int height = 0;

  pango_layout_get_pixel_size (layout, NULL, &height);
  return height;
}

static double
text_width (PangoLayout *layout)
{
  int width = 0;

  pango_layout_get_pixel_size (layout, &width, NULL);
  return width;
}

static guint
qr_size (const char *payload)
{
  g_autofree guint8 *bits = NULL;
  guint size = 0;
  gsize stride = 0;

  bits = pd_receipt_qr_bits (payload, QR_MODULE, &size, &stride);
  return bits != NULL ? size : 0;
}

static void
measure_row (Drawing *drawing,
             Row     *row)
{
  const PdReceiptLine *line = row->line;

  switch (line->kind)
    {
    case PD_RECEIPT_LINE_MARK:
      row->start = make_text (drawing, line->text, LARGE_EM, TRUE, PANGO_ALIGN_CENTER,
                              TEXT_WIDTH - 2 * MARK_PADDING);
      row->height = text_height (row->start) + 2 * MARK_PADDING + GAP;
      break;
    case PD_RECEIPT_LINE_TITLE:
    case PD_RECEIPT_LINE_STATUS:
      row->start = make_text (drawing, line->text, LARGE_EM, TRUE, PANGO_ALIGN_CENTER,
                              TEXT_WIDTH);
      row->height = text_height (row->start) + GAP / 2;
      break;
    case PD_RECEIPT_LINE_CENTERED:
      row->start = make_text (drawing, line->text, EM, FALSE, PANGO_ALIGN_CENTER, TEXT_WIDTH);
      row->height = text_height (row->start);
      break;
    case PD_RECEIPT_LINE_HEADING:
      row->start = make_text (drawing, line->text, EM, TRUE, PANGO_ALIGN_LEFT, TEXT_WIDTH);
      row->height = text_height (row->start) + GAP / 2;
      break;
    case PD_RECEIPT_LINE_FIELD:
    case PD_RECEIPT_LINE_AMOUNT:
      {
        gboolean bold = line->kind == PD_RECEIPT_LINE_AMOUNT;
        double size = bold ? LARGE_EM : EM;

        row->start = make_text (drawing, line->text, EM, bold, PANGO_ALIGN_LEFT, TEXT_WIDTH);
        row->end = make_text (drawing, line->value, size, bold, PANGO_ALIGN_RIGHT, TEXT_WIDTH);
        pango_layout_set_width (row->start, -1);
        row->value_below = text_width (row->start) + GAP + text_width (row->end) > TEXT_WIDTH;
        if (row->value_below)
          pango_layout_set_width (row->start, (int) (TEXT_WIDTH * PANGO_SCALE));
        row->height = row->value_below ? text_height (row->start) + text_height (row->end)
                                       : MAX (text_height (row->start),
                                              text_height (row->end));
      }
      break;
    case PD_RECEIPT_LINE_PARAGRAPH:
      row->start = make_text (drawing, line->text, EM, FALSE, PANGO_ALIGN_LEFT, TEXT_WIDTH);
      row->height = text_height (row->start) + GAP / 2;
      break;
    case PD_RECEIPT_LINE_NOTICE:
      {
        g_autofree char *bulleted = g_strconcat ("• ", line->text, NULL);

        row->start = make_text (drawing, bulleted, EM * 0.85, FALSE, PANGO_ALIGN_LEFT,
                                TEXT_WIDTH);
        row->height = text_height (row->start) + GAP / 2;
      }
      break;
    case PD_RECEIPT_LINE_RULE:
      row->height = RULE_SPACE;
      break;
    case PD_RECEIPT_LINE_QR:
      row->height = qr_size (line->text) + GAP;
      break;
    case PD_RECEIPT_LINE_SIGNATURE:
      if (line->signature != NULL)
        {
          /* The box, then the caption under it. */
          row->start = make_text (drawing, line->text, EM * 0.85, FALSE, PANGO_ALIGN_LEFT,
                                  TEXT_WIDTH);
          row->height = SIGNATURE_BOX + GAP / 2 + text_height (row->start) + GAP / 2;
        }
      else
        {
          /* Room to sign, then the label and the line after it. */
          row->start = make_text (drawing, line->text, EM, FALSE, PANGO_ALIGN_LEFT,
                                  TEXT_WIDTH);
          pango_layout_set_width (row->start, -1);
          row->height = SIGN_ROOM + text_height (row->start) + GAP / 2;
        }
      break;
    default:
      break;
    }
}

static int
unknown_glyphs (const Row *row)
{
  return (row->start != NULL ? pango_layout_get_unknown_glyphs_count (row->start) : 0) +
         (row->end != NULL ? pango_layout_get_unknown_glyphs_count (row->end) : 0);
}

static void
drawing_free (Drawing *drawing)
{
  g_clear_pointer (&drawing->rows, g_array_unref);
  g_clear_object (&drawing->context);
  g_clear_object (&drawing->font_map);
  g_free (drawing->families);
  g_free (drawing);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Drawing, drawing_free)

static Drawing *
drawing_new (PdReceiptLayout  *layout,
             GError          **error)
{
  g_autoptr(Drawing) drawing = g_new0 (Drawing, 1);
  cairo_font_options_t *options;

  drawing->layout = layout;
  drawing->families = pd_text_raster_dup_font_families (layout->language);
  /* A font map of its own: the default one is per thread and outlives pooled workers. */
  drawing->font_map = pango_cairo_font_map_new ();
  drawing->context = pango_font_map_create_context (drawing->font_map);
  pango_context_set_language (drawing->context, pango_language_from_string (layout->language));
  pango_context_set_base_dir (drawing->context,
                              layout->right_to_left ? PANGO_DIRECTION_WEAK_RTL
                                                    : PANGO_DIRECTION_WEAK_LTR);
  /* Unhinted metrics: the PNG and the PDF break lines at the same places. */
  options = cairo_font_options_create ();
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  pango_cairo_context_set_font_options (drawing->context, options);
  cairo_font_options_destroy (options);

  drawing->rows = g_array_new (FALSE, TRUE, sizeof (Row));
  g_array_set_clear_func (drawing->rows, row_clear);
  drawing->height = 2 * MARGIN;

  for (guint i = 0; i < layout->lines->len; i++)
    {
      Row row = { g_ptr_array_index (layout->lines, i), NULL, NULL, FALSE, 0.0 };

      measure_row (drawing, &row);
      g_array_append_val (drawing->rows, row);
      if (unknown_glyphs (&row) > 0)
        {
          g_set_error (error, PD_RECEIPT_RENDER_ERROR, PD_RECEIPT_RENDER_ERROR_NO_GLYPH,
                       _("No installed font can draw this receipt in %s (“%s”). Install the "
                         "Noto fonts for it."), layout->language, row.line->text);
          return NULL;
        }
      drawing->height += row.height;
    }

  return g_steal_pointer (&drawing);
}

static void
show_at (cairo_t     *cr,
         PangoLayout *layout,
         double       x,
         double       y)
{
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
}

static void
draw_qr (cairo_t    *cr,
         const char *payload,
         double      y)
{
  g_autofree guint8 *bits = NULL;
  guint size = 0;
  gsize stride = 0;
  double x;

  bits = pd_receipt_qr_bits (payload, QR_MODULE, &size, &stride);
  if (bits == NULL)
    return;
  x = (PAPER_WIDTH - size) / 2;
  /* One square per module, so the PDF holds the code as vectors. */
  for (guint row = 0; row < size; row += QR_MODULE)
    for (guint column = 0; column < size; column += QR_MODULE)
      if (bits[row * stride + column / 8] & (0x80 >> (column % 8)))
        cairo_rectangle (cr, x + column, y + row, QR_MODULE, QR_MODULE);
  cairo_fill (cr);
}

static void
draw_signature (Drawing *drawing,
                cairo_t *cr,
                Row     *row,
                double   y)
{
  gboolean rtl = drawing->layout->right_to_left;
  double label_width, baseline, label_x;

  if (row->line->signature != NULL)
    {
      cairo_save (cr);
      cairo_set_line_width (cr, 1.0);
      cairo_rectangle (cr, MARGIN + 0.5, y + 0.5, TEXT_WIDTH - 1.0, SIGNATURE_BOX - 1.0);
      cairo_stroke (cr);
      cairo_set_line_width (cr, SIGNATURE_PEN);
      cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
      pd_receipt_signature_path (cr, row->line->signature, MARGIN + SIGNATURE_PADDING,
                                 y + SIGNATURE_PADDING, TEXT_WIDTH - 2 * SIGNATURE_PADDING,
                                 SIGNATURE_BOX - 2 * SIGNATURE_PADDING, SIGNATURE_PEN);
      cairo_stroke (cr);
      cairo_restore (cr);
      show_at (cr, row->start, MARGIN, y + SIGNATURE_BOX + GAP / 2);
      return;
    }

  /* The label at the start of the line (the right in a right-to-left language), the line
   * to sign on from it to the other margin, on the label's baseline. */
  label_width = text_width (row->start);
  label_x = rtl ? PAPER_WIDTH - MARGIN - label_width : MARGIN;
  baseline = y + SIGN_ROOM + (double) pango_layout_get_baseline (row->start) / PANGO_SCALE;
  show_at (cr, row->start, label_x, y + SIGN_ROOM);
  cairo_save (cr);
  cairo_set_line_width (cr, 2.0);
  if (rtl)
    {
      cairo_move_to (cr, MARGIN, baseline);
      cairo_line_to (cr, label_x - GAP, baseline);
    }
  else
    {
      cairo_move_to (cr, MARGIN + label_width + GAP, baseline);
      cairo_line_to (cr, PAPER_WIDTH - MARGIN, baseline);
    }
  cairo_stroke (cr);
  cairo_restore (cr);
}

static void
draw (Drawing *drawing,
      cairo_t *cr)
{
  gboolean rtl = drawing->layout->right_to_left;
  double y = MARGIN;

  cairo_set_source_rgb (cr, 1.0, 1.0, 1.0);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 0.0, 0.0, 0.0);

  for (guint i = 0; i < drawing->rows->len; i++)
    {
      Row *row = &g_array_index (drawing->rows, Row, i);

      switch (row->line->kind)
        {
        case PD_RECEIPT_LINE_MARK:
          cairo_set_line_width (cr, 3.0);
          cairo_rectangle (cr, MARGIN, y, TEXT_WIDTH, row->height - GAP);
          cairo_stroke (cr);
          show_at (cr, row->start, MARGIN + MARK_PADDING, y + MARK_PADDING);
          break;
        case PD_RECEIPT_LINE_FIELD:
        case PD_RECEIPT_LINE_AMOUNT:
          {
            double start_x = rtl ? PAPER_WIDTH - MARGIN - text_width (row->start) : MARGIN;

            if (row->value_below)
              {
                show_at (cr, row->start, MARGIN, y);
                show_at (cr, row->end, MARGIN, y + text_height (row->start));
              }
            else
              {
                show_at (cr, row->start, start_x, y);
                show_at (cr, row->end, MARGIN, y + row->height - text_height (row->end));
              }
          }
          break;
        case PD_RECEIPT_LINE_RULE:
          cairo_set_line_width (cr, 2.0);
          cairo_move_to (cr, MARGIN, y + RULE_SPACE / 2);
          cairo_line_to (cr, PAPER_WIDTH - MARGIN, y + RULE_SPACE / 2);
          cairo_stroke (cr);
          break;
        case PD_RECEIPT_LINE_QR:
          draw_qr (cr, row->line->text, y);
          break;
        case PD_RECEIPT_LINE_SIGNATURE:
          draw_signature (drawing, cr, row, y);
          break;
        default:
          if (row->start != NULL)
            show_at (cr, row->start, MARGIN, y);
          break;
        }
      y += row->height;
    }
}

static cairo_status_t
collect_bytes (void                *closure,
               const unsigned char *data,
               unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static GBytes *
finish (cairo_surface_t  *surface,
        GByteArray       *out,
        GError          **error)
{
  cairo_status_t status = cairo_surface_status (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, PD_RECEIPT_RENDER_ERROR, PD_RECEIPT_RENDER_ERROR_FAILED,
                   _("The receipt could not be drawn: %s."), cairo_status_to_string (status));
      g_byte_array_unref (out);
      return NULL;
    }
  return g_byte_array_free_to_bytes (out);
}

GBytes *
pd_receipt_render_png (PdReceiptLayout  *layout,
                       GError          **error)
{
  g_autoptr(Drawing) drawing = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  GByteArray *out;
  GBytes *bytes;

  g_return_val_if_fail (layout != NULL, NULL);

  drawing = drawing_new (layout, error);
  if (drawing == NULL)
    return NULL;

  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) PAPER_WIDTH,
                                        (int) drawing->height);
  cr = cairo_create (surface);
  draw (drawing, cr);
  cairo_destroy (cr);

  out = g_byte_array_new ();
  if (cairo_surface_status (surface) == CAIRO_STATUS_SUCCESS)
    cairo_surface_write_to_png_stream (surface, collect_bytes, out);
  bytes = finish (surface, out, error);
  cairo_surface_destroy (surface);
  return bytes;
}

GBytes *
pd_receipt_render_pdf (PdReceiptLayout  *layout,
                       GError          **error)
{
  g_autoptr(Drawing) drawing = NULL;
  double points_per_dot = 72.0 / DOTS_PER_INCH;
  cairo_surface_t *surface;
  cairo_t *cr;
  GByteArray *out = g_byte_array_new ();
  GBytes *bytes;

  g_return_val_if_fail (layout != NULL, NULL);

  drawing = drawing_new (layout, error);
  if (drawing == NULL)
    {
      g_byte_array_unref (out);
      return NULL;
    }

  surface = cairo_pdf_surface_create_for_stream (collect_bytes, out,
                                                 PAPER_WIDTH * points_per_dot,
                                                 drawing->height * points_per_dot);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, _("Payment receipt"));
  cr = cairo_create (surface);
  cairo_scale (cr, points_per_dot, points_per_dot);
  draw (drawing, cr);
  cairo_show_page (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  bytes = finish (surface, out, error);
  cairo_surface_destroy (surface);
  return bytes;
}
