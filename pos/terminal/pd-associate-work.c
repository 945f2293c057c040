#include <glib/gi18n-lib.h>
#include <string.h>

#include "pd-associate-work.h"
#include "pd-business-date.h"
#include "pd-receipt-print.h"

static gboolean
matches (PdJournal  *journal,
         PdPayment  *payment,
         const char *query)
{
  g_autofree char *amount = NULL;
  g_autofree char *name = NULL;
  g_autofree char *folded_query = NULL;
  g_autofree char *folded_name = NULL;
  const char *fields[3];

  if (query == NULL || *query == '\0')
    return TRUE;
  folded_query = g_utf8_casefold (query, -1);
  fields[0] = pd_payment_get_client_ref (payment);
  fields[1] = pd_payment_get_confirmation (payment);
  fields[2] = pd_payment_get_tender_last4 (payment);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (fields[i] != NULL)
      {
        g_autofree char *folded = g_utf8_casefold (fields[i], -1);

        if (strstr (folded, folded_query) != NULL)
          return TRUE;
      }
  amount = pd_money_format (pd_payment_get_amount (payment), NULL);
  if (strstr (amount, query) != NULL)
    return TRUE;
  name = pd_journal_get_fact (journal, pd_payment_get_id (payment),
                              PD_PAYMENT_FACT_MEMBER_NAME, NULL);
  if (name == NULL)
    return FALSE;
  folded_name = g_utf8_casefold (name, -1);
  return strstr (folded_name, folded_query) != NULL;
}

GPtrArray *
pd_associate_work_find_payments (PdTerminal   *terminal,
                                 const GDate  *business_date,
                                 const char   *query,
                                 GError      **error)
{
  PdJournal *journal;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);
  GDate today;

  g_return_val_if_fail (PD_IS_TERMINAL (terminal), NULL);

  journal = pd_terminal_get_journal (terminal);
  if (business_date == NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();

      pd_business_date_for (now, pd_config_get_business_day_cutoff (
                                   pd_terminal_get_config (terminal)), &today);
      business_date = &today;
    }
  if (!(all = pd_journal_list_payments (journal, business_date, error)))
    return NULL;
  /* The journal lists them oldest first: the counter looks for the last one first. */
  for (guint i = all->len; i > 0; i--)
    {
      PdPayment *payment = g_ptr_array_index (all, i - 1);

      if (matches (journal, payment, query))
        g_ptr_array_add (found, g_object_ref (payment));
    }
  return g_steal_pointer (&found);
}

static PdPermission
undo_permission (PdUndoKind kind)
{
  return kind == PD_UNDO_VOID ? PD_PERMISSION_VOID : PD_PERMISSION_REFUND;
}

PdPayment *
pd_associate_work_undo (PdTerminal         *terminal,
                        const PdAssociate  *associate,
                        const char         *payment_id,
                        PdUndoKind          kind,
                        PdUndoReason        reason,
                        const char         *note,
                        const char         *supervisor_id,
                        const char         *supervisor_pin,
                        GCancellable       *cancellable,
                        GError            **error)
{
  PdStaff *staff;
  PdPaymentService *service;
  g_autoptr(PdAssociate) approver = NULL;
  g_autoptr(PdPayment) payment = NULL;
  g_autoptr(PdPayment) undone = NULL;
  g_autoptr(GError) undo_error = NULL;
  g_autoptr(GError) audit_error = NULL;
  g_autofree char *why = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *approval = NULL;
  PdPermission permission = undo_permission (kind);

  g_return_val_if_fail (PD_IS_TERMINAL (terminal), NULL);
  g_return_val_if_fail (associate != NULL && payment_id != NULL, NULL);

  staff = pd_terminal_get_staff (terminal);
  service = pd_terminal_get_payment_service (terminal);
  if (!(why = pd_undo_reason_compose (reason, note, error)))
    return NULL;
  if (!(payment = pd_journal_get_payment (pd_terminal_get_journal (terminal), payment_id, error)))
    return NULL;

  /* The supervisor first: nothing reaches the core unless the one who may allow it did. */
  if (pd_role_may (associate->role, permission) != PD_ALLOWED)
    {
      if (supervisor_id == NULL || supervisor_pin == NULL)
        {
          pd_staff_check_permission (staff, associate, permission, error);
          return NULL;
        }
      approval = g_strdup_printf ("%s %s", kind == PD_UNDO_VOID ? "void" : "refund",
                                  pd_payment_get_client_ref (payment));
      if (!(approver = pd_staff_approve (staff, associate, permission, supervisor_id,
                                         supervisor_pin, approval, error)))
        return NULL;
    }

  undone = (kind == PD_UNDO_VOID ? pd_payment_service_void : pd_payment_service_refund) (
    service, payment_id, associate->id, why, cancellable, &undo_error);
  detail = g_strdup_printf ("%s %s: %s", pd_payment_get_client_ref (payment),
                            undone != NULL ? pd_payment_state_to_id (pd_payment_get_state (undone))
                                           : "not done", why);
  /* Done or not, it is in the audit log; the money's truth comes first if the log fails. */
  if (!pd_staff_record (staff, kind == PD_UNDO_VOID ? PD_AUDIT_VOID : PD_AUDIT_REFUND,
                        associate->id, approver != NULL ? approver->id : NULL, payment_id,
                        detail, &audit_error))
    g_warning ("the audit log did not take “%s”: %s", detail, audit_error->message);
  if (undone == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&undo_error));
      return NULL;
    }
  return g_steal_pointer (&undone);
}

