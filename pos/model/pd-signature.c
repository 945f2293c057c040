#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "pd-signature.h"

/* Past this, the text cannot be a signature: 4000 points of "4095,4095 " are 40,000 bytes. */
#define MAX_TEXT_LENGTH 65536
/* pd_signature_is_blank(): fewer points than this, or ink narrower or lower than 1/20 of
 * the canvas. */
#define MIN_POINTS 10
#define MIN_SPAN_DIVISOR 20

struct _PdSignature {
  GObject parent_instance;

  guint width;
  guint height;
  GArray *points;   /* PdSignaturePoint, every stroke's one after the other */
  GArray *starts;   /* guint: the index in points of each stroke's first */
  guint x_min, y_min, x_max, y_max;
};

G_DEFINE_QUARK (pd-signature-error-quark, pd_signature_error)

G_DEFINE_FINAL_TYPE (PdSignature, pd_signature, G_TYPE_OBJECT)

static void
pd_signature_finalize (GObject *object)
{
  PdSignature *self = PD_SIGNATURE (object);

  g_array_unref (self->points);
  g_array_unref (self->starts);

  G_OBJECT_CLASS (pd_signature_parent_class)->finalize (object);
}

static void
pd_signature_class_init (PdSignatureClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pd_signature_finalize;
}

static void
pd_signature_init (PdSignature *self)
{
}

/* Takes points and starts, checked already: at least one stroke, none empty. */
static PdSignature *
signature_new (guint   width,
               guint   height,
               GArray *points,
               GArray *starts)
{
  PdSignature *self = g_object_new (PD_TYPE_SIGNATURE, NULL);

  self->width = width;
  self->height = height;
  self->points = points;
  self->starts = starts;
  self->x_min = width;
  self->y_min = height;
  for (guint i = 0; i < points->len; i++)
    {
      const PdSignaturePoint *point = &g_array_index (points, PdSignaturePoint, i);

      self->x_min = MIN (self->x_min, point->x);
      self->y_min = MIN (self->y_min, point->y);
      self->x_max = MAX (self->x_max, point->x);
      self->y_max = MAX (self->y_max, point->y);
    }
  return self;
}

static GArray *
new_points (void)
{
  return g_array_new (FALSE, FALSE, sizeof (PdSignaturePoint));
}

static GArray *
new_starts (void)
{
  return g_array_new (FALSE, FALSE, sizeof (guint));
}

/* Parsing. */

typedef struct {
  const char *text;
  gsize at;
  GError **error;
} Parser;

/* A number as the form has them: digits, no sign, no leading zero. Values too large for
 * any canvas stop growing past it, so they fail the range checks rather than overflow. */
static gboolean
read_number (Parser *parser,
             guint  *value)
{
  const char *text = parser->text;
  guint result = 0;

  if (!g_ascii_isdigit (text[parser->at]) ||
      (text[parser->at] == '0' && g_ascii_isdigit (text[parser->at + 1])))
    return FALSE;

  while (g_ascii_isdigit (text[parser->at]))
    {
      if (result <= PD_SIGNATURE_MAX_SIZE)
        result = result * 10 + (guint) (text[parser->at] - '0');
      parser->at++;
    }
  *value = result;
  return TRUE;
}

typedef enum {
  EXPECTED_POINT,
  EXPECTED_COMMA,
  EXPECTED_SEPARATOR,
  EXPECTED_STROKE,
} Expected;

static gboolean
malformed (Parser   *parser,
           Expected  expected)
{
  /* Characters counted from 1, as a person would. */
  gulong at = (gulong) parser->at + 1;

  switch (expected)
    {
    case EXPECTED_POINT:
      g_set_error (parser->error, PD_SIGNATURE_ERROR, PD_SIGNATURE_ERROR_SYNTAX,
                   _("The signature is malformed at character %lu: a point “x,y” was "
                     "expected."), at);
      break;
    case EXPECTED_COMMA:
      g_set_error (parser->error, PD_SIGNATURE_ERROR, PD_SIGNATURE_ERROR_SYNTAX,
                   _("The signature is malformed at character %lu: “,” was expected between "
                     "x and y."), at);
      break;
    case EXPECTED_SEPARATOR:
      g_set_error (parser->error, PD_SIGNATURE_ERROR, PD_SIGNATURE_ERROR_SYNTAX,
                   _("The signature is malformed at character %lu: a space, “;” or the end "
                     "was expected after a point."), at);
      break;
    case EXPECTED_STROKE:
    default:
      g_set_error (parser->error, PD_SIGNATURE_ERROR, PD_SIGNATURE_ERROR_SYNTAX,
                   _("The signature is malformed at character %lu: “;” was expected before "
                     "each stroke."), at);
      break;
    }
  return FALSE;
}

