#include <malloc.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "pd-test-kiosk.h"

/* The kiosk's own speed, on the real window under Xvfb against the training core:
 *   cold start: process start to GTK ready, plus the kiosk window (its flow and every page)
 *   built to its first frame drawn; the training core's and the journal's start between the
 *   two are the test's, not the kiosk's (the kiosk opens its terminal after its first page);
 *   each page's transition: the flow's action itself (the old page left, the new one shown),
 *   and from the action to the next frame drawn (Xvfb paces frames at 60 a second);
 *   memory: the resident set while N bank payments are driven through the whole flow in
 *   one process.
 * It prints a table and fails only when a payment is not taken, never on timing. */

static gint64 process_start_us;
static guint payments_option = 1500;

static const GOptionEntry options[] = {
  { "payments", 'n', 0, G_OPTION_ARG_INT, &payments_option,
    "Bank payments driven through the flow (default 1500)", "N" },
  { NULL },
};

static void
on_after_paint (GdkFrameClock *clock,
                gboolean      *painted)
{
  *painted = TRUE;
}

/* Turns the main loop until the window's next frame is drawn; microseconds since start_us. */
static gint64
wait_for_frame (GtkWidget *window,
                gint64     start_us)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);
  gboolean painted = FALSE;
  gulong handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint),
                                     &painted);

  gtk_widget_queue_draw (window);
  while (!painted)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (clock, handler);
  return g_get_monotonic_time () - start_us;
}

static gsize
resident_kib (void)
{
  g_autofree char *statm = NULL;
  unsigned long size = 0, resident = 0;

  /* What the process holds, not what malloc keeps of what it freed. */
  malloc_trim (0);
  if (!g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL) ||
      sscanf (statm, "%lu %lu", &size, &resident) != 2)
    return 0;
  return (gsize) resident * (gsize) sysconf (_SC_PAGESIZE) / 1024;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static const char * const pages[] = {
  "identify", "accounts", "amount", "tender", "card", "check", "bank", "authorize", "result",
  "receipt",
};

/* Each page shown from the attract page (flow.go) and back (flow.restart), 21 times; the
 * median and the worst in milliseconds. */
static void
measure_transitions (PdTestKiosk *kiosk)
{
  GtkWidget *window = GTK_WIDGET (kiosk->window);

  g_print ("\n| page | action median ms | action worst ms | next frame median ms |\n"
           "| --- | ---: | ---: | ---: |\n");
  for (gsize i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      gint64 actions[21];
      gint64 frames[21];

      for (gsize run = 0; run < G_N_ELEMENTS (actions); run++)
        {
          gint64 start = g_get_monotonic_time ();

          gtk_widget_activate_action (GTK_WIDGET (kiosk->flow), "flow.go", "s", pages[i]);
          actions[run] = g_get_monotonic_time () - start;
          frames[run] = wait_for_frame (window, start);
          g_assert_cmpstr (pd_flow_get_visible_page_name (kiosk->flow), ==, pages[i]);
          gtk_widget_activate_action (GTK_WIDGET (kiosk->flow), "flow.restart", NULL);
          wait_for_frame (window, g_get_monotonic_time ());
        }
      qsort (actions, G_N_ELEMENTS (actions), sizeof actions[0], compare_gint64);
      qsort (frames, G_N_ELEMENTS (frames), sizeof frames[0], compare_gint64);
      g_print ("| %s | %.2f | %.2f | %.2f |\n", pages[i], actions[10] / 1000.0,
               actions[G_N_ELEMENTS (actions) - 1] / 1000.0, frames[10] / 1000.0);
    }
}

/* One bank payment through every page, then the visit ends as a member's does. */
static void
pay_once (PdTestKiosk *kiosk)
{
  pd_test_kiosk_reach_tender (kiosk, "minimum");
  pd_test_kiosk_act (pd_test_kiosk_page (kiosk), "tender.choose", "bank");
  pd_test_kiosk_settle (kiosk);
  pd_test_kiosk_pay_by_bank (kiosk);
  g_assert_cmpstr (pd_flow_get_visible_page_name (kiosk->flow), ==, "result");
  g_assert_nonnull (pd_visit_get_payment (pd_flow_get_visit (kiosk->flow)));
  gtk_widget_activate_action (GTK_WIDGET (kiosk->flow), "flow.restart", NULL);
  /* Idle work the visit left (a rebuilt page, a finished worker) is done before the next. */
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

/* The resident set after the first tenth (warm-up), after half, and at the end: the last
 * half shows whether it still grows once the caches (the journal's SQLite page cache, 2 MB)
 * are full. */
static void
measure_memory (PdTestKiosk *kiosk)
{
  guint warm_up = MAX (1, payments_option / 10);
  guint half = MAX (warm_up + 1, payments_option / 2);
  gsize after_warm_up = 0;
  gsize after_half = 0;
  gsize at_end;
  gint64 start = 0;

  for (guint i = 0; i < payments_option; i++)
    {
      if (i == warm_up)
        {
          after_warm_up = resident_kib ();
          start = g_get_monotonic_time ();
        }
      if (i == half)
        after_half = resident_kib ();
      pay_once (kiosk);
      if (g_getenv ("PD_BENCH_TRACE") != NULL && (i + 1) % MAX (1, payments_option / 10) == 0)
        g_printerr ("after %u payments: %zu KiB\n", i + 1, resident_kib ());
    }
  at_end = resident_kib ();
  g_print ("\n| payments | RSS after %u | after %u | after %u | growth, last half | "
           "ms per payment |\n| ---: | ---: | ---: | ---: | ---: | ---: |\n"
           "| %u | %zu KiB | %zu KiB | %zu KiB | %+ld KiB | %.1f |\n",
           warm_up, half, payments_option, payments_option, after_warm_up, after_half, at_end,
           (long) at_end - (long) after_half,
           (g_get_monotonic_time () - start) / 1000.0 / MAX (1, payments_option - warm_up));
  g_assert_cmpuint (pd_test_core_count_ledger (kiosk->core), ==, payments_option);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  PdTestKiosk kiosk = { 0 };
  gint64 gtk_ready;
  gint64 first_frame;

  process_start_us = g_get_monotonic_time ();
  context = g_option_context_new (NULL);
  g_option_context_add_main_entries (context, options, NULL);
  g_option_context_set_ignore_unknown_options (context, TRUE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (!pd_test_kiosk_init (&argc, &argv))
    return 0;
  gtk_ready = g_get_monotonic_time () - process_start_us;

  /* The first frame of a kiosk window with its flow and every page built. */
  pd_test_kiosk_set_up (&kiosk, NULL);
  first_frame = kiosk.first_frame_us - kiosk.window_started_us;
  g_print ("| cold start | ms |\n| --- | ---: |\n"
           "| process start to GTK and libadwaita ready | %.1f |\n"
           "| kiosk window built to its first frame drawn | %.1f |\n"
           "| together | %.1f |\n", gtk_ready / 1000.0, first_frame / 1000.0,
           (gtk_ready + first_frame) / 1000.0);

  measure_transitions (&kiosk);
  measure_memory (&kiosk);

  pd_test_kiosk_tear_down (&kiosk, NULL);
  return 0;
}
