/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "test_run.h"

static unsigned skipped_for_data;
static char last_why[512];

void lb_test_apply_filters(void)
{
	const char *only = getenv("LB_TEST_ONLY"), *except = getenv("LB_TEST_EXCEPT");
	if (only && *only)
		cmocka_set_test_filter(only);
	if (except && *except)
		cmocka_set_skip_filter(except);
}

int lb_test_result(int failed)
{
	if (failed)
		return failed;
	if (skipped_for_data) {
		printf("%u case(s) SKIPPED: %s\n", skipped_for_data, last_why);
		return LB_TEST_SKIP_CODE;
	}
	return 0;
}

void lb_test_mark_skipped(const char *why)
{
	skipped_for_data++;
	if (strcmp(why, last_why) != 0) {
		snprintf(last_why, sizeof(last_why), "%s", why);
		printf("skipped: %s\n", why);
	}
}
