#include <string.h>

#include <sodium.h>

#include "pd-capk.h"
#include "pd-dol.h"
#include "pd-oda.h"
#include "pd-seal.h"
#include "pd-sim-card-check.h"
#include "pd-emv-cryptogram.h"
#include "pd-hex.h"
#include "pd-sim-sealing.h"
#include "pd-test-common.h"
#include "pd-tlv.h"
#include "pd-virtual-card.h"

/* The virtual cards of tests/fixtures/cards, driven with raw APDUs as a terminal would,
 * their cryptograms checked by the training payment core and their offline data
 * authentication by the terminal's own code (devices/emv/pd-oda.c). */

#define SW_OK 0x9000

static const char * const required_profiles[] = {
  "visa", "visa-debit", "mastercard", "discover", "amex", "multi-app", "visa-t0", "no-pse",
  "sda", "dda", "cda", "expired", "declines-genac2", "contactless-visa",
  "contactless-mastercard", "contactless-discover", "malformed-records", "pulled-after-gpo",
};

/* ---- Bytes ---- */

/* The test's own hex: text that is not whole bytes of it is a broken test. */
static GBytes *
bytes_from_hex (const char *hex)
{
  GBytes *bytes = pd_hex_decode_bytes (hex);

  g_assert_nonnull (bytes);
  return bytes;
}

static char *
hex_of (GBytes *bytes)
{
  return pd_hex_encode (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static void
assert_bytes (GBytes     *bytes,
              const char *expected_hex)
{
  g_autoptr(GBytes) expected = bytes_from_hex (expected_hex);
  g_autofree char *actual = NULL;
  g_autofree char *wanted = NULL;

  g_assert_nonnull (bytes);
  actual = hex_of (bytes);
  wanted = hex_of (expected);
  g_assert_cmpstr (actual, ==, wanted);
}

/* ---- Cards ---- */

static char *
profiles_dir (void)
{
  const char *dir = g_getenv ("PAYDESK_CARD_PROFILES");

  if (dir != NULL && *dir != '\0')
    return g_strdup (dir);
  return g_test_build_filename (G_TEST_DIST, "fixtures", "cards", NULL);
}

static PdVirtualCard *
insert_card (const char *name)
{
  g_autofree char *dir = profiles_dir ();
  g_autofree char *path = pd_card_profile_resolve (name, dir);
  g_autoptr(GError) error = NULL;
  PdCardProfile *profile = pd_card_profile_load (path, &error);
  PdVirtualCard *card;

  g_assert_no_error (error);
  card = pd_virtual_card_new (profile, pd_virtual_card_default_issuer_master_key, &error);
  g_assert_no_error (error);
  pd_virtual_card_reset (card);
  return card;
}

/* Sends the APDU (hex); returns the response data, the status word in sw. */
static GBytes *
send_apdu (PdVirtualCard *card,
           const char    *apdu_hex,
           guint16       *sw)
{
  g_autoptr(GBytes) apdu = bytes_from_hex (apdu_hex);
  g_autoptr(GByteArray) response = g_byte_array_new ();

  g_assert_true (pd_virtual_card_transmit (card, g_bytes_get_data (apdu, NULL),
                                           g_bytes_get_size (apdu), response));
  g_assert_cmpuint (response->len, >=, 2);
  *sw = (guint16) (response->data[response->len - 2] << 8 | response->data[response->len - 1]);
  return g_bytes_new (response->data, response->len - 2);
}

static GBytes *
send_command (PdVirtualCard *card,
              guint8         cla,
              guint8         ins,
              guint8         p1,
              guint8         p2,
              GBytes        *data,
              guint16       *sw)
{
  g_autoptr(GString) apdu = g_string_new (NULL);

  g_string_append_printf (apdu, "%02X%02X%02X%02X", cla, ins, p1, p2);
  if (data != NULL && g_bytes_get_size (data) > 0)
    {
      g_autofree char *hex = hex_of (data);

      g_string_append_printf (apdu, "%02X%s", (guint) g_bytes_get_size (data), hex);
    }
  g_string_append (apdu, "00");
  return send_apdu (card, apdu->str, sw);
}

static GPtrArray *
parse_tlv (GBytes *bytes)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *nodes = pd_tlv_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                   &error);

  g_assert_no_error (error);
  return nodes;
}

static GBytes *
find_value (GPtrArray *nodes,
            guint32    tag)
{
  const PdTlv *node = pd_tlv_find (nodes, tag);

  return node != NULL ? node->value : NULL;
}

/* ---- A terminal's session: what it sent, and what the card answered ---- */

typedef struct {
  PdVirtualCard *card;
  GHashTable *terminal;
  GHashTable *icc;
  GBytes *pdol_data;
  GBytes *cdol1_data;
  GBytes *cdol2_data;
} Session;

static void
set_hex (GHashTable *table,
         guint32     tag,
         const char *hex)
{
  g_hash_table_replace (table, GUINT_TO_POINTER (tag), bytes_from_hex (hex));
}

static Session *
session_new (const char *profile)
{
  Session *session = g_new0 (Session, 1);

  session->card = insert_card (profile);
  session->terminal = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_bytes_unref);
  session->icc = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_bytes_unref);

  /* $123.45 in the US, on 15 January 2025; qVSDC and EMV contact. */
  set_hex (session->terminal, 0x9f02, "000000012345");
  set_hex (session->terminal, 0x9f03, "000000000000");
  set_hex (session->terminal, 0x9f1a, "0840");
  set_hex (session->terminal, 0x95, "0000008000");
  set_hex (session->terminal, 0x5f2a, "0840");
  set_hex (session->terminal, 0x9a, "250115");
  set_hex (session->terminal, 0x9c, "00");
  set_hex (session->terminal, 0x9f37, "1A2B3C4D");
  set_hex (session->terminal, 0x9f35, "24");
  set_hex (session->terminal, 0x9f34, "1F0302");
  set_hex (session->terminal, 0x9f66, "30800000");
  return session;
}

static void
session_free (Session *session)
{
  pd_virtual_card_free (session->card);
  g_hash_table_unref (session->terminal);
  g_hash_table_unref (session->icc);
  g_clear_pointer (&session->pdol_data, g_bytes_unref);
  g_clear_pointer (&session->cdol1_data, g_bytes_unref);
  g_clear_pointer (&session->cdol2_data, g_bytes_unref);
  g_free (session);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Session, session_free)

