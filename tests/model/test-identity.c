#include "pd-identity.h"
#include "pd-test-common.h"

static void
assert_field_error (GError  *error,
                    PdField  field)
{
  g_assert_error (error, PD_FIELD_ERROR, (int) field);
  g_assert_cmpstr (error->message, !=, "");
}

static void
test_member_id (void)
{
  static const char * const bad[] = {
    "", "1234567890", "123456789012", "1234567890a", "12345 67890 1 2", "١٢٣٤٥٦٧٨٩٠١",
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *plain = pd_validate_member_id ("12345678901", &error);
  g_autofree char *grouped = pd_validate_member_id (" 123-4567-8901 ", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (plain, ==, "12345678901");
  g_assert_cmpstr (grouped, ==, "12345678901");

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) bad_error = NULL;

      g_assert_null (pd_validate_member_id (bad[i], &bad_error));
      assert_field_error (bad_error, PD_FIELD_MEMBER_ID);
    }
}

static void
test_zip (void)
{
  static const char * const bad[] = { "", "1234", "123456", "1234a", "12345-678", "12345 6789" };
  g_autoptr(GError) error = NULL;
  g_autofree char *zip = pd_validate_zip (" 10001 ", &error);
  g_autofree char *zip_plus_four = pd_validate_zip ("10001-1234", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (zip, ==, "10001");
  g_assert_cmpstr (zip_plus_four, ==, "10001");

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) bad_error = NULL;

      g_assert_null (pd_validate_zip (bad[i], &bad_error));
      assert_field_error (bad_error, PD_FIELD_ZIP);
    }
}

static void
test_date_of_birth (void)
{
  static const char * const bad[] = {
    "", "1961-02-30", "02/29/2023", "13/01/1990", "00/10/1990", "1990-1-1", "1/1/90",
    "2026-11-24", "12/31/2030", "1899-12-31", "+1/01/1990", "1990-01-01x", "01/01/ 1990",
  };
  GDate today;
  GDate date;
  g_autoptr(GError) error = NULL;

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 23, G_DATE_NOVEMBER, 2026);
  g_date_clear (&date, 1);

  g_assert_true (pd_validate_date_of_birth ("07/04/1961", &today, &date, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_date_get_year (&date), ==, 1961);
  g_assert_cmpint (g_date_get_month (&date), ==, 7);
  g_assert_cmpint (g_date_get_day (&date), ==, 4);

  g_assert_true (pd_validate_date_of_birth ("2/29/2024", &today, &date, &error));
  g_assert_true (pd_validate_date_of_birth ("2026-11-23", &today, &date, &error));
  g_assert_true (pd_validate_date_of_birth ("1906-11-23", &today, &date, &error));
  g_assert_no_error (error);

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) bad_error = NULL;

      g_test_message ("date of birth “%s”", bad[i]);
      g_assert_false (pd_validate_date_of_birth (bad[i], &today, &date, &bad_error));
      assert_field_error (bad_error, PD_FIELD_DATE_OF_BIRTH);
    }
}

static void
test_names (void)
{
  static const struct { const char *in; const char *out; } good[] = {
    { "  Maria ", "Maria" },
    { "José  Luis", "José Luis" },
    { "Jose\u0301", "José" },
    { "O’Brien-Smith", "O’Brien-Smith" },
    { "Jr.", "Jr." },
    { "王秀英", "王秀英" },
    { "Фёдоров", "Фёдоров" },
    { "محمد", "محمد" },
    { "অমিত", "অমিত" },
  };
  static const char * const bad[] = {
    "", "   ", "R2D2", "Anne@Home", "--", "\xff\xfe", "<script>",
    "Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *name = pd_validate_name (PD_FIELD_FIRST_NAME, good[i].in, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (name, ==, good[i].out);
    }

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_null (pd_validate_name (PD_FIELD_LAST_NAME, bad[i], &error));
      assert_field_error (error, PD_FIELD_LAST_NAME);
    }
}

static void
test_email (void)
{
  static const struct { const char *in; const char *out; } good[] = {
    { "maria@example.com", "maria@example.com" },
    { " Maria.Gonzalez+plan@Mail.Example.ORG ", "Maria.Gonzalez+plan@mail.example.org" },
    { "a@b-c.co", "a@b-c.co" },
  };
  static const char * const bad[] = {
    "", "maria", "maria@", "@example.com", "maria@example", "maria@@example.com",
    "ma ria@example.com", ".maria@example.com", "maria.@example.com", "ma..ria@example.com",
    "maria@-example.com", "maria@example.c", "maria@exa_mple.com", "maria@example.123",
    "maría@example.com",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *email = pd_validate_email (good[i].in, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (email, ==, good[i].out);
    }

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("email “%s”", bad[i]);
      g_assert_null (pd_validate_email (bad[i], &error));
      assert_field_error (error, PD_FIELD_EMAIL);
    }
}

