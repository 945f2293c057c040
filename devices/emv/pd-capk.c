#include <string.h>

#include "pd-capk.h"
#include "pd-hex.h"

G_DEFINE_QUARK (pd-capk-error-quark, pd_capk_error)

/* EMV moduli are at most 1984 bits (Book 2 section 5.1), exponents are 3 or 2^16 + 1. */
#define MAX_MODULUS_BYTES 248
#define MAX_EXPONENT_BYTES 3
#define CHECKSUM_BYTES 20

struct _PdCapkTable {
  GPtrArray *keys;
};

static void
capk_free (PdCapk *capk)
{
  g_clear_pointer (&capk->modulus, g_bytes_unref);
  g_clear_pointer (&capk->exponent, g_bytes_unref);
  g_free (capk);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdCapk, capk_free)

void
pd_capk_table_free (PdCapkTable *table)
{
  if (table == NULL)
    return;

  g_clear_pointer (&table->keys, g_ptr_array_unref);
  g_free (table);
}

/* A group is named "RID INDEX": ten hex digits, a space, two hex digits. */
static gboolean
parse_group_name (const char *group,
                  guint8      rid[PD_RID_BYTES],
                  guint8     *index)
{
  g_autofree char *rid_hex = NULL;
  guint8 rid_bytes[PD_RID_BYTES];
  guint8 index_byte;

  if (strlen (group) != PD_RID_BYTES * 2 + 3 || group[PD_RID_BYTES * 2] != ' ')
    return FALSE;

  /* With the length checked, hex that decodes at all fills rid_bytes and index_byte. */
  rid_hex = g_strndup (group, PD_RID_BYTES * 2);
  if (!pd_hex_decode (rid_hex, rid_bytes, sizeof rid_bytes, NULL) ||
      !pd_hex_decode (group + PD_RID_BYTES * 2 + 1, &index_byte, 1, NULL))
    return FALSE;

  memcpy (rid, rid_bytes, PD_RID_BYTES);
  *index = index_byte;
  return TRUE;
}

static GBytes *
read_hex_value (GKeyFile    *file,
                const char  *group,
                const char  *name,
                gsize        max_bytes,
                GError     **error)
{
  g_autofree char *text = g_key_file_get_string (file, group, name, error);
  GBytes *value;

  if (text == NULL)
    return NULL;

  /* Hex digits only, an even number of them, and nothing else: a stray character in a key
   * is a transcription error, not something to skip. */
  value = pd_hex_decode_bytes (g_strstrip (text));
  if (value != NULL && (g_bytes_get_size (value) == 0 || g_bytes_get_size (value) > max_bytes))
    g_clear_pointer (&value, g_bytes_unref);
  if (value == NULL)
    g_set_error (error, PD_CAPK_ERROR, PD_CAPK_ERROR_PARSE,
                 "CA public key [%s]: %s is not hex of at most %" G_GSIZE_FORMAT " bytes",
                 group, name, max_bytes);
  return value;
}

/* Book 2 Annex B: SHA-1 over RID || index || modulus || exponent. */
static gboolean
checksum_matches (const PdCapk *capk,
                  GBytes       *expected)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA1);
  guint8 digest[CHECKSUM_BYTES];
  gsize digest_length = sizeof digest;

  g_checksum_update (checksum, capk->rid, PD_RID_BYTES);
  g_checksum_update (checksum, &capk->index, 1);
  g_checksum_update (checksum, g_bytes_get_data (capk->modulus, NULL),
                     (gssize) g_bytes_get_size (capk->modulus));
  g_checksum_update (checksum, g_bytes_get_data (capk->exponent, NULL),
                     (gssize) g_bytes_get_size (capk->exponent));
  g_checksum_get_digest (checksum, digest, &digest_length);

  return g_bytes_get_size (expected) == CHECKSUM_BYTES &&
         memcmp (digest, g_bytes_get_data (expected, NULL), CHECKSUM_BYTES) == 0;
}

