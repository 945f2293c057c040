#include <string.h>

#include <glib/gi18n-lib.h>

#include "pd-emv-select.h"
#include "pd-emv-terminal.h"
#include "pd-hex.h"

#define RID_LENGTH 5

/* reference.md: Visa, Mastercard and Discover with their US common debit applications. The
 * default [card] accepted-aids (pos/config/pd-config.c) lists the same. */
static const PdEmvAid known_aids[] = {
  { "A0000000031010", "visa", "Visa", FALSE, 0x008c },
  { "A0000000980840", "visa", "Visa", TRUE, 0x008c },
  { "A0000000041010", "mastercard", "Mastercard", FALSE, 0x0002 },
  { "A0000000042203", "mastercard", "Mastercard", TRUE, 0x0002 },
  { "A0000001523010", "discover", "Discover", FALSE, 0x0001 },
  { "A0000001524010", "discover", "Discover", TRUE, 0x0001 },
};

G_STATIC_ASSERT (G_N_ELEMENTS (known_aids) <= PD_EMV_MAX_AIDS);

/* Any other application of these schemes: what the kernel assumes of it. */
static const struct {
  const char *rid;
  const char *brand;
  const char *scheme_name;
  gboolean common_debit;
  guint16 version;
} known_schemes[] = {
  { "A000000003", "visa", "Visa", FALSE, 0x008c },
  /* Visa's US common debit RID. */
  { "A000000098", "visa", "Visa", TRUE, 0x008c },
  { "A000000004", "mastercard", "Mastercard", FALSE, 0x0002 },
  { "A000000152", "discover", "Discover", FALSE, 0x0001 },
};

static const struct {
  const char *rid;
  const char *name;
} refused_schemes[] = {
  { "A000000025", "American Express" },
  { "A000000065", "JCB" },
  { "A000000333", "UnionPay" },
  { "A000000324", "Discover Zip" },
  { "A000000003", "Visa" },
  { "A000000004", "Mastercard" },
  { "A000000152", "Discover" },
};

void
pd_emv_terminal_init_defaults (PdEmvTerminal *terminal,
                               gboolean       attended)
{
  /* Unattended (kiosk) or attended (counter), merchant controlled, online only. An expired,
   * not yet valid or restricted card is declined here rather than sent to the issuer. */
  static const guint8 tac_denial[5] = { 0x00, 0x70, 0x00, 0x00, 0x00 };
  static const guint8 tac_online[5] = { 0xdc, 0x40, 0x04, 0xf8, 0x00 };
  static const guint8 tac_default[5] = { 0xdc, 0x40, 0x04, 0xf8, 0x00 };

  g_return_if_fail (terminal != NULL);

  memset (terminal, 0, sizeof *terminal);
  terminal->terminal_type = attended ? 0x21 : 0x24;
  terminal->attended = attended;
  /* Chip with contacts; No CVM, and signature where an associate sees it; SDA, DDA, CDA. */
  terminal->capabilities[0] = 0x20;
  terminal->capabilities[1] = attended ? 0x28 : 0x08;
  terminal->capabilities[2] = 0xc8;
  /* Goods and services, payment; no cash. */
  terminal->additional_capabilities[0] = 0x00;
  terminal->additional_capabilities[1] = 0x60;
  terminal->additional_capabilities[2] = 0xf0;
  terminal->additional_capabilities[3] = 0xa0;
  terminal->additional_capabilities[4] = 0x01;
  /* qVSDC and EMV contact; online cryptogram required; signature only when attended;
   * consumer device CVM. */
  terminal->contactless_qualifiers[0] = attended ? 0x32 : 0x30;
  terminal->contactless_qualifiers[1] = 0x80;
  /* Phone and watch wallets verify their owner themselves (consumer device CVM). */
  terminal->contactless_qualifiers[2] = 0x40;
  terminal->country = 0x0840;
  terminal->currency = 0x0840;
  memcpy (terminal->tac_denial, tac_denial, 5);
  memcpy (terminal->tac_online, tac_online, 5);
  memcpy (terminal->tac_default, tac_default, 5);
  terminal->contactless_limit = 25000;
  terminal->prefer_common_debit = FALSE;
  memcpy (terminal->aids, known_aids, sizeof known_aids);
  terminal->n_aids = G_N_ELEMENTS (known_aids);
}

