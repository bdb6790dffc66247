/* SPDX-License-Identifier: MIT */
/*
 * lbctl buffer and lbctl traffic on the embedded default platform (an emulated Jericho-class
 * ASIC behind its cages): a lossless PG set up with lb_lossless_plan's numbers for 100 km,
 * kept from one lbctl process to the next; lbctl traffic showing PFC holding the link
 * lossless at 100 km and the same headroom overflowing at 500 km; refused changes with the
 * library's detail and nothing applied; mistakes; JSON and 80 columns. The cases run in order
 * in one state directory.
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
#include <lightbridge/lossless.h>
#include "lbctl_run.h"

LBCTL_RUN_FIXTURE("traffic")

static json_int_t jint(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_integer(v))
		fail_msg("no integer '%s'", key);
	return json_integer_value(v);
}

/* The object of priority n in a traffic document. */
static json_t *prio(json_t *doc, json_int_t n)
{
	json_t *list = json_object_get(doc, "priorities"), *p;
	size_t i;
	json_array_foreach(list, i, p)
		if (jint(p, "priority") == n)
			return p;
	fail_msg("no priority %lld", (long long)n);
	return NULL;
}

static void test_lossless_pg_setup(void **unused)
{
	(void)unused;
	struct lb_lossless_input in = LB_LOSSLESS_INPUT_INIT;
	in.speed_mbps = 800000;
	in.distance_km = 100;
	in.cell_bytes = 256;
	struct lb_lossless_plan plan = LB_LOSSLESS_PLAN_INIT;
	assert_int_equal(lb_lossless_plan(&in, &plan), LB_OK);
	char args[256];
	assert_int_equal(lbctl_run(&run, "buffer pools create --type ingress --size 1G"), 0);
	assert_string_equal(run.out, "pool 0: created\n");
	snprintf(args, sizeof(args), "buffer profiles create --pool 0 --static-th 100M --xoff %llu --xon %llu",
		 (unsigned long long)plan.xoff_bytes, (unsigned long long)plan.xon_bytes);
	assert_int_equal(lbctl_run(&run, args), 0);
	assert_string_equal(run.out, "profile 0: created\n");
	assert_int_equal(lbctl_run(&run, "buffer pg 1 3 --profile 0"), 0);
	assert_int_equal(lbctl_run(&run, "port set 1 --admin up --pfc 3"), 0);
	/* kept for the next process */
	json_t *d = lbctl_run_json(&run, "buffer profiles --json", 0);
	json_t *p0 = json_array_get(json_object_get(d, "profiles"), 0);
	assert_int_equal(jint(p0, "xoff_bytes"), (json_int_t)plan.xoff_bytes);
	assert_int_equal(jint(p0, "xon_bytes"), (json_int_t)plan.xon_bytes);
	json_decref(d);
	d = lbctl_run_json(&run, "buffer pg 1 --json", 0);
	assert_int_equal(jint(json_array_get(json_object_get(d, "pgs"), 3), "profile"), 0);
	assert_true(json_is_null(json_object_get(json_array_get(json_object_get(d, "pgs"), 2), "profile")));
	assert_int_equal(jint(d, "port"), 1);
	assert_non_null(json_object_get(d, "name"));
	json_decref(d);
	assert_int_equal(lbctl_run(&run, "buffer pools"), 0);
	lbctl_run_fits_80(run.out);
	assert_int_equal(lbctl_run(&run, "buffer profiles"), 0);
	lbctl_run_fits_80(run.out);
}

