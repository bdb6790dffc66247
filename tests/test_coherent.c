/* SPDX-License-Identifier: MIT */
/*
 * Coherent optics (include/lightbridge/coherent.h): which modules are coherent, the laser
 * grids and channel arithmetic, page 04h capabilities, page 12h status and its latched
 * flags, VDM types, F16 and the VDM read, on the emulated coherent and non-coherent
 * profiles and on the real 800ZR image.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <lightbridge/lightbridge.h>
#include "hal/coherent/coherent_internal.h"
#include "emu_rig.h"
#include "image_file.h"
#include "test_run.h"

#define NEAR(a, b, eps) (fabs((double)(a) - (double)(b)) <= (eps))

/* ---- grids ---- */

static void test_grid_worked_examples(void **state)
{
	(void)state;
	double f = 0;
	/* reference/cmis.md 9.3 worked examples */
	assert_int_equal(lb_laser_channel_to_ghz(LB_LASER_GRID_75_GHZ, 0, &f), LB_OK);
	assert_true(NEAR(f, 193100.0, 1e-9));
	assert_int_equal(lb_laser_channel_to_ghz(LB_LASER_GRID_75_GHZ, 120, &f), LB_OK);
	assert_true(NEAR(f, 196100.0, 1e-9));
	assert_int_equal(lb_laser_channel_to_ghz(LB_LASER_GRID_75_GHZ, -72, &f), LB_OK);
	assert_true(NEAR(f, 191300.0, 1e-9));
	assert_int_equal(lb_laser_channel_to_ghz(LB_LASER_GRID_150_GHZ, 0, &f), LB_OK);
	assert_true(NEAR(f, 193175.0, 1e-9));
	assert_int_equal(lb_laser_channel_to_ghz(LB_LASER_GRID_33_GHZ, 3, &f), LB_OK);
	assert_true(NEAR(f, 193200.0, 1e-9));
	assert_int_equal(lb_laser_channel_to_ghz(LB_LASER_GRID_33_GHZ, 1, &f), LB_OK);
	assert_true(NEAR(f, 193100.0 + 100.0 / 3.0, 1e-9));
	assert_int_equal(lb_laser_channel_to_ghz(LB_LASER_GRID_300_GHZ, 0, &f), LB_OK);
	assert_true(NEAR(f, 193100.0 - 9 * 12.5, 1e-9));
	assert_int_equal(lb_laser_channel_to_ghz(LB_LASER_GRID_3P125_GHZ, -1, &f), LB_OK);
	assert_true(NEAR(f, 193096.875, 1e-9));
	/* channels a grid does not take; f untouched */
	f = -1;
	assert_int_equal(lb_laser_channel_to_ghz(LB_LASER_GRID_75_GHZ, 1, &f), LB_E_RANGE);
	assert_int_equal(lb_laser_channel_to_ghz(LB_LASER_GRID_150_GHZ, 3, &f), LB_E_RANGE);
	assert_int_equal(lb_laser_channel_to_ghz(LB_LASER_GRID_300_GHZ, 12, &f), LB_E_RANGE);
	assert_int_equal(lb_laser_channel_to_ghz(LB_LASER_GRID_100_GHZ, 40000, &f), LB_E_RANGE);
	assert_true(f == -1);
	assert_int_equal(lb_laser_channel_to_ghz(LB_LASER_GRID_NONE, 0, &f), LB_E_INVAL);
	assert_int_equal(lb_laser_channel_to_ghz(10, 0, &f), LB_E_INVAL);
	assert_int_equal(lb_laser_channel_to_ghz(LB_LASER_GRID_75_GHZ, 0, NULL), LB_E_INVAL);
}

