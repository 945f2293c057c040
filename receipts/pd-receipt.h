#pragma once

#include <glib-object.h>

#include "pd-config.h"
#include "pd-journal.h"

G_BEGIN_DECLS

#define PD_RECEIPT_ERROR (pd_receipt_error_quark ())

typedef enum {
  PD_RECEIPT_ERROR_NOT_FOUND,     /* no such payment in the journal */
  PD_RECEIPT_ERROR_NO_RECEIPT,    /* the payment never reached the core: nothing to confirm */
  PD_RECEIPT_ERROR_DAMAGED,       /* its journaled request cannot be read back */
} PdReceiptError;

/* What the member is told became of the payment. */
typedef enum {
  PD_RECEIPT_STATUS_APPROVED,     /* a card the issuer approved */
  PD_RECEIPT_STATUS_ACCEPTED,     /* a check or bank payment the core accepted */
  PD_RECEIPT_STATUS_PENDING,      /* kept here or at the core; decided later */
  PD_RECEIPT_STATUS_DECLINED,
  PD_RECEIPT_STATUS_NOT_CHARGED,  /* failed or reversed before anything was taken */
  PD_RECEIPT_STATUS_VOIDED,
  PD_RECEIPT_STATUS_REFUNDED,
} PdReceiptStatus;

#define PD_TYPE_RECEIPT (pd_receipt_get_type ())

G_DECLARE_FINAL_TYPE (PdReceipt, pd_receipt, PD, RECEIPT, GObject)

GQuark           pd_receipt_error_quark      (void);

/* Everything a receipt says, gathered once from the journal (the payment, its events, the
 * facts recorded beside it, the tender details of its first request to the core, and the
 * member's signature of a bank payment's or converted check's authorization) and the
 * terminal's configuration. Holds last fours only: the journal has nothing more. */
PdReceipt       *pd_receipt_new_from_journal (PdJournal   *journal,
                                              PdConfig    *config,
                                              const char  *payment_id,
                                              GError     **error);

const char      *pd_receipt_get_payment_id   (PdReceipt   *self);
/* The terminal's reference for the payment (TERMINAL-HEX), printed on the receipt: what an
 * associate types to find, void or refund it. */
const char      *pd_receipt_get_reference    (PdReceipt   *self);
PdReceiptStatus  pd_receipt_get_status       (PdReceipt   *self);
const char      *pd_receipt_get_confirmation (PdReceipt   *self);
/* The language the member chose when paying, or the terminal's default. */
const char      *pd_receipt_get_language     (PdReceipt   *self);
/* 0 for the original; any later copy is printed DUPLICATE. */
guint            pd_receipt_get_copy_number  (PdReceipt   *self);
void             pd_receipt_set_copy_number  (PdReceipt   *self,
                                              guint        copy_number);

const char      *pd_receipt_status_to_id     (PdReceiptStatus status);

G_END_DECLS
