#include <string.h>

#include "pd-coupon.h"
#include "pd-identity.h"
#include "pd-test-common.h"

/* Maria's November invoice in the training members. */
#define ACCOUNT "400123456789"
#define INVOICE "INV2026110042"

static char *
maria_line (void)
{
  g_autoptr(GError) error = NULL;
  char *line = pd_coupon_encode (ACCOUNT, INVOICE, 7500, &error);

  g_assert_no_error (error);
  return line;
}

static void
test_round_trip (void)
{
  g_autofree char *line = maria_line ();
  g_autofree char *scanned = g_strdup_printf ("  %s\r\n", line);
  g_autoptr(PdCoupon) coupon = NULL;
  g_autoptr(GError) error = NULL;

  g_test_message ("%s", line);
  g_assert_true (g_str_has_prefix (line, "PD112" ACCOUNT "0000007500" INVOICE));
  g_assert_cmpuint (strlen (line), ==, 3 + 2 + 12 + 10 + 13 + 2);
  /* What a wedge scanner types: blanks and the Enter around it do not matter. */
  coupon = pd_coupon_parse (scanned, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (coupon->invoice_account, ==, ACCOUNT);
  g_assert_cmpstr (coupon->invoice_number, ==, INVOICE);
  g_assert_cmpint (coupon->amount_due, ==, 7500);

  /* The shortest account and invoice number, and no amount due. */
  {
    g_autofree char *short_line = pd_coupon_encode ("12345678", "AB1234", 0, &error);
    g_autoptr(PdCoupon) short_coupon = NULL;

    g_assert_no_error (error);
    short_coupon = pd_coupon_parse (short_line, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (short_coupon->invoice_account, ==, "12345678");
    g_assert_cmpstr (short_coupon->invoice_number, ==, "AB1234");
    g_assert_cmpint (short_coupon->amount_due, ==, 0);
  }
}

/* Every character misread, and every two neighbours swapped: refused, never looked up. */
static void
test_misreads_caught (void)
{
  g_autofree char *line = maria_line ();
  static const char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  guint refused = 0;

  for (gsize i = 3; line[i] != '\0'; i++)
    for (const char *c = alphabet; *c != '\0'; c++)
      {
        g_autofree char *changed = g_strdup (line);
        g_autoptr(PdCoupon) coupon = NULL;
        g_autoptr(GError) error = NULL;

        if (*c == line[i])
          continue;
        changed[i] = *c;
        coupon = pd_coupon_parse (changed, &error);
        g_assert_null (coupon);
        g_assert_true (error->domain == PD_COUPON_ERROR || error->domain == PD_FIELD_ERROR);
        refused++;
      }
  for (gsize i = 3; line[i + 1] != '\0'; i++)
    {
      g_autofree char *swapped = g_strdup (line);
      g_autoptr(GError) error = NULL;
      char held = swapped[i];

      if (swapped[i] == swapped[i + 1])
        continue;
      swapped[i] = swapped[i + 1];
      swapped[i + 1] = held;
      g_assert_null (pd_coupon_parse (swapped, &error));
      g_assert_error (error, PD_COUPON_ERROR, PD_COUPON_ERROR_MISREAD);
      refused++;
    }
  g_test_message ("%u misread lines refused", refused);
  g_assert_cmpuint (refused, >, 1000);
}

static void
test_not_coupons (void)
{
  g_autofree char *line = maria_line ();
  g_autofree char *later = g_strdup (line);
  g_autofree char *shortened = g_strndup (line, strlen (line) - 1);
  g_autoptr(GError) error = NULL;

  /* A product barcode, a URL, nothing. */
  for (const char * const *other = (const char * const []) { "036000291452",
         "https://example.org/pay", "", "PD", NULL }; *other != NULL; other++)
    {
      g_assert_null (pd_coupon_parse (*other, &error));
      g_assert_error (error, PD_COUPON_ERROR, PD_COUPON_ERROR_NOT_A_COUPON);
      g_clear_error (&error);
    }

  later[2] = '2';
  g_assert_null (pd_coupon_parse (later, &error));
  g_assert_error (error, PD_COUPON_ERROR, PD_COUPON_ERROR_UNKNOWN_VERSION);
  g_clear_error (&error);

  g_assert_null (pd_coupon_parse (shortened, &error));
  g_assert_error (error, PD_COUPON_ERROR, PD_COUPON_ERROR_MISREAD);
  g_clear_error (&error);

  /* Lowercase is not what a coupon prints. */
  g_assert_null (pd_coupon_parse ("pd1124001234567890000007500inv202611004200", &error));
  g_assert_error (error, PD_COUPON_ERROR, PD_COUPON_ERROR_NOT_A_COUPON);
}

/* An invoice that is none cannot be put on a coupon: the field says why. */
static void
test_encode_refuses (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (pd_coupon_encode ("1234", INVOICE, 100, &error));
  g_assert_error (error, PD_FIELD_ERROR, PD_FIELD_INVOICE_ACCOUNT);
  g_clear_error (&error);
  g_assert_null (pd_coupon_encode (ACCOUNT, "INV", 100, &error));
  g_assert_error (error, PD_FIELD_ERROR, PD_FIELD_INVOICE_NUMBER);
}

int
main (int    argc,
      char **argv)
{
  pd_test_init (&argc, &argv);

  g_test_add_func ("/coupon/round-trip", test_round_trip);
  g_test_add_func ("/coupon/misreads-caught", test_misreads_caught);
  g_test_add_func ("/coupon/not-coupons", test_not_coupons);
  g_test_add_func ("/coupon/encode-refuses", test_encode_refuses);

  return g_test_run ();
}
