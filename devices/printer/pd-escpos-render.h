#pragma once

#include <glib.h>

#include "pd-escpos-reader.h"

G_BEGIN_DECLS

#define PD_ESCPOS_RENDER_ERROR (pd_escpos_render_error_quark ())

typedef enum {
  PD_ESCPOS_RENDER_ERROR_TOO_LARGE, /* a QR code or the whole receipt beyond what can be drawn */
  PD_ESCPOS_RENDER_ERROR_FAILED,    /* Cairo could not draw or write the image */
} PdEscposRenderError;

GQuark            pd_escpos_render_error_quark (void);

/* The receipt as a thermal printer would put it on paper paper_width_dots wide (at least
 * 12): black dots on white, Font A cells of 12 by 24 dots, a PNG one pixel a dot. */
GBytes           *pd_escpos_render_png         (const PdEscposDocument  *document,
                                                guint                    paper_width_dots,
                                                GError                 **error);
gboolean          pd_escpos_render_png_file    (const PdEscposDocument  *document,
                                                guint                    paper_width_dots,
                                                const char              *path,
                                                GError                 **error);

G_END_DECLS
