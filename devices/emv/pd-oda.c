#include <string.h>

#include <openssl/bn.h>
#include <openssl/crypto.h>

#include "pd-oda.h"

G_DEFINE_QUARK (pd-oda-error-quark, pd_oda_error)

/* Every signature recovers to a header byte, its data, a SHA-1 hash and a trailer byte
 * (Book 2 Annex A2.1). */
#define HEADER        0x6a
#define TRAILER       0xbc
#define HASH_BYTES    20
#define SHA1          0x01
#define RSA_ALGORITHM 0x01

enum {
  FORMAT_ISSUER_CERTIFICATE = 0x02,
  FORMAT_SIGNED_STATIC      = 0x03,
  FORMAT_ICC_CERTIFICATE    = 0x04,
  FORMAT_SIGNED_DYNAMIC     = 0x05,
};

#define ISSUER_IDENTIFIER_BYTES 4
#define PAN_BYTES               10
#define MAX_PAN_DIGITS          (PAN_BYTES * 2)
#define AC_BYTES                8
#define UNPREDICTABLE_NUMBER_BYTES 4

/* Signed dynamic application data: format, hash algorithm and the dynamic data length
 * before the dynamic data; the fixed part with header, hash and trailer is 25 bytes. */
#define DYNAMIC_DATA_AT       4
#define DYNAMIC_FIXED_BYTES   25

struct _PdOdaKey {
  GBytes *modulus;
  GBytes *exponent;
};

/* What a signature recovers to. A certificate carries the PAN, so this is wiped when freed. */
typedef struct {
  guint8 *data;
  gsize length;
} Recovered;

static void
recovered_free (Recovered *recovered)
{
  if (recovered == NULL)
    return;

  OPENSSL_cleanse (recovered->data, recovered->length);
  g_free (recovered->data);
  g_free (recovered);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Recovered, recovered_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BIGNUM, BN_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BN_CTX, BN_CTX_free)

void
pd_oda_key_free (PdOdaKey *key)
{
  if (key == NULL)
    return;

  g_clear_pointer (&key->modulus, g_bytes_unref);
  g_clear_pointer (&key->exponent, g_bytes_unref);
  g_free (key);
}

static BIGNUM *
bytes_to_bignum (GBytes *bytes)
{
  gsize length = 0;
  const guint8 *data = g_bytes_get_data (bytes, &length);

  return BN_bin2bn (data, (int) length, NULL);
}

/* The raw RSA public operation, s^e mod n, as EMV recovers its signatures: no padding
 * scheme, the recovered data carries its own format. */
static Recovered *
recover (const PdOdaKey  *key,
         GBytes          *signature,
         const char      *what,
         GError         **error)
{
  gsize length = g_bytes_get_size (key->modulus);
  g_autoptr(BIGNUM) modulus = bytes_to_bignum (key->modulus);
  g_autoptr(BIGNUM) exponent = bytes_to_bignum (key->exponent);
  g_autoptr(BIGNUM) signed_value = bytes_to_bignum (signature);
  g_autoptr(BIGNUM) message = BN_new ();
  g_autoptr(BN_CTX) ctx = BN_CTX_new ();
  g_autoptr(Recovered) recovered = NULL;

  /* Step 1 of every verification: the signature is exactly as long as the key. */
  if (g_bytes_get_size (signature) != length)
    {
      g_set_error (error, PD_ODA_ERROR, PD_ODA_ERROR_FAILED,
                   "the %s is %" G_GSIZE_FORMAT " bytes long, its key's modulus %"
                   G_GSIZE_FORMAT, what, g_bytes_get_size (signature), length);
      return NULL;
    }

  if (modulus == NULL || exponent == NULL || signed_value == NULL || message == NULL ||
      ctx == NULL)
    g_error ("offline data authentication: out of memory");

  if (BN_is_zero (modulus) || BN_cmp (signed_value, modulus) >= 0)
    {
      g_set_error (error, PD_ODA_ERROR, PD_ODA_ERROR_FAILED,
                   "the %s is not a value below its key's modulus", what);
      return NULL;
    }

  recovered = g_new0 (Recovered, 1);
  recovered->data = g_malloc (length);
  recovered->length = length;
  if (BN_mod_exp (message, signed_value, exponent, modulus, ctx) != 1 ||
      BN_bn2binpad (message, recovered->data, (int) length) != (int) length)
    {
      g_set_error (error, PD_ODA_ERROR, PD_ODA_ERROR_FAILED,
                   "the RSA operation on the %s failed", what);
      return NULL;
    }

  return g_steal_pointer (&recovered);
}

