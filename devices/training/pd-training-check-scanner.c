#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <cairo.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <pango/pangocairo.h>
#include <sodium.h>

#include "pd-check-image.h"
#include "pd-training-check-scanner.h"

#define GROUP "Check"

/* A scanner senses a check within a few tens of milliseconds; so does this one. Cancelling
 * wakes the wait at once, whatever the interval. */
#define POLL_INTERVAL_MS 25

/* Check sizes in inches: personal 6 x 2.75 (1200 x 550 pixels at 200 dpi), business
 * 8.5 x 3.5 (1700 x 700). */
#define PERSONAL_WIDTH   6.0
#define PERSONAL_HEIGHT  2.75
#define BUSINESS_WIDTH   8.5
#define BUSINESS_HEIGHT  3.5

/* The E-13B line where a person expects it, for looks only (not measured against X9's
 * layout standard): characters 0.117 in tall on a 0.125 in pitch, the baseline 3/16 in above
 * the bottom edge, position 1 (the amount field's last symbol) ending 5/16 in from the right
 * edge, and the routing number's opening symbol at position 43. */
#define MICR_PITCH            0.125
#define MICR_CHAR_HEIGHT      0.117
#define MICR_BASELINE         0.1875
#define MICR_RIGHT_MARGIN     0.3125
#define MICR_TRANSIT_POSITION 43

#define TRANSIT_SYMBOL 0x2446
#define AMOUNT_SYMBOL  0x2447
#define ON_US_SYMBOL   0x2448
#define DASH_SYMBOL    0x2449

struct _PdTrainingCheckScanner {
  GObject parent_instance;

  char *slot_directory;
  char *check_path;
};

static void pd_training_check_scanner_iface_init (PdCheckScannerInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PdTrainingCheckScanner, pd_training_check_scanner,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (PD_TYPE_CHECK_SCANNER,
                                                      pd_training_check_scanner_iface_init))

static const char * const known_keys[] = {
  "Micr", "Payer", "PayerAddress", "Bank", "Images", "Endorsed", "Description",
};

/* Profiles hold an account number, fictional or not: buffers are zeroed before they go. */
static void
wipe_and_free (char  *text,
               gsize  length)
{
  if (text == NULL)
    return;
  sodium_memzero (text, length);
  g_free (text);
}

const char *
pd_training_check_scanner_get_default_slot (void)
{
  static char *slot;

  if (g_once_init_enter (&slot))
    {
      char *path = g_build_filename (g_get_user_runtime_dir (), "paydesk", "training-check-slot",
                                     NULL);

      g_once_init_leave (&slot, path);
    }
  return slot;
}

const char *
pd_training_check_get_profile_directory (void)
{
  const char *override = g_getenv ("PAYDESK_TRAINING_CHECKS");

  if (override != NULL && *override != '\0')
    return override;
  if (g_file_test (PAYDESK_TRAINING_CHECKS_DIR, G_FILE_TEST_IS_DIR))
    return PAYDESK_TRAINING_CHECKS_DIR;
  return PAYDESK_SOURCE_TRAINING_CHECKS_DIR;
}

char *
pd_training_check_find_profile (const char  *name_or_path,
                                GError     **error)
{
  g_autofree char *path = NULL;
  gboolean bare_name;

  g_return_val_if_fail (name_or_path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  bare_name = strchr (name_or_path, G_DIR_SEPARATOR) == NULL &&
              !g_str_has_suffix (name_or_path, ".conf");
  if (bare_name)
    {
      g_autofree char *file = g_strconcat (name_or_path, ".conf", NULL);

      path = g_build_filename (pd_training_check_get_profile_directory (), file, NULL);
    }
  else
    path = g_strdup (name_or_path);

  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&path);

  if (bare_name)
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                 /* TRANSLATORS: a profile name, then a folder. */
                 _("There is no training check named “%s” in %s."), name_or_path,
                 pd_training_check_get_profile_directory ());
  else
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                 _("There is no training check profile %s."), path);
  return NULL;
}

void
pd_training_check_free (PdTrainingCheck *check)
{
  if (check == NULL)
    return;

  if (check->micr != NULL)
    wipe_and_free (check->micr, strlen (check->micr));
  g_free (check->payer);
  g_free (check->payer_address);
  g_free (check->bank);
  g_free (check->description);
  g_free (check);
}

static gboolean
is_known_key (const char *key)
{
  for (gsize i = 0; i < G_N_ELEMENTS (known_keys); i++)
    if (g_str_equal (key, known_keys[i]))
      return TRUE;
  return FALSE;
}

