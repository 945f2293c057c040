#pragma once

#include <glib-object.h>

#include "pd-account.h"
#include "pd-bank-account.h"
#include "pd-signature.h"
#include "pd-payment.h"
#include "pd-tender.h"

G_BEGIN_DECLS

/* After this many lookups that found no one, the kiosk suggests asking an associate. */
#define PD_VISIT_LOOKUPS_BEFORE_HELP 3
/* A member who has not touched the screen for [timeouts] idle-seconds is asked whether they
 * need more time, and has this long to say so before the visit ends (WCAG 2.2.1 asks for at
 * least 20 seconds and one action). */
#define PD_VISIT_MORE_TIME_SECONDS 30

#define PD_VISIT_ERROR (pd_visit_error_quark ())

typedef enum {
  PD_VISIT_ERROR_NO_AMOUNT,
  PD_VISIT_ERROR_OVER_LIMIT,
  PD_VISIT_ERROR_OVER_BALANCE,
} PdVisitError;

/* What the terminal's configuration allows of a visit's payment. */
typedef struct {
  /* The most one payment may be ([terminal] max-payment). */
  PdCents max_payment;
  /* Whether more than the account's balance may be paid ([terminal] allow-overpayment). */
  gboolean allow_overpayment;
  /* An associate states the amount (a counter): a first, binder payment before any invoice,
   * or a payment without one, may be more than the balance, up to max_payment. */
  gboolean stated_amounts;
} PdVisitRules;

#define PD_TYPE_VISIT (pd_visit_get_type ())

G_DECLARE_FINAL_TYPE (PdVisit, pd_visit, PD, VISIT, GObject)

/* One member's visit to a terminal, from the first touch to "Thank you": the language they
 * chose, who they are, their accounts, and what they are paying. The screens show it and
 * ask for it; every rule about it is here. Nothing of it outlives the visit: pd_visit_wipe
 * forgets it all at once (a member who walks away, a visit that ends). */
GQuark            pd_visit_error_quark            (void);

PdVisit          *pd_visit_new                    (const char         *default_language,
                                                   const PdVisitRules *rules);

/* The member's language (BCP 47), offered by the terminal; the default until they choose. */
const char       *pd_visit_get_language           (PdVisit     *self);
void              pd_visit_set_language           (PdVisit     *self,
                                                   const char  *language);

/* Who the core found, and their accounts (PdAccount), each paid separately; everything
 * chosen for a member found before is forgotten. */
void              pd_visit_set_member             (PdVisit     *self,
                                                   const char  *first_name,
                                                   const char  *last_name,
                                                   GPtrArray   *accounts);
gboolean          pd_visit_has_member             (PdVisit     *self);
/* The member's first name, for the screens ("Welcome, Maria"): NULL before they are found. */
const char       *pd_visit_get_first_name         (PdVisit     *self);
GListModel       *pd_visit_get_accounts           (PdVisit     *self);

/* A lookup that found no one (or more than one): counted, so that the screen can suggest
 * an associate after PD_VISIT_LOOKUPS_BEFORE_HELP of them. */
void              pd_visit_count_failed_lookup    (PdVisit     *self);
guint             pd_visit_get_failed_lookups     (PdVisit     *self);
gboolean          pd_visit_should_suggest_help    (PdVisit     *self);

/* The account (one of the member's) and, when paying one, its invoice; invoice NULL: the
 * account's invoice due first, if it has one open. */
void              pd_visit_choose_account         (PdVisit     *self,
                                                   PdAccount   *account,
                                                   PdInvoice   *invoice);
PdAccount        *pd_visit_get_account            (PdVisit     *self);
PdInvoice        *pd_visit_get_invoice            (PdVisit     *self);

/* The amount to pay on the chosen account: more than nothing, no more than the terminal
 * takes in one payment, and no more than the balance unless the rules allow it. FALSE, with
 * a message the member can act on, keeps the amount chosen before. Choosing another
 * account forgets the amount. */
gboolean          pd_visit_choose_amount          (PdVisit     *self,
                                                   PdCents      amount,
                                                   GError     **error);
/* 0 until chosen. */
PdCents           pd_visit_get_amount             (PdVisit     *self);

/* How the member pays; FALSE from get until they have chosen. */
void              pd_visit_choose_tender          (PdVisit     *self,
                                                   PdTender     tender);
gboolean          pd_visit_get_tender             (PdVisit     *self,
                                                   PdTender    *tender);

/* The bank account the member typed (taken: wiped and freed with the visit), and the
 * signature they drew under the debit authorization. */
void              pd_visit_set_bank_account       (PdVisit       *self,
                                                   PdBankAccount *bank_account);
PdBankAccount    *pd_visit_get_bank_account       (PdVisit       *self);
void              pd_visit_set_signature          (PdVisit       *self,
                                                   PdSignature   *signature);
PdSignature      *pd_visit_get_signature          (PdVisit       *self);

/* The payment taken in this visit, as the payment service left it. */
void              pd_visit_set_payment            (PdVisit       *self,
                                                   PdPayment     *payment);
PdPayment        *pd_visit_get_payment            (PdVisit       *self);

/* A payment left for the payment core and what became of it could not be recorded (a full
 * disk): it may have gone through, so this visit takes no other payment; an associate
 * checks it. Until the visit is wiped. */
void              pd_visit_mark_outcome_unknown   (PdVisit       *self);
gboolean          pd_visit_get_outcome_unknown    (PdVisit       *self);

/* Who is at the terminal for this visit's payments: the member alone at a kiosk (no
 * associate), or the associate signed in at a counter; in the member's language. */
PdPaymentParties  pd_visit_get_parties            (PdVisit     *self);
/* The associate taking this terminal's payments (NULL at a kiosk). The counter's, not the
 * member's: a wipe keeps it. */
void              pd_visit_set_operator_id        (PdVisit     *self,
                                                   const char  *operator_id);
const char       *pd_visit_get_operator_id        (PdVisit     *self);

/* What a payment takes from the visit, as a worker's own copy: the visit may be wiped (the
 * member walked away) while the payment runs. */
typedef struct {
  PdAccount *account;
  /* NULL when no invoice is being paid. */
  PdInvoice *invoice;
  PdCents amount;
  char *language;
  char *operator_id;
} PdVisitCharge;

/* NULL before an account is chosen. */
PdVisitCharge    *pd_visit_dup_charge             (PdVisit              *self);
PdPaymentParties  pd_visit_charge_get_parties     (const PdVisitCharge  *charge);
void              pd_visit_charge_free            (PdVisitCharge        *charge);

/* Forgets everything the member entered or was told (names, accounts, choices, counts) and
 * goes back to the default language; every property notifies. */
void              pd_visit_wipe                   (PdVisit     *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdVisitCharge, pd_visit_charge_free)

G_END_DECLS