/* Steps 2 to 4 of every verification (Book 2 sections 5.3, 5.4, 6.3, 6.5.2, 6.6.2):
 * trailer, header, then the format the data must have. */
static gboolean
check_frame (const Recovered  *recovered,
             guint8            format,
             gsize             min_length,
             const char       *what,
             GError          **error)
{
  const guint8 *data = recovered->data;

  if (recovered->length < min_length)
    {
      g_set_error (error, PD_ODA_ERROR, PD_ODA_ERROR_FAILED,
                   "the %s is too short (%" G_GSIZE_FORMAT " bytes) for its format",
                   what, recovered->length);
      return FALSE;
    }
  if (data[recovered->length - 1] != TRAILER || data[0] != HEADER)
    {
      g_set_error (error, PD_ODA_ERROR, PD_ODA_ERROR_FAILED,
                   "the %s does not recover with the key: wrong header or trailer "
                   "(a tampered signature or the wrong key)", what);
      return FALSE;
    }
  if (data[1] != format)
    {
      g_set_error (error, PD_ODA_ERROR, PD_ODA_ERROR_FAILED,
                   "the %s has format %02X, %02X was expected", what, data[1], format);
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_hash_algorithm (guint8       indicator,
                      const char  *what,
                      GError     **error)
{
  if (indicator == SHA1)
    return TRUE;

  g_set_error (error, PD_ODA_ERROR, PD_ODA_ERROR_FAILED,
               "the %s names hash algorithm %02X; only SHA-1 (01) is known", what, indicator);
  return FALSE;
}

/* The hash every recovered block ends with covers its fields from the format byte up to
 * the hash, then data from outside the block (NULL parts are absent). */
static gboolean
check_hash (const Recovered  *recovered,
            GBytes           *first,
            GBytes           *second,
            GBytes           *third,
            const char       *what,
            GError          **error)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA1);
  GBytes *parts[] = { first, second, third };
  gsize hash_at = recovered->length - HASH_BYTES - 1;
  guint8 digest[HASH_BYTES];
  gsize digest_length = sizeof digest;

  g_checksum_update (checksum, recovered->data + 1, (gssize) (hash_at - 1));
  for (gsize i = 0; i < G_N_ELEMENTS (parts); i++)
    if (parts[i] != NULL)
      g_checksum_update (checksum, g_bytes_get_data (parts[i], NULL),
                         (gssize) g_bytes_get_size (parts[i]));
  g_checksum_get_digest (checksum, digest, &digest_length);

  if (memcmp (digest, recovered->data + hash_at, HASH_BYTES) == 0)
    return TRUE;

  g_set_error (error, PD_ODA_ERROR, PD_ODA_ERROR_FAILED,
               "the hash in the %s does not match the data it signs", what);
  return FALSE;
}

/* The card's data for tag, as a new reference; an absent or empty object is "ICC data
 * missing". */
static GBytes *
require (PdDolLookup   card,
         gpointer      card_data,
         guint32       tag,
         const char   *name,
         GError      **error)
{
  g_autoptr(GBytes) value = card (tag, card_data);

  if (value == NULL || g_bytes_get_size (value) == 0)
    {
      g_set_error (error, PD_ODA_ERROR, PD_ODA_ERROR_MISSING_DATA,
                   "the card did not give the %s (tag %X)", name, tag);
      return NULL;
    }

  return g_steal_pointer (&value);
}

/* Compressed numeric digits, up to the first F; after it, nothing but F may follow. */
static gboolean
read_compressed_numeric (const guint8 *bytes,
                         gsize         length,
                         guint8        digits[MAX_PAN_DIGITS],
                         gsize        *n_digits)
{
  gboolean padding = FALSE;

  *n_digits = 0;
  for (gsize i = 0; i < length * 2 && i < MAX_PAN_DIGITS; i++)
    {
      guint8 nibble = i % 2 == 0 ? bytes[i / 2] >> 4 : bytes[i / 2] & 0x0f;

      if (nibble == 0x0f)
        padding = TRUE;
      else if (padding || nibble > 9)
        return FALSE;
      else
        digits[(*n_digits)++] = nibble;
    }

  return length <= PAN_BYTES;
}

