/* Golden receipts: one receipt per payment kind and status, built directly as data (no core,
 * no journal), laid out and rendered, and compared byte for byte with the files in
 * tests/receipts/receipt-golden/: <case>.txt is the plain text at 42 columns, <case>.escpos the exact
 * print job for the Epson TM-T88 profile (Latin text goes out in the printer's own font and
 * the QR code is the printer's, so the bytes do not depend on the fonts installed).
 *
 * A change to the layout, its wording or a renderer shows up here as a diff a reviewer can
 * read. When the change is meant, write the goldens again and review them with git diff:
 *
 *   meson compile -C _build update-receipt-goldens
 *
 * which runs this program with PAYDESK_UPDATE_GOLDEN=1: it writes into the source tree
 * ($G_TEST_SRCDIR/receipts/receipt-golden/) instead of comparing, and reports every case it wrote
 * as skipped, never passed. The test suite's environment clears the variable. Every case also checks the masking property on what it
 * renders: no five digits in a row except in values a receipt may print whole (see
 * allowed_values()), and no card expiry. */

/* memmem */
#define _GNU_SOURCE
#include "config.h"

#include <string.h>

#include "pd-printer-profile.h"
#include "pd-receipt-escpos.h"
#include "pd-receipt-layout.h"
#include "pd-receipt-private.h"
#include "pd-receipt-text.h"
#include "pd-test-common.h"
#include "pd-test-pans.h"

#define TEXT_COLUMNS 42
#define GOLDEN_FOLDER "receipts/receipt-golden"
#define DIFF_CONTEXT_LINES 2

/* A receipt's facts, as pd_receipt_new_from_journal() would have gathered them. */
typedef PdReceipt *(*ReceiptFixture) (void);

typedef struct {
  const char *name;
  ReceiptFixture make;
  /* Only Latin-script receipts have an .escpos golden: others are Pango rasters, which
   * follow the installed fonts. */
  gboolean escpos;
} GoldenCase;

/* Fixtures: fixed, clearly fake data in the style of assets/training-members.json. */

static void
set_string (char       **field,
            const char  *value)
{
  g_free (*field);
  *field = g_strdup (value);
}

static GDateTime *
new_york_time (int year,
               int month,
               int day,
               int hour,
               int minute)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("America/New_York");

  g_assert_nonnull (zone);
  return g_date_time_new (zone, year, month, day, hour, minute, 7);
}

/* Maria Gonzalez pays her Essential Plan invoice at a walk-in center's kiosk: where every
 * case starts before it sets its tender and outcome. */
static PdReceipt *
receipt_new_base (void)
{
  static const char * const address[] = {
    "125 Example Avenue, Suite 200", "New York, NY 10007", NULL,
  };
  PdReceipt *receipt = g_object_new (PD_TYPE_RECEIPT, NULL);

  receipt->training = FALSE;
  receipt->mode = PD_TERMINAL_MODE_KIOSK;
  receipt->center_name = g_strdup ("Example Health Walk-In Center");
  receipt->center_address = g_strdupv ((GStrv) address);
  receipt->center_phone = g_strdup ("(212) 555-0142");
  receipt->center_hours = g_strdup ("Monday to Friday 8 AM to 6 PM, Saturday 9 AM to 1 PM");
  receipt->member_services_phone = g_strdup ("1-800-555-0199");
  receipt->terminal_id = g_strdup ("K-07");
  receipt->created_at = new_york_time (2026, 11, 14, 10, 42);

  receipt->payment_id = g_strdup ("6f1c2b7e-3a4d-4e8f-9b0a-c1d2e3f4a5b6");
  receipt->reference = g_strdup ("K-07-6F1C2B7E3A4D4E8F");
  receipt->member_name = g_strdup ("MARIA L GONZALEZ");
  receipt->account_last4 = g_strdup ("6789");
  receipt->line_of_business = PD_LINE_OF_BUSINESS_ESSENTIAL_PLAN;
  receipt->invoice_number = g_strdup ("INV2026110042");
  receipt->amount = 7500;
  receipt->currency = g_strdup ("USD");

  receipt->status_at = new_york_time (2026, 11, 14, 10, 43);
  receipt->language = g_strdup ("en");
  return receipt;
}

