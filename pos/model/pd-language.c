#include "pd-language.h"

/* English, then the designated languages of New York City (Local Law 30), then those New
 * York State adds. Names are in the language itself: a member who does not read English
 * must still find theirs. */
static const PdLanguage languages[] = {
  { "en", "English", FALSE },
  { "es", "Español", FALSE },
  { "zh", "中文", FALSE },
  { "ru", "Русский", FALSE },
  { "bn", "বাংলা", FALSE },
  { "ht", "Kreyòl ayisyen", FALSE },
  { "ko", "한국어", FALSE },
  { "ar", "العربية", TRUE },
  { "ur", "اردو", TRUE },
  { "fr", "Français", FALSE },
  { "pl", "Polski", FALSE },
  { "yi", "ייִדיש", TRUE },
  { "it", "Italiano", FALSE },
};

const PdLanguage *
pd_language_lookup (const char *code)
{
  for (gsize i = 0; i < G_N_ELEMENTS (languages); i++)
    if (g_strcmp0 (languages[i].code, code) == 0)
      return &languages[i];

  return NULL;
}

const PdLanguage *
pd_language_all (guint *n_languages)
{
  g_return_val_if_fail (n_languages != NULL, NULL);

  *n_languages = G_N_ELEMENTS (languages);
  return languages;
}
