#pragma once

#include "pd-tlv.h"

G_BEGIN_DECLS

/* Data object lists (PDOL, CDOL1, CDOL2, DDOL): tags with the lengths the card wants, filled
 * from the terminal's data (Book 3 section 5.4). */
typedef struct {
  guint32 tag;
  gsize length;
} PdDolEntry;

/* Returns the value the terminal has for tag, or NULL when it has none. */
typedef GBytes *(*PdDolLookup) (guint32  tag,
                                gpointer user_data);

GArray     *pd_dol_parse (const guint8  *data,
                          gsize          length,
                          GError       **error);
GByteArray *pd_dol_build (GArray        *entries,
                          PdDolLookup    lookup,
                          gpointer       user_data);

G_END_DECLS
