#include <string.h>

#include "pd-sim-faults.h"

#define MAX_DELAY_MS 120000

/* Without a configured rule, amounts ending in 51 cents are declined, so that a trainee can
 * see a decline on purpose. */
#define DEFAULT_DECLINE_CENTS 51

void
pd_sim_faults_init (PdSimFaults *faults)
{
  g_queue_init (&faults->pending);
  faults->decline_amounts = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  faults->decline_accounts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static void
fault_free (gpointer data)
{
  PdSimFault *fault = data;

  g_free (fault->method);
  g_free (fault->path);
  g_free (fault->body);
  g_free (fault);
}

void
pd_sim_faults_clear (PdSimFaults *faults)
{
  g_queue_clear_full (&faults->pending, fault_free);
  g_clear_pointer (&faults->decline_amounts, g_hash_table_unref);
  g_clear_pointer (&faults->decline_accounts, g_hash_table_unref);
  g_clear_pointer (&faults->next_issuer_scripts, g_free);
}

static gboolean
parse_kind (const char     *name,
            PdSimFaultKind *kind)
{
  static const struct { const char *name; PdSimFaultKind kind; } kinds[] = {
    { "status", PD_SIM_FAULT_STATUS }, { "timeout", PD_SIM_FAULT_TIMEOUT },
    { "reset", PD_SIM_FAULT_RESET }, { "slow", PD_SIM_FAULT_SLOW },
    { "malformed", PD_SIM_FAULT_MALFORMED }, { "answer", PD_SIM_FAULT_ANSWER },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_strcmp0 (kinds[i].name, name) == 0)
      {
        *kind = kinds[i].kind;
        return TRUE;
      }

  return FALSE;
}

/* {"fault": "status", "status": 503, "count": 2, "after_processing": false}
 * {"decline_amount_cents": 4200} {"decline_account": "400123456789"} {"clear": true} */
gboolean
pd_sim_faults_configure (PdSimFaults *faults,
                         JsonObject  *request,
                         GError     **error)
{
  if (json_object_get_boolean_member_with_default (request, "clear", FALSE))
    {
      g_queue_clear_full (&faults->pending, fault_free);
      g_hash_table_remove_all (faults->decline_amounts);
      g_hash_table_remove_all (faults->decline_accounts);
    }

  if (json_object_has_member (request, "decline_amount_cents"))
    {
      gint64 *amount = g_new (gint64, 1);

      *amount = json_object_get_int_member (request, "decline_amount_cents");
      g_hash_table_add (faults->decline_amounts, amount);
    }

  if (json_object_has_member (request, "issuer_scripts"))
    {
      const char *scripts = json_object_get_string_member (request, "issuer_scripts");

      if (scripts == NULL || strspn (scripts, "0123456789abcdefABCDEF") != strlen (scripts) ||
          strlen (scripts) % 2 != 0)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               "issuer_scripts is hex");
          return FALSE;
        }
      g_free (faults->next_issuer_scripts);
      faults->next_issuer_scripts = g_strdup (scripts);
    }

  if (json_object_has_member (request, "decline_account"))
    g_hash_table_add (faults->decline_accounts,
                      g_strdup (json_object_get_string_member (request, "decline_account")));

  if (json_object_has_member (request, "fault"))
    {
      PdSimFault fault = { 0 };
      gint64 count = json_object_get_int_member_with_default (request, "count", 1);
      gint64 status = json_object_get_int_member_with_default (request, "status", 503);
      gint64 delay = json_object_get_int_member_with_default (request, "delay_ms", 2000);
      const char *body = json_object_get_string_member_with_default (request, "body", NULL);

      if (!parse_kind (json_object_get_string_member_with_default (request, "fault", NULL),
                       &fault.kind) ||
          count < 1 || count > 1000 || status < 400 || status > 599 ||
          delay < 0 || delay > MAX_DELAY_MS || (fault.kind == PD_SIM_FAULT_ANSWER) != (body != NULL))
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               "fault must be status|timeout|reset|slow|malformed|answer, with "
                               "count 1-1000, status 400-599, delay_ms up to 120000, and a "
                               "body for answer only");
          return FALSE;
        }

      fault.status = (guint) status;
      fault.delay_ms = (guint) delay;
      fault.after_processing = json_object_get_boolean_member_with_default (request,
                                                                             "after_processing",
                                                                             FALSE);
      fault.remaining = (guint) count;
      fault.method = g_strdup (json_object_get_string_member_with_default (request, "method",
                                                                           NULL));
      fault.path = g_strdup (json_object_get_string_member_with_default (request, "path", NULL));
      fault.body = g_strdup (body);
      g_queue_push_tail (&faults->pending, g_memdup2 (&fault, sizeof fault));
    }

  return TRUE;
}

/* The first pending fault that applies to this request, if any. The copy returned borrows
 * nothing: method and path are not part of it, and its body is the caller's to free. */
PdSimFault
pd_sim_faults_next (PdSimFaults *faults,
                    const char  *method,
                    const char  *path)
{
  PdSimFault fault = { PD_SIM_FAULT_NONE };

  for (GList *link = faults->pending.head; link != NULL; link = link->next)
    {
      PdSimFault *candidate = link->data;

      /* The terminal asks /v1/health before its first request: a fault meant for "the next
       * request" is for that request, and hits the health check only when it names it. */
      if ((candidate->method != NULL && g_strcmp0 (candidate->method, method) != 0) ||
          (candidate->path != NULL && !g_str_has_prefix (path, candidate->path)) ||
          (candidate->path == NULL && g_str_equal (path, "/v1/health")))
        continue;

      fault = *candidate;
      fault.method = NULL;
      fault.path = NULL;
      fault.body = g_strdup (candidate->body);
      if (--candidate->remaining == 0)
        {
          g_queue_delete_link (&faults->pending, link);
          fault_free (candidate);
        }
      break;
    }

  return fault;
}

const char *
pd_sim_faults_decline_reason (PdSimFaults *faults,
                              const char  *account_number,
                              gint64       amount_cents)
{
  if (g_hash_table_contains (faults->decline_accounts, account_number))
    return "account_blocked";
  if (g_hash_table_contains (faults->decline_amounts, &amount_cents))
    return "insufficient_funds";
  if (amount_cents % 100 == DEFAULT_DECLINE_CENTS)
    return "insufficient_funds";
  return NULL;
}
