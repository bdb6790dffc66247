/* SPDX-License-Identifier: MIT */
/*
 * Laser grids: names, spacings, and channel <-> frequency (CMIS 5.4 Table 8-98). The
 * arithmetic is exact: frequencies are counted in thirds of a MHz, so that the 33 GHz grid
 * (steps of 100/3 GHz) lands on whole units like every other grid.
 */
#include <math.h>
#include <stdint.h>
#include <lightbridge/coherent.h>
#include <lightbridge/status.h>
#include "hal/coherent/coherent_internal.h"

/* 193.1 THz in thirds of a MHz. */
#define ANCHOR_THIRD_MHZ (193100000LL * 3)

static const struct grid {
	const char *name;
	double spacing_ghz;
	int64_t step;      /* thirds of a MHz per channel number */
	int offset;        /* f = anchor + (n + offset) x step */
	int multiple;      /* n must be a multiple of this */
} grids[LB_LASER_GRID_COUNT] = {
	[LB_LASER_GRID_3P125_GHZ] = { "3.125 GHz", 3.125, 3125 * 3, 0, 1 },
	[LB_LASER_GRID_6P25_GHZ] = { "6.25 GHz", 6.25, 6250 * 3, 0, 1 },
	[LB_LASER_GRID_12P5_GHZ] = { "12.5 GHz", 12.5, 12500 * 3, 0, 1 },
	[LB_LASER_GRID_25_GHZ] = { "25 GHz", 25.0, 25000 * 3, 0, 1 },
	[LB_LASER_GRID_50_GHZ] = { "50 GHz", 50.0, 50000 * 3, 0, 1 },
	[LB_LASER_GRID_100_GHZ] = { "100 GHz", 100.0, 100000 * 3, 0, 1 },
	[LB_LASER_GRID_33_GHZ] = { "33 GHz (100/3)", 100.0 / 3.0, 100000, 0, 1 },
	[LB_LASER_GRID_75_GHZ] = { "75 GHz", 75.0, 25000 * 3, 0, 3 },
	[LB_LASER_GRID_150_GHZ] = { "150 GHz", 150.0, 25000 * 3, 3, 6 },
	[LB_LASER_GRID_300_GHZ] = { "300 GHz", 300.0, 12500 * 3, -9, 24 },
};

static const struct grid *grid_of(int grid)
{
	return grid >= 0 && grid < LB_LASER_GRID_COUNT ? &grids[grid] : NULL;
}

LB_API const char *lb_laser_grid_name(int grid)
{
	const struct grid *g = grid_of(grid);
	if (g)
		return g->name;
	return grid == LB_LASER_GRID_NONE ? "none" : "reserved";
}

LB_API double lb_laser_grid_spacing_ghz(int grid)
{
	const struct grid *g = grid_of(grid);
	return g ? g->spacing_ghz : 0.0;
}

LB_API int lb_laser_channel_to_ghz(int grid, int channel, double *ghz)
{
	const struct grid *g = grid_of(grid);
	if (!g || !ghz)
		return LB_E_INVAL;
	if (channel % g->multiple || channel < INT16_MIN || channel > INT16_MAX)
		return LB_E_RANGE;
	int64_t f = ANCHOR_THIRD_MHZ + (int64_t)(channel + g->offset) * g->step;
	*ghz = (double)f / 3000.0;
	return LB_OK;
}

LB_API int lb_laser_ghz_to_channel(int grid, double ghz, int *channel)
{
	const struct grid *g = grid_of(grid);
	if (!g || !channel)
		return LB_E_INVAL;
	/* Beyond any S16 channel of any grid (and NAN, infinities): off the grid. */
	if (!(ghz > 100000.0 && ghz < 300000.0))
		return LB_E_RANGE;
	int64_t d = (int64_t)llround(ghz * 3000.0) - ANCHOR_THIRD_MHZ;
	int64_t k = d >= 0 ? (d + g->step / 2) / g->step : -((-d + g->step / 2) / g->step);
	int64_t off = d - k * g->step;
	if (off < -3 || off > 3) /* within 1 MHz */
		return LB_E_RANGE;
	int64_t n = k - g->offset;
	if (n < INT16_MIN || n > INT16_MAX || n % g->multiple)
		return LB_E_RANGE;
	*channel = (int)n;
	return LB_OK;
}

int lb_coherent_grid_of_code(uint8_t code, uint8_t revision)
{
	code &= 0x0Fu;
	/* CMIS 4.0 numbered the 33 and 75 GHz grids the other way round (5.0 swapped them). */
	if (revision == 0x40 && (code == LB_LASER_GRID_33_GHZ || code == LB_LASER_GRID_75_GHZ))
		return code == LB_LASER_GRID_33_GHZ ? LB_LASER_GRID_75_GHZ : LB_LASER_GRID_33_GHZ;
	return code < LB_LASER_GRID_COUNT ? code : LB_LASER_GRID_NONE;
}
