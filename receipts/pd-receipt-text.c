#include "config.h"

#include "pd-receipt-text.h"

/* The shortest line to sign on. */
#define MIN_SIGNATURE_RULE 16

static guint
display_width (const char *utf8)
{
  guint width = 0;

  for (const char *p = utf8; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iszerowidth (c))
        continue;
      width += g_unichar_iswide (c) ? 2 : 1;
    }
  return width;
}

/* Appends word to lines, breaking it between characters where it is wider than a line. */
static void
wrap_word (GPtrArray  *lines,
           GString    *current,
           guint      *current_width,
           const char *word,
           guint       width)
{
  guint word_width = display_width (word);

  if (*current_width > 0 && *current_width + 1 + word_width <= width)
    {
      g_string_append_c (current, ' ');
      g_string_append (current, word);
      *current_width += 1 + word_width;
      return;
    }

  if (*current_width > 0)
    {
      g_ptr_array_add (lines, g_strdup (current->str));
      g_string_truncate (current, 0);
      *current_width = 0;
    }

  for (const char *p = word; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      guint char_width = g_unichar_iszerowidth (c) ? 0 : g_unichar_iswide (c) ? 2 : 1;

      if (*current_width + char_width > width && *current_width > 0)
        {
          g_ptr_array_add (lines, g_strdup (current->str));
          g_string_truncate (current, 0);
          *current_width = 0;
        }
      g_string_append_unichar (current, c);
      *current_width += char_width;
    }
}

static GPtrArray *
wrap (const char *utf8,
      guint       width)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) words = g_strsplit (utf8, " ", -1);
  g_autoptr(GString) current = g_string_new (NULL);
  guint current_width = 0;

  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0')
      wrap_word (lines, current, &current_width, words[i], width);
  if (current_width > 0 || lines->len == 0)
    g_ptr_array_add (lines, g_strdup (current->str));
  return lines;
}

static char *
pad_between (const char *start,
             const char *end,
             guint       columns)
{
  guint used = display_width (start) + display_width (end);
  g_autofree char *spaces = g_strnfill (columns > used ? columns - used : 1, ' ');

  return g_strconcat (start, spaces, end, NULL);
}

static char *
centered (const char *text,
          guint       columns)
{
  guint width = display_width (text);
  g_autofree char *spaces = g_strnfill (columns > width ? (columns - width) / 2 : 0, ' ');

  return g_strconcat (spaces, text, NULL);
}

static void
add_line (GPtrArray         *out,
          PdReceiptLineKind  kind,
          char              *text)
{
  PdReceiptTextLine *line = g_new0 (PdReceiptTextLine, 1);

  line->kind = kind;
  line->text = text;
  g_ptr_array_add (out, line);
}

static void
text_line_free (PdReceiptTextLine *line)
{
  g_free (line->text);
  g_free (line);
}

static void
add_wrapped (GPtrArray         *out,
             PdReceiptLineKind  kind,
             const char        *text,
             guint              columns,
             gboolean           center,
             const char        *first_prefix,
             const char        *prefix)
{
  guint indent = display_width (prefix);
  g_autoptr(GPtrArray) lines = wrap (text, columns > indent ? columns - indent : 1);

  for (guint i = 0; i < lines->len; i++)
    {
      const char *piece = g_ptr_array_index (lines, i);

      if (center)
        add_line (out, kind, centered (piece, columns));
      else
        add_line (out, kind, g_strconcat (i == 0 ? first_prefix : prefix, piece, NULL));
    }
}

/* The strokes are for the renderers that draw; here, the caption. On paper, room to sign
 * and a rule after the label, across the line (under it when the label is too long). */
static void
add_signature (GPtrArray           *out,
               const PdReceiptLine *line,
               guint                columns)
{
  guint label = display_width (line->text);
  PdReceiptTextLine *first;

  if (line->signature != NULL)
    {
      guint at = out->len;

      add_wrapped (out, line->kind, line->text, columns, FALSE, "", "");
      first = g_ptr_array_index (out, at);
      first->signature = line->signature;
      return;
    }

  add_line (out, line->kind, g_strdup (""));
  if (label + 1 + MIN_SIGNATURE_RULE <= columns)
    {
      g_autofree char *rule = g_strnfill (columns - label - 1, '_');

      add_line (out, line->kind, g_strconcat (line->text, " ", rule, NULL));
      return;
    }
  add_wrapped (out, line->kind, line->text, columns, FALSE, "", "");
  add_line (out, line->kind, g_strnfill (columns, '_'));
}

static void
add_field (GPtrArray           *out,
           const PdReceiptLine *line,
           guint                columns)
{
  guint needed = display_width (line->text) + 1 + display_width (line->value);

  if (needed <= columns)
    {
      add_line (out, line->kind, pad_between (line->text, line->value, columns));
      return;
    }

  add_wrapped (out, line->kind, line->text, columns, FALSE, "", "");
  if (display_width (line->value) <= columns)
    add_line (out, line->kind, pad_between ("", line->value, columns));
  else
    add_wrapped (out, line->kind, line->value, columns, FALSE, "", "");
}

GPtrArray *
pd_receipt_text_lines (PdReceiptLayout *layout,
                       guint            columns)
{
  GPtrArray *out;

  g_return_val_if_fail (layout != NULL, NULL);
  g_return_val_if_fail (columns >= 16, NULL);

  out = g_ptr_array_new_with_free_func ((GDestroyNotify) text_line_free);
  for (guint i = 0; i < layout->lines->len; i++)
    {
      const PdReceiptLine *line = g_ptr_array_index (layout->lines, i);

      switch (line->kind)
        {
        case PD_RECEIPT_LINE_MARK:
          {
            g_autofree char *boxed = g_strdup_printf ("*** %s ***", line->text);

            add_wrapped (out, line->kind, boxed, columns, TRUE, "", "");
          }
          break;
        case PD_RECEIPT_LINE_TITLE:
        case PD_RECEIPT_LINE_CENTERED:
        case PD_RECEIPT_LINE_STATUS:
          add_wrapped (out, line->kind, line->text, columns, TRUE, "", "");
          break;
        case PD_RECEIPT_LINE_HEADING:
        case PD_RECEIPT_LINE_PARAGRAPH:
          add_wrapped (out, line->kind, line->text, columns, FALSE, "", "");
          break;
        case PD_RECEIPT_LINE_NOTICE:
          add_wrapped (out, line->kind, line->text, columns, FALSE, "- ", "  ");
          break;
        case PD_RECEIPT_LINE_FIELD:
        case PD_RECEIPT_LINE_AMOUNT:
          add_field (out, line, columns);
          break;
        case PD_RECEIPT_LINE_RULE:
          add_line (out, line->kind, g_strnfill (columns, '-'));
          break;
        case PD_RECEIPT_LINE_QR:
          /* The payload, for the renderers that draw it; the confirmation is a field of
           * its own too. */
          add_line (out, line->kind, g_strdup (line->text));
          break;
        case PD_RECEIPT_LINE_SIGNATURE:
          add_signature (out, line, columns);
          break;
        default:
          break;
        }
    }

  return out;
}

char *
pd_receipt_render_text (PdReceiptLayout *layout,
                        guint            columns)
{
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (layout != NULL, NULL);

  lines = pd_receipt_text_lines (layout, columns);
  for (guint i = 0; i < lines->len; i++)
    {
      const PdReceiptTextLine *line = g_ptr_array_index (lines, i);

      if (line->kind == PD_RECEIPT_LINE_QR)
        continue;
      g_string_append (text, line->text);
      g_string_append_c (text, '\n');
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}
