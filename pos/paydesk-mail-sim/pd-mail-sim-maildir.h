#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PD_TYPE_MAIL_SIM_MAILDIR (pd_mail_sim_maildir_get_type ())

G_DECLARE_FINAL_TYPE (PdMailSimMaildir, pd_mail_sim_maildir, PD, MAIL_SIM_MAILDIR, GObject)

/* The training mail server's mailbox: a Maildir (tmp/, new/, cur/) at path, made if
 * missing. Deliveries may come from several threads at once. */
PdMailSimMaildir *pd_mail_sim_maildir_new     (const char          *path,
                                               GError             **error);

/* Keeps one message in new/ as <unique>.eml: the envelope as two X-Paydesk-Envelope-*
 * header lines, then message byte for byte. from and each recipient are written as given
 * (with their angle brackets). unique: the name, sortable by arrival. */
gboolean          pd_mail_sim_maildir_deliver (PdMailSimMaildir    *self,
                                               const char          *from,
                                               const char * const  *recipients,
                                               const guint8        *message,
                                               gsize                length,
                                               char               **unique,
                                               GError             **error);

const char       *pd_mail_sim_maildir_get_path (PdMailSimMaildir   *self);

G_END_DECLS
