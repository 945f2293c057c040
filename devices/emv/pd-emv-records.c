#include <glib/gi18n-lib.h>

#include "pd-emv-records.h"
#include "pd-emv-select.h"
#include "pd-emv-tags.h"

static gboolean
card_data_error (GError **error)
{
  g_set_error (error, PD_EMV_ERROR, PD_EMV_ERROR_CARD_DATA,
               _("The card sent data this terminal cannot read. Please use another card."));
  return FALSE;
}

static gboolean
read_one (PdEmvLink  *link,
          guint8      sfi,
          guint8      record,
          gboolean    for_oda,
          PdEmvData  *data,
          GByteArray *static_data,
          gboolean   *oda_records_usable,
          GError    **error)
{
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GPtrArray) nodes = NULL;
  g_autoptr(GError) parse_error = NULL;
  const PdTlv *template;
  guint16 sw = 0;
  gsize length;
  const guint8 *bytes;

  response = pd_emv_link_exchange (link, "READ RECORD", 0x00, 0xb2, record,
                                   (guint8) (sfi << 3 | 0x04), NULL, 0, TRUE, &sw, error);
  if (response == NULL)
    return FALSE;
  if (sw != PD_SW_OK)
    {
      pd_emv_link_note (link, "record %u of SFI %u missing (%04X)", record, sfi, sw);
      return card_data_error (error);
    }

  bytes = g_bytes_get_data (response, &length);
  nodes = pd_tlv_parse (bytes, length, &parse_error);
  if (nodes == NULL)
    {
      pd_emv_link_note (link, "record %u of SFI %u: %s", record, sfi, parse_error->message);
      return card_data_error (error);
    }

  template = nodes->len == 1 ? g_ptr_array_index (nodes, 0) : NULL;
  if (template == NULL || template->tag != PD_TAG_TEMPLATE_RECORD)
    {
      /* Book 3 section 10.3: a record read for offline data authentication that is not one
       * 70 template fails it; in SFI 1-10 every record must be one. */
      if (sfi <= 10)
        return card_data_error (error);
      if (for_oda)
        *oda_records_usable = FALSE;
    }

  if (!pd_emv_data_add_objects (data, nodes, TRUE, &parse_error))
    {
      pd_emv_link_note (link, "record %u of SFI %u: %s", record, sfi, parse_error->message);
      return card_data_error (error);
    }

  if (for_oda && *oda_records_usable)
    {
      if (sfi <= 10)
        g_byte_array_append (static_data, g_bytes_get_data (template->value, NULL),
                             (guint) g_bytes_get_size (template->value));
      else
        g_byte_array_append (static_data, bytes, (guint) length);
    }

  return TRUE;
}

gboolean
pd_emv_read_records (PdEmvLink    *link,
                     const guint8 *afl,
                     gsize         length,
                     PdEmvData    *data,
                     GByteArray   *static_data,
                     gboolean     *oda_records_usable,
                     GError      **error)
{
  g_return_val_if_fail (link != NULL, FALSE);
  g_return_val_if_fail (afl != NULL || length == 0, FALSE);

  *oda_records_usable = TRUE;
  if (length % 4 != 0)
    return card_data_error (error);

  for (gsize at = 0; at < length; at += 4)
    {
      guint8 sfi = afl[at] >> 3;
      guint8 first = afl[at + 1];
      guint8 last = afl[at + 2];
      guint8 for_oda = afl[at + 3];

      if (sfi < 1 || sfi > 30 || first == 0 || last < first || for_oda > last - first + 1)
        return card_data_error (error);

      for (guint record = first; record <= last; record++)
        if (!read_one (link, sfi, (guint8) record, record - first < for_oda, data, static_data,
                       oda_records_usable, error))
          return FALSE;
    }

  return TRUE;
}
