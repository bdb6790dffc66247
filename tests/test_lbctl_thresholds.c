/* SPDX-License-Identifier: MIT */
/*
 * lbctl plan lossless --port / --apply on the Tokyo-Osaka scenario
 * (platforms/scale-across-500km.json): the round trip from the link path while the modules
 * are dark, from the modules' CD once the link is up; short-distance thresholds (0.3 km)
 * losing frames under a congestion burst in lbctl traffic, the thresholds from the optics
 * losing none; what the buffer cannot hold refused with exit 6 and nothing applied; mistakes;
 * JSON and 80 columns. The cases run in order in one state directory.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>
#include "lbctl_run.h"

#define P500 "--platform " LB_SOURCE_DIR "/platforms/scale-across-500km.json "

LBCTL_RUN_FIXTURE("thresholds")

static json_int_t jint(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_integer(v))
		fail_msg("no integer '%s'", key);
	return json_integer_value(v);
}

static double jnum(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_number(v))
		fail_msg("no number '%s'", key);
	return json_number_value(v);
}

static const char *jstr(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_string(v))
		fail_msg("no string '%s'", key);
	return json_string_value(v);
}

/* Priority 3 of a traffic document. */
static json_t *prio3(json_t *doc)
{
	json_t *list = json_object_get(doc, "priorities"), *p;
	size_t i;
	json_array_foreach(list, i, p)
		if (jint(p, "priority") == 3)
			return p;
	fail_msg("no priority 3");
	return NULL;
}

/* The modules dark: the round trip of the platform link's path, nothing applied. */
static void test_plan_port_from_path(void **unused)
{
	(void)unused;
	json_t *d = lbctl_run_json(&run, P500 "plan lossless --port 1 --json", 0);
	assert_false(json_is_true(json_object_get(d, "applied")));
	assert_true(json_is_null(json_object_get(d, "pool")));
	json_t *p = json_array_get(json_object_get(d, "ports"), 0);
	assert_int_equal(json_array_size(json_object_get(d, "ports")), 1);
	assert_int_equal(jint(p, "port"), 1);
	assert_string_equal(jstr(p, "name"), "Tokyo0");
	assert_string_equal(jstr(p, "rtt_source"), "link-path");
	assert_true(fabs(jnum(p, "distance_km") - 500) < 1e-9);
	assert_true(fabs(jnum(p, "rtt_ns") - 4897388) < 10); /* 2 x 500 km x 1.4682 / c */
	assert_non_null(strstr(jstr(p, "skipped"), "cd-estimate: the module receives no signal"));
	assert_true(jint(p, "xoff_bytes") == jint(p, "headroom_bytes"));
	assert_true(jint(p, "xon_bytes") > 0 && jint(p, "ecn_max_bytes") <= jint(p, "xon_bytes"));
	assert_true(jint(p, "ecn_min_bytes") < jint(p, "ecn_max_bytes"));
	assert_false(json_is_true(json_object_get(p, "applied")));
	json_decref(d);
	assert_int_equal(lbctl_run(&run, P500 "plan lossless --port Tokyo0"), 0);
	lbctl_run_fits_80(run.out);
	assert_non_null(strstr(run.out, "from the link path tokyo-osaka-500km"));
	assert_non_null(strstr(run.out, "not applied"));
	/* nothing on the chip */
	d = lbctl_run_json(&run, P500 "buffer pg 1 --json", 0);
	assert_true(json_is_null(json_object_get(json_array_get(json_object_get(d, "pgs"), 3), "profile")));
	json_decref(d);
}

/* Thresholds for a data-centre cable (0.3 km) on the 500 km link: the burst loses frames. */
static void test_short_thresholds_lose(void **unused)
{
	(void)unused;
	assert_int_equal(lbctl_run(&run, P500 "up 1,2"), 0);
	assert_int_equal(lbctl_run(&run, P500 "port set 1 --admin up"), 0);
	json_t *d = lbctl_run_json(&run, P500 "plan lossless --apply --rtt-from distance --distance-km 0.3 1 --json", 0);
	assert_true(json_is_true(json_object_get(d, "applied")));
	json_t *p = json_array_get(json_object_get(d, "ports"), 0);
	assert_string_equal(jstr(p, "rtt_source"), "distance");
	assert_true(json_is_true(json_object_get(p, "applied")));
	json_decref(d);
	d = lbctl_run_json(&run, P500 "traffic 1 --for 60 --json", 0);
	assert_true(fabs(jnum(d, "one_way_delay_us") - 2448.7) < 0.1); /* the path's, in real fibre */
	assert_true(jint(prio3(d), "dropped_bytes") > 0);
	assert_true(jint(d, "in_discards") > 0);
	json_decref(d);
}

