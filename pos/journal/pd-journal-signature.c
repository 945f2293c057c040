#include <glib/gi18n-lib.h>

#include "pd-journal-private.h"

/* The member's signature under a debit authorization, in its text form (pd-signature.h).
 * Signed again, a payment gets a later row: the latest is the one that stands. */

static gboolean
payment_exists (PdJournal   *self,
                const char  *payment_id,
                GError     **error)
{
  g_autoptr(PdJournalStatement) stmt = NULL;
  int rc;

  stmt = _pd_journal_prepare (self, "SELECT 1 FROM payments WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;

  _pd_journal_bind_text (stmt, 1, payment_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc == SQLITE_DONE)
    g_set_error (error, PD_JOURNAL_ERROR, PD_JOURNAL_ERROR_NOT_FOUND,
                 _("There is no payment %s in the journal to record a signature for."),
                 payment_id);
  else
    _pd_journal_set_error (self, rc, error);
  return FALSE;
}

gboolean
pd_journal_record_signature (PdJournal    *self,
                             const char   *payment_id,
                             PdSignature  *signature,
                             GError      **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(PdJournalStatement) stmt = NULL;
  g_autofree char *recorded_at = _pd_journal_timestamp_now ();
  g_autofree char *data = NULL;

  g_return_val_if_fail (PD_IS_JOURNAL (self), FALSE);
  g_return_val_if_fail (payment_id != NULL, FALSE);
  g_return_val_if_fail (PD_IS_SIGNATURE (signature), FALSE);

  /* A dot or a line is not evidence of anything: the pad asks again before this. */
  if (!pd_signature_check_signed (signature, error))
    return FALSE;

  data = pd_signature_to_text (signature);
  locker = _pd_journal_lock (self);
  if (!payment_exists (self, payment_id, error))
    return FALSE;

  stmt = _pd_journal_prepare (self, "INSERT INTO payment_signatures (payment_id, recorded_at,"
                                    " format, data) VALUES (?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;

  _pd_journal_bind_text (stmt, 1, payment_id);
  _pd_journal_bind_text (stmt, 2, recorded_at);
  _pd_journal_bind_text (stmt, 3, PD_SIGNATURE_FORMAT);
  _pd_journal_bind_text (stmt, 4, data);
  return _pd_journal_step_done (self, stmt, error);
}

PdSignature *
pd_journal_get_signature (PdJournal   *self,
                          const char  *payment_id,
                          GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(PdJournalStatement) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  PdSignature *signature;
  const char *data;
  int rc;

  g_return_val_if_fail (PD_IS_JOURNAL (self), NULL);
  g_return_val_if_fail (payment_id != NULL, NULL);

  locker = _pd_journal_lock (self);
  stmt = _pd_journal_prepare (self, "SELECT data FROM payment_signatures"
                                    " WHERE payment_id = ? ORDER BY seq DESC LIMIT 1", error);
  if (stmt == NULL)
    return NULL;

  _pd_journal_bind_text (stmt, 1, payment_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return NULL;
  if (rc != SQLITE_ROW)
    {
      _pd_journal_set_error (self, rc, error);
      return NULL;
    }

  data = (const char *) sqlite3_column_text (stmt, 0);
  signature = pd_signature_new_from_text (data != NULL ? data : "", &local_error);
  if (signature == NULL)
    g_set_error (error, PD_JOURNAL_ERROR, PD_JOURNAL_ERROR_CORRUPT,
                 _("The journal's signature for payment %s cannot be read back (%s). Keep the "
                   "journal for support."), payment_id, local_error->message);
  return signature;
}
