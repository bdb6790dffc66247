/* SPDX-License-Identifier: MIT */
/*
 * Data-path configuration as a value (struct lb_dp_config): applied with
 * lb_module_apply_config and brought up with lb_bringup_start_config, on the emulator.
 * AppSel, DataPathID, ExplicitControl and lanes are staged as given; their zero meanings
 * (first fitting application, every lane of it, each data path's first lane) resolve as the
 * older calls do, which are wrappers over these; coherent members a module cannot take, and
 * settings this library does not know, are refused before any write; the size rule of an
 * input struct.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <lightbridge/lightbridge.h>
#include "emu_rig.h"

static struct lb_bus_stats stats(struct lb_test_rig *r)
{
	struct lb_bus_stats s = LB_BUS_STATS_INIT;
	lb_bus_get_stats(r->bus, &s);
	return s;
}

static struct lb_lane_status lanes(struct lb_test_rig *r)
{
	struct lb_lane_status ls = LB_LANE_STATUS_INIT;
	assert_int_equal(lb_module_get_lane_status(r->m, &ls), LB_OK);
	return ls;
}

static uint8_t peek(struct lb_test_rig *r, uint8_t page, uint8_t offset)
{
	uint8_t v = 0;
	assert_int_equal(lb_emu_module_peek(r->emu, 0, page, offset, &v, 1), LB_OK);
	return v;
}

/* High power with every lane held in DPDeinit: the module takes any application now. */
static void ready_and_deactivated(struct lb_test_rig *r)
{
	assert_int_equal(lb_module_dp_deinit(r->m, 0xFF, true), LB_OK);
	assert_int_equal(lb_module_set_low_power(r->m, false), LB_OK);
	assert_int_equal(lb_module_wait_dp_state(r->m, 0xFF, LB_DP_STATE_DEACTIVATED, 1000), LB_OK);
}

/* AppSel, DataPathID and ExplicitControl land in SCS0 and, accepted, in the active set. */
static void test_apply_stages_appsel_dpid_and_ec(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "800g-dr8-osfp", 400, false);
	ready_and_deactivated(&r);
	/* 400G-DR4 (AppSel 2) on lanes 5-8, DataPathID named (4, the first lane), EC set */
	struct lb_dp_config cfg = LB_DP_CONFIG_INIT;
	cfg.lane_mask = 0xF0;
	cfg.appsel = 2;
	cfg.set = LB_DP_CONFIG_DPID;
	cfg.dpid = 4;
	cfg.explicit_control = true;
	int code = -1;
	assert_int_equal(lb_module_apply_config(r.m, &cfg, &code), LB_OK);
	assert_int_equal(code, 0);
	for (uint8_t l = 4; l < 8; l++) {
		assert_int_equal(peek(&r, 0x10, (uint8_t)(145 + l)), (2 << 4) | (4 << 1) | 1);
		assert_int_equal(peek(&r, 0x11, (uint8_t)(206 + l)), (2 << 4) | (4 << 1) | 1);
	}
	struct lb_lane_status ls = lanes(&r);
	for (unsigned l = 4; l < 8; l++) {
		assert_int_equal(ls.config_status[l], LB_CONFIG_STATUS_SUCCESS);
		assert_int_equal(ls.active_appsel[l], 2);
		assert_int_equal(ls.active_dpid[l], 4);
	}
	/* lanes 1-4 were not touched */
	assert_int_equal(peek(&r, 0x10, 145) & 0x01, 0);

	/* without the DPID bit each data path gets its first lane; EC clear */
	struct lb_dp_config two = LB_DP_CONFIG_INIT;
	two.lane_mask = 0x0F;
	two.appsel = 2;
	two.dpid = 6; /* ignored: its bit is not set */
	assert_int_equal(lb_module_apply_config(r.m, &two, &code), LB_OK);
	for (uint8_t l = 0; l < 4; l++)
		assert_int_equal(peek(&r, 0x10, (uint8_t)(145 + l)), (2 << 4) | (0 << 1));
	lb_test_rig_down(&r);
}

