#include "config.h"

#include <errno.h>
#include <string.h>

#include <cairo.h>
#include <glib/gi18n-lib.h>
#include <pango/pangocairo.h>
#include <qrencode.h>

#include "pd-escpos-render.h"

/* Font A, the printers' default: 12 by 24 dots a character. */
#define CELL_WIDTH 12
#define CELL_HEIGHT 24
/* ESC/POS's default line spacing, 1/6 inch at the 180 dpi of Epson's heads. */
#define LINE_SPACING 30
/* Default tab stops: every 8 characters. */
#define TAB_WIDTH (8 * CELL_WIDTH)
#define MARGIN 16
#define QR_QUIET_MODULES 4
/* White space either side of a cut. */
#define CUT_GAP 12
/* A DejaVu Sans Mono at 20 pixels advances 12 and stands 23 high: the cell, near enough. */
#define FONT_PIXELS 20
/* Cairo's image surfaces stop here. */
#define MAX_DIMENSION 32767

G_DEFINE_QUARK (pd-escpos-render-error-quark, pd_escpos_render_error)

typedef enum {
  MARK_GLYPH,
  MARK_RASTER,
  MARK_QR,
  MARK_CUT,
} MarkKind;

/* One thing to draw, placed in dots from the paper's top left. */
typedef struct {
  MarkKind kind;
  int x;
  int y;
  union {
    struct {
      gunichar c;
      guint8 width;
      guint8 height;
      gboolean bold;
    } glyph;
    const PdEscposItem *raster;
    struct {
      QRcode *code;
      guint module_size;
    } qr;
    gboolean partial_cut;
  };
} Mark;

typedef struct {
  int paper_width;
  GArray *marks;
  int y; /* top of the line being built */
  /* The line being built: its glyphs are the marks from line_start on, x relative to the
   * line's start and y still unset. A printer aligns a line as it was at the line's start. */
  gboolean line_open;
  guint line_start;
  int line_x;
  int line_height;
  PdEscposAlign line_align;
  guint8 text_height; /* magnification in force, for the height of an empty line */
} Layout;

static void
mark_clear (gpointer data)
{
  Mark *mark = data;

  if (mark->kind == MARK_QR)
    g_clear_pointer (&mark->qr.code, QRcode_free);
}

static int
aligned_x (const Layout  *layout,
           PdEscposAlign  align,
           int            width)
{
  int free_width = MAX (layout->paper_width - width, 0);

  switch (align)
    {
    case PD_ESCPOS_ALIGN_CENTER:
      return free_width / 2;
    case PD_ESCPOS_ALIGN_RIGHT:
      return free_width;
    case PD_ESCPOS_ALIGN_LEFT:
    default:
      return 0;
    }
}

/* Prints the line being built; FALSE when there was none. */
static gboolean
end_line (Layout *layout)
{
  int offset;

  if (!layout->line_open)
    return FALSE;

  offset = aligned_x (layout, layout->line_align, layout->line_x);
  for (guint i = layout->line_start; i < layout->marks->len; i++)
    {
      Mark *mark = &g_array_index (layout->marks, Mark, i);

      /* Characters of different heights share the line's bottom. */
      mark->x += offset;
      mark->y = layout->y + layout->line_height - CELL_HEIGHT * mark->glyph.height;
    }
  layout->y += MAX (LINE_SPACING, layout->line_height);
  layout->line_open = FALSE;
  return TRUE;
}

static void
open_line (Layout        *layout,
           PdEscposAlign  align)
{
  if (layout->line_open)
    return;
  layout->line_open = TRUE;
  layout->line_start = layout->marks->len;
  layout->line_x = 0;
  layout->line_height = 0;
  layout->line_align = align;
}

