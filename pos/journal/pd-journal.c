#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "pd-business-date.h"
#include "pd-journal-private.h"
#include "pd-payment-record.h"

G_DEFINE_QUARK (pd-journal-error-quark, pd_journal_error)

/* "PYDS": tells a Paydesk journal from any other SQLite file. */
#define JOURNAL_APPLICATION_ID 0x50594453
#define BUSY_TIMEOUT_MS 5000

typedef enum {
  JOURNAL_MODE_UNKNOWN,
  JOURNAL_MODE_TRAINING,
  JOURNAL_MODE_PRODUCTION,
} JournalMode;

struct _PdJournal {
  GObject parent_instance;

  char *path;
  sqlite3 *db;
  /* Payments are recorded from worker threads; one connection, one writer at a time. */
  GMutex lock;
  /* SQL text → its statement, prepared once. */
  GHashTable *statements;
  /* Who this journal's claims belong to. */
  char *owner;
  /* Whose journal it is, once a terminal opened it for itself. */
  JournalMode mode;

  PdJournalCommitHook before_commit;
  gpointer before_commit_data;
};

G_DEFINE_FINAL_TYPE (PdJournal, pd_journal, G_TYPE_OBJECT)


static void
pd_journal_finalize (GObject *object)
{
  PdJournal *self = PD_JOURNAL (object);

  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  g_free (self->path);
  g_free (self->owner);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (pd_journal_parent_class)->finalize (object);
}

static void
pd_journal_class_init (PdJournalClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pd_journal_finalize;
}

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
pd_journal_init (PdJournal *self)
{
  g_mutex_init (&self->lock);
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            finalize_statement);
  self->owner = _pd_journal_make_owner ();
}

/* Turns an SQLite failure into the error a person at the terminal or in support can act on. */
static void
set_sqlite_error (GError     **error,
                  sqlite3     *db,
                  int          rc,
                  const char  *path)
{
  const char *detail = db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc);

  switch (rc & 0xff)
    {
    case SQLITE_FULL:
      g_set_error (error, PD_JOURNAL_ERROR, PD_JOURNAL_ERROR_FULL,
                   _("The disk holding the journal %s is full: free space on it before taking "
                     "payments."), path);
      break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      g_set_error (error, PD_JOURNAL_ERROR, PD_JOURNAL_ERROR_CORRUPT,
                   _("The journal %s is damaged (%s). Keep the file for support and do not "
                     "take payments on this terminal."), path, detail);
      break;
    case SQLITE_CONSTRAINT:
      g_set_error (error, PD_JOURNAL_ERROR, PD_JOURNAL_ERROR_DUPLICATE,
                   _("The journal refused the record: %s."), detail);
      break;
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY:
      g_set_error (error, PD_JOURNAL_ERROR, PD_JOURNAL_ERROR_OPEN,
                   _("Cannot write the journal %s (%s). Check that the data folder exists "
                     "and belongs to the Paydesk user."), path, detail);
      break;
    default:
      g_set_error (error, PD_JOURNAL_ERROR, PD_JOURNAL_ERROR_FAILED,
                   _("The journal %s failed: %s."), path, detail);
      break;
    }
}

static gboolean
exec_sql (PdJournal   *self,
          const char  *sql,
          GError     **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, self->db, rc, self->path);
      return FALSE;
    }

  return TRUE;
}

/* Preparing is most of the work of a small statement: each is prepared once and kept. The
 * caller holds the lock, and its autoptr resets the statement when done. */
static PdJournalStatement *
prepare (PdJournal   *self,
         const char  *sql,
         GError     **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);
  int rc;

  if (stmt != NULL)
    return stmt;

  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, self->db, rc, self->path);
      return NULL;
    }

  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  return stmt;
}

void
_pd_journal_statement_release (PdJournalStatement *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

static gboolean
query_int (PdJournal   *self,
           const char  *sql,
           int         *value,
           GError     **error)
{
  g_autoptr(PdJournalStatement) stmt = prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      set_sqlite_error (error, self->db, rc, self->path);
      return FALSE;
    }

  *value = sqlite3_column_int (stmt, 0);
  return TRUE;
}

static gboolean
is_empty_database (PdJournal  *self,
                   gboolean   *empty,
                   GError    **error)
{
  int n_objects = 0;

  if (!query_int (self, "SELECT count(*) FROM sqlite_schema", &n_objects, error))
    return FALSE;

  *empty = n_objects == 0;
  return TRUE;
}

/* The journal names members and their accounts: its folder is the Paydesk user's alone. */
static gboolean
check_data_folder (const char  *dir,
                   GError     **error)
{
  GStatBuf st;

  if (g_stat (dir, &st) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, PD_JOURNAL_ERROR, PD_JOURNAL_ERROR_OPEN,
                   _("Cannot use the data folder %s: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }

  if (st.st_uid != geteuid ())
    {
      g_set_error (error, PD_JOURNAL_ERROR, PD_JOURNAL_ERROR_OPEN,
                   _("The data folder %s belongs to another user: it must be the Paydesk "
                     "user's own."), dir);
      return FALSE;
    }

  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
    {
      g_set_error (error, PD_JOURNAL_ERROR, PD_JOURNAL_ERROR_OPEN,
                   _("The data folder %s can be opened by other users (mode %04o), and it holds "
                     "the journal of payments: make it the Paydesk user's alone "
                     "(chmod 700 %s)."), dir, (unsigned) (st.st_mode & 07777), dir);
      return FALSE;
    }

  return TRUE;
}

/* The journal and its WAL and shared-memory files (SQLite gives those the journal's mode)
 * are readable by their owner only, also when an older Paydesk made them otherwise. */
static gboolean
create_private (const char  *path,
                GError     **error)
{
  static const char * const suffixes[] = { "", "-wal", "-shm" };
  int fd = g_open (path, O_RDWR | O_CREAT, 0600);

  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, PD_JOURNAL_ERROR, PD_JOURNAL_ERROR_OPEN,
                   _("Cannot write the journal %s (%s). Check that the data folder exists "
                     "and belongs to the Paydesk user."), path, g_strerror (saved_errno));
      return FALSE;
    }
  close (fd);

  for (gsize i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      if (g_chmod (file, 0600) != 0 && errno != ENOENT)
        {
          int saved_errno = errno;

          g_set_error (error, PD_JOURNAL_ERROR, PD_JOURNAL_ERROR_OPEN,
                       _("Cannot make %s readable by its owner only: %s"), file,
                       g_strerror (saved_errno));
          return FALSE;
        }
    }

  return TRUE;
}

