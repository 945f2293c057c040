#pragma once

#include <json-glib/json-glib.h>

#include "pd-config.h"
#include "pd-journal.h"
#include "pd-json.h"
#include "pd-payment-service.h"
#include "pd-peripherals.h"
#include "pd-staff.h"

G_BEGIN_DECLS

/* Exit codes every subcommand keeps: scripts at the counter depend on them. */
typedef enum {
  PD_CTL_EXIT_OK = 0,
  PD_CTL_EXIT_DECLINED = 1,
  PD_CTL_EXIT_ERROR = 2,
} PdCtlExit;

typedef struct {
  char *config_path;
  char *data_dir;
  char *core_url;
  gboolean json;
} PdCtlOptions;

typedef struct _PdCtl PdCtl;

typedef PdCtlExit (*PdCtlCommandFunc) (PdCtl   *ctl,
                                       int      argc,
                                       char   **argv,
                                       GError **error);

typedef struct {
  const char *name;
  const char *parameters;
  const char *summary;
  PdCtlCommandFunc run;
} PdCtlCommand;

struct _PdCtl {
  PdCtlOptions options;
  const PdCtlCommand *command;
};

GOptionContext *pd_ctl_option_context_new (PdCtl              *ctl,
                                           const GOptionEntry *entries);
PdConfig       *pd_ctl_load_config        (PdCtl              *ctl,
                                           GError            **error);
PdJournal      *pd_ctl_open_journal       (PdCtl              *ctl,
                                           PdConfig           *config,
                                           GError            **error);
/* A bank account number, a date of birth, a member ID, an email address: "-" reads it from
 * standard input, the only way a production terminal takes it (a command line is seen by
 * every user of the machine and kept in shell histories). */
gboolean        pd_ctl_take_sensitive     (PdCtl              *ctl,
                                           const char         *option,
                                           char              **value,
                                           GError            **error);
void            pd_ctl_print_json         (JsonBuilder        *builder);
gboolean        pd_ctl_parse_date         (const char         *text,
                                           GDate              *date,
                                           GError            **error);
void            pd_ctl_add_payment_json   (JsonBuilder        *builder,
                                           PdPayment          *payment);
void            pd_ctl_audit              (PdConfig           *config,
                                           PdJournal          *journal,
                                           PdAuditKind         kind,
                                           const char         *associate_id,
                                           const char         *payment_id,
                                           const char         *detail);
PdPaymentService *pd_ctl_open_service     (PdCtl              *ctl,
                                           PdConfig           *config,
                                           GError            **error);
void            pd_ctl_print_payment      (PdCtl              *ctl,
                                           PdPayment          *payment);
PdCtlExit       pd_ctl_exit_for_payment   (PdPayment          *payment);

typedef struct {
  const char *reader;
  const char *application;
  PdPaymentParties parties;
  const char *log_path;
  int wait_seconds;
} PdCtlCardOptions;

PdCtlExit pd_ctl_pay_card       (PdCtl *ctl, PdConfig *config, PdPaymentService *service,
                                 PdAccount *account, PdInvoice *invoice, PdCents amount,
                                 const PdCtlCardOptions *options, GError **error);
PdPeripherals *pd_ctl_start_peripherals (PdConfig *config, GError **error);
PdPrinter *pd_ctl_open_printer  (PdConfig *config, PdPeripherals **peripherals,
                                 PdPrinterProfile **profile, GError **error);
PdCtlExit pd_ctl_pay_check      (PdCtl *ctl, PdConfig *config, PdPaymentService *service,
                                 PdAccount *account, PdInvoice *invoice, PdCents amount,
                                 const PdPaymentParties *parties, int wait_seconds,
                                 PdSignature *signature, GError **error);
/* signature NULL: nothing to record. FALSE, saying the payment stands, when the journal
 * did not take it. */
gboolean  pd_ctl_record_signature (PdPaymentService *service, PdPayment *payment,
                                 PdSignature *signature, GError **error);
PdCtlExit pd_ctl_devices        (PdCtl *ctl, int argc, char **argv, GError **error);
PdCtlExit pd_ctl_printer_test   (PdCtl *ctl, int argc, char **argv, GError **error);
PdCtlExit pd_ctl_training_coupons (PdCtl *ctl, int argc, char **argv, GError **error);
PdCtlExit pd_ctl_config_check   (PdCtl *ctl, int argc, char **argv, GError **error);
PdCtlExit pd_ctl_journal_verify (PdCtl *ctl, int argc, char **argv, GError **error);
PdCtlExit pd_ctl_associate_add (PdCtl *ctl, int argc, char **argv, GError **error);
PdCtlExit pd_ctl_associate_list (PdCtl *ctl, int argc, char **argv, GError **error);
PdCtlExit pd_ctl_associate_disable (PdCtl *ctl, int argc, char **argv, GError **error);
PdCtlExit pd_ctl_associate_enable (PdCtl *ctl, int argc, char **argv, GError **error);
PdCtlExit pd_ctl_associate_unlock (PdCtl *ctl, int argc, char **argv, GError **error);
PdCtlExit pd_ctl_associate_set_pin (PdCtl *ctl, int argc, char **argv, GError **error);
PdCtlExit pd_ctl_audit_list (PdCtl *ctl, int argc, char **argv, GError **error);
PdCtlExit pd_ctl_journal_list   (PdCtl *ctl, int argc, char **argv, GError **error);
PdCtlExit pd_ctl_lookup         (PdCtl *ctl, int argc, char **argv, GError **error);
PdCtlExit pd_ctl_pay            (PdCtl *ctl, int argc, char **argv, GError **error);
PdCtlExit pd_ctl_void           (PdCtl *ctl, int argc, char **argv, GError **error);
PdCtlExit pd_ctl_refund         (PdCtl *ctl, int argc, char **argv, GError **error);
PdCtlExit pd_ctl_outbox_list    (PdCtl *ctl, int argc, char **argv, GError **error);
PdCtlExit pd_ctl_outbox_drain   (PdCtl *ctl, int argc, char **argv, GError **error);
PdCtlExit pd_ctl_report         (PdCtl *ctl, int argc, char **argv, GError **error);
PdCtlExit pd_ctl_receipt        (PdCtl *ctl, int argc, char **argv, GError **error);
PdCtlExit pd_ctl_receipt_email  (PdCtl *ctl, PdConfig *config, PdJournal *journal,
                                 const char *payment, const char *address,
                                 const char *language, GError **error);
PdCtlExit pd_ctl_email_list     (PdCtl *ctl, int argc, char **argv, GError **error);
PdCtlExit pd_ctl_email_send     (PdCtl *ctl, int argc, char **argv, GError **error);

G_END_DECLS
