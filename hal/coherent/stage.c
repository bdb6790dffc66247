/* SPDX-License-Identifier: MIT */
/*
 * The coherent members of a data-path configuration: checked against page 04h before anything
 * is written, then staged on page 12h with the application (hal/cmis/datapath.c writes them
 * after the staged control set and before ApplyDPInit), so the data path initialises on the
 * frequency and power it is configured with.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <lightbridge/coherent.h>
#include <lightbridge/status.h>
#include "hal/cmis/module_internal.h"
#include "hal/cmis/regs.h"
#include "hal/coherent/coherent_internal.h"
#include "hal/coherent/stage.h"

#define MAX_BANKS 4u

/* The grid of a spacing in MHz (33333: the 33 GHz grid), or -1. */
static int grid_of_mhz(uint32_t mhz)
{
	static const uint32_t spacing[LB_LASER_GRID_COUNT] = { 3125, 6250, 12500, 25000, 50000,
							       100000, 33333, 75000, 150000, 300000 };
	for (int g = 0; g < LB_LASER_GRID_COUNT; g++)
		if (spacing[g] == mhz)
			return g;
	return -1;
}

int lb_coherent_stage_check(struct lb_module *m, const struct lb_dp_config *cfg,
			    struct lb_coherent_stage *out)
{
	struct lb_ctx *ctx = lb_module_ctx(m);
	memset(out, 0, sizeof(*out));
	uint32_t set = cfg->set & LB_DP_CONFIG_COHERENT;
	const struct lb_module_adv *adv;
	int rc = lb_module_get_adv(m, &adv);
	if (rc)
		return rc;
	if (adv->flat || !(adv->tx_controls & LB_CMIS_P01_TX_CTRL_TUNABLE))
		return lb_ctx_error(ctx, LB_E_NOTSUP,
				    "data-path configuration: grid, channel, fine tuning and Tx power need a tunable module (01h:155.6), and this one is not");
	if ((set & (LB_DP_CONFIG_CHANNEL | LB_DP_CONFIG_FINE_TUNING)) && !(set & LB_DP_CONFIG_GRID))
		return lb_ctx_error(ctx, LB_E_INVAL,
				    "data-path configuration: a channel or a fine-tuning offset needs its grid (LB_DP_CONFIG_GRID)");
	if ((set & LB_DP_CONFIG_GRID) && !(set & LB_DP_CONFIG_CHANNEL))
		return lb_ctx_error(ctx, LB_E_INVAL,
				    "data-path configuration: a grid needs its channel (LB_DP_CONFIG_CHANNEL)");
	struct lb_laser_caps caps = LB_LASER_CAPS_INIT;
	if ((rc = lb_laser_get_caps(m, &caps)))
		return rc;
	out->set = set;
	if (set & LB_DP_CONFIG_GRID) {
		int g = grid_of_mhz(cfg->grid_spacing_mhz);
		double f;
		if (g < 0 || !((caps.grids >> g) & 1u))
			return lb_ctx_error(ctx, LB_E_RANGE,
					    "data-path configuration: the module advertises no %u MHz grid (page 04h)",
					    cfg->grid_spacing_mhz);
		if (cfg->channel < caps.low_channel[g] || cfg->channel > caps.high_channel[g] ||
		    lb_laser_channel_to_ghz(g, (int)cfg->channel, &f))
			return lb_ctx_error(ctx, LB_E_RANGE,
					    "data-path configuration: channel %d of the %s grid: the module takes %d..%d",
					    (int)cfg->channel, lb_laser_grid_name(g), caps.low_channel[g],
					    caps.high_channel[g]);
		bool fine = (set & LB_DP_CONFIG_FINE_TUNING) != 0;
		if (fine) {
			long res = lround(caps.fine_resolution_ghz * 1000.0);
			if (!caps.fine_tuning)
				return lb_ctx_error(ctx, LB_E_NOTSUP,
						    "data-path configuration: the module does not fine-tune (04h:129.7)");
			if (cfg->fine_tuning_mhz < lround(caps.fine_low_offset_ghz * 1000.0) ||
			    cfg->fine_tuning_mhz > lround(caps.fine_high_offset_ghz * 1000.0) ||
			    (res > 0 && cfg->fine_tuning_mhz % res))
				return lb_ctx_error(ctx, LB_E_RANGE,
						    "data-path configuration: fine-tuning offset %d MHz: the module takes %.0f..%.0f MHz in steps of %ld",
						    (int)cfg->fine_tuning_mhz, caps.fine_low_offset_ghz * 1000.0,
						    caps.fine_high_offset_ghz * 1000.0, res);
			out->fine_mhz = (int16_t)cfg->fine_tuning_mhz;
		}
		uint8_t code = (uint8_t)lb_coherent_grid_of_code((uint8_t)g, adv->revision);
		out->grid_byte = (uint8_t)((unsigned)code << 4 | (fine ? 1u : 0u));
		out->channel = (int16_t)cfg->channel;
	}
	if (set & LB_DP_CONFIG_TX_POWER) {
		if (!caps.tx_power_programmable)
			return lb_ctx_error(ctx, LB_E_NOTSUP,
					    "data-path configuration: the module's Tx power is not programmable (04h:196.7 clear)");
		long v = lround(cfg->tx_power_dbm * 100.0);
		if (isnan(cfg->tx_power_dbm) || v < lround(caps.tx_power_min_dbm * 100.0) ||
		    v > lround(caps.tx_power_max_dbm * 100.0))
			return lb_ctx_error(ctx, LB_E_RANGE,
					    "data-path configuration: Tx power %.2f dBm: the module takes %.2f..%.2f dBm",
					    cfg->tx_power_dbm, caps.tx_power_min_dbm, caps.tx_power_max_dbm);
		out->power_raw = (int16_t)v;
	}
	return LB_OK;
}

