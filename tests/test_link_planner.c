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
#include "lbctl_run.h"
#include <jansson.h>

/* lbctl.h's exit codes (docs/lbctl.md), restated: the test treats lbctl as a black box. */
enum { EXIT_OK_ = 0, EXIT_USAGE_ = 2, EXIT_INPUT_ = 4 };

static struct lbctl_run lr;

struct run {
	int status;
	const char *out, *err;
};

static int setup(void **state)
{
	(void)state;
	return lbctl_run_setup(&lr, "planner");
}

static int teardown(void **state)
{
	(void)state;
	return lbctl_run_teardown(&lr);
}

static bool have_lbctl(void)
{
	const char *b = getenv("LBCTL");
	return b && *b && access(b, X_OK) == 0;
}

/* Run "lbctl ARGS" (ARGS is shell text we control); stdout and stderr captured apart. */
__attribute__((format(printf, 2, 3))) static void run(struct run *r, const char *fmt, ...)
{
	char args[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	r->status = lbctl_run(&lr, args);
	r->out = lr.out;
	r->err = lr.err;
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
	snprintf(path, sizeof(path), "%s/%s", lr.dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static json_t *parse_doc(const struct run *r)
{
	json_error_t je;
	json_t *root = json_loads(r->out, 0, &je);
	if (!root)
		print_error("bad JSON: %s at line %d\n", je.text, je.line);
	assert_non_null(root);
	assert_true(json_is_object(root));
	/* One document: schema, the path, notes, the modes. */
	assert_int_equal(json_integer_value(json_object_get(root, "schema")), 1);
	assert_true(json_is_object(json_object_get(root, "path")));
	assert_true(json_is_array(json_object_get(root, "notes")));
	assert_true(json_is_array(json_object_get(root, "modes")));
	assert_string_equal(json_object_iter_key(json_object_iter(root)), "schema");
	return root;
}

/* The modes of the document (the caller owns the reference). */
static json_t *parse_list(const struct run *r)
{
	json_t *root = parse_doc(r);
	json_t *list = json_incref(json_object_get(root, "modes"));
	json_decref(root);
	return list;
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
		/* margin_db, pre_fec_ber and osnr_db are null exactly for a dark link; margin_db too
		 * when out of tolerance; every other number is a number. */
		bool is_dark = strcmp(json_string_value(json_object_get(o, "state")), "up") != 0;
		bool oot = json_array_size(json_object_get(o, "out_of_tolerance")) > 0;
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
			if (k == 0 || k == 2 || k == 3 || k == 5)
				continue;
			json_t *v = json_object_get(o, keys[k]);
			bool nullable = (k == 6 || k == 7) ? is_dark : k == 4 ? is_dark || oot : false;
			if (nullable)
				assert_true(json_is_null(v));
			else
				(void)num(o, keys[k]);
		}
		/* Never a positive margin for a link that does not close, never a BER of 0 from
		 * a dark one. */
		if (!json_is_true(json_object_get(o, "closes")) && json_is_number(json_object_get(o, "margin_db")))
			assert_true(num(o, "margin_db") < 0.0);
		if (json_is_true(json_object_get(o, "closes")))
			assert_true(num(o, "margin_db") >= 0.0);
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
	assert_non_null(strstr(r.out, "usage: lbctl plan link [--path FILE] [--distance-km D]"));
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
	/* The path's own figures, the same for every mode, head the table. */
	assert_non_null(strstr(r.out, "\nCD 8350 ps/nm, mean DGD 0.89 ps, latency 2.449 ms one way\n"));
	/* 800ZR and 400ZR: CD out of their tolerance, no margin shown. */
	row = strstr(r.out, "\n800zr ");
	assert_non_null(row);
	snprintf(line, sizeof(line), "%.*s", (int)strcspn(row + 1, "\n"), row + 1);
	assert_non_null(strstr(line, " no^ ")); /* and past its stated reach of 120 km */
	assert_non_null(strstr(line, " OOT cd "));
	assert_null(strstr(line, "+1.1"));

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
	/* The uniform 800G 16QAM mode fails (CD beyond 12,000 ps/nm, OSNR short too): no margin,
	 * CD out of tolerance, and the OSNR margin counting the penalties in tolerance. */
	json_t *o = find_mode(list, "800g-16qam-118");
	assert_false(json_is_true(json_object_get(o, "closes")));
	assert_string_equal(json_string_value(json_object_get(o, "limited_by")), "cd");
	assert_true(json_is_null(json_object_get(o, "margin_db")));
	near(num(o, "osnr_margin_db"), -0.97, 0.05, "16QAM OSNR margin");
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
	expect_error(EXIT_USAGE_, "plan: unknown option '--colour'", "plan link --distance-km 500 --colour blue");
	expect_error(EXIT_USAGE_, "given twice", "plan link --distance-km 500 --distance-km 600");
	expect_error(EXIT_USAGE_, "takes no value", "plan link --distance-km 500 --optimal-launch=yes");
	expect_error(EXIT_USAGE_, "unknown plan", "plan route");
	expect_error(EXIT_USAGE_, "plan: expected link", "plan");
	expect_error(EXIT_USAGE_, "unexpected argument", "plan link extra --distance-km 500");
	expect_error(EXIT_USAGE_, "out of range", "plan link --distance-km 500 --system-margin 30");
	expect_error(EXIT_USAGE_, "out of range", "plan link --distance-km 500 --system-margin -1");
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
		     "plan link --distance-km 500 --modes '%s/none.json'", lr.dir);

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
	expect_error(EXIT_INPUT_, "(file)", "plan link --path '%s/none.json'", lr.dir);
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

/* ---------------------------------------------------------------- verdicts (issue 12) */

static const char *const path_head = "\"launch_dbm\": 3, \"mux_loss_db\": 5, \"demux_loss_db\": 5";

/* The text row of a mode. */
static void table_row(const struct run *r, const char *id, char *line, size_t len)
{
	char key[64];
	snprintf(key, sizeof(key), "\n%s ", id);
	const char *row = strstr(r->out, key);
	assert_non_null(row);
	snprintf(line, len, "%.*s", (int)strcspn(row + 1, "\n"), row + 1);
	print_message("  %s\n", line);
}

/* A dark link has no BER and no margin: null in JSON, "-" in the table, never 0. */
static void test_dark_link(void **state)
{
	(void)state;
	if (!have_lbctl())
		skip();
	char text[512];
	snprintf(text, sizeof(text),
		 "{\"launch_dbm\": -15, \"mux_loss_db\": 5, \"demux_loss_db\": 30, \"distance_km\": 500, "
		 "\"span_count\": 6}");
	const char *f = write_file("dark.json", text);
	struct run r;
	run(&r, "plan link --path '%s' --json", f);
	assert_int_equal(r.status, EXIT_OK_);
	json_t *list = parse_list(&r);
	check_keys(list);
	size_t i;
	json_t *o;
	json_array_foreach(list, i, o) {
		assert_string_equal(json_string_value(json_object_get(o, "state")), "los");
		assert_false(json_is_true(json_object_get(o, "closes")));
		assert_true(json_is_null(json_object_get(o, "pre_fec_ber")));
		assert_true(json_is_null(json_object_get(o, "margin_db")));
		assert_true(json_is_null(json_object_get(o, "osnr_margin_db")));
		assert_true(json_is_null(json_object_get(o, "q_db")));
		near(num(o, "rx_power_dbm"), -40.0, 1e-9, "no signal");
		near(num(o, "cd_ps_nm"), 8350, 0.5, "the path's CD stays");
	}
	json_decref(list);
	run(&r, "plan link --path '%s' --mode 800g-pcs-131e", f);
	assert_int_equal(r.status, EXIT_OK_);
	char line[256];
	table_row(&r, "800g-pcs-131e", line, sizeof(line));
	assert_non_null(strstr(line, " LOS "));
	assert_null(strstr(line, "0.00e+00"));
	assert_null(strstr(line, "+0.00"));
	/* MARGIN, PRE-FEC and OSNR are "-". */
	assert_non_null(strstr(line, " - rx_power"));
	assert_non_null(strstr(line, " - "));
	assert_non_null(strstr(r.out, "\n-: a dark link"));
}

/* A span no amplifier makes up is refused; a launch the amplifiers cannot give is clamped and
 * said; an optimum on a clamp is reported. */
static void test_impossible_inputs(void **state)
{
	(void)state;
	if (!have_lbctl())
		skip();
	expect_error(EXIT_USAGE_, "span 1 of 1 needs 61.0 dB of amplifier gain",
		     "plan link --distance-km 300 --spans 1");
	expect_error(EXIT_USAGE_, "span 1 of 2 needs 41.0 dB",
		     "plan link --distance-km 400 --span-km 200 --optimal-launch");
	/* A path file re-cut into spans too long: the refusal alone (no re-plan note). */
	expect_error(EXIT_USAGE_, "span 1 of 2 needs 51.0 dB", "plan link --path tokyo-osaka-500km --spans 2");
	char text[1024];
	snprintf(text, sizeof(text), "{%s, \"spans\": [{\"length_km\": 80}, {\"length_km\": 200}]}",
		 path_head);
	const char *f = write_file("short-gain.json", text);
	expect_error(EXIT_INPUT_, "spans: span 2 needs 41.0 dB of amplifier gain", "plan link --path '%s'",
		     f);
	snprintf(text, sizeof(text), "{%s, \"amp_max_gain_db\": 42, \"spans\": [{\"length_km\": 80}, "
		 "{\"length_km\": 200}]}", path_head);
	f = write_file("more-gain.json", text);
	struct run r;
	run(&r, "plan link --path '%s' --mode zr+100g --json", f);
	assert_int_equal(r.status, EXIT_OK_);

	/* +20 dBm on 29 channels is more than 25 dBm of amplifier output: evaluated at the most,
	 * flagged in JSON, the table and a note. */
	run(&r, "plan link --distance-km 500 --launch-dbm 20 --mode 800g-pcs-131e --json");
	assert_int_equal(r.status, EXIT_OK_);
	assert_non_null(strstr(r.err, "note: 800g-pcs-131e: 29 channels get at most +10.4 dBm each"));
	json_t *doc = parse_doc(&r);
	assert_non_null(strstr(json_string_value(json_array_get(json_object_get(doc, "notes"), 0)),
			       "at most +10.4 dBm"));
	json_t *o = json_array_get(json_object_get(doc, "modes"), 0);
	assert_string_equal(json_string_value(json_object_get(o, "launch_clamp")), "amp_output");
	near(num(o, "launch_dbm"), 25.0 - 10.0 * log10(29.0), 0.001, "clamped launch");
	near(num(o, "launch_max_dbm"), num(o, "launch_dbm"), 1e-9, "at the most");
	json_decref(doc);
	/* Every mode's note is in the JSON, as many as on stderr. */
	run(&r, "plan link --distance-km 500 --launch-dbm 20 --json");
	assert_int_equal(r.status, EXIT_OK_);
	doc = parse_doc(&r);
	assert_int_equal(json_array_size(json_object_get(doc, "notes")), lbctl_run_lines(r.err));
	assert_int_equal(json_array_size(json_object_get(doc, "notes")),
			 json_array_size(json_object_get(doc, "modes")));
	json_decref(doc);
	run(&r, "plan link --distance-km 500 --launch-dbm 20 --mode 800g-pcs-131e");
	assert_int_equal(r.status, EXIT_OK_);
	char line[256];
	table_row(&r, "800g-pcs-131e", line, sizeof(line));
	assert_non_null(strstr(line, "+10.4*"));
	assert_non_null(strstr(r.out, "\n*: launch clamped"));

	/* An optimum above amplifiers of 15 dBm: on the clamp, reported. */
	snprintf(text, sizeof(text), "{%s, \"amp_max_output_dbm\": 15, \"distance_km\": 500, "
		 "\"span_count\": 6}", path_head);
	f = write_file("weak-amps.json", text);
	run(&r, "plan link --path '%s' --optimal-launch --mode 800g-16qam-118 --json", f);
	assert_int_equal(r.status, EXIT_OK_);
	json_t *list = parse_list(&r);
	o = json_array_get(list, 0);
	assert_string_equal(json_string_value(json_object_get(o, "launch_clamp")), "amp_output");
	near(num(o, "launch_dbm"), 15.0 - 10.0 * log10(32.0), 0.001, "optimum clamped");
	json_decref(list);
	/* Not on a clamp: null. */
	run(&r, "plan link --path tokyo-osaka-500km --optimal-launch --mode 800g-16qam-118 --json");
	list = parse_list(&r);
	assert_true(json_is_null(json_object_get(json_array_get(list, 0), "launch_clamp")));
	json_decref(list);
	/* No amplifier: the optimum is the bottom of the range. */
	snprintf(text, sizeof(text), "{%s, \"spans\": [{\"length_km\": 20, \"amplified\": false}]}",
		 path_head);
	f = write_file("unamplified.json", text);
	run(&r, "plan link --path '%s' --optimal-launch --mode zr+100g --json", f);
	assert_int_equal(r.status, EXIT_OK_);
	list = parse_list(&r);
	assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "launch_clamp")),
			    "min");
	json_decref(list);
}

