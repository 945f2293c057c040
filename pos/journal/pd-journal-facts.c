#include <glib/gi18n-lib.h>

#include "pd-journal-private.h"

/* The names the schema's CHECK accepts, in PdPaymentFact's order. */
static const char * const fact_names[] = {
  "member_name", "auth_code", "language", "authorization_text",
};

static const char * const format_ids[] = {
  "escpos", "png", "pdf", "text", "email",
};

const char *
pd_receipt_format_to_id (PdReceiptFormat format)
{
  g_return_val_if_fail (format < G_N_ELEMENTS (format_ids), NULL);

  return format_ids[format];
}

gboolean
pd_receipt_format_from_id (const char      *id,
                           PdReceiptFormat *format)
{
  g_return_val_if_fail (format != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (format_ids); i++)
    if (g_strcmp0 (id, format_ids[i]) == 0)
      {
        *format = (PdReceiptFormat) i;
        return TRUE;
      }

  return FALSE;
}

gboolean
_pd_journal_insert_fact (PdJournal      *self,
                         const char     *payment_id,
                         PdPaymentFact   fact,
                         const char     *value,
                         GError        **error)
{
  g_autoptr(PdJournalStatement) stmt = NULL;
  g_autofree char *recorded_at = _pd_journal_timestamp_now ();

  stmt = _pd_journal_prepare (self, "INSERT INTO payment_facts (payment_id, name, value,"
                                    " recorded_at) VALUES (?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;

  _pd_journal_bind_text (stmt, 1, payment_id);
  _pd_journal_bind_text (stmt, 2, fact_names[fact]);
  _pd_journal_bind_text (stmt, 3, value);
  _pd_journal_bind_text (stmt, 4, recorded_at);
  return _pd_journal_step_done (self, stmt, error);
}

gboolean
pd_journal_record_fact (PdJournal      *self,
                        const char     *payment_id,
                        PdPaymentFact   fact,
                        const char     *value,
                        GError        **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (PD_IS_JOURNAL (self), FALSE);
  g_return_val_if_fail (payment_id != NULL, FALSE);
  g_return_val_if_fail (fact < G_N_ELEMENTS (fact_names), FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  locker = _pd_journal_lock (self);
  return _pd_journal_insert_fact (self, payment_id, fact, value, error);
}

char *
pd_journal_get_fact (PdJournal      *self,
                     const char     *payment_id,
                     PdPaymentFact   fact,
                     GError        **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(PdJournalStatement) stmt = NULL;
  int rc;

  g_return_val_if_fail (PD_IS_JOURNAL (self), NULL);
  g_return_val_if_fail (payment_id != NULL, NULL);
  g_return_val_if_fail (fact < G_N_ELEMENTS (fact_names), NULL);

  locker = _pd_journal_lock (self);
  stmt = _pd_journal_prepare (self, "SELECT value FROM payment_facts"
                                    " WHERE payment_id = ? AND name = ?"
                                    " ORDER BY seq DESC LIMIT 1", error);
  if (stmt == NULL)
    return NULL;

  _pd_journal_bind_text (stmt, 1, payment_id);
  _pd_journal_bind_text (stmt, 2, fact_names[fact]);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  if (rc != SQLITE_DONE)
    _pd_journal_set_error (self, rc, error);
  return NULL;
}

gboolean
_pd_journal_insert_receipt_copy (PdJournal        *self,
                                 const char       *payment_id,
                                 PdReceiptFormat   format,
                                 const char       *language,
                                 GError          **error)
{
  g_autoptr(PdJournalStatement) stmt = NULL;
  g_autofree char *made_at = _pd_journal_timestamp_now ();

  stmt = _pd_journal_prepare (self, "INSERT INTO receipt_copies (payment_id, made_at, format,"
                                    " language) VALUES (?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;

  _pd_journal_bind_text (stmt, 1, payment_id);
  _pd_journal_bind_text (stmt, 2, made_at);
  _pd_journal_bind_text (stmt, 3, format_ids[format]);
  _pd_journal_bind_text (stmt, 4, language);
  return _pd_journal_step_done (self, stmt, error);
}

gboolean
pd_journal_record_receipt_copy (PdJournal        *self,
                                const char       *payment_id,
                                PdReceiptFormat   format,
                                const char       *language,
                                GError          **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (PD_IS_JOURNAL (self), FALSE);
  g_return_val_if_fail (payment_id != NULL, FALSE);
  g_return_val_if_fail (format < G_N_ELEMENTS (format_ids), FALSE);
  g_return_val_if_fail (language != NULL, FALSE);

  locker = _pd_journal_lock (self);
  return _pd_journal_insert_receipt_copy (self, payment_id, format, language, error);
}

int
pd_journal_count_receipt_copies (PdJournal        *self,
                                 const char       *payment_id,
                                 PdReceiptFormat   format,
                                 GError          **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(PdJournalStatement) stmt = NULL;
  int rc;

  g_return_val_if_fail (PD_IS_JOURNAL (self), -1);
  g_return_val_if_fail (payment_id != NULL, -1);

  locker = _pd_journal_lock (self);
  stmt = _pd_journal_prepare (self, "SELECT count (*) FROM receipt_copies"
                                    " WHERE payment_id = ? AND (format = 'email') = ?", error);
  if (stmt == NULL)
    return -1;

  _pd_journal_bind_text (stmt, 1, payment_id);
  sqlite3_bind_int (stmt, 2, format == PD_RECEIPT_FORMAT_EMAIL);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      _pd_journal_set_error (self, rc, error);
      return -1;
    }
  return sqlite3_column_int (stmt, 0);
}
