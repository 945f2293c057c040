#include <string.h>

#include <json-glib/json-glib.h>

#include "pd-config.h"
#include "pd-journal.h"
#include "pd-staff.h"
#include "pd-test-common.h"

/* paydesk-ctl's associate and audit commands, the real program on a journal on disk. */

typedef struct {
  PdTestDir tmp;
  char *config_path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  pd_test_dir_set_up (&fixture->tmp, data);
  fixture->config_path = g_build_filename (fixture->tmp.dir, "paydesk.conf", NULL);
  pd_test_write_file (fixture->config_path,
                      "[terminal]\ntraining = true\nmode = counter\nterminal-id = COUNTER-3\n"
                      "[journal]\ndata-dir = state\n");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_free (fixture->config_path);
  pd_test_dir_tear_down (&fixture->tmp, data);
}

G_GNUC_NULL_TERMINATED
static PdTestRun
ctl (Fixture    *fixture,
     const char *input,
     ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  va_list args;

  g_ptr_array_add (argv, (gpointer) g_getenv ("PAYDESK_CTL"));
  g_ptr_array_add (argv, (gpointer) "--config");
  g_ptr_array_add (argv, fixture->config_path);
  va_start (args, input);
  for (const char *arg = va_arg (args, const char *); arg != NULL;
       arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  return pd_test_run ((const char * const *) argv->pdata, input);
}

static JsonArray *
parse_array (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)));
  return json_array_ref (json_node_get_array (json_parser_get_root (parser)));
}

static JsonObject *
find (JsonArray  *array,
      const char *member,
      const char *value)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (object, member, NULL),
                     value) == 0)
        return object;
    }
  return NULL;
}

/* A training terminal starts with the documented training associate and supervisor. */
static void
test_training_associates (Fixture       *fixture,
                          gconstpointer  data)
{
  g_auto(PdTestRun) list = ctl (fixture, NULL, "associate", "list", "--json", NULL);
  g_autoptr(JsonArray) associates = NULL;
  JsonObject *alex, *sam;

  g_assert_cmpint (list.status, ==, 0);
  associates = parse_array (list.out);
  g_assert_cmpuint (json_array_get_length (associates), ==, 2);
  alex = find (associates, "id", PD_TRAINING_ASSOCIATE_ID);
  sam = find (associates, "id", PD_TRAINING_SUPERVISOR_ID);
  g_assert_nonnull (alex);
  g_assert_nonnull (sam);
  g_assert_cmpstr (json_object_get_string_member (alex, "role"), ==, "associate");
  g_assert_cmpstr (json_object_get_string_member (sam, "role"), ==, "supervisor");
  g_assert_true (json_object_get_boolean_member (alex, "enabled"));
}