/* CD or DGD beyond the mode's tolerance: out_of_tolerance, a null penalty, limited_by, no
 * margin in JSON and OOT in the table. */
static void test_out_of_tolerance(void **state)
{
	(void)state;
	if (!have_lbctl())
		skip();
	struct run r;
	run(&r, "plan link --path tokyo-osaka-500km --mode 800zr --json");
	assert_int_equal(r.status, EXIT_OK_);
	json_t *list = parse_list(&r);
	json_t *o = json_array_get(list, 0);
	assert_false(json_is_true(json_object_get(o, "closes")));
	assert_string_equal(json_string_value(json_object_get(o, "limited_by")), "cd");
	json_t *oot = json_object_get(o, "out_of_tolerance");
	assert_int_equal(json_array_size(oot), 1);
	assert_string_equal(json_string_value(json_array_get(oot, 0)), "cd");
	assert_true(json_is_null(json_object_get(o, "cd_penalty_db")));
	assert_true(json_is_null(json_object_get(o, "margin_db")));
	near(num(o, "osnr_margin_db"), 1.11, 0.05, "OSNR margin ignoring CD");
	json_decref(list);
	/* An in-tolerance mode: an empty list, numbers for every penalty. */
	run(&r, "plan link --path tokyo-osaka-500km --mode 800g-16qam-118 --json");
	list = parse_list(&r);
	o = json_array_get(list, 0);
	assert_int_equal(json_array_size(json_object_get(o, "out_of_tolerance")), 0);
	(void)num(o, "cd_penalty_db");
	(void)num(o, "dgd_penalty_db");
	json_decref(list);
	/* PMD 1.5 ps/sqrt(km) over 500 km: 33.5 ps mean DGD, beyond ZR+ 200G's 25 ps. */
	char text[512];
	snprintf(text, sizeof(text), "{%s, \"distance_km\": 500, \"span_count\": 6, \"fibre\": "
		 "{\"pmd_ps_sqrt_km\": 1.5}}", path_head);
	const char *f = write_file("high-pmd.json", text);
	run(&r, "plan link --path '%s' --mode zr+200g --json", f);
	assert_int_equal(r.status, EXIT_OK_);
	list = parse_list(&r);
	check_keys(list);
	o = json_array_get(list, 0);
	assert_string_equal(json_string_value(json_object_get(o, "limited_by")), "dgd");
	assert_string_equal(json_string_value(json_array_get(json_object_get(o, "out_of_tolerance"), 0)),
			    "dgd");
	assert_true(json_is_null(json_object_get(o, "dgd_penalty_db")));
	json_decref(list);
	run(&r, "plan link --path '%s' --mode zr+200g", f);
	char line[256];
	table_row(&r, "zr+200g", line, sizeof(line));
	assert_non_null(strstr(line, " OOT dgd "));
	assert_non_null(strstr(r.out, "\nOOT: out of the mode's tolerance"));
}

