#include <sqlite3.h>
#include <string.h>

#include "pd-config.h"
#include "pd-identity.h"
#include "pd-journal.h"
#include "pd-staff.h"
#include "pd-test-common.h"

/* Associates and the audit log through PdStaff, on a journal on disk, PINs hashed for real. */

typedef struct {
  PdTestDir tmp;
  char *journal_path;
  PdConfig *config;
  PdJournal *journal;
  PdStaff *staff;
} Fixture;

/* Eight digits: four would turn up by chance in timestamps, and the grep would prove nothing. */
#define PIN_ALEX "25807319"
#define PIN_SAM "97318642"

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *config_path = NULL;

  pd_test_dir_set_up (&fixture->tmp, data);
  config_path = g_build_filename (fixture->tmp.dir, "paydesk.conf", NULL);
  pd_test_write_file (config_path, data != NULL ? data
                                                : "[terminal]\ntraining = true\nmode = counter\n"
                                                  "terminal-id = COUNTER-2\n"
                                                  "[associates]\nlockout-seconds = 600\n");
  fixture->config = pd_config_load_file (config_path, &error);
  g_assert_no_error (error);
  fixture->journal_path = g_build_filename (fixture->tmp.dir, "journal.sqlite3", NULL);
  fixture->journal = pd_journal_open_for_terminal (fixture->journal_path, TRUE, &error);
  g_assert_no_error (error);
  fixture->staff = pd_staff_new (fixture->config, fixture->journal, PD_AUDIT_SOURCE_PAYDESK);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->staff);
  g_clear_object (&fixture->journal);
  g_clear_object (&fixture->config);
  g_free (fixture->journal_path);
  pd_test_dir_tear_down (&fixture->tmp, data);
}

/* The training terminal's own two associates first (4 audit events in all), then two. */
static void
add_two (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pd_staff_ensure_training_associates (fixture->staff, &error));
  g_assert_no_error (error);

  g_assert_true (pd_staff_add_associate (fixture->staff, NULL, "B200", "Alex Rivera",
                                         PD_ROLE_ASSOCIATE, PIN_ALEX, &error));
  g_assert_no_error (error);
  g_assert_true (pd_staff_add_associate (fixture->staff, NULL, "S300", "Sam Okafor",
                                         PD_ROLE_SUPERVISOR, PIN_SAM, &error));
  g_assert_no_error (error);
}

static GPtrArray *
audit (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *events = pd_journal_list_audit (fixture->journal, NULL, NULL, &error);

  g_assert_no_error (error);
  return events;
}

static PdAuditEvent *
last_event (GPtrArray *events)
{
  g_assert_cmpuint (events->len, >, 0);
  return g_ptr_array_index (events, events->len - 1);
}

static gboolean
file_contains (const char *path,
               const char *text)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  gsize text_length = strlen (text);

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;
  for (gsize i = 0; i + text_length <= length; i++)
    if (memcmp (contents + i, text, text_length) == 0)
      return TRUE;
  return FALSE;
}

/* The PIN is kept as an argon2id hash, and nowhere in the journal's files as typed. */
static void
test_pin_is_hashed (Fixture       *fixture,
                    gconstpointer  data)
{
  const char *suffixes[] = { "", "-wal", "-shm" };
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean found_hash = FALSE;

  add_two (fixture);
  g_assert_cmpint (sqlite3_open_v2 (fixture->journal_path, &db, SQLITE_OPEN_READONLY, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT pin_hash FROM associates ORDER BY id", -1,
                                       &stmt, NULL), ==, SQLITE_OK);
  for (int i = 0; i < 2; i++)
    {
      const char *hash;

      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      hash = (const char *) sqlite3_column_text (stmt, 0);
      g_assert_true (g_str_has_prefix (hash, "$argon2id$v=19$m=65536,t=2,p=1$"));
    }
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_exec (db, "SELECT 1", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (fixture->journal_path, suffixes[i], NULL);

      g_assert_false (file_contains (path, PIN_ALEX));
      g_assert_false (file_contains (path, PIN_SAM));
      /* The files are read: the hashes are there, as bytes in one of them. */
      found_hash = found_hash || file_contains (path, "$argon2id$");
    }
  g_assert_true (found_hash);
}

