#include <glib/gi18n.h>

#include "pd-devices-page.h"
#include "pd-page.h"
#include "pd-printer-test-page.h"
#include "pd-reader-monitor.h"

struct _PdDevicesPage {
  AdwBin parent_instance;

  PdTerminal *terminal;
  PdPeripherals *peripherals;
  PdReaderMonitor *monitor;
  /* Reader name → whether a card is in it. */
  GHashTable *readers;
  GCancellable *cancellable;
  gboolean busy;

  GtkBox *readers_box;
  GtkBox *peripherals_box;
  GtkLabel *message_label;
  GtkSpinner *spinner;
};

G_DEFINE_FINAL_TYPE (PdDevicesPage, pd_devices_page, ADW_TYPE_BIN)

static GtkWidget *
line (const char *text,
      const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static void
update_actions (PdDevicesPage *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "devices.test-print",
                                 self->peripherals != NULL && !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "devices.refresh",
                                 self->peripherals != NULL);
  gtk_spinner_set_spinning (self->spinner, self->busy);
}

static void
show_readers (PdDevicesPage *self)
{
  g_autoptr(GList) names = NULL;

  pd_page_remove_children (GTK_WIDGET (self->readers_box));
  if (self->monitor == NULL || !pd_reader_monitor_get_service_available (self->monitor))
    {
      gtk_box_append (self->readers_box,
                      line (_("The card reader service (pcscd) is not running: cards cannot be "
                              "read. Restart the terminal; if it stays, call support."),
                            "report-difference"));
      return;
    }
  names = g_list_sort (g_hash_table_get_keys (self->readers), (GCompareFunc) g_strcmp0);
  if (names == NULL)
    gtk_box_append (self->readers_box,
                    line (_("No card reader is plugged in: plug it in and check its USB cable."),
                          "report-difference"));
  for (GList *l = names; l != NULL; l = l->next)
    {
      gboolean card = GPOINTER_TO_INT (g_hash_table_lookup (self->readers, l->data));
      g_autofree char *text = g_strdup_printf (card ? _("%s: a card is in it.")
                                                    : _("%s: ready, no card in it."),
                                               (const char *) l->data);
      GtkWidget *label = line (text, "report-cell");

      gtk_widget_set_name (label, "card_reader");
      gtk_box_append (self->readers_box, label);
    }
}

static void
on_reader_added (PdDevicesPage *self,
                 const char    *reader)
{
  g_hash_table_replace (self->readers, g_strdup (reader), GINT_TO_POINTER (FALSE));
  show_readers (self);
}

static void
on_reader_removed (PdDevicesPage *self,
                   const char    *reader)
{
  g_hash_table_remove (self->readers, reader);
  show_readers (self);
}

static void
on_card_inserted (PdDevicesPage *self,
                  const char    *reader,
                  GBytes        *atr)
{
  g_hash_table_replace (self->readers, g_strdup (reader), GINT_TO_POINTER (TRUE));
  show_readers (self);
}

static void
on_card_removed (PdDevicesPage *self,
                 const char    *reader)
{
  if (g_hash_table_contains (self->readers, reader))
    g_hash_table_replace (self->readers, g_strdup (reader), GINT_TO_POINTER (FALSE));
  show_readers (self);
}

static void
show_peripherals (PdDevicesPage *self)
{
  g_autoptr(GPtrArray) infos = NULL;

  pd_page_remove_children (GTK_WIDGET (self->peripherals_box));
  if (self->peripherals == NULL)
    {
      const GError *error = self->terminal != NULL
                            ? pd_terminal_get_peripherals_error (self->terminal) : NULL;

      gtk_box_append (self->peripherals_box,
                      line (error != NULL ? error->message
                                          : _("Looking for the printer and the check scanner…"),
                            NULL));
      return;
    }
  infos = pd_peripherals_list (self->peripherals);
  for (guint i = 0; i < infos->len; i++)
    {
      PdPeripheralInfo *info = g_ptr_array_index (infos, i);
      g_autofree char *health = pd_device_health_to_string (info->health);
      g_autofree char *title = g_strdup_printf (
        info->kind == PD_PERIPHERAL_PRINTER ? _("Receipt printer: %s") : _("Check scanner: %s"),
        info->name != NULL ? info->name : info->setting);
      g_autofree char *where = g_strdup_printf (_("%s · %s"),
                                                info->location != NULL ? info->location : "—",
                                                health);
      gboolean ready = (info->health & PD_DEVICE_HEALTH_READY) &&
                       !(info->health & (PD_DEVICE_HEALTH_PAPER_OUT |
                                         PD_DEVICE_HEALTH_COVER_OPEN |
                                         PD_DEVICE_HEALTH_ERROR));
      GtkWidget *advice = line (pd_peripheral_info_advice (info),
                                ready ? "report-cell" : "report-difference");

      gtk_widget_set_name (advice, info->kind == PD_PERIPHERAL_PRINTER ? "printer_advice"
                                                                       : "scanner_advice");
      gtk_box_append (self->peripherals_box, line (title, "report-heading"));
      gtk_box_append (self->peripherals_box, line (where, "dim-label"));
      if (info->detail != NULL)
        gtk_box_append (self->peripherals_box, line (info->detail, NULL));
      gtk_box_append (self->peripherals_box, advice);
    }
}

