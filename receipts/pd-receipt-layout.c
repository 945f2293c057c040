#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-language.h"
#include "pd-receipt-authorization.h"
#include "pd-receipt-catalog.h"
#include "pd-receipt-layout.h"
#include "pd-receipt-private.h"

/* The member's language's usual order for a date and a time, with Latin digits everywhere
 * (as amounts: the member and the associate must read the same thing). */
static const struct {
  const char *language;
  const char *format;
  gboolean twelve_hour;
} date_formats[] = {
  { "en", "%m/%d/%Y %-I:%M", TRUE },
  { "zh", "%Y年%m月%d日 %H:%M", FALSE },
  { "ko", "%Y. %m. %d. %H:%M", FALSE },
  { "ru", "%d.%m.%Y %H:%M", FALSE },
  { "pl", "%d.%m.%Y %H:%M", FALSE },
};

#define DEFAULT_DATE_FORMAT "%d/%m/%Y %H:%M"

typedef struct {
  PdReceipt *receipt;
  PdReceiptCatalog *catalog;
  GPtrArray *lines;
} Builder;

/* As gettext: a translated format must take the arguments of the original. */
static const char *tr (Builder    *builder,
                       const char *msgid) G_GNUC_FORMAT (2);

static const char *
tr (Builder    *builder,
    const char *msgid)
{
  return pd_receipt_catalog_gettext (builder->catalog, msgid);
}

static void
line_free (PdReceiptLine *line)
{
  g_free (line->text);
  g_free (line->value);
  g_clear_object (&line->signature);
  g_free (line);
}

static void
add (Builder           *builder,
     PdReceiptLineKind  kind,
     const char        *text,
     const char        *value)
{
  PdReceiptLine *line = g_new0 (PdReceiptLine, 1);

  line->kind = kind;
  line->text = g_strdup (text);
  line->value = g_strdup (value);
  g_ptr_array_add (builder->lines, line);
}

/* signature NULL: a line to sign on paper. */
static void
add_signature (Builder     *builder,
               const char  *text,
               PdSignature *signature)
{
  PdReceiptLine *line;

  add (builder, PD_RECEIPT_LINE_SIGNATURE, text, NULL);
  line = g_ptr_array_index (builder->lines, builder->lines->len - 1);
  line->signature = signature != NULL ? g_object_ref (signature) : NULL;
}

/* A label and its value; nothing when there is no value. */
static void
add_field (Builder    *builder,
           const char *label_msgid,
           const char *value)
{
  if (value != NULL && *value != '\0')
    add (builder, PD_RECEIPT_LINE_FIELD, tr (builder, label_msgid), value);
}

static char *
masked (const char *last4)
{
  return g_strdup_printf ("****%s", last4 != NULL ? last4 : "");
}

static char *
format_date_time (GDateTime  *when,
                  const char *language)
{
  g_autofree char *text = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (date_formats); i++)
    if (g_str_equal (date_formats[i].language, language))
      {
        text = g_date_time_format (when, date_formats[i].format);
        /* Not %p: it follows the process locale, and the receipt follows the member. */
        if (date_formats[i].twelve_hour)
          return g_strconcat (text, g_date_time_get_hour (when) < 12 ? " AM" : " PM", NULL);
        return g_steal_pointer (&text);
      }

  return g_date_time_format (when, DEFAULT_DATE_FORMAT);
}

static const char *
brand_name (const char *brand)
{
  if (g_strcmp0 (brand, "visa") == 0)
    return "Visa";
  if (g_strcmp0 (brand, "mastercard") == 0)
    return "Mastercard";
  if (g_strcmp0 (brand, "discover") == 0)
    return "Discover";
  return brand;
}

