#include <string.h>

#include <glib/gi18n-lib.h>
#include <sodium.h>

#include "pd-bank-account.h"
#include "pd-micr.h"

G_DEFINE_QUARK (pd-micr-error-quark, pd_micr_error)

#define TRANSIT_SYMBOL        0x2446
#define AMOUNT_SYMBOL         0x2447
#define ON_US_SYMBOL          0x2448
#define DASH_SYMBOL           0x2449
#define REPLACEMENT_CHARACTER 0xfffd

#define FIELD_SIZE    (PD_MICR_LINE_MAX_CHARS + 1)
#define AMOUNT_DIGITS 10
#define MASK          "****"

static const PdMicrAlphabet alphabets[] = {
  [PD_MICR_ALPHABET_UNICODE]    = { "unicode",    '\0', '\0', '\0', '\0', "?" },
  [PD_MICR_ALPHABET_MAGTEK_RAW] = { "magtek-raw", 'T',  '$',  'U',  '-',  "?" },
  [PD_MICR_ALPHABET_TOAD]       = { "toad",       'T',  'A',  'O',  'D',  "?!" },
  [PD_MICR_ALPHABET_TOAD_LOWER] = { "toad-lower", 't',  'a',  'o',  'd',  "?" },
  [PD_MICR_ALPHABET_AXIOHM]     = { "axiohm",     ')',  '&',  '(',  '\'', "?" },
  [PD_MICR_ALPHABET_ABCD]       = { "abcd",       'A',  'B',  'C',  'D',  "?" },
};

typedef enum {
  SYMBOL_DIGIT,
  SYMBOL_TRANSIT,
  SYMBOL_AMOUNT,
  SYMBOL_ON_US,
  SYMBOL_DASH,
  SYMBOL_SPACE,
  SYMBOL_UNREADABLE,
  /* Line ends and other control characters: noise at the ends, unexpected inside. */
  SYMBOL_CONTROL,
  SYMBOL_UNEXPECTED,
} SymbolKind;

typedef struct {
  SymbolKind kind;
  char       digit;
  int        position;
} Symbol;

/* A stretch of the line: symbols [start, end). */
typedef struct {
  const Symbol *symbols;
  guint         start;
  guint         end;
} Span;

struct _PdMicrLine {
  char            routing[FIELD_SIZE];
  char            account[FIELD_SIZE];
  char            serial[FIELD_SIZE];
  char            aux_on_us[FIELD_SIZE];
  char            process_control[FIELD_SIZE];
  char            epc;
  gint64          amount_cents;
  PdMicrLineFlags flags;
  GArray         *problems;
};

const PdMicrAlphabet *
pd_micr_alphabet_get (PdMicrAlphabetPreset preset)
{
  g_return_val_if_fail (preset <= PD_MICR_ALPHABET_ABCD, NULL);

  return &alphabets[preset];
}

/* By the id a configuration file names it with. */
const PdMicrAlphabet *
pd_micr_alphabet_lookup (const char *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (alphabets); i++)
    if (g_str_equal (alphabets[i].id, id))
      return &alphabets[i];
  return NULL;
}

static SymbolKind
classify_ascii_stand_in (gunichar              c,
                         const PdMicrAlphabet *alphabet)
{
  if (c == 0 || c > 0x7f)
    return SYMBOL_UNEXPECTED;
  if (c == (guchar) alphabet->transit)
    return SYMBOL_TRANSIT;
  if (c == (guchar) alphabet->amount)
    return SYMBOL_AMOUNT;
  if (c == (guchar) alphabet->on_us)
    return SYMBOL_ON_US;
  if (c == (guchar) alphabet->dash)
    return SYMBOL_DASH;
  if (alphabet->unreadable != NULL && strchr (alphabet->unreadable, (int) c) != NULL)
    return SYMBOL_UNREADABLE;
  return SYMBOL_UNEXPECTED;
}

static SymbolKind
classify (gunichar              c,
          const PdMicrAlphabet *alphabet)
{
  if (c >= '0' && c <= '9')
    return SYMBOL_DIGIT;

  switch (c)
    {
    case TRANSIT_SYMBOL:
      return SYMBOL_TRANSIT;
    case AMOUNT_SYMBOL:
      return SYMBOL_AMOUNT;
    case ON_US_SYMBOL:
      return SYMBOL_ON_US;
    case DASH_SYMBOL:
      return SYMBOL_DASH;
    case REPLACEMENT_CHARACTER:
      return SYMBOL_UNREADABLE;
    default:
      break;
    }

  /* Before the stand-ins: an alphabet may not turn a space into a symbol. */
  if (g_unichar_isspace (c))
    return SYMBOL_SPACE;
  if (g_unichar_iscntrl (c))
    return SYMBOL_CONTROL;
  return classify_ascii_stand_in (c, alphabet);
}