/* A Visa chip card (the public EMV test card ending 0010), read and approved. */
static PdReceipt *
receipt_card_visa_chip (void)
{
  PdReceipt *receipt = receipt_new_base ();

  receipt->tender = PD_TENDER_CARD;
  receipt->brand = g_strdup ("visa");
  receipt->last4 = g_strdup ("0010");
  receipt->entry_mode = g_strdup ("chip");
  receipt->aid = g_strdup ("A0000000031010");
  receipt->app_label = g_strdup ("VISA CREDIT");
  receipt->tvr = g_strdup ("0000008000");
  receipt->tsi = g_strdup ("E800");
  receipt->auth_code = g_strdup ("084213");
  receipt->status = PD_RECEIPT_STATUS_APPROVED;
  receipt->confirmation = g_strdup ("CNF-7KQ4M2XP");
  return receipt;
}

static PdReceipt *
fixture_card_approved_chip (void)
{
  return receipt_card_visa_chip ();
}

/* At the counter an associate runs the terminal: the receipt names them. Wei Chen taps a
 * Mastercard for his Medicare Advantage premium. */
static PdReceipt *
fixture_card_approved_contactless_counter (void)
{
  PdReceipt *receipt = receipt_new_base ();

  receipt->mode = PD_TERMINAL_MODE_COUNTER;
  set_string (&receipt->terminal_id, "C-02");
  receipt->operator_id = g_strdup ("A-117");
  set_string (&receipt->reference, "C-02-B4E8A1D3C7F2E9A6");
  set_string (&receipt->member_name, "WEI CHEN");
  set_string (&receipt->account_last4, "0400");
  receipt->line_of_business = PD_LINE_OF_BUSINESS_MEDICARE_ADVANTAGE;
  set_string (&receipt->invoice_number, "MAD2026110100");
  receipt->amount = 4500;

  receipt->tender = PD_TENDER_CARD;
  receipt->brand = g_strdup ("mastercard");
  receipt->last4 = g_strdup ("0434");
  receipt->entry_mode = g_strdup ("contactless");
  receipt->aid = g_strdup ("A0000000041010");
  receipt->app_label = g_strdup ("MASTERCARD");
  receipt->tvr = g_strdup ("0000000000");
  receipt->tsi = g_strdup ("0000");
  receipt->auth_code = g_strdup ("519604");
  receipt->status = PD_RECEIPT_STATUS_APPROVED;
  receipt->confirmation = g_strdup ("CNF-H3RW8TZC");
  return receipt;
}

/* The issuer said no: no authorization code, no confirmation, and the core's reason. */
static PdReceipt *
fixture_card_declined (void)
{
  PdReceipt *receipt = receipt_card_visa_chip ();

  set_string (&receipt->reference, "K-07-2D9F4C8A1E6B3F7D");
  set_string (&receipt->tvr, "8000048000");
  g_clear_pointer (&receipt->auth_code, g_free);
  g_clear_pointer (&receipt->confirmation, g_free);
  receipt->status = PD_RECEIPT_STATUS_DECLINED;
  receipt->reason = g_strdup ("insufficient_funds");
  return receipt;
}

/* Voided the same day by an associate: the approval stays on record, the confirmation too. */
static PdReceipt *
fixture_card_voided (void)
{
  PdReceipt *receipt = receipt_card_visa_chip ();

  set_string (&receipt->brand, "discover");
  set_string (&receipt->last4, "0117");
  set_string (&receipt->aid, "A0000001523010");
  set_string (&receipt->app_label, "DISCOVER");
  set_string (&receipt->reference, "K-07-8A3C6E1F9B2D4A7C");
  set_string (&receipt->auth_code, "730158");
  set_string (&receipt->confirmation, "CNF-9PNX4D6K");
  receipt->status = PD_RECEIPT_STATUS_VOIDED;
  g_clear_pointer (&receipt->status_at, g_date_time_unref);
  receipt->status_at = new_york_time (2026, 11, 14, 15, 5);
  return receipt;
}

