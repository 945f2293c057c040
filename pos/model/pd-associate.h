#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Who works a counter. A supervisor may do all an associate may, and approve what an
 * associate may not do alone. */
typedef enum {
  PD_ROLE_ASSOCIATE,
  PD_ROLE_SUPERVISOR,
} PdRole;

#define PD_N_ROLES (PD_ROLE_SUPERVISOR + 1)

/* What a signed-in person may be asked to do. */
typedef enum {
  PD_PERMISSION_TAKE_PAYMENT,
  PD_PERMISSION_REPRINT,
  PD_PERMISSION_VOID,
  PD_PERMISSION_REFUND,
  PD_PERMISSION_END_OF_DAY,
  PD_PERMISSION_DEVICES,
  PD_PERMISSION_OUTBOX,
  PD_PERMISSION_UNLOCK_ASSOCIATE,
  PD_PERMISSION_LEAVE_KIOSK,
} PdPermission;

/* What the role's holder may do alone, what only with a supervisor's PIN entered on the
 * spot, and what not at all. */
typedef enum {
  PD_ALLOWED,
  PD_ALLOWED_WITH_OVERRIDE,
  PD_NOT_ALLOWED,
} PdPermissionAnswer;

#define PD_PIN_MIN_DIGITS 4
#define PD_PIN_MAX_DIGITS 8
/* Wrong PINs in a row before an associate is locked out. */
#define PD_PIN_MAX_ATTEMPTS 5

typedef struct {
  char *id;
  char *display_name;
  PdRole role;
  gboolean enabled;
  guint failed_attempts;
  /* Unix time until which sign-in is refused; 0 when not locked. */
  gint64 locked_until;
  char *created_at;
} PdAssociate;

#define PD_TYPE_ASSOCIATE (pd_associate_get_type ())

GType              pd_associate_get_type        (void) G_GNUC_CONST;
PdAssociate       *pd_associate_copy            (const PdAssociate *associate);
void               pd_associate_free            (PdAssociate       *associate);
gboolean           pd_associate_is_locked_at    (const PdAssociate *associate,
                                                 gint64             now);

gboolean           pd_associate_check_id        (const char        *id,
                                                 GError           **error);
gboolean           pd_associate_check_name      (const char        *name,
                                                 GError           **error);
/* 4 to 8 digits, not all the same, not a run up or down the keypad. */
gboolean           pd_pin_check                 (const char        *pin,
                                                 GError           **error);

const char        *pd_role_to_id                (PdRole             role);
gboolean           pd_role_from_id              (const char        *id,
                                                 PdRole            *role);
const char        *pd_role_get_name             (PdRole             role);
PdPermissionAnswer pd_role_may                  (PdRole             role,
                                                 PdPermission       permission);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdAssociate, pd_associate_free)

G_END_DECLS
