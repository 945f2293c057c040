#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "pd-business-date.h"
#include "pd-config.h"
#include "pd-email-address.h"
#include "pd-hex.h"
#include "pd-language.h"
#include "pd-seal.h"
#include "pd-strings.h"

G_DEFINE_QUARK (pd-config-error-quark, pd_config_error)

#define MAX_SECONDS 3600
#define TRAINING_CORE_PUBLIC_KEY "2au+SCVzty4o70hVh41T9kY7pXPHWomnPxm9nauLvCw="
#define MAX_HOURS (30 * 24)
#define MAX_IDENTIFIER_LENGTH 32
#define MIN_AID_BYTES 5
#define MAX_AID_BYTES 16
#define RID_HEX_LENGTH 10

/* Terminal capabilities (9F33) byte 2, the cardholder verification methods. */
#define CAPABILITY_PLAINTEXT_PIN 0x80
#define CAPABILITY_ONLINE_PIN 0x40
#define CAPABILITY_SIGNATURE 0x20
#define CAPABILITY_OFFLINE_PIN 0x10
#define CAPABILITY_NO_CVM 0x08

struct _PdConfig {
  GObject parent_instance;

  char *source;
  gboolean training;
  PdTerminalMode mode;
  char *center_id;
  char *center_name;
  GStrv center_address;
  char *center_phone;
  char *center_hours;
  char *member_services_phone;
  char *terminal_id;
  char *core_url;
  char *core_token_file;
  char *core_client_certificate;
  char *core_client_key;
  char *core_ca_file;
  char *core_pinned_keys;
  char *core_public_key;
  guint core_timeout_seconds;
  guint core_connect_timeout_seconds;
  char *email_server;
  char *email_username;
  char *email_password_file;
  char *email_from;
  char *email_from_name;
  char *email_ca_file;
  guint email_timeout_seconds;
  guint email_give_up_hours;
  GStrv card_readers;
  char *printer;
  char *check_scanner;
  char *barcode_scanner;
  guint idle_seconds;
  guint card_seconds;
  guint counter_lock_seconds;
  guint lockout_seconds;
  PdCents outbox_max_payment;
  PdCents max_payment;
  gboolean allow_overpayment;
  PdCents outbox_max_total;
  guint outbox_max_age_hours;
  GStrv languages;
  char *default_language;
  char *data_dir;
  int business_day_cutoff;
  GStrv accepted_aids;
  PdCents contactless_limit;
  gboolean prefer_common_debit;
  guint8 terminal_type[1];
  guint8 terminal_capabilities[3];
  guint8 additional_capabilities[5];
  guint8 tac_denial[5];
  guint8 tac_online[5];
  guint8 tac_default[5];
  guint country_code;
  guint currency_code;
};

G_DEFINE_FINAL_TYPE (PdConfig, pd_config, G_TYPE_OBJECT)

typedef enum {
  VALUE_TEXT,
  VALUE_IDENTIFIER,
  VALUE_BOOLEAN,
  VALUE_MODE,
  VALUE_URL,
  VALUE_PATH,
  VALUE_SECONDS,
  VALUE_HOURS,
  VALUE_MONEY,
  VALUE_LIST,
  VALUE_DEVICE,
  VALUE_LANGUAGES,
  VALUE_LANGUAGE,
  VALUE_TIME_OF_DAY,
  VALUE_PUBLIC_KEY,
  /* TLS public key pins: sha256//BASE64 of a key's SHA-256, several separated by ";". */
  VALUE_KEY_PINS,
  /* Exactly `size` bytes, written as hexadecimal digits. */
  VALUE_HEX,
  VALUE_AIDS,
  /* An ISO 3166 or ISO 4217 numeric code. */
  VALUE_NUMERIC_CODE,
} ValueKind;

typedef struct {
  const char *group;
  const char *key;
  ValueKind kind;
  gsize offset;
  /* VALUE_HEX: the field's size in bytes. */
  gsize size;
} ConfigKey;

#define FIELD(name) G_STRUCT_OFFSET (PdConfig, name)
#define BYTES(name) FIELD (name), sizeof (((PdConfig *) NULL)->name)

static const ConfigKey config_keys[] = {
  { "terminal", "training", VALUE_BOOLEAN, FIELD (training) },
  { "terminal", "mode", VALUE_MODE, FIELD (mode) },
  { "terminal", "center-id", VALUE_IDENTIFIER, FIELD (center_id) },
  { "terminal", "center-name", VALUE_TEXT, FIELD (center_name) },
  { "terminal", "terminal-id", VALUE_IDENTIFIER, FIELD (terminal_id) },
  { "terminal", "max-payment", VALUE_MONEY, FIELD (max_payment) },
  { "terminal", "allow-overpayment", VALUE_BOOLEAN, FIELD (allow_overpayment) },
  { "receipt", "center-address", VALUE_LIST, FIELD (center_address) },
  { "receipt", "center-phone", VALUE_TEXT, FIELD (center_phone) },
  { "receipt", "center-hours", VALUE_TEXT, FIELD (center_hours) },
  { "receipt", "member-services-phone", VALUE_TEXT, FIELD (member_services_phone) },
  { "core", "url", VALUE_URL, FIELD (core_url) },
  { "core", "token-file", VALUE_PATH, FIELD (core_token_file) },
  { "core", "client-certificate", VALUE_PATH, FIELD (core_client_certificate) },
  { "core", "client-key", VALUE_PATH, FIELD (core_client_key) },
  { "core", "ca-file", VALUE_PATH, FIELD (core_ca_file) },
  { "core", "pinned-public-key", VALUE_KEY_PINS, FIELD (core_pinned_keys) },
  { "core", "public-key", VALUE_PUBLIC_KEY, FIELD (core_public_key) },
  { "core", "timeout-seconds", VALUE_SECONDS, FIELD (core_timeout_seconds) },
  { "core", "connect-timeout-seconds", VALUE_SECONDS, FIELD (core_connect_timeout_seconds) },
  { "email", "server", VALUE_URL, FIELD (email_server) },
  { "email", "username", VALUE_TEXT, FIELD (email_username) },
  { "email", "password-file", VALUE_PATH, FIELD (email_password_file) },
  { "email", "from", VALUE_TEXT, FIELD (email_from) },
  { "email", "from-name", VALUE_TEXT, FIELD (email_from_name) },
  { "email", "ca-file", VALUE_PATH, FIELD (email_ca_file) },
  { "email", "timeout-seconds", VALUE_SECONDS, FIELD (email_timeout_seconds) },
  { "email", "give-up-hours", VALUE_HOURS, FIELD (email_give_up_hours) },
  { "devices", "card-readers", VALUE_LIST, FIELD (card_readers) },
  { "devices", "printer", VALUE_DEVICE, FIELD (printer) },
  { "devices", "check-scanner", VALUE_DEVICE, FIELD (check_scanner) },
  { "devices", "barcode-scanner", VALUE_DEVICE, FIELD (barcode_scanner) },
  { "timeouts", "idle-seconds", VALUE_SECONDS, FIELD (idle_seconds) },
  { "timeouts", "card-seconds", VALUE_SECONDS, FIELD (card_seconds) },
  { "timeouts", "counter-lock-seconds", VALUE_SECONDS, FIELD (counter_lock_seconds) },
  { "associates", "lockout-seconds", VALUE_SECONDS, FIELD (lockout_seconds) },
  { "outbox", "max-payment", VALUE_MONEY, FIELD (outbox_max_payment) },
  { "outbox", "max-total", VALUE_MONEY, FIELD (outbox_max_total) },
  { "outbox", "max-age-hours", VALUE_HOURS, FIELD (outbox_max_age_hours) },
  { "languages", "offered", VALUE_LANGUAGES, FIELD (languages) },
  { "languages", "default", VALUE_LANGUAGE, FIELD (default_language) },
  { "journal", "data-dir", VALUE_PATH, FIELD (data_dir) },
  { "journal", "business-day-cutoff", VALUE_TIME_OF_DAY, FIELD (business_day_cutoff) },
  { "card", "accepted-aids", VALUE_AIDS, FIELD (accepted_aids) },
  { "card", "contactless-limit", VALUE_MONEY, FIELD (contactless_limit) },
  { "card", "prefer-common-debit", VALUE_BOOLEAN, FIELD (prefer_common_debit) },
  { "card", "terminal-type", VALUE_HEX, BYTES (terminal_type) },
  { "card", "terminal-capabilities", VALUE_HEX, BYTES (terminal_capabilities) },
  { "card", "additional-capabilities", VALUE_HEX, BYTES (additional_capabilities) },
  { "card", "tac-denial", VALUE_HEX, BYTES (tac_denial) },
  { "card", "tac-online", VALUE_HEX, BYTES (tac_online) },
  { "card", "tac-default", VALUE_HEX, BYTES (tac_default) },
  { "card", "country-code", VALUE_NUMERIC_CODE, FIELD (country_code) },
  { "card", "currency-code", VALUE_NUMERIC_CODE, FIELD (currency_code) },
};

