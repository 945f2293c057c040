#pragma once

#include <glib.h>

#include "pd-escpos.h"

G_BEGIN_DECLS

#define PD_TEXT_RASTER_ERROR (pd_text_raster_error_quark ())

typedef enum {
  PD_TEXT_RASTER_ERROR_NO_GLYPH,  /* no installed font can draw some of the text */
  PD_TEXT_RASTER_ERROR_TOO_LARGE, /* taller than one image can be drawn */
} PdTextRasterError;

GQuark            pd_text_raster_error_quark   (void);

/* Text a code page cannot hold (Chinese, Korean, Bengali, Arabic, Urdu, Yiddish, Russian…),
 * drawn with Pango into one 1-bit image as wide as the paper and printed with GS v 0.
 *
 * language is a BCP 47 tag ("zh", "ko", "bn", "ar", "ur", "yi", "ru"): it picks the fonts
 * and the shaping, and the direction of a line with no letters of its own (digits,
 * punctuation). Otherwise each line's direction comes from its first strong letter, and the
 * alignment follows that direction: PD_ESCPOS_ALIGN_LEFT is the start of the line (the left
 * edge for Russian, the right edge for Arabic, Urdu or Yiddish), PD_ESCPOS_ALIGN_RIGHT its
 * end. Lines wrap at the paper's width between words, and within a word too long for a
 * line.
 *
 * The em is 24 dots at scale 1, as the printers' 24 by 24 Kanji Font A; scale 2 doubles it.
 * The fonts are the Noto families (CJK, Arabic, Bengali, Hebrew) and DejaVu Sans, drawn
 * unhinted on a font map of the drawing's own: the same text gives the same dots on every
 * terminal with the same fonts installed. */
typedef struct _PdTextRaster PdTextRaster;

/* The font families for text in language, as a Pango family list: Noto Sans first for
 * Latin and Cyrillic, one family for each other script a member's language may need (Urdu
 * in the Arabic family's naskh, more legible at 24 dots than nastaliq), DejaVu Sans last
 * for symbols. The PNG and PDF receipts use the same. */
char             *pd_text_raster_dup_font_families (const char     *language);
PdTextRaster     *pd_text_raster_new           (guint              width_dots,
                                                const char        *language);
void              pd_text_raster_free          (PdTextRaster      *self);

/* One paragraph (it may wrap onto several lines); scale is 1 or 2. */
void              pd_text_raster_add_line      (PdTextRaster      *self,
                                                const char        *utf8,
                                                PdEscposAlign      align,
                                                gboolean           bold,
                                                guint              scale);
/* Blank paper between paragraphs. */
void              pd_text_raster_add_space     (PdTextRaster      *self,
                                                guint              dots);
/* The image's height in dots, everything added so far. */
guint             pd_text_raster_get_height    (PdTextRaster      *self);

/* Draws everything added and appends it to builder as one GS v 0 image, as wide as the
 * paper (nothing when nothing was added). Appends nothing and fails with
 * PD_TEXT_RASTER_ERROR_NO_GLYPH, naming the language and the characters, when a font is
 * missing for any of the text: a receipt never prints boxes in place of words. */
gboolean          pd_text_raster_append_to     (PdTextRaster      *self,
                                                PdEscpos          *builder,
                                                GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdTextRaster, pd_text_raster_free)

G_END_DECLS
