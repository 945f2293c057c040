#include <string.h>

#include "pd-test-kiosk.h"
#include "pd-training-printer.h"
#include "pd-test-vpcd.h"

/* The card step on the real window: paydesk-vcard plays a training card in the vpcd reader
 * of the test's own pcscd (tests/common/run-with-pcscd), the real kernel reads it, the
 * real training core answers over HTTP. */

typedef PdTestKiosk Fixture;

/* The tender page, then the card step, its reader found and ready. */
static void
reach_card_step (Fixture    *fixture,
                 const char *amount)
{
  pd_test_kiosk_reach_tender (fixture, amount);
  pd_test_kiosk_wait_for_text (fixture, "Card");
  while (!gtk_widget_get_sensitive (pd_test_gui_find_by_name (pd_test_kiosk_page (fixture),
                                                                "card_button")))
    g_main_context_iteration (NULL, TRUE);
  pd_test_kiosk_act (pd_test_kiosk_page (fixture), "tender.choose", "card");
  pd_test_kiosk_settle (fixture);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "card");
  pd_test_kiosk_wait_for_text (fixture, "The card reader is ready.");
}

static GSubprocess *
insert (const char *profile)
{
  g_autoptr(GError) error = NULL;
  GSubprocess *card = pd_test_vcard_insert (profile, &error);

  g_assert_no_error (error);
  return card;
}

/* Turns the main loop until the flow has left the card page or the page says why not. */
static void
wait_for_outcome (Fixture *fixture)
{
  while (g_strcmp0 (pd_flow_get_visible_page_name (fixture->flow), "card") == 0 &&
         !gtk_widget_get_visible (pd_test_gui_find_by_name (pd_test_kiosk_page (fixture),
                                                            "card_message")) &&
         strstr (gtk_label_get_label (GTK_LABEL (pd_test_gui_find_by_name (
                   pd_test_kiosk_page (fixture), "card_status"))), "remove your card") == NULL)
    g_main_context_iteration (NULL, TRUE);
}

/* Insert, approved by the training core, "remove your card", then the result; once. */
static void
test_card_approved (Fixture       *fixture,
                    gconstpointer  data)
{
  PdVisit *visit = pd_flow_get_visit (fixture->flow);
  g_autoptr(GSubprocess) card = NULL;
  g_autofree char *text = NULL;
  g_autofree char *result = NULL;

  reach_card_step (fixture, "minimum");
  text = pd_test_kiosk_page_text (fixture);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "Insert or tap your card"));
  g_assert_nonnull (strstr (text, "$75.00"));
  pd_test_kiosk_look_at (fixture, "kiosk-card.png");

  card = insert ("visa");
  wait_for_outcome (fixture);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "card");
  pd_test_kiosk_wait_for_text (fixture, "Please remove your card.");
  pd_test_kiosk_look_at (fixture, "kiosk-card-remove.png");
  g_assert_nonnull (pd_visit_get_payment (visit));
  g_assert_cmpint (pd_payment_get_state (pd_visit_get_payment (visit)), ==,
                   PD_PAYMENT_STATE_COMPLETED);
  /* The member keeps the card until they take it. */
  g_assert_true (pd_flow_get_busy (fixture->flow));

  pd_test_vcard_remove (g_steal_pointer (&card));
  pd_test_kiosk_wait_until_shown (fixture, "result");
  result = pd_test_kiosk_page_text (fixture);
  g_assert_nonnull (strstr (result, "Your payment was accepted."));
  g_assert_cmpuint (pd_test_core_count_ledger (fixture->core), ==, 1);
  g_assert_nonnull (pd_test_core_find_payment (fixture->core,
                                               pd_payment_get_client_ref (
                                                 pd_visit_get_payment (visit))));
  /* No way back to the card step: the money is taken. */
  pd_test_kiosk_act (GTK_WIDGET (fixture->flow), "flow.back", NULL);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "result");
}

/* The kernel's sentence, then another card: an expired card says so, nothing is sent; the
 * next card pays. */
