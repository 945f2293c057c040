#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "pd-escpos-reader.h"

#define EOT 0x04
#define HT  0x09
#define LF  0x0a
#define CR  0x0d
#define DLE 0x10
#define ESC 0x1b
#define GS  0x1d

/* Epson's power-on values for GS ( k: model 2, module size 3, error correction L. */
#define QR_DEFAULT_MODEL 50
#define QR_DEFAULT_MODULE_SIZE 3
#define QR_DEFAULT_ERROR_CORRECTION 48

G_DEFINE_QUARK (pd-escpos-reader-error-quark, pd_escpos_reader_error)

struct _PdEscposDocument {
  GArray *items;      /* PdEscposItem */
  GArray *code_pages; /* PdEscposCodePage */
};

typedef struct {
  const guint8 *data;
  gsize length;
  gsize pos;
  PdPrinterProfile *profile;
  PdEscposDocument *document;
  PdEscposAttributes attributes;
  PdEscposCodePage page;
  /* A printer keeps the symbol's data and settings until changed: one store, many prints. */
  GByteArray *qr_data;
  guint8 qr_model;
  guint8 qr_module_size;
  guint8 qr_error_correction;
} Reader;

static void
item_clear (gpointer data)
{
  PdEscposItem *item = data;

  switch (item->kind)
    {
    case PD_ESCPOS_ITEM_TEXT:
      g_free (item->text.utf8);
      break;
    case PD_ESCPOS_ITEM_RASTER:
      g_free (item->raster.bits);
      break;
    case PD_ESCPOS_ITEM_QR:
      g_free (item->qr.data);
      break;
    case PD_ESCPOS_ITEM_NEWLINE:
    case PD_ESCPOS_ITEM_FEED:
    case PD_ESCPOS_ITEM_CUT:
    default:
      break;
    }
}

static PdEscposDocument *
document_new (void)
{
  PdEscposDocument *self = g_new0 (PdEscposDocument, 1);

  self->items = g_array_new (FALSE, TRUE, sizeof (PdEscposItem));
  g_array_set_clear_func (self->items, item_clear);
  self->code_pages = g_array_new (FALSE, FALSE, sizeof (PdEscposCodePage));
  return self;
}

void
pd_escpos_document_free (PdEscposDocument *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->items);
  g_array_unref (self->code_pages);
  g_free (self);
}

static void
reset (Reader *reader)
{
  reader->attributes = (PdEscposAttributes) {
    .bold = FALSE, .width = 1, .height = 1, .align = PD_ESCPOS_ALIGN_LEFT,
  };
  reader->page = PD_ESCPOS_CODE_PAGE_CP437;
  g_clear_pointer (&reader->qr_data, g_byte_array_unref);
  reader->qr_model = QR_DEFAULT_MODEL;
  reader->qr_module_size = QR_DEFAULT_MODULE_SIZE;
  reader->qr_error_correction = QR_DEFAULT_ERROR_CORRECTION;
}

static PdEscposItem *
add_item (Reader           *reader,
          PdEscposItemKind  kind,
          gsize             offset)
{
  GArray *items = reader->document->items;
  PdEscposItem item = {
    .kind = kind,
    .offset = offset,
    .attributes = reader->attributes,
  };

  g_array_append_val (items, item);
  return &g_array_index (items, PdEscposItem, items->len - 1);
}

static gboolean
fail_truncated (Reader      *reader,
                const char  *command,
                GError     **error)
{
  g_set_error (error, PD_ESCPOS_READER_ERROR, PD_ESCPOS_READER_ERROR_TRUNCATED,
               /* TRANSLATORS: %s is an ESC/POS command (GS v 0), %lu an offset in bytes. */
               _("The job ends inside %s at byte %lu."), command, (gulong) reader->pos);
  return FALSE;
}

/* The command at the reader's position needs count bytes. */
static gboolean
need (Reader      *reader,
      gsize        count,
      const char  *command,
      GError     **error)
{
  if (count <= reader->length - reader->pos)
    return TRUE;
  return fail_truncated (reader, command, error);
}

static gboolean
fail_unknown (Reader      *reader,
              gsize        count,
              GError     **error)
{
  g_autoptr(GString) hex = g_string_new (NULL);

  for (gsize i = 0; i < count && reader->pos + i < reader->length; i++)
    g_string_append_printf (hex, "%s%02X", i > 0 ? " " : "", reader->data[reader->pos + i]);
  g_set_error (error, PD_ESCPOS_READER_ERROR, PD_ESCPOS_READER_ERROR_UNKNOWN_COMMAND,
               /* TRANSLATORS: %s is the command's bytes in hex (1B 47), %lu an offset. */
               _("Unknown command %s at byte %lu."), hex->str, (gulong) reader->pos);
  return FALSE;
}

