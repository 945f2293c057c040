#include <string.h>

#include <openssl/crypto.h>

#include "pd-apdu.h"
#include "pd-card-cryptogram.h"
#include "pd-card-files.h"
#include "pd-card-signer.h"
#include "pd-card-t0.h"
#include "pd-dol.h"
#include "pd-hex.h"
#include "pd-virtual-card.h"

const guint8 pd_virtual_card_default_issuer_master_key[PD_ISSUER_MASTER_KEY_BYTES] = {
  0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10,
};

#define PSE_NAME "1PAY.SYS.DDF01"
#define PPSE_NAME "2PAY.SYS.DDF01"
/* The PSE's directory is its one elementary file. */
#define DIRECTORY_SFI 1
/* Directory entries per record, before the next record takes over. */
#define MAX_DIRECTORY_RECORD_BYTES 250
#define ICC_DYNAMIC_NUMBER_BYTES 8
#define ISSUER_AUTHENTICATION_MAX_BYTES 10

/* Application interchange profile, byte 1 (Book 3 Annex C1). */
#define AIP_DDA 0x20
#define AIP_CDA 0x01

/* Terminal transaction qualifiers, byte 1: qVSDC supported. */
#define TTQ_QVSDC 0x20
/* TTQ byte 3: the reader takes a phone's or watch's own verification of its owner. */
#define TTQ_CONSUMER_DEVICE_CVM 0x40

/* GENERATE AC reference control parameter: CDA signature requested. */
#define GENAC_CDA 0x10

typedef struct {
  const PdCardApplication *profile;
  PdCardFiles *files;
  guint8 icc_master_key[PD_DES_KEY_BYTES];
  guint16 atc;
  guint16 last_online_atc;
} CardApplication;

typedef enum {
  SELECTED_NOTHING,
  SELECTED_PSE,
  SELECTED_PPSE,
  SELECTED_APPLICATION,
} Selected;

/* One transaction, from GET PROCESSING OPTIONS on. */
typedef struct {
  gboolean started;
  guint generate_ac_count;
  /* The transaction is over: the card answered its last cryptogram. */
  gboolean completed;
  PdCardVerificationResults results;
  guint8 arqc[PD_AC_BYTES];
  /* What the terminal sent, by tag, from the PDOL and CDOL data. */
  GHashTable *terminal_data;
  GByteArray *pdol_data;
  GByteArray *cdol_data;
} Transaction;

struct _PdVirtualCard {
  PdCardProfile *profile;
  PdCardSigner *signer;
  GPtrArray *applications;
  PdCardT0 *t0;
  Selected selected;
  CardApplication *current;
  Transaction transaction;
  /* Bit per PdCardCommand that came since power on, for the profile's pull. */
  guint commands_seen;
  gboolean pulled;
  guint script_commands;
};

/* Appends the response data to answer, returns the status word. */
typedef guint16 (*CommandHandler) (PdVirtualCard *card,
                                   const PdApdu  *command,
                                   GByteArray    *answer);

static void
card_application_free (gpointer data)
{
  CardApplication *app = data;

  OPENSSL_cleanse (app->icc_master_key, sizeof app->icc_master_key);
  g_clear_pointer (&app->files, pd_card_files_free);
  g_free (app);
}

static void
transaction_clear (Transaction *transaction)
{
  g_clear_pointer (&transaction->terminal_data, g_hash_table_unref);
  g_clear_pointer (&transaction->pdol_data, g_byte_array_unref);
  g_clear_pointer (&transaction->cdol_data, g_byte_array_unref);
  OPENSSL_cleanse (transaction->arqc, sizeof transaction->arqc);
  memset (transaction, 0, sizeof *transaction);
}

static void
transaction_start (Transaction *transaction)
{
  transaction_clear (transaction);
  transaction->terminal_data = g_hash_table_new_full (NULL, NULL, NULL,
                                                      (GDestroyNotify) g_bytes_unref);
  transaction->pdol_data = g_byte_array_new ();
  transaction->cdol_data = g_byte_array_new ();
}

void
pd_virtual_card_free (PdVirtualCard *card)
{
  if (card == NULL)
    return;

  transaction_clear (&card->transaction);
  g_clear_pointer (&card->applications, g_ptr_array_unref);
  g_clear_pointer (&card->t0, pd_card_t0_free);
  g_clear_pointer (&card->signer, pd_card_signer_free);
  g_clear_pointer (&card->profile, pd_card_profile_free);
  g_free (card);
}

static gboolean
load_signer (PdVirtualCard  *card,
             GError        **error)
{
  const PdCardProfile *profile = card->profile;

  if (profile->ca_key_path == NULL)
    return TRUE;

  card->signer = pd_card_signer_new (profile->ca_key_path, profile->issuer_key_path,
                                     profile->icc_key_path, error);
  return card->signer != NULL;
}

