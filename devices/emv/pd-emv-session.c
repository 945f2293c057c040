#include <string.h>
#include <sys/random.h>

#include <glib/gi18n-lib.h>

#include "pd-dol.h"
#include "pd-emv-cvm.h"
#include "pd-emv-data.h"
#include "pd-emv-records.h"
#include "pd-emv-rules.h"
#include "pd-emv-session.h"
#include "pd-emv-tags.h"
#include "pd-hex.h"
#include "pd-oda.h"

#define MAX_SELECTION_ATTEMPTS 4
#define SW_CONDITIONS_NOT_SATISFIED 0x6985

typedef enum {
  ODA_NONE,
  ODA_SDA,
  ODA_DDA,
  ODA_CDA,
} OdaMethod;

struct _PdEmvSession {
  PdEmvLink *link;
  PdCardChannel *channel;
  const PdEmvTerminal *terminal;
  PdCapkTable *capks;
  PdEmvChooser chooser;
  gpointer chooser_data;

  PdEmvData *data;
  gboolean contactless;
  gboolean online_at_gpo;
  const PdEmvAid *application;
  char *aid_hex;
  char *label;
  char pan_last4[5];
  guint8 tvr[5];
  guint8 tsi[2];
  guint8 aip[2];
  gint64 amount;
  OdaMethod oda;
  PdOdaKey *icc_key;
  GBytes *pdol_data;
  GBytes *cdol1_data;
  PdEmvCvmOutcome cvm;
  const char *decline_message;
  GDateTime *now;
  /* The signature on a GENERATE AC answer did not verify: decline, whatever the card says. */
  gboolean cda_signature_failed;
  gboolean authorized;
};

PdEmvSession *
pd_emv_session_new (PdCardChannel       *channel,
                    const PdEmvTerminal *terminal,
                    PdCapkTable         *capks)
{
  PdEmvSession *self;

  g_return_val_if_fail (channel != NULL, NULL);
  g_return_val_if_fail (terminal != NULL, NULL);

  self = g_new0 (PdEmvSession, 1);
  self->channel = channel;
  self->link = pd_emv_link_new (channel);
  self->terminal = terminal;
  self->capks = capks;
  self->data = pd_emv_data_new ();
  return self;
}

void
pd_emv_session_free (PdEmvSession *self)
{
  if (self == NULL)
    return;

  pd_emv_link_free (self->link);
  pd_emv_data_free (self->data);
  g_clear_pointer (&self->icc_key, pd_oda_key_free);
  g_clear_pointer (&self->pdol_data, g_bytes_unref);
  g_clear_pointer (&self->cdol1_data, g_bytes_unref);
  g_clear_pointer (&self->now, g_date_time_unref);
  g_free (self->aid_hex);
  g_free (self->label);
  g_free (self);
}

void
pd_emv_session_set_chooser (PdEmvSession *self,
                            PdEmvChooser  chooser,
                            gpointer      user_data)
{
  g_return_if_fail (self != NULL);

  self->chooser = chooser;
  self->chooser_data = user_data;
}

static gboolean
card_data_error (GError **error)
{
  g_set_error (error, PD_EMV_ERROR, PD_EMV_ERROR_CARD_DATA,
               _("The card sent data this terminal cannot read. Please use another card."));
  return FALSE;
}

/* PC/SC part 3: a contactless card's ATR is built by the reader, 3B 8n 80 01 ... */
static gboolean
atr_is_contactless (GBytes *atr)
{
  gsize length;
  const guint8 *bytes = atr != NULL ? g_bytes_get_data (atr, &length) : NULL;

  return bytes != NULL && length >= 4 && bytes[0] == 0x3b && (bytes[1] & 0xf0) == 0x80 &&
         bytes[2] == 0x80 && bytes[3] == 0x01;
}

static void
bcd_amount (gint64 cents,
            guint8 out[6])
{
  for (int i = 5; i >= 0; i--)
    {
      out[i] = (guint8) ((cents % 10) | ((cents / 10) % 10) << 4);
      cents /= 100;
    }
}

static guint8
bcd (int value)
{
  return (guint8) ((value / 10) << 4 | (value % 10));
}

static void
set_u16 (PdEmvData *data,
         guint32    tag,
         guint16    value)
{
  guint8 bytes[2] = { value >> 8, value & 0xff };

  pd_emv_data_set (data, tag, bytes, 2);
}

/* What the terminal knows before the card says anything. */
static void
set_terminal_data (PdEmvSession *self,
                   gint64        amount,
                   GDateTime    *now)
{
  const PdEmvTerminal *terminal = self->terminal;
  guint8 amount_bcd[6];
  guint8 zero_amount[6] = { 0 };
  guint8 date[3] = { bcd (g_date_time_get_year (now) % 100), bcd (g_date_time_get_month (now)),
                     bcd (g_date_time_get_day_of_month (now)) };
  guint8 time[3] = { bcd (g_date_time_get_hour (now)), bcd (g_date_time_get_minute (now)),
                     bcd (g_date_time_get_second (now)) };
  guint8 unpredictable[4];
  guint8 entry_mode = self->contactless ? 0x07 : 0x05;

  if (getrandom (unpredictable, sizeof unpredictable, 0) != sizeof unpredictable)
    g_error ("no random numbers from the kernel");

  bcd_amount (amount, amount_bcd);
  pd_emv_data_set (self->data, PD_TAG_AMOUNT, amount_bcd, 6);
  pd_emv_data_set (self->data, PD_TAG_AMOUNT_OTHER, zero_amount, 6);
  set_u16 (self->data, PD_TAG_TERMINAL_COUNTRY, terminal->country);
  set_u16 (self->data, PD_TAG_CURRENCY, terminal->currency);
  pd_emv_data_set (self->data, PD_TAG_TRANSACTION_DATE, date, 3);
  pd_emv_data_set (self->data, PD_TAG_TRANSACTION_TIME, time, 3);
  pd_emv_data_set_byte (self->data, PD_TAG_TRANSACTION_TYPE, 0x00);
  pd_emv_data_set (self->data, PD_TAG_UNPREDICTABLE_NUMBER, unpredictable, 4);
  pd_emv_data_set_byte (self->data, PD_TAG_TERMINAL_TYPE, terminal->terminal_type);
  pd_emv_data_set (self->data, PD_TAG_TERMINAL_CAPABILITIES, terminal->capabilities, 3);
  pd_emv_data_set (self->data, PD_TAG_ADDITIONAL_CAPABILITIES,
                   terminal->additional_capabilities, 5);
  pd_emv_data_set (self->data, PD_TAG_TTQ, terminal->contactless_qualifiers, 4);
  pd_emv_data_set_byte (self->data, PD_TAG_POS_ENTRY_MODE, entry_mode);
}

