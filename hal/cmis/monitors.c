/* SPDX-License-Identifier: MIT */
/*
 * Monitors, latched flags and thresholds: lower memory 8-25, page 11h per bank, page 02h. The
 * flags reported are a consumer's view of the module's accumulator (flags.c).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <lightbridge/driver.h>
#include <lightbridge/module.h>
#include <lightbridge/sideband.h>
#include <lightbridge/status.h>
#include "hal/abi/sized.h"
#include "hal/cmis/decode.h"
#include "hal/cmis/flags.h"
#include "hal/cmis/module_internal.h"
#include "hal/cmis/regs.h"

#define P(abs) ((abs) - 128u)
#define P00_MEDIA_LANE_UNSUP 210u /* 00h:210, bit i: media lane i+1 not supported */

static unsigned be16(const uint8_t *b)
{
	return (unsigned)b[0] << 8 | b[1];
}

static int16_t be16s(const uint8_t *b)
{
	unsigned v = be16(b);

	return (int16_t)(v >= 0x8000u ? (int)v - 0x10000 : (int)v);
}

/* Four flag bytes (HA, LA, HW, LW), one bit per lane, into LB_FLAG_* for one lane. */
static uint8_t lane_flags(const uint8_t *p11, unsigned first, unsigned bit)
{
	uint8_t f = 0;

	for (unsigned k = 0; k < 4; k++)
		if (p11[P(first) + k] & (1u << bit))
			f = (uint8_t)(f | (1u << k));
	return f;
}

uint32_t lb_cmis_lane_bits(const uint8_t (*p11)[128], unsigned banks, unsigned offset)
{
	uint32_t bits = 0;

	if (banks > LB_MODULE_MAX_LANES / 8u)
		banks = LB_MODULE_MAX_LANES / 8u;
	for (unsigned b = 0; b < banks; b++)
		bits |= (uint32_t)p11[b][P(offset)] << (8u * b);
	return bits;
}

void lb_cmis_decode_monitors(const uint8_t lower[128], const uint8_t *p01,
			     const uint8_t (*p11)[128], unsigned banks, unsigned lanes,
			     struct lb_module_monitors *out)
{
	struct lb_cmis_mon_adv adv = { 0, 0, 0 };
	if (p01) {
		adv.module_monitors = p01[P(LB_CMIS_P01_MOD_MON)];
		adv.lane_monitors = p01[P(LB_CMIS_P01_LANE_MON)];
	}
	lb_cmis_decode_monitors_adv(lower, p01 ? &adv : NULL, p11, banks, lanes, out);
}

/* Lanes among the first `lanes` with a lane monitor the module has, bit i = lane i+1. */
static uint32_t monitored_lanes(uint8_t lane_sup, uint8_t lane_unsup, unsigned lanes)
{
	if (!(lane_sup & 0x07u) || !lanes)
		return 0;
	uint32_t all = lanes >= 32 ? 0xFFFFFFFFu : (1u << lanes) - 1u;
	/* 00h:210 names media lanes 1-8 only. */
	return all & ~(uint32_t)lane_unsup;
}

void lb_cmis_decode_monitors_adv(const uint8_t lower[128], const struct lb_cmis_mon_adv *adv,
				 const uint8_t (*p11)[128], unsigned banks, unsigned lanes,
				 struct lb_module_monitors *out)
{
	/* Flat memory has no advertisement: assume the two mandatory-in-practice monitors. */
	uint8_t mod_sup = adv ? adv->module_monitors : 0x03u;
	uint8_t lane_sup = adv ? adv->lane_monitors : 0;
	double bias_lsb_ma = 0.002 * lb_cmis_bias_multiplier_of(lane_sup);
	struct lb_module_flags f;

	memset(out, 0, sizeof(*out));
	out->temperature_c = NAN;
	out->vcc_v = NAN;

