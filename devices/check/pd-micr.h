#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The E-13B MICR line at the bottom of a US check, as a check reader delivers it.
 *
 * Left to right the line holds: the auxiliary on-us field (business checks only, between two
 * on-us symbols), the external processing code (one digit), the transit field (the 9-digit
 * routing number between two transit symbols), the on-us field (the account number ending in
 * an on-us symbol, with the check serial on one side of it on personal checks) and, once the
 * bank of first deposit has encoded it, the amount field (10 digits of cents between two
 * amount symbols).
 *
 * Nothing is ever guessed: a character the reader could not read stays unreadable ('?' in the
 * field's text) and is reported with its position, and a field whose bounds cannot be found
 * is reported missing rather than cut out of its neighbours.
 *
 * The account number is sensitive (NACHA requires it unreadable at rest): never log the line
 * as read nor pd_micr_line_get_account_number(); log pd_micr_line_describe() or the masked
 * account. A PdMicrLine wipes its buffers when freed. */

#define PD_MICR_ERROR (pd_micr_error_quark ())

/* Input that is not a MICR line at all. A line that is one but is torn or malformed parses,
 * and says so in its problems. */
typedef enum {
  PD_MICR_ERROR_EMPTY,
  PD_MICR_ERROR_TOO_LONG,
  PD_MICR_ERROR_INVALID_TEXT,
  PD_MICR_ERROR_NOT_MICR,
} PdMicrError;

/* Readers send at most 65 characters for a line (IBM's SureMark manual says so); the rest
 * is room for padding and framing. */
#define PD_MICR_LINE_MAX_CHARS 80
#define PD_MICR_INPUT_MAX_BYTES 512

/* The ASCII characters one reader sends for the four MICR symbols and for a character it
 * could not read. The Unicode symbols (U+2446 transit, U+2447 amount, U+2448 on-us,
 * U+2449 dash) and U+FFFD (unreadable) are understood whatever the alphabet. */
typedef struct {
  const char *id;
  char        transit;
  char        amount;
  char        on_us;
  char        dash;
  const char *unreadable;
} PdMicrAlphabet;

/* Provenance of each preset (read in the vendors' public manuals):
 *
 * UNICODE      no ASCII stand-ins; '?' unreadable.
 * MAGTEK_RAW   T U $ - and '?': MagTek check readers, raw data format 00 (MICRSafe, Mini
 *              MICR, MICRImage manuals, appendix A).
 * TOAD         T O A D and '?': MagTek raw format 02. ACHeck21 documents the same letters
 *              as "TOAD" with '!' for an unreadable character, so '!' is unreadable here too.
 * TOAD_LOWER   t o a d and '?': MagTek raw format 01.
 * AXIOHM       ')' transit, '&' amount, '(' on-us, '\'' dash, '?': Axiohm A758, Unisys
 *              EFP9800 and Wincor Nixdorf TH320 printers without a parsing format.
 * ABCD         A transit, B amount, C on-us, D dash: Honeywell's E-13B OCR template (1900
 *              series user manual), which does not say what it sends for an unread
 *              character; '?' is assumed.
 *              UNVERIFIED for Epson TM printers (FS a 0): Epson documents '?' for an
 *              unrecognised character, but their symbol codes were not found in a public
 *              source; confirm with a capture before relying on this preset for Epson. OKI
 *              uses the same letters in another order and is not covered. */
typedef enum {
  PD_MICR_ALPHABET_UNICODE,
  PD_MICR_ALPHABET_MAGTEK_RAW,
  PD_MICR_ALPHABET_TOAD,
  PD_MICR_ALPHABET_TOAD_LOWER,
  PD_MICR_ALPHABET_AXIOHM,
  PD_MICR_ALPHABET_ABCD,
} PdMicrAlphabetPreset;

typedef enum {
  PD_MICR_FIELD_LINE,
  PD_MICR_FIELD_AUX_ON_US,
  PD_MICR_FIELD_EPC,
  PD_MICR_FIELD_ROUTING,
  PD_MICR_FIELD_ACCOUNT,
  PD_MICR_FIELD_SERIAL,
  PD_MICR_FIELD_PROCESS_CONTROL,
  PD_MICR_FIELD_AMOUNT,
} PdMicrField;

typedef enum {
  /* The reader sent its "could not read" character. */
  PD_MICR_PROBLEM_UNREADABLE,
  /* A character outside the alphabet: kept as unreadable in its field. At the ends of the
   * line (field LINE) it is noise that was left out. */
  PD_MICR_PROBLEM_UNEXPECTED_CHARACTER,
  PD_MICR_PROBLEM_MISSING,
  PD_MICR_PROBLEM_BAD_LENGTH,
  PD_MICR_PROBLEM_BAD_CHECK_DIGIT,
  /* Symbols out of place: a field's bounds are not where the layout puts them. */
  PD_MICR_PROBLEM_MALFORMED,
  /* Both sides of the account number hold a number: which is the serial is not guessed. */
  PD_MICR_PROBLEM_AMBIGUOUS,
} PdMicrProblemKind;

typedef struct {
  PdMicrProblemKind kind;
  PdMicrField       field;
  /* Characters (not bytes) from the start of the text as delivered; -1 for a field that
   * is not there at all. */
  int               position;
} PdMicrProblem;

typedef enum {
  PD_MICR_LINE_FLAGS_NONE = 0,
  /* An auxiliary on-us field (or what is left of one): a business check, which NACHA does
   * not let a merchant convert to an ACH debit. */
  PD_MICR_LINE_BUSINESS = 1 << 0,
  /* A character of the routing number, account number or serial was not read. */
  PD_MICR_LINE_TORN = 1 << 1,
} PdMicrLineFlags;

typedef struct _PdMicrLine PdMicrLine;

GQuark                 pd_micr_error_quark                (void);

const PdMicrAlphabet  *pd_micr_alphabet_get               (PdMicrAlphabetPreset  preset);
const PdMicrAlphabet  *pd_micr_alphabet_lookup            (const char           *id);

PdMicrLine            *pd_micr_line_parse                 (const char           *text,
                                                           gssize                length,
                                                           const PdMicrAlphabet *alphabet,
                                                           GError              **error);
void                   pd_micr_line_free                  (PdMicrLine           *line);

const char            *pd_micr_line_get_routing_number    (const PdMicrLine     *line);
const char            *pd_micr_line_get_account_number    (const PdMicrLine     *line);
const char            *pd_micr_line_get_serial            (const PdMicrLine     *line);
const char            *pd_micr_line_get_aux_on_us         (const PdMicrLine     *line);
const char            *pd_micr_line_get_process_control   (const PdMicrLine     *line);
char                   pd_micr_line_get_epc               (const PdMicrLine     *line);
gint64                 pd_micr_line_get_amount_cents      (const PdMicrLine     *line);
PdMicrLineFlags        pd_micr_line_get_flags             (const PdMicrLine     *line);
const PdMicrProblem   *pd_micr_line_get_problems          (const PdMicrLine     *line,
                                                           guint                *n_problems);

gboolean               pd_micr_line_field_is_sound        (const PdMicrLine     *line,
                                                           PdMicrField           field);
gboolean               pd_micr_line_is_usable             (const PdMicrLine     *line);

char                  *pd_micr_line_dup_masked_account    (const PdMicrLine     *line);
char                  *pd_micr_line_describe              (const PdMicrLine     *line);
char                  *pd_micr_problem_describe           (const PdMicrProblem  *problem);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdMicrLine, pd_micr_line_free)

G_END_DECLS
