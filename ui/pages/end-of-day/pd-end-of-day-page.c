#include <glib/gi18n.h>

#include "pd-end-of-day-page.h"
#include "pd-end-of-day.h"
#include "pd-page.h"

struct _PdEndOfDayPage {
  AdwBin parent_instance;

  PdTerminal *terminal;
  PdAssociate *associate;
  GCancellable *cancellable;
  gboolean busy;

  GtkGrid *totals_grid;
  GtkWidget *result_box;
  GtkLabel *status_label;
  GtkBox *explanations_box;
  GtkLabel *kept_label;
  GtkLabel *message_label;
  GtkSpinner *spinner;
};

G_DEFINE_FINAL_TYPE (PdEndOfDayPage, pd_end_of_day_page, ADW_TYPE_BIN)

static void
update_actions (PdEndOfDayPage *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "end-of-day.close",
                                 self->terminal != NULL && self->associate != NULL &&
                                 !self->busy);
  gtk_spinner_set_spinning (self->spinner, self->busy);
}

static GtkWidget *
cell (const char *text,
      gboolean    heading,
      gboolean    different)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, heading ? "report-heading" : "report-cell");
  if (different)
    gtk_widget_add_css_class (label, "report-difference");
  return label;
}

static char *
count_and_amount (guint   count,
                  PdCents amount)
{
  g_autofree char *money = pd_money_format (amount, NULL);

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u payment, %s", "%u payments, %s",
                                       count), count, money);
}

static void
show (PdEndOfDayPage *self,
      PdEndOfDay     *end_of_day)
{
  PdReport *report = end_of_day->report;
  g_autofree char *kept = NULL;
  guint differences = 0;

  pd_page_remove_children (GTK_WIDGET (self->totals_grid));
  pd_page_remove_children (GTK_WIDGET (self->explanations_box));
  gtk_grid_attach (self->totals_grid, cell (_("Tender and plan"), TRUE, FALSE), 0, 0, 1, 1);
  gtk_grid_attach (self->totals_grid, cell (_("This terminal"), TRUE, FALSE), 1, 0, 1, 1);
  gtk_grid_attach (self->totals_grid, cell (_("Payment core"), TRUE, FALSE), 2, 0, 1, 1);
  for (guint i = 0; i < report->rows->len; i++)
    {
      PdReportRow *row = &g_array_index (report->rows, PdReportRow, i);
      g_autofree char *what = g_strdup_printf ("%s · %s", pd_tender_get_name (row->tender),
                                               pd_line_of_business_get_name (
                                                 row->line_of_business));
      g_autofree char *here = count_and_amount (row->count, row->amount);
      g_autofree char *core = count_and_amount (row->core_count, row->core_amount);
      g_autofree char *why = pd_report_row_explain (row);
      gboolean different = why != NULL;

      gtk_grid_attach (self->totals_grid, cell (what, FALSE, different), 0, (int) i + 1, 1, 1);
      gtk_grid_attach (self->totals_grid, cell (here, FALSE, different), 1, (int) i + 1, 1, 1);
      gtk_grid_attach (self->totals_grid, cell (core, FALSE, different), 2, (int) i + 1, 1, 1);
      if (different)
        {
          g_autofree char *line = g_strdup_printf ("%s: %s", what, why);
          GtkWidget *label = cell (line, FALSE, TRUE);

          differences++;
          gtk_widget_set_name (label, "report_explanation");
          gtk_box_append (self->explanations_box, label);
        }
    }
  if (report->rows->len == 0)
    gtk_box_append (self->explanations_box,
                    cell (_("No payments on this business date, here or at the payment core."),
                          FALSE, FALSE));
  if (report->waiting_count > 0)
    {
      g_autofree char *waiting = count_and_amount (report->waiting_count,
                                                   report->waiting_amount);
      g_autofree char *line = g_strdup_printf (_("Waiting in the outbox, not at the payment "
                                                 "core yet: %s. Send them from the Outbox "
                                                 "page, then close the day again."), waiting);

      gtk_box_append (self->explanations_box, cell (line, FALSE, FALSE));
    }
  gtk_label_set_label (self->status_label,
                       differences == 0 ? _("This terminal and the payment core agree.")
                                        : g_dngettext (GETTEXT_PACKAGE,
                                                       "One difference with the payment core.",
                                                       "Differences with the payment core.",
                                                       differences));
  if (differences == 0)
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "report-difference");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "report-difference");
  if (end_of_day->printed)
    kept = g_strdup_printf (_("Printed on the receipt printer, and kept as %s."),
                            end_of_day->pdf_path);
  else
    kept = g_strdup_printf (_("Not printed (%s) but kept as %s."),
                            end_of_day->print_error->message, end_of_day->pdf_path);
  gtk_label_set_label (self->kept_label, kept);
  gtk_widget_set_visible (self->result_box, TRUE);
}

