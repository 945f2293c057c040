/* The ESC/POS command builder: exact bytes, no printer. */
#include "pd-test-common.h"

#include "pd-escpos.h"

static GBytes *
encode (PdEscposCodePage page,
        const char      *utf8,
        GArray          *unsupported,
        gboolean        *all_fit)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();

  *all_fit = pd_escpos_encode (page, utf8, out, unsupported);
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static void
assert_encodes (PdEscposCodePage  page,
                const char       *utf8,
                const guint8     *expected,
                gsize             length)
{
  gboolean all_fit;
  g_autoptr(GBytes) bytes = encode (page, utf8, NULL, &all_fit);

  g_assert_true (all_fit);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), expected, length);
}

static void
test_encode_cp437 (void)
{
  /* é ñ £ ü ½ and a box-drawing line. */
  assert_encodes (PD_ESCPOS_CODE_PAGE_CP437, "Caf\u00e9 a\u00f1o \u00a35 \u00fc\u00bd\u2500\n",
                  (const guint8 *) "Caf\x82 a\xa4o \x9c" "5 \x81\xab\xc4\n", 16);
}

static void
test_encode_cp858 (void)
{
  /* The euro sign is 0xd5 on CP858 (the dotless i of CP850); ø and Ø differ from CP437. */
  assert_encodes (PD_ESCPOS_CODE_PAGE_CP858, "\u20ac3 \u00e9\u00f1\u00a3\u00f8\u00d8",
                  (const guint8 *) "\xd5" "3 \x82\xa4\x9c\x9b\x9d", 8);
}

static void
test_encode_cp1252 (void)
{
  /* Latin-1 from 0xa0 on, the euro and typographic quotes in 0x80 to 0x9f. */
  assert_encodes (PD_ESCPOS_CODE_PAGE_CP1252, "\u20ac \u00e9\u00f1\u00a3 \u201cOK\u201d \u0153",
                  (const guint8 *) "\x80 \xe9\xf1\xa3 \x93OK\x94 \x9c", 12);
}

static void
test_encode_unsupported (void)
{
  g_autoptr(GArray) unsupported = g_array_new (FALSE, FALSE, sizeof (gunichar));
  gboolean all_fit;
  g_autoptr(GBytes) bytes = NULL;

  /* No euro in CP437; Chinese and an escape byte nowhere. */
  bytes = encode (PD_ESCPOS_CODE_PAGE_CP437, "\u20ac1 \u4e2d\x1b", unsupported, &all_fit);
  g_assert_false (all_fit);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "?1 ??", 5);
  g_assert_cmpuint (unsupported->len, ==, 3);
  g_assert_cmphex (g_array_index (unsupported, gunichar, 0), ==, 0x20ac);
  g_assert_cmphex (g_array_index (unsupported, gunichar, 1), ==, 0x4e2d);
  g_assert_cmphex (g_array_index (unsupported, gunichar, 2), ==, 0x1b);
}

static void
test_text_refuses_unencodable (void)
{
  g_autoptr(PdEscpos) builder = pd_escpos_new ();
  g_autoptr(GError) error = NULL;

  pd_escpos_select_code_page (builder, PD_ESCPOS_CODE_PAGE_CP1252, 16);
  g_assert_false (pd_escpos_text (builder, "\u0986\u09be", &error));
  g_assert_error (error, PD_ESCPOS_ERROR, PD_ESCPOS_ERROR_UNENCODABLE);
  g_assert_nonnull (strstr (error->message, "U+0986"));
  /* Nothing half-written: ESC t 16 only. */
  g_assert_cmpuint (pd_escpos_get_length (builder), ==, 3);
}

static void
test_commands (void)
{
  g_autoptr(PdEscpos) builder = pd_escpos_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  static const guint8 expected[] = {
    0x1b, '@', 0x1b, 't', 19, 0x1b, 'a', 1, 0x1b, 'E', 1, 0x1d, '!', 0x11,
    'T', 'o', 't', 'a', 'l', ' ', 0xd5, '\n',
    0x1b, 'd', 2, 0x1d, 'V', 66, 3, 0x1d, 'V', 0,
  };

  pd_escpos_initialize (builder);
  pd_escpos_select_code_page (builder, PD_ESCPOS_CODE_PAGE_CP858, 19);
  pd_escpos_align (builder, PD_ESCPOS_ALIGN_CENTER);
  pd_escpos_bold (builder, TRUE);
  pd_escpos_size (builder, 2, 2);
  g_assert_true (pd_escpos_text (builder, "Total \u20ac\n", &error));
  g_assert_no_error (error);
  pd_escpos_feed (builder, 2);
  pd_escpos_cut (builder, PD_ESCPOS_CUT_FEED_PARTIAL, 3);
  pd_escpos_cut (builder, PD_ESCPOS_CUT_FULL, 0);
  bytes = pd_escpos_free_to_bytes (g_steal_pointer (&builder));
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                   expected, sizeof expected);
}

