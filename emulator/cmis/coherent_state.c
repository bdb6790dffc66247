/* SPDX-License-Identifier: MIT */
/*
 * The coherent measures of a module (emu_coherent.h): what its telemetry source gives is
 * kept per media lane, with the statistics of the current interval, and the FEC counters
 * accumulate over virtual time from the pre-FEC BER (corrected bits) and post-FEC BER
 * (uncorrectable frames) at the line rate of the running application. The interval ends when
 * the host raises FreezeRequest (2Fh:144.7).
 */
#include <math.h>
#include <string.h>
#include "emulator/cmis/emu_page.h"

#define P(b) EMU_P(b)
#define NS_PER_S 1e9
/* How long a freeze or unfreeze takes before its done bit sets (tVDMF <= 10 ms). */
#define EMU_VDM_FREEZE_NS 5000000ull

struct emu_coherent *emu_coherent_of(struct lb_emu_module *m)
{
	return &m->coh;
}

/* The telemetry V2 arrays, in enum emu_coh_measure order. */
static double *measure_array(struct lb_emu_telemetry *tm, unsigned k)
{
	double *const a[EMU_COH_N] = {
		tm->osnr_db, tm->esnr_db, tm->pre_fec_ber, tm->post_fec_ber, tm->cd_ps_nm,
		tm->dgd_ps, tm->sopmd_ps2, tm->pdl_db, tm->cfo_mhz, tm->evm_pct,
		tm->rx_total_power_dbm, tm->rx_signal_power_dbm, tm->laser_freq_error_mhz,
	};
	return a[k];
}

/* Media lanes: the most any application uses (at most LB_EMU_MAX_MEDIA_LANES). */
static unsigned media_lanes(const struct lb_emu_module *m)
{
	unsigned n = 0;
	struct emu_app app;
	for (unsigned k = 1; k <= 15 && emu_app_get(m, k, &app); k++)
		if (app.media_lanes > n)
			n = app.media_lanes;
	return n > LB_EMU_MAX_MEDIA_LANES ? LB_EMU_MAX_MEDIA_LANES : n;
}

void emu_coherent_report(const struct lb_emu_module *m, struct lb_emu_telemetry *tm)
{
	const struct emu_coherent *c = &m->coh;
	tm->media_lanes = m->flat ? 0 : media_lanes(m);
	for (unsigned l = 0; l < LB_EMU_MAX_MEDIA_LANES; l++) {
		const struct emu_coh_lane *ln = &c->lane[l];
		tm->media_los[l] = ln->los;
		tm->media_lol[l] = ln->lol;
		for (unsigned k = 0; k < EMU_COH_N; k++)
			measure_array(tm, k)[l] = ln->have[k] ? ln->cur[k] : NAN;
	}
	tm->laser_temperature_c = NAN;
}

/* Line rate of a coherent media interface (SFF-8024), in bit/s; 0 for any other. */
static double media_rate_bps(uint8_t id)
{
	switch (id) {
	case 0x66: case 0x67: case 0x68: case 0x69: case 0x6C: case 0x6D: case 0x6E:
		return 800e9;
	case 0x6A: case 0x6B:
		return 600e9;
	case 0x35: case 0x36: case 0x37: case 0x3E: case 0x3F: case 0x46: case 0x4D: case 0x58:
	case 0x5F: case 0x62: case 0x64: case 0x65:
		return 400e9;
	case 0x47: case 0x59: case 0x5A: case 0x60:
		return 300e9;
	case 0x48: case 0x5B: case 0x5C: case 0x61:
		return 200e9;
	case 0x44: case 0x49: case 0x5D: case 0x5E: case 0x63:
		return 100e9;
	default:
		return 0;
	}
}

double emu_coherent_line_rate(const struct lb_emu_module *m, unsigned l)
{
	/* The data path on host lane 1 of the bank carries the media lanes of its application. */
	unsigned bank = l / 8;
	const uint8_t *p11 = emu_mem_page(&m->mem, bank, 0x11);
	if (!p11 || m->flat || emu_dp_lane_state(m, 8 * bank) != EMU_DP_ACTIVATED)
		return 0;
	struct emu_app app;
	if (!emu_app_get(m, p11[P(206)] >> 4, &app) || !app.media_lanes || l % 8 >= app.media_lanes)
		return 0;
	return media_rate_bps(app.media_id) / app.media_lanes;
}

