#include <glib/gi18n.h>

#include "pd-flow.h"

struct _PdFlow {
  AdwBin parent_instance;

  PdTerminal *terminal;
  PdVisit *visit;
  GtkStack *stack;
  /* Page names in order, and the names of the pages the member came through. */
  GPtrArray *order;
  GPtrArray *back_stack;
  gboolean busy;
  /* Builds a page the first time it is shown (pd_flow_add_page_later). */
  PdPageFactory factory;
  gpointer factory_data;

  /* The idle timeout: "Do you need more time?", then the visit ends. */
  guint idle_ms;
  guint warning_ms;
  guint idle_source;
  guint countdown_source;
  gint64 visit_ends_at;
  AdwMessageDialog *more_time_dialog;
};

G_DEFINE_FINAL_TYPE (PdFlow, pd_flow, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_VISIBLE_PAGE_NAME,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static PdPage *
visible_page (PdFlow *self)
{
  GtkWidget *child = gtk_stack_get_visible_child (self->stack);

  return child != NULL ? PD_PAGE (child) : NULL;
}

static void
update_actions (PdFlow *self)
{
  PdPage *page = visible_page (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "flow.next",
                                 page != NULL && !self->busy && pd_page_get_complete (page));
  /* A payment whose outcome is unknown ends the way back: nothing else is paid in this
   * visit. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "flow.back",
                                 !self->busy && self->back_stack->len > 0 &&
                                 !pd_visit_get_outcome_unknown (self->visit));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "flow.restart", !self->busy);
}

static void restart_idle_timer (PdFlow     *self);
static void flow_restart       (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter);

static void
close_more_time_dialog (PdFlow *self)
{
  g_clear_handle_id (&self->countdown_source, g_source_remove);
  if (self->more_time_dialog != NULL)
    {
      AdwMessageDialog *dialog = g_steal_pointer (&self->more_time_dialog);

      gtk_window_destroy (GTK_WINDOW (dialog));
      g_object_unref (dialog);
    }
}

static guint
seconds_left (PdFlow *self)
{
  gint64 left = self->visit_ends_at - g_get_monotonic_time ();

  return left > 0 ? (guint) ((left + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC) : 0;
}

static void
update_countdown (PdFlow *self)
{
  g_autofree char *body = g_strdup_printf (
    ngettext ("For your privacy, this visit ends in %u second and what you entered is "
              "erased.",
              "For your privacy, this visit ends in %u seconds and what you entered is "
              "erased.", seconds_left (self)),
    seconds_left (self));

  adw_message_dialog_set_body (self->more_time_dialog, body);
}

/* No answer: the member has gone. Nothing of the visit stays on the screen. */
static gboolean
on_countdown (gpointer data)
{
  PdFlow *self = data;

  if (seconds_left (self) > 0)
    {
      update_countdown (self);
      return G_SOURCE_CONTINUE;
    }

  self->countdown_source = 0;
  close_more_time_dialog (self);
  flow_restart (GTK_WIDGET (self), "flow.restart", NULL);
  /* Refused while a step works: ask again once it is done. */
  restart_idle_timer (self);
  return G_SOURCE_REMOVE;
}

static void
on_more_time_response (AdwMessageDialog *dialog,
                       const char       *response,
                       PdFlow           *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "flow.more-time", NULL);
}

static void
ask_for_more_time (PdFlow *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  self->visit_ends_at = g_get_monotonic_time () + (gint64) self->warning_ms * 1000;
  self->more_time_dialog = ADW_MESSAGE_DIALOG (
    adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                            _("Do you need more time?"), NULL));
  g_object_ref_sink (self->more_time_dialog);
  adw_message_dialog_add_response (self->more_time_dialog, "more-time",
                                   _("Yes, I need more time"));
  adw_message_dialog_set_response_appearance (self->more_time_dialog, "more-time",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (self->more_time_dialog, "more-time");
  adw_message_dialog_set_close_response (self->more_time_dialog, "more-time");
  gtk_widget_add_css_class (GTK_WIDGET (self->more_time_dialog), "more-time-dialog");
  g_signal_connect_object (self->more_time_dialog, "response",
                           G_CALLBACK (on_more_time_response), self, 0);
  update_countdown (self);
  self->countdown_source = g_timeout_add (250, on_countdown, self);
  gtk_window_present (GTK_WINDOW (self->more_time_dialog));
}

static gboolean
on_idle (gpointer data)
{
  PdFlow *self = data;
  const char *first = self->order->len > 0 ? g_ptr_array_index (self->order, 0) : NULL;

  self->idle_source = 0;
  /* Between visits there is nothing to forget; during a step's work, the member waits. */
  if (g_strcmp0 (pd_flow_get_visible_page_name (self), first) == 0 || self->busy)
    {
      restart_idle_timer (self);
      return G_SOURCE_REMOVE;
    }
  ask_for_more_time (self);
  return G_SOURCE_REMOVE;
}

static void
restart_idle_timer (PdFlow *self)
{
  g_clear_handle_id (&self->idle_source, g_source_remove);
  if (self->idle_ms > 0 && self->more_time_dialog == NULL)
    self->idle_source = g_timeout_add (self->idle_ms, on_idle, self);
}

/* Any touch, click or key on the pages is the member still there. */
static gboolean
on_input (GtkEventControllerLegacy *controller,
          GdkEvent                 *event,
          PdFlow                   *self)
{
  switch (gdk_event_get_event_type (event))
    {
    case GDK_BUTTON_PRESS:
    case GDK_KEY_PRESS:
    case GDK_TOUCH_BEGIN:
    case GDK_SCROLL:
      restart_idle_timer (self);
      break;
    default:
      break;
    }
  return GDK_EVENT_PROPAGATE;
}

static void
flow_more_time (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PdFlow *self = PD_FLOW (widget);

  close_more_time_dialog (self);
  restart_idle_timer (self);
}

static void
show_page (PdFlow     *self,
           const char *name)
{
  PdPage *leaving = visible_page (self);
  PdPage *page = pd_flow_get_page (self, name);

  g_return_if_fail (page != NULL);

  if (leaving != NULL && leaving != page)
    pd_page_leave (leaving);
  gtk_stack_set_visible_child (self->stack, GTK_WIDGET (page));
  pd_page_shown (page);
  update_actions (self);
  restart_idle_timer (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VISIBLE_PAGE_NAME]);
}

