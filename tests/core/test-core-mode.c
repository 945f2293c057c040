#include <string.h>
#include <sys/mount.h>

#include "pd-config.h"
#include "pd-core-client.h"
#include "pd-test-common.h"
#include "pd-test-core.h"

/* A production terminal never pays through a training core, even one it cannot tell from a
 * real one by its address: here the real training core answers at a name (in a hosts file
 * mounted over /etc/hosts, in a mount namespace of the test's own) with a certificate the
 * terminal trusts, and only its health answer says what it is. */

#define CORE_NAME "core.paydesk.test"

typedef struct {
  PdTestDir tmp;
  char *hosts;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  pd_test_dir_set_up (&fixture->tmp, data);
  fixture->hosts = g_build_filename (fixture->tmp.dir, "hosts", NULL);
  pd_test_write_file (fixture->hosts, "127.0.0.1 localhost\n127.0.0.1 " CORE_NAME "\n");
  if (mount (fixture->hosts, "/etc/hosts", NULL, MS_BIND, NULL) != 0)
    g_error ("Could not mount a hosts file over /etc/hosts: %s", g_strerror (errno));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  umount2 ("/etc/hosts", MNT_DETACH);
  g_free (fixture->hosts);
  pd_test_dir_tear_down (&fixture->tmp, data);
}

/* The sample production configuration, its key made, pointed at url with a token and the
 * training core's certificate. */
static PdConfig *
production_config (Fixture    *fixture,
                   const char *url,
                   const char *certificate)
{
  g_autofree char *sample = pd_test_sample_config_with_key (fixture->tmp.dir);
  g_autofree char *token = g_build_filename (fixture->tmp.dir, "core-token", NULL);
  g_autofree char *data_dir = g_build_filename (fixture->tmp.dir, "state", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *core_lines = NULL;
  g_autoptr(GString) edited = NULL;
  g_autoptr(GError) error = NULL;
  PdConfig *config;

  g_assert_true (g_file_get_contents (sample, &contents, NULL, NULL));
  edited = g_string_new (contents);
  core_lines = g_strdup_printf ("url = %s\ntoken-file = %s\nca-file = %s\n", url, token,
                                certificate);
  g_assert_cmpuint (g_string_replace (edited, "token-file = /etc/paydesk/core-token\n", "", 1),
                    ==, 1);
  g_assert_cmpuint (g_string_replace (edited, "url = https://payments.example.org\n",
                                      core_lines, 1), ==, 1);
  g_assert_cmpuint (g_string_replace (edited, "data-dir = /var/lib/paydesk", "", 1), ==, 1);
  pd_test_write_file (sample, edited->str);
  pd_test_write_secret (token, "a-production-token\n");

  config = pd_config_load_file (sample, &error);
  g_assert_no_error (error);
  g_assert_false (pd_config_get_training (config));
  pd_config_override_data_dir (config, data_dir);
  return config;
}

static guint
requests_seen (PdTestCore *core)
{
  g_autoptr(JsonObject) ledger = pd_test_core_ledger (core);

  return (guint) json_object_get_int_member (ledger, "requests_seen");
}

static void
test_production_refuses_training_core (Fixture       *fixture,
                                       gconstpointer  data)
{
  g_autofree char *certificate = NULL, *key = NULL;
  g_autofree char *certificate_arg = NULL, *key_arg = NULL;
  g_autofree char *url = NULL;
  g_autoptr(PdTestCore) core = NULL;
  g_autoptr(PdConfig) config = NULL;
  g_autoptr(PdCoreClient) client = NULL;
  g_autoptr(PdIdentification) identification = pd_identification_new_account_zip (
    "400123456789", "10001", NULL);
  g_autoptr(PdMemberLookup) found = NULL;
  g_autoptr(GError) error = NULL;
  const char *core_args[3];
  guint before;

  pd_test_make_certificate_for (fixture->tmp.dir, "core", "DNS:" CORE_NAME ",IP:127.0.0.1",
                                &certificate, &key);
  certificate_arg = g_strdup_printf ("--tls-certificate=%s", certificate);
  key_arg = g_strdup_printf ("--tls-key=%s", key);
  core_args[0] = certificate_arg;
  core_args[1] = key_arg;
  core_args[2] = NULL;
  core = pd_test_core_start (fixture->tmp.dir, 0, core_args);

  /* A loopback address is refused by the configuration itself… */
  config = production_config (fixture, "https://" CORE_NAME, certificate);
  g_assert_false (pd_config_override_core_url (config, core->url, &error));
  g_assert_error (error, PD_CONFIG_ERROR, PD_CONFIG_ERROR_INVALID_VALUE);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  /* …a name is not, and only the core's health answer tells. */
  url = g_strdup_printf ("https://" CORE_NAME ":%u", core->port);
  g_assert_true (pd_config_override_core_url (config, url, &error));
  g_assert_no_error (error);
  client = pd_core_client_new (config, &error);
  g_assert_no_error (error);

  before = requests_seen (core);
  found = pd_core_client_lookup (client, identification, NULL, &error);
  g_assert_null (found);
  g_assert_error (error, PD_CORE_ERROR, PD_CORE_ERROR_SETUP);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "is a training core"));
  g_assert_nonnull (strstr (error->message, "Nothing was sent"));
  /* The health check, and nothing after it. */
  g_assert_cmpuint (requests_seen (core) - before, ==, 1);
  g_clear_error (&error);

  /* Asked again before every request, never let through. */
  g_assert_null (pd_core_client_lookup (client, identification, NULL, &error));
  g_assert_error (error, PD_CORE_ERROR, PD_CORE_ERROR_SETUP);
  g_assert_cmpuint (requests_seen (core) - before, ==, 2);
}

int
main (int    argc,
      char **argv)
{
  pd_test_init (&argc, &argv);

  if (g_getenv ("PD_MOUNT_NAMESPACE") == NULL)
    {
      g_print ("1..0 # SKIP run me through tests/common/run-in-mount-namespace\n");
      return 0;
    }

  g_test_add ("/core-mode/production-refuses-training-core", Fixture, NULL, fixture_set_up,
              test_production_refuses_training_core, fixture_tear_down);

  return g_test_run ();
}
