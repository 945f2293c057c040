#pragma once

#include <glib.h>

#include "pd-escpos.h"
#include "pd-printer-profile.h"

G_BEGIN_DECLS

#define PD_ESCPOS_READER_ERROR (pd_escpos_reader_error_quark ())

typedef enum {
  PD_ESCPOS_READER_ERROR_TRUNCATED,       /* a command, or a raster's data, cut short */
  PD_ESCPOS_READER_ERROR_UNKNOWN_COMMAND, /* not one this reader understands */
  PD_ESCPOS_READER_ERROR_BAD_CODE_PAGE,   /* ESC t n with no page for n */
  PD_ESCPOS_READER_ERROR_INVALID,         /* a known command with parameters out of range, or
                                           * a byte the code page has no character for */
} PdEscposReaderError;

GQuark            pd_escpos_reader_error_quark      (void);

typedef enum {
  PD_ESCPOS_ITEM_TEXT,
  PD_ESCPOS_ITEM_NEWLINE,
  PD_ESCPOS_ITEM_FEED,
  PD_ESCPOS_ITEM_RASTER,
  PD_ESCPOS_ITEM_QR,
  PD_ESCPOS_ITEM_CUT,
} PdEscposItemKind;

/* The print modes in force when an item came. A printer takes the alignment of a line from
 * its start, and applies it to rasters and QR symbols too; magnification and bold only
 * concern text. */
typedef struct {
  gboolean bold;
  guint8 width;  /* magnification, 1 to 8 */
  guint8 height;
  PdEscposAlign align;
} PdEscposAttributes;

typedef struct {
  PdEscposItemKind kind;
  gsize offset; /* of the item's first byte in the job */
  PdEscposAttributes attributes;
  union {
    struct {
      char *utf8; /* no newline; a tab is kept as '\t' */
      PdEscposCodePage page;
    } text;
    struct {
      /* LF is 1, ESC d n is n. A line holding text ends even at 0. */
      guint count;
    } newline;
    struct {
      guint dots; /* ESC J n: the line ends, the paper moves n dots */
    } feed;
    struct {
      guint width;  /* in dots: GS v 0 counts bytes, so a multiple of 8 */
      guint height;
      gsize stride; /* (width + 7) / 8 */
      guint8 *bits; /* most significant bit leftmost, 1 = black */
      guint8 mode;  /* GS v 0 m & 3: 1 double width, 2 double height, 3 both */
    } raster;
    struct {
      char *data;   /* as stored, NUL-terminated for convenience; may hold NULs itself */
      gsize length;
      guint8 module_size;      /* dots, 1 to 16 */
      guint8 error_correction; /* GS ( k 69's n: 48 L, 49 M, 50 Q, 51 H */
      guint8 model;            /* GS ( k 65's n1: 49 model 1, 50 model 2, 51 micro */
    } qr;
    struct {
      /* PdEscposCut has no plain partial cut: FULL is a full cut (GS V 0, 48, 65),
       * FEED_PARTIAL any partial one (GS V 1, 49, 66); feed_to_cutter tells GS V 65 and 66,
       * which feed to the cutter plus feed dots before cutting, from the others. */
      PdEscposCut cut;
      gboolean feed_to_cutter;
      guint8 feed;
    } cut;
  };
} PdEscposItem;

/* One job, read back from its bytes; immutable once read. */
typedef struct _PdEscposDocument PdEscposDocument;

/* profile gives the ESC t numbers of its model; without it, 0 is CP437, 16 CP1252 and 19
 * CP858 (Epson's). Fails, saying what and at which offset, on any byte it does not
 * understand; never reads outside data. */
PdEscposDocument *pd_escpos_document_read           (const guint8            *data,
                                                     gsize                    length,
                                                     PdPrinterProfile        *profile,
                                                     GError                 **error);
PdEscposDocument *pd_escpos_document_read_bytes     (GBytes                  *bytes,
                                                     PdPrinterProfile        *profile,
                                                     GError                 **error);
void              pd_escpos_document_free           (PdEscposDocument        *self);

guint             pd_escpos_document_get_n_items    (const PdEscposDocument  *self);
const PdEscposItem *pd_escpos_document_get_item     (const PdEscposDocument  *self,
                                                     guint                    index);
guint             pd_escpos_document_count_items    (const PdEscposDocument  *self,
                                                     PdEscposItemKind         kind);
/* The nth (from 0) item of that kind, or NULL. */
const PdEscposItem *pd_escpos_document_find_item    (const PdEscposDocument  *self,
                                                     PdEscposItemKind         kind,
                                                     guint                    nth);

/* The text as printed: lines joined with '\n', a line ended by LF, ESC d or ESC J holding
 * text ending with one. Lines are not wrapped: that takes the paper's width. */
char             *pd_escpos_document_dup_text       (const PdEscposDocument  *self);
/* The QR symbols' data in order, each up to its first NUL. */
GStrv             pd_escpos_document_dup_qr_payloads (const PdEscposDocument *self);
/* The pages text was decoded with, in order of first use (NULL when there was no text). */
const PdEscposCodePage *pd_escpos_document_get_code_pages (const PdEscposDocument *self,
                                                           guint                  *n_pages);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdEscposDocument, pd_escpos_document_free)

G_END_DECLS
