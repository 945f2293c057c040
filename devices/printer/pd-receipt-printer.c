#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-receipt-printer.h"

/* A status answer comes back within milliseconds even mid-job (it is real-time); waiting
 * longer only makes a dead printer block the kiosk. */
#define STATUS_TIMEOUT_MS 500
/* A chunk waits while the printer's buffer drains onto paper: seconds for a long image. */
#define DEFAULT_WRITE_TIMEOUT_MS 10000
/* Small enough that a paper-out is noticed within one chunk, large enough to keep the
 * printer's buffer full. */
#define CHUNK_SIZE 1024
#define STATUS_READ_MAX 64
/* As pd_usb_device_drain: what is already waiting comes within one poll. */
#define DRAIN_WAIT_MS 10
#define DRAIN_MAX_PACKETS 16
/* Automatic status back bytes kept for the watch; past this, only the newest matter. */
#define ASB_KEPT_MAX 256
/* No drawer: its kick-out connector would only report noise. */
#define ASB_ITEMS (PD_ESCPOS_ASB_ONLINE | PD_ESCPOS_ASB_ERROR | PD_ESCPOS_ASB_ROLL_PAPER)

#define USB_CLASS_PRINTER 7

struct _PdReceiptPrinter {
  PdUsbDriver parent_instance;

  /* Guards the fields up to the next comment, never held across I/O: a UI asking how far a
   * job got must not wait for the job. */
  GMutex state_lock;
  PdPrinterProfile *profile;
  guint write_timeout_ms;
  gsize bytes_accepted;
  /* Status queries, jobs and the status watch share the endpoints: one conversation at a
   * time (talking). Queries and jobs go in the order they came; the watch only when none of
   * them waits, and one that comes cuts the watch's read short (watch_read): a receipt
   * must not wait for a printer that has nothing to say. */
  gboolean talking;
  guint waiting;
  GCond turn;
  GCancellable *watch_read;

  /* Only whoever is talking touches these. */
  gboolean automatic_status;
  /* Automatic status back bytes read and not yet given to the watch: its own reads, and
   * what the status queries drained or found beside their answers. */
  GByteArray *asb_bytes;
};

static void pd_receipt_printer_printer_init (PdPrinterInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PdReceiptPrinter, pd_receipt_printer, PD_TYPE_USB_DRIVER,
                               G_IMPLEMENT_INTERFACE (PD_TYPE_PRINTER,
                                                      pd_receipt_printer_printer_init))

/* Read once when the class is made; the id table is built from them and lives as long. */
static GPtrArray *class_profiles;

/* Only the printer class when no profile could be read: better a generic printer than none. */
static const PdUsbIdEntry fallback_ids[] = {
  { .match = PD_USB_MATCH_INTERFACE_CLASS, .interface_class = USB_CLASS_PRINTER },
  { 0 },
};

static PdUsbIdEntry *
build_id_table (GPtrArray *profiles)
{
  g_autoptr(GArray) table = g_array_new (TRUE, TRUE, sizeof (PdUsbIdEntry));

  /* Exact ids first: the manager takes the first line that matches. */
  for (guint i = 0; i < profiles->len; i++)
    {
      guint n_ids;
      const guint32 *ids = pd_printer_profile_get_usb_ids (g_ptr_array_index (profiles, i),
                                                           &n_ids);

      for (guint j = 0; j < n_ids; j++)
        {
          PdUsbIdEntry entry = {
            .match = PD_USB_MATCH_VENDOR_PRODUCT,
            .vendor_id = ids[j] >> 16,
            .product_id = ids[j] & 0xffff,
          };
          g_array_append_val (table, entry);
        }
    }
  for (guint i = 0; i < profiles->len; i++)
    {
      guint n_classes;
      const guint8 *classes =
        pd_printer_profile_get_interface_classes (g_ptr_array_index (profiles, i), &n_classes);

      for (guint j = 0; j < n_classes; j++)
        {
          PdUsbIdEntry entry = {
            .match = PD_USB_MATCH_INTERFACE_CLASS,
            .interface_class = classes[j],
          };
          g_array_append_val (table, entry);
        }
    }
  return (PdUsbIdEntry *) g_array_free (g_steal_pointer (&table), FALSE);
}

