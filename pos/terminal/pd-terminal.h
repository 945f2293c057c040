#pragma once

#include <gio/gio.h>

#include "pd-config.h"
#include "pd-core-client.h"
#include "pd-journal.h"
#include "pd-outbox-drainer.h"
#include "pd-payment-service.h"
#include "pd-peripherals.h"
#include "pd-receipt-mailer.h"
#include "pd-staff.h"

G_BEGIN_DECLS

#define PD_TYPE_TERMINAL (pd_terminal_get_type ())

G_DECLARE_FINAL_TYPE (PdTerminal, pd_terminal, PD, TERMINAL, GObject)

typedef enum {
  PD_TERMINAL_FLAGS_NONE = 0,
  /* Also look for the configured printer and check scanner (a missing one is not an error:
   * pd_terminal_get_peripherals_error says why they cannot be used). */
  PD_TERMINAL_FLAGS_PERIPHERALS = 1 << 0,
  /* paydesk-ctl: what it does is written to the audit log as done with it. */
  PD_TERMINAL_FLAGS_COMMAND_LINE = 1 << 1,
  /* The running terminal (paydesk): its start, and the configuration it runs on, are
   * written to the audit log. */
  PD_TERMINAL_FLAGS_RECORD_START = 1 << 2,
} PdTerminalFlags;

/* Everything a terminal runs on, opened from its configuration: the journal (checked to be
 * a training or production one like the terminal), the payment core client, the payment
 * service, the outbox drainer, the receipt mailer (when [email] names a server) and the
 * peripherals. The GUI, paydesk-ctl, the tests and the benchmarks all start here.
 *
 * Opening reads and may migrate the journal and reads secrets from files: the async form
 * does all of it on a worker, for a caller whose thread must not block. */
void        pd_terminal_new_async   (PdConfig             *config,
                                     PdTerminalFlags       flags,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data);
PdTerminal *pd_terminal_new_finish  (GAsyncResult         *result,
                                     GError              **error);
/* The same, blocking: for the command line and the tests. */
PdTerminal *pd_terminal_new         (PdConfig             *config,
                                     PdTerminalFlags       flags,
                                     GCancellable         *cancellable,
                                     GError              **error);

/* The terminal at work: the outbox sent every interval_seconds (and once now), emailed
 * receipts on the same beat, the peripherals watched; on the main context of the caller,
 * once. Stop ends the work for good (dropping the last reference stops it too). */
void              pd_terminal_start                 (PdTerminal *self,
                                                     guint       interval_seconds);
void              pd_terminal_stop                  (PdTerminal *self);

PdConfig         *pd_terminal_get_config            (PdTerminal *self);
PdJournal        *pd_terminal_get_journal           (PdTerminal *self);
PdCoreClient     *pd_terminal_get_core_client       (PdTerminal *self);
PdPaymentService *pd_terminal_get_payment_service   (PdTerminal *self);
/* The associates, their sign-in and the audit log. */
PdStaff          *pd_terminal_get_staff             (PdTerminal *self);
/* NULL until started. */
PdOutboxDrainer  *pd_terminal_get_outbox_drainer    (PdTerminal *self);
/* NULL when the configuration names no mail server. */
PdReceiptMailer  *pd_terminal_get_receipt_mailer    (PdTerminal *self);
/* NULL unless asked for with PD_TERMINAL_FLAGS_PERIPHERALS and they could be set up. */
PdPeripherals    *pd_terminal_get_peripherals       (PdTerminal *self);
const GError     *pd_terminal_get_peripherals_error (PdTerminal *self);

G_END_DECLS
