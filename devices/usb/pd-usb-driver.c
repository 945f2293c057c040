#include <glib/gi18n-lib.h>

#include "pd-usb-driver-private.h"

typedef struct {
  /* Guards device only: the manager swaps it on the main thread at a replug while a worker
   * may still be on the old one (pd_usb_driver_dup_device). */
  GMutex device_lock;
  PdUsbDevice *device;
  int interface_number;
  PdDeviceHealth health;
  char *health_detail;
} PdUsbDriverPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (PdUsbDriver, pd_usb_driver, G_TYPE_OBJECT)

static const char * const health_words[] = {
  "present", "ready", "paper-low", "paper-out", "cover-open", "offline",
  "busy-kernel-driver", "no-permission", "error",
};

char *
pd_device_health_to_string (PdDeviceHealth health)
{
  g_autoptr(GStrvBuilder) words = g_strv_builder_new ();
  g_auto(GStrv) list = NULL;

  if (health == PD_DEVICE_HEALTH_ABSENT)
    return g_strdup ("absent");

  for (guint bit = 0; bit < G_N_ELEMENTS (health_words); bit++)
    if (health & (1u << bit))
      g_strv_builder_add (words, health_words[bit]);
  list = g_strv_builder_end (words);
  return g_strjoinv (",", list);
}

static gboolean
entry_matches_device (const PdUsbIdEntry                    *entry,
                      const struct libusb_device_descriptor *descriptor)
{
  if (!(entry->match & PD_USB_MATCH_VENDOR_PRODUCT))
    return TRUE;
  return entry->vendor_id == descriptor->idVendor &&
         entry->product_id == descriptor->idProduct;
}

static gboolean
entry_matches_interface (const PdUsbIdEntry                     *entry,
                         const struct libusb_interface_descriptor *setting)
{
  if ((entry->match & PD_USB_MATCH_INTERFACE_CLASS) &&
      entry->interface_class != setting->bInterfaceClass)
    return FALSE;
  if ((entry->match & PD_USB_MATCH_INTERFACE_SUBCLASS) &&
      entry->interface_subclass != setting->bInterfaceSubClass)
    return FALSE;
  if ((entry->match & PD_USB_MATCH_INTERFACE_PROTOCOL) &&
      entry->interface_protocol != setting->bInterfaceProtocol)
    return FALSE;
  return TRUE;
}

/* The first interface of the active configuration that the entry takes. */
static int
find_interface (const PdUsbIdEntry                    *entry,
                const struct libusb_config_descriptor *config)
{
  for (guint i = 0; i < config->bNumInterfaces; i++)
    {
      const struct libusb_interface *interface = &config->interface[i];

      if (interface->num_altsetting > 0 && entry_matches_interface (entry, &interface->altsetting[0]))
        return interface->altsetting[0].bInterfaceNumber;
    }
  return -1;
}

const PdUsbIdEntry *
pd_usb_driver_class_match (PdUsbDriverClass *klass,
                           libusb_device    *device,
                           int              *interface_number)
{
  struct libusb_device_descriptor descriptor;
  struct libusb_config_descriptor *config = NULL;
  const PdUsbIdEntry *found = NULL;

  g_return_val_if_fail (PD_IS_USB_DRIVER_CLASS (klass), NULL);
  g_return_val_if_fail (device != NULL, NULL);

  if (klass->id_table == NULL ||
      libusb_get_device_descriptor (device, &descriptor) != LIBUSB_SUCCESS ||
      libusb_get_active_config_descriptor (device, &config) != LIBUSB_SUCCESS)
    return NULL;

  for (const PdUsbIdEntry *entry = klass->id_table; entry->match != 0 && found == NULL; entry++)
    {
      int number;

      if (!entry_matches_device (entry, &descriptor))
        continue;
      number = find_interface (entry, config);
      if (number < 0)
        continue;
      found = entry;
      if (interface_number != NULL)
        *interface_number = number;
    }

  libusb_free_config_descriptor (config);
  return found;
}

static gboolean
pd_usb_driver_real_open (PdUsbDriver   *self,
                         GCancellable  *cancellable,
                         GError       **error)
{
  PdUsbDriverPrivate *priv = pd_usb_driver_get_instance_private (self);
  g_autoptr(PdUsbDevice) device = NULL;
  int interface_number;

  /* The pair as one: a replug may set both while this runs on a worker. */
  g_mutex_lock (&priv->device_lock);
  device = g_object_ref (priv->device);
  interface_number = priv->interface_number;
  g_mutex_unlock (&priv->device_lock);
  return pd_usb_device_open (device, interface_number, error);
}

static void
pd_usb_driver_real_close (PdUsbDriver *self)
{
  g_autoptr(PdUsbDevice) device = pd_usb_driver_dup_device (self);

  pd_usb_device_close (device);
}

/* A driver that cannot ask its device anything can only say it opened. */
static PdDeviceHealth
pd_usb_driver_real_query_status (PdUsbDriver   *self,
                                 GCancellable  *cancellable,
                                 char         **detail,
                                 GError       **error)
{
  return PD_DEVICE_HEALTH_PRESENT | PD_DEVICE_HEALTH_READY;
}

static void
pd_usb_driver_finalize (GObject *object)
{
  PdUsbDriverPrivate *priv = pd_usb_driver_get_instance_private (PD_USB_DRIVER (object));

  g_clear_object (&priv->device);
  g_mutex_clear (&priv->device_lock);
  g_free (priv->health_detail);

  G_OBJECT_CLASS (pd_usb_driver_parent_class)->finalize (object);
}