static gboolean
is_micr_character (SymbolKind kind)
{
  return kind != SYMBOL_SPACE && kind != SYMBOL_CONTROL && kind != SYMBOL_UNEXPECTED;
}

static gboolean
is_content (SymbolKind kind)
{
  return kind != SYMBOL_SPACE;
}

static void
add_problem (PdMicrLine        *line,
             PdMicrProblemKind  kind,
             PdMicrField        field,
             int                position)
{
  PdMicrProblem problem = { kind, field, position };

  g_array_append_val (line->problems, problem);
}

static guint
find_symbols (Span        span,
              SymbolKind  kind,
              guint      *found,
              guint       max_found)
{
  guint n = 0;

  for (guint i = span.start; i < span.end; i++)
    if (span.symbols[i].kind == kind)
      {
        if (n < max_found)
          found[n] = i;
        n++;
      }
  return n;
}

static const Symbol *
first_content (Span span)
{
  for (guint i = span.start; i < span.end; i++)
    if (is_content (span.symbols[i].kind))
      return &span.symbols[i];
  return NULL;
}

/* The position of the first symbol that is not a space, or -1. */
static int
content_position (Span span)
{
  const Symbol *symbol = first_content (span);

  return symbol != NULL ? symbol->position : -1;
}

static guint
count_content (Span span)
{
  guint n = 0;

  for (guint i = span.start; i < span.end; i++)
    if (is_content (span.symbols[i].kind))
      n++;
  return n;
}

static gboolean
span_has_unreadable (Span  span,
                     int  *position)
{
  for (guint i = span.start; i < span.end; i++)
    {
      SymbolKind kind = span.symbols[i].kind;

      if (kind == SYMBOL_UNREADABLE || kind == SYMBOL_UNEXPECTED || kind == SYMBOL_CONTROL)
        {
          *position = span.symbols[i].position;
          return TRUE;
        }
    }
  return FALSE;
}

/* Each character that was not read, for a field whose text is not kept. */
static gboolean
report_unreadable (PdMicrLine  *line,
                   PdMicrField  field,
                   Span         span)
{
  gboolean any = FALSE;

  for (guint i = span.start; i < span.end; i++)
    {
      const Symbol *symbol = &span.symbols[i];

      if (symbol->kind == SYMBOL_UNREADABLE)
        add_problem (line, PD_MICR_PROBLEM_UNREADABLE, field, symbol->position);
      else if (symbol->kind == SYMBOL_UNEXPECTED || symbol->kind == SYMBOL_CONTROL)
        add_problem (line, PD_MICR_PROBLEM_UNEXPECTED_CHARACTER, field, symbol->position);
      else
        continue;
      any = TRUE;
    }
  return any;
}

static Span
sub_span (Span  span,
          guint start,
          guint end)
{
  Span sub = { span.symbols, start, end };

  return sub;
}

/* A field as printed: digits and dashes, spaces left out (readers render the gaps with
 * varying numbers of them), '?' where a character was not read, each such one reported.
 * Symbols have no place inside a field: the first one is reported and returns FALSE. */
static gboolean
copy_field (PdMicrLine  *line,
            PdMicrField  field,
            Span         span,
            char        *out)
{
  gsize n = 0;
  gboolean well_formed = TRUE;

  for (guint i = span.start; i < span.end; i++)
    {
      const Symbol *symbol = &span.symbols[i];

      switch (symbol->kind)
        {
        case SYMBOL_DIGIT:
          out[n++] = symbol->digit;
          break;
        case SYMBOL_DASH:
          out[n++] = '-';
          break;
        case SYMBOL_SPACE:
          break;
        case SYMBOL_UNREADABLE:
          out[n++] = '?';
          add_problem (line, PD_MICR_PROBLEM_UNREADABLE, field, symbol->position);
          break;
        case SYMBOL_CONTROL:
        case SYMBOL_UNEXPECTED:
          out[n++] = '?';
          add_problem (line, PD_MICR_PROBLEM_UNEXPECTED_CHARACTER, field, symbol->position);
          break;
        case SYMBOL_TRANSIT:
        case SYMBOL_AMOUNT:
        case SYMBOL_ON_US:
        default:
          if (well_formed)
            add_problem (line, PD_MICR_PROBLEM_MALFORMED, field, symbol->position);
          well_formed = FALSE;
          break;
        }
    }

  out[n] = '\0';
  return well_formed;
}

