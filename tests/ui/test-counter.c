#include <string.h>

#include "pd-coupon.h"
#include "pd-devices-page.h"
#include "pd-end-of-day-page.h"
#include "pd-outbox-page.h"
#include "pd-payments-page.h"
#include "pd-pin-pad.h"
#include "pd-receipt-layout.h"
#include "pd-sign-in-page.h"
#include "pd-test-kiosk.h"
#include "pd-training-devices.h"

/* The counter's real window on a training terminal against the training core: an associate
 * signs in with the PIN pad, is locked out, locks and signs out, and takes a member's
 * payment, everything in the audit log. */

typedef PdTestKiosk Fixture;

static PdCounter *
counter (Fixture *fixture)
{
  PdCounter *counter = pd_window_get_counter (fixture->window);

  g_assert_nonnull (counter);
  return counter;
}

static GtkWidget *
sign_in_page (Fixture *fixture)
{
  GtkWidget *page = pd_test_gui_find_by_type (GTK_WIDGET (counter (fixture)),
                                              PD_TYPE_SIGN_IN_PAGE);

  g_assert_nonnull (page);
  return page;
}

static GtkWidget *
pin_pad (Fixture *fixture)
{
  return pd_test_gui_find_by_type (sign_in_page (fixture), PD_TYPE_PIN_PAD);
}

static gboolean
sign_in_shown (Fixture *fixture)
{
  return gtk_widget_get_mapped (sign_in_page (fixture));
}

/* The associates are read on a worker once the terminal is open. */
static void
wait_for_associate (Fixture    *fixture,
                    const char *id)
{
  while (pd_test_gui_find_by_name (sign_in_page (fixture), id) == NULL)
    g_main_context_iteration (NULL, TRUE);
}

static void
press_digits (Fixture    *fixture,
              const char *digits)
{
  for (const char *d = digits; *d != '\0'; d++)
    {
      char digit[2] = { *d, '\0' };

      pd_test_kiosk_act (pin_pad (fixture), "pin-pad.digit", digit);
    }
}

static char *
message (Fixture *fixture)
{
  GtkWidget *label = pd_test_gui_find_by_name (sign_in_page (fixture), "sign_in_message");

  return g_strdup (gtk_widget_get_visible (label) ? gtk_label_get_label (GTK_LABEL (label)) : "");
}

/* The PIN is checked on a worker: the main loop turns until the page has its answer. */
static void
submit (Fixture *fixture)
{
  g_autofree char *before = message (fixture);

  pd_test_kiosk_act (sign_in_page (fixture), "sign-in.submit", NULL);
  while (!gtk_widget_is_sensitive (pd_test_gui_find_by_name (sign_in_page (fixture),
                                                             "sign_in_button")) &&
         sign_in_shown (fixture) && pd_counter_get_associate (counter (fixture)) == NULL)
    {
      g_autofree char *now = message (fixture);

      if (*now != '\0' && g_strcmp0 (now, before) != 0)
        break;
      g_main_context_iteration (NULL, TRUE);
    }
  pd_test_gui_wait_until_drawn (GTK_WIDGET (fixture->window));
}

static void
sign_in (Fixture    *fixture,
         const char *id,
         const char *pin)
{
  wait_for_associate (fixture, id);
  pd_test_kiosk_act (sign_in_page (fixture), "sign-in.choose", id);
  press_digits (fixture, pin);
  submit (fixture);
  while (pd_counter_get_associate (counter (fixture)) == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (pd_counter_get_associate (counter (fixture))->id, ==, id);
}

static GPtrArray *
audit (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *events = pd_journal_list_audit (pd_terminal_get_journal (fixture->terminal), NULL,
                                             NULL, &error);

  g_assert_no_error (error);
  return events;
}

static guint
count_audit (Fixture     *fixture,
             PdAuditKind  kind,
             const char  *associate_id)
{
  g_autoptr(GPtrArray) events = audit (fixture);
  guint n = 0;

  for (guint i = 0; i < events->len; i++)
    {
      PdAuditEvent *event = g_ptr_array_index (events, i);

      n += event->kind == kind && g_strcmp0 (event->associate_id, associate_id) == 0;
    }
  return n;
}

/* The audit log is written on a worker: the main loop turns until the event is there. */
static void
wait_for_audit (Fixture     *fixture,
                PdAuditKind  kind,
                const char  *associate_id,
                guint        count)
{
  while (count_audit (fixture, kind, associate_id) < count)
    g_main_context_iteration (NULL, FALSE);
}

static void
test_sign_in (Fixture       *fixture,
              gconstpointer  data)
{
  GtkWidget *dots;
  g_autofree char *text = NULL;

  g_assert_true (sign_in_shown (fixture));
  /* Nothing of the member's flow is reachable before signing in. */
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (fixture->flow)));
  wait_for_associate (fixture, PD_TRAINING_ASSOCIATE_ID);
  g_assert_nonnull (pd_test_gui_find_by_name (sign_in_page (fixture), PD_TRAINING_SUPERVISOR_ID));
  g_assert_false (gtk_widget_is_sensitive (pd_test_gui_find_by_name (sign_in_page (fixture),
                                                                     "sign_in_button")));

  pd_test_kiosk_act (sign_in_page (fixture), "sign-in.choose", PD_TRAINING_ASSOCIATE_ID);
  press_digits (fixture, "246");
  /* The digits are dots, never digits. */
  dots = pd_test_gui_find_by_name (sign_in_page (fixture), "pin_dots");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (dots)), ==, "● ● ●");
  pd_test_gui_wait_until_drawn (GTK_WIDGET (fixture->window));
  pd_test_kiosk_look_at_window (fixture, "counter-sign-in.png");
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1920, 1080);
  pd_test_gui_wait_until_drawn (GTK_WIDGET (fixture->window));
  pd_test_kiosk_look_at_window (fixture, "counter-sign-in-1920.png");
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1280, 800);
  pd_test_gui_wait_until_drawn (GTK_WIDGET (fixture->window));
  text = pd_test_gui_visible_text (GTK_WIDGET (fixture->window));
  g_assert_nonnull (strstr (text, "Alex Trainee, enter your PIN."));
  g_assert_false (gtk_widget_is_sensitive (pd_test_gui_find_by_name (sign_in_page (fixture),
                                                                     "sign_in_button")));
  press_digits (fixture, "8");
  submit (fixture);

  while (pd_counter_get_associate (counter (fixture)) == NULL)
    g_main_context_iteration (NULL, TRUE);
  pd_test_gui_wait_until_drawn (GTK_WIDGET (fixture->window));
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "identify");
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (fixture->flow)));
  g_clear_pointer (&text, g_free);
  text = pd_test_gui_visible_text (GTK_WIDGET (fixture->window));
  g_assert_nonnull (strstr (text, "Alex Trainee · Associate"));
  pd_test_kiosk_look_at_window (fixture, "counter-identify.png");
  /* The pad forgot the digits as soon as they were sent. */
  g_assert_cmpuint (pd_pin_pad_get_length (PD_PIN_PAD (pin_pad (fixture))), ==, 0);
  g_assert_cmpstr (pd_visit_get_operator_id (pd_flow_get_visit (fixture->flow)), ==,
                   PD_TRAINING_ASSOCIATE_ID);
  wait_for_audit (fixture, PD_AUDIT_SIGN_IN, PD_TRAINING_ASSOCIATE_ID, 1);
}