static GBytes *
session_lookup (guint32  tag,
                gpointer data)
{
  Session *session = data;
  GBytes *value = g_hash_table_lookup (session->terminal, GUINT_TO_POINTER (tag));

  if (value == NULL)
    value = g_hash_table_lookup (session->icc, GUINT_TO_POINTER (tag));
  return value != NULL ? g_bytes_ref (value) : NULL;
}

static GBytes *
icc_get (Session *session,
         guint32  tag)
{
  return g_hash_table_lookup (session->icc, GUINT_TO_POINTER (tag));
}

/* Every primitive object below nodes, as the kernel keeps them. */
static void
keep_objects (Session   *session,
              GPtrArray *nodes)
{
  for (guint i = 0; nodes != NULL && i < nodes->len; i++)
    {
      const PdTlv *node = g_ptr_array_index (nodes, i);

      if (node->children != NULL)
        keep_objects (session, node->children);
      else
        g_hash_table_replace (session->icc, GUINT_TO_POINTER (node->tag),
                              g_bytes_ref (node->value));
    }
}

static GBytes *
build_dol (Session *session,
           guint32  dol_tag)
{
  GBytes *dol = icc_get (session, dol_tag);
  g_autoptr(GArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  if (dol == NULL)
    return g_bytes_new (NULL, 0);
  entries = pd_dol_parse (g_bytes_get_data (dol, NULL), g_bytes_get_size (dol), &error);
  g_assert_no_error (error);
  return g_byte_array_free_to_bytes (pd_dol_build (entries, session_lookup, session));
}

static void
select_aid (Session    *session,
            const char *aid_hex)
{
  g_autoptr(GBytes) aid = bytes_from_hex (aid_hex);
  g_autoptr(GBytes) fci = NULL;
  g_autoptr(GPtrArray) nodes = NULL;
  guint16 sw = 0;

  fci = send_command (session->card, 0x00, 0xa4, 0x04, 0x00, aid, &sw);
  g_assert_cmphex (sw, ==, SW_OK);
  nodes = parse_tlv (fci);
  keep_objects (session, nodes);
}

static guint16
get_processing_options (Session *session)
{
  g_autoptr(GBytes) pdol_data = build_dol (session, 0x9f38);
  g_autoptr(GByteArray) command = g_byte_array_new ();
  g_autoptr(GBytes) command_data = NULL;
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GPtrArray) nodes = NULL;
  guint16 sw = 0;

  pd_tlv_append (command, 0x83, g_bytes_get_data (pdol_data, NULL),
                 g_bytes_get_size (pdol_data));
  command_data = g_bytes_new (command->data, command->len);
  response = send_command (session->card, 0x80, 0xa8, 0x00, 0x00, command_data, &sw);
  if (sw != SW_OK)
    return sw;

  nodes = parse_tlv (response);
  g_assert_cmphex (((const PdTlv *) g_ptr_array_index (nodes, 0))->tag, ==, 0x77);
  keep_objects (session, nodes);
  g_clear_pointer (&session->pdol_data, g_bytes_unref);
  session->pdol_data = g_steal_pointer (&pdol_data);
  return sw;
}

static GBytes *
read_record (Session *session,
             guint8   sfi,
             guint8   number,
             guint16 *sw)
{
  g_autofree char *apdu = g_strdup_printf ("00B2%02X%02X00", number, sfi << 3 | 4);

  return send_apdu (session->card, apdu, sw);
}

/* Reads what the AFL names, and returns the static data offline data authentication signs
 * (Book 3 section 10.3), computed here independently of the card. */
static GBytes *
read_application_data (Session *session)
{
  GBytes *afl_value = icc_get (session, 0x94);
  g_autoptr(GByteArray) static_data = g_byte_array_new ();
  gsize length;
  const guint8 *afl;

  g_assert_nonnull (afl_value);
  afl = g_bytes_get_data (afl_value, &length);
  for (gsize at = 0; at + 4 <= length; at += 4)
    for (guint number = afl[at + 1]; number <= afl[at + 2]; number++)
      {
        guint8 sfi = afl[at] >> 3;
        guint16 sw = 0;
        g_autoptr(GBytes) record = read_record (session, sfi, (guint8) number, &sw);
        g_autoptr(GPtrArray) nodes = NULL;

        g_assert_cmphex (sw, ==, SW_OK);
        nodes = parse_tlv (record);
        g_assert_cmpuint (nodes->len, ==, 1);
        g_assert_cmphex (((const PdTlv *) g_ptr_array_index (nodes, 0))->tag, ==, 0x70);
        keep_objects (session, nodes);

        if (number < afl[at + 1] + afl[at + 3])
          {
            GBytes *contents = ((const PdTlv *) g_ptr_array_index (nodes, 0))->value;

            g_byte_array_append (static_data, g_bytes_get_data (contents, NULL),
                                 (guint) g_bytes_get_size (contents));
          }
      }

  if (icc_get (session, 0x9f4a) != NULL)
    g_byte_array_append (static_data, g_bytes_get_data (icc_get (session, 0x82), NULL), 2);
  return g_byte_array_free_to_bytes (g_steal_pointer (&static_data));
}

/* GENERATE AC with its CDOL's data; returns the answer's objects (77 template). */
static GPtrArray *
generate_ac (Session *session,
             guint8   reference,
             guint32  dol_tag,
             guint16 *sw)
{
  g_autoptr(GBytes) dol_data = build_dol (session, dol_tag);
  g_autoptr(GBytes) response = send_command (session->card, 0x80, 0xae, reference, 0x00,
                                             dol_data, sw);
  GPtrArray *nodes;

  if (*sw != SW_OK)
    return NULL;

  if (dol_tag == 0x8c)
    session->cdol1_data = g_steal_pointer (&dol_data);
  else
    session->cdol2_data = g_steal_pointer (&dol_data);
  nodes = parse_tlv (response);
  g_assert_cmpuint (nodes->len, ==, 1);
  g_assert_cmphex (((const PdTlv *) g_ptr_array_index (nodes, 0))->tag, ==, 0x77);
  g_hash_table_remove (session->icc, GUINT_TO_POINTER (0x9f26));
  keep_objects (session, nodes);
  return nodes;
}

static guint8
cid_of (Session *session)
{
  GBytes *cid = icc_get (session, 0x9f27);

  g_assert_nonnull (cid);
  g_assert_cmpuint (g_bytes_get_size (cid), ==, 1);
  return *(const guint8 *) g_bytes_get_data (cid, NULL);
}

