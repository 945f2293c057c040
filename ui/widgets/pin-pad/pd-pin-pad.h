#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PD_TYPE_PIN_PAD (pd_pin_pad_get_type ())

G_DECLARE_FINAL_TYPE (PdPinPad, pd_pin_pad, PD, PIN_PAD, AdwBin)

/* Ten digit keys, Erase and Clear, and a row of dots for the digits entered: the digits are
 * never shown, never in an entry's buffer, and wiped from memory when cleared. Digits,
 * Backspace and Escape on a keyboard do the same (the page routes them: pin-pad.digit,
 * pin-pad.erase, pin-pad.clear). Emits "changed". */
GtkWidget  *pd_pin_pad_new        (void);
/* The digits entered, valid until the next change; never to be logged or copied around. */
const char *pd_pin_pad_get_pin    (PdPinPad *self);
guint       pd_pin_pad_get_length (PdPinPad *self);
void        pd_pin_pad_add_digit  (PdPinPad *self,
                                   char      digit);
void        pd_pin_pad_erase      (PdPinPad *self);
/* Wipes the digits. */
void        pd_pin_pad_clear      (PdPinPad *self);

G_END_DECLS
