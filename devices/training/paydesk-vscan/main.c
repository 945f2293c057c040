#include "config.h"

#include <locale.h>
#include <stdio.h>

#include <glib/gi18n-lib.h>

#include "pd-training-barcode-scanner.h"
#include "pd-training-coupons.h"

/* paydesk-vscan: the coupon of a training member's invoice (or any barcode text) held under
 * the training barcode scanner, which reads it once. */

static char *invoice_option;
static char *slot_option;
static gboolean list_option;

static const GOptionEntry options[] = {
  { "invoice", 'i', 0, G_OPTION_ARG_STRING, &invoice_option,
    N_("The coupon of this training invoice (see --list)"), N_("NUMBER") },
  { "slot", 0, 0, G_OPTION_ARG_FILENAME, &slot_option,
    N_("The training barcode scanner's window, a folder (default: "
       "$XDG_RUNTIME_DIR/paydesk/training-barcode-slot)"), N_("DIR") },
  { "list", 0, 0, G_OPTION_ARG_NONE, &list_option,
    N_("List the training members' coupons and exit"), NULL },
  { NULL },
};

static int
list_coupons (GPtrArray *coupons)
{
  for (guint i = 0; i < coupons->len; i++)
    {
      PdTrainingCoupon *coupon = g_ptr_array_index (coupons, i);
      g_autofree char *amount = pd_money_format (coupon->amount_due, NULL);

      g_print ("%-16s %-20s %12s  %s\n", coupon->invoice_number, coupon->member_name, amount,
               coupon->line);
    }
  return 0;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GPtrArray) coupons = NULL;
  g_autoptr(GError) error = NULL;
  const char *text = NULL;

  setlocale (LC_ALL, "");
  context = g_option_context_new (_("[TEXT] — show a barcode to the training barcode scanner"));
  g_option_context_add_main_entries (context, options, NULL);
  g_option_context_set_description (context,
                                    _("Either --invoice NUMBER, a training member's coupon, or "
                                      "TEXT, any barcode's text (a coupon's scan line, or a "
                                      "product barcode the kiosk must refuse).\n"
                                      "The coupons come from PAYDESK_SEED, by default the "
                                      "training members of the source tree."));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("paydesk-vscan: %s\n", error->message);
      return 2;
    }

  if (list_option || invoice_option != NULL)
    {
      coupons = pd_training_coupons_load (NULL, &error);
      if (coupons == NULL)
        {
          g_printerr ("paydesk-vscan: %s\n", error->message);
          return 1;
        }
    }
  if (list_option)
    return list_coupons (coupons);

  if (invoice_option != NULL)
    {
      for (guint i = 0; i < coupons->len && text == NULL; i++)
        {
          PdTrainingCoupon *coupon = g_ptr_array_index (coupons, i);

          if (g_str_equal (coupon->invoice_number, invoice_option))
            text = coupon->line;
        }
      if (text == NULL)
        {
          g_printerr (_("paydesk-vscan: no training invoice is numbered %s (--list shows "
                        "them)\n"), invoice_option);
          return 1;
        }
    }
  else if (argc == 2)
    text = argv[1];
  else
    {
      g_printerr (_("paydesk-vscan: --invoice NUMBER or TEXT is needed (--list shows the "
                    "coupons)\n"));
      return 2;
    }

  if (!pd_training_barcode_scan (slot_option, text, &error))
    {
      g_printerr ("paydesk-vscan: %s\n", error->message);
      return 1;
    }
  g_print (_("scanned %s\n"), text);
  return 0;
}
