#include <string.h>

#include <glib/gi18n.h>

#include "pd-hid-pos-scanner.h"
#include "pd-usb-device.h"

#define HID_CLASS 0x03
#define SCANNED_DATA_REPORT 0x02
#define REPORT_BYTES 64
#define DATA_OFFSET 5
#define MAX_DATA_BYTES 56
#define MORE_FOLLOWS_OFFSET (REPORT_BYTES - 1)
/* The rest of a barcode comes right after its first report. */
#define CONTINUATION_TIMEOUT_MS 500
/* No barcode a member holds up is longer. */
#define MAX_SCAN_BYTES 4096

struct _PdHidPosScanner {
  PdUsbDriver parent_instance;
};

G_DEFINE_FINAL_TYPE (PdHidPosScanner, pd_hid_pos_scanner, PD_TYPE_USB_DRIVER)

/* Scanners whose HID POS mode is documented; in HID POS mode they are no keyboard, so a
 * match never takes a keyboard away from the kiosk. */
static const PdUsbIdEntry hid_pos_scanner_ids[] = {
  /* Honeywell Voyager 1400g, USB HID POS. */
  {
    .match = PD_USB_MATCH_VENDOR_PRODUCT | PD_USB_MATCH_INTERFACE_CLASS,
    .vendor_id = 0x0c2e,
    .product_id = 0x0b8f,
    .interface_class = HID_CLASS,
  },
  { 0 },
};

static PdDeviceHealth
pd_hid_pos_scanner_query_status (PdUsbDriver   *driver,
                                 GCancellable  *cancellable,
                                 char         **detail,
                                 GError       **error)
{
  /* It has nothing to say until a barcode is shown to it: being open is being ready. */
  *detail = g_strdup (_("Ready to scan."));
  return PD_DEVICE_HEALTH_PRESENT | PD_DEVICE_HEALTH_READY;
}

/* One report: FALSE with an error for a read that failed; *data_length 0 for a report that
 * is not scanned data (status, a trigger). */
static gboolean
read_report (PdUsbDevice   *device,
             guint          timeout_ms,
             guint8        *report,
             gsize         *data_length,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GBytes) bytes = pd_usb_device_read (device, REPORT_BYTES, timeout_ms, cancellable,
                                                error);
  gsize length = 0;
  const guint8 *data;

  *data_length = 0;
  if (bytes == NULL)
    return FALSE;
  data = g_bytes_get_data (bytes, &length);
  memset (report, 0, REPORT_BYTES);
  memcpy (report, data, MIN (length, (gsize) REPORT_BYTES));
  if (length < DATA_OFFSET || report[0] != SCANNED_DATA_REPORT)
    return TRUE;
  *data_length = MIN ((gsize) report[1], MIN ((gsize) MAX_DATA_BYTES, length - DATA_OFFSET));
  return TRUE;
}

char *
pd_hid_pos_scanner_read_scan (PdHidPosScanner  *self,
                              guint             timeout_ms,
                              GCancellable     *cancellable,
                              GError          **error)
{
  g_autoptr(PdUsbDevice) device = NULL;
  g_autoptr(GString) scan = g_string_new (NULL);
  guint8 report[REPORT_BYTES];
  gsize data_length = 0;

  g_return_val_if_fail (PD_IS_HID_POS_SCANNER (self), NULL);

  device = pd_usb_driver_dup_device (PD_USB_DRIVER (self));
  /* Reports that carry no data (a trigger pulled) are not a barcode. */
  do
    if (!read_report (device, timeout_ms, report, &data_length, cancellable, error))
      return NULL;
  while (data_length == 0);

  for (;;)
    {
      g_string_append_len (scan, (const char *) report + DATA_OFFSET, (gssize) data_length);
      if (report[MORE_FOLLOWS_OFFSET] == 0)
        break;
      if (scan->len > MAX_SCAN_BYTES)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("The barcode scanner sent more than any barcode holds."));
          return NULL;
        }
      if (!read_report (device, CONTINUATION_TIMEOUT_MS, report, &data_length, cancellable,
                        error))
        return NULL;
    }

  if (!g_utf8_validate (scan->str, (gssize) scan->len, NULL) || memchr (scan->str, 0, scan->len))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The barcode scanner read something that is not text."));
      return NULL;
    }
  return g_string_free (g_steal_pointer (&scan), FALSE);
}

static void
pd_hid_pos_scanner_class_init (PdHidPosScannerClass *klass)
{
  PdUsbDriverClass *driver_class = PD_USB_DRIVER_CLASS (klass);

  driver_class->id = "hid-pos-scanner";
  driver_class->full_name = "USB HID POS barcode scanner";
  driver_class->id_table = hid_pos_scanner_ids;
  driver_class->query_status = pd_hid_pos_scanner_query_status;
}

static void
pd_hid_pos_scanner_init (PdHidPosScanner *self)
{
}
