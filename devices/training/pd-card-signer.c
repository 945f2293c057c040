#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "pd-card-signer.h"
#include "pd-hex.h"

/* The frame every EMV signature recovers to (Book 2 Annex A2.1): a header byte, the data,
 * a 20-byte SHA-1 hash and a trailer byte. */
#define HEADER       0x6a
#define TRAILER      0xbc
#define PAD          0xbb
#define HASH_BYTES   20
#define SHA1         0x01
#define RSA_ALGORITHM 0x01

/* The fields the recovered data always has besides the key or the signed data: header,
 * hash and trailer. */
#define FRAME_BYTES  (1 + HASH_BYTES + 1)

enum {
  FORMAT_ISSUER_CERTIFICATE = 0x02,
  FORMAT_SIGNED_STATIC      = 0x03,
  FORMAT_ICC_CERTIFICATE    = 0x04,
  FORMAT_SIGNED_DYNAMIC     = 0x05,
};

/* Issuer identifier (cn 8) and application PAN (cn 20) in the certificates. */
#define ISSUER_IDENTIFIER_BYTES 4
#define ISSUER_IDENTIFIER_DIGITS 6
#define PAN_BYTES 10

#define AC_BYTES 8

struct _PdCardSigner {
  EVP_PKEY *ca_key;
  EVP_PKEY *issuer_key;
  EVP_PKEY *icc_key;
};

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_PKEY, EVP_PKEY_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_PKEY_CTX, EVP_PKEY_CTX_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BIO, BIO_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BIGNUM, BN_free)

static EVP_PKEY *
load_private_key (const char  *path,
                  GError     **error)
{
  g_autofree char *pem = NULL;
  g_autoptr(BIO) bio = NULL;
  EVP_PKEY *key;
  gsize length = 0;

  if (!g_file_get_contents (path, &pem, &length, error))
    return NULL;

  bio = BIO_new_mem_buf (pem, (int) length);
  key = bio != NULL ? PEM_read_bio_PrivateKey (bio, NULL, NULL, NULL) : NULL;
  /* The file held a private key: nothing of it stays in freed memory. */
  OPENSSL_cleanse (pem, length);

  if (key == NULL || !EVP_PKEY_is_a (key, "RSA"))
    {
      g_autofree char *name = g_filename_display_name (path);

      EVP_PKEY_free (key);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s is not a PEM RSA private key", name);
      return NULL;
    }

  return key;
}

PdCardSigner *
pd_card_signer_new (const char  *ca_key_path,
                    const char  *issuer_key_path,
                    const char  *icc_key_path,
                    GError     **error)
{
  g_autoptr(PdCardSigner) signer = NULL;

  g_return_val_if_fail (ca_key_path != NULL, NULL);
  g_return_val_if_fail (issuer_key_path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  signer = g_new0 (PdCardSigner, 1);
  signer->ca_key = load_private_key (ca_key_path, error);
  if (signer->ca_key == NULL)
    return NULL;
  signer->issuer_key = load_private_key (issuer_key_path, error);
  if (signer->issuer_key == NULL)
    return NULL;
  if (icc_key_path != NULL)
    {
      signer->icc_key = load_private_key (icc_key_path, error);
      if (signer->icc_key == NULL)
        return NULL;
    }

  return g_steal_pointer (&signer);
}

void
pd_card_signer_free (PdCardSigner *signer)
{
  if (signer == NULL)
    return;

  g_clear_pointer (&signer->ca_key, EVP_PKEY_free);
  g_clear_pointer (&signer->issuer_key, EVP_PKEY_free);
  g_clear_pointer (&signer->icc_key, EVP_PKEY_free);
  g_free (signer);
}

static gsize
modulus_length (EVP_PKEY *key)
{
  return (gsize) EVP_PKEY_get_size (key);
}

/* A public component (modulus or exponent) as the unsigned big-endian bytes EMV sends. */
static GBytes *
public_component (EVP_PKEY   *key,
                  const char *param)
{
  g_autoptr(BIGNUM) value = NULL;
  guint8 *bytes;
  int length;

  if (EVP_PKEY_get_bn_param (key, param, &value) != 1)
    g_error ("card signer: the RSA key has no %s", param);

  length = BN_num_bytes (value);
  bytes = g_malloc (MAX (length, 1));
  BN_bn2bin (value, bytes);
  return g_bytes_new_take (bytes, (gsize) length);
}

/* The raw RSA private operation: EMV formats its own recovered data, so no padding scheme
 * is wanted, only m^d mod n. The input must be exactly as long as the modulus. */
static GBytes *
private_operation (EVP_PKEY     *key,
                   const guint8 *data,
                   gsize         length)
{
  g_autoptr(EVP_PKEY_CTX) ctx = EVP_PKEY_CTX_new_from_pkey (NULL, key, NULL);
  gsize signature_length = modulus_length (key);
  guint8 *signature = g_malloc (signature_length);

  g_assert (length == signature_length);

  if (ctx == NULL ||
      EVP_PKEY_sign_init (ctx) != 1 ||
      EVP_PKEY_CTX_set_rsa_padding (ctx, RSA_NO_PADDING) != 1 ||
      EVP_PKEY_sign (ctx, signature, &signature_length, data, length) != 1 ||
      signature_length != modulus_length (key))
    g_error ("card signer: the RSA private key operation failed");

  return g_bytes_new_take (signature, signature_length);
}

/* SHA-1 over a raw head, then up to three more parts (NULL ones are absent). */
static void
hash_parts (const guint8 *head,
            gsize         head_length,
            GBytes       *first,
            GBytes       *second,
            GBytes       *third,
            guint8        digest[HASH_BYTES])
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA1);
  GBytes *parts[] = { first, second, third };
  gsize digest_length = HASH_BYTES;

  g_checksum_update (checksum, head, (gssize) head_length);
  for (gsize i = 0; i < G_N_ELEMENTS (parts); i++)
    if (parts[i] != NULL)
      g_checksum_update (checksum, g_bytes_get_data (parts[i], NULL),
                         (gssize) g_bytes_get_size (parts[i]));
  g_checksum_get_digest (checksum, digest, &digest_length);
}

