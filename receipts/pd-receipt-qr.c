#include "config.h"

#include <string.h>

#include <qrencode.h>

#include "pd-receipt-qr.h"

#define QUIET_ZONE_MODULES 4

guint8 *
pd_receipt_qr_bits (const char *payload,
                    guint       module_dots,
                    guint      *size_dots,
                    gsize      *stride)
{
  QRcode *code;
  guint modules, size;
  gsize row_bytes;
  guint8 *bits;

  g_return_val_if_fail (payload != NULL, NULL);
  g_return_val_if_fail (module_dots > 0, NULL);
  g_return_val_if_fail (size_dots != NULL && stride != NULL, NULL);

  code = QRcode_encodeData ((int) strlen (payload), (const unsigned char *) payload, 0,
                            QR_ECLEVEL_M);
  if (code == NULL)
    return NULL;

  modules = (guint) code->width + 2 * QUIET_ZONE_MODULES;
  size = modules * module_dots;
  row_bytes = (size + 7) / 8;
  bits = g_malloc0 (row_bytes * size);

  for (guint y = 0; y < size; y++)
    for (guint x = 0; x < size; x++)
      {
        gint mx = (gint) (x / module_dots) - QUIET_ZONE_MODULES;
        gint my = (gint) (y / module_dots) - QUIET_ZONE_MODULES;

        if (mx < 0 || my < 0 || mx >= code->width || my >= code->width)
          continue;
        /* libqrencode: bit 0 of each module's byte is black. */
        if (code->data[my * code->width + mx] & 1)
          bits[y * row_bytes + x / 8] |= 0x80 >> (x % 8);
      }

  QRcode_free (code);
  *size_dots = size;
  *stride = row_bytes;
  return bits;
}
