#include "config.h"

#include <cairo.h>
#include <poppler.h>

#include "pd-escpos-reader.h"
#include "pd-payment-service.h"
#include "pd-printer-profile.h"
#include "pd-receipt-cairo.h"
#include "pd-receipt-catalog.h"
#include "pd-receipt-escpos.h"
#include "pd-receipt-layout.h"
#include "pd-receipt-text.h"
#include "pd-receipt.h"
#include "pd-seal.h"
#include "pd-test-common.h"
#include "pd-test-png.h"
#include "pd-test-core.h"
#include "pd-test-service.h"

/* The receipt from the real journal of payments the real training core answered, rendered
 * every way and read back: text, ESC/POS through the reader, PNG through zbar, PDF through
 * poppler. */

#define PLAN_ACCOUNT "400123456789"
#define ROUTING "021000021"

static const PdPaymentParties associate = { "A-117", NULL };
#define BANK_ACCOUNT "000987654321"
#define CARD_PAN "1234567890123456"
#define TEXT_COLUMNS 42

typedef struct {
  PdTestDir tmp;
  PdTestCore *core;
  PdConfig *config;
  PdJournal *journal;
  PdCoreClient *client;
  PdPaymentService *service;
} Fixture;

/* The same terminal again (the configuration rewritten, the journal reopened). */
static void
connect_service (Fixture    *fixture,
                 const char *url)
{
  g_autoptr(PdTestService) terminal = pd_test_service_new (fixture->tmp.dir, url, NULL);

  g_clear_object (&fixture->service);
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->journal);
  g_clear_object (&fixture->config);
  fixture->config = g_object_ref (terminal->config);
  fixture->journal = g_object_ref (terminal->journal);
  fixture->client = g_object_ref (terminal->client);
  fixture->service = g_object_ref (terminal->service);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  pd_test_dir_set_up (&fixture->tmp, data);
  fixture->core = pd_test_core_start (fixture->tmp.dir, 0, NULL);
  connect_service (fixture, fixture->core->url);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->service);
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->journal);
  g_clear_object (&fixture->config);
  g_clear_pointer (&fixture->core, pd_test_core_free);
  pd_test_dir_tear_down (&fixture->tmp, data);
}

static PdAccount *
get_account (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  PdAccount *account = pd_payment_service_get_account (fixture->service, PLAN_ACCOUNT, NULL,
                                                       &error);

  g_assert_no_error (error);
  return account;
}

static PdPayment *
pay_bank_for (Fixture    *fixture,
              PdAccount  *account,
              const char *bank_account,
              PdCents     amount)
{
  g_autoptr(PdBankAccount) bank = pd_bank_account_new (ROUTING, bank_account, "savings",
                                                       "Maria L Gonzalez", NULL);
  g_autoptr(GError) error = NULL;
  PdPayment *payment;

  g_assert_nonnull (bank);
  payment = pd_payment_service_pay_bank (fixture->service, account,
                                         pd_account_find_invoice (account, "INV2026110042"),
                                         amount, bank, &associate, NULL, &error);
  g_assert_no_error (error);
  return payment;
}

static PdPayment *
pay_bank (Fixture    *fixture,
          const char *bank_account,
          PdCents     amount)
{
  g_autoptr(PdAccount) account = get_account (fixture);

  return pay_bank_for (fixture, account, bank_account, amount);
}

/* The public Visa CVN 10 vector: the training core checks its cryptogram. TVR 8000048000. */
#define VECTOR_ICC_DATA(arqc) \
  "9F0206000000004000" "9F0306000000000000" "9F1A020124" "95058000048000" "5F2A020124" \
  "9A03191105" "9C0101" "9F370452BF4585" "82021800" "9F3602001C" "5F340100" \
  "9F10070601" "0A03A06010" "9F2608" arqc

static PdPayment *
pay_card (Fixture    *fixture,
          const char *arqc_icc_data)
{
  g_autoptr(PdAccount) account = get_account (fixture);
  g_autofree char *sealed = pd_seal (pd_config_get_core_public_key (fixture->config),
                                     "{\"pan\":\"" CARD_PAN "\"}", NULL);
  PdCardTender card = {
    .entry_mode = "chip", .aid = "A0000000031010", .app_label = "VISA CREDIT",
    .brand = "visa", .pan_last4 = "3456", .icc_data = arqc_icc_data, .sealed = sealed,
  };
  g_autoptr(GError) error = NULL;
  PdPayment *payment;

  payment = pd_payment_service_authorize_card (fixture->service, account, NULL, 4000, &card,
                                               &associate, NULL, NULL, &error);
  g_assert_no_error (error);
  return payment;
}

static PdPayment *
pay_check (Fixture *fixture)
{
  g_autoptr(PdAccount) account = get_account (fixture);
  g_autofree char *sealed = pd_seal (pd_config_get_core_public_key (fixture->config),
                                     "{\"account_number\":\"" BANK_ACCOUNT "\"}", NULL);
  PdCheckTender check = {
    .routing_number = ROUTING, .serial = "1042", .account_last4 = "4321",
    .has_images = FALSE, .images_missing_reason = "no imager", .sealed = sealed,
  };
  g_autoptr(GError) error = NULL;
  PdPayment *payment;

  payment = pd_payment_service_pay_check (fixture->service, account, NULL, 7500, &check,
                                          &associate, NULL, &error);
  g_assert_no_error (error);
  return payment;
}

static PdReceipt *
receipt_for (Fixture   *fixture,
             PdPayment *payment)
{
  g_autoptr(GError) error = NULL;
  PdReceipt *receipt = pd_receipt_new_from_journal (fixture->journal, fixture->config,
                                                    pd_payment_get_id (payment), &error);

  g_assert_no_error (error);
  return receipt;
}

static char *
text_of (PdReceipt  *receipt,
         const char *language)
{
  g_autoptr(PdReceiptLayout) layout = pd_receipt_layout_new (receipt, language);

  return pd_receipt_render_text (layout, TEXT_COLUMNS);
}

/* A label and its value on one line of the text receipt, however far apart, or the value
 * at the end of the next line. */
static void
assert_field (const char *text,
              const char *label,
              const char *value)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (!g_str_has_prefix (lines[i], label))
        continue;
      if (g_str_has_suffix (lines[i], value) && lines[i][strlen (label)] == ' ')
        return;
      /* Too long for one line: the value at the end of the next. */
      if (lines[i][strlen (label)] == '\0' && lines[i + 1] != NULL &&
          g_str_has_suffix (lines[i + 1], value) && lines[i + 1][0] == ' ')
        return;
    }
  g_test_message ("%s", text);
  g_error ("no line “%s … %s” in the receipt", label, value);
}

