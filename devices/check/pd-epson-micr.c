#include <string.h>

#include <glib/gi18n-lib.h>

#include "pd-epson-micr.h"

/* The command set and replies below follow Epson's "TM-H5000II series Specification
 * (STANDARD)", section 6.6 (MICR control commands) and appendix E, as published on public
 * manual sites. The TM-H6000 family documents the same commands; its own specification was
 * not at hand, so anything beyond the TM-H5000II text is marked UNVERIFIED.
 *
 * FS a 0 reply, normal end:   5F, status, the characters read, 00
 *                  abnormal:  5F, status, 00
 * status: bits 0-1 the font (0 E-13B, 1 CMC-7), bit 4 always on, bit 5 on when reading did
 * not end normally, bit 6 always on, bit 7 always off. A character the printer could not
 * identify is sent as '?'. The printer sends the whole reply at once, at most 67 bytes.
 * FS b sends the last reply again, in the same form.
 *
 * DLE EOT BS 1 answers one byte, the MICR status: bits 1 and 4 always on, bits 0 and 7
 * always off; bit 3 waiting for a check, bit 5 top-of-form sensor sees no paper, bit 6
 * bottom-of-form sensor sees no paper. DLE EOT 2 (offline cause) has the same fixed bits:
 * bit 2 cover open, bit 5 stopped at paper end, bit 6 error. */

#define FS  0x1c
#define DLE 0x10
#define EOT 0x04
#define BS  0x08

#define MICR_REPLY_HEADER       0x5f
#define MICR_STATUS_FIXED_MASK  0xd0
#define MICR_STATUS_FIXED_BITS  0x50
#define MICR_STATUS_ABNORMAL    0x20
#define MICR_STATUS_FONT_MASK   0x03
#define MICR_FONT_E13B          0x00
/* 67 bytes in the specification; the rest is room for a model that pads. */
#define MICR_REPLY_MAX_BYTES    128

#define REALTIME_FIXED_MASK     0x93
#define REALTIME_FIXED_BITS     0x12
#define SENSOR_WAITING_FOR_CHECK 0x08
#define SENSOR_TOP_NO_PAPER     0x20
#define SENSOR_BOTTOM_NO_PAPER  0x40
#define OFFLINE_COVER_OPEN      0x04
#define OFFLINE_PAPER_END_STOP  0x20
#define OFFLINE_ERROR           0x40

/* Real-time status answers come within milliseconds; a second covers a busy printer. */
#define STATUS_TIMEOUT_MS       1000
#define COMMAND_TIMEOUT_MS      2000
#define CHECK_POLL_INTERVAL_MS  100

#define USB_CLASS_PRINTER       0x07
#define USB_CLASS_VENDOR        0xff
#define EPSON_VENDOR_ID         0x04b8
/* UNVERIFIED: 0202 is the product id Epson TM printers commonly present (TM-T88 and, by
 * reports, TM-H6000IV/V); confirm with lsusb on the kiosk's printer. Register this driver
 * before raw-printer: both take a printer-class interface. */
#define EPSON_TM_PRODUCT_ID     0x0202

struct _PdEpsonMicr {
  PdUsbDriver parent_instance;

  /* A command and its reply are one exchange: a status asked for in the middle of a MICR
   * reply is ignored by the printer and would steal the reply's bytes. */
  GMutex exchange_lock;
  const PdMicrAlphabet *alphabet;
  guint read_timeout_ms;
};

static void pd_epson_micr_scanner_init (PdCheckScannerInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PdEpsonMicr, pd_epson_micr, PD_TYPE_USB_DRIVER,
                               G_IMPLEMENT_INTERFACE (PD_TYPE_CHECK_SCANNER,
                                                      pd_epson_micr_scanner_init))

