#include <string.h>

#include <glib/gi18n-lib.h>

#include "pd-emv-data.h"
#include "pd-emv-link.h"
#include "pd-hex.h"

struct _PdEmvLink {
  PdCardChannel *channel;
  GString *log;
  guint commands;
};

PdEmvLink *
pd_emv_link_new (PdCardChannel *channel)
{
  PdEmvLink *link = g_new0 (PdEmvLink, 1);

  g_return_val_if_fail (channel != NULL, NULL);

  link->channel = channel;
  link->log = g_string_new (NULL);
  return link;
}

void
pd_emv_link_free (PdEmvLink *link)
{
  if (link == NULL)
    return;

  g_string_free (link->log, TRUE);
  g_free (link);
}

static void
log_objects (GString   *log,
             GPtrArray *nodes)
{
  for (guint i = 0; nodes != NULL && i < nodes->len; i++)
    {
      const PdTlv *node = g_ptr_array_index (nodes, i);
      gsize length;
      const guint8 *value = g_bytes_get_data (node->value, &length);

      if (node->children != NULL)
        {
          g_string_append_printf (log, " %X{", node->tag);
          log_objects (log, node->children);
          g_string_append (log, " }");
        }
      else if (!pd_emv_tag_is_loggable (node->tag))
        g_string_append_printf (log, " %X=<%" G_GSIZE_FORMAT " bytes withheld>", node->tag,
                                length);
      else
        {
          g_autofree char *hex = pd_hex_encode (value, length);

          g_string_append_printf (log, " %X=%s", node->tag, hex);
        }
    }
}

/* What a support engineer needs to see: each command, its status word and which objects the
 * card sent, with the values of all but the sensitive ones (PCI DSS 3.3.1). */
static void
log_exchange (PdEmvLink    *link,
              const char   *name,
              const guint8 *header,
              gsize         command_length,
              guint16       sw,
              GBytes       *response)
{
  gsize length = 0;
  const guint8 *data = response != NULL ? g_bytes_get_data (response, &length) : NULL;
  g_autoptr(GPtrArray) nodes = length > 0 ? pd_tlv_parse (data, length, NULL) : NULL;

  g_string_append_printf (link->log, "> %s %02X %02X %02X %02X (%" G_GSIZE_FORMAT " bytes)\n",
                          name, header[0], header[1], header[2], header[3], command_length);
  g_string_append_printf (link->log, "< %04X (%" G_GSIZE_FORMAT " bytes)", sw, length);
  if (nodes != NULL)
    log_objects (link->log, nodes);
  else if (length > 0)
    g_string_append (link->log, " <not TLV, withheld>");
  g_string_append_c (link->log, '\n');
}

GBytes *
pd_emv_link_exchange (PdEmvLink     *link,
                      const char    *name,
                      guint8         cla,
                      guint8         ins,
                      guint8         p1,
                      guint8         p2,
                      const guint8  *data,
                      gsize          length,
                      gboolean       expect_data,
                      guint16       *sw,
                      GError       **error)
{
  g_autoptr(GByteArray) apdu = g_byte_array_sized_new ((guint) length + 6);
  const guint8 header[4] = { cla, ins, p1, p2 };
  g_autoptr(GBytes) response = NULL;
  guint16 status = 0;

  g_return_val_if_fail (link != NULL, NULL);

  /* Short APDUs only: every EMV command fits; a DOL asking for more is the card's fault. */
  if (length > 255)
    {
      g_set_error (error, PD_CARD_ERROR, PD_CARD_ERROR_BAD_RESPONSE,
                   _("The card asked for more data than a command can carry."));
      return NULL;
    }

  g_byte_array_append (apdu, header, 4);
  if (length > 0)
    {
      guint8 lc = (guint8) length;

      g_byte_array_append (apdu, &lc, 1);
      g_byte_array_append (apdu, data, (guint) length);
    }
  if (expect_data)
    {
      guint8 le = 0x00;

      g_byte_array_append (apdu, &le, 1);
    }

  link->commands++;
  response = pd_card_channel_transmit (link->channel, apdu->data, apdu->len, &status, error);
  /* The command may carry the PDOL or CDOL data: wipe it. */
  memset (apdu->data, 0, apdu->len);
  if (response == NULL)
    {
      g_string_append_printf (link->log, "> %s %02X %02X %02X %02X: no answer\n", name, cla,
                              ins, p1, p2);
      return NULL;
    }

  log_exchange (link, name, header, length, status, response);
  *sw = status;
  return g_steal_pointer (&response);
}

void
pd_emv_link_note (PdEmvLink  *link,
                  const char *format,
                  ...)
{
  va_list args;

  g_return_if_fail (link != NULL);

  g_string_append (link->log, "# ");
  va_start (args, format);
  g_string_append_vprintf (link->log, format, args);
  va_end (args);
  g_string_append_c (link->log, '\n');
}

const char *
pd_emv_link_get_log (PdEmvLink *link)
{
  g_return_val_if_fail (link != NULL, NULL);

  return link->log->str;
}

guint
pd_emv_link_get_commands (PdEmvLink *link)
{
  g_return_val_if_fail (link != NULL, 0);

  return link->commands;
}