/* The text with its wrapping undone, to find sentences. */
static char *
unwrap (const char *text)
{
  g_auto(GStrv) words = g_strsplit_set (text, " \n", -1);
  g_autoptr(GString) flat = g_string_new (NULL);

  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0')
      g_string_append_printf (flat, "%s%s", flat->len > 0 ? " " : "", words[i]);
  return g_string_free (g_steal_pointer (&flat), FALSE);
}

/* Never more than four digits of number, in a row, anywhere in rendered. */
static void
assert_masked (const char *rendered,
               const char *number)
{
  gsize length = strlen (number);

  for (gsize i = 0; i + 5 <= length; i++)
    {
      g_autofree char *piece = g_strndup (number + i, 5);

      if (strstr (rendered, piece) != NULL)
        g_error ("“%s” (five digits of %zu-digit number) in: %s", piece, length, rendered);
    }
}

/* The rendering without the values a receipt prints whole (the payment's reference and
 * confirmation, the invoice, the routing number), which may hold five digits of a random
 * number by chance. */
static char *
without_whole_values (const char *rendered,
                      PdPayment  *payment)
{
  const char *whole[] = { pd_payment_get_client_ref (payment),
                          pd_payment_get_confirmation (payment), "INV2026110042", ROUTING };
  g_autoptr(GString) text = g_string_new (rendered);

  for (gsize i = 0; i < G_N_ELEMENTS (whole); i++)
    if (whole[i] != NULL)
      g_string_replace (text, whole[i], "#", 0);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The TRAINING mark comes from the payment, not from the configuration of the day: a training
 * payment's receipt made where a production configuration is loaded still says it is no
 * payment. */
static void
test_training_mark_from_payment (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(PdPayment) payment = pay_bank (fixture, BANK_ACCOUNT, 7500);
  g_autofree char *production_path = pd_test_sample_config_with_key (fixture->tmp.dir);
  g_autoptr(PdConfig) production = NULL;
  g_autoptr(PdReceipt) receipt = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  production = pd_config_load_file (production_path, &error);
  g_assert_no_error (error);
  g_assert_false (pd_config_get_training (production));
  g_assert_true (pd_payment_get_training (payment));

  receipt = pd_receipt_new_from_journal (fixture->journal, production,
                                         pd_payment_get_id (payment), &error);
  g_assert_no_error (error);
  text = text_of (receipt, "en");
  g_assert_nonnull (strstr (text, "*** TRAINING — NOT A PAYMENT ***"));
}

static void
test_bank_accepted (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *unwrapped_text = NULL;
  g_autoptr(PdPayment) payment = pay_bank (fixture, BANK_ACCOUNT, 7500);
  g_autoptr(PdReceipt) receipt = receipt_for (fixture, payment);
  g_autofree char *text = text_of (receipt, "en");

  g_test_message ("%s", text);
  unwrapped_text = unwrap (text);
  g_assert_cmpint (pd_receipt_get_status (receipt), ==, PD_RECEIPT_STATUS_ACCEPTED);
  g_assert_nonnull (strstr (text, "*** TRAINING — NOT A PAYMENT ***"));
  g_assert_null (strstr (text, "DUPLICATE"));
  g_assert_nonnull (strstr (text, "Paydesk Training Center"));
  g_assert_nonnull (strstr (text, "125 Example Avenue, Suite 200"));
  assert_field (text, "Associate", "A-117");
  assert_field (text, "Member", "MARIA L GONZALEZ");
  assert_field (text, "Account", "****6789");
  assert_field (text, "Plan", "Essential Plan");
  assert_field (text, "Invoice", "INV2026110042");
  assert_field (text, "Amount", "$75.00");
  assert_field (text, "Paid by", "Bank account (ACH)");
  assert_field (text, "Bank account", "****4321");
  assert_field (text, "Account type", "Savings");
  assert_field (text, "Routing number", ROUTING);
  assert_field (text, "Confirmation number", pd_payment_get_confirmation (payment));
  assert_field (text, "Payment reference", pd_payment_get_client_ref (payment));
  g_assert_nonnull (strstr (text, "ACCEPTED"));
  /* NACHA: the member keeps the authorization they accepted, by version. */
  g_assert_nonnull (strstr (unwrapped_text, "I authorize my health plan to make one"));
  assert_field (text, "Authorization version", PD_BANK_AUTHORIZATION_VERSION);
  g_assert_nonnull (strstr (unwrapped_text, "Accepted by Maria L Gonzalez at terminal TRAIN-01"));
  g_assert_nonnull (strstr (unwrapped_text, "Please allow 2 business days"));
  g_assert_nonnull (strstr (unwrapped_text, "does not guarantee coverage"));
  g_assert_nonnull (strstr (unwrapped_text, "several accounts"));
  g_assert_nonnull (strstr (unwrapped_text, "Recurring payments"));
  g_assert_nonnull (strstr (unwrapped_text, "1-800-555-0199 (TTY 711)"));
  assert_masked (text, BANK_ACCOUNT);
  assert_masked (text, PLAN_ACCOUNT);
}

static void
test_card_approved_and_declined (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autofree char *unwrapped_declined = NULL;
  g_autofree char *unwrapped_text = NULL;
  g_autoptr(PdPayment) approved = pay_card (fixture, VECTOR_ICC_DATA ("29CCA15AE665FA2E"));
  g_autoptr(PdPayment) forged = pay_card (fixture, VECTOR_ICC_DATA ("29CCA15AE665FA2F"));
  g_autoptr(PdReceipt) approved_receipt = receipt_for (fixture, approved);
  g_autoptr(PdReceipt) declined_receipt = receipt_for (fixture, forged);
  g_autofree char *text = text_of (approved_receipt, "en");
  g_autofree char *declined = text_of (declined_receipt, "en");
  g_autofree char *auth_code = pd_journal_get_fact (fixture->journal, pd_payment_get_id (approved),
                                                    PD_PAYMENT_FACT_AUTH_CODE, NULL);

  g_test_message ("%s", text);
  unwrapped_text = unwrap (text);
  unwrapped_declined = unwrap (declined);
  g_assert_cmpint (pd_receipt_get_status (approved_receipt), ==, PD_RECEIPT_STATUS_APPROVED);
  assert_field (text, "Card", "Visa ****3456");
  assert_field (text, "Entry", "Chip");
  assert_field (text, "Application", "VISA CREDIT");
  assert_field (text, "AID", "A0000000031010");
  assert_field (text, "TVR", "8000048000");
  g_assert_nonnull (auth_code);
  g_assert_cmpuint (strlen (auth_code), ==, 6);
  assert_field (text, "Authorization code", auth_code);
  g_assert_nonnull (strstr (text, "APPROVED"));
  /* FACTA: no expiry date, never the card number. */
  g_assert_null (strstr (text, "Expir"));
  assert_masked (text, CARD_PAN);
  g_assert_null (strstr (text, "Your authorization"));

  g_test_message ("%s", declined);
  g_assert_cmpint (pd_receipt_get_status (declined_receipt), ==, PD_RECEIPT_STATUS_DECLINED);
  g_assert_nonnull (strstr (declined, "DECLINED"));
  g_assert_nonnull (strstr (unwrapped_declined, "No money was taken."));
  g_assert_null (strstr (unwrapped_declined, "Please allow 2 business days"));
  g_assert_nonnull (strstr (unwrapped_declined, "(TTY 711)"));
}

static void
test_check_converted (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *unwrapped_text = NULL;
  g_autoptr(PdPayment) payment = pay_check (fixture);
  g_autoptr(PdReceipt) receipt = receipt_for (fixture, payment);
  g_autofree char *text = text_of (receipt, "en");

  g_test_message ("%s", text);
  unwrapped_text = unwrap (text);
  assert_field (text, "Paid by", "Check");
  assert_field (text, "Check number", "1042");
  assert_field (text, "Routing number", ROUTING);
  assert_field (text, "Bank account", "****4321");
  g_assert_nonnull (strstr (unwrapped_text, "converted to an electronic debit"));
  g_assert_nonnull (strstr (unwrapped_text, "I gave my check as payment"));
  assert_field (text, "Authorization version", PD_CHECK_CONVERSION_AUTHORIZATION_VERSION);
  assert_masked (text, BANK_ACCOUNT);
}

/* Kept in the outbox while the core is away: pending, and no second payment for it. Then
 * sent: accepted. Then voided, then a new one refunded. */
static void
test_statuses (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *unwrapped_pending_text = NULL;
  g_autoptr(PdPayment) queued = NULL;
  g_autoptr(PdPayment) voided = NULL;
  g_autoptr(PdPayment) refunded = NULL;
  g_autoptr(PdPayment) to_refund = NULL;
  g_autoptr(PdReceipt) pending = NULL;
  g_autoptr(PdReceipt) sent = NULL;
  g_autoptr(PdReceipt) voided_receipt = NULL;
  g_autoptr(PdReceipt) refunded_receipt = NULL;
  g_autofree char *pending_text = NULL, *voided_text = NULL, *refunded_text = NULL;
  g_autoptr(GError) error = NULL;

  g_autoptr(PdAccount) account = get_account (fixture);

  pd_test_core_stop (fixture->core);
  queued = pay_bank_for (fixture, account, BANK_ACCOUNT, 5000);
  g_assert_cmpint (pd_payment_get_state (queued), ==, PD_PAYMENT_STATE_QUEUED);
  pending = receipt_for (fixture, queued);
  pending_text = text_of (pending, "en");
  unwrapped_pending_text = unwrap (pending_text);
  g_test_message ("%s", pending_text);
  g_assert_cmpint (pd_receipt_get_status (pending), ==, PD_RECEIPT_STATUS_PENDING);
  g_assert_nonnull (strstr (pending_text, "PENDING"));
  g_assert_nonnull (strstr (unwrapped_pending_text, "you do not need to pay again"));
  g_assert_null (strstr (pending_text, "Confirmation number"));
  assert_field (pending_text, "Payment reference", pd_payment_get_client_ref (queued));

  g_clear_pointer (&fixture->core, pd_test_core_free);
  fixture->core = pd_test_core_start (fixture->tmp.dir, 0, NULL);
  connect_service (fixture, fixture->core->url);
  g_assert_cmpuint (pd_payment_service_drain_outbox (fixture->service, NULL, &error), ==, 1);
  g_assert_no_error (error);
  sent = receipt_for (fixture, queued);
  g_assert_cmpint (pd_receipt_get_status (sent), ==, PD_RECEIPT_STATUS_ACCEPTED);
  g_assert_nonnull (pd_receipt_get_confirmation (sent));

  voided = pd_payment_service_void (fixture->service, pd_payment_get_id (queued), "A-117",
                                    "changed their mind", NULL, &error);
  g_assert_no_error (error);
  voided_receipt = receipt_for (fixture, voided);
  voided_text = text_of (voided_receipt, "en");
  g_assert_cmpint (pd_receipt_get_status (voided_receipt), ==, PD_RECEIPT_STATUS_VOIDED);
  g_assert_nonnull (strstr (voided_text, "VOIDED"));

  to_refund = pay_bank (fixture, BANK_ACCOUNT, 6000);
  refunded = pd_payment_service_refund (fixture->service, pd_payment_get_id (to_refund), "A-117",
                                        "paid twice", NULL, &error);
  g_assert_no_error (error);
  refunded_receipt = receipt_for (fixture, refunded);
  refunded_text = text_of (refunded_receipt, "en");
  g_assert_cmpint (pd_receipt_get_status (refunded_receipt), ==, PD_RECEIPT_STATUS_REFUNDED);
  g_assert_nonnull (strstr (refunded_text, "REFUNDED"));
}

static PdPrinterProfile *
load_profile (const char *name)
{
  g_autofree char *path = g_build_filename (g_getenv ("PAYDESK_PRINTER_PROFILES"), name, NULL);
  g_autoptr(GError) error = NULL;
  PdPrinterProfile *profile = pd_printer_profile_load (path, &error);

  g_assert_no_error (error);
  return profile;
}

static PdEscposDocument *
print (PdReceiptLayout  *layout,
       PdPrinterProfile *profile)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) job = pd_receipt_render_escpos (layout, profile, &error);
  PdEscposDocument *document;

  g_assert_no_error (error);
  document = pd_escpos_document_read_bytes (job, profile, &error);
  g_assert_no_error (error);
  return document;
}

