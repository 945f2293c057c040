#pragma once

#include "pd-capk.h"
#include "pd-dol.h"

G_BEGIN_DECLS

/* Offline data authentication, terminal side (EMV Book 2 sections 5 and 6): recovering the
 * issuer and ICC public keys from their certificates, and verifying SDA, DDA and CDA.
 *
 * Card data comes through a PdDolLookup over what the kernel read (5A, 5F24, 8F, 90, 92,
 * 9F32, 93, 9F46, 9F47, 9F48, 9F4B, 9F4C ...). static_data is the offline-authentication
 * input the kernel collected from the records (and the AIP when 9F4A asks for it). */

#define PD_ODA_ERROR (pd_oda_error_quark ())

typedef enum {
  /* A data object ODA needs is absent: TVR "ICC data missing". */
  PD_ODA_ERROR_MISSING_DATA,
  /* No CA key for this RID and index: the method fails (TVR SDA/DDA/CDA failed). */
  PD_ODA_ERROR_NO_CAPK,
  /* A certificate or signature does not verify, or a recovered field is wrong. */
  PD_ODA_ERROR_FAILED,
} PdOdaError;

/* A recovered RSA public key (issuer or ICC). */
typedef struct _PdOdaKey PdOdaKey;

GQuark    pd_oda_error_quark         (void);

/* Issuer key from 90 (certificate), 92 (remainder, when needed), 9F32 (exponent); checks
 * the header/trailer, hash, that the issuer identifier matches the leftmost PAN digits of
 * 5A, and that the certificate has not expired on today. capk is the table's key for the
 * AID's RID and 8F; NULL (a lookup miss), or a key of another index, fails with
 * PD_ODA_ERROR_NO_CAPK once the card's data objects are known to be present. */
PdOdaKey *pd_oda_recover_issuer_key  (const PdCapk   *capk,
                                      PdDolLookup     card,
                                      gpointer        card_data,
                                      GDate          *today,
                                      GError        **error);

/* SDA: verifies the signed static application data (93) over static_data. On success
 * data_authentication_code receives the 2-byte code (tag 9F45). */
gboolean  pd_oda_verify_sda          (const PdOdaKey *issuer_key,
                                      PdDolLookup     card,
                                      gpointer        card_data,
                                      GBytes         *static_data,
                                      guint8          data_authentication_code[2],
                                      GError        **error);

/* ICC key from 9F46, 9F48, 9F47, signed by the issuer over static_data; checks the PAN (all
 * of 5A) and the certificate's expiry. */
PdOdaKey *pd_oda_recover_icc_key     (const PdOdaKey *issuer_key,
                                      PdDolLookup     card,
                                      gpointer        card_data,
                                      GBytes         *static_data,
                                      GDate          *today,
                                      GError        **error);

/* DDA: verifies the signed dynamic application data (9F4B from INTERNAL AUTHENTICATE)
 * over ddol_data (the DDOL-built data the terminal sent). Returns the ICC dynamic number
 * (tag 9F4C), or NULL with error; a NULL or empty signed_dynamic_data is MISSING_DATA. */
GBytes   *pd_oda_verify_dda          (const PdOdaKey *icc_key,
                                      GBytes         *signed_dynamic_data,
                                      GBytes         *ddol_data,
                                      GError        **error);

/* CDA (Book 2 section 6.6.2): verifies 9F4B from a GENERATE AC response. genac_data is the
 * response's template contents (the TLVs of tag 77) without the 9F4B object itself, in the
 * order the card sent them; pdol_data and cdol_data are what the terminal sent in GPO and in
 * this GENERATE AC. For the second GENERATE AC the hash covers CDOL1 and CDOL2 data
 * (Book 2 section 6.6.1): pass both, concatenated, as cdol_data. Checks that the cryptogram
 * information data matches cid, that the unpredictable number (9F37) is the one sent (it is
 * part of the signed hash), and that a 9F26 in genac_data, if any, is the signed
 * cryptogram. Returns the application cryptogram (8 bytes) found in the signature, or NULL
 * with error; a NULL or empty signed_dynamic_data is MISSING_DATA. */
GBytes   *pd_oda_verify_cda          (const PdOdaKey *icc_key,
                                      GBytes         *signed_dynamic_data,
                                      guint8          cid,
                                      const guint8    unpredictable_number[4],
                                      GBytes         *pdol_data,
                                      GBytes         *cdol_data,
                                      GBytes         *genac_data,
                                      GError        **error);

void      pd_oda_key_free            (PdOdaKey       *key);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdOdaKey, pd_oda_key_free)

G_END_DECLS