/* A distance that is not the path file's is re-planned with a note, never rounded. */
static void test_distance_replanned(void **state)
{
	(void)state;
	if (!have_lbctl())
		skip();
	struct run r;
	run(&r, "plan link --path long-haul-1000km --distance-km 1000.9 --mode 800g-pcs-131e --json");
	assert_int_equal(r.status, EXIT_OK_);
	assert_non_null(strstr(r.err, "note: path long-haul-1000km is 1000.000 km in 12 spans; "
				      "re-planned as 1000.900 km in 13 x 76.992 km spans"));
	json_t *doc = parse_doc(&r);
	json_t *notes = json_object_get(doc, "notes");
	assert_int_equal(json_array_size(notes), 1);
	assert_non_null(strstr(json_string_value(json_array_get(notes, 0)), "re-planned"));
	json_t *o = json_array_get(json_object_get(doc, "modes"), 0);
	near(num(o, "distance_km"), 1000.9, 1e-9, "the distance asked for");
	near(num(json_object_get(doc, "path"), "distance_km"), 1000.9, 1e-9, "path distance");
	assert_int_equal(json_integer_value(json_object_get(o, "spans")), 13);
	near(num(o, "cd_ps_nm"), 16715.0, 0.1, "CD over 1000.9 km");
	json_decref(doc);
	/* The file's own length: its plan as it is, no note. */
	run(&r, "plan link --path long-haul-1000km --distance-km 1000 --mode 800g-pcs-131e --json");
	assert_int_equal(r.status, EXIT_OK_);
	assert_string_equal(r.err, "");
	doc = parse_doc(&r);
	assert_int_equal(json_array_size(json_object_get(doc, "notes")), 0);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(doc, "modes"), 0),
							   "spans")), 12);
	json_decref(doc);
	/* --spans re-plans too, with a note. */
	run(&r, "plan link --path tokyo-osaka-500km --spans 5 --mode 800g-pcs-131e");
	assert_int_equal(r.status, EXIT_OK_);
	assert_non_null(strstr(r.err, "re-planned as 500.000 km in 5 x 100.000 km spans"));
	assert_non_null(strstr(r.out, "500.0 km, 5 x 100.0 km spans"));
	/* A file whose spans differ cannot be re-cut: refused. */
	char text[512];
	snprintf(text, sizeof(text), "{%s, \"spans\": [{\"length_km\": 80}, {\"length_km\": 60}]}",
		 path_head);
	const char *f = write_file("own-plan.json", text);
	expect_error(EXIT_USAGE_, "has a span plan of its own", "plan link --path '%s' --distance-km 150",
		     f);
	expect_error(EXIT_USAGE_, "has a span plan of its own", "plan link --path '%s' --spans 2", f);
	run(&r, "plan link --path '%s' --distance-km 140 --mode zr+100g", f);
	assert_int_equal(r.status, EXIT_OK_);
	assert_non_null(strstr(r.out, "140.0 km, 2 spans"));
}