static gboolean
has_raster (PdEscposDocument *document)
{
  return pd_escpos_document_count_items (document, PD_ESCPOS_ITEM_RASTER) > 0;
}

static void
test_escpos (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(PdPayment) payment = pay_bank (fixture, BANK_ACCOUNT, 123456);
  g_autoptr(PdReceipt) receipt = receipt_for (fixture, payment);
  g_autoptr(PdReceiptLayout) layout = pd_receipt_layout_new (receipt, "en");
  g_autoptr(PdPrinterProfile) epson = load_profile ("epson-tm-t88.conf");
  g_autoptr(PdPrinterProfile) generic = load_profile ("generic-escpos.conf");
  g_autoptr(PdEscposDocument) on_epson = print (layout, epson);
  g_autoptr(PdEscposDocument) on_generic = print (layout, generic);
  g_autofree char *epson_text = pd_escpos_document_dup_text (on_epson);
  g_autofree char *generic_text = pd_escpos_document_dup_text (on_generic);
  g_auto(GStrv) epson_qr = pd_escpos_document_dup_qr_payloads (on_epson);
  g_auto(GStrv) generic_qr = pd_escpos_document_dup_qr_payloads (on_generic);
  g_autofree char *expected = pd_receipt_render_text (layout, 512 / 12);

  /* The printer's font, 42 columns on the TM-T88, in CP1252: the first of its pages with
   * the dash of TRAINING — NOT A PAYMENT. */
  g_assert_false (has_raster (on_epson));
  g_assert_nonnull (strstr (epson_text, "$1,234.56"));
  g_assert_nonnull (strstr (epson_text, "*** TRAINING — NOT A PAYMENT ***"));
  g_assert_nonnull (strstr (epson_text, pd_payment_get_confirmation (payment)));
  g_assert_cmpuint (g_strv_length (epson_qr), ==, 1);
  g_assert_cmpstr (epson_qr[0], ==, pd_payment_get_confirmation (payment));
  g_assert_cmpuint (strlen (expected), >, 0);
  assert_masked (epson_text, BANK_ACCOUNT);

  /* No native QR on the generic printer: drawn instead, never left out. */
  g_assert_cmpuint (g_strv_length (generic_qr), ==, 0);
  g_assert_true (has_raster (on_generic));
  g_assert_nonnull (strstr (generic_text, "Routing number"));
  /* CP437 has no dash of that kind: its ASCII form, rather than a drawn receipt. */
  g_assert_nonnull (strstr (generic_text, "*** TRAINING - NOT A PAYMENT ***"));
}

