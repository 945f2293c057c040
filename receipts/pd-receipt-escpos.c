#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-escpos.h"
#include "pd-receipt-escpos.h"
#include "pd-receipt-qr.h"
#include "pd-receipt-signature.h"
#include "pd-receipt-text.h"
#include "pd-text-raster.h"

/* Font A, the printers' default, is 12 dots wide. */
#define FONT_A_WIDTH_DOTS 12
#define QR_MODULE_DOTS 6
#define RULE_SPACE_DOTS 12
/* The member's signature: as high as five lines of Font A, drawn with a pen of three dots;
 * on paper, the room above the line to sign on. */
#define SIGNATURE_DOTS 120
#define SIGNATURE_PEN_DOTS 3.0
#define SIGN_ROOM_LINES 3
#define SIGN_ROOM_DOTS 96
#define SIGN_RULE "________________________"

/* Typography a code page may lack, and what the printer's font shows for it. */
static const struct {
  const char *typographic;
  const char *plain;
} foldings[] = {
  { "\u2014", "-" }, { "\u2013", "-" }, { "\u2018", "'" }, { "\u2019", "'" },
  { "\u201c", "\"" }, { "\u201d", "\"" }, { "\u202f", " " }, { "\u2009", " " },
  { "\u00a0", " " }, { "\u2026", "..." },
};

static char *
fold_typography (const char *utf8)
{
  g_autoptr(GString) folded = g_string_new (utf8);

  for (gsize i = 0; i < G_N_ELEMENTS (foldings); i++)
    g_string_replace (folded, foldings[i].typographic, foldings[i].plain, 0);
  return g_string_free (g_steal_pointer (&folded), FALSE);
}

static gboolean
is_large (PdReceiptLineKind kind)
{
  return kind == PD_RECEIPT_LINE_MARK || kind == PD_RECEIPT_LINE_TITLE ||
         kind == PD_RECEIPT_LINE_STATUS || kind == PD_RECEIPT_LINE_AMOUNT;
}

static gboolean
is_bold (PdReceiptLineKind kind)
{
  return is_large (kind) || kind == PD_RECEIPT_LINE_HEADING;
}

static gboolean
add_qr (PdEscpos          *builder,
        PdPrinterProfile  *profile,
        const char        *payload,
        GError           **error)
{
  g_autofree guint8 *bits = NULL;
  guint size = 0;
  gsize stride = 0;

  pd_escpos_align (builder, PD_ESCPOS_ALIGN_CENTER);
  if (pd_printer_profile_get_qr_code (profile))
    {
      if (!pd_escpos_qr (builder, payload, QR_MODULE_DOTS, error))
        return FALSE;
    }
  else
    {
      bits = pd_receipt_qr_bits (payload, QR_MODULE_DOTS, &size, &stride);
      if (bits == NULL)
        {
          g_set_error (error, PD_ESCPOS_ERROR, PD_ESCPOS_ERROR_TOO_LARGE,
                       _("“%s” cannot be drawn as a QR code."), payload);
          return FALSE;
        }
      if (!pd_escpos_raster (builder, size, size, bits, stride, error))
        return FALSE;
    }
  pd_escpos_align (builder, PD_ESCPOS_ALIGN_LEFT);
  return TRUE;
}

/* The strokes across the paper, scaled to fit SIGNATURE_DOTS: the caption follows. */
static gboolean
add_signature (PdEscpos          *builder,
               PdPrinterProfile  *profile,
               PdSignature       *signature,
               GError           **error)
{
  guint width = pd_printer_profile_get_paper_width (profile);
  g_autofree guint8 *bits = NULL;
  gsize stride = 0;

  bits = pd_receipt_signature_bits (signature, width, SIGNATURE_DOTS, SIGNATURE_PEN_DOTS,
                                    &stride);
  pd_escpos_align (builder, PD_ESCPOS_ALIGN_LEFT);
  return pd_escpos_raster (builder, width, SIGNATURE_DOTS, bits, stride, error);
}

/* In the printer's font: the plain-text layout, line by line, in the page that holds it. */
static gboolean
render_as_text (PdReceiptLayout          *layout,
                PdPrinterProfile         *profile,
                const PdPrinterCodePage  *page,
                gboolean                  fold,
                PdEscpos                 *builder,
                GError                  **error)
{
  guint columns = pd_printer_profile_get_paper_width (profile) / FONT_A_WIDTH_DOTS;
  g_autoptr(GPtrArray) lines = pd_receipt_text_lines (layout, columns);

  pd_escpos_select_code_page (builder, page->page, page->esc_t_number);
  for (guint i = 0; i < lines->len; i++)
    {
      const PdReceiptTextLine *line = g_ptr_array_index (lines, i);
      g_autofree char *folded = NULL;
      g_autofree char *text = NULL;

      if (line->kind == PD_RECEIPT_LINE_QR)
        {
          if (!add_qr (builder, profile, line->text, error))
            return FALSE;
          continue;
        }
      if (line->kind == PD_RECEIPT_LINE_SIGNATURE && line->signature != NULL &&
          !add_signature (builder, profile, line->signature, error))
        return FALSE;
      /* The room to sign on paper, above the line. */
      if (line->kind == PD_RECEIPT_LINE_SIGNATURE && line->signature == NULL &&
          *line->text == '\0')
        {
          pd_escpos_feed (builder, SIGN_ROOM_LINES);
          continue;
        }

      if (fold)
        folded = fold_typography (line->text);
      text = g_strconcat (fold ? folded : line->text, "\n", NULL);
      pd_escpos_bold (builder, is_bold (line->kind));
      pd_escpos_size (builder, 1, is_large (line->kind) ? 2 : 1);
      if (!pd_escpos_text (builder, text, error))
        return FALSE;
    }
  pd_escpos_bold (builder, FALSE);
  pd_escpos_size (builder, 1, 1);
  return TRUE;
}

