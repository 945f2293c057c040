#include <locale.h>

#include <glib/gi18n.h>

#include "pd-screen-language.h"

/* glibc's count of catalog changes: raised, it forgets the translations it looked up. */
extern int _nl_msg_cat_cntr;

static char *screen_language;

/* Whether this program is the build tree's own, never installed: only then may its
 * catalogs come from the build tree (translations are printf formats). */
static gboolean
runs_from_build_tree (void)
{
  g_autofree char *program = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *build_root = g_path_get_dirname (PAYDESK_BUILD_LOCALEDIR);
  g_autofree char *prefix = g_strconcat (build_root, G_DIR_SEPARATOR_S, NULL);

  return program != NULL && g_str_has_prefix (program, prefix);
}

void
pd_screen_language_bind (void)
{
  const char *folder = runs_from_build_tree () ? PAYDESK_BUILD_LOCALEDIR : PAYDESK_LOCALEDIR;

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
