#include "config.h"

#include <poppler.h>

#include "pd-email-address.h"
#include "pd-receipt-mailer.h"
#include "pd-receipt.h"
#include "pd-smtp-client.h"
#include "pd-test-common.h"
#include "pd-test-core.h"
#include "pd-test-mail.h"
#include "pd-test-service.h"

/* Emailed receipts through the real chain: the journal's queue, libcurl's SMTP client with
 * STARTTLS or TLS and a password, the training mail server (paydesk-mail-sim) keeping what
 * it takes, and each message read back: headers, text, HTML, and the PDF through poppler. */

#define PLAN_ACCOUNT "400123456789"
#define ROUTING "021000021"
#define BANK_ACCOUNT "000987654321"
#define MEMBER_ADDRESS "maria.gonzalez@example.org"
#define PASSWORD "correct horse battery staple"

typedef struct {
  PdTestDir tmp;
  PdTestCore *core;
  PdTestMail *mail;
  PdTestService *terminal;
  char *certificate;
  char *key;
  char *password_file;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  pd_test_dir_set_up (&fixture->tmp, data);
  fixture->core = pd_test_core_start (fixture->tmp.dir, 0, NULL);
  pd_test_make_certificate (fixture->tmp.dir, "mail", &fixture->certificate, &fixture->key);
  fixture->password_file = g_build_filename (fixture->tmp.dir, "mail-password", NULL);
  pd_test_write_secret (fixture->password_file, PASSWORD "\n");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->terminal, pd_test_service_free);
  g_clear_pointer (&fixture->mail, pd_test_mail_free);
  g_clear_pointer (&fixture->core, pd_test_core_free);
  g_free (fixture->certificate);
  g_free (fixture->key);
  g_free (fixture->password_file);
  pd_test_dir_tear_down (&fixture->tmp, data);
}

/* The mail server with STARTTLS and a password (or TLS from the start), plus any faults. */
static void
start_mail (Fixture            *fixture,
            gboolean            implicit_tls,
            const char * const *faults)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (args, g_strdup_printf ("--tls-certificate=%s", fixture->certificate));
  g_ptr_array_add (args, g_strdup_printf ("--tls-key=%s", fixture->key));
  g_ptr_array_add (args, g_strdup ("--user=paydesk-terminal"));
  g_ptr_array_add (args, g_strdup_printf ("--password-file=%s", fixture->password_file));
  if (implicit_tls)
    g_ptr_array_add (args, g_strdup ("--implicit-tls"));
  for (guint i = 0; faults != NULL && faults[i] != NULL; i++)
    g_ptr_array_add (args, g_strdup (faults[i]));
  g_ptr_array_add (args, NULL);

  fixture->mail = pd_test_mail_start (fixture->tmp.dir, (const char * const *) args->pdata);
}

/* The terminal, sending to the mail server started (or to server_url), trusting ca_file. */
static void
open_terminal (Fixture    *fixture,
               const char *server_url,
               const char *password_file,
               const char *ca_file)
{
  g_autofree char *email = g_strdup_printf (
    "[email]\nserver = %s\nusername = paydesk-terminal\npassword-file = %s\n"
    "from = receipts@center.example.org\nca-file = %s\ntimeout-seconds = 20\n",
    server_url != NULL ? server_url : fixture->mail->url,
    password_file != NULL ? password_file : fixture->password_file,
    ca_file != NULL ? ca_file : fixture->certificate);

  g_clear_pointer (&fixture->terminal, pd_test_service_free);
  fixture->terminal = pd_test_service_new (fixture->tmp.dir, fixture->core->url, email);
}

static PdPayment *
pay (Fixture *fixture)
{
  g_autoptr(PdAccount) account = pd_test_service_get_account (fixture->terminal, PLAN_ACCOUNT);

  return pd_test_service_pay_bank (fixture->terminal, account, ROUTING, BANK_ACCOUNT, 7500);
}

static PdReceiptMailer *
new_mailer (Fixture *fixture)
{
  return pd_receipt_mailer_new (fixture->terminal->journal, fixture->terminal->config);
}