double emu_coherent_sub_interval_s(const struct lb_emu_module *m)
{
	const uint8_t *p2f = emu_mem_page(&m->mem, 0, 0x2F);
	unsigned raw = p2f ? (unsigned)p2f[P(129)] << 8 | p2f[P(130)] : 0;
	return raw ? raw * 1e-4 : 1.0;
}

/* Add d (>= 0) to a counter, whole units only, the fraction carried. */
static void count(uint64_t *ctr, double *carry, double d)
{
	if (!(d > 0))
		return;
	double t = *carry + d;
	double whole = floor(t);
	*carry = t - whole;
	/* wraps modulo 2^64 as the register does; a step beyond 2^63 is not a real case */
	*ctr += whole < 9.2e18 ? (uint64_t)whole : UINT64_C(9200000000000000000);
}

/* Counters of lane l over dt_ns at the measures in force. */
static void accumulate_lane(struct lb_emu_module *m, unsigned l, uint64_t dt_ns)
{
	struct emu_coh_lane *ln = &m->coh.lane[l];
	if (!ln->have[EMU_COH_PRE_FEC_BER] || ln->los || ln->lol)
		return; /* no BER modelled, or nothing received */
	double rate = emu_coherent_line_rate(m, l);
	if (!(rate > 0))
		return;
	double bits = rate * (double)dt_ns / NS_PER_S;
	double frames = bits / EMU_COH_FRAME_BITS;
	double post = ln->have[EMU_COH_POST_FEC_BER] ? ln->cur[EMU_COH_POST_FEC_BER] : 0;
	count(&ln->bits, &ln->carry_bits, bits);
	count(&ln->corrected, &ln->carry_corrected, bits * ln->cur[EMU_COH_PRE_FEC_BER]);
	count(&ln->frames, &ln->carry_frames, frames);
	count(&ln->uncorrectable, &ln->carry_unc, frames * post);
}

static void accumulate(struct lb_emu_module *m)
{
	struct emu_coherent *c = &m->coh;
	if (m->t <= c->acc_t) {
		c->acc_t = m->t;
		return;
	}
	if (c->modelled && !m->resetting)
		for (unsigned l = 0; l < LB_EMU_MAX_MEDIA_LANES; l++)
			accumulate_lane(m, l, m->t - c->acc_t);
	c->acc_t = m->t;
}

static void stat_add(struct emu_coh_stat *s, double v)
{
	if (!s->n || v < s->min)
		s->min = v;
	if (!s->n || v > s->max)
		s->max = v;
	s->sum += v;
	s->n++;
}

/* One sample of every modelled measure into the interval's statistics. */
static void sample_stats(struct lb_emu_module *m)
{
	double sub = emu_coherent_sub_interval_s(m);
	for (unsigned l = 0; l < LB_EMU_MAX_MEDIA_LANES; l++) {
		struct emu_coh_lane *ln = &m->coh.lane[l];
		for (unsigned k = 0; k < EMU_COH_N; k++)
			if (ln->have[k])
				stat_add(&ln->st[k], ln->cur[k]);
		double rate = emu_coherent_line_rate(m, l);
		if (!ln->have[EMU_COH_PRE_FEC_BER] || !(rate > 0) || ln->los || ln->lol)
			continue;
		/* what a sub-interval at these error rates counts */
		double bits = rate * sub;
		double corr = bits * ln->cur[EMU_COH_PRE_FEC_BER];
		double unc = bits / EMU_COH_FRAME_BITS *
			     (ln->have[EMU_COH_POST_FEC_BER] ? ln->cur[EMU_COH_POST_FEC_BER] : 0);
		uint64_t c64 = (uint64_t)llround(corr < 9.2e18 ? corr : 9.2e18);
		uint32_t u32 = unc < 4294967295.0 ? (uint32_t)lround(unc) : UINT32_MAX;
		if (!ln->sub_seen || c64 < ln->corr_min)
			ln->corr_min = c64;
		if (!ln->sub_seen || c64 > ln->corr_max)
			ln->corr_max = c64;
		if (!ln->sub_seen || u32 < ln->unc_min)
			ln->unc_min = u32;
		if (!ln->sub_seen || u32 > ln->unc_max)
			ln->unc_max = u32;
		ln->sub_seen = true;
	}
}