#undef BYTES
#undef FIELD

/* reference.md: Visa, Mastercard and Discover with their US common debit applications. */
#define DEFAULT_ACCEPTED_AIDS \
  "A0000000031010;A0000000980840;A0000000041010;A0000000042203;A0000001523010;A0000001524010"

/* The registered application providers whose applications the EMV kernel knows: Visa, Visa
 * US common debit, Mastercard, Discover (devices/emv/pd-emv-terminal.c has their AIDs). */
static const char * const kernel_rids[] = {
  "A000000003", "A000000098", "A000000004", "A000000152",
};

/* Schemes a configuration might name that Paydesk does not take. */
static const struct {
  const char *rid;
  const char *name;
} refused_rids[] = {
  { "A000000025", "American Express" },
  { "A000000065", "JCB" },
  { "A000000333", "UnionPay" },
  { "A000000324", "Discover Zip" },
};

/* Keys a production terminal cannot run without. */
static const char * const required_in_production[] = {
  "terminal/center-id", "terminal/terminal-id", "core/url", "core/public-key",
};

static void
pd_config_finalize (GObject *object)
{
  PdConfig *self = PD_CONFIG (object);

  for (gsize i = 0; i < G_N_ELEMENTS (config_keys); i++)
    {
      gpointer field = G_STRUCT_MEMBER_P (self, config_keys[i].offset);

      switch (config_keys[i].kind)
        {
        case VALUE_TEXT: case VALUE_IDENTIFIER: case VALUE_URL: case VALUE_PATH:
        case VALUE_DEVICE: case VALUE_LANGUAGE: case VALUE_PUBLIC_KEY: case VALUE_KEY_PINS:
          g_free (*(char **) field);
          break;
        case VALUE_LIST: case VALUE_LANGUAGES: case VALUE_AIDS:
          g_strfreev (*(GStrv *) field);
          break;
        case VALUE_BOOLEAN: case VALUE_MODE: case VALUE_SECONDS: case VALUE_HOURS:
        case VALUE_MONEY: case VALUE_TIME_OF_DAY: case VALUE_HEX: case VALUE_NUMERIC_CODE:
        default:
          break;
        }
    }
  g_free (self->source);

  G_OBJECT_CLASS (pd_config_parent_class)->finalize (object);
}

static void
pd_config_class_init (PdConfigClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pd_config_finalize;
}

/* With no configuration file a terminal is a training terminal: it talks to the training
 * core on loopback and to simulated devices, and can never move real money. */
static void
pd_config_init (PdConfig *self)
{
  guint n_languages;
  const PdLanguage *languages = pd_language_all (&n_languages);
  GStrvBuilder *builder = g_strv_builder_new ();

  self->training = TRUE;
  self->mode = PD_TERMINAL_MODE_KIOSK;
  self->center_id = g_strdup ("TRAINING");
  self->center_name = g_strdup (_("Paydesk Training Center"));
  self->center_address = g_strsplit ("100 Example Street;New York, NY 10001", ";", -1);
  self->center_phone = g_strdup ("(212) 555-0100");
  self->center_hours = g_strdup ("Monday to Friday 8 AM to 6 PM, Saturday 9 AM to 1 PM");
  self->member_services_phone = g_strdup ("1-800-555-0199");
  self->terminal_id = g_strdup ("TRAIN-01");
  self->core_url = g_strdup ("http://127.0.0.1:8765");
  /* The training core's sealing key; its private half is assets/training-core-sealing.key. */
  self->core_public_key = g_strdup (TRAINING_CORE_PUBLIC_KEY);
  self->core_timeout_seconds = 15;
  self->core_connect_timeout_seconds = 5;
  /* No mail server unless one is named: a receipt is never sent somewhere by default. */
  self->email_from = g_strdup ("receipts@paydesk.invalid");
  self->email_timeout_seconds = 30;
  self->email_give_up_hours = 72;
  self->card_readers = g_strsplit ("Virtual PCD", ";", -1);
  self->printer = g_strdup ("training");
  self->check_scanner = g_strdup ("training");
  self->barcode_scanner = g_strdup ("training");
  self->idle_seconds = 90;
  self->card_seconds = 60;
  self->counter_lock_seconds = 300;
  self->lockout_seconds = 15 * 60;
  self->outbox_max_payment = 2500 * 100;
  self->max_payment = 25000 * 100;
  self->outbox_max_total = 10000 * 100;
  self->outbox_max_age_hours = 24;

  for (guint i = 0; i < n_languages; i++)
    g_strv_builder_add (builder, languages[i].code);
  self->languages = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);

  self->default_language = g_strdup ("en");
  self->data_dir = g_build_filename (g_get_user_state_dir (), "paydesk", NULL);
  self->business_day_cutoff = 0;

  /* An unattended, merchant-controlled, online-only terminal (counter mode changes this
   * after loading); chip with contacts; No CVM; SDA, DDA and CDA. */
  self->accepted_aids = g_strsplit (DEFAULT_ACCEPTED_AIDS, ";", -1);
  self->contactless_limit = 250 * 100;
  self->prefer_common_debit = FALSE;
  self->terminal_type[0] = 0x24;
  memcpy (self->terminal_capabilities, "\x20\x08\xc8", 3);
  /* Goods and services, payment; no cash. */
  memcpy (self->additional_capabilities, "\x00\x60\xf0\xa0\x01", 5);
  /* An expired, not yet valid or restricted card is declined here rather than sent to the
   * issuer. */
  memcpy (self->tac_denial, "\x00\x70\x00\x00\x00", 5);
  memcpy (self->tac_online, "\xdc\x40\x04\xf8\x00", 5);
  memcpy (self->tac_default, "\xdc\x40\x04\xf8\x00", 5);
  self->country_code = 840;
  self->currency_code = 840;
}

