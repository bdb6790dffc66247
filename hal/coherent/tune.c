/* SPDX-License-Identifier: MIT */
/*
 * Tuning a laser: choose grid, channel and fine-tuning offset for a frequency against what page
 * 04h advertises, then write them to page 12h in one plan (grid byte, offset, channel last:
 * the channel starts the tuning). Nothing is written for a frequency the module cannot take.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <lightbridge/coherent.h>
#include <lightbridge/status.h>
#include "hal/cmis/module_internal.h"
#include "hal/cmis/regs.h"
#include "hal/coherent/coherent_internal.h"

/* What to write: grid, channel, and a fine-tuning offset in MHz when fine is set. */
struct tune_choice {
	int grid, channel;
	bool fine;
	int fine_mhz;
};

/* Grids from the coarsest: the one a frequency is looked for first after the lane's own. */
static const int coarsest_first[LB_LASER_GRID_COUNT] = {
	LB_LASER_GRID_300_GHZ, LB_LASER_GRID_150_GHZ, LB_LASER_GRID_100_GHZ, LB_LASER_GRID_75_GHZ,
	LB_LASER_GRID_50_GHZ, LB_LASER_GRID_33_GHZ, LB_LASER_GRID_25_GHZ, LB_LASER_GRID_12P5_GHZ,
	LB_LASER_GRID_6P25_GHZ, LB_LASER_GRID_3P125_GHZ,
};

static bool channel_ok(const struct lb_laser_caps *c, int grid, int channel)
{
	double f;
	return grid >= 0 && grid < LB_LASER_GRID_COUNT && ((c->grids >> grid) & 1u) &&
	       channel >= c->low_channel[grid] && channel <= c->high_channel[grid] &&
	       lb_laser_channel_to_ghz(grid, channel, &f) == LB_OK;
}

/* ghz exactly on an advertised channel of grid. */
static bool exact(const struct lb_laser_caps *c, int grid, double ghz, struct tune_choice *out)
{
	int n;
	if (lb_laser_ghz_to_channel(grid, ghz, &n) || !channel_ok(c, grid, n))
		return false;
	*out = (struct tune_choice){ grid, n, false, 0 };
	return true;
}

/* The advertised channel of grid nearest ghz whose offset the fine tuning takes. */
static bool fine(const struct lb_laser_caps *c, int grid, double ghz, struct tune_choice *out)
{
	if (!c->fine_tuning || grid < 0 || grid >= LB_LASER_GRID_COUNT || !((c->grids >> grid) & 1u))
		return false;
	double spacing = lb_laser_grid_spacing_ghz(grid);
	bool found = false;
	for (int n = c->low_channel[grid]; n <= c->high_channel[grid]; n++) {
		double f;
		if (lb_laser_channel_to_ghz(grid, n, &f) || fabs(ghz - f) > spacing)
			continue;
		long off = lround((ghz - f) * 1000.0);
		if (fabs((ghz - f) * 1000.0 - (double)off) > 1.0)
			continue;
		long res = lround(c->fine_resolution_ghz * 1000.0);
		if (off < lround(c->fine_low_offset_ghz * 1000.0) ||
		    off > lround(c->fine_high_offset_ghz * 1000.0) || (res > 0 && off % res))
			continue;
		if (!found || labs(off) < labs((long)out->fine_mhz))
			*out = (struct tune_choice){ grid, n, true, (int)off };
		found = true;
	}
	return found;
}

static bool choose(const struct lb_laser_caps *c, int current, double ghz, struct tune_choice *out)
{
	if (exact(c, current, ghz, out))
		return true;
	for (int k = 0; k < LB_LASER_GRID_COUNT; k++)
		if (exact(c, coarsest_first[k], ghz, out))
			return true;
	if (fine(c, current, ghz, out))
		return true;
	for (int k = 0; k < LB_LASER_GRID_COUNT; k++)
		if (fine(c, coarsest_first[k], ghz, out))
			return true;
	return false;
}

/* The module, its lane and its capabilities, or why not. */
static int prepare(struct lb_module *m, unsigned lane, const struct lb_module_adv **adv,
		   struct lb_laser_caps *caps)
{
	if (!m)
		return LB_E_INVAL;
	int rc = lb_module_get_adv(m, adv);
	if (rc)
		return rc;
	if ((*adv)->flat || !((*adv)->tx_controls & LB_CMIS_P01_TX_CTRL_TUNABLE))
		return lb_ctx_error(lb_module_ctx(m), LB_E_NOTSUP,
				    "the module is not tunable (01h:155.6 clear): no laser pages 04h and 12h");
	if (lane < 1 || lane > 8u * (*adv)->banks)
		return lb_ctx_error(lb_module_ctx(m), LB_E_INVAL, "lane %u: the module has lanes 1-%u",
				    lane, 8u * (*adv)->banks);
	*caps = (struct lb_laser_caps)LB_LASER_CAPS_INIT;
	return lb_laser_get_caps(m, caps);
}

