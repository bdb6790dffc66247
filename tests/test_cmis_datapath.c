/* SPDX-License-Identifier: MIT */
/*
 * Data paths on the emulator: stage + ApplyDPInit, every ConfigStatus rejection surfaced by
 * name (by the library from the advertisement, and by the module itself), lane status,
 * DPDeinit and the Tx disable OR rule, bus errors in the middle of a sequence, removal
 * during a bring-up, banked lanes 9-16.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <lightbridge/lightbridge.h>
#include "hal/cmis/control_regs.h"
#include "emu_rig.h"

static uint64_t now(struct lb_test_rig *r)
{
	return lb_emu_world_now_ns(r->world);
}

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

/* High power with every lane held in DPDeinit: the module takes any application now. */
static void ready_and_deactivated(struct lb_test_rig *r, uint32_t mask)
{
	assert_int_equal(lb_module_dp_deinit(r->m, mask, true), LB_OK);
	assert_int_equal(lb_module_set_low_power(r->m, false), LB_OK);
	assert_int_equal(lb_module_wait_dp_state(r->m, mask, LB_DP_STATE_DEACTIVATED, 1000), LB_OK);
}

/* The module itself, bypassing the library's checks: raw SCS0 bytes and ApplyDPInit. */
static void raw_apply(struct lb_test_rig *r, uint8_t bank, const uint8_t cfg[8], uint8_t apply)
{
	assert_int_equal(lb_module_write(r->m, bank, 0x10, 145, cfg, 8), LB_OK);
	assert_int_equal(lb_module_write(r->m, bank, 0x10, 143, &apply, 1), LB_OK);
	/* let the module finish (apply_ns is a few ms) */
	lb_emu_world_advance_ns(r->world, 100000000u);
}

/* ---- names ---- */

static void test_names(void **unused)
{
	(void)unused;
	static const char *const dp[] = { "reserved", "DPDeactivated", "DPInit", "DPDeinit",
					  "DPActivated", "DPTxTurnOn", "DPTxTurnOff", "DPInitialized",
					  "reserved" };
	for (int i = 0; i <= 8; i++)
		assert_string_equal(lb_dp_state_name(i), dp[i]);
	assert_string_equal(lb_dp_state_name(-1), "reserved");
	static const char *const cfg[16] = {
		"ConfigUndefined", "ConfigSuccess", "ConfigRejected", "ConfigRejectedInvalidAppSel",
		"ConfigRejectedInvalidDataPath", "ConfigRejectedInvalidSI", "ConfigRejectedLanesInUse",
		"ConfigRejectedPartialDataPath", "ConfigRejectedNoEmulation", "reserved", "reserved",
		"reserved", "ConfigInProgress", "ConfigRejectedCustom", "ConfigRejectedCustom",
		"ConfigRejectedCustom",
	};
	for (int i = 0; i < 16; i++)
		assert_string_equal(lb_config_status_name(i), cfg[i]);
	assert_string_equal(lb_config_status_name(16), "reserved");
	assert_string_equal(lb_config_status_name(-1), "reserved");
	/* the public enum carries the codes of CMIS 5.4 Table 8-92 */
	static const struct { enum lb_config_status code; int value; } table[] = {
		{ LB_CONFIG_STATUS_UNDEFINED, 0x0 }, { LB_CONFIG_STATUS_SUCCESS, 0x1 },
		{ LB_CONFIG_STATUS_REJECTED, 0x2 }, { LB_CONFIG_STATUS_REJECTED_INVALID_APPSEL, 0x3 },
		{ LB_CONFIG_STATUS_REJECTED_INVALID_DATA_PATH, 0x4 },
		{ LB_CONFIG_STATUS_REJECTED_INVALID_SI, 0x5 },
		{ LB_CONFIG_STATUS_REJECTED_LANES_IN_USE, 0x6 },
		{ LB_CONFIG_STATUS_REJECTED_PARTIAL_DATA_PATH, 0x7 },
		{ LB_CONFIG_STATUS_REJECTED_NO_EMULATION, 0x8 }, { LB_CONFIG_STATUS_IN_PROGRESS, 0xC },
		{ LB_CONFIG_STATUS_REJECTED_CUSTOM_FIRST, 0xD }, { LB_CONFIG_STATUS_REJECTED_CUSTOM_LAST, 0xF },
	};
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		assert_int_equal((int)table[i].code, table[i].value);
		assert_string_equal(lb_config_status_name((int)table[i].code), cfg[table[i].value]);
	}
}

