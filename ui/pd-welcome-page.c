#include <glib/gi18n.h>

#include "pd-welcome-page.h"

struct _PdWelcomePage {
  GtkWidget parent_instance;

  GtkLabel *center_label;
  GtkLabel *title_label;
  GtkLabel *terminal_label;
};

G_DEFINE_FINAL_TYPE (PdWelcomePage, pd_welcome_page, GTK_TYPE_WIDGET)

static void
pd_welcome_page_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), PD_TYPE_WELCOME_PAGE);

  /* The layout box is not a bound template child, so it is unparented here. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (pd_welcome_page_parent_class)->dispose (object);
}

static void
pd_welcome_page_class_init (PdWelcomePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_welcome_page_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/paydesk/Paydesk/pd-welcome-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PdWelcomePage, center_label);
  gtk_widget_class_bind_template_child (widget_class, PdWelcomePage, title_label);
  gtk_widget_class_bind_template_child (widget_class, PdWelcomePage, terminal_label);
}

static void
pd_welcome_page_init (PdWelcomePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
pd_welcome_page_set_config (PdWelcomePage *self,
                            PdConfig      *config)
{
  g_autofree char *terminal = NULL;
  gboolean counter;

  g_return_if_fail (PD_IS_WELCOME_PAGE (self));
  g_return_if_fail (PD_IS_CONFIG (config));

  counter = pd_config_get_mode (config) == PD_TERMINAL_MODE_COUNTER;

  gtk_label_set_label (self->center_label, pd_config_get_center_name (config) != NULL
                                           ? pd_config_get_center_name (config)
                                           : pd_config_get_center_id (config));
  gtk_label_set_label (self->title_label, counter ? _("Ready to help a member pay")
                                                  : _("Pay your health plan premium"));

  /* What support asks for first on the phone: which center, which terminal. */
  terminal = g_strdup_printf (counter ? _("Center %s · Counter terminal %s")
                                      : _("Center %s · Kiosk %s"),
                              pd_config_get_center_id (config),
                              pd_config_get_terminal_id (config));
  gtk_label_set_label (self->terminal_label, terminal);
}
