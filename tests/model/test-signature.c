#include <string.h>

#include <sqlite3.h>

#include "pd-journal.h"
#include "pd-signature.h"
#include "pd-test-common.h"
#include "pd-test-pans.h"

/* The member's signature: its text form read strictly and written back, what is blank, the
 * builder the signature pad fills, and the journal's table of them. */

#define CROSS "strokes-v1 300 100;10,10 50,50 90,90;10,90 90,10"

static PdSignature *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  PdSignature *signature = pd_signature_new_from_text (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (signature);
  return signature;
}

static void
assert_round_trip (const char *text)
{
  g_autoptr(PdSignature) signature = parse (text);
  g_autofree char *written = pd_signature_to_text (signature);

  g_assert_cmpstr (written, ==, text);
}

static void
test_round_trip (void)
{
  g_autoptr(PdSignature) cross = parse (CROSS);
  const PdSignaturePoint *points;
  guint n_points = 0;
  guint x_min, y_min, x_max, y_max;

  g_assert_cmpuint (pd_signature_get_width (cross), ==, 300);
  g_assert_cmpuint (pd_signature_get_height (cross), ==, 100);
  g_assert_cmpuint (pd_signature_get_n_strokes (cross), ==, 2);
  g_assert_cmpuint (pd_signature_get_n_points (cross), ==, 5);
  points = pd_signature_get_stroke (cross, 0, &n_points);
  g_assert_cmpuint (n_points, ==, 3);
  g_assert_cmpuint (points[2].x, ==, 90);
  g_assert_cmpuint (points[2].y, ==, 90);
  points = pd_signature_get_stroke (cross, 1, &n_points);
  g_assert_cmpuint (n_points, ==, 2);
  g_assert_cmpuint (points[0].x, ==, 10);
  g_assert_cmpuint (points[0].y, ==, 90);
  pd_signature_get_bounds (cross, &x_min, &y_min, &x_max, &y_max);
  g_assert_cmpuint (x_min, ==, 10);
  g_assert_cmpuint (y_min, ==, 10);
  g_assert_cmpuint (x_max, ==, 90);
  g_assert_cmpuint (y_max, ==, 90);

  assert_round_trip (CROSS);
  /* The edges: a single pixel, the largest canvas and its far corner, "0". */
  assert_round_trip ("strokes-v1 1 1;0,0");
  assert_round_trip ("strokes-v1 4096 4096;0,0 4095,4095;4095,0");
}

/* Exactly as many strokes (n_strokes) and points (n_points, spread over them) as given. */
static char *
make_text (guint n_strokes,
           guint n_points)
{
  GString *text = g_string_new ("strokes-v1 4096 4096");

  for (guint i = 0; i < n_points; i++)
    {
      gboolean first = i * n_strokes / n_points != (i == 0 ? G_MAXUINT
                                                           : (i - 1) * n_strokes / n_points);

      g_string_append_printf (text, "%c%u,%u", first ? ';' : ' ', i % 4096, i / 4096);
    }
  return g_string_free (text, FALSE);
}

static void
test_limits (void)
{
  g_autofree char *most = make_text (PD_SIGNATURE_MAX_STROKES, PD_SIGNATURE_MAX_POINTS);
  g_autoptr(PdSignature) signature = parse (most);
  g_autofree char *written = pd_signature_to_text (signature);

  g_assert_cmpuint (pd_signature_get_n_strokes (signature), ==, PD_SIGNATURE_MAX_STROKES);
  g_assert_cmpuint (pd_signature_get_n_points (signature), ==, PD_SIGNATURE_MAX_POINTS);
  g_assert_cmpstr (written, ==, most);
}

typedef struct {
  const char *text;
  PdSignatureError code;
  const char *in_message;
} Invalid;

static void
assert_invalid (const char       *text,
                PdSignatureError  code,
                const char       *in_message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdSignature) signature = pd_signature_new_from_text (text, &error);

  if (signature != NULL)
    g_error ("“%.60s” was taken as a signature", text);
  g_assert_error (error, PD_SIGNATURE_ERROR, (gint) code);
  g_test_message ("%.60s: %s", text, error->message);
  if (in_message != NULL && strstr (error->message, in_message) == NULL)
    g_error ("“%s” does not say “%s”", error->message, in_message);
}

