#include <signal.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "pd-card-profile.h"
#include "pd-training-barcode-scanner.h"
#include "pd-training-coupons.h"
#include "pd-training-check-scanner.h"
#include "pd-training-devices.h"
#include "pd-training-printer.h"

struct _PdTrainingDevices {
  GObject parent_instance;

  PdTerminal *terminal;
  /* The training printer's folder, where its paper-out file goes; NULL without one. */
  char *printer_directory;
  gboolean paper_out;

  /* Invoice number to scan line, once listed. */
  GHashTable *coupon_lines;

  /* paydesk-vcard playing the card in the reader, and its profile. */
  GSubprocess *card_process;
  char *card;
};

G_DEFINE_FINAL_TYPE (PdTrainingDevices, pd_training_devices, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CARD,
  PROP_PAPER_OUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
pd_training_item_free (PdTrainingItem *item)
{
  if (item == NULL)
    return;
  g_free (item->name);
  g_free (item->description);
  g_free (item);
}

static const char *
card_profiles_directory (void)
{
  const char *dir = g_getenv ("PAYDESK_CARD_PROFILES");

  return dir != NULL && *dir != '\0' ? dir : PAYDESK_SOURCE_CARD_PROFILES_DIR;
}

static char *
vcard_program (void)
{
  const char *program = g_getenv ("PAYDESK_VCARD");

  if (program != NULL && *program != '\0')
    return g_strdup (program);
  return g_build_filename (PAYDESK_BINDIR, "paydesk-vcard", NULL);
}

static char *
paper_out_path (PdTrainingDevices *self)
{
  return g_build_filename (self->printer_directory, "paper-out", NULL);
}

/* --- What there is to use ------------------------------------------------------------ */

static int
compare_items (gconstpointer a,
               gconstpointer b)
{
  const PdTrainingItem *first = *(PdTrainingItem * const *) a;
  const PdTrainingItem *second = *(PdTrainingItem * const *) b;

  return g_strcmp0 (first->name, second->name);
}

static GPtrArray *
list_cards (void)
{
  GPtrArray *cards = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_training_item_free);
  g_autoptr(GDir) dir = g_dir_open (card_profiles_directory (), 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autoptr(PdCardProfile) profile = NULL;
      PdTrainingItem *item;

      if (!g_str_has_suffix (name, ".json"))
        continue;
      path = g_build_filename (card_profiles_directory (), name, NULL);
      /* A profile broken on purpose for the tests is no card to hand a trainee. */
      profile = pd_card_profile_load (path, NULL);
      if (profile == NULL)
        continue;
      item = g_new0 (PdTrainingItem, 1);
      item->name = g_strdup (profile->name);
      item->description = g_strdup (profile->description);
      item->contactless = profile->interface == PD_CARD_INTERFACE_CONTACTLESS;
      g_ptr_array_add (cards, item);
    }
  g_ptr_array_sort (cards, compare_items);
  return cards;
}

static GPtrArray *
list_checks (void)
{
  GPtrArray *checks = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_training_item_free);
  const char *directory = pd_training_check_get_profile_directory ();
  g_autoptr(GDir) dir = g_dir_open (directory, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autoptr(PdTrainingCheck) check = NULL;
      PdTrainingItem *item;

      if (!g_str_has_suffix (name, ".conf"))
        continue;
      path = g_build_filename (directory, name, NULL);
      check = pd_training_check_load (path, NULL);
      if (check == NULL)
        continue;
      item = g_new0 (PdTrainingItem, 1);
      item->name = g_strndup (name, strlen (name) - strlen (".conf"));
      item->description = g_strdup (check->description != NULL ? check->description : item->name);
      g_ptr_array_add (checks, item);
    }
  g_ptr_array_sort (checks, compare_items);
  return checks;
}

/* Every open invoice of the training members, with its coupon's scan line. */
static GPtrArray *
list_coupons (GHashTable *lines)
{
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_training_item_free);
  g_autoptr(GPtrArray) coupons = pd_training_coupons_load (NULL, NULL);

  for (guint i = 0; coupons != NULL && i < coupons->len; i++)
    {
      PdTrainingCoupon *coupon = g_ptr_array_index (coupons, i);
      g_autofree char *amount = pd_money_format (coupon->amount_due, NULL);
      PdTrainingItem *item = g_new0 (PdTrainingItem, 1);

      item->name = g_strdup (coupon->invoice_number);
      /* TRANSLATORS: a training coupon: the member's name, then the amount due. */
      item->description = g_strdup_printf (_("%s, %s due"), coupon->member_name, amount);
      g_hash_table_replace (lines, g_strdup (coupon->invoice_number), g_strdup (coupon->line));
      g_ptr_array_add (items, item);
    }
  return items;
}

