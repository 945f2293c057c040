#include "pd-outbox-drainer.h"

struct _PdOutboxDrainer {
  GObject parent_instance;

  PdPaymentService *service;
  guint interval_seconds;
  guint timeout_id;
  GCancellable *cancellable;
  gboolean running;
};

G_DEFINE_FINAL_TYPE (PdOutboxDrainer, pd_outbox_drainer, G_TYPE_OBJECT)

enum {
  SIGNAL_DRAINED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
pd_outbox_drainer_dispose (GObject *object)
{
  PdOutboxDrainer *self = PD_OUTBOX_DRAINER (object);

  pd_outbox_drainer_stop (self);
  g_clear_object (&self->service);

  G_OBJECT_CLASS (pd_outbox_drainer_parent_class)->dispose (object);
}

static void
pd_outbox_drainer_class_init (PdOutboxDrainerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = pd_outbox_drainer_dispose;

  /* Emitted on the main context after each pass, with the number of payments it sent. */
  signals[SIGNAL_DRAINED] = g_signal_new ("drained", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
pd_outbox_drainer_init (PdOutboxDrainer *self)
{
}

PdOutboxDrainer *
pd_outbox_drainer_new (PdPaymentService *service,
                       guint             interval_seconds)
{
  PdOutboxDrainer *self;

  g_return_val_if_fail (PD_IS_PAYMENT_SERVICE (service), NULL);
  g_return_val_if_fail (interval_seconds > 0, NULL);

  self = g_object_new (PD_TYPE_OUTBOX_DRAINER, NULL);
  self->service = g_object_ref (service);
  self->interval_seconds = interval_seconds;
  return self;
}

static void
drain_in_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  PdOutboxDrainer *self = source;
  g_autoptr(GError) error = NULL;
  guint delivered = pd_payment_service_drain_outbox (self->service, cancellable, &error);

  /* A failed pass is not fatal: the next one tries again. */
  if (error != NULL)
    g_debug ("outbox: %s", error->message);
  g_task_return_int (task, delivered);
}

static void
drain_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  PdOutboxDrainer *self = PD_OUTBOX_DRAINER (source);
  gssize delivered = g_task_propagate_int (G_TASK (result), NULL);

  self->running = FALSE;
  g_signal_emit (self, signals[SIGNAL_DRAINED], 0, (guint) MAX (delivered, 0));
}

void
pd_outbox_drainer_run_now (PdOutboxDrainer *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PD_IS_OUTBOX_DRAINER (self));

  /* One pass at a time: the outbox goes out in order. */
  if (self->running)
    return;

  if (self->cancellable == NULL)
    self->cancellable = g_cancellable_new ();

  self->running = TRUE;
  task = g_task_new (self, self->cancellable, drain_done, NULL);
  g_task_set_source_tag (task, pd_outbox_drainer_run_now);
  g_task_run_in_thread (task, drain_in_thread);
}

static gboolean
on_interval (gpointer data)
{
  pd_outbox_drainer_run_now (data);
  return G_SOURCE_CONTINUE;
}

void
pd_outbox_drainer_start (PdOutboxDrainer *self)
{
  g_return_if_fail (PD_IS_OUTBOX_DRAINER (self));

  if (self->timeout_id == 0)
    self->timeout_id = g_timeout_add_seconds (self->interval_seconds, on_interval, self);
}

void
pd_outbox_drainer_stop (PdOutboxDrainer *self)
{
  g_return_if_fail (PD_IS_OUTBOX_DRAINER (self));

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
}
