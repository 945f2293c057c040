#include "pd-app-choice.h"
#include "pd-emv-select.h"

struct _PdAppChoice {
  gint ref_count;
  GMutex lock;
  GCond answered_cond;
  GMainContext *main_context;
  GWeakRef owner;
  PdAppChoiceAsk ask;
  gpointer user_data;
  gboolean asking;
  gboolean answered;
  gint answer;
};

PdAppChoice *
pd_app_choice_new (GObject        *owner,
                   PdAppChoiceAsk  ask,
                   gpointer        user_data)
{
  PdAppChoice *self;

  g_return_val_if_fail (G_IS_OBJECT (owner) && ask != NULL, NULL);

  self = g_new0 (PdAppChoice, 1);
  self->ref_count = 1;
  g_mutex_init (&self->lock);
  g_cond_init (&self->answered_cond);
  self->main_context = g_main_context_ref_thread_default ();
  g_weak_ref_init (&self->owner, owner);
  self->ask = ask;
  self->user_data = user_data;
  return self;
}

PdAppChoice *
pd_app_choice_ref (PdAppChoice *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_int_inc (&self->ref_count);
  return self;
}

void
pd_app_choice_unref (PdAppChoice *self)
{
  if (self == NULL || !g_atomic_int_dec_and_test (&self->ref_count))
    return;

  g_weak_ref_clear (&self->owner);
  g_main_context_unref (self->main_context);
  g_cond_clear (&self->answered_cond);
  g_mutex_clear (&self->lock);
  g_free (self);
}

typedef struct {
  PdAppChoice *choice;
  GStrv labels;
} Question;

static void
question_free (Question *question)
{
  pd_app_choice_unref (question->choice);
  g_strfreev (question->labels);
  g_free (question);
}

static gboolean
put_question (gpointer data)
{
  Question *question = data;
  g_autoptr(GObject) owner = g_weak_ref_get (&question->choice->owner);

  if (owner == NULL)
    pd_app_choice_answer (question->choice, -1);
  else
    question->choice->ask (owner, (const char * const *) question->labels,
                           question->choice->user_data);
  return G_SOURCE_REMOVE;
}

gint
pd_app_choice_choose (GPtrArray *candidates,
                      gpointer   data)
{
  PdAppChoice *self = data;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  Question *question;
  gint answer;

  g_return_val_if_fail (self != NULL && candidates != NULL, -1);

  for (guint i = 0; i < candidates->len; i++)
    {
      const PdEmvCandidate *candidate = g_ptr_array_index (candidates, i);

      g_strv_builder_add (builder, candidate->label);
    }

  g_mutex_lock (&self->lock);
  self->asking = TRUE;
  self->answered = FALSE;
  g_mutex_unlock (&self->lock);

  question = g_new0 (Question, 1);
  question->choice = pd_app_choice_ref (self);
  question->labels = g_strv_builder_end (builder);
  g_main_context_invoke_full (self->main_context, G_PRIORITY_DEFAULT, put_question, question,
                              (GDestroyNotify) question_free);

  g_mutex_lock (&self->lock);
  while (!self->answered)
    g_cond_wait (&self->answered_cond, &self->lock);
  answer = self->answer;
  self->asking = FALSE;
  g_mutex_unlock (&self->lock);

  /* An index the card did not offer stops the payment rather than choosing for them. */
  return answer >= 0 && (guint) answer < candidates->len ? answer : -1;
}

void
pd_app_choice_answer (PdAppChoice *self,
                      gint         index)
{
  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->lock);
  if (self->asking && !self->answered)
    {
      self->answer = index;
      self->answered = TRUE;
      g_cond_signal (&self->answered_cond);
    }
  g_mutex_unlock (&self->lock);
}

gboolean
pd_app_choice_is_asking (PdAppChoice *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (self != NULL, FALSE);

  locker = g_mutex_locker_new (&self->lock);
  return self->asking && !self->answered;
}
