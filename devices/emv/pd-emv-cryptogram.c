#include <string.h>

#include <openssl/evp.h>

#include "pd-emv-cryptogram.h"

/* One DES-EDE block operation. Single DES is EDE with K1 = K2 = K3. */
static void
des_block (const guint8 key24[24],
           gboolean     encrypt,
           const guint8 in[8],
           guint8       out[8])
{
  EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new ();
  int length = 0;

  g_assert (ctx != NULL);
  if (EVP_CipherInit_ex (ctx, EVP_des_ede3_ecb (), NULL, key24, NULL, encrypt ? 1 : 0) != 1 ||
      EVP_CIPHER_CTX_set_padding (ctx, 0) != 1 ||
      EVP_CipherUpdate (ctx, out, &length, in, 8) != 1 || length != 8)
    g_error ("training core: the DES cipher failed");
  EVP_CIPHER_CTX_free (ctx);
}

static void
single_des (const guint8 key[8],
            gboolean     encrypt,
            const guint8 in[8],
            guint8       out[8])
{
  guint8 key24[24];

  memcpy (key24, key, 8);
  memcpy (key24 + 8, key, 8);
  memcpy (key24 + 16, key, 8);
  des_block (key24, encrypt, in, out);
}

static void
triple_des_encrypt (const guint8 key[PD_DES_KEY_BYTES],
                    const guint8 in[8],
                    guint8       out[8])
{
  guint8 key24[24];

  memcpy (key24, key, 16);
  memcpy (key24 + 16, key, 8);
  des_block (key24, TRUE, in, out);
}

static void
set_odd_parity (guint8 *key,
                gsize   length)
{
  for (gsize i = 0; i < length; i++)
    if (__builtin_parity (key[i]) == 0)
      key[i] ^= 0x01;
}

/* Option A: Y is the rightmost 16 digits of PAN || PSN, packed as BCD. */
void
pd_cryptogram_derive_icc_master_key (const guint8  issuer_master_key[PD_DES_KEY_BYTES],
                                     const char   *pan,
                                     const char   *psn,
                                     guint8        icc_master_key[PD_DES_KEY_BYTES])
{
  g_autofree char *digits = g_strconcat (pan, psn != NULL ? psn : "00", NULL);
  gsize length = strlen (digits);
  char rightmost[17];
  guint8 y[8];
  guint8 y_inverted[8];

  memset (rightmost, '0', 16);
  rightmost[16] = '\0';
  if (length >= 16)
    memcpy (rightmost, digits + length - 16, 16);
  else
    memcpy (rightmost + 16 - length, digits, length);

  for (int i = 0; i < 8; i++)
    {
      y[i] = (guint8) ((rightmost[2 * i] - '0') << 4 | (rightmost[2 * i + 1] - '0'));
      y_inverted[i] = y[i] ^ 0xff;
    }

  triple_des_encrypt (issuer_master_key, y, icc_master_key);
  triple_des_encrypt (issuer_master_key, y_inverted, icc_master_key + 8);
  set_odd_parity (icc_master_key, PD_DES_KEY_BYTES);
}

/* EMV common session key: byte 2 of R becomes F0 for the left half, 0F for the right. */
void
pd_cryptogram_derive_session_key (const guint8  master_key[PD_DES_KEY_BYTES],
                                  const guint8  diversification[8],
                                  guint8        session_key[PD_DES_KEY_BYTES])
{
  guint8 f1[8];
  guint8 f2[8];

  memcpy (f1, diversification, 8);
  memcpy (f2, diversification, 8);
  f1[2] = 0xf0;
  f2[2] = 0x0f;
  triple_des_encrypt (master_key, f1, session_key);
  triple_des_encrypt (master_key, f2, session_key + 8);
  set_odd_parity (session_key, PD_DES_KEY_BYTES);
}

/* ISO 9797-1 MAC algorithm 3: single-DES CBC with the left key, then decrypt with the right
 * key and encrypt with the left one. */
