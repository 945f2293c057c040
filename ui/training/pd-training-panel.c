#include <glib/gi18n.h>

#include "pd-training-panel.h"

struct _PdTrainingPanel {
  AdwBin parent_instance;

  GtkLabel *message_label;
  AdwPreferencesGroup *cards_group;
  AdwPreferencesGroup *checks_group;
  AdwPreferencesGroup *coupons_group;
  GtkLabel *card_label;
  GtkWidget *remove_card_button;
  GtkSwitch *paper_switch;

  PdTrainingDevices *devices;
  GCancellable *cancellable;
  /* Set while the switch is moved to what the printer is, not by a person. */
  gboolean updating_switch;
};

G_DEFINE_FINAL_TYPE (PdTrainingPanel, pd_training_panel, ADW_TYPE_BIN)

static void
show_message (PdTrainingPanel *self,
              const GError    *error)
{
  gtk_label_set_label (self->message_label, error != NULL ? error->message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), error != NULL);
}

static void
show_card (PdTrainingPanel *self)
{
  const char *card = pd_training_devices_get_card (self->devices);
  g_autofree char *label = NULL;

  if (card != NULL)
    label = g_strdup_printf (_("In the reader: %s"), card);
  gtk_label_set_label (self->card_label, label != NULL ? label : _("No card in the reader."));
  gtk_widget_set_sensitive (self->remove_card_button, card != NULL);
}

static void
show_paper (PdTrainingPanel *self)
{
  self->updating_switch = TRUE;
  gtk_switch_set_active (self->paper_switch, pd_training_devices_get_paper_out (self->devices));
  self->updating_switch = FALSE;
}

static GtkWidget *
item_row (const PdTrainingItem *item,
          const char           *button_label,
          const char           *action_name,
          const char           *button_name)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_with_label (button_label);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), item->name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), item->description);
  gtk_widget_set_name (button, button_name);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action_name);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", item->name);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), button);
  return row;
}

static void
listed (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(PdTrainingPanel) self = user_data;
  g_autoptr(GPtrArray) cards = NULL;
  g_autoptr(GPtrArray) checks = NULL;
  g_autoptr(GPtrArray) coupons = NULL;
  g_autoptr(GError) error = NULL;

  if (!pd_training_devices_list_finish (PD_TRAINING_DEVICES (source), result, &cards, &checks,
                                        &coupons, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_message (self, error);
      return;
    }
  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  for (guint i = 0; i < cards->len; i++)
    {
      const PdTrainingItem *card = g_ptr_array_index (cards, i);
      g_autofree char *name = g_strdup_printf ("card_%s", card->name);

      adw_preferences_group_add (self->cards_group,
                                 item_row (card, card->contactless ? _("Tap") : _("Insert"),
                                           "training.insert-card", name));
    }
  for (guint i = 0; i < checks->len; i++)
    {
      const PdTrainingItem *check = g_ptr_array_index (checks, i);
      g_autofree char *name = g_strdup_printf ("check_%s", check->name);

      adw_preferences_group_add (self->checks_group,
                                 item_row (check, _("Put in the slot"), "training.feed-check",
                                           name));
    }
  for (guint i = 0; i < coupons->len; i++)
    {
      const PdTrainingItem *coupon = g_ptr_array_index (coupons, i);
      g_autofree char *name = g_strdup_printf ("coupon_%s", coupon->name);

      adw_preferences_group_add (self->coupons_group,
                                 item_row (coupon, _("Scan"), "training.scan-coupon", name));
    }
  show_paper (self);
}

static void
card_inserted (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(PdTrainingPanel) self = user_data;
  g_autoptr(GError) error = NULL;

  pd_training_devices_insert_card_finish (PD_TRAINING_DEVICES (source), result, &error);
  /* Done after the panel went away: nothing left to show it on. */
  if (self->devices == NULL)
    return;
  show_message (self, error);
}

static void
insert_card (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PdTrainingPanel *self = PD_TRAINING_PANEL (widget);

  show_message (self, NULL);
  pd_training_devices_insert_card_async (self->devices, g_variant_get_string (parameter, NULL),
                                         card_inserted, g_object_ref (self));
}

static void
remove_card (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  pd_training_devices_remove_card (PD_TRAINING_PANEL (widget)->devices);
}

static void
check_fed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(PdTrainingPanel) self = user_data;
  g_autoptr(GError) error = NULL;

  pd_training_devices_feed_check_finish (PD_TRAINING_DEVICES (source), result, &error);
  /* Done after the panel went away: nothing left to show it on. */
  if (self->devices == NULL)
    return;
  show_message (self, error);
}

