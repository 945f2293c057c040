#include <glib/gi18n-lib.h>

#include "pd-receipt-authorization.h"

static const struct {
  const char *version;
  const char *text;
} authorizations[] = {
  /* NACHA PPD: bank details typed at the terminal, no check. */
  { "ppd-2026-01",
    N_("I authorize my health plan to make one electronic debit from the bank account "
       "shown on this receipt, for the amount and on the date shown, to pay my premium. If "
       "the debit is returned, the plan may present it again as the rules of the ACH "
       "network allow. I can ask about this debit by calling member services.") },
  /* NACHA POP: a consumer check converted here and handed back. */
  { "pop-2026-01",
    N_("I gave my check as payment and authorize my health plan to use the information "
       "from it to make a one-time electronic debit from my account for the amount shown. "
       "The money may leave my account as soon as today. My check was voided and returned "
       "to me, and my bank will not return it with my statement.") },
};

const char *
pd_receipt_authorization_text (const char *version)
{
  for (gsize i = 0; i < G_N_ELEMENTS (authorizations); i++)
    if (g_strcmp0 (authorizations[i].version, version) == 0)
      return authorizations[i].text;

  return NULL;
}