/* Refunded a day later: the core names the refund as the training core does (REF-PAY-n). */
static PdReceipt *
fixture_card_refunded (void)
{
  PdReceipt *receipt = receipt_card_visa_chip ();

  set_string (&receipt->reference, "K-07-E7B1A9C3D5F2E8B4");
  set_string (&receipt->confirmation, "REF-PAY-000318");
  receipt->status = PD_RECEIPT_STATUS_REFUNDED;
  g_clear_pointer (&receipt->status_at, g_date_time_unref);
  receipt->status_at = new_york_time (2026, 11, 15, 9, 12);
  return receipt;
}

/* A personal check with its serial, converted to an ACH debit here and handed back (NACHA
 * POP): the member keeps the authorization they accepted, by version. */
static PdReceipt *
fixture_check_accepted_pop (void)
{
  PdReceipt *receipt = receipt_new_base ();

  set_string (&receipt->reference, "K-07-4C2E8B6A1F3D9E5C");
  receipt->tender = PD_TENDER_CHECK;
  receipt->last4 = g_strdup ("4321");
  receipt->routing_number = g_strdup ("021000021");
  receipt->check_serial = g_strdup ("1042");
  receipt->check_authorization = g_strdup ("POP");
  receipt->authorization_text = g_strdup ("pop-2026-01");
  receipt->status = PD_RECEIPT_STATUS_ACCEPTED;
  receipt->confirmation = g_strdup ("CNF-5TG7VJ2Q");
  return receipt;
}

/* A check over the POP limit goes as images (Check 21): no conversion, no authorization.
 * Wei Chen's Medicare Supplement premium. */
static PdReceipt *
fixture_check_accepted_check21 (void)
{
  PdReceipt *receipt = receipt_new_base ();

  set_string (&receipt->reference, "K-07-9E5A3C7B2D8F1A6E");
  set_string (&receipt->member_name, "WEI CHEN");
  set_string (&receipt->account_last4, "0401");
  receipt->line_of_business = PD_LINE_OF_BUSINESS_MEDICARE_SUPPLEMENT;
  set_string (&receipt->invoice_number, "MSP2026110101");
  receipt->amount = 21900;

  receipt->tender = PD_TENDER_CHECK;
  receipt->last4 = g_strdup ("8812");
  receipt->routing_number = g_strdup ("011000015");
  receipt->check_serial = g_strdup ("3307");
  receipt->check_authorization = g_strdup ("CHECK21");
  receipt->status = PD_RECEIPT_STATUS_ACCEPTED;
  receipt->confirmation = g_strdup ("CNF-Z8M3KQ6W");
  return receipt;
}

/* Bank details typed at the kiosk (NACHA PPD), with the authorization the member accepted. */
static PdReceipt *
receipt_bank_checking (void)
{
  PdReceipt *receipt = receipt_new_base ();

  set_string (&receipt->reference, "K-07-1B7D3F9A5C2E8B4D");
  receipt->tender = PD_TENDER_BANK;
  receipt->last4 = g_strdup ("4321");
  receipt->routing_number = g_strdup ("021000021");
  receipt->account_type = g_strdup ("checking");
  receipt->holder_name = g_strdup ("Maria L Gonzalez");
  receipt->authorization_text = g_strdup ("ppd-2026-01");
  receipt->status = PD_RECEIPT_STATUS_ACCEPTED;
  receipt->confirmation = g_strdup ("CNF-R6YB2N8H");
  return receipt;
}

static PdReceipt *
fixture_bank_accepted (void)
{
  return receipt_bank_checking ();
}

/* Kept in the outbox while the core is away: no confirmation yet, so the QR code carries
 * the terminal's reference. */
static PdReceipt *
fixture_bank_pending (void)
{
  PdReceipt *receipt = receipt_bank_checking ();

  set_string (&receipt->reference, "K-07-3F8B2E6D9A1C5E7B");
  g_clear_pointer (&receipt->confirmation, g_free);
  receipt->status = PD_RECEIPT_STATUS_PENDING;
  return receipt;
}

