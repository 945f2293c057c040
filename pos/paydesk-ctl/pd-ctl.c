#include <locale.h>
#include <string.h>

#include <glib/gi18n.h>

#include "pd-ctl.h"
#include "pd-process.h"

static const PdCtlCommand commands[] = {
  { "config check", N_("[FILE]"), N_("Check a configuration file"), pd_ctl_config_check },
  { "journal verify", "", N_("Check the payment journal for damage"), pd_ctl_journal_verify },
  { "journal list", "", N_("List the payments in the journal"), pd_ctl_journal_list },
  { "lookup", "", N_("Find a member and their accounts at the payment core"), pd_ctl_lookup },
  { "pay", "", N_("Take a payment for one account"), pd_ctl_pay },
  { "void", N_("PAYMENT"), N_("Void a completed payment (same business day)"), pd_ctl_void },
  { "refund", N_("PAYMENT"), N_("Refund a completed payment in full"), pd_ctl_refund },
  { "outbox list", "", N_("List payments waiting for the payment core"), pd_ctl_outbox_list },
  { "outbox drain", "", N_("Send the waiting payments to the payment core"),
    pd_ctl_outbox_drain },
  { "report", "", N_("End-of-day totals, reconciled with the payment core"), pd_ctl_report },
  { "receipt", N_("PAYMENT"), N_("Print a payment's receipt again, write it to a file, or email it"),
    pd_ctl_receipt },
  { "email list", "", N_("List the receipts emailed or waiting to be"), pd_ctl_email_list },
  { "email send", "", N_("Email the receipts that wait for the mail server now"),
    pd_ctl_email_send },
  { "devices", "", N_("List the card readers, printers and check scanners, and how they are"),
    pd_ctl_devices },
  { "printer test", "", N_("Print a test page on the receipt printer"), pd_ctl_printer_test },
  { "associate add", N_("ID --name NAME [--role supervisor]"),
    N_("Add an associate; their PIN is read from the terminal or standard input"),
    pd_ctl_associate_add },
  { "associate list", "", N_("List the associates, their roles and lockouts"),
    pd_ctl_associate_list },
  { "associate disable", N_("ID"), N_("Stop an associate from signing in"),
    pd_ctl_associate_disable },
  { "associate enable", N_("ID"), N_("Let a disabled associate sign in again"),
    pd_ctl_associate_enable },
  { "associate unlock", N_("ID"), N_("Lift an associate's lockout after wrong PINs"),
    pd_ctl_associate_unlock },
  { "associate set-pin", N_("ID"), N_("Change an associate's PIN (read from the terminal or "
                                      "standard input)"), pd_ctl_associate_set_pin },
  { "audit list", "", N_("Who did what: sign-ins, overrides, voids, refunds, reprints"),
    pd_ctl_audit_list },
  { "training coupons", N_("DIR"), N_("Write every training member's invoice coupon, to print "
                                      "and scan"), pd_ctl_training_coupons },
};

static GOptionEntry *
global_entries (PdCtl *ctl)
{
  GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &ctl->options.config_path,
      N_("Read the configuration from FILE"), N_("FILE") },
    { "data-dir", 'd', 0, G_OPTION_ARG_FILENAME, &ctl->options.data_dir,
      N_("Keep the journal and other state in DIR"), N_("DIR") },
    { "core-url", 0, 0, G_OPTION_ARG_STRING, &ctl->options.core_url,
      N_("Use the payment core at URL"), N_("URL") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &ctl->options.json,
      N_("Print machine-readable JSON"), NULL },
    G_OPTION_ENTRY_NULL
  };

  return g_memdup2 (entries, sizeof entries);
}

static char *
commands_summary (void)
{
  g_autoptr(GString) summary = g_string_new (_("Commands:"));

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (summary, "\n  %-18s %s", commands[i].name, _(commands[i].summary));

  return g_string_free (g_steal_pointer (&summary), FALSE);
}

