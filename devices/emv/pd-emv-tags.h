#pragma once

/* The EMV data objects and bits the kernel works with (Book 3 Annex A, Book 4 Annex A). */

#define PD_TAG_AID_CARD             0x4f
#define PD_TAG_APPLICATION_LABEL    0x50
#define PD_TAG_TRACK2               0x57
#define PD_TAG_PAN                  0x5a
#define PD_TAG_TEMPLATE_FCI         0x6f
#define PD_TAG_TEMPLATE_RECORD      0x70
#define PD_TAG_SCRIPT_BEFORE        0x71
#define PD_TAG_SCRIPT_AFTER         0x72
#define PD_TAG_RESPONSE_FORMAT_1    0x80
#define PD_TAG_RESPONSE_FORMAT_2    0x77
#define PD_TAG_AIP                  0x82
#define PD_TAG_DF_NAME              0x84
#define PD_TAG_SCRIPT_COMMAND       0x86
#define PD_TAG_PRIORITY             0x87
#define PD_TAG_SFI                  0x88
#define PD_TAG_ARC                  0x8a
#define PD_TAG_CDOL1                0x8c
#define PD_TAG_CDOL2                0x8d
#define PD_TAG_CVM_LIST             0x8e
#define PD_TAG_CAPK_INDEX           0x8f
#define PD_TAG_ISSUER_AUTH_DATA     0x91
#define PD_TAG_AFL                  0x94
#define PD_TAG_TVR                  0x95
#define PD_TAG_TRANSACTION_DATE     0x9a
#define PD_TAG_TSI                  0x9b
#define PD_TAG_TRANSACTION_TYPE     0x9c
#define PD_TAG_DIRECTORY_ENTRY      0x61
#define PD_TAG_FCI_PROPRIETARY      0xa5
#define PD_TAG_FCI_DISCRETIONARY    0xbf0c
#define PD_TAG_CARDHOLDER_NAME      0x5f20
#define PD_TAG_EXPIRY               0x5f24
#define PD_TAG_EFFECTIVE            0x5f25
#define PD_TAG_ISSUER_COUNTRY       0x5f28
#define PD_TAG_CURRENCY             0x5f2a
#define PD_TAG_LANGUAGES            0x5f2d
#define PD_TAG_PSN                  0x5f34
#define PD_TAG_AMOUNT               0x9f02
#define PD_TAG_AMOUNT_OTHER         0x9f03
#define PD_TAG_AID_TERMINAL         0x9f06
#define PD_TAG_AUC                  0x9f07
#define PD_TAG_APP_VERSION_CARD     0x9f08
#define PD_TAG_APP_VERSION_TERMINAL 0x9f09
#define PD_TAG_IAC_DEFAULT          0x9f0d
#define PD_TAG_IAC_DENIAL           0x9f0e
#define PD_TAG_IAC_ONLINE           0x9f0f
#define PD_TAG_IAD                  0x9f10
#define PD_TAG_PREFERRED_NAME       0x9f12
#define PD_TAG_SCRIPT_ID            0x9f18
#define PD_TAG_TERMINAL_COUNTRY     0x9f1a
#define PD_TAG_TRANSACTION_TIME     0x9f21
#define PD_TAG_CRYPTOGRAM           0x9f26
#define PD_TAG_CID                  0x9f27
#define PD_TAG_TERMINAL_CAPABILITIES 0x9f33
#define PD_TAG_CVM_RESULTS          0x9f34
#define PD_TAG_TERMINAL_TYPE        0x9f35
#define PD_TAG_ATC                  0x9f36
#define PD_TAG_UNPREDICTABLE_NUMBER 0x9f37
#define PD_TAG_PDOL                 0x9f38
#define PD_TAG_POS_ENTRY_MODE       0x9f39
#define PD_TAG_ADDITIONAL_CAPABILITIES 0x9f40
#define PD_TAG_SEQUENCE_COUNTER     0x9f41
#define PD_TAG_DATA_AUTH_CODE       0x9f45
#define PD_TAG_DDOL                 0x9f49
#define PD_TAG_SDA_TAG_LIST         0x9f4a
#define PD_TAG_SIGNED_DYNAMIC_DATA  0x9f4b
#define PD_TAG_ICC_DYNAMIC_NUMBER   0x9f4c
#define PD_TAG_ISSUER_SCRIPT_RESULTS 0x9f5b
#define PD_TAG_TTQ                  0x9f66
#define PD_TAG_CTQ                  0x9f6c
#define PD_TAG_FORM_FACTOR          0x9f6e

/* Application interchange profile, byte 1. */
#define PD_AIP_SDA                  0x40
#define PD_AIP_DDA                  0x20
#define PD_AIP_CARDHOLDER_VERIFICATION 0x10
#define PD_AIP_TERMINAL_RISK        0x08
#define PD_AIP_ISSUER_AUTHENTICATION 0x04
#define PD_AIP_CDA                  0x01

/* Terminal verification results: byte index (0-4) and bit. */
#define PD_TVR(byte, bit) (((byte) << 8) | (bit))
#define PD_TVR_ODA_NOT_PERFORMED    PD_TVR (0, 0x80)
#define PD_TVR_SDA_FAILED           PD_TVR (0, 0x40)
#define PD_TVR_ICC_DATA_MISSING     PD_TVR (0, 0x20)
#define PD_TVR_DDA_FAILED           PD_TVR (0, 0x08)
#define PD_TVR_CDA_FAILED           PD_TVR (0, 0x04)
#define PD_TVR_SDA_SELECTED         PD_TVR (0, 0x02)
#define PD_TVR_VERSIONS_DIFFER      PD_TVR (1, 0x80)
#define PD_TVR_EXPIRED              PD_TVR (1, 0x40)
#define PD_TVR_NOT_YET_EFFECTIVE    PD_TVR (1, 0x20)
#define PD_TVR_SERVICE_NOT_ALLOWED  PD_TVR (1, 0x10)
#define PD_TVR_CVM_FAILED           PD_TVR (2, 0x80)
#define PD_TVR_UNRECOGNISED_CVM     PD_TVR (2, 0x40)
#define PD_TVR_PIN_PAD_MISSING      PD_TVR (2, 0x10)
#define PD_TVR_FLOOR_LIMIT_EXCEEDED PD_TVR (3, 0x80)
#define PD_TVR_ISSUER_AUTH_FAILED   PD_TVR (4, 0x40)
#define PD_TVR_SCRIPT_FAILED_BEFORE PD_TVR (4, 0x20)
#define PD_TVR_SCRIPT_FAILED_AFTER  PD_TVR (4, 0x10)

/* Transaction status information, byte 1. */
#define PD_TSI_ODA_PERFORMED        0x80
#define PD_TSI_CVM_PERFORMED        0x40
#define PD_TSI_CARD_RISK_PERFORMED  0x20
#define PD_TSI_ISSUER_AUTH_PERFORMED 0x10
#define PD_TSI_TERMINAL_RISK_PERFORMED 0x08
#define PD_TSI_SCRIPT_PERFORMED     0x04

/* Cryptogram information data: the kind of cryptogram, bits 8-7. */
#define PD_CID_TYPE_MASK            0xc0
#define PD_CID_AAC                  0x00
#define PD_CID_TC                   0x40
#define PD_CID_ARQC                 0x80

/* GENERATE AC reference control parameter. */
#define PD_GENAC_AAC                0x00
#define PD_GENAC_TC                 0x40
#define PD_GENAC_ARQC               0x80
#define PD_GENAC_CDA                0x10
