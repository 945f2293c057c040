#pragma once

#include <json-glib/json-glib.h>

#include "pd-sim-sealing.h"

G_BEGIN_DECLS

/* The issuer's side of a card authorization: the sealed PAN opened, the ARQC recomputed with
 * the issuer master key, tag 91 produced. */
typedef struct {
  gboolean verified;
  const char *decline_reason;
  char *issuer_authentication_data;
} PdSimCardCheck;

gboolean pd_sim_card_check (PdSimSealing   *sealing,
                            const guint8    issuer_master_key[16],
                            JsonObject     *tender,
                            gint64          amount_cents,
                            PdSimCardCheck *check,
                            const char    **field,
                            const char    **message);
void     pd_sim_card_check_clear (PdSimCardCheck *check);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PdSimCardCheck, pd_sim_card_check_clear)

G_END_DECLS
