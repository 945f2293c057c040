#pragma once

#include <gio/gio.h>

#include "pd-check-capture.h"

G_BEGIN_DECLS

/* The check scanner of a training terminal: a folder stands for the scanner's slot, and a
 * check is in the slot while the file check.conf is in that folder, a copy of a training
 * check profile (assets/training-checks/, format in the files' header). paydesk-vcheck puts
 * it there; eject takes it away again, as a scanner hands a check back. Images are drawn
 * from the profile, so a trainee sees a check that looks like one.
 *
 * Implements PdCheckScanner; every vfunc blocks, call them from a worker thread. */

#define PD_TYPE_TRAINING_CHECK_SCANNER (pd_training_check_scanner_get_type ())

G_DECLARE_FINAL_TYPE (PdTrainingCheckScanner, pd_training_check_scanner, PD,
                      TRAINING_CHECK_SCANNER, GObject)

#define PD_TRAINING_CHECK_FILE "check.conf"

/* One training check, as its profile describes it. micr is the account number in clear:
 * never log it (parse it and log pd_micr_line_describe()); it is wiped when freed. */
typedef struct {
  char     *micr;
  char     *payer;
  char     *payer_address;
  char     *bank;
  char     *description;
  gboolean  images;
  gboolean  endorsed;
} PdTrainingCheck;

/* slot_directory: NULL for pd_training_check_scanner_get_default_slot (). */
PdTrainingCheckScanner *pd_training_check_scanner_new          (const char  *slot_directory);
const char             *pd_training_check_scanner_get_slot_directory
                                                               (PdTrainingCheckScanner *self);

/* $XDG_RUNTIME_DIR/paydesk/training-check-slot: where the terminal and paydesk-vcheck meet
 * unless told otherwise. */
const char             *pd_training_check_scanner_get_default_slot (void);

/* The folder of profiles: $PAYDESK_TRAINING_CHECKS, else the installed one, else (a build
 * never installed) the source tree's. */
const char             *pd_training_check_get_profile_directory (void);

/* A path (anything with a directory separator, or ending in .conf) as it is; a bare name as
 * NAME.conf in the profile folder. Either must exist. */
char                   *pd_training_check_find_profile  (const char   *name_or_path,
                                                         GError      **error);

/* Reads and checks a profile (or a slot's check.conf): G_KEY_FILE_ERROR naming the file
 * and the key when it is not one. */
PdTrainingCheck        *pd_training_check_load          (const char   *path,
                                                         GError      **error);
void                    pd_training_check_free          (PdTrainingCheck *check);

/* Puts a copy of the profile in the slot (the folder is made, owner only, when missing).
 * G_IO_ERROR_EXISTS when a check is already there: one check at a time, as in a real slot.
 * Here and below, slot_directory NULL is the default slot. */
gboolean                pd_training_check_insert        (const char   *slot_directory,
                                                         const char   *profile_path,
                                                         GError      **error);
/* Takes the check out of the slot; an empty slot is not an error. */
gboolean                pd_training_check_remove        (const char   *slot_directory,
                                                         GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdTrainingCheck, pd_training_check_free)

G_END_DECLS
