#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A request to the payment core as it is journaled before the first send, and sent again
 * byte for byte under the same key until the core answers. */
typedef struct {
  const char *method;
  const char *path;
  const char *idempotency_key;
  const char *body;
} PdCoreRequest;

G_END_DECLS
