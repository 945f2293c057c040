#include <string.h>

#include <glib/gstdio.h>

#include "pd-account-card.h"
#include "pd-signature-pad.h"
#include "pd-test-kiosk.h"
#include "pd-training-printer.h"

/* The member's flow on the real window, driven as a finger would (through the same actions
 * the buttons and keys take), against the real training core over HTTP: finding the
 * member, the amount, the bank account payment, the receipt, and the end of a visit. */

typedef PdTestKiosk Fixture;

/* The check of names tells an icon-only button without a label from a named one. */
static void
test_names_checked (void)
{
  GtkWidget *unnamed = g_object_ref_sink (gtk_button_new_from_icon_name ("edit-clear-symbolic"));
  GtkWidget *named = g_object_ref_sink (gtk_button_new_with_label ("Erase"));

  g_assert_false (pd_test_kiosk_control_is_named (unnamed));
  g_assert_true (pd_test_kiosk_control_is_named (named));
  gtk_accessible_update_property (GTK_ACCESSIBLE (unnamed), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  "Erase", -1);
  g_assert_true (pd_test_kiosk_control_is_named (unnamed));
  g_object_unref (unnamed);
  g_object_unref (named);
}

/* The member's language, chosen on the attract page in its own name, is the visit's. */
static void
test_language_chosen (Fixture       *fixture,
                      gconstpointer  data)
{
  GtkWidget *attract = pd_test_kiosk_page (fixture);
  g_autofree char *text = pd_test_kiosk_page_text (fixture);
  PdVisit *visit = pd_flow_get_visit (fixture->flow);

  pd_test_kiosk_look_at (fixture, "kiosk-attract.png");
  g_assert_nonnull (strstr (text, "Español"));
  g_assert_nonnull (strstr (text, "中文"));
  g_assert_nonnull (strstr (text, "This center does not accept cash."));
  g_assert_cmpstr (pd_visit_get_language (visit), ==, "en");

  pd_test_kiosk_act (attract, "attract.language", "es");
  pd_test_kiosk_settle (fixture);
  g_assert_cmpstr (pd_visit_get_language (visit), ==, "es");
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "identify");
  g_assert_cmpstr (pd_visit_get_parties (visit).language, ==, "es");
  g_assert_null (pd_visit_get_parties (visit).operator_id);
  /* The whole visit speaks Spanish: the screens are built again in it. */
  pd_test_kiosk_wait_for_text (fixture, "¿Cómo quiere que le encontremos?");
  pd_test_kiosk_look_at (fixture, "kiosk-identify-es.png");
  /* Longer words, the same 1280x800 kiosk screen. */
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), <=, 1280);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (fixture->window)), <=, 800);

  /* Starting over is a new visit, in the terminal's language. */
  pd_test_kiosk_act (GTK_WIDGET (fixture->flow), "flow.restart", NULL);
  g_assert_cmpstr (pd_visit_get_language (visit), ==, "en");
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "attract");
  pd_test_kiosk_wait_for_text (fixture, "Touch here to start");
  pd_test_kiosk_next (fixture);
  pd_test_kiosk_wait_for_text (fixture, "How would you like us to find you?");
}

