#include <glib/gi18n.h>

#include "pd-associate-work.h"
#include "pd-outbox-page.h"
#include "pd-page.h"

struct _PdOutboxPage {
  AdwBin parent_instance;

  PdTerminal *terminal;
  PdAssociate *associate;
  GCancellable *cancellable;
  gboolean busy;

  GtkLabel *summary_label;
  GtkLabel *caps_label;
  GtkListBox *list;
  GtkLabel *message_label;
  GtkSpinner *spinner;
};

G_DEFINE_FINAL_TYPE (PdOutboxPage, pd_outbox_page, ADW_TYPE_BIN)

static void
update_actions (PdOutboxPage *self)
{
  gboolean ready = self->terminal != NULL && self->associate != NULL && !self->busy;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "outbox.send", ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "outbox.refresh", ready);
  gtk_spinner_set_spinning (self->spinner, self->busy);
}

static char *
describe_age (GDateTime *created_at)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  gint64 minutes = MAX (0, g_date_time_difference (now, created_at) / G_TIME_SPAN_MINUTE);

  if (minutes < 1)
    return g_strdup (_("less than a minute"));
  if (minutes < 60)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute", "%d minutes",
                                         (gulong) minutes), (int) minutes);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour", "%d hours",
                                       (gulong) (minutes / 60)), (int) (minutes / 60));
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *row;

  while ((row = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, row);
}

static void
show_entries (PdOutboxPage *self,
              GPtrArray    *entries)
{
  PdConfig *config = pd_terminal_get_config (self->terminal);
  PdCents total = 0;
  g_autofree char *total_text = NULL;
  g_autofree char *max_total = pd_money_format (pd_config_get_outbox_max_total (config), NULL);
  g_autofree char *max_payment = pd_money_format (pd_config_get_outbox_max_payment (config),
                                                  NULL);
  g_autofree char *summary = NULL;
  g_autofree char *caps = NULL;

  clear_list (self->list);
  for (guint i = 0; i < entries->len; i++)
    {
      PdOutboxEntry *entry = g_ptr_array_index (entries, i);
      PdPayment *payment = entry->payment;
      g_autofree char *amount = pd_money_format (pd_payment_get_amount (payment), NULL);
      g_autofree char *age = describe_age (pd_payment_get_created_at (payment));
      g_autofree char *text = NULL;
      GtkWidget *label;

      total += pd_payment_get_amount (payment);
      /* TRANSLATORS: a payment waiting in the outbox: reference, amount, tender, how long it
       * has waited, and why it could not go. */
      text = g_strdup_printf (_("%s   %s   %s   waiting %s\n%s"),
                              pd_payment_get_client_ref (payment), amount,
                              pd_tender_get_name (pd_payment_get_tender (payment)), age,
                              entry->last_error != NULL ? entry->last_error
                                                        : _("Not tried since it was taken."));
      label = gtk_label_new (text);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_widget_add_css_class (label, "payment-row");
      gtk_widget_set_name (label, pd_payment_get_id (payment));
      gtk_list_box_append (self->list, label);
    }
  total_text = pd_money_format (total, NULL);
  summary = entries->len == 0
            ? g_strdup (_("Nothing waits: every payment reached the payment core."))
            : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "%u payment waits for the payment core: %s.",
                                            "%u payments wait for the payment core: %s.",
                                            entries->len), entries->len, total_text);
  gtk_label_set_label (self->summary_label, summary);
  caps = g_strdup_printf (_("While the core is down this terminal holds up to %s in all, %s a "
                            "payment, for %u hours; over that, checks and bank payments are "
                            "refused until the outbox is sent."), max_total, max_payment,
                          pd_config_get_outbox_max_age_hours (config));
  gtk_label_set_label (self->caps_label, caps);
  if (total > pd_config_get_outbox_max_total (config) * 3 / 4)
    gtk_widget_add_css_class (GTK_WIDGET (self->summary_label), "report-difference");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->summary_label), "report-difference");
}

typedef struct {
  PdOutboxPage *page;
  PdTerminal *terminal;
  PdAssociate *associate;
  guint sent;
} Work;

static void
work_free (Work *work)
{
  g_clear_object (&work->terminal);
  g_clear_pointer (&work->associate, pd_associate_free);
  g_free (work);
}

static Work *
work_new (PdOutboxPage *self)
{
  Work *work = g_new0 (Work, 1);

  work->page = self;
  work->terminal = g_object_ref (self->terminal);
  work->associate = pd_associate_copy (self->associate);
  return work;
}

