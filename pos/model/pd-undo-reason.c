#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "pd-undo-reason.h"

static const struct {
  const char *id;
  const char *name;
} reasons[PD_N_UNDO_REASONS] = {
  [PD_UNDO_REASON_DUPLICATE] = { "duplicate", N_("Taken twice") },
  [PD_UNDO_REASON_WRONG_AMOUNT] = { "wrong-amount", N_("Wrong amount") },
  [PD_UNDO_REASON_WRONG_ACCOUNT] = { "wrong-account", N_("Wrong account") },
  [PD_UNDO_REASON_MEMBER_ASKED] = { "member-asked", N_("The member asked") },
  [PD_UNDO_REASON_OTHER] = { "other", N_("Another reason") },
};

const char *
pd_undo_reason_to_id (PdUndoReason reason)
{
  g_return_val_if_fail (reason < PD_N_UNDO_REASONS, NULL);
  return reasons[reason].id;
}

gboolean
pd_undo_reason_from_id (const char   *id,
                        PdUndoReason *reason)
{
  g_return_val_if_fail (reason != NULL, FALSE);

  for (guint i = 0; i < PD_N_UNDO_REASONS; i++)
    if (g_strcmp0 (reasons[i].id, id) == 0)
      {
        *reason = (PdUndoReason) i;
        return TRUE;
      }
  return FALSE;
}

const char *
pd_undo_reason_get_name (PdUndoReason reason)
{
  g_return_val_if_fail (reason < PD_N_UNDO_REASONS, NULL);
  return _(reasons[reason].name);
}

char *
pd_undo_reason_compose (PdUndoReason   reason,
                        const char    *note,
                        GError       **error)
{
  g_autofree char *words = g_strstrip (g_strdup (note != NULL ? note : ""));

  g_return_val_if_fail (reason < PD_N_UNDO_REASONS, NULL);

  if (!g_utf8_validate (words, -1, NULL) || g_utf8_strlen (words, -1) > PD_UNDO_NOTE_MAX_CHARS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Say why in %d characters or fewer."), PD_UNDO_NOTE_MAX_CHARS);
      return NULL;
    }
  if (reason == PD_UNDO_REASON_OTHER && *words == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Say in a few words what the other reason is."));
      return NULL;
    }
  if (*words == '\0')
    return g_strdup (reasons[reason].id);
  return g_strdup_printf ("%s: %s", reasons[reason].id, words);
}
