/* paydesk-ctl against USB devices: a virtual receipt printer and a virtual MICR reader in a
 * umockdev testbed, reached by the paydesk-ctl subprocess through the real libusb (it
 * inherits the preload library and the testbed from this process). */
#define _GNU_SOURCE
#include <string.h>

#include <json-glib/json-glib.h>

#include "pd-escpos-reader.h"
#include "pd-printer-test-page.h"
#include "pd-test-common.h"
#include "pd-test-core.h"
#include "pd-usb-test-fixture.h"
#include "pd-virtual-micr.h"

/* The account number on the virtual check, looked for (and not found) in every output. */
#define CHECK_ACCOUNT "7305521946"
#define PERSONAL_CHECK "A021000021A " CHECK_ACCOUNT "C 0123"
#define TORN_CHECK "A021000021A 73055?1946C 0123"

typedef struct {
  PdUsbTestFixture usb;
  PdTestDir tmp;
  PdVirtualPrinter *printer;
  PdVirtualMicr *micr;
  PdTestCore *core;
  char *config_path;
  char *data_dir;
} Fixture;

typedef PdTestRun Run;

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, pd_test_run_clear)

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  pd_usb_test_fixture_set_up (&fixture->usb);
  pd_test_dir_set_up (&fixture->tmp, data);
  fixture->config_path = g_build_filename (fixture->tmp.dir, "paydesk.conf", NULL);
  fixture->data_dir = g_build_filename (fixture->tmp.dir, "state", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->core, pd_test_core_free);
  g_clear_object (&fixture->printer);
  g_clear_object (&fixture->micr);
  pd_usb_test_fixture_tear_down (&fixture->usb, NULL);
  g_free (fixture->config_path);
  g_free (fixture->data_dir);
  pd_test_dir_tear_down (&fixture->tmp, data);
}

/* A training terminal (so no credentials) with real USB devices. */
static void
write_config (Fixture    *fixture,
              const char *printer,
              const char *check_scanner)
{
  g_autofree char *contents = g_strdup_printf ("[terminal]\ntraining = true\n"
                                               "[devices]\nprinter = %s\n"
                                               "check-scanner = %s\n",
                                               printer, check_scanner);

  pd_test_write_file (fixture->config_path, contents);
}

static void
ctl (Fixture    *fixture,
     Run        *run,
     const char *first_arg,
     ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  va_list args;

  g_ptr_array_add (argv, (char *) g_getenv ("PAYDESK_CTL"));
  g_ptr_array_add (argv, "--config");
  g_ptr_array_add (argv, fixture->config_path);
  g_ptr_array_add (argv, "--data-dir");
  g_ptr_array_add (argv, fixture->data_dir);
  if (fixture->core != NULL)
    {
      g_ptr_array_add (argv, "--core-url");
      g_ptr_array_add (argv, fixture->core->url);
    }
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  *run = pd_test_run ((const char * const *) argv->pdata, NULL);
}

static JsonObject *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static JsonObject *
find_peripheral (JsonObject *devices,
                 const char *kind)
{
  JsonArray *peripherals = json_object_get_array_member (devices, "peripherals");

  for (guint i = 0; i < json_array_get_length (peripherals); i++)
    {
      JsonObject *peripheral = json_array_get_object_element (peripherals, i);

      if (g_str_equal (json_object_get_string_member (peripheral, "kind"), kind))
        return peripheral;
    }
  g_assert_not_reached ();
}

static void
plug_printer (Fixture *fixture)
{
  fixture->printer = pd_virtual_printer_new (fixture->usb.testbed, "VP0001");
  pd_virtual_printer_plug (fixture->printer);
  write_config (fixture, "auto", "none");
}

