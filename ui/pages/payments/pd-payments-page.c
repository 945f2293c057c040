#include <glib/gi18n.h>
#include <sodium.h>

#include "pd-associate-work.h"
#include "pd-page.h"
#include "pd-payments-page.h"
#include "pd-pin-pad.h"
#include "pd-receipt-layout.h"
#include "pd-receipt-text.h"
#include "pd-receipt.h"

/* A receipt printer's width in characters: the preview reads as the paper would. */
#define PREVIEW_COLUMNS 42

struct _PdPaymentsPage {
  AdwBin parent_instance;

  PdTerminal *terminal;
  PdAssociate *associate;
  /* The work under way for the associate now; cancelled when they go. */
  GCancellable *cancellable;
  GPtrArray *payments;
  PdPayment *chosen;
  gboolean undoing;
  PdUndoKind undo_kind;
  int reason;
  char *supervisor_id;
  gboolean busy;

  GtkSearchEntry *search_entry;
  GtkListBox *list;
  GtkLabel *count_label;
  GtkStack *detail_stack;
  GtkLabel *title_label;
  GtkLabel *facts_label;
  GtkLabel *events_label;
  GtkLabel *receipt_label;
  GtkEntry *email_entry;
  GtkWidget *actions_box;
  GtkWidget *undo_box;
  GtkLabel *undo_title;
  GtkBox *reasons_box;
  GtkEntry *note_entry;
  GtkWidget *approval_box;
  GtkBox *supervisors_box;
  PdPinPad *pin_pad;
  GtkButton *confirm_button;
  GtkLabel *message_label;
  GtkSpinner *spinner;
};

G_DEFINE_FINAL_TYPE (PdPaymentsPage, pd_payments_page, ADW_TYPE_BIN)

static gboolean
needs_supervisor (PdPaymentsPage *self)
{
  return self->associate != NULL &&
         pd_role_may (self->associate->role, self->undo_kind == PD_UNDO_VOID
                                               ? PD_PERMISSION_VOID
                                               : PD_PERMISSION_REFUND) != PD_ALLOWED;
}

static void
update_actions (PdPaymentsPage *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean ready = self->associate != NULL && self->terminal != NULL && !self->busy;
  gboolean completed = self->chosen != NULL &&
                       pd_payment_get_state (self->chosen) == PD_PAYMENT_STATE_COMPLETED;
  gboolean has_receipt = self->chosen != NULL &&
                         (completed || pd_payment_get_state (self->chosen) ==
                                         PD_PAYMENT_STATE_QUEUED);

  gtk_widget_action_set_enabled (widget, "payments.reprint", ready && has_receipt);
  gtk_widget_action_set_enabled (widget, "payments.email", ready && has_receipt);
  gtk_widget_action_set_enabled (widget, "payments.start-void", ready && completed);
  gtk_widget_action_set_enabled (widget, "payments.start-refund", ready && completed);
  gtk_widget_action_set_enabled (widget, "payments.confirm-undo",
                                 ready && self->undoing && self->reason >= 0 &&
                                 (!needs_supervisor (self) ||
                                  (self->supervisor_id != NULL &&
                                   pd_pin_pad_get_length (self->pin_pad) >= PD_PIN_MIN_DIGITS)));
  gtk_spinner_set_spinning (self->spinner, self->busy);
}

/* A worker's answer for a page that is still there and still the same associate's. */
typedef struct {
  PdPaymentsPage *page;
  PdTerminal *terminal;
  PdAssociate *associate;
  char *payment_id;
  char *query;
  char *address;
  PdUndoKind kind;
  PdUndoReason reason;
  char *note;
  char *supervisor_id;
  char *supervisor_pin;
} Work;

static void
work_free (Work *work)
{
  g_clear_object (&work->terminal);
  g_clear_pointer (&work->associate, pd_associate_free);
  g_free (work->payment_id);
  g_free (work->query);
  g_free (work->address);
  g_free (work->note);
  g_free (work->supervisor_id);
  if (work->supervisor_pin != NULL)
    sodium_memzero (work->supervisor_pin, strlen (work->supervisor_pin));
  g_free (work->supervisor_pin);
  g_free (work);
}

