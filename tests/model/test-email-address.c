#include "config.h"

#include "pd-email-address.h"
#include "pd-test-common.h"

/* What a member types at a kiosk, and what Paydesk makes of it. */
static void
test_accepted (void)
{
  static const struct {
    const char *typed;
    const char *normalized;
  } cases[] = {
    { "maria@example.org", "maria@example.org" },
    { "  Maria.Gonzalez@EXAMPLE.Org\t", "Maria.Gonzalez@example.org" },
    { "m.l.gonzalez+premiums@mail.example.co.uk", "m.l.gonzalez+premiums@mail.example.co.uk" },
    { "o'brien@example.ie", "o'brien@example.ie" },
    /* A keyboard wedge or a paste may end the line. */
    { "maria@example.org\r\n", "maria@example.org" },
    { "user_1-2@sub-domain.example.com", "user_1-2@sub-domain.example.com" },
    /* A domain in another script goes out in its ASCII form. */
    { "jose@bücher.example", "jose@xn--bcher-kva.example" },
    { "wei@例子.中国", "wei@xn--fsqu00a.xn--fiqs8s" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *normalized = pd_email_address_normalize (cases[i].typed, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (normalized, ==, cases[i].normalized);
    }
}

static void
test_refused (void)
{
  static const struct {
    const char *typed;
    PdEmailAddressError code;
  } cases[] = {
    { "", PD_EMAIL_ADDRESS_ERROR_EMPTY },
    { "   ", PD_EMAIL_ADDRESS_ERROR_EMPTY },
    { "maria.example.org", PD_EMAIL_ADDRESS_ERROR_NO_AT },
    { "@example.org", PD_EMAIL_ADDRESS_ERROR_LOCAL_PART },
    { "maria@", PD_EMAIL_ADDRESS_ERROR_DOMAIN },
    { "maria@example", PD_EMAIL_ADDRESS_ERROR_DOMAIN },
    { "maria@gmail", PD_EMAIL_ADDRESS_ERROR_DOMAIN },
    { "maria@example.", PD_EMAIL_ADDRESS_ERROR_DOMAIN },
    { "maria@.example.org", PD_EMAIL_ADDRESS_ERROR_DOMAIN },
    { "maria@exa mple.org", PD_EMAIL_ADDRESS_ERROR_DOMAIN },
    { "maria@-example.org", PD_EMAIL_ADDRESS_ERROR_DOMAIN },
    { "maria@example.c", PD_EMAIL_ADDRESS_ERROR_DOMAIN },
    { "maria@192.168.1.20", PD_EMAIL_ADDRESS_ERROR_DOMAIN },
    { "maria@[192.168.1.20]", PD_EMAIL_ADDRESS_ERROR_DOMAIN },
    { "maria@@example.org", PD_EMAIL_ADDRESS_ERROR_LOCAL_PART },
    { "ma ria@example.org", PD_EMAIL_ADDRESS_ERROR_LOCAL_PART },
    { ".maria@example.org", PD_EMAIL_ADDRESS_ERROR_LOCAL_PART },
    { "maria.@example.org", PD_EMAIL_ADDRESS_ERROR_LOCAL_PART },
    { "ma..ria@example.org", PD_EMAIL_ADDRESS_ERROR_LOCAL_PART },
    { "\"maria\"@example.org", PD_EMAIL_ADDRESS_ERROR_LOCAL_PART },
    { "maría@example.org", PD_EMAIL_ADDRESS_ERROR_LOCAL_PART },
    { "maria,jose@example.org", PD_EMAIL_ADDRESS_ERROR_LOCAL_PART },
    /* A header injection attempt is a bad address, nothing more. */
    { "maria@example.org\r\nBcc: x@example.org", PD_EMAIL_ADDRESS_ERROR_LOCAL_PART },
    { "maria\n@example.org", PD_EMAIL_ADDRESS_ERROR_LOCAL_PART },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *normalized = pd_email_address_normalize (cases[i].typed, &error);

      g_test_message ("“%s”: %s", cases[i].typed, error != NULL ? error->message : "accepted");
      g_assert_null (normalized);
      g_assert_error (error, PD_EMAIL_ADDRESS_ERROR, (int) cases[i].code);
    }
}

static void
test_lengths (void)
{
  g_autofree char *local_64 = g_strnfill (64, 'a');
  g_autofree char *local_65 = g_strnfill (65, 'a');
  g_autofree char *label_63 = g_strnfill (63, 'b');
  g_autofree char *label_64 = g_strnfill (64, 'b');
  g_autofree char *label_58 = g_strnfill (58, 'c');
  g_autofree char *label_59 = g_strnfill (59, 'c');
  /* 64 + 1 + 63 + 1 + 63 + 1 + 58 + 3: RFC 5321's longest path less its brackets. */
  g_autofree char *longest = g_strdup_printf ("%s@%s.%s.%s.cc", local_64, label_63, label_63,
                                              label_58);
  g_autofree char *too_long = g_strdup_printf ("%s@%s.%s.%s.cc", local_64, label_63, label_63,
                                               label_59);
  g_autofree char *address = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (strlen (longest), ==, 254);
  address = pd_email_address_normalize (longest, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (address, ==, longest);
  g_clear_pointer (&address, g_free);

  address = pd_email_address_normalize (too_long, &error);
  g_assert_error (error, PD_EMAIL_ADDRESS_ERROR, PD_EMAIL_ADDRESS_ERROR_TOO_LONG);
  g_clear_error (&error);

  {
    g_autofree char *long_local = g_strdup_printf ("%s@example.org", local_65);
    g_autofree char *long_label = g_strdup_printf ("maria@%s.org", label_64);

    g_assert_null (pd_email_address_normalize (long_local, &error));
    g_assert_error (error, PD_EMAIL_ADDRESS_ERROR, PD_EMAIL_ADDRESS_ERROR_TOO_LONG);
    g_clear_error (&error);
    g_assert_null (pd_email_address_normalize (long_label, &error));
    g_assert_error (error, PD_EMAIL_ADDRESS_ERROR, PD_EMAIL_ADDRESS_ERROR_DOMAIN);
  }
}

static void
test_masked (void)
{
  g_autofree char *masked = pd_email_address_dup_masked ("maria.gonzalez@example.org");
  g_autofree char *odd = pd_email_address_dup_masked ("no-at-sign");

  g_assert_cmpstr (masked, ==, "m•••@example.org");
  g_assert_cmpstr (odd, ==, "•••");
}

int
main (int   argc,
      char *argv[])
{
  pd_test_init (&argc, &argv);

  g_test_add_func ("/email-address/accepted", test_accepted);
  g_test_add_func ("/email-address/refused", test_refused);
  g_test_add_func ("/email-address/lengths", test_lengths);
  g_test_add_func ("/email-address/masked", test_masked);

  return g_test_run ();
}
