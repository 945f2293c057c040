#include <string.h>

#include "pd-coupon.h"
#include "pd-test-common.h"
#include "pd-training-barcode-scanner.h"

/* paydesk-vscan, the real program: the training members' coupons listed, one shown to the
 * training barcode scanner's window, and what it refuses. */

static const char *
vscan (void)
{
  const char *program = g_getenv ("PAYDESK_VSCAN");

  g_assert_nonnull (program);
  return program;
}

static void
test_list (void)
{
  const char *argv[] = { vscan (), "--list", NULL };
  g_auto(PdTestRun) run = pd_test_run (argv, NULL);
  g_autofree char *line = pd_coupon_encode ("400123456789", "INV2026110042", 7500, NULL);

  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "INV2026110042"));
  g_assert_nonnull (strstr (run.out, "Maria Gonzalez"));
  g_assert_nonnull (strstr (run.out, line));
}

/* The coupon's line lands in the window, whole, once. */
static void
test_scan_invoice (gconstpointer  data)
{
  g_autofree char *dir = pd_test_make_temp_dir ();
  g_autofree char *slot = g_build_filename (dir, "barcode-slot", NULL);
  g_autofree char *slot_option = g_strdup_printf ("--slot=%s", slot);
  g_autofree char *scan_path = g_build_filename (slot, PD_TRAINING_BARCODE_FILE, NULL);
  const char *argv[] = { vscan (), "--invoice", "INV2026110042", slot_option, NULL };
  g_auto(PdTestRun) run = pd_test_run (argv, NULL);
  g_autofree char *contents = NULL;
  g_autoptr(PdCoupon) coupon = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_file_get_contents (scan_path, &contents, NULL, &error));
  g_assert_no_error (error);
  coupon = pd_coupon_parse (contents, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (coupon->invoice_number, ==, "INV2026110042");
  g_assert_cmpint (coupon->amount_due, ==, 7500);
  pd_test_remove_tree (dir);
}

static void
test_refused (void)
{
  const char *unknown[] = { vscan (), "--invoice", "INV0000000000", NULL };
  const char *nothing[] = { vscan (), NULL };
  g_auto(PdTestRun) unknown_run = pd_test_run (unknown, NULL);
  g_auto(PdTestRun) nothing_run = pd_test_run (nothing, NULL);

  g_assert_cmpint (unknown_run.status, ==, 1);
  g_assert_nonnull (strstr (unknown_run.err, "no training invoice is numbered INV0000000000"));
  g_assert_cmpint (nothing_run.status, ==, 2);
  g_assert_nonnull (strstr (nothing_run.err, "--invoice NUMBER or TEXT is needed"));
}

int
main (int    argc,
      char **argv)
{
  pd_test_init (&argc, &argv);

  g_test_add_func ("/vscan/list", test_list);
  g_test_add_data_func ("/vscan/scan-invoice", NULL, test_scan_invoice);
  g_test_add_func ("/vscan/refused", test_refused);

  return g_test_run ();
}
