#include <glib/gi18n.h>

#include "pd-ctl.h"

static void
print_config_json (const char   *file,
                   PdConfig     *config,
                   const GError *error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "file");
  if (file != NULL)
    json_builder_add_string_value (builder, file);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "valid");
  json_builder_add_boolean_value (builder, config != NULL);

  if (config != NULL)
    {
      json_builder_set_member_name (builder, "training");
      json_builder_add_boolean_value (builder, pd_config_get_training (config));
      json_builder_set_member_name (builder, "mode");
      json_builder_add_string_value (builder, pd_terminal_mode_to_id (pd_config_get_mode (config)));
      json_builder_set_member_name (builder, "center_id");
      json_builder_add_string_value (builder, pd_config_get_center_id (config));
      json_builder_set_member_name (builder, "terminal_id");
      json_builder_add_string_value (builder, pd_config_get_terminal_id (config));
      json_builder_set_member_name (builder, "core_url");
      json_builder_add_string_value (builder, pd_config_get_core_url (config));
      json_builder_set_member_name (builder, "data_dir");
      json_builder_add_string_value (builder, pd_config_get_data_dir (config));
    }
  else
    {
      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, error->message);
    }

  json_builder_end_object (builder);
  pd_ctl_print_json (builder);
}

PdCtlExit
pd_ctl_config_check (PdCtl   *ctl,
                     int      argc,
                     char   **argv,
                     GError **error)
{
  g_autoptr(GOptionContext) context = pd_ctl_option_context_new (ctl, NULL);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(PdConfig) config = NULL;
  const char *file;

  if (!g_option_context_parse (context, &argc, &argv, error))
    return PD_CTL_EXIT_ERROR;

  if (argc > 2)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("“config check” takes at most one file."));
      return PD_CTL_EXIT_ERROR;
    }

  file = argc == 2 ? argv[1] : ctl->options.config_path;
  if (file != NULL)
    config = pd_config_load_file (file, &local_error);
  else
    config = pd_ctl_load_config (ctl, &local_error);

  if (ctl->options.json)
    print_config_json (file != NULL ? file : (config ? pd_config_get_source (config) : NULL),
                       config, local_error);

  if (config == NULL)
    {
      if (!ctl->options.json)
        g_printerr ("%s\n", local_error->message);
      return PD_CTL_EXIT_DECLINED;
    }

  if (!ctl->options.json)
    {
      const char *source = pd_config_get_source (config);

      g_print (_("%s: valid.\n"), source != NULL ? source : _("Built-in training configuration"));
      /* Two whole sentences: translators cannot agree an adjective with a noun they
       * never see. */
      g_print (pd_config_get_training (config)
               ? _("Training terminal %s at center %s (%s), payment core %s\n")
               : _("Production terminal %s at center %s (%s), payment core %s\n"),
               pd_config_get_terminal_id (config), pd_config_get_center_id (config),
               pd_terminal_mode_to_id (pd_config_get_mode (config)),
               pd_config_get_core_url (config));
    }

  return PD_CTL_EXIT_OK;
}