static gboolean
personalize (PdVirtualCard  *card,
             const guint8    issuer_master_key[PD_ISSUER_MASTER_KEY_BYTES],
             GError        **error)
{
  for (guint i = 0; i < card->profile->applications->len; i++)
    {
      const PdCardApplication *profile = g_ptr_array_index (card->profile->applications, i);
      CardApplication *app = g_new0 (CardApplication, 1);

      g_ptr_array_add (card->applications, app);
      app->profile = profile;
      app->files = pd_card_files_new (profile, card->signer, error);
      if (app->files == NULL)
        {
          g_prefix_error (error, "card profile %s, application %s: ", card->profile->name,
                          profile->label);
          return FALSE;
        }
      pd_cryptogram_derive_icc_master_key (issuer_master_key, profile->pan, profile->psn,
                                           app->icc_master_key);
    }

  return TRUE;
}

PdVirtualCard *
pd_virtual_card_new (PdCardProfile  *profile,
                     const guint8    issuer_master_key[PD_ISSUER_MASTER_KEY_BYTES],
                     GError        **error)
{
  g_autoptr(PdVirtualCard) card = NULL;

  g_return_val_if_fail (profile != NULL, NULL);
  g_return_val_if_fail (issuer_master_key != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  card = g_new0 (PdVirtualCard, 1);
  card->profile = profile;
  card->applications = g_ptr_array_new_with_free_func (card_application_free);
  card->t0 = pd_card_t0_new ();

  if (!load_signer (card, error) || !personalize (card, issuer_master_key, error))
    return NULL;

  return g_steal_pointer (&card);
}

const PdCardProfile *
pd_virtual_card_get_profile (PdVirtualCard *card)
{
  g_return_val_if_fail (card != NULL, NULL);
  return card->profile;
}

GBytes *
pd_virtual_card_get_atr (PdVirtualCard *card)
{
  g_return_val_if_fail (card != NULL, NULL);
  return g_bytes_ref (card->profile->atr);
}

void
pd_virtual_card_reset (PdVirtualCard *card)
{
  g_return_if_fail (card != NULL);

  transaction_clear (&card->transaction);
  pd_card_t0_reset (card->t0);
  card->selected = SELECTED_NOTHING;
  card->current = NULL;
  card->commands_seen = 0;
}

guint16
pd_virtual_card_get_atc (PdVirtualCard *card,
                         const char    *aid)
{
  g_return_val_if_fail (card != NULL && aid != NULL, 0);

  for (guint i = 0; i < card->applications->len; i++)
    {
      CardApplication *app = g_ptr_array_index (card->applications, i);
      gsize length;
      const guint8 *bytes = g_bytes_get_data (app->profile->aid, &length);
      g_autofree char *hex = pd_hex_encode (bytes, length);

      if (g_ascii_strcasecmp (hex, aid) == 0)
        return app->atc;
    }

  return 0;
}

guint
pd_virtual_card_get_script_commands (PdVirtualCard *card)
{
  g_return_val_if_fail (card != NULL, 0);
  return card->script_commands;
}

static guint16
answer_data (GByteArray *answer,
             GBytes     *data)
{
  g_byte_array_append (answer, g_bytes_get_data (data, NULL), (guint) g_bytes_get_size (data));
  return PD_SW_SUCCESS;
}

static guint16
answer_template (GByteArray *answer,
                 guint32     tag,
                 GByteArray *contents)
{
  pd_tlv_append (answer, tag, contents->data, contents->len);
  return PD_SW_SUCCESS;
}

/* --- SELECT ------------------------------------------------------------------------ */

static gboolean
names_equal (const PdApdu *command,
             const char   *name)
{
  return command->lc == strlen (name) && memcmp (command->data, name, command->lc) == 0;
}

/* The directory's entries, filled into records in order. */
static GPtrArray *
directory_records (PdVirtualCard *card)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_byte_array_unref);
  g_autoptr(GByteArray) entries = g_byte_array_new ();

  for (guint i = 0; i < card->applications->len; i++)
    {
      CardApplication *app = g_ptr_array_index (card->applications, i);
      g_autoptr(GByteArray) entry = g_byte_array_new ();

      pd_card_files_append_directory_entry (app->files, entry);
      if (entries->len > 0 && entries->len + entry->len > MAX_DIRECTORY_RECORD_BYTES)
        {
          g_ptr_array_add (records, g_steal_pointer (&entries));
          entries = g_byte_array_new ();
        }
      g_byte_array_append (entries, entry->data, entry->len);
    }

  g_ptr_array_add (records, g_steal_pointer (&entries));
  return records;
}

/* 6F: the DF name and A5, which holds the directory's SFI (PSE) or the directory itself
 * in BF0C (PPSE). */
static guint16
answer_directory_fci (PdVirtualCard *card,
                      const char    *name,
                      GByteArray    *answer)
{
  g_autoptr(GByteArray) fci = g_byte_array_new ();
  g_autoptr(GByteArray) proprietary = g_byte_array_new ();
  const guint8 sfi = DIRECTORY_SFI;

  if (card->profile->interface == PD_CARD_INTERFACE_CONTACT)
    {
      pd_tlv_append (proprietary, 0x88, &sfi, 1);
      pd_tlv_append (proprietary, 0x5f2d, (const guint8 *) "en", 2);
    }
  else
    {
      g_autoptr(GByteArray) entries = g_byte_array_new ();

      for (guint i = 0; i < card->applications->len; i++)
        pd_card_files_append_directory_entry (
          ((CardApplication *) g_ptr_array_index (card->applications, i))->files, entries);
      pd_tlv_append (proprietary, 0xbf0c, entries->data, entries->len);
    }

  pd_tlv_append (fci, 0x84, (const guint8 *) name, strlen (name));
  pd_tlv_append (fci, 0xa5, proprietary->data, proprietary->len);
  return answer_template (answer, 0x6f, fci);
}

