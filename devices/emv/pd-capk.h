#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Certification authority public keys (EMV Book 2 section 5 and Annex B): one per card
 * scheme RID and index (tag 8F), each verified against its SHA-1 checksum when loaded. */

#define PD_CAPK_ERROR (pd_capk_error_quark ())

typedef enum {
  PD_CAPK_ERROR_PARSE,
  PD_CAPK_ERROR_CHECKSUM,
} PdCapkError;

#define PD_RID_BYTES 5

typedef struct {
  guint8 rid[PD_RID_BYTES];
  guint8 index;
  GBytes *modulus;
  GBytes *exponent;
  /* Training keys sign no live card: the project's own test CA (index E1) and the schemes'
   * published certification test keys. A production terminal never loads them. */
  gboolean training;
} PdCapk;

typedef struct _PdCapkTable PdCapkTable;

GQuark        pd_capk_error_quark  (void);

/* Loads every key of a table file (the format is described in assets/capk/capk.conf); with
 * include_training FALSE, training keys are skipped, though still checked. Errors are in
 * PD_CAPK_ERROR, or G_FILE_ERROR / G_KEY_FILE_ERROR when the file cannot be read at all. */
PdCapkTable  *pd_capk_table_load   (const char     *path,
                                    gboolean        include_training,
                                    GError        **error);
const PdCapk *pd_capk_table_lookup (PdCapkTable    *table,
                                    const guint8    rid[PD_RID_BYTES],
                                    guint8          index);
guint         pd_capk_table_get_size (PdCapkTable  *table);
void          pd_capk_table_free   (PdCapkTable    *table);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdCapkTable, pd_capk_table_free)

G_END_DECLS
