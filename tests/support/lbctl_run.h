/* SPDX-License-Identifier: MIT */
/*
 * Running the lbctl program ($LBCTL, set by ctest) as a user does: a process of its own in a
 * private state directory (LB_STATE_DIR), stdout and stderr captured.
 */
#ifndef LB_TEST_LBCTL_RUN_H
#define LB_TEST_LBCTL_RUN_H

#include <stdbool.h>
#include <stddef.h>

struct lbctl_run {
	char dir[64];      /* the private state directory (also holds the captured output) */
	char out[65536];   /* stdout of the last run, NUL-terminated */
	char err[8192];    /* stderr of the last run */
};

/** Make the state directory and point LB_STATE_DIR at it; -1 when LBCTL is not set. */
int lbctl_run_setup(struct lbctl_run *r, const char *tag);
/** Remove the state directory; 0 or -1. */
int lbctl_run_teardown(struct lbctl_run *r);
/** Run "$LBCTL args" (args as a shell would split them); the exit code (cmocka-asserted). */
int lbctl_run(struct lbctl_run *r, const char *args);
/** Whether out has a "  Key ...: value" line of show's layout, whatever the key column's width. */
bool lbctl_has_kv(const char *out, const char *key, const char *value);
/** Every line of text fits 80 columns (cmocka failure naming the line otherwise). */
void lbctl_run_fits_80(const char *text);
/** Run args, want exit code want_exit, and parse stdout as one JSON document (the caller's). */
struct json_t;
struct json_t *lbctl_run_json(struct lbctl_run *r, const char *args, int want_exit);
/** Lines in s. */
unsigned lbctl_run_lines(const char *s);

/*
 * The fixture of a test file whose cases share one run, `run`, in a state directory tagged
 * tag: defines `run` and the cmocka group setup and teardown `setup` and `teardown` (the
 * group fails to set up when LBCTL is not set: run the file under ctest).
 */
#define LBCTL_RUN_FIXTURE(tag)                                   \
	static struct lbctl_run run;                             \
	static int setup(void **unused_)                         \
	{                                                        \
		(void)unused_;                                   \
		return lbctl_run_setup(&run, tag);               \
	}                                                        \
	static int teardown(void **unused_)                      \
	{                                                        \
		(void)unused_;                                   \
		return lbctl_run_teardown(&run);                 \
	}

/* In a case that needs the lbctl program: skip it (visibly) when LBCTL is not set. */
#define NEED_LBCTL()                                  \
	do {                                          \
		if (!getenv("LBCTL"))                 \
			skip(); /* run under ctest */ \
	} while (0)

#endif