static gboolean
aid_starts_with (CardApplication *app,
                 const PdApdu    *command)
{
  gsize length;
  const guint8 *aid = g_bytes_get_data (app->profile->aid, &length);

  return command->lc <= length && memcmp (aid, command->data, command->lc) == 0;
}

/* Partial names select too (Book 1 section 12.3.1); P2 02 asks for the next application
 * the name fits, after the one selected. */
static CardApplication *
find_application (PdVirtualCard *card,
                  const PdApdu  *command)
{
  guint start = 0;

  if (command->p2 == 0x02 && card->current != NULL && aid_starts_with (card->current, command))
    for (guint i = 0; i < card->applications->len; i++)
      if (g_ptr_array_index (card->applications, i) == card->current)
        start = i + 1;

  for (guint i = start; i < card->applications->len; i++)
    if (aid_starts_with (g_ptr_array_index (card->applications, i), command))
      return g_ptr_array_index (card->applications, i);

  return NULL;
}

static guint16
do_select (PdVirtualCard *card,
           const PdApdu  *command,
           GByteArray    *answer)
{
  gboolean contactless = card->profile->interface == PD_CARD_INTERFACE_CONTACTLESS;
  const char *directory = contactless ? PPSE_NAME : PSE_NAME;
  CardApplication *app;

  if (command->p1 != 0x04 || (command->p2 != 0x00 && command->p2 != 0x02))
    return PD_SW_WRONG_P1_P2;
  if (command->lc == 0)
    return PD_SW_FILE_NOT_FOUND;

  if (names_equal (command, PSE_NAME) || names_equal (command, PPSE_NAME))
    {
      if (!card->profile->has_directory || !names_equal (command, directory))
        return PD_SW_FILE_NOT_FOUND;
      transaction_clear (&card->transaction);
      card->selected = contactless ? SELECTED_PPSE : SELECTED_PSE;
      card->current = NULL;
      return answer_directory_fci (card, directory, answer);
    }

  if ((app = find_application (card, command)) == NULL)
    return PD_SW_FILE_NOT_FOUND;

  transaction_clear (&card->transaction);
  card->selected = SELECTED_APPLICATION;
  card->current = app;
  return answer_data (answer, pd_card_files_get_fci (app->files));
}

/* --- Terminal data ------------------------------------------------------------------ */

static GArray *
card_dol (CardApplication *app,
          guint32          tag)
{
  GBytes *dol = pd_card_files_get_object (app->files, tag);
  gsize length = 0;
  const guint8 *bytes = dol != NULL ? g_bytes_get_data (dol, &length) : NULL;

  /* The profile's lists were parsed when it loaded. */
  return pd_dol_parse (bytes, length, NULL);
}

static gsize
dol_length (GArray *entries)
{
  gsize total = 0;

  for (guint i = 0; i < entries->len; i++)
    total += g_array_index (entries, PdDolEntry, i).length;
  return total;
}

/* Keeps what the terminal sent for the DOL, tag by tag; the caller checked its length. */
static void
keep_terminal_data (Transaction  *transaction,
                    GArray       *entries,
                    const guint8 *data)
{
  gsize at = 0;

  for (guint i = 0; i < entries->len; i++)
    {
      const PdDolEntry *entry = &g_array_index (entries, PdDolEntry, i);

      g_hash_table_replace (transaction->terminal_data, GUINT_TO_POINTER (entry->tag),
                            g_bytes_new (data + at, entry->length));
      at += entry->length;
    }
}

/* A value the terminal sent, as long as expected: zeros where it sent nothing. */
static void
copy_terminal_value (Transaction *transaction,
                     guint32      tag,
                     guint8      *out,
                     gsize        length)
{
  GBytes *value = g_hash_table_lookup (transaction->terminal_data, GUINT_TO_POINTER (tag));
  gsize have = 0;
  const guint8 *bytes = value != NULL ? g_bytes_get_data (value, &have) : NULL;

  memset (out, 0, length);
  if (bytes != NULL)
    memcpy (out, bytes, MIN (have, length));
}

/* --- Cryptograms -------------------------------------------------------------------- */

static void
atc_bytes (CardApplication *app,
           guint8           atc[2])
{
  atc[0] = (guint8) (app->atc >> 8);
  atc[1] = (guint8) app->atc;
}

