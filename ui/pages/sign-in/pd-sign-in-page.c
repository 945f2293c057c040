#include <glib/gi18n.h>
#include <sodium.h>
#include <string.h>

#include "pd-page.h"
#include "pd-pin-pad.h"
#include "pd-sign-in-page.h"

struct _PdSignInPage {
  AdwBin parent_instance;

  PdConfig *config;
  PdStaff *staff;
  GCancellable *cancellable;
  /* PdAssociate, as last read. */
  GPtrArray *associates;
  char *chosen_id;
  gboolean busy;
  /* Only supervisors are offered (leaving a kiosk). */
  gboolean supervisors_only;
  /* A locked-out associate a supervisor is unlocking: supervisors are offered meanwhile. */
  char *unlocking_id;

  GtkLabel *title_label;
  GtkLabel *terminal_label;
  GtkBox *associates_box;
  GtkLabel *prompt_label;
  PdPinPad *pin_pad;
  GtkLabel *message_label;
  GtkSpinner *spinner;
  GtkLabel *training_label;
  GtkWidget *unlock_button;
  GtkWidget *cancel_unlock_button;
};

G_DEFINE_FINAL_TYPE (PdSignInPage, pd_sign_in_page, ADW_TYPE_BIN)

enum {
  SIGNAL_SIGNED_IN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The associate by that ID among those offered. */
static const PdAssociate *
find_associate (PdSignInPage *self,
                const char   *id)
{
  for (guint i = 0; self->associates != NULL && i < self->associates->len; i++)
    {
      const PdAssociate *associate = g_ptr_array_index (self->associates, i);

      if (g_strcmp0 (associate->id, id) == 0 &&
          (!(self->supervisors_only || self->unlocking_id != NULL) ||
           associate->role == PD_ROLE_SUPERVISOR))
        return associate;
    }
  return NULL;
}

static void
update_actions (PdSignInPage *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sign-in.submit",
                                 !self->busy && self->chosen_id != NULL &&
                                 pd_pin_pad_get_length (self->pin_pad) >= PD_PIN_MIN_DIGITS);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sign-in.choose", !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sign-in.cancel-unlock", !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sign-in.start-unlock", !self->busy);
}

static void
show_chosen (PdSignInPage *self)
{
  const PdAssociate *chosen = find_associate (self, self->chosen_id);
  g_autofree char *prompt = NULL;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->associates_box));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      gboolean is_chosen = g_strcmp0 (gtk_widget_get_name (child), self->chosen_id) == 0;

      if (is_chosen)
        gtk_widget_add_css_class (child, "chosen");
      else
        gtk_widget_remove_css_class (child, "chosen");
      gtk_accessible_update_state (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_STATE_PRESSED,
                                   is_chosen ? GTK_ACCESSIBLE_TRISTATE_TRUE
                                             : GTK_ACCESSIBLE_TRISTATE_FALSE, -1);
    }
  if (self->unlocking_id != NULL)
    prompt = g_strdup_printf (_("To unlock %s, a supervisor chooses their name and enters their "
                                "PIN."), self->unlocking_id);
  else if (chosen != NULL)
    prompt = g_strdup_printf (_("%s, enter your PIN."), chosen->display_name);
  gtk_label_set_label (self->prompt_label,
                       prompt != NULL ? prompt : _("Choose your name, then enter your PIN."));
  gtk_widget_set_visible (self->unlock_button,
                          self->unlocking_id == NULL && chosen != NULL &&
                          pd_associate_is_locked_at (chosen, g_get_real_time () / G_USEC_PER_SEC));
  gtk_widget_set_visible (self->cancel_unlock_button, self->unlocking_id != NULL);
  update_actions (self);
}

static GtkWidget *
associate_button (const PdAssociate *associate,
                  gint64             now)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *name = gtk_label_new (associate->display_name);
  g_autofree char *about = NULL;
  GtkWidget *detail;

  if (pd_associate_is_locked_at (associate, now))
    about = g_strdup_printf (_("%s · %s · locked out"), pd_role_get_name (associate->role),
                             associate->id);
  else
    about = g_strdup_printf (_("%s · %s"), pd_role_get_name (associate->role), associate->id);
  detail = gtk_label_new (about);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_xalign (GTK_LABEL (detail), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (name, "associate-name");
  gtk_widget_add_css_class (detail, "dim-label");
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), detail);
  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_widget_set_name (button, associate->id);
  gtk_widget_add_css_class (button, "associate-button");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "sign-in.choose");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", associate->id);
  return button;
}