/* ---- The training core's check ---- */

static PdSimSealing *
core_sealing (char **public_key)
{
  g_autofree char *secret_base64 = NULL;
  g_autoptr(GError) error = NULL;
  guint8 secret[crypto_box_SECRETKEYBYTES];
  guint8 public[crypto_box_PUBLICKEYBYTES];
  gsize length = 0;
  PdSimSealing *sealing;

  g_assert_true (g_file_get_contents (g_getenv ("PAYDESK_SEALING_KEY"), &secret_base64, NULL,
                                      &error));
  g_assert_no_error (error);
  sealing = pd_sim_sealing_new_from_base64 (secret_base64, &error);
  g_assert_no_error (error);

  g_strstrip (secret_base64);
  g_assert_cmpint (sodium_base642bin (secret, sizeof secret, secret_base64,
                                      strlen (secret_base64), NULL, &length, NULL,
                                      sodium_base64_VARIANT_ORIGINAL), ==, 0);
  crypto_scalarmult_base (public, secret);
  *public_key = g_base64_encode (public, sizeof public);
  sodium_memzero (secret, sizeof secret);
  return sealing;
}

static void
append_icc_object (Session    *session,
                   GByteArray *out,
                   guint32     tag)
{
  g_autoptr(GBytes) value = session_lookup (tag, session);

  g_assert_nonnull (value);
  pd_tlv_append (out, tag, g_bytes_get_data (value, NULL), g_bytes_get_size (value));
}

/* The authorization as the kernel sends it, checked as the issuer does: the sealed PAN
 * and the ICC data (tag 55). */
static void
core_check (Session        *session,
            const char     *brand,
            PdSimCardCheck *check)
{
  static const guint32 icc_tags[] = {
    0x9f02, 0x9f03, 0x9f1a, 0x95, 0x5f2a, 0x9a, 0x9c, 0x9f37, 0x82, 0x9f36, 0x9f26, 0x9f10,
    0x5f34,
  };
  const PdCardApplication *app = g_ptr_array_index (
    pd_virtual_card_get_profile (session->card)->applications, 0);
  g_autofree char *public_key = NULL;
  g_autoptr(PdSimSealing) sealing = core_sealing (&public_key);
  g_autoptr(GByteArray) icc_data = g_byte_array_new ();
  g_autoptr(GBytes) icc_bytes = NULL;
  g_autoptr(JsonObject) tender = json_object_new ();
  g_autofree char *plain = g_strdup_printf ("{\"pan\": \"%s\"}", app->pan);
  g_autofree char *sealed = NULL;
  g_autofree char *icc_hex = NULL;
  g_autoptr(GError) error = NULL;
  const char *field = NULL;
  const char *message = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (icc_tags); i++)
    append_icc_object (session, icc_data, icc_tags[i]);
  icc_bytes = g_bytes_new (icc_data->data, icc_data->len);
  icc_hex = hex_of (icc_bytes);
  sealed = pd_seal (public_key, plain, &error);
  g_assert_no_error (error);

  json_object_set_string_member (tender, "brand", brand);
  json_object_set_string_member (tender, "pan_last4", app->pan + strlen (app->pan) - 4);
  json_object_set_string_member (tender, "sealed", sealed);
  json_object_set_string_member (tender, "icc_data", icc_hex);

  g_assert_true (pd_sim_card_check (sealing, pd_virtual_card_default_issuer_master_key, tender, 12345, check, &field,
                                    &message));
}

/* Hands the issuer's answer to the card: the ARC and tag 91 go in CDOL2. */
static guint8
complete_online (Session    *session,
                 const char *arc_hex,
                 const char *issuer_authentication_hex)
{
  g_autoptr(GPtrArray) nodes = NULL;
  guint16 sw = 0;

  set_hex (session->terminal, 0x8a, arc_hex);
  if (issuer_authentication_hex != NULL)
    set_hex (session->terminal, 0x91, issuer_authentication_hex);
  nodes = generate_ac (session, 0x40, 0x8d, &sw);
  g_assert_cmphex (sw, ==, SW_OK);
  return cid_of (session);
}

/* Selection, GPO, records and a first GENERATE AC for an ARQC. */
static void
go_online (Session    *session,
           const char *aid,
           guint8      reference)
{
  g_autoptr(GBytes) static_data = NULL;
  g_autoptr(GPtrArray) nodes = NULL;
  guint16 sw = 0;

  select_aid (session, aid);
  g_assert_cmphex (get_processing_options (session), ==, SW_OK);
  static_data = read_application_data (session);
  nodes = generate_ac (session, reference, 0x8c, &sw);
  g_assert_cmphex (sw, ==, SW_OK);
  g_assert_cmphex (cid_of (session), ==, 0x80);
}

/* ---- Tests ---- */

static void
test_every_profile_loads (void)
{
  g_autofree char *dir_path = profiles_dir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, &error);
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *file;

  g_assert_no_error (error);
  while ((file = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *name = NULL;
      g_autoptr(PdVirtualCard) card = NULL;

      if (!g_str_has_suffix (file, ".json"))
        continue;
      name = g_strndup (file, strlen (file) - strlen (".json"));
      g_test_message ("profile %s", name);
      card = insert_card (name);
      g_assert_cmpuint (pd_virtual_card_get_profile (card)->applications->len, >, 0);
      g_hash_table_add (names, g_steal_pointer (&name));
    }

  for (gsize i = 0; i < G_N_ELEMENTS (required_profiles); i++)
    g_assert_true (g_hash_table_contains (names, required_profiles[i]));
}

static void
test_broken_profile (void)
{
  g_autofree char *dir = pd_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "broken.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdCardProfile) profile = NULL;

  /* A PAN that fails the Luhn check: refused, and never printed. */
  pd_test_write_file (path, "{\"atr\": \"3B 68 00 00 50 44 56 43 41 52 44 30\","
                            " \"protocol\": \"T=0\", \"pan\": \"4761739001010011\","
                            " \"psn\": \"01\", \"expiry\": \"291231\", \"applications\":"
                            " [{\"aid\": \"A0000000031010\", \"label\": \"VISA\","
                            " \"cryptogram\": \"visa-cvn10\", \"records\": []}]}");
  profile = pd_card_profile_load (path, &error);
  g_assert_null (profile);
  g_assert_error (error, PD_CARD_PROFILE_ERROR, PD_CARD_PROFILE_ERROR_INVALID);
  g_assert_null (strstr (error->message, "4761739001010011"));
  g_assert_nonnull (strstr (error->message, "Luhn"));
  g_clear_error (&error);

  profile = pd_card_profile_load ("/nonexistent/visa.json", &error);
  g_assert_error (error, PD_CARD_PROFILE_ERROR, PD_CARD_PROFILE_ERROR_NOT_FOUND);
  pd_test_remove_tree (dir);
}