static PdJournal *
journal_open (const char  *path,
              int          target_version,
              GError     **error)
{
  g_autoptr(PdJournal) self = g_object_new (PD_TYPE_JOURNAL, NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  int application_id = 0;
  int version = 0;
  gboolean empty = FALSE;
  int rc;

  self->path = g_strdup (path);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, PD_JOURNAL_ERROR, PD_JOURNAL_ERROR_OPEN,
                   _("Cannot create the data folder %s: %s"), dir, g_strerror (saved_errno));
      return NULL;
    }

  if (!check_data_folder (dir, error) || !create_private (path, error))
    return NULL;

  rc = sqlite3_open_v2 (path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, self->db, rc, path);
      return NULL;
    }

  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);

  /* The first read is where a damaged or foreign file shows itself. */
  if (!query_int (self, "PRAGMA application_id", &application_id, error) ||
      !query_int (self, "PRAGMA user_version", &version, error) ||
      !is_empty_database (self, &empty, error))
    return NULL;

  if (!empty && application_id != JOURNAL_APPLICATION_ID)
    {
      g_set_error (error, PD_JOURNAL_ERROR, PD_JOURNAL_ERROR_NOT_A_JOURNAL,
                   _("%s is an SQLite database but not a Paydesk journal. Check the data "
                     "folder setting."), path);
      return NULL;
    }

  if (version > PD_JOURNAL_SCHEMA_VERSION)
    {
      g_set_error (error, PD_JOURNAL_ERROR, PD_JOURNAL_ERROR_TOO_NEW,
                   _("The journal %s was written by a newer Paydesk (schema %d; this one "
                     "knows up to %d). Update Paydesk on this terminal."),
                   path, version, PD_JOURNAL_SCHEMA_VERSION);
      return NULL;
    }

  /* WAL with a full sync on every commit: a payment on disk survives a power cut. What is
   * deleted or replaced is overwritten, not left in free pages. */
  if (!exec_sql (self, "PRAGMA journal_mode = WAL;"
                       "PRAGMA synchronous = FULL;"
                       "PRAGMA secure_delete = ON;"
                       "PRAGMA foreign_keys = ON;", error))
    return NULL;

  if (empty)
    {
      g_autofree char *sql = g_strdup_printf ("PRAGMA application_id = %d",
                                              JOURNAL_APPLICATION_ID);
      if (!exec_sql (self, sql, error))
        return NULL;
    }

  if (version < target_version)
    {
      if (!_pd_journal_migrate (self->db, version, target_version, error))
        return NULL;
      /* The WAL of an existing journal may hold its pages as they were before (card data
       * that schema 6 removed): written back and emptied. */
      if (version > 0 && version < 6 && !exec_sql (self, "PRAGMA wal_checkpoint(TRUNCATE)",
                                                   error))
        return NULL;
    }

  return g_steal_pointer (&self);
}

PdJournal *
pd_journal_open (const char  *path,
                 GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);

  return journal_open (path, PD_JOURNAL_SCHEMA_VERSION, error);
}

/* The journal's mode, as recorded; set now when none is (a new journal, or one from before
 * schema 6). */
static gboolean
settle_mode (PdJournal  *self,
             gboolean    training,
             GError    **error)
{
  const char *wanted = training ? "training" : "production";
  g_autoptr(PdJournalStatement) read = NULL;
  g_autoptr(PdJournalStatement) write = NULL;
  g_autofree char *recorded = NULL;
  int rc;

  read = prepare (self, "SELECT value FROM journal_settings WHERE name = 'mode'", error);
  if (read == NULL)
    return FALSE;
  rc = sqlite3_step (read);
  if (rc == SQLITE_ROW)
    recorded = g_strdup ((const char *) sqlite3_column_text (read, 0));
  else if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, rc, self->path);
      return FALSE;
    }

  if (recorded == NULL)
    {
      write = prepare (self, "INSERT INTO journal_settings (name, value) VALUES ('mode', ?)",
                       error);
      if (write == NULL)
        return FALSE;
      sqlite3_bind_text (write, 1, wanted, -1, SQLITE_STATIC);
      if (!_pd_journal_step_done (self, write, error))
        return FALSE;
    }
  else if (!g_str_equal (recorded, wanted))
    {
      g_set_error (error, PD_JOURNAL_ERROR, PD_JOURNAL_ERROR_WRONG_MODE,
                   training
                   ? _("The journal %s is a production terminal's: a training terminal takes no "
                       "payment in it. Give training its own [journal] data-dir.")
                   : _("The journal %s is a training terminal's: a production terminal takes no "
                       "payment in it. Give this terminal its own [journal] data-dir."),
                   self->path);
      return FALSE;
    }

  self->mode = training ? JOURNAL_MODE_TRAINING : JOURNAL_MODE_PRODUCTION;
  return TRUE;
}

/* For a terminal: a training journal only as training, a production one only as
 * production. A journal that does not say yet becomes the terminal's. */
