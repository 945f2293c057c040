#include <glib/gi18n.h>

#include "pd-accounts-page.h"
#include "pd-amount-page.h"
#include "pd-authorize-page.h"
#include "pd-bank-page.h"
#include "pd-card-page.h"
#include "pd-check-page.h"
#include "pd-counter.h"
#include "pd-receipt-page.h"
#include "pd-scan-burst.h"
#include "pd-supervisor-panel.h"
#include "pd-screen-language.h"
#include "pd-result-page.h"
#include "pd-attract-page.h"
#include "pd-flow.h"
#include "pd-identify-page.h"
#include "pd-tender-page.h"
#include "pd-training-panel.h"
#include "pd-window.h"

struct _PdWindow {
  AdwApplicationWindow parent_instance;

  PdConfig *config;
  PdVisit *visit;
  PdFlow *flow;
  /* At a counter: the associate's sign-in around the flow. */
  PdCounter *counter;
  /* At a kiosk: a supervisor's screens behind the hidden corner, built when first opened. */
  PdSupervisorPanel *supervisor;
  PdTerminal *terminal;
  /* A supervisor chose to leave kiosk mode: the window may close. */
  gboolean leaving;
  /* The corner held past the long press, counting to three seconds. */
  guint corner_source;
  PdPeripherals *peripherals;
  /* A keyboard-wedge barcode scanner's keystrokes, told from a hand's. */
  PdScanBurst *scan_burst;
  guint language_source;
  PdTrainingDevices *training_devices;

  GtkWidget *training_bar;
  GtkLabel *training_banner;
  GtkWidget *training_devices_button;
  AdwFlap *flap;
  GtkStack *pages;
  AdwStatusPage *setup_error_page;
};

G_DEFINE_FINAL_TYPE (PdWindow, pd_window, ADW_TYPE_APPLICATION_WINDOW)

/* A production kiosk has no one to close it on purpose: a member's swipe or a stray
 * keyboard shortcut must not leave the desktop showing. */
static gboolean
pd_window_close_request (GtkWindow *window)
{
  PdWindow *self = PD_WINDOW (window);

  if (self->config != NULL && !pd_config_get_training (self->config) &&
      pd_config_get_mode (self->config) == PD_TERMINAL_MODE_KIOSK && !self->leaving)
    return TRUE;

  return GTK_WINDOW_CLASS (pd_window_parent_class)->close_request (window);
}

static void
open_training_panel (PdWindow *self)
{
  if (self->training_devices != NULL && adw_flap_get_flap (self->flap) == NULL)
    adw_flap_set_flap (self->flap, pd_training_panel_new (self->training_devices));
}

static void
pd_window_dispose (GObject *object)
{
  PdWindow *self = PD_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PD_TYPE_WINDOW);
  g_clear_handle_id (&self->language_source, g_source_remove);
  g_clear_handle_id (&self->corner_source, g_source_remove);
  /* The training card leaves the reader with the kiosk (its process holds the devices). */
  if (self->training_devices != NULL)
    pd_training_devices_remove_card (self->training_devices);
  g_clear_object (&self->training_devices);
  if (self->peripherals != NULL)
    g_signal_handlers_disconnect_by_data (self->peripherals, self);
  g_clear_object (&self->peripherals);
  g_clear_pointer (&self->scan_burst, pd_scan_burst_free);
  g_clear_object (&self->terminal);
  g_clear_object (&self->config);
  g_clear_object (&self->visit);

  G_OBJECT_CLASS (pd_window_parent_class)->dispose (object);
}

static void
pd_window_class_init (PdWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = pd_window_dispose;
  window_class->close_request = pd_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/paydesk/Paydesk/pd-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PdWindow, training_bar);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, training_banner);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, training_devices_button);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, pages);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, setup_error_page);
}

