#include "pd-receipt-html.h"

typedef enum {
  BLOCK_NONE,
  BLOCK_TABLE,
  BLOCK_LIST,
} Block;

static void
append_escaped (GString    *html,
                const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text != NULL ? text : "", -1);

  g_string_append (html, escaped);
}

/* Fields sit in one table and notices in one list, opened at the first and closed after
 * the last of a run. */
static Block
switch_block (GString *html,
              Block    open,
              Block    wanted)
{
  if (open == wanted)
    return open;

  if (open == BLOCK_TABLE)
    g_string_append (html, "</table>\n");
  else if (open == BLOCK_LIST)
    g_string_append (html, "</ul>\n");

  if (wanted == BLOCK_TABLE)
    g_string_append (html, "<table style=\"width:100%;"
                           "border-collapse:collapse\">\n");
  else if (wanted == BLOCK_LIST)
    g_string_append (html, "<ul style=\"padding-inline-start:1.2em\">\n");

  return wanted;
}

static void
append_line (GString             *html,
             const PdReceiptLine *line)
{
  switch (line->kind)
    {
    case PD_RECEIPT_LINE_MARK:
      g_string_append (html, "<p style=\"border:2px solid #000;padding:0.3em;text-align:center;"
                             "font-weight:bold;font-size:1.3em\">");
      append_escaped (html, line->text);
      g_string_append (html, "</p>\n");
      break;

    case PD_RECEIPT_LINE_TITLE:
      g_string_append (html, "<h1 style=\"text-align:center;font-size:1.4em;margin-bottom:0.2em\">");
      append_escaped (html, line->text);
      g_string_append (html, "</h1>\n");
      break;

    case PD_RECEIPT_LINE_CENTERED:
      g_string_append (html, "<p style=\"text-align:center;margin:0\">");
      append_escaped (html, line->text);
      g_string_append (html, "</p>\n");
      break;

    case PD_RECEIPT_LINE_HEADING:
      g_string_append (html, "<h2 style=\"font-size:1.1em;margin:1em 0 0.3em\">");
      append_escaped (html, line->text);
      g_string_append (html, "</h2>\n");
      break;

    case PD_RECEIPT_LINE_FIELD:
    case PD_RECEIPT_LINE_AMOUNT:
      g_string_append_printf (html, "<tr%s><th scope=\"row\" style=\"text-align:start;"
                                    "font-weight:%s;padding:0.15em 0\">",
                              line->kind == PD_RECEIPT_LINE_AMOUNT ? " style=\"font-size:1.3em\"" : "",
                              line->kind == PD_RECEIPT_LINE_AMOUNT ? "bold" : "normal");
      append_escaped (html, line->text);
      g_string_append_printf (html, "</th><td style=\"text-align:end;padding:0.15em 0;%s\">",
                              line->kind == PD_RECEIPT_LINE_AMOUNT ? "font-weight:bold" : "");
      /* Numbers and codes keep their order inside right-to-left text. */
      g_string_append (html, "<bdi>");
      append_escaped (html, line->value);
      g_string_append (html, "</bdi></td></tr>\n");
      break;

    case PD_RECEIPT_LINE_STATUS:
      g_string_append (html, "<p style=\"text-align:center;font-weight:bold;font-size:1.3em\">");
      append_escaped (html, line->text);
      g_string_append (html, "</p>\n");
      break;

    case PD_RECEIPT_LINE_PARAGRAPH:
      g_string_append (html, "<p>");
      append_escaped (html, line->text);
      g_string_append (html, "</p>\n");
      break;

    case PD_RECEIPT_LINE_NOTICE:
      g_string_append (html, "<li>");
      append_escaped (html, line->text);
      g_string_append (html, "</li>\n");
      break;

    case PD_RECEIPT_LINE_RULE:
      g_string_append (html, "<hr>\n");
      break;

    case PD_RECEIPT_LINE_QR:
      break;

    case PD_RECEIPT_LINE_SIGNATURE:
      /* The caption of the signature, not its image (mail readers block images); on paper,
       * the label and a line to sign on, as the printed receipt has them. */
      g_string_append (html, "<p>");
      append_escaped (html, line->text);
      if (line->signature == NULL)
        g_string_append (html, " ________________________");
      g_string_append (html, "</p>\n");
      break;

    default:
      g_assert_not_reached ();
    }
}

static Block
block_for (PdReceiptLineKind kind)
{
  switch (kind)
    {
    case PD_RECEIPT_LINE_FIELD:
    case PD_RECEIPT_LINE_AMOUNT:
      return BLOCK_TABLE;
    case PD_RECEIPT_LINE_NOTICE:
      return BLOCK_LIST;
    default:
      return BLOCK_NONE;
    }
}

char *
pd_receipt_render_html (PdReceiptLayout    *layout,
                        const char         *title,
                        const char * const *intro)
{
  GString *html;
  Block open = BLOCK_NONE;

  g_return_val_if_fail (layout != NULL, NULL);
  g_return_val_if_fail (title != NULL, NULL);

  html = g_string_new ("<!DOCTYPE html>\n");
  g_string_append_printf (html, "<html lang=\"%s\" dir=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
                                "<title>", layout->language, layout->right_to_left ? "rtl" : "ltr");
  append_escaped (html, title);
  g_string_append (html, "</title>\n</head>\n<body style=\"font-family:sans-serif;color:#000;"
                         "background:#fff;max-width:34em;margin:0 auto;padding:1em\">\n");

  for (guint i = 0; intro != NULL && intro[i] != NULL; i++)
    {
      g_string_append (html, "<p>");
      append_escaped (html, intro[i]);
      g_string_append (html, "</p>\n");
    }

  for (guint i = 0; i < layout->lines->len; i++)
    {
      const PdReceiptLine *line = g_ptr_array_index (layout->lines, i);

      /* The QR line is invisible here: it must not split a table or a list in two. */
      if (line->kind != PD_RECEIPT_LINE_QR)
        open = switch_block (html, open, block_for (line->kind));
      append_line (html, line);
    }
  switch_block (html, open, BLOCK_NONE);

  g_string_append (html, "</body>\n</html>\n");
  return g_string_free (html, FALSE);
}
