/* SPDX-License-Identifier: MIT */
/*
 * Page 10h, lane controls: the direct controls (DPDeinit, output disable and squelch, masks),
 * staged control set 0 and ApplyDPInit, which validates it and, after ConfigInProgress,
 * copies it into the active set of page 11h (a timer per lane on the module's clock).
 */
#include <string.h>
#include "emulator/cmis/emu_page.h"

#define P(b) EMU_P(b)

static const struct emu_range ranges[] = {
	{ 135, 136, EMU_WO }, /* EQ store */
	{ 143, 144, EMU_WO }, /* ApplyDPInit, ApplyImmediate (set 0) */
	{ 176, 179, EMU_WO }, /* set 1 Apply* and reserved */
	{ 211, 212, EMU_WO },
	{ 133, 133, EMU_RO }, /* reserved */
	{ 140, 142, EMU_RO },
	{ 174, 175, EMU_RO },
	{ 209, 210, EMU_RO },
	{ 233, 239, EMU_RO },
};

static void copy_lane_bits(uint8_t *dst, const uint8_t *src, unsigned bits, unsigned lane)
{
	unsigned per = 8 / bits, byte = lane / per, sh = (lane % per) * bits;
	unsigned mask = ((1u << bits) - 1u) << sh;
	dst[byte] = (uint8_t)((dst[byte] & ~mask) | (src[byte] & mask));
}

/* Commit one lane's staged settings into the active control set (11h:206-234 = 10h:145-173 + 61). */
static void commit_lane(struct lb_emu_module *m, unsigned bank, unsigned l)
{
	struct emu_lane *ln = &m->lane[bank * 8 + l];
	uint8_t *p11 = emu_mem_page(&m->mem, bank, 0x11);
	const uint8_t *s = ln->staged; /* s[i] = 10h:(145 + i) */
	ln->apply_pending = false;
	emu_nibble_set(&p11[P(202)], l, ln->apply_result);
	if (ln->apply_result != 0x1)
		return;
	p11[P(206) + l] = s[l];
	if (s[l] & 0x01) { /* ExplicitControl: the staged SI values become active */
		static const struct { uint8_t at, bits; } f[] = {
			{ 153, 1 }, { 154, 2 }, { 156, 4 }, { 160, 1 },
			{ 161, 1 }, { 162, 4 }, { 166, 4 }, { 170, 4 },
		};
		for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
			copy_lane_bits(&p11[P(f[i].at + 61)], &s[f[i].at - 145], f[i].bits, l);
	}
	if (s[l] >> 4)
		p11[P(235)] |= (uint8_t)(1u << l); /* DPInitPending */
}

/*
 * Validate the staged DPConfig of the lanes in mask. Checks, in order, for each data path the
 * staged set describes: AppSel in the list (else 0x3); the DP's lanes are exactly the
 * application's host lanes starting at DataPathID, on an allowed host and media start lane
 * (else 0x4); every lane of the DP is in the mask (else 0x7); every lane is DPDeactivated
 * (else 0x6). Lanes set to AppSel 0 are released (0x1) if DPDeactivated, else 0x6.
 */
