#include "pd-business-date.h"
#include "pd-test-common.h"

/* Tests run with TZ=America/New_York, so local times below are Eastern. */
static GDateTime *
eastern (int year, int month, int day, int hour, int minute)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("America/New_York");

  g_assert_nonnull (zone);
  return g_date_time_new (zone, year, month, day, hour, minute, 0);
}

static void
assert_business_date (GDateTime  *at,
                      int         cutoff,
                      const char *expected)
{
  GDate date;
  g_autofree char *text = NULL;

  pd_business_date_for (at, cutoff, &date);
  text = pd_business_date_to_string (&date);
  g_assert_cmpstr (text, ==, expected);
}

static void
test_cutoff (void)
{
  g_autoptr(GDateTime) morning = eastern (2026, 11, 23, 9, 0);
  g_autoptr(GDateTime) before_cutoff = eastern (2026, 11, 23, 18, 59);
  g_autoptr(GDateTime) at_cutoff = eastern (2026, 11, 23, 19, 0);
  g_autoptr(GDateTime) new_years_eve = eastern (2026, 12, 31, 23, 30);
  g_autoptr(GDateTime) late_utc = NULL;

  assert_business_date (morning, 19 * 60, "2026-11-23");
  assert_business_date (before_cutoff, 19 * 60, "2026-11-23");
  assert_business_date (at_cutoff, 19 * 60, "2026-11-24");
  assert_business_date (new_years_eve, 19 * 60, "2027-01-01");

  /* No cut-off: the business day is the local calendar day. */
  assert_business_date (new_years_eve, 0, "2026-12-31");

  /* 02:30 UTC on the 24th is still the evening of the 23rd in New York. */
  late_utc = g_date_time_new_utc (2026, 11, 24, 2, 30, 0);
  assert_business_date (late_utc, 0, "2026-11-23");
}

static void
test_parse (void)
{
  static const char * const bad[] = {
    NULL, "", "2026-02-30", "2026-13-01", "26-11-23", "2026/11/23", "2026-11-23x", " 2026-11-2",
    "+026-11-23",
  };
  GDate date;

  g_assert_true (pd_business_date_parse ("2024-02-29", &date));
  g_assert_cmpuint (g_date_get_day (&date), ==, 29);

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    g_assert_false (pd_business_date_parse (bad[i], &date));
}

int
main (int    argc,
      char **argv)
{
  pd_test_init (&argc, &argv);

  g_test_add_func ("/business-date/cutoff", test_cutoff);
  g_test_add_func ("/business-date/parse", test_parse);

  return g_test_run ();
}
