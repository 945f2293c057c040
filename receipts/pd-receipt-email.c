#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "pd-receipt-cairo.h"
#include "pd-receipt-catalog.h"
#include "pd-receipt-email.h"
#include "pd-receipt-html.h"
#include "pd-receipt-private.h"
#include "pd-receipt-text.h"

/* Columns of the plain text part: narrow enough for a phone held upright. */
#define TEXT_COLUMNS 48
/* RFC 2045: base64 lines of at most 76 characters. */
#define BASE64_LINE 76
/* RFC 2047: an encoded word is at most 75 characters; 45 bytes of UTF-8 fill 60 of them. */
#define ENCODED_WORD_BYTES 45

/* Base64 has no "_" and no "=" but at the end: no part can contain this. */
#define BOUNDARY_MIXED "=_paydesk_mixed"
#define BOUNDARY_ALTERNATIVE "=_paydesk_alternative"

static void
append_base64 (GString      *out,
               const guint8 *data,
               gsize         length)
{
  g_autofree char *encoded = g_base64_encode (data, length);
  gsize total = strlen (encoded);

  for (gsize i = 0; i < total; i += BASE64_LINE)
    {
      g_string_append_len (out, encoded + i, MIN (BASE64_LINE, total - i));
      g_string_append (out, "\r\n");
    }
}

static gboolean
is_plain_header_text (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || (guchar) *p > 0x7e)
      return FALSE;

  return strstr (text, "=?") == NULL;
}

/* A header's text as RFC 2047 encoded words, folded, cut only between characters. */
static void
append_header_text (GString    *out,
                    const char *text)
{
  const char *p = text;

  if (is_plain_header_text (text))
    {
      g_string_append (out, text);
      return;
    }

  while (*p != '\0')
    {
      const char *end = p;
      g_autofree char *encoded = NULL;

      while (*end != '\0')
        {
          const char *next = g_utf8_next_char (end);

          if (next - p > ENCODED_WORD_BYTES)
            break;
          end = next;
        }

      encoded = g_base64_encode ((const guchar *) p, end - p);
      if (p != text)
        g_string_append (out, "\r\n ");
      g_string_append_printf (out, "=?UTF-8?B?%s?=", encoded);
      p = end;
    }
}

/* RFC 5322's date, in English whatever the process locale. */
static char *
format_date (GDateTime *date)
{
  static const char * const days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
  static const char * const months[] = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
  };
  gint64 offset_minutes = g_date_time_get_utc_offset (date) / G_TIME_SPAN_MINUTE;

  return g_strdup_printf ("%s, %d %s %d %02d:%02d:%02d %c%02d%02d",
                          days[g_date_time_get_day_of_week (date) - 1],
                          g_date_time_get_day_of_month (date),
                          months[g_date_time_get_month (date) - 1],
                          g_date_time_get_year (date),
                          g_date_time_get_hour (date), g_date_time_get_minute (date),
                          g_date_time_get_second (date),
                          offset_minutes < 0 ? '-' : '+',
                          (int) (ABS (offset_minutes) / 60), (int) (ABS (offset_minutes) % 60));
}

/* As gettext: a translated format must take the arguments of the original. */
static const char *tr (PdReceiptCatalog *catalog,
                       const char       *msgid) G_GNUC_FORMAT (2);

static const char *
tr (PdReceiptCatalog *catalog,
    const char       *msgid)
{
  return pd_receipt_catalog_gettext (catalog, msgid);
}

static char *
dup_subject (PdReceipt        *receipt,
             PdReceiptCatalog *catalog)
{
  g_autofree char *subject = NULL;

  if (receipt->confirmation != NULL)
    subject = g_strdup_printf (tr (catalog, N_("Your payment confirmation %s")),
                               receipt->confirmation);
  else
    subject = g_strdup_printf (tr (catalog, N_("Your payment receipt %s")),
                               receipt->reference);

  if (receipt->training)
    return g_strdup_printf ("[%s] %s",
                            tr (catalog, N_("TRAINING — NOT A PAYMENT")),
                            subject);

  return g_steal_pointer (&subject);
}

static GStrv
dup_intro (PdReceipt        *receipt,
           PdReceiptCatalog *catalog)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_strv_builder_add (builder, tr (catalog,
    N_("Here is the receipt for your payment. The same receipt is attached as a PDF to print "
       "or keep.")));

  if (receipt->member_services_phone != NULL)
    {
      g_autofree char *contact = g_strdup_printf (tr (catalog,
        N_("This message was sent automatically; replies are not read. For questions, call "
           "Member Services at %s (TTY 711).")), receipt->member_services_phone);

      g_strv_builder_add (builder, contact);
    }
  else
    g_strv_builder_add (builder, tr (catalog,
      N_("This message was sent automatically; replies are not read.")));

  return g_strv_builder_end (builder);
}