/* The TVR and TSI travel in DOLs: keep the data objects current. */
static void
sync_results (PdEmvSession *self)
{
  pd_emv_data_set (self->data, PD_TAG_TVR, self->tvr, 5);
  pd_emv_data_set (self->data, PD_TAG_TSI, self->tsi, 2);
  pd_emv_data_set (self->data, PD_TAG_CVM_RESULTS, self->cvm.results, 3);
}

static GBytes *
build_dol (PdEmvSession *self,
           guint32       dol_tag,
           GError      **error)
{
  GBytes *dol = pd_emv_data_get (self->data, dol_tag);
  g_autoptr(GArray) entries = NULL;
  GByteArray *built;

  if (dol == NULL)
    return g_bytes_new (NULL, 0);

  entries = pd_dol_parse (g_bytes_get_data (dol, NULL), g_bytes_get_size (dol), NULL);
  if (entries == NULL)
    return card_data_error (error), NULL;

  sync_results (self);
  built = pd_dol_build (entries, pd_emv_data_lookup, self->data);
  /* It travels in one short APDU (GPO wraps it in tag 83). */
  if (built->len > 250)
    {
      pd_emv_link_note (self->link, "a data object list asks for %u bytes", built->len);
      g_byte_array_unref (built);
      return card_data_error (error), NULL;
    }
  return g_byte_array_free_to_bytes (built);
}

static gboolean
dol_asks_for (PdEmvSession *self,
              guint32       dol_tag,
              guint32       tag)
{
  GBytes *dol = pd_emv_data_get (self->data, dol_tag);
  g_autoptr(GArray) entries = NULL;

  if (dol == NULL)
    return FALSE;
  entries = pd_dol_parse (g_bytes_get_data (dol, NULL), g_bytes_get_size (dol), NULL);
  for (guint i = 0; entries != NULL && i < entries->len; i++)
    if (g_array_index (entries, PdDolEntry, i).tag == tag)
      return TRUE;
  return FALSE;
}

/* Book 1 section 12.4: with nobody to confirm, only applications that need no confirmation
 * may be chosen for the cardholder. */
static gint
choose (PdEmvSession *self,
        GPtrArray    *candidates)
{
  gboolean ask = candidates->len > 1 ||
                 ((PdEmvCandidate *) g_ptr_array_index (candidates, 0))->needs_confirmation;

  if (ask && self->chooser != NULL)
    return self->chooser (candidates, self->chooser_data);

  for (guint i = 0; i < candidates->len; i++)
    if (!((PdEmvCandidate *) g_ptr_array_index (candidates, i))->needs_confirmation)
      return (gint) i;

  return -1;
}

static GPtrArray *
parse_response (GBytes  *response,
                GError **error)
{
  gsize length;
  const guint8 *bytes = g_bytes_get_data (response, &length);
  GPtrArray *nodes = pd_tlv_parse (bytes, length, NULL);

  if (nodes == NULL || nodes->len != 1)
    {
      g_clear_pointer (&nodes, g_ptr_array_unref);
      card_data_error (error);
    }
  return nodes;
}

/* GET PROCESSING OPTIONS; FALSE with no error when the card refuses this application
 * (6985: selection goes on with the next one). */
static gboolean
get_processing_options (PdEmvSession *self,
                        gboolean     *refused,
                        GError      **error)
{
  g_autoptr(GBytes) pdol_data = build_dol (self, PD_TAG_PDOL, error);
  g_autoptr(GByteArray) command = g_byte_array_new ();
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GPtrArray) nodes = NULL;
  const PdTlv *answer;
  guint16 sw = 0;
  gsize length;
  const guint8 *bytes;

  *refused = FALSE;
  if (pdol_data == NULL)
    return FALSE;

  pd_tlv_append (command, 0x83, g_bytes_get_data (pdol_data, NULL), g_bytes_get_size (pdol_data));
  response = pd_emv_link_exchange (self->link, "GET PROCESSING OPTIONS", 0x80, 0xa8, 0x00, 0x00,
                                   command->data, command->len, TRUE, &sw, error);
  memset (command->data, 0, command->len);
  if (response == NULL)
    return FALSE;
  if (sw == SW_CONDITIONS_NOT_SATISFIED)
    return *refused = TRUE, FALSE;
  if (sw != PD_SW_OK || (nodes = parse_response (response, error)) == NULL)
    return sw != PD_SW_OK ? card_data_error (error) : FALSE;

  answer = g_ptr_array_index (nodes, 0);
  bytes = g_bytes_get_data (answer->value, &length);
  if (answer->tag == PD_TAG_RESPONSE_FORMAT_1)
    {
      if (length < 2)
        return card_data_error (error);
      pd_emv_data_set (self->data, PD_TAG_AIP, bytes, 2);
      pd_emv_data_set (self->data, PD_TAG_AFL, bytes + 2, length - 2);
    }
  else if (answer->tag == PD_TAG_RESPONSE_FORMAT_2)
    {
      if (!pd_emv_data_add_objects (self->data, answer->children, TRUE, NULL))
        return card_data_error (error);
    }
  else
    return card_data_error (error);

  if (pd_emv_data_peek (self->data, PD_TAG_AIP, 2) == NULL)
    return card_data_error (error);
  memcpy (self->aip, pd_emv_data_peek (self->data, PD_TAG_AIP, 2), 2);
  self->pdol_data = g_steal_pointer (&pdol_data);
  /* qVSDC and Discover contactless: the cryptogram comes with the GPO answer. */
  self->online_at_gpo = self->contactless && pd_emv_data_get (self->data, PD_TAG_CRYPTOGRAM) != NULL;
  return TRUE;
}

/* Selection then GPO, going back to the candidate list when the card turns an application
 * down (Book 1 section 12.4). */