static void
refresh (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  PdDevicesPage *self = PD_DEVICES_PAGE (widget);

  pd_page_show_message (self->message_label, NULL);
  /* The answer comes back as "changed". */
  if (self->peripherals != NULL)
    pd_peripherals_refresh (self->peripherals);
}

static void
test_print_thread (GTask        *task,
                   gpointer      source,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  PdTerminal *terminal = task_data;
  g_autoptr(PdPrinter) printer = NULL;
  g_autoptr(PdPrinterProfile) profile = NULL;
  g_autoptr(GBytes) page = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  GError *error = NULL;

  if (!(printer = pd_peripherals_dup_printer (pd_terminal_get_peripherals (terminal), &error)))
    {
      g_task_return_error (task, error);
      return;
    }
  profile = pd_printer_dup_profile (printer);
  if (!(page = pd_printer_test_page_build (profile, pd_config_get_terminal_id (
                                             pd_terminal_get_config (terminal)), now, &error)) ||
      !pd_printer_print (printer, page, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
test_printed (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  PdDevicesPage *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->busy = FALSE;
  update_actions (self);
  pd_page_show_message (self->message_label, error != NULL ? error->message
                           : _("The test page is printed: every line should be whole and "
                               "sharp."));
  pd_peripherals_refresh (self->peripherals);
}

static void
test_print (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  PdDevicesPage *self = PD_DEVICES_PAGE (widget);
  g_autoptr(GTask) task = NULL;

  if (self->peripherals == NULL || self->busy)
    return;
  self->busy = TRUE;
  pd_page_show_message (self->message_label, NULL);
  update_actions (self);
  task = g_task_new (NULL, self->cancellable, test_printed, self);
  g_task_set_task_data (task, g_object_ref (self->terminal), g_object_unref);
  g_task_run_in_thread (task, test_print_thread);
}

static void
pd_devices_page_dispose (GObject *object)
{
  PdDevicesPage *self = PD_DEVICES_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->monitor != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->monitor, self);
      pd_reader_monitor_stop (self->monitor);
    }
  g_clear_object (&self->monitor);
  if (self->peripherals != NULL)
    g_signal_handlers_disconnect_by_data (self->peripherals, self);
  g_clear_object (&self->peripherals);
  g_clear_object (&self->terminal);
  g_clear_pointer (&self->readers, g_hash_table_unref);

  G_OBJECT_CLASS (pd_devices_page_parent_class)->dispose (object);
}

static void
pd_devices_page_class_init (PdDevicesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_devices_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/paydesk/Paydesk/pages/devices/pd-devices-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PdDevicesPage, readers_box);
  gtk_widget_class_bind_template_child (widget_class, PdDevicesPage, peripherals_box);
  gtk_widget_class_bind_template_child (widget_class, PdDevicesPage, message_label);
  gtk_widget_class_bind_template_child (widget_class, PdDevicesPage, spinner);
  gtk_widget_class_install_action (widget_class, "devices.refresh", NULL, refresh);
  gtk_widget_class_install_action (widget_class, "devices.test-print", NULL, test_print);
}

static void
pd_devices_page_init (PdDevicesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->readers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  pd_page_show_message (self->message_label, NULL);
  show_readers (self);
  show_peripherals (self);
  update_actions (self);
}

GtkWidget *
pd_devices_page_new (void)
{
  return g_object_new (PD_TYPE_DEVICES_PAGE, NULL);
}

void
pd_devices_page_set_terminal (PdDevicesPage *self,
                              PdTerminal    *terminal)
{
  g_return_if_fail (PD_IS_DEVICES_PAGE (self));
  g_return_if_fail (PD_IS_TERMINAL (terminal));
  g_return_if_fail (self->terminal == NULL);

  self->terminal = g_object_ref (terminal);
  if (pd_terminal_get_peripherals (terminal) != NULL)
    {
      self->peripherals = g_object_ref (pd_terminal_get_peripherals (terminal));
      g_signal_connect_swapped (self->peripherals, "changed", G_CALLBACK (show_peripherals),
                                self);
    }
  self->monitor = pd_reader_monitor_new (pd_config_get_card_readers (
                                           pd_terminal_get_config (terminal)));
  g_signal_connect_swapped (self->monitor, "reader-added", G_CALLBACK (on_reader_added), self);
  g_signal_connect_swapped (self->monitor, "reader-removed", G_CALLBACK (on_reader_removed),
                            self);
  g_signal_connect_swapped (self->monitor, "card-inserted", G_CALLBACK (on_card_inserted), self);
  g_signal_connect_swapped (self->monitor, "card-removed", G_CALLBACK (on_card_removed), self);
  g_signal_connect_swapped (self->monitor, "notify::service-available",
                            G_CALLBACK (show_readers), self);
  pd_reader_monitor_start (self->monitor);
  show_readers (self);
  show_peripherals (self);
  update_actions (self);
}