PdJournal *
pd_journal_open_for_terminal (const char  *path,
                              gboolean     training,
                              GError     **error)
{
  g_autoptr(PdJournal) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  self = journal_open (path, PD_JOURNAL_SCHEMA_VERSION, error);
  if (self == NULL || !settle_mode (self, training, error))
    return NULL;

  return g_steal_pointer (&self);
}

PdJournal *
_pd_journal_open_at_version (const char  *path,
                             int          version,
                             GError     **error)
{
  return journal_open (path, version, error);
}

void
_pd_journal_set_before_commit_hook (PdJournal           *self,
                                    PdJournalCommitHook  hook,
                                    gpointer             user_data)
{
  self->before_commit = hook;
  self->before_commit_data = user_data;
}

void
_pd_journal_limit_pages (PdJournal *self,
                         int        max_pages)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA max_page_count = %d", max_pages);

  sqlite3_exec (self->db, sql, NULL, NULL, NULL);
}

const char *
pd_journal_get_path (PdJournal *self)
{
  g_return_val_if_fail (PD_IS_JOURNAL (self), NULL);
  return self->path;
}

int
pd_journal_get_schema_version (PdJournal *self)
{
  g_autoptr(GMutexLocker) locker = NULL;
  int version = 0;

  g_return_val_if_fail (PD_IS_JOURNAL (self), 0);

  locker = g_mutex_locker_new (&self->lock);

  if (!query_int (self, "PRAGMA user_version", &version, NULL))
    return 0;
  return version;
}

static gboolean
commit (PdJournal  *self,
        GError    **error)
{
  if (self->before_commit != NULL)
    self->before_commit (self->before_commit_data);

  return exec_sql (self, "COMMIT", error);
}

static void
rollback (PdJournal *self)
{
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

static char *
timestamp_now (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format_iso8601 (now);
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

GMutexLocker *
_pd_journal_lock (PdJournal *self)
{
  return g_mutex_locker_new (&self->lock);
}

PdJournalStatement *
_pd_journal_prepare (PdJournal   *self,
                     const char  *sql,
                     GError     **error)
{
  return prepare (self, sql, error);
}

gboolean
_pd_journal_step_done (PdJournal     *self,
                       sqlite3_stmt  *stmt,
                       GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, rc, self->path);
      return FALSE;
    }

  return TRUE;
}

void
_pd_journal_set_error (PdJournal  *self,
                       int         rc,
                       GError    **error)
{
  set_sqlite_error (error, self->db, rc, self->path);
}

gboolean
_pd_journal_begin (PdJournal  *self,
                   GError    **error)
{
  return exec_sql (self, "BEGIN IMMEDIATE", error);
}

gboolean
_pd_journal_commit (PdJournal  *self,
                    GError    **error)
{
  return commit (self, error);
}

void
_pd_journal_rollback (PdJournal *self)
{
  rollback (self);
}

char *
_pd_journal_timestamp_now (void)
{
  return timestamp_now ();
}

void
_pd_journal_bind_text (sqlite3_stmt *stmt,
                       int           index,
                       const char   *text)
{
  bind_text (stmt, index, text);
}

static gboolean
insert_event (PdJournal       *self,
              const char      *payment_id,
              PdPaymentState   state,
              const char      *confirmation,
              const char      *reason,
              GError         **error)
{
  g_autoptr(PdJournalStatement) stmt = NULL;
  g_autofree char *recorded_at = timestamp_now ();
  int rc;

  stmt = prepare (self,
                  "INSERT INTO payment_events (payment_id, recorded_at, state, confirmation, reason)"
                  " VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;

  bind_text (stmt, 1, payment_id);
  bind_text (stmt, 2, recorded_at);
  bind_text (stmt, 3, pd_payment_state_to_id (state));
  bind_text (stmt, 4, confirmation);
  bind_text (stmt, 5, reason);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, rc, self->path);
      return FALSE;
    }

  return TRUE;
}

static gboolean
insert_request (PdJournal            *self,
                const char           *payment_id,
                const PdCoreRequest  *request,
                GError              **error)
{
  g_autoptr(PdJournalStatement) stmt = NULL;
  g_autofree char *recorded_at = timestamp_now ();
  int rc;

  stmt = prepare (self,
                  "INSERT INTO core_requests (payment_id, idempotency_key, method, path, body,"
                  " recorded_at) VALUES (?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;

  bind_text (stmt, 1, payment_id);
  bind_text (stmt, 2, request->idempotency_key);
  bind_text (stmt, 3, request->method);
  bind_text (stmt, 4, request->path);
  bind_text (stmt, 5, request->body);
  bind_text (stmt, 6, recorded_at);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, rc, self->path);
      return FALSE;
    }

  return TRUE;
}

/* The payment, its first request and what the receipt needs of it, inside the caller's
 * transaction. */
