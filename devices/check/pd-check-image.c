#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <tiffio.h>

#include "pd-check-image.h"

G_DEFINE_QUARK (pd-check-image-error-quark, pd_check_image_error)

/* Rows of packed bits, most significant bit first, 1 for black: how a min-is-white bilevel
 * TIFF stores them, so rows go to libtiff as they are. */
struct _PdCheckImage {
  PdCheckSide side;
  guint       width;
  guint       height;
  guint       dpi;
  gsize       row_bytes;
  guint8     *bits;
};

/* A TIFF being written into memory. */
typedef struct {
  GByteArray *bytes;
  toff_t      offset;
} MemoryFile;

static PdCheckImage *
image_new (PdCheckSide side,
           guint       width,
           guint       height,
           guint       dpi)
{
  PdCheckImage *image = g_new0 (PdCheckImage, 1);

  image->side = side;
  image->width = width;
  image->height = height;
  image->dpi = dpi;
  image->row_bytes = (width + 7) / 8;
  image->bits = g_malloc0 (image->row_bytes * height);
  return image;
}

static inline void
set_black (PdCheckImage *image,
           guint         x,
           guint         y)
{
  image->bits[y * image->row_bytes + x / 8] |= (guint8) (0x80 >> (x % 8));
}

/* Far above any check scanner's: only to keep the reading of a resolution defined. */
#define MAX_READ_DPI 10000

static gboolean
dimensions_are_valid (guint width,
                      guint height,
                      guint dpi)
{
  return width > 0 && width <= PD_CHECK_IMAGE_MAX_SIDE &&
         height > 0 && height <= PD_CHECK_IMAGE_MAX_SIDE && dpi > 0;
}

/* 8-bit gray, 0 black to 255 white; levels below threshold become black. */
PdCheckImage *
pd_check_image_new_from_gray (PdCheckSide   side,
                              const guint8 *pixels,
                              guint         width,
                              guint         height,
                              gsize         stride,
                              guint         dpi,
                              guint8        threshold)
{
  PdCheckImage *image;

  g_return_val_if_fail (pixels != NULL, NULL);
  g_return_val_if_fail (dimensions_are_valid (width, height, dpi), NULL);
  g_return_val_if_fail (stride >= width, NULL);

  image = image_new (side, width, height, dpi);
  for (guint y = 0; y < height; y++)
    {
      const guint8 *row = pixels + y * stride;

      for (guint x = 0; x < width; x++)
        if (row[x] < threshold)
          set_black (image, x, y);
    }

  return image;
}

/* 1 bit per pixel, most significant bit first, 1 for black; bits past the width are
 * ignored. */
PdCheckImage *
pd_check_image_new_from_bilevel (PdCheckSide   side,
                                 const guint8 *bits,
                                 guint         width,
                                 guint         height,
                                 gsize         stride,
                                 guint         dpi)
{
  PdCheckImage *image;
  guint8 last_byte_mask;

  g_return_val_if_fail (bits != NULL, NULL);
  g_return_val_if_fail (dimensions_are_valid (width, height, dpi), NULL);
  g_return_val_if_fail (stride >= (width + 7) / 8, NULL);

  image = image_new (side, width, height, dpi);
  last_byte_mask = (guint8) (0xff << ((8 - width % 8) % 8));
  for (guint y = 0; y < height; y++)
    {
      guint8 *row = image->bits + y * image->row_bytes;

      memcpy (row, bits + y * stride, image->row_bytes);
      /* Padding stays white, or it would count as ink. */
      row[image->row_bytes - 1] &= last_byte_mask;
    }

  return image;
}

void
pd_check_image_free (PdCheckImage *image)
{
  if (image == NULL)
    return;

  sodium_memzero (image->bits, image->row_bytes * image->height);
  g_free (image->bits);
  g_free (image);
}

PdCheckSide
pd_check_image_get_side (const PdCheckImage *image)
{
  g_return_val_if_fail (image != NULL, PD_CHECK_SIDE_FRONT);
  return image->side;
}

guint
pd_check_image_get_width (const PdCheckImage *image)
{
  g_return_val_if_fail (image != NULL, 0);
  return image->width;
}

