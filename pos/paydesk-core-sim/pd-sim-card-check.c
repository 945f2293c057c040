#include <string.h>

#include <sodium.h>

#include "pd-sim-card-check.h"
#include "pd-emv-cryptogram.h"
#include "pd-hex.h"
#include "pd-sim-icc.h"

/* The transaction data every CVN here signs, in order, with the length each must have. */
static const struct {
  const char *tag;
  gsize length;
} signed_tags[] = {
  { "9F02", 6 }, { "9F03", 6 }, { "9F1A", 2 }, { "95", 5 }, { "5F2A", 2 }, { "9A", 3 },
  { "9C", 1 }, { "9F37", 4 }, { "82", 2 }, { "9F36", 2 },
};

static gint64
bcd_to_cents (GBytes *amount)
{
  gsize size;
  const guint8 *bytes = g_bytes_get_data (amount, &size);
  gint64 value = 0;

  for (gsize i = 0; i < size; i++)
    {
      if ((bytes[i] >> 4) > 9 || (bytes[i] & 0x0f) > 9)
        return -1;
      value = value * 100 + (bytes[i] >> 4) * 10 + (bytes[i] & 0x0f);
    }

  return value;
}

static gboolean
choose_cvn (const char   *brand,
            GBytes       *iad,
            PdCvn        *cvn)
{
  gsize size;
  const guint8 *bytes = g_bytes_get_data (iad, &size);

  if (g_str_equal (brand, "visa") && size >= 7 && bytes[0] == 0x06)
    {
      if (bytes[2] == 0x0a)
        return *cvn = PD_CVN_VISA_10, TRUE;
      if (bytes[2] == 0x12)
        return *cvn = PD_CVN_VISA_18, TRUE;
    }
  else if (g_str_equal (brand, "mastercard") && size >= 8 && bytes[1] == 0x10)
    return *cvn = PD_CVN_MASTERCARD_16, TRUE;

  return FALSE;
}

static char *
open_pan (PdSimSealing *sealing,
          const char   *sealed)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  char *opened = sealed != NULL ? pd_sim_sealing_open (sealing, sealed, NULL) : NULL;
  char *pan = NULL;

  if (opened == NULL)
    return NULL;

  if (json_parser_load_from_data (parser, opened, -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    pan = g_strdup (json_object_get_string_member_with_default (
                      json_node_get_object (json_parser_get_root (parser)), "pan", NULL));

  sodium_memzero (opened, strlen (opened));
  g_free (opened);
  return pan;
}

gboolean
pd_sim_card_check (PdSimSealing   *sealing,
                   const guint8    issuer_master_key[16],
                   JsonObject     *tender,
                   gint64          amount_cents,
                   PdSimCardCheck *check,
                   const char    **field,
                   const char    **message)
{
  g_autoptr(GHashTable) tags = pd_sim_icc_parse (json_object_get_string_member_with_default (
                                                   tender, "icc_data", NULL), NULL);
  g_autoptr(GByteArray) data = g_byte_array_new ();
  g_autofree char *pan = NULL;
  g_autofree char *psn = NULL;
  const char *brand = json_object_get_string_member_with_default (tender, "brand", "");
  const char *last4 = json_object_get_string_member_with_default (tender, "pan_last4", "");
  guint8 icc_master_key[PD_DES_KEY_BYTES];
  guint8 expected[PD_AC_BYTES];
  guint8 issuer_authentication[10];
  GBytes *iad;
  GBytes *arqc;
  GBytes *psn_bytes;
  gsize length;
  PdCvn cvn;

  memset (check, 0, sizeof *check);

  pan = open_pan (sealing, json_object_get_string_member_with_default (tender, "sealed", NULL));
  if (pan == NULL || strlen (pan) < 12 || !g_str_has_suffix (pan, last4))
    return *field = "tender.sealed", *message = "cannot open a PAN ending in pan_last4", FALSE;

  for (gsize i = 0; i < G_N_ELEMENTS (signed_tags); i++)
    {
      GBytes *value = g_hash_table_lookup (tags, signed_tags[i].tag);

      if (value == NULL || g_bytes_get_size (value) != signed_tags[i].length)
        return *field = "tender.icc_data",
               *message = "9F02 9F03 9F1A 95 5F2A 9A 9C 9F37 82 9F36 are required", FALSE;
      g_byte_array_append (data, g_bytes_get_data (value, NULL), (guint) signed_tags[i].length);
    }

  /* The card signed an amount: it must be the one charged. */
  if (bcd_to_cents (g_hash_table_lookup (tags, "9F02")) != amount_cents)
    return *field = "tender.icc_data", *message = "9F02 is not amount_cents", FALSE;

  iad = g_hash_table_lookup (tags, "9F10");
  arqc = g_hash_table_lookup (tags, "9F26");
  if (arqc == NULL || g_bytes_get_size (arqc) != PD_AC_BYTES)
    return *field = "tender.icc_data", *message = "9F26 must be 8 bytes", FALSE;

  if (iad == NULL || !choose_cvn (brand, iad, &cvn))
    {
      /* Discover's cryptograms (and other CVNs) are not checked here: approved unverified. */
      check->verified = FALSE;
      sodium_memzero (pan, strlen (pan));
      return TRUE;
    }

  psn_bytes = g_hash_table_lookup (tags, "5F34");
  psn = psn_bytes != NULL && g_bytes_get_size (psn_bytes) == 1
        ? g_strdup_printf ("%02X", *(const guint8 *) g_bytes_get_data (psn_bytes, NULL))
        : g_strdup ("00");
  pd_cryptogram_derive_icc_master_key (issuer_master_key, pan, psn, icc_master_key);
  sodium_memzero (pan, strlen (pan));

  if (!pd_cryptogram_arqc (cvn, icc_master_key, data->data, data->len,
                           g_bytes_get_data (iad, NULL), g_bytes_get_size (iad),
                           g_bytes_get_data (g_hash_table_lookup (tags, "9F36"), NULL),
                           g_bytes_get_data (g_hash_table_lookup (tags, "9F37"), NULL),
                           expected))
    return *field = "tender.icc_data", *message = "9F10 is too short for its CVN", FALSE;

  check->verified = TRUE;
  if (sodium_memcmp (expected, g_bytes_get_data (arqc, NULL), PD_AC_BYTES) != 0)
    {
      check->decline_reason = "cryptogram_failed";
      sodium_memzero (icc_master_key, sizeof icc_master_key);
      return TRUE;
    }

  length = pd_cryptogram_issuer_authentication (cvn, icc_master_key, expected,
                                                g_bytes_get_data (g_hash_table_lookup (tags,
                                                                                       "9F36"),
                                                                  NULL),
                                                PD_ARC_APPROVED, issuer_authentication);
  check->issuer_authentication_data = pd_hex_encode (issuer_authentication, length);
  sodium_memzero (icc_master_key, sizeof icc_master_key);
  return TRUE;
}

void
pd_sim_card_check_clear (PdSimCardCheck *check)
{
  g_clear_pointer (&check->issuer_authentication_data, g_free);
}
