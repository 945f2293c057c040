#include <string.h>

#include <sodium.h>

#include "pd-sim-sealing.h"

struct _PdSimSealing {
  guint8 public_key[crypto_box_PUBLICKEYBYTES];
  guint8 secret_key[crypto_box_SECRETKEYBYTES];
};

PdSimSealing *
pd_sim_sealing_new_from_base64 (const char  *secret_key,
                                GError     **error)
{
  g_autoptr(PdSimSealing) sealing = NULL;
  g_autofree char *trimmed = g_strstrip (g_strdup (secret_key));
  gsize length = 0;

  if (sodium_init () < 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "libsodium did not start");
      return NULL;
    }

  sealing = sodium_malloc (sizeof (PdSimSealing));
  if (sealing == NULL ||
      sodium_base642bin (sealing->secret_key, sizeof sealing->secret_key, trimmed,
                         strlen (trimmed), NULL, &length, NULL,
                         sodium_base64_VARIANT_ORIGINAL) != 0 ||
      length != sizeof sealing->secret_key)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "the sealing key must be a 32-byte X25519 secret key in base64");
      return NULL;
    }

  crypto_scalarmult_base (sealing->public_key, sealing->secret_key);
  return g_steal_pointer (&sealing);
}

void
pd_sim_sealing_free (PdSimSealing *sealing)
{
  if (sealing != NULL)
    sodium_free (sealing);
}

/* Returns the plaintext, or NULL when the block was not sealed to this core or was
 * tampered with. The caller wipes and frees it. */
char *
pd_sim_sealing_open (PdSimSealing  *sealing,
                     const char    *sealed_base64,
                     GError       **error)
{
  gsize encoded_length = strlen (sealed_base64);
  g_autofree guint8 *sealed = g_malloc (encoded_length);
  gsize sealed_length = 0;
  char *plain;

  if (sodium_base642bin (sealed, encoded_length, sealed_base64, encoded_length, NULL,
                         &sealed_length, NULL, sodium_base64_VARIANT_ORIGINAL) != 0 ||
      sealed_length < crypto_box_SEALBYTES)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "sealed is not base64");
      return NULL;
    }

  plain = g_malloc0 (sealed_length - crypto_box_SEALBYTES + 1);
  if (crypto_box_seal_open ((guint8 *) plain, sealed, sealed_length, sealing->public_key,
                            sealing->secret_key) != 0)
    {
      g_free (plain);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "sealed was not sealed to this core, or was altered");
      return NULL;
    }

  return plain;
}
