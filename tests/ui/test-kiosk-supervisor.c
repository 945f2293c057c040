#include <string.h>

#include "pd-payments-page.h"
#include "pd-pin-pad.h"
#include "pd-sign-in-page.h"
#include "pd-supervisor-panel.h"
#include "pd-test-kiosk.h"

/* A kiosk's hidden corner: a supervisor's PIN opens the devices, the outbox and leaving
 * kiosk mode; an associate's PIN and a member get nowhere; nothing of a counter is in a
 * kiosk at all. The real window on a training terminal against the training core. */

typedef PdTestKiosk Fixture;

static void
hold_corner (Fixture *fixture,
             double   x,
             double   y)
{
  GListModel *controllers = gtk_widget_observe_controllers (GTK_WIDGET (fixture->window));
  gboolean found = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (g_strcmp0 (gtk_event_controller_get_name (controller), "supervisor-corner") == 0)
        {
          /* What the gesture says once a finger was held still a second; the window counts
           * two more seconds while it stays down. */
          g_assert_cmpfloat (gtk_gesture_long_press_get_delay_factor (
                               GTK_GESTURE_LONG_PRESS (controller)), ==, 2.0);
          g_signal_emit_by_name (controller, "pressed", x, y);
          found = TRUE;
        }
    }
  g_object_unref (controllers);
  g_assert_true (found);
}

/* Held in the corner: the main loop turns until the supervisor's screens are up. */
static void
hold_corner_until_open (Fixture *fixture)
{
  hold_corner (fixture, 20, 20);
  while (g_strcmp0 (pd_window_get_visible_page_name (fixture->window), "supervisor") != 0)
    g_main_context_iteration (NULL, TRUE);
  pd_test_gui_wait_until_drawn (GTK_WIDGET (fixture->window));
}

static GtkWidget *
panel (Fixture *fixture)
{
  PdSupervisorPanel *supervisor = pd_window_get_supervisor_panel (fixture->window);

  g_assert_nonnull (supervisor);
  return GTK_WIDGET (supervisor);
}

static GtkWidget *
sign_in_page (Fixture *fixture)
{
  return pd_test_gui_find_by_type (panel (fixture), PD_TYPE_SIGN_IN_PAGE);
}

static void
enter_pin (Fixture    *fixture,
           const char *id,
           const char *pin)
{
  GtkWidget *page = sign_in_page (fixture);
  GtkWidget *pad = pd_test_gui_find_by_type (page, PD_TYPE_PIN_PAD);
  GtkWidget *message = pd_test_gui_find_by_name (page, "sign_in_message");

  while (pd_test_gui_find_by_name (page, id) == NULL)
    g_main_context_iteration (NULL, TRUE);
  pd_test_kiosk_act (page, "sign-in.choose", id);
  for (const char *d = pin; *d != '\0'; d++)
    {
      char digit[2] = { *d, '\0' };

      pd_test_kiosk_act (pad, "pin-pad.digit", digit);
    }
  pd_test_kiosk_act (page, "sign-in.submit", NULL);
  /* The PIN is checked on a worker: until the supervisor is in, or the page says why not. */
  while (pd_supervisor_panel_get_supervisor (PD_SUPERVISOR_PANEL (panel (fixture))) == NULL &&
         !gtk_widget_get_visible (message))
    g_main_context_iteration (NULL, TRUE);
}

static guint
count_audit (Fixture     *fixture,
             PdAuditKind  kind,
             const char  *associate_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = pd_journal_list_audit (pd_terminal_get_journal (fixture->terminal),
                                                       NULL, associate_id, &error);
  guint n = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < events->len; i++)
    n += ((PdAuditEvent *) g_ptr_array_index (events, i))->kind == kind;
  return n;
}

static gboolean
refuse_close (GtkWindow *window,
              gboolean  *asked)
{
  *asked = TRUE;
  return TRUE;
}

/* A kiosk has none of a counter's pages or actions. */
static void
test_no_counter_in_kiosk (Fixture       *fixture,
                          gconstpointer  data)
{
  g_assert_null (pd_window_get_counter (fixture->window));
  g_assert_null (pd_test_gui_find_by_type (GTK_WIDGET (fixture->window), PD_TYPE_PAYMENTS_PAGE));
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "counter.show", "s",
                                              "payments"));
  g_assert_false (gtk_widget_activate_action (pd_test_kiosk_page (fixture), "payments.start-void",
                                              NULL));
  /* Held anywhere but the corner, nothing opens. */
  hold_corner (fixture, 640, 400);
  g_assert_null (pd_window_get_supervisor_panel (fixture->window));
  g_assert_cmpstr (pd_window_get_visible_page_name (fixture->window), ==, "kiosk");
}

