#pragma once

#include <glib.h>

#include "pd-money.h"

G_BEGIN_DECLS

#define PD_EMV_MAX_AIDS 16
#define PD_EMV_AID_HEX_SIZE (2 * 16 + 1)

/* An application identifier the terminal accepts, and what it means to the member. */
typedef struct {
  /* Upper-case hex. */
  char aid[PD_EMV_AID_HEX_SIZE];
  /* Payment-core brand id: visa, mastercard, discover. */
  const char *brand;
  const char *scheme_name;
  /* US common debit (Regulation II): another network can carry it. */
  gboolean common_debit;
  /* Terminal application version (9F09) for this AID. */
  guint16 version;
} PdEmvAid;

/* The terminal's EMV parameters: what it tells the card about itself, which applications it
 * accepts and how it decides (Book 4 section 6; 9F35, 9F33, 9F40, TACs). */
typedef struct {
  guint8 terminal_type;
  guint8 capabilities[3];
  guint8 additional_capabilities[5];
  guint8 contactless_qualifiers[4];
  guint16 country;
  guint16 currency;
  guint8 tac_denial[5];
  guint8 tac_online[5];
  guint8 tac_default[5];
  /* Above this amount a tap is refused (the member inserts the card). */
  PdCents contactless_limit;
  /* A counter, where an associate can check a signature. */
  gboolean attended;
  /* Prefer a US common debit application when the card has one. */
  gboolean prefer_common_debit;
  gboolean use_training_keys;
  /* The applications the terminal accepts, in the order it tries them. */
  PdEmvAid aids[PD_EMV_MAX_AIDS];
  gsize n_aids;
} PdEmvTerminal;

/* The built-in parameters, accepting every application pd_emv_aids_get() lists. */
void            pd_emv_terminal_init_defaults (PdEmvTerminal *terminal,
                                               gboolean       attended);
/* Replaces the accepted applications with these (hex AIDs, in order of preference): each
 * takes its brand and version from the kernel's known applications, or from its scheme's
 * RID. Fails, changing nothing, on an AID of a scheme the kernel does not know. */
gboolean        pd_emv_terminal_set_aids      (PdEmvTerminal       *terminal,
                                               const char * const  *aids,
                                               GError             **error);

/* Every application the kernel knows (reference.md), the default accepted list. */
const PdEmvAid *pd_emv_aids_get               (gsize         *n_aids);
/* The application the terminal accepts whose AID is a prefix of (or equal to) aid, or
 * NULL. */
const PdEmvAid *pd_emv_aid_lookup             (const PdEmvTerminal *terminal,
                                               const guint8        *aid,
                                               gsize                length);
/* A name for the scheme of an application the terminal does not accept ("American
 * Express"), or NULL when it is not a known scheme. */
const char     *pd_emv_aid_refused_scheme     (const guint8  *aid,
                                               gsize          length);

G_END_DECLS
