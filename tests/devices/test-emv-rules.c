#include <string.h>

#include "pd-emv-cvm.h"
#include "pd-emv-data.h"
#include "pd-emv-rules.h"
#include "pd-emv-select.h"
#include "pd-emv-tags.h"
#include "pd-emv-terminal.h"
#include "pd-config.h"
#include "pd-hex.h"
#include "pd-test-common.h"

static GBytes *
hex (const char *text)
{
  GBytes *bytes = pd_hex_decode_bytes (text);

  g_assert_nonnull (bytes);
  return bytes;
}

static void
evaluate (const char      *list_hex,
          gboolean         attended,
          gint64           amount,
          PdEmvCvmOutcome *outcome)
{
  g_autoptr(GBytes) list = hex (list_hex);
  PdEmvTerminal terminal;

  pd_emv_terminal_init_defaults (&terminal, attended);
  pd_emv_cvm_evaluate (g_bytes_get_data (list, NULL), g_bytes_get_size (list), &terminal, amount,
                       TRUE, &outcome[0]);
}

/* X = $50.00, Y = 0; online PIN, then signature, then No CVM, each "if the terminal supports
 * it" and applying the next rule when it fails. */
#define US_CREDIT_LIST "00001388" "00000000" "4203" "5E03" "1F03"

static void
test_cvm_kiosk_takes_no_cvm (void)
{
  PdEmvCvmOutcome outcome;

  evaluate (US_CREDIT_LIST, FALSE, 7500, &outcome);
  g_assert_false (outcome.failed);
  g_assert_false (outcome.signature_required);
  g_assert_cmphex (outcome.results[0], ==, 0x1f);
  g_assert_cmphex (outcome.results[1], ==, 0x03);
  g_assert_cmphex (outcome.results[2], ==, 0x02);
}

static void
test_cvm_counter_takes_signature (void)
{
  PdEmvCvmOutcome outcome;

  evaluate (US_CREDIT_LIST, TRUE, 7500, &outcome);
  g_assert_false (outcome.failed);
  g_assert_true (outcome.signature_required);
  g_assert_cmphex (outcome.results[0], ==, 0x5e);
  /* Signature: the result is unknown until the associate has seen it. */
  g_assert_cmphex (outcome.results[2], ==, 0x00);
}

static void
test_cvm_pin_only_card_fails (void)
{
  PdEmvCvmOutcome outcome;

  /* Online PIN always, and nothing after it: this terminal has no secure PIN pad. */
  evaluate ("00000000" "00000000" "0200", FALSE, 7500, &outcome);
  g_assert_true (outcome.failed);
  g_assert_true (outcome.pin_pad_missing);
  g_assert_cmphex (outcome.results[2], ==, 0x01);
}

static void
test_cvm_amount_conditions (void)
{
  PdEmvCvmOutcome outcome;

  /* No CVM under X ($10.00), signature above it. */
  evaluate ("000003E8" "00000000" "1F06" "1E07", TRUE, 500, &outcome);
  g_assert_cmphex (outcome.results[0], ==, 0x1f);
  evaluate ("000003E8" "00000000" "1F06" "1E07", TRUE, 5000, &outcome);
  g_assert_cmphex (outcome.results[0], ==, 0x1e);
  g_assert_true (outcome.signature_required);
  /* At a kiosk the signature rule cannot be done and does not allow the next: fails. */
  evaluate ("000003E8" "00000000" "1F06" "1E07", FALSE, 5000, &outcome);
  g_assert_true (outcome.failed);
}

static void
test_cvm_malformed_lists (void)
{
  PdEmvCvmOutcome outcome;

  /* Too short to hold X and Y and one rule. */
  evaluate ("0000", FALSE, 100, &outcome);
  g_assert_true (outcome.failed);
  /* A method nobody knows, with "apply next": then No CVM. */
  evaluate ("00000000" "00000000" "7A00" "1F00", FALSE, 100, &outcome);
  g_assert_true (outcome.unrecognised);
  g_assert_false (outcome.failed);
  g_assert_cmphex (outcome.results[0], ==, 0x1f);
  /* An odd trailing byte is ignored, not read past. */
  evaluate ("00000000" "00000000" "1F00" "1E", FALSE, 100, &outcome);
  g_assert_false (outcome.failed);
}

