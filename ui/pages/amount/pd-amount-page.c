#include <string.h>

#include <glib/gi18n.h>

#include "pd-amount-page.h"
#include "pd-keyboard.h"

struct _PdAmountPage {
  PdPage parent_instance;

  GtkLabel *account_label;
  GtkToggleButton *balance_button;
  GtkToggleButton *minimum_button;
  GtkToggleButton *other_button;
  GtkWidget *other_box;
  GtkEntry *other_entry;
  AdwBin *keypad_slot;
  GtkLabel *error_label;

  char *choice;
};

G_DEFINE_FINAL_TYPE (PdAmountPage, pd_amount_page, PD_TYPE_PAGE)

static void
say_error (PdAmountPage *self,
           const char   *message)
{
  pd_page_show_message (self->error_label, message);
  if (message != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->other_entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->other_entry), "error");
}

static void
update_complete (PdAmountPage *self)
{
  gboolean complete = self->choice != NULL &&
                      (!g_str_equal (self->choice, "other") ||
                       *gtk_editable_get_text (GTK_EDITABLE (self->other_entry)) != '\0');

  pd_page_set_complete (PD_PAGE (self), complete);
}

static void
show_choice (PdAmountPage *self,
             const char   *choice)
{
  g_free (self->choice);
  self->choice = g_strdup (choice);
  gtk_toggle_button_set_active (self->balance_button, g_strcmp0 (choice, "balance") == 0);
  gtk_toggle_button_set_active (self->minimum_button, g_strcmp0 (choice, "minimum") == 0);
  gtk_toggle_button_set_active (self->other_button, g_strcmp0 (choice, "other") == 0);
  gtk_widget_set_visible (self->other_box, g_strcmp0 (choice, "other") == 0);
  say_error (self, NULL);
  if (g_strcmp0 (choice, "other") == 0)
    gtk_widget_grab_focus (GTK_WIDGET (self->other_entry));
  update_complete (self);
}

static void
choose (GtkWidget  *widget,
        const char *action_name,
        GVariant   *parameter)
{
  show_choice (PD_AMOUNT_PAGE (widget), g_variant_get_string (parameter, NULL));
}

static gboolean
chosen_amount (PdAmountPage  *self,
               PdCents       *amount,
               GError       **error)
{
  PdAccount *account = pd_visit_get_account (pd_page_get_visit (PD_PAGE (self)));

  if (g_str_equal (self->choice, "balance"))
    *amount = pd_account_get_balance (account);
  else if (g_str_equal (self->choice, "minimum"))
    *amount = pd_account_get_minimum_due (account);
  else
    return pd_money_parse (gtk_editable_get_text (GTK_EDITABLE (self->other_entry)), amount,
                           error);
  return TRUE;
}

static void
pd_amount_page_apply_async (PdPage              *page,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  PdAmountPage *self = PD_AMOUNT_PAGE (page);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  PdCents amount = 0;

  say_error (self, NULL);
  if (!chosen_amount (self, &amount, &error) ||
      !pd_visit_choose_amount (pd_page_get_visit (page), amount, &error))
    {
      say_error (self, error->message);
      g_task_return_boolean (task, FALSE);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static gboolean
pd_amount_page_apply_finish (PdPage       *page,
                             GAsyncResult *result)
{
  return g_task_propagate_boolean (G_TASK (result), NULL);
}

static void
pd_amount_page_shown (PdPage *page)
{
  PdAmountPage *self = PD_AMOUNT_PAGE (page);
  PdVisit *visit = pd_page_get_visit (page);
  PdAccount *account = pd_visit_get_account (visit);
  g_autofree char *balance = NULL, *minimum = NULL, *balance_text = NULL;
  g_autofree char *minimum_text = NULL, *about = NULL;
  const char *number;

  if (account == NULL)
    return;

  number = pd_account_get_number (account);
  balance = pd_money_format (pd_account_get_balance (account), NULL);
  minimum = pd_money_format (pd_account_get_minimum_due (account), NULL);
  /* Translators: the amount owed in all, on a button. */
  balance_text = g_strdup_printf (_("The balance\n%s"), balance);
  /* Translators: the least the member may pay now, on a button. */
  minimum_text = g_strdup_printf (_("The minimum due\n%s"), minimum);
  gtk_button_set_label (GTK_BUTTON (self->balance_button), balance_text);
  gtk_button_set_label (GTK_BUTTON (self->minimum_button), minimum_text);
  /* Nothing is owed now: there is no balance or minimum to choose. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->balance_button),
                            pd_account_get_balance (account) > 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->minimum_button),
                            pd_account_get_minimum_due (account) > 0);
  about = g_strdup_printf (_("%s, account ending in %s"),
                           pd_line_of_business_get_name (
                             pd_account_get_line_of_business (account)),
                           strlen (number) > 4 ? number + strlen (number) - 4 : number);
  gtk_label_set_label (self->account_label, about);
  if (pd_visit_get_amount (visit) == 0)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->other_entry), "");
      show_choice (self, NULL);
    }
}

static void
pd_amount_page_forget (PdPage *page)
{
  PdAmountPage *self = PD_AMOUNT_PAGE (page);

  gtk_editable_set_text (GTK_EDITABLE (self->other_entry), "");
  gtk_label_set_label (self->account_label, "");
  gtk_button_set_label (GTK_BUTTON (self->balance_button), "");
  gtk_button_set_label (GTK_BUTTON (self->minimum_button), "");
  show_choice (self, NULL);
}

static void
pd_amount_page_dispose (GObject *object)
{
  PdAmountPage *self = PD_AMOUNT_PAGE (object);

  g_clear_pointer (&self->choice, g_free);

  G_OBJECT_CLASS (pd_amount_page_parent_class)->dispose (object);
}

static void
pd_amount_page_class_init (PdAmountPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  PdPageClass *page_class = PD_PAGE_CLASS (klass);

  object_class->dispose = pd_amount_page_dispose;
  page_class->apply_async = pd_amount_page_apply_async;
  page_class->apply_finish = pd_amount_page_apply_finish;
  page_class->shown = pd_amount_page_shown;
  page_class->forget = pd_amount_page_forget;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/paydesk/Paydesk/pages/amount/pd-amount-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PdAmountPage, account_label);
  gtk_widget_class_bind_template_child (widget_class, PdAmountPage, balance_button);
  gtk_widget_class_bind_template_child (widget_class, PdAmountPage, minimum_button);
  gtk_widget_class_bind_template_child (widget_class, PdAmountPage, other_button);
  gtk_widget_class_bind_template_child (widget_class, PdAmountPage, other_box);
  gtk_widget_class_bind_template_child (widget_class, PdAmountPage, other_entry);
  gtk_widget_class_bind_template_child (widget_class, PdAmountPage, keypad_slot);
  gtk_widget_class_bind_template_child (widget_class, PdAmountPage, error_label);
  gtk_widget_class_install_action (widget_class, "amount.choose", "s", choose);
}

static void
pd_amount_page_init (PdAmountPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  adw_bin_set_child (self->keypad_slot, pd_keyboard_new (PD_KEYBOARD_AMOUNT));
  /* Amounts read left to right in every language. */
  gtk_widget_set_direction (GTK_WIDGET (self->other_entry), GTK_TEXT_DIR_LTR);
  g_signal_connect_swapped (self->other_entry, "changed", G_CALLBACK (update_complete), self);
}

PdPage *
pd_amount_page_new (void)
{
  return g_object_new (PD_TYPE_AMOUNT_PAGE, NULL);
}