static void
test_pin_rules (void)
{
  const char *refused[] = { "", "123", "123456789", "12a4", "1111", "1234", "98765", "0123" };
  const char *accepted[] = { "2580", "1357", "13579", "90817263" };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (pd_pin_check (refused[i], &error));
      g_assert_error (error, PD_FIELD_ERROR, PD_FIELD_PIN);
    }
  for (guint i = 0; i < G_N_ELEMENTS (accepted); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (pd_pin_check (accepted[i], &error));
      g_assert_no_error (error);
    }
}

static void
test_sign_in (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdAssociate) alex = NULL;
  g_autoptr(GPtrArray) events = NULL;
  PdAuditEvent *event;

  add_two (fixture);
  alex = pd_staff_sign_in (fixture->staff, "B200", PIN_ALEX, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (alex->display_name, ==, "Alex Rivera");
  g_assert_cmpint (alex->role, ==, PD_ROLE_ASSOCIATE);
  g_assert_true (pd_staff_sign_out (fixture->staff, alex, PD_AUDIT_SIGN_OUT, &error));
  g_assert_no_error (error);

  events = audit (fixture);
  g_assert_cmpuint (events->len, ==, 6);
  event = g_ptr_array_index (events, 4);
  g_assert_cmpint (event->kind, ==, PD_AUDIT_SIGN_IN);
  g_assert_cmpstr (event->associate_id, ==, "B200");
  g_assert_cmpstr (event->terminal_id, ==, "COUNTER-2");
  g_assert_cmpint (event->source, ==, PD_AUDIT_SOURCE_PAYDESK);
  g_assert_cmpint (last_event (events)->kind, ==, PD_AUDIT_SIGN_OUT);
}

static void
sign_in_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  PdAssociate **associate = user_data;
  g_autoptr(GError) error = NULL;

  *associate = pd_staff_sign_in_finish (PD_STAFF (source), result, &error);
  g_assert_no_error (error);
}

