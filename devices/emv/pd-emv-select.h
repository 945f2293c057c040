#pragma once

#include "pd-emv-link.h"
#include "pd-emv-terminal.h"

G_BEGIN_DECLS

#define PD_EMV_ERROR (pd_emv_error_quark ())

typedef enum {
  /* No application on the card is one the terminal accepts (American Express...). */
  PD_EMV_ERROR_NOT_ACCEPTED,
  /* The card is blocked, or has no usable payment application. */
  PD_EMV_ERROR_NO_APPLICATION,
  /* The card answered something no card should: malformed or missing data. */
  PD_EMV_ERROR_CARD_DATA,
  /* A tap above the contactless limit. */
  PD_EMV_ERROR_INSERT_CARD,
  /* The member (or associate) chose not to go on. */
  PD_EMV_ERROR_CANCELLED,
} PdEmvError;

/* One application the card offers, as the terminal may present it. */
typedef struct {
  GBytes *aid;
  char *label;
  guint8 priority;
  gboolean needs_confirmation;
  const PdEmvAid *accepted;
} PdEmvCandidate;

GQuark     pd_emv_error_quark          (void);

/* The candidate list (Book 1 section 12.3), best first: through the PSE and, when it is
 * missing or gives nothing usable, the terminal's AID list; through the PPSE when
 * contactless. Fails with PD_EMV_ERROR_NOT_ACCEPTED naming the scheme when the card only
 * has applications the terminal refuses. */
GPtrArray *pd_emv_select_candidates    (PdEmvLink            *link,
                                        const PdEmvTerminal  *terminal,
                                        gboolean              contactless,
                                        GError              **error);
/* Puts candidates (PdEmvCandidate) best first: the terminal's preference for US common
 * debit, then the card's priorities; equals keep their order. */
void       pd_emv_sort_candidates      (GPtrArray            *candidates,
                                        const PdEmvTerminal  *terminal);
/* Selects one candidate (final selection); returns its FCI objects, or NULL with sw set
 * when the card refused it. */
GPtrArray *pd_emv_select_application   (PdEmvLink            *link,
                                        const PdEmvCandidate *candidate,
                                        guint16              *sw,
                                        GError              **error);
void       pd_emv_candidate_free       (PdEmvCandidate       *candidate);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdEmvCandidate, pd_emv_candidate_free)

G_END_DECLS
