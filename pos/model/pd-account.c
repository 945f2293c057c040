#include <gio/gio.h>

#include "pd-account.h"

struct _PdAccount {
  GObject parent_instance;

  char *number;
  PdLineOfBusiness line_of_business;
  char *holder_name;
  PdCents balance;
  PdCents minimum_due;
  GDate due_date;
  GListStore *invoices;
};

G_DEFINE_FINAL_TYPE (PdAccount, pd_account, G_TYPE_OBJECT)

static void
pd_account_finalize (GObject *object)
{
  PdAccount *self = PD_ACCOUNT (object);

  g_free (self->number);
  g_free (self->holder_name);
  g_clear_object (&self->invoices);

  G_OBJECT_CLASS (pd_account_parent_class)->finalize (object);
}

static void
pd_account_class_init (PdAccountClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pd_account_finalize;
}

static void
pd_account_init (PdAccount *self)
{
  g_date_clear (&self->due_date, 1);
  self->invoices = g_list_store_new (PD_TYPE_INVOICE);
}

PdAccount *
pd_account_new (const char       *number,
                PdLineOfBusiness  line_of_business,
                const char       *holder_name,
                PdCents           balance,
                PdCents           minimum_due,
                const GDate      *due_date)
{
  PdAccount *self;

  g_return_val_if_fail (number != NULL && *number != '\0', NULL);
  g_return_val_if_fail (line_of_business < PD_N_LINES_OF_BUSINESS, NULL);

  self = g_object_new (PD_TYPE_ACCOUNT, NULL);
  self->number = g_strdup (number);
  self->line_of_business = line_of_business;
  self->holder_name = g_strdup (holder_name);
  self->balance = balance;
  self->minimum_due = minimum_due;
  if (due_date != NULL)
    self->due_date = *due_date;

  return self;
}

const char *
pd_account_get_number (PdAccount *self)
{
  g_return_val_if_fail (PD_IS_ACCOUNT (self), NULL);
  return self->number;
}

PdLineOfBusiness
pd_account_get_line_of_business (PdAccount *self)
{
  g_return_val_if_fail (PD_IS_ACCOUNT (self), PD_LINE_OF_BUSINESS_MARKETPLACE);
  return self->line_of_business;
}

const char *
pd_account_get_holder_name (PdAccount *self)
{
  g_return_val_if_fail (PD_IS_ACCOUNT (self), NULL);
  return self->holder_name;
}

PdCents
pd_account_get_balance (PdAccount *self)
{
  g_return_val_if_fail (PD_IS_ACCOUNT (self), 0);
  return self->balance;
}

PdCents
pd_account_get_minimum_due (PdAccount *self)
{
  g_return_val_if_fail (PD_IS_ACCOUNT (self), 0);
  return self->minimum_due;
}

const GDate *
pd_account_get_due_date (PdAccount *self)
{
  g_return_val_if_fail (PD_IS_ACCOUNT (self), NULL);
  return &self->due_date;
}

void
pd_account_add_invoice (PdAccount *self,
                        PdInvoice *invoice)
{
  g_return_if_fail (PD_IS_ACCOUNT (self));
  g_return_if_fail (PD_IS_INVOICE (invoice));
  g_return_if_fail (pd_account_find_invoice (self, pd_invoice_get_number (invoice)) == NULL);

  g_list_store_append (self->invoices, invoice);
}

GListModel *
pd_account_get_invoices (PdAccount *self)
{
  g_return_val_if_fail (PD_IS_ACCOUNT (self), NULL);
  return G_LIST_MODEL (self->invoices);
}

PdInvoice *
pd_account_find_invoice (PdAccount  *self,
                         const char *number)
{
  guint n;

  g_return_val_if_fail (PD_IS_ACCOUNT (self), NULL);
  g_return_val_if_fail (number != NULL, NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->invoices));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PdInvoice) invoice = g_list_model_get_item (G_LIST_MODEL (self->invoices), i);

      if (g_strcmp0 (pd_invoice_get_number (invoice), number) == 0)
        return invoice;
    }

  return NULL;
}

PdInvoice *
pd_account_find_oldest_invoice (PdAccount *self)
{
  PdInvoice *oldest = NULL;
  guint n;

  g_return_val_if_fail (PD_IS_ACCOUNT (self), NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->invoices));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PdInvoice) invoice = g_list_model_get_item (G_LIST_MODEL (self->invoices), i);
      const GDate *due = pd_invoice_get_due_date (invoice);

      if (oldest == NULL ||
          (due != NULL && g_date_valid (due) && pd_invoice_get_due_date (oldest) != NULL &&
           g_date_valid (pd_invoice_get_due_date (oldest)) &&
           g_date_compare (due, pd_invoice_get_due_date (oldest)) < 0))
        oldest = invoice;
    }

  return oldest;
}
