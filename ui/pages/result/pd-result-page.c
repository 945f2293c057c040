#include <glib/gi18n.h>

#include "pd-result-page.h"

struct _PdResultPage {
  PdPage parent_instance;

  GtkLabel *title_label;
  GtkLabel *detail_label;
  GtkLabel *confirmation_label;
  GtkLabel *notices_label;
  GtkWidget *another_way_button;
  GtkWidget *finish_button;
  GtkWidget *continue_button;
};

G_DEFINE_FINAL_TYPE (PdResultPage, pd_result_page, PD_TYPE_PAGE)

static void
pd_result_page_shown (PdPage *page)
{
  PdResultPage *self = PD_RESULT_PAGE (page);
  PdPayment *payment = pd_visit_get_payment (pd_page_get_visit (page));
  g_autofree char *amount = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *confirmation = NULL;
  const char *title = NULL;
  const char *reason;
  gboolean taken = FALSE;

  if (payment == NULL)
    return;

  amount = pd_money_format (pd_payment_get_amount (payment), NULL);
  switch (pd_payment_get_state (payment))
    {
    case PD_PAYMENT_STATE_COMPLETED:
    case PD_PAYMENT_STATE_APPROVED:
      title = _("Thank you. Your payment was accepted.");
      detail = g_strdup_printf (_("We received your payment of %s."), amount);
      taken = TRUE;
      break;
    case PD_PAYMENT_STATE_QUEUED:
    case PD_PAYMENT_STATE_AUTHORIZING:
      title = _("Your payment is pending.");
      detail = g_strdup_printf (_("We could not reach the payment system just now. Your "
                                  "payment of %s is saved on this kiosk and will be sent "
                                  "automatically: you do not need to pay again."), amount);
      taken = TRUE;
      break;
    case PD_PAYMENT_STATE_DECLINED:
      title = _("Your payment was declined.");
      reason = pd_payment_reason_wording (pd_payment_get_reason (payment));
      detail = reason != NULL
               ? g_strdup_printf (_("Reason: %s. Nothing was charged. You can pay another "
                                    "way, or ask an associate."), _(reason))
               : g_strdup (_("Nothing was charged. You can pay another way, or ask an "
                             "associate."));
      break;
    default:
      title = _("Your payment did not go through.");
      detail = g_strdup (_("Nothing was charged. Please try again, or ask an associate."));
      break;
    }

  gtk_label_set_label (self->title_label, title);
  /* Nothing was taken: the member keeps the account and amount and tries another way. */
  gtk_widget_set_visible (self->another_way_button, !taken);
  /* A payment taken goes on to its receipt. */
  gtk_widget_set_visible (self->finish_button, !taken);
  gtk_widget_set_visible (self->continue_button, taken);
  pd_page_set_complete (page, taken);
  gtk_label_set_label (self->detail_label, detail);
  if (taken && pd_payment_get_confirmation (payment) != NULL)
    confirmation = g_strdup_printf (_("Confirmation number: %s"),
                                    pd_payment_get_confirmation (payment));
  else if (taken)
    confirmation = g_strdup_printf (_("Payment reference: %s"),
                                    pd_payment_get_client_ref (payment));
  gtk_label_set_label (self->confirmation_label, confirmation != NULL ? confirmation : "");
  gtk_widget_set_visible (GTK_WIDGET (self->confirmation_label), confirmation != NULL);
  /* What every member must be told of a payment taken (domain notices). */
  gtk_label_set_label (self->notices_label,
                       taken ? _("Please allow 2 business days for your account balance to "
                                 "update. A late payment does not guarantee your coverage.")
                             : "");
}

static void
pay_another_way (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  PdPage *page = PD_PAGE (widget);

  pd_visit_set_payment (pd_page_get_visit (page), NULL);
  gtk_widget_activate_action (widget, "flow.go", "s", "tender");
}

/* Nothing of the payment stays on the page after the visit. */
static void
pd_result_page_forget (PdPage *page)
{
  PdResultPage *self = PD_RESULT_PAGE (page);

  gtk_label_set_label (self->detail_label, "");
  gtk_label_set_label (self->confirmation_label, "");
}

static void
pd_result_page_class_init (PdResultPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  PdPageClass *page_class = PD_PAGE_CLASS (klass);

  page_class->shown = pd_result_page_shown;
  page_class->forget = pd_result_page_forget;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/paydesk/Paydesk/pages/result/pd-result-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PdResultPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, PdResultPage, detail_label);
  gtk_widget_class_bind_template_child (widget_class, PdResultPage, confirmation_label);
  gtk_widget_class_bind_template_child (widget_class, PdResultPage, notices_label);
  gtk_widget_class_bind_template_child (widget_class, PdResultPage, another_way_button);
  gtk_widget_class_bind_template_child (widget_class, PdResultPage, finish_button);
  gtk_widget_class_bind_template_child (widget_class, PdResultPage, continue_button);
  gtk_widget_class_install_action (widget_class, "result.another-way", NULL, pay_another_way);
}

static void
pd_result_page_init (PdResultPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

PdPage *
pd_result_page_new (void)
{
  return g_object_new (PD_TYPE_RESULT_PAGE, NULL);
}
