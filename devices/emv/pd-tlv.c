#include <string.h>

#include "pd-tlv.h"

G_DEFINE_QUARK (pd-tlv-error-quark, pd_tlv_error)

void
pd_tlv_free (PdTlv *tlv)
{
  if (tlv == NULL)
    return;

  g_clear_pointer (&tlv->value, g_bytes_unref);
  g_clear_pointer (&tlv->children, g_ptr_array_unref);
  g_free (tlv);
}

/* The first tag byte of a constructed data object has bit 6 set, whatever the tag's length. */
gboolean
pd_tlv_is_constructed (guint32 tag)
{
  guint32 first = tag;

  while (first > 0xff)
    first >>= 8;
  return (first & 0x20) != 0;
}

static gboolean
read_tag (const guint8  *data,
          gsize          length,
          gsize         *at,
          guint32       *tag,
          GError       **error)
{
  gsize start = *at;

  if (start >= length)
    goto truncated;

  *tag = data[(*at)++];
  if ((*tag & 0x1f) == 0x1f)
    {
      /* Subsequent bytes follow while bit 8 is set; EMV tags are at most three bytes, but
       * four are read so that odd proprietary tags still parse. */
      do
        {
          if (*at >= length)
            goto truncated;
          if (*at - start >= 4)
            {
              g_set_error (error, PD_TLV_ERROR, PD_TLV_ERROR_BAD_TAG,
                           "tag at offset %" G_GSIZE_FORMAT " is longer than 4 bytes", start);
              return FALSE;
            }
          *tag = *tag << 8 | data[*at];
        }
      while (data[(*at)++] & 0x80);
    }

  return TRUE;

truncated:
  g_set_error (error, PD_TLV_ERROR, PD_TLV_ERROR_TRUNCATED,
               "data ends inside a tag at offset %" G_GSIZE_FORMAT, start);
  return FALSE;
}

static gboolean
read_length (const guint8  *data,
             gsize          length,
             gsize         *at,
             gsize         *value_length,
             GError       **error)
{
  guint n;

  if (*at >= length)
    {
      g_set_error (error, PD_TLV_ERROR, PD_TLV_ERROR_TRUNCATED,
                   "data ends before a length at offset %" G_GSIZE_FORMAT, *at);
      return FALSE;
    }

  if (data[*at] < 0x80)
    {
      *value_length = data[(*at)++];
      return TRUE;
    }

  /* Long form: 81 xx or 82 xx xx (EMV lengths fit in two bytes). 80 (indefinite) is not
   * BER as EMV allows it. */
  n = data[(*at)++] & 0x7f;
  if (n == 0 || n > 2)
    {
      g_set_error (error, PD_TLV_ERROR, PD_TLV_ERROR_BAD_LENGTH,
                   "unsupported length form 0x%02X at offset %" G_GSIZE_FORMAT,
                   data[*at - 1], *at - 1);
      return FALSE;
    }
  if (n > length - *at)
    {
      g_set_error (error, PD_TLV_ERROR, PD_TLV_ERROR_TRUNCATED,
                   "data ends inside a length at offset %" G_GSIZE_FORMAT, *at);
      return FALSE;
    }

  *value_length = 0;
  for (guint i = 0; i < n; i++)
    *value_length = *value_length << 8 | data[(*at)++];
  return TRUE;
}

static GPtrArray *
parse_level (const guint8  *data,
             gsize          length,
             guint          depth,
             GError       **error)
{
  g_autoptr(GPtrArray) nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_tlv_free);
  gsize at = 0;

  if (depth > PD_TLV_MAX_DEPTH)
    {
      g_set_error (error, PD_TLV_ERROR, PD_TLV_ERROR_TOO_DEEP,
                   "constructed data nested more than %d deep", PD_TLV_MAX_DEPTH);
      return NULL;
    }

  while (at < length)
    {
      g_autoptr(PdTlv) node = NULL;
      gsize value_length;
      guint32 tag;

      /* 00 and FF fill the space between data objects (Book 3 Annex B). */
      if (data[at] == 0x00 || data[at] == 0xff)
        {
          at++;
          continue;
        }

      if (!read_tag (data, length, &at, &tag, error) ||
          !read_length (data, length, &at, &value_length, error))
        return NULL;

      if (value_length > length - at)
        {
          g_set_error (error, PD_TLV_ERROR, PD_TLV_ERROR_TRUNCATED,
                       "tag %X says %" G_GSIZE_FORMAT " bytes, %" G_GSIZE_FORMAT " are left",
                       tag, value_length, length - at);
          return NULL;
        }

      node = g_new0 (PdTlv, 1);
      node->tag = tag;
      node->value = pd_bytes_new_wiped (data + at, value_length);
      if (pd_tlv_is_constructed (tag))
        {
          node->children = parse_level (data + at, value_length, depth + 1, error);
          if (node->children == NULL)
            return NULL;
        }

      at += value_length;
      g_ptr_array_add (nodes, g_steal_pointer (&node));
    }

  return g_steal_pointer (&nodes);
}

GPtrArray *
pd_tlv_parse (const guint8  *data,
              gsize          length,
              GError       **error)
{
  g_return_val_if_fail (data != NULL || length == 0, NULL);

  return parse_level (data, length, 0, error);
}

/* Depth first, in order: the first occurrence of the tag, in a template or at the top. */
const PdTlv *
pd_tlv_find (GPtrArray *nodes,
             guint32    tag)
{
  if (nodes == NULL)
    return NULL;

  for (guint i = 0; i < nodes->len; i++)
    {
      const PdTlv *node = g_ptr_array_index (nodes, i);
      const PdTlv *found;

      if (node->tag == tag)
        return node;
      if ((found = pd_tlv_find (node->children, tag)) != NULL)
        return found;
    }

  return NULL;
}

void
pd_tlv_append (GByteArray   *out,
               guint32       tag,
               const guint8 *value,
               gsize         length)
{
  guint8 header[8];
  guint n = 0;

  g_return_if_fail (out != NULL);
  g_return_if_fail (length <= 0xffff);

  for (int shift = 24; shift >= 0; shift -= 8)
    if ((tag >> shift) != 0 || shift == 0)
      header[n++] = (guint8) (tag >> shift);

  if (length < 0x80)
    header[n++] = (guint8) length;
  else if (length <= 0xff)
    {
      header[n++] = 0x81;
      header[n++] = (guint8) length;
    }
  else
    {
      header[n++] = 0x82;
      header[n++] = (guint8) (length >> 8);
      header[n++] = (guint8) length;
    }

  g_byte_array_append (out, header, n);
  if (length > 0)
    g_byte_array_append (out, value, (guint) length);
}

typedef struct {
  gsize length;
  guint8 bytes[];
} WipedBuffer;

static void
wipe_buffer (gpointer data)
{
  WipedBuffer *buffer = data;
  volatile guint8 *bytes = buffer->bytes;

  for (gsize i = 0; i < buffer->length; i++)
    bytes[i] = 0;
  g_free (buffer);
}

GBytes *
pd_bytes_new_wiped (const guint8 *data,
                    gsize         length)
{
  WipedBuffer *buffer;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  buffer = g_malloc (sizeof (WipedBuffer) + length + 1);
  buffer->length = length;
  if (length > 0)
    memcpy (buffer->bytes, data, length);
  return g_bytes_new_with_free_func (buffer->bytes, length, wipe_buffer, buffer);
}
