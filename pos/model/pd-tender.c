#include <glib/gi18n-lib.h>

#include "pd-tender.h"

static const struct {
  const char *id;
  const char *name;
} tenders[PD_N_TENDERS] = {
  [PD_TENDER_CARD] = { "card", N_("Card") },
  [PD_TENDER_CHECK] = { "check", N_("Check") },
  [PD_TENDER_BANK] = { "bank", N_("Bank account") },
};

const char *
pd_tender_to_id (PdTender tender)
{
  g_return_val_if_fail (tender < PD_N_TENDERS, NULL);
  return tenders[tender].id;
}

gboolean
pd_tender_from_id (const char *id,
                   PdTender   *tender)
{
  g_return_val_if_fail (tender != NULL, FALSE);

  for (guint i = 0; i < PD_N_TENDERS; i++)
    if (g_strcmp0 (tenders[i].id, id) == 0)
      {
        *tender = (PdTender) i;
        return TRUE;
      }

  return FALSE;
}

const char *
pd_tender_get_name (PdTender tender)
{
  g_return_val_if_fail (tender < PD_N_TENDERS, NULL);
  return _(tenders[tender].name);
}
