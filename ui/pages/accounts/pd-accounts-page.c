#include <glib/gi18n.h>

#include "pd-account-card.h"
#include "pd-accounts-page.h"

struct _PdAccountsPage {
  PdPage parent_instance;

  GtkLabel *title_label;
  GtkFlowBox *cards_box;
  GtkLabel *chosen_label;
  GtkWidget *continue_button;
};

G_DEFINE_FINAL_TYPE (PdAccountsPage, pd_accounts_page, PD_TYPE_PAGE)

static void
remove_cards (PdAccountsPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->cards_box))) != NULL)
    gtk_flow_box_remove (self->cards_box, child);
}

/* What the visit holds chosen: a member who scanned a coupon finds its invoice chosen. */
static void
show_chosen (PdAccountsPage *self)
{
  PdVisit *visit = pd_page_get_visit (PD_PAGE (self));
  PdAccount *account = pd_visit_get_account (visit);
  PdInvoice *invoice = pd_visit_get_invoice (visit);
  g_autofree char *chosen = NULL;
  g_autofree char *due = NULL;
  const char *plan;

  pd_page_set_complete (PD_PAGE (self), account != NULL);
  gtk_widget_set_visible (self->continue_button, account != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->chosen_label), account != NULL);
  if (account == NULL)
    return;

  plan = pd_line_of_business_get_name (pd_account_get_line_of_business (account));
  if (invoice != NULL)
    {
      due = pd_money_format (pd_invoice_get_amount_due (invoice), NULL);
      chosen = g_strdup_printf (_("Invoice %s on your %s account is chosen: %s due."),
                                pd_invoice_get_number (invoice), plan, due);
    }
  else
    chosen = g_strdup_printf (_("You chose your %s account."), plan);
  gtk_label_set_label (self->chosen_label, chosen);
}

static void
choose_account (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PdAccountsPage *self = PD_ACCOUNTS_PAGE (widget);
  PdVisit *visit = pd_page_get_visit (PD_PAGE (self));
  g_autoptr(PdAccount) account = g_list_model_get_item (pd_visit_get_accounts (visit),
                                                       g_variant_get_uint32 (parameter));

  if (account == NULL)
    return;
  pd_visit_choose_account (visit, account, NULL);
  show_chosen (self);
  gtk_widget_activate_action (widget, "flow.next", NULL);
}

static void
pd_accounts_page_shown (PdPage *page)
{
  PdAccountsPage *self = PD_ACCOUNTS_PAGE (page);
  PdVisit *visit = pd_page_get_visit (page);
  GListModel *accounts = pd_visit_get_accounts (visit);
  g_autofree char *title = NULL;

  remove_cards (self);
  /* One line for up to three accounts, centred: no empty columns beside a single card. */
  gtk_flow_box_set_max_children_per_line (self->cards_box,
                                          CLAMP (g_list_model_get_n_items (accounts), 1, 3));
  for (guint i = 0; i < g_list_model_get_n_items (accounts); i++)
    {
      g_autoptr(PdAccount) account = g_list_model_get_item (accounts, i);

      gtk_flow_box_append (self->cards_box,
                           pd_account_card_new (account, "accounts.choose", i));
    }

  title = pd_visit_get_first_name (visit) != NULL
          ? g_strdup_printf (_("Welcome, %s"), pd_visit_get_first_name (visit))
          : g_strdup (_("Your accounts"));
  gtk_label_set_label (self->title_label, title);
  show_chosen (self);
}

/* Nothing of the member stays on the page once they have gone. */
static void
pd_accounts_page_forget (PdPage *page)
{
  PdAccountsPage *self = PD_ACCOUNTS_PAGE (page);

  remove_cards (self);
  gtk_label_set_label (self->title_label, "");
  gtk_label_set_label (self->chosen_label, "");
}

static void
pd_accounts_page_class_init (PdAccountsPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  PdPageClass *page_class = PD_PAGE_CLASS (klass);

  page_class->shown = pd_accounts_page_shown;
  page_class->forget = pd_accounts_page_forget;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/paydesk/Paydesk/pages/accounts/pd-accounts-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PdAccountsPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, PdAccountsPage, cards_box);
  gtk_widget_class_bind_template_child (widget_class, PdAccountsPage, chosen_label);
  gtk_widget_class_bind_template_child (widget_class, PdAccountsPage, continue_button);
  gtk_widget_class_install_action (widget_class, "accounts.choose", "u", choose_account);
}

static void
pd_accounts_page_init (PdAccountsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

PdPage *
pd_accounts_page_new (void)
{
  return g_object_new (PD_TYPE_ACCOUNTS_PAGE, NULL);
}
