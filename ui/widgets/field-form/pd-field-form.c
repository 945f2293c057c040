#include <glib/gi18n.h>

#include "pd-field-form.h"

struct _PdFieldForm {
  AdwBin parent_instance;

  PdKeyboard *keyboard;
  GArray *fields;                /* PdFieldSpec */
  GtkEntry *entries[PD_N_FIELDS];
  GtkLabel *errors[PD_N_FIELDS];
};

G_DEFINE_FINAL_TYPE (PdFieldForm, pd_field_form, ADW_TYPE_BIN)

enum {
  SIGNAL_CHANGED,
  SIGNAL_ACTIVATE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const PdFieldSpec *
spec_of (PdFieldForm *self,
         GtkWidget   *entry)
{
  for (guint i = 0; i < self->fields->len; i++)
    {
      const PdFieldSpec *spec = &g_array_index (self->fields, PdFieldSpec, i);

      if (GTK_WIDGET (self->entries[spec->field]) == entry)
        return spec;
    }
  return NULL;
}

static void
on_focus_enter (GtkEventControllerFocus *controller,
                PdFieldForm             *self)
{
  GtkWidget *entry = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  const PdFieldSpec *spec = spec_of (self, entry);

  if (spec == NULL)
    return;
  if (self->keyboard != NULL)
    pd_keyboard_set_layout (self->keyboard, spec->keys);
  if (spec->masked)
    gtk_entry_set_visibility (GTK_ENTRY (entry), TRUE);
}

/* A number typed is hidden once the member moves on, so that the next person in line
 * does not read it over their shoulder. */
static void
on_focus_leave (GtkEventControllerFocus *controller,
                PdFieldForm             *self)
{
  GtkWidget *entry = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  const PdFieldSpec *spec = spec_of (self, entry);

  if (spec != NULL && spec->masked)
    gtk_entry_set_visibility (GTK_ENTRY (entry), FALSE);
}

/* What is said of a field was said of what it held: retyped, the field is heard again. */
static void
on_entry_changed (GtkEditable *entry,
                  PdFieldForm *self)
{
  const PdFieldSpec *spec = spec_of (self, GTK_WIDGET (entry));

  if (spec != NULL)
    pd_field_form_clear_error (self, spec->field);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
on_activate (PdFieldForm *self)
{
  g_signal_emit (self, signals[SIGNAL_ACTIVATE], 0);
}

static void
pd_field_form_dispose (GObject *object)
{
  PdFieldForm *self = PD_FIELD_FORM (object);

  g_clear_object (&self->keyboard);

  G_OBJECT_CLASS (pd_field_form_parent_class)->dispose (object);
}

/* After dispose: the entries' focus handlers read the specs until they are gone. */
static void
pd_field_form_finalize (GObject *object)
{
  PdFieldForm *self = PD_FIELD_FORM (object);

  g_clear_pointer (&self->fields, g_array_unref);

  G_OBJECT_CLASS (pd_field_form_parent_class)->finalize (object);
}

static void
pd_field_form_class_init (PdFieldFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pd_field_form_dispose;
  object_class->finalize = pd_field_form_finalize;

  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 0);
  signals[SIGNAL_ACTIVATE] = g_signal_new ("activate", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 0);
}

static void
pd_field_form_init (PdFieldForm *self)
{
}

GtkWidget *
pd_field_form_new (const PdFieldSpec *fields,
                   guint              n_fields,
                   guint              columns,
                   PdKeyboard        *keyboard)
{
  PdFieldForm *self = g_object_new (PD_TYPE_FIELD_FORM, NULL);
  GtkGrid *grid = GTK_GRID (gtk_grid_new ());

  g_return_val_if_fail (columns > 0, NULL);

  self->keyboard = keyboard != NULL ? g_object_ref (keyboard) : NULL;
  self->fields = g_array_new (FALSE, FALSE, sizeof (PdFieldSpec));
  g_array_append_vals (self->fields, fields, n_fields);
  gtk_grid_set_row_spacing (grid, 4);
  gtk_grid_set_column_spacing (grid, 16);
  gtk_widget_set_halign (GTK_WIDGET (grid), GTK_ALIGN_CENTER);

  for (guint i = 0; i < n_fields; i++)
    {
      GtkWidget *label = gtk_label_new (_(fields[i].label));
      GtkWidget *entry = gtk_entry_new ();
      GtkWidget *error = gtk_label_new (NULL);
      GtkEventController *focus = gtk_event_controller_focus_new ();
      PdField field = fields[i].field;
      int column = (int) (2 * (i % columns));
      int row = (int) (2 * (i / columns));

      gtk_label_set_xalign (GTK_LABEL (label), 1.0);
      /* Another language's longer words go on two lines, not past the screen's edge. */
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_RIGHT);
      gtk_label_set_width_chars (GTK_LABEL (label), 20);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 26);
      gtk_widget_add_css_class (label, "field-label");
      gtk_widget_set_name (entry, pd_field_to_string (field));
      gtk_entry_set_max_length (GTK_ENTRY (entry), fields[i].max_length);
      gtk_widget_add_css_class (entry, "field-entry");
      gtk_widget_set_size_request (entry, columns > 1 ? 300 : 460, -1);
      if (fields[i].keys != PD_KEYBOARD_TEXT)
        {
          gtk_entry_set_input_purpose (GTK_ENTRY (entry), GTK_INPUT_PURPOSE_DIGITS);
          /* Numbers read left to right in every language. */
          gtk_widget_set_direction (entry, GTK_TEXT_DIR_LTR);
        }
      gtk_accessible_update_relation (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                      label, NULL, -1);
      g_signal_connect (entry, "changed", G_CALLBACK (on_entry_changed), self);
      g_signal_connect_swapped (entry, "activate", G_CALLBACK (on_activate), self);
      g_signal_connect (focus, "enter", G_CALLBACK (on_focus_enter), self);
      g_signal_connect (focus, "leave", G_CALLBACK (on_focus_leave), self);
      gtk_widget_add_controller (entry, focus);