/* The screen's way: the PIN checked on a worker, the answer on the caller's main context. */
static void
test_sign_in_async (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(PdAssociate) sam = NULL;

  add_two (fixture);
  pd_staff_sign_in_async (fixture->staff, "S300", PIN_SAM, NULL, sign_in_done, &sam);
  while (sam == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (sam->role, ==, PD_ROLE_SUPERVISOR);
}

static void
test_lockout (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdAssociate) stored = NULL;
  g_autoptr(PdAssociate) alex = NULL;
  g_autoptr(GPtrArray) events = NULL;
  gint64 before = g_get_real_time () / G_USEC_PER_SEC;
  guint failed = 0, lockouts = 0;

  add_two (fixture);
  for (int i = 1; i <= PD_PIN_MAX_ATTEMPTS; i++)
    {
      g_autoptr(GError) wrong = NULL;

      g_assert_null (pd_staff_sign_in (fixture->staff, "B200", "8642", &wrong));
      if (i < PD_PIN_MAX_ATTEMPTS)
        {
          g_autofree char *left = g_strdup_printf ("%d more wrong PIN", PD_PIN_MAX_ATTEMPTS - i);

          g_assert_error (wrong, PD_STAFF_ERROR, PD_STAFF_ERROR_WRONG_PIN);
          g_assert_nonnull (strstr (wrong->message, left));
        }
      else
        g_assert_error (wrong, PD_STAFF_ERROR, PD_STAFF_ERROR_LOCKED_OUT);
    }

  /* Locked for the configured time from the fifth wrong PIN. */
  stored = pd_journal_find_associate (fixture->journal, "B200", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stored->failed_attempts, ==, PD_PIN_MAX_ATTEMPTS);
  g_assert_cmpint (stored->locked_until, >=, before + 600);
  g_assert_cmpint (stored->locked_until, <=, g_get_real_time () / G_USEC_PER_SEC + 600);

  /* The right PIN does not open a lockout, and is not counted. */
  g_assert_null (pd_staff_sign_in (fixture->staff, "B200", PIN_ALEX, &error));
  g_assert_error (error, PD_STAFF_ERROR, PD_STAFF_ERROR_LOCKED_OUT);
  g_assert_nonnull (strstr (error->message, "Alex Rivera is locked out"));
  g_clear_error (&error);

  /* Unlocked on the spot: not by an associate's PIN, not by a wrong one, by a supervisor's. */
  g_assert_true (pd_staff_add_associate (fixture->staff, NULL, "B201", "Jo Park",
                                         PD_ROLE_ASSOCIATE, "4826", &error));
  g_assert_false (pd_staff_unlock_with_pin (fixture->staff, "B200", "B201", "4826", &error));
  g_assert_error (error, PD_STAFF_ERROR, PD_STAFF_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  g_assert_false (pd_staff_unlock_with_pin (fixture->staff, "B200", "S300", "8642", &error));
  g_assert_error (error, PD_STAFF_ERROR, PD_STAFF_ERROR_WRONG_PIN);
  g_clear_error (&error);
  g_assert_true (pd_staff_unlock_with_pin (fixture->staff, "B200", "S300", PIN_SAM, &error));
  g_assert_no_error (error);
  alex = pd_staff_sign_in (fixture->staff, "B200", PIN_ALEX, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (alex->failed_attempts, ==, 0);

  events = audit (fixture);
  for (guint i = 0; i < events->len; i++)
    {
      PdAuditEvent *event = g_ptr_array_index (events, i);

      failed += event->kind == PD_AUDIT_SIGN_IN_FAILED;
      lockouts += event->kind == PD_AUDIT_LOCKOUT;
      if (event->kind == PD_AUDIT_UNLOCK)
        g_assert_cmpstr (event->associate_id, ==, "S300");
    }
  g_assert_cmpuint (failed, ==, PD_PIN_MAX_ATTEMPTS + 1);
  g_assert_cmpuint (lockouts, ==, 1);
  g_assert_cmpint (last_event (events)->kind, ==, PD_AUDIT_SIGN_IN);
}

/* An unknown ID gets the same words as a wrong PIN, and is not written down (it could be a
 * PIN typed in the wrong field). A disabled associate is told so. */
static void
test_unknown_and_disabled (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;

  add_two (fixture);
  g_assert_null (pd_staff_sign_in (fixture->staff, "7319", PIN_ALEX, &error));
  g_assert_error (error, PD_STAFF_ERROR, PD_STAFF_ERROR_WRONG_PIN);
  g_clear_error (&error);
  events = audit (fixture);
  g_assert_cmpint (last_event (events)->kind, ==, PD_AUDIT_SIGN_IN_FAILED);
  g_assert_null (last_event (events)->associate_id);
  g_assert_null (strstr (last_event (events)->detail, "7319"));
  g_clear_pointer (&events, g_ptr_array_unref);

  g_assert_true (pd_staff_set_enabled (fixture->staff, NULL, "B200", FALSE, &error));
  g_assert_no_error (error);
  g_assert_null (pd_staff_sign_in (fixture->staff, "B200", PIN_ALEX, &error));
  g_assert_error (error, PD_STAFF_ERROR, PD_STAFF_ERROR_DISABLED);
  g_clear_error (&error);
  g_assert_true (pd_staff_set_enabled (fixture->staff, NULL, "B200", TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (pd_staff_set_enabled (fixture->staff, NULL, "NOBODY", TRUE, &error) == FALSE);
  g_assert_error (error, PD_JOURNAL_ERROR, PD_JOURNAL_ERROR_NOT_FOUND);
}

static void
test_permissions (void)
{
  g_assert_cmpint (pd_role_may (PD_ROLE_ASSOCIATE, PD_PERMISSION_TAKE_PAYMENT), ==, PD_ALLOWED);
  g_assert_cmpint (pd_role_may (PD_ROLE_ASSOCIATE, PD_PERMISSION_REPRINT), ==, PD_ALLOWED);
  g_assert_cmpint (pd_role_may (PD_ROLE_ASSOCIATE, PD_PERMISSION_VOID), ==,
                   PD_ALLOWED_WITH_OVERRIDE);
  g_assert_cmpint (pd_role_may (PD_ROLE_ASSOCIATE, PD_PERMISSION_REFUND), ==,
                   PD_ALLOWED_WITH_OVERRIDE);
  g_assert_cmpint (pd_role_may (PD_ROLE_ASSOCIATE, PD_PERMISSION_LEAVE_KIOSK), ==,
                   PD_NOT_ALLOWED);
  g_assert_cmpint (pd_role_may (PD_ROLE_ASSOCIATE, PD_PERMISSION_UNLOCK_ASSOCIATE), ==,
                   PD_NOT_ALLOWED);
  for (PdPermission p = PD_PERMISSION_TAKE_PAYMENT; p <= PD_PERMISSION_LEAVE_KIOSK; p++)
    g_assert_cmpint (pd_role_may (PD_ROLE_SUPERVISOR, p), ==, PD_ALLOWED);
}

/* A void by an associate: refused alone, refused with another associate's PIN, with their
 * own, and with a supervisor's wrong PIN; approved with the supervisor's, both named. */
static void
test_override (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdAssociate) alex = NULL;
  g_autoptr(PdAssociate) sam = NULL;
  g_autoptr(PdAssociate) approver = NULL;
  g_autoptr(GPtrArray) events = NULL;
  PdAuditEvent *event;

  add_two (fixture);
  g_assert_true (pd_staff_add_associate (fixture->staff, NULL, "B201", "Jo Park",
                                         PD_ROLE_ASSOCIATE, "4826", &error));
  alex = pd_staff_sign_in (fixture->staff, "B200", PIN_ALEX, &error);
  g_assert_no_error (error);

  g_assert_false (pd_staff_check_permission (fixture->staff, alex, PD_PERMISSION_VOID, &error));
  g_assert_error (error, PD_STAFF_ERROR, PD_STAFF_ERROR_NOT_ALLOWED);
  g_clear_error (&error);

  g_assert_null (pd_staff_approve (fixture->staff, alex, PD_PERMISSION_VOID, "B201", "4826",
                                   "void", &error));
  g_assert_error (error, PD_STAFF_ERROR, PD_STAFF_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  g_assert_null (pd_staff_approve (fixture->staff, alex, PD_PERMISSION_VOID, "B200", PIN_ALEX,
                                   "void", &error));
  g_assert_error (error, PD_STAFF_ERROR, PD_STAFF_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  g_assert_null (pd_staff_approve (fixture->staff, alex, PD_PERMISSION_VOID, "S300", "8642",
                                   "void", &error));
  g_assert_error (error, PD_STAFF_ERROR, PD_STAFF_ERROR_WRONG_PIN);
  g_clear_error (&error);
  g_assert_null (pd_staff_approve (fixture->staff, alex, PD_PERMISSION_LEAVE_KIOSK, "S300",
                                   PIN_SAM, "quit", &error));
  g_assert_error (error, PD_STAFF_ERROR, PD_STAFF_ERROR_NOT_ALLOWED);
  g_clear_error (&error);

  approver = pd_staff_approve (fixture->staff, alex, PD_PERMISSION_VOID, "S300", PIN_SAM,
                               "void of payment TRAIN-1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (approver->id, ==, "S300");

  events = audit (fixture);
  event = last_event (events);
  g_assert_cmpint (event->kind, ==, PD_AUDIT_OVERRIDE);
  g_assert_cmpstr (event->associate_id, ==, "B200");
  g_assert_cmpstr (event->approver_id, ==, "S300");
  g_assert_cmpstr (event->detail, ==, "void of payment TRAIN-1");
  event = g_ptr_array_index (events, events->len - 2);
  g_assert_cmpint (event->kind, ==, PD_AUDIT_OVERRIDE_REFUSED);
  g_assert_cmpstr (event->associate_id, ==, "B200");
  g_assert_cmpstr (event->approver_id, ==, "S300");

  /* A supervisor needs nobody. */
  sam = pd_staff_sign_in (fixture->staff, "S300", PIN_SAM, &error);
  g_assert_true (pd_staff_check_permission (fixture->staff, sam, PD_PERMISSION_REFUND, &error));
  g_assert_no_error (error);

  /* An associate's events include what they approved; a date filters too. */
  g_clear_pointer (&events, g_ptr_array_unref);
  events = pd_journal_list_audit (fixture->journal, NULL, "S300", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < events->len; i++)
    {
      event = g_ptr_array_index (events, i);
      g_assert_true (g_strcmp0 (event->associate_id, "S300") == 0 ||
                     g_strcmp0 (event->approver_id, "S300") == 0);
    }
  g_clear_pointer (&events, g_ptr_array_unref);
  events = pd_journal_list_audit (fixture->journal, "2001-01-01", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 0);
}

static int
raw_exec (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;
  int rc;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  rc = sqlite3_exec (db, sql, NULL, NULL, NULL);
  sqlite3_close (db);
  return rc;
}

static GPtrArray *
verify (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *problems = pd_journal_verify (fixture->journal, &error);

  g_assert_no_error (error);
  return problems;
}

static gboolean
has_problem (GPtrArray  *problems,
             const char *text)
{
  for (guint i = 0; i < problems->len; i++)
    if (strstr (g_ptr_array_index (problems, i), text) != NULL)
      return TRUE;
  return FALSE;
}

/* The triggers refuse changes; one made behind them (the triggers dropped) shows in verify,
 * and so does an event taken out, in the middle or at the end. */
static void
test_audit_is_append_only (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;

  add_two (fixture);
  for (int i = 0; i < 3; i++)
    g_assert_true (pd_staff_record (fixture->staff, PD_AUDIT_REPRINT, "B200", NULL, NULL,
                                    "receipt again", &error));
  problems = verify (fixture);
  g_assert_cmpuint (problems->len, ==, 0);
  g_clear_pointer (&problems, g_ptr_array_unref);

  g_assert_cmpint (raw_exec (fixture->journal_path, "UPDATE audit_events SET detail = 'x'"), ==,
                   SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_exec (fixture->journal_path, "DELETE FROM audit_events"), ==,
                   SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_exec (fixture->journal_path, "DELETE FROM associates"), ==,
                   SQLITE_CONSTRAINT);

  g_assert_cmpint (raw_exec (fixture->journal_path,
                             "DROP TRIGGER audit_events_are_append_only;"
                             "DROP TRIGGER audit_events_are_kept;"
                             "UPDATE audit_events SET associate_id = 'S300' WHERE seq = 3;"),
                   ==, SQLITE_OK);
  problems = verify (fixture);
  g_assert_true (has_problem (problems, "event 3 was changed"));
  g_clear_pointer (&problems, g_ptr_array_unref);

  g_assert_cmpint (raw_exec (fixture->journal_path,
                             "DELETE FROM audit_events WHERE seq IN (2, 7);"), ==, SQLITE_OK);
  problems = verify (fixture);
  g_assert_true (has_problem (problems, "events 2 to 2 are missing"));
  g_assert_true (has_problem (problems, "the last events (7 to 7) are missing"));
}

static void
recorded (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (pd_staff_record_finish (PD_STAFF (source), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

/* A screen's way: written on a worker, answered on the caller's main context. */
static void
test_record_async (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) events = NULL;
  gboolean done = FALSE;
  PdAuditEvent *event;

  pd_staff_record_async (fixture->staff, PD_AUDIT_KIOSK_EXIT, "S300", NULL, "by hand", NULL,
                         recorded, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  events = audit (fixture);
  event = last_event (events);
  g_assert_cmpint (event->kind, ==, PD_AUDIT_KIOSK_EXIT);
  g_assert_cmpstr (event->associate_id, ==, "S300");
  g_assert_cmpstr (event->detail, ==, "by hand");
}

int
main (int    argc,
      char **argv)
{
  pd_test_init (&argc, &argv);

#define ADD(name, func) \
  g_test_add (name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/staff/pin-is-hashed", test_pin_is_hashed);
  g_test_add_func ("/staff/pin-rules", test_pin_rules);
  ADD ("/staff/sign-in", test_sign_in);
  ADD ("/staff/sign-in-async", test_sign_in_async);
  ADD ("/staff/lockout", test_lockout);
  ADD ("/staff/unknown-and-disabled", test_unknown_and_disabled);
  g_test_add_func ("/staff/permissions", test_permissions);
  ADD ("/staff/override", test_override);
  ADD ("/staff/audit-is-append-only", test_audit_is_append_only);
  ADD ("/staff/record-async", test_record_async);
#undef ADD

  return g_test_run ();
}
