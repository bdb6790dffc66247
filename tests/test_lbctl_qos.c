/* SPDX-License-Identifier: MIT */
/*
 * lbctl qos PORT ecn|wred|pfcwd on the embedded emulated platform: shown (80 columns, JSON),
 * set and kept from one lbctl process to the next, reported by lbctl traffic (a pause storm),
 * refusals with the library's detail (exit 2 for a value out of its range) and nothing
 * changed, mistakes with the one usage wording, a malformed saved state not used. The cases
 * run in order in one state directory.
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

LBCTL_RUN_FIXTURE("qos")

static json_t *queue_of(json_t *doc, unsigned q)
{
	json_t *qs = json_object_get(doc, "queues");
	assert_int_equal(json_array_size(qs), 8);
	json_t *o = json_array_get(qs, q);
	assert_int_equal(json_integer_value(json_object_get(o, "queue")), q);
	return o;
}

static void test_show_fresh(void **unused)
{
	(void)unused;
	assert_int_equal(lbctl_run(&run, "--fresh qos 1 ecn"), 0);
	lbctl_run_fits_80(run.out);
	assert_non_null(strstr(run.out, "port 1 (Ethernet0): ASIC port 0; ECN/WRED per queue"));
	assert_non_null(strstr(run.out, "3  off       -"));
	assert_int_equal(lbctl_run(&run, "qos 1 pfcwd"), 0);
	lbctl_run_fits_80(run.out);
	assert_non_null(strstr(run.out, "3  off          0      0 operational"));
	json_t *o = lbctl_run_json(&run, "qos 1 wred --json", 0);
	assert_int_equal(json_integer_value(json_object_get(o, "schema")), 1);
	assert_int_equal(json_integer_value(json_object_get(o, "port")), 1);
	assert_string_equal(json_string_value(json_object_get(o, "name")), "Ethernet0");
	json_t *q = queue_of(o, 5);
	assert_true(json_is_false(json_object_get(q, "ecn")));
	assert_int_equal(json_array_size(json_object_get(q, "colors")), 0);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(q, "wred_dropped_packets"), "red")), 0);
	json_decref(o);
}

static void test_set_and_kept(void **unused)
{
	(void)unused;
	assert_int_equal(lbctl_run(&run, "qos 1 ecn 3 --min 100K --max 1M --prob 20"), 0);
	lbctl_run_fits_80(run.out);
	assert_non_null(strstr(run.out, "3  ecn       green        102400     1048576     20"));
	assert_int_equal(lbctl_run(&run, "qos 1 wred 3 --colors yellow,red --min 50K --max 400K --prob 50"), 0);
	/* the next process finds both */
	json_t *o = lbctl_run_json(&run, "qos Ethernet0 ecn --json", 0);
	json_t *q = queue_of(o, 3);
	assert_true(json_is_true(json_object_get(q, "ecn")));
	assert_true(json_is_true(json_object_get(q, "wred")));
	json_t *cs = json_object_get(q, "colors");
	assert_int_equal(json_array_size(cs), 3);
	assert_string_equal(json_string_value(json_object_get(json_array_get(cs, 0), "color")), "green");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(cs, 0), "min_bytes")), 102400);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(cs, 0), "probability_pct")), 20);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(cs, 2), "max_bytes")), 409600);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(cs, 2), "probability_pct")), 50);
	assert_false(json_is_true(json_object_get(queue_of(o, 2), "ecn")));
	json_decref(o);
	/* WRED off leaves ECN; ECN off too: all off */
	assert_int_equal(lbctl_run(&run, "qos 1 wred 3 --off"), 0);
	assert_non_null(strstr(run.out, "3  ecn       green"));
	assert_int_equal(lbctl_run(&run, "qos 1 ecn 3 --off"), 0);
	assert_non_null(strstr(run.out, "3  off       -"));
	assert_int_equal(lbctl_run(&run, "qos 1 ecn 3 --min 100K --max 1M --prob 20"), 0);
	/* the watchdog */
	assert_int_equal(lbctl_run(&run, "qos 1 pfcwd 3 --action drop"), 0);
	assert_non_null(strstr(run.out, "3  drop       200    200 operational"));
	assert_int_equal(lbctl_run(&run, "qos 1 pfcwd 4 --action alarm --detect 400 --restore 1000"), 0);
	o = lbctl_run_json(&run, "qos 1 pfcwd --json", 0);
	assert_int_equal(json_integer_value(json_object_get(o, "poll_ms")), 10);
	json_t *t = json_array_get(json_object_get(o, "tcs"), 4);
	assert_int_equal(json_integer_value(json_object_get(t, "tc")), 4);
	assert_string_equal(json_string_value(json_object_get(t, "action")), "alarm");
	assert_int_equal(json_integer_value(json_object_get(t, "detection_ms")), 400);
	assert_int_equal(json_integer_value(json_object_get(t, "restoration_ms")), 1000);
	assert_string_equal(json_string_value(json_object_get(t, "state")), "operational");
	assert_int_equal(json_integer_value(json_object_get(t, "storms_detected")), 0);
	json_decref(o);
}

