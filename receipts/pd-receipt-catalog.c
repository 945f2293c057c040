#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "pd-receipt-catalog.h"

/* The GNU .mo format: a header of 32-bit words in the writer's byte order, two tables of
 * (length, offset) pairs for the original and translated strings, each string followed by
 * a NUL. */
#define MO_MAGIC 0x950412deU
#define MO_MAGIC_SWAPPED 0xde120495U
#define MO_HEADER_WORDS 5

struct _PdReceiptCatalog {
  gint ref_count;
  char *language;
  GMappedFile *file;
  /* msgid → msgstr, both pointing into the mapped file. */
  GHashTable *strings;
};

/* Catalogs read so far, by file: "PATH SIZE MTIME" → PdReceiptCatalog (a reference each). A
 * receipt is laid out, printed and emailed from the same catalog, read once per process; a
 * file that changed is read again. */
static GMutex cache_lock;
static GHashTable *cache;

static guint32
read_word (const guint8 *data,
           gsize         offset,
           gboolean      swapped)
{
  guint32 word;

  memcpy (&word, data + offset, sizeof word);
  return swapped ? GUINT32_SWAP_LE_BE (word) : word;
}

/* A string of the table at offset index: NULL when it runs outside the file or lacks its
 * NUL, so a damaged catalog translates nothing rather than reading past the end. */
static const char *
read_string (const guint8 *data,
             gsize         size,
             guint32       table,
             guint32       index,
             gboolean      swapped)
{
  gsize entry = (gsize) table + (gsize) index * 8;
  guint32 length, offset;

  if (entry + 8 > size)
    return NULL;
  length = read_word (data, entry, swapped);
  offset = read_word (data, entry + 4, swapped);
  if ((gsize) offset + length >= size || data[offset + length] != '\0')
    return NULL;
  return (const char *) data + offset;
}

/* The printf conversions of a format, by argument: "s", "d", "ld"…, in argument order
 * ("%2$s %1$d" gives d then s). NULL when the format is not one printf can be trusted with
 * (a conversion it does not know, %n, a position out of range). */
static GPtrArray *
conversions_of (const char *format)
{
  g_autoptr(GPtrArray) by_argument = g_ptr_array_new_with_free_func (g_free);
  guint next_argument = 0;

  for (const char *p = strchr (format, '%'); p != NULL; p = strchr (p, '%'))
    {
      const char *start;
      guint argument = next_argument;

      p++;
      if (*p == '%')
        {
          p++;
          continue;
        }
      if (g_ascii_isdigit (*p) && *p != '0')
        {
          char *end;
          guint64 position = g_ascii_strtoull (p, &end, 10);

          /* Digits and a dollar sign name the argument; digits alone are a width. */
          if (*end == '$')
            {
              if (position > 32)
                return NULL;
              argument = (guint) position - 1;
              p = end + 1;
            }
        }
      while (*p != '\0' && strchr ("-+ #0'", *p) != NULL)
        p++;
      for (; g_ascii_isdigit (*p) || *p == '.' || *p == '*'; p++)
        {
          /* A width or precision taken from an argument shifts every argument after it. */
          if (*p == '*')
            return NULL;
        }
      start = p;
      while (*p != '\0' && strchr ("hlLqjzt", *p) != NULL)
        p++;
      if (*p == '\0' || strchr ("diouxXeEfFgGcsp", *p) == NULL)
        return NULL;
      p++;
      if (argument >= by_argument->len)
        g_ptr_array_set_size (by_argument, argument + 1);
      g_free (g_ptr_array_index (by_argument, argument));
      g_ptr_array_index (by_argument, argument) = g_strndup (start, p - start);
      next_argument = argument + 1;
    }

  return g_steal_pointer (&by_argument);
}

/* Receipts hand translations to printf: one that asks for other arguments than the English
 * (a damaged or hostile catalog) would read what the caller never passed. */
static gboolean
same_conversions (const char *msgid,
                  const char *msgstr)
{
  g_autoptr(GPtrArray) wanted = NULL;
  g_autoptr(GPtrArray) given = NULL;

  if (strchr (msgid, '%') == NULL && strchr (msgstr, '%') == NULL)
    return TRUE;
  wanted = conversions_of (msgid);
  given = conversions_of (msgstr);
  if (wanted == NULL || given == NULL || wanted->len != given->len)
    return FALSE;
  for (guint i = 0; i < wanted->len; i++)
    if (g_strcmp0 (g_ptr_array_index (wanted, i), g_ptr_array_index (given, i)) != 0)
      return FALSE;
  return TRUE;
}

