/* SPDX-License-Identifier: MIT */
/*
 * lbctl plan lossless: the headroom of reference/asic-buffers.md §3.3 (800G over 500 km:
 * 505,127,936 bytes per PG) in text and JSON, each fit on the emulated ASIC profiles, the
 * refusal (exit 6) of what cannot be held, and mistakes on the command line.
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

LBCTL_RUN_FIXTURE("lossless")

static json_int_t int_of(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_integer(v))
		fail_msg("%s: not an integer", key);
	return json_integer_value(v);
}

static void test_800g_500km(void **unused)
{
	(void)unused;
	/* the same 500 km from the Tokyo-Osaka path file (its spans' sum), or a bad one */
	assert_int_equal(lbctl_run(&run, "plan lossless --speed 800G --path tokyo-osaka-500km"), 0);
	assert_non_null(strstr(run.out, "over 500 km"));
	assert_non_null(strstr(run.out, "headroom (xoff)   505,127,936 bytes per PG"));
	assert_int_equal(lbctl_run(&run, "plan lossless --speed 800G --path no-such-path"), 4);
	assert_int_equal(lbctl_run(&run, "plan lossless --speed 800G --path tokyo-osaka-500km "
				   "--distance-km 500"), 2);
	assert_int_equal(lbctl_run(&run, "plan lossless --speed 800G --distance-km 500"), 0);
	assert_non_null(strstr(run.out, "headroom (xoff)   505,127,936 bytes per PG"));
	assert_non_null(strstr(run.out, "round trip        5.051 ms"));
	assert_non_null(strstr(run.out, "fits with the HBM deep buffer"));
	for (const char *l = run.out; *l;) { /* 80 columns */
		const char *nl = strchr(l, '\n');
		size_t n = nl ? (size_t)(nl - l) : strlen(l);
		assert_true(n <= 80);
		l += n + (nl ? 1 : 0);
	}
	json_t *o = lbctl_run_json(&run, "plan lossless --speed 800G --distance-km 500 --json", 0);
	assert_int_equal(int_of(o, "schema"), 1);
	assert_int_equal(int_of(o, "headroom_bytes"), 505127936);
	assert_int_equal(int_of(o, "xoff_bytes"), 505127936);
	assert_int_equal(int_of(o, "xon_bytes"), 505051136);
	assert_string_equal(json_string_value(json_object_get(o, "fit")), "hbm");
	json_decref(o);
}

static void test_fits(void **unused)
{
	(void)unused;
	struct {
		const char *args;
		int exit;
		const char *fit;
	} cases[] = {
		{ "--speed 100G --distance-km 10 --ports 4 --priorities 2", 0, "onchip" },
		{ "--speed 800G --distance-km 100 --ports 64", 0, "hbm" },
		{ "--speed 800G --distance-km 500 --ports 40", 0, "shared-pool" },
		{ "--speed 800G --distance-km 500 --ports 64", 6, "none" },
		{ "--speed 800G --distance-km 500 --ports 64 --oversubscription 8 --distance-km=400", 2, NULL },
		{ "--speed 800G --distance-km 400 --ports 64 --oversubscription 8", 0, "shared-pool" },
		{ "--speed 800G --distance-km 1 --ports 4 --asic small", 0, "onchip" },
		{ "--speed 800G --distance-km 100 --ports 4 --asic small", 6, "none" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char args[256];
		snprintf(args, sizeof(args), "plan lossless %s --json", cases[i].args);
		if (!cases[i].fit) {
			assert_int_equal(lbctl_run(&run, args), cases[i].exit);
			continue;
		}
		json_t *o = lbctl_run_json(&run, args, cases[i].exit);
		if (strcmp(json_string_value(json_object_get(o, "fit")), cases[i].fit) != 0)
			fail_msg("%s: fit %s", args, json_string_value(json_object_get(o, "fit")));
		json_decref(o);
		if (cases[i].exit == 6)
			assert_non_null(strstr(run.err, "do not fit"));
	}
}

static void test_mistakes(void **unused)
{
	(void)unused;
	const char *bad[] = {
		"plan lossless --distance-km 500",
		"plan lossless --speed 800G",
		"plan lossless --speed 800X --distance-km 5",
		"plan lossless --speed 800G --distance-km -5",
		"plan lossless --speed 800G --distance-km 5 --ports 0",
		"plan lossless --speed 800G --distance-km 5 --priorities 9",
		"plan lossless --speed 800G --distance-km 5 --mtu 20",
		"plan lossless --speed 800G --distance-km 5 --occupancy 0.5",
		"plan lossless --speed 800G --distance-km 5 extra",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (lbctl_run(&run, bad[i]) != 2)
			fail_msg("%s: exit not 2", bad[i]);
	/* a speed the standard's table lacks */
	assert_int_equal(lbctl_run(&run, "plan lossless --speed 300G --distance-km 5"), 2);
	assert_non_null(strstr(run.err, "--speed 300G: no peer response budget"));
	assert_int_equal(lbctl_run(&run, "plan lossless --speed 800G --distance-km 5 --asic huge"), 2);
	assert_non_null(strstr(run.err, "no such profile"));
	assert_int_equal(lbctl_run(&run, "plan lossless --help"), 0);
	assert_non_null(strstr(run.out, "usage: lbctl plan lossless"));
	assert_int_equal(lbctl_run(&run, "plan nothing"), 2);
	assert_non_null(strstr(run.err, "link or lossless"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_800g_500km),
		cmocka_unit_test(test_fits),
		cmocka_unit_test(test_mistakes),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