/* ---- apply ---- */

static void test_apply_success(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "800g-dr8-osfp", 400, false);
	ready_and_deactivated(&r, 0xFF);
	/* AppSel 2: 400G-DR4 on lanes 1-4 and 5-8 (two data paths, DataPathID 0 and 4) */
	int code = -1;
	struct lb_emu_timing t;
	lb_emu_module_get_timing(r.emu, &t);
	uint64_t t0 = now(&r);
	assert_int_equal(lb_module_apply_app(r.m, 0xFF, 2, &code), LB_OK);
	assert_int_equal(code, 0);
	assert_true(now(&r) - t0 >= t.apply_ns);
	struct lb_lane_status ls = lanes(&r);
	assert_int_equal(ls.lanes, 8);
	for (unsigned i = 0; i < 8; i++) {
		assert_int_equal(ls.config_status[i], 0x1);
		assert_string_equal(lb_config_status_name(ls.config_status[i]), "ConfigSuccess");
		assert_int_equal(ls.active_appsel[i], 2);
		assert_int_equal(ls.active_dpid[i], i < 4 ? 0 : 4);
		assert_true(ls.dp_init_pending[i]);
		assert_true(ls.dp_deinit[i]);
		assert_int_equal(ls.dp_state[i], LB_DP_STATE_DEACTIVATED);
	}
	/* the staged bytes are AppSel << 4 | DataPathID << 1 */
	uint8_t scs[8];
	assert_int_equal(lb_emu_module_peek(r.emu, 0, 0x10, 145, scs, 8), LB_OK);
	assert_int_equal(scs[0], 0x20);
	assert_int_equal(scs[5], 0x28);
	/* one data path alone: 100G-DR on lane 3 */
	assert_int_equal(lb_module_apply_app(r.m, 0x04, 3, NULL), LB_OK);
	ls = lanes(&r);
	assert_int_equal(ls.active_appsel[2], 3);
	assert_int_equal(ls.active_dpid[2], 2);
	assert_int_equal(ls.active_appsel[3], 2); /* untouched */
	/* then init: DPDeinit cleared on lane 3 only -> that DP activates */
	assert_int_equal(lb_module_dp_deinit(r.m, 0x04, false), LB_OK);
	assert_int_equal(lb_module_wait_dp_state(r.m, 0x04, LB_DP_STATE_ACTIVATED, 5000), LB_OK);
	assert_int_equal(lb_emu_module_dp_state(r.emu, 3), LB_DP_STATE_ACTIVATED);
	assert_int_equal(lb_emu_module_dp_state(r.emu, 4), LB_DP_STATE_DEACTIVATED);
	assert_false(lanes(&r).dp_init_pending[2]);
	lb_test_rig_down(&r);
}

/* What the advertisement already rules out is refused before any bus write, with the code. */
static void test_library_rejections_named_before_any_write(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "800g-dr8-osfp", 400, false);
	struct lb_app_list apps;
	assert_int_equal(lb_module_get_apps(r.m, &apps), LB_OK); /* warm the caches */
	assert_int_equal(apps.count, 4);
	struct lb_lane_status ls = lanes(&r);
	(void)ls;
	lb_bus_reset_stats(r.bus);
	int code;
	/* not advertised */
	assert_int_equal(lb_module_apply_app(r.m, 0xFF, 15, &code), LB_E_INVAL);
	assert_string_equal(lb_config_status_name(code), "ConfigRejectedInvalidAppSel");
	assert_int_equal(lb_module_apply_app(r.m, 0xFF, 0, &code), LB_E_INVAL);
	assert_int_equal(code, 3);
	/* 800G-DR8 may start on lane 1 only: lanes 5-8 are a wrong lane combination */
	assert_int_equal(lb_module_apply_app(r.m, 0xF0, 1, &code), LB_E_INVAL);
	assert_string_equal(lb_config_status_name(code), "ConfigRejectedInvalidDataPath");
	/* 200G on lanes 2-3: starts only on 1, 3, 5, 7 */
	assert_int_equal(lb_module_apply_app(r.m, 0x06, 4, &code), LB_E_INVAL);
	assert_int_equal(code, 4);
	/* half a data path of the 8-lane application */
	assert_int_equal(lb_module_apply_app(r.m, 0x0F, 1, &code), LB_E_INVAL);
	assert_string_equal(lb_config_status_name(code), "ConfigRejectedPartialDataPath");
	/* 400G-DR4 on lanes 1-6: one DP and a half */
	assert_int_equal(lb_module_apply_app(r.m, 0x3F, 2, &code), LB_E_INVAL);
	assert_int_equal(code, 7);
	/* lanes the module does not have */
	assert_int_equal(lb_module_apply_app(r.m, 0x100, 3, &code), LB_E_INVAL);
	assert_int_equal(code, 4);
	assert_int_equal(lb_module_apply_app(r.m, 0, 3, &code), LB_E_INVAL);
	assert_int_equal(lb_module_apply_app(NULL, 1, 3, &code), LB_E_INVAL);
	assert_int_equal(stats(&r).writes, 0);
	assert_int_equal(stats(&r).transactions, 0); /* advertisement cached: not even a read */
	lb_test_rig_down(&r);
}

