/* SPDX-License-Identifier: MIT */
/*
 * The emulated platform's state between lbctl processes: two processes at once never
 * corrupt it (they take turns), --fresh starts over, and a damaged state file is survived.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include <jansson.h>

static char dir[64];

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	int st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Module state and activated lanes of every port, from `lbctl --json list` and `show`. */
static json_t *show_json(unsigned port)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/show%u.json", dir, port);
	if (sh("'%s' --json show %u >'%s'", getenv("LBCTL"), port, path) != 0)
		return NULL;
	json_error_t e;
	return json_load_file(path, 0, &e);
}

static unsigned activated_lanes(json_t *show)
{
	unsigned n = 0;
	json_t *lanes = json_object_get(show, "host_lanes");
	size_t i;
	json_t *l;
	json_array_foreach(lanes, i, l)
	{
		const char *st = json_string_value(json_object_get(l, "dp_state"));
		if (st && strcmp(st, "DPActivated") == 0)
			n++;
	}
	return n;
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/lb-test-state-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	setenv("LB_STATE_DIR", dir, 1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return sh("rm -rf '%s'", dir);
}

static void test_two_processes_at_once(void **state)
{
	(void)state;
	if (!getenv("LBCTL"))
		skip();
	const char *l = getenv("LBCTL");
	assert_int_equal(sh("'%s' --fresh list >/dev/null", l), 0);
	/* Both start together; each sees the other's result because they take turns on the state. */
	assert_int_equal(sh("('%s' up 1 >/dev/null & '%s' up 4 >/dev/null & wait) ; exit 0", l, l), 0);
	json_t *s1 = show_json(1), *s4 = show_json(4), *s2 = show_json(2);
	assert_non_null(s1);
	assert_non_null(s4);
	assert_non_null(s2);
	assert_int_equal(activated_lanes(s1), 8);
	assert_int_equal(activated_lanes(s4), 8);
	assert_int_equal(activated_lanes(s2), 0);
	json_decref(s1);
	json_decref(s4);
	json_decref(s2);
	/* the state file is whole JSON after all that */
	char path[128];
	snprintf(path, sizeof(path), "%s/default/emulator-state.json", dir);
	json_error_t e;
	json_t *st = json_load_file(path, 0, &e);
	assert_non_null(st);
	json_decref(st);
}

static void test_fresh_starts_over(void **state)
{
	(void)state;
	if (!getenv("LBCTL"))
		skip();
	const char *l = getenv("LBCTL");
	assert_int_equal(sh("'%s' up 2 >/dev/null", l), 0);
	json_t *s = show_json(2);
	assert_int_equal(activated_lanes(s), 8);
	json_decref(s);
	assert_int_equal(sh("'%s' --fresh list >/dev/null", l), 0);
	s = show_json(2);
	assert_non_null(s);
	assert_int_equal(activated_lanes(s), 0);
	json_decref(s);
}

static void test_damaged_state_file_survived(void **state)
{
	(void)state;
	if (!getenv("LBCTL"))
		skip();
	const char *l = getenv("LBCTL");
	assert_int_equal(sh("'%s' up 5 >/dev/null", l), 0);
	assert_int_equal(sh("printf '{\"version\": 1, \"bus' > '%s/default/emulator-state.json'", dir), 0);
	/* a truncated state is not trusted: the platform starts from power-on, no crash */
	json_t *s = show_json(5);
	assert_non_null(s);
	assert_int_equal(activated_lanes(s), 0);
	json_decref(s);
	/* nor is a clock that runs backwards */
	assert_int_equal(sh("'%s' up 5 >/dev/null", l), 0);
	assert_int_equal(sh("sed -i 's/\"virtual_ns\":[0-9]*/\"virtual_ns\":-5/' '%s/default/emulator-state.json'", dir), 0);
	assert_int_equal(sh("grep -q '\"virtual_ns\":-5' '%s/default/emulator-state.json'", dir), 0);
	s = show_json(5);
	assert_non_null(s);
	assert_int_equal(activated_lanes(s), 0);
	json_decref(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_processes_at_once),
		cmocka_unit_test(test_fresh_starts_over),
		cmocka_unit_test(test_damaged_state_file_survived),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