/* The PAN as its digits. The caller wipes them. */
static gboolean
read_pan (GBytes   *pan,
          guint8    digits[MAX_PAN_DIGITS],
          gsize    *n_digits,
          GError  **error)
{
  gsize length = 0;
  const guint8 *bytes = g_bytes_get_data (pan, &length);

  if (read_compressed_numeric (bytes, length, digits, n_digits) && *n_digits > 0)
    return TRUE;

  g_set_error (error, PD_ODA_ERROR, PD_ODA_ERROR_FAILED,
               "the application PAN (5A) is not compressed numeric of at most 10 bytes");
  return FALSE;
}

static gboolean
read_bcd_byte (guint8  byte,
               guint  *value)
{
  if (byte >> 4 > 9 || (byte & 0x0f) > 9)
    return FALSE;
  *value = (byte >> 4) * 10 + (byte & 0x0f);
  return TRUE;
}

/* A certificate is valid up to the last day of its expiry month (Book 2 sections 5.3 and
 * 6.3, step 9); two-digit years below 50 are 20YY (Book 4 section 6.7.3). */
static gboolean
check_not_expired (const guint8   mmyy[2],
                   GDate         *today,
                   const char    *what,
                   GError       **error)
{
  guint month;
  guint yy;
  guint year;

  if (!read_bcd_byte (mmyy[0], &month) || !read_bcd_byte (mmyy[1], &yy) ||
      month < 1 || month > 12)
    {
      g_set_error (error, PD_ODA_ERROR, PD_ODA_ERROR_FAILED,
                   "the %s has an invalid expiry date %02X%02X", what, mmyy[0], mmyy[1]);
      return FALSE;
    }

  year = yy < 50 ? 2000 + yy : 1900 + yy;
  if ((guint) g_date_get_year (today) * 12 + g_date_get_month (today) <= year * 12 + month)
    return TRUE;

  g_set_error (error, PD_ODA_ERROR, PD_ODA_ERROR_FAILED,
               "the %s expired at the end of %02u/%u", what, month, year);
  return FALSE;
}

/* The fixed fields of an issuer (Book 2 table 6) or ICC (table 14) public key certificate:
 * they differ in the format and the identifier's length (issuer identifier or PAN). */
typedef struct {
  guint8 format;
  gsize identifier_length;
  const char *name;
  guint32 remainder_tag;
} CertificateKind;

static const CertificateKind issuer_certificate = {
  FORMAT_ISSUER_CERTIFICATE, ISSUER_IDENTIFIER_BYTES, "issuer public key certificate", 0x92,
};

static const CertificateKind icc_certificate = {
  FORMAT_ICC_CERTIFICATE, PAN_BYTES, "ICC public key certificate", 0x9f48,
};

typedef struct {
  const guint8 *identifier;
  const guint8 *expiry;
  guint8 hash_algorithm;
  guint8 key_algorithm;
  gsize key_length;
  const guint8 *key_field;
  gsize key_field_length;
} CertificateFields;

static void
read_certificate_fields (const Recovered       *recovered,
                         const CertificateKind *kind,
                         CertificateFields     *fields)
{
  const guint8 *at = recovered->data + 2;

  fields->identifier = at;
  at += kind->identifier_length;
  fields->expiry = at;
  at += 2 + 3;  /* expiry, serial number */
  fields->hash_algorithm = *at++;
  fields->key_algorithm = *at++;
  fields->key_length = *at++;
  at++;         /* the exponent length: 9F32 or 9F47 is the exponent itself */
  fields->key_field = at;
  fields->key_field_length = recovered->length - HASH_BYTES - 1 - (gsize) (at - recovered->data);
}

/* When the key is longer than the room the certificate has for it, its rightmost bytes
 * come in a remainder object of exactly the missing length. */