/* What only the module can see comes back as LB_E_REJECTED with its code, or in lane status. */
static void test_module_rejections_named(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "800g-dr8-osfp", 400, false);
	ready_and_deactivated(&r, 0xFF);
	struct lb_lane_status ls = LB_LANE_STATUS_INIT;

	/* AppSel 9 points at an empty descriptor: the module answers 0x3 */
	uint8_t bad_app[8];
	memset(bad_app, 0x90, 8);
	raw_apply(&r, 0, bad_app, 0xFF);
	ls = lanes(&r);
	assert_int_equal(ls.config_status[0], 0x3);
	assert_string_equal(lb_config_status_name(ls.config_status[7]), "ConfigRejectedInvalidAppSel");

	/* 800G-DR8 with DataPathID 1 on lanes 2-8: AppSel not valid on this lane combination */
	uint8_t bad_dp[8] = { 0x00, 0x12, 0x12, 0x12, 0x12, 0x12, 0x12, 0x12 };
	raw_apply(&r, 0, bad_dp, 0xFE);
	ls = lanes(&r);
	assert_string_equal(lb_config_status_name(ls.config_status[1]), "ConfigRejectedInvalidDataPath");

	/* the whole 8-lane DP staged, only lanes 1-4 applied: part of a data path */
	uint8_t whole[8];
	memset(whole, 0x10, 8);
	raw_apply(&r, 0, whole, 0x0F);
	ls = lanes(&r);
	assert_int_equal(ls.config_status[0], 0x7);
	assert_string_equal(lb_config_status_name(ls.config_status[3]), "ConfigRejectedPartialDataPath");

	/* lanes in use: bring the DP up, then apply on it again through the library */
	assert_int_equal(lb_module_bring_up(r.m, 0xFF, 1, NULL), LB_OK);
	int code = 0;
	assert_int_equal(lb_module_apply_app(r.m, 0xFF, 2, &code), LB_E_REJECTED);
	assert_int_equal(code, 0x6);
	assert_string_equal(lb_config_status_name(code), "ConfigRejectedLanesInUse");
	ls = lanes(&r);
	assert_int_equal(ls.config_status[4], 0x6);
	/* the active set is what it was: still up on AppSel 1 */
	assert_int_equal(ls.active_appsel[4], 1);
	assert_int_equal(lb_emu_module_dp_state(r.emu, 5), LB_DP_STATE_ACTIVATED);
	lb_test_rig_down(&r);
}

/* ---- lane controls ---- */