static gboolean
select_and_start (PdEmvSession *self,
                  GError      **error)
{
  g_autoptr(GPtrArray) candidates = pd_emv_select_candidates (self->link, self->terminal,
                                                              self->contactless, error);

  if (candidates == NULL)
    return FALSE;

  for (guint attempt = 0; attempt < MAX_SELECTION_ATTEMPTS && candidates->len > 0; attempt++)
    {
      g_autoptr(GPtrArray) fci = NULL;
      PdEmvCandidate *candidate;
      gboolean refused = FALSE;
      guint16 sw = 0;
      gint chosen = choose (self, candidates);

      if (chosen < 0 || (guint) chosen >= candidates->len)
        {
          g_set_error (error, PD_EMV_ERROR, PD_EMV_ERROR_CANCELLED,
                       _("No card application was chosen."));
          return FALSE;
        }

      candidate = g_ptr_array_index (candidates, chosen);
      fci = pd_emv_select_application (self->link, candidate, &sw, error);
      if (fci != NULL)
        {
          /* Nothing of an application the card turned down may carry over to the next. */
          pd_emv_data_free (self->data);
          self->data = pd_emv_data_new ();
          set_terminal_data (self, self->amount, self->now);
          pd_emv_data_add_objects (self->data, fci, FALSE, NULL);
          self->application = candidate->accepted;
          g_free (self->aid_hex);
          self->aid_hex = pd_hex_encode (g_bytes_get_data (candidate->aid, NULL),
                                         g_bytes_get_size (candidate->aid));
          g_free (self->label);
          self->label = g_strdup (candidate->label);
          pd_emv_data_set_bytes (self->data, PD_TAG_AID_TERMINAL, candidate->aid);
          set_u16 (self->data, PD_TAG_APP_VERSION_TERMINAL, candidate->accepted->version);

          if (get_processing_options (self, &refused, error))
            return TRUE;
        }
      if (error != NULL && *error != NULL)
        return FALSE;

      pd_emv_link_note (self->link, "application %u turned down (%04X): choosing again",
                        chosen, sw);
      g_ptr_array_remove_index (candidates, (guint) chosen);
    }

  g_set_error (error, PD_EMV_ERROR, PD_EMV_ERROR_NO_APPLICATION,
               _("This card has no application that can pay here. Please use another card."));
  return FALSE;
}

static char *
pan_digits (PdEmvSession *self)
{
  GBytes *value = pd_emv_data_get (self->data, PD_TAG_PAN);
  gboolean from_track = value == NULL;
  GString *digits;
  gsize length;
  const guint8 *bytes;

  if (value == NULL)
    value = pd_emv_data_get (self->data, PD_TAG_TRACK2);
  if (value == NULL)
    return NULL;

  bytes = g_bytes_get_data (value, &length);
  digits = g_string_sized_new (length * 2);
  for (gsize i = 0; i < length * 2; i++)
    {
      guint8 nibble = i % 2 == 0 ? bytes[i / 2] >> 4 : bytes[i / 2] & 0x0f;

      /* F pads a PAN; D separates the PAN from the rest of track 2. */
      if (nibble > 9)
        break;
      g_string_append_c (digits, (char) ('0' + nibble));
    }
  (void) from_track;

  if (digits->len < 12 || digits->len > 19)
    {
      memset (digits->str, 0, digits->len);
      g_string_free (digits, TRUE);
      return NULL;
    }
  return g_string_free (digits, FALSE);
}

static gboolean
check_mandatory_data (PdEmvSession *self,
                      GError      **error)
{
  char *pan = pan_digits (self);
  gsize length;

  if (pan == NULL)
    return card_data_error (error);

  length = strlen (pan);
  memcpy (self->pan_last4, pan + length - 4, 4);
  self->pan_last4[4] = '\0';
  memset (pan, 0, length);
  g_free (pan);

  /* Book 3 section 7.2: expiry, PAN, CDOL1 and CDOL2 are mandatory on a contact card. */
  if (!self->contactless &&
      (pd_emv_data_get (self->data, PD_TAG_EXPIRY) == NULL ||
       pd_emv_data_get (self->data, PD_TAG_CDOL1) == NULL ||
       pd_emv_data_get (self->data, PD_TAG_CDOL2) == NULL))
    {
      pd_emv_tvr_set (self->tvr, PD_TVR_ICC_DATA_MISSING);
      return card_data_error (error);
    }

  return TRUE;
}

static OdaMethod
choose_oda (PdEmvSession *self)
{
  const guint8 *capabilities = self->terminal->capabilities;

  if (self->online_at_gpo)
    return ODA_NONE;
  if ((self->aip[0] & PD_AIP_CDA) && (capabilities[2] & 0x08))
    return ODA_CDA;
  if ((self->aip[0] & PD_AIP_DDA) && (capabilities[2] & 0x40))
    return ODA_DDA;
  if ((self->aip[0] & PD_AIP_SDA) && (capabilities[2] & 0x80))
    return ODA_SDA;
  return ODA_NONE;
}

static guint
failure_bit (OdaMethod method)
{
  switch (method)
    {
    case ODA_SDA: return PD_TVR_SDA_FAILED;
    case ODA_DDA: return PD_TVR_DDA_FAILED;
    case ODA_CDA: return PD_TVR_CDA_FAILED;
    case ODA_NONE: default: return PD_TVR_ODA_NOT_PERFORMED;
    }
}

static gboolean
internal_authenticate (PdEmvSession   *self,
                       const PdOdaKey *icc_key,
                       GError        **error)
{
  static const guint8 default_ddol[] = { 0x9f, 0x37, 0x04 };
  g_autoptr(GBytes) ddol_data = NULL;
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GPtrArray) nodes = NULL;
  g_autoptr(GBytes) dynamic_number = NULL;
  const PdTlv *signature;
  guint16 sw = 0;

  if (pd_emv_data_get (self->data, PD_TAG_DDOL) == NULL)
    pd_emv_data_set (self->data, PD_TAG_DDOL, default_ddol, sizeof default_ddol);
  /* Without the terminal's unpredictable number a signature could be replayed. */
  if (!dol_asks_for (self, PD_TAG_DDOL, PD_TAG_UNPREDICTABLE_NUMBER))
    return g_set_error (error, PD_ODA_ERROR, PD_ODA_ERROR_FAILED,
                        "the DDOL does not ask for 9F37"), FALSE;
  ddol_data = build_dol (self, PD_TAG_DDOL, error);
  if (ddol_data == NULL)
    return FALSE;

  response = pd_emv_link_exchange (self->link, "INTERNAL AUTHENTICATE", 0x00, 0x88, 0x00, 0x00,
                                   g_bytes_get_data (ddol_data, NULL),
                                   g_bytes_get_size (ddol_data), TRUE, &sw, error);
  if (response == NULL)
    return FALSE;
  if (sw != PD_SW_OK || (nodes = parse_response (response, NULL)) == NULL)
    return g_set_error (error, PD_ODA_ERROR, PD_ODA_ERROR_FAILED, "INTERNAL AUTHENTICATE: %04X",
                        sw), FALSE;

  signature = pd_tlv_find (nodes, PD_TAG_SIGNED_DYNAMIC_DATA);
  if (signature == NULL && ((const PdTlv *) g_ptr_array_index (nodes, 0))->tag == PD_TAG_RESPONSE_FORMAT_1)
    signature = g_ptr_array_index (nodes, 0);
  if (signature == NULL)
    return g_set_error (error, PD_ODA_ERROR, PD_ODA_ERROR_MISSING_DATA, "no 9F4B"), FALSE;

  dynamic_number = pd_oda_verify_dda (icc_key, signature->value, ddol_data, error);
  if (dynamic_number == NULL)
    return FALSE;
  pd_emv_data_set_bytes (self->data, PD_TAG_ICC_DYNAMIC_NUMBER, dynamic_number);
  return TRUE;
}

