#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The language the screens speak. The kiosk's catalogs are the installed ones, or the build
 * tree's for the build tree's own programs (./run training, the tests): an installed
 * program never reads catalogs from a build machine's path. */
void        pd_screen_language_bind (void);
/* From now on, _() and the templates built afterwards speak language (a tag of
 * pd-language.h, "es"); the pages already built keep theirs until rebuilt. */
void        pd_screen_language_set  (const char *language);
const char *pd_screen_language_get  (void);

G_END_DECLS
