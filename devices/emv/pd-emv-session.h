#pragma once

#include "pd-capk.h"
#include "pd-card-channel.h"
#include "pd-emv-select.h"
#include "pd-emv-terminal.h"

G_BEGIN_DECLS

/* One card payment on the terminal's side (EMV Books 3 and 4, online-only): application
 * selection, GET PROCESSING OPTIONS, records, offline data authentication, restrictions,
 * cardholder verification, risk management, action analysis and GENERATE AC 1; then, with
 * the issuer's answer, issuer authentication, scripts and GENERATE AC 2. Contactless cards
 * take the schemes' quicker paths. Every call talks to the card: run it on a worker. */

typedef enum {
  /* The card produced an ARQC: ask the payment core. */
  PD_EMV_DECISION_ONLINE,
  /* The terminal or the card declined before going online (AAC). */
  PD_EMV_DECISION_DECLINED,
} PdEmvDecision;

/* What the payment core said, as the card must hear it. */
typedef enum {
  PD_EMV_ONLINE_APPROVED,
  PD_EMV_ONLINE_DECLINED,
  /* No answer from the core: declined, and the card is told why ("Z3"). */
  PD_EMV_ONLINE_UNREACHABLE,
} PdEmvOnlineResult;

/* Presents the candidates (PdEmvCandidate, best first) and returns the index chosen, or -1
 * to stop. Called on the session's thread, a worker for the GUI: it must hand the choice
 * to the main thread and wait for it there. */
typedef gint (*PdEmvChooser) (GPtrArray *candidates,
                              gpointer   user_data);

typedef struct _PdEmvSession PdEmvSession;

PdEmvSession *pd_emv_session_new             (PdCardChannel        *channel,
                                              const PdEmvTerminal  *terminal,
                                              PdCapkTable          *capks);
void          pd_emv_session_free            (PdEmvSession         *self);
void          pd_emv_session_set_chooser     (PdEmvSession         *self,
                                              PdEmvChooser          chooser,
                                              gpointer              user_data);

/* Up to GENERATE AC 1 for amount (cents, currency 840) at now. */
gboolean      pd_emv_session_authorize       (PdEmvSession         *self,
                                              gint64                amount_cents,
                                              GDateTime            *now,
                                              PdEmvDecision        *decision,
                                              GError              **error);

/* After the core's answer, with its issuer authentication data (tag 91, hex) and scripts
 * (71/72 templates, hex), both optional. card_accepted: the card's final word (TC); an
 * approved payment the card does not accept must be reversed. */
gboolean      pd_emv_session_complete        (PdEmvSession         *self,
                                              PdEmvOnlineResult     result,
                                              const char           *issuer_authentication,
                                              const char           *issuer_scripts,
                                              gboolean             *card_accepted,
                                              GError              **error);

gboolean      pd_emv_session_is_contactless  (PdEmvSession         *self);
const char   *pd_emv_session_get_brand       (PdEmvSession         *self);
const char   *pd_emv_session_get_aid         (PdEmvSession         *self);
const char   *pd_emv_session_get_label       (PdEmvSession         *self);
const char   *pd_emv_session_get_pan_last4   (PdEmvSession         *self);
gboolean      pd_emv_session_needs_signature (PdEmvSession         *self);
/* Why the card or terminal declined, for the member; NULL when it did not. */
const char   *pd_emv_session_get_decline_message (PdEmvSession     *self);
char         *pd_emv_session_dup_tvr         (PdEmvSession         *self);
char         *pd_emv_session_dup_tsi         (PdEmvSession         *self);
/* The ICC data for the payment core (hex TLV): never the PAN, track 2 or other
 * sensitive objects. */
char         *pd_emv_session_dup_icc_data    (PdEmvSession         *self);
/* {"pan":..., "expiry":"YYMM", "track2":...} for sealing to the core; wipe it after. */
char         *pd_emv_session_dup_card_secret (PdEmvSession         *self);
const char   *pd_emv_session_get_log         (PdEmvSession         *self);
guint         pd_emv_session_get_commands    (PdEmvSession         *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdEmvSession, pd_emv_session_free)

G_END_DECLS