static void
show_associates (PdSignInPage *self)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  GtkWidget *child;
  guint enabled = 0;
  const char *only = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->associates_box))) != NULL)
    gtk_box_remove (self->associates_box, child);
  for (guint i = 0; i < self->associates->len; i++)
    {
      const PdAssociate *associate = g_ptr_array_index (self->associates, i);

      /* A disabled associate cannot sign in: not offered. */
      if (!associate->enabled ||
          ((self->supervisors_only || self->unlocking_id != NULL) &&
           associate->role != PD_ROLE_SUPERVISOR))
        continue;
      enabled++;
      only = associate->id;
      gtk_box_append (self->associates_box, associate_button (associate, now));
    }
  if (enabled == 0)
    pd_page_show_message (self->message_label, _("Nobody can sign in at this counter yet: a supervisor adds associates with "
                 "“paydesk-ctl associate add”."));
  if (self->chosen_id == NULL && enabled == 1)
    self->chosen_id = g_strdup (only);
  if (find_associate (self, self->chosen_id) == NULL)
    g_clear_pointer (&self->chosen_id, g_free);
  show_chosen (self);
}

static void
associates_read (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  PdSignInPage *self = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *associates = g_task_propagate_pointer (G_TASK (result), &error);

  if (associates == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        pd_page_show_message (self->message_label, error->message);
      return;
    }
  g_clear_pointer (&self->associates, g_ptr_array_unref);
  self->associates = associates;
  show_associates (self);
}

static void
read_associates_thread (GTask        *task,
                        gpointer      source,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *associates = pd_staff_list_associates (task_data, &error);

  if (associates != NULL)
    g_task_return_pointer (task, associates, (GDestroyNotify) g_ptr_array_unref);
  else
    g_task_return_error (task, error);
}

static void
read_associates (PdSignInPage *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->staff == NULL)
    return;
  task = g_task_new (NULL, self->cancellable, associates_read, self);
  g_task_set_task_data (task, g_object_ref (self->staff), g_object_unref);
  g_task_run_in_thread (task, read_associates_thread);
}

