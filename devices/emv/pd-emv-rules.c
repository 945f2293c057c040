#include <string.h>

#include "pd-emv-rules.h"
#include "pd-emv-tags.h"

void
pd_emv_tvr_set (guint8 tvr[5],
                guint  bit)
{
  tvr[bit >> 8] |= (guint8) (bit & 0xff);
}

gboolean
pd_emv_tvr_has (const guint8 tvr[5],
                guint        bit)
{
  return (tvr[bit >> 8] & (bit & 0xff)) != 0;
}

/* Application usage control, byte 1. */
#define AUC_DOMESTIC_SERVICES 0x08
#define AUC_INTERNATIONAL_SERVICES 0x04
#define AUC_NOT_AN_ATM 0x01

/* BCD YYMMDD compared as numbers (EMV dates are 1950-2049). */
static guint
date_value (const guint8 *bcd)
{
  guint year = (bcd[0] >> 4) * 10 + (bcd[0] & 0x0f);
  guint month = (bcd[1] >> 4) * 10 + (bcd[1] & 0x0f);
  guint day = (bcd[2] >> 4) * 10 + (bcd[2] & 0x0f);

  year += year < 50 ? 2000 : 1900;
  return year * 10000 + month * 100 + day;
}

void
pd_emv_check_restrictions (PdEmvData           *data,
                           const PdEmvTerminal *terminal,
                           guint16              terminal_version,
                           const guint8         today[3],
                           guint8               tvr[5])
{
  const guint8 *version = pd_emv_data_peek (data, PD_TAG_APP_VERSION_CARD, 2);
  const guint8 *usage = pd_emv_data_peek (data, PD_TAG_AUC, 2);
  const guint8 *country = pd_emv_data_peek (data, PD_TAG_ISSUER_COUNTRY, 2);
  const guint8 *effective = pd_emv_data_peek (data, PD_TAG_EFFECTIVE, 3);
  const guint8 *expiry = pd_emv_data_peek (data, PD_TAG_EXPIRY, 3);

  if (version != NULL && (guint16) (version[0] << 8 | version[1]) != terminal_version)
    pd_emv_tvr_set (tvr, PD_TVR_VERSIONS_DIFFER);

  /* A premium is a service. Without the issuer's country (5F28) only the ATM bit can be
   * checked (Book 3 section 10.4.2). */
  if (usage != NULL)
    {
      gboolean domestic = country != NULL &&
                          (guint16) (country[0] << 8 | country[1]) == terminal->country;
      guint8 wanted = domestic ? AUC_DOMESTIC_SERVICES : AUC_INTERNATIONAL_SERVICES;

      if (!(usage[0] & AUC_NOT_AN_ATM) || (country != NULL && !(usage[0] & wanted)))
        pd_emv_tvr_set (tvr, PD_TVR_SERVICE_NOT_ALLOWED);
    }

  g_return_if_fail (today != NULL);

  if (effective != NULL && date_value (effective) > date_value (today))
    pd_emv_tvr_set (tvr, PD_TVR_NOT_YET_EFFECTIVE);
  if (expiry != NULL && date_value (expiry) < date_value (today))
    pd_emv_tvr_set (tvr, PD_TVR_EXPIRED);
}

static const guint8 *
issuer_code (PdEmvData    *data,
             guint32       tag,
             const guint8 *fallback)
{
  const guint8 *code = pd_emv_data_peek (data, tag, 5);

  return code != NULL ? code : fallback;
}

gboolean
pd_emv_action_denies (PdEmvData           *data,
                      const PdEmvTerminal *terminal,
                      const guint8         tvr[5])
{
  static const guint8 zeros[5] = { 0 };
  const guint8 *iac_denial = issuer_code (data, PD_TAG_IAC_DENIAL, zeros);

  for (guint i = 0; i < 5; i++)
    if (tvr[i] & (iac_denial[i] | terminal->tac_denial[i]))
      return TRUE;

  /* Online only: whatever the online codes say, the answer comes from the issuer. */
  return FALSE;
}
