/* SPDX-License-Identifier: MIT */
/*
 * lbctl link PORT on the scale-across scenarios (platforms/scale-across-*.json): both ends, the
 * path, the plan of each direction and what the receiver measures through the HAL (the Rx
 * power the emulated link feeds; VDM values once the module stores them), within 80 columns;
 * the 1,000 km path where 800G fails and a lower rate closes; a far end whose laser goes out;
 * a port on no link with --path (hardware); bad command lines, path files and joins.
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

#define P500 "--platform " LB_SOURCE_DIR "/platforms/scale-across-500km.json "
#define P1000 "--platform " LB_SOURCE_DIR "/platforms/scale-across-1000km.json "

static double num(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_number(v))
		fail_msg("%s is not a number", key);
	return json_number_value(v);
}

static void assert_fits_80(const char *text)
{
	size_t col = 0;
	for (const char *p = text; *p; p++) {
		col = *p == '\n' ? 0 : col + 1;
		if (col > 80)
			fail_msg("line longer than 80 columns in:\n%s", text);
	}
}

/* Tokyo-Osaka at 800G: the plan closes both ways; each receiver's Rx power is the link's. */
static void test_500km(void **unused)
{
	(void)unused;
	assert_int_equal(lbctl_run(&run, P500 "--fresh up 1"), 0);
	assert_int_equal(lbctl_run(&run, P500 "up 2"), 0);
	json_t *o = lbctl_run_json(&run, P500 "link Tokyo0 --json", 0);
	assert_int_equal(num(o, "port"), 1);
	assert_string_equal(json_string_value(json_object_get(o, "name")), "Tokyo0");
	assert_string_equal(json_string_value(json_object_get(o, "link")), "tokyo-osaka");
	json_t *path = json_object_get(o, "path");
	assert_true(fabs(num(path, "length_km") - 500.0) < 1e-6);
	assert_int_equal(num(path, "span_count"), 6);
	assert_true(fabs(num(path, "one_way_delay_ms") - 2.449) < 0.001);
	json_t *ends = json_object_get(o, "ends"), *rx = json_object_get(o, "receive");
	assert_int_equal(json_array_size(ends), 2);
	assert_int_equal(json_array_size(rx), 2);
	for (size_t i = 0; i < 2; i++) {
		json_t *e = json_array_get(ends, i), *d = json_array_get(rx, i);
		assert_int_equal(num(e, "port"), i + 1);
		assert_string_equal(json_string_value(json_object_get(e, "module_state")), "ModuleReady");
		assert_string_equal(json_string_value(json_object_get(e, "line_mode")), "800g-16qam-118");
		assert_true(num(e, "frequency_ghz") == 193100.0);
		assert_int_equal(num(d, "from_port"), 2 - i);
		json_t *plan = json_object_get(d, "plan");
		assert_true(json_is_true(json_object_get(plan, "closes")));
		assert_string_equal(json_string_value(json_object_get(plan, "limited_by")), "osnr");
		assert_true(num(plan, "margin_db") > 1.0 && num(plan, "margin_db") < 2.0);
		assert_true(fabs(num(plan, "cd_ps_nm") - 8350.0) < 1.0);
		assert_true(num(d, "fec_threshold_ber") == 2.0e-2);
		/* measured through the HAL: the Rx power the link feeds, as the plan has it */
		assert_true(json_is_false(json_object_get(d, "loss_of_signal")));
		assert_true(json_is_true(json_object_get(json_object_get(d, "far_end"), "same_mode")));
		json_t *m = json_object_get(d, "measured");
		assert_true(fabs(num(m, "rx_signal_power_dbm") - num(plan, "rx_power_dbm")) < 0.01);
	}
	json_decref(o);
	/* text: both ends, the path, a MEASURED/PLAN table per direction */
	assert_int_equal(lbctl_run(&run, P500 "link 2"), 0);
	assert_non_null(strstr(run.out, "link tokyo-osaka: port 1 (Tokyo0) <-> port 2 (Osaka0)\n"));
	assert_non_null(strstr(run.out, "path tokyo-osaka-500km: 500.0 km in 6 spans, one-way delay 2.449 ms\n"));
	assert_non_null(strstr(run.out, "port 2 receives from port 1 (800g-16qam-118"));
	assert_non_null(strstr(run.out, "  plan: closes, limited by osnr\n"));
	assert_fits_80(run.out);
}