static void
test_add_and_change (Fixture       *fixture,
                     gconstpointer  data)
{
  g_auto(PdTestRun) add = ctl (fixture, "86429731\n", "associate", "add", "B200", "--name",
                               "Bea Counter", NULL);
  g_auto(PdTestRun) again = ctl (fixture, "9753\n", "associate", "add", "B200", "--name",
                                 "Someone Else", NULL);
  g_auto(PdTestRun) weak = ctl (fixture, "1234\n", "associate", "add", "B201", "--name",
                                "Weak Pin", NULL);
  g_auto(PdTestRun) no_pin = ctl (fixture, "", "associate", "add", "B202", "--name",
                                  "No Pin", NULL);
  g_auto(PdTestRun) pin_argument = ctl (fixture, NULL, "associate", "add", "B203", "--name",
                                        "Pin Argument", "--pin", "8642", NULL);
  g_auto(PdTestRun) bad_role = ctl (fixture, "8642\n", "associate", "add", "B204", "--name",
                                    "Boss", "--role", "boss", NULL);
  g_auto(PdTestRun) supervisor = ctl (fixture, "9753\n", "associate", "add", "S301", "--name",
                                      "Dee Lead", "--role", "supervisor", NULL);
  g_auto(PdTestRun) disable = ctl (fixture, NULL, "associate", "disable", "B200", NULL);
  g_auto(PdTestRun) set_pin = ctl (fixture, "7315\n", "associate", "set-pin", "S301", NULL);
  g_auto(PdTestRun) unknown = ctl (fixture, NULL, "associate", "enable", "NOBODY", NULL);
  g_auto(PdTestRun) list = ctl (fixture, NULL, "associate", "list", "--json", NULL);
  g_auto(PdTestRun) text = ctl (fixture, NULL, "associate", "list", NULL);
  g_autoptr(JsonArray) associates = NULL;

  g_assert_cmpint (add.status, ==, 0);
  g_assert_nonnull (strstr (add.out, "Bea Counter"));
  g_assert_cmpint (again.status, ==, 2);
  g_assert_nonnull (strstr (again.err, "already an associate with the ID B200"));
  g_assert_cmpint (weak.status, ==, 2);
  g_assert_nonnull (strstr (weak.err, "1234"));
  g_assert_cmpint (no_pin.status, ==, 2);
  g_assert_nonnull (strstr (no_pin.err, "No PIN on standard input"));
  /* A PIN is never taken from the command line, where every user of the machine sees it. */
  g_assert_cmpint (pin_argument.status, ==, 2);
  g_assert_nonnull (strstr (pin_argument.err, "--pin"));
  g_assert_cmpint (bad_role.status, ==, 2);
  g_assert_nonnull (strstr (bad_role.err, "boss"));
  g_assert_cmpint (supervisor.status, ==, 0);
  g_assert_cmpint (disable.status, ==, 0);
  g_assert_cmpint (set_pin.status, ==, 0);
  g_assert_cmpint (unknown.status, ==, 2);
  g_assert_nonnull (strstr (unknown.err, "NOBODY"));

  associates = parse_array (list.out);
  /* The two training associates, Bea and Dee: nobody refused was added. */
  g_assert_cmpuint (json_array_get_length (associates), ==, 4);
  g_assert_false (json_object_get_boolean_member (find (associates, "id", "B200"), "enabled"));
  g_assert_cmpstr (json_object_get_string_member (find (associates, "id", "S301"), "role"), ==,
                   "supervisor");
  g_assert_nonnull (strstr (text.out, "disabled"));
  /* No PIN typed is ever printed back. */
  g_assert_null (strstr (add.out, "86429731"));
  g_assert_null (strstr (add.err, "86429731"));
  g_assert_null (strstr (text.out, "86429731"));
  g_assert_null (strstr (list.out, "$argon2id$"));
}

/* Five wrong PINs at the counter lock Bea out; the list says so, unlock lifts it, and every
 * step is in the audit log. */
