#pragma once

#include "pd-tlv.h"

G_BEGIN_DECLS

/* The data objects of one card session, from the card and from the terminal, by tag. */
typedef struct _PdEmvData PdEmvData;

PdEmvData *pd_emv_data_new            (void);
void       pd_emv_data_free           (PdEmvData      *data);

void       pd_emv_data_set            (PdEmvData      *data,
                                       guint32         tag,
                                       const guint8   *value,
                                       gsize           length);
void       pd_emv_data_set_bytes      (PdEmvData      *data,
                                       guint32         tag,
                                       GBytes         *value);
void       pd_emv_data_set_byte       (PdEmvData      *data,
                                       guint32         tag,
                                       guint8          value);
/* Borrowed, NULL when absent. */
GBytes    *pd_emv_data_get            (PdEmvData      *data,
                                       guint32         tag);
const guint8 *pd_emv_data_peek        (PdEmvData      *data,
                                       guint32         tag,
                                       gsize           min_length);
void       pd_emv_data_remove         (PdEmvData      *data,
                                       guint32         tag);

/* Stores every primitive object below nodes, except terminal data a card has no business
 * sending. With unique (records and the GPO answer), a tag already received that way is an
 * error (Book 3 section 10.2: redundant card data ends the transaction). */
gboolean   pd_emv_data_add_objects    (PdEmvData      *data,
                                       GPtrArray      *nodes,
                                       gboolean        unique,
                                       GError        **error);

/* A PdDolLookup over the session's data. */
GBytes    *pd_emv_data_lookup         (guint32         tag,
                                       gpointer        data);

/* The objects named by tags, as hex TLV, skipping absent ones. */
char      *pd_emv_data_to_hex         (PdEmvData      *data,
                                       const guint32  *tags,
                                       gsize           n_tags);

/* Card data that must never be logged, journaled or stored in the clear (PCI DSS 3.3.1,
 * 3.5.1). */
gboolean   pd_emv_tag_is_sensitive    (guint32         tag);
/* Whether the session log may show a value: an allowlist, everything else withheld. */
gboolean   pd_emv_tag_is_loggable     (guint32         tag);
/* Data only the terminal provides: never taken from a card's answer. */
gboolean   pd_emv_tag_is_terminal_source (guint32      tag);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdEmvData, pd_emv_data_free)

G_END_DECLS
