#include <glib/gi18n.h>

#include "pd-card-readers.h"
#include "pd-ctl.h"
#include "pd-peripherals.h"
#include "pd-printer-test-page.h"
#include "pd-receipt-printer.h"
#include "pd-training-printer.h"

/* Long enough for a printer to answer its status after being opened; a device that has not
 * said anything by then is listed as it stands. */
#define SETTLE_TIMEOUT_SECONDS 10

static gboolean
on_settle_timeout (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* The configured printer and check scanner, opened, each having said how it is. */
PdPeripherals *
pd_ctl_start_peripherals (PdConfig  *config,
                          GError   **error)
{
  g_autoptr(PdPeripherals) peripherals = pd_peripherals_new (config, error);
  gboolean timed_out = FALSE;
  guint timeout;

  if (peripherals == NULL)
    return NULL;

  pd_peripherals_start (peripherals);
  timeout = g_timeout_add_seconds (SETTLE_TIMEOUT_SECONDS, on_settle_timeout, &timed_out);
  while (!pd_peripherals_is_settled (peripherals) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout);
  return g_steal_pointer (&peripherals);
}

static void
add_card_readers_json (JsonBuilder *builder,
                       GPtrArray   *readers)
{
  json_builder_set_member_name (builder, "card_service");
  json_builder_add_string_value (builder, readers != NULL ? "running" : "not_running");
  json_builder_set_member_name (builder, "card_readers");
  json_builder_begin_array (builder);
  for (guint i = 0; readers != NULL && i < readers->len; i++)
    {
      PdReaderState *state = g_ptr_array_index (readers, i);

      json_builder_begin_object (builder);
      pd_json_add_string (builder, "name", state->name);
      pd_json_add_string (builder, "card", state->card_present ? "present" : "absent");
      json_builder_set_member_name (builder, "in_use");
      json_builder_add_boolean_value (builder, state->in_use);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
add_peripherals_json (JsonBuilder *builder,
                      GPtrArray   *infos)
{
  json_builder_set_member_name (builder, "peripherals");
  json_builder_begin_array (builder);
  for (guint i = 0; i < infos->len; i++)
    {
      PdPeripheralInfo *info = g_ptr_array_index (infos, i);
      g_autofree char *health = pd_device_health_to_string (info->health);

      json_builder_begin_object (builder);
      pd_json_add_string (builder, "kind", info->kind == PD_PERIPHERAL_PRINTER
                                           ? "printer" : "check_scanner");
      pd_json_add_string (builder, "setting", info->setting);
      pd_json_add_string (builder, "name", info->name);
      pd_json_add_string (builder, "location", info->location);
      pd_json_add_string (builder, "health", health);
      pd_json_add_string (builder, "detail", info->detail);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
print_card_readers (GPtrArray    *readers,
                    const GError *pcsc_error)
{
  if (readers == NULL)
    g_print (_("Card readers: %s\n"), pcsc_error->message);
  else if (readers->len == 0)
    g_print (_("Card readers: none connected.\n"));
  else
    for (guint i = 0; i < readers->len; i++)
      {
        PdReaderState *state = g_ptr_array_index (readers, i);

        g_print (_("Card reader “%s”: %s%s\n"), state->name,
                 state->card_present ? _("card present") : _("no card"),
                 state->in_use ? _(", in use") : "");
      }
}

static void
print_peripherals (GPtrArray *infos)
{
  for (guint i = 0; i < infos->len; i++)
    {
      PdPeripheralInfo *info = g_ptr_array_index (infos, i);
      g_autofree char *health = pd_device_health_to_string (info->health);
      const char *kind = info->kind == PD_PERIPHERAL_PRINTER ? _("Receipt printer")
                                                             : _("Check scanner");

      if (info->name != NULL)
        /* TRANSLATORS: kind, model, where it is plugged in, health words (untranslated). */
        g_print (_("%s “%s” (%s): %s\n"), kind, info->name, info->location, health);
      else
        /* TRANSLATORS: kind, then the configuration's setting (auto, none, usb:VVVV:PPPP). */
        g_print (_("%s (%s): %s\n"), kind, info->setting, health);
      if (info->detail != NULL)
        g_print ("  %s\n", info->detail);
    }
}

PdCtlExit
pd_ctl_devices (PdCtl   *ctl,
                int      argc,
                char   **argv,
                GError **error)
{
  g_autoptr(GOptionContext) context = pd_ctl_option_context_new (ctl, NULL);
  g_autoptr(PdConfig) config = NULL;
  g_autoptr(PdPeripherals) peripherals = NULL;
  g_autoptr(GPtrArray) readers = NULL;
  g_autoptr(GPtrArray) infos = NULL;
  g_autoptr(GError) pcsc_error = NULL;

  if (!g_option_context_parse (context, &argc, &argv, error))
    return PD_CTL_EXIT_ERROR;
  if (!(config = pd_ctl_load_config (ctl, error)))
    return PD_CTL_EXIT_ERROR;

  readers = pd_card_readers_list (pd_config_get_card_readers (config), &pcsc_error);
  peripherals = pd_ctl_start_peripherals (config, error);
  if (peripherals == NULL)
    return PD_CTL_EXIT_ERROR;
  infos = pd_peripherals_list (peripherals);

  if (ctl->options.json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      add_card_readers_json (builder, readers);
      add_peripherals_json (builder, infos);
      json_builder_end_object (builder);
      pd_ctl_print_json (builder);
    }
  else
    {
      print_card_readers (readers, pcsc_error);
      print_peripherals (infos);
    }

  return readers != NULL && pd_peripherals_all_ready (peripherals) ? PD_CTL_EXIT_OK
                                                                   : PD_CTL_EXIT_DECLINED;
}

/* The configured receipt printer, started, with its profile; or NULL saying why it cannot
 * print (a USB printer never opened: the manager knows why, busy or no permission). */
PdPrinter *
pd_ctl_open_printer (PdConfig          *config,
                     PdPeripherals    **peripherals,
                     PdPrinterProfile **profile,
                     GError           **error)
{
  g_autoptr(PdPrinter) printer = NULL;

  if (!(*peripherals = pd_ctl_start_peripherals (config, error)) ||
      !(printer = pd_peripherals_dup_printer (*peripherals, error)))
    return NULL;

  *profile = pd_printer_dup_profile (printer);
  if (*profile == NULL)
    {
      const char *detail = PD_IS_USB_DRIVER (printer)
                           ? pd_usb_driver_get_health_detail (PD_USB_DRIVER (printer)) : NULL;

      g_set_error (error, PD_PRINTER_ERROR, PD_PRINTER_ERROR_NO_PROFILE,
                   _("The receipt printer cannot be used: %s"),
                   detail != NULL ? detail : _("it was not opened."));
      return NULL;
    }
  return g_steal_pointer (&printer);
}

PdCtlExit
pd_ctl_printer_test (PdCtl   *ctl,
                     int      argc,
                     char   **argv,
                     GError **error)
{
  g_autoptr(GOptionContext) context = pd_ctl_option_context_new (ctl, NULL);
  g_autoptr(PdConfig) config = NULL;
  g_autoptr(PdPeripherals) peripherals = NULL;
  g_autoptr(PdPrinter) printer = NULL;
  g_autoptr(PdPrinterProfile) profile = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GBytes) page = NULL;
  g_autoptr(GError) print_error = NULL;
  g_autofree char *receipt = NULL;

  if (!g_option_context_parse (context, &argc, &argv, error))
    return PD_CTL_EXIT_ERROR;
  if (!(config = pd_ctl_load_config (ctl, error)) ||
      !(printer = pd_ctl_open_printer (config, &peripherals, &profile, error)))
    return PD_CTL_EXIT_ERROR;

  page = pd_printer_test_page_build (profile, pd_config_get_terminal_id (config), now, error);
  if (page == NULL)
    return PD_CTL_EXIT_ERROR;

  /* A command line may block: no main loop waits on this thread. */
  if (!pd_printer_print (printer, page, NULL, &print_error))
    {
      if (ctl->options.json)
        {
          g_autoptr(JsonBuilder) builder = json_builder_new ();

          json_builder_begin_object (builder);
          pd_json_add_string (builder, "outcome", "not_printed");
          pd_json_add_string (builder, "reason", print_error->message);
          json_builder_set_member_name (builder, "bytes_accepted");
          json_builder_add_int_value (builder, (gint64) pd_printer_get_bytes_accepted (printer));
          json_builder_set_member_name (builder, "bytes");
          json_builder_add_int_value (builder, (gint64) g_bytes_get_size (page));
          json_builder_end_object (builder);
          pd_ctl_print_json (builder);
        }
      else
        g_print (_("The test page was not printed: %s\n"), print_error->message);
      return PD_CTL_EXIT_DECLINED;
    }

  if (PD_IS_TRAINING_PRINTER (printer))
    receipt = pd_training_printer_dup_last_receipt (PD_TRAINING_PRINTER (printer));

  if (ctl->options.json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      pd_json_add_string (builder, "outcome", "printed");
      pd_json_add_string (builder, "printer", pd_printer_profile_get_name (profile));
      json_builder_set_member_name (builder, "bytes");
      json_builder_add_int_value (builder, (gint64) g_bytes_get_size (page));
      pd_json_add_string (builder, "image", receipt);
      json_builder_end_object (builder);
      pd_ctl_print_json (builder);
    }
  else
    {
      g_print (_("Test page printed on %s (%lu bytes).\n"), pd_printer_profile_get_name (profile),
               (gulong) g_bytes_get_size (page));
      if (receipt != NULL)
        g_print (_("The training printer drew it in %s\n"), receipt);
    }
  return PD_CTL_EXIT_OK;
}
