/* SPDX-License-Identifier: MIT */
/*
 * Linear offsets of optoe-style EEPROM files (lightbridge/optoe.h; cmis.md 1.1;
 * docs/hardware.md). Part of liblightbridge whether or not the optoe driver is built.
 */
#include <string.h>
#include <lightbridge/optoe.h>
#include <lightbridge/status.h>

#define PAGE_SIZE 128
#define BANKED_FIRST 0x10 /* pages below 10h are not banked */
#define PAGES_PER_EXTRA_BANK (256 - BANKED_FIRST)

LB_API int64_t lb_optoe_offset(enum lb_optoe_banking layout, uint8_t bank, uint8_t page,
			       uint8_t byte)
{
	if (layout != LB_OPTOE_BANKING_NONE && layout != LB_OPTOE_BANKING_OPTOE &&
	    layout != LB_OPTOE_BANKING_SONIC)
		return -1;
	if (byte < 128)
		return (int64_t)byte;
	int64_t in_page = (int64_t)byte - 128;
	if (bank == 0)
		return PAGE_SIZE * ((int64_t)page + 1) + in_page;
	switch (layout) {
	case LB_OPTOE_BANKING_OPTOE:
		if (page < BANKED_FIRST)
			return -1;
		/* lower, 256 pages of bank 0, then 240 pages (10h-FFh) for each further bank */
		return PAGE_SIZE * ((int64_t)bank * PAGES_PER_EXTRA_BANK + (int64_t)page + 1) + in_page;
	case LB_OPTOE_BANKING_SONIC:
		return PAGE_SIZE * ((int64_t)bank * 256 + (int64_t)page + 1) + in_page;
	default:
		return -1;
	}
}

LB_API bool lb_optoe_address(enum lb_optoe_banking layout, unsigned max_banks, int64_t offset,
			     uint8_t *bank, uint8_t *page, uint8_t *byte)
{
	if (offset < 0 || (layout != LB_OPTOE_BANKING_NONE && layout != LB_OPTOE_BANKING_OPTOE &&
			   layout != LB_OPTOE_BANKING_SONIC))
		return false;
	if (offset < 128) {
		*bank = 0;
		*page = 0;
		*byte = (uint8_t)offset;
		return true;
	}
	int64_t block = offset / PAGE_SIZE - 1; /* page index in the file after lower memory */
	int64_t b, p;
	if (block < 256) {
		b = 0;
		p = block;
	} else if (layout == LB_OPTOE_BANKING_OPTOE) {
		b = 1 + (block - 256) / PAGES_PER_EXTRA_BANK;
		p = BANKED_FIRST + (block - 256) % PAGES_PER_EXTRA_BANK;
	} else if (layout == LB_OPTOE_BANKING_SONIC) {
		b = block / 256;
		p = block % 256;
	} else {
		return false;
	}
	if (b > 0 && (b >= (int64_t)max_banks || b > 255))
		return false;
	*bank = (uint8_t)b;
	*page = (uint8_t)p;
	*byte = (uint8_t)(128 + offset % PAGE_SIZE);
	return true;
}

static const char *const names[] = {
	[LB_OPTOE_BANKING_NONE] = "none",
	[LB_OPTOE_BANKING_OPTOE] = "optoe",
	[LB_OPTOE_BANKING_SONIC] = "sonic",
};

LB_API int lb_optoe_banking_from_name(const char *name, enum lb_optoe_banking *out)
{
	for (unsigned i = 0; name && out && i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(name, names[i]) == 0) {
			*out = (enum lb_optoe_banking)i;
			return LB_OK;
		}
	}
	return LB_E_INVAL;
}

LB_API const char *lb_optoe_banking_name(enum lb_optoe_banking layout)
{
	unsigned i = (unsigned)layout;
	return i < sizeof(names) / sizeof(names[0]) ? names[i] : "unknown";
}
