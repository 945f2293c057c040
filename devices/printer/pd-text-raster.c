#include "config.h"

#include <cairo.h>
#include <glib/gi18n-lib.h>
#include <pango/pangocairo.h>

#include "pd-text-raster.h"

/* The em at scale 1: the printers' Kanji Font A is 24 by 24 dots, and an ideograph fills
 * its em, so CJK text comes out the size the printer's own font would have it. */
#define EM_DOTS 24
/* Cairo's image surfaces stop here; pd_escpos_raster itself takes up to 65535 rows, so one
 * GS v 0 holds whatever can be drawn. */
#define MAX_DIMENSION 32767
/* Gray coverage from this on is a black dot: half, so strokes keep their drawn width. */
#define INK_THRESHOLD 0x80
/* Enough characters named for the associate to see which text it is. */
#define MAX_NAMED_CHARACTERS 8

G_DEFINE_QUARK (pd-text-raster-error-quark, pd_text_raster_error)

/* A paragraph, or blank paper when layout is NULL. */
typedef struct {
  PangoLayout *layout;
  guint height; /* dots */
} Block;

struct _PdTextRaster {
  guint width;
  char *language;
  gboolean rtl_language;
  char *families;
  PangoFontMap *font_map;
  PangoContext *context;
  GArray *blocks;
};

static void
block_clear (gpointer data)
{
  Block *block = data;

  g_clear_object (&block->layout);
}

/* A language written right to left, for the direction of lines with no letters. Pango
 * knows a language's scripts but not their direction. */
static gboolean
language_is_rtl (PangoLanguage *language)
{
  static const PangoScript rtl_scripts[] = {
    PANGO_SCRIPT_ARABIC, PANGO_SCRIPT_HEBREW, PANGO_SCRIPT_SYRIAC, PANGO_SCRIPT_THAANA,
    PANGO_SCRIPT_NKO, G_UNICODE_SCRIPT_ADLAM, G_UNICODE_SCRIPT_HANIFI_ROHINGYA,
  };
  int n_scripts = 0;
  const PangoScript *scripts = pango_language_get_scripts (language, &n_scripts);

  /* A language Pango does not know ("yi" is known, through Hebrew) counts as LTR. */
  for (int i = 0; i < n_scripts; i++)
    for (gsize j = 0; j < G_N_ELEMENTS (rtl_scripts); j++)
      if (scripts[i] == rtl_scripts[j])
        return TRUE;
  return FALSE;
}

/* The Han and Hangul glyphs differ by region; the language picks which region's shapes,
 * the others' remain as fallbacks through fontconfig. */
static const char *
cjk_family (PangoLanguage *language)
{
  if (pango_language_matches (language, "ja"))
    return "Noto Sans CJK JP";
  if (pango_language_matches (language, "ko"))
    return "Noto Sans CJK KR";
  if (pango_language_matches (language, "zh-hk;zh-mo"))
    return "Noto Sans CJK HK";
  if (pango_language_matches (language, "zh-tw;zh-hant"))
    return "Noto Sans CJK TC";
  return "Noto Sans CJK SC";
}

char *
pd_text_raster_dup_font_families (const char *language)
{
  g_return_val_if_fail (language != NULL, NULL);

  return g_strdup_printf ("Noto Sans, %s, Noto Sans Arabic, Noto Sans Bengali, "
                          "Noto Sans Hebrew, DejaVu Sans",
                          cjk_family (pango_language_from_string (language)));
}

PdTextRaster *
pd_text_raster_new (guint       width_dots,
                    const char *language)
{
  PdTextRaster *self;
  PangoLanguage *pango_language;
  cairo_font_options_t *options;

  g_return_val_if_fail (width_dots > 0 && width_dots <= MAX_DIMENSION, NULL);
  g_return_val_if_fail (language != NULL && *language != '\0', NULL);

  pango_language = pango_language_from_string (language);

  self = g_new0 (PdTextRaster, 1);
  self->width = width_dots;
  self->language = g_strdup (language);
  self->rtl_language = language_is_rtl (pango_language);
  self->families = pd_text_raster_dup_font_families (language);
  self->blocks = g_array_new (FALSE, TRUE, sizeof (Block));
  g_array_set_clear_func (self->blocks, block_clear);

  /* A font map of its own, gone with the raster: the default one is per thread and lives as
   * long as the thread, and receipts are drawn on pooled workers. */
  self->font_map = pango_cairo_font_map_new ();
  self->context = pango_font_map_create_context (self->font_map);
  pango_context_set_language (self->context, pango_language);
  /* A line with no strong letter (an amount, a date) runs in the language's direction;
   * lines with letters take their own (pango_layout_set_auto_dir). */
  pango_context_set_base_dir (self->context,
                              self->rtl_language ? PANGO_DIRECTION_WEAK_RTL
                                                 : PANGO_DIRECTION_WEAK_LTR);

  /* Unhinted and in gray, thresholded afterwards: the same dots on every machine, whatever
   * its fontconfig says about hinting. */
  options = cairo_font_options_create ();
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_antialias (options, CAIRO_ANTIALIAS_GRAY);
  pango_cairo_context_set_font_options (self->context, options);
  cairo_font_options_destroy (options);

  return self;
}

