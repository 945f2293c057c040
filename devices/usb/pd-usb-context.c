#include <glib/gi18n-lib.h>

#include "pd-usb-context.h"

/* How long the event thread sleeps in libusb at most: a stop interrupts it sooner. */
#define EVENT_WAIT_USEC (200 * 1000)
#define POLL_INTERVAL_USEC G_USEC_PER_SEC

struct _PdUsbContext {
  GObject parent_instance;

  libusb_context *libusb;
  PdUsbContextFlags flags;
  GMainContext *main_context;
  GThread *thread;
  int stopping;
  gboolean hotplug;
  libusb_hotplug_callback_handle hotplug_handle;

  /* Enumeration without hotplug: what the last look found. Only the event thread uses it. */
  GPtrArray *known;
  gint64 next_poll;
  gboolean enumerated;
};

G_DEFINE_FINAL_TYPE (PdUsbContext, pd_usb_context, G_TYPE_OBJECT)

enum {
  SIGNAL_DEVICE_ARRIVED,
  SIGNAL_DEVICE_LEFT,
  SIGNAL_ENUMERATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct {
  PdUsbContext *self;
  int signal;
  libusb_device *device;
} Event;

static void
event_free (gpointer data)
{
  Event *event = data;

  g_clear_pointer (&event->device, libusb_unref_device);
  g_object_unref (event->self);
  g_free (event);
}

static gboolean
deliver (gpointer data)
{
  Event *event = data;

  if (event->signal == SIGNAL_ENUMERATED)
    g_signal_emit (event->self, signals[event->signal], 0);
  else
    g_signal_emit (event->self, signals[event->signal], 0, event->device);
  return G_SOURCE_REMOVE;
}

/* Always through an idle source, never synchronously: libusb calls hotplug callbacks with
 * its own locks held, and a handler must be free to use libusb. */
static void
post (PdUsbContext  *self,
      int            signal,
      libusb_device *device)
{
  Event *event = g_new0 (Event, 1);
  g_autoptr(GSource) source = g_idle_source_new ();

  event->self = g_object_ref (self);
  event->signal = signal;
  event->device = device != NULL ? libusb_ref_device (device) : NULL;
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, deliver, event, event_free);
  g_source_set_static_name (source, "[paydesk] usb hotplug");
  g_source_attach (source, self->main_context);
}

static int LIBUSB_CALL
on_hotplug (libusb_context       *libusb,
            libusb_device        *device,
            libusb_hotplug_event  event,
            void                 *user_data)
{
  PdUsbContext *self = user_data;

  post (self,
        event == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED ? SIGNAL_DEVICE_ARRIVED : SIGNAL_DEVICE_LEFT,
        device);
  return 0;
}

static gboolean
list_contains (libusb_device **list,
               libusb_device  *device)
{
  for (gsize i = 0; list[i] != NULL; i++)
    if (list[i] == device)
      return TRUE;
  return FALSE;
}

/* Without hotplug: compare what is plugged in now with what was there a second ago. libusb
 * keeps one libusb_device per attached device, so pointers identify them. */
static void
poll_devices (PdUsbContext *self)
{
  libusb_device **list = NULL;
  ssize_t count = libusb_get_device_list (self->libusb, &list);

  if (count < 0)
    return;

  for (guint i = self->known->len; i > 0; i--)
    {
      libusb_device *device = g_ptr_array_index (self->known, i - 1);

      if (!list_contains (list, device))
        {
          post (self, SIGNAL_DEVICE_LEFT, device);
          g_ptr_array_remove_index (self->known, i - 1);
        }
    }

  for (ssize_t i = 0; i < count; i++)
    if (!g_ptr_array_find (self->known, list[i], NULL))
      {
        g_ptr_array_add (self->known, libusb_ref_device (list[i]));
        post (self, SIGNAL_DEVICE_ARRIVED, list[i]);
      }

  libusb_free_device_list (list, TRUE);
}

static gpointer
event_thread (gpointer data)
{
  PdUsbContext *self = data;

  while (!g_atomic_int_get (&self->stopping))
    {
      struct timeval wait = { 0, EVENT_WAIT_USEC };

      if (!self->hotplug && g_get_monotonic_time () >= self->next_poll)
        {
          poll_devices (self);
          self->next_poll = g_get_monotonic_time () + POLL_INTERVAL_USEC;
          if (!self->enumerated)
            {
              self->enumerated = TRUE;
              post (self, SIGNAL_ENUMERATED, NULL);
            }
        }

      libusb_handle_events_timeout_completed (self->libusb, &wait, &self->stopping);
    }

  return NULL;
}

