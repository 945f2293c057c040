/* Text no code page holds, drawn with Pango into a raster, read back and looked at dot by
 * dot. */
#include "pd-test-common.h"

#include <string.h>

#include "pd-escpos-reader.h"
#include "pd-text-raster.h"

#define PAPER_WIDTH 512
#define WIDE_PAPER_WIDTH 576
/* How near the paper's edge aligned ink must come, in dots: a glyph's side bearing. */
#define EDGE_SLACK 12

typedef struct {
  const char *language;
  const char *text; /* "your payment has been received", or near it */
  gboolean rtl;
} Sample;

static const Sample samples[] = {
  { "zh", "您的付款已收到", FALSE },
  { "ko", "결제가 완료되었습니다", FALSE },
  { "bn", "পেমেন্ট পাওয়া গেছে", FALSE },
  { "ru", "Ваш платёж получен", FALSE },
  { "ar", "تم استلام دفعتك", TRUE },
  { "ur", "آپ کی ادائیگی مل گئی", TRUE },
  { "yi", "אײַער צאָלונג באַקומען", TRUE },
};

/* The dots of one raster: how many are black, and the box around them. */
typedef struct {
  guint width;
  guint height;
  gsize ink;
  guint left, right, top, bottom; /* right and bottom exclusive; all 0 without ink */
} Ink;

/* The job's bytes, read back: exactly one raster, as wide as the paper. */
static GBytes *
append_to_bytes (PdTextRaster *raster)
{
  g_autoptr(PdEscpos) builder = pd_escpos_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (pd_text_raster_append_to (raster, builder, &error));
  g_assert_no_error (error);
  return pd_escpos_free_to_bytes (g_steal_pointer (&builder));
}

static Ink
measure (PdTextRaster *raster,
         guint         paper_width)
{
  g_autoptr(GBytes) bytes = append_to_bytes (raster);
  g_autoptr(PdEscposDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  const PdEscposItem *item;
  Ink ink = { 0 };

  document = pd_escpos_document_read_bytes (bytes, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pd_escpos_document_get_n_items (document), ==, 1);
  item = pd_escpos_document_find_item (document, PD_ESCPOS_ITEM_RASTER, 0);
  g_assert_nonnull (item);
  g_assert_cmpuint (item->raster.mode, ==, 0);
  g_assert_cmpuint (item->raster.width, ==, paper_width);
  g_assert_cmpuint (item->raster.height, ==, pd_text_raster_get_height (raster));

  ink.width = item->raster.width;
  ink.height = item->raster.height;
  ink.left = ink.width;
  ink.top = ink.height;
  for (guint y = 0; y < item->raster.height; y++)
    for (guint x = 0; x < item->raster.width; x++)
      if (item->raster.bits[y * item->raster.stride + x / 8] & (0x80 >> (x % 8)))
        {
          ink.ink++;
          ink.left = MIN (ink.left, x);
          ink.right = MAX (ink.right, x + 1);
          ink.top = MIN (ink.top, y);
          ink.bottom = MAX (ink.bottom, y + 1);
        }
  if (ink.ink == 0)
    ink.left = ink.top = 0;
  return ink;
}

static Ink
measure_line (guint          paper_width,
              const char    *language,
              const char    *text,
              PdEscposAlign  align,
              gboolean       bold,
              guint          scale)
{
  g_autoptr(PdTextRaster) raster = pd_text_raster_new (paper_width, language);

  pd_text_raster_add_line (raster, text, align, bold, scale);
  return measure (raster, paper_width);
}

static void
assert_at_start (const Ink *ink,
                 gboolean   rtl)
{
  g_assert_cmpuint (ink->ink, >, 0);
  /* Short lines: the ink stays in the half the line starts from, up to that edge. */
  g_assert_cmpuint (ink->right - ink->left, <, ink->width / 2);
  if (rtl)
    {
      g_assert_cmpuint (ink->left, >, ink->width / 2);
      g_assert_cmpuint (ink->right, >=, ink->width - EDGE_SLACK);
    }
  else
    {
      g_assert_cmpuint (ink->right, <, ink->width / 2);
      g_assert_cmpuint (ink->left, <=, EDGE_SLACK);
    }
}

/* Every language of the designated ones has its glyphs, in the direction it is written. */
static void
test_languages (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      Ink ink = measure_line (PAPER_WIDTH, samples[i].language, samples[i].text,
                              PD_ESCPOS_ALIGN_LEFT, FALSE, 1);

      g_test_message ("%s: %" G_GSIZE_FORMAT " dots of ink in x %u..%u, y %u..%u of %u",
                      samples[i].language, ink.ink, ink.left, ink.right, ink.top, ink.bottom,
                      ink.height);
      /* A line of a few words is a few hundred dots of ink at the least. */
      g_assert_cmpuint (ink.ink, >, 300);
      assert_at_start (&ink, samples[i].rtl);
    }
}

