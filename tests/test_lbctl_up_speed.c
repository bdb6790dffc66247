/* SPDX-License-Identifier: MIT */
/*
 * lbctl up as a NOS engineer runs it on the embedded emulated platform (port 1: the 800G
 * coherent module, AppSel 1 800ZR on 8 lanes, 2 400ZR on 8 lanes, 5 200G on lanes 1-4):
 * --speed chooses the application from the port's speed and lanes, and the result line
 * names exactly the lanes brought up, not the lanes some other data path still runs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>
#include "lbctl_run.h"

LBCTL_RUN_FIXTURE("up-speed")

static void test_speed_chooses_the_application(void **unused)
{
	(void)unused;
	NEED_LBCTL();
	/* 400G on 8 lanes: AppSel 2 (the first application that fits 8 lanes is the 800ZR). */
	assert_int_equal(lbctl_run(&run, "--fresh up 1 --speed 400G"), 0);
	assert_non_null(strstr(run.out, "port 1: AppSel 2, lanes 1-8 DPActivated"));
	assert_int_equal(lbctl_run(&run, "--json up 1 --speed=800G --lanes 0xff"), 0);
	json_error_t je;
	json_t *o = json_loads(run.out, 0, &je);
	assert_non_null(o);
	assert_int_equal(json_integer_value(json_object_get(o, "appsel")), 1);
	assert_int_equal(json_array_size(json_object_get(o, "lanes_activated")), 8);
	json_decref(o);
	/* No 400G application on 4 lanes: refused before any write, with what there is. */
	assert_int_equal(lbctl_run(&run, "up 1 --speed 400G --lanes 0x0f"), 6);
	assert_non_null(strstr(run.err, "no application runs 400G on lanes 1-4"));
	assert_non_null(strstr(run.err, "AppSel 5 200G x4"));
	assert_int_equal(lbctl_run(&run, "show 1"), 0);
	assert_non_null(strstr(run.out, "DPActivated"));
	/* Usage mistakes. */
	assert_int_equal(lbctl_run(&run, "up 1 2 --speed 400G"), 2);
	assert_int_equal(lbctl_run(&run, "up 1 --speed 400X"), 2);
	assert_int_equal(lbctl_run(&run, "up 1 --speed 400G --speed 800G"), 2);
}

/* Lanes 1-8 on an 8-lane application, then lanes 1-4 alone: "lanes 1-4", and 5-8 are down. */
static void test_partial_bring_up_reports_its_lanes(void **unused)
{
	(void)unused;
	NEED_LBCTL();
	assert_int_equal(lbctl_run(&run, "--fresh up 1 1"), 0);
	assert_non_null(strstr(run.out, "lanes 1-8 DPActivated"));
	assert_int_equal(lbctl_run(&run, "up 1 --speed 200G --lanes 0x0f"), 0);
	assert_non_null(strstr(run.out, "port 1: AppSel 5, lanes 1-4 DPActivated"));
	assert_int_equal(lbctl_run(&run, "--json show 1"), 0);
	json_error_t je;
	json_t *o = json_loads(run.out, 0, &je);
	assert_non_null(o);
	json_t *lanes = json_object_get(o, "host_lanes");
	assert_true(json_is_array(lanes));
	for (size_t i = 0; i < json_array_size(lanes); i++) {
		json_t *l = json_array_get(lanes, i);
		const char *st = json_string_value(json_object_get(l, "dp_state"));
		assert_non_null(st);
		assert_string_equal(st, i < 4 ? "DPActivated" : "DPDeactivated");
	}
	json_decref(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_speed_chooses_the_application),
		cmocka_unit_test(test_partial_bring_up_reports_its_lanes),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
