#include <string.h>

#include <glib/gstdio.h>

#include "pd-account-card.h"
#include "pd-identity.h"
#include "pd-keyboard.h"
#include "pd-signature-pad.h"
#include "pd-test-common.h"
#include "pd-test-core.h"
#include "pd-test-gui.h"
#include "pd-test-mail.h"
#include "pd-training-printer.h"
#include "pd-window.h"

/* The member's flow on the real window, driven as a finger would (through the same actions
 * the buttons and keys take), against the real training core over HTTP. */

#define MARIA_ACCOUNT "400123456789"
#define MARIA_INVOICE "INV2026110042"

typedef struct {
  PdTestDir tmp;
  PdTestCore *core;
  PdTestMail *mail;
  PdConfig *config;
  PdTerminal *terminal;
  PdWindow *window;
  PdFlow *flow;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  g_autofree char *email = NULL;
  gboolean with_devices = g_strcmp0 (data, "devices") == 0;

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
  contents = g_strdup_printf ("[terminal]\ntraining = true\nmode = kiosk\n"
                              "[core]\nurl = %s\ntimeout-seconds = 5\n"
                              "[journal]\ndata-dir = state\n%s", fixture->core->url,
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

  fixture->window = pd_window_new (NULL, fixture->config, NULL);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1280, 800);
  gtk_window_present (GTK_WINDOW (fixture->window));
  pd_window_set_terminal (fixture->window, fixture->terminal);
  fixture->flow = pd_window_get_flow (fixture->window);
  g_assert_nonnull (fixture->flow);
  pd_test_gui_wait_until_drawn (GTK_WIDGET (fixture->window));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->terminal);
  g_clear_object (&fixture->config);
  g_clear_pointer (&fixture->core, pd_test_core_free);
  g_clear_pointer (&fixture->mail, pd_test_mail_free);
  pd_test_dir_tear_down (&fixture->tmp, data);
}

static GtkWidget *
visible_page (Fixture *fixture)
{
  return GTK_WIDGET (pd_flow_get_page (fixture->flow,
                                       pd_flow_get_visible_page_name (fixture->flow)));
}

/* The action a button or key would take; a disabled one does nothing, as the button then
 * cannot be pressed. */
static void
act (GtkWidget  *widget,
     const char *action,
     const char *target)
{
  if (target != NULL)
    gtk_widget_activate_action (widget, action, "s", target);
  else
    gtk_widget_activate_action (widget, action, NULL);
}

/* The main loop until the page's step (a lookup) has ended. */
static void
settle (Fixture *fixture)
{
  while (pd_flow_get_busy (fixture->flow))
    g_main_context_iteration (NULL, TRUE);
}

static void
go_next (Fixture *fixture)
{
  act (GTK_WIDGET (fixture->flow), "flow.next", NULL);
  settle (fixture);
}

/* Touches a field, then its characters on the kiosk's own keyboard. */
static void
type_into_named (Fixture    *fixture,
                 const char *name,
                 const char *text)
{
  GtkWidget *page = visible_page (fixture);
  GtkWidget *entry = pd_test_gui_find_by_name (page, name);
  GtkWidget *keyboard = pd_test_gui_find_by_type (page, PD_TYPE_KEYBOARD);

  g_assert_nonnull (entry);
  g_assert_nonnull (keyboard);
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  g_assert_true (gtk_widget_grab_focus (entry));
  for (const char *c = text; *c != '\0'; c++)
    {
      char key[2] = { *c, '\0' };

      act (keyboard, "keyboard.type", key);
    }
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, text);
}

static void
type_into (Fixture    *fixture,
           PdField     field,
           const char *text)
{
  type_into_named (fixture, pd_field_to_string (field), text);
}

