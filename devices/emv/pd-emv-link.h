#pragma once

#include "pd-card-channel.h"

G_BEGIN_DECLS

/* The kernel's side of the card channel: commands by name, status words, and the session's
 * transaction log for support, in which no sensitive value ever appears. */
typedef struct _PdEmvLink PdEmvLink;

#define PD_SW_OK 0x9000

PdEmvLink  *pd_emv_link_new          (PdCardChannel  *channel);
void        pd_emv_link_free         (PdEmvLink      *link);

/* Sends one command. Le is sent (as 00) when expect_data; the response data (without the
 * status word) is returned with the status word in sw. */
GBytes     *pd_emv_link_exchange     (PdEmvLink      *link,
                                      const char     *name,
                                      guint8          cla,
                                      guint8          ins,
                                      guint8          p1,
                                      guint8          p2,
                                      const guint8   *data,
                                      gsize           length,
                                      gboolean        expect_data,
                                      guint16        *sw,
                                      GError        **error);
void        pd_emv_link_note         (PdEmvLink      *link,
                                      const char     *format,
                                      ...) G_GNUC_PRINTF (2, 3);
const char *pd_emv_link_get_log      (PdEmvLink      *link);
guint       pd_emv_link_get_commands (PdEmvLink      *link);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdEmvLink, pd_emv_link_free)

G_END_DECLS
