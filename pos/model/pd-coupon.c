#include <string.h>

#include <glib/gi18n.h>

#include "pd-coupon.h"
#include "pd-identity.h"

#define PREFIX "PD1"
/* PD1, the account's length (2), the account (8 to 12), the amount (10), the invoice number
 * (6 to 14), the check characters (2). */
#define AMOUNT_DIGITS 10
#define CHECK_DIGITS 2
#define MIN_LENGTH (strlen (PREFIX) + 2 + 8 + AMOUNT_DIGITS + 6 + CHECK_DIGITS)
#define MAX_LENGTH (strlen (PREFIX) + 2 + 12 + AMOUNT_DIGITS + 14 + CHECK_DIGITS)

G_DEFINE_QUARK (pd-coupon-error-quark, pd_coupon_error)

/* The line as a number in base 36 (0 to 9, then A = 10 … Z = 35), modulo 97. Each
 * character weighs a different power of 36, none a multiple of the prime 97: any single
 * misread character, and any two neighbours swapped, changes the remainder. */
static guint
mod97 (const char *text,
       gsize       length)
{
  guint remainder = 0;

  for (gsize i = 0; i < length; i++)
    {
      char c = text[i];
      guint value = g_ascii_isdigit (c) ? (guint) (c - '0') : (guint) (c - 'A' + 10);

      remainder = (remainder * 36 + value) % 97;
    }
  return remainder;
}

static char
base36_digit (guint value)
{
  return value < 10 ? (char) ('0' + value) : (char) ('A' + value - 10);
}

static gboolean
is_upper_alnum (const char *text,
                gsize       length)
{
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isdigit (text[i]) && !g_ascii_isupper (text[i]))
      return FALSE;
  return TRUE;
}

static gboolean
is_digits (const char *text,
           gsize       length)
{
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isdigit (text[i]))
      return FALSE;
  return TRUE;
}

char *
pd_coupon_encode (const char  *invoice_account,
                  const char  *invoice_number,
                  PdCents      amount_due,
                  GError     **error)
{
  g_autofree char *account = NULL;
  g_autofree char *number = NULL;
  g_autofree char *body = NULL;

  g_return_val_if_fail (invoice_account != NULL && invoice_number != NULL, NULL);
  g_return_val_if_fail (amount_due >= 0 && amount_due <= PD_COUPON_MAX_AMOUNT, NULL);

  if (!(account = pd_validate_invoice_account (invoice_account, error)) ||
      !(number = pd_validate_invoice_number (invoice_number, error)))
    return NULL;

  body = g_strdup_printf (PREFIX "%02u%s%010" G_GINT64_FORMAT "%s", (guint) strlen (account),
                          account, amount_due, number);
  {
    /* Two check characters make the whole line leave 1 modulo 97. */
    guint check = (1 + 97 * 36 * 36 - (mod97 (body, strlen (body)) * 36 * 36) % 97) % 97;

    return g_strdup_printf ("%s%c%c", body, base36_digit (check / 36),
                            base36_digit (check % 36));
  }
}

static PdCoupon *
misread (GError **error)
{
  g_set_error_literal (error, PD_COUPON_ERROR, PD_COUPON_ERROR_MISREAD,
                       _("The coupon was not read correctly. Please scan it again, holding it "
                         "flat."));
  return NULL;
}

PdCoupon *
pd_coupon_parse (const char  *scan_line,
                 GError     **error)
{
  g_autofree char *line = NULL;
  g_autoptr(PdCoupon) coupon = NULL;
  g_autofree char *account = NULL;
  g_autofree char *number = NULL;
  char amount[AMOUNT_DIGITS + 1] = { 0 };
  const char *at;
  gsize length;
  guint account_length;

  g_return_val_if_fail (scan_line != NULL, NULL);

  line = g_strstrip (g_strdup (scan_line));
  length = strlen (line);
  if (!g_str_has_prefix (line, "PD") || length < 3 || !g_ascii_isdigit (line[2]))
    {
      g_set_error_literal (error, PD_COUPON_ERROR, PD_COUPON_ERROR_NOT_A_COUPON,
                           _("This barcode is not an invoice coupon. Please scan the barcode "
                             "on the coupon at the bottom of your invoice."));
      return NULL;
    }
  if (!g_str_has_prefix (line, PREFIX))
    {
      g_set_error_literal (error, PD_COUPON_ERROR, PD_COUPON_ERROR_UNKNOWN_VERSION,
                           _("This kiosk cannot read this kind of coupon yet. Please type the "
                             "numbers from your invoice instead."));
      return NULL;
    }
  if (length < MIN_LENGTH || length > MAX_LENGTH || !is_upper_alnum (line, length) ||
      mod97 (line, length) != 1)
    return misread (error);

  at = line + strlen (PREFIX);
  account_length = (guint) ((at[0] - '0') * 10 + (at[1] - '0'));
  at += 2;
  if (!is_digits (line + strlen (PREFIX), 2) || account_length < 8 || account_length > 12 ||
      (gsize) (at - line) + account_length + AMOUNT_DIGITS + CHECK_DIGITS >= length ||
      !is_digits (at, account_length) || !is_digits (at + account_length, AMOUNT_DIGITS))
    return misread (error);

  account = g_strndup (at, account_length);
  at += account_length;
  coupon = g_new0 (PdCoupon, 1);
  memcpy (amount, at, AMOUNT_DIGITS);
  coupon->amount_due = g_ascii_strtoll (amount, NULL, 10);
  at += AMOUNT_DIGITS;
  number = g_strndup (at, (gsize) (line + length - CHECK_DIGITS - at));

  if (!(coupon->invoice_account = pd_validate_invoice_account (account, error)) ||
      !(coupon->invoice_number = pd_validate_invoice_number (number, error)))
    return NULL;
  return g_steal_pointer (&coupon);
}

void
pd_coupon_free (PdCoupon *coupon)
{
  if (coupon == NULL)
    return;
  g_free (coupon->invoice_account);
  g_free (coupon->invoice_number);
  g_free (coupon);
}