/* The class of the interface the driver claimed, for the generic profile's match. */
static guint8
claimed_interface_class (PdUsbDevice *device)
{
  struct libusb_config_descriptor *config = NULL;
  int number = pd_usb_device_get_interface (device);
  guint8 class_code = 0;

  if (libusb_get_active_config_descriptor (pd_usb_device_get_libusb (device), &config) != 0)
    return 0;
  for (guint i = 0; i < config->bNumInterfaces; i++)
    {
      const struct libusb_interface *interface = &config->interface[i];

      if (interface->num_altsetting > 0 &&
          interface->altsetting[0].bInterfaceNumber == number)
        class_code = interface->altsetting[0].bInterfaceClass;
    }
  libusb_free_config_descriptor (config);
  return class_code;
}

/* A job or a status query: its turn after the conversation in progress, before the watch's
 * next one. */
static void
conversation_begin (PdReceiptPrinter *self)
{
  g_mutex_lock (&self->state_lock);
  self->waiting++;
  if (self->watch_read != NULL)
    g_cancellable_cancel (self->watch_read);
  while (self->talking)
    g_cond_wait (&self->turn, &self->state_lock);
  self->waiting--;
  self->talking = TRUE;
  g_mutex_unlock (&self->state_lock);
}

static void
conversation_end (PdReceiptPrinter *self)
{
  g_mutex_lock (&self->state_lock);
  self->talking = FALSE;
  g_clear_object (&self->watch_read);
  g_cond_broadcast (&self->turn);
  g_mutex_unlock (&self->state_lock);
}

/* The watch's turn, once nobody else talks or waits; FALSE when it was cancelled first. */
static gboolean
watch_turn_begin (PdReceiptPrinter *self,
                  GCancellable     *cancellable)
{
  gboolean cancelled;

  g_mutex_lock (&self->state_lock);
  while (!(cancelled = g_cancellable_is_cancelled (cancellable)) &&
         (self->talking || self->waiting > 0))
    g_cond_wait (&self->turn, &self->state_lock);
  if (!cancelled)
    {
      self->talking = TRUE;
      self->watch_read = g_cancellable_new ();
    }
  g_mutex_unlock (&self->state_lock);
  return !cancelled;
}

/* The watch's cancellable, from the thread that cancels it: wherever the watch waits, for
 * its turn or in its read, it stops waiting. */
static void
on_watch_cancelled (GCancellable *cancellable,
                    gpointer      data)
{
  PdReceiptPrinter *self = data;

  g_mutex_lock (&self->state_lock);
  if (self->watch_read != NULL)
    g_cancellable_cancel (self->watch_read);
  g_cond_broadcast (&self->turn);
  g_mutex_unlock (&self->state_lock);
}

static void
keep_asb_locked (PdReceiptPrinter *self,
                 const guint8     *bytes,
                 gsize             length)
{
  if (!self->automatic_status || length == 0)
    return;
  g_byte_array_append (self->asb_bytes, bytes, (guint) length);
  /* Nobody reads them while no watch runs; the printer's latest word is what counts. */
  if (self->asb_bytes->len > ASB_KEPT_MAX)
    g_byte_array_remove_range (self->asb_bytes, 0, self->asb_bytes->len - ASB_KEPT_MAX);
}

/* GS a, when the profile says the printer knows it: from now on it says by itself when its
 * paper, cover or errors change, and the watch hears it. */
