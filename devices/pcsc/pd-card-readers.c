#include <string.h>

#include <glib/gi18n-lib.h>
#include <PCSC/winscard.h>

#include "pd-card-channel.h"
#include "pd-card-readers.h"

#define MAX_READERS 16
/* Short waits, so that cancellation is noticed. */
#define WAIT_SLICE_MS 250

gboolean
pd_card_reader_is_virtual (const char *reader)
{
  g_return_val_if_fail (reader != NULL, FALSE);

  return g_str_has_prefix (reader, PD_CARD_READER_VIRTUAL_PREFIX);
}

gboolean
pd_card_reader_is_wanted (const char * const *patterns,
                          const char         *reader)
{
  g_return_val_if_fail (reader != NULL, FALSE);

  /* Any reader, but never a virtual one (vpcd, where training cards are played) unless it
   * is named: a terminal that takes real cards reads real cards. */
  if (patterns == NULL || patterns[0] == NULL)
    return !pd_card_reader_is_virtual (reader);

  for (guint i = 0; patterns[i] != NULL; i++)
    if (g_str_has_prefix (reader, patterns[i]))
      return TRUE;

  return FALSE;
}

void
pd_reader_state_free (PdReaderState *state)
{
  if (state == NULL)
    return;

  g_free (state->name);
  g_clear_pointer (&state->atr, g_bytes_unref);
  g_free (state);
}

static gboolean
connect_to_service (SCARDCONTEXT *context,
                    GError      **error)
{
  if (SCardEstablishContext (SCARD_SCOPE_SYSTEM, NULL, NULL, context) != SCARD_S_SUCCESS)
    {
      g_set_error (error, PD_CARD_ERROR, PD_CARD_ERROR_NO_SERVICE,
                   _("The card reader service (pcscd) is not running."));
      return FALSE;
    }
  return TRUE;
}

/* Fills states with the wanted readers; returns how many. */
static guint
read_states (SCARDCONTEXT        context,
             const char * const *patterns,
             const char         *only,
             char                names[4096],
             SCARD_READERSTATE   states[MAX_READERS])
{
  DWORD length = 4096;
  guint n = 0;

  if (SCardListReaders (context, NULL, names, &length) != SCARD_S_SUCCESS)
    return 0;

  for (const char *name = names; *name != '\0' && n < MAX_READERS; name += strlen (name) + 1)
    {
      /* A reader named by its full name is wanted (a training run names its vpcd reader). */
      if (only != NULL ? strcmp (name, only) != 0 ||
                         (patterns != NULL && patterns[0] != NULL &&
                          !pd_card_reader_is_wanted (patterns, name))
                       : !pd_card_reader_is_wanted (patterns, name))
        continue;
      memset (&states[n], 0, sizeof states[n]);
      states[n].szReader = name;
      states[n].dwCurrentState = SCARD_STATE_UNAWARE;
      n++;
    }

  if (n > 0)
    SCardGetStatusChange (context, 0, states, n);
  return n;
}

GPtrArray *
pd_card_readers_list (const char * const *patterns,
                      GError            **error)
{
  g_autoptr(GPtrArray) readers = g_ptr_array_new_with_free_func (
                                   (GDestroyNotify) pd_reader_state_free);
  SCARD_READERSTATE states[MAX_READERS];
  SCARDCONTEXT context;
  char names[4096];
  guint n;

  if (!connect_to_service (&context, error))
    return NULL;

  n = read_states (context, patterns, NULL, names, states);
  for (guint i = 0; i < n; i++)
    {
      PdReaderState *state = g_new0 (PdReaderState, 1);

      state->name = g_strdup (states[i].szReader);
      state->card_present = (states[i].dwEventState & SCARD_STATE_PRESENT) != 0;
      state->in_use = (states[i].dwEventState & SCARD_STATE_EXCLUSIVE) != 0;
      if (state->card_present && states[i].cbAtr > 0)
        state->atr = g_bytes_new (states[i].rgbAtr, states[i].cbAtr);
      g_ptr_array_add (readers, state);
    }

  SCardReleaseContext (context);
  return g_steal_pointer (&readers);
}

char *
pd_card_readers_wait_for_card (const char * const *patterns,
                               const char         *reader,
                               guint               timeout_ms,
                               GCancellable       *cancellable,
                               GError            **error)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  SCARDCONTEXT context;
  DWORD readers_seen = SCARD_STATE_UNAWARE;
  char *found = NULL;

  if (!connect_to_service (&context, error))
    return NULL;

  while (found == NULL)
    {
      SCARD_READERSTATE states[MAX_READERS + 1];
      char names[4096];
      guint n = read_states (context, patterns, reader, names, states);
      LONG rc;

      for (guint i = 0; i < n && found == NULL; i++)
        if ((states[i].dwEventState & SCARD_STATE_PRESENT) &&
            !(states[i].dwEventState & SCARD_STATE_MUTE))
          found = g_strdup (states[i].szReader);
      if (found != NULL)
        break;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        break;
      if (g_get_monotonic_time () >= deadline)
        {
          g_set_error (error, PD_CARD_ERROR, PD_CARD_ERROR_NO_CARD,
                       _("No card was inserted or tapped in time."));
          break;
        }

      /* Wait for a change in these readers, or for readers to come and go. */
      for (guint i = 0; i < n; i++)
        states[i].dwCurrentState = states[i].dwEventState & ~SCARD_STATE_CHANGED;
      states[n].szReader = "\\\\?PnP?\\Notification";
      states[n].dwCurrentState = readers_seen;
      states[n].dwEventState = 0;
      rc = SCardGetStatusChange (context, WAIT_SLICE_MS, states, n + 1);
      /* pcscd went away while waiting: say so, rather than spin until the deadline. */
      if (rc == SCARD_E_NO_SERVICE || rc == SCARD_E_SERVICE_STOPPED ||
          rc == SCARD_E_INVALID_HANDLE)
        {
          g_set_error (error, PD_CARD_ERROR, PD_CARD_ERROR_NO_SERVICE,
                       _("The card reader service (pcscd) is not running."));
          break;
        }
      readers_seen = states[n].dwEventState & ~SCARD_STATE_CHANGED;
    }

  SCardReleaseContext (context);
  return found;
}