static void
parse_routing (PdMicrLine *line,
               Span        field,
               int         opening_position)
{
  if (!copy_field (line, PD_MICR_FIELD_ROUTING, field, line->routing) ||
      strchr (line->routing, '?') != NULL)
    return;

  /* A dash belongs in a Canadian transit number, never in a US routing number. */
  if (strchr (line->routing, '-') != NULL)
    add_problem (line, PD_MICR_PROBLEM_MALFORMED, PD_MICR_FIELD_ROUTING, opening_position);
  else if (line->routing[0] == '\0')
    add_problem (line, PD_MICR_PROBLEM_MISSING, PD_MICR_FIELD_ROUTING, opening_position);
  else if (strlen (line->routing) != PD_ROUTING_NUMBER_DIGITS)
    add_problem (line, PD_MICR_PROBLEM_BAD_LENGTH, PD_MICR_FIELD_ROUTING, opening_position);
  else if (!pd_routing_number_is_valid (line->routing))
    add_problem (line, PD_MICR_PROBLEM_BAD_CHECK_DIGIT, PD_MICR_FIELD_ROUTING, opening_position);
}

/* One digit right before the transit field, or nothing. More than one character there is
 * what is left of an auxiliary on-us field whose symbols were not read: a business check
 * until proven otherwise. */
static void
parse_epc (PdMicrLine *line,
           Span        span)
{
  const Symbol *symbol = first_content (span);

  if (symbol == NULL)
    return;

  if (count_content (span) > 1)
    {
      line->flags |= PD_MICR_LINE_BUSINESS;
      report_unreadable (line, PD_MICR_FIELD_AUX_ON_US, span);
      add_problem (line, PD_MICR_PROBLEM_MALFORMED, PD_MICR_FIELD_AUX_ON_US, symbol->position);
      return;
    }

  switch (symbol->kind)
    {
    case SYMBOL_DIGIT:
      line->epc = symbol->digit;
      break;
    case SYMBOL_UNREADABLE:
    case SYMBOL_UNEXPECTED:
    case SYMBOL_CONTROL:
      line->epc = '?';
      report_unreadable (line, PD_MICR_FIELD_EPC, span);
      break;
    default:
      add_problem (line, PD_MICR_PROBLEM_MALFORMED, PD_MICR_FIELD_EPC, symbol->position);
      break;
    }
}

static void
parse_left_of_transit (PdMicrLine *line,
                       Span        span)
{
  guint on_us[3];
  guint n_on_us = find_symbols (span, SYMBOL_ON_US, on_us, G_N_ELEMENTS (on_us));
  int position;

  if (n_on_us == 0)
    {
      parse_epc (line, span);
      return;
    }

  line->flags |= PD_MICR_LINE_BUSINESS;

  if (n_on_us != 2)
    {
      /* The field's other bound is not there: report what is unreadable, keep nothing. */
      report_unreadable (line, PD_MICR_FIELD_AUX_ON_US, span);
      add_problem (line, PD_MICR_PROBLEM_MALFORMED, PD_MICR_FIELD_AUX_ON_US,
                   span.symbols[n_on_us == 1 ? on_us[0] : on_us[2]].position);
      return;
    }

  if ((position = content_position (sub_span (span, span.start, on_us[0]))) >= 0)
    {
      report_unreadable (line, PD_MICR_FIELD_AUX_ON_US, sub_span (span, span.start, on_us[0]));
      add_problem (line, PD_MICR_PROBLEM_MALFORMED, PD_MICR_FIELD_AUX_ON_US, position);
    }
  copy_field (line, PD_MICR_FIELD_AUX_ON_US, sub_span (span, on_us[0] + 1, on_us[1]),
              line->aux_on_us);
  if (line->aux_on_us[0] == '\0')
    add_problem (line, PD_MICR_PROBLEM_MISSING, PD_MICR_FIELD_AUX_ON_US,
                 span.symbols[on_us[0]].position);
  parse_epc (line, sub_span (span, on_us[1] + 1, span.end));
}

static gint64
parse_cents (const char *digits)
{
  gint64 cents = 0;

  for (const char *p = digits; *p != '\0'; p++)
    cents = cents * 10 + (*p - '0');
  return cents;
}