static gboolean
check_remainder (const CertificateKind    *kind,
                 const CertificateFields  *fields,
                 GBytes                   *remainder,
                 GError                  **error)
{
  gsize missing;

  if (fields->key_length <= fields->key_field_length)
    return TRUE;

  missing = fields->key_length - fields->key_field_length;
  if (remainder == NULL || g_bytes_get_size (remainder) == 0)
    {
      g_set_error (error, PD_ODA_ERROR, PD_ODA_ERROR_MISSING_DATA,
                   "the card did not give the remainder (tag %X) its %s needs",
                   kind->remainder_tag, kind->name);
      return FALSE;
    }
  if (g_bytes_get_size (remainder) != missing)
    {
      g_set_error (error, PD_ODA_ERROR, PD_ODA_ERROR_FAILED,
                   "the remainder (tag %X) is %" G_GSIZE_FORMAT " bytes, the %s leaves %"
                   G_GSIZE_FORMAT, kind->remainder_tag, g_bytes_get_size (remainder),
                   kind->name, missing);
      return FALSE;
    }

  return TRUE;
}

/* Steps 1 to 7 of Book 2 sections 5.3 and 6.4: the certificate recovered with the signing
 * key, framed, and its hash checked over the fields, the remainder (when present), the
 * exponent and, for an ICC certificate, the static data. */
static Recovered *
recover_certificate (const CertificateKind  *kind,
                     const PdOdaKey         *signing_key,
                     GBytes                 *certificate,
                     GBytes                 *remainder,
                     GBytes                 *exponent,
                     GBytes                 *static_data,
                     CertificateFields      *fields,
                     GError                **error)
{
  g_autoptr(Recovered) recovered = recover (signing_key, certificate, kind->name, error);

  if (recovered == NULL ||
      !check_frame (recovered, kind->format, 2 + kind->identifier_length + 9 + 1 + 21,
                    kind->name, error))
    return NULL;

  read_certificate_fields (recovered, kind, fields);
  if (!check_hash_algorithm (fields->hash_algorithm, kind->name, error) ||
      !check_remainder (kind, fields, remainder, error) ||
      !check_hash (recovered, remainder, exponent, static_data, kind->name, error))
    return NULL;

  if (fields->key_length == 0)
    {
      g_set_error (error, PD_ODA_ERROR, PD_ODA_ERROR_FAILED,
                   "the %s holds a key of length 0", kind->name);
      return NULL;
    }

  return g_steal_pointer (&recovered);
}

static gboolean
check_key_algorithm (const CertificateKind    *kind,
                     const CertificateFields  *fields,
                     GError                  **error)
{
  if (fields->key_algorithm == RSA_ALGORITHM)
    return TRUE;

  g_set_error (error, PD_ODA_ERROR, PD_ODA_ERROR_FAILED,
               "the %s names public key algorithm %02X; only RSA (01) is known",
               kind->name, fields->key_algorithm);
  return FALSE;
}

/* The modulus is the certificate's leftmost digits (without the BB padding) then the
 * remainder. */
static PdOdaKey *
key_from_certificate (const CertificateFields *fields,
                      GBytes                  *remainder,
                      GBytes                  *exponent)
{
  GByteArray *modulus = g_byte_array_sized_new ((guint) fields->key_length);
  PdOdaKey *key = g_new0 (PdOdaKey, 1);

  g_byte_array_append (modulus, fields->key_field,
                       (guint) MIN (fields->key_length, fields->key_field_length));
  if (fields->key_length > fields->key_field_length)
    g_byte_array_append (modulus, g_bytes_get_data (remainder, NULL),
                         (guint) g_bytes_get_size (remainder));

  key->modulus = g_byte_array_free_to_bytes (modulus);
  key->exponent = g_bytes_ref (exponent);
  return key;
}

/* Step 8 of section 5.3: the issuer identifier is the leftmost 3 to 8 PAN digits, padded
 * with F. */
