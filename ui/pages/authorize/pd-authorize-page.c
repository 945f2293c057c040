#include <glib/gi18n.h>

#include "pd-authorize-page.h"
#include "pd-receipt-authorization.h"
#include "pd-signature-pad.h"

struct _PdAuthorizePage {
  PdPage parent_instance;

  /* At a counter: the member may sign the printed receipt with a pen instead. */
  GtkCheckButton *paper_check;

  GtkLabel *summary_label;
  GtkLabel *authorization_label;
  AdwBin *pad_slot;
  GtkLabel *message_label;
  GtkSpinner *spinner;
  PdSignaturePad *pad;
};

G_DEFINE_FINAL_TYPE (PdAuthorizePage, pd_authorize_page, PD_TYPE_PAGE)

/* What the worker needs, its own copies: the window may be closed before it answers. */
typedef struct {
  PdPaymentService *service;
  PdVisitCharge *charge;
  PdBankAccount *bank_account;
  PdSignature *signature;
  PdPayment *payment;
  GError *signature_error;
} PayData;

static void
pay_data_free (PayData *data)
{
  g_clear_object (&data->service);
  g_clear_pointer (&data->charge, pd_visit_charge_free);
  g_clear_pointer (&data->bank_account, pd_bank_account_free);
  g_clear_object (&data->signature);
  g_clear_object (&data->payment);
  g_clear_error (&data->signature_error);
  g_free (data);
}

static gboolean
signs_on_paper (PdAuthorizePage *self)
{
  return self->paper_check != NULL && gtk_check_button_get_active (self->paper_check);
}

static void
on_signed_changed (PdAuthorizePage *self)
{
  /* "I authorize this payment" only once there is a signature, on the screen or (at a
   * counter) to come on the printed receipt. */
  pd_page_set_complete (PD_PAGE (self),
                        signs_on_paper (self) || pd_signature_pad_is_signed (self->pad));
  if (pd_signature_pad_is_signed (self->pad) || signs_on_paper (self))
    pd_page_show_message (self->message_label, NULL);
}

static void
on_paper_toggled (PdAuthorizePage *self)
{
  if (signs_on_paper (self))
    pd_signature_pad_clear (self->pad);
  gtk_widget_set_sensitive (GTK_WIDGET (self->pad), !signs_on_paper (self));
  on_signed_changed (self);
}

static void
clear_pad (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  pd_signature_pad_clear (PD_AUTHORIZE_PAGE (widget)->pad);
}

/* The payment, then the signature beside it in the journal: both are file and network
 * work, so both on a worker. */
static void
pay_in_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  PayData *data = task_data;
  PdPaymentParties parties = pd_visit_charge_get_parties (data->charge);
  GError *error = NULL;

  data->payment = pd_payment_service_pay_bank (data->service, data->charge->account,
                                               data->charge->invoice, data->charge->amount,
                                               data->bank_account, &parties,
                                               NULL, &error);
  if (data->payment == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* Signed on paper: the receipt prints the line to sign, and nothing is recorded here. */
  if (data->signature != NULL)
    pd_journal_record_signature (pd_payment_service_get_journal (data->service),
                                 pd_payment_get_id (data->payment), data->signature,
                                 &data->signature_error);
  g_task_return_boolean (task, TRUE);
}

static void
paid (GObject      *source,
      GAsyncResult *result,
      gpointer      user_data)
{
  g_autoptr(GTask) outer = user_data;
  PdAuthorizePage *self = g_task_get_source_object (outer);
  PayData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  gtk_spinner_stop (self->spinner);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (pd_page_take_outcome_unknown (PD_PAGE (self), error, self->message_label))
        {
          /* Not "I authorize" again either. */
          pd_page_set_complete (PD_PAGE (self), FALSE);
          gtk_widget_set_sensitive (GTK_WIDGET (self->pad), FALSE);
          g_task_return_boolean (outer, FALSE);
          return;
        }
      /* Nothing was taken: the member may try again, or choose another way. */
      pd_page_show_message (self->message_label, error->message);
      g_task_return_boolean (outer, FALSE);
      return;
    }
  if (data->signature_error != NULL)
    g_warning ("payment %s: the member's signature was not recorded: %s",
               pd_payment_get_client_ref (data->payment), data->signature_error->message);

  pd_page_show_message (self->message_label, NULL);
  pd_visit_set_payment (pd_page_get_visit (PD_PAGE (self)), data->payment);
  g_task_return_boolean (outer, TRUE);
}

static void
pd_authorize_page_apply_async (PdPage              *page,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  PdAuthorizePage *self = PD_AUTHORIZE_PAGE (page);
  g_autoptr(GTask) outer = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GTask) task = NULL;
  PdVisit *visit = pd_page_get_visit (page);
  PdTerminal *terminal = pd_page_get_terminal (page);
  g_autoptr(GError) error = NULL;
  PayData *data;

  /* Once taken, a payment is never taken again from this page: the member goes on. */
  g_task_set_check_cancellable (outer, FALSE);
  if (pd_visit_get_payment (visit) != NULL || pd_visit_get_outcome_unknown (visit))
    {
      pd_page_show_message (self->message_label, _("This payment was already taken."));
      g_task_return_boolean (outer, FALSE);
      return;
    }

  data = g_new0 (PayData, 1);
  if (!signs_on_paper (self))
    data->signature = pd_signature_pad_dup_signature (self->pad, &error);
  if ((data->signature == NULL && !signs_on_paper (self)) || terminal == NULL ||
      pd_visit_get_bank_account (visit) == NULL || pd_visit_get_account (visit) == NULL)
    {
      pd_page_show_message (self->message_label, error != NULL ? error->message
                               : _("This kiosk cannot take the payment right now."));
      pay_data_free (data);
      g_task_return_boolean (outer, FALSE);
      return;
    }

  data->service = g_object_ref (pd_terminal_get_payment_service (terminal));
  data->charge = pd_visit_dup_charge (visit);
  /* The worker's own: the visit (and the window) may be gone before it answers. */
  data->bank_account = pd_bank_account_copy (pd_visit_get_bank_account (visit));
  if (data->signature != NULL)
    pd_visit_set_signature (visit, data->signature);

  pd_page_show_message (self->message_label, _("Sending your payment… Please wait."));
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), TRUE);
  gtk_spinner_start (self->spinner);
  /* Once sent, a payment is not cancelled by leaving the page: its outcome is journaled. */
  task = g_task_new (self, NULL, paid, g_steal_pointer (&outer));
  g_task_set_task_data (task, data, (GDestroyNotify) pay_data_free);
  g_task_run_in_thread (task, pay_in_thread);
}