static gboolean
read_canvas (Parser *parser,
             guint  *width,
             guint  *height)
{
  gboolean given = read_number (parser, width) && parser->text[parser->at] == ' ';

  if (given)
    {
      parser->at++;
      given = read_number (parser, height);
    }
  if (!given)
    {
      g_set_error (parser->error, PD_SIGNATURE_ERROR, PD_SIGNATURE_ERROR_CANVAS,
                   /* TRANSLATORS: %s is the name of the format, strokes-v1. */
                   _("The signature does not give its canvas's width and height after “%s”."),
                   PD_SIGNATURE_FORMAT);
      return FALSE;
    }

  if (*width < 1 || *width > PD_SIGNATURE_MAX_SIZE || *height < 1 ||
      *height > PD_SIGNATURE_MAX_SIZE)
    {
      /* Not the numbers: a long one could be anything, and errors go to logs. */
      g_set_error (parser->error, PD_SIGNATURE_ERROR, PD_SIGNATURE_ERROR_CANVAS,
                   _("The signature's canvas must be 1 to %u pixels wide and high."),
                   PD_SIGNATURE_MAX_SIZE);
      return FALSE;
    }
  return TRUE;
}

/* One stroke, after its ";": points separated by single spaces, up to the next ";" or the
 * end. */
static gboolean
read_stroke (Parser *parser,
             guint   width,
             guint   height,
             GArray *points,
             GArray *starts)
{
  guint number = starts->len + 1;
  guint start = points->len;

  if (starts->len == PD_SIGNATURE_MAX_STROKES)
    {
      g_set_error (parser->error, PD_SIGNATURE_ERROR, PD_SIGNATURE_ERROR_TOO_LARGE,
                   _("The signature has more than %u strokes."), PD_SIGNATURE_MAX_STROKES);
      return FALSE;
    }
  g_array_append_val (starts, start);

  if (parser->text[parser->at] == ';' || parser->text[parser->at] == '\0')
    {
      g_set_error (parser->error, PD_SIGNATURE_ERROR, PD_SIGNATURE_ERROR_EMPTY,
                   _("Stroke %u of the signature has no points."), number);
      return FALSE;
    }

  for (;;)
    {
      PdSignaturePoint point;
      guint x, y;

      if (!read_number (parser, &x))
        return malformed (parser, EXPECTED_POINT);
      if (parser->text[parser->at] != ',')
        return malformed (parser, EXPECTED_COMMA);
      parser->at++;
      if (!read_number (parser, &y))
        return malformed (parser, EXPECTED_POINT);

      if (x >= width || y >= height)
        {
          /* Which point, not its numbers: see read_canvas(). */
          g_set_error (parser->error, PD_SIGNATURE_ERROR, PD_SIGNATURE_ERROR_OUTSIDE,
                       /* TRANSLATORS: the point's number in its stroke, the stroke's
                        * number, the canvas's width and height in pixels. */
                       _("Point %u of stroke %u is outside the signature's canvas of %u by "
                         "%u."), points->len - start + 1, number, width, height);
          return FALSE;
        }
      if (points->len == PD_SIGNATURE_MAX_POINTS)
        {
          g_set_error (parser->error, PD_SIGNATURE_ERROR, PD_SIGNATURE_ERROR_TOO_LARGE,
                       _("The signature has more than %u points."), PD_SIGNATURE_MAX_POINTS);
          return FALSE;
        }
      point = (PdSignaturePoint) { (guint16) x, (guint16) y };
      g_array_append_val (points, point);

      if (parser->text[parser->at] == ';' || parser->text[parser->at] == '\0')
        return TRUE;
      if (parser->text[parser->at] != ' ')
        return malformed (parser, EXPECTED_SEPARATOR);
      parser->at++;
    }
}