/* The far end's laser goes out (low power): this end's Rx power falls to no signal. */
static void test_far_end_dark(void **unused)
{
	(void)unused;
	assert_int_equal(lbctl_run(&run, P500 "--fresh up 1,2"), 0);
	assert_int_equal(lbctl_run(&run, P500 "power 2 low"), 0);
	json_t *o = lbctl_run_json(&run, P500 "link 1 --json", 0);
	json_t *d = json_array_get(json_object_get(o, "receive"), 0);
	assert_true(num(json_object_get(d, "measured"), "rx_signal_power_dbm") <= -40.0);
	assert_true(json_is_true(json_object_get(d, "loss_of_signal")));
	json_t *e2 = json_array_get(json_object_get(o, "ends"), 1);
	assert_string_equal(json_string_value(json_object_get(e2, "module_state")), "ModuleLowPwr");
	json_decref(o);
	assert_int_equal(lbctl_run(&run, P500 "link 1"), 0);
	assert_non_null(strstr(run.out, "  received: no light (Rx power -40.00 dBm, below the mode's LOS level -23.0 dBm)\n"));
	assert_fits_80(run.out);
	/* back up: the light is back */
	assert_int_equal(lbctl_run(&run, P500 "up 2"), 0);
	o = lbctl_run_json(&run, P500 "link 1 --json", 0);
	d = json_array_get(json_object_get(o, "receive"), 0);
	assert_true(num(json_object_get(d, "measured"), "rx_signal_power_dbm") > -5.0);
	json_decref(o);
}

/* 1,000 km: 800G 16QAM does not close (CD); ZR300 8QAM (AppSel 4) on both ends does. */
static void test_1000km(void **unused)
{
	(void)unused;
	assert_int_equal(lbctl_run(&run, P1000 "--fresh up 1,2"), 0);
	json_t *o = lbctl_run_json(&run, P1000 "link 1 --json", 0);
	json_t *plan = json_object_get(json_array_get(json_object_get(o, "receive"), 0), "plan");
	assert_false(json_is_true(json_object_get(plan, "closes")));
	assert_string_equal(json_string_value(json_object_get(plan, "limited_by")), "cd");
	assert_true(json_is_true(json_object_get(plan, "out_of_tolerance")));
	json_decref(o);
	/* one end on ZR300 8QAM: the ends disagree */
	assert_int_equal(lbctl_run(&run, P1000 "up 2 4"), 0);
	o = lbctl_run_json(&run, P1000 "link 1 --json", 0);
	json_t *far = json_object_get(json_array_get(json_object_get(o, "receive"), 0), "far_end");
	assert_true(json_is_false(json_object_get(far, "same_mode")));
	assert_true(num(far, "frequency_offset_ghz") == 0.0);
	json_decref(o);
	assert_int_equal(lbctl_run(&run, P1000 "link 1"), 0);
	assert_non_null(strstr(run.out, "  ends disagree: port 2 sends zr+300g: no frame lock\n"));
	assert_non_null(strstr(run.out, "  plan: does not close, limited by cd (out of tolerance)\n"));
	assert_fits_80(run.out);
	assert_int_equal(lbctl_run(&run, P1000 "up 1,2 4"), 0);
	o = lbctl_run_json(&run, P1000 "link East0 --json", 0);
	json_t *d = json_array_get(json_object_get(o, "receive"), 0);
	assert_string_equal(json_string_value(json_object_get(d, "line_mode")), "zr+300g");
	plan = json_object_get(d, "plan");
	assert_true(json_is_true(json_object_get(plan, "closes")));
	assert_true(num(json_object_get(d, "measured"), "rx_signal_power_dbm") > -5.0);
	json_decref(o);
}

