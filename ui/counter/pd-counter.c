#include <glib/gi18n.h>

#include "pd-counter.h"
#include "pd-devices-page.h"
#include "pd-end-of-day-page.h"
#include "pd-idle-watch.h"
#include "pd-outbox-page.h"
#include "pd-payments-page.h"
#include "pd-sign-in-page.h"

struct _PdCounter {
  AdwBin parent_instance;

  PdConfig *config;
  PdFlow *flow;
  PdStaff *staff;
  PdAssociate *associate;
  /* Who was signed in when the counter locked: their visit waits for them. */
  char *locked_for;
  PdIdleWatch *idle;
  /* The payment last written to the audit log as taken, not to write it twice. */
  char *recorded_payment_id;

  GtkStack *stack;
  PdSignInPage *sign_in_page;
  GtkLabel *associate_label;
  AdwViewStack *view_stack;
  AdwBin *flow_bin;
  PdPaymentsPage *payments_page;
  PdEndOfDayPage *end_of_day_page;
  PdDevicesPage *devices_page;
  PdOutboxPage *outbox_page;
};

G_DEFINE_FINAL_TYPE (PdCounter, pd_counter, ADW_TYPE_BIN)

/* The journal's disk is not the screen's: the event is written on a worker. */
static void
write_audit (PdCounter   *self,
             PdAuditKind  kind,
             const char  *payment_id,
             const char  *detail)
{
  if (self->staff != NULL && self->associate != NULL)
    pd_staff_record_async (self->staff, kind, self->associate->id, payment_id, detail, NULL,
                           NULL, NULL);
}

static void lock_counter (PdCounter *self, PdAuditKind kind, const char *notice);

static gboolean
on_lock_timeout (gpointer data)
{
  PdCounter *self = data;
  g_autofree char *notice = NULL;
  guint minutes = MAX (1, (pd_idle_watch_get_timeout (self->idle) + 59999) / 60000);

  /* A payment at work is not interrupted: the counter locks once it is done. */
  if (pd_flow_get_busy (self->flow))
    {
      pd_idle_watch_restart (self->idle);
      return G_SOURCE_REMOVE;
    }
  notice = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "The counter locked after %u minute without use. "
                                         "Sign in again to go on.",
                                         "The counter locked after %u minutes without use. "
                                         "Sign in again to go on.", minutes), minutes);
  lock_counter (self, PD_AUDIT_AUTO_LOCK, notice);
  return G_SOURCE_REMOVE;
}

static void
show_sign_in (PdCounter  *self,
              const char *chosen_id,
              const char *notice)
{
  pd_sign_in_page_reset (self->sign_in_page, chosen_id, notice);
  gtk_stack_set_visible_child_name (self->stack, "sign-in");
}

static void
lock_counter (PdCounter   *self,
              PdAuditKind  kind,
              const char  *notice)
{
  g_autofree char *id = NULL;

  if (self->associate == NULL)
    return;
  pd_idle_watch_stop (self->idle);
  write_audit (self, kind, NULL, NULL);
  id = g_strdup (self->associate->id);
  g_clear_pointer (&self->associate, pd_associate_free);
  pd_payments_page_set_associate (self->payments_page, NULL);
  pd_end_of_day_page_set_associate (self->end_of_day_page, NULL);
  pd_outbox_page_set_associate (self->outbox_page, NULL);
  adw_view_stack_set_visible_child_name (self->view_stack, "pay");
  pd_visit_set_operator_id (pd_flow_get_visit (self->flow), NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "counter.lock", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "counter.sign-out", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "counter.new-visit", FALSE);
  if (kind == PD_AUDIT_SIGN_OUT)
    {
      /* Whoever signs in next starts with no member. */
      g_clear_pointer (&self->locked_for, g_free);
      gtk_widget_activate_action (GTK_WIDGET (self->flow), "flow.restart", NULL);
      show_sign_in (self, NULL, notice);
    }
  else
    {
      g_free (self->locked_for);
      self->locked_for = g_strdup (id);
      show_sign_in (self, id, notice);
    }
}

static void
on_signed_in (PdCounter         *self,
              const PdAssociate *associate)
{
  g_autofree char *who = NULL;

  /* Another associate's member is not this one's to go on with. */
  if (self->locked_for != NULL && g_strcmp0 (self->locked_for, associate->id) != 0)
    gtk_widget_activate_action (GTK_WIDGET (self->flow), "flow.restart", NULL);
  g_clear_pointer (&self->locked_for, g_free);
  g_clear_pointer (&self->associate, pd_associate_free);
  self->associate = pd_associate_copy (associate);
  pd_visit_set_operator_id (pd_flow_get_visit (self->flow), associate->id);
  pd_payments_page_set_associate (self->payments_page, associate);
  pd_end_of_day_page_set_associate (self->end_of_day_page, associate);
  pd_outbox_page_set_associate (self->outbox_page, associate);
  who = g_strdup_printf (_("%s · %s"), associate->display_name,
                         pd_role_get_name (associate->role));
  gtk_label_set_label (self->associate_label, who);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "counter.lock", TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "counter.sign-out", TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "counter.new-visit", TRUE);
  gtk_stack_set_visible_child_name (self->stack, "desk");
  pd_idle_watch_restart (self->idle);
}

