#include <string.h>

#include "pd-capk.h"
#include "pd-test-common.h"

static const guint8 visa[PD_RID_BYTES] = { 0xa0, 0x00, 0x00, 0x00, 0x03 };
static const guint8 mastercard[PD_RID_BYTES] = { 0xa0, 0x00, 0x00, 0x00, 0x04 };
static const guint8 discover[PD_RID_BYTES] = { 0xa0, 0x00, 0x00, 0x01, 0x52 };

static const char *
table_path (void)
{
  const char *path = g_getenv ("PAYDESK_CAPK");

  g_assert_nonnull (path);
  return path;
}

static PdCapkTable *
load_file (const char  *path,
           gboolean     include_training,
           GError     **error)
{
  return pd_capk_table_load (path, include_training, error);
}

/* A table with one made-up key whose checksum is computed here, so that tests can vary
 * everything else around a group that is otherwise valid. */
static char *
one_key_table (const char *group,
               const char *extra)
{
  static const guint8 rid_and_index[] = { 0xa0, 0x00, 0x00, 0x09, 0x99, 0x01 };
  static const guint8 modulus[] = { 0xc1, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x09 };
  static const guint8 exponent[] = { 0x03 };
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA1);

  g_checksum_update (checksum, rid_and_index, sizeof rid_and_index);
  g_checksum_update (checksum, modulus, sizeof modulus);
  g_checksum_update (checksum, exponent, sizeof exponent);

  return g_strdup_printf ("[%s]\nmodulus=C102030405060709\nexponent=03\nchecksum=%s\n%s",
                          group, g_checksum_get_string (checksum), extra);
}

static void
test_table_loads (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdCapkTable) table = load_file (table_path (), TRUE, &error);
  const PdCapk *capk;

  g_assert_no_error (error);
  g_assert_nonnull (table);
  g_assert_cmpuint (pd_capk_table_get_size (table), ==, 20);

  /* Visa's 1408-bit certification test key. */
  capk = pd_capk_table_lookup (table, visa, 0x92);
  g_assert_nonnull (capk);
  g_assert_cmpmem (capk->rid, PD_RID_BYTES, visa, PD_RID_BYTES);
  g_assert_cmpuint (capk->index, ==, 0x92);
  g_assert_cmpuint (g_bytes_get_size (capk->modulus), ==, 1408 / 8);
  g_assert_cmpuint (*(const guint8 *) g_bytes_get_data (capk->modulus, NULL), ==, 0x99);
  g_assert_cmpmem (g_bytes_get_data (capk->exponent, NULL), g_bytes_get_size (capk->exponent),
                   "\x03", 1);
  g_assert_true (capk->training);

  /* Mastercard's 1984-bit test key with exponent 2^16 + 1. */
  capk = pd_capk_table_lookup (table, mastercard, 0xf5);
  g_assert_nonnull (capk);
  g_assert_cmpuint (g_bytes_get_size (capk->modulus), ==, 1984 / 8);
  g_assert_cmpmem (g_bytes_get_data (capk->exponent, NULL), g_bytes_get_size (capk->exponent),
                   "\x01\x00\x01", 3);

  /* The project's own CA, under each scheme. */
  for (guint i = 0; i < 3; i++)
    {
      const guint8 *rid = i == 0 ? visa : i == 1 ? mastercard : discover;

      capk = pd_capk_table_lookup (table, rid, 0xe1);
      g_assert_nonnull (capk);
      g_assert_true (capk->training);
      g_assert_cmpuint (g_bytes_get_size (capk->modulus), ==, 1408 / 8);
    }

  capk = pd_capk_table_lookup (table, visa, 0x09);
  g_assert_nonnull (capk);
  g_assert_false (capk->training);
  g_assert_cmpuint (g_bytes_get_size (capk->modulus), ==, 1984 / 8);
}

static void
test_production_skips_training_keys (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdCapkTable) table = load_file (table_path (), FALSE, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (pd_capk_table_get_size (table), ==, 2);
  g_assert_null (pd_capk_table_lookup (table, visa, 0xe1));
  g_assert_null (pd_capk_table_lookup (table, visa, 0x92));
  g_assert_null (pd_capk_table_lookup (table, mastercard, 0xf1));
  g_assert_null (pd_capk_table_lookup (table, discover, 0x5a));
  g_assert_false (pd_capk_table_lookup (table, visa, 0x09)->training);
  g_assert_false (pd_capk_table_lookup (table, mastercard, 0x06)->training);
}

static void
test_lookup_miss (void)
{
  static const guint8 unknown_rid[PD_RID_BYTES] = { 0xa0, 0x00, 0x00, 0x00, 0x99 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PdCapkTable) table = load_file (table_path (), TRUE, &error);

  g_assert_no_error (error);
  g_assert_null (pd_capk_table_lookup (table, visa, 0x42));
  g_assert_null (pd_capk_table_lookup (table, unknown_rid, 0x92));
  /* An index that exists for another scheme only. */
  g_assert_nonnull (pd_capk_table_lookup (table, discover, 0x5b));
  g_assert_null (pd_capk_table_lookup (table, visa, 0x5b));
}