/* A port on no link: --path gives the path, only this end is shown (hardware). */
static void test_path_file_one_end(void **unused)
{
	(void)unused;
	assert_int_equal(lbctl_run(&run, "--fresh up 1"), 0);
	json_t *o = lbctl_run_json(&run, "link 1 --path tokyo-osaka-500km --json", 0);
	assert_true(json_is_null(json_object_get(o, "link")));
	assert_int_equal(json_array_size(json_object_get(o, "ends")), 1);
	json_t *d = json_array_get(json_object_get(o, "receive"), 0);
	assert_true(json_is_null(json_object_get(d, "from_port")));
	/* the default platform's 800G application maps to the OIF 800ZR mode: out of CD tolerance */
	assert_string_equal(json_string_value(json_object_get(d, "line_mode")), "800zr");
	json_decref(o);
	o = lbctl_run_json(&run, "link 1 --path tokyo-osaka-500km --mode 800g-pcs-131e --json", 0);
	d = json_array_get(json_object_get(o, "receive"), 0);
	assert_string_equal(json_string_value(json_object_get(d, "line_mode")), "800g-pcs-131e");
	assert_true(json_is_true(json_object_get(json_object_get(d, "plan"), "closes")));
	assert_true(json_is_null(json_object_get(d, "far_end")));
	json_decref(o);
	assert_int_equal(lbctl_run(&run, "link 1 --path tokyo-osaka-500km"), 0);
	assert_fits_80(run.out);
	/* a module that is not coherent (400G FR4): no line mode, nothing planned */
	assert_int_equal(lbctl_run(&run, "link 3 --path tokyo-osaka-500km"), 0);
	assert_non_null(strstr(run.out, "port 3 receives: no line mode known (give --mode)\n"));
	o = lbctl_run_json(&run, "link 3 --path tokyo-osaka-500km --json", 0);
	d = json_array_get(json_object_get(o, "receive"), 0);
	assert_true(json_is_null(json_object_get(d, "line_mode")));
	assert_true(json_is_null(json_object_get(d, "plan")));
	json_decref(o);
}

/* Mistakes: no link and no --path, a bad path file, an unknown mode, no such port. */
static void test_bad_command_lines(void **unused)
{
	(void)unused;
	assert_int_equal(lbctl_run(&run, "link 1"), 2);
	assert_non_null(strstr(run.err, "port 1 is on no link of platform"));
	assert_int_equal(lbctl_run(&run, "link"), 2);
	assert_int_equal(lbctl_run(&run, "link 1 --path /nonexistent/path.json"), 4);
	assert_int_equal(lbctl_run(&run, "link 1 --path " LB_SOURCE_DIR "/platforms/emulated-default.json"), 4);
	assert_int_equal(lbctl_run(&run, P500 "link 1 --mode no-such-mode"), 2);
	assert_int_equal(lbctl_run(&run, P500 "link 9"), 3);
	assert_int_equal(lbctl_run(&run, "link --help"), 0);
	assert_non_null(strstr(run.out, "usage: lbctl link PORT"));
	assert_fits_80(run.out);
}

