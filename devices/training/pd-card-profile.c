#include <string.h>

#include <json-glib/json-glib.h>

#include "pd-card-profile.h"
#include "pd-dol.h"
#include "pd-hex.h"

G_DEFINE_QUARK (pd-card-profile-error-quark, pd_card_profile_error)

/* Application members that are plain data objects, named for readability; any other tag
 * goes in "data". */
static const struct {
  const char *member;
  guint32 tag;
} data_members[] = {
  { "aip", 0x82 }, { "afl", 0x94 }, { "pdol", 0x9f38 }, { "cdol1", 0x8c }, { "cdol2", 0x8d },
  { "ddol", 0x9f49 }, { "cvm_list", 0x8e }, { "iac_default", 0x9f0d },
  { "iac_denial", 0x9f0e }, { "iac_online", 0x9f0f }, { "auc", 0x9f07 },
  { "app_version", 0x9f08 }, { "issuer_country", 0x5f28 }, { "currency", 0x9f42 },
  { "effective", 0x5f25 }, { "sda_tag_list", 0x9f4a }, { "ca_index", 0x8f },
};

static const struct {
  const char *name;
  PdCardCryptogram cryptogram;
} cryptograms[] = {
  { "visa-cvn10", PD_CARD_CRYPTOGRAM_VISA_CVN10 },
  { "visa-cvn18", PD_CARD_CRYPTOGRAM_VISA_CVN18 },
  { "mastercard-cvn16", PD_CARD_CRYPTOGRAM_MASTERCARD_CVN16 },
  { "generic", PD_CARD_CRYPTOGRAM_GENERIC },
};

static const struct {
  const char *name;
  PdCardCommand command;
} commands[] = {
  { "select", PD_CARD_COMMAND_SELECT },
  { "gpo", PD_CARD_COMMAND_GET_PROCESSING_OPTIONS },
  { "read-record", PD_CARD_COMMAND_READ_RECORD },
  { "generate-ac", PD_CARD_COMMAND_GENERATE_AC_1 },
  { "generate-ac-2", PD_CARD_COMMAND_GENERATE_AC_2 },
  { "internal-authenticate", PD_CARD_COMMAND_INTERNAL_AUTHENTICATE },
  { "get-data", PD_CARD_COMMAND_GET_DATA },
};

/* The objects a card's cryptogram signs besides 82 and 9F36, with their lengths: the data
 * the training core's card check wants (pos/paydesk-core-sim/pd-sim-card-check.c). */
static const PdDolEntry cryptogram_inputs[] = {
  { 0x9f02, 6 }, { 0x9f03, 6 }, { 0x9f1a, 2 }, { 0x95, 5 }, { 0x5f2a, 2 }, { 0x9a, 3 },
  { 0x9c, 1 }, { 0x9f37, 4 },
};

/* Made by the card from the signer's keys when it starts: a profile lays them out in its
 * records, but gives no value. */
static const guint32 certificate_tags[] = {
  0x90, 0x92, 0x9f32, 0x93, 0x9f46, 0x9f47, 0x9f48,
};

/* Computed per transaction: only GET PROCESSING OPTIONS answers them. */
static const guint32 dynamic_tags[] = { 0x9f10, 0x9f26, 0x9f27, 0x9f36 };

static void
record_layout_clear (gpointer data)
{
  PdCardRecordLayout *record = data;

  g_clear_pointer (&record->tags, g_array_unref);
  g_clear_pointer (&record->raw, g_bytes_unref);
}

static void
application_free (gpointer data)
{
  PdCardApplication *app = data;

  g_clear_pointer (&app->aid, g_bytes_unref);
  g_free (app->label);
  g_free (app->preferred_name);
  g_free (app->pan);
  g_free (app->psn);
  g_free (app->expiry);
  g_clear_pointer (&app->data, g_hash_table_unref);
  g_clear_pointer (&app->records, g_array_unref);
  g_clear_pointer (&app->gpo_tags, g_array_unref);
  g_free (app);
}

void
pd_card_profile_free (PdCardProfile *profile)
{
  if (profile == NULL)
    return;

  g_free (profile->name);
  g_free (profile->description);
  g_clear_pointer (&profile->atr, g_bytes_unref);
  g_clear_pointer (&profile->applications, g_ptr_array_unref);
  g_free (profile->ca_key_path);
  g_free (profile->issuer_key_path);
  g_free (profile->icc_key_path);
  g_free (profile);
}

char *
pd_card_mask_pan (const char *pan)
{
  gsize length;
  GString *masked;

  g_return_val_if_fail (pan != NULL, NULL);

  length = strlen (pan);
  masked = g_string_new (NULL);
  for (gsize i = 0; i < length; i++)
    g_string_append_c (masked, i + 4 < length ? '*' : pan[i]);
  return g_string_free (masked, FALSE);
}

