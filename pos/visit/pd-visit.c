#include <string.h>

#include <glib/gi18n-lib.h>
#include <sodium.h>

#include "pd-visit.h"

struct _PdVisit {
  GObject parent_instance;

  char *default_language;
  char *language;
  char *first_name;
  char *last_name;
  GListStore *accounts;
  guint failed_lookups;
  PdAccount *account;
  PdInvoice *invoice;
  PdVisitRules rules;
  PdCents amount;
  /* A PdTender, or -1 before the member chooses. */
  int tender;
  PdBankAccount *bank_account;
  PdSignature *signature;
  PdPayment *payment;
  gboolean outcome_unknown;
  char *operator_id;
};

G_DEFINE_FINAL_TYPE (PdVisit, pd_visit, G_TYPE_OBJECT)
G_DEFINE_QUARK (pd-visit-error-quark, pd_visit_error)

enum {
  PROP_0,
  PROP_LANGUAGE,
  PROP_HAS_MEMBER,
  PROP_FIRST_NAME,
  PROP_FAILED_LOOKUPS,
  PROP_ACCOUNT,
  PROP_INVOICE,
  PROP_AMOUNT,
  PROP_TENDER,
  PROP_OUTCOME_UNKNOWN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void set_tender (PdVisit *self,
                        int      tender);

/* Names are personal data: not left in freed memory for a later allocation to show. */
static void
forget_text (char **text)
{
  if (*text == NULL)
    return;
  sodium_memzero (*text, strlen (*text));
  g_clear_pointer (text, g_free);
}

static void
pd_visit_finalize (GObject *object)
{
  PdVisit *self = PD_VISIT (object);

  forget_text (&self->first_name);
  forget_text (&self->last_name);
  g_clear_object (&self->accounts);
  g_clear_object (&self->account);
  g_clear_object (&self->invoice);
  g_clear_pointer (&self->bank_account, pd_bank_account_free);
  g_clear_object (&self->signature);
  g_clear_object (&self->payment);
  g_free (self->operator_id);
  g_free (self->language);
  g_free (self->default_language);

  G_OBJECT_CLASS (pd_visit_parent_class)->finalize (object);
}

static void
pd_visit_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  PdVisit *self = PD_VISIT (object);