/* A DataPathID that is not the data path's first lane: the module's answer comes back. */
static void test_wrong_dpid_rejected_by_the_module(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "800g-dr8-osfp", 400, false);
	ready_and_deactivated(&r);
	struct lb_dp_config cfg = LB_DP_CONFIG_INIT;
	cfg.lane_mask = 0xF0;
	cfg.appsel = 2;
	cfg.set = LB_DP_CONFIG_DPID;
	cfg.dpid = 0;
	int code = 0;
	assert_int_equal(lb_module_apply_config(r.m, &cfg, &code), LB_E_REJECTED);
	assert_int_equal(code, LB_CONFIG_STATUS_REJECTED_INVALID_DATA_PATH);
	/* out of range is the library's to refuse, before any write */
	lb_bus_reset_stats(r.bus);
	cfg.dpid = 8;
	assert_int_equal(lb_module_apply_config(r.m, &cfg, &code), LB_E_INVAL);
	assert_int_equal(code, LB_CONFIG_STATUS_REJECTED_INVALID_DATA_PATH);
	assert_int_equal(stats(&r).writes, 0);
	lb_test_rig_down(&r);
}

/* appsel 0 and lane_mask 0 resolve as a bring-up resolves them; apply_app keeps them required. */
static void test_zero_meanings(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "800g-dr8-osfp", 400, false);
	ready_and_deactivated(&r);
	struct lb_dp_config cfg = LB_DP_CONFIG_INIT;
	cfg.lane_mask = 0x03; /* the first application that fits: 100G-DR (AppSel 3), twice */
	int code = 0;
	assert_int_equal(lb_module_apply_config(r.m, &cfg, &code), LB_OK);
	struct lb_lane_status ls = lanes(&r);
	assert_int_equal(ls.active_appsel[0], 3);
	assert_int_equal(ls.active_appsel[1], 3);
	assert_int_equal(ls.active_dpid[0], 0);
	assert_int_equal(ls.active_dpid[1], 1);
	cfg.lane_mask = 0; /* every lane AppSel 1 can occupy */
	cfg.appsel = 1;
	assert_int_equal(lb_module_apply_config(r.m, &cfg, &code), LB_OK);
	ls = lanes(&r);
	for (unsigned l = 0; l < 8; l++)
		assert_int_equal(ls.active_appsel[l], 1);
	/* the older call: both required, as before */
	assert_int_equal(lb_module_apply_app(r.m, 0, 1, &code), LB_E_INVAL);
	assert_int_equal(lb_module_apply_app(r.m, 0xFF, 0, &code), LB_E_INVAL);
	assert_int_equal(code, LB_CONFIG_STATUS_REJECTED_INVALID_APPSEL);
	lb_test_rig_down(&r);
}

