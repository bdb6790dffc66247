/* SPDX-License-Identifier: MIT */
/*
 * Running a test program's cases as ctest asks, and saying plainly when optional data was
 * missing. LB_TEST_ONLY and LB_TEST_EXCEPT in the environment are cmocka patterns that pick
 * the cases ("test_real_images*": the cases that read the shared real module images), so one
 * program can be two ctest tests. A run in which a case was skipped for want of that data
 * exits LB_TEST_SKIP_CODE, which ctest reports as "Skipped" (SKIP_RETURN_CODE), never as
 * passed; a failure still exits with the number of failed cases.
 */
#ifndef LB_TEST_RUN_H
#define LB_TEST_RUN_H

#define LB_TEST_SKIP_CODE 77

/** Apply LB_TEST_ONLY / LB_TEST_EXCEPT (call before cmocka_run_group_tests). */
void lb_test_apply_filters(void);
/** The exit code for cmocka's result: failures as they are, else 77 after a data skip. */
int lb_test_result(int failed);
/** A case is skipped because optional data is absent (why is printed once per reason). */
void lb_test_mark_skipped(const char *why);

/* return LB_TEST_RUN(tests, setup, teardown); in main. */
#define LB_TEST_RUN(tests, setup, teardown) \
	(lb_test_apply_filters(), lb_test_result(cmocka_run_group_tests(tests, setup, teardown)))

#endif
