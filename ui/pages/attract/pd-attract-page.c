#include <glib/gi18n.h>

#include "pd-attract-page.h"
#include "pd-language.h"

struct _PdAttractPage {
  PdPage parent_instance;

  GtkLabel *center_label;
  GtkLabel *terminal_label;
  GtkFlowBox *languages_box;
};

G_DEFINE_FINAL_TYPE (PdAttractPage, pd_attract_page, PD_TYPE_PAGE)

/* A language chosen here is the visit's from the first touch on: the member goes on at
 * once, in it. */
static void
choose_language (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  PdPage *page = PD_PAGE (widget);

  pd_visit_set_language (pd_page_get_visit (page), g_variant_get_string (parameter, NULL));
  gtk_widget_activate_action (widget, "flow.next", NULL);
}

/* Nothing to give here: the member can always start. */
static void
pd_attract_page_forget (PdPage *page)
{
  pd_page_set_complete (page, TRUE);
}

static void
pd_attract_page_class_init (PdAttractPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  PD_PAGE_CLASS (klass)->forget = pd_attract_page_forget;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/paydesk/Paydesk/pages/attract/pd-attract-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PdAttractPage, center_label);
  gtk_widget_class_bind_template_child (widget_class, PdAttractPage, terminal_label);
  gtk_widget_class_bind_template_child (widget_class, PdAttractPage, languages_box);
  gtk_widget_class_install_action (widget_class, "attract.language", "s", choose_language);
}

static void
pd_attract_page_init (PdAttractPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Nothing to give here: the member can always start. */
  pd_page_set_complete (PD_PAGE (self), TRUE);
}

PdPage *
pd_attract_page_new (PdConfig *config)
{
  PdAttractPage *self = g_object_new (PD_TYPE_ATTRACT_PAGE, NULL);
  const char * const *languages = pd_config_get_languages (config);
  g_autofree char *terminal = NULL;

  gtk_label_set_label (self->center_label, pd_config_get_center_name (config) != NULL
                                           ? pd_config_get_center_name (config)
                                           : pd_config_get_center_id (config));
  /* What support asks for first on the phone: which center, which terminal. */
  terminal = g_strdup_printf (_("Center %s · Kiosk %s"), pd_config_get_center_id (config),
                              pd_config_get_terminal_id (config));
  gtk_label_set_label (self->terminal_label, terminal);

  for (guint i = 0; languages != NULL && languages[i] != NULL; i++)
    {
      const PdLanguage *language = pd_language_lookup (languages[i]);
      GtkWidget *button;

      if (language == NULL)
        continue;
      button = gtk_button_new_with_label (language->native_name);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "attract.language");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", language->code);
      gtk_widget_add_css_class (button, "language-button");
      /* The name in its own script and direction, whatever the screen's. */
      gtk_widget_set_direction (gtk_button_get_child (GTK_BUTTON (button)),
                                language->right_to_left ? GTK_TEXT_DIR_RTL : GTK_TEXT_DIR_LTR);
      gtk_flow_box_append (self->languages_box, button);
    }

  return PD_PAGE (self);
}