static void
add_glyph (Layout                   *layout,
           gunichar                  c,
           const PdEscposAttributes *attributes)
{
  int width = CELL_WIDTH * attributes->width;
  int height = CELL_HEIGHT * attributes->height;
  Mark mark = { .kind = MARK_GLYPH };

  if (c == '\t')
    {
      open_line (layout, attributes->align);
      /* Past the last stop, the next character goes on the next line. */
      layout->line_x = MIN ((layout->line_x / TAB_WIDTH + 1) * TAB_WIDTH, layout->paper_width);
      return;
    }

  /* The printer's line buffer is full: it prints it and goes on below. */
  if (layout->line_open && layout->line_x > 0 && layout->line_x + width > layout->paper_width)
    end_line (layout);
  open_line (layout, attributes->align);

  mark.x = layout->line_x;
  mark.glyph.c = c;
  mark.glyph.width = attributes->width;
  mark.glyph.height = attributes->height;
  mark.glyph.bold = attributes->bold;
  g_array_append_val (layout->marks, mark);
  layout->line_x += width;
  layout->line_height = MAX (layout->line_height, height);
}

static void
feed_empty_line (Layout *layout)
{
  layout->y += MAX (LINE_SPACING, CELL_HEIGHT * layout->text_height);
}

static QRecLevel
qr_level (guint8 error_correction)
{
  switch (error_correction)
    {
    case 48:
      return QR_ECLEVEL_L;
    case 50:
      return QR_ECLEVEL_Q;
    case 51:
      return QR_ECLEVEL_H;
    case 49:
    default:
      return QR_ECLEVEL_M;
    }
}

static gboolean
add_qr (Layout              *layout,
        const PdEscposItem  *item,
        GError             **error)
{
  QRecLevel level = qr_level (item->qr.error_correction);
  QRcode *code;
  int symbol, total, box, box_x;
  Mark mark = { .kind = MARK_QR };

  /* libqrencode draws model 2 only, which is what every printer is asked for in practice. */
  errno = 0;
  if (strlen (item->qr.data) == item->qr.length)
    code = QRcode_encodeString (item->qr.data, 0, level, QR_MODE_8, 1);
  else
    code = QRcode_encodeData ((int) item->qr.length, (const unsigned char *) item->qr.data, 0,
                              level);
  if (code == NULL)
    {
      int saved_errno = errno;

      g_set_error (error, PD_ESCPOS_RENDER_ERROR, PD_ESCPOS_RENDER_ERROR_TOO_LARGE,
                   /* TRANSLATORS: %lu is an offset in bytes, %s why (from the system). */
                   _("The QR code at byte %lu cannot be drawn: %s"), (gulong) item->offset,
                   g_strerror (saved_errno));
      return FALSE;
    }

  symbol = code->width * item->qr.module_size;
  if (symbol > layout->paper_width)
    {
      g_set_error (error, PD_ESCPOS_RENDER_ERROR, PD_ESCPOS_RENDER_ERROR_TOO_LARGE,
                   /* TRANSLATORS: %lu is an offset in bytes, %d counts of dots. */
                   _("The QR code at byte %lu is %d dots wide, the paper %d."),
                   (gulong) item->offset, symbol, layout->paper_width);
      QRcode_free (code);
      return FALSE;
    }

  /* The quiet zone shrinks sideways on narrow paper rather than the symbol moving off it. */
  total = symbol + 2 * QR_QUIET_MODULES * item->qr.module_size;
  box = MIN (total, layout->paper_width);
  box_x = aligned_x (layout, item->attributes.align, box);
  mark.x = box_x + (box - symbol) / 2;
  mark.y = layout->y + QR_QUIET_MODULES * item->qr.module_size;
  mark.qr.code = code;
  mark.qr.module_size = item->qr.module_size;
  g_array_append_val (layout->marks, mark);
  layout->y += total;
  return TRUE;
}

