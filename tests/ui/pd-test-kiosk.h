#pragma once

#include "pd-identity.h"
#include "pd-test-common.h"
#include "pd-test-core.h"
#include "pd-test-gui.h"
#include "pd-test-mail.h"
#include "pd-window.h"

G_BEGIN_DECLS

/* The kiosk's real window on a training terminal against the real training core over HTTP,
 * driven as a finger would: through the same actions the buttons and keys take. What the
 * kiosk's tests share. */

#define PD_TEST_MARIA_ACCOUNT "400123456789"
#define PD_TEST_MARIA_INVOICE "INV2026110042"

typedef struct {
  PdTestDir tmp;
  PdTestCore *core;
  PdTestMail *mail;
  PdConfig *config;
  PdTerminal *terminal;
  PdWindow *window;
  PdFlow *flow;
  /* When the window began to be built and when its first frame was drawn
   * (g_get_monotonic_time): for the benchmark. */
  gint64 window_started_us;
  gint64 first_frame_us;
} PdTestKiosk;

/* GTK and libadwaita under the test's display, with the kiosk's style and no animations;
 * FALSE (after printing the TAP skip) when there is no display. */
gboolean   pd_test_kiosk_init            (int          *argc,
                                          char       ***argv);

/* data "devices" (or "devices:" followed by what the test wants): with the training printer,
 * the training check scanner and the training mail server too; with "counter" in it: a
 * counter terminal instead of a kiosk. */
void       pd_test_kiosk_set_up          (PdTestKiosk  *fixture,
                                          gconstpointer data);
void       pd_test_kiosk_tear_down       (PdTestKiosk  *fixture,
                                          gconstpointer data);

GtkWidget *pd_test_kiosk_page            (PdTestKiosk  *fixture);
/* The action a button or key would take; a disabled one does nothing, as the button then
 * cannot be pressed. */
void       pd_test_kiosk_act             (GtkWidget    *widget,
                                          const char   *action,
                                          const char   *target);
/* The main loop until the page's step (a lookup, a payment) has ended. */
void       pd_test_kiosk_settle          (PdTestKiosk  *fixture);
void       pd_test_kiosk_next            (PdTestKiosk  *fixture);
/* Touches a field, then its characters on the kiosk's own keyboard. */
void       pd_test_kiosk_type_named      (PdTestKiosk  *fixture,
                                          const char   *name,
                                          const char   *text);
void       pd_test_kiosk_type            (PdTestKiosk  *fixture,
                                          PdField       field,
                                          const char   *text);
/* The error label right under a field. */
GtkWidget *pd_test_kiosk_field_error     (PdTestKiosk  *fixture,
                                          PdField       field);
char      *pd_test_kiosk_page_text       (PdTestKiosk  *fixture);
/* Turns the main loop until the shown page's text has needle. */
void       pd_test_kiosk_wait_for_text   (PdTestKiosk  *fixture,
                                          const char   *needle);
/* Turns the main loop until the flow shows that page, its step done. */
void       pd_test_kiosk_wait_until_shown (PdTestKiosk *fixture,
                                           const char  *page);
/* A name a screen reader can say. */
gboolean   pd_test_kiosk_control_is_named (GtkWidget   *button);
/* Every control on the shown page named, then its picture saved. */
void       pd_test_kiosk_look_at         (PdTestKiosk  *fixture,
                                          const char   *picture);
/* The same for everything in the window (a counter's bar and sign-in page too). */
void       pd_test_kiosk_look_at_window  (PdTestKiosk  *fixture,
                                          const char   *picture);
/* From the attract page (a kiosk) or the identify page (a counter) to the identify page's
 * invoice way. */
void       pd_test_kiosk_start_with_invoice (PdTestKiosk *fixture);
/* Maria found by her invoice: her accounts are shown. */
void       pd_test_kiosk_find_maria      (PdTestKiosk  *fixture);
/* Maria's account chosen and amount set (the amount page's choice, "balance" or "minimum",
 * or digits typed as another amount): the tender page is shown. */
void       pd_test_kiosk_reach_tender    (PdTestKiosk  *fixture,
                                          const char   *amount);
/* A finger's strokes on a signature pad, through the pad's own gesture handlers. */
void       pd_test_kiosk_sign            (GtkWidget    *pad);
/* On the bank page: Maria's savings account typed, the authorization signed and sent. */
void       pd_test_kiosk_pay_by_bank     (PdTestKiosk  *fixture);

G_END_DECLS
