#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What a program that holds card or bank data does first: files it creates are its user's
 * alone (umask 077), and it leaves no core dump behind, nor lets another process of its user
 * read its memory (not dumpable, core size 0). */
void pd_process_harden (void);

G_END_DECLS