/* The real table with one hex digit changed in the modulus of one key. */
static void
test_checksum_mismatch (PdTestDir     *fixture,
                        gconstpointer  data)
{
  gboolean include_training = GPOINTER_TO_INT (data);
  g_autofree char *contents = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "capk.conf", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdCapkTable) table = NULL;
  char *modulus;

  g_file_get_contents (table_path (), &contents, NULL, &error);
  g_assert_no_error (error);
  modulus = strstr (contents, "[A000000004 F1]\nmodulus=A0DC");
  g_assert_nonnull (modulus);
  modulus[strlen ("[A000000004 F1]\nmodulus=A0D")] = 'D';
  pd_test_write_file (path, contents);

  /* Refused even when the tampered key is a training key production would skip. */
  table = load_file (path, include_training, &error);
  g_assert_error (error, PD_CAPK_ERROR, PD_CAPK_ERROR_CHECKSUM);
  g_assert_null (table);
  g_assert_nonnull (strstr (error->message, "A000000004 F1"));
}

static void
test_made_up_key_loads (PdTestDir     *fixture,
                        gconstpointer  data)
{
  static const guint8 rid[PD_RID_BYTES] = { 0xa0, 0x00, 0x00, 0x09, 0x99 };
  g_autofree char *path = g_build_filename (fixture->dir, "capk.conf", NULL);
  g_autofree char *contents = one_key_table ("a000000999 01", "");
  g_autoptr(GError) error = NULL;
  g_autoptr(PdCapkTable) table = NULL;

  pd_test_write_file (path, contents);
  table = load_file (path, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pd_capk_table_get_size (table), ==, 1);
  g_assert_nonnull (pd_capk_table_lookup (table, rid, 0x01));
  g_assert_false (pd_capk_table_lookup (table, rid, 0x01)->training);
}

typedef struct {
  const char *name;
  const char *group;
  const char *extra;
  /* The same valid key a second time, under a group name GKeyFile sees as another. */
  const char *again;
} Malformed;

static const Malformed malformed_tables[] = {
  { "group-without-index", "A000000999", "", NULL },
  { "group-not-hex", "A00000099G 01", "", NULL },
  { "unknown-key", "A000000999 01", "trainig=true\n", NULL },
  { "training-not-boolean", "A000000999 01", "training=perhaps\n", NULL },
  { "listed-twice", "A000000999 01", "", "a000000999 01" },
};

static void
test_malformed (PdTestDir     *fixture,
                gconstpointer  data)
{
  const Malformed *malformed = data;
  g_autofree char *path = g_build_filename (fixture->dir, "capk.conf", NULL);
  g_autofree char *contents = one_key_table (malformed->group, malformed->extra);
  g_autofree char *again = malformed->again != NULL ? one_key_table (malformed->again, "")
                                                    : g_strdup ("");
  g_autofree char *both = g_strconcat (contents, again, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdCapkTable) table = NULL;

  pd_test_write_file (path, both);
  table = load_file (path, TRUE, &error);
  g_assert_null (table);
  g_assert_nonnull (error);
  if (g_str_equal (malformed->name, "training-not-boolean"))
    g_assert_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE);
  else
    g_assert_error (error, PD_CAPK_ERROR, PD_CAPK_ERROR_PARSE);
}

static void
test_bad_values (PdTestDir     *fixture,
                 gconstpointer  data)
{
  static const char * const tables[] = {
    "[A000000999 01]\nmodulus=C10203040506070\nexponent=03\nchecksum=00\n",
    "[A000000999 01]\nmodulus=C102030405060709\nexponent=00000003\nchecksum=00\n",
    "[A000000999 01]\nexponent=03\nchecksum=00\n",
  };
  g_autofree char *path = g_build_filename (fixture->dir, "capk.conf", NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PdCapkTable) table = NULL;

      pd_test_write_file (path, tables[i]);
      table = load_file (path, TRUE, &error);
      g_assert_null (table);
      if (i == 2)
        g_assert_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND);
      else
        g_assert_error (error, PD_CAPK_ERROR, PD_CAPK_ERROR_PARSE);
    }
}

static void
test_missing_file (PdTestDir     *fixture,
                   gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "absent.conf", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdCapkTable) table = load_file (path, TRUE, &error);

  g_assert_null (table);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
}

int
main (int    argc,
      char **argv)
{
  pd_test_init (&argc, &argv);

  g_test_add_func ("/capk/table-loads", test_table_loads);
  g_test_add_func ("/capk/production-skips-training-keys", test_production_skips_training_keys);
  g_test_add_func ("/capk/lookup-miss", test_lookup_miss);
  g_test_add ("/capk/checksum-mismatch/training", PdTestDir, GINT_TO_POINTER (TRUE),
              pd_test_dir_set_up, test_checksum_mismatch, pd_test_dir_tear_down);
  g_test_add ("/capk/checksum-mismatch/production", PdTestDir, GINT_TO_POINTER (FALSE),
              pd_test_dir_set_up, test_checksum_mismatch, pd_test_dir_tear_down);
  g_test_add ("/capk/made-up-key-loads", PdTestDir, NULL,
              pd_test_dir_set_up, test_made_up_key_loads, pd_test_dir_tear_down);
  for (gsize i = 0; i < G_N_ELEMENTS (malformed_tables); i++)
    {
      g_autofree char *name = g_strdup_printf ("/capk/malformed/%s", malformed_tables[i].name);

      g_test_add (name, PdTestDir, &malformed_tables[i],
                  pd_test_dir_set_up, test_malformed, pd_test_dir_tear_down);
    }
  g_test_add ("/capk/bad-values", PdTestDir, NULL,
              pd_test_dir_set_up, test_bad_values, pd_test_dir_tear_down);
  g_test_add ("/capk/missing-file", PdTestDir, NULL,
              pd_test_dir_set_up, test_missing_file, pd_test_dir_tear_down);

  return g_test_run ();
}
