#pragma once

#include "pd-payment-service.h"

G_BEGIN_DECLS

#define PD_TYPE_OUTBOX_DRAINER (pd_outbox_drainer_get_type ())

G_DECLARE_FINAL_TYPE (PdOutboxDrainer, pd_outbox_drainer, PD, OUTBOX_DRAINER, GObject)

/* Sends what waits in the outbox every few seconds while the terminal runs, on a worker
 * thread, so that payments taken while the core was down go out once it is back. */
PdOutboxDrainer *pd_outbox_drainer_new     (PdPaymentService *service,
                                            guint             interval_seconds);
void             pd_outbox_drainer_start   (PdOutboxDrainer  *self);
void             pd_outbox_drainer_stop    (PdOutboxDrainer  *self);
void             pd_outbox_drainer_run_now (PdOutboxDrainer  *self);

G_END_DECLS
