#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Bytes written as hexadecimal text, as EMV data, keys and AIDs are in the configuration,
 * card profiles, ICC data and the training core's answers: one codec, so that everything
 * that reads hex accepts the same text and everything that writes it writes the same. */

/* Two upper-case digits a byte (as EMV specifications and logs write them), NUL-terminated;
 * length 0 gives "". bytes may be NULL only when length is 0. */
char      *pd_hex_encode        (const guint8  *bytes,
                                 gsize          length);

/* Whole bytes of hex digits, either case, and nothing else (no spaces, no "0x"). FALSE for
 * an odd number of digits, any other character, or more than out_size bytes; the text is
 * checked whole first, so that on FALSE neither out nor *length is touched. On TRUE *length
 * (length may be NULL) gets the number of bytes written; "" is TRUE with 0 bytes. */
gboolean   pd_hex_decode        (const char    *hex,
                                 guint8        *out,
                                 gsize          out_size,
                                 gsize         *length);

/* The same, of any size, as new bytes: NULL when hex is not whole bytes of hex digits; ""
 * gives empty bytes, not NULL. */
GBytes    *pd_hex_decode_bytes  (const char    *hex);

/* Whether text is min_length to max_length characters long, every one an ASCII digit 0-9
 * (no sign, no spaces, no separators): account numbers, expiry dates, service codes. With
 * min_length 0, "" is digits. */
gboolean   pd_is_digits         (const char    *text,
                                 gsize          min_length,
                                 gsize          max_length);

G_END_DECLS
