#include <string.h>

#include <glib/gi18n-lib.h>
#include <sodium.h>

#include "pd-seal.h"

G_DEFINE_QUARK (pd-seal-error-quark, pd_seal_error)

static gboolean
decode_public_key (const char *public_key_base64,
                   guint8      key[PD_SEAL_PUBLIC_KEY_BYTES])
{
  gsize length = 0;

  if (public_key_base64 == NULL ||
      sodium_base642bin (key, PD_SEAL_PUBLIC_KEY_BYTES, public_key_base64,
                         strlen (public_key_base64), NULL, &length, NULL,
                         sodium_base64_VARIANT_ORIGINAL) != 0)
    return FALSE;

  return length == PD_SEAL_PUBLIC_KEY_BYTES;
}

gboolean
pd_seal_public_key_is_valid (const char *public_key_base64)
{
  guint8 key[PD_SEAL_PUBLIC_KEY_BYTES];

  return decode_public_key (public_key_base64, key);
}

/* A sealed box to the payment core: only the holder of the core's private key can open it,
 * not even this terminal. Returns base64. */
char *
pd_seal (const char  *public_key_base64,
         const char  *plaintext,
         GError     **error)
{
  guint8 key[PD_SEAL_PUBLIC_KEY_BYTES];
  gsize plain_length;
  g_autofree guint8 *sealed = NULL;
  gsize sealed_length;
  gsize encoded_length;
  char *encoded;

  g_return_val_if_fail (plaintext != NULL, NULL);

  if (sodium_init () < 0)
    {
      g_set_error_literal (error, PD_SEAL_ERROR, PD_SEAL_ERROR_FAILED,
                           _("The encryption library could not start."));
      return NULL;
    }

  if (!decode_public_key (public_key_base64, key))
    {
      g_set_error_literal (error, PD_SEAL_ERROR, PD_SEAL_ERROR_BAD_KEY,
                           _("The payment core's public key is missing or invalid; check "
                             "[core] public-key."));
      return NULL;
    }

  plain_length = strlen (plaintext);
  sealed_length = plain_length + crypto_box_SEALBYTES;
  sealed = g_malloc (sealed_length);
  if (crypto_box_seal (sealed, (const guint8 *) plaintext, plain_length, key) != 0)
    {
      g_set_error_literal (error, PD_SEAL_ERROR, PD_SEAL_ERROR_FAILED,
                           _("Could not encrypt the account details."));
      return NULL;
    }

  encoded_length = sodium_base64_ENCODED_LEN (sealed_length, sodium_base64_VARIANT_ORIGINAL);
  encoded = g_malloc (encoded_length);
  sodium_bin2base64 (encoded, encoded_length, sealed, sealed_length,
                     sodium_base64_VARIANT_ORIGINAL);
  return encoded;
}