static void
test_invalid (void)
{
  static const Invalid cases[] = {
    { "", PD_SIGNATURE_ERROR_FORMAT, "strokes-v1" },
    { "hello", PD_SIGNATURE_ERROR_FORMAT, "does not start with" },
    { "Strokes-v1 100 50;1,1", PD_SIGNATURE_ERROR_FORMAT, NULL },
    { " strokes-v1 100 50;1,1", PD_SIGNATURE_ERROR_FORMAT, NULL },
    { "strokes-v2 100 50;1,1", PD_SIGNATURE_ERROR_FORMAT, "version" },
    { "strokes-v10 100 50;1,1", PD_SIGNATURE_ERROR_FORMAT, "version" },
    { "strokes-v1", PD_SIGNATURE_ERROR_FORMAT, NULL },
    { "strokes-v1 ", PD_SIGNATURE_ERROR_CANVAS, "width and height" },
    { "strokes-v1 100", PD_SIGNATURE_ERROR_CANVAS, NULL },
    { "strokes-v1 100 ", PD_SIGNATURE_ERROR_CANVAS, NULL },
    { "strokes-v1  100 50;1,1", PD_SIGNATURE_ERROR_CANVAS, NULL },
    { "strokes-v1 -5 50;1,1", PD_SIGNATURE_ERROR_CANVAS, NULL },
    { "strokes-v1 100 050;1,1", PD_SIGNATURE_ERROR_CANVAS, NULL },
    { "strokes-v1 0 50;0,0", PD_SIGNATURE_ERROR_CANVAS, "1 to 4096" },
    { "strokes-v1 100 0;0,0", PD_SIGNATURE_ERROR_CANVAS, "1 to 4096" },
    { "strokes-v1 4097 50;1,1", PD_SIGNATURE_ERROR_CANVAS, "1 to 4096" },
    { "strokes-v1 100 99999999999999999999999;1,1", PD_SIGNATURE_ERROR_CANVAS, NULL },
    { "strokes-v1 100 50", PD_SIGNATURE_ERROR_EMPTY, "no strokes" },
    { "strokes-v1 100 50;", PD_SIGNATURE_ERROR_EMPTY, "Stroke 1" },
    { "strokes-v1 100 50;;1,1", PD_SIGNATURE_ERROR_EMPTY, "Stroke 1" },
    { "strokes-v1 100 50;1,1;", PD_SIGNATURE_ERROR_EMPTY, "Stroke 2" },
    { "strokes-v1 100 50 ;1,1", PD_SIGNATURE_ERROR_SYNTAX, "character 18" },
    { "strokes-v1 100 50;1,1\n", PD_SIGNATURE_ERROR_SYNTAX, "character 22" },
    { "strokes-v1 100 50;1,1 ", PD_SIGNATURE_ERROR_SYNTAX, "character 23" },
    { "strokes-v1 100 50;1,1  2,2", PD_SIGNATURE_ERROR_SYNTAX, NULL },
    { "strokes-v1 100 50;1,1 x", PD_SIGNATURE_ERROR_SYNTAX, "character 23" },
    { "strokes-v1 100 50;01,1", PD_SIGNATURE_ERROR_SYNTAX, NULL },
    { "strokes-v1 100 50;1,01", PD_SIGNATURE_ERROR_SYNTAX, NULL },
    { "strokes-v1 100 50;1;1", PD_SIGNATURE_ERROR_SYNTAX, "“,”" },
    { "strokes-v1 100 50;1,", PD_SIGNATURE_ERROR_SYNTAX, NULL },
    { "strokes-v1 100 50;,1", PD_SIGNATURE_ERROR_SYNTAX, NULL },
    { "strokes-v1 100 50;1,-1", PD_SIGNATURE_ERROR_SYNTAX, NULL },
    { "strokes-v1 100 50;+1,1", PD_SIGNATURE_ERROR_SYNTAX, NULL },
    { "strokes-v1 100 50;1,1,2", PD_SIGNATURE_ERROR_SYNTAX, NULL },
    { "strokes-v1 100 50;1.5,1", PD_SIGNATURE_ERROR_SYNTAX, NULL },
    { "strokes-v1 100 50;1,1\t2,2", PD_SIGNATURE_ERROR_SYNTAX, NULL },
    { "strokes-v1 100 50;1,1\xc3\xa9", PD_SIGNATURE_ERROR_SYNTAX, NULL },
    { "strokes-v1 100 50;100,0", PD_SIGNATURE_ERROR_OUTSIDE, "Point 1 of stroke 1" },
    { "strokes-v1 100 50;0,0;5,5 0,50", PD_SIGNATURE_ERROR_OUTSIDE, "Point 2 of stroke 2" },
  };
  g_autofree char *too_many_strokes = make_text (PD_SIGNATURE_MAX_STROKES + 1, 100);
  g_autofree char *too_many_points = make_text (1, PD_SIGNATURE_MAX_POINTS + 1);
  g_autofree char *too_long = g_strnfill (70000, '1');
  g_autofree char *long_text = g_strconcat ("strokes-v1 100 50;1,", too_long, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_invalid (cases[i].text, cases[i].code, cases[i].in_message);

  /* A number that could be a card's is never said back: errors are logged. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (pd_signature_new_from_text ("strokes-v1 100 50;" PD_TEST_PAN_VISA ",1",
                                               &error));
    g_assert_error (error, PD_SIGNATURE_ERROR, PD_SIGNATURE_ERROR_OUTSIDE);
    g_assert_null (strstr (error->message, "4111"));
    g_clear_error (&error);
    g_assert_null (pd_signature_new_from_text ("strokes-v1 " PD_TEST_PAN_VISA " 50;1,1", &error));
    g_assert_error (error, PD_SIGNATURE_ERROR, PD_SIGNATURE_ERROR_CANVAS);
    g_assert_null (strstr (error->message, "4111"));
  }

  assert_invalid (too_many_strokes, PD_SIGNATURE_ERROR_TOO_LARGE, "64 strokes");
  assert_invalid (too_many_points, PD_SIGNATURE_ERROR_TOO_LARGE, "4000 points");
  assert_invalid (long_text, PD_SIGNATURE_ERROR_TOO_LARGE, NULL);
}

/* n_points along a diagonal of the box x..x+width, y..y+height, as one stroke. */
static char *
diagonal (guint canvas_width,
          guint canvas_height,
          guint n_points,
          guint x,
          guint y,
          guint width,
          guint height)
{
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, "strokes-v1 %u %u", canvas_width, canvas_height);
  for (guint i = 0; i < n_points; i++)
    g_string_append_printf (text, "%c%u,%u", i == 0 ? ';' : ' ',
                            x + width * i / (n_points - 1), y + height * i / (n_points - 1));
  return g_string_free (text, FALSE);
}

static gboolean
is_blank (const char *text)
{
  g_autoptr(PdSignature) signature = parse (text);

  return pd_signature_is_blank (signature);
}

static void
test_blank (void)
{
  g_autofree char *nine = diagonal (600, 200, 9, 10, 10, 500, 150);
  g_autofree char *ten = diagonal (600, 200, 10, 10, 10, 500, 150);
  g_autofree char *dot = diagonal (600, 200, 30, 300, 100, 3, 3);
  g_autofree char *small = diagonal (600, 200, 30, 300, 100, 28, 9);
  g_autofree char *just_enough = diagonal (600, 200, 30, 300, 100, 29, 9);
  g_autofree char *flat = diagonal (600, 200, 30, 10, 100, 580, 2);
  g_autofree char *tick = diagonal (600, 200, 30, 300, 10, 4, 180);
  g_autoptr(PdSignature) blank = parse (dot);
  g_autoptr(PdSignature) signed_one = parse (ten);
  g_autoptr(GError) error = NULL;

  g_assert_true (is_blank (nine));
  g_assert_false (is_blank (ten));
  g_assert_true (is_blank (dot));
  /* Ink across 30 by 10 pixels is 5% of 600 by 200 each way: less is nothing. */
  g_assert_true (is_blank (small));
  g_assert_false (is_blank (just_enough));
  g_assert_true (is_blank (flat));
  g_assert_true (is_blank (tick));

  g_assert_false (pd_signature_check_signed (blank, &error));
  g_assert_error (error, PD_SIGNATURE_ERROR, PD_SIGNATURE_ERROR_BLANK);
  g_clear_error (&error);
  g_assert_true (pd_signature_check_signed (signed_one, &error));
  g_assert_no_error (error);
}

static void
test_training_sample (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "assets",
                                                 "training-signature.txt", NULL);
  g_autofree char *text = NULL;
  g_autoptr(PdSignature) signature = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  signature = parse (g_strchomp (text));
  g_assert_false (pd_signature_is_blank (signature));
  g_assert_cmpuint (pd_signature_get_n_strokes (signature), >=, 2);
}

