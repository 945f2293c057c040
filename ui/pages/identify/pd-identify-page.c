#include <glib/gi18n.h>

#include "pd-identify-page.h"
#include "pd-identity.h"
#include "pd-keyboard.h"

#define N_FIELDS (PD_FIELD_ACCOUNT_HOLDER + 1)

typedef struct {
  PdField field;
  const char *label;
  PdKeyboardLayout keys;
  int max_length;
} FieldSpec;

/* Each way of being found, as the plan's invoice and member ID card show it. */
static const FieldSpec invoice_fields[] = {
  { PD_FIELD_INVOICE_ACCOUNT, N_("Invoice account number"), PD_KEYBOARD_DIGITS, 12 },
  { PD_FIELD_INVOICE_NUMBER, N_("Invoice number"), PD_KEYBOARD_TEXT, 14 },
};

static const FieldSpec member_fields[] = {
  { PD_FIELD_MEMBER_ID, N_("Member ID (11 digits)"), PD_KEYBOARD_DIGITS, 11 },
  { PD_FIELD_ZIP, N_("ZIP code"), PD_KEYBOARD_DIGITS, 5 },
  { PD_FIELD_DATE_OF_BIRTH, N_("Date of birth (MM/DD/YYYY)"), PD_KEYBOARD_TEXT, 10 },
  { PD_FIELD_FIRST_NAME, N_("First name"), PD_KEYBOARD_TEXT, 40 },
  { PD_FIELD_LAST_NAME, N_("Last name"), PD_KEYBOARD_TEXT, 40 },
};

struct _PdIdentifyPage {
  PdPage parent_instance;

  GtkStack *method_stack;
  GtkGrid *invoice_grid;
  GtkGrid *member_grid;
  GtkLabel *message_label;
  AdwBin *keyboard_slot;
  GtkWidget *other_way_button;
  GtkWidget *find_button;
  GtkSpinner *spinner;
  PdKeyboard *keyboard;

  GtkEntry *entries[N_FIELDS];
  GtkLabel *errors[N_FIELDS];
};

G_DEFINE_FINAL_TYPE (PdIdentifyPage, pd_identify_page, PD_TYPE_PAGE)

static const char *
current_method (PdIdentifyPage *self)
{
  return gtk_stack_get_visible_child_name (self->method_stack);
}

static const FieldSpec *
fields_of (const char *method,
           guint      *n_fields)
{
  if (g_strcmp0 (method, "invoice") == 0)
    {
      *n_fields = G_N_ELEMENTS (invoice_fields);
      return invoice_fields;
    }
  if (g_strcmp0 (method, "member") == 0)
    {
      *n_fields = G_N_ELEMENTS (member_fields);
      return member_fields;
    }
  *n_fields = 0;
  return NULL;
}

static const char *
text_of (PdIdentifyPage *self,
         PdField         field)
{
  return gtk_editable_get_text (GTK_EDITABLE (self->entries[field]));
}

static void
update_complete (PdIdentifyPage *self)
{
  guint n_fields;
  const FieldSpec *fields = fields_of (current_method (self), &n_fields);
  gboolean complete = n_fields > 0;

  for (guint i = 0; i < n_fields; i++)
    if (*text_of (self, fields[i].field) == '\0')
      complete = FALSE;
  pd_page_set_complete (PD_PAGE (self), complete);
}

static void
say (PdIdentifyPage *self,
     const char     *message)
{
  gtk_label_set_label (self->message_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);
}

static void
clear_errors (PdIdentifyPage *self)
{
  for (guint i = 0; i < N_FIELDS; i++)
    if (self->errors[i] != NULL)
      {
        gtk_widget_set_visible (GTK_WIDGET (self->errors[i]), FALSE);
        gtk_widget_remove_css_class (GTK_WIDGET (self->entries[i]), "error");
      }
}

/* Beside the field it is about, in the validator's words. */
static void
show_field_error (PdIdentifyPage *self,
                  const GError   *error)
{
  if (error->domain == PD_FIELD_ERROR && error->code >= 0 && error->code < N_FIELDS &&
      self->errors[error->code] != NULL)
    {
      gtk_label_set_label (self->errors[error->code], error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->errors[error->code]), TRUE);
      gtk_widget_add_css_class (GTK_WIDGET (self->entries[error->code]), "error");
      gtk_widget_grab_focus (GTK_WIDGET (self->entries[error->code]));
      return;
    }
  say (self, error->message);
}

