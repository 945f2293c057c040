#include <glib/gi18n.h>

#include "pd-devices-page.h"
#include "pd-idle-watch.h"
#include "pd-outbox-page.h"
#include "pd-sign-in-page.h"
#include "pd-supervisor-panel.h"

struct _PdSupervisorPanel {
  AdwBin parent_instance;

  PdStaff *staff;
  PdAssociate *supervisor;
  PdIdleWatch *idle;

  GtkStack *stack;
  PdSignInPage *sign_in_page;
  GtkLabel *supervisor_label;
  AdwViewStack *view_stack;
  PdDevicesPage *devices_page;
  PdOutboxPage *outbox_page;
};

G_DEFINE_FINAL_TYPE (PdSupervisorPanel, pd_supervisor_panel, ADW_TYPE_BIN)

enum {
  SIGNAL_DONE,
  SIGNAL_QUIT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* On a worker: the journal's disk is not the screen's. */
static void
record (PdSupervisorPanel *self,
        PdAuditKind        kind)
{
  if (self->staff != NULL && self->supervisor != NULL)
    pd_staff_record_async (self->staff, kind, self->supervisor->id, NULL, NULL, NULL, NULL,
                           NULL);
}

static void
leave (PdSupervisorPanel *self)
{
  pd_idle_watch_stop (self->idle);
  g_clear_pointer (&self->supervisor, pd_associate_free);
  pd_outbox_page_set_associate (self->outbox_page, NULL);
  pd_sign_in_page_reset (self->sign_in_page, NULL, NULL);
  gtk_stack_set_visible_child_name (self->stack, "sign-in");
  g_signal_emit (self, signals[SIGNAL_DONE], 0);
}

static gboolean
on_idle (gpointer data)
{
  PdSupervisorPanel *self = data;

  record (self, PD_AUDIT_AUTO_LOCK);
  leave (self);
  return G_SOURCE_REMOVE;
}

static void
back (GtkWidget  *widget,
      const char *action_name,
      GVariant   *parameter)
{
  PdSupervisorPanel *self = PD_SUPERVISOR_PANEL (widget);

  record (self, PD_AUDIT_SIGN_OUT);
  leave (self);
}

static void
exit_recorded (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(PdSupervisorPanel) self = user_data;

  if (pd_staff_record_finish (PD_STAFF (source), result, NULL))
    g_signal_emit (self, signals[SIGNAL_QUIT], 0);
}

static void
quit (GtkWidget  *widget,
      const char *action_name,
      GVariant   *parameter)
{
  PdSupervisorPanel *self = PD_SUPERVISOR_PANEL (widget);

  if (self->supervisor == NULL)
    return;
  /* Leaving kiosk mode is written before the kiosk goes. */
  pd_staff_record_async (self->staff, PD_AUDIT_KIOSK_EXIT, self->supervisor->id, NULL, NULL,
                         NULL, exit_recorded, g_object_ref (self));
}

static void
show (GtkWidget  *widget,
      const char *action_name,
      GVariant   *parameter)
{
  PdSupervisorPanel *self = PD_SUPERVISOR_PANEL (widget);

  if (self->supervisor != NULL)
    adw_view_stack_set_visible_child_name (self->view_stack,
                                           g_variant_get_string (parameter, NULL));
}

static void
on_signed_in (PdSupervisorPanel *self,
              const PdAssociate *associate)
{
  g_autofree char *who = NULL;

  /* Back at the kiosk meanwhile: nobody is there to be signed in. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  /* The page offers supervisors only; an associate's sign-in goes no further. */
  if (associate->role != PD_ROLE_SUPERVISOR)
    {
      if (self->staff != NULL)
        pd_staff_record_async (self->staff, PD_AUDIT_OVERRIDE_REFUSED, associate->id, NULL,
                               "kiosk: not a supervisor", NULL, NULL, NULL);
      pd_sign_in_page_reset (self->sign_in_page, NULL,
                             _("Only a supervisor can open these screens."));
      return;
    }
  self->supervisor = pd_associate_copy (associate);
  who = g_strdup_printf (_("%s · %s"), associate->display_name,
                         pd_role_get_name (associate->role));
  gtk_label_set_label (self->supervisor_label, who);
  pd_outbox_page_set_associate (self->outbox_page, associate);
  adw_view_stack_set_visible_child_name (self->view_stack, "devices");
  gtk_stack_set_visible_child_name (self->stack, "desk");
  pd_idle_watch_restart (self->idle);
}

static void
cancel (GtkWidget  *widget,
        const char *action_name,
        GVariant   *parameter)
{
  leave (PD_SUPERVISOR_PANEL (widget));
}

static void
pd_supervisor_panel_dispose (GObject *object)
{
  PdSupervisorPanel *self = PD_SUPERVISOR_PANEL (object);

  g_clear_pointer (&self->idle, pd_idle_watch_free);
  g_clear_object (&self->staff);
  g_clear_pointer (&self->supervisor, pd_associate_free);

  G_OBJECT_CLASS (pd_supervisor_panel_parent_class)->dispose (object);
}

static void
pd_supervisor_panel_class_init (PdSupervisorPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_supervisor_panel_dispose;

  signals[SIGNAL_DONE] = g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                       NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_QUIT] = g_signal_new ("quit", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                       NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (PD_TYPE_DEVICES_PAGE);
  g_type_ensure (PD_TYPE_OUTBOX_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/paydesk/Paydesk/supervisor/pd-supervisor-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, PdSupervisorPanel, stack);
  gtk_widget_class_bind_template_child (widget_class, PdSupervisorPanel, supervisor_label);
  gtk_widget_class_bind_template_child (widget_class, PdSupervisorPanel, view_stack);
  gtk_widget_class_bind_template_child (widget_class, PdSupervisorPanel, devices_page);
  gtk_widget_class_bind_template_child (widget_class, PdSupervisorPanel, outbox_page);
  gtk_widget_class_install_action (widget_class, "supervisor.back", NULL, back);
  gtk_widget_class_install_action (widget_class, "supervisor.cancel", NULL, cancel);
  gtk_widget_class_install_action (widget_class, "supervisor.quit", NULL, quit);
  gtk_widget_class_install_action (widget_class, "supervisor.show", "s", show);
}

static void
pd_supervisor_panel_init (PdSupervisorPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
pd_supervisor_panel_new (PdConfig *config)
{
  PdSupervisorPanel *self;
  GtkWidget *sign_in_box;
  GtkWidget *cancel_button;

  g_return_val_if_fail (PD_IS_CONFIG (config), NULL);

  self = g_object_new (PD_TYPE_SUPERVISOR_PANEL, NULL);
  self->idle = pd_idle_watch_new (GTK_WIDGET (self),
                                  pd_config_get_counter_lock_seconds (config) * 1000,
                                  on_idle, self);
  self->sign_in_page = PD_SIGN_IN_PAGE (pd_sign_in_page_new (config));
  pd_sign_in_page_set_supervisors_only (self->sign_in_page,
                                        _("A supervisor signs in to leave the kiosk’s screens"));
  g_signal_connect_object (self->sign_in_page, "signed-in", G_CALLBACK (on_signed_in), self,
                           G_CONNECT_SWAPPED);
  sign_in_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_vexpand (GTK_WIDGET (self->sign_in_page), TRUE);
  gtk_box_append (GTK_BOX (sign_in_box), GTK_WIDGET (self->sign_in_page));
  cancel_button = gtk_button_new_with_label (_("Back to the kiosk"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (cancel_button), "supervisor.cancel");
  gtk_widget_set_halign (cancel_button, GTK_ALIGN_START);
  gtk_widget_set_margin_start (cancel_button, 24);
  gtk_widget_set_margin_bottom (cancel_button, 16);
  gtk_widget_add_css_class (cancel_button, "counter-button");
  gtk_box_append (GTK_BOX (sign_in_box), cancel_button);
  gtk_stack_add_named (self->stack, sign_in_box, "sign-in");
  gtk_stack_set_visible_child_name (self->stack, "sign-in");
  return GTK_WIDGET (self);
}

void
pd_supervisor_panel_set_terminal (PdSupervisorPanel *self,
                                  PdTerminal        *terminal)
{
  g_return_if_fail (PD_IS_SUPERVISOR_PANEL (self));
  g_return_if_fail (PD_IS_TERMINAL (terminal));

  g_set_object (&self->staff, pd_terminal_get_staff (terminal));
  pd_sign_in_page_set_staff (self->sign_in_page, self->staff);
  pd_devices_page_set_terminal (self->devices_page, terminal);
  pd_outbox_page_set_terminal (self->outbox_page, terminal);
}

void
pd_supervisor_panel_open (PdSupervisorPanel *self)
{
  g_return_if_fail (PD_IS_SUPERVISOR_PANEL (self));

  g_clear_pointer (&self->supervisor, pd_associate_free);
  pd_sign_in_page_reset (self->sign_in_page, NULL, NULL);
  gtk_stack_set_visible_child_name (self->stack, "sign-in");
  /* Nobody who opens it by chance keeps the members from the kiosk for long. */
  pd_idle_watch_restart (self->idle);
}

const PdAssociate *
pd_supervisor_panel_get_supervisor (PdSupervisorPanel *self)
{
  g_return_val_if_fail (PD_IS_SUPERVISOR_PANEL (self), NULL);

  return self->supervisor;
}
