#include <glib/gi18n-lib.h>

#include "pd-journal-private.h"

/* In PdEmailState's order; QUEUED has no attempt behind it. */
static const char * const state_ids[] = {
  "queued", "sending", "deferred", "sent", "failed",
};

/* The request with its latest attempt, and how many claims (tries) it has had. */
#define SELECT_EMAILS                                                                       \
  "SELECT r.id, r.payment_id, r.recipient, r.language, r.message_id, r.requested_at,"        \
  "       a.seq, a.outcome, a.recorded_at, a.next_attempt_at, a.smtp_code, a.detail,"        \
  "       (SELECT count (*) FROM email_attempts c"                                          \
  "         WHERE c.email_id = r.id AND c.outcome = 'sending')"                              \
  "  FROM email_requests r"                                                                 \
  "  LEFT JOIN email_attempts a"                                                            \
  "    ON a.seq = (SELECT max (m.seq) FROM email_attempts m WHERE m.email_id = r.id)"

const char *
pd_email_state_to_id (PdEmailState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (state_ids), NULL);

  return state_ids[state];
}

static PdEmailState
state_from_id (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (state_ids); i++)
    if (g_strcmp0 (id, state_ids[i]) == 0)
      return (PdEmailState) i;

  return PD_EMAIL_STATE_QUEUED;
}

static char *
dup_column (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static PdJournalEmail *
read_email (sqlite3_stmt *stmt)
{
  PdJournalEmail *email = g_new0 (PdJournalEmail, 1);

  email->id = sqlite3_column_int64 (stmt, 0);
  email->payment_id = dup_column (stmt, 1);
  email->recipient = dup_column (stmt, 2);
  email->language = dup_column (stmt, 3);
  email->message_id = dup_column (stmt, 4);
  email->requested_at = dup_column (stmt, 5);
  email->last_seq = sqlite3_column_int64 (stmt, 6);
  email->state = sqlite3_column_type (stmt, 7) == SQLITE_NULL
                 ? PD_EMAIL_STATE_QUEUED
                 : state_from_id ((const char *) sqlite3_column_text (stmt, 7));
  email->updated_at = sqlite3_column_type (stmt, 8) == SQLITE_NULL ? dup_column (stmt, 5)
                                                                   : dup_column (stmt, 8);
  email->next_attempt_at = sqlite3_column_int64 (stmt, 9);
  email->smtp_code = sqlite3_column_int (stmt, 10);
  email->detail = dup_column (stmt, 11);
  email->attempts = (guint) sqlite3_column_int (stmt, 12);
  return email;
}

static GPtrArray *
collect_emails (PdJournal     *self,
                sqlite3_stmt  *stmt,
                GError       **error)
{
  g_autoptr(GPtrArray) emails = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_journal_email_free);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (emails, read_email (stmt));

  if (rc != SQLITE_DONE)
    {
      _pd_journal_set_error (self, rc, error);
      return NULL;
    }

  return g_steal_pointer (&emails);
}

