#include <string.h>

#include <PCSC/winscard.h>

#include "pd-card-readers.h"
#include "pd-reader-monitor.h"

/* pcscd's pseudo reader that changes when readers come and go. */
#define PNP_NOTIFICATION "\\\\?PnP?\\Notification"
#define MAX_READERS 16

struct _PdReaderMonitor {
  GObject parent_instance;

  GStrv patterns;
  GMainContext *main_context;
  GThread *thread;
  GMutex lock;
  SCARDCONTEXT context;
  gboolean stopping;
  gboolean service_available;
};

G_DEFINE_FINAL_TYPE (PdReaderMonitor, pd_reader_monitor, G_TYPE_OBJECT)

enum {
  SIGNAL_READER_ADDED,
  SIGNAL_READER_REMOVED,
  SIGNAL_CARD_INSERTED,
  SIGNAL_CARD_REMOVED,
  N_SIGNALS
};

enum {
  PROP_0,
  PROP_SERVICE_AVAILABLE,
  N_PROPS
};

static guint signals[N_SIGNALS];
static GParamSpec *properties[N_PROPS];

typedef struct {
  PdReaderMonitor *self;
  int signal;
  char *reader;
  GBytes *atr;
  gboolean service_available;
} Event;

static void
event_free (gpointer data)
{
  Event *event = data;

  g_object_unref (event->self);
  g_free (event->reader);
  g_clear_pointer (&event->atr, g_bytes_unref);
  g_free (event);
}

static gboolean is_stopping (PdReaderMonitor *self);

static gboolean
deliver (gpointer data)
{
  Event *event = data;

  if (is_stopping (event->self))
    return G_SOURCE_REMOVE;
  if (event->signal < 0)
    {
      if (event->self->service_available != event->service_available)
        {
          event->self->service_available = event->service_available;
          g_object_notify_by_pspec (G_OBJECT (event->self), properties[PROP_SERVICE_AVAILABLE]);
        }
    }
  else if (event->signal == SIGNAL_CARD_INSERTED)
    g_signal_emit (event->self, signals[event->signal], 0, event->reader, event->atr);
  else
    g_signal_emit (event->self, signals[event->signal], 0, event->reader);

  return G_SOURCE_REMOVE;
}

static void
post (PdReaderMonitor *self,
      int              signal,
      const char      *reader,
      const guint8    *atr,
      gsize            atr_length,
      gboolean         service_available)
{
  Event *event = g_new0 (Event, 1);

  event->self = g_object_ref (self);
  event->signal = signal;
  event->reader = g_strdup (reader);
  event->atr = atr != NULL ? g_bytes_new (atr, atr_length) : NULL;
  event->service_available = service_available;
  g_main_context_invoke_full (self->main_context, G_PRIORITY_DEFAULT, deliver, event,
                              event_free);
}

static gboolean
is_stopping (PdReaderMonitor *self)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  return self->stopping;
}

/* The readers pcscd has now, filtered, as a NULL-terminated list. */
static GStrv
list_readers (PdReaderMonitor *self,
              SCARDCONTEXT     context)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  char names[4096];
  DWORD length = sizeof names;
  GStrv readers;

  if (SCardListReaders (context, NULL, names, &length) == SCARD_S_SUCCESS)
    for (const char *name = names; *name != '\0'; name += strlen (name) + 1)
      if (pd_card_reader_is_wanted ((const char * const *) self->patterns, name))
        g_strv_builder_add (builder, name);

  readers = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return readers;
}

/* One session with pcscd: returns when it goes away or the monitor stops. */
static void
watch (PdReaderMonitor *self,
       SCARDCONTEXT     context)
{
  g_auto(GStrv) readers = list_readers (self, context);
  SCARD_READERSTATE states[MAX_READERS + 1] = { 0 };
  guint n = 0;

  for (guint i = 0; readers[i] != NULL && n < MAX_READERS; i++)
    {
      post (self, SIGNAL_READER_ADDED, readers[i], NULL, 0, TRUE);
      states[n].szReader = readers[i];
      states[n].dwCurrentState = SCARD_STATE_UNAWARE;
      n++;
    }
  states[n].szReader = PNP_NOTIFICATION;
  states[n].dwCurrentState = SCARD_STATE_UNAWARE;

  while (!is_stopping (self))
    {
      /* Bounded: SCardCancel only ends a wait already under way, so a stop must never find
       * this thread about to start an endless one. */
      LONG rc = SCardGetStatusChange (context, 500, states, n + 1);

      if (rc == SCARD_E_TIMEOUT)
        continue;
      if (rc != SCARD_S_SUCCESS)
        break;

      for (guint i = 0; i < n; i++)
        {
          DWORD was = states[i].dwCurrentState;
          DWORD now = states[i].dwEventState;

          if (!(now & SCARD_STATE_CHANGED))
            continue;

          if ((now & SCARD_STATE_PRESENT) && !(was & SCARD_STATE_PRESENT))
            post (self, SIGNAL_CARD_INSERTED, readers[i], states[i].rgbAtr, states[i].cbAtr,
                  TRUE);
          else if ((now & SCARD_STATE_EMPTY) && (was & SCARD_STATE_PRESENT))
            post (self, SIGNAL_CARD_REMOVED, readers[i], NULL, 0, TRUE);

          states[i].dwCurrentState = now & ~SCARD_STATE_CHANGED;
        }

      /* Readers came or went: start over with the new list. The first answer only tells
       * the state it starts from. */
      if ((states[n].dwEventState & SCARD_STATE_CHANGED) &&
          states[n].dwCurrentState != SCARD_STATE_UNAWARE)
        {
          for (guint i = 0; i < n; i++)
            post (self, SIGNAL_READER_REMOVED, readers[i], NULL, 0, TRUE);
          return;
        }
      states[n].dwCurrentState = states[n].dwEventState & ~SCARD_STATE_CHANGED;
    }
}

