#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The ICC data of a card authorization (hex BER-TLV, as in tag 55): tag (upper-case hex) to
 * value. NULL when the hex or the TLV is malformed; unknown tags are kept, never fatal. */
GHashTable *pd_sim_icc_parse (const char *hex,
                              GError    **error);

G_END_DECLS
