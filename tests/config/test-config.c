#include <string.h>

#include "pd-config.h"
#include "pd-test-common.h"

typedef struct {
  PdTestDir tmp;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  pd_test_dir_set_up (&fixture->tmp, data);
  fixture->path = g_build_filename (fixture->tmp.dir, "paydesk.conf", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_free (fixture->path);
  pd_test_dir_tear_down (&fixture->tmp, data);
}

static PdConfig *
load (Fixture     *fixture,
      const char  *contents,
      GError     **error)
{
  pd_test_write_file (fixture->path, contents);
  return pd_config_load_file (fixture->path, error);
}

static void
test_training_default (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdConfig) config = pd_config_load (NULL, &error);

  g_assert_no_error (error);
  g_assert_null (pd_config_get_source (config));
  g_assert_true (pd_config_get_training (config));
  g_assert_cmpint (pd_config_get_mode (config), ==, PD_TERMINAL_MODE_KIOSK);
  g_assert_cmpstr (pd_config_get_core_url (config), ==, "http://127.0.0.1:8765");
  g_assert_cmpstr (pd_config_get_printer (config), ==, "training");
  g_assert_cmpstr (pd_config_get_default_language (config), ==, "en");
  g_assert_cmpuint (g_strv_length ((GStrv) pd_config_get_languages (config)), ==, 13);
  g_assert_true (g_strv_contains (pd_config_get_languages (config), "yi"));
}

static void
test_environment_variable (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdConfig) config = NULL;

  pd_test_write_file (fixture->path, "[terminal]\nmode = counter\n");
  g_setenv (PD_CONFIG_ENV, fixture->path, TRUE);
  config = pd_config_load (NULL, &error);
  g_setenv (PD_CONFIG_ENV, "", TRUE);

  g_assert_no_error (error);
  g_assert_cmpstr (pd_config_get_source (config), ==, fixture->path);
  g_assert_cmpint (pd_config_get_mode (config), ==, PD_TERMINAL_MODE_COUNTER);
  g_assert_true (pd_config_get_training (config));
}

/* The sample as shipped does not validate: the core's key is a placeholder, and the
 * training core's key (whose private half ships with Paydesk) is refused in its place. With
 * a core's real key it is a valid production terminal. */
static void
test_sample_needs_the_cores_key (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdConfig) as_shipped = pd_config_load_file (g_getenv ("PAYDESK_SAMPLE_CONFIG"),
                                                        &error);
  g_autoptr(PdConfig) config = NULL;
  g_autofree char *with_key = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *training_key = NULL;
  g_autofree char *training_path = g_build_filename (fixture->tmp.dir, "training-key.conf",
                                                     NULL);
  g_auto(GStrv) lines = NULL;

  g_assert_null (as_shipped);
  g_assert_error (error, PD_CONFIG_ERROR, PD_CONFIG_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "[core] public-key"));
  g_clear_error (&error);

  /* The training core's key in its place: refused, and said why. */
  g_assert_true (g_file_get_contents (g_getenv ("PAYDESK_SAMPLE_CONFIG"), &contents, NULL, NULL));
  lines = g_strsplit (contents, "public-key = REPLACE-WITH-YOUR-PAYMENT-CORES-PUBLIC-KEY", 2);
  training_key = g_strjoinv ("public-key = 2au+SCVzty4o70hVh41T9kY7pXPHWomnPxm9nauLvCw=", lines);
  pd_test_write_file (training_path, training_key);
  g_assert_null (pd_config_load_file (training_path, &error));
  g_assert_error (error, PD_CONFIG_ERROR, PD_CONFIG_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "training core's public key"));
  g_clear_error (&error);

  with_key = pd_test_sample_config_with_key (fixture->tmp.dir);
  config = pd_config_load_file (with_key, &error);
  g_assert_no_error (error);
  g_assert_false (pd_config_get_training (config));
  g_assert_cmpstr (pd_config_get_center_id (config), ==, "NYC-0042");
  g_assert_cmpstr (pd_config_get_terminal_id (config), ==, "K-07");
  g_assert_cmpstr (pd_config_get_core_url (config), ==, "https://payments.example.org");
  g_assert_cmpstr (pd_config_get_core_token_file (config), ==, "/etc/paydesk/core-token");
  g_assert_cmpuint (pd_config_get_core_timeout_seconds (config), ==, 15);
  g_assert_cmpuint (pd_config_get_core_connect_timeout_seconds (config), ==, 5);
  g_assert_cmpstr (pd_config_get_card_readers (config)[1], ==, "ACS ACR1252");
  g_assert_cmpint (pd_config_get_outbox_max_payment (config), ==, 250000);
  g_assert_cmpint (pd_config_get_outbox_max_total (config), ==, 1000000);
  g_assert_cmpuint (pd_config_get_outbox_max_age_hours (config), ==, 24);
  g_assert_cmpint (pd_config_get_business_day_cutoff (config), ==, 19 * 60);
  g_assert_cmpstr (pd_config_get_data_dir (config), ==, "/var/lib/paydesk");
  g_assert_cmpuint (g_strv_length ((GStrv) pd_config_get_accepted_aids (config)), ==, 6);
  g_assert_cmpint (pd_config_get_contactless_limit (config), ==, 25000);
  g_assert_false (pd_config_get_allow_overpayment (config));
}

