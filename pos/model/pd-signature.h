#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* A member's signature as drawn with a finger or a stylus on the touchscreen, under the
 * debit authorization of a bank payment or a converted check (NACHA): pen strokes, each a
 * list of points in whole pixels of the canvas they were drawn on, width × height as
 * captured, 0,0 at the top left. Immutable. It holds numbers only, so nothing of a card or
 * an account can be in it.
 *
 * Its text form, as the journal keeps it (version 1):
 *
 *   strokes-v1 W H;x,y x,y ...;x,y ...
 *
 * - "strokes-v1", one space, the canvas width W, one space, its height H: 1 to 4096 each;
 * - then each stroke: ";" followed by its points, separated by one space each, a point being
 *   "x,y" with 0 <= x < W and 0 <= y < H;
 * - numbers are ASCII decimal digits, without a sign or leading zeros ("0" itself is one);
 * - 1 to 64 strokes, each of one point at least, 4000 points in all;
 * - nothing else: no other space, no newline at the end.
 *
 * A cross on a canvas of 300 by 100: "strokes-v1 300 100;10,10 50,50;10,50 50,10". */

#define PD_SIGNATURE_FORMAT "strokes-v1"
#define PD_SIGNATURE_MAX_SIZE 4096
#define PD_SIGNATURE_MAX_STROKES 64
#define PD_SIGNATURE_MAX_POINTS 4000

#define PD_SIGNATURE_ERROR (pd_signature_error_quark ())

typedef enum {
  PD_SIGNATURE_ERROR_FORMAT,    /* not "strokes-v1": another format, or another version */
  PD_SIGNATURE_ERROR_CANVAS,    /* the width or the height is missing or out of 1..4096 */
  PD_SIGNATURE_ERROR_SYNTAX,    /* anything the form above does not allow */
  PD_SIGNATURE_ERROR_OUTSIDE,   /* a point outside the canvas */
  PD_SIGNATURE_ERROR_EMPTY,     /* no stroke, or a stroke without a point */
  PD_SIGNATURE_ERROR_TOO_LARGE, /* more than 64 strokes or 4000 points */
  PD_SIGNATURE_ERROR_BLANK,     /* well formed, but not a signature (pd_signature_is_blank) */
} PdSignatureError;

typedef struct {
  guint16 x;
  guint16 y;
} PdSignaturePoint;

#define PD_TYPE_SIGNATURE (pd_signature_get_type ())

G_DECLARE_FINAL_TYPE (PdSignature, pd_signature, PD, SIGNATURE, GObject)

GQuark       pd_signature_error_quark   (void);

/* Strict: anything but the form above fails, saying what is wrong. */
PdSignature *pd_signature_new_from_text (const char   *text,
                                         GError      **error);
char        *pd_signature_to_text       (PdSignature  *self);

guint        pd_signature_get_width     (PdSignature  *self);
guint        pd_signature_get_height    (PdSignature  *self);
guint        pd_signature_get_n_strokes (PdSignature  *self);
/* Every stroke's points added up. */
guint        pd_signature_get_n_points  (PdSignature  *self);
/* The points of stroke index, in the order they were drawn. */
const PdSignaturePoint *pd_signature_get_stroke (PdSignature *self,
                                         guint         index,
                                         guint        *n_points);
/* The smallest box holding every point, its corners included. */
void         pd_signature_get_bounds    (PdSignature  *self,
                                         guint        *x_min,
                                         guint        *y_min,
                                         guint        *x_max,
                                         guint        *y_max);
/* Not a signature: fewer than 10 points, or ink spanning less than 5% of the canvas's
 * width or of its height (a dot, a tick, a straight line). The pad asks again. */
gboolean     pd_signature_is_blank      (PdSignature  *self);
/* FALSE with PD_SIGNATURE_ERROR_BLANK, worded for the associate, when it is blank. */
gboolean     pd_signature_check_signed  (PdSignature  *self,
                                         GError      **error);

/* What the signature pad fills while the member draws: a stroke begins as the finger goes
 * down and ends as it lifts. Points past an edge of the canvas are moved onto it, and a
 * point repeating the one before it is dropped. */
typedef struct _PdSignatureBuilder PdSignatureBuilder;

/* width and height: 1 to 4096, the canvas in the pixels the points come in. */
PdSignatureBuilder *pd_signature_builder_new          (guint               width,
                                                       guint               height);
void                pd_signature_builder_free         (PdSignatureBuilder *self);
/* FALSE when the signature has all the strokes it may have: the pad stops taking ink. */
gboolean            pd_signature_builder_begin_stroke (PdSignatureBuilder *self);
/* In the stroke begun last. FALSE, and the point left out, when the signature has all the
 * points it may have. */
gboolean            pd_signature_builder_add_point    (PdSignatureBuilder *self,
                                                       int                 x,
                                                       int                 y);
void                pd_signature_builder_end_stroke   (PdSignatureBuilder *self);
/* The signature drawn so far (the builder can go on, or start again with _clear); fails
 * with PD_SIGNATURE_ERROR_EMPTY when nothing was drawn. Check pd_signature_is_blank(). */
PdSignature        *pd_signature_builder_end          (PdSignatureBuilder *self,
                                                       GError            **error);
/* Forgets every stroke: the member clears the pad. */
void                pd_signature_builder_clear        (PdSignatureBuilder *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdSignatureBuilder, pd_signature_builder_free)

G_END_DECLS