static const PdUsbIdEntry epson_micr_ids[] = {
  {
    .match = PD_USB_MATCH_VENDOR_PRODUCT | PD_USB_MATCH_INTERFACE_CLASS,
    .vendor_id = EPSON_VENDOR_ID,
    .product_id = EPSON_TM_PRODUCT_ID,
    .interface_class = USB_CLASS_VENDOR,
  },
  {
    .match = PD_USB_MATCH_VENDOR_PRODUCT | PD_USB_MATCH_INTERFACE_CLASS,
    .vendor_id = EPSON_VENDOR_ID,
    .product_id = EPSON_TM_PRODUCT_ID,
    .interface_class = USB_CLASS_PRINTER,
  },
  { 0 },
};

static gboolean
send_locked (PdEpsonMicr   *self,
             const guint8  *command,
             gsize          length,
             GCancellable  *cancellable,
             GError       **error)
{
  /* Held for the transfers: a replug may replace the driver's device meanwhile. */
  g_autoptr(PdUsbDevice) device = pd_usb_driver_dup_device (PD_USB_DRIVER (self));

  /* An answer that came after its read timed out must not pass for the next one's. */
  return pd_usb_device_drain (device, NULL, cancellable, error) &&
         pd_usb_device_write (device, command, length, COMMAND_TIMEOUT_MS, cancellable, error);
}

static gboolean
set_bad_reply (GError    **error,
               const char *what)
{
  g_set_error (error, PD_CHECK_SCANNER_ERROR, PD_CHECK_SCANNER_ERROR_BAD_REPLY,
               _("The check reader's answer could not be understood (%s)."), what);
  return FALSE;
}

/* DLE EOT n and DLE EOT BS 1: one byte whose fixed bits tell it from a MICR reply. */
static gboolean
ask_realtime_status_locked (PdEpsonMicr   *self,
                            const guint8  *command,
                            gsize          length,
                            guint8        *status,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_autoptr(PdUsbDevice) device = pd_usb_driver_dup_device (PD_USB_DRIVER (self));
  g_autoptr(GBytes) reply = NULL;
  const guint8 *bytes;
  gsize reply_length = 0;

  if (!send_locked (self, command, length, cancellable, error))
    return FALSE;
  reply = pd_usb_device_read (device, 64, STATUS_TIMEOUT_MS, cancellable, error);
  if (reply == NULL)
    return FALSE;

  bytes = g_bytes_get_data (reply, &reply_length);
  if (reply_length != 1 || (bytes[0] & REALTIME_FIXED_MASK) != REALTIME_FIXED_BITS)
    return set_bad_reply (error, _("not a status byte"));
  *status = bytes[0];
  return TRUE;
}

static gboolean
ask_sensors_locked (PdEpsonMicr   *self,
                    guint8        *sensors,
                    GCancellable  *cancellable,
                    GError       **error)
{
  static const guint8 micr_status[] = { DLE, EOT, BS, 1 };

  return ask_realtime_status_locked (self, micr_status, sizeof micr_status, sensors,
                                     cancellable, error);
}

static gboolean
check_is_in_slot (guint8 sensors)
{
  return (sensors & (SENSOR_TOP_NO_PAPER | SENSOR_BOTTOM_NO_PAPER)) !=
         (SENSOR_TOP_NO_PAPER | SENSOR_BOTTOM_NO_PAPER);
}

static void
set_no_check (GError **error)
{
  g_set_error_literal (error, PD_CHECK_SCANNER_ERROR, PD_CHECK_SCANNER_ERROR_NO_CHECK,
                       _("There is no check in the reader. Insert the check into the check "
                         "slot of the receipt printer, then try again."));
}

/* A reply holds the account number: zero it before its memory goes, on every path. */
static void
wipe_reply (GByteArray *reply)
{
  if (reply->len > 0)
    memset (reply->data, 0, reply->len);
  g_byte_array_unref (reply);
}

typedef GByteArray WipedReply;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WipedReply, wipe_reply)

/* Reads until the NUL that ends a MICR reply: USB may split it into several packets. Sized
 * once, so that growing leaves no copy behind. */
