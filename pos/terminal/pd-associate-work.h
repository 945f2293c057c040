#pragma once

#include <gio/gio.h>

#include "pd-associate.h"
#include "pd-terminal.h"
#include "pd-undo-reason.h"

G_BEGIN_DECLS

typedef enum {
  PD_UNDO_VOID,
  PD_UNDO_REFUND,
} PdUndoKind;

/* What an associate does at a counter besides taking payments: find the day's payments,
 * void or refund one (with a supervisor's PIN when their role needs it), print a receipt
 * again, email it again. Each is checked against the associate's role and written to the
 * audit log with its outcome. Blocking (the payment core, the printer, the journal's disk):
 * for a worker, or the command line. */

/* The payments of business_date (NULL: today) whose reference, confirmation, card or
 * account's last 4, amount ("75.00") or member's name holds query (NULL or "": all),
 * newest first. */
GPtrArray *pd_associate_work_find_payments (PdTerminal          *terminal,
                                            const GDate         *business_date,
                                            const char          *query,
                                            GError             **error);
/* supervisor_id and supervisor_pin: NULL when associate may do it alone (a supervisor). The
 * reason is required (pd_undo_reason_compose). Returns the payment as it stands after. */
PdPayment *pd_associate_work_undo          (PdTerminal          *terminal,
                                            const PdAssociate   *associate,
                                            const char          *payment_id,
                                            PdUndoKind           kind,
                                            PdUndoReason         reason,
                                            const char          *note,
                                            const char          *supervisor_id,
                                            const char          *supervisor_pin,
                                            GCancellable        *cancellable,
                                            GError             **error);
/* Printed again on the receipt printer, marked DUPLICATE. */
gboolean   pd_associate_work_reprint       (PdTerminal          *terminal,
                                            const PdAssociate   *associate,
                                            const char          *payment_id,
                                            GCancellable        *cancellable,
                                            GError             **error);
/* Queued for the mail server, which the terminal's beat sends. */
gboolean   pd_associate_work_email_again   (PdTerminal          *terminal,
                                            const PdAssociate   *associate,
                                            const char          *payment_id,
                                            const char          *address,
                                            GError             **error);

/* A payment waiting in the outbox, and why it could not go yet (NULL: not tried since). */
typedef struct {
  PdPayment *payment;
  char *last_error;
} PdOutboxEntry;

void       pd_outbox_entry_free            (PdOutboxEntry       *entry);
/* PdOutboxEntry, oldest first. */
GPtrArray *pd_associate_work_list_outbox   (PdTerminal          *terminal,
                                            GError             **error);
/* Sends what waits now, oldest first; returns how many went (the audit log says so too). */
guint      pd_associate_work_send_outbox   (PdTerminal          *terminal,
                                            const PdAssociate   *associate,
                                            GCancellable        *cancellable,
                                            GError             **error);

G_END_DECLS
