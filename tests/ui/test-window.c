#include <string.h>

#include "pd-application.h"
#include "pd-test-common.h"
#include "pd-test-gui.h"
#include "pd-window.h"

typedef PdTestDir Fixture;

static GtkWidget *
find_by_css_class (GtkWidget  *root,
                   const char *css_class)
{
  return pd_test_gui_find_by_css_class (root, css_class);
}

static char *
visible_text (PdWindow *window)
{
  GtkStack *pages = GTK_STACK (find_by_css_class (GTK_WIDGET (window), "pages"));
  g_autofree char *banner = pd_test_gui_visible_text (find_by_css_class (GTK_WIDGET (window),
                                                                          "training-bar"));
  g_autofree char *page = pd_test_gui_visible_text (gtk_stack_get_visible_child (pages));

  return g_strconcat (banner, page, NULL);
}

static void
maybe_save_screenshot (PdWindow   *window,
                       const char *name)
{
  pd_test_gui_save_screenshot (GTK_WINDOW (window), name);
}

static PdWindow *
show_window (PdConfig     *config,
             const GError *config_error)
{
  PdWindow *window = pd_window_new (NULL, config, config_error);

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  pd_test_gui_wait_until_drawn (GTK_WIDGET (window));
  return window;
}

static gboolean
close_refused (PdWindow *window)
{
  gboolean refused = FALSE;

  g_signal_emit_by_name (window, "close-request", &refused);
  return refused;
}

static void
test_training_kiosk (void)
{
  g_autoptr(PdConfig) config = pd_config_new_training ();
  PdWindow *window = show_window (config, NULL);
  GtkWidget *banner = find_by_css_class (GTK_WIDGET (window), "training-banner");
  GtkWidget *title = find_by_css_class (GTK_WIDGET (window), "welcome-title");
  g_autofree char *text = NULL;

  maybe_save_screenshot (window, "training-kiosk.png");

  /* A kiosk shows its member's flow, from the attract page. */
  g_assert_cmpstr (pd_window_get_visible_page_name (window), ==, "kiosk");
  g_assert_cmpstr (pd_flow_get_visible_page_name (pd_window_get_flow (window)), ==, "attract");
  g_assert_true (gtk_widget_get_visible (banner));
  g_assert_true (gtk_widget_get_mapped (banner));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (window), "training"));
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (banner), GTK_ACCESSIBLE_ROLE_LABEL);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (title), GTK_ACCESSIBLE_PROPERTY_LEVEL, 1);

  text = visible_text (window);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "TRAINING"));
  g_assert_nonnull (strstr (text, "Pay your health plan premium"));
  g_assert_nonnull (strstr (text, "does not accept cash"));
  g_assert_nonnull (strstr (text, "Kiosk TRAIN-01"));
  g_assert_nonnull (strstr (text, "Paydesk Training Center"));
  /* Built in, not read from a file: the banner says so, with the path that was missing. */
  g_assert_nonnull (strstr (text, "no configuration file was found at " PD_CONFIG_SYSTEM_PATH));

  /* A trainee may close a training kiosk. */
  g_assert_false (close_refused (window));
  gtk_window_destroy (GTK_WINDOW (window));
}

static PdConfig *
load_config (Fixture    *fixture,
             const char *contents)
{
  g_autofree char *path = g_build_filename (fixture->dir, "paydesk.conf", NULL);
  g_autoptr(GError) error = NULL;
  PdConfig *config;

  pd_test_write_file (path, contents);
  config = pd_config_load_file (path, &error);
  g_assert_no_error (error);
  return config;
}