static void
add_header (Builder *builder)
{
  PdReceipt *receipt = builder->receipt;

  if (receipt->training)
    add (builder, PD_RECEIPT_LINE_MARK, tr (builder, N_("TRAINING — NOT A PAYMENT")), NULL);
  if (receipt->copy_number > 0)
    add (builder, PD_RECEIPT_LINE_MARK, tr (builder, N_("DUPLICATE")), NULL);

  if (receipt->center_name != NULL)
    add (builder, PD_RECEIPT_LINE_TITLE, receipt->center_name, NULL);
  for (guint i = 0; receipt->center_address != NULL && receipt->center_address[i] != NULL; i++)
    add (builder, PD_RECEIPT_LINE_CENTERED, receipt->center_address[i], NULL);
  if (receipt->center_phone != NULL)
    add (builder, PD_RECEIPT_LINE_CENTERED, receipt->center_phone, NULL);
  if (receipt->center_hours != NULL)
    add (builder, PD_RECEIPT_LINE_CENTERED, receipt->center_hours, NULL);
  add (builder, PD_RECEIPT_LINE_RULE, NULL, NULL);
}

static void
add_payment (Builder *builder)
{
  PdReceipt *receipt = builder->receipt;
  g_autofree char *when = format_date_time (receipt->created_at,
                                            pd_receipt_catalog_get_language (builder->catalog));
  g_autofree char *account = masked (receipt->account_last4);

  add (builder, PD_RECEIPT_LINE_HEADING, tr (builder, N_("Premium payment")), NULL);
  add_field (builder, N_("Date"), when);
  add_field (builder, N_("Terminal"), receipt->terminal_id);
  if (receipt->mode == PD_TERMINAL_MODE_COUNTER)
    add_field (builder, N_("Associate"), receipt->operator_name != NULL ? receipt->operator_name
                                                                     : receipt->operator_id);
  add_field (builder, N_("Member"), receipt->member_name);
  add_field (builder, N_("Account"), account);
  add_field (builder, N_("Plan"),
             tr (builder, pd_line_of_business_get_untranslated_name (receipt->line_of_business)));
  add_field (builder, N_("Invoice"), receipt->invoice_number);
  add (builder, PD_RECEIPT_LINE_RULE, NULL, NULL);
}

static void
add_card (Builder *builder)
{
  PdReceipt *receipt = builder->receipt;
  g_autofree char *card = g_strdup_printf ("%s ****%s", brand_name (receipt->brand),
                                           receipt->last4 != NULL ? receipt->last4 : "");
  const char *entry = NULL;

  if (g_strcmp0 (receipt->entry_mode, "contactless") == 0)
    entry = tr (builder, N_("Contactless"));
  else if (g_strcmp0 (receipt->entry_mode, "chip") == 0)
    entry = tr (builder, N_("Chip"));

  add_field (builder, N_("Card"), card);
  add_field (builder, N_("Entry"), entry);
  add_field (builder, N_("Application"), receipt->app_label);
  add_field (builder, N_("AID"), receipt->aid);
  add_field (builder, N_("TVR"), receipt->tvr);
  add_field (builder, N_("TSI"), receipt->tsi);
  add_field (builder, N_("Authorization code"), receipt->auth_code);
}

static void
add_check (Builder *builder)
{
  PdReceipt *receipt = builder->receipt;
  g_autofree char *account = masked (receipt->last4);

  add_field (builder, N_("Check number"), receipt->check_serial);
  add_field (builder, N_("Routing number"), receipt->routing_number);
  add_field (builder, N_("Bank account"), account);
  if (g_strcmp0 (receipt->check_authorization, "POP") == 0)
    add (builder, PD_RECEIPT_LINE_PARAGRAPH,
         tr (builder, N_("Your check was converted to an electronic debit and returned to "
                         "you.")), NULL);
  else if (g_strcmp0 (receipt->check_authorization, "CHECK21") == 0)
    add (builder, PD_RECEIPT_LINE_PARAGRAPH,
         tr (builder, N_("Your check will be presented to your bank as an image.")), NULL);
}

