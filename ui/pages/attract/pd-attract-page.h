#pragma once

#include "pd-config.h"
#include "pd-page.h"

G_BEGIN_DECLS

#define PD_TYPE_ATTRACT_PAGE (pd_attract_page_get_type ())

G_DECLARE_FINAL_TYPE (PdAttractPage, pd_attract_page, PD, ATTRACT_PAGE, PdPage)

/* What the kiosk shows between visits: what can be paid and how, no cash, the languages
 * offered (each named in itself), and one big way to start. */
PdPage *pd_attract_page_new (PdConfig *config);

G_END_DECLS