/* Offline data authentication (Book 3 section 10.3). Its failures are TVR bits for action
 * analysis, not errors: only a pulled card ends the session here. */
static gboolean
authenticate_offline (PdEmvSession *self,
                      GBytes       *static_data,
                      GDate        *today,
                      GError      **error)
{
  g_autoptr(PdOdaKey) issuer_key = NULL;
  g_autoptr(GError) oda_error = NULL;
  const PdCapk *capk = NULL;
  const guint8 *index = pd_emv_data_peek (self->data, PD_TAG_CAPK_INDEX, 1);
  GBytes *aid = pd_emv_data_get (self->data, PD_TAG_AID_TERMINAL);

  self->oda = choose_oda (self);
  if (self->oda == ODA_NONE)
    {
      pd_emv_tvr_set (self->tvr, PD_TVR_ODA_NOT_PERFORMED);
      return TRUE;
    }

  self->tsi[0] |= PD_TSI_ODA_PERFORMED;
  if (self->oda == ODA_SDA)
    pd_emv_tvr_set (self->tvr, PD_TVR_SDA_SELECTED);

  if (index == NULL)
    g_set_error (&oda_error, PD_ODA_ERROR, PD_ODA_ERROR_MISSING_DATA, "no CA key index (8F)");
  else if (self->capks == NULL ||
           (capk = pd_capk_table_lookup (self->capks, g_bytes_get_data (aid, NULL), index[0])) == NULL)
    g_set_error (&oda_error, PD_ODA_ERROR, PD_ODA_ERROR_NO_CAPK, "no CA key %02X for this scheme",
                 index[0]);
  else
    issuer_key = pd_oda_recover_issuer_key (capk, pd_emv_data_lookup, self->data, today,
                                            &oda_error);

  if (issuer_key != NULL && self->oda == ODA_SDA)
    {
      guint8 code[2];

      if (pd_oda_verify_sda (issuer_key, pd_emv_data_lookup, self->data, static_data, code,
                             &oda_error))
        pd_emv_data_set (self->data, PD_TAG_DATA_AUTH_CODE, code, 2);
    }
  else if (issuer_key != NULL)
    {
      self->icc_key = pd_oda_recover_icc_key (issuer_key, pd_emv_data_lookup, self->data,
                                              static_data, today, &oda_error);
      if (self->icc_key != NULL && self->oda == ODA_DDA &&
          !internal_authenticate (self, self->icc_key, &oda_error) &&
          oda_error != NULL && oda_error->domain == PD_CARD_ERROR)
        return g_propagate_error (error, g_steal_pointer (&oda_error)), FALSE;
    }

  if (oda_error != NULL)
    {
      pd_emv_link_note (self->link, "offline data authentication failed: %s", oda_error->message);
      pd_emv_tvr_set (self->tvr, failure_bit (self->oda));
      if (g_error_matches (oda_error, PD_ODA_ERROR, PD_ODA_ERROR_MISSING_DATA))
        pd_emv_tvr_set (self->tvr, PD_TVR_ICC_DATA_MISSING);
      g_clear_pointer (&self->icc_key, pd_oda_key_free);
    }

  return TRUE;
}

static void
verify_cardholder (PdEmvSession *self)
{
  const guint8 *currency = pd_emv_data_peek (self->data, 0x9f42, 2);
  GBytes *list = pd_emv_data_get (self->data, PD_TAG_CVM_LIST);
  gboolean same_currency = currency == NULL ||
                           (guint16) (currency[0] << 8 | currency[1]) == self->terminal->currency;

  if (!(self->aip[0] & PD_AIP_CARDHOLDER_VERIFICATION))
    {
      self->cvm.results[0] = 0x3f;
      return;
    }

  pd_emv_cvm_evaluate (list != NULL ? g_bytes_get_data (list, NULL) : NULL,
                       list != NULL ? g_bytes_get_size (list) : 0, self->terminal, self->amount,
                       same_currency, &self->cvm);
  if (list == NULL)
    pd_emv_tvr_set (self->tvr, PD_TVR_ICC_DATA_MISSING);
  if (self->cvm.failed)
    pd_emv_tvr_set (self->tvr, PD_TVR_CVM_FAILED);
  if (self->cvm.unrecognised)
    pd_emv_tvr_set (self->tvr, PD_TVR_UNRECOGNISED_CVM);
  if (self->cvm.pin_pad_missing)
    pd_emv_tvr_set (self->tvr, PD_TVR_PIN_PAD_MISSING);
  self->tsi[0] |= PD_TSI_CVM_PERFORMED;
}

/* Re-encodes a response template's objects without 9F4B: CDA signs the rest. */
static GBytes *
objects_without_signature (GPtrArray *nodes)
{
  GByteArray *out = g_byte_array_new ();

  for (guint i = 0; i < nodes->len; i++)
    {
      const PdTlv *node = g_ptr_array_index (nodes, i);

      if (node->tag != PD_TAG_SIGNED_DYNAMIC_DATA)
        pd_tlv_append (out, node->tag, g_bytes_get_data (node->value, NULL),
                       g_bytes_get_size (node->value));
    }
  return g_byte_array_free_to_bytes (out);
}

static GBytes *
concatenate (GBytes *first,
             GBytes *second)
{
  GByteArray *both = g_byte_array_new ();

  if (first != NULL)
    g_byte_array_append (both, g_bytes_get_data (first, NULL), (guint) g_bytes_get_size (first));
  g_byte_array_append (both, g_bytes_get_data (second, NULL), (guint) g_bytes_get_size (second));
  return g_byte_array_free_to_bytes (both);
}