static Work *
work_new (PdPaymentsPage *self)
{
  Work *work = g_new0 (Work, 1);

  work->page = self;
  work->terminal = g_object_ref (self->terminal);
  work->associate = self->associate != NULL ? pd_associate_copy (self->associate) : NULL;
  work->payment_id = self->chosen != NULL ? g_strdup (pd_payment_get_id (self->chosen)) : NULL;
  return work;
}

static void
run_work (PdPaymentsPage      *self,
          Work                *work,
          GTaskThreadFunc      thread,
          GAsyncReadyCallback  done)
{
  g_autoptr(GTask) task = g_task_new (NULL, self->cancellable, done, work);

  g_task_set_task_data (task, work, (GDestroyNotify) work_free);
  g_task_run_in_thread (task, thread);
}

/* What a cancelled task's callback must not touch: the page may be gone. */
static PdPaymentsPage *
page_of (GAsyncResult *result)
{
  if (g_task_had_error (G_TASK (result)) &&
      g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return NULL;
  return ((Work *) g_task_get_task_data (G_TASK (result)))->page;
}

static void show_details (PdPaymentsPage *self);

/* The day's payments */

static char *
describe_payment (PdPayment *payment)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (pd_payment_get_created_at (payment));
  g_autofree char *time = g_date_time_format (local, "%H:%M");
  g_autofree char *amount = pd_money_format (pd_payment_get_amount (payment), NULL);
  const char *last4 = pd_payment_get_tender_last4 (payment);

  /* TRANSLATORS: a payment in the day's list: time, reference, amount, tender, last 4
   * digits, state. */
  return g_strdup_printf (_("%s   %s   %s   %s %s   %s"), time,
                          pd_payment_get_client_ref (payment), amount,
                          pd_tender_get_name (pd_payment_get_tender (payment)),
                          last4 != NULL ? last4 : "", pd_payment_state_get_name (
                            pd_payment_get_state (payment)));
}

static void
remove_rows (GtkListBox *list)
{
  GtkWidget *row;

  while ((row = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, row);
}

static void
found_payments (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  PdPaymentsPage *self = page_of (result);
  g_autoptr(GError) error = NULL;
  GPtrArray *payments;
  GtkWidget *row;
  g_autofree char *count = NULL;

  if (self == NULL)
    return;
  payments = g_task_propagate_pointer (G_TASK (result), &error);
  if (payments == NULL)
    {
      pd_page_show_message (self->message_label, error->message);
      return;
    }
  g_clear_pointer (&self->payments, g_ptr_array_unref);
  self->payments = payments;
  remove_rows (self->list);
  for (guint i = 0; i < payments->len; i++)
    {
      PdPayment *payment = g_ptr_array_index (payments, i);
      g_autofree char *text = describe_payment (payment);
      GtkWidget *label = gtk_label_new (text);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_widget_add_css_class (label, "payment-row");
      row = gtk_list_box_row_new ();
      gtk_widget_set_name (row, pd_payment_get_id (payment));
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "payments.choose");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", pd_payment_get_id (payment));
      gtk_list_box_append (self->list, row);
    }
  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u payment", "%u payments",
                                        payments->len), payments->len);
  gtk_label_set_label (self->count_label, count);
  /* The chosen payment as it stands now (voided, refunded). */
  if (self->chosen != NULL)
    for (guint i = 0; i < payments->len; i++)
      if (g_str_equal (pd_payment_get_id (g_ptr_array_index (payments, i)),
                       pd_payment_get_id (self->chosen)))
        {
          g_set_object (&self->chosen, g_ptr_array_index (payments, i));
          show_details (self);
        }
}

static void
find_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Work *work = task_data;
  GError *error = NULL;
  GPtrArray *payments = pd_associate_work_find_payments (work->terminal, NULL, work->query,
                                                         &error);

  if (payments != NULL)
    g_task_return_pointer (task, payments, (GDestroyNotify) g_ptr_array_unref);
  else
    g_task_return_error (task, error);
}

