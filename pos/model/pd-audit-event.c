#include <glib/gi18n-lib.h>
#include <string.h>

#include "pd-audit-event.h"

static const struct {
  const char *id;
  const char *name;
} kinds[PD_N_AUDIT_KINDS] = {
  [PD_AUDIT_SIGN_IN] = { "sign-in", N_("Signed in") },
  [PD_AUDIT_SIGN_IN_FAILED] = { "sign-in-failed", N_("Sign-in refused") },
  [PD_AUDIT_LOCKOUT] = { "lockout", N_("Locked out") },
  [PD_AUDIT_SIGN_OUT] = { "sign-out", N_("Signed out") },
  [PD_AUDIT_AUTO_LOCK] = { "auto-lock", N_("Counter locked when left alone") },
  [PD_AUDIT_LOCK] = { "lock", N_("Counter locked") },
  [PD_AUDIT_UNLOCK] = { "unlock", N_("Lockout lifted") },
  [PD_AUDIT_ASSOCIATE_ADDED] = { "associate-added", N_("Associate added") },
  [PD_AUDIT_ASSOCIATE_DISABLED] = { "associate-disabled", N_("Associate disabled") },
  [PD_AUDIT_ASSOCIATE_ENABLED] = { "associate-enabled", N_("Associate enabled") },
  [PD_AUDIT_PIN_CHANGED] = { "pin-changed", N_("PIN changed") },
  [PD_AUDIT_PAYMENT_TAKEN] = { "payment-taken", N_("Payment taken for a member") },
  [PD_AUDIT_VOID] = { "void", N_("Payment voided") },
  [PD_AUDIT_REFUND] = { "refund", N_("Payment refunded") },
  [PD_AUDIT_OVERRIDE] = { "override", N_("Supervisor approved") },
  [PD_AUDIT_OVERRIDE_REFUSED] = { "override-refused", N_("Supervisor approval refused") },
  [PD_AUDIT_REPRINT] = { "reprint", N_("Receipt reprinted") },
  [PD_AUDIT_EMAIL_RESEND] = { "email-resend", N_("Receipt emailed again") },
  [PD_AUDIT_OUTBOX_RETRY] = { "outbox-retry", N_("Outbox sent now") },
  [PD_AUDIT_KIOSK_EXIT] = { "kiosk-exit", N_("Kiosk mode left") },
  [PD_AUDIT_END_OF_DAY] = { "end-of-day", N_("Day closed") },
  [PD_AUDIT_CONFIGURATION_LOADED] = { "configuration-loaded", N_("Configuration loaded") },
};

static const char * const sources[] = {
  [PD_AUDIT_SOURCE_PAYDESK] = "paydesk",
  [PD_AUDIT_SOURCE_PAYDESK_CTL] = "paydesk-ctl",
};

void
pd_audit_event_free (PdAuditEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->recorded_at);
  g_free (event->business_date);
  g_free (event->terminal_id);
  g_free (event->associate_id);
  g_free (event->approver_id);
  g_free (event->payment_id);
  g_free (event->detail);
  g_free (event);
}

const char *
pd_audit_kind_to_id (PdAuditKind kind)
{
  g_return_val_if_fail (kind < PD_N_AUDIT_KINDS, NULL);
  return kinds[kind].id;
}

gboolean
pd_audit_kind_from_id (const char  *id,
                       PdAuditKind *kind)
{
  g_return_val_if_fail (kind != NULL, FALSE);

  for (guint i = 0; i < PD_N_AUDIT_KINDS; i++)
    if (g_strcmp0 (kinds[i].id, id) == 0)
      {
        *kind = (PdAuditKind) i;
        return TRUE;
      }
  return FALSE;
}

const char *
pd_audit_kind_get_name (PdAuditKind kind)
{
  g_return_val_if_fail (kind < PD_N_AUDIT_KINDS, NULL);
  return _(kinds[kind].name);
}

const char *
pd_audit_source_to_id (PdAuditSource source)
{
  g_return_val_if_fail (source < G_N_ELEMENTS (sources), NULL);
  return sources[source];
}

gboolean
pd_audit_source_from_id (const char    *id,
                         PdAuditSource *source)
{
  g_return_val_if_fail (source != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    if (g_strcmp0 (sources[i], id) == 0)
      {
        *source = (PdAuditSource) i;
        return TRUE;
      }
  return FALSE;
}

static void
chain_field (GChecksum  *checksum,
             const char *value)
{
  /* A missing field and an empty one differ, and no field runs into the next. */
  if (value == NULL)
    g_checksum_update (checksum, (const guchar *) "\x01", 1);
  else
    {
      g_checksum_update (checksum, (const guchar *) "\x02", 1);
      g_checksum_update (checksum, (const guchar *) value, strlen (value));
    }
  g_checksum_update (checksum, (const guchar *) "\x1f", 1);
}

char *
pd_audit_event_chain (const PdAuditEvent *event,
                      const char         *previous_chain)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *seq = NULL;

  g_return_val_if_fail (event != NULL && previous_chain != NULL, NULL);

  seq = g_strdup_printf ("%" G_GINT64_FORMAT, event->seq);
  chain_field (checksum, previous_chain);
  chain_field (checksum, seq);
  chain_field (checksum, event->recorded_at);
  chain_field (checksum, event->business_date);
  chain_field (checksum, event->terminal_id);
  chain_field (checksum, pd_audit_source_to_id (event->source));
  chain_field (checksum, pd_audit_kind_to_id (event->kind));
  chain_field (checksum, event->associate_id);
  chain_field (checksum, event->approver_id);
  chain_field (checksum, event->payment_id);
  chain_field (checksum, event->detail);
  return g_strdup (g_checksum_get_string (checksum));
}