/* From a keyboard: digits, Backspace and Enter on the page. */
static void
test_keyboard (Fixture       *fixture,
               gconstpointer  data)
{
  GtkWidget *page = sign_in_page (fixture);
  GtkWidget *pad = pin_pad (fixture);
  GtkEventController *keys = NULL;
  GListModel *controllers = gtk_widget_observe_controllers (page);
  const guint typed[] = { GDK_KEY_1, GDK_KEY_3, GDK_KEY_9, GDK_KEY_BackSpace, GDK_KEY_5,
                          GDK_KEY_7 };

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && keys == NULL; i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller))
        keys = controller;
    }
  g_object_unref (controllers);
  g_assert_nonnull (keys);

  wait_for_associate (fixture, PD_TRAINING_SUPERVISOR_ID);
  pd_test_kiosk_act (page, "sign-in.choose", PD_TRAINING_SUPERVISOR_ID);
  for (guint i = 0; i < G_N_ELEMENTS (typed); i++)
    {
      gboolean handled = FALSE;

      g_signal_emit_by_name (keys, "key-pressed", typed[i], 0, 0, &handled);
      g_assert_true (handled);
    }
  g_assert_cmpstr (pd_pin_pad_get_pin (PD_PIN_PAD (pad)), ==, PD_TRAINING_SUPERVISOR_PIN);
  {
    gboolean handled = FALSE;

    g_signal_emit_by_name (keys, "key-pressed", GDK_KEY_Return, 0, 0, &handled);
    g_assert_true (handled);
  }
  while (pd_counter_get_associate (counter (fixture)) == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (pd_counter_get_associate (counter (fixture))->role, ==, PD_ROLE_SUPERVISOR);
}

static void
test_wrong_pin_and_lockout (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *text = NULL;

  wait_for_associate (fixture, PD_TRAINING_ASSOCIATE_ID);
  pd_test_kiosk_act (sign_in_page (fixture), "sign-in.choose", PD_TRAINING_ASSOCIATE_ID);
  for (int i = 1; i < PD_PIN_MAX_ATTEMPTS; i++)
    {
      g_autofree char *said = NULL;
      g_autofree char *left = g_strdup_printf ("%d more wrong PIN", PD_PIN_MAX_ATTEMPTS - i);

      press_digits (fixture, "9090");
      submit (fixture);
      said = message (fixture);
      g_assert_nonnull (strstr (said, left));
      g_assert_null (pd_counter_get_associate (counter (fixture)));
    }
  press_digits (fixture, "9090");
  submit (fixture);
  text = message (fixture);
  g_assert_nonnull (strstr (text, "locked out"));
  /* The list says so too, once read again. */
  while (TRUE)
    {
      g_autofree char *shown = pd_test_gui_visible_text (sign_in_page (fixture));

      if (strstr (shown, "locked out\n") != NULL || g_str_has_suffix (shown, "locked out"))
        break;
      g_main_context_iteration (NULL, TRUE);
    }
  pd_test_kiosk_look_at_window (fixture, "counter-locked-out.png");
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), <=, 1280);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (fixture->window)), <=, 800);

  /* Even the right PIN does not open a lockout. */
  pd_test_kiosk_act (sign_in_page (fixture), "sign-in.choose", PD_TRAINING_ASSOCIATE_ID);
  press_digits (fixture, PD_TRAINING_ASSOCIATE_PIN);
  submit (fixture);
  g_clear_pointer (&text, g_free);
  text = message (fixture);
  g_assert_nonnull (strstr (text, "Alex Trainee is locked out"));
  g_assert_null (pd_counter_get_associate (counter (fixture)));
  g_assert_cmpuint (count_audit (fixture, PD_AUDIT_LOCKOUT, PD_TRAINING_ASSOCIATE_ID), ==, 1);
  g_assert_cmpuint (count_audit (fixture, PD_AUDIT_SIGN_IN_FAILED, PD_TRAINING_ASSOCIATE_ID), ==,
                    PD_PIN_MAX_ATTEMPTS + 1);

  /* A supervisor unlocks them on the spot: only supervisors are offered meanwhile. */
  g_assert_true (gtk_widget_get_visible (pd_test_gui_find_by_name (sign_in_page (fixture),
                                                                   "unlock_button")));
  pd_test_kiosk_act (sign_in_page (fixture), "sign-in.start-unlock", NULL);
  g_assert_null (pd_test_gui_find_by_name (sign_in_page (fixture), PD_TRAINING_ASSOCIATE_ID));
  pd_test_kiosk_act (sign_in_page (fixture), "sign-in.choose", PD_TRAINING_SUPERVISOR_ID);
  press_digits (fixture, PD_TRAINING_ASSOCIATE_PIN);
  submit (fixture);
  g_clear_pointer (&text, g_free);
  text = message (fixture);
  g_assert_nonnull (strstr (text, "PIN is not right"));
  press_digits (fixture, PD_TRAINING_SUPERVISOR_PIN);
  submit (fixture);
  g_clear_pointer (&text, g_free);
  text = message (fixture);
  g_assert_nonnull (strstr (text, "A100 may sign in again."));
  g_assert_cmpuint (count_audit (fixture, PD_AUDIT_UNLOCK, PD_TRAINING_SUPERVISOR_ID), ==, 1);
  sign_in (fixture, PD_TRAINING_ASSOCIATE_ID, PD_TRAINING_ASSOCIATE_PIN);
}