static void
set_busy (PdFlow   *self,
          gboolean  busy)
{
  self->busy = busy;
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* The name after the shown page: the one it asks for, or the next in order. */
static const char *
following_page (PdFlow *self)
{
  PdPage *page = visible_page (self);
  const char *current = gtk_stack_get_visible_child_name (self->stack);

  if (pd_page_get_next_page (page) != NULL)
    return pd_page_get_next_page (page);
  for (guint i = 0; i + 1 < self->order->len; i++)
    if (g_str_equal (g_ptr_array_index (self->order, i), current))
      return g_ptr_array_index (self->order, i + 1);
  return NULL;
}

static void
applied (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(PdFlow) self = user_data;
  PdPage *page = PD_PAGE (source);
  gboolean applied_ok = pd_page_apply_finish (page, result);
  const char *next;

  /* The window went away while the step worked: nothing left to show. */
  if (self->stack == NULL)
    return;
  set_busy (self, FALSE);
  /* The member stays: the page says why. A page left meanwhile (a restart) went nowhere. */
  if (!applied_ok || page != visible_page (self))
    return;

  next = following_page (self);
  /* The last page, or one whose step is not on this terminal: the member stays. */
  if (next == NULL || pd_flow_get_page (self, next) == NULL)
    return;
  /* The money is taken: no way back to take it again. */
  if (pd_page_get_commits (page))
    g_ptr_array_set_size (self->back_stack, 0);
  else
    g_ptr_array_add (self->back_stack,
                     g_strdup (gtk_stack_get_visible_child_name (self->stack)));
  show_page (self, next);
}

static void
flow_next (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  PdFlow *self = PD_FLOW (widget);
  PdPage *page = visible_page (self);

  if (page == NULL || self->busy || !pd_page_get_complete (page))
    return;

  set_busy (self, TRUE);
  pd_page_apply_async (page, applied, g_object_ref (self));
}

static void
flow_back (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  PdFlow *self = PD_FLOW (widget);
  g_autofree char *previous = NULL;

  if (self->busy || self->back_stack->len == 0 || pd_visit_get_outcome_unknown (self->visit))
    return;

  previous = g_ptr_array_steal_index (self->back_stack, self->back_stack->len - 1);
  show_page (self, previous);
}

static void
flow_go (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  PdFlow *self = PD_FLOW (widget);
  const char *name = g_variant_get_string (parameter, NULL);

  if (self->busy || pd_flow_get_page (self, name) == NULL ||
      pd_visit_get_outcome_unknown (self->visit))
    return;

  g_ptr_array_add (self->back_stack, g_strdup (gtk_stack_get_visible_child_name (self->stack)));
  show_page (self, name);
}

/* The visit ends (finished, abandoned or timed out): nothing of it stays on screen. */
static void
flow_restart (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  PdFlow *self = PD_FLOW (widget);

  /* A step at work (a payment sent) holds what the visit holds: it ends first. */
  if (self->order->len == 0 || self->busy)
    return;

  g_ptr_array_set_size (self->back_stack, 0);
  pd_visit_wipe (self->visit);
  for (guint i = 0; i < self->order->len; i++)
    {
      GtkWidget *built = gtk_stack_get_child_by_name (self->stack,
                                                      g_ptr_array_index (self->order, i));

      if (built != NULL)
        pd_page_forget (PD_PAGE (built));
    }
  show_page (self, g_ptr_array_index (self->order, 0));
}

static void
pd_flow_dispose (GObject *object)
{
  PdFlow *self = PD_FLOW (object);
  PdPage *page = self->stack != NULL ? visible_page (self) : NULL;

  if (page != NULL)
    pd_page_leave (page);
  g_clear_handle_id (&self->idle_source, g_source_remove);
  close_more_time_dialog (self);
  g_clear_object (&self->terminal);
  g_clear_object (&self->visit);
  g_clear_pointer (&self->order, g_ptr_array_unref);
  g_clear_pointer (&self->back_stack, g_ptr_array_unref);
  self->stack = NULL;

  G_OBJECT_CLASS (pd_flow_parent_class)->dispose (object);
}

static void
pd_flow_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  PdFlow *self = PD_FLOW (object);

  switch (prop_id)
    {
    case PROP_VISIBLE_PAGE_NAME:
      g_value_set_string (value, pd_flow_get_visible_page_name (self));
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_flow_class_init (PdFlowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_flow_dispose;
  object_class->get_property = pd_flow_get_property;

  properties[PROP_VISIBLE_PAGE_NAME] =
    g_param_spec_string ("visible-page-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "flow.next", NULL, flow_next);
  gtk_widget_class_install_action (widget_class, "flow.back", NULL, flow_back);
  gtk_widget_class_install_action (widget_class, "flow.go", "s", flow_go);
  gtk_widget_class_install_action (widget_class, "flow.restart", NULL, flow_restart);
  gtk_widget_class_install_action (widget_class, "flow.more-time", NULL, flow_more_time);

  /* Escape steps back, as the back button does; Enter goes on where a page is complete. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "flow.back", NULL);
  gtk_widget_class_set_css_name (widget_class, "flow");
}

static void
pd_flow_init (PdFlow *self)
{
  GtkEventController *input;

  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_stack_set_transition_type (self->stack, GTK_STACK_TRANSITION_TYPE_CROSSFADE);
  gtk_stack_set_transition_duration (self->stack, 150);
  /* Each page fits the screen on its own: the tallest or widest one sets no size for the
   * others. */
  gtk_stack_set_hhomogeneous (self->stack, FALSE);
  gtk_stack_set_vhomogeneous (self->stack, FALSE);
  adw_bin_set_child (ADW_BIN (self), GTK_WIDGET (self->stack));
  self->order = g_ptr_array_new_with_free_func (g_free);
  self->back_stack = g_ptr_array_new_with_free_func (g_free);

  input = gtk_event_controller_legacy_new ();
  gtk_event_controller_set_propagation_phase (input, GTK_PHASE_CAPTURE);
  g_signal_connect (input, "event", G_CALLBACK (on_input), self);
  gtk_widget_add_controller (GTK_WIDGET (self), input);
}

PdFlow *
pd_flow_new (PdTerminal *terminal,
             PdVisit    *visit)
{
  PdFlow *self;

  g_return_val_if_fail (terminal == NULL || PD_IS_TERMINAL (terminal), NULL);
  g_return_val_if_fail (PD_IS_VISIT (visit), NULL);

  self = g_object_new (PD_TYPE_FLOW, NULL);
  self->terminal = terminal != NULL ? g_object_ref (terminal) : NULL;
  self->visit = g_object_ref (visit);
  g_signal_connect_object (visit, "notify::outcome-unknown", G_CALLBACK (update_actions), self,
                           G_CONNECT_SWAPPED);
  return self;
}

static void
on_page_complete (PdFlow *self)
{
  update_actions (self);
}

static gboolean
has_name (PdFlow     *self,
          const char *name)
{
  for (guint i = 0; i < self->order->len; i++)
    if (g_str_equal (g_ptr_array_index (self->order, i), name))
      return TRUE;
  return FALSE;
}

static void
attach_page (PdFlow     *self,
             const char *name,
             PdPage     *page)
{
  pd_page_set_context (page, self->terminal, self->visit);
  gtk_stack_add_named (self->stack, GTK_WIDGET (page), name);
  g_signal_connect_object (page, "notify::complete", G_CALLBACK (on_page_complete), self,
                           G_CONNECT_SWAPPED);
}

void
pd_flow_add_page (PdFlow     *self,
                  const char *name,
                  PdPage     *page)
{
  g_return_if_fail (PD_IS_FLOW (self));
  g_return_if_fail (name != NULL && PD_IS_PAGE (page));
  g_return_if_fail (pd_flow_get_page (self, name) == NULL);

  attach_page (self, name, page);
  g_ptr_array_add (self->order, g_strdup (name));
  if (self->order->len == 1)
    show_page (self, name);
}

void
pd_flow_replace_page (PdFlow     *self,
                      const char *name,
                      PdPage     *page)
{
  PdPage *old;
  gboolean shown;

  g_return_if_fail (PD_IS_FLOW (self));
  g_return_if_fail (name != NULL && PD_IS_PAGE (page));

  old = pd_flow_get_page (self, name);
  g_return_if_fail (old != NULL);
  shown = old == visible_page (self);
  if (shown)
    pd_page_leave (old);
  gtk_stack_remove (self->stack, GTK_WIDGET (old));
  attach_page (self, name, page);
  if (shown)
    {
      gtk_stack_set_visible_child (self->stack, GTK_WIDGET (page));
      pd_page_shown (page);
      update_actions (self);
    }
}

PdPage *
pd_flow_get_page (PdFlow     *self,
                  const char *name)
{
  GtkWidget *child;

  g_return_val_if_fail (PD_IS_FLOW (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  child = gtk_stack_get_child_by_name (self->stack, name);
  if (child == NULL && self->factory != NULL && has_name (self, name))
    {
      PdPage *page = self->factory (name, self->factory_data);

      attach_page (self, name, page);
      return page;
    }
  return child != NULL ? PD_PAGE (child) : NULL;
}

gboolean
pd_flow_has_page (PdFlow     *self,
                  const char *name)
{
  g_return_val_if_fail (PD_IS_FLOW (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  return has_name (self, name);
}

void
pd_flow_add_pages_later (PdFlow              *self,
                         const char * const  *names,
                         PdPageFactory        factory,
                         gpointer             data)
{
  g_return_if_fail (PD_IS_FLOW (self));
  g_return_if_fail (names != NULL && names[0] != NULL && factory != NULL);
  g_return_if_fail (self->order->len == 0);

  self->factory = factory;
  self->factory_data = data;
  for (guint i = 0; names[i] != NULL; i++)
    g_ptr_array_add (self->order, g_strdup (names[i]));
  show_page (self, names[0]);
}

void
pd_flow_rebuild_pages (PdFlow *self)
{
  g_return_if_fail (PD_IS_FLOW (self));
  g_return_if_fail (self->factory != NULL);

  for (guint i = 0; i < self->order->len; i++)
    {
      const char *name = g_ptr_array_index (self->order, i);

      /* A page never shown is built when it is, in the language of then. */
      if (gtk_stack_get_child_by_name (self->stack, name) != NULL)
        pd_flow_replace_page (self, name, self->factory (name, self->factory_data));
    }
}

const char *
pd_flow_get_visible_page_name (PdFlow *self)
{
  g_return_val_if_fail (PD_IS_FLOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

PdVisit *
pd_flow_get_visit (PdFlow *self)
{
  g_return_val_if_fail (PD_IS_FLOW (self), NULL);

  return self->visit;
}

void
pd_flow_set_terminal (PdFlow     *self,
                      PdTerminal *terminal)
{
  g_return_if_fail (PD_IS_FLOW (self));
  g_return_if_fail (PD_IS_TERMINAL (terminal));

  g_set_object (&self->terminal, terminal);
  for (guint i = 0; i < self->order->len; i++)
    {
      GtkWidget *built = gtk_stack_get_child_by_name (self->stack,
                                                      g_ptr_array_index (self->order, i));

      if (built != NULL)
        pd_page_set_context (PD_PAGE (built), terminal, self->visit);
    }
}

void
pd_flow_set_idle_timeout (PdFlow *self,
                          guint   idle_ms,
                          guint   warning_ms)
{
  g_return_if_fail (PD_IS_FLOW (self));

  self->idle_ms = idle_ms;
  self->warning_ms = warning_ms;
  restart_idle_timer (self);
}

gboolean
pd_flow_is_asking_more_time (PdFlow *self)
{
  g_return_val_if_fail (PD_IS_FLOW (self), FALSE);

  return self->more_time_dialog != NULL;
}

gboolean
pd_flow_get_busy (PdFlow *self)
{
  g_return_val_if_fail (PD_IS_FLOW (self), FALSE);

  return self->busy;
}
