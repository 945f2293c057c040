#include <glib/gi18n.h>

#include "pd-app-choice.h"
#include "pd-card-channel.h"
#include "pd-card-page.h"
#include "pd-card-payment.h"
#include "pd-emv-select.h"
#include "pd-reader-monitor.h"

/* Nobody answering which of a card's accounts to use stops the payment, nothing sent. */
#define CHOICE_TIMEOUT_SECONDS 60
/* A card left in the reader after an approval: the result comes anyway after this. */
#define REMOVAL_TIMEOUT_SECONDS 20
/* The card is in the reader when the payment starts: it only needs to be found. */
#define CARD_WAIT_MS 3000

typedef enum {
  /* Waiting for a card (or for the reader). */
  STATE_PROMPT,
  /* A card is being read and paid with; the flow is busy. */
  STATE_READING,
  /* Approved: waiting for the member to take the card back. */
  STATE_REMOVE,
  /* The card could not pay: why, and another card or another way. */
  STATE_PROBLEM,
} State;

struct _PdCardPage {
  PdPage parent_instance;

  GtkLabel *title_label;
  GtkLabel *amount_label;
  GtkLabel *status_label;
  GtkLabel *message_label;
  GtkWidget *picture;
  GtkSpinner *spinner;
  GtkWidget *choice_box;
  GtkBox *applications_box;
  GtkWidget *try_again_button;

  State state;
  PdReaderMonitor *monitor;
  guint readers;
  /* The reader holding a card now, NULL when none does; whether that card was tried (a
   * card that could not pay is not tried again until it is taken out). */
  char *card_reader;
  gboolean card_used;
  /* The reader of a card that was tried and not seen taken out before the page went: when
   * the page comes back, that card is still not tried again (it may be the last member's). */
  char *card_left_in;
  PdCardPaymentContext *context;
  GCancellable *context_cancellable;
  PdAppChoice *choice;
  guint choice_timeout;
  /* The apply step, held while an approved card is still in the reader. */
  GTask *removal_task;
  guint removal_timeout;
};

G_DEFINE_FINAL_TYPE (PdCardPage, pd_card_page, PD_TYPE_PAGE)

static void show_prompt   (PdCardPage *self);
static void answer_choice (PdCardPage *self,
                           gint        index);

static void
set_status (PdCardPage *self,
            const char *status,
            gboolean    working)
{
  gtk_label_set_label (self->status_label, status != NULL ? status : "");
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), working);
  if (working)
    gtk_spinner_start (self->spinner);
  else
    gtk_spinner_stop (self->spinner);
}

/* What the reader does while the member is asked for a card. */
static void
show_reader_state (PdCardPage *self)
{
  if (self->state != STATE_PROMPT && self->state != STATE_PROBLEM)
    return;

  if (self->card_reader != NULL && self->card_used)
    set_status (self, _("Please remove your card."), FALSE);
  else if (self->monitor != NULL && !pd_reader_monitor_get_service_available (self->monitor))
    set_status (self, _("The card reader is not working right now. Please pay another way, "
                        "or ask an associate."), FALSE);
  else if (self->readers == 0)
    set_status (self, _("Looking for the card reader…"), TRUE);
  else if (self->context == NULL)
    set_status (self, _("Getting the card reader ready…"), TRUE);
  else if (self->state == STATE_PROBLEM)
    set_status (self, _("You can insert or tap another card."), FALSE);
  else
    set_status (self, _("The card reader is ready."), FALSE);
}

static void
set_state (PdCardPage *self,
           State       state)
{
  self->state = state;
  gtk_widget_set_visible (self->try_again_button, state == STATE_PROBLEM);
  /* The drawing shows how to present a card; when something else is asked, it makes way. */
  gtk_widget_set_visible (self->picture, state == STATE_PROMPT || state == STATE_READING);
  if (state == STATE_PROBLEM)
    gtk_label_set_label (self->title_label, _("This card did not pay"));
  if (state != STATE_PROBLEM)
    pd_page_show_message (self->message_label, NULL);
  show_reader_state (self);
}

/* A card in the reader while the member is asked for one: the payment starts. */
static void
maybe_start (PdCardPage *self)
{
  if (self->card_reader == NULL || self->card_used || self->context == NULL ||
      (self->state != STATE_PROMPT && self->state != STATE_PROBLEM))
    return;

  pd_page_set_complete (PD_PAGE (self), TRUE);
  gtk_widget_activate_action (GTK_WIDGET (self), "flow.next", NULL);
}

