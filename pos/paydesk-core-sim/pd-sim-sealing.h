#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The training core's private sealing key: it opens what terminals sealed to it. */
typedef struct _PdSimSealing PdSimSealing;

PdSimSealing *pd_sim_sealing_new_from_base64 (const char    *secret_key,
                                              GError       **error);
void          pd_sim_sealing_free            (PdSimSealing  *sealing);
char         *pd_sim_sealing_open            (PdSimSealing  *sealing,
                                              const char    *sealed_base64,
                                              GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdSimSealing, pd_sim_sealing_free)

G_END_DECLS
