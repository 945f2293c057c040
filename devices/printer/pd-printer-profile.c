#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "pd-printer-profile.h"

#define GROUP "Printer"

struct _PdPrinterProfile {
  GObject parent_instance;

  char *id;
  char *name;
  guint paper_width;
  GArray *code_pages;        /* PdPrinterCodePage */
  GArray *usb_ids;           /* guint32 */
  GArray *interface_classes; /* guint8 */
  PdEscposCut cut;
  gboolean qr_code;
  gboolean automatic_status;
};

G_DEFINE_FINAL_TYPE (PdPrinterProfile, pd_printer_profile, G_TYPE_OBJECT)

static void
pd_printer_profile_finalize (GObject *object)
{
  PdPrinterProfile *self = PD_PRINTER_PROFILE (object);

  g_free (self->id);
  g_free (self->name);
  g_array_unref (self->code_pages);
  g_array_unref (self->usb_ids);
  g_array_unref (self->interface_classes);

  G_OBJECT_CLASS (pd_printer_profile_parent_class)->finalize (object);
}

static void
pd_printer_profile_class_init (PdPrinterProfileClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pd_printer_profile_finalize;
}

static void
pd_printer_profile_init (PdPrinterProfile *self)
{
  self->code_pages = g_array_new (FALSE, FALSE, sizeof (PdPrinterCodePage));
  self->usb_ids = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->interface_classes = g_array_new (FALSE, FALSE, sizeof (guint8));
}

const char *
pd_printer_profile_get_directory (void)
{
  const char *override = g_getenv ("PAYDESK_PRINTER_PROFILES");

  if (override != NULL && *override != '\0')
    return override;
  if (g_file_test (PAYDESK_PRINTER_PROFILES_DIR, G_FILE_TEST_IS_DIR))
    return PAYDESK_PRINTER_PROFILES_DIR;
  return PAYDESK_SOURCE_PRINTER_PROFILES_DIR;
}

static gboolean
invalid (GError     **error,
         const char  *path,
         const char  *key)
{
  g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
               /* TRANSLATORS: a printer profile file, then one of its keys. */
               _("Printer profile %s: %s is not valid."), path, key);
  return FALSE;
}

static gboolean
parse_code_pages (PdPrinterProfile  *self,
                  GKeyFile          *file,
                  const char        *path,
                  GError           **error)
{
  g_auto(GStrv) entries = g_key_file_get_string_list (file, GROUP, "CodePages", NULL, error);

  if (entries == NULL)
    return FALSE;
  for (guint i = 0; entries[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (entries[i], ":", 2);
      PdPrinterCodePage page;
      guint64 number;

      if (g_strv_length (parts) != 2 ||
          !pd_escpos_code_page_from_string (parts[0], &page.page) ||
          !g_ascii_string_to_unsigned (parts[1], 10, 0, 255, &number, NULL))
        return invalid (error, path, "CodePages");
      page.esc_t_number = (guint8) number;
      g_array_append_val (self->code_pages, page);
    }
  if (self->code_pages->len == 0)
    return invalid (error, path, "CodePages");
  return TRUE;
}

static gboolean
parse_ids (PdPrinterProfile  *self,
           GKeyFile          *file,
           const char        *path,
           GError           **error)
{
  g_auto(GStrv) ids = g_key_file_get_string_list (file, GROUP, "UsbIds", NULL, NULL);
  g_autofree int *classes = NULL;
  gsize n_classes = 0;

  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (ids[i], ":", 2);
      guint64 vendor, product;
      guint32 id;

      if (g_strv_length (parts) != 2 ||
          !g_ascii_string_to_unsigned (parts[0], 16, 0, 0xffff, &vendor, NULL) ||
          !g_ascii_string_to_unsigned (parts[1], 16, 0, 0xffff, &product, NULL))
        return invalid (error, path, "UsbIds");
      id = (guint32) (vendor << 16 | product);
      g_array_append_val (self->usb_ids, id);
    }

  classes = g_key_file_get_integer_list (file, GROUP, "InterfaceClasses", &n_classes, NULL);
  for (gsize i = 0; i < n_classes; i++)
    {
      guint8 class_code = (guint8) classes[i];

      if (classes[i] < 0 || classes[i] > 0xff)
        return invalid (error, path, "InterfaceClasses");
      g_array_append_val (self->interface_classes, class_code);
    }

  /* A profile that takes no device would never be used: surely a typo. */
  if (self->usb_ids->len == 0 && self->interface_classes->len == 0)
    return invalid (error, path, "UsbIds");
  return TRUE;
}

