#include <string.h>

#include "pd-dol.h"
#include "pd-hex.h"
#include "pd-test-common.h"
#include "pd-tlv.h"

/* The test's own hex: text that is not whole bytes of it is a broken test. */
static GByteArray *
from_hex (const char *hex)
{
  g_autoptr(GBytes) bytes = pd_hex_decode_bytes (hex);

  g_assert_nonnull (bytes);
  return g_bytes_unref_to_array (g_steal_pointer (&bytes));
}

static GPtrArray *
parse_hex (const char  *hex,
           GError     **error)
{
  g_autoptr(GByteArray) bytes = from_hex (hex);

  return pd_tlv_parse (bytes->data, bytes->len, error);
}

static void
assert_value (const PdTlv *tlv,
              const char  *hex)
{
  g_autoptr(GByteArray) expected = from_hex (hex);
  gsize size;
  const guint8 *data;

  g_assert_nonnull (tlv);
  data = g_bytes_get_data (tlv->value, &size);
  g_assert_cmpmem (data, size, expected->data, expected->len);
}

/* The answer to SELECT 1PAY.SYS.DDF01: an FCI template holding the DF name and a proprietary
 * template with the SFI of the directory, the language and the issuer code table index. */
static void
test_fci (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) nodes = parse_hex ("6F1E840E315041592E5359532E4444463031"
                                          "A50C8801015F2D02656E9F110101", &error);
  const PdTlv *fci;

  g_assert_no_error (error);
  g_assert_cmpuint (nodes->len, ==, 1);
  fci = pd_tlv_find (nodes, 0x6f);
  g_assert_nonnull (fci->children);
  g_assert_cmpuint (fci->children->len, ==, 2);
  assert_value (pd_tlv_find (nodes, 0x84), "315041592E5359532E4444463031");
  assert_value (pd_tlv_find (nodes, 0x88), "01");
  assert_value (pd_tlv_find (nodes, 0x5f2d), "656E");
  assert_value (pd_tlv_find (nodes, 0x9f11), "01");
  g_assert_true (pd_tlv_is_constructed (0xa5));
  g_assert_false (pd_tlv_is_constructed (0x9f11));
  g_assert_null (pd_tlv_find (nodes, 0x57));
}

static void
test_long_lengths_and_proprietary_tags (void)
{
  g_autoptr(GString) hex = g_string_new ("7081C8");
  g_autoptr(GPtrArray) nodes = NULL;
  g_autoptr(GError) error = NULL;

  /* A record template of 200 bytes: a proprietary constructed BF0C holding DF8101, then
   * filler, then a 5F24. */
  g_string_append (hex, "BF0C05DF81010101");
  g_string_append (hex, "0000");
  g_string_append (hex, "5F2403261231");
  g_string_append (hex, "9F4A0182");
  while (hex->len < 6 + 2 * 200 - 2 * 3)
    g_string_append (hex, "00");
  g_string_append (hex, "9F0100");

  nodes = parse_hex (hex->str, &error);
  g_assert_no_error (error);
  assert_value (pd_tlv_find (nodes, 0xdf8101), "01");
  assert_value (pd_tlv_find (nodes, 0x5f24), "261231");
  assert_value (pd_tlv_find (nodes, 0x9f4a), "82");
  g_assert_cmpuint (g_bytes_get_size (pd_tlv_find (nodes, 0x9f01)->value), ==, 0);
  g_assert_cmpuint (g_bytes_get_size (pd_tlv_find (nodes, 0x70)->value), ==, 200);
}

static void
test_malformed (void)
{
  static const struct { const char *hex; PdTlvError code; } cases[] = {
    { "9F2608AABB", PD_TLV_ERROR_TRUNCATED },
    { "9F", PD_TLV_ERROR_TRUNCATED },
    { "9F26", PD_TLV_ERROR_TRUNCATED },
    { "9F26810A", PD_TLV_ERROR_TRUNCATED },
    { "9F1083000001", PD_TLV_ERROR_BAD_LENGTH },
    { "9F1080", PD_TLV_ERROR_BAD_LENGTH },
    { "DFFFFFFF0101", PD_TLV_ERROR_BAD_TAG },
    { "7003" "5A0512", PD_TLV_ERROR_TRUNCATED },
    { "6F05" "A503" "8805", PD_TLV_ERROR_TRUNCATED },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) nodes = NULL;

      g_test_message ("%s", cases[i].hex);
      nodes = parse_hex (cases[i].hex, &error);
      g_assert_null (nodes);
      g_assert_error (error, PD_TLV_ERROR, (int) cases[i].code);
    }
}

static void
test_nesting_is_bounded (void)
{
  g_autoptr(GByteArray) inner = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) nodes = NULL;
  const guint8 leaf[] = { 0x01 };

  pd_tlv_append (inner, 0x88, leaf, sizeof leaf);
  for (int depth = 0; depth < PD_TLV_MAX_DEPTH + 2; depth++)
    {
      g_autoptr(GByteArray) outer = g_byte_array_new ();

      pd_tlv_append (outer, 0x70, inner->data, inner->len);
      g_byte_array_set_size (inner, 0);
      g_byte_array_append (inner, outer->data, outer->len);
    }

  nodes = pd_tlv_parse (inner->data, inner->len, &error);
  g_assert_null (nodes);
  g_assert_error (error, PD_TLV_ERROR, PD_TLV_ERROR_TOO_DEEP);
}