/* Failed before anything was taken: no confirmation, and no authorization to keep. */
static PdReceipt *
fixture_bank_not_charged (void)
{
  PdReceipt *receipt = receipt_bank_checking ();

  set_string (&receipt->reference, "K-07-7C4A1E9D3B6F2A8E");
  set_string (&receipt->account_type, "savings");
  g_clear_pointer (&receipt->confirmation, g_free);
  receipt->status = PD_RECEIPT_STATUS_NOT_CHARGED;
  return receipt;
}

/* A training terminal, as pd-config.c sets one up: marked at the top and the bottom. */
static PdReceipt *
fixture_training (void)
{
  static const char * const address[] = { "100 Example Street", "New York, NY 10001", NULL };
  PdReceipt *receipt = receipt_card_visa_chip ();

  receipt->training = TRUE;
  set_string (&receipt->center_name, "Paydesk Training Center");
  g_strfreev (receipt->center_address);
  receipt->center_address = g_strdupv ((GStrv) address);
  set_string (&receipt->center_phone, "(212) 555-0100");
  set_string (&receipt->terminal_id, "TRAIN-01");
  set_string (&receipt->reference, "TRAIN-01-5D2A8C4E7B1F3D9A");
  set_string (&receipt->confirmation, "CNF-TW4X7L3B");
  return receipt;
}

/* The first receipt printed again. */
static PdReceipt *
fixture_duplicate (void)
{
  PdReceipt *receipt = receipt_card_visa_chip ();

  receipt->copy_number = 1;
  return receipt;
}

/* José Ramírez chose Spanish: the receipt is laid out from the build tree's es catalog, with
 * the authorization he accepted in Spanish too. */
static PdReceipt *
fixture_spanish (void)
{
  PdReceipt *receipt = receipt_bank_checking ();

  set_string (&receipt->reference, "K-07-A2C6E8B4D1F7A3C9");
  set_string (&receipt->member_name, "JOSÉ A RAMÍREZ");
  set_string (&receipt->account_last4, "0116");
  set_string (&receipt->invoice_number, "ESP2026121020");
  receipt->amount = 2000;
  set_string (&receipt->last4, "5530");
  set_string (&receipt->holder_name, "José A Ramírez");
  set_string (&receipt->confirmation, "CNF-E4J9S2UF");
  set_string (&receipt->language, "es");
  return receipt;
}

/* The member's signature drawn on the screen under the authorization (NACHA): "M Gonzalez",
 * as the signature pad would have recorded it. */
static const char signature_text[] =
  "strokes-v1 600 200;28,150 33,142 40,128 43,120 45,110 47,99 50,89 52,80 55,69 57,57"
  " 60,47 62,42 66,46 70,60 72,69 75,80 77,93 79,104 82,112 90,120 94,112 98,96 101,88"
  " 104,77 107,66 110,56 113,48 121,40 122,47 124,58 125,70 125,79 126,89 126,99"
  " 127,109 128,118 130,131 133,143 135,150 146,138;232,58 225,52 214,46 202,45 190,48"
  " 183,53 177,61 172,70 169,81 166,93 166,104 167,115 171,125 176,134 187,143 200,146"
  " 213,142 224,134 230,123 232,112 221,106 207,108 223,112 236,118 246,106 258,100"
  " 268,110 262,126 248,126 246,112 260,104 276,110 284,126 286,117 288,106 298,100"
  " 306,112 308,128 310,121 313,110 323,100 332,108 334,120 335,128 338,118 342,104"
  " 354,100 362,102 358,109 350,119 346,126 355,128 366,126 374,122 385,113 392,104"
  " 378,108 374,122 384,128 396,116 398,104 399,114 400,126 410,128 415,122 420,110"
  " 423,102 427,91 430,80 432,70 435,58 436,48 436,40 428,36 425,45 422,60 422,70"
  " 423,82 423,94 424,104 426,119 430,128 442,124 454,114 464,106 458,98 448,106"
  " 447,115 450,124 464,128 477,120 482,111 488,104 499,100 508,102 504,108 496,117"
  " 492,124 508,126 512,140 510,149 507,160 504,168 490,176 481,164 488,155 499,146"
  " 509,139 519,133 530,128 539,123 549,120 555,118;150,172 156,172 164,171 173,170"
  " 184,169 196,168 208,167 220,166 228,165 236,165 245,164 254,164 264,163 273,163"
  " 282,162 292,162 302,161 311,161 320,160 329,159 338,159 347,159 357,159 366,158"
  " 375,158 384,158 393,157 402,157 411,156 420,156 430,156 439,155 449,155 458,154"
  " 468,153 478,153 487,152 496,151 504,151 513,150 520,150 534,149 546,148 555,147"
  " 564,146 570,146";

