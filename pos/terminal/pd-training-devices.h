#pragma once

#include "pd-terminal.h"

G_BEGIN_DECLS

#define PD_TYPE_TRAINING_DEVICES (pd_training_devices_get_type ())

G_DECLARE_FINAL_TYPE (PdTrainingDevices, pd_training_devices, PD, TRAINING_DEVICES, GObject)

/* What a trainee does with their hands at a training terminal, done for them: a training
 * card inserted or tapped (paydesk-vcard playing a profile in the vpcd reader) and taken
 * out, a training check put in the check scanner's slot, the training printer's paper taken
 * out and put back, an invoice coupon held under the barcode scanner. For the training
 * devices panel; never on a production terminal.
 *
 * Properties (notify): card (the profile name of the card in the reader, or NULL),
 * paper-out. */

/* One card or check a trainee can use. */
typedef struct {
  char *name;
  char *description;
  /* Cards: tapped rather than inserted. */
  gboolean contactless;
} PdTrainingItem;

void               pd_training_item_free           (PdTrainingItem      *item);

/* NULL with an error on a production terminal. */
PdTrainingDevices *pd_training_devices_new         (PdTerminal          *terminal,
                                                    GError             **error);

/* The card profiles, the check profiles and the training members' invoice coupons
 * (PdTrainingItem; a coupon's name is its invoice number), read on a worker. */
void               pd_training_devices_list_async  (PdTrainingDevices   *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean           pd_training_devices_list_finish (PdTrainingDevices   *self,
                                                    GAsyncResult        *result,
                                                    GPtrArray          **cards,
                                                    GPtrArray          **checks,
                                                    GPtrArray          **coupons,
                                                    GError             **error);

/* Starts paydesk-vcard ($PAYDESK_VCARD, else the installed one) with the profile; done
 * once it says the card is in the reader. A card already in is taken out first. */
void               pd_training_devices_insert_card_async  (PdTrainingDevices   *self,
                                                           const char          *profile,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
gboolean           pd_training_devices_insert_card_finish (PdTrainingDevices   *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);
void               pd_training_devices_remove_card        (PdTrainingDevices   *self);
const char        *pd_training_devices_get_card           (PdTrainingDevices   *self);

/* Puts a copy of the check profile in the training check scanner's slot, on a worker. */
void               pd_training_devices_feed_check_async   (PdTrainingDevices   *self,
                                                           const char          *profile,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
gboolean           pd_training_devices_feed_check_finish  (PdTrainingDevices   *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);

/* The coupon of a training invoice (listed first) shown to the training barcode scanner. */
void               pd_training_devices_scan_coupon_async  (PdTrainingDevices   *self,
                                                           const char          *invoice,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
gboolean           pd_training_devices_scan_coupon_finish (PdTrainingDevices   *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);

/* The training printer's paper out (TRUE) or back in, on a worker; the peripherals are
 * asked again once it is done. */
void               pd_training_devices_set_paper_out_async (PdTrainingDevices  *self,
                                                            gboolean            out,
                                                            GAsyncReadyCallback callback,
                                                            gpointer            user_data);
gboolean           pd_training_devices_set_paper_out_finish (PdTrainingDevices *self,
                                                             GAsyncResult      *result,
                                                             GError           **error);
gboolean           pd_training_devices_get_paper_out      (PdTrainingDevices   *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdTrainingItem, pd_training_item_free)

G_END_DECLS