guint
pd_check_image_get_height (const PdCheckImage *image)
{
  g_return_val_if_fail (image != NULL, 0);
  return image->height;
}

guint
pd_check_image_get_dpi (const PdCheckImage *image)
{
  g_return_val_if_fail (image != NULL, 0);
  return image->dpi;
}

gboolean
pd_check_image_is_black (const PdCheckImage *image,
                         guint               x,
                         guint               y)
{
  g_return_val_if_fail (image != NULL, FALSE);
  g_return_val_if_fail (x < image->width && y < image->height, FALSE);

  return (image->bits[y * image->row_bytes + x / 8] & (0x80 >> (x % 8))) != 0;
}

static guint
count_bits (guint8 byte)
{
  guint n = 0;

  for (; byte != 0; byte &= (guint8) (byte - 1))
    n++;
  return n;
}

double
pd_check_image_get_black_fraction (const PdCheckImage *image)
{
  guint64 black = 0;
  gsize size;

  g_return_val_if_fail (image != NULL, 0.0);

  size = image->row_bytes * image->height;
  for (gsize i = 0; i < size; i++)
    black += count_bits (image->bits[i]);
  return (double) black / ((double) image->width * image->height);
}

static gboolean
size_is_plausible (const PdCheckImage *image)
{
  double width = (double) image->width / image->dpi;
  double height = (double) image->height / image->dpi;

  return width >= PD_CHECK_IMAGE_MIN_WIDTH_INCHES && width <= PD_CHECK_IMAGE_MAX_WIDTH_INCHES &&
         height >= PD_CHECK_IMAGE_MIN_HEIGHT_INCHES && height <= PD_CHECK_IMAGE_MAX_HEIGHT_INCHES;
}

PdCheckImageProblems
pd_check_image_assess (const PdCheckImage *image)
{
  PdCheckImageProblems problems = PD_CHECK_IMAGE_PROBLEMS_NONE;
  double black;

  g_return_val_if_fail (image != NULL, PD_CHECK_IMAGE_PROBLEMS_NONE);

  black = pd_check_image_get_black_fraction (image);
  if (black < PD_CHECK_IMAGE_BLANK_BELOW)
    problems |= PD_CHECK_IMAGE_BLANK;
  if (black > PD_CHECK_IMAGE_TOO_DARK_ABOVE)
    problems |= PD_CHECK_IMAGE_TOO_DARK;
  if (!size_is_plausible (image))
    problems |= PD_CHECK_IMAGE_WRONG_SIZE;
  if (image->dpi != PD_CHECK_IMAGE_DPI && image->dpi != PD_CHECK_IMAGE_ALT_DPI)
    problems |= PD_CHECK_IMAGE_WRONG_RESOLUTION;
  return problems;
}

static const char *
problem_message (PdCheckSide          side,
                 PdCheckImageProblems problem)
{
  gboolean front = side == PD_CHECK_SIDE_FRONT;

  switch (problem)
    {
    case PD_CHECK_IMAGE_BLANK:
      return front ? _("The front of the check came out blank. Scan it again, face up.")
                   : _("The back of the check came out blank. Scan it again.");
    case PD_CHECK_IMAGE_TOO_DARK:
      return front ? _("The front of the check came out too dark to read.")
                   : _("The back of the check came out too dark to read.");
    case PD_CHECK_IMAGE_WRONG_SIZE:
      return _("The scan is not the size of a check: two items may have been fed together, "
               "or the check is folded or torn.");
    case PD_CHECK_IMAGE_WRONG_RESOLUTION:
      return _("The scanner is set to a resolution check images cannot use (200 or 240 dpi).");
    case PD_CHECK_IMAGE_PROBLEMS_NONE:
    default:
      return NULL;
    }
}

