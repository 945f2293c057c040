#pragma once

#include "pd-account.h"
#include "pd-payment.h"

G_BEGIN_DECLS

/* Every test program starts here: isolated XDG dirs, C.UTF-8, no stray configuration. */
void       pd_test_init            (int          *argc,
                                    char       ***argv);

void       pd_test_init_gui        (int          *argc,
                                    char       ***argv);

char      *pd_test_make_temp_dir   (void);
void       pd_test_remove_tree     (const char   *path);
void       pd_test_write_file      (const char   *path,
                                    const char   *contents);
/* Mode 0600: a token, password or key as Paydesk wants one. */
void       pd_test_write_secret    (const char   *path,
                                    const char   *contents);
/* A throwaway self-signed certificate for 127.0.0.1 (its own CA), made by openssl as
 * dir/name.crt with its key in dir/name.key; name is also its common name. */
void       pd_test_make_certificate (const char  *dir,
                                     const char  *name,
                                     char       **certificate,
                                     char       **key);
/* The same for other names: alt_names as openssl's subjectAltName takes them
 * ("DNS:core.example,IP:127.0.0.1"). */
void       pd_test_make_certificate_for (const char  *dir,
                                         const char  *name,
                                         const char  *alt_names,
                                         char       **certificate,
                                         char       **key);

/* assets/paydesk.conf.sample with a freshly made core public key in place of its
 * placeholder, written as dir/sample.conf; the path. */
char      *pd_test_sample_config_with_key (const char *dir);

/* A private folder for one test, removed with everything in it afterwards. Test fixtures
 * that need more put it first. */
typedef struct {
  char *dir;
} PdTestDir;

void       pd_test_dir_set_up      (PdTestDir    *fixture,
                                    gconstpointer data);
void       pd_test_dir_tear_down   (PdTestDir    *fixture,
                                    gconstpointer data);

/* A member's Essential Plan account with one premium invoice of $75.00. */
PdAccount *pd_test_account_new     (void);
PdPayment *pd_test_payment_new     (PdAccount    *account,
                                    PdCents       amount,
                                    PdTender      tender);

extern const PdPaymentOrigin pd_test_origin;

/* A program run to its end: its exit status and everything it printed. */
typedef struct {
  int status;
  char *out;
  char *err;
} PdTestRun;

void       pd_test_run_clear       (PdTestRun    *run);
/* Runs argv (NULL-terminated) with input on its standard input (or none), fails the test
 * unless it exits by itself, and logs what it printed with g_test_message(). */
PdTestRun  pd_test_run             (const char * const *argv,
                                    const char   *input);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PdTestRun, pd_test_run_clear)

/* Starts a training server (argv NULL-terminated) and waits, without sleeping, for the line
 * "listening on URL" it prints once it accepts connections; *url gets the URL. The server
 * dies with the test if an assertion stops it first. */
GSubprocess *pd_test_spawn_listening (const char * const *argv,
                                      char              **url);

G_END_DECLS
