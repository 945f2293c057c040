#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PD_TYPE_MAIL_SIM_SERVER (pd_mail_sim_server_get_type ())

G_DECLARE_FINAL_TYPE (PdMailSimServer, pd_mail_sim_server, PD, MAIL_SIM_SERVER, GObject)

/* The training mail server: SMTP (RFC 5321, the part mail clients such as libcurl use) on
 * loopback, every message it takes kept in the Maildir at maildir (made if missing).
 * The set_ and add_ calls come before pd_mail_sim_server_listen(); the connections read
 * them from their threads without locks. */
PdMailSimServer *pd_mail_sim_server_new          (const char       *maildir,
                                                  GError          **error);

/* Offers STARTTLS with certificate (which has its private key); implicit_tls: TLS from the
 * first byte instead (SMTPS). */
void             pd_mail_sim_server_set_tls_certificate (PdMailSimServer *self,
                                                  GTlsCertificate  *certificate,
                                                  gboolean          implicit_tls);
/* Requires AUTH PLAIN or LOGIN with these before MAIL. Where there is TLS, AUTH is offered
 * and taken only over it. */
void             pd_mail_sim_server_set_credentials (PdMailSimServer *self,
                                                  const char       *user,
                                                  const char       *password);
/* RCPT TO an address at domain: refused for good (550 5.1.1), or for now (451 4.3.0). */
void             pd_mail_sim_server_add_rejected_domain (PdMailSimServer *self,
                                                  const char       *domain);
void             pd_mail_sim_server_add_deferred_domain (PdMailSimServer *self,
                                                  const char       *domain);
/* The first count connections are told 421 4.3.2 and closed. */
void             pd_mail_sim_server_set_unavailable_first (PdMailSimServer *self,
                                                  guint             count);
/* Advertised as SIZE; a bigger message is refused with 552 5.3.4. 0: no limit of its own. */
void             pd_mail_sim_server_set_max_size (PdMailSimServer *self,
                                                  guint64           bytes);

/* address is HOST:PORT, loopback only; a port of 0 picks a free one. */
gboolean         pd_mail_sim_server_listen       (PdMailSimServer  *self,
                                                  const char       *address,
                                                  GError          **error);
/* smtp://HOST:PORT, or smtps:// with implicit TLS. */
char            *pd_mail_sim_server_dup_url      (PdMailSimServer  *self);

/* Stops listening, ends every connection and waits until their threads let go of the
 * server. Finalizing the server does this too. */
void             pd_mail_sim_server_stop         (PdMailSimServer  *self);

G_END_DECLS
