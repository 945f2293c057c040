#pragma once

#include <sqlite3.h>

#include "pd-journal.h"

G_BEGIN_DECLS

#define PD_JOURNAL_SCHEMA_VERSION 7

/* Test hooks: a crash just before COMMIT, an old schema, a full disk. */
typedef void (*PdJournalCommitHook) (gpointer user_data);

void        _pd_journal_set_before_commit_hook (PdJournal           *self,
                                                PdJournalCommitHook  hook,
                                                gpointer             user_data);
PdJournal  *_pd_journal_open_at_version        (const char          *path,
                                                int                  version,
                                                GError             **error);
void        _pd_journal_limit_pages            (PdJournal           *self,
                                                int                  max_pages);

/* Applies the migrations after from_version up to to_version, one transaction each. */
gboolean    _pd_journal_migrate                (sqlite3             *db,
                                                int                  from_version,
                                                int                  to_version,
                                                GError             **error);

/* A statement prepared once per connection and kept: the autoptr resets it for its next
 * use instead of finalizing it. */
typedef sqlite3_stmt PdJournalStatement;

void        _pd_journal_statement_release      (PdJournalStatement  *stmt);

/* For the journal's other files (pd-journal-facts.c): the one connection, its lock, and
 * errors worded for the associate. */
GMutexLocker *_pd_journal_lock                 (PdJournal           *self);
PdJournalStatement *_pd_journal_prepare        (PdJournal           *self,
                                                const char          *sql,
                                                GError             **error);
/* Steps a statement that returns no rows; FALSE with the journal's error otherwise. */
gboolean    _pd_journal_step_done              (PdJournal           *self,
                                                sqlite3_stmt        *stmt,
                                                GError             **error);
void        _pd_journal_set_error              (PdJournal           *self,
                                                int                  rc,
                                                GError             **error);
char       *_pd_journal_timestamp_now          (void);
/* A write transaction across processes (the kiosk and paydesk-ctl share the journal). */
gboolean    _pd_journal_begin                  (PdJournal           *self,
                                                GError             **error);
gboolean    _pd_journal_commit                 (PdJournal           *self,
                                                GError             **error);
void        _pd_journal_rollback               (PdJournal           *self);
void        _pd_journal_bind_text              (sqlite3_stmt        *stmt,
                                                int                  index,
                                                const char          *text);
/* Inside the caller's transaction. */
gboolean    _pd_journal_insert_receipt_copy    (PdJournal           *self,
                                                const char          *payment_id,
                                                PdReceiptFormat      format,
                                                const char          *language,
                                                GError             **error);
gboolean    _pd_journal_insert_fact            (PdJournal           *self,
                                                const char          *payment_id,
                                                PdPaymentFact        fact,
                                                const char          *value,
                                                GError             **error);

/* The audit log's problems, for pd_journal_verify (pd-journal-staff.c). */
gboolean    _pd_journal_collect_audit_problems (PdJournal          *self,
                                                GPtrArray          *problems,
                                                GError            **error);

/* Claims (pd-journal-claims.c), inside the caller's transaction, for this journal's owner:
 * this boot, this process, this journal object. */
const char *_pd_journal_get_owner              (PdJournal           *self);
char       *_pd_journal_make_owner             (void);
gboolean    _pd_journal_insert_claim           (PdJournal           *self,
                                                const char          *payment_id,
                                                GError             **error);
gboolean    _pd_journal_delete_claim           (PdJournal           *self,
                                                const char          *payment_id,
                                                GError             **error);
/* *held: a live worker (this journal or another) holds the payment now. */
gboolean    _pd_journal_read_claim             (PdJournal           *self,
                                                const char          *payment_id,
                                                gboolean            *held,
                                                GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdJournalStatement, _pd_journal_statement_release)

G_END_DECLS