static gboolean
pd_authorize_page_apply_finish (PdPage       *page,
                                GAsyncResult *result)
{
  return g_task_propagate_boolean (G_TASK (result), NULL);
}

static void
pd_authorize_page_shown (PdPage *page)
{
  PdAuthorizePage *self = PD_AUTHORIZE_PAGE (page);
  PdVisit *visit = pd_page_get_visit (page);
  PdBankAccount *bank_account = pd_visit_get_bank_account (visit);
  PdAccount *account = pd_visit_get_account (visit);
  g_autofree char *amount = NULL;
  g_autofree char *summary = NULL;

  if (bank_account == NULL || account == NULL)
    return;

  amount = pd_money_format (pd_visit_get_amount (visit), NULL);
  summary = g_strdup_printf (
    pd_bank_account_get_account_type (bank_account) == PD_BANK_ACCOUNT_SAVINGS
    ? _("%s from your savings account ending in %s, for your %s account.")
    : _("%s from your checking account ending in %s, for your %s account."),
    amount, pd_bank_account_get_last4 (bank_account),
    pd_line_of_business_get_name (pd_account_get_line_of_business (account)));
  gtk_label_set_label (self->summary_label, summary);
  gtk_label_set_label (self->authorization_label,
                       _(pd_receipt_authorization_text (PD_BANK_AUTHORIZATION_VERSION)));
  pd_signature_pad_clear (self->pad);
  pd_page_show_message (self->message_label, NULL);
}

/* The signature and the account's last digits go with the visit. */
static void
pd_authorize_page_forget (PdPage *page)
{
  PdAuthorizePage *self = PD_AUTHORIZE_PAGE (page);

  pd_signature_pad_clear (self->pad);
  gtk_widget_set_sensitive (GTK_WIDGET (self->pad), TRUE);
  if (self->paper_check != NULL)
    gtk_check_button_set_active (self->paper_check, FALSE);
  gtk_label_set_label (self->summary_label, "");
  pd_page_show_message (self->message_label, NULL);
}

static void
pd_authorize_page_class_init (PdAuthorizePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  PdPageClass *page_class = PD_PAGE_CLASS (klass);

  page_class->apply_async = pd_authorize_page_apply_async;
  page_class->apply_finish = pd_authorize_page_apply_finish;
  page_class->shown = pd_authorize_page_shown;
  page_class->forget = pd_authorize_page_forget;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/paydesk/Paydesk/pages/authorize/pd-authorize-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PdAuthorizePage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, PdAuthorizePage, authorization_label);
  gtk_widget_class_bind_template_child (widget_class, PdAuthorizePage, pad_slot);
  gtk_widget_class_bind_template_child (widget_class, PdAuthorizePage, message_label);
  gtk_widget_class_bind_template_child (widget_class, PdAuthorizePage, spinner);
  gtk_widget_class_install_action (widget_class, "authorize.clear", NULL, clear_pad);
}

static void
pd_authorize_page_init (PdAuthorizePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  pd_page_set_commits (PD_PAGE (self), TRUE);
  self->pad = PD_SIGNATURE_PAD (pd_signature_pad_new ());
  adw_bin_set_child (self->pad_slot, GTK_WIDGET (self->pad));
  g_signal_connect_swapped (self->pad, "signed-changed", G_CALLBACK (on_signed_changed), self);
}

PdPage *
pd_authorize_page_new (void)
{
  return g_object_new (PD_TYPE_AUTHORIZE_PAGE, NULL);
}

PdPage *
pd_authorize_page_new_for_counter (void)
{
  PdAuthorizePage *self = g_object_new (PD_TYPE_AUTHORIZE_PAGE, NULL);
  GtkWidget *row;

  self->paper_check = GTK_CHECK_BUTTON (gtk_check_button_new_with_label (
    _("The member signs the printed receipt with a pen instead")));
  gtk_widget_set_name (GTK_WIDGET (self->paper_check), "sign_on_paper");
  gtk_widget_add_css_class (GTK_WIDGET (self->paper_check), "hint");
  row = gtk_widget_get_parent (GTK_WIDGET (self->pad_slot));
  /* Under the signature box, on a line of its own. */
  gtk_widget_set_halign (GTK_WIDGET (self->paper_check), GTK_ALIGN_START);
  gtk_widget_insert_after (GTK_WIDGET (self->paper_check), gtk_widget_get_parent (row), row);
  g_signal_connect_swapped (self->paper_check, "toggled", G_CALLBACK (on_paper_toggled), self);
  return PD_PAGE (self);
}
