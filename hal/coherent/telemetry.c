/* SPDX-License-Identifier: MIT */
/*
 * The telemetry snapshot (coherent.h, lb_telemetry_read): every value a module reports, read
 * in one plan, each page once over the span of what is reported: lower 8-17 (module flags,
 * temperature, Vcc), 11h (lane flags and monitors of the media lanes), 12h (laser frequency,
 * target power, tuning status), the VDM samples and flags of the instances in use (descriptors
 * from the module cache), 33h (coherent flags), 34h and 35h (PMs). Latched flags reach the
 * caller's flag consumer through the accumulator.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <lightbridge/coherent.h>
#include <lightbridge/status.h>
#include "hal/abi/sized.h"
#include "hal/cmis/decode.h"
#include "hal/cmis/flags.h"
#include "hal/cmis/module_internal.h"
#include "hal/cmis/page_rules.h"
#include "hal/cmis/regs.h"
#include "hal/coherent/coherent_internal.h"
#include "hal/coherent/telemetry_internal.h"

#define P(b) ((b) - 128u)
#define LOW_FIRST 8u  /* module flags 8-11, temperature 14-15, Vcc 16-17 */
#define LOW_LAST 17u
#define P11_FIRST 135u /* Tx fault 135 .. Rx power flags 152, then the monitors */
#define P12_FREQ 168u  /* U32 MHz per lane */
#define P12_TARGET 200u
#define P12_STATUS 222u
#define PAGE_SAMPLES 0x24u
#define P33_FIRST 128u
#define PM_FEC_LAST 187u
#define PM_LINK_LAST 211u

/* The buffers of one snapshot: pages as read (index = byte - 128), lower memory as is. */
struct snap {
	uint8_t lower[128];
	uint8_t p11[128], p12[128], p33[128], p34[128], p35[128];
	uint8_t samples[4][128], p2c[128];
	unsigned groups;
	const uint8_t (*desc)[128];
	int last[4];          /* last instance in use per group, -1: none */
	unsigned ml;          /* media lanes reported */
	bool laser, vdm, coherent;
	struct lb_mem_range r[12];
	unsigned n;
};

static void add(struct snap *s, uint8_t page, unsigned first, unsigned last, uint8_t *page_buf)
{
	s->r[s->n++] = (struct lb_mem_range){ 0, page, (uint8_t)first, (uint16_t)(last - first + 1),
					      page_buf + (first >= 128 ? P(first) : first) };
}

/* What to read: the ranges of s->r. */
static int plan(struct lb_module *m, const struct lb_module_adv *adv, struct snap *s)
{
	add(s, 0, LOW_FIRST, LOW_LAST, s->lower);
	if (adv->flat)
		return LB_OK;
	int rc = lb_cmis_media_lanes(m, adv->banks, &s->ml);
	if (rc)
		return rc;
	if (s->ml > 8)
		s->ml = 8;
	if (!s->ml)
		s->ml = 1;
	add(s, LB_CMIS_PAGE_LANE_STATUS, P11_FIRST, LB_CMIS_P11_RX_POWER + 2 * s->ml - 1, s->p11);
	s->laser = lb_cmis_page_advertised(adv, 0, 0x12) == 1;
	if (s->laser)
		add(s, 0x12, P12_FREQ, P12_STATUS + s->ml - 1, s->p12);
	if (adv->supported_pages & 0x40u) {
		rc = lb_vdm_descriptors(m, 0, &s->groups, &s->desc);
		if (rc && rc != LB_E_NOTSUP)
			return rc;
		s->vdm = !rc;
		int last_gi = -1;
		for (unsigned g = 0; s->vdm && g < s->groups; g++) {
			s->last[g] = lb_vdm_last_instance(s->desc[g]);
			if (s->last[g] < 0)
				continue;
			add(s, (uint8_t)(PAGE_SAMPLES + g), 128, 128 + 2u * (unsigned)s->last[g] + 1,
			    s->samples[g]);
			last_gi = (int)(64 * g) + s->last[g];
		}
		if (last_gi >= 0)
			add(s, LB_FLAGS_PAGE_VDM, 128, 128 + (unsigned)last_gi / 2, s->p2c);
	}
	rc = lb_coherent_capable(m);
	if (rc < 0)
		return rc;
	s->coherent = rc == 1;
	if (s->coherent) {
		add(s, LB_FLAGS_PAGE_CCMIS, P33_FIRST, P33_FIRST + s->ml - 1, s->p33);
		add(s, 0x34, 128, PM_FEC_LAST, s->p34);
		add(s, 0x35, 128, PM_LINK_LAST, s->p35);
	}
	return LB_OK;
}