static GtkWidget *
field_error (Fixture *fixture,
             PdField  field)
{
  GtkWidget *entry = pd_test_gui_find_by_name (visible_page (fixture), pd_field_to_string (field));
  GtkWidget *parent = gtk_widget_get_parent (entry);
  int column, row, width, height;

  /* The error sits right under its field. */
  gtk_grid_query_child (GTK_GRID (parent), entry, &column, &row, &width, &height);
  return gtk_grid_get_child_at (GTK_GRID (parent), column, row + 1);
}

static char *
page_text (Fixture *fixture)
{
  return pd_test_gui_visible_text (visible_page (fixture));
}

/* A name a screen reader can say: what the button shows (a label, or a label inside it),
 * or an accessible label (an icon-only key). */
static gboolean
control_is_named (GtkWidget *button)
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

  if (GTK_IS_BUTTON (root) && gtk_widget_get_sensitive (root) && !control_is_named (root))
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

static void
look_at (Fixture    *fixture,
         const char *picture)
{
  assert_controls_named (visible_page (fixture));
  pd_test_gui_save_screenshot (GTK_WINDOW (fixture->window), picture);
}

static void
start_with_invoice (Fixture *fixture)
{
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "attract");
  go_next (fixture);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "identify");
  look_at (fixture, "kiosk-identify-methods.png");
  act (visible_page (fixture), "identify.method", "invoice");
}

/* The check of names tells an icon-only button without a label from a named one. */
static void
test_names_checked (void)
{
  GtkWidget *unnamed = g_object_ref_sink (gtk_button_new_from_icon_name ("edit-clear-symbolic"));
  GtkWidget *named = g_object_ref_sink (gtk_button_new_with_label ("Erase"));

  g_assert_false (control_is_named (unnamed));
  g_assert_true (control_is_named (named));
  gtk_accessible_update_property (GTK_ACCESSIBLE (unnamed), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  "Erase", -1);
  g_assert_true (control_is_named (unnamed));
  g_object_unref (unnamed);
  g_object_unref (named);
}

/* The member's language, chosen on the attract page in its own name, is the visit's. */
static void
test_language_chosen (Fixture       *fixture,
                      gconstpointer  data)
{
  GtkWidget *attract = visible_page (fixture);
  g_autofree char *text = page_text (fixture);
  PdVisit *visit = pd_flow_get_visit (fixture->flow);

  look_at (fixture, "kiosk-attract.png");
  g_assert_nonnull (strstr (text, "Español"));
  g_assert_nonnull (strstr (text, "中文"));
  g_assert_nonnull (strstr (text, "This center does not accept cash."));
  g_assert_cmpstr (pd_visit_get_language (visit), ==, "en");

  act (attract, "attract.language", "es");
  settle (fixture);
  g_assert_cmpstr (pd_visit_get_language (visit), ==, "es");
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "identify");
  g_assert_cmpstr (pd_visit_get_parties (visit).language, ==, "es");
  g_assert_null (pd_visit_get_parties (visit).operator_id);

  /* Starting over is a new visit, in the terminal's language. */
  act (GTK_WIDGET (fixture->flow), "flow.restart", NULL);
  g_assert_cmpstr (pd_visit_get_language (visit), ==, "en");
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "attract");
}

