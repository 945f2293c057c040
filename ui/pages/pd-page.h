#pragma once

#include <adwaita.h>

#include "pd-terminal.h"
#include "pd-visit.h"

G_BEGIN_DECLS

#define PD_TYPE_PAGE (pd_page_get_type ())

G_DECLARE_DERIVABLE_TYPE (PdPage, pd_page, PD, PAGE, AdwBin)

/* One step of a visit on the screen. A page shows the visit and asks for what it needs;
 * the flow (PdFlow) moves between pages. */
struct _PdPageClass {
  AdwBinClass parent_class;

  /* The page came on screen: start what it shows (a new cancellable is ready). */
  void     (*shown)           (PdPage               *self);
  /* The page goes off screen: its cancellable is cancelled after this. */
  void     (*leave)           (PdPage               *self);
  /* Before the flow moves on from a complete page: the work the step ends with (checking
   * what was typed; a lookup or a payment, which go to a worker). FALSE keeps the member
   * on the page, which then says why. The default succeeds at once. */
  void     (*apply_async)     (PdPage               *self,
                               GCancellable         *cancellable,
                               GAsyncReadyCallback   callback,
                               gpointer              user_data);
  gboolean (*apply_finish)    (PdPage               *self,
                               GAsyncResult         *result);
  /* The visit's language changed: labels set from code are set again. */
  void     (*locale_changed)  (PdPage               *self);
  /* The visit ended: everything the page shows or holds of it goes (typed text, names,
   * numbers, choices). */
  void     (*forget)          (PdPage               *self);
};

/* Whether the member has given what the page needs: the flow's "next" waits for it. */
gboolean      pd_page_get_complete    (PdPage        *self);
void          pd_page_set_complete    (PdPage        *self,
                                       gboolean       complete);
/* The page after this one, by name, when the flow's order is not the way on (NULL: the
 * next in order). */
const char   *pd_page_get_next_page   (PdPage        *self);
void          pd_page_set_next_page   (PdPage        *self,
                                       const char    *name);

/* A page whose step takes the member's money: once it has, the way back is closed (no
 * second payment from the pages before). */
gboolean      pd_page_get_commits     (PdPage        *self);
void          pd_page_set_commits     (PdPage        *self,
                                       gboolean       commits);

/* What the page works with, set by the flow before the page is first shown. */
PdTerminal   *pd_page_get_terminal    (PdPage        *self);
PdVisit      *pd_page_get_visit       (PdPage        *self);
void          pd_page_set_context     (PdPage        *self,
                                       PdTerminal    *terminal,
                                       PdVisit       *visit);
/* Whether the flow this page is in has a page by that name (a step this terminal offers). */
gboolean      pd_page_flow_has_page   (PdPage        *self,
                                       const char    *name);
/* Cancelled when the page goes off screen: for its device and network work. */
GCancellable *pd_page_get_cancellable (PdPage        *self);

/* When error says a payment left and its outcome could not be recorded (it may have gone
 * through), the visit takes no other payment and label tells the member not to pay again;
 * TRUE then. */
gboolean      pd_page_take_outcome_unknown (PdPage       *self,
                                            const GError *error,
                                            GtkLabel     *label);

/* Shows message in a page's message label (NULL: hides it). */
/* Empties a box or a grid (not a list box, whose rows it removes itself). */
void          pd_page_remove_children (GtkWidget     *container);
void          pd_page_show_message    (GtkLabel      *label,
                                       const char    *message);

/* For the flow. */
void          pd_page_shown           (PdPage        *self);
void          pd_page_leave           (PdPage        *self);
void          pd_page_apply_async     (PdPage        *self,
                                       GAsyncReadyCallback callback,
                                       gpointer       user_data);
gboolean      pd_page_apply_finish    (PdPage        *self,
                                       GAsyncResult  *result);
void          pd_page_locale_changed  (PdPage        *self);
void          pd_page_forget          (PdPage        *self);

G_END_DECLS
