#include <string.h>

#include <glib/gi18n-lib.h>

#include "pd-identity.h"

G_DEFINE_QUARK (pd-field-error-quark, pd_field_error)

#define NAME_MAX_CHARS 60
#define EMAIL_MAX_BYTES 254
#define EMAIL_LOCAL_MAX_BYTES 64
#define INVOICE_ACCOUNT_MIN_DIGITS 8
#define INVOICE_ACCOUNT_MAX_DIGITS 12
#define INVOICE_NUMBER_MIN_CHARS 6
#define INVOICE_NUMBER_MAX_CHARS 14

const char *
pd_field_to_string (PdField field)
{
  switch (field)
    {
    case PD_FIELD_MEMBER_ID: return "member_id";
    case PD_FIELD_ZIP: return "zip";
    case PD_FIELD_DATE_OF_BIRTH: return "dob";
    case PD_FIELD_FIRST_NAME: return "first_name";
    case PD_FIELD_LAST_NAME: return "last_name";
    case PD_FIELD_EMAIL: return "email";
    case PD_FIELD_INVOICE_ACCOUNT: return "invoice_account";
    case PD_FIELD_INVOICE_NUMBER: return "invoice_number";
    case PD_FIELD_ROUTING_NUMBER: return "routing_number";
    case PD_FIELD_BANK_ACCOUNT: return "bank_account";
    case PD_FIELD_ACCOUNT_TYPE: return "account_type";
    case PD_FIELD_ACCOUNT_HOLDER: return "holder_name";
    case PD_FIELD_BANK_ACCOUNT_AGAIN: return "bank_account_again";
    default: g_return_val_if_reached (NULL);
    }
}

