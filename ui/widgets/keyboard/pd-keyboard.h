#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

typedef enum {
  /* 1 to 9, 0, erase: member IDs, ZIP codes, account numbers. */
  PD_KEYBOARD_DIGITS,
  /* Digits, letters, space, hyphen, apostrophe, slash: names, invoice numbers, dates. */
  PD_KEYBOARD_TEXT,
  /* The digits and a decimal point: amounts. */
  PD_KEYBOARD_AMOUNT,
  /* Digits, letters and what addresses hold: email addresses. */
  PD_KEYBOARD_EMAIL,
} PdKeyboardLayout;

#define PD_TYPE_KEYBOARD (pd_keyboard_get_type ())

G_DECLARE_FINAL_TYPE (PdKeyboard, pd_keyboard, PD, KEYBOARD, AdwBin)

/* The kiosk's own keys, large enough for a finger, typing into whatever field has the
 * focus in its window (they never take the focus themselves). A kiosk has no keyboard and
 * no system on-screen keyboard: this is the only way to type. The keys are the actions
 * keyboard.type (a string) and keyboard.erase, so a test or a hardware key does the same. */
GtkWidget *pd_keyboard_new        (PdKeyboardLayout  layout);
void       pd_keyboard_set_layout (PdKeyboard       *self,
                                   PdKeyboardLayout  layout);

G_END_DECLS