static void test_grid_reverse(void **state)
{
	(void)state;
	/* every grid, a spread of channels, there and back */
	for (int g = 0; g < LB_LASER_GRID_COUNT; g++) {
		for (int n = -480; n <= 480; n += 24) {
			double f;
			int back = 99999;
			assert_int_equal(lb_laser_channel_to_ghz(g, n, &f), LB_OK);
			assert_int_equal(lb_laser_ghz_to_channel(g, f, &back), LB_OK);
			assert_int_equal(back, n);
			/* 2 MHz off: not on the grid */
			assert_int_equal(lb_laser_ghz_to_channel(g, f + 0.002, &back), LB_E_RANGE);
			assert_int_equal(back, n);
		}
	}
	int n = 0;
	/* on the 25 GHz raster but not on the 75 GHz grid's multiples of 3 */
	assert_int_equal(lb_laser_ghz_to_channel(LB_LASER_GRID_75_GHZ, 193125.0, &n), LB_E_RANGE);
	assert_int_equal(lb_laser_ghz_to_channel(LB_LASER_GRID_33_GHZ, 193133.333, &n), LB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(lb_laser_ghz_to_channel(LB_LASER_GRID_33_GHZ, 193133.0, &n), LB_E_RANGE);
	assert_int_equal(lb_laser_ghz_to_channel(LB_LASER_GRID_75_GHZ, NAN, &n), LB_E_RANGE);
	assert_int_equal(lb_laser_ghz_to_channel(LB_LASER_GRID_75_GHZ, 0.0, &n), LB_E_RANGE);
	/* beyond an S16 channel */
	assert_int_equal(lb_laser_ghz_to_channel(LB_LASER_GRID_3P125_GHZ, 299000.0, &n), LB_E_RANGE);
	assert_int_equal(lb_laser_ghz_to_channel(LB_LASER_GRID_NONE, 193100.0, &n), LB_E_INVAL);
	assert_string_equal(lb_laser_grid_name(LB_LASER_GRID_33_GHZ), "33 GHz (100/3)");
	assert_string_equal(lb_laser_grid_name(LB_LASER_GRID_NONE), "none");
	assert_string_equal(lb_laser_grid_name(12), "reserved");
	assert_true(NEAR(lb_laser_grid_spacing_ghz(LB_LASER_GRID_33_GHZ), 100.0 / 3.0, 1e-12));
	assert_true(lb_laser_grid_spacing_ghz(-1) == 0.0);
}

static void test_grid_codes_cmis40_swap(void **state)
{
	(void)state;
	assert_int_equal(lb_coherent_grid_of_code(6, 0x40), LB_LASER_GRID_75_GHZ);
	assert_int_equal(lb_coherent_grid_of_code(7, 0x40), LB_LASER_GRID_33_GHZ);
	assert_int_equal(lb_coherent_grid_of_code(5, 0x40), LB_LASER_GRID_100_GHZ);
	assert_int_equal(lb_coherent_grid_of_code(6, 0x50), LB_LASER_GRID_33_GHZ);
	assert_int_equal(lb_coherent_grid_of_code(7, 0x53), LB_LASER_GRID_75_GHZ);
	assert_int_equal(lb_coherent_grid_of_code(10, 0x50), LB_LASER_GRID_NONE);
	assert_int_equal(lb_coherent_grid_of_code(15, 0x50), LB_LASER_GRID_NONE);
	/* the same page 12h byte decodes by the module's revision */
	uint8_t p12[128];
	memset(p12, 0, sizeof(p12));
	p12[0] = 0x60; /* grid code 6, channel 0 */
	struct lb_laser_status s = LB_LASER_STATUS_INIT;
	lb_coherent_decode_laser(p12, 0, 0x40, &s);
	assert_int_equal(s.grid, LB_LASER_GRID_75_GHZ);
	assert_true(NEAR(s.configured_ghz, 193100.0, 1e-9));
	p12[8] = 0x00, p12[9] = 0x01; /* channel 1: not on the 75 GHz grid */
	lb_coherent_decode_laser(p12, 0, 0x40, &s);
	assert_true(isnan(s.configured_ghz));
	lb_coherent_decode_laser(p12, 0, 0x50, &s);
	assert_int_equal(s.grid, LB_LASER_GRID_33_GHZ);
	assert_true(NEAR(s.configured_ghz, 193100.0 + 100.0 / 3.0, 1e-9));
}

/* ---- VDM types and F16 ---- */

static void test_vdm_f16(void **state)
{
	(void)state;
	assert_true(lb_vdm_f16_value(0x0000) == 0.0);
	assert_true(NEAR(lb_vdm_f16_value((uint16_t)(24u << 11 | 5u)), 5.0, 1e-12));
	assert_true(NEAR(lb_vdm_f16_value((uint16_t)(0u << 11 | 1u)), 1e-24, 1e-36));
	assert_true(NEAR(lb_vdm_f16_value(0xFFFF), 2047e7, 1.0));
	/* 0x71da: E = 14, M = 0x1da = 474: 4.74e-8 */
	assert_true(NEAR(lb_vdm_f16_value(0x71da), 474e-10, 1e-18));
	assert_true(NEAR(lb_vdm_value(15, 0x71da), 474e-10, 1e-18));
	assert_true(isnan(lb_vdm_value(100, 1)));
	assert_true(isnan(lb_vdm_value(0, 1)));
}

static void test_vdm_types(void **state)
{
	(void)state;
	static const unsigned defined[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
		17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 77, 78, 79, 80,
		81, 82, 83, 84, 128, 129, 130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 140, 141,
		142, 143, 144, 145, 146, 147, 148, 149, 150, 151, 152 };
	unsigned found = 0;
	for (unsigned id = 0; id < 256; id++) {
		const struct lb_vdm_type *t = lb_vdm_type_find(id);
		bool want = false;
		for (size_t i = 0; i < sizeof(defined) / sizeof(defined[0]); i++)
			want |= defined[i] == id;
		assert_int_equal(t != NULL, want);
		if (!t)
			continue;
		found++;
		assert_int_equal(t->id, id);
		assert_non_null(t->name);
		assert_non_null(t->unit);
		assert_non_null(t->key);
		assert_true(t->format >= LB_VDM_FORMAT_U16 && t->format <= LB_VDM_FORMAT_F16);
		/* a key with a unit names it */
		if (strcmp(t->unit, "dB") == 0)
			assert_non_null(strstr(t->key, "_db"));
		if (strcmp(t->unit, "dBm") == 0)
			assert_non_null(strstr(t->key, "_dbm"));
	}
	assert_int_equal(found, sizeof(defined) / sizeof(defined[0]));
	assert_true(NEAR(lb_vdm_value(140, 0x009c), 15.6, 1e-9));   /* eSNR 0.1 dB */
	assert_true(NEAR(lb_vdm_value(143, 0xff36), -2.02, 1e-9));  /* Tx power S16 0.01 dBm */
	assert_true(NEAR(lb_vdm_value(135, 0xffff), -20.0, 1e-9));  /* CD long, 20 ps/nm */
	assert_true(NEAR(lb_vdm_value(4, 0x267d), 9853.0 / 256.0, 1e-9));
	assert_string_equal(lb_vdm_type_find(139)->unit, "dB");
	assert_true(lb_vdm_type_find(13)->statistic);
	assert_false(lb_vdm_type_find(15)->statistic);
}

/* ---- on the emulated coherent module ---- */

static void test_coherent_profile(void **state)
{
	(void)state;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "coherent-800g-qsfpdd", 400, false);
	assert_int_equal(lb_module_is_coherent(r.m), 1);

	struct lb_laser_caps c = LB_LASER_CAPS_INIT;
	assert_int_equal(lb_laser_get_caps(r.m, &c), LB_OK);
	assert_int_equal(c.size, sizeof(c));
	assert_true(c.checksum_ok);
	assert_int_equal(c.grids, 1u << LB_LASER_GRID_75_GHZ | 1u << LB_LASER_GRID_100_GHZ |
				      1u << LB_LASER_GRID_150_GHZ);
	assert_int_equal(c.low_channel[LB_LASER_GRID_75_GHZ], -72);
	assert_int_equal(c.high_channel[LB_LASER_GRID_75_GHZ], 120);
	assert_true(NEAR(c.low_ghz[LB_LASER_GRID_75_GHZ], 191300.0, 1e-9));
	assert_true(NEAR(c.high_ghz[LB_LASER_GRID_75_GHZ], 196100.0, 1e-9));
	assert_int_equal(c.low_channel[LB_LASER_GRID_100_GHZ], -18);
	assert_int_equal(c.high_channel[LB_LASER_GRID_100_GHZ], 30);
	assert_int_equal(c.low_channel[LB_LASER_GRID_150_GHZ], -72);
	assert_int_equal(c.high_channel[LB_LASER_GRID_150_GHZ], 114);
	assert_true(c.fine_tuning);
	assert_true(c.tx_power_programmable);
	assert_true(NEAR(c.tx_power_min_dbm, -13.0, 1e-9));
	assert_true(NEAR(c.tx_power_max_dbm, 1.0, 1e-9));

	struct lb_laser_status s = LB_LASER_STATUS_INIT;
	assert_int_equal(lb_laser_get_status(r.m, 1, &s), LB_OK);
	assert_int_equal(s.lane, 1);
	assert_int_equal(s.grid, LB_LASER_GRID_75_GHZ);
	assert_int_equal(s.channel, 0);
	assert_true(NEAR(s.configured_ghz, 193100.0, 1e-9));
	assert_true(NEAR(s.current_ghz, 193100.0, 1e-9));
	assert_true(NEAR(s.tx_power_target_dbm, -10.0, 1e-9));
	assert_int_equal(s.state, LB_TUNING_STATE_LOCKED);
	assert_string_equal(lb_tuning_state_name((int)s.state), "locked");
	/* with full-page reads: one read for lane 1 (128-231), two for lane 2 (its flag apart) */
	struct lb_bus_stats b0 = lb_test_rig_stats(&r);
	assert_int_equal(lb_laser_get_status(r.m, 1, &s), LB_OK);
	struct lb_bus_stats b1 = lb_test_rig_stats(&r);
	assert_int_equal(lb_laser_get_status(r.m, 2, &s), LB_OK);
	struct lb_bus_stats b2 = lb_test_rig_stats(&r);
	assert_int_equal(b1.reads - b0.reads, 1);
	assert_int_equal(b2.reads - b1.reads, 2);
	assert_int_equal(b2.select_writes - b0.select_writes, 0); /* page 12h stays in force */
	/* lanes the module does not have */
	assert_int_equal(lb_laser_get_status(r.m, 0, &s), LB_E_INVAL);
	assert_int_equal(lb_laser_get_status(r.m, 9, &s), LB_E_INVAL);
	assert_non_null(strstr(lb_module_last_error(r.m), "lanes 1-8"));
	/* sizes */
	struct lb_laser_caps small = { 0 };
	small.size = 8;
	assert_int_equal(lb_laser_get_caps(r.m, &small), LB_E_INVAL);
	assert_int_equal(lb_laser_get_caps(NULL, &c), LB_E_INVAL);
	lb_test_rig_down(&r);
}