/* Left alone, the counter locks; the member's visit waits for the same associate, and is
 * wiped when another one signs in. */
static void
test_auto_lock (Fixture       *fixture,
                gconstpointer  data)
{
  GtkWidget *field;

  sign_in (fixture, PD_TRAINING_ASSOCIATE_ID, PD_TRAINING_ASSOCIATE_PIN);
  pd_test_kiosk_act (pd_test_kiosk_page (fixture), "identify.method", "invoice");
  pd_test_kiosk_type (fixture, PD_FIELD_INVOICE_ACCOUNT, PD_TEST_MARIA_ACCOUNT);
  pd_counter_set_lock_timeout (counter (fixture), 150);
  while (!sign_in_shown (fixture))
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (pd_counter_get_associate (counter (fixture)));
  g_assert_null (pd_visit_get_operator_id (pd_flow_get_visit (fixture->flow)));
  {
    g_autofree char *said = message (fixture);

    g_assert_nonnull (strstr (said, "The counter locked after"));
  }
  wait_for_audit (fixture, PD_AUDIT_AUTO_LOCK, PD_TRAINING_ASSOCIATE_ID, 1);
  pd_test_kiosk_look_at_window (fixture, "counter-auto-locked.png");

  /* The same associate: the member's account number is still there. */
  pd_counter_set_lock_timeout (counter (fixture), 0);
  press_digits (fixture, PD_TRAINING_ASSOCIATE_PIN);
  submit (fixture);
  while (pd_counter_get_associate (counter (fixture)) == NULL)
    g_main_context_iteration (NULL, TRUE);
  field = pd_test_gui_find_by_name (pd_test_kiosk_page (fixture),
                                    pd_field_to_string (PD_FIELD_INVOICE_ACCOUNT));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (field)), ==, PD_TEST_MARIA_ACCOUNT);

  /* Locked by hand, and another associate signs in: nothing of that member is left. */
  pd_test_kiosk_act (GTK_WIDGET (counter (fixture)), "counter.lock", NULL);
  g_assert_true (sign_in_shown (fixture));
  wait_for_audit (fixture, PD_AUDIT_LOCK, PD_TRAINING_ASSOCIATE_ID, 1);
  sign_in (fixture, PD_TRAINING_SUPERVISOR_ID, PD_TRAINING_SUPERVISOR_PIN);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "identify");
  {
    g_autofree char *held = pd_test_gui_all_text (GTK_WIDGET (fixture->flow));

    g_assert_null (strstr (held, PD_TEST_MARIA_ACCOUNT));
  }
}

static void
test_sign_out (Fixture       *fixture,
               gconstpointer  data)
{
  sign_in (fixture, PD_TRAINING_ASSOCIATE_ID, PD_TRAINING_ASSOCIATE_PIN);
  pd_test_kiosk_act (GTK_WIDGET (counter (fixture)), "counter.sign-out", NULL);
  g_assert_true (sign_in_shown (fixture));
  g_assert_null (pd_counter_get_associate (counter (fixture)));
  /* Signed out, the counter's actions are not there to be taken. */
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (counter (fixture)), "counter.lock",
                                              NULL) &&
                  pd_counter_get_associate (counter (fixture)) != NULL);
  wait_for_audit (fixture, PD_AUDIT_SIGN_OUT, PD_TRAINING_ASSOCIATE_ID, 1);
  g_assert_cmpuint (count_audit (fixture, PD_AUDIT_LOCK, PD_TRAINING_ASSOCIATE_ID), ==, 0);
}

/* A member's bank payment taken by the associate: the payment names them, and the audit
 * log says they took it. */
static void
test_payment_for_member (Fixture       *fixture,
                         gconstpointer  data)
{
  PdPayment *payment;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(PdPayment) journaled = NULL;
  g_autoptr(GError) error = NULL;
  PdAuditEvent *taken = NULL;

  sign_in (fixture, PD_TRAINING_ASSOCIATE_ID, PD_TRAINING_ASSOCIATE_PIN);
  pd_test_kiosk_reach_tender (fixture, "minimum");
  pd_test_kiosk_act (pd_test_kiosk_page (fixture), "tender.choose", "bank");
  pd_test_kiosk_settle (fixture);
  pd_test_kiosk_pay_by_bank (fixture);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "result");
  pd_test_kiosk_look_at_window (fixture, "counter-result.png");
  payment = pd_visit_get_payment (pd_flow_get_visit (fixture->flow));
  g_assert_nonnull (payment);
  g_assert_cmpstr (pd_payment_get_operator_id (payment), ==, PD_TRAINING_ASSOCIATE_ID);
  journaled = pd_journal_get_payment (pd_terminal_get_journal (fixture->terminal),
                                      pd_payment_get_id (payment), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pd_payment_get_operator_id (journaled), ==, PD_TRAINING_ASSOCIATE_ID);

  /* The receipt names the associate. */
  {
    g_autoptr(PdReceipt) receipt = pd_receipt_new_from_journal (
      pd_terminal_get_journal (fixture->terminal), fixture->config, pd_payment_get_id (payment),
      &error);
    g_autoptr(PdReceiptLayout) layout = NULL;
    g_autofree char *text = NULL;

    g_assert_no_error (error);
    layout = pd_receipt_layout_new (receipt, NULL);
    text = pd_receipt_layout_dup_text (layout);
    g_assert_nonnull (strstr (text, "Alex Trainee (A100)"));
  }

  wait_for_audit (fixture, PD_AUDIT_PAYMENT_TAKEN, PD_TRAINING_ASSOCIATE_ID, 1);
  events = audit (fixture);
  for (guint i = 0; i < events->len; i++)
    {
      PdAuditEvent *event = g_ptr_array_index (events, i);

      if (event->kind == PD_AUDIT_PAYMENT_TAKEN)
        taken = event;
    }
  g_assert_nonnull (taken);
  if (taken == NULL)
    return;
  g_assert_cmpstr (taken->payment_id, ==, pd_payment_get_id (payment));
  g_assert_nonnull (strstr (taken->detail, pd_payment_get_client_ref (payment)));
  /* The member's bank account is nowhere in the audit log. */
  g_assert_null (strstr (taken->detail, "123456789"));

  /* "New member": the next visit starts again on the identify page, still signed in. */
  pd_test_kiosk_act (GTK_WIDGET (counter (fixture)), "counter.new-visit", NULL);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "identify");
  g_assert_nonnull (pd_counter_get_associate (counter (fixture)));
}