static gboolean
enable_automatic_status_locked (PdReceiptPrinter  *self,
                                PdUsbDevice       *device,
                                PdPrinterProfile  *profile,
                                GCancellable      *cancellable,
                                GError           **error)
{
  g_autoptr(GError) local_error = NULL;
  guint8 request[3];

  /* What an earlier plug left is about a printer that may have changed since. */
  g_byte_array_set_size (self->asb_bytes, 0);
  self->automatic_status = FALSE;
  if (!pd_printer_profile_get_automatic_status (profile))
    return TRUE;

  pd_escpos_automatic_status (ASB_ITEMS, request);
  if (!pd_usb_device_write (device, request, sizeof request, STATUS_TIMEOUT_MS, cancellable,
                            &local_error))
    {
      if (g_error_matches (local_error, PD_USB_ERROR, PD_USB_ERROR_NO_DEVICE) ||
          g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      /* A printer with a full buffer still answers DLE EOT: it is only not watched. */
      g_message ("Receipt printer: automatic status back not enabled: %s",
                 local_error->message);
      return TRUE;
    }
  self->automatic_status = TRUE;
  return TRUE;
}

static gboolean
pd_receipt_printer_open (PdUsbDriver   *driver,
                         GCancellable  *cancellable,
                         GError       **error)
{
  PdReceiptPrinter *self = PD_RECEIPT_PRINTER (driver);
  g_autoptr(PdUsbDevice) device = pd_usb_driver_dup_device (driver);
  PdPrinterProfile *profile = NULL;
  gboolean enabled;

  if (!PD_USB_DRIVER_CLASS (pd_receipt_printer_parent_class)->open (driver, cancellable, error))
    return FALSE;

  if (class_profiles != NULL)
    profile = pd_printer_profile_find (class_profiles, pd_usb_device_get_vendor_id (device),
                                       pd_usb_device_get_product_id (device),
                                       claimed_interface_class (device));
  if (profile == NULL)
    {
      PD_USB_DRIVER_CLASS (pd_receipt_printer_parent_class)->close (driver);
      g_set_error (error, PD_PRINTER_ERROR, PD_PRINTER_ERROR_NO_PROFILE,
                   _("No printer profile in %s describes this printer (%04x:%04x)."),
                   pd_printer_profile_get_directory (), pd_usb_device_get_vendor_id (device),
                   pd_usb_device_get_product_id (device));
      return FALSE;
    }

  g_mutex_lock (&self->state_lock);
  g_set_object (&self->profile, profile);
  g_mutex_unlock (&self->state_lock);

  conversation_begin (self);
  enabled = enable_automatic_status_locked (self, device, profile, cancellable, error);
  conversation_end (self);
  if (!enabled)
    {
      PD_USB_DRIVER_CLASS (pd_receipt_printer_parent_class)->close (driver);
      return FALSE;
    }
  return TRUE;
}

/* What the printer sent that nobody read: a late status answer, thrown away, or automatic
 * status back messages, kept for the watch. As pd_usb_device_drain otherwise. */
static gboolean
drain_locked (PdReceiptPrinter  *self,
              PdUsbDevice       *device,
              GCancellable      *cancellable,
              GError           **error)
{
  if (!self->automatic_status)
    return pd_usb_device_drain (device, NULL, cancellable, error);

  for (guint i = 0; i < DRAIN_MAX_PACKETS; i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GBytes) stale = pd_usb_device_read (device, STATUS_READ_MAX, DRAIN_WAIT_MS,
                                                    cancellable, &local_error);

      if (stale == NULL)
        {
          if (g_error_matches (local_error, PD_USB_ERROR, PD_USB_ERROR_TIMEOUT))
            break;
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      /* Stale answers among them are skipped by the watch: they cannot start a message. */
      keep_asb_locked (self, g_bytes_get_data (stale, NULL), g_bytes_get_size (stale));
    }
  return TRUE;
}

/* The bytes read after a DLE EOT request, less the automatic status back messages among
 * them (kept for the watch): those can come before or after the answer in one read, or
 * alone in a read of their own, which is then read again. Never mistaken for each other:
 * a message's first byte has bit 1 clear where an answer has it set, and its other three
 * bytes have bit 4 clear where an answer has it set. */
static GByteArray *
read_answer_locked (PdReceiptPrinter  *self,
                    PdUsbDevice       *device,
                    GCancellable      *cancellable,
                    GError           **error)
{
  g_autoptr(GByteArray) rest = g_byte_array_new ();
  gint64 deadline = g_get_monotonic_time () + STATUS_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;

  while (rest->len == 0)
    {
      gint64 left_ms = (deadline - g_get_monotonic_time ()) / G_TIME_SPAN_MILLISECOND;
      g_autoptr(GBytes) packet = NULL;
      const guint8 *bytes;
      gsize length = 0;
      gsize i = 0;

      if (left_ms <= 0)
        {
          pd_usb_set_error_from_libusb (error, LIBUSB_ERROR_TIMEOUT, "status answer");
          return NULL;
        }
      packet = pd_usb_device_read (device, STATUS_READ_MAX, (guint) left_ms, cancellable, error);
      if (packet == NULL)
        return NULL;

      bytes = g_bytes_get_data (packet, &length);
      while (i < length)
        {
          PdDeviceHealth ignored;

          if (length - i >= PD_ESCPOS_ASB_LENGTH &&
              pd_escpos_parse_asb (bytes + i, PD_ESCPOS_ASB_LENGTH, &ignored))
            {
              keep_asb_locked (self, bytes + i, PD_ESCPOS_ASB_LENGTH);
              i += PD_ESCPOS_ASB_LENGTH;
            }
          else
            g_byte_array_append (rest, bytes + i++, 1);
        }
    }
  return g_steal_pointer (&rest);
}

/* One DLE EOT n asked and answered. FALSE with detail set when the printer did not answer
 * or answered something that is not a status: the health then says so, it is not an error
 * of the program. Unplugged and cancelled are errors. */
static gboolean
ask_status_locked (PdReceiptPrinter    *self,
                   PdEscposStatusKind   kind,
                   GCancellable        *cancellable,
                   PdDeviceHealth      *health,
                   char               **detail,
                   GError             **error)
{
  /* Held for the transfers: a replug may replace the driver's device meanwhile. */
  g_autoptr(PdUsbDevice) device = pd_usb_driver_dup_device (PD_USB_DRIVER (self));
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GByteArray) answer = NULL;
  guint8 request[3];
  guint8 last;

  pd_escpos_status_request (kind, request);
  /* Every DLE EOT answer has the same fixed bits: a late one would pass for this one's. */
  if (drain_locked (self, device, cancellable, &local_error) &&
      pd_usb_device_write (device, request, sizeof request, STATUS_TIMEOUT_MS, cancellable,
                           &local_error))
    answer = read_answer_locked (self, device, cancellable, &local_error);

  if (answer == NULL)
    {
      if (!g_error_matches (local_error, PD_USB_ERROR, PD_USB_ERROR_TIMEOUT))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      *detail = g_strdup (_("The printer does not answer status requests."));
      return FALSE;
    }

  /* A status byte is one byte; whatever else came first is not this request's answer. */
  last = answer->data[answer->len - 1];
  if (!pd_escpos_parse_status (kind, last, health))
    {
      *detail = g_strdup_printf (_("The printer answered a status request with garbage (%02x)."),
                                 last);
      return FALSE;
    }
  return TRUE;
}

