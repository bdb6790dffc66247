/* SPDX-License-Identifier: MIT */
/*
 * The tunable laser: capabilities from page 04h (read whole, checksummed), configuration and
 * state of one lane from page 12h (one plan, touching no other lane's latched flags).
 */
#include <math.h>
#include <string.h>
#include <lightbridge/coherent.h>
#include <lightbridge/status.h>
#include "hal/abi/sized.h"
#include "hal/cmis/decode.h"
#include "hal/cmis/module_internal.h"
#include "hal/cmis/regs.h"
#include "hal/coherent/coherent_internal.h"

#define P(b) ((b) - 128u)

/* Page 04h. */
#define P04_GRIDS 128u          /* bits 7-0: 75, 33, 100, 50, 25, 12.5, 6.25, 3.125 GHz */
#define P04_GRIDS2 129u         /* .7 fine tuning, .6 150 GHz, .5 300 GHz */
#define P04_BOUNDS 130u         /* S16 low, S16 high per grid, in grid code order */
#define P04_FINE_RES 190u       /* U16 x 1 MHz */
#define P04_FINE_LOW 192u       /* S16 x 1 MHz */
#define P04_FINE_HIGH 194u
#define P04_POWER_CAPS 196u     /* .7 programmable output power */
#define P04_POWER_MIN 198u      /* S16 x 0.01 dBm */
#define P04_POWER_MAX 200u
#define P04_CHECKSUM 255u       /* sum of 128..254 */

/* Page 12h, lane index i = 0-7. */
#define P12_GRID(i) (128u + (i))        /* .7-4 grid, .0 fine tuning enable */
#define P12_CHANNEL(i) (136u + 2u * (i))
#define P12_FINE(i) (152u + 2u * (i))
#define P12_FREQ(i) (168u + 4u * (i))   /* U32 x 1 MHz */
#define P12_POWER(i) (200u + 2u * (i))
#define P12_STATUS(i) (222u + (i))
#define P12_SUMMARY 230u
#define P12_FLAGS(i) (231u + (i))       /* latched, clear-on-read */
#define P12_STATUS_TUNING 0x02u
#define P12_STATUS_UNLOCKED 0x01u

static int16_t s16(const uint8_t *b)
{
	return (int16_t)(uint16_t)((unsigned)b[0] << 8 | b[1]);
}

static uint16_t u16(const uint8_t *b)
{
	return (uint16_t)((unsigned)b[0] << 8 | b[1]);
}

void lb_coherent_decode_caps(const uint8_t p04[128], struct lb_laser_caps *out)
{
	size_t size = out->size;
	memset(out, 0, sizeof(*out));
	out->size = size;
	uint32_t grids = p04[P(P04_GRIDS)];
	if (p04[P(P04_GRIDS2)] & 0x40u)
		grids |= 1u << LB_LASER_GRID_150_GHZ;
	if (p04[P(P04_GRIDS2)] & 0x20u)
		grids |= 1u << LB_LASER_GRID_300_GHZ;
	out->grids = grids;
	for (int g = 0; g < LB_LASER_GRID_COUNT; g++) {
		if (!((grids >> g) & 1u))
			continue;
		const uint8_t *b = &p04[P(P04_BOUNDS) + 4u * (unsigned)g];
		out->low_channel[g] = s16(b);
		out->high_channel[g] = s16(b + 2);
		if (lb_laser_channel_to_ghz(g, out->low_channel[g], &out->low_ghz[g]))
			out->low_ghz[g] = NAN;
		if (lb_laser_channel_to_ghz(g, out->high_channel[g], &out->high_ghz[g]))
			out->high_ghz[g] = NAN;
	}
	out->fine_tuning = (p04[P(P04_GRIDS2)] & 0x80u) != 0;
	out->fine_resolution_ghz = u16(&p04[P(P04_FINE_RES)]) * 0.001;
	out->fine_low_offset_ghz = s16(&p04[P(P04_FINE_LOW)]) * 0.001;
	out->fine_high_offset_ghz = s16(&p04[P(P04_FINE_HIGH)]) * 0.001;
	out->tx_power_programmable = (p04[P(P04_POWER_CAPS)] & 0x80u) != 0;
	out->tx_power_min_dbm = s16(&p04[P(P04_POWER_MIN)]) * 0.01;
	out->tx_power_max_dbm = s16(&p04[P(P04_POWER_MAX)]) * 0.01;
	out->checksum_ok = lb_cmis_page_sum(p04, 128, P04_CHECKSUM - 1) == p04[P(P04_CHECKSUM)];
}