static void test_lane_controls_read_back(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "400g-fr4-qsfpdd", 400, false);
	assert_int_equal(lb_module_dp_deinit(r.m, 0x81, true), LB_OK);
	assert_int_equal(lb_module_tx_disable(r.m, 0x06, true), LB_OK);
	struct lb_lane_status ls = lanes(&r);
	for (unsigned i = 0; i < 8; i++) {
		assert_int_equal(ls.dp_deinit[i], i == 0 || i == 7);
		assert_int_equal(ls.tx_disabled[i], i == 1 || i == 2);
	}
	uint8_t b[3];
	assert_int_equal(lb_emu_module_peek(r.emu, 0, 0x10, 128, b, 3), LB_OK);
	assert_int_equal(b[0], 0x81);
	assert_int_equal(b[2], 0x06);
	/* no change, no write */
	lb_bus_reset_stats(r.bus);
	assert_int_equal(lb_module_dp_deinit(r.m, 0x01, true), LB_OK);
	assert_int_equal(stats(&r).writes - stats(&r).select_writes, 0);
	assert_int_equal(lb_module_dp_deinit(r.m, 0x81, false), LB_OK);
	assert_int_equal(lb_module_tx_disable(r.m, 0x06, false), LB_OK);
	assert_int_equal(lb_emu_module_peek(r.emu, 0, 0x10, 128, b, 3), LB_OK);
	assert_int_equal(b[0] | b[2], 0);
	assert_int_equal(lb_module_dp_deinit(r.m, 0x100, true), LB_E_INVAL);
	assert_int_equal(lb_module_tx_disable(r.m, 0, true), LB_E_INVAL);
	assert_int_equal(lb_module_wait_dp_state(r.m, 0x01, 0, 10), LB_E_INVAL);
	assert_int_equal(lb_module_wait_dp_state(r.m, 0x01, 8, 10), LB_E_INVAL);
	lb_test_rig_down(&r);
}

/* OutputDisableTx on one media lane takes the whole data path back to DPInitialized. */
static void test_tx_disable_or_rule(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "400g-fr4-qsfpdd", 400, false);
	/* 400G-FR4: 8 host lanes, 4 media lanes, one data path */
	assert_int_equal(lb_module_bring_up(r.m, 0, 1, NULL), LB_OK);
	struct lb_module_durations d = LB_MODULE_DURATIONS_INIT;
	assert_int_equal(lb_module_get_durations(r.m, &d), LB_OK);
	assert_int_equal(lb_module_tx_disable(r.m, 0x02, true), LB_OK); /* media lane 2 only */
	assert_int_equal(lb_module_wait_dp_state(r.m, 0xFF, LB_DP_STATE_INITIALIZED,
						 d.dp_tx_turn_off_ms), LB_OK);
	for (unsigned l = 1; l <= 8; l++)
		assert_int_equal(lb_emu_module_dp_state(r.emu, l), LB_DP_STATE_INITIALIZED);
	struct lb_lane_status ls = lanes(&r);
	assert_true(ls.tx_disabled[1]);
	assert_false(ls.tx_disabled[0]);
	/* enabling it again brings the whole DP back */
	assert_int_equal(lb_module_tx_disable(r.m, 0x02, false), LB_OK);
	assert_int_equal(lb_module_wait_dp_state(r.m, 0xFF, LB_DP_STATE_ACTIVATED,
						 d.dp_tx_turn_on_ms), LB_OK);
	/* and DPDeinit on one host lane deinitialises all of it (same OR rule) */
	assert_int_equal(lb_module_dp_deinit(r.m, 0x80, true), LB_OK);
	assert_int_equal(lb_module_wait_dp_state(r.m, 0xFF, LB_DP_STATE_DEACTIVATED,
						 d.dp_tx_turn_off_ms + d.dp_deinit_ms), LB_OK);
	lb_test_rig_down(&r);
}

static void test_wait_dp_state_times_out_on_its_bound(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "400g-fr4-qsfpdd", 400, false);
	ready_and_deactivated(&r, 0xFF);
	uint64_t t0 = now(&r);
	assert_int_equal(lb_module_wait_dp_state(r.m, 0xFF, LB_DP_STATE_ACTIVATED, 250), LB_E_TIMEOUT);
	uint64_t took = now(&r) - t0;
	assert_true(took >= 250000000u && took <= 255000000u);
	lb_test_rig_down(&r);
}

/* ---- errors in the middle ---- */

static void hook_nack_burst(struct lb_test_rig *r, uint64_t ns)
{
	(void)ns;
	if (r->sleeps == 2)
		lb_emu_module_inject(r->emu, LB_EMU_FAULT_NACK, 1000);
}