static void
test_pse_directory (void)
{
  g_autoptr(PdVirtualCard) card = insert_card ("visa-debit");
  g_autoptr(GBytes) fci = NULL;
  g_autoptr(GBytes) record = NULL;
  g_autoptr(GBytes) missing = NULL;
  g_autoptr(GPtrArray) nodes = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  const PdTlv *template;
  guint16 sw = 0;

  fci = send_apdu (card, "00A404000E315041592E5359532E444446303100", &sw);
  g_assert_cmphex (sw, ==, SW_OK);
  nodes = parse_tlv (fci);
  assert_bytes (find_value (nodes, 0x84), "315041592E5359532E4444463031");
  assert_bytes (find_value (nodes, 0x88), "01");

  /* Both applications, in record 1; there is no record 2. */
  record = send_apdu (card, "00B2010C00", &sw);
  g_assert_cmphex (sw, ==, SW_OK);
  entries = parse_tlv (record);
  template = g_ptr_array_index (entries, 0);
  g_assert_cmphex (template->tag, ==, 0x70);
  g_assert_cmpuint (template->children->len, ==, 2);
  assert_bytes (find_value (((const PdTlv *) g_ptr_array_index (template->children, 0))->children,
                            0x4f), "A0000000031010");
  assert_bytes (find_value (((const PdTlv *) g_ptr_array_index (template->children, 1))->children,
                            0x4f), "A0000000980840");
  assert_bytes (find_value (((const PdTlv *) g_ptr_array_index (template->children, 1))->children,
                            0x87), "02");
  g_assert_nonnull (find_value (template->children, 0x50));
  g_assert_nonnull (find_value (template->children, 0x9f12));

  missing = send_apdu (card, "00B2020C00", &sw);
  g_assert_cmphex (sw, ==, 0x6a83);
}

static void
test_no_pse (void)
{
  g_autoptr(Session) session = session_new ("no-pse");
  g_autoptr(GBytes) answer = NULL;
  guint16 sw = 0;

  answer = send_apdu (session->card, "00A404000E315041592E5359532E444446303100", &sw);
  g_assert_cmphex (sw, ==, 0x6a82);
  g_assert_cmpuint (g_bytes_get_size (answer), ==, 0);
  select_aid (session, "A0000000031010");
}

static void
test_select_application (void)
{
  g_autoptr(PdVirtualCard) card = insert_card ("multi-app");
  g_autoptr(GBytes) fci = NULL;
  g_autoptr(GBytes) next = NULL;
  g_autoptr(GBytes) none = NULL;
  g_autoptr(GBytes) unknown = NULL;
  g_autoptr(GPtrArray) nodes = NULL;
  g_autoptr(GPtrArray) next_nodes = NULL;
  guint16 sw = 0;

  /* A partial name selects the first application it fits, P2 02 the next one. */
  fci = send_apdu (card, "00A4040005A00000000400", &sw);
  g_assert_cmphex (sw, ==, SW_OK);
  nodes = parse_tlv (fci);
  g_assert_cmphex (((const PdTlv *) g_ptr_array_index (nodes, 0))->tag, ==, 0x6f);
  assert_bytes (find_value (nodes, 0x84), "A0000000041010");
  g_assert_nonnull (pd_tlv_find (nodes, 0xa5));
  assert_bytes (find_value (nodes, 0x50), "4D415354455243415244");
  assert_bytes (find_value (nodes, 0x87), "81");
  assert_bytes (find_value (nodes, 0x5f2d), "656E");
  g_assert_nonnull (find_value (nodes, 0x9f12));
  g_assert_nonnull (find_value (nodes, 0xbf0c));

  next = send_apdu (card, "00A4040205A00000000400", &sw);
  g_assert_cmphex (sw, ==, SW_OK);
  next_nodes = parse_tlv (next);
  assert_bytes (find_value (next_nodes, 0x84), "A0000000042203");
  assert_bytes (find_value (next_nodes, 0x87), "82");

  none = send_apdu (card, "00A4040205A00000000400", &sw);
  g_assert_cmphex (sw, ==, 0x6a82);
  unknown = send_apdu (card, "00A4040007A000000003101000", &sw);
  g_assert_cmphex (sw, ==, 0x6a82);
}

static void
test_get_processing_options (void)
{
  g_autoptr(Session) session = session_new ("visa");
  g_autoptr(GBytes) early = NULL;
  g_autoptr(GBytes) short_pdol = NULL;
  g_autoptr(GBytes) bad_length = NULL;
  g_autoptr(GBytes) again = NULL;
  guint16 sw = 0;

  early = send_apdu (session->card, "80A80000058303084024" "00", &sw);
  g_assert_cmphex (sw, ==, 0x6985);

  select_aid (session, "A0000000031010");
  assert_bytes (icc_get (session, 0x9f38), "9F1A029F3501");

  /* The PDOL wants three bytes: two are too few, and so is an 83 whose length lies. */
  short_pdol = send_apdu (session->card, "80A800000483020840" "00", &sw);
  g_assert_cmphex (sw, ==, 0x6700);
  bad_length = send_apdu (session->card, "80A80000058304084024" "00", &sw);
  g_assert_cmphex (sw, ==, 0x6700);

  g_assert_cmphex (get_processing_options (session), ==, SW_OK);
  assert_bytes (icc_get (session, 0x82), "1800");
  assert_bytes (icc_get (session, 0x94), "0801010010010200");

  /* One GPO per selection. */
  again = send_apdu (session->card, "80A80000058303084024" "00", &sw);
  g_assert_cmphex (sw, ==, 0x6985);
}