  switch (prop_id)
    {
    case PROP_LANGUAGE:
      g_value_set_string (value, self->language);
      break;
    case PROP_HAS_MEMBER:
      g_value_set_boolean (value, pd_visit_has_member (self));
      break;
    case PROP_FIRST_NAME:
      g_value_set_string (value, self->first_name);
      break;
    case PROP_FAILED_LOOKUPS:
      g_value_set_uint (value, self->failed_lookups);
      break;
    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;
    case PROP_INVOICE:
      g_value_set_object (value, self->invoice);
      break;
    case PROP_AMOUNT:
      g_value_set_int64 (value, self->amount);
      break;
    case PROP_TENDER:
      g_value_set_int (value, self->tender);
      break;
    case PROP_OUTCOME_UNKNOWN:
      g_value_set_boolean (value, self->outcome_unknown);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_visit_class_init (PdVisitClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pd_visit_finalize;
  object_class->get_property = pd_visit_get_property;

  properties[PROP_LANGUAGE] =
    g_param_spec_string ("language", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HAS_MEMBER] =
    g_param_spec_boolean ("has-member", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FIRST_NAME] =
    g_param_spec_string ("first-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FAILED_LOOKUPS] =
    g_param_spec_uint ("failed-lookups", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL, PD_TYPE_ACCOUNT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_INVOICE] =
    g_param_spec_object ("invoice", NULL, NULL, PD_TYPE_INVOICE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_AMOUNT] =
    g_param_spec_int64 ("amount", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TENDER] =
    g_param_spec_int ("tender", NULL, NULL, -1, PD_N_TENDERS - 1, -1,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_OUTCOME_UNKNOWN] =
    g_param_spec_boolean ("outcome-unknown", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pd_visit_init (PdVisit *self)
{
  self->accounts = g_list_store_new (PD_TYPE_ACCOUNT);
  self->tender = -1;
}

PdVisit *
pd_visit_new (const char         *default_language,
              const PdVisitRules *rules)
{
  PdVisit *self;

  g_return_val_if_fail (default_language != NULL, NULL);
  g_return_val_if_fail (rules != NULL && rules->max_payment > 0, NULL);

  self = g_object_new (PD_TYPE_VISIT, NULL);
  self->rules = *rules;
  self->default_language = g_strdup (default_language);
  self->language = g_strdup (default_language);
  return self;
}

const char *
pd_visit_get_language (PdVisit *self)
{
  g_return_val_if_fail (PD_IS_VISIT (self), NULL);

  return self->language;
}

void
pd_visit_set_language (PdVisit    *self,
                       const char *language)
{
  g_return_if_fail (PD_IS_VISIT (self));
  g_return_if_fail (language != NULL);

  if (g_strcmp0 (self->language, language) == 0)
    return;
  g_free (self->language);
  self->language = g_strdup (language);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LANGUAGE]);
}

void
pd_visit_set_member (PdVisit    *self,
                     const char *first_name,
                     const char *last_name,
                     GPtrArray  *accounts)
{
  g_return_if_fail (PD_IS_VISIT (self));
  g_return_if_fail (accounts != NULL);

  /* Another member (found after going back): nothing chosen for the one before stays. */
  pd_visit_choose_account (self, NULL, NULL);
  set_tender (self, -1);
  g_clear_pointer (&self->bank_account, pd_bank_account_free);
  g_clear_object (&self->signature);
  g_clear_object (&self->payment);
  forget_text (&self->first_name);
  forget_text (&self->last_name);
  self->first_name = g_strdup (first_name);
  self->last_name = g_strdup (last_name);
  g_list_store_splice (self->accounts, 0, g_list_model_get_n_items (G_LIST_MODEL (self->accounts)),
                       accounts->pdata, accounts->len);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIRST_NAME]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_MEMBER]);
}

gboolean
pd_visit_has_member (PdVisit *self)
{
  g_return_val_if_fail (PD_IS_VISIT (self), FALSE);

  return g_list_model_get_n_items (G_LIST_MODEL (self->accounts)) > 0;
}

const char *
pd_visit_get_first_name (PdVisit *self)
{
  g_return_val_if_fail (PD_IS_VISIT (self), NULL);

  return self->first_name;
}

GListModel *
pd_visit_get_accounts (PdVisit *self)
{
  g_return_val_if_fail (PD_IS_VISIT (self), NULL);

  return G_LIST_MODEL (self->accounts);
}

void
pd_visit_count_failed_lookup (PdVisit *self)
{
  g_return_if_fail (PD_IS_VISIT (self));

  self->failed_lookups++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAILED_LOOKUPS]);
}

guint
pd_visit_get_failed_lookups (PdVisit *self)
{
  g_return_val_if_fail (PD_IS_VISIT (self), 0);

  return self->failed_lookups;
}

gboolean
pd_visit_should_suggest_help (PdVisit *self)
{
  g_return_val_if_fail (PD_IS_VISIT (self), FALSE);

  return self->failed_lookups >= PD_VISIT_LOOKUPS_BEFORE_HELP;
}

static void
set_amount (PdVisit *self,
            PdCents  amount)
{
  if (self->amount == amount)
    return;
  self->amount = amount;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AMOUNT]);
}

void
pd_visit_choose_account (PdVisit   *self,
                         PdAccount *account,
                         PdInvoice *invoice)
{
  g_return_if_fail (PD_IS_VISIT (self));
  g_return_if_fail (account == NULL || PD_IS_ACCOUNT (account));
  g_return_if_fail (invoice == NULL || PD_IS_INVOICE (invoice));

  if (account != NULL && invoice == NULL)
    invoice = pd_account_find_oldest_invoice (account);
  if (g_set_object (&self->account, account))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT]);
      set_amount (self, 0);
    }
  if (g_set_object (&self->invoice, invoice))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INVOICE]);
}