static void
test_devices_lists_printer (Fixture       *fixture,
                            gconstpointer  data)
{
  g_auto(Run) ready = { 0 };
  g_auto(Run) paper_low = { 0 };
  g_autoptr(JsonObject) listed = NULL;
  g_autoptr(JsonObject) low = NULL;
  JsonObject *printer;

  plug_printer (fixture);
  ctl (fixture, &ready, "--json", "devices", NULL);
  listed = parse_json (ready.out);
  printer = find_peripheral (listed, "printer");
  g_assert_cmpstr (json_object_get_string_member (printer, "name"), ==, "Epson TM-T88");
  g_assert_cmpstr (json_object_get_string_member (printer, "health"), ==, "present,ready");
  g_assert_nonnull (strstr (json_object_get_string_member (printer, "location"), "VP0001"));
  g_assert_nonnull (strstr (json_object_get_string_member (printer, "location"), "04b8:0202"));
  /* The scanner is configured as none: listed, and not held against the terminal. */
  g_assert_cmpstr (json_object_get_string_member (find_peripheral (listed, "check_scanner"),
                                                  "setting"), ==, "none");

  pd_virtual_printer_set_paper (fixture->printer, PD_VIRTUAL_PAPER_NEAR_END);
  ctl (fixture, &paper_low, "--json", "devices", NULL);
  low = parse_json (paper_low.out);
  g_assert_cmpstr (json_object_get_string_member (find_peripheral (low, "printer"), "health"),
                   ==, "present,ready,paper-low");
}

static void
test_devices_printer_missing (Fixture       *fixture,
                              gconstpointer  data)
{
  g_auto(Run) run = { 0 };
  g_autoptr(JsonObject) listed = NULL;
  JsonObject *printer;

  write_config (fixture, "usb:04b8:0e15", "none");
  ctl (fixture, &run, "--json", "devices", NULL);
  listed = parse_json (run.out);
  printer = find_peripheral (listed, "printer");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (json_object_get_string_member (printer, "health"), ==, "absent");
  g_assert_nonnull (strstr (json_object_get_string_member (printer, "detail"), "usb:04b8:0e15"));
}

static void
test_printer_test_page (Fixture       *fixture,
                        gconstpointer  data)
{
  g_auto(Run) run = { 0 };
  g_autoptr(GBytes) received = NULL;
  g_autoptr(PdEscposDocument) page = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) qr = NULL;

  plug_printer (fixture);
  ctl (fixture, &run, "printer", "test", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Epson TM-T88"));

  /* What reached the printer, read back as the printer would print it. */
  received = pd_virtual_printer_take_received (fixture->printer);
  page = pd_escpos_document_read_bytes (received, NULL, &error);
  g_assert_no_error (error);
  text = pd_escpos_document_dup_text (page);
  g_assert_nonnull (strstr (text, "Printer test"));
  g_assert_nonnull (strstr (text, "Epson TM-T88, 512 dots wide"));
  qr = pd_escpos_document_dup_qr_payloads (page);
  g_assert_cmpuint (g_strv_length (qr), ==, 1);
  g_assert_cmpstr (qr[0], ==, PD_PRINTER_TEST_PAGE_QR);
  g_assert_cmpuint (pd_escpos_document_count_items (page, PD_ESCPOS_ITEM_CUT), ==, 1);
}

static void
test_printer_test_paper_out (Fixture       *fixture,
                             gconstpointer  data)
{
  g_auto(Run) run = { 0 };
  g_autoptr(GBytes) received = NULL;

  plug_printer (fixture);
  pd_virtual_printer_set_paper (fixture->printer, PD_VIRTUAL_PAPER_OUT);
  ctl (fixture, &run, "printer", "test", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.out, "paper"));
  /* Refused before the job: the status said so, nothing was sent. */
  received = pd_virtual_printer_take_received (fixture->printer);
  g_assert_cmpuint (g_bytes_get_size (received), ==, 0);
}

static void
test_printer_test_busy (Fixture       *fixture,
                        gconstpointer  data)
{
  g_auto(Run) run = { 0 };

  fixture->printer = pd_virtual_printer_new (fixture->usb.testbed, "VP0001");
  pd_virtual_printer_set_kernel_driver (fixture->printer, "usblp", FALSE);
  pd_virtual_printer_plug (fixture->printer);
  write_config (fixture, "auto", "none");
  ctl (fixture, &run, "printer", "test", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "usblp"));
}

static void
assert_lacks_account (const char *text)
{
  g_assert_null (strstr (text, CHECK_ACCOUNT));
}

/* The journal and the core's ledger keep the last four digits only. */
static void
assert_files_lack_account (Fixture *fixture)
{
  g_autofree char *journal = g_build_filename (fixture->data_dir, "journal.sqlite3", NULL);
  g_autofree char *wal = g_strconcat (journal, "-wal", NULL);
  const char *paths[] = { journal, wal, fixture->core->db_path };
  guint read = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (!g_file_get_contents (paths[i], &contents, &length, NULL))
        continue;
      read++;
      g_assert_null (memmem (contents, length, CHECK_ACCOUNT, strlen (CHECK_ACCOUNT)));
    }
  g_assert_cmpuint (read, >=, 2);
}

