#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PD_EMAIL_ADDRESS_ERROR (pd_email_address_error_quark ())

typedef enum {
  PD_EMAIL_ADDRESS_ERROR_EMPTY,
  PD_EMAIL_ADDRESS_ERROR_NO_AT,
  PD_EMAIL_ADDRESS_ERROR_LOCAL_PART,  /* the part before the @ */
  PD_EMAIL_ADDRESS_ERROR_DOMAIN,      /* the part after it */
  PD_EMAIL_ADDRESS_ERROR_TOO_LONG,
} PdEmailAddressError;

GQuark  pd_email_address_error_quark (void);

/* Checks an address a member typed (or an associate typed for them) before a receipt is
 * queued for it: one mailbox, local@domain, that any mail server takes without SMTPUTF8.
 * The domain may be written in any script; it comes back in its ASCII (punycode) form and
 * in lower case, surrounding blanks removed. NULL with an error the member can act on
 * otherwise. */
char   *pd_email_address_normalize   (const char  *address,
                                      GError     **error);

/* For logs and screens that should not spell out a member's address in full:
 * "m•••@example.org". */
char   *pd_email_address_dup_masked  (const char  *address);

G_END_DECLS