/* Latched tuning flags: read once, reported, cleared; the other lanes' flags stay. */
static void test_tuning_flags_latched(void **state)
{
	(void)state;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "coherent-800g-qsfpdd", 400, false);
	uint8_t flags[2] = { LB_TUNEFLAG_COMPLETE | LB_TUNEFLAG_INVALID_CHANNEL,
			     LB_TUNEFLAG_WAVELENGTH_UNLOCKED };
	assert_int_equal(lb_emu_module_poke(r.emu, 0, 0x12, 231, flags, 2), LB_OK);
	struct lb_laser_status s = LB_LASER_STATUS_INIT;
	assert_int_equal(lb_laser_get_status(r.m, 1, &s), LB_OK);
	assert_int_equal(s.flags, LB_TUNEFLAG_COMPLETE | LB_TUNEFLAG_INVALID_CHANNEL);
	assert_int_equal(s.state, LB_TUNING_STATE_FAULT);
	assert_int_equal(lb_laser_get_status(r.m, 1, &s), LB_OK);
	assert_int_equal(s.flags, 0);
	assert_int_equal(s.state, LB_TUNING_STATE_LOCKED);
	uint8_t b = 0;
	assert_int_equal(lb_emu_module_peek(r.emu, 0, 0x12, 232, &b, 1), LB_OK);
	assert_int_equal(b, LB_TUNEFLAG_WAVELENGTH_UNLOCKED); /* lane 2's flag is still latched */
	assert_int_equal(lb_laser_get_status(r.m, 2, &s), LB_OK);
	assert_int_equal(s.flags, LB_TUNEFLAG_WAVELENGTH_UNLOCKED);
	/* real-time status: unlocked (in progress is test_set_frequency's) */
	uint8_t st = 0x01;
	assert_int_equal(lb_emu_module_poke(r.emu, 0, 0x12, 222, &st, 1), LB_OK);
	assert_int_equal(lb_laser_get_status(r.m, 1, &s), LB_OK);
	assert_int_equal(s.state, LB_TUNING_STATE_UNLOCKED);
	lb_test_rig_down(&r);
}

