#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Money is always an integer count of cents (US dollars). */
typedef gint64 PdCents;

#define PD_MONEY_ERROR (pd_money_error_quark ())

typedef enum {
  PD_MONEY_ERROR_EMPTY,
  PD_MONEY_ERROR_NEGATIVE,
  PD_MONEY_ERROR_TOO_PRECISE,
  PD_MONEY_ERROR_OVERFLOW,
  PD_MONEY_ERROR_INVALID,
} PdMoneyError;

GQuark    pd_money_error_quark (void);

gboolean  pd_money_parse       (const char  *text,
                                PdCents     *cents,
                                GError     **error);
char     *pd_money_format      (PdCents      cents,
                                const char  *language);

G_END_DECLS