/* The member's signature drawn on the screen: the training sample, or another one. */
static PdSignature *
training_signature (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "assets",
                                                 "training-signature.txt", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  PdSignature *signature;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  signature = pd_signature_new_from_text (g_strchomp (text), &error);
  g_assert_no_error (error);
  return signature;
}

/* A zigzag across the canvas: nothing like the sample, drawn in the same box. */
static PdSignature *
zigzag_signature (void)
{
  g_autoptr(PdSignatureBuilder) builder = pd_signature_builder_new (600, 200);
  g_autoptr(GError) error = NULL;
  PdSignature *signature;

  g_assert_true (pd_signature_builder_begin_stroke (builder));
  for (int i = 0; i < 12; i++)
    g_assert_true (pd_signature_builder_add_point (builder, 20 + i * 50, i % 2 ? 180 : 20));
  pd_signature_builder_end_stroke (builder);
  signature = pd_signature_builder_end (builder, &error);
  g_assert_no_error (error);
  return signature;
}

static void
record_signature (Fixture     *fixture,
                  PdPayment   *payment,
                  PdSignature *signature)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pd_journal_record_signature (fixture->journal, pd_payment_get_id (payment),
                                              signature, &error));
  g_assert_no_error (error);
}

static guint
count_set_bits (const guint8 *bits,
                gsize         length)
{
  guint count = 0;

  for (gsize i = 0; i < length; i++)
    for (guint8 byte = bits[i]; byte != 0; byte &= (guint8) (byte - 1))
      count++;
  return count;
}


/* The rows of two PNGs of the same size that differ: first and last, FALSE when none. */
static gboolean
differing_rows (cairo_surface_t *one,
                cairo_surface_t *other,
                int             *first,
                int             *last)
{
  int width = cairo_image_surface_get_width (one);
  int height = cairo_image_surface_get_height (one);
  int stride = cairo_image_surface_get_stride (one);
  const guint8 *a = cairo_image_surface_get_data (one);
  const guint8 *b = cairo_image_surface_get_data (other);

  g_assert_cmpint (cairo_image_surface_get_width (other), ==, width);
  g_assert_cmpint (cairo_image_surface_get_height (other), ==, height);
  *first = -1;
  *last = -1;
  for (int y = 0; y < height; y++)
    if (memcmp (a + (gsize) y * stride, b + (gsize) y * stride, (gsize) width * 4) != 0)
      {
        if (*first < 0)
          *first = y;
        *last = y;
      }
  return *first >= 0;
}

/* Pixels darker than mid-gray in rows first..last. */
static guint
dark_pixels (cairo_surface_t *surface,
             int              first,
             int              last)
{
  int width = cairo_image_surface_get_width (surface);
  int stride = cairo_image_surface_get_stride (surface);
  const guint8 *pixels = cairo_image_surface_get_data (surface);
  guint count = 0;

  for (int y = first; y <= last; y++)
    for (int x = 0; x < width; x++)
      {
        guint32 pixel;

        memcpy (&pixel, pixels + (gsize) y * stride + (gsize) x * 4, sizeof pixel);
        if (((pixel >> 8) & 0xff) < 0x80)
          count++;
      }
  return count;
}

static char *pdf_text (GBytes *pdf,
                       int    *n_pages);

/* NACHA: a bank payment signed on the screen, through the real journal: the caption in
 * every rendering, the strokes drawn on paper and in the PNG. */
