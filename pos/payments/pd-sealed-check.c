#include "config.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>

#include "pd-check-capture.h"
#include "pd-payment.h"
#include "pd-seal.h"
#include "pd-sealed-check.h"

struct _PdSealedCheck {
  PdCheckTender tender;
  char *routing_number;
  char *serial;
  char *aux_on_us;
  char *account_last4;
  char *images_missing_reason;
  char *sealed;
};

/* A GString holding the account number: wiped when freed. Sized once up front, so that it
 * never leaves an unwiped copy behind when it grows. */
typedef GString WipedString;

static void
wiped_string_free (WipedString *text)
{
  sodium_memzero (text->str, text->allocated_len);
  g_string_free (text, TRUE);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WipedString, wiped_string_free)

static gsize
base64_length (GBytes *bytes)
{
  return bytes != NULL ? (g_bytes_get_size (bytes) / 3 + 1) * 4 + 4 : 0;
}

/* The line in E-13B symbols, field by field as the layout has them: what the core keeps for
 * the image exchange record and the ACH entry. */
static void
append_micr (GString          *out,
             const PdMicrLine *micr)
{
  const char *aux_on_us = pd_micr_line_get_aux_on_us (micr);
  const char *serial = pd_micr_line_get_serial (micr);
  char epc = pd_micr_line_get_epc (micr);
  gint64 amount = pd_micr_line_get_amount_cents (micr);

  /* Appended piece by piece: printf would leave the account number in a temporary buffer
   * that nobody wipes. */
  if (aux_on_us != NULL && *aux_on_us != '\0')
    {
      g_string_append (out, "\u2448");
      g_string_append (out, aux_on_us);
      g_string_append (out, "\u2448 ");
    }
  if (epc != '\0')
    g_string_append_c (out, epc);
  g_string_append (out, "\u2446");
  g_string_append (out, pd_micr_line_get_routing_number (micr));
  g_string_append (out, "\u2446 ");
  g_string_append (out, pd_micr_line_get_account_number (micr));
  g_string_append (out, "\u2448");
  if (serial != NULL && *serial != '\0' && (aux_on_us == NULL || *aux_on_us == '\0'))
    g_string_append (out, serial);
  if (amount > 0)
    g_string_append_printf (out, " \u2447%010" G_GINT64_FORMAT "\u2447", amount);
}

static void
append_image (GString    *out,
              const char *name,
              GBytes     *tiff)
{
  gsize length = 0;
  const guint8 *data = g_bytes_get_data (tiff, &length);
  g_autofree char *base64 = g_base64_encode (data, length);

  g_string_append (out, ",\"");
  g_string_append (out, name);
  g_string_append (out, "\":\"");
  g_string_append (out, base64);
  g_string_append_c (out, '"');
  sodium_memzero (base64, strlen (base64));
}

static char *
describe_problems (const PdCheckCapture *capture)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; capture->problems != NULL && i < capture->problems->len; i++)
    {
      if (text->len > 0)
        g_string_append_c (text, ' ');
      g_string_append (text, g_ptr_array_index (capture->problems, i));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

PdSealedCheck *
pd_sealed_check_new (const PdCheckCapture  *capture,
                     const char            *core_public_key,
                     GError               **error)
{
  g_autoptr(PdSealedCheck) self = NULL;
  g_autoptr(WipedString) plaintext = NULL;
  const char *account_number;
  const char *serial;
  const char *aux_on_us;
  gsize account_length;

  g_return_val_if_fail (capture != NULL, NULL);
  g_return_val_if_fail (core_public_key != NULL, NULL);

  if (!pd_check_capture_is_usable (capture) ||
      (capture->flags & (PD_CHECK_CAPTURE_TORN | PD_CHECK_CAPTURE_BAD_CHECK_DIGIT)))
    {
      g_autofree char *problems = describe_problems (capture);

      g_set_error (error, PD_PAYMENT_ERROR, PD_PAYMENT_ERROR_INVALID_TENDER_DETAILS,
                   /* TRANSLATORS: %s is what the reader found wrong with the MICR line. */
                   _("The check could not be read well enough to pay with: %s Nothing was "
                     "charged. Hand the check back; try it again, or another way to pay."),
                   problems);
      return NULL;
    }

  account_number = pd_micr_line_get_account_number (capture->micr);
  account_length = strlen (account_number);
  serial = pd_micr_line_get_serial (capture->micr);
  aux_on_us = pd_micr_line_get_aux_on_us (capture->micr);

  self = g_new0 (PdSealedCheck, 1);
  self->routing_number = g_strdup (pd_micr_line_get_routing_number (capture->micr));
  self->serial = serial != NULL && *serial != '\0' ? g_strdup (serial) : NULL;
  self->aux_on_us = aux_on_us != NULL && *aux_on_us != '\0' ? g_strdup (aux_on_us) : NULL;
  self->account_last4 = g_strdup (account_number + account_length - MIN (account_length, 4));
  self->images_missing_reason = g_strdup (capture->images_missing_reason);

  plaintext = g_string_sized_new (1024 + base64_length (capture->front_tiff) +
                                  base64_length (capture->back_tiff));
  g_string_append (plaintext, "{\"account_number\":\"");
  g_string_append (plaintext, account_number);
  g_string_append (plaintext, "\",\"micr\":\"");
  append_micr (plaintext, capture->micr);
  g_string_append_c (plaintext, '"');
  if (capture->front_tiff != NULL && capture->back_tiff != NULL)
    {
      append_image (plaintext, "front_tiff", capture->front_tiff);
      append_image (plaintext, "back_tiff", capture->back_tiff);
    }
  g_string_append_c (plaintext, '}');

  self->sealed = pd_seal (core_public_key, plaintext->str, error);
  if (self->sealed == NULL)
    return NULL;

  self->tender = (PdCheckTender) {
    .routing_number = self->routing_number,
    .serial = self->serial,
    .aux_on_us = self->aux_on_us,
    .account_last4 = self->account_last4,
    .has_images = capture->front_tiff != NULL && capture->back_tiff != NULL,
    .images_missing_reason = self->images_missing_reason,
    .sealed = self->sealed,
  };
  return g_steal_pointer (&self);
}

void
pd_sealed_check_free (PdSealedCheck *self)
{
  if (self == NULL)
    return;

  g_free (self->routing_number);
  g_free (self->serial);
  g_free (self->aux_on_us);
  g_free (self->account_last4);
  g_free (self->images_missing_reason);
  g_free (self->sealed);
  g_free (self);
}

const PdCheckTender *
pd_sealed_check_get_tender (PdSealedCheck *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return &self->tender;
}
