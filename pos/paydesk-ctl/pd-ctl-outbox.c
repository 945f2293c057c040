#include <glib/gi18n.h>

#include "pd-ctl.h"

/* What waits for the core: queued checks and bank payments, and those a crash left in
 * AUTHORIZING. Oldest first. */
static GPtrArray *
list_waiting (PdJournal  *journal,
              GError    **error)
{
  g_autoptr(GPtrArray) waiting = g_ptr_array_new_with_free_func (g_object_unref);
  static const PdPaymentState states[] = { PD_PAYMENT_STATE_AUTHORIZING, PD_PAYMENT_STATE_QUEUED };

  for (gsize s = 0; s < G_N_ELEMENTS (states); s++)
    {
      g_autoptr(GPtrArray) found = pd_journal_list_payments_in_state (journal, states[s], error);

      if (found == NULL)
        return NULL;
      for (guint i = 0; i < found->len; i++)
        if (pd_payment_get_tender (g_ptr_array_index (found, i)) != PD_TENDER_CARD)
          g_ptr_array_add (waiting, g_object_ref (g_ptr_array_index (found, i)));
    }

  return g_steal_pointer (&waiting);
}

static void
print_waiting (PdCtl      *ctl,
               PdConfig   *config,
               GPtrArray  *waiting)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GTimeSpan max_age = (GTimeSpan) pd_config_get_outbox_max_age_hours (config) * G_TIME_SPAN_HOUR;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  PdCents total = 0;
  guint overdue = 0;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "payments");
  json_builder_begin_array (builder);

  for (guint i = 0; i < waiting->len; i++)
    {
      PdPayment *payment = g_ptr_array_index (waiting, i);
      GTimeSpan age = g_date_time_difference (now, pd_payment_get_created_at (payment));
      gboolean is_overdue = age > max_age;
      g_autofree char *amount = pd_money_format (pd_payment_get_amount (payment), NULL);

      total += pd_payment_get_amount (payment);
      overdue += is_overdue;
      pd_ctl_add_payment_json (builder, payment);

      if (!ctl->options.json)
        g_print ("%-22s  %-12s  %12s  %-5s  %-11s  %3" G_GINT64_FORMAT " h%s\n",
                 pd_payment_get_client_ref (payment), pd_payment_get_account_number (payment),
                 amount, pd_tender_to_id (pd_payment_get_tender (payment)),
                 pd_payment_state_to_id (pd_payment_get_state (payment)),
                 (gint64) (age / G_TIME_SPAN_HOUR), is_overdue ? _("  OVERDUE: call support") : "");
    }

  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "total_cents");
  json_builder_add_int_value (builder, total);
  json_builder_set_member_name (builder, "max_total_cents");
  json_builder_add_int_value (builder, pd_config_get_outbox_max_total (config));
  json_builder_set_member_name (builder, "overdue");
  json_builder_add_int_value (builder, overdue);
  json_builder_end_object (builder);

  if (ctl->options.json)
    pd_ctl_print_json (builder);
  else
    {
      g_autofree char *total_text = pd_money_format (total, NULL);
      g_autofree char *limit_text = pd_money_format (pd_config_get_outbox_max_total (config),
                                                     NULL);

      g_print (ngettext ("%u payment waiting, %s of at most %s.\n",
                         "%u payments waiting, %s of at most %s.\n", waiting->len),
               waiting->len, total_text, limit_text);
    }
}

PdCtlExit
pd_ctl_outbox_list (PdCtl   *ctl,
                    int      argc,
                    char   **argv,
                    GError **error)
{
  g_autoptr(GOptionContext) context = pd_ctl_option_context_new (ctl, NULL);
  g_autoptr(PdConfig) config = NULL;
  g_autoptr(PdJournal) journal = NULL;
  g_autoptr(GPtrArray) waiting = NULL;

  if (!g_option_context_parse (context, &argc, &argv, error) ||
      !(config = pd_ctl_load_config (ctl, error)) ||
      !(journal = pd_ctl_open_journal (ctl, config, error)) ||
      !(waiting = list_waiting (journal, error)))
    return PD_CTL_EXIT_ERROR;

  print_waiting (ctl, config, waiting);
  return PD_CTL_EXIT_OK;
}

PdCtlExit
pd_ctl_outbox_drain (PdCtl   *ctl,
                     int      argc,
                     char   **argv,
                     GError **error)
{
  g_autoptr(GOptionContext) context = pd_ctl_option_context_new (ctl, NULL);
  g_autoptr(PdConfig) config = NULL;
  g_autoptr(PdJournal) journal = NULL;
  g_autoptr(PdPaymentService) service = NULL;
  g_autoptr(GPtrArray) waiting = NULL;
  g_autoptr(GError) drain_error = NULL;
  guint delivered;
  guint elsewhere = 0;

  if (!g_option_context_parse (context, &argc, &argv, error) ||
      !(config = pd_ctl_load_config (ctl, error)) ||
      !(journal = pd_ctl_open_journal (ctl, config, error)) ||
      !(service = pd_ctl_open_service (ctl, config, error)))
    return PD_CTL_EXIT_ERROR;

  delivered = pd_payment_service_drain_outbox (service, NULL, &drain_error);
  {
    g_autofree char *detail = g_strdup_printf ("%u sent%s%s", delivered,
                                               drain_error != NULL ? ": " : "",
                                               drain_error != NULL ? drain_error->message : "");

    pd_ctl_audit (config, journal, PD_AUDIT_OUTBOX_RETRY, NULL, NULL, detail);
  }
  waiting = list_waiting (journal, error);
  if (waiting == NULL)
    return PD_CTL_EXIT_ERROR;

  /* Another drain (the kiosk's, another associate's) may be sending some of them now. */
  for (guint i = 0; i < waiting->len; i++)
    {
      g_autoptr(GError) claim_error = NULL;

      if (pd_journal_payment_is_claimed (journal,
                                         pd_payment_get_id (g_ptr_array_index (waiting, i)),
                                         &claim_error))
        elsewhere++;
      else if (claim_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&claim_error));
          return PD_CTL_EXIT_ERROR;
        }
    }

  if (!ctl->options.json)
    {
      g_print (ngettext ("Sent %u payment.\n", "Sent %u payments.\n", delivered), delivered);
      if (elsewhere > 0)
        g_print (ngettext ("%u payment is being sent by another drain on this terminal.\n",
                           "%u payments are being sent by another drain on this terminal.\n",
                           elsewhere), elsewhere);
    }
  print_waiting (ctl, config, waiting);

  if (drain_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&drain_error));
      return PD_CTL_EXIT_ERROR;
    }

  return waiting->len == elsewhere ? PD_CTL_EXIT_OK : PD_CTL_EXIT_DECLINED;
}