	if (!adv || !p11)
		lanes = 0;
	if (lanes > banks * 8u)
		lanes = banks * 8u;
	if (lanes > LB_MODULE_MAX_LANES)
		lanes = LB_MODULE_MAX_LANES;
	/* Every bank read, all eight bits each: Tx LOS/LOL count host lanes, which may outnumber
	 * the media lanes reported. */
	unsigned nb = (lanes + 7u) / 8u;
	memset(&f, 0, sizeof(f));
	lb_cmis_decode_module_flags(lower, nb ? p11 : NULL, nb, &f);
	out->module_flags = f.module_flags;
	out->module_state_changed = (f.module_flags & LB_MODFLAG_STATE_CHANGED) != 0;
	out->aux1_flags = f.aux1_flags;
	out->aux2_flags = f.aux2_flags;
	out->aux3_flags = f.aux3_flags;
	out->custom_flags = f.custom_flags;
	if (mod_sup & 0x01u) {
		out->temperature_c = be16s(&lower[LB_CMIS_LOW_TEMP]) / 256.0;
		out->temperature_flags = f.temperature_flags;
	}
	if (mod_sup & 0x02u) {
		out->vcc_v = be16(&lower[LB_CMIS_LOW_VCC]) * 0.0001;
		out->vcc_flags = f.vcc_flags;
	}

	out->lanes = lanes;
	out->monitored_lanes = monitored_lanes(lane_sup, adv ? adv->lane_unsup : 0, lanes);
	for (unsigned l = 0; l < lanes; l++) {
		const uint8_t *pg = p11[l / 8u];
		unsigned i = l % 8u;

		out->tx_power_mw[l] = NAN;
		out->tx_bias_ma[l] = NAN;
		out->rx_power_mw[l] = NAN;
		if (!(out->monitored_lanes & (1u << l)))
			continue;
		if (lane_sup & 0x02u) {
			out->tx_power_mw[l] = be16(&pg[P(LB_CMIS_P11_TX_POWER) + 2u * i]) * 0.0001;
			out->tx_power_flags[l] = lane_flags(pg, LB_CMIS_P11_TX_POWER_FLAGS, i);
		}
		if (lane_sup & 0x01u) {
			out->tx_bias_ma[l] = be16(&pg[P(LB_CMIS_P11_TX_BIAS) + 2u * i]) * bias_lsb_ma;
			out->tx_bias_flags[l] = lane_flags(pg, LB_CMIS_P11_TX_BIAS_FLAGS, i);
		}
		if (lane_sup & 0x04u) {
			out->rx_power_mw[l] = be16(&pg[P(LB_CMIS_P11_RX_POWER) + 2u * i]) * 0.0001;
			out->rx_power_flags[l] = lane_flags(pg, LB_CMIS_P11_RX_POWER_FLAGS, i);
		}
	}
	if (lanes > 0) {
		/* Media-lane flags of lanes the module says it does not have mean nothing. */
		uint32_t unsup = adv ? adv->lane_unsup : 0;
		out->tx_fault = f.tx_fault & ~unsup;
		out->rx_los = f.rx_los & ~unsup;
		out->rx_lol = f.rx_lol & ~unsup;
		out->tx_los = f.tx_los;
		out->tx_lol = f.tx_lol;
		out->dp_state_changed = f.dp_state_changed;
		out->tx_adapt_eq_fail = f.tx_adapt_eq_fail;
		out->rx_output_changed = f.rx_output_changed;
	}
}

void lb_cmis_decode_flags(const uint8_t lower[128], const uint8_t (*p11)[128], unsigned banks,
			  struct lb_sideband_event *out)
{
	struct lb_module_flags f;
	memset(&f, 0, sizeof(f));
	lb_cmis_decode_module_flags(lower, p11, banks, &f);
	memcpy(out->flag_summary, &lower[LB_CMIS_LOW_FLAG_SUMMARY], sizeof(out->flag_summary));
	out->module_flags = f.module_flags;
	out->temperature_flags = f.temperature_flags;
	out->vcc_flags = f.vcc_flags;
	out->aux1_flags = f.aux1_flags;
	out->aux2_flags = f.aux2_flags;
	out->aux3_flags = f.aux3_flags;
	out->custom_flags = f.custom_flags;
	out->lanes = f.lanes;
	out->dp_state_changed = f.dp_state_changed;
	out->tx_fault = f.tx_fault;
	out->tx_los = f.tx_los;
	out->tx_lol = f.tx_lol;
	out->tx_adapt_eq_fail = f.tx_adapt_eq_fail;
	memcpy(out->tx_power_flagged, f.tx_power_flagged, sizeof(f.tx_power_flagged));
	memcpy(out->tx_bias_flagged, f.tx_bias_flagged, sizeof(f.tx_bias_flagged));
	out->rx_los = f.rx_los;
	out->rx_lol = f.rx_lol;
	memcpy(out->rx_power_flagged, f.rx_power_flagged, sizeof(f.rx_power_flagged));
	out->rx_output_changed = f.rx_output_changed;
}