static void
signed_in (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  PdSignInPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdAssociate) associate = pd_staff_sign_in_finish (PD_STAFF (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->busy = FALSE;
  gtk_spinner_set_spinning (self->spinner, FALSE);
  update_actions (self);
  if (associate == NULL)
    {
      pd_page_show_message (self->message_label, error->message);
      /* A lockout shows in the list. */
      read_associates (self);
      return;
    }
  pd_page_show_message (self->message_label, NULL);
  g_signal_emit (self, signals[SIGNAL_SIGNED_IN], 0, associate);
}

typedef struct {
  char *associate_id;
  char *supervisor_id;
  char *supervisor_pin;
} Unlock;

static void
unlock_free (Unlock *unlock)
{
  g_free (unlock->associate_id);
  g_free (unlock->supervisor_id);
  sodium_memzero (unlock->supervisor_pin, strlen (unlock->supervisor_pin));
  g_free (unlock->supervisor_pin);
  g_free (unlock);
}

static void
unlock_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Unlock *unlock = task_data;
  GError *error = NULL;

  if (pd_staff_unlock_with_pin (PD_STAFF (source), unlock->associate_id, unlock->supervisor_id,
                                unlock->supervisor_pin, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
unlocked (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  PdSignInPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *done = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->busy = FALSE;
  gtk_spinner_set_spinning (self->spinner, FALSE);
  if (error != NULL)
    {
      pd_page_show_message (self->message_label, error->message);
      update_actions (self);
      return;
    }
  id = g_steal_pointer (&self->unlocking_id);
  done = g_strdup_printf (_("%s may sign in again."), id);
  pd_sign_in_page_reset (self, id, done);
}

static void
start_unlock (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  PdSignInPage *self = PD_SIGN_IN_PAGE (widget);

  if (self->chosen_id == NULL || self->busy)
    return;
  self->unlocking_id = g_steal_pointer (&self->chosen_id);
  pd_pin_pad_clear (self->pin_pad);
  pd_page_show_message (self->message_label, NULL);
  show_associates (self);
}

static void
cancel_unlock (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PdSignInPage *self = PD_SIGN_IN_PAGE (widget);
  g_autofree char *id = g_steal_pointer (&self->unlocking_id);

  if (id != NULL)
    pd_sign_in_page_reset (self, id, NULL);
}

static void
submit (GtkWidget  *widget,
        const char *action_name,
        GVariant   *parameter)
{
  PdSignInPage *self = PD_SIGN_IN_PAGE (widget);

  if (self->staff == NULL || self->chosen_id == NULL || self->busy ||
      find_associate (self, self->chosen_id) == NULL ||
      pd_pin_pad_get_length (self->pin_pad) < PD_PIN_MIN_DIGITS)
    return;
  self->busy = TRUE;
  gtk_spinner_set_spinning (self->spinner, TRUE);
  pd_page_show_message (self->message_label, NULL);
  if (self->unlocking_id != NULL)
    {
      g_autoptr(GTask) task = g_task_new (self->staff, self->cancellable, unlocked, self);
      Unlock *unlock = g_new0 (Unlock, 1);

      unlock->associate_id = g_strdup (self->unlocking_id);
      unlock->supervisor_id = g_strdup (self->chosen_id);
      unlock->supervisor_pin = g_strdup (pd_pin_pad_get_pin (self->pin_pad));
      g_task_set_task_data (task, unlock, (GDestroyNotify) unlock_free);
      g_task_run_in_thread (task, unlock_thread);
    }
  else
    pd_staff_sign_in_async (self->staff, self->chosen_id, pd_pin_pad_get_pin (self->pin_pad),
                            self->cancellable, signed_in, self);
  /* The worker has its own copy: the pad forgets the digits at once. */
  pd_pin_pad_clear (self->pin_pad);
  update_actions (self);
}

static void
choose (GtkWidget  *widget,
        const char *action_name,
        GVariant   *parameter)
{
  PdSignInPage *self = PD_SIGN_IN_PAGE (widget);

  g_free (self->chosen_id);
  self->chosen_id = g_variant_dup_string (parameter, NULL);
  pd_pin_pad_clear (self->pin_pad);
  pd_page_show_message (self->message_label, NULL);
  show_chosen (self);
}

static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                PdSignInPage          *self)
{
  gunichar c = gdk_keyval_to_unicode (keyval);

  if (self->busy)
    return GDK_EVENT_PROPAGATE;
  if (c >= '0' && c <= '9')
    {
      pd_pin_pad_add_digit (self->pin_pad, (char) c);
      return GDK_EVENT_STOP;
    }
  switch (keyval)
    {
    case GDK_KEY_BackSpace:
      pd_pin_pad_erase (self->pin_pad);
      return GDK_EVENT_STOP;
    case GDK_KEY_Escape:
      pd_pin_pad_clear (self->pin_pad);
      return GDK_EVENT_STOP;
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
      gtk_widget_activate_action (GTK_WIDGET (self), "sign-in.submit", NULL);
      return GDK_EVENT_STOP;
    default:
      return GDK_EVENT_PROPAGATE;
    }
}

static void
pd_sign_in_page_dispose (GObject *object)
{
  PdSignInPage *self = PD_SIGN_IN_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->staff);
  g_clear_object (&self->config);
  g_clear_pointer (&self->associates, g_ptr_array_unref);
  g_clear_pointer (&self->chosen_id, g_free);
  g_clear_pointer (&self->unlocking_id, g_free);

  G_OBJECT_CLASS (pd_sign_in_page_parent_class)->dispose (object);
}

static void
pd_sign_in_page_class_init (PdSignInPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_sign_in_page_dispose;

  signals[SIGNAL_SIGNED_IN] = g_signal_new ("signed-in", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 1, PD_TYPE_ASSOCIATE);

  g_type_ensure (PD_TYPE_PIN_PAD);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/paydesk/Paydesk/pages/sign-in/pd-sign-in-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PdSignInPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, PdSignInPage, terminal_label);
  gtk_widget_class_bind_template_child (widget_class, PdSignInPage, associates_box);
  gtk_widget_class_bind_template_child (widget_class, PdSignInPage, prompt_label);
  gtk_widget_class_bind_template_child (widget_class, PdSignInPage, pin_pad);
  gtk_widget_class_bind_template_child (widget_class, PdSignInPage, message_label);
  gtk_widget_class_bind_template_child (widget_class, PdSignInPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, PdSignInPage, training_label);
  gtk_widget_class_bind_template_child (widget_class, PdSignInPage, unlock_button);
  gtk_widget_class_bind_template_child (widget_class, PdSignInPage, cancel_unlock_button);
  gtk_widget_class_install_action (widget_class, "sign-in.choose", "s", choose);
  gtk_widget_class_install_action (widget_class, "sign-in.submit", NULL, submit);
  gtk_widget_class_install_action (widget_class, "sign-in.start-unlock", NULL, start_unlock);
  gtk_widget_class_install_action (widget_class, "sign-in.cancel-unlock", NULL, cancel_unlock);
}

