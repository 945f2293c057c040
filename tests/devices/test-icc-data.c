#include "pd-sim-icc.h"
#include "pd-test-common.h"

static void
test_parse (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) tags = pd_sim_icc_parse ("9F2608" "29CCA15AE665FA2E" "9F1007"
                                                 "06010A03A06010" "9505" "8000048000"
                                                 "82021800" "DF8101" "03" "AABBCC"
                                                 "9F3602001C", &error);
  GBytes *cryptogram;

  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (tags), ==, 6);
  cryptogram = g_hash_table_lookup (tags, "9F26");
  g_assert_cmpuint (g_bytes_get_size (cryptogram), ==, 8);
  g_assert_cmpuint (((const guint8 *) g_bytes_get_data (cryptogram, NULL))[0], ==, 0x29);
  /* An unknown, three-byte proprietary tag is kept, not fatal. */
  g_assert_true (g_hash_table_contains (tags, "DF8101"));
  g_assert_cmpuint (g_bytes_get_size (g_hash_table_lookup (tags, "82")), ==, 2);
}

static void
test_long_length (void)
{
  g_autoptr(GString) hex = g_string_new ("9F1081C8");
  g_autoptr(GHashTable) tags = NULL;

  for (int i = 0; i < 200; i++)
    g_string_append (hex, "AB");
  tags = pd_sim_icc_parse (hex->str, NULL);
  g_assert_nonnull (tags);
  g_assert_cmpuint (g_bytes_get_size (g_hash_table_lookup (tags, "9F10")), ==, 200);
}

static void
test_malformed (void)
{
  static const char * const bad[] = {
    "9F2608AABB",       /* value shorter than its length */
    "9F",               /* tag cut off */
    "9F26",             /* no length */
    "9F1F",             /* multi-byte tag cut off */
    "9F10830000010101", /* three length bytes */
    "9F1080",           /* indefinite length */
    "ZZ",               /* not hex */
    "9F2",              /* odd number of digits */
    "DFFFFFFF0101",     /* tag longer than four bytes */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("icc_data %s", bad[i]);
      g_assert_null (pd_sim_icc_parse (bad[i], &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
    }
}

int
main (int    argc,
      char **argv)
{
  pd_test_init (&argc, &argv);

  g_test_add_func ("/icc-data/parse", test_parse);
  g_test_add_func ("/icc-data/long-length", test_long_length);
  g_test_add_func ("/icc-data/malformed", test_malformed);

  return g_test_run ();
}