static void
set_hex (PdEmvData  *data,
         guint32     tag,
         const char *value)
{
  g_autoptr(GBytes) bytes = hex (value);

  pd_emv_data_set_bytes (data, tag, bytes);
}

static void
test_restrictions (void)
{
  static const guint8 today[3] = { 0x26, 0x11, 0x23 };
  g_autoptr(PdEmvData) data = pd_emv_data_new ();
  PdEmvTerminal terminal;
  guint8 tvr[5] = { 0 };

  pd_emv_terminal_init_defaults (&terminal, FALSE);

  /* A domestic card valid for services, in date, same version: nothing set. */
  set_hex (data, PD_TAG_APP_VERSION_CARD, "008C");
  set_hex (data, PD_TAG_AUC, "FF00");
  set_hex (data, PD_TAG_ISSUER_COUNTRY, "0840");
  set_hex (data, PD_TAG_EFFECTIVE, "240101");
  set_hex (data, PD_TAG_EXPIRY, "291231");
  pd_emv_check_restrictions (data, &terminal, 0x008c, today, tvr);
  g_assert_cmpmem (tvr, 5, "\0\0\0\0\0", 5);

  /* Expired yesterday; not effective until tomorrow; other version. */
  set_hex (data, PD_TAG_EXPIRY, "261122");
  set_hex (data, PD_TAG_EFFECTIVE, "261124");
  pd_emv_check_restrictions (data, &terminal, 0x0096, today, tvr);
  g_assert_true (pd_emv_tvr_has (tvr, PD_TVR_EXPIRED));
  g_assert_true (pd_emv_tvr_has (tvr, PD_TVR_NOT_YET_EFFECTIVE));
  g_assert_true (pd_emv_tvr_has (tvr, PD_TVR_VERSIONS_DIFFER));
  g_assert_false (pd_emv_tvr_has (tvr, PD_TVR_SERVICE_NOT_ALLOWED));

  /* Expiring today is still valid; 49 is 2049, not 1949. */
  memset (tvr, 0, 5);
  set_hex (data, PD_TAG_EXPIRY, "261123");
  set_hex (data, PD_TAG_EFFECTIVE, "490101");
  pd_emv_check_restrictions (data, &terminal, 0x008c, today, tvr);
  g_assert_false (pd_emv_tvr_has (tvr, PD_TVR_EXPIRED));
  g_assert_true (pd_emv_tvr_has (tvr, PD_TVR_NOT_YET_EFFECTIVE));

  /* Valid for domestic services only, issued abroad: not allowed here. */
  memset (tvr, 0, 5);
  set_hex (data, PD_TAG_EFFECTIVE, "240101");
  set_hex (data, PD_TAG_AUC, "0900");
  set_hex (data, PD_TAG_ISSUER_COUNTRY, "0124");
  pd_emv_check_restrictions (data, &terminal, 0x008c, today, tvr);
  g_assert_true (pd_emv_tvr_has (tvr, PD_TVR_SERVICE_NOT_ALLOWED));

  /* ATM-only card. */
  memset (tvr, 0, 5);
  set_hex (data, PD_TAG_AUC, "0E00");
  set_hex (data, PD_TAG_ISSUER_COUNTRY, "0840");
  pd_emv_check_restrictions (data, &terminal, 0x008c, today, tvr);
  g_assert_true (pd_emv_tvr_has (tvr, PD_TVR_SERVICE_NOT_ALLOWED));
}

