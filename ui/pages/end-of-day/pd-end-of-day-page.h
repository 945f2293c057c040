#pragma once

#include <adwaita.h>

#include "pd-terminal.h"

G_BEGIN_DECLS

#define PD_TYPE_END_OF_DAY_PAGE (pd_end_of_day_page_get_type ())

G_DECLARE_FINAL_TYPE (PdEndOfDayPage, pd_end_of_day_page, PD, END_OF_DAY_PAGE, AdwBin)

/* Closing the day at a counter: the totals per tender and line of business next to the
 * payment core's, each difference highlighted and explained, printed and kept as a PDF
 * (pos/terminal/pd-end-of-day.c, on a worker). Action: end-of-day.close. */
GtkWidget *pd_end_of_day_page_new           (void);
void       pd_end_of_day_page_set_terminal  (PdEndOfDayPage    *self,
                                             PdTerminal        *terminal);
/* NULL: nobody is signed in; what was shown is forgotten. */
void       pd_end_of_day_page_set_associate (PdEndOfDayPage    *self,
                                             const PdAssociate *associate);

G_END_DECLS