/* What is wrong is said beside the field it is about, and nothing is looked up. */
static void
test_field_errors (Fixture       *fixture,
                   gconstpointer  data)
{
  GtkWidget *error;
  guint before;

  start_with_invoice (fixture);
  /* Nothing typed yet: the way on is not offered. */
  g_assert_false (pd_page_get_complete (PD_PAGE (visible_page (fixture))));

  type_into (fixture, PD_FIELD_INVOICE_ACCOUNT, "4001");
  type_into (fixture, PD_FIELD_INVOICE_NUMBER, MARIA_INVOICE);
  g_assert_true (pd_page_get_complete (PD_PAGE (visible_page (fixture))));
  before = pd_test_core_count_ledger (fixture->core);
  go_next (fixture);

  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "identify");
  error = field_error (fixture, PD_FIELD_INVOICE_ACCOUNT);
  g_assert_true (gtk_widget_get_visible (error));
  g_test_message ("%s", gtk_label_get_label (GTK_LABEL (error)));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (error)), !=, "");
  g_assert_false (gtk_widget_get_visible (field_error (fixture, PD_FIELD_INVOICE_NUMBER)));
  g_assert_cmpuint (pd_test_core_count_ledger (fixture->core), ==, before);
  look_at (fixture, "kiosk-identify-error.png");

  /* The member ID card's way: each field checked the same way. */
  act (visible_page (fixture), "identify.method", "member");
  type_into (fixture, PD_FIELD_MEMBER_ID, "12345678901");
  type_into (fixture, PD_FIELD_ZIP, "1000");
  type_into (fixture, PD_FIELD_DATE_OF_BIRTH, "07/04/1961");
  type_into (fixture, PD_FIELD_FIRST_NAME, "MARIA");
  type_into (fixture, PD_FIELD_LAST_NAME, "GONZALEZ");
  go_next (fixture);
  look_at (fixture, "kiosk-identify-member.png");
  g_assert_true (gtk_widget_get_visible (field_error (fixture, PD_FIELD_ZIP)));
  /* Everything fits a 1280x800 kiosk screen: the window did not have to grow. */
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), <=, 1280);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (fixture->window)), <=, 800);
  g_assert_false (gtk_widget_get_visible (field_error (fixture, PD_FIELD_MEMBER_ID)));
}

/* Not found says so; the third time, the kiosk sends the member to an associate. */
static void
test_not_found_then_help (Fixture       *fixture,
                          gconstpointer  data)
{
  PdVisit *visit = pd_flow_get_visit (fixture->flow);

  start_with_invoice (fixture);
  for (guint attempt = 1; attempt <= PD_VISIT_LOOKUPS_BEFORE_HELP; attempt++)
    {
      g_autofree char *text = NULL;

      type_into (fixture, PD_FIELD_INVOICE_ACCOUNT, "400999999999");
      type_into (fixture, PD_FIELD_INVOICE_NUMBER, MARIA_INVOICE);
      go_next (fixture);
      text = page_text (fixture);
      g_test_message ("attempt %u: %s", attempt, text);
      g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "identify");
      g_assert_cmpuint (pd_visit_get_failed_lookups (visit), ==, attempt);
      if (attempt < PD_VISIT_LOOKUPS_BEFORE_HELP)
        g_assert_nonnull (strstr (text, "We could not find an account"));
      else
        g_assert_nonnull (strstr (text, "ask an associate"));
    }
  look_at (fixture, "kiosk-identify-help.png");
}

static gboolean
text_has_member_data (const char *text)
{
  const char *member_data[] = { "MARIA", "Maria", "GONZALEZ", "Gonzalez", MARIA_ACCOUNT,
                                "6789", MARIA_INVOICE, "12345678901" };

  for (gsize i = 0; i < G_N_ELEMENTS (member_data); i++)
    if (strstr (text, member_data[i]) != NULL)
      {
        g_test_message ("still shown or held: %s", member_data[i]);
        return TRUE;
      }
  return FALSE;
}

/* Found by the invoice: the member's account as a card; each account is paid separately. */
static void
test_found_accounts (Fixture       *fixture,
                     gconstpointer  data)
{
  PdVisit *visit = pd_flow_get_visit (fixture->flow);
  g_autofree char *text = NULL;
  GtkWidget *card;

  start_with_invoice (fixture);
  type_into (fixture, PD_FIELD_INVOICE_ACCOUNT, MARIA_ACCOUNT);
  type_into (fixture, PD_FIELD_INVOICE_NUMBER, MARIA_INVOICE);
  look_at (fixture, "kiosk-identify-invoice.png");
  go_next (fixture);

  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "accounts");
  g_assert_true (pd_visit_has_member (visit));
  /* An invoice belongs to one account: the core answers with that one. */
  g_assert_cmpuint (g_list_model_get_n_items (pd_visit_get_accounts (visit)), ==, 1);
  text = page_text (fixture);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "Welcome, Maria"));
  g_assert_nonnull (strstr (text, "Essential Plan"));
  g_assert_nonnull (strstr (text, "Account ending in 6789"));
  g_assert_nonnull (strstr (text, "paid separately"));
  /* Never the whole account number on screen. */
  g_assert_null (strstr (text, MARIA_ACCOUNT));
  card = pd_test_gui_find_by_type (visible_page (fixture), PD_TYPE_ACCOUNT_CARD);
  g_assert_nonnull (card);
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (gtk_widget_get_first_child (card)),
                                   GTK_ACCESSIBLE_ROLE_BUTTON);
  look_at (fixture, "kiosk-accounts.png");
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1920, 1080);
  look_at (fixture, "kiosk-accounts-1920.png");
}