typedef struct {
  PdEndOfDayPage *page;
  PdTerminal *terminal;
  PdAssociate *associate;
} Work;

static void
work_free (Work *work)
{
  g_clear_object (&work->terminal);
  g_clear_pointer (&work->associate, pd_associate_free);
  g_free (work);
}

static void
close_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Work *work = task_data;
  GError *error = NULL;
  PdEndOfDay *end_of_day = pd_end_of_day_close (work->terminal, work->associate, NULL,
                                                cancellable, &error);

  if (end_of_day != NULL)
    g_task_return_pointer (task, end_of_day, (GDestroyNotify) pd_end_of_day_free);
  else
    g_task_return_error (task, error);
}

static void
closed (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  Work *work = user_data;
  PdEndOfDayPage *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdEndOfDay) end_of_day = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = work->page;
  self->busy = FALSE;
  update_actions (self);
  if (end_of_day == NULL)
    {
      pd_page_show_message (self->message_label, error->message);
      return;
    }
  show (self, end_of_day);
}

static void
close_day (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  PdEndOfDayPage *self = PD_END_OF_DAY_PAGE (widget);
  g_autoptr(GTask) task = NULL;
  Work *work;

  if (self->terminal == NULL || self->associate == NULL || self->busy)
    return;
  work = g_new0 (Work, 1);
  work->page = self;
  work->terminal = g_object_ref (self->terminal);
  work->associate = pd_associate_copy (self->associate);
  self->busy = TRUE;
  pd_page_show_message (self->message_label, NULL);
  update_actions (self);
  task = g_task_new (NULL, self->cancellable, closed, work);
  g_task_set_task_data (task, work, (GDestroyNotify) work_free);
  g_task_run_in_thread (task, close_thread);
}

static void
forget (PdEndOfDayPage *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->busy = FALSE;
  pd_page_remove_children (GTK_WIDGET (self->totals_grid));
  pd_page_remove_children (GTK_WIDGET (self->explanations_box));
  gtk_widget_set_visible (self->result_box, FALSE);
  pd_page_show_message (self->message_label, NULL);
  update_actions (self);
}

static void
pd_end_of_day_page_dispose (GObject *object)
{
  PdEndOfDayPage *self = PD_END_OF_DAY_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->terminal);
  g_clear_pointer (&self->associate, pd_associate_free);

  G_OBJECT_CLASS (pd_end_of_day_page_parent_class)->dispose (object);
}

static void
pd_end_of_day_page_class_init (PdEndOfDayPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_end_of_day_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/paydesk/Paydesk/pages/end-of-day/pd-end-of-day-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PdEndOfDayPage, totals_grid);
  gtk_widget_class_bind_template_child (widget_class, PdEndOfDayPage, result_box);
  gtk_widget_class_bind_template_child (widget_class, PdEndOfDayPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, PdEndOfDayPage, explanations_box);
  gtk_widget_class_bind_template_child (widget_class, PdEndOfDayPage, kept_label);
  gtk_widget_class_bind_template_child (widget_class, PdEndOfDayPage, message_label);
  gtk_widget_class_bind_template_child (widget_class, PdEndOfDayPage, spinner);
  gtk_widget_class_install_action (widget_class, "end-of-day.close", NULL, close_day);
}

static void
pd_end_of_day_page_init (PdEndOfDayPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  forget (self);
}

GtkWidget *
pd_end_of_day_page_new (void)
{
  return g_object_new (PD_TYPE_END_OF_DAY_PAGE, NULL);
}

void
pd_end_of_day_page_set_terminal (PdEndOfDayPage *self,
                                 PdTerminal     *terminal)
{
  g_return_if_fail (PD_IS_END_OF_DAY_PAGE (self));
  g_return_if_fail (PD_IS_TERMINAL (terminal));

  g_set_object (&self->terminal, terminal);
  update_actions (self);
}

void
pd_end_of_day_page_set_associate (PdEndOfDayPage    *self,
                                  const PdAssociate *associate)
{
  g_return_if_fail (PD_IS_END_OF_DAY_PAGE (self));

  forget (self);
  g_clear_pointer (&self->associate, pd_associate_free);
  if (associate != NULL)
    self->associate = pd_associate_copy (associate);
  update_actions (self);
}
