#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A barcode scanner that acts as a keyboard ("keyboard wedge") types what it reads in one
 * burst, far faster than a hand, and presses Enter. This tells such a burst from typing: it
 * is given every character with the time it came, and hands back the burst's text when
 * Enter ends one that qualifies. */

/* At least this many characters (the shortest coupon is 31)... */
#define PD_SCAN_BURST_MIN_CHARS 20
/* ...each within this many milliseconds of the one before (a fast typist needs 80 or more). */
#define PD_SCAN_BURST_MAX_GAP_MS 35

typedef struct _PdScanBurst PdScanBurst;

PdScanBurst *pd_scan_burst_new    (void);
void         pd_scan_burst_free   (PdScanBurst *self);
/* A printable character at time_ms (any clock that only goes forward). */
void         pd_scan_burst_add    (PdScanBurst *self,
                                   gunichar     c,
                                   gint64       time_ms);
/* Enter at time_ms: the burst's text when it was one (a new string), else NULL. Either way
 * the next character starts afresh. */
char        *pd_scan_burst_finish (PdScanBurst *self,
                                   gint64       time_ms);
/* Anything else (a click, a key that types nothing): what came before is not a scan. */
void         pd_scan_burst_reset  (PdScanBurst *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdScanBurst, pd_scan_burst_free)

G_END_DECLS
