#include <string.h>

#include "pd-card-files.h"
#include "pd-tlv.h"

/* A record travels in one short response: 256 bytes at most. */
#define MAX_RECORD_BYTES 256

/* Signing the static data with the issuer's key proves it; the code itself is the issuer's
 * choice (the terminal keeps it as 9F45). */
static const guint8 data_authentication_code[2] = { 0xda, 0xc1 };

struct _PdCardFiles {
  /* Borrowed: the profile outlives the card. */
  const PdCardApplication *app;
  GHashTable *objects;
  GHashTable *records;
  GBytes *static_data;
  GBytes *fci;
};

void
pd_card_files_free (PdCardFiles *files)
{
  if (files == NULL)
    return;

  g_clear_pointer (&files->objects, g_hash_table_unref);
  g_clear_pointer (&files->records, g_hash_table_unref);
  g_clear_pointer (&files->static_data, g_bytes_unref);
  g_clear_pointer (&files->fci, g_bytes_unref);
  g_free (files);
}

static gpointer
record_key (guint8 sfi,
            guint8 number)
{
  return GUINT_TO_POINTER ((guint) sfi << 8 | number);
}

GBytes *
pd_card_files_get_object (PdCardFiles *files,
                          guint32      tag)
{
  g_return_val_if_fail (files != NULL, NULL);
  return g_hash_table_lookup (files->objects, GUINT_TO_POINTER (tag));
}

GBytes *
pd_card_files_get_record (PdCardFiles *files,
                          guint8       sfi,
                          guint8       number)
{
  g_return_val_if_fail (files != NULL, NULL);
  return g_hash_table_lookup (files->records, record_key (sfi, number));
}

GBytes *
pd_card_files_get_fci (PdCardFiles *files)
{
  g_return_val_if_fail (files != NULL, NULL);
  return files->fci;
}

GBytes *
pd_card_files_get_static_data (PdCardFiles *files)
{
  g_return_val_if_fail (files != NULL, NULL);
  return files->static_data;
}

static void
append_bytes (GByteArray *out,
              guint32     tag,
              GBytes     *value)
{
  pd_tlv_append (out, tag, g_bytes_get_data (value, NULL), g_bytes_get_size (value));
}

static void
append_object (PdCardFiles *files,
               GByteArray  *out,
               guint32      tag)
{
  GBytes *value = pd_card_files_get_object (files, tag);

  if (value != NULL)
    append_bytes (out, tag, value);
}

static void
append_template (GByteArray *out,
                 guint32     tag,
                 GByteArray *contents)
{
  pd_tlv_append (out, tag, contents->data, contents->len);
}

static void
append_string (GByteArray *out,
               guint32     tag,
               const char *text)
{
  pd_tlv_append (out, tag, (const guint8 *) text, strlen (text));
}

void
pd_card_files_append_directory_entry (PdCardFiles *files,
                                      GByteArray  *out)
{
  g_autoptr(GByteArray) entry = g_byte_array_new ();
  const PdCardApplication *app;

  g_return_if_fail (files != NULL);
  g_return_if_fail (out != NULL);

  app = files->app;
  append_bytes (entry, 0x4f, app->aid);
  append_string (entry, 0x50, app->label);
  if (app->preferred_name != NULL)
    append_string (entry, 0x9f12, app->preferred_name);
  if (app->priority != 0)
    pd_tlv_append (entry, 0x87, &app->priority, 1);
  append_template (out, 0x61, entry);
}

/* 6F: the DF name, then the proprietary template A5 with what selection needs (label,
 * priority, PDOL, languages, preferred name) and the issuer's discretionary data. */
static GBytes *
build_fci (PdCardFiles *files)
{
  const PdCardApplication *app = files->app;
  g_autoptr(GByteArray) proprietary = g_byte_array_new ();
  g_autoptr(GByteArray) discretionary = g_byte_array_new ();
  g_autoptr(GByteArray) fci = g_byte_array_new ();
  g_autoptr(GByteArray) out = g_byte_array_new ();
  const guint8 code_table = 0x01;
  const guint8 *pan = g_bytes_get_data (pd_card_files_get_object (files, 0x5a), NULL);

  append_string (proprietary, 0x50, app->label);
  if (app->priority != 0)
    pd_tlv_append (proprietary, 0x87, &app->priority, 1);
  append_object (files, proprietary, 0x9f38);
  append_string (proprietary, 0x5f2d, "en");
  if (app->preferred_name != NULL)
    {
      pd_tlv_append (proprietary, 0x9f11, &code_table, 1);
      append_string (proprietary, 0x9f12, app->preferred_name);
    }
  /* The issuer identification number: the BIN, nothing more of the account. */
  pd_tlv_append (discretionary, 0x42, pan, 3);
  append_template (proprietary, 0xbf0c, discretionary);

  append_bytes (fci, 0x84, app->aid);
  append_template (fci, 0xa5, proprietary);
  append_template (out, 0x6f, fci);
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static gboolean
is_remainder (guint32 tag)
{
  return tag == 0x92 || tag == 0x9f48;
}

static GBytes *
build_record (PdCardFiles               *files,
              const PdCardRecordLayout  *layout,
              GError                   **error)
{
  g_autoptr(GByteArray) contents = g_byte_array_new ();
  g_autoptr(GByteArray) record = g_byte_array_new ();

  if (layout->raw != NULL)
    return g_bytes_ref (layout->raw);

  for (guint i = 0; i < layout->tags->len; i++)
    {
      guint32 tag = g_array_index (layout->tags, guint32, i);
      GBytes *value = pd_card_files_get_object (files, tag);

      /* A remainder is only there when the key did not fit its certificate. */
      if (value == NULL && is_remainder (tag))
        continue;
      if (value == NULL)
        {
          g_set_error (error, PD_CARD_PROFILE_ERROR, PD_CARD_PROFILE_ERROR_INVALID,
                       "SFI %u record %u: %X has no value (no keys to make it?)", layout->sfi,
                       layout->number, tag);
          return NULL;
        }
      append_bytes (contents, tag, value);
    }

  append_template (record, 0x70, contents);
  if (record->len > MAX_RECORD_BYTES)
    {
      g_set_error (error, PD_CARD_PROFILE_ERROR, PD_CARD_PROFILE_ERROR_INVALID,
                   "SFI %u record %u is %u bytes, more than a response holds", layout->sfi,
                   layout->number, record->len);
      return NULL;
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&record));
}