static void
test_action_analysis (void)
{
  g_autoptr(PdEmvData) data = pd_emv_data_new ();
  PdEmvTerminal terminal;
  guint8 tvr[5] = { 0 };

  pd_emv_terminal_init_defaults (&terminal, FALSE);

  /* Floor limit exceeded only: online. */
  pd_emv_tvr_set (tvr, PD_TVR_FLOOR_LIMIT_EXCEEDED);
  g_assert_false (pd_emv_action_denies (data, &terminal, tvr));

  /* ODA failed: the terminal's codes send it online, not deny it. */
  pd_emv_tvr_set (tvr, PD_TVR_DDA_FAILED);
  g_assert_false (pd_emv_action_denies (data, &terminal, tvr));

  /* The issuer's denial code says "no" to a failed DDA. */
  set_hex (data, PD_TAG_IAC_DENIAL, "0800000000");
  g_assert_true (pd_emv_action_denies (data, &terminal, tvr));

  /* The terminal's own denial code: an expired card. */
  set_hex (data, PD_TAG_IAC_DENIAL, "0000000000");
  memset (tvr, 0, 5);
  pd_emv_tvr_set (tvr, PD_TVR_EXPIRED);
  g_assert_true (pd_emv_action_denies (data, &terminal, tvr));

  /* A malformed (short) IAC is as good as none. */
  set_hex (data, PD_TAG_IAC_DENIAL, "FF");
  memset (tvr, 0, 5);
  pd_emv_tvr_set (tvr, PD_TVR_CVM_FAILED);
  g_assert_false (pd_emv_action_denies (data, &terminal, tvr));
}

static const PdEmvAid *
lookup (const PdEmvTerminal *terminal,
        const char          *aid_hex)
{
  g_autoptr(GBytes) aid = hex (aid_hex);

  return pd_emv_aid_lookup (terminal, g_bytes_get_data (aid, NULL), g_bytes_get_size (aid));
}

static void
test_aids (void)
{
  g_autoptr(GBytes) amex = hex ("A00000002501");
  g_autoptr(GBytes) unknown = hex ("A000000999");
  PdEmvTerminal terminal;
  const PdEmvAid *aid;

  pd_emv_terminal_init_defaults (&terminal, FALSE);
  aid = lookup (&terminal, "A0000000031010");
  g_assert_nonnull (aid);
  g_assert_cmpstr (aid->brand, ==, "visa");
  g_assert_false (aid->common_debit);
  /* Partial selection: a longer AID with the same prefix is the same application. */
  g_assert_true (lookup (&terminal, "A000000003101001") == aid);
  aid = lookup (&terminal, "A0000000980840");
  g_assert_nonnull (aid);
  g_assert_true (aid->common_debit);
  g_assert_nonnull (lookup (&terminal, "A0000001524010"));

  g_assert_null (pd_emv_aid_lookup (&terminal, g_bytes_get_data (amex, NULL),
                                    g_bytes_get_size (amex)));
  g_assert_cmpstr (pd_emv_aid_refused_scheme (g_bytes_get_data (amex, NULL),
                                              g_bytes_get_size (amex)), ==, "American Express");
  g_assert_null (pd_emv_aid_refused_scheme (g_bytes_get_data (unknown, NULL),
                                            g_bytes_get_size (unknown)));
}

/* The configuration's list replaces the built-in one; what the kernel knows of each AID
 * comes with it. */
