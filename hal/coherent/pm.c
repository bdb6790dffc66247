/* SPDX-License-Identifier: MIT */
/*
 * C-CMIS performance monitoring (reference/cmis.md 9.4-9.5): the FEC counters of page 34h and
 * the link PMs of page 35h, read in one plan and decoded with the interval semantics: the
 * registers hold the current interval so far, or the one a freeze ended (vdm_freeze.c). The
 * U32 frame counter wraps in a long interval at 800G (2^32 frames of 10 kbit in under a
 * minute): the received bits, which do not wrap, say how many times.
 */
#include <math.h>
#include <string.h>
#include <lightbridge/coherent.h>
#include <lightbridge/status.h>
#include "hal/abi/sized.h"
#include "hal/cmis/module_internal.h"
#include "hal/coherent/coherent_internal.h"

#define P(b) ((b) - 128u)
#define PAGE_FEC_PM 0x34u
#define PAGE_LINK_PM 0x35u
#define FEC_FIRST 128u
#define FEC_LEN 60u   /* 128-187 */
#define LINK_FIRST 128u
#define LINK_LEN 84u  /* 128-211: CD .. MER */

static uint64_t be(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

static double ratio(uint64_t num, uint64_t den)
{
	return den ? (double)num / (double)den : NAN;
}

/* avg, min, max of a 35h metric of width w (2 or 4) at off. */
static void metric3(const uint8_t *p35, unsigned off, unsigned w, bool is_signed, double scale,
		    double out[3])
{
	for (unsigned j = 0; j < 3; j++) {
		uint64_t raw = be(&p35[P(off + w * j)], w);
		double v = w == 4 ? (is_signed ? (double)(int32_t)(uint32_t)raw : (double)raw)
				  : (is_signed ? (double)(int16_t)(uint16_t)raw : (double)raw);
		out[j] = v * scale;
	}
}

void lb_coherent_decode_pm(const uint8_t p34[128], const uint8_t p35[128], struct lb_ccmis_pm *o)
{
	o->rx_bits = be(&p34[P(128)], 8);
	o->rx_bits_sub = be(&p34[P(136)], 8);
	o->corrected_bits = be(&p34[P(144)], 8);
	o->corrected_bits_min = be(&p34[P(152)], 8);
	o->corrected_bits_max = be(&p34[P(160)], 8);
	o->rx_frames_raw = (uint32_t)be(&p34[P(168)], 4);
	o->rx_frames_sub = (uint32_t)be(&p34[P(172)], 4);
	o->uncorrectable_frames = (uint32_t)be(&p34[P(176)], 4);
	o->uncorrectable_min = (uint32_t)be(&p34[P(180)], 4);
	o->uncorrectable_max = (uint32_t)be(&p34[P(184)], 4);
	/* the wraps: the frames the interval's bits make, at the sub-interval's frames per bit */
	o->rx_frames = o->rx_frames_raw;
	o->frames_wrapped = 0;
	if (o->rx_bits_sub && o->rx_frames_sub) {
		double expect = (double)o->rx_bits * (double)o->rx_frames_sub / (double)o->rx_bits_sub;
		double k = floor((expect - (double)o->rx_frames_raw) / 4294967296.0 + 0.5);
		if (k > 0 && k < 4294967296.0) {
			o->frames_wrapped = (unsigned)k;
			o->rx_frames = o->rx_frames_raw + ((uint64_t)o->frames_wrapped << 32);
		}
	}
	o->pre_fec_ber[LB_PM_AVG] = ratio(o->corrected_bits, o->rx_bits);
	o->pre_fec_ber[LB_PM_MIN] = o->rx_bits ? ratio(o->corrected_bits_min, o->rx_bits_sub) : NAN;
	o->pre_fec_ber[LB_PM_MAX] = o->rx_bits ? ratio(o->corrected_bits_max, o->rx_bits_sub) : NAN;
	o->frame_error_ratio[LB_PM_AVG] = ratio(o->uncorrectable_frames, o->rx_frames);
	o->frame_error_ratio[LB_PM_MIN] =
		o->rx_frames ? ratio(o->uncorrectable_min, o->rx_frames_sub) : NAN;
	o->frame_error_ratio[LB_PM_MAX] =
		o->rx_frames ? ratio(o->uncorrectable_max, o->rx_frames_sub) : NAN;
	metric3(p35, 128, 4, true, 1.0, o->cd_ps_nm);
	metric3(p35, 140, 2, false, 0.01, o->dgd_ps);
	metric3(p35, 146, 2, false, 0.01, o->sopmd_ps2);
	metric3(p35, 152, 2, false, 0.1, o->pdl_db);
	metric3(p35, 158, 2, false, 0.1, o->osnr_db);
	metric3(p35, 164, 2, false, 0.1, o->esnr_db);
	metric3(p35, 170, 2, true, 1.0, o->cfo_mhz);
	metric3(p35, 176, 2, false, 100.0 / 65535.0, o->evm_pct);
	metric3(p35, 182, 2, true, 0.01, o->tx_power_dbm);
	metric3(p35, 188, 2, true, 0.01, o->rx_total_power_dbm);
	metric3(p35, 194, 2, true, 0.01, o->rx_signal_power_dbm);
	metric3(p35, 200, 2, false, 1.0, o->sop_roc_krad_s);
	metric3(p35, 206, 2, false, 0.1, o->mer_db);
}

int lb_ccmis_pm_check(struct lb_module *m, uint8_t bank)
{
	int rc = lb_coherent_capable(m);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return lb_ctx_error(lb_module_ctx(m), LB_E_NOTSUP,
				    "the module is not coherent: no C-CMIS PM pages (34h/35h)");
	const struct lb_module_adv *adv;
	if ((rc = lb_module_get_adv(m, &adv)))
		return rc;
	if (bank >= adv->banks)
		return lb_ctx_error(lb_module_ctx(m), LB_E_NOTSUP, "bank %u: the module has %u bank%s",
				    bank, adv->banks, adv->banks == 1 ? "" : "s");
	return LB_OK;
}

static int pm_read(struct lb_module *m, uint8_t bank, struct lb_ccmis_pm *out)
{
	if (!m || lb_sized_check(out, LB_CCMIS_PM_SIZE_V1))
		return LB_E_INVAL;
	struct lb_ccmis_pm pm;
	memset(&pm, 0, sizeof(pm));
	pm.size = sizeof(pm);
	pm.bank = bank;
	uint8_t p34[128] = { 0 }, p35[128] = { 0 };
	int rc = lb_ccmis_pm_check(m, bank);
	if (!rc) {
		struct lb_mem_range r[2] = {
			{ bank, PAGE_FEC_PM, FEC_FIRST, FEC_LEN, &p34[P(FEC_FIRST)] },
			{ bank, PAGE_LINK_PM, LINK_FIRST, LINK_LEN, &p35[P(LINK_FIRST)] },
		};
		rc = lb_module_read_ranges(m, r, 2);
	}
	if (!rc)
		lb_coherent_decode_pm(p34, p35, &pm);
	else
		memset(&pm, 0, sizeof(pm)), pm.size = sizeof(pm), pm.bank = bank;
	LB_SIZED_FILL(out, pm);
	return rc;
}

LB_API int lb_ccmis_pm_read(struct lb_module *m, uint8_t bank, struct lb_ccmis_pm *out)
{
	return LB_MODULE_CALL(m, pm_read(m, bank, out));
}