/* Both paper widths the profiles have: the image is always the paper's width. */
static void
test_paper_widths (void)
{
  static const guint widths[] = { PAPER_WIDTH, WIDE_PAPER_WIDTH };

  for (gsize i = 0; i < G_N_ELEMENTS (widths); i++)
    {
      Ink arabic = measure_line (widths[i], "ar", samples[4].text, PD_ESCPOS_ALIGN_LEFT,
                                 FALSE, 1);
      Ink chinese = measure_line (widths[i], "zh", samples[0].text, PD_ESCPOS_ALIGN_LEFT,
                                  FALSE, 1);

      g_assert_cmpuint (arabic.width, ==, widths[i]);
      assert_at_start (&arabic, TRUE);
      g_assert_cmpuint (chinese.width, ==, widths[i]);
      assert_at_start (&chinese, FALSE);
    }
}

/* A line's direction is its own; one with no letters takes the language's. */
static void
test_direction (void)
{
  Ink ink;

  /* Latin in an Arabic receipt still starts at the left. */
  ink = measure_line (PAPER_WIDTH, "ar", "Visa 1234", PD_ESCPOS_ALIGN_LEFT, FALSE, 1);
  assert_at_start (&ink, FALSE);
  /* An Arabic line in a Russian receipt at the right. */
  ink = measure_line (PAPER_WIDTH, "ru", samples[4].text, PD_ESCPOS_ALIGN_LEFT, FALSE, 1);
  assert_at_start (&ink, TRUE);
  /* An amount alone follows the receipt's language. */
  ink = measure_line (PAPER_WIDTH, "ur", "75.00 $", PD_ESCPOS_ALIGN_LEFT, FALSE, 1);
  assert_at_start (&ink, TRUE);
  ink = measure_line (PAPER_WIDTH, "ru", "75.00 $", PD_ESCPOS_ALIGN_LEFT, FALSE, 1);
  assert_at_start (&ink, FALSE);
  /* The end is the other side. */
  ink = measure_line (PAPER_WIDTH, "yi", samples[6].text, PD_ESCPOS_ALIGN_RIGHT, FALSE, 1);
  assert_at_start (&ink, FALSE);
  ink = measure_line (PAPER_WIDTH, "ko", samples[1].text, PD_ESCPOS_ALIGN_RIGHT, FALSE, 1);
  assert_at_start (&ink, TRUE);
}

static void
test_center (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      Ink ink = measure_line (WIDE_PAPER_WIDTH, samples[i].language, samples[i].text,
                              PD_ESCPOS_ALIGN_CENTER, FALSE, 1);
      int middle = (int) (ink.left + ink.right) / 2;

      g_assert_cmpuint (ink.ink, >, 0);
      g_assert_cmpint (ABS (middle - (int) WIDE_PAPER_WIDTH / 2), <=, EDGE_SLACK);
    }
}

