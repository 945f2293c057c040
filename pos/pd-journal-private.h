#pragma once

#include <sqlite3.h>

#include "pd-journal.h"

G_BEGIN_DECLS

#define PD_JOURNAL_SCHEMA_VERSION 5

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

/* For the journal's other files (pd-journal-facts.c): the one connection, its lock, and
 * errors worded for the associate. */
GMutexLocker *_pd_journal_lock                 (PdJournal           *self);
sqlite3_stmt *_pd_journal_prepare              (PdJournal           *self,
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

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

G_END_DECLS