static gpointer
monitor_thread (gpointer data)
{
  PdReaderMonitor *self = data;

  while (!is_stopping (self))
    {
      SCARDCONTEXT context = 0;

      if (SCardEstablishContext (SCARD_SCOPE_SYSTEM, NULL, NULL, &context) != SCARD_S_SUCCESS)
        {
          /* pcscd is not running (yet): say so, and look again in a second. */
          post (self, -1, NULL, NULL, 0, FALSE);
          g_usleep (G_USEC_PER_SEC);
          continue;
        }

      g_mutex_lock (&self->lock);
      self->context = context;
      g_mutex_unlock (&self->lock);

      post (self, -1, NULL, NULL, 0, TRUE);
      watch (self, context);

      g_mutex_lock (&self->lock);
      self->context = 0;
      g_mutex_unlock (&self->lock);
      SCardReleaseContext (context);
    }

  g_object_unref (self);
  return NULL;
}

static void
pd_reader_monitor_dispose (GObject *object)
{
  pd_reader_monitor_stop (PD_READER_MONITOR (object));

  G_OBJECT_CLASS (pd_reader_monitor_parent_class)->dispose (object);
}

static void
pd_reader_monitor_finalize (GObject *object)
{
  PdReaderMonitor *self = PD_READER_MONITOR (object);

  g_strfreev (self->patterns);
  g_clear_pointer (&self->main_context, g_main_context_unref);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (pd_reader_monitor_parent_class)->finalize (object);
}

static void
pd_reader_monitor_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_SERVICE_AVAILABLE:
      g_value_set_boolean (value, PD_READER_MONITOR (object)->service_available);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_reader_monitor_class_init (PdReaderMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pd_reader_monitor_dispose;
  object_class->finalize = pd_reader_monitor_finalize;
  object_class->get_property = pd_reader_monitor_get_property;

  properties[PROP_SERVICE_AVAILABLE] =
    g_param_spec_boolean ("service-available", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_READER_ADDED] = g_signal_new ("reader-added", G_TYPE_FROM_CLASS (klass),
                                               G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                               G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_READER_REMOVED] = g_signal_new ("reader-removed", G_TYPE_FROM_CLASS (klass),
                                                 G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                 G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_CARD_INSERTED] = g_signal_new ("card-inserted", G_TYPE_FROM_CLASS (klass),
                                                G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BYTES);
  signals[SIGNAL_CARD_REMOVED] = g_signal_new ("card-removed", G_TYPE_FROM_CLASS (klass),
                                               G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                               G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
pd_reader_monitor_init (PdReaderMonitor *self)
{
  g_mutex_init (&self->lock);
}

PdReaderMonitor *
pd_reader_monitor_new (const char * const *patterns)
{
  PdReaderMonitor *self = g_object_new (PD_TYPE_READER_MONITOR, NULL);

  self->patterns = g_strdupv ((GStrv) patterns);
  return self;
}

void
pd_reader_monitor_start (PdReaderMonitor *self)
{
  g_return_if_fail (PD_IS_READER_MONITOR (self));

  /* Once stopped, a monitor stays stopped: its worker may still be winding down. */
  if (self->thread != NULL || self->stopping)
    return;

  self->main_context = g_main_context_ref_thread_default ();
  self->thread = g_thread_new ("pcsc-monitor", monitor_thread, g_object_ref (self));
}

void
pd_reader_monitor_stop (PdReaderMonitor *self)
{
  g_return_if_fail (PD_IS_READER_MONITOR (self));

  if (self->thread == NULL)
    return;

  g_mutex_lock (&self->lock);
  self->stopping = TRUE;
  if (self->context != 0)
    SCardCancel (self->context);
  g_mutex_unlock (&self->lock);

  /* Not joined: the screen's thread must not wait out a pcscd that is slow to answer, or
   * the second between looks for one that is not running. The worker holds its own
   * reference and ends by itself; what it posts from now on is dropped. */
  g_thread_unref (g_steal_pointer (&self->thread));
}

gboolean
pd_reader_monitor_get_service_available (PdReaderMonitor *self)
{
  g_return_val_if_fail (PD_IS_READER_MONITOR (self), FALSE);
  return self->service_available;
}