static void
test_supervisor_corner (Fixture       *fixture,
                        gconstpointer  data)
{
  gboolean close_asked = FALSE;
  g_autofree char *said = NULL;

  /* A member had started. */
  pd_test_kiosk_start_with_invoice (fixture);
  pd_test_kiosk_type (fixture, PD_FIELD_INVOICE_ACCOUNT, PD_TEST_MARIA_ACCOUNT);

  hold_corner_until_open (fixture);
  /* Supervisors only: the associate is not offered. */
  while (pd_test_gui_find_by_name (sign_in_page (fixture), PD_TRAINING_SUPERVISOR_ID) == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (pd_test_gui_find_by_name (sign_in_page (fixture), PD_TRAINING_ASSOCIATE_ID));
  /* Nothing went wrong reading them (two screens read them at once). */
  g_assert_false (gtk_widget_get_visible (pd_test_gui_find_by_name (sign_in_page (fixture),
                                                                    "sign_in_message")));
  pd_test_kiosk_look_at_window (fixture, "kiosk-supervisor-sign-in.png");

  /* An associate's PIN does not open it: it is a wrong PIN for the supervisor. */
  enter_pin (fixture, PD_TRAINING_SUPERVISOR_ID, PD_TRAINING_ASSOCIATE_PIN);
  g_assert_null (pd_supervisor_panel_get_supervisor (PD_SUPERVISOR_PANEL (panel (fixture))));
  said = g_strdup (gtk_label_get_label (GTK_LABEL (pd_test_gui_find_by_name (
                     sign_in_page (fixture), "sign_in_message"))));
  g_assert_nonnull (strstr (said, "PIN is not right"));
  g_assert_cmpuint (count_audit (fixture, PD_AUDIT_SIGN_IN_FAILED, PD_TRAINING_SUPERVISOR_ID),
                    ==, 1);

  /* Back without signing in: the member's screens again, what was typed wiped. */
  pd_test_kiosk_act (panel (fixture), "supervisor.cancel", NULL);
  g_assert_cmpstr (pd_window_get_visible_page_name (fixture->window), ==, "kiosk");
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "attract");
  {
    g_autofree char *held = pd_test_gui_all_text (GTK_WIDGET (fixture->flow));

    g_assert_null (strstr (held, PD_TEST_MARIA_ACCOUNT));
  }

  hold_corner_until_open (fixture);
  enter_pin (fixture, PD_TRAINING_SUPERVISOR_ID, PD_TRAINING_SUPERVISOR_PIN);
  g_assert_nonnull (pd_supervisor_panel_get_supervisor (PD_SUPERVISOR_PANEL (panel (fixture))));
  pd_test_gui_wait_until_drawn (GTK_WIDGET (fixture->window));
  pd_test_kiosk_look_at_window (fixture, "kiosk-supervisor.png");
  pd_test_kiosk_act (panel (fixture), "supervisor.show", "outbox");

  g_signal_connect (fixture->window, "close-request", G_CALLBACK (refuse_close), &close_asked);
  pd_test_kiosk_act (panel (fixture), "supervisor.quit", NULL);
  /* Written to the audit log first (on a worker), then the window is asked to close. */
  pd_test_gui_wait_for (&close_asked);
  g_assert_cmpuint (count_audit (fixture, PD_AUDIT_KIOSK_EXIT, PD_TRAINING_SUPERVISOR_ID), ==, 1);
  g_signal_handlers_disconnect_by_func (fixture->window, refuse_close, &close_asked);
}

/* Back to the kiosk while the supervisor's PIN is still being checked: the answer, when it
 * comes, opens nothing behind the members' screens. */
static void
test_back_while_checking (Fixture       *fixture,
                          gconstpointer  data)
{
  GtkWidget *page;
  GtkWidget *pad;

  hold_corner_until_open (fixture);
  page = sign_in_page (fixture);
  pad = pd_test_gui_find_by_type (page, PD_TYPE_PIN_PAD);
  while (pd_test_gui_find_by_name (page, PD_TRAINING_SUPERVISOR_ID) == NULL)
    g_main_context_iteration (NULL, TRUE);
  pd_test_kiosk_act (page, "sign-in.choose", PD_TRAINING_SUPERVISOR_ID);
  for (const char *d = PD_TRAINING_SUPERVISOR_PIN; *d != '\0'; d++)
    {
      char digit[2] = { *d, '\0' };

      pd_test_kiosk_act (pad, "pin-pad.digit", digit);
    }
  pd_test_kiosk_act (page, "sign-in.submit", NULL);
  pd_test_kiosk_act (panel (fixture), "supervisor.cancel", NULL);
  g_assert_cmpstr (pd_window_get_visible_page_name (fixture->window), ==, "kiosk");
  /* The worker still answers (and writes the sign-in): then the main loop has its turn. */
  while (count_audit (fixture, PD_AUDIT_SIGN_IN, PD_TRAINING_SUPERVISOR_ID) == 0)
    g_main_context_iteration (NULL, FALSE);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  g_assert_null (pd_supervisor_panel_get_supervisor (PD_SUPERVISOR_PANEL (panel (fixture))));
  g_assert_cmpstr (pd_window_get_visible_page_name (fixture->window), ==, "kiosk");
}

int
main (int    argc,
      char **argv)
{
  if (!pd_test_kiosk_init (&argc, &argv))
    return 0;

  g_test_add ("/kiosk-supervisor/no-counter-in-kiosk", Fixture, NULL, pd_test_kiosk_set_up,
              test_no_counter_in_kiosk, pd_test_kiosk_tear_down);
  g_test_add ("/kiosk-supervisor/corner", Fixture, NULL, pd_test_kiosk_set_up,
              test_supervisor_corner, pd_test_kiosk_tear_down);
  g_test_add ("/kiosk-supervisor/back-while-checking", Fixture, NULL, pd_test_kiosk_set_up,
              test_back_while_checking, pd_test_kiosk_tear_down);

  return g_test_run ();
}
