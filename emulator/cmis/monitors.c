/* SPDX-License-Identifier: MIT */
/*
 * Monitors and flags: monitor values are encoded into lower memory / page 11h, set by the
 * caller or sampled from a telemetry source; the page 02h thresholds decide the latched
 * alarm/warning flags; IntL and the lane summaries.
 */
#include <math.h>
#include <string.h>
#include "emulator/cmis/emu_page.h"

#define P(b) ((b) - 128)

static unsigned be16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

/* Threshold i (0 high alarm, 1 low alarm, 2 high warning, 3 low warning) of the group at thr. */
static int threshold(const uint8_t *thr, unsigned i, bool is_signed)
{
	unsigned u = be16(&thr[2 * i]);
	return is_signed ? (int)(int16_t)u : (int)u;
}

/* Flag bits (HA=1, LA=2, HW=4, LW=8) for a raw value against a 4-threshold group at thr. */
static uint8_t level4(int value, const uint8_t *thr, bool is_signed)
{
	uint8_t f = 0;
	if (value > threshold(thr, 0, is_signed))
		f |= 1;
	if (value < threshold(thr, 1, is_signed))
		f |= 2;
	if (value > threshold(thr, 2, is_signed))
		f |= 4;
	if (value < threshold(thr, 3, is_signed))
		f |= 8;
	return f;
}

/* Lane flag byte b (139-146, 149-152) of page 11h: bit l = the condition holds on lane l+1. */
uint8_t emu_lane_flag_level(const struct lb_emu_module *m, unsigned bank, uint8_t b)
{
	const uint8_t *p01 = emu_mem_page(&m->mem, 0, 0x01);
	const uint8_t *p02 = emu_mem_page(&m->mem, 0, 0x02);
	const uint8_t *p11 = emu_mem_page(&m->mem, bank, 0x11);
	if (!p01 || !p02 || !p11)
		return 0;
	unsigned mon, thr, which, sup;
	if (b >= 139 && b <= 142) {
		mon = 154, thr = 176, which = b - 139u, sup = 0x02; /* Tx power */
	} else if (b >= 143 && b <= 146) {
		mon = 170, thr = 184, which = b - 143u, sup = 0x01; /* Tx bias */
	} else if (b >= 149 && b <= 152) {
		mon = 186, thr = 192, which = b - 149u, sup = 0x04; /* Rx power */
	} else {
		return 0;
	}
	if (!(p01[P(160)] & sup))
		return 0;
	const uint8_t *p00 = emu_mem_page(&m->mem, 0, 0x00);
	uint8_t unsupported = p00 ? p00[P(210)] : 0; /* media lanes the module lacks raise no flag */
	uint8_t out = 0;
	for (unsigned l = 0; l < 8; l++) {
		if (((unsigned)unsupported >> l) & 1u)
			continue;
		int v = (int)be16(&p11[P(mon + 2 * l)]);
		if (((unsigned)level4(v, &p02[P(thr)], false) >> which) & 1u)
			out |= (uint8_t)(1u << l);
	}
	return out;
}

uint8_t emu_module_flag_level(const struct lb_emu_module *m)
{
	const uint8_t *p01 = emu_mem_page(&m->mem, 0, 0x01);
	const uint8_t *p02 = emu_mem_page(&m->mem, 0, 0x02);
	if (!p01 || !p02 || m->flat)
		return 0;
	uint8_t f = 0;
	if (p01[P(159)] & 0x01)
		f |= level4((int16_t)be16(&m->mem.lower[14]), &p02[P(128)], true);
	if (p01[P(159)] & 0x02)
		f |= (uint8_t)(level4((int)be16(&m->mem.lower[16]), &p02[P(136)], false) << 4);
	return f;
}

void emu_flags_latch_levels(struct lb_emu_module *m)
{
	m->mem.lower[9] |= emu_module_flag_level(m);
	for (unsigned b = 0; b < m->mem.nbanks; b++) {
		uint8_t *p11 = emu_mem_page(&m->mem, b, 0x11);
		if (!p11 || m->flat)
			continue;
		for (uint8_t o = 139; o <= 152; o++)
			p11[P(o)] |= emu_lane_flag_level(m, b, o);
	}
}

bool emu_intl(const struct lb_emu_module *m)
{
	if (!m->present || m->resetl || m->resetting)
		return false;
	return emu_pages_intl(m); /* every page's unmasked flags, the lower half's first */
}

void emu_flags_refresh(struct lb_emu_module *m)
{
	uint8_t *lo = m->mem.lower;
	if (emu_intl(m))
		lo[3] &= (uint8_t)~0x01u;
	else
		lo[3] |= 0x01; /* InterruptDeasserted */
	emu_pins_changed(m);
	if (m->flat)
		return;
	for (unsigned b = 0; b < m->mem.nbanks && b < 4; b++)
		lo[4 + b] = (uint8_t)((lo[4 + b] & 0xF0u) | emu_pages_summary(m, b));
}

