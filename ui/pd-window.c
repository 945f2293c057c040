#include <glib/gi18n.h>

#include "pd-accounts-page.h"
#include "pd-amount-page.h"
#include "pd-authorize-page.h"
#include "pd-bank-page.h"
#include "pd-card-page.h"
#include "pd-check-page.h"
#include "pd-receipt-page.h"
#include "pd-result-page.h"
#include "pd-attract-page.h"
#include "pd-flow.h"
#include "pd-identify-page.h"
#include "pd-tender-page.h"
#include "pd-training-panel.h"
#include "pd-welcome-page.h"
#include "pd-window.h"

struct _PdWindow {
  AdwApplicationWindow parent_instance;

  PdConfig *config;
  PdVisit *visit;
  PdFlow *flow;

  GtkWidget *training_bar;
  GtkLabel *training_banner;
  GtkWidget *training_devices_button;
  AdwFlap *flap;
  GtkStack *pages;
  PdWelcomePage *welcome_page;
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
      pd_config_get_mode (self->config) == PD_TERMINAL_MODE_KIOSK)
    return TRUE;

  return GTK_WINDOW_CLASS (pd_window_parent_class)->close_request (window);
}

static void
pd_window_dispose (GObject *object)
{
  PdWindow *self = PD_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PD_TYPE_WINDOW);
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

  g_type_ensure (PD_TYPE_WELCOME_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/paydesk/Paydesk/pd-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PdWindow, training_bar);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, training_banner);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, training_devices_button);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, pages);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, welcome_page);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, setup_error_page);
}

static void
pd_window_init (PdWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_object_bind_property (self->training_devices_button, "active", self->flap, "reveal-flap",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
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
static void
add_kiosk (PdWindow *self)
{
  PdVisitRules rules = {
    .max_payment = pd_config_get_max_payment (self->config),
    .allow_overpayment = pd_config_get_allow_overpayment (self->config),
  };

  self->visit = pd_visit_new (pd_config_get_default_language (self->config), &rules);
  self->flow = pd_flow_new (NULL, self->visit);
  pd_flow_set_idle_timeout (self->flow, pd_config_get_idle_seconds (self->config) * 1000,
                            PD_VISIT_MORE_TIME_SECONDS * 1000);
  pd_flow_add_page (self->flow, "attract", pd_attract_page_new (self->config));
  pd_flow_add_page (self->flow, "identify", pd_identify_page_new ());
  pd_flow_add_page (self->flow, "accounts", pd_accounts_page_new ());
  pd_flow_add_page (self->flow, "amount", pd_amount_page_new ());
  pd_flow_add_page (self->flow, "tender", pd_tender_page_new ());
  pd_flow_add_page (self->flow, "card", pd_card_page_new ());
  pd_flow_add_page (self->flow, "check", pd_check_page_new ());
  pd_flow_add_page (self->flow, "bank", pd_bank_page_new ());
  pd_flow_add_page (self->flow, "authorize", pd_authorize_page_new ());
  pd_flow_add_page (self->flow, "result", pd_result_page_new ());
  pd_flow_add_page (self->flow, "receipt", pd_receipt_page_new ());
  gtk_stack_add_named (self->pages, GTK_WIDGET (self->flow), "kiosk");
  gtk_stack_set_visible_child_name (self->pages, "kiosk");
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
  pd_welcome_page_set_config (self->welcome_page, config);
  gtk_stack_set_visible_child_name (self->pages, "welcome");
  if (pd_config_get_mode (config) == PD_TERMINAL_MODE_KIOSK)
    add_kiosk (self);

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

  /* A trainee's hands at the card reader, the check scanner and the printer. */
  if (pd_config_get_training (pd_terminal_get_config (terminal)) &&
      adw_flap_get_flap (self->flap) == NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PdTrainingDevices) devices = pd_training_devices_new (terminal, &error);

      if (devices == NULL)
        {
          g_warning ("no training devices panel: %s", error->message);
          return;
        }
      adw_flap_set_flap (self->flap, pd_training_panel_new (devices));
      gtk_widget_set_visible (self->training_devices_button, TRUE);
    }
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