gboolean
pd_associate_work_reprint (PdTerminal         *terminal,
                           const PdAssociate  *associate,
                           const char         *payment_id,
                           GCancellable       *cancellable,
                           GError            **error)
{
  PdPeripherals *peripherals;
  g_autoptr(PdPrinter) printer = NULL;

  g_return_val_if_fail (PD_IS_TERMINAL (terminal), FALSE);
  g_return_val_if_fail (associate != NULL && payment_id != NULL, FALSE);

  if (!pd_staff_check_permission (pd_terminal_get_staff (terminal), associate,
                                  PD_PERMISSION_REPRINT, error))
    return FALSE;
  peripherals = pd_terminal_get_peripherals (terminal);
  if (peripherals == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("This terminal has no receipt printer: %s"),
                   pd_terminal_get_peripherals_error (terminal) != NULL
                     ? pd_terminal_get_peripherals_error (terminal)->message
                     : _("none is configured."));
      return FALSE;
    }
  if (!(printer = pd_peripherals_dup_printer (peripherals, error)) ||
      !pd_receipt_print (pd_terminal_get_journal (terminal), pd_terminal_get_config (terminal),
                         printer, payment_id, NULL, cancellable, error))
    return FALSE;
  return pd_staff_record (pd_terminal_get_staff (terminal), PD_AUDIT_REPRINT, associate->id,
                          NULL, payment_id, NULL, error);
}

gboolean
pd_associate_work_email_again (PdTerminal         *terminal,
                               const PdAssociate  *associate,
                               const char         *payment_id,
                               const char         *address,
                               GError            **error)
{
  PdReceiptMailer *mailer;

  g_return_val_if_fail (PD_IS_TERMINAL (terminal), FALSE);
  g_return_val_if_fail (associate != NULL && payment_id != NULL, FALSE);

  if (!pd_staff_check_permission (pd_terminal_get_staff (terminal), associate,
                                  PD_PERMISSION_REPRINT, error))
    return FALSE;
  mailer = pd_terminal_get_receipt_mailer (terminal);
  if (mailer == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("This terminal does not email receipts: its configuration names no mail "
                     "server."));
      return FALSE;
    }
  if (pd_receipt_mailer_queue (mailer, payment_id, address, NULL, error) == 0)
    return FALSE;
  /* The address is the member's: not in the audit log. */
  return pd_staff_record (pd_terminal_get_staff (terminal), PD_AUDIT_EMAIL_RESEND,
                          associate->id, NULL, payment_id, NULL, error);
}

void
pd_outbox_entry_free (PdOutboxEntry *entry)
{
  if (entry == NULL)
    return;
  g_clear_object (&entry->payment);
  g_free (entry->last_error);
  g_free (entry);
}

GPtrArray *
pd_associate_work_list_outbox (PdTerminal  *terminal,
                               GError     **error)
{
  PdJournal *journal;
  g_autoptr(GPtrArray) queued = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_outbox_entry_free);

  g_return_val_if_fail (PD_IS_TERMINAL (terminal), NULL);

  journal = pd_terminal_get_journal (terminal);
  if (!(queued = pd_journal_list_payments_in_state (journal, PD_PAYMENT_STATE_QUEUED, error)))
    return NULL;
  for (guint i = 0; i < queued->len; i++)
    {
      PdPayment *payment = g_ptr_array_index (queued, i);
      g_autoptr(GPtrArray) events = pd_journal_list_events (journal, pd_payment_get_id (payment),
                                                            error);
      PdOutboxEntry *entry;

      if (events == NULL)
        return NULL;
      entry = g_new0 (PdOutboxEntry, 1);
      entry->payment = g_object_ref (payment);
      for (guint j = events->len; j > 0 && entry->last_error == NULL; j--)
        {
          PdJournalEvent *event = g_ptr_array_index (events, j - 1);

          entry->last_error = g_strdup (event->reason);
        }
      g_ptr_array_add (entries, entry);
    }
  return g_steal_pointer (&entries);
}

guint
pd_associate_work_send_outbox (PdTerminal         *terminal,
                               const PdAssociate  *associate,
                               GCancellable       *cancellable,
                               GError            **error)
{
  g_autoptr(GError) drain_error = NULL;
  g_autofree char *detail = NULL;
  guint sent;

  g_return_val_if_fail (PD_IS_TERMINAL (terminal), 0);
  g_return_val_if_fail (associate != NULL, 0);

  if (!pd_staff_check_permission (pd_terminal_get_staff (terminal), associate,
                                  PD_PERMISSION_OUTBOX, error))
    return 0;
  sent = pd_payment_service_drain_outbox (pd_terminal_get_payment_service (terminal),
                                          cancellable, &drain_error);
  detail = g_strdup_printf ("%u sent%s%s", sent, drain_error != NULL ? ": " : "",
                            drain_error != NULL ? drain_error->message : "");
  if (!pd_staff_record (pd_terminal_get_staff (terminal), PD_AUDIT_OUTBOX_RETRY, associate->id,
                        NULL, NULL, detail, error))
    return sent;
  if (drain_error != NULL)
    g_propagate_error (error, g_steal_pointer (&drain_error));
  return sent;
}