PdConfig *
pd_config_new_training (void)
{
  return g_object_new (PD_TYPE_CONFIG, NULL);
}

static const ConfigKey *
find_key (const char *group,
          const char *key)
{
  for (gsize i = 0; i < G_N_ELEMENTS (config_keys); i++)
    if (strcmp (config_keys[i].group, group) == 0 && strcmp (config_keys[i].key, key) == 0)
      return &config_keys[i];

  return NULL;
}

static gboolean
is_known_group (const char *group)
{
  for (gsize i = 0; i < G_N_ELEMENTS (config_keys); i++)
    if (strcmp (config_keys[i].group, group) == 0)
      return TRUE;

  return FALSE;
}

G_GNUC_PRINTF (7, 8)
static void
set_key_error (GError     **error,
               PdConfigError code,
               const char  *path,
               int          line,
               const char  *group,
               const char  *key,
               const char  *format,
               ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (line > 0)
    g_set_error (error, PD_CONFIG_ERROR, code, "%s:%d: [%s] %s: %s", path, line, group, key,
                 message);
  else
    g_set_error (error, PD_CONFIG_ERROR, code, "%s: [%s] %s: %s", path, group, key, message);
}

/* GKeyFile keeps no line numbers; this pass finds them, and refuses what GKeyFile would
 * silently accept: unknown keys, duplicates, keys outside a group. */
static gboolean
scan_lines (const char  *path,
            const char  *contents,
            GHashTable  *key_lines,
            GError     **error)
{
  g_auto(GStrv) lines = g_strsplit (contents, "\n", -1);
  g_autofree char *group = NULL;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      int line_number = (int) i + 1;
      g_autofree char *line = g_strstrip (g_strdup (lines[i]));
      g_autofree char *key = NULL;
      const char *equals;

      if (*line == '\0' || *line == '#')
        continue;

      if (*line == '[')
        {
          gsize len = strlen (line);

          if (line[len - 1] != ']')
            {
              g_set_error (error, PD_CONFIG_ERROR, PD_CONFIG_ERROR_SYNTAX,
                           _("%s:%d: a group header must end with “]”."), path, line_number);
              return FALSE;
            }

          g_free (group);
          group = g_strndup (line + 1, len - 2);
          if (!is_known_group (group))
            {
              g_set_error (error, PD_CONFIG_ERROR, PD_CONFIG_ERROR_UNKNOWN_KEY,
                           _("%s:%d: unknown group [%s]."), path, line_number, group);
              return FALSE;
            }
          continue;
        }

      equals = strchr (line, '=');
      if (equals == NULL)
        {
          g_set_error (error, PD_CONFIG_ERROR, PD_CONFIG_ERROR_SYNTAX,
                       _("%s:%d: expected “key = value”, a [group] or a # comment."),
                       path, line_number);
          return FALSE;
        }

      key = g_strstrip (g_strndup (line, equals - line));
      if (group == NULL)
        {
          g_set_error (error, PD_CONFIG_ERROR, PD_CONFIG_ERROR_SYNTAX,
                       _("%s:%d: key “%s” comes before any [group]."), path, line_number, key);
          return FALSE;
        }

      if (find_key (group, key) == NULL)
        {
          set_key_error (error, PD_CONFIG_ERROR_UNKNOWN_KEY, path, line_number, group, key,
                         _("unknown key."));
          return FALSE;
        }

      if (g_hash_table_contains (key_lines, find_key (group, key)))
        {
          set_key_error (error, PD_CONFIG_ERROR_DUPLICATE_KEY, path, line_number, group, key,
                         _("set a second time (first on line %d)."),
                         GPOINTER_TO_INT (g_hash_table_lookup (key_lines, find_key (group, key))));
          return FALSE;
        }

      g_hash_table_insert (key_lines, (gpointer) find_key (group, key),
                           GINT_TO_POINTER (line_number));
    }

  return TRUE;
}

static gboolean
parse_unsigned (const char *text,
                guint       min,
                guint       max,
                guint      *value)
{
  guint64 parsed;

  if (!g_ascii_string_to_unsigned (text, 10, min, max, &parsed, NULL))
    return FALSE;

  *value = (guint) parsed;
  return TRUE;
}

static gboolean
is_identifier (const char *text)
{
  gsize len = strlen (text);

  if (len == 0 || len > MAX_IDENTIFIER_LENGTH)
    return FALSE;

  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;

  return TRUE;
}

static gboolean
is_device_selection (const char *text)
{
  guint vendor, product;
  int consumed = 0;

  if (g_str_equal (text, "auto") || g_str_equal (text, "training") || g_str_equal (text, "none"))
    return TRUE;

  return sscanf (text, "usb:%4x:%4x%n", &vendor, &product, &consumed) == 2 &&
         consumed == (int) strlen (text) && strlen (text) == 13;
}

static gboolean
parse_time_of_day (const char *text,
                   int        *minutes)
{
  guint hours, mins;

  if (strlen (text) != 5 || text[2] != ':' ||
      !g_ascii_isdigit (text[0]) || !g_ascii_isdigit (text[1]) ||
      !g_ascii_isdigit (text[3]) || !g_ascii_isdigit (text[4]))
    return FALSE;

  hours = (guint) ((text[0] - '0') * 10 + (text[1] - '0'));
  mins = (guint) ((text[3] - '0') * 10 + (text[4] - '0'));
  if (hours > 23 || mins > 59)
    return FALSE;

  *minutes = (int) (hours * 60 + mins);
  return TRUE;
}

