/* SPDX-License-Identifier: MIT */
/*
 * The ports follow their optics through lbctl, one process after another, on the scale-across
 * HyperPort platforms: a far module reset takes the Tokyo HyperPort's member down (2.4T,
 * degraded, "no-signal", the port "link-los") and bringing it up again brings the member
 * back; 800G unshaped over 1,000 km is down "fec-uncorrectable" until the PCS mode is set at
 * both ends; lbctl traffic takes the one-way delay of the platform link's path (500 km of
 * group index 1.468: 2.449 ms). The cases run in order, each platform in its own state.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>
#include "lbctl_run.h"

#define P500 "--platform " LB_SOURCE_DIR "/platforms/scale-across-500km-hyperport.json "
#define P1000 "--platform " LB_SOURCE_DIR "/platforms/scale-across-1000km-hyperport.json "

LBCTL_RUN_FIXTURE("follow")

static void all_up(const char *platform, const char *const names[8])
{
	for (unsigned i = 0; i < 8; i++) {
		char args[512];
		snprintf(args, sizeof(args), "%s%sport set %s --admin up --module", platform, i ? "" : "--fresh ",
			 names[i]);
		assert_int_equal(lbctl_run(&run, args), 0);
	}
}

static const char *member_reason(json_t *hp, size_t i)
{
	return json_string_value(json_object_get(json_array_get(json_object_get(hp, "members"), i), "down_reason"));
}

static void test_member_follows_far_reset(void **unused)
{
	(void)unused;
	static const char *const names[8] = { "Tokyo0", "Tokyo1", "Tokyo2", "Tokyo3",
					      "Osaka0", "Osaka1", "Osaka2", "Osaka3" };
	all_up(P500, names);
	assert_int_equal(lbctl_run(&run, P500 "hyperport create tokyo"), 0);
	json_t *o = lbctl_run_json(&run, P500 "hyperport show tokyo --json", 0);
	assert_string_equal(json_string_value(json_object_get(o, "reason")), "full");
	json_decref(o);
	assert_int_equal(lbctl_run(&run, P500 "reset Osaka1"), 0);
	o = lbctl_run_json(&run, P500 "hyperport show tokyo --json", 0);
	assert_string_equal(json_string_value(json_object_get(o, "oper")), "up");
	assert_int_equal(json_integer_value(json_object_get(o, "capacity_mbps")), 2400000);
	assert_string_equal(json_string_value(json_object_get(o, "reason_text")), "degraded: Tokyo1 no-signal");
	assert_string_equal(member_reason(o, 1), "no-signal");
	json_decref(o);
	assert_int_equal(lbctl_run(&run, P500 "port show Tokyo1"), 0);
	assert_non_null(strstr(run.out, "with the module: down (link-los)"));
	assert_int_equal(lbctl_run(&run, P500 "port set Osaka1 --module"), 0);
	o = lbctl_run_json(&run, P500 "hyperport show tokyo --json", 0);
	assert_string_equal(json_string_value(json_object_get(o, "reason")), "full");
	json_decref(o);
}

static void test_traffic_delay_from_path(void **unused)
{
	(void)unused;
	json_t *o = lbctl_run_json(&run, P500 "traffic Tokyo0 --for 1 --json", 0);
	double us = json_real_value(json_object_get(o, "one_way_delay_us"));
	if (fabs(us - 2448.69) > 0.1) /* 500 km x 1.468 / c */
		fail_msg("one-way delay %.3f us, want 2448.69", us);
	assert_string_equal(json_string_value(json_object_get(o, "link_path")), "tokyo-osaka-500km");
	json_decref(o);
}

static void test_fec_uncorrectable_at_1000km(void **unused)
{
	(void)unused;
	static const char *const names[8] = { "West0", "West1", "West2", "West3",
					      "East0", "East1", "East2", "East3" };
	all_up(P1000, names);
	assert_int_equal(lbctl_run(&run, P1000 "port show West0"), 0);
	assert_non_null(strstr(run.out, "with the module: down (fec-uncorrectable)"));
	json_t *o = lbctl_run_json(&run, P1000 "port show West0 --json", 0);
	char *text = json_dumps(o, 0);
	assert_non_null(strstr(text, "\"fec-uncorrectable\""));
	free(text);
	json_decref(o);
	for (unsigned i = 0; i < 8; i++) {
		char args[512];
		snprintf(args, sizeof(args), P1000 "mode %s set 800g-pcs-131e", names[i]);
		assert_int_equal(lbctl_run(&run, args), 0);
	}
	assert_int_equal(lbctl_run(&run, P1000 "port show West0"), 0);
	assert_non_null(strstr(run.out, "with the module: up  AppSel 1  line mode 800g-pcs-131e"));
	assert_int_equal(lbctl_run(&run, P1000 "hyperport create west"), 0);
	o = lbctl_run_json(&run, P1000 "hyperport show west --json", 0);
	assert_string_equal(json_string_value(json_object_get(o, "reason")), "full");
	json_decref(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_member_follows_far_reset),
		cmocka_unit_test(test_traffic_delay_from_path),
		cmocka_unit_test(test_fec_uncorrectable_at_1000km),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