static void
list_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Work *work = task_data;
  GError *error = NULL;
  GPtrArray *entries = pd_associate_work_list_outbox (work->terminal, &error);

  if (entries != NULL)
    g_task_return_pointer (task, entries, (GDestroyNotify) g_ptr_array_unref);
  else
    g_task_return_error (task, error);
}

static void
listed (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  Work *work = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (entries == NULL)
    pd_page_show_message (work->page->message_label, error->message);
  else
    show_entries (work->page, entries);
}

void
pd_outbox_page_refresh (PdOutboxPage *self)
{
  g_autoptr(GTask) task = NULL;
  Work *work;

  g_return_if_fail (PD_IS_OUTBOX_PAGE (self));

  if (self->terminal == NULL || self->associate == NULL)
    return;
  work = work_new (self);
  task = g_task_new (NULL, self->cancellable, listed, work);
  g_task_set_task_data (task, work, (GDestroyNotify) work_free);
  g_task_run_in_thread (task, list_thread);
}

static void
send_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Work *work = task_data;
  GError *error = NULL;

  work->sent = pd_associate_work_send_outbox (work->terminal, work->associate, cancellable,
                                              &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
sent (GObject      *source,
      GAsyncResult *result,
      gpointer      user_data)
{
  Work *work = user_data;
  PdOutboxPage *self;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = work->page;
  self->busy = FALSE;
  update_actions (self);
  if (error != NULL)
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "%u payment went; the others still wait: %s",
                                            "%u payments went; the others still wait: %s",
                                            work->sent), work->sent, error->message);
  else
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u payment went to the payment "
                                            "core.", "%u payments went to the payment core.",
                                            work->sent), work->sent);
  pd_page_show_message (self->message_label, message);
  pd_outbox_page_refresh (self);
}

static void
send_now (GtkWidget  *widget,
          const char *action_name,
          GVariant   *parameter)
{
  PdOutboxPage *self = PD_OUTBOX_PAGE (widget);
  g_autoptr(GTask) task = NULL;
  Work *work;

  if (self->terminal == NULL || self->associate == NULL || self->busy)
    return;
  work = work_new (self);
  self->busy = TRUE;
  pd_page_show_message (self->message_label, NULL);
  update_actions (self);
  task = g_task_new (NULL, self->cancellable, sent, work);
  g_task_set_task_data (task, work, (GDestroyNotify) work_free);
  g_task_run_in_thread (task, send_thread);
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  pd_outbox_page_refresh (PD_OUTBOX_PAGE (widget));
}

static void
pd_outbox_page_dispose (GObject *object)
{
  PdOutboxPage *self = PD_OUTBOX_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->terminal);
  g_clear_pointer (&self->associate, pd_associate_free);

  G_OBJECT_CLASS (pd_outbox_page_parent_class)->dispose (object);
}

static void
pd_outbox_page_class_init (PdOutboxPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_outbox_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/paydesk/Paydesk/pages/outbox/pd-outbox-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PdOutboxPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, PdOutboxPage, caps_label);
  gtk_widget_class_bind_template_child (widget_class, PdOutboxPage, list);
  gtk_widget_class_bind_template_child (widget_class, PdOutboxPage, message_label);
  gtk_widget_class_bind_template_child (widget_class, PdOutboxPage, spinner);
  gtk_widget_class_install_action (widget_class, "outbox.send", NULL, send_now);
  gtk_widget_class_install_action (widget_class, "outbox.refresh", NULL, refresh_action);
}

static void
pd_outbox_page_init (PdOutboxPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  pd_page_show_message (self->message_label, NULL);
  update_actions (self);
}

GtkWidget *
pd_outbox_page_new (void)
{
  return g_object_new (PD_TYPE_OUTBOX_PAGE, NULL);
}

void
pd_outbox_page_set_terminal (PdOutboxPage *self,
                             PdTerminal   *terminal)
{
  g_return_if_fail (PD_IS_OUTBOX_PAGE (self));
  g_return_if_fail (PD_IS_TERMINAL (terminal));

  g_set_object (&self->terminal, terminal);
  update_actions (self);
  pd_outbox_page_refresh (self);
}

void
pd_outbox_page_set_associate (PdOutboxPage      *self,
                              const PdAssociate *associate)
{
  g_return_if_fail (PD_IS_OUTBOX_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->busy = FALSE;
  g_clear_pointer (&self->associate, pd_associate_free);
  if (associate != NULL)
    self->associate = pd_associate_copy (associate);
  clear_list (self->list);
  gtk_label_set_label (self->summary_label, "");
  pd_page_show_message (self->message_label, NULL);
  update_actions (self);
  pd_outbox_page_refresh (self);
}
