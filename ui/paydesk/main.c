#include <locale.h>

#include <glib/gi18n.h>

#include "pd-application.h"
#include "pd-process.h"
#include "pd-screen-language.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(PdApplication) application = NULL;

  pd_process_harden ();
  setlocale (LC_ALL, "");
  pd_screen_language_bind ();

  g_set_application_name (_("Paydesk"));

  application = pd_application_new ();
  return g_application_run (G_APPLICATION (application), argc, argv);
}
