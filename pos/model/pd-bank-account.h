#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  PD_BANK_ACCOUNT_CHECKING,
  PD_BANK_ACCOUNT_SAVINGS,
} PdBankAccountType;

#define PD_ROUTING_NUMBER_DIGITS 9

/* The version of the debit authorization text the member accepts (NACHA PPD); the text
 * itself and its translations are in receipts/. */
#define PD_BANK_AUTHORIZATION_VERSION "ppd-2026-01"

/* A member's bank account for an ACH debit. The full account number lives only here, until
 * it is sealed for the payment core; it is wiped when this is freed. */
typedef struct _PdBankAccount PdBankAccount;

gboolean           pd_routing_number_is_valid       (const char         *digits);

PdBankAccount     *pd_bank_account_new              (const char         *routing_number,
                                                     const char         *account_number,
                                                     const char         *account_type,
                                                     const char         *holder_name,
                                                     GError            **error);
void               pd_bank_account_free             (PdBankAccount      *account);
/* A copy of its own, for a worker that may outlive the original's holder. */
PdBankAccount     *pd_bank_account_copy             (PdBankAccount      *account);
/* The account number typed twice the same (PD_FIELD_BANK_ACCOUNT_AGAIN otherwise). */
gboolean           pd_bank_account_check_typed_twice (const char        *first,
                                                     const char         *again,
                                                     GError            **error);
const char        *pd_bank_account_get_routing_number (PdBankAccount    *account);
const char        *pd_bank_account_get_last4        (PdBankAccount      *account);
PdBankAccountType  pd_bank_account_get_account_type (PdBankAccount      *account);
const char        *pd_bank_account_get_holder_name  (PdBankAccount      *account);
char              *pd_bank_account_seal             (PdBankAccount      *account,
                                                     const char         *core_public_key,
                                                     GError            **error);

const char        *pd_bank_account_type_to_id       (PdBankAccountType   type);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdBankAccount, pd_bank_account_free)

G_END_DECLS