static void test_not_coherent(void **state)
{
	(void)state;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "400g-fr4-qsfpdd", 400, false);
	assert_int_equal(lb_module_is_coherent(r.m), 0);
	struct lb_laser_caps c = LB_LASER_CAPS_INIT;
	c.grids = 0xdead;
	assert_int_equal(lb_laser_get_caps(r.m, &c), LB_E_NOTSUP);
	assert_int_equal(c.grids, 0); /* the prefix is filled with zeros */
	assert_non_null(strstr(lb_module_last_error(r.m), "not tunable"));
	struct lb_laser_status s = LB_LASER_STATUS_INIT;
	assert_int_equal(lb_laser_get_status(r.m, 1, &s), LB_E_NOTSUP);
	lb_test_rig_down(&r);
}

/* A page 04h whose checksum fails is reported, decoded anyway. */
static void test_caps_checksum(void **state)
{
	(void)state;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "coherent-800g-qsfpdd", 400, false);
	uint8_t b = 0;
	assert_int_equal(lb_emu_module_peek(r.emu, 0, 0x04, 255, &b, 1), LB_OK);
	b = (uint8_t)(b + 1);
	assert_int_equal(lb_emu_module_poke(r.emu, 0, 0x04, 255, &b, 1), LB_OK);
	struct lb_laser_caps c = LB_LASER_CAPS_INIT;
	assert_int_equal(lb_laser_get_caps(r.m, &c), LB_E_CHECKSUM);
	assert_false(c.checksum_ok);
	assert_int_equal(c.high_channel[LB_LASER_GRID_75_GHZ], 120);
	assert_non_null(strstr(lb_module_last_error(r.m), "page 04h checksum"));
	lb_test_rig_down(&r);
}

/* Tx power: one write of the S16 when in range; out of range writes nothing. */
static void test_set_tx_power(void **state)
{
	(void)state;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "coherent-800g-qsfpdd", 400, false);
	struct lb_laser_caps c = LB_LASER_CAPS_INIT;
	assert_int_equal(lb_laser_get_caps(r.m, &c), LB_OK);
	struct lb_bus_stats before = lb_test_rig_stats(&r);
	assert_int_equal(lb_laser_set_tx_power(r.m, 1, -5.5), LB_OK);
	struct lb_bus_stats after = lb_test_rig_stats(&r);
	/* one data write (and the select of page 12h) */
	assert_int_equal(after.writes - before.writes - (after.select_writes - before.select_writes),
			 1);
	uint8_t b[2];
	assert_int_equal(lb_emu_module_peek(r.emu, 0, 0x12, 200, b, 2), LB_OK);
	assert_int_equal(b[0], 0xfd); /* -550 = 0xfdda */
	assert_int_equal(b[1], 0xda);
	struct lb_laser_status s = LB_LASER_STATUS_INIT;
	assert_int_equal(lb_laser_get_status(r.m, 1, &s), LB_OK);
	assert_true(NEAR(s.tx_power_target_dbm, -5.5, 1e-9));
	/* the range's own ends are taken, beyond them nothing is written */
	assert_int_equal(lb_laser_set_tx_power(r.m, 1, 1.0), LB_OK);
	assert_int_equal(lb_laser_set_tx_power(r.m, 1, -13.0), LB_OK);
	assert_int_equal(lb_laser_set_tx_power(r.m, 1, 1.01), LB_E_RANGE);
	assert_non_null(strstr(lb_module_last_error(r.m), "-13.00..1.00 dBm"));
	assert_int_equal(lb_laser_set_tx_power(r.m, 1, -13.01), LB_E_RANGE);
	assert_int_equal(lb_laser_set_tx_power(r.m, 1, NAN), LB_E_RANGE);
	assert_int_equal(lb_laser_set_tx_power(r.m, 9, 0.0), LB_E_INVAL);
	assert_int_equal(lb_emu_module_peek(r.emu, 0, 0x12, 200, b, 2), LB_OK);
	assert_int_equal(b[0], 0xfa); /* -1300 = 0xfaec */
	assert_int_equal(b[1], 0xec);
	lb_test_rig_down(&r);

	lb_test_rig_profile(&r, LB_SOURCE_DIR, "400g-fr4-qsfpdd", 400, false);
	assert_int_equal(lb_laser_set_tx_power(r.m, 1, 0.0), LB_E_NOTSUP);
	lb_test_rig_down(&r);
}

