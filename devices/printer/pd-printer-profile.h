#pragma once

#include <gio/gio.h>

#include "pd-escpos.h"

G_BEGIN_DECLS

#define PD_TYPE_PRINTER_PROFILE (pd_printer_profile_get_type ())

G_DECLARE_FINAL_TYPE (PdPrinterProfile, pd_printer_profile, PD, PRINTER_PROFILE, GObject)

/* What one model of receipt printer can do, read from assets/printers/NAME.conf (format:
 * the files' own comments). */
typedef struct {
  PdEscposCodePage page;
  guint8 esc_t_number;
} PdPrinterCodePage;

/* The folder of profiles: $PAYDESK_PRINTER_PROFILES, else the installed one, else (a build
 * never installed) the source tree's. */
const char       *pd_printer_profile_get_directory   (void);

PdPrinterProfile *pd_printer_profile_load            (const char       *path,
                                                      GError          **error);
/* Every *.conf of the folder, sorted by file name. */
GPtrArray        *pd_printer_profile_load_directory  (const char       *directory,
                                                      GError          **error);
/* The profile naming this vendor and product, else the first one taking the interface
 * class (the generic one), else NULL. */
PdPrinterProfile *pd_printer_profile_find            (GPtrArray        *profiles,
                                                      guint16           vendor_id,
                                                      guint16           product_id,
                                                      guint8            interface_class);

const char       *pd_printer_profile_get_id          (PdPrinterProfile *self);
const char       *pd_printer_profile_get_name        (PdPrinterProfile *self);
guint             pd_printer_profile_get_paper_width (PdPrinterProfile *self);
/* In order of preference. */
const PdPrinterCodePage *pd_printer_profile_get_code_pages (PdPrinterProfile *self,
                                                            guint            *n_pages);
/* The first page of the profile that holds all of utf8, or NULL: rasterize it then. */
const PdPrinterCodePage *pd_printer_profile_choose_code_page (PdPrinterProfile *self,
                                                              const char       *utf8);
PdEscposCut       pd_printer_profile_get_cut         (PdPrinterProfile *self);
gboolean          pd_printer_profile_get_qr_code     (PdPrinterProfile *self);
/* Whether the printer is asked to report paper, cover and errors on its own (GS a). */
gboolean          pd_printer_profile_get_automatic_status (PdPrinterProfile *self);
/* vendor << 16 | product, as many as n_ids. */
const guint32    *pd_printer_profile_get_usb_ids     (PdPrinterProfile *self,
                                                      guint            *n_ids);
const guint8     *pd_printer_profile_get_interface_classes (PdPrinterProfile *self,
                                                            guint            *n_classes);

G_END_DECLS
