/* SPDX-License-Identifier: MIT */
/*
 * Choosing an application from a port's speed and lanes (lb_module_find_app), as NOS code
 * does, on the 800G coherent profile (AppSel 1 800ZR on 800GAUI-8, 2-4 400G on 400GAUI-8,
 * 5 200G on 200GAUI-4, 6 100G on 100GAUI-2).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <lightbridge/lightbridge.h>
#include "emu_rig.h"
#include "test_run.h"

static void test_speed_and_lanes(void **state)
{
	(void)state;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "coherent-800g-qsfpdd", 400, false);
	uint8_t app = 0;
	/* 400G on 8 lanes: AppSel 2, where "the first application that fits" is the 800ZR. */
	assert_int_equal(lb_module_find_app(r.m, 400, 0xFF, &app), LB_OK);
	assert_int_equal(app, 2);
	assert_int_equal(lb_module_find_app(r.m, 400, 0, &app), LB_OK);
	assert_int_equal(app, 2);
	assert_int_equal(lb_module_find_app(r.m, 800, 0xFF, &app), LB_OK);
	assert_int_equal(app, 1);
	assert_int_equal(lb_module_find_app(r.m, 200, 0x0F, &app), LB_OK);
	assert_int_equal(app, 5);
	assert_int_equal(lb_module_find_app(r.m, 100, 0x03, &app), LB_OK);
	assert_int_equal(app, 6);
	/* And it brings up what it chose. */
	assert_int_equal(lb_module_find_app(r.m, 400, 0xFF, &app), LB_OK);
	assert_int_equal(lb_module_bring_up(r.m, 0xFF, app, NULL), LB_OK);
	struct lb_lane_status ls = LB_LANE_STATUS_INIT;
	assert_int_equal(lb_module_get_lane_status(r.m, &ls), LB_OK);
	assert_int_equal(ls.active_appsel[0], 2);
	assert_int_equal(ls.dp_state[7], LB_DP_STATE_ACTIVATED);
	lb_test_rig_down(&r);
}

static void test_none_matches(void **state)
{
	(void)state;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "coherent-800g-qsfpdd", 400, false);
	uint8_t app = 77;
	/* 400G on 4 lanes: no 400GAUI-4 here; the detail says what there is. */
	assert_int_equal(lb_module_find_app(r.m, 400, 0x0F, &app), LB_E_NOTFOUND);
	assert_int_equal(app, 77);
	const char *why = lb_module_last_error(r.m);
	print_message("%s\n", why);
	assert_non_null(strstr(why, "400G on lanes 1-4"));
	assert_non_null(strstr(why, "AppSel 2 400G x8"));
	assert_int_equal(lb_module_find_app(r.m, 25, 0, &app), LB_E_NOTFOUND);
	/* 200G on lanes 5-8: AppSel 5 may start on lane 1 only. */
	assert_int_equal(lb_module_find_app(r.m, 200, 0xF0, &app), LB_E_NOTFOUND);
	assert_int_equal(lb_module_find_app(r.m, 0, 0xFF, &app), LB_E_INVAL);
	assert_int_equal(lb_module_find_app(r.m, 400, 0x1FF, &app), LB_E_INVAL);
	assert_int_equal(lb_module_find_app(r.m, 400, 0xFF, NULL), LB_E_INVAL);
	assert_int_equal(lb_module_find_app(NULL, 400, 0xFF, &app), LB_E_INVAL);
	lb_test_rig_down(&r);
}

static void test_host_interface_speeds(void **state)
{
	(void)state;
	assert_int_equal(lb_sff8024_host_interface_gbps(0x11), 400); /* 400GAUI-8 */
	assert_int_equal(lb_sff8024_host_interface_gbps(0x51), 800); /* 800GAUI-8 S */
	assert_int_equal(lb_sff8024_host_interface_gbps(0x4B), 100); /* 100GAUI-1-S */
	assert_int_equal(lb_sff8024_host_interface_gbps(0x83), 1600);
	assert_int_equal(lb_sff8024_host_interface_gbps(0x38), 0);   /* OTL4.10: not Ethernet */
	assert_int_equal(lb_sff8024_host_interface_gbps(0xFF), 0);
	/* Every named Ethernet interface whose name starts with its rate agrees with it. */
	for (unsigned id = 0; id < 256; id++) {
		const char *n = lb_sff8024_host_interface_name((uint8_t)id);
		unsigned g = lb_sff8024_host_interface_gbps((uint8_t)id);
		if (strstr(n, "400G") == n)
			assert_int_equal(g, 400);
		if (strstr(n, "800G") == n)
			assert_int_equal(g, 800);
		if (strstr(n, "200G") == n)
			assert_int_equal(g, 200);
		if (strstr(n, "100G") == n)
			assert_int_equal(g, 100);
		if (strstr(n, "1.6T") == n)
			assert_int_equal(g, 1600);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_speed_and_lanes),
		cmocka_unit_test(test_none_matches),
		cmocka_unit_test(test_host_interface_speeds),
	};
	return LB_TEST_RUN(tests, NULL, NULL);
}