static int lb_emu_module_intl_unlocked(const struct lb_emu_module *m)
{
	return m && emu_intl(m) ? 1 : 0;
}

LB_API int lb_emu_module_intl(const struct lb_emu_module *m)
{
	if (!m)
		return lb_emu_module_intl_unlocked(m);
	emu_module_lock((struct lb_emu_module *)m);
	int rc = lb_emu_module_intl_unlocked(m);
	emu_module_unlock((struct lb_emu_module *)m);
	return rc;
}

static uint16_t clamp_u16(double v)
{
	if (!(v > 0)) /* also NaN */
		return 0;
	if (v >= 65535.0)
		return 65535;
	return (uint16_t)lround(v);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)(v & 0xFFu);
}

/* Put a monitor value into its register (flags are the caller's). */
static int monitor_store(struct lb_emu_module *m, enum lb_emu_monitor which, unsigned lane,
			 double value)
{
	if (isnan(value))
		return LB_E_INVAL;
	uint8_t *lo = m->mem.lower;
	switch (which) {
	case LB_EMU_MON_TEMPERATURE_C: {
		if (lane != 0)
			return LB_E_INVAL;
		double raw = value * 256.0;
		int16_t v = raw >= 32767.0 ? INT16_MAX : raw <= -32768.0 ? INT16_MIN
									 : (int16_t)lround(raw);
		put16(&lo[14], (uint16_t)v);
		break;
	}
	case LB_EMU_MON_VCC_V:
		if (lane != 0)
			return LB_E_INVAL;
		put16(&lo[16], clamp_u16(value * 10000.0));
		break;
	case LB_EMU_MON_TX_BIAS_MA:
	case LB_EMU_MON_TX_POWER_MW:
	case LB_EMU_MON_RX_POWER_MW: {
		if (lane < 1 || lane > EMU_MAX_LANES)
			return LB_E_INVAL;
		if (lane > m->nlanes || m->flat)
			return LB_E_RANGE;
		uint8_t *p11 = emu_mem_page(&m->mem, (lane - 1) / 8, 0x11);
		if (!p11)
			return LB_E_NOTFOUND;
		unsigned l = (lane - 1) % 8;
		if (which == LB_EMU_MON_TX_BIAS_MA) {
			const uint8_t *p01 = emu_mem_page(&m->mem, 0, 0x01);
			unsigned mult = 1u << ((p01 ? p01[P(160)] >> 3 : 0u) & 3u);
			put16(&p11[P(170 + 2 * l)], clamp_u16(value / (0.002 * mult)));
		} else {
			unsigned at = which == LB_EMU_MON_TX_POWER_MW ? 154 : 186;
			put16(&p11[P(at + 2 * l)], clamp_u16(value * 10000.0));
		}
		break;
	}
	default:
		return LB_E_INVAL;
	}
	return LB_OK;
}

static int lb_emu_module_set_monitor_unlocked(struct lb_emu_module *m, enum lb_emu_monitor which,
				     unsigned lane, double value)
{
	if (!m || isnan(value))
		return LB_E_INVAL;
	emu_module_sync(m);
	int rc = monitor_store(m, which, lane, value);
	if (rc)
		return rc;
	emu_flags_latch_levels(m);
	emu_flags_refresh(m);
	return LB_OK;
}

LB_API int lb_emu_module_set_monitor(struct lb_emu_module *m, enum lb_emu_monitor which,
				     unsigned lane, double value)
{
	if (!m)
		return lb_emu_module_set_monitor_unlocked(m, which, lane, value);
	emu_module_lock(m);
	int rc = lb_emu_module_set_monitor_unlocked(m, which, lane, value);
	emu_module_unlock(m);
	return rc;
}

/* ---- telemetry source ---- */

_Static_assert(EMU_MAX_LANES == LB_EMU_MAX_LANES, "the telemetry lane arrays hold every lane");

static bool measuring(const struct lb_emu_module *m)
{
	return m->present && !m->resetl && !m->resetting;
}

