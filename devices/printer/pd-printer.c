#include "config.h"

#include "pd-printer.h"

G_DEFINE_QUARK (pd-printer-error-quark, pd_printer_error)

G_DEFINE_INTERFACE (PdPrinter, pd_printer, G_TYPE_OBJECT)

static void
pd_printer_default_init (PdPrinterInterface *iface)
{
}

PdPrinterProfile *
pd_printer_dup_profile (PdPrinter *self)
{
  g_return_val_if_fail (PD_IS_PRINTER (self), NULL);

  return PD_PRINTER_GET_IFACE (self)->dup_profile (self);
}

gboolean
pd_printer_print (PdPrinter     *self,
                  GBytes        *job,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_return_val_if_fail (PD_IS_PRINTER (self), FALSE);
  g_return_val_if_fail (job != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return PD_PRINTER_GET_IFACE (self)->print (self, job, cancellable, error);
}

gsize
pd_printer_get_bytes_accepted (PdPrinter *self)
{
  g_return_val_if_fail (PD_IS_PRINTER (self), 0);

  return PD_PRINTER_GET_IFACE (self)->get_bytes_accepted (self);
}

PdDeviceHealth
pd_printer_query_status (PdPrinter     *self,
                         char         **detail,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_return_val_if_fail (PD_IS_PRINTER (self), PD_DEVICE_HEALTH_ABSENT);
  g_return_val_if_fail (detail != NULL && *detail == NULL, PD_DEVICE_HEALTH_ABSENT);

  return PD_PRINTER_GET_IFACE (self)->query_status (self, detail, cancellable, error);
}

static void
print_in_thread (GTask        *task,
                 gpointer      source,
                 gpointer      data,
                 GCancellable *cancellable)
{
  GError *error = NULL;

  if (pd_printer_print (source, data, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
pd_printer_print_async (PdPrinter           *self,
                        GBytes              *job,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PD_IS_PRINTER (self));
  g_return_if_fail (job != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pd_printer_print_async);
  g_task_set_task_data (task, g_bytes_ref (job), (GDestroyNotify) g_bytes_unref);
  g_task_run_in_thread (task, print_in_thread);
}

gboolean
pd_printer_print_finish (PdPrinter     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (PD_IS_PRINTER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
