#include <string.h>

#include <glib/gi18n.h>

#include "pd-account-card.h"

struct _PdAccountCard {
  AdwBin parent_instance;

  GtkButton *button;
  GtkLabel *plan_label;
  GtkLabel *number_label;
  GtkLabel *balance_label;
  GtkLabel *due_label;
  GtkLabel *invoices_label;
};

G_DEFINE_FINAL_TYPE (PdAccountCard, pd_account_card, ADW_TYPE_BIN)

static void
pd_account_card_class_init (PdAccountCardClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/paydesk/Paydesk/widgets/account-card/pd-account-card.ui");
  gtk_widget_class_bind_template_child (widget_class, PdAccountCard, button);
  gtk_widget_class_bind_template_child (widget_class, PdAccountCard, plan_label);
  gtk_widget_class_bind_template_child (widget_class, PdAccountCard, number_label);
  gtk_widget_class_bind_template_child (widget_class, PdAccountCard, balance_label);
  gtk_widget_class_bind_template_child (widget_class, PdAccountCard, due_label);
  gtk_widget_class_bind_template_child (widget_class, PdAccountCard, invoices_label);
}

static void
pd_account_card_init (PdAccountCard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

static char *
describe_invoices (PdAccount *account)
{
  GListModel *invoices = pd_account_get_invoices (account);
  guint n_invoices = g_list_model_get_n_items (invoices);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < n_invoices; i++)
    {
      g_autoptr(PdInvoice) invoice = g_list_model_get_item (invoices, i);
      g_autofree char *amount = pd_money_format (pd_invoice_get_amount_due (invoice), NULL);

      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append_printf (text, pd_invoice_get_kind (invoice) == PD_INVOICE_SPENDDOWN
                                    ? _("Spenddown invoice %s: %s")
                                    : _("Premium invoice %s: %s"),
                              pd_invoice_get_number (invoice), amount);
    }
  if (n_invoices == 0)
    g_string_append (text, _("No open invoices"));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

GtkWidget *
pd_account_card_new (PdAccount  *account,
                     const char *action_name,
                     guint       position)
{
  PdAccountCard *self;
  const char *number;
  g_autofree char *last4 = NULL;
  g_autofree char *balance = NULL, *minimum = NULL, *balance_text = NULL;
  g_autofree char *due_text = NULL, *invoices = NULL;
  g_autofree char *accessible = NULL;
  const GDate *due;

  g_return_val_if_fail (PD_IS_ACCOUNT (account), NULL);
  g_return_val_if_fail (action_name != NULL, NULL);

  self = g_object_new (PD_TYPE_ACCOUNT_CARD, NULL);
  number = pd_account_get_number (account);
  last4 = g_strdup_printf (_("Account ending in %s"),
                           strlen (number) > 4 ? number + strlen (number) - 4 : number);
  balance = pd_money_format (pd_account_get_balance (account), NULL);
  minimum = pd_money_format (pd_account_get_minimum_due (account), NULL);
  balance_text = g_strdup_printf (_("Balance %s"), balance);
  due = pd_account_get_due_date (account);
  if (due != NULL && g_date_valid (due))
    {
      char date[64];

      g_date_strftime (date, sizeof date, "%m/%d/%Y", due);
      due_text = g_strdup_printf (_("Minimum due %s by %s"), minimum, date);
    }
  else
    due_text = g_strdup_printf (_("Minimum due %s"), minimum);
  invoices = describe_invoices (account);

  gtk_label_set_label (self->plan_label,
                       pd_line_of_business_get_name (pd_account_get_line_of_business (account)));
  gtk_label_set_label (self->number_label, last4);
  gtk_label_set_label (self->balance_label, balance_text);
  gtk_label_set_label (self->due_label, due_text);
  gtk_label_set_label (self->invoices_label, invoices);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->button), action_name);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->button), "u", position);
  accessible = g_strdup_printf ("%s, %s, %s, %s",
                                pd_line_of_business_get_name (
                                  pd_account_get_line_of_business (account)),
                                last4, balance_text, due_text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible, -1);
  return GTK_WIDGET (self);
}
