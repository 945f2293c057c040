#include <glib/gi18n.h>

#include "pd-application.h"
#include "pd-window.h"

/* How often a running terminal tries to send what waits in its outbox. */
#define OUTBOX_INTERVAL_SECONDS 30

struct _PdApplication {
  AdwApplication parent_instance;

  PdConfig *config;
  GError *config_error;
  gboolean windowed;
  guint idle_inhibit_cookie;

  PdTerminal *terminal;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (PdApplication, pd_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_TERMINAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

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
  g_clear_object (&self->terminal);
  g_clear_object (&self->cancellable);

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

/* Each change of a printer or scanner goes to the log: what support reads first when a
 * printer jams. */
static void
log_peripherals (PdApplication *self)
{
  g_autoptr(GPtrArray) infos = pd_peripherals_list (pd_terminal_get_peripherals (self->terminal));

  for (guint i = 0; i < infos->len; i++)
    {
      PdPeripheralInfo *info = g_ptr_array_index (infos, i);
      g_autofree char *health = pd_device_health_to_string (info->health);

      g_message ("%s %s (%s): %s%s%s", info->kind == PD_PERIPHERAL_PRINTER ? "printer"
                                                                          : "check scanner",
                 info->name != NULL ? info->name : info->setting,
                 info->location != NULL ? info->location : "-", health,
                 info->detail != NULL ? ": " : "", info->detail != NULL ? info->detail : "");
    }
}

static void
terminal_opened (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PdApplication) self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autoptr(GError) error = NULL;
  PdPeripherals *peripherals;

  self->terminal = pd_terminal_new_finish (result, &error);
  if (self->terminal == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_printerr ("paydesk: %s\n", error->message);
      if (window != NULL)
        pd_window_show_setup_error (PD_WINDOW (window), error);
      return;
    }

  peripherals = pd_terminal_get_peripherals (self->terminal);
  if (peripherals != NULL)
    g_signal_connect_object (peripherals, "changed", G_CALLBACK (log_peripherals), self,
                             G_CONNECT_SWAPPED);
  else
    g_message ("Printers and check scanners cannot be used: %s",
               pd_terminal_get_peripherals_error (self->terminal)->message);

  pd_terminal_start (self->terminal, OUTBOX_INTERVAL_SECONDS);
  if (window != NULL)
    pd_window_set_terminal (PD_WINDOW (window), self->terminal);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TERMINAL]);
}

/* The journal, the core client and the devices are opened on a worker: opening a journal
 * may migrate it, and reading the token is file I/O, neither of which may freeze the
 * screen. */
static void
open_terminal (PdApplication *self)
{
  self->cancellable = g_cancellable_new ();
  pd_terminal_new_async (self->config,
                         PD_TERMINAL_FLAGS_PERIPHERALS | PD_TERMINAL_FLAGS_RECORD_START,
                         self->cancellable,
                         terminal_opened, g_object_ref (self));
}

static void
pd_application_shutdown (GApplication *application)
{
  PdApplication *self = PD_APPLICATION (application);

  g_cancellable_cancel (self->cancellable);
  if (self->terminal != NULL)
    pd_terminal_stop (self->terminal);

  G_APPLICATION_CLASS (pd_application_parent_class)->shutdown (application);
}

static void
pd_application_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  PdApplication *self = PD_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_TERMINAL:
      g_value_set_object (value, self->terminal);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
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

      if (self->config != NULL)
        open_terminal (self);
    }

  gtk_window_present (window);
}

static void
pd_application_class_init (PdApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = pd_application_finalize;
  object_class->get_property = pd_application_get_property;
  application_class->handle_local_options = pd_application_handle_local_options;
  application_class->activate = pd_application_activate;
  application_class->shutdown = pd_application_shutdown;

  /* NULL until the journal is open, the core client ready and the devices looked for. */
  properties[PROP_TERMINAL] =
    g_param_spec_object ("terminal", NULL, NULL, PD_TYPE_TERMINAL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pd_application_init (PdApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), application_options);
}

PdTerminal *
pd_application_get_terminal (PdApplication *self)
{
  g_return_val_if_fail (PD_IS_APPLICATION (self), NULL);
  return self->terminal;
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