/* What is wrong is said beside the field it is about, and nothing is looked up. */
static void
test_field_errors (Fixture       *fixture,
                   gconstpointer  data)
{
  GtkWidget *error;
  guint before;

  pd_test_kiosk_start_with_invoice (fixture);
  /* Nothing typed yet: the way on is not offered. */
  g_assert_false (pd_page_get_complete (PD_PAGE (pd_test_kiosk_page (fixture))));

  pd_test_kiosk_type (fixture, PD_FIELD_INVOICE_ACCOUNT, "4001");
  pd_test_kiosk_type (fixture, PD_FIELD_INVOICE_NUMBER, PD_TEST_MARIA_INVOICE);
  g_assert_true (pd_page_get_complete (PD_PAGE (pd_test_kiosk_page (fixture))));
  before = pd_test_core_count_ledger (fixture->core);
  pd_test_kiosk_next (fixture);

  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "identify");
  error = pd_test_kiosk_field_error (fixture, PD_FIELD_INVOICE_ACCOUNT);
  g_assert_true (gtk_widget_get_visible (error));
  g_test_message ("%s", gtk_label_get_label (GTK_LABEL (error)));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (error)), !=, "");
  g_assert_false (gtk_widget_get_visible (pd_test_kiosk_field_error (fixture, PD_FIELD_INVOICE_NUMBER)));
  g_assert_cmpuint (pd_test_core_count_ledger (fixture->core), ==, before);
  pd_test_kiosk_look_at (fixture, "kiosk-identify-error.png");

  /* The member ID card's way: each field checked the same way. */
  pd_test_kiosk_act (pd_test_kiosk_page (fixture), "identify.method", "member");
  pd_test_kiosk_type (fixture, PD_FIELD_MEMBER_ID, "12345678901");
  pd_test_kiosk_type (fixture, PD_FIELD_ZIP, "1000");
  pd_test_kiosk_type (fixture, PD_FIELD_DATE_OF_BIRTH, "07/04/1961");
  pd_test_kiosk_type (fixture, PD_FIELD_FIRST_NAME, "MARIA");
  pd_test_kiosk_type (fixture, PD_FIELD_LAST_NAME, "GONZALEZ");
  pd_test_kiosk_next (fixture);
  pd_test_kiosk_look_at (fixture, "kiosk-identify-member.png");
  g_assert_true (gtk_widget_get_visible (pd_test_kiosk_field_error (fixture, PD_FIELD_ZIP)));
  /* Everything fits a 1280x800 kiosk screen: the window did not have to grow. */
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), <=, 1280);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (fixture->window)), <=, 800);
  g_assert_false (gtk_widget_get_visible (pd_test_kiosk_field_error (fixture, PD_FIELD_MEMBER_ID)));
}

/* Not found says so; the third time, the kiosk sends the member to an associate. */
static void
test_not_found_then_help (Fixture       *fixture,
                          gconstpointer  data)
{
  PdVisit *visit = pd_flow_get_visit (fixture->flow);

  pd_test_kiosk_start_with_invoice (fixture);
  for (guint attempt = 1; attempt <= PD_VISIT_LOOKUPS_BEFORE_HELP; attempt++)
    {
      g_autofree char *text = NULL;

      pd_test_kiosk_type (fixture, PD_FIELD_INVOICE_ACCOUNT, "400999999999");
      pd_test_kiosk_type (fixture, PD_FIELD_INVOICE_NUMBER, PD_TEST_MARIA_INVOICE);
      pd_test_kiosk_next (fixture);
      text = pd_test_kiosk_page_text (fixture);
      g_test_message ("attempt %u: %s", attempt, text);
      g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "identify");
      g_assert_cmpuint (pd_visit_get_failed_lookups (visit), ==, attempt);
      if (attempt < PD_VISIT_LOOKUPS_BEFORE_HELP)
        g_assert_nonnull (strstr (text, "We could not find an account"));
      else
        g_assert_nonnull (strstr (text, "ask an associate"));
    }
  pd_test_kiosk_look_at (fixture, "kiosk-identify-help.png");
}