static void
pd_window_init (PdWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_object_bind_property (self->training_devices_button, "active", self->flap, "reveal-flap",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_signal_connect_swapped (self->training_devices_button, "notify::active",
                            G_CALLBACK (open_training_panel), self);
}

void
pd_window_show_setup_error (PdWindow     *self,
                            const GError *config_error)
{
  g_return_if_fail (PD_IS_WINDOW (self));
  g_return_if_fail (config_error != NULL);

  gtk_widget_set_visible (self->training_bar, FALSE);
  adw_status_page_set_description (self->setup_error_page, config_error->message);
  gtk_stack_set_visible_child_name (self->pages, "setup-error");
}

/* The member's flow: one visit at a time, from the attract page on. */
/* A coupon scanned on the attract or identify page finds the member's accounts; anywhere
 * else in a visit (mid-payment), a scan is not the member's next step and is ignored. */
static void
on_scanned (PdWindow   *self,
            const char *text)
{
  const char *page;

  /* The member's pages on the screen: a kiosk's, or a counter's with an associate signed in
   * and taking a payment. */
  if (self->flow == NULL || pd_flow_get_busy (self->flow) ||
      (g_strcmp0 (gtk_stack_get_visible_child_name (self->pages), "kiosk") != 0 &&
       !(self->counter != NULL && pd_counter_get_associate (self->counter) != NULL &&
         gtk_widget_get_mapped (GTK_WIDGET (self->flow)))))
    return;
  page = pd_flow_get_visible_page_name (self->flow);
  if (g_strcmp0 (page, "attract") == 0)
    gtk_widget_activate_action (GTK_WIDGET (self->flow), "flow.go", "s", "identify");
  else if (g_strcmp0 (page, "identify") != 0)
    {
      g_message ("a barcode was scanned on the %s page: ignored", page);
      return;
    }
  gtk_widget_activate_action (GTK_WIDGET (pd_flow_get_page (self->flow, "identify")),
                              "identify.coupon", "s", text);
}

static gint64
key_time_ms (GtkEventController *controller)
{
  guint32 time = gtk_event_controller_get_current_event_time (controller);

  return time != 0 ? (gint64) time : g_get_monotonic_time () / 1000;
}

static gboolean
is_modifier_key (guint keyval)
{
  return (keyval >= GDK_KEY_Shift_L && keyval <= GDK_KEY_Hyper_R) ||
         keyval == GDK_KEY_ISO_Level3_Shift || keyval == GDK_KEY_ISO_Level5_Shift ||
         keyval == GDK_KEY_Mode_switch || keyval == GDK_KEY_Num_Lock;
}

static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                PdWindow              *self)
{
  gint64 now = key_time_ms (GTK_EVENT_CONTROLLER (controller));
  gunichar c = gdk_keyval_to_unicode (keyval);

  if (keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter)
    {
      g_autofree char *scanned = pd_scan_burst_finish (self->scan_burst, now);

      if (scanned == NULL)
        return GDK_EVENT_PROPAGATE;
      on_scanned (self, scanned);
      /* The scanner's Enter is not the member's. */
      return GDK_EVENT_STOP;
    }
  if (c != 0 && g_unichar_isprint (c))
    pd_scan_burst_add (self->scan_burst, c, now);
  /* A scanner typing capitals presses Shift before each: part of the burst, not a break. */
  else if (!is_modifier_key (keyval))
    pd_scan_burst_reset (self->scan_burst);
  return GDK_EVENT_PROPAGATE;
}

/* The kiosk's pages, in the order a visit goes through them. */
static const char * const kiosk_pages[] = {
  "attract", "identify", "accounts", "amount", "tender", "card", "check", "bank", "authorize",
  "result", "receipt", NULL,
};

static PdPage *
make_page (const char *name,
           gpointer    data)
{
  PdWindow *self = data;

  if (g_str_equal (name, "attract"))
    return pd_attract_page_new (self->config);
  if (g_str_equal (name, "identify"))
    return pd_config_get_mode (self->config) == PD_TERMINAL_MODE_COUNTER
           ? pd_identify_page_new_for_counter (pd_config_get_languages (self->config))
           : pd_identify_page_new ();
  if (g_str_equal (name, "accounts"))
    return pd_accounts_page_new ();
  if (g_str_equal (name, "amount"))
    return pd_amount_page_new ();
  if (g_str_equal (name, "tender"))
    return pd_tender_page_new ();
  if (g_str_equal (name, "card"))
    return pd_card_page_new ();
  if (g_str_equal (name, "check"))
    return pd_check_page_new ();
  if (g_str_equal (name, "bank"))
    return pd_bank_page_new ();
  if (g_str_equal (name, "authorize"))
    return pd_config_get_mode (self->config) == PD_TERMINAL_MODE_COUNTER
           ? pd_authorize_page_new_for_counter () : pd_authorize_page_new ();
  if (g_str_equal (name, "result"))
    return pd_result_page_new ();
  if (g_str_equal (name, "receipt"))
    return pd_receipt_page_new ();
  g_return_val_if_reached (NULL);
}

/* The member chose a language (or the visit ended and the terminal's came back): every page
 * is built again in it, and the member stays where they are. Once the choice's own step is
 * over: the page that made it may still be at work when the language changes. */
static gboolean
speak_visit_language (gpointer data)
{
  PdWindow *self = data;

  /* Pages are not replaced under a step at work: once it is done. */
  if (pd_flow_get_busy (self->flow))
    return G_SOURCE_CONTINUE;
  self->language_source = 0;
  if (g_strcmp0 (pd_screen_language_get (), pd_visit_get_language (self->visit)) == 0)
    return G_SOURCE_REMOVE;
  pd_screen_language_set (pd_visit_get_language (self->visit));
  pd_flow_rebuild_pages (self->flow);
  return G_SOURCE_REMOVE;
}

