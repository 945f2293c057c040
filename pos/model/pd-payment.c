#include <string.h>

#include <glib/gi18n-lib.h>

#include "pd-business-date.h"
#include "pd-payment-record.h"
#include "pd-strings.h"

G_DEFINE_QUARK (pd-payment-error-quark, pd_payment_error)

struct _PdPayment {
  GObject parent_instance;

  char *id;
  char *client_ref;
  char *idempotency_key;
  GDateTime *created_at;
  GDate business_date;
  char *center_id;
  char *terminal_id;
  char *operator_id;
  char *account_number;
  char *member_name;
  char *language;
  gboolean training;
  PdLineOfBusiness line_of_business;
  char *invoice_number;
  PdCents amount;
  char *currency;
  PdTender tender;
  char *tender_brand;
  char *tender_last4;
  PdPaymentState state;
  char *confirmation;
  char *reason;
};

G_DEFINE_FINAL_TYPE (PdPayment, pd_payment, G_TYPE_OBJECT)

static void
pd_payment_finalize (GObject *object)
{
  PdPayment *self = PD_PAYMENT (object);

  g_free (self->id);
  g_free (self->client_ref);
  g_free (self->idempotency_key);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_free (self->center_id);
  g_free (self->terminal_id);
  g_free (self->operator_id);
  g_free (self->account_number);
  g_free (self->member_name);
  g_free (self->language);
  g_free (self->invoice_number);
  g_free (self->currency);
  g_free (self->tender_brand);
  g_free (self->tender_last4);
  g_free (self->confirmation);
  g_free (self->reason);

  G_OBJECT_CLASS (pd_payment_parent_class)->finalize (object);
}

static void
pd_payment_class_init (PdPaymentClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pd_payment_finalize;
}

static void
pd_payment_init (PdPayment *self)
{
  g_date_clear (&self->business_date, 1);
  self->state = PD_PAYMENT_STATE_CREATED;
  self->currency = g_strdup ("USD");
}

/* The client reference is what the core can be asked about when an answer was lost;
 * it names the terminal so that support can read it off a receipt. */
static char *
make_client_ref (const char *terminal_id)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autoptr(GString) compact = g_string_new (NULL);

  for (const char *p = uuid; *p != '\0' && compact->len < 16; p++)
    if (*p != '-')
      g_string_append_c (compact, g_ascii_toupper (*p));

  return g_strdup_printf ("%s-%s", terminal_id, compact->str);
}

PdPayment *
pd_payment_new (const PdPaymentOrigin  *origin,
                PdAccount              *account,
                PdInvoice              *invoice,
                PdCents                 amount,
                PdTender                tender,
                GDateTime              *now,
                GError                **error)
{
  g_autoptr(PdPayment) self = NULL;

  g_return_val_if_fail (origin != NULL, NULL);
  g_return_val_if_fail (PD_IS_ACCOUNT (account), NULL);
  g_return_val_if_fail (invoice == NULL || PD_IS_INVOICE (invoice), NULL);
  g_return_val_if_fail (tender < PD_N_TENDERS, NULL);

  if (origin->center_id == NULL || *origin->center_id == '\0' ||
      origin->terminal_id == NULL || *origin->terminal_id == '\0')
    {
      g_set_error_literal (error, PD_PAYMENT_ERROR, PD_PAYMENT_ERROR_INVALID_ORIGIN,
                           _("This terminal has no center or terminal ID configured."));
      return NULL;
    }

  if (amount <= 0)
    {
      g_set_error_literal (error, PD_PAYMENT_ERROR, PD_PAYMENT_ERROR_INVALID_AMOUNT,
                           _("The amount must be more than zero."));
      return NULL;
    }

  if (invoice != NULL &&
      pd_account_find_invoice (account, pd_invoice_get_number (invoice)) != invoice)
    {
      g_set_error (error, PD_PAYMENT_ERROR, PD_PAYMENT_ERROR_INVOICE_NOT_ON_ACCOUNT,
                   _("Invoice %s does not belong to account %s. Pay each account separately."),
                   pd_invoice_get_number (invoice), pd_account_get_number (account));
      return NULL;
    }

  self = g_object_new (PD_TYPE_PAYMENT, NULL);
  self->id = g_uuid_string_random ();
  self->client_ref = make_client_ref (origin->terminal_id);
  self->idempotency_key = g_uuid_string_random ();
  self->created_at = now != NULL ? g_date_time_to_utc (now) : g_date_time_new_now_utc ();
  pd_business_date_for (self->created_at, origin->business_day_cutoff_minutes,
                        &self->business_date);
  self->center_id = g_strdup (origin->center_id);
  self->terminal_id = g_strdup (origin->terminal_id);
  self->operator_id = g_strdup (origin->operator_id);
  self->account_number = g_strdup (pd_account_get_number (account));
  self->member_name = g_strdup (pd_account_get_holder_name (account));
  self->language = g_strdup (origin->language);
  self->training = origin->training;
  self->line_of_business = pd_account_get_line_of_business (account);
  self->invoice_number = invoice != NULL ? g_strdup (pd_invoice_get_number (invoice)) : NULL;
  self->amount = amount;
  self->tender = tender;

  return g_steal_pointer (&self);
}

