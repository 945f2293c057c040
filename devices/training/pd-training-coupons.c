#include <json-glib/json-glib.h>

#include "pd-coupon.h"
#include "pd-training-coupons.h"

void
pd_training_coupon_free (PdTrainingCoupon *coupon)
{
  if (coupon == NULL)
    return;
  g_free (coupon->invoice_account);
  g_free (coupon->invoice_number);
  g_free (coupon->member_name);
  g_free (coupon->line);
  g_free (coupon);
}

const char *
pd_training_coupons_get_members_path (void)
{
  const char *path = g_getenv ("PAYDESK_SEED");

  return path != NULL && *path != '\0' ? path : PAYDESK_SOURCE_TRAINING_MEMBERS;
}

static void
add_account_coupons (GPtrArray  *coupons,
                     JsonObject *member,
                     JsonObject *account)
{
  JsonArray *invoices = json_object_has_member (account, "invoices")
                        ? json_object_get_array_member (account, "invoices") : NULL;
  const char *number = json_object_get_string_member_with_default (account, "account_number", "");
  g_autofree char *name = g_strdup_printf (
    "%s %s", json_object_get_string_member_with_default (member, "first_name", ""),
    json_object_get_string_member_with_default (member, "last_name", ""));

  for (guint k = 0; invoices != NULL && k < json_array_get_length (invoices); k++)
    {
      JsonObject *invoice = json_array_get_object_element (invoices, k);
      const char *invoice_number = json_object_get_string_member_with_default (invoice,
                                                                               "invoice_number",
                                                                               "");
      PdCents due = json_object_get_int_member_with_default (invoice, "amount_due_cents", -1);
      char *line = NULL;
      PdTrainingCoupon *coupon;

      /* An invoice no coupon can carry (a seed made for a test of bad data) is left out. */
      if (due < 0 || due > PD_COUPON_MAX_AMOUNT ||
          !(line = pd_coupon_encode (number, invoice_number, due, NULL)))
        continue;
      coupon = g_new0 (PdTrainingCoupon, 1);
      coupon->invoice_account = g_strdup (number);
      coupon->invoice_number = g_strdup (invoice_number);
      coupon->member_name = g_strdup (name);
      coupon->amount_due = due;
      coupon->line = line;
      g_ptr_array_add (coupons, coupon);
    }
}

GPtrArray *
pd_training_coupons_load (const char  *members_path,
                          GError     **error)
{
  g_autoptr(GPtrArray) coupons = g_ptr_array_new_with_free_func (
    (GDestroyNotify) pd_training_coupon_free);
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *path = members_path != NULL ? members_path : pd_training_coupons_get_members_path ();
  JsonNode *root;
  JsonArray *members;

  if (!json_parser_load_from_file (parser, path, error))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      !json_object_has_member (json_node_get_object (root), "members"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: not a training members file (no \"members\")", path);
      return NULL;
    }

  members = json_object_get_array_member (json_node_get_object (root), "members");
  for (guint i = 0; members != NULL && i < json_array_get_length (members); i++)
    {
      JsonObject *member = json_array_get_object_element (members, i);
      JsonArray *accounts = json_object_has_member (member, "accounts")
                            ? json_object_get_array_member (member, "accounts") : NULL;

      for (guint j = 0; accounts != NULL && j < json_array_get_length (accounts); j++)
        add_account_coupons (coupons, member, json_array_get_object_element (accounts, j));
    }
  return g_steal_pointer (&coupons);
}