static void
on_visit_language (PdWindow *self)
{
  /* At a counter the member's language is the receipt's: the screens stay the associate's. */
  if (self->counter != NULL)
    return;
  if (self->language_source == 0)
    self->language_source = g_timeout_add (10, speak_visit_language, self);
}

/* Back from the supervisor's screens: whatever a member had entered is wiped. */
static void
on_supervisor_done (PdWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self->flow), "flow.restart", NULL);
  gtk_stack_set_visible_child_name (self->pages, "kiosk");
}

static void
on_supervisor_quit (PdWindow *self)
{
  self->leaving = TRUE;
  gtk_window_close (GTK_WINDOW (self));
}

static void
open_supervisor (PdWindow *self)
{
  if (self->supervisor == NULL)
    {
      self->supervisor = PD_SUPERVISOR_PANEL (pd_supervisor_panel_new (self->config));
      gtk_stack_add_named (self->pages, GTK_WIDGET (self->supervisor), "supervisor");
      g_signal_connect_object (self->supervisor, "done", G_CALLBACK (on_supervisor_done), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (self->supervisor, "quit", G_CALLBACK (on_supervisor_quit), self,
                               G_CONNECT_SWAPPED);
      if (self->terminal != NULL)
        pd_supervisor_panel_set_terminal (self->supervisor, self->terminal);
    }
  pd_supervisor_panel_open (self->supervisor);
  gtk_stack_set_visible_child_name (self->pages, "supervisor");
}

/* The hidden way to a supervisor at a kiosk: a finger held still on the top-left corner for
 * three seconds (the long press, the longest GTK waits for, then two more while it stays
 * down). Not while a payment is at work. */
#define SUPERVISOR_CORNER_PX 96
#define SUPERVISOR_LONG_PRESS_FACTOR 2.0
#define SUPERVISOR_MORE_HOLD_MS 2000

static gboolean
on_corner_held_long_enough (gpointer data)
{
  PdWindow *self = data;

  self->corner_source = 0;
  if (!pd_flow_get_busy (self->flow) &&
      g_strcmp0 (gtk_stack_get_visible_child_name (self->pages), "kiosk") == 0)
    open_supervisor (self);
  return G_SOURCE_REMOVE;
}

static void
on_corner_pressed (GtkGestureLongPress *gesture,
                   double               x,
                   double               y,
                   PdWindow            *self)
{
  if (x > SUPERVISOR_CORNER_PX || y > SUPERVISOR_CORNER_PX)
    return;
  g_clear_handle_id (&self->corner_source, g_source_remove);
  self->corner_source = g_timeout_add (SUPERVISOR_MORE_HOLD_MS, on_corner_held_long_enough,
                                       self);
}

/* The finger left before the three seconds: nothing opens. */
static void
on_corner_released (GtkGesture       *gesture,
                    GdkEventSequence *sequence,
                    PdWindow         *self)
{
  g_clear_handle_id (&self->corner_source, g_source_remove);
}

/* The member's visit and its pages, at a kiosk or a counter. */
static void
add_flow (PdWindow           *self,
          const char * const *pages)
{
  PdVisitRules rules = {
    .max_payment = pd_config_get_max_payment (self->config),
    .allow_overpayment = pd_config_get_allow_overpayment (self->config),
    .stated_amounts = pd_config_get_mode (self->config) == PD_TERMINAL_MODE_COUNTER,
  };

  self->visit = pd_visit_new (pd_config_get_default_language (self->config), &rules);
  pd_screen_language_set (pd_visit_get_language (self->visit));
  self->flow = pd_flow_new (NULL, self->visit);
  pd_flow_add_pages_later (self->flow, pages, make_page, self);
  g_signal_connect_object (self->visit, "notify::language", G_CALLBACK (on_visit_language),
                           self, G_CONNECT_SWAPPED);
}

/* Before any entry takes them: a keyboard-wedge scanner's keystrokes are seen wherever focus
 * is, at a kiosk and at a counter. */
static void
watch_scanner_keys (PdWindow *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  self->scan_burst = pd_scan_burst_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  gtk_event_controller_set_name (keys, "scan-burst");
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
}

static void
add_kiosk (PdWindow *self)
{
  GtkGesture *corner;

  add_flow (self, kiosk_pages);
  pd_flow_set_idle_timeout (self->flow, pd_config_get_idle_seconds (self->config) * 1000,
                            PD_VISIT_MORE_TIME_SECONDS * 1000);
  gtk_stack_add_named (self->pages, GTK_WIDGET (self->flow), "kiosk");
  watch_scanner_keys (self);
  corner = gtk_gesture_long_press_new ();
  gtk_gesture_long_press_set_delay_factor (GTK_GESTURE_LONG_PRESS (corner),
                                           SUPERVISOR_LONG_PRESS_FACTOR);
  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (corner), FALSE);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (corner), GTK_PHASE_CAPTURE);
  gtk_event_controller_set_name (GTK_EVENT_CONTROLLER (corner), "supervisor-corner");
  g_signal_connect (corner, "pressed", G_CALLBACK (on_corner_pressed), self);
  g_signal_connect (corner, "end", G_CALLBACK (on_corner_released), self);
  g_signal_connect (corner, "cancelled", G_CALLBACK (on_corner_released), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (corner));
  gtk_stack_set_visible_child_name (self->pages, "kiosk");
}

