#pragma once

#include <gio/gio.h>

#include "pd-associate.h"
#include "pd-receipt-layout.h"
#include "pd-report.h"
#include "pd-terminal.h"

G_BEGIN_DECLS

/* A terminal's day closed: its totals per tender and line of business next to the payment
 * core's, each difference explained, printed on the receipt printer and kept as a PDF. */
typedef struct {
  PdReport *report;
  /* The paper, as printed and saved. */
  PdReceiptLayout *layout;
  char *pdf_path;
  gboolean printed;
  /* Why it was not printed (no printer, out of paper): the PDF is the copy then. */
  GError *print_error;
} PdEndOfDay;

/* For associate (who may close the day), of business_date (NULL: today). Blocking: the
 * payment core, the printer and the disk. */
PdEndOfDay *pd_end_of_day_close (PdTerminal         *terminal,
                                 const PdAssociate  *associate,
                                 const GDate        *business_date,
                                 GCancellable       *cancellable,
                                 GError            **error);
void        pd_end_of_day_free  (PdEndOfDay         *end_of_day);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdEndOfDay, pd_end_of_day_free)

G_END_DECLS