/* GENERATE AC with its CDOL's data; returns the cryptogram information data. */
static gboolean
generate_ac (PdEmvSession *self,
             guint8        reference,
             guint32       dol_tag,
             GBytes      **dol_data_out,
             guint8       *cid,
             GError      **error)
{
  g_autoptr(GBytes) dol_data = build_dol (self, dol_tag, error);
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GPtrArray) nodes = NULL;
  const PdTlv *answer;
  guint16 sw = 0;
  gsize length;
  const guint8 *bytes;

  if (dol_data == NULL)
    return FALSE;

  response = pd_emv_link_exchange (self->link, "GENERATE AC", 0x80, 0xae, reference, 0x00,
                                   g_bytes_get_data (dol_data, NULL), g_bytes_get_size (dol_data),
                                   TRUE, &sw, error);
  if (response == NULL)
    return FALSE;
  if (sw != PD_SW_OK || (nodes = parse_response (response, error)) == NULL)
    return sw != PD_SW_OK ? card_data_error (error) : FALSE;

  /* A second answer must not borrow what the first one said. */
  pd_emv_data_remove (self->data, PD_TAG_CRYPTOGRAM);
  pd_emv_data_remove (self->data, PD_TAG_CID);
  pd_emv_data_remove (self->data, PD_TAG_IAD);
  pd_emv_data_remove (self->data, PD_TAG_SIGNED_DYNAMIC_DATA);
  answer = g_ptr_array_index (nodes, 0);
  bytes = g_bytes_get_data (answer->value, &length);
  if (answer->tag == PD_TAG_RESPONSE_FORMAT_1 && length >= 11)
    {
      pd_emv_data_set (self->data, PD_TAG_CID, bytes, 1);
      pd_emv_data_set (self->data, PD_TAG_ATC, bytes + 1, 2);
      pd_emv_data_set (self->data, PD_TAG_CRYPTOGRAM, bytes + 3, 8);
      if (length > 11)
        pd_emv_data_set (self->data, PD_TAG_IAD, bytes + 11, length - 11);
    }
  else if (answer->tag == PD_TAG_RESPONSE_FORMAT_2)
    {
      if (!pd_emv_data_add_objects (self->data, answer->children, FALSE, NULL))
        return card_data_error (error);
    }
  else
    return card_data_error (error);

  if (pd_emv_data_peek (self->data, PD_TAG_CID, 1) == NULL)
    return card_data_error (error);
  *cid = pd_emv_data_peek (self->data, PD_TAG_CID, 1)[0];

  if ((reference & PD_GENAC_CDA) && (*cid & PD_CID_TYPE_MASK) != PD_CID_AAC)
    {
      GBytes *signature = pd_emv_data_get (self->data, PD_TAG_SIGNED_DYNAMIC_DATA);
      g_autoptr(GBytes) signed_objects = NULL;
      g_autoptr(GBytes) cryptogram = NULL;
      g_autoptr(GError) cda_error = NULL;

      if (answer->tag == PD_TAG_RESPONSE_FORMAT_2 && signature != NULL)
        {
          /* Book 2 section 6.6.1: the second GENERATE AC signs CDOL1 and CDOL2 data. */
          g_autoptr(GBytes) cdol_data = dol_tag == PD_TAG_CDOL1
                                        ? g_bytes_ref (dol_data)
                                        : concatenate (self->cdol1_data, dol_data);

          signed_objects = objects_without_signature (answer->children);
          cryptogram = pd_oda_verify_cda (self->icc_key, signature, *cid,
                                          pd_emv_data_peek (self->data,
                                                            PD_TAG_UNPREDICTABLE_NUMBER, 4),
                                          self->pdol_data, cdol_data, signed_objects,
                                          &cda_error);
        }
      else
        g_set_error (&cda_error, PD_ODA_ERROR, PD_ODA_ERROR_MISSING_DATA, "no 9F4B");

      if (cryptogram == NULL)
        {
          pd_emv_link_note (self->link, "CDA failed: %s",
                            cda_error != NULL ? cda_error->message : "no signature");
          pd_emv_tvr_set (self->tvr, PD_TVR_CDA_FAILED);
          self->cda_signature_failed = TRUE;
        }
      else
        pd_emv_data_set_bytes (self->data, PD_TAG_CRYPTOGRAM, cryptogram);
      pd_emv_data_remove (self->data, PD_TAG_SIGNED_DYNAMIC_DATA);
    }

  if (pd_emv_data_peek (self->data, PD_TAG_CRYPTOGRAM, 8) == NULL && !self->cda_signature_failed)
    return card_data_error (error);

  self->tsi[0] |= PD_TSI_CARD_RISK_PERFORMED;
  if (dol_data_out != NULL)
    *dol_data_out = g_steal_pointer (&dol_data);
  return TRUE;
}

static const char *
decline_message_for (const guint8 tvr[5])
{
  if (pd_emv_tvr_has (tvr, PD_TVR_EXPIRED))
    return _("This card has expired. Please use another card.");
  if (pd_emv_tvr_has (tvr, PD_TVR_NOT_YET_EFFECTIVE))
    return _("This card is not valid yet. Please use another card.");
  if (pd_emv_tvr_has (tvr, PD_TVR_SERVICE_NOT_ALLOWED))
    return _("This card cannot be used for this payment. Please use another card.");
  if (pd_emv_tvr_has (tvr, PD_TVR_CDA_FAILED))
    return _("This card could not be verified. Please use another card.");
  return _("The card declined the payment. Please use another card.");
}

static GDate *
date_of (GDateTime *now)
{
  return g_date_new_dmy ((GDateDay) g_date_time_get_day_of_month (now),
                         (GDateMonth) g_date_time_get_month (now),
                         (GDateYear) g_date_time_get_year (now));
}

/* qVSDC and Discover contactless: the card decided at GPO over the TVR it was sent then,
 * which must reach the issuer unchanged. The terminal still refuses what its denial codes
 * refuse (an expired card), on a copy of the TVR. */