static void
test_read_records (void)
{
  g_autoptr(Session) session = session_new ("visa");
  g_autoptr(GBytes) static_data = NULL;
  g_autoptr(GBytes) missing = NULL;
  g_autoptr(GBytes) no_file = NULL;
  g_autofree char *track2 = NULL;
  const char *pan;
  guint16 sw = 0;

  select_aid (session, "A0000000031010");
  g_assert_cmphex (get_processing_options (session), ==, SW_OK);
  static_data = read_application_data (session);
  g_assert_cmpuint (g_bytes_get_size (static_data), ==, 0);

  /* The account data comes from the profile (tests/fixtures/cards/visa.json). */
  pan = ((PdCardApplication *) g_ptr_array_index (
           pd_virtual_card_get_profile (session->card)->applications, 0))->pan;
  track2 = g_strconcat (pan, "D29122010000000000", NULL);
  assert_bytes (icc_get (session, 0x5a), pan);
  assert_bytes (icc_get (session, 0x5f24), "291231");
  assert_bytes (icc_get (session, 0x5f34), "01");
  assert_bytes (icc_get (session, 0x57), track2);
  assert_bytes (icc_get (session, 0x8e), "00000000000000001E031F03");
  g_assert_nonnull (icc_get (session, 0x8c));
  g_assert_nonnull (icc_get (session, 0x8d));

  missing = read_record (session, 2, 9, &sw);
  g_assert_cmphex (sw, ==, 0x6a83);
  no_file = read_record (session, 9, 1, &sw);
  g_assert_cmphex (sw, ==, 0x6a82);
}

static void
test_expired (void)
{
  g_autoptr(Session) session = session_new ("expired");
  g_autoptr(GBytes) static_data = NULL;

  select_aid (session, "A0000000031010");
  g_assert_cmphex (get_processing_options (session), ==, SW_OK);
  static_data = read_application_data (session);
  assert_bytes (icc_get (session, 0x5f24), "231231");
}

static void
run_online (Session    *session,
             const char *aid,
             const char *brand,
             guint8      expected_cid)
{
  g_auto(PdSimCardCheck) check = { 0 };

  go_online (session, aid, 0x80);
  core_check (session, brand, &check);
  g_assert_true (check.verified);
  g_assert_null (check.decline_reason);
  g_assert_nonnull (check.issuer_authentication_data);

  g_assert_cmphex (complete_online (session, "3030", check.issuer_authentication_data), ==,
                   expected_cid);
}

static void
test_visa_online (void)
{
  g_autoptr(Session) session = session_new ("visa");
  g_autoptr(GBytes) atc = NULL;
  guint16 sw = 0;

  run_online (session, "A0000000031010", "visa", 0x40);
  /* CVN 10's IAD, and an ATC the first GENERATE AC moved on. */
  g_assert_cmphex (((const guint8 *) g_bytes_get_data (icc_get (session, 0x9f10), NULL))[2], ==,
                   0x0a);
  atc = send_apdu (session->card, "80CA9F3600", &sw);
  g_assert_cmphex (sw, ==, SW_OK);
  assert_bytes (atc, "9F36020001");
  g_assert_cmpuint (pd_virtual_card_get_atc (session->card, "A0000000031010"), ==, 1);
}

static void
test_mastercard_online (void)
{
  g_autoptr(Session) session = session_new ("mastercard");

  run_online (session, "A0000000041010", "mastercard", 0x40);
  g_assert_cmphex (((const guint8 *) g_bytes_get_data (icc_get (session, 0x9f10), NULL))[1], ==,
                   0x10);
}

static void
test_declines_generate_ac_2 (void)
{
  g_autoptr(Session) session = session_new ("declines-genac2");

  run_online (session, "A0000000031010", "visa", 0x00);
}

static void
test_wrong_issuer_authentication (void)
{
  g_autoptr(Session) session = session_new ("visa");
  g_auto(PdSimCardCheck) check = { 0 };
  g_autofree char *tampered = NULL;
  g_autoptr(GBytes) again = NULL;
  guint16 sw = 0;

  go_online (session, "A0000000031010", 0x80);
  core_check (session, "visa", &check);
  g_assert_true (check.verified);

  tampered = g_strdup (check.issuer_authentication_data);
  tampered[0] = tampered[0] == '0' ? '1' : '0';
  g_assert_cmphex (complete_online (session, "3030", tampered), ==, 0x00);

  /* The transaction is over. */
  again = send_apdu (session->card, "80AE4000" "00", &sw);
  g_assert_cmphex (sw, ==, 0x6985);
}

static void
test_issuer_declines (void)
{
  g_autoptr(Session) session = session_new ("visa");
  g_auto(PdSimCardCheck) check = { 0 };

  go_online (session, "A0000000031010", 0x80);
  core_check (session, "visa", &check);
  /* Right ARPC, but for an approval; the issuer said 05. */
  g_assert_cmphex (complete_online (session, "3035", check.issuer_authentication_data), ==,
                   0x00);
}

static void
test_discover_without_issuer_authentication (void)
{
  g_autoptr(Session) session = session_new ("discover");
  g_auto(PdSimCardCheck) check = { 0 };

  go_online (session, "A0000001523010", 0x80);
  core_check (session, "discover", &check);
  /* The core approves Discover unchecked and sends no 91: the card accepts it. */
  g_assert_false (check.verified);
  g_assert_null (check.issuer_authentication_data);
  g_assert_cmphex (complete_online (session, "3030", NULL), ==, 0x40);
}

static void
test_issuer_scripts (void)
{
  g_autoptr(Session) session = session_new ("visa");
  g_autoptr(GBytes) early = NULL;
  g_autoptr(GBytes) block = NULL;
  g_autoptr(GBytes) no_mac = NULL;
  g_autoptr(GBytes) static_data = NULL;
  g_autoptr(GPtrArray) nodes = NULL;
  guint16 sw = 0;

  select_aid (session, "A0000000031010");
  early = send_apdu (session->card, "841E000008AABBCCDD11223344", &sw);
  g_assert_cmphex (sw, ==, 0x6985);

  g_assert_cmphex (get_processing_options (session), ==, SW_OK);
  static_data = read_application_data (session);
  nodes = generate_ac (session, 0x80, 0x8c, &sw);
  g_assert_cmphex (sw, ==, SW_OK);

  block = send_apdu (session->card, "841E000008AABBCCDD11223344", &sw);
  g_assert_cmphex (sw, ==, SW_OK);
  no_mac = send_apdu (session->card, "84DA9F580101", &sw);
  g_assert_cmphex (sw, ==, 0x6982);
  g_assert_cmpuint (pd_virtual_card_get_script_commands (session->card), ==, 1);
}