static const PdCardRecordLayout *
find_layout (const PdCardApplication *app,
             guint8                   sfi,
             guint8                   number)
{
  for (guint i = 0; i < app->records->len; i++)
    {
      const PdCardRecordLayout *layout = &g_array_index (app->records, PdCardRecordLayout, i);

      if (layout->sfi == sfi && layout->number == number)
        return layout;
    }

  return NULL;
}

/* Records of SFI 1 to 10 are signed without their 70 tag and length, those of SFI 11 to 30
 * whole (Book 3 section 10.3). */
static gboolean
append_signed_record (GByteArray  *static_data,
                      guint8       sfi,
                      GBytes      *record,
                      GError     **error)
{
  g_autoptr(GPtrArray) nodes = NULL;
  const PdTlv *template;

  if (sfi > 10)
    {
      g_byte_array_append (static_data, g_bytes_get_data (record, NULL),
                           (guint) g_bytes_get_size (record));
      return TRUE;
    }

  nodes = pd_tlv_parse (g_bytes_get_data (record, NULL), g_bytes_get_size (record), NULL);
  if (nodes == NULL || nodes->len != 1 ||
      (template = g_ptr_array_index (nodes, 0))->tag != 0x70)
    {
      g_set_error (error, PD_CARD_PROFILE_ERROR, PD_CARD_PROFILE_ERROR_INVALID,
                   "a signed record of SFI %u is not a well-formed 70 template", sfi);
      return FALSE;
    }

  g_byte_array_append (static_data, g_bytes_get_data (template->value, NULL),
                       (guint) g_bytes_get_size (template->value));
  return TRUE;
}

/* EMV allows only the AIP in the static data authentication tag list. */
static gboolean
append_tag_list (PdCardFiles  *files,
                 GByteArray   *static_data,
                 GError      **error)
{
  GBytes *tag_list = pd_card_files_get_object (files, 0x9f4a);
  gsize length = 0;
  const guint8 *tags = tag_list != NULL ? g_bytes_get_data (tag_list, &length) : NULL;

  if (tag_list == NULL)
    return TRUE;
  if (length != 1 || tags[0] != 0x82)
    {
      g_set_error (error, PD_CARD_PROFILE_ERROR, PD_CARD_PROFILE_ERROR_INVALID,
                   "9F4A may only list 82");
      return FALSE;
    }

  /* The value alone, without tag and length. */
  g_byte_array_append (static_data, g_bytes_get_data (pd_card_files_get_object (files, 0x82),
                                                      NULL), 2);
  return TRUE;
}

static GBytes *
build_static_data (PdCardFiles  *files,
                   GError      **error)
{
  g_autoptr(GByteArray) static_data = g_byte_array_new ();
  gsize length;
  const guint8 *afl = g_bytes_get_data (pd_card_files_get_object (files, 0x94), &length);

  for (gsize at = 0; at + 4 <= length; at += 4)
    for (guint n = 0; n < afl[at + 3]; n++)
      {
        guint8 sfi = afl[at] >> 3;
        const PdCardRecordLayout *layout = find_layout (files->app, sfi,
                                                        (guint8) (afl[at + 1] + n));
        g_autoptr(GBytes) record = build_record (files, layout, error);

        if (record == NULL || !append_signed_record (static_data, sfi, record, error))
          return NULL;
      }

  if (!append_tag_list (files, static_data, error))
    return NULL;
  return g_byte_array_free_to_bytes (g_steal_pointer (&static_data));
}

static gboolean
layout_names (const PdCardApplication *app,
              guint32                  tag)
{
  for (guint i = 0; i < app->records->len; i++)
    {
      const PdCardRecordLayout *layout = &g_array_index (app->records, PdCardRecordLayout, i);

      for (guint t = 0; layout->tags != NULL && t < layout->tags->len; t++)
        if (g_array_index (layout->tags, guint32, t) == tag)
          return TRUE;
    }

  return FALSE;
}

