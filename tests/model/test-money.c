#include "pd-money.h"
#include "pd-test-common.h"

typedef struct {
  const char *text;
  PdCents cents;
} ParseCase;

static void
test_parse_accepts (void)
{
  static const ParseCase cases[] = {
    { "12.34", 1234 },
    { "$1,234.50", 123450 },
    { "  75  ", 7500 },
    { "0.5", 50 },
    { ".05", 5 },
    { "0", 0 },
    { "1,000,000", 100000000 },
    { "$12", 1200 },
    { "999.", 99900 },
    { "92233720368547756.99", G_GINT64_CONSTANT (9223372036854775699) },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      PdCents cents = -1;

      g_test_message ("parsing “%s”", cases[i].text);
      g_assert_true (pd_money_parse (cases[i].text, &cents, &error));
      g_assert_no_error (error);
      g_assert_cmpint (cents, ==, cases[i].cents);
    }
}

typedef struct {
  const char *text;
  PdMoneyError code;
} RejectCase;

static void
test_parse_rejects (void)
{
  static const RejectCase cases[] = {
    { "", PD_MONEY_ERROR_EMPTY },
    { "   ", PD_MONEY_ERROR_EMPTY },
    { "-1.00", PD_MONEY_ERROR_NEGATIVE },
    { "$-5", PD_MONEY_ERROR_NEGATIVE },
    { "(12.00)", PD_MONEY_ERROR_NEGATIVE },
    { "1.234", PD_MONEY_ERROR_TOO_PRECISE },
    { "0.001", PD_MONEY_ERROR_TOO_PRECISE },
    { "92233720368547758.00", PD_MONEY_ERROR_OVERFLOW },
    { "99999999999999999999999", PD_MONEY_ERROR_OVERFLOW },
    { "12a", PD_MONEY_ERROR_INVALID },
    { "1.2.3", PD_MONEY_ERROR_INVALID },
    { "$", PD_MONEY_ERROR_INVALID },
    { ".", PD_MONEY_ERROR_INVALID },
    { "1,23", PD_MONEY_ERROR_INVALID },
    { "12,34.00", PD_MONEY_ERROR_INVALID },
    { "1234,567", PD_MONEY_ERROR_INVALID },
    { ",123", PD_MONEY_ERROR_INVALID },
    { "1,234,56", PD_MONEY_ERROR_INVALID },
    { "+5", PD_MONEY_ERROR_INVALID },
    { "1e3", PD_MONEY_ERROR_INVALID },
    { "12 34", PD_MONEY_ERROR_INVALID },
    { "١٢", PD_MONEY_ERROR_INVALID },
    { "USD 5", PD_MONEY_ERROR_INVALID },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      PdCents cents = 4242;

      g_test_message ("parsing “%s”", cases[i].text);
      g_assert_false (pd_money_parse (cases[i].text, &cents, &error));
      g_assert_error (error, PD_MONEY_ERROR, (int) cases[i].code);
      g_assert_cmpstr (error->message, !=, "");
      g_assert_cmpint (cents, ==, 4242);
    }
}

typedef struct {
  PdCents cents;
  const char *language;
  const char *text;
} FormatCase;

static void
test_format (void)
{
  static const FormatCase cases[] = {
    { 0, "en", "$0.00" },
    { 5, "en", "$0.05" },
    { 123450, "en", "$1,234.50" },
    { 100000000, NULL, "$1,000,000.00" },
    { -2500, "en", "-$25.00" },
    { 123450, "es", "$1,234.50" },
    { 123450, "zh_CN.UTF-8", "$1,234.50" },
    { 123450, "fr", "1\u202f234,50\u00a0$\u00a0US" },
    { 123450, "ru_RU", "1\u00a0234,50\u00a0$" },
    { 123450, "pl", "1\u00a0234,50\u00a0USD" },
    { 123450, "it", "1.234,50\u00a0USD" },
    { G_MININT64, "en", "-$92,233,720,368,547,758.08" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = pd_money_format (cases[i].cents, cases[i].language);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_round_trip (void)
{
  for (PdCents cents = 0; cents < 250000; cents += 97)
    {
      g_autofree char *text = pd_money_format (cents, "en");
      PdCents parsed = -1;

      g_assert_true (pd_money_parse (text, &parsed, NULL));
      g_assert_cmpint (parsed, ==, cents);
    }
}

int
main (int    argc,
      char **argv)
{
  pd_test_init (&argc, &argv);

  g_test_add_func ("/money/parse/accepts", test_parse_accepts);
  g_test_add_func ("/money/parse/rejects", test_parse_rejects);
  g_test_add_func ("/money/format", test_format);
  g_test_add_func ("/money/round-trip", test_round_trip);

  return g_test_run ();
}