static void
test_raster (void)
{
  g_autoptr(PdEscpos) builder = pd_escpos_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  /* 10 dots wide (2 bytes a row, stride 3), 2 rows; the dots past 10 must be cleared. */
  static const guint8 image[] = { 0xff, 0xff, 0xee, 0x80, 0x7f, 0xee };
  static const guint8 expected[] = {
    0x1d, 'v', '0', 0, 2, 0, 2, 0,
    0xff, 0xc0, 0x80, 0x40,
  };

  g_assert_true (pd_escpos_raster (builder, 10, 2, image, 3, &error));
  g_assert_no_error (error);
  bytes = pd_escpos_free_to_bytes (g_steal_pointer (&builder));
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                   expected, sizeof expected);
}

static void
test_raster_too_large (void)
{
  g_autoptr(PdEscpos) builder = pd_escpos_new ();
  g_autoptr(GError) error = NULL;
  static const guint8 row[1] = { 0 };

  g_assert_false (pd_escpos_raster (builder, 8, 0x10000, row, 1, &error));
  g_assert_error (error, PD_ESCPOS_ERROR, PD_ESCPOS_ERROR_TOO_LARGE);
  g_assert_cmpuint (pd_escpos_get_length (builder), ==, 0);
}

static void
test_qr (void)
{
  g_autoptr(PdEscpos) builder = pd_escpos_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  static const guint8 expected[] = {
    0x1d, '(', 'k', 4, 0, 49, 65, 50, 0,      /* model 2 */
    0x1d, '(', 'k', 3, 0, 49, 67, 6,          /* module size 6 */
    0x1d, '(', 'k', 3, 0, 49, 69, 49,         /* error correction M */
    0x1d, '(', 'k', 6, 0, 49, 80, 48, 'A', 'B', 'C', /* store */
    0x1d, '(', 'k', 3, 0, 49, 81, 48,         /* print */
  };

  g_assert_true (pd_escpos_qr (builder, "ABC", 6, &error));
  g_assert_no_error (error);
  bytes = pd_escpos_free_to_bytes (g_steal_pointer (&builder));
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                   expected, sizeof expected);

  /* Byte mode at level M holds 2331 bytes; one more would print nothing. */
  {
    g_autoptr(PdEscpos) sized = pd_escpos_new ();
    g_autofree char *largest = g_strnfill (2331, 'Q');
    g_autofree char *too_large = g_strnfill (2332, 'Q');

    g_assert_true (pd_escpos_qr (sized, largest, 4, &error));
    g_assert_no_error (error);
    g_assert_false (pd_escpos_qr (sized, too_large, 4, &error));
    g_assert_nonnull (error);
  }
}

