#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Why a payment is voided or refunded: one of a list, and words of the associate's own
 * (required for "another reason"). */
typedef enum {
  PD_UNDO_REASON_DUPLICATE,
  PD_UNDO_REASON_WRONG_AMOUNT,
  PD_UNDO_REASON_WRONG_ACCOUNT,
  PD_UNDO_REASON_MEMBER_ASKED,
  PD_UNDO_REASON_OTHER,
} PdUndoReason;

#define PD_N_UNDO_REASONS (PD_UNDO_REASON_OTHER + 1)
#define PD_UNDO_NOTE_MAX_CHARS 200

const char *pd_undo_reason_to_id    (PdUndoReason  reason);
gboolean    pd_undo_reason_from_id  (const char   *id,
                                     PdUndoReason *reason);
const char *pd_undo_reason_get_name (PdUndoReason  reason);
/* The reason as journaled and audited: "wrong-amount" or "other: what the associate wrote".
 * NULL with an error the associate can act on (no words for "another reason", too long). */
char       *pd_undo_reason_compose  (PdUndoReason  reason,
                                     const char   *note,
                                     GError      **error);

G_END_DECLS
