#include <string.h>
#include <unistd.h>


#include "pd-journal-private.h"

/* A process is told from a later one with its number by its start time, and a boot from
 * the next by the kernel's boot id: "BOOT/PID/START/SERIAL". */
static char *
read_boot_id (void)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents ("/proc/sys/kernel/random/boot_id", &text, NULL, NULL))
    return NULL;
  return g_strdup (g_strstrip (text));
}

static gboolean
read_start_time (int      pid,
                 guint64 *start_time)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after_name;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return FALSE;

  /* The command name may hold spaces and parentheses: the fields start after the last ')'.
   * There, the state is field 3 of proc(5) and the start time field 22. */
  after_name = strrchr (text, ')');
  if (after_name == NULL)
    return FALSE;
  fields = g_strsplit (after_name + 1, " ", 0);
  if (g_strv_length (fields) < 21)
    return FALSE;

  return g_ascii_string_to_unsigned (fields[20], 10, 0, G_MAXUINT64, start_time, NULL);
}

char *
_pd_journal_make_owner (void)
{
  static int serial;
  g_autofree char *boot_id = read_boot_id ();
  guint64 start_time = 0;

  read_start_time (getpid (), &start_time);
  return g_strdup_printf ("%s/%d/%" G_GUINT64_FORMAT "/%d", boot_id != NULL ? boot_id : "-",
                          (int) getpid (), start_time, g_atomic_int_add (&serial, 1));
}

/* Without /proc nothing can be told of other processes: their claims hold until they
 * lapse. */
static gboolean
owner_is_alive (const char *owner)
{
  g_auto(GStrv) parts = g_strsplit (owner, "/", 0);
  g_autofree char *boot_id = read_boot_id ();
  guint64 pid = 0;
  guint64 claimed_start = 0;
  guint64 start_time = 0;

  if (boot_id == NULL)
    return TRUE;

  if (g_strv_length (parts) != 4 || !g_str_equal (parts[0], boot_id) ||
      !g_ascii_string_to_unsigned (parts[1], 10, 1, G_MAXINT, &pid, NULL) ||
      !g_ascii_string_to_unsigned (parts[2], 10, 0, G_MAXUINT64, &claimed_start, NULL))
    return FALSE;

  return read_start_time ((int) pid, &start_time) && start_time == claimed_start;
}

gboolean
_pd_journal_read_claim (PdJournal   *self,
                        const char  *payment_id,
                        gboolean    *held,
                        GError     **error)
{
  g_autoptr(PdJournalStatement) stmt = NULL;
  int rc;

  stmt = _pd_journal_prepare (self, "SELECT owner, lease_until FROM payment_claims"
                                    " WHERE payment_id = ?", error);
  if (stmt == NULL)
    return FALSE;

  _pd_journal_bind_text (stmt, 1, payment_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      *held = FALSE;
      return TRUE;
    }
  if (rc != SQLITE_ROW)
    {
      _pd_journal_set_error (self, rc, error);
      return FALSE;
    }

  *held = sqlite3_column_int64 (stmt, 1) > g_get_real_time () / G_USEC_PER_SEC &&
          owner_is_alive ((const char *) sqlite3_column_text (stmt, 0));
  return TRUE;
}

gboolean
_pd_journal_insert_claim (PdJournal   *self,
                          const char  *payment_id,
                          GError     **error)
{
  g_autoptr(PdJournalStatement) stmt = NULL;

  stmt = _pd_journal_prepare (self, "INSERT INTO payment_claims (payment_id, owner, lease_until)"
                                    " VALUES (?, ?, ?) ON CONFLICT (payment_id) DO UPDATE"
                                    " SET owner = excluded.owner,"
                                    " lease_until = excluded.lease_until", error);
  if (stmt == NULL)
    return FALSE;

  _pd_journal_bind_text (stmt, 1, payment_id);
  _pd_journal_bind_text (stmt, 2, _pd_journal_get_owner (self));
  sqlite3_bind_int64 (stmt, 3, g_get_real_time () / G_USEC_PER_SEC + PD_JOURNAL_CLAIM_LEASE_SECONDS);
  return _pd_journal_step_done (self, stmt, error);
}

