#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* No cash: centers take chip cards, checks and bank accounts only. */
typedef enum {
  PD_TENDER_CARD,
  PD_TENDER_CHECK,
  PD_TENDER_BANK,
} PdTender;

#define PD_N_TENDERS (PD_TENDER_BANK + 1)

const char *pd_tender_to_id   (PdTender    tender);
gboolean    pd_tender_from_id (const char *id,
                               PdTender   *tender);
const char *pd_tender_get_name (PdTender   tender);

G_END_DECLS
