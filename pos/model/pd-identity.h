#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PD_FIELD_ERROR (pd_field_error_quark ())

/* The error code names the field, so a UI can show the message next to it. */
typedef enum {
  PD_FIELD_MEMBER_ID,
  PD_FIELD_ZIP,
  PD_FIELD_DATE_OF_BIRTH,
  PD_FIELD_FIRST_NAME,
  PD_FIELD_LAST_NAME,
  PD_FIELD_EMAIL,
  PD_FIELD_INVOICE_ACCOUNT,
  PD_FIELD_INVOICE_NUMBER,
  PD_FIELD_ROUTING_NUMBER,
  PD_FIELD_BANK_ACCOUNT,
  PD_FIELD_ACCOUNT_TYPE,
  PD_FIELD_ACCOUNT_HOLDER,
  /* The bank account number typed a second time, to catch a slip of the finger. */
  PD_FIELD_BANK_ACCOUNT_AGAIN,
  PD_FIELD_ASSOCIATE_ID,
  PD_FIELD_ASSOCIATE_NAME,
  PD_FIELD_PIN,
} PdField;

#define PD_N_FIELDS (PD_FIELD_PIN + 1)

typedef enum {
  PD_IDENTIFICATION_MEMBER,
  PD_IDENTIFICATION_INVOICE,
  PD_IDENTIFICATION_ACCOUNT_ZIP,
} PdIdentificationKind;

#define PD_MEMBER_ID_DIGITS 11
#define PD_ZIP_DIGITS 5
#define PD_OLDEST_PLAUSIBLE_AGE 120

typedef struct {
  PdIdentificationKind kind;
  char *member_id;
  char *zip;
  GDate date_of_birth;
  char *first_name;
  char *last_name;
  char *email;
  char *invoice_account;
  char *invoice_number;
} PdIdentification;

GQuark            pd_field_error_quark              (void);
const char       *pd_field_to_string                (PdField       field);

char             *pd_validate_member_id             (const char   *text,
                                                     GError      **error);
char             *pd_validate_zip                   (const char   *text,
                                                     GError      **error);
gboolean          pd_validate_date_of_birth         (const char   *text,
                                                     const GDate  *today,
                                                     GDate        *date_of_birth,
                                                     GError      **error);
char             *pd_validate_name                  (PdField       field,
                                                     const char   *text,
                                                     GError      **error);
char             *pd_validate_email                 (const char   *text,
                                                     GError      **error);
char             *pd_validate_invoice_account       (const char   *text,
                                                     GError      **error);
char             *pd_validate_invoice_number        (const char   *text,
                                                     GError      **error);

PdIdentification *pd_identification_new_member      (const char   *member_id,
                                                     const char   *zip,
                                                     const char   *date_of_birth,
                                                     const char   *first_name,
                                                     const char   *last_name,
                                                     const char   *email,
                                                     GError      **error);
PdIdentification *pd_identification_new_invoice     (const char   *invoice_account,
                                                     const char   *invoice_number,
                                                     GError      **error);
PdIdentification *pd_identification_new_account_zip (const char   *invoice_account,
                                                     const char   *zip,
                                                     GError      **error);
void              pd_identification_free            (PdIdentification *identification);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdIdentification, pd_identification_free)

G_END_DECLS
