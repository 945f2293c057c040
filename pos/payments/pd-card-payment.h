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

/* What a card payment needs from the terminal: its EMV parameters, the CA keys, the core's
 * sealing key, the payment service, where session logs go, and how the member chooses among
 * a card's applications. Reference counted: a payment running on a worker keeps its own
 * reference, so the caller (a kiosk whose visit timed out) may drop its one at any time. */
typedef struct _PdCardPaymentContext PdCardPaymentContext;

/* The terminal's EMV parameters from the configuration (counter or kiosk), the CA key table
 * (PAYDESK_CAPK overrides the installed one on a training terminal; training keys only
 * there). */
PdCardPaymentContext *pd_card_payment_context_new   (PdConfig              *config,
                                                     PdPaymentService      *service,
                                                     GError               **error);
PdCardPaymentContext *pd_card_payment_context_ref   (PdCardPaymentContext  *context);
void                  pd_card_payment_context_unref (PdCardPaymentContext  *context);
/* Asked on the payment's thread when a card offers several applications; data is kept
 * until the context goes (destroy, when not NULL, is called then). */
void                  pd_card_payment_context_set_chooser (PdCardPaymentContext *context,
                                                     PdEmvChooser           chooser,
                                                     gpointer               data,
                                                     GDestroyNotify         destroy);
const PdEmvTerminal  *pd_card_payment_context_get_terminal (PdCardPaymentContext *context);

/* One payment: wait up to wait_ms for a card in reader (or any reader matching patterns),
 * then charge amount to account (and invoice). */
typedef struct {
  const char * const *patterns;
  const char *reader;
  guint wait_ms;
  PdAccount *account;
  PdInvoice *invoice;
  PdCents amount;
  PdPaymentParties parties;
} PdCardPaymentRequest;

/* FALSE with error when no payment could be attempted or its outcome is unknown; TRUE with
 * the outcome in result otherwise. cancellable stops the wait for a card only: once a card
 * is read, the payment runs to its outcome. */
gboolean pd_card_payment_run          (PdCardPaymentContext       *context,
                                       const PdCardPaymentRequest *request,
                                       PdCardPaymentResult        *result,
                                       GCancellable               *cancellable,
                                       GError                    **error);
void     pd_card_payment_result_clear (PdCardPaymentResult        *result);

/* The same on a worker thread, for the GUI: the request is copied and the context
 * referenced, so nothing the caller holds needs to outlive the call; callback runs on the
 * caller's main context. */
void     pd_card_payment_run_async    (PdCardPaymentContext       *context,
                                       const PdCardPaymentRequest *request,
                                       GCancellable               *cancellable,
                                       GAsyncReadyCallback         callback,
                                       gpointer                    user_data);
gboolean pd_card_payment_run_finish   (GAsyncResult               *result,
                                       PdCardPaymentResult        *outcome,
                                       GError                    **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdCardPaymentContext, pd_card_payment_context_unref)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PdCardPaymentResult, pd_card_payment_result_clear)

G_END_DECLS
