#include <glib/gi18n.h>

#include "pd-coupon.h"
#include "pd-field-form.h"
#include "pd-identify-page.h"
#include "pd-language.h"

/* Each way of being found, as the plan's invoice and member ID card show it. */
static const PdFieldSpec invoice_fields[] = {
  { PD_FIELD_INVOICE_ACCOUNT, N_("Invoice account number"), PD_KEYBOARD_DIGITS, 12 },
  { PD_FIELD_INVOICE_NUMBER, N_("Invoice number"), PD_KEYBOARD_TEXT, 14 },
};

static const PdFieldSpec member_fields[] = {
  { PD_FIELD_MEMBER_ID, N_("Member ID (11 digits)"), PD_KEYBOARD_DIGITS, 11 },
  { PD_FIELD_ZIP, N_("ZIP code"), PD_KEYBOARD_DIGITS, 5 },
  { PD_FIELD_DATE_OF_BIRTH, N_("Date of birth (MM/DD/YYYY)"), PD_KEYBOARD_TEXT, 10 },
  { PD_FIELD_FIRST_NAME, N_("First name"), PD_KEYBOARD_TEXT, 40 },
  { PD_FIELD_LAST_NAME, N_("Last name"), PD_KEYBOARD_TEXT, 40 },
};

/* At a counter: the member may have forgotten the card, or be on the phone. */
static const PdFieldSpec counter_member_fields[] = {
  { PD_FIELD_MEMBER_ID, N_("Member ID (if the member has it)"), PD_KEYBOARD_DIGITS, 11,
    .optional = TRUE },
  { PD_FIELD_ZIP, N_("ZIP code"), PD_KEYBOARD_DIGITS, 5 },
  { PD_FIELD_DATE_OF_BIRTH, N_("Date of birth (MM/DD/YYYY)"), PD_KEYBOARD_TEXT, 10 },
  { PD_FIELD_FIRST_NAME, N_("First name"), PD_KEYBOARD_TEXT, 40 },
  { PD_FIELD_LAST_NAME, N_("Last name"), PD_KEYBOARD_TEXT, 40 },
};

static const PdFieldSpec account_zip_fields[] = {
  { PD_FIELD_INVOICE_ACCOUNT, N_("Invoice account number"), PD_KEYBOARD_DIGITS, 12 },
  { PD_FIELD_ZIP, N_("ZIP code"), PD_KEYBOARD_DIGITS, 5 },
};

struct _PdIdentifyPage {
  PdPage parent_instance;

  gboolean counter;

  GtkStack *method_stack;
  AdwBin *invoice_slot;
  AdwBin *member_slot;
  AdwBin *account_zip_slot;
  PdFieldForm *invoice_form;
  PdFieldForm *member_form;
  PdFieldForm *account_zip_form;
  GtkLabel *title_label;
  GtkLabel *question_label;
  GtkLabel *invoice_label;
  GtkLabel *member_label;
  GtkLabel *coupon_label;
  GtkWidget *account_zip_button;
  GtkWidget *methods_box;
  /* At a counter: the member's language, for the receipt (the screens stay the
   * associate's). The codes of the languages offered, in the list's order. */
  GtkDropDown *language_list;
  GPtrArray *language_codes;
  GtkLabel *message_label;
  AdwBin *keyboard_slot;
  GtkWidget *other_way_button;
  GtkWidget *find_button;
  GtkSpinner *spinner;
  PdKeyboard *keyboard;
  /* A coupon scanned: what it says, until the lookup it starts has answered. */
  PdCoupon *coupon;
};

G_DEFINE_FINAL_TYPE (PdIdentifyPage, pd_identify_page, PD_TYPE_PAGE)

static const char *
current_method (PdIdentifyPage *self)
{
  return gtk_stack_get_visible_child_name (self->method_stack);
}

/* The form of the way chosen, or NULL on the choice of ways. */
static PdFieldForm *
current_form (PdIdentifyPage *self)
{
  if (g_strcmp0 (current_method (self), "invoice") == 0)
    return self->invoice_form;
  if (g_strcmp0 (current_method (self), "member") == 0)
    return self->member_form;
  if (g_strcmp0 (current_method (self), "account-zip") == 0)
    return self->account_zip_form;
  return NULL;
}

