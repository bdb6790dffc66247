/* SPDX-License-Identifier: MIT */
/*
 * CMIS register offsets used by identity, application, monitor and threshold decoding.
 * Byte numbers are bus byte addresses: 0-127 lower memory, 128-255 the mapped upper page.
 * Control registers (module/data-path state machines) live in control_regs.h.
 */
#ifndef LB_HAL_CMIS_REGS_H
#define LB_HAL_CMIS_REGS_H

/* ---- pages ---- */
#define LB_CMIS_PAGE_ADMIN 0x00u      /* 00h: vendor identity */
#define LB_CMIS_PAGE_ADVERT 0x01u     /* 01h: advertising */
#define LB_CMIS_PAGE_THRESH 0x02u     /* 02h: thresholds */
#define LB_CMIS_PAGE_LANE_STATUS 0x11u /* 11h: lane flags and monitors (banked) */

/* ---- lower memory ---- */
#define LB_CMIS_LOW_ID 0u
#define LB_CMIS_LOW_REV 1u
#define LB_CMIS_LOW_CHARS 2u            /* .7 flat memory, .5-2 MciMaxSpeed */
#define LB_CMIS_LOW_CHARS_FLAT 0x80u
#define LB_CMIS_LOW_STATE 3u
#define LB_CMIS_LOW_FLAG_SUMMARY 4u     /* 4-7: per bank, which lane pages have flags set */
#define LB_CMIS_LOW_FLAGS_MODULE 8u     /* .0 ModuleStateChanged */
#define LB_CMIS_LOW_FLAGS_MON 9u        /* .3-0 temperature, .7-4 Vcc (HA LA HW LW) */
#define LB_CMIS_LOW_TEMP 14u            /* S16, 1/256 degC */
#define LB_CMIS_LOW_VCC 16u             /* U16, 100 uV */
#define LB_CMIS_LOW_MON_END 25u         /* last byte of the custom monitor */
#define LB_CMIS_LOW_FW_MAJOR 39u
#define LB_CMIS_LOW_FW_MINOR 40u
#define LB_CMIS_LOW_MEDIA_TYPE 85u
#define LB_CMIS_LOW_APP_FIRST 86u       /* AppSel 1-8, 4 bytes each */
#define LB_CMIS_LOW_APP_LAST 117u

/* ---- page 00h ---- */
#define LB_CMIS_P00_ID 128u
#define LB_CMIS_P00_VENDOR_NAME 129u    /* 16 */
#define LB_CMIS_P00_VENDOR_OUI 145u     /* 3 */
#define LB_CMIS_P00_PART_NUMBER 148u    /* 16 */
#define LB_CMIS_P00_REVISION 164u       /* 2 */
#define LB_CMIS_P00_SERIAL 166u         /* 16 */
#define LB_CMIS_P00_DATE_CODE 182u      /* 8 */
#define LB_CMIS_P00_CLEI 190u           /* 10 */
#define LB_CMIS_P00_POWER_CLASS 200u    /* .7-5 class - 1 */
#define LB_CMIS_P00_MAX_POWER 201u      /* 0.25 W */
#define LB_CMIS_P00_CONNECTOR 203u
#define LB_CMIS_P00_MEDIA_TECH 212u
#define LB_CMIS_P00_CHECKSUM 222u       /* sum of 128..221 */
#define LB_CMIS_P00_CSUM_FIRST 128u

/* ---- page 01h ---- */
#define LB_CMIS_P01_FW_INACTIVE_MAJOR 128u
#define LB_CMIS_P01_FW_INACTIVE_MINOR 129u
#define LB_CMIS_P01_HW_MAJOR 130u
#define LB_CMIS_P01_HW_MINOR 131u
#define LB_CMIS_P01_PAGES 142u          /* .4 coherent pages, .1-0 banks */
#define LB_CMIS_P01_PAGES_COHERENT 0x10u
#define LB_CMIS_P01_TX_CTRL 155u        /* .6 transmitter tunable */
#define LB_CMIS_P01_TX_CTRL_TUNABLE 0x40u
#define LB_CMIS_P01_MOD_MON 159u        /* .1 Vcc, .0 temperature monitor supported */
#define LB_CMIS_P01_LANE_MON 160u       /* .4-3 bias multiplier, .2 Rx pwr, .1 Tx pwr, .0 bias */
#define LB_CMIS_P01_EXTRA_BANKS 174u    /* .4-0 extra lane banks (5.4) */
#define LB_CMIS_P01_MEDIA_OPTS 176u     /* AppSel 1-15, one byte each */
#define LB_CMIS_P01_APP_FIRST 223u      /* AppSel 9-15 */
#define LB_CMIS_P01_APP_LAST 250u
#define LB_CMIS_P01_MISC 251u           /* .1-0 FullPageReadSupported (10b = yes) */
#define LB_CMIS_P01_CHECKSUM 255u       /* sum of 130..254 */
#define LB_CMIS_P01_CSUM_FIRST 130u

/* ---- page 02h: groups of HA, LA, HW, LW, 2 bytes each ---- */
#define LB_CMIS_P02_TEMP 128u
#define LB_CMIS_P02_VCC 136u
#define LB_CMIS_P02_TX_POWER 176u
#define LB_CMIS_P02_TX_BIAS 184u
#define LB_CMIS_P02_RX_POWER 192u

/* ---- page 11h (per bank of 8 lanes) ---- */
#define LB_CMIS_P11_FLAGS_FIRST 134u    /* DPStateChanged .. Rx output status changed */
#define LB_CMIS_P11_TX_FAULT 135u
#define LB_CMIS_P11_TX_LOS 136u
#define LB_CMIS_P11_TX_LOL 137u
#define LB_CMIS_P11_TX_POWER_FLAGS 139u /* 139-142: HA LA HW LW */
#define LB_CMIS_P11_TX_BIAS_FLAGS 143u  /* 143-146 */
#define LB_CMIS_P11_RX_LOS 147u
#define LB_CMIS_P11_RX_LOL 148u
#define LB_CMIS_P11_RX_POWER_FLAGS 149u /* 149-152 */
#define LB_CMIS_P11_FLAGS_LAST 153u     /* Rx output status changed */
#define LB_CMIS_P11_TX_POWER 154u       /* U16 x 8, 0.1 uW */
#define LB_CMIS_P11_TX_BIAS 170u        /* U16 x 8, 2 uA x multiplier */
#define LB_CMIS_P11_RX_POWER 186u       /* U16 x 8, 0.1 uW */
#define LB_CMIS_P11_MON_LAST 201u

#endif
