#include <string.h>

#include "pd-bank-account.h"
#include "pd-micr.h"
#include "pd-test-common.h"

/* A line that reads cleanly, and what each field must come out as. The routing numbers are
 * real banks' (public); account numbers and serials are made up. */
typedef struct {
  const char           *name;
  PdMicrAlphabetPreset  alphabet;
  const char           *text;
  const char           *routing;
  const char           *account;
  const char           *serial;
  const char           *aux_on_us;
  const char           *process_control;
  char                  epc;
  gint64                amount_cents;
  PdMicrLineFlags       flags;
} Layout;

static const Layout layouts[] = {
  { "personal, account then serial", PD_MICR_ALPHABET_UNICODE,
    "⑆021000021⑆ 123456789⑈ 0123",
    "021000021", "123456789", "0123", NULL, "0123", '\0', -1, PD_MICR_LINE_FLAGS_NONE },
  { "personal, amount encoded after deposit", PD_MICR_ALPHABET_UNICODE,
    "⑆021000021⑆ 123456789⑈ 0123 ⑇0000012345⑇",
    "021000021", "123456789", "0123", NULL, "0123", '\0', 12345, PD_MICR_LINE_FLAGS_NONE },
  { "personal, serial then account", PD_MICR_ALPHABET_UNICODE,
    "⑆122000661⑆ 1001⑈ 987654321⑈",
    "122000661", "987654321", "1001", NULL, NULL, '\0', -1, PD_MICR_LINE_FLAGS_NONE },
  { "personal, dashes in the account", PD_MICR_ALPHABET_UNICODE,
    "⑆122000661⑆ 12⑉345⑉6789⑈ 1001",
    "122000661", "12-345-6789", "1001", NULL, "1001", '\0', -1, PD_MICR_LINE_FLAGS_NONE },
  { "personal, external processing code", PD_MICR_ALPHABET_UNICODE,
    "4⑆021000021⑆ 123456789⑈ 0123",
    "021000021", "123456789", "0123", NULL, "0123", '4', -1, PD_MICR_LINE_FLAGS_NONE },
  { "business, auxiliary on-us", PD_MICR_ALPHABET_UNICODE,
    "⑈001234⑈ ⑆026009593⑆ 1234567890⑈",
    "026009593", "1234567890", "001234", "001234", NULL, '\0', -1, PD_MICR_LINE_BUSINESS },
  { "business, EPC, transaction code and amount", PD_MICR_ALPHABET_UNICODE,
    "⑈0001234⑈ 5⑆111000025⑆ 12⑉3456⑉7⑈ 45 ⑇0000150000⑇",
    "111000025", "12-3456-7", "0001234", "0001234", "45", '5', 150000, PD_MICR_LINE_BUSINESS },
  { "spaces of any width, line ends and framing bytes", PD_MICR_ALPHABET_UNICODE,
    "\x02\r\n   ⑆021000021⑆      123 456 789⑈     0123   \r\n\x03",
    "021000021", "123456789", "0123", NULL, "0123", '\0', -1, PD_MICR_LINE_FLAGS_NONE },
  { "MagTek raw format 00", PD_MICR_ALPHABET_MAGTEK_RAW,
    "T021000021T 123456789U 0123 $0000012345$",
    "021000021", "123456789", "0123", NULL, "0123", '\0', 12345, PD_MICR_LINE_FLAGS_NONE },
  { "TOAD", PD_MICR_ALPHABET_TOAD,
    "T021000021T 123456789O 0123 A0000012345A",
    "021000021", "123456789", "0123", NULL, "0123", '\0', 12345, PD_MICR_LINE_FLAGS_NONE },
  { "toad in lower case, with dashes", PD_MICR_ALPHABET_TOAD_LOWER,
    "t122000661t 12d345d6789o 1001",
    "122000661", "12-345-6789", "1001", NULL, "1001", '\0', -1, PD_MICR_LINE_FLAGS_NONE },
  { "Axiohm punctuation, business", PD_MICR_ALPHABET_AXIOHM,
    "(001234( )026009593) 1234567890( &0000099999&",
    "026009593", "1234567890", "001234", "001234", NULL, '\0', 99999, PD_MICR_LINE_BUSINESS },
  { "ABCD letters", PD_MICR_ALPHABET_ABCD,
    "A122000661A 12D345D6789C 1001 B0000004999B",
    "122000661", "12-345-6789", "1001", NULL, "1001", '\0', 4999, PD_MICR_LINE_FLAGS_NONE },
  { "Unicode symbols through an ASCII alphabet", PD_MICR_ALPHABET_TOAD,
    "⑆021000021⑆ 123456789⑈ 0123",
    "021000021", "123456789", "0123", NULL, "0123", '\0', -1, PD_MICR_LINE_FLAGS_NONE },
};

