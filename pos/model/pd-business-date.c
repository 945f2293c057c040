#include <stdio.h>
#include <string.h>

#include "pd-business-date.h"

/* A center closes its books at a cut-off time (minutes after local midnight). Payments
 * taken at or after it belong to the next business date; 0 means the day ends at
 * midnight. */
void
pd_business_date_for (GDateTime *at,
                      int        cutoff_minutes,
                      GDate     *date)
{
  g_autoptr(GDateTime) local = NULL;
  int minute_of_day;

  g_return_if_fail (at != NULL);
  g_return_if_fail (date != NULL);
  g_return_if_fail (cutoff_minutes >= 0 && cutoff_minutes < PD_MINUTES_PER_DAY);

  local = g_date_time_to_local (at);
  g_date_clear (date, 1);
  g_date_set_dmy (date,
                  (GDateDay) g_date_time_get_day_of_month (local),
                  (GDateMonth) g_date_time_get_month (local),
                  (GDateYear) g_date_time_get_year (local));

  minute_of_day = g_date_time_get_hour (local) * 60 + g_date_time_get_minute (local);
  if (cutoff_minutes > 0 && minute_of_day >= cutoff_minutes)
    g_date_add_days (date, 1);
}

char *
pd_business_date_to_string (const GDate *date)
{
  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);

  return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (date),
                          g_date_get_month (date), g_date_get_day (date));
}

gboolean
pd_business_date_parse (const char *text,
                        GDate      *date)
{
  unsigned year, month, day;
  int consumed = 0;

  g_return_val_if_fail (date != NULL, FALSE);

  if (text == NULL || strlen (text) != 10 || !g_ascii_isdigit (text[0]) ||
      sscanf (text, "%4u-%2u-%2u%n", &year, &month, &day, &consumed) != 3 || consumed != 10 ||
      year > G_MAXUINT16 ||
      !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    return FALSE;

  g_date_clear (date, 1);
  g_date_set_dmy (date, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
  return TRUE;
}
