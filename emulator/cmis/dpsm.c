/* SPDX-License-Identifier: MIT */
/*
 * Data-path state machines (CMIS 5.4 6.3.3, one per data path, with the OR rule over the
 * DP's lanes) and the staged-to-active control set copy on ApplyDPInit with validation.
 */
#include <string.h>
#include "emulator/cmis/emu_module.h"

#define P(b) ((b) - 128) /* upper byte address -> page array index */

uint8_t emu_nibble_get(const uint8_t *base, unsigned lane)
{
	return (uint8_t)(((unsigned)base[lane / 2] >> (4 * (lane % 2))) & 0xFu);
}

void emu_nibble_set(uint8_t *base, unsigned lane, uint8_t v)
{
	unsigned sh = 4 * (lane % 2);
	base[lane / 2] = (uint8_t)((base[lane / 2] & ~(0xFu << sh)) | ((v & 0xFu) << sh));
}

/* An application descriptor (AppSel 1-15). */
struct emu_app {
	uint8_t host_id, media_id, host_lanes, media_lanes, host_opts, media_opts;
};

/* AppSel k is valid when it is in the list (ended by the first unused entry, host ID FFh or 00h). */
static bool app_get(const struct lb_emu_module *m, unsigned k, struct emu_app *out)
{
	const uint8_t *p01 = emu_mem_page(&m->mem, 0, 0x01);
	if (k < 1 || k > 15 || (k > 8 && !p01))
		return false;
	for (unsigned i = 1; i <= k; i++) {
		const uint8_t *d = i <= 8 ? &m->mem.lower[86 + 4 * (i - 1)] : &p01[P(223 + 4 * (i - 9))];
		if (d[0] == 0xFF || d[0] == 0x00)
			return false;
		if (i == k) {
			out->host_id = d[0];
			out->media_id = d[1];
			out->host_lanes = (uint8_t)(d[2] >> 4);
			out->media_lanes = (uint8_t)(d[2] & 0xF);
			out->host_opts = d[3];
			out->media_opts = p01 ? p01[P(176 + k - 1)] : 0;
		}
	}
	return true;
}

/* A data path: the lanes of one bank whose active DPConfig has the same AppSel (> 0) and DPID. */
struct emu_dp {
	unsigned bank;
	uint8_t mask;       /* host lanes of the bank */
	unsigned first;     /* lowest lane (bank-relative) */
	uint8_t media_mask; /* media lanes of the bank */
};

static uint8_t media_mask_of(const struct lb_emu_module *m, uint8_t cfg, unsigned first,
			     uint8_t host_mask)
{
	struct emu_app app;
	if (!app_get(m, cfg >> 4, &app) || !app.host_lanes || !app.media_lanes)
		return host_mask;
	/* The k-th instance of an application uses the k-th group of media lanes. */
	unsigned m0 = first * app.media_lanes / app.host_lanes;
	if (m0 >= 8)
		return 0; /* an image's odd application: its media lanes are beyond the bank */
	unsigned bits = ((1u << app.media_lanes) - 1u) << m0;
	return (uint8_t)(bits & 0xFFu);
}

static unsigned find_dps(const struct lb_emu_module *m, struct emu_dp out[EMU_MAX_LANES])
{
	unsigned n = 0;
	if (m->flat)
		return 0;
	for (unsigned b = 0; b < m->mem.nbanks; b++) {
		const uint8_t *p11 = emu_mem_page(&m->mem, b, 0x11);
		if (!p11)
			continue;
		const uint8_t *acs = &p11[P(206)];
		uint8_t done = 0;
		for (unsigned l = 0; l < 8; l++) {
			if (((unsigned)done >> l) & 1u || !(acs[l] >> 4))
				continue;
			uint8_t key = acs[l] & 0xFE;
			uint8_t mask = 0;
			for (unsigned k = l; k < 8; k++)
				if ((acs[k] & 0xFE) == key)
					mask |= (uint8_t)(1u << k);
			done |= mask;
			out[n].bank = b;
			out[n].mask = mask;
			out[n].first = l;
			out[n].media_mask = media_mask_of(m, acs[l], l, mask);
			n++;
		}
	}
	return n;
}