static char *
get_optional_string (GKeyFile   *file,
                     const char *key)
{
  char *value = g_key_file_get_string (file, GROUP, key, NULL);

  return value != NULL ? value : g_strdup ("");
}

static gboolean
get_optional_boolean (GKeyFile    *file,
                      const char  *path,
                      const char  *key,
                      gboolean    *value,
                      GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!g_key_file_has_key (file, GROUP, key, NULL))
    return TRUE;

  *value = g_key_file_get_boolean (file, GROUP, key, &local_error);
  if (local_error != NULL)
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   /* TRANSLATORS: a file, then one of its keys. */
                   _("Training check %s: %s is neither true nor false."), path, key);
      return FALSE;
    }
  return TRUE;
}

/* Unknown groups and keys are refused: a misspelt Endorsed must not pass for the default. */
static gboolean
check_layout (GKeyFile    *file,
              const char  *path,
              GError     **error)
{
  g_auto(GStrv) groups = g_key_file_get_groups (file, NULL);
  g_auto(GStrv) keys = NULL;

  for (guint i = 0; groups[i] != NULL; i++)
    if (!g_str_equal (groups[i], GROUP))
      {
        g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_GROUP_NOT_FOUND,
                     _("Training check %s: unknown group [%s]; only [Check] is read."), path,
                     groups[i]);
        return FALSE;
      }
  if (!g_key_file_has_group (file, GROUP))
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_GROUP_NOT_FOUND,
                   _("Training check %s: there is no [Check] group."), path);
      return FALSE;
    }

  keys = g_key_file_get_keys (file, GROUP, NULL, NULL);
  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    if (!is_known_key (keys[i]))
      {
        g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND,
                     _("Training check %s: unknown key %s."), path, keys[i]);
        return FALSE;
      }
  return TRUE;
}

/* path names the file in messages only: the contents are already read. */
static PdTrainingCheck *
parse_check (const char  *path,
             const char  *contents,
             gsize        length,
             GError     **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(PdTrainingCheck) check = g_new0 (PdTrainingCheck, 1);
  g_autoptr(GError) local_error = NULL;

  if (!g_key_file_load_from_data (file, contents, length, G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, G_KEY_FILE_ERROR, local_error->code,
                   /* TRANSLATORS: a file, then what is wrong with it. */
                   _("Training check %s: %s"), path, local_error->message);
      return NULL;
    }
  if (!check_layout (file, path, error))
    return NULL;

  check->micr = g_key_file_get_string (file, GROUP, "Micr", NULL);
  if (check->micr == NULL || *check->micr == '\0')
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND,
                   _("Training check %s: Micr, the check's MICR line, is missing."), path);
      return NULL;
    }
  check->payer = get_optional_string (file, "Payer");
  check->payer_address = get_optional_string (file, "PayerAddress");
  check->bank = get_optional_string (file, "Bank");
  check->description = get_optional_string (file, "Description");
  check->images = TRUE;
  check->endorsed = TRUE;
  if (!get_optional_boolean (file, path, "Images", &check->images, error) ||
      !get_optional_boolean (file, path, "Endorsed", &check->endorsed, error))
    return NULL;

  return g_steal_pointer (&check);
}

PdTrainingCheck *
pd_training_check_load (const char  *path,
                        GError     **error)
{
  char *contents = NULL;
  gsize length = 0;
  PdTrainingCheck *check;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;
  check = parse_check (path, contents, length, error);
  wipe_and_free (contents, length);
  return check;
}

static void
set_already_in_slot (GError    **error,
                     const char *slot_directory)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
               _("A check is already in the training check slot %s. Take it out first: stop "
                 "the paydesk-vcheck that put it there, or scan it."), slot_directory);
}