void
pd_payments_page_refresh (PdPaymentsPage *self)
{
  Work *work;

  g_return_if_fail (PD_IS_PAYMENTS_PAGE (self));

  if (self->terminal == NULL || self->associate == NULL)
    return;
  work = work_new (self);
  work->query = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  run_work (self, work, find_thread, found_payments);
}

/* One payment: its events and its receipt */

typedef struct {
  char *facts;
  char *events;
  char *receipt;
} Details;

static void
details_free (Details *details)
{
  g_free (details->facts);
  g_free (details->events);
  g_free (details->receipt);
  g_free (details);
}

static void
details_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Work *work = task_data;
  PdJournal *journal = pd_terminal_get_journal (work->terminal);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(PdReceipt) receipt = NULL;
  g_autoptr(GString) lines = g_string_new (NULL);
  g_autofree char *name = NULL;
  Details *details = g_new0 (Details, 1);
  GError *error = NULL;

  name = pd_journal_get_fact (journal, work->payment_id, PD_PAYMENT_FACT_MEMBER_NAME, NULL);
  details->facts = g_strdup_printf (_("Member: %s"), name != NULL ? name : _("not known"));
  if (!(events = pd_journal_list_events (journal, work->payment_id, &error)))
    {
      details_free (details);
      g_task_return_error (task, error);
      return;
    }
  for (guint i = 0; i < events->len; i++)
    {
      PdJournalEvent *event = g_ptr_array_index (events, i);

      g_autoptr(GDateTime) at = g_date_time_new_from_iso8601 (event->recorded_at, NULL);
      g_autoptr(GDateTime) local = at != NULL ? g_date_time_to_local (at) : NULL;
      g_autofree char *time = local != NULL ? g_date_time_format (local, "%H:%M:%S")
                                            : g_strdup (event->recorded_at);

      g_string_append_printf (lines, "%s  %s%s%s\n", time,
                              pd_payment_state_get_name (event->state),
                              event->reason != NULL ? " · " : "",
                              event->reason != NULL ? event->reason : "");
    }
  details->events = g_string_free (g_steal_pointer (&lines), FALSE);
  /* A payment that never reached the core has no receipt: the events say why. */
  receipt = pd_receipt_new_from_journal (journal, pd_terminal_get_config (work->terminal),
                                         work->payment_id, NULL);
  if (receipt != NULL)
    {
      g_autoptr(PdReceiptLayout) layout = pd_receipt_layout_new (receipt, NULL);

      details->receipt = pd_receipt_render_text (layout, PREVIEW_COLUMNS);
    }
  g_task_return_pointer (task, details, (GDestroyNotify) details_free);
}

static void
got_details (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  PdPaymentsPage *self = page_of (result);
  Work *work = user_data;
  g_autoptr(GError) error = NULL;
  Details *details;

  if (self == NULL)
    return;
  details = g_task_propagate_pointer (G_TASK (result), &error);
  if (details == NULL)
    {
      pd_page_show_message (self->message_label, error->message);
      return;
    }
  /* Another payment was chosen meanwhile. */
  if (self->chosen != NULL && g_str_equal (work->payment_id, pd_payment_get_id (self->chosen)))
    {
      gtk_label_set_label (self->facts_label, details->facts);
      gtk_label_set_label (self->events_label, details->events);
      gtk_label_set_label (self->receipt_label, details->receipt != NULL
                                                ? details->receipt
                                                : _("No receipt: this payment did not go "
                                                    "through."));
    }
  details_free (details);
}