static GtkWidget *
payments_page (Fixture *fixture)
{
  GtkWidget *page = pd_test_gui_find_by_type (GTK_WIDGET (counter (fixture)),
                                              PD_TYPE_PAYMENTS_PAGE);

  g_assert_nonnull (page);
  return page;
}

static char *
payments_message (Fixture *fixture)
{
  GtkWidget *label = pd_test_gui_find_by_name (payments_page (fixture), "payments_message");

  return g_strdup (gtk_widget_get_visible (label) ? gtk_label_get_label (GTK_LABEL (label)) : "");
}

/* Turns the main loop until the payments page says something with needle in it. */
static void
wait_for_payments_message (Fixture    *fixture,
                           const char *needle)
{
  while (TRUE)
    {
      g_autofree char *said = payments_message (fixture);

      if (strstr (said, needle) != NULL)
        return;
      g_main_context_iteration (NULL, TRUE);
    }
}

/* A bank payment through the counter's flow, for the day's payments to show: completed, or
 * queued when the core goes down once the member is found. */
static PdPayment *
take_bank_payment_in_state (Fixture        *fixture,
                            PdPaymentState  state)
{
  PdPayment *payment;

  pd_test_kiosk_reach_tender (fixture, "minimum");
  pd_test_kiosk_act (pd_test_kiosk_page (fixture), "tender.choose", "bank");
  pd_test_kiosk_settle (fixture);
  if (state == PD_PAYMENT_STATE_QUEUED)
    pd_test_core_stop (fixture->core);
  pd_test_kiosk_pay_by_bank (fixture);
  payment = pd_visit_get_payment (pd_flow_get_visit (fixture->flow));
  g_assert_nonnull (payment);
  g_assert_cmpint (pd_payment_get_state (payment), ==, state);
  return g_object_ref (payment);
}

static PdPayment *
take_bank_payment (Fixture *fixture)
{
  return take_bank_payment_in_state (fixture, PD_PAYMENT_STATE_COMPLETED);
}

static void
show_payment (Fixture    *fixture,
              PdPayment  *payment)
{
  GtkWidget *page = payments_page (fixture);

  pd_test_kiosk_act (GTK_WIDGET (counter (fixture)), "counter.show", "payments");
  while (pd_test_gui_find_by_name (page, pd_payment_get_id (payment)) == NULL)
    g_main_context_iteration (NULL, TRUE);
  pd_test_kiosk_act (page, "payments.choose", pd_payment_get_id (payment));
  /* The receipt is read on a worker. */
  while (strstr (gtk_label_get_label (GTK_LABEL (pd_test_gui_find_by_name (page,
                                                                           "receipt_preview"))),
                 pd_payment_get_client_ref (payment)) == NULL)
    g_main_context_iteration (NULL, TRUE);
}

static const char *
ledger_status (Fixture    *fixture,
               PdPayment  *payment)
{
  JsonObject *record = pd_test_core_find_payment (fixture->core,
                                                  pd_payment_get_client_ref (payment));

  g_assert_nonnull (record);
  return json_object_get_string_member (record, "status");
}

/* An associate voids a payment: refused without a supervisor, refused with a wrong PIN,
 * done with the supervisor's; the core's ledger and the audit log say so, with both names. */
static void
test_void_with_override (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(PdPayment) payment = NULL;
  GtkWidget *page;
  GtkWidget *pad;
  g_autoptr(GPtrArray) events = NULL;
  PdAuditEvent *override = NULL, *voided = NULL;
  g_autofree char *search_text = NULL;

  sign_in (fixture, PD_TRAINING_ASSOCIATE_ID, PD_TRAINING_ASSOCIATE_PIN);
  payment = take_bank_payment (fixture);
  show_payment (fixture, payment);
  page = payments_page (fixture);
  pd_test_kiosk_look_at_window (fixture, "counter-payments.png");

  /* Found by the member's name too. */
  gtk_editable_set_text (GTK_EDITABLE (pd_test_gui_find_by_name (page, "payments_search")),
                         "gonzalez");
  pd_payments_page_refresh (PD_PAYMENTS_PAGE (page));
  while (TRUE)
    {
      g_autofree char *count = pd_test_gui_visible_text (page);

      if (strstr (count, "1 payment\n") != NULL)
        break;
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_nonnull (pd_test_gui_find_by_name (page, pd_payment_get_id (payment)));

  pd_test_kiosk_act (page, "payments.start-void", NULL);
  /* Nothing to confirm without a reason and a supervisor's PIN. */
  pd_test_kiosk_act (page, "payments.confirm-undo", NULL);
  g_assert_cmpstr (ledger_status (fixture, payment), ==, "accepted");
  pd_test_kiosk_act (page, "payments.reason", "wrong-amount");
  pd_test_kiosk_act (page, "payments.supervisor", PD_TRAINING_SUPERVISOR_ID);
  pad = pd_test_gui_find_by_name (page, "supervisor_pin_pad");
  for (const char *d = "9090"; *d != '\0'; d++)
    {
      char digit[2] = { *d, '\0' };

      pd_test_kiosk_act (pad, "pin-pad.digit", digit);
    }
  pd_test_gui_wait_until_drawn (GTK_WIDGET (fixture->window));
  pd_test_kiosk_look_at_window (fixture, "counter-void.png");
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1920, 1080);
  pd_test_gui_wait_until_drawn (GTK_WIDGET (fixture->window));
  pd_test_kiosk_look_at_window (fixture, "counter-void-1920.png");
  pd_test_kiosk_act (page, "payments.confirm-undo", NULL);
  wait_for_payments_message (fixture, "PIN is not right");
  g_assert_cmpstr (ledger_status (fixture, payment), ==, "accepted");

  for (const char *d = PD_TRAINING_SUPERVISOR_PIN; *d != '\0'; d++)
    {
      char digit[2] = { *d, '\0' };

      pd_test_kiosk_act (pad, "pin-pad.digit", digit);
    }
  pd_test_kiosk_act (page, "payments.confirm-undo", NULL);
  wait_for_payments_message (fixture, "is voided");
  g_assert_cmpstr (ledger_status (fixture, payment), ==, "voided");

  events = audit (fixture);
  for (guint i = 0; i < events->len; i++)
    {
      PdAuditEvent *event = g_ptr_array_index (events, i);

      if (event->kind == PD_AUDIT_OVERRIDE)
        override = event;
      if (event->kind == PD_AUDIT_VOID)
        voided = event;
    }
  g_assert_nonnull (override);
  g_assert_nonnull (voided);
  if (override == NULL || voided == NULL)
    return;
  g_assert_cmpstr (override->associate_id, ==, PD_TRAINING_ASSOCIATE_ID);
  g_assert_cmpstr (override->approver_id, ==, PD_TRAINING_SUPERVISOR_ID);
  g_assert_cmpstr (voided->approver_id, ==, PD_TRAINING_SUPERVISOR_ID);
  g_assert_cmpstr (voided->payment_id, ==, pd_payment_get_id (payment));
  g_assert_nonnull (strstr (voided->detail, "wrong-amount"));
  g_assert_cmpuint (count_audit (fixture, PD_AUDIT_OVERRIDE_REFUSED, PD_TRAINING_ASSOCIATE_ID),
                    ==, 1);
  /* Voided, it cannot be voided or refunded again. */
  pd_test_kiosk_act (page, "payments.start-refund", NULL);
  g_assert_false (gtk_widget_is_visible (pd_test_gui_find_by_name (page, "confirm_undo")));
}

