#pragma once

#include "pd-payment-service.h"

G_BEGIN_DECLS

/* Shared by the payment service's files, one per concern (bank, check, card, undo, outbox):
 * its state, and the steps every kind of payment takes. */

/* The steps of a payment, in the order that keeps every promise: journaled before anything
 * leaves the machine, sent with one key however many times it takes, and every answer
 * journaled before anyone is told. */
struct _PdPaymentService {
  GObject parent_instance;

  PdConfig *config;
  PdJournal *journal;
  PdCoreClient *client;
  /* A card payment left unfinished longer than this has lost its card: it is reversed. */
  GTimeSpan card_grace;
};

PdPaymentOrigin pd_payment_service_origin_for (PdPaymentService       *self,
                                               const PdPaymentParties *parties);

/* A check or bank payment: its request journaled before the first send (one commit), then
 * sent, and its outcome journaled (one more). */
gboolean pd_payment_service_journal_and_authorize (PdPaymentService  *self,
                                                   PdPayment         *payment,
                                                   JsonNode          *tender,
                                                   const char        *authorization_text,
                                                   GCancellable      *cancellable,
                                                   GError           **error);

/* The request may have left, and the journal could not say what became of it. The claim
 * is let go where the journal can still write, so that a drain finishes the payment; one
 * that cannot be let go lapses with this process. */
void pd_payment_service_set_outcome_not_recorded (PdPaymentService  *self,
                                                  PdPayment         *payment,
                                                  GError            *journal_error,
                                                  GError           **error);

/* Journals what the core said; returns FALSE only when the journal itself failed. */
gboolean pd_payment_service_record_answer (PdPaymentService  *self,
                                           PdPayment         *payment,
                                           PdCoreAnswer      *answer,
                                           GError           **error);

/* Nothing left the machine: say so after the journal's reason. */
void pd_payment_service_note_nothing_charged (GError **error);

/* Another worker (a drain, another program) is on this payment now: leave it to them. */
gboolean pd_payment_service_claim_or_say_busy (PdPaymentService  *self,
                                               PdPayment         *payment,
                                               GError           **error);

/* An answer is about the payment asked for, or it is no answer: the core's reference and
 * amount must be this payment's, and a new payment cannot come back voided or refunded. A
 * mismatch is treated as a lost answer (the payment is held, or looked up, and sent again
 * with its key), never as a charge. */
gboolean pd_payment_service_check_answer_matches (PdPayment     *payment,
                                                  PdCoreAnswer  *answer,
                                                  GError       **error);

/* A move that ends this worker's part: the payment is left for the outbox or closed. */
gboolean pd_payment_service_record_and_release (PdPaymentService  *self,
                                                PdPayment         *payment,
                                                PdPaymentState     state,
                                                const char        *reason,
                                                GError           **error);

/* Sends a journaled follow-up (a completion) and journals the core's answer. */
gboolean pd_payment_service_send_completion (PdPaymentService  *self,
                                             PdPayment         *payment,
                                             PdJournalRequest  *stored,
                                             GCancellable      *cancellable,
                                             GError           **error);

/* Reverses a card authorization whose fate is unknown or unwanted. The reversal is journaled
 * first and sent with one key until the core acknowledges it, across restarts (outbox
 * drain sends it again). Returns FALSE with the payment still open when it was not
 * acknowledged. */
gboolean pd_payment_service_reverse_claimed (PdPaymentService  *self,
                                             PdPayment         *payment,
                                             const char        *reason,
                                             GCancellable      *cancellable,
                                             GError           **error);

/* A void or refund whose answer was lost: sent again with its key. One the core still
 * cannot take waits for the next drain; only the journal failing is an error. */
gboolean pd_payment_service_resend_undo (PdPaymentService  *self,
                                         PdPayment         *payment,
                                         GCancellable      *cancellable,
                                         GError           **error);

/* A payment sent from the outbox goes on from QUEUED: its send is recorded with what came
 * of it, in one commit (until then it stays queued, and is sent again with its key after a
 * stop, as one in AUTHORIZING would be). FALSE when there is nothing to record: one still
 * not through stays as it is. */
gboolean pd_payment_service_outcome_from_current (PdPayment         *payment,
                                                  PdJournalOutcome  *outcome);

/* What the core said, as the journal records it; ends this worker's claim on the
 * payment. The strings stay the answer's. */
PdJournalOutcome pd_payment_service_outcome_for_answer (PdPayment     *payment,
                                                        PdCoreAnswer  *answer);

/* No answer: held for the outbox, or failed when the core refused the request. */
gboolean pd_payment_service_record_send_error (PdPaymentService  *self,
                                               PdPayment         *payment,
                                               const GError      *send_error,
                                               GError           **error);

G_END_DECLS
