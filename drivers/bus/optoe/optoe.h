/* SPDX-License-Identifier: MIT */
/* The optoe driver's linear file layout: pure functions, shared with lb-emud and tests. */
#ifndef LB_DRIVERS_BUS_OPTOE_H
#define LB_DRIVERS_BUS_OPTOE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* How a NOS kernel lays banks 1..n out in the one EEPROM file (bank 0 is the same for all). */
enum optoe_banking {
	OPTOE_BANKING_NONE = 0,   /* plain optoe: bank 0 only */
	OPTOE_BANKING_OPTOE = 1,  /* optoe banking patch: 240 pages (10h-FFh) per extra bank */
	OPTOE_BANKING_SONIC = 2,  /* SONiC sonic_xcvr: every bank a full block of 256 pages */
};

#define OPTOE_PAGE_SIZE 128u
#define OPTOE_BANKED_FIRST 0x10u  /* pages below 10h are not banked */

/**
 * File offset of (bank, page, byte): byte < 128 is lower memory at offset byte; upper bytes
 * of bank 0 at 128 * (page + 1) + (byte - 128). Returns -1 when the layout cannot express
 * the address (bank > 0 with OPTOE_BANKING_NONE, or a bank > 0 of an unbanked page).
 */
off_t optoe_offset(enum optoe_banking layout, uint8_t bank, uint8_t page, uint8_t byte);

/** The inverse: which (bank, page, byte) a file offset names. false past the layout's end. */
bool optoe_address(enum optoe_banking layout, unsigned max_banks, off_t offset, uint8_t *bank,
		   uint8_t *page, uint8_t *byte);

/** "none", "optoe", "sonic" -> layout; -1 when unknown. */
int optoe_banking_from_name(const char *name);

#endif