/* The amount field, when the bank of first deposit has encoded it; returns where the on-us
 * field ends. */
static guint
parse_amount (PdMicrLine *line,
              Span        span)
{
  guint amount[3];
  guint n_amount = find_symbols (span, SYMBOL_AMOUNT, amount, G_N_ELEMENTS (amount));
  char digits[FIELD_SIZE];
  int position;

  line->amount_cents = -1;
  if (n_amount == 0)
    return span.end;

  if (n_amount != 2)
    {
      report_unreadable (line, PD_MICR_FIELD_AMOUNT, sub_span (span, amount[0] + 1, span.end));
      add_problem (line, PD_MICR_PROBLEM_MALFORMED, PD_MICR_FIELD_AMOUNT,
                   span.symbols[n_amount == 1 ? amount[0] : amount[2]].position);
      return amount[0];
    }

  if ((position = content_position (sub_span (span, amount[1] + 1, span.end))) >= 0)
    add_problem (line, PD_MICR_PROBLEM_MALFORMED, PD_MICR_FIELD_AMOUNT, position);

  if (copy_field (line, PD_MICR_FIELD_AMOUNT, sub_span (span, amount[0] + 1, amount[1]), digits) &&
      strchr (digits, '?') == NULL)
    {
      if (strlen (digits) == AMOUNT_DIGITS && strspn (digits, "0123456789") == AMOUNT_DIGITS)
        line->amount_cents = parse_cents (digits);
      else
        add_problem (line, PD_MICR_PROBLEM_BAD_LENGTH, PD_MICR_FIELD_AMOUNT,
                     span.symbols[amount[0]].position);
    }

  return amount[0];
}

/* Splits the on-us field at its on-us symbols: what lies right of the last one (the
 * process control position), the account number left of it, and optionally one more number
 * left of the account, set off by its own on-us symbol. */
typedef struct {
  gboolean found;
  Span     leading;
  Span     account;
  Span     process_control;
} OnUsLayout;

static OnUsLayout
split_on_us (PdMicrLine *line,
             Span        span)
{
  guint on_us[PD_MICR_LINE_MAX_CHARS];
  guint n_on_us = find_symbols (span, SYMBOL_ON_US, on_us, G_N_ELEMENTS (on_us));
  Span none = sub_span (span, span.start, span.start);
  OnUsLayout layout = { FALSE, none, none, none };
  Span segments[2];
  guint n_segments = 0;
  guint start = span.start;

  if (n_on_us == 0)
    {
      /* The account number's end is not there: maybe that on-us symbol was not read. */
      if (!report_unreadable (line, PD_MICR_FIELD_ACCOUNT, span))
        add_problem (line, count_content (span) > 0 ? PD_MICR_PROBLEM_MALFORMED
                                                    : PD_MICR_PROBLEM_MISSING,
                     PD_MICR_FIELD_ACCOUNT, content_position (span));
      return layout;
    }

  for (guint i = 0; i < n_on_us; i++)
    {
      Span segment = sub_span (span, start, on_us[i]);

      start = on_us[i] + 1;
      if (count_content (segment) == 0)
        continue;
      if (n_segments == G_N_ELEMENTS (segments))
        {
          add_problem (line, PD_MICR_PROBLEM_MALFORMED, PD_MICR_FIELD_ACCOUNT,
                       span.symbols[on_us[i]].position);
          return layout;
        }
      segments[n_segments++] = segment;
    }

  if (n_segments == 0)
    {
      add_problem (line, PD_MICR_PROBLEM_MISSING, PD_MICR_FIELD_ACCOUNT, -1);
      return layout;
    }

  layout.found = TRUE;
  layout.account = segments[n_segments - 1];
  if (n_segments == 2)
    layout.leading = segments[0];
  layout.process_control = sub_span (span, on_us[n_on_us - 1] + 1, span.end);
  return layout;
}

/* The serial: on a business check the auxiliary on-us field; on a personal check the one
 * number beside the account number, whichever side the bank printed it on. */