static void
pd_sign_in_page_init (PdSignInPage *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  g_signal_connect_swapped (self->pin_pad, "changed", G_CALLBACK (update_actions), self);
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
  pd_page_show_message (self->message_label, NULL);
  show_chosen (self);
}

GtkWidget *
pd_sign_in_page_new (PdConfig *config)
{
  PdSignInPage *self;
  g_autofree char *terminal = NULL;

  g_return_val_if_fail (PD_IS_CONFIG (config), NULL);

  self = g_object_new (PD_TYPE_SIGN_IN_PAGE, NULL);
  self->config = g_object_ref (config);
  terminal = g_strdup_printf (pd_config_get_mode (config) == PD_TERMINAL_MODE_KIOSK
                                ? _("Center %s · Kiosk %s") : _("Center %s · Counter %s"),
                              pd_config_get_center_id (config),
                              pd_config_get_terminal_id (config));
  gtk_label_set_label (self->terminal_label, terminal);
  /* A trainee needs no one to tell them the training PINs (README: "Counter mode"). */
  if (pd_config_get_training (config))
    {
      g_autofree char *training = g_strdup_printf (_("Training: the associate %s signs in with "
                                                     "%s, the supervisor %s with %s."),
                                                   PD_TRAINING_ASSOCIATE_ID,
                                                   PD_TRAINING_ASSOCIATE_PIN,
                                                   PD_TRAINING_SUPERVISOR_ID,
                                                   PD_TRAINING_SUPERVISOR_PIN);

      gtk_label_set_label (self->training_label, training);
      gtk_widget_set_visible (GTK_WIDGET (self->training_label), TRUE);
    }
  return GTK_WIDGET (self);
}

void
pd_sign_in_page_set_staff (PdSignInPage *self,
                           PdStaff      *staff)
{
  g_return_if_fail (PD_IS_SIGN_IN_PAGE (self));
  g_return_if_fail (PD_IS_STAFF (staff));

  g_set_object (&self->staff, staff);
  read_associates (self);
}

void
pd_sign_in_page_set_supervisors_only (PdSignInPage *self,
                                      const char   *title)
{
  g_return_if_fail (PD_IS_SIGN_IN_PAGE (self));
  g_return_if_fail (title != NULL);

  self->supervisors_only = TRUE;
  gtk_label_set_label (self->title_label, title);
  if (self->associates != NULL)
    show_associates (self);
}

void
pd_sign_in_page_reset (PdSignInPage *self,
                       const char   *chosen_id,
                       const char   *notice)
{
  g_return_if_fail (PD_IS_SIGN_IN_PAGE (self));

  /* A PIN still being checked for whoever was here is not theirs to finish. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->busy = FALSE;
  gtk_spinner_set_spinning (self->spinner, FALSE);
  pd_pin_pad_clear (self->pin_pad);
  g_clear_pointer (&self->unlocking_id, g_free);
  g_free (self->chosen_id);
  self->chosen_id = g_strdup (chosen_id);
  pd_page_show_message (self->message_label, notice);
  read_associates (self);
  show_chosen (self);
}