static void test_pfc_at_100km_and_500km(void **unused)
{
	(void)unused;
	json_t *d = lbctl_run_json(&run, "traffic 1 --distance-km 100 --for 20 --json", 0);
	json_t *p = prio(d, 3);
	assert_true(json_is_true(json_object_get(p, "lossless")));
	assert_int_equal(jint(p, "dropped_bytes"), 0);
	assert_true(jint(p, "pfc_tx_frames") > 0);
	assert_true(jint(p, "headroom_peak_bytes") > 0);
	assert_true(jint(p, "headroom_peak_bytes") <= jint(p, "headroom_bytes"));
	assert_int_equal(jint(d, "in_discards"), 0);
	assert_true(fabs(json_real_value(json_object_get(d, "one_way_delay_us")) - 505.05) < 0.01);
	json_decref(d);
	assert_int_equal(lbctl_run(&run, "traffic 1 --distance-km 100 --for 20 --drain 10"), 0);
	lbctl_run_fits_80(run.out);
	assert_non_null(strstr(run.out, "priority 3: headroom 101.088 MB"));
	assert_non_null(strstr(run.out, "no loss"));
	/* the same headroom, five times the distance */
	d = lbctl_run_json(&run, "traffic 1 --distance-km 500 --for 30 --json", 0);
	p = prio(d, 3);
	assert_true(jint(p, "dropped_bytes") > 0);
	assert_int_equal(jint(p, "headroom_peak_bytes"), jint(p, "headroom_bytes"));
	assert_true(jint(d, "in_discards") > 0);
	json_decref(d);
	assert_int_equal(lbctl_run(&run, "traffic 1 --cable-delay-us 2525.25 --for 30"), 0);
	assert_non_null(strstr(run.out, "overflowed, frames lost"));
	/* a lossy priority: no PFC, its queue has no buffer */
	d = lbctl_run_json(&run, "traffic 1 --priority 1 --load 0.9 --for 1 --json", 0);
	p = prio(d, 1);
	assert_true(json_is_false(json_object_get(p, "lossless")));
	assert_int_equal(jint(p, "pfc_tx_frames"), 0);
	assert_true(jint(p, "dropped_bytes") > 0);
	json_decref(d);
}

static void test_qos_and_watermarks(void **unused)
{
	(void)unused;
	json_t *d = lbctl_run_json(&run, "buffer queue 1 2 --sched strict --max-rate 100G --json", 0);
	json_t *q2 = json_array_get(json_object_get(d, "queues"), 2);
	assert_string_equal(json_string_value(json_object_get(q2, "sched")), "strict");
	assert_int_equal(jint(q2, "max_rate_mbps"), 100000);
	json_decref(d);
	assert_int_equal(lbctl_run(&run, "buffer queue 1"), 0);
	lbctl_run_fits_80(run.out);
	d = lbctl_run_json(&run, "buffer maps 1 --tc-pg 0,1,2,3,3,5,6,7 --json", 0);
	assert_int_equal(json_integer_value(json_array_get(json_object_get(d, "tc_to_pg"), 4)), 3);
	json_decref(d);
	/* both kept for the next process */
	d = lbctl_run_json(&run, "buffer maps 1 --json", 0);
	assert_int_equal(json_integer_value(json_array_get(json_object_get(d, "tc_to_pg"), 4)), 3);
	assert_int_equal(json_integer_value(json_array_get(json_object_get(d, "pfc_to_pg"), 4)), 4);
	json_decref(d);
	d = lbctl_run_json(&run, "buffer queue 1 --json", 0);
	q2 = json_array_get(json_object_get(d, "queues"), 2);
	assert_string_equal(json_string_value(json_object_get(q2, "sched")), "strict");
	assert_int_equal(jint(q2, "max_rate_mbps"), 100000);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(d, "queues"), 1), "sched")),
			    "dwrr");
	json_decref(d);
	/* PG 3 now holds priority 4 too, but nothing pauses priority 4: it overflows */
	d = lbctl_run_json(&run, "traffic 1 --priority 4 --distance-km 100 --for 20 --json", 0);
	assert_true(json_is_false(json_object_get(prio(d, 4), "lossless")));
	assert_true(jint(prio(d, 4), "dropped_bytes") > 0);
	json_decref(d);
	/* PFC on 4, and its XOFF from PG 3: lossless in PG 3's headroom */
	assert_int_equal(lbctl_run(&run, "port set 1 --pfc 3,4"), 0);
	assert_int_equal(lbctl_run(&run, "buffer maps 1 --pfc-pg 0,1,2,3,3,5,6,7"), 0);
	d = lbctl_run_json(&run, "traffic 1 --priority 4 --distance-km 100 --for 20 --json", 0);
	assert_true(json_is_true(json_object_get(prio(d, 4), "lossless")));
	assert_int_equal(jint(prio(d, 4), "dropped_bytes"), 0);
	assert_true(jint(prio(d, 4), "pfc_tx_frames") > 0);
	json_decref(d);
	assert_int_equal(lbctl_run(&run, "buffer maps 1 --tc-pg 0,1,2,3,4,5,6,7 --pfc-pg 0,1,2,3,4,5,6,7"), 0);
	assert_int_equal(lbctl_run(&run, "port set 1 --pfc 3"), 0);
	d = lbctl_run_json(&run, "buffer watermarks 1 --json", 0);
	assert_int_equal(json_array_size(json_object_get(d, "pgs")), 8);
	assert_int_equal(jint(json_array_get(json_object_get(d, "queues"), 0), "peak_cells"), 0);
	json_decref(d);
	assert_int_equal(lbctl_run(&run, "buffer watermarks 1 --clear"), 0);
	lbctl_run_fits_80(run.out);
	/* the counters' PFC pause time (counters V2) */
	d = lbctl_run_json(&run, "port counters 1 --json", 0);
	json_t *k = json_array_get(json_object_get(d, "asic_ports"), 0);
	assert_int_equal(json_array_size(json_object_get(k, "pfc_rx_pause_us")), 8);
	assert_int_equal(json_array_size(json_object_get(k, "pfc_tx_pause_us")), 8);
	json_decref(d);
}