static void
show_details (PdPaymentsPage *self)
{
  g_autofree char *amount = NULL;
  g_autofree char *title = NULL;

  if (self->chosen == NULL)
    {
      gtk_stack_set_visible_child_name (self->detail_stack, "empty");
      update_actions (self);
      return;
    }
  amount = pd_money_format (pd_payment_get_amount (self->chosen), NULL);
  title = g_strdup_printf (_("%s · %s · %s"), pd_payment_get_client_ref (self->chosen), amount,
                           pd_payment_state_get_name (pd_payment_get_state (self->chosen)));
  gtk_label_set_label (self->title_label, title);
  gtk_stack_set_visible_child_name (self->detail_stack, "detail");
  run_work (self, work_new (self), details_thread, got_details);
  update_actions (self);
}

static void
stop_undo (PdPaymentsPage *self)
{
  self->undoing = FALSE;
  self->reason = -1;
  g_clear_pointer (&self->supervisor_id, g_free);
  pd_pin_pad_clear (self->pin_pad);
  gtk_editable_set_text (GTK_EDITABLE (self->note_entry), "");
  gtk_widget_set_visible (self->undo_box, FALSE);
  gtk_widget_set_visible (self->actions_box, TRUE);
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->reasons_box));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    gtk_widget_remove_css_class (child, "chosen");
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->supervisors_box));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    gtk_widget_remove_css_class (child, "chosen");
  update_actions (self);
}

static void
choose (GtkWidget  *widget,
        const char *action_name,
        GVariant   *parameter)
{
  PdPaymentsPage *self = PD_PAYMENTS_PAGE (widget);
  const char *id = g_variant_get_string (parameter, NULL);

  stop_undo (self);
  pd_page_show_message (self->message_label, NULL);
  g_clear_object (&self->chosen);
  for (guint i = 0; self->payments != NULL && i < self->payments->len; i++)
    if (g_str_equal (pd_payment_get_id (g_ptr_array_index (self->payments, i)), id))
      self->chosen = g_object_ref (g_ptr_array_index (self->payments, i));
  show_details (self);
}

static void
search (GtkWidget  *widget,
        const char *action_name,
        GVariant   *parameter)
{
  pd_payments_page_refresh (PD_PAYMENTS_PAGE (widget));
}

/* Printing and emailing again */

static void
work_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  PdPaymentsPage *self = page_of (result);
  g_autoptr(GError) error = NULL;
  const char *done_message;

  if (self == NULL)
    return;
  self->busy = FALSE;
  done_message = g_object_get_data (G_OBJECT (result), "done-message");
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    pd_page_show_message (self->message_label, error->message);
  else
    pd_page_show_message (self->message_label, done_message);
  update_actions (self);
}

static void
reprint_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Work *work = task_data;
  GError *error = NULL;

  if (pd_associate_work_reprint (work->terminal, work->associate, work->payment_id,
                                 cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
email_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Work *work = task_data;
  GError *error = NULL;

  if (pd_associate_work_email_again (work->terminal, work->associate, work->payment_id,
                                     work->address, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
run_simple_work (PdPaymentsPage  *self,
                 Work            *work,
                 GTaskThreadFunc  thread,
                 const char      *done_message)
{
  g_autoptr(GTask) task = g_task_new (NULL, self->cancellable, work_done, work);

  self->busy = TRUE;
  pd_page_show_message (self->message_label, NULL);
  update_actions (self);
  g_object_set_data_full (G_OBJECT (task), "done-message", g_strdup (done_message), g_free);
  g_task_set_task_data (task, work, (GDestroyNotify) work_free);
  g_task_run_in_thread (task, thread);
}

static void
reprint (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  PdPaymentsPage *self = PD_PAYMENTS_PAGE (widget);

  run_simple_work (self, work_new (self), reprint_thread,
                   _("The receipt is printed again, marked DUPLICATE."));
}

static void
email (GtkWidget  *widget,
       const char *action_name,
       GVariant   *parameter)
{
  PdPaymentsPage *self = PD_PAYMENTS_PAGE (widget);
  Work *work = work_new (self);

  work->address = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->email_entry)));
  run_simple_work (self, work, email_thread,
                   _("The receipt is on its way to the mail server."));
}

/* Voids and refunds */

static void
show_chosen_buttons (GtkBox     *box,
                     const char *chosen_name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (box)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      gboolean chosen = g_strcmp0 (gtk_widget_get_name (child), chosen_name) == 0;

      if (chosen)
        gtk_widget_add_css_class (child, "chosen");
      else
        gtk_widget_remove_css_class (child, "chosen");
      gtk_accessible_update_state (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_STATE_PRESSED,
                                   chosen ? GTK_ACCESSIBLE_TRISTATE_TRUE
                                          : GTK_ACCESSIBLE_TRISTATE_FALSE, -1);
    }
}