/* A NACK burst while ConfigStatus is polled: the bus status comes back, no hang. */
static void test_nack_mid_sequence_returns_bus_status(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "coherent-800g-qsfpdd", 400, false);
	ready_and_deactivated(&r, 0xFF);
	r.sleeps = 0;
	r.hook = hook_nack_burst;
	uint64_t t0 = now(&r);
	assert_int_equal(lb_module_apply_app(r.m, 0xFF, 1, NULL), LB_E_NACK);
	assert_true(now(&r) - t0 < 100000000u);
	r.hook = NULL;
	lb_emu_module_inject(r.emu, LB_EMU_FAULT_NACK, 0);
	/* and writes: the first write of a sequence fails the same way */
	lb_emu_module_inject(r.emu, LB_EMU_FAULT_NACK, 1000);
	assert_int_equal(lb_module_dp_deinit(r.m, 0xFF, false), LB_E_NACK);
	lb_emu_module_inject(r.emu, LB_EMU_FAULT_NACK, 0);
	/* the module is fine afterwards */
	assert_int_equal(lb_module_bring_up(r.m, 0, 0, NULL), LB_OK);
	lb_test_rig_down(&r);
}

static void hook_remove(struct lb_test_rig *r, uint64_t ns)
{
	(void)ns;
	if (r->sleeps == 20)
		lb_emu_module_remove(r->emu);
}

static void test_removed_during_bring_up(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "coherent-800g-qsfpdd", 400, false);
	r.hook = hook_remove;
	struct lb_bringup_report rep = LB_BRINGUP_REPORT_INIT;
	int rc = lb_module_bring_up(r.m, 0, 0, &rep);
	assert_true(rc == LB_E_NODEV || rc == LB_E_NACK);
	assert_true(rep.elapsed_ns < rep.deadline_ns);
	/* gave up at the first failed access (after at most the tWRITE hold-off of retries) */
	assert_true(r.sleeps <= 20 + 11);
	r.hook = NULL;
	/* reinserted: power-on defaults, and it comes up */
	lb_emu_module_insert(r.emu);
	lb_emu_world_advance_ns(r.world, 3000000000u);
	lb_module_invalidate(r.m);
	assert_int_equal(lb_module_bring_up(r.m, 0, 0, &rep), LB_OK);
	lb_test_rig_down(&r);
}

static void test_fault_during_dp_wait(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "coherent-800g-qsfpdd", 400, false);
	ready_and_deactivated(&r, 0xFF);
	assert_int_equal(lb_module_apply_app(r.m, 0xFF, 1, NULL), LB_OK);
	assert_int_equal(lb_module_dp_deinit(r.m, 0xFF, false), LB_OK);
	lb_emu_world_advance_ns(r.world, 1000000000u);
	lb_emu_module_inject(r.emu, LB_EMU_FAULT_MODULE_FAULT, 4);
	uint64_t t0 = now(&r);
	assert_int_equal(lb_module_wait_dp_state(r.m, 0xFF, LB_DP_STATE_ACTIVATED, 60000), LB_E_FAULT);
	assert_true(now(&r) - t0 < 2000000000u); /* seen long before the 60 s bound */
	lb_test_rig_down(&r);
}

/* ---- banks ---- */

