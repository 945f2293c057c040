#pragma once

#include "pd-emv-session.h"
#include "pd-payment-service.h"

G_BEGIN_DECLS

/* A whole card payment: the card in a reader, the EMV kernel, the payment core, and the
 * card's last word; journaled by the payment service at every step. Blocking: run it on a
 * worker thread (paydesk-ctl runs it directly). */

typedef struct {
  PdPayment *payment;
  /* approved, declined (by the card or terminal before going online, or by the core),
   * reversed (approved, then the card refused or left), failed */
  const char *outcome;
  char *message;
  char *reader;
  char *brand;
  char *pan_last4;
  char *aid;
  char *app_label;
  const char *entry_mode;
  char *tvr;
  char *tsi;
  char *auth_code;
  gboolean signature_required;
  /* For the benchmark: card seen → authorization request sent. */
  guint commands_before_request;
  gint64 kiosk_usec_before_request;
  gint64 transmit_usec_before_request;
  char *log;
} PdCardPaymentResult;

typedef struct {
  PdPaymentService *service;
  const PdEmvTerminal *terminal;
  PdCapkTable *capks;
  const char *core_public_key;
  PdEmvChooser chooser;
  gpointer chooser_data;
  /* Where each session's command log is kept for support (NULL: nowhere). */
  char *log_dir;
} PdCardPaymentContext;

/* The terminal's EMV parameters from the configuration (counter or kiosk), the CA key table
 * (PAYDESK_CAPK overrides the installed one; training keys only on a training terminal). */
gboolean pd_card_payment_context_init (PdCardPaymentContext       *context,
                                       PdEmvTerminal              *terminal,
                                       PdConfig                   *config,
                                       PdPaymentService           *service,
                                       GError                    **error);
void     pd_card_payment_context_clear (PdCardPaymentContext      *context);

/* Waits up to wait_ms for a card in reader (or any of patterns), then pays. FALSE with error
 * when no payment could be attempted or its outcome is unknown; TRUE with the outcome in
 * result otherwise. */
gboolean pd_card_payment_run          (const PdCardPaymentContext *context,
                                       const char * const         *patterns,
                                       const char                 *reader,
                                       guint                       wait_ms,
                                       PdAccount                  *account,
                                       PdInvoice                  *invoice,
                                       PdCents                     amount,
                                       const char                 *operator_id,
                                       PdCardPaymentResult        *result,
                                       GCancellable               *cancellable,
                                       GError                    **error);
void     pd_card_payment_result_clear (PdCardPaymentResult        *result);

/* The same on a worker thread, for the GUI: context (and what it points to), account and
 * invoice must stay alive until callback runs on the caller's main context. */
void     pd_card_payment_run_async    (const PdCardPaymentContext *context,
                                       const char * const         *patterns,
                                       const char                 *reader,
                                       guint                       wait_ms,
                                       PdAccount                  *account,
                                       PdInvoice                  *invoice,
                                       PdCents                     amount,
                                       const char                 *operator_id,
                                       GCancellable               *cancellable,
                                       GAsyncReadyCallback         callback,
                                       gpointer                    user_data);
gboolean pd_card_payment_run_finish   (GAsyncResult               *result,
                                       PdCardPaymentResult        *outcome,
                                       GError                    **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PdCardPaymentResult, pd_card_payment_result_clear)

G_END_DECLS