/* A counter's visit starts at finding the member: the associate is there to help. The
 * counter locks by itself instead of asking whether the member needs more time. */
static const char * const counter_pages[] = {
  "identify", "accounts", "amount", "tender", "card", "check", "bank", "authorize", "result",
  "receipt", NULL,
};

static void
add_counter (PdWindow *self)
{
  add_flow (self, counter_pages);
  self->counter = pd_counter_new (self->config, self->flow);
  gtk_stack_add_named (self->pages, GTK_WIDGET (self->counter), "counter");
  watch_scanner_keys (self);
  gtk_stack_set_visible_child_name (self->pages, "counter");
}

PdWindow *
pd_window_new (gpointer      application,
               PdConfig     *config,
               const GError *config_error)
{
  PdWindow *self;

  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (config != NULL || config_error != NULL, NULL);

  self = g_object_new (PD_TYPE_WINDOW, "application", application, NULL);

  if (config == NULL)
    {
      pd_window_show_setup_error (self, config_error);
      return self;
    }

  self->config = g_object_ref (config);
  gtk_widget_set_visible (self->training_bar, pd_config_get_training (config));
  /* A production terminal whose file went missing comes up in training: whoever looks at
   * the screen must see why, not just that. */
  if (pd_config_get_source (config) == NULL)
    {
      g_autofree char *label = g_strdup_printf (_("TRAINING — no configuration file was found "
                                                  "at %s, so this terminal takes no real "
                                                  "payments"),
                                                PD_CONFIG_SYSTEM_PATH);

      gtk_label_set_label (self->training_banner, label);
    }
  if (pd_config_get_training (config))
    gtk_widget_add_css_class (GTK_WIDGET (self), "training");
  if (pd_config_get_mode (config) == PD_TERMINAL_MODE_KIOSK)
    add_kiosk (self);
  else
    add_counter (self);

  return self;
}

void
pd_window_set_terminal (PdWindow   *self,
                        PdTerminal *terminal)
{
  g_return_if_fail (PD_IS_WINDOW (self));
  g_return_if_fail (PD_IS_TERMINAL (terminal));

  if (self->flow != NULL)
    pd_flow_set_terminal (self->flow, terminal);
  if (self->counter != NULL)
    pd_counter_set_terminal (self->counter, terminal);
  g_set_object (&self->terminal, terminal);
  if (self->supervisor != NULL)
    pd_supervisor_panel_set_terminal (self->supervisor, terminal);
  if (self->flow != NULL && pd_terminal_get_peripherals (terminal) != NULL &&
      self->peripherals == NULL)
    {
      self->peripherals = g_object_ref (pd_terminal_get_peripherals (terminal));
      g_signal_connect_swapped (self->peripherals, "scanned", G_CALLBACK (on_scanned), self);
    }

  /* A trainee's hands at the card reader, the check scanner and the printer: the panel is
   * built the first time it is opened, not before the kiosk's first frame. */
  if (pd_config_get_training (pd_terminal_get_config (terminal)) &&
      self->training_devices == NULL)
    {
      g_autoptr(GError) error = NULL;

      self->training_devices = pd_training_devices_new (terminal, &error);
      if (self->training_devices == NULL)
        {
          g_warning ("no training devices panel: %s", error->message);
          return;
        }
      gtk_widget_set_visible (self->training_devices_button, TRUE);
    }
}

PdSupervisorPanel *
pd_window_get_supervisor_panel (PdWindow *self)
{
  g_return_val_if_fail (PD_IS_WINDOW (self), NULL);

  return self->supervisor;
}

PdCounter *
pd_window_get_counter (PdWindow *self)
{
  g_return_val_if_fail (PD_IS_WINDOW (self), NULL);

  return self->counter;
}

PdFlow *
pd_window_get_flow (PdWindow *self)
{
  g_return_val_if_fail (PD_IS_WINDOW (self), NULL);

  return self->flow;
}

const char *
pd_window_get_visible_page_name (PdWindow *self)
{
  g_return_val_if_fail (PD_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->pages);
}
