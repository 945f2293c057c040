#include <errno.h>
#include <sodium.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "pd-business-date.h"
#include "pd-ctl.h"
#include "pd-terminal.h"

static PdTerminal *
open_terminal (PdCtl   *ctl,
               GError **error)
{
  g_autoptr(PdConfig) config = pd_ctl_load_config (ctl, error);

  if (config == NULL)
    return NULL;
  return pd_terminal_new (config, PD_TERMINAL_FLAGS_COMMAND_LINE, NULL, error);
}

/* One line from standard input; on a terminal, asked for with the echo off. */
static char *
read_pin_line (const char  *prompt,
               GError     **error)
{
  struct termios saved, quiet;
  gboolean on_terminal = isatty (STDIN_FILENO) && tcgetattr (STDIN_FILENO, &saved) == 0;
  char line[64];
  char *read;

  if (on_terminal)
    {
      g_printerr ("%s", prompt);
      quiet = saved;
      quiet.c_lflag &= ~(tcflag_t) ECHO;
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
    }
  read = fgets (line, sizeof line, stdin);
  if (on_terminal)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
      g_printerr ("\n");
    }
  if (read == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("No PIN on standard input: type it, or give it on a line of its own."));
      return NULL;
    }
  line[strcspn (line, "\r\n")] = '\0';
  read = g_strdup (line);
  sodium_memzero (line, sizeof line);
  return read;
}

/* The new PIN, never from the command line (every user of the machine sees it there). On
 * a terminal it is typed twice. */
static char *
read_new_pin (GError **error)
{
  g_autofree char *pin = read_pin_line (_("New PIN: "), error);
  g_autofree char *again = NULL;

  if (pin == NULL)
    return NULL;
  if (isatty (STDIN_FILENO))
    {
      again = read_pin_line (_("The same PIN again: "), error);
      if (again == NULL || strcmp (pin, again) != 0)
        {
          if (again != NULL)
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                         _("The two PINs differ: nothing was changed."));
          sodium_memzero (pin, strlen (pin));
          if (again != NULL)
            sodium_memzero (again, strlen (again));
          return NULL;
        }
      sodium_memzero (again, strlen (again));
    }
  return g_steal_pointer (&pin);
}

/* A PIN read from the terminal: wiped before it is freed. */
typedef char PdSecretPin;

static void
wipe_pin (PdSecretPin *pin)
{
  if (pin != NULL)
    {
      sodium_memzero (pin, strlen (pin));
      g_free (pin);
    }
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdSecretPin, wipe_pin)

static gboolean
one_id (int          argc,
        char       **argv,
        const char **id,
        GError     **error)
{
  if (argc != 2)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("Name one associate by their ID."));
      return FALSE;
    }
  *id = argv[1];
  return TRUE;
}

PdCtlExit
pd_ctl_associate_add (PdCtl   *ctl,
                      int      argc,
                      char   **argv,
                      GError **error)
{
  g_autofree char *name = NULL;
  g_autofree char *role_id = NULL;
  g_autoptr(PdTerminal) terminal = NULL;
  g_autoptr(PdSecretPin) pin = NULL;
  const GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name,
      N_("The name printed on receipts and shown at the counter"), N_("NAME") },
    { "role", 0, 0, G_OPTION_ARG_STRING, &role_id,
      N_("associate (the default) or supervisor"), N_("ROLE") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = pd_ctl_option_context_new (ctl, entries);
  PdRole role = PD_ROLE_ASSOCIATE;
  const char *id;

  if (!g_option_context_parse (context, &argc, &argv, error) || !one_id (argc, argv, &id, error))
    return PD_CTL_EXIT_ERROR;
  if (name == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("Give the associate's name with --name."));
      return PD_CTL_EXIT_ERROR;
    }
  if (role_id != NULL && !pd_role_from_id (role_id, &role))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--role is associate or supervisor, not “%s”."), role_id);
      return PD_CTL_EXIT_ERROR;
    }
  if (!pd_associate_check_id (id, error) || !pd_associate_check_name (name, error))
    return PD_CTL_EXIT_ERROR;
  if (!(terminal = open_terminal (ctl, error)) || !(pin = read_new_pin (error)) ||
      !pd_staff_add_associate (pd_terminal_get_staff (terminal), NULL, id, name, role, pin,
                               error))
    return PD_CTL_EXIT_ERROR;
  g_print (_("Added %s (%s), %s.\n"), name, id, pd_role_get_name (role));
  return PD_CTL_EXIT_OK;
}

