#include <glib/gi18n.h>

#include "pd-check-page.h"
#include "pd-sealed-check.h"

/* How long one wait for a check lasts before the page starts waiting again. */
#define CHECK_WAIT_MS (10 * 60 * 1000)

typedef enum {
  /* Waiting for a check in the slot. */
  STATE_PROMPT,
  /* A check is being read. */
  STATE_READING,
  /* Read and sealed: the member confirms. */
  STATE_READ,
  /* The check could not be read, or the scanner failed: why, and try again. */
  STATE_PROBLEM,
} State;

struct _PdCheckPage {
  PdPage parent_instance;

  GtkLabel *title_label;
  GtkLabel *amount_label;
  GtkWidget *picture;
  GtkLabel *message_label;
  GtkLabel *problems_label;
  GtkWidget *read_grid;
  GtkLabel *routing_value;
  GtkLabel *account_value;
  GtkLabel *serial_value;
  GtkSpinner *spinner;
  GtkLabel *status_label;
  GtkWidget *try_again_button;
  GtkWidget *pay_button;

  State state;
  /* What the payment core gets: the account number and images sealed, the rest in clear. */
  PdSealedCheck *sealed;
  /* The wait for a check: cancelled when the page goes. */
  GCancellable *reading;
};

G_DEFINE_FINAL_TYPE (PdCheckPage, pd_check_page, PD_TYPE_PAGE)

/* What the worker hands back of a check: only what the screen shows, and the sealed check. */
typedef struct {
  char *routing_number;
  char *masked_account;
  char *serial;
  GStrv problems;
  PdSealedCheck *sealed;
  GError *refusal;
} CheckRead;

static void
check_read_free (CheckRead *read)
{
  g_free (read->routing_number);
  g_free (read->masked_account);
  g_free (read->serial);
  g_strfreev (read->problems);
  g_clear_pointer (&read->sealed, pd_sealed_check_free);
  g_clear_error (&read->refusal);
  g_free (read);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CheckRead, check_read_free)

static void start_reading (PdCheckPage *self);

static void
set_status (PdCheckPage *self,
            const char  *status,
            gboolean     working)
{
  gtk_label_set_label (self->status_label, status != NULL ? status : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), status != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), working);
  if (working)
    gtk_spinner_start (self->spinner);
  else
    gtk_spinner_stop (self->spinner);
}

static void
clear_read (PdCheckPage *self)
{
  g_clear_pointer (&self->sealed, pd_sealed_check_free);
  gtk_label_set_label (self->routing_value, "");
  gtk_label_set_label (self->account_value, "");
  gtk_label_set_label (self->serial_value, "");
  gtk_label_set_label (self->problems_label, "");
  gtk_widget_set_visible (GTK_WIDGET (self->problems_label), FALSE);
}