static void
on_entry_focused (GtkEventControllerFocus *controller,
                  PdIdentifyPage          *self)
{
  GtkWidget *entry = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));

  pd_keyboard_set_layout (self->keyboard,
                          GPOINTER_TO_INT (g_object_get_data (G_OBJECT (entry), "keys")));
}

/* Enter on a hardware keyboard goes on, as the button does. */
static void
on_entry_activated (PdIdentifyPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "flow.next", NULL);
}

/* Fields in rows of `columns`, each with its label before it and its error under it: the
 * member ID card's five fit above the keyboard on a 1280x800 screen. */
static void
add_fields (PdIdentifyPage  *self,
            GtkGrid         *grid,
            const FieldSpec *fields,
            guint            n_fields,
            guint            columns)
{
  for (guint i = 0; i < n_fields; i++)
    {
      GtkWidget *label = gtk_label_new (_(fields[i].label));
      GtkWidget *entry = gtk_entry_new ();
      GtkWidget *error = gtk_label_new (NULL);
      GtkEventController *focus = gtk_event_controller_focus_new ();
      PdField field = fields[i].field;

      gtk_label_set_xalign (GTK_LABEL (label), 1.0);
      gtk_widget_add_css_class (label, "field-label");
      gtk_widget_set_name (entry, pd_field_to_string (field));
      gtk_entry_set_max_length (GTK_ENTRY (entry), fields[i].max_length);
      gtk_widget_add_css_class (entry, "field-entry");
      gtk_widget_set_size_request (entry, columns > 1 ? 300 : 460, -1);
      if (fields[i].keys == PD_KEYBOARD_DIGITS)
        {
          gtk_entry_set_input_purpose (GTK_ENTRY (entry), GTK_INPUT_PURPOSE_DIGITS);
          /* Numbers read left to right in every language. */
          gtk_widget_set_direction (entry, GTK_TEXT_DIR_LTR);
        }
      g_object_set_data (G_OBJECT (entry), "keys", GINT_TO_POINTER (fields[i].keys));
      gtk_accessible_update_relation (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                      label, NULL, -1);
      g_signal_connect_swapped (entry, "changed", G_CALLBACK (update_complete), self);
      g_signal_connect_swapped (entry, "activate", G_CALLBACK (on_entry_activated), self);
      g_signal_connect (focus, "enter", G_CALLBACK (on_entry_focused), self);
      gtk_widget_add_controller (entry, focus);

      gtk_label_set_wrap (GTK_LABEL (error), TRUE);
      gtk_label_set_xalign (GTK_LABEL (error), 0.0);
      gtk_widget_set_visible (error, FALSE);
      gtk_widget_add_css_class (error, "field-error");

      gtk_grid_attach (grid, label, (int) (2 * (i % columns)), (int) (2 * (i / columns)), 1, 1);
      gtk_grid_attach (grid, entry, (int) (2 * (i % columns) + 1), (int) (2 * (i / columns)),
                       1, 1);
      gtk_grid_attach (grid, error, (int) (2 * (i % columns) + 1),
                       (int) (2 * (i / columns) + 1), 1, 1);
      self->entries[field] = GTK_ENTRY (entry);
      self->errors[field] = GTK_LABEL (error);
    }
}

static void
show_method (PdIdentifyPage *self,
             const char     *method)
{
  guint n_fields;
  const FieldSpec *fields = fields_of (method, &n_fields);

  gtk_stack_set_visible_child_name (self->method_stack, method);
  clear_errors (self);
  say (self, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->keyboard_slot), n_fields > 0);
  gtk_widget_set_visible (self->other_way_button, n_fields > 0);
  gtk_widget_set_visible (self->find_button, n_fields > 0);
  if (n_fields > 0)
    gtk_widget_grab_focus (GTK_WIDGET (self->entries[fields[0].field]));
  update_complete (self);
}