char *
pd_card_profile_resolve (const char *name_or_path,
                         const char *profiles_dir)
{
  g_autofree char *file = NULL;

  g_return_val_if_fail (name_or_path != NULL, NULL);
  g_return_val_if_fail (profiles_dir != NULL, NULL);

  if (strchr (name_or_path, G_DIR_SEPARATOR) != NULL || g_str_has_suffix (name_or_path, ".json"))
    return g_strdup (name_or_path);

  file = g_strconcat (name_or_path, ".json", NULL);
  return g_build_filename (profiles_dir, file, NULL);
}

/* Every error names the profile and the place in it. */
static gboolean
invalid (GError     **error,
         const char  *where,
         const char  *format,
         ...) G_GNUC_PRINTF (3, 4);

static gboolean
invalid (GError     **error,
         const char  *where,
         const char  *format,
         ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, PD_CARD_PROFILE_ERROR, PD_CARD_PROFILE_ERROR_INVALID, "%s: %s", where,
               message);
  return FALSE;
}

/* Hex with spaces allowed between the digits, for readable profiles. */
static GBytes *
bytes_from_hex (const char  *hex,
                const char  *where,
                GError     **error)
{
  g_autoptr(GString) digits = g_string_new (NULL);
  GBytes *bytes;

  for (const char *c = hex; *c != '\0'; c++)
    if (!g_ascii_isspace (*c))
      g_string_append_c (digits, *c);

  bytes = pd_hex_decode_bytes (digits->str);
  if (bytes != NULL)
    return bytes;

  /* Nothing but hex digits: an odd number of them. */
  if (strspn (digits->str, "0123456789abcdefABCDEF") == digits->len)
    invalid (error, where, "\"%s\" has an odd number of hex digits", hex);
  else
    invalid (error, where, "\"%s\" is not hex", hex);
  return NULL;
}

static gboolean
tag_from_hex (const char  *hex,
              const char  *where,
              guint32     *tag,
              GError     **error)
{
  g_autoptr(GBytes) bytes = bytes_from_hex (hex, where, error);
  const guint8 *b;
  gsize length;

  if (bytes == NULL)
    return FALSE;

  b = g_bytes_get_data (bytes, &length);
  /* One byte, or a first byte saying more follow and a last byte saying none does. */
  if (length < 1 || length > 3 ||
      ((b[0] & 0x1f) == 0x1f) != (length > 1) ||
      (length > 1 && (b[length - 1] & 0x80) != 0))
    return invalid (error, where, "\"%s\" is not a tag", hex);

  *tag = 0;
  for (gsize i = 0; i < length; i++)
    *tag = *tag << 8 | b[i];
  return TRUE;
}

/* A string member of object, or of fallback (the card, for what its applications share). */
static gboolean
get_string (JsonObject   *object,
            JsonObject   *fallback,
            const char   *member,
            gboolean      required,
            const char  **value,
            GError      **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL && fallback != NULL)
    node = json_object_get_member (fallback, member);

  *value = NULL;
  if (node == NULL)
    return required ? invalid (error, member, "is missing") : TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return invalid (error, member, "must be a string");

  *value = json_node_get_string (node);
  return TRUE;
}

static gboolean
get_hex (JsonObject  *object,
         const char  *member,
         gboolean     required,
         GBytes     **value,
         GError     **error)
{
  const char *hex;

  *value = NULL;
  if (!get_string (object, NULL, member, required, &hex, error))
    return FALSE;
  if (hex == NULL)
    return TRUE;

  *value = bytes_from_hex (hex, member, error);
  return *value != NULL;
}

static gboolean
get_boolean (JsonObject  *object,
             const char  *member,
             gboolean     default_value,
             gboolean    *value,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *value = default_value;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return invalid (error, member, "must be true or false");

  *value = json_node_get_boolean (node);
  return TRUE;
}

static gboolean
get_integer (JsonObject  *object,
             const char  *member,
             gint64      *value,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return invalid (error, member, "must be a whole number");

  *value = json_node_get_int (node);
  return TRUE;
}

/* One of choices (a NULL-terminated list of names), as its index. */
static gboolean
get_choice (JsonObject          *object,
            const char          *member,
            const char * const  *choices,
            guint               *index,
            GError             **error)
{
  const char *value;
  g_autofree char *allowed = NULL;

  if (!get_string (object, NULL, member, FALSE, &value, error))
    return FALSE;
  if (value == NULL)
    return TRUE;

  for (guint i = 0; choices[i] != NULL; i++)
    if (g_str_equal (value, choices[i]))
      {
        *index = i;
        return TRUE;
      }

  allowed = g_strjoinv ("|", (char **) choices);
  return invalid (error, member, "\"%s\" is none of %s", value, allowed);
}

static gboolean
passes_luhn (const char *pan)
{
  gsize length = strlen (pan);
  guint sum = 0;

  for (gsize i = 0; i < length; i++)
    {
      guint digit = (guint) (pan[length - 1 - i] - '0');

      if (i % 2 == 1)
        digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
      sum += digit;
    }

  return sum % 10 == 0;
}

