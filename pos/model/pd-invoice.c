#include <string.h>

#include "pd-invoice.h"

struct _PdInvoice {
  GObject parent_instance;

  char *number;
  PdInvoiceKind kind;
  PdCents amount_due;
  GDate due_date;
};

G_DEFINE_FINAL_TYPE (PdInvoice, pd_invoice, G_TYPE_OBJECT)

static void
pd_invoice_finalize (GObject *object)
{
  PdInvoice *self = PD_INVOICE (object);

  g_free (self->number);

  G_OBJECT_CLASS (pd_invoice_parent_class)->finalize (object);
}

static void
pd_invoice_class_init (PdInvoiceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pd_invoice_finalize;
}

static void
pd_invoice_init (PdInvoice *self)
{
  g_date_clear (&self->due_date, 1);
}

PdInvoice *
pd_invoice_new (const char    *number,
                PdInvoiceKind  kind,
                PdCents        amount_due,
                const GDate   *due_date)
{
  PdInvoice *self;

  g_return_val_if_fail (number != NULL && *number != '\0', NULL);
  g_return_val_if_fail (amount_due >= 0, NULL);

  self = g_object_new (PD_TYPE_INVOICE, NULL);
  self->number = g_strdup (number);
  self->kind = kind;
  self->amount_due = amount_due;
  if (due_date != NULL)
    self->due_date = *due_date;

  return self;
}

const char *
pd_invoice_get_number (PdInvoice *self)
{
  g_return_val_if_fail (PD_IS_INVOICE (self), NULL);
  return self->number;
}

PdInvoiceKind
pd_invoice_get_kind (PdInvoice *self)
{
  g_return_val_if_fail (PD_IS_INVOICE (self), PD_INVOICE_PREMIUM);
  return self->kind;
}

PdCents
pd_invoice_get_amount_due (PdInvoice *self)
{
  g_return_val_if_fail (PD_IS_INVOICE (self), 0);
  return self->amount_due;
}

/* An invalid GDate means the invoice has no due date. */
const GDate *
pd_invoice_get_due_date (PdInvoice *self)
{
  g_return_val_if_fail (PD_IS_INVOICE (self), NULL);
  return &self->due_date;
}

const char *
pd_invoice_kind_to_id (PdInvoiceKind kind)
{
  return kind == PD_INVOICE_SPENDDOWN ? "spenddown" : "premium";
}

gboolean
pd_invoice_kind_from_id (const char    *id,
                         PdInvoiceKind *kind)
{
  g_return_val_if_fail (kind != NULL, FALSE);

  if (g_strcmp0 (id, "premium") == 0)
    *kind = PD_INVOICE_PREMIUM;
  else if (g_strcmp0 (id, "spenddown") == 0)
    *kind = PD_INVOICE_SPENDDOWN;
  else
    return FALSE;

  return TRUE;
}