static void
test_unknown_commands (void)
{
  g_autoptr(PdVirtualCard) card = insert_card ("visa");
  g_autoptr(GBytes) ins = NULL;
  g_autoptr(GBytes) cla = NULL;
  g_autoptr(GBytes) wrong_class = NULL;
  g_autoptr(GBytes) runt = NULL;
  guint16 sw = 0;

  ins = send_apdu (card, "00FE000000", &sw);
  g_assert_cmphex (sw, ==, 0x6d00);
  cla = send_apdu (card, "90B2010C00", &sw);
  g_assert_cmphex (sw, ==, 0x6e00);
  wrong_class = send_apdu (card, "80A4040007A000000003101000", &sw);
  g_assert_cmphex (sw, ==, 0x6e00);
  /* GET RESPONSE is for T=0 cards. */
  runt = send_apdu (card, "00C0000010", &sw);
  g_assert_cmphex (sw, ==, 0x6d00);
}

static void
test_t0 (void)
{
  g_autoptr(PdVirtualCard) card = insert_card ("visa-t0");
  g_autoptr(GBytes) announce = NULL;
  g_autoptr(GBytes) fci = NULL;
  g_autoptr(GBytes) first_part = NULL;
  g_autoptr(GBytes) wrong_le = NULL;
  g_autoptr(GBytes) record = NULL;
  g_autoptr(GBytes) nothing = NULL;
  g_autoptr(GPtrArray) nodes = NULL;
  g_autofree char *get_response = NULL;
  g_autofree char *read_again = NULL;
  guint16 sw = 0;
  guint8 length;

  /* SELECT has data both ways: 61xx, then GET RESPONSE, in two helpings here. */
  announce = send_apdu (card, "00A4040007A000000003101000", &sw);
  g_assert_cmphex (sw >> 8, ==, 0x61);
  g_assert_cmpuint (g_bytes_get_size (announce), ==, 0);
  length = (guint8) sw;

  first_part = send_apdu (card, "00C0000004", &sw);
  g_assert_cmphex (sw, ==, 0x6100 | (guint8) (length - 4));
  get_response = g_strdup_printf ("00C00000%02X", length - 4);
  fci = send_apdu (card, get_response, &sw);
  g_assert_cmphex (sw, ==, SW_OK);
  g_assert_cmpuint (g_bytes_get_size (first_part) + g_bytes_get_size (fci), ==, length);
  g_assert_cmphex (*(const guint8 *) g_bytes_get_data (first_part, NULL), ==, 0x6f);

  nothing = send_apdu (card, "00C0000010", &sw);
  g_assert_cmphex (sw, ==, 0x6985);

  /* READ RECORD has data one way: Le 00 is wrong, 6Cxx says what is right. */
  wrong_le = send_apdu (card, "00B2010C00", &sw);
  g_assert_cmphex (sw >> 8, ==, 0x6c);
  g_assert_cmpuint (g_bytes_get_size (wrong_le), ==, 0);
  read_again = g_strdup_printf ("00B2010C%02X", sw & 0xff);
  record = send_apdu (card, read_again, &sw);
  g_assert_cmphex (sw, ==, SW_OK);
  nodes = parse_tlv (record);
  g_assert_cmphex (((const PdTlv *) g_ptr_array_index (nodes, 0))->tag, ==, 0x70);
}

static void
test_pulled_after_gpo (void)
{
  g_autoptr(Session) session = session_new ("pulled-after-gpo");
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GByteArray) response = g_byte_array_new ();
  static const guint8 read_record_1[] = { 0x00, 0xb2, 0x01, 0x0c, 0x00 };
  guint16 sw = 0;

  select_aid (session, "A0000000031010");
  before = read_record (session, 1, 1, &sw);
  g_assert_cmphex (sw, ==, SW_OK);

  g_assert_cmphex (get_processing_options (session), ==, SW_OK);
  g_assert_false (pd_virtual_card_transmit (session->card, read_record_1,
                                            sizeof read_record_1, response));
  g_assert_cmpuint (response->len, ==, 0);
  /* Gone for good. */
  g_assert_false (pd_virtual_card_transmit (session->card, read_record_1,
                                            sizeof read_record_1, response));
}

static void
test_malformed_record (void)
{
  g_autoptr(Session) session = session_new ("malformed-records");
  g_autoptr(GBytes) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) nodes = NULL;
  guint16 sw = 0;

  select_aid (session, "A0000000031010");
  g_assert_cmphex (get_processing_options (session), ==, SW_OK);
  record = read_record (session, 2, 1, &sw);
  g_assert_cmphex (sw, ==, SW_OK);
  nodes = pd_tlv_parse (g_bytes_get_data (record, NULL), g_bytes_get_size (record), &error);
  g_assert_null (nodes);
  g_assert_error (error, PD_TLV_ERROR, PD_TLV_ERROR_TRUNCATED);
}

/* A phone wallet's CTQ follows the reader's TTQ: "verified on the device" where the reader
 * takes consumer device CVM, "online PIN required" where it does not. */
