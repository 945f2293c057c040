#include <string.h>

#include "pd-emv-cvm.h"

enum {
  CVM_FAIL = 0x00,
  CVM_PLAINTEXT_PIN = 0x01,
  CVM_ONLINE_PIN = 0x02,
  CVM_PLAINTEXT_PIN_SIGNATURE = 0x03,
  CVM_ENCIPHERED_PIN = 0x04,
  CVM_ENCIPHERED_PIN_SIGNATURE = 0x05,
  CVM_SIGNATURE = 0x1e,
  CVM_NO_CVM = 0x1f,
};

#define CVM_APPLY_NEXT_IF_UNSUCCESSFUL 0x40
#define CVM_RESULT_UNKNOWN 0x00
#define CVM_RESULT_FAILED 0x01
#define CVM_RESULT_SUCCESSFUL 0x02

static gboolean
is_known_method (guint8 method)
{
  return method <= CVM_ENCIPHERED_PIN_SIGNATURE || method == CVM_SIGNATURE ||
         method == CVM_NO_CVM;
}

static gboolean
terminal_supports (const PdEmvTerminal *terminal,
                   guint8               method)
{
  switch (method)
    {
    case CVM_NO_CVM:
      return (terminal->capabilities[1] & 0x08) != 0;
    case CVM_SIGNATURE:
      return terminal->attended && (terminal->capabilities[1] & 0x20) != 0;
    default:
      /* No PIN path here: the kiosk has no secure PIN pad. */
      return FALSE;
    }
}

static gboolean
is_pin_method (guint8 method)
{
  return method >= CVM_PLAINTEXT_PIN && method <= CVM_ENCIPHERED_PIN_SIGNATURE;
}

static guint32
read_amount (const guint8 *bytes)
{
  return (guint32) bytes[0] << 24 | (guint32) bytes[1] << 16 | (guint32) bytes[2] << 8 | bytes[3];
}

/* Whether the rule's condition (byte 2) holds for this purchase: no cash, no cashback. */
static gboolean
condition_holds (guint8               condition,
                 guint8               method,
                 const PdEmvTerminal *terminal,
                 gint64               amount,
                 gboolean             same_currency,
                 guint32              x,
                 guint32              y)
{
  switch (condition)
    {
    case 0x00: return TRUE;
    case 0x01: return FALSE;
    case 0x02: return TRUE;
    case 0x03: return terminal_supports (terminal, method);
    case 0x04: case 0x05: return FALSE;
    case 0x06: return same_currency && amount < x;
    case 0x07: return same_currency && amount > x;
    case 0x08: return same_currency && amount < y;
    case 0x09: return same_currency && amount > y;
    default: return FALSE;
    }
}

void
pd_emv_cvm_evaluate (const guint8        *cvm_list,
                     gsize                length,
                     const PdEmvTerminal *terminal,
                     gint64               amount_cents,
                     gboolean             same_currency,
                     PdEmvCvmOutcome     *outcome)
{
  guint32 x, y;

  g_return_if_fail (terminal != NULL);
  g_return_if_fail (outcome != NULL);

  memset (outcome, 0, sizeof *outcome);

  /* No list, or no rule in it: "no CVM performed" (3F 00 00). */
  if (cvm_list == NULL || length < 10)
    {
      outcome->results[0] = 0x3f;
      if (cvm_list != NULL)
        outcome->failed = TRUE;
      return;
    }

  x = read_amount (cvm_list);
  y = read_amount (cvm_list + 4);

  for (gsize at = 8; at + 1 < length; at += 2)
    {
      guint8 code = cvm_list[at];
      guint8 method = code & 0x3f;
      guint8 condition = cvm_list[at + 1];

      if (!condition_holds (condition, method, terminal, amount_cents, same_currency, x, y))
        continue;

      outcome->results[0] = code;
      outcome->results[1] = condition;

      if (!is_known_method (method))
        outcome->unrecognised = TRUE;
      else if (method == CVM_FAIL)
        {
          outcome->results[2] = CVM_RESULT_FAILED;
          outcome->failed = TRUE;
          return;
        }
      else if (terminal_supports (terminal, method))
        {
          outcome->signature_required = method == CVM_SIGNATURE;
          outcome->results[2] = method == CVM_SIGNATURE ? CVM_RESULT_UNKNOWN
                                                        : CVM_RESULT_SUCCESSFUL;
          return;
        }
      else if (is_pin_method (method))
        outcome->pin_pad_missing = TRUE;

      if (!(code & CVM_APPLY_NEXT_IF_UNSUCCESSFUL))
        break;
    }

  /* Every rule that applied failed, or none applied. */
  outcome->failed = TRUE;
  if (outcome->results[0] == 0)
    outcome->results[0] = 0x3f;
  outcome->results[2] = CVM_RESULT_FAILED;
}