/* Digits (and D, the track 2 separator) packed two to a byte, F-padded. */
static GBytes *
pack_nibbles (const char *digits)
{
  gsize length = strlen (digits);
  gsize size = (length + 1) / 2;
  guint8 *packed = g_malloc (size);

  memset (packed, 0xff, size);
  for (gsize i = 0; i < length; i++)
    {
      guint8 nibble = (guint8) g_ascii_xdigit_value (digits[i]);

      packed[i / 2] = i % 2 == 0 ? (guint8) (nibble << 4 | 0x0f)
                                 : (guint8) ((packed[i / 2] & 0xf0) | nibble);
    }

  return g_bytes_new_take (packed, size);
}

static void
set_data (PdCardApplication *app,
          guint32            tag,
          GBytes            *value)
{
  g_hash_table_replace (app->data, GUINT_TO_POINTER (tag), value);
}

static gboolean
has_data (PdCardApplication *app,
          guint32            tag)
{
  return g_hash_table_contains (app->data, GUINT_TO_POINTER (tag));
}

/* The account's data objects, from the card's (or the application's) own members:
 * 5A, 5F24, 5F34, 57, 5F20 and 5F30, unless data gives them. */
static gboolean
load_account (PdCardApplication  *app,
              JsonObject         *object,
              JsonObject         *card,
              GError            **error)
{
  const char *pan, *psn, *expiry, *name, *service_code;
  g_autofree char *track2 = NULL;
  g_autofree char *service = NULL;

  if (!get_string (object, card, "pan", TRUE, &pan, error) ||
      !get_string (object, card, "psn", TRUE, &psn, error) ||
      !get_string (object, card, "expiry", TRUE, &expiry, error) ||
      !get_string (object, card, "cardholder_name", FALSE, &name, error) ||
      !get_string (object, card, "service_code", FALSE, &service_code, error))
    return FALSE;

  if (!pd_is_digits (pan, 12, 19) || !passes_luhn (pan))
    return invalid (error, "pan", "must be 12 to 19 digits passing the Luhn check");
  if (!pd_is_digits (psn, 2, 2))
    return invalid (error, "psn", "must be two digits");
  if (!pd_is_digits (expiry, 6, 6) || g_ascii_digit_value (expiry[2]) > 1)
    return invalid (error, "expiry", "must be YYMMDD");
  if (service_code == NULL)
    service_code = "201";
  if (!pd_is_digits (service_code, 3, 3))
    return invalid (error, "service_code", "must be three digits");

  app->pan = g_strdup (pan);
  app->psn = g_strdup (psn);
  app->expiry = g_strdup (expiry);

  /* Track 2: PAN, separator, YYMM, service code, discretionary data. */
  track2 = g_strdup_printf ("%sD%.4s%s0000000000", pan, expiry, service_code);
  service = g_strconcat ("0", service_code, NULL);
  if (!has_data (app, 0x5a))
    set_data (app, 0x5a, pack_nibbles (pan));
  if (!has_data (app, 0x5f24))
    set_data (app, 0x5f24, pack_nibbles (expiry));
  if (!has_data (app, 0x5f34))
    set_data (app, 0x5f34, pack_nibbles (psn));
  if (!has_data (app, 0x57))
    set_data (app, 0x57, pack_nibbles (track2));
  if (!has_data (app, 0x5f30))
    set_data (app, 0x5f30, pack_nibbles (service));
  if (name != NULL && !has_data (app, 0x5f20))
    set_data (app, 0x5f20, g_bytes_new (name, strlen (name)));
  return TRUE;
}

static gboolean
load_data (PdCardApplication  *app,
           JsonObject         *object,
           GError            **error)
{
  JsonNode *node = json_object_get_member (object, "data");
  JsonObject *data;
  g_autoptr(GList) members = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (data_members); i++)
    {
      GBytes *value;

      if (!get_hex (object, data_members[i].member, FALSE, &value, error))
        return FALSE;
      if (value != NULL)
        set_data (app, data_members[i].tag, value);
    }

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, "data", "must be an object of tag: hex value");

  data = json_node_get_object (node);
  members = json_object_get_members (data);
  for (GList *l = members; l != NULL; l = l->next)
    {
      guint32 tag;
      GBytes *value;

      if (!tag_from_hex (l->data, "data", &tag, error) ||
          !get_hex (data, l->data, TRUE, &value, error))
        return FALSE;
      set_data (app, tag, value);
    }

  return TRUE;
}