static void test_banked_lanes_9_to_16(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "1600g-2xdr8-osfpxd", 400, false);
	struct lb_lane_status ls = lanes(&r);
	assert_int_equal(ls.lanes, 16);
	/* the second bank alone, on the 8-lane application (DataPathID 0 of bank 1) */
	struct lb_bringup_report rep = LB_BRINGUP_REPORT_INIT;
	assert_int_equal(lb_module_bring_up(r.m, 0xFF00, 1, &rep), LB_OK);
	for (unsigned l = 9; l <= 16; l++)
		assert_int_equal(lb_emu_module_dp_state(r.emu, l), LB_DP_STATE_ACTIVATED);
	ls = lanes(&r);
	for (unsigned i = 8; i < 16; i++) {
		assert_int_equal(ls.dp_state[i], LB_DP_STATE_ACTIVATED);
		assert_int_equal(ls.active_appsel[i], 1);
		assert_int_equal(ls.active_dpid[i], 0);
		assert_int_equal(ls.config_status[i], 0x1);
	}
	/* bank 0 was left alone: no DPDeinit written there, nothing applied */
	uint8_t b0[8], b1;
	assert_int_equal(lb_emu_module_peek(r.emu, 0, 0x11, 202, b0, 4), LB_OK);
	assert_int_equal(b0[0] | b0[1] | b0[2] | b0[3], 0);
	/* a lane of bank 1: Tx disable on lane 12 lands in bank 1, byte 130 bit 3 */
	assert_int_equal(lb_module_tx_disable(r.m, 1u << 11, true), LB_OK);
	assert_int_equal(lb_emu_module_peek(r.emu, 1, 0x10, 130, &b1, 1), LB_OK);
	assert_int_equal(b1, 0x08);
	assert_int_equal(lb_emu_module_peek(r.emu, 0, 0x10, 130, b0, 1), LB_OK);
	assert_int_equal(b0[0], 0);
	assert_int_equal(lb_module_wait_dp_state(r.m, 0xFF00, LB_DP_STATE_INITIALIZED, 1000), LB_OK);
	/* 400G-DR4 on lanes 13-16 of bank 1 needs those lanes deactivated first */
	assert_int_equal(lb_module_dp_deinit(r.m, 0xFF00, true), LB_OK);
	assert_int_equal(lb_module_wait_dp_state(r.m, 0xFF00, LB_DP_STATE_DEACTIVATED, 1000), LB_OK);
	int code;
	assert_int_equal(lb_module_apply_app(r.m, 0xF000, 2, &code), LB_OK);
	ls = lanes(&r);
	assert_int_equal(ls.active_appsel[12], 2);
	assert_int_equal(ls.active_dpid[12], 4);
	/* lanes spanning both banks at once */
	assert_int_equal(lb_module_bring_up(r.m, 0, 1, &rep), LB_OK);
	for (unsigned l = 1; l <= 16; l++)
		assert_int_equal(lb_emu_module_dp_state(r.emu, l), LB_DP_STATE_ACTIVATED);
	lb_test_rig_down(&r);
}

struct log_capture {
	unsigned warnings;
	char last[512];
};

static void capture(void *user, enum lb_log_level level, const char *msg)
{
	struct log_capture *c = user;
	if (level == LB_LOG_WARN) {
		c->warnings++;
		snprintf(c->last, sizeof(c->last), "%s", msg);
	}
}

/*
 * A module reporting a reserved DP state (0, 8-15) gets it reported as it is, with a warning
 * in the log naming the lanes: never read as a state, never silently 0.
 */
static void test_reserved_dp_state_reported_as_is(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "400g-fr4-qsfpdd", 400, false);
	struct log_capture c = { 0 };
	lb_ctx_set_log(r.ctx, capture, &c, LB_LOG_WARN);
	struct lb_lane_status ls = lanes(&r);
	assert_int_equal(ls.dp_state[0], LB_DP_STATE_DEACTIVATED);
	assert_int_equal(c.warnings, 0);
	uint8_t st[2] = { 0x90, 0x1F }; /* lane 1: 0, lane 2: 9, lane 3: 15, lane 4: DPDeactivated */
	assert_int_equal(lb_emu_module_poke(r.emu, 0, 0x11, 128, st, 2), LB_OK);
	ls = lanes(&r);
	assert_int_equal(ls.dp_state[0], 0x0);
	assert_int_equal(ls.dp_state[1], 0x9);
	assert_int_equal(ls.dp_state[2], 0xF);
	assert_int_equal(ls.dp_state[3], LB_DP_STATE_DEACTIVATED);
	assert_string_equal(lb_dp_state_name(ls.dp_state[1]), "reserved");
	assert_int_equal(c.warnings, 1);
	assert_non_null(strstr(c.last, "reserved DP state"));
	assert_non_null(strstr(c.last, "lane 1: 0x0, lane 2: 0x9, lane 3: 0xf"));
	lb_ctx_set_log(r.ctx, NULL, NULL, LB_LOG_WARN);
	lb_test_rig_down(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_apply_success),
		cmocka_unit_test(test_library_rejections_named_before_any_write),
		cmocka_unit_test(test_module_rejections_named),
		cmocka_unit_test(test_lane_controls_read_back),
		cmocka_unit_test(test_tx_disable_or_rule),
		cmocka_unit_test(test_wait_dp_state_times_out_on_its_bound),
		cmocka_unit_test(test_nack_mid_sequence_returns_bus_status),
		cmocka_unit_test(test_removed_during_bring_up),
		cmocka_unit_test(test_fault_during_dp_wait),
		cmocka_unit_test(test_banked_lanes_9_to_16),
		cmocka_unit_test(test_reserved_dp_state_reported_as_is),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