static char *
describe_health (PdDeviceHealth health)
{
  if (health & PD_DEVICE_HEALTH_COVER_OPEN)
    return g_strdup (_("The printer cover is open."));
  if (health & PD_DEVICE_HEALTH_PAPER_OUT)
    return g_strdup (_("The printer is out of paper."));
  if (health & PD_DEVICE_HEALTH_ERROR)
    return g_strdup (_("The printer reports an error (cutter or mechanism)."));
  if (health & PD_DEVICE_HEALTH_OFFLINE)
    return g_strdup (_("The printer is offline."));
  if (health & PD_DEVICE_HEALTH_PAPER_LOW)
    return g_strdup (_("The printer's paper is running low."));
  return NULL;
}

/* The health for the manager from what the printer reported: READY when nothing stops it
 * printing, PRESENT since it answered. */
static PdDeviceHealth
complete_health (PdDeviceHealth reported)
{
  if (!(reported & (PD_DEVICE_HEALTH_OFFLINE | PD_DEVICE_HEALTH_COVER_OPEN |
                    PD_DEVICE_HEALTH_PAPER_OUT | PD_DEVICE_HEALTH_ERROR)))
    reported |= PD_DEVICE_HEALTH_READY;
  return reported | PD_DEVICE_HEALTH_PRESENT;
}

