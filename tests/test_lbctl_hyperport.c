/* SPDX-License-Identifier: MIT */
/*
 * lbctl hyperport list|show|create|remove on the Tokyo-Osaka HyperPort platform
 * (platforms/scale-across-500km-hyperport.json: four coherent 800G links, each end's cages on
 * an emulated Jericho-class ASIC, a HyperPort declared at each end): declared and made,
 * a member down (2.4T, still up, the reason), refusals with the library's detail, mistakes,
 * JSON, 80 columns, and the HyperPorts kept from one lbctl process to the next. The cases run
 * in order in one state directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>
#include "lbctl_run.h"

#define P "--platform " LB_SOURCE_DIR "/platforms/scale-across-500km-hyperport.json "

LBCTL_RUN_FIXTURE("hyperport")

static void test_declared_and_made(void **unused)
{
	(void)unused;
	assert_int_equal(lbctl_run(&run, P "--fresh hyperport list"), 0);
	lbctl_run_fits_80(run.out);
	assert_non_null(strstr(run.out, "tokyo      -    Tokyo0,Tokyo1,Tokyo2,Tokyo3     flow  -     -    not made"));
	assert_int_equal(lbctl_run(&run, P "hyperport show tokyo"), 3);
	assert_non_null(strstr(run.err, "declared but not made"));
	assert_int_equal(lbctl_run(&run, P "hyperport create tokyo"), 0);
	assert_string_equal(run.out, "hyperport tokyo (hp0) made\n");
	/* kept: the next process finds it, under its declared name */
	json_t *o = lbctl_run_json(&run, P "hyperport list --json", 0);
	assert_int_equal(json_array_size(o), 2);
	json_t *t = json_array_get(o, 0);
	assert_int_equal(json_integer_value(json_object_get(t, "hyperport")), 0);
	assert_string_equal(json_string_value(json_object_get(t, "name")), "tokyo");
	assert_true(json_is_true(json_object_get(t, "declared")));
	assert_string_equal(json_string_value(json_object_get(t, "reason")), "all-down"); /* admin down */
	json_t *m = json_object_get(t, "members");
	assert_int_equal(json_array_size(m), 4);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(m, 2), "port")), 3);
	assert_string_equal(json_string_value(json_object_get(json_array_get(m, 2), "name")), "Tokyo2");
	assert_string_equal(json_string_value(json_object_get(json_array_get(m, 2), "down_reason")), "admin-down");
	assert_true(json_is_null(json_object_get(json_array_get(o, 1), "hyperport"))); /* osaka: not made */
	json_decref(o);
}

static void test_member_down(void **unused)
{
	(void)unused;
	/* admin up, optics not up: the members hear nothing (their cages drive their lanes) */
	for (unsigned p = 1; p <= 4; p++) {
		char args[160];
		snprintf(args, sizeof(args), P "port set %u --admin up", p);
		assert_int_equal(lbctl_run(&run, args), 0);
	}
	json_t *o = lbctl_run_json(&run, P "hyperport show tokyo --json", 0);
	assert_string_equal(json_string_value(json_object_get(o, "oper")), "down");
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(o, "members"), 0),
							     "down_reason")), "no-signal");
	json_decref(o);
	/* the modules at both ends of the four links up on 800G: every member up */
	for (unsigned p = 1; p <= 8; p++) {
		char args[160];
		snprintf(args, sizeof(args), P "port set %u --admin up --module", p);
		assert_int_equal(lbctl_run(&run, args), 0);
	}
	o = lbctl_run_json(&run, P "hyperport show tokyo --json", 0);
	assert_string_equal(json_string_value(json_object_get(o, "oper")), "up");
	assert_int_equal(json_integer_value(json_object_get(o, "capacity_mbps")), 3200000);
	assert_string_equal(json_string_value(json_object_get(o, "reason")), "full");
	assert_non_null(json_object_get(o, "total"));
	json_decref(o);
	/* one member down: 2.4T, the HyperPort up, the member and why named */
	assert_int_equal(lbctl_run(&run, P "port set Tokyo2 --admin down"), 0);
	o = lbctl_run_json(&run, P "hyperport show tokyo --json", 0);
	assert_string_equal(json_string_value(json_object_get(o, "oper")), "up");
	assert_int_equal(json_integer_value(json_object_get(o, "capacity_mbps")), 2400000);
	assert_string_equal(json_string_value(json_object_get(o, "reason")), "degraded");
	assert_string_equal(json_string_value(json_object_get(o, "reason_text")), "degraded: Tokyo2 admin-down");
	json_decref(o);
	assert_int_equal(lbctl_run(&run, P "hyperport show tokyo"), 0);
	lbctl_run_fits_80(run.out);
	assert_non_null(strstr(run.out, "hyperport tokyo (hp0): up, 2.4T of 3.2T, hash flow\n"));
	assert_non_null(strstr(run.out, "3    Tokyo2      2    down  admin-down      0.0%"));
	assert_int_equal(lbctl_run(&run, P "hyperport list"), 0);
	assert_non_null(strstr(run.out, "tokyo      0    Tokyo0,Tokyo1,Tokyo2,Tokyo3     flow  up    2.4T 1 down"));
}

