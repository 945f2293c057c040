#include <glib/gi18n.h>
#include <sodium.h>

#include "pd-associate.h"
#include "pd-pin-pad.h"

struct _PdPinPad {
  AdwBin parent_instance;

  char pin[PD_PIN_MAX_DIGITS + 1];
  guint length;

  GtkLabel *dots_label;
  GtkGrid *keys;
};

G_DEFINE_FINAL_TYPE (PdPinPad, pd_pin_pad, ADW_TYPE_BIN)

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_dots (PdPinPad *self)
{
  g_autoptr(GString) dots = g_string_new (NULL);
  g_autofree char *described = NULL;

  for (guint i = 0; i < self->length; i++)
    g_string_append (dots, i == 0 ? "●" : " ●");
  gtk_label_set_label (self->dots_label, self->length > 0 ? dots->str : " ");
  described = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u digit entered",
                                            "%u digits entered", self->length), self->length);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->dots_label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, described, -1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pin-pad.erase", self->length > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pin-pad.clear", self->length > 0);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

void
pd_pin_pad_add_digit (PdPinPad *self,
                      char      digit)
{
  g_return_if_fail (PD_IS_PIN_PAD (self));
  g_return_if_fail (g_ascii_isdigit (digit));

  if (self->length >= PD_PIN_MAX_DIGITS)
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }
  self->pin[self->length++] = digit;
  self->pin[self->length] = '\0';
  show_dots (self);
}

void
pd_pin_pad_erase (PdPinPad *self)
{
  g_return_if_fail (PD_IS_PIN_PAD (self));

  if (self->length == 0)
    return;
  self->pin[--self->length] = '\0';
  show_dots (self);
}

void
pd_pin_pad_clear (PdPinPad *self)
{
  g_return_if_fail (PD_IS_PIN_PAD (self));

  sodium_memzero (self->pin, sizeof self->pin);
  self->length = 0;
  show_dots (self);
}

const char *
pd_pin_pad_get_pin (PdPinPad *self)
{
  g_return_val_if_fail (PD_IS_PIN_PAD (self), NULL);

  return self->pin;
}

guint
pd_pin_pad_get_length (PdPinPad *self)
{
  g_return_val_if_fail (PD_IS_PIN_PAD (self), 0);

  return self->length;
}

static void
digit_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  const char *digit = g_variant_get_string (parameter, NULL);

  if (digit[0] != '\0' && digit[1] == '\0' && g_ascii_isdigit (digit[0]))
    pd_pin_pad_add_digit (PD_PIN_PAD (widget), digit[0]);
}

static void
erase_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  pd_pin_pad_erase (PD_PIN_PAD (widget));
}

static void
clear_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  pd_pin_pad_clear (PD_PIN_PAD (widget));
}

static void
pd_pin_pad_dispose (GObject *object)
{
  PdPinPad *self = PD_PIN_PAD (object);

  sodium_memzero (self->pin, sizeof self->pin);
  self->length = 0;

  G_OBJECT_CLASS (pd_pin_pad_parent_class)->dispose (object);
}

static void
pd_pin_pad_class_init (PdPinPadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_pin_pad_dispose;

  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/paydesk/Paydesk/widgets/pin-pad/pd-pin-pad.ui");
  gtk_widget_class_bind_template_child (widget_class, PdPinPad, dots_label);
  gtk_widget_class_bind_template_child (widget_class, PdPinPad, keys);
  gtk_widget_class_install_action (widget_class, "pin-pad.digit", "s", digit_action);
  gtk_widget_class_install_action (widget_class, "pin-pad.erase", NULL, erase_action);
  gtk_widget_class_install_action (widget_class, "pin-pad.clear", NULL, clear_action);
}

static void
pd_pin_pad_init (PdPinPad *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* The telephone's layout, as on a card terminal's PIN pad: 1 2 3 on top. */
  for (int i = 0; i < 10; i++)
    {
      char digit[2] = { (char) ('0' + i), '\0' };
      GtkWidget *key = gtk_button_new_with_label (digit);
      int row = i == 0 ? 3 : (i - 1) / 3;
      int column = i == 0 ? 1 : (i - 1) % 3;

      gtk_actionable_set_action_name (GTK_ACTIONABLE (key), "pin-pad.digit");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (key), "s", digit);
      gtk_widget_add_css_class (key, "pin-key");
      gtk_widget_set_focus_on_click (key, FALSE);
      gtk_grid_attach (self->keys, key, column, row, 1, 1);
    }
  show_dots (self);
}

GtkWidget *
pd_pin_pad_new (void)
{
  return g_object_new (PD_TYPE_PIN_PAD, NULL);
}
