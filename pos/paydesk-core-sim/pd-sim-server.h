#pragma once

#include <libsoup/soup.h>

#include "pd-sim-ledger.h"

G_BEGIN_DECLS

#define PD_TYPE_SIM_SERVER (pd_sim_server_get_type ())

G_DECLARE_FINAL_TYPE (PdSimServer, pd_sim_server, PD, SIM_SERVER, GObject)

PdSimServer *pd_sim_server_new          (PdSimLedger  *ledger,
                                         const char   *token,
                                         const char   *sealing_secret_key,
                                         GTlsCertificate *tls_certificate,
                                         GError      **error);
gboolean     pd_sim_server_set_issuer_master_key (PdSimServer *self,
                                         const char   *hex,
                                         GError      **error);
gboolean     pd_sim_server_require_client_certificates (PdSimServer *self,
                                         const char   *ca_file,
                                         GError      **error);
gboolean     pd_sim_server_listen       (PdSimServer  *self,
                                         const char   *address,
                                         GError      **error);
char        *pd_sim_server_dup_base_url (PdSimServer  *self);

G_END_DECLS
