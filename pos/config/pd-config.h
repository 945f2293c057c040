#pragma once

#include <glib-object.h>

#include "pd-money.h"

G_BEGIN_DECLS

#define PD_CONFIG_ERROR (pd_config_error_quark ())

typedef enum {
  PD_CONFIG_ERROR_READ,
  PD_CONFIG_ERROR_SYNTAX,
  PD_CONFIG_ERROR_UNKNOWN_KEY,
  PD_CONFIG_ERROR_DUPLICATE_KEY,
  PD_CONFIG_ERROR_INVALID_VALUE,
  PD_CONFIG_ERROR_MISSING_KEY,
} PdConfigError;

typedef enum {
  PD_TERMINAL_MODE_KIOSK,
  PD_TERMINAL_MODE_COUNTER,
} PdTerminalMode;

/* At most this many [card] accepted-aids. */
#define PD_CONFIG_MAX_ACCEPTED_AIDS 16

#define PD_CONFIG_ENV "PAYDESK_CONFIG"
#define PD_CONFIG_SYSTEM_PATH PAYDESK_SYSCONFDIR "/paydesk/paydesk.conf"

#define PD_TYPE_CONFIG (pd_config_get_type ())

G_DECLARE_FINAL_TYPE (PdConfig, pd_config, PD, CONFIG, GObject)

GQuark              pd_config_error_quark             (void);

PdConfig           *pd_config_new_training            (void);
PdConfig           *pd_config_load_file               (const char  *path,
                                                       GError     **error);
PdConfig           *pd_config_load                    (const char  *explicit_path,
                                                       GError     **error);

const char         *pd_config_get_source              (PdConfig    *self);
gboolean            pd_config_get_training            (PdConfig    *self);
PdTerminalMode      pd_config_get_mode                (PdConfig    *self);
const char         *pd_config_get_center_id           (PdConfig    *self);
/* NULL when the file names none; show the center ID then. */
const char         *pd_config_get_center_name         (PdConfig    *self);
/* What the receipt says of the center (NULL when not configured). */
const char * const *pd_config_get_center_address      (PdConfig    *self);
const char         *pd_config_get_center_phone        (PdConfig    *self);
const char         *pd_config_get_center_hours        (PdConfig    *self);
const char         *pd_config_get_member_services_phone (PdConfig  *self);
const char         *pd_config_get_terminal_id         (PdConfig    *self);
const char         *pd_config_get_core_url            (PdConfig    *self);
const char         *pd_config_get_core_token_file     (PdConfig    *self);
const char         *pd_config_get_core_client_certificate (PdConfig *self);
const char         *pd_config_get_core_client_key     (PdConfig    *self);
const char         *pd_config_get_core_ca_file        (PdConfig    *self);
/* sha256//BASE64 pins of the core's TLS public key (";" between them), or NULL. */
const char         *pd_config_get_core_pinned_keys    (PdConfig    *self);
const char         *pd_config_get_core_public_key     (PdConfig    *self);
guint               pd_config_get_core_timeout_seconds (PdConfig   *self);
/* Reaching the core and agreeing TLS with it; never longer than the whole timeout. */
guint               pd_config_get_core_connect_timeout_seconds (PdConfig *self);
/* NULL: use any reader. */
/* [email]: where emailed receipts go out. No server: receipts are not emailed. */
const char         *pd_config_get_email_server        (PdConfig    *self);
const char         *pd_config_get_email_username      (PdConfig    *self);
const char         *pd_config_get_email_password_file (PdConfig    *self);
const char         *pd_config_get_email_from          (PdConfig    *self);
const char         *pd_config_get_email_from_name     (PdConfig    *self);
const char         *pd_config_get_email_ca_file       (PdConfig    *self);
guint               pd_config_get_email_timeout_seconds (PdConfig  *self);
/* A receipt the mail server would not take for this long is given up on. */
guint               pd_config_get_email_give_up_hours (PdConfig    *self);
const char * const *pd_config_get_card_readers        (PdConfig    *self);
const char         *pd_config_get_printer             (PdConfig    *self);
const char         *pd_config_get_check_scanner       (PdConfig    *self);
/* [devices] barcode-scanner: the coupon scanner (auto, none, training, usb:VVVV:PPPP). */
const char         *pd_config_get_barcode_scanner     (PdConfig    *self);
guint               pd_config_get_idle_seconds        (PdConfig    *self);
guint               pd_config_get_card_seconds        (PdConfig    *self);
/* A counter left alone this long locks: the associate signs in again to go on. */
guint               pd_config_get_counter_lock_seconds (PdConfig   *self);
/* How long an associate stays locked out after too many wrong PINs. */
guint               pd_config_get_lockout_seconds     (PdConfig    *self);
PdCents             pd_config_get_outbox_max_payment  (PdConfig    *self);
/* The most one payment may be, whatever the tender ([terminal] max-payment). */
PdCents             pd_config_get_max_payment         (PdConfig    *self);
/* Whether a member may pay more than an account's balance (FALSE by default: a kiosk takes
 * no more than is owed). */
gboolean            pd_config_get_allow_overpayment   (PdConfig    *self);
PdCents             pd_config_get_outbox_max_total    (PdConfig    *self);
guint               pd_config_get_outbox_max_age_hours (PdConfig   *self);
const char * const *pd_config_get_languages           (PdConfig    *self);
const char         *pd_config_get_default_language    (PdConfig    *self);
const char         *pd_config_get_data_dir            (PdConfig    *self);
int                 pd_config_get_business_day_cutoff (PdConfig    *self);
char               *pd_config_dup_journal_path        (PdConfig    *self);

/* [card]: the EMV terminal's parameters. AIDs are upper-case hex, in the order the terminal
 * tries them; every one belongs to a scheme the EMV kernel knows. */
const char * const *pd_config_get_accepted_aids       (PdConfig    *self);
PdCents             pd_config_get_contactless_limit   (PdConfig    *self);
gboolean            pd_config_get_prefer_common_debit (PdConfig    *self);
/* 9F35. */
guint8              pd_config_get_terminal_type       (PdConfig    *self);
/* 9F33: 3 bytes. */
const guint8       *pd_config_get_terminal_capabilities (PdConfig  *self);
/* 9F40: 5 bytes. */
const guint8       *pd_config_get_additional_capabilities (PdConfig *self);
/* Terminal action codes: 5 bytes each. */
const guint8       *pd_config_get_tac_denial          (PdConfig    *self);
const guint8       *pd_config_get_tac_online          (PdConfig    *self);
const guint8       *pd_config_get_tac_default         (PdConfig    *self);
/* ISO 3166 and ISO 4217 numeric codes, as numbers (840). */
guint               pd_config_get_country_code        (PdConfig    *self);
guint               pd_config_get_currency_code       (PdConfig    *self);

gboolean            pd_config_override_core_url       (PdConfig    *self,
                                                       const char  *url,
                                                       GError     **error);
void                pd_config_override_data_dir       (PdConfig    *self,
                                                       const char  *data_dir);

const char         *pd_terminal_mode_to_id            (PdTerminalMode mode);

G_END_DECLS