/* One sentence per problem, one per line, for the associate; NULL when there is none. */
char *
pd_check_image_describe_problems (PdCheckSide          side,
                                  PdCheckImageProblems problems)
{
  static const PdCheckImageProblems each[] = {
    PD_CHECK_IMAGE_BLANK, PD_CHECK_IMAGE_TOO_DARK, PD_CHECK_IMAGE_WRONG_SIZE,
    PD_CHECK_IMAGE_WRONG_RESOLUTION,
  };
  GString *text = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (each); i++)
    {
      if (!(problems & each[i]))
        continue;
      if (text == NULL)
        text = g_string_new (NULL);
      else
        g_string_append_c (text, '\n');
      g_string_append (text, problem_message (side, each[i]));
    }

  return text != NULL ? g_string_free (text, FALSE) : NULL;
}

static tmsize_t
memory_read (thandle_t  handle,
             void      *buffer,
             tmsize_t   size)
{
  MemoryFile *file = handle;
  toff_t available;

  if (size < 0 || file->offset >= file->bytes->len)
    return 0;

  available = file->bytes->len - file->offset;
  if ((toff_t) size > available)
    size = (tmsize_t) available;
  memcpy (buffer, file->bytes->data + file->offset, (gsize) size);
  file->offset += (toff_t) size;
  return size;
}

/* libtiff seeks past the end and writes there; the gap reads as zeros. */
static tmsize_t
memory_write (thandle_t  handle,
              void      *buffer,
              tmsize_t   size)
{
  MemoryFile *file = handle;
  toff_t end;

  if (size < 0 || (toff_t) size > G_MAXUINT - file->offset)
    return -1;

  end = file->offset + (toff_t) size;
  if (end > file->bytes->len)
    {
      guint old_length = file->bytes->len;

      g_byte_array_set_size (file->bytes, (guint) end);
      memset (file->bytes->data + old_length, 0, (gsize) (end - old_length));
    }
  memcpy (file->bytes->data + file->offset, buffer, (gsize) size);
  file->offset = end;
  return size;
}

static toff_t
memory_seek (thandle_t handle,
             toff_t    offset,
             int       whence)
{
  MemoryFile *file = handle;
  toff_t base;

  switch (whence)
    {
    case SEEK_SET:
      base = 0;
      break;
    case SEEK_CUR:
      base = file->offset;
      break;
    case SEEK_END:
      base = file->bytes->len;
      break;
    default:
      return (toff_t) -1;
    }

  /* A GByteArray holds at most G_MAXUINT bytes. */
  if (offset > G_MAXUINT || base + offset > G_MAXUINT)
    return (toff_t) -1;
  file->offset = base + offset;
  return file->offset;
}

static int
memory_close (thandle_t handle)
{
  return 0;
}

static toff_t
memory_size (thandle_t handle)
{
  MemoryFile *file = handle;

  return file->bytes->len;
}

static int
memory_map (thandle_t  handle,
            void     **base,
            toff_t    *size)
{
  return 0;
}

static void
memory_unmap (thandle_t  handle,
              void      *base,
              toff_t     size)
{
}

static int collect_tiff_error (TIFF       *tiff,
                               void       *user_data,
                               const char *module,
                               const char *format,
                               va_list     args) G_GNUC_PRINTF (4, 0);

static int
collect_tiff_error (TIFF       *tiff,
                    void       *user_data,
                    const char *module,
                    const char *format,
                    va_list     args)
{
  GString *errors = user_data;

  if (errors->len > 0)
    g_string_append (errors, "; ");
  if (module != NULL)
    g_string_append_printf (errors, "%s: ", module);
  g_string_append_vprintf (errors, format, args);
  return 1;
}

/* Warnings are about reading odd files; a writer has none worth a log line. */
static int
drop_tiff_warning (TIFF       *tiff,
                   void       *user_data,
                   const char *module,
                   const char *format,
                   va_list     args)
{
  return 1;
}

/* Single strip, as X9.100-181 wants; FillOrder 1 and Orientation 1 are written out although
 * they are TIFF's defaults, because check image validators look for them. */
