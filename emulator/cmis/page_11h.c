/* SPDX-License-Identifier: MIT */
/*
 * Page 11h, lane status: read-only (DP states, monitors, the active control set) but for the
 * lane flags 134-153, clear-on-read; a monitor flag whose condition holds latches again.
 */
#include "emulator/cmis/emu_page.h"

#define P(b) EMU_P(b)

static const struct emu_range ranges[] = {
	{ 134, 153, EMU_COR }, /* DPStateChanged, Tx/Rx flags */
};

static uint8_t lane_status_flag_level(const struct lb_emu_module *m, unsigned bank, uint8_t addr)
{
	return emu_lane_flag_level(m, bank, addr);
}

/* Lane flags 134-153 against their masks 10h:213-232. */
static bool lane_status_flags_set(const struct lb_emu_module *m, unsigned bank, bool unmasked)
{
	const uint8_t *p11 = emu_mem_page(&m->mem, bank, 0x11);
	if (!p11)
		return false;
	if (!unmasked)
		return emu_any_unmasked(&p11[P(134)], NULL, 20);
	const uint8_t *p10 = emu_mem_page(&m->mem, bank, 0x10);
	return p10 && emu_any_unmasked(&p11[P(134)], &p10[P(213)], 20);
}

const struct emu_page_handler emu_page_lane_status = {
	.name = "lane-status",
	.first_page = 0x11,
	.last_page = 0x11,
	.access = EMU_RO,
	EMU_RANGES(ranges),
	.flag_level = lane_status_flag_level,
	.flags_set = lane_status_flags_set,
	.summary = 0x01,
};
