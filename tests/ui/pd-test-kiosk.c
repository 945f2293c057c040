#include <string.h>

#include "pd-keyboard.h"
#include "pd-screen-language.h"
#include "pd-signature-pad.h"
#include "pd-test-kiosk.h"

gboolean
pd_test_kiosk_init (int    *argc,
                    char ***argv)
{
  g_autoptr(GtkCssProvider) css = NULL;

  pd_test_init_gui (argc, argv);
  pd_screen_language_bind ();
  if (!gtk_init_check ())
    {
      g_print ("1..0 # SKIP no display: run under xvfb-run (installed by ./run)\n");
      return FALSE;
    }
  adw_init ();
  /* A picture taken mid-crossfade shows two pages at once: the tests see the end state. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (css, "/org/paydesk/Paydesk/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  return TRUE;
}


static void
note_first_frame (PdTestKiosk   *fixture,
                  GdkFrameClock *clock)
{
  if (fixture->first_frame_us == 0)
    fixture->first_frame_us = g_get_monotonic_time ();
}

void
pd_test_kiosk_set_up (PdTestKiosk       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  g_autofree char *email = NULL;
  gboolean with_devices = data != NULL && g_str_has_prefix (data, "devices");
  gboolean counter = data != NULL && strstr (data, "counter") != NULL;

  pd_test_dir_set_up (&fixture->tmp, data);
  fixture->core = pd_test_core_start (fixture->tmp.dir, 0, NULL);
  /* The receipt's tests: the training printer, and the training mail server over TLS. */
  if (with_devices)
    {
      g_autofree char *certificate = NULL, *key = NULL;
      g_autofree char *password_file = g_build_filename (fixture->tmp.dir, "mail-password",
                                                         NULL);
      g_autofree char *certificate_arg = NULL, *key_arg = NULL, *password_arg = NULL;
      const char *args[5];

      pd_test_make_certificate (fixture->tmp.dir, "mail", &certificate, &key);
      pd_test_write_secret (password_file, "training-mail-password\n");
      certificate_arg = g_strdup_printf ("--tls-certificate=%s", certificate);
      key_arg = g_strdup_printf ("--tls-key=%s", key);
      password_arg = g_strdup_printf ("--password-file=%s", password_file);
      args[0] = certificate_arg;
      args[1] = key_arg;
      args[2] = "--user=paydesk-terminal";
      args[3] = password_arg;
      args[4] = NULL;
      fixture->mail = pd_test_mail_start (fixture->tmp.dir, args);
      email = g_strdup_printf ("[email]\nserver = %s\nusername = paydesk-terminal\n"
                               "password-file = %s\nfrom = receipts@center.example.org\n"
                               "ca-file = %s\ntimeout-seconds = 20\n", fixture->mail->url,
                               password_file, certificate);
    }
  path = g_build_filename (fixture->tmp.dir, "paydesk.conf", NULL);
  contents = g_strdup_printf ("[terminal]\ntraining = true\nmode = %s\n"
                              "[core]\nurl = %s\ntimeout-seconds = 5\n"
                              "[journal]\ndata-dir = state\n"
                              /* Under Maria's balance: the card step's insert-only case. */
                              "[card]\ncontactless-limit = 100.00\n%s",
                              counter ? "counter" : "kiosk", fixture->core->url,
                              email != NULL ? email : "");
  pd_test_write_file (path, contents);
  fixture->config = pd_config_load_file (path, &error);
  g_assert_no_error (error);
  fixture->terminal = pd_terminal_new (fixture->config,
                                       with_devices ? PD_TERMINAL_FLAGS_PERIPHERALS
                                                    : PD_TERMINAL_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  if (with_devices)
    {
      PdPeripherals *peripherals = pd_terminal_get_peripherals (fixture->terminal);

      g_assert_nonnull (peripherals);
      pd_peripherals_start (peripherals);
      while (!pd_peripherals_is_settled (peripherals))
        g_main_context_iteration (NULL, TRUE);
    }

  fixture->window_started_us = g_get_monotonic_time ();
  fixture->window = pd_window_new (NULL, fixture->config, NULL);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1280, 800);
  gtk_window_present (GTK_WINDOW (fixture->window));
  g_signal_connect_swapped (gtk_widget_get_frame_clock (GTK_WIDGET (fixture->window)),
                            "after-paint", G_CALLBACK (note_first_frame), fixture);
  pd_window_set_terminal (fixture->window, fixture->terminal);
  fixture->flow = pd_window_get_flow (fixture->window);
  g_assert_nonnull (fixture->flow);
  pd_test_gui_wait_until_drawn (GTK_WIDGET (fixture->window));
}

void
pd_test_kiosk_tear_down (PdTestKiosk       *fixture,
                   gconstpointer  data)
{
  g_signal_handlers_disconnect_by_data (gtk_widget_get_frame_clock (GTK_WIDGET (fixture->window)),
                                        fixture);
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->terminal);
  g_clear_object (&fixture->config);
  g_clear_pointer (&fixture->core, pd_test_core_free);
  g_clear_pointer (&fixture->mail, pd_test_mail_free);
  pd_test_dir_tear_down (&fixture->tmp, data);
}