/* 9F02 9F03 9F1A 95 5F2A 9A 9C 9F37 from the terminal, then the card's AIP and ATC. */
static GByteArray *
transaction_data (PdVirtualCard   *card,
                  CardApplication *app)
{
  static const PdDolEntry from_terminal[] = {
    { 0x9f02, 6 }, { 0x9f03, 6 }, { 0x9f1a, 2 }, { 0x95, 5 }, { 0x5f2a, 2 }, { 0x9a, 3 },
    { 0x9c, 1 }, { 0x9f37, 4 },
  };
  GByteArray *data = g_byte_array_new ();
  guint8 atc[2];

  for (gsize i = 0; i < G_N_ELEMENTS (from_terminal); i++)
    {
      guint8 value[8];

      copy_terminal_value (&card->transaction, from_terminal[i].tag, value,
                           from_terminal[i].length);
      g_byte_array_append (data, value, (guint) from_terminal[i].length);
    }

  g_byte_array_append (data, g_bytes_get_data (pd_card_files_get_object (app->files, 0x82),
                                               NULL), 2);
  atc_bytes (app, atc);
  g_byte_array_append (data, atc, 2);
  return data;
}

/* Computes the cryptogram of type cid over the transaction so far; the IAD goes to iad. */
static gsize
compute_cryptogram (PdVirtualCard   *card,
                    CardApplication *app,
                    guint8           ac[PD_AC_BYTES],
                    guint8           iad[PD_IAD_MAX_BYTES])
{
  g_autoptr(GByteArray) data = transaction_data (card, app);
  gsize iad_length = pd_card_cryptogram_build_iad (app->profile->cryptogram,
                                                   &card->transaction.results, iad);
  guint8 unpredictable_number[4];
  guint8 atc[2];

  copy_terminal_value (&card->transaction, 0x9f37, unpredictable_number, 4);
  atc_bytes (app, atc);
  pd_card_cryptogram_compute (app->profile->cryptogram, app->icc_master_key, data->data,
                              data->len, iad, iad_length, atc, unpredictable_number, ac);
  return iad_length;
}

static GBytes *
icc_dynamic_number (void)
{
  guint8 number[ICC_DYNAMIC_NUMBER_BYTES];

  for (gsize i = 0; i < sizeof number; i++)
    number[i] = (guint8) g_random_int_range (0, 256);
  return g_bytes_new (number, sizeof number);
}

/* --- GET PROCESSING OPTIONS --------------------------------------------------------- */

/* qVSDC cards serve only terminals that do qVSDC. */
static gboolean
terminal_does_qvsdc (PdVirtualCard   *card,
                     CardApplication *app)
{
  guint8 ttq[4];

  if (app->profile->cryptogram != PD_CARD_CRYPTOGRAM_VISA_CVN18)
    return TRUE;
  copy_terminal_value (&card->transaction, 0x9f66, ttq, sizeof ttq);
  return (ttq[0] & TTQ_QVSDC) != 0;
}

static void
set_dynamic (GHashTable   *values,
             guint32       tag,
             const guint8 *value,
             gsize         length)
{
  g_hash_table_insert (values, GUINT_TO_POINTER (tag), g_bytes_new (value, length));
}

/* The cryptogram comes with the GPO answer (qVSDC): the card always goes online. Returns
 * the objects computed, by tag. */
static GHashTable *
gpo_cryptogram (PdVirtualCard   *card,
                CardApplication *app)
{
  GHashTable *values = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_bytes_unref);
  guint8 ac[PD_AC_BYTES];
  guint8 iad[PD_IAD_MAX_BYTES];
  guint8 atc[2];
  const guint8 cid = PD_CID_ARQC;
  gsize iad_length;

  app->atc++;
  card->transaction.results.first_cid = cid;
  card->transaction.generate_ac_count = 1;
  card->transaction.completed = TRUE;
  iad_length = compute_cryptogram (card, app, ac, iad);
  atc_bytes (app, atc);

  set_dynamic (values, 0x9f10, iad, iad_length);
  set_dynamic (values, 0x9f26, ac, sizeof ac);
  if (card->profile->verifies_on_device)
    {
      guint8 ttq[4];
      /* The wallet verified its owner (CTQ byte 2 "consumer device CVM performed") where
       * the reader accepts that; elsewhere it asks for online PIN, as phones do. */
      static const guint8 verified_on_device[2] = { 0x00, 0x80 };
      static const guint8 online_pin_required[2] = { 0x80, 0x00 };

      copy_terminal_value (&card->transaction, 0x9f66, ttq, sizeof ttq);
      set_dynamic (values, 0x9f6c,
                   (ttq[2] & TTQ_CONSUMER_DEVICE_CVM) ? verified_on_device : online_pin_required,
                   2);
    }
  set_dynamic (values, 0x9f27, &cid, 1);
  set_dynamic (values, 0x9f36, atc, 2);
  return values;
}

/* What the profile lists for the GPO answer, in its order: the card's data objects, and
 * those computed for this transaction. */
