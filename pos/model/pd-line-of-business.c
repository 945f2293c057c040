#include <string.h>

#include <glib/gi18n-lib.h>

#include "pd-line-of-business.h"

static const struct {
  const char *id;
  const char *name;
} lines_of_business[PD_N_LINES_OF_BUSINESS] = {
  [PD_LINE_OF_BUSINESS_MARKETPLACE] = { "qhp", N_("Marketplace (Qualified Health Plan)") },
  [PD_LINE_OF_BUSINESS_CHILD_HEALTH_PLUS] = { "chp", N_("Child Health Plus") },
  [PD_LINE_OF_BUSINESS_ESSENTIAL_PLAN] = { "essential", N_("Essential Plan") },
  [PD_LINE_OF_BUSINESS_MEDICARE_ADVANTAGE] = { "medicare-advantage", N_("Medicare Advantage") },
  [PD_LINE_OF_BUSINESS_MEDICARE_SUPPLEMENT] = { "medicare-supplement", N_("Medicare Supplement") },
  [PD_LINE_OF_BUSINESS_INDIVIDUAL] = { "individual", N_("Individual (SOLO) plan") },
  [PD_LINE_OF_BUSINESS_MLTC] = { "mltc", N_("Managed Long Term Care") },
  [PD_LINE_OF_BUSINESS_MAP] = { "map", N_("UltraCare (MAP)") },
  [PD_LINE_OF_BUSINESS_SPENDDOWN] = { "spenddown", N_("Spenddown") },
};

const char *
pd_line_of_business_to_id (PdLineOfBusiness line)
{
  g_return_val_if_fail (line < PD_N_LINES_OF_BUSINESS, NULL);

  return lines_of_business[line].id;
}

gboolean
pd_line_of_business_from_id (const char       *id,
                             PdLineOfBusiness *line)
{
  g_return_val_if_fail (line != NULL, FALSE);

  if (id == NULL)
    return FALSE;

  for (guint i = 0; i < PD_N_LINES_OF_BUSINESS; i++)
    if (strcmp (lines_of_business[i].id, id) == 0)
      {
        *line = (PdLineOfBusiness) i;
        return TRUE;
      }

  return FALSE;
}

const char *
pd_line_of_business_get_name (PdLineOfBusiness line)
{
  g_return_val_if_fail (line < PD_N_LINES_OF_BUSINESS, NULL);

  return _(lines_of_business[line].name);
}

/* The name as written, for a catalog other than the process's (a receipt in the member's
 * language). */
const char *
pd_line_of_business_get_untranslated_name (PdLineOfBusiness line)
{
  g_return_val_if_fail (line < PD_N_LINES_OF_BUSINESS, NULL);

  return lines_of_business[line].name;
}