PdCtlExit
pd_ctl_associate_set_pin (PdCtl   *ctl,
                          int      argc,
                          char   **argv,
                          GError **error)
{
  g_autoptr(GOptionContext) context = pd_ctl_option_context_new (ctl, NULL);
  g_autoptr(PdTerminal) terminal = NULL;
  g_autoptr(PdSecretPin) pin = NULL;
  const char *id;

  if (!g_option_context_parse (context, &argc, &argv, error) || !one_id (argc, argv, &id, error))
    return PD_CTL_EXIT_ERROR;
  if (!(terminal = open_terminal (ctl, error)) || !(pin = read_new_pin (error)) ||
      !pd_staff_set_pin (pd_terminal_get_staff (terminal), NULL, id, pin, error))
    return PD_CTL_EXIT_ERROR;
  g_print (_("The PIN of %s is changed, and any lockout lifted.\n"), id);
  return PD_CTL_EXIT_OK;
}

static PdCtlExit
change (PdCtl      *ctl,
        int         argc,
        char      **argv,
        const char *what,
        GError    **error)
{
  g_autoptr(GOptionContext) context = pd_ctl_option_context_new (ctl, NULL);
  g_autoptr(PdTerminal) terminal = NULL;
  PdStaff *staff;
  const char *id;
  gboolean done;

  if (!g_option_context_parse (context, &argc, &argv, error) || !one_id (argc, argv, &id, error))
    return PD_CTL_EXIT_ERROR;
  if (!(terminal = open_terminal (ctl, error)))
    return PD_CTL_EXIT_ERROR;
  staff = pd_terminal_get_staff (terminal);
  if (g_str_equal (what, "unlock"))
    done = pd_staff_unlock (staff, NULL, id, error);
  else
    done = pd_staff_set_enabled (staff, NULL, id, g_str_equal (what, "enable"), error);
  if (!done)
    return PD_CTL_EXIT_ERROR;
  if (g_str_equal (what, "unlock"))
    g_print (_("%s may sign in again.\n"), id);
  else if (g_str_equal (what, "enable"))
    g_print (_("%s is enabled.\n"), id);
  else
    g_print (_("%s is disabled: they cannot sign in.\n"), id);
  return PD_CTL_EXIT_OK;
}

PdCtlExit
pd_ctl_associate_disable (PdCtl *ctl, int argc, char **argv, GError **error)
{
  return change (ctl, argc, argv, "disable", error);
}

PdCtlExit
pd_ctl_associate_enable (PdCtl *ctl, int argc, char **argv, GError **error)
{
  return change (ctl, argc, argv, "enable", error);
}

PdCtlExit
pd_ctl_associate_unlock (PdCtl *ctl, int argc, char **argv, GError **error)
{
  return change (ctl, argc, argv, "unlock", error);
}

static char *
format_locked_until (gint64 unix_time)
{
  g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (unix_time);

  return g_date_time_format (at, "%Y-%m-%d %H:%M");
}