static const char *
text_of (PdIdentifyPage *self,
         PdField         field)
{
  return pd_field_form_get_text (current_form (self), field);
}

static void
update_complete (PdIdentifyPage *self)
{
  PdFieldForm *form = current_form (self);

  pd_page_set_complete (PD_PAGE (self),
                        (form != NULL && pd_field_form_is_filled (form)) ||
                        (g_strcmp0 (current_method (self), "coupon") == 0 &&
                         self->coupon != NULL));
}

static void
clear_errors (PdIdentifyPage *self)
{
  pd_field_form_clear_errors (self->invoice_form);
  pd_field_form_clear_errors (self->member_form);
  if (self->account_zip_form != NULL)
    pd_field_form_clear_errors (self->account_zip_form);
}

/* Beside the field it is about, in the validator's words. */
static void
show_field_error (PdIdentifyPage *self,
                  const GError   *error)
{
  if (!pd_field_form_show_error (current_form (self), error))
    pd_page_show_message (self->message_label, error->message);
}

/* Enter on a hardware keyboard goes on, as the button does. */
static void
on_form_activated (PdIdentifyPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "flow.next", NULL);
}

static void
show_method (PdIdentifyPage *self,
             const char     *method)
{
  PdFieldForm *form;

  gtk_stack_set_visible_child_name (self->method_stack, method);
  form = current_form (self);
  clear_errors (self);
  pd_page_show_message (self->message_label, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->keyboard_slot), form != NULL);
  gtk_widget_set_visible (self->other_way_button, g_strcmp0 (method, "methods") != 0);
  gtk_widget_set_visible (self->find_button, form != NULL);
  if (form != NULL)
    pd_field_form_focus_first (form);
  update_complete (self);
}

static void
choose_method (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  show_method (PD_IDENTIFY_PAGE (widget), g_variant_get_string (parameter, NULL));
}

/* A barcode scanner read a coupon (or something else): the lookup starts at once. */
static void
take_coupon (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PdIdentifyPage *self = PD_IDENTIFY_PAGE (widget);
  g_autoptr(GError) error = NULL;
  PdCoupon *coupon = pd_coupon_parse (g_variant_get_string (parameter, NULL), &error);

  g_clear_pointer (&self->coupon, pd_coupon_free);
  show_method (self, "coupon");
  if (coupon == NULL)
    {
      pd_page_show_message (self->message_label, error->message);
      return;
    }
  self->coupon = coupon;
  update_complete (self);
  gtk_widget_activate_action (widget, "flow.next", NULL);
}

/* The account and invoice on the coupon, among those the core found. */
static void
choose_coupon_invoice (PdIdentifyPage *self,
                       PdVisit        *visit)
{
  GListModel *accounts = pd_visit_get_accounts (visit);

  for (guint i = 0; i < g_list_model_get_n_items (accounts); i++)
    {
      g_autoptr(PdAccount) account = g_list_model_get_item (accounts, i);
      GListModel *invoices = pd_account_get_invoices (account);

      if (g_strcmp0 (pd_account_get_number (account), self->coupon->invoice_account) != 0)
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (invoices); j++)
        {
          g_autoptr(PdInvoice) invoice = g_list_model_get_item (invoices, j);

          if (g_strcmp0 (pd_invoice_get_number (invoice), self->coupon->invoice_number) == 0)
            {
              pd_visit_choose_account (visit, account, invoice);
              return;
            }
        }
      pd_visit_choose_account (visit, account, NULL);
    }
}

