#pragma once

#include "pd-line-of-business.h"
#include "pd-money.h"
#include "pd-receipt.h"
#include "pd-signature.h"
#include "pd-tender.h"

G_BEGIN_DECLS

/* The receipt's facts, for the layout (pd-receipt-layout.c). Strings are never NULL where
 * the comment says so; every number of a card or account is a last four. */
struct _PdReceipt {
  GObject parent_instance;

  gboolean training;
  PdTerminalMode mode;
  char *center_name;
  GStrv center_address;
  char *center_phone;
  char *center_hours;
  char *member_services_phone;
  char *terminal_id;              /* never NULL */
  char *operator_id;
  /* "Name (ID)" of the associate, when the journal knows them. */
  char *operator_name;
  GDateTime *created_at;          /* never NULL, local time */

  char *payment_id;               /* never NULL */
  char *reference;                /* the client reference: never NULL */
  char *member_name;
  char *account_last4;            /* the plan account: never NULL */
  PdLineOfBusiness line_of_business;
  char *invoice_number;
  PdCents amount;
  char *currency;

  PdTender tender;
  char *brand;                    /* card: visa, mastercard, discover */
  char *last4;                    /* card, check or bank account */
  char *entry_mode;               /* card: chip, contactless */
  char *aid;
  char *app_label;
  char *tvr;                      /* hex, final: after the second GENERATE AC if any */
  char *tsi;
  char *auth_code;
  char *routing_number;           /* check, bank */
  char *check_serial;
  char *check_authorization;      /* POP or CHECK21 */
  char *account_type;             /* bank: checking, savings */
  char *holder_name;              /* bank: as the member typed it */
  char *authorization_text;       /* bank, converted check: the version accepted */
  PdSignature *signature;         /* bank, converted check: drawn on the screen, or NULL */

  PdReceiptStatus status;
  char *confirmation;
  char *reason;                   /* declined: the core's reason id */
  GDateTime *status_at;           /* when the status was reached, local time */

  char *language;                 /* never NULL */
  guint copy_number;
};

G_END_DECLS