gint64
pd_journal_queue_email (PdJournal   *self,
                        const char  *payment_id,
                        const char  *recipient,
                        const char  *language,
                        const char  *message_id,
                        GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(PdJournalStatement) stmt = NULL;
  g_autofree char *requested_at = _pd_journal_timestamp_now ();

  g_return_val_if_fail (PD_IS_JOURNAL (self), 0);
  g_return_val_if_fail (payment_id != NULL, 0);
  g_return_val_if_fail (recipient != NULL, 0);
  g_return_val_if_fail (language != NULL, 0);
  g_return_val_if_fail (message_id != NULL, 0);

  locker = _pd_journal_lock (self);
  stmt = _pd_journal_prepare (self, "INSERT INTO email_requests (payment_id, recipient,"
                                    " language, message_id, requested_at)"
                                    " VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return 0;

  _pd_journal_bind_text (stmt, 1, payment_id);
  _pd_journal_bind_text (stmt, 2, recipient);
  _pd_journal_bind_text (stmt, 3, language);
  _pd_journal_bind_text (stmt, 4, message_id);
  _pd_journal_bind_text (stmt, 5, requested_at);
  if (!_pd_journal_step_done (self, stmt, error))
    return 0;

  return sqlite3_last_insert_rowid (sqlite3_db_handle (stmt));
}

static gboolean
insert_attempt (PdJournal   *self,
                gint64       email_id,
                const char  *outcome,
                int          smtp_code,
                const char  *detail,
                gint64       next_attempt_at,
                GError     **error)
{
  g_autoptr(PdJournalStatement) stmt = NULL;
  g_autofree char *recorded_at = _pd_journal_timestamp_now ();
  g_autofree char *short_detail = NULL;

  stmt = _pd_journal_prepare (self, "INSERT INTO email_attempts (email_id, recorded_at, outcome,"
                                    " smtp_code, detail, next_attempt_at)"
                                    " VALUES (?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;

  /* A server's reply can run long; the journal keeps what an associate would read. */
  if (detail != NULL)
    short_detail = g_utf8_substring (detail, 0, MIN (g_utf8_strlen (detail, -1), 400));

  sqlite3_bind_int64 (stmt, 1, email_id);
  _pd_journal_bind_text (stmt, 2, recorded_at);
  _pd_journal_bind_text (stmt, 3, outcome);
  if (smtp_code > 0)
    sqlite3_bind_int (stmt, 4, smtp_code);
  _pd_journal_bind_text (stmt, 5, short_detail);
  if (next_attempt_at > 0)
    sqlite3_bind_int64 (stmt, 6, next_attempt_at);
  return _pd_journal_step_done (self, stmt, error);
}

/* Inside a transaction: the latest attempt's seq, 0 for none, -1 on error. */
static gint64
latest_seq (PdJournal   *self,
            gint64       email_id,
            GError     **error)
{
  g_autoptr(PdJournalStatement) stmt = NULL;
  int rc;

  stmt = _pd_journal_prepare (self, "SELECT coalesce (max (seq), 0) FROM email_attempts"
                                    " WHERE email_id = ?", error);
  if (stmt == NULL)
    return -1;

  sqlite3_bind_int64 (stmt, 1, email_id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      _pd_journal_set_error (self, rc, error);
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}

gboolean
pd_journal_claim_email (PdJournal             *self,
                        const PdJournalEmail  *email,
                        gint64                 lease_until,
                        GError               **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  gint64 seq;

  g_return_val_if_fail (PD_IS_JOURNAL (self), FALSE);
  g_return_val_if_fail (email != NULL, FALSE);
  g_return_val_if_fail (lease_until > 0, FALSE);

  locker = _pd_journal_lock (self);
  if (!_pd_journal_begin (self, error))
    return FALSE;

  /* Someone else's attempt since the caller looked: theirs to finish. */
  seq = latest_seq (self, email->id, error);
  if (seq != email->last_seq)
    {
      _pd_journal_rollback (self);
      return FALSE;
    }

  if (!insert_attempt (self, email->id, "sending", 0, NULL, lease_until, error) ||
      !_pd_journal_commit (self, error))
    {
      _pd_journal_rollback (self);
      return FALSE;
    }

  return TRUE;
}

gboolean
pd_journal_record_email_outcome (PdJournal             *self,
                                 const PdJournalEmail  *email,
                                 PdEmailState           outcome,
                                 int                    smtp_code,
                                 const char            *detail,
                                 gint64                 next_attempt_at,
                                 GError               **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (PD_IS_JOURNAL (self), FALSE);
  g_return_val_if_fail (email != NULL, FALSE);
  g_return_val_if_fail (outcome == PD_EMAIL_STATE_DEFERRED || outcome == PD_EMAIL_STATE_SENT ||
                        outcome == PD_EMAIL_STATE_FAILED, FALSE);
  g_return_val_if_fail (outcome != PD_EMAIL_STATE_DEFERRED || next_attempt_at > 0, FALSE);

  locker = _pd_journal_lock (self);
  if (!_pd_journal_begin (self, error))
    return FALSE;

  if (!insert_attempt (self, email->id, state_ids[outcome], smtp_code, detail,
                       outcome == PD_EMAIL_STATE_DEFERRED ? next_attempt_at : 0, error))
    goto failed;

  if (outcome == PD_EMAIL_STATE_SENT &&
      !_pd_journal_insert_receipt_copy (self, email->payment_id, PD_RECEIPT_FORMAT_EMAIL,
                                        email->language, error))
    goto failed;

  if (!_pd_journal_commit (self, error))
    goto failed;

  return TRUE;

failed:
  _pd_journal_rollback (self);
  return FALSE;
}

PdJournalEmail *
pd_journal_get_email (PdJournal   *self,
                      gint64       id,
                      GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(PdJournalStatement) stmt = NULL;
  int rc;

  g_return_val_if_fail (PD_IS_JOURNAL (self), NULL);

  locker = _pd_journal_lock (self);
  stmt = _pd_journal_prepare (self, SELECT_EMAILS " WHERE r.id = ?", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return read_email (stmt);

  if (rc == SQLITE_DONE)
    {
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, id);

      g_set_error (error, PD_JOURNAL_ERROR, PD_JOURNAL_ERROR_NOT_FOUND,
                   _("No emailed receipt %s in the journal."), number);
    }
  else
    _pd_journal_set_error (self, rc, error);
  return NULL;
}

GPtrArray *
pd_journal_list_emails (PdJournal   *self,
                        const char  *payment_id,
                        GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(PdJournalStatement) stmt = NULL;

  g_return_val_if_fail (PD_IS_JOURNAL (self), NULL);

  locker = _pd_journal_lock (self);
  stmt = _pd_journal_prepare (self, SELECT_EMAILS " WHERE ?1 IS NULL OR r.payment_id = ?1"
                                    " ORDER BY r.id", error);
  if (stmt == NULL)
    return NULL;

  _pd_journal_bind_text (stmt, 1, payment_id);
  return collect_emails (self, stmt, error);
}

GPtrArray *
pd_journal_list_emails_due (PdJournal   *self,
                            gint64       now,
                            GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(PdJournalStatement) stmt = NULL;

  g_return_val_if_fail (PD_IS_JOURNAL (self), NULL);

  locker = _pd_journal_lock (self);
  stmt = _pd_journal_prepare (self, SELECT_EMAILS
                                    " WHERE a.seq IS NULL"
                                    "    OR (a.outcome IN ('deferred', 'sending')"
                                    "        AND a.next_attempt_at <= ?)"
                                    " ORDER BY r.id", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, now);
  return collect_emails (self, stmt, error);
}

void
pd_journal_email_free (PdJournalEmail *email)
{
  if (email == NULL)
    return;

  g_free (email->payment_id);
  g_free (email->recipient);
  g_free (email->language);
  g_free (email->message_id);
  g_free (email->requested_at);
  g_free (email->updated_at);
  g_free (email->detail);
  g_free (email);
}