/* A supervisor refunds alone, with a reason of their own words; printing again makes a
 * DUPLICATE on the training printer. */
static void
test_refund_and_reprint (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(PdPayment) payment = NULL;
  GtkWidget *page;
  PdJournal *journal = pd_terminal_get_journal (fixture->terminal);
  g_autoptr(GError) error = NULL;

  sign_in (fixture, PD_TRAINING_SUPERVISOR_ID, PD_TRAINING_SUPERVISOR_PIN);
  payment = take_bank_payment (fixture);
  show_payment (fixture, payment);
  page = payments_page (fixture);

  pd_test_kiosk_act (page, "payments.reprint", NULL);
  wait_for_payments_message (fixture, "DUPLICATE");
  g_assert_cmpint (pd_journal_count_receipt_copies (journal, pd_payment_get_id (payment),
                                                    PD_RECEIPT_FORMAT_ESCPOS, &error), >=, 1);
  g_assert_no_error (error);
  wait_for_audit (fixture, PD_AUDIT_REPRINT, PD_TRAINING_SUPERVISOR_ID, 1);

  pd_test_kiosk_act (page, "payments.start-refund", NULL);
  /* A supervisor is not asked for anyone's PIN. */
  g_assert_false (gtk_widget_is_visible (pd_test_gui_find_by_name (page, "supervisor_pin_pad")));
  pd_test_kiosk_act (page, "payments.reason", "other");
  pd_test_kiosk_act (page, "payments.confirm-undo", NULL);
  wait_for_payments_message (fixture, "other reason");
  gtk_editable_set_text (GTK_EDITABLE (pd_test_gui_find_by_name (page, "undo_note")),
                         "Member paid at the bank the same day");
  pd_test_kiosk_act (page, "payments.confirm-undo", NULL);
  wait_for_payments_message (fixture, "is refunded");
  g_assert_cmpstr (ledger_status (fixture, payment), ==, "refunded");
  g_assert_cmpuint (count_audit (fixture, PD_AUDIT_REFUND, PD_TRAINING_SUPERVISOR_ID), ==, 1);
  g_assert_cmpuint (count_audit (fixture, PD_AUDIT_OVERRIDE, PD_TRAINING_SUPERVISOR_ID), ==, 0);
}

/* A payment the core has for this terminal and its journal does not: another journal under
 * the same terminal's name, as a restored or replaced terminal would leave. */
static void
pay_from_another_journal (Fixture *fixture)
{
  g_autofree char *path = g_build_filename (fixture->tmp.dir, "other.conf", NULL);
  g_autofree char *contents = g_strdup_printf ("[terminal]\ntraining = true\nmode = counter\n"
                                               "[core]\nurl = %s\n"
                                               "[journal]\ndata-dir = other-state\n",
                                               fixture->core->url);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdConfig) config = NULL;
  g_autoptr(PdTerminal) other = NULL;
  g_autoptr(PdAccount) account = NULL;
  g_autoptr(PdBankAccount) bank = NULL;
  g_autoptr(PdPayment) payment = NULL;

  pd_test_write_file (path, contents);
  config = pd_config_load_file (path, &error);
  g_assert_no_error (error);
  other = pd_terminal_new (config, PD_TERMINAL_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  account = pd_payment_service_get_account (pd_terminal_get_payment_service (other),
                                            PD_TEST_MARIA_ACCOUNT, NULL, &error);
  g_assert_no_error (error);
  bank = pd_bank_account_new ("021000021", "000123456789", "checking", "Maria L Gonzalez",
                              &error);
  g_assert_no_error (error);
  payment = pd_payment_service_pay_bank (pd_terminal_get_payment_service (other), account, NULL,
                                         4000, bank, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_payment_get_state (payment), ==, PD_PAYMENT_STATE_COMPLETED);
}

/* The day closed with a difference injected at the core: highlighted, explained, printed on
 * the training printer and kept as a PDF, and in the audit log. */
