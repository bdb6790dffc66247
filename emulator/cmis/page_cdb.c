/* SPDX-License-Identifier: MIT */
/*
 * CDB pages: the command and reply page 9Fh and the EPL pages A0h-AFh, read-write, with the
 * longer writes 01h:164 advertises. Command execution is not modelled yet.
 */
#include "emulator/cmis/emu_page.h"

#define P(b) EMU_P(b)

/* 9Fh: 8 * (1 + min(01h:164, 15)) bytes; A0h-AFh: 8 * (1 + 01h:164), at most a page. */
static unsigned cdb_max_write(const struct lb_emu_module *m, int page)
{
	const uint8_t *p01 = emu_mem_page(&m->mem, 0, 0x01);
	unsigned ext = p01 ? p01[P(164)] : 0;
	if (page == 0x9F)
		return 8u * (1u + (ext < 15 ? ext : 15u));
	unsigned n = 8u * (1u + ext);
	return n < 128 ? n : 128;
}

const struct emu_page_handler emu_page_cdb = {
	.name = "cdb",
	.first_page = 0x9F,
	.last_page = 0xAF,
	.access = EMU_RW,
	.max_write = cdb_max_write,
};