/* Grid byte (keeping bits 3-1), the offset when fine tuning, the channel last: one plan. */
static int write_choice(struct lb_module *m, unsigned lane, uint8_t revision, uint8_t grid_byte,
			const struct tune_choice *t)
{
	unsigned i = (lane - 1) % 8;
	uint8_t bank = (uint8_t)((lane - 1) / 8);
	/* the grid's code as the module numbers it (CMIS 4.0 swaps 33 and 75 GHz both ways) */
	uint8_t code = (uint8_t)lb_coherent_grid_of_code((uint8_t)t->grid, revision);
	uint8_t g = (uint8_t)((unsigned)code << 4 | (grid_byte & 0x0Eu) | (t->fine ? 0x01u : 0x00u));
	uint16_t off = (uint16_t)(int16_t)t->fine_mhz, ch = (uint16_t)(int16_t)t->channel;
	uint8_t fb[2] = { (uint8_t)(off >> 8), (uint8_t)off };
	uint8_t cb[2] = { (uint8_t)(ch >> 8), (uint8_t)ch };
	struct lb_mem_write w[3];
	unsigned n = 0;
	w[n++] = (struct lb_mem_write){ bank, 0x12, (uint8_t)(128 + i), 1, &g, 0 };
	if (t->fine)
		w[n++] = (struct lb_mem_write){ bank, 0x12, (uint8_t)(152 + 2 * i), 2, fb, 0 };
	w[n++] = (struct lb_mem_write){ bank, 0x12, (uint8_t)(136 + 2 * i), 2, cb, 0 };
	return lb_module_write_plan(m, w, n, 0);
}

static int read_grid_byte(struct lb_module *m, unsigned lane, uint8_t *g)
{
	return lb_module_read(m, (uint8_t)((lane - 1) / 8), 0x12, (uint8_t)(128 + (lane - 1) % 8), g,
			      1);
}

static int laser_set_channel(struct lb_module *m, unsigned lane, int grid, int channel)
{
	const struct lb_module_adv *adv;
	struct lb_laser_caps caps;
	int rc = prepare(m, lane, &adv, &caps);
	if (rc)
		return rc;
	if (grid < 0 || grid >= LB_LASER_GRID_COUNT)
		return lb_ctx_error(lb_module_ctx(m), LB_E_INVAL, "grid %d: no such grid", grid);
	if (!((caps.grids >> grid) & 1u))
		return lb_ctx_error(lb_module_ctx(m), LB_E_RANGE,
				    "the %s grid is not one the module advertises (page 04h)",
				    lb_laser_grid_name(grid));
	if (!channel_ok(&caps, grid, channel))
		return lb_ctx_error(lb_module_ctx(m), LB_E_RANGE,
				    "channel %d of the %s grid: the module takes %d..%d%s", channel,
				    lb_laser_grid_name(grid), caps.low_channel[grid],
				    caps.high_channel[grid],
				    grid == LB_LASER_GRID_75_GHZ ? " (multiples of 3)"
				    : grid == LB_LASER_GRID_150_GHZ ? " (multiples of 6)"
				    : grid == LB_LASER_GRID_300_GHZ ? " (multiples of 24)" : "");
	uint8_t g;
	if ((rc = read_grid_byte(m, lane, &g)))
		return rc;
	struct tune_choice t = { grid, channel, false, 0 };
	return write_choice(m, lane, adv->revision, g, &t);
}

LB_API int lb_laser_set_channel(struct lb_module *m, unsigned lane, int grid, int channel)
{
	return LB_MODULE_CALL(m, laser_set_channel(m, lane, grid, channel));
}

static int laser_set_frequency(struct lb_module *m, unsigned lane, double ghz)
{
	const struct lb_module_adv *adv;
	struct lb_laser_caps caps;
	int rc = prepare(m, lane, &adv, &caps);
	if (rc)
		return rc;
	uint8_t g;
	if ((rc = read_grid_byte(m, lane, &g)))
		return rc;
	struct tune_choice t;
	if (isnan(ghz) || !choose(&caps, lb_coherent_grid_of_code((uint8_t)(g >> 4), adv->revision),
				  ghz, &t))
		return lb_ctx_error(lb_module_ctx(m), LB_E_RANGE,
				    "%.3f GHz: on no channel of the grids the module advertises%s", ghz,
				    caps.fine_tuning ? ", nor within its fine-tuning range" : "");
	return write_choice(m, lane, adv->revision, g, &t);
}

LB_API int lb_laser_set_frequency(struct lb_module *m, unsigned lane, double ghz)
{
	return LB_MODULE_CALL(m, laser_set_frequency(m, lane, ghz));
}