static struct lb_telemetry_value *put(struct lb_telemetry *out, const char *name,
				      const char *label, const char *unit, uint8_t source,
				      unsigned lane, double value)
{
	if (out->count >= LB_TELEMETRY_MAX_VALUES)
		return NULL;
	struct lb_telemetry_value *v = &out->v[out->count++];
	*v = (struct lb_telemetry_value){ .name = name, .label = label, .unit = unit,
					  .source = source, .lane = (uint8_t)lane, .value = value,
					  .t_ns = out->t_ns };
	return v;
}

static void alarm(struct lb_telemetry_value *v, uint8_t flags)
{
	if (v) {
		v->has_alarm = true;
		v->flags = flags & 0x0Fu;
	}
}

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)((unsigned)p[0] << 8 | p[1]);
}

/* Bits (HA LA HW LW) of lane l from four per-lane flag bytes at p (p[k] = flag k). */
static uint8_t lane_flags4(const uint8_t *p, unsigned l)
{
	uint8_t f = 0;
	for (unsigned k = 0; k < 4; k++)
		f |= (uint8_t)(((p[k] >> l) & 1u) << k);
	return f;
}

static void decode_monitors(const struct lb_module_adv *adv, const struct snap *s,
			    const struct lb_flag_bytes *fb, struct lb_telemetry *out)
{
	const uint8_t *lo = s->lower;
	uint8_t mon = fb->low[LB_CMIS_LOW_FLAGS_MON - LB_FLAGS_LOW_FIRST];
	alarm(put(out, "transceiver/temperature/instant", "Temperature", "C", LB_TELEMETRY_MONITOR,
		  0, (int16_t)be16(&lo[LB_CMIS_LOW_TEMP]) / 256.0), mon);
	alarm(put(out, "transceiver/supply-voltage/instant", "Supply voltage", "V",
		  LB_TELEMETRY_MONITOR, 0, be16(&lo[LB_CMIS_LOW_TEMP + 2]) * 0.0001), mon >> 4);
	if (adv->flat)
		return;
	const uint8_t *p11 = s->p11, *f11 = fb->p11[0];
	double bias_lsb = 0.002 * lb_cmis_bias_multiplier_of(adv->lane_monitors);
	for (unsigned l = 0; l < s->ml; l++) {
		alarm(put(out, "physical-channel/output-power/instant", "Tx power", "dBm",
			  LB_TELEMETRY_MONITOR, l + 1,
			  lb_mw_to_dbm(be16(&p11[P(LB_CMIS_P11_TX_POWER) + 2 * l]) * 0.0001)),
		      lane_flags4(&f11[LB_CMIS_P11_TX_POWER_FLAGS - LB_FLAGS_P11_FIRST], l));
		alarm(put(out, "physical-channel/laser-bias-current/instant", "Tx bias", "mA",
			  LB_TELEMETRY_MONITOR, l + 1,
			  be16(&p11[P(LB_CMIS_P11_TX_BIAS) + 2 * l]) * bias_lsb),
		      lane_flags4(&f11[LB_CMIS_P11_TX_POWER_FLAGS + 4 - LB_FLAGS_P11_FIRST], l));
		alarm(put(out, "physical-channel/input-power/instant", "Rx power", "dBm",
			  LB_TELEMETRY_MONITOR, l + 1,
			  lb_mw_to_dbm(be16(&p11[P(LB_CMIS_P11_RX_POWER) + 2 * l]) * 0.0001)),
		      lane_flags4(&f11[LB_CMIS_P11_TX_POWER_FLAGS + 10 - LB_FLAGS_P11_FIRST], l));
		put(out, "lightbridge/rx-loss-of-signal", "Rx LOS (latched)", "", LB_TELEMETRY_FLAG,
		    l + 1, (f11[LB_CMIS_P11_RX_LOS - LB_FLAGS_P11_FIRST] >> l) & 1u);
	}
}

static void decode_laser(const struct snap *s, struct lb_telemetry *out)
{
	for (unsigned l = 0; l < s->ml; l++) {
		const uint8_t *f = &s->p12[P(P12_FREQ) + 4 * l];
		uint32_t mhz = (uint32_t)f[0] << 24 | (uint32_t)f[1] << 16 | (uint32_t)f[2] << 8 | f[3];
		put(out, "optical-channel/frequency", "Laser frequency", "MHz", LB_TELEMETRY_LASER,
		    l + 1, (double)mhz);
		put(out, "optical-channel/target-output-power", "Tx power target", "dBm",
		    LB_TELEMETRY_LASER, l + 1, (int16_t)be16(&s->p12[P(P12_TARGET) + 2 * l]) * 0.01);
		put(out, "lightbridge/wavelength-unlocked", "Wavelength unlocked", "",
		    LB_TELEMETRY_LASER, l + 1, s->p12[P(P12_STATUS) + l] & 1u);
	}
}