/* The profile is read once: what is checked is what goes in the slot. */
static gboolean
insert_contents (const char  *slot_directory,
                 const char  *profile_path,
                 const char  *contents,
                 gsize        length,
                 GError     **error)
{
  static gint staging_counter;
  g_autoptr(PdTrainingCheck) check = parse_check (profile_path, contents, length, error);
  g_autofree char *check_path = NULL;
  g_autofree char *staging_name = NULL;
  g_autofree char *staging_path = NULL;
  gboolean placed;
  int saved_errno;

  if (check == NULL)
    return FALSE;

  if (g_mkdir_with_parents (slot_directory, 0700) != 0)
    {
      saved_errno = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   /* TRANSLATORS: a folder, then the system's reason. */
                   _("Could not make the training check slot %s: %s"), slot_directory,
                   g_strerror (saved_errno));
      return FALSE;
    }

  check_path = g_build_filename (slot_directory, PD_TRAINING_CHECK_FILE, NULL);
  if (g_file_test (check_path, G_FILE_TEST_EXISTS))
    {
      set_already_in_slot (error, slot_directory);
      return FALSE;
    }

  /* Written whole under a name the scanner ignores, then linked into place: link() refuses
   * a name that exists where rename() would replace it, so of two checks inserted at the
   * same moment one is refused rather than one silently lost. */
  staging_name = g_strdup_printf (".%s.%d.%d", PD_TRAINING_CHECK_FILE, (int) getpid (),
                                  g_atomic_int_add (&staging_counter, 1));
  staging_path = g_build_filename (slot_directory, staging_name, NULL);
  if (!g_file_set_contents_full (staging_path, contents, (gssize) length,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
    return FALSE;

  placed = link (staging_path, check_path) == 0;
  saved_errno = errno;
  /* A file system without hard links: the test above is all there is. */
  if (!placed && (saved_errno == EPERM || saved_errno == EOPNOTSUPP))
    {
      placed = g_rename (staging_path, check_path) == 0;
      saved_errno = errno;
    }
  g_unlink (staging_path);

  if (placed)
    return TRUE;
  if (saved_errno == EEXIST)
    {
      set_already_in_slot (error, slot_directory);
      return FALSE;
    }
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
               _("Could not put the check in the training check slot %s: %s"), slot_directory,
               g_strerror (saved_errno));
  return FALSE;
}

