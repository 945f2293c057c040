#include <glib/gi18n.h>

#include "pd-ctl.h"

PdConfig *
pd_ctl_load_config (PdCtl   *ctl,
                    GError **error)
{
  g_autoptr(PdConfig) config = pd_config_load (ctl->options.config_path, error);

  if (config == NULL)
    return NULL;

  if (ctl->options.core_url != NULL &&
      !pd_config_override_core_url (config, ctl->options.core_url, error))
    return NULL;

  if (ctl->options.data_dir != NULL)
    pd_config_override_data_dir (config, ctl->options.data_dir);

  return g_steal_pointer (&config);
}

/* Reading commands never create a journal: an empty new file would hide a wrong path. */
PdJournal *
pd_ctl_open_journal (PdCtl     *ctl,
                     PdConfig  *config,
                     GError   **error)
{
  g_autofree char *path = pd_config_dup_journal_path (config);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, PD_JOURNAL_ERROR, PD_JOURNAL_ERROR_NOT_FOUND,
                   _("There is no journal at %s. Check --data-dir or [journal] data-dir."),
                   path);
      return NULL;
    }

  return pd_journal_open (path, error);
}

void
pd_ctl_print_json (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}