static gboolean
check_issuer_identifier (const guint8   identifier[ISSUER_IDENTIFIER_BYTES],
                         const guint8  *pan_digits,
                         gsize          n_pan_digits,
                         GError       **error)
{
  guint8 digits[MAX_PAN_DIGITS];
  gsize n_digits = 0;
  gboolean matches;

  matches = read_compressed_numeric (identifier, ISSUER_IDENTIFIER_BYTES, digits, &n_digits) &&
            n_digits >= 3 && n_digits <= n_pan_digits &&
            memcmp (digits, pan_digits, n_digits) == 0;
  OPENSSL_cleanse (digits, sizeof digits);

  if (!matches)
    g_set_error (error, PD_ODA_ERROR, PD_ODA_ERROR_FAILED,
                 "the issuer identifier in the issuer public key certificate is not the "
                 "leftmost digits of the card's PAN");
  return matches;
}

/* Step 8 of section 6.4: the certificate's PAN is the whole application PAN. */
static gboolean
check_certificate_pan (const guint8   certificate_pan[PAN_BYTES],
                       const guint8  *pan_digits,
                       gsize          n_pan_digits,
                       GError       **error)
{
  guint8 digits[MAX_PAN_DIGITS];
  gsize n_digits = 0;
  gboolean matches;

  matches = read_compressed_numeric (certificate_pan, PAN_BYTES, digits, &n_digits) &&
            n_digits == n_pan_digits &&
            memcmp (digits, pan_digits, n_digits) == 0;
  OPENSSL_cleanse (digits, sizeof digits);

  if (!matches)
    g_set_error (error, PD_ODA_ERROR, PD_ODA_ERROR_FAILED,
                 "the PAN in the ICC public key certificate is not the card's PAN");
  return matches;
}

/* Checks the certificate's identifier against the card's PAN (5A). */
static gboolean
check_identifier (const CertificateKind    *kind,
                  const CertificateFields  *fields,
                  GBytes                   *pan,
                  GError                  **error)
{
  guint8 pan_digits[MAX_PAN_DIGITS];
  gsize n_pan_digits = 0;
  gboolean matches;

  if (!read_pan (pan, pan_digits, &n_pan_digits, error))
    return FALSE;

  if (kind->format == FORMAT_ISSUER_CERTIFICATE)
    matches = check_issuer_identifier (fields->identifier, pan_digits, n_pan_digits, error);
  else
    matches = check_certificate_pan (fields->identifier, pan_digits, n_pan_digits, error);

  OPENSSL_cleanse (pan_digits, sizeof pan_digits);
  return matches;
}

/* The whole of a public key certificate's verification, once its data objects are at
 * hand. */
static PdOdaKey *
verify_certificate (const CertificateKind  *kind,
                    const PdOdaKey         *signing_key,
                    GBytes                 *certificate,
                    GBytes                 *remainder,
                    GBytes                 *exponent,
                    GBytes                 *static_data,
                    GBytes                 *pan,
                    GDate                  *today,
                    GError                **error)
{
  CertificateFields fields = { 0 };
  g_autoptr(Recovered) recovered = recover_certificate (kind, signing_key, certificate,
                                                        remainder, exponent, static_data,
                                                        &fields, error);

  if (recovered == NULL ||
      !check_identifier (kind, &fields, pan, error) ||
      !check_not_expired (fields.expiry, today, kind->name, error) ||
      !check_key_algorithm (kind, &fields, error))
    return NULL;

  return key_from_certificate (&fields, remainder, exponent);
}