static void
start_undo (PdPaymentsPage *self,
            PdUndoKind      kind)
{
  g_autofree char *amount = pd_money_format (pd_payment_get_amount (self->chosen), NULL);
  g_autofree char *title = NULL;

  stop_undo (self);
  self->undoing = TRUE;
  self->undo_kind = kind;
  title = g_strdup_printf (kind == PD_UNDO_VOID ? _("Void payment %s of %s? Why?")
                                                : _("Refund payment %s of %s? Why?"),
                           pd_payment_get_client_ref (self->chosen), amount);
  gtk_label_set_label (self->undo_title, title);
  gtk_button_set_label (self->confirm_button, kind == PD_UNDO_VOID ? _("Void the payment")
                                                                 : _("Refund the payment"));
  gtk_widget_set_visible (self->approval_box, needs_supervisor (self));
  gtk_widget_set_visible (self->actions_box, FALSE);
  gtk_widget_set_visible (self->undo_box, TRUE);
  pd_page_show_message (self->message_label, NULL);
  update_actions (self);
}

static void
start_void (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  start_undo (PD_PAYMENTS_PAGE (widget), PD_UNDO_VOID);
}

static void
start_refund (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  start_undo (PD_PAYMENTS_PAGE (widget), PD_UNDO_REFUND);
}

static void
choose_reason (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PdPaymentsPage *self = PD_PAYMENTS_PAGE (widget);
  PdUndoReason reason;

  if (!pd_undo_reason_from_id (g_variant_get_string (parameter, NULL), &reason))
    return;
  self->reason = (int) reason;
  show_chosen_buttons (self->reasons_box, pd_undo_reason_to_id (reason));
  update_actions (self);
}

static void
choose_supervisor (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  PdPaymentsPage *self = PD_PAYMENTS_PAGE (widget);

  g_free (self->supervisor_id);
  self->supervisor_id = g_variant_dup_string (parameter, NULL);
  pd_pin_pad_clear (self->pin_pad);
  show_chosen_buttons (self->supervisors_box, self->supervisor_id);
  update_actions (self);
}

static void
cancel_undo (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  stop_undo (PD_PAYMENTS_PAGE (widget));
}

static void
undo_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Work *work = task_data;
  GError *error = NULL;
  PdPayment *payment = pd_associate_work_undo (work->terminal, work->associate,
                                               work->payment_id, work->kind, work->reason,
                                               work->note, work->supervisor_id,
                                               work->supervisor_pin, cancellable, &error);

  if (payment != NULL)
    g_task_return_pointer (task, payment, g_object_unref);
  else
    g_task_return_error (task, error);
}

static void
undone (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  PdPaymentsPage *self = page_of (result);
  Work *work = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPayment) payment = NULL;
  g_autofree char *message = NULL;

  if (self == NULL)
    return;
  self->busy = FALSE;
  payment = g_task_propagate_pointer (G_TASK (result), &error);
  if (payment == NULL)
    {
      pd_page_show_message (self->message_label, error->message);
      update_actions (self);
      return;
    }
  message = g_strdup_printf (work->kind == PD_UNDO_VOID ? _("Payment %s is voided.")
                                                        : _("Payment %s is refunded."),
                             pd_payment_get_client_ref (payment));
  stop_undo (self);
  g_set_object (&self->chosen, payment);
  show_details (self);
  pd_page_show_message (self->message_label, message);
  pd_payments_page_refresh (self);
}

