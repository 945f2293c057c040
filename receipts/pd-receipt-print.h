#pragma once

#include "pd-config.h"
#include "pd-journal.h"
#include "pd-printer.h"

G_BEGIN_DECLS

/* Prints a payment's receipt on printer, in language (NULL: the one the member chose), and
 * records the copy handed over: every printed copy after the first says DUPLICATE.
 * Blocking: for the command line or a worker. The printer's refusal (out of paper, cover
 * open) comes back as a PD_PRINTER_ERROR saying which, and records nothing. */
gboolean pd_receipt_print (PdJournal     *journal,
                           PdConfig      *config,
                           PdPrinter     *printer,
                           const char    *payment,
                           const char    *language,
                           GCancellable  *cancellable,
                           GError       **error);

G_END_DECLS
