#pragma once

#include "pd-account.h"
#include "pd-core-client.h"
#include "pd-payment.h"

G_BEGIN_DECLS

/* The JSON of pos/core/core-api.md, apart from the transport: requests built and answers
 * read for the core client, and for the payment service, which journals each request before
 * it is sent. */
char           *pd_core_json_lookup_request  (const PdIdentification  *identification);
PdMemberLookup *pd_core_json_parse_lookup    (JsonNode                *answer,
                                              GError                 **error);
PdAccount      *pd_core_json_parse_account   (JsonObject              *account,
                                              GError                 **error);
PdCoreAnswer   *pd_core_json_parse_answer    (JsonObject              *answer,
                                              GError                 **error);
char           *pd_core_json_payment_request (PdPayment               *payment,
                                              JsonNode                *tender);

G_END_DECLS