static GByteArray *
read_micr_reply_locked (PdEpsonMicr   *self,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(PdUsbDevice) device = pd_usb_driver_dup_device (PD_USB_DRIVER (self));
  g_autoptr(WipedReply) reply = g_byte_array_sized_new (MICR_REPLY_MAX_BYTES + 128);
  gint64 deadline = g_get_monotonic_time () + (gint64) self->read_timeout_ms * 1000;

  while (reply->len < 2 || memchr (reply->data + 2, 0, reply->len - 2) == NULL)
    {
      gint64 remaining_ms = (deadline - g_get_monotonic_time ()) / 1000;
      g_autoptr(GBytes) chunk = NULL;
      gsize chunk_length = 0;
      const guint8 *chunk_bytes;

      if (remaining_ms <= 0)
        {
          g_set_error_literal (error, PD_USB_ERROR, PD_USB_ERROR_TIMEOUT,
                               _("The check reader did not finish reading the check in time."));
          return NULL;
        }
      chunk = pd_usb_device_read (device, 64, (guint) remaining_ms, cancellable, error);
      if (chunk == NULL)
        return NULL;
      chunk_bytes = g_bytes_get_data (chunk, &chunk_length);
      g_byte_array_append (reply, chunk_bytes, (guint) chunk_length);
      if (reply->len > MICR_REPLY_MAX_BYTES)
        {
          set_bad_reply (error, _("too long for a MICR line"));
          return NULL;
        }
    }
  return g_steal_pointer (&reply);
}

/* The reply as described at the top; an abnormal end is READ_FAILED for the caller to
 * explain. The reply holds the account number: it is wiped by the caller. */
static PdMicrLine *
parse_micr_reply (const guint8          *reply,
                  gsize                  length,
                  const PdMicrAlphabet  *alphabet,
                  GError               **error)
{
  const guint8 *end;
  guint8 status;
  g_autoptr(GError) parse_error = NULL;
  PdMicrLine *line;

  if (length < 3 || reply[0] != MICR_REPLY_HEADER)
    {
      set_bad_reply (error, _("it is not a MICR reading"));
      return NULL;
    }
  status = reply[1];
  if ((status & MICR_STATUS_FIXED_MASK) != MICR_STATUS_FIXED_BITS)
    {
      set_bad_reply (error, _("unknown reading status"));
      return NULL;
    }
  end = memchr (reply + 2, 0, length - 2);
  if (end == NULL || end != reply + length - 1)
    {
      set_bad_reply (error, _("bytes after the end of the reading"));
      return NULL;
    }
  if (status & MICR_STATUS_ABNORMAL)
    {
      g_set_error_literal (error, PD_CHECK_SCANNER_ERROR, PD_CHECK_SCANNER_ERROR_READ_FAILED,
                           _("The check could not be read. Take it out of the reader, insert "
                             "it again, then try again."));
      return NULL;
    }
  if ((status & MICR_STATUS_FONT_MASK) != MICR_FONT_E13B)
    {
      g_set_error_literal (error, PD_CHECK_SCANNER_ERROR, PD_CHECK_SCANNER_ERROR_NOT_SUPPORTED,
                           _("The check reader read CMC-7 characters; only E-13B checks are "
                             "accepted."));
      return NULL;
    }

  line = pd_micr_line_parse ((const char *) reply + 2, end - (reply + 2), alphabet,
                             &parse_error);
  if (line == NULL)
    set_bad_reply (error, parse_error->message);
  return line;
}

static PdMicrLine *
exchange_micr_locked (PdEpsonMicr   *self,
                      const guint8  *command,
                      gsize          length,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(WipedReply) reply = NULL;

  if (!send_locked (self, command, length, cancellable, error))
    return NULL;
  reply = read_micr_reply_locked (self, cancellable, error);
  if (reply == NULL)
    return NULL;
  return parse_micr_reply (reply->data, reply->len, self->alphabet, error);
}

/* FS a 0 n with n = 0: E-13B, and on an abnormal end the printer ejects the check. Only the
 * font bits of n were confirmed in a public source; the other bits are left at 0
 * (UNVERIFIED). The check must already be in the slot: the sensors are asked first so that
 * "no check" is told apart from "could not read". */