static PdSignature *
new_signature (void)
{
  g_autoptr(GError) error = NULL;
  PdSignature *signature = pd_signature_new_from_text (signature_text, &error);

  g_assert_no_error (error);
  g_assert_false (pd_signature_is_blank (signature));
  return signature;
}

/* Signed on the kiosk's screen: the strokes (a raster in the print job) and who signed. */
static PdReceipt *
fixture_bank_accepted_signed (void)
{
  PdReceipt *receipt = receipt_bank_checking ();

  receipt->signature = new_signature ();
  return receipt;
}

/* The converted check's authorization, signed on the screen: the member's name, as there is
 * no account holder's. */
static PdReceipt *
fixture_check_pop_signed (void)
{
  PdReceipt *receipt = fixture_check_accepted_pop ();

  receipt->signature = new_signature ();
  return receipt;
}

/* At the counter, nothing signed on the screen: a line to sign the paper with a pen. */
static PdReceipt *
fixture_bank_accepted_counter (void)
{
  PdReceipt *receipt = receipt_bank_checking ();

  receipt->mode = PD_TERMINAL_MODE_COUNTER;
  set_string (&receipt->terminal_id, "C-02");
  receipt->operator_id = g_strdup ("A-117");
  set_string (&receipt->reference, "C-02-5E9B3D7F1A4C8E2B");
  return receipt;
}

static const GoldenCase golden_cases[] = {
  { "card-approved-chip", fixture_card_approved_chip, TRUE },
  { "card-approved-contactless-counter", fixture_card_approved_contactless_counter, TRUE },
  { "card-declined", fixture_card_declined, TRUE },
  { "card-voided", fixture_card_voided, TRUE },
  { "card-refunded", fixture_card_refunded, TRUE },
  { "check-accepted-pop", fixture_check_accepted_pop, TRUE },
  { "check-accepted-check21", fixture_check_accepted_check21, TRUE },
  { "bank-accepted", fixture_bank_accepted, TRUE },
  { "bank-pending", fixture_bank_pending, TRUE },
  { "bank-not-charged", fixture_bank_not_charged, TRUE },
  { "bank-accepted-signed", fixture_bank_accepted_signed, TRUE },
  { "check-pop-signed", fixture_check_pop_signed, TRUE },
  { "bank-accepted-counter", fixture_bank_accepted_counter, TRUE },
  { "training", fixture_training, TRUE },
  { "duplicate", fixture_duplicate, TRUE },
  { "spanish-bank-accepted", fixture_spanish, TRUE },
};

/* The masking property. */

/* The values a receipt may print whole, digits and all: public identifiers (the invoice, the
 * bank's routing number, the EMV application and its results), the codes the issuer, core
 * or terminal made up for this payment, and the center's address. Each is an exact value,
 * never a pattern: a card, plan or bank account number matches none of them, however long. */
static GPtrArray *
allowed_values (PdReceipt *receipt)
{
  const char *values[] = {
    receipt->invoice_number, receipt->routing_number, receipt->aid, receipt->tvr,
    receipt->tsi, receipt->auth_code, receipt->confirmation, receipt->reference,
  };
  GPtrArray *allowed = g_ptr_array_new_with_free_func (g_free);

  for (gsize i = 0; i < G_N_ELEMENTS (values); i++)
    if (values[i] != NULL)
      g_ptr_array_add (allowed, g_strdup (values[i]));
  for (guint i = 0; receipt->center_address != NULL && receipt->center_address[i] != NULL; i++)
    g_ptr_array_add (allowed, g_strdup (receipt->center_address[i]));
  return allowed;
}

/* Whether one occurrence of value covers the whole run [start, end): a run merely touching
 * an allowed value, or an allowed value inside a longer run (a PAN holding a ZIP code), is
 * not covered. */
