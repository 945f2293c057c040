#pragma once

#include "pd-card-profile.h"
#include "pd-card-signer.h"

G_BEGIN_DECLS

/* One application as the card holds it once personalized: its FCI, its records by SFI and
 * number, and every data object's value, with the offline data authentication
 * certificates made (by the signer) over the records the AFL says are signed. */
typedef struct _PdCardFiles PdCardFiles;

/* signer may be NULL for an application without offline data authentication. */
PdCardFiles *pd_card_files_new             (const PdCardApplication  *app,
                                            PdCardSigner             *signer,
                                            GError                  **error);
void         pd_card_files_free            (PdCardFiles              *files);

GBytes      *pd_card_files_get_fci         (PdCardFiles              *files);
/* NULL when the application has no such record. */
GBytes      *pd_card_files_get_record      (PdCardFiles              *files,
                                            guint8                    sfi,
                                            guint8                    number);
/* The value of a data object the card holds (certificates included), or NULL. */
GBytes      *pd_card_files_get_object      (PdCardFiles              *files,
                                            guint32                   tag);
/* What offline data authentication signs (Book 3 section 10.3): the signed records, and
 * the AIP when 9F4A asks for it. */
GBytes      *pd_card_files_get_static_data (PdCardFiles              *files);
/* The application's entry (tag 61) in the PSE or PPSE directory. */
void         pd_card_files_append_directory_entry (PdCardFiles       *files,
                                                   GByteArray        *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdCardFiles, pd_card_files_free)

G_END_DECLS
