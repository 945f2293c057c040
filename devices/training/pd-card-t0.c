#include "pd-card-t0.h"

struct _PdCardT0 {
  /* The data a 61xx announced, and the status word that comes after it. */
  GByteArray *pending;
  guint16 pending_status;
};

PdCardT0 *
pd_card_t0_new (void)
{
  PdCardT0 *t0 = g_new0 (PdCardT0, 1);

  t0->pending = g_byte_array_new ();
  return t0;
}

void
pd_card_t0_free (PdCardT0 *t0)
{
  if (t0 == NULL)
    return;

  g_byte_array_unref (t0->pending);
  g_free (t0);
}

void
pd_card_t0_reset (PdCardT0 *t0)
{
  g_return_if_fail (t0 != NULL);
  g_byte_array_set_size (t0->pending, 0);
}

/* The second status byte of 61xx and 6Cxx: a length, 00 meaning 256. */
static void
append_length_status (GByteArray *answer,
                      guint8      sw1,
                      gsize       length)
{
  guint8 status[2] = { sw1, (guint8) length };

  g_byte_array_append (answer, status, 2);
}

static gsize
expected_length (const PdApdu *command)
{
  return command->le == 0 ? 256 : command->le;
}

void
pd_card_t0_shape (PdCardT0     *t0,
                  const PdApdu *command,
                  GByteArray   *answer)
{
  gsize data_length;

  g_return_if_fail (t0 != NULL && command != NULL && answer != NULL && answer->len >= 2);

  /* A new command drops whatever the last one left. */
  pd_card_t0_reset (t0);
  data_length = answer->len - 2;
  if (data_length == 0)
    return;

  if (command->lc > 0)
    {
      g_byte_array_append (t0->pending, answer->data, (guint) data_length);
      t0->pending_status = (guint16) (answer->data[data_length] << 8 |
                                      answer->data[data_length + 1]);
      g_byte_array_set_size (answer, 0);
      append_length_status (answer, 0x61, data_length);
      return;
    }

  if (!command->has_le || expected_length (command) != data_length)
    {
      g_byte_array_set_size (answer, 0);
      append_length_status (answer, 0x6c, data_length);
    }
}

void
pd_card_t0_get_response (PdCardT0     *t0,
                         const PdApdu *command,
                         GByteArray   *answer)
{
  gsize wanted;

  g_return_if_fail (t0 != NULL && command != NULL && answer != NULL);

  if (t0->pending->len == 0)
    {
      pd_apdu_append_status (answer, PD_SW_CONDITIONS_NOT_SATISFIED);
      return;
    }
  if (command->p1 != 0 || command->p2 != 0 || command->lc != 0)
    {
      pd_apdu_append_status (answer, PD_SW_WRONG_P1_P2);
      return;
    }

  wanted = command->has_le ? expected_length (command) : 0;
  if (wanted == 0 || wanted > t0->pending->len)
    {
      append_length_status (answer, 0x6c, t0->pending->len);
      return;
    }

  g_byte_array_append (answer, t0->pending->data, (guint) wanted);
  g_byte_array_remove_range (t0->pending, 0, (guint) wanted);
  if (t0->pending->len > 0)
    append_length_status (answer, 0x61, t0->pending->len);
  else
    pd_apdu_append_status (answer, t0->pending_status);
}
