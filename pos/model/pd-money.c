#include <string.h>

#include <glib/gi18n-lib.h>

#include "pd-money.h"

G_DEFINE_QUARK (pd-money-error-quark, pd_money_error)

/* Associates type amounts the way US paper shows them: "1,234.50", with an optional
 * dollar sign and thousands separators that must sit every three digits. */
gboolean
pd_money_parse (const char  *text,
                PdCents     *cents,
                GError     **error)
{
  g_autofree char *trimmed = NULL;
  const char *p;
  gint64 dollars = 0;
  gint64 fraction = 0;
  int integer_digits = 0;
  int digits_since_separator = 0;
  gboolean saw_separator = FALSE;
  int fraction_digits = 0;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (cents != NULL, FALSE);

  trimmed = g_strstrip (g_strdup (text));
  p = trimmed;

  if (*p == '\0')
    {
      g_set_error_literal (error, PD_MONEY_ERROR, PD_MONEY_ERROR_EMPTY,
                           _("Enter an amount."));
      return FALSE;
    }

  if (*p == '-' || *p == '(' || g_str_has_prefix (p, "$-"))
    {
      g_set_error_literal (error, PD_MONEY_ERROR, PD_MONEY_ERROR_NEGATIVE,
                           _("The amount cannot be negative."));
      return FALSE;
    }

  if (*p == '$')
    p++;

  for (; *p != '\0' && *p != '.'; p++)
    {
      if (*p == ',')
        {
          if (integer_digits == 0 || (saw_separator ? digits_since_separator != 3
                                                    : digits_since_separator > 3))
            goto invalid;
          saw_separator = TRUE;
          digits_since_separator = 0;
          continue;
        }

      if (!g_ascii_isdigit (*p))
        goto invalid;

      /* Keep room for the cents so that dollars * 100 + 99 still fits. */
      if (dollars > (G_MAXINT64 / 100 - 1 - (*p - '0')) / 10)
        {
          g_set_error_literal (error, PD_MONEY_ERROR, PD_MONEY_ERROR_OVERFLOW,
                               _("The amount is too large."));
          return FALSE;
        }

      dollars = dollars * 10 + (*p - '0');
      integer_digits++;
      digits_since_separator++;
    }

  if (saw_separator && digits_since_separator != 3)
    goto invalid;

  if (*p == '.')
    {
      for (p++; *p != '\0'; p++)
        {
          if (!g_ascii_isdigit (*p))
            goto invalid;
          if (++fraction_digits > 2)
            {
              g_set_error_literal (error, PD_MONEY_ERROR, PD_MONEY_ERROR_TOO_PRECISE,
                                   _("Use at most two digits after the decimal point."));
              return FALSE;
            }
          fraction = fraction * 10 + (*p - '0');
        }

      if (fraction_digits == 0 && integer_digits == 0)
        goto invalid;
      if (fraction_digits == 1)
        fraction *= 10;
    }
  else if (integer_digits == 0)
    goto invalid;

  *cents = dollars * 100 + fraction;
  return TRUE;

invalid:
  g_set_error (error, PD_MONEY_ERROR, PD_MONEY_ERROR_INVALID,
               _("“%s” is not an amount. Type dollars and cents, like 125.50."), trimmed);
  return FALSE;
}

typedef struct {
  const char *language;
  const char *decimal_mark;
  const char *group_mark;
  const char *prefix;
  const char *suffix;
} MoneyStyle;

/* Latin digits everywhere: an amount must read the same to the member and the associate.
 * Separators and symbol position follow CLDR for the languages that differ from US use. */
static const MoneyStyle money_styles[] = {
  { "fr", ",", "\u202f", "", "\u00a0$\u00a0US" },
  { "ru", ",", "\u00a0", "", "\u00a0$" },
  { "pl", ",", "\u00a0", "", "\u00a0USD" },
  { "it", ",", ".", "", "\u00a0USD" },
};

static const MoneyStyle us_style = { "en", ".", ",", "$", "" };

static const MoneyStyle *
money_style_for (const char *language)
{
  if (language == NULL)
    return &us_style;

  for (gsize i = 0; i < G_N_ELEMENTS (money_styles); i++)
    {
      gsize len = strlen (money_styles[i].language);

      if (strncmp (language, money_styles[i].language, len) == 0 &&
          (language[len] == '\0' || language[len] == '_' || language[len] == '-' ||
           language[len] == '.'))
        return &money_styles[i];
    }

  return &us_style;
}

char *
pd_money_format (PdCents     cents,
                 const char *language)
{
  const MoneyStyle *style = money_style_for (language);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *digits = NULL;
  guint64 magnitude;
  gsize n_digits;

  /* Refunds and reversals show as negative amounts in reports. */
  magnitude = cents < 0 ? (guint64) (-(cents + 1)) + 1 : (guint64) cents;
  digits = g_strdup_printf ("%" G_GUINT64_FORMAT, magnitude / 100);
  n_digits = strlen (digits);

  if (cents < 0)
    g_string_append (out, "-");
  g_string_append (out, style->prefix);

  for (gsize i = 0; i < n_digits; i++)
    {
      if (i > 0 && (n_digits - i) % 3 == 0)
        g_string_append (out, style->group_mark);
      g_string_append_c (out, digits[i]);
    }

  g_string_append_printf (out, "%s%02u%s", style->decimal_mark,
                          (guint) (magnitude % 100), style->suffix);

  return g_string_free (g_steal_pointer (&out), FALSE);
}
