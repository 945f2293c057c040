#include <sodium.h>

#include "pd-scan-burst.h"

/* What was typed may be a member's: not left in memory. */
static void
wipe_text (GString *text)
{
  sodium_memzero (text->str, text->allocated_len);
  g_string_truncate (text, 0);
}

struct _PdScanBurst {
  GString *text;
  gint64 last_ms;
};

PdScanBurst *
pd_scan_burst_new (void)
{
  PdScanBurst *self = g_new0 (PdScanBurst, 1);

  self->text = g_string_new (NULL);
  return self;
}

void
pd_scan_burst_reset (PdScanBurst *self)
{
  g_return_if_fail (self != NULL);

  wipe_text (self->text);
}

void
pd_scan_burst_free (PdScanBurst *self)
{
  if (self == NULL)
    return;
  pd_scan_burst_reset (self);
  g_string_free (self->text, TRUE);
  g_free (self);
}

void
pd_scan_burst_add (PdScanBurst *self,
                   gunichar     c,
                   gint64       time_ms)
{
  g_return_if_fail (self != NULL);

  if (self->text->len > 0 && time_ms - self->last_ms > PD_SCAN_BURST_MAX_GAP_MS)
    {
      /* A pause: a hand typed the part before it. The burst may start over from here. */
      wipe_text (self->text);
    }
  g_string_append_unichar (self->text, c);
  self->last_ms = time_ms;
}

char *
pd_scan_burst_finish (PdScanBurst *self,
                      gint64       time_ms)
{
  char *scanned = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  if (g_utf8_strlen (self->text->str, -1) >= PD_SCAN_BURST_MIN_CHARS &&
      time_ms - self->last_ms <= PD_SCAN_BURST_MAX_GAP_MS)
    scanned = g_strdup (self->text->str);
  pd_scan_burst_reset (self);
  return scanned;
}