static PdMicrLine *
pd_epson_micr_read_micr (PdCheckScanner  *scanner,
                         GCancellable    *cancellable,
                         GError         **error)
{
  PdEpsonMicr *self = PD_EPSON_MICR (scanner);
  static const guint8 read_micr[] = { FS, 'a', '0', 0x00 };
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->exchange_lock);
  guint8 sensors = 0;

  if (!ask_sensors_locked (self, &sensors, cancellable, error))
    return NULL;
  if (!check_is_in_slot (sensors))
    {
      set_no_check (error);
      return NULL;
    }
  return exchange_micr_locked (self, read_micr, sizeof read_micr, cancellable, error);
}

static gboolean
pd_epson_micr_wait_for_check (PdCheckScanner  *scanner,
                              guint            timeout_ms,
                              GCancellable    *cancellable,
                              GError         **error)
{
  PdEpsonMicr *self = PD_EPSON_MICR (scanner);
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  for (;;)
    {
      guint8 sensors = 0;
      gboolean asked;

      g_mutex_lock (&self->exchange_lock);
      asked = ask_sensors_locked (self, &sensors, cancellable, error);
      g_mutex_unlock (&self->exchange_lock);

      if (!asked)
        return FALSE;
      if (check_is_in_slot (sensors))
        return TRUE;
      if (g_get_monotonic_time () >= deadline)
        {
          set_no_check (error);
          return FALSE;
        }
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      g_usleep (CHECK_POLL_INTERVAL_MS * 1000);
    }
}

static gboolean
send_command (PdEpsonMicr   *self,
              const guint8  *command,
              gsize          length,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->exchange_lock);

  return send_locked (self, command, length, cancellable, error);
}

static gboolean
pd_epson_micr_eject (PdCheckScanner  *scanner,
                     GCancellable    *cancellable,
                     GError         **error)
{
  static const guint8 eject[] = { FS, 'a', '2' };

  return send_command (PD_EPSON_MICR (scanner), eject, sizeof eject, cancellable, error);
}

static PdDeviceHealth
pd_epson_micr_query_device (PdUsbDriver   *driver,
                            GCancellable  *cancellable,
                            char         **detail,
                            GError       **error)
{
  PdEpsonMicr *self = PD_EPSON_MICR (driver);
  static const guint8 offline_cause[] = { DLE, EOT, 2 };
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->exchange_lock);
  PdDeviceHealth health = PD_DEVICE_HEALTH_PRESENT;
  guint8 offline = 0;
  guint8 sensors = 0;

  if (!ask_realtime_status_locked (self, offline_cause, sizeof offline_cause, &offline,
                                   cancellable, error) ||
      !ask_sensors_locked (self, &sensors, cancellable, error))
    return PD_DEVICE_HEALTH_PRESENT | PD_DEVICE_HEALTH_ERROR;

  if (offline & OFFLINE_COVER_OPEN)
    health |= PD_DEVICE_HEALTH_COVER_OPEN;
  if (offline & OFFLINE_PAPER_END_STOP)
    health |= PD_DEVICE_HEALTH_PAPER_OUT;
  if (offline & OFFLINE_ERROR)
    health |= PD_DEVICE_HEALTH_ERROR;
  if (health == PD_DEVICE_HEALTH_PRESENT)
    health |= PD_DEVICE_HEALTH_READY;

  if (detail != NULL)
    {
      if (!(health & PD_DEVICE_HEALTH_READY))
        *detail = g_strdup (_("The printer with the check reader needs attention (cover, paper "
                              "or an error)."));
      else if (sensors & SENSOR_WAITING_FOR_CHECK)
        *detail = g_strdup (_("The check reader is waiting for a check."));
      else if (check_is_in_slot (sensors))
        *detail = g_strdup (_("The check reader is ready; a check is in the slot."));
      else
        *detail = g_strdup (_("The check reader is ready."));
    }
  return health;
}

static PdDeviceHealth
pd_epson_micr_query_status (PdCheckScanner  *scanner,
                            char           **detail,
                            GCancellable    *cancellable,
                            GError         **error)
{
  return pd_usb_driver_query_status (PD_USB_DRIVER (scanner), cancellable, detail, error);
}