static void
test_signature (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(PdPayment) payment = pay_bank (fixture, BANK_ACCOUNT, 7500);
  g_autoptr(PdSignature) signature = training_signature ();
  g_autoptr(PdSignature) zigzag = zigzag_signature ();
  g_autoptr(PdReceipt) receipt = NULL;
  g_autoptr(PdReceipt) signed_again = NULL;
  g_autoptr(PdReceiptLayout) layout = NULL;
  g_autoptr(PdReceiptLayout) layout_again = NULL;
  g_autoptr(PdPrinterProfile) epson = load_profile ("epson-tm-t88.conf");
  g_autoptr(PdEscposDocument) job = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GBytes) png_again = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *printed = NULL;
  g_autofree char *pdf_words = NULL;
  const PdEscposItem *raster;
  gsize caption_offset = G_MAXSIZE;
  cairo_surface_t *surface, *surface_again;
  int first = 0, last = 0, n_pages = 0;

  record_signature (fixture, payment, signature);
  receipt = receipt_for (fixture, payment);
  layout = pd_receipt_layout_new (receipt, "en");

  /* Text: the caption, and no line to sign on paper: it is signed. */
  text = pd_receipt_render_text (layout, TEXT_COLUMNS);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "\nSigned on screen by Maria L Gonzalez\n"));
  g_assert_null (strstr (text, "Signature:"));

  /* Paper: the strokes as one raster across the TM-T88's 512 dots, 120 high, before the
   * caption; the rest in the printer's font. */
  job = print (layout, epson);
  printed = pd_escpos_document_dup_text (job);
  g_assert_nonnull (strstr (printed, "Signed on screen by Maria L Gonzalez"));
  g_assert_cmpuint (pd_escpos_document_count_items (job, PD_ESCPOS_ITEM_RASTER), ==, 1);
  raster = pd_escpos_document_find_item (job, PD_ESCPOS_ITEM_RASTER, 0);
  g_assert_cmpuint (raster->raster.width, ==, 512);
  g_assert_cmpuint (raster->raster.height, ==, 120);
  g_assert_cmpuint (count_set_bits (raster->raster.bits,
                                    raster->raster.stride * raster->raster.height), >, 1000);
  for (guint i = 0; i < pd_escpos_document_get_n_items (job); i++)
    {
      const PdEscposItem *item = pd_escpos_document_get_item (job, i);

      if (item->kind == PD_ESCPOS_ITEM_TEXT &&
          g_str_has_prefix (item->text.utf8, "Signed on screen") &&
          caption_offset == G_MAXSIZE)
        caption_offset = item->offset;
    }
  g_assert_cmpuint (raster->offset, <, caption_offset);

  /* PDF: the caption as text. */
  pdf = pd_receipt_render_pdf (layout, &error);
  g_assert_no_error (error);
  pdf_words = pdf_text (pdf, &n_pages);
  g_assert_nonnull (strstr (pdf_words, "Signed on screen by Maria L Gonzalez"));

  /* PNG: signed again with other strokes (the latest stands), the receipt is the same size
   * and differs only within the signature's box, where both have ink. */
  png = pd_receipt_render_png (layout, &error);
  g_assert_no_error (error);
  record_signature (fixture, payment, zigzag);
  signed_again = receipt_for (fixture, payment);
  layout_again = pd_receipt_layout_new (signed_again, "en");
  png_again = pd_receipt_render_png (layout_again, &error);
  g_assert_no_error (error);
  surface = pd_test_load_png (png);
  surface_again = pd_test_load_png (png_again);
  g_assert_true (differing_rows (surface, surface_again, &first, &last));
  g_assert_cmpint (last - first, <, 120);
  g_assert_cmpuint (dark_pixels (surface, first, last), >, 500);
  g_assert_cmpuint (dark_pixels (surface_again, first, last), >, 500);
  cairo_surface_destroy (surface);
  cairo_surface_destroy (surface_again);
}

/* Without a signature: at the counter, a line to sign the paper with a pen; at a kiosk,
 * nothing to sign. A converted check signed on the screen says who signed; a card has no
 * authorization to sign. */
static void
test_signature_on_paper (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(PdPayment) payment = pay_bank (fixture, BANK_ACCOUNT, 7500);
  g_autoptr(PdPayment) check = pay_check (fixture);
  g_autoptr(PdPayment) card = pay_card (fixture, VECTOR_ICC_DATA ("29CCA15AE665FA2E"));
  g_autoptr(PdSignature) signature = training_signature ();
  g_autofree char *kiosk_path = g_build_filename (fixture->tmp.dir, "kiosk.conf", NULL);
  g_autoptr(PdConfig) kiosk = NULL;
  g_autoptr(PdReceipt) at_counter = receipt_for (fixture, payment);
  g_autoptr(PdReceipt) at_kiosk = NULL;
  g_autoptr(PdReceipt) check_receipt = NULL;
  g_autoptr(PdReceipt) card_receipt = receipt_for (fixture, card);
  g_autoptr(PdReceiptLayout) counter_layout = pd_receipt_layout_new (at_counter, "en");
  g_autoptr(PdPrinterProfile) epson = load_profile ("epson-tm-t88.conf");
  g_autoptr(PdEscposDocument) job = print (counter_layout, epson);
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *counter_text = pd_receipt_render_text (counter_layout, TEXT_COLUMNS);
  g_autofree char *printed = pd_escpos_document_dup_text (job);
  g_autofree char *kiosk_text = NULL;
  g_autofree char *check_text = NULL;
  g_autofree char *card_text = text_of (card_receipt, "en");

  g_test_message ("%s", counter_text);
  g_assert_nonnull (strstr (counter_text, "\n\nSignature: ______________"));
  g_assert_null (strstr (counter_text, "Signed on screen"));
  g_assert_nonnull (strstr (printed, "Signature: ______________"));
  g_assert_false (has_raster (job));
  png = pd_receipt_render_png (counter_layout, &error);
  g_assert_no_error (error);

  pd_test_write_file (kiosk_path, "[terminal]\nmode = kiosk\n[journal]\ndata-dir = state\n");
  kiosk = pd_config_load_file (kiosk_path, &error);
  g_assert_no_error (error);
  at_kiosk = pd_receipt_new_from_journal (fixture->journal, kiosk, pd_payment_get_id (payment),
                                          &error);
  g_assert_no_error (error);
  kiosk_text = text_of (at_kiosk, "en");
  g_assert_nonnull (strstr (kiosk_text, "Your authorization"));
  g_assert_null (strstr (kiosk_text, "Signature"));
  g_assert_null (strstr (kiosk_text, "Signed on screen"));

  /* The member's name, as the core gave it: a check has no account holder's. */
  record_signature (fixture, check, signature);
  check_receipt = receipt_for (fixture, check);
  check_text = text_of (check_receipt, "en");
  g_test_message ("%s", check_text);
  g_assert_nonnull (strstr (check_text, "\nSigned on screen by MARIA L GONZALEZ\n"));
  g_assert_null (strstr (check_text, "Signature:"));

  g_assert_null (strstr (card_text, "Signature"));
  g_assert_null (strstr (card_text, "Signed on screen"));
}

/* A catalog compiled by msgfmt from a .po written here: the receipt's strings in Korean and
 * Arabic, which no code page holds. */
static void
write_catalog (const char *locale_dir,
               const char *language,
               const char *po)
{
  g_autofree char *dir = g_build_filename (locale_dir, language, "LC_MESSAGES", NULL);
  g_autofree char *po_path = g_build_filename (dir, "paydesk.po", NULL);
  g_autofree char *mo_path = g_build_filename (dir, "paydesk.mo", NULL);
  const char *argv[] = { "msgfmt", "-c", "-o", mo_path, po_path, NULL };
  g_auto(PdTestRun) run = { 0 };

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  pd_test_write_file (po_path, po);
  run = pd_test_run (argv, NULL);
  g_assert_cmpint (run.status, ==, 0);
}

