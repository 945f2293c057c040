#pragma once

#include <glib.h>

#include "pd-usb-driver.h"

G_BEGIN_DECLS

/* The single-byte character tables a receipt printer can hold; the ESC t number of each
 * differs between models, so it comes from the printer's profile. */
typedef enum {
  PD_ESCPOS_CODE_PAGE_CP437,
  PD_ESCPOS_CODE_PAGE_CP858,
  PD_ESCPOS_CODE_PAGE_CP1252,
} PdEscposCodePage;

typedef enum {
  PD_ESCPOS_ALIGN_LEFT   = 0,
  PD_ESCPOS_ALIGN_CENTER = 1,
  PD_ESCPOS_ALIGN_RIGHT  = 2,
} PdEscposAlign;

typedef enum {
  PD_ESCPOS_CUT_NONE,
  PD_ESCPOS_CUT_FULL,         /* GS V 0: cuts where the paper is, after the caller's feed */
  PD_ESCPOS_CUT_FEED_PARTIAL, /* GS V 66 n: feeds to the cutter plus n, then cuts */
} PdEscposCut;

/* The real-time status DLE EOT n that the driver asks. */
typedef enum {
  PD_ESCPOS_STATUS_PRINTER = 1,
  PD_ESCPOS_STATUS_OFFLINE_CAUSE = 2,
  PD_ESCPOS_STATUS_PAPER = 4,
} PdEscposStatusKind;

/* What GS a n asks the printer to report on its own (automatic status back), as n's bits. */
typedef enum {
  PD_ESCPOS_ASB_DRAWER     = 1 << 0, /* the drawer kick-out connector */
  PD_ESCPOS_ASB_ONLINE     = 1 << 1, /* online or offline */
  PD_ESCPOS_ASB_ERROR      = 1 << 2, /* cutter, mechanical and other errors */
  PD_ESCPOS_ASB_ROLL_PAPER = 1 << 3, /* the roll paper near-end and end sensors */
} PdEscposAsbFlags;

/* An automatic status back message is always this long. */
#define PD_ESCPOS_ASB_LENGTH 4

#define PD_ESCPOS_ERROR (pd_escpos_error_quark ())

typedef enum {
  PD_ESCPOS_ERROR_UNENCODABLE, /* text the code page cannot hold: rasterize it */
  PD_ESCPOS_ERROR_TOO_LARGE,   /* beyond what one command can carry */
} PdEscposError;

GQuark            pd_escpos_error_quark        (void);

const char       *pd_escpos_code_page_to_string   (PdEscposCodePage  page);
gboolean          pd_escpos_code_page_from_string (const char       *name,
                                                   PdEscposCodePage *page);

/* UTF-8 into the code page, appended to out. Characters the page lacks become '?' and, when
 * unsupported is given, are appended to it (gunichar). TRUE when every character fit. */
gboolean          pd_escpos_encode             (PdEscposCodePage  page,
                                                const char       *utf8,
                                                GByteArray       *out,
                                                GArray           *unsupported);
/* The page's bytes as UTF-8, appended to utf8: the inverse of pd_escpos_encode. A byte the
 * page has no character for (and a control other than tab and newline) becomes U+FFFD.
 * TRUE when every byte had a character. */
gboolean          pd_escpos_decode             (PdEscposCodePage  page,
                                                const guint8     *bytes,
                                                gsize             length,
                                                GString          *utf8);

/* Builds one job's bytes; nothing here does I/O. */
typedef struct _PdEscpos PdEscpos;

PdEscpos         *pd_escpos_new                (void);
void              pd_escpos_free               (PdEscpos         *self);
GBytes           *pd_escpos_free_to_bytes      (PdEscpos         *self);
gsize             pd_escpos_get_length         (PdEscpos         *self);

void              pd_escpos_initialize         (PdEscpos         *self);
/* ESC t esc_t_number; later text is encoded into page. */
void              pd_escpos_select_code_page   (PdEscpos         *self,
                                                PdEscposCodePage  page,
                                                guint8            esc_t_number);
/* Appends nothing and fails with PD_ESCPOS_ERROR_UNENCODABLE, naming the characters, when
 * the selected code page cannot hold the text. */
gboolean          pd_escpos_text               (PdEscpos         *self,
                                                const char       *utf8,
                                                GError          **error);
void              pd_escpos_bold               (PdEscpos         *self,
                                                gboolean          bold);
/* Character magnification, 1 to 8 each way. */
void              pd_escpos_size               (PdEscpos         *self,
                                                guint             width,
                                                guint             height);
void              pd_escpos_align              (PdEscpos         *self,
                                                PdEscposAlign     align);
void              pd_escpos_feed               (PdEscpos         *self,
                                                guint8            lines);
/* GS v 0: a 1-bit image, most significant bit leftmost, 1 = black, rows of stride bytes. */
gboolean          pd_escpos_raster             (PdEscpos         *self,
                                                guint             width_dots,
                                                guint             height_dots,
                                                const guint8     *bits,
                                                gsize             stride,
                                                GError          **error);
/* GS ( k: model 2, error correction M, store then print. */
gboolean          pd_escpos_qr                 (PdEscpos         *self,
                                                const char       *data,
                                                guint8            module_size,
                                                GError          **error);
void              pd_escpos_cut                (PdEscpos         *self,
                                                PdEscposCut       cut,
                                                guint8            feed);

/* The request for DLE EOT n (three bytes into request). */
void              pd_escpos_status_request     (PdEscposStatusKind kind,
                                                guint8            request[3]);
/* One DLE EOT n answer into health flags (READY not included). FALSE when the byte is not a
 * status byte at all: the caller must not trust it. */
gboolean          pd_escpos_parse_status       (PdEscposStatusKind kind,
                                                guint8            answer,
                                                PdDeviceHealth   *health);
/* GS a n (three bytes into request): the printer sends a message of PD_ESCPOS_ASB_LENGTH
 * bytes with its whole status now and whenever one of these items changes; 0 stops it. */
void              pd_escpos_automatic_status   (PdEscposAsbFlags  items,
                                                guint8            request[3]);
/* One automatic status back (GS a) message of four bytes; FALSE when it is not one. */
gboolean          pd_escpos_parse_asb          (const guint8     *answer,
                                                gsize             length,
                                                PdDeviceHealth   *health);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdEscpos, pd_escpos_free)

G_END_DECLS