/* Paying more than is owed is the configuration's choice, false unless it says so. */
static void
test_overpayment (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdConfig) allowed = load (fixture, "[terminal]\nallow-overpayment = true\n",
                                      &error);
  g_autoptr(PdConfig) unsure = NULL;

  g_assert_no_error (error);
  g_assert_true (pd_config_get_allow_overpayment (allowed));
  unsure = load (fixture, "[terminal]\nallow-overpayment = maybe\n", &error);
  g_assert_null (unsure);
  g_assert_error (error, PD_CONFIG_ERROR, PD_CONFIG_ERROR_INVALID_VALUE);
}

static void
test_production_defaults (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdConfig) config = load (fixture, "[terminal]\ntraining = false\ncenter-id = A\n"
                                              "terminal-id = B\n[core]\n"
                                              "url = https://core.example\ntoken-file = t\n"
                                              "public-key = BwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSY=\n",
                                     &error);

  g_assert_no_error (error);
  g_assert_false (pd_config_get_training (config));
  g_assert_cmpstr (pd_config_get_printer (config), ==, "auto");
  g_assert_cmpstr (pd_config_get_check_scanner (config), ==, "auto");
  g_assert_null (pd_config_get_card_readers (config));
  g_assert_null (pd_config_get_center_name (config));
}

static void
test_relative_paths (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdConfig) config = load (fixture, "[journal]\ndata-dir = state\n", &error);
  g_autofree char *expected = g_build_filename (fixture->tmp.dir, "state", NULL);
  g_autofree char *journal = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (pd_config_get_data_dir (config), ==, expected);
  journal = pd_config_dup_journal_path (config);
  g_assert_true (g_str_has_prefix (journal, expected));
}

static void
test_card_defaults (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(PdConfig) kiosk = pd_config_new_training ();
  g_autoptr(PdConfig) counter = NULL;
  g_autoptr(GError) error = NULL;
  const char * const *aids = pd_config_get_accepted_aids (kiosk);

  g_assert_cmpuint (g_strv_length ((GStrv) aids), ==, 6);
  g_assert_cmpstr (aids[0], ==, "A0000000031010");
  g_assert_cmpstr (aids[1], ==, "A0000000980840");
  g_assert_cmpstr (aids[5], ==, "A0000001524010");
  g_assert_cmpint (pd_config_get_contactless_limit (kiosk), ==, 25000);
  g_assert_false (pd_config_get_prefer_common_debit (kiosk));
  g_assert_cmphex (pd_config_get_terminal_type (kiosk), ==, 0x24);
  g_assert_cmpmem (pd_config_get_terminal_capabilities (kiosk), 3, "\x20\x08\xc8", 3);
  g_assert_cmpmem (pd_config_get_additional_capabilities (kiosk), 5,
                   "\x00\x60\xf0\xa0\x01", 5);
  g_assert_cmpmem (pd_config_get_tac_denial (kiosk), 5, "\x00\x70\x00\x00\x00", 5);
  g_assert_cmpmem (pd_config_get_tac_online (kiosk), 5, "\xdc\x40\x04\xf8\x00", 5);
  g_assert_cmpmem (pd_config_get_tac_default (kiosk), 5, "\xdc\x40\x04\xf8\x00", 5);
  g_assert_cmpuint (pd_config_get_country_code (kiosk), ==, 840);
  g_assert_cmpuint (pd_config_get_currency_code (kiosk), ==, 840);

  /* A counter is attended, and an associate can check a signature. */
  counter = load (fixture, "[terminal]\nmode = counter\n", &error);
  g_assert_no_error (error);
  g_assert_cmphex (pd_config_get_terminal_type (counter), ==, 0x21);
  g_assert_cmpmem (pd_config_get_terminal_capabilities (counter), 3, "\x20\x28\xc8", 3);
}

