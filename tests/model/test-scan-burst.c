#include "pd-scan-burst.h"
#include "pd-test-common.h"

#define LINE "PD1124001234567890000007500INV20261100421P"

static void
feed (PdScanBurst *burst,
      const char  *text,
      gint64       start_ms,
      gint64       gap_ms)
{
  for (const char *c = text; *c != '\0'; c++)
    pd_scan_burst_add (burst, (gunichar) *c, start_ms + (c - text) * gap_ms);
}

/* A scanner's burst: 8 ms apart, then Enter. */
static void
test_scanner_burst (void)
{
  g_autoptr(PdScanBurst) burst = pd_scan_burst_new ();
  g_autofree char *scanned = NULL;

  feed (burst, LINE, 1000, 8);
  scanned = pd_scan_burst_finish (burst, 1000 + 8 * sizeof LINE);
  g_assert_cmpstr (scanned, ==, LINE);
}

/* A person typing, however fast, is not a scanner; nor is a short burst. */
static void
test_typing_is_not_a_scan (void)
{
  g_autoptr(PdScanBurst) burst = pd_scan_burst_new ();
  g_autofree char *typed = NULL;
  g_autofree char *short_burst = NULL;
  g_autofree char *late_enter = NULL;

  feed (burst, LINE, 0, 90);
  typed = pd_scan_burst_finish (burst, 90 * sizeof LINE);
  g_assert_null (typed);

  feed (burst, "400123456789", 10000, 5);
  short_burst = pd_scan_burst_finish (burst, 10000 + 5 * 13);
  g_assert_null (short_burst);

  /* The burst, then Enter pressed by a hand a second later. */
  feed (burst, LINE, 20000, 5);
  late_enter = pd_scan_burst_finish (burst, 21000 + 5 * sizeof LINE);
  g_assert_null (late_enter);
}

/* Typed characters, a pause, then a scan: only the scan comes out. */
static void
test_scan_after_typing (void)
{
  g_autoptr(PdScanBurst) burst = pd_scan_burst_new ();
  g_autofree char *scanned = NULL;

  feed (burst, "INV20", 0, 150);
  feed (burst, LINE, 5000, 4);
  scanned = pd_scan_burst_finish (burst, 5000 + 4 * sizeof LINE);
  g_assert_cmpstr (scanned, ==, LINE);

  /* A reset (a touch on the screen) drops what came before. */
  feed (burst, LINE, 9000, 4);
  pd_scan_burst_reset (burst);
  g_assert_null (pd_scan_burst_finish (burst, 9000 + 4 * sizeof LINE));
}

int
main (int    argc,
      char **argv)
{
  pd_test_init (&argc, &argv);

  g_test_add_func ("/scan-burst/scanner", test_scanner_burst);
  g_test_add_func ("/scan-burst/typing", test_typing_is_not_a_scan);
  g_test_add_func ("/scan-burst/after-typing", test_scan_after_typing);

  return g_test_run ();
}
