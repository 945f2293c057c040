#include <glib/gi18n.h>

#include "pd-application.h"
#include "pd-window.h"

struct _PdApplication {
  AdwApplication parent_instance;

  PdConfig *config;
  GError *config_error;
  gboolean windowed;
  guint idle_inhibit_cookie;
};

G_DEFINE_FINAL_TYPE (PdApplication, pd_application, ADW_TYPE_APPLICATION)

static const GOptionEntry application_options[] = {
  { "config", 'c', 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Read the configuration from FILE"), N_("FILE") },
  { "data-dir", 'd', 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Keep the journal and other state in DIR"), N_("DIR") },
  { "core-url", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Use the payment core at URL"), N_("URL") },
  { "windowed", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Show the kiosk in a window instead of full screen (for development)"), NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
  G_OPTION_ENTRY_NULL
};

static void
pd_application_finalize (GObject *object)
{
  PdApplication *self = PD_APPLICATION (object);

  g_clear_object (&self->config);
  g_clear_error (&self->config_error);

  G_OBJECT_CLASS (pd_application_parent_class)->finalize (object);
}

/* The configuration is read once, before any window exists. A bad file does not stop the
 * program: the window explains what is wrong, so support sees it on the screen. */
static int
pd_application_handle_local_options (GApplication *application,
                                     GVariantDict *options)
{
  PdApplication *self = PD_APPLICATION (application);
  const char *config_path = NULL;
  const char *data_dir = NULL;
  const char *core_url = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("paydesk %s\n", PACKAGE_VERSION);
      return 0;
    }

  g_variant_dict_lookup (options, "config", "^&ay", &config_path);
  g_variant_dict_lookup (options, "data-dir", "^&ay", &data_dir);
  g_variant_dict_lookup (options, "core-url", "&s", &core_url);
  self->windowed = g_variant_dict_contains (options, "windowed");

  self->config = pd_config_load (config_path, &self->config_error);
  if (self->config != NULL && core_url != NULL &&
      !pd_config_override_core_url (self->config, core_url, &self->config_error))
    g_clear_object (&self->config);
  if (self->config != NULL && data_dir != NULL)
    pd_config_override_data_dir (self->config, data_dir);

  if (self->config_error != NULL)
    g_printerr ("paydesk: %s\n", self->config_error->message);

  return -1;
}

static void
pd_application_activate (GApplication *application)
{
  PdApplication *self = PD_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  gboolean kiosk;

  if (window == NULL)
    {
      window = GTK_WINDOW (pd_window_new (self, self->config, self->config_error));
      kiosk = self->config != NULL &&
              pd_config_get_mode (self->config) == PD_TERMINAL_MODE_KIOSK;

      /* A kiosk screen must not blank while a member is paying. */
      if (kiosk)
        self->idle_inhibit_cookie =
          gtk_application_inhibit (GTK_APPLICATION (self), window, GTK_APPLICATION_INHIBIT_IDLE,
                                   _("A payment kiosk stays on"));

      if (kiosk && !self->windowed)
        gtk_window_fullscreen (window);
      else
        gtk_window_maximize (window);
    }

  gtk_window_present (window);
}

static void
pd_application_class_init (PdApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = pd_application_finalize;
  application_class->handle_local_options = pd_application_handle_local_options;
  application_class->activate = pd_application_activate;
}

static void
pd_application_init (PdApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), application_options);
}

PdApplication *
pd_application_new (void)
{
  return g_object_new (PD_TYPE_APPLICATION,
                       "application-id", PAYDESK_APPLICATION_ID,
                       "flags", G_APPLICATION_NON_UNIQUE,
                       "resource-base-path", "/org/paydesk/Paydesk",
                       NULL);
}
