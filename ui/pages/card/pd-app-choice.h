#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* A card offering several applications (a credit and a debit account) asks the member to
 * choose. The kernel asks on its worker thread; the member answers on the screen. This is
 * the way between them: the worker posts the labels to the main context of whoever
 * created it and waits; the screen answers with an index, or -1 to stop. */
typedef struct _PdAppChoice PdAppChoice;

/* On the main context: show labels and answer later with pd_app_choice_answer. */
typedef void (*PdAppChoiceAsk) (GObject            *owner,
                                const char * const *labels,
                                gpointer            user_data);

/* owner is held weakly: once it is gone every question is answered -1. */
PdAppChoice *pd_app_choice_new    (GObject        *owner,
                                   PdAppChoiceAsk  ask,
                                   gpointer        user_data);
PdAppChoice *pd_app_choice_ref    (PdAppChoice    *self);
void         pd_app_choice_unref  (PdAppChoice    *self);

/* A PdEmvChooser: on the card's worker, blocks until the answer comes. */
gint         pd_app_choice_choose (GPtrArray      *candidates,
                                   gpointer        self);

/* On the main context: the member chose index (-1: stop, or nobody answered). Does nothing
 * when no question is waiting. */
void         pd_app_choice_answer (PdAppChoice    *self,
                                   gint            index);
/* Whether a question is waiting for its answer. */
gboolean     pd_app_choice_is_asking (PdAppChoice *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdAppChoice, pd_app_choice_unref)

G_END_DECLS