typedef struct {
  char *printer_directory;
  GPtrArray *cards;
  GPtrArray *checks;
  GPtrArray *coupons;
  GHashTable *coupon_lines;
  gboolean paper_out;
} Listing;

static void
listing_free (Listing *listing)
{
  g_free (listing->printer_directory);
  g_clear_pointer (&listing->cards, g_ptr_array_unref);
  g_clear_pointer (&listing->checks, g_ptr_array_unref);
  g_clear_pointer (&listing->coupons, g_ptr_array_unref);
  g_clear_pointer (&listing->coupon_lines, g_hash_table_unref);
  g_free (listing);
}

static void
list_in_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Listing *listing = task_data;

  listing->cards = list_cards ();
  listing->checks = list_checks ();
  listing->coupon_lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  listing->coupons = list_coupons (listing->coupon_lines);
  if (listing->printer_directory != NULL)
    {
      g_autofree char *path = g_build_filename (listing->printer_directory, "paper-out", NULL);

      listing->paper_out = g_file_test (path, G_FILE_TEST_EXISTS);
    }
  g_task_return_boolean (task, TRUE);
}

void
pd_training_devices_list_async (PdTrainingDevices   *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Listing *listing;

  g_return_if_fail (PD_IS_TRAINING_DEVICES (self));

  task = g_task_new (self, cancellable, callback, user_data);
  listing = g_new0 (Listing, 1);
  listing->printer_directory = g_strdup (self->printer_directory);
  g_task_set_task_data (task, listing, (GDestroyNotify) listing_free);
  g_task_run_in_thread (task, list_in_thread);
}

static void
set_paper_out (PdTrainingDevices *self,
               gboolean           paper_out)
{
  if (self->paper_out == paper_out)
    return;
  self->paper_out = paper_out;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAPER_OUT]);
}

gboolean
pd_training_devices_list_finish (PdTrainingDevices  *self,
                                 GAsyncResult       *result,
                                 GPtrArray         **cards,
                                 GPtrArray         **checks,
                                 GPtrArray         **coupons,
                                 GError            **error)
{
  Listing *listing;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  listing = g_task_get_task_data (G_TASK (result));
  set_paper_out (self, listing->paper_out);
  if (cards != NULL)
    *cards = g_steal_pointer (&listing->cards);
  if (checks != NULL)
    *checks = g_steal_pointer (&listing->checks);
  if (coupons != NULL)
    *coupons = g_steal_pointer (&listing->coupons);
  g_clear_pointer (&self->coupon_lines, g_hash_table_unref);
  self->coupon_lines = g_steal_pointer (&listing->coupon_lines);
  return TRUE;
}

/* --- A card in the reader ------------------------------------------------------------ */

static void
set_card (PdTrainingDevices *self,
          GSubprocess       *process,
          const char        *card)
{
  g_set_object (&self->card_process, process);
  g_free (self->card);
  self->card = g_strdup (card);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CARD]);
}

/* paydesk-vcard ended: the card was taken out, or its profile pulled it. */
static void
card_process_ended (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(PdTrainingDevices) self = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  if (self->card_process == G_SUBPROCESS (source))
    set_card (self, NULL, NULL);
}

typedef struct {
  GSubprocess *process;
  GDataInputStream *output;
  char *profile;
} InsertData;

static void
insert_data_free (InsertData *data)
{
  g_clear_object (&data->process);
  g_clear_object (&data->output);
  g_free (data->profile);
  g_free (data);
}

