/* SPDX-License-Identifier: MIT */
/*
 * `lbctl plan link` end to end (the binary from $LBCTL): the scenario verdicts as text and
 * JSON, the JSON keys and their order, the options, and every kind of bad input (one line on
 * stderr, the documented exit code, nothing on stdout, never a NaN).
 */
#include <ctype.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include "link_fixture.h"
#include <jansson.h>

/* lbctl.h's exit codes (docs/lbctl.md), restated: the test treats lbctl as a black box. */
enum { EXIT_OK_ = 0, EXIT_USAGE_ = 2, EXIT_INPUT_ = 4 };

static char tmpdir[256];
static const char *lbctl;

struct run {
	int status;
	char out[65536];
	char err[4096];
};

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/lb-link-planner-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static bool have_lbctl(void)
{
	lbctl = getenv("LBCTL");
	return lbctl && *lbctl && access(lbctl, X_OK) == 0;
}

/* Run "lbctl ARGS" (ARGS is shell text we control); stdout and stderr captured apart. */
__attribute__((format(printf, 2, 3))) static void run(struct run *r, const char *fmt, ...)
{
	char args[2048], cmd[4096], errfile[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	snprintf(errfile, sizeof(errfile), "%s/stderr.txt", tmpdir);
	snprintf(cmd, sizeof(cmd), "'%s' %s 2>'%s'", lbctl, args, errfile);
	memset(r, 0, sizeof(*r));
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	size_t n = fread(r->out, 1, sizeof(r->out) - 1, p);
	r->out[n] = 0;
	int st = pclose(p);
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	FILE *e = fopen(errfile, "r");
	assert_non_null(e);
	n = fread(r->err, 1, sizeof(r->err) - 1, e);
	r->err[n] = 0;
	fclose(e);
	print_message("  $ lbctl %s -> %d%s%s", args, r->status, r->err[0] ? ": " : "\n", r->err);
}

static bool has_nan(const char *s)
{
	for (const char *p = s; *p; p++) {
		if ((p == s || !isalpha((unsigned char)p[-1])) &&
		    (strncasecmp(p, "nan", 3) == 0 || strncasecmp(p, "inf", 3) == 0) &&
		    !isalpha((unsigned char)p[3]))
			return true;
	}
	return false;
}

static const char *write_file(const char *name, const char *text)
{
	static char path[512];
	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static json_t *parse_list(const struct run *r)
{
	json_error_t je;
	json_t *root = json_loads(r->out, 0, &je);
	if (!root)
		print_error("bad JSON: %s at line %d\n", je.text, je.line);
	assert_non_null(root);
	assert_true(json_is_array(root));
	return root;
}

static json_t *find_mode(json_t *list, const char *id)
{
	size_t i;
	json_t *o;
	json_array_foreach(list, i, o) {
		if (strcmp(json_string_value(json_object_get(o, "mode")), id) == 0)
			return o;
	}
	return NULL;
}

static double num(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	assert_true(json_is_number(v));
	double d = json_number_value(v);
	assert_true(isfinite(d));
	return d;
}

static void near(double got, double want, double tol, const char *what)
{
	if (!(fabs(got - want) <= tol)) {
		print_error("%s: got %.4f, want %.4f\n", what, got, want);
		fail();
	}
}

/* Keys the issue fixes, in its order; more may follow. */
static void check_keys(json_t *list)
{
	static const char *const keys[] = { "mode",	     "rate_gbps",	 "pcs",
					    "closes",	     "margin_db",	 "limited_by",
					    "pre_fec_ber",   "osnr_db",		 "cd_ps_nm",
					    "dgd_mean_ps",   "rx_power_dbm",	 "launch_dbm",
					    "latency_one_way_ms", "power_per_bit_pj" };
	size_t i;
	json_t *o;
	assert_true(json_array_size(list) > 0);
	json_array_foreach(list, i, o) {
		assert_true(json_is_object(o));
		void *it = json_object_iter(o);
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
			assert_non_null(it);
			assert_string_equal(json_object_iter_key(it), keys[k]);
			it = json_object_iter_next(o, it);
		}
		assert_true(json_is_string(json_object_get(o, "mode")));
		assert_true(json_is_boolean(json_object_get(o, "pcs")));
		assert_true(json_is_boolean(json_object_get(o, "closes")));
		assert_true(json_is_string(json_object_get(o, "limited_by")));
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			if (k != 0 && k != 2 && k != 3 && k != 5)
				(void)num(o, keys[k]);
		const char *lim = json_string_value(json_object_get(o, "limited_by"));
		assert_true(strcmp(lim, "osnr") == 0 || strcmp(lim, "cd") == 0 ||
			    strcmp(lim, "dgd") == 0 || strcmp(lim, "rx_power") == 0 ||
			    strcmp(lim, "pdl") == 0);
	}
	/* Best first: closing modes before the others, closing ones by rate. */
	bool seen_fail = false;
	double last_rate = 1e9;
	json_array_foreach(list, i, o) {
		bool closes = json_is_true(json_object_get(o, "closes"));
		if (!closes)
			seen_fail = true;
		assert_false(closes && seen_fail);
		if (closes) {
			assert_true(num(o, "rate_gbps") <= last_rate);
			last_rate = num(o, "rate_gbps");
		}
	}
}

/* ---------------------------------------------------------------- scenarios */

static void test_help(void **state)
{
	(void)state;
	if (!have_lbctl())
		skip();
	struct run r;
	run(&r, "plan link --help");
	assert_int_equal(r.status, EXIT_OK_);
	assert_non_null(strstr(r.out, "usage: lbctl plan link --distance-km"));
	assert_string_equal(r.err, "");
	run(&r, "plan --help");
	assert_int_equal(r.status, EXIT_OK_);
	assert_non_null(strstr(r.out, "--optimal-launch"));
}

static void test_tokyo_osaka(void **state)
{
	(void)state;
	if (!have_lbctl())
		skip();
	struct run r;
	run(&r, "plan link --path tokyo-osaka-500km");
	assert_int_equal(r.status, EXIT_OK_);
	assert_string_equal(r.err, "");
	assert_false(has_nan(r.out));
	assert_non_null(strstr(r.out, "path tokyo-osaka-500km: 500.0 km, 6 x 83.3 km spans"));
	assert_non_null(strstr(r.out, "MODE"));
	/* The 800G uniform 16QAM mode closes at +3 dBm with 1.44 dB (§10.1). */
	const char *row = strstr(r.out, "\n800g-16qam-118 ");
	assert_non_null(row);
	char line[256];
	snprintf(line, sizeof(line), "%.*s", (int)strcspn(row + 1, "\n"), row + 1);
	print_message("  %s\n", line);
	assert_non_null(strstr(line, " yes "));
	assert_non_null(strstr(line, "+1.44"));
	assert_non_null(strstr(line, " 8350 "));
	assert_non_null(strstr(line, " 2.449 "));

	run(&r, "plan link --path tokyo-osaka-500km --json");
	assert_int_equal(r.status, EXIT_OK_);
	assert_false(has_nan(r.out));
	json_t *list = parse_list(&r);
	check_keys(list);
	json_t *o = find_mode(list, "800g-16qam-118");
	assert_non_null(o);
	assert_true(json_is_true(json_object_get(o, "closes")));
	assert_false(json_is_true(json_object_get(o, "pcs")));
	near(num(o, "margin_db"), 1.44, 0.05, "margin");
	near(num(o, "osnr_db"), 28.71, 0.05, "OSNR");
	near(num(o, "pre_fec_ber"), 1.28e-2, 0.05 * 1.28e-2, "BER");
	near(num(o, "cd_ps_nm"), 8350, 0.5, "CD");
	near(num(o, "latency_one_way_ms"), 2.449, 0.001, "latency");
	near(num(o, "dgd_mean_ps"), 0.89, 0.01, "DGD");
	near(num(o, "rx_power_dbm"), -2.0, 0.05, "Rx power");
	near(num(o, "launch_dbm"), 3.0, 1e-9, "launch");
	near(num(o, "power_per_bit_pj"), 37.5, 0.01, "pJ/bit");
	near(num(o, "rate_gbps"), 800, 1e-9, "rate");
	/* The best mode is an 800G one. */
	near(num(json_array_get(list, 0), "rate_gbps"), 800, 1e-9, "best rate");
	/* 400ZR and 800ZR are single-span DCI modes: 8,350 ps/nm is beyond them. */
	o = find_mode(list, "400zr");
	assert_false(json_is_true(json_object_get(o, "closes")));
	assert_string_equal(json_string_value(json_object_get(o, "limited_by")), "cd");
	json_decref(list);

	/* At 0 dBm/ch the 800G 16QAM mode fails by 0.37 dB (§10.1). */
	run(&r, "plan link --path tokyo-osaka-500km --launch-dbm 0 --mode 800g-16qam-118 --json");
	assert_int_equal(r.status, EXIT_OK_);
	list = parse_list(&r);
	assert_int_equal(json_array_size(list), 1);
	o = json_array_get(list, 0);
	assert_false(json_is_true(json_object_get(o, "closes")));
	near(num(o, "margin_db"), -0.37, 0.05, "margin at 0 dBm");
	near(num(o, "pre_fec_ber"), 2.24e-2, 0.05 * 2.24e-2, "BER at 0 dBm");
	assert_string_equal(json_string_value(json_object_get(o, "limited_by")), "osnr");
	json_decref(list);

	/* The optimum is +3.8 dBm with 1.56 dB. */
	run(&r, "plan link --path tokyo-osaka-500km --optimal-launch --mode=800g-16qam-118 --json");
	assert_int_equal(r.status, EXIT_OK_);
	list = parse_list(&r);
	o = json_array_get(list, 0);
	near(num(o, "launch_dbm"), 3.80, 0.05, "optimal launch");
	near(num(o, "margin_db"), 1.56, 0.05, "margin at the optimum");
	json_decref(list);
}

/* --distance-km with a path file: the file's span length is kept, its own length changes nothing. */
static void test_distance_with_path_file(void **state)
{
	(void)state;
	if (!have_lbctl())
		skip();
	struct run r;
	run(&r, "plan link --distance-km 500 --path tokyo-osaka-500km --mode 800g-16qam-118");
	assert_int_equal(r.status, EXIT_OK_);
	assert_non_null(strstr(r.out, "500.0 km, 6 x 83.3 km spans"));
	assert_non_null(strstr(r.out, "+1.44"));
	run(&r, "plan link --distance-km 1000 --path tokyo-osaka-500km --mode 800g-16qam-118");
	assert_int_equal(r.status, EXIT_OK_);
	assert_non_null(strstr(r.out, "1000.0 km, 12 x 83.3 km spans"));
	run(&r, "plan link --distance-km 1000 --span-km 83.33 --mode 800g-16qam-118");
	assert_int_equal(r.status, EXIT_OK_);
	assert_non_null(strstr(r.out, "12 x 83.3 km spans"));
}

static void test_1000km(void **state)
{
	(void)state;
	if (!have_lbctl())
		skip();
	struct run r;
	run(&r, "plan link --path long-haul-1000km --json");
	assert_int_equal(r.status, EXIT_OK_);
	assert_false(has_nan(r.out));
	json_t *list = parse_list(&r);
	check_keys(list);
	/* The uniform 800G 16QAM mode fails (CD beyond 12,000 ps/nm, OSNR short too). */
	json_t *o = find_mode(list, "800g-16qam-118");
	assert_false(json_is_true(json_object_get(o, "closes")));
	assert_string_equal(json_string_value(json_object_get(o, "limited_by")), "cd");
	near(num(o, "margin_db"), -0.97, 0.05, "16QAM margin");
	near(num(o, "cd_ps_nm"), 16700, 0.5, "CD");
	near(num(o, "latency_one_way_ms"), 4.897, 0.001, "latency");
	/* An 800G PCS mode closes, thin (§10.2), and is the best mode. */
	o = find_mode(list, "800g-pcs-131e");
	assert_true(json_is_true(json_object_get(o, "closes")));
	assert_true(json_is_true(json_object_get(o, "pcs")));
	near(num(o, "margin_db"), 0.77, 0.05, "PCS margin");
	near(num(o, "pre_fec_ber"), 1.49e-2, 0.05 * 1.49e-2, "PCS BER");
	assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "mode")),
			    "800g-pcs-131e");
	/* Falling back to 600G PCS or 400G gives comfortable margin. */
	near(num(find_mode(list, "600g-pcs-118"), "margin_db"), 3.89, 0.05, "600G");
	near(num(find_mode(list, "400g-qpsk-118"), "margin_db"), 8.52, 0.05, "400G QPSK");
	json_decref(list);

	/* At the optimum launch the PCS mode has about 1 dB. */
	run(&r, "plan link --path long-haul-1000km --optimal-launch --json");
	assert_int_equal(r.status, EXIT_OK_);
	list = parse_list(&r);
	check_keys(list);
	o = find_mode(list, "800g-pcs-131e");
	assert_true(json_is_true(json_object_get(o, "closes")));
	near(num(o, "margin_db"), 1.05, 0.05, "PCS at optimum");
	near(num(o, "launch_dbm"), 4.2, 0.05, "PCS optimum");
	assert_false(json_is_true(json_object_get(find_mode(list, "800g-16qam-118"), "closes")));
	json_decref(list);

	/* Same answer from the command line alone; and the global --json. */
	run(&r, "--json plan link --distance-km 1000 --spans 12 --launch-dbm 3 --mode 800g-pcs-131e");
	assert_int_equal(r.status, EXIT_OK_);
	list = parse_list(&r);
	assert_int_equal(json_array_size(list), 1);
	near(num(json_array_get(list, 0), "margin_db"), 0.77, 0.05, "command-line path");
	json_decref(list);
	/* --span-km cuts equal spans no longer than L: 1,000 km at 84 → 12 spans. */
	run(&r, "plan link --distance-km 1000 --span-km 84 --launch-dbm 3 --all-modes --json");
	assert_int_equal(r.status, EXIT_OK_);
	list = parse_list(&r);
	check_keys(list);
	near(num(find_mode(list, "800g-pcs-131e"), "margin_db"), 0.77, 0.05, "--span-km");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 0), "spans")), 12);
	json_decref(list);
	/* A path file re-cut to another length keeps its fibre and launch. */
	run(&r, "plan link --path tokyo-osaka-500km --distance-km 1000 --spans 12 --mode 800g-pcs-131e --json");
	assert_int_equal(r.status, EXIT_OK_);
	list = parse_list(&r);
	near(num(json_array_get(list, 0), "margin_db"), 0.77, 0.05, "re-cut path");
	json_decref(list);
}

