#include <string.h>

#include "pd-card-cryptogram.h"

/* The verification results code a cryptogram type in two bits: 00 AAC, 01 TC, 10 ARQC
 * (for the second GENERATE AC, 10 is "not requested"). */
static guint8
type_bits (guint8 cid)
{
  switch (cid & PD_CID_TYPE_MASK)
    {
    case PD_CID_ARQC:
      return 2;
    case PD_CID_TC:
      return 1;
    default:
      return 0;
    }
}

static guint8
ac_types (const PdCardVerificationResults *results)
{
  guint8 second = results->second_done ? type_bits (results->second_cid) : 2;

  return (guint8) (second << 6 | type_bits (results->first_cid) << 4);
}

/* Visa (VIS): length 06, key index 01, the CVN, then the 4-byte CVR whose first byte is its
 * own length. */
static gsize
visa_iad (guint8                            cvn,
          const PdCardVerificationResults  *results,
          guint8                            iad[PD_IAD_MAX_BYTES])
{
  iad[0] = 0x06;
  iad[1] = 0x01;
  iad[2] = cvn;
  iad[3] = 0x03;
  iad[4] = ac_types (results) | (results->issuer_authentication_failed ? 0x08 : 0x00);
  iad[5] = 0x00;
  iad[6] = (guint8) (MIN (results->scripts, 15) << 4 | (results->dda_performed ? 0x02 : 0x00));
  if (cvn == 0x0a)
    return 7;

  /* Contactless cards add 15 bytes of issuer discretionary data, here all zero. */
  iad[7] = 0x0f;
  memset (iad + 8, 0, 15);
  return 23;
}

/* M/Chip: key derivation index, CVN 10 (hex), a 6-byte CVR, the DAC or ICC dynamic number,
 * and the card's counters. */
static gsize
mastercard_iad (const PdCardVerificationResults  *results,
                guint8                            iad[PD_IAD_MAX_BYTES])
{
  memset (iad, 0, 18);
  iad[0] = 0x01;
  iad[1] = 0x10;
  iad[2] = ac_types (results);
  iad[3] = (guint8) ((results->dda_performed ? 0x80 : 0x00) |
                     (results->cda_first ? 0x40 : 0x00) |
                     (results->cda_second ? 0x20 : 0x00));
  iad[5] = (guint8) (MIN (results->scripts, 15) << 4);
  iad[6] = results->issuer_authentication_failed ? 0x40 : 0x00;
  iad[17] = 0xff;
  return 18;
}

/* No scheme's format: a key index, a proprietary CVN and a VIS-like CVR. */
static gsize
generic_iad (const PdCardVerificationResults  *results,
             guint8                            iad[PD_IAD_MAX_BYTES])
{
  memset (iad, 0, 10);
  iad[0] = 0x01;
  iad[1] = 0x05;
  iad[2] = 0x03;
  iad[3] = ac_types (results) | (results->issuer_authentication_failed ? 0x08 : 0x00);
  iad[5] = (guint8) (MIN (results->scripts, 15) << 4);
  return 10;
}

gsize
pd_card_cryptogram_build_iad (PdCardCryptogram                  kind,
                              const PdCardVerificationResults  *results,
                              guint8                            iad[PD_IAD_MAX_BYTES])
{
  g_return_val_if_fail (results != NULL, 0);
  g_return_val_if_fail (iad != NULL, 0);

  switch (kind)
    {
    case PD_CARD_CRYPTOGRAM_VISA_CVN10:
      return visa_iad (0x0a, results, iad);
    case PD_CARD_CRYPTOGRAM_VISA_CVN18:
      return visa_iad (0x12, results, iad);
    case PD_CARD_CRYPTOGRAM_MASTERCARD_CVN16:
      return mastercard_iad (results, iad);
    case PD_CARD_CRYPTOGRAM_GENERIC:
    default:
      return generic_iad (results, iad);
    }
}

static gboolean
core_cvn (PdCardCryptogram  kind,
          PdCvn            *cvn)
{
  switch (kind)
    {
    case PD_CARD_CRYPTOGRAM_VISA_CVN10:
      return *cvn = PD_CVN_VISA_10, TRUE;
    case PD_CARD_CRYPTOGRAM_VISA_CVN18:
      return *cvn = PD_CVN_VISA_18, TRUE;
    case PD_CARD_CRYPTOGRAM_MASTERCARD_CVN16:
      return *cvn = PD_CVN_MASTERCARD_16, TRUE;
    case PD_CARD_CRYPTOGRAM_GENERIC:
    default:
      return FALSE;
    }
}

void
pd_card_cryptogram_compute (PdCardCryptogram  kind,
                            const guint8      icc_master_key[PD_DES_KEY_BYTES],
                            const guint8     *transaction_data,
                            gsize             transaction_length,
                            const guint8     *iad,
                            gsize             iad_length,
                            const guint8      atc[2],
                            const guint8      unpredictable_number[4],
                            guint8            ac[PD_AC_BYTES])
{
  g_autoptr(GByteArray) data = NULL;
  PdCvn cvn;

  g_return_if_fail (icc_master_key != NULL && transaction_data != NULL && iad != NULL);
  g_return_if_fail (atc != NULL && unpredictable_number != NULL && ac != NULL);

  /* The very computation the issuer repeats: both sides share it. */
  if (core_cvn (kind, &cvn))
    {
      if (!pd_cryptogram_arqc (cvn, icc_master_key, transaction_data, transaction_length, iad,
                               iad_length, atc, unpredictable_number, ac))
        g_return_if_reached ();
      return;
    }

  /* Nobody checks it, but it must still be what a card would send: a MAC that changes
   * with every input. */
  data = g_byte_array_new ();
  g_byte_array_append (data, transaction_data, (guint) transaction_length);
  g_byte_array_append (data, iad, (guint) iad_length);
  pd_cryptogram_mac (icc_master_key, data->data, data->len, PD_MAC_PADDING_80, ac);
}

gsize
pd_card_cryptogram_issuer_authentication (PdCardCryptogram  kind,
                                          const guint8      icc_master_key[PD_DES_KEY_BYTES],
                                          const guint8      arqc[PD_AC_BYTES],
                                          const guint8      atc[2],
                                          const guint8      arc[2],
                                          guint8            out[10])
{
  PdCvn cvn = PD_CVN_VISA_10;

  g_return_val_if_fail (icc_master_key != NULL && arqc != NULL && atc != NULL, 0);
  g_return_val_if_fail (arc != NULL && out != NULL, 0);

  /* Without a scheme of its own, ARPC method 1 as Visa's CVN 10 does it. */
  core_cvn (kind, &cvn);
  return pd_cryptogram_issuer_authentication (cvn, icc_master_key, arqc, atc, arc, out);
}