static void threshold_u16(const uint8_t *g, double lsb, struct lb_threshold *t)
{
	t->high_alarm = be16(&g[0]) * lsb;
	t->low_alarm = be16(&g[2]) * lsb;
	t->high_warn = be16(&g[4]) * lsb;
	t->low_warn = be16(&g[6]) * lsb;
}

void lb_cmis_decode_thresholds(const uint8_t p02[128], unsigned bias_multiplier,
			       struct lb_module_thresholds *out)
{
	const uint8_t *t = &p02[P(LB_CMIS_P02_TEMP)];

	out->temperature_c.high_alarm = be16s(&t[0]) / 256.0;
	out->temperature_c.low_alarm = be16s(&t[2]) / 256.0;
	out->temperature_c.high_warn = be16s(&t[4]) / 256.0;
	out->temperature_c.low_warn = be16s(&t[6]) / 256.0;
	threshold_u16(&p02[P(LB_CMIS_P02_VCC)], 0.0001, &out->vcc_v);
	threshold_u16(&p02[P(LB_CMIS_P02_TX_POWER)], 0.0001, &out->tx_power_mw);
	threshold_u16(&p02[P(LB_CMIS_P02_TX_BIAS)], 0.002 * bias_multiplier, &out->tx_bias_ma);
	threshold_u16(&p02[P(LB_CMIS_P02_RX_POWER)], 0.0001, &out->rx_power_mw);
}

LB_API double lb_mw_to_dbm(double mw)
{
	if (isnan(mw))
		return mw;
	/* 0.1 uW is the monitor's LSB, so nothing below -40 dBm can be told apart. */
	if (mw <= 0.0001)
		return -40.0;
	return 10.0 * log10(mw);
}

/*
 * The module's extension decodes the values it knows its own way (LB_FIELD_*), from the bytes
 * this poll read; the rest keep the CMIS decode. Monitors the module does not have stay NAN.
 */
static void ext_field(struct lb_module *m, const char *name, unsigned lane, const uint8_t *raw,
		      double *value)
{
	double v;
	if (!isnan(*value) && lb_module_ext_field(m, name, lane, raw, 2, &v) == LB_OK)
		*value = v;
}

static void ext_monitors(struct lb_module *m, const uint8_t lower[128], const uint8_t (*p11)[128],
			 struct lb_module_monitors *out)
{
	ext_field(m, LB_FIELD_TEMPERATURE_C, 0, &lower[LB_CMIS_LOW_TEMP], &out->temperature_c);
	ext_field(m, LB_FIELD_VCC_V, 0, &lower[LB_CMIS_LOW_VCC], &out->vcc_v);
	for (unsigned l = 0; l < out->lanes; l++) {
		const uint8_t *pg = p11[l / 8u];
		unsigned i = l % 8u;
		ext_field(m, LB_FIELD_TX_POWER_MW, l + 1, &pg[P(LB_CMIS_P11_TX_POWER) + 2u * i],
			  &out->tx_power_mw[l]);
		ext_field(m, LB_FIELD_TX_BIAS_MA, l + 1, &pg[P(LB_CMIS_P11_TX_BIAS) + 2u * i],
			  &out->tx_bias_ma[l]);
		ext_field(m, LB_FIELD_RX_POWER_MW, l + 1, &pg[P(LB_CMIS_P11_RX_POWER) + 2u * i],
			  &out->rx_power_mw[l]);
	}
}