static void
first_line_read (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PdTrainingDevices *self = g_task_get_source_object (task);
  InsertData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source),
                                                                    result, NULL, &error);

  /* "card NAME inserted in SLOT" once the reader has it; anything else is why not. */
  if (line == NULL || !g_str_has_prefix (line, "card ") || strstr (line, " inserted ") == NULL)
    {
      g_subprocess_force_exit (data->process);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("The training card could not be put in the reader: %s"),
                               line != NULL ? line
                               : error != NULL ? error->message
                               : _("paydesk-vcard stopped without saying why."));
      return;
    }

  set_card (self, data->process, data->profile);
  g_subprocess_wait_async (data->process, NULL, card_process_ended, g_object_ref (self));
  g_task_return_boolean (task, TRUE);
}

void
pd_training_devices_insert_card_async (PdTrainingDevices   *self,
                                       const char          *profile,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *program = vcard_program ();
  InsertData *data;

  g_return_if_fail (PD_IS_TRAINING_DEVICES (self));
  g_return_if_fail (profile != NULL);

  task = g_task_new (self, NULL, callback, user_data);
  pd_training_devices_remove_card (self);

  data = g_new0 (InsertData, 1);
  data->profile = g_strdup (profile);
  g_task_set_task_data (task, data, (GDestroyNotify) insert_data_free);
  data->process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                    G_SUBPROCESS_FLAGS_STDERR_MERGE, &error,
                                    program, "--profile", profile, NULL);
  if (data->process == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("The training card could not be put in the reader: %s"),
                               error->message);
      return;
    }
  data->output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (data->process));
  g_data_input_stream_read_line_async (data->output, G_PRIORITY_DEFAULT, NULL, first_line_read,
                                       g_steal_pointer (&task));
}

gboolean
pd_training_devices_insert_card_finish (PdTrainingDevices  *self,
                                        GAsyncResult       *result,
                                        GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
pd_training_devices_remove_card (PdTrainingDevices *self)
{
  g_return_if_fail (PD_IS_TRAINING_DEVICES (self));

  /* paydesk-vcard takes its card out of the reader as it ends. */
  if (self->card_process != NULL)
    g_subprocess_send_signal (self->card_process, SIGTERM);
  if (self->card != NULL)
    set_card (self, NULL, NULL);
}

const char *
pd_training_devices_get_card (PdTrainingDevices *self)
{
  g_return_val_if_fail (PD_IS_TRAINING_DEVICES (self), NULL);

  return self->card;
}

/* --- A check in the slot ------------------------------------------------------------- */

static void
feed_in_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GError *error = NULL;
  g_autofree char *path = pd_training_check_find_profile (task_data, &error);

  if (path == NULL || !pd_training_check_insert (NULL, path, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
        {
          g_clear_error (&error);
          g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                               _("A check is already in the slot."));
        }
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
pd_training_devices_feed_check_async (PdTrainingDevices   *self,
                                      const char          *profile,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PD_IS_TRAINING_DEVICES (self));
  g_return_if_fail (profile != NULL);

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_task_data (task, g_strdup (profile), g_free);
  g_task_run_in_thread (task, feed_in_thread);
}

gboolean
pd_training_devices_feed_check_finish (PdTrainingDevices  *self,
                                       GAsyncResult       *result,
                                       GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- A coupon under the barcode scanner -------------------------------------------- */

static void
scan_in_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GError *error = NULL;

  if (!pd_training_barcode_scan (NULL, task_data, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
pd_training_devices_scan_coupon_async (PdTrainingDevices   *self,
                                       const char          *invoice,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  const char *line;

  g_return_if_fail (PD_IS_TRAINING_DEVICES (self));
  g_return_if_fail (invoice != NULL);

  task = g_task_new (self, NULL, callback, user_data);
  line = self->coupon_lines != NULL ? g_hash_table_lookup (self->coupon_lines, invoice) : NULL;
  if (line == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("No training invoice is numbered %s."), invoice);
      return;
    }
  g_task_set_task_data (task, g_strdup (line), g_free);
  g_task_run_in_thread (task, scan_in_thread);
}

gboolean
pd_training_devices_scan_coupon_finish (PdTrainingDevices  *self,
                                        GAsyncResult       *result,
                                        GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- The printer's paper ------------------------------------------------------------- */

static void
paper_in_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  const char *path = task_data;
  gboolean out = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (task), "out"));
  g_autofree char *directory = g_path_get_dirname (path);
  GError *error = NULL;

  if (out)
    {
      if (g_mkdir_with_parents (directory, 0700) != 0 ||
          !g_file_set_contents (path, "", 0, &error))
        {
          if (error == NULL)
            g_set_error (&error, G_IO_ERROR, g_io_error_from_errno (errno), "%s: %s", directory,
                         g_strerror (errno));
          g_task_return_error (task, error);
          return;
        }
    }
  else if (g_unlink (path) != 0 && errno != ENOENT)
    {
      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (errno), "%s: %s", path,
                               g_strerror (errno));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
pd_training_devices_set_paper_out_async (PdTrainingDevices   *self,
                                         gboolean             out,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PD_IS_TRAINING_DEVICES (self));

  task = g_task_new (self, NULL, callback, user_data);
  if (self->printer_directory == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("This terminal has no training printer."));
      return;
    }
  g_object_set_data (G_OBJECT (task), "out", GINT_TO_POINTER (out));
  g_task_set_task_data (task, paper_out_path (self), g_free);
  g_task_run_in_thread (task, paper_in_thread);
}