static void
test_card_values (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdConfig) config = load (fixture,
                                     "[terminal]\nmode = counter\n"
                                     "[card]\n"
                                     "accepted-aids = a0000000041010 ; A0000000042203;"
                                     "A000000003101001\n"
                                     "contactless-limit = 100.00\n"
                                     "prefer-common-debit = true\n"
                                     "terminal-type = 22\n"
                                     "terminal-capabilities = 602808\n"
                                     "additional-capabilities = 6000f0a001\n"
                                     "tac-denial = 0010000000\n"
                                     "tac-online = D84004F800\n"
                                     "tac-default = D84004F800\n"
                                     "country-code = 0124\n"
                                     "currency-code = 124\n",
                                     &error);
  const char * const *aids;

  g_assert_no_error (error);
  aids = pd_config_get_accepted_aids (config);
  g_assert_cmpuint (g_strv_length ((GStrv) aids), ==, 3);
  g_assert_cmpstr (aids[0], ==, "A0000000041010");
  g_assert_cmpstr (aids[1], ==, "A0000000042203");
  g_assert_cmpstr (aids[2], ==, "A000000003101001");
  g_assert_cmpint (pd_config_get_contactless_limit (config), ==, 10000);
  g_assert_true (pd_config_get_prefer_common_debit (config));
  g_assert_cmphex (pd_config_get_terminal_type (config), ==, 0x22);
  g_assert_cmpmem (pd_config_get_terminal_capabilities (config), 3, "\x60\x28\x08", 3);
  g_assert_cmpmem (pd_config_get_additional_capabilities (config), 5,
                   "\x60\x00\xf0\xa0\x01", 5);
  g_assert_cmpmem (pd_config_get_tac_denial (config), 5, "\x00\x10\x00\x00\x00", 5);
  g_assert_cmpmem (pd_config_get_tac_online (config), 5, "\xd8\x40\x04\xf8\x00", 5);
  g_assert_cmpmem (pd_config_get_tac_default (config), 5, "\xd8\x40\x04\xf8\x00", 5);
  g_assert_cmpuint (pd_config_get_country_code (config), ==, 124);
  g_assert_cmpuint (pd_config_get_currency_code (config), ==, 124);
}

typedef struct {
  const char *contents;
  PdConfigError code;
  /* What the message must name: the line, and the group and key where there is one. */
  const char *where;
} BadCase;