static gboolean
fail_invalid (Reader      *reader,
              const char  *command,
              guint        value,
              GError     **error)
{
  g_set_error (error, PD_ESCPOS_READER_ERROR, PD_ESCPOS_READER_ERROR_INVALID,
               /* TRANSLATORS: %s is an ESC/POS command (GS !), %lu an offset in bytes. */
               _("%s at byte %lu has a parameter out of range (%u)."),
               command, (gulong) reader->pos, value);
  return FALSE;
}

static gboolean
read_text (Reader  *reader,
           GError **error)
{
  g_autoptr(GString) utf8 = g_string_new (NULL);
  gsize start = reader->pos;
  PdEscposItem *item;
  guint i;

  for (; reader->pos < reader->length; reader->pos++)
    {
      guint8 byte = reader->data[reader->pos];

      if (byte < 0x20 && byte != HT)
        break;
      /* One at a time, to say which byte the page lacks. */
      if (!pd_escpos_decode (reader->page, &byte, 1, utf8))
        {
          g_set_error (error, PD_ESCPOS_READER_ERROR, PD_ESCPOS_READER_ERROR_INVALID,
                       /* TRANSLATORS: 0x%02X is a byte, %lu an offset, %s a code page. */
                       _("Byte 0x%02X at byte %lu has no character in %s."), byte,
                       (gulong) reader->pos, pd_escpos_code_page_to_string (reader->page));
          return FALSE;
        }
    }

  item = add_item (reader, PD_ESCPOS_ITEM_TEXT, start);
  item->text.utf8 = g_string_free (g_steal_pointer (&utf8), FALSE);
  item->text.page = reader->page;

  for (i = 0; i < reader->document->code_pages->len; i++)
    if (g_array_index (reader->document->code_pages, PdEscposCodePage, i) == reader->page)
      break;
  if (i == reader->document->code_pages->len)
    g_array_append_val (reader->document->code_pages, reader->page);
  return TRUE;
}

static gboolean
select_code_page (Reader  *reader,
                  guint8   number,
                  GError **error)
{
  static const PdPrinterCodePage epson[] = {
    { PD_ESCPOS_CODE_PAGE_CP437, 0 },
    { PD_ESCPOS_CODE_PAGE_CP1252, 16 },
    { PD_ESCPOS_CODE_PAGE_CP858, 19 },
  };
  const PdPrinterCodePage *pages = epson;
  guint n_pages = G_N_ELEMENTS (epson);

  if (reader->profile != NULL)
    pages = pd_printer_profile_get_code_pages (reader->profile, &n_pages);

  for (guint i = 0; i < n_pages; i++)
    if (pages[i].esc_t_number == number)
      {
        reader->page = pages[i].page;
        return TRUE;
      }

  g_set_error (error, PD_ESCPOS_READER_ERROR, PD_ESCPOS_READER_ERROR_BAD_CODE_PAGE,
               /* TRANSLATORS: ESC t is an ESC/POS command; %u its number, %lu an offset. */
               _("ESC t %u at byte %lu selects no code page this printer has."),
               number, (gulong) reader->pos);
  return FALSE;
}

static gboolean
read_esc (Reader  *reader,
          GError **error)
{
  const guint8 *command = reader->data + reader->pos;
  guint8 n;

  if (!need (reader, 2, "ESC", error))
    return FALSE;

  if (command[1] == '@')
    {
      reset (reader);
      reader->pos += 2;
      return TRUE;
    }

  /* Every other command this reader knows takes one parameter byte. */
  if (command[1] == '\0' || strchr ("tE!adJ", command[1]) == NULL)
    return fail_unknown (reader, 2, error);
  {
    char name[] = { 'E', 'S', 'C', ' ', (char) command[1], '\0' };

    if (!need (reader, 3, name, error))
      return FALSE;
  }
  n = command[2];

  switch (command[1])
    {
    case 't':
      if (!select_code_page (reader, n, error))
        return FALSE;
      break;
    case 'E':
      reader->attributes.bold = (n & 0x01) != 0;
      break;
    case '!':
      /* Font B (bit 0) and underline (bit 7) do not matter to what the reader keeps. */
      reader->attributes.bold = (n & 0x08) != 0;
      reader->attributes.height = (n & 0x10) != 0 ? 2 : 1;
      reader->attributes.width = (n & 0x20) != 0 ? 2 : 1;
      break;
    case 'a':
      if (n <= 2)
        reader->attributes.align = (PdEscposAlign) n;
      else if (n >= '0' && n <= '2')
        reader->attributes.align = (PdEscposAlign) (n - '0');
      else
        return fail_invalid (reader, "ESC a", n, error);
      break;
    case 'd':
      add_item (reader, PD_ESCPOS_ITEM_NEWLINE, reader->pos)->newline.count = n;
      break;
    case 'J':
      add_item (reader, PD_ESCPOS_ITEM_FEED, reader->pos)->feed.dots = n;
      break;
    default:
      g_assert_not_reached ();
    }

  reader->pos += 3;
  return TRUE;
}