static gboolean
run_is_covered (const guint8 *data,
                gsize         length,
                gsize         start,
                gsize         end,
                const char   *value)
{
  gsize value_length = strlen (value);
  gsize first;

  if (value_length < end - start)
    return FALSE;
  first = end > value_length ? end - value_length : 0;
  for (gsize at = first; at <= start && at + value_length <= length; at++)
    if (memcmp (data + at, value, value_length) == 0)
      return TRUE;
  return FALSE;
}

/* The first run of five or more ASCII digits in data that no allowed value covers, as a
 * message, or NULL. Works on the print job's bytes too: digits are ASCII in every code page
 * the printers use, and the QR payload is sent as it is. */
static char *
find_unmasked_run (const guint8 *data,
                   gsize         length,
                   GPtrArray    *allowed)
{
  gsize i = 0;

  while (i < length)
    {
      gsize start = i;
      gboolean covered = FALSE;

      if (!g_ascii_isdigit (data[i]))
        {
          i++;
          continue;
        }
      while (i < length && g_ascii_isdigit (data[i]))
        i++;
      if (i - start < 5)
        continue;
      for (guint k = 0; k < allowed->len && !covered; k++)
        covered = run_is_covered (data, length, start, i, g_ptr_array_index (allowed, k));
      if (!covered)
        return g_strdup_printf ("%.*s (%zu digits at byte %zu)", (int) (i - start),
                                (const char *) data + start, i - start, start);
    }
  return NULL;
}

static void
assert_masked (PdReceipt  *receipt,
               const char *what,
               GBytes     *rendered)
{
  g_autoptr(GPtrArray) allowed = allowed_values (receipt);
  gsize length;
  const guint8 *data = g_bytes_get_data (rendered, &length);
  g_autofree char *leak = find_unmasked_run (data, length, allowed);

  if (leak != NULL)
    g_test_fail_printf ("%s: five or more digits in a row that no allowed value covers: %s",
                        what, leak);
}

/* FACTA: a receipt never shows the card's expiry. */
static void
assert_no_expiry (const char *text)
{
  g_assert_null (strstr (text, "Expir"));
  g_assert_null (strstr (text, "expir"));
  g_assert_null (strstr (text, "Venc"));
  g_assert_null (strstr (text, "venc"));
}

/* Goldens. */

static gboolean
updating_goldens (void)
{
  return g_strcmp0 (g_getenv ("PAYDESK_UPDATE_GOLDEN"), "1") == 0;
}

/* One line of a golden, bytes a log can show: printable ASCII as it is, the rest escaped. */
static char *
printable_line (const guint8 *line,
                gsize         length)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (gsize i = 0; i < length; i++)
    {
      if (line[i] >= 0x20 && line[i] < 0x7f && line[i] != '\\')
        g_string_append_c (out, (char) line[i]);
      else
        g_string_append_printf (out, "\\x%02x", line[i]);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The bytes split at newlines, each line without its newline. */
static GPtrArray *
split_lines (GBytes *bytes)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  gsize length;
  const guint8 *data = g_bytes_get_data (bytes, &length);
  gsize start = 0;

  for (gsize i = 0; i <= length; i++)
    if (i == length || data[i] == '\n')
      {
        if (i < length || start < length)
          g_ptr_array_add (lines, g_bytes_new_from_bytes (bytes, start, i - start));
        start = i + 1;
      }
  return lines;
}

static char *
printable_bytes (GBytes *line)
{
  gsize length;
  const guint8 *data = g_bytes_get_data (line, &length);

  return printable_line (data, length);
}

/* A small unified diff at the first line that differs, with a little context before it: the
 * whole file would drown the log, and the first difference is usually the cause. */