static void sleep_ms(struct lb_test_rig *r, uint64_t ms)
{
	lb_bus_sleep_ns(r->bus, ms * 1000000ull);
}

static void peek12(struct lb_test_rig *r, uint8_t out[128])
{
	assert_int_equal(lb_emu_module_peek(r->emu, 0, 0x12, 128, out, 128), LB_OK);
}

/* Tuning by frequency: grid and channel chosen, the emulated laser moves on virtual time. */
static void test_set_frequency(void **state)
{
	(void)state;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "coherent-800g-qsfpdd", 400, false);
	struct lb_laser_status s = LB_LASER_STATUS_INIT;

	/* on the lane's own 75 GHz grid: channel 120 */
	assert_int_equal(lb_laser_set_frequency(r.m, 1, 196100.0), LB_OK);
	assert_int_equal(lb_laser_get_status(r.m, 1, &s), LB_OK);
	assert_int_equal(s.grid, LB_LASER_GRID_75_GHZ);
	assert_int_equal(s.channel, 120);
	assert_false(s.fine_tuning);
	assert_true(NEAR(s.configured_ghz, 196100.0, 1e-9));
	assert_int_equal(s.state, LB_TUNING_STATE_IN_PROGRESS);
	assert_true(NEAR(s.current_ghz, 193100.0, 1e-9)); /* not there yet */
	sleep_ms(&r, 1100);
	assert_int_equal(lb_laser_get_status(r.m, 1, &s), LB_OK);
	assert_int_equal(s.state, LB_TUNING_STATE_LOCKED);
	assert_int_equal(s.flags, LB_TUNEFLAG_COMPLETE);
	assert_true(NEAR(s.current_ghz, 196100.0, 1e-9));

	/* 193.2 THz is not on the 75 GHz grid (n = 4): the 100 GHz grid, channel 1 */
	assert_int_equal(lb_laser_set_frequency(r.m, 1, 193200.0), LB_OK);
	sleep_ms(&r, 1100);
	assert_int_equal(lb_laser_get_status(r.m, 1, &s), LB_OK);
	assert_int_equal(s.grid, LB_LASER_GRID_100_GHZ);
	assert_int_equal(s.channel, 1);
	assert_true(NEAR(s.current_ghz, 193200.0, 1e-9));

	/* off every grid, within fine tuning of the 100 GHz grid's channel 1: +3.4 GHz */
	assert_int_equal(lb_laser_set_frequency(r.m, 1, 193203.4), LB_OK);
	sleep_ms(&r, 1100);
	assert_int_equal(lb_laser_get_status(r.m, 1, &s), LB_OK);
	assert_true(s.fine_tuning);
	assert_int_equal(s.channel, 1);
	assert_true(NEAR(s.fine_offset_ghz, 3.4, 1e-9));
	assert_true(NEAR(s.configured_ghz, 193203.4, 1e-9));
	assert_true(NEAR(s.current_ghz, 193203.4, 1e-9));
	assert_int_equal(s.state, LB_TUNING_STATE_LOCKED);

	/* what the module cannot take writes nothing */
	uint8_t before[128], after[128];
	peek12(&r, before);
	assert_int_equal(lb_laser_set_frequency(r.m, 1, 193203.45), LB_E_RANGE); /* 0.1 GHz steps */
	assert_non_null(strstr(lb_module_last_error(r.m), "193203.450 GHz"));
	assert_int_equal(lb_laser_set_frequency(r.m, 1, 200000.0), LB_E_RANGE);
	assert_int_equal(lb_laser_set_frequency(r.m, 1, NAN), LB_E_RANGE);
	assert_int_equal(lb_laser_set_channel(r.m, 1, LB_LASER_GRID_50_GHZ, 0), LB_E_RANGE);
	assert_int_equal(lb_laser_set_channel(r.m, 1, LB_LASER_GRID_75_GHZ, 1), LB_E_RANGE);
	assert_non_null(strstr(lb_module_last_error(r.m), "multiples of 3"));
	assert_int_equal(lb_laser_set_channel(r.m, 1, LB_LASER_GRID_75_GHZ, 123), LB_E_RANGE);
	assert_int_equal(lb_laser_set_channel(r.m, 1, LB_LASER_GRID_NONE, 0), LB_E_INVAL);
	assert_int_equal(lb_laser_set_channel(r.m, 9, LB_LASER_GRID_75_GHZ, 0), LB_E_INVAL);
	peek12(&r, after);
	assert_memory_equal(before, after, 128);

	/* by grid and channel: the 150 GHz grid's channel -72 (191.375 THz) */
	assert_int_equal(lb_laser_set_channel(r.m, 1, LB_LASER_GRID_150_GHZ, -72), LB_OK);
	sleep_ms(&r, 1100);
	assert_int_equal(lb_laser_get_status(r.m, 1, &s), LB_OK);
	assert_int_equal(s.grid, LB_LASER_GRID_150_GHZ);
	assert_false(s.fine_tuning);
	assert_true(NEAR(s.current_ghz, 191375.0, 1e-9));
	lb_test_rig_down(&r);

	lb_test_rig_profile(&r, LB_SOURCE_DIR, "400g-fr4-qsfpdd", 400, false);
	assert_int_equal(lb_laser_set_frequency(r.m, 1, 193100.0), LB_E_NOTSUP);
	assert_int_equal(lb_laser_set_channel(r.m, 1, LB_LASER_GRID_75_GHZ, 0), LB_E_NOTSUP);
	lb_test_rig_down(&r);
}