static void test_no_nan_at_extremes(void **state)
{
	(void)state;
	if (!have_lbctl())
		skip();
	static const char *const cases[] = {
		"plan link --distance-km 0.5 --spans 1",
		"plan link --distance-km 12000 --launch-dbm -20",
		"plan link --distance-km 39000 --spans 256 --launch-dbm 20",
		"plan link --distance-km 150 --spans 1 --optimal-launch",
		"plan link --distance-km 80 --spans 1 --launch-dbm 20",
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct run r;
		run(&r, "%s --json", cases[i]);
		assert_int_equal(r.status, EXIT_OK_);
		assert_false(has_nan(r.out));
		json_t *list = parse_list(&r);
		check_keys(list);
		json_decref(list);
		run(&r, "%s", cases[i]);
		assert_int_equal(r.status, EXIT_OK_);
		assert_false(has_nan(r.out));
	}
}

/* ---------------------------------------------------------------- bad input */

__attribute__((format(printf, 3, 4))) static void expect_error(int want_status, const char *needle,
								  const char *fmt, ...)
{
	char args[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	struct run r;
	run(&r, "%s", args);
	assert_int_equal(r.status, want_status);
	assert_string_equal(r.out, "");          /* nothing on stdout */
	assert_true(strncmp(r.err, "lbctl: ", 7) == 0);
	char *nl = strchr(r.err, '\n');
	assert_non_null(nl);
	assert_true(nl[1] == 0);                 /* exactly one line */
	if (needle && !strstr(r.err, needle)) {
		print_error("stderr lacks \"%s\"\n", needle);
		fail();
	}
}

static void test_bad_arguments(void **state)
{
	(void)state;
	if (!have_lbctl())
		skip();
	expect_error(EXIT_USAGE_, "must be above 0", "plan link --distance-km 0");
	expect_error(EXIT_USAGE_, "must be above 0", "plan link --distance-km -500");
	expect_error(EXIT_USAGE_, "not a number", "plan link --distance-km far");
	expect_error(EXIT_USAGE_, "not a number", "plan link --distance-km nan");
	expect_error(EXIT_USAGE_, "not a number", "plan link --distance-km inf");
	expect_error(EXIT_USAGE_, "out of range", "plan link --distance-km 50000");
	expect_error(EXIT_USAGE_, "needs a value", "plan link --distance-km");
	expect_error(EXIT_USAGE_, "required", "plan link");
	expect_error(EXIT_USAGE_, "longer than the path", "plan link --distance-km 500 --span-km 600");
	expect_error(EXIT_USAGE_, "longer than 300 km", "plan link --distance-km 1000 --span-km 400");
	expect_error(EXIT_USAGE_, "must be above 0", "plan link --distance-km 500 --span-km 0");
	/* Span counts that no unsigned holds: refused with the count, never converted. */
	expect_error(EXIT_USAGE_, "5e+302 spans, at most 256", "plan link --distance-km 500 --span-km 1e-300");
	expect_error(EXIT_USAGE_, "5e+11 spans, at most 256", "plan link --distance-km 500 --span-km 1e-9");
	expect_error(EXIT_USAGE_, "500000 spans, at most 256", "plan link --distance-km 500 --span-km 0.001");
	expect_error(EXIT_USAGE_, "longer than 300 km", "plan link --distance-km 500 --spans 1");
	expect_error(EXIT_USAGE_, "out of range", "plan link --distance-km 500 --spans 0");
	expect_error(EXIT_USAGE_, "whole number", "plan link --distance-km 500 --spans 2.5");
	expect_error(EXIT_USAGE_, "not both", "plan link --distance-km 500 --spans 6 --span-km 90");
	expect_error(EXIT_USAGE_, "out of range", "plan link --distance-km 500 --launch-dbm 40");
	expect_error(EXIT_USAGE_, "not a number", "plan link --distance-km 500 --launch-dbm hot");
	expect_error(EXIT_USAGE_, "not both", "plan link --distance-km 500 --launch-dbm 1 --optimal-launch");
	expect_error(EXIT_USAGE_, "unknown mode 'no-such-mode'", "plan link --distance-km 500 --mode no-such-mode");
	expect_error(EXIT_USAGE_, "not both", "plan link --distance-km 500 --mode 400zr --all-modes");
	expect_error(EXIT_USAGE_, "unknown argument", "plan link --distance-km 500 --colour blue");
	expect_error(EXIT_USAGE_, "unknown plan", "plan route");
	expect_error(EXIT_USAGE_, "what to plan", "plan");
}

static void test_bad_files(void **state)
{
	(void)state;
	if (!have_lbctl())
		skip();
	char text[4096];
	/* Mode tables. */
	const char *f = write_file("modes-ok.json", lb_test_mode_table(NULL, NULL));
	struct run r;
	run(&r, "plan link --distance-km 500 --modes '%s' --json", f);
	assert_int_equal(r.status, EXIT_OK_);
	json_t *list = parse_list(&r);
	assert_int_equal(json_array_size(list), 1);
	json_decref(list);
	f = write_file("modes-nonnum.json", lb_test_mode_table("snr_b2b_db", "\"high\""));
	expect_error(EXIT_INPUT_, "modes[m1].snr_b2b_db: not a number",
		     "plan link --distance-km 500 --modes '%s'", f);
	f = write_file("modes-missing.json", lb_test_mode_table("baud_gbd", NULL));
	expect_error(EXIT_INPUT_, "modes[m1].baud_gbd: missing",
		     "plan link --distance-km 500 --modes '%s'", f);
	f = write_file("modes-range.json", lb_test_mode_table("dgd_max_ps", "-3"));
	expect_error(EXIT_INPUT_, "modes[m1].dgd_max_ps: -3 ps is out of range",
		     "plan link --distance-km 500 --modes '%s'", f);
	f = write_file("modes-range2.json", lb_test_mode_table("req_osnr_db", "80"));
	expect_error(EXIT_INPUT_, "modes[m1].req_osnr_db: 80 dB is out of range",
		     "plan link --distance-km 500 --modes '%s'", f);
	f = write_file("modes-broken.json", "{\"modes\": [");
	expect_error(EXIT_INPUT_, "modes-broken.json: line ",
		     "plan link --distance-km 500 --modes '%s'", f);
	expect_error(EXIT_INPUT_, "none.json: (file)",
		     "plan link --distance-km 500 --modes '%s/none.json'", tmpdir);

	/* Path files. */
	const char *base = "\"launch_dbm\": 3, \"mux_loss_db\": 5, \"demux_loss_db\": 5";
	snprintf(text, sizeof(text), "{%s, \"distance_km\": 500, \"span_count\": 6}", base);
	f = write_file("path-ok.json", text);
	run(&r, "plan link --path '%s' --mode 800g-16qam-118 --json", f);
	assert_int_equal(r.status, EXIT_OK_);
	list = parse_list(&r);
	near(num(json_array_get(list, 0), "margin_db"), 1.44, 0.05, "path file");
	json_decref(list);

	snprintf(text, sizeof(text), "{%s, \"span_count\": 6}", base);
	f = write_file("path-missing.json", text);
	expect_error(EXIT_INPUT_, "path-missing.json: distance_km: missing", "plan link --path '%s'", f);
	snprintf(text, sizeof(text), "{%s, \"distance_km\": \"long\", \"span_count\": 6}", base);
	f = write_file("path-nonnum.json", text);
	expect_error(EXIT_INPUT_, "distance_km: not a number", "plan link --path '%s'", f);
	snprintf(text, sizeof(text), "{%s, \"distance_km\": -500, \"span_count\": 6}", base);
	f = write_file("path-negative.json", text);
	expect_error(EXIT_INPUT_, "distance_km: -500 km: must be above 0", "plan link --path '%s'", f);
	snprintf(text, sizeof(text), "{%s, \"distance_km\": 0, \"span_count\": 6}", base);
	f = write_file("path-zero.json", text);
	expect_error(EXIT_INPUT_, "must be above 0", "plan link --path '%s'", f);
	snprintf(text, sizeof(text), "{%s, \"distance_km\": 1000, \"span_count\": 2}", base);
	f = write_file("path-longspans.json", text);
	expect_error(EXIT_INPUT_, "above 300 km", "plan link --path '%s'", f);
	snprintf(text, sizeof(text),
		 "{%s, \"distance_km\": 500, \"span_count\": 6, \"fibre\": {\"amp_nf_db\": 0.5}}", base);
	f = write_file("path-range.json", text);
	expect_error(EXIT_INPUT_, "fibre.amp_nf_db: 0.5 dB is out of range", "plan link --path '%s'", f);
	snprintf(text, sizeof(text),
		 "{%s, \"distance_km\": 500, \"span_count\": 6, \"fibre\": {\"pmd_ps_sqrt_km\": null}}", base);
	f = write_file("path-null.json", text);
	expect_error(EXIT_INPUT_, "fibre.pmd_ps_sqrt_km: not a number", "plan link --path '%s'", f);
	snprintf(text, sizeof(text), "{\"mux_loss_db\": 5, \"demux_loss_db\": 5, \"distance_km\": 500, \"span_count\": 6}");
	f = write_file("path-nolaunch.json", text);
	expect_error(EXIT_INPUT_, "launch_dbm: missing", "plan link --path '%s'", f);
	expect_error(EXIT_INPUT_, "(file)", "plan link --path '%s/none.json'", tmpdir);
	expect_error(EXIT_INPUT_, "(file)", "plan link --path no-such-scenario");
	/* A path grid too narrow for the one mode asked for. */
	snprintf(text, sizeof(text),
		 "{%s, \"distance_km\": 500, \"span_count\": 6, \"channel_spacing_ghz\": 75}", base);
	f = write_file("path-grid.json", text);
	expect_error(EXIT_INPUT_, "800g-16qam-118", "plan link --path '%s' --mode 800g-16qam-118", f);
	/* ... and with all modes, those that fit are planned. */
	run(&r, "plan link --path '%s' --json", f);
	assert_int_equal(r.status, EXIT_OK_);
	list = parse_list(&r);
	assert_non_null(find_mode(list, "zr+400g-16qam"));
	assert_null(find_mode(list, "800g-16qam-118"));
	json_decref(list);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_tokyo_osaka),
		cmocka_unit_test(test_distance_with_path_file),
		cmocka_unit_test(test_1000km),
		cmocka_unit_test(test_no_nan_at_extremes),
		cmocka_unit_test(test_bad_arguments),
		cmocka_unit_test(test_bad_files),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