static void
confirm_undo (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  PdPaymentsPage *self = PD_PAYMENTS_PAGE (widget);
  Work *work;
  g_autoptr(GTask) task = NULL;

  if (self->chosen == NULL || self->reason < 0)
    return;
  work = work_new (self);
  work->kind = self->undo_kind;
  work->reason = (PdUndoReason) self->reason;
  work->note = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->note_entry)));
  if (needs_supervisor (self))
    {
      work->supervisor_id = g_strdup (self->supervisor_id);
      work->supervisor_pin = g_strdup (pd_pin_pad_get_pin (self->pin_pad));
    }
  /* The worker has its copy: the pad forgets the digits at once. */
  pd_pin_pad_clear (self->pin_pad);
  self->busy = TRUE;
  pd_page_show_message (self->message_label, NULL);
  update_actions (self);
  task = g_task_new (NULL, self->cancellable, undone, work);
  g_task_set_task_data (task, work, (GDestroyNotify) work_free);
  g_task_run_in_thread (task, undo_thread);
}

/* The supervisors an associate may ask, read when the associate arrives. */
static void
supervisors_read (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  PdPaymentsPage *self = page_of (result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) associates = NULL;
  GtkWidget *child;

  if (self == NULL)
    return;
  associates = g_task_propagate_pointer (G_TASK (result), &error);
  if (associates == NULL)
    {
      pd_page_show_message (self->message_label, error->message);
      return;
    }
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->supervisors_box))) != NULL)
    gtk_box_remove (self->supervisors_box, child);
  for (guint i = 0; i < associates->len; i++)
    {
      PdAssociate *supervisor = g_ptr_array_index (associates, i);
      GtkWidget *button;

      if (supervisor->role != PD_ROLE_SUPERVISOR || !supervisor->enabled)
        continue;
      button = gtk_button_new_with_label (supervisor->display_name);
      gtk_widget_set_name (button, supervisor->id);
      gtk_widget_add_css_class (button, "associate-button");
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "payments.supervisor");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", supervisor->id);
      gtk_box_append (self->supervisors_box, button);
    }
}

static void
supervisors_thread (GTask        *task,
                    gpointer      source,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  Work *work = task_data;
  GError *error = NULL;
  GPtrArray *associates = pd_staff_list_associates (pd_terminal_get_staff (work->terminal),
                                                    &error);

  if (associates != NULL)
    g_task_return_pointer (task, associates, (GDestroyNotify) g_ptr_array_unref);
  else
    g_task_return_error (task, error);
}

static void
forget (PdPaymentsPage *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->busy = FALSE;
  stop_undo (self);
  pd_page_show_message (self->message_label, NULL);
  g_clear_object (&self->chosen);
  g_clear_pointer (&self->payments, g_ptr_array_unref);
  remove_rows (self->list);
  gtk_label_set_label (self->count_label, "");
  gtk_label_set_label (self->events_label, "");
  gtk_label_set_label (self->receipt_label, "");
  gtk_label_set_label (self->facts_label, "");
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->email_entry), "");
  show_details (self);
}

static void
pd_payments_page_dispose (GObject *object)
{
  PdPaymentsPage *self = PD_PAYMENTS_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->terminal);
  g_clear_object (&self->chosen);
  g_clear_pointer (&self->payments, g_ptr_array_unref);
  g_clear_pointer (&self->associate, pd_associate_free);
  g_clear_pointer (&self->supervisor_id, g_free);

  G_OBJECT_CLASS (pd_payments_page_parent_class)->dispose (object);
}

