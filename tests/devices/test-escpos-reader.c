/* ESC/POS jobs read back into documents, and documents drawn as paper. */
#include "pd-test-common.h"

#include <string.h>

#include <cairo.h>
#include <pango/pangocairo.h>
#include <zbar.h>

#include "pd-escpos-reader.h"
#include "pd-escpos-render.h"

#define ESC 0x1b
#define GS  0x1d
#define DLE 0x10
#define EOT 0x04

#define PAPER_WIDTH 512

static PdPrinterProfile *
load_profile (const char *name)
{
  g_autofree char *path = g_build_filename (pd_printer_profile_get_directory (), name, NULL);
  g_autoptr(GError) error = NULL;
  PdPrinterProfile *profile = pd_printer_profile_load (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (profile);
  return profile;
}

static guint8
esc_t_number (PdPrinterProfile *profile,
              PdEscposCodePage  page)
{
  guint n_pages = 0;
  const PdPrinterCodePage *pages = pd_printer_profile_get_code_pages (profile, &n_pages);

  for (guint i = 0; i < n_pages; i++)
    if (pages[i].page == page)
      return pages[i].esc_t_number;
  g_assert_not_reached ();
}

/* Read from a heap copy of exactly length bytes, so AddressSanitizer sees any overread. */
static PdEscposDocument *
read_exact (const guint8      *data,
            gsize              length,
            PdPrinterProfile  *profile,
            GError           **error)
{
  g_autofree guint8 *copy = g_memdup2 (data, length);

  return pd_escpos_document_read (copy, length, profile, error);
}

static PdEscposDocument *
read_builder (PdEscpos         *builder,
              PdPrinterProfile *profile)
{
  g_autoptr(GBytes) bytes = pd_escpos_free_to_bytes (builder);
  g_autoptr(GError) error = NULL;
  PdEscposDocument *document = pd_escpos_document_read_bytes (bytes, profile, &error);

  g_assert_no_error (error);
  g_assert_nonnull (document);
  return document;
}

static PdEscposDocument *
read_hand (const guint8 *data,
           gsize         length)
{
  g_autoptr(GError) error = NULL;
  PdEscposDocument *document = read_exact (data, length, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (document);
  return document;
}

static void
assert_read_error (const guint8        *data,
                   gsize                length,
                   PdPrinterProfile    *profile,
                   PdEscposReaderError  code,
                   const char          *in_message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdEscposDocument) document = read_exact (data, length, profile, &error);

  g_assert_null (document);
  g_assert_error (error, PD_ESCPOS_READER_ERROR, (gint) code);
  g_test_message ("%s", error->message);
  if (in_message != NULL)
    g_assert_nonnull (strstr (error->message, in_message));
}

static const PdEscposItem *
item_at (PdEscposDocument *document,
         guint             index,
         PdEscposItemKind  kind)
{
  const PdEscposItem *item;

  g_assert_cmpuint (index, <, pd_escpos_document_get_n_items (document));
  item = pd_escpos_document_get_item (document, index);
  g_assert_cmpint (item->kind, ==, kind);
  return item;
}

static void
assert_text (PdEscposDocument *document,
             guint             index,
             const char       *utf8,
             gboolean          bold,
             guint             width,
             guint             height,
             PdEscposAlign     align)
{
  const PdEscposItem *item = item_at (document, index, PD_ESCPOS_ITEM_TEXT);

  g_assert_cmpstr (item->text.utf8, ==, utf8);
  g_assert_cmpint (item->attributes.bold, ==, bold);
  g_assert_cmpuint (item->attributes.width, ==, width);
  g_assert_cmpuint (item->attributes.height, ==, height);
  g_assert_cmpint (item->attributes.align, ==, align);
}

static void
test_decode (void)
{
  static const PdEscposCodePage pages[] = {
    PD_ESCPOS_CODE_PAGE_CP437, PD_ESCPOS_CODE_PAGE_CP858, PD_ESCPOS_CODE_PAGE_CP1252,
  };

  /* Every byte with a character encodes back to itself. */
  for (guint p = 0; p < G_N_ELEMENTS (pages); p++)
    for (guint byte = 0x20; byte <= 0xff; byte++)
      {
        guint8 b = (guint8) byte;
        g_autoptr(GString) utf8 = g_string_new (NULL);
        g_autoptr(GByteArray) again = g_byte_array_new ();

        if (!pd_escpos_decode (pages[p], &b, 1, utf8))
          {
            g_assert_cmpstr (utf8->str, ==, "\ufffd");
            continue;
          }
        g_assert_true (pd_escpos_encode (pages[p], utf8->str, again, NULL));
        g_assert_cmpmem (again->data, again->len, &b, 1);
      }

  {
    g_autoptr(GString) utf8 = g_string_new ("x");

    /* The euro on each page that has one; 0x81 is a hole in CP1252, 0x7f and ESC nothing. */
    g_assert_true (pd_escpos_decode (PD_ESCPOS_CODE_PAGE_CP858, (const guint8 *) "\xd5\t", 2,
                                     utf8));
    g_assert_true (pd_escpos_decode (PD_ESCPOS_CODE_PAGE_CP1252, (const guint8 *) "\x80", 1,
                                     utf8));
    g_assert_cmpstr (utf8->str, ==, "x\u20ac\t\u20ac");
    g_assert_false (pd_escpos_decode (PD_ESCPOS_CODE_PAGE_CP1252, (const guint8 *) "a\x81", 2,
                                      utf8));
    g_assert_false (pd_escpos_decode (PD_ESCPOS_CODE_PAGE_CP437, (const guint8 *) "\x7f\x1b",
                                      2, utf8));
    g_assert_cmpstr (utf8->str, ==, "x\u20ac\t\u20aca\ufffd\ufffd\ufffd");
  }
}

static void
test_round_trip_code_pages (void)
{
  g_autoptr(PdPrinterProfile) profile = load_profile ("epson-tm-t88.conf");
  g_autoptr(PdEscpos) builder = pd_escpos_new ();
  g_autoptr(PdEscposDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const PdEscposCodePage *used;
  guint n_used = 0;

  pd_escpos_initialize (builder);
  g_assert_true (pd_escpos_text (builder, "\u00bd \u00f1 \u2500\n", &error));
  pd_escpos_select_code_page (builder, PD_ESCPOS_CODE_PAGE_CP858,
                              esc_t_number (profile, PD_ESCPOS_CODE_PAGE_CP858));
  g_assert_true (pd_escpos_text (builder, "Caf\u00e9 \u20ac5 \u00d8\n", &error));
  pd_escpos_select_code_page (builder, PD_ESCPOS_CODE_PAGE_CP1252,
                              esc_t_number (profile, PD_ESCPOS_CODE_PAGE_CP1252));
  g_assert_true (pd_escpos_text (builder, "\u201cNa\u00efve\u201d \u20ac\t\u0153\n", &error));
  pd_escpos_select_code_page (builder, PD_ESCPOS_CODE_PAGE_CP437,
                              esc_t_number (profile, PD_ESCPOS_CODE_PAGE_CP437));
  g_assert_true (pd_escpos_text (builder, "\u00e9\u00a3\n", &error));
  g_assert_no_error (error);

  document = read_builder (g_steal_pointer (&builder), profile);
  text = pd_escpos_document_dup_text (document);
  g_assert_cmpstr (text, ==,
                   "\u00bd \u00f1 \u2500\n"
                   "Caf\u00e9 \u20ac5 \u00d8\n"
                   "\u201cNa\u00efve\u201d \u20ac\t\u0153\n"
                   "\u00e9\u00a3\n");

  g_assert_cmpuint (pd_escpos_document_count_items (document, PD_ESCPOS_ITEM_TEXT), ==, 4);
  g_assert_cmpint (pd_escpos_document_find_item (document, PD_ESCPOS_ITEM_TEXT, 0)->text.page,
                   ==, PD_ESCPOS_CODE_PAGE_CP437);
  g_assert_cmpint (pd_escpos_document_find_item (document, PD_ESCPOS_ITEM_TEXT, 1)->text.page,
                   ==, PD_ESCPOS_CODE_PAGE_CP858);
  g_assert_cmpint (pd_escpos_document_find_item (document, PD_ESCPOS_ITEM_TEXT, 2)->text.page,
                   ==, PD_ESCPOS_CODE_PAGE_CP1252);
  g_assert_null (pd_escpos_document_find_item (document, PD_ESCPOS_ITEM_TEXT, 4));

  /* In order of first use, each once. */
  used = pd_escpos_document_get_code_pages (document, &n_used);
  g_assert_cmpuint (n_used, ==, 3);
  g_assert_cmpint (used[0], ==, PD_ESCPOS_CODE_PAGE_CP437);
  g_assert_cmpint (used[1], ==, PD_ESCPOS_CODE_PAGE_CP858);
  g_assert_cmpint (used[2], ==, PD_ESCPOS_CODE_PAGE_CP1252);
}

static void
test_round_trip_profile_numbers (void)
{
  g_autoptr(PdPrinterProfile) generic = load_profile ("generic-escpos.conf");
  /* ESC @, ESC t 19, the euro in CP858. */
  static const guint8 job[] = { ESC, '@', ESC, 't', 19, 0xd5, '\n' };
  g_autoptr(PdEscposDocument) document = read_hand (job, sizeof job);
  g_autofree char *text = pd_escpos_document_dup_text (document);

  /* Without a profile, Epson's numbers; the generic profile has CP437 alone. */
  g_assert_cmpstr (text, ==, "\u20ac\n");
  assert_read_error (job, sizeof job, generic, PD_ESCPOS_READER_ERROR_BAD_CODE_PAGE,
                     "byte 2");
}

static void
test_round_trip_attributes (void)
{
  g_autoptr(PdEscpos) builder = pd_escpos_new ();
  g_autoptr(PdEscposDocument) document = NULL;
  g_autoptr(GError) error = NULL;

  pd_escpos_initialize (builder);
  pd_escpos_bold (builder, TRUE);
  pd_escpos_size (builder, 2, 2);
  pd_escpos_align (builder, PD_ESCPOS_ALIGN_CENTER);
  g_assert_true (pd_escpos_text (builder, "TOTAL\n", &error));
  pd_escpos_bold (builder, FALSE);
  pd_escpos_size (builder, 3, 5);
  pd_escpos_align (builder, PD_ESCPOS_ALIGN_RIGHT);
  g_assert_true (pd_escpos_text (builder, "tall\n", &error));
  pd_escpos_size (builder, 8, 1);
  g_assert_true (pd_escpos_text (builder, "w", &error));
  /* ESC @ puts every mode back. */
  pd_escpos_initialize (builder);
  g_assert_true (pd_escpos_text (builder, "plain\n", &error));
  g_assert_no_error (error);

  document = read_builder (g_steal_pointer (&builder), NULL);
  g_assert_cmpuint (pd_escpos_document_get_n_items (document), ==, 7);
  assert_text (document, 0, "TOTAL", TRUE, 2, 2, PD_ESCPOS_ALIGN_CENTER);
  g_assert_cmpuint (item_at (document, 1, PD_ESCPOS_ITEM_NEWLINE)->newline.count, ==, 1);
  assert_text (document, 2, "tall", FALSE, 3, 5, PD_ESCPOS_ALIGN_RIGHT);
  assert_text (document, 4, "w", FALSE, 8, 1, PD_ESCPOS_ALIGN_RIGHT);
  assert_text (document, 5, "plain", FALSE, 1, 1, PD_ESCPOS_ALIGN_LEFT);
  /* Offsets point at the items' first bytes: ESC @ ESC E 1 GS ! 0x11 ESC a 1 is 11 bytes. */
  g_assert_cmpuint (item_at (document, 0, PD_ESCPOS_ITEM_TEXT)->offset, ==, 11);
  g_assert_cmpuint (item_at (document, 1, PD_ESCPOS_ITEM_NEWLINE)->offset, ==, 16);
}

static void
test_round_trip_feed (void)
{
  g_autoptr(PdEscpos) builder = pd_escpos_new ();
  g_autoptr(PdEscposDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_assert_true (pd_escpos_text (builder, "A\n", &error));
  pd_escpos_feed (builder, 3);
  g_assert_true (pd_escpos_text (builder, "B", &error));
  pd_escpos_feed (builder, 1);
  g_assert_no_error (error);

  document = read_builder (g_steal_pointer (&builder), NULL);
  g_assert_cmpuint (item_at (document, 2, PD_ESCPOS_ITEM_NEWLINE)->newline.count, ==, 3);
  text = pd_escpos_document_dup_text (document);
  g_assert_cmpstr (text, ==, "A\n\n\n\nB\n");
}

static void
test_round_trip_raster (void)
{
  g_autoptr(PdEscpos) builder = pd_escpos_new ();
  g_autoptr(PdEscposDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  guint8 image[3 * 5];
  /* 10 dots wide: two bytes a row, the six dots past the width cleared by the builder. */
  static const guint8 narrow[] = { 0xff, 0xff, 0x80, 0x40 };
  const PdEscposItem *item;

  for (guint i = 0; i < sizeof image; i++)
    image[i] = (guint8) (i * 37 + 1);

  pd_escpos_align (builder, PD_ESCPOS_ALIGN_CENTER);
  g_assert_true (pd_escpos_raster (builder, 24, 5, image, 3, &error));
  pd_escpos_align (builder, PD_ESCPOS_ALIGN_LEFT);
  g_assert_true (pd_escpos_raster (builder, 10, 2, narrow, 2, &error));
  g_assert_no_error (error);

  document = read_builder (g_steal_pointer (&builder), NULL);
  g_assert_cmpuint (pd_escpos_document_count_items (document, PD_ESCPOS_ITEM_RASTER), ==, 2);

  item = pd_escpos_document_find_item (document, PD_ESCPOS_ITEM_RASTER, 0);
  g_assert_cmpuint (item->offset, ==, 3);
  g_assert_cmpuint (item->raster.width, ==, 24);
  g_assert_cmpuint (item->raster.height, ==, 5);
  g_assert_cmpuint (item->raster.stride, ==, 3);
  g_assert_cmpuint (item->raster.mode, ==, 0);
  g_assert_cmpint (item->attributes.align, ==, PD_ESCPOS_ALIGN_CENTER);
  g_assert_cmpmem (item->raster.bits, 15, image, sizeof image);

  /* GS v 0 counts bytes: the width comes back rounded up to whole bytes. */
  item = pd_escpos_document_find_item (document, PD_ESCPOS_ITEM_RASTER, 1);
  g_assert_cmpuint (item->raster.width, ==, 16);
  g_assert_cmpuint (item->raster.stride, ==, 2);
  g_assert_cmpmem (item->raster.bits, 4, ((const guint8[]) { 0xff, 0xc0, 0x80, 0x40 }), 4);
}

static void
test_round_trip_qr (void)
{
  g_autoptr(PdEscpos) builder = pd_escpos_new ();
  g_autoptr(PdEscposDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) payloads = NULL;
  const PdEscposItem *item;
  const char *payload = "https://pay.example/r/PD-2026-0042?amt=75.00";

  pd_escpos_align (builder, PD_ESCPOS_ALIGN_CENTER);
  g_assert_true (pd_escpos_qr (builder, payload, 5, &error));
  g_assert_true (pd_escpos_qr (builder, "second", 3, &error));
  g_assert_no_error (error);

  document = read_builder (g_steal_pointer (&builder), NULL);
  g_assert_cmpuint (pd_escpos_document_get_n_items (document), ==, 2);
  item = item_at (document, 0, PD_ESCPOS_ITEM_QR);
  g_assert_cmpstr (item->qr.data, ==, payload);
  g_assert_cmpuint (item->qr.length, ==, strlen (payload));
  g_assert_cmpuint (item->qr.module_size, ==, 5);
  g_assert_cmpuint (item->qr.error_correction, ==, 49);
  g_assert_cmpuint (item->qr.model, ==, 50);
  g_assert_cmpint (item->attributes.align, ==, PD_ESCPOS_ALIGN_CENTER);
  g_assert_cmpuint (item_at (document, 1, PD_ESCPOS_ITEM_QR)->qr.module_size, ==, 3);

  payloads = pd_escpos_document_dup_qr_payloads (document);
  g_assert_cmpuint (g_strv_length (payloads), ==, 2);
  g_assert_cmpstr (payloads[0], ==, payload);
  g_assert_cmpstr (payloads[1], ==, "second");
}

static void
test_round_trip_cut (void)
{
  g_autoptr(PdEscpos) builder = pd_escpos_new ();
  g_autoptr(PdEscposDocument) document = NULL;
  const PdEscposItem *item;

  pd_escpos_cut (builder, PD_ESCPOS_CUT_FULL, 0);
  pd_escpos_cut (builder, PD_ESCPOS_CUT_FULL, 4);
  pd_escpos_cut (builder, PD_ESCPOS_CUT_FEED_PARTIAL, 3);
  pd_escpos_cut (builder, PD_ESCPOS_CUT_NONE, 2);

  document = read_builder (g_steal_pointer (&builder), NULL);
  g_assert_cmpuint (pd_escpos_document_get_n_items (document), ==, 5);

  item = item_at (document, 0, PD_ESCPOS_ITEM_CUT);
  g_assert_cmpint (item->cut.cut, ==, PD_ESCPOS_CUT_FULL);
  g_assert_false (item->cut.feed_to_cutter);
  /* A full cut after a feed is ESC d then GS V 0. */
  g_assert_cmpuint (item_at (document, 1, PD_ESCPOS_ITEM_NEWLINE)->newline.count, ==, 4);
  item = item_at (document, 2, PD_ESCPOS_ITEM_CUT);
  g_assert_cmpint (item->cut.cut, ==, PD_ESCPOS_CUT_FULL);
  item = item_at (document, 3, PD_ESCPOS_ITEM_CUT);
  g_assert_cmpint (item->cut.cut, ==, PD_ESCPOS_CUT_FEED_PARTIAL);
  g_assert_true (item->cut.feed_to_cutter);
  g_assert_cmpuint (item->cut.feed, ==, 3);
  /* No cutter: only the feed. */
  g_assert_cmpuint (item_at (document, 4, PD_ESCPOS_ITEM_NEWLINE)->newline.count, ==, 2);
}

static void
test_hand_written_esc_bang (void)
{
  static const guint8 job[] = {
    ESC, '!', 0x38, 'A', ESC, '!', 0x10, 'B', ESC, '!', 0x20, 'C',
    ESC, '!', 0x00, 'D', ESC, '!', 0x81, 'E', '\n',
  };
  g_autoptr(PdEscposDocument) document = read_hand (job, sizeof job);

  assert_text (document, 0, "A", TRUE, 2, 2, PD_ESCPOS_ALIGN_LEFT);
  assert_text (document, 1, "B", FALSE, 1, 2, PD_ESCPOS_ALIGN_LEFT);
  assert_text (document, 2, "C", FALSE, 2, 1, PD_ESCPOS_ALIGN_LEFT);
  assert_text (document, 3, "D", FALSE, 1, 1, PD_ESCPOS_ALIGN_LEFT);
  /* Font B and underline are not attributes kept here. */
  assert_text (document, 4, "E", FALSE, 1, 1, PD_ESCPOS_ALIGN_LEFT);
}

static void
test_hand_written_feeds (void)
{
  /* ESC d 2 on an empty line, ESC J by dots ending a line, ESC d 0 ending one, CR ignored,
   * a status request, ASB and ESC a 49 (the ASCII form) skipped or kept as modes. */
  static const guint8 job[] = {
    ESC, 'd', 2, 'A', ESC, 'J', 40, 'B', ESC, 'd', 0, ESC, 'J', 10,
    DLE, EOT, 4, GS, 'a', 0x0f, ESC, 'a', 49, 'C', '\r', '\n',
  };
  g_autoptr(PdEscposDocument) document = read_hand (job, sizeof job);
  g_autofree char *text = pd_escpos_document_dup_text (document);

  g_assert_cmpstr (text, ==, "\n\nA\nB\nC\n");
  g_assert_cmpuint (item_at (document, 0, PD_ESCPOS_ITEM_NEWLINE)->newline.count, ==, 2);
  g_assert_cmpuint (item_at (document, 2, PD_ESCPOS_ITEM_FEED)->feed.dots, ==, 40);
  g_assert_cmpuint (item_at (document, 4, PD_ESCPOS_ITEM_NEWLINE)->newline.count, ==, 0);
  g_assert_cmpuint (item_at (document, 5, PD_ESCPOS_ITEM_FEED)->feed.dots, ==, 10);
  assert_text (document, 6, "C", FALSE, 1, 1, PD_ESCPOS_ALIGN_CENTER);
  item_at (document, 7, PD_ESCPOS_ITEM_NEWLINE);
  g_assert_cmpuint (pd_escpos_document_get_n_items (document), ==, 8);
}

static void
test_hand_written_cuts (void)
{
  static const guint8 job[] = {
    GS, 'V', 1, GS, 'V', 49, GS, 'V', 48, GS, 'V', 65, 5,
  };
  g_autoptr(PdEscposDocument) document = read_hand (job, sizeof job);
  const PdEscposItem *item;

  g_assert_cmpuint (pd_escpos_document_count_items (document, PD_ESCPOS_ITEM_CUT), ==, 4);
  for (guint i = 0; i < 2; i++)
    {
      item = item_at (document, i, PD_ESCPOS_ITEM_CUT);
      g_assert_cmpint (item->cut.cut, ==, PD_ESCPOS_CUT_FEED_PARTIAL);
      g_assert_false (item->cut.feed_to_cutter);
    }
  item = item_at (document, 2, PD_ESCPOS_ITEM_CUT);
  g_assert_cmpint (item->cut.cut, ==, PD_ESCPOS_CUT_FULL);
  item = item_at (document, 3, PD_ESCPOS_ITEM_CUT);
  g_assert_cmpint (item->cut.cut, ==, PD_ESCPOS_CUT_FULL);
  g_assert_true (item->cut.feed_to_cutter);
  g_assert_cmpuint (item->cut.feed, ==, 5);
  g_assert_cmpuint (item->offset, ==, 9);
}

static void
test_hand_written_symbols (void)
{
  static const guint8 job[] = {
    /* A raster in quadruple mode (51), one byte by one dot. */
    GS, 'v', '0', 51, 1, 0, 1, 0, 0xa5,
    /* QR stored twice and printed twice: the last store counts; a store alone prints
     * nothing. Error correction H, module size 8, model 1. */
    GS, '(', 'k', 4, 0, 49, 80, 48, 'X',
    GS, '(', 'k', 5, 0, 49, 80, 48, 'Y', 0,
    GS, '(', 'k', 3, 0, 49, 69, 51,
    GS, '(', 'k', 3, 0, 49, 67, 8,
    GS, '(', 'k', 4, 0, 49, 65, 49, 0,
    GS, '(', 'k', 3, 0, 49, 81, 48,
    GS, '(', 'k', 3, 0, 49, 81, 48,
    GS, '(', 'k', 4, 0, 49, 80, 48, 'Z',
  };
  g_autoptr(PdEscposDocument) document = read_hand (job, sizeof job);
  const PdEscposItem *item;

  g_assert_cmpuint (pd_escpos_document_get_n_items (document), ==, 3);
  item = item_at (document, 0, PD_ESCPOS_ITEM_RASTER);
  g_assert_cmpuint (item->raster.mode, ==, 3);
  g_assert_cmpuint (item->raster.width, ==, 8);
  g_assert_cmphex (item->raster.bits[0], ==, 0xa5);

  for (guint i = 1; i < 3; i++)
    {
      item = item_at (document, i, PD_ESCPOS_ITEM_QR);
      /* The data holds a NUL: length tells. */
      g_assert_cmpuint (item->qr.length, ==, 2);
      g_assert_cmpmem (item->qr.data, 3, "Y\0\0", 3);
      g_assert_cmpuint (item->qr.error_correction, ==, 51);
      g_assert_cmpuint (item->qr.module_size, ==, 8);
      g_assert_cmpuint (item->qr.model, ==, 49);
    }
}

/* A job built call by call, with the offsets where a prefix of it may end. */
typedef struct {
  PdEscpos *builder;
  GArray *boundaries;
} StepJob;

static void
mark_boundary (StepJob *job,
               gsize    offset)
{
  g_array_append_val (job->boundaries, offset);
}

static void
test_truncated_prefixes (void)
{
  g_autoptr(PdPrinterProfile) profile = load_profile ("epson-tm-t88.conf");
  g_autoptr(GArray) boundaries = g_array_new (FALSE, FALSE, sizeof (gsize));
  StepJob job = { pd_escpos_new (), boundaries };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree gboolean *whole = NULL;
  static const guint8 image[] = { 0xf0, 0x0f, 0xaa, 0x55 };
  const char *payload = "PD-0042";
  const guint8 *data;
  gsize length, before;
  guint n_errors = 0;

  mark_boundary (&job, 0);
  pd_escpos_initialize (job.builder);
  mark_boundary (&job, pd_escpos_get_length (job.builder));
  pd_escpos_select_code_page (job.builder, PD_ESCPOS_CODE_PAGE_CP858, 19);
  mark_boundary (&job, pd_escpos_get_length (job.builder));
  pd_escpos_bold (job.builder, TRUE);
  mark_boundary (&job, pd_escpos_get_length (job.builder));
  pd_escpos_size (job.builder, 2, 2);
  mark_boundary (&job, pd_escpos_get_length (job.builder));
  pd_escpos_align (job.builder, PD_ESCPOS_ALIGN_CENTER);
  mark_boundary (&job, pd_escpos_get_length (job.builder));

  /* Text can end anywhere: one byte a character. */
  before = pd_escpos_get_length (job.builder);
  g_assert_true (pd_escpos_text (job.builder, "Total \u20ac 12.00\n", &error));
  g_assert_no_error (error);
  for (gsize i = before + 1; i <= pd_escpos_get_length (job.builder); i++)
    mark_boundary (&job, i);

  pd_escpos_feed (job.builder, 2);
  mark_boundary (&job, pd_escpos_get_length (job.builder));
  g_assert_true (pd_escpos_raster (job.builder, 16, 2, image, 2, &error));
  mark_boundary (&job, pd_escpos_get_length (job.builder));

  /* Five commands: model, module size, error correction, store, print. */
  before = pd_escpos_get_length (job.builder);
  g_assert_true (pd_escpos_qr (job.builder, payload, 4, &error));
  mark_boundary (&job, before + 9);
  mark_boundary (&job, before + 17);
  mark_boundary (&job, before + 25);
  mark_boundary (&job, before + 33 + strlen (payload));
  mark_boundary (&job, pd_escpos_get_length (job.builder));
  g_assert_cmpuint (pd_escpos_get_length (job.builder), ==, before + 41 + strlen (payload));

  /* ESC d 3 then GS V 0; then GS V 66 n. */
  before = pd_escpos_get_length (job.builder);
  pd_escpos_cut (job.builder, PD_ESCPOS_CUT_FULL, 3);
  mark_boundary (&job, before + 3);
  mark_boundary (&job, pd_escpos_get_length (job.builder));
  pd_escpos_cut (job.builder, PD_ESCPOS_CUT_FEED_PARTIAL, 5);
  mark_boundary (&job, pd_escpos_get_length (job.builder));

  bytes = pd_escpos_free_to_bytes (g_steal_pointer (&job.builder));
  data = g_bytes_get_data (bytes, &length);
  whole = g_new0 (gboolean, length + 1);
  for (guint i = 0; i < boundaries->len; i++)
    whole[g_array_index (boundaries, gsize, i)] = TRUE;
  g_assert_true (whole[length]);

  for (gsize prefix = 0; prefix <= length; prefix++)
    {
      g_autoptr(GError) prefix_error = NULL;
      g_autoptr(PdEscposDocument) document = read_exact (data, prefix, profile, &prefix_error);

      if (whole[prefix])
        {
          g_assert_no_error (prefix_error);
          g_assert_nonnull (document);
        }
      else
        {
          g_assert_null (document);
          g_assert_error (prefix_error, PD_ESCPOS_READER_ERROR,
                          PD_ESCPOS_READER_ERROR_TRUNCATED);
          n_errors++;
        }
    }
  g_assert_cmpuint (n_errors, >, 30);

  /* The whole job: everything in it came back. */
  {
    g_autoptr(PdEscposDocument) document = read_exact (data, length, profile, &error);
    g_auto(GStrv) payloads = NULL;
    g_autofree char *text = NULL;

    g_assert_no_error (error);
    payloads = pd_escpos_document_dup_qr_payloads (document);
    g_assert_cmpstrv (payloads, ((const char *const[]) { payload, NULL }));
    text = pd_escpos_document_dup_text (document);
    g_assert_cmpstr (text, ==, "Total \u20ac 12.00\n\n\n\n\n\n");
    g_assert_cmpuint (pd_escpos_document_count_items (document, PD_ESCPOS_ITEM_CUT), ==, 2);
  }
}

static void
test_error_code_page (void)
{
  g_autoptr(PdPrinterProfile) profile = load_profile ("epson-tm-t88.conf");
  static const guint8 job[] = { ESC, '@', ESC, 't', 17, 'a' };

  assert_read_error (job, sizeof job, NULL, PD_ESCPOS_READER_ERROR_BAD_CODE_PAGE, "byte 2");
  assert_read_error (job, sizeof job, profile, PD_ESCPOS_READER_ERROR_BAD_CODE_PAGE, "17");
}

static void
test_error_raster (void)
{
  /* Two bytes by three rows is six bytes; five follow. */
  static const guint8 short_raster[] = {
    'x', GS, 'v', '0', 0, 2, 0, 3, 0, 1, 2, 3, 4, 5,
  };
  /* 65535 by 65535 announced, four bytes given: refused before anything is allocated. */
  static const guint8 huge_raster[] = {
    GS, 'v', '0', 0, 0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4,
  };
  static const guint8 empty_raster[] = { GS, 'v', '0', 0, 0, 0, 1, 0 };
  static const guint8 bad_mode[] = { GS, 'v', '0', 4, 1, 0, 1, 0, 0 };

  assert_read_error (short_raster, sizeof short_raster, NULL, PD_ESCPOS_READER_ERROR_TRUNCATED,
                     "byte 1 needs 6 bytes");
  assert_read_error (huge_raster, sizeof huge_raster, NULL, PD_ESCPOS_READER_ERROR_TRUNCATED,
                     NULL);
  assert_read_error (empty_raster, sizeof empty_raster, NULL, PD_ESCPOS_READER_ERROR_INVALID,
                     NULL);
  assert_read_error (bad_mode, sizeof bad_mode, NULL, PD_ESCPOS_READER_ERROR_INVALID, NULL);
}

static void
test_error_unknown (void)
{
  static const struct {
    const char *bytes;
    gsize length;
    const char *in_message;
  } cases[] = {
    { "abc\x1bG\x01", 6, "1B 47 at byte 3" },        /* ESC G: double strike */
    { "\x1c.", 2, "1C at byte 0" },                  /* FS . */
    { "\x1dk\x04" "123\0", 7, "1D 6B" },             /* GS k: a barcode */
    { "\0", 1, "00 at byte 0" },
    { "\x0c", 1, "0C" },                             /* FF */
    { "\x1d(k\x03\x00\x30\x41\x00", 8, "1D 28 6B 03 00 30 41" }, /* PDF417 */
    { "\x1d(k\x03\x00\x31\x52\x30", 8, "1D 28 6B 03 00 31 52" }, /* QR size request */
    { "\x1d(L\x02\x00\x30\x45", 7, "1D 28 4C" },     /* graphics */
    { "\x1dv1", 3, "1D 76 31" },
    { "\x10\x14\x01\x00\x01", 5, "10 14" },          /* DLE DC4 */
    { "\x1b\0", 2, "1B 00" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_read_error ((const guint8 *) cases[i].bytes, cases[i].length, NULL,
                       PD_ESCPOS_READER_ERROR_UNKNOWN_COMMAND, cases[i].in_message);
}

static void
test_error_invalid (void)
{
  static const struct {
    const char *bytes;
    gsize length;
    const char *in_message;
  } cases[] = {
    { "\x1b" "a\x07", 3, "ESC a at byte 0" },
    { "ab\x1d!\x08", 5, "GS ! at byte 2" },
    { "\x1dV\x02", 3, "GS V" },
    { "\x1bt\x10" "a\x81", 5, "0x81 at byte 4 has no character in CP1252" },
    { "\x7f", 1, "0x7F at byte 0" },
    { "\x1d(k\x03\x00\x31\x51\x30", 8, "none was stored" },
    { "\x1d(k\x03\x00\x31\x43\x00", 8, "GS ( k 67" },     /* module size 0 */
    { "\x1d(k\x03\x00\x31\x45\x34", 8, "GS ( k 69" },     /* error correction 52 */
    { "\x1d(k\x03\x00\x31\x50\x30", 8, "GS ( k 80" },     /* store of nothing */
    { "\x1d(k\x01\x00\x31", 6, "GS ( k" },                /* shorter than cn fn */
    { "\x10\x04\x09", 3, "DLE EOT" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_read_error ((const guint8 *) cases[i].bytes, cases[i].length, NULL,
                       PD_ESCPOS_READER_ERROR_INVALID, cases[i].in_message);
}

static void
check_document (PdEscposDocument *document)
{
  g_autofree char *text = pd_escpos_document_dup_text (document);
  g_auto(GStrv) payloads = pd_escpos_document_dup_qr_payloads (document);
  guint n_pages = 0;

  g_assert_true (g_utf8_validate (text, -1, NULL));
  pd_escpos_document_get_code_pages (document, &n_pages);
  g_assert_cmpuint (n_pages, <=, 3);
  g_assert_cmpuint (g_strv_length (payloads), ==,
                    pd_escpos_document_count_items (document, PD_ESCPOS_ITEM_QR));

  for (guint i = 0; i < pd_escpos_document_get_n_items (document); i++)
    {
      const PdEscposItem *item = pd_escpos_document_get_item (document, i);

      g_assert_cmpuint (item->attributes.width, >=, 1);
      g_assert_cmpuint (item->attributes.width, <=, 8);
      g_assert_cmpuint (item->attributes.height, >=, 1);
      g_assert_cmpuint (item->attributes.height, <=, 8);
      g_assert_cmpuint (item->attributes.align, <=, PD_ESCPOS_ALIGN_RIGHT);
      if (item->kind == PD_ESCPOS_ITEM_RASTER)
        {
          gsize size = item->raster.stride * item->raster.height;
          gsize inked = 0;

          /* Every byte read: AddressSanitizer checks the allocation holds them. */
          for (gsize b = 0; b < size; b++)
            inked += item->raster.bits[b] != 0;
          g_assert_cmpuint (inked, <=, size);
          g_assert_cmpuint (item->raster.width, ==, item->raster.stride * 8);
        }
      if (item->kind == PD_ESCPOS_ITEM_QR)
        g_assert_cmpint (item->qr.data[item->qr.length], ==, '\0');
    }
}

static void
test_fuzz (void)
{
  /* Fragments of real commands, so that inputs get past the first byte. */
  static const struct {
    const char *bytes;
    gsize length;
  } tokens[] = {
    { "\x1b@", 2 }, { "\x1bt\x13", 3 }, { "\x1bt\x10", 3 }, { "\x1b" "E\x01", 3 },
    { "\x1b!\x38", 3 }, { "\x1b" "a\x01", 3 }, { "\x1b" "d\x02", 3 }, { "\x1bJ\x1e", 3 },
    { "\x1d!\x11", 3 }, { "\x1dV\x42\x03", 4 }, { "\x1dV\x00", 3 }, { "\x1d" "a\x0f", 3 },
    { "\x1dv0\x00\x01\x00\x02\x00", 8 }, { "\x1d(k\x04\x00\x31\x41\x32\x00", 9 },
    { "\x1d(k\x03\x00\x31\x43\x04", 8 }, { "\x1d(k\x03\x00\x31\x45\x31", 8 },
    { "\x1d(k\x06\x00\x31\x50\x30" "ABC", 11 }, { "\x1d(k\x03\x00\x31\x51\x30", 8 },
    { "\x10\x04\x01", 3 }, { "\n", 1 }, { "\r", 1 }, { "\t", 1 }, { "Hi there", 8 },
    { "\xd5\x80\xe9", 3 }, { "\x1b", 1 }, { "\x1d", 1 }, { "\x1d(k", 3 }, { "\xff\xff", 2 },
  };
  g_autoptr(PdPrinterProfile) profile = load_profile ("epson-tm-t88.conf");
  g_autoptr(GRand) rand = g_rand_new_with_seed (0x5eed);
  g_autoptr(GByteArray) input = g_byte_array_new ();
  guint n_read = 0, n_rendered = 0;

  for (guint round = 0; round < 4000; round++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PdEscposDocument) document = NULL;
      guint n_tokens = (guint) g_rand_int_range (rand, 0, 12);

      g_byte_array_set_size (input, 0);
      if (round % 4 == 0)
        {
          /* Pure noise. */
          guint size = (guint) g_rand_int_range (rand, 0, 64);

          for (guint i = 0; i < size; i++)
            {
              guint8 byte = (guint8) g_rand_int_range (rand, 0, 256);

              g_byte_array_append (input, &byte, 1);
            }
        }
      else
        {
          for (guint i = 0; i < n_tokens; i++)
            {
              guint t = (guint) g_rand_int_range (rand, 0, G_N_ELEMENTS (tokens));

              g_byte_array_append (input, (const guint8 *) tokens[t].bytes,
                                   (guint) tokens[t].length);
            }
          /* Then a few bytes changed: lengths, parameters, commands. */
          if (input->len > 0 && round % 3 != 0)
            for (guint i = g_rand_int_range (rand, 1, 4); i > 0; i--)
              input->data[g_rand_int_range (rand, 0, (gint32) input->len)] =
                (guint8) g_rand_int_range (rand, 0, 256);
        }

      document = read_exact (input->data, input->len, round % 2 == 0 ? profile : NULL, &error);
      if (document == NULL)
        {
          g_assert_nonnull (error);
          g_assert_true (error->domain == PD_ESCPOS_READER_ERROR);
          g_assert_nonnull (strstr (error->message, " at byte "));
          continue;
        }
      g_assert_no_error (error);
      n_read++;
      check_document (document);

      /* Drawing hostile documents too: either a PNG or an error, never a crash. */
      if (round % 5 == 0)
        {
          g_autoptr(GBytes) png = pd_escpos_render_png (document, 384, &error);

          g_assert_true ((png != NULL) != (error != NULL));
          n_rendered += png != NULL;
        }
    }

  g_test_message ("%u of 4000 inputs read, %u drawn", n_read, n_rendered);
  /* The mix must reach past the first commands, or the fuzz proves little. */
  g_assert_cmpuint (n_read, >, 400);
  g_assert_cmpuint (n_rendered, >, 50);
}

/* The rendered receipt, read back from its PNG. */
typedef struct {
  cairo_surface_t *surface;
  int width;
  int height;
} Paper;

typedef struct {
  const guint8 *data;
  gsize length;
  gsize offset;
} PngReader;

static cairo_status_t
read_png (void          *closure,
          unsigned char *data,
          unsigned int   length)
{
  PngReader *reader = closure;

  if (length > reader->length - reader->offset)
    return CAIRO_STATUS_READ_ERROR;
  memcpy (data, reader->data + reader->offset, length);
  reader->offset += length;
  return CAIRO_STATUS_SUCCESS;
}

static void
paper_load (Paper  *paper,
            GBytes *png)
{
  PngReader reader = { 0 };

  reader.data = g_bytes_get_data (png, &reader.length);
  g_assert_cmpmem (reader.data, 8, "\x89PNG\r\n\x1a\n", 8);
  paper->surface = cairo_image_surface_create_from_png_stream (read_png, &reader);
  g_assert_cmpint (cairo_surface_status (paper->surface), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_format (paper->surface), ==, CAIRO_FORMAT_RGB24);
  paper->width = cairo_image_surface_get_width (paper->surface);
  paper->height = cairo_image_surface_get_height (paper->surface);
}

static void
paper_clear (Paper *paper)
{
  g_clear_pointer (&paper->surface, cairo_surface_destroy);
}

static gboolean
paper_is_black (const Paper *paper,
                int          x,
                int          y)
{
  const guint8 *data = cairo_image_surface_get_data (paper->surface);
  const guint8 *row = data + (gsize) y * cairo_image_surface_get_stride (paper->surface);
  guint32 pixel;

  memcpy (&pixel, row + 4 * x, 4);
  pixel &= 0xffffff;
  /* A thermal printer makes no grey. */
  g_assert_true (pixel == 0 || pixel == 0xffffff);
  return pixel == 0;
}

/* Rows with ink, from first to last: a band of print. */
typedef struct {
  int top;
  int bottom; /* exclusive */
  int left;
  int right;  /* exclusive */
} Band;

static GArray *
paper_bands (const Paper *paper)
{
  GArray *bands = g_array_new (FALSE, FALSE, sizeof (Band));
  Band band = { -1, -1, G_MAXINT, -1 };

  for (int y = 0; y <= paper->height; y++)
    {
      int left = G_MAXINT, right = -1;

      for (int x = 0; y < paper->height && x < paper->width; x++)
        if (paper_is_black (paper, x, y))
          {
            left = MIN (left, x);
            right = x + 1;
          }

      if (right >= 0)
        {
          if (band.top < 0)
            band.top = y;
          band.left = MIN (band.left, left);
          band.right = MAX (band.right, right);
        }
      else if (band.top >= 0)
        {
          band.bottom = y;
          g_array_append_val (bands, band);
          band = (Band) { -1, -1, G_MAXINT, -1 };
        }
    }
  return bands;
}

static GBytes *
render (PdEscpos *builder,
        guint     paper_width)
{
  g_autoptr(PdEscposDocument) document = read_builder (builder, NULL);
  g_autoptr(GError) error = NULL;
  GBytes *png = pd_escpos_render_png (document, paper_width, &error);

  g_assert_no_error (error);
  g_assert_nonnull (png);
  return png;
}

static char *
scan_qr (const Paper *paper)
{
  zbar_image_scanner_t *scanner = zbar_image_scanner_create ();
  zbar_image_t *image = zbar_image_create ();
  g_autofree guint8 *gray = g_malloc ((gsize) paper->width * paper->height);
  const zbar_symbol_t *symbol;
  char *found = NULL;

  for (int y = 0; y < paper->height; y++)
    for (int x = 0; x < paper->width; x++)
      gray[(gsize) y * paper->width + x] = paper_is_black (paper, x, y) ? 0 : 255;

  zbar_image_scanner_set_config (scanner, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
  zbar_image_set_format (image, zbar_fourcc ('Y', '8', '0', '0'));
  zbar_image_set_size (image, (unsigned) paper->width, (unsigned) paper->height);
  zbar_image_set_data (image, gray, (unsigned long) paper->width * paper->height, NULL);
  g_assert_cmpint (zbar_scan_image (scanner, image), >, 0);

  for (symbol = zbar_image_first_symbol (image); symbol != NULL;
       symbol = zbar_symbol_next (symbol))
    if (zbar_symbol_get_type (symbol) == ZBAR_QRCODE)
      {
        g_assert_null (found);
        found = g_strdup (zbar_symbol_get_data (symbol));
      }

  zbar_image_destroy (image);
  zbar_image_scanner_destroy (scanner);
  return found;
}

static void
test_render_receipt (void)
{
  g_autoptr(PdEscpos) builder = pd_escpos_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GArray) bands = NULL;
  g_autofree guint8 *block = g_malloc (16 * 32);
  g_autofree char *scanned = NULL;
  const char *payload = "https://pay.example/r/PD-2026-0042";
  Paper paper = { 0 };
  const Band *band;

  memset (block, 0xff, 16 * 32);
  pd_escpos_initialize (builder);
  g_assert_true (pd_escpos_text (builder, "Hi there\n", &error));
  pd_escpos_align (builder, PD_ESCPOS_ALIGN_RIGHT);
  g_assert_true (pd_escpos_text (builder, "Total 12.00\n", &error));
  pd_escpos_align (builder, PD_ESCPOS_ALIGN_CENTER);
  g_assert_true (pd_escpos_raster (builder, 128, 32, block, 16, &error));
  g_assert_true (pd_escpos_qr (builder, payload, 4, &error));
  pd_escpos_cut (builder, PD_ESCPOS_CUT_FEED_PARTIAL, 3);
  g_assert_no_error (error);

  png = render (g_steal_pointer (&builder), PAPER_WIDTH);
  paper_load (&paper, png);
  g_assert_cmpint (paper.width, ==, PAPER_WIDTH);
  /* Margins, two lines of 30, 32 of raster, a symbol of at least 21 modules plus quiet zones
   * of 4 at 4 dots a module, the cut: more than 250, and not wildly more. */
  g_assert_cmpint (paper.height, >, 250);
  g_assert_cmpint (paper.height, <, 600);

  bands = paper_bands (&paper);
  g_assert_cmpuint (bands->len, >=, 5);

  /* The short left-aligned line: ink, all of it in the left half. */
  band = &g_array_index (bands, Band, 0);
  g_assert_cmpint (band->top, <, 16 + 24);
  g_assert_cmpint (band->bottom - band->top, >=, 12);
  g_assert_cmpint (band->bottom - band->top, <=, 24);
  g_assert_cmpint (band->left, <, 12);
  g_assert_cmpint (band->right, <=, 8 * 12);

  /* The right-aligned one: 11 cells against the right edge. */
  band = &g_array_index (bands, Band, 1);
  g_assert_cmpint (band->left, >=, PAPER_WIDTH - 11 * 12);
  g_assert_cmpint (band->right, >, PAPER_WIDTH - 12);

  /* The raster, dot for pixel, centred. */
  band = &g_array_index (bands, Band, 2);
  g_assert_cmpint (band->bottom - band->top, ==, 32);
  g_assert_cmpint (band->left, ==, (PAPER_WIDTH - 128) / 2);
  g_assert_cmpint (band->right, ==, (PAPER_WIDTH + 128) / 2);

  /* The partial cut: a dashed line across, two dots thick, the middle left holding. */
  band = &g_array_index (bands, Band, bands->len - 1);
  g_assert_cmpint (band->bottom - band->top, ==, 2);
  g_assert_cmpint (band->left, ==, 0);
  g_assert_cmpint (band->right, >, PAPER_WIDTH - 16);
  g_assert_false (paper_is_black (&paper, PAPER_WIDTH / 2, band->top));
  g_assert_cmpint (paper.height - band->bottom, >, 8);

  scanned = scan_qr (&paper);
  g_assert_cmpstr (scanned, ==, payload);
  paper_clear (&paper);
}

/* The ink of a one-line job: its band. */
static Band
render_line (guint       width,
             guint       height,
             const char *text,
             guint       paper_width)
{
  g_autoptr(PdEscpos) builder = pd_escpos_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GArray) bands = NULL;
  Paper paper = { 0 };
  Band band;

  pd_escpos_size (builder, width, height);
  g_assert_true (pd_escpos_text (builder, text, &error));
  g_assert_no_error (error);
  png = render (g_steal_pointer (&builder), paper_width);
  paper_load (&paper, png);
  bands = paper_bands (&paper);
  g_assert_cmpuint (bands->len, ==, 1);
  band = g_array_index (bands, Band, 0);
  paper_clear (&paper);
  return band;
}

static void
test_render_magnification (void)
{
  Band normal = render_line (1, 1, "WIDE\n", PAPER_WIDTH);
  Band wide = render_line (2, 1, "WIDE\n", PAPER_WIDTH);
  Band tall = render_line (1, 2, "WIDE\n", PAPER_WIDTH);
  int normal_width = normal.right - normal.left;
  int normal_height = normal.bottom - normal.top;

  g_assert_cmpint (normal_width, >, 30);
  g_assert_cmpint (wide.right - wide.left, >, normal_width * 18 / 10);
  g_assert_cmpint (wide.bottom - wide.top, <=, normal_height + 1);
  g_assert_cmpint (tall.bottom - tall.top, >, normal_height * 18 / 10);
  g_assert_cmpint (tall.right - tall.left, <=, normal_width + 1);

  /* One glyph, so that wider cells alone cannot pass for a wider character. */
  normal = render_line (1, 1, "H\n", PAPER_WIDTH);
  wide = render_line (2, 1, "H\n", PAPER_WIDTH);
  g_test_message ("H: %d dots of ink at 1x, %d at 2x", normal.right - normal.left,
                  wide.right - wide.left);
  g_assert_cmpint (wide.right - wide.left, >, (normal.right - normal.left) * 3 / 2);
}

static void
test_render_wrap (void)
{
  g_autoptr(PdEscpos) builder = pd_escpos_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GArray) bands = NULL;
  g_autofree char *line = g_strnfill (50, 'X');
  Paper paper = { 0 };
  const Band *first, *second;

  /* 50 characters on paper of 42 columns: 42, then 8 on the next line. */
  g_assert_true (pd_escpos_text (builder, line, &error));
  g_assert_true (pd_escpos_text (builder, "\n", &error));
  g_assert_no_error (error);
  png = render (g_steal_pointer (&builder), 42 * 12 + 4);
  paper_load (&paper, png);
  bands = paper_bands (&paper);
  g_assert_cmpuint (bands->len, ==, 2);
  first = &g_array_index (bands, Band, 0);
  second = &g_array_index (bands, Band, 1);
  g_assert_cmpint (first->right, >, 41 * 12);
  g_assert_cmpint (first->right, <=, 42 * 12);
  g_assert_cmpint (second->right, >, 7 * 12);
  g_assert_cmpint (second->right, <=, 8 * 12);
  g_assert_cmpint (second->top - first->top, ==, 30);
  paper_clear (&paper);
}

static void
test_render_file (void)
{
  g_autoptr(PdEscpos) builder = pd_escpos_new ();
  g_autoptr(PdEscposDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = pd_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "receipt.png", NULL);
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (pd_escpos_text (builder, "Paid\n", &error));
  document = read_builder (g_steal_pointer (&builder), NULL);
  g_assert_true (pd_escpos_render_png_file (document, PAPER_WIDTH, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_cmpuint (length, >, 8);
  g_assert_cmpmem (contents, 8, "\x89PNG\r\n\x1a\n", 8);
  pd_test_remove_tree (dir);
}

static void
test_render_qr_too_wide (void)
{
  g_autoptr(PdEscpos) builder = pd_escpos_new ();
  g_autoptr(PdEscposDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = NULL;

  /* At least 21 modules of 16 dots: more than paper of 200. */
  g_assert_true (pd_escpos_qr (builder, "x", 16, &error));
  document = read_builder (g_steal_pointer (&builder), NULL);
  png = pd_escpos_render_png (document, 200, &error);
  g_assert_null (png);
  g_assert_error (error, PD_ESCPOS_RENDER_ERROR, PD_ESCPOS_RENDER_ERROR_TOO_LARGE);
}

int
main (int    argc,
      char **argv)
{
  pd_test_init (&argc, &argv);

  g_test_add_func ("/escpos-reader/decode", test_decode);
  g_test_add_func ("/escpos-reader/round-trip/code-pages", test_round_trip_code_pages);
  g_test_add_func ("/escpos-reader/round-trip/profile-numbers", test_round_trip_profile_numbers);
  g_test_add_func ("/escpos-reader/round-trip/attributes", test_round_trip_attributes);
  g_test_add_func ("/escpos-reader/round-trip/feed", test_round_trip_feed);
  g_test_add_func ("/escpos-reader/round-trip/raster", test_round_trip_raster);
  g_test_add_func ("/escpos-reader/round-trip/qr", test_round_trip_qr);
  g_test_add_func ("/escpos-reader/round-trip/cut", test_round_trip_cut);
  g_test_add_func ("/escpos-reader/hand-written/esc-bang", test_hand_written_esc_bang);
  g_test_add_func ("/escpos-reader/hand-written/feeds", test_hand_written_feeds);
  g_test_add_func ("/escpos-reader/hand-written/cuts", test_hand_written_cuts);
  g_test_add_func ("/escpos-reader/hand-written/symbols", test_hand_written_symbols);
  g_test_add_func ("/escpos-reader/error/truncated-prefixes", test_truncated_prefixes);
  g_test_add_func ("/escpos-reader/error/code-page", test_error_code_page);
  g_test_add_func ("/escpos-reader/error/raster", test_error_raster);
  g_test_add_func ("/escpos-reader/error/unknown", test_error_unknown);
  g_test_add_func ("/escpos-reader/error/invalid", test_error_invalid);
  g_test_add_func ("/escpos-reader/fuzz", test_fuzz);
  g_test_add_func ("/escpos-render/receipt", test_render_receipt);
  g_test_add_func ("/escpos-render/magnification", test_render_magnification);
  g_test_add_func ("/escpos-render/wrap", test_render_wrap);
  g_test_add_func ("/escpos-render/file", test_render_file);
  g_test_add_func ("/escpos-render/qr-too-wide", test_render_qr_too_wide);

  return g_test_run ();
}