static PdMicrLine *
parse (const char           *text,
       PdMicrAlphabetPreset  alphabet)
{
  g_autoptr(GError) error = NULL;
  PdMicrLine *line = pd_micr_line_parse (text, -1, pd_micr_alphabet_get (alphabet), &error);

  g_assert_no_error (error);
  g_assert_nonnull (line);
  return line;
}

static void
assert_problem (const PdMicrLine  *line,
                PdMicrField        field,
                PdMicrProblemKind  kind,
                int                position)
{
  guint n_problems;
  const PdMicrProblem *problems = pd_micr_line_get_problems (line, &n_problems);

  for (guint i = 0; i < n_problems; i++)
    if (problems[i].field == field && problems[i].kind == kind &&
        problems[i].position == position)
      return;

  g_error ("no problem %d with field %d at %d among %u", kind, field, position, n_problems);
}

static guint
count_problems (const PdMicrLine *line)
{
  guint n_problems;

  pd_micr_line_get_problems (line, &n_problems);
  return n_problems;
}

static void
test_layouts (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (layouts); i++)
    {
      const Layout *layout = &layouts[i];
      g_autoptr(PdMicrLine) line = NULL;

      g_test_message ("%s", layout->name);
      line = parse (layout->text, layout->alphabet);

      g_assert_cmpuint (count_problems (line), ==, 0);
      g_assert_true (pd_micr_line_is_usable (line));
      g_assert_true (pd_routing_number_is_valid (layout->routing));
      g_assert_cmpstr (pd_micr_line_get_routing_number (line), ==, layout->routing);
      g_assert_cmpstr (pd_micr_line_get_account_number (line), ==, layout->account);
      g_assert_cmpstr (pd_micr_line_get_serial (line), ==, layout->serial);
      g_assert_cmpstr (pd_micr_line_get_aux_on_us (line), ==, layout->aux_on_us);
      g_assert_cmpstr (pd_micr_line_get_process_control (line), ==, layout->process_control);
      g_assert_cmpint (pd_micr_line_get_epc (line), ==, layout->epc);
      g_assert_cmpint (pd_micr_line_get_amount_cents (line), ==, layout->amount_cents);
      g_assert_cmpint (pd_micr_line_get_flags (line), ==, layout->flags);
    }
}