      gtk_label_set_wrap (GTK_LABEL (error), TRUE);
      gtk_label_set_xalign (GTK_LABEL (error), 0.0);
      gtk_widget_set_visible (error, FALSE);
      gtk_widget_add_css_class (error, "field-error");

      gtk_grid_attach (grid, label, column, row, 1, 1);
      gtk_grid_attach (grid, entry, column + 1, row, 1, 1);
      gtk_grid_attach (grid, error, column + 1, row + 1, 1, 1);
      self->entries[field] = GTK_ENTRY (entry);
      self->errors[field] = GTK_LABEL (error);
    }

  adw_bin_set_child (ADW_BIN (self), GTK_WIDGET (grid));
  return GTK_WIDGET (self);
}

const char *
pd_field_form_get_text (PdFieldForm *self,
                        PdField      field)
{
  g_return_val_if_fail (PD_IS_FIELD_FORM (self), NULL);
  g_return_val_if_fail (field < PD_N_FIELDS && self->entries[field] != NULL, NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->entries[field]));
}

gboolean
pd_field_form_is_filled (PdFieldForm *self)
{
  g_return_val_if_fail (PD_IS_FIELD_FORM (self), FALSE);

  for (guint i = 0; i < self->fields->len; i++)
    {
      const PdFieldSpec *spec = &g_array_index (self->fields, PdFieldSpec, i);

      if (!spec->optional && *pd_field_form_get_text (self, spec->field) == '\0')
        return FALSE;
    }
  return self->fields->len > 0;
}

gboolean
pd_field_form_show_error (PdFieldForm  *self,
                          const GError *error)
{
  g_return_val_if_fail (PD_IS_FIELD_FORM (self), FALSE);
  g_return_val_if_fail (error != NULL, FALSE);

  if (error->domain != PD_FIELD_ERROR || error->code < 0 || error->code >= PD_N_FIELDS ||
      self->errors[error->code] == NULL)
    return FALSE;

  gtk_label_set_label (self->errors[error->code], error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->errors[error->code]), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->entries[error->code]), "error");
  gtk_widget_grab_focus (GTK_WIDGET (self->entries[error->code]));
  return TRUE;
}

void
pd_field_form_clear_error (PdFieldForm *self,
                           PdField      field)
{
  g_return_if_fail (PD_IS_FIELD_FORM (self));
  g_return_if_fail (field < PD_N_FIELDS);

  if (self->errors[field] == NULL)
    return;
  gtk_widget_set_visible (GTK_WIDGET (self->errors[field]), FALSE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->entries[field]), "error");
}

void
pd_field_form_clear_errors (PdFieldForm *self)
{
  g_return_if_fail (PD_IS_FIELD_FORM (self));

  for (guint i = 0; i < PD_N_FIELDS; i++)
    pd_field_form_clear_error (self, i);
}

void
pd_field_form_forget (PdFieldForm *self)
{
  g_return_if_fail (PD_IS_FIELD_FORM (self));

  for (guint i = 0; i < PD_N_FIELDS; i++)
    if (self->entries[i] != NULL)
      gtk_editable_set_text (GTK_EDITABLE (self->entries[i]), "");
  pd_field_form_clear_errors (self);
}

void
pd_field_form_focus_first (PdFieldForm *self)
{
  g_return_if_fail (PD_IS_FIELD_FORM (self));

  if (self->fields->len > 0)
    gtk_widget_grab_focus (GTK_WIDGET (
      self->entries[g_array_index (self->fields, PdFieldSpec, 0).field]));
}
