#pragma once

#include <gio/gio.h>

#include "pd-config.h"

G_BEGIN_DECLS

#define PD_SMTP_ERROR (pd_smtp_error_quark ())

typedef enum {
  PD_SMTP_ERROR_NOT_SET_UP,      /* no [email] server, or its password cannot be read */
  PD_SMTP_ERROR_UNAVAILABLE,     /* not reached, timed out, or busy (4xx): try again later */
  PD_SMTP_ERROR_TLS,             /* no STARTTLS, or a certificate this terminal does not trust */
  PD_SMTP_ERROR_AUTHENTICATION,  /* the user name or password was refused */
  PD_SMTP_ERROR_REJECTED,        /* refused for good (5xx): sending again will not help */
} PdSmtpError;

#define PD_TYPE_SMTP_CLIENT (pd_smtp_client_get_type ())

G_DECLARE_FINAL_TYPE (PdSmtpClient, pd_smtp_client, PD, SMTP_CLIENT, GObject)

GQuark        pd_smtp_error_quark     (void);

/* The terminal's mail server from [email]: smtps:// is TLS from the first byte, smtp://
 * must offer STARTTLS or nothing is sent. Fails with PD_SMTP_ERROR_NOT_SET_UP. */
PdSmtpClient *pd_smtp_client_new      (PdConfig      *config,
                                       GError       **error);

/* Hands one message (RFC 5322, CRLF lines) to the server for one recipient, blocking: call
 * it from a worker thread. smtp_code: the server's last reply code, 0 when it said none. */
gboolean      pd_smtp_client_send     (PdSmtpClient  *self,
                                       const char    *recipient,
                                       GBytes        *message,
                                       int           *smtp_code,
                                       GCancellable  *cancellable,
                                       GError       **error);

const char   *pd_smtp_client_get_from (PdSmtpClient  *self);

G_END_DECLS