static gboolean
parse_cut (PdPrinterProfile  *self,
           GKeyFile          *file,
           const char        *path,
           GError           **error)
{
  g_autofree char *cut = g_key_file_get_string (file, GROUP, "Cut", error);

  if (cut == NULL)
    return FALSE;
  if (g_strcmp0 (cut, "partial-feed") == 0)
    self->cut = PD_ESCPOS_CUT_FEED_PARTIAL;
  else if (g_strcmp0 (cut, "full") == 0)
    self->cut = PD_ESCPOS_CUT_FULL;
  else if (g_strcmp0 (cut, "none") == 0)
    self->cut = PD_ESCPOS_CUT_NONE;
  else
    return invalid (error, path, "Cut");
  return TRUE;
}

PdPrinterProfile *
pd_printer_profile_load (const char  *path,
                         GError     **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(PdPrinterProfile) self = NULL;
  g_autofree char *basename = NULL;
  GError *local_error = NULL;
  int width;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, error))
    return NULL;

  self = g_object_new (PD_TYPE_PRINTER_PROFILE, NULL);
  basename = g_path_get_basename (path);
  self->id = g_strndup (basename, strlen (basename) - (g_str_has_suffix (basename, ".conf") ? 5 : 0));
  self->name = g_key_file_get_string (file, GROUP, "Name", error);
  if (self->name == NULL)
    return NULL;

  width = g_key_file_get_integer (file, GROUP, "PaperWidthDots", &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  /* GS v 0 counts bytes: a width that is not whole bytes would shift every row. */
  if (width < 8 || width > 4096 || width % 8 != 0)
    {
      invalid (error, path, "PaperWidthDots");
      return NULL;
    }
  self->paper_width = (guint) width;

  self->qr_code = g_key_file_get_boolean (file, GROUP, "QrCode", &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }

  /* Optional: only a model known to send automatic status back is asked to. */
  if (g_key_file_has_key (file, GROUP, "AutomaticStatus", NULL))
    {
      self->automatic_status = g_key_file_get_boolean (file, GROUP, "AutomaticStatus",
                                                       &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return NULL;
        }
    }

  if (!parse_code_pages (self, file, path, error) || !parse_ids (self, file, path, error) ||
      !parse_cut (self, file, path, error))
    return NULL;
  return g_steal_pointer (&self);
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  return g_strcmp0 (pd_printer_profile_get_id (*(PdPrinterProfile **) a),
                    pd_printer_profile_get_id (*(PdPrinterProfile **) b));
}

GPtrArray *
pd_printer_profile_load_directory (const char  *directory,
                                   GError     **error)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) profiles = g_ptr_array_new_with_free_func (g_object_unref);
  const char *name;

  g_return_val_if_fail (directory != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  dir = g_dir_open (directory, 0, error);
  if (dir == NULL)
    return NULL;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      PdPrinterProfile *profile;

      if (!g_str_has_suffix (name, ".conf"))
        continue;
      path = g_build_filename (directory, name, NULL);
      profile = pd_printer_profile_load (path, error);
      if (profile == NULL)
        return NULL;
      g_ptr_array_add (profiles, profile);
    }
  /* Directory order is the file system's whim; the generic fallback must not depend on it. */
  g_ptr_array_sort (profiles, compare_ids);
  return g_steal_pointer (&profiles);
}