static gboolean
set_tags (TIFF               *tiff,
          const PdCheckImage *image)
{
  return TIFFSetField (tiff, TIFFTAG_SUBFILETYPE, 0) &&
         TIFFSetField (tiff, TIFFTAG_IMAGEWIDTH, (guint32) image->width) &&
         TIFFSetField (tiff, TIFFTAG_IMAGELENGTH, (guint32) image->height) &&
         TIFFSetField (tiff, TIFFTAG_BITSPERSAMPLE, 1) &&
         TIFFSetField (tiff, TIFFTAG_SAMPLESPERPIXEL, 1) &&
         TIFFSetField (tiff, TIFFTAG_COMPRESSION, COMPRESSION_CCITTFAX4) &&
         TIFFSetField (tiff, TIFFTAG_T6OPTIONS, 0) &&
         TIFFSetField (tiff, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISWHITE) &&
         TIFFSetField (tiff, TIFFTAG_FILLORDER, FILLORDER_MSB2LSB) &&
         TIFFSetField (tiff, TIFFTAG_ORIENTATION, ORIENTATION_TOPLEFT) &&
         TIFFSetField (tiff, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG) &&
         TIFFSetField (tiff, TIFFTAG_ROWSPERSTRIP, (guint32) image->height) &&
         TIFFSetField (tiff, TIFFTAG_XRESOLUTION, (double) image->dpi) &&
         TIFFSetField (tiff, TIFFTAG_YRESOLUTION, (double) image->dpi) &&
         TIFFSetField (tiff, TIFFTAG_RESOLUTIONUNIT, RESUNIT_INCH);
}

static gboolean
write_image (TIFF               *tiff,
             const PdCheckImage *image)
{
  /* libtiff may encode in place: it gets a copy of each row. */
  g_autofree guint8 *row = g_malloc (image->row_bytes);
  gboolean written = TRUE;

  if (!set_tags (tiff, image))
    return FALSE;

  for (guint y = 0; y < image->height && written; y++)
    {
      memcpy (row, image->bits + y * image->row_bytes, image->row_bytes);
      written = TIFFWriteScanline (tiff, row, y, 0) >= 0;
    }

  sodium_memzero (row, image->row_bytes);
  return written && TIFFWriteDirectory (tiff);
}

