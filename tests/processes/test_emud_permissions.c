/* SPDX-License-Identifier: MIT */
/*
 * lb-emud --allow-other: other users may read what a host reads (platform.json, the EEPROM
 * files) and nothing else: pulling a module (present), writing an EEPROM, the raw i2c window
 * stay the mounting user's (FUSE default_permissions; files owned by the mounting user).
 * Another user is "nobody", in a child that drops to it (the test runs as root in CI).
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdbool.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include "tests/processes/emud_rig.h"

/* What nobody gets when opening path with flags: 0 or an errno. */
static int as_nobody_open(const char *path, int flags)
{
	struct passwd *nobody = getpwnam("nobody");
	assert_non_null(nobody);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (setgid(nobody->pw_gid) || setuid(nobody->pw_uid))
			_exit(250);
		int fd = open(path, flags);
		if (fd >= 0) {
			char b;
			if (!(flags & (O_WRONLY | O_RDWR)) && read(fd, &b, 1) != 1)
				_exit(251);
			_exit(0);
		}
		_exit(errno > 0 && errno < 250 ? errno : 252);
	}
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_true(WEXITSTATUS(st) < 250);
	return WEXITSTATUS(st);
}

static struct emud_rig rig;
static bool running;

/* lb-emud is stopped by the teardown, so that a failed assertion never leaves it mounted. */
static int setup(void **state)
{
	(void)state;
	const char *why = emud_rig_unavailable();
	if (why || geteuid() != 0) {
		fprintf(stderr, "skipped: %s\n", why ? why : "needs root (to be another user)");
		return 0;
	}
	const char *extra[] = { "--allow-other", NULL };
	int rc = emud_rig_start(&rig, extra);
	if (rc == 1)
		fprintf(stderr, "skipped: lb-emud could not mount (no FUSE here)\n");
	running = rc == 0;
	return rc < 0 ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	return running && emud_rig_stop(&rig) != 0 ? -1 : 0;
}

static void test_other_users_read_only(void **unused)
{
	(void)unused;
	if (!running)
		skip();
	char p[PATH_MAX + 64];
	snprintf(p, sizeof(p), "%s/platform.json", rig.mount);
	assert_int_equal(as_nobody_open(p, O_RDONLY), 0);
	snprintf(p, sizeof(p), "%s/1/eeprom", rig.mount);
	assert_int_equal(as_nobody_open(p, O_RDONLY), 0);
	assert_int_equal(as_nobody_open(p, O_WRONLY), EACCES);
	snprintf(p, sizeof(p), "%s/1/present", rig.mount);
	assert_int_equal(as_nobody_open(p, O_WRONLY), EACCES);
	snprintf(p, sizeof(p), "%s/1/i2c", rig.mount);
	assert_int_equal(as_nobody_open(p, O_RDWR), EACCES);
	assert_int_equal(as_nobody_open(p, O_RDONLY), EACCES);
	/* the files are the mounting user's, and that user may still pull a module */
	struct stat st;
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_uid, geteuid());
	snprintf(p, sizeof(p), "%s/1/present", rig.mount);
	int fd = open(p, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "1", 1), 1);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_other_users_read_only),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
