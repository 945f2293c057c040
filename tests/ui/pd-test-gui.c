#include "pd-test-gui.h"

GtkWidget *
pd_test_gui_find_by_css_class (GtkWidget  *root,
                               const char *css_class)
{
  if (gtk_widget_has_css_class (root, css_class))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = pd_test_gui_find_by_css_class (child, css_class);

      if (found != NULL)
        return found;
    }

  return NULL;
}

GtkWidget *
pd_test_gui_find_by_type (GtkWidget *root,
                          GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = pd_test_gui_find_by_type (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

GtkWidget *
pd_test_gui_find_by_name (GtkWidget  *root,
                          const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = pd_test_gui_find_by_name (child, name);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
collect_text (GtkWidget *root,
              gboolean   visible_only,
              GString   *text)
{
  if (visible_only && !gtk_widget_get_visible (root))
    return;

  if (GTK_IS_LABEL (root))
    g_string_append_printf (text, "%s\n", gtk_label_get_label (GTK_LABEL (root)));
  if (!visible_only && GTK_IS_EDITABLE (root))
    g_string_append_printf (text, "%s\n", gtk_editable_get_text (GTK_EDITABLE (root)));

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_text (child, visible_only, text);
}

char *
pd_test_gui_visible_text (GtkWidget *root)
{
  GString *text = g_string_new (NULL);

  collect_text (root, TRUE, text);
  return g_string_free (text, FALSE);
}

char *
pd_test_gui_all_text (GtkWidget *root)
{
  GString *text = g_string_new (NULL);

  collect_text (root, FALSE, text);
  return g_string_free (text, FALSE);
}

static gboolean
count_frame (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       data)
{
  (*(guint *) data)++;
  return G_SOURCE_CONTINUE;
}

void
pd_test_gui_wait_until_drawn (GtkWidget *widget)
{
  guint frames = 0;
  guint tick = gtk_widget_add_tick_callback (widget, count_frame, &frames, NULL);

  while (!gtk_widget_get_mapped (widget) || frames < 2)
    g_main_context_iteration (NULL, TRUE);
  gtk_widget_remove_tick_callback (widget, tick);
}

void
pd_test_gui_wait_for (const gboolean *flag)
{
  while (!*flag)
    g_main_context_iteration (NULL, TRUE);
}

void
pd_test_gui_save_screenshot (GtkWindow  *window,
                             const char *name)
{
  const char *dir = g_getenv ("PD_TEST_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  GskRenderer *renderer;
  int width, height;

  if (dir == NULL)
    return;

  pd_test_gui_wait_until_drawn (GTK_WIDGET (window));
  width = gtk_widget_get_width (GTK_WIDGET (window));
  height = gtk_widget_get_height (GTK_WIDGET (window));
  paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}