static void
add_bank (Builder *builder)
{
  PdReceipt *receipt = builder->receipt;
  g_autofree char *account = masked (receipt->last4);
  const char *type = NULL;

  if (g_strcmp0 (receipt->account_type, "checking") == 0)
    type = tr (builder, N_("Checking"));
  else if (g_strcmp0 (receipt->account_type, "savings") == 0)
    type = tr (builder, N_("Savings"));

  add_field (builder, N_("Bank account"), account);
  add_field (builder, N_("Account type"), type);
  add_field (builder, N_("Routing number"), receipt->routing_number);
  add_field (builder, N_("Account holder"), receipt->holder_name);
}

static void
add_tender (Builder *builder)
{
  PdReceipt *receipt = builder->receipt;
  g_autofree char *amount = pd_money_format (receipt->amount,
                                             pd_receipt_catalog_get_language (builder->catalog));
  const char *paid_by[] = {
    [PD_TENDER_CARD] = N_("Card"), [PD_TENDER_CHECK] = N_("Check"),
    [PD_TENDER_BANK] = N_("Bank account (ACH)"),
  };

  add (builder, PD_RECEIPT_LINE_AMOUNT, tr (builder, N_("Amount")), amount);
  if (receipt->tender < G_N_ELEMENTS (paid_by))
    add_field (builder, N_("Paid by"), tr (builder, paid_by[receipt->tender]));

  switch (receipt->tender)
    {
    case PD_TENDER_CARD:
      add_card (builder);
      break;
    case PD_TENDER_CHECK:
      add_check (builder);
      break;
    case PD_TENDER_BANK:
      add_bank (builder);
      break;
    default:
      break;
    }
  add (builder, PD_RECEIPT_LINE_RULE, NULL, NULL);
}

static void
add_status (Builder *builder)
{
  PdReceipt *receipt = builder->receipt;
  static const struct {
    const char *word;
    const char *sentence;
  } statuses[] = {
    [PD_RECEIPT_STATUS_APPROVED] = {
      N_("APPROVED"), N_("Your card payment was approved.") },
    [PD_RECEIPT_STATUS_ACCEPTED] = {
      N_("ACCEPTED"), N_("Your payment was accepted.") },
    [PD_RECEIPT_STATUS_PENDING] = {
      N_("PENDING"),
      N_("Your payment is recorded and will be confirmed when this terminal reaches the "
         "payment system. Keep this receipt; you do not need to pay again.") },
    [PD_RECEIPT_STATUS_DECLINED] = {
      N_("DECLINED"), N_("Your payment was declined. No money was taken.") },
    [PD_RECEIPT_STATUS_NOT_CHARGED] = {
      N_("NOT COMPLETED"), N_("This payment was not completed. No money was taken.") },
    [PD_RECEIPT_STATUS_VOIDED] = {
      N_("VOIDED"), N_("This payment was canceled. No money will be taken.") },
    [PD_RECEIPT_STATUS_REFUNDED] = {
      N_("REFUNDED"),
      N_("This payment was refunded to the card or bank account you paid with. It may take "
         "a few business days to appear.") },
  };
  const char *reference = receipt->confirmation;
  const char *language = pd_receipt_catalog_get_language (builder->catalog);
  const char *reason = NULL;
  g_autofree char *status_when = NULL;

  add (builder, PD_RECEIPT_LINE_STATUS, tr (builder, statuses[receipt->status].word), NULL);
  add (builder, PD_RECEIPT_LINE_PARAGRAPH, tr (builder, statuses[receipt->status].sentence),
       NULL);
  if (receipt->status == PD_RECEIPT_STATUS_DECLINED)
    reason = pd_payment_reason_wording (receipt->reason);
  if (reason != NULL)
    add_field (builder, N_("Reason"), tr (builder, reason));
  if (receipt->status_at != NULL && (receipt->status == PD_RECEIPT_STATUS_VOIDED ||
                                     receipt->status == PD_RECEIPT_STATUS_REFUNDED))
    {
      status_when = format_date_time (receipt->status_at, language);
      add_field (builder, receipt->status == PD_RECEIPT_STATUS_VOIDED ? N_("Voided on")
                                                                      : N_("Refunded on"),
                 status_when);
    }
  add_field (builder, N_("Confirmation number"), reference);
  /* What an associate types to find, void or refund this payment. */
  add_field (builder, N_("Payment reference"), receipt->reference);
  add (builder, PD_RECEIPT_LINE_QR, reference != NULL ? reference : receipt->reference, NULL);
  add (builder, PD_RECEIPT_LINE_RULE, NULL, NULL);
}

