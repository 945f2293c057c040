#include <string.h>

#include "pd-hex.h"
#include "pd-test-common.h"

/* What a refused decode must leave in the caller's buffer and length. */
#define UNTOUCHED 0xee
#define UNTOUCHED_LENGTH 99

static void
assert_untouched (const guint8 *out,
                  gsize         out_size,
                  gsize         length)
{
  for (gsize i = 0; i < out_size; i++)
    g_assert_cmphex (out[i], ==, UNTOUCHED);
  g_assert_cmpuint (length, ==, UNTOUCHED_LENGTH);
}

static void
test_encode (void)
{
  static const guint8 bytes[] = { 0x00, 0x01, 0x7f, 0x80, 0xab, 0xcd, 0xef, 0xff };
  g_autofree char *hex = pd_hex_encode (bytes, sizeof bytes);
  g_autofree char *one = pd_hex_encode (bytes + 4, 1);

  g_assert_cmpstr (hex, ==, "00017F80ABCDEFFF");
  g_assert_cmpstr (one, ==, "AB");
}

static void
test_encode_empty (void)
{
  static const guint8 bytes[] = { 0x12 };
  g_autofree char *from_null = pd_hex_encode (NULL, 0);
  g_autofree char *from_bytes = pd_hex_encode (bytes, 0);

  g_assert_cmpstr (from_null, ==, "");
  g_assert_cmpstr (from_bytes, ==, "");
}

static void
test_decode_either_case (void)
{
  static const guint8 expected[] = { 0x00, 0x01, 0x7f, 0x80, 0xab, 0xcd, 0xef, 0xff };
  static const char * const texts[] = {
    "00017F80ABCDEFFF", "00017f80abcdefff", "00017F80aBcDeFfF",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      guint8 out[sizeof expected + 2];
      gsize length = UNTOUCHED_LENGTH;

      g_test_message ("decoding “%s”", texts[i]);
      memset (out, UNTOUCHED, sizeof out);
      g_assert_true (pd_hex_decode (texts[i], out, sizeof out, &length));
      g_assert_cmpmem (out, length, expected, sizeof expected);
      /* Nothing written past the decoded bytes. */
      g_assert_cmphex (out[sizeof expected], ==, UNTOUCHED);
      g_assert_cmphex (out[sizeof expected + 1], ==, UNTOUCHED);
    }
}

/* Every byte value, encoded and decoded back. */
static void
test_round_trip (void)
{
  guint8 bytes[256];
  guint8 back[256];
  g_autofree char *hex = NULL;
  gsize length = 0;

  for (guint i = 0; i < 256; i++)
    bytes[i] = (guint8) i;
  hex = pd_hex_encode (bytes, sizeof bytes);
  g_assert_cmpuint (strlen (hex), ==, 512);
  g_assert_true (pd_hex_decode (hex, back, sizeof back, &length));
  g_assert_cmpmem (back, length, bytes, sizeof bytes);
}

static void
test_decode_odd_length (void)
{
  static const char * const texts[] = { "A", "ABC", "0102030" };

  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      guint8 out[8];
      gsize length = UNTOUCHED_LENGTH;

      g_test_message ("decoding “%s”", texts[i]);
      memset (out, UNTOUCHED, sizeof out);
      g_assert_false (pd_hex_decode (texts[i], out, sizeof out, &length));
      assert_untouched (out, sizeof out, length);
      g_assert_null (pd_hex_decode_bytes (texts[i]));
    }
}

static void
test_decode_not_hex (void)
{
  /* A stray character anywhere, in the first or the last byte too; a prefix, a separator,
   * a sign, a letter past F, and a non-ASCII character (two bytes of UTF-8). */
  static const char * const texts[] = {
    "G0", "0G", "01020g", "0x12", "12 34", "12:34", "+1", "-1", "1\n", "AZ", "\xc3\xa9",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      guint8 out[8];
      gsize length = UNTOUCHED_LENGTH;

      g_test_message ("decoding “%s”", texts[i]);
      memset (out, UNTOUCHED, sizeof out);
      g_assert_false (pd_hex_decode (texts[i], out, sizeof out, &length));
      assert_untouched (out, sizeof out, length);
      g_assert_null (pd_hex_decode_bytes (texts[i]));
    }
}