gboolean
_pd_journal_delete_claim (PdJournal   *self,
                          const char  *payment_id,
                          GError     **error)
{
  g_autoptr(PdJournalStatement) stmt = NULL;

  stmt = _pd_journal_prepare (self, "DELETE FROM payment_claims WHERE payment_id = ?"
                                    " AND owner = ?", error);
  if (stmt == NULL)
    return FALSE;

  _pd_journal_bind_text (stmt, 1, payment_id);
  _pd_journal_bind_text (stmt, 2, _pd_journal_get_owner (self));
  return _pd_journal_step_done (self, stmt, error);
}

GPtrArray *
pd_journal_claim_payments (PdJournal  *self,
                           GPtrArray  *payments,
                           GError    **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GPtrArray) claimed = NULL;

  g_return_val_if_fail (PD_IS_JOURNAL (self), NULL);
  g_return_val_if_fail (payments != NULL, NULL);

  locker = _pd_journal_lock (self);
  claimed = g_ptr_array_new_with_free_func (g_object_unref);

  if (!_pd_journal_begin (self, error))
    return NULL;

  for (guint i = 0; i < payments->len; i++)
    {
      PdPayment *payment = g_ptr_array_index (payments, i);
      gboolean held = FALSE;

      if (!_pd_journal_read_claim (self, pd_payment_get_id (payment), &held, error) ||
          (!held && !_pd_journal_insert_claim (self, pd_payment_get_id (payment), error)))
        {
          _pd_journal_rollback (self);
          return NULL;
        }
      if (!held)
        g_ptr_array_add (claimed, g_object_ref (payment));
    }

  /* Nothing to claim, nothing to write. */
  if (claimed->len == 0)
    {
      _pd_journal_rollback (self);
      return g_steal_pointer (&claimed);
    }

  if (!_pd_journal_commit (self, error))
    {
      _pd_journal_rollback (self);
      return NULL;
    }

  return g_steal_pointer (&claimed);
}

gboolean
pd_journal_claim_payment (PdJournal  *self,
                          PdPayment  *payment,
                          GError    **error)
{
  g_autoptr(GPtrArray) one = g_ptr_array_new ();
  g_autoptr(GPtrArray) claimed = NULL;

  g_return_val_if_fail (PD_IS_PAYMENT (payment), FALSE);

  g_ptr_array_add (one, payment);
  claimed = pd_journal_claim_payments (self, one, error);
  return claimed != NULL && claimed->len == 1;
}

gboolean
pd_journal_release_payments (PdJournal  *self,
                             GPtrArray  *payments,
                             GError    **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (PD_IS_JOURNAL (self), FALSE);
  g_return_val_if_fail (payments != NULL, FALSE);

  if (payments->len == 0)
    return TRUE;

  locker = _pd_journal_lock (self);
  if (!_pd_journal_begin (self, error))
    return FALSE;

  for (guint i = 0; i < payments->len; i++)
    if (!_pd_journal_delete_claim (self, pd_payment_get_id (g_ptr_array_index (payments, i)),
                                   error))
      {
        _pd_journal_rollback (self);
        return FALSE;
      }

  if (!_pd_journal_commit (self, error))
    {
      _pd_journal_rollback (self);
      return FALSE;
    }

  return TRUE;
}

gboolean
pd_journal_release_payment (PdJournal  *self,
                            PdPayment  *payment,
                            GError    **error)
{
  g_autoptr(GPtrArray) one = g_ptr_array_new ();

  g_return_val_if_fail (PD_IS_PAYMENT (payment), FALSE);

  g_ptr_array_add (one, payment);
  return pd_journal_release_payments (self, one, error);
}

gboolean
pd_journal_payment_is_claimed (PdJournal   *self,
                               const char  *payment_id,
                               GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  gboolean held = FALSE;

  g_return_val_if_fail (PD_IS_JOURNAL (self), FALSE);
  g_return_val_if_fail (payment_id != NULL, FALSE);

  locker = _pd_journal_lock (self);
  return _pd_journal_read_claim (self, payment_id, &held, error) && held;
}
