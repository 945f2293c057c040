#include <string.h>

#include "pd-emv-data.h"
#include "pd-emv-tags.h"

struct _PdEmvData {
  GHashTable *objects;
};

typedef struct {
  gsize length;
  guint8 bytes[];
} WipedBuffer;

/* Card data (the PAN, track 2) is wiped when the last reference goes, not left in freed
 * memory. */
static void
wipe_buffer (gpointer data)
{
  WipedBuffer *buffer = data;
  volatile guint8 *bytes = buffer->bytes;

  for (gsize i = 0; i < buffer->length; i++)
    bytes[i] = 0;
  g_free (buffer);
}

static GBytes *
wiped_bytes_new (const guint8 *value,
                 gsize         length)
{
  WipedBuffer *buffer = g_malloc (sizeof (WipedBuffer) + length + 1);

  buffer->length = length;
  if (length > 0)
    memcpy (buffer->bytes, value, length);
  return g_bytes_new_with_free_func (buffer->bytes, length, wipe_buffer, buffer);
}

PdEmvData *
pd_emv_data_new (void)
{
  PdEmvData *data = g_new0 (PdEmvData, 1);

  data->objects = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_bytes_unref);
  return data;
}

void
pd_emv_data_free (PdEmvData *data)
{
  if (data == NULL)
    return;

  g_hash_table_unref (data->objects);
  g_free (data);
}

void
pd_emv_data_set (PdEmvData    *data,
                 guint32       tag,
                 const guint8 *value,
                 gsize         length)
{
  g_return_if_fail (data != NULL);
  g_return_if_fail (value != NULL || length == 0);

  g_hash_table_replace (data->objects, GUINT_TO_POINTER (tag), wiped_bytes_new (value, length));
}

void
pd_emv_data_set_bytes (PdEmvData *data,
                       guint32    tag,
                       GBytes    *value)
{
  gsize length;
  const guint8 *bytes;

  g_return_if_fail (value != NULL);

  bytes = g_bytes_get_data (value, &length);
  pd_emv_data_set (data, tag, bytes, length);
}

void
pd_emv_data_set_byte (PdEmvData *data,
                      guint32    tag,
                      guint8     value)
{
  pd_emv_data_set (data, tag, &value, 1);
}

GBytes *
pd_emv_data_get (PdEmvData *data,
                 guint32    tag)
{
  g_return_val_if_fail (data != NULL, NULL);

  return g_hash_table_lookup (data->objects, GUINT_TO_POINTER (tag));
}

/* The value's bytes when it holds at least min_length of them, otherwise NULL. */
const guint8 *
pd_emv_data_peek (PdEmvData *data,
                  guint32    tag,
                  gsize      min_length)
{
  GBytes *value = pd_emv_data_get (data, tag);
  gsize length;
  const guint8 *bytes;

  if (value == NULL)
    return NULL;
  bytes = g_bytes_get_data (value, &length);
  return length >= min_length && length > 0 ? bytes : NULL;
}

void
pd_emv_data_remove (PdEmvData *data,
                    guint32    tag)
{
  g_return_if_fail (data != NULL);

  g_hash_table_remove (data->objects, GUINT_TO_POINTER (tag));
}

gboolean
pd_emv_data_add_objects (PdEmvData  *data,
                         GPtrArray  *nodes,
                         gboolean    unique,
                         GError    **error)
{
  g_return_val_if_fail (data != NULL, FALSE);

  if (nodes == NULL)
    return TRUE;

  for (guint i = 0; i < nodes->len; i++)
    {
      const PdTlv *node = g_ptr_array_index (nodes, i);

      if (node->children != NULL)
        {
          if (!pd_emv_data_add_objects (data, node->children, unique, error))
            return FALSE;
          continue;
        }

      if (unique && g_hash_table_contains (data->objects, GUINT_TO_POINTER (node->tag)))
        {
          g_set_error (error, PD_TLV_ERROR, PD_TLV_ERROR_BAD_TAG,
                       "the card sent tag %X twice", node->tag);
          return FALSE;
        }
      pd_emv_data_set_bytes (data, node->tag, node->value);
    }

  return TRUE;
}

GBytes *
pd_emv_data_lookup (guint32  tag,
                    gpointer data)
{
  GBytes *value = pd_emv_data_get (data, tag);

  return value != NULL ? g_bytes_ref (value) : NULL;
}

char *
pd_emv_data_to_hex (PdEmvData     *data,
                    const guint32 *tags,
                    gsize          n_tags)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  char *hex;

  g_return_val_if_fail (data != NULL, NULL);

  for (gsize i = 0; i < n_tags; i++)
    {
      GBytes *value = pd_emv_data_get (data, tags[i]);
      gsize length;
      const guint8 *bytes;

      if (value == NULL)
        continue;
      bytes = g_bytes_get_data (value, &length);
      pd_tlv_append (out, tags[i], bytes, length);
    }

  hex = pd_emv_hex (out->data, out->len);
  memset (out->data, 0, out->len);
  return hex;
}

gboolean
pd_emv_tag_is_sensitive (guint32 tag)
{
  switch (tag)
    {
    case PD_TAG_TRACK2: case PD_TAG_PAN: case 0x56: case 0x99: case 0x9f6b:
    case 0x9f1f: case 0x9f20: case 0x9f0b: case PD_TAG_CARDHOLDER_NAME:
    case PD_TAG_EXPIRY:
      return TRUE;
    default:
      return FALSE;
    }
}

char *
pd_emv_hex (const guint8 *bytes,
            gsize         length)
{
  static const char digits[] = "0123456789ABCDEF";
  char *hex = g_malloc (length * 2 + 1);

  for (gsize i = 0; i < length; i++)
    {
      hex[2 * i] = digits[bytes[i] >> 4];
      hex[2 * i + 1] = digits[bytes[i] & 0x0f];
    }
  hex[length * 2] = '\0';
  return hex;
}

GBytes *
pd_emv_bytes_from_hex (const char *hex)
{
  gsize length;
  g_autofree guint8 *bytes = NULL;

  g_return_val_if_fail (hex != NULL, NULL);

  length = strlen (hex);
  if (length % 2 != 0)
    return NULL;

  bytes = g_malloc (length / 2 + 1);
  for (gsize i = 0; i < length / 2; i++)
    {
      int high = g_ascii_xdigit_value (hex[2 * i]);
      int low = g_ascii_xdigit_value (hex[2 * i + 1]);

      if (high < 0 || low < 0)
        return NULL;
      bytes[i] = (guint8) (high << 4 | low);
    }

  return g_bytes_new_take (g_steal_pointer (&bytes), length / 2);
}