static void
test_card_refused_then_another (Fixture       *fixture,
                                gconstpointer  data)
{
  const char *profile = data;
  GSubprocess *card;
  GtkWidget *message;
  const char *said;

  reach_card_step (fixture, "minimum");
  card = insert (profile);
  wait_for_outcome (fixture);
  message = pd_test_gui_find_by_name (pd_test_kiosk_page (fixture), "card_message");
  g_assert_true (gtk_widget_get_visible (message));
  said = gtk_label_get_label (GTK_LABEL (message));
  g_test_message ("%s: %s", profile, said);
  if (g_str_equal (profile, "amex"))
    g_assert_nonnull (strstr (said, "American Express"));
  else
    g_assert_nonnull (strstr (said, "expired"));
  g_assert_cmpuint (pd_test_core_count_ledger (fixture->core), ==, 0);
  g_assert_null (pd_visit_get_payment (pd_flow_get_visit (fixture->flow)));
  g_assert_true (gtk_widget_get_visible (pd_test_gui_find_by_name (pd_test_kiosk_page (fixture),
                                                                   "try_again_button")));
  pd_test_kiosk_wait_for_text (fixture, "Please remove your card.");
  pd_test_kiosk_look_at (fixture, g_str_equal (profile, "amex") ? "kiosk-card-amex.png"
                                                                : "kiosk-card-expired.png");

  /* The same card is not tried again while it stays in; another card pays. */
  pd_test_kiosk_act (pd_test_kiosk_page (fixture), "card.try-again", NULL);
  g_assert_false (pd_flow_get_busy (fixture->flow));
  pd_test_vcard_remove (card);
  card = insert ("mastercard");
  wait_for_outcome (fixture);
  pd_test_vcard_remove (card);
  pd_test_kiosk_wait_until_shown (fixture, "result");
  g_assert_cmpuint (pd_test_core_count_ledger (fixture->core), ==, 1);
}

/* Credit or debit on one card: the member picks on screen (the kernel asks from its worker
 * and waits); the application chosen is the one paid with. */
static void
test_card_application_chosen (Fixture       *fixture,
                              gconstpointer  data)
{
  GSubprocess *card;
  GtkWidget *second;
  PdPayment *payment;

  reach_card_step (fixture, "minimum");
  card = insert ("visa-debit");
  while ((second = pd_test_gui_find_by_name (pd_test_kiosk_page (fixture),
                                             "application_button_1")) == NULL)
    g_main_context_iteration (NULL, TRUE);
  pd_test_kiosk_look_at (fixture, "kiosk-card-choose.png");
  g_assert_true (gtk_widget_get_visible (second));
  g_test_message ("chosen: %s", gtk_button_get_label (GTK_BUTTON (second)));
  g_assert_true (gtk_widget_activate (second));
  wait_for_outcome (fixture);
  pd_test_vcard_remove (card);
  pd_test_kiosk_wait_until_shown (fixture, "result");
  payment = pd_visit_get_payment (pd_flow_get_visit (fixture->flow));
  g_assert_nonnull (payment);
  g_assert_cmpuint (pd_test_core_count_ledger (fixture->core), ==, 1);
}

/* At the contactless limit the kiosk asks for the card to be inserted, and a tap is
 * refused with the reason; nothing is sent. */
static void
test_card_over_tap_limit (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *text = NULL;
  GSubprocess *card;
  GtkWidget *message;

  /* Maria's balance is $150.00; the test terminal's limit is $100.00. */
  reach_card_step (fixture, "balance");
  text = pd_test_kiosk_page_text (fixture);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "Insert your card"));
  g_assert_null (strstr (text, "tap your card"));
  /* The drawing does not show a tap either. */
  g_assert_null (strstr (gtk_picture_get_alternative_text (GTK_PICTURE (
                           pd_test_gui_find_by_name (pd_test_kiosk_page (fixture),
                                                     "card_picture"))), "flat over"));
  pd_test_kiosk_look_at (fixture, "kiosk-card-insert-only.png");

  card = insert ("contactless-visa");
  wait_for_outcome (fixture);
  message = pd_test_gui_find_by_name (pd_test_kiosk_page (fixture), "card_message");
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (message)), "insert"));
  g_assert_cmpuint (pd_test_core_count_ledger (fixture->core), ==, 0);
  pd_test_vcard_remove (card);
}

/* A card pulled before the payment was finished: the approval is reversed, the member is
 * told nothing was charged and may try again. */
static void
test_card_pulled (Fixture       *fixture,
                  gconstpointer  data)
{
  GSubprocess *card;
  GtkWidget *message;
  const char *said;

  reach_card_step (fixture, "minimum");
  card = insert ("pulled-before-genac2");
  wait_for_outcome (fixture);
  message = pd_test_gui_find_by_name (pd_test_kiosk_page (fixture), "card_message");
  said = gtk_label_get_label (GTK_LABEL (message));
  g_test_message ("%s", said);
  g_assert_nonnull (strstr (said, "Nothing was charged"));
  g_assert_null (pd_visit_get_payment (pd_flow_get_visit (fixture->flow)));
  g_assert_false (pd_flow_get_busy (fixture->flow));
  pd_test_vcard_remove (card);
}

