#include <glib/gi18n.h>

#include "pd-application.h"
#include "pd-outbox-drainer.h"
#include "pd-peripherals.h"
#include "pd-receipt-mailer.h"
#include "pd-window.h"

/* How often a running terminal tries to send what waits in its outbox. */
#define OUTBOX_INTERVAL_SECONDS 30

struct _PdApplication {
  AdwApplication parent_instance;

  PdConfig *config;
  GError *config_error;
  gboolean windowed;
  guint idle_inhibit_cookie;

  PdPaymentService *service;
  PdOutboxDrainer *drainer;
  PdReceiptMailer *mailer;
  gboolean mailing;
  PdPeripherals *peripherals;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (PdApplication, pd_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_PAYMENT_SERVICE,
  PROP_PERIPHERALS,
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
  g_clear_object (&self->drainer);
  g_clear_object (&self->mailer);
  g_clear_object (&self->service);
  g_clear_object (&self->peripherals);
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

/* The journal and the core client are opened on a worker: opening a journal may migrate it,
 * and reading the token is file I/O, neither of which may freeze the screen. */
static void
open_service_in_thread (GTask        *task,
                        gpointer      source,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  PdConfig *config = task_data;
  g_autofree char *path = pd_config_dup_journal_path (config);
  g_autoptr(PdJournal) journal = NULL;
  g_autoptr(PdCoreClient) client = NULL;
  GError *error = NULL;

  if (!(journal = pd_journal_open_for_terminal (path, pd_config_get_training (config),
                                                &error)) ||
      !(client = pd_core_client_new (config, &error)))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, pd_payment_service_new (config, journal, client),
                         g_object_unref);
}

static void
mail_pass_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(PdApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  self->mailing = FALSE;
  /* Each request keeps its own state in the journal; a pass that failed is tried again. */
  if (pd_receipt_mailer_send_due_finish (PD_RECEIPT_MAILER (source), result, &error) < 0 &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("emailed receipts: %s", error->message);
}

/* Emailed receipts go out on the outbox's beat, one pass at a time. */
static void
on_outbox_drained (PdOutboxDrainer *drainer,
                   guint            delivered,
                   PdApplication   *self)
{
  if (self->mailer == NULL || self->mailing)
    return;

  self->mailing = TRUE;
  pd_receipt_mailer_send_due_async (self->mailer, self->cancellable, mail_pass_done,
                                    g_object_ref (self));
}

static void
service_opened (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  PdApplication *self = PD_APPLICATION (source);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autoptr(GError) error = NULL;

  self->service = g_task_propagate_pointer (G_TASK (result), &error);
  if (self->service == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_printerr ("paydesk: %s\n", error->message);
      if (window != NULL)
        pd_window_show_setup_error (PD_WINDOW (window), error);
      return;
    }

  if (pd_config_get_email_server (self->config) != NULL)
    self->mailer = pd_receipt_mailer_new (pd_payment_service_get_journal (self->service),
                                          self->config);

  self->drainer = pd_outbox_drainer_new (self->service, OUTBOX_INTERVAL_SECONDS);
  g_signal_connect (self->drainer, "drained", G_CALLBACK (on_outbox_drained), self);
  pd_outbox_drainer_start (self->drainer);
  pd_outbox_drainer_run_now (self->drainer);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAYMENT_SERVICE]);
}

static void
open_service (PdApplication *self)
{
  g_autoptr(GTask) task = NULL;

  self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, service_opened, NULL);
  g_task_set_source_tag (task, open_service);
  g_task_set_task_data (task, g_object_ref (self->config), g_object_unref);
  g_task_run_in_thread (task, open_service_in_thread);
}

/* Each change of a printer or scanner goes to the log: what support reads first when a
 * printer jams. */
static void
log_peripherals (PdApplication *self)
{
  g_autoptr(GPtrArray) infos = pd_peripherals_list (self->peripherals);

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

/* Loading printer profiles and opening libusb read files: done on a worker too. */
static void
open_peripherals_in_thread (GTask        *task,
                            gpointer      source,
                            gpointer      task_data,
                            GCancellable *cancellable)
{
  GError *error = NULL;
  PdPeripherals *peripherals = pd_peripherals_new (task_data, &error);

  if (peripherals != NULL)
    g_task_return_pointer (task, peripherals, g_object_unref);
  else
    g_task_return_error (task, error);
}

static void
peripherals_opened (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  PdApplication *self = PD_APPLICATION (source);
  g_autoptr(GError) error = NULL;

  self->peripherals = g_task_propagate_pointer (G_TASK (result), &error);
  if (self->peripherals == NULL)
    {
      /* Payments by card and bank still work: the pages say when a device is missing. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("Printers and check scanners cannot be used: %s", error->message);
      return;
    }

  g_signal_connect_object (self->peripherals, "changed", G_CALLBACK (log_peripherals), self,
                           G_CONNECT_SWAPPED);
  pd_peripherals_start (self->peripherals);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PERIPHERALS]);
}

static void
open_peripherals (PdApplication *self)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, peripherals_opened, NULL);

  g_task_set_source_tag (task, open_peripherals);
  g_task_set_task_data (task, g_object_ref (self->config), g_object_unref);
  g_task_run_in_thread (task, open_peripherals_in_thread);
}

static void
pd_application_shutdown (GApplication *application)
{
  PdApplication *self = PD_APPLICATION (application);

  g_cancellable_cancel (self->cancellable);
  if (self->drainer != NULL)
    pd_outbox_drainer_stop (self->drainer);

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
    case PROP_PAYMENT_SERVICE:
      g_value_set_object (value, self->service);
      break;
    case PROP_PERIPHERALS:
      g_value_set_object (value, self->peripherals);
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
        {
          open_service (self);
          open_peripherals (self);
        }
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

  /* NULL until the journal is open and the core client ready. */
  properties[PROP_PAYMENT_SERVICE] =
    g_param_spec_object ("payment-service", NULL, NULL, PD_TYPE_PAYMENT_SERVICE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* NULL until the configured printer and check scanner are being looked for. */
  properties[PROP_PERIPHERALS] =
    g_param_spec_object ("peripherals", NULL, NULL, PD_TYPE_PERIPHERALS,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pd_application_init (PdApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), application_options);
}

PdPaymentService *
pd_application_get_payment_service (PdApplication *self)
{
  g_return_val_if_fail (PD_IS_APPLICATION (self), NULL);
  return self->service;
}

PdPeripherals *
pd_application_get_peripherals (PdApplication *self)
{
  g_return_val_if_fail (PD_IS_APPLICATION (self), NULL);
  return self->peripherals;
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