static gboolean
add_item (Layout              *layout,
          const PdEscposItem  *item,
          GError             **error)
{
  switch (item->kind)
    {
    case PD_ESCPOS_ITEM_TEXT:
      layout->text_height = item->attributes.height;
      for (const char *p = item->text.utf8; *p != '\0'; p = g_utf8_next_char (p))
        add_glyph (layout, g_utf8_get_char (p), &item->attributes);
      return TRUE;

    case PD_ESCPOS_ITEM_NEWLINE:
      layout->text_height = item->attributes.height;
      if (item->newline.count == 0)
        end_line (layout);
      for (guint i = 0; i < item->newline.count; i++)
        if (!end_line (layout))
          feed_empty_line (layout);
      return TRUE;

    case PD_ESCPOS_ITEM_FEED:
      {
        int top = layout->y;
        int line_height = layout->line_open ? layout->line_height : 0;

        end_line (layout);
        layout->y = top + MAX (line_height, (int) item->feed.dots);
      }
      return TRUE;

    case PD_ESCPOS_ITEM_RASTER:
      {
        Mark mark = { .kind = MARK_RASTER };

        /* Dots past the paper are dropped at drawing, as the printer drops them. */
        end_line (layout);
        mark.x = aligned_x (layout, item->attributes.align, (int) item->raster.width);
        mark.y = layout->y;
        mark.raster = item;
        g_array_append_val (layout->marks, mark);
        layout->y += (int) item->raster.height;
      }
      return TRUE;

    case PD_ESCPOS_ITEM_QR:
      end_line (layout);
      return add_qr (layout, item, error);

    case PD_ESCPOS_ITEM_CUT:
      {
        Mark mark = { .kind = MARK_CUT };

        end_line (layout);
        if (item->cut.feed_to_cutter)
          layout->y += item->cut.feed;
        mark.y = layout->y + CUT_GAP;
        mark.partial_cut = item->cut.cut == PD_ESCPOS_CUT_FEED_PARTIAL;
        g_array_append_val (layout->marks, mark);
        layout->y += 2 * CUT_GAP;
      }
      return TRUE;

    default:
      g_return_val_if_reached (TRUE);
    }
}

/* Places everything; the height of the paper in *height. */
static GArray *
lay_out (const PdEscposDocument  *document,
         int                      paper_width,
         int                     *height,
         GError                 **error)
{
  g_autoptr(GArray) marks = g_array_new (FALSE, TRUE, sizeof (Mark));
  Layout layout = { .paper_width = paper_width, .y = MARGIN, .text_height = 1 };
  guint n_items = pd_escpos_document_get_n_items (document);

  g_array_set_clear_func (marks, mark_clear);
  layout.marks = marks;

  for (guint i = 0; i < n_items; i++)
    {
      if (!add_item (&layout, pd_escpos_document_get_item (document, i), error))
        return NULL;
      /* Checked as it grows: a hostile job could otherwise overflow the count. */
      if (layout.y > MAX_DIMENSION)
        break;
    }
  end_line (&layout);

  if (layout.y + MARGIN > MAX_DIMENSION)
    {
      g_set_error (error, PD_ESCPOS_RENDER_ERROR, PD_ESCPOS_RENDER_ERROR_TOO_LARGE,
                   /* TRANSLATORS: %d is a count of dots. */
                   _("The receipt is longer than %d dots."), MAX_DIMENSION);
      return NULL;
    }
  *height = layout.y + MARGIN;
  return g_steal_pointer (&marks);
}

static void
draw_glyph (cairo_t              *cr,
            PangoLayout          *layout,
            PangoFontDescription *regular,
            PangoFontDescription *bold,
            const Mark           *mark)
{
  char utf8[8];
  int length;
  PangoRectangle logical;
  double width, height, squeeze = 1.0;

  if (g_unichar_isspace (mark->glyph.c))
    return;

  length = g_unichar_to_utf8 (mark->glyph.c, utf8);
  pango_layout_set_font_description (layout, mark->glyph.bold ? bold : regular);
  pango_layout_set_text (layout, utf8, length);

  cairo_save (cr);
  cairo_translate (cr, mark->x, mark->y);
  cairo_scale (cr, mark->glyph.width, mark->glyph.height);
  /* Measured under the transform it is drawn with: Pango lays out for the matrix. */
  pango_cairo_update_layout (cr, layout);
  pango_layout_get_extents (layout, NULL, &logical);
  width = (double) logical.width / PANGO_SCALE;
  height = (double) logical.height / PANGO_SCALE;
  /* A fallback font's wider glyph is squeezed into the cell, as a printer's font has it. */
  if (width > CELL_WIDTH)
    squeeze = CELL_WIDTH / width;
  cairo_translate (cr, (CELL_WIDTH - width * squeeze) / 2.0, (CELL_HEIGHT - height) / 2.0);
  if (squeeze != 1.0)
    {
      cairo_scale (cr, squeeze, 1.0);
      pango_cairo_update_layout (cr, layout);
    }
  cairo_move_to (cr, 0, 0);
  pango_cairo_show_layout (cr, layout);
  cairo_restore (cr);
}

