/* SPDX-License-Identifier: MIT */
/*
 * C-CMIS pages: thresholds and provisioning (30h-32h) and media lane masks (38h) read-write,
 * media lane flags (33h) clear-on-read. The PM and FEC counters (34h, 35h) and the other
 * pages are read-only; PM intervals are not modelled yet.
 */
#include "emulator/cmis/emu_page.h"

const struct emu_page_handler emu_page_ccmis_config = {
	.name = "ccmis-config", .first_page = 0x30, .last_page = 0x32, .access = EMU_RW,
};

const struct emu_page_handler emu_page_ccmis_flags = {
	.name = "ccmis-flags", .first_page = 0x33, .last_page = 0x33, .access = EMU_COR,
};

const struct emu_page_handler emu_page_ccmis_masks = {
	.name = "ccmis-masks", .first_page = 0x38, .last_page = 0x38, .access = EMU_RW,
};
