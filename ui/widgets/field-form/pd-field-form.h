#pragma once

#include <adwaita.h>

#include "pd-identity.h"
#include "pd-keyboard.h"

G_BEGIN_DECLS

/* One field of a form: what the member types, under which label, on which keys. */
typedef struct {
  PdField field;
  const char *label;
  PdKeyboardLayout keys;
  int max_length;
  /* Shown as dots once the member has moved on from it (an account number). */
  gboolean masked;
  /* May be left empty (the member ID, at a counter). */
  gboolean optional;
} PdFieldSpec;

#define PD_TYPE_FIELD_FORM (pd_field_form_get_type ())

G_DECLARE_FINAL_TYPE (PdFieldForm, pd_field_form, PD, FIELD_FORM, AdwBin)

/* Fields in rows of `columns`, each with its label before it and, under it, what is wrong
 * with it in the validator's words; the keyboard given switches to each field's keys as it
 * is touched. Emits ::changed when any text changes and ::activate on Enter. Each entry is
 * named after its field (pd_field_to_string), for tests and accessibility tools. */
GtkWidget  *pd_field_form_new          (const PdFieldSpec *fields,
                                        guint              n_fields,
                                        guint              columns,
                                        PdKeyboard        *keyboard);
const char *pd_field_form_get_text     (PdFieldForm       *self,
                                        PdField            field);
/* Every field filled in. */
gboolean    pd_field_form_is_filled    (PdFieldForm       *self);
/* Beside its field when error is a PD_FIELD_ERROR about one of them (TRUE); FALSE when it
 * is about none of them. */
gboolean    pd_field_form_show_error   (PdFieldForm       *self,
                                        const GError      *error);
void        pd_field_form_clear_errors (PdFieldForm       *self);
void        pd_field_form_clear_error  (PdFieldForm       *self,
                                        PdField            field);
/* Empties every field: what was typed goes with the visit. */
void        pd_field_form_forget       (PdFieldForm       *self);
void        pd_field_form_focus_first  (PdFieldForm       *self);

G_END_DECLS
