#include <glib/gi18n.h>

#include "pd-email-address.h"
#include "pd-field-form.h"
#include "pd-keyboard.h"
#include "pd-receipt-page.h"
#include "pd-receipt-print.h"

static const PdFieldSpec email_fields[] = {
  { PD_FIELD_EMAIL, N_("Email address"), PD_KEYBOARD_EMAIL, 254, FALSE },
};

struct _PdReceiptPage {
  PdPage parent_instance;

  GtkWidget *print_button;
  GtkWidget *email_button;
  GtkLabel *message_label;
  GtkWidget *choices_box;
  GtkWidget *email_box;
  AdwBin *form_slot;
  AdwBin *keyboard_slot;
  GtkSpinner *spinner;
  PdFieldForm *form;
  gboolean working;
};

G_DEFINE_FINAL_TYPE (PdReceiptPage, pd_receipt_page, PD_TYPE_PAGE)

/* What a worker needs of the terminal and the visit, its own references and copies. */
typedef struct {
  PdTerminal *terminal;
  PdPrinter *printer;
  char *payment;
  char *language;
  char *address;
  PdEmailState state;
} ReceiptJob;

static void
receipt_job_free (ReceiptJob *job)
{
  g_clear_object (&job->terminal);
  g_clear_object (&job->printer);
  g_free (job->payment);
  g_free (job->language);
  g_free (job->address);
  g_free (job);
}

static void
set_working (PdReceiptPage *self,
             gboolean       working)
{
  self->working = working;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), working);
  if (working)
    gtk_spinner_start (self->spinner);
  else
    gtk_spinner_stop (self->spinner);
  gtk_widget_set_sensitive (self->print_button, !working);
  gtk_widget_set_sensitive (self->email_button, !working);
}

static ReceiptJob *
job_for (PdReceiptPage *self)
{
  PdVisit *visit = pd_page_get_visit (PD_PAGE (self));
  PdPayment *payment = pd_visit_get_payment (visit);
  ReceiptJob *job;

  if (payment == NULL || pd_page_get_terminal (PD_PAGE (self)) == NULL)
    return NULL;
  job = g_new0 (ReceiptJob, 1);
  job->terminal = g_object_ref (pd_page_get_terminal (PD_PAGE (self)));
  job->payment = g_strdup (pd_payment_get_id (payment));
  job->language = g_strdup (pd_visit_get_language (visit));
  return job;
}

static void
print_in_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  ReceiptJob *job = task_data;
  GError *error = NULL;

  if (pd_receipt_print (pd_terminal_get_journal (job->terminal),
                        pd_terminal_get_config (job->terminal), job->printer, job->payment,
                        job->language, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
printed (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  PdReceiptPage *self = PD_RECEIPT_PAGE (source);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_working (self, FALSE);
      /* The printer's own words, then what the member can do instead. */
      g_prefix_error (&error, "%s ", _("Your receipt could not be printed."));
      {
        g_autofree char *message = g_strdup_printf (
          _("%s You can have it emailed, or an associate at the counter can print it for "
            "you."), error->message);

        pd_page_show_message (self->message_label, message);
      }
      return;
    }
  set_working (self, FALSE);
  pd_page_show_message (self->message_label, _("Your receipt is printed. Please take it from the printer."));
}

static void
print_receipt (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PdReceiptPage *self = PD_RECEIPT_PAGE (widget);
  ReceiptJob *job = job_for (self);
  PdPeripherals *peripherals;
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;

  if (job == NULL || self->working)
    {
      g_clear_pointer (&job, receipt_job_free);
      return;
    }
  peripherals = pd_terminal_get_peripherals (job->terminal);
  job->printer = peripherals != NULL ? pd_peripherals_dup_printer (peripherals, &error) : NULL;
  if (job->printer == NULL)
    {
      receipt_job_free (job);
      pd_page_show_message (self->message_label, _("This kiosk cannot print right now. You can have your receipt emailed, or "
                   "an associate at the counter can print it for you."));
      return;
    }

  set_working (self, TRUE);
  pd_page_show_message (self->message_label, _("Printing your receipt…"));
  task = g_task_new (self, pd_page_get_cancellable (PD_PAGE (self)), printed, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) receipt_job_free);
  g_task_run_in_thread (task, print_in_thread);
}

static void
ask_email (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  PdReceiptPage *self = PD_RECEIPT_PAGE (widget);

  /* The address and the keyboard take the choices' place on the screen. */
  gtk_widget_set_visible (self->choices_box, FALSE);
  gtk_widget_set_visible (self->email_box, TRUE);
  pd_page_show_message (self->message_label, NULL);
  pd_field_form_focus_first (self->form);
}

/* Queued in the journal first (nothing asked for is lost), then handed to the mail server;
 * one the server would not take now is sent again later by the terminal. */
