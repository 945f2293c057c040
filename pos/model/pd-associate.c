#include <glib/gi18n-lib.h>

#include <string.h>

#include "pd-associate.h"
#include "pd-identity.h"

static const struct {
  const char *id;
  const char *name;
} roles[PD_N_ROLES] = {
  [PD_ROLE_ASSOCIATE] = { "associate", N_("Associate") },
  [PD_ROLE_SUPERVISOR] = { "supervisor", N_("Supervisor") },
};

G_DEFINE_BOXED_TYPE (PdAssociate, pd_associate, pd_associate_copy, pd_associate_free)

PdAssociate *
pd_associate_copy (const PdAssociate *associate)
{
  PdAssociate *copy;

  g_return_val_if_fail (associate != NULL, NULL);

  copy = g_memdup2 (associate, sizeof *associate);
  copy->id = g_strdup (associate->id);
  copy->display_name = g_strdup (associate->display_name);
  copy->created_at = g_strdup (associate->created_at);
  return copy;
}

void
pd_associate_free (PdAssociate *associate)
{
  if (associate == NULL)
    return;
  g_free (associate->id);
  g_free (associate->display_name);
  g_free (associate->created_at);
  g_free (associate);
}

gboolean
pd_associate_is_locked_at (const PdAssociate *associate,
                           gint64             now)
{
  g_return_val_if_fail (associate != NULL, FALSE);
  return associate->locked_until > now;
}

/* Printed on receipts and in the audit log: letters, digits, '.', '-' and '_'. */
gboolean
pd_associate_check_id (const char  *id,
                       GError     **error)
{
  gsize length = id != NULL ? strlen (id) : 0;

  if (length < 2 || length > 16)
    {
      g_set_error (error, PD_FIELD_ERROR, PD_FIELD_ASSOCIATE_ID,
                   _("An associate ID is 2 to 16 letters or digits."));
      return FALSE;
    }
  for (const char *c = id; *c != '\0'; c++)
    if (!g_ascii_isalnum (*c) && *c != '.' && *c != '-' && *c != '_')
      {
        g_set_error (error, PD_FIELD_ERROR, PD_FIELD_ASSOCIATE_ID,
                     _("An associate ID has only letters, digits, dots, dashes and underscores."));
        return FALSE;
      }
  return TRUE;
}

gboolean
pd_associate_check_name (const char  *name,
                         GError     **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (name != NULL ? name : ""));

  if (*stripped == '\0' || g_utf8_strlen (stripped, -1) > 60 ||
      !g_utf8_validate (stripped, -1, NULL))
    {
      g_set_error (error, PD_FIELD_ERROR, PD_FIELD_ASSOCIATE_NAME,
                   _("An associate's name is 1 to 60 characters, as it is printed on receipts."));
      return FALSE;
    }
  for (const char *c = stripped; *c != '\0'; c = g_utf8_next_char (c))
    if (g_unichar_iscntrl (g_utf8_get_char (c)))
      {
        g_set_error (error, PD_FIELD_ERROR, PD_FIELD_ASSOCIATE_NAME,
                     _("An associate's name cannot hold control characters."));
        return FALSE;
      }
  return TRUE;
}

gboolean
pd_pin_check (const char  *pin,
              GError     **error)
{
  gsize length = pin != NULL ? strlen (pin) : 0;
  gboolean same = TRUE, up = TRUE, down = TRUE;

  if (length < PD_PIN_MIN_DIGITS || length > PD_PIN_MAX_DIGITS)
    {
      g_set_error (error, PD_FIELD_ERROR, PD_FIELD_PIN,
                   _("A PIN is %d to %d digits."), PD_PIN_MIN_DIGITS, PD_PIN_MAX_DIGITS);
      return FALSE;
    }
  for (gsize i = 0; i < length; i++)
    {
      if (!g_ascii_isdigit (pin[i]))
        {
          g_set_error (error, PD_FIELD_ERROR, PD_FIELD_PIN,
                       _("A PIN has digits only."));
          return FALSE;
        }
      if (i > 0)
        {
          same = same && pin[i] == pin[i - 1];
          up = up && pin[i] == pin[i - 1] + 1;
          down = down && pin[i] == pin[i - 1] - 1;
        }
    }
  /* The first PINs anyone would try. */
  if (same || up || down)
    {
      g_set_error (error, PD_FIELD_ERROR, PD_FIELD_PIN,
                   _("Choose a PIN that is not one digit repeated or a run like 1234."));
      return FALSE;
    }
  return TRUE;
}

const char *
pd_role_to_id (PdRole role)
{
  g_return_val_if_fail (role < PD_N_ROLES, NULL);
  return roles[role].id;
}

gboolean
pd_role_from_id (const char *id,
                 PdRole     *role)
{
  g_return_val_if_fail (role != NULL, FALSE);

  for (guint i = 0; i < PD_N_ROLES; i++)
    if (g_strcmp0 (roles[i].id, id) == 0)
      {
        *role = (PdRole) i;
        return TRUE;
      }
  return FALSE;
}

const char *
pd_role_get_name (PdRole role)
{
  g_return_val_if_fail (role < PD_N_ROLES, NULL);
  return _(roles[role].name);
}

/* Money that leaves the plan's books again (a void, a refund) takes two people; so does
 * letting someone back in, or taking a kiosk out of the members' hands. */
PdPermissionAnswer
pd_role_may (PdRole       role,
             PdPermission permission)
{
  g_return_val_if_fail (role < PD_N_ROLES, PD_NOT_ALLOWED);

  if (role == PD_ROLE_SUPERVISOR)
    return PD_ALLOWED;

  switch (permission)
    {
    case PD_PERMISSION_TAKE_PAYMENT:
    case PD_PERMISSION_REPRINT:
    case PD_PERMISSION_END_OF_DAY:
    case PD_PERMISSION_DEVICES:
    case PD_PERMISSION_OUTBOX:
      return PD_ALLOWED;
    case PD_PERMISSION_VOID:
    case PD_PERMISSION_REFUND:
      return PD_ALLOWED_WITH_OVERRIDE;
    case PD_PERMISSION_UNLOCK_ASSOCIATE:
    case PD_PERMISSION_LEAVE_KIOSK:
    default:
      return PD_NOT_ALLOWED;
    }
}