PdPrinterProfile *
pd_printer_profile_find (GPtrArray *profiles,
                         guint16    vendor_id,
                         guint16    product_id,
                         guint8     interface_class)
{
  guint32 wanted = (guint32) vendor_id << 16 | product_id;

  g_return_val_if_fail (profiles != NULL, NULL);

  for (guint i = 0; i < profiles->len; i++)
    {
      PdPrinterProfile *profile = g_ptr_array_index (profiles, i);

      for (guint j = 0; j < profile->usb_ids->len; j++)
        if (g_array_index (profile->usb_ids, guint32, j) == wanted)
          return profile;
    }
  for (guint i = 0; i < profiles->len; i++)
    {
      PdPrinterProfile *profile = g_ptr_array_index (profiles, i);

      for (guint j = 0; j < profile->interface_classes->len; j++)
        if (g_array_index (profile->interface_classes, guint8, j) == interface_class)
          return profile;
    }
  return NULL;
}

const char *
pd_printer_profile_get_id (PdPrinterProfile *self)
{
  g_return_val_if_fail (PD_IS_PRINTER_PROFILE (self), NULL);
  return self->id;
}

const char *
pd_printer_profile_get_name (PdPrinterProfile *self)
{
  g_return_val_if_fail (PD_IS_PRINTER_PROFILE (self), NULL);
  return self->name;
}

guint
pd_printer_profile_get_paper_width (PdPrinterProfile *self)
{
  g_return_val_if_fail (PD_IS_PRINTER_PROFILE (self), 0);
  return self->paper_width;
}

const PdPrinterCodePage *
pd_printer_profile_get_code_pages (PdPrinterProfile *self,
                                   guint            *n_pages)
{
  g_return_val_if_fail (PD_IS_PRINTER_PROFILE (self), NULL);
  g_return_val_if_fail (n_pages != NULL, NULL);

  *n_pages = self->code_pages->len;
  return (const PdPrinterCodePage *) self->code_pages->data;
}

const PdPrinterCodePage *
pd_printer_profile_choose_code_page (PdPrinterProfile *self,
                                     const char       *utf8)
{
  g_return_val_if_fail (PD_IS_PRINTER_PROFILE (self), NULL);
  g_return_val_if_fail (utf8 != NULL, NULL);

  for (guint i = 0; i < self->code_pages->len; i++)
    {
      const PdPrinterCodePage *page = &g_array_index (self->code_pages, PdPrinterCodePage, i);
      g_autoptr(GByteArray) scratch = g_byte_array_new ();

      if (pd_escpos_encode (page->page, utf8, scratch, NULL))
        return page;
    }
  return NULL;
}

PdEscposCut
pd_printer_profile_get_cut (PdPrinterProfile *self)
{
  g_return_val_if_fail (PD_IS_PRINTER_PROFILE (self), PD_ESCPOS_CUT_NONE);
  return self->cut;
}

gboolean
pd_printer_profile_get_qr_code (PdPrinterProfile *self)
{
  g_return_val_if_fail (PD_IS_PRINTER_PROFILE (self), FALSE);
  return self->qr_code;
}

gboolean
pd_printer_profile_get_automatic_status (PdPrinterProfile *self)
{
  g_return_val_if_fail (PD_IS_PRINTER_PROFILE (self), FALSE);
  return self->automatic_status;
}

const guint32 *
pd_printer_profile_get_usb_ids (PdPrinterProfile *self,
                                guint            *n_ids)
{
  g_return_val_if_fail (PD_IS_PRINTER_PROFILE (self), NULL);
  g_return_val_if_fail (n_ids != NULL, NULL);

  *n_ids = self->usb_ids->len;
  return (const guint32 *) self->usb_ids->data;
}

const guint8 *
pd_printer_profile_get_interface_classes (PdPrinterProfile *self,
                                          guint            *n_classes)
{
  g_return_val_if_fail (PD_IS_PRINTER_PROFILE (self), NULL);
  g_return_val_if_fail (n_classes != NULL, NULL);

  *n_classes = self->interface_classes->len;
  return (const guint8 *) self->interface_classes->data;
}