static GStrv
split_list (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, ";", -1);
  GStrvBuilder *builder = g_strv_builder_new ();
  GStrv list;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (*parts[i] != '\0')
        g_strv_builder_add (builder, parts[i]);
    }

  list = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return list;
}

/* What is wrong with one [card] accepted-aids entry, or NULL. */
static char *
check_aid (const char *aid)
{
  guint8 bytes[MAX_AID_BYTES];
  gsize length;

  if (!pd_hex_decode (aid, bytes, sizeof bytes, &length) || length < MIN_AID_BYTES)
    return g_strdup_printf (_("“%s” is not an application identifier (AID): it must be %d to "
                              "%d hexadecimal digits."), aid, 2 * MIN_AID_BYTES,
                            2 * MAX_AID_BYTES);

  for (gsize i = 0; i < G_N_ELEMENTS (kernel_rids); i++)
    if (g_ascii_strncasecmp (aid, kernel_rids[i], RID_HEX_LENGTH) == 0)
      return NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (refused_rids); i++)
    if (g_ascii_strncasecmp (aid, refused_rids[i].rid, RID_HEX_LENGTH) == 0)
      /* TRANSLATORS: the second %s is a card scheme, e.g. "American Express". */
      return g_strdup_printf (_("“%s”: %s is not accepted by Paydesk (only Visa, Mastercard "
                                "and Discover are)."), aid, refused_rids[i].name);

  return g_strdup_printf (_("“%s” is not a Visa, Mastercard or Discover application, the only "
                            "ones Paydesk accepts."), aid);
}

static gboolean
is_numeric_code (const char *text,
                 guint      *code)
{
  gsize length = strlen (text);

  if (length != 3 && length != 4)
    return FALSE;

  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;

  return parse_unsigned (text, 1, 999, code);
}

static gboolean
key_pins_are_valid (const char *value)
{
  g_auto(GStrv) pins = g_strsplit (value, ";", -1);

  if (pins[0] == NULL)
    return FALSE;

  for (guint i = 0; pins[i] != NULL; i++)
    {
      g_autofree guchar *digest = NULL;
      gsize length = 0;

      if (!g_str_has_prefix (pins[i], "sha256//") || strlen (pins[i]) != strlen ("sha256//") + 44)
        return FALSE;
      digest = g_base64_decode (pins[i] + strlen ("sha256//"), &length);
      if (length != 32)
        return FALSE;
    }

  return TRUE;
}

static gboolean
apply_value (PdConfig         *self,
             const ConfigKey  *config_key,
             const char       *value,
             const char       *path,
             int               line,
             GError          **error)
{
  gpointer field = G_STRUCT_MEMBER_P (self, config_key->offset);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *config_dir = NULL;
  g_auto(GStrv) list = NULL;
  gboolean boolean_value;
  PdCents cents;
  guint number;
  int minutes;
  guint8 bytes[MAX_AID_BYTES];
  gsize length;

#define INVALID(...) G_STMT_START { \
    set_key_error (error, PD_CONFIG_ERROR_INVALID_VALUE, path, line, \
                   config_key->group, config_key->key, __VA_ARGS__); \
    return FALSE; \
  } G_STMT_END

  switch (config_key->kind)
    {
    case VALUE_TEXT:
      if (*value == '\0')
        INVALID (_("must not be empty."));
      g_free (*(char **) field);
      *(char **) field = g_strdup (value);
      break;

    case VALUE_IDENTIFIER:
      if (!is_identifier (value))
        INVALID (_("“%s” must be 1 to %d letters, digits, “-” or “_”."), value,
                 MAX_IDENTIFIER_LENGTH);
      g_free (*(char **) field);
      *(char **) field = g_strdup (value);
      break;

    case VALUE_BOOLEAN:
      if (g_str_equal (value, "true"))
        boolean_value = TRUE;
      else if (g_str_equal (value, "false"))
        boolean_value = FALSE;
      else
        INVALID (_("“%s” must be true or false."), value);
      *(gboolean *) field = boolean_value;
      break;

    case VALUE_MODE:
      if (g_str_equal (value, "kiosk"))
        *(PdTerminalMode *) field = PD_TERMINAL_MODE_KIOSK;
      else if (g_str_equal (value, "counter"))
        *(PdTerminalMode *) field = PD_TERMINAL_MODE_COUNTER;
      else
        INVALID (_("“%s” must be kiosk or counter."), value);
      break;

    case VALUE_URL:
      if (!g_uri_is_valid (value, G_URI_FLAGS_NONE, &local_error))
        INVALID (_("“%s” is not a URL (%s)."), value, local_error->message);
      g_free (*(char **) field);
      *(char **) field = g_strdup (value);
      break;

    case VALUE_PATH:
      if (*value == '\0')
        INVALID (_("must not be empty."));
      config_dir = g_path_get_dirname (path);
      g_free (*(char **) field);
      *(char **) field = g_path_is_absolute (value) ? g_strdup (value)
                                                   : g_build_filename (config_dir, value, NULL);
      break;

    case VALUE_SECONDS:
      if (!parse_unsigned (value, 1, MAX_SECONDS, &number))
        INVALID (_("“%s” must be a whole number of seconds from 1 to %d."), value, MAX_SECONDS);
      *(guint *) field = number;
      break;

    case VALUE_HOURS:
      if (!parse_unsigned (value, 1, MAX_HOURS, &number))
        INVALID (_("“%s” must be a whole number of hours from 1 to %d."), value, MAX_HOURS);
      *(guint *) field = number;
      break;

    case VALUE_MONEY:
      if (!pd_money_parse (value, &cents, &local_error))
        INVALID ("%s", local_error->message);
      if (cents <= 0)
        INVALID (_("must be more than zero."));
      *(PdCents *) field = cents;
      break;

    case VALUE_LIST:
      list = split_list (value);
      if (list[0] == NULL)
        INVALID (_("needs at least one entry."));
      g_strfreev (*(GStrv *) field);
      *(GStrv *) field = g_steal_pointer (&list);
      break;

    case VALUE_DEVICE:
      if (!is_device_selection (value))
        INVALID (_("“%s” must be auto, training, none or usb:VVVV:PPPP."), value);
      g_free (*(char **) field);
      *(char **) field = g_strdup (value);
      break;

    case VALUE_LANGUAGES:
      list = split_list (value);
      if (list[0] == NULL)
        INVALID (_("needs at least one language."));
      for (guint i = 0; list[i] != NULL; i++)
        if (pd_language_lookup (list[i]) == NULL)
          INVALID (_("“%s” is not a language Paydesk offers."), list[i]);
      g_strfreev (*(GStrv *) field);
      *(GStrv *) field = g_steal_pointer (&list);
      break;

    case VALUE_LANGUAGE:
      if (pd_language_lookup (value) == NULL)
        INVALID (_("“%s” is not a language Paydesk offers."), value);
      g_free (*(char **) field);
      *(char **) field = g_strdup (value);
      break;

    case VALUE_PUBLIC_KEY:
      if (!pd_seal_public_key_is_valid (value))
        INVALID (_("must be the payment core's 32-byte public key in base64."));
      g_free (*(char **) field);
      *(char **) field = g_strdup (value);
      break;

    case VALUE_KEY_PINS:
      if (!key_pins_are_valid (value))
        INVALID (_("“%s” must be one or more sha256//BASE64 pins (the SHA-256 of the core's "
                   "public key, in base64), separated by “;”."), value);
      g_free (*(char **) field);
      *(char **) field = g_strdup (value);
      break;

    case VALUE_TIME_OF_DAY:
      if (!parse_time_of_day (value, &minutes))
        INVALID (_("“%s” must be a time of day as HH:MM, like 19:30."), value);
      *(int *) field = minutes;
      break;

    case VALUE_HEX:
      g_assert (config_key->size <= sizeof bytes);
      if (!pd_hex_decode (value, bytes, config_key->size, &length) || length != config_key->size)
        INVALID (_("“%s” must be %u hexadecimal digits."), value, (guint) config_key->size * 2);
      memcpy (field, bytes, config_key->size);
      break;

    case VALUE_AIDS:
      list = split_list (value);
      if (list[0] == NULL)
        INVALID (_("needs at least one application identifier (AID)."));
      if (g_strv_length (list) > PD_CONFIG_MAX_ACCEPTED_AIDS)
        INVALID (_("lists more than %d applications."), PD_CONFIG_MAX_ACCEPTED_AIDS);
      for (guint i = 0; list[i] != NULL; i++)
        {
          g_autofree char *problem = check_aid (list[i]);

          if (problem != NULL)
            INVALID ("%s", problem);
          for (char *p = list[i]; *p != '\0'; p++)
            *p = g_ascii_toupper (*p);
          for (guint j = 0; j < i; j++)
            if (g_str_equal (list[j], list[i]))
              INVALID (_("“%s” is listed twice."), list[i]);
        }
      g_strfreev (*(GStrv *) field);
      *(GStrv *) field = g_steal_pointer (&list);
      break;

    case VALUE_NUMERIC_CODE:
      if (!is_numeric_code (value, &number))
        INVALID (_("“%s” must be a 3-digit ISO numeric code, like 840."), value);
      *(guint *) field = number;
      break;

    default:
      g_assert_not_reached ();
    }