/* A new interval: statistics restart from the values in force (no sample lost). */
static void restart_interval(struct lb_emu_module *m)
{
	for (unsigned l = 0; l < LB_EMU_MAX_MEDIA_LANES; l++) {
		struct emu_coh_lane *ln = &m->coh.lane[l];
		memset(ln->st, 0, sizeof(ln->st));
		ln->bits = ln->corrected = ln->frames = ln->uncorrectable = 0;
		ln->carry_bits = ln->carry_corrected = ln->carry_frames = ln->carry_unc = 0;
		ln->sub_seen = false;
		ln->corr_min = ln->corr_max = 0;
		ln->unc_min = ln->unc_max = 0;
	}
	sample_stats(m);
}

/*
 * FreezeRequest as 2Fh:144.7 holds it, when no request is under way: a module restored from
 * a saved state keeps its registers frozen or live as they were.
 */
static void sync_frozen(struct lb_emu_module *m)
{
	struct emu_coherent *c = &m->coh;
	const uint8_t *p2f = emu_mem_page(&m->mem, 0, 0x2F);
	if (p2f && !c->freeze_done_at && !c->unfreeze_done_at)
		c->frozen = (p2f[P(144)] & 0x80u) != 0;
}

void emu_coherent_update(struct lb_emu_module *m)
{
	sync_frozen(m);
	if (!m->coh.modelled)
		return;
	accumulate(m);
	if (!m->coh.frozen)
		emu_coherent_write_regs(m);
	if (emu_coherent_latch_flags(m))
		emu_flags_refresh(m);
}

void emu_coherent_store(struct lb_emu_module *m, const struct lb_emu_telemetry *tm)
{
	struct emu_coherent *c = &m->coh;
	if (tm->size < LB_EMU_TELEMETRY_SIZE_V2)
		return;
	if (!c->modelled)
		c->acc_t = m->t;
	accumulate(m); /* up to now at the measures that held until now */
	struct lb_emu_telemetry *t = (struct lb_emu_telemetry *)tm;
	bool any = false;
	for (unsigned l = 0; l < LB_EMU_MAX_MEDIA_LANES; l++) {
		struct emu_coh_lane *ln = &c->lane[l];
		ln->los = tm->media_los[l];
		ln->lol = tm->media_lol[l];
		for (unsigned k = 0; k < EMU_COH_N; k++) {
			double v = measure_array(t, k)[l];
			if (isnan(v))
				continue;
			ln->have[k] = true;
			ln->cur[k] = v;
			any = true;
		}
		any |= ln->los || ln->lol;
	}
	if (!c->modelled && !any)
		return; /* nothing coherent modelled: the registers keep what they hold */
	c->modelled = true;
	sample_stats(m);
	emu_coherent_update(m);
}

void emu_coherent_freeze(struct lb_emu_module *m, bool freeze)
{
	struct emu_coherent *c = &m->coh;
	if (freeze == c->frozen)
		return;
	if (c->modelled) {
		accumulate(m);
		if (freeze)
			emu_coherent_write_regs(m); /* the interval that ends, as reported */
	}
	c->frozen = freeze;
	if (freeze) {
		restart_interval(m); /* the next interval starts now */
		c->freeze_done_at = m->t + EMU_VDM_FREEZE_NS;
	} else {
		if (c->modelled)
			emu_coherent_write_regs(m); /* what was collected since the freeze */
		c->unfreeze_done_at = m->t + EMU_VDM_FREEZE_NS;
	}
}

void emu_coherent_power_on(struct lb_emu_module *m)
{
	struct emu_coherent *c = &m->coh;
	c->frozen = false;
	c->freeze_done_at = c->unfreeze_done_at = 0;
	c->acc_t = m->t;
	restart_interval(m);
}