/* The emulated module refuses a channel written behind the library's back. */
static void test_emulated_invalid_channel(void **state)
{
	(void)state;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "coherent-800g-qsfpdd", 400, false);
	uint8_t ch[2] = { 0x00, 0x7b }; /* 123: past the 75 GHz grid's 120 */
	assert_int_equal(lb_module_write(r.m, 0, 0x12, 136, ch, 2), LB_OK);
	struct lb_laser_status s = LB_LASER_STATUS_INIT;
	assert_int_equal(lb_laser_get_status(r.m, 1, &s), LB_OK);
	assert_int_equal(s.flags, LB_TUNEFLAG_INVALID_CHANNEL);
	assert_int_equal(s.state, LB_TUNING_STATE_FAULT);
	assert_true(NEAR(s.current_ghz, 193100.0, 1e-9));
	lb_test_rig_down(&r);
}

/* Decoding the state: in progress wins over a fault, a fault over unlocked. */
static void test_tuning_state_decode(void **state)
{
	(void)state;
	uint8_t p12[128];
	memset(p12, 0, sizeof(p12));
	struct lb_laser_status s = LB_LASER_STATUS_INIT;
	p12[222 - 128 + 2] = 0x03, p12[231 - 128 + 2] = LB_TUNEFLAG_NOT_ACCEPTED;
	lb_coherent_decode_laser(p12, 2, 0x50, &s);
	assert_int_equal(s.state, LB_TUNING_STATE_IN_PROGRESS);
	p12[222 - 128 + 2] = 0x01;
	lb_coherent_decode_laser(p12, 2, 0x50, &s);
	assert_int_equal(s.state, LB_TUNING_STATE_FAULT);
	p12[231 - 128 + 2] = LB_TUNEFLAG_COMPLETE;
	lb_coherent_decode_laser(p12, 2, 0x50, &s);
	assert_int_equal(s.state, LB_TUNING_STATE_UNLOCKED);
	p12[222 - 128 + 2] = 0xFC; /* reserved bits are not status */
	lb_coherent_decode_laser(p12, 2, 0x50, &s);
	assert_int_equal(s.status, 0);
	assert_int_equal(s.state, LB_TUNING_STATE_LOCKED);
}

/*
 * A lane that reads "in progress" with no tuning under way in the emulator (a state saved
 * without "tuning", or bytes poked) arrives where its registers say at the next read.
 */
static void test_emulated_tuning_without_timer(void **state)
{
	(void)state;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "coherent-800g-qsfpdd", 400, false);
	uint8_t ch[2] = { 0x00, 0x78 }, st = 0x03; /* channel 120 of the 75 GHz grid, tuning */
	assert_int_equal(lb_emu_module_poke(r.emu, 0, 0x12, 136, ch, 2), LB_OK);
	assert_int_equal(lb_emu_module_poke(r.emu, 0, 0x12, 222, &st, 1), LB_OK);
	struct lb_laser_status s = LB_LASER_STATUS_INIT;
	assert_int_equal(lb_laser_get_status(r.m, 1, &s), LB_OK);
	assert_int_equal(s.state, LB_TUNING_STATE_LOCKED);
	assert_int_equal(s.flags, LB_TUNEFLAG_COMPLETE);
	assert_true(NEAR(s.current_ghz, 196100.0, 1e-9));
	lb_test_rig_down(&r);
}

/*
 * A tuning under way is part of the emulator's saved state: a module restored mid-tuning goes
 * on tuning and arrives when the original would have.
 */
