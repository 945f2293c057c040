#include "pd-apdu.h"

gboolean
pd_apdu_parse (const guint8 *apdu,
               gsize         length,
               PdApdu       *parsed)
{
  g_return_val_if_fail (apdu != NULL || length == 0, FALSE);
  g_return_val_if_fail (parsed != NULL, FALSE);

  *parsed = (PdApdu) { 0 };
  if (length < 4)
    return FALSE;

  parsed->cla = apdu[0];
  parsed->ins = apdu[1];
  parsed->p1 = apdu[2];
  parsed->p2 = apdu[3];

  /* Case 1: the header alone. Case 2: header and Le. */
  if (length == 4)
    return TRUE;
  if (length == 5)
    {
      parsed->has_le = TRUE;
      parsed->le = apdu[4];
      return TRUE;
    }

  /* Cases 3 and 4: Lc (never 0 in the short form), the data, and perhaps Le. */
  parsed->lc = apdu[4];
  if (parsed->lc == 0 || (length != 5 + parsed->lc && length != 6 + parsed->lc))
    return FALSE;
  parsed->data = apdu + 5;
  if (length == 6 + parsed->lc)
    {
      parsed->has_le = TRUE;
      parsed->le = apdu[length - 1];
    }

  return TRUE;
}

void
pd_apdu_append_status (GByteArray *response,
                       guint16     status_word)
{
  guint8 sw[2] = { (guint8) (status_word >> 8), (guint8) status_word };

  g_return_if_fail (response != NULL);
  g_byte_array_append (response, sw, 2);
}