/* The same for thresholds: "<quantity>.high_alarm" and its three siblings, lane 0. */
static void ext_threshold(struct lb_module *m, const char *quantity, const uint8_t *group,
			  struct lb_threshold *t)
{
	static const char *const which[4] = { "high_alarm", "low_alarm", "high_warn", "low_warn" };
	double *v[4] = { &t->high_alarm, &t->low_alarm, &t->high_warn, &t->low_warn };
	for (unsigned k = 0; k < 4; k++) {
		char name[48];
		snprintf(name, sizeof(name), "%s.%s", quantity, which[k]);
		ext_field(m, name, 0, &group[2u * k], v[k]);
	}
}

/*
 * One poll, one plan: lower 8-25 (module flags, monitor flags, monitors) and, per bank, page
 * 11h 134-201 (lane flags, then lane monitors). Each latched flag byte is read once and
 * merged into every consumer's view; the poll reports its handle's default view. 01h:159-160
 * (which monitors exist, bias multiplier) come from the access layer's advertisement, read
 * once per insertion, and so is 00h:210 (media lanes not supported), with page 00h's checksum
 * (unless an identity read brought it).
 */
static int get_monitors(struct lb_module *m, struct lb_module_monitors *out)
{
	const struct lb_module_adv *adv;
	uint8_t lower[128] = { 0 };
	uint8_t p11[LB_MODULE_MAX_LANES / 8][128];
	struct lb_mem_range r[1 + LB_MODULE_MAX_LANES / 8];
	unsigned n = 0, lanes = 0, banks = 0;
	int rc;

	if ((rc = lb_module_get_adv(m, &adv)))
		return rc;
	if (!lb_cmis_identifier_is_cmis(adv->identifier))
		return LB_E_UNKNOWN_ID;
	const struct lb_module_ext_ops *ext;
	void *ext_priv;
	if ((rc = lb_module_ext_get(m, &ext, &ext_priv)))
		return lb_module_ext_status(m, rc);
	if (!adv->flat) {
		if ((rc = lb_cmis_media_lanes(m, adv->banks, &lanes)))
			return rc;
		banks = (lanes + 7u) / 8u;
	}
	r[n++] = (struct lb_mem_range){ .offset = LB_CMIS_LOW_FLAGS_MODULE,
					.len = LB_CMIS_LOW_MON_END - LB_CMIS_LOW_FLAGS_MODULE + 1,
					.buf = &lower[LB_CMIS_LOW_FLAGS_MODULE] };
	if (!adv->flat && !m->cache.lane_unsup_valid) {
		/* Static, behind page 00h's checksum: once per insertion (identity does it too). */
		uint8_t p00[128];
		if ((rc = lb_module_read_checked(m, LB_CMIS_PAGE_ADMIN, LB_CMIS_P00_CSUM_FIRST,
						 LB_CMIS_P00_CHECKSUM, p00)))
			return lb_module_ext_status(m, rc);
		m->cache.lane_unsup = p00[P(P00_MEDIA_LANE_UNSUP)];
		m->cache.lane_unsup_valid = true;
	}
	memset(p11, 0, sizeof(p11));
	for (unsigned b = 0; b < banks; b++)
		r[n++] = (struct lb_mem_range){ .bank = (uint8_t)b,
						.page = LB_CMIS_PAGE_LANE_STATUS,
						.offset = LB_CMIS_P11_FLAGS_FIRST,
						.len = LB_CMIS_P11_MON_LAST - LB_CMIS_P11_FLAGS_FIRST + 1,
						.buf = &p11[b][P(LB_CMIS_P11_FLAGS_FIRST)] };
	if ((rc = lb_module_read_ranges(m, r, n)))
		return lb_module_ext_status(m, rc);
	/* The flags this handle has not reported yet, in place of the bytes as read. */
	struct lb_flag_bytes v;
	lb_flags_take(m, NULL, banks, false, &v);
	lb_flags_patch(&v, banks, lower, p11);
	const struct lb_cmis_mon_adv sup = { adv->module_monitors, adv->lane_monitors,
					     m->cache.lane_unsup };
	lb_cmis_decode_monitors_adv(lower, adv->flat ? NULL : &sup, banks ? p11 : NULL, banks, lanes,
				    out);
	if (lb_module_ext_decodes(m))
		ext_monitors(m, lower, p11, out);
	return LB_OK;
}