static gboolean
read_gpo_cryptogram (PdEmvSession  *self,
                     PdEmvDecision *decision,
                     GError       **error)
{
  const guint8 *cid_value = pd_emv_data_peek (self->data, PD_TAG_CID, 1);
  const guint8 *card_qualifiers = pd_emv_data_peek (self->data, PD_TAG_CTQ, 1);
  const guint8 *device_qualifiers = pd_emv_data_peek (self->data, PD_TAG_CTQ, 2);
  /* CTQ byte 2: a phone or watch verified its owner; the terminal asks for nothing more. */
  gboolean verified_on_device = device_qualifiers != NULL && (device_qualifiers[1] & 0x80);
  gboolean wants_pin = !verified_on_device && card_qualifiers != NULL &&
                       (card_qualifiers[0] & 0x80);
  gboolean wants_signature = !verified_on_device && card_qualifiers != NULL &&
                             (card_qualifiers[0] & 0x40);
  guint8 cid = cid_value != NULL ? cid_value[0] : PD_CID_ARQC;
  guint8 checked[5] = { 0 };

  /* The reader asked for an online cryptogram; a card that wants PIN (no PIN pad here), a
   * signature nobody can check, or that approved by itself goes through the chip instead. */
  if ((cid & PD_CID_TYPE_MASK) == PD_CID_TC || wants_pin ||
      (wants_signature && !self->terminal->attended))
    {
      pd_emv_link_note (self->link, "the tap cannot complete here (CID %02X, CTQ %02X)", cid,
                        card_qualifiers != NULL ? card_qualifiers[0] : 0);
      g_set_error (error, PD_EMV_ERROR, PD_EMV_ERROR_INSERT_CARD,
                   _("This card cannot pay by tapping here. Please insert the card."));
      return FALSE;
    }

  if (verified_on_device)
    pd_emv_link_note (self->link, "the member was verified on their phone or watch (CDCVM)");
  self->cvm.signature_required = wants_signature;
  pd_emv_data_set_byte (self->data, PD_TAG_CID, cid);
  self->cvm.results[0] = self->cvm.signature_required ? 0x1e : 0x1f;
  self->cvm.results[2] = self->cvm.signature_required ? 0x00 : 0x02;
  sync_results (self);

  pd_emv_check_restrictions (self->data, self->terminal, self->application->version,
                             pd_emv_data_peek (self->data, PD_TAG_TRANSACTION_DATE, 3), checked);
  if ((cid & PD_CID_TYPE_MASK) == PD_CID_AAC ||
      pd_emv_action_denies (self->data, self->terminal, checked))
    {
      self->decline_message = decline_message_for (checked);
      *decision = PD_EMV_DECISION_DECLINED;
      return TRUE;
    }

  *decision = PD_EMV_DECISION_ONLINE;
  return TRUE;
}

gboolean
pd_emv_session_authorize (PdEmvSession  *self,
                          gint64         amount_cents,
                          GDateTime     *now,
                          PdEmvDecision *decision,
                          GError       **error)
{
  g_autoptr(GByteArray) static_data = g_byte_array_new ();
  g_autoptr(GBytes) static_bytes = NULL;
  g_autoptr(GBytes) cdol1_data = NULL;
  g_autoptr(GDate) today = NULL;
  gboolean oda_records_usable = TRUE;
  gboolean deny;
  const guint8 *afl;
  gsize afl_length = 0;
  guint8 reference;
  guint8 cid;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (amount_cents > 0 && amount_cents < 1000000000000, FALSE);
  g_return_val_if_fail (now != NULL, FALSE);
  g_return_val_if_fail (decision != NULL, FALSE);
  g_return_val_if_fail (!self->authorized, FALSE);

  self->authorized = TRUE;
  self->amount = amount_cents;
  self->now = g_date_time_ref (now);
  self->contactless = atr_is_contactless (pd_card_channel_get_atr (self->channel));
  today = date_of (now);

  /* EMV entry point: a tap is refused at the limit, not only above it. */
  if (self->contactless && amount_cents >= self->terminal->contactless_limit)
    {
      g_set_error (error, PD_EMV_ERROR, PD_EMV_ERROR_INSERT_CARD,
                   _("This amount is too large to tap. Please insert the card."));
      return FALSE;
    }

  set_terminal_data (self, amount_cents, now);
  pd_emv_link_note (self->link, "%s card, amount %" G_GINT64_FORMAT " cents",
                    self->contactless ? "contactless" : "contact", amount_cents);

  if (!select_and_start (self, error))
    return FALSE;

  afl = pd_emv_data_peek (self->data, PD_TAG_AFL, 4);
  if (afl != NULL)
    afl_length = g_bytes_get_size (pd_emv_data_get (self->data, PD_TAG_AFL));
  if (!pd_emv_read_records (self->link, afl, afl_length, self->data, static_data,
                            &oda_records_usable, error))
    return FALSE;
  if (!check_mandatory_data (self, error))
    return FALSE;

  /* 9F4A may ask for the AIP in the signed data; it can ask for nothing else (Book 3
   * section 10.3), and a list that does makes ODA fail. */
  {
    GBytes *tag_list = pd_emv_data_get (self->data, PD_TAG_SDA_TAG_LIST);

    if (tag_list != NULL && g_bytes_get_size (tag_list) == 1 &&
        *(const guint8 *) g_bytes_get_data (tag_list, NULL) == PD_TAG_AIP)
      g_byte_array_append (static_data, self->aip, 2);
    else if (tag_list != NULL)
      oda_records_usable = FALSE;
  }
  static_bytes = pd_bytes_new_wiped (static_data->data, static_data->len);
  if (static_data->len > 0)
    memset (static_data->data, 0, static_data->len);

  if (self->online_at_gpo)
    return read_gpo_cryptogram (self, decision, error);

  if (!authenticate_offline (self, static_bytes, today, error))
    return FALSE;
  if (!oda_records_usable)
    pd_emv_tvr_set (self->tvr, failure_bit (self->oda));

  pd_emv_check_restrictions (self->data, self->terminal, self->application->version,
                             pd_emv_data_peek (self->data, PD_TAG_TRANSACTION_DATE, 3), self->tvr);

  verify_cardholder (self);

  /* Floor limit zero: every payment goes online (Book 3 section 10.6). */
  pd_emv_tvr_set (self->tvr, PD_TVR_FLOOR_LIMIT_EXCEEDED);
  self->tsi[0] |= PD_TSI_TERMINAL_RISK_PERFORMED;

  deny = pd_emv_action_denies (self->data, self->terminal, self->tvr);
  reference = deny ? PD_GENAC_AAC : PD_GENAC_ARQC;
  if (!deny && self->oda == ODA_CDA && self->icc_key != NULL)
    reference |= PD_GENAC_CDA;

  if (!generate_ac (self, reference, PD_TAG_CDOL1, &cdol1_data, &cid, error))
    return FALSE;
  self->cdol1_data = g_steal_pointer (&cdol1_data);
  sync_results (self);

  /* A card may answer with less than was asked (AAC for an ARQC), never with more. */
  if ((cid & PD_CID_TYPE_MASK) == PD_CID_ARQC && !deny && !self->cda_signature_failed)
    {
      *decision = PD_EMV_DECISION_ONLINE;
      return TRUE;
    }
  if ((cid & PD_CID_TYPE_MASK) == PD_CID_TC)
    {
      /* An online-only terminal never asks for a TC at GENERATE AC 1. */
      pd_emv_link_note (self->link, "the card answered a TC to a request for %02X", reference);
      return card_data_error (error);
    }

  /* An ARQC that cannot go online (a failed signature, or more than was asked): the card
   * still waits for its second GENERATE AC; decline it there. */
  if ((cid & PD_CID_TYPE_MASK) == PD_CID_ARQC)
    {
      pd_emv_data_set (self->data, PD_TAG_ARC, (const guint8 *) "Z1", 2);
      if (!generate_ac (self, PD_GENAC_AAC, PD_TAG_CDOL2, NULL, &cid, error))
        return FALSE;
    }

  self->decline_message = decline_message_for (self->tvr);
  *decision = PD_EMV_DECISION_DECLINED;
  return TRUE;
}

