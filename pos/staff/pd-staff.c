#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "pd-business-date.h"
#include "pd-identity.h"
#include "pd-staff.h"

struct _PdStaff
{
  GObject parent_instance;

  PdConfig *config;
  PdJournal *journal;
  PdAuditSource source;
  /* A hash no PIN matches, checked when the ID is unknown so that an unknown ID takes as
   * long to refuse as a wrong PIN. */
  char *decoy_hash;
  /* The training associates were looked for (a training terminal gets them when first
   * asked for anyone, not when opened: hashing their PINs takes a while). */
  gboolean training_checked;
  /* Two screens may ask for the associates (or check PINs) at once, each on its worker. */
  GMutex training_lock;
};

G_DEFINE_TYPE (PdStaff, pd_staff, G_TYPE_OBJECT)

G_DEFINE_QUARK (pd-staff-error-quark, pd_staff_error)

static void
pd_staff_finalize (GObject *object)
{
  PdStaff *self = PD_STAFF (object);

  g_clear_object (&self->config);
  g_clear_object (&self->journal);
  g_free (self->decoy_hash);
  g_mutex_clear (&self->training_lock);

  G_OBJECT_CLASS (pd_staff_parent_class)->finalize (object);
}

static void
pd_staff_class_init (PdStaffClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pd_staff_finalize;
}

static void
pd_staff_init (PdStaff *self)
{
  g_mutex_init (&self->training_lock);
}

PdStaff *
pd_staff_new (PdConfig      *config,
              PdJournal     *journal,
              PdAuditSource  source)
{
  PdStaff *self;

  g_return_val_if_fail (PD_IS_CONFIG (config), NULL);
  g_return_val_if_fail (PD_IS_JOURNAL (journal), NULL);

  self = g_object_new (PD_TYPE_STAFF, NULL);
  self->config = g_object_ref (config);
  self->journal = g_object_ref (journal);
  self->source = source;
  return self;
}

static PdAuditEvent *
new_event (PdStaff     *self,
           PdAuditKind  kind,
           const char  *associate_id,
           const char  *approver_id,
           const char  *payment_id,
           const char  *detail)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  PdAuditEvent *event = g_new0 (PdAuditEvent, 1);
  GDate date;

  pd_business_date_for (now, pd_config_get_business_day_cutoff (self->config), &date);
  event->business_date = pd_business_date_to_string (&date);
  event->terminal_id = g_strdup (pd_config_get_terminal_id (self->config));
  event->source = self->source;
  event->kind = kind;
  event->associate_id = g_strdup (associate_id);
  event->approver_id = g_strdup (approver_id);
  event->payment_id = g_strdup (payment_id);
  event->detail = g_strdup (detail);
  return event;
}

static char *
hash_pin (const char  *pin,
          GError     **error)
{
  char hash[crypto_pwhash_STRBYTES];

  if (sodium_init () < 0 ||
      crypto_pwhash_str (hash, pin, strlen (pin), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                         crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    {
      g_set_error (error, PD_STAFF_ERROR, PD_STAFF_ERROR_FAILED,
                   _("The PIN could not be protected: the terminal is out of memory."));
      return NULL;
    }
  return g_strdup (hash);
}

static gboolean
pin_matches (const char *hash,
             const char *pin)
{
  return sodium_init () >= 0 && crypto_pwhash_str_verify (hash, pin, strlen (pin)) == 0;
}

/* Made once, under the lock: workers check PINs side by side. NULL without memory to hash. */
static const char *
decoy_hash (PdStaff *self)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->training_lock);

  if (self->decoy_hash == NULL)
    {
      guchar random[16];
      g_autofree char *decoy = NULL;

      randombytes_buf (random, sizeof random);
      decoy = g_base64_encode (random, sizeof random);
      self->decoy_hash = hash_pin (decoy, NULL);
    }
  return self->decoy_hash;
}