/* Finishes a recovered-data block whose fields from the format byte up to the hash are
 * already in place, and signs it: the hash covers those fields then the extra parts. */
static GBytes *
seal_and_sign (EVP_PKEY *key,
               guint8   *block,
               gsize     length,
               GBytes   *first,
               GBytes   *second,
               GBytes   *third)
{
  gsize hash_at = length - HASH_BYTES - 1;

  block[0] = HEADER;
  hash_parts (block + 1, hash_at - 1, first, second, third, block + hash_at);
  block[length - 1] = TRAILER;
  return private_operation (key, block, length);
}

/* Compressed numeric: digits packed two to a byte, the rest filled with F. */
static void
pack_compressed_numeric (const char *digits,
                         gsize       n_digits,
                         guint8     *out,
                         gsize       out_length)
{
  memset (out, 0xff, out_length);
  for (gsize i = 0; i < n_digits && i < out_length * 2; i++)
    {
      guint8 nibble = (guint8) (digits[i] - '0');

      if (i % 2 == 0)
        out[i / 2] = (guint8) (nibble << 4 | 0x0f);
      else
        out[i / 2] = (guint8) ((out[i / 2] & 0xf0) | nibble);
    }
}

static void
pack_expiry (const char *mmyy,
             guint8      out[2])
{
  out[0] = (guint8) ((mmyy[0] - '0') << 4 | (mmyy[1] - '0'));
  out[1] = (guint8) ((mmyy[2] - '0') << 4 | (mmyy[3] - '0'));
}

/* A public key certificate (Book 2 tables 6 and 14): the subject's key signed by
 * signing_key, with as much of the modulus as fits and the rest in a remainder. Issuer and
 * ICC certificates differ only in their format, the identifier (issuer identifier or full
 * PAN) and the ICC certificate's hash also covering the static data. */