static void
parse_on_us (PdMicrLine *line,
             Span        span)
{
  OnUsLayout layout = split_on_us (line, span);
  gboolean business = (line->flags & PD_MICR_LINE_BUSINESS) != 0;
  gboolean has_leading;
  gboolean has_process_control;

  if (!layout.found)
    return;

  copy_field (line, PD_MICR_FIELD_ACCOUNT, layout.account, line->account);
  has_leading = count_content (layout.leading) > 0;
  has_process_control = count_content (layout.process_control) > 0;

  if (business)
    {
      if (has_leading)
        {
          report_unreadable (line, PD_MICR_FIELD_ACCOUNT, layout.leading);
          add_problem (line, PD_MICR_PROBLEM_MALFORMED, PD_MICR_FIELD_ACCOUNT,
                       content_position (layout.leading));
        }
      copy_field (line, PD_MICR_FIELD_PROCESS_CONTROL, layout.process_control,
                  line->process_control);
      memcpy (line->serial, line->aux_on_us, sizeof line->serial);
    }
  else if (has_leading && has_process_control)
    {
      report_unreadable (line, PD_MICR_FIELD_SERIAL, layout.leading);
      copy_field (line, PD_MICR_FIELD_PROCESS_CONTROL, layout.process_control,
                  line->process_control);
      add_problem (line, PD_MICR_PROBLEM_AMBIGUOUS, PD_MICR_FIELD_SERIAL,
                   content_position (layout.leading));
    }
  else if (has_leading)
    copy_field (line, PD_MICR_FIELD_SERIAL, layout.leading, line->serial);
  else if (has_process_control)
    {
      copy_field (line, PD_MICR_FIELD_SERIAL, layout.process_control, line->serial);
      memcpy (line->process_control, line->serial, sizeof line->process_control);
    }
  else
    add_problem (line, PD_MICR_PROBLEM_MISSING, PD_MICR_FIELD_SERIAL, -1);
}

/* Without both transit symbols no field can be placed. */
static void
report_transit_field_not_found (PdMicrLine *line,
                                Span        span,
                                guint       n_transit,
                                guint      *transit)
{
  int position;

  if (span_has_unreadable (span, &position))
    add_problem (line, PD_MICR_PROBLEM_UNREADABLE, PD_MICR_FIELD_ROUTING, position);
  else
    add_problem (line, PD_MICR_PROBLEM_MALFORMED, PD_MICR_FIELD_ROUTING,
                 span.symbols[n_transit > 2 ? transit[2] : transit[0]].position);
}

static gboolean
field_is_torn (const PdMicrLine *line,
               PdMicrField       field)
{
  for (guint i = 0; i < line->problems->len; i++)
    {
      const PdMicrProblem *problem = &g_array_index (line->problems, PdMicrProblem, i);

      if (problem->field == field &&
          (problem->kind == PD_MICR_PROBLEM_UNREADABLE ||
           problem->kind == PD_MICR_PROBLEM_UNEXPECTED_CHARACTER))
        return TRUE;
    }
  return FALSE;
}

static void
parse_fields (PdMicrLine *line,
              Span        span)
{
  guint transit[3];
  guint n_transit = find_symbols (span, SYMBOL_TRANSIT, transit, G_N_ELEMENTS (transit));
  guint on_us_end;

  if (n_transit != 2)
    report_transit_field_not_found (line, span, n_transit, transit);
  else
    {
      parse_routing (line, sub_span (span, transit[0] + 1, transit[1]),
                     span.symbols[transit[0]].position);
      parse_left_of_transit (line, sub_span (span, span.start, transit[0]));
      on_us_end = parse_amount (line, sub_span (span, transit[1] + 1, span.end));
      parse_on_us (line, sub_span (span, transit[1] + 1, on_us_end));
    }

  if (field_is_torn (line, PD_MICR_FIELD_ROUTING) ||
      field_is_torn (line, PD_MICR_FIELD_ACCOUNT) ||
      field_is_torn (line, PD_MICR_FIELD_SERIAL) ||
      ((line->flags & PD_MICR_LINE_BUSINESS) && field_is_torn (line, PD_MICR_FIELD_AUX_ON_US)))
    line->flags |= PD_MICR_LINE_TORN;
}

static gboolean
check_input (const char  *text,
             gsize        length,
             GError     **error)
{
  if (length > PD_MICR_INPUT_MAX_BYTES)
    {
      g_set_error (error, PD_MICR_ERROR, PD_MICR_ERROR_TOO_LONG,
                   "MICR line of %" G_GSIZE_FORMAT " bytes, at most %d expected", length,
                   PD_MICR_INPUT_MAX_BYTES);
      return FALSE;
    }
  if (memchr (text, '\0', length) != NULL)
    {
      g_set_error_literal (error, PD_MICR_ERROR, PD_MICR_ERROR_INVALID_TEXT,
                           "MICR line holds a NUL byte");
      return FALSE;
    }
  if (!g_utf8_validate_len (text, length, NULL))
    {
      g_set_error_literal (error, PD_MICR_ERROR, PD_MICR_ERROR_INVALID_TEXT,
                           "MICR line is not UTF-8");
      return FALSE;
    }
  return TRUE;
}