static void
finish_removal (PdCardPage *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->removal_task);

  g_clear_handle_id (&self->removal_timeout, g_source_remove);
  if (task != NULL)
    g_task_return_boolean (task, TRUE);
}

static gboolean
on_removal_timeout (gpointer data)
{
  PdCardPage *self = data;

  self->removal_timeout = 0;
  finish_removal (self);
  return G_SOURCE_REMOVE;
}

static void
on_reader_added (PdCardPage *self,
                 const char *reader)
{
  self->readers++;
  show_reader_state (self);
}

static void
on_reader_removed (PdCardPage *self,
                   const char *reader)
{
  if (self->readers > 0)
    self->readers--;
  if (g_strcmp0 (reader, self->card_reader) == 0)
    g_clear_pointer (&self->card_reader, g_free);
  show_reader_state (self);
}

static void
on_card_inserted (PdCardPage *self,
                  const char *reader,
                  GBytes     *atr)
{
  /* The same card seen again without a removal between (the page shown anew, pcscd
   * restarted): still the card that was tried. */
  if (g_strcmp0 (reader, self->card_left_in) == 0 ||
      (self->card_used && g_strcmp0 (reader, self->card_reader) == 0))
    {
      g_free (self->card_reader);
      self->card_reader = g_strdup (reader);
      self->card_used = TRUE;
      show_reader_state (self);
      return;
    }
  g_free (self->card_reader);
  self->card_reader = g_strdup (reader);
  self->card_used = FALSE;
  maybe_start (self);
}

static void
on_card_removed (PdCardPage *self,
                 const char *reader)
{
  if (g_strcmp0 (reader, self->card_left_in) == 0)
    g_clear_pointer (&self->card_left_in, g_free);
  if (g_strcmp0 (reader, self->card_reader) != 0)
    return;
  g_clear_pointer (&self->card_reader, g_free);
  self->card_used = FALSE;
  /* A card taken out while asked which of its accounts to use: the question is over. */
  if (pd_app_choice_is_asking (self->choice))
    answer_choice (self, -1);
  if (self->state == STATE_REMOVE)
    finish_removal (self);
  else
    show_reader_state (self);
}

/* --- Which of the card's applications ------------------------------------------------ */

static void
clear_applications (PdCardPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->applications_box))) != NULL)
    gtk_box_remove (self->applications_box, child);
  gtk_widget_set_visible (self->choice_box, FALSE);
  g_clear_handle_id (&self->choice_timeout, g_source_remove);
}

static void
answer_choice (PdCardPage *self,
               gint        index)
{
  clear_applications (self);
  pd_app_choice_answer (self->choice, index);
  if (self->state == STATE_READING)
    gtk_widget_set_visible (self->picture, TRUE);
  if (self->state == STATE_READING)
    set_status (self, _("Reading your card. Please do not remove it."), TRUE);
}

static gboolean
on_choice_timeout (gpointer data)
{
  PdCardPage *self = data;

  self->choice_timeout = 0;
  answer_choice (self, -1);
  return G_SOURCE_REMOVE;
}

static void
ask_application (GObject            *owner,
                 const char * const *labels,
                 gpointer            user_data)
{
  PdCardPage *self = PD_CARD_PAGE (owner);

  clear_applications (self);
  if (self->state != STATE_READING)
    {
      pd_app_choice_answer (self->choice, -1);
      return;
    }

  for (guint i = 0; labels[i] != NULL; i++)
    {
      GtkWidget *button = gtk_button_new_with_label (labels[i]);
      g_autofree char *name = g_strdup_printf ("application_button_%u", i);

      gtk_widget_set_name (button, name);
      gtk_widget_add_css_class (button, "application-button");
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "card.choose-application");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "i", (gint32) i);
      gtk_box_append (self->applications_box, button);
    }
  gtk_widget_set_visible (self->choice_box, TRUE);
  gtk_widget_set_visible (self->picture, FALSE);
  set_status (self, NULL, FALSE);
  self->choice_timeout = g_timeout_add_seconds (CHOICE_TIMEOUT_SECONDS, on_choice_timeout, self);
}

static void
choose_application (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  answer_choice (PD_CARD_PAGE (widget), g_variant_get_int32 (parameter));
}

/* --- The payment ------------------------------------------------------------------- */

/* A card error in words a member can act on: the kernel's and the service's sentences are
 * meant for them; a reader's trouble is not the member's to solve. */