gboolean
pd_training_check_insert (const char  *slot_directory,
                          const char  *profile_path,
                          GError     **error)
{
  char *contents = NULL;
  gsize length = 0;
  gboolean inserted;

  g_return_val_if_fail (profile_path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (slot_directory == NULL)
    slot_directory = pd_training_check_scanner_get_default_slot ();

  if (!g_file_get_contents (profile_path, &contents, &length, error))
    return FALSE;
  inserted = insert_contents (slot_directory, profile_path, contents, length, error);
  wipe_and_free (contents, length);
  return inserted;
}

gboolean
pd_training_check_remove (const char  *slot_directory,
                          GError     **error)
{
  g_autofree char *check_path = NULL;
  int saved_errno;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (slot_directory == NULL)
    slot_directory = pd_training_check_scanner_get_default_slot ();

  check_path = g_build_filename (slot_directory, PD_TRAINING_CHECK_FILE, NULL);
  if (g_unlink (check_path) != 0 && (saved_errno = errno) != ENOENT)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not take the check out of the training check slot %s: %s"),
                   slot_directory, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

/* ---- Drawing ---- */

typedef struct {
  cairo_t      *cr;
  PangoContext *pango;
  double        width;
  double        height;
  double        dpi;
} Canvas;

typedef enum {
  ALIGN_LEFT,
  ALIGN_RIGHT,
  ALIGN_CENTER,
} Align;

static PangoLayout *
new_layout (Canvas     *canvas,
            const char *text,
            const char *font,
            double      size)
{
  PangoLayout *layout = pango_layout_new (canvas->pango);
  PangoFontDescription *description = pango_font_description_from_string (font);

  pango_font_description_set_absolute_size (description, size * PANGO_SCALE);
  pango_layout_set_font_description (layout, description);
  pango_layout_set_text (layout, text, -1);
  pango_font_description_free (description);
  return layout;
}

/* x is the left edge, the right edge or the middle, as align says; y the top. Returns the
 * width drawn. */
static double
draw_text (Canvas     *canvas,
           const char *text,
           const char *font,
           double      size,
           double      x,
           double      y,
           Align       align)
{
  g_autoptr(PangoLayout) layout = new_layout (canvas, text, font, size);
  int width = 0;

  pango_layout_get_pixel_size (layout, &width, NULL);
  if (align == ALIGN_RIGHT)
    x -= width;
  else if (align == ALIGN_CENTER)
    x -= width / 2.0;

  cairo_move_to (canvas->cr, x, y);
  pango_cairo_update_context (canvas->cr, canvas->pango);
  pango_layout_context_changed (layout);
  pango_cairo_show_layout (canvas->cr, layout);
  return width;
}

static double
text_height (Canvas     *canvas,
             const char *font,
             double      size)
{
  g_autoptr(PangoLayout) layout = new_layout (canvas, "Ag", font, size);
  int height = 0;

  pango_layout_get_pixel_size (layout, NULL, &height);
  return height;
}

static void
draw_line (Canvas *canvas,
           double  x1,
           double  y1,
           double  x2,
           double  y2,
           double  width)
{
  cairo_set_line_width (canvas->cr, width);
  cairo_move_to (canvas->cr, x1, y1);
  cairo_line_to (canvas->cr, x2, y2);
  cairo_stroke (canvas->cr);
}

/* A label followed by a line to fill in, level with the label's baseline. */
static void
draw_field (Canvas     *canvas,
            const char *label,
            double      x,
            double      y,
            double      end_x)
{
  const double size = 0.085 * canvas->dpi;
  double label_width = draw_text (canvas, label, "Sans", size, x, y, ALIGN_LEFT);
  double line_y = y + text_height (canvas, "Sans", size) * 0.8;
  double start = x + label_width + 0.04 * canvas->dpi;

  draw_line (canvas, start, line_y, end_x, line_y, 2);
}

static void
fill_rectangle (Canvas *canvas,
                double  x,
                double  y,
                double  width,
                double  height)
{
  cairo_rectangle (canvas->cr, x, y, width, height);
  cairo_fill (canvas->cr);
}

/* The E-13B symbols as blocks of ink, close enough for a person to recognise. */
static void
draw_micr_symbol (Canvas   *canvas,
                  gunichar  c,
                  double    x,
                  double    top,
                  double    pitch,
                  double    height)
{
  double bar = pitch * 0.2;
  double square = pitch * 0.32;

  switch (c)
    {
    case TRANSIT_SYMBOL:
      fill_rectangle (canvas, x + pitch * 0.15, top, bar, height);
      fill_rectangle (canvas, x + pitch * 0.5, top, square, square);
      fill_rectangle (canvas, x + pitch * 0.5, top + height - square, square, square);
      break;
    case ON_US_SYMBOL:
      fill_rectangle (canvas, x + pitch * 0.15, top, bar, height * 0.62);
      fill_rectangle (canvas, x + pitch * 0.6, top, bar, height * 0.62);
      fill_rectangle (canvas, x + pitch * 0.15, top + height * 0.74, pitch * 0.65, height * 0.26);
      break;
    case AMOUNT_SYMBOL:
      fill_rectangle (canvas, x + pitch * 0.1, top + height - square, square, square);
      fill_rectangle (canvas, x + pitch * 0.42, top, bar, height);
      fill_rectangle (canvas, x + pitch * 0.62, top, square, square);
      break;
    case DASH_SYMBOL:
    default:
      fill_rectangle (canvas, x + pitch * 0.1, top + height * 0.4, pitch * 0.3, height * 0.2);
      fill_rectangle (canvas, x + pitch * 0.5, top + height * 0.4, pitch * 0.3, height * 0.2);
      break;
    }
}

/* What a reader could not read: a smudge over the character. */
static void
draw_smudge (Canvas *canvas,
             double  x,
             double  top,
             double  pitch,
             double  height)
{
  cairo_save (canvas->cr);
  cairo_translate (canvas->cr, x + pitch / 2, top + height / 2);
  cairo_scale (canvas->cr, pitch * 0.55, height * 0.6);
  cairo_arc (canvas->cr, 0, 0, 1, 0, 2 * G_PI);
  cairo_restore (canvas->cr);
  cairo_fill (canvas->cr);
}

static int
find_transit (const char *micr)
{
  int position = 0;

  for (const char *p = micr; *p != '\0'; p = g_utf8_next_char (p), position++)
    if (g_utf8_get_char (p) == TRANSIT_SYMBOL)
      return position;
  return -1;
}

/* Where E-13B puts it: the routing number's opening symbol at position 43 from the right,
 * everything else on the same pitch, kept inside the check if the line is odd. */
static void
draw_micr_line (Canvas     *canvas,
                const char *micr)
{
  double pitch = MICR_PITCH * canvas->dpi;
  double height = MICR_CHAR_HEIGHT * canvas->dpi;
  double top = canvas->height - MICR_BASELINE * canvas->dpi - height;
  double margin = 0.15 * canvas->dpi;
  glong n_chars = g_utf8_strlen (micr, -1);
  int transit = find_transit (micr);
  double x;
  g_autoptr(PangoLayout) digit = new_layout (canvas, "0", "Monospace Bold", height * 1.3);
  PangoRectangle ink;

  if (transit >= 0)
    x = canvas->width - MICR_RIGHT_MARGIN * canvas->dpi - MICR_TRANSIT_POSITION * pitch -
        transit * pitch;
  else
    x = margin * 2;
  x = MIN (x, canvas->width - margin - n_chars * pitch);
  x = MAX (x, margin);

  pango_cairo_update_context (canvas->cr, canvas->pango);
  pango_layout_context_changed (digit);
  for (const char *p = micr; *p != '\0'; p = g_utf8_next_char (p), x += pitch)
    {
      gunichar c = g_utf8_get_char (p);
      char utf8[8] = { 0 };

      if (c == ' ')
        continue;
      if (c == TRANSIT_SYMBOL || c == ON_US_SYMBOL || c == AMOUNT_SYMBOL || c == DASH_SYMBOL)
        {
          draw_micr_symbol (canvas, c, x, top, pitch, height);
          continue;
        }
      if (c == '?')
        {
          draw_smudge (canvas, x, top, pitch, height);
          continue;
        }

      /* Digits (and whatever else the line holds) centred on their ink in the cell. */
      g_unichar_to_utf8 (c, utf8);
      pango_layout_set_text (digit, utf8, -1);
      pango_layout_get_pixel_extents (digit, &ink, NULL);
      cairo_move_to (canvas->cr, x + (pitch - ink.width) / 2 - ink.x,
                     top + height - (ink.y + ink.height));
      pango_cairo_show_layout (canvas->cr, digit);
    }
}

/* Outlined, so that nothing under it becomes unreadable. */
static void
draw_training_mark (Canvas *canvas)
{
  g_autoptr(PangoLayout) layout = new_layout (canvas, _("TRAINING — NOT NEGOTIABLE"),
                                              "Sans Bold", canvas->height * 0.1);
  int width = 0;
  int height = 0;

  pango_layout_get_pixel_size (layout, &width, &height);
  cairo_save (canvas->cr);
  /* Across the band between the amount in words and the memo, which holds nothing else. */
  cairo_translate (canvas->cr, canvas->width / 2, canvas->height * 0.62);
  cairo_rotate (canvas->cr, -0.05);
  cairo_move_to (canvas->cr, -width / 2.0, -height / 2.0);
  pango_cairo_update_context (canvas->cr, canvas->pango);
  pango_layout_context_changed (layout);
  pango_cairo_layout_path (canvas->cr, layout);
  cairo_set_line_width (canvas->cr, 2);
  cairo_stroke (canvas->cr);
  cairo_restore (canvas->cr);
}

static void
draw_front (Canvas                *canvas,
            const PdTrainingCheck *check,
            const PdMicrLine      *line,
            gboolean               business)
{
  double dpi = canvas->dpi;
  double w = canvas->width;
  /* Vertical places are laid out for a personal check and stretched to the check's height. */
  double v = canvas->height / (PERSONAL_HEIGHT * dpi);
  double left = 0.2 * dpi;
  double right = w - 0.2 * dpi;
  const char *serial = line != NULL ? pd_micr_line_get_serial (line) : NULL;
  double box_width = 1.15 * dpi;
  double box_x = right - box_width;
  double y;

  cairo_set_line_width (canvas->cr, 3);
  cairo_rectangle (canvas->cr, 0.06 * dpi, 0.06 * dpi, w - 0.12 * dpi, canvas->height - 0.12 * dpi);
  cairo_stroke (canvas->cr);

  y = 0.14 * dpi * v;
  draw_text (canvas, check->payer, "Sans Bold", 0.12 * dpi, left, y, ALIGN_LEFT);
  draw_text (canvas, check->payer_address, "Sans", 0.08 * dpi, left,
             y + text_height (canvas, "Sans Bold", 0.12 * dpi), ALIGN_LEFT);
  if (serial != NULL)
    draw_text (canvas, serial, "Sans Bold", 0.12 * dpi, right, y, ALIGN_RIGHT);
  draw_text (canvas, check->bank, "Serif Bold", 0.1 * dpi, w * 0.55, y, ALIGN_CENTER);

  draw_field (canvas, _("Date"), w * 0.58, 0.55 * dpi * v, right);

  y = 0.95 * dpi * v;
  draw_field (canvas, _("Pay to the order of"), left, y, box_x - 0.3 * dpi);
  draw_text (canvas, "$", "Sans Bold", 0.12 * dpi, box_x - 0.06 * dpi, y - 0.03 * dpi,
             ALIGN_RIGHT);
  cairo_set_line_width (canvas->cr, 2);
  cairo_rectangle (canvas->cr, box_x, y - 0.05 * dpi, box_width, 0.28 * dpi);
  cairo_stroke (canvas->cr);

  y = 1.35 * dpi * v;
  draw_line (canvas, left, y + 0.12 * dpi, right - 0.85 * dpi, y + 0.12 * dpi, 2);
  draw_text (canvas, _("Dollars"), "Sans", 0.085 * dpi, right, y, ALIGN_RIGHT);

  y = 2.0 * dpi * v;
  draw_field (canvas, _("Memo"), left, y, w * 0.45);
  draw_line (canvas, w * 0.55, y + 0.1 * dpi, right, y + 0.1 * dpi, 2);
  /* The payer's name in a hand, for a signature. */
  draw_text (canvas, check->payer, "Serif Italic", 0.13 * dpi, w * 0.58, y - 0.1 * dpi,
             ALIGN_LEFT);
  if (business)
    draw_text (canvas, _("Authorized signature"), "Sans", 0.06 * dpi, right,
               y + 0.12 * dpi, ALIGN_RIGHT);

  draw_training_mark (canvas);
  draw_micr_line (canvas, check->micr);
}

/* Endorsed: the payee's restrictive endorsement in the endorsement area at the trailing
 * edge. Not endorsed: nothing at all, so that the image check finds the back blank. */
static void
draw_back (Canvas                *canvas,
           const PdTrainingCheck *check)
{
  double dpi = canvas->dpi;
  double left = 0.25 * dpi;
  double area = 1.8 * dpi;
  double y = 0.2 * dpi;

  if (!check->endorsed)
    return;

  draw_text (canvas, _("Endorse here"), "Sans Bold", 0.06 * dpi, left, y, ALIGN_LEFT);
  for (int i = 1; i <= 3; i++)
    draw_line (canvas, left, y + i * 0.3 * dpi, left + area, y + i * 0.3 * dpi, 2);
  draw_text (canvas, _("For deposit only"), "Serif Bold Italic", 0.11 * dpi, left,
             y + 0.12 * dpi, ALIGN_LEFT);
  draw_text (canvas, _("Paydesk training center"), "Serif Italic", 0.1 * dpi, left,
             y + 0.42 * dpi, ALIGN_LEFT);
  draw_line (canvas, left, y + 1.15 * dpi, left + area, y + 1.15 * dpi, 1);
  draw_text (canvas, _("Do not write, stamp or sign below this line"), "Sans", 0.045 * dpi,
             left, y + 1.18 * dpi, ALIGN_LEFT);
}

/* A8 ink drawn with Cairo and Pango, turned into a gray image and then a Check 21 TIFF. The
 * pixels show the account number: they are wiped before they are freed. */
static GBytes *
render_side (const PdTrainingCheck  *check,
             const PdMicrLine       *line,
             PdCheckSide             side,
             gboolean                business,
             GError                **error)
{
  guint dpi = PD_CHECK_IMAGE_DPI;
  int width = (int) ((business ? BUSINESS_WIDTH : PERSONAL_WIDTH) * dpi + 0.5);
  int height = (int) ((business ? BUSINESS_HEIGHT : PERSONAL_HEIGHT) * dpi + 0.5);
  int stride = cairo_format_stride_for_width (CAIRO_FORMAT_A8, width);
  gsize size = (gsize) stride * (gsize) height;
  guint8 *pixels = g_malloc0 (size);
  cairo_surface_t *surface = cairo_image_surface_create_for_data (pixels, CAIRO_FORMAT_A8,
                                                                  width, height, stride);
  cairo_t *cr = cairo_create (surface);
  /* A font map of its own: Pango's are not thread-safe, and a capture may run on any
   * worker. */
  PangoFontMap *font_map = pango_cairo_font_map_new ();
  PangoContext *pango = pango_font_map_create_context (font_map);
  cairo_font_options_t *options = cairo_font_options_create ();
  Canvas canvas = { cr, pango, width, height, dpi };
  cairo_status_t status;
  g_autoptr(PdCheckImage) image = NULL;

  /* Crisp text after thresholding: no hinting tricks, gray antialiasing only. */
  cairo_font_options_set_antialias (options, CAIRO_ANTIALIAS_GRAY);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (pango, options);
  cairo_font_options_destroy (options);

  cairo_set_source_rgba (cr, 0, 0, 0, 1);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_SQUARE);
  if (side == PD_CHECK_SIDE_FRONT)
    draw_front (&canvas, check, line, business);
  else
    draw_back (&canvas, check);

  status = cairo_status (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  cairo_surface_destroy (surface);
  g_object_unref (pango);
  g_object_unref (font_map);

  if (status == CAIRO_STATUS_SUCCESS)
    {
      /* Ink is coverage; a scanner's gray is 0 for black. */
      for (gsize i = 0; i < size; i++)
        pixels[i] = (guint8) (255 - pixels[i]);
      image = pd_check_image_new_from_gray (side, pixels, (guint) width, (guint) height,
                                            (gsize) stride, dpi,
                                            PD_CHECK_IMAGE_DEFAULT_THRESHOLD);
    }
  sodium_memzero (pixels, size);
  g_free (pixels);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, PD_CHECK_SCANNER_ERROR, PD_CHECK_SCANNER_ERROR_READ_FAILED,
                   _("The training check scanner could not draw the check: %s"),
                   cairo_status_to_string (status));
      return NULL;
    }
  return pd_check_image_to_tiff (image, error);
}

