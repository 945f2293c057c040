#pragma once

#include "pd-card-profile.h"
#include "pd-emv-cryptogram.h"

G_BEGIN_DECLS

/* A card's side of the application cryptograms: the issuer application data (9F10) it
 * reports, and the cryptogram and issuer authentication it computes, exactly as the
 * training payment core checks them (devices/emv/pd-emv-cryptogram.c). */

/* Cryptogram information data (9F27): the type in bits 8-7. */
#define PD_CID_AAC  0x00
#define PD_CID_TC   0x40
#define PD_CID_ARQC 0x80
#define PD_CID_TYPE_MASK 0xc0

#define PD_IAD_MAX_BYTES 32

/* What the card verification results (inside the IAD) say about this transaction. */
typedef struct {
  guint8 first_cid;
  /* FALSE until a second GENERATE AC has answered second_cid. */
  gboolean second_done;
  guint8 second_cid;
  gboolean issuer_authentication_failed;
  gboolean dda_performed;
  gboolean cda_first;
  gboolean cda_second;
  guint scripts;
} PdCardVerificationResults;

gsize pd_card_cryptogram_build_iad    (PdCardCryptogram                  kind,
                                       const PdCardVerificationResults  *results,
                                       guint8                            iad[PD_IAD_MAX_BYTES]);
/* transaction_data: 9F02 9F03 9F1A 95 5F2A 9A 9C 9F37 82 9F36, concatenated. */
void  pd_card_cryptogram_compute      (PdCardCryptogram                  kind,
                                       const guint8                      icc_master_key[PD_DES_KEY_BYTES],
                                       const guint8                     *transaction_data,
                                       gsize                             transaction_length,
                                       const guint8                     *iad,
                                       gsize                             iad_length,
                                       const guint8                      atc[2],
                                       const guint8                      unpredictable_number[4],
                                       guint8                            ac[PD_AC_BYTES]);
/* The issuer authentication data (91) the issuer sends for arqc; returns its length. */
gsize pd_card_cryptogram_issuer_authentication (PdCardCryptogram  kind,
                                                const guint8      icc_master_key[PD_DES_KEY_BYTES],
                                                const guint8      arqc[PD_AC_BYTES],
                                                const guint8      atc[2],
                                                const guint8      arc[2],
                                                guint8            out[10]);

G_END_DECLS