/* People copy numbers off cards and paper with the grouping printed there. */
static char *
digits_without_grouping (const char *text,
                         gboolean    allow_letters)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == ' ' || *p == '-' || *p == '\t')
        continue;
      if (g_ascii_isdigit (*p) || (allow_letters && g_ascii_isalpha (*p)))
        g_string_append_c (out, g_ascii_toupper (*p));
      else
        return NULL;
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
is_all_digits (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

char *
pd_validate_member_id (const char  *text,
                       GError     **error)
{
  g_autofree char *digits = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  digits = digits_without_grouping (text, FALSE);
  if (digits == NULL || strlen (digits) != PD_MEMBER_ID_DIGITS)
    {
      g_set_error (error, PD_FIELD_ERROR, PD_FIELD_MEMBER_ID,
                   _("The member ID has %d digits. You can find it on your member ID card or invoice."),
                   PD_MEMBER_ID_DIGITS);
      return NULL;
    }

  return g_steal_pointer (&digits);
}

char *
pd_validate_zip (const char  *text,
                 GError     **error)
{
  g_autofree char *trimmed = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  trimmed = g_strstrip (g_strdup (text));

  /* ZIP+4 is accepted; the plan identifies members by the five-digit ZIP. */
  if (strlen (trimmed) == 10 && trimmed[5] == '-' && is_all_digits (trimmed + 6))
    trimmed[5] = '\0';

  if (strlen (trimmed) != PD_ZIP_DIGITS || !is_all_digits (trimmed))
    {
      g_set_error (error, PD_FIELD_ERROR, PD_FIELD_ZIP,
                   _("Enter the %d-digit ZIP code of the address on your account."),
                   PD_ZIP_DIGITS);
      return NULL;
    }

  return g_steal_pointer (&trimmed);
}

/* Reads up to max_digits ASCII digits (at least one) and advances *p past them. */
static gboolean
read_number (const char **p,
             int          min_digits,
             int          max_digits,
             unsigned    *value)
{
  int n = 0;

  *value = 0;
  while (n < max_digits && g_ascii_isdigit (**p))
    {
      *value = *value * 10 + (unsigned) (**p - '0');
      (*p)++;
      n++;
    }

  return n >= min_digits;
}

/* Accepts 1961-07-04 (ISO) and 7/4/1961 or 07/04/1961 (as US forms print it). */
static gboolean
parse_calendar_date (const char *text,
                     GDate      *date)
{
  const char *p = text;
  unsigned year, month, day;

  if (strlen (text) == 10 && text[4] == '-')
    {
      if (!read_number (&p, 4, 4, &year) || *p++ != '-' ||
          !read_number (&p, 2, 2, &month) || *p++ != '-' ||
          !read_number (&p, 2, 2, &day))
        return FALSE;
    }
  else
    {
      if (!read_number (&p, 1, 2, &month) || *p++ != '/' ||
          !read_number (&p, 1, 2, &day) || *p++ != '/' ||
          !read_number (&p, 4, 4, &year))
        return FALSE;
    }

  if (*p != '\0' || year > G_MAXUINT16 ||
      !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    return FALSE;

  g_date_set_dmy (date, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
  return TRUE;
}

gboolean
pd_validate_date_of_birth (const char   *text,
                           const GDate  *today,
                           GDate        *date_of_birth,
                           GError      **error)
{
  g_autofree char *trimmed = NULL;
  GDate now;
  GDate oldest;
  GDate parsed;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (date_of_birth != NULL, FALSE);

  if (today != NULL)
    now = *today;
  else
    {
      g_date_clear (&now, 1);
      g_date_set_time_t (&now, time (NULL));
    }

  trimmed = g_strstrip (g_strdup (text));
  g_date_clear (&parsed, 1);

  if (!parse_calendar_date (trimmed, &parsed))
    {
      g_set_error_literal (error, PD_FIELD_ERROR, PD_FIELD_DATE_OF_BIRTH,
                           _("Enter the date of birth as month, day and year, like 07/04/1961."));
      return FALSE;
    }

  if (g_date_compare (&parsed, &now) > 0)
    {
      g_set_error_literal (error, PD_FIELD_ERROR, PD_FIELD_DATE_OF_BIRTH,
                           _("The date of birth cannot be in the future."));
      return FALSE;
    }

  oldest = now;
  g_date_subtract_years (&oldest, PD_OLDEST_PLAUSIBLE_AGE);
  if (g_date_compare (&parsed, &oldest) < 0)
    {
      g_set_error_literal (error, PD_FIELD_ERROR, PD_FIELD_DATE_OF_BIRTH,
                           _("Check the year of birth: it is too long ago."));
      return FALSE;
    }

  *date_of_birth = parsed;
  return TRUE;
}

static gboolean
is_name_punctuation (gunichar c)
{
  return c == '-' || c == '\'' || c == 0x2019 /* ’ */ || c == '.';
}

char *
pd_validate_name (PdField      field,
                  const char  *text,
                  GError     **error)
{
  g_autofree char *normalized = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean has_letter = FALSE;
  gboolean pending_space = FALSE;

  g_return_val_if_fail (field == PD_FIELD_FIRST_NAME || field == PD_FIELD_LAST_NAME, NULL);
  g_return_val_if_fail (text != NULL, NULL);

  if (!g_utf8_validate (text, -1, NULL))
    goto invalid;

  normalized = g_utf8_normalize (text, -1, G_NORMALIZE_NFC);

  for (const char *p = normalized; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeType type = g_unichar_type (c);

      if (g_unichar_isspace (c))
        {
          pending_space = out->len > 0;
          continue;
        }

      if (g_unichar_isalpha (c))
        has_letter = TRUE;
      else if (type != G_UNICODE_NON_SPACING_MARK && type != G_UNICODE_SPACING_MARK &&
               type != G_UNICODE_ENCLOSING_MARK && !is_name_punctuation (c))
        goto invalid;

      if (pending_space)
        g_string_append_c (out, ' ');
      pending_space = FALSE;
      g_string_append_unichar (out, c);
    }

  if (!has_letter)
    {
      if (field == PD_FIELD_FIRST_NAME)
        g_set_error_literal (error, PD_FIELD_ERROR, field, _("Enter the first name."));
      else
        g_set_error_literal (error, PD_FIELD_ERROR, field, _("Enter the last name."));
      return NULL;
    }

  if (g_utf8_strlen (out->str, -1) > NAME_MAX_CHARS)
    {
      g_set_error (error, PD_FIELD_ERROR, field,
                   _("The name is longer than %d characters. Enter it as on your ID card."),
                   NAME_MAX_CHARS);
      return NULL;
    }

  return g_string_free (g_steal_pointer (&out), FALSE);

invalid:
  g_set_error_literal (error, PD_FIELD_ERROR, field,
                       _("A name can only have letters, spaces, hyphens, apostrophes and periods."));
  return NULL;
}

static gboolean
is_email_local_char (char c)
{
  return g_ascii_isalnum (c) || strchr ("!#$%&'*+-/=?^_`{|}~.", c) != NULL;
}

static gboolean
is_valid_domain (const char *domain)
{
  g_auto(GStrv) labels = g_strsplit (domain, ".", -1);
  guint n_labels = g_strv_length (labels);
  const char *top_level;

  if (n_labels < 2)
    return FALSE;

  for (guint i = 0; i < n_labels; i++)
    {
      gsize len = strlen (labels[i]);

      if (len == 0 || len > 63 || labels[i][0] == '-' || labels[i][len - 1] == '-')
        return FALSE;
      for (const char *p = labels[i]; *p != '\0'; p++)
        if (!g_ascii_isalnum (*p) && *p != '-')
          return FALSE;
    }

  top_level = labels[n_labels - 1];
  if (strlen (top_level) < 2)
    return FALSE;
  for (const char *p = top_level; *p != '\0'; p++)
    if (!g_ascii_isalpha (*p) && *p != '-' && !g_str_has_prefix (top_level, "xn--"))
      return FALSE;

  return TRUE;
}

char *
pd_validate_email (const char  *text,
                   GError     **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *domain = NULL;
  const char *at;
  gsize local_len;

  g_return_val_if_fail (text != NULL, NULL);

  trimmed = g_strstrip (g_strdup (text));
  at = strchr (trimmed, '@');

  if (at == NULL || strchr (at + 1, '@') != NULL || strlen (trimmed) > EMAIL_MAX_BYTES)
    goto invalid;

  local_len = at - trimmed;
  if (local_len == 0 || local_len > EMAIL_LOCAL_MAX_BYTES ||
      trimmed[0] == '.' || at[-1] == '.' || g_strstr_len (trimmed, local_len, "..") != NULL)
    goto invalid;

  for (gsize i = 0; i < local_len; i++)
    if (!is_email_local_char (trimmed[i]))
      goto invalid;

  domain = g_ascii_strdown (at + 1, -1);
  if (!is_valid_domain (domain))
    goto invalid;

  return g_strdup_printf ("%.*s@%s", (int) local_len, trimmed, domain);

invalid:
  g_set_error_literal (error, PD_FIELD_ERROR, PD_FIELD_EMAIL,
                       _("Check the email address, like name@example.com."));
  return NULL;
}

char *
pd_validate_invoice_account (const char  *text,
                             GError     **error)
{
  g_autofree char *digits = NULL;
  gsize len;

  g_return_val_if_fail (text != NULL, NULL);

  digits = digits_without_grouping (text, FALSE);
  len = digits != NULL ? strlen (digits) : 0;
  if (len < INVOICE_ACCOUNT_MIN_DIGITS || len > INVOICE_ACCOUNT_MAX_DIGITS)
    {
      g_set_error (error, PD_FIELD_ERROR, PD_FIELD_INVOICE_ACCOUNT,
                   _("The invoice account number has %d to %d digits. It is printed at the top of your invoice."),
                   INVOICE_ACCOUNT_MIN_DIGITS, INVOICE_ACCOUNT_MAX_DIGITS);
      return NULL;
    }

  return g_steal_pointer (&digits);
}

char *
pd_validate_invoice_number (const char  *text,
                            GError     **error)
{
  g_autofree char *normalized = NULL;
  gsize len;

  g_return_val_if_fail (text != NULL, NULL);

  normalized = digits_without_grouping (text, TRUE);
  len = normalized != NULL ? strlen (normalized) : 0;
  if (len < INVOICE_NUMBER_MIN_CHARS || len > INVOICE_NUMBER_MAX_CHARS)
    {
      g_set_error (error, PD_FIELD_ERROR, PD_FIELD_INVOICE_NUMBER,
                   _("The invoice number has %d to %d letters and digits. It is printed on your invoice."),
                   INVOICE_NUMBER_MIN_CHARS, INVOICE_NUMBER_MAX_CHARS);
      return NULL;
    }

  return g_steal_pointer (&normalized);
}

static PdIdentification *
identification_new (PdIdentificationKind kind)
{
  PdIdentification *identification = g_new0 (PdIdentification, 1);

  identification->kind = kind;
  g_date_clear (&identification->date_of_birth, 1);
  return identification;
}

PdIdentification *
pd_identification_new_member (const char  *member_id,
                              const char  *zip,
                              const char  *date_of_birth,
                              const char  *first_name,
                              const char  *last_name,
                              const char  *email,
                              GError     **error)
{
  g_autoptr(PdIdentification) identification = identification_new (PD_IDENTIFICATION_MEMBER);

  g_return_val_if_fail (zip != NULL && date_of_birth != NULL, NULL);
  g_return_val_if_fail (first_name != NULL && last_name != NULL, NULL);

  /* Without the member ID (a member who forgot the card, at the counter) the core searches
   * by name, birth date and ZIP, and may find more than one member. */
  if ((member_id != NULL && *member_id != '\0' &&
       !(identification->member_id = pd_validate_member_id (member_id, error))) ||
      !(identification->zip = pd_validate_zip (zip, error)) ||
      !pd_validate_date_of_birth (date_of_birth, NULL, &identification->date_of_birth, error) ||
      !(identification->first_name = pd_validate_name (PD_FIELD_FIRST_NAME, first_name, error)) ||
      !(identification->last_name = pd_validate_name (PD_FIELD_LAST_NAME, last_name, error)))
    return NULL;

  /* The email is optional: it only asks for a confirmation by mail. */
  if (email != NULL && *email != '\0' &&
      !(identification->email = pd_validate_email (email, error)))
    return NULL;

  return g_steal_pointer (&identification);
}

PdIdentification *
pd_identification_new_invoice (const char  *invoice_account,
                               const char  *invoice_number,
                               GError     **error)
{
  g_autoptr(PdIdentification) identification = identification_new (PD_IDENTIFICATION_INVOICE);

  g_return_val_if_fail (invoice_account != NULL && invoice_number != NULL, NULL);

  if (!(identification->invoice_account = pd_validate_invoice_account (invoice_account, error)) ||
      !(identification->invoice_number = pd_validate_invoice_number (invoice_number, error)))
    return NULL;

  return g_steal_pointer (&identification);
}

PdIdentification *
pd_identification_new_account_zip (const char  *invoice_account,
                                   const char  *zip,
                                   GError     **error)
{
  g_autoptr(PdIdentification) identification = identification_new (PD_IDENTIFICATION_ACCOUNT_ZIP);

  g_return_val_if_fail (invoice_account != NULL && zip != NULL, NULL);

  if (!(identification->invoice_account = pd_validate_invoice_account (invoice_account, error)) ||
      !(identification->zip = pd_validate_zip (zip, error)))
    return NULL;

  return g_steal_pointer (&identification);
}

void
pd_identification_free (PdIdentification *identification)
{
  if (identification == NULL)
    return;

  g_free (identification->member_id);
  g_free (identification->zip);
  g_free (identification->first_name);
  g_free (identification->last_name);
  g_free (identification->email);
  g_free (identification->invoice_account);
  g_free (identification->invoice_number);
  g_free (identification);
}