static void decode_vdm(const struct snap *s, const struct lb_flag_bytes *fb,
		       struct lb_telemetry *out)
{
	for (unsigned g = 0; g < s->groups; g++) {
		for (int i = 0; i <= s->last[g]; i++) {
			unsigned type = s->desc[g][2 * i + 1], obj = s->desc[g][2 * i] & 0x0Fu;
			const struct lb_vdm_type *t = lb_vdm_type_find(type);
			if (!type || !t)
				continue; /* custom and reserved types have no unit to give */
			const struct lb_telemetry_name *nm = lb_telemetry_vdm_name(type);
			unsigned gi = 64 * g + (unsigned)i;
			alarm(put(out, nm ? nm->name : t->key, nm ? nm->label : t->name, t->unit,
				  LB_TELEMETRY_VDM, obj < 8 ? obj + 1 : 0,
				  lb_vdm_value(type, be16(&s->samples[g][2 * i]))),
			      (uint8_t)(fb->p2c[0][gi / 2] >> (4 * (gi % 2))));
		}
	}
}

static void decode_pm(const struct snap *s, const struct lb_flag_bytes *fb,
		      struct lb_telemetry *out)
{
	struct lb_ccmis_pm pm;
	memset(&pm, 0, sizeof(pm));
	lb_coherent_decode_pm(s->p34, s->p35, &pm);
	static const char *const ber[3] = { "lightbridge/pm-pre-fec-ber/avg",
					    "lightbridge/pm-pre-fec-ber/min",
					    "lightbridge/pm-pre-fec-ber/max" };
	static const char *const ber_label[3] = { "Pre-FEC BER avg (PM)", "Pre-FEC BER min (PM)",
						  "Pre-FEC BER max (PM)" };
	put(out, "lightbridge/pm-rx-bits", "Rx bits (PM interval)", "", LB_TELEMETRY_PM, 1,
	    (double)pm.rx_bits);
	put(out, "otn/fec-corrected-bits", "Corrected bits", "", LB_TELEMETRY_PM, 1,
	    (double)pm.corrected_bits);
	put(out, "lightbridge/pm-rx-frames", "Rx FEC frames", "", LB_TELEMETRY_PM, 1,
	    (double)pm.rx_frames);
	put(out, "otn/fec-uncorrectable-blocks", "Uncorrectable frames", "", LB_TELEMETRY_PM, 1,
	    (double)pm.uncorrectable_frames);
	for (unsigned j = 0; j < 3; j++)
		put(out, ber[j], ber_label[j], "", LB_TELEMETRY_PM, 1, pm.pre_fec_ber[j]);
	const double *metric[LB_TELEMETRY_PM_METRICS] = {
		pm.cd_ps_nm, pm.dgd_ps, pm.sopmd_ps2, pm.pdl_db, pm.osnr_db, pm.esnr_db, pm.cfo_mhz,
		pm.evm_pct, pm.tx_power_dbm, pm.rx_total_power_dbm, pm.rx_signal_power_dbm,
		pm.sop_roc_krad_s, pm.mer_db,
	};
	for (unsigned k = 0; k < LB_TELEMETRY_PM_METRICS; k++)
		for (unsigned j = 0; j < 3; j++)
			put(out, lb_telemetry_pm_names[k].name[j], lb_telemetry_pm_names[k].label[j],
			    lb_telemetry_pm_names[k].unit, LB_TELEMETRY_PM, 1, metric[k][j]);
	static const struct { const char *name, *label; uint8_t bit; } cflags[] = {
		{ "lightbridge/coherent-loss-of-signal", "Coherent LOS (latched)", 0x01 },
		{ "lightbridge/coherent-loss-of-frame", "Loss of frame (latched)", 0x02 },
		{ "lightbridge/fec-uncorrectable", "Uncorrectable (latched)", 0x04 },
	};
	for (unsigned l = 0; l < s->ml; l++)
		for (size_t k = 0; k < sizeof(cflags) / sizeof(cflags[0]); k++)
			put(out, cflags[k].name, cflags[k].label, "", LB_TELEMETRY_FLAG, l + 1,
			    (fb->p33[0][l] & cflags[k].bit) ? 1 : 0);
}

