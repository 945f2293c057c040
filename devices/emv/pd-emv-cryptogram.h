#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Host-side EMV cryptograms, as an issuer checks them: EMV Book 2 Annex A1 key derivation,
 * ISO 9797-1 MAC algorithm 3, and the card schemes' cryptogram versions (CVN). */

#define PD_DES_KEY_BYTES 16
#define PD_AC_BYTES 8

typedef enum {
  PD_CVN_VISA_10,
  PD_CVN_VISA_18,
  PD_CVN_MASTERCARD_16,
} PdCvn;

typedef enum {
  PD_MAC_PADDING_ZEROS = 1,
  PD_MAC_PADDING_80 = 2,
} PdMacPadding;

void     pd_cryptogram_derive_icc_master_key (const guint8  issuer_master_key[PD_DES_KEY_BYTES],
                                              const char   *pan,
                                              const char   *psn,
                                              guint8        icc_master_key[PD_DES_KEY_BYTES]);
void     pd_cryptogram_derive_session_key    (const guint8  master_key[PD_DES_KEY_BYTES],
                                              const guint8  diversification[8],
                                              guint8        session_key[PD_DES_KEY_BYTES]);
void     pd_cryptogram_mac                   (const guint8  key[PD_DES_KEY_BYTES],
                                              const guint8 *data,
                                              gsize         length,
                                              PdMacPadding  padding,
                                              guint8        mac[8]);
void     pd_cryptogram_check_value           (const guint8  key[PD_DES_KEY_BYTES],
                                              guint8        check_value[3]);

/* The ARQC a card of this CVN must have produced over the transaction data (the ten tags
 * 9F02 9F03 9F1A 95 5F2A 9A 9C 9F37 82 9F36, concatenated) and its IAD. */
gboolean pd_cryptogram_arqc                  (PdCvn         cvn,
                                              const guint8  icc_master_key[PD_DES_KEY_BYTES],
                                              const guint8 *transaction_data,
                                              gsize         transaction_length,
                                              const guint8 *iad,
                                              gsize         iad_length,
                                              const guint8  atc[2],
                                              const guint8  unpredictable_number[4],
                                              guint8        arqc[PD_AC_BYTES]);
/* The issuer authentication data (tag 91) answering an ARQC: ARPC method 1 (ARPC || ARC) for
 * CVN 10 and 16, method 2 (ARPC || CSU) for CVN 18. Returns its length. */
gsize    pd_cryptogram_issuer_authentication (PdCvn         cvn,
                                              const guint8  icc_master_key[PD_DES_KEY_BYTES],
                                              const guint8  arqc[PD_AC_BYTES],
                                              const guint8  atc[2],
                                              const guint8  arc[2],
                                              guint8        out[10]);

/* Authorization response codes: "00" approves, "05" does not. */
#define PD_ARC_APPROVED ((const guint8 *) "00")
#define PD_ARC_DECLINED ((const guint8 *) "05")

G_END_DECLS
