#pragma once

#include <cairo.h>
#include <gio/gio.h>

G_BEGIN_DECLS

/* A PNG the code under test wrote, read back: as a cairo surface (the caller destroys it),
 * and its QR code's text through zbar (the test fails when zbar finds no code). */
cairo_surface_t *pd_test_load_png    (GBytes *png);
char            *pd_test_scan_png_qr (GBytes *png);

G_END_DECLS
