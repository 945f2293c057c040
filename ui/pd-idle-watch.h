#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Calls back once a widget has had no key, click, touch or scroll for a while: the counter
 * locks, the supervisor's screens go back to the kiosk. */
typedef struct _PdIdleWatch PdIdleWatch;

/* Watches widget (and what it holds); timeout_ms 0: never. Not started until restarted. */
PdIdleWatch *pd_idle_watch_new         (GtkWidget      *widget,
                                        guint           timeout_ms,
                                        GSourceFunc     callback,
                                        gpointer        user_data);
void         pd_idle_watch_free        (PdIdleWatch    *watch);
/* Counts from now (input restarts it by itself once started). */
void         pd_idle_watch_restart     (PdIdleWatch    *watch);
void         pd_idle_watch_stop        (PdIdleWatch    *watch);
void         pd_idle_watch_set_timeout (PdIdleWatch    *watch,
                                        guint           timeout_ms);
guint        pd_idle_watch_get_timeout (PdIdleWatch    *watch);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdIdleWatch, pd_idle_watch_free)

G_END_DECLS