/* Drawn: each section is one raster, so no image grows past what one command carries. */
static gboolean
render_as_raster (PdReceiptLayout   *layout,
                  PdPrinterProfile  *profile,
                  PdEscpos          *builder,
                  GError           **error)
{
  guint width = pd_printer_profile_get_paper_width (profile);
  g_autoptr(PdTextRaster) raster = pd_text_raster_new (width, layout->language);

  pd_escpos_align (builder, PD_ESCPOS_ALIGN_LEFT);
  for (guint i = 0; i < layout->lines->len; i++)
    {
      const PdReceiptLine *line = g_ptr_array_index (layout->lines, i);
      g_autofree char *field = NULL;

      switch (line->kind)
        {
        case PD_RECEIPT_LINE_MARK:
        case PD_RECEIPT_LINE_TITLE:
        case PD_RECEIPT_LINE_STATUS:
          pd_text_raster_add_line (raster, line->text, PD_ESCPOS_ALIGN_CENTER, TRUE, 2);
          break;
        case PD_RECEIPT_LINE_CENTERED:
          pd_text_raster_add_line (raster, line->text, PD_ESCPOS_ALIGN_CENTER, FALSE, 1);
          break;
        case PD_RECEIPT_LINE_HEADING:
          pd_text_raster_add_line (raster, line->text, PD_ESCPOS_ALIGN_LEFT, TRUE, 1);
          break;
        case PD_RECEIPT_LINE_FIELD:
        case PD_RECEIPT_LINE_AMOUNT:
          /* Proportional text cannot be padded into columns: the label, then its value at
           * the end of the line. */
          pd_text_raster_add_line (raster, line->text, PD_ESCPOS_ALIGN_LEFT,
                                   line->kind == PD_RECEIPT_LINE_AMOUNT, 1);
          pd_text_raster_add_line (raster, line->value, PD_ESCPOS_ALIGN_RIGHT,
                                   line->kind == PD_RECEIPT_LINE_AMOUNT,
                                   line->kind == PD_RECEIPT_LINE_AMOUNT ? 2 : 1);
          break;
        case PD_RECEIPT_LINE_PARAGRAPH:
          pd_text_raster_add_line (raster, line->text, PD_ESCPOS_ALIGN_LEFT, FALSE, 1);
          break;
        case PD_RECEIPT_LINE_NOTICE:
          field = g_strconcat ("• ", line->text, NULL);
          pd_text_raster_add_line (raster, field, PD_ESCPOS_ALIGN_LEFT, FALSE, 1);
          break;
        case PD_RECEIPT_LINE_SIGNATURE:
          if (line->signature == NULL)
            {
              /* Room to sign, and the line after the label. */
              field = g_strconcat (line->text, " " SIGN_RULE, NULL);
              pd_text_raster_add_space (raster, SIGN_ROOM_DOTS);
              pd_text_raster_add_line (raster, field, PD_ESCPOS_ALIGN_LEFT, FALSE, 1);
              break;
            }
          if (!pd_text_raster_append_to (raster, builder, error) ||
              !add_signature (builder, profile, line->signature, error))
            return FALSE;
          g_clear_pointer (&raster, pd_text_raster_free);
          raster = pd_text_raster_new (width, layout->language);
          pd_text_raster_add_line (raster, line->text, PD_ESCPOS_ALIGN_LEFT, FALSE, 1);
          break;
        case PD_RECEIPT_LINE_RULE:
        case PD_RECEIPT_LINE_QR:
        default:
          if (!pd_text_raster_append_to (raster, builder, error))
            return FALSE;
          g_clear_pointer (&raster, pd_text_raster_free);
          raster = pd_text_raster_new (width, layout->language);
          if (line->kind == PD_RECEIPT_LINE_QR)
            {
              if (!add_qr (builder, profile, line->text, error))
                return FALSE;
            }
          else
            pd_text_raster_add_space (raster, RULE_SPACE_DOTS);
          break;
        }
    }

  return pd_text_raster_append_to (raster, builder, error);
}

GBytes *
pd_receipt_render_escpos (PdReceiptLayout   *layout,
                          PdPrinterProfile  *profile,
                          GError           **error)
{
  g_autoptr(PdEscpos) builder = pd_escpos_new ();
  g_autofree char *all_text = NULL;
  g_autofree char *folded = NULL;
  const PdPrinterCodePage *page;
  gboolean fold = FALSE;

  g_return_val_if_fail (layout != NULL, NULL);
  g_return_val_if_fail (PD_IS_PRINTER_PROFILE (profile), NULL);

  all_text = pd_receipt_layout_dup_text (layout);
  page = pd_printer_profile_choose_code_page (profile, all_text);
  if (page == NULL)
    {
      folded = fold_typography (all_text);
      page = pd_printer_profile_choose_code_page (profile, folded);
      fold = page != NULL;
    }

  pd_escpos_initialize (builder);
  if (page != NULL && !layout->right_to_left)
    {
      if (!render_as_text (layout, profile, page, fold, builder, error))
        return NULL;
    }
  else if (!render_as_raster (layout, profile, builder, error))
    return NULL;

  pd_escpos_feed (builder, 3);
  pd_escpos_cut (builder, pd_printer_profile_get_cut (profile), 3);
  return pd_escpos_free_to_bytes (g_steal_pointer (&builder));
}