static void
test_status_parsing (void)
{
  static const struct {
    PdEscposStatusKind kind;
    guint8 answer;
    gboolean valid;
    PdDeviceHealth health;
  } cases[] = {
    { PD_ESCPOS_STATUS_PRINTER, 0x12, TRUE, 0 },
    { PD_ESCPOS_STATUS_PRINTER, 0x16, TRUE, 0 },        /* drawer pin: not ours */
    { PD_ESCPOS_STATUS_PRINTER, 0x1a, TRUE, PD_DEVICE_HEALTH_OFFLINE },
    { PD_ESCPOS_STATUS_OFFLINE_CAUSE, 0x12, TRUE, 0 },
    { PD_ESCPOS_STATUS_OFFLINE_CAUSE, 0x16, TRUE, PD_DEVICE_HEALTH_COVER_OPEN },
    { PD_ESCPOS_STATUS_OFFLINE_CAUSE, 0x32, TRUE, PD_DEVICE_HEALTH_PAPER_OUT },
    { PD_ESCPOS_STATUS_OFFLINE_CAUSE, 0x52, TRUE, PD_DEVICE_HEALTH_ERROR },
    { PD_ESCPOS_STATUS_PAPER, 0x12, TRUE, 0 },
    { PD_ESCPOS_STATUS_PAPER, 0x1e, TRUE, PD_DEVICE_HEALTH_PAPER_LOW },
    { PD_ESCPOS_STATUS_PAPER, 0x72, TRUE, PD_DEVICE_HEALTH_PAPER_OUT },
    { PD_ESCPOS_STATUS_PAPER, 0x7e, TRUE, PD_DEVICE_HEALTH_PAPER_LOW | PD_DEVICE_HEALTH_PAPER_OUT },
    /* Fixed bits wrong: never trusted. */
    { PD_ESCPOS_STATUS_PRINTER, 0x00, FALSE, 0 },
    { PD_ESCPOS_STATUS_PAPER, 0x10, FALSE, 0 },
    { PD_ESCPOS_STATUS_PAPER, 0x13, FALSE, 0 },
    { PD_ESCPOS_STATUS_OFFLINE_CAUSE, 0x92, FALSE, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      PdDeviceHealth health = PD_DEVICE_HEALTH_READY;

      g_test_message ("DLE EOT %d answer %02x", cases[i].kind, cases[i].answer);
      g_assert_cmpint (pd_escpos_parse_status (cases[i].kind, cases[i].answer, &health), ==,
                       cases[i].valid);
      if (cases[i].valid)
        g_assert_cmpint (health, ==, cases[i].health);
      else
        g_assert_cmpint (health, ==, PD_DEVICE_HEALTH_READY);
    }
}

static void
test_status_request (void)
{
  guint8 request[3];

  pd_escpos_status_request (PD_ESCPOS_STATUS_PAPER, request);
  g_assert_cmpmem (request, 3, "\x10\x04\x04", 3);
}

static void
test_asb_parsing (void)
{
  static const guint8 fine[] = { 0x10, 0x00, 0x00, 0x00 };
  static const guint8 cover_paper_out[] = { 0x38, 0x00, 0x0f, 0x00 };
  static const guint8 cutter_error[] = { 0x10, 0x08, 0x00, 0x00 };
  static const guint8 not_asb[] = { 0x12, 0x00, 0x00, 0x00 };
  PdDeviceHealth health = 0;

  g_assert_true (pd_escpos_parse_asb (fine, 4, &health));
  g_assert_cmpint (health, ==, 0);
  g_assert_true (pd_escpos_parse_asb (cover_paper_out, 4, &health));
  g_assert_cmpint (health, ==, PD_DEVICE_HEALTH_OFFLINE | PD_DEVICE_HEALTH_COVER_OPEN |
                                PD_DEVICE_HEALTH_PAPER_LOW | PD_DEVICE_HEALTH_PAPER_OUT);
  g_assert_true (pd_escpos_parse_asb (cutter_error, 4, &health));
  g_assert_cmpint (health, ==, PD_DEVICE_HEALTH_ERROR);
  g_assert_false (pd_escpos_parse_asb (not_asb, 4, &health));
  g_assert_false (pd_escpos_parse_asb (fine, 3, &health));
}

static void
test_automatic_status (void)
{
  guint8 request[3];

  pd_escpos_automatic_status (PD_ESCPOS_ASB_ONLINE | PD_ESCPOS_ASB_ERROR |
                              PD_ESCPOS_ASB_ROLL_PAPER, request);
  g_assert_cmpmem (request, 3, "\x1d\x61\x0e", 3);
  pd_escpos_automatic_status (0, request);
  g_assert_cmpmem (request, 3, "\x1d\x61\x00", 3);
}

/* A driver reading a DLE EOT answer and automatic status back messages from one transfer
 * tells them apart byte by byte: no answer byte can start a message or be inside one. */
static void
test_asb_not_status (void)
{
  static const PdEscposStatusKind kinds[] = {
    PD_ESCPOS_STATUS_PRINTER, PD_ESCPOS_STATUS_OFFLINE_CAUSE, PD_ESCPOS_STATUS_PAPER,
  };

  for (guint byte = 0; byte < 0x100; byte++)
    for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
      {
        const guint8 as_first[] = { byte, 0x00, 0x00, 0x00 };
        const guint8 as_other[] = { 0x10, byte, 0x00, 0x00 };
        PdDeviceHealth health;

        if (!pd_escpos_parse_status (kinds[i], (guint8) byte, &health))
          continue;
        g_assert_false (pd_escpos_parse_asb (as_first, sizeof as_first, &health));
        g_assert_false (pd_escpos_parse_asb (as_other, sizeof as_other, &health));
      }
}

int
main (int    argc,
      char **argv)
{
  pd_test_init (&argc, &argv);

  g_test_add_func ("/escpos/encode/cp437", test_encode_cp437);
  g_test_add_func ("/escpos/encode/cp858", test_encode_cp858);
  g_test_add_func ("/escpos/encode/cp1252", test_encode_cp1252);
  g_test_add_func ("/escpos/encode/unsupported", test_encode_unsupported);
  g_test_add_func ("/escpos/text/refuses-unencodable", test_text_refuses_unencodable);
  g_test_add_func ("/escpos/commands", test_commands);
  g_test_add_func ("/escpos/raster", test_raster);
  g_test_add_func ("/escpos/raster/too-large", test_raster_too_large);
  g_test_add_func ("/escpos/qr", test_qr);
  g_test_add_func ("/escpos/status/parsing", test_status_parsing);
  g_test_add_func ("/escpos/status/request", test_status_request);
  g_test_add_func ("/escpos/asb/parsing", test_asb_parsing);
  g_test_add_func ("/escpos/asb/request", test_automatic_status);
  g_test_add_func ("/escpos/asb/not-status", test_asb_not_status);

  return g_test_run ();
}
