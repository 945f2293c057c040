#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Paydesk's translations into one language, read from its compiled catalog (.mo) without
 * touching the process locale: a kiosk in English prints a receipt in Korean for the member
 * in front of it, from any thread.
 *
 * The catalog is found in $PAYDESK_LOCALEDIR, else the installed locale folder, else (a
 * build never installed) the build tree's po/ folder. A language without a catalog, or
 * English, translates nothing: every string stays as written. A translation whose printf
 * conversions differ from the English is dropped (said in the log), so a catalog from
 * anywhere can never make a receipt read values it was not given. */
typedef struct _PdReceiptCatalog PdReceiptCatalog;

/* The language's catalog, read once per process (again if its file changed): new returns a
 * reference to it, free drops it. */
PdReceiptCatalog *pd_receipt_catalog_new      (const char        *language);
void              pd_receipt_catalog_free     (PdReceiptCatalog  *self);
const char       *pd_receipt_catalog_get_language (PdReceiptCatalog *self);
/* Whether a catalog was found (English never needs one). */
gboolean          pd_receipt_catalog_is_loaded (PdReceiptCatalog *self);
/* The translation of msgid, or msgid itself when there is none. */
const char       *pd_receipt_catalog_gettext  (PdReceiptCatalog  *self,
                                               const char        *msgid);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdReceiptCatalog, pd_receipt_catalog_free)

G_END_DECLS
