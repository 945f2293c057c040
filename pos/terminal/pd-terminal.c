#include "pd-terminal.h"

struct _PdTerminal {
  GObject parent_instance;

  PdConfig *config;
  PdJournal *journal;
  PdStaff *staff;
  PdCoreClient *client;
  PdPaymentService *service;
  PdOutboxDrainer *drainer;
  PdReceiptMailer *mailer;
  PdPeripherals *peripherals;
  GError *peripherals_error;

  GCancellable *cancellable;
  gboolean mailing;
};

G_DEFINE_FINAL_TYPE (PdTerminal, pd_terminal, G_TYPE_OBJECT)

static void
pd_terminal_dispose (GObject *object)
{
  PdTerminal *self = PD_TERMINAL (object);

  pd_terminal_stop (self);
  g_clear_object (&self->drainer);
  g_clear_object (&self->mailer);
  g_clear_object (&self->peripherals);
  g_clear_object (&self->service);
  g_clear_object (&self->client);
  g_clear_object (&self->staff);
  g_clear_object (&self->journal);

  G_OBJECT_CLASS (pd_terminal_parent_class)->dispose (object);
}

static void
pd_terminal_finalize (GObject *object)
{
  PdTerminal *self = PD_TERMINAL (object);

  g_clear_object (&self->config);
  g_clear_object (&self->cancellable);
  g_clear_error (&self->peripherals_error);

  G_OBJECT_CLASS (pd_terminal_parent_class)->finalize (object);
}

static void
pd_terminal_class_init (PdTerminalClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pd_terminal_dispose;
  object_class->finalize = pd_terminal_finalize;
}

static void
pd_terminal_init (PdTerminal *self)
{
  self->cancellable = g_cancellable_new ();
}

PdTerminal *
pd_terminal_new (PdConfig         *config,
                 PdTerminalFlags   flags,
                 GCancellable     *cancellable,
                 GError          **error)
{
  g_autoptr(PdTerminal) self = NULL;
  g_autofree char *journal_path = NULL;

  g_return_val_if_fail (PD_IS_CONFIG (config), NULL);

  self = g_object_new (PD_TYPE_TERMINAL, NULL);
  self->config = g_object_ref (config);

  journal_path = pd_config_dup_journal_path (config);
  self->journal = pd_journal_open_for_terminal (journal_path, pd_config_get_training (config),
                                                error);
  if (self->journal == NULL)
    return NULL;

  self->client = pd_core_client_new (config, error);
  if (self->client == NULL)
    return NULL;

  self->service = pd_payment_service_new (config, self->journal, self->client);
  self->staff = pd_staff_new (config, self->journal,
                              (flags & PD_TERMINAL_FLAGS_COMMAND_LINE)
                                ? PD_AUDIT_SOURCE_PAYDESK_CTL : PD_AUDIT_SOURCE_PAYDESK);
  if (flags & PD_TERMINAL_FLAGS_RECORD_START)
    {
      g_autofree char *detail = NULL;

      detail = g_strdup_printf ("%s, %s%s", pd_config_get_source (config) != NULL
                                              ? pd_config_get_source (config)
                                              : "built-in training configuration",
                                pd_terminal_mode_to_id (pd_config_get_mode (config)),
                                pd_config_get_training (config) ? ", training" : "");
      if (!pd_staff_record (self->staff, PD_AUDIT_CONFIGURATION_LOADED, NULL, NULL, NULL, detail,
                            error))
        return NULL;
    }
  if (pd_config_get_email_server (config) != NULL)
    self->mailer = pd_receipt_mailer_new (self->journal, config);

  /* Card, check by hand and bank payments still work without them: the pages say when a
   * device is missing, and the log says why. */
  if (flags & PD_TERMINAL_FLAGS_PERIPHERALS)
    self->peripherals = pd_peripherals_new (config, &self->peripherals_error);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  return g_steal_pointer (&self);
}

static void
open_in_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  PdConfig *config = task_data;
  PdTerminalFlags flags = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (task), "flags"));
  GError *error = NULL;
  PdTerminal *terminal = pd_terminal_new (config, flags, cancellable, &error);

  if (terminal != NULL)
    g_task_return_pointer (task, terminal, g_object_unref);
  else
    g_task_return_error (task, error);
}

void
pd_terminal_new_async (PdConfig            *config,
                       PdTerminalFlags      flags,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PD_IS_CONFIG (config));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, pd_terminal_new_async);
  g_task_set_task_data (task, g_object_ref (config), g_object_unref);
  g_object_set_data (G_OBJECT (task), "flags", GUINT_TO_POINTER (flags));
  g_task_run_in_thread (task, open_in_thread);
}

PdTerminal *
pd_terminal_new_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pd_terminal_new_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
mail_pass_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(PdTerminal) self = user_data;
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
                   PdTerminal      *self)
{
  if (self->mailer == NULL || self->mailing)
    return;

  self->mailing = TRUE;
  pd_receipt_mailer_send_due_async (self->mailer, self->cancellable, mail_pass_done,
                                    g_object_ref (self));
}

void
pd_terminal_start (PdTerminal *self,
                   guint       interval_seconds)
{
  g_return_if_fail (PD_IS_TERMINAL (self));
  g_return_if_fail (interval_seconds > 0);
  g_return_if_fail (self->drainer == NULL);

  self->drainer = pd_outbox_drainer_new (self->service, interval_seconds);
  g_signal_connect_object (self->drainer, "drained", G_CALLBACK (on_outbox_drained), self, 0);
  pd_outbox_drainer_start (self->drainer);
  pd_outbox_drainer_run_now (self->drainer);
  if (self->peripherals != NULL)
    pd_peripherals_start (self->peripherals);
}

void
pd_terminal_stop (PdTerminal *self)
{
  g_return_if_fail (PD_IS_TERMINAL (self));

  g_cancellable_cancel (self->cancellable);
  if (self->drainer != NULL)
    pd_outbox_drainer_stop (self->drainer);
}

#define GETTER(type, name, field) \
  type \
  pd_terminal_get_##name (PdTerminal *self) \
  { \
    g_return_val_if_fail (PD_IS_TERMINAL (self), NULL); \
    return self->field; \
  }

GETTER (PdConfig *, config, config)
GETTER (PdJournal *, journal, journal)
GETTER (PdStaff *, staff, staff)
GETTER (PdCoreClient *, core_client, client)
GETTER (PdPaymentService *, payment_service, service)
GETTER (PdOutboxDrainer *, outbox_drainer, drainer)
GETTER (PdReceiptMailer *, receipt_mailer, mailer)
GETTER (PdPeripherals *, peripherals, peripherals)
GETTER (const GError *, peripherals_error, peripherals_error)