/* ---- The scanner ---- */

static void
set_no_check (GError **error)
{
  g_set_error_literal (error, PD_CHECK_SCANNER_ERROR, PD_CHECK_SCANNER_ERROR_NO_CHECK,
                       _("There is no check in the training check scanner. Insert one with "
                         "paydesk-vcheck --profile NAME, then try again."));
}

static gboolean
check_is_in_slot (PdTrainingCheckScanner *self)
{
  return g_file_test (self->check_path, G_FILE_TEST_IS_REGULAR);
}

static PdTrainingCheck *
load_check_in_slot (PdTrainingCheckScanner  *self,
                    GError                 **error)
{
  g_autoptr(GError) local_error = NULL;
  PdTrainingCheck *check = pd_training_check_load (self->check_path, &local_error);

  if (check != NULL)
    return check;

  if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    set_no_check (error);
  else
    g_set_error (error, PD_CHECK_SCANNER_ERROR, PD_CHECK_SCANNER_ERROR_READ_FAILED,
                 _("The check in the training check scanner could not be read: %s"),
                 local_error->message);
  return NULL;
}

static gboolean
pd_training_check_scanner_wait_for_check (PdCheckScanner  *scanner,
                                          guint            timeout_ms,
                                          GCancellable    *cancellable,
                                          GError         **error)
{
  PdTrainingCheckScanner *self = PD_TRAINING_CHECK_SCANNER (scanner);
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  GPollFD cancel_fd = { 0 };
  gboolean have_cancel_fd = cancellable != NULL &&
                            g_cancellable_make_pollfd (cancellable, &cancel_fd);
  gboolean found = FALSE;

  for (;;)
    {
      gint64 remaining_ms;
      gint interval_ms;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        break;
      if (check_is_in_slot (self))
        {
          found = TRUE;
          break;
        }
      remaining_ms = (deadline - g_get_monotonic_time () + 999) / 1000;
      if (remaining_ms <= 0)
        {
          set_no_check (error);
          break;
        }

      interval_ms = (gint) MIN (remaining_ms, POLL_INTERVAL_MS);
      if (have_cancel_fd)
        g_poll (&cancel_fd, 1, interval_ms);
      else
        g_usleep ((gulong) interval_ms * 1000);
    }

  if (have_cancel_fd)
    g_cancellable_release_fd (cancellable);
  return found;
}

