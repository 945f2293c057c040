#pragma once

#include <glib-object.h>

#include "pd-associate.h"
#include "pd-audit-event.h"
#include "pd-core-request.h"
#include "pd-payment.h"
#include "pd-signature.h"

G_BEGIN_DECLS

#define PD_JOURNAL_ERROR (pd_journal_error_quark ())

typedef enum {
  PD_JOURNAL_ERROR_OPEN,
  PD_JOURNAL_ERROR_CORRUPT,
  PD_JOURNAL_ERROR_NOT_A_JOURNAL,
  PD_JOURNAL_ERROR_TOO_NEW,
  PD_JOURNAL_ERROR_FULL,
  PD_JOURNAL_ERROR_DUPLICATE,
  PD_JOURNAL_ERROR_NOT_FOUND,
  PD_JOURNAL_ERROR_FAILED,
  PD_JOURNAL_ERROR_WRONG_MODE,
} PdJournalError;

/* A request to the core as journaled: PdCoreRequest with owned strings. */
typedef struct {
  char *method;
  char *path;
  char *idempotency_key;
  char *body;
} PdJournalRequest;

/* What a receipt needs that the payment and its requests do not say. */
typedef enum {
  PD_PAYMENT_FACT_MEMBER_NAME,        /* the account holder's name, as the core gave it */
  PD_PAYMENT_FACT_AUTH_CODE,          /* the issuer's approval code (cards) */
  PD_PAYMENT_FACT_LANGUAGE,           /* the language the member chose (BCP 47) */
  PD_PAYMENT_FACT_AUTHORIZATION_TEXT, /* the version of the debit authorization accepted */
} PdPaymentFact;

typedef enum {
  PD_RECEIPT_FORMAT_ESCPOS,
  PD_RECEIPT_FORMAT_PNG,
  PD_RECEIPT_FORMAT_PDF,
  PD_RECEIPT_FORMAT_TEXT,
  PD_RECEIPT_FORMAT_EMAIL,
} PdReceiptFormat;

/* Where an emailed receipt stands: its latest attempt. */
typedef enum {
  PD_EMAIL_STATE_QUEUED,    /* not tried yet */
  PD_EMAIL_STATE_SENDING,   /* claimed by a sender until next_attempt_at */
  PD_EMAIL_STATE_DEFERRED,  /* the server did not take it; tried again at next_attempt_at */
  PD_EMAIL_STATE_SENT,
  PD_EMAIL_STATE_FAILED,    /* refused for good, or given up on: tell the member */
} PdEmailState;

typedef struct {
  gint64 id;
  char *payment_id;
  char *recipient;
  char *language;
  char *message_id;
  char *requested_at;
  PdEmailState state;
  guint attempts;
  gint64 last_seq;          /* the latest attempt's, 0 before the first: for claims */
  char *updated_at;
  gint64 next_attempt_at;   /* Unix time; 0 when nothing is planned */
  int smtp_code;            /* the server's last reply code, 0 without one */
  char *detail;             /* why it was deferred or failed, for the associate */
} PdJournalEmail;

typedef struct {
  gint64 seq;
  char *recorded_at;
  PdPaymentState state;
  char *confirmation;
  char *reason;
} PdJournalEvent;

/* What became of a payment, recorded in one commit: up to three moves (sent from the
 * outbox, approved, completed), the issuer's approval code, and the end of this journal's
 * claim on it. */
typedef struct {
  PdPaymentState states[3];
  guint n_states;
  const char *confirmation; /* with the first move past authorizing */
  const char *reason;       /* with the last move */
  const char *auth_code;
  gboolean release_claim;
} PdJournalOutcome;

#define PD_TYPE_JOURNAL (pd_journal_get_type ())

G_DECLARE_FINAL_TYPE (PdJournal, pd_journal, PD, JOURNAL, GObject)

GQuark      pd_journal_error_quark       (void);

PdJournal  *pd_journal_open              (const char      *path,
                                          GError         **error);
/* What a terminal opens: refused when it is the other kind's (training or production). */
PdJournal  *pd_journal_open_for_terminal (const char      *path,
                                          gboolean         training,
                                          GError         **error);
const char *pd_journal_get_path          (PdJournal       *self);
int         pd_journal_get_schema_version (PdJournal      *self);

gboolean    pd_journal_record_payment    (PdJournal       *self,
                                          PdPayment       *payment,
                                          const PdCoreRequest *first_request,
                                          GError         **error);
gboolean    pd_journal_begin_payment     (PdJournal       *self,
                                          PdPayment       *payment,
                                          const PdCoreRequest *first_request,
                                          const char      *authorization_text,
                                          GError         **error);
gboolean    pd_journal_record_request    (PdJournal       *self,
                                          PdPayment       *payment,
                                          const PdCoreRequest *request,
                                          GError         **error);
