#pragma once

#include <glib.h>
#include <tiffio.h>

G_BEGIN_DECLS

/* Opens a check image with libtiff itself and asserts what X9.100-181 asks of it: one page,
 * little-endian, width by height, CCITT G4, one bit, min-is-white, MSB first, top-left, one
 * strip, 200 dpi. The caller reads the pixels and closes it. */
TIFF *pd_test_open_check_tiff (const char *path,
                               guint       width,
                               guint       height);

G_END_DECLS