#undef INVALID

  return TRUE;
}

/* An address of this machine, read as an IP literal: "127.attacker.example" is a name,
 * and names other than localhost could point anywhere. */
static gboolean
is_loopback_host (const char *host)
{
  g_autofree char *literal = NULL;
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  literal = host[0] == '[' && g_str_has_suffix (host, "]")
            ? g_strndup (host + 1, strlen (host) - 2) : g_strdup (host);
  address = g_inet_address_new_from_string (literal);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

static gboolean
check_core_url (const char  *url,
                gboolean     training,
                const char  *where,
                int          line,
                GError     **error)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  const char *scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  const char *host = uri != NULL ? g_uri_get_host (uri) : NULL;

  if (uri == NULL || host == NULL || *host == '\0')
    {
      set_key_error (error, PD_CONFIG_ERROR_INVALID_VALUE, where, line, "core", "url",
                     _("“%s” is not a URL with a host."), url);
      return FALSE;
    }

  /* Training is unmistakable both ways: a training terminal reaches only the training core
   * on this machine, and a production terminal never does. */
  if (training && !is_loopback_host (host))
    {
      set_key_error (error, PD_CONFIG_ERROR_INVALID_VALUE, where, line, "core", "url",
                     _("“%s” is not on this machine: a training terminal only reaches a "
                       "training core at localhost, 127.0.0.1 or ::1."), url);
      return FALSE;
    }
  if (!training && is_loopback_host (host))
    {
      set_key_error (error, PD_CONFIG_ERROR_INVALID_VALUE, where, line, "core", "url",
                     _("“%s” is on this machine, where only a training core runs: a production "
                       "terminal reaches its payment core over the network."), url);
      return FALSE;
    }

  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;

  /* Card and bank data only cross a network encrypted; plain HTTP is for the training core
   * on this machine. */
  if (g_ascii_strcasecmp (scheme, "http") == 0 && training)
    return TRUE;

  set_key_error (error, PD_CONFIG_ERROR_INVALID_VALUE, where, line, "core", "url",
                 training ? _("“%s” must use https:// (http:// is allowed only to this machine).")
                          : _("“%s” must use https:// on a production terminal."),
                 url);
  return FALSE;
}

/* Receipts leave by mail encrypted: smtps:// (TLS from the start) or smtp:// (STARTTLS,
 * required). A password goes with a user name, and only over those. */
static gboolean
check_email (PdConfig     *self,
             const char   *path,
             GHashTable   *key_lines,
             GError      **error)
{
#define LINE_OF(key) GPOINTER_TO_INT (g_hash_table_lookup (key_lines, find_key ("email", key)))
  g_autoptr(GError) local_error = NULL;
  g_autofree char *from = NULL;

  if (self->email_server != NULL)
    {
      g_autoptr(GUri) uri = g_uri_parse (self->email_server, G_URI_FLAGS_NONE, NULL);
      const char *scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
      const char *host = uri != NULL ? g_uri_get_host (uri) : NULL;

      if (scheme == NULL || host == NULL || *host == '\0' ||
          (g_ascii_strcasecmp (scheme, "smtp") != 0 && g_ascii_strcasecmp (scheme, "smtps") != 0))
        {
          set_key_error (error, PD_CONFIG_ERROR_INVALID_VALUE, path, LINE_OF ("server"),
                         "email", "server",
                         _("“%s” must be smtps://HOST[:PORT] or smtp://HOST[:PORT] (with STARTTLS)."),
                         self->email_server);
          return FALSE;
        }
    }

  if (!self->training && self->email_server != NULL && LINE_OF ("from") == 0)
    {
      set_key_error (error, PD_CONFIG_ERROR_MISSING_KEY, path, 0, "email", "from",
                     _("is required with a mail server: the address receipts come from."));
      return FALSE;
    }

  if ((self->email_username == NULL) != (self->email_password_file == NULL))
    {
      set_key_error (error, PD_CONFIG_ERROR_MISSING_KEY, path, 0, "email",
                     self->email_username == NULL ? "username" : "password-file",
                     _("username and password-file go together."));
      return FALSE;
    }

  from = pd_email_address_normalize (self->email_from, &local_error);
  if (from == NULL)
    {
      set_key_error (error, PD_CONFIG_ERROR_INVALID_VALUE, path, LINE_OF ("from"), "email",
                     "from", "%s", local_error->message);
      return FALSE;
    }
  pd_replace_string (&self->email_from, from);

  return TRUE;
#undef LINE_OF
}

