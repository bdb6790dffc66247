/* SPDX-License-Identifier: MIT */
/*
 * The CMIS page rules of the access layer: which pages are banked, which pages a module
 * advertises, how long one read or one write may be, and where the select bytes are.
 * The bus below knows none of this: it moves transfers, holds locks, routes and counts.
 */
#ifndef LB_HAL_CMIS_PAGE_RULES_H
#define LB_HAL_CMIS_PAGE_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "hal/cmis/module_internal.h"

/* Lower memory bytes 126/127: BankSelect and PageSelect of the upper page in force. */
#define LB_CMIS_BANK_SELECT 126u
#define LB_CMIS_PAGE_SELECT 127u
/* tWRITE: a module may NACK for up to 10 ms after a volatile write (CMIS 5.4 Table 10-4). */
#define LB_CMIS_T_WRITE_NS 10000000u
/* Longest read or write CMIS allows without an advertised extension. */
#define LB_CMIS_DEFAULT_ACCESS 8u

/** True when CMIS banks the page (10h-3Fh lane/VDM/C-CMIS pages, 9Fh, A0h-AFh CDB). */
static inline bool lb_cmis_page_is_banked(uint8_t page)
{
	return (page >= 0x10 && page <= 0x3F) || page == 0x9F || (page >= 0xA0 && page <= 0xAF);
}
/**
 * Whether BankSelect must be in force for (bank, page): a banked page, on a module with more
 * than one bank or for a bank other than 0 (an unprobed module counts as banked).
 */
bool lb_cmis_page_needs_bank(const struct lb_module_adv *a, uint8_t bank, uint8_t page);
/**
 * 1 when the probed module advertises upper page (bank, page), else 0. The C-CMIS pages
 * 30h-4Fh follow a->coherent (lb_cmis_coherent): the caller decides it first when
 * a->coherent_known is false.
 */
int lb_cmis_page_advertised(const struct lb_module_adv *a, uint8_t bank, uint8_t page);
/**
 * Whether a module that advertises the page surely has it, so that selecting it surely maps
 * it: the pages the advertisement names one by one (00h-1Fh, the CDB pages). VDM (20h-2Fh:
 * as many groups as 2Fh:128 says), C-CMIS (30h-4Fh: those the module implements) and vendor
 * pages (B0h-FFh) are advertised as ranges or not at all: a select of one is read back
 * (a module without it leaves page 00h in force, CMIS 5.4 8.2.15).
 */
static inline bool lb_cmis_page_certain(uint8_t page)
{
	return page < 0x20 || (page >= 0x9F && page <= 0xAF);
}
/** Longest read the module takes: 8 bytes unless it advertises full-page reads (128). */
size_t lb_cmis_max_read(const struct lb_module_adv *a);
/**
 * Longest write the module takes at (page, lower): 8 bytes; on page 9Fh 8 * (1 + min(i, 15))
 * and on the EPL pages A0h-AFh 8 * (1 + i) capped at one page (128), i = 01h:164.
 */
size_t lb_cmis_max_write(const struct lb_module_adv *a, uint8_t page, bool lower);

#endif
