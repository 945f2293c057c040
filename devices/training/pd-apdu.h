#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A short command APDU (ISO/IEC 7816-4 section 5.1), as a card sees it: the header, the
 * command data (Lc bytes) and whether Le was sent. Extended lengths are not used by EMV. */
typedef struct {
  guint8 cla;
  guint8 ins;
  guint8 p1;
  guint8 p2;
  const guint8 *data;
  gsize lc;
  gboolean has_le;
  /* 0 stands for 256. */
  guint8 le;
} PdApdu;

/* Status words a card answers with. */
#define PD_SW_SUCCESS                 0x9000
#define PD_SW_WRONG_LENGTH            0x6700
#define PD_SW_SECURITY_NOT_SATISFIED  0x6982
#define PD_SW_CONDITIONS_NOT_SATISFIED 0x6985
#define PD_SW_WRONG_DATA              0x6a80
#define PD_SW_FILE_NOT_FOUND          0x6a82
#define PD_SW_RECORD_NOT_FOUND        0x6a83
#define PD_SW_WRONG_P1_P2             0x6a86
#define PD_SW_DATA_NOT_FOUND          0x6a88
#define PD_SW_INS_NOT_SUPPORTED       0x6d00
#define PD_SW_CLA_NOT_SUPPORTED       0x6e00

/* FALSE when the bytes are no short APDU: fewer than four, or an Lc that disagrees with
 * the length. data points into apdu. */
gboolean pd_apdu_parse         (const guint8 *apdu,
                                gsize         length,
                                PdApdu       *parsed);

void     pd_apdu_append_status (GByteArray   *response,
                                guint16       status_word);

G_END_DECLS
