/* SPDX-License-Identifier: MIT */
/*
 * Versatile Diagnostics Monitoring: the samples (24h-27h, filled from the module's coherent
 * measures, emu_coherent.h), flags (2Ch, clear-on-read: samples against their threshold sets),
 * their masks (2Dh) and the control page 2Fh, of which byte 144 (freeze and unfreeze
 * requests) is read-write. FreezeRequest (144.7) raised ends the statistics interval: the
 * reporting registers hold, statistics restart, FreezeDone (145.7) sets a few ms later;
 * ceased, the registers show what was collected since and UnfreezeDone (145.6) sets. The
 * descriptors and thresholds (20h-23h, 28h-2Bh) are read-only memory.
 */
#include "emulator/cmis/emu_page.h"

#define P(b) EMU_P(b)
#define FREEZE_REQUEST 0x80u
#define FREEZE_DONE 0x80u
#define UNFREEZE_DONE 0x40u

/* Samples: brought up to the module's time before the host reads them. */
static void vdm_samples_before_read(struct lb_emu_module *m, void *priv, const struct emu_io *io,
				    uint8_t addr, size_t n)
{
	(void)priv, (void)io, (void)addr, (void)n;
	emu_coherent_update(m);
}

const struct emu_page_handler emu_page_vdm_samples = {
	.name = "vdm-samples",
	.first_page = 0x24,
	.last_page = 0x27,
	.access = EMU_RO,
	.before_read = vdm_samples_before_read,
};

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
	.flag_level = emu_vdm_flag_level,
	.flags_set = vdm_flags_set,
	.summary = 0x08,
};

const struct emu_page_handler emu_page_vdm_masks = {
	.name = "vdm-masks", .first_page = 0x2D, .last_page = 0x2D, .access = EMU_RW,
};

static const struct emu_range vdm_control_ranges[] = {
	{ 144, 144, EMU_RW }, /* FreezeRequest, UnfreezeRequest */
};

/* Every bank's 2Fh:145 (one freeze acts on all banks together). */
static void done_bits(struct lb_emu_module *m, uint8_t clear, uint8_t set)
{
	for (unsigned b = 0; b < m->mem.nbanks; b++) {
		uint8_t *p2f = emu_mem_page(&m->mem, b, 0x2F);
		if (p2f)
			p2f[P(145)] = (uint8_t)((p2f[P(145)] & ~clear) | set);
	}
}

static void vdm_control_write(struct lb_emu_module *m, void *priv, const struct emu_io *io,
			      uint8_t addr, uint8_t value)
{
	(void)priv;
	if (addr != 144)
		return;
	bool freeze = (value & FREEZE_REQUEST) != 0;
	if (freeze == m->coh.frozen) {
		/*
		 * Only the bit's change acts. A request the module already serves (the bit written
		 * again, or a module restored from a saved state whose 2Fh:144 says frozen) gets
		 * its done bit, so a host waiting for it is not left waiting.
		 */
		const uint8_t *p2f = emu_mem_page(&m->mem, io->bank, 0x2F);
		uint8_t done = freeze ? FREEZE_DONE : UNFREEZE_DONE;
		struct emu_coherent *c = emu_coherent_of(m);
		uint64_t *at = freeze ? &c->freeze_done_at : &c->unfreeze_done_at;
		if (p2f && !(p2f[P(145)] & done) && !*at)
			*at = m->t + 1;
		return;
	}
	/* The write that raises (ceases) the request clears FreezeDone (UnfreezeDone). */
	done_bits(m, freeze ? FREEZE_DONE : UNFREEZE_DONE, 0);
	emu_coherent_freeze(m, freeze);
	/* keep every bank's request bit alike */
	for (unsigned b = 0; b < m->mem.nbanks; b++) {
		uint8_t *p2f = emu_mem_page(&m->mem, b, 0x2F);
		if (p2f)
			p2f[P(144)] = (uint8_t)((p2f[P(144)] & ~FREEZE_REQUEST) | (value & FREEZE_REQUEST));
	}
}

static uint64_t vdm_control_next_deadline(const struct lb_emu_module *m, const void *priv)
{
	(void)priv;
	uint64_t a = m->coh.freeze_done_at ? m->coh.freeze_done_at : UINT64_MAX;
	uint64_t b = m->coh.unfreeze_done_at ? m->coh.unfreeze_done_at : UINT64_MAX;
	return a < b ? a : b;
}

static void vdm_control_run(struct lb_emu_module *m, void *priv)
{
	(void)priv;
	struct emu_coherent *c = emu_coherent_of(m);
	if (c->freeze_done_at && c->freeze_done_at <= m->t) {
		c->freeze_done_at = 0;
		if (c->frozen)
			done_bits(m, 0, FREEZE_DONE);
	}
	if (c->unfreeze_done_at && c->unfreeze_done_at <= m->t) {
		c->unfreeze_done_at = 0;
		if (!c->frozen)
			done_bits(m, 0, UNFREEZE_DONE);
	}
}

static void vdm_control_power_on(struct lb_emu_module *m, void *priv)
{
	(void)priv;
	emu_coherent_power_on(m); /* both done bits read 0 until a request is served */
}

const struct emu_page_handler emu_page_vdm_control = {
	.name = "vdm-control",
	.first_page = 0x2F,
	.last_page = 0x2F,
	.access = EMU_RO,
	EMU_RANGES(vdm_control_ranges),
	.write = vdm_control_write,
	.next_deadline = vdm_control_next_deadline,
	.run = vdm_control_run,
	.power_on = vdm_control_power_on,
};