static GArray *
load_tag_list (JsonNode    *node,
               const char  *where,
               GError     **error)
{
  g_autoptr(GArray) tags = g_array_new (FALSE, FALSE, sizeof (guint32));
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      invalid (error, where, "must be a list of tags");
      return NULL;
    }

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      guint32 tag;

      if (!JSON_NODE_HOLDS_VALUE (element) ||
          json_node_get_value_type (element) != G_TYPE_STRING)
        {
          invalid (error, where, "must be a list of tags");
          return NULL;
        }
      if (!tag_from_hex (json_node_get_string (element), where, &tag, error))
        return NULL;
      g_array_append_val (tags, tag);
    }

  return g_steal_pointer (&tags);
}

static gboolean
load_record (JsonNode            *node,
             PdCardRecordLayout  *record,
             GError             **error)
{
  JsonObject *object;
  gint64 sfi = 0;
  gint64 number = 0;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, "records", "each record is an object");

  object = json_node_get_object (node);
  if (!get_integer (object, "sfi", &sfi, error) || !get_integer (object, "record", &number, error))
    return FALSE;
  if (sfi < 1 || sfi > 30 || number < 1 || number > 255)
    return invalid (error, "records", "each needs an sfi (1-30) and a record (1-255)");
  record->sfi = (guint8) sfi;
  record->number = (guint8) number;

  if (json_object_has_member (object, "raw"))
    return get_hex (object, "raw", TRUE, &record->raw, error);

  record->tags = load_tag_list (json_object_get_member (object, "tags"), "records", error);
  return record->tags != NULL;
}

static gboolean
load_records (PdCardApplication  *app,
              JsonObject         *object,
              GError            **error)
{
  JsonNode *node = json_object_get_member (object, "records");
  JsonArray *array;

  app->records = g_array_new (FALSE, TRUE, sizeof (PdCardRecordLayout));
  g_array_set_clear_func (app->records, record_layout_clear);
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return invalid (error, "records", "must be a list of records");

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      PdCardRecordLayout record = { 0 };

      if (!load_record (json_array_get_element (array, i), &record, error))
        {
          record_layout_clear (&record);
          return FALSE;
        }
      g_array_append_val (app->records, record);
    }

  return TRUE;
}

static gboolean
load_identity (PdCardApplication  *app,
               JsonObject         *object,
               GError            **error)
{
  const char *label, *preferred_name;
  g_autoptr(GBytes) priority = NULL;
  gsize aid_length;

  if (!get_hex (object, "aid", TRUE, &app->aid, error) ||
      !get_string (object, NULL, "label", TRUE, &label, error) ||
      !get_string (object, NULL, "preferred_name", FALSE, &preferred_name, error) ||
      !get_hex (object, "priority", FALSE, &priority, error))
    return FALSE;

  aid_length = g_bytes_get_size (app->aid);
  if (aid_length < 5 || aid_length > 16)
    return invalid (error, "aid", "must be 5 to 16 bytes");
  if (strlen (label) > 16)
    return invalid (error, "label", "is at most 16 characters");
  if (priority != NULL && g_bytes_get_size (priority) != 1)
    return invalid (error, "priority", "is one byte");

  app->label = g_strdup (label);
  app->preferred_name = g_strdup (preferred_name);
  app->priority = priority != NULL ? *(const guint8 *) g_bytes_get_data (priority, NULL) : 0;
  return TRUE;
}

static gboolean
load_behaviour (PdCardApplication  *app,
                JsonObject         *object,
                GError            **error)
{
  const char *cryptogram;
  JsonNode *gpo = json_object_get_member (object, "gpo_response");
  guint authentication = 0;
  static const char * const authentication_choices[] = { "required", "optional", NULL };

  if (!get_string (object, NULL, "cryptogram", TRUE, &cryptogram, error) ||
      !get_choice (object, "issuer_authentication", authentication_choices, &authentication,
                   error))
    return FALSE;

  app->issuer_authentication_required = authentication == 0;
  app->cryptogram = G_N_ELEMENTS (cryptograms);
  for (gsize i = 0; i < G_N_ELEMENTS (cryptograms); i++)
    if (g_str_equal (cryptogram, cryptograms[i].name))
      app->cryptogram = cryptograms[i].cryptogram;
  if (app->cryptogram == G_N_ELEMENTS (cryptograms))
    return invalid (error, "cryptogram", "\"%s\" is not visa-cvn10, visa-cvn18, "
                    "mastercard-cvn16 or generic", cryptogram);

  if (gpo == NULL)
    app->gpo_tags = g_array_new (FALSE, FALSE, sizeof (guint32));
  else
    app->gpo_tags = load_tag_list (gpo, "gpo_response", error);
  return app->gpo_tags != NULL;
}

static PdCardApplication *
load_application (JsonNode    *node,
                  JsonObject  *card,
                  GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  PdCardApplication *app;
  JsonObject *object;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      invalid (error, "applications", "each application is an object");
      return NULL;
    }

  object = json_node_get_object (node);
  app = g_new0 (PdCardApplication, 1);
  app->data = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_bytes_unref);

  if (!load_identity (app, object, &local_error) ||
      !load_data (app, object, &local_error) ||
      !load_account (app, object, card, &local_error) ||
      !load_records (app, object, &local_error) ||
      !load_behaviour (app, object, &local_error))
    {
      g_autofree char *aid = app->aid != NULL ? pd_hex_encode (g_bytes_get_data (app->aid, NULL),
                                                               g_bytes_get_size (app->aid))
                                              : g_strdup ("?");

      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "application %s, ",
                                  aid);
      application_free (app);
      return NULL;
    }

  return app;
}

