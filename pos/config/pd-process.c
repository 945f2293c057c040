#include <errno.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "pd-process.h"

void
pd_process_harden (void)
{
  const struct rlimit no_core = { 0, 0 };

  umask (077);
  if (setrlimit (RLIMIT_CORE, &no_core) != 0)
    g_warning ("Cannot turn core dumps off: %s", g_strerror (errno));
  if (prctl (PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
    g_warning ("Cannot make this process undumpable: %s", g_strerror (errno));
}
