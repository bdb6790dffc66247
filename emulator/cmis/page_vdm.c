/* SPDX-License-Identifier: MIT */
/*
 * Versatile Diagnostics Monitoring: flags (2Ch, clear-on-read), their masks (2Dh) and the
 * control page 2Fh, of which byte 144 (freeze and unfreeze requests) is read-write. The
 * descriptors, samples and thresholds (20h-2Bh) are read-only. Freezing is not modelled yet.
 */
#include "emulator/cmis/emu_page.h"

static bool vdm_flags_set(const struct lb_emu_module *m, unsigned bank, bool unmasked)
{
	const uint8_t *p2c = emu_mem_page(&m->mem, bank, 0x2C);
	if (!p2c)
		return false;
	if (!unmasked)
		return emu_any_unmasked(p2c, NULL, 128);
	const uint8_t *p2d = emu_mem_page(&m->mem, bank, 0x2D);
	return p2d && emu_any_unmasked(p2c, p2d, 128);
}

const struct emu_page_handler emu_page_vdm_flags = {
	.name = "vdm-flags",
	.first_page = 0x2C,
	.last_page = 0x2C,
	.access = EMU_COR,
	.flags_set = vdm_flags_set,
	.summary = 0x08,
};

const struct emu_page_handler emu_page_vdm_masks = {
	.name = "vdm-masks", .first_page = 0x2D, .last_page = 0x2D, .access = EMU_RW,
};

static const struct emu_range vdm_control_ranges[] = {
	{ 144, 144, EMU_RW }, /* FreezeRequest, UnfreezeRequest */
};

const struct emu_page_handler emu_page_vdm_control = {
	.name = "vdm-control",
	.first_page = 0x2F,
	.last_page = 0x2F,
	.access = EMU_RO,
	EMU_RANGES(vdm_control_ranges),
};