static void
lookup_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PdIdentifyPage *self = g_task_get_source_object (task);
  PdVisit *visit;
  g_autoptr(PdMemberLookup) lookup = NULL;
  g_autoptr(GError) error = NULL;

  lookup = pd_core_client_lookup_finish (PD_CORE_CLIENT (source), result, &error);
  gtk_spinner_stop (self->spinner);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      pd_page_show_message (self->message_label, NULL);
      g_task_return_boolean (task, FALSE);
      return;
    }

  visit = pd_page_get_visit (PD_PAGE (self));

  if (lookup == NULL)
    {
      g_clear_pointer (&self->coupon, pd_coupon_free);
      pd_page_show_message (self->message_label, error->message);
      g_task_return_boolean (task, FALSE);
      return;
    }

  switch (lookup->outcome)
    {
    case PD_LOOKUP_FOUND:
      pd_page_show_message (self->message_label, NULL);
      pd_visit_set_member (visit, lookup->first_name, lookup->last_name, lookup->accounts);
      if (self->coupon != NULL)
        choose_coupon_invoice (self, visit);
      g_clear_pointer (&self->coupon, pd_coupon_free);
      g_task_return_boolean (task, TRUE);
      return;
    case PD_LOOKUP_NOT_FOUND:
      pd_visit_count_failed_lookup (visit);
      if (self->counter)
        pd_page_show_message (self->message_label,
                              _("No member matches these details at the payment core. Check "
                                "each one with the member, or find them another way."));
      else
        pd_page_show_message (self->message_label, pd_visit_should_suggest_help (visit)
                   ? _("We still could not find you. Please ask an associate at the counter: "
                       "they can find your account another way.")
                   : _("We could not find an account with these details. Check each one "
                       "against your invoice or member ID card and try again."));
      break;
    case PD_LOOKUP_AMBIGUOUS:
      pd_visit_count_failed_lookup (visit);
      if (self->counter)
        pd_page_show_message (self->message_label,
                              _("More than one member matches these details: add the member "
                                "ID, or use the invoice account and number."));
      else
        pd_page_show_message (self->message_label, pd_visit_should_suggest_help (visit)
                   ? _("More than one member matches these details. Please ask an associate "
                       "at the counter to help you.")
                   : _("More than one member matches these details. Use your invoice "
                       "instead, or check your member ID."));
      break;
    }
  /* A coupon that found nobody is not tried again: the next scan is. */
  g_clear_pointer (&self->coupon, pd_coupon_free);
  g_task_return_boolean (task, FALSE);
}

static void
pd_identify_page_apply_async (PdPage              *page,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  PdIdentifyPage *self = PD_IDENTIFY_PAGE (page);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(PdIdentification) identification = NULL;
  g_autoptr(GError) error = NULL;
  PdTerminal *terminal = pd_page_get_terminal (page);

  clear_errors (self);
  pd_page_show_message (self->message_label, NULL);
  if (g_str_equal (current_method (self), "coupon") && self->coupon != NULL)
    identification = pd_identification_new_invoice (self->coupon->invoice_account,
                                                    self->coupon->invoice_number, &error);
  else if (g_str_equal (current_method (self), "invoice"))
    identification = pd_identification_new_invoice (text_of (self, PD_FIELD_INVOICE_ACCOUNT),
                                                    text_of (self, PD_FIELD_INVOICE_NUMBER),
                                                    &error);
  else if (g_str_equal (current_method (self), "account-zip"))
    identification = pd_identification_new_account_zip (text_of (self, PD_FIELD_INVOICE_ACCOUNT),
                                                        text_of (self, PD_FIELD_ZIP), &error);
  else
    identification = pd_identification_new_member (text_of (self, PD_FIELD_MEMBER_ID),
                                                   text_of (self, PD_FIELD_ZIP),
                                                   text_of (self, PD_FIELD_DATE_OF_BIRTH),
                                                   text_of (self, PD_FIELD_FIRST_NAME),
                                                   text_of (self, PD_FIELD_LAST_NAME), NULL,
                                                   &error);
  if (identification == NULL)
    {
      show_field_error (self, error);
      g_task_return_boolean (task, FALSE);
      return;
    }
  if (terminal == NULL)
    {
      pd_page_show_message (self->message_label, _("This kiosk is still starting. Please try again in a moment."));
      g_task_return_boolean (task, FALSE);
      return;
    }

  pd_page_show_message (self->message_label, self->counter ? _("Looking for the member…")
                                                           : _("Looking for your account…"));
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), TRUE);
  gtk_spinner_start (self->spinner);
  pd_core_client_lookup_async (pd_terminal_get_core_client (terminal), identification,
                               cancellable, lookup_done, g_steal_pointer (&task));
}

static gboolean
pd_identify_page_apply_finish (PdPage       *page,
                               GAsyncResult *result)
{
  return g_task_propagate_boolean (G_TASK (result), NULL);
}