static void
test_bad_files (Fixture       *fixture,
                gconstpointer  data)
{
  static const BadCase cases[] = {
    { "[terminal]\nmode = drive-thru\n", PD_CONFIG_ERROR_INVALID_VALUE, ":2: [terminal] mode:" },
    { "[terminal]\n\n# comment\ntraining = yes\n", PD_CONFIG_ERROR_INVALID_VALUE,
      ":4: [terminal] training:" },
    { "[terminal]\ncenter-id = NYC 42\n", PD_CONFIG_ERROR_INVALID_VALUE,
      ":2: [terminal] center-id:" },
    { "[core]\nurl = http://payments.example.org\n", PD_CONFIG_ERROR_INVALID_VALUE,
      ":2: [core] url:" },
    { "[core]\nurl = ftp://127.0.0.1/\n", PD_CONFIG_ERROR_INVALID_VALUE, ":2: [core] url:" },
    { "[core]\nurl = not a url\n", PD_CONFIG_ERROR_INVALID_VALUE, ":2: [core] url:" },
    { "[core]\ntimeout-seconds = 0\n", PD_CONFIG_ERROR_INVALID_VALUE,
      ":2: [core] timeout-seconds:" },
    { "[core]\ntimeout-seconds = 15s\n", PD_CONFIG_ERROR_INVALID_VALUE,
      ":2: [core] timeout-seconds:" },
    { "[core]\nconnect-timeout-seconds = 0\n", PD_CONFIG_ERROR_INVALID_VALUE,
      ":2: [core] connect-timeout-seconds:" },
    { "[core]\ntimeout = 15\n", PD_CONFIG_ERROR_UNKNOWN_KEY, ":2: [core] timeout:" },
    { "[cores]\nurl = https://a.example\n", PD_CONFIG_ERROR_UNKNOWN_KEY, ":1: unknown group" },
    { "mode = kiosk\n", PD_CONFIG_ERROR_SYNTAX, ":1: key “mode”" },
    { "[terminal]\nmode kiosk\n", PD_CONFIG_ERROR_SYNTAX, ":2:" },
    { "[terminal\nmode = kiosk\n", PD_CONFIG_ERROR_SYNTAX, ":1:" },
    { "[terminal]\nmode = kiosk\nmode = counter\n", PD_CONFIG_ERROR_DUPLICATE_KEY,
      ":3: [terminal] mode: set a second time (first on line 2)" },
    { "[devices]\nprinter = epson\n", PD_CONFIG_ERROR_INVALID_VALUE, ":2: [devices] printer:" },
    { "[devices]\nprinter = usb:04b8:02\n", PD_CONFIG_ERROR_INVALID_VALUE,
      ":2: [devices] printer:" },
    { "[devices]\ncard-readers = ;;\n", PD_CONFIG_ERROR_INVALID_VALUE,
      ":2: [devices] card-readers:" },
    /* Training devices only on a training terminal (the tests' recorded USB bus aside). */
    { "[devices]\nprinter = auto\n", PD_CONFIG_ERROR_INVALID_VALUE,
      ":2: [devices] printer: a training terminal uses the training devices only" },
    { "[devices]\nprinter = training\ncheck-scanner = usb:04b8:0202\n",
      PD_CONFIG_ERROR_INVALID_VALUE, ":3: [devices] check-scanner: a training terminal uses" },
    { "[outbox]\nmax-payment = -5\n", PD_CONFIG_ERROR_INVALID_VALUE,
      ":2: [outbox] max-payment:" },
    { "[outbox]\nmax-payment = 0\n", PD_CONFIG_ERROR_INVALID_VALUE,
      ":2: [outbox] max-payment:" },
    { "[outbox]\nmax-payment = 500\nmax-total = 100\n", PD_CONFIG_ERROR_INVALID_VALUE,
      ":3: [outbox] max-total:" },
    { "[outbox]\nmax-age-hours = 1000\n", PD_CONFIG_ERROR_INVALID_VALUE,
      ":2: [outbox] max-age-hours:" },
    { "[languages]\noffered = en;tlh\n", PD_CONFIG_ERROR_INVALID_VALUE,
      ":2: [languages] offered:" },
    { "[languages]\noffered = en;es\ndefault = zh\n", PD_CONFIG_ERROR_INVALID_VALUE,
      ":3: [languages] default:" },
    { "[journal]\nbusiness-day-cutoff = 7pm\n", PD_CONFIG_ERROR_INVALID_VALUE,
      ":2: [journal] business-day-cutoff:" },
    { "[journal]\nbusiness-day-cutoff = 24:00\n", PD_CONFIG_ERROR_INVALID_VALUE,
      ":2: [journal] business-day-cutoff:" },
    { "[email]\nserver = http://mail.example.org\n", PD_CONFIG_ERROR_INVALID_VALUE,
      ":2: [email] server:" },
    { "[email]\nserver = smtp://\n", PD_CONFIG_ERROR_INVALID_VALUE, ":2: [email] server:" },
    { "[email]\nserver = smtps://mail.example.org\nusername = kiosk-7\n",
      PD_CONFIG_ERROR_MISSING_KEY, "[email] password-file: username and password-file" },
    { "[email]\nfrom = receipts at example.org\n", PD_CONFIG_ERROR_INVALID_VALUE,
      ":2: [email] from: An email address has an @" },
    { "[email]\ngive-up-hours = 0\n", PD_CONFIG_ERROR_INVALID_VALUE,
      ":2: [email] give-up-hours:" },
    { "[terminal]\ntraining = false\n", PD_CONFIG_ERROR_MISSING_KEY, "[terminal] center-id:" },
    { "[terminal]\ntraining = false\ncenter-id = A\nterminal-id = B\n[core]\n"
      "url = https://core.example\n", PD_CONFIG_ERROR_MISSING_KEY, "[core] public-key:" },
    { "[terminal]\ntraining = false\ncenter-id = A\nterminal-id = B\n[core]\n"
      "url = https://core.example\npublic-key = BwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSY=\n", PD_CONFIG_ERROR_MISSING_KEY,
      "[core] token-file:" },
    { "[core]\npublic-key = c2hvcnQ=\n", PD_CONFIG_ERROR_INVALID_VALUE, ":2: [core] public-key:" },
    { "[terminal]\ntraining = false\ncenter-id = A\nterminal-id = B\n[core]\n"
      "url = http://127.0.0.1:8765\ntoken-file = t\npublic-key = BwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSY=\n",
      PD_CONFIG_ERROR_INVALID_VALUE, ":6: [core] url:" },
    { "[terminal]\ntraining = false\ncenter-id = A\nterminal-id = B\n[core]\n"
      "url = https://core.example\ntoken-file = t\npublic-key = BwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSY=\n"
      "[devices]\nprinter = training\n", PD_CONFIG_ERROR_INVALID_VALUE, ":10: [devices] printer:" },
    { "[terminal]\ntraining = false\ncenter-id = A\nterminal-id = B\n[core]\n"
      "url = https://core.example\nclient-certificate = c.pem\npublic-key = BwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSY=\n",
      PD_CONFIG_ERROR_MISSING_KEY, "[core] client-key:" },
    { "[card]\naccepted-aids = A0000000031010;A00000002501\n", PD_CONFIG_ERROR_INVALID_VALUE,
      ":2: [card] accepted-aids: “A00000002501”: American Express is not accepted by Paydesk" },
    { "[card]\naccepted-aids = A0000000651010\n", PD_CONFIG_ERROR_INVALID_VALUE,
      ":2: [card] accepted-aids: “A0000000651010”: JCB is not accepted" },
    { "[card]\naccepted-aids = A0000009991010\n", PD_CONFIG_ERROR_INVALID_VALUE,
      ":2: [card] accepted-aids: “A0000009991010” is not a Visa, Mastercard or Discover" },
    { "[card]\naccepted-aids = A0000000\n", PD_CONFIG_ERROR_INVALID_VALUE,
      ":2: [card] accepted-aids: “A0000000” is not an application identifier" },
    { "[card]\naccepted-aids = A000000003101\n", PD_CONFIG_ERROR_INVALID_VALUE,
      ":2: [card] accepted-aids:" },
    { "[card]\naccepted-aids = A0000000031010ZZ\n", PD_CONFIG_ERROR_INVALID_VALUE,
      ":2: [card] accepted-aids:" },
    { "[card]\naccepted-aids = A0000000031010A0000000031010A0000000031010\n",
      PD_CONFIG_ERROR_INVALID_VALUE, ":2: [card] accepted-aids:" },
    { "[card]\naccepted-aids = A0000000031010;a0000000031010\n", PD_CONFIG_ERROR_INVALID_VALUE,
      ":2: [card] accepted-aids: “A0000000031010” is listed twice" },
    { "[card]\naccepted-aids = ;\n", PD_CONFIG_ERROR_INVALID_VALUE, ":2: [card] accepted-aids:" },
    { "[card]\ncontactless-limit = 0\n", PD_CONFIG_ERROR_INVALID_VALUE,
      ":2: [card] contactless-limit:" },
    /* Training and production never mix: a training terminal reaches only a core on this
     * machine (an address read as an IP literal, not a name that begins with 127.), a
     * production terminal never one there. */
    { "[core]\nurl = https://core.example\n", PD_CONFIG_ERROR_INVALID_VALUE,
      ":2: [core] url: “https://core.example” is not on this machine" },
    { "[core]\nurl = http://127.attacker.example\n", PD_CONFIG_ERROR_INVALID_VALUE,
      ":2: [core] url: “http://127.attacker.example” is not on this machine" },
    { "[core]\nurl = http://127.0.0.1.example:8080\n", PD_CONFIG_ERROR_INVALID_VALUE,
      ":2: [core] url:" },
    { "[terminal]\ntraining = false\ncenter-id = A\nterminal-id = B\n[core]\n"
      "url = https://[::1]:8443\ntoken-file = t\n"
      "public-key = BwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSY=\n",
      PD_CONFIG_ERROR_INVALID_VALUE, ":6: [core] url: “https://[::1]:8443” is on this machine" },
    { "[terminal]\ntraining = false\ncenter-id = A\nterminal-id = B\n[core]\n"
      "url = https://127.0.0.2\ntoken-file = t\n"
      "public-key = BwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSY=\n",
      PD_CONFIG_ERROR_INVALID_VALUE, ":6: [core] url:" },
    { "[devices]\ncard-readers = ACS ACR1252\n", PD_CONFIG_ERROR_INVALID_VALUE,
      ":2: [devices] card-readers: “ACS ACR1252” is a real card reader" },
    { "[terminal]\ntraining = false\ncenter-id = A\nterminal-id = B\n[core]\n"
      "url = https://core.example\ntoken-file = t\n"
      "public-key = BwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSY=\n"
      "[devices]\ncard-readers = Virtual PCD 00 00\n",
      PD_CONFIG_ERROR_INVALID_VALUE, ":10: [devices] card-readers: “Virtual PCD 00 00” is the virtual reader" },
    { "[core]\npinned-public-key = md5//abc\n", PD_CONFIG_ERROR_INVALID_VALUE,
      ":2: [core] pinned-public-key:" },
    { "[core]\npinned-public-key = sha256//c2hvcnQ=\n", PD_CONFIG_ERROR_INVALID_VALUE,
      ":2: [core] pinned-public-key:" },
    { "[card]\ncontactless-limit = lots\n", PD_CONFIG_ERROR_INVALID_VALUE,
      ":2: [card] contactless-limit:" },
    { "[card]\nprefer-common-debit = 1\n", PD_CONFIG_ERROR_INVALID_VALUE,
      ":2: [card] prefer-common-debit:" },
    { "[card]\nterminal-type = 024\n", PD_CONFIG_ERROR_INVALID_VALUE,
      ":2: [card] terminal-type: “024” must be 2 hexadecimal digits" },
    { "[card]\nterminal-type = 47\n", PD_CONFIG_ERROR_INVALID_VALUE,
      ":2: [card] terminal-type: 47 is not an EMV terminal type" },
    { "[card]\nterminal-type = 22\n", PD_CONFIG_ERROR_INVALID_VALUE,
      ":2: [card] terminal-type: 22 is an attended terminal type, but a kiosk" },
    { "[terminal]\nmode = counter\n[card]\nterminal-type = 25\n", PD_CONFIG_ERROR_INVALID_VALUE,
      ":4: [card] terminal-type: 25 is an unattended terminal type" },
    { "[card]\nterminal-capabilities = 2008\n", PD_CONFIG_ERROR_INVALID_VALUE,
      ":2: [card] terminal-capabilities: “2008” must be 6 hexadecimal digits" },
    { "[card]\nterminal-capabilities = 20G8C8\n", PD_CONFIG_ERROR_INVALID_VALUE,
      ":2: [card] terminal-capabilities:" },
    { "[card]\nadditional-capabilities = 0060F0A0\n", PD_CONFIG_ERROR_INVALID_VALUE,
      ":2: [card] additional-capabilities: “0060F0A0” must be 10 hexadecimal digits" },
    { "[card]\ntac-denial = 0070000000FF\n", PD_CONFIG_ERROR_INVALID_VALUE,
      ":2: [card] tac-denial:" },
    { "[card]\ntac-online = \n", PD_CONFIG_ERROR_INVALID_VALUE, ":2: [card] tac-online:" },
    { "[card]\ntac-default = 0x00000000\n", PD_CONFIG_ERROR_INVALID_VALUE,
      ":2: [card] tac-default:" },
    { "[card]\ncountry-code = US\n", PD_CONFIG_ERROR_INVALID_VALUE,
      ":2: [card] country-code: “US” must be a 3-digit ISO numeric code" },
    { "[card]\ncountry-code = 84\n", PD_CONFIG_ERROR_INVALID_VALUE, ":2: [card] country-code:" },
    { "[card]\ncurrency-code = 000\n", PD_CONFIG_ERROR_INVALID_VALUE,
      ":2: [card] currency-code:" },
    { "[card]\ncurrency-code = 08400\n", PD_CONFIG_ERROR_INVALID_VALUE,
      ":2: [card] currency-code:" },
    { "[card]\ncurrency-code = +840\n", PD_CONFIG_ERROR_INVALID_VALUE,
      ":2: [card] currency-code:" },
    { "[card]\npin-pad = none\n", PD_CONFIG_ERROR_UNKNOWN_KEY, ":2: [card] pin-pad:" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PdConfig) config = NULL;

      g_test_message ("case %" G_GSIZE_FORMAT ": %s", i, cases[i].contents);
      config = load (fixture, cases[i].contents, &error);
      g_assert_null (config);
      g_assert_error (error, PD_CONFIG_ERROR, (int) cases[i].code);
      g_test_message ("message: %s", error->message);
      g_assert_true (g_str_has_prefix (error->message, fixture->path));
      g_assert_nonnull (strstr (error->message, cases[i].where));
    }
}