static gboolean
text_has_member_data (const char *text)
{
  const char *member_data[] = { "MARIA", "Maria", "GONZALEZ", "Gonzalez", PD_TEST_MARIA_ACCOUNT,
                                "6789", PD_TEST_MARIA_INVOICE, "12345678901" };

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

  pd_test_kiosk_start_with_invoice (fixture);
  pd_test_kiosk_type (fixture, PD_FIELD_INVOICE_ACCOUNT, PD_TEST_MARIA_ACCOUNT);
  pd_test_kiosk_type (fixture, PD_FIELD_INVOICE_NUMBER, PD_TEST_MARIA_INVOICE);
  pd_test_kiosk_look_at (fixture, "kiosk-identify-invoice.png");
  pd_test_kiosk_next (fixture);

  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "accounts");
  g_assert_true (pd_visit_has_member (visit));
  /* An invoice belongs to one account: the core answers with that one. */
  g_assert_cmpuint (g_list_model_get_n_items (pd_visit_get_accounts (visit)), ==, 1);
  text = pd_test_kiosk_page_text (fixture);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "Welcome, Maria"));
  g_assert_nonnull (strstr (text, "Essential Plan"));
  g_assert_nonnull (strstr (text, "Account ending in 6789"));
  g_assert_nonnull (strstr (text, "paid separately"));
  /* Never the whole account number on screen. */
  g_assert_null (strstr (text, PD_TEST_MARIA_ACCOUNT));
  card = pd_test_gui_find_by_type (pd_test_kiosk_page (fixture), PD_TYPE_ACCOUNT_CARD);
  g_assert_nonnull (card);
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (gtk_widget_get_first_child (card)),
                                   GTK_ACCESSIBLE_ROLE_BUTTON);
  pd_test_kiosk_look_at (fixture, "kiosk-accounts.png");
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1920, 1080);
  pd_test_kiosk_look_at (fixture, "kiosk-accounts-1920.png");
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

  pd_test_kiosk_find_maria (fixture);
  g_assert_true (gtk_widget_activate_action (pd_test_kiosk_page (fixture), "accounts.choose", "u", 0));
  pd_test_kiosk_settle (fixture);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "amount");
  page = pd_test_kiosk_page (fixture);
  text = pd_test_kiosk_page_text (fixture);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "$150.00"));
  g_assert_nonnull (strstr (text, "$75.00"));
  g_assert_nonnull (strstr (text, "Essential Plan, account ending in 6789"));
  g_assert_false (pd_page_get_complete (PD_PAGE (page)));

  pd_test_kiosk_act (page, "amount.choose", "other");
  g_assert_false (pd_page_get_complete (PD_PAGE (page)));
  pd_test_kiosk_type_named (fixture, "amount", "200");
  pd_test_kiosk_next (fixture);
  refused = pd_test_kiosk_page_text (fixture);
  g_assert_nonnull (strstr (refused, "more than this account's balance ($150.00)"));
  g_assert_cmpint (pd_visit_get_amount (visit), ==, 0);
  pd_test_kiosk_look_at (fixture, "kiosk-amount-refused.png");

  pd_test_kiosk_type_named (fixture, "amount", "75.50");
  pd_test_kiosk_next (fixture);
  g_assert_cmpint (pd_visit_get_amount (visit), ==, 7550);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "tender");

  /* Back to change it: the balance this time. */
  pd_test_kiosk_act (GTK_WIDGET (fixture->flow), "flow.back", NULL);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "amount");
  pd_test_kiosk_act (page, "amount.choose", "balance");
  pd_test_kiosk_next (fixture);
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

  pd_test_kiosk_find_maria (fixture);
  g_assert_true (gtk_widget_activate_action (pd_test_kiosk_page (fixture), "accounts.choose", "u", 0));
  pd_test_kiosk_settle (fixture);
  pd_test_kiosk_act (pd_test_kiosk_page (fixture), "amount.choose", "minimum");
  pd_test_kiosk_next (fixture);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "tender");
  page = pd_test_kiosk_page (fixture);
  card_button = pd_test_gui_find_by_name (page, "card_button");
  g_assert_nonnull (card_button);

  /* The test's pcscd has the vpcd readers: cards are taken; this terminal was opened
   * without its devices, so the check scanner's absence is said, not hidden. */
  text = pd_test_kiosk_page_text (fixture);
  while (strstr (text, "Looking for the card reader") != NULL)
    {
      g_main_context_iteration (NULL, TRUE);
      g_free (text);
      text = pd_test_kiosk_page_text (fixture);
    }
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "We do not accept cash."));
  g_assert_nonnull (strstr (text, "You are paying $75.00 on your Essential Plan account."));
  g_assert_nonnull (strstr (text, "This kiosk has no check scanner."));
  g_assert_null (strstr (text, "does not take cards yet"));
  g_assert_false (gtk_widget_get_sensitive (pd_test_gui_find_by_name (page, "check_button")));
  g_assert_true (gtk_widget_get_sensitive (card_button));
  g_assert_true (gtk_widget_get_sensitive (pd_test_gui_find_by_name (page, "bank_button")));
  pd_test_kiosk_look_at (fixture, "kiosk-tender.png");

  g_assert_false (pd_visit_get_tender (visit, &tender));
  pd_test_kiosk_act (page, "tender.choose", "bank");
  pd_test_kiosk_settle (fixture);
  g_assert_true (pd_visit_get_tender (visit, &tender));
  g_assert_cmpint (tender, ==, PD_TENDER_BANK);
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

  pd_test_kiosk_find_maria (fixture);
  g_assert_true (gtk_widget_activate_action (pd_test_kiosk_page (fixture), "accounts.choose", "u", 0));
  pd_test_kiosk_settle (fixture);
  pd_test_kiosk_act (pd_test_kiosk_page (fixture), "amount.choose", "minimum");
  pd_test_kiosk_next (fixture);
  pd_test_kiosk_act (pd_test_kiosk_page (fixture), "tender.choose", "bank");
  pd_test_kiosk_settle (fixture);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "bank");
  page = pd_test_kiosk_page (fixture);

  /* The routing number's check digit, said as soon as the ninth digit is typed. */
  pd_test_kiosk_type (fixture, PD_FIELD_ROUTING_NUMBER, "021000022");
  g_assert_true (gtk_widget_get_visible (pd_test_kiosk_field_error (fixture, PD_FIELD_ROUTING_NUMBER)));
  /* Said beside the field, the page still keeps to the kiosk's screen. */
  pd_test_gui_wait_until_drawn (GTK_WIDGET (fixture->window));
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (fixture->window)), <=, 800);
  pd_test_kiosk_type (fixture, PD_FIELD_ROUTING_NUMBER, "021000021");
  g_assert_false (gtk_widget_get_visible (pd_test_kiosk_field_error (fixture, PD_FIELD_ROUTING_NUMBER)));
  pd_test_kiosk_type (fixture, PD_FIELD_ACCOUNT_HOLDER, "MARIA L GONZALEZ");
  pd_test_kiosk_type (fixture, PD_FIELD_BANK_ACCOUNT, "000123456789");
  pd_test_kiosk_type (fixture, PD_FIELD_BANK_ACCOUNT_AGAIN, "000123456788");
  pd_test_kiosk_act (page, "bank.type", "checking");
  pd_test_kiosk_look_at (fixture, "kiosk-bank.png");
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (fixture->window)), <=, 800);
  g_assert_nonnull (pd_test_gui_find_by_name (page, "check_picture"));
  pd_test_kiosk_next (fixture);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "bank");
  g_assert_true (gtk_widget_get_visible (pd_test_kiosk_field_error (fixture, PD_FIELD_BANK_ACCOUNT_AGAIN)));
  /* Typed, the account number is hidden: only the field being typed in shows it. */
  g_assert_false (gtk_entry_get_visibility (GTK_ENTRY (pd_test_gui_find_by_name (
    page, pd_field_to_string (PD_FIELD_BANK_ACCOUNT)))));
  pd_test_kiosk_type (fixture, PD_FIELD_BANK_ACCOUNT_AGAIN, "000123456789");
  pd_test_kiosk_next (fixture);

  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "authorize");
  page = pd_test_kiosk_page (fixture);
  text = pd_test_kiosk_page_text (fixture);
  g_assert_nonnull (strstr (text, "$75.00 from your checking account ending in 6789"));
  g_assert_nonnull (strstr (text, "authorize"));
  /* No signature yet: "I authorize this payment" waits for one. */
  g_assert_false (pd_page_get_complete (PD_PAGE (page)));
  pad = pd_test_gui_find_by_type (page, PD_TYPE_SIGNATURE_PAD);
  pd_test_kiosk_sign (pad);
  g_assert_true (pd_signature_pad_is_signed (PD_SIGNATURE_PAD (pad)));
  g_assert_true (pd_page_get_complete (PD_PAGE (page)));
  pd_test_kiosk_look_at (fixture, "kiosk-authorize.png");
  pd_test_kiosk_next (fixture);

  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "result");
  pd_test_kiosk_look_at (fixture, "kiosk-result.png");
  g_clear_pointer (&text, g_free);
  text = pd_test_kiosk_page_text (fixture);
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
  pd_test_kiosk_act (GTK_WIDGET (fixture->flow), "flow.back", NULL);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "result");
  g_assert_true (pd_visit_get_payment (visit) == payment);
  recorded = pd_journal_get_signature (journal, pd_payment_get_id (payment), &error);
  g_assert_no_error (error);
  g_assert_nonnull (recorded);
  g_assert_false (pd_signature_is_blank (recorded));

  pd_test_kiosk_act (GTK_WIDGET (fixture->flow), "flow.restart", NULL);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "attract");
  g_assert_null (pd_visit_get_bank_account (visit));
  g_assert_null (pd_visit_get_payment (visit));
  held = pd_test_gui_all_text (GTK_WIDGET (fixture->flow));
  g_assert_false (text_has_member_data (held));
  g_assert_null (strstr (held, "000123456789"));
  g_assert_null (strstr (held, "021000021"));
}

