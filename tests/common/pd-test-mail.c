#include <signal.h>
#include <string.h>

#include "pd-test-common.h"
#include "pd-test-mail.h"

PdTestMail *
pd_test_mail_start (const char         *dir,
                    const char * const *extra_args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  PdTestMail *mail = g_new0 (PdTestMail, 1);

  mail->maildir = g_build_filename (dir, "maildir", NULL);
  g_ptr_array_add (argv, g_strdup (g_getenv ("PAYDESK_MAIL_SIM")));
  g_ptr_array_add (argv, g_strdup ("--listen=127.0.0.1:0"));
  g_ptr_array_add (argv, g_strdup_printf ("--maildir=%s", mail->maildir));
  for (guint i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (extra_args[i]));
  g_ptr_array_add (argv, NULL);

  mail->process = pd_test_spawn_listening ((const char * const *) argv->pdata, &mail->url);
  return mail;
}

void
pd_test_mail_free (PdTestMail *mail)
{
  g_autoptr(GError) error = NULL;

  if (mail == NULL)
    return;

  if (mail->process != NULL)
    {
      g_subprocess_send_signal (mail->process, SIGTERM);
      g_subprocess_wait (mail->process, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_if_exited (mail->process));
      g_assert_cmpint (g_subprocess_get_exit_status (mail->process), ==, 0);
      g_clear_object (&mail->process);
    }
  g_free (mail->url);
  g_free (mail->maildir);
  g_free (mail);
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

GPtrArray *
pd_test_mail_list (PdTestMail *mail)
{
  g_autofree char *new_dir = g_build_filename (mail->maildir, "new", NULL);
  g_autoptr(GDir) dir = g_dir_open (new_dir, 0, NULL);
  GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (paths, g_build_filename (new_dir, name, NULL));
  g_ptr_array_sort (paths, compare_paths);
  return paths;
}

/* RFC 2047 B-encoded words, the only kind Paydesk writes; other text is kept as it is. */
static char *
decode_words (const char *value)
{
  GString *out = g_string_new (NULL);
  const char *p = value;
  gboolean after_word = FALSE;

  while (*p != '\0')
    {
      const char *start = strstr (p, "=?UTF-8?B?");
      const char *end = start != NULL ? strstr (start + 10, "?=") : NULL;
      g_autofree char *encoded = NULL;
      g_autofree guchar *decoded = NULL;
      gsize length;

      if (start == NULL || end == NULL)
        {
          g_string_append (out, p);
          break;
        }

      /* Blanks between two encoded words are folding, not text. */
      if (!after_word || strspn (p, " \t") != (gsize) (start - p))
        g_string_append_len (out, p, start - p);
      encoded = g_strndup (start + 10, end - start - 10);
      decoded = g_base64_decode (encoded, &length);
      g_string_append_len (out, (const char *) decoded, length);
      after_word = TRUE;
      p = end + 2;
    }

  return g_string_free (out, FALSE);
}

static GHashTable *
read_headers (const char  *text,
              const char **body)
{
  GHashTable *headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const char *separator = strstr (text, "\r\n\r\n");
  g_autofree char *block = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GString) value = g_string_new (NULL);

  g_assert_nonnull (separator);
  *body = separator + 4;
  block = g_strndup (text, separator - text);
  lines = g_strsplit (block, "\r\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (lines[i][0] == ' ' || lines[i][0] == '\t')
        {
          g_assert_nonnull (name);
          g_string_append (value, lines[i]);
          continue;
        }
      if (name != NULL)
        g_hash_table_replace (headers, g_steal_pointer (&name), decode_words (value->str));
      g_assert_nonnull (strchr (lines[i], ':'));
      name = g_ascii_strdown (lines[i], strchr (lines[i], ':') - lines[i]);
      g_string_assign (value, g_strchug (strchr (lines[i], ':') + 1));
    }
  if (name != NULL)
    g_hash_table_replace (headers, g_steal_pointer (&name), decode_words (value->str));

  return headers;
}

static char *
parameter (const char *value,
           const char *name)
{
  g_autofree char *key = g_strdup_printf ("%s=\"", name);
  const char *start = strstr (value, key);
  const char *end;

  if (start == NULL)
    return NULL;
  start += strlen (key);
  end = strchr (start, '"');
  g_assert_nonnull (end);
  return g_strndup (start, end - start);
}