static void
test_production_kiosk (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sample = pd_test_sample_config_with_key (fixture->dir);
  g_autoptr(PdConfig) config = pd_config_load_file (sample, &error);
  PdWindow *window;
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  window = show_window (config, NULL);

  g_assert_false (gtk_widget_is_visible (find_by_css_class (GTK_WIDGET (window),
                                                            "training-banner")));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (window), "training"));
  text = visible_text (window);
  g_assert_null (strstr (text, "TRAINING"));
  g_assert_nonnull (strstr (text, "Center NYC-0042 · Kiosk K-07"));

  /* Nobody closes a production kiosk by accident. */
  g_assert_true (close_refused (window));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_training_counter (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(PdConfig) config = load_config (fixture, "[terminal]\nmode = counter\n"
                                                     "terminal-id = C-02\n");
  PdWindow *window = show_window (config, NULL);
  g_autofree char *text = visible_text (window);

  maybe_save_screenshot (window, "training-counter.png");

  g_assert_nonnull (strstr (text, "TRAINING — no real payments are taken on this terminal"));
  g_assert_null (strstr (text, "no configuration file"));
  /* Nobody works a counter before signing in. */
  g_assert_nonnull (strstr (text, "Sign in to take payments"));
  g_assert_nonnull (strstr (text, "Counter C-02"));
  g_assert_false (close_refused (window));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_setup_error (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "paydesk.conf", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdConfig) config = NULL;
  PdWindow *window;
  g_autofree char *text = NULL;

  pd_test_write_file (path, "[core]\nurl = http://core.example\n");
  config = pd_config_load_file (path, &error);
  g_assert_null (config);

  window = show_window (NULL, error);
  maybe_save_screenshot (window, "setup-error.png");

  g_assert_cmpstr (pd_window_get_visible_page_name (window), ==, "setup-error");
  g_assert_false (gtk_widget_is_visible (find_by_css_class (GTK_WIDGET (window),
                                                            "training-banner")));
  text = visible_text (window);
  g_assert_nonnull (strstr (text, "cannot take payments"));
  g_assert_nonnull (strstr (text, ":2: [core] url:"));
  gtk_window_destroy (GTK_WINDOW (window));
}

typedef struct {
  GtkApplication *application;
  gboolean checked;
  gboolean fullscreen;
  gboolean service_ready;
  PdDeviceHealth printer_health;
  char *page;
} AppCheck;

static gboolean
inspect_window (gpointer data)
{
  AppCheck *check = data;
  GtkWindow *window = gtk_application_get_active_window (check->application);
  PdTerminal *terminal = pd_application_get_terminal (PD_APPLICATION (check->application));
  PdPeripherals *peripherals = terminal != NULL ? pd_terminal_get_peripherals (terminal) : NULL;

  /* Shown, and either working (journal open, core client ready) or explaining why not. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (window)) ||
      (terminal == NULL &&
       g_strcmp0 (pd_window_get_visible_page_name (PD_WINDOW (window)), "setup-error") != 0))
    return G_SOURCE_CONTINUE;

  /* A working terminal also looks for its printer and scanner (the training ones here). */
  if (terminal != NULL && (peripherals == NULL || !pd_peripherals_is_settled (peripherals)))
    return G_SOURCE_CONTINUE;

  if (peripherals != NULL)
    {
      g_autoptr(GPtrArray) infos = pd_peripherals_list (peripherals);

      for (guint i = 0; i < infos->len; i++)
        {
          PdPeripheralInfo *info = g_ptr_array_index (infos, i);

          if (info->kind == PD_PERIPHERAL_PRINTER)
            check->printer_health = info->health;
        }
    }

  check->checked = TRUE;
  check->service_ready = terminal != NULL &&
                         pd_terminal_get_payment_service (terminal) != NULL &&
                         pd_terminal_get_outbox_drainer (terminal) != NULL;
  check->fullscreen = gtk_window_is_fullscreen (window);
  check->page = g_strdup (pd_window_get_visible_page_name (PD_WINDOW (window)));
  g_application_quit (G_APPLICATION (check->application));
  return G_SOURCE_REMOVE;
}

/* "window-added" comes while the window is still being built: look once it is shown. */
static void
on_window_added (GtkApplication *application,
                 GtkWindow      *window,
                 AppCheck       *check)
{
  g_idle_add (inspect_window, check);
}

static AppCheck
run_application (const char * const *args)
{
  g_autoptr(PdApplication) application = pd_application_new ();
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  AppCheck check = { GTK_APPLICATION (application), FALSE, FALSE, FALSE, 0, NULL };
  int status;

  g_ptr_array_add (argv, (gpointer) "paydesk");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  g_signal_connect (application, "window-added", G_CALLBACK (on_window_added), &check);
  status = g_application_run (G_APPLICATION (application), (int) argv->len - 1,
                              (char **) argv->pdata);

  g_assert_cmpint (status, ==, 0);
  g_assert_true (check.checked);
  return check;
}

