#pragma once

#include <adwaita.h>

#include "pd-page.h"

G_BEGIN_DECLS

#define PD_TYPE_FLOW (pd_flow_get_type ())

G_DECLARE_FINAL_TYPE (PdFlow, pd_flow, PD, FLOW, AdwBin)

/* The pages of a visit, one at a time, and the way between them: the actions flow.next
 * (the shown page's apply step, then the page it names or the next in order), flow.back,
 * flow.go (a page by name) and flow.restart (the visit wiped, the first page again). A
 * button, a key and a test all take these same actions. */
PdFlow     *pd_flow_new                   (PdTerminal  *terminal,
                                           PdVisit     *visit);
/* Builds the page by that name, the first time the flow needs it. */
typedef PdPage *(*PdPageFactory) (const char *name,
                                  gpointer    user_data);

/* The flow's pages by name, in order, each built by factory the first time it is shown (a
 * kiosk's first frame waits for its first page only); the first is where every visit starts.
 * Instead of pd_flow_add_page. */
void        pd_flow_add_pages_later       (PdFlow              *self,
                                           const char * const  *names,
                                           PdPageFactory        factory,
                                           gpointer             data);
/* The pages built so far, built again (the screens in another language). */
void        pd_flow_rebuild_pages         (PdFlow      *self);
gboolean    pd_flow_has_page              (PdFlow      *self,
                                           const char  *name);
/* Pages come in the order they are added; the first is where every visit starts. */
void        pd_flow_add_page              (PdFlow      *self,
                                           const char  *name,
                                           PdPage      *page);
/* A new page in the place of the one by that name (the screens in another language): the
 * member stays where they are. */
void        pd_flow_replace_page          (PdFlow      *self,
                                           const char  *name,
                                           PdPage      *page);
/* The page by that name (built now if it was to be built later), or NULL. */
PdPage     *pd_flow_get_page              (PdFlow      *self,
                                           const char  *name);
const char *pd_flow_get_visible_page_name (PdFlow      *self);
PdVisit    *pd_flow_get_visit             (PdFlow      *self);
/* The terminal opens after the first page is up: the pages get it when it does. */
void        pd_flow_set_terminal          (PdFlow      *self,
                                           PdTerminal  *terminal);
/* A visit left alone this long (milliseconds; 0: never) asks "Do you need more time?", and
 * ends warning_ms later without an answer. The kiosk uses [timeouts] idle-seconds and
 * PD_VISIT_MORE_TIME_SECONDS; the tests, shorter times. */
void        pd_flow_set_idle_timeout      (PdFlow      *self,
                                           guint        idle_ms,
                                           guint        warning_ms);
/* Whether the member is being asked if they need more time (the action flow.more-time
 * answers yes). */
gboolean    pd_flow_is_asking_more_time   (PdFlow      *self);
/* TRUE while the shown page's apply step runs (a lookup, a payment). */
gboolean    pd_flow_get_busy              (PdFlow      *self);

G_END_DECLS