static gboolean
read_raster (Reader  *reader,
             GError **error)
{
  const guint8 *command = reader->data + reader->pos;
  guint8 mode;
  guint width_bytes, height;
  gsize size;
  PdEscposItem *item;

  if (!need (reader, 8, "GS v 0", error))
    return FALSE;

  mode = command[3];
  if (mode > 3 && (mode < '0' || mode > '3'))
    return fail_invalid (reader, "GS v 0", mode, error);
  width_bytes = command[4] | (guint) command[5] << 8;
  height = command[6] | (guint) command[7] << 8;
  if (width_bytes == 0 || height == 0)
    return fail_invalid (reader, "GS v 0", 0, error);

  /* At most 65535 by 65535, which a gsize holds: no overflow. */
  size = (gsize) width_bytes * height;
  if (size > reader->length - reader->pos - 8)
    {
      g_set_error (error, PD_ESCPOS_READER_ERROR, PD_ESCPOS_READER_ERROR_TRUNCATED,
                   /* TRANSLATORS: %lu are a byte offset and counts of bytes. */
                   _("The raster image at byte %lu needs %lu bytes of data; the job has %lu."),
                   (gulong) reader->pos, (gulong) size,
                   (gulong) (reader->length - reader->pos - 8));
      return FALSE;
    }

  item = add_item (reader, PD_ESCPOS_ITEM_RASTER, reader->pos);
  item->raster.width = width_bytes * 8;
  item->raster.height = height;
  item->raster.stride = width_bytes;
  item->raster.bits = g_memdup2 (command + 8, size);
  item->raster.mode = mode & 0x03;
  reader->pos += 8 + size;
  return TRUE;
}

/* GS ( k pL pH cn fn parameters, for QR (cn 49); length counts cn, fn and parameters. */
static gboolean
read_2d_code (Reader  *reader,
              GError **error)
{
  const guint8 *command = reader->data + reader->pos;
  const guint8 *parameters;
  gsize length;
  guint8 function;

  if (!need (reader, 5, "GS ( k", error))
    return FALSE;
  length = command[3] | (gsize) command[4] << 8;
  if (!need (reader, 5 + length, "GS ( k", error))
    return FALSE;
  if (length < 2)
    return fail_invalid (reader, "GS ( k", (guint) length, error);
  /* Other symbologies (PDF417, MaxiCode...) are unknown here. */
  if (command[5] != 49)
    return fail_unknown (reader, 7, error);

  function = command[6];
  parameters = command + 7;
  length -= 2;

  switch (function)
    {
    case 65:
      if (length != 2 || parameters[0] < 49 || parameters[0] > 51 || parameters[1] != 0)
        return fail_invalid (reader, "GS ( k 65", length > 0 ? parameters[0] : 0, error);
      reader->qr_model = parameters[0];
      break;
    case 67:
      if (length != 1 || parameters[0] < 1 || parameters[0] > 16)
        return fail_invalid (reader, "GS ( k 67", length > 0 ? parameters[0] : 0, error);
      reader->qr_module_size = parameters[0];
      break;
    case 69:
      if (length != 1 || parameters[0] < 48 || parameters[0] > 51)
        return fail_invalid (reader, "GS ( k 69", length > 0 ? parameters[0] : 0, error);
      reader->qr_error_correction = parameters[0];
      break;
    case 80:
      if (length < 2 || parameters[0] != 48)
        return fail_invalid (reader, "GS ( k 80", length > 0 ? parameters[0] : 0, error);
      g_clear_pointer (&reader->qr_data, g_byte_array_unref);
      reader->qr_data = g_byte_array_sized_new ((guint) length);
      g_byte_array_append (reader->qr_data, parameters + 1, (guint) (length - 1));
      break;
    case 81:
      {
        PdEscposItem *item;

        if (length != 1 || parameters[0] != 48)
          return fail_invalid (reader, "GS ( k 81", length > 0 ? parameters[0] : 0, error);
        if (reader->qr_data == NULL)
          {
            g_set_error (error, PD_ESCPOS_READER_ERROR, PD_ESCPOS_READER_ERROR_INVALID,
                         _("GS ( k at byte %lu prints a QR code, but none was stored."),
                         (gulong) reader->pos);
            return FALSE;
          }
        item = add_item (reader, PD_ESCPOS_ITEM_QR, reader->pos);
        item->qr.length = reader->qr_data->len;
        item->qr.data = g_malloc (item->qr.length + 1);
        memcpy (item->qr.data, reader->qr_data->data, item->qr.length);
        item->qr.data[item->qr.length] = '\0';
        item->qr.module_size = reader->qr_module_size;
        item->qr.error_correction = reader->qr_error_correction;
        item->qr.model = reader->qr_model;
      }
      break;
    default:
      return fail_unknown (reader, 7, error);
    }

  reader->pos += 7 + length;
  return TRUE;
}