/* The whole program path: command line, configuration, window. */
static void
test_application_reads_command_line (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autofree char *bad = g_build_filename (fixture->dir, "bad.conf", NULL);
  g_autofree char *counter = g_build_filename (fixture->dir, "counter.conf", NULL);
  g_autofree char *data_dir = g_build_filename (fixture->dir, "state", NULL);
  g_autofree char *journal = g_build_filename (data_dir, "journal.sqlite3", NULL);
  g_autofree char *blocked = g_build_filename (fixture->dir, "blocked", NULL);
  const char *bad_args[] = { "--config", bad, "--windowed", NULL };
  const char *kiosk_args[] = { "--data-dir", data_dir, NULL };
  const char *windowed_args[] = { "--windowed", "--data-dir", data_dir, NULL };
  const char *counter_args[] = { "--config", counter, "--data-dir", data_dir, NULL };
  const char *unwritable_args[] = { "--windowed", "--data-dir", blocked, NULL };
  AppCheck check;

  pd_test_write_file (bad, "[terminal]\nmode = drive-thru\n");
  check = run_application (bad_args);
  g_assert_cmpstr (check.page, ==, "setup-error");
  g_free (check.page);

  /* No configuration at all: a training kiosk, full screen, its journal opened off the
   * main thread. */
  check = run_application (kiosk_args);
  g_assert_cmpstr (check.page, ==, "kiosk");
  g_assert_true (check.fullscreen);
  g_assert_true (check.service_ready);
  g_assert_true (g_file_test (journal, G_FILE_TEST_EXISTS));
  g_assert_cmpint (check.printer_health, ==, PD_DEVICE_HEALTH_PRESENT | PD_DEVICE_HEALTH_READY);
  g_free (check.page);
  /* Its start is in the audit log, with the configuration it ran on. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(PdJournal) opened = pd_journal_open_for_terminal (journal, TRUE, &error);
    g_autoptr(GPtrArray) events = NULL;
    PdAuditEvent *event;

    g_assert_no_error (error);
    events = pd_journal_list_audit (opened, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (events->len, ==, 1);
    event = g_ptr_array_index (events, 0);
    g_assert_cmpint (event->kind, ==, PD_AUDIT_CONFIGURATION_LOADED);
    g_assert_cmpint (event->source, ==, PD_AUDIT_SOURCE_PAYDESK);
    g_assert_cmpstr (event->detail, ==, "built-in training configuration, kiosk, training");
  }

  /* A data folder that cannot be: the terminal says why instead of taking payments. */
  pd_test_write_file (blocked, "not a folder");
  check = run_application (unwritable_args);
  g_assert_cmpstr (check.page, ==, "setup-error");
  g_assert_false (check.service_ready);
  g_free (check.page);

  check = run_application (windowed_args);
  g_assert_false (check.fullscreen);
  g_free (check.page);

  pd_test_write_file (counter, "[terminal]\nmode = counter\n");
  check = run_application (counter_args);
  g_assert_cmpstr (check.page, ==, "counter");
  g_assert_false (check.fullscreen);
  g_free (check.page);
}

#define ADD(name, func) \
  g_test_add ("/window/" name, Fixture, NULL, pd_test_dir_set_up, func, pd_test_dir_tear_down)

int
main (int    argc,
      char **argv)
{
  pd_test_init_gui (&argc, &argv);

  if (!gtk_init_check ())
    {
      /* TAP's way to skip a whole program. */
      g_print ("1..0 # SKIP no display: run under xvfb-run (installed by ./run)\n");
      return 0;
    }
  adw_init ();

  /* What AdwApplication does for the real program: the app's stylesheet from its resources. */
  {
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, "/org/paydesk/Paydesk/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

  g_test_add_func ("/window/training-kiosk", test_training_kiosk);
  ADD ("production-kiosk", test_production_kiosk);
  ADD ("training-counter", test_training_counter);
  ADD ("setup-error", test_setup_error);
  ADD ("application-command-line", test_application_reads_command_line);

  return g_test_run ();
}
