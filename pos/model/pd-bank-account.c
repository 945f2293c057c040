#include <string.h>

#include <glib/gi18n-lib.h>
#include <sodium.h>

#include "pd-bank-account.h"
#include "pd-identity.h"
#include "pd-seal.h"

#define ACCOUNT_NUMBER_MIN_DIGITS 4
/* The DFI account number field of a NACHA entry holds 17 characters. */
#define ACCOUNT_NUMBER_MAX_DIGITS 17
#define HOLDER_NAME_MAX_CHARS 60

struct _PdBankAccount {
  char routing_number[PD_ROUTING_NUMBER_DIGITS + 1];
  char account_number[ACCOUNT_NUMBER_MAX_DIGITS + 1];
  char last4[5];
  PdBankAccountType type;
  char *holder_name;
};

/* ABA check digit: 3(d1+d4+d7) + 7(d2+d5+d8) + (d3+d6+d9) is a multiple of 10. */
gboolean
pd_routing_number_is_valid (const char *digits)
{
  static const int weights[PD_ROUTING_NUMBER_DIGITS] = { 3, 7, 1, 3, 7, 1, 3, 7, 1 };
  int sum = 0;

  if (digits == NULL || strlen (digits) != PD_ROUTING_NUMBER_DIGITS)
    return FALSE;

  for (int i = 0; i < PD_ROUTING_NUMBER_DIGITS; i++)
    {
      if (!g_ascii_isdigit (digits[i]))
        return FALSE;
      sum += weights[i] * (digits[i] - '0');
    }

  /* All zeros passes the arithmetic but is no bank. */
  return sum % 10 == 0 && strspn (digits, "0") != PD_ROUTING_NUMBER_DIGITS;
}

static gboolean
copy_digits (const char *text,
             char       *out,
             gsize       min_digits,
             gsize       max_digits)
{
  gsize n = 0;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == ' ' || *p == '-')
        continue;
      if (!g_ascii_isdigit (*p) || n == max_digits)
        {
          sodium_memzero (out, max_digits + 1);
          return FALSE;
        }
      out[n++] = *p;
    }

  out[n] = '\0';
  return n >= min_digits;
}

PdBankAccount *
pd_bank_account_new (const char  *routing_number,
                     const char  *account_number,
                     const char  *account_type,
                     const char  *holder_name,
                     GError     **error)
{
  g_autoptr(PdBankAccount) account = g_new0 (PdBankAccount, 1);

  g_return_val_if_fail (routing_number != NULL && account_number != NULL, NULL);
  g_return_val_if_fail (account_type != NULL && holder_name != NULL, NULL);

  if (!copy_digits (routing_number, account->routing_number, PD_ROUTING_NUMBER_DIGITS,
                    PD_ROUTING_NUMBER_DIGITS) ||
      !pd_routing_number_is_valid (account->routing_number))
    {
      g_set_error_literal (error, PD_FIELD_ERROR, PD_FIELD_ROUTING_NUMBER,
                           _("Check the routing number: it is the 9 digits at the bottom left "
                             "of a check."));
      return NULL;
    }

  if (!copy_digits (account_number, account->account_number, ACCOUNT_NUMBER_MIN_DIGITS,
                    ACCOUNT_NUMBER_MAX_DIGITS))
    {
      g_set_error (error, PD_FIELD_ERROR, PD_FIELD_BANK_ACCOUNT,
                   _("The bank account number has %d to %d digits."),
                   ACCOUNT_NUMBER_MIN_DIGITS, ACCOUNT_NUMBER_MAX_DIGITS);
      return NULL;
    }
  memcpy (account->last4, account->account_number + strlen (account->account_number) - 4, 4);

  if (g_str_equal (account_type, "checking"))
    account->type = PD_BANK_ACCOUNT_CHECKING;
  else if (g_str_equal (account_type, "savings"))
    account->type = PD_BANK_ACCOUNT_SAVINGS;
  else
    {
      g_set_error_literal (error, PD_FIELD_ERROR, PD_FIELD_ACCOUNT_TYPE,
                           _("Choose checking or savings."));
      return NULL;
    }

  account->holder_name = pd_validate_name (PD_FIELD_LAST_NAME, holder_name, NULL);
  if (account->holder_name == NULL ||
      g_utf8_strlen (account->holder_name, -1) > HOLDER_NAME_MAX_CHARS)
    {
      g_set_error_literal (error, PD_FIELD_ERROR, PD_FIELD_ACCOUNT_HOLDER,
                           _("Enter the name on the bank account."));
      return NULL;
    }

  return g_steal_pointer (&account);
}

void
pd_bank_account_free (PdBankAccount *account)
{
  if (account == NULL)
    return;

  sodium_memzero (account->account_number, sizeof account->account_number);
  if (account->holder_name != NULL)
    sodium_memzero (account->holder_name, strlen (account->holder_name));
  g_free (account->holder_name);
  g_free (account);
}

PdBankAccount *
pd_bank_account_copy (PdBankAccount *account)
{
  PdBankAccount *copy;

  g_return_val_if_fail (account != NULL, NULL);

  copy = g_new (PdBankAccount, 1);
  *copy = *account;
  copy->holder_name = g_strdup (account->holder_name);
  return copy;
}

const char *
pd_bank_account_get_routing_number (PdBankAccount *account)
{
  g_return_val_if_fail (account != NULL, NULL);
  return account->routing_number;
}

const char *
pd_bank_account_get_last4 (PdBankAccount *account)
{
  g_return_val_if_fail (account != NULL, NULL);
  return account->last4;
}

PdBankAccountType
pd_bank_account_get_account_type (PdBankAccount *account)
{
  g_return_val_if_fail (account != NULL, PD_BANK_ACCOUNT_CHECKING);
  return account->type;
}

const char *
pd_bank_account_get_holder_name (PdBankAccount *account)
{
  g_return_val_if_fail (account != NULL, NULL);
  return account->holder_name;
}

const char *
pd_bank_account_type_to_id (PdBankAccountType type)
{
  return type == PD_BANK_ACCOUNT_SAVINGS ? "savings" : "checking";
}

/* The only way the full account number leaves this struct: sealed to the payment core.
 * Digits need no JSON escaping, so the plaintext is built in a buffer that is wiped. */
char *
pd_bank_account_seal (PdBankAccount  *account,
                      const char     *core_public_key,
                      GError        **error)
{
  char plaintext[sizeof "{\"account_number\":\"\"}" + ACCOUNT_NUMBER_MAX_DIGITS];
  char *sealed;

  g_return_val_if_fail (account != NULL, NULL);

  g_snprintf (plaintext, sizeof plaintext, "{\"account_number\":\"%s\"}",
              account->account_number);
  sealed = pd_seal (core_public_key, plaintext, error);
  sodium_memzero (plaintext, sizeof plaintext);
  return sealed;
}

gboolean
pd_bank_account_check_typed_twice (const char  *first,
                                   const char  *again,
                                   GError     **error)
{
  g_return_val_if_fail (first != NULL && again != NULL, FALSE);

  if (strcmp (first, again) == 0)
    return TRUE;

  g_set_error_literal (error, PD_FIELD_ERROR, PD_FIELD_BANK_ACCOUNT_AGAIN,
                       _("The two account numbers are not the same. Type the number again."));
  return FALSE;
}
