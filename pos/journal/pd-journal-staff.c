#include <glib/gi18n-lib.h>

#include "pd-journal-private.h"

#define ASSOCIATE_COLUMNS \
  "id, display_name, role, enabled, failed_attempts, locked_until, created_at, pin_hash"

#define AUDIT_COLUMNS \
  "seq, recorded_at, business_date, terminal_id, source, kind, associate_id, approver_id," \
  " payment_id, detail, chain"

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

static PdAssociate *
associate_from_row (sqlite3_stmt  *stmt,
                    char         **pin_hash)
{
  g_autoptr(PdAssociate) associate = g_new0 (PdAssociate, 1);

  associate->id = g_strdup (column_text (stmt, 0));
  associate->display_name = g_strdup (column_text (stmt, 1));
  if (!pd_role_from_id (column_text (stmt, 2), &associate->role))
    associate->role = PD_ROLE_ASSOCIATE;
  associate->enabled = sqlite3_column_int (stmt, 3) != 0;
  associate->failed_attempts = (guint) sqlite3_column_int (stmt, 4);
  associate->locked_until = sqlite3_column_int64 (stmt, 5);
  associate->created_at = g_strdup (column_text (stmt, 6));
  if (pin_hash != NULL)
    *pin_hash = g_strdup (column_text (stmt, 7));
  return g_steal_pointer (&associate);
}

/* Inside the caller's transaction: the next number (never one used before, even by an
 * event taken out since), the link to the event before it, and the row. */
