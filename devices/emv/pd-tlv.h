#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* BER-TLV as EMV uses it (Book 3 Annex B). Parsing never trusts the card: every length is
 * checked, nesting is bounded, and unknown or proprietary tags are kept, not refused. */

#define PD_TLV_ERROR (pd_tlv_error_quark ())

typedef enum {
  PD_TLV_ERROR_TRUNCATED,
  PD_TLV_ERROR_BAD_TAG,
  PD_TLV_ERROR_BAD_LENGTH,
  PD_TLV_ERROR_TOO_DEEP,
} PdTlvError;

#define PD_TLV_MAX_DEPTH 8

typedef struct _PdTlv PdTlv;

struct _PdTlv {
  guint32 tag;
  GBytes *value;
  /* For constructed tags (bit 6 of the first tag byte): the parsed contents. */
  GPtrArray *children;
};

GQuark      pd_tlv_error_quark     (void);

GPtrArray  *pd_tlv_parse           (const guint8  *data,
                                    gsize          length,
                                    GError       **error);
const PdTlv *pd_tlv_find           (GPtrArray     *nodes,
                                    guint32        tag);
gboolean    pd_tlv_is_constructed  (guint32        tag);
void        pd_tlv_append          (GByteArray    *out,
                                    guint32        tag,
                                    const guint8  *value,
                                    gsize          length);
void        pd_tlv_free            (PdTlv         *tlv);

/* A copy of card data whose memory is zeroed when the last reference goes: the PAN and
 * track 2 must not linger in freed memory. */
GBytes     *pd_bytes_new_wiped     (const guint8  *data,
                                    gsize          length);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdTlv, pd_tlv_free)

G_END_DECLS
