#pragma once

#include <gio/gio.h>

#include "pd-associate.h"
#include "pd-audit-event.h"
#include "pd-config.h"
#include "pd-journal.h"

G_BEGIN_DECLS

#define PD_STAFF_ERROR (pd_staff_error_quark ())

typedef enum {
  /* The ID or the PIN is not right (which one is not said). */
  PD_STAFF_ERROR_WRONG_PIN,
  PD_STAFF_ERROR_LOCKED_OUT,
  PD_STAFF_ERROR_DISABLED,
  /* The role may not do this, or not without a supervisor. */
  PD_STAFF_ERROR_NOT_ALLOWED,
  PD_STAFF_ERROR_FAILED,
} PdStaffError;

GQuark pd_staff_error_quark (void);

#define PD_TYPE_STAFF (pd_staff_get_type ())

G_DECLARE_FINAL_TYPE (PdStaff, pd_staff, PD, STAFF, GObject)

/* The training associates a training terminal starts with (README: "Counter mode"). */
#define PD_TRAINING_ASSOCIATE_ID "A100"
#define PD_TRAINING_ASSOCIATE_PIN "2468"
#define PD_TRAINING_SUPERVISOR_ID "S900"
#define PD_TRAINING_SUPERVISOR_PIN "1357"

/* source: the program that writes to the audit log. */
PdStaff     *pd_staff_new                (PdConfig       *config,
                                          PdJournal      *journal,
                                          PdAuditSource   source);

/* A training terminal's journal gets the two training associates when they are missing
 * (done by listing associates or signing in, the first time). */
gboolean     pd_staff_ensure_training_associates (PdStaff  *self,
                                          GError        **error);

/* The changes below are made by actor_id (NULL: by paydesk-ctl, run by whoever may run
 * it on this machine) and written to the audit log with the change. A PIN is hashed with
 * argon2id (each call takes tens of milliseconds: not on a screen's thread). */
gboolean     pd_staff_add_associate      (PdStaff        *self,
                                          const char     *actor_id,
                                          const char     *id,
                                          const char     *display_name,
                                          PdRole          role,
                                          const char     *pin,
                                          GError        **error);
gboolean     pd_staff_set_pin            (PdStaff        *self,
                                          const char     *actor_id,
                                          const char     *id,
                                          const char     *pin,
                                          GError        **error);
gboolean     pd_staff_set_enabled        (PdStaff        *self,
                                          const char     *actor_id,
                                          const char     *id,
                                          gboolean        enabled,
                                          GError        **error);
gboolean     pd_staff_unlock             (PdStaff        *self,
                                          const char     *actor_id,
                                          const char     *id,
                                          GError        **error);
GPtrArray   *pd_staff_list_associates    (PdStaff        *self,
                                          GError        **error);

/* Checks the PIN, counts a wrong one (locking the associate out at the fifth), and writes
 * the sign-in or its refusal to the audit log. Blocking: see the async form. */
PdAssociate *pd_staff_sign_in            (PdStaff        *self,
                                          const char     *id,
                                          const char     *pin,
                                          GError        **error);
/* The PIN is copied for the worker and wiped from that copy when done. */
void         pd_staff_sign_in_async      (PdStaff        *self,
                                          const char     *id,
                                          const char     *pin,
                                          GCancellable   *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer        user_data);
PdAssociate *pd_staff_sign_in_finish     (PdStaff        *self,
                                          GAsyncResult   *result,
                                          GError        **error);
/* kind: PD_AUDIT_SIGN_OUT or PD_AUDIT_AUTO_LOCK. */
gboolean     pd_staff_sign_out           (PdStaff        *self,
                                          const PdAssociate *associate,
                                          PdAuditKind     kind,
                                          GError        **error);

/* Whether associate may do this now: PD_STAFF_ERROR_NOT_ALLOWED when their role may not,
 * or may only with a supervisor's approval (see pd_staff_approve). */
gboolean     pd_staff_check_permission   (PdStaff        *self,
                                          const PdAssociate *associate,
                                          PdPermission    permission,
                                          GError        **error);
/* A supervisor's PIN entered on the spot for what associate may not do alone. Returns the
 * approving supervisor, after writing the override (both names) to the audit log; a wrong
 * PIN counts against the supervisor, and is written too. Blocking. */
PdAssociate *pd_staff_approve            (PdStaff        *self,
                                          const PdAssociate *associate,
                                          PdPermission    permission,
                                          const char     *supervisor_id,
                                          const char     *supervisor_pin,
                                          const char     *detail,
                                          GError        **error);

/* A supervisor's PIN entered on the spot lifts associate_id's lockout; a wrong PIN counts
 * against the supervisor, and a PIN that is not a supervisor's unlocks nothing. Blocking. */
gboolean     pd_staff_unlock_with_pin    (PdStaff        *self,
                                          const char     *associate_id,
                                          const char     *supervisor_id,
                                          const char     *supervisor_pin,
                                          GError        **error);

/* Any other event, by whoever is signed in (NULL: nobody). */
gboolean     pd_staff_record             (PdStaff        *self,
                                          PdAuditKind     kind,
                                          const char     *associate_id,
                                          const char     *approver_id,
                                          const char     *payment_id,
                                          const char     *detail,
                                          GError        **error);

/* The same on a worker, for a screen: callback (may be NULL) gets whether it was written;
 * a record that could not be written is also logged. */
void         pd_staff_record_async       (PdStaff        *self,
                                          PdAuditKind     kind,
                                          const char     *associate_id,
                                          const char     *payment_id,
                                          const char     *detail,
                                          GCancellable   *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer        user_data);
gboolean     pd_staff_record_finish      (PdStaff        *self,
                                          GAsyncResult   *result,
                                          GError        **error);

G_END_DECLS
