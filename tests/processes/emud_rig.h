/* SPDX-License-Identifier: MIT */
/* Start lb-emud on a temporary mount point, wait for it, stop it and leave no mount behind. */
#ifndef LB_TESTS_HW2_EMUD_RIG_H
#define LB_TESTS_HW2_EMUD_RIG_H

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct emud_rig {
	char mount[PATH_MAX];
	char platform[PATH_MAX + 32];
	pid_t pid;
};

static inline bool emud_rig_is_mounted(const char *dir)
{
	FILE *f = fopen("/proc/self/mounts", "r");
	if (!f)
		return false;
	char line[4096];
	bool found = false;
	while (!found && fgets(line, sizeof(line), f)) {
		char dev[256], mnt[PATH_MAX];
		if (sscanf(line, "%255s %4095s", dev, mnt) == 2 && strcmp(mnt, dir) == 0)
			found = true;
	}
	fclose(f);
	return found;
}

/* Why lb-emud cannot run here, or NULL when it can. */
static inline const char *emud_rig_unavailable(void)
{
	const char *emud = getenv("LB_EMUD");
	if (!emud || access(emud, X_OK) != 0)
		return "LB_EMUD not set (lb-emud not built: no libfuse3?)";
	if (access("/dev/fuse", R_OK | W_OK) != 0)
		return "/dev/fuse is absent or not accessible";
	return NULL;
}

/* 0: running and mounted; 1: could not mount here (skip); -1: failed. extra: more arguments. */
static inline int emud_rig_start(struct emud_rig *r, const char *const *extra)
{
	snprintf(r->mount, sizeof(r->mount), "/tmp/lb-emud-test-XXXXXX");
	if (!mkdtemp(r->mount))
		return -1;
	snprintf(r->platform, sizeof(r->platform), "%s/platform.json", r->mount);
	r->pid = fork();
	if (r->pid < 0)
		return -1;
	if (r->pid == 0) {
		const char *argv[16] = { getenv("LB_EMUD"), "--mount", r->mount };
		int n = 3;
		for (unsigned i = 0; extra && extra[i] && n < 15; i++)
			argv[n++] = extra[i];
		argv[n] = NULL;
		int null = open("/dev/null", O_WRONLY);
		if (null >= 0 && !getenv("LB_EMUD_VERBOSE"))
			dup2(null, STDERR_FILENO);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	for (int i = 0; i < 1000; i++) {
		if (access(r->platform, R_OK) == 0)
			return 0;
		int st;
		if (waitpid(r->pid, &st, WNOHANG) == r->pid) {
			r->pid = 0;
			rmdir(r->mount);
			return 1; /* exited before mounting: FUSE not usable in this environment */
		}
		struct timespec ts = { 0, 10000000 };
		nanosleep(&ts, NULL);
	}
	return -1;
}

/* Stop lb-emud (SIGTERM), wait; returns its exit status, or -1. Never leaves a mount. */
static inline int emud_rig_stop(struct emud_rig *r)
{
	int status = -1;
	if (r->pid > 0) {
		kill(r->pid, SIGTERM);
		int st;
		/* up to 30 s: under valgrind (tools/memcheck.sh) on a busy machine it takes seconds */
		for (int i = 0; i < 3000; i++) {
			if (waitpid(r->pid, &st, WNOHANG) == r->pid) {
				status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
				break;
			}
			struct timespec ts = { 0, 10000000 };
			nanosleep(&ts, NULL);
		}
		if (status < 0) {
			kill(r->pid, SIGKILL);
			waitpid(r->pid, &st, 0);
		}
		r->pid = 0;
	}
	if (emud_rig_is_mounted(r->mount)) {
		char cmd[PATH_MAX + 64];
		snprintf(cmd, sizeof(cmd), "fusermount3 -u -z '%s' 2>/dev/null", r->mount);
		if (system(cmd) != 0)
			status = -1;
		status = status == 0 ? -2 : status; /* still mounted after a clean exit: a bug */
	}
	rmdir(r->mount);
	return status;
}

/* ---- emud_rig.c: linked into every process test ---- */
struct lb_driver;
/** Bus driver "test-rawfile": lb_bus_open's handle is the path of a port's window file. */
extern const struct lb_driver emud_rig_rawfile_driver;

#define EMUD_FX_MAX_PAGES 8
/** lb-emud started, one port's files, a lock file name and the truth of some pages. */
struct emud_fx {
	struct emud_rig rig;
	char window[PATH_MAX + 32], eeprom[PATH_MAX + 32]; /* DIR/<port>/i2c, DIR/<port>/eeprom */
	char lock[PATH_MAX];                              /* /tmp/lb-WHAT-lock-PID */
	uint8_t expect[EMUD_FX_MAX_PAGES][128];           /* pages[i] through the EEPROM file */
};
/*
 * Start lb-emud on the default platform and read pages[0..n-1] (bank 0) of port through its
 * EEPROM file into expect, checking they all differ. 0: running; 1: lb-emud cannot run here
 * (why printed, prefixed by what; rig.pid stays 0). Fails the test on anything else.
 */
int emud_fx_start(struct emud_fx *f, const char *what, unsigned port, const uint8_t *pages,
		  unsigned n);
/** Stop lb-emud if running and remove the lock file; lb-emud's exit status (0 when clean). */
int emud_fx_stop(struct emud_fx *f);

#endif