static void
report_difference (const char *path,
                   GBytes     *expected,
                   GBytes     *actual)
{
  g_autoptr(GPtrArray) expected_lines = split_lines (expected);
  g_autoptr(GPtrArray) actual_lines = split_lines (actual);
  g_autoptr(GString) diff = g_string_new (NULL);
  guint first = 0;

  while (first < expected_lines->len && first < actual_lines->len &&
         g_bytes_equal (g_ptr_array_index (expected_lines, first),
                        g_ptr_array_index (actual_lines, first)))
    first++;

  g_string_append_printf (diff, "--- %s (expected, %zu bytes)\n+++ actual (%zu bytes)\n",
                          path, g_bytes_get_size (expected), g_bytes_get_size (actual));
  g_string_append_printf (diff, "@@ first difference at line %u @@\n", first + 1);
  for (guint i = first > DIFF_CONTEXT_LINES ? first - DIFF_CONTEXT_LINES : 0; i < first; i++)
    {
      g_autofree char *line = printable_bytes (g_ptr_array_index (expected_lines, i));

      g_string_append_printf (diff, " %s\n", line);
    }
  if (first < expected_lines->len)
    {
      g_autofree char *line = printable_bytes (g_ptr_array_index (expected_lines, first));

      g_string_append_printf (diff, "-%s\n", line);
    }
  else
    g_string_append (diff, "-(end of file)\n");
  if (first < actual_lines->len)
    {
      g_autofree char *line = printable_bytes (g_ptr_array_index (actual_lines, first));

      g_string_append_printf (diff, "+%s\n", line);
    }
  else
    g_string_append (diff, "+(end of output)\n");

  g_test_message ("%s", diff->str);
}

/* Compares actual with tests/receipts/receipt-golden/<case>.<extension>, or writes it there when
 * PAYDESK_UPDATE_GOLDEN=1. */
static void
assert_golden (const char *case_name,
               const char *extension,
               GBytes     *actual)
{
  g_autofree char *file_name = g_strconcat (case_name, ".", extension, NULL);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, GOLDEN_FOLDER, file_name, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) expected = NULL;
  gsize length = 0;

  if (updating_goldens ())
    {
      g_file_set_contents (path, g_bytes_get_data (actual, NULL), g_bytes_get_size (actual),
                           &error);
      g_assert_no_error (error);
      /* Nothing was compared: not a pass. */
      g_test_skip_printf ("PAYDESK_UPDATE_GOLDEN=1: wrote %s; review it before committing",
                          path);
      return;
    }

  if (!g_file_get_contents (path, &contents, &length, &error))
    {
      g_test_fail_printf ("%s: %s (update-receipt-goldens writes it)", path, error->message);
      return;
    }
  expected = g_bytes_new_take (g_steal_pointer (&contents), length);
  if (!g_bytes_equal (expected, actual))
    {
      report_difference (path, expected, actual);
      g_test_fail_printf ("%s differs from what the receipt renders now; if the change is "
                          "meant, run “meson compile -C _build update-receipt-goldens” and review the diff",
                          path);
    }
}

static PdPrinterProfile *
load_tm_t88 (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("PAYDESK_PRINTER_PROFILES"),
                                            "epson-tm-t88.conf", NULL);
  g_autoptr(GError) error = NULL;
  PdPrinterProfile *profile = pd_printer_profile_load (path, &error);

  g_assert_no_error (error);
  return profile;
}

static void
check_text (const GoldenCase *golden,
            PdReceipt        *receipt,
            PdReceiptLayout  *layout)
{
  char *text = pd_receipt_render_text (layout, TEXT_COLUMNS);
  g_autoptr(GBytes) bytes = g_bytes_new_take (text, strlen (text));

  g_test_message ("%s", text);
  assert_no_expiry (text);
  assert_masked (receipt, "plain text", bytes);
  assert_golden (golden->name, "txt", bytes);
}

/* The QR code carries the confirmation, or the terminal's reference while there is none (a
 * pending payment): what an associate scans to find the payment. In the job it is the
 * printer's own, stored with GS ( k cn=49 fn=80 m=48 ("1P0") followed by the payload. */