static void test_refusals_change_nothing(void **unused)
{
	(void)unused;
	assert_int_equal(lbctl_run(&run, "qos 1 ecn --json"), 0);
	char before[65536];
	snprintf(before, sizeof(before), "%s", run.out);
	assert_int_equal(lbctl_run(&run, "qos 1 ecn 3 --min 2M"), 2);
	assert_non_null(strstr(run.err, "asic port 0: queue 3: green: min 2097152 bytes above max 1048576"));
	assert_int_equal(lbctl_run(&run, "qos 1 ecn --json"), 0);
	assert_string_equal(run.out, before);
	assert_int_equal(lbctl_run(&run, "qos 1 pfcwd --json"), 0);
	snprintf(before, sizeof(before), "%s", run.out);
	assert_int_equal(lbctl_run(&run, "qos 1 pfcwd 3 --detect 5"), 2);
	assert_non_null(strstr(run.err, "tc 3: detection time 5 ms: 10 to 5000"));
	assert_int_equal(lbctl_run(&run, "qos 1 pfcwd 3 --restore 60001"), 2);
	assert_non_null(strstr(run.err, "restoration time 60001 ms"));
	assert_int_equal(lbctl_run(&run, "qos 1 pfcwd --json"), 0);
	assert_string_equal(run.out, before);
	assert_int_equal(lbctl_run(&run, "qos 99 ecn"), 3); /* no such port */
}