static void
test_explicit_length (void)
{
  static const char text[] = "⑆021000021⑆ 123456789⑈ 0123 and what the buffer holds after";
  g_autoptr(GError) error = NULL;
  g_autoptr(PdMicrLine) line = pd_micr_line_parse (text, (gssize) strlen ("⑆021000021⑆ 123456789⑈ 0123"),
                                                   NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (pd_micr_line_get_serial (line), ==, "0123");
  g_assert_cmpuint (count_problems (line), ==, 0);
}

static void
test_bad_check_digit (void)
{
  g_autoptr(PdMicrLine) line = parse ("⑆021000022⑆ 123456789⑈ 0123", PD_MICR_ALPHABET_UNICODE);

  assert_problem (line, PD_MICR_FIELD_ROUTING, PD_MICR_PROBLEM_BAD_CHECK_DIGIT, 0);
  g_assert_cmpuint (count_problems (line), ==, 1);
  g_assert_cmpstr (pd_micr_line_get_routing_number (line), ==, "021000022");
  g_assert_false (pd_micr_line_field_is_sound (line, PD_MICR_FIELD_ROUTING));
  g_assert_true (pd_micr_line_field_is_sound (line, PD_MICR_FIELD_ACCOUNT));
  g_assert_false (pd_micr_line_get_flags (line) & PD_MICR_LINE_TORN);
  g_assert_false (pd_micr_line_is_usable (line));
}

static void
test_routing_shape (void)
{
  g_autoptr(PdMicrLine) short_routing = parse ("⑆02100002⑆ 123456789⑈ 0123", PD_MICR_ALPHABET_UNICODE);
  /* A Canadian transit number: branch, dash, institution. */
  g_autoptr(PdMicrLine) canadian = parse ("⑆12345⑉678⑆ 1234567⑈", PD_MICR_ALPHABET_UNICODE);
  g_autoptr(PdMicrLine) one_symbol = parse ("⑆021000021 123456789⑈ 0123", PD_MICR_ALPHABET_UNICODE);
  g_autoptr(PdMicrLine) all_zeros = parse ("⑆000000000⑆ 123456789⑈ 0123", PD_MICR_ALPHABET_UNICODE);

  assert_problem (short_routing, PD_MICR_FIELD_ROUTING, PD_MICR_PROBLEM_BAD_LENGTH, 0);
  assert_problem (canadian, PD_MICR_FIELD_ROUTING, PD_MICR_PROBLEM_MALFORMED, 0);
  assert_problem (one_symbol, PD_MICR_FIELD_ROUTING, PD_MICR_PROBLEM_MALFORMED, 0);
  g_assert_null (pd_micr_line_get_account_number (one_symbol));
  assert_problem (all_zeros, PD_MICR_FIELD_ROUTING, PD_MICR_PROBLEM_BAD_CHECK_DIGIT, 0);
}

static void
test_torn_routing (void)
{
  g_autoptr(PdMicrLine) digit = parse ("⑆0210?0021⑆ 123456789⑈ 0123", PD_MICR_ALPHABET_UNICODE);
  g_autoptr(PdMicrLine) symbol = parse ("?021000021⑆ 123456789⑈ 0123", PD_MICR_ALPHABET_UNICODE);
  g_autoptr(PdMicrLine) toad = parse ("T02100!021T 123456789O 0123", PD_MICR_ALPHABET_TOAD);

  /* The digit stays unread; the rest of the line still reads. */
  g_assert_cmpstr (pd_micr_line_get_routing_number (digit), ==, "0210?0021");
  assert_problem (digit, PD_MICR_FIELD_ROUTING, PD_MICR_PROBLEM_UNREADABLE, 5);
  g_assert_cmpuint (count_problems (digit), ==, 1);
  g_assert_true (pd_micr_line_get_flags (digit) & PD_MICR_LINE_TORN);
  g_assert_false (pd_micr_line_is_usable (digit));
  g_assert_cmpstr (pd_micr_line_get_account_number (digit), ==, "123456789");

  /* Without its opening symbol no field can be placed: nothing is cut out. */
  assert_problem (symbol, PD_MICR_FIELD_ROUTING, PD_MICR_PROBLEM_UNREADABLE, 0);
  g_assert_true (pd_micr_line_get_flags (symbol) & PD_MICR_LINE_TORN);
  g_assert_null (pd_micr_line_get_routing_number (symbol));
  g_assert_null (pd_micr_line_get_account_number (symbol));
  g_assert_null (pd_micr_line_get_serial (symbol));

  assert_problem (toad, PD_MICR_FIELD_ROUTING, PD_MICR_PROBLEM_UNREADABLE, 6);
  g_assert_cmpstr (pd_micr_line_get_routing_number (toad), ==, "02100?021");
}

static void
test_torn_account (void)
{
  g_autoptr(PdMicrLine) digit = parse ("⑆021000021⑆ 1234?6789⑈ 0123", PD_MICR_ALPHABET_UNICODE);
  g_autoptr(PdMicrLine) end = parse ("⑆021000021⑆ 123456789? 0123", PD_MICR_ALPHABET_UNICODE);
  g_autoptr(PdMicrLine) stranger = parse ("⑆021000021⑆ 1234X6789⑈ 0123", PD_MICR_ALPHABET_UNICODE);
  g_autofree char *masked = NULL;

  g_assert_cmpstr (pd_micr_line_get_account_number (digit), ==, "1234?6789");
  assert_problem (digit, PD_MICR_FIELD_ACCOUNT, PD_MICR_PROBLEM_UNREADABLE, 16);
  g_assert_cmpuint (count_problems (digit), ==, 1);
  g_assert_true (pd_micr_line_get_flags (digit) & PD_MICR_LINE_TORN);
  g_assert_false (pd_micr_line_is_usable (digit));
  g_assert_true (pd_micr_line_field_is_sound (digit, PD_MICR_FIELD_ROUTING));
  masked = pd_micr_line_dup_masked_account (digit);
  g_assert_cmpstr (masked, ==, "****6789");

  /* The on-us symbol that ends the account was not read: where the account ends, and so
   * where the serial starts, is not known. */
  assert_problem (end, PD_MICR_FIELD_ACCOUNT, PD_MICR_PROBLEM_UNREADABLE, 21);
  g_assert_null (pd_micr_line_get_account_number (end));
  g_assert_null (pd_micr_line_get_serial (end));
  g_assert_true (pd_micr_line_get_flags (end) & PD_MICR_LINE_TORN);

  assert_problem (stranger, PD_MICR_FIELD_ACCOUNT, PD_MICR_PROBLEM_UNEXPECTED_CHARACTER, 16);
  g_assert_cmpstr (pd_micr_line_get_account_number (stranger), ==, "1234?6789");
  g_assert_true (pd_micr_line_get_flags (stranger) & PD_MICR_LINE_TORN);
}

static void
test_torn_serial (void)
{
  g_autoptr(PdMicrLine) personal = parse ("⑆021000021⑆ 123456789⑈ 01?3", PD_MICR_ALPHABET_UNICODE);
  g_autoptr(PdMicrLine) business = parse ("⑈00?234⑈ ⑆026009593⑆ 1234567890⑈",
                                          PD_MICR_ALPHABET_UNICODE);
  g_autoptr(PdMicrLine) lost_symbols = parse ("?001234? ⑆026009593⑆ 1234567890⑈",
                                              PD_MICR_ALPHABET_UNICODE);

  g_assert_cmpstr (pd_micr_line_get_serial (personal), ==, "01?3");
  assert_problem (personal, PD_MICR_FIELD_SERIAL, PD_MICR_PROBLEM_UNREADABLE, 25);
  g_assert_true (pd_micr_line_get_flags (personal) & PD_MICR_LINE_TORN);
  g_assert_false (pd_micr_line_is_usable (personal));
  g_assert_cmpstr (pd_micr_line_get_account_number (personal), ==, "123456789");

  g_assert_cmpstr (pd_micr_line_get_serial (business), ==, "00?234");
  assert_problem (business, PD_MICR_FIELD_AUX_ON_US, PD_MICR_PROBLEM_UNREADABLE, 3);
  g_assert_true (pd_micr_line_get_flags (business) & PD_MICR_LINE_TORN);
  g_assert_true (pd_micr_line_get_flags (business) & PD_MICR_LINE_BUSINESS);

  /* Unread on-us symbols left of the transit field: still a business check, never a
   * personal one with a long "EPC". */
  g_assert_true (pd_micr_line_get_flags (lost_symbols) & PD_MICR_LINE_BUSINESS);
  g_assert_true (pd_micr_line_get_flags (lost_symbols) & PD_MICR_LINE_TORN);
  assert_problem (lost_symbols, PD_MICR_FIELD_AUX_ON_US, PD_MICR_PROBLEM_UNREADABLE, 0);
  assert_problem (lost_symbols, PD_MICR_FIELD_AUX_ON_US, PD_MICR_PROBLEM_UNREADABLE, 7);
  g_assert_cmpint (pd_micr_line_get_epc (lost_symbols), ==, '\0');
  g_assert_false (pd_micr_line_is_usable (lost_symbols));
}

static void
test_serial_not_guessed (void)
{
  g_autoptr(PdMicrLine) missing = parse ("⑆021000021⑆ 987654321⑈", PD_MICR_ALPHABET_UNICODE);
  g_autoptr(PdMicrLine) both_sides = parse ("⑆021000021⑆ 1001⑈ 987654321⑈ 0123",
                                            PD_MICR_ALPHABET_UNICODE);

  assert_problem (missing, PD_MICR_FIELD_SERIAL, PD_MICR_PROBLEM_MISSING, -1);
  g_assert_null (pd_micr_line_get_serial (missing));
  g_assert_cmpstr (pd_micr_line_get_account_number (missing), ==, "987654321");
  g_assert_false (pd_micr_line_is_usable (missing));

  assert_problem (both_sides, PD_MICR_FIELD_SERIAL, PD_MICR_PROBLEM_AMBIGUOUS, 12);
  g_assert_null (pd_micr_line_get_serial (both_sides));
  g_assert_cmpstr (pd_micr_line_get_account_number (both_sides), ==, "987654321");
}

static void
test_amount_field (void)
{
  g_autoptr(PdMicrLine) unread = parse ("⑆021000021⑆ 123456789⑈ 0123 ⑇00000?2345⑇",
                                        PD_MICR_ALPHABET_UNICODE);
  g_autoptr(PdMicrLine) short_amount = parse ("⑆021000021⑆ 123456789⑈ 0123 ⑇12345⑇",
                                              PD_MICR_ALPHABET_UNICODE);
  g_autoptr(PdMicrLine) trailing = parse ("⑆021000021⑆ 123456789⑈ 0123 ⑇0000012345⑇ 77",
                                          PD_MICR_ALPHABET_UNICODE);

  /* The amount does not decide whether the check can be used: the member states it. */
  assert_problem (unread, PD_MICR_FIELD_AMOUNT, PD_MICR_PROBLEM_UNREADABLE, 34);
  g_assert_cmpint (pd_micr_line_get_amount_cents (unread), ==, -1);
  g_assert_false (pd_micr_line_get_flags (unread) & PD_MICR_LINE_TORN);
  g_assert_true (pd_micr_line_is_usable (unread));

  assert_problem (short_amount, PD_MICR_FIELD_AMOUNT, PD_MICR_PROBLEM_BAD_LENGTH, 28);
  g_assert_cmpint (pd_micr_line_get_amount_cents (short_amount), ==, -1);

  assert_problem (trailing, PD_MICR_FIELD_AMOUNT, PD_MICR_PROBLEM_MALFORMED, 41);
  g_assert_cmpint (pd_micr_line_get_amount_cents (trailing), ==, 12345);
}

static void
test_noise_at_the_ends (void)
{
  g_autoptr(PdMicrLine) line = parse ("xx⑆021000021⑆ 123456789⑈ 0123#", PD_MICR_ALPHABET_UNICODE);

  assert_problem (line, PD_MICR_FIELD_LINE, PD_MICR_PROBLEM_UNEXPECTED_CHARACTER, 0);
  assert_problem (line, PD_MICR_FIELD_LINE, PD_MICR_PROBLEM_UNEXPECTED_CHARACTER, 1);
  assert_problem (line, PD_MICR_FIELD_LINE, PD_MICR_PROBLEM_UNEXPECTED_CHARACTER, 29);
  g_assert_cmpuint (count_problems (line), ==, 3);
  g_assert_true (pd_micr_line_is_usable (line));
  g_assert_cmpstr (pd_micr_line_get_serial (line), ==, "0123");
}

static void
assert_error (const char *text,
              gssize      length,
              int         code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdMicrLine) line = pd_micr_line_parse (text, length, NULL, &error);

  g_assert_null (line);
  g_assert_error (error, PD_MICR_ERROR, code);
}