/* The built-in defaults are a training terminal's. A production file that leaves a key out
 * means the real thing: any card reader, printers and scanners found on USB. */
static void
apply_production_defaults (PdConfig   *self,
                           GHashTable *key_lines)
{
  if (self->training)
    return;

  if (!g_hash_table_contains (key_lines, find_key ("devices", "card-readers")))
    g_clear_pointer (&self->card_readers, g_strfreev);
  if (!g_hash_table_contains (key_lines, find_key ("devices", "printer")))
    pd_replace_string (&self->printer, "auto");
  if (!g_hash_table_contains (key_lines, find_key ("devices", "check-scanner")))
    pd_replace_string (&self->check_scanner, "auto");
  if (!g_hash_table_contains (key_lines, find_key ("devices", "barcode-scanner")))
    pd_replace_string (&self->barcode_scanner, "auto");
  if (!g_hash_table_contains (key_lines, find_key ("terminal", "center-name")))
    g_clear_pointer (&self->center_name, g_free);
  if (!g_hash_table_contains (key_lines, find_key ("receipt", "center-address")))
    g_clear_pointer (&self->center_address, g_strfreev);
  if (!g_hash_table_contains (key_lines, find_key ("receipt", "center-phone")))
    g_clear_pointer (&self->center_phone, g_free);
  if (!g_hash_table_contains (key_lines, find_key ("receipt", "center-hours")))
    g_clear_pointer (&self->center_hours, g_free);
  if (!g_hash_table_contains (key_lines, find_key ("receipt", "member-services-phone")))
    g_clear_pointer (&self->member_services_phone, g_free);
}

/* Counter mode changes the card defaults: an attended terminal, where an associate can check
 * a signature. */
static void
apply_mode_defaults (PdConfig   *self,
                     GHashTable *key_lines)
{
  if (self->mode != PD_TERMINAL_MODE_COUNTER)
    return;

  if (!g_hash_table_contains (key_lines, find_key ("card", "terminal-type")))
    self->terminal_type[0] = 0x21;
  if (!g_hash_table_contains (key_lines, find_key ("card", "terminal-capabilities")))
    self->terminal_capabilities[1] |= CAPABILITY_SIGNATURE;
}

static gboolean
check_card (PdConfig     *self,
            const char   *path,
            GHashTable   *key_lines,
            GError      **error)
{
#define CARD_LINE(key) GPOINTER_TO_INT (g_hash_table_lookup (key_lines, find_key ("card", key)))

  guint8 type = self->terminal_type[0];
  guint8 operated_by = type >> 4;
  guint8 environment = type & 0x0f;
  gboolean counter = self->mode == PD_TERMINAL_MODE_COUNTER;
  const guint8 *capabilities = self->terminal_capabilities;
  g_autofree char *capabilities_hex = g_strdup_printf ("%02X%02X%02X", capabilities[0],
                                                       capabilities[1], capabilities[2]);

  if (operated_by < 1 || operated_by > 3 || environment < 1 || environment > 6)
    {
      set_key_error (error, PD_CONFIG_ERROR_INVALID_VALUE, path, CARD_LINE ("terminal-type"),
                     "card", "terminal-type",
                     _("%02X is not an EMV terminal type: the first digit is 1, 2 or 3 (who "
                       "operates it), the second 1 to 6 (attended or not, online or offline)."),
                     type);
      return FALSE;
    }

  if ((environment <= 3) != counter)
    {
      set_key_error (error, PD_CONFIG_ERROR_INVALID_VALUE, path, CARD_LINE ("terminal-type"),
                     "card", "terminal-type",
                     counter ? _("%02X is an unattended terminal type, but a counter terminal "
                                 "is attended (21, 22 or 23).")
                             : _("%02X is an attended terminal type, but a kiosk is "
                                 "unattended (24, 25 or 26)."),
                     type);
      return FALSE;
    }

  if (capabilities[1] & (CAPABILITY_PLAINTEXT_PIN | CAPABILITY_ONLINE_PIN |
                         CAPABILITY_OFFLINE_PIN))
    {
      set_key_error (error, PD_CONFIG_ERROR_INVALID_VALUE, path,
                     CARD_LINE ("terminal-capabilities"), "card", "terminal-capabilities",
                     _("%s claims PIN entry (byte 2: 80, 40 or 10). A PIN is never entered "
                       "on the touchscreen: it needs a secure PIN pad reader, which Paydesk "
                       "does not support yet."),
                     capabilities_hex);
      return FALSE;
    }

  if (!counter && (capabilities[1] & CAPABILITY_SIGNATURE))
    {
      set_key_error (error, PD_CONFIG_ERROR_INVALID_VALUE, path,
                     CARD_LINE ("terminal-capabilities"), "card", "terminal-capabilities",
                     _("%s claims signature (byte 2: 20), but nobody checks a signature at a "
                       "kiosk (only mode = counter can)."),
                     capabilities_hex);
      return FALSE;
    }

#undef CARD_LINE

  return TRUE;
}

/* Training is unmistakable at the card reader too: a training terminal plays training cards
 * (vpcd's "Virtual PCD" readers), whose data it seals to the training core's public key, and
 * a production terminal never reads a virtual card. */
static gboolean
device_is_real (const char *setting)
{
  return g_str_equal (setting, "auto") || g_str_has_prefix (setting, "usb:");
}

/* umockdev's preload library puts a recorded USB bus (a testbed) in place of the machine's:
 * with it loaded and a testbed named, no real device can be reached, which is how the tests
 * drive the USB drivers of a training terminal. */
static gboolean
usb_bus_is_recorded (void)
{
  const char *testbed = g_getenv ("UMOCKDEV_DIR");
  const char *preload = g_getenv ("LD_PRELOAD");

  return testbed != NULL && *testbed != '\0' && preload != NULL &&
         strstr (preload, "libumockdev-preload") != NULL;
}