static void
test_invoice_fields (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *account = pd_validate_invoice_account ("4001 2345 6789", &error);
  g_autofree char *invoice = pd_validate_invoice_number ("inv-2026-110042", &error);
  g_autoptr(GError) short_account = NULL;
  g_autoptr(GError) long_account = NULL;
  g_autoptr(GError) letters_account = NULL;
  g_autoptr(GError) short_invoice = NULL;
  g_autoptr(GError) symbol_invoice = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (account, ==, "400123456789");
  g_assert_cmpstr (invoice, ==, "INV2026110042");

  g_assert_null (pd_validate_invoice_account ("1234567", &short_account));
  assert_field_error (short_account, PD_FIELD_INVOICE_ACCOUNT);
  g_assert_null (pd_validate_invoice_account ("1234567890123", &long_account));
  assert_field_error (long_account, PD_FIELD_INVOICE_ACCOUNT);
  g_assert_null (pd_validate_invoice_account ("40012345678A", &letters_account));
  assert_field_error (letters_account, PD_FIELD_INVOICE_ACCOUNT);
  g_assert_null (pd_validate_invoice_number ("A1234", &short_invoice));
  assert_field_error (short_invoice, PD_FIELD_INVOICE_NUMBER);
  g_assert_null (pd_validate_invoice_number ("INV#123456", &symbol_invoice));
  assert_field_error (symbol_invoice, PD_FIELD_INVOICE_NUMBER);
}

static void
test_identification_forms (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdIdentification) member = NULL;
  g_autoptr(PdIdentification) no_email = NULL;
  g_autoptr(PdIdentification) invoice = NULL;
  g_autoptr(PdIdentification) account_zip = NULL;
  g_autoptr(PdIdentification) bad_zip = NULL;
  g_autoptr(PdIdentification) bad_email = NULL;
  g_autoptr(GError) zip_error = NULL;
  g_autoptr(GError) email_error = NULL;

  member = pd_identification_new_member ("12345678901", "10001", "07/04/1961", "Maria",
                                         "Gonzalez", "maria@example.com", &error);
  g_assert_no_error (error);
  g_assert_cmpint (member->kind, ==, PD_IDENTIFICATION_MEMBER);
  g_assert_cmpstr (member->email, ==, "maria@example.com");
  g_assert_cmpint (g_date_get_year (&member->date_of_birth), ==, 1961);

  no_email = pd_identification_new_member ("12345678901", "10001", "1961-07-04", "Maria",
                                           "Gonzalez", "", &error);
  g_assert_no_error (error);
  g_assert_null (no_email->email);

  {
    g_autoptr(PdIdentification) without_id = NULL;

    without_id = pd_identification_new_member (NULL, "10025", "1980-01-01", "John", "Smith",
                                               NULL, &error);
    g_assert_no_error (error);
    g_assert_null (without_id->member_id);
  }

  invoice = pd_identification_new_invoice ("400123456789", "INV2026110042", &error);
  g_assert_no_error (error);
  g_assert_cmpint (invoice->kind, ==, PD_IDENTIFICATION_INVOICE);

  account_zip = pd_identification_new_account_zip ("400123456789", "10001", &error);
  g_assert_no_error (error);
  g_assert_cmpint (account_zip->kind, ==, PD_IDENTIFICATION_ACCOUNT_ZIP);
  g_assert_cmpstr (account_zip->zip, ==, "10001");

  bad_zip = pd_identification_new_account_zip ("400123456789", "1000", &zip_error);
  g_assert_null (bad_zip);
  assert_field_error (zip_error, PD_FIELD_ZIP);

  bad_email = pd_identification_new_member ("12345678901", "10001", "07/04/1961", "Maria",
                                            "Gonzalez", "maria@", &email_error);
  g_assert_null (bad_email);
  assert_field_error (email_error, PD_FIELD_EMAIL);
}

int
main (int    argc,
      char **argv)
{
  pd_test_init (&argc, &argv);

  g_test_add_func ("/identity/member-id", test_member_id);
  g_test_add_func ("/identity/zip", test_zip);
  g_test_add_func ("/identity/date-of-birth", test_date_of_birth);
  g_test_add_func ("/identity/names", test_names);
  g_test_add_func ("/identity/email", test_email);
  g_test_add_func ("/identity/invoice-fields", test_invoice_fields);
  g_test_add_func ("/identity/forms", test_identification_forms);

  return g_test_run ();
}
