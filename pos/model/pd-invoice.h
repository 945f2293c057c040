#pragma once

#include <glib-object.h>

#include "pd-money.h"

G_BEGIN_DECLS

typedef enum {
  PD_INVOICE_PREMIUM,
  PD_INVOICE_SPENDDOWN,
} PdInvoiceKind;

#define PD_TYPE_INVOICE (pd_invoice_get_type ())

G_DECLARE_FINAL_TYPE (PdInvoice, pd_invoice, PD, INVOICE, GObject)

PdInvoice     *pd_invoice_new            (const char    *number,
                                          PdInvoiceKind  kind,
                                          PdCents        amount_due,
                                          const GDate   *due_date);
const char    *pd_invoice_get_number     (PdInvoice     *self);
PdInvoiceKind  pd_invoice_get_kind       (PdInvoice     *self);
PdCents        pd_invoice_get_amount_due (PdInvoice     *self);
const GDate   *pd_invoice_get_due_date   (PdInvoice     *self);

const char    *pd_invoice_kind_to_id     (PdInvoiceKind  kind);
gboolean       pd_invoice_kind_from_id   (const char    *id,
                                          PdInvoiceKind *kind);

G_END_DECLS
