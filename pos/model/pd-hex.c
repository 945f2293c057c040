#include <string.h>

#include "pd-hex.h"

char *
pd_hex_encode (const guint8 *bytes,
               gsize         length)
{
  static const char digits[] = "0123456789ABCDEF";
  char *hex;

  g_return_val_if_fail (bytes != NULL || length == 0, NULL);
  g_return_val_if_fail (length < G_MAXSIZE / 2, NULL);

  hex = g_malloc (length * 2 + 1);
  for (gsize i = 0; i < length; i++)
    {
      hex[2 * i] = digits[bytes[i] >> 4];
      hex[2 * i + 1] = digits[bytes[i] & 0x0f];
    }
  hex[length * 2] = '\0';
  return hex;
}

gboolean
pd_hex_decode (const char *hex,
               guint8     *out,
               gsize       out_size,
               gsize      *length)
{
  gsize digits;

  g_return_val_if_fail (hex != NULL, FALSE);
  g_return_val_if_fail (out != NULL || out_size == 0, FALSE);

  digits = strlen (hex);
  if (digits % 2 != 0 || digits / 2 > out_size)
    return FALSE;
  /* All of it before a byte is written: a caller's buffer is never left half filled. */
  for (gsize i = 0; i < digits; i++)
    if (!g_ascii_isxdigit (hex[i]))
      return FALSE;

  for (gsize i = 0; i < digits / 2; i++)
    out[i] = (guint8) (g_ascii_xdigit_value (hex[2 * i]) << 4 |
                       g_ascii_xdigit_value (hex[2 * i + 1]));
  if (length != NULL)
    *length = digits / 2;
  return TRUE;
}

GBytes *
pd_hex_decode_bytes (const char *hex)
{
  gsize size;
  gsize length;
  g_autofree guint8 *bytes = NULL;

  g_return_val_if_fail (hex != NULL, NULL);

  size = strlen (hex) / 2;
  /* One byte more, so that empty bytes still have data to point to. */
  bytes = g_malloc (size + 1);
  if (!pd_hex_decode (hex, bytes, size, &length))
    return NULL;

  return g_bytes_new_take (g_steal_pointer (&bytes), length);
}

gboolean
pd_is_digits (const char *text,
              gsize       min_length,
              gsize       max_length)
{
  gsize length;

  g_return_val_if_fail (text != NULL, FALSE);

  length = strlen (text);
  if (length < min_length || length > max_length)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isdigit (text[i]))
      return FALSE;
  return TRUE;
}