static void
start_micr (Fixture    *fixture,
            const char *micr_line)
{
  fixture->core = pd_test_core_start (fixture->tmp.dir, 0, NULL);
  fixture->micr = pd_virtual_micr_new (fixture->usb.testbed);
  pd_virtual_micr_plug (fixture->micr);
  if (micr_line != NULL)
    pd_virtual_micr_insert_check (fixture->micr, micr_line);
  write_config (fixture, "none", "usb:04b8:0202");
}

static void
test_pay_check (Fixture       *fixture,
                gconstpointer  data)
{
  g_auto(Run) run = { 0 };
  g_autoptr(JsonObject) answer = NULL;
  JsonObject *check, *payment;

  start_micr (fixture, PERSONAL_CHECK);
  ctl (fixture, &run, "--json", "pay", "--account", "400123456789", "--amount", "75.00",
       "--tender", "check", "--wait", "5", NULL);
  g_assert_cmpint (run.status, ==, 0);
  answer = parse_json (run.out);
  check = json_object_get_object_member (answer, "check");
  payment = json_object_get_object_member (answer, "payment");
  g_assert_cmpstr (json_object_get_string_member (answer, "outcome"), ==, "taken");
  g_assert_cmpstr (json_object_get_string_member (check, "routing_number"), ==, "021000021");
  g_assert_cmpstr (json_object_get_string_member (check, "serial"), ==, "0123");
  g_assert_cmpstr (json_object_get_string_member (check, "account"), ==, "****1946");
  /* The Epson reader has no imager: said in the capture, and POP goes without images. */
  g_assert_nonnull (json_object_get_string_member (check, "images_missing_reason"));
  g_assert_cmpstr (json_object_get_string_member (payment, "state"), ==, "completed");
  g_assert_cmpuint (pd_test_core_count_payments (fixture->core,
                                                 json_object_get_string_member (payment,
                                                                                "client_ref")),
                    ==, 1);
  /* Handed back to the member. */
  g_assert_cmpuint (pd_virtual_micr_get_ejected (fixture->micr), ==, 1);
  assert_lacks_account (run.out);
  assert_lacks_account (run.err);
  assert_files_lack_account (fixture);
}

static void
test_pay_torn_check (Fixture       *fixture,
                     gconstpointer  data)
{
  g_auto(Run) run = { 0 };
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(JsonObject) ledger = NULL;

  start_micr (fixture, TORN_CHECK);
  ctl (fixture, &run, "--json", "pay", "--account", "400123456789", "--amount", "75.00",
       "--tender", "check", "--wait", "5", NULL);
  g_assert_cmpint (run.status, ==, 1);
  answer = parse_json (run.out);
  g_assert_cmpstr (json_object_get_string_member (answer, "outcome"), ==, "refused");
  g_assert_false (json_object_has_member (answer, "payment"));
  g_assert_nonnull (strstr (json_object_get_string_member (answer, "message"),
                            "Nothing was charged"));
  ledger = pd_test_core_ledger (fixture->core);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (ledger, "payments")),
                    ==, 0);
  g_assert_cmpuint (pd_virtual_micr_get_ejected (fixture->micr), ==, 1);
}

static void
test_pay_no_check (Fixture       *fixture,
                   gconstpointer  data)
{
  g_auto(Run) run = { 0 };

  start_micr (fixture, NULL);
  ctl (fixture, &run, "pay", "--account", "400123456789", "--amount", "75.00",
       "--tender", "check", "--wait", "1", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "check"));
}

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int    argc,
      char **argv)
{
  if (!pd_usb_test_init (&argc, &argv))
    return 0;

  ADD ("/ctl-usb/devices/printer", test_devices_lists_printer);
  ADD ("/ctl-usb/devices/printer-missing", test_devices_printer_missing);
  ADD ("/ctl-usb/printer-test/page", test_printer_test_page);
  ADD ("/ctl-usb/printer-test/paper-out", test_printer_test_paper_out);
  ADD ("/ctl-usb/printer-test/kernel-driver-busy", test_printer_test_busy);
  ADD ("/ctl-usb/pay-check/personal", test_pay_check);
  ADD ("/ctl-usb/pay-check/torn", test_pay_torn_check);
  ADD ("/ctl-usb/pay-check/no-check", test_pay_no_check);

  return g_test_run ();
}
