#include <signal.h>
#include <string.h>

#include <libsoup/soup.h>

#include "pd-test-common.h"
#include "pd-test-core.h"

PdTestCore *
pd_test_core_start (const char         *dir,
                    guint16             port,
                    const char * const *extra_args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  PdTestCore *core = g_new0 (PdTestCore, 1);

  core->db_path = g_build_filename (dir, "core-ledger.sqlite3", NULL);
  g_ptr_array_add (argv, g_strdup (g_getenv ("PAYDESK_CORE_SIM")));
  g_ptr_array_add (argv, g_strdup_printf ("--listen=127.0.0.1:%u", port));
  g_ptr_array_add (argv, g_strdup_printf ("--db=%s", core->db_path));
  g_ptr_array_add (argv, g_strdup_printf ("--seed=%s", g_getenv ("PAYDESK_SEED")));
  g_ptr_array_add (argv, g_strdup_printf ("--sealing-key=%s", g_getenv ("PAYDESK_SEALING_KEY")));
  for (guint i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
    {
      g_ptr_array_add (argv, g_strdup (extra_args[i]));
      if (g_str_has_prefix (extra_args[i], "--tls-certificate="))
        core->tls_certificate = g_strdup (extra_args[i] + strlen ("--tls-certificate="));
      if (g_str_has_prefix (extra_args[i], "--token-file="))
        {
          g_autofree char *token = NULL;

          g_assert_true (g_file_get_contents (extra_args[i] + strlen ("--token-file="), &token,
                                              NULL, NULL));
          core->token = g_strdup (g_strstrip (token));
        }
    }
  g_ptr_array_add (argv, NULL);

  /* The core prints its address once it accepts requests: no guessing, no sleeping. */
  core->process = pd_test_spawn_listening ((const char * const *) argv->pdata, &core->url);
  core->port = (guint16) atoi (strrchr (core->url, ':') + 1);
  return core;
}

void
pd_test_core_stop (PdTestCore *core)
{
  g_autoptr(GError) error = NULL;

  if (core->process == NULL)
    return;

  g_subprocess_send_signal (core->process, SIGTERM);
  g_subprocess_wait (core->process, NULL, &error);
  g_assert_no_error (error);
  /* A core that crashed on its way out (or, under the sanitizers, leaked) fails the test. */
  g_assert_true (g_subprocess_get_if_exited (core->process));
  g_assert_cmpint (g_subprocess_get_exit_status (core->process), ==, 0);
  g_clear_object (&core->process);
}

void
pd_test_core_set_client_certificate (PdTestCore *core,
                                     const char *certificate,
                                     const char *key)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&core->client_certificate);
  core->client_certificate = g_tls_certificate_new_from_files (certificate, key, &error);
  g_assert_no_error (error);
}

void
pd_test_core_free (PdTestCore *core)
{
  if (core == NULL)
    return;

  pd_test_core_stop (core);
  g_free (core->url);
  g_free (core->db_path);
  g_free (core->tls_certificate);
  g_free (core->token);
  g_clear_object (&core->client_certificate);
  g_free (core);
}

static JsonObject *
exchange (PdTestCore *core,
          const char *method,
          const char *path,
          const char *body)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GTlsDatabase) trusted = NULL;
  g_autofree char *url = g_strconcat (core->url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  if (core->tls_certificate != NULL)
    {
      trusted = g_tls_file_database_new (core->tls_certificate, &error);
      g_assert_no_error (error);
      soup_session_set_tls_database (session, trusted);
    }

  if (core->client_certificate != NULL)
    soup_message_set_tls_client_certificate (msg, core->client_certificate);
  if (core->token != NULL)
    {
      g_autofree char *bearer = g_strdup_printf ("Bearer %s", core->token);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    bearer);
    }

  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }

  answer = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
  json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL),
                              (gssize) g_bytes_get_size (answer), &error);
  g_assert_no_error (error);

  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

JsonObject *
pd_test_core_ledger (PdTestCore *core)
{
  return exchange (core, "GET", "/_sim/ledger", NULL);
}

guint
pd_test_core_count_payments (PdTestCore *core,
                             const char *client_ref)
{
  g_autoptr(JsonObject) ledger = pd_test_core_ledger (core);
  JsonArray *payments = json_object_get_array_member (ledger, "payments");
  guint count = 0;

  for (guint i = 0; i < json_array_get_length (payments); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (payments, i),
                                                  "client_ref"), client_ref) == 0)
      count++;

  return count;
}

guint
pd_test_core_count_ledger (PdTestCore *core)
{
  g_autoptr(JsonObject) ledger = pd_test_core_ledger (core);

  return json_array_get_length (json_object_get_array_member (ledger, "payments"));
}

JsonObject *
pd_test_core_find_payment (PdTestCore *core,
                           const char *client_ref)
{
  g_autoptr(JsonObject) ledger = pd_test_core_ledger (core);
  JsonArray *payments = json_object_get_array_member (ledger, "payments");
  JsonObject *found = NULL;

  for (guint i = 0; i < json_array_get_length (payments); i++)
    {
      JsonObject *payment = json_array_get_object_element (payments, i);

      if (g_strcmp0 (json_object_get_string_member (payment, "client_ref"), client_ref) == 0)
        {
          g_assert_null (found);
          found = json_object_ref (payment);
        }
    }

  return found;
}

void
pd_test_core_control (PdTestCore *core,
                      const char *json)
{
  g_autoptr(JsonObject) answer = exchange (core, "POST", "/_sim/faults", json);

  g_assert_nonnull (answer);
}
