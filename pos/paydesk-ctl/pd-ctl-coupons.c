#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "pd-coupon-render.h"
#include "pd-ctl.h"
#include "pd-training-coupons.h"

/* Every training member's invoice coupon, to print and scan: DIR/INVOICE.pdf and .png. */
PdCtlExit
pd_ctl_training_coupons (PdCtl   *ctl,
                         int      argc,
                         char   **argv,
                         GError **error)
{
  g_autoptr(GOptionContext) context = pd_ctl_option_context_new (ctl, NULL);
  g_autoptr(GPtrArray) coupons = NULL;
  const char *dir;

  if (!g_option_context_parse (context, &argc, &argv, error))
    return PD_CTL_EXIT_ERROR;
  if (argc != 2)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("Name the folder to write the coupons in."));
      return PD_CTL_EXIT_ERROR;
    }
  dir = argv[1];
  if (!(coupons = pd_training_coupons_load (NULL, error)))
    return PD_CTL_EXIT_ERROR;
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "%s: %s", dir,
                   g_strerror (saved_errno));
      return PD_CTL_EXIT_ERROR;
    }

  for (guint i = 0; i < coupons->len; i++)
    {
      PdTrainingCoupon *coupon = g_ptr_array_index (coupons, i);
      PdCouponPrint print = {
        .member_name = coupon->member_name, .invoice_account = coupon->invoice_account,
        .invoice_number = coupon->invoice_number, .amount_due = coupon->amount_due,
        .scan_line = coupon->line, .training = TRUE,
      };

      for (const char * const *kind = (const char * const []) { "pdf", "png", NULL };
           *kind != NULL; kind++)
        {
          g_autofree char *name = g_strdup_printf ("%s.%s", coupon->invoice_number, *kind);
          g_autofree char *path = g_build_filename (dir, name, NULL);

          if (!pd_coupon_render (&print, path, error))
            return PD_CTL_EXIT_ERROR;
        }
      if (!ctl->options.json)
        g_print ("%s  %s  %s\n", coupon->invoice_number, coupon->member_name, coupon->line);
    }
  if (!ctl->options.json)
    g_print (_("%u coupons written to %s (PDF and PNG)\n"), coupons->len, dir);
  return PD_CTL_EXIT_OK;
}