/* The system margin: from the path file or --system-margin, in the verdict and the margin. */
static void test_system_margin(void **state)
{
	(void)state;
	if (!have_lbctl())
		skip();
	struct run r;
	run(&r, "plan link --path tokyo-osaka-500km --mode 800g-16qam-118 --system-margin 2 --json");
	assert_int_equal(r.status, EXIT_OK_);
	json_t *doc = parse_doc(&r);
	near(num(json_object_get(doc, "path"), "system_margin_db"), 2.0, 0.0, "path");
	json_t *o = json_array_get(json_object_get(doc, "modes"), 0);
	assert_false(json_is_true(json_object_get(o, "closes")));
	near(num(o, "margin_db"), 1.44 - 2.0, 0.05, "margin after the system margin");
	near(num(o, "osnr_margin_db"), 1.44, 0.05, "OSNR margin");
	near(num(o, "system_margin_db"), 2.0, 0.0, "system margin");
	assert_string_equal(json_string_value(json_object_get(o, "limited_by")), "osnr");
	json_decref(doc);
	run(&r, "plan link --path tokyo-osaka-500km --mode 800g-16qam-118 --system-margin=2");
	char line[256];
	table_row(&r, "800g-16qam-118", line, sizeof(line));
	assert_non_null(strstr(line, " no "));
	assert_non_null(strstr(line, " -0.56 "));
	assert_non_null(strstr(r.out, "system margin 2.0 dB"));
	/* From the file, and the command line over it. */
	char text[512];
	snprintf(text, sizeof(text), "{%s, \"system_margin_db\": 1, \"distance_km\": 500, \"span_count\": 6}",
		 path_head);
	const char *f = write_file("margin.json", text);
	run(&r, "plan link --path '%s' --mode 800g-16qam-118 --json", f);
	json_t *list = parse_list(&r);
	o = json_array_get(list, 0);
	assert_true(json_is_true(json_object_get(o, "closes")));
	near(num(o, "margin_db"), 0.44, 0.05, "file's margin");
	json_decref(list);
	run(&r, "plan link --path '%s' --mode 800g-16qam-118 --system-margin 0 --json", f);
	list = parse_list(&r);
	near(num(json_array_get(list, 0), "margin_db"), 1.44, 0.05, "command line over the file");
	json_decref(list);
}