static void test_emulated_tuning_saved(void **state)
{
	(void)state;
	struct lb_test_rig a, b;
	lb_test_rig_profile(&a, LB_SOURCE_DIR, "coherent-800g-qsfpdd", 400, false);
	assert_int_equal(lb_laser_set_frequency(a.m, 1, 196100.0), LB_OK);
	sleep_ms(&a, 300);
	struct lb_laser_status s = LB_LASER_STATUS_INIT;
	assert_int_equal(lb_laser_get_status(a.m, 1, &s), LB_OK);
	assert_int_equal(s.state, LB_TUNING_STATE_IN_PROGRESS);
	char *json = NULL;
	assert_int_equal(lb_emu_module_save_state(a.emu, &json), LB_OK);
	assert_non_null(strstr(json, "\"tuning\":[{"));
	uint64_t now = lb_emu_world_now_ns(a.world);
	lb_test_rig_down(&a);

	lb_test_rig_profile(&b, LB_SOURCE_DIR, "coherent-800g-qsfpdd", 400, false);
	lb_emu_world_set_now_ns(b.world, now);
	assert_int_equal(lb_emu_module_load_state(b.emu, json), LB_OK);
	assert_int_equal(lb_laser_get_status(b.m, 1, &s), LB_OK);
	assert_int_equal(s.state, LB_TUNING_STATE_IN_PROGRESS); /* still on its way */
	assert_true(NEAR(s.current_ghz, 193100.0, 1e-9));
	sleep_ms(&b, 800);
	assert_int_equal(lb_laser_get_status(b.m, 1, &s), LB_OK);
	assert_int_equal(s.state, LB_TUNING_STATE_LOCKED);
	assert_true(NEAR(s.current_ghz, 196100.0, 1e-9));

	/* a tuning that would end further ahead than a tuning lasts is no saved state */
	char *bad = strdup(json);
	assert_non_null(bad);
	char *d = strstr(bad, "\"done_ns\":");
	assert_non_null(d);
	d += strlen("\"done_ns\":");
	size_t digits = strspn(d, "0123456789");
	assert_true(digits >= 10);
	memset(d, '9', digits); /* as many digits, all nines: seconds ahead of the module */
	assert_int_equal(lb_emu_module_load_state(b.emu, bad), LB_E_PARSE);
	free(bad);
	free(json);
	lb_test_rig_down(&b);
}

/* VDM on the emulated module: the instances poked into its pages, decoded. */
static void test_vdm_emulated(void **state)
{
	(void)state;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "coherent-800g-qsfpdd", 400, false);
	/* group 1: eSNR lane 1 (set 2), OSNR module-level; group 2: pre-FEC BER current lane 1 */
	uint8_t d1[4] = { 0x20, 140, 0x0F, 139 }, v1[4] = { 0x00, 0x9c, 0x01, 0x53 };
	uint8_t d2[2] = { 0x00, 15 }, v2[2] = { 0x71, 0xda }, none[128] = { 0 };
	assert_int_equal(lb_emu_module_poke(r.emu, 0, 0x20, 128, none, 128), LB_OK); /* the profile's */
	assert_int_equal(lb_emu_module_poke(r.emu, 0, 0x20, 128, d1, 4), LB_OK);
	assert_int_equal(lb_emu_module_poke(r.emu, 0, 0x24, 128, v1, 4), LB_OK);
	assert_int_equal(lb_emu_module_poke(r.emu, 0, 0x21, 130, d2, 2), LB_OK);
	assert_int_equal(lb_emu_module_poke(r.emu, 0, 0x25, 130, v2, 2), LB_OK);
	struct lb_vdm *v = calloc(1, sizeof(*v));
	assert_non_null(v);
	v->size = sizeof(*v);
	/* threshold set 2 of group 1: eSNR 25.0 / 10.0 / 22.0 / 12.0 dB */
	uint8_t t2[8] = { 0x00, 0xfa, 0x00, 0x64, 0x00, 0xdc, 0x00, 0x78 };
	assert_int_equal(lb_emu_module_poke(r.emu, 0, 0x28, 128 + 16, t2, 8), LB_OK);
	assert_int_equal(lb_vdm_read(r.m, 0, 0, v), LB_OK);
	assert_true(isnan(v->inst[0].high_alarm)); /* not asked */
	assert_int_equal(lb_vdm_read(r.m, 0, 0x4, v), LB_E_INVAL);
	assert_int_equal(v->count, 0);
	struct lb_bus_stats before = lb_test_rig_stats(&r);
	assert_int_equal(lb_vdm_read(r.m, 0, LB_VDM_THRESHOLDS, v), LB_OK);
	struct lb_bus_stats after = lb_test_rig_stats(&r);
	/*
	 * full-page reads: samples and thresholds of 2 groups, one read each; 2Fh:128 and the
	 * descriptors were read by the first call, once per insertion
	 */
	assert_int_equal(after.reads - before.reads, 4);
	assert_true(NEAR(v->inst[0].high_alarm, 25.0, 1e-9));
	assert_true(NEAR(v->inst[0].low_alarm, 10.0, 1e-9));
	assert_true(NEAR(v->inst[0].high_warning, 22.0, 1e-9));
	assert_true(NEAR(v->inst[0].low_warning, 12.0, 1e-9));
	assert_true(NEAR(v->inst[1].high_alarm, 60.0, 1e-9)); /* set 0: the profile's OSNR set */
	assert_int_equal(v->groups, 2);
	assert_int_equal(v->count, 3);
	assert_int_equal(v->inst[0].type, 140);
	assert_int_equal(v->inst[0].lane, 1);
	assert_int_equal(v->inst[0].threshold_set, 2);
	assert_true(NEAR(v->inst[0].value, 15.6, 1e-9));
	assert_int_equal(v->inst[1].type, 139);
	assert_int_equal(v->inst[1].lane, 0);
	assert_int_equal(v->inst[1].object, 15);
	assert_true(NEAR(v->inst[1].value, 33.9, 1e-9));
	assert_int_equal(v->inst[2].group, 2);
	assert_int_equal(v->inst[2].index, 1);
	assert_true(NEAR(v->inst[2].value, 4.74e-8, 1e-18));
	/* a bank the module lacks, a size too small */
	assert_int_equal(lb_vdm_read(r.m, 1, 0, v), LB_E_NOTSUP);
	v->size = 8;
	assert_int_equal(lb_vdm_read(r.m, 0, 0, v), LB_E_INVAL);
	free(v);
	lb_test_rig_down(&r);

	/* a module without VDM */
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "400g-fr4-qsfpdd", 400, false);
	struct lb_vdm *w = calloc(1, sizeof(*w));
	assert_non_null(w);
	w->size = sizeof(*w);
	int rc = lb_vdm_read(r.m, 0, 0, w);
	uint8_t p142 = 0;
	assert_int_equal(lb_module_read(r.m, 0, 0x01, 142, &p142, 1), LB_OK);
	if (p142 & 0x40)
		assert_int_equal(rc, LB_OK);
	else
		assert_int_equal(rc, LB_E_NOTSUP);
	free(w);
	lb_test_rig_down(&r);
}