static GBytes *
build_certificate (EVP_PKEY      *signing_key,
                   EVP_PKEY      *subject_key,
                   guint8         format,
                   const guint8  *identifier,
                   gsize          identifier_length,
                   const char    *expiry_mmyy,
                   GBytes        *static_data,
                   GBytes       **remainder,
                   GBytes       **exponent)
{
  /* The certificate serial number is the issuer's business; a fixed one is enough here. */
  static const guint8 serial[3] = { 0x00, 0x00, 0x01 };
  g_autoptr(GBytes) modulus = public_component (subject_key, OSSL_PKEY_PARAM_RSA_N);
  g_autoptr(GBytes) subject_exponent = public_component (subject_key, OSSL_PKEY_PARAM_RSA_E);
  g_autoptr(GBytes) subject_remainder = NULL;
  gsize length = modulus_length (signing_key);
  gsize key_field = length - 32 - identifier_length;
  gsize subject_length = g_bytes_get_size (modulus);
  const guint8 *subject_modulus = g_bytes_get_data (modulus, NULL);
  g_autofree guint8 *block = g_malloc0 (length);
  gsize at = 1;
  GBytes *certificate;

  /* The certificate has one byte for each length. */
  g_return_val_if_fail (subject_length <= 248, NULL);
  g_return_val_if_fail (g_bytes_get_size (subject_exponent) <= 3, NULL);

  block[at++] = format;
  memcpy (block + at, identifier, identifier_length);
  at += identifier_length;
  pack_expiry (expiry_mmyy, block + at);
  at += 2;
  memcpy (block + at, serial, sizeof serial);
  at += sizeof serial;
  block[at++] = SHA1;
  block[at++] = RSA_ALGORITHM;
  block[at++] = (guint8) subject_length;
  block[at++] = (guint8) g_bytes_get_size (subject_exponent);

  if (subject_length <= key_field)
    {
      memcpy (block + at, subject_modulus, subject_length);
      memset (block + at + subject_length, PAD, key_field - subject_length);
    }
  else
    {
      memcpy (block + at, subject_modulus, key_field);
      subject_remainder = g_bytes_new (subject_modulus + key_field, subject_length - key_field);
    }

  certificate = seal_and_sign (signing_key, block, length, subject_remainder, subject_exponent,
                               static_data);

  if (remainder != NULL)
    *remainder = g_steal_pointer (&subject_remainder);
  if (exponent != NULL)
    *exponent = g_steal_pointer (&subject_exponent);
  return certificate;
}

GBytes *
pd_card_signer_issuer_certificate (PdCardSigner  *signer,
                                   const char    *pan,
                                   const char    *expiry_mmyy,
                                   GBytes       **remainder,
                                   GBytes       **exponent)
{
  guint8 issuer_identifier[ISSUER_IDENTIFIER_BYTES];

  g_return_val_if_fail (signer != NULL, NULL);
  g_return_val_if_fail (pan != NULL && pd_is_digits (pan, ISSUER_IDENTIFIER_DIGITS, 19), NULL);
  g_return_val_if_fail (expiry_mmyy != NULL && pd_is_digits (expiry_mmyy, 4, 4), NULL);

  /* The issuer identifier is the leftmost 3 to 8 PAN digits; the BIN's six are used. */
  pack_compressed_numeric (pan, ISSUER_IDENTIFIER_DIGITS, issuer_identifier,
                           sizeof issuer_identifier);
  return build_certificate (signer->ca_key, signer->issuer_key, FORMAT_ISSUER_CERTIFICATE,
                            issuer_identifier, sizeof issuer_identifier, expiry_mmyy, NULL,
                            remainder, exponent);
}

GBytes *
pd_card_signer_icc_certificate (PdCardSigner  *signer,
                                const char    *pan,
                                const char    *expiry_mmyy,
                                GBytes        *static_data,
                                GBytes       **remainder,
                                GBytes       **exponent)
{
  guint8 application_pan[PAN_BYTES];
  GBytes *certificate;

  g_return_val_if_fail (signer != NULL, NULL);
  g_return_val_if_fail (signer->icc_key != NULL, NULL);
  g_return_val_if_fail (pan != NULL && pd_is_digits (pan, 1, 19), NULL);
  g_return_val_if_fail (expiry_mmyy != NULL && pd_is_digits (expiry_mmyy, 4, 4), NULL);
  g_return_val_if_fail (static_data != NULL, NULL);

  pack_compressed_numeric (pan, strlen (pan), application_pan, sizeof application_pan);
  certificate = build_certificate (signer->issuer_key, signer->icc_key,
                                   FORMAT_ICC_CERTIFICATE, application_pan,
                                   sizeof application_pan, expiry_mmyy, static_data,
                                   remainder, exponent);
  OPENSSL_cleanse (application_pan, sizeof application_pan);
  return certificate;
}

/* Signed static application data (Book 2 table 7). */
GBytes *
pd_card_signer_sign_static (PdCardSigner *signer,
                            const guint8  data_authentication_code[2],
                            GBytes       *static_data)
{
  gsize length;
  g_autofree guint8 *block = NULL;

  g_return_val_if_fail (signer != NULL, NULL);
  g_return_val_if_fail (data_authentication_code != NULL, NULL);
  g_return_val_if_fail (static_data != NULL, NULL);

  length = modulus_length (signer->issuer_key);
  block = g_malloc (length);
  block[1] = FORMAT_SIGNED_STATIC;
  block[2] = SHA1;
  memcpy (block + 3, data_authentication_code, 2);
  memset (block + 5, PAD, length - 5 - HASH_BYTES - 1);
  return seal_and_sign (signer->issuer_key, block, length, static_data, NULL, NULL);
}