static char *
describe_error (const GError *error)
{
  if (g_error_matches (error, PD_CARD_ERROR, PD_CARD_ERROR_REMOVED))
    return g_strdup (_("The card was removed before the payment was finished. Nothing was "
                       "charged. Please insert it again and leave it in until we ask you to "
                       "remove it."));
  if (error->domain == PD_CARD_ERROR)
    return g_strdup (_("The card reader could not read your card. Nothing was charged. "
                       "Please try again, or pay another way."));
  if (g_error_matches (error, PD_EMV_ERROR, PD_EMV_ERROR_CANCELLED))
    return g_strdup (_("No account was chosen, so nothing was charged. You can try again."));
  return g_strdup (error->message);
}

static void
paid (GObject      *source,
      GAsyncResult *result,
      gpointer      user_data)
{
  g_autoptr(GTask) outer = user_data;
  PdCardPage *self = g_task_get_source_object (outer);
  g_auto(PdCardPaymentResult) outcome = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  gboolean done;

  done = pd_card_payment_run_finish (result, &outcome, &error);
  clear_applications (self);
  pd_page_set_complete (PD_PAGE (self), FALSE);

  if (done && g_strcmp0 (outcome.outcome, "approved") == 0 && outcome.payment != NULL)
    {
      pd_visit_set_payment (pd_page_get_visit (PD_PAGE (self)), outcome.payment);
      if (self->card_reader == NULL)
        {
          set_state (self, STATE_PROMPT);
          g_task_return_boolean (outer, TRUE);
          return;
        }
      /* The member takes the card back before anything else. */
      self->state = STATE_REMOVE;
      gtk_label_set_label (self->title_label, _("Your payment was approved."));
      gtk_label_set_label (self->amount_label,
                           _("Take your card, and your confirmation comes next."));
      set_status (self, _("Please remove your card."), FALSE);
      self->removal_task = g_steal_pointer (&outer);
      self->removal_timeout = g_timeout_add_seconds (REMOVAL_TIMEOUT_SECONDS,
                                                     on_removal_timeout, self);
      return;
    }

  if (!done && pd_page_take_outcome_unknown (PD_PAGE (self), error, self->message_label))
    {
      set_state (self, STATE_PROBLEM);
      gtk_widget_set_visible (self->try_again_button, FALSE);
      g_task_return_boolean (outer, FALSE);
      return;
    }
  if (done)
    message = g_strdup (outcome.message != NULL
                        ? outcome.message
                        : _("The payment did not go through. Nothing was charged."));
  else
    message = describe_error (error);
  set_state (self, STATE_PROBLEM);
  /* Without the payment core no card can pay: another card is not the way on. */
  if (done && g_strcmp0 (outcome.outcome, "failed") == 0)
    gtk_widget_set_visible (self->try_again_button, FALSE);
  pd_page_show_message (self->message_label, message);
  g_task_return_boolean (outer, FALSE);
}

static void
pd_card_page_apply_async (PdPage              *page,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  PdCardPage *self = PD_CARD_PAGE (page);
  g_autoptr(GTask) outer = g_task_new (self, NULL, callback, user_data);
  PdVisit *visit = pd_page_get_visit (page);
  PdTerminal *terminal = pd_page_get_terminal (page);
  PdCardPaymentRequest request;

  if (pd_visit_get_payment (visit) != NULL || pd_visit_get_outcome_unknown (visit) ||
      terminal == NULL || self->context == NULL ||
      self->card_reader == NULL || pd_visit_get_account (visit) == NULL)
    {
      pd_page_set_complete (page, FALSE);
      g_task_return_boolean (outer, pd_visit_get_payment (visit) != NULL);
      return;
    }

  request = (PdCardPaymentRequest) {
    .patterns = pd_config_get_card_readers (pd_terminal_get_config (terminal)),
    .reader = self->card_reader,
    .wait_ms = CARD_WAIT_MS,
    .account = pd_visit_get_account (visit),
    .invoice = pd_visit_get_invoice (visit),
    .amount = pd_visit_get_amount (visit),
    .parties = pd_visit_get_parties (visit),
  };
  self->card_used = TRUE;
  show_prompt (self);
  set_state (self, STATE_READING);
  set_status (self, _("Reading your card. Please do not remove it."), TRUE);
  /* No cancellable: once the card is read the payment runs to its outcome, which the
   * member is shown. The flow keeps the member on this page meanwhile. */
  pd_card_payment_run_async (self->context, &request, NULL, paid, g_steal_pointer (&outer));
}

static gboolean
pd_card_page_apply_finish (PdPage       *page,
                           GAsyncResult *result)
{
  return g_task_propagate_boolean (G_TASK (result), NULL);
}

/* --- The card payment's parameters, read once, off the screen's thread ---------------- */