static PdDeviceHealth
query_status_locked (PdReceiptPrinter  *self,
                     GCancellable      *cancellable,
                     char             **detail,
                     GError           **error)
{
  static const PdEscposStatusKind kinds[] = {
    PD_ESCPOS_STATUS_PRINTER, PD_ESCPOS_STATUS_OFFLINE_CAUSE, PD_ESCPOS_STATUS_PAPER,
  };
  PdDeviceHealth health = 0;

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autofree char *problem = NULL;
      g_autoptr(GError) local_error = NULL;
      PdDeviceHealth flags = 0;

      if (!ask_status_locked (self, kinds[i], cancellable, &flags, &problem, &local_error))
        {
          if (local_error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return PD_DEVICE_HEALTH_ABSENT;
            }
          if (detail != NULL)
            *detail = g_steal_pointer (&problem);
          return PD_DEVICE_HEALTH_PRESENT | PD_DEVICE_HEALTH_OFFLINE | PD_DEVICE_HEALTH_ERROR;
        }
      health |= flags;
    }

  health = complete_health (health);
  if (detail != NULL)
    *detail = describe_health (health);
  return health;
}

static PdDeviceHealth
pd_receipt_printer_query_status (PdUsbDriver   *driver,
                                 GCancellable  *cancellable,
                                 char         **detail,
                                 GError       **error)
{
  PdReceiptPrinter *self = PD_RECEIPT_PRINTER (driver);
  PdDeviceHealth health;

  conversation_begin (self);
  health = query_status_locked (self, cancellable, detail, error);
  conversation_end (self);
  return health;
}

/* Complete messages at the start of asb_bytes, as health, oldest first. A byte that cannot
 * start one (a stale status answer) is skipped; a message still arriving stays. */
static void
take_asb_messages_locked (PdReceiptPrinter *self,
                          GArray           *healths)
{
  guint used = 0;

  while (self->asb_bytes->len - used >= PD_ESCPOS_ASB_LENGTH)
    {
      PdDeviceHealth reported;

      if (pd_escpos_parse_asb (self->asb_bytes->data + used, PD_ESCPOS_ASB_LENGTH, &reported))
        {
          PdDeviceHealth health = complete_health (reported);

          g_array_append_val (healths, health);
          used += PD_ESCPOS_ASB_LENGTH;
        }
      else
        used++;
    }
  g_byte_array_remove_range (self->asb_bytes, 0, used);
}

/* Reads the IN endpoint between jobs and queries for the messages GS a asked for. The read
 * has no timeout: the printer speaks only when something changed, the conversation that
 * wants the endpoints cancels it, and a read that times out can lose a message arriving as
 * it ends. */
static void
pd_receipt_printer_watch (PdUsbDriver      *driver,
                          PdUsbHealthReport report,
                          gpointer          report_data,
                          GCancellable     *cancellable)
{
  PdReceiptPrinter *self = PD_RECEIPT_PRINTER (driver);
  g_autoptr(PdUsbDevice) device = pd_usb_driver_dup_device (driver);
  PdDeviceHealth reported = PD_DEVICE_HEALTH_ABSENT;
  gulong handler;

  /* Connected outside state_lock: an already cancelled cancellable calls it right here. */
  handler = g_cancellable_connect (cancellable, G_CALLBACK (on_watch_cancelled), self, NULL);
  while (watch_turn_begin (self, cancellable))
    {
      g_autoptr(GArray) healths = g_array_new (FALSE, FALSE, sizeof (PdDeviceHealth));
      g_autoptr(GError) error = NULL;
      gboolean watching = self->automatic_status;

      if (watching)
        {
          /* What a job or a query kept comes first: it is older than anything read now. */
          take_asb_messages_locked (self, healths);
          if (healths->len == 0)
            {
              g_autoptr(GBytes) bytes = pd_usb_device_read (device, STATUS_READ_MAX, 0,
                                                            self->watch_read, &error);
              gsize length = 0;
              const guint8 *data = bytes != NULL ? g_bytes_get_data (bytes, &length) : NULL;

              keep_asb_locked (self, data, length);
              take_asb_messages_locked (self, healths);
            }
        }
      conversation_end (self);

      for (guint i = 0; i < healths->len; i++)
        {
          PdDeviceHealth health = g_array_index (healths, PdDeviceHealth, i);
          g_autofree char *detail = NULL;

          if (health == reported)
            continue;
          detail = describe_health (health);
          report (driver, health, detail, report_data);
          reported = health;
        }

      /* Nothing to hear from a printer that was not asked. Cancelled: a job or a query
       * took the endpoints, or the watch is over, which the next turn says. */
      if (!watching)
        break;
      if (error == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
          g_error_matches (error, PD_USB_ERROR, PD_USB_ERROR_TIMEOUT))
        continue;
      /* Unplugged: the manager hears it from hotplug. */
      if (!g_error_matches (error, PD_USB_ERROR, PD_USB_ERROR_NO_DEVICE))
        report (driver, PD_DEVICE_HEALTH_PRESENT | PD_DEVICE_HEALTH_ERROR, error->message,
                report_data);
      break;
    }
  g_cancellable_disconnect (cancellable, handler);
}