/* While the member is asked for a card, "Pay another way" goes back to the ways to pay:
 * nothing was sent. */
static void
test_card_another_way (Fixture       *fixture,
                       gconstpointer  data)
{
  reach_card_step (fixture, "minimum");
  pd_test_kiosk_act (GTK_WIDGET (fixture->flow), "flow.back", NULL);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "tender");
  g_assert_cmpuint (pd_test_core_count_ledger (fixture->core), ==, 0);
}

/* Approved, then the receipt on the training printer. */
static void
test_card_receipt_printed (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(PdPrinter) printer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *printed = NULL;
  GSubprocess *card;

  printer = pd_peripherals_dup_printer (pd_terminal_get_peripherals (fixture->terminal), &error);
  g_assert_no_error (error);
  reach_card_step (fixture, "minimum");
  card = insert ("mastercard");
  wait_for_outcome (fixture);
  pd_test_vcard_remove (card);
  pd_test_kiosk_wait_until_shown (fixture, "result");
  pd_test_kiosk_look_at (fixture, "kiosk-card-result.png");
  pd_test_kiosk_next (fixture);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "receipt");
  g_assert_null (pd_training_printer_dup_last_receipt (PD_TRAINING_PRINTER (printer)));
  pd_test_kiosk_act (pd_test_kiosk_page (fixture), "receipt.print", NULL);
  pd_test_kiosk_wait_for_text (fixture, "Your receipt is printed");
  printed = pd_training_printer_dup_last_receipt (PD_TRAINING_PRINTER (printer));
  g_assert_nonnull (printed);
  g_assert_true (g_file_test (printed, G_FILE_TEST_IS_REGULAR));
  /* The printed receipt, to look at beside the screens. */
  if (g_getenv ("PD_TEST_SCREENSHOT_DIR") != NULL)
    {
      g_autoptr(GFile) from = g_file_new_for_path (printed);
      g_autofree char *path = g_build_filename (g_getenv ("PD_TEST_SCREENSHOT_DIR"),
                                                "kiosk-card-receipt-printed.png", NULL);
      g_autoptr(GFile) to = g_file_new_for_path (path);

      g_assert_true (g_file_copy (from, to, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error));
    }
}

/* The core declines the card (the training core declines amounts ending in .51): the
 * member keeps the account and amount, and pays by bank account with a signature. */
static void
test_card_declined_then_bank (Fixture       *fixture,
                              gconstpointer  data)
{
  PdVisit *visit = pd_flow_get_visit (fixture->flow);
  g_autoptr(PdSignature) signature = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *message;
  GSubprocess *card;
  PdPayment *payment;

  reach_card_step (fixture, "75.51");
  card = insert ("visa");
  wait_for_outcome (fixture);
  message = pd_test_gui_find_by_name (pd_test_kiosk_page (fixture), "card_message");
  g_test_message ("%s", gtk_label_get_label (GTK_LABEL (message)));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (message)), "declined"));
  g_assert_null (pd_visit_get_payment (visit));
  pd_test_vcard_remove (card);

  pd_test_kiosk_act (GTK_WIDGET (fixture->flow), "flow.back", NULL);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "tender");
  g_assert_cmpint (pd_visit_get_amount (visit), ==, 7551);
  pd_test_kiosk_act (pd_test_kiosk_page (fixture), "tender.choose", "bank");
  pd_test_kiosk_settle (fixture);
  pd_test_kiosk_pay_by_bank (fixture);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "result");
  payment = pd_visit_get_payment (visit);
  g_assert_nonnull (payment);
  g_assert_cmpint (pd_payment_get_tender (payment), ==, PD_TENDER_BANK);
  g_assert_nonnull (pd_test_core_find_payment (fixture->core,
                                               pd_payment_get_client_ref (payment)));
  signature = pd_journal_get_signature (pd_terminal_get_journal (fixture->terminal),
                                       pd_payment_get_id (payment), &error);
  g_assert_no_error (error);
  g_assert_false (pd_signature_is_blank (signature));
}

/* The core cannot be reached: a card is never queued, the member is told and pays by bank
 * account, which waits in the outbox as pending and reaches the core once it is back. */
