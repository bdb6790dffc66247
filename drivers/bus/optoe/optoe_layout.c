/* SPDX-License-Identifier: MIT */
/* Linear offsets of optoe-style EEPROM files (cmis.md 1.1; docs/hardware.md). */
#include <string.h>
#include "drivers/bus/optoe/optoe.h"

#define PAGES_PER_EXTRA_BANK (256u - OPTOE_BANKED_FIRST)

off_t optoe_offset(enum optoe_banking layout, uint8_t bank, uint8_t page, uint8_t byte)
{
	if (byte < 128)
		return (off_t)byte;
	off_t in_page = (off_t)(byte - 128u);
	if (bank == 0)
		return (off_t)OPTOE_PAGE_SIZE * ((off_t)page + 1) + in_page;
	switch (layout) {
	case OPTOE_BANKING_OPTOE:
		if (page < OPTOE_BANKED_FIRST)
			return -1;
		/* lower, 256 pages of bank 0, then 240 pages (10h-FFh) for each further bank */
		return (off_t)OPTOE_PAGE_SIZE *
			       (1 + 256 + (off_t)(bank - 1u) * PAGES_PER_EXTRA_BANK +
				(off_t)(page - OPTOE_BANKED_FIRST)) +
		       in_page;
	case OPTOE_BANKING_SONIC:
		return (off_t)OPTOE_PAGE_SIZE * ((off_t)bank * 256 + (off_t)page + 1) + in_page;
	default:
		return -1;
	}
}

bool optoe_address(enum optoe_banking layout, unsigned max_banks, off_t offset, uint8_t *bank,
		   uint8_t *page, uint8_t *byte)
{
	if (offset < 0)
		return false;
	if (offset < 128) {
		*bank = 0;
		*page = 0;
		*byte = (uint8_t)offset;
		return true;
	}
	off_t block = offset / OPTOE_PAGE_SIZE - 1; /* page index in the file after lower memory */
	*byte = (uint8_t)(128 + offset % OPTOE_PAGE_SIZE);
	if (block < 256) {
		*bank = 0;
		*page = (uint8_t)block;
		return true;
	}
	off_t b, p;
	switch (layout) {
	case OPTOE_BANKING_OPTOE:
		b = 1 + (block - 256) / PAGES_PER_EXTRA_BANK;
		p = OPTOE_BANKED_FIRST + (block - 256) % PAGES_PER_EXTRA_BANK;
		break;
	case OPTOE_BANKING_SONIC:
		b = block / 256;
		p = block % 256;
		break;
	default:
		return false;
	}
	if (b >= (off_t)max_banks || b > 255)
		return false;
	*bank = (uint8_t)b;
	*page = (uint8_t)p;
	return true;
}

int optoe_banking_from_name(const char *name)
{
	if (!name || strcmp(name, "optoe") == 0)
		return OPTOE_BANKING_OPTOE;
	if (strcmp(name, "none") == 0)
		return OPTOE_BANKING_NONE;
	if (strcmp(name, "sonic") == 0)
		return OPTOE_BANKING_SONIC;
	return -1;
}
