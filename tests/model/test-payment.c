#include <string.h>

#include "pd-business-date.h"
#include "pd-test-common.h"
#include "pd-test-pans.h"

static void
test_new_payment (void)
{
  g_autoptr(PdAccount) account = pd_test_account_new ();
  PdInvoice *invoice = pd_account_find_invoice (account, "INV2026110042");
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPayment) payment = NULL;
  g_autoptr(PdPayment) other = NULL;
  g_autofree char *business_date = NULL;

  payment = pd_payment_new (&pd_test_origin, account, invoice, 7500, PD_TENDER_BANK, NULL,
                            &error);
  g_assert_no_error (error);

  g_assert_cmpstr (pd_payment_get_account_number (payment), ==, "400123456789");
  g_assert_cmpint (pd_payment_get_line_of_business (payment), ==,
                   PD_LINE_OF_BUSINESS_ESSENTIAL_PLAN);
  g_assert_cmpstr (pd_payment_get_invoice_number (payment), ==, "INV2026110042");
  g_assert_cmpint (pd_payment_get_amount (payment), ==, 7500);
  g_assert_cmpstr (pd_payment_get_currency (payment), ==, "USD");
  g_assert_cmpint (pd_payment_get_tender (payment), ==, PD_TENDER_BANK);
  g_assert_cmpint (pd_payment_get_state (payment), ==, PD_PAYMENT_STATE_CREATED);
  g_assert_cmpstr (pd_payment_get_center_id (payment), ==, "NYC-0042");
  g_assert_true (g_str_has_prefix (pd_payment_get_client_ref (payment), "K-07-"));
  g_assert_cmpuint (strlen (pd_payment_get_client_ref (payment)), ==, strlen ("K-07-") + 16);
  g_assert_true (g_uuid_string_is_valid (pd_payment_get_idempotency_key (payment)));
  g_assert_true (g_uuid_string_is_valid (pd_payment_get_id (payment)));
  g_assert_true (g_date_valid (pd_payment_get_business_date (payment)));

  /* Each payment gets its own keys: a retry is the same payment, a new one is not. */
  other = pd_test_payment_new (account, 7500, PD_TENDER_BANK);
  g_assert_cmpstr (pd_payment_get_id (payment), !=, pd_payment_get_id (other));
  g_assert_cmpstr (pd_payment_get_client_ref (payment), !=, pd_payment_get_client_ref (other));
  g_assert_cmpstr (pd_payment_get_idempotency_key (payment), !=,
                   pd_payment_get_idempotency_key (other));

  business_date = pd_business_date_to_string (pd_payment_get_business_date (payment));
  g_assert_cmpuint (strlen (business_date), ==, 10);
}

static void
test_rejects (void)
{
  g_autoptr(PdAccount) account = pd_test_account_new ();
  g_autoptr(PdAccount) other_account = NULL;
  g_autoptr(PdInvoice) foreign_invoice = NULL;
  g_autoptr(GError) zero = NULL;
  g_autoptr(GError) negative = NULL;
  g_autoptr(GError) mixed = NULL;
  g_autoptr(GError) no_terminal = NULL;
  PdPaymentOrigin origin = pd_test_origin;

  g_assert_null (pd_payment_new (&pd_test_origin, account, NULL, 0, PD_TENDER_CARD, NULL, &zero));
  g_assert_error (zero, PD_PAYMENT_ERROR, PD_PAYMENT_ERROR_INVALID_AMOUNT);
  g_assert_null (pd_payment_new (&pd_test_origin, account, NULL, -100, PD_TENDER_CARD, NULL,
                                 &negative));
  g_assert_error (negative, PD_PAYMENT_ERROR, PD_PAYMENT_ERROR_INVALID_AMOUNT);

  /* An invoice of another account: never mix two accounts in one payment. */
  other_account = pd_account_new ("400999888777", PD_LINE_OF_BUSINESS_MEDICARE_ADVANTAGE,
                                  "MARIA L GONZALEZ", 0, 0, NULL);
  foreign_invoice = pd_invoice_new ("MA20261100", PD_INVOICE_PREMIUM, 4200, NULL);
  pd_account_add_invoice (other_account, foreign_invoice);
  g_assert_null (pd_payment_new (&pd_test_origin, account, foreign_invoice, 4200,
                                 PD_TENDER_CHECK, NULL, &mixed));
  g_assert_error (mixed, PD_PAYMENT_ERROR, PD_PAYMENT_ERROR_INVOICE_NOT_ON_ACCOUNT);
  g_assert_nonnull (strstr (mixed->message, "400123456789"));

  origin.terminal_id = "";
  g_assert_null (pd_payment_new (&origin, account, NULL, 100, PD_TENDER_CARD, NULL, &no_terminal));
  g_assert_error (no_terminal, PD_PAYMENT_ERROR, PD_PAYMENT_ERROR_INVALID_ORIGIN);
}

static void
test_tender_display_keeps_last_four_only (void)
{
  g_autoptr(PdAccount) account = pd_test_account_new ();
  g_autoptr(PdPayment) payment = pd_test_payment_new (account, 100, PD_TENDER_CARD);
  static const char * const refused[] = { "12345", "123", "12a4", PD_TEST_PAN_VISA };
  g_autoptr(GError) error = NULL;

  g_assert_true (pd_payment_set_tender_display (payment, "Visa", "0010", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (pd_payment_get_tender_last4 (payment), ==, "0010");

  for (gsize i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) refused_error = NULL;

      g_assert_false (pd_payment_set_tender_display (payment, "Visa", refused[i],
                                                     &refused_error));
      g_assert_error (refused_error, PD_PAYMENT_ERROR, PD_PAYMENT_ERROR_INVALID_TENDER_DETAILS);
      g_assert_cmpstr (pd_payment_get_tender_last4 (payment), ==, "0010");
    }
}

int
main (int    argc,
      char **argv)
{
  pd_test_init (&argc, &argv);

  g_test_add_func ("/payment/new", test_new_payment);
  g_test_add_func ("/payment/rejects", test_rejects);
  g_test_add_func ("/payment/tender-display", test_tender_display_keeps_last_four_only);

  return g_test_run ();
}