static void
pay_by_bank (Fixture *fixture)
{
  pd_test_kiosk_reach_tender (fixture, "minimum");
  pd_test_kiosk_act (pd_test_kiosk_page (fixture), "tender.choose", "bank");
  pd_test_kiosk_settle (fixture);
  pd_test_kiosk_pay_by_bank (fixture);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "result");
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
  pd_test_kiosk_next (fixture);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "receipt");
  page = pd_test_kiosk_page (fixture);
  pd_test_kiosk_look_at (fixture, "kiosk-receipt.png");

  printer = pd_peripherals_dup_printer (pd_terminal_get_peripherals (fixture->terminal), &error);
  g_assert_no_error (error);
  g_assert_true (PD_IS_TRAINING_PRINTER (printer));

  /* Out of paper: said, with the email offered. */
  paper_out = g_build_filename (pd_training_printer_get_output_directory (
                                  PD_TRAINING_PRINTER (printer)), "paper-out", NULL);
  g_assert_cmpint (g_mkdir_with_parents (pd_training_printer_get_output_directory (
                                           PD_TRAINING_PRINTER (printer)), 0700), ==, 0);
  pd_test_write_file (paper_out, "");
  pd_test_kiosk_act (page, "receipt.print", NULL);
  pd_test_kiosk_wait_for_text (fixture, "could not be printed");
  pd_test_kiosk_wait_for_text (fixture, "emailed");
  g_assert_null (pd_training_printer_dup_last_receipt (PD_TRAINING_PRINTER (printer)));
  g_assert_cmpint (g_unlink (paper_out), ==, 0);

  pd_test_kiosk_act (page, "receipt.print", NULL);
  pd_test_kiosk_wait_for_text (fixture, "Your receipt is printed");
  printed_image = pd_training_printer_dup_last_receipt (PD_TRAINING_PRINTER (printer));
  g_assert_nonnull (printed_image);

  /* A mistyped address, said beside the field; then the right one, delivered. */
  pd_test_kiosk_act (page, "receipt.ask-email", NULL);
  pd_test_kiosk_type_named (fixture, pd_field_to_string (PD_FIELD_EMAIL), "maria@example");
  pd_test_kiosk_act (page, "receipt.send-email", NULL);
  while (!gtk_widget_get_visible (pd_test_kiosk_field_error (fixture, PD_FIELD_EMAIL)))
    g_main_context_iteration (NULL, TRUE);
  pd_test_kiosk_type_named (fixture, pd_field_to_string (PD_FIELD_EMAIL), "maria@example.org");
  pd_test_kiosk_look_at (fixture, "kiosk-receipt-email.png");
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (fixture->window)), <=, 800);
  pd_test_kiosk_act (page, "receipt.send-email", NULL);
  pd_test_kiosk_wait_for_text (fixture, "Your receipt was emailed");
  delivered = pd_test_mail_list (fixture->mail);
  g_assert_cmpuint (delivered->len, ==, 1);
  {
    g_autoptr(PdTestMessage) message = pd_test_message_read (g_ptr_array_index (delivered, 0));
    const char *subject = pd_test_message_header (message, "subject");

    g_test_message ("%s", subject);
    g_assert_nonnull (strstr (subject, pd_payment_get_confirmation (pd_visit_get_payment (visit))));
  }

  pd_test_kiosk_act (GTK_WIDGET (fixture->flow), "flow.restart", NULL);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "attract");
  {
    g_autofree char *held = pd_test_gui_all_text (GTK_WIDGET (fixture->flow));

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

  pd_test_kiosk_start_with_invoice (fixture);
  pd_test_kiosk_type (fixture, PD_FIELD_INVOICE_ACCOUNT, PD_TEST_MARIA_ACCOUNT);
  pd_test_kiosk_type (fixture, PD_FIELD_INVOICE_NUMBER, PD_TEST_MARIA_INVOICE);
  pd_test_kiosk_next (fixture);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "accounts");
  g_assert_true (gtk_widget_activate_action (pd_test_kiosk_page (fixture), "accounts.choose", "u", 0));
  pd_test_kiosk_settle (fixture);
  g_assert_nonnull (pd_visit_get_account (visit));
  /* The invoice due first is the one paid. */
  g_assert_cmpstr (pd_invoice_get_number (pd_visit_get_invoice (visit)), ==, "INV2026100042");

  /* The member walks away: the visit ends. */
  pd_test_kiosk_act (GTK_WIDGET (fixture->flow), "flow.restart", NULL);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "attract");
  g_assert_false (pd_visit_has_member (visit));
  g_assert_null (pd_visit_get_account (visit));
  g_assert_null (pd_visit_get_first_name (visit));
  g_assert_cmpuint (pd_visit_get_failed_lookups (visit), ==, 0);
  held = pd_test_gui_all_text (GTK_WIDGET (fixture->flow));
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

  pd_test_kiosk_start_with_invoice (fixture);
  pd_test_kiosk_type (fixture, PD_FIELD_INVOICE_ACCOUNT, PD_TEST_MARIA_ACCOUNT);
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
  pd_test_kiosk_act (GTK_WIDGET (fixture->flow), "flow.more-time", NULL);
  g_assert_false (pd_flow_is_asking_more_time (fixture->flow));
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "identify");
  entry = pd_test_gui_find_by_name (pd_test_kiosk_page (fixture),
                                    pd_field_to_string (PD_FIELD_INVOICE_ACCOUNT));
  /* Nothing typed is lost by asking for more time. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, PD_TEST_MARIA_ACCOUNT);

  /* Asked again, and this time nobody answers. */
  wait_for_more_time_question (fixture);
  while (g_strcmp0 (pd_flow_get_visible_page_name (fixture->flow), "attract") != 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (pd_flow_is_asking_more_time (fixture->flow));
  g_assert_false (pd_visit_has_member (visit));
  held = pd_test_gui_all_text (GTK_WIDGET (fixture->flow));
  g_assert_false (text_has_member_data (held));
}