static void
draw_raster (cairo_t    *cr,
             const Mark *mark)
{
  const PdEscposItem *item = mark->raster;

  for (guint row = 0; row < item->raster.height; row++)
    {
      const guint8 *line = item->raster.bits + row * item->raster.stride;
      guint run_start = 0;
      gboolean in_run = FALSE;

      /* Runs of black dots, one rectangle each. */
      for (guint column = 0; column <= item->raster.width; column++)
        {
          gboolean black = column < item->raster.width &&
                           (line[column / 8] & (0x80 >> (column % 8))) != 0;

          if (black && !in_run)
            run_start = column;
          else if (!black && in_run)
            cairo_rectangle (cr, mark->x + run_start, mark->y + row, column - run_start, 1);
          in_run = black;
        }
    }
  cairo_fill (cr);
}

static void
draw_qr (cairo_t    *cr,
         const Mark *mark)
{
  const QRcode *code = mark->qr.code;
  int size = (int) mark->qr.module_size;

  for (int row = 0; row < code->width; row++)
    for (int column = 0; column < code->width; column++)
      if (code->data[row * code->width + column] & 0x01)
        cairo_rectangle (cr, mark->x + column * size, mark->y + row * size, size, size);
  cairo_fill (cr);
}

static void
draw_cut (cairo_t    *cr,
          const Mark *mark,
          int         paper_width)
{
  static const double dashes[] = { 8.0, 8.0 };
  int middle = paper_width / 2;

  cairo_save (cr);
  cairo_set_line_width (cr, 2.0);
  cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), 0.0);
  if (mark->partial_cut)
    {
      /* A partial cut leaves the middle holding. */
      cairo_move_to (cr, 0, mark->y);
      cairo_line_to (cr, middle - CELL_WIDTH, mark->y);
      cairo_move_to (cr, middle + CELL_WIDTH, mark->y);
      cairo_line_to (cr, paper_width, mark->y);
    }
  else
    {
      cairo_move_to (cr, 0, mark->y);
      cairo_line_to (cr, paper_width, mark->y);
    }
  cairo_stroke (cr);
  cairo_restore (cr);
}

/* A thermal head burns a dot or does not: no grey. */
static void
threshold (cairo_surface_t *surface)
{
  guint8 *data;
  int width, height, stride;

  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  width = cairo_image_surface_get_width (surface);
  height = cairo_image_surface_get_height (surface);
  stride = cairo_image_surface_get_stride (surface);

  for (int y = 0; y < height; y++)
    {
      guint32 *row = (guint32 *) (gpointer) (data + (gsize) y * stride);

      for (int x = 0; x < width; x++)
        {
          guint32 pixel = row[x];
          guint luminance = (((pixel >> 16) & 0xff) + ((pixel >> 8) & 0xff) + (pixel & 0xff)) / 3;

          row[x] = luminance < 128 ? 0x000000 : 0xffffff;
        }
    }
  cairo_surface_mark_dirty (surface);
}