typedef struct {
  PdConfig *config;
  PdPaymentService *service;
} ContextData;

static void
context_data_free (ContextData *data)
{
  g_clear_object (&data->config);
  g_clear_object (&data->service);
  g_free (data);
}

static void
make_context_in_thread (GTask        *task,
                        gpointer      source,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  ContextData *data = task_data;
  GError *error = NULL;
  PdCardPaymentContext *context = pd_card_payment_context_new (data->config, data->service,
                                                               &error);

  if (context != NULL)
    g_task_return_pointer (task, context, (GDestroyNotify) pd_card_payment_context_unref);
  else
    g_task_return_error (task, error);
}

static void
context_made (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  PdCardPage *self = PD_CARD_PAGE (source);
  g_autoptr(GError) error = NULL;
  PdCardPaymentContext *context = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->context_cancellable);
  if (context == NULL)
    {
      g_warning ("card payments cannot start: %s", error->message);
      set_state (self, STATE_PROBLEM);
      pd_page_show_message (self->message_label,
                            _("This kiosk cannot take cards right now. Please pay another "
                              "way, or ask an associate."));
      return;
    }
  self->context = context;
  pd_card_payment_context_set_chooser (context, pd_app_choice_choose,
                                       pd_app_choice_ref (self->choice),
                                       (GDestroyNotify) pd_app_choice_unref);
  show_reader_state (self);
  maybe_start (self);
}

static void
make_context (PdCardPage *self)
{
  PdTerminal *terminal = pd_page_get_terminal (PD_PAGE (self));
  g_autoptr(GTask) task = NULL;
  ContextData *data;

  if (self->context != NULL || self->context_cancellable != NULL || terminal == NULL)
    return;

  self->context_cancellable = g_cancellable_new ();
  data = g_new0 (ContextData, 1);
  data->config = g_object_ref (pd_terminal_get_config (terminal));
  data->service = g_object_ref (pd_terminal_get_payment_service (terminal));
  task = g_task_new (self, self->context_cancellable, context_made, NULL);
  g_task_set_task_data (task, data, (GDestroyNotify) context_data_free);
  g_task_run_in_thread (task, make_context_in_thread);
}

/* --- On and off the screen ---------------------------------------------------------- */

static void
show_prompt (PdCardPage *self)
{
  PdPage *page = PD_PAGE (self);
  PdVisit *visit = pd_page_get_visit (page);
  PdTerminal *terminal = pd_page_get_terminal (page);
  PdAccount *account = pd_visit_get_account (visit);
  g_autofree char *amount = pd_money_format (pd_visit_get_amount (visit), NULL);
  g_autofree char *paying = NULL;
  gboolean tap_allowed = terminal == NULL ||
    pd_visit_get_amount (visit) < pd_config_get_contactless_limit (pd_terminal_get_config (terminal));

  /* EMV entry point: at or above the contactless limit a tap is refused, so not offered. */
  gtk_label_set_label (self->title_label, tap_allowed ? _("Insert or tap your card")
                                                      : _("Insert your card"));
  /* The drawing shows only what is allowed: no tap at or above the limit. */
  gtk_picture_set_resource (GTK_PICTURE (self->picture),
                            tap_allowed ? "/org/paydesk/Paydesk/pages/card/card-insert.svg"
                                        : "/org/paydesk/Paydesk/pages/card/card-insert-only.svg");
  gtk_picture_set_alternative_text (GTK_PICTURE (self->picture),
                                    tap_allowed
                                    ? _("Put your card in the slot at the bottom of the card "
                                        "reader, chip first, or hold it flat over the top of "
                                        "the reader.")
                                    : _("Put your card in the slot at the bottom of the card "
                                        "reader, chip first."));
  if (account != NULL)
    paying = g_strdup_printf (tap_allowed
                              ? _("You are paying %s on your %s account. Visa, Mastercard "
                                  "and Discover are accepted.")
                              : _("You are paying %s on your %s account. For this amount, "
                                  "please insert your card: tapping is for smaller "
                                  "payments."),
                              amount,
                              pd_line_of_business_get_name (
                                pd_account_get_line_of_business (account)));
  gtk_label_set_label (self->amount_label, paying != NULL ? paying : "");
}