static PdMicrLine *
pd_training_check_scanner_read_micr (PdCheckScanner  *scanner,
                                     GCancellable    *cancellable,
                                     GError         **error)
{
  PdTrainingCheckScanner *self = PD_TRAINING_CHECK_SCANNER (scanner);
  g_autoptr(PdTrainingCheck) check = NULL;
  g_autoptr(GError) parse_error = NULL;
  PdMicrLine *line;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  check = load_check_in_slot (self, error);
  if (check == NULL)
    return NULL;

  line = pd_micr_line_parse (check->micr, -1, pd_micr_alphabet_get (PD_MICR_ALPHABET_UNICODE),
                             &parse_error);
  if (line == NULL)
    /* The parser's messages never hold the line itself. */
    g_set_error (error, PD_CHECK_SCANNER_ERROR, PD_CHECK_SCANNER_ERROR_READ_FAILED,
                 _("The training check's MICR line could not be read (%s)."),
                 parse_error->message);
  return line;
}

static gboolean
pd_training_check_scanner_capture_images (PdCheckScanner  *scanner,
                                          GBytes         **front_tiff,
                                          GBytes         **back_tiff,
                                          char           **no_images_reason,
                                          GCancellable    *cancellable,
                                          GError         **error)
{
  PdTrainingCheckScanner *self = PD_TRAINING_CHECK_SCANNER (scanner);
  g_autoptr(PdTrainingCheck) check = NULL;
  g_autoptr(PdMicrLine) line = NULL;
  g_autoptr(GBytes) front = NULL;
  g_autoptr(GBytes) back = NULL;
  gboolean business;

  *front_tiff = NULL;
  *back_tiff = NULL;
  *no_images_reason = NULL;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  check = load_check_in_slot (self, error);
  if (check == NULL)
    return FALSE;

  if (!check->images)
    {
      *no_images_reason = g_strdup (_("The training check scanner took no images of this "
                                      "check: its profile says Images=false, as for a "
                                      "scanner that reads the MICR line only."));
      return TRUE;
    }

  /* The size follows the line: a business check is the wider one. */
  line = pd_micr_line_parse (check->micr, -1, pd_micr_alphabet_get (PD_MICR_ALPHABET_UNICODE),
                             NULL);
  business = line != NULL && (pd_micr_line_get_flags (line) & PD_MICR_LINE_BUSINESS) != 0;

  front = render_side (check, line, PD_CHECK_SIDE_FRONT, business, error);
  if (front == NULL)
    return FALSE;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  back = render_side (check, line, PD_CHECK_SIDE_BACK, business, error);
  if (back == NULL)
    return FALSE;

  *front_tiff = g_steal_pointer (&front);
  *back_tiff = g_steal_pointer (&back);
  return TRUE;
}

