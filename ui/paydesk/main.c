#include <locale.h>

#include <glib/gi18n.h>

#include "pd-application.h"
#include "pd-process.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(PdApplication) application = NULL;

  pd_process_harden ();
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, PAYDESK_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Paydesk"));

  application = pd_application_new ();
  return g_application_run (G_APPLICATION (application), argc, argv);
}
