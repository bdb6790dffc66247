/* SPDX-License-Identifier: MIT */
/*
 * Bring-up on part of a data path ("release other lanes", as FBOSS calls it): lanes 1-8 run
 * the 8-lane application of the 400G FR4 profile; bringing lanes 1-4 up on its 4-lane
 * application takes the whole old data path down and releases lanes 5-8 (AppSel 0), from
 * ModuleReady and from low power alike, and reports exactly the lanes it brought up.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>
#include <lightbridge/lightbridge.h>
#include "emu_rig.h"
#include "test_run.h"

/* Step a bring-up to its end on the rig's clock; returns its status, *released its lanes. */
static int bring_up(struct lb_test_rig *r, uint32_t mask, uint8_t appsel, uint32_t *released,
		    uint32_t *target)
{
	struct lb_bringup *b = NULL;
	int rc = lb_bringup_start(r->m, mask, appsel, NULL, &b);
	assert_int_equal(rc, LB_OK);
	uint64_t wake;
	while ((rc = lb_bringup_step(b, &wake)) == LB_E_AGAIN) {
		uint64_t now = lb_bus_now_ns(r->bus);
		if (wake > now)
			lb_bus_sleep_ns(r->bus, wake - now);
	}
	*released = lb_bringup_released_lanes(b);
	uint8_t app;
	lb_bringup_get_target(b, target, &app);
	assert_int_equal(app, appsel);
	lb_bringup_free(b);
	return rc;
}

/* Lanes 1-4 up on AppSel 2, lanes 5-8 down for good: no half of the old data path runs. */
static void check_split(struct lb_test_rig *r)
{
	/* Long after: nothing left to bring lanes 5-8 back. */
	lb_emu_segment_advance_ns(r->seg, 5000000000ull);
	struct lb_lane_status ls = LB_LANE_STATUS_INIT;
	assert_int_equal(lb_module_get_lane_status(r->m, &ls), LB_OK);
	for (unsigned l = 0; l < 8; l++) {
		print_message("lane %u: %s AppSel %u%s\n", l + 1, lb_dp_state_name(ls.dp_state[l]),
			      ls.active_appsel[l], ls.dp_deinit[l] ? " DPDeinit" : "");
		if (l < 4) {
			assert_int_equal(ls.dp_state[l], LB_DP_STATE_ACTIVATED);
			assert_int_equal(ls.active_appsel[l], 2);
		} else {
			assert_int_equal(ls.dp_state[l], LB_DP_STATE_DEACTIVATED);
			assert_int_equal(ls.active_appsel[l], 0);
			assert_true(ls.dp_deinit[l]);
		}
	}
}

static void test_from_ready(void **state)
{
	(void)state;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "400g-fr4-qsfpdd", 400, false);
	uint32_t released, target;
	assert_int_equal(bring_up(&r, 0xFF, 1, &released, &target), LB_OK);
	assert_int_equal(released, 0);
	assert_int_equal(target, 0xFF);
	assert_int_equal(bring_up(&r, 0x0F, 2, &released, &target), LB_OK);
	assert_int_equal(released, 0xF0);
	assert_int_equal(target, 0x0F);
	check_split(&r);
	/* Again: already up, nothing overlaps any more, nothing released. */
	assert_int_equal(bring_up(&r, 0x0F, 2, &released, &target), LB_OK);
	assert_int_equal(released, 0);
	check_split(&r);
	lb_test_rig_down(&r);
}

static void test_from_low_power(void **state)
{
	(void)state;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "400g-fr4-qsfpdd", 400, false);
	uint32_t released, target;
	assert_int_equal(bring_up(&r, 0xFF, 1, &released, &target), LB_OK);
	/* In low power the active set still holds AppSel 1 on lanes 1-8. */
	assert_int_equal(lb_module_set_low_power(r.m, true), LB_OK);
	assert_int_equal(bring_up(&r, 0x0F, 2, &released, &target), LB_OK);
	assert_int_equal(released, 0xF0);
	check_split(&r);
	lb_test_rig_down(&r);
}

/* The blocking form does the same. */
static void test_blocking(void **state)
{
	(void)state;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "400g-fr4-qsfpdd", 400, false);
	assert_int_equal(lb_module_bring_up(r.m, 0xFF, 1, NULL), LB_OK);
	assert_int_equal(lb_module_bring_up(r.m, 0x0F, 2, NULL), LB_OK);
	check_split(&r);
	lb_test_rig_down(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_from_ready),
		cmocka_unit_test(test_from_low_power),
		cmocka_unit_test(test_blocking),
	};
	return LB_TEST_RUN(tests, NULL, NULL);
}