static void
test_end_of_day (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(PdPayment) payment = NULL;
  GtkWidget *page;
  GtkWidget *result;
  g_autofree char *text = NULL;
  g_autofree char *pdf = NULL;
  const char *kept;

  sign_in (fixture, PD_TRAINING_ASSOCIATE_ID, PD_TRAINING_ASSOCIATE_PIN);
  payment = take_bank_payment (fixture);
  pay_from_another_journal (fixture);
  pd_test_kiosk_act (GTK_WIDGET (counter (fixture)), "counter.show", "end-of-day");
  page = pd_test_gui_find_by_type (GTK_WIDGET (counter (fixture)), PD_TYPE_END_OF_DAY_PAGE);
  g_assert_nonnull (page);
  result = pd_test_gui_find_by_name (page, "end_of_day_kept");
  pd_test_kiosk_act (page, "end-of-day.close", NULL);
  while (*gtk_label_get_label (GTK_LABEL (result)) == '\0')
    g_main_context_iteration (NULL, TRUE);
  pd_test_gui_wait_until_drawn (GTK_WIDGET (fixture->window));
  pd_test_kiosk_look_at_window (fixture, "counter-end-of-day.png");

  text = pd_test_gui_visible_text (page);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "One difference with the payment core."));
  g_assert_nonnull (strstr (text, "The payment core counts 1 more payment for this terminal"));
  g_assert_nonnull (strstr (text, "1 payment, $75.00"));
  g_assert_nonnull (strstr (text, "2 payments, $115.00"));
  g_assert_true (gtk_widget_has_css_class (pd_test_gui_find_by_name (page, "report_explanation"),
                                           "report-difference"));
  kept = gtk_label_get_label (GTK_LABEL (result));
  g_assert_true (g_str_has_prefix (kept, "Printed on the receipt printer"));
  pdf = g_strndup (strstr (kept, "kept as ") + strlen ("kept as "),
                   strlen (strstr (kept, "kept as ") + strlen ("kept as ")) - 1);
  g_assert_true (g_str_has_suffix (pdf, ".pdf"));
  g_assert_true (g_file_test (pdf, G_FILE_TEST_IS_REGULAR));
  wait_for_audit (fixture, PD_AUDIT_END_OF_DAY, PD_TRAINING_ASSOCIATE_ID, 1);
}

static void
paper_set (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (pd_training_devices_set_paper_out_finish (PD_TRAINING_DEVICES (source), result,
                                                           &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static void
wait_for_label (GtkWidget  *root,
                const char *name,
                const char *needle)
{
  while (TRUE)
    {
      GtkWidget *label = pd_test_gui_find_by_name (root, name);

      if (label != NULL && strstr (gtk_label_get_label (GTK_LABEL (label)), needle) != NULL)
        return;
      g_main_context_iteration (NULL, TRUE);
    }
}

/* The devices as they are: the card readers, the printer ready, then out of paper with what
 * to do, and a test page refused for it. */
static void
test_devices (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdTrainingDevices) training = pd_training_devices_new (fixture->terminal, &error);
  GtkWidget *page;
  gboolean done = FALSE;

  g_assert_no_error (error);
  sign_in (fixture, PD_TRAINING_ASSOCIATE_ID, PD_TRAINING_ASSOCIATE_PIN);
  pd_test_kiosk_act (GTK_WIDGET (counter (fixture)), "counter.show", "devices");
  page = pd_test_gui_find_by_type (GTK_WIDGET (counter (fixture)), PD_TYPE_DEVICES_PAGE);
  g_assert_nonnull (page);
  wait_for_label (page, "printer_advice", "Ready.");
  wait_for_label (page, "card_reader", "Virtual PCD");

  pd_training_devices_set_paper_out_async (training, TRUE, paper_set, &done);
  pd_test_gui_wait_for (&done);
  wait_for_label (page, "printer_advice", "Put a new roll of paper in");
  g_assert_true (gtk_widget_has_css_class (pd_test_gui_find_by_name (page, "printer_advice"),
                                           "report-difference"));
  pd_test_kiosk_act (page, "devices.test-print", NULL);
  wait_for_label (page, "devices_message", "paper");
  pd_test_gui_wait_until_drawn (GTK_WIDGET (fixture->window));
  pd_test_kiosk_look_at_window (fixture, "counter-devices.png");

  done = FALSE;
  pd_training_devices_set_paper_out_async (training, FALSE, paper_set, &done);
  pd_test_gui_wait_for (&done);
  wait_for_label (page, "printer_advice", "Ready.");
  pd_test_kiosk_act (page, "devices.test-print", NULL);
  wait_for_label (page, "devices_message", "The test page is printed");
}

/* With the core down a bank payment waits in the outbox; the page lists it with its amount,
 * and "Send now" sends it once the core is back, in the audit log. */
static void
test_outbox (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(PdPayment) payment = NULL;
  guint16 port = fixture->core->port;
  GtkWidget *page;

  sign_in (fixture, PD_TRAINING_ASSOCIATE_ID, PD_TRAINING_ASSOCIATE_PIN);
  payment = take_bank_payment_in_state (fixture, PD_PAYMENT_STATE_QUEUED);
  pd_test_kiosk_act (GTK_WIDGET (counter (fixture)), "counter.show", "outbox");
  page = pd_test_gui_find_by_type (GTK_WIDGET (counter (fixture)), PD_TYPE_OUTBOX_PAGE);
  g_assert_nonnull (page);
  while (pd_test_gui_find_by_name (page, pd_payment_get_id (payment)) == NULL)
    g_main_context_iteration (NULL, TRUE);
  wait_for_label (page, "outbox_summary", "1 payment waits for the payment core: $75.00.");
  pd_test_gui_wait_until_drawn (GTK_WIDGET (fixture->window));
  pd_test_kiosk_look_at_window (fixture, "counter-outbox.png");

  pd_test_core_free (fixture->core);
  fixture->core = pd_test_core_start (fixture->tmp.dir, port, NULL);
  pd_test_kiosk_act (page, "outbox.send", NULL);
  wait_for_label (page, "outbox_message", "1 payment went to the payment core.");
  wait_for_label (page, "outbox_summary", "Nothing waits");
  g_assert_nonnull (pd_test_core_find_payment (fixture->core,
                                               pd_payment_get_client_ref (payment)));
  wait_for_audit (fixture, PD_AUDIT_OUTBOX_RETRY, PD_TRAINING_ASSOCIATE_ID, 1);
}

/* The counter's ways to find a member: name, birth date and ZIP without the member ID, and
 * the invoice account with the ZIP code (a member on the phone). */
static void
test_find_member (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *text = NULL;

  sign_in (fixture, PD_TRAINING_ASSOCIATE_ID, PD_TRAINING_ASSOCIATE_PIN);
  text = pd_test_kiosk_page_text (fixture);
  g_assert_nonnull (strstr (text, "Find the member"));
  g_assert_nonnull (strstr (text, "The member’s language, for the receipt:"));
  g_assert_nonnull (strstr (text, "Invoice account and ZIP code"));
  pd_test_kiosk_act (pd_test_kiosk_page (fixture), "identify.method", "member");
  pd_test_kiosk_type (fixture, PD_FIELD_ZIP, "10001");
  pd_test_kiosk_type (fixture, PD_FIELD_DATE_OF_BIRTH, "07/04/1961");
  pd_test_kiosk_type (fixture, PD_FIELD_FIRST_NAME, "Maria");
  pd_test_kiosk_type (fixture, PD_FIELD_LAST_NAME, "Gonzalez");
  /* No member ID: the member forgot the card. */
  g_assert_true (pd_page_get_complete (PD_PAGE (pd_test_kiosk_page (fixture))));
  pd_test_gui_wait_until_drawn (GTK_WIDGET (fixture->window));
  pd_test_kiosk_look_at_window (fixture, "counter-find-by-name.png");
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (fixture->window)), <=, 800);
  pd_test_kiosk_next (fixture);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "accounts");
  /* Found by name, the member pays. */
  g_assert_true (gtk_widget_activate_action (pd_test_kiosk_page (fixture), "accounts.choose",
                                             "u", 0));
  pd_test_kiosk_settle (fixture);
  pd_test_kiosk_act (pd_test_kiosk_page (fixture), "amount.choose", "minimum");
  pd_test_kiosk_next (fixture);
  pd_test_kiosk_act (pd_test_kiosk_page (fixture), "tender.choose", "bank");
  pd_test_kiosk_settle (fixture);
  pd_test_kiosk_pay_by_bank (fixture);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "result");
  g_assert_cmpint (pd_payment_get_state (pd_visit_get_payment (pd_flow_get_visit (fixture->flow))),
                   ==, PD_PAYMENT_STATE_COMPLETED);

  pd_test_kiosk_act (GTK_WIDGET (counter (fixture)), "counter.new-visit", NULL);
  pd_test_kiosk_act (pd_test_kiosk_page (fixture), "identify.method", "account-zip");
  pd_test_kiosk_type (fixture, PD_FIELD_INVOICE_ACCOUNT, PD_TEST_MARIA_ACCOUNT);
  pd_test_kiosk_type (fixture, PD_FIELD_ZIP, "10002");
  pd_test_kiosk_next (fixture);
  /* The wrong ZIP finds nobody, said to the associate. */
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "identify");
  g_clear_pointer (&text, g_free);
  text = pd_test_kiosk_page_text (fixture);
  g_assert_nonnull (strstr (text, "No member matches these details"));
  pd_test_kiosk_type (fixture, PD_FIELD_ZIP, "10001");
  pd_test_kiosk_next (fixture);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "accounts");
}