PdPayment *
pd_payment_new_from_record (const PdPaymentRecord *record)
{
  PdPayment *self = g_object_new (PD_TYPE_PAYMENT, NULL);

  self->id = g_strdup (record->id);
  self->client_ref = g_strdup (record->client_ref);
  self->idempotency_key = g_strdup (record->idempotency_key);
  self->created_at = g_date_time_ref (record->created_at);
  self->business_date = *record->business_date;
  self->center_id = g_strdup (record->center_id);
  self->terminal_id = g_strdup (record->terminal_id);
  self->operator_id = g_strdup (record->operator_id);
  self->account_number = g_strdup (record->account_number);
  self->line_of_business = record->line_of_business;
  self->invoice_number = g_strdup (record->invoice_number);
  self->amount = record->amount;
  g_free (self->currency);
  self->currency = g_strdup (record->currency);
  self->tender = record->tender;
  self->tender_brand = g_strdup (record->tender_brand);
  self->tender_last4 = g_strdup (record->tender_last4);
  self->state = record->state;
  self->confirmation = g_strdup (record->confirmation);
  self->reason = g_strdup (record->reason);
  self->training = record->training;

  return self;
}

void
pd_payment_apply_event (PdPayment      *self,
                        PdPaymentState  state,
                        const char     *confirmation,
                        const char     *reason)
{
  self->state = state;
  if (confirmation != NULL)
    pd_replace_string (&self->confirmation, confirmation);
  pd_replace_string (&self->reason, reason);
}

/* Only what a receipt may show: the brand and the last four digits. */
gboolean
pd_payment_set_tender_display (PdPayment   *self,
                               const char  *brand,
                               const char  *last4,
                               GError     **error)
{
  g_return_val_if_fail (PD_IS_PAYMENT (self), FALSE);

  if (last4 != NULL)
    {
      gboolean four_digits = strlen (last4) == 4;

      for (const char *p = last4; four_digits && *p != '\0'; p++)
        four_digits = g_ascii_isdigit (*p);

      if (!four_digits)
        {
          g_set_error_literal (error, PD_PAYMENT_ERROR, PD_PAYMENT_ERROR_INVALID_TENDER_DETAILS,
                               _("Only the last four digits of a card or account are kept."));
          return FALSE;
        }
    }

  pd_replace_string (&self->tender_brand, brand);
  pd_replace_string (&self->tender_last4, last4);
  return TRUE;
}

#define GETTER(type, name, field, fallback)              \
  type                                                   \
  pd_payment_get_##name (PdPayment *self)                \
  {                                                      \
    g_return_val_if_fail (PD_IS_PAYMENT (self), fallback); \
    return self->field;                                  \
  }

GETTER (const char *, id, id, NULL)
GETTER (const char *, client_ref, client_ref, NULL)
GETTER (const char *, idempotency_key, idempotency_key, NULL)
GETTER (GDateTime *, created_at, created_at, NULL)
GETTER (const char *, center_id, center_id, NULL)
GETTER (const char *, terminal_id, terminal_id, NULL)
GETTER (const char *, operator_id, operator_id, NULL)
GETTER (const char *, account_number, account_number, NULL)
GETTER (const char *, member_name, member_name, NULL)
GETTER (const char *, language, language, NULL)
GETTER (gboolean, training, training, FALSE)
GETTER (PdLineOfBusiness, line_of_business, line_of_business, PD_LINE_OF_BUSINESS_MARKETPLACE)
GETTER (const char *, invoice_number, invoice_number, NULL)
GETTER (PdCents, amount, amount, 0)
GETTER (const char *, currency, currency, NULL)
GETTER (PdTender, tender, tender, PD_TENDER_CARD)
GETTER (const char *, tender_brand, tender_brand, NULL)
GETTER (const char *, tender_last4, tender_last4, NULL)
GETTER (PdPaymentState, state, state, PD_PAYMENT_STATE_CREATED)
GETTER (const char *, confirmation, confirmation, NULL)
GETTER (const char *, reason, reason, NULL)

#undef GETTER

const GDate *
pd_payment_get_business_date (PdPayment *self)
{
  g_return_val_if_fail (PD_IS_PAYMENT (self), NULL);
  return &self->business_date;
}

static const struct {
  const char *id;
  const char *wording;
} decline_reasons[] = {
  { "insufficient_funds", N_("Not enough funds") },
  { "account_blocked", N_("Account on hold") },
  { "cryptogram_failed", N_("Card could not be verified") },
  { "reversed_before_authorization", N_("Canceled by the terminal") },
};

const char *
pd_payment_reason_wording (const char *reason)
{
  for (gsize i = 0; reason != NULL && i < G_N_ELEMENTS (decline_reasons); i++)
    if (g_str_equal (decline_reasons[i].id, reason))
      return decline_reasons[i].wording;
  return NULL;
}