/* The check goes back to the trainee; paydesk-vcheck sees it come out. */
static gboolean
pd_training_check_scanner_eject (PdCheckScanner  *scanner,
                                 GCancellable    *cancellable,
                                 GError         **error)
{
  PdTrainingCheckScanner *self = PD_TRAINING_CHECK_SCANNER (scanner);

  return pd_training_check_remove (self->slot_directory, error);
}

static PdDeviceHealth
pd_training_check_scanner_query_status (PdCheckScanner  *scanner,
                                        char           **detail,
                                        GCancellable    *cancellable,
                                        GError         **error)
{
  PdTrainingCheckScanner *self = PD_TRAINING_CHECK_SCANNER (scanner);

  if (detail != NULL)
    {
      if (check_is_in_slot (self))
        *detail = g_strdup_printf (_("Training check scanner (slot %s), a check is in the "
                                     "slot"), self->slot_directory);
      else
        *detail = g_strdup_printf (_("Training check scanner (slot %s)"), self->slot_directory);
    }
  return PD_DEVICE_HEALTH_PRESENT | PD_DEVICE_HEALTH_READY;
}

static void
pd_training_check_scanner_iface_init (PdCheckScannerInterface *iface)
{
  iface->wait_for_check = pd_training_check_scanner_wait_for_check;
  iface->read_micr = pd_training_check_scanner_read_micr;
  iface->capture_images = pd_training_check_scanner_capture_images;
  iface->eject = pd_training_check_scanner_eject;
  iface->query_status = pd_training_check_scanner_query_status;
}