static gboolean
insert_payment (PdJournal            *self,
                PdPayment            *payment,
                const PdCoreRequest  *first_request,
                GError              **error)
{
  g_autoptr(PdJournalStatement) stmt = NULL;
  g_autofree char *created_at = NULL;
  g_autofree char *business_date = NULL;

  created_at = g_date_time_format_iso8601 (pd_payment_get_created_at (payment));
  business_date = pd_business_date_to_string (pd_payment_get_business_date (payment));

  stmt = prepare (self,
                  "INSERT INTO payments (id, client_ref, idempotency_key, created_at,"
                  " business_date, center_id, terminal_id, operator_id, account_number,"
                  " line_of_business, invoice_number, amount_cents, currency, tender,"
                  " tender_brand, tender_last4, training)"
                  " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;

  bind_text (stmt, 1, pd_payment_get_id (payment));
  bind_text (stmt, 2, pd_payment_get_client_ref (payment));
  bind_text (stmt, 3, pd_payment_get_idempotency_key (payment));
  bind_text (stmt, 4, created_at);
  bind_text (stmt, 5, business_date);
  bind_text (stmt, 6, pd_payment_get_center_id (payment));
  bind_text (stmt, 7, pd_payment_get_terminal_id (payment));
  bind_text (stmt, 8, pd_payment_get_operator_id (payment));
  bind_text (stmt, 9, pd_payment_get_account_number (payment));
  bind_text (stmt, 10, pd_line_of_business_to_id (pd_payment_get_line_of_business (payment)));
  bind_text (stmt, 11, pd_payment_get_invoice_number (payment));
  sqlite3_bind_int64 (stmt, 12, pd_payment_get_amount (payment));
  bind_text (stmt, 13, pd_payment_get_currency (payment));
  bind_text (stmt, 14, pd_tender_to_id (pd_payment_get_tender (payment)));
  bind_text (stmt, 15, pd_payment_get_tender_brand (payment));
  bind_text (stmt, 16, pd_payment_get_tender_last4 (payment));
  sqlite3_bind_int (stmt, 17, pd_payment_get_training (payment) ? 1 : 0);

  return _pd_journal_step_done (self, stmt, error) &&
         insert_event (self, pd_payment_get_id (payment), PD_PAYMENT_STATE_CREATED,
                       NULL, NULL, error) &&
         (pd_payment_get_member_name (payment) == NULL ||
          _pd_journal_insert_fact (self, pd_payment_get_id (payment), PD_PAYMENT_FACT_MEMBER_NAME,
                                   pd_payment_get_member_name (payment), error)) &&
         (pd_payment_get_language (payment) == NULL ||
          _pd_journal_insert_fact (self, pd_payment_get_id (payment), PD_PAYMENT_FACT_LANGUAGE,
                                   pd_payment_get_language (payment), error)) &&
         (first_request == NULL ||
          insert_request (self, pd_payment_get_id (payment), first_request, error));
}

/* Called before anything about the payment leaves the machine: its idempotency key is
 * durable before the first send, so a retry after a crash reuses it. */
gboolean
pd_journal_record_payment (PdJournal            *self,
                           PdPayment            *payment,
                           const PdCoreRequest  *first_request,
                           GError              **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (PD_IS_JOURNAL (self), FALSE);
  g_return_val_if_fail (PD_IS_PAYMENT (payment), FALSE);
  g_return_val_if_fail (pd_payment_get_state (payment) == PD_PAYMENT_STATE_CREATED, FALSE);

  locker = g_mutex_locker_new (&self->lock);

  if (!exec_sql (self, "BEGIN IMMEDIATE", error))
    return FALSE;

  if (!insert_payment (self, payment, first_request, error) || !commit (self, error))
    {
      rollback (self);
      return FALSE;
    }

  return TRUE;
}

/* Everything before the first request leaves, in one commit: the payment, its request, the
 * authorization text the member accepted (or NULL), the move to AUTHORIZING (it may be sent
 * from now on), and this journal's claim on it, released with its outcome. */
gboolean
pd_journal_begin_payment (PdJournal            *self,
                          PdPayment            *payment,
                          const PdCoreRequest  *first_request,
                          const char           *authorization_text,
                          GError              **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  const char *id;

  g_return_val_if_fail (PD_IS_JOURNAL (self), FALSE);
  g_return_val_if_fail (PD_IS_PAYMENT (payment), FALSE);
  g_return_val_if_fail (pd_payment_get_state (payment) == PD_PAYMENT_STATE_CREATED, FALSE);
  g_return_val_if_fail (first_request != NULL, FALSE);

  locker = g_mutex_locker_new (&self->lock);
  id = pd_payment_get_id (payment);

  if (!exec_sql (self, "BEGIN IMMEDIATE", error))
    return FALSE;

  if (!insert_payment (self, payment, first_request, error) ||
      (authorization_text != NULL &&
       !_pd_journal_insert_fact (self, id, PD_PAYMENT_FACT_AUTHORIZATION_TEXT,
                                 authorization_text, error)) ||
      !insert_event (self, id, PD_PAYMENT_STATE_AUTHORIZING, NULL, NULL, error) ||
      !_pd_journal_insert_claim (self, id, error) ||
      !commit (self, error))
    {
      rollback (self);
      return FALSE;
    }

  pd_payment_apply_event (payment, PD_PAYMENT_STATE_AUTHORIZING, NULL, NULL);
  return TRUE;
}

/* A later request about a payment (a void, a reversal), journaled before it is sent. */
gboolean
pd_journal_record_request (PdJournal            *self,
                           PdPayment            *payment,
                           const PdCoreRequest  *request,
                           GError              **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (PD_IS_JOURNAL (self), FALSE);
  g_return_val_if_fail (PD_IS_PAYMENT (payment), FALSE);
  g_return_val_if_fail (request != NULL && request->idempotency_key != NULL, FALSE);

  locker = g_mutex_locker_new (&self->lock);

  if (!exec_sql (self, "BEGIN IMMEDIATE", error))
    return FALSE;

  if (!insert_request (self, pd_payment_get_id (payment), request, error) ||
      !commit (self, error))
    {
      rollback (self);
      return FALSE;
    }

  return TRUE;
}

static PdJournalRequest *
get_request (PdJournal   *self,
             const char  *payment_id,
             const char  *path,
             GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(PdJournalStatement) stmt = NULL;
  PdJournalRequest *request;
  int rc;

  g_return_val_if_fail (PD_IS_JOURNAL (self), NULL);
  g_return_val_if_fail (payment_id != NULL, NULL);

  locker = g_mutex_locker_new (&self->lock);

  stmt = prepare (self, "SELECT method, path, idempotency_key, body FROM core_requests"
                        " WHERE payment_id = ?1 AND (?2 IS NULL OR path LIKE ?2)"
                        " ORDER BY seq LIMIT 1", error);
  if (stmt == NULL)
    return NULL;

  bind_text (stmt, 1, payment_id);
  bind_text (stmt, 2, path);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        g_set_error (error, PD_JOURNAL_ERROR, PD_JOURNAL_ERROR_NOT_FOUND,
                     _("Payment %s has no request to the payment core in the journal."),
                     payment_id);
      else
        set_sqlite_error (error, self->db, rc, self->path);
      return NULL;
    }

  request = g_new0 (PdJournalRequest, 1);
  request->method = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  request->path = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  request->idempotency_key = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  request->body = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  return request;
}