static gboolean
check_devices (PdConfig     *self,
               const char   *path,
               GHashTable   *key_lines,
               GError      **error)
{
#define DEVICES_LINE(key) \
  GPOINTER_TO_INT (g_hash_table_lookup (key_lines, find_key ("devices", key)))
  const char * const *readers = (const char * const *) self->card_readers;

  /* A training terminal without reader names would take any reader, real ones too. */
  if (self->training && (readers == NULL || readers[0] == NULL))
    {
      set_key_error (error, PD_CONFIG_ERROR_INVALID_VALUE, path, DEVICES_LINE ("card-readers"),
                     "devices", "card-readers",
                     _("a training terminal plays training cards in the virtual readers only: "
                       "name them (Virtual PCD)."));
      return FALSE;
    }

  /* A real check scanner would read a member's real bank account into a training payment,
   * sealed with a key anyone has; a real printer would hand out paper that looks like a
   * receipt. */
  if (self->training && !usb_bus_is_recorded ())
    {
      const char *key = device_is_real (self->printer) ? "printer"
                        : device_is_real (self->check_scanner) ? "check-scanner"
                        : device_is_real (self->barcode_scanner) ? "barcode-scanner" : NULL;

      if (key != NULL)
        {
          set_key_error (error, PD_CONFIG_ERROR_INVALID_VALUE, path, DEVICES_LINE (key),
                         "devices", key,
                         _("a training terminal uses the training devices only (training or "
                           "none): real printers and check scanners are for production "
                           "terminals."));
          return FALSE;
        }
    }

  for (guint i = 0; readers != NULL && readers[i] != NULL; i++)
    {
      gboolean is_virtual = g_str_has_prefix (readers[i], "Virtual PCD") ||
                            g_str_has_prefix ("Virtual PCD", readers[i]);

      if (self->training != is_virtual)
        {
          set_key_error (error, PD_CONFIG_ERROR_INVALID_VALUE, path, DEVICES_LINE ("card-readers"),
                         "devices", "card-readers",
                         self->training
                         ? _("“%s” is a real card reader: a training terminal plays training "
                             "cards in the virtual readers (Virtual PCD).")
                         : _("“%s” is the virtual reader of training cards: a production "
                             "terminal reads real cards only."),
                         readers[i]);
          return FALSE;
        }
    }

#undef DEVICES_LINE
  return TRUE;
}

static gboolean
check_consistency (PdConfig     *self,
                   const char   *path,
                   GHashTable   *key_lines,
                   GError      **error)
{
#define LINE_OF(group, key) GPOINTER_TO_INT (g_hash_table_lookup (key_lines, find_key (group, key)))

  if (self->outbox_max_total < self->outbox_max_payment)
    {
      set_key_error (error, PD_CONFIG_ERROR_INVALID_VALUE, path, LINE_OF ("outbox", "max-total"),
                     "outbox", "max-total", _("must be at least [outbox] max-payment."));
      return FALSE;
    }

  if (!g_strv_contains ((const char * const *) self->languages, self->default_language))
    {
      set_key_error (error, PD_CONFIG_ERROR_INVALID_VALUE, path,
                     LINE_OF ("languages", "default"), "languages", "default",
                     _("“%s” is not in [languages] offered."), self->default_language);
      return FALSE;
    }

  if (!self->training)
    {
      for (gsize i = 0; i < G_N_ELEMENTS (required_in_production); i++)
        {
          g_auto(GStrv) parts = g_strsplit (required_in_production[i], "/", 2);

          if (LINE_OF (parts[0], parts[1]) == 0)
            {
              set_key_error (error, PD_CONFIG_ERROR_MISSING_KEY, path, 0, parts[0], parts[1],
                             _("is required when training is false."));
              return FALSE;
            }
        }

      if (self->core_token_file == NULL && self->core_client_certificate == NULL)
        {
          set_key_error (error, PD_CONFIG_ERROR_MISSING_KEY, path, 0, "core", "token-file",
                         _("a production terminal needs token-file or client-certificate to "
                           "sign in to the payment core."));
          return FALSE;
        }

      /* Its private half is in assets/, for the training core: whatever a terminal sealed
       * to it, anyone can open. */
      if (g_strcmp0 (self->core_public_key, TRAINING_CORE_PUBLIC_KEY) == 0)
        {
          set_key_error (error, PD_CONFIG_ERROR_INVALID_VALUE, path,
                         LINE_OF ("core", "public-key"), "core", "public-key",
                         _("is the training core's public key, whose private half ships with "
                           "Paydesk: anyone could open the card and bank details this terminal "
                           "seals. Put your payment core's own public key here."));
          return FALSE;
        }

      if ((self->core_client_certificate == NULL) != (self->core_client_key == NULL))
        {
          set_key_error (error, PD_CONFIG_ERROR_MISSING_KEY, path, 0, "core", "client-key",
                         _("client-certificate and client-key go together."));
          return FALSE;
        }

      if (g_str_equal (self->printer, "training") || g_str_equal (self->check_scanner, "training") ||
          g_str_equal (self->barcode_scanner, "training"))
        {
          const char *key = g_str_equal (self->printer, "training") ? "printer"
                            : g_str_equal (self->check_scanner, "training") ? "check-scanner"
                            : "barcode-scanner";

          set_key_error (error, PD_CONFIG_ERROR_INVALID_VALUE, path, LINE_OF ("devices", key),
                         "devices", key,
                         _("training devices are only for training terminals."));
          return FALSE;
        }
    }

  if (!check_core_url (self->core_url, self->training, path, LINE_OF ("core", "url"), error))
    return FALSE;

  if (!check_devices (self, path, key_lines, error))
    return FALSE;

  if (!check_card (self, path, key_lines, error))
    return FALSE;

  if (!check_email (self, path, key_lines, error))
    return FALSE;

#undef LINE_OF

  return TRUE;
}

PdConfig *
pd_config_load_file (const char  *path,
                     GError     **error)
{
  g_autoptr(PdConfig) self = NULL;
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GHashTable) key_lines = g_hash_table_new (NULL, NULL);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, PD_CONFIG_ERROR, PD_CONFIG_ERROR_READ,
                   _("Cannot read the configuration: %s"), local_error->message);
      return NULL;
    }

  if (!g_utf8_validate (contents, (gssize) length, NULL))
    {
      g_set_error (error, PD_CONFIG_ERROR, PD_CONFIG_ERROR_SYNTAX,
                   _("%s: the file is not UTF-8 text."), path);
      return NULL;
    }

  if (!scan_lines (path, contents, key_lines, error))
    return NULL;

  if (!g_key_file_load_from_data (key_file, contents, length, G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, PD_CONFIG_ERROR, PD_CONFIG_ERROR_SYNTAX, "%s: %s", path,
                   local_error->message);
      return NULL;
    }

  self = pd_config_new_training ();
  self->source = g_strdup (path);

  for (gsize i = 0; i < G_N_ELEMENTS (config_keys); i++)
    {
      const ConfigKey *config_key = &config_keys[i];
      int line = GPOINTER_TO_INT (g_hash_table_lookup (key_lines, config_key));
      g_autofree char *value = NULL;

      if (line == 0)
        continue;

      value = g_key_file_get_string (key_file, config_key->group, config_key->key, &local_error);
      if (value == NULL)
        {
          set_key_error (error, PD_CONFIG_ERROR_INVALID_VALUE, path, line, config_key->group,
                         config_key->key, "%s", local_error->message);
          return NULL;
        }

      g_strstrip (value);
      if (!apply_value (self, config_key, value, path, line, error))
        return NULL;
    }

  apply_production_defaults (self, key_lines);
  apply_mode_defaults (self, key_lines);
  if (!check_consistency (self, path, key_lines, error))
    return NULL;

  return g_steal_pointer (&self);
}

