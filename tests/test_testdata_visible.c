/* SPDX-License-Identifier: MIT */
/*
 * The real-image cases never pass in silence without their data: where it is absent and
 * optional, the run exits 77 (ctest: Skipped) and says why; where it is required, the case
 * fails. Each run is a child program of its own (a cmocka group), as ctest would start it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include "image_file.h"
#include "test_run.h"

static int required;
static unsigned ran_past;

static void case_needs_images(void **state)
{
	(void)state;
	lb_test_need_modules_dir("/nonexistent/lightbridge-testdata", required);
	ran_past++; /* never: the case ends in the call */
}

static void case_plain(void **state)
{
	(void)state;
}

/* The exit code of a child that runs the two cases as a test program's main would. */
static int child_run(int req)
{
	fflush(stdout);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		required = req;
		const struct CMUnitTest tests[] = {
			cmocka_unit_test(case_plain),
			cmocka_unit_test(case_needs_images),
		};
		int rc = LB_TEST_RUN(tests, NULL, NULL);
		_exit(ran_past ? 99 : rc);
	}
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

static void test_absent_optional_is_skipped(void **state)
{
	(void)state;
	assert_int_equal(child_run(0), LB_TEST_SKIP_CODE);
}

static void test_absent_required_fails(void **state)
{
	(void)state;
	int rc = child_run(1);
	assert_int_equal(rc, 1); /* one failed case */
}

static void test_present_runs(void **state)
{
	(void)state;
	/* a folder that is there is returned as it is */
	char dir[] = "/tmp/lb-testdata-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char modules[64];
	snprintf(modules, sizeof(modules), "%s/modules", dir);
	assert_int_equal(mkdir(modules, 0700), 0);
	const char *got = lb_test_need_modules_dir(dir, 1);
	assert_string_equal(got, modules);
	rmdir(modules);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_absent_optional_is_skipped),
		cmocka_unit_test(test_absent_required_fails),
		cmocka_unit_test(test_present_runs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