/* Every line of the table fits 80 columns. */
/*
 * The reach a mode states (reach_km in the modes file): in the JSON next to the model's
 * verdict, and marked "^" in the table with its legend, only for the modes past it.
 */
static void test_stated_reach(void **state)
{
	(void)state;
	if (!have_lbctl())
		skip();
	struct run r;
	run(&r, "plan link --path tokyo-osaka-500km --json");
	assert_int_equal(r.status, EXIT_OK_);
	json_t *list = parse_list(&r);
	json_t *zr = find_mode(list, "800zr"), *pcs = find_mode(list, "800g-pcs-131e");
	near(num(zr, "reach_km"), 120, 1e-9, "800ZR's stated reach");
	assert_true(json_is_true(json_object_get(zr, "beyond_reach")));
	assert_true(num(pcs, "reach_km") > 500);
	assert_true(json_is_false(json_object_get(pcs, "beyond_reach")));
	json_decref(list);
	/* a mode that states none: null, never past it */
	/* (800g-16qam-118 of the shipped table, its reach_km taken out) */
	json_error_t je;
	json_t *table = json_load_file(LB_SOURCE_DIR "/link/modes.json", 0, &je);
	assert_non_null(table);
	json_t *one = NULL, *all = json_object_get(table, "modes");
	for (size_t i = 0; i < json_array_size(all); i++)
		if (strcmp(json_string_value(json_object_get(json_array_get(all, i), "id")),
			   "800g-16qam-118") == 0)
			one = json_array_get(all, i);
	assert_non_null(one);
	assert_int_equal(json_object_del(one, "reach_km"), 0);
	json_t *mine = json_pack("{s:[O]}", "modes", one);
	char *text = json_dumps(mine, 0);
	const char *modes = write_file("noreach.json", text);
	free(text);
	json_decref(mine);
	json_decref(table);
	run(&r, "plan link --path tokyo-osaka-500km --modes %s --json", modes);
	if (r.status == EXIT_OK_) {
		list = parse_list(&r);
		json_t *o = find_mode(list, "800g-16qam-118");
		assert_true(json_is_null(json_object_get(o, "reach_km")));
		assert_true(json_is_false(json_object_get(o, "beyond_reach")));
		json_decref(list);
	} else {
		fail_msg("a modes file without reach_km refused: %s", r.err);
	}
	/* the table: the mark and its legend only where a mode is past its reach */
	run(&r, "plan link --path tokyo-osaka-500km --mode 800zr");
	assert_int_equal(r.status, EXIT_OK_);
	assert_non_null(strstr(r.out, "800zr              800 no^"));
	assert_non_null(strstr(r.out, "^: longer than the reach the mode states"));
	run(&r, "plan link --path tokyo-osaka-500km --mode 800g-pcs-131e");
	assert_int_equal(r.status, EXIT_OK_);
	assert_null(strstr(r.out, "^"));
}