/* Coherent members: refused with LB_E_NOTSUP and nothing written, and the reason said. */
static void test_coherent_members_refused_before_any_write(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "400g-fr4-qsfpdd", 400, false);
	struct lb_app_list apps;
	assert_int_equal(lb_module_get_apps(r.m, &apps), LB_OK);
	lb_bus_reset_stats(r.bus);
	struct lb_dp_config cfg = LB_DP_CONFIG_INIT;
	cfg.appsel = 1;
	cfg.set = LB_DP_CONFIG_CHANNEL;
	cfg.channel = 12;
	int code = -1;
	assert_int_equal(lb_module_apply_config(r.m, &cfg, &code), LB_E_NOTSUP);
	assert_non_null(strstr(lb_ctx_last_error(r.ctx), "tunable"));
	cfg.set = LB_DP_CONFIG_TX_POWER;
	cfg.tx_power_dbm = -10.0;
	assert_int_equal(lb_module_apply_config(r.m, &cfg, &code), LB_E_NOTSUP);
	/* and in a bring-up: it ends at its first step */
	struct lb_bringup *b;
	assert_int_equal(lb_bringup_start_config(r.m, &cfg, NULL, &b), LB_OK);
	assert_int_equal(lb_bringup_step(b, NULL), LB_E_NOTSUP);
	lb_bringup_free(b);
	/* values page 12h cannot hold are refused as such */
	cfg.set = LB_DP_CONFIG_GRID;
	cfg.grid_spacing_mhz = 60000;
	assert_int_equal(lb_module_apply_config(r.m, &cfg, &code), LB_E_INVAL);
	cfg.set = LB_DP_CONFIG_CHANNEL;
	cfg.channel = 40000;
	assert_int_equal(lb_module_apply_config(r.m, &cfg, &code), LB_E_RANGE);
	assert_int_equal(stats(&r).writes, 0);
	lb_test_rig_down(&r);

	/* a tunable module: what page 04h does not allow is refused before any write */
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "coherent-800g-qsfpdd", 400, false);
	assert_int_equal(lb_module_get_apps(r.m, &apps), LB_OK);
	lb_bus_reset_stats(r.bus);
	cfg = (struct lb_dp_config)LB_DP_CONFIG_INIT;
	cfg.appsel = 1;
	cfg.set = LB_DP_CONFIG_GRID | LB_DP_CONFIG_CHANNEL;
	cfg.grid_spacing_mhz = 50000; /* not advertised */
	cfg.channel = 0;
	assert_int_equal(lb_module_apply_config(r.m, &cfg, &code), LB_E_RANGE);
	cfg.grid_spacing_mhz = 75000;
	cfg.channel = 1; /* off the 75 GHz grid (multiples of 3) */
	assert_int_equal(lb_module_apply_config(r.m, &cfg, &code), LB_E_RANGE);
	cfg.channel = 123; /* beyond the high channel, 120 */
	assert_int_equal(lb_module_apply_config(r.m, &cfg, &code), LB_E_RANGE);
	cfg.channel = 0;
	cfg.set |= LB_DP_CONFIG_FINE_TUNING;
	cfg.fine_tuning_mhz = 150; /* not on the 100 MHz resolution */
	assert_int_equal(lb_module_apply_config(r.m, &cfg, &code), LB_E_RANGE);
	cfg.fine_tuning_mhz = 7000; /* beyond +6 GHz */
	assert_int_equal(lb_module_apply_config(r.m, &cfg, &code), LB_E_RANGE);
	cfg.set = LB_DP_CONFIG_TX_POWER;
	cfg.tx_power_dbm = 2.0; /* above +1 dBm */
	assert_int_equal(lb_module_apply_config(r.m, &cfg, &code), LB_E_RANGE);
	cfg.tx_power_dbm = NAN;
	assert_int_equal(lb_module_apply_config(r.m, &cfg, &code), LB_E_RANGE);
	cfg.set = LB_DP_CONFIG_CHANNEL; /* a channel without its grid */
	assert_int_equal(lb_module_apply_config(r.m, &cfg, &code), LB_E_INVAL);
	cfg.set = LB_DP_CONFIG_GRID; /* a grid without its channel */
	assert_int_equal(lb_module_apply_config(r.m, &cfg, &code), LB_E_INVAL);
	/* page 04h was read (one select of it), nothing was written */
	assert_int_equal(stats(&r).writes, stats(&r).select_writes);
	assert_true(stats(&r).select_writes <= 1);
	lb_test_rig_down(&r);
}

/*
 * Coherent members staged with the application: page 12h written before ApplyDPInit, so the
 * data path comes up on the configured frequency and power (failed before: LB_E_NOTSUP).
 */