static void
find_maria (Fixture *fixture)
{
  start_with_invoice (fixture);
  type_into (fixture, PD_FIELD_INVOICE_ACCOUNT, MARIA_ACCOUNT);
  type_into (fixture, PD_FIELD_INVOICE_NUMBER, MARIA_INVOICE);
  go_next (fixture);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "accounts");
}

/* The balance, the minimum due, or another amount typed on the keypad; a refused amount
 * says why and is not kept. */
static void
test_amount (Fixture       *fixture,
             gconstpointer  data)
{
  PdVisit *visit = pd_flow_get_visit (fixture->flow);
  GtkWidget *page;
  g_autofree char *text = NULL;
  g_autofree char *refused = NULL;

  find_maria (fixture);
  g_assert_true (gtk_widget_activate_action (visible_page (fixture), "accounts.choose", "u", 0));
  settle (fixture);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "amount");
  page = visible_page (fixture);
  text = page_text (fixture);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "$150.00"));
  g_assert_nonnull (strstr (text, "$75.00"));
  g_assert_nonnull (strstr (text, "Essential Plan, account ending in 6789"));
  g_assert_false (pd_page_get_complete (PD_PAGE (page)));

  act (page, "amount.choose", "other");
  g_assert_false (pd_page_get_complete (PD_PAGE (page)));
  type_into_named (fixture, "amount", "200");
  go_next (fixture);
  refused = page_text (fixture);
  g_assert_nonnull (strstr (refused, "more than this account's balance ($150.00)"));
  g_assert_cmpint (pd_visit_get_amount (visit), ==, 0);
  look_at (fixture, "kiosk-amount-refused.png");

  type_into_named (fixture, "amount", "75.50");
  go_next (fixture);
  g_assert_cmpint (pd_visit_get_amount (visit), ==, 7550);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "tender");

  /* Back to change it: the balance this time. */
  act (GTK_WIDGET (fixture->flow), "flow.back", NULL);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "amount");
  act (page, "amount.choose", "balance");
  go_next (fixture);
  g_assert_cmpint (pd_visit_get_amount (visit), ==, 15000);
}

/* Card, check or bank account, never cash; a way whose device cannot be used is greyed
 * with the reason, never hidden. */