/* A paragraph longer than the paper wraps, and the image grows to hold it. */
static void
test_wrap (void)
{
  g_autoptr(GString) long_chinese = g_string_new (NULL);
  g_autoptr(GString) long_arabic = g_string_new (NULL);
  Ink one, many;

  for (guint i = 0; i < 8; i++)
    {
      g_string_append (long_chinese, samples[0].text);
      g_string_append_printf (long_arabic, "%s%s", i > 0 ? " " : "", samples[4].text);
    }

  one = measure_line (PAPER_WIDTH, "zh", samples[0].text, PD_ESCPOS_ALIGN_LEFT, FALSE, 1);
  many = measure_line (PAPER_WIDTH, "zh", long_chinese->str, PD_ESCPOS_ALIGN_LEFT, FALSE, 1);
  /* 56 ideographs of 24 dots on 512 dots of paper: 21 a line, three lines. */
  g_assert_cmpuint (many.height, >=, 3 * one.height);
  g_assert_cmpuint (many.ink, >, 6 * one.ink);
  g_assert_cmpuint (many.left, <=, EDGE_SLACK);
  g_assert_cmpuint (many.right, >=, PAPER_WIDTH - 2 * EDGE_SLACK);

  one = measure_line (PAPER_WIDTH, "ar", samples[4].text, PD_ESCPOS_ALIGN_LEFT, FALSE, 1);
  many = measure_line (PAPER_WIDTH, "ar", long_arabic->str, PD_ESCPOS_ALIGN_LEFT, FALSE, 1);
  g_assert_cmpuint (many.height, >=, 2 * one.height);
  g_assert_cmpuint (many.ink, >, 6 * one.ink);
  /* The last line, short, ends up at the right: each wrapped line starts there. */
  g_assert_cmpuint (many.right, >=, PAPER_WIDTH - EDGE_SLACK);
}

static void
test_bold (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      Ink regular = measure_line (PAPER_WIDTH, samples[i].language, samples[i].text,
                                  PD_ESCPOS_ALIGN_LEFT, FALSE, 1);
      Ink bold = measure_line (PAPER_WIDTH, samples[i].language, samples[i].text,
                               PD_ESCPOS_ALIGN_LEFT, TRUE, 1);

      g_test_message ("%s: %" G_GSIZE_FORMAT " dots regular, %" G_GSIZE_FORMAT " bold",
                      samples[i].language, regular.ink, bold.ink);
      g_assert_cmpuint (bold.ink * 10, >, regular.ink * 11);
    }
}

static void
test_scale (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      Ink one = measure_line (PAPER_WIDTH, samples[i].language, samples[i].text,
                              PD_ESCPOS_ALIGN_LEFT, FALSE, 1);
      Ink two = measure_line (PAPER_WIDTH, samples[i].language, samples[i].text,
                              PD_ESCPOS_ALIGN_LEFT, FALSE, 2);
      guint one_ink_height = one.bottom - one.top;
      guint two_ink_height = two.bottom - two.top;

      /* Twice as tall, give or take a dot of rounding at each end. */
      g_assert_cmpuint (two.height, >=, 2 * one.height - 2);
      g_assert_cmpuint (two.height, <=, 2 * one.height + 2);
      g_assert_cmpuint (two_ink_height, >=, 2 * one_ink_height - 3);
      g_assert_cmpuint (two_ink_height, <=, 2 * one_ink_height + 3);
      /* And about four times the ink. */
      g_assert_cmpuint (two.ink, >, 3 * one.ink);
      g_assert_cmpuint (two.ink, <, 5 * one.ink);
    }
}

