/* SPDX-License-Identifier: MIT */
/*
 * Page 12h, laser tuning (tunable modules): channel and fine-tuning controls and masks
 * read-write, tuning flags clear-on-read, status and capabilities read-only. Tuning itself
 * (the laser moving to a new frequency) is tuning.c's.
 */
#include "emulator/cmis/emu_page.h"
#include "emulator/cmis/emu_tuning.h"

#define P(b) EMU_P(b)

static const struct emu_range ranges[] = {
	{ 128, 167, EMU_RW },  /* grid, channel, fine tuning */
	{ 200, 217, EMU_RW },  /* target output power */
	{ 239, 246, EMU_RW },  /* tuning flag masks */
	{ 231, 238, EMU_COR }, /* tuning flags */
};

static bool tuning_flags_set(const struct lb_emu_module *m, unsigned bank, bool unmasked)
{
	const uint8_t *p12 = emu_mem_page(&m->mem, bank, 0x12);
	return p12 && emu_any_unmasked(&p12[P(231)], unmasked ? &p12[P(239)] : NULL, 8);
}

const struct emu_page_handler emu_page_tuning = {
	.name = "tuning",
	.first_page = 0x12,
	.last_page = 0x12,
	.access = EMU_RO,
	EMU_RANGES(ranges),
	.flags_set = tuning_flags_set,
	.summary = 0x02,
	.priv_size = sizeof(struct emu_tuning),
	.write = emu_tuning_write,
	.write_done = emu_tuning_write_done,
	.next_deadline = emu_tuning_next_deadline,
	.run = emu_tuning_run,
	.before_read = emu_tuning_before_read,
	.power_on = emu_tuning_power_on,
};