void
pd_cryptogram_mac (const guint8  key[PD_DES_KEY_BYTES],
                   const guint8 *data,
                   gsize         length,
                   PdMacPadding  padding,
                   guint8        mac[8])
{
  gsize padded_length = padding == PD_MAC_PADDING_80 ? (length / 8 + 1) * 8
                                                     : MAX ((length + 7) / 8, 1) * 8;
  g_autofree guint8 *padded = g_malloc0 (padded_length);
  guint8 chain[8] = { 0 };
  guint8 block[8];

  memcpy (padded, data, length);
  if (padding == PD_MAC_PADDING_80)
    padded[length] = 0x80;

  for (gsize at = 0; at < padded_length; at += 8)
    {
      for (int i = 0; i < 8; i++)
        block[i] = chain[i] ^ padded[at + i];
      single_des (key, TRUE, block, chain);
    }

  single_des (key + 8, FALSE, chain, block);
  single_des (key, TRUE, block, mac);
}

void
pd_cryptogram_check_value (const guint8 key[PD_DES_KEY_BYTES],
                           guint8       check_value[3])
{
  static const guint8 zeros[8] = { 0 };
  guint8 encrypted[8];

  triple_des_encrypt (key, zeros, encrypted);
  memcpy (check_value, encrypted, 3);
}

gboolean
pd_cryptogram_arqc (PdCvn         cvn,
                    const guint8  icc_master_key[PD_DES_KEY_BYTES],
                    const guint8 *transaction_data,
                    gsize         transaction_length,
                    const guint8 *iad,
                    gsize         iad_length,
                    const guint8  atc[2],
                    const guint8  unpredictable_number[4],
                    guint8        arqc[PD_AC_BYTES])
{
  g_autoptr(GByteArray) data = g_byte_array_new ();
  guint8 session_key[PD_DES_KEY_BYTES];
  guint8 diversification[8] = { 0 };

  g_byte_array_append (data, transaction_data, (guint) transaction_length);

  switch (cvn)
    {
    case PD_CVN_VISA_10:
      /* The master key itself; the CVR (with its length byte) from IAD bytes 4 to 7. */
      if (iad_length < 7)
        return FALSE;
      g_byte_array_append (data, iad + 3, 4);
      pd_cryptogram_mac (icc_master_key, data->data, data->len, PD_MAC_PADDING_ZEROS, arqc);
      return TRUE;

    case PD_CVN_VISA_18:
      memcpy (diversification, atc, 2);
      pd_cryptogram_derive_session_key (icc_master_key, diversification, session_key);
      g_byte_array_append (data, iad, (guint) iad_length);
      pd_cryptogram_mac (session_key, data->data, data->len, PD_MAC_PADDING_80, arqc);
      return TRUE;

    case PD_CVN_MASTERCARD_16:
      /* Mastercard's session key: R = ATC || 00 00 || unpredictable number; the 6-byte
       * CVR from IAD bytes 3 to 8. */
      if (iad_length < 8)
        return FALSE;
      memcpy (diversification, atc, 2);
      memcpy (diversification + 4, unpredictable_number, 4);
      pd_cryptogram_derive_session_key (icc_master_key, diversification, session_key);
      g_byte_array_append (data, iad + 2, 6);
      pd_cryptogram_mac (session_key, data->data, data->len, PD_MAC_PADDING_80, arqc);
      return TRUE;

    default:
      return FALSE;
    }
}

gsize
pd_cryptogram_issuer_authentication (PdCvn         cvn,
                                     const guint8  icc_master_key[PD_DES_KEY_BYTES],
                                     const guint8  arqc[PD_AC_BYTES],
                                     const guint8  atc[2],
                                     const guint8  arc[2],
                                     guint8        out[10])
{
  guint8 block[8] = { 0 };

  if (cvn == PD_CVN_VISA_18)
    {
      guint8 session_key[PD_DES_KEY_BYTES];
      guint8 diversification[8] = { 0 };
      guint8 message[12];
      guint8 mac[8];
      /* A card status update that changes nothing on the card. */
      const guint8 csu[4] = { 0x00, 0x00, 0x00, 0x00 };

      memcpy (diversification, atc, 2);
      pd_cryptogram_derive_session_key (icc_master_key, diversification, session_key);
      memcpy (message, arqc, 8);
      memcpy (message + 8, csu, 4);
      pd_cryptogram_mac (session_key, message, sizeof message, PD_MAC_PADDING_80, mac);
      memcpy (out, mac, 4);
      memcpy (out + 4, csu, 4);
      return 8;
    }

  /* Method 1, with the master key for Visa CVN 10 and Mastercard CVN 16. */
  memcpy (block, arc, 2);
  for (int i = 0; i < 8; i++)
    block[i] ^= arqc[i];
  triple_des_encrypt (icc_master_key, block, out);
  memcpy (out + 8, arc, 2);
  return 10;
}