static void
pd_receipt_printer_finalize (GObject *object)
{
  PdReceiptPrinter *self = PD_RECEIPT_PRINTER (object);

  g_clear_object (&self->profile);
  g_byte_array_unref (self->asb_bytes);
  g_cond_clear (&self->turn);
  g_mutex_clear (&self->state_lock);

  G_OBJECT_CLASS (pd_receipt_printer_parent_class)->finalize (object);
}

static void
pd_receipt_printer_class_init (PdReceiptPrinterClass *klass)
{
  PdUsbDriverClass *driver_class = PD_USB_DRIVER_CLASS (klass);
  g_autoptr(GError) error = NULL;

  G_OBJECT_CLASS (klass)->finalize = pd_receipt_printer_finalize;

  driver_class->id = "receipt-printer";
  driver_class->full_name = "ESC/POS receipt printer";
  driver_class->open = pd_receipt_printer_open;
  driver_class->query_status = pd_receipt_printer_query_status;
  driver_class->watch = pd_receipt_printer_watch;

  class_profiles = pd_printer_profile_load_directory (pd_printer_profile_get_directory (),
                                                      &error);
  if (class_profiles != NULL)
    driver_class->id_table = build_id_table (class_profiles);
  else
    {
      g_message ("Receipt printers: %s", error->message);
      driver_class->id_table = fallback_ids;
    }
}

static void
pd_receipt_printer_init (PdReceiptPrinter *self)
{
  g_mutex_init (&self->state_lock);
  g_cond_init (&self->turn);
  self->asb_bytes = g_byte_array_new ();
  self->write_timeout_ms = DEFAULT_WRITE_TIMEOUT_MS;
}

static PdPrinterProfile *
pd_receipt_printer_dup_profile (PdPrinter *printer)
{
  PdReceiptPrinter *self = PD_RECEIPT_PRINTER (printer);
  PdPrinterProfile *profile;

  /* A reference: a reopen on a worker may replace the profile. */
  g_mutex_lock (&self->state_lock);
  profile = self->profile != NULL ? g_object_ref (self->profile) : NULL;
  g_mutex_unlock (&self->state_lock);
  return profile;
}

void
pd_receipt_printer_set_write_timeout (PdReceiptPrinter *self,
                                      guint             timeout_ms)
{
  g_return_if_fail (PD_IS_RECEIPT_PRINTER (self));
  g_return_if_fail (timeout_ms > 0);

  g_mutex_lock (&self->state_lock);
  self->write_timeout_ms = timeout_ms;
  g_mutex_unlock (&self->state_lock);
}

static gsize
pd_receipt_printer_get_bytes_accepted (PdPrinter *printer)
{
  PdReceiptPrinter *self = PD_RECEIPT_PRINTER (printer);
  gsize accepted;

  g_mutex_lock (&self->state_lock);
  accepted = self->bytes_accepted;
  g_mutex_unlock (&self->state_lock);
  return accepted;
}

/* The printer's own reason as the error, or FALSE when nothing is wrong. */
static gboolean
set_error_from_health (PdDeviceHealth   health,
                       gsize            accepted,
                       gsize            total,
                       GError         **error)
{
  g_autofree char *what = describe_health (health);
  PdPrinterError code;

  if (health & PD_DEVICE_HEALTH_COVER_OPEN)
    code = PD_PRINTER_ERROR_COVER_OPEN;
  else if (health & PD_DEVICE_HEALTH_PAPER_OUT)
    code = PD_PRINTER_ERROR_PAPER_OUT;
  else if (health & (PD_DEVICE_HEALTH_OFFLINE | PD_DEVICE_HEALTH_ERROR))
    code = PD_PRINTER_ERROR_OFFLINE;
  else
    return FALSE;

  g_set_error (error, PD_PRINTER_ERROR, code,
               /* TRANSLATORS: a sentence about the printer, then bytes taken of the job's. */
               _("%s It took %lu of %lu bytes of the receipt; print it again from the start."),
               what, (gulong) accepted, (gulong) total);
  return TRUE;
}

