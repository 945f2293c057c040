#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The real training mail server (paydesk-mail-sim) in a subprocess on a loopback port,
 * keeping what it accepts in maildir/new. */
typedef struct {
  GSubprocess *process;
  char *url;
  char *maildir;
} PdTestMail;

/* extra_args: more options for paydesk-mail-sim (NULL-terminated, may be NULL). */
PdTestMail *pd_test_mail_start    (const char         *dir,
                                   const char * const *extra_args);
void        pd_test_mail_free     (PdTestMail   *mail);
/* The messages delivered so far, oldest first: their paths. */
GPtrArray  *pd_test_mail_list     (PdTestMail   *mail);

/* A message read back as a mail reader would: headers unfolded (encoded words decoded), and
 * its leaf parts with their transfer encoding undone. */
typedef struct {
  char *content_type;         /* without parameters, lower case */
  char *filename;             /* from Content-Disposition, or NULL */
  GBytes *content;
} PdTestMimePart;

typedef struct {
  GHashTable *headers;        /* lower-case name → value */
  GPtrArray *parts;           /* PdTestMimePart, in order */
  GPtrArray *structure;       /* every Content-Type met, depth-first, with parameters */
} PdTestMessage;

PdTestMessage *pd_test_message_read (const char     *path);
void           pd_test_message_free (PdTestMessage  *message);
const char    *pd_test_message_header (PdTestMessage *message,
                                       const char    *name);
/* The first part of that type (text as a string: NUL-terminated), or NULL. */
PdTestMimePart *pd_test_message_find (PdTestMessage *message,
                                      const char    *content_type);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdTestMail, pd_test_mail_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdTestMessage, pd_test_message_free)

G_END_DECLS