PdJournalRequest *
pd_journal_get_first_request (PdJournal   *self,
                              const char  *payment_id,
                              GError     **error)
{
  return get_request (self, payment_id, NULL, error);
}

/* The first request of a payment whose path matches (SQL LIKE: "/v1/reversals",
 * "%/completion"), or NULL without an error when there is none. */
PdJournalRequest *
pd_journal_find_request (PdJournal   *self,
                         const char  *payment_id,
                         const char  *path,
                         GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  PdJournalRequest *request;

  g_return_val_if_fail (path != NULL, NULL);

  request = get_request (self, payment_id, path, &local_error);
  if (request == NULL && !g_error_matches (local_error, PD_JOURNAL_ERROR,
                                           PD_JOURNAL_ERROR_NOT_FOUND))
    g_propagate_error (error, g_steal_pointer (&local_error));
  return request;
}

void
pd_journal_request_free (PdJournalRequest *request)
{
  if (request == NULL)
    return;

  g_free (request->method);
  g_free (request->path);
  g_free (request->idempotency_key);
  g_free (request->body);
  g_free (request);
}

PdCoreRequest
pd_journal_request_view (const PdJournalRequest *request)
{
  return (PdCoreRequest) { request->method, request->path, request->idempotency_key,
                           request->body };
}

