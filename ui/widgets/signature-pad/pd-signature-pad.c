#include <glib/gi18n.h>

#include "pd-signature-pad.h"

/* The pad's canvas, in the pixels the points are kept in. */
#define PAD_WIDTH 760
#define PAD_HEIGHT 200

struct _PdSignaturePad {
  GtkWidget parent_instance;

  PdSignatureBuilder *builder;
  /* What is drawn: each stroke a GArray of graphene_point_t. */
  GPtrArray *strokes;
  double start_x;
  double start_y;
  /* A stroke is being drawn: the builder took its beginning. */
  gboolean drawing;
  gboolean is_signed;
};

G_DEFINE_FINAL_TYPE (PdSignaturePad, pd_signature_pad, GTK_TYPE_WIDGET)

enum {
  SIGNAL_SIGNED_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update_signed (PdSignaturePad *self)
{
  g_autoptr(PdSignature) signature = pd_signature_builder_end (self->builder, NULL);
  gboolean is_signed = signature != NULL && !pd_signature_is_blank (signature);

  if (is_signed == self->is_signed)
    return;
  self->is_signed = is_signed;
  g_signal_emit (self, signals[SIGNAL_SIGNED_CHANGED], 0);
}

static void
add_point (PdSignaturePad *self,
           double          x,
           double          y)
{
  GArray *stroke;
  graphene_point_t point = GRAPHENE_POINT_INIT ((float) CLAMP (x, 0, PAD_WIDTH - 1),
                                                (float) CLAMP (y, 0, PAD_HEIGHT - 1));

  if (!self->drawing || !pd_signature_builder_add_point (self->builder, (int) x, (int) y))
    return;
  stroke = g_ptr_array_index (self->strokes, self->strokes->len - 1);
  g_array_append_val (stroke, point);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_drag_begin (GtkGestureDrag *gesture,
               double          x,
               double          y,
               PdSignaturePad *self)
{
  /* Full (64 strokes): the pad takes no more ink. */
  self->drawing = pd_signature_builder_begin_stroke (self->builder);
  if (!self->drawing)
    return;
  self->start_x = x;
  self->start_y = y;
  g_ptr_array_add (self->strokes, g_array_new (FALSE, FALSE, sizeof (graphene_point_t)));
  add_point (self, x, y);
}

static void
on_drag_update (GtkGestureDrag *gesture,
                double          offset_x,
                double          offset_y,
                PdSignaturePad *self)
{
  add_point (self, self->start_x + offset_x, self->start_y + offset_y);
}

static void
on_drag_end (GtkGestureDrag *gesture,
             double          offset_x,
             double          offset_y,
             PdSignaturePad *self)
{
  if (!self->drawing)
    return;
  add_point (self, self->start_x + offset_x, self->start_y + offset_y);
  pd_signature_builder_end_stroke (self->builder);
  self->drawing = FALSE;
  update_signed (self);
}

static void
pd_signature_pad_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  PdSignaturePad *self = PD_SIGNATURE_PAD (widget);
  GdkRGBA ink = { 0.05, 0.1, 0.35, 1.0 };
  GdkRGBA line = { 0.6, 0.6, 0.6, 1.0 };
  cairo_t *cr;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, PAD_WIDTH, PAD_HEIGHT));
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  /* The line to sign on. */
  gdk_cairo_set_source_rgba (cr, &line);
  cairo_set_line_width (cr, 2);
  cairo_move_to (cr, 24, PAD_HEIGHT - 40);
  cairo_line_to (cr, PAD_WIDTH - 24, PAD_HEIGHT - 40);
  cairo_stroke (cr);

  gdk_cairo_set_source_rgba (cr, &ink);
  cairo_set_line_width (cr, 4);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (guint i = 0; i < self->strokes->len; i++)
    {
      GArray *stroke = g_ptr_array_index (self->strokes, i);

      for (guint j = 0; j < stroke->len; j++)
        {
          graphene_point_t *point = &g_array_index (stroke, graphene_point_t, j);

          if (j == 0)
            cairo_move_to (cr, point->x, point->y);
          cairo_line_to (cr, point->x, point->y);
        }
      cairo_stroke (cr);
    }
  cairo_destroy (cr);
}

static void
pd_signature_pad_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  *minimum = *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? PAD_WIDTH : PAD_HEIGHT;
}

static void
pd_signature_pad_dispose (GObject *object)
{
  PdSignaturePad *self = PD_SIGNATURE_PAD (object);

  g_clear_pointer (&self->builder, pd_signature_builder_free);
  g_clear_pointer (&self->strokes, g_ptr_array_unref);

  G_OBJECT_CLASS (pd_signature_pad_parent_class)->dispose (object);
}

static void
pd_signature_pad_class_init (PdSignaturePadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_signature_pad_dispose;
  widget_class->snapshot = pd_signature_pad_snapshot;
  widget_class->measure = pd_signature_pad_measure;

  signals[SIGNAL_SIGNED_CHANGED] = g_signal_new ("signed-changed", G_TYPE_FROM_CLASS (klass),
                                                 G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                 G_TYPE_NONE, 0);
  gtk_widget_class_set_css_name (widget_class, "signaturepad");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
pd_signature_pad_init (PdSignaturePad *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();

  self->builder = pd_signature_builder_new (PAD_WIDTH, PAD_HEIGHT);
  self->strokes = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  /* A finger, a stylus or a mouse: any of them signs. */
  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (drag), FALSE);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (on_drag_end), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Signature pad: sign here with your finger"), -1);
}

GtkWidget *
pd_signature_pad_new (void)
{
  return g_object_new (PD_TYPE_SIGNATURE_PAD, NULL);
}

gboolean
pd_signature_pad_is_signed (PdSignaturePad *self)
{
  g_return_val_if_fail (PD_IS_SIGNATURE_PAD (self), FALSE);

  return self->is_signed;
}

PdSignature *
pd_signature_pad_dup_signature (PdSignaturePad  *self,
                                GError         **error)
{
  g_autoptr(PdSignature) signature = NULL;

  g_return_val_if_fail (PD_IS_SIGNATURE_PAD (self), NULL);

  signature = pd_signature_builder_end (self->builder, NULL);
  if (signature == NULL || pd_signature_is_blank (signature))
    {
      g_set_error_literal (error, PD_SIGNATURE_ERROR, PD_SIGNATURE_ERROR_BLANK,
                           _("Sign in the box with your finger, as you would on paper."));
      return NULL;
    }
  return g_steal_pointer (&signature);
}

void
pd_signature_pad_clear (PdSignaturePad *self)
{
  g_return_if_fail (PD_IS_SIGNATURE_PAD (self));

  pd_signature_builder_clear (self->builder);
  self->drawing = FALSE;
  g_ptr_array_set_size (self->strokes, 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  update_signed (self);
}