PdSignature *
pd_signature_new_from_text (const char  *text,
                            GError     **error)
{
  g_autoptr(GArray) points = new_points ();
  g_autoptr(GArray) starts = new_starts ();
  Parser parser = { text, 0, error };
  guint width = 0, height = 0;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (strlen (text) > MAX_TEXT_LENGTH)
    {
      g_set_error (error, PD_SIGNATURE_ERROR, PD_SIGNATURE_ERROR_TOO_LARGE,
                   _("The signature is longer than %u characters: it cannot be one."),
                   MAX_TEXT_LENGTH);
      return NULL;
    }

  if (!g_str_has_prefix (text, PD_SIGNATURE_FORMAT " "))
    {
      if (g_str_has_prefix (text, "strokes-v"))
        g_set_error (error, PD_SIGNATURE_ERROR, PD_SIGNATURE_ERROR_FORMAT,
                     /* TRANSLATORS: %s is the name of the format, strokes-v1. */
                     _("The signature is in a version of its format this terminal cannot read: "
                       "only “%s” can be."), PD_SIGNATURE_FORMAT);
      else
        g_set_error (error, PD_SIGNATURE_ERROR, PD_SIGNATURE_ERROR_FORMAT,
                     /* TRANSLATORS: %s is the name of the format, strokes-v1. */
                     _("This is not a signature: it does not start with “%s”."),
                     PD_SIGNATURE_FORMAT);
      return NULL;
    }
  parser.at = strlen (PD_SIGNATURE_FORMAT " ");

  if (!read_canvas (&parser, &width, &height))
    return NULL;

  while (text[parser.at] != '\0')
    {
      if (text[parser.at] != ';')
        {
          malformed (&parser, EXPECTED_STROKE);
          return NULL;
        }
      parser.at++;
      if (!read_stroke (&parser, width, height, points, starts))
        return NULL;
    }

  if (starts->len == 0)
    {
      g_set_error_literal (error, PD_SIGNATURE_ERROR, PD_SIGNATURE_ERROR_EMPTY,
                           _("The signature has no strokes."));
      return NULL;
    }

  return signature_new (width, height, g_steal_pointer (&points), g_steal_pointer (&starts));
}

char *
pd_signature_to_text (PdSignature *self)
{
  GString *text;

  g_return_val_if_fail (PD_IS_SIGNATURE (self), NULL);

  text = g_string_new (PD_SIGNATURE_FORMAT);
  g_string_append_printf (text, " %u %u", self->width, self->height);
  for (guint stroke = 0; stroke < self->starts->len; stroke++)
    {
      guint n_points = 0;
      const PdSignaturePoint *points = pd_signature_get_stroke (self, stroke, &n_points);

      for (guint i = 0; i < n_points; i++)
        g_string_append_printf (text, "%c%u,%u", i == 0 ? ';' : ' ', points[i].x, points[i].y);
    }
  return g_string_free (text, FALSE);
}

guint
pd_signature_get_width (PdSignature *self)
{
  g_return_val_if_fail (PD_IS_SIGNATURE (self), 0);

  return self->width;
}

guint
pd_signature_get_height (PdSignature *self)
{
  g_return_val_if_fail (PD_IS_SIGNATURE (self), 0);

  return self->height;
}

guint
pd_signature_get_n_strokes (PdSignature *self)
{
  g_return_val_if_fail (PD_IS_SIGNATURE (self), 0);

  return self->starts->len;
}

guint
pd_signature_get_n_points (PdSignature *self)
{
  g_return_val_if_fail (PD_IS_SIGNATURE (self), 0);

  return self->points->len;
}

const PdSignaturePoint *
pd_signature_get_stroke (PdSignature *self,
                         guint        index,
                         guint       *n_points)
{
  guint start, end;

  g_return_val_if_fail (PD_IS_SIGNATURE (self), NULL);
  g_return_val_if_fail (index < self->starts->len, NULL);
  g_return_val_if_fail (n_points != NULL, NULL);

  start = g_array_index (self->starts, guint, index);
  end = index + 1 < self->starts->len ? g_array_index (self->starts, guint, index + 1)
                                      : self->points->len;
  *n_points = end - start;
  return &g_array_index (self->points, PdSignaturePoint, start);
}

void
pd_signature_get_bounds (PdSignature *self,
                         guint       *x_min,
                         guint       *y_min,
                         guint       *x_max,
                         guint       *y_max)
{
  g_return_if_fail (PD_IS_SIGNATURE (self));

  if (x_min != NULL)
    *x_min = self->x_min;
  if (y_min != NULL)
    *y_min = self->y_min;
  if (x_max != NULL)
    *x_max = self->x_max;
  if (y_max != NULL)
    *y_max = self->y_max;
}