static void
test_wallet (void)
{
  static const struct { const char *ttq; const char *ctq; } cases[] = {
    { "30804000", "0080" },
    { "30800000", "8000" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(Session) session = session_new ("wallet-visa");

      set_hex (session->terminal, 0x9f66, cases[i].ttq);
      select_aid (session, "A0000000031010");
      g_assert_cmphex (get_processing_options (session), ==, SW_OK);
      g_assert_nonnull (icc_get (session, 0x9f26));
      assert_bytes (icc_get (session, 0x9f6c), cases[i].ctq);
    }
}

static void
test_contactless_visa (void)
{
  g_autoptr(Session) session = session_new ("contactless-visa");
  g_autoptr(GBytes) ppse = NULL;
  g_autoptr(GBytes) pse = NULL;
  g_autoptr(GBytes) generate = NULL;
  g_autoptr(GBytes) static_data = NULL;
  g_autoptr(GPtrArray) nodes = NULL;
  g_auto(PdSimCardCheck) check = { 0 };
  const guint8 *atr;
  guint16 sw = 0;

  /* PC/SC's pseudo-ATR for a contactless card. */
  atr = g_bytes_get_data (pd_virtual_card_get_profile (session->card)->atr, NULL);
  g_assert_cmphex (atr[1] & 0xf0, ==, 0x80);
  g_assert_cmphex (atr[2], ==, 0x80);
  g_assert_cmphex (atr[3], ==, 0x01);

  pse = send_apdu (session->card, "00A404000E315041592E5359532E444446303100", &sw);
  g_assert_cmphex (sw, ==, 0x6a82);
  ppse = send_apdu (session->card, "00A404000E325041592E5359532E444446303100", &sw);
  g_assert_cmphex (sw, ==, SW_OK);
  nodes = parse_tlv (ppse);
  g_assert_nonnull (pd_tlv_find (nodes, 0xbf0c));
  assert_bytes (find_value (nodes, 0x4f), "A0000000031010");

  /* qVSDC: the ARQC comes with the GPO answer (CVN 18), the records follow. */
  select_aid (session, "A0000000031010");
  g_assert_cmphex (get_processing_options (session), ==, SW_OK);
  g_assert_cmphex (cid_of (session), ==, 0x80);
  g_assert_nonnull (icc_get (session, 0x57));
  g_assert_nonnull (icc_get (session, 0x5f34));
  g_assert_nonnull (icc_get (session, 0x9f26));
  g_assert_cmphex (((const guint8 *) g_bytes_get_data (icc_get (session, 0x9f10), NULL))[2], ==,
                   0x12);
  static_data = read_application_data (session);
  g_assert_nonnull (icc_get (session, 0x5a));

  core_check (session, "visa", &check);
  g_assert_true (check.verified);
  g_assert_null (check.decline_reason);

  generate = send_apdu (session->card, "80AE80001D" "000000012345000000000000084000000080000840"
                        "2501150012345678" "00", &sw);
  g_assert_cmphex (sw, ==, 0x6985);
}

static void
test_contactless_without_qvsdc (void)
{
  g_autoptr(Session) session = session_new ("contactless-visa");

  set_hex (session->terminal, 0x9f66, "80000000");
  select_aid (session, "A0000000031010");
  g_assert_cmphex (get_processing_options (session), ==, 0x6985);
}

static void
test_contactless_discover (void)
{
  g_autoptr(Session) session = session_new ("contactless-discover");
  g_autoptr(GBytes) ppse = NULL;
  g_auto(PdSimCardCheck) check = { 0 };
  guint16 sw = 0;

  ppse = send_apdu (session->card, "00A404000E325041592E5359532E444446303100", &sw);
  g_assert_cmphex (sw, ==, SW_OK);
  select_aid (session, "A0000001523010");
  g_assert_cmphex (get_processing_options (session), ==, SW_OK);
  g_assert_cmphex (cid_of (session), ==, 0x80);
  core_check (session, "discover", &check);
  g_assert_false (check.verified);
}

/* ---- Offline data authentication, as the terminal checks it ---- */

typedef struct {
  PdCapkTable *capks;
  PdOdaKey *issuer_key;
  PdOdaKey *icc_key;
  GBytes *static_data;
} Oda;

static void
oda_clear (Oda *oda)
{
  g_clear_pointer (&oda->icc_key, pd_oda_key_free);
  g_clear_pointer (&oda->issuer_key, pd_oda_key_free);
  g_clear_pointer (&oda->capks, pd_capk_table_free);
  g_clear_pointer (&oda->static_data, g_bytes_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Oda, oda_clear)

/* Selection, GPO and records, then the issuer's key (and the card's, when it has one). */
static void
oda_read_card (Session    *session,
               const char *aid_hex,
               Oda        *oda)
{
  g_autoptr(GBytes) aid = bytes_from_hex (aid_hex);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  const PdCapk *capk;
  GDate today;

  select_aid (session, aid_hex);
  g_assert_cmphex (get_processing_options (session), ==, SW_OK);
  oda->static_data = read_application_data (session);
  g_assert_cmpuint (g_bytes_get_size (oda->static_data), >, 0);
  assert_bytes (icc_get (session, 0x8f), "E1");

  oda->capks = pd_capk_table_load (g_getenv ("PAYDESK_CAPK"), TRUE, &error);
  g_assert_no_error (error);
  capk = pd_capk_table_lookup (oda->capks, g_bytes_get_data (aid, NULL), 0xe1);
  g_assert_nonnull (capk);

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, (GDateDay) g_date_time_get_day_of_month (now),
                  (GDateMonth) g_date_time_get_month (now),
                  (GDateYear) g_date_time_get_year (now));
  oda->issuer_key = pd_oda_recover_issuer_key (capk, session_lookup, session, &today, &error);
  g_assert_no_error (error);
  if (icc_get (session, 0x9f46) != NULL)
    {
      oda->icc_key = pd_oda_recover_icc_key (oda->issuer_key, session_lookup, session,
                                             oda->static_data, &today, &error);
      g_assert_no_error (error);
    }
}

static void
test_sda (void)
{
  g_autoptr(Session) session = session_new ("sda");
  g_auto(Oda) oda = { 0 };
  g_autoptr(GError) error = NULL;
  guint8 code[2];

  oda_read_card (session, "A0000000031010", &oda);
  g_assert_true (pd_oda_verify_sda (oda.issuer_key, session_lookup, session, oda.static_data,
                                    code, &error));
  g_assert_no_error (error);
}

static void
test_dda (void)
{
  g_autoptr(Session) session = session_new ("dda");
  g_auto(Oda) oda = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) ddol_data = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GBytes) number = NULL;
  g_autoptr(GPtrArray) nodes = NULL;
  guint16 sw = 0;

  oda_read_card (session, "A0000000031010", &oda);
  g_assert_nonnull (oda.icc_key);

  ddol_data = build_dol (session, 0x9f49);
  g_assert_cmpuint (g_bytes_get_size (ddol_data), ==, 4);
  answer = send_command (session->card, 0x00, 0x88, 0x00, 0x00, ddol_data, &sw);
  g_assert_cmphex (sw, ==, SW_OK);
  nodes = parse_tlv (answer);
  number = pd_oda_verify_dda (oda.icc_key, find_value (nodes, 0x9f4b), ddol_data, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (number), ==, 8);
}