static gboolean
tag_in (guint32         tag,
        const guint32  *tags,
        gsize           n_tags)
{
  for (gsize i = 0; i < n_tags; i++)
    if (tags[i] == tag)
      return TRUE;
  return FALSE;
}

static gboolean
is_certificate_tag (guint32 tag)
{
  return tag_in (tag, certificate_tags, G_N_ELEMENTS (certificate_tags));
}

static const PdCardRecordLayout *
find_record (const PdCardApplication *app,
             guint8                   sfi,
             guint8                   number)
{
  for (guint i = 0; i < app->records->len; i++)
    {
      const PdCardRecordLayout *record = &g_array_index (app->records, PdCardRecordLayout, i);

      if (record->sfi == sfi && record->number == number)
        return record;
    }

  return NULL;
}

static GBytes *
lookup_data (const PdCardApplication *app,
             guint32                  tag)
{
  return g_hash_table_lookup (app->data, GUINT_TO_POINTER (tag));
}

/* Whether a record is one offline data authentication signs: the AFL says so. */
static gboolean
record_is_signed (const PdCardApplication *app,
                  guint8                   sfi,
                  guint8                   number)
{
  gsize length;
  const guint8 *afl = g_bytes_get_data (lookup_data (app, 0x94), &length);

  for (gsize at = 0; at + 4 <= length; at += 4)
    if (afl[at] >> 3 == sfi && number >= afl[at + 1] && number < afl[at + 1] + afl[at + 3])
      return TRUE;
  return FALSE;
}

static gboolean
check_afl (const PdCardApplication  *app,
           GError                  **error)
{
  GBytes *value = lookup_data (app, 0x94);
  gsize length;
  const guint8 *afl;

  if (value == NULL || lookup_data (app, 0x82) == NULL)
    return invalid (error, "aip, afl", "are required");
  if (g_bytes_get_size (lookup_data (app, 0x82)) != 2)
    return invalid (error, "aip", "is two bytes");

  afl = g_bytes_get_data (value, &length);
  if (length == 0 || length % 4 != 0)
    return invalid (error, "afl", "is entries of four bytes");

  for (gsize at = 0; at < length; at += 4)
    {
      guint8 sfi = afl[at] >> 3;

      if (sfi < 1 || sfi > 30 || (afl[at] & 0x07) != 0 || afl[at + 1] == 0 ||
          afl[at + 2] < afl[at + 1] || afl[at + 3] > afl[at + 2] - afl[at + 1] + 1)
        return invalid (error, "afl", "entry %" G_GSIZE_FORMAT " is malformed", at / 4 + 1);

      for (guint number = afl[at + 1]; number <= afl[at + 2]; number++)
        if (find_record (app, sfi, (guint8) number) == NULL)
          return invalid (error, "afl", "names SFI %u record %u, which records lacks", sfi,
                          number);
    }

  return TRUE;
}

/* Parses the data object list of tag, when present; NULL with no error when absent. */
static GArray *
parse_dol (const PdCardApplication  *app,
           guint32                   tag,
           const char               *where,
           GError                  **error)
{
  GBytes *value = lookup_data (app, tag);
  g_autoptr(GError) local_error = NULL;
  GArray *entries;
  gsize length;
  const guint8 *dol;

  if (value == NULL)
    return NULL;

  dol = g_bytes_get_data (value, &length);
  entries = pd_dol_parse (dol, length, &local_error);
  if (entries == NULL)
    invalid (error, where, "%s", local_error->message);
  return entries;
}

static gboolean
dol_has (GArray  *entries,
         guint32  tag,
         gsize    length)
{
  for (guint i = 0; entries != NULL && i < entries->len; i++)
    {
      const PdDolEntry *entry = &g_array_index (entries, PdDolEntry, i);

      if (entry->tag == tag)
        return entry->length == length;
    }

  return FALSE;
}

static gboolean
check_cryptogram_inputs (GArray      *dol,
                         const char  *where,
                         GError     **error)
{
  for (gsize i = 0; i < G_N_ELEMENTS (cryptogram_inputs); i++)
    if (!dol_has (dol, cryptogram_inputs[i].tag, cryptogram_inputs[i].length))
      return invalid (error, where, "must ask for %X (%" G_GSIZE_FORMAT " bytes): the "
                      "cryptogram signs it", cryptogram_inputs[i].tag,
                      cryptogram_inputs[i].length);
  return TRUE;
}