static void
test_lockout_and_audit (Fixture       *fixture,
                        gconstpointer  data)
{
  g_auto(PdTestRun) add = ctl (fixture, "8642\n", "associate", "add", "B200", "--name",
                               "Bea Counter", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdConfig) config = pd_config_load_file (fixture->config_path, &error);
  g_autofree char *journal_path = NULL;
  g_autoptr(PdJournal) journal = NULL;
  g_autoptr(PdStaff) staff = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = NULL;
  g_autoptr(JsonArray) events = NULL;
  g_autoptr(JsonArray) bea_events = NULL;
  g_autoptr(JsonArray) other_day = NULL;
  JsonObject *lockout;

  g_assert_cmpint (add.status, ==, 0);
  g_assert_no_error (error);
  journal_path = pd_config_dup_journal_path (config);
  journal = pd_journal_open_for_terminal (journal_path, TRUE, &error);
  g_assert_no_error (error);
  staff = pd_staff_new (config, journal, PD_AUDIT_SOURCE_PAYDESK);
  for (int i = 0; i < PD_PIN_MAX_ATTEMPTS; i++)
    {
      g_autoptr(GError) wrong = NULL;

      g_assert_null (pd_staff_sign_in (staff, "B200", "13572468", &wrong));
      g_assert_nonnull (wrong);
    }

  {
    g_auto(PdTestRun) locked = ctl (fixture, NULL, "associate", "list", NULL);
    g_auto(PdTestRun) unlock = ctl (fixture, NULL, "associate", "unlock", "B200", NULL);
    g_auto(PdTestRun) unlocked = ctl (fixture, NULL, "associate", "list", "--json", NULL);
    g_autoptr(JsonArray) associates = NULL;

    g_assert_nonnull (strstr (locked.out, "locked out until"));
    g_assert_cmpint (unlock.status, ==, 0);
    associates = parse_array (unlocked.out);
    g_assert_false (json_object_get_boolean_member (find (associates, "id", "B200"), "locked"));
  }
  g_clear_object (&staff);
  g_clear_object (&journal);

  today = g_date_time_format (now, "%Y-%m-%d");
  {
    g_auto(PdTestRun) all = ctl (fixture, NULL, "audit", "list", "--json", NULL);
    g_auto(PdTestRun) bea = ctl (fixture, NULL, "audit", "list", "--associate", "B200", "--json",
                                 NULL);
    g_auto(PdTestRun) before = ctl (fixture, NULL, "audit", "list", "--date", "2020-01-02",
                                    "--json", NULL);
    g_auto(PdTestRun) text = ctl (fixture, NULL, "audit", "list", "--date", today, NULL);
    g_auto(PdTestRun) verify = ctl (fixture, NULL, "journal", "verify", NULL);

    g_assert_cmpint (all.status, ==, 0);
    events = parse_array (all.out);
    bea_events = parse_array (bea.out);
    other_day = parse_array (before.out);
    g_assert_cmpuint (json_array_get_length (other_day), ==, 0);
    /* The training pair and Bea added (ctl), five refusals and the lockout (the counter),
     * unlocked (ctl). */
    g_assert_cmpuint (json_array_get_length (events), ==, 3 + PD_PIN_MAX_ATTEMPTS + 1 + 1);
    g_assert_cmpstr (json_object_get_string_member (
                       json_array_get_object_element (events, 0), "source"), ==, "paydesk-ctl");
    lockout = find (events, "kind", "lockout");
    g_assert_nonnull (lockout);
    g_assert_cmpstr (json_object_get_string_member (lockout, "associate_id"), ==, "B200");
    g_assert_cmpstr (json_object_get_string_member (lockout, "source"), ==, "paydesk");
    g_assert_cmpstr (json_object_get_string_member (lockout, "terminal_id"), ==, "COUNTER-3");
    g_assert_nonnull (find (events, "kind", "unlock"));
    g_assert_cmpuint (json_array_get_length (bea_events), ==, PD_PIN_MAX_ATTEMPTS + 1);
    g_assert_nonnull (strstr (text.out, "Locked out"));
    g_assert_cmpint (verify.status, ==, 0);
    g_assert_nonnull (strstr (verify.out, "sound"));
    g_assert_null (strstr (all.out, "13572468"));
  }
}

/* What an operator does with paydesk-ctl is in the audit log too, done or not. */
static void
test_ctl_work_audited (Fixture       *fixture,
                       gconstpointer  data)
{
  /* Nothing listens on port 9 of this machine: no payment core. */
  g_autofree char *contents = g_strdup ("[terminal]\ntraining = true\nmode = counter\n"
                                        "[core]\nurl = http://127.0.0.1:9\n"
                                        "[journal]\ndata-dir = state\n");
  g_autoptr(JsonArray) events = NULL;
  JsonObject *voided;

  pd_test_write_file (fixture->config_path, contents);
  {
    /* The void opens (and makes) the journal; the drain needs one. */
    g_auto(PdTestRun) undo = ctl (fixture, NULL, "void", "TRAIN-01-NOSUCHPAYMENT", "--operator",
                                  "A100", "--reason", "wrong-amount", NULL);
    g_auto(PdTestRun) drain = ctl (fixture, NULL, "outbox", "drain", NULL);
    g_auto(PdTestRun) list = ctl (fixture, NULL, "audit", "list", "--json", NULL);

    g_assert_cmpint (undo.status, ==, 2);
    events = parse_array (list.out);
  }
  g_assert_nonnull (find (events, "kind", "outbox-retry"));
  voided = find (events, "kind", "void");
  g_assert_nonnull (voided);
  g_assert_cmpstr (json_object_get_string_member (voided, "associate_id"), ==, "A100");
  g_assert_cmpstr (json_object_get_string_member (voided, "source"), ==, "paydesk-ctl");
  g_assert_nonnull (strstr (json_object_get_string_member (voided, "detail"), "not done"));
}

int
main (int    argc,
      char **argv)
{
  pd_test_init (&argc, &argv);

#define ADD(name, func) \
  g_test_add (name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/ctl/associates/training", test_training_associates);
  ADD ("/ctl/associates/add-and-change", test_add_and_change);
  ADD ("/ctl/associates/lockout-and-audit", test_lockout_and_audit);
  ADD ("/ctl/associates/work-audited", test_ctl_work_audited);
#undef ADD

  return g_test_run ();
}