static void
pd_card_page_shown (PdPage *page)
{
  PdCardPage *self = PD_CARD_PAGE (page);
  PdTerminal *terminal = pd_page_get_terminal (page);

  show_prompt (self);
  set_state (self, STATE_PROMPT);
  if (terminal == NULL)
    return;

  make_context (self);
  self->readers = 0;
  g_clear_pointer (&self->card_reader, g_free);
  self->monitor = pd_reader_monitor_new (
    pd_config_get_card_readers (pd_terminal_get_config (terminal)));
  g_signal_connect_swapped (self->monitor, "reader-added", G_CALLBACK (on_reader_added), self);
  g_signal_connect_swapped (self->monitor, "reader-removed", G_CALLBACK (on_reader_removed),
                            self);
  g_signal_connect_swapped (self->monitor, "card-inserted", G_CALLBACK (on_card_inserted), self);
  g_signal_connect_swapped (self->monitor, "card-removed", G_CALLBACK (on_card_removed), self);
  g_signal_connect_swapped (self->monitor, "notify::service-available",
                            G_CALLBACK (show_reader_state), self);
  pd_reader_monitor_start (self->monitor);
  show_reader_state (self);
}

static void
stop_watching (PdCardPage *self)
{
  if (self->card_reader != NULL && self->card_used)
    {
      g_free (self->card_left_in);
      self->card_left_in = g_strdup (self->card_reader);
    }
  if (self->monitor != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->monitor, self);
      pd_reader_monitor_stop (self->monitor);
      g_clear_object (&self->monitor);
    }
  g_clear_pointer (&self->card_reader, g_free);
  self->card_used = FALSE;
  self->readers = 0;
}

static void
pd_card_page_leave (PdPage *page)
{
  PdCardPage *self = PD_CARD_PAGE (page);

  /* A question nobody will answer now is answered "stop". */
  answer_choice (self, -1);
  finish_removal (self);
  stop_watching (self);
  pd_page_set_complete (page, FALSE);
}

static void
try_again (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  PdCardPage *self = PD_CARD_PAGE (widget);

  set_state (self, STATE_PROMPT);
  show_prompt (self);
  maybe_start (self);
}

static void
pd_card_page_forget (PdPage *page)
{
  PdCardPage *self = PD_CARD_PAGE (page);

  clear_applications (self);
  gtk_label_set_label (self->amount_label, "");
  pd_page_show_message (self->message_label, NULL);
  self->state = STATE_PROMPT;
}

static void
pd_card_page_dispose (GObject *object)
{
  PdCardPage *self = PD_CARD_PAGE (object);

  if (self->choice != NULL)
    pd_app_choice_answer (self->choice, -1);
  g_clear_handle_id (&self->choice_timeout, g_source_remove);
  finish_removal (self);
  stop_watching (self);
  g_cancellable_cancel (self->context_cancellable);
  g_clear_object (&self->context_cancellable);
  g_clear_pointer (&self->context, pd_card_payment_context_unref);
  g_clear_pointer (&self->choice, pd_app_choice_unref);
  g_clear_pointer (&self->card_left_in, g_free);

  G_OBJECT_CLASS (pd_card_page_parent_class)->dispose (object);
}

static void
pd_card_page_class_init (PdCardPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  PdPageClass *page_class = PD_PAGE_CLASS (klass);

  object_class->dispose = pd_card_page_dispose;
  page_class->shown = pd_card_page_shown;
  page_class->leave = pd_card_page_leave;
  page_class->apply_async = pd_card_page_apply_async;
  page_class->apply_finish = pd_card_page_apply_finish;
  page_class->forget = pd_card_page_forget;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/paydesk/Paydesk/pages/card/pd-card-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PdCardPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, PdCardPage, amount_label);
  gtk_widget_class_bind_template_child (widget_class, PdCardPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, PdCardPage, message_label);
  gtk_widget_class_bind_template_child (widget_class, PdCardPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, PdCardPage, picture);
  gtk_widget_class_bind_template_child (widget_class, PdCardPage, choice_box);
  gtk_widget_class_bind_template_child (widget_class, PdCardPage, applications_box);
  gtk_widget_class_bind_template_child (widget_class, PdCardPage, try_again_button);
  gtk_widget_class_install_action (widget_class, "card.try-again", NULL, try_again);
  gtk_widget_class_install_action (widget_class, "card.choose-application", "i",
                                   choose_application);
}

static void
pd_card_page_init (PdCardPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The card's payment commits: once a card has paid, no way back to pay again. */
  pd_page_set_commits (PD_PAGE (self), TRUE);
  pd_page_set_next_page (PD_PAGE (self), "result");
  self->choice = pd_app_choice_new (G_OBJECT (self), ask_application, NULL);
}

PdPage *
pd_card_page_new (void)
{
  return g_object_new (PD_TYPE_CARD_PAGE, NULL);
}