PdJournalRequest *pd_journal_get_first_request (PdJournal *self,
                                          const char      *payment_id,
                                          GError         **error);
PdJournalRequest *pd_journal_find_request (PdJournal     *self,
                                          const char      *payment_id,
                                          const char      *path,
                                          GError         **error);
gboolean    pd_journal_record_transition (PdJournal       *self,
                                          PdPayment       *payment,
                                          PdPaymentState   state,
                                          const char      *confirmation,
                                          const char      *reason,
                                          GError         **error);

gboolean    pd_journal_record_outcome    (PdJournal       *self,
                                          PdPayment       *payment,
                                          const PdJournalOutcome *outcome,
                                          GError         **error);
/* Several payments' outcomes in one commit, all or none. */
gboolean    pd_journal_record_outcomes   (PdJournal       *self,
                                          PdPayment * const *payments,
                                          const PdJournalOutcome *outcomes,
                                          guint            n,
                                          GError         **error);

/* How long a claim holds while its process lives: longer than any one payment's tries. A
 * drain stops taking up its claims before they lapse. */
#define PD_JOURNAL_CLAIM_LEASE_SECONDS (15 * 60)

/* Claims (pd-journal-claims.c): one worker at a time on a payment, across the threads and
 * processes that share the journal. A claim ends with the outcome that releases it, by
 * pd_journal_release_payment, or by itself when its process ends or its lease lapses.
 * Claims the payments no live worker holds, in one commit, and returns those (PdPayment,
 * in the order given). */
GPtrArray  *pd_journal_claim_payments    (PdJournal       *self,
                                          GPtrArray       *payments,
                                          GError         **error);
/* FALSE without an error when another worker holds it. */
gboolean    pd_journal_claim_payment     (PdJournal       *self,
                                          PdPayment       *payment,
                                          GError         **error);
gboolean    pd_journal_release_payments  (PdJournal       *self,
                                          GPtrArray       *payments,
                                          GError         **error);
gboolean    pd_journal_release_payment   (PdJournal       *self,
                                          PdPayment       *payment,
                                          GError         **error);
/* Whether a live worker, this one or another, holds the payment now. */
gboolean    pd_journal_payment_is_claimed (PdJournal      *self,
                                          const char      *payment_id,
                                          GError         **error);

PdPayment  *pd_journal_get_payment       (PdJournal       *self,
                                          const char      *id,
                                          GError         **error);
GPtrArray  *pd_journal_list_payments     (PdJournal       *self,
                                          const GDate     *business_date,
                                          GError         **error);
GPtrArray  *pd_journal_list_payments_in_state (PdJournal   *self,
                                          PdPaymentState   state,
                                          GError         **error);
GPtrArray  *pd_journal_list_events       (PdJournal       *self,
                                          const char      *payment_id,
                                          GError         **error);
GPtrArray  *pd_journal_verify            (PdJournal       *self,
                                          GError         **error);
gint64      pd_journal_count_payments    (PdJournal       *self,
                                          GError         **error);
gboolean    pd_journal_get_queued_summary (PdJournal      *self,
                                          PdCents         *total,
                                          GDateTime      **oldest,
                                          GError         **error);
/* Completed payments whose journaled void or refund the core has not answered yet. */
GPtrArray  *pd_journal_list_undoing      (PdJournal       *self,
                                          GError         **error);
/* Associates and the audit log (pd-journal-staff.c). Each change to an associate is
 * written with its audit event in one transaction; the journal sets the event's seq and
 * recorded_at. */
typedef enum {
  PD_ASSOCIATE_ENABLE,
  PD_ASSOCIATE_DISABLE,
  PD_ASSOCIATE_UNLOCK,
  PD_ASSOCIATE_SET_PIN,
  /* The wrong PINs before a right one are forgotten. */
  PD_ASSOCIATE_SIGNED_IN,
} PdAssociateChange;

gboolean     pd_journal_append_audit     (PdJournal          *self,
                                          PdAuditEvent       *event,
                                          GError            **error);
gboolean     pd_journal_add_associate    (PdJournal          *self,
                                          const PdAssociate  *associate,
                                          const char         *pin_hash,
                                          PdAuditEvent       *event,
                                          GError            **error);
/* pin_hash only with PD_ASSOCIATE_SET_PIN. */
gboolean     pd_journal_change_associate (PdJournal          *self,
                                          const char         *id,
                                          PdAssociateChange   change,
                                          const char         *pin_hash,
                                          PdAuditEvent       *event,
                                          GError            **error);
/* One more wrong PIN; at max_attempts the associate is locked until lock_until (Unix
 * time), *locked_out says so and lockout_event is written after failed_event. */
gboolean     pd_journal_count_wrong_pin  (PdJournal          *self,
                                          const char         *id,
                                          guint               max_attempts,
                                          gint64              lock_until,
                                          PdAuditEvent       *failed_event,
                                          PdAuditEvent       *lockout_event,
                                          gboolean           *locked_out,
                                          GError            **error);