static void
append_gpo_objects (PdVirtualCard   *card,
                    CardApplication *app,
                    GByteArray      *contents)
{
  GArray *tags = app->profile->gpo_tags;
  g_autoptr(GHashTable) computed = NULL;

  if (pd_card_application_has_gpo_cryptogram (app->profile))
    computed = gpo_cryptogram (card, app);

  for (guint i = 0; i < tags->len; i++)
    {
      guint32 tag = g_array_index (tags, guint32, i);
      GBytes *value = computed != NULL ? g_hash_table_lookup (computed, GUINT_TO_POINTER (tag))
                                       : NULL;

      if (value == NULL)
        value = pd_card_files_get_object (app->files, tag);
      if (value != NULL)
        pd_tlv_append (contents, tag, g_bytes_get_data (value, NULL), g_bytes_get_size (value));
    }
}

static guint16
do_get_processing_options (PdVirtualCard *card,
                           const PdApdu  *command,
                           GByteArray    *answer)
{
  CardApplication *app = card->current;
  g_autoptr(GArray) pdol = NULL;
  g_autoptr(GByteArray) contents = g_byte_array_new ();
  gsize value_length;

  if (card->selected != SELECTED_APPLICATION || card->transaction.started)
    return PD_SW_CONDITIONS_NOT_SATISFIED;
  if (command->p1 != 0 || command->p2 != 0)
    return PD_SW_WRONG_P1_P2;

  /* 83, a one-byte length, then the PDOL's values. */
  pdol = card_dol (app, 0x9f38);
  if (command->lc < 2 || command->data[0] != 0x83)
    return PD_SW_WRONG_DATA;
  value_length = command->data[1];
  if (value_length != command->lc - 2 || value_length != dol_length (pdol))
    return PD_SW_WRONG_LENGTH;

  transaction_start (&card->transaction);
  keep_terminal_data (&card->transaction, pdol, command->data + 2);
  g_byte_array_append (card->transaction.pdol_data, command->data + 2, (guint) value_length);
  if (!terminal_does_qvsdc (card, app))
    {
      transaction_clear (&card->transaction);
      return PD_SW_CONDITIONS_NOT_SATISFIED;
    }
  card->transaction.started = TRUE;

  pd_tlv_append (contents, 0x82, g_bytes_get_data (pd_card_files_get_object (app->files, 0x82),
                                                   NULL), 2);
  pd_tlv_append (contents, 0x94,
                 g_bytes_get_data (pd_card_files_get_object (app->files, 0x94), NULL),
                 g_bytes_get_size (pd_card_files_get_object (app->files, 0x94)));
  append_gpo_objects (card, app, contents);
  return answer_template (answer, 0x77, contents);
}

/* --- READ RECORD -------------------------------------------------------------------- */

static gboolean
application_has_file (CardApplication *app,
                      guint8           sfi)
{
  for (guint i = 0; i < app->profile->records->len; i++)
    if (g_array_index (app->profile->records, PdCardRecordLayout, i).sfi == sfi)
      return TRUE;
  return FALSE;
}

static guint16
read_directory_record (PdVirtualCard *card,
                       guint8         sfi,
                       guint8         number,
                       GByteArray    *answer)
{
  g_autoptr(GPtrArray) records = NULL;
  GByteArray *entries;

  if (sfi != DIRECTORY_SFI)
    return PD_SW_FILE_NOT_FOUND;

  records = directory_records (card);
  if (number > records->len)
    return PD_SW_RECORD_NOT_FOUND;
  entries = g_ptr_array_index (records, number - 1);
  return answer_template (answer, 0x70, entries);
}

static guint16
do_read_record (PdVirtualCard *card,
                const PdApdu  *command,
                GByteArray    *answer)
{
  guint8 sfi = command->p2 >> 3;
  guint8 number = command->p1;
  GBytes *record;

  /* P2: the SFI, and 100 for "record number in P1". */
  if ((command->p2 & 0x07) != 0x04 || number == 0 || sfi == 0)
    return PD_SW_WRONG_P1_P2;

  switch (card->selected)
    {
    case SELECTED_PSE:
      return read_directory_record (card, sfi, number, answer);
    case SELECTED_APPLICATION:
      break;
    case SELECTED_PPSE:
      return PD_SW_FILE_NOT_FOUND;
    case SELECTED_NOTHING:
    default:
      return PD_SW_CONDITIONS_NOT_SATISFIED;
    }

  if (!application_has_file (card->current, sfi))
    return PD_SW_FILE_NOT_FOUND;
  if ((record = pd_card_files_get_record (card->current->files, sfi, number)) == NULL)
    return PD_SW_RECORD_NOT_FOUND;
  return answer_data (answer, record);
}

/* --- GENERATE AC -------------------------------------------------------------------- */

static gboolean
card_does_cda (PdVirtualCard   *card,
               CardApplication *app)
{
  const guint8 *aip = g_bytes_get_data (pd_card_files_get_object (app->files, 0x82), NULL);

  return (aip[0] & AIP_CDA) && card->signer != NULL &&
         pd_card_files_get_object (app->files, 0x9f46) != NULL;
}

/* 77: CID, ATC, the cryptogram and the IAD; with CDA the cryptogram travels inside the
 * signature 9F4B instead, which signs the other objects (Book 2 section 6.6.1). */