/* A payment that reached its result is written to the audit log as taken by the associate
 * for the member, whatever its outcome. */
static void
on_visible_page (PdCounter *self)
{
  PdPayment *payment = pd_visit_get_payment (pd_flow_get_visit (self->flow));
  g_autofree char *detail = NULL;
  g_autofree char *amount = NULL;

  if (payment == NULL || g_strcmp0 (pd_flow_get_visible_page_name (self->flow), "result") != 0 ||
      g_strcmp0 (self->recorded_payment_id, pd_payment_get_id (payment)) == 0)
    return;
  g_free (self->recorded_payment_id);
  self->recorded_payment_id = g_strdup (pd_payment_get_id (payment));
  amount = pd_money_format (pd_payment_get_amount (payment), NULL);
  detail = g_strdup_printf ("%s %s %s %s", pd_payment_get_client_ref (payment), amount,
                            pd_tender_to_id (pd_payment_get_tender (payment)),
                            pd_payment_state_to_id (pd_payment_get_state (payment)));
  write_audit (self, PD_AUDIT_PAYMENT_TAKEN, pd_payment_get_id (payment), detail);
}

static void
lock_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PdCounter *self = PD_COUNTER (widget);

  if (!pd_flow_get_busy (self->flow))
    lock_counter (self, PD_AUDIT_LOCK, _("The counter is locked. Sign in again to go on."));
}

static void
sign_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  PdCounter *self = PD_COUNTER (widget);

  if (!pd_flow_get_busy (self->flow))
    lock_counter (self, PD_AUDIT_SIGN_OUT, NULL);
}

static void
new_visit_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PdCounter *self = PD_COUNTER (widget);

  gtk_widget_activate_action (GTK_WIDGET (self->flow), "flow.restart", NULL);
}

/* Taking a payment or the day's payments: the switcher's pages, for a keyboard too. */
static void
show_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PdCounter *self = PD_COUNTER (widget);
  const char *name = g_variant_get_string (parameter, NULL);

  if (self->associate == NULL)
    return;
  /* The page reads itself again through notify::visible-child-name. */
  adw_view_stack_set_visible_child_name (self->view_stack, name);
}

static void
on_view_changed (PdCounter *self)
{
  const char *name = adw_view_stack_get_visible_child_name (self->view_stack);

  if (self->associate == NULL)
    return;
  if (g_strcmp0 (name, "payments") == 0)
    pd_payments_page_refresh (self->payments_page);
  else if (g_strcmp0 (name, "outbox") == 0)
    pd_outbox_page_refresh (self->outbox_page);
}

/* A counter has a keyboard: Escape goes back a page, Alt+C, Alt+K and Alt+B choose card,
 * check and bank account on the page that asks how the member pays. */
static gboolean
on_escape (GtkWidget *widget,
           GVariant  *args,
           gpointer   user_data)
{
  PdCounter *self = PD_COUNTER (widget);

  if (self->associate == NULL ||
      g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "pay") != 0)
    return FALSE;
  return gtk_widget_activate_action (GTK_WIDGET (self->flow), "flow.back", NULL);
}

static gboolean
on_tender_key (GtkWidget *widget,
               GVariant  *args,
               gpointer   user_data)
{
  PdCounter *self = PD_COUNTER (widget);
  PdPage *page;

  if (self->associate == NULL ||
      g_strcmp0 (pd_flow_get_visible_page_name (self->flow), "tender") != 0 ||
      !(page = pd_flow_get_page (self->flow, "tender")))
    return FALSE;
  return gtk_widget_activate_action_variant (GTK_WIDGET (page), "tender.choose", args);
}

static void
pd_counter_dispose (GObject *object)
{
  PdCounter *self = PD_COUNTER (object);

  g_clear_pointer (&self->idle, pd_idle_watch_free);
  g_clear_object (&self->config);
  g_clear_object (&self->staff);
  g_clear_pointer (&self->associate, pd_associate_free);
  g_clear_pointer (&self->locked_for, g_free);
  g_clear_pointer (&self->recorded_payment_id, g_free);

  G_OBJECT_CLASS (pd_counter_parent_class)->dispose (object);
}