gboolean
pd_visit_choose_amount (PdVisit  *self,
                        PdCents   amount,
                        GError  **error)
{
  g_autofree char *text = NULL;
  g_autofree char *limit = NULL;

  g_return_val_if_fail (PD_IS_VISIT (self), FALSE);

  if (self->account == NULL)
    {
      g_set_error_literal (error, PD_VISIT_ERROR, PD_VISIT_ERROR_NO_AMOUNT,
                           _("Choose the account to pay first."));
      return FALSE;
    }
  if (amount <= 0)
    {
      g_set_error_literal (error, PD_VISIT_ERROR, PD_VISIT_ERROR_NO_AMOUNT,
                           _("Enter the amount you want to pay."));
      return FALSE;
    }

  text = pd_money_format (amount, NULL);
  if (amount > self->rules.max_payment)
    {
      limit = pd_money_format (self->rules.max_payment, NULL);
      if (self->rules.stated_amounts)
        g_set_error (error, PD_VISIT_ERROR, PD_VISIT_ERROR_OVER_LIMIT,
                     _("%s is more than one payment may be on this terminal (%s)."), text,
                     limit);
      else
        g_set_error (error, PD_VISIT_ERROR, PD_VISIT_ERROR_OVER_LIMIT,
                     _("%s is more than this kiosk takes in one payment (%s). Enter a smaller "
                       "amount, or ask an associate."), text, limit);
      return FALSE;
    }
  if (!self->rules.allow_overpayment && !self->rules.stated_amounts &&
      amount > pd_account_get_balance (self->account))
    {
      limit = pd_money_format (pd_account_get_balance (self->account), NULL);
      g_set_error (error, PD_VISIT_ERROR, PD_VISIT_ERROR_OVER_BALANCE,
                   _("%s is more than this account's balance (%s). Enter %s or less."), text,
                   limit, limit);
      return FALSE;
    }

  set_amount (self, amount);
  return TRUE;
}

PdCents
pd_visit_get_amount (PdVisit *self)
{
  g_return_val_if_fail (PD_IS_VISIT (self), 0);

  return self->amount;
}

PdAccount *
pd_visit_get_account (PdVisit *self)
{
  g_return_val_if_fail (PD_IS_VISIT (self), NULL);

  return self->account;
}

PdInvoice *
pd_visit_get_invoice (PdVisit *self)
{
  g_return_val_if_fail (PD_IS_VISIT (self), NULL);

  return self->invoice;
}

static void
set_tender (PdVisit *self,
            int      tender)
{
  if (self->tender == tender)
    return;
  self->tender = tender;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TENDER]);
}

void
pd_visit_choose_tender (PdVisit  *self,
                        PdTender  tender)
{
  g_return_if_fail (PD_IS_VISIT (self));
  g_return_if_fail ((int) tender >= 0 && tender < PD_N_TENDERS);

  set_tender (self, (int) tender);
}

gboolean
pd_visit_get_tender (PdVisit  *self,
                     PdTender *tender)
{
  g_return_val_if_fail (PD_IS_VISIT (self), FALSE);
  g_return_val_if_fail (tender != NULL, FALSE);

  if (self->tender < 0)
    return FALSE;
  *tender = (PdTender) self->tender;
  return TRUE;
}

void
pd_visit_set_bank_account (PdVisit       *self,
                           PdBankAccount *bank_account)
{
  g_return_if_fail (PD_IS_VISIT (self));

  g_clear_pointer (&self->bank_account, pd_bank_account_free);
  self->bank_account = bank_account;
}

PdBankAccount *
pd_visit_get_bank_account (PdVisit *self)
{
  g_return_val_if_fail (PD_IS_VISIT (self), NULL);

  return self->bank_account;
}