/* Issuer scripts (Book 3 section 10.10): each command of each template in turn; a failed
 * command ends its script. */
static void
run_scripts (PdEmvSession *self,
             const char   *scripts_hex,
             guint32       template_tag,
             GByteArray   *results,
             GError      **error)
{
  g_autoptr(GBytes) scripts = scripts_hex != NULL ? pd_hex_decode_bytes (scripts_hex) : NULL;
  g_autoptr(GPtrArray) nodes = NULL;

  if (scripts == NULL || g_bytes_get_size (scripts) == 0)
    return;
  nodes = pd_tlv_parse (g_bytes_get_data (scripts, NULL), g_bytes_get_size (scripts), NULL);

  for (guint i = 0; nodes != NULL && i < nodes->len; i++)
    {
      const PdTlv *script = g_ptr_array_index (nodes, i);
      const PdTlv *id;
      guint8 result[5] = { 0x20, 0, 0, 0, 0 };
      guint sequence = 0;

      if (script->tag != template_tag || script->children == NULL)
        continue;

      id = pd_tlv_find (script->children, PD_TAG_SCRIPT_ID);
      if (id != NULL && g_bytes_get_size (id->value) == 4)
        memcpy (result + 1, g_bytes_get_data (id->value, NULL), 4);

      for (guint c = 0; c < script->children->len; c++)
        {
          const PdTlv *command = g_ptr_array_index (script->children, c);
          g_autoptr(GBytes) response = NULL;
          gsize length;
          const guint8 *apdu = g_bytes_get_data (command->value, &length);
          guint16 sw = 0;

          if (command->tag != PD_TAG_SCRIPT_COMMAND)
            continue;
          sequence++;
          if (length < 4 || (length > 5 && apdu[4] != length - 5))
            {
              result[0] = (guint8) (0x10 | MIN (sequence, 15));
              break;
            }

          response = pd_emv_link_exchange (self->link, "ISSUER SCRIPT", apdu[0], apdu[1], apdu[2],
                                           apdu[3], length > 5 ? apdu + 5 : NULL,
                                           length > 5 ? length - 5 : 0, FALSE, &sw, error);
          if (response == NULL)
            return;
          if ((sw >> 8) != 0x90 && (sw >> 8) != 0x62 && (sw >> 8) != 0x63)
            {
              result[0] = (guint8) (0x10 | MIN (sequence, 15));
              break;
            }
        }

      if ((result[0] & 0xf0) == 0x10)
        pd_emv_tvr_set (self->tvr, template_tag == PD_TAG_SCRIPT_BEFORE
                                   ? PD_TVR_SCRIPT_FAILED_BEFORE : PD_TVR_SCRIPT_FAILED_AFTER);
      self->tsi[0] |= PD_TSI_SCRIPT_PERFORMED;
      g_byte_array_append (results, result, 5);
    }
}

static gboolean
authenticate_issuer (PdEmvSession *self,
                     GBytes       *issuer_data,
                     GError      **error)
{
  g_autoptr(GBytes) response = NULL;
  guint16 sw = 0;

  pd_emv_data_set_bytes (self->data, PD_TAG_ISSUER_AUTH_DATA, issuer_data);
  /* Cards that want tag 91 in CDOL2 check it in GENERATE AC 2 themselves. */
  if (dol_asks_for (self, PD_TAG_CDOL2, PD_TAG_ISSUER_AUTH_DATA) ||
      !(self->aip[0] & PD_AIP_ISSUER_AUTHENTICATION))
    return TRUE;

  response = pd_emv_link_exchange (self->link, "EXTERNAL AUTHENTICATE", 0x00, 0x82, 0x00, 0x00,
                                   g_bytes_get_data (issuer_data, NULL),
                                   g_bytes_get_size (issuer_data), FALSE, &sw, error);
  if (response == NULL)
    return FALSE;
  self->tsi[0] |= PD_TSI_ISSUER_AUTH_PERFORMED;
  if (sw != PD_SW_OK)
    pd_emv_tvr_set (self->tvr, PD_TVR_ISSUER_AUTH_FAILED);
  return TRUE;
}

/* The authorization response code the card hears (Book 4 Annex A6): approved, declined, or
 * "unable to go online, declined". */
static const char *
response_code_for (PdEmvOnlineResult result)
{
  switch (result)
    {
    case PD_EMV_ONLINE_APPROVED: return "00";
    case PD_EMV_ONLINE_DECLINED: return "05";
    case PD_EMV_ONLINE_UNREACHABLE: default: return "Z3";
    }
}