static void test_refusals_apply_nothing(void **unused)
{
	(void)unused;
	assert_int_equal(lbctl_run(&run, "buffer pools --json"), 0);
	static char before[sizeof(run.out)];
	snprintf(before, sizeof(before), "%s", run.out);
	/* headroom on an egress pool; the chip's buffer over-subscribed; no such pool or profile */
	assert_int_equal(lbctl_run(&run, "buffer pools create --type egress --size 1G --xoff 1M"), 2);
	assert_non_null(strstr(run.err, "lbctl: buffer pools create: "));
	assert_int_equal(lbctl_run(&run, "buffer pools create --type ingress --size 1000G"), 4);
	assert_int_equal(lbctl_run(&run, "buffer profiles create --pool 9"), 3);
	assert_int_equal(lbctl_run(&run, "buffer pg 1 4 --profile 63"), 3);
	assert_non_null(strstr(run.err, "profile 63 does not exist"));
	assert_int_equal(lbctl_run(&run, "buffer pools remove 0"), 5); /* profile 0 uses it */
	assert_int_equal(lbctl_run(&run, "buffer queue 1 2 --sched dwrr --weight 0"), 2);
	assert_non_null(strstr(run.err, "DWRR weight 0"));
	assert_int_equal(lbctl_run(&run, "buffer queue 1 2 --min-rate 400G --max-rate 100G"), 2);
	assert_int_equal(lbctl_run(&run, "buffer maps 1 --pfc-queue 0,1,2,3,4,5,6,9"), 4);
	assert_non_null(strstr(run.err, "pfc_to_queue[7] = 9"));
	assert_int_equal(lbctl_run(&run, "buffer pools --json"), 0);
	assert_string_equal(run.out, before);
	assert_int_equal(lbctl_run(&run, "buffer pg 1 --json"), 0);
	assert_null(strstr(run.out, "\"profile\": 63"));
}

static void test_mistakes(void **unused)
{
	(void)unused;
	static const char *const bad[] = {
		"buffer",
		"buffer nothing",
		"buffer pools create --type sideways --size 1G",
		"buffer pools create --type ingress --size lots",
		"buffer pools --size 1G",
		"buffer profiles create --pool 0 --static-th 1M --dynamic-th 2",
		"buffer profiles create --pool 0 --dynamic-th 9",
		"buffer pg 1 --profile 0",
		"buffer pg 1 3",
		"buffer pg 1 9 --profile 0",
		"buffer maps 1 --tc-pg 0,1,2",
		"traffic",
		"traffic 1 --load 2",
		"traffic 1 --priority 8",
		"traffic 1 --distance-km 1 --cable-delay-us 3",
		"traffic 1 --burst -5",
		"traffic 1 --peer-pause 9",
		"traffic 1 --for 0",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (lbctl_run(&run, bad[i]) != 2)
			fail_msg("%s: not a usage error: %s", bad[i], run.err);
		assert_non_null(strstr(run.err, "lbctl: "));
	}
	assert_int_equal(lbctl_run(&run, "traffic 99"), 3);
	assert_int_equal(lbctl_run(&run, "buffer --help"), 0);
	assert_non_null(strstr(run.out, "usage: lbctl buffer pools"));
	lbctl_run_fits_80(run.out);
	assert_int_equal(lbctl_run(&run, "traffic --help"), 0);
	assert_non_null(strstr(run.out, "usage: lbctl traffic PORT"));
	lbctl_run_fits_80(run.out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lossless_pg_setup),
		cmocka_unit_test(test_pfc_at_100km_and_500km),
		cmocka_unit_test(test_qos_and_watermarks),
		cmocka_unit_test(test_refusals_apply_nothing),
		cmocka_unit_test(test_mistakes),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
