#include <glib/gi18n-lib.h>

#include "pd-check-capture.h"
#include "pd-check-image.h"

G_DEFINE_QUARK (pd-check-scanner-error-quark, pd_check_scanner_error)

G_DEFINE_INTERFACE (PdCheckScanner, pd_check_scanner, G_TYPE_OBJECT)

/* Most readers on a counter read only the MICR line: saying so is the honest default. */
static gboolean
pd_check_scanner_real_capture_images (PdCheckScanner  *self,
                                      GBytes         **front_tiff,
                                      GBytes         **back_tiff,
                                      char           **no_images_reason,
                                      GCancellable    *cancellable,
                                      GError         **error)
{
  *front_tiff = NULL;
  *back_tiff = NULL;
  *no_images_reason = g_strdup (_("This check reader does not capture images of checks."));
  return TRUE;
}

static void
pd_check_scanner_default_init (PdCheckScannerInterface *iface)
{
  iface->capture_images = pd_check_scanner_real_capture_images;
}

/* Whole sentences, one per operation: a translator cannot build one from pieces. */
static gboolean
set_not_supported (GError    **error,
                   const char *sentence)
{
  g_set_error_literal (error, PD_CHECK_SCANNER_ERROR, PD_CHECK_SCANNER_ERROR_NOT_SUPPORTED,
                       sentence);
  return FALSE;
}

