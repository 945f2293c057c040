#include <string.h>

#include "pd-payment-state.h"
#include "pd-test-common.h"

/* The allowed transitions, written out independently of the table in pos/, so that a
 * change there has to be made here too, on purpose. */
typedef struct {
  PdPaymentState from;
  PdPaymentState to;
  guint tenders;
} Allowed;

#define CARD (1u << PD_TENDER_CARD)
#define CHECK (1u << PD_TENDER_CHECK)
#define BANK (1u << PD_TENDER_BANK)
#define ANY (CARD | CHECK | BANK)

static const Allowed allowed[] = {
  { PD_PAYMENT_STATE_CREATED, PD_PAYMENT_STATE_AUTHORIZING, ANY },
  { PD_PAYMENT_STATE_CREATED, PD_PAYMENT_STATE_QUEUED, CHECK | BANK },
  { PD_PAYMENT_STATE_CREATED, PD_PAYMENT_STATE_FAILED, ANY },
  { PD_PAYMENT_STATE_AUTHORIZING, PD_PAYMENT_STATE_APPROVED, ANY },
  { PD_PAYMENT_STATE_AUTHORIZING, PD_PAYMENT_STATE_DECLINED, ANY },
  { PD_PAYMENT_STATE_AUTHORIZING, PD_PAYMENT_STATE_FAILED, ANY },
  { PD_PAYMENT_STATE_AUTHORIZING, PD_PAYMENT_STATE_QUEUED, CHECK | BANK },
  { PD_PAYMENT_STATE_AUTHORIZING, PD_PAYMENT_STATE_REVERSED, CARD },
  { PD_PAYMENT_STATE_QUEUED, PD_PAYMENT_STATE_AUTHORIZING, CHECK | BANK },
  { PD_PAYMENT_STATE_APPROVED, PD_PAYMENT_STATE_COMPLETED, ANY },
  { PD_PAYMENT_STATE_APPROVED, PD_PAYMENT_STATE_REVERSED, CARD },
  { PD_PAYMENT_STATE_COMPLETED, PD_PAYMENT_STATE_VOIDED, ANY },
  { PD_PAYMENT_STATE_COMPLETED, PD_PAYMENT_STATE_REFUNDED, ANY },
};

static gboolean
is_allowed (PdPaymentState from,
            PdPaymentState to,
            PdTender       tender)
{
  for (gsize i = 0; i < G_N_ELEMENTS (allowed); i++)
    if (allowed[i].from == from && allowed[i].to == to && (allowed[i].tenders & (1u << tender)))
      return TRUE;

  return FALSE;
}

/* Every pair of states for every tender: the allowed ones pass, every other one is refused
 * with an error that names both states. */
static void
test_every_transition (void)
{
  guint n_allowed = 0;
  guint n_forbidden = 0;

  for (guint tender = 0; tender < PD_N_TENDERS; tender++)
    for (guint from = 0; from < PD_N_PAYMENT_STATES; from++)
      for (guint to = 0; to < PD_N_PAYMENT_STATES; to++)
        {
          g_autoptr(GError) error = NULL;
          gboolean expected = is_allowed (from, to, tender);
          gboolean result = pd_payment_state_check_transition (from, to, tender, &error);

          g_test_message ("%s: %s → %s", pd_tender_to_id (tender),
                          pd_payment_state_to_id (from), pd_payment_state_to_id (to));
          g_assert_cmpint (result, ==, expected);
          g_assert_cmpint (pd_payment_state_can_transition (from, to, tender), ==, expected);

          if (expected)
            {
              g_assert_no_error (error);
              n_allowed++;
            }
          else
            {
              g_assert_error (error, PD_PAYMENT_STATE_ERROR, PD_PAYMENT_STATE_ERROR_FORBIDDEN);
              g_assert_nonnull (strstr (error->message, pd_payment_state_to_id (from)));
              g_assert_nonnull (strstr (error->message, pd_payment_state_to_id (to)));
              n_forbidden++;
            }
        }

  g_assert_cmpuint (n_allowed + n_forbidden, ==,
                    PD_N_TENDERS * PD_N_PAYMENT_STATES * PD_N_PAYMENT_STATES);
  g_assert_cmpuint (n_allowed, ==, 32);
}

static void
test_final_states (void)
{
  static const PdPaymentState final_states[] = {
    PD_PAYMENT_STATE_DECLINED, PD_PAYMENT_STATE_FAILED, PD_PAYMENT_STATE_REVERSED,
    PD_PAYMENT_STATE_VOIDED, PD_PAYMENT_STATE_REFUNDED,
  };

  for (guint state = 0; state < PD_N_PAYMENT_STATES; state++)
    {
      gboolean expected_final = FALSE;

      for (gsize i = 0; i < G_N_ELEMENTS (final_states); i++)
        expected_final |= final_states[i] == state;

      g_assert_cmpint (pd_payment_state_is_final (state), ==, expected_final);
    }
}

static void
test_ids_round_trip (void)
{
  for (guint state = 0; state < PD_N_PAYMENT_STATES; state++)
    {
      PdPaymentState parsed;

      g_assert_true (pd_payment_state_from_id (pd_payment_state_to_id (state), &parsed));
      g_assert_cmpint (parsed, ==, state);
      g_assert_cmpstr (pd_payment_state_get_name (state), !=, "");
    }

  g_assert_false (pd_payment_state_from_id ("pending-ish", &(PdPaymentState) { 0 }));

  for (guint tender = 0; tender < PD_N_TENDERS; tender++)
    {
      PdTender parsed;

      g_assert_true (pd_tender_from_id (pd_tender_to_id (tender), &parsed));
      g_assert_cmpint (parsed, ==, tender);
    }

  g_assert_false (pd_tender_from_id ("cash", &(PdTender) { 0 }));
}

int
main (int    argc,
      char **argv)
{
  pd_test_init (&argc, &argv);

  g_test_add_func ("/payment-state/every-transition", test_every_transition);
  g_test_add_func ("/payment-state/final-states", test_final_states);
  g_test_add_func ("/payment-state/ids", test_ids_round_trip);

  return g_test_run ();
}
