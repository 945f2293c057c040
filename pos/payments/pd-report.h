#pragma once

#include "pd-core-client.h"
#include "pd-journal.h"

G_BEGIN_DECLS

/* End of day for one terminal: the journal's totals per tender and line of business, next
 * to the payment core's. */
typedef struct {
  PdTender tender;
  PdLineOfBusiness line_of_business;
  guint count;
  PdCents amount;
  guint core_count;
  PdCents core_amount;
} PdReportRow;

typedef struct {
  GDate business_date;
  GArray *rows;
  /* Taken but still in the outbox: not at the core yet, so not in its totals. */
  guint waiting_count;
  PdCents waiting_amount;
  gboolean matches;
} PdReport;

PdReport *pd_report_build       (PdJournal     *journal,
                                 PdCoreClient  *client,
                                 const GDate   *business_date,
                                 const char    *terminal_id,
                                 GCancellable  *cancellable,
                                 GError       **error);
gboolean  pd_report_row_matches (const PdReportRow *row);
/* What a difference means and what to do about it, in a sentence; NULL when the row
 * matches. */
char     *pd_report_row_explain (const PdReportRow *row);
void      pd_report_free        (PdReport      *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdReport, pd_report_free)

G_END_DECLS