static void
test_tender (Fixture       *fixture,
             gconstpointer  data)
{
  PdVisit *visit = pd_flow_get_visit (fixture->flow);
  GtkWidget *page;
  GtkWidget *card_button;
  g_autofree char *text = NULL;
  PdTender tender;

  find_maria (fixture);
  g_assert_true (gtk_widget_activate_action (visible_page (fixture), "accounts.choose", "u", 0));
  settle (fixture);
  act (visible_page (fixture), "amount.choose", "minimum");
  go_next (fixture);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "tender");
  page = visible_page (fixture);
  card_button = pd_test_gui_find_by_name (page, "card_button");
  g_assert_nonnull (card_button);

  /* This kiosk has no card or check step yet: both said, not offered. */
  text = page_text (fixture);
  while (strstr (text, "Looking for the card reader") != NULL)
    {
      g_main_context_iteration (NULL, TRUE);
      g_free (text);
      text = page_text (fixture);
    }
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "We do not accept cash."));
  g_assert_nonnull (strstr (text, "You are paying $75.00 on your Essential Plan account."));
  g_assert_nonnull (strstr (text, "does not take checks yet"));
  g_assert_nonnull (strstr (text, "does not take cards yet"));
  g_assert_false (gtk_widget_get_sensitive (pd_test_gui_find_by_name (page, "check_button")));
  g_assert_false (gtk_widget_get_sensitive (card_button));
  g_assert_true (gtk_widget_get_sensitive (pd_test_gui_find_by_name (page, "bank_button")));
  look_at (fixture, "kiosk-tender.png");

  g_assert_false (pd_visit_get_tender (visit, &tender));
  act (page, "tender.choose", "bank");
  settle (fixture);
  g_assert_true (pd_visit_get_tender (visit, &tender));
  g_assert_cmpint (tender, ==, PD_TENDER_BANK);
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

/* A finger's strokes on the pad, through the pad's own gesture handlers. */
static void
sign (GtkWidget *pad)
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

/* A bank account payment end to end: the numbers checked as typed, the authorization
 * signed on screen, the payment taken by the training core once, its signature in the
 * journal; then the visit ends and no number stays on the screen. */
static void
test_bank_payment (Fixture       *fixture,
                   gconstpointer  data)
{
  PdVisit *visit = pd_flow_get_visit (fixture->flow);
  PdJournal *journal = pd_terminal_get_journal (fixture->terminal);
  GtkWidget *page;
  GtkWidget *pad;
  g_autofree char *text = NULL;
  g_autofree char *held = NULL;
  g_autoptr(PdSignature) recorded = NULL;
  g_autoptr(GError) error = NULL;
  PdPayment *payment;

  find_maria (fixture);
  g_assert_true (gtk_widget_activate_action (visible_page (fixture), "accounts.choose", "u", 0));
  settle (fixture);
  act (visible_page (fixture), "amount.choose", "minimum");
  go_next (fixture);
  act (visible_page (fixture), "tender.choose", "bank");
  settle (fixture);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "bank");
  page = visible_page (fixture);

  /* The routing number's check digit, said as soon as the ninth digit is typed. */
  type_into (fixture, PD_FIELD_ROUTING_NUMBER, "021000022");
  g_assert_true (gtk_widget_get_visible (field_error (fixture, PD_FIELD_ROUTING_NUMBER)));
  type_into (fixture, PD_FIELD_ROUTING_NUMBER, "021000021");
  g_assert_false (gtk_widget_get_visible (field_error (fixture, PD_FIELD_ROUTING_NUMBER)));
  type_into (fixture, PD_FIELD_ACCOUNT_HOLDER, "MARIA L GONZALEZ");
  type_into (fixture, PD_FIELD_BANK_ACCOUNT, "000123456789");
  type_into (fixture, PD_FIELD_BANK_ACCOUNT_AGAIN, "000123456788");
  act (page, "bank.type", "checking");
  look_at (fixture, "kiosk-bank.png");
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (fixture->window)), <=, 800);
  g_assert_nonnull (pd_test_gui_find_by_name (page, "check_picture"));
  go_next (fixture);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "bank");
  g_assert_true (gtk_widget_get_visible (field_error (fixture, PD_FIELD_BANK_ACCOUNT_AGAIN)));
  /* Typed, the account number is hidden: only the field being typed in shows it. */
  g_assert_false (gtk_entry_get_visibility (GTK_ENTRY (pd_test_gui_find_by_name (
    page, pd_field_to_string (PD_FIELD_BANK_ACCOUNT)))));
  type_into (fixture, PD_FIELD_BANK_ACCOUNT_AGAIN, "000123456789");
  go_next (fixture);

  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "authorize");
  page = visible_page (fixture);
  text = page_text (fixture);
  g_assert_nonnull (strstr (text, "$75.00 from your checking account ending in 6789"));
  g_assert_nonnull (strstr (text, "authorize"));
  /* No signature yet: "I authorize this payment" waits for one. */
  g_assert_false (pd_page_get_complete (PD_PAGE (page)));
  pad = pd_test_gui_find_by_type (page, PD_TYPE_SIGNATURE_PAD);
  sign (pad);
  g_assert_true (pd_signature_pad_is_signed (PD_SIGNATURE_PAD (pad)));
  g_assert_true (pd_page_get_complete (PD_PAGE (page)));
  look_at (fixture, "kiosk-authorize.png");
  go_next (fixture);

  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "result");
  look_at (fixture, "kiosk-result.png");
  g_clear_pointer (&text, g_free);
  text = page_text (fixture);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "Your payment was accepted"));
  g_assert_nonnull (strstr (text, "2 business days"));
  payment = pd_visit_get_payment (visit);
  g_assert_nonnull (payment);
  g_assert_cmpint (pd_payment_get_state (payment), ==, PD_PAYMENT_STATE_COMPLETED);
  g_assert_cmpint (pd_payment_get_amount (payment), ==, 7500);
  g_assert_cmpuint (pd_test_core_count_payments (fixture->core,
                                                 pd_payment_get_client_ref (payment)), ==, 1);
  /* The money is taken: neither Back nor Escape leads to taking it again. */
  act (GTK_WIDGET (fixture->flow), "flow.back", NULL);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "result");
  g_assert_true (pd_visit_get_payment (visit) == payment);
  recorded = pd_journal_get_signature (journal, pd_payment_get_id (payment), &error);
  g_assert_no_error (error);
  g_assert_nonnull (recorded);
  g_assert_false (pd_signature_is_blank (recorded));

  act (GTK_WIDGET (fixture->flow), "flow.restart", NULL);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "attract");
  g_assert_null (pd_visit_get_bank_account (visit));
  g_assert_null (pd_visit_get_payment (visit));
  held = pd_test_gui_all_text (GTK_WIDGET (fixture->window));
  g_assert_false (text_has_member_data (held));
  g_assert_null (strstr (held, "000123456789"));
  g_assert_null (strstr (held, "021000021"));
}