static gboolean
pd_epson_micr_capture_images (PdCheckScanner  *scanner,
                              GBytes         **front_tiff,
                              GBytes         **back_tiff,
                              char           **no_images_reason,
                              GCancellable    *cancellable,
                              GError         **error)
{
  *front_tiff = NULL;
  *back_tiff = NULL;
  /* Some TM-H6000 models have a check imager (TM-H6000IV with scanner); its commands are not
   * implemented, so this driver never claims to have images. */
  *no_images_reason = g_strdup (_("The Epson check reader reads the MICR line only; no "
                                  "images of the check were taken."));
  return TRUE;
}

static void
pd_epson_micr_scanner_init (PdCheckScannerInterface *iface)
{
  iface->wait_for_check = pd_epson_micr_wait_for_check;
  iface->read_micr = pd_epson_micr_read_micr;
  iface->capture_images = pd_epson_micr_capture_images;
  iface->eject = pd_epson_micr_eject;
  iface->query_status = pd_epson_micr_query_status;
}

static void
pd_epson_micr_finalize (GObject *object)
{
  PdEpsonMicr *self = PD_EPSON_MICR (object);

  g_mutex_clear (&self->exchange_lock);

  G_OBJECT_CLASS (pd_epson_micr_parent_class)->finalize (object);
}

static void
pd_epson_micr_class_init (PdEpsonMicrClass *klass)
{
  PdUsbDriverClass *driver_class = PD_USB_DRIVER_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = pd_epson_micr_finalize;
  driver_class->id = "epson-micr";
  driver_class->full_name = "Epson TM hybrid printer, MICR reader";
  driver_class->id_table = epson_micr_ids;
  driver_class->query_status = pd_epson_micr_query_device;
}

static void
pd_epson_micr_init (PdEpsonMicr *self)
{
  g_mutex_init (&self->exchange_lock);
  /* UNVERIFIED for Epson: see PD_MICR_ALPHABET_ABCD in pd-micr.h. */
  self->alphabet = pd_micr_alphabet_get (PD_MICR_ALPHABET_ABCD);
  self->read_timeout_ms = PD_EPSON_MICR_DEFAULT_READ_TIMEOUT_MS;
}

void
pd_epson_micr_set_alphabet (PdEpsonMicr          *self,
                            const PdMicrAlphabet *alphabet)
{
  g_return_if_fail (PD_IS_EPSON_MICR (self));
  g_return_if_fail (alphabet != NULL);

  g_mutex_lock (&self->exchange_lock);
  self->alphabet = alphabet;
  g_mutex_unlock (&self->exchange_lock);
}

void
pd_epson_micr_set_read_timeout (PdEpsonMicr *self,
                                guint        timeout_ms)
{
  g_return_if_fail (PD_IS_EPSON_MICR (self));
  g_return_if_fail (timeout_ms > 0);

  g_mutex_lock (&self->exchange_lock);
  self->read_timeout_ms = timeout_ms;
  g_mutex_unlock (&self->exchange_lock);
}

PdMicrLine *
pd_epson_micr_resend (PdEpsonMicr   *self,
                      GCancellable  *cancellable,
                      GError       **error)
{
  static const guint8 resend[] = { FS, 'b' };
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (PD_IS_EPSON_MICR (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = g_mutex_locker_new (&self->exchange_lock);
  return exchange_micr_locked (self, resend, sizeof resend, cancellable, error);
}

/* The form without a parameter, as the TM-H5000 specification gives it; the TM-H5000II
 * text shows a parameter byte whose meaning it does not state (UNVERIFIED). */
gboolean
pd_epson_micr_load_for_printing (PdEpsonMicr   *self,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  static const guint8 load[] = { FS, 'a', '1' };

  g_return_val_if_fail (PD_IS_EPSON_MICR (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return send_command (self, load, sizeof load, cancellable, error);
}

gboolean
pd_epson_micr_clean_head (PdEpsonMicr   *self,
                          GCancellable  *cancellable,
                          GError       **error)
{
  static const guint8 clean[] = { FS, 'c' };

  g_return_val_if_fail (PD_IS_EPSON_MICR (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return send_command (self, clean, sizeof clean, cancellable, error);
}