/* The command line wins, then $PAYDESK_CONFIG, then the system file; with none of them,
 * the terminal runs in training. */
PdConfig *
pd_config_load (const char  *explicit_path,
                GError     **error)
{
  const char *from_environment = g_getenv (PD_CONFIG_ENV);

  if (explicit_path != NULL)
    return pd_config_load_file (explicit_path, error);

  if (from_environment != NULL && *from_environment != '\0')
    return pd_config_load_file (from_environment, error);

  if (g_file_test (PD_CONFIG_SYSTEM_PATH, G_FILE_TEST_EXISTS))
    return pd_config_load_file (PD_CONFIG_SYSTEM_PATH, error);

  /* Said in the log (and by the training banner on screen): a production terminal whose file
   * went missing must not pass for one that is set up. */
  g_message (_("No configuration file at %s (nor --config or PAYDESK_CONFIG): this is a "
               "training terminal, and it takes no real payments."), PD_CONFIG_SYSTEM_PATH);
  return pd_config_new_training ();
}

gboolean
pd_config_override_core_url (PdConfig    *self,
                             const char  *url,
                             GError     **error)
{
  g_return_val_if_fail (PD_IS_CONFIG (self), FALSE);
  g_return_val_if_fail (url != NULL, FALSE);

  if (!check_core_url (url, self->training, "--core-url", 0, error))
    return FALSE;

  g_free (self->core_url);
  self->core_url = g_strdup (url);
  return TRUE;
}

void
pd_config_override_data_dir (PdConfig   *self,
                             const char *data_dir)
{
  char *canonical;

  g_return_if_fail (PD_IS_CONFIG (self));
  g_return_if_fail (data_dir != NULL);

  /* Made before the old one goes: data_dir may be what pd_config_get_data_dir() returned. */
  canonical = g_canonicalize_filename (data_dir, NULL);
  g_free (self->data_dir);
  self->data_dir = canonical;
}

char *
pd_config_dup_journal_path (PdConfig *self)
{
  g_return_val_if_fail (PD_IS_CONFIG (self), NULL);

  return g_build_filename (self->data_dir, "journal.sqlite3", NULL);
}

const char *
pd_terminal_mode_to_id (PdTerminalMode mode)
{
  return mode == PD_TERMINAL_MODE_COUNTER ? "counter" : "kiosk";
}

#define GETTER(type, name, field, fallback)                \
  type                                                     \
  pd_config_get_##name (PdConfig *self)                    \
  {                                                        \
    g_return_val_if_fail (PD_IS_CONFIG (self), fallback);  \
    return (type) self->field;                             \
  }

GETTER (const char *, source, source, NULL)
GETTER (gboolean, training, training, TRUE)
GETTER (PdTerminalMode, mode, mode, PD_TERMINAL_MODE_KIOSK)
GETTER (const char *, center_id, center_id, NULL)
GETTER (const char *, center_name, center_name, NULL)
GETTER (const char * const *, center_address, center_address, NULL)
GETTER (const char *, center_phone, center_phone, NULL)
GETTER (const char *, center_hours, center_hours, NULL)
GETTER (const char *, member_services_phone, member_services_phone, NULL)
GETTER (const char *, terminal_id, terminal_id, NULL)
GETTER (const char *, core_url, core_url, NULL)
GETTER (const char *, core_token_file, core_token_file, NULL)
GETTER (const char *, core_client_certificate, core_client_certificate, NULL)
GETTER (const char *, core_client_key, core_client_key, NULL)
GETTER (const char *, core_ca_file, core_ca_file, NULL)
GETTER (const char *, core_pinned_keys, core_pinned_keys, NULL)
GETTER (const char *, core_public_key, core_public_key, NULL)
GETTER (guint, core_timeout_seconds, core_timeout_seconds, 0)
GETTER (guint, core_connect_timeout_seconds, core_connect_timeout_seconds, 0)
GETTER (const char *, email_server, email_server, NULL)
GETTER (const char *, email_username, email_username, NULL)
GETTER (const char *, email_password_file, email_password_file, NULL)
GETTER (const char *, email_from, email_from, NULL)
GETTER (const char *, email_from_name, email_from_name, NULL)
GETTER (const char *, email_ca_file, email_ca_file, NULL)
GETTER (guint, email_timeout_seconds, email_timeout_seconds, 0)
GETTER (guint, email_give_up_hours, email_give_up_hours, 0)
GETTER (const char * const *, card_readers, card_readers, NULL)
GETTER (const char *, printer, printer, NULL)
GETTER (const char *, check_scanner, check_scanner, NULL)
GETTER (const char *, barcode_scanner, barcode_scanner, NULL)
GETTER (guint, idle_seconds, idle_seconds, 0)
GETTER (guint, card_seconds, card_seconds, 0)
GETTER (guint, counter_lock_seconds, counter_lock_seconds, 0)
GETTER (guint, lockout_seconds, lockout_seconds, 0)
GETTER (PdCents, outbox_max_payment, outbox_max_payment, 0)
GETTER (PdCents, max_payment, max_payment, 0)
GETTER (gboolean, allow_overpayment, allow_overpayment, FALSE)
GETTER (PdCents, outbox_max_total, outbox_max_total, 0)
GETTER (guint, outbox_max_age_hours, outbox_max_age_hours, 0)
GETTER (const char * const *, languages, languages, NULL)
GETTER (const char *, default_language, default_language, NULL)
GETTER (const char *, data_dir, data_dir, NULL)
GETTER (int, business_day_cutoff, business_day_cutoff, 0)
GETTER (const char * const *, accepted_aids, accepted_aids, NULL)
GETTER (PdCents, contactless_limit, contactless_limit, 0)
GETTER (gboolean, prefer_common_debit, prefer_common_debit, FALSE)
GETTER (guint8, terminal_type, terminal_type[0], 0)
GETTER (const guint8 *, terminal_capabilities, terminal_capabilities, NULL)
GETTER (const guint8 *, additional_capabilities, additional_capabilities, NULL)
GETTER (const guint8 *, tac_denial, tac_denial, NULL)
GETTER (const guint8 *, tac_online, tac_online, NULL)
GETTER (const guint8 *, tac_default, tac_default, NULL)
GETTER (guint, country_code, country_code, 0)
GETTER (guint, currency_code, currency_code, 0)

#undef GETTER