/* What the module reports now, in the units of lb_emu_module_set_monitor. */
static void telemetry_read(const struct lb_emu_module *m, struct lb_emu_telemetry *tm)
{
	memset(tm, 0, sizeof(*tm));
	tm->size = sizeof(*tm);
	const uint8_t *lo = m->mem.lower;
	tm->temperature_c = (int16_t)be16(&lo[14]) / 256.0;
	tm->vcc_v = be16(&lo[16]) / 10000.0;
	/* Coherent measurements: what the module holds, NAN where nothing was modelled. */
	emu_coherent_report(m, tm);
	if (m->flat)
		return;
	tm->lanes = m->nlanes;
	const uint8_t *p01 = emu_mem_page(&m->mem, 0, 0x01);
	unsigned mult = 1u << ((p01 ? p01[P(160)] >> 3 : 0u) & 3u);
	for (unsigned l = 0; l < m->nlanes && l < LB_EMU_MAX_LANES; l++) {
		const uint8_t *p11 = emu_mem_page(&m->mem, l / 8, 0x11);
		if (!p11)
			continue;
		unsigned k = l % 8;
		tm->tx_bias_ma[l] = be16(&p11[P(170 + 2 * k)]) * 0.002 * mult;
		tm->tx_power_mw[l] = be16(&p11[P(154 + 2 * k)]) / 10000.0;
		tm->rx_power_mw[l] = be16(&p11[P(186 + 2 * k)]) / 10000.0;
	}
}

static bool differs(double a, double b)
{
	return memcmp(&a, &b, sizeof(a)) != 0;
}

uint64_t emu_telemetry_next_deadline(const struct lb_emu_module *m)
{
	if (!m->telem.sample || !m->telem.interval_ns || !m->telem_sampled || !measuring(m))
		return UINT64_MAX; /* the first sample comes when the module next runs */
	uint64_t t = m->telem_t + m->telem.interval_ns;
	return t < m->telem_t ? UINT64_MAX : t;
}

void emu_telemetry_sample(struct lb_emu_module *m)
{
	if (!m->telem.sample || !measuring(m))
		return;
	struct lb_emu_telemetry now, was;
	telemetry_read(m, &now);
	was = now;
	m->telem_t = m->t;
	m->telem_sampled = true;
	if (m->telem.sample(m->telem_user, m->t, &now) != LB_OK)
		return;
	bool changed = false;
	if (differs(now.temperature_c, was.temperature_c))
		changed |= monitor_store(m, LB_EMU_MON_TEMPERATURE_C, 0, now.temperature_c) == LB_OK;
	if (differs(now.vcc_v, was.vcc_v))
		changed |= monitor_store(m, LB_EMU_MON_VCC_V, 0, now.vcc_v) == LB_OK;
	for (unsigned l = 0; l < was.lanes; l++) {
		if (differs(now.tx_bias_ma[l], was.tx_bias_ma[l]))
			changed |= monitor_store(m, LB_EMU_MON_TX_BIAS_MA, l + 1, now.tx_bias_ma[l]) == LB_OK;
		if (differs(now.tx_power_mw[l], was.tx_power_mw[l]))
			changed |= monitor_store(m, LB_EMU_MON_TX_POWER_MW, l + 1, now.tx_power_mw[l]) ==
				   LB_OK;
		if (differs(now.rx_power_mw[l], was.rx_power_mw[l]))
			changed |= monitor_store(m, LB_EMU_MON_RX_POWER_MW, l + 1, now.rx_power_mw[l]) ==
				   LB_OK;
	}
	if (changed) {
		emu_flags_latch_levels(m);
		emu_flags_refresh(m);
	}
	/* The coherent measures (V2): kept where the source gave a value (coherent_state.c). */
	emu_coherent_store(m, &now);
}

void emu_telemetry_release(struct lb_emu_module *m)
{
	void (*release)(void *) = m->telem.sample ? m->telem.release : NULL;
	void *user = m->telem_user;
	memset(&m->telem, 0, sizeof(m->telem));
	m->telem_user = NULL;
	m->telem_sampled = false;
	if (release)
		release(user);
}

static int lb_emu_module_set_telemetry_source_unlocked(struct lb_emu_module *m,
						       const struct lb_emu_telemetry_ops *ops,
						       void *user)
{
	if (!m || (ops && (ops->size < LB_EMU_TELEMETRY_OPS_SIZE_V1 || !ops->sample)))
		return LB_E_INVAL;
	emu_module_sync(m); /* the old source's samples up to now */
	emu_telemetry_release(m);
	if (!ops)
		return LB_OK; /* the monitors keep their last values */
	/* The caller's table, zero-extended: ops appended later read NULL for an older caller. */
	memcpy(&m->telem, ops, ops->size < sizeof(m->telem) ? ops->size : sizeof(m->telem));
	m->telem.size = sizeof(m->telem);
	m->telem_user = user;
	emu_telemetry_sample(m);
	return LB_OK;
}

LB_API int lb_emu_module_set_telemetry_source(struct lb_emu_module *m,
					      const struct lb_emu_telemetry_ops *ops, void *user)
{
	if (!m)
		return lb_emu_module_set_telemetry_source_unlocked(m, ops, user);
	emu_module_lock(m);
	int rc = lb_emu_module_set_telemetry_source_unlocked(m, ops, user);
	emu_module_unlock(m);
	return rc;
}