static void
pay_by_bank (Fixture *fixture)
{
  GtkWidget *page;

  find_maria (fixture);
  g_assert_true (gtk_widget_activate_action (visible_page (fixture), "accounts.choose", "u", 0));
  settle (fixture);
  act (visible_page (fixture), "amount.choose", "minimum");
  go_next (fixture);
  act (visible_page (fixture), "tender.choose", "bank");
  settle (fixture);
  page = visible_page (fixture);
  type_into (fixture, PD_FIELD_ROUTING_NUMBER, "021000021");
  type_into (fixture, PD_FIELD_ACCOUNT_HOLDER, "MARIA L GONZALEZ");
  type_into (fixture, PD_FIELD_BANK_ACCOUNT, "000123456789");
  type_into (fixture, PD_FIELD_BANK_ACCOUNT_AGAIN, "000123456789");
  act (page, "bank.type", "savings");
  go_next (fixture);
  sign (pd_test_gui_find_by_type (visible_page (fixture), PD_TYPE_SIGNATURE_PAD));
  go_next (fixture);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "result");
}

static void
wait_for_text (Fixture    *fixture,
               const char *wanted)
{
  g_autofree char *text = page_text (fixture);

  while (strstr (text, wanted) == NULL)
    {
      g_main_context_iteration (NULL, TRUE);
      g_free (text);
      text = page_text (fixture);
    }
}

/* The receipt printed on the training printer, then emailed through the training mail
 * server; a printer out of paper says so and offers the email. */