/* A platform whose join is wrong is refused as a whole, naming the field. */
static void bad_platform(const char *links, const char *want)
{
	char file[128], args[256];
	snprintf(file, sizeof(file), "%s/bad-link.json", run.dir);
	FILE *f = fopen(file, "w");
	assert_non_null(f);
	fprintf(f, "{\"name\": \"bad\", \"buses\": [{\"name\": \"i2c0\", \"driver\": \"emulator\", "
		   "\"options\": {\"mux_addr\": 112, \"modules\": [{\"channel\": 0, \"profile\": "
		   "\"coherent-800g-qsfpdd\"}, {\"channel\": 1, \"profile\": \"coherent-800g-qsfpdd\"}]}},"
		   " {\"name\": \"i2c1\", \"driver\": \"emulator\", \"options\": {\"modules\": "
		   "[{\"channel\": -1, \"profile\": \"coherent-800g-qsfpdd\"}]}}],"
		   " \"ports\": [{\"port\": 1, \"bus\": \"i2c0\", \"mux_addr\": 112, \"mux_channel\": 0},"
		   " {\"port\": 2, \"bus\": \"i2c0\", \"mux_addr\": 112, \"mux_channel\": 1},"
		   " {\"port\": 3, \"bus\": \"i2c1\"}, {\"port\": 4, \"bus\": \"i2c0\", \"mux_addr\": 112, "
		   "\"mux_channel\": 5}],"
		   " \"links\": %s}", links);
	fclose(f);
	snprintf(args, sizeof(args), "--platform %s --fresh list", file);
	int ex = lbctl_run(&run, args);
	if (ex == 0 || !strstr(run.err, want))
		fail_msg("links %s: exit %d, stderr: %s (wanted '%s')", links, ex, run.err, want);
}

/* The emulator bus's own "links" option (what a platform's links become), given directly. */
static void bad_bus_links(const char *links, const char *want)
{
	char file[128], args[256];
	snprintf(file, sizeof(file), "%s/bad-bus-link.json", run.dir);
	FILE *f = fopen(file, "w");
	assert_non_null(f);
	fprintf(f, "{\"name\": \"bad\", \"buses\": [{\"name\": \"i2c0\", \"driver\": \"emulator\", "
		   "\"options\": {\"mux_addr\": 112, \"modules\": [{\"channel\": 0, \"profile\": "
		   "\"coherent-800g-qsfpdd\"}, {\"channel\": 1, \"profile\": \"coherent-800g-qsfpdd\"}], "
		   "\"links\": %s}}], \"ports\": [{\"port\": 1, \"bus\": \"i2c0\", \"mux_addr\": 112, "
		   "\"mux_channel\": 0}]}", links);
	fclose(f);
	snprintf(args, sizeof(args), "--platform %s --fresh list", file);
	int ex = lbctl_run(&run, args);
	if (ex == 0 || !strstr(run.err, want))
		fail_msg("bus links %s: exit %d, stderr: %s (wanted '%s')", links, ex, run.err, want);
}

static void test_bad_bus_links(void **unused)
{
	(void)unused;
	bad_bus_links("[{\"a\": {\"channel\": 0}, \"b\": {\"channel\": 0}, \"path\": \"tokyo-osaka-500km\"}]",
		      "the same module");
	bad_bus_links("[{\"a\": {\"channel\": 0}, \"path\": \"tokyo-osaka-500km\"}]", "links[0].b");
	bad_bus_links("[{\"a\": {\"channel\": 0}, \"b\": {\"channel\": 9}, \"path\": \"tokyo-osaka-500km\"}]",
		      "channel");
	bad_bus_links("[{\"a\": {\"channel\": 0}, \"b\": {\"channel\": 1}, \"path\": \"tokyo-osaka-500km\"}, "
		      "{\"a\": {\"channel\": 1}, \"b\": {\"channel\": 0}, \"path\": \"tokyo-osaka-500km\"}]",
		      "already joined");
	bad_bus_links("[{\"a\": {\"channel\": 0}, \"b\": {\"channel\": 1}, \"path\": \"tokyo-osaka-500km\", "
		      "\"interval_ms\": -1}]", "interval_ms");
	bad_bus_links("[{\"a\": {\"channel\": 0}, \"b\": {\"channel\": 1}, \"path\": \"/nonexistent/p.json\"}]",
		      "/nonexistent/p.json");
	bad_bus_links("{}", "links");
	/* a good one opens */
	char file[128], args[256];
	snprintf(file, sizeof(file), "%s/bad-bus-link.json", run.dir);
	bad_bus_links("[{\"a\": {\"channel\": 0}, \"b\": {\"channel\": 1}, \"path\": \"tokyo-osaka-500km\", "
		      "\"bogus\": 1}]", "unknown field");
	FILE *f = fopen(file, "w");
	assert_non_null(f);
	fprintf(f, "{\"name\": \"good\", \"buses\": [{\"name\": \"i2c0\", \"driver\": \"emulator\", "
		   "\"options\": {\"mux_addr\": 112, \"modules\": [{\"channel\": 0, \"profile\": "
		   "\"coherent-800g-qsfpdd\"}, {\"channel\": 1, \"profile\": \"coherent-800g-qsfpdd\"}], "
		   "\"links\": [{\"a\": {\"channel\": 0}, \"b\": {\"channel\": 1}, "
		   "\"path\": \"tokyo-osaka-500km\", \"media_modes\": [{\"media_id\": \"6Ch\", "
		   "\"mode\": \"800g-16qam-118\"}]}]}}], \"ports\": [{\"port\": 1, \"bus\": \"i2c0\", "
		   "\"mux_addr\": 112, \"mux_channel\": 0}]}");
	fclose(f);
	snprintf(args, sizeof(args), "--platform %s --fresh list", file);
	assert_int_equal(lbctl_run(&run, args), 0);
}

