#include <string.h>

#include <glib/gi18n.h>

#include "pd-bank-page.h"
#include "pd-field-form.h"
#include "pd-keyboard.h"

static const PdFieldSpec bank_fields[] = {
  { PD_FIELD_ROUTING_NUMBER, N_("Routing number"), PD_KEYBOARD_DIGITS, 9, FALSE },
  { PD_FIELD_ACCOUNT_HOLDER, N_("Name on the account"), PD_KEYBOARD_TEXT, 40, FALSE },
  { PD_FIELD_BANK_ACCOUNT, N_("Account number"), PD_KEYBOARD_DIGITS, 17, TRUE },
  { PD_FIELD_BANK_ACCOUNT_AGAIN, N_("Account number again"), PD_KEYBOARD_DIGITS, 17, TRUE },
};

struct _PdBankPage {
  PdPage parent_instance;

  AdwBin *form_slot;
  AdwBin *keyboard_slot;
  GtkToggleButton *checking_button;
  GtkToggleButton *savings_button;
  GtkLabel *type_error;
  PdFieldForm *form;

  const char *account_type;
};

G_DEFINE_FINAL_TYPE (PdBankPage, pd_bank_page, PD_TYPE_PAGE)

static void
update_complete (PdBankPage *self)
{
  pd_page_set_complete (PD_PAGE (self),
                        pd_field_form_is_filled (self->form) && self->account_type != NULL);
}

/* A routing number's last digit checks the others: said as soon as the ninth is typed. */
static void
check_routing_as_typed (PdBankPage *self)
{
  const char *routing = pd_field_form_get_text (self->form, PD_FIELD_ROUTING_NUMBER);

  if (strlen (routing) == PD_ROUTING_NUMBER_DIGITS && !pd_routing_number_is_valid (routing))
    {
      g_autoptr(GError) error =
        g_error_new_literal (PD_FIELD_ERROR, PD_FIELD_ROUTING_NUMBER,
                             _("This is not a routing number: check the 9 digits at the "
                               "bottom left of your check."));

      pd_field_form_show_error (self->form, error);
    }
  else
    pd_field_form_clear_error (self->form, PD_FIELD_ROUTING_NUMBER);
}

static void
on_form_changed (PdBankPage *self)
{
  check_routing_as_typed (self);
  update_complete (self);
}

static void
choose_type (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PdBankPage *self = PD_BANK_PAGE (widget);
  const char *type = g_variant_get_string (parameter, NULL);

  self->account_type = g_str_equal (type, "savings") ? "savings" : "checking";
  gtk_toggle_button_set_active (self->checking_button, g_str_equal (self->account_type,
                                                                    "checking"));
  gtk_toggle_button_set_active (self->savings_button, g_str_equal (self->account_type,
                                                                   "savings"));
  gtk_widget_set_visible (GTK_WIDGET (self->type_error), FALSE);
  update_complete (self);
}

static void
pd_bank_page_apply_async (PdPage              *page,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  PdBankPage *self = PD_BANK_PAGE (page);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  PdBankAccount *bank_account = NULL;

  pd_field_form_clear_errors (self->form);
  if (pd_bank_account_check_typed_twice (
        pd_field_form_get_text (self->form, PD_FIELD_BANK_ACCOUNT),
        pd_field_form_get_text (self->form, PD_FIELD_BANK_ACCOUNT_AGAIN), &error))
    bank_account = pd_bank_account_new (
      pd_field_form_get_text (self->form, PD_FIELD_ROUTING_NUMBER),
      pd_field_form_get_text (self->form, PD_FIELD_BANK_ACCOUNT),
      self->account_type, pd_field_form_get_text (self->form, PD_FIELD_ACCOUNT_HOLDER),
      &error);

  if (bank_account == NULL)
    {
      if (!pd_field_form_show_error (self->form, error))
        {
          gtk_label_set_label (self->type_error, error->message);
          gtk_widget_set_visible (GTK_WIDGET (self->type_error), TRUE);
        }
      g_task_return_boolean (task, FALSE);
      return;
    }

  pd_visit_set_bank_account (pd_page_get_visit (page), bank_account);
  g_task_return_boolean (task, TRUE);
}

static gboolean
pd_bank_page_apply_finish (PdPage       *page,
                           GAsyncResult *result)
{
  return g_task_propagate_boolean (G_TASK (result), NULL);
}

/* The numbers typed go with the visit: none of them stays in a field after it. */
static void
pd_bank_page_forget (PdPage *page)
{
  PdBankPage *self = PD_BANK_PAGE (page);

  pd_field_form_forget (self->form);
  self->account_type = NULL;
  gtk_toggle_button_set_active (self->checking_button, FALSE);
  gtk_toggle_button_set_active (self->savings_button, FALSE);
  gtk_label_set_label (self->type_error, "");
  gtk_widget_set_visible (GTK_WIDGET (self->type_error), FALSE);
  update_complete (self);
}

static void
pd_bank_page_shown (PdPage *page)
{
  PdBankPage *self = PD_BANK_PAGE (page);

  /* Not back from the authorization: whatever the fields hold is no one's now. */
  if (pd_visit_get_bank_account (pd_page_get_visit (page)) == NULL)
    pd_bank_page_forget (page);
  pd_field_form_focus_first (self->form);
  update_complete (self);
}

static void
on_form_activated (PdBankPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "flow.next", NULL);
}

static void
pd_bank_page_class_init (PdBankPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  PdPageClass *page_class = PD_PAGE_CLASS (klass);

  page_class->apply_async = pd_bank_page_apply_async;
  page_class->apply_finish = pd_bank_page_apply_finish;
  page_class->shown = pd_bank_page_shown;
  page_class->forget = pd_bank_page_forget;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/paydesk/Paydesk/pages/bank/pd-bank-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PdBankPage, form_slot);
  gtk_widget_class_bind_template_child (widget_class, PdBankPage, keyboard_slot);
  gtk_widget_class_bind_template_child (widget_class, PdBankPage, checking_button);
  gtk_widget_class_bind_template_child (widget_class, PdBankPage, savings_button);
  gtk_widget_class_bind_template_child (widget_class, PdBankPage, type_error);
  gtk_widget_class_install_action (widget_class, "bank.type", "s", choose_type);
}

static void
pd_bank_page_init (PdBankPage *self)
{
  GtkWidget *keyboard = pd_keyboard_new (PD_KEYBOARD_DIGITS);

  gtk_widget_init_template (GTK_WIDGET (self));
  adw_bin_set_child (self->keyboard_slot, keyboard);
  self->form = PD_FIELD_FORM (pd_field_form_new (bank_fields, G_N_ELEMENTS (bank_fields), 2,
                                                 PD_KEYBOARD (keyboard)));
  adw_bin_set_child (self->form_slot, GTK_WIDGET (self->form));
  g_signal_connect_swapped (self->form, "changed", G_CALLBACK (on_form_changed), self);
  g_signal_connect_swapped (self->form, "activate", G_CALLBACK (on_form_activated), self);
}

PdPage *
pd_bank_page_new (void)
{
  return g_object_new (PD_TYPE_BANK_PAGE, NULL);
}