static void
pd_usb_context_dispose (GObject *object)
{
  pd_usb_context_stop (PD_USB_CONTEXT (object));

  G_OBJECT_CLASS (pd_usb_context_parent_class)->dispose (object);
}

static void
pd_usb_context_finalize (GObject *object)
{
  PdUsbContext *self = PD_USB_CONTEXT (object);

  g_ptr_array_unref (self->known);
  g_clear_pointer (&self->main_context, g_main_context_unref);
  g_clear_pointer (&self->libusb, libusb_exit);

  G_OBJECT_CLASS (pd_usb_context_parent_class)->finalize (object);
}

static void
pd_usb_context_class_init (PdUsbContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pd_usb_context_dispose;
  object_class->finalize = pd_usb_context_finalize;

  signals[SIGNAL_DEVICE_ARRIVED] = g_signal_new ("device-arrived", G_TYPE_FROM_CLASS (klass),
                                                 G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                 G_TYPE_NONE, 1, G_TYPE_POINTER);
  signals[SIGNAL_DEVICE_LEFT] = g_signal_new ("device-left", G_TYPE_FROM_CLASS (klass),
                                              G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                              G_TYPE_NONE, 1, G_TYPE_POINTER);
  signals[SIGNAL_ENUMERATED] = g_signal_new ("enumerated", G_TYPE_FROM_CLASS (klass),
                                             G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                             G_TYPE_NONE, 0);
}

static void
pd_usb_context_init (PdUsbContext *self)
{
  self->known = g_ptr_array_new_with_free_func ((GDestroyNotify) libusb_unref_device);
}

PdUsbContext *
pd_usb_context_new (PdUsbContextFlags   flags,
                    GError            **error)
{
  g_autoptr(PdUsbContext) self = g_object_new (PD_TYPE_USB_CONTEXT, NULL);
  int rc;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  rc = libusb_init (&self->libusb);
  if (rc != LIBUSB_SUCCESS)
    {
      self->libusb = NULL;
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("USB devices cannot be used: %s."), libusb_strerror (rc));
      return NULL;
    }

  self->flags = flags;
  return g_steal_pointer (&self);
}

static gboolean
register_hotplug (PdUsbContext *self)
{
  if ((self->flags & PD_USB_CONTEXT_FLAGS_POLL) || !libusb_has_capability (LIBUSB_CAP_HAS_HOTPLUG))
    return FALSE;

  return libusb_hotplug_register_callback (self->libusb,
                                           LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED |
                                           LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT,
                                           LIBUSB_HOTPLUG_ENUMERATE,
                                           LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY,
                                           LIBUSB_HOTPLUG_MATCH_ANY, on_hotplug, self,
                                           &self->hotplug_handle) == LIBUSB_SUCCESS;
}

void
pd_usb_context_start (PdUsbContext *self)
{
  g_return_if_fail (PD_IS_USB_CONTEXT (self));

  if (self->thread != NULL)
    return;

  g_clear_pointer (&self->main_context, g_main_context_unref);
  self->main_context = g_main_context_ref_thread_default ();
  g_atomic_int_set (&self->stopping, 0);
  self->next_poll = 0;
  self->enumerated = FALSE;
  /* With hotplug, libusb reports the devices already there from inside the registration;
   * their arrivals are queued before this. */
  self->hotplug = register_hotplug (self);
  if (self->hotplug)
    {
      self->enumerated = TRUE;
      post (self, SIGNAL_ENUMERATED, NULL);
    }
  self->thread = g_thread_new ("usb-events", event_thread, self);
}

void
pd_usb_context_stop (PdUsbContext *self)
{
  g_return_if_fail (PD_IS_USB_CONTEXT (self));

  if (self->thread == NULL)
    return;

  if (self->hotplug)
    libusb_hotplug_deregister_callback (self->libusb, self->hotplug_handle);
  self->hotplug = FALSE;

  g_atomic_int_set (&self->stopping, 1);
  libusb_interrupt_event_handler (self->libusb);
  g_thread_join (g_steal_pointer (&self->thread));
  g_ptr_array_set_size (self->known, 0);
}

libusb_context *
pd_usb_context_get_libusb (PdUsbContext *self)
{
  g_return_val_if_fail (PD_IS_USB_CONTEXT (self), NULL);
  return self->libusb;
}

gboolean
pd_usb_context_get_hotplug (PdUsbContext *self)
{
  g_return_val_if_fail (PD_IS_USB_CONTEXT (self), FALSE);
  return self->hotplug;
}