#define PO_HEADER \
  "msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=UTF-8\\n\"\n\n"

static void
test_other_scripts (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *locale_dir = g_build_filename (fixture->tmp.dir, "locale", NULL);
  g_autoptr(PdPayment) payment = pay_bank (fixture, BANK_ACCOUNT, 7500);
  g_autoptr(PdReceipt) receipt = receipt_for (fixture, payment);
  g_autoptr(PdPrinterProfile) epson = load_profile ("epson-tm-t88.conf");
  g_autoptr(PdReceiptLayout) korean = NULL;
  g_autoptr(PdReceiptLayout) arabic = NULL;
  g_autoptr(PdReceiptLayout) unknown = NULL;
  g_autoptr(PdEscposDocument) korean_job = NULL;
  g_autoptr(PdEscposDocument) arabic_job = NULL;
  g_auto(GStrv) qr = NULL;
  g_autofree char *korean_text = NULL;
  g_autofree char *printed_text = NULL;

  write_catalog (locale_dir, "ko", PO_HEADER
                 "msgid \"Amount\"\nmsgstr \"금액\"\n\n"
                 "msgid \"ACCEPTED\"\nmsgstr \"승인됨\"\n\n"
                 "msgid \"Date\"\nmsgstr \"날짜\"\n");
  write_catalog (locale_dir, "ar", PO_HEADER
                 "msgid \"Amount\"\nmsgstr \"المبلغ\"\n\n"
                 "msgid \"ACCEPTED\"\nmsgstr \"مقبول\"\n");
  g_setenv ("PAYDESK_LOCALEDIR", locale_dir, TRUE);

  korean = pd_receipt_layout_new (receipt, "ko");
  arabic = pd_receipt_layout_new (receipt, "ar");
  unknown = pd_receipt_layout_new (receipt, "pl");
  g_unsetenv ("PAYDESK_LOCALEDIR");

  g_assert_cmpstr (korean->language, ==, "ko");
  g_assert_false (korean->right_to_left);
  g_assert_cmpstr (arabic->language, ==, "ar");
  g_assert_true (arabic->right_to_left);
  /* No Polish catalog here: English, said so, rather than a mix. */
  g_assert_cmpstr (unknown->language, ==, "en");

  korean_text = pd_receipt_render_text (korean, TEXT_COLUMNS);
  g_assert_nonnull (strstr (korean_text, "승인됨"));
  assert_field (korean_text, "금액", "$75.00");
  g_assert_nonnull (strstr (korean_text, "날짜"));
  g_assert_nonnull (strstr (korean_text, ". "));

  /* Drawn at the paper's width, the QR still the printer's own. */
  korean_job = print (korean, epson);
  arabic_job = print (arabic, epson);
  g_assert_true (has_raster (korean_job));
  g_assert_true (has_raster (arabic_job));
  printed_text = pd_escpos_document_dup_text (korean_job);
  g_assert_null (strstr (printed_text, "승인됨"));
  qr = pd_escpos_document_dup_qr_payloads (arabic_job);
  g_assert_cmpuint (g_strv_length (qr), ==, 1);
  g_assert_cmpstr (qr[0], ==, pd_payment_get_confirmation (payment));
}

/* A receipt drawn with Pango (Arabic, right to left) prints the same strokes as one in the
 * printer's font, and its caption as part of the drawing. */
static void
test_signature_drawn_receipt (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *locale_dir = g_build_filename (fixture->tmp.dir, "locale", NULL);
  g_autoptr(PdPayment) payment = pay_bank (fixture, BANK_ACCOUNT, 7500);
  g_autoptr(PdSignature) signature = training_signature ();
  g_autoptr(PdReceipt) receipt = NULL;
  g_autoptr(PdReceiptLayout) english = NULL;
  g_autoptr(PdReceiptLayout) arabic = NULL;
  g_autoptr(PdPrinterProfile) epson = load_profile ("epson-tm-t88.conf");
  g_autoptr(PdEscposDocument) english_job = NULL;
  g_autoptr(PdEscposDocument) arabic_job = NULL;
  const PdEscposItem *strokes;
  const PdEscposItem *drawn = NULL;
  g_autofree char *arabic_text = NULL;

  record_signature (fixture, payment, signature);
  receipt = receipt_for (fixture, payment);
  write_catalog (locale_dir, "ar", PO_HEADER
                 "msgid \"Signed on screen by %s\"\nmsgstr \"وقّع على الشاشة %s\"\n");
  g_setenv ("PAYDESK_LOCALEDIR", locale_dir, TRUE);
  arabic = pd_receipt_layout_new (receipt, "ar");
  g_unsetenv ("PAYDESK_LOCALEDIR");
  english = pd_receipt_layout_new (receipt, "en");
  g_assert_true (arabic->right_to_left);

  english_job = print (english, epson);
  arabic_job = print (arabic, epson);
  strokes = pd_escpos_document_find_item (english_job, PD_ESCPOS_ITEM_RASTER, 0);
  for (guint i = 0; i < pd_escpos_document_count_items (arabic_job, PD_ESCPOS_ITEM_RASTER); i++)
    {
      const PdEscposItem *item = pd_escpos_document_find_item (arabic_job,
                                                               PD_ESCPOS_ITEM_RASTER, i);

      if (item->raster.height == strokes->raster.height &&
          item->raster.width == strokes->raster.width &&
          memcmp (item->raster.bits, strokes->raster.bits,
                  strokes->raster.stride * strokes->raster.height) == 0)
        drawn = item;
    }
  g_assert_nonnull (drawn);
  /* Drawn text cannot be read back as text: the caption is in the drawing. */
  arabic_text = pd_escpos_document_dup_text (arabic_job);
  g_assert_null (strstr (arabic_text, "Signed"));
}

static char *
pdf_text (GBytes *pdf,
          int    *n_pages)
{
  g_autoptr(GError) error = NULL;
  PopplerDocument *document = poppler_document_new_from_bytes (pdf, NULL, &error);
  PopplerPage *page;
  char *text;

  g_assert_no_error (error);
  *n_pages = poppler_document_get_n_pages (document);
  page = poppler_document_get_page (document, 0);
  text = poppler_page_get_text (page);
  g_object_unref (page);
  g_object_unref (document);
  return text;
}

