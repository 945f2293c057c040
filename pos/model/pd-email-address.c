#include <glib/gi18n-lib.h>

#include <string.h>

#include "pd-email-address.h"

/* RFC 5321: 64 octets before the @, 255 after, and a path of 256 with its brackets. */
#define MAX_LOCAL_PART 64
#define MAX_ADDRESS 254
#define MAX_LABEL 63

G_DEFINE_QUARK (pd-email-address-error-quark, pd_email_address_error)

/* RFC 5322 atext: what a dot-atom may hold besides dots. Quoted local parts are refused:
 * nobody types one at a kiosk, and many servers reject them anyway. */
static gboolean
is_atext (char c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

static gboolean
check_local_part (const char  *local,
                  GError     **error)
{
  gsize length = strlen (local);

  if (length == 0)
    {
      g_set_error (error, PD_EMAIL_ADDRESS_ERROR, PD_EMAIL_ADDRESS_ERROR_LOCAL_PART,
                   _("Something is missing before the @."));
      return FALSE;
    }

  if (length > MAX_LOCAL_PART)
    {
      g_set_error (error, PD_EMAIL_ADDRESS_ERROR, PD_EMAIL_ADDRESS_ERROR_TOO_LONG,
                   _("The part before the @ is too long (at most %d characters)."),
                   MAX_LOCAL_PART);
      return FALSE;
    }

  if (local[0] == '.' || local[length - 1] == '.' || strstr (local, "..") != NULL)
    {
      g_set_error (error, PD_EMAIL_ADDRESS_ERROR, PD_EMAIL_ADDRESS_ERROR_LOCAL_PART,
                   _("A dot cannot start or end the part before the @, or follow another dot."));
      return FALSE;
    }

  for (const char *p = local; *p != '\0'; p++)
    if (*p != '.' && !is_atext (*p))
      {
        if ((guchar) *p >= 0x80)
          g_set_error (error, PD_EMAIL_ADDRESS_ERROR, PD_EMAIL_ADDRESS_ERROR_LOCAL_PART,
                       _("Before the @, use only letters without accents, digits and . _ - +"));
        else if (g_ascii_isspace (*p))
          g_set_error (error, PD_EMAIL_ADDRESS_ERROR, PD_EMAIL_ADDRESS_ERROR_LOCAL_PART,
                       _("An email address has no spaces."));
        else
          g_set_error (error, PD_EMAIL_ADDRESS_ERROR, PD_EMAIL_ADDRESS_ERROR_LOCAL_PART,
                       _("“%c” cannot be part of an email address."), *p);
        return FALSE;
      }

  return TRUE;
}

static gboolean
check_label (const char *label)
{
  gsize length = strlen (label);

  if (length == 0 || length > MAX_LABEL || label[0] == '-' || label[length - 1] == '-')
    return FALSE;

  for (const char *p = label; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-')
      return FALSE;

  return TRUE;
}

/* The domain in ASCII and lower case; NULL unless it is a host name with at least two
 * labels and an alphabetic top level (no IP literals: a member's mailbox has a name). */
static char *
normalize_domain (const char  *domain,
                  GError     **error)
{
  g_autofree char *ascii = NULL;
  g_autofree char *lower = NULL;
  g_auto(GStrv) labels = NULL;
  guint n_labels;
  const char *top;

  if (*domain == '\0')
    {
      g_set_error (error, PD_EMAIL_ADDRESS_ERROR, PD_EMAIL_ADDRESS_ERROR_DOMAIN,
                   _("Something is missing after the @, such as gmail.com."));
      return NULL;
    }

  ascii = g_utf8_validate (domain, -1, NULL) ? g_hostname_to_ascii (domain) : NULL;
  if (ascii == NULL)
    {
      g_set_error (error, PD_EMAIL_ADDRESS_ERROR, PD_EMAIL_ADDRESS_ERROR_DOMAIN,
                   _("The part after the @ is not a mail domain, such as gmail.com."));
      return NULL;
    }

  lower = g_ascii_strdown (ascii, -1);
  labels = g_strsplit (lower, ".", -1);
  n_labels = g_strv_length (labels);
  top = labels[n_labels - 1];

  if (n_labels < 2)
    {
      g_set_error (error, PD_EMAIL_ADDRESS_ERROR, PD_EMAIL_ADDRESS_ERROR_DOMAIN,
                   _("The part after the @ needs a dot and an ending, such as .com or .org."));
      return NULL;
    }

  for (guint i = 0; i < n_labels; i++)
    if (!check_label (labels[i]))
      {
        g_set_error (error, PD_EMAIL_ADDRESS_ERROR, PD_EMAIL_ADDRESS_ERROR_DOMAIN,
                     _("The part after the @ is not a mail domain, such as gmail.com."));
        return NULL;
      }

  /* An ending of digits only would be an IP address typed without brackets. */
  if (strspn (top, "0123456789") == strlen (top) || strlen (top) < 2)
    {
      g_set_error (error, PD_EMAIL_ADDRESS_ERROR, PD_EMAIL_ADDRESS_ERROR_DOMAIN,
                   _("The part after the @ needs an ending, such as .com or .org."));
      return NULL;
    }

  return g_steal_pointer (&lower);
}

char *
pd_email_address_normalize (const char  *address,
                            GError     **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *domain = NULL;
  g_autofree char *normalized = NULL;
  char *at;

  g_return_val_if_fail (address != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  trimmed = g_strstrip (g_strdup (address));
  if (*trimmed == '\0')
    {
      g_set_error (error, PD_EMAIL_ADDRESS_ERROR, PD_EMAIL_ADDRESS_ERROR_EMPTY,
                   _("Enter an email address."));
      return NULL;
    }

  at = strrchr (trimmed, '@');
  if (at == NULL)
    {
      g_set_error (error, PD_EMAIL_ADDRESS_ERROR, PD_EMAIL_ADDRESS_ERROR_NO_AT,
                   _("An email address has an @, as in name@example.com."));
      return NULL;
    }

  if (strchr (trimmed, '@') != at)
    {
      g_set_error (error, PD_EMAIL_ADDRESS_ERROR, PD_EMAIL_ADDRESS_ERROR_LOCAL_PART,
                   _("An email address has only one @."));
      return NULL;
    }

  *at = '\0';
  if (!check_local_part (trimmed, error))
    return NULL;

  domain = normalize_domain (at + 1, error);
  if (domain == NULL)
    return NULL;

  normalized = g_strconcat (trimmed, "@", domain, NULL);
  if (strlen (normalized) > MAX_ADDRESS)
    {
      g_set_error (error, PD_EMAIL_ADDRESS_ERROR, PD_EMAIL_ADDRESS_ERROR_TOO_LONG,
                   _("This email address is too long (at most %d characters)."), MAX_ADDRESS);
      return NULL;
    }

  return g_steal_pointer (&normalized);
}

char *
pd_email_address_dup_masked (const char *address)
{
  const char *at;

  g_return_val_if_fail (address != NULL, NULL);

  at = strrchr (address, '@');
  if (at == NULL || at == address)
    return g_strdup ("•••");

  return g_strdup_printf ("%c•••%s", address[0], at);
}
