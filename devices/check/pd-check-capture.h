#pragma once

#include <gio/gio.h>

#include "pd-device-manager.h"
#include "pd-micr.h"

G_BEGIN_DECLS

#define PD_CHECK_SCANNER_ERROR (pd_check_scanner_error_quark ())

typedef enum {
  /* Nothing in the slot: the member or associate is asked to insert the check. */
  PD_CHECK_SCANNER_ERROR_NO_CHECK,
  /* A check was there but the reader gave up on it (and usually handed it back). */
  PD_CHECK_SCANNER_ERROR_READ_FAILED,
  /* The reader answered something this driver does not understand. */
  PD_CHECK_SCANNER_ERROR_BAD_REPLY,
  PD_CHECK_SCANNER_ERROR_NOT_SUPPORTED,
} PdCheckScannerError;

GQuark pd_check_scanner_error_quark (void);

#define PD_TYPE_CHECK_SCANNER (pd_check_scanner_get_type ())

G_DECLARE_INTERFACE (PdCheckScanner, pd_check_scanner, PD, CHECK_SCANNER, GObject)

/* A device that takes a paper check: waits for it, reads its MICR line, images its sides
 * when it can, and hands it back. Every vfunc blocks: call them from a worker thread.
 *   wait_for_check: returns once a check is in the slot, or NO_CHECK after timeout_ms;
 *   read_micr:      the line as read, parsed; problems in the line are in the PdMicrLine,
 *                   not errors;
 *   capture_images: TRUE with both sides as Check 21 TIFF, or TRUE with both NULL and a
 *                   reason for people when this scanner has no imager (the default);
 *   eject:          gives the check back;
 *   query_status:   as PdUsbDriver's, health flags and a sentence for people. */
struct _PdCheckScannerInterface {
  GTypeInterface parent_iface;

  gboolean        (*wait_for_check) (PdCheckScanner  *self,
                                     guint            timeout_ms,
                                     GCancellable    *cancellable,
                                     GError         **error);
  PdMicrLine     *(*read_micr)      (PdCheckScanner  *self,
                                     GCancellable    *cancellable,
                                     GError         **error);
  gboolean        (*capture_images) (PdCheckScanner  *self,
                                     GBytes         **front_tiff,
                                     GBytes         **back_tiff,
                                     char           **no_images_reason,
                                     GCancellable    *cancellable,
                                     GError         **error);
  gboolean        (*eject)          (PdCheckScanner  *self,
                                     GCancellable    *cancellable,
                                     GError         **error);
  PdDeviceHealth  (*query_status)   (PdCheckScanner  *self,
                                     char           **detail,
                                     GCancellable    *cancellable,
                                     GError         **error);
};

typedef enum {
  PD_CHECK_CAPTURE_FLAGS_NONE = 0,
  /* A routing, account or serial character was not read: never to be guessed. */
  PD_CHECK_CAPTURE_TORN            = 1 << 0,
  /* The routing number is complete but its check digit is wrong. */
  PD_CHECK_CAPTURE_BAD_CHECK_DIGIT = 1 << 1,
  /* An auxiliary on-us field: NACHA lets no merchant convert it to ACH, Check 21 only. */
  PD_CHECK_CAPTURE_BUSINESS        = 1 << 2,
  /* No front and back images: see images_missing_reason. The payment core decides. */
  PD_CHECK_CAPTURE_IMAGES_MISSING  = 1 << 3,
  /* An image failed the quality checks (blank, too dark, wrong size or resolution), or could
   * not be read back; the problems say which side and why. */
  PD_CHECK_CAPTURE_IMAGE_PROBLEMS  = 1 << 4,
} PdCheckCaptureFlags;

/* What one pass of a check through a scanner gave. Problems are sentences for people and
 * never hold the account number; log pd_micr_line_describe (micr), not the line. */
typedef struct {
  PdMicrLine          *micr;
  PdCheckCaptureFlags  flags;
  GPtrArray           *problems;
  GBytes              *front_tiff;
  GBytes              *back_tiff;
  char                *images_missing_reason;
} PdCheckCapture;

void            pd_check_capture_free          (PdCheckCapture  *capture);
gboolean        pd_check_capture_is_usable     (const PdCheckCapture *capture);

gboolean        pd_check_scanner_wait_for_check (PdCheckScanner  *self,
                                                 guint            timeout_ms,
                                                 GCancellable    *cancellable,
                                                 GError         **error);
PdMicrLine     *pd_check_scanner_read_micr      (PdCheckScanner  *self,
                                                 GCancellable    *cancellable,
                                                 GError         **error);
gboolean        pd_check_scanner_capture_images (PdCheckScanner  *self,
                                                 GBytes         **front_tiff,
                                                 GBytes         **back_tiff,
                                                 char           **no_images_reason,
                                                 GCancellable    *cancellable,
                                                 GError         **error);
gboolean        pd_check_scanner_eject          (PdCheckScanner  *self,
                                                 GCancellable    *cancellable,
                                                 GError         **error);
PdDeviceHealth  pd_check_scanner_query_status   (PdCheckScanner  *self,
                                                 char           **detail,
                                                 GCancellable    *cancellable,
                                                 GError         **error);

/* The check in the slot read, imaged if the scanner can, and handed back: NULL with an error
 * only when the device failed or there was no check; a line read with problems is a capture
 * with those problems. */
PdCheckCapture *pd_check_scanner_capture        (PdCheckScanner  *self,
                                                 GCancellable    *cancellable,
                                                 GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdCheckCapture, pd_check_capture_free)

G_END_DECLS