static void test_refusals(void **unused)
{
	(void)unused;
	/* a member of tokyo in another */
	assert_int_equal(lbctl_run(&run, P "hyperport create --ports 5,6,7,Tokyo0"), 1);
	assert_non_null(strstr(run.err, "belongs to hyperport 0"));
	/* a member is held */
	assert_int_equal(lbctl_run(&run, P "port set 1 --breakout 2x400G"), 1);
	assert_non_null(strstr(run.err, "a member of hyperport 0"));
	/* a broken-out port is no member */
	assert_int_equal(lbctl_run(&run, P "port set 6 --breakout 2x400G"), 0);
	assert_int_equal(lbctl_run(&run, P "hyperport create osaka"), 3);
	assert_non_null(strstr(run.err, "port 6 has no whole ASIC port"));
	assert_int_equal(lbctl_run(&run, P "port set 6 --breakout 1x800G"), 0);
	/* mistakes */
	assert_int_equal(lbctl_run(&run, P "hyperport create --ports 5,6,7"), 2);
	assert_int_equal(lbctl_run(&run, P "hyperport create --ports 5,6,7,8,1"), 2);
	assert_int_equal(lbctl_run(&run, P "hyperport create osaka --hash spray"), 2);
	assert_int_equal(lbctl_run(&run, P "hyperport create --ports 5,6,7,8 --hash ecmp"), 2);
	assert_int_equal(lbctl_run(&run, P "hyperport create"), 2);
	assert_int_equal(lbctl_run(&run, P "hyperport create nope"), 3);
	assert_int_equal(lbctl_run(&run, P "hyperport create --ports 5,6,7,99"), 3);
	assert_int_equal(lbctl_run(&run, P "hyperport show hp9"), 3);
	assert_int_equal(lbctl_run(&run, P "hyperport frob"), 2);
	assert_int_equal(lbctl_run(&run, P "hyperport"), 2);
	assert_int_equal(lbctl_run(&run, P "hyperport --help"), 0);
	lbctl_run_fits_80(run.out);
}

static void test_by_ports_and_remove(void **unused)
{
	(void)unused;
	json_t *o = lbctl_run_json(&run, P "hyperport create --ports Osaka0,6,7,8 --hash spray --json", 0);
	assert_int_equal(json_integer_value(json_object_get(o, "hyperport")), 1);
	assert_string_equal(json_string_value(json_object_get(o, "name")), "osaka"); /* its members: declared */
	assert_string_equal(json_string_value(json_object_get(o, "hash")), "spray");
	json_decref(o);
	o = lbctl_run_json(&run, P "hyperport remove hp1 --json", 0);
	assert_true(json_is_true(json_object_get(o, "removed")));
	json_decref(o);
	assert_int_equal(lbctl_run(&run, P "hyperport remove tokyo"), 0);
	assert_string_equal(run.out, "hyperport tokyo (hp0) removed\n");
	assert_int_equal(lbctl_run(&run, P "hyperport remove tokyo"), 3);
	/* the members are free again */
	assert_int_equal(lbctl_run(&run, P "port set 1 --breakout 2x400G"), 0);
	/* the default platform declares none, and shows an empty list */
	assert_int_equal(lbctl_run(&run, "hyperport list --json"), 0);
	assert_string_equal(run.out, "[]\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_declared_and_made),
		cmocka_unit_test(test_member_down),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_by_ports_and_remove),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