gboolean
pd_card_application_has_gpo_cryptogram (const PdCardApplication *app)
{
  return tag_in (0x9f26, (const guint32 *) (gpointer) app->gpo_tags->data, app->gpo_tags->len);
}

static gboolean
check_dols (const PdCardApplication  *app,
            GError                  **error)
{
  g_autoptr(GArray) pdol = NULL;
  g_autoptr(GArray) cdol1 = NULL;
  g_autoptr(GArray) cdol2 = NULL;
  g_autoptr(GArray) ddol = NULL;
  GError *local_error = NULL;
  gsize arpc_length = app->cryptogram == PD_CARD_CRYPTOGRAM_VISA_CVN18 ? 8 : 10;

  if ((pdol = parse_dol (app, 0x9f38, "pdol", &local_error)) == NULL && local_error != NULL)
    goto malformed;
  if ((cdol1 = parse_dol (app, 0x8c, "cdol1", &local_error)) == NULL && local_error != NULL)
    goto malformed;
  if ((cdol2 = parse_dol (app, 0x8d, "cdol2", &local_error)) == NULL && local_error != NULL)
    goto malformed;
  if ((ddol = parse_dol (app, 0x9f49, "ddol", &local_error)) == NULL && local_error != NULL)
    goto malformed;

  if (pd_card_application_has_gpo_cryptogram (app))
    return check_cryptogram_inputs (pdol, "pdol", error);

  if (cdol1 == NULL || cdol2 == NULL)
    return invalid (error, "cdol1, cdol2", "are required for GENERATE AC");
  if (!dol_has (cdol2, 0x8a, 2) || !dol_has (cdol2, 0x91, arpc_length))
    return invalid (error, "cdol2", "must ask for 8A (2 bytes) and 91 (%" G_GSIZE_FORMAT
                    " bytes, for this cryptogram)", arpc_length);
  return check_cryptogram_inputs (cdol1, "cdol1", error);

malformed:
  g_propagate_error (error, local_error);
  return FALSE;
}

/* Every tag a record or the GET PROCESSING OPTIONS answer names has a value, and is
 * handed out once: a kernel ends the transaction on redundant data. */
static gboolean
check_tag_source (const PdCardApplication  *app,
                  guint32                   tag,
                  GHashTable               *seen,
                  const char               *where,
                  GError                  **error)
{
  if (lookup_data (app, tag) == NULL && !is_certificate_tag (tag) &&
      !(g_str_equal (where, "gpo_response") && tag_in (tag, dynamic_tags,
                                                      G_N_ELEMENTS (dynamic_tags))))
    return invalid (error, where, "names %X, which has no value", tag);
  if (!g_hash_table_add (seen, GUINT_TO_POINTER (tag)))
    return invalid (error, where, "names %X a second time", tag);
  return TRUE;
}

static gboolean
check_records (const PdCardApplication  *app,
               GError                  **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);

  for (guint i = 0; i < app->gpo_tags->len; i++)
    {
      guint32 tag = g_array_index (app->gpo_tags, guint32, i);

      if (tag == 0x82 || tag == 0x94 || is_certificate_tag (tag))
        return invalid (error, "gpo_response", "cannot name %X", tag);
      if (!check_tag_source (app, tag, seen, "gpo_response", error))
        return FALSE;
    }

  for (guint i = 0; i < app->records->len; i++)
    {
      const PdCardRecordLayout *record = &g_array_index (app->records, PdCardRecordLayout, i);

      if (find_record (app, record->sfi, record->number) != record)
        return invalid (error, "records", "SFI %u record %u is there twice", record->sfi,
                        record->number);

      for (guint t = 0; record->tags != NULL && t < record->tags->len; t++)
        {
          guint32 tag = g_array_index (record->tags, guint32, t);

          /* A certificate cannot sign the record that holds it. */
          if (is_certificate_tag (tag) && record_is_signed (app, record->sfi, record->number))
            return invalid (error, "records", "SFI %u record %u holds %X but is signed for "
                            "offline data authentication (afl)", record->sfi, record->number,
                            tag);
          if (!check_tag_source (app, tag, seen, "records", error))
            return FALSE;
        }
    }

  return TRUE;
}

static gboolean
records_hold (const PdCardApplication *app,
              guint32                  tag)
{
  for (guint i = 0; i < app->records->len; i++)
    {
      const PdCardRecordLayout *record = &g_array_index (app->records, PdCardRecordLayout, i);

      for (guint t = 0; record->tags != NULL && t < record->tags->len; t++)
        if (g_array_index (record->tags, guint32, t) == tag)
          return TRUE;
    }

  return FALSE;
}

