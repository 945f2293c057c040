#pragma once

#include <adwaita.h>

#include "pd-signature.h"

G_BEGIN_DECLS

#define PD_TYPE_SIGNATURE_PAD (pd_signature_pad_get_type ())

G_DECLARE_FINAL_TYPE (PdSignaturePad, pd_signature_pad, PD, SIGNATURE_PAD, GtkWidget)

/* Where the member signs with a finger: each stroke drawn as it is made, kept as points
 * (pd-signature's builder), never as a picture. ::signed-changed tells whether what is
 * there is a signature (not blank) yet. */
GtkWidget   *pd_signature_pad_new         (void);
gboolean     pd_signature_pad_is_signed   (PdSignaturePad  *self);
/* The signature drawn (a new reference), or NULL with why when it is blank or empty. */
PdSignature *pd_signature_pad_dup_signature (PdSignaturePad *self,
                                           GError         **error);
void         pd_signature_pad_clear       (PdSignaturePad  *self);

G_END_DECLS