static gboolean
insert_audit (PdJournal     *self,
              PdAuditEvent  *event,
              GError       **error)
{
  g_autoptr(PdJournalStatement) last = NULL;
  g_autoptr(PdJournalStatement) insert = NULL;
  g_autofree char *previous = NULL;
  g_autofree char *chain = NULL;
  int rc;

  last = _pd_journal_prepare (self,
                              "SELECT coalesce ((SELECT seq FROM sqlite_sequence"
                              "                   WHERE name = 'audit_events'), 0),"
                              "       (SELECT chain FROM audit_events"
                              "         ORDER BY seq DESC LIMIT 1)", error);
  if (last == NULL)
    return FALSE;
  rc = sqlite3_step (last);
  if (rc != SQLITE_ROW)
    {
      _pd_journal_set_error (self, rc, error);
      return FALSE;
    }
  event->seq = sqlite3_column_int64 (last, 0) + 1;
  previous = g_strdup (sqlite3_column_type (last, 1) == SQLITE_NULL ? PD_AUDIT_CHAIN_START
                                                                     : column_text (last, 1));
  g_free (event->recorded_at);
  event->recorded_at = _pd_journal_timestamp_now ();
  chain = pd_audit_event_chain (event, previous);

  insert = _pd_journal_prepare (self, "INSERT INTO audit_events (" AUDIT_COLUMNS ")"
                                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (insert == NULL)
    return FALSE;
  sqlite3_bind_int64 (insert, 1, event->seq);
  _pd_journal_bind_text (insert, 2, event->recorded_at);
  _pd_journal_bind_text (insert, 3, event->business_date);
  _pd_journal_bind_text (insert, 4, event->terminal_id);
  _pd_journal_bind_text (insert, 5, pd_audit_source_to_id (event->source));
  _pd_journal_bind_text (insert, 6, pd_audit_kind_to_id (event->kind));
  _pd_journal_bind_text (insert, 7, event->associate_id);
  _pd_journal_bind_text (insert, 8, event->approver_id);
  _pd_journal_bind_text (insert, 9, event->payment_id);
  _pd_journal_bind_text (insert, 10, event->detail);
  _pd_journal_bind_text (insert, 11, chain);
  return _pd_journal_step_done (self, insert, error);
}

static gboolean
audit_event_is_complete (const PdAuditEvent *event)
{
  return event != NULL && event->business_date != NULL && event->terminal_id != NULL &&
         event->kind < PD_N_AUDIT_KINDS;
}

gboolean
pd_journal_append_audit (PdJournal     *self,
                         PdAuditEvent  *event,
                         GError       **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (PD_IS_JOURNAL (self), FALSE);
  g_return_val_if_fail (audit_event_is_complete (event), FALSE);

  locker = _pd_journal_lock (self);
  if (!_pd_journal_begin (self, error))
    return FALSE;
  if (!insert_audit (self, event, error) || !_pd_journal_commit (self, error))
    {
      _pd_journal_rollback (self);
      return FALSE;
    }
  return TRUE;
}

gboolean
pd_journal_add_associate (PdJournal          *self,
                          const PdAssociate  *associate,
                          const char         *pin_hash,
                          PdAuditEvent       *event,
                          GError            **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(PdJournalStatement) stmt = NULL;
  g_autofree char *created_at = _pd_journal_timestamp_now ();

  g_return_val_if_fail (PD_IS_JOURNAL (self), FALSE);
  g_return_val_if_fail (associate != NULL && associate->id != NULL, FALSE);
  g_return_val_if_fail (pin_hash != NULL, FALSE);
  g_return_val_if_fail (audit_event_is_complete (event), FALSE);

  locker = _pd_journal_lock (self);
  if (!_pd_journal_begin (self, error))
    return FALSE;
  stmt = _pd_journal_prepare (self, "INSERT INTO associates (id, display_name, role, enabled,"
                                    " pin_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    goto failed;
  _pd_journal_bind_text (stmt, 1, associate->id);
  _pd_journal_bind_text (stmt, 2, associate->display_name);
  _pd_journal_bind_text (stmt, 3, pd_role_to_id (associate->role));
  sqlite3_bind_int (stmt, 4, associate->enabled ? 1 : 0);
  _pd_journal_bind_text (stmt, 5, pin_hash);
  _pd_journal_bind_text (stmt, 6, created_at);
  if (!_pd_journal_step_done (self, stmt, error) || !insert_audit (self, event, error) ||
      !_pd_journal_commit (self, error))
    goto failed;
  return TRUE;

failed:
  _pd_journal_rollback (self);
  return FALSE;
}

static const char * const change_sql[] = {
  [PD_ASSOCIATE_ENABLE] = "UPDATE associates SET enabled = 1 WHERE id = ?1",
  [PD_ASSOCIATE_DISABLE] = "UPDATE associates SET enabled = 0 WHERE id = ?1",
  [PD_ASSOCIATE_UNLOCK] =
    "UPDATE associates SET failed_attempts = 0, locked_until = 0 WHERE id = ?1",
  [PD_ASSOCIATE_SET_PIN] =
    "UPDATE associates SET pin_hash = ?2, failed_attempts = 0, locked_until = 0 WHERE id = ?1",
  [PD_ASSOCIATE_SIGNED_IN] =
    "UPDATE associates SET failed_attempts = 0, locked_until = 0 WHERE id = ?1",
};

gboolean
pd_journal_change_associate (PdJournal          *self,
                             const char         *id,
                             PdAssociateChange   change,
                             const char         *pin_hash,
                             PdAuditEvent       *event,
                             GError            **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(PdJournalStatement) stmt = NULL;

  g_return_val_if_fail (PD_IS_JOURNAL (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (change < G_N_ELEMENTS (change_sql), FALSE);
  g_return_val_if_fail ((change == PD_ASSOCIATE_SET_PIN) == (pin_hash != NULL), FALSE);
  g_return_val_if_fail (audit_event_is_complete (event), FALSE);

  locker = _pd_journal_lock (self);
  if (!_pd_journal_begin (self, error))
    return FALSE;
  stmt = _pd_journal_prepare (self, change_sql[change], error);
  if (stmt == NULL)
    goto failed;
  _pd_journal_bind_text (stmt, 1, id);
  if (pin_hash != NULL)
    _pd_journal_bind_text (stmt, 2, pin_hash);
  if (!_pd_journal_step_done (self, stmt, error))
    goto failed;
  if (sqlite3_changes (sqlite3_db_handle (stmt)) == 0)
    {
      g_set_error (error, PD_JOURNAL_ERROR, PD_JOURNAL_ERROR_NOT_FOUND,
                   _("There is no associate with the ID %s."), id);
      goto failed;
    }
  if (!insert_audit (self, event, error) || !_pd_journal_commit (self, error))
    goto failed;
  return TRUE;

failed:
  _pd_journal_rollback (self);
  return FALSE;
}

gboolean
pd_journal_count_wrong_pin (PdJournal     *self,
                            const char    *id,
                            guint          max_attempts,
                            gint64         lock_until,
                            PdAuditEvent  *failed_event,
                            PdAuditEvent  *lockout_event,
                            gboolean      *locked_out,
                            GError       **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(PdJournalStatement) stmt = NULL;
  int rc;

  g_return_val_if_fail (PD_IS_JOURNAL (self), FALSE);
  g_return_val_if_fail (id != NULL && max_attempts > 0, FALSE);
  g_return_val_if_fail (audit_event_is_complete (failed_event), FALSE);
  g_return_val_if_fail (audit_event_is_complete (lockout_event), FALSE);
  g_return_val_if_fail (locked_out != NULL, FALSE);

  locker = _pd_journal_lock (self);
  if (!_pd_journal_begin (self, error))
    return FALSE;
  /* One statement, so that two terminals counting at once both count. */
  stmt = _pd_journal_prepare (self,
                              "UPDATE associates SET failed_attempts = failed_attempts + 1,"
                              "  locked_until = CASE WHEN failed_attempts + 1 >= ?2 THEN ?3"
                              "                      ELSE locked_until END"
                              " WHERE id = ?1 RETURNING failed_attempts >= ?2", error);
  if (stmt == NULL)
    goto failed;
  _pd_journal_bind_text (stmt, 1, id);
  sqlite3_bind_int (stmt, 2, (int) max_attempts);
  sqlite3_bind_int64 (stmt, 3, lock_until);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        g_set_error (error, PD_JOURNAL_ERROR, PD_JOURNAL_ERROR_NOT_FOUND,
                     _("There is no associate with the ID %s."), id);
      else
        _pd_journal_set_error (self, rc, error);
      goto failed;
    }
  *locked_out = sqlite3_column_int (stmt, 0) != 0;
  if (!_pd_journal_step_done (self, stmt, error))
    goto failed;
  if (!insert_audit (self, failed_event, error) ||
      (*locked_out && !insert_audit (self, lockout_event, error)) ||
      !_pd_journal_commit (self, error))
    goto failed;
  return TRUE;

failed:
  _pd_journal_rollback (self);
  return FALSE;
}

PdAssociate *
pd_journal_find_associate (PdJournal   *self,
                           const char  *id,
                           char       **pin_hash,
                           GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(PdJournalStatement) stmt = NULL;
  int rc;

  g_return_val_if_fail (PD_IS_JOURNAL (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  locker = _pd_journal_lock (self);
  stmt = _pd_journal_prepare (self, "SELECT " ASSOCIATE_COLUMNS " FROM associates WHERE id = ?",
                              error);
  if (stmt == NULL)
    return NULL;
  _pd_journal_bind_text (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return associate_from_row (stmt, pin_hash);
  if (rc == SQLITE_DONE)
    g_set_error (error, PD_JOURNAL_ERROR, PD_JOURNAL_ERROR_NOT_FOUND,
                 _("There is no associate with the ID %s."), id);
  else
    _pd_journal_set_error (self, rc, error);
  return NULL;
}

GPtrArray *
pd_journal_list_associates (PdJournal  *self,
                            GError    **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(PdJournalStatement) stmt = NULL;
  g_autoptr(GPtrArray) associates = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_associate_free);
  int rc;

  g_return_val_if_fail (PD_IS_JOURNAL (self), NULL);

  locker = _pd_journal_lock (self);
  stmt = _pd_journal_prepare (self, "SELECT " ASSOCIATE_COLUMNS " FROM associates"
                                    " ORDER BY display_name COLLATE NOCASE, id", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (associates, associate_from_row (stmt, NULL));
  if (rc != SQLITE_DONE)
    {
      _pd_journal_set_error (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&associates);
}

static PdAuditEvent *
audit_event_from_row (sqlite3_stmt *stmt)
{
  PdAuditEvent *event = g_new0 (PdAuditEvent, 1);

  event->seq = sqlite3_column_int64 (stmt, 0);
  event->recorded_at = g_strdup (column_text (stmt, 1));
  event->business_date = g_strdup (column_text (stmt, 2));
  event->terminal_id = g_strdup (column_text (stmt, 3));
  if (!pd_audit_source_from_id (column_text (stmt, 4), &event->source))
    event->source = PD_AUDIT_SOURCE_PAYDESK;
  /* An unknown kind is kept as one past the last, for verify to name. */
  if (!pd_audit_kind_from_id (column_text (stmt, 5), &event->kind))
    event->kind = PD_N_AUDIT_KINDS;
  event->associate_id = g_strdup (column_text (stmt, 6));
  event->approver_id = g_strdup (column_text (stmt, 7));
  event->payment_id = g_strdup (column_text (stmt, 8));
  event->detail = g_strdup (column_text (stmt, 9));
  return event;
}

GPtrArray *
pd_journal_list_audit (PdJournal   *self,
                       const char  *business_date,
                       const char  *associate_id,
                       GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(PdJournalStatement) stmt = NULL;
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_audit_event_free);
  int rc;

  g_return_val_if_fail (PD_IS_JOURNAL (self), NULL);

  locker = _pd_journal_lock (self);
  stmt = _pd_journal_prepare (self,
                              "SELECT " AUDIT_COLUMNS " FROM audit_events"
                              " WHERE (?1 IS NULL OR business_date = ?1)"
                              "   AND (?2 IS NULL OR associate_id = ?2 OR approver_id = ?2)"
                              " ORDER BY seq", error);
  if (stmt == NULL)
    return NULL;
  _pd_journal_bind_text (stmt, 1, business_date);
  _pd_journal_bind_text (stmt, 2, associate_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PdAuditEvent *event = audit_event_from_row (stmt);

      if (event->kind == PD_N_AUDIT_KINDS)
        {
          g_set_error (error, PD_JOURNAL_ERROR, PD_JOURNAL_ERROR_CORRUPT,
                       _("Audit event %lld is of an unknown kind “%s”: run “paydesk-ctl "
                         "journal verify”."), (long long) event->seq, column_text (stmt, 5));
          pd_audit_event_free (event);
          return NULL;
        }
      g_ptr_array_add (events, event);
    }
  if (rc != SQLITE_DONE)
    {
      _pd_journal_set_error (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&events);
}

/* Every event in order, numbered without a gap up to the last number given, each chained to
 * the one before it. */
gboolean
_pd_journal_collect_audit_problems (PdJournal  *self,
                                    GPtrArray  *problems,
                                    GError    **error)
{
  g_autoptr(PdJournalStatement) stmt = NULL;
  g_autoptr(PdJournalStatement) sequence = NULL;
  g_autofree char *previous = g_strdup (PD_AUDIT_CHAIN_START);
  gint64 expected = 1;
  gint64 last_given = 0;
  int rc;

  /* The last number given first: an event another terminal adds while the rows are read
   * is beyond it, not taken for one missing. */
  sequence = _pd_journal_prepare (self, "SELECT seq FROM sqlite_sequence"
                                        " WHERE name = 'audit_events'", error);
  if (sequence == NULL)
    return FALSE;
  rc = sqlite3_step (sequence);
  if (rc == SQLITE_ROW)
    last_given = sqlite3_column_int64 (sequence, 0);
  else if (rc != SQLITE_DONE)
    {
      _pd_journal_set_error (self, rc, error);
      return FALSE;
    }
  stmt = _pd_journal_prepare (self, "SELECT " AUDIT_COLUMNS " FROM audit_events ORDER BY seq",
                              error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(PdAuditEvent) event = audit_event_from_row (stmt);
      g_autofree char *chain = NULL;

      if (event->seq != expected)
        g_ptr_array_add (problems,
                         g_strdup_printf (_("audit log: events %lld to %lld are missing"),
                                          (long long) expected, (long long) event->seq - 1));
      expected = event->seq + 1;
      if (event->kind == PD_N_AUDIT_KINDS)
        {
          g_ptr_array_add (problems,
                           g_strdup_printf (_("audit log: event %lld is of an unknown kind "
                                              "“%s”"), (long long) event->seq,
                                            column_text (stmt, 5)));
          g_free (previous);
          previous = g_strdup (column_text (stmt, 10));
          continue;
        }
      chain = pd_audit_event_chain (event, previous);
      if (g_strcmp0 (chain, column_text (stmt, 10)) != 0)
        g_ptr_array_add (problems,
                         g_strdup_printf (_("audit log: event %lld was changed, or one before "
                                            "it taken out"), (long long) event->seq));
      g_free (previous);
      previous = g_strdup (column_text (stmt, 10));
    }
  if (rc != SQLITE_DONE)
    {
      _pd_journal_set_error (self, rc, error);
      return FALSE;
    }

  if (last_given >= expected)
    g_ptr_array_add (problems,
                     g_strdup_printf (_("audit log: the last events (%lld to %lld) are "
                                        "missing"), (long long) expected,
                                      (long long) last_given));
  return TRUE;
}
