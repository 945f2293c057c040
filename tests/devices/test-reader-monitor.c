#include "pd-reader-monitor.h"
#include "pd-test-common.h"
#include "pd-test-vpcd.h"

/* Runs under tests/common/run-with-pcscd. What the kiosk's "insert your card" page listens to:
 * readers found, cards coming and going, reported on the main loop. */

typedef struct {
  GPtrArray *readers;
  GPtrArray *events;
  GBytes *atr;
} Seen;

static gboolean
answer_nothing (gpointer      data,
                const guint8 *apdu,
                gsize         length,
                GByteArray   *reply)
{
  g_byte_array_append (reply, (const guint8 *) "\x6d\x00", 2);
  return TRUE;
}

static void
on_reader_added (PdReaderMonitor *monitor,
                 const char      *reader,
                 Seen            *seen)
{
  g_ptr_array_add (seen->readers, g_strdup (reader));
}

static void
on_card_inserted (PdReaderMonitor *monitor,
                  const char      *reader,
                  GBytes          *atr,
                  Seen            *seen)
{
  g_ptr_array_add (seen->events, g_strdup_printf ("inserted %s", reader));
  g_clear_pointer (&seen->atr, g_bytes_unref);
  seen->atr = g_bytes_ref (atr);
}

static void
on_card_removed (PdReaderMonitor *monitor,
                 const char      *reader,
                 Seen            *seen)
{
  g_ptr_array_add (seen->events, g_strdup_printf ("removed %s", reader));
}

/* Only a monitor that never reports ends here. pcscd notices a virtual card at its own
 * pace, which a loaded machine (the sanitizer pass, two programs per core) stretches to
 * seconds: the bound is not a timing, it is a little under the test's own timeout in
 * meson.build, so that the failure says what was awaited. */
#define NOTHING_REPORTED_SECONDS 100

static gboolean
too_late (gpointer data)
{
  g_error ("the reader monitor did not report %s within %d seconds", (const char *) data,
           NOTHING_REPORTED_SECONDS);
  return G_SOURCE_REMOVE;
}

/* Turns the main loop, which the monitor's events wake, until enough of them came. */
static void
spin_until (guint      *count,
            guint       wanted,
            const char *what)
{
  guint deadline = g_timeout_add_seconds (NOTHING_REPORTED_SECONDS, too_late, (gpointer) what);

  while (*count < wanted)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (deadline);
}

static void
test_insert_and_remove (void)
{
  const char *patterns[] = { PD_TEST_VPCD_READER, NULL };
  g_autoptr(PdReaderMonitor) monitor = pd_reader_monitor_new (patterns);
  Seen seen = { g_ptr_array_new_with_free_func (g_free), g_ptr_array_new_with_free_func (g_free),
                NULL };
  PdTestCard *card;

  g_signal_connect (monitor, "reader-added", G_CALLBACK (on_reader_added), &seen);
  g_signal_connect (monitor, "card-inserted", G_CALLBACK (on_card_inserted), &seen);
  g_signal_connect (monitor, "card-removed", G_CALLBACK (on_card_removed), &seen);
  pd_reader_monitor_start (monitor);

  /* Only the reader the pattern names: "Virtual PCD 00 01" is left out. */
  spin_until (&seen.readers->len, 1, "the reader");
  g_assert_cmpstr (g_ptr_array_index (seen.readers, 0), ==, PD_TEST_VPCD_READER);
  g_assert_true (pd_reader_monitor_get_service_available (monitor));
  g_assert_cmpuint (seen.events->len, ==, 0);

  card = pd_test_card_insert (answer_nothing, NULL);
  spin_until (&seen.events->len, 1, "the card inserted");
  g_assert_cmpstr (g_ptr_array_index (seen.events, 0), ==, "inserted " PD_TEST_VPCD_READER);
  g_assert_cmpmem (g_bytes_get_data (seen.atr, NULL), g_bytes_get_size (seen.atr),
                   pd_test_card_atr, sizeof pd_test_card_atr);

  pd_test_card_remove (card);
  spin_until (&seen.events->len, 2, "the card removed");
  g_assert_cmpstr (g_ptr_array_index (seen.events, 1), ==, "removed " PD_TEST_VPCD_READER);
  g_assert_cmpuint (seen.readers->len, ==, 1);

  pd_reader_monitor_stop (monitor);
  g_ptr_array_unref (seen.readers);
  g_ptr_array_unref (seen.events);
  g_clear_pointer (&seen.atr, g_bytes_unref);
}

int
main (int    argc,
      char **argv)
{
  pd_test_init (&argc, &argv);

  g_test_add_func ("/reader-monitor/insert-and-remove", test_insert_and_remove);

  return g_test_run ();
}
