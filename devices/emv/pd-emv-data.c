#include <string.h>

#include "pd-emv-data.h"
#include "pd-emv-tags.h"
#include "pd-hex.h"

struct _PdEmvData {
  GHashTable *objects;
  /* Tags the card sent in records and the GPO answer: each may come once. */
  GHashTable *card_tags;
};

PdEmvData *
pd_emv_data_new (void)
{
  PdEmvData *data = g_new0 (PdEmvData, 1);

  data->objects = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_bytes_unref);
  data->card_tags = g_hash_table_new (NULL, NULL);
  return data;
}

void
pd_emv_data_free (PdEmvData *data)
{
  if (data == NULL)
    return;

  g_hash_table_unref (data->objects);
  g_hash_table_unref (data->card_tags);
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

  g_hash_table_replace (data->objects, GUINT_TO_POINTER (tag), pd_bytes_new_wiped (value, length));
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

/* Data the terminal owns (Book 3 Annex A, source "terminal"): a card that sends them is
 * ignored, or it could choose the date, the amount or the unpredictable number it signs. */
gboolean
pd_emv_tag_is_terminal_source (guint32 tag)
{
  switch (tag)
    {
    case PD_TAG_AMOUNT: case PD_TAG_AMOUNT_OTHER: case PD_TAG_TERMINAL_COUNTRY:
    case PD_TAG_TVR: case PD_TAG_CURRENCY: case PD_TAG_TRANSACTION_DATE:
    case PD_TAG_TRANSACTION_TYPE: case PD_TAG_UNPREDICTABLE_NUMBER: case PD_TAG_TSI:
    case PD_TAG_TERMINAL_TYPE: case PD_TAG_TERMINAL_CAPABILITIES:
    case PD_TAG_ADDITIONAL_CAPABILITIES: case PD_TAG_TTQ: case PD_TAG_POS_ENTRY_MODE:
    case PD_TAG_TRANSACTION_TIME: case PD_TAG_CVM_RESULTS: case PD_TAG_ARC:
    case PD_TAG_ISSUER_AUTH_DATA: case PD_TAG_AID_TERMINAL: case PD_TAG_APP_VERSION_TERMINAL:
    case PD_TAG_DATA_AUTH_CODE: case PD_TAG_ICC_DYNAMIC_NUMBER:
    case PD_TAG_ISSUER_SCRIPT_RESULTS: case PD_TAG_SEQUENCE_COUNTER:
      return TRUE;
    default:
      return FALSE;
    }
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
      gpointer key = GUINT_TO_POINTER (node->tag);

      if (node->children != NULL)
        {
          if (!pd_emv_data_add_objects (data, node->children, unique, error))
            return FALSE;
          continue;
        }

      if (pd_emv_tag_is_terminal_source (node->tag))
        continue;

      if (unique)
        {
          if (g_hash_table_contains (data->card_tags, key))
            {
              g_set_error (error, PD_TLV_ERROR, PD_TLV_ERROR_BAD_TAG,
                           "the card sent tag %X twice", node->tag);
              return FALSE;
            }
          g_hash_table_add (data->card_tags, key);
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

  hex = pd_hex_encode (out->data, out->len);
  if (out->len > 0)
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

/* What a support log may show in full: processing data, never account data. Anything not
 * listed is withheld, so that a tag nobody thought of (9F46 holds the whole PAN inside its
 * certificate, 5F53 an IBAN) cannot leak. */
gboolean
pd_emv_tag_is_loggable (guint32 tag)
{
  switch (tag)
    {
    case PD_TAG_AID_CARD: case PD_TAG_APPLICATION_LABEL: case PD_TAG_RESPONSE_FORMAT_1:
    case PD_TAG_AIP: case PD_TAG_DF_NAME: case PD_TAG_PRIORITY: case PD_TAG_SFI:
    case PD_TAG_ARC: case PD_TAG_CDOL1: case PD_TAG_CDOL2: case PD_TAG_CVM_LIST:
    case PD_TAG_CAPK_INDEX: case PD_TAG_AFL: case PD_TAG_TVR: case PD_TAG_TRANSACTION_DATE:
    case PD_TAG_TSI: case PD_TAG_TRANSACTION_TYPE: case PD_TAG_EFFECTIVE:
    case PD_TAG_ISSUER_COUNTRY: case PD_TAG_CURRENCY: case PD_TAG_LANGUAGES: case PD_TAG_PSN:
    case PD_TAG_AMOUNT: case PD_TAG_AMOUNT_OTHER: case PD_TAG_AUC: case PD_TAG_APP_VERSION_CARD:
    case PD_TAG_IAC_DEFAULT: case PD_TAG_IAC_DENIAL: case PD_TAG_IAC_ONLINE: case PD_TAG_IAD:
    case 0x9f11: case PD_TAG_PREFERRED_NAME: case PD_TAG_TERMINAL_COUNTRY:
    case PD_TAG_CRYPTOGRAM: case PD_TAG_CID: case PD_TAG_TERMINAL_CAPABILITIES:
    case PD_TAG_CVM_RESULTS: case PD_TAG_TERMINAL_TYPE: case PD_TAG_ATC:
    case PD_TAG_UNPREDICTABLE_NUMBER: case PD_TAG_PDOL: case 0x9f42: case 0x9f44:
    case PD_TAG_DDOL: case PD_TAG_SDA_TAG_LIST: case PD_TAG_TTQ: case PD_TAG_CTQ:
    case PD_TAG_FORM_FACTOR: case 0x9f32: case 0x9f47:
      return TRUE;
    default:
      return FALSE;
    }
}