static void
feed_check (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  PdTrainingPanel *self = PD_TRAINING_PANEL (widget);

  show_message (self, NULL);
  pd_training_devices_feed_check_async (self->devices, g_variant_get_string (parameter, NULL),
                                        check_fed, g_object_ref (self));
}

static void
coupon_scanned (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(PdTrainingPanel) self = user_data;
  g_autoptr(GError) error = NULL;

  pd_training_devices_scan_coupon_finish (PD_TRAINING_DEVICES (source), result, &error);
  /* Done after the panel went away: nothing left to show it on. */
  if (self->devices == NULL)
    return;
  show_message (self, error);
}

static void
scan_coupon (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PdTrainingPanel *self = PD_TRAINING_PANEL (widget);

  show_message (self, NULL);
  pd_training_devices_scan_coupon_async (self->devices, g_variant_get_string (parameter, NULL),
                                         coupon_scanned, g_object_ref (self));
}

static void
paper_set (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(PdTrainingPanel) self = user_data;
  g_autoptr(GError) error = NULL;

  pd_training_devices_set_paper_out_finish (PD_TRAINING_DEVICES (source), result, &error);
  /* Done after the panel went away: nothing left to show it on. */
  if (self->devices == NULL)
    return;
  show_message (self, error);
  show_paper (self);
}

static void
set_paper_out (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PdTrainingPanel *self = PD_TRAINING_PANEL (widget);

  pd_training_devices_set_paper_out_async (self->devices, g_variant_get_boolean (parameter),
                                           paper_set, g_object_ref (self));
}

static void
on_switch_active (PdTrainingPanel *self)
{
  if (!self->updating_switch)
    gtk_widget_activate_action (GTK_WIDGET (self), "training.paper-out", "b",
                                gtk_switch_get_active (self->paper_switch));
}

static void
pd_training_panel_dispose (GObject *object)
{
  PdTrainingPanel *self = PD_TRAINING_PANEL (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->devices != NULL)
    g_signal_handlers_disconnect_by_data (self->devices, self);
  g_clear_object (&self->devices);
  gtk_widget_dispose_template (GTK_WIDGET (self), PD_TYPE_TRAINING_PANEL);

  G_OBJECT_CLASS (pd_training_panel_parent_class)->dispose (object);
}

static void
pd_training_panel_class_init (PdTrainingPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_training_panel_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/paydesk/Paydesk/training/pd-training-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, PdTrainingPanel, message_label);
  gtk_widget_class_bind_template_child (widget_class, PdTrainingPanel, cards_group);
  gtk_widget_class_bind_template_child (widget_class, PdTrainingPanel, checks_group);
  gtk_widget_class_bind_template_child (widget_class, PdTrainingPanel, coupons_group);
  gtk_widget_class_bind_template_child (widget_class, PdTrainingPanel, card_label);
  gtk_widget_class_bind_template_child (widget_class, PdTrainingPanel, remove_card_button);
  gtk_widget_class_bind_template_child (widget_class, PdTrainingPanel, paper_switch);
  gtk_widget_class_install_action (widget_class, "training.insert-card", "s", insert_card);
  gtk_widget_class_install_action (widget_class, "training.remove-card", NULL, remove_card);
  gtk_widget_class_install_action (widget_class, "training.feed-check", "s", feed_check);
  gtk_widget_class_install_action (widget_class, "training.scan-coupon", "s", scan_coupon);
  gtk_widget_class_install_action (widget_class, "training.paper-out", "b", set_paper_out);
}

static void
pd_training_panel_init (PdTrainingPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  g_signal_connect_swapped (self->paper_switch, "notify::active", G_CALLBACK (on_switch_active),
                            self);
}

GtkWidget *
pd_training_panel_new (PdTrainingDevices *devices)
{
  PdTrainingPanel *self;

  g_return_val_if_fail (PD_IS_TRAINING_DEVICES (devices), NULL);

  self = g_object_new (PD_TYPE_TRAINING_PANEL, NULL);
  self->devices = g_object_ref (devices);
  g_signal_connect_swapped (devices, "notify::card", G_CALLBACK (show_card), self);
  g_signal_connect_swapped (devices, "notify::paper-out", G_CALLBACK (show_paper), self);
  show_card (self);
  pd_training_devices_list_async (devices, self->cancellable, listed, g_object_ref (self));
  return GTK_WIDGET (self);
}

PdTrainingDevices *
pd_training_panel_get_devices (PdTrainingPanel *self)
{
  g_return_val_if_fail (PD_IS_TRAINING_PANEL (self), NULL);

  return self->devices;
}