static void test_coherent_members_staged(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "coherent-800g-qsfpdd", 1000, false);
	struct lb_dp_config cfg = LB_DP_CONFIG_INIT;
	cfg.appsel = 1;
	cfg.explicit_control = true;
	cfg.set = LB_DP_CONFIG_GRID | LB_DP_CONFIG_CHANNEL | LB_DP_CONFIG_FINE_TUNING |
		  LB_DP_CONFIG_TX_POWER;
	cfg.grid_spacing_mhz = 75000;
	cfg.channel = 12;             /* 193.4 THz */
	cfg.fine_tuning_mhz = -300;   /* 193.3997 THz */
	cfg.tx_power_dbm = -6.5;
	struct lb_bringup *b;
	assert_int_equal(lb_bringup_start_config(r.m, &cfg, NULL, &b), LB_OK);
	uint64_t wake;
	int rc;
	while ((rc = lb_bringup_step(b, &wake)) == LB_E_AGAIN)
		if (wake > lb_bus_now_ns(r.bus))
			lb_bus_sleep_ns(r.bus, wake - lb_bus_now_ns(r.bus));
	assert_int_equal(rc, LB_OK);
	lb_bringup_free(b);
	struct lb_laser_status s = LB_LASER_STATUS_INIT;
	assert_int_equal(lb_laser_wait_tuned(r.m, 1, &s), LB_OK);
	assert_int_equal(s.grid, LB_LASER_GRID_75_GHZ);
	assert_int_equal(s.channel, 12);
	assert_true(s.fine_tuning);
	assert_true(fabs(s.configured_ghz - 193399.7) < 1e-6);
	assert_true(fabs(s.current_ghz - 193399.7) < 1e-6);
	assert_true(fabs(s.tx_power_target_dbm + 6.5) < 1e-9);
	assert_int_equal(lb_emu_module_dp_state(r.emu, 1), LB_DP_STATE_ACTIVATED);
	/* the same with lb_module_apply_config, data path down: power alone */
	assert_int_equal(lb_module_dp_deinit(r.m, 0xFF, true), LB_OK);
	assert_int_equal(lb_module_wait_dp_state(r.m, 0xFF, LB_DP_STATE_DEACTIVATED, 5000), LB_OK);
	cfg.set = LB_DP_CONFIG_TX_POWER;
	cfg.tx_power_dbm = 0.25;
	int code = -1;
	assert_int_equal(lb_module_apply_config(r.m, &cfg, &code), LB_OK);
	assert_int_equal(lb_laser_get_status(r.m, 1, &s), LB_OK);
	assert_true(fabs(s.tx_power_target_dbm - 0.25) < 1e-9);
	assert_int_equal(s.channel, 12); /* untouched */
	lb_test_rig_down(&r);
}

/* The size rule of an input struct, and settings of a newer layout. */
struct newer_config {
	struct lb_dp_config c;
	uint64_t future; /* a member this library does not have */
};

static void test_size_rule(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "800g-dr8-osfp", 400, false);
	ready_and_deactivated(&r);
	lb_bus_reset_stats(r.bus);
	struct lb_dp_config zero = { 0 };
	int code;
	assert_int_equal(lb_module_apply_config(r.m, &zero, &code), LB_E_INVAL);
	assert_int_equal(lb_module_apply_config(r.m, NULL, &code), LB_E_INVAL);
	struct lb_dp_config small = LB_DP_CONFIG_INIT;
	small.size = LB_DP_CONFIG_SIZE_V1 - 1;
	assert_int_equal(lb_module_apply_config(r.m, &small, &code), LB_E_INVAL);
	struct lb_bringup *b = NULL;
	assert_int_equal(lb_bringup_start_config(r.m, &small, NULL, &b), LB_E_INVAL);
	assert_null(b);
	/* a set bit of a newer layout is refused, not dropped */
	struct newer_config nc;
	memset(&nc, 0, sizeof(nc));
	nc.c.size = sizeof(nc);
	nc.c.appsel = 1;
	nc.c.set = 0x80000000u;
	nc.future = 0xdeadbeef;
	assert_int_equal(lb_module_apply_config(r.m, &nc.c, &code), LB_E_NOTSUP);
	assert_int_equal(stats(&r).writes, 0);
	/* a newer layout whose extra members are not set is applied */
	nc.c.set = 0;
	assert_int_equal(lb_module_apply_config(r.m, &nc.c, &code), LB_OK);
	lb_test_rig_down(&r);
}