static void
test_png_and_pdf (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(PdPayment) payment = pay_card (fixture, VECTOR_ICC_DATA ("29CCA15AE665FA2E"));
  g_autoptr(PdReceipt) receipt = receipt_for (fixture, payment);
  g_autoptr(PdReceiptLayout) layout = pd_receipt_layout_new (receipt, "es");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = pd_receipt_render_png (layout, &error);
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *scanned = NULL;
  g_autofree char *text = NULL;
  g_autofree char *layout_text = NULL;
  g_auto(GStrv) words = NULL;
  int n_pages = 0;

  g_assert_no_error (error);
  {
    cairo_surface_t *surface = pd_test_load_png (png);

    /* The receipt's width: the 80 mm roll's 576 dots. */
    g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 576);
    cairo_surface_destroy (surface);
  }
  scanned = pd_test_scan_png_qr (png);
  g_assert_cmpstr (scanned, ==, pd_payment_get_confirmation (payment));

  pdf = pd_receipt_render_pdf (layout, &error);
  g_assert_no_error (error);
  text = pdf_text (pdf, &n_pages);
  g_test_message ("%s", text);
  g_assert_cmpint (n_pages, ==, 1);
  /* Spanish from the build's own catalog, whatever the process locale. */
  g_assert_cmpstr (layout->language, ==, "es");
  g_assert_nonnull (strstr (text, "Número de confirmación"));
  g_assert_nonnull (strstr (text, "APROBADO"));
  /* Every word of the layout is in the PDF, as text. */
  layout_text = pd_receipt_layout_dup_text (layout);
  words = g_strsplit_set (layout_text, " \n", -1);
  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0' && strstr (text, words[i]) == NULL)
      g_error ("“%s” is missing from the PDF", words[i]);
  assert_masked (text, CARD_PAN);
}

/* Random account numbers of every length a bank uses, paid and rendered every way: no
 * rendering ever holds five digits of one in a row. */
static void
test_masking_property (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(PdPrinterProfile) epson = load_profile ("epson-tm-t88.conf");

  for (guint round = 0; round < 6; round++)
    {
      guint length = (guint) g_test_rand_int_range (6, 18);
      g_autofree char *number = g_malloc0 (length + 1);
      g_autoptr(PdPayment) payment = NULL;
      g_autoptr(PdReceipt) receipt = NULL;
      g_autoptr(PdReceiptLayout) layout = NULL;
      g_autoptr(PdEscposDocument) job = NULL;
      g_autoptr(GBytes) pdf = NULL;
      g_autofree char *text = NULL, *printed = NULL, *pdf_words = NULL;
      int n_pages = 0;

      for (guint i = 0; i < length; i++)
        number[i] = (char) ('0' + g_test_rand_int_range (0, 10));
      payment = pay_bank (fixture, number, 100 + round);
      receipt = receipt_for (fixture, payment);
      layout = pd_receipt_layout_new (receipt, round % 2 ? "es" : "en");
      text = pd_receipt_render_text (layout, TEXT_COLUMNS);
      job = print (layout, epson);
      printed = pd_escpos_document_dup_text (job);
      pdf = pd_receipt_render_pdf (layout, NULL);
      pdf_words = pdf_text (pdf, &n_pages);

      g_test_message ("account number of %u digits", length);
      {
        g_autofree char *scrubbed_text = without_whole_values (text, payment);
        g_autofree char *scrubbed_printed = without_whole_values (printed, payment);
        g_autofree char *scrubbed_pdf = without_whole_values (pdf_words, payment);

        assert_masked (scrubbed_text, number);
        assert_masked (scrubbed_printed, number);
        assert_masked (scrubbed_pdf, number);
      }
      assert_masked (text, PLAN_ACCOUNT);
    }
}

/* Receipts hand translations to printf: a catalog that asks for other values than the
 * English keeps that string in English, whatever folder it was read from. */
static void
test_catalog_formats (void)
{
  g_autofree char *dir = pd_test_make_temp_dir ();
  g_autoptr(PdReceiptCatalog) catalog = NULL;

  write_catalog (dir, "ko", PO_HEADER
                 "msgid \"Signed on screen by %s\"\nmsgstr \"%n%s\"\n\n"
                 "msgid \"%s or %s\"\nmsgstr \"%s 또는 %s %s\"\n\n"
                 "msgid \"%s, %s or %s\"\nmsgstr \"%d, %s, %s\"\n\n"
                 "msgid \"%s: character %d could not be read.\"\n"
                 "msgstr \"%2$d번째 문자를 읽을 수 없습니다: %1$s\"\n\n"
                 "msgid \"Amount\"\nmsgstr \"금액 100%%\"\n");
  g_setenv ("PAYDESK_LOCALEDIR", dir, TRUE);
  catalog = pd_receipt_catalog_new ("ko");
  g_unsetenv ("PAYDESK_LOCALEDIR");

  g_assert_true (pd_receipt_catalog_is_loaded (catalog));
  g_assert_cmpstr (pd_receipt_catalog_gettext (catalog, "Signed on screen by %s"), ==,
                   "Signed on screen by %s");
  g_assert_cmpstr (pd_receipt_catalog_gettext (catalog, "%s or %s"), ==, "%s or %s");
  g_assert_cmpstr (pd_receipt_catalog_gettext (catalog, "%s, %s or %s"), ==, "%s, %s or %s");
  /* Arguments in another order, and a percent sign, are what translators need. */
  g_assert_cmpstr (pd_receipt_catalog_gettext (catalog, "%s: character %d could not be read."),
                   ==, "%2$d번째 문자를 읽을 수 없습니다: %1$s");
  g_assert_cmpstr (pd_receipt_catalog_gettext (catalog, "Amount"), ==, "금액 100%%");
  pd_test_remove_tree (dir);
}

