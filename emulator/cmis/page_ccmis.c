/* SPDX-License-Identifier: MIT */
/*
 * C-CMIS pages: thresholds and provisioning (30h-32h) and media lane masks (38h) read-write;
 * the coherent media lane flags (33h, clear-on-read: Rx LOS, loss of frame lock, uncorrectable
 * frames of each media lane at 128 + lane - 1, emu_coherent.h); the FEC PM (34h) and link PM
 * (35h), read-only, filled from the module's coherent measures over the current interval
 * (emu_coherent.h). The other pages are read-only memory.
 */
#include "emulator/cmis/emu_page.h"

#define P(b) EMU_P(b)

const struct emu_page_handler emu_page_ccmis_config = {
	.name = "ccmis-config", .first_page = 0x30, .last_page = 0x32, .access = EMU_RW,
};

/* 33h flags against their masks at the same bytes of 38h. */
static bool ccmis_flags_set(const struct lb_emu_module *m, unsigned bank, bool unmasked)
{
	const uint8_t *p33 = emu_mem_page(&m->mem, bank, 0x33);
	if (!p33)
		return false;
	const uint8_t *flags = &p33[P(EMU_CCMIS_FLAG_FIRST)];
	if (!unmasked)
		return emu_any_unmasked(flags, NULL, EMU_CCMIS_FLAG_N);
	const uint8_t *p38 = emu_mem_page(&m->mem, bank, 0x38);
	return emu_any_unmasked(flags, p38 ? &p38[P(EMU_CCMIS_FLAG_FIRST)] : NULL, EMU_CCMIS_FLAG_N);
}

const struct emu_page_handler emu_page_ccmis_flags = {
	.name = "ccmis-flags",
	.first_page = 0x33,
	.last_page = 0x33,
	.access = EMU_COR,
	.flag_level = emu_ccmis_flag_level,
	.flags_set = ccmis_flags_set,
};

/* The PMs: counters brought up to the module's time before the host reads them. */
static void ccmis_pm_before_read(struct lb_emu_module *m, void *priv, const struct emu_io *io,
				 uint8_t addr, size_t n)
{
	(void)priv, (void)io, (void)addr, (void)n;
	emu_coherent_update(m);
}

const struct emu_page_handler emu_page_ccmis_pm = {
	.name = "ccmis-pm",
	.first_page = 0x34,
	.last_page = 0x35,
	.access = EMU_RO,
	.before_read = ccmis_pm_before_read,
};

const struct emu_page_handler emu_page_ccmis_masks = {
	.name = "ccmis-masks", .first_page = 0x38, .last_page = 0x38, .access = EMU_RW,
};
