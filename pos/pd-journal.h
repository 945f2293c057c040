#pragma once

#include <glib-object.h>

#include "pd-core-request.h"
#include "pd-payment.h"

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

typedef struct {
  gint64 seq;
  char *recorded_at;
  PdPaymentState state;
  char *confirmation;
  char *reason;
} PdJournalEvent;

#define PD_TYPE_JOURNAL (pd_journal_get_type ())

G_DECLARE_FINAL_TYPE (PdJournal, pd_journal, PD, JOURNAL, GObject)

GQuark      pd_journal_error_quark       (void);

PdJournal  *pd_journal_open              (const char      *path,
                                          GError         **error);
const char *pd_journal_get_path          (PdJournal       *self);
int         pd_journal_get_schema_version (PdJournal      *self);

gboolean    pd_journal_record_payment    (PdJournal       *self,
                                          PdPayment       *payment,
                                          const PdCoreRequest *first_request,
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
/* How many copies were handed over so far; -1 on error. */
int         pd_journal_count_receipt_copies (PdJournal    *self,
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

G_END_DECLS