/* A bring-up from a configuration; up already is left alone, unless EC asks for a new apply. */
static void test_bring_up_from_a_config(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "800g-dr8-osfp", 400, false);
	struct lb_dp_config cfg = LB_DP_CONFIG_INIT;
	cfg.lane_mask = 0x0F;
	cfg.appsel = 2;
	cfg.set = LB_DP_CONFIG_DPID;
	cfg.dpid = 0;
	struct lb_bringup *b;
	assert_int_equal(lb_bringup_start_config(r.m, &cfg, NULL, &b), LB_OK);
	cfg.appsel = 9; /* the operation took a copy */
	uint64_t wake;
	int rc;
	while ((rc = lb_bringup_step(b, &wake)) == LB_E_AGAIN)
		lb_emu_world_advance_ns(r.world, wake - lb_bus_now_ns(r.bus));
	assert_int_equal(rc, LB_OK);
	uint32_t mask;
	uint8_t appsel;
	lb_bringup_get_target(b, &mask, &appsel);
	assert_int_equal(mask, 0x0F);
	assert_int_equal(appsel, 2);
	lb_bringup_free(b);
	struct lb_lane_status ls = lanes(&r);
	for (unsigned l = 0; l < 4; l++) {
		assert_int_equal(ls.dp_state[l], LB_DP_STATE_ACTIVATED);
		assert_int_equal(ls.active_appsel[l], 2);
	}
	/* the same again: already up, nothing written */
	cfg.appsel = 2;
	lb_bus_reset_stats(r.bus);
	assert_int_equal(lb_bringup_start_config(r.m, &cfg, NULL, &b), LB_OK);
	assert_int_equal(lb_bringup_step(b, NULL), LB_OK);
	lb_bringup_free(b);
	assert_int_equal(stats(&r).writes - stats(&r).select_writes, 0); /* page selects only */
	/* with ExplicitControl it is staged and applied again */
	cfg.explicit_control = true;
	assert_int_equal(lb_bringup_start_config(r.m, &cfg, NULL, &b), LB_OK);
	while ((rc = lb_bringup_step(b, &wake)) == LB_E_AGAIN)
		lb_emu_world_advance_ns(r.world, wake - lb_bus_now_ns(r.bus));
	assert_int_equal(rc, LB_OK);
	lb_bringup_free(b);
	assert_true(stats(&r).writes > stats(&r).select_writes);
	assert_int_equal(peek(&r, 0x11, 206) & 0x01, 1);
	ls = lanes(&r);
	for (unsigned l = 0; l < 8; l++)
		assert_int_equal(ls.active_explicit_control[l], l < 4);
	/* and without it again: the set with ExplicitControl is not the application's, so it is
	 * applied again, EC cleared (the fault campaign found it taken for "up already") */
	cfg.explicit_control = false;
	assert_int_equal(lb_bringup_start_config(r.m, &cfg, NULL, &b), LB_OK);
	while ((rc = lb_bringup_step(b, &wake)) == LB_E_AGAIN)
		lb_emu_world_advance_ns(r.world, wake - lb_bus_now_ns(r.bus));
	assert_int_equal(rc, LB_OK);
	lb_bringup_free(b);
	assert_int_equal(peek(&r, 0x11, 206), 2 << 4);
	assert_false(lanes(&r).active_explicit_control[0]);
	assert_int_equal(lb_bringup_start_config(r.m, NULL, NULL, &b), LB_E_INVAL);
	lb_test_rig_down(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_apply_stages_appsel_dpid_and_ec),
		cmocka_unit_test(test_wrong_dpid_rejected_by_the_module),
		cmocka_unit_test(test_zero_meanings),
		cmocka_unit_test(test_coherent_members_refused_before_any_write),
		cmocka_unit_test(test_coherent_members_staged),
		cmocka_unit_test(test_size_rule),
		cmocka_unit_test(test_bring_up_from_a_config),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