GtkWidget *
pd_test_kiosk_page (PdTestKiosk *fixture)
{
  return GTK_WIDGET (pd_flow_get_page (fixture->flow,
                                       pd_flow_get_visible_page_name (fixture->flow)));
}

/* The action a button or key would take; a disabled one does nothing, as the button then
 * cannot be pressed. */
void
pd_test_kiosk_act (GtkWidget  *widget,
     const char *action,
     const char *target)
{
  if (target != NULL)
    gtk_widget_activate_action (widget, action, "s", target);
  else
    gtk_widget_activate_action (widget, action, NULL);
}

/* The main loop until the page's step (a lookup) has ended. */
void
pd_test_kiosk_settle (PdTestKiosk *fixture)
{
  while (pd_flow_get_busy (fixture->flow))
    g_main_context_iteration (NULL, TRUE);
}

void
pd_test_kiosk_next (PdTestKiosk *fixture)
{
  pd_test_kiosk_act (GTK_WIDGET (fixture->flow), "flow.next", NULL);
  pd_test_kiosk_settle (fixture);
}

/* Touches a field, then its characters on the kiosk's own keyboard. */
/* The field by that name a person can see: a page may hold several forms that name their
 * fields alike (the ZIP code of two ways to be found). */
static GtkWidget *
find_shown_by_name (GtkWidget  *root,
                    const char *name)
{
  /* A stack's other pages are not child-visible. */
  if (!gtk_widget_get_visible (root) || !gtk_widget_get_child_visible (root))
    return NULL;
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_shown_by_name (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

void
pd_test_kiosk_type_named (PdTestKiosk    *fixture,
                 const char *name,
                 const char *text)
{
  GtkWidget *page = pd_test_kiosk_page (fixture);
  GtkWidget *entry = NULL;
  GtkWidget *keyboard = pd_test_gui_find_by_type (page, PD_TYPE_KEYBOARD);

  entry = find_shown_by_name (page, name);
  g_assert_nonnull (entry);
  g_assert_nonnull (keyboard);
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  g_assert_true (gtk_widget_grab_focus (entry));
  for (const char *c = text; *c != '\0'; c++)
    {
      char key[2] = { *c, '\0' };

      pd_test_kiosk_act (keyboard, "keyboard.type", key);
    }
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, text);
}

void
pd_test_kiosk_type (PdTestKiosk    *fixture,
           PdField     field,
           const char *text)
{
  pd_test_kiosk_type_named (fixture, pd_field_to_string (field), text);
}

GtkWidget *
pd_test_kiosk_field_error (PdTestKiosk *fixture,
             PdField  field)
{
  GtkWidget *entry = pd_test_gui_find_by_name (pd_test_kiosk_page (fixture), pd_field_to_string (field));
  GtkWidget *parent = gtk_widget_get_parent (entry);
  int column, row, width, height;

  /* The error sits right under its field. */
  gtk_grid_query_child (GTK_GRID (parent), entry, &column, &row, &width, &height);
  return gtk_grid_get_child_at (GTK_GRID (parent), column, row + 1);
}

char *
pd_test_kiosk_page_text (PdTestKiosk *fixture)
{
  return pd_test_gui_visible_text (pd_test_kiosk_page (fixture));
}

/* A name a screen reader can say: what the button shows (a label, or a label inside it),
 * or an accessible label (an icon-only key). */
gboolean
pd_test_kiosk_control_is_named (GtkWidget *button)
{
  GtkWidget *child = gtk_button_get_child (GTK_BUTTON (button));

  return GTK_IS_LABEL (child) ||
         (child != NULL && pd_test_gui_find_by_type (child, GTK_TYPE_LABEL) != NULL) ||
         gtk_test_accessible_has_property (GTK_ACCESSIBLE (button),
                                           GTK_ACCESSIBLE_PROPERTY_LABEL);
}

/* Every control a person can press has a name, and every field its label. */
static void
assert_controls_named (GtkWidget *root)
{
  if (!gtk_widget_get_visible (root))
    return;

  if (GTK_IS_BUTTON (root) && gtk_widget_get_sensitive (root) && !pd_test_kiosk_control_is_named (root))
    g_error ("a %s (%s) has no name", G_OBJECT_TYPE_NAME (root), gtk_widget_get_name (root));
  if (GTK_IS_ENTRY (root))
    g_assert_true (gtk_test_accessible_has_relation (GTK_ACCESSIBLE (root),
                                                     GTK_ACCESSIBLE_RELATION_LABELLED_BY) ||
                   gtk_test_accessible_has_property (GTK_ACCESSIBLE (root),
                                                     GTK_ACCESSIBLE_PROPERTY_LABEL));

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    assert_controls_named (child);
}

void
pd_test_kiosk_look_at (PdTestKiosk    *fixture,
         const char *picture)
{
  assert_controls_named (pd_test_kiosk_page (fixture));
  pd_test_gui_save_screenshot (GTK_WINDOW (fixture->window), picture);
}

void
pd_test_kiosk_look_at_window (PdTestKiosk *fixture,
                              const char  *picture)
{
  assert_controls_named (GTK_WIDGET (fixture->window));
  pd_test_gui_save_screenshot (GTK_WINDOW (fixture->window), picture);
}

void
pd_test_kiosk_start_with_invoice (PdTestKiosk *fixture)
{
  /* A counter's visit starts on the identify page. */
  if (pd_window_get_counter (fixture->window) == NULL)
    {
      g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "attract");
      pd_test_kiosk_next (fixture);
    }
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "identify");
  if (pd_window_get_counter (fixture->window) == NULL)
    pd_test_kiosk_look_at (fixture, "kiosk-identify-methods.png");
  else
    pd_test_kiosk_look_at_window (fixture, "counter-identify-methods.png");
  pd_test_kiosk_act (pd_test_kiosk_page (fixture), "identify.method", "invoice");
}