/* Clear from fb the flag bits the snapshot reported; what is left goes back to the consumer. */
static void unreported(const struct lb_module_adv *adv, const struct snap *s,
		       struct lb_flag_bytes *fb)
{
	fb->low[LB_CMIS_LOW_FLAGS_MON - LB_FLAGS_LOW_FIRST] = 0; /* temperature, Vcc */
	if (adv->flat)
		return;
	uint8_t lanes = (uint8_t)((1u << s->ml) - 1u);
	uint8_t *f11 = fb->p11[0];
	for (unsigned k = 0; k < 4; k++) {
		f11[LB_CMIS_P11_TX_POWER_FLAGS + k - LB_FLAGS_P11_FIRST] &= (uint8_t)~lanes;
		f11[LB_CMIS_P11_TX_POWER_FLAGS + 4 + k - LB_FLAGS_P11_FIRST] &= (uint8_t)~lanes;
		f11[LB_CMIS_P11_TX_POWER_FLAGS + 10 + k - LB_FLAGS_P11_FIRST] &= (uint8_t)~lanes;
	}
	f11[LB_CMIS_P11_RX_LOS - LB_FLAGS_P11_FIRST] &= (uint8_t)~lanes;
	for (unsigned g = 0; s->vdm && g < s->groups; g++)
		for (int i = 0; i <= s->last[g]; i++) {
			unsigned gi = 64 * g + (unsigned)i, type = s->desc[g][2 * i + 1];
			if (type && lb_vdm_type_find(type))
				fb->p2c[0][gi / 2] &= (uint8_t)~(0x0Fu << (4 * (gi % 2)));
		}
	for (unsigned l = 0; s->coherent && l < s->ml; l++)
		fb->p33[0][l] &= (uint8_t)~0x07u;
}

static int snapshot(struct lb_module *m, struct lb_flag_consumer *c, struct lb_telemetry *out,
		    struct snap *s)
{
	const struct lb_module_adv *adv;
	int rc = lb_module_get_adv(m, &adv);
	if (rc)
		return rc;
	if (!lb_cmis_identifier_is_cmis(adv->identifier))
		return LB_E_UNKNOWN_ID;
	memset(s->last, 0xFF, sizeof(s->last));
	if ((rc = plan(m, adv, s)) || (rc = lb_module_read_ranges(m, s->r, s->n)))
		return rc;
	out->t_ns = lb_bus_now_ns(m->bus);
	out->media_lanes = adv->flat ? 0 : s->ml;
	/* What the consumer has not seen yet: this read's flags and any read by others before. */
	struct lb_flag_bytes *fb = calloc(1, sizeof(*fb));
	if (!fb)
		return LB_E_NOMEM;
	unsigned banks = adv->flat ? 0 : adv->banks;
	lb_flags_take(m, c, banks, false, fb); /* the tuning flags stay: not reported here */
	lb_flags_take_coherent(m, c, banks, fb);
	decode_monitors(adv, s, fb, out);
	if (s->laser)
		decode_laser(s, out);
	if (s->vdm)
		decode_vdm(s, fb, out);
	if (s->coherent)
		decode_pm(s, fb, out);
	/* What the snapshot does not report stays with the consumer for its other reads. */
	unreported(adv, s, fb);
	lb_flags_give_back(m, c, fb);
	free(fb);
	return LB_OK;
}

static int telemetry_read(struct lb_module *m, struct lb_flag_consumer *c,
			  struct lb_telemetry *out)
{
	if (!m || lb_sized_check(out, LB_TELEMETRY_SIZE_V1))
		return LB_E_INVAL;
	if (c && !lb_flags_consumer_of(m, c))
		return lb_ctx_error(lb_module_ctx(m), LB_E_INVAL,
				    "flag consumer belongs to another module");
	struct lb_telemetry *t = calloc(1, sizeof(*t));
	struct snap *s = calloc(1, sizeof(*s));
	int rc = t && s ? LB_OK : LB_E_NOMEM;
	if (!rc) {
		t->size = sizeof(*t);
		rc = snapshot(m, c, t, s);
		if (rc) {
			memset(t, 0, sizeof(*t));
			t->size = sizeof(*t);
		}
		lb_sized_fill(out, t, sizeof(*t));
	}
	free(t);
	free(s);
	return rc;
}

LB_API int lb_telemetry_read(struct lb_module *m, struct lb_flag_consumer *c,
			     struct lb_telemetry *out)
{
	return LB_MODULE_CALL(m, telemetry_read(m, c, out));
}
