#include "pd-bank-account.h"
#include "pd-line-of-business.h"
#include "pd-test-common.h"

static void
test_lines_of_business (void)
{
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < PD_N_LINES_OF_BUSINESS; i++)
    {
      const char *id = pd_line_of_business_to_id ((PdLineOfBusiness) i);
      PdLineOfBusiness parsed;

      g_assert_nonnull (id);
      g_assert_false (g_hash_table_contains (ids, id));
      g_hash_table_add (ids, (gpointer) id);
      g_assert_true (pd_line_of_business_from_id (id, &parsed));
      g_assert_cmpint (parsed, ==, i);
      g_assert_cmpstr (pd_line_of_business_get_name ((PdLineOfBusiness) i), !=, "");
    }

  g_assert_cmpuint (g_hash_table_size (ids), ==, 9);
  g_assert_false (pd_line_of_business_from_id ("dental", &(PdLineOfBusiness) { 0 }));
  g_assert_false (pd_line_of_business_from_id (NULL, &(PdLineOfBusiness) { 0 }));
}

static void
test_account_invoices (void)
{
  g_autoptr(PdAccount) account = pd_test_account_new ();
  g_autoptr(PdInvoice) spenddown = NULL;
  GListModel *invoices = pd_account_get_invoices (account);
  PdInvoiceKind kind;
  GDate due;

  g_assert_cmpstr (pd_account_get_number (account), ==, "400123456789");
  g_assert_cmpint (pd_account_get_line_of_business (account), ==,
                   PD_LINE_OF_BUSINESS_ESSENTIAL_PLAN);
  g_assert_cmpint (pd_account_get_balance (account), ==, 15000);
  g_assert_cmpint (pd_account_get_minimum_due (account), ==, 7500);
  g_assert_cmpuint (g_date_get_day (pd_account_get_due_date (account)), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (invoices), ==, 1);

  g_date_clear (&due, 1);
  spenddown = pd_invoice_new ("SPD0000777", PD_INVOICE_SPENDDOWN, 31250, NULL);
  pd_account_add_invoice (account, spenddown);
  g_assert_cmpuint (g_list_model_get_n_items (invoices), ==, 2);
  g_assert_true (pd_account_find_invoice (account, "SPD0000777") == spenddown);
  g_assert_null (pd_account_find_invoice (account, "NOPE000000"));
  g_assert_false (g_date_valid (pd_invoice_get_due_date (spenddown)));
  g_assert_cmpint (pd_invoice_get_amount_due (spenddown), ==, 31250);

  g_assert_cmpstr (pd_invoice_kind_to_id (PD_INVOICE_SPENDDOWN), ==, "spenddown");
  g_assert_true (pd_invoice_kind_from_id ("premium", &kind));
  g_assert_cmpint (kind, ==, PD_INVOICE_PREMIUM);
  g_assert_false (pd_invoice_kind_from_id ("copay", &kind));
}

/* ABA routing numbers: 3(d1+d4+d7) + 7(d2+d5+d8) + (d3+d6+d9) a multiple of 10. The refused
 * ones include sums that are 5 modulo 10, which a check for multiples of 5 would let by. */
static void
test_routing_check_digit (void)
{
  const char *valid[] = { "021000021", "011000015", "121000358", "026009593", "322271627" };
  const char *refused[] = {
    "021000022", /* sum ≡ 1 */
    "021000026", /* sum ≡ 5 */
    "011000010", /* sum ≡ 5 */
    "121000353", /* sum ≡ 5 */
    "02100002",  /* too short */
    "0210000210", /* too long */
    "02100002A",
    "000000000", /* passes the arithmetic, but is no bank */
    "",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (valid); i++)
    g_assert_true (pd_routing_number_is_valid (valid[i]));
  for (gsize i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_test_message ("%s", refused[i]);
      g_assert_false (pd_routing_number_is_valid (refused[i]));
    }
  g_assert_false (pd_routing_number_is_valid (NULL));
}

int
main (int    argc,
      char **argv)
{
  pd_test_init (&argc, &argv);

  g_test_add_func ("/account/lines-of-business", test_lines_of_business);
  g_test_add_func ("/account/invoices", test_account_invoices);
  g_test_add_func ("/account/routing-check-digit", test_routing_check_digit);

  return g_test_run ();
}