static void
read_entity (PdTestMessage *message,
             GHashTable    *headers,
             const char    *body,
             gsize          body_length)
{
  const char *type_header = g_hash_table_lookup (headers, "content-type");
  g_autofree char *type = NULL;

  g_assert_nonnull (type_header);
  g_ptr_array_add (message->structure, g_strdup (type_header));
  type = g_ascii_strdown (type_header, strcspn (type_header, ";"));

  if (g_str_has_prefix (type, "multipart/"))
    {
      g_autofree char *boundary = parameter (type_header, "boundary");
      g_autofree char *delimiter = g_strdup_printf ("--%s", boundary);
      g_autofree char *text = g_strndup (body, body_length);
      g_auto(GStrv) pieces = g_strsplit (text, delimiter, -1);
      guint n = g_strv_length (pieces);

      /* pieces[0] is the preamble; the last one starts with "--", the end. */
      g_assert_cmpuint (n, >=, 3);
      g_assert_true (g_str_has_prefix (pieces[n - 1], "--"));
      for (guint i = 1; i + 1 < n; i++)
        {
          const char *piece = pieces[i];
          const char *part_body = NULL;
          g_autoptr(GHashTable) part_headers = NULL;

          g_assert_true (g_str_has_prefix (piece, "\r\n"));
          part_headers = read_headers (piece + 2, &part_body);
          g_assert_true (g_str_has_suffix (part_body, "\r\n"));
          read_entity (message, part_headers, part_body, strlen (part_body) - 2);
        }
      return;
    }

  {
    PdTestMimePart *part = g_new0 (PdTestMimePart, 1);
    const char *encoding = g_hash_table_lookup (headers, "content-transfer-encoding");
    const char *disposition = g_hash_table_lookup (headers, "content-disposition");

    part->content_type = g_steal_pointer (&type);
    part->filename = disposition != NULL ? parameter (disposition, "filename") : NULL;
    if (g_strcmp0 (encoding, "base64") == 0)
      {
        g_autofree char *encoded = g_strndup (body, body_length);
        gsize length;
        guchar *decoded;

        /* Every encoded line is at most 76 characters (RFC 2045). */
        for (char *line = encoded, *next; line != NULL && *line != '\0'; line = next)
          {
            next = strstr (line, "\r\n");
            g_assert_cmpuint (next != NULL ? (gsize) (next - line) : strlen (line), <=, 76);
            if (next != NULL)
              next += 2;
          }
        decoded = g_base64_decode (encoded, &length);
        /* NUL-terminated for text parts; the size stays the content's. */
        decoded = g_realloc (decoded, length + 1);
        decoded[length] = '\0';
        part->content = g_bytes_new_with_free_func (decoded, length, g_free, decoded);
      }
    else
      part->content = g_bytes_new (body, body_length);
    g_ptr_array_add (message->parts, part);
  }
}

static void
part_free (PdTestMimePart *part)
{
  g_free (part->content_type);
  g_free (part->filename);
  g_bytes_unref (part->content);
  g_free (part);
}

PdTestMessage *
pd_test_message_read (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const char *body = NULL;
  gsize length;
  PdTestMessage *message = g_new0 (PdTestMessage, 1);

  g_assert_true (g_file_get_contents (path, &text, &length, &error));
  g_assert_no_error (error);
  /* 7-bit clean, lines end in CRLF and are at most 998 characters (RFC 5322). */
  for (gsize i = 0, column = 0; i < length; i++, column++)
    {
      g_assert_cmpuint ((guchar) text[i], <, 0x80);
      if (text[i] == '\n')
        {
          g_assert_true (i > 0 && text[i - 1] == '\r');
          g_assert_cmpuint (column, <=, 999);
          column = 0;
        }
    }

  message->parts = g_ptr_array_new_with_free_func ((GDestroyNotify) part_free);
  message->structure = g_ptr_array_new_with_free_func (g_free);
  message->headers = read_headers (text, &body);
  read_entity (message, message->headers, body, length - (body - text));
  return message;
}

void
pd_test_message_free (PdTestMessage *message)
{
  g_hash_table_unref (message->headers);
  g_ptr_array_unref (message->parts);
  g_ptr_array_unref (message->structure);
  g_free (message);
}

const char *
pd_test_message_header (PdTestMessage *message,
                        const char    *name)
{
  g_autofree char *lower = g_ascii_strdown (name, -1);

  return g_hash_table_lookup (message->headers, lower);
}

PdTestMimePart *
pd_test_message_find (PdTestMessage *message,
                      const char    *content_type)
{
  for (guint i = 0; i < message->parts->len; i++)
    {
      PdTestMimePart *part = g_ptr_array_index (message->parts, i);

      if (g_str_equal (part->content_type, content_type))
        return part;
    }

  return NULL;
}
