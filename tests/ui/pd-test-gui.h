#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* What the GUI tests share: finding widgets in the real window, reading what it shows, and
 * saving it as a picture to look at. */

GtkWidget *pd_test_gui_find_by_css_class (GtkWidget   *root,
                                          const char  *css_class);
GtkWidget *pd_test_gui_find_by_type      (GtkWidget   *root,
                                          GType        type);
GtkWidget *pd_test_gui_find_by_name      (GtkWidget   *root,
                                          const char  *name);
/* Every visible label's text under root, a line each: what a person would read. */
char      *pd_test_gui_visible_text      (GtkWidget   *root);
/* Every label's and every editable's text under root, shown or not: what is still held. */
char      *pd_test_gui_all_text          (GtkWidget   *root);
/* Mapped, then two frames drawn: what the test reads is what the screen shows. */
void       pd_test_gui_wait_until_drawn  (GtkWidget   *widget);
/* Turns the main loop until *flag is TRUE (a callback sets it). */
void       pd_test_gui_wait_for          (const gboolean *flag);
/* Saves what the window shows as DIR/name when PD_TEST_SCREENSHOT_DIR is set. */
void       pd_test_gui_save_screenshot   (GtkWindow   *window,
                                          const char  *name);

G_END_DECLS