void
pd_test_kiosk_find_maria (PdTestKiosk *fixture)
{
  pd_test_kiosk_start_with_invoice (fixture);
  pd_test_kiosk_type (fixture, PD_FIELD_INVOICE_ACCOUNT, PD_TEST_MARIA_ACCOUNT);
  pd_test_kiosk_type (fixture, PD_FIELD_INVOICE_NUMBER, PD_TEST_MARIA_INVOICE);
  pd_test_kiosk_next (fixture);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "accounts");
}

void
pd_test_kiosk_reach_tender (PdTestKiosk *fixture,
                            const char  *amount)
{
  pd_test_kiosk_find_maria (fixture);
  g_assert_true (gtk_widget_activate_action (pd_test_kiosk_page (fixture), "accounts.choose",
                                             "u", 0));
  pd_test_kiosk_settle (fixture);
  if (g_ascii_isdigit (amount[0]))
    {
      pd_test_kiosk_act (pd_test_kiosk_page (fixture), "amount.choose", "other");
      pd_test_kiosk_type_named (fixture, "amount", amount);
    }
  else
    pd_test_kiosk_act (pd_test_kiosk_page (fixture), "amount.choose", amount);
  pd_test_kiosk_next (fixture);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "tender");
}

void
pd_test_kiosk_wait_for_text (PdTestKiosk *fixture,
                             const char  *needle)
{
  g_autofree char *text = pd_test_kiosk_page_text (fixture);

  while (strstr (text, needle) == NULL)
    {
      g_main_context_iteration (NULL, TRUE);
      g_free (text);
      text = pd_test_kiosk_page_text (fixture);
    }
}

static GtkGesture *
drag_gesture_of (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_DRAG (controller))
        return GTK_GESTURE (controller);
    }
  return NULL;
}

void
pd_test_kiosk_sign (GtkWidget *pad)
{
  GtkGesture *drag = drag_gesture_of (pad);
  static const double strokes[][4] = {
    { 40, 150, 300, -110 }, { 120, 60, 260, 80 }, { 420, 140, 180, -60 },
  };

  g_assert_nonnull (drag);
  for (gsize i = 0; i < G_N_ELEMENTS (strokes); i++)
    {
      g_signal_emit_by_name (drag, "drag-begin", strokes[i][0], strokes[i][1]);
      for (int step = 1; step <= 10; step++)
        g_signal_emit_by_name (drag, "drag-update", strokes[i][2] * step / 10,
                               strokes[i][3] * step / 10 + (step % 2) * 6);
      g_signal_emit_by_name (drag, "drag-end", strokes[i][2], strokes[i][3]);
    }
}

void
pd_test_kiosk_pay_by_bank (PdTestKiosk *fixture)
{
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "bank");
  pd_test_kiosk_type (fixture, PD_FIELD_ROUTING_NUMBER, "021000021");
  pd_test_kiosk_type (fixture, PD_FIELD_ACCOUNT_HOLDER, "MARIA L GONZALEZ");
  pd_test_kiosk_type (fixture, PD_FIELD_BANK_ACCOUNT, "000123456789");
  pd_test_kiosk_type (fixture, PD_FIELD_BANK_ACCOUNT_AGAIN, "000123456789");
  pd_test_kiosk_act (pd_test_kiosk_page (fixture), "bank.type", "savings");
  pd_test_kiosk_next (fixture);
  pd_test_kiosk_sign (pd_test_gui_find_by_type (pd_test_kiosk_page (fixture),
                                                PD_TYPE_SIGNATURE_PAD));
  pd_test_kiosk_next (fixture);
}

void
pd_test_kiosk_wait_until_shown (PdTestKiosk *fixture,
                                const char  *page)
{
  while (g_strcmp0 (pd_flow_get_visible_page_name (fixture->flow), page) != 0 ||
         pd_flow_get_busy (fixture->flow))
    g_main_context_iteration (NULL, TRUE);
}
