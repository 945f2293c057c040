#pragma once

#include <gio/gio.h>

#include "pd-config.h"
#include "pd-journal.h"

G_BEGIN_DECLS

#define PD_TYPE_RECEIPT_MAILER (pd_receipt_mailer_get_type ())

G_DECLARE_FINAL_TYPE (PdReceiptMailer, pd_receipt_mailer, PD, RECEIPT_MAILER, GObject)

/* Emailed receipts: queued in the journal first, so nothing a member asked for is lost when
 * the mail server is down or the terminal restarts, then handed to the mail server, and
 * retried (1, 2, 4 ... minutes, then hourly) until it takes the message, refuses it for
 * good, or [email] give-up-hours have passed. */
PdReceiptMailer *pd_receipt_mailer_new        (PdJournal        *journal,
                                               PdConfig         *config);

/* Checks the address and the payment and queues its receipt, in language (NULL: the one the
 * member chose when paying). Returns the request's id (pd_journal_get_email), 0 with an
 * error the associate or member can act on: a mistyped address, a payment with no receipt,
 * a terminal with no mail server. */
gint64           pd_receipt_mailer_queue      (PdReceiptMailer  *self,
                                               const char       *payment,
                                               const char       *address,
                                               const char       *language,
                                               GError          **error);

/* Tries one queued request now, if it is due at now (Unix time) and no other sender holds
 * it; blocking, for a worker thread or the CLI. Returns its state afterwards; FALSE only
 * when the journal could not be read or written. */
gboolean         pd_receipt_mailer_send       (PdReceiptMailer  *self,
                                               gint64            email_id,
                                               gint64            now,
                                               PdEmailState     *state,
                                               GCancellable     *cancellable,
                                               GError          **error);

/* One pass over everything due at now: returns how many went out; -1 on a journal error. */
int              pd_receipt_mailer_send_due   (PdReceiptMailer  *self,
                                               gint64            now,
                                               GCancellable     *cancellable,
                                               GError          **error);

/* The same pass on a worker thread, for the kiosk's main loop. */
void             pd_receipt_mailer_send_due_async  (PdReceiptMailer     *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
int              pd_receipt_mailer_send_due_finish (PdReceiptMailer     *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

/* When a request deferred after `attempts` tries is due again. */
gint64           pd_receipt_mailer_next_attempt (gint64          now,
                                               guint            attempts);

G_END_DECLS