static void
test_not_a_line (void)
{
  static const char with_nul[] = "⑆021000021⑆\0 123456789⑈ 0123";
  g_autofree char *overlong = g_strnfill (PD_MICR_INPUT_MAX_BYTES + 40, '1');
  g_autoptr(GString) long_line = g_string_new ("⑆021000021⑆ ");

  for (int i = 0; i < PD_MICR_LINE_MAX_CHARS; i++)
    g_string_append_c (long_line, '7');
  g_string_append (long_line, "⑈");

  assert_error ("", -1, PD_MICR_ERROR_EMPTY);
  assert_error (NULL, 0, PD_MICR_ERROR_EMPTY);
  assert_error (" \r\n\t ", -1, PD_MICR_ERROR_EMPTY);
  assert_error ("hello, world", -1, PD_MICR_ERROR_NOT_MICR);
  assert_error ("021000021 123456789 0123", -1, PD_MICR_ERROR_NOT_MICR);
  assert_error ("⑈1234⑈ ⑇0000012345⑇", -1, PD_MICR_ERROR_NOT_MICR);
  assert_error (overlong, -1, PD_MICR_ERROR_TOO_LONG);
  assert_error (long_line->str, -1, PD_MICR_ERROR_TOO_LONG);
  assert_error (with_nul, sizeof with_nul - 1, PD_MICR_ERROR_INVALID_TEXT);
  assert_error ("\xe2\x91\x86" "0210\xff" "00021\xe2\x91\x86", -1, PD_MICR_ERROR_INVALID_TEXT);
  /* A symbol cut in half at the end of the buffer. */
  assert_error ("⑆021000021⑆", (gssize) strlen ("⑆021000021⑆") - 1, PD_MICR_ERROR_INVALID_TEXT);
}