/* A payment whose outcome could not be recorded may have gone through: the visit takes no
 * other payment (no way back to the ways to pay), until it ends. */
static void
test_outcome_unknown (Fixture       *fixture,
                      gconstpointer  data)
{
  PdVisit *visit = pd_flow_get_visit (fixture->flow);

  pd_test_kiosk_reach_tender (fixture, "minimum");
  pd_test_kiosk_act (pd_test_kiosk_page (fixture), "tender.choose", "bank");
  pd_test_kiosk_settle (fixture);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "bank");
  pd_visit_mark_outcome_unknown (visit);
  pd_test_kiosk_act (GTK_WIDGET (fixture->flow), "flow.back", NULL);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "bank");
  pd_test_kiosk_act (GTK_WIDGET (fixture->flow), "flow.go", "tender");
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "bank");

  /* The next visit pays again. */
  pd_test_kiosk_act (GTK_WIDGET (fixture->flow), "flow.restart", NULL);
  g_assert_false (pd_visit_get_outcome_unknown (visit));
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "attract");
}

#define ADD(name, func) \
  g_test_add ("/kiosk/" name, Fixture, NULL, pd_test_kiosk_set_up, func, pd_test_kiosk_tear_down)

int
main (int    argc,
      char **argv)
{
  if (!pd_test_kiosk_init (&argc, &argv))
    return 0;

  g_test_add_func ("/kiosk/names-checked", test_names_checked);
  ADD ("language-chosen", test_language_chosen);
  ADD ("field-errors", test_field_errors);
  ADD ("not-found-then-help", test_not_found_then_help);
  ADD ("found-accounts", test_found_accounts);
  ADD ("amount", test_amount);
  ADD ("tender", test_tender);
  ADD ("bank-payment", test_bank_payment);
  g_test_add ("/kiosk/receipt", Fixture, "devices", pd_test_kiosk_set_up, test_receipt,
              pd_test_kiosk_tear_down);
  ADD ("wipe", test_wipe);
  ADD ("idle-timeout", test_idle_timeout);
  ADD ("outcome-unknown", test_outcome_unknown);

  return g_test_run ();
}
