#include "pd-test-common.h"
#include "pd-visit.h"

/* The visit's rules, without a screen: what a member may choose, and that a visit forgets
 * everything at once. */

static const PdVisitRules rules = { .max_payment = 50000, .allow_overpayment = FALSE };

static GPtrArray *
maria_accounts (void)
{
  GPtrArray *accounts = g_ptr_array_new_with_free_func (g_object_unref);

  g_ptr_array_add (accounts, pd_test_account_new ());
  return accounts;
}

static void
test_amount_rules (void)
{
  g_autoptr(PdVisit) visit = pd_visit_new ("en", &rules);
  g_autoptr(GPtrArray) accounts = maria_accounts ();
  PdAccount *account = g_ptr_array_index (accounts, 0);
  g_autoptr(GError) error = NULL;
  PdVisitRules generous = { .max_payment = 50000, .allow_overpayment = TRUE };
  g_autoptr(PdVisit) overpaying = pd_visit_new ("en", &generous);

  pd_visit_set_member (visit, "MARIA", "GONZALEZ", accounts);
  pd_visit_choose_account (visit, account, NULL);
  g_assert_nonnull (pd_visit_get_invoice (visit));
  g_assert_cmpint (pd_visit_get_amount (visit), ==, 0);

  g_assert_false (pd_visit_choose_amount (visit, 0, &error));
  g_assert_error (error, PD_VISIT_ERROR, PD_VISIT_ERROR_NO_AMOUNT);
  g_clear_error (&error);

  /* The balance is 150.00. */
  g_assert_true (pd_visit_choose_amount (visit, 15000, &error));
  g_assert_no_error (error);
  g_assert_false (pd_visit_choose_amount (visit, 15001, &error));
  g_assert_error (error, PD_VISIT_ERROR, PD_VISIT_ERROR_OVER_BALANCE);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  /* A refused amount leaves the one chosen before. */
  g_assert_cmpint (pd_visit_get_amount (visit), ==, 15000);

  pd_visit_set_member (overpaying, "MARIA", "GONZALEZ", accounts);
  pd_visit_choose_account (overpaying, account, NULL);
  g_assert_true (pd_visit_choose_amount (overpaying, 20000, &error));
  g_assert_no_error (error);
  g_assert_false (pd_visit_choose_amount (overpaying, 50001, &error));
  g_assert_error (error, PD_VISIT_ERROR, PD_VISIT_ERROR_OVER_LIMIT);
  g_clear_error (&error);

  /* At a counter the associate states the amount: a binder payment may be more than the
   * balance, never more than one payment may be. */
  {
    PdVisitRules counter_rules = { .max_payment = 50000, .stated_amounts = TRUE };
    g_autoptr(PdVisit) counter = pd_visit_new ("en", &counter_rules);

    pd_visit_set_member (counter, "MARIA", "GONZALEZ", accounts);
    pd_visit_choose_account (counter, account, NULL);
    g_assert_true (pd_visit_choose_amount (counter, 30000, &error));
    g_assert_no_error (error);
    g_assert_false (pd_visit_choose_amount (counter, 50001, &error));
    g_assert_error (error, PD_VISIT_ERROR, PD_VISIT_ERROR_OVER_LIMIT);
    g_clear_error (&error);
  }

  /* Another account, another amount to choose. */
  pd_visit_choose_account (visit, NULL, NULL);
  g_assert_cmpint (pd_visit_get_amount (visit), ==, 0);

  /* Another member found (after going back): nothing chosen for the first one stays. */
  pd_visit_choose_account (visit, account, NULL);
  g_assert_true (pd_visit_choose_amount (visit, 7500, NULL));
  pd_visit_choose_tender (visit, PD_TENDER_BANK);
  pd_visit_set_bank_account (visit, pd_bank_account_new ("021000021", "000123456789",
                                                         "checking", "Maria L Gonzalez", NULL));
  pd_visit_set_member (visit, "JOHN", "SMITH", accounts);
  g_assert_null (pd_visit_get_account (visit));
  g_assert_cmpint (pd_visit_get_amount (visit), ==, 0);
  g_assert_null (pd_visit_get_bank_account (visit));
  {
    PdTender tender;

    g_assert_false (pd_visit_get_tender (visit, &tender));
  }
  g_assert_cmpstr (pd_visit_get_first_name (visit), ==, "JOHN");
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static void
test_wipe (void)
{
  g_autoptr(PdVisit) visit = pd_visit_new ("en", &rules);
  g_autoptr(GPtrArray) accounts = maria_accounts ();
  g_autoptr(PdVisitCharge) charge = NULL;
  guint notified = 0;

  pd_visit_set_language (visit, "ko");
  pd_visit_set_member (visit, "MARIA", "GONZALEZ", accounts);
  pd_visit_choose_account (visit, g_ptr_array_index (accounts, 0), NULL);
  g_assert_true (pd_visit_choose_amount (visit, 7500, NULL));
  for (guint i = 0; i < PD_VISIT_LOOKUPS_BEFORE_HELP; i++)
    {
      g_assert_false (pd_visit_should_suggest_help (visit));
      pd_visit_count_failed_lookup (visit);
    }
  g_assert_true (pd_visit_should_suggest_help (visit));
  g_assert_cmpstr (pd_visit_get_parties (visit).language, ==, "ko");
  pd_visit_choose_tender (visit, PD_TENDER_BANK);
  pd_visit_set_bank_account (visit, pd_bank_account_new ("021000021", "000123456789",
                                                         "checking", "Maria L Gonzalez", NULL));
  g_assert_nonnull (pd_visit_get_bank_account (visit));
  g_assert_null (pd_visit_get_parties (visit).operator_id);

  g_signal_connect (visit, "notify", G_CALLBACK (count_notify), &notified);
  /* A payment's worker keeps its own copy of what it charges: the wipe leaves it whole. */
  charge = pd_visit_dup_charge (visit);
  pd_visit_mark_outcome_unknown (visit);
  pd_visit_wipe (visit);
  g_assert_cmpint (charge->amount, ==, 7500);
  g_assert_nonnull (charge->invoice);
  g_assert_cmpstr (pd_account_get_number (charge->account), ==,
                   pd_account_get_number (g_ptr_array_index (accounts, 0)));
  g_assert_cmpstr (pd_visit_charge_get_parties (charge).language, ==, "ko");
  g_assert_null (pd_visit_charge_get_parties (charge).operator_id);
  g_assert_null (pd_visit_dup_charge (visit));
  g_assert_false (pd_visit_get_outcome_unknown (visit));

  g_assert_false (pd_visit_has_member (visit));
  g_assert_null (pd_visit_get_first_name (visit));
  g_assert_cmpuint (g_list_model_get_n_items (pd_visit_get_accounts (visit)), ==, 0);
  g_assert_null (pd_visit_get_account (visit));
  g_assert_null (pd_visit_get_invoice (visit));
  g_assert_cmpint (pd_visit_get_amount (visit), ==, 0);
  g_assert_cmpuint (pd_visit_get_failed_lookups (visit), ==, 0);
  g_assert_false (pd_visit_should_suggest_help (visit));
  g_assert_cmpstr (pd_visit_get_language (visit), ==, "en");
  {
    PdTender tender;

    g_assert_false (pd_visit_get_tender (visit, &tender));
  }
  g_assert_null (pd_visit_get_bank_account (visit));
  g_assert_null (pd_visit_get_signature (visit));
  /* Whatever shows the visit hears that it changed. */
  g_assert_cmpuint (notified, >=, 5);
}

int
main (int    argc,
      char **argv)
{
  pd_test_init (&argc, &argv);

  g_test_add_func ("/visit/amount-rules", test_amount_rules);
  g_test_add_func ("/visit/wipe", test_wipe);

  return g_test_run ();
}
