#include "config.h"

#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <glib-unix.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "pd-training-check-scanner.h"

/* paydesk-vcheck: a training check, from a profile of assets/training-checks, put in the
 * training check scanner's slot until the scanner hands it back, or SIGINT or SIGTERM takes
 * it out. */

/* How soon the trainee hears that the check came back: a person's reaction time. */
#define WATCH_INTERVAL_MS 100

static char *profile_option;
static char *slot_option;
static gboolean list_option;

static const GOptionEntry options[] = {
  { "profile", 'p', 0, G_OPTION_ARG_FILENAME, &profile_option,
    N_("The check: a profile name (see --list) or a profile file"), N_("NAME|FILE") },
  { "slot", 0, 0, G_OPTION_ARG_FILENAME, &slot_option,
    N_("The training check scanner's slot, a folder (default: "
       "$XDG_RUNTIME_DIR/paydesk/training-check-slot)"), N_("DIR") },
  { "list", 0, 0, G_OPTION_ARG_NONE, &list_option,
    N_("List the training checks and exit"), NULL },
  { NULL },
};

typedef struct {
  char      *name;
  char      *check_path;
  GMainLoop *loop;
  /* The file this run put in the slot: a check another trainee inserted after ours came
   * back is not ours to take out. */
  dev_t      device;
  ino_t      inode;
  gboolean   came_back;
  GError    *error;
} Session;

static gint
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

/* The profile's name: its file name without .conf. */
static char *
profile_name (const char *path)
{
  g_autofree char *base = g_path_get_basename (path);

  if (g_str_has_suffix (base, ".conf"))
    base[strlen (base) - strlen (".conf")] = '\0';
  return g_steal_pointer (&base);
}

/* Name and description of every profile: what a trainer picks from. */
static int
list_profiles (void)
{
  const char *directory = pd_training_check_get_profile_directory ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (directory, 0, &error);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  const char *file;

  if (dir == NULL)
    {
      g_printerr ("paydesk-vcheck: %s\n", error->message);
      return 1;
    }

  while ((file = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (file, ".conf"))
      g_ptr_array_add (files, g_build_filename (directory, file, NULL));
  g_ptr_array_sort (files, compare_paths);

  for (guint i = 0; i < files->len; i++)
    {
      const char *path = g_ptr_array_index (files, i);
      g_autoptr(GError) load_error = NULL;
      g_autoptr(PdTrainingCheck) check = pd_training_check_load (path, &load_error);
      g_autofree char *name = profile_name (path);

      if (check == NULL)
        g_print ("%-18s %s\n", name, load_error->message);
      else
        g_print ("%-18s %s\n", name, check->description);
    }

  return 0;
}

/* The line as the scanner will read it, with the account number masked. */
static char *
describe_check (const char *path)
{
  g_autoptr(PdTrainingCheck) check = pd_training_check_load (path, NULL);
  g_autoptr(PdMicrLine) line = NULL;

  if (check != NULL)
    line = pd_micr_line_parse (check->micr, -1, pd_micr_alphabet_get (PD_MICR_ALPHABET_UNICODE),
                               NULL);
  if (line == NULL)
    return g_strdup (_("a MICR line no reader can read"));
  return pd_micr_line_describe (line);
}

static gboolean
check_is_ours (Session *session)
{
  GStatBuf status;

  return g_stat (session->check_path, &status) == 0 &&
         status.st_dev == session->device && status.st_ino == session->inode;
}

static gboolean
watch_slot (gpointer data)
{
  Session *session = data;

  if (check_is_ours (session))
    return G_SOURCE_CONTINUE;

  session->came_back = TRUE;
  g_main_loop_quit (session->loop);
  return G_SOURCE_REMOVE;
}

static gboolean
take_check_out (gpointer data)
{
  Session *session = data;

  if (check_is_ours (session) && g_unlink (session->check_path) != 0 && session->error == NULL)
    {
      int saved_errno = errno;

      g_set_error (&session->error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not take the check out of %s: %s"), session->check_path,
                   g_strerror (saved_errno));
    }
  g_main_loop_quit (session->loop);
  return G_SOURCE_CONTINUE;
}

static gboolean
remember_check (Session     *session,
                GError     **error)
{
  GStatBuf status;

  if (g_stat (session->check_path, &status) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("The check left %s at once: %s"), session->check_path,
                   g_strerror (saved_errno));
      return FALSE;
    }
  session->device = status.st_dev;
  session->inode = status.st_ino;
  return TRUE;
}

static int
run (const char *profile_path,
     const char *slot)
{
  Session session = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *described = NULL;
  guint sigint, sigterm, watch;
  int status = 0;

  session.name = profile_name (profile_path);
  session.check_path = g_build_filename (slot, PD_TRAINING_CHECK_FILE, NULL);
  session.loop = g_main_loop_new (NULL, FALSE);
  /* Before the check goes in: a signal from then on takes it out again. */
  sigint = g_unix_signal_add (SIGINT, take_check_out, &session);
  sigterm = g_unix_signal_add (SIGTERM, take_check_out, &session);

  if (!pd_training_check_insert (slot, profile_path, &error) ||
      !remember_check (&session, &error))
    {
      g_printerr ("paydesk-vcheck: %s\n", error->message);
      status = 1;
      goto out;
    }

  described = describe_check (session.check_path);
  /* TRANSLATORS: the profile's name, the slot folder, then the MICR line with the account
   * number masked. */
  g_print (_("check %s inserted in %s: %s\n"), session.name, slot, described);
  fflush (stdout);

  watch = g_timeout_add (WATCH_INTERVAL_MS, watch_slot, &session);
  g_main_loop_run (session.loop);
  if (!session.came_back)
    g_source_remove (watch);

  if (session.error != NULL)
    {
      g_printerr ("paydesk-vcheck: %s\n", session.error->message);
      status = 1;
    }
  else if (session.came_back)
    g_print (_("check %s came back from the scanner\n"), session.name);
  else
    g_print (_("check %s taken out of %s\n"), session.name, slot);

out:
  g_source_remove (sigint);
  g_source_remove (sigterm);
  g_clear_error (&session.error);
  g_main_loop_unref (session.loop);
  g_free (session.check_path);
  g_free (session.name);
  return status;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;
  g_autofree char *profile_path = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, PAYDESK_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (_("- put a training check in the training check scanner"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, options, GETTEXT_PACKAGE);
  description = g_strdup_printf (_("The check stays in the slot until the scanner hands it "
                                   "back, or SIGINT or SIGTERM takes it out. Profiles are "
                                   "read from\n%s\n(PAYDESK_TRAINING_CHECKS names another "
                                   "folder)."),
                                 pd_training_check_get_profile_directory ());
  g_option_context_set_description (context, description);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("paydesk-vcheck: %s\n", error->message);
      return 2;
    }

  if (list_option)
    return list_profiles ();
  if (profile_option == NULL)
    {
      g_printerr ("paydesk-vcheck: %s\n",
                  _("--profile NAME|FILE is needed (--list shows the names)"));
      return 2;
    }

  profile_path = pd_training_check_find_profile (profile_option, &error);
  if (profile_path == NULL)
    {
      g_printerr ("paydesk-vcheck: %s\n", error->message);
      return 1;
    }

  return run (profile_path,
              slot_option != NULL ? slot_option : pd_training_check_scanner_get_default_slot ());
}