static void test_table_fits_80_columns(void **state)
{
	(void)state;
	if (!have_lbctl())
		skip();
	static const char *const cases[] = {
		"plan link --path tokyo-osaka-500km",
		"plan link --path long-haul-1000km --optimal-launch --system-margin 2",
		"plan link --distance-km 12000 --launch-dbm 20",
		"plan link --help",
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct run r;
		run(&r, "%s", cases[i]);
		assert_int_equal(r.status, EXIT_OK_);
		for (const char *l = r.out; *l;) {
			size_t n = strcspn(l, "\n");
			if (n > 80)
				print_error("%zu columns: %.*s\n", n, (int)n, l);
			assert_true(n <= 80);
			assert_true(n == 0 || l[n - 1] != ' ');
			l += n + (l[n] == '\n');
		}
	}
}

/* ---------------------------------------------------------------- the docs' examples */

/* Every "$ lbctl plan ..." example of a doc, run: stdout as shown ("lbctl: " lines are the
 * stderr ones, "(exit N)" the exit code; JSON compared as a value). */
static unsigned check_doc_examples(const char *doc)
{
	char file[512];
	snprintf(file, sizeof(file), "%s/docs/%s", LB_SOURCE_DIR, doc);
	FILE *f = fopen(file, "r");
	assert_non_null(f);
	static char text[262144];
	size_t len = fread(text, 1, sizeof(text) - 1, f);
	text[len] = 0;
	fclose(f);
	unsigned n = 0;
	bool in_block = false;
	for (char *l = text; *l;) {
		char *eol = strchr(l, '\n');
		size_t ll = eol ? (size_t)(eol - l) : strlen(l);
		if (ll >= 3 && strncmp(l, "```", 3) == 0) {
			in_block = !in_block;
		} else if (in_block && strncmp(l, "$ lbctl plan ", 13) == 0) {
			char args[1024], want_out[16384] = "", want_err[2048] = "";
			snprintf(args, sizeof(args), "%.*s", (int)(ll - 8), l + 8);
			int want_exit = 0;
			/* The example's output: up to the next command or the end of the block. */
			char *o = eol ? eol + 1 : l + ll;
			while (*o && strncmp(o, "$ ", 2) != 0 && strncmp(o, "```", 3) != 0) {
				char *oe = strchr(o, '\n');
				size_t ol = oe ? (size_t)(oe - o) : strlen(o);
				if (sscanf(o, "(exit %d)", &want_exit) == 1)
					;
				else if (strncmp(o, "lbctl: ", 7) == 0)
					snprintf(want_err + strlen(want_err), sizeof(want_err) - strlen(want_err),
						 "%.*s\n", (int)ol, o);
				else
					snprintf(want_out + strlen(want_out), sizeof(want_out) - strlen(want_out),
						 "%.*s\n", (int)ol, o);
				o = oe ? oe + 1 : o + ol;
			}
			/* Blank lines between examples are not output. */
			size_t wl = strlen(want_out);
			while (wl > 0 && want_out[wl - 1] == '\n')
				want_out[--wl] = 0;
			if (wl > 0) {
				want_out[wl] = '\n';
				want_out[wl + 1] = 0;
			}
			struct run r;
			run(&r, "%s", args);
			assert_int_equal(r.status, want_exit);
			assert_string_equal(r.err, want_err);
			if (strstr(args, "--json")) {
				json_error_t je;
				json_t *a = json_loads(r.out, 0, &je), *b = json_loads(want_out, 0, &je);
				assert_non_null(a);
				assert_non_null(b);
				assert_true(json_equal(a, b));
				json_decref(a);
				json_decref(b);
			} else {
				assert_string_equal(r.out, want_out);
			}
			n++;
		}
		l = eol ? eol + 1 : l + ll;
	}
	return n;
}

static void test_docs_examples(void **state)
{
	(void)state;
	if (!have_lbctl())
		skip();
	assert_int_equal(check_doc_examples("link-model.md"), 5);
	assert_int_equal(check_doc_examples("link-paths.md"), 2);
	assert_int_equal(check_doc_examples("lbctl.md"), 3);
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
		cmocka_unit_test(test_dark_link),
		cmocka_unit_test(test_impossible_inputs),
		cmocka_unit_test(test_out_of_tolerance),
		cmocka_unit_test(test_distance_replanned),
		cmocka_unit_test(test_system_margin),
		cmocka_unit_test(test_stated_reach),
		cmocka_unit_test(test_table_fits_80_columns),
		cmocka_unit_test(test_docs_examples),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
