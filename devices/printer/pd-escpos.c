#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "pd-escpos.h"

#define ESC 0x1b
#define GS  0x1d
#define DLE 0x10
#define EOT 0x04

/* GS v 0 counts width in bytes and height in dots, each in two bytes. */
#define RASTER_MAX_WIDTH_BYTES 0xffff
#define RASTER_MAX_HEIGHT 0xffff
/* GS ( k stores at most this much in one QR symbol (model 2, the largest version). */
/* Byte mode at error correction level M, version 40: what GS ( k can hold here. */
#define QR_MAX_DATA 2331

/* The upper halves (0x80 to 0xff) of the code pages as Unicode; 0 where the page has
 * nothing. The lower halves are ASCII on every page a receipt printer uses. */
static const gunichar cp437_upper[128] = {
  0x00C7, 0x00FC, 0x00E9, 0x00E2, 0x00E4, 0x00E0, 0x00E5, 0x00E7,
  0x00EA, 0x00EB, 0x00E8, 0x00EF, 0x00EE, 0x00EC, 0x00C4, 0x00C5,
  0x00C9, 0x00E6, 0x00C6, 0x00F4, 0x00F6, 0x00F2, 0x00FB, 0x00F9,
  0x00FF, 0x00D6, 0x00DC, 0x00A2, 0x00A3, 0x00A5, 0x20A7, 0x0192,
  0x00E1, 0x00ED, 0x00F3, 0x00FA, 0x00F1, 0x00D1, 0x00AA, 0x00BA,
  0x00BF, 0x2310, 0x00AC, 0x00BD, 0x00BC, 0x00A1, 0x00AB, 0x00BB,
  0x2591, 0x2592, 0x2593, 0x2502, 0x2524, 0x2561, 0x2562, 0x2556,
  0x2555, 0x2563, 0x2551, 0x2557, 0x255D, 0x255C, 0x255B, 0x2510,
  0x2514, 0x2534, 0x252C, 0x251C, 0x2500, 0x253C, 0x255E, 0x255F,
  0x255A, 0x2554, 0x2569, 0x2566, 0x2560, 0x2550, 0x256C, 0x2567,
  0x2568, 0x2564, 0x2565, 0x2559, 0x2558, 0x2552, 0x2553, 0x256B,
  0x256A, 0x2518, 0x250C, 0x2588, 0x2584, 0x258C, 0x2590, 0x2580,
  0x03B1, 0x00DF, 0x0393, 0x03C0, 0x03A3, 0x03C3, 0x00B5, 0x03C4,
  0x03A6, 0x0398, 0x03A9, 0x03B4, 0x221E, 0x03C6, 0x03B5, 0x2229,
  0x2261, 0x00B1, 0x2265, 0x2264, 0x2320, 0x2321, 0x00F7, 0x2248,
  0x00B0, 0x2219, 0x00B7, 0x221A, 0x207F, 0x00B2, 0x25A0, 0x00A0,
};

/* CP850 with the euro sign where the dotless i was. */
static const gunichar cp858_upper[128] = {
  0x00C7, 0x00FC, 0x00E9, 0x00E2, 0x00E4, 0x00E0, 0x00E5, 0x00E7,
  0x00EA, 0x00EB, 0x00E8, 0x00EF, 0x00EE, 0x00EC, 0x00C4, 0x00C5,
  0x00C9, 0x00E6, 0x00C6, 0x00F4, 0x00F6, 0x00F2, 0x00FB, 0x00F9,
  0x00FF, 0x00D6, 0x00DC, 0x00F8, 0x00A3, 0x00D8, 0x00D7, 0x0192,
  0x00E1, 0x00ED, 0x00F3, 0x00FA, 0x00F1, 0x00D1, 0x00AA, 0x00BA,
  0x00BF, 0x00AE, 0x00AC, 0x00BD, 0x00BC, 0x00A1, 0x00AB, 0x00BB,
  0x2591, 0x2592, 0x2593, 0x2502, 0x2524, 0x00C1, 0x00C2, 0x00C0,
  0x00A9, 0x2563, 0x2551, 0x2557, 0x255D, 0x00A2, 0x00A5, 0x2510,
  0x2514, 0x2534, 0x252C, 0x251C, 0x2500, 0x253C, 0x00E3, 0x00C3,
  0x255A, 0x2554, 0x2569, 0x2566, 0x2560, 0x2550, 0x256C, 0x00A4,
  0x00F0, 0x00D0, 0x00CA, 0x00CB, 0x00C8, 0x20AC, 0x00CD, 0x00CE,
  0x00CF, 0x2518, 0x250C, 0x2588, 0x2584, 0x00A6, 0x00CC, 0x2580,
  0x00D3, 0x00DF, 0x00D4, 0x00D2, 0x00F5, 0x00D5, 0x00B5, 0x00FE,
  0x00DE, 0x00DA, 0x00DB, 0x00D9, 0x00FD, 0x00DD, 0x00AF, 0x00B4,
  0x00AD, 0x00B1, 0x2017, 0x00BE, 0x00B6, 0x00A7, 0x00F7, 0x00B8,
  0x00B0, 0x00A8, 0x00B7, 0x00B9, 0x00B3, 0x00B2, 0x25A0, 0x00A0,
};