/* No PIN on the touchscreen, no signature at a kiosk: whatever the file says about them. */
static void
test_card_verification_methods (Fixture       *fixture,
                                gconstpointer  data)
{
  static const char * const pin_capabilities[] = { "20C808", "208808", "204808", "201808" };
  g_autoptr(GError) signature = NULL;
  g_autoptr(GError) no_error = NULL;
  g_autoptr(PdConfig) counter = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (pin_capabilities); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *contents = g_strdup_printf ("[terminal]\nmode = counter\n[card]\n"
                                                   "terminal-capabilities = %s\n",
                                                   pin_capabilities[i]);
      g_autofree char *where = g_strdup_printf (":4: [card] terminal-capabilities: %s claims "
                                                "PIN entry", pin_capabilities[i]);

      g_assert_null (load (fixture, contents, &error));
      g_assert_error (error, PD_CONFIG_ERROR, PD_CONFIG_ERROR_INVALID_VALUE);
      g_test_message ("message: %s", error->message);
      g_assert_nonnull (strstr (error->message, where));
      g_assert_nonnull (strstr (error->message, "never entered on the touchscreen"));
      g_assert_nonnull (strstr (error->message, "secure PIN pad"));
    }

  g_assert_null (load (fixture, "[card]\nterminal-capabilities = 2028C8\n", &signature));
  g_assert_error (signature, PD_CONFIG_ERROR, PD_CONFIG_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (signature->message,
                            ":2: [card] terminal-capabilities: 2028C8 claims signature"));

  /* The same at a counter is fine. */
  counter = load (fixture, "[terminal]\nmode = counter\n[card]\nterminal-capabilities = 2028C8\n",
                  &no_error);
  g_assert_no_error (no_error);
  g_assert_cmpmem (pd_config_get_terminal_capabilities (counter), 3, "\x20\x28\xc8", 3);
}

