#include <string.h>

#include "pd-test-kiosk.h"
#include "pd-training-check-scanner.h"

/* The check step on the real window: a training check in the training check scanner's
 * slot (as paydesk-vcheck puts it there), read by the real scanner driver, sealed, and paid
 * through the real training core over HTTP. */

typedef PdTestKiosk Fixture;

/* The account number of the training check "personal": never on the screen. */
#define PERSONAL_CHECK_ACCOUNT "4820193756"

static void
put_check (const char *profile)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = pd_training_check_find_profile (profile, &error);

  g_assert_no_error (error);
  g_assert_true (pd_training_check_insert (NULL, path, &error));
  g_assert_no_error (error);
}

static void
reach_check_step (Fixture *fixture)
{
  GtkWidget *check_button;

  pd_test_kiosk_reach_tender (fixture, "minimum");
  check_button = pd_test_gui_find_by_name (pd_test_kiosk_page (fixture), "check_button");
  g_assert_true (gtk_widget_get_sensitive (check_button));
  pd_test_kiosk_act (pd_test_kiosk_page (fixture), "tender.choose", "check");
  pd_test_kiosk_settle (fixture);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "check");
  pd_test_kiosk_wait_for_text (fixture, "The check scanner is ready.");
}

static GtkWidget *
page_widget (Fixture    *fixture,
             const char *name)
{
  GtkWidget *widget = pd_test_gui_find_by_name (pd_test_kiosk_page (fixture), name);

  g_assert_nonnull (widget);
  return widget;
}

/* Turns the main loop until the page shows what it read, or why it could not. */
static void
wait_for_read (Fixture *fixture)
{
  while (!gtk_widget_get_visible (page_widget (fixture, "pay_button")) &&
         !gtk_widget_get_visible (page_widget (fixture, "check_message")))
    g_main_context_iteration (NULL, TRUE);
}

/* What was read is shown without the account number; the member pays with it, once. */
static void
test_check_paid (Fixture       *fixture,
                 gconstpointer  data)
{
  PdVisit *visit = pd_flow_get_visit (fixture->flow);
  g_autofree char *text = NULL;
  g_autofree char *all = NULL;
  g_autofree char *result = NULL;
  PdPayment *payment;

  reach_check_step (fixture);
  text = pd_test_kiosk_page_text (fixture);
  g_assert_nonnull (strstr (text, "Put your check in the slot"));
  g_assert_nonnull (strstr (text, "$75.00"));
  pd_test_kiosk_look_at (fixture, "kiosk-check.png");

  put_check ("personal");
  wait_for_read (fixture);
  g_clear_pointer (&text, g_free);
  text = pd_test_kiosk_page_text (fixture);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "021000021"));
  g_assert_nonnull (strstr (text, "3756"));
  g_assert_nonnull (strstr (text, "1042"));
  g_assert_nonnull (strstr (text, "Pay $75.00 with this check"));
  all = pd_test_gui_all_text (GTK_WIDGET (fixture->window));
  g_assert_null (strstr (all, PERSONAL_CHECK_ACCOUNT));
  pd_test_kiosk_look_at (fixture, "kiosk-check-read.png");

  pd_test_kiosk_next (fixture);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "result");
  result = pd_test_kiosk_page_text (fixture);
  g_assert_nonnull (strstr (result, "Your payment was accepted."));
  payment = pd_visit_get_payment (visit);
  g_assert_cmpint (pd_payment_get_tender (payment), ==, PD_TENDER_CHECK);
  g_assert_nonnull (pd_test_core_find_payment (fixture->core, pd_payment_get_client_ref (payment)));
  g_assert_cmpuint (pd_test_core_count_ledger (fixture->core), ==, 1);
  /* The check paid: no way back to pay with it again. */
  pd_test_kiosk_act (GTK_WIDGET (fixture->flow), "flow.back", NULL);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "result");
}

/* A torn MICR line or a wrong routing check digit is said with what could not be read;
 * nothing is sent; scanned again, a good check pays. */
static void
test_check_unreadable (Fixture       *fixture,
                       gconstpointer  data)
{
  const char *profile = strchr (data, ':') + 1;
  g_autofree char *text = NULL;
  g_autofree char *picture = g_strdup_printf ("kiosk-check-%s.png", profile);

  reach_check_step (fixture);
  put_check (profile);
  wait_for_read (fixture);
  text = pd_test_kiosk_page_text (fixture);
  g_test_message ("%s", text);
  g_assert_true (gtk_widget_get_visible (page_widget (fixture, "check_message")));
  g_assert_false (gtk_widget_get_visible (page_widget (fixture, "pay_button")));
  g_assert_nonnull (strstr (text, "could not read your check"));
  g_assert_true (gtk_widget_get_visible (page_widget (fixture, "check_problems")));
  g_assert_false (pd_page_get_complete (PD_PAGE (pd_test_kiosk_page (fixture))));
  g_assert_cmpuint (pd_test_core_count_ledger (fixture->core), ==, 0);
  pd_test_kiosk_look_at (fixture, picture);

  pd_test_kiosk_act (pd_test_kiosk_page (fixture), "check.try-again", NULL);
  pd_test_kiosk_wait_for_text (fixture, "The check scanner is ready.");
  put_check ("personal");
  wait_for_read (fixture);
  pd_test_kiosk_next (fixture);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "result");
  g_assert_cmpuint (pd_test_core_count_ledger (fixture->core), ==, 1);
}

/* The core cannot be reached: the check is accepted into the outbox, the result says
 * pending, and the payment reaches the core once it is back. */
static void
test_check_core_down (Fixture       *fixture,
                      gconstpointer  data)
{
  PdPaymentService *service = pd_terminal_get_payment_service (fixture->terminal);
  g_autoptr(GError) error = NULL;
  g_autofree char *result = NULL;
  g_autofree char *client_ref = NULL;
  guint16 port = fixture->core->port;

  reach_check_step (fixture);
  pd_test_core_stop (fixture->core);
  put_check ("personal");
  wait_for_read (fixture);
  pd_test_kiosk_next (fixture);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "result");
  result = pd_test_kiosk_page_text (fixture);
  g_assert_nonnull (strstr (result, "Your payment is pending."));
  pd_test_kiosk_look_at (fixture, "kiosk-check-pending.png");
  client_ref = g_strdup (pd_payment_get_client_ref (pd_visit_get_payment (
                           pd_flow_get_visit (fixture->flow))));

  pd_test_core_free (fixture->core);
  fixture->core = pd_test_core_start (fixture->tmp.dir, port, NULL);
  g_assert_cmpuint (pd_payment_service_drain_outbox (service, NULL, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_nonnull (pd_test_core_find_payment (fixture->core, client_ref));
}

#define ADD(name, func, data) \
  g_test_add ("/kiosk-check/" name, Fixture, data, pd_test_kiosk_set_up, func, \
              pd_test_kiosk_tear_down)

int
main (int    argc,
      char **argv)
{
  if (!pd_test_kiosk_init (&argc, &argv))
    return 0;

  /* Every case with the terminal's devices: the training check scanner and printer. */
  ADD ("paid", test_check_paid, "devices");
  ADD ("unreadable/torn", test_check_unreadable, "devices:torn");
  ADD ("unreadable/bad-check-digit", test_check_unreadable, "devices:bad-check-digit");
  ADD ("core-down", test_check_core_down, "devices");

  return g_test_run ();
}