static void
choose_method (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  show_method (PD_IDENTIFY_PAGE (widget), g_variant_get_string (parameter, NULL));
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
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_boolean (task, FALSE);
      return;
    }

  visit = pd_page_get_visit (PD_PAGE (self));
  gtk_spinner_stop (self->spinner);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);

  if (lookup == NULL)
    {
      say (self, error->message);
      g_task_return_boolean (task, FALSE);
      return;
    }

  switch (lookup->outcome)
    {
    case PD_LOOKUP_FOUND:
      say (self, NULL);
      pd_visit_set_member (visit, lookup->first_name, lookup->last_name, lookup->accounts);
      g_task_return_boolean (task, TRUE);
      return;
    case PD_LOOKUP_NOT_FOUND:
      pd_visit_count_failed_lookup (visit);
      say (self, pd_visit_should_suggest_help (visit)
                 ? _("We still could not find you. Please ask an associate at the counter: "
                     "they can find your account another way.")
                 : _("We could not find an account with these details. Check each one "
                     "against your invoice or member ID card and try again."));
      break;
    case PD_LOOKUP_AMBIGUOUS:
      pd_visit_count_failed_lookup (visit);
      say (self, pd_visit_should_suggest_help (visit)
                 ? _("More than one member matches these details. Please ask an associate "
                     "at the counter to help you.")
                 : _("More than one member matches these details. Use your invoice instead, "
                     "or check your member ID."));
      break;
    }
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
  say (self, NULL);
  if (g_str_equal (current_method (self), "invoice"))
    identification = pd_identification_new_invoice (text_of (self, PD_FIELD_INVOICE_ACCOUNT),
                                                    text_of (self, PD_FIELD_INVOICE_NUMBER),
                                                    &error);
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
      say (self, _("This kiosk is still starting. Please try again in a moment."));
      g_task_return_boolean (task, FALSE);
      return;
    }

  say (self, _("Looking for your account…"));
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
  for (guint i = 0; i < N_FIELDS; i++)
    if (self->entries[i] != NULL)
      gtk_editable_set_text (GTK_EDITABLE (self->entries[i]), "");
}

static void
on_visit_member_changed (PdIdentifyPage *self)
{
  PdVisit *visit = pd_page_get_visit (PD_PAGE (self));

  /* A wiped visit leaves nothing typed behind. */
  if (!pd_visit_has_member (visit) && pd_visit_get_failed_lookups (visit) == 0)
    {
      forget_fields (self);
      show_method (self, "methods");
    }
}

static void
pd_identify_page_shown (PdPage *page)
{
  PdIdentifyPage *self = PD_IDENTIFY_PAGE (page);
  PdVisit *visit = pd_page_get_visit (page);

  if (g_object_get_data (G_OBJECT (self), "watching") == NULL)
    {
      g_signal_connect_object (visit, "notify::failed-lookups",
                               G_CALLBACK (on_visit_member_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (visit, "notify::has-member",
                               G_CALLBACK (on_visit_member_changed), self, G_CONNECT_SWAPPED);
      g_object_set_data (G_OBJECT (self), "watching", GINT_TO_POINTER (TRUE));
    }
  update_complete (self);
}

static void
pd_identify_page_class_init (PdIdentifyPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  PdPageClass *page_class = PD_PAGE_CLASS (klass);

  page_class->apply_async = pd_identify_page_apply_async;
  page_class->apply_finish = pd_identify_page_apply_finish;
  page_class->shown = pd_identify_page_shown;

  g_type_ensure (PD_TYPE_KEYBOARD);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/paydesk/Paydesk/pages/identify/pd-identify-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PdIdentifyPage, method_stack);
  gtk_widget_class_bind_template_child (widget_class, PdIdentifyPage, invoice_grid);
  gtk_widget_class_bind_template_child (widget_class, PdIdentifyPage, member_grid);
  gtk_widget_class_bind_template_child (widget_class, PdIdentifyPage, message_label);
  gtk_widget_class_bind_template_child (widget_class, PdIdentifyPage, keyboard_slot);
  gtk_widget_class_bind_template_child (widget_class, PdIdentifyPage, other_way_button);
  gtk_widget_class_bind_template_child (widget_class, PdIdentifyPage, find_button);
  gtk_widget_class_bind_template_child (widget_class, PdIdentifyPage, spinner);
  gtk_widget_class_install_action (widget_class, "identify.method", "s", choose_method);
}

static void
pd_identify_page_init (PdIdentifyPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->keyboard = PD_KEYBOARD (pd_keyboard_new (PD_KEYBOARD_TEXT));
  adw_bin_set_child (self->keyboard_slot, GTK_WIDGET (self->keyboard));
  add_fields (self, self->invoice_grid, invoice_fields, G_N_ELEMENTS (invoice_fields), 1);
  add_fields (self, self->member_grid, member_fields, G_N_ELEMENTS (member_fields), 2);
  show_method (self, "methods");
}

PdPage *
pd_identify_page_new (void)
{
  return g_object_new (PD_TYPE_IDENTIFY_PAGE, NULL);
}
