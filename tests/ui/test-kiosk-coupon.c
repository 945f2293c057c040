#include <string.h>

#include "pd-coupon.h"
#include "pd-test-kiosk.h"
#include "pd-training-barcode-scanner.h"

/* The invoice coupon: scanned on the attract page, it finds the member's accounts with the
 * invoice chosen, through the real training core. Read by the training barcode scanner (as
 * the training devices panel and paydesk-vscan put it there) and by a keyboard-wedge
 * scanner's keystrokes on the real window. */

typedef PdTestKiosk Fixture;

static char *
maria_coupon (void)
{
  g_autoptr(GError) error = NULL;
  char *line = pd_coupon_encode (PD_TEST_MARIA_ACCOUNT, PD_TEST_MARIA_INVOICE, 7500, &error);

  g_assert_no_error (error);
  return line;
}

/* Found: the accounts page with the coupon's invoice chosen, one touch from the amount. */
static void
assert_invoice_chosen (Fixture *fixture)
{
  PdVisit *visit = pd_flow_get_visit (fixture->flow);
  g_autofree char *text = NULL;

  pd_test_kiosk_wait_until_shown (fixture, "accounts");
  text = pd_test_kiosk_page_text (fixture);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "Welcome, Maria"));
  g_assert_nonnull (strstr (text, "Invoice " PD_TEST_MARIA_INVOICE
                                  " on your Essential Plan account is chosen: $75.00 due."));
  g_assert_cmpstr (pd_account_get_number (pd_visit_get_account (visit)), ==,
                   PD_TEST_MARIA_ACCOUNT);
  g_assert_cmpstr (pd_invoice_get_number (pd_visit_get_invoice (visit)), ==,
                   PD_TEST_MARIA_INVOICE);
  pd_test_kiosk_look_at (fixture, "kiosk-coupon-found.png");
  pd_test_kiosk_next (fixture);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "amount");
}

static void
test_training_scanner (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *line = maria_coupon ();
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "attract");
  /* What paydesk-vscan and the training devices panel do. */
  g_assert_true (pd_training_barcode_scan (NULL, line, &error));
  g_assert_no_error (error);
  assert_invoice_chosen (fixture);
}

static GtkEventController *
scan_burst_controller (Fixture *fixture)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (fixture->window));

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (g_strcmp0 (gtk_event_controller_get_name (controller), "scan-burst") == 0)
        return controller;
    }
  g_assert_not_reached ();
}

/* A keyboard-wedge scanner: its characters and Enter, in one burst, as key presses on the
 * window. */
static void
type_burst (Fixture    *fixture,
            const char *text)
{
  GtkEventController *keys = scan_burst_controller (fixture);
  gboolean handled = FALSE;

  for (const char *c = text; *c != '\0'; c++)
    {
      /* On a US layout a scanner presses Shift before each capital, as a hand would. */
      if (g_ascii_isupper (*c))
        g_signal_emit_by_name (keys, "key-pressed", GDK_KEY_Shift_L, 0, 0, &handled);
      g_signal_emit_by_name (keys, "key-pressed", gdk_unicode_to_keyval ((guint32) *c), 0,
                             g_ascii_isupper (*c) ? GDK_SHIFT_MASK : 0, &handled);
    }
  g_signal_emit_by_name (keys, "key-pressed", GDK_KEY_Return, 0, 0, &handled);
  g_assert_true (handled);
}

static void
test_wedge_scanner (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *line = maria_coupon ();
  g_autofree char *misread = g_strdup (line);
  g_autofree char *text = NULL;

  /* On the identify page, the coupon way chosen; first a misread line. */
  pd_test_kiosk_next (fixture);
  pd_test_kiosk_act (pd_test_kiosk_page (fixture), "identify.method", "coupon");
  pd_test_kiosk_look_at (fixture, "kiosk-coupon.png");
  misread[10] = misread[10] == '9' ? '8' : '9';
  type_burst (fixture, misread);
  pd_test_kiosk_settle (fixture);
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "identify");
  text = pd_test_kiosk_page_text (fixture);
  g_assert_nonnull (strstr (text, "The coupon was not read correctly."));
  g_assert_cmpuint (pd_visit_get_failed_lookups (pd_flow_get_visit (fixture->flow)), ==, 0);

  type_burst (fixture, line);
  assert_invoice_chosen (fixture);
}

/* Some other barcode: said, and nothing looked up. */
static void
test_not_a_coupon (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (pd_training_barcode_scan (NULL, "036000291452", &error));
  pd_test_kiosk_wait_for_text (fixture, "This barcode is not an invoice coupon.");
  g_assert_cmpstr (pd_flow_get_visible_page_name (fixture->flow), ==, "identify");
  g_assert_false (pd_visit_has_member (pd_flow_get_visit (fixture->flow)));
}

#define ADD(name, func) \
  g_test_add ("/kiosk-coupon/" name, Fixture, "devices", pd_test_kiosk_set_up, func, \
              pd_test_kiosk_tear_down)

int
main (int    argc,
      char **argv)
{
  if (!pd_test_kiosk_init (&argc, &argv))
    return 0;

  ADD ("training-scanner", test_training_scanner);
  ADD ("wedge-scanner", test_wedge_scanner);
  ADD ("not-a-coupon", test_not_a_coupon);

  return g_test_run ();
}