static gboolean
read_current_state (PdJournal       *self,
                    const char      *payment_id,
                    PdPaymentState  *state,
                    PdTender        *tender,
                    GError         **error)
{
  g_autoptr(PdJournalStatement) stmt = NULL;
  int rc;

  stmt = prepare (self, "SELECT state, tender FROM payment_current WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;

  bind_text (stmt, 1, payment_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, PD_JOURNAL_ERROR, PD_JOURNAL_ERROR_NOT_FOUND,
                   _("Payment %s is not in the journal."), payment_id);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    {
      set_sqlite_error (error, self->db, rc, self->path);
      return FALSE;
    }

  if (!pd_payment_state_from_id ((const char *) sqlite3_column_text (stmt, 0), state) ||
      !pd_tender_from_id ((const char *) sqlite3_column_text (stmt, 1), tender))
    {
      g_set_error (error, PD_JOURNAL_ERROR, PD_JOURNAL_ERROR_CORRUPT,
                   _("Payment %s has an unknown state or tender in the journal."), payment_id);
      return FALSE;
    }

  return TRUE;
}

/* The confirmation goes with the move that brought it (approved, refunded), not with the
 * send that came before it. */
static guint
confirmation_index (const PdJournalOutcome *outcome)
{
  guint at = 0;

  while (at + 1 < outcome->n_states && outcome->states[at] == PD_PAYMENT_STATE_AUTHORIZING)
    at++;
  return at;
}

/* Inside the caller's transaction. The journal, not the object in memory, decides whether a
 * transition is allowed: two workers holding the same payment cannot both complete it. */
static gboolean
insert_outcome (PdJournal               *self,
                PdPayment               *payment,
                const PdJournalOutcome  *outcome,
                GError                 **error)
{
  const char *id = pd_payment_get_id (payment);
  guint confirmation_at = confirmation_index (outcome);
  PdPaymentState current;
  PdTender tender;

  if (!read_current_state (self, id, &current, &tender, error) ||
      (outcome->auth_code != NULL &&
       !_pd_journal_insert_fact (self, id, PD_PAYMENT_FACT_AUTH_CODE, outcome->auth_code, error)))
    return FALSE;

  for (guint i = 0; i < outcome->n_states; i++)
    {
      const char *confirmation = i == confirmation_at ? outcome->confirmation : NULL;
      const char *reason = i + 1 == outcome->n_states ? outcome->reason : NULL;

      if (!pd_payment_state_check_transition (current, outcome->states[i], tender, error) ||
          !insert_event (self, id, outcome->states[i], confirmation, reason, error))
        return FALSE;
      current = outcome->states[i];
    }

  return !outcome->release_claim || _pd_journal_delete_claim (self, id, error);
}

static void
apply_outcome (PdPayment              *payment,
               const PdJournalOutcome *outcome)
{
  guint confirmation_at = confirmation_index (outcome);

  for (guint i = 0; i < outcome->n_states; i++)
    pd_payment_apply_event (payment, outcome->states[i],
                            i == confirmation_at ? outcome->confirmation : NULL,
                            i + 1 == outcome->n_states ? outcome->reason : NULL);
}

/* What became of several payments, in one commit: all of them or none. A drain sends a run
 * of payments and records their answers together; a stop before the commit leaves them to
 * be sent again with their keys, and the core answers what it answered before. */
gboolean
pd_journal_record_outcomes (PdJournal               *self,
                            PdPayment * const       *payments,
                            const PdJournalOutcome  *outcomes,
                            guint                    n,
                            GError                 **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (PD_IS_JOURNAL (self), FALSE);
  g_return_val_if_fail (n == 0 || (payments != NULL && outcomes != NULL), FALSE);

  for (guint i = 0; i < n; i++)
    {
      g_return_val_if_fail (PD_IS_PAYMENT (payments[i]), FALSE);
      g_return_val_if_fail (outcomes[i].n_states <= G_N_ELEMENTS (outcomes[i].states), FALSE);
      for (guint j = 0; j < outcomes[i].n_states; j++)
        g_return_val_if_fail (outcomes[i].states[j] < PD_N_PAYMENT_STATES, FALSE);
    }

  if (n == 0)
    return TRUE;

  locker = g_mutex_locker_new (&self->lock);

  if (!exec_sql (self, "BEGIN IMMEDIATE", error))
    return FALSE;

  for (guint i = 0; i < n; i++)
    if (!insert_outcome (self, payments[i], &outcomes[i], error))
      {
        rollback (self);
        return FALSE;
      }

  if (!commit (self, error))
    {
      rollback (self);
      return FALSE;
    }

  for (guint i = 0; i < n; i++)
    apply_outcome (payments[i], &outcomes[i]);
  return TRUE;
}

gboolean
pd_journal_record_outcome (PdJournal               *self,
                           PdPayment               *payment,
                           const PdJournalOutcome  *outcome,
                           GError                 **error)
{
  g_return_val_if_fail (outcome != NULL, FALSE);

  return pd_journal_record_outcomes (self, &payment, outcome, 1, error);
}

gboolean
pd_journal_record_transition (PdJournal       *self,
                              PdPayment       *payment,
                              PdPaymentState   state,
                              const char      *confirmation,
                              const char      *reason,
                              GError         **error)
{
  PdJournalOutcome outcome = {
    .states = { state }, .n_states = 1, .confirmation = confirmation, .reason = reason,
  };

  return pd_journal_record_outcome (self, payment, &outcome, error);
}

#define PAYMENT_COLUMNS \
  "id, client_ref, idempotency_key, created_at, business_date, center_id, terminal_id," \
  " operator_id, account_number, line_of_business, invoice_number, amount_cents, currency," \
  " tender, tender_brand, tender_last4, state, confirmation, reason, training"

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

static PdPayment *
payment_from_row (PdJournal     *self,
                  sqlite3_stmt  *stmt,
                  GError       **error)
{
  g_autoptr(GDateTime) created_at = NULL;
  GDate business_date;
  PdPaymentRecord record = { 0 };

  record.id = column_text (stmt, 0);
  record.client_ref = column_text (stmt, 1);
  record.idempotency_key = column_text (stmt, 2);
  created_at = g_date_time_new_from_iso8601 (column_text (stmt, 3), NULL);
  record.created_at = created_at;
  record.business_date = &business_date;
  record.center_id = column_text (stmt, 5);
  record.terminal_id = column_text (stmt, 6);
  record.operator_id = column_text (stmt, 7);
  record.account_number = column_text (stmt, 8);
  record.invoice_number = column_text (stmt, 10);
  record.amount = sqlite3_column_int64 (stmt, 11);
  record.currency = column_text (stmt, 12);
  record.tender_brand = column_text (stmt, 14);
  record.tender_last4 = column_text (stmt, 15);
  record.confirmation = column_text (stmt, 17);
  record.reason = column_text (stmt, 18);
  /* Taken before the journal recorded it: the payment is what the journal is. */
  record.training = sqlite3_column_type (stmt, 19) != SQLITE_NULL
                    ? sqlite3_column_int (stmt, 19) != 0
                    : self->mode == JOURNAL_MODE_TRAINING;

  if (created_at == NULL ||
      !pd_business_date_parse (column_text (stmt, 4), &business_date) ||
      !pd_line_of_business_from_id (column_text (stmt, 9), &record.line_of_business) ||
      !pd_tender_from_id (column_text (stmt, 13), &record.tender) ||
      !pd_payment_state_from_id (column_text (stmt, 16), &record.state))
    {
      g_set_error (error, PD_JOURNAL_ERROR, PD_JOURNAL_ERROR_CORRUPT,
                   _("Payment %s in the journal %s has a field Paydesk cannot read. Run "
                     "“paydesk-ctl journal verify”."), record.id, self->path);
      return NULL;
    }

  return pd_payment_new_from_record (&record);
}

/* Every payment a statement returns, in its order. */
static GPtrArray *
payments_from_statement (PdJournal           *self,
                         PdJournalStatement  *stmt,
                         GError             **error)
{
  g_autoptr(GPtrArray) payments = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PdPayment *payment = payment_from_row (self, stmt, error);

      if (payment == NULL)
        return NULL;
      g_ptr_array_add (payments, payment);
    }

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, rc, self->path);
      return NULL;
    }

  return g_steal_pointer (&payments);
}