static void
test_receipt (Fixture       *fixture,
              gconstpointer  data)
{
  PdVisit *visit = pd_flow_get_visit (fixture->flow);
  g_autofree char *paper_out = NULL;
  g_autoptr(PdPrinter) printer = NULL;
  g_autoptr(GPtrArray) delivered = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *printed_image = NULL;
  GtkWidget *page;

  pay_by_bank (fixture);
  go_next (fixture);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "receipt");
  page = visible_page (fixture);
  look_at (fixture, "kiosk-receipt.png");

  printer = pd_peripherals_dup_printer (pd_terminal_get_peripherals (fixture->terminal), &error);
  g_assert_no_error (error);
  g_assert_true (PD_IS_TRAINING_PRINTER (printer));

  /* Out of paper: said, with the email offered. */
  paper_out = g_build_filename (pd_training_printer_get_output_directory (
                                  PD_TRAINING_PRINTER (printer)), "paper-out", NULL);
  g_assert_cmpint (g_mkdir_with_parents (pd_training_printer_get_output_directory (
                                           PD_TRAINING_PRINTER (printer)), 0700), ==, 0);
  pd_test_write_file (paper_out, "");
  act (page, "receipt.print", NULL);
  wait_for_text (fixture, "could not be printed");
  wait_for_text (fixture, "emailed");
  g_assert_null (pd_training_printer_dup_last_receipt (PD_TRAINING_PRINTER (printer)));
  g_assert_cmpint (g_unlink (paper_out), ==, 0);

  act (page, "receipt.print", NULL);
  wait_for_text (fixture, "Your receipt is printed");
  printed_image = pd_training_printer_dup_last_receipt (PD_TRAINING_PRINTER (printer));
  g_assert_nonnull (printed_image);

  /* A mistyped address, said beside the field; then the right one, delivered. */
  act (page, "receipt.ask-email", NULL);
  type_into_named (fixture, pd_field_to_string (PD_FIELD_EMAIL), "maria@example");
  act (page, "receipt.send-email", NULL);
  while (!gtk_widget_get_visible (field_error (fixture, PD_FIELD_EMAIL)))
    g_main_context_iteration (NULL, TRUE);
  type_into_named (fixture, pd_field_to_string (PD_FIELD_EMAIL), "maria@example.org");
  look_at (fixture, "kiosk-receipt-email.png");
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (fixture->window)), <=, 800);
  act (page, "receipt.send-email", NULL);
  wait_for_text (fixture, "Your receipt was emailed");
  delivered = pd_test_mail_list (fixture->mail);
  g_assert_cmpuint (delivered->len, ==, 1);
  {
    g_autoptr(PdTestMessage) message = pd_test_message_read (g_ptr_array_index (delivered, 0));
    const char *subject = pd_test_message_header (message, "subject");

    g_test_message ("%s", subject);
    g_assert_nonnull (strstr (subject, pd_payment_get_confirmation (pd_visit_get_payment (visit))));
  }

  act (GTK_WIDGET (fixture->flow), "flow.restart", NULL);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "attract");
  {
    g_autofree char *held = pd_test_gui_all_text (GTK_WIDGET (fixture->window));

    g_assert_null (strstr (held, "maria@example.org"));
  }
}

/* The member walks away after choosing an account: nothing of the visit stays in any
 * widget's text or entry, nor in the visit. */
static void
test_wipe (Fixture       *fixture,
           gconstpointer  data)
{
  PdVisit *visit = pd_flow_get_visit (fixture->flow);
  g_autofree char *held = NULL;

  start_with_invoice (fixture);
  type_into (fixture, PD_FIELD_INVOICE_ACCOUNT, MARIA_ACCOUNT);
  type_into (fixture, PD_FIELD_INVOICE_NUMBER, MARIA_INVOICE);
  go_next (fixture);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "accounts");
  g_assert_true (gtk_widget_activate_action (visible_page (fixture), "accounts.choose", "u", 0));
  settle (fixture);
  g_assert_nonnull (pd_visit_get_account (visit));
  /* The invoice due first is the one paid. */
  g_assert_cmpstr (pd_invoice_get_number (pd_visit_get_invoice (visit)), ==, "INV2026100042");

  /* The member walks away: the visit ends. */
  act (GTK_WIDGET (fixture->flow), "flow.restart", NULL);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "attract");
  g_assert_false (pd_visit_has_member (visit));
  g_assert_null (pd_visit_get_account (visit));
  g_assert_null (pd_visit_get_first_name (visit));
  g_assert_cmpuint (pd_visit_get_failed_lookups (visit), ==, 0);
  held = pd_test_gui_all_text (GTK_WIDGET (fixture->window));
  g_assert_false (text_has_member_data (held));
}