static void
test_encode_round_trip (void)
{
  static const gsize sizes[] = { 0, 1, 127, 128, 255, 256, 300 };

  for (gsize i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autoptr(GByteArray) out = g_byte_array_new ();
      g_autofree guint8 *value = g_malloc (MAX (sizes[i], 1));
      g_autoptr(GPtrArray) nodes = NULL;
      g_autoptr(GError) error = NULL;
      const PdTlv *found;

      for (gsize b = 0; b < sizes[i]; b++)
        value[b] = (guint8) (b * 7);
      pd_tlv_append (out, 0x9f10, value, sizes[i]);

      /* Header: two tag bytes, then 1, 2 or 3 length bytes. */
      g_assert_cmpuint (out->len, ==, 2 + (sizes[i] < 128 ? 1 : sizes[i] < 256 ? 2 : 3) + sizes[i]);
      nodes = pd_tlv_parse (out->data, out->len, &error);
      g_assert_no_error (error);
      found = pd_tlv_find (nodes, 0x9f10);
      g_assert_cmpmem (g_bytes_get_data (found->value, NULL), g_bytes_get_size (found->value),
                       value, sizes[i]);
    }
}

/* Whatever a card sends, the parser answers with nodes or with an error, never both, and
 * never reads past the end (AddressSanitizer watches this loop in CI). */
static void
test_random_input (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261123);

  for (int round = 0; round < 20000; round++)
    {
      guint8 data[64];
      gsize length = (gsize) g_rand_int_range (rand, 0, sizeof data + 1);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) nodes = NULL;

      for (gsize i = 0; i < length; i++)
        data[i] = (guint8) g_rand_int_range (rand, 0, 256);
      /* Bias towards plausible EMV shapes: templates and two-byte tags. */
      if (length > 2 && round % 3 == 0)
        data[0] = round % 2 ? 0x70 : 0x9f;

      nodes = pd_tlv_parse (data, length, &error);
      g_assert_true ((nodes == NULL) != (error == NULL));
    }
}

static GBytes *
terminal_data (guint32  tag,
               gpointer user_data)
{
  switch (tag)
    {
    case 0x9f02: return g_bytes_new ("\x00\x00\x00\x00\x40\x00", 6);
    case 0x9f1a: return g_bytes_new ("\x00\x08\x40", 3);
    case 0x9f37: return g_bytes_new ("\x52\xbf", 2);
    case 0x5a: return g_bytes_new ("\x12\x34\x56", 3);
    case 0x95: return g_bytes_new ("\x80\x00\x04\x80\x00\x99", 6);
    default: return NULL;
    }
}

static void
test_dol (void)
{
  g_autoptr(GByteArray) pdol = from_hex ("9F66049F02069F1A029F3704955A5A05");
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) entries = pd_dol_parse (pdol->data, pdol->len, &error);
  g_autoptr(GByteArray) built = NULL;
  g_autoptr(GByteArray) expected = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 6);
  g_assert_cmpuint (g_array_index (entries, PdDolEntry, 0).tag, ==, 0x9f66);
  g_assert_cmpuint (g_array_index (entries, PdDolEntry, 0).length, ==, 4);
  g_assert_cmpuint (g_array_index (entries, PdDolEntry, 4).tag, ==, 0x95);
  g_assert_cmpuint (g_array_index (entries, PdDolEntry, 4).length, ==, 0x5a);

  built = pd_dol_build (entries, terminal_data, NULL);
  /* 9F66 unknown: zeros. 9F02 exact. 9F1A numeric, too long: rightmost kept. 9F37 binary,
   * too short: trailing zeros. 95 binary, asked 0x5A bytes: leftmost, then zeros. 5A
   * compressed numeric: F padding. */
  expected = from_hex ("00000000" "000000004000" "0840" "52BF0000");
  {
    g_autoptr(GByteArray) tvr = from_hex ("800004800099");

    g_byte_array_append (expected, tvr->data, tvr->len);
    for (int i = 0; i < 0x5a - 6; i++)
      g_byte_array_append (expected, (const guint8 *) "\0", 1);
  }
  {
    g_autoptr(GByteArray) pan = from_hex ("123456FFFF");

    g_byte_array_append (expected, pan->data, pan->len);
  }
  g_assert_cmpmem (built->data, built->len, expected->data, expected->len);
}

static void
test_dol_malformed (void)
{
  static const char * const cases[] = { "9F", "9F02", "9F660495" };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GByteArray) bytes = from_hex (cases[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) entries = pd_dol_parse (bytes->data, bytes->len, &error);

      g_assert_null (entries);
      g_assert_error (error, PD_TLV_ERROR, PD_TLV_ERROR_TRUNCATED);
    }
}

int
main (int    argc,
      char **argv)
{
  pd_test_init (&argc, &argv);

  g_test_add_func ("/tlv/fci", test_fci);
  g_test_add_func ("/tlv/long-lengths-and-proprietary-tags", test_long_lengths_and_proprietary_tags);
  g_test_add_func ("/tlv/malformed", test_malformed);
  g_test_add_func ("/tlv/nesting-is-bounded", test_nesting_is_bounded);
  g_test_add_func ("/tlv/encode-round-trip", test_encode_round_trip);
  g_test_add_func ("/tlv/random-input", test_random_input);
  g_test_add_func ("/dol/build", test_dol);
  g_test_add_func ("/dol/malformed", test_dol_malformed);

  return g_test_run ();
}