static guint
decode (const char           *text,
        gsize                 length,
        const PdMicrAlphabet *alphabet,
        Symbol               *symbols)
{
  guint n = 0;

  for (const char *p = text; p < text + length; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      symbols[n].kind = classify (c, alphabet);
      symbols[n].digit = symbols[n].kind == SYMBOL_DIGIT ? (char) c : '\0';
      symbols[n].position = (int) n;
      n++;
    }
  return n;
}

/* Readers frame the line with line ends, status bytes or padding: whatever is not a MICR
 * character at either end is left out, and printable noise is reported. */
static Span
trim_noise (PdMicrLine *line,
            Span        span)
{
  Span trimmed = span;

  while (trimmed.start < trimmed.end && !is_micr_character (span.symbols[trimmed.start].kind))
    trimmed.start++;
  while (trimmed.end > trimmed.start && !is_micr_character (span.symbols[trimmed.end - 1].kind))
    trimmed.end--;

  for (guint i = span.start; i < span.end; i++)
    if ((i < trimmed.start || i >= trimmed.end) && span.symbols[i].kind == SYMBOL_UNEXPECTED)
      add_problem (line, PD_MICR_PROBLEM_UNEXPECTED_CHARACTER, PD_MICR_FIELD_LINE,
                   span.symbols[i].position);
  return trimmed;
}

static gboolean
check_line (Span     all,
            Span     trimmed,
            GError **error)
{
  guint transit[1];
  int unreadable;

  if (trimmed.start == trimmed.end)
    {
      gboolean blank = TRUE;

      for (guint i = all.start; i < all.end; i++)
        blank = blank && all.symbols[i].kind != SYMBOL_UNEXPECTED;
      g_set_error_literal (error, PD_MICR_ERROR, blank ? PD_MICR_ERROR_EMPTY : PD_MICR_ERROR_NOT_MICR,
                           blank ? "MICR line is empty" : "no MICR characters");
      return FALSE;
    }
  if (trimmed.end - trimmed.start > PD_MICR_LINE_MAX_CHARS)
    {
      g_set_error (error, PD_MICR_ERROR, PD_MICR_ERROR_TOO_LONG,
                   "MICR line of %u characters, at most %d expected",
                   trimmed.end - trimmed.start, PD_MICR_LINE_MAX_CHARS);
      return FALSE;
    }
  /* Digits alone are no check: without a transit symbol it takes an unreadable one. */
  if (find_symbols (trimmed, SYMBOL_TRANSIT, transit, 1) == 0 &&
      !span_has_unreadable (trimmed, &unreadable))
    {
      g_set_error_literal (error, PD_MICR_ERROR, PD_MICR_ERROR_NOT_MICR,
                           "no transit symbol in the MICR line");
      return FALSE;
    }
  return TRUE;
}

/* text: as the reader delivered it, UTF-8, length in bytes or -1 when NUL-terminated.
 * alphabet: the reader's ASCII stand-ins, NULL for the Unicode symbols only. */
