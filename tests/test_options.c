/* SPDX-License-Identifier: MIT */
/*
 * The reader of options and JSON fields (include/lightbridge/options.h): typed getters with
 * ranges and defaults, absent objects as empty views, arrays and labelled elements, unknown
 * keys, and every failure as "ORIGIN: FIELD: reason", the latest one kept.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <lightbridge/lightbridge.h>
#include "util/options_internal.h"

static struct lb_options *parse(const char *json, const char *origin)
{
	struct lb_options *o = NULL;
	char err[256];
	int rc = lb_options_parse(json, origin, &o, err, sizeof(err));
	if (rc)
		fail_msg("parse: %s", err);
	assert_string_equal(err, "");
	return o;
}

static const char platform[] =
	"{\"name\": \"x\", \"buses\": [{\"name\": \"i2c0\", \"driver\": \"linux-i2c\","
	" \"options\": {\"clock_khz\": 4294967296, \"device\": \"/dev/i2c-1\"}}]}";

/* The example of the reader's own header, to the letter. */
static void test_error_names_origin_and_field(void **state)
{
	(void)state;
	struct lb_options *doc = parse(platform, "platform.json");
	const struct lb_options *buses, *bus, *opts;
	size_t n;
	assert_int_equal(lb_options_get_array(doc, "buses", 1, 32, &buses, &n), LB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(lb_options_at(buses, 0, NULL, &bus), LB_OK);
	assert_int_equal(lb_options_get_object(bus, NULL, &bus), LB_OK);
	assert_int_equal(lb_options_get_object(bus, "options", &opts), LB_OK);
	assert_string_equal(lb_options_path(opts), "buses[0].options");
	assert_string_equal(lb_options_origin(opts), "platform.json");
	uint32_t khz = 1;
	assert_int_equal(lb_options_get_u32(opts, "clock_khz", 100, 1000, 400, &khz), LB_E_RANGE);
	assert_int_equal(khz, 400); /* the default, after a failure too */
	assert_string_equal(lb_options_error(opts),
			    "platform.json: buses[0].options.clock_khz: 4294967296 is out of range 100..1000");
	/* every view of the document reads the same record: the latest failure */
	assert_int_equal(lb_options_fail(bus, "driver", LB_E_NOTFOUND, "second"), LB_E_NOTFOUND);
	assert_string_equal(lb_options_error(doc), "platform.json: buses[0].driver: second");
	assert_string_equal(lb_options_error(opts), lb_options_error(doc));
	/* asking again gives the very same view */
	const struct lb_options *again;
	assert_int_equal(lb_options_get_object(bus, "options", &again), LB_OK);
	assert_ptr_equal(again, opts);
	lb_options_free(doc);
}

static void test_typed_getters_and_defaults(void **state)
{
	(void)state;
	struct lb_options *o = parse("{\"s\": \"text\", \"i\": -7, \"u\": 42, \"r\": 2.5,"
				     " \"b\": true, \"e\": \"sonic\", \"nul\": null, \"arr\": [1, 2],"
				     " \"obj\": {\"k\": 1}}", "t.json");
	const char *s;
	char buf[8];
	int64_t i;
	uint32_t u;
	double r;
	bool b;
	int e;
	static const struct lb_options_enum banking[] = {
		{ "optoe", 1 }, { "sonic", 2 }, { "none", 3 }, { NULL, 0 },
	};
	assert_int_equal(lb_options_get_string(o, "s", NULL, &s), LB_OK);
	assert_string_equal(s, "text");
	assert_int_equal(lb_options_get_string_buf(o, "s", "", buf, sizeof(buf)), LB_OK);
	assert_string_equal(buf, "text");
	assert_int_equal(lb_options_get_int(o, "i", -10, 10, 0, &i), LB_OK);
	assert_int_equal(i, -7);
	assert_int_equal(lb_options_get_u32(o, "u", 0, 100, 0, &u), LB_OK);
	assert_int_equal(u, 42);
	assert_int_equal(lb_options_get_number(o, "r", 0, 3, 0, &r), LB_OK);
	assert_true(r == 2.5);
	assert_int_equal(lb_options_get_number(o, "u", 0, 100, 0, &r), LB_OK); /* an integer is a number */
	assert_true(r == 42.0);
	assert_int_equal(lb_options_get_bool(o, "b", false, &b), LB_OK);
	assert_true(b);
	assert_int_equal(lb_options_get_enum(o, "e", banking, 1, &e), LB_OK);
	assert_int_equal(e, 2);
	/* absent: the defaults */
	assert_int_equal(lb_options_get_string(o, "none", "dflt", &s), LB_OK);
	assert_string_equal(s, "dflt");
	assert_int_equal(lb_options_get_string(o, "none", NULL, &s), LB_OK);
	assert_null(s);
	assert_int_equal(lb_options_get_string_buf(o, "none", "d", buf, sizeof(buf)), LB_OK);
	assert_string_equal(buf, "d");
	assert_int_equal(lb_options_get_int(o, "none", -1, 1, -1, &i), LB_OK);
	assert_int_equal(i, -1);
	assert_int_equal(lb_options_get_u32(o, "none", 0, 1, 1, &u), LB_OK);
	assert_int_equal(u, 1);
	assert_int_equal(lb_options_get_number(o, "none", 0, 1, 0.5, &r), LB_OK);
	assert_true(r == 0.5);
	assert_int_equal(lb_options_get_bool(o, "none", true, &b), LB_OK);
	assert_true(b);
	assert_int_equal(lb_options_get_enum(o, "none", banking, 3, &e), LB_OK);
	assert_int_equal(e, 3);
	/* types, presence and sizes */
	assert_int_equal(lb_options_type(o, "s"), LB_OPTIONS_STRING);
	assert_int_equal(lb_options_type(o, "i"), LB_OPTIONS_INTEGER);
	assert_int_equal(lb_options_type(o, "r"), LB_OPTIONS_REAL);
	assert_int_equal(lb_options_type(o, "b"), LB_OPTIONS_BOOL);
	assert_int_equal(lb_options_type(o, "nul"), LB_OPTIONS_NULL);
	assert_int_equal(lb_options_type(o, "arr"), LB_OPTIONS_ARRAY);
	assert_int_equal(lb_options_type(o, "obj"), LB_OPTIONS_OBJECT);
	assert_int_equal(lb_options_type(o, "none"), LB_OPTIONS_ABSENT);
	assert_int_equal(lb_options_type(o, NULL), LB_OPTIONS_OBJECT);
	assert_true(lb_options_has(o, "nul"));
	assert_false(lb_options_has(o, "none"));
	assert_int_equal(lb_options_count(o), 9);
	assert_int_equal(lb_options_require(o, "s"), LB_OK);
	assert_string_equal(lb_options_error(o), "");
	lb_options_free(o);
}

/* One failure per document: each message, exactly. */
static void expect_failure(const char *json, int (*get)(const struct lb_options *), int status,
			   const char *message)
{
	struct lb_options *o = parse(json, "f.json");
	assert_int_equal(get(o), status);
	assert_string_equal(lb_options_error(o), message);
	lb_options_free(o);
}

static int get_u32_khz(const struct lb_options *o)
{
	uint32_t v;
	return lb_options_get_u32(o, "clock_khz", 10, 400, 100, &v);
}

static int get_dbm(const struct lb_options *o)
{
	double v;
	return lb_options_get_number(o, "launch_dbm", -20, 20, 0, &v);
}

static int get_dispersion(const struct lb_options *o)
{
	double v;
	return lb_options_get_number(o, "dispersion_ps_nm_km", -30, 30, 0, &v);
}

static int get_ratio(const struct lb_options *o)
{
	double v;
	return lb_options_get_number(o, "group_index", 1.3, 1.7, 1.5, &v);
}

static int get_flag(const struct lb_options *o)
{
	bool v;
	return lb_options_get_bool(o, "flag", false, &v);
}

static int get_name8(const struct lb_options *o)
{
	char buf[8];
	return lb_options_get_string_buf(o, "name", "", buf, sizeof(buf));
}

static int get_banking(const struct lb_options *o)
{
	static const struct lb_options_enum t[] = { { "optoe", 0 }, { "sonic", 1 }, { "none", 2 }, { NULL, 0 } };
	int v;
	return lb_options_get_enum(o, "banking", t, 0, &v);
}

static int require_path(const struct lb_options *o)
{
	return lb_options_require(o, "path");
}

static int get_sub(const struct lb_options *o)
{
	const struct lb_options *sub;
	return lb_options_get_object(o, "fibre", &sub);
}

static int get_root(const struct lb_options *o)
{
	const struct lb_options *root;
	return lb_options_get_object(o, NULL, &root);
}

static int get_list(const struct lb_options *o)
{
	const struct lb_options *a;
	size_t n;
	return lb_options_get_array(o, "spans", 1, 2, &a, &n);
}

static int check_known(const struct lb_options *o)
{
	static const char *const known[] = { "name", "comment", "_*", NULL };
	return lb_options_check_keys(o, known);
}

static void test_failure_messages(void **state)
{
	(void)state;
	expect_failure("{\"clock_khz\": 4294967296}", get_u32_khz, LB_E_RANGE,
		       "f.json: clock_khz: 4294967296 is out of range 10..400");
	expect_failure("{\"clock_khz\": -1}", get_u32_khz, LB_E_RANGE,
		       "f.json: clock_khz: -1 is out of range 10..400");
	expect_failure("{\"clock_khz\": 2.5}", get_u32_khz, LB_E_PARSE,
		       "f.json: clock_khz: 2.5 is not a whole number");
	expect_failure("{\"clock_khz\": \"fast\"}", get_u32_khz, LB_E_PARSE,
		       "f.json: clock_khz: not an integer");
	/* the unit of a number comes from its field name */
	expect_failure("{\"launch_dbm\": 30}", get_dbm, LB_E_RANGE,
		       "f.json: launch_dbm: 30 dBm is out of range -20..20");
	expect_failure("{\"launch_dbm\": \"loud\"}", get_dbm, LB_E_PARSE, "f.json: launch_dbm: not a number");
	expect_failure("{\"dispersion_ps_nm_km\": 31}", get_dispersion, LB_E_RANGE,
		       "f.json: dispersion_ps_nm_km: 31 ps/(nm·km) is out of range -30..30");
	expect_failure("{\"group_index\": 2}", get_ratio, LB_E_RANGE,
		       "f.json: group_index: 2 is out of range 1.3..1.7");
	expect_failure("{\"flag\": 1}", get_flag, LB_E_PARSE, "f.json: flag: not true or false");
	expect_failure("{\"name\": \"eight ch\"}", get_name8, LB_E_RANGE,
		       "f.json: name: longer than 7 characters");
	expect_failure("{\"name\": 8}", get_name8, LB_E_PARSE, "f.json: name: not a string");
	expect_failure("{\"banking\": \"sideways\"}", get_banking, LB_E_PARSE,
		       "f.json: banking: \"sideways\" is not \"optoe\", \"sonic\" or \"none\"");
	expect_failure("{}", require_path, LB_E_PARSE, "f.json: path: missing");
	expect_failure("{\"fibre\": 3}", get_sub, LB_E_PARSE, "f.json: fibre: not an object");
	expect_failure("[]", get_root, LB_E_PARSE, "f.json: (top): not a JSON object");
	expect_failure("{\"spans\": {}}", get_list, LB_E_PARSE, "f.json: spans: not a list");
	expect_failure("{\"spans\": []}", get_list, LB_E_PARSE, "f.json: spans: empty");
	expect_failure("{\"spans\": [1, 2, 3]}", get_list, LB_E_RANGE,
		       "f.json: spans: 3 entries, at most 2");
	expect_failure("{\"name\": 1, \"_note\": 2, \"comment\": 3, \"colour\": 4}", check_known,
		       LB_E_PARSE, "f.json: colour: unknown field");
}

/* Absent objects and arrays read as empty views: every getter gives its default. */
static void test_absent_children_are_empty(void **state)
{
	(void)state;
	struct lb_options *o = parse("{}", NULL);
	assert_string_equal(lb_options_origin(o), "(options)");
	const struct lb_options *sub, *deeper, *arr;
	size_t n = 9;
	assert_int_equal(lb_options_get_object(o, "fibre", &sub), LB_OK);
	assert_non_null(sub);
	assert_false(lb_options_has(sub, NULL));
	assert_int_equal(lb_options_get_object(sub, "inner", &deeper), LB_OK);
	double v;
	assert_int_equal(lb_options_get_number(deeper, "loss_db", 0, 1, 0.2, &v), LB_OK);
	assert_true(v == 0.2);
	assert_int_equal(lb_options_get_array(o, "spans", 1, 4, &arr, &n), LB_OK);
	assert_int_equal(n, 0);
	assert_int_equal(lb_options_count(arr), 0);
	/* a field of the absent object is named by its full path */
	assert_int_equal(lb_options_require(deeper, "length_km"), LB_E_PARSE);
	assert_string_equal(lb_options_error(o), "(options): fibre.inner.length_km: missing");
	lb_options_free(o);
}

/* Elements: by index, or by a label once it is known; nested arrays; values read with key NULL. */
static void test_elements_and_labels(void **state)
{
	(void)state;
	struct lb_options *o = parse("{\"modes\": [{\"id\": \"m1\", \"cd_penalty\": [[0, 0], [4000, \"x\"]]}]}",
				     "modes.json");
	const struct lb_options *modes, *m, *named, *table, *pt;
	size_t n, k;
	assert_int_equal(lb_options_get_array(o, "modes", 1, 8, &modes, &n), LB_OK);
	assert_int_equal(lb_options_at(modes, 0, NULL, &m), LB_OK);
	assert_string_equal(lb_options_path(m), "modes[0]");
	const char *id;
	assert_int_equal(lb_options_get_string(m, "id", NULL, &id), LB_OK);
	assert_int_equal(lb_options_at(modes, 0, id, &named), LB_OK);
	assert_string_equal(lb_options_path(named), "modes[m1]");
	assert_int_equal(lb_options_get_array(named, "cd_penalty", 1, 8, &table, &k), LB_OK);
	assert_int_equal(k, 2);
	assert_int_equal(lb_options_at(table, 1, NULL, &pt), LB_OK);
	const struct lb_options *x, *y;
	size_t two;
	assert_int_equal(lb_options_get_array(pt, NULL, 2, 2, &pt, &two), LB_OK);
	assert_int_equal(lb_options_at(pt, 0, NULL, &x), LB_OK);
	assert_int_equal(lb_options_at(pt, 1, NULL, &y), LB_OK);
	double xv, yv;
	assert_int_equal(lb_options_get_number(x, NULL, 0, 1e6, 0, &xv), LB_OK);
	assert_true(xv == 4000);
	assert_int_equal(lb_options_get_number(y, NULL, 0, 30, 0, &yv), LB_E_PARSE);
	assert_string_equal(lb_options_error(o), "modes.json: modes[m1].cd_penalty[1][1]: not a number");
	assert_int_equal(lb_options_at(table, 2, NULL, &pt), LB_E_RANGE);
	assert_null(pt);
	lb_options_free(o);
}

/* The caller's own rules fail the same way. */
static void test_caller_failures(void **state)
{
	(void)state;
	struct lb_options *o = parse("{\"slot_ghz\": 50, \"baud_gbd\": 60}", "m.json");
	assert_int_equal(lb_options_fail(o, "slot_ghz", LB_E_RANGE, "%g GHz is narrower than %g GBd", 50.0, 60.0),
			 LB_E_RANGE);
	assert_string_equal(lb_options_error(o), "m.json: slot_ghz: 50 GHz is narrower than 60 GBd");
	lb_options_free(o);
	o = parse("{}", "m.json");
	assert_int_equal(lb_options_fail(o, NULL, LB_E_PARSE, "whole file"), LB_E_PARSE);
	assert_string_equal(lb_options_error(o), "m.json: (top): whole file");
	lb_options_free(o);
}

static void test_documents(void **state)
{
	(void)state;
	struct lb_options *o = (struct lb_options *)1;
	char err[256];
	/* malformed text, duplicate keys */
	assert_int_equal(lb_options_parse("{\"a\": ", "t.json", &o, err, sizeof(err)), LB_E_PARSE);
	assert_null(o);
	assert_true(strncmp(err, "t.json: line 1: ", 16) == 0);
	assert_int_equal(lb_options_parse("{\"a\": 1, \"a\": 2}", "t.json", &o, err, sizeof(err)), LB_E_PARSE);
	assert_non_null(strstr(err, "duplicate"));
	assert_int_equal(lb_options_parse(NULL, "t.json", &o, err, sizeof(err)), LB_E_INVAL);
	/* any JSON value parses; only an object is options */
	assert_int_equal(lb_options_parse("[1]", NULL, &o, NULL, 0), LB_OK);
	assert_int_equal(lb_options_count(o), 1);
	lb_options_free(o);
	assert_int_equal(lb_options_parse_object("[1]", "opts", &o, err, sizeof(err)), LB_E_PARSE);
	assert_string_equal(err, "opts: (top): not a JSON object");
	assert_int_equal(lb_options_parse_object(NULL, "opts", &o, err, sizeof(err)), LB_OK);
	assert_int_equal(lb_options_count(o), 0);
	lb_options_free(o);
	/* files: missing, malformed, good; each parse counted once */
	char dir[] = "/tmp/lb-options-XXXXXX", file[64];
	assert_non_null(mkdtemp(dir));
	snprintf(file, sizeof(file), "%s/none.json", dir);
	assert_int_equal(lb_options_load(file, &o, err, sizeof(err)), LB_E_NOTFOUND);
	assert_non_null(strstr(err, "none.json: (file): "));
	snprintf(file, sizeof(file), "%s/f.json", dir);
	FILE *f = fopen(file, "w");
	assert_non_null(f);
	fputs("{\"launch_dbm\": ", f);
	fclose(f);
	assert_int_equal(lb_options_load(file, &o, err, sizeof(err)), LB_E_PARSE);
	assert_non_null(strstr(err, "f.json: line 1: "));
	f = fopen(file, "w");
	assert_non_null(f);
	fputs("{\"launch_dbm\": 30}", f);
	fclose(f);
	unsigned long before = lb_options_parse_count();
	assert_int_equal(lb_options_load(file, &o, err, sizeof(err)), LB_OK);
	assert_int_equal(lb_options_parse_count(), before + 1);
	assert_string_equal(lb_options_origin(o), file);
	double v;
	assert_int_equal(lb_options_get_number(o, "launch_dbm", -20, 20, 0, &v), LB_E_RANGE);
	assert_true(strncmp(lb_options_error(o), file, strlen(file)) == 0);
	/* a child view is never freed alone */
	const struct lb_options *sub;
	assert_int_equal(lb_options_get_object(o, "x", &sub), LB_OK);
	lb_options_free((struct lb_options *)sub);
	lb_options_free(o);
	lb_options_free(NULL);
	unlink(file);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_error_names_origin_and_field),
		cmocka_unit_test(test_typed_getters_and_defaults),
		cmocka_unit_test(test_failure_messages),
		cmocka_unit_test(test_absent_children_are_empty),
		cmocka_unit_test(test_elements_and_labels),
		cmocka_unit_test(test_caller_failures),
		cmocka_unit_test(test_documents),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