static PdCapk *
read_key (GKeyFile    *file,
          const char  *group,
          GError     **error)
{
  static const char * const known_keys[] = {
    "modulus", "exponent", "checksum", "training", NULL,
  };
  g_autoptr(PdCapk) capk = g_new0 (PdCapk, 1);
  g_autoptr(GBytes) checksum = NULL;
  g_auto(GStrv) names = g_key_file_get_keys (file, group, NULL, NULL);
  GError *local_error = NULL;

  if (!parse_group_name (group, capk->rid, &capk->index))
    {
      g_set_error (error, PD_CAPK_ERROR, PD_CAPK_ERROR_PARSE,
                   "CA public key [%s]: the group name is not \"RID INDEX\" in hex", group);
      return NULL;
    }

  /* A misspelt key name would otherwise pass unnoticed, e.g. a training flag that is
   * never read. */
  for (gsize i = 0; names != NULL && names[i] != NULL; i++)
    if (!g_strv_contains (known_keys, names[i]))
      {
        g_set_error (error, PD_CAPK_ERROR, PD_CAPK_ERROR_PARSE,
                     "CA public key [%s]: unknown key \"%s\"", group, names[i]);
        return NULL;
      }

  capk->modulus = read_hex_value (file, group, "modulus", MAX_MODULUS_BYTES, error);
  if (capk->modulus == NULL)
    return NULL;
  capk->exponent = read_hex_value (file, group, "exponent", MAX_EXPONENT_BYTES, error);
  if (capk->exponent == NULL)
    return NULL;
  checksum = read_hex_value (file, group, "checksum", CHECKSUM_BYTES, error);
  if (checksum == NULL)
    return NULL;

  capk->training = g_key_file_get_boolean (file, group, "training", &local_error);
  if (g_error_matches (local_error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND))
    g_clear_error (&local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }

  if (!checksum_matches (capk, checksum))
    {
      g_set_error (error, PD_CAPK_ERROR, PD_CAPK_ERROR_CHECKSUM,
                   "CA public key [%s]: the SHA-1 checksum does not match the modulus and "
                   "exponent (a mistyped key?)", group);
      return NULL;
    }

  return g_steal_pointer (&capk);
}

static gboolean
same_key_id (const PdCapk *capk,
             const guint8  rid[PD_RID_BYTES],
             guint8        index)
{
  return capk->index == index && memcmp (capk->rid, rid, PD_RID_BYTES) == 0;
}

static void
remove_training_keys (PdCapkTable *table)
{
  for (guint i = table->keys->len; i > 0; i--)
    {
      const PdCapk *capk = g_ptr_array_index (table->keys, i - 1);

      if (capk->training)
        g_ptr_array_remove_index (table->keys, i - 1);
    }
}

PdCapkTable *
pd_capk_table_load (const char  *path,
                    gboolean     include_training,
                    GError     **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(PdCapkTable) table = NULL;
  g_auto(GStrv) groups = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, error))
    return NULL;

  table = g_new0 (PdCapkTable, 1);
  table->keys = g_ptr_array_new_with_free_func ((GDestroyNotify) capk_free);
  groups = g_key_file_get_groups (file, NULL);

  /* Every key is checked, training or not: a broken table is refused as a whole, so that
   * a mistake in it shows on the first start rather than on the first card. */
  for (gsize i = 0; groups[i] != NULL; i++)
    {
      g_autoptr(PdCapk) capk = read_key (file, groups[i], error);

      if (capk == NULL)
        return NULL;
      if (pd_capk_table_lookup (table, capk->rid, capk->index) != NULL)
        {
          g_set_error (error, PD_CAPK_ERROR, PD_CAPK_ERROR_PARSE,
                       "CA public key [%s] is listed twice", groups[i]);
          return NULL;
        }
      g_ptr_array_add (table->keys, g_steal_pointer (&capk));
    }

  if (!include_training)
    remove_training_keys (table);

  return g_steal_pointer (&table);
}

const PdCapk *
pd_capk_table_lookup (PdCapkTable  *table,
                      const guint8  rid[PD_RID_BYTES],
                      guint8        index)
{
  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (rid != NULL, NULL);

  for (guint i = 0; i < table->keys->len; i++)
    {
      const PdCapk *capk = g_ptr_array_index (table->keys, i);

      if (same_key_id (capk, rid, index))
        return capk;
    }

  return NULL;
}

guint
pd_capk_table_get_size (PdCapkTable *table)
{
  g_return_val_if_fail (table != NULL, 0);

  return table->keys->len;
}