static void
parse_catalog (PdReceiptCatalog *self)
{
  const guint8 *data = (const guint8 *) g_mapped_file_get_contents (self->file);
  gsize size = g_mapped_file_get_length (self->file);
  guint32 magic, count, originals, translations;
  gboolean swapped;

  if (size < (MO_HEADER_WORDS + 1) * 4)
    return;

  memcpy (&magic, data, sizeof magic);
  if (magic != MO_MAGIC && magic != MO_MAGIC_SWAPPED)
    return;
  swapped = magic == MO_MAGIC_SWAPPED;
  count = read_word (data, 8, swapped);
  originals = read_word (data, 12, swapped);
  translations = read_word (data, 16, swapped);

  for (guint32 i = 0; i < count; i++)
    {
      const char *msgid = read_string (data, size, originals, i, swapped);
      const char *msgstr = read_string (data, size, translations, i, swapped);

      /* The empty msgid is the catalog's header; an empty msgstr is untranslated. */
      if (msgid == NULL || msgstr == NULL || *msgid == '\0' || *msgstr == '\0')
        continue;
      if (!same_conversions (msgid, msgstr))
        {
          g_message ("The %s catalog's translation of “%s” asks for other values than the "
                     "English; that string stays in English", self->language, msgid);
          continue;
        }
      g_hash_table_insert (self->strings, (gpointer) msgid, (gpointer) msgstr);
    }
}

/* The first folder that has the language's catalog: its path, and a key that changes with
 * the file. */
static char *
find_catalog (const char  *language,
              char       **key)
{
  const char *folders[] = { g_getenv ("PAYDESK_LOCALEDIR"), PAYDESK_LOCALEDIR,
                            PAYDESK_BUILD_LOCALEDIR };

  for (gsize i = 0; i < G_N_ELEMENTS (folders); i++)
    {
      g_autofree char *path = NULL;
      GStatBuf st;

      if (folders[i] == NULL)
        continue;
      path = g_build_filename (folders[i], language, "LC_MESSAGES", GETTEXT_PACKAGE ".mo",
                               NULL);
      if (g_stat (path, &st) == 0 && S_ISREG (st.st_mode))
        {
          *key = g_strdup_printf ("%s %" G_GINT64_FORMAT " %" G_GINT64_FORMAT, path,
                                  (gint64) st.st_size, (gint64) st.st_mtime);
          return g_steal_pointer (&path);
        }
    }

  return NULL;
}

static PdReceiptCatalog *
catalog_new (const char *language)
{
  PdReceiptCatalog *self = g_new0 (PdReceiptCatalog, 1);

  self->ref_count = 1;
  self->language = g_strdup (language);
  self->strings = g_hash_table_new (g_str_hash, g_str_equal);
  return self;
}

static PdReceiptCatalog *
catalog_ref (PdReceiptCatalog *self)
{
  g_atomic_int_inc (&self->ref_count);
  return self;
}

PdReceiptCatalog *
pd_receipt_catalog_new (const char *language)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *path = NULL;
  g_autofree char *key = NULL;
  PdReceiptCatalog *self;

  g_return_val_if_fail (language != NULL, NULL);

  if (g_str_equal (language, "en") || (path = find_catalog (language, &key)) == NULL)
    return catalog_new (language);

  locker = g_mutex_locker_new (&cache_lock);
  if (cache == NULL)
    cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                   (GDestroyNotify) pd_receipt_catalog_free);

  self = g_hash_table_lookup (cache, key);
  if (self != NULL)
    return catalog_ref (self);

  self = catalog_new (language);
  self->file = g_mapped_file_new (path, FALSE, NULL);
  if (self->file != NULL)
    parse_catalog (self);
  g_hash_table_insert (cache, g_steal_pointer (&key), catalog_ref (self));
  return self;
}

void
pd_receipt_catalog_free (PdReceiptCatalog *self)
{
  if (self == NULL || !g_atomic_int_dec_and_test (&self->ref_count))
    return;

  g_hash_table_unref (self->strings);
  g_clear_pointer (&self->file, g_mapped_file_unref);
  g_free (self->language);
  g_free (self);
}

const char *
pd_receipt_catalog_get_language (PdReceiptCatalog *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->language;
}

gboolean
pd_receipt_catalog_is_loaded (PdReceiptCatalog *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->file != NULL && g_hash_table_size (self->strings) > 0;
}

const char *
pd_receipt_catalog_gettext (PdReceiptCatalog *self,
                            const char       *msgid)
{
  const char *msgstr;

  g_return_val_if_fail (self != NULL, msgid);
  g_return_val_if_fail (msgid != NULL, NULL);

  msgstr = g_hash_table_lookup (self->strings, msgid);
  return msgstr != NULL ? msgstr : msgid;
}
