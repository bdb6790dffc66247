/* SPDX-License-Identifier: MIT */
/*
 * Data-path state machines (CMIS 5.4 6.3.3, one per data path, with the OR rule over the
 * DP's lanes). The control sets (ApplyDPInit) are page 10h's handler, page_10h.c.
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

/* AppSel k is valid when it is in the list (ended by the first unused entry, host ID FFh or 00h). */
bool emu_app_get(const struct lb_emu_module *m, unsigned k, struct emu_app *out)
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
	if (!emu_app_get(m, cfg >> 4, &app) || !app.host_lanes || !app.media_lanes)
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

uint8_t emu_dp_deinit_bits(const struct lb_emu_module *m, const uint8_t *p10)
{
	/*
	 * CMIS 3.x: 10h:128 is DataPathPwrUp (1 = power the data path up), the inverse of 4.0's
	 * DPDeinit (the host's rule table: hal/cmis/revision.c; revision 00h counts as 5.0).
	 */
	uint8_t rev = m->mem.lower[1];
	return rev && rev < 0x40 ? (uint8_t)~p10[P(128)] : p10[P(128)];
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
	bool deinit_s = m->msm != EMU_MS_READY || emu_low_pwr_s(m) || (emu_dp_deinit_bits(m, p10) & dp->mask);
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

static bool reserved(uint8_t st)
{
	return st < EMU_DP_DEACTIVATED || st > EMU_DP_INITIALIZED;
}

/*
 * A restored state, an image or a poke may hold a reserved code on a lane: dp_step reads and
 * writes a data path through its first lane, so it settles a reserved code there only (and
 * not in ModuleFault, where it does not run), and nothing steps a lane of no data path. Such
 * a lane would report the code for good. Here a lane of a data path takes its data path's
 * state, and any other lane (or a data path whose own state is reserved) DPDeactivated, as
 * dp_step takes a reserved code; no flag is raised (nothing happened on the lane).
 */
void emu_dp_settle_reserved(struct lb_emu_module *m)
{
	/*
	 * A module replayed from an image keeps the codes its field module reported (the host
	 * reports them as they are, lb_module_get_lane_status); a profile's module never made
	 * one, so there it can only come from a poke or a state and is settled.
	 */
	if (m->flat || m->source == EMU_FROM_IMAGE)
		return;
	bool any = false;
	for (unsigned b = 0; b < m->mem.nbanks && !any; b++) {
		const uint8_t *p11 = emu_mem_page(&m->mem, b, 0x11);
		for (unsigned l = 0; p11 && l < 8 && !any; l++)
			any = reserved(emu_nibble_get(&p11[P(128)], l));
	}
	if (!any)
		return;
	struct emu_dp dps[EMU_MAX_LANES];
	unsigned n = find_dps(m, dps);
	for (unsigned b = 0; b < m->mem.nbanks; b++) {
		uint8_t *p11 = emu_mem_page(&m->mem, b, 0x11);
		if (!p11)
			continue;
		for (unsigned l = 0; l < 8; l++) {
			if (!reserved(emu_nibble_get(&p11[P(128)], l)))
				continue;
			uint8_t st = EMU_DP_DEACTIVATED;
			for (unsigned i = 0; i < n; i++)
				if (dps[i].bank == b && (((unsigned)dps[i].mask >> l) & 1u) &&
				    !reserved(dp_state(m, &dps[i])))
					st = dp_state(m, &dps[i]);
			emu_nibble_set(&p11[P(128)], l, st);
		}
	}
}

static bool transient(uint8_t st)
{
	return st == EMU_DP_INIT || st == EMU_DP_DEINIT || st == EMU_DP_TXTURNON ||
	       st == EMU_DP_TXTURNOFF;
}

bool emu_dp_fire(struct lb_emu_module *m)
{
	bool changed = false;
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