/* What a key does, through the counter's own shortcuts (the widget's bindings). */
static gboolean
press_key (GtkWidget       *widget,
           guint            keyval,
           GdkModifierType  modifiers)
{
  g_autoptr(GtkShortcutTrigger) wanted = gtk_keyval_trigger_new (keyval, modifiers);
  GListModel *controllers = gtk_widget_observe_controllers (widget);
  gboolean done = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !done; i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)) && !done; j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          if (gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), wanted))
            done = gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut),
                                                 GTK_SHORTCUT_ACTION_EXCLUSIVE, widget,
                                                 gtk_shortcut_get_arguments (shortcut));
        }
    }
  g_object_unref (controllers);
  return done;
}

/* From the keyboard: a stated amount above the balance (a binder payment), Alt+B for the
 * bank account, Escape back to how the member pays. */
static void
test_keyboard_payment (Fixture       *fixture,
                       gconstpointer  data)
{
  GtkWidget *widget;

  sign_in (fixture, PD_TRAINING_ASSOCIATE_ID, PD_TRAINING_ASSOCIATE_PIN);
  widget = GTK_WIDGET (counter (fixture));
  /* Maria's balance is $150.00: at a counter the associate may state more. */
  pd_test_kiosk_reach_tender (fixture, "2000.00");
  g_assert_cmpint (pd_visit_get_amount (pd_flow_get_visit (fixture->flow)), ==, 200000);
  g_assert_true (press_key (widget, GDK_KEY_b, GDK_ALT_MASK));
  pd_test_kiosk_settle (fixture);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "bank");
  g_assert_true (press_key (widget, GDK_KEY_Escape, 0));
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "tender");
  /* Alt+K means nothing but on that page. */
  g_assert_true (press_key (widget, GDK_KEY_Escape, 0));
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "amount");
  g_assert_false (press_key (widget, GDK_KEY_k, GDK_ALT_MASK));
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "amount");
}

/* The member chooses Spanish at the counter: the receipt is theirs, the screens stay the
 * associate's. */
static void
test_member_language (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(PdPayment) payment = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *language = NULL;
  g_autofree char *text = NULL;
  GtkWidget *list;

  sign_in (fixture, PD_TRAINING_ASSOCIATE_ID, PD_TRAINING_ASSOCIATE_PIN);
  list = pd_test_gui_find_by_name (pd_test_kiosk_page (fixture), "member_language");
  g_assert_nonnull (list);
  /* The languages offered, in the configuration's order: English, then Spanish. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (list), 1);
  g_assert_cmpstr (pd_visit_get_language (pd_flow_get_visit (fixture->flow)), ==, "es");
  payment = take_bank_payment (fixture);
  text = pd_test_kiosk_page_text (fixture);
  g_assert_nonnull (strstr (text, "Your payment was accepted"));
  language = pd_journal_get_fact (pd_terminal_get_journal (fixture->terminal),
                                  pd_payment_get_id (payment), PD_PAYMENT_FACT_LANGUAGE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (language, ==, "es");

  /* The next member starts in the terminal's language. */
  pd_test_kiosk_act (GTK_WIDGET (counter (fixture)), "counter.new-visit", NULL);
  g_assert_cmpstr (pd_visit_get_language (pd_flow_get_visit (fixture->flow)), ==, "en");
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (list)), ==, 0);
}

