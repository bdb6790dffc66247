/* SPDX-License-Identifier: MIT */
/*
 * The linear file layout of optoe-style EEPROM files (the Linux optoe driver's
 * /sys/bus/i2c/devices/N-0050/eeprom, and lb-emud's DIR/<port>/eeprom): which file offset holds
 * byte `byte` (0-255) of page `page` in bank `bank`, and back. Lower memory is at offsets
 * 0-127, the upper bytes of bank 0 at 128 * (page + 1) + (byte - 128); banks 1 and above
 * depend on the host stack, hence a layout (docs/hardware.md, "optoe files").
 *
 * Threads: pure functions (no state, no I/O); any thread, any number at once.
 */
#ifndef LIGHTBRIDGE_OPTOE_H
#define LIGHTBRIDGE_OPTOE_H

#include <stdbool.h>
#include <stdint.h>
#include <lightbridge/common.h>

LB_BEGIN_DECLS

/** Where banks 1 and above lie in the file (bank 0 is the same in every layout). */
enum lb_optoe_banking {
	/** Plain optoe: bank 0 only. */
	LB_OPTOE_BANKING_NONE = 0,
	/**
	 * The optoe banking support SONiC's kernel carries (bank_size in sysfs) and sonic_xcvr
	 * uses: after bank 0's 256 pages, each further bank adds its 240 banked pages 10h-FFh,
	 * offset 128 * (bank * 240 + page + 1) + (byte - 128). The default.
	 */
	LB_OPTOE_BANKING_OPTOE = 1,
	/** Every bank a full block of 256 pages: 128 * (bank * 256 + page + 1) + (byte - 128). */
	LB_OPTOE_BANKING_SONIC = 2,
};

/**
 * File offset of (bank, page, byte): byte < 128 is lower memory at offset byte (bank and page
 * ignored). -1 when the layout cannot express the address: a bank above 0 with
 * LB_OPTOE_BANKING_NONE or of an unbanked page (00h-0Fh) with LB_OPTOE_BANKING_OPTOE, or an
 * unknown layout.
 */
LB_API int64_t lb_optoe_offset(enum lb_optoe_banking layout, uint8_t bank, uint8_t page,
			       uint8_t byte);
/**
 * The inverse: the (bank, page, byte) that file offset names, in a file that holds banks
 * 0..max_banks-1. false (outputs untouched) for a negative offset, past the layout's end, or an
 * unknown layout. bank, page and byte must not be NULL.
 */
LB_API bool lb_optoe_address(enum lb_optoe_banking layout, unsigned max_banks, int64_t offset,
			     uint8_t *bank, uint8_t *page, uint8_t *byte);
/** "none", "optoe" or "sonic" to a layout in *out: LB_OK, or LB_E_INVAL (unknown name, NULL). */
LB_API int lb_optoe_banking_from_name(const char *name, enum lb_optoe_banking *out);
/** The layout's name ("none", "optoe", "sonic"); "unknown" for any other value. Static string. */
LB_API const char *lb_optoe_banking_name(enum lb_optoe_banking layout);

LB_END_DECLS
#endif
