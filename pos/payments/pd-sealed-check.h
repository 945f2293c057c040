#pragma once

#include "pd-check-capture.h"
#include "pd-payment-service.h"

G_BEGIN_DECLS

/* A captured check made ready for the payment core: the routing number, serial, auxiliary
 * on-us field and last four digits of the account in clear, and the account number, the MICR
 * line and both images sealed to the core's key. The clear line and images are not kept. */
typedef struct _PdSealedCheck PdSealedCheck;

/* Refuses a capture that cannot be paid with (a torn line, a routing number failing its check
 * digit), with the reasons for people; nothing is sealed then. */
PdSealedCheck       *pd_sealed_check_new        (const PdCheckCapture *capture,
                                                 const char           *core_public_key,
                                                 GError              **error);
void                 pd_sealed_check_free       (PdSealedCheck        *self);
/* Valid as long as self. */
const PdCheckTender *pd_sealed_check_get_tender (PdSealedCheck        *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdSealedCheck, pd_sealed_check_free)

G_END_DECLS