/* Drawn on the screen, the strokes and who signed; at the counter without them, a line for
 * the member to sign the paper; at a kiosk, nothing (no pen, no associate to keep it). */
static void
add_authorization_signature (Builder *builder)
{
  PdReceipt *receipt = builder->receipt;
  const char *name = receipt->holder_name != NULL ? receipt->holder_name
                                                  : receipt->member_name;
  g_autofree char *caption = NULL;

  if (receipt->signature != NULL)
    {
      if (name != NULL && *name != '\0')
        /* TRANSLATORS: under the member's signature drawn on the touchscreen; the name of
         * who signed. */
        caption = g_strdup_printf (tr (builder, N_("Signed on screen by %s")), name);
      else
        caption = g_strdup (tr (builder, N_("Signed on screen")));
      add_signature (builder, caption, receipt->signature);
    }
  else if (receipt->mode == PD_TERMINAL_MODE_COUNTER)
    /* TRANSLATORS: before the line where the member signs the printed receipt with a pen. */
    add_signature (builder, tr (builder, N_("Signature:")), NULL);
}

static void
add_authorization (Builder *builder)
{
  PdReceipt *receipt = builder->receipt;
  const char *text;
  g_autofree char *when = NULL;
  g_autofree char *signed_line = NULL;

  if (receipt->authorization_text == NULL || receipt->status == PD_RECEIPT_STATUS_DECLINED ||
      receipt->status == PD_RECEIPT_STATUS_NOT_CHARGED)
    return;

  text = pd_receipt_authorization_text (receipt->authorization_text);
  add (builder, PD_RECEIPT_LINE_HEADING, tr (builder, N_("Your authorization")), NULL);
  if (text != NULL)
    add (builder, PD_RECEIPT_LINE_PARAGRAPH, tr (builder, text), NULL);
  add_authorization_signature (builder);
  when = format_date_time (receipt->created_at,
                           pd_receipt_catalog_get_language (builder->catalog));
  /* TRANSLATORS: the member's name, the terminal, then the date and time. */
  signed_line = g_strdup_printf (tr (builder, N_("Accepted by %s at terminal %s on %s.")),
                                 receipt->holder_name != NULL ? receipt->holder_name
                                 : receipt->member_name != NULL ? receipt->member_name : "",
                                 receipt->terminal_id, when);
  add (builder, PD_RECEIPT_LINE_PARAGRAPH, signed_line, NULL);
  add_field (builder, N_("Authorization version"), receipt->authorization_text);
  add (builder, PD_RECEIPT_LINE_RULE, NULL, NULL);
}