/* ---- the real 800ZR image ---- */

static const struct lb_vdm_instance *find_type(const struct lb_vdm *v, unsigned type)
{
	for (unsigned i = 0; i < v->count; i++)
		if (v->inst[i].type == type)
			return &v->inst[i];
	return NULL;
}

static void test_real_images_coherent_800zr(void **state)
{
	(void)state;
	char path[4200];
	const char *dir = lb_test_modules_dir();
	struct lb_test_rig r;
	lb_test_rig_image(&r, lb_test_path(path, sizeof(path), dir,
					   "acacia-dp08sfp8-800zr-osfp-fboss.txt"), 400, false);
	assert_int_equal(lb_module_is_coherent(r.m), 1);
	/* FBOSS: laser at 193100000 MHz, not tuning, locked (from the fixture's page 12h) */
	struct lb_laser_status s = LB_LASER_STATUS_INIT;
	assert_int_equal(lb_laser_get_status(r.m, 1, &s), LB_OK);
	assert_true(NEAR(s.current_ghz, 193100.0, 1e-9));
	assert_int_equal(s.status & 0x02, 0);
	assert_int_equal(s.status & 0x01, 0);

	struct lb_vdm *v = calloc(1, sizeof(*v));
	assert_non_null(v);
	v->size = sizeof(*v);
	assert_int_equal(lb_vdm_read(r.m, 0, 0, v), LB_OK);
	assert_int_equal(v->groups, 4); /* FBOSS: vdm_supported_groups 4 */
	/* FBOSS's page 27h expectations: modulator biases x100 truncated, CD low, SOPMD low */
	static const struct { unsigned type; int x100; } bias[] = {
		{ 128, 4591 }, { 129, 3792 }, { 130, 4663 }, { 131, 3899 }, { 132, 4155 }, { 133, 3988 },
	};
	for (size_t i = 0; i < sizeof(bias) / sizeof(bias[0]); i++) {
		const struct lb_vdm_instance *x = find_type(v, bias[i].type);
		assert_non_null(x);
		assert_int_equal((int)(x->value * 100), bias[i].x100);
		assert_string_equal(lb_vdm_type_find(x->type)->unit, "%");
	}
	assert_true(NEAR(find_type(v, 135)->value, 0.0, 1e-12));
	assert_true(NEAR(find_type(v, 149)->value, 69.0, 1e-12));
	/* the coherent observables the image holds (page 27h) */
	assert_true(NEAR(find_type(v, 139)->value, 33.9, 1e-9));  /* OSNR */
	assert_true(NEAR(find_type(v, 140)->value, 15.6, 1e-9));  /* eSNR */
	assert_true(NEAR(find_type(v, 143)->value, -2.02, 1e-9)); /* Tx power */
	assert_true(NEAR(find_type(v, 150)->value, 4.1, 1e-9));   /* SNR margin */
	/* group 1: SNR (media) per host lane 1-8, types 6 on lanes 1-8 */
	const struct lb_vdm_instance *snr = find_type(v, 6);
	assert_non_null(snr);
	assert_int_equal(snr->group, 1);
	assert_int_equal(snr->lane, 1);
	assert_true(NEAR(snr->value, 0x075c / 256.0, 1e-12));
	free(v);
	lb_test_rig_down(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grid_worked_examples),
		cmocka_unit_test(test_grid_reverse),
		cmocka_unit_test(test_grid_codes_cmis40_swap),
		cmocka_unit_test(test_vdm_f16),
		cmocka_unit_test(test_vdm_types),
		cmocka_unit_test(test_coherent_profile),
		cmocka_unit_test(test_tuning_flags_latched),
		cmocka_unit_test(test_not_coherent),
		cmocka_unit_test(test_caps_checksum),
		cmocka_unit_test(test_set_tx_power),
		cmocka_unit_test(test_set_frequency),
		cmocka_unit_test(test_emulated_invalid_channel),
		cmocka_unit_test(test_tuning_state_decode),
		cmocka_unit_test(test_emulated_tuning_without_timer),
		cmocka_unit_test(test_emulated_tuning_saved),
		cmocka_unit_test(test_vdm_emulated),
		cmocka_unit_test(test_real_images_coherent_800zr),
	};
	return LB_TEST_RUN(tests, NULL, NULL);
}