PdMicrLine *
pd_micr_line_parse (const char            *text,
                    gssize                 length,
                    const PdMicrAlphabet  *alphabet,
                    GError               **error)
{
  g_autoptr(PdMicrLine) line = NULL;
  Symbol symbols[PD_MICR_INPUT_MAX_BYTES];
  Span all = { symbols, 0, 0 };
  Span trimmed;
  gboolean ok;

  g_return_val_if_fail (text != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (text == NULL)
    text = "";
  if (alphabet == NULL)
    alphabet = &alphabets[PD_MICR_ALPHABET_UNICODE];
  /* Never past the limit, even in a string that is not terminated there. */
  for (gssize n = 0; length < 0; n++)
    if (n > PD_MICR_INPUT_MAX_BYTES || text[n] == '\0')
      length = n;
  if (!check_input (text, (gsize) length, error))
    return NULL;

  line = g_new0 (PdMicrLine, 1);
  line->problems = g_array_new (FALSE, FALSE, sizeof (PdMicrProblem));
  line->amount_cents = -1;

  all.end = decode (text, (gsize) length, alphabet, symbols);
  trimmed = trim_noise (line, all);
  ok = check_line (all, trimmed, error);
  if (ok)
    parse_fields (line, trimmed);

  /* The symbols spell the account number. */
  sodium_memzero (symbols, sizeof symbols);
  return ok ? g_steal_pointer (&line) : NULL;
}

void
pd_micr_line_free (PdMicrLine *line)
{
  if (line == NULL)
    return;

  g_array_unref (line->problems);
  sodium_memzero (line, sizeof *line);
  g_free (line);
}

static gsize
count_char (const char *text,
            char        c)
{
  gsize n = 0;

  for (const char *p = text; *p != '\0'; p++)
    n += *p == c;
  return n;
}

static const char *
field_or_null (const char *field)
{
  return field[0] != '\0' ? field : NULL;
}

/* The getters give a field as read, '?' where a character was not read, or NULL when the
 * check does not have it; the problems say whether it can be trusted. */
const char *
pd_micr_line_get_routing_number (const PdMicrLine *line)
{
  g_return_val_if_fail (line != NULL, NULL);
  return field_or_null (line->routing);
}

/* Sensitive: never log it. */
const char *
pd_micr_line_get_account_number (const PdMicrLine *line)
{
  g_return_val_if_fail (line != NULL, NULL);
  return field_or_null (line->account);
}

const char *
pd_micr_line_get_serial (const PdMicrLine *line)
{
  g_return_val_if_fail (line != NULL, NULL);
  return field_or_null (line->serial);
}

const char *
pd_micr_line_get_aux_on_us (const PdMicrLine *line)
{
  g_return_val_if_fail (line != NULL, NULL);
  return field_or_null (line->aux_on_us);
}

const char *
pd_micr_line_get_process_control (const PdMicrLine *line)
{
  g_return_val_if_fail (line != NULL, NULL);
  return field_or_null (line->process_control);
}

/* '0' to '9', '?' when unreadable, '\0' when the check has none. */
char
pd_micr_line_get_epc (const PdMicrLine *line)
{
  g_return_val_if_fail (line != NULL, '\0');
  return line->epc;
}

/* -1 when the amount is not encoded (it never is before the first deposit) or not read. */
gint64
pd_micr_line_get_amount_cents (const PdMicrLine *line)
{
  g_return_val_if_fail (line != NULL, -1);
  return line->amount_cents;
}

PdMicrLineFlags
pd_micr_line_get_flags (const PdMicrLine *line)
{
  g_return_val_if_fail (line != NULL, PD_MICR_LINE_FLAGS_NONE);
  return line->flags;
}

const PdMicrProblem *
pd_micr_line_get_problems (const PdMicrLine *line,
                           guint            *n_problems)
{
  g_return_val_if_fail (line != NULL, NULL);
  g_return_val_if_fail (n_problems != NULL, NULL);

  *n_problems = line->problems->len;
  return (const PdMicrProblem *) (gconstpointer) line->problems->data;
}

gboolean
pd_micr_line_field_is_sound (const PdMicrLine *line,
                             PdMicrField       field)
{
  g_return_val_if_fail (line != NULL, FALSE);

  for (guint i = 0; i < line->problems->len; i++)
    if (g_array_index (line->problems, PdMicrProblem, i).field == field)
      return FALSE;
  return TRUE;
}

/* Everything a debit from the check needs was read and fits the layout. The amount is not
 * among it (the member states what is paid), nor noise at the ends of the line. */
gboolean
pd_micr_line_is_usable (const PdMicrLine *line)
{
  static const PdMicrField needed[] = {
    PD_MICR_FIELD_AUX_ON_US, PD_MICR_FIELD_EPC, PD_MICR_FIELD_ROUTING, PD_MICR_FIELD_ACCOUNT,
    PD_MICR_FIELD_SERIAL, PD_MICR_FIELD_PROCESS_CONTROL,
  };

  g_return_val_if_fail (line != NULL, FALSE);

  for (gsize i = 0; i < G_N_ELEMENTS (needed); i++)
    if (!pd_micr_line_field_is_sound (line, needed[i]))
      return FALSE;
  return line->routing[0] != '\0' && line->account[0] != '\0' && line->serial[0] != '\0';
}

/* "****" and the last four characters of the account number (dashes left out), or only
 * "****" when it has four or fewer: a short number is not shown whole. NULL without one. */
char *
pd_micr_line_dup_masked_account (const PdMicrLine *line)
{
  char last4[5] = { 0 };
  gsize length;
  gsize shown = 0;

  g_return_val_if_fail (line != NULL, NULL);

  if (line->account[0] == '\0')
    return NULL;

  length = strlen (line->account);
  if (length - count_char (line->account, '-') <= 4)
    return g_strdup (MASK);

  for (gsize i = length; i > 0 && shown < 4; i--)
    if (line->account[i - 1] != '-')
      last4[3 - shown++] = line->account[i - 1];
  return g_strconcat (MASK, last4, NULL);
}

static const char *
field_label (PdMicrField field)
{
  switch (field)
    {
    case PD_MICR_FIELD_AUX_ON_US:
      return _("Auxiliary on-us field");
    case PD_MICR_FIELD_EPC:
      return _("External processing code");
    case PD_MICR_FIELD_ROUTING:
      return _("Routing number");
    case PD_MICR_FIELD_ACCOUNT:
      return _("Account number");
    case PD_MICR_FIELD_SERIAL:
      return _("Check number");
    case PD_MICR_FIELD_PROCESS_CONTROL:
      return _("Process control field");
    case PD_MICR_FIELD_AMOUNT:
      return _("Amount");
    case PD_MICR_FIELD_LINE:
    default:
      return _("MICR line");
    }
}

/* For the associate: positions count from 1, as a person counts characters. */
char *
pd_micr_problem_describe (const PdMicrProblem *problem)
{
  const char *label;
  int character;

  g_return_val_if_fail (problem != NULL, NULL);

  label = field_label (problem->field);
  character = problem->position + 1;

  switch (problem->kind)
    {
    case PD_MICR_PROBLEM_UNREADABLE:
      return g_strdup_printf (_("%s: character %d could not be read."), label, character);
    case PD_MICR_PROBLEM_UNEXPECTED_CHARACTER:
      return g_strdup_printf (_("%s: character %d is not a MICR character."), label, character);
    case PD_MICR_PROBLEM_MISSING:
      return g_strdup_printf (_("%s: not found on the check."), label);
    case PD_MICR_PROBLEM_BAD_LENGTH:
      return g_strdup_printf (_("%s: wrong number of digits."), label);
    case PD_MICR_PROBLEM_BAD_CHECK_DIGIT:
      return g_strdup_printf (_("%s: the check digit does not match."), label);
    case PD_MICR_PROBLEM_AMBIGUOUS:
      return g_strdup_printf (_("%s: numbers on both sides of the account number; which one "
                                "is the check number is not clear."), label);
    case PD_MICR_PROBLEM_MALFORMED:
    default:
      return g_strdup_printf (_("%s: symbols out of place near character %d."), label,
                              character);
    }
}

/* Short English names for logs, in the enums' order. */
static const char * const field_ids[] = {
  "line", "aux-on-us", "epc", "routing", "account", "serial", "process-control", "amount",
};
static const char * const problem_ids[] = {
  "unreadable", "unexpected-character", "missing", "bad-length", "bad-check-digit",
  "malformed", "ambiguous",
};

G_STATIC_ASSERT (G_N_ELEMENTS (field_ids) == PD_MICR_FIELD_AMOUNT + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (problem_ids) == PD_MICR_PROBLEM_AMBIGUOUS + 1);

/* What may go to a log: the account masked, the rest as read. */
char *
pd_micr_line_describe (const PdMicrLine *line)
{
  g_autofree char *masked = NULL;
  GString *text;

  g_return_val_if_fail (line != NULL, NULL);

  masked = pd_micr_line_dup_masked_account (line);
  text = g_string_new (NULL);
  g_string_append_printf (text, "routing %s, account %s, serial %s",
                          line->routing[0] != '\0' ? line->routing : "-",
                          masked != NULL ? masked : "-",
                          line->serial[0] != '\0' ? line->serial : "-");
  if (line->flags & PD_MICR_LINE_BUSINESS)
    g_string_append (text, ", business");
  if (line->flags & PD_MICR_LINE_TORN)
    g_string_append (text, ", torn");
  if (line->amount_cents >= 0)
    g_string_append_printf (text, ", amount %" G_GINT64_FORMAT ".%02d",
                            line->amount_cents / 100, (int) (line->amount_cents % 100));

  for (guint i = 0; i < line->problems->len; i++)
    {
      const PdMicrProblem *problem = &g_array_index (line->problems, PdMicrProblem, i);

      g_string_append_printf (text, "%s%s %s", i == 0 ? "; " : ", ",
                              field_ids[problem->field], problem_ids[problem->kind]);
      if (problem->position >= 0)
        g_string_append_printf (text, " at %d", problem->position);
    }

  return g_string_free (text, FALSE);
}
