#include <string.h>

#include <glib/gi18n-lib.h>

#include "pd-emv-select.h"
#include "pd-emv-tags.h"
#include "pd-hex.h"
#include "pd-tlv.h"

G_DEFINE_QUARK (pd-emv-error-quark, pd_emv_error)

#define PSE_NAME "1PAY.SYS.DDF01"
#define PPSE_NAME "2PAY.SYS.DDF01"
#define MAX_DIRECTORY_RECORDS 16
#define MAX_PARTIAL_MATCHES 8

#define SW_FILE_NOT_FOUND 0x6a82
#define SW_RECORD_NOT_FOUND 0x6a83
#define SW_FUNCTION_NOT_SUPPORTED 0x6a81
#define SW_SELECTED_FILE_INVALIDATED 0x6283

void
pd_emv_candidate_free (PdEmvCandidate *candidate)
{
  if (candidate == NULL)
    return;

  g_clear_pointer (&candidate->aid, g_bytes_unref);
  g_free (candidate->label);
  g_free (candidate);
}

static GPtrArray *
select_by_name (PdEmvLink    *link,
                const guint8 *name,
                gsize         length,
                gboolean      next,
                guint16      *sw,
                GError      **error)
{
  g_autoptr(GBytes) response = pd_emv_link_exchange (link, "SELECT", 0x00, 0xa4, 0x04,
                                                     next ? 0x02 : 0x00, name, length, TRUE,
                                                     sw, error);
  gsize size;
  const guint8 *data;
  g_autoptr(GError) parse_error = NULL;
  GPtrArray *fci;

  if (response == NULL || *sw != PD_SW_OK)
    return NULL;

  data = g_bytes_get_data (response, &size);
  fci = pd_tlv_parse (data, size, &parse_error);
  if (fci == NULL || pd_tlv_find (fci, PD_TAG_TEMPLATE_FCI) == NULL)
    {
      g_set_error (error, PD_EMV_ERROR, PD_EMV_ERROR_CARD_DATA,
                   _("The card sent data this terminal cannot read."));
      g_clear_pointer (&fci, g_ptr_array_unref);
    }
  return fci;
}

static char *
label_of (GPtrArray *entry)
{
  const PdTlv *name = pd_tlv_find (entry, PD_TAG_PREFERRED_NAME);
  const PdTlv *code_table = pd_tlv_find (entry, 0x9f11);

  /* The preferred name is in the ISO 8859 part 9F11 names; this terminal shows part 1
   * (ASCII) only, otherwise the label (50), which is plain ASCII by definition. */
  if (name != NULL && (code_table == NULL || g_bytes_get_size (code_table->value) != 1 ||
                       *(const guint8 *) g_bytes_get_data (code_table->value, NULL) != 0x01))
    name = NULL;
  if (name == NULL)
    name = pd_tlv_find (entry, PD_TAG_APPLICATION_LABEL);
  if (name == NULL)
    return NULL;

  /* Labels are ANS: keep printable ASCII only, never trust the card's bytes in a UI. */
  {
    gsize length;
    const guint8 *bytes = g_bytes_get_data (name->value, &length);
    GString *label = g_string_sized_new (length);

    for (gsize i = 0; i < length; i++)
      g_string_append_c (label, bytes[i] >= 0x20 && bytes[i] < 0x7f ? (char) bytes[i] : ' ');
    return g_strstrip (g_string_free (label, FALSE));
  }
}