static void
test_masking_and_description (void)
{
  g_autoptr(PdMicrLine) line = parse ("⑆122000661⑆ 12⑉345⑉6789⑈ 1001 ⑇0000012345⑇",
                                      PD_MICR_ALPHABET_UNICODE);
  g_autoptr(PdMicrLine) short_account = parse ("⑆021000021⑆ 1234⑈ 0123", PD_MICR_ALPHABET_UNICODE);
  g_autoptr(PdMicrLine) torn = parse ("?021000021⑆ 123456789⑈ 0123", PD_MICR_ALPHABET_UNICODE);
  g_autofree char *masked = pd_micr_line_dup_masked_account (line);
  g_autofree char *masked_short = pd_micr_line_dup_masked_account (short_account);
  g_autofree char *masked_none = pd_micr_line_dup_masked_account (torn);
  g_autofree char *description = pd_micr_line_describe (line);
  g_autofree char *torn_description = pd_micr_line_describe (torn);

  g_assert_cmpstr (masked, ==, "****6789");
  g_assert_cmpstr (masked_short, ==, "****");
  g_assert_null (masked_none);

  g_assert_nonnull (strstr (description, "****6789"));
  g_assert_nonnull (strstr (description, "122000661"));
  g_assert_nonnull (strstr (description, "123.45"));
  g_assert_null (strstr (description, "345-6789"));
  g_assert_null (strstr (description, "12-345"));
  g_assert_nonnull (strstr (torn_description, "torn"));
  g_assert_nonnull (strstr (torn_description, "routing unreadable at 0"));
}