PdOdaKey *
pd_oda_recover_issuer_key (const PdCapk  *capk,
                           PdDolLookup    card,
                           gpointer       card_data,
                           GDate         *today,
                           GError       **error)
{
  g_autoptr(GBytes) capk_index = NULL;
  g_autoptr(GBytes) certificate = NULL;
  g_autoptr(GBytes) exponent = NULL;
  g_autoptr(GBytes) pan = NULL;
  g_autoptr(GBytes) remainder = NULL;
  PdOdaKey ca_key;

  g_return_val_if_fail (card != NULL, NULL);
  g_return_val_if_fail (today != NULL && g_date_valid (today), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if ((capk_index = require (card, card_data, 0x8f, "CA public key index", error)) == NULL ||
      (certificate = require (card, card_data, 0x90, "issuer public key certificate",
                              error)) == NULL ||
      (exponent = require (card, card_data, 0x9f32, "issuer public key exponent",
                           error)) == NULL ||
      (pan = require (card, card_data, 0x5a, "application PAN", error)) == NULL)
    return NULL;
  remainder = card (0x92, card_data);

  if (capk == NULL || g_bytes_get_size (capk_index) != 1 ||
      capk->index != *(const guint8 *) g_bytes_get_data (capk_index, NULL))
    {
      g_set_error (error, PD_ODA_ERROR, PD_ODA_ERROR_NO_CAPK,
                   "the terminal has no CA public key of index %02X (tag 8F) for this card",
                   *(const guint8 *) g_bytes_get_data (capk_index, NULL));
      return NULL;
    }

  ca_key.modulus = capk->modulus;
  ca_key.exponent = capk->exponent;
  return verify_certificate (&issuer_certificate, &ca_key, certificate, remainder, exponent,
                             NULL, pan, today, error);
}

PdOdaKey *
pd_oda_recover_icc_key (const PdOdaKey  *issuer_key,
                        PdDolLookup      card,
                        gpointer         card_data,
                        GBytes          *static_data,
                        GDate           *today,
                        GError         **error)
{
  g_autoptr(GBytes) certificate = NULL;
  g_autoptr(GBytes) exponent = NULL;
  g_autoptr(GBytes) pan = NULL;
  g_autoptr(GBytes) remainder = NULL;

  g_return_val_if_fail (issuer_key != NULL, NULL);
  g_return_val_if_fail (card != NULL, NULL);
  g_return_val_if_fail (static_data != NULL, NULL);
  g_return_val_if_fail (today != NULL && g_date_valid (today), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if ((certificate = require (card, card_data, 0x9f46, "ICC public key certificate",
                              error)) == NULL ||
      (exponent = require (card, card_data, 0x9f47, "ICC public key exponent",
                           error)) == NULL ||
      (pan = require (card, card_data, 0x5a, "application PAN", error)) == NULL)
    return NULL;
  remainder = card (0x9f48, card_data);

  return verify_certificate (&icc_certificate, issuer_key, certificate, remainder, exponent,
                             static_data, pan, today, error);
}

/* Book 2 section 5.4: format 03, then the data authentication code and BB padding. */
gboolean
pd_oda_verify_sda (const PdOdaKey  *issuer_key,
                   PdDolLookup      card,
                   gpointer         card_data,
                   GBytes          *static_data,
                   guint8           data_authentication_code[2],
                   GError         **error)
{
  static const char what[] = "signed static application data";
  g_autoptr(GBytes) signed_data = NULL;
  g_autoptr(Recovered) recovered = NULL;

  g_return_val_if_fail (issuer_key != NULL, FALSE);
  g_return_val_if_fail (card != NULL, FALSE);
  g_return_val_if_fail (static_data != NULL, FALSE);
  g_return_val_if_fail (data_authentication_code != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  signed_data = require (card, card_data, 0x93, what, error);
  if (signed_data == NULL)
    return FALSE;

  recovered = recover (issuer_key, signed_data, what, error);
  if (recovered == NULL ||
      !check_frame (recovered, FORMAT_SIGNED_STATIC, 5 + HASH_BYTES + 1, what, error) ||
      !check_hash_algorithm (recovered->data[2], what, error) ||
      !check_hash (recovered, static_data, NULL, NULL, what, error))
    return FALSE;

  memcpy (data_authentication_code, recovered->data + 3, 2);
  return TRUE;
}

static const char signed_dynamic_name[] = "signed dynamic application data";

/* Book 2 table 17, shared by DDA and CDA: format 05, the ICC dynamic data with its length,
 * then BB padding. Returns the block, its hash not yet checked (the caller does, when the
 * section it follows says); dynamic_data points into it. */
static Recovered *
recover_dynamic_signature (const PdOdaKey  *icc_key,
                           GBytes          *signed_dynamic_data,
                           const guint8   **dynamic_data,
                           gsize           *dynamic_length,
                           GError         **error)
{
  const char *what = signed_dynamic_name;
  g_autoptr(Recovered) recovered = recover (icc_key, signed_dynamic_data, what, error);

  if (recovered == NULL ||
      !check_frame (recovered, FORMAT_SIGNED_DYNAMIC, DYNAMIC_FIXED_BYTES, what, error) ||
      !check_hash_algorithm (recovered->data[2], what, error))
    return NULL;

  *dynamic_length = recovered->data[3];
  if (*dynamic_length > recovered->length - DYNAMIC_FIXED_BYTES)
    {
      g_set_error (error, PD_ODA_ERROR, PD_ODA_ERROR_FAILED,
                   "the %s says %" G_GSIZE_FORMAT " bytes of dynamic data, it has room "
                   "for %" G_GSIZE_FORMAT, what, *dynamic_length,
                   recovered->length - DYNAMIC_FIXED_BYTES);
      return NULL;
    }

  *dynamic_data = recovered->data + DYNAMIC_DATA_AT;
  return g_steal_pointer (&recovered);
}

/* The ICC dynamic data starts with the ICC dynamic number, 2 to 8 bytes after its length
 * (Book 2 table 16). */
static gboolean
read_dynamic_number (const guint8  *dynamic_data,
                     gsize          dynamic_length,
                     gsize         *number_length,
                     GError       **error)
{
  if (dynamic_length >= 1)
    {
      *number_length = dynamic_data[0];
      if (*number_length >= 2 && *number_length <= 8 && *number_length < dynamic_length)
        return TRUE;
    }

  g_set_error (error, PD_ODA_ERROR, PD_ODA_ERROR_FAILED,
               "the ICC dynamic data does not start with an ICC dynamic number of 2 to 8 "
               "bytes");
  return FALSE;
}

GBytes *
pd_oda_verify_dda (const PdOdaKey  *icc_key,
                   GBytes          *signed_dynamic_data,
                   GBytes          *ddol_data,
                   GError         **error)
{
  g_autoptr(Recovered) recovered = NULL;
  const guint8 *dynamic_data = NULL;
  gsize dynamic_length = 0;
  gsize number_length = 0;

  g_return_val_if_fail (icc_key != NULL, NULL);
  g_return_val_if_fail (ddol_data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (signed_dynamic_data == NULL || g_bytes_get_size (signed_dynamic_data) == 0)
    {
      g_set_error (error, PD_ODA_ERROR, PD_ODA_ERROR_MISSING_DATA,
                   "the card did not give the signed dynamic application data (tag 9F4B)");
      return NULL;
    }

  /* Book 2 section 6.5.2: the hash covers the DDOL data the terminal sent. */
  recovered = recover_dynamic_signature (icc_key, signed_dynamic_data, &dynamic_data,
                                         &dynamic_length, error);
  if (recovered == NULL ||
      !check_hash (recovered, ddol_data, NULL, NULL, signed_dynamic_name, error) ||
      !read_dynamic_number (dynamic_data, dynamic_length, &number_length, error))
    return NULL;

  return g_bytes_new (dynamic_data + 1, number_length);
}

/* A cryptogram the card also sends in the clear (9F26, which most CDA responses leave out)
 * must be the one it signed. */
static gboolean
check_plain_cryptogram (GBytes        *genac_data,
                        const guint8   signed_cryptogram[AC_BYTES],
                        GError       **error)
{
  gsize length = 0;
  const guint8 *data = g_bytes_get_data (genac_data, &length);
  g_autoptr(GPtrArray) objects = NULL;
  g_autoptr(GError) tlv_error = NULL;
  const PdTlv *cryptogram;

  if (length == 0)
    return TRUE;

  objects = pd_tlv_parse (data, length, &tlv_error);
  if (objects == NULL)
    {
      g_set_error (error, PD_ODA_ERROR, PD_ODA_ERROR_FAILED,
                   "the GENERATE AC response data is not TLV: %s", tlv_error->message);
      return FALSE;
    }

  cryptogram = pd_tlv_find (objects, 0x9f26);
  if (cryptogram == NULL ||
      (g_bytes_get_size (cryptogram->value) == AC_BYTES &&
       memcmp (g_bytes_get_data (cryptogram->value, NULL), signed_cryptogram, AC_BYTES) == 0))
    return TRUE;

  g_set_error (error, PD_ODA_ERROR, PD_ODA_ERROR_FAILED,
               "the application cryptogram (9F26) is not the one the card signed");
  return FALSE;
}

/* Step 9 of section 6.6.2: the transaction data hash code covers the PDOL data, the CDOL
 * data and the response's objects other than 9F4B. */
static gboolean
check_transaction_data_hash (const guint8   expected[HASH_BYTES],
                             GBytes        *pdol_data,
                             GBytes        *cdol_data,
                             GBytes        *genac_data,
                             GError       **error)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA1);
  GBytes *parts[] = { pdol_data, cdol_data, genac_data };
  guint8 digest[HASH_BYTES];
  gsize digest_length = sizeof digest;

  for (gsize i = 0; i < G_N_ELEMENTS (parts); i++)
    g_checksum_update (checksum, g_bytes_get_data (parts[i], NULL),
                       (gssize) g_bytes_get_size (parts[i]));
  g_checksum_get_digest (checksum, digest, &digest_length);

  if (memcmp (digest, expected, HASH_BYTES) == 0)
    return TRUE;

  g_set_error (error, PD_ODA_ERROR, PD_ODA_ERROR_FAILED,
               "the transaction data hash code does not match what the terminal sent and "
               "the card answered");
  return FALSE;
}

/* Book 2 section 6.6.2. The ICC dynamic data (table 19) is the ICC dynamic number, the
 * cryptogram information data, the cryptogram and the transaction data hash code. */
GBytes *
pd_oda_verify_cda (const PdOdaKey  *icc_key,
                   GBytes          *signed_dynamic_data,
                   guint8           cid,
                   const guint8     unpredictable_number[4],
                   GBytes          *pdol_data,
                   GBytes          *cdol_data,
                   GBytes          *genac_data,
                   GError         **error)
{
  g_autoptr(GBytes) terminal_data = NULL;
  g_autoptr(Recovered) recovered = NULL;
  const guint8 *dynamic_data = NULL;
  const guint8 *signed_fields;
  gsize dynamic_length = 0;
  gsize number_length = 0;

  g_return_val_if_fail (icc_key != NULL, NULL);
  g_return_val_if_fail (unpredictable_number != NULL, NULL);
  g_return_val_if_fail (pdol_data != NULL, NULL);
  g_return_val_if_fail (cdol_data != NULL, NULL);
  g_return_val_if_fail (genac_data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (signed_dynamic_data == NULL || g_bytes_get_size (signed_dynamic_data) == 0)
    {
      g_set_error (error, PD_ODA_ERROR, PD_ODA_ERROR_MISSING_DATA,
                   "the GENERATE AC response has no signed dynamic application data "
                   "(tag 9F4B)");
      return NULL;
    }

  recovered = recover_dynamic_signature (icc_key, signed_dynamic_data, &dynamic_data,
                                         &dynamic_length, error);
  if (recovered == NULL ||
      !read_dynamic_number (dynamic_data, dynamic_length, &number_length, error))
    return NULL;

  if (dynamic_length < 1 + number_length + 1 + AC_BYTES + HASH_BYTES)
    {
      g_set_error (error, PD_ODA_ERROR, PD_ODA_ERROR_FAILED,
                   "the ICC dynamic data is too short for CDA (%" G_GSIZE_FORMAT " bytes)",
                   dynamic_length);
      return NULL;
    }

  signed_fields = dynamic_data + 1 + number_length;
  if (signed_fields[0] != cid)
    {
      g_set_error (error, PD_ODA_ERROR, PD_ODA_ERROR_FAILED,
                   "the card signed cryptogram information data %02X but answered %02X",
                   signed_fields[0], cid);
      return NULL;
    }

  /* Steps 6 to 8: the hash covers the unpredictable number the terminal sent, so a
   * signature replayed from another transaction fails here. */
  terminal_data = g_bytes_new (unpredictable_number, UNPREDICTABLE_NUMBER_BYTES);
  if (!check_hash (recovered, terminal_data, NULL, NULL, signed_dynamic_name, error))
    return NULL;

  if (!check_transaction_data_hash (signed_fields + 1 + AC_BYTES, pdol_data, cdol_data,
                                    genac_data, error) ||
      !check_plain_cryptogram (genac_data, signed_fields + 1, error))
    return NULL;

  return g_bytes_new (signed_fields + 1, AC_BYTES);
}
