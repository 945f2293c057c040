#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-escpos.h"
#include "pd-printer-test-page.h"

/* A line of letters each code page is chosen for, to see they come out right. */
#define ACCENTED_SAMPLE "\u00e1\u00e9\u00ed\u00f3\u00fa \u00f1 \u00fc \u00e7 \u00e0\u00e8 \u00a3"
#define RULER_HEIGHT_DOTS 24

/* Text in the first page of the profile that holds it. Translations may hold letters no code
 * page has: ASCII stand-ins then, rather than no test page at all. */
static gboolean
add_text (PdEscpos         *builder,
          PdPrinterProfile *profile,
          const char       *utf8,
          GError          **error)
{
  const PdPrinterCodePage *page = pd_printer_profile_choose_code_page (profile, utf8);
  g_autofree char *ascii = NULL;
  guint n_pages = 0;

  if (page == NULL)
    {
      page = &pd_printer_profile_get_code_pages (profile, &n_pages)[0];
      utf8 = ascii = g_str_to_ascii (utf8, "C");
    }
  pd_escpos_select_code_page (builder, page->page, page->esc_t_number);
  return pd_escpos_text (builder, utf8, error);
}

/* Tick marks every 8 dots, longer every 64: a narrow paper or a misconfigured width shows. */
static gboolean
add_ruler (PdEscpos  *builder,
           guint      width_dots,
           GError   **error)
{
  gsize stride = (width_dots + 7) / 8;
  g_autofree guint8 *bits = g_malloc0 (stride * RULER_HEIGHT_DOTS);

  for (guint y = 0; y < RULER_HEIGHT_DOTS; y++)
    for (guint x = 0; x < width_dots; x++)
      {
        gboolean tick = (x % 64 == 0) || (x % 8 == 0 && y >= RULER_HEIGHT_DOTS / 2) ||
                        x == width_dots - 1 || y == RULER_HEIGHT_DOTS - 1;

        if (tick)
          bits[y * stride + x / 8] |= 0x80 >> (x % 8);
      }

  return pd_escpos_raster (builder, width_dots, RULER_HEIGHT_DOTS, bits, stride, error);
}

GBytes *
pd_printer_test_page_build (PdPrinterProfile  *profile,
                            const char        *terminal_id,
                            GDateTime         *now,
                            GError           **error)
{
  g_autoptr(PdEscpos) builder = pd_escpos_new ();
  g_autofree char *when = NULL;
  g_autofree char *model = NULL;
  g_autofree char *terminal = NULL;
  guint n_pages = 0;
  const PdPrinterCodePage *pages;

  g_return_val_if_fail (PD_IS_PRINTER_PROFILE (profile), NULL);
  g_return_val_if_fail (terminal_id != NULL, NULL);
  g_return_val_if_fail (now != NULL, NULL);

  when = g_date_time_format (now, "%Y-%m-%d %H:%M:%S");
  /* TRANSLATORS: the printer model, then its paper width in printer dots. */
  model = g_strdup_printf (_("%s, %u dots wide\n"), pd_printer_profile_get_name (profile),
                           pd_printer_profile_get_paper_width (profile));
  terminal = g_strdup_printf (_("Terminal %s, %s\n"), terminal_id, when);

  pd_escpos_initialize (builder);
  pd_escpos_align (builder, PD_ESCPOS_ALIGN_CENTER);
  pd_escpos_bold (builder, TRUE);
  pd_escpos_size (builder, 2, 2);
  if (!add_text (builder, profile, _("Printer test\n"), error))
    return NULL;
  pd_escpos_size (builder, 1, 1);
  pd_escpos_bold (builder, FALSE);
  if (!add_text (builder, profile, model, error) ||
      !add_text (builder, profile, terminal, error))
    return NULL;
  pd_escpos_feed (builder, 1);

  pd_escpos_align (builder, PD_ESCPOS_ALIGN_LEFT);
  pages = pd_printer_profile_get_code_pages (profile, &n_pages);
  for (guint i = 0; i < n_pages; i++)
    {
      g_autofree char *line = g_strdup_printf ("%s: " ACCENTED_SAMPLE "%s\n",
                                               pd_escpos_code_page_to_string (pages[i].page),
                                               pages[i].page != PD_ESCPOS_CODE_PAGE_CP437
                                               ? " \u20ac" : "");

      pd_escpos_select_code_page (builder, pages[i].page, pages[i].esc_t_number);
      if (!pd_escpos_text (builder, line, error))
        return NULL;
    }
  pd_escpos_feed (builder, 1);

  pd_escpos_align (builder, PD_ESCPOS_ALIGN_CENTER);
  if (!add_ruler (builder, pd_printer_profile_get_paper_width (profile), error))
    return NULL;
  pd_escpos_feed (builder, 1);
  if (pd_printer_profile_get_qr_code (profile) &&
      !pd_escpos_qr (builder, PD_PRINTER_TEST_PAGE_QR, 6, error))
    return NULL;
  if (!add_text (builder, profile, _("End of the test page.\n"), error))
    return NULL;
  pd_escpos_feed (builder, 2);
  pd_escpos_cut (builder, pd_printer_profile_get_cut (profile), 3);

  return pd_escpos_free_to_bytes (g_steal_pointer (&builder));
}
