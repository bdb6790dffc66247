/* SPDX-License-Identifier: MIT */
/*
 * Bring-up on every emulated profile, in virtual time: from low power to every lane
 * activated, within 5 % (plus the bus time) of what the module itself needs for its
 * transitions; the deadline built from the advertised durations; idempotence; switching
 * applications; a stuck data path ends in LB_E_TIMEOUT inside the deadline.
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

static struct lb_bus_stats stats(struct lb_test_rig *r)
{
	struct lb_bus_stats s = LB_BUS_STATS_INIT;
	lb_bus_get_stats(r->bus, &s);
	return s;
}

static const char *const profiles[] = {
	"coherent-800g-qsfpdd", "400g-fr4-qsfpdd", "800g-dr8-osfp", "1600g-2xdr8-osfpxd",
};

/* Every lane the first application covers (the default of lane_mask 0). */
static uint32_t first_app_lanes(struct lb_test_rig *r)
{
	struct lb_app_list apps;
	struct lb_lane_status ls = LB_LANE_STATUS_INIT;
	assert_int_equal(lb_module_get_apps(r->m, &apps), LB_OK);
	assert_int_equal(lb_module_get_lane_status(r->m, &ls), LB_OK);
	return lb_cmis_app_lanes(&apps.app[0], ls.lanes);
}

static uint64_t sum_ms(const struct lb_module_durations *d)
{
	return (uint64_t)d->module_pwr_up_ms + d->dp_tx_turn_off_ms + 2u * d->dp_deinit_ms +
	       2u * d->dp_init_ms + d->dp_tx_turn_on_ms;
}

static void bring_up_profile(const char *profile, uint32_t khz)
{
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, profile, khz, false);
	struct lb_emu_timing t;
	lb_emu_module_get_timing(r.emu, &t);
	uint32_t mask = first_app_lanes(&r);
	assert_int_not_equal(mask, 0);
	struct lb_module_durations d = LB_MODULE_DURATIONS_INIT;
	assert_int_equal(lb_module_get_durations(r.m, &d), LB_OK);
	assert_int_equal(lb_emu_module_state(r.emu), LB_MODULE_STATE_LOW_PWR);

	lb_bus_reset_stats(r.bus);
	struct lb_bringup_report rep = LB_BRINGUP_REPORT_INIT;
	assert_int_equal(lb_module_bring_up(r.m, 0, 0, &rep), LB_OK);
	struct lb_bus_stats s = stats(&r);

	for (unsigned l = 1; l <= 32; l++)
		if ((mask >> (l - 1)) & 1u)
			assert_int_equal(lb_emu_module_dp_state(r.emu, l), LB_DP_STATE_ACTIVATED);
	assert_int_equal(lb_emu_module_state(r.emu), LB_MODULE_STATE_READY);
	/* What the module needs: power-up, the apply, DPInit, DPTxTurnOn (in that order). */
	uint64_t module_ns = t.module_pwr_up_ns + t.apply_ns + t.dp_init_ns + t.dp_tx_turn_on_ns;
	print_message("%s @%u kHz: elapsed %.3f ms, module %.3f ms, bus %.3f ms, %llu transactions\n",
		      profile, khz, (double)rep.elapsed_ns / 1e6, (double)module_ns / 1e6,
		      (double)s.bus_time_ns / 1e6, (unsigned long long)s.transactions);
	assert_true(rep.elapsed_ns >= module_ns);
	assert_true(rep.elapsed_ns <= module_ns + module_ns / 20 + s.bus_time_ns);
	assert_int_equal(rep.deadline_ns, lb_cmis_ms_to_ns(sum_ms(&d)));
	assert_true(rep.elapsed_ns < rep.deadline_ns);
	assert_int_equal(rep.reject_code, 0);
	assert_int_equal(s.errors, 0);

	/* Again: nothing to do, and it costs one look at the lanes. */
	lb_bus_reset_stats(r.bus);
	assert_int_equal(lb_module_bring_up(r.m, 0, 0, &rep), LB_OK);
	s = stats(&r);
	assert_int_equal(s.writes - s.select_writes, 0);
	assert_true(s.transactions <= 12);
	assert_true(rep.elapsed_ns <= s.bus_time_ns);
	lb_test_rig_down(&r);
}

static void test_bring_up_each_profile_400khz(void **unused)
{
	(void)unused;
	for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++)
		bring_up_profile(profiles[i], 400);
}

static void test_bring_up_each_profile_1mhz(void **unused)
{
	(void)unused;
	for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++)
		bring_up_profile(profiles[i], 1000);
}

/* From ModuleReady on another application: Tx off and deinit come first, then as before. */
static void test_switch_application(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "800g-dr8-osfp", 400, false);
	struct lb_emu_timing t;
	lb_emu_module_get_timing(r.emu, &t);
	assert_int_equal(lb_module_bring_up(r.m, 0, 1, NULL), LB_OK);
	lb_bus_reset_stats(r.bus);
	struct lb_bringup_report rep = LB_BRINGUP_REPORT_INIT;
	/* 8 x 100G-DR: eight one-lane data paths */
	assert_int_equal(lb_module_bring_up(r.m, 0, 3, &rep), LB_OK);
	struct lb_bus_stats s = stats(&r);
	struct lb_lane_status ls = LB_LANE_STATUS_INIT;
	assert_int_equal(lb_module_get_lane_status(r.m, &ls), LB_OK);
	for (unsigned i = 0; i < 8; i++) {
		assert_int_equal(ls.dp_state[i], LB_DP_STATE_ACTIVATED);
		assert_int_equal(ls.active_appsel[i], 3);
		assert_int_equal(ls.active_dpid[i], i);
	}
	uint64_t module_ns = t.dp_tx_turn_off_ns + t.dp_deinit_ns + t.apply_ns + t.dp_init_ns +
			     t.dp_tx_turn_on_ns;
	assert_true(rep.elapsed_ns >= module_ns);
	assert_true(rep.elapsed_ns <= module_ns + module_ns / 20 + s.bus_time_ns);
	lb_test_rig_down(&r);
}