static void
test_terminal_aids (void)
{
  static const char * const without_discover[] = {
    "A0000000041010", "a0000000042203", "A000000003101001", "A000000098", NULL
  };
  static const char * const amex[] = { "A00000002501", NULL };
  static const char * const none[] = { NULL };
  g_autoptr(GBytes) discover = hex ("A0000001523010");
  g_autoptr(GError) amex_error = NULL;
  g_autoptr(GError) empty_error = NULL;
  g_autoptr(GError) error = NULL;
  PdEmvTerminal terminal;
  const PdEmvAid *aid;

  pd_emv_terminal_init_defaults (&terminal, FALSE);
  g_assert_true (pd_emv_terminal_set_aids (&terminal, without_discover, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (terminal.n_aids, ==, 4);
  g_assert_cmpstr (terminal.aids[0].brand, ==, "mastercard");
  g_assert_false (terminal.aids[0].common_debit);
  g_assert_cmpstr (terminal.aids[1].aid, ==, "A0000000042203");
  g_assert_true (terminal.aids[1].common_debit);
  g_assert_cmphex (terminal.aids[1].version, ==, 0x0002);
  /* Longer than a known AID: that application; only a RID: the scheme's defaults. */
  g_assert_cmpstr (terminal.aids[2].brand, ==, "visa");
  g_assert_false (terminal.aids[2].common_debit);
  g_assert_cmphex (terminal.aids[2].version, ==, 0x008c);
  g_assert_cmpstr (terminal.aids[3].scheme_name, ==, "Visa");
  g_assert_true (terminal.aids[3].common_debit);

  /* Discover is a scheme the kernel knows, but this terminal does not take it. */
  g_assert_null (pd_emv_aid_lookup (&terminal, g_bytes_get_data (discover, NULL),
                                    g_bytes_get_size (discover)));
  g_assert_cmpstr (pd_emv_aid_refused_scheme (g_bytes_get_data (discover, NULL),
                                              g_bytes_get_size (discover)), ==, "Discover");
  g_assert_null (lookup (&terminal, "A0000000031010"));
  aid = lookup (&terminal, "A0000000031010" "01");
  g_assert_nonnull (aid);
  g_assert_true (aid == &terminal.aids[2]);
  g_assert_true (lookup (&terminal, "A0000000980840") == &terminal.aids[3]);

  /* A scheme the kernel does not know changes nothing. */
  g_assert_false (pd_emv_terminal_set_aids (&terminal, amex, &amex_error));
  g_assert_error (amex_error, PD_EMV_ERROR, PD_EMV_ERROR_NOT_ACCEPTED);
  g_assert_false (pd_emv_terminal_set_aids (&terminal, none, &empty_error));
  g_assert_error (empty_error, PD_EMV_ERROR, PD_EMV_ERROR_NOT_ACCEPTED);
  g_assert_cmpuint (terminal.n_aids, ==, 4);
}

/* The configuration's default list is the kernel's built-in one, in the same order. */
static void
test_config_default_aids (void)
{
  g_autoptr(PdConfig) config = pd_config_new_training ();
  g_autoptr(GError) error = NULL;
  PdEmvTerminal terminal;
  gsize n_known;
  const PdEmvAid *known = pd_emv_aids_get (&n_known);

  memset (&terminal, 0, sizeof terminal);
  g_assert_true (pd_emv_terminal_set_aids (&terminal, pd_config_get_accepted_aids (config),
                                           &error));
  g_assert_no_error (error);
  g_assert_cmpuint (terminal.n_aids, ==, n_known);
  for (gsize i = 0; i < n_known; i++)
    {
      g_assert_cmpstr (terminal.aids[i].aid, ==, known[i].aid);
      g_assert_cmpstr (terminal.aids[i].brand, ==, known[i].brand);
      g_assert_cmpint (terminal.aids[i].common_debit, ==, known[i].common_debit);
    }
}

static PdEmvCandidate *
candidate (const PdEmvTerminal *terminal,
           const char          *aid_hex,
           guint8               priority)
{
  PdEmvCandidate *made = g_new0 (PdEmvCandidate, 1);

  made->aid = hex (aid_hex);
  made->label = g_strdup (aid_hex);
  made->priority = priority;
  made->accepted = pd_emv_aid_lookup (terminal, g_bytes_get_data (made->aid, NULL),
                                      g_bytes_get_size (made->aid));
  g_assert_nonnull (made->accepted);
  return made;
}

static void
assert_order (GPtrArray  *candidates,
              const char *first,
              const char *second)
{
  g_assert_cmpstr (((PdEmvCandidate *) g_ptr_array_index (candidates, 0))->label, ==, first);
  g_assert_cmpstr (((PdEmvCandidate *) g_ptr_array_index (candidates, 1))->label, ==, second);
}

static void
test_common_debit_preference (void)
{
  g_autoptr(GPtrArray) candidates = g_ptr_array_new_with_free_func (
                                      (GDestroyNotify) pd_emv_candidate_free);
  PdEmvTerminal terminal;

  pd_emv_terminal_init_defaults (&terminal, FALSE);
  /* The card prefers its global application (priority 1) to its US common debit one. */
  g_ptr_array_add (candidates, candidate (&terminal, "A0000000042203", 2));
  g_ptr_array_add (candidates, candidate (&terminal, "A0000000041010", 1));

  pd_emv_sort_candidates (candidates, &terminal);
  assert_order (candidates, "A0000000041010", "A0000000042203");

  terminal.prefer_common_debit = TRUE;
  pd_emv_sort_candidates (candidates, &terminal);
  assert_order (candidates, "A0000000042203", "A0000000041010");
}

static void
test_sensitive_data_never_in_hex (void)
{
  g_autoptr(PdEmvData) data = pd_emv_data_new ();
  static const guint32 asked[] = { PD_TAG_PAN, PD_TAG_AMOUNT, PD_TAG_TRACK2 };
  g_autofree char *out = NULL;

  set_hex (data, PD_TAG_PAN, "1234567890123456");
  set_hex (data, PD_TAG_TRACK2, "1234567890123456D29122011143878089");
  set_hex (data, PD_TAG_AMOUNT, "000000007500");
  g_assert_true (pd_emv_tag_is_sensitive (PD_TAG_PAN));
  g_assert_true (pd_emv_tag_is_sensitive (PD_TAG_TRACK2));
  g_assert_false (pd_emv_tag_is_sensitive (PD_TAG_AMOUNT));

  /* pd_emv_data_to_hex gives what it is asked: the session's list never asks for these. */
  out = pd_emv_data_to_hex (data, asked + 1, 1);
  g_assert_cmpstr (out, ==, "9F0206000000007500");
}

/* A card that sends the date, the amount or the unpredictable number must not set them. */
static void
test_card_cannot_set_terminal_data (void)
{
  g_autoptr(PdEmvData) data = pd_emv_data_new ();
  g_autoptr(GBytes) answer = hex ("77" "19" "8202" "1800" "9A03" "200101" "9F3704" "11223344"
                                   "9F0206" "000000000001");
  g_autoptr(GPtrArray) nodes = NULL;
  g_autoptr(GBytes) today = hex ("261123");
  g_autoptr(GError) error = NULL;

  pd_emv_data_set_bytes (data, PD_TAG_TRANSACTION_DATE, today);
  nodes = pd_tlv_parse (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer), &error);
  g_assert_no_error (error);
  g_assert_true (pd_emv_data_add_objects (data, nodes, TRUE, &error));
  g_assert_no_error (error);

  g_assert_nonnull (pd_emv_data_get (data, PD_TAG_AIP));
  g_assert_true (g_bytes_equal (pd_emv_data_get (data, PD_TAG_TRANSACTION_DATE), today));
  g_assert_null (pd_emv_data_get (data, PD_TAG_UNPREDICTABLE_NUMBER));
  g_assert_null (pd_emv_data_get (data, PD_TAG_AMOUNT));

  /* The same card object twice, in records or the GPO answer, ends the session. */
  g_assert_false (pd_emv_data_add_objects (data, nodes, TRUE, &error));
  g_assert_nonnull (error);
}

int
main (int    argc,
      char **argv)
{
  pd_test_init (&argc, &argv);

  g_test_add_func ("/emv/cvm/kiosk-no-cvm", test_cvm_kiosk_takes_no_cvm);
  g_test_add_func ("/emv/cvm/counter-signature", test_cvm_counter_takes_signature);
  g_test_add_func ("/emv/cvm/pin-only", test_cvm_pin_only_card_fails);
  g_test_add_func ("/emv/cvm/amount-conditions", test_cvm_amount_conditions);
  g_test_add_func ("/emv/cvm/malformed", test_cvm_malformed_lists);
  g_test_add_func ("/emv/restrictions", test_restrictions);
  g_test_add_func ("/emv/action-analysis", test_action_analysis);
  g_test_add_func ("/emv/aids", test_aids);
  g_test_add_func ("/emv/aids/terminal", test_terminal_aids);
  g_test_add_func ("/emv/aids/config-default", test_config_default_aids);
  g_test_add_func ("/emv/aids/common-debit-preference", test_common_debit_preference);
  g_test_add_func ("/emv/sensitive", test_sensitive_data_never_in_hex);
  g_test_add_func ("/emv/terminal-data", test_card_cannot_set_terminal_data);

  return g_test_run ();
}