/* One flat list of options in every --help: the command's own, then the global ones. */
GOptionContext *
pd_ctl_option_context_new (PdCtl              *ctl,
                           const GOptionEntry *entries)
{
  g_autofree char *parameters = NULL;
  g_autofree GOptionEntry *globals = global_entries (ctl);
  GOptionContext *context;

  if (ctl->command != NULL)
    parameters = g_strdup_printf ("%s %s", ctl->command->name, _(ctl->command->parameters));
  else
    parameters = g_strdup (_("COMMAND"));

  context = g_option_context_new (parameters);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, ctl->command != NULL ? _(ctl->command->summary)
                                                              : _("Operate a Paydesk terminal."));
  if (ctl->command == NULL)
    {
      g_autofree char *description = commands_summary ();
      g_option_context_set_description (context, description);
    }

  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, globals, GETTEXT_PACKAGE);

  return context;
}

/* Global options that take their value as the next argument. */
static gboolean
takes_separate_value (const char *arg)
{
  return g_str_equal (arg, "--config") || g_str_equal (arg, "-c") ||
         g_str_equal (arg, "--data-dir") || g_str_equal (arg, "-d") ||
         g_str_equal (arg, "--core-url");
}

static const PdCtlCommand *
find_command (int     argc,
              char  **argv,
              int    *n_words)
{
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_auto(GStrv) words = g_strsplit (commands[i].name, " ", -1);
      guint n = g_strv_length (words);
      int matched = 0;

      for (int arg = 1; arg < argc && (guint) matched < n; arg++)
        {
          if (argv[arg][0] == '-')
            {
              if (takes_separate_value (argv[arg]))
                arg++;
              continue;
            }
          if (!g_str_equal (argv[arg], words[matched]))
            break;
          matched++;
        }

      if ((guint) matched == n)
        {
          *n_words = matched;
          return &commands[i];
        }
    }

  return NULL;
}

/* Drops the command words from args (an owned GStrv), keeping options wherever they were
 * written. */
static void
remove_command_words (int   *argc,
                      char **args,
                      int    n_words)
{
  int out = 1;

  for (int in = 1; in < *argc; in++)
    {
      if (takes_separate_value (args[in]) && in + 1 < *argc)
        {
          args[out++] = args[in++];
          args[out++] = args[in];
          continue;
        }

      if (n_words > 0 && args[in][0] != '-')
        {
          n_words--;
          g_free (args[in]);
          continue;
        }

      args[out++] = args[in];
    }

  *argc = out;
  args[out] = NULL;
}

static void
print_error (PdCtl        *ctl,
             const GError *error)
{
  if (ctl->options.json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "error");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "domain");
      json_builder_add_string_value (builder, g_quark_to_string (error->domain));
      json_builder_set_member_name (builder, "code");
      json_builder_add_int_value (builder, error->code);
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, error->message);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
      pd_ctl_print_json (builder);
    }

  g_printerr ("paydesk-ctl: %s\n", error->message);
}

int
main (int    argc,
      char **argv)
{
  PdCtl ctl = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_auto(GStrv) args = NULL;
  g_autofree char **argv_view = NULL;
  int n_args;
  int n_words = 0;
  PdCtlExit exit_code;

  pd_process_harden ();
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, PAYDESK_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  args = g_strdupv (argv);
  n_args = argc;
  ctl.command = find_command (n_args, args, &n_words);

  if (ctl.command == NULL)
    {
      context = pd_ctl_option_context_new (&ctl, NULL);
      if (!g_option_context_parse_strv (context, &args, &error))
        {
          print_error (&ctl, error);
          return PD_CTL_EXIT_ERROR;
        }

      if (g_strv_length (args) > 1)
        g_printerr (_("paydesk-ctl: unknown command “%s”. Run “paydesk-ctl --help”.\n"),
                    args[1]);
      else
        {
          g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);
          g_printerr ("%s", help);
        }
      return PD_CTL_EXIT_ERROR;
    }

  remove_command_words (&n_args, args, n_words);

  /* The option parser drops what it consumed from the array it is given without freeing
   * it: hand it a view, and free the strings through args. */
  argv_view = g_memdup2 (args, sizeof (char *) * (n_args + 1));
  exit_code = ctl.command->run (&ctl, n_args, argv_view, &error);
  if (error != NULL)
    print_error (&ctl, error);

  g_free (ctl.options.config_path);
  g_free (ctl.options.data_dir);
  g_free (ctl.options.core_url);

  return exit_code;
}
