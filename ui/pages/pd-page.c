#include <glib/gi18n.h>
#include "pd-flow.h"
#include "pd-page.h"

typedef struct {
  gboolean complete;
  gboolean commits;
  char *next_page;
  PdTerminal *terminal;
  PdVisit *visit;
  GCancellable *cancellable;
} PdPagePrivate;

G_DEFINE_TYPE_WITH_PRIVATE (PdPage, pd_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_COMPLETE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
pd_page_real_apply_async (PdPage              *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_return_boolean (task, TRUE);
}

static gboolean
pd_page_real_apply_finish (PdPage       *self,
                           GAsyncResult *result)
{
  return g_task_propagate_boolean (G_TASK (result), NULL);
}

static void
pd_page_dispose (GObject *object)
{
  PdPagePrivate *priv = pd_page_get_instance_private (PD_PAGE (object));

  if (priv->cancellable != NULL)
    g_cancellable_cancel (priv->cancellable);
  g_clear_object (&priv->cancellable);
  g_clear_object (&priv->terminal);
  g_clear_object (&priv->visit);
  g_clear_pointer (&priv->next_page, g_free);

  G_OBJECT_CLASS (pd_page_parent_class)->dispose (object);
}

static void
pd_page_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  PdPage *self = PD_PAGE (object);

  switch (prop_id)
    {
    case PROP_COMPLETE:
      g_value_set_boolean (value, pd_page_get_complete (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_page_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  PdPage *self = PD_PAGE (object);

  switch (prop_id)
    {
    case PROP_COMPLETE:
      pd_page_set_complete (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_page_class_init (PdPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pd_page_dispose;
  object_class->get_property = pd_page_get_property;
  object_class->set_property = pd_page_set_property;
  klass->apply_async = pd_page_real_apply_async;
  klass->apply_finish = pd_page_real_apply_finish;

  properties[PROP_COMPLETE] =
    g_param_spec_boolean ("complete", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pd_page_init (PdPage *self)
{
}

gboolean
pd_page_get_complete (PdPage *self)
{
  PdPagePrivate *priv = pd_page_get_instance_private (self);

  g_return_val_if_fail (PD_IS_PAGE (self), FALSE);

  return priv->complete;
}

void
pd_page_set_complete (PdPage   *self,
                      gboolean  complete)
{
  PdPagePrivate *priv = pd_page_get_instance_private (self);

  g_return_if_fail (PD_IS_PAGE (self));

  complete = !!complete;
  if (priv->complete == complete)
    return;
  priv->complete = complete;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETE]);
}

const char *
pd_page_get_next_page (PdPage *self)
{
  PdPagePrivate *priv = pd_page_get_instance_private (self);

  g_return_val_if_fail (PD_IS_PAGE (self), NULL);

  return priv->next_page;
}

void
pd_page_set_next_page (PdPage     *self,
                       const char *name)
{
  PdPagePrivate *priv = pd_page_get_instance_private (self);

  g_return_if_fail (PD_IS_PAGE (self));

  if (priv->next_page == name)
    return;
  g_free (priv->next_page);
  priv->next_page = g_strdup (name);
}

gboolean
pd_page_get_commits (PdPage *self)
{
  PdPagePrivate *priv = pd_page_get_instance_private (self);

  g_return_val_if_fail (PD_IS_PAGE (self), FALSE);

  return priv->commits;
}

void
pd_page_set_commits (PdPage   *self,
                     gboolean  commits)
{
  PdPagePrivate *priv = pd_page_get_instance_private (self);

  g_return_if_fail (PD_IS_PAGE (self));

  priv->commits = commits;
}

PdTerminal *
pd_page_get_terminal (PdPage *self)
{
  PdPagePrivate *priv = pd_page_get_instance_private (self);

  g_return_val_if_fail (PD_IS_PAGE (self), NULL);

  return priv->terminal;
}

PdVisit *
pd_page_get_visit (PdPage *self)
{
  PdPagePrivate *priv = pd_page_get_instance_private (self);

  g_return_val_if_fail (PD_IS_PAGE (self), NULL);

  return priv->visit;
}

void
pd_page_set_context (PdPage     *self,
                     PdTerminal *terminal,
                     PdVisit    *visit)
{
  PdPagePrivate *priv = pd_page_get_instance_private (self);

  g_return_if_fail (PD_IS_PAGE (self));
  g_return_if_fail (terminal == NULL || PD_IS_TERMINAL (terminal));
  g_return_if_fail (PD_IS_VISIT (visit));

  g_set_object (&priv->terminal, terminal);
  g_set_object (&priv->visit, visit);
}

gboolean
pd_page_flow_has_page (PdPage     *self,
                       const char *name)
{
  GtkWidget *flow;

  g_return_val_if_fail (PD_IS_PAGE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  flow = gtk_widget_get_ancestor (GTK_WIDGET (self), PD_TYPE_FLOW);
  return flow != NULL && pd_flow_has_page (PD_FLOW (flow), name);
}

GCancellable *
pd_page_get_cancellable (PdPage *self)
{
  PdPagePrivate *priv = pd_page_get_instance_private (self);

  g_return_val_if_fail (PD_IS_PAGE (self), NULL);

  return priv->cancellable;
}

void
pd_page_show_message (GtkLabel   *label,
                      const char *message)
{
  g_return_if_fail (GTK_IS_LABEL (label));

  gtk_label_set_label (label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
}

void
pd_page_remove_children (GtkWidget *container)
{
  GtkWidget *child;

  g_return_if_fail (GTK_IS_WIDGET (container));

  while ((child = gtk_widget_get_first_child (container)) != NULL)
    gtk_widget_unparent (child);
}

void
pd_page_shown (PdPage *self)
{
  PdPagePrivate *priv = pd_page_get_instance_private (self);

  g_return_if_fail (PD_IS_PAGE (self));

  if (priv->cancellable != NULL)
    g_cancellable_cancel (priv->cancellable);
  g_clear_object (&priv->cancellable);
  priv->cancellable = g_cancellable_new ();
  if (PD_PAGE_GET_CLASS (self)->shown != NULL)
    PD_PAGE_GET_CLASS (self)->shown (self);
}

void
pd_page_leave (PdPage *self)
{
  PdPagePrivate *priv = pd_page_get_instance_private (self);

  g_return_if_fail (PD_IS_PAGE (self));

  if (PD_PAGE_GET_CLASS (self)->leave != NULL)
    PD_PAGE_GET_CLASS (self)->leave (self);
  if (priv->cancellable != NULL)
    g_cancellable_cancel (priv->cancellable);
}

void
pd_page_apply_async (PdPage              *self,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  PdPagePrivate *priv = pd_page_get_instance_private (self);

  g_return_if_fail (PD_IS_PAGE (self));

  PD_PAGE_GET_CLASS (self)->apply_async (self, priv->cancellable, callback, user_data);
}

gboolean
pd_page_apply_finish (PdPage       *self,
                      GAsyncResult *result)
{
  g_return_val_if_fail (PD_IS_PAGE (self), FALSE);

  return PD_PAGE_GET_CLASS (self)->apply_finish (self, result);
}

void
pd_page_forget (PdPage *self)
{
  g_return_if_fail (PD_IS_PAGE (self));

  pd_page_set_complete (self, FALSE);
  if (PD_PAGE_GET_CLASS (self)->forget != NULL)
    PD_PAGE_GET_CLASS (self)->forget (self);
}

void
pd_page_locale_changed (PdPage *self)
{
  g_return_if_fail (PD_IS_PAGE (self));

  if (PD_PAGE_GET_CLASS (self)->locale_changed != NULL)
    PD_PAGE_GET_CLASS (self)->locale_changed (self);
}

gboolean
pd_page_take_outcome_unknown (PdPage       *self,
                              const GError *error,
                              GtkLabel     *label)
{
  g_return_val_if_fail (PD_IS_PAGE (self), FALSE);

  if (!g_error_matches (error, PD_PAYMENT_ERROR, PD_PAYMENT_ERROR_OUTCOME_NOT_RECORDED))
    return FALSE;
  g_warning ("a payment's outcome is unknown: %s", error->message);
  pd_visit_mark_outcome_unknown (pd_page_get_visit (self));
  pd_page_show_message (label, _("Your payment may have gone through, but this kiosk could not "
                                 "record it. Please do not pay again: ask an associate, who "
                                 "can check it for you."));
  return TRUE;
}