gboolean
pd_emv_session_complete (PdEmvSession      *self,
                         PdEmvOnlineResult  result,
                         const char        *issuer_authentication,
                         const char        *issuer_scripts,
                         gboolean          *card_accepted,
                         GError           **error)
{
  g_autoptr(GBytes) issuer_data = NULL;
  g_autoptr(GByteArray) script_results = g_byte_array_new ();
  g_autoptr(GError) after_error = NULL;
  gboolean approved = result == PD_EMV_ONLINE_APPROVED;
  guint8 reference;
  guint8 cid;

  g_return_val_if_fail (self != NULL && self->authorized, FALSE);
  g_return_val_if_fail (card_accepted != NULL, FALSE);

  *card_accepted = FALSE;
  /* A tapped card has left the field: the issuer's word is final. */
  if (self->online_at_gpo || self->contactless)
    {
      *card_accepted = approved;
      return TRUE;
    }

  pd_emv_data_set (self->data, PD_TAG_ARC, (const guint8 *) response_code_for (result), 2);

  /* Book 3 sections 10.9 then 10.10: the issuer proves itself before its scripts run. */
  if (issuer_authentication != NULL && *issuer_authentication != '\0')
    {
      issuer_data = pd_hex_decode_bytes (issuer_authentication);
      if (issuer_data == NULL || g_bytes_get_size (issuer_data) < 8 ||
          g_bytes_get_size (issuer_data) > 16)
        pd_emv_tvr_set (self->tvr, PD_TVR_ISSUER_AUTH_FAILED);
      else if (!authenticate_issuer (self, issuer_data, error))
        return FALSE;
    }

  run_scripts (self, issuer_scripts, PD_TAG_SCRIPT_BEFORE, script_results, error);
  if (error != NULL && *error != NULL)
    return FALSE;

  reference = approved ? PD_GENAC_TC : PD_GENAC_AAC;
  if (approved && self->oda == ODA_CDA && self->icc_key != NULL)
    reference |= PD_GENAC_CDA;
  if (!generate_ac (self, reference, PD_TAG_CDOL2, NULL, &cid, error))
    return FALSE;
  if (dol_asks_for (self, PD_TAG_CDOL2, PD_TAG_ISSUER_AUTH_DATA) && issuer_data != NULL)
    self->tsi[0] |= PD_TSI_ISSUER_AUTH_PERFORMED;

  /* The card has spoken: a card pulled during the last scripts changes nothing of it. */
  *card_accepted = (cid & PD_CID_TYPE_MASK) == PD_CID_TC && !self->cda_signature_failed;
  if (!*card_accepted && approved)
    self->decline_message = _("The card did not accept the payment. Nothing was charged.");

  run_scripts (self, issuer_scripts, PD_TAG_SCRIPT_AFTER, script_results, &after_error);
  if (after_error != NULL)
    {
      pd_emv_link_note (self->link, "scripts after GENERATE AC 2: %s", after_error->message);
      pd_emv_tvr_set (self->tvr, PD_TVR_SCRIPT_FAILED_AFTER);
    }
  if (script_results->len > 0)
    pd_emv_data_set (self->data, PD_TAG_ISSUER_SCRIPT_RESULTS, script_results->data,
                     script_results->len);

  sync_results (self);
  return TRUE;
}

gboolean
pd_emv_session_is_contactless (PdEmvSession *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->contactless;
}

const char *
pd_emv_session_get_brand (PdEmvSession *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->application != NULL ? self->application->brand : NULL;
}

const char *
pd_emv_session_get_aid (PdEmvSession *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->aid_hex;
}

const char *
pd_emv_session_get_label (PdEmvSession *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->label;
}

const char *
pd_emv_session_get_pan_last4 (PdEmvSession *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->pan_last4[0] != '\0' ? self->pan_last4 : NULL;
}

gboolean
pd_emv_session_needs_signature (PdEmvSession *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->cvm.signature_required;
}

const char *
pd_emv_session_get_decline_message (PdEmvSession *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->decline_message;
}

char *
pd_emv_session_dup_tvr (PdEmvSession *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return pd_hex_encode (self->tvr, 5);
}

char *
pd_emv_session_dup_tsi (PdEmvSession *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return pd_hex_encode (self->tsi, 2);
}

char *
pd_emv_session_dup_icc_data (PdEmvSession *self)
{
  /* What the issuer needs to check the cryptogram and the terminal, nothing more. */
  static const guint32 tags[] = {
    PD_TAG_AMOUNT, PD_TAG_AMOUNT_OTHER, PD_TAG_TERMINAL_COUNTRY, PD_TAG_TVR, PD_TAG_CURRENCY,
    PD_TAG_TRANSACTION_DATE, PD_TAG_TRANSACTION_TYPE, PD_TAG_UNPREDICTABLE_NUMBER, PD_TAG_AIP,
    PD_TAG_ATC, PD_TAG_CRYPTOGRAM, PD_TAG_CID, PD_TAG_IAD, PD_TAG_PSN, PD_TAG_DF_NAME,
    PD_TAG_APP_VERSION_TERMINAL, PD_TAG_TERMINAL_CAPABILITIES, PD_TAG_TERMINAL_TYPE,
    PD_TAG_CVM_RESULTS, PD_TAG_POS_ENTRY_MODE, PD_TAG_TSI, PD_TAG_TTQ, PD_TAG_FORM_FACTOR,
    PD_TAG_ARC, PD_TAG_ISSUER_SCRIPT_RESULTS,
  };

  g_return_val_if_fail (self != NULL, NULL);

  sync_results (self);
  return pd_emv_data_to_hex (self->data, tags, G_N_ELEMENTS (tags));
}

char *
pd_emv_session_dup_card_secret (PdEmvSession *self)
{
  g_autofree char *pan = NULL;
  g_autofree char *track2 = NULL;
  const guint8 *expiry;
  GBytes *track;
  char *secret;

  g_return_val_if_fail (self != NULL, NULL);

  pan = pan_digits (self);
  if (pan == NULL)
    return NULL;

  expiry = pd_emv_data_peek (self->data, PD_TAG_EXPIRY, 2);
  track = pd_emv_data_get (self->data, PD_TAG_TRACK2);
  if (track != NULL)
    track2 = pd_hex_encode (g_bytes_get_data (track, NULL), g_bytes_get_size (track));

  secret = g_strdup_printf ("{\"pan\":\"%s\",\"expiry\":\"%02X%02X\"%s%s%s}", pan,
                            expiry != NULL ? expiry[0] : 0, expiry != NULL ? expiry[1] : 0,
                            track2 != NULL ? ",\"track2\":\"" : "",
                            track2 != NULL ? track2 : "", track2 != NULL ? "\"" : "");
  memset (pan, 0, strlen (pan));
  if (track2 != NULL)
    memset (track2, 0, strlen (track2));
  return secret;
}

const char *
pd_emv_session_get_log (PdEmvSession *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return pd_emv_link_get_log (self->link);
}

guint
pd_emv_session_get_commands (PdEmvSession *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return pd_emv_link_get_commands (self->link);
}