/* Adds one directory entry (tag 61) or FCI to the list; remembers a refused scheme. */
static void
consider (const PdEmvTerminal  *terminal,
          GPtrArray            *candidates,
          GPtrArray            *entry,
          GBytes               *aid,
          const char          **refused)
{
  gsize length;
  const guint8 *bytes = g_bytes_get_data (aid, &length);
  const PdEmvAid *accepted = pd_emv_aid_lookup (terminal, bytes, length);
  const PdTlv *priority = pd_tlv_find (entry, PD_TAG_PRIORITY);
  PdEmvCandidate *candidate;

  if (length < 5 || length > 16)
    return;
  if (accepted == NULL)
    {
      if (*refused == NULL)
        *refused = pd_emv_aid_refused_scheme (bytes, length);
      return;
    }

  for (guint i = 0; i < candidates->len; i++)
    if (g_bytes_equal (((PdEmvCandidate *) g_ptr_array_index (candidates, i))->aid, aid))
      return;

  candidate = g_new0 (PdEmvCandidate, 1);
  candidate->aid = g_bytes_ref (aid);
  candidate->label = label_of (entry);
  candidate->accepted = accepted;
  if (candidate->label == NULL)
    candidate->label = g_strdup (accepted->scheme_name);
  if (priority != NULL && g_bytes_get_size (priority->value) == 1)
    {
      guint8 indicator = *(const guint8 *) g_bytes_get_data (priority->value, NULL);

      candidate->priority = indicator & 0x0f;
      candidate->needs_confirmation = (indicator & 0x80) != 0;
    }
  g_ptr_array_add (candidates, candidate);
}

static void
consider_directory_entries (const PdEmvTerminal  *terminal,
                            GPtrArray            *candidates,
                            GPtrArray            *nodes,
                            const char          **refused)
{
  for (guint i = 0; nodes != NULL && i < nodes->len; i++)
    {
      const PdTlv *node = g_ptr_array_index (nodes, i);

      if (node->tag == PD_TAG_DIRECTORY_ENTRY)
        {
          const PdTlv *aid = pd_tlv_find (node->children, PD_TAG_AID_CARD);

          if (aid != NULL)
            consider (terminal, candidates, node->children, aid->value, refused);
        }
      else
        consider_directory_entries (terminal, candidates, node->children, refused);
    }
}

typedef enum {
  DIRECTORY_READ,
  DIRECTORY_UNUSABLE,
  DIRECTORY_FAILED,
} DirectoryResult;

/* PSE: the directory's records, read from the SFI the PSE's FCI names. When the PSE is
 * missing or unusable the caller tries the AID list; a pulled or blocked card ends it. */
static DirectoryResult
read_pse (PdEmvLink            *link,
          const PdEmvTerminal  *terminal,
          GPtrArray            *candidates,
          const char          **refused,
          GError              **error)
{
  g_autoptr(GPtrArray) fci = NULL;
  g_autoptr(GError) local_error = NULL;
  const PdTlv *sfi;
  guint16 sw = 0;
  guint8 sfi_value;

  fci = select_by_name (link, (const guint8 *) PSE_NAME, strlen (PSE_NAME), FALSE, &sw,
                        &local_error);
  if (fci == NULL)
    {
      if (local_error != NULL && local_error->domain == PD_CARD_ERROR)
        return g_propagate_error (error, g_steal_pointer (&local_error)), DIRECTORY_FAILED;
      if (sw == SW_FUNCTION_NOT_SUPPORTED)
        return g_set_error (error, PD_EMV_ERROR, PD_EMV_ERROR_NO_APPLICATION,
                            _("This card is blocked.")), DIRECTORY_FAILED;
      return DIRECTORY_UNUSABLE;
    }

  sfi = pd_tlv_find (fci, PD_TAG_SFI);
  if (sfi == NULL || g_bytes_get_size (sfi->value) != 1)
    return DIRECTORY_UNUSABLE;
  sfi_value = *(const guint8 *) g_bytes_get_data (sfi->value, NULL);
  if (sfi_value < 1 || sfi_value > 10)
    return DIRECTORY_UNUSABLE;

  for (guint8 record = 1; record <= MAX_DIRECTORY_RECORDS; record++)
    {
      g_autoptr(GBytes) response = NULL;
      g_autoptr(GPtrArray) nodes = NULL;
      gsize length;
      const guint8 *data;

      response = pd_emv_link_exchange (link, "READ RECORD", 0x00, 0xb2, record,
                                       (guint8) (sfi_value << 3 | 0x04), NULL, 0, TRUE, &sw,
                                       error);
      if (response == NULL)
        return DIRECTORY_FAILED;
      if (sw == SW_RECORD_NOT_FOUND)
        break;
      if (sw != PD_SW_OK)
        return DIRECTORY_UNUSABLE;

      data = g_bytes_get_data (response, &length);
      nodes = pd_tlv_parse (data, length, NULL);
      if (nodes == NULL || pd_tlv_find (nodes, PD_TAG_TEMPLATE_RECORD) == NULL)
        return DIRECTORY_UNUSABLE;
      consider_directory_entries (terminal, candidates, nodes, refused);
    }

  return DIRECTORY_READ;
}