PdPayment *
pd_journal_get_payment (PdJournal   *self,
                        const char  *id,
                        GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(PdJournalStatement) stmt = NULL;
  int rc;

  g_return_val_if_fail (PD_IS_JOURNAL (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  locker = g_mutex_locker_new (&self->lock);

  /* Support reads the client reference off a receipt; both name one payment. */
  stmt = prepare (self, "SELECT " PAYMENT_COLUMNS " FROM payment_current"
                        " WHERE id = ?1 OR client_ref = ?1", error);
  if (stmt == NULL)
    return NULL;

  bind_text (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return payment_from_row (self, stmt, error);

  if (rc == SQLITE_DONE)
    g_set_error (error, PD_JOURNAL_ERROR, PD_JOURNAL_ERROR_NOT_FOUND,
                 _("Payment %s is not in the journal."), id);
  else
    set_sqlite_error (error, self->db, rc, self->path);
  return NULL;
}

static GPtrArray *
list_payments_where (PdJournal    *self,
                     const char   *business_date,
                     const char   *state,
                     GError      **error)
{
  g_autoptr(PdJournalStatement) stmt = NULL;

  g_return_val_if_fail (state == NULL || business_date == NULL, NULL);

  /* One statement per filter, so that each goes through its index (the state's, the
   * business date's) instead of a scan of every payment. */
  if (state != NULL)
    stmt = prepare (self,
                    "SELECT " PAYMENT_COLUMNS " FROM payment_current WHERE state = ?2"
                    " ORDER BY created_at, id", error);
  else if (business_date != NULL)
    stmt = prepare (self,
                    "SELECT " PAYMENT_COLUMNS " FROM payment_current WHERE business_date = ?1"
                    " ORDER BY created_at, id", error);
  else
    stmt = prepare (self,
                    "SELECT " PAYMENT_COLUMNS " FROM payment_current ORDER BY created_at, id",
                    error);
  if (stmt == NULL)
    return NULL;

  if (business_date != NULL)
    bind_text (stmt, 1, business_date);
  if (state != NULL)
    bind_text (stmt, 2, state);

  return payments_from_statement (self, stmt, error);
}

/* Oldest first: the outbox drains in the order payments were taken. */
GPtrArray *
pd_journal_list_payments_in_state (PdJournal       *self,
                                   PdPaymentState   state,
                                   GError         **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (PD_IS_JOURNAL (self), NULL);
  g_return_val_if_fail (state < PD_N_PAYMENT_STATES, NULL);

  locker = g_mutex_locker_new (&self->lock);
  return list_payments_where (self, NULL, pd_payment_state_to_id (state), error);
}

GPtrArray *
pd_journal_list_payments (PdJournal    *self,
                          const GDate  *business_date,
                          GError      **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *date = NULL;

  g_return_val_if_fail (PD_IS_JOURNAL (self), NULL);

  locker = g_mutex_locker_new (&self->lock);
  if (business_date != NULL)
    date = pd_business_date_to_string (business_date);

  return list_payments_where (self, date, NULL, error);
}

void
pd_journal_event_free (PdJournalEvent *event)
{
  if (event == NULL)
    return;

  g_free (event->recorded_at);
  g_free (event->confirmation);
  g_free (event->reason);
  g_free (event);
}

GPtrArray *
pd_journal_list_events (PdJournal   *self,
                        const char  *payment_id,
                        GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(PdJournalStatement) stmt = NULL;
  int rc;

  g_return_val_if_fail (PD_IS_JOURNAL (self), NULL);
  g_return_val_if_fail (payment_id != NULL, NULL);

  locker = g_mutex_locker_new (&self->lock);

  events = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_journal_event_free);
  stmt = prepare (self,
                  "SELECT seq, recorded_at, state, confirmation, reason FROM payment_events"
                  " WHERE payment_id = ? ORDER BY seq", error);
  if (stmt == NULL)
    return NULL;

  bind_text (stmt, 1, payment_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(PdJournalEvent) event = g_new0 (PdJournalEvent, 1);

      event->seq = sqlite3_column_int64 (stmt, 0);
      event->recorded_at = g_strdup (column_text (stmt, 1));
      if (!pd_payment_state_from_id (column_text (stmt, 2), &event->state))
        {
          g_set_error (error, PD_JOURNAL_ERROR, PD_JOURNAL_ERROR_CORRUPT,
                       _("Payment %s has an event with unknown state “%s”."),
                       payment_id, column_text (stmt, 2));
          return NULL;
        }
      event->confirmation = g_strdup (column_text (stmt, 3));
      event->reason = g_strdup (column_text (stmt, 4));
      g_ptr_array_add (events, g_steal_pointer (&event));
    }

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, rc, self->path);
      return NULL;
    }

  return g_steal_pointer (&events);
}

static gboolean
collect_pragma_problems (PdJournal   *self,
                         const char  *pragma,
                         GPtrArray   *problems,
                         GError     **error)
{
  g_autoptr(PdJournalStatement) stmt = prepare (self, pragma, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *first = column_text (stmt, 0);

      if (sqlite3_column_count (stmt) == 1 && g_strcmp0 (first, "ok") == 0)
        continue;
      if (sqlite3_column_count (stmt) == 1)
        g_ptr_array_add (problems, g_strdup_printf (_("SQLite integrity: %s"), first));
      else
        {
          g_autofree char *row = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                  (gint64) sqlite3_column_int64 (stmt, 1));

          g_ptr_array_add (problems,
                           g_strdup_printf (_("Row %s of %s points at a missing %s."),
                                            row, first, column_text (stmt, 2)));
        }
    }

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, rc, self->path);
      return FALSE;
    }

  return TRUE;
}

/* Replays each payment's events through the state machine. */
static gboolean
collect_history_problems (PdJournal   *self,
                          GPtrArray   *problems,
                          GError     **error)
{
  g_autoptr(PdJournalStatement) stmt = NULL;
  g_autofree char *current_id = NULL;
  PdPaymentState previous = PD_PAYMENT_STATE_CREATED;
  int rc;

  stmt = prepare (self,
                  "SELECT p.id, p.tender, p.business_date, e.seq, e.state"
                  "  FROM payments p LEFT JOIN payment_events e ON e.payment_id = p.id"
                  " ORDER BY p.id, e.seq", error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *id = column_text (stmt, 0);
      gboolean first_event = g_strcmp0 (id, current_id) != 0;
      PdTender tender;
      PdPaymentState state;
      GDate date;

      if (first_event)
        {
          g_free (current_id);
          current_id = g_strdup (id);

          if (!pd_business_date_parse (column_text (stmt, 2), &date))
            g_ptr_array_add (problems,
                             g_strdup_printf (_("Payment %s has no valid business date."), id));
        }

      if (!pd_tender_from_id (column_text (stmt, 1), &tender))
        {
          if (first_event)
            g_ptr_array_add (problems,
                             g_strdup_printf (_("Payment %s has an unknown tender."), id));
          continue;
        }

      if (sqlite3_column_type (stmt, 3) == SQLITE_NULL)
        {
          g_ptr_array_add (problems,
                           g_strdup_printf (_("Payment %s has no events."), id));
          continue;
        }

      if (!pd_payment_state_from_id (column_text (stmt, 4), &state))
        {
          g_ptr_array_add (problems,
                           g_strdup_printf (_("Payment %s has an event with unknown state “%s”."),
                                            id, column_text (stmt, 4)));
          continue;
        }

      if (first_event && state != PD_PAYMENT_STATE_CREATED)
        g_ptr_array_add (problems,
                         g_strdup_printf (_("Payment %s starts in state %s instead of created."),
                                          id, pd_payment_state_to_id (state)));
      else if (!first_event && !pd_payment_state_can_transition (previous, state, tender))
        g_ptr_array_add (problems,
                         g_strdup_printf (_("Payment %s went from %s to %s, which is not allowed."),
                                          id, pd_payment_state_to_id (previous),
                                          pd_payment_state_to_id (state)));

      previous = state;
    }

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, rc, self->path);
      return FALSE;
    }

  return TRUE;
}

