#pragma once

#include "pd-account.h"
#include "pd-core-client.h"
#include "pd-payment.h"

G_BEGIN_DECLS

/* The JSON of pos/core-api.md, apart from the transport. */
char           *_pd_core_json_lookup_request  (const PdIdentification  *identification);
PdMemberLookup *_pd_core_json_parse_lookup    (JsonNode                *answer,
                                               GError                 **error);
PdAccount      *_pd_core_json_parse_account   (JsonObject              *account,
                                               GError                 **error);
PdCoreAnswer   *_pd_core_json_parse_answer    (JsonObject              *answer,
                                               GError                 **error);
char           *_pd_core_json_payment_request (PdPayment               *payment,
                                               JsonNode                *tender);

G_END_DECLS