/* What was typed belongs to the visit: a wiped visit leaves none of it in the fields. */
static void
forget_fields (PdIdentifyPage *self)
{
  pd_field_form_forget (self->invoice_form);
  pd_field_form_forget (self->member_form);
  if (self->account_zip_form != NULL)
    pd_field_form_forget (self->account_zip_form);
}

/* The visit's language, as the list shows it (a new visit: the terminal's again). */
static void
show_language (PdIdentifyPage *self)
{
  PdVisit *visit = pd_page_get_visit (PD_PAGE (self));

  if (self->language_list == NULL || visit == NULL)
    return;
  for (guint i = 0; i < self->language_codes->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->language_codes, i),
                   pd_visit_get_language (visit)) == 0)
      gtk_drop_down_set_selected (self->language_list, i);
}

static void
on_language_chosen (PdIdentifyPage *self)
{
  PdVisit *visit = pd_page_get_visit (PD_PAGE (self));
  guint chosen = gtk_drop_down_get_selected (self->language_list);

  if (visit != NULL && chosen < self->language_codes->len)
    pd_visit_set_language (visit, g_ptr_array_index (self->language_codes, chosen));
}

static void
pd_identify_page_forget (PdPage *page)
{
  PdIdentifyPage *self = PD_IDENTIFY_PAGE (page);

  forget_fields (self);
  g_clear_pointer (&self->coupon, pd_coupon_free);
  show_method (self, "methods");
  show_language (self);
}

static void
pd_identify_page_shown (PdPage *page)
{
  show_language (PD_IDENTIFY_PAGE (page));
  update_complete (PD_IDENTIFY_PAGE (page));
}

static void
pd_identify_page_finalize (GObject *object)
{
  g_clear_pointer (&PD_IDENTIFY_PAGE (object)->coupon, pd_coupon_free);
  g_clear_pointer (&PD_IDENTIFY_PAGE (object)->language_codes, g_ptr_array_unref);

  G_OBJECT_CLASS (pd_identify_page_parent_class)->finalize (object);
}

static void
pd_identify_page_class_init (PdIdentifyPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  PdPageClass *page_class = PD_PAGE_CLASS (klass);

  object_class->finalize = pd_identify_page_finalize;
  page_class->apply_async = pd_identify_page_apply_async;
  page_class->apply_finish = pd_identify_page_apply_finish;
  page_class->shown = pd_identify_page_shown;
  page_class->forget = pd_identify_page_forget;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/paydesk/Paydesk/pages/identify/pd-identify-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PdIdentifyPage, method_stack);
  gtk_widget_class_bind_template_child (widget_class, PdIdentifyPage, invoice_slot);
  gtk_widget_class_bind_template_child (widget_class, PdIdentifyPage, member_slot);
  gtk_widget_class_bind_template_child (widget_class, PdIdentifyPage, account_zip_slot);
  gtk_widget_class_bind_template_child (widget_class, PdIdentifyPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, PdIdentifyPage, question_label);
  gtk_widget_class_bind_template_child (widget_class, PdIdentifyPage, invoice_label);
  gtk_widget_class_bind_template_child (widget_class, PdIdentifyPage, member_label);
  gtk_widget_class_bind_template_child (widget_class, PdIdentifyPage, coupon_label);
  gtk_widget_class_bind_template_child (widget_class, PdIdentifyPage, account_zip_button);
  gtk_widget_class_bind_template_child (widget_class, PdIdentifyPage, methods_box);
  gtk_widget_class_bind_template_child (widget_class, PdIdentifyPage, message_label);
  gtk_widget_class_bind_template_child (widget_class, PdIdentifyPage, keyboard_slot);
  gtk_widget_class_bind_template_child (widget_class, PdIdentifyPage, other_way_button);
  gtk_widget_class_bind_template_child (widget_class, PdIdentifyPage, find_button);
  gtk_widget_class_bind_template_child (widget_class, PdIdentifyPage, spinner);
  gtk_widget_class_install_action (widget_class, "identify.method", "s", choose_method);
  gtk_widget_class_install_action (widget_class, "identify.coupon", "s", take_coupon);
}

