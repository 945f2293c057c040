#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The card and issuer side of offline data authentication, for virtual cards only
 * (EMV Book 2 sections 5 and 6, the mirror of devices/emv/pd-oda.c): certificates made with
 * the project's test CA key, and the signatures a card computes. Keys are PEM files
 * (tests/fixtures/cards/keys/). Never linked into paydesk or paydesk-ctl. */

typedef struct _PdCardSigner PdCardSigner;

/* ca_key: the test CA private key; issuer_key and icc_key: the issuer's and the card's
 * private keys (icc_key may be NULL for an SDA-only card). */
PdCardSigner *pd_card_signer_new           (const char    *ca_key_path,
                                            const char    *issuer_key_path,
                                            const char    *icc_key_path,
                                            GError       **error);
void          pd_card_signer_free          (PdCardSigner  *signer);

/* Issuer public key certificate (tag 90), its remainder (92, NULL when none) and exponent
 * (9F32), for a PAN (digits) and an expiry "MMYY". */
GBytes       *pd_card_signer_issuer_certificate (PdCardSigner *signer,
                                                 const char   *pan,
                                                 const char   *expiry_mmyy,
                                                 GBytes      **remainder,
                                                 GBytes      **exponent);

/* Signed static application data (tag 93) over the static data list, with a 2-byte data
 * authentication code. */
GBytes       *pd_card_signer_sign_static   (PdCardSigner  *signer,
                                            const guint8   data_authentication_code[2],
                                            GBytes        *static_data);

/* ICC public key certificate (9F46), remainder (9F48, NULL when none) and exponent (9F47),
 * signed by the issuer over static_data. */
GBytes       *pd_card_signer_icc_certificate (PdCardSigner *signer,
                                              const char   *pan,
                                              const char   *expiry_mmyy,
                                              GBytes       *static_data,
                                              GBytes      **remainder,
                                              GBytes      **exponent);

/* DDA: signed dynamic application data (9F4B) over the terminal's DDOL data, with the
 * card's dynamic number (9F4C). */
GBytes       *pd_card_signer_sign_dynamic  (PdCardSigner  *signer,
                                            GBytes        *icc_dynamic_number,
                                            GBytes        *ddol_data);

/* CDA: 9F4B for a GENERATE AC response (Book 2 section 6.6.1). genac_data: the TLV objects
 * the response carries besides 9F4B (9F27, 9F36, 9F10 ...), in the order sent. cdol_data:
 * for the second GENERATE AC, CDOL1 data followed by CDOL2 data. */
GBytes       *pd_card_signer_sign_cda      (PdCardSigner  *signer,
                                            GBytes        *icc_dynamic_number,
                                            guint8         cid,
                                            const guint8   application_cryptogram[8],
                                            const guint8   unpredictable_number[4],
                                            GBytes        *pdol_data,
                                            GBytes        *cdol_data,
                                            GBytes        *genac_data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdCardSigner, pd_card_signer_free)

G_END_DECLS