gboolean
pd_check_scanner_wait_for_check (PdCheckScanner  *self,
                                 guint            timeout_ms,
                                 GCancellable    *cancellable,
                                 GError         **error)
{
  PdCheckScannerInterface *iface;

  g_return_val_if_fail (PD_IS_CHECK_SCANNER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  iface = PD_CHECK_SCANNER_GET_IFACE (self);
  if (iface->wait_for_check == NULL)
    return set_not_supported (error, _("This check reader cannot tell whether a check is "
                                       "inserted."));
  return iface->wait_for_check (self, timeout_ms, cancellable, error);
}

PdMicrLine *
pd_check_scanner_read_micr (PdCheckScanner  *self,
                            GCancellable    *cancellable,
                            GError         **error)
{
  PdCheckScannerInterface *iface;

  g_return_val_if_fail (PD_IS_CHECK_SCANNER (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  iface = PD_CHECK_SCANNER_GET_IFACE (self);
  if (iface->read_micr == NULL)
    {
      set_not_supported (error, _("This check reader cannot read the MICR line."));
      return NULL;
    }
  return iface->read_micr (self, cancellable, error);
}

gboolean
pd_check_scanner_capture_images (PdCheckScanner  *self,
                                 GBytes         **front_tiff,
                                 GBytes         **back_tiff,
                                 char           **no_images_reason,
                                 GCancellable    *cancellable,
                                 GError         **error)
{
  g_autoptr(GBytes) front = NULL;
  g_autoptr(GBytes) back = NULL;
  g_autofree char *reason = NULL;

  g_return_val_if_fail (PD_IS_CHECK_SCANNER (self), FALSE);
  g_return_val_if_fail (front_tiff != NULL && back_tiff != NULL, FALSE);
  g_return_val_if_fail (no_images_reason != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!PD_CHECK_SCANNER_GET_IFACE (self)->capture_images (self, &front, &back, &reason,
                                                          cancellable, error))
    return FALSE;

  /* One side alone is no Check 21 item: treat it as no images, and say why. */
  if ((front == NULL) != (back == NULL) && reason == NULL)
    reason = g_strdup (_("The check reader imaged only one side of the check."));
  if (reason != NULL)
    {
      g_clear_pointer (&front, g_bytes_unref);
      g_clear_pointer (&back, g_bytes_unref);
    }

  *front_tiff = g_steal_pointer (&front);
  *back_tiff = g_steal_pointer (&back);
  *no_images_reason = g_steal_pointer (&reason);
  return TRUE;
}

gboolean
pd_check_scanner_eject (PdCheckScanner  *self,
                        GCancellable    *cancellable,
                        GError         **error)
{
  PdCheckScannerInterface *iface;

  g_return_val_if_fail (PD_IS_CHECK_SCANNER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  iface = PD_CHECK_SCANNER_GET_IFACE (self);
  if (iface->eject == NULL)
    return set_not_supported (error, _("This check reader cannot hand the check back."));
  return iface->eject (self, cancellable, error);
}

PdDeviceHealth
pd_check_scanner_query_status (PdCheckScanner  *self,
                               char           **detail,
                               GCancellable    *cancellable,
                               GError         **error)
{
  PdCheckScannerInterface *iface;

  g_return_val_if_fail (PD_IS_CHECK_SCANNER (self), PD_DEVICE_HEALTH_ERROR);
  g_return_val_if_fail (error == NULL || *error == NULL, PD_DEVICE_HEALTH_ERROR);

  iface = PD_CHECK_SCANNER_GET_IFACE (self);
  if (iface->query_status == NULL)
    return PD_DEVICE_HEALTH_PRESENT | PD_DEVICE_HEALTH_READY;
  return iface->query_status (self, detail, cancellable, error);
}

void
pd_check_capture_free (PdCheckCapture *capture)
{
  if (capture == NULL)
    return;
  g_clear_pointer (&capture->micr, pd_micr_line_free);
  g_clear_pointer (&capture->problems, g_ptr_array_unref);
  g_clear_pointer (&capture->front_tiff, g_bytes_unref);
  g_clear_pointer (&capture->back_tiff, g_bytes_unref);
  g_free (capture->images_missing_reason);
  g_free (capture);
}

/* Usable for a payment as far as the MICR line goes; business checks and missing images are
 * the payment core's to weigh, so they do not count here. */
gboolean
pd_check_capture_is_usable (const PdCheckCapture *capture)
{
  g_return_val_if_fail (capture != NULL, FALSE);

  return capture->micr != NULL && pd_micr_line_is_usable (capture->micr);
}

static void
note_micr_problems (PdCheckCapture *capture)
{
  guint n_problems = 0;
  const PdMicrProblem *problems = pd_micr_line_get_problems (capture->micr, &n_problems);
  PdMicrLineFlags line_flags = pd_micr_line_get_flags (capture->micr);

  if (line_flags & PD_MICR_LINE_TORN)
    capture->flags |= PD_CHECK_CAPTURE_TORN;
  if (line_flags & PD_MICR_LINE_BUSINESS)
    {
      capture->flags |= PD_CHECK_CAPTURE_BUSINESS;
      g_ptr_array_add (capture->problems,
                       g_strdup (_("A business check (auxiliary on-us field): it cannot be "
                                   "converted to an electronic debit.")));
    }

  for (guint i = 0; i < n_problems; i++)
    {
      if (problems[i].kind == PD_MICR_PROBLEM_BAD_CHECK_DIGIT &&
          problems[i].field == PD_MICR_FIELD_ROUTING)
        capture->flags |= PD_CHECK_CAPTURE_BAD_CHECK_DIGIT;
      g_ptr_array_add (capture->problems, pd_micr_problem_describe (&problems[i]));
    }
}

/* Whatever the scanner is, its images get the same checks: blank, too dark, not a check's
 * size or resolution. The payment core decides what to do with a poor image; the associate
 * sees why. */
static void
note_image_problems (PdCheckCapture *capture,
                     PdCheckSide     side,
                     GBytes         *tiff)
{
  g_autoptr(PdCheckImage) image = NULL;
  g_autoptr(GError) error = NULL;
  PdCheckImageProblems problems;

  if (tiff == NULL)
    return;

  image = pd_check_image_new_from_tiff (side, tiff, &error);
  if (image == NULL)
    {
      capture->flags |= PD_CHECK_CAPTURE_IMAGE_PROBLEMS;
      g_ptr_array_add (capture->problems, g_strdup (error->message));
      return;
    }

  problems = pd_check_image_assess (image);
  if (problems != PD_CHECK_IMAGE_PROBLEMS_NONE)
    {
      capture->flags |= PD_CHECK_CAPTURE_IMAGE_PROBLEMS;
      g_ptr_array_add (capture->problems, pd_check_image_describe_problems (side, problems));
    }
}

PdCheckCapture *
pd_check_scanner_capture (PdCheckScanner  *self,
                          GCancellable    *cancellable,
                          GError         **error)
{
  g_autoptr(PdCheckCapture) capture = NULL;
  g_autoptr(GError) eject_error = NULL;

  g_return_val_if_fail (PD_IS_CHECK_SCANNER (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  capture = g_new0 (PdCheckCapture, 1);
  capture->problems = g_ptr_array_new_with_free_func (g_free);

  capture->micr = pd_check_scanner_read_micr (self, cancellable, error);
  if (capture->micr == NULL)
    return NULL;
  note_micr_problems (capture);

  if (!pd_check_scanner_capture_images (self, &capture->front_tiff, &capture->back_tiff,
                                        &capture->images_missing_reason, cancellable, error))
    {
      /* Never leave the member's check in the slot: hand it back whatever happened. */
      pd_check_scanner_eject (self, NULL, NULL);
      return NULL;
    }
  if (capture->images_missing_reason != NULL)
    {
      capture->flags |= PD_CHECK_CAPTURE_IMAGES_MISSING;
      g_ptr_array_add (capture->problems, g_strdup (capture->images_missing_reason));
    }
  else
    {
      note_image_problems (capture, PD_CHECK_SIDE_FRONT, capture->front_tiff);
      note_image_problems (capture, PD_CHECK_SIDE_BACK, capture->back_tiff);
    }

  /* The line is read: a check stuck in the reader is for the associate, not a lost read. */
  if (!pd_check_scanner_eject (self, NULL, &eject_error))
    g_ptr_array_add (capture->problems, g_strdup (eject_error->message));

  return g_steal_pointer (&capture);
}