/* Lines and spaces stack, in order, into one image. */
static void
test_receipt (void)
{
  g_autoptr(PdTextRaster) raster = pd_text_raster_new (WIDE_PAPER_WIDTH, "ur");
  guint title_height, line_height;
  Ink ink;

  g_assert_cmpuint (pd_text_raster_get_height (raster), ==, 0);
  pd_text_raster_add_line (raster, samples[5].text, PD_ESCPOS_ALIGN_CENTER, TRUE, 2);
  title_height = pd_text_raster_get_height (raster);
  g_assert_cmpuint (title_height, >, 0);
  pd_text_raster_add_space (raster, 30);
  g_assert_cmpuint (pd_text_raster_get_height (raster), ==, title_height + 30);
  pd_text_raster_add_line (raster, "75.00 $", PD_ESCPOS_ALIGN_RIGHT, FALSE, 1);
  line_height = pd_text_raster_get_height (raster) - title_height - 30;
  g_assert_cmpuint (line_height, >, 0);
  g_assert_cmpuint (line_height, <, title_height);

  ink = measure (raster, WIDE_PAPER_WIDTH);
  /* The amount at the end of an Urdu line: the left; the title across the middle. */
  g_assert_cmpuint (ink.left, <=, EDGE_SLACK);
  g_assert_cmpuint (ink.top, <, title_height);
  g_assert_cmpuint (ink.bottom, >, title_height + 30);
}

/* Nothing to draw: nothing appended, and no error. */
static void
test_empty (void)
{
  g_autoptr(PdTextRaster) raster = pd_text_raster_new (PAPER_WIDTH, "zh");
  g_autoptr(PdEscpos) builder = pd_escpos_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (pd_text_raster_append_to (raster, builder, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pd_escpos_get_length (builder), ==, 0);
}

/* A character no font has fails the whole drawing, naming it and the language: a receipt
 * never shows boxes. */
static void
test_unknown_glyph (void)
{
  g_autoptr(PdTextRaster) raster = pd_text_raster_new (PAPER_WIDTH, "zh");
  g_autoptr(PdEscpos) builder = pd_escpos_new ();
  g_autoptr(GError) error = NULL;

  pd_text_raster_add_line (raster, samples[0].text, PD_ESCPOS_ALIGN_LEFT, FALSE, 1);
  pd_text_raster_add_line (raster, "您的\xee\x80\x80付款", PD_ESCPOS_ALIGN_LEFT, FALSE, 1);

  g_assert_false (pd_text_raster_append_to (raster, builder, &error));
  g_assert_error (error, PD_TEXT_RASTER_ERROR, PD_TEXT_RASTER_ERROR_NO_GLYPH);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "zh"));
  g_assert_nonnull (strstr (error->message, "U+E000"));
  g_assert_cmpuint (pd_escpos_get_length (builder), ==, 0);
}

/* The same text gives the same dots, from one font map as from another. */
static void
test_deterministic (void)
{
  g_autoptr(GBytes) first = NULL;
  g_autoptr(GBytes) second = NULL;

  for (guint run = 0; run < 2; run++)
    {
      g_autoptr(PdTextRaster) raster = pd_text_raster_new (WIDE_PAPER_WIDTH, "ar");

      for (gsize i = 0; i < G_N_ELEMENTS (samples); i++)
        pd_text_raster_add_line (raster, samples[i].text, i % 3, i % 2, 1 + i % 2);
      if (run == 0)
        first = append_to_bytes (raster);
      else
        second = append_to_bytes (raster);
    }

  g_assert_cmpuint (g_bytes_get_size (first), >, 8);
  g_assert_true (g_bytes_equal (first, second));
}

int
main (int    argc,
      char **argv)
{
  pd_test_init (&argc, &argv);

  g_test_add_func ("/text-raster/languages", test_languages);
  g_test_add_func ("/text-raster/paper-widths", test_paper_widths);
  g_test_add_func ("/text-raster/direction", test_direction);
  g_test_add_func ("/text-raster/center", test_center);
  g_test_add_func ("/text-raster/wrap", test_wrap);
  g_test_add_func ("/text-raster/bold", test_bold);
  g_test_add_func ("/text-raster/scale", test_scale);
  g_test_add_func ("/text-raster/receipt", test_receipt);
  g_test_add_func ("/text-raster/empty", test_empty);
  g_test_add_func ("/text-raster/unknown-glyph", test_unknown_glyph);
  g_test_add_func ("/text-raster/deterministic", test_deterministic);

  return g_test_run ();
}