void
pd_text_raster_free (PdTextRaster *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->blocks);
  g_object_unref (self->context);
  g_object_unref (self->font_map);
  g_free (self->families);
  g_free (self->language);
  g_free (self);
}

void
pd_text_raster_add_line (PdTextRaster  *self,
                         const char    *utf8,
                         PdEscposAlign  align,
                         gboolean       bold,
                         guint          scale)
{
  Block block = { NULL, 0 };
  PangoFontDescription *font;
  PangoAlignment alignment;
  int height = 0;

  g_return_if_fail (self != NULL);
  g_return_if_fail (utf8 != NULL && g_utf8_validate (utf8, -1, NULL));
  g_return_if_fail (scale == 1 || scale == 2);

  font = pango_font_description_from_string (self->families);
  pango_font_description_set_absolute_size (font, EM_DOTS * scale * PANGO_SCALE);
  pango_font_description_set_weight (font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);

  /* Pango swaps left and right for a paragraph whose direction is not the context's (the
   * language's); so the start in the language's direction is the start in every line's. */
  if (align == PD_ESCPOS_ALIGN_CENTER)
    alignment = PANGO_ALIGN_CENTER;
  else if ((align == PD_ESCPOS_ALIGN_LEFT) != self->rtl_language)
    alignment = PANGO_ALIGN_LEFT;
  else
    alignment = PANGO_ALIGN_RIGHT;

  block.layout = pango_layout_new (self->context);
  pango_layout_set_font_description (block.layout, font);
  pango_layout_set_auto_dir (block.layout, TRUE);
  pango_layout_set_alignment (block.layout, alignment);
  pango_layout_set_width (block.layout, (int) self->width * PANGO_SCALE);
  /* Between words; a word longer than the paper is broken rather than cut off. */
  pango_layout_set_wrap (block.layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text (block.layout, utf8, -1);
  pango_font_description_free (font);

  pango_layout_get_pixel_size (block.layout, NULL, &height);
  block.height = (guint) MAX (height, 0);
  g_array_append_val (self->blocks, block);
}

void
pd_text_raster_add_space (PdTextRaster *self,
                          guint         dots)
{
  Block block = { NULL, dots };

  g_return_if_fail (self != NULL);

  if (dots > 0)
    g_array_append_val (self->blocks, block);
}

guint
pd_text_raster_get_height (PdTextRaster *self)
{
  guint height = 0;

  g_return_val_if_fail (self != NULL, 0);

  for (guint i = 0; i < self->blocks->len; i++)
    {
      const Block *block = &g_array_index (self->blocks, Block, i);

      /* Saturating: too tall is an error when drawing, not a wrapped-around height. */
      height = block->height > G_MAXUINT - height ? G_MAXUINT : height + block->height;
    }
  return height;
}

/* The characters no font could draw, as U+XXXX, or NULL when every glyph was found. */
static char *
dup_unknown_characters (PangoLayout *layout)
{
  g_autoptr(GString) names = NULL;
  PangoLayoutIter *iter;
  guint count = 0;

  if (pango_layout_get_unknown_glyphs_count (layout) == 0)
    return NULL;

  names = g_string_new (NULL);
  iter = pango_layout_get_iter (layout);
  do
    {
      PangoGlyphItem *run = pango_layout_iter_get_run_readonly (iter);

      if (run == NULL)
        continue;
      for (int i = 0; i < run->glyphs->num_glyphs; i++)
        {
          PangoGlyph glyph = run->glyphs->glyphs[i].glyph;

          if ((glyph & PANGO_GLYPH_UNKNOWN_FLAG) == 0 || glyph == PANGO_GLYPH_EMPTY)
            continue;
          if (count == MAX_NAMED_CHARACTERS)
            {
              g_string_append (names, ", …");
              count++;
              break;
            }
          g_string_append_printf (names, "%sU+%04X", count > 0 ? ", " : "",
                                  glyph & ~PANGO_GLYPH_UNKNOWN_FLAG);
          count++;
        }
    }
  while (count <= MAX_NAMED_CHARACTERS && pango_layout_iter_next_run (iter));
  pango_layout_iter_free (iter);

  /* Pango counted them, so there are some; should the runs not show them, say so anyway. */
  if (names->len == 0)
    g_string_append (names, "?");
  return g_string_free (g_steal_pointer (&names), FALSE);
}

/* Gray coverage into GS v 0's rows: most significant bit leftmost, 1 = black. */
static guint8 *
threshold (cairo_surface_t *surface,
           guint            width,
           guint            height,
           gsize           *stride)
{
  const guint8 *gray = cairo_image_surface_get_data (surface);
  gsize gray_stride = (gsize) cairo_image_surface_get_stride (surface);
  guint8 *bits;

  *stride = (width + 7) / 8;
  bits = g_malloc0 (*stride * height);
  for (guint y = 0; y < height; y++)
    {
      const guint8 *in = gray + y * gray_stride;
      guint8 *out = bits + y * *stride;

      for (guint x = 0; x < width; x++)
        if (in[x] >= INK_THRESHOLD)
          out[x / 8] |= (guint8) (0x80 >> (x % 8));
    }
  return bits;
}

gboolean
pd_text_raster_append_to (PdTextRaster  *self,
                          PdEscpos      *builder,
                          GError       **error)
{
  g_autofree guint8 *bits = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  guint height;
  gsize stride = 0;
  int y = 0;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (builder != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Every line checked before anything is drawn: nothing is appended for a failure. */
  for (guint i = 0; i < self->blocks->len; i++)
    {
      const Block *block = &g_array_index (self->blocks, Block, i);
      g_autofree char *unknown = NULL;

      if (block->layout == NULL)
        continue;
      unknown = dup_unknown_characters (block->layout);
      if (unknown != NULL)
        {
          g_set_error (error, PD_TEXT_RASTER_ERROR, PD_TEXT_RASTER_ERROR_NO_GLYPH,
                       /* TRANSLATORS: %s are a list of U+XXXX characters, a language
                        * tag (ur), then the line of text. */
                       _("No font on this terminal can print %s in the %s text “%s”."),
                       unknown, self->language, pango_layout_get_text (block->layout));
          return FALSE;
        }
    }

  height = pd_text_raster_get_height (self);
  if (height == 0)
    return TRUE;
  if (height > MAX_DIMENSION)
    {
      g_set_error (error, PD_TEXT_RASTER_ERROR, PD_TEXT_RASTER_ERROR_TOO_LARGE,
                   _("Text %u dots tall cannot be drawn for printing."), height);
      return FALSE;
    }

  /* Coverage only: transparent is paper, opaque is ink. */
  surface = cairo_image_surface_create (CAIRO_FORMAT_A8, (int) self->width, (int) height);
  cr = cairo_create (surface);
  cairo_set_source_rgba (cr, 0.0, 0.0, 0.0, 1.0);
  for (guint i = 0; i < self->blocks->len; i++)
    {
      const Block *block = &g_array_index (self->blocks, Block, i);

      /* The layouts are shown as measured, not updated from cr: their context's options
       * are the ones that count. */
      if (block->layout != NULL)
        {
          cairo_move_to (cr, 0.0, y);
          pango_cairo_show_layout (cr, block->layout);
        }
      y += (int) block->height;
    }
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, PD_TEXT_RASTER_ERROR, PD_TEXT_RASTER_ERROR_TOO_LARGE,
                   _("Text %u dots tall cannot be drawn for printing: %s."), height,
                   cairo_status_to_string (cairo_surface_status (surface)));
      cairo_surface_destroy (surface);
      return FALSE;
    }

  bits = threshold (surface, self->width, height, &stride);
  cairo_surface_destroy (surface);

  return pd_escpos_raster (builder, self->width, height, bits, stride, error);
}