static void
test_problem_descriptions (void)
{
  for (int kind = PD_MICR_PROBLEM_UNREADABLE; kind <= PD_MICR_PROBLEM_AMBIGUOUS; kind++)
    for (int field = PD_MICR_FIELD_LINE; field <= PD_MICR_FIELD_AMOUNT; field++)
      {
        PdMicrProblem problem = { (PdMicrProblemKind) kind, (PdMicrField) field, 4 };
        g_autofree char *text = pd_micr_problem_describe (&problem);

        g_assert_nonnull (text);
        g_assert_cmpuint (strlen (text), >, 10);
      }
}

static void
test_alphabets (void)
{
  static const char * const ids[] = {
    "unicode", "magtek-raw", "toad", "toad-lower", "axiohm", "abcd",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      const PdMicrAlphabet *alphabet = pd_micr_alphabet_get ((PdMicrAlphabetPreset) i);

      g_assert_true (pd_micr_alphabet_lookup (ids[i]) == alphabet);
      g_assert_cmpstr (alphabet->id, ==, ids[i]);
      g_assert_nonnull (strchr (alphabet->unreadable, '?'));
    }
  g_assert_null (pd_micr_alphabet_lookup ("epson"));
}

/* Whatever a broken reader sends, the parser answers with a line or an error. */
static void
test_random_input (void)
{
  static const char * const pieces[] = {
    "⑆", "⑇", "⑈", "⑉", "?", " ", "0", "1", "5", "9", "T", "O", "A", "D", "\r", "\x02", "x",
    "\xff", "\xe2\x91",
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (20260314);

  for (int round = 0; round < 20000; round++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(PdMicrLine) line = NULL;
      int n = g_rand_int_range (rand, 0, 60);

      for (int i = 0; i < n; i++)
        g_string_append (text, pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))]);

      line = pd_micr_line_parse (text->str, (gssize) text->len,
                                 pd_micr_alphabet_get ((PdMicrAlphabetPreset) (round % 6)), &error);
      g_assert_true ((line == NULL) != (error == NULL));
      if (line != NULL)
        {
          g_autofree char *description = pd_micr_line_describe (line);

          g_assert_nonnull (description);
        }
    }
}

int
main (int    argc,
      char **argv)
{
  pd_test_init (&argc, &argv);

  g_test_add_func ("/micr/layouts", test_layouts);
  g_test_add_func ("/micr/explicit-length", test_explicit_length);
  g_test_add_func ("/micr/bad-check-digit", test_bad_check_digit);
  g_test_add_func ("/micr/routing-shape", test_routing_shape);
  g_test_add_func ("/micr/torn-routing", test_torn_routing);
  g_test_add_func ("/micr/torn-account", test_torn_account);
  g_test_add_func ("/micr/torn-serial", test_torn_serial);
  g_test_add_func ("/micr/serial-not-guessed", test_serial_not_guessed);
  g_test_add_func ("/micr/amount-field", test_amount_field);
  g_test_add_func ("/micr/noise-at-the-ends", test_noise_at_the_ends);
  g_test_add_func ("/micr/not-a-line", test_not_a_line);
  g_test_add_func ("/micr/masking-and-description", test_masking_and_description);
  g_test_add_func ("/micr/problem-descriptions", test_problem_descriptions);
  g_test_add_func ("/micr/alphabets", test_alphabets);
  g_test_add_func ("/micr/random-input", test_random_input);

  return g_test_run ();
}