static guint16
answer_cryptogram (PdVirtualCard   *card,
                   CardApplication *app,
                   guint8           cid,
                   gboolean         cda,
                   GByteArray      *answer)
{
  g_autoptr(GByteArray) objects = g_byte_array_new ();
  g_autoptr(GBytes) pdol_data = NULL;
  g_autoptr(GBytes) cdol_data = NULL;
  g_autoptr(GBytes) signed_objects = NULL;
  g_autoptr(GBytes) number = NULL;
  g_autoptr(GBytes) signature = NULL;
  guint8 ac[PD_AC_BYTES];
  guint8 iad[PD_IAD_MAX_BYTES];
  guint8 atc[2];
  guint8 unpredictable_number[4];
  gsize iad_length = compute_cryptogram (card, app, ac, iad);

  atc_bytes (app, atc);
  pd_tlv_append (objects, 0x9f27, &cid, 1);
  pd_tlv_append (objects, 0x9f36, atc, 2);
  if (!cda)
    pd_tlv_append (objects, 0x9f26, ac, sizeof ac);
  pd_tlv_append (objects, 0x9f10, iad, iad_length);

  if ((cid & PD_CID_TYPE_MASK) == PD_CID_ARQC)
    memcpy (card->transaction.arqc, ac, sizeof ac);

  if (cda)
    {
      copy_terminal_value (&card->transaction, 0x9f37, unpredictable_number, 4);
      pdol_data = g_bytes_new (card->transaction.pdol_data->data,
                               card->transaction.pdol_data->len);
      cdol_data = g_bytes_new (card->transaction.cdol_data->data,
                               card->transaction.cdol_data->len);
      signed_objects = g_bytes_new (objects->data, objects->len);
      number = icc_dynamic_number ();
      signature = pd_card_signer_sign_cda (card->signer, number, cid, ac, unpredictable_number,
                                           pdol_data, cdol_data, signed_objects);
      pd_tlv_append (objects, 0x9f4b, g_bytes_get_data (signature, NULL),
                     g_bytes_get_size (signature));
    }

  OPENSSL_cleanse (ac, sizeof ac);
  return answer_template (answer, 0x77, objects);
}

/* Card risk management, as simple as it gets: an AAC is always granted, a TC only by a
 * card that approves offline; everything else goes online. */
static guint8
first_cryptogram_type (PdVirtualCard *card,
                       guint8         requested)
{
  switch (requested)
    {
    case PD_CID_AAC:
      return PD_CID_AAC;
    case PD_CID_TC:
      return card->profile->approves_offline ? PD_CID_TC : PD_CID_ARQC;
    default:
      return PD_CID_ARQC;
    }
}

static gboolean
all_zero (const guint8 *bytes,
          gsize         length)
{
  for (gsize i = 0; i < length; i++)
    if (bytes[i] != 0)
      return FALSE;
  return TRUE;
}

/* Tag 91 from CDOL2 against the ARPC the card expects for its ARQC and the ARC (8A). All
 * zeros: the terminal had none. The card approves only an issuer that approved ("00"). */
static gboolean
issuer_approved (PdVirtualCard   *card,
                 CardApplication *app)
{
  Transaction *transaction = &card->transaction;
  guint8 expected[ISSUER_AUTHENTICATION_MAX_BYTES];
  guint8 received[ISSUER_AUTHENTICATION_MAX_BYTES];
  guint8 arc[2];
  guint8 atc[2];
  gsize length;
  gboolean matches;

  copy_terminal_value (transaction, 0x8a, arc, sizeof arc);
  copy_terminal_value (transaction, 0x91, received, sizeof received);
  atc_bytes (app, atc);
  length = pd_card_cryptogram_issuer_authentication (app->profile->cryptogram,
                                                     app->icc_master_key, transaction->arqc,
                                                     atc, arc, expected);
  matches = CRYPTO_memcmp (expected, received, length) == 0;
  OPENSSL_cleanse (expected, sizeof expected);

  if (all_zero (received, length))
    matches = !app->profile->issuer_authentication_required;
  else
    transaction->results.issuer_authentication_failed = !matches;

  return matches && memcmp (arc, "00", 2) == 0;
}

static gboolean
take_cdol_data (PdVirtualCard   *card,
                CardApplication *app,
                guint32          dol_tag,
                const PdApdu    *command)
{
  g_autoptr(GArray) cdol = card_dol (app, dol_tag);

  if (command->lc != dol_length (cdol))
    return FALSE;

  keep_terminal_data (&card->transaction, cdol, command->data);
  /* For CDA, the second cryptogram's hash covers CDOL1's data then CDOL2's. */
  g_byte_array_append (card->transaction.cdol_data, command->data, (guint) command->lc);
  return TRUE;
}

static guint16
first_generate_ac (PdVirtualCard   *card,
                   CardApplication *app,
                   const PdApdu    *command,
                   GByteArray      *answer)
{
  Transaction *transaction = &card->transaction;
  guint8 cid = first_cryptogram_type (card, command->p1 & PD_CID_TYPE_MASK);
  gboolean cda = (command->p1 & GENAC_CDA) && cid != PD_CID_AAC && card_does_cda (card, app);

  if (!take_cdol_data (card, app, 0x8c, command))
    return PD_SW_WRONG_LENGTH;

  app->atc++;
  transaction->generate_ac_count = 1;
  transaction->completed = cid != PD_CID_ARQC;
  transaction->results.first_cid = cid;
  transaction->results.cda_first = cda;
  return answer_cryptogram (card, app, cid, cda, answer);
}

