#include <string.h>

#include "pd-emv-cryptogram.h"
#include "pd-hex.h"
#include "pd-test-common.h"

/* Public test vectors (pyemv's test suite, listed in shared/docs/reference.md): the training
 * core must check cryptograms exactly as an issuer would. */

/* Exactly length bytes of hex, or the vector is mistyped. */
static void
hex_to_bytes (const char *hex,
              guint8     *out,
              gsize       length)
{
  gsize decoded = 0;
  gboolean decodes = pd_hex_decode (hex, out, length, &decoded);

  g_assert_true (decodes);
  g_assert_cmpuint (decoded, ==, length);
}

static void
assert_hex (const guint8 *bytes,
            gsize         length,
            const char   *expected)
{
  g_autofree char *hex = pd_hex_encode (bytes, length);

  g_assert_cmpstr (hex, ==, expected);
}

static void
vector_master_key (guint8 icc_master_key[PD_DES_KEY_BYTES])
{
  guint8 issuer_master_key[PD_DES_KEY_BYTES];

  hex_to_bytes ("0123456789ABCDEFFEDCBA9876543210", issuer_master_key, 16);
  pd_cryptogram_derive_icc_master_key (issuer_master_key, "1234567890123456", "00",
                                       icc_master_key);
}

static void
test_icc_master_key (void)
{
  guint8 key[PD_DES_KEY_BYTES];
  guint8 check_value[3];

  vector_master_key (key);
  assert_hex (key, 16, "154F349D8585CB7F6B0798E9839B10C1");
  pd_cryptogram_check_value (key, check_value);
  assert_hex (check_value, 2, "BAB0");
}

/* 9F02 9F03 9F1A 95 5F2A 9A 9C 9F37 82 9F36 */
#define VISA_DATA "000000004000" "000000000000" "0124" "8000048000" "0124" "191105" "01" \
                  "52BF4585" "1800" "001C"

static void
test_visa_cvn10 (void)
{
  guint8 key[PD_DES_KEY_BYTES];
  guint8 data[33];
  guint8 iad[7];
  guint8 atc[2] = { 0x00, 0x1c };
  guint8 arqc[8];
  guint8 issuer_authentication[10];

  vector_master_key (key);
  hex_to_bytes (VISA_DATA, data, sizeof data);
  hex_to_bytes ("06010A03A06010", iad, sizeof iad);

  g_assert_true (pd_cryptogram_arqc (PD_CVN_VISA_10, key, data, sizeof data, iad, sizeof iad,
                                     atc, NULL, arqc));
  assert_hex (arqc, 8, "29CCA15AE665FA2E");

  g_assert_cmpuint (pd_cryptogram_issuer_authentication (PD_CVN_VISA_10, key, arqc, atc,
                                                         PD_ARC_APPROVED, issuer_authentication), ==, 10);
  assert_hex (issuer_authentication, 10, "28993816AFAE4AEB3030");
}

static void
test_visa_cvn18 (void)
{
  guint8 key[PD_DES_KEY_BYTES];
  guint8 data[33];
  guint8 iad[7];
  guint8 atc[2] = { 0x00, 0x1c };
  guint8 arqc[8];
  guint8 issuer_authentication[10];

  vector_master_key (key);
  hex_to_bytes (VISA_DATA, data, sizeof data);
  hex_to_bytes ("06011203A0B800", iad, sizeof iad);

  g_assert_true (pd_cryptogram_arqc (PD_CVN_VISA_18, key, data, sizeof data, iad, sizeof iad,
                                     atc, NULL, arqc));
  assert_hex (arqc, 8, "7A788EA6B8A3E733");

  g_assert_cmpuint (pd_cryptogram_issuer_authentication (PD_CVN_VISA_18, key, arqc, atc,
                                                         PD_ARC_APPROVED, issuer_authentication), ==, 8);
  assert_hex (issuer_authentication, 8, "9AF514C100000000");
}

static void
test_mastercard_cvn16 (void)
{
  guint8 key[PD_DES_KEY_BYTES];
  guint8 data[33];
  guint8 iad[18];
  guint8 atc[2] = { 0x00, 0x1c };
  guint8 unpredictable_number[4] = { 0xab, 0xcd, 0xef, 0x12 };
  guint8 arqc[8];
  guint8 issuer_authentication[10];

  vector_master_key (key);
  hex_to_bytes ("000000009999" "000000000000" "0124" "8000000000" "0124" "209906" "00"
                "ABCDEF12" "1800" "001C", data, sizeof data);
  hex_to_bytes ("0110A00003220000000000000000000000FF", iad, sizeof iad);

  g_assert_true (pd_cryptogram_arqc (PD_CVN_MASTERCARD_16, key, data, sizeof data, iad,
                                     sizeof iad, atc, unpredictable_number, arqc));
  assert_hex (arqc, 8, "24CCF3DEE3158C70");

  /* ARPC method 1, with the master key, for the vector's ARC 0010. */
  {
    const guint8 arc[2] = { 0x00, 0x10 };

    g_assert_cmpuint (pd_cryptogram_issuer_authentication (PD_CVN_MASTERCARD_16, key, arqc, atc,
                                                           arc, issuer_authentication), ==, 10);
    assert_hex (issuer_authentication, 10, "73F6BBF389A6586C0010");
  }
}

/* Method 1 pads with zeros up to a whole block, and adds nothing to whole blocks; method 2
 * always adds 80 then zeros, a whole block if need be. */
static void
test_mac_padding (void)
{
  static const guint8 five[5] = { 1, 2, 3, 4, 5 };
  static const guint8 five_zero_padded[8] = { 1, 2, 3, 4, 5, 0, 0, 0 };
  static const guint8 eight[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
  static const guint8 eight_80_padded[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 0x80 };
  guint8 key[PD_DES_KEY_BYTES];
  guint8 a[8], b[8];

  vector_master_key (key);

  pd_cryptogram_mac (key, five, sizeof five, PD_MAC_PADDING_ZEROS, a);
  pd_cryptogram_mac (key, five_zero_padded, sizeof five_zero_padded, PD_MAC_PADDING_ZEROS, b);
  g_assert_cmpmem (a, 8, b, 8);

  pd_cryptogram_mac (key, eight, sizeof eight, PD_MAC_PADDING_80, a);
  pd_cryptogram_mac (key, eight_80_padded, sizeof eight_80_padded, PD_MAC_PADDING_ZEROS, b);
  g_assert_cmpmem (a, 8, b, 8);

  pd_cryptogram_mac (key, eight, sizeof eight, PD_MAC_PADDING_ZEROS, b);
  g_assert_true (memcmp (a, b, 8) != 0);
}

int
main (int    argc,
      char **argv)
{
  pd_test_init (&argc, &argv);

  g_test_add_func ("/cryptogram/icc-master-key", test_icc_master_key);
  g_test_add_func ("/cryptogram/visa-cvn10", test_visa_cvn10);
  g_test_add_func ("/cryptogram/visa-cvn18", test_visa_cvn18);
  g_test_add_func ("/cryptogram/mastercard-cvn16", test_mastercard_cvn16);
  g_test_add_func ("/cryptogram/mac-padding", test_mac_padding);

  return g_test_run ();
}