static void validate(const struct lb_emu_module *m, unsigned bank, uint8_t mask,
		     const uint8_t *s, uint8_t result[8])
{
	for (unsigned l = 0; l < 8; l++) {
		if (!(((unsigned)mask >> l) & 1u))
			continue;
		uint8_t app_sel = (uint8_t)(s[l] >> 4);
		bool deact = emu_dp_lane_state(m, bank * 8 + l) == EMU_DP_DEACTIVATED;
		if (!app_sel) {
			result[l] = deact ? 0x1 : 0x6;
			continue;
		}
		uint8_t grp = 0;
		for (unsigned k = 0; k < 8; k++)
			if ((s[k] & 0xFE) == (s[l] & 0xFE))
				grp |= (uint8_t)(1u << k);
		struct emu_app app;
		uint8_t code = 0x1;
		unsigned dpid = (s[l] >> 1) & 7u;
		if (!emu_app_get(m, app_sel, &app)) {
			code = 0x3;
		} else {
			unsigned h = app.host_lanes;
			bool ok = h >= 1 && h <= 8 && dpid + h <= 8 && app.media_lanes >= 1 &&
				  app.media_lanes <= 8;
			if (ok) {
				uint8_t want = (uint8_t)(((1u << h) - 1u) << dpid);
				unsigned m0 = dpid * app.media_lanes / h;
				/* media lanes from m0 on: there must be such a lane, and it may start */
				ok = grp == want && (((unsigned)app.host_opts >> dpid) & 1u) && m0 < 8 &&
				     (((unsigned)app.media_opts >> m0) & 1u);
			}
			if (!ok)
				code = 0x4;
			else if ((grp & mask) != grp)
				code = 0x7;
			else
				for (unsigned k = 0; k < 8; k++)
					if ((((unsigned)grp >> k) & 1u) &&
					    emu_dp_lane_state(m, bank * 8 + k) != EMU_DP_DEACTIVATED)
						code = 0x6;
		}
		result[l] = code;
	}
}

static void apply(struct lb_emu_module *m, unsigned bank, uint8_t mask)
{
	uint8_t *p10 = emu_mem_page(&m->mem, bank, 0x10);
	uint8_t *p11 = emu_mem_page(&m->mem, bank, 0x11);
	if (!p10 || !p11 || bank >= m->mem.nbanks)
		return;
	for (unsigned l = 0; l < 8; l++)
		if (m->lane[bank * 8 + l].apply_pending)
			mask &= (uint8_t)~(1u << l); /* ConfigInProgress: new commands ignored */
	if (!mask)
		return;
	uint8_t result[8] = { 0 };
	validate(m, bank, mask, &p10[P(145)], result);
	for (unsigned l = 0; l < 8; l++) {
		if (!(((unsigned)mask >> l) & 1u))
			continue;
		struct emu_lane *ln = &m->lane[bank * 8 + l];
		ln->apply_pending = true;
		ln->apply_deadline = m->t + m->timing.apply_ns;
		ln->apply_result = result[l];
		memcpy(ln->staged, &p10[P(145)], sizeof(ln->staged));
		emu_nibble_set(&p11[P(202)], l, 0xC); /* ConfigInProgress */
	}
}

static void controls_write(struct lb_emu_module *m, void *priv, const struct emu_io *io,
			   uint8_t addr, uint8_t value)
{
	(void)priv;
	/*
	 * Apply* bytes act only on a single-byte WRITE (CMIS 5.0+ requires that); in a longer
	 * write they are ignored. Only staged set 0 is modelled: ApplyDPInit on 10h:143.
	 * ApplyImmediate (hot reconfiguration) is not supported and ignored.
	 */
	if (addr == 143 && io->single && value)
		apply(m, io->bank, value);
}

/* ConfigInProgress ends: the earliest pending apply. */
static uint64_t controls_next_deadline(const struct lb_emu_module *m, const void *priv)
{
	(void)priv;
	uint64_t next = UINT64_MAX;
	for (unsigned i = 0; i < m->nlanes; i++)
		if (m->lane[i].apply_pending && m->lane[i].apply_deadline < next)
			next = m->lane[i].apply_deadline;
	return next;
}

static void controls_run(struct lb_emu_module *m, void *priv)
{
	(void)priv;
	for (unsigned i = 0; i < m->nlanes; i++) {
		struct emu_lane *ln = &m->lane[i];
		if (ln->apply_pending && ln->apply_deadline <= m->t)
			commit_lane(m, i / 8, i % 8);
	}
}

const struct emu_page_handler emu_page_controls = {
	.name = "lane-controls",
	.first_page = 0x10,
	.last_page = 0x10,
	.access = EMU_RW,
	EMU_RANGES(ranges),
	.write = controls_write,
	.next_deadline = controls_next_deadline,
	.run = controls_run,
};