static guint16
second_generate_ac (PdVirtualCard   *card,
                    CardApplication *app,
                    const PdApdu    *command,
                    GByteArray      *answer)
{
  Transaction *transaction = &card->transaction;
  guint8 requested = command->p1 & PD_CID_TYPE_MASK;
  guint8 cid = PD_CID_AAC;
  gboolean cda;

  if (requested == PD_CID_ARQC)
    return PD_SW_WRONG_P1_P2;
  if (!take_cdol_data (card, app, 0x8d, command))
    return PD_SW_WRONG_LENGTH;

  if (issuer_approved (card, app) && requested == PD_CID_TC &&
      !card->profile->declines_generate_ac_2)
    {
      cid = PD_CID_TC;
      app->last_online_atc = app->atc;
    }
  cda = (command->p1 & GENAC_CDA) && cid != PD_CID_AAC && card_does_cda (card, app);

  transaction->generate_ac_count = 2;
  transaction->completed = TRUE;
  transaction->results.second_done = TRUE;
  transaction->results.second_cid = cid;
  transaction->results.cda_second = cda;
  return answer_cryptogram (card, app, cid, cda, answer);
}

static guint16
do_generate_ac (PdVirtualCard *card,
                const PdApdu  *command,
                GByteArray    *answer)
{
  CardApplication *app = card->current;
  Transaction *transaction = &card->transaction;

  /* Bits 6 and 4 to 1 are RFU; 11 is no cryptogram type. */
  if ((command->p1 & 0x2f) != 0 || (command->p1 & PD_CID_TYPE_MASK) == PD_CID_TYPE_MASK ||
      command->p2 != 0)
    return PD_SW_WRONG_P1_P2;
  if (card->selected != SELECTED_APPLICATION || !transaction->started ||
      transaction->completed || pd_card_application_has_gpo_cryptogram (app->profile))
    return PD_SW_CONDITIONS_NOT_SATISFIED;

  if (transaction->generate_ac_count == 0)
    return first_generate_ac (card, app, command, answer);
  return second_generate_ac (card, app, command, answer);
}

/* --- INTERNAL AUTHENTICATE, GET DATA, issuer scripts ---------------------------------- */

static guint16
do_internal_authenticate (PdVirtualCard *card,
                          const PdApdu  *command,
                          GByteArray    *answer)
{
  CardApplication *app = card->current;
  g_autoptr(GByteArray) contents = g_byte_array_new ();
  g_autoptr(GBytes) number = NULL;
  g_autoptr(GBytes) ddol_data = NULL;
  g_autoptr(GBytes) signature = NULL;
  const guint8 *aip;

  if (card->selected != SELECTED_APPLICATION)
    return PD_SW_CONDITIONS_NOT_SATISFIED;
  aip = g_bytes_get_data (pd_card_files_get_object (app->files, 0x82), NULL);
  if (!(aip[0] & AIP_DDA) || card->signer == NULL ||
      pd_card_files_get_object (app->files, 0x9f46) == NULL)
    return PD_SW_INS_NOT_SUPPORTED;
  if (command->p1 != 0 || command->p2 != 0)
    return PD_SW_WRONG_P1_P2;
  if (command->lc == 0)
    return PD_SW_WRONG_LENGTH;

  number = icc_dynamic_number ();
  ddol_data = g_bytes_new (command->data, command->lc);
  signature = pd_card_signer_sign_dynamic (card->signer, number, ddol_data);
  card->transaction.results.dda_performed = TRUE;
  pd_tlv_append (contents, 0x9f4b, g_bytes_get_data (signature, NULL),
                 g_bytes_get_size (signature));
  return answer_template (answer, 0x77, contents);
}

static guint16
do_get_data (PdVirtualCard *card,
             const PdApdu  *command,
             GByteArray    *answer)
{
  guint32 tag = (guint32) command->p1 << 8 | command->p2;
  g_autoptr(GByteArray) value = g_byte_array_new ();
  guint8 two[2];
  const guint8 pin_tries = 3;

  if (card->selected != SELECTED_APPLICATION)
    return PD_SW_CONDITIONS_NOT_SATISFIED;

  switch (tag)
    {
    case 0x9f36:
      atc_bytes (card->current, two);
      pd_tlv_append (value, tag, two, 2);
      break;
    case 0x9f13:
      two[0] = (guint8) (card->current->last_online_atc >> 8);
      two[1] = (guint8) card->current->last_online_atc;
      pd_tlv_append (value, tag, two, 2);
      break;
    case 0x9f17:
      pd_tlv_append (value, tag, &pin_tries, 1);
      break;
    default:
      return PD_SW_DATA_NOT_FOUND;
    }

  g_byte_array_append (answer, value->data, value->len);
  return PD_SW_SUCCESS;
}

/* Script commands (APPLICATION BLOCK, PUT DATA ...) come with secure messaging: a MAC of
 * at least four bytes ends their data. The card counts them; it does not check the MAC. */
