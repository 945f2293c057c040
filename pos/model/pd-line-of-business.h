#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Premiums are routed by line of business: every payment request carries one. */
typedef enum {
  PD_LINE_OF_BUSINESS_MARKETPLACE,
  PD_LINE_OF_BUSINESS_CHILD_HEALTH_PLUS,
  PD_LINE_OF_BUSINESS_ESSENTIAL_PLAN,
  PD_LINE_OF_BUSINESS_MEDICARE_ADVANTAGE,
  PD_LINE_OF_BUSINESS_MEDICARE_SUPPLEMENT,
  PD_LINE_OF_BUSINESS_INDIVIDUAL,
  PD_LINE_OF_BUSINESS_MLTC,
  PD_LINE_OF_BUSINESS_MAP,
  PD_LINE_OF_BUSINESS_SPENDDOWN,
} PdLineOfBusiness;

#define PD_N_LINES_OF_BUSINESS (PD_LINE_OF_BUSINESS_SPENDDOWN + 1)

const char *pd_line_of_business_to_id       (PdLineOfBusiness  line);
gboolean    pd_line_of_business_from_id     (const char       *id,
                                             PdLineOfBusiness *line);
const char *pd_line_of_business_get_name    (PdLineOfBusiness  line);
const char *pd_line_of_business_get_untranslated_name (PdLineOfBusiness line);

G_END_DECLS