static cairo_status_t
write_to_array (void                *closure,
                const unsigned char *data,
                unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* On a font map of its own, gone with the layout: the default one is per thread and lives as
 * long as the thread, and receipts are drawn on pooled workers. */
static PangoLayout *
new_private_layout (void)
{
  PangoFontMap *font_map = pango_cairo_font_map_new ();
  PangoContext *context = pango_font_map_create_context (font_map);
  PangoLayout *layout = pango_layout_new (context);

  g_object_unref (context);
  g_object_unref (font_map);
  return layout;
}

static void
draw (cairo_t *cr,
      GArray  *marks,
      int      paper_width)
{
  g_autoptr(PangoLayout) layout = new_private_layout ();
  PangoFontDescription *regular = pango_font_description_from_string ("Monospace");
  PangoFontDescription *bold = NULL;
  cairo_font_options_t *options = cairo_font_options_create ();

  /* Unhinted, so that a glyph magnified 2 by 1 is the same glyph stretched, on every
   * machine alike. */
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_antialias (options, CAIRO_ANTIALIAS_GRAY);
  pango_cairo_context_set_font_options (pango_layout_get_context (layout), options);
  cairo_font_options_destroy (options);

  pango_font_description_set_absolute_size (regular, FONT_PIXELS * PANGO_SCALE);
  bold = pango_font_description_copy (regular);
  pango_font_description_set_weight (bold, PANGO_WEIGHT_BOLD);

  cairo_set_source_rgb (cr, 1.0, 1.0, 1.0);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 0.0, 0.0, 0.0);

  for (guint i = 0; i < marks->len; i++)
    {
      const Mark *mark = &g_array_index (marks, Mark, i);

      switch (mark->kind)
        {
        case MARK_GLYPH:
          draw_glyph (cr, layout, regular, bold, mark);
          break;
        case MARK_RASTER:
          draw_raster (cr, mark);
          break;
        case MARK_QR:
          draw_qr (cr, mark);
          break;
        case MARK_CUT:
          draw_cut (cr, mark, paper_width);
          break;
        default:
          g_assert_not_reached ();
        }
    }

  pango_font_description_free (regular);
  pango_font_description_free (bold);
}

GBytes *
pd_escpos_render_png (const PdEscposDocument  *document,
                      guint                    paper_width_dots,
                      GError                 **error)
{
  g_autoptr(GArray) marks = NULL;
  g_autoptr(GByteArray) png = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;
  int height = 0;

  g_return_val_if_fail (document != NULL, NULL);
  g_return_val_if_fail (paper_width_dots >= CELL_WIDTH, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (paper_width_dots > MAX_DIMENSION)
    {
      g_set_error (error, PD_ESCPOS_RENDER_ERROR, PD_ESCPOS_RENDER_ERROR_TOO_LARGE,
                   /* TRANSLATORS: %u and %d are counts of dots. */
                   _("Paper %u dots wide is wider than %d."), paper_width_dots, MAX_DIMENSION);
      return NULL;
    }

  marks = lay_out (document, (int) paper_width_dots, &height, error);
  if (marks == NULL)
    return NULL;

  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) paper_width_dots, height);
  cr = cairo_create (surface);
  /* Dots are whole pixels: rectangles on the grid need no smoothing. */
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE);
  draw (cr, marks, (int) paper_width_dots);
  status = cairo_status (cr);
  cairo_destroy (cr);

  if (status == CAIRO_STATUS_SUCCESS)
    {
      threshold (surface);
      png = g_byte_array_new ();
      status = cairo_surface_write_to_png_stream (surface, write_to_array, png);
    }
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, PD_ESCPOS_RENDER_ERROR, PD_ESCPOS_RENDER_ERROR_FAILED,
                   /* TRANSLATORS: %s is Cairo's reason. */
                   _("The receipt could not be drawn: %s"), cairo_status_to_string (status));
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&png));
}

gboolean
pd_escpos_render_png_file (const PdEscposDocument  *document,
                           guint                    paper_width_dots,
                           const char              *path,
                           GError                 **error)
{
  g_autoptr(GBytes) png = NULL;
  gsize length;
  const char *data;

  g_return_val_if_fail (document != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  png = pd_escpos_render_png (document, paper_width_dots, error);
  if (png == NULL)
    return FALSE;
  data = g_bytes_get_data (png, &length);
  return g_file_set_contents (path, data, (gssize) length, error);
}
