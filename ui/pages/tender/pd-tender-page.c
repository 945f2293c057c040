#include <glib/gi18n.h>

#include "pd-card-channel.h"
#include "pd-card-readers.h"
#include "pd-tender-page.h"

struct _PdTenderPage {
  PdPage parent_instance;

  GtkLabel *amount_label;
  GtkWidget *card_button;
  GtkLabel *card_reason;
  GtkWidget *check_button;
  GtkLabel *check_reason;
  GtkWidget *bank_button;
  GtkLabel *bank_reason;
};

G_DEFINE_FINAL_TYPE (PdTenderPage, pd_tender_page, PD_TYPE_PAGE)

static void
offer (GtkWidget  *button,
       GtkLabel   *reason_label,
       const char *reason)
{
  gtk_widget_set_sensitive (button, reason == NULL);
  gtk_label_set_label (reason_label, reason != NULL ? reason : "");
  gtk_widget_set_visible (GTK_WIDGET (reason_label), reason != NULL);
}

static void
list_readers_in_thread (GTask        *task,
                        gpointer      source,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *readers = pd_card_readers_list (task_data, &error);

  if (readers != NULL)
    g_task_return_pointer (task, readers, (GDestroyNotify) g_ptr_array_unref);
  else
    g_task_return_error (task, error);
}

static void
readers_listed (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  PdTenderPage *self = PD_TENDER_PAGE (source);
  g_autoptr(GPtrArray) readers = NULL;
  g_autoptr(GError) error = NULL;

  readers = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (readers == NULL)
    offer (self->card_button, self->card_reason,
           g_error_matches (error, PD_CARD_ERROR, PD_CARD_ERROR_NO_SERVICE)
           ? _("The card reader is not working right now. Please choose another way, or ask "
               "an associate.")
           : error->message);
  else if (readers->len == 0)
    offer (self->card_button, self->card_reason,
           _("No card reader is connected to this kiosk. Please choose another way."));
  else
    offer (self->card_button, self->card_reason, NULL);
}

/* Whether the check scanner can take a check now, and if not, why, in a member's words. */
static const char *
check_scanner_problem (PdTerminal *terminal)
{
  PdPeripherals *peripherals = terminal != NULL ? pd_terminal_get_peripherals (terminal) : NULL;
  g_autoptr(GPtrArray) infos = NULL;

  if (peripherals == NULL)
    return _("This kiosk has no check scanner. Please choose another way.");

  infos = pd_peripherals_list (peripherals);
  for (guint i = 0; i < infos->len; i++)
    {
      PdPeripheralInfo *info = g_ptr_array_index (infos, i);

      if (info->kind != PD_PERIPHERAL_CHECK_SCANNER)
        continue;
      if ((info->health & PD_DEVICE_HEALTH_READY) != 0)
        return NULL;
      return _("The check scanner is not ready. Please choose another way, or ask an "
               "associate.");
    }
  return _("This kiosk has no check scanner. Please choose another way.");
}

static void
pd_tender_page_shown (PdPage *page)
{
  PdTenderPage *self = PD_TENDER_PAGE (page);
  PdVisit *visit = pd_page_get_visit (page);
  PdTerminal *terminal = pd_page_get_terminal (page);
  PdAccount *account = pd_visit_get_account (visit);
  g_autofree char *amount = pd_money_format (pd_visit_get_amount (visit), NULL);
  g_autofree char *paying = NULL;
  g_autoptr(GTask) task = NULL;

  if (account == NULL)
    return;

  paying = g_strdup_printf (_("You are paying %s on your %s account."), amount,
                            pd_line_of_business_get_name (
                              pd_account_get_line_of_business (account)));
  gtk_label_set_label (self->amount_label, paying);

  /* A bank account needs no device: the payment waits for the core if it must. */
  offer (self->bank_button, self->bank_reason, NULL);
  offer (self->check_button, self->check_reason, check_scanner_problem (terminal));
  offer (self->card_button, self->card_reason, _("Looking for the card reader…"));
  /* A way whose step this kiosk does not have yet is said so, not offered. */
  if (!pd_page_flow_has_page (page, "check"))
    offer (self->check_button, self->check_reason,
           _("This kiosk does not take checks yet. Please choose another way."));
  if (!pd_page_flow_has_page (page, "card"))
    {
      offer (self->card_button, self->card_reason,
             _("This kiosk does not take cards yet. Please choose another way."));
      return;
    }
  if (terminal == NULL)
    return;

  /* pcscd may take its time to answer: never on the screen's thread. */
  task = g_task_new (self, pd_page_get_cancellable (page), readers_listed, NULL);
  g_task_set_task_data (task,
                        g_strdupv ((GStrv) pd_config_get_card_readers (
                          pd_terminal_get_config (terminal))),
                        (GDestroyNotify) g_strfreev);
  g_task_run_in_thread (task, list_readers_in_thread);
}

static void
choose (GtkWidget  *widget,
        const char *action_name,
        GVariant   *parameter)
{
  PdPage *page = PD_PAGE (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  PdTender tender;

  if (!pd_tender_from_id (id, &tender))
    return;
  pd_visit_choose_tender (pd_page_get_visit (page), tender);
  /* Each way to pay has its own step, named after it. */
  pd_page_set_next_page (page, id);
  pd_page_set_complete (page, TRUE);
  gtk_widget_activate_action (widget, "flow.next", NULL);
}

static void
pd_tender_page_forget (PdPage *page)
{
  gtk_label_set_label (PD_TENDER_PAGE (page)->amount_label, "");
  pd_page_set_next_page (page, NULL);
}

static void
pd_tender_page_class_init (PdTenderPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  PdPageClass *page_class = PD_PAGE_CLASS (klass);

  page_class->shown = pd_tender_page_shown;
  page_class->forget = pd_tender_page_forget;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/paydesk/Paydesk/pages/tender/pd-tender-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PdTenderPage, amount_label);
  gtk_widget_class_bind_template_child (widget_class, PdTenderPage, card_button);
  gtk_widget_class_bind_template_child (widget_class, PdTenderPage, card_reason);
  gtk_widget_class_bind_template_child (widget_class, PdTenderPage, check_button);
  gtk_widget_class_bind_template_child (widget_class, PdTenderPage, check_reason);
  gtk_widget_class_bind_template_child (widget_class, PdTenderPage, bank_button);
  gtk_widget_class_bind_template_child (widget_class, PdTenderPage, bank_reason);
  gtk_widget_class_install_action (widget_class, "tender.choose", "s", choose);
}

static void
pd_tender_page_init (PdTenderPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

PdPage *
pd_tender_page_new (void)
{
  return g_object_new (PD_TYPE_TENDER_PAGE, NULL);
}