static void
add_notices (Builder *builder)
{
  PdReceipt *receipt = builder->receipt;
  gboolean taken = receipt->status == PD_RECEIPT_STATUS_APPROVED ||
                   receipt->status == PD_RECEIPT_STATUS_ACCEPTED ||
                   receipt->status == PD_RECEIPT_STATUS_PENDING;
  g_autofree char *contact = NULL;

  if (taken)
    {
      add (builder, PD_RECEIPT_LINE_NOTICE,
           tr (builder, N_("Please allow 2 business days for your account balance to "
                           "update.")), NULL);
      add (builder, PD_RECEIPT_LINE_NOTICE,
           tr (builder, N_("A late payment does not guarantee coverage or reinstatement.")),
           NULL);
      add (builder, PD_RECEIPT_LINE_NOTICE,
           tr (builder, N_("Use the right account number for each plan: several accounts "
                           "need separate payments.")), NULL);
      add (builder, PD_RECEIPT_LINE_NOTICE,
           tr (builder, N_("Recurring payments may take an amount different from your "
                           "latest statement balance.")), NULL);
    }

  if (receipt->member_services_phone != NULL)
    /* TRANSLATORS: the member services phone number. TTY 711 is the relay service. */
    contact = g_strdup_printf (tr (builder, N_("Questions? Call member services at %s "
                                               "(TTY 711).")),
                               receipt->member_services_phone);
  else
    contact = g_strdup (tr (builder, N_("Questions? Call member services at the number on "
                                        "your member card (TTY 711).")));
  add (builder, PD_RECEIPT_LINE_NOTICE, contact, NULL);

  if (receipt->training)
    add (builder, PD_RECEIPT_LINE_MARK, tr (builder, N_("TRAINING — NOT A PAYMENT")), NULL);
}

PdReceiptLayout *
pd_receipt_layout_new (PdReceipt  *receipt,
                       const char *language)
{
  g_autoptr(PdReceiptCatalog) catalog = NULL;
  const PdLanguage *known;
  PdReceiptLayout *layout;
  Builder builder;

  g_return_val_if_fail (PD_IS_RECEIPT (receipt), NULL);

  if (language == NULL)
    language = receipt->language;
  known = pd_language_lookup (language);
  catalog = pd_receipt_catalog_new (known != NULL ? known->code : "en");
  if (!pd_receipt_catalog_is_loaded (catalog))
    g_clear_pointer (&catalog, pd_receipt_catalog_free);
  if (catalog == NULL)
    catalog = pd_receipt_catalog_new ("en");

  layout = g_new0 (PdReceiptLayout, 1);
  layout->language = g_strdup (pd_receipt_catalog_get_language (catalog));
  known = pd_language_lookup (layout->language);
  layout->right_to_left = known != NULL && known->right_to_left;
  layout->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) line_free);

  builder = (Builder) { receipt, catalog, layout->lines };
  add_header (&builder);
  add_payment (&builder);
  add_tender (&builder);
  add_status (&builder);
  add_authorization (&builder);
  add_notices (&builder);

  return layout;
}

PdReceiptLayout *
pd_receipt_layout_new_empty (const char *language)
{
  const PdLanguage *known = pd_language_lookup (language != NULL ? language : "en");
  PdReceiptLayout *layout = g_new0 (PdReceiptLayout, 1);

  layout->language = g_strdup (known != NULL ? known->code : "en");
  layout->right_to_left = known != NULL && known->right_to_left;
  layout->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) line_free);
  return layout;
}

void
pd_receipt_layout_add (PdReceiptLayout   *layout,
                       PdReceiptLineKind  kind,
                       const char        *text,
                       const char        *value)
{
  Builder builder = { NULL, NULL, NULL };

  g_return_if_fail (layout != NULL);
  g_return_if_fail (kind != PD_RECEIPT_LINE_SIGNATURE);

  builder.lines = layout->lines;
  add (&builder, kind, text, value);
}

void
pd_receipt_layout_free (PdReceiptLayout *layout)
{
  if (layout == NULL)
    return;

  g_ptr_array_unref (layout->lines);
  g_free (layout->language);
  g_free (layout);
}

char *
pd_receipt_layout_dup_text (PdReceiptLayout *layout)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (layout != NULL, NULL);

  for (guint i = 0; i < layout->lines->len; i++)
    {
      PdReceiptLine *line = g_ptr_array_index (layout->lines, i);

      if (line->text != NULL)
        g_string_append_printf (text, "%s\n", line->text);
      if (line->value != NULL)
        g_string_append_printf (text, "%s\n", line->value);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}