gboolean
pd_training_devices_set_paper_out_finish (PdTrainingDevices  *self,
                                          GAsyncResult       *result,
                                          GError            **error)
{
  PdPeripherals *peripherals;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  set_paper_out (self, GPOINTER_TO_INT (g_object_get_data (G_OBJECT (result), "out")));
  peripherals = pd_terminal_get_peripherals (self->terminal);
  if (peripherals != NULL)
    pd_peripherals_refresh (peripherals);
  return TRUE;
}

gboolean
pd_training_devices_get_paper_out (PdTrainingDevices *self)
{
  g_return_val_if_fail (PD_IS_TRAINING_DEVICES (self), FALSE);

  return self->paper_out;
}

/* --- The object ---------------------------------------------------------------------- */

static void
pd_training_devices_dispose (GObject *object)
{
  PdTrainingDevices *self = PD_TRAINING_DEVICES (object);

  /* A card left in the reader leaves with the terminal. */
  if (self->card_process != NULL)
    g_subprocess_send_signal (self->card_process, SIGTERM);
  g_clear_object (&self->card_process);
  g_clear_object (&self->terminal);

  G_OBJECT_CLASS (pd_training_devices_parent_class)->dispose (object);
}

static void
pd_training_devices_finalize (GObject *object)
{
  PdTrainingDevices *self = PD_TRAINING_DEVICES (object);

  g_free (self->printer_directory);
  g_free (self->card);
  g_clear_pointer (&self->coupon_lines, g_hash_table_unref);

  G_OBJECT_CLASS (pd_training_devices_parent_class)->finalize (object);
}

static void
pd_training_devices_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  PdTrainingDevices *self = PD_TRAINING_DEVICES (object);

  switch (prop_id)
    {
    case PROP_CARD:
      g_value_set_string (value, self->card);
      break;
    case PROP_PAPER_OUT:
      g_value_set_boolean (value, self->paper_out);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_training_devices_class_init (PdTrainingDevicesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pd_training_devices_dispose;
  object_class->finalize = pd_training_devices_finalize;
  object_class->get_property = pd_training_devices_get_property;

  properties[PROP_CARD] =
    g_param_spec_string ("card", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAPER_OUT] =
    g_param_spec_boolean ("paper-out", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pd_training_devices_init (PdTrainingDevices *self)
{
}

PdTrainingDevices *
pd_training_devices_new (PdTerminal  *terminal,
                         GError     **error)
{
  PdTrainingDevices *self;
  PdPeripherals *peripherals;

  g_return_val_if_fail (PD_IS_TERMINAL (terminal), NULL);

  /* Training devices never act on a terminal that takes real payments. */
  if (!pd_config_get_training (pd_terminal_get_config (terminal)))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                           _("Training devices exist on a training terminal only."));
      return NULL;
    }

  self = g_object_new (PD_TYPE_TRAINING_DEVICES, NULL);
  self->terminal = g_object_ref (terminal);
  peripherals = pd_terminal_get_peripherals (terminal);
  if (peripherals != NULL)
    {
      g_autoptr(PdPrinter) printer = pd_peripherals_dup_printer (peripherals, NULL);

      if (printer != NULL && PD_IS_TRAINING_PRINTER (printer))
        self->printer_directory =
          g_strdup (pd_training_printer_get_output_directory (PD_TRAINING_PRINTER (printer)));
    }
  return self;
}