uint8_t emu_dp_lane_state(const struct lb_emu_module *m, unsigned lane)
{
	const uint8_t *p11 = emu_mem_page(&m->mem, lane / 8, 0x11);
	return p11 ? emu_nibble_get(&p11[P(128)], lane % 8) : 0;
}

static uint8_t dp_state(const struct lb_emu_module *m, const struct emu_dp *dp)
{
	return emu_dp_lane_state(m, dp->bank * 8 + dp->first);
}

static void dp_set(struct lb_emu_module *m, const struct emu_dp *dp, uint8_t st, uint64_t dur)
{
	uint8_t *p11 = emu_mem_page(&m->mem, dp->bank, 0x11);
	for (unsigned l = 0; l < 8; l++) {
		if (!(((unsigned)dp->mask >> l) & 1u))
			continue;
		emu_nibble_set(&p11[P(128)], l, st);
		m->lane[dp->bank * 8 + l].deadline = m->t + dur;
	}
	p11[P(134)] |= dp->mask; /* DPStateChanged */
	if (st == EMU_DP_ACTIVATED) {
		p11[P(132)] |= dp->mask;       /* OutputStatusRx: valid */
		p11[P(133)] |= dp->media_mask; /* OutputStatusTx: valid */
	} else {
		p11[P(132)] &= (uint8_t)~dp->mask;
		p11[P(133)] &= (uint8_t)~dp->media_mask;
	}
	if (st == EMU_DP_INIT)
		p11[P(235)] &= (uint8_t)~dp->mask; /* DPInitPending cleared in DPInit */
}

static bool dp_step(struct lb_emu_module *m, const struct emu_dp *dp)
{
	const uint8_t *p10 = emu_mem_page(&m->mem, dp->bank, 0x10);
	const struct lb_emu_timing *t = &m->timing;
	/* The OR rule: any lane's DPDeinit / any media lane's disable or squelch acts for the DP. */
	bool deinit_s = m->msm != EMU_MS_READY || emu_low_pwr_s(m) || (p10[P(128)] & dp->mask);
	bool deact_s = ((p10[P(130)] | p10[P(132)]) & dp->media_mask) != 0;

	switch (dp_state(m, dp)) {
	case EMU_DP_DEACTIVATED:
		if (deinit_s)
			return false;
		dp_set(m, dp, EMU_DP_INIT, t->dp_init_ns);
		return true;
	case EMU_DP_INIT:
		if (!deinit_s)
			return false;
		dp_set(m, dp, EMU_DP_DEINIT, t->dp_deinit_ns);
		return true;
	case EMU_DP_INITIALIZED:
		if (deinit_s) {
			dp_set(m, dp, EMU_DP_DEINIT, t->dp_deinit_ns);
			return true;
		}
		if (!deact_s) {
			dp_set(m, dp, EMU_DP_TXTURNON, t->dp_tx_turn_on_ns);
			return true;
		}
		return false;
	case EMU_DP_TXTURNON:
	case EMU_DP_ACTIVATED:
		if (!deinit_s && !deact_s)
			return false;
		dp_set(m, dp, EMU_DP_TXTURNOFF, t->dp_tx_turn_off_ns);
		return true;
	case EMU_DP_TXTURNOFF:
	case EMU_DP_DEINIT:
		return false; /* transient: runs to its end */
	default:
		/* reserved code (e.g. from an image): take it as DPDeactivated */
		dp_set(m, dp, EMU_DP_DEACTIVATED, 0);
		return true;
	}
}

bool emu_dp_eval(struct lb_emu_module *m)
{
	struct emu_dp dps[EMU_MAX_LANES];
	unsigned n = find_dps(m, dps);
	bool changed = false;
	for (unsigned i = 0; i < n; i++)
		changed |= dp_step(m, &dps[i]);
	return changed;
}