static void test_mistakes(void **unused)
{
	(void)unused;
	static const struct {
		const char *args, *says;
	} cases[] = {
		{ "qos", "qos: PORT ecn, wred or pfcwd?" },
		{ "qos 1 red", "qos: unknown 'red'" },
		{ "qos 1 ecn 8 --min 1K", "queue 8: 0 to 7" },
		{ "qos 1 ecn --min 1K", "which queue?" },
		{ "qos 1 ecn 3", "nothing to set" },
		{ "qos 1 ecn 3 --off --min 1K", "--off takes no thresholds" },
		{ "qos 1 ecn 3 --prob 101", "--prob 101: 0 to 100" },
		{ "qos 1 ecn 3 --colors blue", "--colors blue" },
		{ "qos 1 wred 3 --colors red,red", "--colors red,red" },
		{ "qos 1 ecn 3 --max lots", "--max lots: bytes" },
		{ "qos 1 pfcwd 3 --action panic", "--action panic: drop, forward, alarm or off" },
		{ "qos 1 pfcwd 5 --detect 300", "the watchdog of TC 5 is off" },
		{ "qos 1 pfcwd 3", "nothing to set" },
		{ "qos 1 pfcwd --bogus", "bogus" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = lbctl_run(&run, cases[i].args);
		if (rc != 2 || !strstr(run.err, cases[i].says))
			fail_msg("'%s': exit %d, stderr '%s'", cases[i].args, rc, run.err);
	}
	assert_int_equal(lbctl_run(&run, "qos --help"), 0);
	lbctl_run_fits_80(run.out);
	assert_non_null(strstr(run.out, "usage: lbctl qos PORT ecn|wred"));
	assert_int_equal(lbctl_run(&run, "qos 1 pfcwd --help"), 0);
	assert_non_null(strstr(run.out, "usage: lbctl qos PORT ecn|wred"));
}

/* lbctl traffic reports what ECN/WRED and the watchdog did during its run: a pause storm. */
static void test_traffic_reports(void **unused)
{
	(void)unused;
	assert_int_equal(lbctl_run(&run, "port set 1 --admin up"), 0);
	json_t *o = lbctl_run_json(&run, "traffic 1 --priority 3 --load 0.5 --egress-rate 1 --peer-pause 3 --for 250 --json", 0);
	json_t *p = json_array_get(json_object_get(o, "priorities"), 0);
	assert_int_equal(json_integer_value(json_object_get(p, "priority")), 3);
	json_t *wd = json_object_get(p, "pfcwd");
	assert_string_equal(json_string_value(json_object_get(wd, "action")), "drop");
	assert_string_equal(json_string_value(json_object_get(wd, "state")), "stormed");
	assert_int_equal(json_integer_value(json_object_get(wd, "storms_detected")), 1);
	assert_int_equal(json_integer_value(json_object_get(wd, "storm_ms")), 50); /* from 200 ms */
	/* 50 ms of 50 bytes a ns in frames of 1500, all dropped on arrival */
	json_int_t rx = json_integer_value(json_object_get(wd, "rx_dropped_packets"));
	assert_true(rx >= 1666600 && rx <= 1666700);
	json_t *ecn = json_object_get(p, "ecn"); /* ECN only, nothing ECN-capable: passes */
	assert_int_equal(json_integer_value(json_object_get(ecn, "ecn_marked_packets")), 0);
	assert_int_equal(json_integer_value(json_object_get(ecn, "wred_dropped_packets")), 0);
	json_decref(o);
	/* the counters last: the next process reads what this one counted */
	o = lbctl_run_json(&run, "qos 1 pfcwd --json", 0);
	json_t *tc3 = NULL, *e;
	size_t i;
	json_array_foreach(json_object_get(o, "tcs"), i, e)
		if (json_integer_value(json_object_get(e, "tc")) == 3)
			tc3 = e;
	assert_non_null(tc3);
	assert_int_equal(json_integer_value(json_object_get(tc3, "storms_detected")), 1);
	assert_int_equal(json_integer_value(json_object_get(tc3, "storm_ms")), 50);
	assert_int_equal(json_integer_value(json_object_get(tc3, "rx_dropped_packets")), rx);
	json_decref(o);
	/* and the next run counts on from there */
	assert_int_equal(lbctl_run(&run, "traffic 1 --priority 3 --load 0.5 --peer-pause 3 --for 250"), 0);
	lbctl_run_fits_80(run.out);
	assert_non_null(strstr(run.out, "priority 3: PFC watchdog (drop): stormed, storms 2, restored 0, 100 ms"));
	/* a priority whose queue and class have neither: no such line */
	assert_int_equal(lbctl_run(&run, "traffic 1 --priority 2 --load 0.5 --for 1"), 0);
	assert_null(strstr(run.out, "priority 2: "));
}

/* A state file whose "congestion" is malformed is not used: the ASIC starts at power-on. */
static void test_bad_saved_state_ignored(void **unused)
{
	(void)unused;
	assert_int_equal(lbctl_run(&run, "qos 1 ecn 2 --min 1K --max 2K"), 0);
	char path[160];
	snprintf(path, sizeof(path), "%s/default/asic-asic0.json", run.dir);
	json_error_t e;
	json_t *doc = json_load_file(path, 0, &e);
	assert_non_null(doc);
	json_t *ports = json_object_get(doc, "ports"), *p0 = NULL;
	for (size_t i = 0; i < json_array_size(ports); i++)
		if (json_integer_value(json_object_get(json_array_get(ports, i), "port")) == 0)
			p0 = json_array_get(ports, i);
	assert_non_null(p0);
	json_t *cc = json_object_get(p0, "congestion");
	assert_int_equal(json_array_size(cc), 8 * 14 + 8 * 3); /* kept: queues and watchdogs */
	json_array_remove(cc, 0);
	assert_int_equal(json_dump_file(doc, path, 0), 0);
	json_decref(doc);
	json_t *o = lbctl_run_json(&run, "qos 1 ecn --json", 0);
	assert_false(json_is_true(json_object_get(queue_of(o, 2), "ecn")));
	assert_false(json_is_true(json_object_get(queue_of(o, 3), "ecn")));
	json_decref(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_show_fresh),
		cmocka_unit_test(test_set_and_kept),
		cmocka_unit_test(test_refusals_change_nothing),
		cmocka_unit_test(test_mistakes),
		cmocka_unit_test(test_traffic_reports),
		cmocka_unit_test(test_bad_saved_state_ignored),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
