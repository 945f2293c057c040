#pragma once

#include "pd-emv-data.h"
#include "pd-emv-terminal.h"

G_BEGIN_DECLS

/* Cardholder verification (Book 3 section 10.5): the card's CVM list, walked against what
 * this terminal can do. A kiosk can do "No CVM" only; a counter can also take a signature.
 * Online PIN needs a secure PIN-pad reader; PIN is never typed on the touchscreen. */
typedef struct {
  /* 9F34: method, condition, result. */
  guint8 results[3];
  gboolean signature_required;
  gboolean failed;
  gboolean unrecognised;
  gboolean pin_pad_missing;
} PdEmvCvmOutcome;

void pd_emv_cvm_evaluate (const guint8        *cvm_list,
                          gsize                length,
                          const PdEmvTerminal *terminal,
                          gint64               amount_cents,
                          gboolean             same_currency,
                          PdEmvCvmOutcome     *outcome);

G_END_DECLS
