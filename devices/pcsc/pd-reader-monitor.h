#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PD_TYPE_READER_MONITOR (pd_reader_monitor_get_type ())

G_DECLARE_FINAL_TYPE (PdReaderMonitor, pd_reader_monitor, PD, READER_MONITOR, GObject)

/* Watches the PC/SC readers whose names start with one of the patterns (all readers when
 * there are none) on a worker thread, and reports on the main context where it was started:
 *   reader-added (name), reader-removed (name),
 *   card-inserted (reader, ATR as GBytes), card-removed (reader),
 *   notify::service-available (pcscd reachable or not). */
PdReaderMonitor *pd_reader_monitor_new          (const char * const *patterns);
void             pd_reader_monitor_start        (PdReaderMonitor    *self);
/* Returns at once; nothing is reported after it, and the monitor cannot start again. */
void             pd_reader_monitor_stop         (PdReaderMonitor    *self);
gboolean         pd_reader_monitor_get_service_available (PdReaderMonitor *self);

G_END_DECLS
