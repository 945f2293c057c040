/* The training printer: each job kept as ESC/POS and drawn as PNG, faults from flag files. */
#include <glib/gstdio.h>

#include "pd-escpos.h"
#include "pd-test-common.h"
#include "pd-training-printer.h"

typedef struct {
  PdTestDir tmp;
  char *folder;
  PdTrainingPrinter *printer;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  pd_test_dir_set_up (&fixture->tmp, data);
  fixture->folder = g_build_filename (fixture->tmp.dir, "training-printer", NULL);
  fixture->printer = pd_training_printer_new (fixture->folder, NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->printer);
  g_free (fixture->folder);
  pd_test_dir_tear_down (&fixture->tmp, data);
}

static GBytes *
small_job (void)
{
  g_autoptr(PdEscpos) builder = pd_escpos_new ();
  g_autoptr(GError) error = NULL;

  pd_escpos_initialize (builder);
  g_assert_true (pd_escpos_text (builder, "Paid $75.00\n", &error));
  g_assert_no_error (error);
  pd_escpos_cut (builder, PD_ESCPOS_CUT_FULL, 0);
  return pd_escpos_free_to_bytes (g_steal_pointer (&builder));
}

static guint
count_files (const char *folder,
             const char *suffix)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;
  guint count = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    count += g_str_has_suffix (name, suffix);
  return count;
}

static void
test_print_keeps_job_and_picture (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(GBytes) job = small_job ();
  g_autoptr(GError) error = NULL;
  g_autofree char *png = NULL;
  g_autofree char *escpos = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *picture = NULL;
  gsize kept_length = 0, picture_length = 0;
  GStatBuf info;

  g_assert_true (pd_printer_print (PD_PRINTER (fixture->printer), job, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pd_printer_get_bytes_accepted (PD_PRINTER (fixture->printer)), ==,
                    g_bytes_get_size (job));

  png = pd_training_printer_dup_last_receipt (fixture->printer);
  g_assert_true (g_str_has_suffix (png, ".png"));
  escpos = g_strdup_printf ("%.*s.escpos", (int) strlen (png) - 4, png);
  g_assert_true (g_file_get_contents (escpos, &kept, &kept_length, NULL));
  g_assert_cmpmem (kept, kept_length, g_bytes_get_data (job, NULL), g_bytes_get_size (job));
  g_assert_true (g_file_get_contents (png, &picture, &picture_length, NULL));
  g_assert_cmpmem (picture, 8, "\x89PNG\r\n\x1a\n", 8);
  g_assert_cmpint (g_stat (png, &info), ==, 0);
  g_assert_cmpint (info.st_mode & 0777, ==, 0600);
}

/* Another program printing into the same folder in the same second must not be overwritten:
 * the names of this second and the next are taken already. */
static void
test_names_never_collide (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GBytes) job = small_job ();
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) next = g_date_time_add_seconds (now, 1);
  GDateTime *seconds[] = { now, next };
  g_autoptr(GError) error = NULL;
  g_autofree char *png = NULL;

  g_assert_cmpint (g_mkdir_with_parents (fixture->folder, 0700), ==, 0);
  for (gsize i = 0; i < G_N_ELEMENTS (seconds); i++)
    {
      g_autofree char *stamp = g_date_time_format (seconds[i], "%Y%m%d-%H%M%S");
      g_autofree char *taken = g_strdup_printf ("%s/receipt-%s-001.escpos", fixture->folder,
                                                stamp);

      pd_test_write_file (taken, "another terminal's receipt");
    }

  g_assert_true (pd_printer_print (PD_PRINTER (fixture->printer), job, NULL, &error));
  g_assert_no_error (error);
  png = pd_training_printer_dup_last_receipt (fixture->printer);
  g_assert_true (g_str_has_suffix (png, "-002.png"));
  g_assert_cmpuint (count_files (fixture->folder, ".escpos"), ==, 3);
}

static void
test_faults_from_flag_files (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GBytes) job = small_job ();
  g_autofree char *paper_out = g_build_filename (fixture->folder, "paper-out", NULL);
  g_autofree char *cover_open = g_build_filename (fixture->folder, "cover-open", NULL);
  g_autofree char *detail = NULL;
  g_autoptr(GError) error = NULL;
  PdDeviceHealth health;

  g_assert_cmpint (g_mkdir_with_parents (fixture->folder, 0700), ==, 0);
  pd_test_write_file (paper_out, "");
  health = pd_printer_query_status (PD_PRINTER (fixture->printer), &detail, NULL, NULL);
  g_assert_cmpint (health, ==, PD_DEVICE_HEALTH_PRESENT | PD_DEVICE_HEALTH_PAPER_OUT);
  g_assert_false (pd_printer_print (PD_PRINTER (fixture->printer), job, NULL, &error));
  g_assert_error (error, PD_PRINTER_ERROR, PD_PRINTER_ERROR_PAPER_OUT);
  g_clear_error (&error);

  g_unlink (paper_out);
  pd_test_write_file (cover_open, "");
  g_assert_false (pd_printer_print (PD_PRINTER (fixture->printer), job, NULL, &error));
  g_assert_error (error, PD_PRINTER_ERROR, PD_PRINTER_ERROR_COVER_OPEN);
  g_assert_cmpuint (count_files (fixture->folder, ".escpos"), ==, 0);
  g_assert_null (pd_training_printer_dup_last_receipt (fixture->printer));
}

/* Bytes no printer understands: an error naming where they were kept, as a garbled paper
 * receipt would show a real printer's trouble. */
static void
test_garbled_job (Fixture       *fixture,
                  gconstpointer  data)
{
  static const guint8 garbled[] = { 0x1b, '@', 'O', 'K', 0x1b, 0x7f, 0x02 };
  g_autoptr(GBytes) job = g_bytes_new_static (garbled, sizeof garbled);
  g_autoptr(GError) error = NULL;

  g_assert_false (pd_printer_print (PD_PRINTER (fixture->printer), job, NULL, &error));
  g_assert_error (error, PD_PRINTER_ERROR, PD_PRINTER_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, ".escpos"));
  g_assert_cmpuint (count_files (fixture->folder, ".escpos"), ==, 1);
  g_assert_cmpuint (count_files (fixture->folder, ".png"), ==, 0);
}

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int    argc,
      char **argv)
{
  pd_test_init (&argc, &argv);

  ADD ("/training-printer/print", test_print_keeps_job_and_picture);
  ADD ("/training-printer/names-never-collide", test_names_never_collide);
  ADD ("/training-printer/faults", test_faults_from_flag_files);
  ADD ("/training-printer/garbled-job", test_garbled_job);

  return g_test_run ();
}