/* 0x80 to 0x9f; from 0xa0 on the page is Latin-1, so the byte is the code point. */
static const gunichar cp1252_upper[32] = {
  0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
  0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
  0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
  0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

G_DEFINE_QUARK (pd-escpos-error-quark, pd_escpos_error)

struct _PdEscpos {
  GByteArray *bytes;
  PdEscposCodePage page;
};

static const char *const code_page_names[] = { "CP437", "CP858", "CP1252" };

const char *
pd_escpos_code_page_to_string (PdEscposCodePage page)
{
  g_return_val_if_fail (page <= PD_ESCPOS_CODE_PAGE_CP1252, NULL);
  return code_page_names[page];
}

gboolean
pd_escpos_code_page_from_string (const char       *name,
                                 PdEscposCodePage *page)
{
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (page != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (code_page_names); i++)
    if (g_ascii_strcasecmp (name, code_page_names[i]) == 0)
      {
        *page = (PdEscposCodePage) i;
        return TRUE;
      }
  return FALSE;
}

/* The byte for c on the page, or 0 when it has none. */
static guint8
encode_char (PdEscposCodePage page,
             gunichar         c)
{
  /* Only the controls a line printer treats as layout pass: the rest would be commands. */
  if ((c >= 0x20 && c < 0x7f) || c == '\n' || c == '\t')
    return (guint8) c;

  switch (page)
    {
    case PD_ESCPOS_CODE_PAGE_CP437:
    case PD_ESCPOS_CODE_PAGE_CP858:
      {
        const gunichar *upper = page == PD_ESCPOS_CODE_PAGE_CP437 ? cp437_upper : cp858_upper;

        for (guint i = 0; i < 128; i++)
          if (upper[i] == c)
            return (guint8) (0x80 + i);
        return 0;
      }
    case PD_ESCPOS_CODE_PAGE_CP1252:
      if (c >= 0xa0 && c <= 0xff)
        return (guint8) c;
      for (guint i = 0; i < G_N_ELEMENTS (cp1252_upper); i++)
        if (cp1252_upper[i] != 0 && cp1252_upper[i] == c)
          return (guint8) (0x80 + i);
      return 0;
    default:
      g_return_val_if_reached (0);
    }
}

gboolean
pd_escpos_encode (PdEscposCodePage  page,
                  const char       *utf8,
                  GByteArray       *out,
                  GArray           *unsupported)
{
  gboolean all_fit = TRUE;

  g_return_val_if_fail (utf8 != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (g_utf8_validate (utf8, -1, NULL), FALSE);

  for (const char *p = utf8; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      guint8 byte = encode_char (page, c);

      if (byte == 0)
        {
          all_fit = FALSE;
          byte = '?';
          if (unsupported != NULL)
            g_array_append_val (unsupported, c);
        }
      g_byte_array_append (out, &byte, 1);
    }
  return all_fit;
}

/* The character for byte on the page, or 0 when it has none. */
static gunichar
decode_byte (PdEscposCodePage page,
             guint8           byte)
{
  if ((byte >= 0x20 && byte < 0x7f) || byte == '\n' || byte == '\t')
    return byte;
  if (byte < 0x80)
    return 0;

  switch (page)
    {
    case PD_ESCPOS_CODE_PAGE_CP437:
      return cp437_upper[byte - 0x80];
    case PD_ESCPOS_CODE_PAGE_CP858:
      return cp858_upper[byte - 0x80];
    case PD_ESCPOS_CODE_PAGE_CP1252:
      return byte >= 0xa0 ? byte : cp1252_upper[byte - 0x80];
    default:
      g_return_val_if_reached (0);
    }
}

gboolean
pd_escpos_decode (PdEscposCodePage  page,
                  const guint8     *bytes,
                  gsize             length,
                  GString          *utf8)
{
  gboolean all_known = TRUE;

  g_return_val_if_fail (page <= PD_ESCPOS_CODE_PAGE_CP1252, FALSE);
  g_return_val_if_fail (bytes != NULL || length == 0, FALSE);
  g_return_val_if_fail (utf8 != NULL, FALSE);

  for (gsize i = 0; i < length; i++)
    {
      gunichar c = decode_byte (page, bytes[i]);

      if (c == 0)
        {
          all_known = FALSE;
          c = 0xfffd;
        }
      g_string_append_unichar (utf8, c);
    }
  return all_known;
}

PdEscpos *
pd_escpos_new (void)
{
  PdEscpos *self = g_new0 (PdEscpos, 1);

  self->bytes = g_byte_array_new ();
  self->page = PD_ESCPOS_CODE_PAGE_CP437;
  return self;
}

void
pd_escpos_free (PdEscpos *self)
{
  if (self == NULL)
    return;
  g_byte_array_unref (self->bytes);
  g_free (self);
}

GBytes *
pd_escpos_free_to_bytes (PdEscpos *self)
{
  GBytes *bytes;

  g_return_val_if_fail (self != NULL, NULL);

  bytes = g_byte_array_free_to_bytes (self->bytes);
  g_free (self);
  return bytes;
}

gsize
pd_escpos_get_length (PdEscpos *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->bytes->len;
}

static void
append (PdEscpos     *self,
        const guint8 *bytes,
        gsize         length)
{
  g_byte_array_append (self->bytes, bytes, (guint) length);
}

#define APPEND(self, ...) \
  append (self, (const guint8[]) { __VA_ARGS__ }, sizeof ((const guint8[]) { __VA_ARGS__ }))

void
pd_escpos_initialize (PdEscpos *self)
{
  g_return_if_fail (self != NULL);

  /* ESC @ returns the printer to its power-on code page (usually CP437). */
  APPEND (self, ESC, '@');
  self->page = PD_ESCPOS_CODE_PAGE_CP437;
}

void
pd_escpos_select_code_page (PdEscpos         *self,
                            PdEscposCodePage  page,
                            guint8            esc_t_number)
{
  g_return_if_fail (self != NULL);

  APPEND (self, ESC, 't', esc_t_number);
  self->page = page;
}

gboolean
pd_escpos_text (PdEscpos    *self,
                const char  *utf8,
                GError     **error)
{
  g_autoptr(GByteArray) encoded = g_byte_array_new ();
  g_autoptr(GArray) unsupported = g_array_new (FALSE, FALSE, sizeof (gunichar));
  g_autoptr(GString) names = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (utf8 != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (pd_escpos_encode (self->page, utf8, encoded, unsupported))
    {
      append (self, encoded->data, encoded->len);
      return TRUE;
    }

  names = g_string_new (NULL);
  for (guint i = 0; i < unsupported->len; i++)
    g_string_append_printf (names, "%sU+%04X", i > 0 ? ", " : "",
                            g_array_index (unsupported, gunichar, i));
  g_set_error (error, PD_ESCPOS_ERROR, PD_ESCPOS_ERROR_UNENCODABLE,
               /* TRANSLATORS: %s is a code page (CP437), then a list of U+XXXX characters. */
               _("Code page %s cannot print %s."),
               pd_escpos_code_page_to_string (self->page), names->str);
  return FALSE;
}

void
pd_escpos_bold (PdEscpos *self,
                gboolean  bold)
{
  g_return_if_fail (self != NULL);
  APPEND (self, ESC, 'E', bold ? 1 : 0);
}

void
pd_escpos_size (PdEscpos *self,
                guint     width,
                guint     height)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (width >= 1 && width <= 8);
  g_return_if_fail (height >= 1 && height <= 8);

  /* GS ! n: the width factor minus one in the high nibble, the height's in the low. */
  APPEND (self, GS, '!', (guint8) (((width - 1) << 4) | (height - 1)));
}

void
pd_escpos_align (PdEscpos      *self,
                 PdEscposAlign  align)
{
  g_return_if_fail (self != NULL);
  APPEND (self, ESC, 'a', (guint8) align);
}

void
pd_escpos_feed (PdEscpos *self,
                guint8    lines)
{
  g_return_if_fail (self != NULL);
  APPEND (self, ESC, 'd', lines);
}

gboolean
pd_escpos_raster (PdEscpos      *self,
                  guint          width_dots,
                  guint          height_dots,
                  const guint8  *bits,
                  gsize          stride,
                  GError       **error)
{
  guint width_bytes = (width_dots + 7) / 8;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (bits != NULL || height_dots == 0, FALSE);
  g_return_val_if_fail (stride >= width_bytes, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (width_bytes == 0 || height_dots == 0 || width_bytes > RASTER_MAX_WIDTH_BYTES ||
      height_dots > RASTER_MAX_HEIGHT)
    {
      g_set_error (error, PD_ESCPOS_ERROR, PD_ESCPOS_ERROR_TOO_LARGE,
                   _("An image of %u by %u dots cannot be printed."), width_dots, height_dots);
      return FALSE;
    }

  /* One command for the whole image: printers slow to a crawl on many small ones. */
  APPEND (self, GS, 'v', '0', 0,
          width_bytes & 0xff, width_bytes >> 8, height_dots & 0xff, height_dots >> 8);
  for (guint row = 0; row < height_dots; row++)
    {
      const guint8 *line = bits + row * stride;
      guint8 last = line[width_bytes - 1];

      append (self, line, width_bytes - 1);
      /* Dots past the width in the last byte would print as a stripe. */
      if (width_dots % 8 != 0)
        last &= (guint8) (0xff << (8 - width_dots % 8));
      append (self, &last, 1);
    }
  return TRUE;
}

/* GS ( k pL pH cn fn parameters: the length counts cn, fn and the parameters. */
static void
append_qr_function (PdEscpos     *self,
                    guint8        function,
                    const guint8 *parameters,
                    gsize         length)
{
  gsize total = length + 2;

  APPEND (self, GS, '(', 'k', total & 0xff, (total >> 8) & 0xff, 49, function);
  append (self, parameters, length);
}

gboolean
pd_escpos_qr (PdEscpos    *self,
              const char  *data,
              guint8       module_size,
              GError     **error)
{
  gsize length;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (data != NULL, FALSE);
  g_return_val_if_fail (module_size >= 1 && module_size <= 16, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  length = strlen (data);
  if (length == 0 || length > QR_MAX_DATA)
    {
      g_set_error (error, PD_ESCPOS_ERROR, PD_ESCPOS_ERROR_TOO_LARGE,
                   _("A QR code cannot hold %lu bytes."), (gulong) length);
      return FALSE;
    }

  /* Function 65: model 2 (the one every phone reads). */
  append_qr_function (self, 65, (const guint8[]) { 50, 0 }, 2);
  append_qr_function (self, 67, &module_size, 1);
  /* Function 69, 49: error correction M, enough for a receipt that gets creased. */
  append_qr_function (self, 69, (const guint8[]) { 49 }, 1);
  /* Function 80, 48: store the data; function 81, 48: print it. */
  {
    g_autoptr(GByteArray) store = g_byte_array_sized_new ((guint) length + 1);

    g_byte_array_append (store, (const guint8[]) { 48 }, 1);
    g_byte_array_append (store, (const guint8 *) data, (guint) length);
    append_qr_function (self, 80, store->data, store->len);
  }
  append_qr_function (self, 81, (const guint8[]) { 48 }, 1);
  return TRUE;
}

void
pd_escpos_cut (PdEscpos    *self,
               PdEscposCut  cut,
               guint8       feed)
{
  g_return_if_fail (self != NULL);

  switch (cut)
    {
    case PD_ESCPOS_CUT_NONE:
      /* Without a cutter the paper must still clear the tear bar. */
      if (feed > 0)
        pd_escpos_feed (self, feed);
      break;
    case PD_ESCPOS_CUT_FULL:
      if (feed > 0)
        pd_escpos_feed (self, feed);
      APPEND (self, GS, 'V', 0);
      break;
    case PD_ESCPOS_CUT_FEED_PARTIAL:
      APPEND (self, GS, 'V', 66, feed);
      break;
    default:
      g_return_if_reached ();
    }
}

void
pd_escpos_status_request (PdEscposStatusKind kind,
                          guint8             request[3])
{
  g_return_if_fail (request != NULL);

  request[0] = DLE;
  request[1] = EOT;
  request[2] = (guint8) kind;
}

void
pd_escpos_automatic_status (PdEscposAsbFlags items,
                            guint8           request[3])
{
  g_return_if_fail (request != NULL);
  g_return_if_fail ((items & ~0x0f) == 0);

  request[0] = GS;
  request[1] = 'a';
  request[2] = (guint8) items;
}

gboolean
pd_escpos_parse_status (PdEscposStatusKind  kind,
                        guint8              answer,
                        PdDeviceHealth     *health)
{
  PdDeviceHealth flags = 0;

  g_return_val_if_fail (health != NULL, FALSE);

  /* Bits 1 and 4 are always set and 0 and 7 always clear in a status byte: anything else is
   * line noise, an ASB message or another answer's byte, and trusting it would lie. */
  if ((answer & 0x93) != 0x12)
    return FALSE;

  switch (kind)
    {
    case PD_ESCPOS_STATUS_PRINTER:
      if (answer & 0x08)
        flags |= PD_DEVICE_HEALTH_OFFLINE;
      break;
    case PD_ESCPOS_STATUS_OFFLINE_CAUSE:
      if (answer & 0x04)
        flags |= PD_DEVICE_HEALTH_COVER_OPEN;
      if (answer & 0x20)
        flags |= PD_DEVICE_HEALTH_PAPER_OUT;
      if (answer & 0x40)
        flags |= PD_DEVICE_HEALTH_ERROR;
      break;
    case PD_ESCPOS_STATUS_PAPER:
      if (answer & 0x0c)
        flags |= PD_DEVICE_HEALTH_PAPER_LOW;
      if (answer & 0x60)
        flags |= PD_DEVICE_HEALTH_PAPER_OUT;
      break;
    default:
      g_return_val_if_reached (FALSE);
    }

  *health = flags;
  return TRUE;
}

gboolean
pd_escpos_parse_asb (const guint8   *answer,
                     gsize           length,
                     PdDeviceHealth *health)
{
  PdDeviceHealth flags = 0;

  g_return_val_if_fail (answer != NULL || length == 0, FALSE);
  g_return_val_if_fail (health != NULL, FALSE);

  /* The first byte has its own fixed bits; the other three keep bits 4 and 7 clear. */
  if (length != PD_ESCPOS_ASB_LENGTH || (answer[0] & 0x93) != 0x10)
    return FALSE;
  for (guint i = 1; i < 4; i++)
    if ((answer[i] & 0x90) != 0)
      return FALSE;

  if (answer[0] & 0x08)
    flags |= PD_DEVICE_HEALTH_OFFLINE;
  if (answer[0] & 0x20)
    flags |= PD_DEVICE_HEALTH_COVER_OPEN;
  /* Mechanical, cutter, unrecoverable and auto-recoverable errors alike. */
  if (answer[1] & 0x6c)
    flags |= PD_DEVICE_HEALTH_ERROR;
  if (answer[2] & 0x03)
    flags |= PD_DEVICE_HEALTH_PAPER_LOW;
  if (answer[2] & 0x0c)
    flags |= PD_DEVICE_HEALTH_PAPER_OUT;

  *health = flags;
  return TRUE;
}