static void
test_core_down (Fixture       *fixture,
                gconstpointer  data)
{
  PdVisit *visit = pd_flow_get_visit (fixture->flow);
  PdPaymentService *service = pd_terminal_get_payment_service (fixture->terminal);
  g_autoptr(GError) error = NULL;
  g_autofree char *result = NULL;
  g_autofree char *client_ref = NULL;
  GtkWidget *message;
  GSubprocess *card;
  guint16 port = fixture->core->port;

  reach_card_step (fixture, "minimum");
  pd_test_core_stop (fixture->core);
  card = insert ("visa");
  wait_for_outcome (fixture);
  message = pd_test_gui_find_by_name (pd_test_kiosk_page (fixture), "card_message");
  g_test_message ("%s", gtk_label_get_label (GTK_LABEL (message)));
  g_assert_true (gtk_widget_get_visible (message));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (message)), "pay another way"));
  /* Another card would not reach the core either: not offered. */
  g_assert_false (gtk_widget_get_visible (pd_test_gui_find_by_name (pd_test_kiosk_page (fixture),
                                                                    "try_again_button")));
  g_assert_null (pd_visit_get_payment (visit));
  pd_test_kiosk_look_at (fixture, "kiosk-card-core-down.png");
  pd_test_vcard_remove (card);

  pd_test_kiosk_act (GTK_WIDGET (fixture->flow), "flow.back", NULL);
  pd_test_kiosk_act (pd_test_kiosk_page (fixture), "tender.choose", "bank");
  pd_test_kiosk_settle (fixture);
  pd_test_kiosk_pay_by_bank (fixture);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "result");
  result = pd_test_kiosk_page_text (fixture);
  g_test_message ("%s", result);
  g_assert_nonnull (strstr (result, "Your payment is pending."));
  client_ref = g_strdup (pd_payment_get_client_ref (pd_visit_get_payment (visit)));

  /* The core is back: the outbox sends it, once. */
  pd_test_core_free (fixture->core);
  fixture->core = pd_test_core_start (fixture->tmp.dir, port, NULL);
  g_assert_cmpuint (pd_payment_service_drain_outbox (service, NULL, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_nonnull (pd_test_core_find_payment (fixture->core, client_ref));
  g_assert_cmpuint (pd_test_core_count_ledger (fixture->core), ==, 1);
}

/* A card that could not pay and was not taken out is not tried again when the member comes
 * back to the card step (nor would it be for the next member): it must be taken out first. */
static void
test_card_not_tried_twice (Fixture       *fixture,
                           gconstpointer  data)
{
  GSubprocess *card;
  guint ledger;

  reach_card_step (fixture, "minimum");
  card = insert ("expired");
  wait_for_outcome (fixture);
  ledger = pd_test_core_count_ledger (fixture->core);
  pd_test_kiosk_act (GTK_WIDGET (fixture->flow), "flow.back", NULL);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "tender");
  pd_test_kiosk_act (pd_test_kiosk_page (fixture), "tender.choose", "card");
  pd_test_kiosk_settle (fixture);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "card");
  pd_test_kiosk_wait_for_text (fixture, "Please remove your card.");
  g_assert_false (pd_flow_get_busy (fixture->flow));
  g_assert_false (gtk_widget_get_visible (pd_test_gui_find_by_name (pd_test_kiosk_page (fixture),
                                                                    "card_message")));
  g_assert_cmpuint (pd_test_core_count_ledger (fixture->core), ==, ledger);

  /* Taken out and put back: a new try. */
  pd_test_vcard_remove (card);
  pd_test_kiosk_wait_for_text (fixture, "The card reader is ready.");
  card = insert ("expired");
  wait_for_outcome (fixture);
  g_assert_true (gtk_widget_get_visible (pd_test_gui_find_by_name (pd_test_kiosk_page (fixture),
                                                                   "card_message")));
  pd_test_vcard_remove (card);
}

#define ADD(name, func, data) \
  g_test_add ("/kiosk-card/" name, Fixture, data, pd_test_kiosk_set_up, func, \
              pd_test_kiosk_tear_down)

int
main (int    argc,
      char **argv)
{
  if (!pd_test_kiosk_init (&argc, &argv))
    return 0;

  ADD ("approved", test_card_approved, NULL);
  ADD ("refused/expired", test_card_refused_then_another, "expired");
  ADD ("refused/amex", test_card_refused_then_another, "amex");
  ADD ("application-chosen", test_card_application_chosen, NULL);
  ADD ("over-tap-limit", test_card_over_tap_limit, NULL);
  ADD ("pulled", test_card_pulled, NULL);
  ADD ("another-way", test_card_another_way, NULL);
  ADD ("not-tried-twice", test_card_not_tried_twice, NULL);
  ADD ("declined-then-bank", test_card_declined_then_bank, NULL);
  ADD ("core-down", test_core_down, NULL);
  ADD ("receipt-printed", test_card_receipt_printed, "devices");

  return g_test_run ();
}
