/* SPDX-License-Identifier: MIT */
/*
 * The lower half (bytes 0-127): module flags (clear-on-read), the module control byte 26
 * (low power, SoftwareReset), masks, passwords (write-only), BankSelect and PageSelect.
 */
#include "emulator/cmis/emu_page.h"

static const struct emu_range ranges[] = {
	{ 8, 11, EMU_COR },     /* module flags */
	{ 26, 26, EMU_RW },     /* module global controls */
	{ 29, 36, EMU_RW },     /* module masks */
	{ 118, 125, EMU_WO },   /* passwords */
	{ 126, 127, EMU_RW },   /* BankSelect, PageSelect */
};

/* PageSelect written: map it, or (unsupported page/bank) clear PageSelect, keep BankSelect. */
static void select_page(struct lb_emu_module *m, uint8_t page)
{
	uint8_t bank = m->mem.lower[126];
	if (emu_page_exists(m, bank, page)) {
		m->cur_page = page;
		m->cur_bank = emu_page_banked(page) ? bank : 0;
		m->mem.lower[127] = page;
	} else {
		m->cur_page = 0;
		m->cur_bank = 0;
		m->mem.lower[127] = 0;
	}
}

static void lower_write(struct lb_emu_module *m, void *priv, const struct emu_io *io, uint8_t addr,
			uint8_t value)
{
	(void)priv;
	(void)io;
	switch (addr) {
	case 26:
		if (value & 0x08)
			m->reset_requested = true; /* SoftwareReset: self-clearing, acted on at the end */
		m->mem.lower[26] = (uint8_t)(value & ~0x08u);
		break;
	case 127:
		select_page(m, value); /* BankSelect (126) is only stored: it acts from here */
		break;
	default:
		break;
	}
}

static void lower_write_done(struct lb_emu_module *m, void *priv, const struct emu_io *io)
{
	(void)priv;
	(void)io;
	if (m->reset_requested) {
		m->reset_requested = false;
		emu_module_begin_reset(m);
	}
}

static uint8_t lower_flag_level(const struct lb_emu_module *m, unsigned bank, uint8_t addr)
{
	(void)bank;
	return addr == 9 ? emu_module_flag_level(m) : 0;
}

static bool lower_flags_set(const struct lb_emu_module *m, unsigned bank, bool unmasked)
{
	(void)bank;
	const uint8_t *lo = m->mem.lower;
	return emu_any_unmasked(&lo[8], unmasked ? &lo[31] : NULL, 4);
}

const struct emu_page_handler emu_page_lower = {
	.name = "lower",
	.first_page = EMU_LOWER,
	.last_page = EMU_LOWER,
	.access = EMU_RO,
	EMU_RANGES(ranges),
	.write = lower_write,
	.write_done = lower_write_done,
	.flag_level = lower_flag_level,
	.flags_set = lower_flags_set,
};
