#pragma once

#include "pd-page.h"

G_BEGIN_DECLS

#define PD_TYPE_CHECK_PAGE (pd_check_page_get_type ())

G_DECLARE_FINAL_TYPE (PdCheckPage, pd_check_page, PD, CHECK_PAGE, PdPage)

/* The check step: "Put your check in the slot"; the scanner reads the MICR line and images
 * and hands the check back; the member sees what was read (routing number, the account's
 * last four digits, the check number) and confirms the amount, or is told what could not
 * be read and tries again or pays another way. The account number and the images are
 * sealed for the payment core as soon as they are read, and the clear copies dropped. */
PdPage *pd_check_page_new (void);

G_END_DECLS
