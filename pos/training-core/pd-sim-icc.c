#include <gio/gio.h>

#include "pd-sim-icc.h"

static GBytes *
hex_to_bytes (const char *hex)
{
  gsize length = strlen (hex);
  g_autofree guint8 *data = NULL;

  if (length % 2 != 0)
    return NULL;

  data = g_malloc (length / 2 + 1);
  for (gsize i = 0; i < length / 2; i++)
    {
      int high = g_ascii_xdigit_value (hex[2 * i]);
      int low = g_ascii_xdigit_value (hex[2 * i + 1]);

      if (high < 0 || low < 0)
        return NULL;
      data[i] = (guint8) (high << 4 | low);
    }

  return g_bytes_new_take (g_steal_pointer (&data), length / 2);
}

GHashTable *
pd_sim_icc_parse (const char  *hex,
                  GError     **error)
{
  g_autoptr(GHashTable) tags = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                      (GDestroyNotify) g_bytes_unref);
  g_autoptr(GBytes) bytes = hex != NULL ? hex_to_bytes (hex) : NULL;
  const guint8 *data;
  gsize size;
  gsize at = 0;

  if (bytes == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "icc_data is not hex");
      return NULL;
    }

  data = g_bytes_get_data (bytes, &size);
  while (at < size)
    {
      gsize tag_start = at;
      gsize length = 0;
      g_autoptr(GString) tag = g_string_new (NULL);

      /* A tag continues while the low five bits of its first byte are all set, then while
       * the high bit of the next is set. */
      at++;
      if ((data[tag_start] & 0x1f) == 0x1f)
        do
          {
            if (at >= size)
              goto malformed;
          }
        while ((data[at++] & 0x80) != 0);

      if (at - tag_start > 4 || at >= size)
        goto malformed;
      for (gsize i = tag_start; i < at; i++)
        g_string_append_printf (tag, "%02X", data[i]);

      if (data[at] < 0x80)
        length = data[at++];
      else
        {
          guint n = data[at++] & 0x7f;

          if (n == 0 || n > 2 || n > size - at)
            goto malformed;
          for (guint i = 0; i < n; i++)
            length = length << 8 | data[at++];
        }

      if (length > size - at)
        goto malformed;

      g_hash_table_replace (tags, g_string_free (g_steal_pointer (&tag), FALSE),
                            g_bytes_new (data + at, length));
      at += length;
    }

  return g_steal_pointer (&tags);

malformed:
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "icc_data is not valid TLV");
  return NULL;
}