/* The member signs the printed receipt with a pen instead of the screen: the payment goes,
 * nothing drawn is kept, and the receipt has the line to sign. */
static void
test_sign_on_paper (Fixture       *fixture,
                    gconstpointer  data)
{
  GtkWidget *page;
  GtkWidget *paper;
  PdPayment *payment;
  g_autoptr(PdSignature) signature = NULL;
  g_autoptr(PdReceipt) receipt = NULL;
  g_autoptr(PdReceiptLayout) layout = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  sign_in (fixture, PD_TRAINING_ASSOCIATE_ID, PD_TRAINING_ASSOCIATE_PIN);
  pd_test_kiosk_reach_tender (fixture, "minimum");
  pd_test_kiosk_act (pd_test_kiosk_page (fixture), "tender.choose", "bank");
  pd_test_kiosk_settle (fixture);
  pd_test_kiosk_type (fixture, PD_FIELD_ROUTING_NUMBER, "021000021");
  pd_test_kiosk_type (fixture, PD_FIELD_ACCOUNT_HOLDER, "MARIA L GONZALEZ");
  pd_test_kiosk_type (fixture, PD_FIELD_BANK_ACCOUNT, "000123456789");
  pd_test_kiosk_type (fixture, PD_FIELD_BANK_ACCOUNT_AGAIN, "000123456789");
  pd_test_kiosk_act (pd_test_kiosk_page (fixture), "bank.type", "checking");
  pd_test_kiosk_next (fixture);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "authorize");
  page = pd_test_kiosk_page (fixture);
  g_assert_false (pd_page_get_complete (PD_PAGE (page)));
  paper = pd_test_gui_find_by_name (page, "sign_on_paper");
  g_assert_nonnull (paper);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (paper), TRUE);
  g_assert_true (pd_page_get_complete (PD_PAGE (page)));
  pd_test_gui_wait_until_drawn (GTK_WIDGET (fixture->window));
  pd_test_kiosk_look_at_window (fixture, "counter-authorize.png");
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), <=, 1280);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (fixture->window)), <=, 800);
  pd_test_kiosk_next (fixture);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "result");

  payment = pd_visit_get_payment (pd_flow_get_visit (fixture->flow));
  g_assert_nonnull (payment);
  g_assert_cmpint (pd_payment_get_state (payment), ==, PD_PAYMENT_STATE_COMPLETED);
  signature = pd_journal_get_signature (pd_terminal_get_journal (fixture->terminal),
                                        pd_payment_get_id (payment), &error);
  g_assert_no_error (error);
  g_assert_null (signature);
  receipt = pd_receipt_new_from_journal (pd_terminal_get_journal (fixture->terminal),
                                         fixture->config, pd_payment_get_id (payment), &error);
  g_assert_no_error (error);
  layout = pd_receipt_layout_new (receipt, NULL);
  text = pd_receipt_layout_dup_text (layout);
  g_assert_nonnull (strstr (text, "Signature:"));
}

/* A keyboard-wedge scanner at the counter: the coupon's line typed in one burst finds the
 * member with the invoice chosen, as at a kiosk. */
static void
test_coupon_at_counter (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *line = pd_coupon_encode (PD_TEST_MARIA_ACCOUNT, PD_TEST_MARIA_INVOICE, 7500,
                                            &error);
  GListModel *controllers = gtk_widget_observe_controllers (GTK_WIDGET (fixture->window));
  GtkEventController *keys = NULL;
  gboolean handled = FALSE;
  PdInvoice *invoice;

  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (controllers) && keys == NULL; i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (g_strcmp0 (gtk_event_controller_get_name (controller), "scan-burst") == 0)
        keys = controller;
    }
  g_object_unref (controllers);
  g_assert_nonnull (keys);

  sign_in (fixture, PD_TRAINING_ASSOCIATE_ID, PD_TRAINING_ASSOCIATE_PIN);
  for (const char *c = line; *c != '\0'; c++)
    g_signal_emit_by_name (keys, "key-pressed", gdk_unicode_to_keyval ((guint32) *c), 0, 0,
                           &handled);
  g_signal_emit_by_name (keys, "key-pressed", GDK_KEY_Return, 0, 0, &handled);
  g_assert_true (handled);
  pd_test_kiosk_settle (fixture);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "accounts");
  invoice = pd_visit_get_invoice (pd_flow_get_visit (fixture->flow));
  g_assert_nonnull (invoice);
  g_assert_cmpstr (pd_invoice_get_number (invoice), ==, PD_TEST_MARIA_INVOICE);
}

int
main (int    argc,
      char **argv)
{
  if (!pd_test_kiosk_init (&argc, &argv))
    return 0;

#define ADD(name, func) \
  g_test_add ("/counter/" name, Fixture, "counter", pd_test_kiosk_set_up, func, \
              pd_test_kiosk_tear_down)
  ADD ("sign-in", test_sign_in);
  ADD ("keyboard", test_keyboard);
  ADD ("wrong-pin-and-lockout", test_wrong_pin_and_lockout);
  ADD ("auto-lock", test_auto_lock);
  ADD ("sign-out", test_sign_out);
  ADD ("payment-for-member", test_payment_for_member);
  ADD ("void-with-override", test_void_with_override);
  g_test_add ("/counter/refund-and-reprint", Fixture, "devices:counter", pd_test_kiosk_set_up,
              test_refund_and_reprint, pd_test_kiosk_tear_down);
  g_test_add ("/counter/end-of-day", Fixture, "devices:counter", pd_test_kiosk_set_up,
              test_end_of_day, pd_test_kiosk_tear_down);
  g_test_add ("/counter/devices", Fixture, "devices:counter", pd_test_kiosk_set_up,
              test_devices, pd_test_kiosk_tear_down);
  ADD ("outbox", test_outbox);
  ADD ("find-member", test_find_member);
  ADD ("keyboard-payment", test_keyboard_payment);
  ADD ("member-language", test_member_language);
  ADD ("sign-on-paper", test_sign_on_paper);
  ADD ("coupon-at-counter", test_coupon_at_counter);
#undef ADD

  return g_test_run ();
}
