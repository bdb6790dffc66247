/* SPDX-License-Identifier: MIT */
/*
 * lbctl telemetry: the snapshot of the emulated coherent module as a table (80 columns) and
 * as JSON named by OpenConfig leaves; --watch on the bus clock, one object a line; bad input.
 */
#include <jansson.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "lbctl_run.h"
#include "test_run.h"

static struct lbctl_run run;

static void assert_fits_80(const char *text)
{
	size_t col = 0;
	for (const char *p = text; *p; p++) {
		if (*p == '\n') {
			col = 0;
			continue;
		}
		assert_true(*p != '\t');
		assert_true(++col <= 80);
	}
}

static void test_table(void **unused)
{
	(void)unused;
	assert_int_equal(lbctl_run(&run, "--fresh telemetry 1"), 0);
	assert_non_null(strstr(run.out, "Port 1 (Ethernet0): 75 values at "));
	/* the profile's VDM sample: OSNR 33.9 dB of media lane 1, within its thresholds */
	assert_non_null(strstr(run.out, "\nOSNR                              1       33.900 dB      ok\n"));
	assert_non_null(strstr(run.out, "\nLaser frequency                   1    193100000 MHz     -\n"));
	assert_non_null(strstr(run.out, "\nPre-FEC BER                       1    1.200e-03 -       ok\n"));
	assert_fits_80(run.out);
	assert_int_equal(lbctl_run(&run, "telemetry Ethernet0"), 0); /* by name */
	/* a module with no laser, VDM or C-CMIS pages: its monitors */
	assert_int_equal(lbctl_run(&run, "telemetry 3"), 0);
	assert_null(strstr(run.out, "OSNR"));
	assert_non_null(strstr(run.out, "Rx power"));
	assert_fits_80(run.out);
}

static json_t *value_named(json_t *doc, const char *name)
{
	json_t *vals = json_object_get(doc, "values"), *v;
	size_t i;
	json_array_foreach(vals, i, v)
		if (strcmp(json_string_value(json_object_get(v, "name")), name) == 0)
			return v;
	fail_msg("no value %s", name);
	return NULL;
}

static void test_json_openconfig_names(void **unused)
{
	(void)unused;
	assert_int_equal(lbctl_run(&run, "--fresh telemetry 1 --json"), 0);
	json_error_t e;
	json_t *doc = json_loads(run.out, 0, &e);
	assert_non_null(doc);
	assert_int_equal(json_integer_value(json_object_get(doc, "port")), 1);
	assert_int_equal(json_integer_value(json_object_get(doc, "media_lanes")), 1);
	json_t *osnr = value_named(doc, "optical-channel/osnr/instant");
	assert_true(fabs(json_real_value(json_object_get(osnr, "value")) - 33.9) < 1e-9);
	assert_string_equal(json_string_value(json_object_get(osnr, "unit")), "dB");
	assert_string_equal(json_string_value(json_object_get(osnr, "source")), "vdm");
	assert_int_equal(json_array_size(json_object_get(osnr, "alarm")), 0);
	assert_true(json_is_real(json_object_get(osnr, "time_s")));
	json_t *cd = value_named(doc, "optical-channel/chromatic-dispersion/avg");
	assert_string_equal(json_string_value(json_object_get(cd, "unit")), "ps/nm");
	assert_true(json_is_null(json_object_get(value_named(doc, "lightbridge/pm-pre-fec-ber/avg"),
						  "value"))); /* nothing received yet */
	assert_true(json_is_null(json_object_get(value_named(doc, "transceiver/temperature/instant"),
						  "lane")));
	json_decref(doc);
}

/* --watch: one object a line, a second apart on the bus clock. */
static void test_watch_lines(void **unused)
{
	(void)unused;
	assert_int_equal(lbctl_run(&run, "--fresh telemetry 1 --watch --count 3 --interval 1 --json"), 0);
	double last = -1;
	unsigned lines = 0;
	for (char *line = strtok(run.out, "\n"); line; line = strtok(NULL, "\n")) {
		json_t *o = json_loads(line, 0, NULL);
		assert_non_null(o);
		lines++;
		assert_int_equal(json_integer_value(json_object_get(o, "read")), lines);
		double t = json_real_value(json_object_get(o, "time_s"));
		if (last >= 0)
			assert_true(fabs(t - last - 1.0) < 0.01);
		last = t;
		json_decref(o);
	}
	assert_int_equal(lines, 3);
	/* not a terminal, no --json: JSON lines all the same */
	assert_int_equal(lbctl_run(&run, "telemetry 1 --watch --count 1"), 0);
	assert_true(run.out[0] == '{');
}

static void test_bad_input(void **unused)
{
	(void)unused;
	assert_int_equal(lbctl_run(&run, "telemetry"), 2);
	assert_int_equal(lbctl_run(&run, "telemetry 1 --interval 2"), 2);
	assert_string_equal(run.err, "lbctl: telemetry: --interval goes with --watch\n");
	assert_int_equal(lbctl_run(&run, "telemetry 1 --count 2"), 2);
	assert_int_equal(lbctl_run(&run, "telemetry 1 --watch --interval 0"), 2);
	assert_non_null(strstr(run.err, "--interval takes seconds"));
	assert_int_equal(lbctl_run(&run, "telemetry 1 --watch --count 0"), 2);
	assert_int_equal(lbctl_run(&run, "telemetry 1 2"), 2);
	assert_int_equal(lbctl_run(&run, "telemetry Ethernet999"), 3);
	assert_int_equal(lbctl_run(&run, "telemetry --help"), 0);
	assert_non_null(strstr(run.out, "usage: lbctl telemetry PORT"));
	assert_fits_80(run.out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_json_openconfig_names),
		cmocka_unit_test(test_watch_lines),
		cmocka_unit_test(test_bad_input),
	};
	if (lbctl_run_setup(&run, "telemetry"))
		return 1;
	int rc = LB_TEST_RUN(tests, NULL, NULL);
	lbctl_run_teardown(&run);
	return rc;
}