/* What the AIP claims, the records must hold, and the profile's keys must sign. */
static gboolean
check_oda (const PdCardApplication  *app,
           const PdCardProfile      *profile,
           GError                  **error)
{
  const guint8 *aip = g_bytes_get_data (lookup_data (app, 0x82), NULL);

  if ((aip[0] & 0x40) && !records_hold (app, 0x93))
    return invalid (error, "aip", "says SDA: the records need 93");
  if ((aip[0] & 0x21) && !(records_hold (app, 0x9f46) && records_hold (app, 0x9f47)))
    return invalid (error, "aip", "says DDA or CDA: the records need 9F46 and 9F47");
  if ((aip[0] & 0x61) &&
      !(records_hold (app, 0x8f) && records_hold (app, 0x90) && records_hold (app, 0x9f32)))
    return invalid (error, "aip", "says SDA, DDA or CDA: the records need 8F, 90 and 9F32");
  if ((records_hold (app, 0x90) || records_hold (app, 0x93)) &&
      (profile->ca_key_path == NULL || profile->issuer_key_path == NULL))
    return invalid (error, "keys", "ca and issuer are needed to sign 90 and 93");
  if (records_hold (app, 0x9f46) && profile->icc_key_path == NULL)
    return invalid (error, "keys", "icc is needed for 9F46");

  return TRUE;
}

static gboolean
check_application (const PdCardApplication  *app,
                   const PdCardProfile      *profile,
                   GError                  **error)
{
  g_autoptr(GError) local_error = NULL;

  if (check_afl (app, &local_error) &&
      check_dols (app, &local_error) &&
      check_records (app, &local_error) &&
      check_oda (app, profile, &local_error))
    return TRUE;

  g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "application %s, ",
                              app->label);
  return FALSE;
}

/* Where the card's protocols and its check byte are (ISO/IEC 7816-3 section 8.2): T=0
 * alone needs no TCK, anything else does. */
static gboolean
check_atr (GBytes                *atr,
           const PdCardProfile   *profile,
           GError               **error)
{
  gsize length;
  const guint8 *b = g_bytes_get_data (atr, &length);
  guint protocols = 0;
  gsize at = 2;
  guint8 indicator;
  gsize historical;

  if (length < 2 || length > 33 || b[0] != 0x3b)
    return invalid (error, "atr", "must start with 3B and be at most 33 bytes");

  historical = b[1] & 0x0f;
  indicator = b[1] >> 4;
  while (indicator != 0 && at <= length)
    {
      guint8 next = 0;

      at += (indicator & 1) + (indicator >> 1 & 1) + (indicator >> 2 & 1);
      if (indicator & 8)
        {
          if (at >= length)
            break;
          next = b[at++];
          protocols |= 1u << (next & 0x0f);
        }
      indicator = next >> 4;
    }
  if (protocols == 0)
    protocols = 1;

  if (profile->interface == PD_CARD_INTERFACE_CONTACTLESS &&
      (length < 5 || (b[1] & 0xf0) != 0x80 || b[2] != 0x80 || b[3] != 0x01))
    return invalid (error, "atr", "a contactless card's is PC/SC's 3B 8n 80 01 ...");
  if (profile->t0 && protocols != 1)
    return invalid (error, "atr", "a T=0 card's offers T=0 only");
  if (!profile->t0 && !(protocols & 2))
    return invalid (error, "atr", "a T=1 card's offers T=1");

  if (protocols == 1)
    {
      if (at + historical != length)
        return invalid (error, "atr", "its length disagrees with its interface bytes");
    }
  else
    {
      guint8 check = 0;

      if (at + historical + 1 != length)
        return invalid (error, "atr", "its length disagrees with its interface bytes and TCK");
      for (gsize i = 1; i < length; i++)
        check ^= b[i];
      if (check != 0)
        return invalid (error, "atr", "its TCK is wrong");
    }

  return TRUE;
}

static gboolean
load_command (JsonObject     *pull,
              const char     *member,
              PdCardCommand  *command,
              GError        **error)
{
  const char *name;

  *command = PD_CARD_COMMAND_NONE;
  if (!get_string (pull, NULL, member, FALSE, &name, error))
    return FALSE;
  if (name == NULL)
    return TRUE;

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (name, commands[i].name))
      {
        *command = commands[i].command;
        return TRUE;
      }

  return invalid (error, member, "\"%s\" is no command a card can be pulled at", name);
}

static gboolean
load_card_behaviour (PdCardProfile  *profile,
                     JsonObject     *root,
                     GError        **error)
{
  static const char * const offline_choices[] = { "online", "approve", NULL };
  static const char * const genac2_choices[] = { "issuer", "decline", NULL };
  JsonNode *node = json_object_get_member (root, "behaviour");
  JsonObject *behaviour;
  JsonNode *pull;
  guint offline = 0;
  guint genac2 = 0;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, "behaviour", "must be an object");

  behaviour = json_node_get_object (node);
  if (!get_choice (behaviour, "offline", offline_choices, &offline, error) ||
      !get_choice (behaviour, "generate_ac_2", genac2_choices, &genac2, error))
    return FALSE;
  profile->approves_offline = offline == 1;
  profile->declines_generate_ac_2 = genac2 == 1;
  if (!get_boolean (behaviour, "verifies_on_device", FALSE, &profile->verifies_on_device, error))
    return FALSE;

  pull = json_object_get_member (behaviour, "pull");
  if (pull == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (pull))
    return invalid (error, "pull", "must be an object: {\"on\": command, \"after\": command}");

  if (!load_command (json_node_get_object (pull), "on", &profile->pull_on, error) ||
      !load_command (json_node_get_object (pull), "after", &profile->pull_after, error))
    return FALSE;
  if (profile->pull_on == PD_CARD_COMMAND_NONE)
    return invalid (error, "pull", "needs \"on\"");
  return TRUE;
}