static void
set_state (PdCheckPage *self,
           State        state)
{
  PdVisit *visit = pd_page_get_visit (PD_PAGE (self));
  g_autofree char *amount = pd_money_format (pd_visit_get_amount (visit), NULL);
  g_autofree char *pay = NULL;
  g_autofree char *write = g_strdup_printf (_("Write your check for %s, sign it, and put it "
                                              "face up in the slot."), amount);

  self->state = state;
  gtk_label_set_label (self->amount_label,
                       state == STATE_READ ? _("These are the numbers printed at the bottom "
                                               "of your check.")
                                           : write);
  gtk_widget_set_visible (self->picture, state == STATE_PROMPT || state == STATE_READING);
  gtk_widget_set_visible (self->read_grid, state == STATE_READ);
  gtk_widget_set_visible (self->pay_button, state == STATE_READ);
  gtk_widget_set_visible (self->try_again_button, state == STATE_READ || state == STATE_PROBLEM);
  pd_page_set_complete (PD_PAGE (self), state == STATE_READ);
  if (state != STATE_PROBLEM)
    pd_page_show_message (self->message_label, NULL);

  switch (state)
    {
    case STATE_PROMPT:
      gtk_label_set_label (self->title_label, _("Put your check in the slot"));
      set_status (self, _("The check scanner is ready."), FALSE);
      break;
    case STATE_READING:
      set_status (self, _("Reading your check…"), TRUE);
      break;
    case STATE_READ:
      gtk_label_set_label (self->title_label, _("Is this your check?"));
      pay = g_strdup_printf (_("Pay %s with this check"), amount);
      gtk_button_set_label (GTK_BUTTON (self->pay_button), pay);
      set_status (self, _("Please take your check back: it is not kept."), FALSE);
      break;
    case STATE_PROBLEM:
      gtk_label_set_label (self->title_label, _("We could not use this check"));
      set_status (self, NULL, FALSE);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* --- Reading a check, on a worker --------------------------------------------------- */

typedef struct {
  PdCheckScanner *scanner;
  char *core_public_key;
} ReadData;

static void
read_data_free (ReadData *data)
{
  g_clear_object (&data->scanner);
  g_free (data->core_public_key);
  g_free (data);
}

static void
read_in_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ReadData *data = task_data;
  g_autoptr(PdCheckCapture) capture = NULL;
  g_autoptr(GStrvBuilder) problems = g_strv_builder_new ();
  GError *error = NULL;
  CheckRead *read;
  const char *serial;

  if (!pd_check_scanner_wait_for_check (data->scanner, CHECK_WAIT_MS, cancellable, &error) ||
      (capture = pd_check_scanner_capture (data->scanner, cancellable, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  read = g_new0 (CheckRead, 1);
  read->routing_number = g_strdup (pd_micr_line_get_routing_number (capture->micr));
  read->masked_account = pd_micr_line_dup_masked_account (capture->micr);
  serial = pd_micr_line_get_serial (capture->micr);
  read->serial = g_strdup (serial != NULL ? serial : "");
  for (guint i = 0; i < capture->problems->len; i++)
    g_strv_builder_add (problems, g_ptr_array_index (capture->problems, i));
  read->problems = g_strv_builder_end (problems);
  /* The clear line and images go with the capture, here. */
  read->sealed = pd_sealed_check_new (capture, data->core_public_key, &read->refusal);
  g_task_return_pointer (task, read, (GDestroyNotify) check_read_free);
}

static void
check_read (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  PdCheckPage *self = PD_CHECK_PAGE (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(CheckRead) read = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *problems = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->reading);
  if (g_error_matches (error, PD_CHECK_SCANNER_ERROR, PD_CHECK_SCANNER_ERROR_NO_CHECK))
    {
      /* Nobody put a check in: keep asking. */
      start_reading (self);
      return;
    }
  if (read == NULL)
    {
      g_warning ("check scanner: %s", error->message);
      set_state (self, STATE_PROBLEM);
      pd_page_show_message (self->message_label,
                            _("The check scanner is not working right now. Nothing was "
                              "charged. Please pay another way, or ask an associate."));
      return;
    }

  gtk_label_set_label (self->routing_value, read->routing_number);
  gtk_label_set_label (self->account_value, read->masked_account);
  gtk_label_set_label (self->serial_value, *read->serial != '\0' ? read->serial : _("none"));
  problems = g_strjoinv ("\n", read->problems);
  gtk_label_set_label (self->problems_label, problems);
  gtk_widget_set_visible (GTK_WIDGET (self->problems_label), *problems != '\0');
  if (read->sealed == NULL)
    {
      set_state (self, STATE_PROBLEM);
      pd_page_show_message (self->message_label,
                            _("We could not read your check well enough to pay with it. Nothing "
                              "was charged. Please take your check, then scan it again or pay "
                              "another way."));
      return;
    }
  self->sealed = g_steal_pointer (&read->sealed);
  set_state (self, STATE_READ);
}

static void
start_reading (PdCheckPage *self)
{
  PdTerminal *terminal = pd_page_get_terminal (PD_PAGE (self));
  PdPeripherals *peripherals = terminal != NULL ? pd_terminal_get_peripherals (terminal) : NULL;
  g_autoptr(PdCheckScanner) scanner = NULL;
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  ReadData *data;

  if (peripherals == NULL ||
      (scanner = pd_peripherals_dup_check_scanner (peripherals, &error)) == NULL)
    {
      set_state (self, STATE_PROBLEM);
      pd_page_show_message (self->message_label,
                            _("This kiosk has no check scanner. Please pay another way."));
      return;
    }

  clear_read (self);
  set_state (self, STATE_PROMPT);
  self->reading = g_cancellable_new ();
  data = g_new0 (ReadData, 1);
  data->scanner = g_steal_pointer (&scanner);
  data->core_public_key = g_strdup (pd_config_get_core_public_key (pd_terminal_get_config (terminal)));
  task = g_task_new (self, self->reading, check_read, NULL);
  g_task_set_task_data (task, data, (GDestroyNotify) read_data_free);
  g_task_run_in_thread (task, read_in_thread);
}

static void
stop_reading (PdCheckPage *self)
{
  g_cancellable_cancel (self->reading);
  g_clear_object (&self->reading);
}

/* --- Paying with it ------------------------------------------------------------------ */

typedef struct {
  PdPaymentService *service;
  PdVisitCharge *charge;
  PdSealedCheck *sealed;
} PayData;

static void
pay_data_free (PayData *data)
{
  g_clear_object (&data->service);
  g_clear_pointer (&data->charge, pd_visit_charge_free);
  g_clear_pointer (&data->sealed, pd_sealed_check_free);
  g_free (data);
}

static void
pay_in_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  PayData *data = task_data;
  PdPaymentParties parties = pd_visit_charge_get_parties (data->charge);
  GError *error = NULL;
  PdPayment *payment;

  payment = pd_payment_service_pay_check (data->service, data->charge->account,
                                          data->charge->invoice, data->charge->amount,
                                          pd_sealed_check_get_tender (data->sealed),
                                          &parties, NULL, &error);
  if (payment != NULL)
    g_task_return_pointer (task, payment, g_object_unref);
  else
    g_task_return_error (task, error);
}

static void
paid (GObject      *source,
      GAsyncResult *result,
      gpointer      user_data)
{
  g_autoptr(GTask) outer = user_data;
  PdCheckPage *self = g_task_get_source_object (outer);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPayment) payment = g_task_propagate_pointer (G_TASK (result), &error);

  set_status (self, NULL, FALSE);
  if (payment == NULL)
    {
      set_state (self, STATE_PROBLEM);
      if (pd_page_take_outcome_unknown (PD_PAGE (self), error, self->message_label))
        {
          gtk_widget_set_visible (self->try_again_button, FALSE);
          g_task_return_boolean (outer, FALSE);
          return;
        }
      /* Nothing was taken: the member may scan the check again, or pay another way. */
      pd_page_show_message (self->message_label, error->message);
      g_task_return_boolean (outer, FALSE);
      return;
    }
  pd_visit_set_payment (pd_page_get_visit (PD_PAGE (self)), payment);
  g_task_return_boolean (outer, TRUE);
}

static void
pd_check_page_apply_async (PdPage              *page,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  PdCheckPage *self = PD_CHECK_PAGE (page);
  g_autoptr(GTask) outer = g_task_new (self, NULL, callback, user_data);
  g_autoptr(GTask) task = NULL;
  PdVisit *visit = pd_page_get_visit (page);
  PdTerminal *terminal = pd_page_get_terminal (page);
  PayData *data;

  if (pd_visit_get_payment (visit) != NULL || pd_visit_get_outcome_unknown (visit) ||
      self->sealed == NULL || terminal == NULL ||
      pd_visit_get_account (visit) == NULL)
    {
      g_task_return_boolean (outer, pd_visit_get_payment (visit) != NULL);
      return;
    }

  data = g_new0 (PayData, 1);
  data->service = g_object_ref (pd_terminal_get_payment_service (terminal));
  data->charge = pd_visit_dup_charge (visit);
  /* One check, one payment: the page lets go of it. */
  data->sealed = g_steal_pointer (&self->sealed);
  pd_page_set_complete (page, FALSE);
  set_status (self, _("Sending your payment… Please wait."), TRUE);
  /* Once sent, the payment is not cancelled by leaving the page: its outcome is journaled. */
  task = g_task_new (self, NULL, paid, g_steal_pointer (&outer));
  g_task_set_task_data (task, data, (GDestroyNotify) pay_data_free);
  g_task_run_in_thread (task, pay_in_thread);
}

static gboolean
pd_check_page_apply_finish (PdPage       *page,
                            GAsyncResult *result)
{
  return g_task_propagate_boolean (G_TASK (result), NULL);
}

/* --- On and off the screen ---------------------------------------------------------- */

static void
pd_check_page_shown (PdPage *page)
{
  start_reading (PD_CHECK_PAGE (page));
}

static void
pd_check_page_leave (PdPage *page)
{
  stop_reading (PD_CHECK_PAGE (page));
}

static void
try_again (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  PdCheckPage *self = PD_CHECK_PAGE (widget);

  stop_reading (self);
  start_reading (self);
}

/* Nothing of the check stays: what was read, and the sealed copy. */
static void
pd_check_page_forget (PdPage *page)
{
  PdCheckPage *self = PD_CHECK_PAGE (page);

  stop_reading (self);
  clear_read (self);
  gtk_label_set_label (self->amount_label, "");
  pd_page_show_message (self->message_label, NULL);
  pd_page_set_complete (page, FALSE);
}

static void
pd_check_page_dispose (GObject *object)
{
  PdCheckPage *self = PD_CHECK_PAGE (object);

  stop_reading (self);
  g_clear_pointer (&self->sealed, pd_sealed_check_free);

  G_OBJECT_CLASS (pd_check_page_parent_class)->dispose (object);
}

static void
pd_check_page_class_init (PdCheckPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  PdPageClass *page_class = PD_PAGE_CLASS (klass);

  object_class->dispose = pd_check_page_dispose;
  page_class->shown = pd_check_page_shown;
  page_class->leave = pd_check_page_leave;
  page_class->apply_async = pd_check_page_apply_async;
  page_class->apply_finish = pd_check_page_apply_finish;
  page_class->forget = pd_check_page_forget;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/paydesk/Paydesk/pages/check/pd-check-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PdCheckPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, PdCheckPage, amount_label);
  gtk_widget_class_bind_template_child (widget_class, PdCheckPage, picture);
  gtk_widget_class_bind_template_child (widget_class, PdCheckPage, message_label);
  gtk_widget_class_bind_template_child (widget_class, PdCheckPage, problems_label);
  gtk_widget_class_bind_template_child (widget_class, PdCheckPage, read_grid);
  gtk_widget_class_bind_template_child (widget_class, PdCheckPage, routing_value);
  gtk_widget_class_bind_template_child (widget_class, PdCheckPage, account_value);
  gtk_widget_class_bind_template_child (widget_class, PdCheckPage, serial_value);
  gtk_widget_class_bind_template_child (widget_class, PdCheckPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, PdCheckPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, PdCheckPage, try_again_button);
  gtk_widget_class_bind_template_child (widget_class, PdCheckPage, pay_button);
  gtk_widget_class_install_action (widget_class, "check.try-again", NULL, try_again);
}

static void
pd_check_page_init (PdCheckPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* A check paid commits: no way back to pay with it again. */
  pd_page_set_commits (PD_PAGE (self), TRUE);
  pd_page_set_next_page (PD_PAGE (self), "result");
}

PdPage *
pd_check_page_new (void)
{
  return g_object_new (PD_TYPE_CHECK_PAGE, NULL);
}