static void
pd_training_check_scanner_finalize (GObject *object)
{
  PdTrainingCheckScanner *self = PD_TRAINING_CHECK_SCANNER (object);

  g_free (self->slot_directory);
  g_free (self->check_path);

  G_OBJECT_CLASS (pd_training_check_scanner_parent_class)->finalize (object);
}

static void
pd_training_check_scanner_class_init (PdTrainingCheckScannerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pd_training_check_scanner_finalize;
}

static void
pd_training_check_scanner_init (PdTrainingCheckScanner *self)
{
}

PdTrainingCheckScanner *
pd_training_check_scanner_new (const char *slot_directory)
{
  PdTrainingCheckScanner *self = g_object_new (PD_TYPE_TRAINING_CHECK_SCANNER, NULL);

  self->slot_directory = g_strdup (slot_directory != NULL
                                   ? slot_directory
                                   : pd_training_check_scanner_get_default_slot ());
  self->check_path = g_build_filename (self->slot_directory, PD_TRAINING_CHECK_FILE, NULL);
  return self;
}

const char *
pd_training_check_scanner_get_slot_directory (PdTrainingCheckScanner *self)
{
  g_return_val_if_fail (PD_IS_TRAINING_CHECK_SCANNER (self), NULL);

  return self->slot_directory;
}