/* prefix_hex is an AID or a RID as the tables and PdEmvAid hold it: text that is no AID
 * prefixes nothing. */
static gboolean
aid_has_prefix (const guint8 *aid,
                gsize         length,
                const char   *prefix_hex)
{
  guint8 prefix[16];
  gsize prefix_length;

  if (!pd_hex_decode (prefix_hex, prefix, sizeof prefix, &prefix_length))
    return FALSE;

  return length >= prefix_length &&
         (prefix_length == 0 || memcmp (aid, prefix, prefix_length) == 0);
}

/* What the kernel knows of one AID (hex, either case): a known application it extends, else
 * its scheme. */
static gboolean
describe_aid (const char *hex,
              PdEmvAid   *described)
{
  guint8 aid[16];
  gsize length;

  if (!pd_hex_decode (hex, aid, sizeof aid, &length) || length < RID_LENGTH)
    return FALSE;

  memset (described, 0, sizeof *described);
  for (gsize i = 0; i < 2 * length; i++)
    described->aid[i] = g_ascii_toupper (hex[i]);

  for (gsize i = 0; i < G_N_ELEMENTS (known_aids); i++)
    if (aid_has_prefix (aid, length, known_aids[i].aid))
      {
        described->brand = known_aids[i].brand;
        described->scheme_name = known_aids[i].scheme_name;
        described->common_debit = known_aids[i].common_debit;
        described->version = known_aids[i].version;
        return TRUE;
      }

  for (gsize i = 0; i < G_N_ELEMENTS (known_schemes); i++)
    if (aid_has_prefix (aid, length, known_schemes[i].rid))
      {
        described->brand = known_schemes[i].brand;
        described->scheme_name = known_schemes[i].scheme_name;
        described->common_debit = known_schemes[i].common_debit;
        described->version = known_schemes[i].version;
        return TRUE;
      }

  return FALSE;
}

gboolean
pd_emv_terminal_set_aids (PdEmvTerminal       *terminal,
                          const char * const  *aids,
                          GError             **error)
{
  PdEmvAid described[PD_EMV_MAX_AIDS];
  gsize n_aids = 0;

  g_return_val_if_fail (terminal != NULL, FALSE);
  g_return_val_if_fail (aids != NULL, FALSE);

  for (; aids[n_aids] != NULL; n_aids++)
    {
      if (n_aids == PD_EMV_MAX_AIDS)
        {
          g_set_error (error, PD_EMV_ERROR, PD_EMV_ERROR_NOT_ACCEPTED,
                       _("The terminal accepts at most %d applications."), PD_EMV_MAX_AIDS);
          return FALSE;
        }
      if (!describe_aid (aids[n_aids], &described[n_aids]))
        {
          g_set_error (error, PD_EMV_ERROR, PD_EMV_ERROR_NOT_ACCEPTED,
                       _("The application %s is not one the terminal knows."), aids[n_aids]);
          return FALSE;
        }
    }

  if (n_aids == 0)
    {
      g_set_error (error, PD_EMV_ERROR, PD_EMV_ERROR_NOT_ACCEPTED,
                   _("The terminal must accept at least one application."));
      return FALSE;
    }

  memcpy (terminal->aids, described, n_aids * sizeof described[0]);
  terminal->n_aids = n_aids;
  return TRUE;
}

const PdEmvAid *
pd_emv_aids_get (gsize *n_aids)
{
  g_return_val_if_fail (n_aids != NULL, NULL);

  *n_aids = G_N_ELEMENTS (known_aids);
  return known_aids;
}

/* Partial selection (Book 1 section 12.3.1): a card AID may extend the terminal's. */
const PdEmvAid *
pd_emv_aid_lookup (const PdEmvTerminal *terminal,
                   const guint8        *aid,
                   gsize                length)
{
  g_return_val_if_fail (terminal != NULL, NULL);
  g_return_val_if_fail (aid != NULL || length == 0, NULL);

  for (gsize i = 0; i < terminal->n_aids; i++)
    if (aid_has_prefix (aid, length, terminal->aids[i].aid))
      return &terminal->aids[i];

  return NULL;
}

const char *
pd_emv_aid_refused_scheme (const guint8 *aid,
                           gsize         length)
{
  for (gsize i = 0; i < G_N_ELEMENTS (refused_schemes); i++)
    if (aid_has_prefix (aid, length, refused_schemes[i].rid))
      return refused_schemes[i].name;

  return NULL;
}