gboolean
pd_signature_is_blank (PdSignature *self)
{
  guint span_x, span_y;

  g_return_val_if_fail (PD_IS_SIGNATURE (self), TRUE);

  span_x = self->x_max - self->x_min + 1;
  span_y = self->y_max - self->y_min + 1;
  return self->points->len < MIN_POINTS || span_x * MIN_SPAN_DIVISOR < self->width ||
         span_y * MIN_SPAN_DIVISOR < self->height;
}

gboolean
pd_signature_check_signed (PdSignature  *self,
                           GError      **error)
{
  g_return_val_if_fail (PD_IS_SIGNATURE (self), FALSE);

  if (!pd_signature_is_blank (self))
    return TRUE;

  g_set_error_literal (error, PD_SIGNATURE_ERROR, PD_SIGNATURE_ERROR_BLANK,
                       _("This is not a signature: too few points, or too small. Ask the "
                         "member to sign again."));
  return FALSE;
}

/* The builder. */

struct _PdSignatureBuilder {
  guint width;
  guint height;
  GArray *points;
  GArray *starts;
  gboolean in_stroke;
};

PdSignatureBuilder *
pd_signature_builder_new (guint width,
                          guint height)
{
  PdSignatureBuilder *self;

  g_return_val_if_fail (width >= 1 && width <= PD_SIGNATURE_MAX_SIZE, NULL);
  g_return_val_if_fail (height >= 1 && height <= PD_SIGNATURE_MAX_SIZE, NULL);

  self = g_new0 (PdSignatureBuilder, 1);
  self->width = width;
  self->height = height;
  self->points = new_points ();
  self->starts = new_starts ();
  return self;
}

void
pd_signature_builder_free (PdSignatureBuilder *self)
{
  if (self == NULL)
    return;

  g_array_unref (self->points);
  g_array_unref (self->starts);
  g_free (self);
}

/* Whether the last stroke has no point yet: it is dropped, or used again. */
static gboolean
last_stroke_is_empty (PdSignatureBuilder *self)
{
  return self->starts->len > 0 &&
         g_array_index (self->starts, guint, self->starts->len - 1) == self->points->len;
}

gboolean
pd_signature_builder_begin_stroke (PdSignatureBuilder *self)
{
  guint start;

  g_return_val_if_fail (self != NULL, FALSE);

  self->in_stroke = FALSE;
  if (!last_stroke_is_empty (self))
    {
      if (self->starts->len == PD_SIGNATURE_MAX_STROKES)
        return FALSE;
      start = self->points->len;
      g_array_append_val (self->starts, start);
    }
  self->in_stroke = TRUE;
  return TRUE;
}

gboolean
pd_signature_builder_add_point (PdSignatureBuilder *self,
                                int                 x,
                                int                 y)
{
  PdSignaturePoint point;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (self->in_stroke, FALSE);

  point.x = (guint16) CLAMP (x, 0, (int) self->width - 1);
  point.y = (guint16) CLAMP (y, 0, (int) self->height - 1);

  if (!last_stroke_is_empty (self))
    {
      const PdSignaturePoint *last = &g_array_index (self->points, PdSignaturePoint,
                                                     self->points->len - 1);

      if (last->x == point.x && last->y == point.y)
        return TRUE;
    }
  if (self->points->len == PD_SIGNATURE_MAX_POINTS)
    return FALSE;

  g_array_append_val (self->points, point);
  return TRUE;
}

void
pd_signature_builder_end_stroke (PdSignatureBuilder *self)
{
  g_return_if_fail (self != NULL);

  self->in_stroke = FALSE;
}

PdSignature *
pd_signature_builder_end (PdSignatureBuilder  *self,
                          GError             **error)
{
  GArray *points, *starts;
  guint n_strokes;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (self->points->len == 0)
    {
      g_set_error_literal (error, PD_SIGNATURE_ERROR, PD_SIGNATURE_ERROR_EMPTY,
                           _("The signature has no strokes."));
      return NULL;
    }

  /* Only the last stroke can be empty: begun, and no point yet. */
  n_strokes = self->starts->len - (last_stroke_is_empty (self) ? 1 : 0);
  points = new_points ();
  starts = new_starts ();
  g_array_append_vals (points, self->points->data, self->points->len);
  g_array_append_vals (starts, self->starts->data, n_strokes);
  return signature_new (self->width, self->height, points, starts);
}

void
pd_signature_builder_clear (PdSignatureBuilder *self)
{
  g_return_if_fail (self != NULL);

  g_array_set_size (self->points, 0);
  g_array_set_size (self->starts, 0);
  self->in_stroke = FALSE;
}