/* From the optics (the modules' CD, the link up): both ends planned and applied; no loss. */
static void test_apply_from_optics(void **unused)
{
	(void)unused;
	json_t *d = lbctl_run_json(&run, P500 "plan lossless --apply --json", 0);
	assert_true(json_is_true(json_object_get(d, "applied")));
	assert_true(json_is_true(json_object_get(d, "ecn_applied")));
	json_t *ports = json_object_get(d, "ports");
	assert_int_equal(json_array_size(ports), 2);
	for (size_t i = 0; i < 2; i++) {
		json_t *p = json_array_get(ports, i);
		assert_int_equal(jint(p, "port"), (json_int_t)i + 1);
		assert_string_equal(jstr(p, "rtt_source"), "cd-estimate");
		assert_true(fabs(jnum(p, "distance_km") - 500) < 5);
		assert_true(fabs(jnum(p, "cd_ps_nm") - 8350) < 50);
		assert_true(json_is_true(json_object_get(p, "applied")));
		assert_true(json_is_integer(json_object_get(p, "profile")));
	}
	json_int_t xoff = jint(json_array_get(ports, 0), "xoff_bytes");
	json_decref(d);
	/* programmed, and kept for the next process */
	d = lbctl_run_json(&run, P500 "buffer profiles --json", 0);
	json_t *prof, *list = json_object_get(d, "profiles");
	size_t i;
	bool found = false;
	json_array_foreach(list, i, prof)
		found = found || jint(prof, "xoff_bytes") == xoff;
	assert_true(found);
	json_decref(d);
	/* the counters last between processes: start from zero after the earlier cases' bursts */
	assert_int_equal(lbctl_run(&run, P500 "port clear 1"), 0);
	d = lbctl_run_json(&run, P500 "traffic 1 --for 60 --json", 0);
	json_t *p3 = prio3(d);
	assert_true(json_is_true(json_object_get(p3, "lossless")));
	assert_int_equal(jint(p3, "dropped_bytes"), 0);
	assert_true(jint(p3, "pfc_tx_frames") > 0);
	assert_int_equal(jint(d, "in_discards"), 0);
	/* half the line rate for a round trip went into the headroom */
	assert_true(jint(p3, "headroom_peak_bytes") > 240000000);
	json_decref(d);
	assert_int_equal(lbctl_run(&run, P500 "plan lossless --apply"), 0);
	lbctl_run_fits_80(run.out);
	assert_non_null(strstr(run.out, "from the module's CD: 8350 ps/nm"));
	assert_non_null(strstr(run.out, "applied"));
	assert_int_equal(lbctl_run(&run, P500 "traffic 1 --for 60"), 0);
	assert_non_null(strstr(run.out, "no loss"));
}

/* 10,000 km cannot be held: exit 6, the port past which it does not fit and its bytes named,
 * nothing applied. */
static void test_refused(void **unused)
{
	(void)unused;
	json_t *before = lbctl_run_json(&run, P500 "buffer pools --json", 0);
	char *b = json_dumps(before, JSON_SORT_KEYS);
	json_decref(before);
	assert_int_equal(lbctl_run(&run, P500 "plan lossless --apply --rtt-from distance --distance-km 10000"), 6);
	assert_non_null(strstr(run.err, "does not fit, nothing applied: port 2 (Osaka0): 2 lossless PGs"));
	assert_non_null(strstr(run.out, "not applied"));
	json_t *after = lbctl_run_json(&run, P500 "buffer pools --json", 0);
	char *a = json_dumps(after, JSON_SORT_KEYS);
	json_decref(after);
	assert_string_equal(a, b);
	free(a);
	free(b);
}

static void test_mistakes(void **unused)
{
	(void)unused;
	static const char *const bad[] = {
		"plan lossless --apply --speed 800G",
		"plan lossless --port 1 --path tokyo-osaka-500km",
		"plan lossless 1",
		"plan lossless --port 1 2",
		"plan lossless --apply --rtt-from nowhere",
		"plan lossless --apply --rtt-from distance",
		"plan lossless --apply --lossless 9",
		"plan lossless --apply --distance-km -1",
		"plan lossless --speed 800G --distance-km 5 --lossless 3",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char args[256];
		snprintf(args, sizeof(args), P500 "%s", bad[i]);
		if (lbctl_run(&run, args) != 2)
			fail_msg("%s: not a usage error (%s)", bad[i], run.err);
	}
	assert_int_equal(lbctl_run(&run, P500 "plan lossless --port 7"), 3);
	assert_int_equal(lbctl_run(&run, P500 "plan lossless --help"), 0);
	lbctl_run_fits_80(run.out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan_port_from_path),
		cmocka_unit_test(test_short_thresholds_lose),
		cmocka_unit_test(test_apply_from_optics),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_mistakes),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