/* PD_JOURNAL_ERROR_NOT_FOUND when there is none; *pin_hash (optional) its PIN's hash. */
PdAssociate *pd_journal_find_associate   (PdJournal          *self,
                                          const char         *id,
                                          char              **pin_hash,
                                          GError            **error);
/* PdAssociate, by name. */
GPtrArray   *pd_journal_list_associates  (PdJournal          *self,
                                          GError            **error);
/* PdAuditEvent in order; either filter may be NULL. An associate's events are those they
 * did and those they approved. */
GPtrArray   *pd_journal_list_audit       (PdJournal          *self,
                                          const char         *business_date,
                                          const char         *associate_id,
                                          GError            **error);

/* PdPayment left created, authorizing or approved with no live worker on them. */
GPtrArray  *pd_journal_list_unresolved   (PdJournal       *self,
                                          GError         **error);

/* A fact recorded later supersedes an earlier one of the same kind; nothing is changed. */
gboolean    pd_journal_record_fact       (PdJournal       *self,
                                          const char      *payment_id,
                                          PdPaymentFact    fact,
                                          const char      *value,
                                          GError         **error);
/* The latest value, or NULL without an error when none was recorded. */
char       *pd_journal_get_fact          (PdJournal       *self,
                                          const char      *payment_id,
                                          PdPaymentFact    fact,
                                          GError         **error);
/* Recorded once a copy of the receipt has been handed over (printed, written, sent): a
 * later copy is a duplicate. */
gboolean    pd_journal_record_receipt_copy (PdJournal     *self,
                                          const char      *payment_id,
                                          PdReceiptFormat  format,
                                          const char      *language,
                                          GError         **error);
/* How many copies of the kind of `format` were handed over so far: emails, or paper and
 * files (an emailed confirmation does not make the printed one a duplicate); -1 on error. */
int         pd_journal_count_receipt_copies (PdJournal    *self,
                                          const char      *payment_id,
                                          PdReceiptFormat  format,
                                          GError         **error);
/* Emailed receipts (pd-journal-email.c). The address was checked before. Returns the new
 * request's id, 0 on error. */
gint64      pd_journal_queue_email       (PdJournal       *self,
                                          const char      *payment_id,
                                          const char      *recipient,
                                          const char      *language,
                                          const char      *message_id,
                                          GError         **error);
/* Claims a queued or due message for one sender until lease_until (Unix time): FALSE
 * without an error when another sender (the kiosk, paydesk-ctl) got to it first. */
gboolean    pd_journal_claim_email       (PdJournal       *self,
                                          const PdJournalEmail *email,
                                          gint64           lease_until,
                                          GError         **error);
/* outcome: DEFERRED (with next_attempt_at), SENT (a receipt copy is recorded with it) or
 * FAILED. detail: why, in words for the associate; never card or bank data. */
gboolean    pd_journal_record_email_outcome (PdJournal    *self,
                                          const PdJournalEmail *email,
                                          PdEmailState     outcome,
                                          int              smtp_code,
                                          const char      *detail,
                                          gint64           next_attempt_at,
                                          GError         **error);
PdJournalEmail *pd_journal_get_email     (PdJournal       *self,
                                          gint64           id,
                                          GError         **error);
/* PdJournalEmail, oldest first: of one payment, or every one (payment_id NULL). */
GPtrArray  *pd_journal_list_emails       (PdJournal       *self,
                                          const char      *payment_id,
                                          GError         **error);
/* Those to try at now (Unix time): queued, deferred until then, or a lapsed claim. */
GPtrArray  *pd_journal_list_emails_due   (PdJournal       *self,
                                          gint64           now,
                                          GError         **error);
void        pd_journal_email_free        (PdJournalEmail  *email);
const char *pd_email_state_to_id         (PdEmailState     state);

/* The member's signature under a debit authorization (pd-journal-signature.c): refused
 * when blank. Signed again, the latest stands. */
gboolean    pd_journal_record_signature  (PdJournal       *self,
                                          const char      *payment_id,
                                          PdSignature     *signature,
                                          GError         **error);
/* The latest, or NULL without an error when none was recorded. */
PdSignature *pd_journal_get_signature    (PdJournal       *self,
                                          const char      *payment_id,
                                          GError         **error);

const char *pd_receipt_format_to_id      (PdReceiptFormat  format);
gboolean    pd_receipt_format_from_id    (const char      *id,
                                          PdReceiptFormat *format);
void        pd_journal_event_free        (PdJournalEvent  *event);
void        pd_journal_request_free      (PdJournalRequest *request);
PdCoreRequest pd_journal_request_view    (const PdJournalRequest *request);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdJournalEvent, pd_journal_event_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdJournalRequest, pd_journal_request_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdJournalEmail, pd_journal_email_free)

G_END_DECLS
