#pragma once

#include "pd-emv-data.h"
#include "pd-emv-link.h"

G_BEGIN_DECLS

/* READ RECORD over the application file locator (Book 3 section 10.2): every record the
 * AFL names goes into data (a tag met twice is an error), and the records it marks for
 * offline data authentication into static_data, by Book 3's rule: SFI 1-10 without the
 * record template's tag and length, SFI 11-30 whole. oda_records_usable turns FALSE when a
 * marked SFI 1-10 record is not a 70 template (ODA then fails, the payment may go on). */
gboolean pd_emv_read_records (PdEmvLink     *link,
                              const guint8  *afl,
                              gsize          length,
                              PdEmvData     *data,
                              GByteArray    *static_data,
                              gboolean      *oda_records_usable,
                              GError       **error);

G_END_DECLS