static void
test_unreadable (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) missing = NULL;
  g_autoptr(GError) binary = NULL;
  g_autofree char *absent = g_build_filename (fixture->tmp.dir, "absent.conf", NULL);

  g_assert_null (pd_config_load_file (absent, &missing));
  g_assert_error (missing, PD_CONFIG_ERROR, PD_CONFIG_ERROR_READ);
  g_assert_nonnull (strstr (missing->message, "absent.conf"));

  pd_test_write_file (fixture->path, "[terminal]\ncenter-name = \xff\xfe\n");
  g_assert_null (pd_config_load_file (fixture->path, &binary));
  g_assert_error (binary, PD_CONFIG_ERROR, PD_CONFIG_ERROR_SYNTAX);
}

/* A mail server is optional; named, it is TLS either way, and its sender is normalized. */
static void
test_email (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(PdConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  config = load (fixture, "[terminal]\n", &error);
  g_assert_no_error (error);
  g_assert_null (pd_config_get_email_server (config));
  g_assert_cmpuint (pd_config_get_email_timeout_seconds (config), ==, 30);
  g_assert_cmpuint (pd_config_get_email_give_up_hours (config), ==, 72);
  g_clear_object (&config);

  config = load (fixture, "[email]\nserver = smtp://mail.example.org:587\n"
                          "username = kiosk-7\npassword-file = smtp-password\n"
                          "from = Receipts@Example.ORG\nfrom-name = Example Health Plan\n"
                          "give-up-hours = 24\n", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pd_config_get_email_server (config), ==, "smtp://mail.example.org:587");
  g_assert_cmpstr (pd_config_get_email_from (config), ==, "Receipts@example.org");
  g_assert_cmpstr (pd_config_get_email_from_name (config), ==, "Example Health Plan");
  g_assert_cmpuint (pd_config_get_email_give_up_hours (config), ==, 24);
  g_assert_true (g_str_has_suffix (pd_config_get_email_password_file (config),
                                   "/smtp-password"));
  g_clear_object (&config);

  /* A production terminal says who its receipts come from. */
  config = load (fixture, "[terminal]\ntraining = false\ncenter-id = C\nterminal-id = T\n"
                          "[core]\nurl = https://core.example\ntoken-file = /t\n"
                          "public-key = BwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSY=\n"
                          "[devices]\nprinter = none\ncheck-scanner = none\n"
                          "[email]\nserver = smtps://mail.example.org\n", &error);
  g_assert_error (error, PD_CONFIG_ERROR, PD_CONFIG_ERROR_MISSING_KEY);
  g_assert_nonnull (strstr (error->message, "[email] from:"));
  g_assert_null (config);
}

static void
test_core_url_override (void)
{
  g_autoptr(PdConfig) config = pd_config_new_training ();
  g_autoptr(GError) plain_remote = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (pd_config_override_core_url (config, "http://127.0.0.1:9999", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (pd_config_get_core_url (config), ==, "http://127.0.0.1:9999");

  g_assert_false (pd_config_override_core_url (config, "http://core.example", &plain_remote));
  g_assert_error (plain_remote, PD_CONFIG_ERROR, PD_CONFIG_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (plain_remote->message, "--core-url"));
  g_assert_cmpstr (pd_config_get_core_url (config), ==, "http://127.0.0.1:9999");
}

int
main (int    argc,
      char **argv)
{
  pd_test_init (&argc, &argv);

  g_test_add_func ("/config/training-default", test_training_default);
  g_test_add ("/config/environment-variable", Fixture, NULL, fixture_set_up,
              test_environment_variable, fixture_tear_down);
  g_test_add ("/config/sample-needs-the-cores-key", Fixture, NULL, fixture_set_up,
              test_sample_needs_the_cores_key, fixture_tear_down);
  g_test_add ("/config/production-defaults", Fixture, NULL, fixture_set_up,
              test_production_defaults, fixture_tear_down);
  g_test_add ("/config/overpayment", Fixture, NULL, fixture_set_up, test_overpayment,
              fixture_tear_down);
  g_test_add ("/config/relative-paths", Fixture, NULL, fixture_set_up, test_relative_paths,
              fixture_tear_down);
  g_test_add ("/config/bad-files", Fixture, NULL, fixture_set_up, test_bad_files,
              fixture_tear_down);
  g_test_add ("/config/unreadable", Fixture, NULL, fixture_set_up, test_unreadable,
              fixture_tear_down);
  g_test_add_func ("/config/core-url-override", test_core_url_override);
  g_test_add ("/config/email", Fixture, NULL, fixture_set_up, test_email, fixture_tear_down);
  g_test_add ("/config/card/defaults", Fixture, NULL, fixture_set_up, test_card_defaults,
              fixture_tear_down);
  g_test_add ("/config/card/values", Fixture, NULL, fixture_set_up, test_card_values,
              fixture_tear_down);
  g_test_add ("/config/card/verification-methods", Fixture, NULL, fixture_set_up,
              test_card_verification_methods, fixture_tear_down);

  return g_test_run ();
}