static enum lb_tuning_state tuning_state(uint8_t status, uint8_t flags)
{
	if (status & P12_STATUS_TUNING)
		return LB_TUNING_STATE_IN_PROGRESS;
	if (flags & LB_TUNING_FLAGS_FAULT)
		return LB_TUNING_STATE_FAULT;
	if (status & P12_STATUS_UNLOCKED)
		return LB_TUNING_STATE_UNLOCKED;
	return LB_TUNING_STATE_LOCKED;
}

void lb_coherent_decode_laser(const uint8_t p12[128], unsigned i, uint8_t revision,
			      struct lb_laser_status *out)
{
	uint8_t g = p12[P(P12_GRID(i))];
	out->grid_code = (uint8_t)(g >> 4);
	out->grid = lb_coherent_grid_of_code(out->grid_code, revision);
	out->fine_tuning = (g & 0x01u) != 0;
	out->channel = s16(&p12[P(P12_CHANNEL(i))]);
	out->fine_offset_ghz = s16(&p12[P(P12_FINE(i))]) * 0.001;
	double ghz;
	if (lb_laser_channel_to_ghz(out->grid, out->channel, &ghz))
		out->configured_ghz = NAN;
	else
		out->configured_ghz = ghz + (out->fine_tuning ? out->fine_offset_ghz : 0.0);
	const uint8_t *f = &p12[P(P12_FREQ(i))];
	uint32_t mhz = (uint32_t)f[0] << 24 | (uint32_t)f[1] << 16 | (uint32_t)f[2] << 8 | f[3];
	out->current_ghz = mhz * 0.001;
	out->tx_power_target_dbm = s16(&p12[P(P12_POWER(i))]) * 0.01;
	out->status = p12[P(P12_STATUS(i))] & (P12_STATUS_TUNING | P12_STATUS_UNLOCKED);
	out->flags = p12[P(P12_FLAGS(i))] & 0x3Fu;
	out->state = tuning_state(out->status, out->flags);
}

LB_API const char *lb_tuning_state_name(int state)
{
	switch (state) {
	case LB_TUNING_STATE_LOCKED: return "locked";
	case LB_TUNING_STATE_IN_PROGRESS: return "in progress";
	case LB_TUNING_STATE_UNLOCKED: return "wavelength unlocked";
	case LB_TUNING_STATE_FAULT: return "fault";
	default: return "unknown";
	}
}

/* The advertisement, and LB_E_NOTSUP (with the detail) when the module is not tunable. */
static int need_tunable(struct lb_module *m, const struct lb_module_adv **adv)
{
	int rc = lb_module_get_adv(m, adv);
	if (rc)
		return rc;
	if ((*adv)->flat || !((*adv)->tx_controls & LB_CMIS_P01_TX_CTRL_TUNABLE))
		return lb_ctx_error(lb_module_ctx(m), LB_E_NOTSUP,
				    "the module is not tunable (01h:155.6 clear): no laser pages 04h and 12h");
	return LB_OK;
}

static int laser_get_caps(struct lb_module *m, struct lb_laser_caps *out)
{
	if (!m || lb_sized_check(out, LB_LASER_CAPS_SIZE_V1))
		return LB_E_INVAL;
	struct lb_laser_caps c;
	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	const struct lb_module_adv *adv;
	uint8_t p04[128];
	int rc = need_tunable(m, &adv);
	if (!rc)
		rc = lb_module_read_checked(m, 0x04, 128, P04_CHECKSUM, p04);
	if (!rc) {
		lb_coherent_decode_caps(p04, &c);
		if (!c.checksum_ok)
			rc = lb_ctx_error(lb_module_ctx(m), LB_E_CHECKSUM,
					  "page 04h checksum: stored 0x%02x, computed 0x%02x",
					  p04[P(P04_CHECKSUM)], lb_cmis_page_sum(p04, 128, 254));
	} else if (rc == LB_E_CHECKSUM) {
		memset(&c, 0, sizeof(c)); /* two reads that differ: nothing of them is kept */
	}
	LB_SIZED_FILL(out, c);
	return rc;
}

