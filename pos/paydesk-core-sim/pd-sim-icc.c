#include <gio/gio.h>

#include "pd-hex.h"
#include "pd-sim-icc.h"
#include "pd-tlv.h"

GHashTable *
pd_sim_icc_parse (const char  *hex,
                  GError     **error)
{
  g_autoptr(GHashTable) tags = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                      (GDestroyNotify) g_bytes_unref);
  g_autoptr(GBytes) bytes = hex != NULL ? pd_hex_decode_bytes (hex) : NULL;
  g_autoptr(GPtrArray) nodes = NULL;

  if (bytes == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "icc_data is not hex");
      return NULL;
    }

  nodes = pd_tlv_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL);
  if (nodes == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "icc_data is not valid TLV");
      return NULL;
    }

  /* Tag 55's contents are flat: each object by its tag, as the issuer reads them. */
  for (guint i = 0; i < nodes->len; i++)
    {
      const PdTlv *node = g_ptr_array_index (nodes, i);

      g_hash_table_replace (tags, g_strdup_printf ("%X", node->tag), g_bytes_ref (node->value));
    }

  return g_steal_pointer (&tags);
}
