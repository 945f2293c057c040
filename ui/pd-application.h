#pragma once

#include <adwaita.h>

#include "pd-config.h"
#include "pd-payment-service.h"
#include "pd-peripherals.h"

G_BEGIN_DECLS

#define PD_TYPE_APPLICATION (pd_application_get_type ())

G_DECLARE_FINAL_TYPE (PdApplication, pd_application, PD, APPLICATION, AdwApplication)

PdApplication    *pd_application_new                 (void);
PdPaymentService *pd_application_get_payment_service (PdApplication *self);
PdPeripherals    *pd_application_get_peripherals     (PdApplication *self);

G_END_DECLS