static gboolean
read_cut (Reader  *reader,
          GError **error)
{
  const guint8 *command = reader->data + reader->pos;
  PdEscposItem *item;
  guint8 m;

  if (!need (reader, 3, "GS V", error))
    return FALSE;
  m = command[2];
  if (m != 0 && m != 1 && m != 48 && m != 49 && m != 65 && m != 66)
    return fail_invalid (reader, "GS V", m, error);
  if ((m == 65 || m == 66) && !need (reader, 4, "GS V", error))
    return FALSE;

  item = add_item (reader, PD_ESCPOS_ITEM_CUT, reader->pos);
  item->cut.cut = (m == 1 || m == 49 || m == 66) ? PD_ESCPOS_CUT_FEED_PARTIAL : PD_ESCPOS_CUT_FULL;
  item->cut.feed_to_cutter = m >= 65;
  item->cut.feed = m >= 65 ? command[3] : 0;
  reader->pos += m >= 65 ? 4 : 3;
  return TRUE;
}

static gboolean
read_gs (Reader  *reader,
         GError **error)
{
  const guint8 *command = reader->data + reader->pos;

  if (!need (reader, 2, "GS", error))
    return FALSE;

  switch (command[1])
    {
    case '!':
      if (!need (reader, 3, "GS !", error))
        return FALSE;
      /* Magnifications go up to 8: bits 3 and 7 are never set. */
      if ((command[2] & 0x88) != 0)
        return fail_invalid (reader, "GS !", command[2], error);
      reader->attributes.width = (guint8) ((command[2] >> 4) + 1);
      reader->attributes.height = (guint8) ((command[2] & 0x07) + 1);
      reader->pos += 3;
      return TRUE;
    case 'a':
      /* Automatic status back concerns the driver, not the paper. */
      if (!need (reader, 3, "GS a", error))
        return FALSE;
      reader->pos += 3;
      return TRUE;
    case 'V':
      return read_cut (reader, error);
    case 'v':
      if (!need (reader, 3, "GS v", error))
        return FALSE;
      if (command[2] != '0')
        return fail_unknown (reader, 3, error);
      return read_raster (reader, error);
    case '(':
      if (!need (reader, 3, "GS (", error))
        return FALSE;
      if (command[2] != 'k')
        return fail_unknown (reader, 3, error);
      return read_2d_code (reader, error);
    default:
      return fail_unknown (reader, 2, error);
    }
}

static gboolean
read_dle (Reader  *reader,
          GError **error)
{
  const guint8 *command = reader->data + reader->pos;

  if (!need (reader, 2, "DLE", error))
    return FALSE;
  if (command[1] != EOT)
    return fail_unknown (reader, 2, error);
  if (!need (reader, 3, "DLE EOT", error))
    return FALSE;
  /* A real-time status request: answered by the printer, nothing printed. */
  if (command[2] < 1 || command[2] > 4)
    return fail_invalid (reader, "DLE EOT", command[2], error);
  reader->pos += 3;
  return TRUE;
}

static gboolean
read_command (Reader  *reader,
              GError **error)
{
  guint8 byte = reader->data[reader->pos];

  if (byte >= 0x20 || byte == HT)
    return read_text (reader, error);

  switch (byte)
    {
    case LF:
      add_item (reader, PD_ESCPOS_ITEM_NEWLINE, reader->pos)->newline.count = 1;
      reader->pos++;
      return TRUE;
    case CR:
      /* Printers ship with automatic line feed off, and then ignore CR; software written
       * for Windows sends CR LF. */
      reader->pos++;
      return TRUE;
    case ESC:
      return read_esc (reader, error);
    case GS:
      return read_gs (reader, error);
    case DLE:
      return read_dle (reader, error);
    default:
      return fail_unknown (reader, 1, error);
    }
}