/* Returns the problems found (empty when the journal is sound), or NULL when the check
 * itself could not run. */
GPtrArray *
pd_journal_verify (PdJournal  *self,
                   GError    **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (PD_IS_JOURNAL (self), NULL);

  locker = g_mutex_locker_new (&self->lock);

  if (!collect_pragma_problems (self, "PRAGMA integrity_check", problems, error) ||
      !collect_pragma_problems (self, "PRAGMA foreign_key_check", problems, error))
    return NULL;

  /* The history can only be read from a structurally sound file. */
  if (problems->len == 0 &&
      (!collect_history_problems (self, problems, error) ||
       !_pd_journal_collect_audit_problems (self, problems, error)))
    return NULL;

  return g_steal_pointer (&problems);
}

const char *
_pd_journal_get_owner (PdJournal *self)
{
  return self->owner;
}

/* Payments left between their start and their outcome with nobody working on them: sent or
 * not, the terminal stopped before it knew (a crash, a full disk). A drain finishes them;
 * until then, "journal verify" names them. Queued payments wait by design, and are not
 * among them. */
GPtrArray *
pd_journal_list_unresolved (PdJournal  *self,
                            GError    **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GPtrArray) open_payments = NULL;
  g_autoptr(GPtrArray) unresolved = NULL;
  g_autoptr(PdJournalStatement) stmt = NULL;

  g_return_val_if_fail (PD_IS_JOURNAL (self), NULL);

  locker = g_mutex_locker_new (&self->lock);
  stmt = prepare (self,
                  "SELECT " PAYMENT_COLUMNS " FROM payment_current"
                  " WHERE state IN ('created', 'authorizing', 'approved')"
                  " ORDER BY created_at, id", error);
  if (stmt == NULL || !(open_payments = payments_from_statement (self, stmt, error)))
    return NULL;

  unresolved = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < open_payments->len; i++)
    {
      PdPayment *payment = g_ptr_array_index (open_payments, i);
      gboolean held = FALSE;

      if (!_pd_journal_read_claim (self, pd_payment_get_id (payment), &held, error))
        return NULL;
      if (!held)
        g_ptr_array_add (unresolved, g_object_ref (payment));
    }

  return g_steal_pointer (&unresolved);
}

/* What waits in the outbox, summed by SQL through the state index: as quick with fifty
 * thousand payments in the journal as with none. *oldest is NULL when nothing waits. */
gboolean
pd_journal_get_queued_summary (PdJournal   *self,
                               PdCents     *total,
                               GDateTime  **oldest,
                               GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(PdJournalStatement) stmt = NULL;
  int rc;

  g_return_val_if_fail (PD_IS_JOURNAL (self), FALSE);
  g_return_val_if_fail (total != NULL && oldest != NULL, FALSE);

  locker = g_mutex_locker_new (&self->lock);
  stmt = prepare (self,
                  "SELECT coalesce (sum (p.amount_cents), 0), min (p.created_at)"
                  "  FROM payment_latest l JOIN payments p ON p.id = l.payment_id"
                  " WHERE l.state = 'queued'", error);
  if (stmt == NULL)
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      set_sqlite_error (error, self->db, rc, self->path);
      return FALSE;
    }

  *total = sqlite3_column_int64 (stmt, 0);
  *oldest = sqlite3_column_type (stmt, 1) != SQLITE_NULL
            ? g_date_time_new_from_iso8601 (column_text (stmt, 1), NULL) : NULL;
  return TRUE;
}

/* How many payments the journal holds, or -1 on error. */
gint64
pd_journal_count_payments (PdJournal  *self,
                           GError    **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(PdJournalStatement) stmt = NULL;
  int rc;

  g_return_val_if_fail (PD_IS_JOURNAL (self), -1);

  locker = g_mutex_locker_new (&self->lock);
  stmt = prepare (self, "SELECT count (*) FROM payments", error);
  if (stmt == NULL)
    return -1;

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      set_sqlite_error (error, self->db, rc, self->path);
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}

/* Completed payments whose void or refund was journaled and not yet answered: the drain
 * sends it again with its key. */
GPtrArray *
pd_journal_list_undoing (PdJournal  *self,
                         GError    **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(PdJournalStatement) stmt = NULL;

  g_return_val_if_fail (PD_IS_JOURNAL (self), NULL);

  locker = g_mutex_locker_new (&self->lock);
  stmt = prepare (self,
                  "SELECT " PAYMENT_COLUMNS " FROM payment_current"
                  " WHERE state = 'completed' AND id IN (SELECT payment_id FROM core_requests"
                  "   WHERE path = '/v1/refunds' OR path LIKE '%/void')"
                  " ORDER BY created_at, id", error);
  if (stmt == NULL)
    return NULL;

  return payments_from_statement (self, stmt, error);
}