static void
test_decode_overflow (void)
{
  static const guint8 expected[] = { 0x01, 0x02, 0x03, 0x04, 0x05 };
  guint8 out[sizeof expected];
  gsize length = UNTOUCHED_LENGTH;

  /* One byte too many for out_size: refused, and not a byte written. */
  memset (out, UNTOUCHED, sizeof out);
  g_assert_false (pd_hex_decode ("0102030405", out, sizeof out - 1, &length));
  assert_untouched (out, sizeof out, length);

  /* Nothing fits in no room at all. */
  g_assert_false (pd_hex_decode ("01", NULL, 0, &length));
  g_assert_cmpuint (length, ==, UNTOUCHED_LENGTH);

  /* Exactly out_size is accepted. */
  g_assert_true (pd_hex_decode ("0102030405", out, sizeof out, &length));
  g_assert_cmpmem (out, length, expected, sizeof expected);
}

static void
test_decode_empty (void)
{
  guint8 out[2];
  gsize length = UNTOUCHED_LENGTH;
  g_autoptr(GBytes) bytes = NULL;

  memset (out, UNTOUCHED, sizeof out);
  g_assert_true (pd_hex_decode ("", out, sizeof out, &length));
  g_assert_cmpuint (length, ==, 0);
  g_assert_cmphex (out[0], ==, UNTOUCHED);

  length = UNTOUCHED_LENGTH;
  g_assert_true (pd_hex_decode ("", NULL, 0, &length));
  g_assert_cmpuint (length, ==, 0);

  /* Length is optional. */
  g_assert_true (pd_hex_decode ("7F", out, sizeof out, NULL));
  g_assert_cmphex (out[0], ==, 0x7f);

  /* Empty bytes, which is not the NULL of text that is no hex. */
  bytes = pd_hex_decode_bytes ("");
  g_assert_nonnull (bytes);
  g_assert_cmpuint (g_bytes_get_size (bytes), ==, 0);
}

static void
test_decode_bytes (void)
{
  static const guint8 expected[] = { 0xa0, 0x00, 0x00, 0x00, 0x03, 0x10, 0x10 };
  g_autoptr(GBytes) upper = pd_hex_decode_bytes ("A0000000031010");
  g_autoptr(GBytes) lower = pd_hex_decode_bytes ("a0000000031010");
  gsize size;
  const guint8 *data;

  g_assert_nonnull (upper);
  data = g_bytes_get_data (upper, &size);
  g_assert_cmpmem (data, size, expected, sizeof expected);

  g_assert_nonnull (lower);
  g_assert_true (g_bytes_equal (upper, lower));
}

static void
test_is_digits (void)
{
  static const struct {
    const char *text;
    gsize min_length;
    gsize max_length;
    gboolean digits;
  } cases[] = {
    { "0123456789", 10, 10, TRUE },
    { "0123456789", 1, 19, TRUE },
    { "0123456789", 11, 19, FALSE },      /* too short */
    { "0123456789", 1, 9, FALSE },        /* too long */
    { "123456789012", 12, 19, TRUE },     /* the shortest PAN */
    { "1234567890123456789", 12, 19, TRUE },
    { "12345678901234567890", 12, 19, FALSE },
    { "12345678901", 12, 19, FALSE },
    { "01", 2, 2, TRUE },
    { "0A", 2, 2, FALSE },                /* hex is not digits */
    { "1 2", 3, 3, FALSE },
    { " 12", 3, 3, FALSE },
    { "-12", 3, 3, FALSE },
    { "+12", 3, 3, FALSE },
    { "1.5", 3, 3, FALSE },
    { "\xd9\xa1\xd9\xa2", 1, 4, FALSE },  /* Arabic-Indic digits: not ASCII */
    { "", 0, 0, TRUE },
    { "", 0, 4, TRUE },
    { "", 1, 4, FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("“%s”, %" G_GSIZE_FORMAT " to %" G_GSIZE_FORMAT " digits",
                      cases[i].text, cases[i].min_length, cases[i].max_length);
      g_assert_cmpint (pd_is_digits (cases[i].text, cases[i].min_length, cases[i].max_length),
                       ==, cases[i].digits);
    }
}

int
main (int    argc,
      char **argv)
{
  pd_test_init (&argc, &argv);

  g_test_add_func ("/hex/encode", test_encode);
  g_test_add_func ("/hex/encode/empty", test_encode_empty);
  g_test_add_func ("/hex/decode/either-case", test_decode_either_case);
  g_test_add_func ("/hex/decode/round-trip", test_round_trip);
  g_test_add_func ("/hex/decode/odd-length", test_decode_odd_length);
  g_test_add_func ("/hex/decode/not-hex", test_decode_not_hex);
  g_test_add_func ("/hex/decode/overflow", test_decode_overflow);
  g_test_add_func ("/hex/decode/empty", test_decode_empty);
  g_test_add_func ("/hex/decode/bytes", test_decode_bytes);
  g_test_add_func ("/hex/is-digits", test_is_digits);

  return g_test_run ();
}
