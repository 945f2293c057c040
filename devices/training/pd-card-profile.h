#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A virtual card's profile: a JSON file of tests/fixtures/cards (whose README describes the
 * format), checked as it loads. It says what the card is (ATR, interface), which
 * applications it holds with their data and record layout, and how it behaves. */

#define PD_CARD_PROFILE_ERROR (pd_card_profile_error_quark ())

typedef enum {
  PD_CARD_PROFILE_ERROR_NOT_FOUND,
  PD_CARD_PROFILE_ERROR_INVALID,
} PdCardProfileError;

typedef enum {
  PD_CARD_INTERFACE_CONTACT,
  PD_CARD_INTERFACE_CONTACTLESS,
} PdCardInterface;

/* How an application computes its cryptograms (what its IAD says). */
typedef enum {
  PD_CARD_CRYPTOGRAM_VISA_CVN10,
  PD_CARD_CRYPTOGRAM_VISA_CVN18,
  PD_CARD_CRYPTOGRAM_MASTERCARD_CVN16,
  /* A deterministic MAC no issuer checks (Discover and American Express here). */
  PD_CARD_CRYPTOGRAM_GENERIC,
} PdCardCryptogram;

/* The commands a profile can name, to pull the card when one of them comes. */
typedef enum {
  PD_CARD_COMMAND_NONE,
  PD_CARD_COMMAND_SELECT,
  PD_CARD_COMMAND_GET_PROCESSING_OPTIONS,
  PD_CARD_COMMAND_READ_RECORD,
  PD_CARD_COMMAND_GENERATE_AC_1,
  PD_CARD_COMMAND_GENERATE_AC_2,
  PD_CARD_COMMAND_INTERNAL_AUTHENTICATE,
  PD_CARD_COMMAND_GET_DATA,
} PdCardCommand;

/* One record: the tags it holds, in order, with values from the application's data; or
 * its bytes as they are (a record a profile breaks on purpose). */
typedef struct {
  guint8 sfi;
  guint8 number;
  GArray *tags;
  GBytes *raw;
} PdCardRecordLayout;

typedef struct {
  GBytes *aid;
  char *label;
  char *preferred_name;
  /* Tag 87: the priority, and 0x80 when the cardholder must confirm. */
  guint8 priority;
  /* The account, digits only; never printed in full. */
  char *pan;
  /* Two digits, as the issuer's key derivation takes them. */
  char *psn;
  /* YYMMDD. */
  char *expiry;
  /* Tag to value: everything the records, the FCI and GET DATA hand out, the account
   * data (5A, 57, 5F24, 5F34 ...) included. Keys are GUINT_TO_POINTER (tag). */
  GHashTable *data;
  GArray *records;
  /* What GET PROCESSING OPTIONS answers besides 82 and 94; with 9F26 the cryptogram comes
   * there (qVSDC) and GENERATE AC is refused. */
  GArray *gpo_tags;
  PdCardCryptogram cryptogram;
  /* Without it a second GENERATE AC with no issuer authentication data (all zeros) may
   * still approve. */
  gboolean issuer_authentication_required;
} PdCardApplication;

typedef struct {
  char *name;
  char *description;
  GBytes *atr;
  PdCardInterface interface;
  /* Answers as a T=0 card: 61xx for GET RESPONSE, 6Cxx for a wrong Le. */
  gboolean t0;
  /* SELECT 1PAY.SYS.DDF01 (contact) or 2PAY.SYS.DDF01 (contactless) works. */
  gboolean has_directory;
  GPtrArray *applications;
  /* A first GENERATE AC asking for a TC gets one (else the card goes online). */
  gboolean approves_offline;
  gboolean declines_generate_ac_2;
  /* A phone or watch wallet: the member unlocks it (consumer device CVM), so its tap needs
   * no PIN when the reader says it knows such devices (TTQ), and asks for online PIN when
   * it does not (its CTQ, 9F6C, is computed: list it in gpo_response). */
  gboolean verifies_on_device;
  /* The card leaves the reader when pull_on comes, after pull_after (NONE: at once). */
  PdCardCommand pull_on;
  PdCardCommand pull_after;
  /* The test CA's, the issuer's and the card's private keys, for offline data
   * authentication; NULL when the card has none (icc_key when it does SDA only). */
  char *ca_key_path;
  char *issuer_key_path;
  char *icc_key_path;
} PdCardProfile;

GQuark         pd_card_profile_error_quark (void);

/* A name without a slash or ".json" is looked for in profiles_dir; anything else is a path. */
char          *pd_card_profile_resolve     (const char     *name_or_path,
                                            const char     *profiles_dir);
PdCardProfile *pd_card_profile_load        (const char     *path,
                                            GError        **error);
void           pd_card_profile_free        (PdCardProfile  *profile);

/* Whether GET PROCESSING OPTIONS answers with the cryptogram (qVSDC): 9F26 in gpo_tags. */
gboolean       pd_card_application_has_gpo_cryptogram (const PdCardApplication *app);

/* The hex digits of a PAN with all but the last four masked. */
char          *pd_card_mask_pan            (const char     *pan);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdCardProfile, pd_card_profile_free)

G_END_DECLS