/* Key paths are relative to the profile's folder. */
static gboolean
load_keys (PdCardProfile  *profile,
           JsonObject     *root,
           const char     *profile_dir,
           GError        **error)
{
  JsonNode *node = json_object_get_member (root, "keys");
  const char *ca, *issuer, *icc;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, "keys", "must be an object with ca, issuer and icc");

  if (!get_string (json_node_get_object (node), NULL, "ca", TRUE, &ca, error) ||
      !get_string (json_node_get_object (node), NULL, "issuer", TRUE, &issuer, error) ||
      !get_string (json_node_get_object (node), NULL, "icc", FALSE, &icc, error))
    return FALSE;

  profile->ca_key_path = g_build_filename (profile_dir, ca, NULL);
  profile->issuer_key_path = g_build_filename (profile_dir, issuer, NULL);
  profile->icc_key_path = icc != NULL ? g_build_filename (profile_dir, icc, NULL) : NULL;
  return TRUE;
}

static gboolean
load_card (PdCardProfile  *profile,
           JsonObject     *root,
           const char     *profile_dir,
           GError        **error)
{
  static const char * const interfaces[] = { "contact", "contactless", NULL };
  static const char * const protocols[] = { "T=1", "T=0", NULL };
  const char *description;
  guint interface = 0;
  guint protocol = 0;

  if (!get_string (root, NULL, "description", FALSE, &description, error) ||
      !get_choice (root, "interface", interfaces, &interface, error) ||
      !get_choice (root, "protocol", protocols, &protocol, error) ||
      !get_boolean (root, "directory", TRUE, &profile->has_directory, error) ||
      !get_hex (root, "atr", TRUE, &profile->atr, error))
    return FALSE;

  profile->description = g_strdup (description);
  profile->interface = interface;
  profile->t0 = protocol == 1;
  if (profile->t0 && profile->interface == PD_CARD_INTERFACE_CONTACTLESS)
    return invalid (error, "protocol", "a contactless card speaks T=1 (ISO 14443-4)");

  return check_atr (profile->atr, profile, error) &&
         load_keys (profile, root, profile_dir, error) &&
         load_card_behaviour (profile, root, error);
}

static gboolean
load_applications (PdCardProfile  *profile,
                   JsonObject     *root,
                   GError        **error)
{
  JsonNode *node = json_object_get_member (root, "applications");
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node) ||
      json_array_get_length (json_node_get_array (node)) == 0)
    return invalid (error, "applications", "must be a list of at least one application");

  profile->applications = g_ptr_array_new_with_free_func (application_free);
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      PdCardApplication *app = load_application (json_array_get_element (array, i), root,
                                                 error);

      if (app == NULL)
        return FALSE;
      g_ptr_array_add (profile->applications, app);
      if (!check_application (app, profile, error))
        return FALSE;
    }

  return TRUE;
}

static char *
profile_name (const char *path)
{
  g_autofree char *base = g_path_get_basename (path);

  if (g_str_has_suffix (base, ".json"))
    base[strlen (base) - strlen (".json")] = '\0';
  return g_steal_pointer (&base);
}

PdCardProfile *
pd_card_profile_load (const char  *path,
                      GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(PdCardProfile) profile = g_new0 (PdCardProfile, 1);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *profile_dir = g_path_get_dirname (path);
  JsonNode *root;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  profile->name = profile_name (path);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, PD_CARD_PROFILE_ERROR, PD_CARD_PROFILE_ERROR_NOT_FOUND,
                   "there is no card profile %s", path);
      return NULL;
    }

  if (!json_parser_load_from_file (parser, path, &local_error))
    {
      g_set_error (error, PD_CARD_PROFILE_ERROR, PD_CARD_PROFILE_ERROR_INVALID,
                   "card profile %s: %s", profile->name, local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, PD_CARD_PROFILE_ERROR, PD_CARD_PROFILE_ERROR_INVALID,
                   "card profile %s: not a JSON object", profile->name);
      return NULL;
    }

  if (!load_card (profile, json_node_get_object (root), profile_dir, &local_error) ||
      !load_applications (profile, json_node_get_object (root), &local_error))
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "card profile %s: ",
                                  profile->name);
      return NULL;
    }

  return g_steal_pointer (&profile);
}
