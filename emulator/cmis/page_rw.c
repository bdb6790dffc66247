/* SPDX-License-Identifier: MIT */
/*
 * Plain pages: user EEPROM (03h), diagnostics control (13h) and its flags page (14h, not
 * modelled: the summary bit keeps what memory says), and custom pages B0h-FFh, read-write.
 */
#include "emulator/cmis/emu_page.h"

const struct emu_page_handler emu_page_user_eeprom = {
	.name = "user-eeprom", .first_page = 0x03, .last_page = 0x03, .access = EMU_RW,
};

const struct emu_page_handler emu_page_diag_control = {
	.name = "diagnostics-control", .first_page = 0x13, .last_page = 0x13, .access = EMU_RW,
};

/* Page 14h flags are not modelled: bit 2 of the lane summary keeps what memory says. */
static bool diag_flags_set(const struct lb_emu_module *m, unsigned bank, bool unmasked)
{
	if (unmasked || bank >= 4 || !emu_mem_page(&m->mem, bank, 0x14))
		return false;
	return (m->mem.lower[4 + bank] & 0x04) != 0;
}

const struct emu_page_handler emu_page_diag_flags = {
	.name = "diagnostics-flags",
	.first_page = 0x14,
	.last_page = 0x14,
	.access = EMU_RO,
	.flags_set = diag_flags_set,
	.summary = 0x04,
};

const struct emu_page_handler emu_page_custom = {
	.name = "custom", .first_page = 0xB0, .last_page = 0xFF, .access = EMU_RW,
};