static void
test_catalog (void)
{
  g_autofree char *dir = pd_test_make_temp_dir ();
  g_autofree char *mo_dir = g_build_filename (dir, "ko", "LC_MESSAGES", NULL);
  g_autofree char *mo = g_build_filename (mo_dir, "paydesk.mo", NULL);
  g_autoptr(PdReceiptCatalog) damaged = NULL;
  g_autoptr(PdReceiptCatalog) english = pd_receipt_catalog_new ("en");
  /* A header that promises strings past the end of the file. */
  static const guint8 truncated[] = {
    0xde, 0x12, 0x04, 0x95, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 28, 0, 0, 0, 0xf0, 0xff, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 200, 0, 0, 0, 8, 0, 0, 0,
  };

  g_assert_cmpint (g_mkdir_with_parents (mo_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (mo, (const char *) truncated, sizeof truncated, NULL));
  g_setenv ("PAYDESK_LOCALEDIR", dir, TRUE);
  damaged = pd_receipt_catalog_new ("ko");
  g_unsetenv ("PAYDESK_LOCALEDIR");

  g_assert_false (pd_receipt_catalog_is_loaded (damaged));
  g_assert_cmpstr (pd_receipt_catalog_gettext (damaged, "Amount"), ==, "Amount");
  g_assert_false (pd_receipt_catalog_is_loaded (english));
  pd_test_remove_tree (dir);

  /* A catalog is read once per process: the layout, the printer and the email share it. */
  {
    g_autoptr(PdReceiptCatalog) spanish = pd_receipt_catalog_new ("es");
    g_autoptr(PdReceiptCatalog) again = pd_receipt_catalog_new ("es");

    g_assert_true (pd_receipt_catalog_is_loaded (spanish));
    g_assert_true (spanish == again);
    g_assert_cmpstr (pd_receipt_catalog_gettext (again, "Amount"), !=, "Amount");
  }
}

static void
test_not_found (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (pd_receipt_new_from_journal (fixture->journal, fixture->config,
                                              "TRAIN-01-NO-SUCH-PAYMENT", &error));
  g_assert_error (error, PD_RECEIPT_ERROR, PD_RECEIPT_ERROR_NOT_FOUND);
}

/* paydesk-ctl receipt: files, the training printer, and DUPLICATE from the second copy. */
static void
test_ctl_reprint (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(PdPayment) payment = pay_bank (fixture, BANK_ACCOUNT, 7500);
  g_autofree char *config = g_build_filename (fixture->tmp.dir, "paydesk.conf", NULL);
  g_autofree char *first = g_build_filename (fixture->tmp.dir, "first.txt", NULL);
  g_autofree char *second = g_build_filename (fixture->tmp.dir, "second.txt", NULL);
  g_autofree char *pdf = g_build_filename (fixture->tmp.dir, "receipt.pdf", NULL);
  g_autofree char *first_text = NULL, *second_text = NULL;
  const char *reference = pd_payment_get_client_ref (payment);
  const char *ctl = g_getenv ("PAYDESK_CTL");
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *printed;

  g_clear_object (&fixture->service);
  g_clear_object (&fixture->journal);
  {
    const char *argv[] = { ctl, "-c", config, "receipt", reference, "--format", "text",
                           "-o", first, NULL };
    g_auto(PdTestRun) run = pd_test_run (argv, NULL);

    g_assert_cmpint (run.status, ==, 0);
  }
  {
    const char *argv[] = { ctl, "-c", config, "receipt", reference, "--format", "text",
                           "-o", second, NULL };
    g_auto(PdTestRun) run = pd_test_run (argv, NULL);

    g_assert_cmpint (run.status, ==, 0);
  }
  g_assert_true (g_file_get_contents (first, &first_text, NULL, NULL));
  g_assert_true (g_file_get_contents (second, &second_text, NULL, NULL));
  g_assert_null (strstr (first_text, "DUPLICATE"));
  g_assert_nonnull (strstr (second_text, "*** DUPLICATE ***"));
  g_assert_nonnull (strstr (second_text, pd_payment_get_confirmation (payment)));

  {
    const char *argv[] = { ctl, "-c", config, "--json", "receipt", reference, NULL };
    g_auto(PdTestRun) run = pd_test_run (argv, NULL);
    g_autoptr(GBytes) job = NULL;
    g_autoptr(PdPrinterProfile) epson = load_profile ("epson-tm-t88.conf");
    g_autoptr(PdEscposDocument) document = NULL;
    g_autofree char *escpos_path = NULL, *contents = NULL, *text = NULL;
    const char *image;
    gsize length = 0;

    g_assert_cmpint (run.status, ==, 0);
    g_assert_true (json_parser_load_from_data (parser, run.out, -1, NULL));
    printed = json_node_get_object (json_parser_get_root (parser));
    g_assert_cmpstr (json_object_get_string_member (printed, "outcome"), ==, "printed");
    g_assert_true (json_object_get_boolean_member (printed, "duplicate"));
    g_assert_cmpstr (json_object_get_string_member (printed, "status"), ==, "accepted");
    /* The training printer kept the bytes beside the picture. */
    image = json_object_get_string_member (printed, "file");
    g_assert_true (g_str_has_suffix (image, ".png"));
    escpos_path = g_strdup_printf ("%.*s.escpos", (int) strlen (image) - 4, image);
    g_assert_true (g_file_get_contents (escpos_path, &contents, &length, NULL));
    job = g_bytes_new_take (g_steal_pointer (&contents), length);
    document = pd_escpos_document_read_bytes (job, epson, NULL);
    g_assert_nonnull (document);
    text = pd_escpos_document_dup_text (document);
    g_assert_nonnull (strstr (text, "*** DUPLICATE ***"));
    assert_masked (text, BANK_ACCOUNT);
  }

  {
    const char *argv[] = { ctl, "-c", config, "receipt", reference, "--format", "pdf", NULL };
    g_auto(PdTestRun) run = pd_test_run (argv, NULL);

    /* A PDF to the screen is refused: it needs a file. */
    g_assert_cmpint (run.status, ==, 2);
    g_assert_nonnull (strstr (run.err, "-o FILE"));
  }
  {
    const char *argv[] = { ctl, "-c", config, "receipt", reference, "--format", "pdf",
                           "-o", pdf, NULL };
    g_auto(PdTestRun) run = pd_test_run (argv, NULL);

    g_assert_cmpint (run.status, ==, 0);
    g_assert_true (g_file_test (pdf, G_FILE_TEST_IS_REGULAR));
  }
}

int
main (int   argc,
      char *argv[])
{
  pd_test_init (&argc, &argv);

#define ADD(name, func) \
  g_test_add ("/receipt/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("bank-accepted", test_bank_accepted);
  ADD ("training-mark-from-payment", test_training_mark_from_payment);
  ADD ("card-approved-and-declined", test_card_approved_and_declined);
  ADD ("check-converted", test_check_converted);
  ADD ("statuses", test_statuses);
  ADD ("escpos", test_escpos);
  ADD ("other-scripts", test_other_scripts);
  ADD ("png-and-pdf", test_png_and_pdf);
  ADD ("masking-property", test_masking_property);
  ADD ("signature", test_signature);
  ADD ("signature-on-paper", test_signature_on_paper);
  ADD ("signature-drawn-receipt", test_signature_drawn_receipt);
  ADD ("not-found", test_not_found);
  ADD ("ctl-reprint", test_ctl_reprint);
  g_test_add_func ("/receipt/catalog-damaged", test_catalog);
  g_test_add_func ("/receipt/catalog-formats", test_catalog_formats);

  return g_test_run ();
}