static void be16(uint8_t *b, int16_t v)
{
	uint16_t u = (uint16_t)v;
	b[0] = (uint8_t)(u >> 8);
	b[1] = (uint8_t)u;
}

int lb_coherent_stage_write(struct lb_module *m, const struct lb_coherent_stage *s, uint32_t media)
{
	if (!s->set)
		return LB_OK;
	/* up to four writes per lane; the buffers live as long as the plan */
	struct lb_mem_write w[4 * 8 * MAX_BANKS];
	uint8_t buf[8 * MAX_BANKS][7];
	unsigned n = 0;
	for (unsigned lane = 0; lane < 8 * MAX_BANKS; lane++) {
		if (!((media >> lane) & 1u))
			continue;
		uint8_t bank = (uint8_t)(lane / 8), i = (uint8_t)(lane % 8);
		uint8_t *b = buf[lane];
		b[0] = s->grid_byte;
		be16(&b[1], s->fine_mhz);
		be16(&b[3], s->channel);
		be16(&b[5], s->power_raw);
		if (s->set & LB_DP_CONFIG_GRID) {
			w[n++] = (struct lb_mem_write){ bank, 0x12, (uint8_t)(128 + i), 1, &b[0], 0 };
			if (s->set & LB_DP_CONFIG_FINE_TUNING)
				w[n++] = (struct lb_mem_write){ bank, 0x12, (uint8_t)(152 + 2 * i), 2, &b[1], 0 };
			w[n++] = (struct lb_mem_write){ bank, 0x12, (uint8_t)(136 + 2 * i), 2, &b[3], 0 };
		}
		if (s->set & LB_DP_CONFIG_TX_POWER)
			w[n++] = (struct lb_mem_write){ bank, 0x12, (uint8_t)(200 + 2 * i), 2, &b[5], 0 };
	}
	return n ? lb_module_write_plan(m, w, n, 0) : LB_OK;
}