/*
 * The latched flags alone, for an interrupt: lower 4-11 (the per-bank summary, then module
 * and monitor flags) and page 11h 134-153 of every bank, each flag byte read once; out gets
 * what consumer c has not seen yet. No monitor values, no application advertisement: fewer
 * bytes than a monitor poll.
 */
int lb_cmis_read_flags(struct lb_module *m, struct lb_flag_consumer *c,
		       struct lb_sideband_event *out)
{
	uint8_t lower[128] = { 0 };
	uint8_t p11[LB_MODULE_MAX_LANES / 8][128];
	unsigned banks;
	memset(p11, 0, sizeof(p11));
	int rc = lb_flags_read_bus(m, lower, p11, &banks, false);
	if (rc)
		return rc;
	struct lb_flag_bytes v;
	lb_flags_take(m, c, banks, false, &v);
	lb_flags_patch(&v, banks, lower, p11);
	lb_cmis_decode_flags(lower, banks ? (const uint8_t (*)[128])p11 : NULL, banks, out);
	return LB_OK;
}

static int module_get_monitors(struct lb_module *m, struct lb_module_monitors *out)
{
	if (!m || lb_sized_check(out, LB_MODULE_MONITORS_SIZE_V1))
		return LB_E_INVAL;
	struct lb_module_monitors mon;
	memset(&mon, 0, sizeof(mon));
	int rc = get_monitors(m, &mon);
	LB_SIZED_FILL(out, mon);
	return rc;
}

LB_API int lb_module_get_monitors(struct lb_module *m, struct lb_module_monitors *out)
{
	return LB_MODULE_CALL(m, module_get_monitors(m, out));
}

static int get_thresholds(struct lb_module *m, struct lb_module_thresholds *out)
{
	const struct lb_module_adv *adv;
	uint8_t p02[128] = { 0 };
	int rc;

	if ((rc = lb_module_get_adv(m, &adv)))
		return rc;
	if (!lb_cmis_identifier_is_cmis(adv->identifier))
		return LB_E_UNKNOWN_ID;
	if (adv->flat)
		return LB_E_NOTSUP;
	const struct lb_module_ext_ops *ext;
	void *ext_priv;
	if ((rc = lb_module_ext_get(m, &ext, &ext_priv)))
		return lb_module_ext_status(m, rc);
	/* The whole page, with its checksum (02h:255, the sum of 128-254), behind every value. */
	if ((rc = lb_module_read_checked(m, LB_CMIS_PAGE_THRESH, 128, 255, p02)))
		return lb_module_ext_status(m, rc);
	lb_cmis_decode_thresholds(p02, lb_cmis_bias_multiplier_of(adv->lane_monitors), out);
	if (lb_module_ext_decodes(m)) {
		ext_threshold(m, LB_FIELD_TEMPERATURE_C, &p02[P(LB_CMIS_P02_TEMP)], &out->temperature_c);
		ext_threshold(m, LB_FIELD_VCC_V, &p02[P(LB_CMIS_P02_VCC)], &out->vcc_v);
		ext_threshold(m, LB_FIELD_TX_POWER_MW, &p02[P(LB_CMIS_P02_TX_POWER)], &out->tx_power_mw);
		ext_threshold(m, LB_FIELD_TX_BIAS_MA, &p02[P(LB_CMIS_P02_TX_BIAS)], &out->tx_bias_ma);
		ext_threshold(m, LB_FIELD_RX_POWER_MW, &p02[P(LB_CMIS_P02_RX_POWER)], &out->rx_power_mw);
	}
	return LB_OK;
}

static int module_get_thresholds(struct lb_module *m, struct lb_module_thresholds *out)
{
	if (!m || lb_sized_check(out, LB_MODULE_THRESHOLDS_SIZE_V1))
		return LB_E_INVAL;
	struct lb_module_thresholds t;
	memset(&t, 0, sizeof(t));
	int rc = get_thresholds(m, &t);
	LB_SIZED_FILL(out, t);
	return rc;
}

LB_API int lb_module_get_thresholds(struct lb_module *m, struct lb_module_thresholds *out)
{
	return LB_MODULE_CALL(m, module_get_thresholds(m, out));
}
