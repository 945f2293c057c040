#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The debit authorizations a member accepts, by version: the text is never edited once a
 * member has accepted it; a new wording is a new version. Returns the English text (the
 * catalog's msgid), or NULL for a version this build does not know. */
const char *pd_receipt_authorization_text (const char *version);

G_END_DECLS