static gint64
now_unix (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static gint64
queue (Fixture    *fixture,
       PdPayment  *payment,
       const char *address,
       const char *language)
{
  g_autoptr(PdReceiptMailer) mailer = new_mailer (fixture);
  g_autoptr(GError) error = NULL;
  gint64 id = pd_receipt_mailer_queue (mailer, pd_payment_get_client_ref (payment), address,
                                       language, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static PdEmailState
send_at (Fixture *fixture,
         gint64   id,
         gint64   now)
{
  g_autoptr(PdReceiptMailer) mailer = new_mailer (fixture);
  g_autoptr(GError) error = NULL;
  PdEmailState state = PD_EMAIL_STATE_QUEUED;

  g_assert_true (pd_receipt_mailer_send (mailer, id, now, &state, NULL, &error));
  g_assert_no_error (error);
  return state;
}

static PdJournalEmail *
get_email (Fixture *fixture,
           gint64   id)
{
  g_autoptr(GError) error = NULL;
  PdJournalEmail *email = pd_journal_get_email (fixture->terminal->journal, id, &error);

  g_assert_no_error (error);
  return email;
}

static guint
count_delivered (Fixture *fixture)
{
  g_autoptr(GPtrArray) messages = pd_test_mail_list (fixture->mail);

  return messages->len;
}

static PdTestMessage *
only_message (Fixture *fixture)
{
  g_autoptr(GPtrArray) messages = pd_test_mail_list (fixture->mail);

  g_assert_cmpuint (messages->len, ==, 1);
  return pd_test_message_read (g_ptr_array_index (messages, 0));
}

static char *
pdf_text (GBytes *pdf)
{
  g_autoptr(GError) error = NULL;
  PopplerDocument *document = poppler_document_new_from_bytes (pdf, NULL, &error);
  PopplerPage *page;
  char *text;

  g_assert_no_error (error);
  g_assert_cmpint (poppler_document_get_n_pages (document), ==, 1);
  page = poppler_document_get_page (document, 0);
  text = poppler_page_get_text (page);
  g_object_unref (page);
  g_object_unref (document);
  return text;
}

/* No five digits in a row of the member's bank account, anywhere. */
static void
assert_masked (const char *rendered)
{
  for (gsize i = 0; i + 5 <= strlen (BANK_ACCOUNT); i++)
    {
      g_autofree char *piece = g_strndup (BANK_ACCOUNT + i, 5);

      g_assert_null (strstr (rendered, piece));
    }
}

static void
assert_receipt_message (PdTestMessage *message,
                        PdPayment     *payment,
                        const char    *language)
{
  PdTestMimePart *text = pd_test_message_find (message, "text/plain");
  PdTestMimePart *html = pd_test_message_find (message, "text/html");
  PdTestMimePart *pdf = pd_test_message_find (message, "application/pdf");
  g_autofree char *expected_lang = g_strdup_printf ("<html lang=\"%s\"", language);
  g_autofree char *expected_file = g_strdup_printf ("receipt-%s.pdf",
                                                    pd_payment_get_client_ref (payment));
  g_autofree char *from_pdf = NULL;
  const char *confirmation = pd_payment_get_confirmation (payment);

  g_assert_cmpstr (pd_test_message_header (message, "X-Paydesk-Envelope-From"), ==,
                   "<receipts@center.example.org>");
  g_assert_cmpstr (pd_test_message_header (message, "X-Paydesk-Envelope-To"), ==,
                   "<" MEMBER_ADDRESS ">");
  g_assert_cmpstr (pd_test_message_header (message, "To"), ==, "<" MEMBER_ADDRESS ">");
  g_assert_true (g_str_has_suffix (pd_test_message_header (message, "From"),
                                   "<receipts@center.example.org>"));
  g_assert_cmpstr (pd_test_message_header (message, "MIME-Version"), ==, "1.0");
  g_assert_cmpstr (pd_test_message_header (message, "Content-Language"), ==, language);
  g_assert_cmpstr (pd_test_message_header (message, "Auto-Submitted"), ==, "auto-generated");
  g_assert_nonnull (pd_test_message_header (message, "Date"));
  g_assert_true (g_str_has_suffix (pd_test_message_header (message, "Message-ID"),
                                   "@center.example.org>"));
  g_assert_nonnull (strstr (pd_test_message_header (message, "Subject"), confirmation));

  /* mixed (alternative (text, html), pdf) */
  g_assert_cmpuint (message->structure->len, ==, 5);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (message->structure, 0), "multipart/mixed"));
  g_assert_true (g_str_has_prefix (g_ptr_array_index (message->structure, 1),
                                   "multipart/alternative"));
  g_assert_cmpuint (message->parts->len, ==, 3);
  g_assert_nonnull (text);
  g_assert_nonnull (html);
  g_assert_nonnull (pdf);
  g_assert_true (g_utf8_validate (g_bytes_get_data (text->content, NULL), -1, NULL));
  g_assert_true (g_utf8_validate (g_bytes_get_data (html->content, NULL), -1, NULL));

  /* Each part says the same: the confirmation, the reference, the amount, the last four. */
  from_pdf = pdf_text (pdf->content);
  g_assert_cmpstr (pdf->filename, ==, expected_file);
  for (guint i = 0; i < 3; i++)
    {
      const char *content = i == 0 ? g_bytes_get_data (text->content, NULL)
                          : i == 1 ? g_bytes_get_data (html->content, NULL)
                          : from_pdf;

      g_assert_nonnull (strstr (content, confirmation));
      g_assert_nonnull (strstr (content, pd_payment_get_client_ref (payment)));
      g_assert_nonnull (strstr (content, "75.00"));
      g_assert_nonnull (strstr (content, "4321"));
      assert_masked (content);
    }
  g_assert_nonnull (strstr (g_bytes_get_data (html->content, NULL), expected_lang));
}

/* STARTTLS, then the password: the receipt arrives once, whole, and is a copy on record. */
static void
test_starttls (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(PdPayment) payment = NULL;
  g_autoptr(PdTestMessage) message = NULL;
  g_autoptr(PdJournalEmail) email = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  start_mail (fixture, FALSE, NULL);
  g_assert_true (g_str_has_prefix (fixture->mail->url, "smtp://"));
  open_terminal (fixture, NULL, NULL, NULL);
  payment = pay (fixture);

  id = queue (fixture, payment, "  Maria.Gonzalez@EXAMPLE.org ", NULL);
  email = get_email (fixture, id);
  g_assert_cmpint (email->state, ==, PD_EMAIL_STATE_QUEUED);
  /* The domain is case-blind; the mailbox is the server's business and kept as typed. */
  g_assert_cmpstr (email->recipient, ==, "Maria.Gonzalez@example.org");
  g_clear_pointer (&email, pd_journal_email_free);
  id = queue (fixture, payment, MEMBER_ADDRESS, NULL);
  g_assert_cmpint (pd_journal_count_receipt_copies (fixture->terminal->journal,
                                                    pd_payment_get_id (payment),
                                                    PD_RECEIPT_FORMAT_EMAIL, &error), ==, 0);

  g_assert_cmpint (send_at (fixture, id, now_unix ()), ==, PD_EMAIL_STATE_SENT);
  message = only_message (fixture);
  assert_receipt_message (message, payment, "en");

  email = get_email (fixture, id);
  g_assert_cmpint (email->state, ==, PD_EMAIL_STATE_SENT);
  g_assert_cmpuint (email->attempts, ==, 1);
  g_assert_cmpint (email->smtp_code, ==, 250);
  g_assert_cmpint (pd_journal_count_receipt_copies (fixture->terminal->journal,
                                                    pd_payment_get_id (payment),
                                                    PD_RECEIPT_FORMAT_EMAIL, &error), ==, 1);
  /* An email does not make the printed receipt a duplicate. */
  g_assert_cmpint (pd_journal_count_receipt_copies (fixture->terminal->journal,
                                                    pd_payment_get_id (payment),
                                                    PD_RECEIPT_FORMAT_ESCPOS, &error), ==, 0);
  g_assert_no_error (error);

  /* Sent is final: asking again sends nothing more. */
  g_assert_cmpint (send_at (fixture, id, now_unix () + 86400), ==, PD_EMAIL_STATE_SENT);
  g_assert_cmpuint (count_delivered (fixture), ==, 1);
}

/* TLS from the first byte, and the receipt in the Spanish the member chose: subject, parts
 * and attachment. */
static void
test_implicit_tls_in_spanish (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(PdPayment) payment = NULL;
  g_autoptr(PdTestMessage) message = NULL;
  g_autofree char *subject = NULL;
  PdTestMimePart *text;
  gint64 id;

  start_mail (fixture, TRUE, NULL);
  g_assert_true (g_str_has_prefix (fixture->mail->url, "smtps://"));
  open_terminal (fixture, NULL, NULL, NULL);
  /* Chosen on the terminal before paying: the receipt's language, asked nowhere else. */
  fixture->terminal->parties.language = "es";
  payment = pay (fixture);
  id = queue (fixture, payment, MEMBER_ADDRESS, NULL);

  g_assert_cmpint (send_at (fixture, id, now_unix ()), ==, PD_EMAIL_STATE_SENT);
  message = only_message (fixture);
  assert_receipt_message (message, payment, "es");
  subject = g_strdup_printf ("[CAPACITACIÓN — NO ES UN PAGO] Su confirmación de pago %s",
                             pd_payment_get_confirmation (payment));
  g_assert_cmpstr (pd_test_message_header (message, "Subject"), ==, subject);
  text = pd_test_message_find (message, "text/plain");
  g_assert_nonnull (strstr (g_bytes_get_data (text->content, NULL), "ACEPTADO"));
}

/* The server is down at first: the request waits in the journal, across a restart, and
 * goes out once, on the next try after its backoff. */
static void
test_server_down_then_up (Fixture       *fixture,
                          gconstpointer  data)
{
  const char *faults[] = { "--unavailable-first=1", NULL };
  g_autoptr(PdPayment) payment = NULL;
  g_autoptr(PdJournalEmail) email = NULL;
  g_autoptr(PdTestMessage) message = NULL;
  g_autoptr(GPtrArray) due = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdReceiptMailer) mailer = NULL;
  gint64 now = now_unix ();
  gint64 id;

  start_mail (fixture, FALSE, faults);
  open_terminal (fixture, NULL, NULL, NULL);
  payment = pay (fixture);
  id = queue (fixture, payment, MEMBER_ADDRESS, NULL);

  g_assert_cmpint (send_at (fixture, id, now), ==, PD_EMAIL_STATE_DEFERRED);
  g_assert_cmpuint (count_delivered (fixture), ==, 0);
  email = get_email (fixture, id);
  g_assert_cmpuint (email->attempts, ==, 1);
  g_assert_cmpint (email->next_attempt_at, ==, pd_receipt_mailer_next_attempt (now, 1));
  g_assert_cmpint (email->next_attempt_at, >, now);
  g_assert_nonnull (email->detail);
  g_test_message ("deferred: %s", email->detail);
  g_clear_pointer (&email, pd_journal_email_free);

  /* Not before its time. */
  due = pd_journal_list_emails_due (fixture->terminal->journal, now, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (due->len, ==, 0);
  g_clear_pointer (&due, g_ptr_array_unref);

  /* The terminal restarts: the journal still has it. */
  open_terminal (fixture, NULL, NULL, NULL);
  mailer = new_mailer (fixture);
  g_assert_cmpint (pd_receipt_mailer_send_due (mailer, now + 30, NULL, &error), ==, 0);
  g_assert_cmpuint (count_delivered (fixture), ==, 0);
  g_assert_cmpint (pd_receipt_mailer_send_due (mailer, now + 61, NULL, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpint (pd_receipt_mailer_send_due (mailer, now + 3600, NULL, &error), ==, 0);
  g_assert_no_error (error);

  message = only_message (fixture);
  assert_receipt_message (message, payment, "en");
  email = get_email (fixture, id);
  g_assert_cmpint (email->state, ==, PD_EMAIL_STATE_SENT);
  g_assert_cmpuint (email->attempts, ==, 2);
}

/* Backoff doubles from a minute to an hour, never more. */
static void
test_backoff (void)
{
  g_assert_cmpint (pd_receipt_mailer_next_attempt (1000, 1), ==, 1060);
  g_assert_cmpint (pd_receipt_mailer_next_attempt (1000, 2), ==, 1120);
  g_assert_cmpint (pd_receipt_mailer_next_attempt (1000, 3), ==, 1240);
  g_assert_cmpint (pd_receipt_mailer_next_attempt (1000, 7), ==, 1000 + 3600);
  g_assert_cmpint (pd_receipt_mailer_next_attempt (1000, 500), ==, 1000 + 3600);
}

/* A recipient refused for good is not retried; one refused for now is. */
static void
test_recipient_refused (Fixture       *fixture,
                        gconstpointer  data)
{
  const char *faults[] = { "--reject-recipient=example.net", "--defer-recipient=example.com",
                           NULL };
  g_autoptr(PdPayment) payment = NULL;
  g_autoptr(PdJournalEmail) refused = NULL;
  g_autoptr(PdJournalEmail) deferred = NULL;
  gint64 refused_id, deferred_id;
  gint64 now = now_unix ();

  start_mail (fixture, FALSE, faults);
  open_terminal (fixture, NULL, NULL, NULL);
  payment = pay (fixture);
  refused_id = queue (fixture, payment, "nobody@example.net", NULL);
  deferred_id = queue (fixture, payment, "later@example.com", NULL);

  g_assert_cmpint (send_at (fixture, refused_id, now), ==, PD_EMAIL_STATE_FAILED);
  g_assert_cmpint (send_at (fixture, deferred_id, now), ==, PD_EMAIL_STATE_DEFERRED);
  refused = get_email (fixture, refused_id);
  deferred = get_email (fixture, deferred_id);
  g_assert_cmpint (refused->smtp_code, ==, 550);
  g_assert_cmpint (deferred->smtp_code, ==, 451);
  g_assert_nonnull (strstr (refused->detail, "refused"));
  g_test_message ("refused: %s; deferred: %s", refused->detail, deferred->detail);

  /* A day later only the deferred one is tried again. */
  g_assert_cmpint (send_at (fixture, refused_id, now + 86400), ==, PD_EMAIL_STATE_FAILED);
  g_clear_pointer (&refused, pd_journal_email_free);
  refused = get_email (fixture, refused_id);
  g_assert_cmpuint (refused->attempts, ==, 1);
  g_assert_cmpint (send_at (fixture, deferred_id, now + 86400), ==, PD_EMAIL_STATE_DEFERRED);
  g_assert_cmpuint (count_delivered (fixture), ==, 0);
}

/* A wrong password and an untrusted certificate keep the message queued, untold to anyone
 * else: nothing crosses without the server proven and the terminal signed in. */
static void
test_refused_credentials_and_certificate (Fixture       *fixture,
                                          gconstpointer  data)
{
  g_autoptr(PdPayment) payment = NULL;
  g_autoptr(PdJournalEmail) email = NULL;
  g_autofree char *wrong_password = g_build_filename (fixture->tmp.dir, "wrong-password", NULL);
  g_autofree char *other_certificate = NULL, *other_key = NULL;
  gint64 id;
  gint64 now = now_unix ();

  start_mail (fixture, FALSE, NULL);
  pd_test_write_secret (wrong_password, "Tr0ub4dor&3\n");
  open_terminal (fixture, NULL, wrong_password, NULL);
  payment = pay (fixture);
  id = queue (fixture, payment, MEMBER_ADDRESS, NULL);
  g_assert_cmpint (send_at (fixture, id, now), ==, PD_EMAIL_STATE_DEFERRED);
  email = get_email (fixture, id);
  g_assert_nonnull (strstr (email->detail, "user name or password"));
  g_clear_pointer (&email, pd_journal_email_free);

  pd_test_make_certificate (fixture->tmp.dir, "impostor", &other_certificate, &other_key);
  open_terminal (fixture, NULL, NULL, other_certificate);
  g_assert_cmpint (send_at (fixture, id, now + 3600), ==, PD_EMAIL_STATE_DEFERRED);
  email = get_email (fixture, id);
  g_assert_nonnull (strstr (email->detail, "could not be trusted"));
  g_test_message ("untrusted: %s", email->detail);
  g_clear_pointer (&email, pd_journal_email_free);
  g_assert_cmpuint (count_delivered (fixture), ==, 0);

  /* Set right, it goes. */
  open_terminal (fixture, NULL, NULL, NULL);
  g_assert_cmpint (send_at (fixture, id, now + 7200), ==, PD_EMAIL_STATE_SENT);
  g_assert_cmpuint (count_delivered (fixture), ==, 1);
}

/* After [email] give-up-hours of trying, the request fails with the last reason. */
static void
test_give_up (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(PdPayment) payment = NULL;
  g_autoptr(PdJournalEmail) email = NULL;
  g_autoptr(PdTestMail) stopped = NULL;
  g_autofree char *url = NULL;
  gint64 id;
  gint64 now = now_unix ();

  /* A port where nothing listens any more. */
  start_mail (fixture, FALSE, NULL);
  url = g_strdup (fixture->mail->url);
  stopped = g_steal_pointer (&fixture->mail);
  g_clear_pointer (&stopped, pd_test_mail_free);
  open_terminal (fixture, url, NULL, NULL);
  payment = pay (fixture);
  id = queue (fixture, payment, MEMBER_ADDRESS, NULL);

  g_assert_cmpint (send_at (fixture, id, now), ==, PD_EMAIL_STATE_DEFERRED);
  g_assert_cmpint (send_at (fixture, id, now + 71 * 3600), ==, PD_EMAIL_STATE_DEFERRED);
  g_assert_cmpint (send_at (fixture, id, now + 73 * 3600), ==, PD_EMAIL_STATE_FAILED);
  email = get_email (fixture, id);
  g_assert_cmpuint (email->attempts, ==, 3);
  g_assert_true (g_str_has_prefix (email->detail, "Given up after 3 tries: "));
  g_assert_nonnull (strstr (email->detail, "could not be reached"));
}

/* A claim keeps a second sender (the kiosk and paydesk-ctl at once) off the same message. */
static void
test_claim (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(PdPayment) payment = NULL;
  g_autoptr(PdJournalEmail) snapshot = NULL;
  g_autoptr(PdJournalEmail) after = NULL;
  g_autoptr(GPtrArray) due = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = now_unix ();
  gint64 id;

  start_mail (fixture, FALSE, NULL);
  open_terminal (fixture, NULL, NULL, NULL);
  payment = pay (fixture);
  id = queue (fixture, payment, MEMBER_ADDRESS, NULL);
  snapshot = get_email (fixture, id);

  g_assert_true (pd_journal_claim_email (fixture->terminal->journal, snapshot, now + 120, &error));
  g_assert_no_error (error);
  /* The other sender read the same snapshot: its claim loses, without an error. */
  g_assert_false (pd_journal_claim_email (fixture->terminal->journal, snapshot, now + 120,
                                          &error));
  g_assert_no_error (error);
  g_assert_cmpint (send_at (fixture, id, now), ==, PD_EMAIL_STATE_SENDING);
  g_assert_cmpuint (count_delivered (fixture), ==, 0);

  /* A claim whose sender died lapses. */
  due = pd_journal_list_emails_due (fixture->terminal->journal, now + 121, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (due->len, ==, 1);
  g_assert_cmpint (send_at (fixture, id, now + 121), ==, PD_EMAIL_STATE_SENT);
  after = get_email (fixture, id);
  g_assert_cmpuint (after->attempts, ==, 2);
  g_assert_cmpuint (count_delivered (fixture), ==, 1);
}

/* Mistyped addresses and a terminal without a mail server are told at once; nothing is
 * queued that could never go. */
static void
test_refused_before_queueing (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(PdPayment) payment = NULL;
  g_autoptr(PdReceiptMailer) mailer = NULL;
  g_autoptr(GPtrArray) emails = NULL;
  g_autoptr(GError) error = NULL;

  start_mail (fixture, FALSE, NULL);
  open_terminal (fixture, NULL, NULL, NULL);
  payment = pay (fixture);
  mailer = new_mailer (fixture);

  g_assert_cmpint (pd_receipt_mailer_queue (mailer, pd_payment_get_client_ref (payment),
                                            "maria.gonzalez@gmail", NULL, &error), ==, 0);
  g_assert_error (error, PD_EMAIL_ADDRESS_ERROR, PD_EMAIL_ADDRESS_ERROR_DOMAIN);
  g_clear_error (&error);
  g_assert_cmpint (pd_receipt_mailer_queue (mailer, "TRAIN-01-DOESNOTEXIST", MEMBER_ADDRESS,
                                            NULL, &error), ==, 0);
  g_assert_error (error, PD_RECEIPT_ERROR, PD_RECEIPT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The same terminal without [email]. */
  g_clear_object (&mailer);
  g_clear_pointer (&fixture->terminal, pd_test_service_free);
  fixture->terminal = pd_test_service_new (fixture->tmp.dir, fixture->core->url, NULL);
  mailer = new_mailer (fixture);
  g_assert_cmpint (pd_receipt_mailer_queue (mailer, pd_payment_get_client_ref (payment),
                                            MEMBER_ADDRESS, NULL, &error), ==, 0);
  g_assert_error (error, PD_SMTP_ERROR, PD_SMTP_ERROR_NOT_SET_UP);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  emails = pd_journal_list_emails (fixture->terminal->journal, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (emails->len, ==, 0);
}

/* paydesk-ctl receipt --email, email list and email send, as an associate runs them. */
static void
test_ctl (Fixture       *fixture,
          gconstpointer  data)
{
  const char *faults[] = { "--defer-recipient=example.com", NULL };
  g_autoptr(PdPayment) payment = NULL;
  g_autofree char *config = g_build_filename (fixture->tmp.dir, "paydesk.conf", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  start_mail (fixture, FALSE, faults);
  open_terminal (fixture, NULL, NULL, NULL);
  payment = pay (fixture);

  {
    const char *argv[] = { g_getenv ("PAYDESK_CTL"), "--config", config, "--json", "receipt",
                           pd_payment_get_client_ref (payment), "--email", MEMBER_ADDRESS,
                           NULL };
    g_auto(PdTestRun) run = pd_test_run (argv, NULL);

    g_assert_cmpint (run.status, ==, 0);
    g_assert_true (json_parser_load_from_data (parser, run.out, -1, &error));
    g_assert_no_error (error);
    object = json_node_get_object (json_parser_get_root (parser));
    g_assert_cmpstr (json_object_get_string_member (object, "state"), ==, "sent");
    g_assert_cmpstr (json_object_get_string_member (object, "recipient"), ==, MEMBER_ADDRESS);
  }
  g_assert_cmpuint (count_delivered (fixture), ==, 1);

  {
    const char *argv[] = { g_getenv ("PAYDESK_CTL"), "--config", config, "receipt",
                           pd_payment_get_client_ref (payment), "--email", "later@example.com",
                           NULL };
    g_auto(PdTestRun) run = pd_test_run (argv, NULL);

    /* Queued, not sent: the associate is told when it is tried again. */
    g_assert_cmpint (run.status, ==, 1);
    g_assert_nonnull (strstr (run.out, "It stays queued and is tried again from"));
  }
  {
    const char *argv[] = { g_getenv ("PAYDESK_CTL"), "--config", config, "receipt",
                           pd_payment_get_client_ref (payment), "--email", "maria@", NULL };
    g_auto(PdTestRun) run = pd_test_run (argv, NULL);

    g_assert_cmpint (run.status, ==, 2);
    g_assert_nonnull (strstr (run.err, "after the @"));
  }
  {
    const char *argv[] = { g_getenv ("PAYDESK_CTL"), "--config", config, "--json", "email",
                           "list", NULL };
    g_auto(PdTestRun) run = pd_test_run (argv, NULL);
    JsonArray *emails;

    g_assert_cmpint (run.status, ==, 0);
    g_assert_true (json_parser_load_from_data (parser, run.out, -1, &error));
    g_assert_no_error (error);
    emails = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                           "emails");
    g_assert_cmpuint (json_array_get_length (emails), ==, 2);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (emails, 0),
                                                    "state"), ==, "sent");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (emails, 1),
                                                    "state"), ==, "deferred");
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (emails, 1),
                                                 "smtp_code"), ==, 451);
  }
  {
    const char *argv[] = { g_getenv ("PAYDESK_CTL"), "--config", config, "--json", "email",
                           "send", NULL };
    g_auto(PdTestRun) run = pd_test_run (argv, NULL);

    /* Not due yet: nothing is tried, and one still waits. */
    g_assert_cmpint (run.status, ==, 1);
    g_assert_true (json_parser_load_from_data (parser, run.out, -1, &error));
    g_assert_no_error (error);
    object = json_node_get_object (json_parser_get_root (parser));
    g_assert_cmpint (json_object_get_int_member (object, "sent"), ==, 0);
    g_assert_cmpint (json_object_get_int_member (object, "waiting"), ==, 1);
  }
  g_assert_cmpuint (count_delivered (fixture), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  pd_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/email/starttls", test_starttls);
  ADD ("/email/implicit-tls-in-spanish", test_implicit_tls_in_spanish);
  ADD ("/email/server-down-then-up", test_server_down_then_up);
  g_test_add_func ("/email/backoff", test_backoff);
  ADD ("/email/recipient-refused", test_recipient_refused);
  ADD ("/email/refused-credentials-and-certificate", test_refused_credentials_and_certificate);
  ADD ("/email/give-up", test_give_up);
  ADD ("/email/claim", test_claim);
  ADD ("/email/refused-before-queueing", test_refused_before_queueing);
  ADD ("/email/ctl", test_ctl);

#undef ADD

  return g_test_run ();
}