static void
assert_qr_payload (PdReceipt       *receipt,
                   PdReceiptLayout *layout,
                   GBytes          *job)
{
  const char *expected = receipt->confirmation != NULL ? receipt->confirmation
                                                       : receipt->reference;
  g_autofree char *stored = g_strconcat ("1P0", expected, NULL);
  const char *payload = NULL;
  gsize length;
  const guint8 *data = g_bytes_get_data (job, &length);

  for (guint i = 0; i < layout->lines->len; i++)
    {
      const PdReceiptLine *line = g_ptr_array_index (layout->lines, i);

      if (line->kind == PD_RECEIPT_LINE_QR)
        {
          g_assert_null (payload);
          payload = line->text;
        }
    }
  g_assert_cmpstr (payload, ==, expected);
  g_assert_nonnull (memmem (data, length, stored, strlen (stored)));
}

static void
check_escpos (const GoldenCase *golden,
              PdReceipt        *receipt,
              PdReceiptLayout  *layout)
{
  g_autoptr(PdPrinterProfile) profile = load_tm_t88 ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) job = pd_receipt_render_escpos (layout, profile, &error);
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  assert_qr_payload (receipt, layout, job);
  /* As text for strstr: the job's NULs end it early, which only makes the check weaker for
   * what follows them; the masking check reads every byte. */
  text = g_strndup (g_bytes_get_data (job, NULL), g_bytes_get_size (job));
  assert_no_expiry (text);
  assert_masked (receipt, "ESC/POS job", job);
  assert_golden (golden->name, "escpos", job);
}

static void
test_golden (gconstpointer data)
{
  const GoldenCase *golden = data;
  g_autoptr(PdReceipt) receipt = golden->make ();
  g_autoptr(PdReceiptLayout) layout = pd_receipt_layout_new (receipt, NULL);

  /* A language without its catalog comes out in English: say so rather than diff it. */
  g_assert_cmpstr (layout->language, ==, receipt->language);
  check_text (golden, receipt, layout);
  if (golden->escpos)
    check_escpos (golden, receipt, layout);
}

/* The masking check itself finds what it is for: a full card number or plan account in a
 * rendering, and a number that merely holds an allowed value. */
static void
test_masking_check_catches_leaks (void)
{
  g_autoptr(PdReceipt) receipt = receipt_card_visa_chip ();
  g_autoptr(PdReceiptLayout) layout = NULL;
  g_autoptr(PdPrinterProfile) profile = load_tm_t88 ();
  g_autoptr(GPtrArray) allowed = NULL;
  g_autoptr(GBytes) job = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_leak = NULL;
  g_autofree char *job_leak = NULL;
  g_autofree char *inner_leak = NULL;
  const char *holds_zip = "Card 4000100070001234";

  /* As if the model had kept whole numbers instead of last fours. */
  set_string (&receipt->last4, PD_TEST_PAN_EMV_VISA);
  set_string (&receipt->account_last4, "400123456789");
  allowed = allowed_values (receipt);
  layout = pd_receipt_layout_new (receipt, NULL);
  text = pd_receipt_render_text (layout, TEXT_COLUMNS);
  text_leak = find_unmasked_run ((const guint8 *) text, strlen (text), allowed);
  g_assert_nonnull (text_leak);
  g_assert_true (g_str_has_prefix (text_leak, "400123456789") ||
                 g_str_has_prefix (text_leak, PD_TEST_PAN_EMV_VISA));

  job = pd_receipt_render_escpos (layout, profile, &error);
  g_assert_no_error (error);
  job_leak = find_unmasked_run (g_bytes_get_data (job, NULL), g_bytes_get_size (job), allowed);
  g_assert_nonnull (job_leak);

  /* The center's ZIP code is allowed; a longer number holding it is not. */
  inner_leak = find_unmasked_run ((const guint8 *) holds_zip, strlen (holds_zip), allowed);
  g_assert_cmpstr (inner_leak, ==, "4000100070001234 (16 digits at byte 5)");
}

int
main (int    argc,
      char **argv)
{
  pd_test_init (&argc, &argv);

  for (gsize i = 0; i < G_N_ELEMENTS (golden_cases); i++)
    {
      g_autofree char *path = g_strconcat ("/receipt-golden/", golden_cases[i].name, NULL);

      g_test_add_data_func (path, &golden_cases[i], test_golden);
    }
  g_test_add_func ("/receipt-golden/masking-check-catches-leaks",
                   test_masking_check_catches_leaks);

  return g_test_run ();
}
