#pragma once

#include "pd-printer-profile.h"

G_BEGIN_DECLS

#define PD_PRINTER_ERROR (pd_printer_error_quark ())

typedef enum {
  PD_PRINTER_ERROR_FAILED,
  PD_PRINTER_ERROR_PAPER_OUT,
  PD_PRINTER_ERROR_COVER_OPEN,
  PD_PRINTER_ERROR_OFFLINE,   /* or an answer that was not a status at all */
  PD_PRINTER_ERROR_NO_PROFILE,
} PdPrinterError;

GQuark pd_printer_error_quark (void);

#define PD_TYPE_PRINTER (pd_printer_get_type ())

G_DECLARE_INTERFACE (PdPrinter, pd_printer, PD, PRINTER, GObject)

/* A receipt printer as the rest of Paydesk sees it: a USB ESC/POS printer, or the training
 * printer. Jobs are ESC/POS bytes built for the printer's profile. print and query_status
 * block: call them from a worker, or use pd_printer_print_async().
 *   dup_profile:        what the printer can do; NULL until it is known (a USB printer
 *                       that was never opened);
 *   print:              TRUE only once the printer took every byte and reports no fault;
 *                       otherwise PD_PRINTER_ERROR_PAPER_OUT, _COVER_OPEN, _OFFLINE... and
 *                       the job must be printed again from the start, marked as a reprint;
 *   get_bytes_accepted: how far the last job got (for the support log), from any thread;
 *   query_status:       health flags and a sentence for people. */
struct _PdPrinterInterface {
  GTypeInterface parent_iface;

  PdPrinterProfile *(*dup_profile)        (PdPrinter     *self);
  gboolean          (*print)              (PdPrinter     *self,
                                           GBytes        *job,
                                           GCancellable  *cancellable,
                                           GError       **error);
  gsize             (*get_bytes_accepted) (PdPrinter     *self);
  PdDeviceHealth    (*query_status)       (PdPrinter     *self,
                                           char         **detail,
                                           GCancellable  *cancellable,
                                           GError       **error);
};

PdPrinterProfile *pd_printer_dup_profile        (PdPrinter           *self);
gboolean          pd_printer_print              (PdPrinter           *self,
                                                 GBytes              *job,
                                                 GCancellable        *cancellable,
                                                 GError             **error);
gsize             pd_printer_get_bytes_accepted (PdPrinter           *self);
PdDeviceHealth    pd_printer_query_status       (PdPrinter           *self,
                                                 char               **detail,
                                                 GCancellable        *cancellable,
                                                 GError             **error);
void              pd_printer_print_async        (PdPrinter           *self,
                                                 GBytes              *job,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean          pd_printer_print_finish       (PdPrinter           *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

G_END_DECLS
