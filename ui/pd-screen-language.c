#include <locale.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "pd-screen-language.h"

/* glibc's count of catalog changes: raised, it forgets the translations it looked up. */
extern int _nl_msg_cat_cntr;

static char *screen_language;

void
pd_screen_language_bind (void)
{
  g_autofree char *installed = g_build_filename (PAYDESK_LOCALEDIR, "es", "LC_MESSAGES",
                                                 GETTEXT_PACKAGE ".mo", NULL);
  const char *folder = g_file_test (installed, G_FILE_TEST_IS_REGULAR)
                       ? PAYDESK_LOCALEDIR : PAYDESK_BUILD_LOCALEDIR;

  bindtextdomain (GETTEXT_PACKAGE, folder);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

void
pd_screen_language_set (const char *language)
{
  g_return_if_fail (language != NULL);

  if (g_strcmp0 (language, screen_language) == 0)
    return;
  g_free (screen_language);
  screen_language = g_strdup (language);
  /* gettext reads LANGUAGE at every lookup; glibc's setenv never frees a value a worker
   * thread may be reading. */
  g_setenv ("LANGUAGE", language, TRUE);
  ++_nl_msg_cat_cntr;
}

const char *
pd_screen_language_get (void)
{
  return screen_language;
}