/* Signed dynamic application data (Book 2 table 17), for DDA and CDA alike: the card's
 * dynamic data, padded, and a hash that also covers terminal_data (the DDOL data for DDA,
 * the unpredictable number for CDA). */
static GBytes *
sign_dynamic_data (PdCardSigner *signer,
                   const guint8 *icc_dynamic_data,
                   gsize         icc_dynamic_length,
                   GBytes       *terminal_data)
{
  gsize length = modulus_length (signer->icc_key);
  g_autofree guint8 *block = NULL;

  g_return_val_if_fail (icc_dynamic_length <= length - 25, NULL);

  block = g_malloc (length);
  block[1] = FORMAT_SIGNED_DYNAMIC;
  block[2] = SHA1;
  block[3] = (guint8) icc_dynamic_length;
  memcpy (block + 4, icc_dynamic_data, icc_dynamic_length);
  memset (block + 4 + icc_dynamic_length, PAD, length - 25 - icc_dynamic_length);
  return seal_and_sign (signer->icc_key, block, length, terminal_data, NULL, NULL);
}

/* The ICC dynamic number is 2 to 8 bytes (Book 2 table 16), preceded by its length. */
static gboolean
append_dynamic_number (GByteArray *icc_dynamic_data,
                       GBytes     *icc_dynamic_number)
{
  gsize length = 0;
  const guint8 *number = g_bytes_get_data (icc_dynamic_number, &length);
  guint8 length_byte = (guint8) length;

  if (length < 2 || length > 8)
    return FALSE;
  g_byte_array_append (icc_dynamic_data, &length_byte, 1);
  g_byte_array_append (icc_dynamic_data, number, (guint) length);
  return TRUE;
}

GBytes *
pd_card_signer_sign_dynamic (PdCardSigner *signer,
                             GBytes       *icc_dynamic_number,
                             GBytes       *ddol_data)
{
  g_autoptr(GByteArray) icc_dynamic_data = g_byte_array_new ();

  g_return_val_if_fail (signer != NULL, NULL);
  g_return_val_if_fail (signer->icc_key != NULL, NULL);
  g_return_val_if_fail (icc_dynamic_number != NULL, NULL);
  g_return_val_if_fail (ddol_data != NULL, NULL);

  if (!append_dynamic_number (icc_dynamic_data, icc_dynamic_number))
    g_return_val_if_reached (NULL);

  return sign_dynamic_data (signer, icc_dynamic_data->data, icc_dynamic_data->len, ddol_data);
}

/* Book 2 section 6.6.1: the ICC dynamic data is the dynamic number, the cryptogram
 * information data, the cryptogram and a hash of the transaction data (what the terminal
 * sent in GET PROCESSING OPTIONS and GENERATE AC, and what the card answers besides 9F4B);
 * the signature's hash then covers the terminal's unpredictable number. */
GBytes *
pd_card_signer_sign_cda (PdCardSigner *signer,
                         GBytes       *icc_dynamic_number,
                         guint8        cid,
                         const guint8  application_cryptogram[8],
                         const guint8  unpredictable_number[4],
                         GBytes       *pdol_data,
                         GBytes       *cdol_data,
                         GBytes       *genac_data)
{
  g_autoptr(GByteArray) icc_dynamic_data = g_byte_array_new ();
  g_autoptr(GBytes) terminal_data = NULL;
  guint8 transaction_data_hash[HASH_BYTES];

  g_return_val_if_fail (signer != NULL, NULL);
  g_return_val_if_fail (signer->icc_key != NULL, NULL);
  g_return_val_if_fail (icc_dynamic_number != NULL, NULL);
  g_return_val_if_fail (application_cryptogram != NULL, NULL);
  g_return_val_if_fail (unpredictable_number != NULL, NULL);
  g_return_val_if_fail (pdol_data != NULL, NULL);
  g_return_val_if_fail (cdol_data != NULL, NULL);
  g_return_val_if_fail (genac_data != NULL, NULL);

  if (!append_dynamic_number (icc_dynamic_data, icc_dynamic_number))
    g_return_val_if_reached (NULL);

  hash_parts (NULL, 0, pdol_data, cdol_data, genac_data, transaction_data_hash);
  g_byte_array_append (icc_dynamic_data, &cid, 1);
  g_byte_array_append (icc_dynamic_data, application_cryptogram, AC_BYTES);
  g_byte_array_append (icc_dynamic_data, transaction_data_hash, HASH_BYTES);

  terminal_data = g_bytes_new (unpredictable_number, 4);
  return sign_dynamic_data (signer, icc_dynamic_data->data, icc_dynamic_data->len,
                            terminal_data);
}