LB_API int lb_laser_get_caps(struct lb_module *m, struct lb_laser_caps *out)
{
	return LB_MODULE_CALL(m, laser_get_caps(m, out));
}

static int laser_get_status(struct lb_module *m, unsigned lane, struct lb_laser_status *out)
{
	if (!m || lb_sized_check(out, LB_LASER_STATUS_SIZE_V1))
		return LB_E_INVAL;
	struct lb_laser_status s;
	memset(&s, 0, sizeof(s));
	s.size = sizeof(s);
	s.lane = lane;
	const struct lb_module_adv *adv;
	int rc = need_tunable(m, &adv);
	if (!rc && (lane < 1 || lane > 8u * adv->banks))
		rc = lb_ctx_error(lb_module_ctx(m), LB_E_INVAL,
				  "lane %u: the module has lanes 1-%u", lane, 8u * adv->banks);
	if (!rc) {
		unsigned i = (lane - 1) % 8;
		uint8_t bank = (uint8_t)((lane - 1) / 8);
		uint8_t p12[128];
		memset(p12, 0, sizeof(p12));
		/*
		 * Everything up to the summary byte, then this lane's latched flags alone (the plan
		 * never reads across a gap, so the other lanes' flags stay latched).
		 */
		struct lb_mem_range r[2] = {
			{ bank, 0x12, 128, (uint16_t)(P12_SUMMARY - 128 + 1), p12 },
			{ bank, 0x12, (uint8_t)P12_FLAGS(i), 1, &p12[P(P12_FLAGS(i))] },
		};
		rc = lb_module_read_ranges(m, r, 2);
		if (!rc)
			lb_coherent_decode_laser(p12, i, adv->revision, &s);
	}
	LB_SIZED_FILL(out, s);
	return rc;
}

static int laser_set_tx_power(struct lb_module *m, unsigned lane, double dbm)
{
	if (!m)
		return LB_E_INVAL;
	const struct lb_module_adv *adv;
	int rc = need_tunable(m, &adv);
	if (rc)
		return rc;
	if (lane < 1 || lane > 8u * adv->banks)
		return lb_ctx_error(lb_module_ctx(m), LB_E_INVAL, "lane %u: the module has lanes 1-%u",
				    lane, 8u * adv->banks);
	struct lb_laser_caps c = LB_LASER_CAPS_INIT;
	if ((rc = lb_laser_get_caps(m, &c)))
		return rc;
	if (!c.tx_power_programmable)
		return lb_ctx_error(lb_module_ctx(m), LB_E_NOTSUP,
				    "the module's Tx power is not programmable (04h:196.7 clear)");
	long v = lround(dbm * 100.0);
	if (isnan(dbm) || v < lround(c.tx_power_min_dbm * 100.0) ||
	    v > lround(c.tx_power_max_dbm * 100.0))
		return lb_ctx_error(lb_module_ctx(m), LB_E_RANGE,
				    "Tx power %.2f dBm: the module takes %.2f..%.2f dBm", dbm,
				    c.tx_power_min_dbm, c.tx_power_max_dbm);
	unsigned i = (lane - 1) % 8;
	uint16_t raw = (uint16_t)(int16_t)v;
	uint8_t b[2] = { (uint8_t)(raw >> 8), (uint8_t)raw };
	return lb_module_write(m, (uint8_t)((lane - 1) / 8), 0x12, (uint8_t)P12_POWER(i), b, 2);
}

LB_API int lb_laser_set_tx_power(struct lb_module *m, unsigned lane, double dbm)
{
	return LB_MODULE_CALL(m, laser_set_tx_power(m, lane, dbm));
}

LB_API int lb_laser_get_status(struct lb_module *m, unsigned lane, struct lb_laser_status *out)
{
	return LB_MODULE_CALL(m, laser_get_status(m, lane, out));
}