static guint16
do_issuer_script (PdVirtualCard *card,
                  const PdApdu  *command,
                  GByteArray    *answer)
{
  if (card->selected != SELECTED_APPLICATION || card->transaction.generate_ac_count == 0)
    return PD_SW_CONDITIONS_NOT_SATISFIED;
  if (command->lc < 4)
    return PD_SW_SECURITY_NOT_SATISFIED;

  card->script_commands++;
  card->transaction.results.scripts++;
  return PD_SW_SUCCESS;
}

/* --- Dispatch ----------------------------------------------------------------------- */

static const struct {
  guint8 cla;
  guint8 ins;
  PdCardCommand command;
  CommandHandler handler;
} commands[] = {
  { 0x00, 0xa4, PD_CARD_COMMAND_SELECT, do_select },
  { 0x80, 0xa8, PD_CARD_COMMAND_GET_PROCESSING_OPTIONS, do_get_processing_options },
  { 0x00, 0xb2, PD_CARD_COMMAND_READ_RECORD, do_read_record },
  { 0x80, 0xae, PD_CARD_COMMAND_GENERATE_AC_1, do_generate_ac },
  { 0x00, 0x88, PD_CARD_COMMAND_INTERNAL_AUTHENTICATE, do_internal_authenticate },
  { 0x80, 0xca, PD_CARD_COMMAND_GET_DATA, do_get_data },
  /* CARD BLOCK, APPLICATION UNBLOCK, APPLICATION BLOCK, PIN CHANGE/UNBLOCK, PUT DATA,
   * UPDATE RECORD. */
  { 0x84, 0x16, PD_CARD_COMMAND_NONE, do_issuer_script },
  { 0x84, 0x18, PD_CARD_COMMAND_NONE, do_issuer_script },
  { 0x84, 0x1e, PD_CARD_COMMAND_NONE, do_issuer_script },
  { 0x84, 0x24, PD_CARD_COMMAND_NONE, do_issuer_script },
  { 0x84, 0xda, PD_CARD_COMMAND_NONE, do_issuer_script },
  { 0x84, 0xdc, PD_CARD_COMMAND_NONE, do_issuer_script },
};

/* The index in commands, or -1 with the status word that refuses the command. */
static gint
find_command (const PdApdu *command,
              guint16      *refusal)
{
  gboolean known_ins = FALSE;

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (commands[i].ins != command->ins)
        continue;
      if (commands[i].cla == command->cla)
        return (gint) i;
      known_ins = TRUE;
    }

  *refusal = known_ins || (command->cla != 0x00 && command->cla != 0x80 && command->cla != 0x84)
             ? PD_SW_CLA_NOT_SUPPORTED : PD_SW_INS_NOT_SUPPORTED;
  return -1;
}

static PdCardCommand
command_kind (PdVirtualCard *card,
              gint           index)
{
  PdCardCommand kind = commands[index].command;

  if (kind == PD_CARD_COMMAND_GENERATE_AC_1 && card->transaction.generate_ac_count > 0)
    return PD_CARD_COMMAND_GENERATE_AC_2;
  return kind;
}

static gboolean
pulled_at (PdVirtualCard *card,
           PdCardCommand  kind)
{
  const PdCardProfile *profile = card->profile;

  return profile->pull_on != PD_CARD_COMMAND_NONE && kind == profile->pull_on &&
         (profile->pull_after == PD_CARD_COMMAND_NONE ||
          (card->commands_seen & 1u << profile->pull_after));
}

static gboolean
is_get_response (const PdApdu *command)
{
  return command->cla == 0x00 && command->ins == 0xc0;
}

gboolean
pd_virtual_card_transmit (PdVirtualCard *card,
                          const guint8  *apdu,
                          gsize          length,
                          GByteArray    *response)
{
  g_autoptr(GByteArray) answer = g_byte_array_new ();
  PdApdu command;
  PdCardCommand kind;
  guint16 status = 0;
  gint index;

  g_return_val_if_fail (card != NULL, FALSE);
  g_return_val_if_fail (apdu != NULL || length == 0, FALSE);
  g_return_val_if_fail (response != NULL, FALSE);

  if (card->pulled)
    return FALSE;

  if (!pd_apdu_parse (apdu, length, &command))
    {
      pd_apdu_append_status (response, PD_SW_WRONG_LENGTH);
      return TRUE;
    }

  if (card->profile->t0 && is_get_response (&command))
    {
      pd_card_t0_get_response (card->t0, &command, response);
      return TRUE;
    }

  if ((index = find_command (&command, &status)) >= 0)
    {
      kind = command_kind (card, index);
      if (pulled_at (card, kind))
        {
          card->pulled = TRUE;
          return FALSE;
        }
      status = commands[index].handler (card, &command, answer);
      card->commands_seen |= 1u << kind;
    }
  pd_apdu_append_status (answer, status);

  if (card->profile->t0)
    pd_card_t0_shape (card->t0, &command, answer);
  g_byte_array_append (response, answer->data, answer->len);
  return TRUE;
}