static void
pd_counter_class_init (PdCounterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_counter_dispose;

  g_type_ensure (PD_TYPE_PAYMENTS_PAGE);
  g_type_ensure (PD_TYPE_END_OF_DAY_PAGE);
  g_type_ensure (PD_TYPE_DEVICES_PAGE);
  g_type_ensure (PD_TYPE_OUTBOX_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/paydesk/Paydesk/counter/pd-counter.ui");
  gtk_widget_class_bind_template_child (widget_class, PdCounter, stack);
  gtk_widget_class_bind_template_child (widget_class, PdCounter, associate_label);
  gtk_widget_class_bind_template_child (widget_class, PdCounter, view_stack);
  gtk_widget_class_bind_template_child (widget_class, PdCounter, flow_bin);
  gtk_widget_class_bind_template_child (widget_class, PdCounter, payments_page);
  gtk_widget_class_bind_template_child (widget_class, PdCounter, end_of_day_page);
  gtk_widget_class_bind_template_child (widget_class, PdCounter, devices_page);
  gtk_widget_class_bind_template_child (widget_class, PdCounter, outbox_page);
  gtk_widget_class_install_action (widget_class, "counter.lock", NULL, lock_action);
  gtk_widget_class_install_action (widget_class, "counter.sign-out", NULL, sign_out_action);
  gtk_widget_class_install_action (widget_class, "counter.new-visit", NULL, new_visit_action);
  gtk_widget_class_install_action (widget_class, "counter.show", "s", show_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK,
                                       "counter.show", "s", "pay");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK,
                                       "counter.show", "s", "payments");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_ALT_MASK,
                                       "counter.show", "s", "end-of-day");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_4, GDK_ALT_MASK,
                                       "counter.show", "s", "devices");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_5, GDK_ALT_MASK,
                                       "counter.show", "s", "outbox");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK,
                                       "counter.lock", NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0, on_escape, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_c, GDK_ALT_MASK, on_tender_key, "s",
                                "card");
  gtk_widget_class_add_binding (widget_class, GDK_KEY_k, GDK_ALT_MASK, on_tender_key, "s",
                                "check");
  gtk_widget_class_add_binding (widget_class, GDK_KEY_b, GDK_ALT_MASK, on_tender_key, "s",
                                "bank");
  /* The member's pages have "Start over" too: this is the keyboard's way. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "counter.new-visit", NULL);
}

static void
pd_counter_init (PdCounter *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->view_stack, "notify::visible-child-name",
                            G_CALLBACK (on_view_changed), self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "counter.lock", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "counter.sign-out", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "counter.new-visit", FALSE);
}

PdCounter *
pd_counter_new (PdConfig *config,
                PdFlow   *flow)
{
  PdCounter *self;

  g_return_val_if_fail (PD_IS_CONFIG (config), NULL);
  g_return_val_if_fail (PD_IS_FLOW (flow), NULL);

  self = g_object_new (PD_TYPE_COUNTER, NULL);
  self->config = g_object_ref (config);
  self->flow = flow;
  self->idle = pd_idle_watch_new (GTK_WIDGET (self),
                                  pd_config_get_counter_lock_seconds (config) * 1000,
                                  on_lock_timeout, self);
  adw_bin_set_child (self->flow_bin, GTK_WIDGET (flow));
  self->sign_in_page = PD_SIGN_IN_PAGE (pd_sign_in_page_new (config));
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->sign_in_page), "sign-in");
  gtk_stack_set_visible_child_name (self->stack, "sign-in");
  g_signal_connect_object (self->sign_in_page, "signed-in", G_CALLBACK (on_signed_in), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (flow, "notify::visible-page-name", G_CALLBACK (on_visible_page),
                           self, G_CONNECT_SWAPPED);
  return self;
}

void
pd_counter_set_terminal (PdCounter  *self,
                         PdTerminal *terminal)
{
  g_return_if_fail (PD_IS_COUNTER (self));
  g_return_if_fail (PD_IS_TERMINAL (terminal));

  g_set_object (&self->staff, pd_terminal_get_staff (terminal));
  pd_sign_in_page_set_staff (self->sign_in_page, self->staff);
  pd_payments_page_set_terminal (self->payments_page, terminal);
  pd_end_of_day_page_set_terminal (self->end_of_day_page, terminal);
  pd_devices_page_set_terminal (self->devices_page, terminal);
  pd_outbox_page_set_terminal (self->outbox_page, terminal);
}

const PdAssociate *
pd_counter_get_associate (PdCounter *self)
{
  g_return_val_if_fail (PD_IS_COUNTER (self), NULL);

  return self->associate;
}

void
pd_counter_set_lock_timeout (PdCounter *self,
                             guint      lock_ms)
{
  g_return_if_fail (PD_IS_COUNTER (self));

  pd_idle_watch_set_timeout (self->idle, lock_ms);
  if (self->associate != NULL)
    pd_idle_watch_restart (self->idle);
}
