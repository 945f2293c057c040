#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One side of a check as Check 21 image exchange wants it (X9.100-181): TIFF 6.0, bilevel,
 * CCITT Group 4, one page, one strip, little-endian, photometric min-is-white, at the
 * scanner's resolution (200 dpi is what the project sends; 240 is also in use).
 *
 * An image shows the MICR line, so the account number: pixels are wiped when it is freed and
 * files are written readable by their owner only. Writing runs on a worker: it does not
 * touch the main loop and keeps no global state (libtiff's messages go to the caller's
 * GError, not to stderr). */

#define PD_CHECK_IMAGE_ERROR (pd_check_image_error_quark ())

typedef enum {
  PD_CHECK_IMAGE_ERROR_TIFF,
} PdCheckImageError;

#define PD_CHECK_IMAGE_DPI      200
#define PD_CHECK_IMAGE_ALT_DPI  240
#define PD_CHECK_IMAGE_MAX_SIDE 20000

/* Gray levels below this are black: a fixed mid-gray cut. A scanner that binarizes itself
 * (adaptive thresholding copes with security backgrounds) should hand over bits instead. */
#define PD_CHECK_IMAGE_DEFAULT_THRESHOLD 128

/* Quality limits: the project's own estimates, not X9.100-140 values (those were not found
 * in a public source). By our estimate the MICR line alone blackens about 1% of a personal
 * check's front at 200 dpi, so less than 0.1% is a blank capture; more than 30% is a dark
 * background or a bad threshold. Size: a personal check is about 6 x 2.75 in, business
 * checks are wider and taller (commonly 8.5 x 3.5 in); scanners crop a little or add a
 * margin. A blank back may be an unendorsed check: the caller decides whether that matters. */
#define PD_CHECK_IMAGE_BLANK_BELOW        0.001
#define PD_CHECK_IMAGE_TOO_DARK_ABOVE     0.30
#define PD_CHECK_IMAGE_MIN_WIDTH_INCHES   5.5
#define PD_CHECK_IMAGE_MAX_WIDTH_INCHES   9.0
#define PD_CHECK_IMAGE_MIN_HEIGHT_INCHES  2.5
#define PD_CHECK_IMAGE_MAX_HEIGHT_INCHES  4.5

typedef enum {
  PD_CHECK_SIDE_FRONT,
  PD_CHECK_SIDE_BACK,
} PdCheckSide;

typedef enum {
  PD_CHECK_IMAGE_PROBLEMS_NONE    = 0,
  PD_CHECK_IMAGE_BLANK            = 1 << 0,
  PD_CHECK_IMAGE_TOO_DARK         = 1 << 1,
  PD_CHECK_IMAGE_WRONG_SIZE       = 1 << 2,
  PD_CHECK_IMAGE_WRONG_RESOLUTION = 1 << 3,
} PdCheckImageProblems;

typedef struct _PdCheckImage PdCheckImage;

GQuark                pd_check_image_error_quark         (void);

PdCheckImage         *pd_check_image_new_from_gray       (PdCheckSide          side,
                                                          const guint8        *pixels,
                                                          guint                width,
                                                          guint                height,
                                                          gsize                stride,
                                                          guint                dpi,
                                                          guint8               threshold);
PdCheckImage         *pd_check_image_new_from_bilevel    (PdCheckSide          side,
                                                          const guint8        *bits,
                                                          guint                width,
                                                          guint                height,
                                                          gsize                stride,
                                                          guint                dpi);
void                  pd_check_image_free                (PdCheckImage        *image);

PdCheckSide           pd_check_image_get_side            (const PdCheckImage  *image);
guint                 pd_check_image_get_width           (const PdCheckImage  *image);
guint                 pd_check_image_get_height          (const PdCheckImage  *image);
guint                 pd_check_image_get_dpi             (const PdCheckImage  *image);
gboolean              pd_check_image_is_black            (const PdCheckImage  *image,
                                                          guint                x,
                                                          guint                y);
double                pd_check_image_get_black_fraction  (const PdCheckImage  *image);

PdCheckImageProblems  pd_check_image_assess              (const PdCheckImage  *image);
char                 *pd_check_image_describe_problems   (PdCheckSide          side,
                                                          PdCheckImageProblems problems);

/* A scanner's TIFF read back (one page, one bit per pixel), to assess it. */
PdCheckImage         *pd_check_image_new_from_tiff       (PdCheckSide          side,
                                                          GBytes              *tiff,
                                                          GError             **error);
GBytes               *pd_check_image_to_tiff             (const PdCheckImage  *image,
                                                          GError             **error);
gboolean              pd_check_image_save_tiff           (const PdCheckImage  *image,
                                                          const char          *path,
                                                          GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdCheckImage, pd_check_image_free)

G_END_DECLS