static void
pd_payments_page_class_init (PdPaymentsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_payments_page_dispose;

  g_type_ensure (PD_TYPE_PIN_PAD);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/paydesk/Paydesk/pages/payments/pd-payments-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PdPaymentsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PdPaymentsPage, list);
  gtk_widget_class_bind_template_child (widget_class, PdPaymentsPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, PdPaymentsPage, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, PdPaymentsPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, PdPaymentsPage, facts_label);
  gtk_widget_class_bind_template_child (widget_class, PdPaymentsPage, events_label);
  gtk_widget_class_bind_template_child (widget_class, PdPaymentsPage, receipt_label);
  gtk_widget_class_bind_template_child (widget_class, PdPaymentsPage, email_entry);
  gtk_widget_class_bind_template_child (widget_class, PdPaymentsPage, actions_box);
  gtk_widget_class_bind_template_child (widget_class, PdPaymentsPage, undo_box);
  gtk_widget_class_bind_template_child (widget_class, PdPaymentsPage, undo_title);
  gtk_widget_class_bind_template_child (widget_class, PdPaymentsPage, reasons_box);
  gtk_widget_class_bind_template_child (widget_class, PdPaymentsPage, note_entry);
  gtk_widget_class_bind_template_child (widget_class, PdPaymentsPage, approval_box);
  gtk_widget_class_bind_template_child (widget_class, PdPaymentsPage, supervisors_box);
  gtk_widget_class_bind_template_child (widget_class, PdPaymentsPage, pin_pad);
  gtk_widget_class_bind_template_child (widget_class, PdPaymentsPage, confirm_button);
  gtk_widget_class_bind_template_child (widget_class, PdPaymentsPage, message_label);
  gtk_widget_class_bind_template_child (widget_class, PdPaymentsPage, spinner);
  gtk_widget_class_install_action (widget_class, "payments.search", NULL, search);
  gtk_widget_class_install_action (widget_class, "payments.choose", "s", choose);
  gtk_widget_class_install_action (widget_class, "payments.reprint", NULL, reprint);
  gtk_widget_class_install_action (widget_class, "payments.email", NULL, email);
  gtk_widget_class_install_action (widget_class, "payments.start-void", NULL, start_void);
  gtk_widget_class_install_action (widget_class, "payments.start-refund", NULL, start_refund);
  gtk_widget_class_install_action (widget_class, "payments.reason", "s", choose_reason);
  gtk_widget_class_install_action (widget_class, "payments.supervisor", "s",
                                   choose_supervisor);
  gtk_widget_class_install_action (widget_class, "payments.confirm-undo", NULL, confirm_undo);
  gtk_widget_class_install_action (widget_class, "payments.cancel-undo", NULL, cancel_undo);
}

static void
pd_payments_page_init (PdPaymentsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->reason = -1;
  for (guint i = 0; i < PD_N_UNDO_REASONS; i++)
    {
      GtkWidget *button = gtk_button_new_with_label (pd_undo_reason_get_name (i));

      gtk_widget_set_name (button, pd_undo_reason_to_id (i));
      gtk_widget_add_css_class (button, "reason-button");
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "payments.reason");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", pd_undo_reason_to_id (i));
      gtk_box_append (self->reasons_box, button);
    }
  g_signal_connect_swapped (self->pin_pad, "changed", G_CALLBACK (update_actions), self);
  g_signal_connect_swapped (self->search_entry, "search-changed",
                            G_CALLBACK (pd_payments_page_refresh), self);
  stop_undo (self);
  pd_page_show_message (self->message_label, NULL);
  show_details (self);
}

GtkWidget *
pd_payments_page_new (void)
{
  return g_object_new (PD_TYPE_PAYMENTS_PAGE, NULL);
}

void
pd_payments_page_set_terminal (PdPaymentsPage *self,
                               PdTerminal     *terminal)
{
  g_return_if_fail (PD_IS_PAYMENTS_PAGE (self));
  g_return_if_fail (PD_IS_TERMINAL (terminal));

  g_set_object (&self->terminal, terminal);
  pd_payments_page_refresh (self);
}

void
pd_payments_page_set_associate (PdPaymentsPage    *self,
                                const PdAssociate *associate)
{
  g_return_if_fail (PD_IS_PAYMENTS_PAGE (self));

  forget (self);
  g_clear_pointer (&self->associate, pd_associate_free);
  if (associate == NULL)
    return;
  self->associate = pd_associate_copy (associate);
  if (self->terminal != NULL && associate->role != PD_ROLE_SUPERVISOR)
    run_work (self, work_new (self), supervisors_thread, supervisors_read);
  pd_payments_page_refresh (self);
}
