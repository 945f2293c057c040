#pragma once

#include "pd-emv-data.h"
#include "pd-emv-terminal.h"

G_BEGIN_DECLS

/* Processing restrictions (Book 3 section 10.4): application versions, usage control and
 * dates, recorded in the TVR. today is YYMMDD (BCD, as 9A). */
void     pd_emv_check_restrictions (PdEmvData           *data,
                                    const PdEmvTerminal *terminal,
                                    guint16              terminal_version,
                                    const guint8         today[3],
                                    guint8               tvr[5]);

/* Terminal action analysis (Book 3 section 10.7) for an online-only terminal: TRUE when
 * the TVR meets the card's or terminal's denial codes (ask for an AAC), FALSE when the
 * transaction goes online (ARQC). Absent IACs take Book 3's defaults. */
gboolean pd_emv_action_denies      (PdEmvData           *data,
                                    const PdEmvTerminal *terminal,
                                    const guint8         tvr[5]);

/* Sets (or reads) one TVR bit, as PD_TVR_* gives it. */
void     pd_emv_tvr_set            (guint8               tvr[5],
                                    guint                bit);
gboolean pd_emv_tvr_has            (const guint8         tvr[5],
                                    guint                bit);

G_END_DECLS