static void
pd_usb_driver_class_init (PdUsbDriverClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pd_usb_driver_finalize;

  klass->open = pd_usb_driver_real_open;
  klass->close = pd_usb_driver_real_close;
  klass->query_status = pd_usb_driver_real_query_status;
}

static void
pd_usb_driver_init (PdUsbDriver *self)
{
  PdUsbDriverPrivate *priv = pd_usb_driver_get_instance_private (self);

  g_mutex_init (&priv->device_lock);
  priv->interface_number = -1;
}

PdUsbDevice *
pd_usb_driver_get_device (PdUsbDriver *self)
{
  PdUsbDriverPrivate *priv = pd_usb_driver_get_instance_private (self);

  g_return_val_if_fail (PD_IS_USB_DRIVER (self), NULL);
  return priv->device;
}

PdUsbDevice *
pd_usb_driver_dup_device (PdUsbDriver *self)
{
  PdUsbDriverPrivate *priv = pd_usb_driver_get_instance_private (self);
  PdUsbDevice *device;

  g_return_val_if_fail (PD_IS_USB_DRIVER (self), NULL);

  g_mutex_lock (&priv->device_lock);
  device = priv->device != NULL ? g_object_ref (priv->device) : NULL;
  g_mutex_unlock (&priv->device_lock);
  return device;
}

void
pd_usb_driver_set_device (PdUsbDriver *self,
                          PdUsbDevice *device,
                          int          interface_number)
{
  PdUsbDriverPrivate *priv = pd_usb_driver_get_instance_private (self);
  PdUsbDevice *old;

  g_return_if_fail (PD_IS_USB_DRIVER (self));
  g_return_if_fail (PD_IS_USB_DEVICE (device));

  g_mutex_lock (&priv->device_lock);
  old = g_steal_pointer (&priv->device);
  priv->device = g_object_ref (device);
  priv->interface_number = interface_number;
  g_mutex_unlock (&priv->device_lock);
  /* Outside the lock: the last reference may finalize the old device, which closes it. */
  g_clear_object (&old);
}

int
pd_usb_driver_get_interface (PdUsbDriver *self)
{
  PdUsbDriverPrivate *priv = pd_usb_driver_get_instance_private (self);

  g_return_val_if_fail (PD_IS_USB_DRIVER (self), -1);
  return priv->interface_number;
}

const char *
pd_usb_driver_get_id (PdUsbDriver *self)
{
  g_return_val_if_fail (PD_IS_USB_DRIVER (self), NULL);
  return PD_USB_DRIVER_GET_CLASS (self)->id;
}

gboolean
pd_usb_driver_open (PdUsbDriver   *self,
                    GCancellable  *cancellable,
                    GError       **error)
{
  PdUsbDriverPrivate *priv = pd_usb_driver_get_instance_private (self);

  g_return_val_if_fail (PD_IS_USB_DRIVER (self), FALSE);
  g_return_val_if_fail (priv->device != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  return PD_USB_DRIVER_GET_CLASS (self)->open (self, cancellable, error);
}

void
pd_usb_driver_close (PdUsbDriver *self)
{
  g_return_if_fail (PD_IS_USB_DRIVER (self));

  PD_USB_DRIVER_GET_CLASS (self)->close (self);
}

PdDeviceHealth
pd_usb_driver_query_status (PdUsbDriver   *self,
                            GCancellable  *cancellable,
                            char         **detail,
                            GError       **error)
{
  g_return_val_if_fail (PD_IS_USB_DRIVER (self), PD_DEVICE_HEALTH_ERROR);
  g_return_val_if_fail (detail != NULL && *detail == NULL, PD_DEVICE_HEALTH_ERROR);
  g_return_val_if_fail (error == NULL || *error == NULL, PD_DEVICE_HEALTH_ERROR);

  return PD_USB_DRIVER_GET_CLASS (self)->query_status (self, cancellable, detail, error);
}

void
pd_usb_driver_watch (PdUsbDriver      *self,
                     PdUsbHealthReport report,
                     gpointer          report_data,
                     GCancellable     *cancellable)
{
  PdUsbDriverClass *klass;

  g_return_if_fail (PD_IS_USB_DRIVER (self));
  g_return_if_fail (report != NULL);

  klass = PD_USB_DRIVER_GET_CLASS (self);
  if (klass->watch == NULL || g_cancellable_is_cancelled (cancellable))
    return;
  klass->watch (self, report, report_data, cancellable);
}

PdDeviceHealth
pd_usb_driver_get_health (PdUsbDriver *self)
{
  PdUsbDriverPrivate *priv = pd_usb_driver_get_instance_private (self);

  g_return_val_if_fail (PD_IS_USB_DRIVER (self), PD_DEVICE_HEALTH_ABSENT);
  return priv->health;
}

const char *
pd_usb_driver_get_health_detail (PdUsbDriver *self)
{
  PdUsbDriverPrivate *priv = pd_usb_driver_get_instance_private (self);

  g_return_val_if_fail (PD_IS_USB_DRIVER (self), NULL);
  return priv->health_detail;
}

/* TRUE when anything changed. */
gboolean
pd_usb_driver_set_health (PdUsbDriver   *self,
                          PdDeviceHealth health,
                          const char    *detail)
{
  PdUsbDriverPrivate *priv = pd_usb_driver_get_instance_private (self);

  g_return_val_if_fail (PD_IS_USB_DRIVER (self), FALSE);

  if (priv->health == health && g_strcmp0 (priv->health_detail, detail) == 0)
    return FALSE;
  priv->health = health;
  g_free (priv->health_detail);
  priv->health_detail = g_strdup (detail);
  return TRUE;
}