static gboolean
add_certificate_objects (PdCardFiles  *files,
                         guint32       certificate_tag,
                         GBytes       *certificate,
                         guint32       remainder_tag,
                         GBytes       *remainder,
                         guint32       exponent_tag,
                         GBytes       *exponent,
                         GError      **error)
{
  if (certificate == NULL)
    {
      g_set_error (error, PD_CARD_PROFILE_ERROR, PD_CARD_PROFILE_ERROR_INVALID,
                   "the keys could not make %X", certificate_tag);
      return FALSE;
    }
  if (remainder != NULL && !layout_names (files->app, remainder_tag))
    {
      g_set_error (error, PD_CARD_PROFILE_ERROR, PD_CARD_PROFILE_ERROR_INVALID,
                   "the key in %X leaves a remainder: the records need %X", certificate_tag,
                   remainder_tag);
      return FALSE;
    }

  g_hash_table_insert (files->objects, GUINT_TO_POINTER (certificate_tag),
                       g_bytes_ref (certificate));
  if (remainder != NULL)
    g_hash_table_insert (files->objects, GUINT_TO_POINTER (remainder_tag),
                         g_bytes_ref (remainder));
  g_hash_table_insert (files->objects, GUINT_TO_POINTER (exponent_tag), g_bytes_ref (exponent));
  return TRUE;
}

/* The certificates the records lay out, over the static data (Book 2 sections 5 and 6). */
static gboolean
add_certificates (PdCardFiles   *files,
                  PdCardSigner  *signer,
                  GError       **error)
{
  const PdCardApplication *app = files->app;
  char expiry_mmyy[5] = { app->expiry[2], app->expiry[3], app->expiry[0], app->expiry[1], 0 };
  g_autoptr(GBytes) certificate = NULL;
  g_autoptr(GBytes) remainder = NULL;
  g_autoptr(GBytes) exponent = NULL;
  g_autoptr(GBytes) icc_certificate = NULL;
  g_autoptr(GBytes) icc_remainder = NULL;
  g_autoptr(GBytes) icc_exponent = NULL;

  if (!layout_names (app, 0x90) && !layout_names (app, 0x93) && !layout_names (app, 0x9f46))
    return TRUE;
  if (signer == NULL)
    {
      g_set_error (error, PD_CARD_PROFILE_ERROR, PD_CARD_PROFILE_ERROR_INVALID,
                   "the records hold certificates but the card has no keys");
      return FALSE;
    }

  certificate = pd_card_signer_issuer_certificate (signer, app->pan, expiry_mmyy, &remainder,
                                                   &exponent);
  if (!add_certificate_objects (files, 0x90, certificate, 0x92, remainder, 0x9f32, exponent,
                                error))
    return FALSE;

  if (layout_names (app, 0x93))
    g_hash_table_insert (files->objects, GUINT_TO_POINTER (0x93),
                         pd_card_signer_sign_static (signer, data_authentication_code,
                                                     files->static_data));

  if (!layout_names (app, 0x9f46))
    return TRUE;
  icc_certificate = pd_card_signer_icc_certificate (signer, app->pan, expiry_mmyy,
                                                    files->static_data, &icc_remainder,
                                                    &icc_exponent);
  return add_certificate_objects (files, 0x9f46, icc_certificate, 0x9f48, icc_remainder,
                                  0x9f47, icc_exponent, error);
}

static gboolean
build_records (PdCardFiles  *files,
               GError      **error)
{
  const PdCardApplication *app = files->app;

  for (guint i = 0; i < app->records->len; i++)
    {
      const PdCardRecordLayout *layout = &g_array_index (app->records, PdCardRecordLayout, i);
      GBytes *record = build_record (files, layout, error);

      if (record == NULL)
        return FALSE;
      g_hash_table_insert (files->records, record_key (layout->sfi, layout->number), record);
    }

  return TRUE;
}

PdCardFiles *
pd_card_files_new (const PdCardApplication  *app,
                   PdCardSigner             *signer,
                   GError                  **error)
{
  g_autoptr(PdCardFiles) files = NULL;
  GHashTableIter iter;
  gpointer tag, value;

  g_return_val_if_fail (app != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  files = g_new0 (PdCardFiles, 1);
  files->app = app;
  files->objects = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_bytes_unref);
  files->records = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_bytes_unref);

  g_hash_table_iter_init (&iter, app->data);
  while (g_hash_table_iter_next (&iter, &tag, &value))
    g_hash_table_insert (files->objects, tag, g_bytes_ref (value));

  /* The signed records hold no certificate (the profile is checked for it), so they can
   * be built, and signed, before the others. */
  files->static_data = build_static_data (files, error);
  if (files->static_data == NULL ||
      !add_certificates (files, signer, error) ||
      !build_records (files, error))
    return NULL;

  files->fci = build_fci (files);
  return g_steal_pointer (&files);
}