/* The AID list (Book 1 section 12.3.3), with partial matching: SELECT next finds every
 * application whose AID extends the terminal's. */
static gboolean
read_aid_list (PdEmvLink            *link,
               const PdEmvTerminal  *terminal,
               GPtrArray            *candidates,
               const char          **refused,
               GError              **error)
{
  for (gsize i = 0; i < terminal->n_aids; i++)
    {
      g_autoptr(GBytes) wanted = pd_hex_decode_bytes (terminal->aids[i].aid);
      gboolean next = FALSE;

      for (guint attempt = 0; attempt < MAX_PARTIAL_MATCHES; attempt++)
        {
          g_autoptr(GPtrArray) fci = NULL;
          const PdTlv *name;
          guint16 sw = 0;
          gsize length;
          const guint8 *bytes = g_bytes_get_data (wanted, &length);

          g_autoptr(GError) local_error = NULL;

          fci = select_by_name (link, bytes, length, next, &sw, &local_error);
          if (fci == NULL)
            {
              if (local_error != NULL && local_error->domain == PD_CARD_ERROR)
                return g_propagate_error (error, g_steal_pointer (&local_error)), FALSE;
              if (sw == SW_FUNCTION_NOT_SUPPORTED)
                return g_set_error (error, PD_EMV_ERROR, PD_EMV_ERROR_NO_APPLICATION,
                                    _("This card is blocked.")), FALSE;
              /* 6283: this application is blocked; another may follow. */
              if (sw != SW_SELECTED_FILE_INVALIDATED)
                break;
              next = TRUE;
              continue;
            }

          name = pd_tlv_find (fci, PD_TAG_DF_NAME);
          if (name != NULL)
            consider (terminal, candidates, fci, name->value, refused);
          next = TRUE;
        }
    }

  return TRUE;
}

static gboolean
read_ppse (PdEmvLink            *link,
           const PdEmvTerminal  *terminal,
           GPtrArray            *candidates,
           const char          **refused,
           GError              **error)
{
  g_autoptr(GPtrArray) fci = NULL;
  guint16 sw = 0;

  fci = select_by_name (link, (const guint8 *) PPSE_NAME, strlen (PPSE_NAME), FALSE, &sw,
                        error);
  if (fci == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, PD_EMV_ERROR, PD_EMV_ERROR_NO_APPLICATION,
                     _("This card cannot be tapped here. Insert it instead."));
      return FALSE;
    }

  consider_directory_entries (terminal, candidates, fci, refused);
  return TRUE;
}

static gint
compare_candidates (gconstpointer a,
                    gconstpointer b,
                    gpointer      user_data)
{
  const PdEmvCandidate *first = *(PdEmvCandidate * const *) a;
  const PdEmvCandidate *second = *(PdEmvCandidate * const *) b;
  const PdEmvTerminal *terminal = user_data;
  /* Priority 0 means "none": after every numbered one. */
  guint first_rank = first->priority == 0 ? 16 : first->priority;
  guint second_rank = second->priority == 0 ? 16 : second->priority;

  if (terminal->prefer_common_debit && first->accepted->common_debit != second->accepted->common_debit)
    return first->accepted->common_debit ? -1 : 1;
  return (gint) first_rank - (gint) second_rank;
}

