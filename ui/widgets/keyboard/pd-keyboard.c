#include <string.h>

#include <glib/gi18n.h>

#include "pd-keyboard.h"

struct _PdKeyboard {
  AdwBin parent_instance;

  PdKeyboardLayout layout;
  /* Each layout's keys, built the first time it is asked for and kept: a member moving
   * between fields switches layouts many times a visit. */
  GtkStack *layouts;
};

G_DEFINE_FINAL_TYPE (PdKeyboard, pd_keyboard, ADW_TYPE_BIN)

static const char * const digit_rows[] = { "123", "456", "789", "0" };
static const char * const amount_rows[G_N_ELEMENTS (digit_rows)] = { "123", "456", "789", ".0" };
static const char * const text_rows[] = { "1234567890", "QWERTYUIOP", "ASDFGHJKL'", "ZXCVBNM-/" };
static const char * const email_rows[G_N_ELEMENTS (text_rows)] = {
  "1234567890", "qwertyuiop", "asdfghjkl_", "zxcvbnm-.@" };

static GtkEditable *
focused_editable (PdKeyboard *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  return focus != NULL && GTK_IS_EDITABLE (focus) ? GTK_EDITABLE (focus) : NULL;
}

static void
keyboard_type (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  GtkEditable *editable = focused_editable (PD_KEYBOARD (widget));
  int position;

  if (editable == NULL || !gtk_editable_get_editable (editable))
    return;
  position = gtk_editable_get_position (editable);
  gtk_editable_insert_text (editable, g_variant_get_string (parameter, NULL), -1, &position);
  gtk_editable_set_position (editable, position);
}

static void
keyboard_erase (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  GtkEditable *editable = focused_editable (PD_KEYBOARD (widget));
  int position;

  if (editable == NULL || !gtk_editable_get_editable (editable))
    return;
  position = gtk_editable_get_position (editable);
  if (position > 0)
    gtk_editable_delete_text (editable, position - 1, position);
}

static GtkWidget *
key_button (const char *label,
            const char *action_name,
            GVariant   *target)
{
  GtkWidget *button = gtk_button_new_with_label (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action_name);
  if (target != NULL)
    gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), target);
  /* The field being typed into keeps the focus. */
  gtk_widget_set_focusable (button, FALSE);
  gtk_widget_set_focus_on_click (button, FALSE);
  gtk_widget_add_css_class (button, "key");
  return button;
}

static const char *
layout_name (PdKeyboardLayout layout)
{
  switch (layout)
    {
    case PD_KEYBOARD_DIGITS: return "digits";
    case PD_KEYBOARD_AMOUNT: return "amount";
    case PD_KEYBOARD_EMAIL: return "email";
    case PD_KEYBOARD_TEXT:
    default: return "text";
    }
}

static GtkWidget *
build (PdKeyboard *self)
{
  gboolean keypad = self->layout == PD_KEYBOARD_DIGITS || self->layout == PD_KEYBOARD_AMOUNT;
  const char * const *rows = self->layout == PD_KEYBOARD_DIGITS ? digit_rows
                             : self->layout == PD_KEYBOARD_AMOUNT ? amount_rows
                             : self->layout == PD_KEYBOARD_EMAIL ? email_rows : text_rows;
  guint n_rows = keypad ? G_N_ELEMENTS (digit_rows) : G_N_ELEMENTS (text_rows);
  GtkGrid *grid = GTK_GRID (gtk_grid_new ());
  GtkWidget *erase;
  guint last_row_length = 0;

  gtk_grid_set_row_spacing (grid, 8);
  gtk_grid_set_column_spacing (grid, 8);
  gtk_widget_set_halign (GTK_WIDGET (grid), GTK_ALIGN_CENTER);
  /* Keys keep their places under a right-to-left language: 1 2 3, not 3 2 1. */
  gtk_widget_set_direction (GTK_WIDGET (grid), GTK_TEXT_DIR_LTR);

  for (guint row = 0; row < n_rows; row++)
    {
      const char *keys = rows[row];

      for (guint column = 0; keys[column] != '\0'; column++)
        {
          char text[2] = { keys[column], '\0' };
          /* The keypad's lone 0 sits under the 8, as on a telephone. */
          guint at = self->layout == PD_KEYBOARD_DIGITS && row == n_rows - 1 ? 1 : column;

          gtk_grid_attach (grid, key_button (text, "keyboard.type",
                                             g_variant_new_string (text)), (int) at, (int) row,
                           1, 1);
        }
      last_row_length = (guint) strlen (keys);
    }

  erase = key_button (_("Erase"), "keyboard.erase", NULL);
  gtk_button_set_icon_name (GTK_BUTTON (erase), "edit-clear-symbolic");
  gtk_widget_add_css_class (erase, "erase-key");
  gtk_accessible_update_property (GTK_ACCESSIBLE (erase), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Erase"), -1);
  if (keypad)
    gtk_grid_attach (grid, erase, 2, (int) n_rows - 1, 1, 1);
  else
    {
      gtk_grid_attach (grid, erase, (int) last_row_length, (int) n_rows - 1, 2, 1);
      /* An address has no spaces; a name does. */
      if (self->layout == PD_KEYBOARD_TEXT)
        gtk_grid_attach (grid, key_button (_("Space"), "keyboard.type",
                                           g_variant_new_string (" ")), 2, (int) n_rows, 6, 1);
      else
        gtk_grid_attach (grid, key_button (".com", "keyboard.type",
                                           g_variant_new_string (".com")), 2, (int) n_rows, 6, 1);
    }

  return GTK_WIDGET (grid);
}

static void
show_layout (PdKeyboard *self)
{
  const char *name = layout_name (self->layout);

  if (gtk_stack_get_child_by_name (self->layouts, name) == NULL)
    gtk_stack_add_named (self->layouts, build (self), name);
  gtk_stack_set_visible_child_name (self->layouts, name);
}

static void
pd_keyboard_class_init (PdKeyboardClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "keyboard.type", "s", keyboard_type);
  gtk_widget_class_install_action (widget_class, "keyboard.erase", NULL, keyboard_erase);
  gtk_widget_class_set_css_name (widget_class, "keyboard");
}

static void
pd_keyboard_init (PdKeyboard *self)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("On-screen keyboard"), -1);
  self->layouts = GTK_STACK (gtk_stack_new ());
  /* Each layout takes its own room: the keypad is not as wide as the letters. */
  gtk_stack_set_hhomogeneous (self->layouts, FALSE);
  gtk_stack_set_vhomogeneous (self->layouts, FALSE);
  adw_bin_set_child (ADW_BIN (self), GTK_WIDGET (self->layouts));
}

GtkWidget *
pd_keyboard_new (PdKeyboardLayout layout)
{
  PdKeyboard *self = g_object_new (PD_TYPE_KEYBOARD, NULL);

  self->layout = layout;
  show_layout (self);
  return GTK_WIDGET (self);
}

void
pd_keyboard_set_layout (PdKeyboard       *self,
                        PdKeyboardLayout  layout)
{
  g_return_if_fail (PD_IS_KEYBOARD (self));

  self->layout = layout;
  show_layout (self);
}