static void
append_text_part (GString    *out,
                  const char *content_type,
                  const char *content)
{
  g_string_append_printf (out, "--" BOUNDARY_ALTERNATIVE "\r\n"
                               "Content-Type: %s; charset=utf-8\r\n"
                               "Content-Transfer-Encoding: base64\r\n\r\n", content_type);
  append_base64 (out, (const guint8 *) content, strlen (content));
}

/* Lines end in CRLF on the wire. */
static char *
dup_with_crlf (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  return g_strjoinv ("\r\n", lines);
}

GBytes *
pd_receipt_email_compose (PdReceipt                    *receipt,
                          PdReceiptLayout              *layout,
                          const PdReceiptEmailHeaders  *headers,
                          GError                      **error)
{
  g_autoptr(PdReceiptCatalog) catalog = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GString) out = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *date = NULL;
  g_autofree char *body = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_crlf = NULL;
  g_autofree char *intro_text = NULL;
  g_autofree char *html = NULL;
  g_autofree char *html_crlf = NULL;
  g_auto(GStrv) intro = NULL;
  const char *from_name;
  const guint8 *pdf_data;
  gsize pdf_length;

  g_return_val_if_fail (PD_IS_RECEIPT (receipt), NULL);
  g_return_val_if_fail (layout != NULL, NULL);
  g_return_val_if_fail (headers != NULL && headers->from != NULL && headers->to != NULL &&
                        headers->message_id != NULL && headers->date != NULL, NULL);

  pdf = pd_receipt_render_pdf (layout, error);
  if (pdf == NULL)
    return NULL;

  catalog = pd_receipt_catalog_new (layout->language);
  subject = dup_subject (receipt, catalog);
  intro = dup_intro (receipt, catalog);
  intro_text = g_strjoinv ("\n\n", intro);
  body = pd_receipt_render_text (layout, TEXT_COLUMNS);
  text = g_strdup_printf ("%s\n\n%s", intro_text, body);
  text_crlf = dup_with_crlf (text);
  html = pd_receipt_render_html (layout, subject, (const char * const *) intro);
  html_crlf = dup_with_crlf (html);
  date = format_date (headers->date);
  from_name = headers->from_name != NULL ? headers->from_name : receipt->center_name;

  out = g_string_new ("From: ");
  if (from_name != NULL && *from_name != '\0')
    {
      append_header_text (out, from_name);
      g_string_append (out, " ");
    }
  g_string_append_printf (out, "<%s>\r\nTo: <%s>\r\nSubject: ", headers->from, headers->to);
  append_header_text (out, subject);
  g_string_append_printf (out, "\r\nDate: %s\r\n"
                               "Message-ID: <%s>\r\n"
                               "MIME-Version: 1.0\r\n"
                               "Content-Language: %s\r\n"
                               "Auto-Submitted: auto-generated\r\n"
                               "Content-Type: multipart/mixed; boundary=\"" BOUNDARY_MIXED "\"\r\n"
                               "\r\n"
                               "--" BOUNDARY_MIXED "\r\n"
                               "Content-Type: multipart/alternative;"
                               " boundary=\"" BOUNDARY_ALTERNATIVE "\"\r\n\r\n",
                          date, headers->message_id, layout->language);
  append_text_part (out, "text/plain", text_crlf);
  append_text_part (out, "text/html", html_crlf);
  g_string_append (out, "--" BOUNDARY_ALTERNATIVE "--\r\n");

  g_string_append_printf (out, "--" BOUNDARY_MIXED "\r\n"
                               "Content-Type: application/pdf; name=\"receipt-%s.pdf\"\r\n"
                               "Content-Disposition: attachment; filename=\"receipt-%s.pdf\"\r\n"
                               "Content-Transfer-Encoding: base64\r\n\r\n",
                          receipt->reference, receipt->reference);
  pdf_data = g_bytes_get_data (pdf, &pdf_length);
  append_base64 (out, pdf_data, pdf_length);
  g_string_append (out, "--" BOUNDARY_MIXED "--\r\n");

  return g_string_free_to_bytes (g_steal_pointer (&out));
}