static void
test_builder (void)
{
  g_autoptr(PdSignatureBuilder) builder = pd_signature_builder_new (300, 100);
  g_autoptr(PdSignature) empty = NULL;
  g_autoptr(PdSignature) first = NULL;
  g_autoptr(PdSignature) second = NULL;
  g_autoptr(PdSignature) parsed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first_text = NULL;
  g_autofree char *second_text = NULL;

  /* Nothing drawn, or a stroke begun and no point: no signature. */
  empty = pd_signature_builder_end (builder, &error);
  g_assert_null (empty);
  g_assert_error (error, PD_SIGNATURE_ERROR, PD_SIGNATURE_ERROR_EMPTY);
  g_clear_error (&error);
  g_assert_true (pd_signature_builder_begin_stroke (builder));
  g_assert_null (pd_signature_builder_end (builder, &error));
  g_assert_error (error, PD_SIGNATURE_ERROR, PD_SIGNATURE_ERROR_EMPTY);
  g_clear_error (&error);

  /* A finger past the edges lands on them; a point repeated is one. A stroke begun and
   * given nothing is not a stroke. */
  g_assert_true (pd_signature_builder_add_point (builder, -4, 10));
  g_assert_true (pd_signature_builder_add_point (builder, 50, 50));
  g_assert_true (pd_signature_builder_add_point (builder, 50, 50));
  g_assert_true (pd_signature_builder_add_point (builder, 400, 120));
  pd_signature_builder_end_stroke (builder);
  g_assert_true (pd_signature_builder_begin_stroke (builder));
  g_assert_true (pd_signature_builder_begin_stroke (builder));
  g_assert_true (pd_signature_builder_add_point (builder, 10, 90));
  g_assert_true (pd_signature_builder_add_point (builder, 90, 10));
  pd_signature_builder_end_stroke (builder);
  g_assert_true (pd_signature_builder_begin_stroke (builder));

  first = pd_signature_builder_end (builder, &error);
  g_assert_no_error (error);
  first_text = pd_signature_to_text (first);
  g_assert_cmpstr (first_text, ==, "strokes-v1 300 100;0,10 50,50 299,99;10,90 90,10");
  parsed = parse (first_text);
  g_assert_cmpuint (pd_signature_get_n_strokes (parsed), ==, 2);

  /* The same point again in a new stroke is a dot, kept. The signature taken before does
   * not change. */
  g_assert_true (pd_signature_builder_add_point (builder, 90, 10));
  second = pd_signature_builder_end (builder, &error);
  g_assert_no_error (error);
  second_text = pd_signature_to_text (second);
  g_assert_cmpstr (second_text, ==, "strokes-v1 300 100;0,10 50,50 299,99;10,90 90,10;90,10");
  g_clear_pointer (&first_text, g_free);
  first_text = pd_signature_to_text (first);
  g_assert_cmpstr (first_text, ==, "strokes-v1 300 100;0,10 50,50 299,99;10,90 90,10");

  /* Cleared: nothing. */
  pd_signature_builder_clear (builder);
  g_assert_null (pd_signature_builder_end (builder, &error));
  g_assert_error (error, PD_SIGNATURE_ERROR, PD_SIGNATURE_ERROR_EMPTY);
}

