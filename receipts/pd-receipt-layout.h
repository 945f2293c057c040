#pragma once

#include "pd-receipt.h"
#include "pd-signature.h"

G_BEGIN_DECLS

/* What the receipt says, in order, in one language: every renderer (plain text, ESC/POS,
 * PNG, PDF, email) draws these same lines, so no format can say more or less than another. */
typedef enum {
  PD_RECEIPT_LINE_MARK,       /* TRAINING, DUPLICATE: centered, bold, large, boxed */
  PD_RECEIPT_LINE_TITLE,      /* the center's name: centered, bold, large */
  PD_RECEIPT_LINE_CENTERED,   /* address, phone, hours */
  PD_RECEIPT_LINE_HEADING,    /* a section: bold, at the start of the line */
  PD_RECEIPT_LINE_FIELD,      /* text is the label at the start, value at the end */
  PD_RECEIPT_LINE_AMOUNT,     /* a field in bold, large */
  PD_RECEIPT_LINE_STATUS,     /* the outcome in one or two words: centered, bold, large */
  PD_RECEIPT_LINE_PARAGRAPH,  /* wrapped at the width */
  PD_RECEIPT_LINE_NOTICE,     /* a paragraph with a bullet */
  PD_RECEIPT_LINE_RULE,
  PD_RECEIPT_LINE_QR,         /* text is the payload: the confirmation or the reference */
  PD_RECEIPT_LINE_SIGNATURE,  /* the member's signature under the authorization: the strokes
                               * drawn in a box, text the caption under them; without
                               * strokes, text is the label of a line to sign with a pen */
} PdReceiptLineKind;

typedef struct {
  PdReceiptLineKind kind;
  char *text;
  char *value;
  PdSignature *signature;     /* SIGNATURE: the strokes, or NULL for a pen on paper */
} PdReceiptLine;

typedef struct {
  char *language;
  gboolean right_to_left;
  /* PdReceiptLine */
  GPtrArray *lines;
} PdReceiptLayout;

/* language NULL: the receipt's own (the member's choice). A language with no catalog
 * comes out in English. */
PdReceiptLayout *pd_receipt_layout_new       (PdReceipt        *receipt,
                                              const char       *language);
void             pd_receipt_layout_free      (PdReceiptLayout  *layout);
/* Another paper than a receipt (the end of day), laid out line by line for the same
 * renderers. */
PdReceiptLayout *pd_receipt_layout_new_empty (const char       *language);
void             pd_receipt_layout_add       (PdReceiptLayout  *layout,
                                              PdReceiptLineKind kind,
                                              const char       *text,
                                              const char       *value);
/* Every line's text and value, newline-separated: what a reader of any rendering should
 * find. */
char            *pd_receipt_layout_dup_text  (PdReceiptLayout  *layout);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdReceiptLayout, pd_receipt_layout_free)

G_END_DECLS