static void
email_in_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  ReceiptJob *job = task_data;
  PdReceiptMailer *mailer = pd_terminal_get_receipt_mailer (job->terminal);
  GError *error = NULL;
  gint64 id = pd_receipt_mailer_queue (mailer, job->payment, job->address, job->language,
                                       &error);

  if (id == 0 ||
      !pd_receipt_mailer_send (mailer, id, g_get_real_time () / G_USEC_PER_SEC, &job->state,
                               cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
emailed (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  PdReceiptPage *self = PD_RECEIPT_PAGE (source);
  ReceiptJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_working (self, FALSE);
      /* What is wrong with the address, beside it; the rest in the page's words. */
      if (error->domain == PD_EMAIL_ADDRESS_ERROR)
        {
          g_autoptr(GError) field_error = g_error_new_literal (PD_FIELD_ERROR, PD_FIELD_EMAIL,
                                                               error->message);

          pd_page_show_message (self->message_label, NULL);
          pd_field_form_show_error (self->form, field_error);
        }
      else
        pd_page_show_message (self->message_label, error->message);
      return;
    }

  set_working (self, FALSE);
  gtk_widget_set_visible (self->email_box, FALSE);
  gtk_widget_set_visible (self->choices_box, TRUE);
  pd_field_form_forget (self->form);
  pd_page_show_message (self->message_label, job->state == PD_EMAIL_STATE_SENT
             ? _("Your receipt was emailed.")
             : _("Your receipt will be emailed in a few minutes."));
}

static void
send_email (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  PdReceiptPage *self = PD_RECEIPT_PAGE (widget);
  ReceiptJob *job = job_for (self);
  g_autoptr(GTask) task = NULL;

  if (job == NULL || self->working)
    {
      g_clear_pointer (&job, receipt_job_free);
      return;
    }
  if (pd_terminal_get_receipt_mailer (job->terminal) == NULL)
    {
      receipt_job_free (job);
      pd_page_show_message (self->message_label, _("This kiosk cannot send email. An associate at the counter can print "
                   "your receipt for you."));
      return;
    }

  pd_field_form_clear_errors (self->form);
  job->address = g_strdup (pd_field_form_get_text (self->form, PD_FIELD_EMAIL));
  set_working (self, TRUE);
  pd_page_show_message (self->message_label, _("Sending your receipt…"));
  task = g_task_new (self, pd_page_get_cancellable (PD_PAGE (self)), emailed, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) receipt_job_free);
  g_task_run_in_thread (task, email_in_thread);
}

static void
pd_receipt_page_shown (PdPage *page)
{
  PdReceiptPage *self = PD_RECEIPT_PAGE (page);

  set_working (self, FALSE);
  gtk_widget_set_visible (self->email_box, FALSE);
  gtk_widget_set_visible (self->choices_box, TRUE);
  pd_page_show_message (self->message_label, NULL);
}

/* The address typed goes with the visit. */
static void
pd_receipt_page_forget (PdPage *page)
{
  PdReceiptPage *self = PD_RECEIPT_PAGE (page);

  pd_field_form_forget (self->form);
  pd_page_show_message (self->message_label, NULL);
}

static void
pd_receipt_page_class_init (PdReceiptPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  PdPageClass *page_class = PD_PAGE_CLASS (klass);

  page_class->shown = pd_receipt_page_shown;
  page_class->forget = pd_receipt_page_forget;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/paydesk/Paydesk/pages/receipt/pd-receipt-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PdReceiptPage, print_button);
  gtk_widget_class_bind_template_child (widget_class, PdReceiptPage, email_button);
  gtk_widget_class_bind_template_child (widget_class, PdReceiptPage, message_label);
  gtk_widget_class_bind_template_child (widget_class, PdReceiptPage, choices_box);
  gtk_widget_class_bind_template_child (widget_class, PdReceiptPage, email_box);
  gtk_widget_class_bind_template_child (widget_class, PdReceiptPage, form_slot);
  gtk_widget_class_bind_template_child (widget_class, PdReceiptPage, keyboard_slot);
  gtk_widget_class_bind_template_child (widget_class, PdReceiptPage, spinner);
  gtk_widget_class_install_action (widget_class, "receipt.print", NULL, print_receipt);
  gtk_widget_class_install_action (widget_class, "receipt.ask-email", NULL, ask_email);
  gtk_widget_class_install_action (widget_class, "receipt.send-email", NULL, send_email);
}

static void
pd_receipt_page_init (PdReceiptPage *self)
{
  GtkWidget *keyboard = pd_keyboard_new (PD_KEYBOARD_EMAIL);

  gtk_widget_init_template (GTK_WIDGET (self));
  adw_bin_set_child (self->keyboard_slot, keyboard);
  self->form = PD_FIELD_FORM (pd_field_form_new (email_fields, G_N_ELEMENTS (email_fields), 1,
                                                 PD_KEYBOARD (keyboard)));
  adw_bin_set_child (self->form_slot, GTK_WIDGET (self->form));
}

PdPage *
pd_receipt_page_new (void)
{
  return g_object_new (PD_TYPE_RECEIPT_PAGE, NULL);
}
