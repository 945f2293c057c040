#pragma once

#include <sqlite3.h>

#include "pd-journal.h"

G_BEGIN_DECLS

#define PD_JOURNAL_SCHEMA_VERSION 3

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

G_END_DECLS