static void
watch_form (PdIdentifyPage *self,
            PdFieldForm    *form)
{
  g_signal_connect_swapped (form, "changed", G_CALLBACK (update_complete), self);
  g_signal_connect_swapped (form, "activate", G_CALLBACK (on_form_activated), self);
}

static void
pd_identify_page_init (PdIdentifyPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->keyboard = PD_KEYBOARD (pd_keyboard_new (PD_KEYBOARD_TEXT));
  adw_bin_set_child (self->keyboard_slot, GTK_WIDGET (self->keyboard));
  self->invoice_form = PD_FIELD_FORM (pd_field_form_new (invoice_fields,
                                                         G_N_ELEMENTS (invoice_fields), 1,
                                                         self->keyboard));
  adw_bin_set_child (self->invoice_slot, GTK_WIDGET (self->invoice_form));
  watch_form (self, self->invoice_form);
}

/* "Member's language" under the title: what the receipt is printed and emailed in. */
static void
add_language_list (PdIdentifyPage     *self,
                   const char * const *offered)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = gtk_label_new (_("The member’s language, for the receipt:"));
  GtkWidget *title = GTK_WIDGET (self->title_label);
  GtkWidget *row = gtk_center_box_new ();

  self->language_codes = g_ptr_array_new ();
  for (guint i = 0; offered != NULL && offered[i] != NULL; i++)
    {
      const PdLanguage *language = pd_language_lookup (offered[i]);

      if (language == NULL)
        continue;
      gtk_string_list_append (names, language->native_name);
      g_ptr_array_add (self->language_codes, (gpointer) language->code);
    }
  self->language_list = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&names)),
                                                          NULL));
  gtk_widget_set_name (GTK_WIDGET (self->language_list), "member_language");
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->language_list),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL, -1);
  gtk_widget_add_css_class (label, "hint");
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->language_list));
  /* Beside the title, not under it: the member's form keeps to the screen's height. */
  gtk_widget_insert_after (row, gtk_widget_get_parent (title), title);
  g_object_ref (title);
  gtk_widget_unparent (title);
  gtk_center_box_set_center_widget (GTK_CENTER_BOX (row), title);
  g_object_unref (title);
  gtk_center_box_set_end_widget (GTK_CENTER_BOX (row), box);
  g_signal_connect_swapped (self->language_list, "notify::selected",
                            G_CALLBACK (on_language_chosen), self);
}

static PdPage *
new_page (gboolean            counter,
          const char * const *languages)
{
  PdIdentifyPage *self = g_object_new (PD_TYPE_IDENTIFY_PAGE, NULL);

  self->counter = counter;
  self->member_form = PD_FIELD_FORM (pd_field_form_new (
    counter ? counter_member_fields : member_fields,
    counter ? G_N_ELEMENTS (counter_member_fields) : G_N_ELEMENTS (member_fields), 2,
    self->keyboard));
  adw_bin_set_child (self->member_slot, GTK_WIDGET (self->member_form));
  watch_form (self, self->member_form);
  if (counter)
    {
      self->account_zip_form = PD_FIELD_FORM (pd_field_form_new (
        account_zip_fields, G_N_ELEMENTS (account_zip_fields), 1, self->keyboard));
      adw_bin_set_child (self->account_zip_slot, GTK_WIDGET (self->account_zip_form));
      watch_form (self, self->account_zip_form);
      gtk_widget_set_visible (self->account_zip_button, TRUE);
      gtk_widget_add_css_class (self->methods_box, "counter-methods");
      /* An associate's words: the member is beside them, or on the phone. */
      gtk_label_set_label (self->title_label, _("Find the member"));
      gtk_label_set_label (self->question_label, _("How can the member be found?"));
      gtk_label_set_label (self->invoice_label, _("Invoice account and number"));
      gtk_label_set_label (self->member_label, _("Name and date of birth"));
      gtk_label_set_label (self->coupon_label, _("Scan the invoice coupon"));
      gtk_button_set_label (GTK_BUTTON (self->find_button), _("Find the member"));
      add_language_list (self, languages);
    }
  show_method (self, "methods");
  return PD_PAGE (self);
}

PdPage *
pd_identify_page_new (void)
{
  return new_page (FALSE, NULL);
}

PdPage *
pd_identify_page_new_for_counter (const char * const *languages)
{
  return new_page (TRUE, languages);
}