static gboolean
add_associate (PdStaff     *self,
               const char  *actor_id,
               const char  *id,
               const char  *display_name,
               PdRole       role,
               const char  *pin,
               GError     **error)
{
  g_autofree char *hash = NULL;
  g_autofree char *name = NULL;
  g_autofree char *detail = NULL;
  g_autoptr(PdAuditEvent) event = NULL;
  g_autoptr(GError) local_error = NULL;
  PdAssociate associate = { 0 };

  if (!pd_associate_check_id (id, error) || !pd_associate_check_name (display_name, error) ||
      !pd_pin_check (pin, error))
    return FALSE;
  if (!(hash = hash_pin (pin, error)))
    return FALSE;

  name = g_strstrip (g_strdup (display_name));
  associate.id = (char *) id;
  associate.display_name = name;
  associate.role = role;
  associate.enabled = TRUE;
  detail = g_strdup_printf ("%s %s (%s)", id, name, pd_role_to_id (role));
  event = new_event (self, PD_AUDIT_ASSOCIATE_ADDED, actor_id, NULL, NULL, detail);
  /* The audit event names the new associate in its detail; the actor is who added them. */
  if (!pd_journal_add_associate (self->journal, &associate, hash, event, &local_error))
    {
      if (g_error_matches (local_error, PD_JOURNAL_ERROR, PD_JOURNAL_ERROR_DUPLICATE))
        g_set_error (error, PD_FIELD_ERROR, PD_FIELD_ASSOCIATE_ID,
                     _("There is already an associate with the ID %s."), id);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

gboolean
pd_staff_add_associate (PdStaff     *self,
                        const char  *actor_id,
                        const char  *id,
                        const char  *display_name,
                        PdRole       role,
                        const char  *pin,
                        GError     **error)
{
  g_return_val_if_fail (PD_IS_STAFF (self), FALSE);
  g_return_val_if_fail (role < PD_N_ROLES, FALSE);

  return add_associate (self, actor_id, id, display_name, role, pin, error);
}

static gboolean
ensure_associate (PdStaff     *self,
                  const char  *id,
                  const char  *display_name,
                  PdRole       role,
                  const char  *pin,
                  GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(PdAssociate) found = pd_journal_find_associate (self->journal, id, NULL,
                                                            &local_error);

  if (found != NULL)
    return TRUE;
  if (!g_error_matches (local_error, PD_JOURNAL_ERROR, PD_JOURNAL_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  g_clear_error (&local_error);
  if (add_associate (self, NULL, id, display_name, role, pin, &local_error))
    return TRUE;
  /* Another program on this terminal (paydesk-ctl) added them meanwhile. */
  if (g_error_matches (local_error, PD_FIELD_ERROR, PD_FIELD_ASSOCIATE_ID))
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

gboolean
pd_staff_ensure_training_associates (PdStaff  *self,
                                     GError  **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (PD_IS_STAFF (self), FALSE);

  if (!pd_config_get_training (self->config))
    return TRUE;
  locker = g_mutex_locker_new (&self->training_lock);
  if (self->training_checked)
    return TRUE;
  /* Each is put back only when missing: one disabled in training stays disabled. */
  if (!ensure_associate (self, PD_TRAINING_ASSOCIATE_ID, _("Alex Trainee"), PD_ROLE_ASSOCIATE,
                         PD_TRAINING_ASSOCIATE_PIN, error) ||
      !ensure_associate (self, PD_TRAINING_SUPERVISOR_ID, _("Sam Supervisor"),
                         PD_ROLE_SUPERVISOR, PD_TRAINING_SUPERVISOR_PIN, error))
    return FALSE;
  self->training_checked = TRUE;
  return TRUE;
}

static gboolean
change (PdStaff           *self,
        const char        *actor_id,
        const char        *id,
        PdAssociateChange  what,
        const char        *pin_hash,
        PdAuditKind        kind,
        GError           **error)
{
  g_autoptr(PdAuditEvent) event = NULL;
  g_autofree char *detail = g_strdup_printf (_("associate %s"), id);

  event = new_event (self, kind, actor_id, NULL, NULL, detail);
  return pd_journal_change_associate (self->journal, id, what, pin_hash, event, error);
}

gboolean
pd_staff_set_pin (PdStaff     *self,
                  const char  *actor_id,
                  const char  *id,
                  const char  *pin,
                  GError     **error)
{
  g_autofree char *hash = NULL;

  g_return_val_if_fail (PD_IS_STAFF (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (!pd_pin_check (pin, error) || !(hash = hash_pin (pin, error)))
    return FALSE;
  return change (self, actor_id, id, PD_ASSOCIATE_SET_PIN, hash, PD_AUDIT_PIN_CHANGED, error);
}

gboolean
pd_staff_set_enabled (PdStaff     *self,
                      const char  *actor_id,
                      const char  *id,
                      gboolean     enabled,
                      GError     **error)
{
  g_return_val_if_fail (PD_IS_STAFF (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  return change (self, actor_id, id, enabled ? PD_ASSOCIATE_ENABLE : PD_ASSOCIATE_DISABLE, NULL,
                 enabled ? PD_AUDIT_ASSOCIATE_ENABLED : PD_AUDIT_ASSOCIATE_DISABLED, error);
}

gboolean
pd_staff_unlock (PdStaff     *self,
                 const char  *actor_id,
                 const char  *id,
                 GError     **error)
{
  g_return_val_if_fail (PD_IS_STAFF (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  return change (self, actor_id, id, PD_ASSOCIATE_UNLOCK, NULL, PD_AUDIT_UNLOCK, error);
}

GPtrArray *
pd_staff_list_associates (PdStaff  *self,
                          GError  **error)
{
  g_return_val_if_fail (PD_IS_STAFF (self), NULL);

  if (!pd_staff_ensure_training_associates (self, error))
    return NULL;
  return pd_journal_list_associates (self->journal, error);
}

static char *
format_unix_time (gint64 unix_time)
{
  g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (unix_time);

  /* TRANSLATORS: the time a lockout ends, as a strftime format. */
  return g_date_time_format (at, _("%H:%M"));
}

static gboolean
record_refusal (PdStaff     *self,
                PdAuditKind  kind,
                const char  *associate_id,
                const char  *approver_id,
                const char  *detail,
                GError     **error)
{
  g_autoptr(PdAuditEvent) event = new_event (self, kind, associate_id, approver_id, NULL,
                                             detail);

  return pd_journal_append_audit (self->journal, event, error);
}

/* The PIN check shared by signing in and approving: who (id) is checked; refusals are
 * written as refusal_kind, by requester_id when someone else asked (an override). */
static PdAssociate *
check_pin (PdStaff     *self,
           const char  *id,
           const char  *pin,
           PdAuditKind  refusal_kind,
           const char  *requester_id,
           GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(PdAssociate) associate = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *until = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  const char *actor = requester_id != NULL ? requester_id : id;
  const char *approver = requester_id != NULL ? id : NULL;
  g_autoptr(PdAuditEvent) failed = NULL;
  g_autoptr(PdAuditEvent) lockout = NULL;
  gboolean locked_out = FALSE;
  guint left;

  associate = pd_journal_find_associate (self->journal, id, &hash, &local_error);
  if (associate == NULL)
    {
      if (!g_error_matches (local_error, PD_JOURNAL_ERROR, PD_JOURNAL_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (decoy_hash (self) != NULL)
        pin_matches (decoy_hash (self), pin);
      /* The ID typed is not written: it could be a PIN typed in the wrong place. */
      if (!record_refusal (self, refusal_kind, requester_id, NULL, _("an unknown associate ID"),
                           error))
        return NULL;
      g_set_error (error, PD_STAFF_ERROR, PD_STAFF_ERROR_WRONG_PIN,
                   _("The associate ID or the PIN is not right."));
      return NULL;
    }

  if (!associate->enabled)
    {
      if (record_refusal (self, refusal_kind, actor, approver, _("disabled"), error))
        g_set_error (error, PD_STAFF_ERROR, PD_STAFF_ERROR_DISABLED,
                     _("%s cannot sign in: their sign-in is disabled. A supervisor can enable "
                       "it again."), associate->display_name);
      return NULL;
    }

  if (pd_associate_is_locked_at (associate, now))
    {
      until = format_unix_time (associate->locked_until);
      if (record_refusal (self, refusal_kind, actor, approver, _("locked out"), error))
        g_set_error (error, PD_STAFF_ERROR, PD_STAFF_ERROR_LOCKED_OUT,
                     _("%s is locked out after %d wrong PINs, until %s. A supervisor can "
                       "unlock them sooner."), associate->display_name, PD_PIN_MAX_ATTEMPTS,
                     until);
      return NULL;
    }

  if (!pin_matches (hash, pin))
    {
      gint64 lock_until = now + pd_config_get_lockout_seconds (self->config);

      failed = new_event (self, refusal_kind, actor, approver, NULL, _("wrong PIN"));
      lockout = new_event (self, PD_AUDIT_LOCKOUT, id, NULL, NULL, NULL);
      if (!pd_journal_count_wrong_pin (self->journal, id, PD_PIN_MAX_ATTEMPTS, lock_until,
                                       failed, lockout, &locked_out, error))
        return NULL;
      if (locked_out)
        {
          until = format_unix_time (lock_until);
          g_set_error (error, PD_STAFF_ERROR, PD_STAFF_ERROR_LOCKED_OUT,
                       _("That PIN is not right either. After %d wrong PINs, %s is locked out "
                         "until %s; a supervisor can unlock them sooner."), PD_PIN_MAX_ATTEMPTS,
                       associate->display_name, until);
          return NULL;
        }
      left = PD_PIN_MAX_ATTEMPTS - MIN (PD_PIN_MAX_ATTEMPTS - 1, associate->failed_attempts + 1);
      g_set_error (error, PD_STAFF_ERROR, PD_STAFF_ERROR_WRONG_PIN,
                   g_dngettext (GETTEXT_PACKAGE,
                                "That PIN is not right. %u more wrong PIN locks the sign-in.",
                                "That PIN is not right. %u more wrong PINs lock the sign-in.",
                                left), left);
      return NULL;
    }

  return g_steal_pointer (&associate);
}

PdAssociate *
pd_staff_sign_in (PdStaff     *self,
                  const char  *id,
                  const char  *pin,
                  GError     **error)
{
  g_autoptr(PdAssociate) associate = NULL;
  g_autoptr(PdAuditEvent) event = NULL;

  g_return_val_if_fail (PD_IS_STAFF (self), NULL);
  g_return_val_if_fail (id != NULL && pin != NULL, NULL);

  if (!pd_staff_ensure_training_associates (self, error) ||
      !(associate = check_pin (self, id, pin, PD_AUDIT_SIGN_IN_FAILED, NULL, error)))
    return NULL;
  event = new_event (self, PD_AUDIT_SIGN_IN, associate->id, NULL, NULL, NULL);
  if (!pd_journal_change_associate (self->journal, associate->id, PD_ASSOCIATE_SIGNED_IN, NULL,
                                    event, error))
    return NULL;
  associate->failed_attempts = 0;
  associate->locked_until = 0;
  return g_steal_pointer (&associate);
}

typedef struct {
  char *id;
  char *pin;
} SignIn;

static void
sign_in_free (SignIn *sign_in)
{
  g_free (sign_in->id);
  sodium_memzero (sign_in->pin, strlen (sign_in->pin));
  g_free (sign_in->pin);
  g_free (sign_in);
}

static void
sign_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  SignIn *sign_in = task_data;
  GError *error = NULL;
  PdAssociate *associate = pd_staff_sign_in (source_object, sign_in->id, sign_in->pin, &error);

  if (associate != NULL)
    g_task_return_pointer (task, associate, (GDestroyNotify) pd_associate_free);
  else
    g_task_return_error (task, error);
}

void
pd_staff_sign_in_async (PdStaff             *self,
                        const char          *id,
                        const char          *pin,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SignIn *sign_in;

  g_return_if_fail (PD_IS_STAFF (self));
  g_return_if_fail (id != NULL && pin != NULL);

  sign_in = g_new0 (SignIn, 1);
  sign_in->id = g_strdup (id);
  sign_in->pin = g_strdup (pin);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pd_staff_sign_in_async);
  g_task_set_task_data (task, sign_in, (GDestroyNotify) sign_in_free);
  g_task_run_in_thread (task, sign_in_thread);
}

PdAssociate *
pd_staff_sign_in_finish (PdStaff       *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
pd_staff_sign_out (PdStaff            *self,
                   const PdAssociate  *associate,
                   PdAuditKind         kind,
                   GError            **error)
{
  g_return_val_if_fail (PD_IS_STAFF (self), FALSE);
  g_return_val_if_fail (associate != NULL, FALSE);
  g_return_val_if_fail (kind == PD_AUDIT_SIGN_OUT || kind == PD_AUDIT_AUTO_LOCK, FALSE);

  return pd_staff_record (self, kind, associate->id, NULL, NULL, NULL, error);
}

gboolean
pd_staff_check_permission (PdStaff            *self,
                           const PdAssociate  *associate,
                           PdPermission        permission,
                           GError            **error)
{
  g_return_val_if_fail (PD_IS_STAFF (self), FALSE);
  g_return_val_if_fail (associate != NULL, FALSE);

  switch (pd_role_may (associate->role, permission))
    {
    case PD_ALLOWED:
      return TRUE;
    case PD_ALLOWED_WITH_OVERRIDE:
      g_set_error (error, PD_STAFF_ERROR, PD_STAFF_ERROR_NOT_ALLOWED,
                   _("A supervisor must approve this with their PIN."));
      return FALSE;
    case PD_NOT_ALLOWED:
    default:
      g_set_error (error, PD_STAFF_ERROR, PD_STAFF_ERROR_NOT_ALLOWED,
                   _("Only a supervisor can do this."));
      return FALSE;
    }
}

/* A supervisor's PIN entered on the spot for requester_id: another person than the
 * requester, the right PIN (a wrong one counts against the supervisor), and a supervisor.
 * Each refusal is written with both names. */
static PdAssociate *
check_supervisor (PdStaff     *self,
                  const char  *requester_id,
                  const char  *supervisor_id,
                  const char  *supervisor_pin,
                  GError     **error)
{
  g_autoptr(PdAssociate) supervisor = NULL;

  if (g_strcmp0 (supervisor_id, requester_id) == 0)
    {
      if (record_refusal (self, PD_AUDIT_OVERRIDE_REFUSED, requester_id, supervisor_id,
                          _("approval asked of oneself"), error))
        g_set_error (error, PD_STAFF_ERROR, PD_STAFF_ERROR_NOT_ALLOWED,
                     _("Another person, a supervisor, must approve this."));
      return NULL;
    }
  if (!(supervisor = check_pin (self, supervisor_id, supervisor_pin, PD_AUDIT_OVERRIDE_REFUSED,
                                requester_id, error)))
    return NULL;
  if (supervisor->role != PD_ROLE_SUPERVISOR)
    {
      if (record_refusal (self, PD_AUDIT_OVERRIDE_REFUSED, requester_id, supervisor->id,
                          _("not a supervisor"), error))
        g_set_error (error, PD_STAFF_ERROR, PD_STAFF_ERROR_NOT_ALLOWED,
                     _("%s is not a supervisor: a supervisor must approve this."),
                     supervisor->display_name);
      return NULL;
    }
  return g_steal_pointer (&supervisor);
}

PdAssociate *
pd_staff_approve (PdStaff            *self,
                  const PdAssociate  *associate,
                  PdPermission        permission,
                  const char         *supervisor_id,
                  const char         *supervisor_pin,
                  const char         *detail,
                  GError            **error)
{
  g_autoptr(PdAssociate) supervisor = NULL;
  g_autoptr(PdAuditEvent) event = NULL;

  g_return_val_if_fail (PD_IS_STAFF (self), NULL);
  g_return_val_if_fail (associate != NULL, NULL);
  g_return_val_if_fail (supervisor_id != NULL && supervisor_pin != NULL, NULL);

  if (pd_role_may (associate->role, permission) == PD_NOT_ALLOWED)
    {
      g_set_error (error, PD_STAFF_ERROR, PD_STAFF_ERROR_NOT_ALLOWED,
                   _("Only a supervisor can do this."));
      return NULL;
    }
  if (!(supervisor = check_supervisor (self, associate->id, supervisor_id, supervisor_pin,
                                      error)))
    return NULL;
  event = new_event (self, PD_AUDIT_OVERRIDE, associate->id, supervisor->id, NULL, detail);
  if (!pd_journal_change_associate (self->journal, supervisor->id, PD_ASSOCIATE_SIGNED_IN, NULL,
                                    event, error))
    return NULL;
  return g_steal_pointer (&supervisor);
}

gboolean
pd_staff_unlock_with_pin (PdStaff     *self,
                          const char  *associate_id,
                          const char  *supervisor_id,
                          const char  *supervisor_pin,
                          GError     **error)
{
  g_autoptr(PdAssociate) supervisor = NULL;

  g_return_val_if_fail (PD_IS_STAFF (self), FALSE);
  g_return_val_if_fail (associate_id != NULL, FALSE);
  g_return_val_if_fail (supervisor_id != NULL && supervisor_pin != NULL, FALSE);

  if (!(supervisor = check_supervisor (self, associate_id, supervisor_id, supervisor_pin,
                                      error)))
    return FALSE;
  return change (self, supervisor->id, associate_id, PD_ASSOCIATE_UNLOCK, NULL, PD_AUDIT_UNLOCK,
                 error);
}

gboolean
pd_staff_record (PdStaff     *self,
                 PdAuditKind  kind,
                 const char  *associate_id,
                 const char  *approver_id,
                 const char  *payment_id,
                 const char  *detail,
                 GError     **error)
{
  g_autoptr(PdAuditEvent) event = NULL;

  g_return_val_if_fail (PD_IS_STAFF (self), FALSE);
  g_return_val_if_fail (kind < PD_N_AUDIT_KINDS, FALSE);

  event = new_event (self, kind, associate_id, approver_id, payment_id, detail);
  return pd_journal_append_audit (self->journal, event, error);
}

typedef struct {
  PdAuditKind kind;
  char *associate_id;
  char *payment_id;
  char *detail;
} Record;

static void
record_free (Record *record)
{
  g_free (record->associate_id);
  g_free (record->payment_id);
  g_free (record->detail);
  g_free (record);
}

static void
record_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Record *record = task_data;
  GError *error = NULL;

  if (pd_staff_record (PD_STAFF (source), record->kind, record->associate_id, NULL,
                       record->payment_id, record->detail, &error))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  g_warning ("the audit log did not take “%s” by %s: %s", pd_audit_kind_to_id (record->kind),
             record->associate_id != NULL ? record->associate_id : "nobody", error->message);
  g_task_return_error (task, error);
}

void
pd_staff_record_async (PdStaff             *self,
                       PdAuditKind          kind,
                       const char          *associate_id,
                       const char          *payment_id,
                       const char          *detail,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Record *record;

  g_return_if_fail (PD_IS_STAFF (self));
  g_return_if_fail (kind < PD_N_AUDIT_KINDS);

  record = g_new0 (Record, 1);
  record->kind = kind;
  record->associate_id = g_strdup (associate_id);
  record->payment_id = g_strdup (payment_id);
  record->detail = g_strdup (detail);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pd_staff_record_async);
  g_task_set_task_data (task, record, (GDestroyNotify) record_free);
  g_task_run_in_thread (task, record_thread);
}

gboolean
pd_staff_record_finish (PdStaff       *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