/* appsel 0 with lanes: the first application that fits them. */
static void test_first_fitting_application(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "800g-dr8-osfp", 400, false);
	assert_int_equal(lb_module_bring_up(r.m, 0xF0, 0, NULL), LB_OK); /* 400G-DR4 on 5-8 */
	struct lb_lane_status ls = LB_LANE_STATUS_INIT;
	assert_int_equal(lb_module_get_lane_status(r.m, &ls), LB_OK);
	assert_int_equal(ls.active_appsel[4], 2);
	assert_int_equal(ls.active_dpid[4], 4);
	assert_int_equal(ls.dp_state[7], LB_DP_STATE_ACTIVATED);
	/*
	 * Lanes 1-4 were part of the module's default 8-lane data path (AppSel 1 on 1-8): it went
	 * down whole and they were released, not left running half of it (lb_bringup_released_lanes).
	 */
	for (unsigned i = 0; i < 4; i++) {
		assert_int_equal(ls.active_appsel[i], 0);
		assert_int_equal(ls.dp_state[i], LB_DP_STATE_DEACTIVATED);
		assert_true(ls.dp_deinit[i]);
	}
	/* lanes 2-3 fit 2 x 100G-DR (AppSel 3) before anything else */
	assert_int_equal(lb_module_bring_up(r.m, 0x06, 0, NULL), LB_OK);
	assert_int_equal(lb_module_get_lane_status(r.m, &ls), LB_OK);
	assert_int_equal(ls.active_appsel[1], 3);
	lb_test_rig_down(&r);
}

static void test_refused_before_any_bus_write(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "coherent-800g-qsfpdd", 400, false);
	assert_int_equal(first_app_lanes(&r), 0xFF); /* warm caches */
	lb_bus_reset_stats(r.bus);
	struct lb_bringup_report rep = LB_BRINGUP_REPORT_INIT;
	assert_int_equal(lb_module_bring_up(r.m, 0, 16, &rep), LB_E_INVAL);
	assert_int_equal(rep.reject_code, 3);
	assert_int_equal(lb_module_bring_up(r.m, 0, 14, &rep), LB_E_INVAL);
	assert_string_equal(lb_config_status_name(rep.reject_code), "ConfigRejectedInvalidAppSel");
	assert_int_equal(lb_module_bring_up(r.m, 0x0F, 1, &rep), LB_E_INVAL); /* half of 800ZR */
	assert_int_equal(rep.reject_code, 7);
	assert_int_equal(lb_module_bring_up(r.m, 0xF0, 0, &rep), LB_E_INVAL); /* nothing starts on 5 */
	assert_int_equal(lb_module_bring_up(r.m, 0x1FF, 0, &rep), LB_E_INVAL); /* lane 9 */
	assert_int_equal(lb_module_bring_up(NULL, 0, 0, &rep), LB_E_INVAL);
	assert_int_equal(lb_module_bring_up(r.m, 0, 17, NULL), LB_E_INVAL);
	assert_int_equal(stats(&r).writes, 0);
	lb_test_rig_down(&r);
}

/* A data path that never finishes DPInit: LB_E_TIMEOUT, inside the deadline. */
static void hook_stuck_in_dpinit(struct lb_test_rig *r, uint64_t ns)
{
	(void)ns;
	uint8_t p10;
	lb_emu_module_peek(r->emu, 0, 0x10, 128, &p10, 1);
	if (p10 == 0 && lb_emu_module_state(r->emu) == LB_MODULE_STATE_READY) {
		uint8_t init[4] = { 0x22, 0x22, 0x22, 0x22 };
		lb_emu_module_poke(r->emu, 0, 0x11, 128, init, 4);
	}
}

static void test_stuck_data_path_times_out_in_deadline(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "400g-fr4-qsfpdd", 400, false);
	struct lb_module_durations d = LB_MODULE_DURATIONS_INIT;
	assert_int_equal(lb_module_get_durations(r.m, &d), LB_OK);
	r.hook = hook_stuck_in_dpinit;
	struct lb_bringup_report rep = LB_BRINGUP_REPORT_INIT;
	assert_int_equal(lb_module_bring_up(r.m, 0, 0, &rep), LB_E_TIMEOUT);
	assert_true(rep.elapsed_ns <= rep.deadline_ns + rep.deadline_ns / 100);
	/* the last wait is bounded by DPInit + DPTxTurnOn, after what came before */
	assert_true(rep.elapsed_ns >= lb_cmis_ms_to_ns((uint64_t)d.dp_init_ms + d.dp_tx_turn_on_ms));
	const char *why = lb_ctx_last_error(r.ctx);
	assert_true(strncmp(why, "DPActivated on lanes 1-8 not reached after ", 43) == 0);
	assert_non_null(strstr(why, "(lanes 1-8 DPInit)"));
	lb_test_rig_down(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bring_up_each_profile_400khz),
		cmocka_unit_test(test_bring_up_each_profile_1mhz),
		cmocka_unit_test(test_switch_application),
		cmocka_unit_test(test_first_fitting_application),
		cmocka_unit_test(test_refused_before_any_bus_write),
		cmocka_unit_test(test_stuck_data_path_times_out_in_deadline),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