static void
wait_for_more_time_question (Fixture *fixture)
{
  while (!pd_flow_is_asking_more_time (fixture->flow))
    g_main_context_iteration (NULL, TRUE);
}

/* A member who stops touching the screen is asked whether they need more time: yes keeps
 * everything; no answer ends the visit and erases it. */
static void
test_idle_timeout (Fixture       *fixture,
                   gconstpointer  data)
{
  PdVisit *visit = pd_flow_get_visit (fixture->flow);
  GtkWidget *entry;
  g_autofree char *held = NULL;

  start_with_invoice (fixture);
  type_into (fixture, PD_FIELD_INVOICE_ACCOUNT, MARIA_ACCOUNT);
  pd_flow_set_idle_timeout (fixture->flow, 200, 800);

  wait_for_more_time_question (fixture);
  {
    /* GTK's own list of windows: borrowed. */
    GListModel *toplevels = gtk_window_get_toplevels ();
    g_autoptr(GtkWindow) dialog = NULL;

    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

        if (ADW_IS_MESSAGE_DIALOG (window))
          g_set_object (&dialog, window);
      }
    g_assert_nonnull (dialog);
    g_assert_true (gtk_window_get_transient_for (dialog) == GTK_WINDOW (fixture->window));
    g_assert_true (gtk_window_get_modal (dialog));
    pd_test_gui_save_screenshot (dialog, "kiosk-more-time.png");
  }
  act (GTK_WIDGET (fixture->flow), "flow.more-time", NULL);
  g_assert_false (pd_flow_is_asking_more_time (fixture->flow));
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "identify");
  entry = pd_test_gui_find_by_name (visible_page (fixture),
                                    pd_field_to_string (PD_FIELD_INVOICE_ACCOUNT));
  /* Nothing typed is lost by asking for more time. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, MARIA_ACCOUNT);

  /* Asked again, and this time nobody answers. */
  wait_for_more_time_question (fixture);
  while (g_strcmp0 (pd_flow_get_visible_page_name (fixture->flow), "attract") != 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (pd_flow_is_asking_more_time (fixture->flow));
  g_assert_false (pd_visit_has_member (visit));
  held = pd_test_gui_all_text (GTK_WIDGET (fixture->window));
  g_assert_false (text_has_member_data (held));
}

#define ADD(name, func) \
  g_test_add ("/kiosk/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int    argc,
      char **argv)
{
  pd_test_init_gui (&argc, &argv);

  if (!gtk_init_check ())
    {
      g_print ("1..0 # SKIP no display: run under xvfb-run (installed by ./run)\n");
      return 0;
    }
  adw_init ();
  /* A picture taken mid-crossfade shows two pages at once: the tests see the end state. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  {
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, "/org/paydesk/Paydesk/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

  g_test_add_func ("/kiosk/names-checked", test_names_checked);
  ADD ("language-chosen", test_language_chosen);
  ADD ("field-errors", test_field_errors);
  ADD ("not-found-then-help", test_not_found_then_help);
  ADD ("found-accounts", test_found_accounts);
  ADD ("amount", test_amount);
  ADD ("tender", test_tender);
  ADD ("bank-payment", test_bank_payment);
  g_test_add ("/kiosk/receipt", Fixture, "devices", fixture_set_up, test_receipt,
              fixture_tear_down);
  ADD ("wipe", test_wipe);
  ADD ("idle-timeout", test_idle_timeout);

  return g_test_run ();
}