PdCtlExit
pd_ctl_associate_list (PdCtl   *ctl,
                       int      argc,
                       char   **argv,
                       GError **error)
{
  g_autoptr(GOptionContext) context = pd_ctl_option_context_new (ctl, NULL);
  g_autoptr(PdTerminal) terminal = NULL;
  g_autoptr(GPtrArray) associates = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (!g_option_context_parse (context, &argc, &argv, error))
    return PD_CTL_EXIT_ERROR;
  if (!(terminal = open_terminal (ctl, error)) ||
      !(associates = pd_staff_list_associates (pd_terminal_get_staff (terminal), error)))
    return PD_CTL_EXIT_ERROR;

  if (ctl->options.json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < associates->len; i++)
        {
          PdAssociate *associate = g_ptr_array_index (associates, i);

          json_builder_begin_object (builder);
          pd_json_add_string (builder, "id", associate->id);
          pd_json_add_string (builder, "name", associate->display_name);
          pd_json_add_string (builder, "role", pd_role_to_id (associate->role));
          json_builder_set_member_name (builder, "enabled");
          json_builder_add_boolean_value (builder, associate->enabled);
          json_builder_set_member_name (builder, "failed_attempts");
          json_builder_add_int_value (builder, associate->failed_attempts);
          json_builder_set_member_name (builder, "locked");
          json_builder_add_boolean_value (builder, pd_associate_is_locked_at (associate, now));
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      pd_ctl_print_json (builder);
      return PD_CTL_EXIT_OK;
    }

  if (associates->len == 0)
    g_print (_("No associates yet: add one with “paydesk-ctl associate add ID --name NAME”.\n"));
  for (guint i = 0; i < associates->len; i++)
    {
      PdAssociate *associate = g_ptr_array_index (associates, i);
      g_autofree char *state = NULL;

      if (!associate->enabled)
        state = g_strdup (_("disabled"));
      else if (pd_associate_is_locked_at (associate, now))
        {
          g_autofree char *until = format_locked_until (associate->locked_until);

          state = g_strdup_printf (_("locked out until %s"), until);
        }
      else
        state = g_strdup (_("enabled"));
      g_print ("%-16s  %-30s  %-10s  %s\n", associate->id, associate->display_name,
               pd_role_to_id (associate->role), state);
    }
  return PD_CTL_EXIT_OK;
}

PdCtlExit
pd_ctl_audit_list (PdCtl   *ctl,
                   int      argc,
                   char   **argv,
                   GError **error)
{
  g_autofree char *date_text = NULL;
  g_autofree char *associate_id = NULL;
  const GOptionEntry entries[] = {
    { "date", 0, 0, G_OPTION_ARG_STRING, &date_text,
      N_("Only this business date (YYYY-MM-DD)"), N_("DATE") },
    { "associate", 0, 0, G_OPTION_ARG_STRING, &associate_id,
      N_("Only what this associate did or approved"), N_("ID") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = pd_ctl_option_context_new (ctl, entries);
  g_autoptr(PdConfig) config = NULL;
  g_autoptr(PdJournal) journal = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *business_date = NULL;
  GDate date;

  if (!g_option_context_parse (context, &argc, &argv, error))
    return PD_CTL_EXIT_ERROR;
  if (date_text != NULL)
    {
      if (!pd_ctl_parse_date (date_text, &date, error))
        return PD_CTL_EXIT_ERROR;
      business_date = pd_business_date_to_string (&date);
    }
  if (!(config = pd_ctl_load_config (ctl, error)) ||
      !(journal = pd_ctl_open_journal (ctl, config, error)) ||
      !(events = pd_journal_list_audit (journal, business_date, associate_id, error)))
    return PD_CTL_EXIT_ERROR;

  if (ctl->options.json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < events->len; i++)
        {
          PdAuditEvent *event = g_ptr_array_index (events, i);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "seq");
          json_builder_add_int_value (builder, event->seq);
          pd_json_add_string (builder, "recorded_at", event->recorded_at);
          pd_json_add_string (builder, "business_date", event->business_date);
          pd_json_add_string (builder, "terminal_id", event->terminal_id);
          pd_json_add_string (builder, "source", pd_audit_source_to_id (event->source));
          pd_json_add_string (builder, "kind", pd_audit_kind_to_id (event->kind));
          pd_json_add_string (builder, "associate_id", event->associate_id);
          pd_json_add_string (builder, "approver_id", event->approver_id);
          pd_json_add_string (builder, "payment_id", event->payment_id);
          pd_json_add_string (builder, "detail", event->detail);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      pd_ctl_print_json (builder);
      return PD_CTL_EXIT_OK;
    }

  if (events->len == 0)
    g_print (_("Nothing in the audit log for that.\n"));
  for (guint i = 0; i < events->len; i++)
    {
      PdAuditEvent *event = g_ptr_array_index (events, i);
      g_autoptr(GString) who = g_string_new (event->associate_id != NULL
                                               ? event->associate_id
                                               : pd_audit_source_to_id (event->source));

      if (event->approver_id != NULL)
        g_string_append_printf (who, "+%s", event->approver_id);
      g_print ("%6" G_GINT64_FORMAT "  %s  %-10s  %-20s  %-24s  %s\n", event->seq,
               event->recorded_at, event->terminal_id, who->str,
               pd_audit_kind_get_name (event->kind),
               event->detail != NULL ? event->detail : "");
    }
  return PD_CTL_EXIT_OK;
}