static void
test_builder_limits (void)
{
  g_autoptr(PdSignatureBuilder) builder = pd_signature_builder_new (4096, 4096);
  g_autoptr(PdSignature) full = NULL;
  g_autoptr(PdSignature) parsed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint added = 0;

  for (guint stroke = 0; stroke < PD_SIGNATURE_MAX_STROKES; stroke++)
    {
      g_assert_true (pd_signature_builder_begin_stroke (builder));
      g_assert_true (pd_signature_builder_add_point (builder, (int) stroke, 0));
      pd_signature_builder_end_stroke (builder);
    }
  /* No 65th stroke: the pad stops taking ink. */
  g_assert_false (pd_signature_builder_begin_stroke (builder));

  pd_signature_builder_clear (builder);
  g_assert_true (pd_signature_builder_begin_stroke (builder));
  for (guint i = 0; i < PD_SIGNATURE_MAX_POINTS + 10; i++)
    if (pd_signature_builder_add_point (builder, (int) (i % 4096), (int) (i / 4096) + 1))
      added++;
  g_assert_cmpuint (added, ==, PD_SIGNATURE_MAX_POINTS);

  full = pd_signature_builder_end (builder, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pd_signature_get_n_points (full), ==, PD_SIGNATURE_MAX_POINTS);
  text = pd_signature_to_text (full);
  parsed = parse (text);
  g_assert_cmpuint (pd_signature_get_n_points (parsed), ==, PD_SIGNATURE_MAX_POINTS);
}

