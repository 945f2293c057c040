#include "pd-idle-watch.h"

struct _PdIdleWatch {
  GtkWidget *widget;
  GtkEventController *input;
  guint timeout_ms;
  guint source;
  gboolean running;
  GSourceFunc callback;
  gpointer user_data;
};

static gboolean
on_timeout (gpointer data)
{
  PdIdleWatch *watch = data;

  watch->source = 0;
  watch->running = FALSE;
  watch->callback (watch->user_data);
  return G_SOURCE_REMOVE;
}

void
pd_idle_watch_restart (PdIdleWatch *watch)
{
  g_return_if_fail (watch != NULL);

  g_clear_handle_id (&watch->source, g_source_remove);
  watch->running = watch->timeout_ms > 0;
  if (watch->running)
    watch->source = g_timeout_add (watch->timeout_ms, on_timeout, watch);
}

void
pd_idle_watch_stop (PdIdleWatch *watch)
{
  g_return_if_fail (watch != NULL);

  g_clear_handle_id (&watch->source, g_source_remove);
  watch->running = FALSE;
}

static gboolean
on_input (GtkEventControllerLegacy *controller,
          GdkEvent                 *event,
          PdIdleWatch              *watch)
{
  switch (gdk_event_get_event_type (event))
    {
    case GDK_KEY_PRESS:
    case GDK_BUTTON_PRESS:
    case GDK_TOUCH_BEGIN:
    case GDK_SCROLL:
      if (watch->running)
        pd_idle_watch_restart (watch);
      break;
    default:
      break;
    }
  return GDK_EVENT_PROPAGATE;
}

PdIdleWatch *
pd_idle_watch_new (GtkWidget   *widget,
                   guint        timeout_ms,
                   GSourceFunc  callback,
                   gpointer     user_data)
{
  PdIdleWatch *watch;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);
  g_return_val_if_fail (callback != NULL, NULL);

  watch = g_new0 (PdIdleWatch, 1);
  watch->widget = widget;
  watch->timeout_ms = timeout_ms;
  watch->callback = callback;
  watch->user_data = user_data;
  watch->input = gtk_event_controller_legacy_new ();
  gtk_event_controller_set_propagation_phase (watch->input, GTK_PHASE_CAPTURE);
  g_signal_connect (watch->input, "event", G_CALLBACK (on_input), watch);
  gtk_widget_add_controller (widget, watch->input);
  return watch;
}

void
pd_idle_watch_free (PdIdleWatch *watch)
{
  if (watch == NULL)
    return;
  g_clear_handle_id (&watch->source, g_source_remove);
  g_signal_handlers_disconnect_by_data (watch->input, watch);
  g_free (watch);
}

void
pd_idle_watch_set_timeout (PdIdleWatch *watch,
                           guint        timeout_ms)
{
  g_return_if_fail (watch != NULL);

  watch->timeout_ms = timeout_ms;
  if (watch->running)
    pd_idle_watch_restart (watch);
}

guint
pd_idle_watch_get_timeout (PdIdleWatch *watch)
{
  g_return_val_if_fail (watch != NULL, 0);

  return watch->timeout_ms;
}