static void test_bad_join(void **unused)
{
	(void)unused;
	bad_platform("[{\"ports\": [1, 9], \"path\": \"tokyo-osaka-500km\"}]", "port 9 is not a port");
	bad_platform("[{\"ports\": [1, 1], \"path\": \"tokyo-osaka-500km\"}]", "joined to itself");
	bad_platform("[{\"ports\": [1], \"path\": \"tokyo-osaka-500km\"}]", "links[0].ports");
	bad_platform("[{\"ports\": [1, 2]}]", "links[0].path");
	bad_platform("[{\"ports\": [1, 2], \"path\": \"\"}]", "links[0].path");
	bad_platform("[{\"ports\": [1, 2], \"path\": \"tokyo-osaka-500km\", \"speed\": 1}]",
		     "unknown field");
	bad_platform("[{\"ports\": [1, 2], \"path\": \"tokyo-osaka-500km\"}, "
		     "{\"ports\": [2, 3], \"path\": \"tokyo-osaka-500km\"}]", "end of another link");
	bad_platform("[{\"ports\": [1, 3], \"path\": \"tokyo-osaka-500km\"}]", "on buses i2c0 and i2c1");
	bad_platform("[{\"ports\": [1, 2], \"path\": \"no-such-path\"}]", "no-such-path");
	bad_platform("[{\"ports\": [1, 4], \"path\": \"tokyo-osaka-500km\"}]", "no module of this bus");
	bad_platform("[{\"ports\": [1, 2], \"path\": \"tokyo-osaka-500km\", \"media_modes\": "
		     "[{\"media_id\": \"0xZZ\", \"mode\": \"800zr\"}]}]", "not a media interface code");
	bad_platform("[{\"ports\": [1, 2], \"path\": \"tokyo-osaka-500km\", \"media_modes\": "
		     "[{\"media_id\": 108, \"mode\": \"no-such-mode\"}]}]", "not a line mode");
	bad_platform("{\"ports\": [1, 2]}", "links");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_500km),
		cmocka_unit_test(test_far_end_dark),
		cmocka_unit_test(test_1000km),
		cmocka_unit_test(test_path_file_one_end),
		cmocka_unit_test(test_bad_command_lines),
		cmocka_unit_test(test_bad_join),
		cmocka_unit_test(test_bad_bus_links),
	};
	if (lbctl_run_setup(&run, "link"))
		return 1;
	int rc = LB_TEST_RUN(tests, NULL, NULL);
	lbctl_run_teardown(&run);
	return rc;
}