/* The brands the terminal accepts, for the member: "Visa, Mastercard or Discover". */
static char *
describe_accepted (const PdEmvTerminal *terminal)
{
  const char *names[3] = { NULL };
  guint n_names = 0;

  for (gsize i = 0; i < terminal->n_aids; i++)
    {
      const char *name = terminal->aids[i].scheme_name;
      gboolean seen = FALSE;

      for (guint j = 0; j < n_names; j++)
        seen = seen || g_str_equal (names[j], name);
      if (!seen && n_names < G_N_ELEMENTS (names))
        names[n_names++] = name;
    }

  switch (n_names)
    {
    case 0:
      return g_strdup (_("another card"));
    case 1:
      return g_strdup (names[0]);
    case 2:
      /* TRANSLATORS: two card brands, "Visa or Mastercard". */
      return g_strdup_printf (_("%s or %s"), names[0], names[1]);
    default:
      /* TRANSLATORS: three card brands, "Visa, Mastercard or Discover". */
      return g_strdup_printf (_("%s, %s or %s"), names[0], names[1], names[2]);
    }
}

GPtrArray *
pd_emv_select_candidates (PdEmvLink            *link,
                          const PdEmvTerminal  *terminal,
                          gboolean              contactless,
                          GError              **error)
{
  g_autoptr(GPtrArray) candidates = g_ptr_array_new_with_free_func (
                                      (GDestroyNotify) pd_emv_candidate_free);
  const char *refused = NULL;
  gboolean listed;

  g_return_val_if_fail (link != NULL, NULL);
  g_return_val_if_fail (terminal != NULL, NULL);

  if (contactless)
    listed = read_ppse (link, terminal, candidates, &refused, error);
  else
    {
      DirectoryResult pse = read_pse (link, terminal, candidates, &refused, error);

      if (pse == DIRECTORY_FAILED)
        return NULL;
      listed = pse == DIRECTORY_READ;
      if (!listed || candidates->len == 0)
        {
          pd_emv_link_note (link, "no usable PSE: trying the terminal's AID list");
          listed = read_aid_list (link, terminal, candidates, &refused, error);
        }
    }
  if (!listed)
    return NULL;

  if (candidates->len == 0)
    {
      g_autofree char *accepted = describe_accepted (terminal);

      if (refused != NULL)
        /* TRANSLATORS: the first %s is a card brand, e.g. "American Express"; the second the
         * brands accepted, e.g. "Visa, Mastercard or Discover". */
        g_set_error (error, PD_EMV_ERROR, PD_EMV_ERROR_NOT_ACCEPTED,
                     _("%s cards are not accepted here. Please use %s."), refused, accepted);
      else
        /* TRANSLATORS: %s is the brands accepted, e.g. "Visa, Mastercard or Discover". */
        g_set_error (error, PD_EMV_ERROR, PD_EMV_ERROR_NOT_ACCEPTED,
                     _("This card cannot be used here. Please use %s."), accepted);
      return NULL;
    }

  pd_emv_sort_candidates (candidates, terminal);
  return g_steal_pointer (&candidates);
}

void
pd_emv_sort_candidates (GPtrArray           *candidates,
                        const PdEmvTerminal *terminal)
{
  g_return_if_fail (candidates != NULL);
  g_return_if_fail (terminal != NULL);

  /* Stable: equal priorities keep the card's order. */
  g_ptr_array_sort_with_data (candidates, compare_candidates, (gpointer) terminal);
}

GPtrArray *
pd_emv_select_application (PdEmvLink            *link,
                           const PdEmvCandidate *candidate,
                           guint16              *sw,
                           GError              **error)
{
  gsize length;
  const guint8 *aid;
  GPtrArray *fci;
  const PdTlv *name;

  g_return_val_if_fail (link != NULL, NULL);
  g_return_val_if_fail (candidate != NULL, NULL);

  aid = g_bytes_get_data (candidate->aid, &length);
  fci = select_by_name (link, aid, length, FALSE, sw, error);
  if (fci == NULL)
    return NULL;

  /* The card must answer for the application it was asked for. */
  name = pd_tlv_find (fci, PD_TAG_DF_NAME);
  if (name == NULL || !g_bytes_equal (name->value, candidate->aid))
    {
      g_ptr_array_unref (fci);
      *sw = 0;
      return NULL;
    }

  return fci;
}