/* The template's objects without 9F4B, in order: what CDA signs. */
static GBytes *
objects_without_signature (GPtrArray *nodes)
{
  const PdTlv *template = g_ptr_array_index (nodes, 0);
  g_autoptr(GByteArray) out = g_byte_array_new ();

  for (guint i = 0; i < template->children->len; i++)
    {
      const PdTlv *node = g_ptr_array_index (template->children, i);

      if (node->tag != 0x9f4b)
        pd_tlv_append (out, node->tag, g_bytes_get_data (node->value, NULL),
                       g_bytes_get_size (node->value));
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static GBytes *
verify_cda (Session   *session,
            Oda       *oda,
            GPtrArray *nodes,
            GBytes    *cdol_data)
{
  g_autoptr(GBytes) signed_objects = objects_without_signature (nodes);
  g_autoptr(GBytes) unpredictable_number = session_lookup (0x9f37, session);
  g_autoptr(GError) error = NULL;
  GBytes *cryptogram;

  /* The cryptogram travels inside the signature only. */
  g_assert_null (find_value (nodes, 0x9f26));
  cryptogram = pd_oda_verify_cda (oda->icc_key, find_value (nodes, 0x9f4b), cid_of (session),
                                  g_bytes_get_data (unpredictable_number, NULL),
                                  session->pdol_data, cdol_data, signed_objects, &error);
  g_assert_no_error (error);
  return cryptogram;
}

static void
test_cda (const char *profile,
          const char *aid,
          const char *brand)
{
  g_autoptr(Session) session = session_new (profile);
  g_auto(Oda) oda = { 0 };
  g_auto(PdSimCardCheck) check = { 0 };
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) second = NULL;
  g_autoptr(GBytes) arqc = NULL;
  g_autoptr(GBytes) tc = NULL;
  g_autoptr(GByteArray) both_cdols = g_byte_array_new ();
  g_autoptr(GBytes) both_cdols_bytes = NULL;
  guint16 sw = 0;

  oda_read_card (session, aid, &oda);
  g_assert_nonnull (oda.icc_key);

  first = generate_ac (session, 0x90, 0x8c, &sw);
  g_assert_cmphex (sw, ==, SW_OK);
  g_assert_cmphex (cid_of (session), ==, 0x80);
  arqc = verify_cda (session, &oda, first, session->cdol1_data);
  g_hash_table_replace (session->icc, GUINT_TO_POINTER (0x9f26), g_bytes_ref (arqc));

  core_check (session, brand, &check);
  g_assert_true (check.verified);
  g_assert_null (check.decline_reason);

  /* The second signature's hash covers CDOL1's data then CDOL2's. */
  set_hex (session->terminal, 0x8a, "3030");
  set_hex (session->terminal, 0x91, check.issuer_authentication_data);
  second = generate_ac (session, 0x50, 0x8d, &sw);
  g_assert_cmphex (sw, ==, SW_OK);
  g_assert_cmphex (cid_of (session), ==, 0x40);
  g_byte_array_append (both_cdols, g_bytes_get_data (session->cdol1_data, NULL),
                       (guint) g_bytes_get_size (session->cdol1_data));
  g_byte_array_append (both_cdols, g_bytes_get_data (session->cdol2_data, NULL),
                       (guint) g_bytes_get_size (session->cdol2_data));
  both_cdols_bytes = g_bytes_new (both_cdols->data, both_cdols->len);
  tc = verify_cda (session, &oda, second, both_cdols_bytes);
  g_assert_cmpuint (g_bytes_get_size (tc), ==, 8);
}

static void
test_cda_visa (void)
{
  test_cda ("cda", "A0000000031010", "visa");
}

static void
test_cda_mastercard (void)
{
  test_cda ("mastercard", "A0000000041010", "mastercard");
}

static void
test_cda_contactless_mastercard (void)
{
  g_autoptr(Session) session = session_new ("contactless-mastercard");
  g_auto(Oda) oda = { 0 };
  g_auto(PdSimCardCheck) check = { 0 };
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GBytes) arqc = NULL;
  guint16 sw = 0;

  oda_read_card (session, "A0000000041010", &oda);
  assert_bytes (icc_get (session, 0x82), "1980");
  first = generate_ac (session, 0x90, 0x8c, &sw);
  g_assert_cmphex (sw, ==, SW_OK);
  arqc = verify_cda (session, &oda, first, session->cdol1_data);
  g_hash_table_replace (session->icc, GUINT_TO_POINTER (0x9f26), g_bytes_ref (arqc));
  core_check (session, "mastercard", &check);
  g_assert_true (check.verified);
  g_assert_null (check.decline_reason);
}

int
main (int    argc,
      char **argv)
{
  pd_test_init (&argc, &argv);

  g_test_add_func ("/virtual-card/profiles/all-load", test_every_profile_loads);
  g_test_add_func ("/virtual-card/profiles/broken", test_broken_profile);
  g_test_add_func ("/virtual-card/select/pse", test_pse_directory);
  g_test_add_func ("/virtual-card/select/no-pse", test_no_pse);
  g_test_add_func ("/virtual-card/select/application", test_select_application);
  g_test_add_func ("/virtual-card/gpo", test_get_processing_options);
  g_test_add_func ("/virtual-card/read-records", test_read_records);
  g_test_add_func ("/virtual-card/expired", test_expired);
  g_test_add_func ("/virtual-card/online/visa", test_visa_online);
  g_test_add_func ("/virtual-card/online/mastercard", test_mastercard_online);
  g_test_add_func ("/virtual-card/online/declines-genac2", test_declines_generate_ac_2);
  g_test_add_func ("/virtual-card/online/wrong-arpc", test_wrong_issuer_authentication);
  g_test_add_func ("/virtual-card/online/issuer-declines", test_issuer_declines);
  g_test_add_func ("/virtual-card/online/discover", test_discover_without_issuer_authentication);
  g_test_add_func ("/virtual-card/issuer-scripts", test_issuer_scripts);
  g_test_add_func ("/virtual-card/unknown-commands", test_unknown_commands);
  g_test_add_func ("/virtual-card/t0", test_t0);
  g_test_add_func ("/virtual-card/pulled-after-gpo", test_pulled_after_gpo);
  g_test_add_func ("/virtual-card/malformed-record", test_malformed_record);
  g_test_add_func ("/virtual-card/contactless/visa", test_contactless_visa);
  g_test_add_func ("/virtual-card/contactless/visa-without-qvsdc", test_contactless_without_qvsdc);
  g_test_add_func ("/virtual-card/contactless/discover", test_contactless_discover);
  g_test_add_func ("/virtual-card/contactless/wallet", test_wallet);
  g_test_add_func ("/virtual-card/contactless/mastercard-cda", test_cda_contactless_mastercard);
  g_test_add_func ("/virtual-card/oda/sda", test_sda);
  g_test_add_func ("/virtual-card/oda/dda", test_dda);
  g_test_add_func ("/virtual-card/oda/cda-visa", test_cda_visa);
  g_test_add_func ("/virtual-card/oda/cda-mastercard", test_cda_mastercard);

  return g_test_run ();
}