GBytes *
pd_check_image_to_tiff (const PdCheckImage  *image,
                        GError             **error)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  g_autoptr(GString) errors = g_string_new (NULL);
  MemoryFile file = { bytes, 0 };
  TIFFOpenOptions *options;
  TIFF *tiff;
  gboolean written;

  g_return_val_if_fail (image != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  options = TIFFOpenOptionsAlloc ();
  TIFFOpenOptionsSetErrorHandlerExtR (options, collect_tiff_error, errors);
  TIFFOpenOptionsSetWarningHandlerExtR (options, drop_tiff_warning, NULL);
  /* "l": little-endian whatever the host, as X9.100-181 asks. */
  tiff = TIFFClientOpenExt ("check image", "wl", &file, memory_read, memory_write, memory_seek,
                            memory_close, memory_size, memory_map, memory_unmap, options);
  TIFFOpenOptionsFree (options);

  written = tiff != NULL && write_image (tiff, image);
  if (tiff != NULL)
    TIFFClose (tiff);

  if (!written)
    {
      sodium_memzero (bytes->data, bytes->len);
      g_set_error (error, PD_CHECK_IMAGE_ERROR, PD_CHECK_IMAGE_ERROR_TIFF,
                   "could not encode the check image: %s",
                   errors->len > 0 ? errors->str : "libtiff gave no reason");
      return NULL;
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}

/* Replaces path whole (never a half-written image), readable by its owner only. */
gboolean
pd_check_image_save_tiff (const PdCheckImage  *image,
                          const char          *path,
                          GError             **error)
{
  g_autoptr(GBytes) tiff = NULL;
  gconstpointer data;
  gsize size;

  g_return_val_if_fail (image != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  tiff = pd_check_image_to_tiff (image, error);
  if (tiff == NULL)
    return FALSE;

  data = g_bytes_get_data (tiff, &size);
  return g_file_set_contents_full (path, data, (gssize) size, G_FILE_SET_CONTENTS_CONSISTENT,
                                   0600, error);
}

static gboolean
read_image (TIFF          *tiff,
            PdCheckSide    side,
            PdCheckImage **out)
{
  guint32 width = 0, height = 0;
  guint16 bits = 0, samples = 1, photometric = PHOTOMETRIC_MINISWHITE, unit = RESUNIT_INCH;
  float resolution = 0;
  g_autoptr(PdCheckImage) image = NULL;
  guint dpi;

  if (!TIFFGetField (tiff, TIFFTAG_IMAGEWIDTH, &width) ||
      !TIFFGetField (tiff, TIFFTAG_IMAGELENGTH, &height) ||
      !TIFFGetFieldDefaulted (tiff, TIFFTAG_BITSPERSAMPLE, &bits) ||
      !TIFFGetFieldDefaulted (tiff, TIFFTAG_SAMPLESPERPIXEL, &samples) ||
      !TIFFGetField (tiff, TIFFTAG_PHOTOMETRIC, &photometric) ||
      !TIFFGetField (tiff, TIFFTAG_XRESOLUTION, &resolution) ||
      bits != 1 || samples != 1 ||
      (photometric != PHOTOMETRIC_MINISWHITE && photometric != PHOTOMETRIC_MINISBLACK))
    return FALSE;

  TIFFGetFieldDefaulted (tiff, TIFFTAG_RESOLUTIONUNIT, &unit);
  if (unit == RESUNIT_CENTIMETER)
    resolution *= 2.54f;
  /* A float out of range makes the cast to an integer undefined: a scanner's resolution is a
   * few hundred dots per inch. */
  if (!isfinite (resolution) || resolution < 1.0f || resolution > (float) MAX_READ_DPI)
    return FALSE;
  dpi = (guint) (resolution + 0.5f);
  if (!dimensions_are_valid (width, height, dpi) ||
      (gsize) TIFFScanlineSize (tiff) != (width + 7) / 8)
    return FALSE;

  image = image_new (side, width, height, dpi);
  for (guint y = 0; y < height; y++)
    {
      guint8 *row = image->bits + y * image->row_bytes;

      if (TIFFReadScanline (tiff, row, y, 0) < 0)
        return FALSE;
      /* Black is 1 here whatever the file says. */
      if (photometric == PHOTOMETRIC_MINISBLACK)
        for (gsize x = 0; x < image->row_bytes; x++)
          row[x] = (guint8) ~row[x];
      row[image->row_bytes - 1] &= (guint8) (0xff << ((8 - width % 8) % 8));
    }

  *out = g_steal_pointer (&image);
  return TRUE;
}

/* A one-page bilevel TIFF (a scanner's image of a check) read back, to assess it. */
PdCheckImage *
pd_check_image_new_from_tiff (PdCheckSide   side,
                              GBytes       *tiff_bytes,
                              GError      **error)
{
  g_autoptr(GByteArray) copy = NULL;
  g_autoptr(GString) errors = g_string_new (NULL);
  PdCheckImage *image = NULL;
  TIFFOpenOptions *options;
  MemoryFile file;
  gsize length = 0;
  const guint8 *data;
  TIFF *tiff;

  g_return_val_if_fail (tiff_bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (tiff_bytes, &length);
  if (length > G_MAXUINT)
    length = 0;
  copy = g_byte_array_sized_new ((guint) length);
  g_byte_array_append (copy, data, (guint) length);
  file = (MemoryFile) { copy, 0 };

  options = TIFFOpenOptionsAlloc ();
  TIFFOpenOptionsSetErrorHandlerExtR (options, collect_tiff_error, errors);
  TIFFOpenOptionsSetWarningHandlerExtR (options, drop_tiff_warning, NULL);
  tiff = TIFFClientOpenExt ("check image", "rm", &file, memory_read, memory_write, memory_seek,
                            memory_close, memory_size, memory_map, memory_unmap, options);
  TIFFOpenOptionsFree (options);

  if (tiff == NULL || !read_image (tiff, side, &image))
    g_set_error (error, PD_CHECK_IMAGE_ERROR, PD_CHECK_IMAGE_ERROR_TIFF,
                 /* TRANSLATORS: libtiff's reason follows, in English. */
                 _("The image is not a one-bit TIFF of a check (%s)."),
                 errors->len > 0 ? errors->str : _("unexpected tags"));
  if (tiff != NULL)
    TIFFClose (tiff);
  sodium_memzero (copy->data, copy->len);
  return image;
}
