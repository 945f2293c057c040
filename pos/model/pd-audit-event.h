#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What the audit log records: who did what at a counter, a kiosk or with paydesk-ctl. */
typedef enum {
  PD_AUDIT_SIGN_IN,
  PD_AUDIT_SIGN_IN_FAILED,
  PD_AUDIT_LOCKOUT,
  PD_AUDIT_SIGN_OUT,
  PD_AUDIT_AUTO_LOCK,
  PD_AUDIT_LOCK,
  PD_AUDIT_UNLOCK,
  PD_AUDIT_ASSOCIATE_ADDED,
  PD_AUDIT_ASSOCIATE_DISABLED,
  PD_AUDIT_ASSOCIATE_ENABLED,
  PD_AUDIT_PIN_CHANGED,
  PD_AUDIT_PAYMENT_TAKEN,
  PD_AUDIT_VOID,
  PD_AUDIT_REFUND,
  PD_AUDIT_OVERRIDE,
  PD_AUDIT_OVERRIDE_REFUSED,
  PD_AUDIT_REPRINT,
  PD_AUDIT_EMAIL_RESEND,
  PD_AUDIT_OUTBOX_RETRY,
  PD_AUDIT_KIOSK_EXIT,
  PD_AUDIT_END_OF_DAY,
  PD_AUDIT_CONFIGURATION_LOADED,
} PdAuditKind;

#define PD_N_AUDIT_KINDS (PD_AUDIT_CONFIGURATION_LOADED + 1)

/* Which program recorded it. */
typedef enum {
  PD_AUDIT_SOURCE_PAYDESK,
  PD_AUDIT_SOURCE_PAYDESK_CTL,
} PdAuditSource;

typedef struct {
  /* Set by the journal when the event is read back; 0 before. */
  gint64 seq;
  char *recorded_at;
  char *business_date;
  char *terminal_id;
  PdAuditSource source;
  PdAuditKind kind;
  /* Who did it: NULL when nobody was signed in (paydesk-ctl, an unknown ID). */
  char *associate_id;
  /* The supervisor whose PIN approved it (an override). */
  char *approver_id;
  char *payment_id;
  /* Words for a person reading the log: never a PIN, card or account number. */
  char *detail;
} PdAuditEvent;

void        pd_audit_event_free        (PdAuditEvent *event);
const char *pd_audit_kind_to_id        (PdAuditKind   kind);
gboolean    pd_audit_kind_from_id      (const char   *id,
                                        PdAuditKind  *kind);
const char *pd_audit_kind_get_name     (PdAuditKind   kind);
const char *pd_audit_source_to_id      (PdAuditSource source);
gboolean    pd_audit_source_from_id    (const char   *id,
                                        PdAuditSource *source);
/* Each event's link in the log's chain: SHA-256 (hex) over the link before it and the
 * event's fields, so that an event taken out or changed shows. */
char       *pd_audit_event_chain       (const PdAuditEvent *event,
                                        const char         *previous_chain);

#define PD_AUDIT_CHAIN_START "0000000000000000000000000000000000000000000000000000000000000000"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdAuditEvent, pd_audit_event_free)

G_END_DECLS