void
pd_visit_set_signature (PdVisit     *self,
                        PdSignature *signature)
{
  g_return_if_fail (PD_IS_VISIT (self));
  g_return_if_fail (signature == NULL || PD_IS_SIGNATURE (signature));

  g_set_object (&self->signature, signature);
}

PdSignature *
pd_visit_get_signature (PdVisit *self)
{
  g_return_val_if_fail (PD_IS_VISIT (self), NULL);

  return self->signature;
}

void
pd_visit_set_payment (PdVisit   *self,
                      PdPayment *payment)
{
  g_return_if_fail (PD_IS_VISIT (self));
  g_return_if_fail (payment == NULL || PD_IS_PAYMENT (payment));

  g_set_object (&self->payment, payment);
}

PdPayment *
pd_visit_get_payment (PdVisit *self)
{
  g_return_val_if_fail (PD_IS_VISIT (self), NULL);

  return self->payment;
}

PdPaymentParties
pd_visit_get_parties (PdVisit *self)
{
  g_return_val_if_fail (PD_IS_VISIT (self), (PdPaymentParties) { 0 });

  return (PdPaymentParties) { .operator_id = self->operator_id, .language = self->language };
}

void
pd_visit_set_operator_id (PdVisit    *self,
                          const char *operator_id)
{
  g_return_if_fail (PD_IS_VISIT (self));

  g_free (self->operator_id);
  self->operator_id = g_strdup (operator_id);
}

const char *
pd_visit_get_operator_id (PdVisit *self)
{
  g_return_val_if_fail (PD_IS_VISIT (self), NULL);

  return self->operator_id;
}

PdVisitCharge *
pd_visit_dup_charge (PdVisit *self)
{
  PdVisitCharge *charge;

  g_return_val_if_fail (PD_IS_VISIT (self), NULL);

  if (self->account == NULL)
    return NULL;
  charge = g_new0 (PdVisitCharge, 1);
  charge->account = g_object_ref (self->account);
  charge->invoice = self->invoice != NULL ? g_object_ref (self->invoice) : NULL;
  charge->amount = self->amount;
  charge->language = g_strdup (self->language);
  charge->operator_id = g_strdup (self->operator_id);
  return charge;
}

PdPaymentParties
pd_visit_charge_get_parties (const PdVisitCharge *charge)
{
  g_return_val_if_fail (charge != NULL, (PdPaymentParties) { 0 });

  return (PdPaymentParties) { .operator_id = charge->operator_id, .language = charge->language };
}

void
pd_visit_charge_free (PdVisitCharge *charge)
{
  if (charge == NULL)
    return;
  g_clear_object (&charge->account);
  g_clear_object (&charge->invoice);
  g_free (charge->language);
  g_free (charge->operator_id);
  g_free (charge);
}

void
pd_visit_mark_outcome_unknown (PdVisit *self)
{
  g_return_if_fail (PD_IS_VISIT (self));

  if (self->outcome_unknown)
    return;
  self->outcome_unknown = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUTCOME_UNKNOWN]);
}

gboolean
pd_visit_get_outcome_unknown (PdVisit *self)
{
  g_return_val_if_fail (PD_IS_VISIT (self), FALSE);

  return self->outcome_unknown;
}

void
pd_visit_wipe (PdVisit *self)
{
  g_return_if_fail (PD_IS_VISIT (self));

  g_object_freeze_notify (G_OBJECT (self));
  forget_text (&self->first_name);
  forget_text (&self->last_name);
  g_list_store_remove_all (self->accounts);
  self->failed_lookups = 0;
  pd_visit_choose_account (self, NULL, NULL);
  set_tender (self, -1);
  g_clear_pointer (&self->bank_account, pd_bank_account_free);
  g_clear_object (&self->signature);
  g_clear_object (&self->payment);
  self->outcome_unknown = FALSE;
  pd_visit_set_language (self, self->default_language);
  for (guint i = 1; i < N_PROPS; i++)
    g_object_notify_by_pspec (G_OBJECT (self), properties[i]);
  g_object_thaw_notify (G_OBJECT (self));
}
