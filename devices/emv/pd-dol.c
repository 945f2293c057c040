#include <string.h>

#include "pd-dol.h"

GArray *
pd_dol_parse (const guint8  *data,
              gsize          length,
              GError       **error)
{
  g_autoptr(GArray) entries = g_array_new (FALSE, FALSE, sizeof (PdDolEntry));
  gsize at = 0;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  while (at < length)
    {
      PdDolEntry entry = { 0 };
      gsize start = at;

      entry.tag = data[at++];
      if ((entry.tag & 0x1f) == 0x1f)
        do
          {
            if (at >= length || at - start >= 4)
              goto malformed;
            entry.tag = entry.tag << 8 | data[at];
          }
        while (data[at++] & 0x80);

      /* A DOL length is one byte. */
      if (at >= length)
        goto malformed;
      entry.length = data[at++];
      g_array_append_val (entries, entry);
    }

  return g_steal_pointer (&entries);

malformed:
  g_set_error (error, PD_TLV_ERROR, PD_TLV_ERROR_TRUNCATED,
               "the data object list ends inside an entry at offset %" G_GSIZE_FORMAT, at);
  return NULL;
}

typedef enum {
  FORMAT_BINARY,
  FORMAT_NUMERIC,
  FORMAT_COMPRESSED_NUMERIC,
} Format;

/* The formats that change how a value is fitted; anything else is binary. */
static Format
format_of (guint32 tag)
{
  switch (tag)
    {
    case 0x9f02: case 0x9f03: case 0x9f1a: case 0x5f2a: case 0x9a: case 0x9c: case 0x9f21:
    case 0x9f35: case 0x5f36: case 0x9f15: case 0x9f41: case 0x9f3c:
      return FORMAT_NUMERIC;
    case 0x5a:
      return FORMAT_COMPRESSED_NUMERIC;
    default:
      return FORMAT_BINARY;
    }
}

/* Fits a value to the length the card asked for: numeric values keep their rightmost digits
 * and gain leading zeros, compressed numeric is padded with F, anything else keeps its
 * leftmost bytes and gains trailing zeros. A value the terminal does not have is zeros. */
GByteArray *
pd_dol_build (GArray      *entries,
              PdDolLookup  lookup,
              gpointer     user_data)
{
  GByteArray *out = g_byte_array_new ();

  g_return_val_if_fail (entries != NULL, out);
  g_return_val_if_fail (lookup != NULL, out);

  for (guint i = 0; i < entries->len; i++)
    {
      const PdDolEntry *entry = &g_array_index (entries, PdDolEntry, i);
      g_autoptr(GBytes) value = lookup (entry->tag, user_data);
      g_autofree guint8 *field = g_malloc0 (MAX (entry->length, 1));
      gsize have = 0;
      const guint8 *bytes = value != NULL ? g_bytes_get_data (value, &have) : NULL;

      switch (value != NULL ? format_of (entry->tag) : FORMAT_BINARY)
        {
        case FORMAT_NUMERIC:
          if (have >= entry->length)
            memcpy (field, bytes + have - entry->length, entry->length);
          else
            memcpy (field + entry->length - have, bytes, have);
          break;
        case FORMAT_COMPRESSED_NUMERIC:
          memset (field, 0xff, entry->length);
          memcpy (field, bytes, MIN (have, entry->length));
          break;
        case FORMAT_BINARY:
        default:
          if (bytes != NULL)
            memcpy (field, bytes, MIN (have, entry->length));
          break;
        }

      g_byte_array_append (out, field, (guint) entry->length);
    }

  return out;
}
