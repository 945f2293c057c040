#include <string.h>

#include "pd-test-kiosk.h"
#include "pd-training-panel.h"
#include "pd-training-printer.h"

/* A newcomer at a training kiosk, by touch only: the training devices panel puts a card in
 * the reader (paydesk-vcard in the test's own pcscd), takes it out, puts a check in the
 * training scanner and takes the printer's paper out, and the kiosk's pages answer as they
 * would to a member's hands. */

typedef PdTestKiosk Fixture;

static GtkWidget *
open_panel (Fixture *fixture)
{
  GtkWidget *button = pd_test_gui_find_by_name (GTK_WIDGET (fixture->window),
                                                "training_devices_button");
  GtkWidget *panel;

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_visible (button));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), TRUE);
  panel = pd_test_gui_find_by_type (GTK_WIDGET (fixture->window), PD_TYPE_TRAINING_PANEL);
  g_assert_nonnull (panel);
  /* The profiles are listed on a worker: wait for their rows. */
  while (pd_test_gui_find_by_name (panel, "card_visa") == NULL ||
         pd_test_gui_find_by_name (panel, "check_personal") == NULL)
    g_main_context_iteration (NULL, TRUE);
  pd_test_gui_wait_until_drawn (panel);
  return panel;
}

static void
close_panel (Fixture *fixture)
{
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (pd_test_gui_find_by_name (
                                  GTK_WIDGET (fixture->window), "training_devices_button")),
                                FALSE);
}

/* A card payment by touch: the card inserted and taken out from the panel. */
static void
test_card_by_panel (Fixture       *fixture,
                    gconstpointer  data)
{
  PdTrainingDevices *devices;
  GtkWidget *panel;
  g_autofree char *result = NULL;

  pd_test_kiosk_reach_tender (fixture, "minimum");
  pd_test_kiosk_act (pd_test_kiosk_page (fixture), "tender.choose", "card");
  pd_test_kiosk_settle (fixture);
  pd_test_kiosk_wait_for_text (fixture, "The card reader is ready.");

  panel = open_panel (fixture);
  devices = pd_training_panel_get_devices (PD_TRAINING_PANEL (panel));
  pd_test_gui_save_screenshot (GTK_WINDOW (fixture->window), "training-panel.png");
  g_assert_true (gtk_widget_activate (pd_test_gui_find_by_name (panel, "card_visa")));
  while (pd_training_devices_get_card (devices) == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (pd_training_devices_get_card (devices), ==, "visa");
  close_panel (fixture);

  pd_test_kiosk_wait_for_text (fixture, "Please remove your card.");
  gtk_widget_activate_action (panel, "training.remove-card", NULL);
  g_assert_null (pd_training_devices_get_card (devices));
  pd_test_kiosk_wait_until_shown (fixture, "result");
  result = pd_test_kiosk_page_text (fixture);
  g_assert_nonnull (strstr (result, "Your payment was accepted."));
  g_assert_cmpuint (pd_test_core_count_ledger (fixture->core), ==, 1);
}

/* A check by touch: put in the slot from the panel, read by the check step. */
static void
test_check_by_panel (Fixture       *fixture,
                     gconstpointer  data)
{
  GtkWidget *panel;

  pd_test_kiosk_reach_tender (fixture, "minimum");
  pd_test_kiosk_act (pd_test_kiosk_page (fixture), "tender.choose", "check");
  pd_test_kiosk_settle (fixture);
  pd_test_kiosk_wait_for_text (fixture, "The check scanner is ready.");

  panel = open_panel (fixture);
  gtk_widget_activate_action (panel, "training.feed-check", "s", "personal");
  close_panel (fixture);
  pd_test_kiosk_wait_for_text (fixture, "Is this your check?");
  pd_test_kiosk_next (fixture);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "result");
  g_assert_cmpuint (pd_test_core_count_ledger (fixture->core), ==, 1);
}

/* The printer's paper out from the panel: the receipt page says so; put back, it prints. */
static void
test_paper_by_panel (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(PdPrinter) printer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *printed = NULL;
  PdTrainingDevices *devices;
  GtkWidget *panel;
  GtkWidget *paper_switch;

  printer = pd_peripherals_dup_printer (pd_terminal_get_peripherals (fixture->terminal), &error);
  g_assert_no_error (error);
  panel = open_panel (fixture);
  devices = pd_training_panel_get_devices (PD_TRAINING_PANEL (panel));
  paper_switch = pd_test_gui_find_by_name (panel, "paper_out_switch");
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (paper_switch)));
  gtk_switch_set_active (GTK_SWITCH (paper_switch), TRUE);
  while (!pd_training_devices_get_paper_out (devices))
    g_main_context_iteration (NULL, TRUE);
  close_panel (fixture);

  pd_test_kiosk_reach_tender (fixture, "minimum");
  pd_test_kiosk_act (pd_test_kiosk_page (fixture), "tender.choose", "bank");
  pd_test_kiosk_settle (fixture);
  pd_test_kiosk_pay_by_bank (fixture);
  pd_test_kiosk_next (fixture);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "receipt");
  pd_test_kiosk_act (pd_test_kiosk_page (fixture), "receipt.print", NULL);
  pd_test_kiosk_wait_for_text (fixture, "could not be printed");
  g_assert_null (pd_training_printer_dup_last_receipt (PD_TRAINING_PRINTER (printer)));

  gtk_widget_activate_action (panel, "training.paper-out", "b", FALSE);
  while (pd_training_devices_get_paper_out (devices))
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (paper_switch)));
  pd_test_kiosk_act (pd_test_kiosk_page (fixture), "receipt.print", NULL);
  pd_test_kiosk_wait_for_text (fixture, "Your receipt is printed");
  printed = pd_training_printer_dup_last_receipt (PD_TRAINING_PRINTER (printer));
  g_assert_nonnull (printed);
}

/* A coupon held under the training barcode scanner from the panel: the member is found. */
static void
test_coupon_by_panel (Fixture       *fixture,
                      gconstpointer  data)
{
  GtkWidget *panel = open_panel (fixture);

  while (pd_test_gui_find_by_name (panel, "coupon_" PD_TEST_MARIA_INVOICE) == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (gtk_widget_activate (pd_test_gui_find_by_name (panel,
                                                                "coupon_" PD_TEST_MARIA_INVOICE)));
  close_panel (fixture);
  pd_test_kiosk_wait_until_shown (fixture, "accounts");
  pd_test_kiosk_wait_for_text (fixture, "Invoice " PD_TEST_MARIA_INVOICE);
}

#define ADD(name, func) \
  g_test_add ("/training-panel/" name, Fixture, "devices", pd_test_kiosk_set_up, func, \
              pd_test_kiosk_tear_down)

int
main (int    argc,
      char **argv)
{
  if (!pd_test_kiosk_init (&argc, &argv))
    return 0;

  ADD ("card", test_card_by_panel);
  ADD ("check", test_check_by_panel);
  ADD ("paper", test_paper_by_panel);
  ADD ("coupon", test_coupon_by_panel);

  return g_test_run ();
}
