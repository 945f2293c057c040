#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PD_SEAL_ERROR (pd_seal_error_quark ())

typedef enum {
  PD_SEAL_ERROR_BAD_KEY,
  PD_SEAL_ERROR_FAILED,
} PdSealError;

#define PD_SEAL_PUBLIC_KEY_BYTES 32

GQuark    pd_seal_error_quark       (void);
gboolean  pd_seal_public_key_is_valid (const char  *public_key_base64);
char     *pd_seal                   (const char  *public_key_base64,
                                     const char  *plaintext,
                                     GError     **error);

G_END_DECLS
