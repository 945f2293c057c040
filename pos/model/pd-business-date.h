#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PD_MINUTES_PER_DAY (24 * 60)

void      pd_business_date_for       (GDateTime   *at,
                                      int          cutoff_minutes,
                                      GDate       *date);
char     *pd_business_date_to_string (const GDate *date);
gboolean  pd_business_date_parse     (const char  *text,
                                      GDate       *date);

G_END_DECLS