static bool transient(uint8_t st)
{
	return st == EMU_DP_INIT || st == EMU_DP_DEINIT || st == EMU_DP_TXTURNON ||
	       st == EMU_DP_TXTURNOFF;
}

/* ---- control sets ---- */

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

bool emu_dp_fire(struct lb_emu_module *m)
{
	bool changed = false;
	for (unsigned i = 0; i < m->nlanes; i++) {
		struct emu_lane *ln = &m->lane[i];
		if (ln->apply_pending && ln->apply_deadline <= m->t) {
			commit_lane(m, i / 8, i % 8);
			changed = true;
		}
	}
	struct emu_dp dps[EMU_MAX_LANES];
	unsigned n = find_dps(m, dps);
	for (unsigned i = 0; i < n; i++) {
		uint8_t st = dp_state(m, &dps[i]);
		if (!transient(st) || m->lane[dps[i].bank * 8 + dps[i].first].deadline > m->t)
			continue;
		static const uint8_t next[8] = {
			[EMU_DP_INIT] = EMU_DP_INITIALIZED, [EMU_DP_TXTURNON] = EMU_DP_ACTIVATED,
			[EMU_DP_TXTURNOFF] = EMU_DP_INITIALIZED, [EMU_DP_DEINIT] = EMU_DP_DEACTIVATED,
		};
		dp_set(m, &dps[i], next[st], 0);
		changed = true;
	}
	return changed;
}

uint64_t emu_dp_next_deadline(const struct lb_emu_module *m)
{
	uint64_t next = UINT64_MAX;
	for (unsigned i = 0; i < m->nlanes; i++)
		if (m->lane[i].apply_pending && m->lane[i].apply_deadline < next)
			next = m->lane[i].apply_deadline;
	if (m->msm == EMU_MS_FAULT)
		return next;
	struct emu_dp dps[EMU_MAX_LANES];
	unsigned n = find_dps(m, dps);
	for (unsigned i = 0; i < n; i++) {
		uint64_t d = m->lane[dps[i].bank * 8 + dps[i].first].deadline;
		if (transient(dp_state(m, &dps[i])) && d < next)
			next = d;
	}
	return next;
}

bool emu_dp_all_deactivated(const struct lb_emu_module *m)
{
	struct emu_dp dps[EMU_MAX_LANES];
	unsigned n = find_dps(m, dps);
	for (unsigned i = 0; i < n; i++)
		if (dp_state(m, &dps[i]) != EMU_DP_DEACTIVATED)
			return false;
	return true;
}

void emu_dp_force_deactivated(struct lb_emu_module *m)
{
	struct emu_dp dps[EMU_MAX_LANES];
	unsigned n = find_dps(m, dps);
	for (unsigned i = 0; i < n; i++)
		if (dp_state(m, &dps[i]) != EMU_DP_DEACTIVATED)
			dp_set(m, &dps[i], EMU_DP_DEACTIVATED, 0);
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
		if (!app_get(m, app_sel, &app)) {
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

void emu_dp_apply(struct lb_emu_module *m, unsigned bank, uint8_t mask)
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

static int lb_emu_module_dp_state_unlocked(const struct lb_emu_module *m, unsigned lane)
{
	if (!m || lane < 1 || lane > EMU_MAX_LANES)
		return LB_E_INVAL;
	if (lane > m->nlanes || m->flat)
		return LB_E_RANGE;
	return emu_dp_lane_state(m, lane - 1);
}

LB_API int lb_emu_module_dp_state(const struct lb_emu_module *m, unsigned lane)
{
	if (!m)
		return lb_emu_module_dp_state_unlocked(m, lane);
	emu_module_lock((struct lb_emu_module *)m);
	int rc = lb_emu_module_dp_state_unlocked(m, lane);
	emu_module_unlock((struct lb_emu_module *)m);
	return rc;
}