/* The journal's table: the latest stands, a blank one or an unknown payment is refused,
 * and nothing is ever changed or deleted. */
static void
test_journal (PdTestDir     *fixture,
              gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "journal.sqlite3", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdJournal) journal = pd_journal_open (path, &error);
  g_autoptr(PdAccount) account = pd_test_account_new ();
  g_autoptr(PdPayment) payment = pd_test_payment_new (account, 7500, PD_TENDER_BANK);
  g_autoptr(PdPayment) unsigned_payment = pd_test_payment_new (account, 2500, PD_TENDER_BANK);
  g_autofree char *first_text = diagonal (600, 200, 12, 20, 20, 500, 150);
  g_autofree char *second_text = diagonal (600, 200, 40, 40, 30, 520, 140);
  g_autofree char *dot_text = diagonal (600, 200, 12, 300, 100, 2, 2);
  g_autoptr(PdSignature) first = parse (first_text);
  g_autoptr(PdSignature) second = parse (second_text);
  g_autoptr(PdSignature) dot = parse (dot_text);
  g_autoptr(PdSignature) found = NULL;
  g_autofree char *found_text = NULL;
  sqlite3 *db = NULL;

  g_assert_no_error (error);
  g_assert_true (pd_journal_record_payment (journal, payment, NULL, &error));
  g_assert_true (pd_journal_record_payment (journal, unsigned_payment, NULL, &error));
  g_assert_no_error (error);

  g_assert_null (pd_journal_get_signature (journal, pd_payment_get_id (unsigned_payment),
                                           &error));
  g_assert_no_error (error);

  g_assert_true (pd_journal_record_signature (journal, pd_payment_get_id (payment), first,
                                              &error));
  g_assert_no_error (error);
  g_assert_true (pd_journal_record_signature (journal, pd_payment_get_id (payment), second,
                                              &error));
  g_assert_no_error (error);
  found = pd_journal_get_signature (journal, pd_payment_get_id (payment), &error);
  g_assert_no_error (error);
  found_text = pd_signature_to_text (found);
  g_assert_cmpstr (found_text, ==, second_text);

  g_assert_false (pd_journal_record_signature (journal, pd_payment_get_id (payment), dot,
                                               &error));
  g_assert_error (error, PD_SIGNATURE_ERROR, PD_SIGNATURE_ERROR_BLANK);
  g_clear_error (&error);
  g_assert_false (pd_journal_record_signature (journal, "no-such-payment", first, &error));
  g_assert_error (error, PD_JOURNAL_ERROR, PD_JOURNAL_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE payment_signatures SET data = 'x'", NULL, NULL,
                                 NULL), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM payment_signatures", NULL, NULL, NULL), ==,
                   SQLITE_CONSTRAINT);
  /* The format is the one this version writes, and the data is bounded. */
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO payment_signatures (payment_id, recorded_at,"
                                     " format, data) SELECT id, 'now', 'png', 'x' FROM payments"
                                     " LIMIT 1", NULL, NULL, NULL), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO payment_signatures (payment_id, recorded_at,"
                                     " format, data) SELECT id, 'now', 'strokes-v1', ''"
                                     " FROM payments LIMIT 1", NULL, NULL, NULL), ==,
                   SQLITE_CONSTRAINT);
  /* A damaged row reads back as an error, never as a signature. */
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO payment_signatures (payment_id, recorded_at,"
                                     " format, data) SELECT id, 'now', 'strokes-v1', 'garbage'"
                                     " FROM payments WHERE amount_cents = 2500", NULL, NULL,
                                 NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_null (pd_journal_get_signature (journal, pd_payment_get_id (unsigned_payment),
                                           &error));
  g_assert_error (error, PD_JOURNAL_ERROR, PD_JOURNAL_ERROR_CORRUPT);
}

int
main (int    argc,
      char **argv)
{
  pd_test_init (&argc, &argv);

  g_test_add_func ("/signature/round-trip", test_round_trip);
  g_test_add_func ("/signature/limits", test_limits);
  g_test_add_func ("/signature/invalid", test_invalid);
  g_test_add_func ("/signature/blank", test_blank);
  g_test_add_func ("/signature/training-sample", test_training_sample);
  g_test_add_func ("/signature/builder", test_builder);
  g_test_add_func ("/signature/builder-limits", test_builder_limits);
  g_test_add ("/signature/journal", PdTestDir, NULL, pd_test_dir_set_up, test_journal,
              pd_test_dir_tear_down);

  return g_test_run ();
}