PdEscposDocument *
pd_escpos_document_read (const guint8      *data,
                         gsize              length,
                         PdPrinterProfile  *profile,
                         GError           **error)
{
  g_autoptr(PdEscposDocument) document = NULL;
  Reader reader = { 0 };
  gboolean ok = TRUE;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (profile == NULL || PD_IS_PRINTER_PROFILE (profile), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  document = document_new ();
  reader.data = data;
  reader.length = length;
  reader.profile = profile;
  reader.document = document;
  reset (&reader);

  while (ok && reader.pos < reader.length)
    ok = read_command (&reader, error);

  g_clear_pointer (&reader.qr_data, g_byte_array_unref);
  if (!ok)
    return NULL;
  return g_steal_pointer (&document);
}

PdEscposDocument *
pd_escpos_document_read_bytes (GBytes            *bytes,
                               PdPrinterProfile  *profile,
                               GError           **error)
{
  gsize length;
  const guint8 *data;

  g_return_val_if_fail (bytes != NULL, NULL);

  data = g_bytes_get_data (bytes, &length);
  return pd_escpos_document_read (data, length, profile, error);
}

guint
pd_escpos_document_get_n_items (const PdEscposDocument *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->items->len;
}

const PdEscposItem *
pd_escpos_document_get_item (const PdEscposDocument *self,
                             guint                   index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->items->len, NULL);
  return &g_array_index (self->items, PdEscposItem, index);
}

guint
pd_escpos_document_count_items (const PdEscposDocument *self,
                                PdEscposItemKind        kind)
{
  guint count = 0;

  g_return_val_if_fail (self != NULL, 0);

  for (guint i = 0; i < self->items->len; i++)
    if (g_array_index (self->items, PdEscposItem, i).kind == kind)
      count++;
  return count;
}

const PdEscposItem *
pd_escpos_document_find_item (const PdEscposDocument *self,
                              PdEscposItemKind        kind,
                              guint                   nth)
{
  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; i < self->items->len; i++)
    {
      const PdEscposItem *item = &g_array_index (self->items, PdEscposItem, i);

      if (item->kind == kind && nth-- == 0)
        return item;
    }
  return NULL;
}

char *
pd_escpos_document_dup_text (const PdEscposDocument *self)
{
  g_autoptr(GString) text = NULL;
  gboolean line_has_text = FALSE;

  g_return_val_if_fail (self != NULL, NULL);

  text = g_string_new (NULL);
  for (guint i = 0; i < self->items->len; i++)
    {
      const PdEscposItem *item = &g_array_index (self->items, PdEscposItem, i);

      switch (item->kind)
        {
        case PD_ESCPOS_ITEM_TEXT:
          g_string_append (text, item->text.utf8);
          line_has_text = TRUE;
          break;
        case PD_ESCPOS_ITEM_NEWLINE:
          {
            guint count = item->newline.count;

            /* ESC d 0 still prints the line it ends. */
            if (count == 0 && line_has_text)
              count = 1;
            for (guint j = 0; j < count; j++)
              g_string_append_c (text, '\n');
            line_has_text = FALSE;
          }
          break;
        case PD_ESCPOS_ITEM_FEED:
        case PD_ESCPOS_ITEM_RASTER:
        case PD_ESCPOS_ITEM_QR:
        case PD_ESCPOS_ITEM_CUT:
        default:
          /* Each prints the pending line first; on their own they add no line of text. */
          if (line_has_text)
            g_string_append_c (text, '\n');
          line_has_text = FALSE;
          break;
        }
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

GStrv
pd_escpos_document_dup_qr_payloads (const PdEscposDocument *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; i < self->items->len; i++)
    {
      const PdEscposItem *item = &g_array_index (self->items, PdEscposItem, i);

      if (item->kind == PD_ESCPOS_ITEM_QR)
        g_strv_builder_add (builder, item->qr.data);
    }
  return g_strv_builder_end (builder);
}

const PdEscposCodePage *
pd_escpos_document_get_code_pages (const PdEscposDocument *self,
                                   guint                  *n_pages)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (n_pages != NULL, NULL);

  *n_pages = self->code_pages->len;
  return (const PdEscposCodePage *) (gconstpointer) self->code_pages->data;
}