static gboolean
print_locked (PdReceiptPrinter  *self,
              GBytes            *job,
              GCancellable      *cancellable,
              GError           **error)
{
  g_autoptr(PdUsbDevice) device = pd_usb_driver_dup_device (PD_USB_DRIVER (self));
  g_autofree char *detail = NULL;
  gsize total = 0;
  const guint8 *data = g_bytes_get_data (job, &total);
  PdDeviceHealth health;
  /* Only this job writes bytes_accepted (it holds the conversation): a local copy, published
   * under state_lock after each chunk. */
  gsize accepted = 0;
  guint timeout_ms;

  g_mutex_lock (&self->state_lock);
  timeout_ms = self->write_timeout_ms;
  g_mutex_unlock (&self->state_lock);

  health = query_status_locked (self, cancellable, &detail, error);
  if (health == PD_DEVICE_HEALTH_ABSENT)
    return FALSE;
  if (set_error_from_health (health, 0, total, error))
    return FALSE;

  while (accepted < total)
    {
      gsize chunk = MIN (CHUNK_SIZE, total - accepted);
      g_autoptr(GError) write_error = NULL;
      gsize written = 0;
      gboolean sent;

      sent = pd_usb_device_write_partial (device, data + accepted, chunk, timeout_ms,
                                          &written, cancellable, &write_error);
      /* What the printer took counts, also from a chunk it stopped in. */
      accepted += written;
      g_mutex_lock (&self->state_lock);
      self->bytes_accepted = accepted;
      g_mutex_unlock (&self->state_lock);
      if (sent)
        continue;

      /* A printer that stops taking data says why in its real-time status: the status is
       * the error people can act on, the USB timeout is not. */
      if (g_error_matches (write_error, PD_USB_ERROR, PD_USB_ERROR_TIMEOUT) ||
          g_error_matches (write_error, PD_USB_ERROR, PD_USB_ERROR_FAILED))
        {
          g_autofree char *ignored = NULL;
          PdDeviceHealth now = query_status_locked (self, cancellable, &ignored, NULL);

          if (set_error_from_health (now, accepted, total, error))
            return FALSE;
        }
      g_propagate_prefixed_error (error, g_steal_pointer (&write_error),
                                  _("The receipt stopped after %lu of %lu bytes: "),
                                  (gulong) accepted, (gulong) total);
      return FALSE;
    }

  /* The bytes are in the printer's buffer; a fault since then means they never reached
   * the paper, so "printed" would be a lie. */
  g_clear_pointer (&detail, g_free);
  health = query_status_locked (self, cancellable, &detail, error);
  if (health == PD_DEVICE_HEALTH_ABSENT)
    return FALSE;
  return !set_error_from_health (health, accepted, total, error);
}

static gboolean
pd_receipt_printer_print (PdPrinter     *printer,
                          GBytes        *job,
                          GCancellable  *cancellable,
                          GError       **error)
{
  PdReceiptPrinter *self = PD_RECEIPT_PRINTER (printer);
  gboolean ok;

  conversation_begin (self);
  g_mutex_lock (&self->state_lock);
  self->bytes_accepted = 0;
  g_mutex_unlock (&self->state_lock);
  ok = print_locked (self, job, cancellable, error);
  conversation_end (self);
  return ok;
}

static PdDeviceHealth
pd_receipt_printer_printer_query_status (PdPrinter     *printer,
                                         char         **detail,
                                         GCancellable  *cancellable,
                                         GError       **error)
{
  return pd_receipt_printer_query_status (PD_USB_DRIVER (printer), cancellable, detail, error);
}

static void
pd_receipt_printer_printer_init (PdPrinterInterface *iface)
{
  iface->dup_profile = pd_receipt_printer_dup_profile;
  iface->print = pd_receipt_printer_print;
  iface->get_bytes_accepted = pd_receipt_printer_get_bytes_accepted;
  iface->query_status = pd_receipt_printer_printer_query_status;
}
