/* SPDX-License-Identifier: MIT */
/*
 * Claims of modules (lb_module_request / release / claimed): other handles, threads and
 * processes get LB_E_BUSY with the holder's reason while the holder's own calls go through;
 * lb_module_claimed costs no transaction; a claim ends with release, with its handle, and
 * with its process (the kernel drops the flock). Claim files are checked before use.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
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
#include <lightbridge/lightbridge.h>
#include "rec_bus.h"

#define REASON "firmware update in progress"

static struct lb_bus_stats stats(struct lb_bus *bus)
{
	struct lb_bus_stats s = LB_BUS_STATS_INIT;
	lb_bus_get_stats(bus, &s);
	return s;
}

static int read1(struct lb_module *m)
{
	uint8_t b;
	return lb_module_read(m, 0, 0, 0, &b, 1);
}

/* ---- in one process ---- */

static void test_two_handles_one_claim(void **state)
{
	(void)state;
	struct lb_test_rec_rig r;
	lb_test_rec_rig_up(&r, LB_SOURCE_DIR, "800g-dr8-osfp", 2);
	struct lb_module *a = r.m[0], *b, *other = r.m[1];
	/* a second handle on the same module, spelt with an unused mux address */
	struct lb_module_addr same = { .addr = 0x50, .mux_addr = 0x70, .mux_channel = -1 };
	assert_int_equal(lb_module_open(r.bus, &same, &b), LB_OK);
	char why[LB_MODULE_CLAIM_REASON_MAX];
	assert_int_equal(lb_module_claimed(b, why, sizeof(why)), LB_CLAIM_NONE);
	assert_string_equal(why, "");

	assert_int_equal(lb_module_request(a, REASON), LB_OK);
	lb_bus_reset_stats(r.bus);
	assert_int_equal(read1(b), LB_E_BUSY);
	assert_non_null(strstr(lb_ctx_last_error(r.ctx), "module 0x50: claimed: " REASON));
	uint8_t v = 9;
	assert_int_equal(lb_module_write(b, 0, 0x03, 128, &v, 1), LB_E_BUSY);
	struct lb_mem_write w = { .page = 0x03, .offset = 128, .len = 1, .buf = &v };
	assert_int_equal(lb_module_write_plan(b, &w, 1, 0), LB_E_BUSY);
	assert_int_equal(lb_module_page_supported(b, 0, 0x03), LB_E_BUSY);
	assert_int_equal(lb_module_claimed(b, why, sizeof(why)), LB_CLAIM_OTHER);
	assert_string_equal(why, REASON);
	assert_int_equal(lb_module_claimed(a, why, sizeof(why)), LB_CLAIM_OWN);
	assert_int_equal(lb_module_claimed(b, NULL, 0), LB_CLAIM_OTHER);
	assert_int_equal(stats(r.bus).transactions, 0); /* refused calls and polls: no traffic */
	/* the holder goes through, and so does another module on the bus */
	assert_int_equal(lb_module_write(a, 0, 0x03, 128, &v, 1), LB_OK);
	assert_int_equal(read1(other), LB_OK);
	assert_int_equal(lb_module_request(b, "another session"), LB_E_BUSY);
	assert_non_null(strstr(lb_ctx_last_error(r.ctx), REASON));
	assert_int_equal(lb_module_request(a, REASON), LB_E_STATE);
	assert_int_equal(lb_module_release(b), LB_E_STATE);

	assert_int_equal(lb_module_release(a), LB_OK);
	assert_int_equal(lb_module_release(a), LB_E_STATE);
	assert_int_equal(lb_module_claimed(b, why, sizeof(why)), LB_CLAIM_NONE);
	assert_int_equal(read1(b), LB_OK);
	/* a claim goes with its handle */
	assert_int_equal(lb_module_request(b, NULL), LB_OK);
	assert_int_equal(lb_module_claimed(a, why, sizeof(why)), LB_CLAIM_OTHER);
	assert_string_equal(why, "claimed");
	lb_module_close(b);
	assert_int_equal(lb_module_claimed(a, why, sizeof(why)), LB_CLAIM_NONE);
	assert_int_equal(read1(a), LB_OK);
	/* reasons are kept short and printable */
	char long_reason[300];
	memset(long_reason, 'x', sizeof(long_reason) - 1);
	long_reason[sizeof(long_reason) - 1] = 0;
	long_reason[3] = '\n';
	assert_int_equal(lb_module_request(a, long_reason), LB_OK);
	assert_int_equal(lb_module_claimed(other, why, sizeof(why)), LB_CLAIM_NONE);
	assert_int_equal(lb_module_open(r.bus, &same, &b), LB_OK);
	assert_int_equal(lb_module_claimed(b, why, sizeof(why)), LB_CLAIM_OTHER);
	assert_int_equal(strlen(why), 127);
	assert_int_equal(why[3], '?');
	lb_module_close(b);
	lb_test_rec_rig_down(&r);
}

struct session {
	struct lb_module *holder;
	int held, go, done; /* atomic */
	int rc;
	unsigned plans;     /* plans written; the last wrote plans - 1 at 03h:128 */
};

/* A firmware session in another thread: claim, write while the main thread polls, release. */
static void *session(void *arg)
{
	struct session *s = arg;
	s->rc = lb_module_request(s->holder, REASON);
	__atomic_store_n(&s->held, 1, __ATOMIC_RELEASE);
	static uint8_t block[128];
	struct lb_mem_write w = { .page = 0x03, .offset = 128, .len = 128, .buf = block };
	while (s->rc == LB_OK && (!__atomic_load_n(&s->go, __ATOMIC_ACQUIRE) || s->plans < 4)) {
		block[0] = (uint8_t)s->plans++;
		s->rc = lb_module_write_plan(s->holder, &w, 1, 0);
	}
	if (s->rc == LB_OK)
		s->rc = lb_module_release(s->holder);
	__atomic_store_n(&s->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void test_claim_across_threads(void **state)
{
	(void)state;
	struct lb_test_rec_rig r;
	lb_test_rec_rig_up(&r, LB_SOURCE_DIR, "800g-dr8-osfp", 1);
	struct lb_module *poller;
	assert_int_equal(lb_module_open(r.bus, NULL, &poller), LB_OK);
	struct session s = { .holder = r.m[0] };
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, session, &s), 0);
	while (!__atomic_load_n(&s.held, __ATOMIC_ACQUIRE))
		sched_yield();
	char why[LB_MODULE_CLAIM_REASON_MAX];
	unsigned refused = 0;
	for (unsigned i = 0; i < 50; i++) {
		assert_int_equal(lb_module_claimed(poller, why, sizeof(why)), LB_CLAIM_OTHER);
		assert_string_equal(why, REASON);
		assert_int_equal(read1(poller), LB_E_BUSY);
		refused++;
	}
	__atomic_store_n(&s.go, 1, __ATOMIC_RELEASE);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(s.rc, LB_OK);
	assert_int_equal(lb_module_claimed(poller, why, sizeof(why)), LB_CLAIM_NONE);
	assert_int_equal(read1(poller), LB_OK);
	uint8_t b;
	assert_int_equal(lb_module_read(poller, 0, 0x03, 128, &b, 1), LB_OK);
	assert_int_equal(b, (uint8_t)(s.plans - 1)); /* the session's last write landed */
	fprintf(stderr, "%u calls refused during a session of %u writes\n", refused, s.plans);
	lb_module_close(poller);
	lb_test_rec_rig_down(&r);
}

/* ---- across processes ---- */

struct xfx {
	char dir[64], lock[128], claim[160];
};

static int xsetup(void **state)
{
	struct xfx *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	snprintf(f->dir, sizeof(f->dir), "/tmp/lb-claim-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->lock, sizeof(f->lock), "%s/i2c0.lock", f->dir);
	snprintf(f->claim, sizeof(f->claim), "%s/i2c0.lock.50", f->dir);
	*state = f;
	return 0;
}

static int xteardown(void **state)
{
	struct xfx *f = *state;
	unlink(f->claim);
	unlink(f->lock);
	char other[200];
	snprintf(other, sizeof(other), "%s/i2c0.lock.70-3.71-0-50", f->dir);
	unlink(other);
	rmdir(f->dir);
	free(f);
	return 0;
}

/* One process's view: its own context, emulated module and bus, sharing only the lock file. */
struct proc {
	struct lb_ctx *ctx;
	struct lb_emu_world *w;
	struct lb_bus *bus;
	struct lb_module *m;
};

static int proc_up(struct proc *p, const char *lock, const struct lb_module_addr *where)
{
	char profile[1024];
	struct lb_emu_segment *seg;
	struct lb_emu_module *em;
	snprintf(profile, sizeof(profile), "%s/emulator/profiles/400g-fr4-qsfpdd.json", LB_SOURCE_DIR);
	if (lb_ctx_create(&p->ctx) || lb_emu_register_drivers(p->ctx) || lb_emu_world_create(&p->w) ||
	    lb_emu_segment_create(p->w, 400, &seg) ||
	    lb_emu_module_create(p->w, profile, &em, NULL, 0) ||
	    lb_emu_segment_attach(seg, -1, 0x50, em) ||
	    lb_bus_open(p->ctx, "emulator", NULL, seg, &p->bus) ||
	    (lock && lb_bus_set_lock_file(p->bus, lock, 2000)) || lb_module_open(p->bus, where, &p->m))
		return -1;
	return 0;
}

static void proc_down(struct proc *p)
{
	lb_module_close(p->m);
	lb_bus_close(p->bus);
	lb_emu_world_destroy(p->w);
	lb_ctx_destroy(p->ctx);
}

/*
 * A child that claims the module (reason REASON), says 'h' on ready, then waits for a byte
 * on go: 'r' releases and says 'r', 'x' ends the process with the claim still held.
 */
static pid_t claiming_child(const char *lock, const struct lb_module_addr *where, int ready,
			    int go)
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid)
		return pid;
	struct proc p;
	char c;
	if (proc_up(&p, lock, where) || lb_module_request(p.m, REASON))
		_exit(1);
	if (write(ready, "h", 1) != 1)
		_exit(2);
	for (;;) {
		if (read(go, &c, 1) != 1)
			_exit(3);
		if (c == 'x')
			_exit(0); /* no release: the kernel drops the flock */
		if (c == 'r') {
			if (lb_module_release(p.m) || write(ready, "r", 1) != 1)
				_exit(4);
		}
		if (c == 'c') {
			if (lb_module_request(p.m, REASON) || write(ready, "h", 1) != 1)
				_exit(5);
		}
		if (c == 'q') {
			proc_down(&p);
			_exit(0);
		}
	}
}

static void wait_for(int fd, char want)
{
	char c = 0;
	assert_int_equal(read(fd, &c, 1), 1);
	assert_int_equal(c, want);
}

static void test_claim_across_processes(void **state)
{
	struct xfx *f = *state;
	int ready[2], go[2];
	assert_int_equal(pipe(ready), 0);
	assert_int_equal(pipe(go), 0);
	pid_t pid = claiming_child(f->lock, NULL, ready[1], go[0]);
	wait_for(ready[0], 'h');

	struct proc p;
	assert_int_equal(proc_up(&p, f->lock, NULL), 0);
	char why[LB_MODULE_CLAIM_REASON_MAX], want[LB_MODULE_CLAIM_REASON_MAX];
	snprintf(want, sizeof(want), REASON " (pid %ld)", (long)pid);
	lb_bus_reset_stats(p.bus);
	assert_int_equal(lb_module_claimed(p.m, why, sizeof(why)), LB_CLAIM_OTHER);
	assert_string_equal(why, want);
	assert_int_equal(read1(p.m), LB_E_BUSY);
	assert_non_null(strstr(lb_ctx_last_error(p.ctx), want));
	assert_int_equal(lb_module_request(p.m, "mine"), LB_E_BUSY);
	assert_non_null(strstr(lb_ctx_last_error(p.ctx), want));
	assert_int_equal(stats(p.bus).transactions, 0);
	/* the claim file: next to the lock file, ours alone */
	struct stat st;
	assert_int_equal(lstat(f->claim, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0600);

	/* released: the next call goes through */
	assert_int_equal(write(go[1], "r", 1), 1);
	wait_for(ready[0], 'r');
	assert_int_equal(lb_module_claimed(p.m, why, sizeof(why)), LB_CLAIM_NONE);
	assert_int_equal(read1(p.m), LB_OK);
	/* our claim keeps the child out, until we release it */
	assert_int_equal(lb_module_request(p.m, "our session"), LB_OK);
	assert_int_equal(write(go[1], "c", 1), 1);
	int st_;
	assert_int_equal(waitpid(pid, &st_, 0), pid); /* its request failed: it exits with 5 */
	assert_true(WIFEXITED(st_) && WEXITSTATUS(st_) == 5);
	assert_int_equal(lb_module_release(p.m), LB_OK);

	/* a claim dies with its process: the kernel drops the flock */
	pid = claiming_child(f->lock, NULL, ready[1], go[0]);
	wait_for(ready[0], 'h');
	assert_int_equal(lb_module_claimed(p.m, NULL, 0), LB_CLAIM_OTHER);
	assert_int_equal(write(go[1], "x", 1), 1);
	assert_int_equal(waitpid(pid, &st_, 0), pid);
	assert_true(WIFEXITED(st_) && WEXITSTATUS(st_) == 0);
	assert_int_equal(lb_module_claimed(p.m, why, sizeof(why)), LB_CLAIM_NONE);
	assert_int_equal(read1(p.m), LB_OK);
	assert_int_equal(lb_module_request(p.m, "after the crash"), LB_OK);
	assert_int_equal(lb_module_release(p.m), LB_OK);
	proc_down(&p);
	close(ready[0]);
	close(ready[1]);
	close(go[0]);
	close(go[1]);
}

/* Behind two muxes the claim file names the route; other routes are not concerned. */
static void test_claim_file_per_route(void **state)
{
	struct xfx *f = *state;
	int ready[2], go[2];
	assert_int_equal(pipe(ready), 0);
	assert_int_equal(pipe(go), 0);
	struct lb_module_addr deep = { .addr = 0x50, .mux_addr = 0x70, .mux_channel = 3,
				       .mux2_addr = 0x71, .mux2_channel = 0 };
	pid_t pid = claiming_child(f->lock, &deep, ready[1], go[0]);
	wait_for(ready[0], 'h');
	char path[200];
	snprintf(path, sizeof(path), "%s/i2c0.lock.70-3.71-0-50", f->dir);
	struct stat st;
	assert_int_equal(lstat(path, &st), 0);
	struct proc p;
	assert_int_equal(proc_up(&p, f->lock, NULL), 0); /* 0x50 directly on the bus */
	assert_int_equal(lb_module_claimed(p.m, NULL, 0), LB_CLAIM_NONE);
	assert_int_equal(read1(p.m), LB_OK);
	struct lb_module *d;
	assert_int_equal(lb_module_open(p.bus, &deep, &d), LB_OK);
	char why[LB_MODULE_CLAIM_REASON_MAX];
	assert_int_equal(lb_module_claimed(d, why, sizeof(why)), LB_CLAIM_OTHER);
	assert_non_null(strstr(why, REASON));
	uint8_t b;
	assert_int_equal(lb_module_read(d, 0, 0, 0, &b, 1), LB_E_BUSY);
	assert_non_null(strstr(lb_ctx_last_error(p.ctx),
			       "module 0x50 behind mux 0x70 channel 3, mux 0x71 channel 0: claimed"));
	lb_module_close(d);
	assert_int_equal(write(go[1], "q", 1), 1);
	int st_;
	assert_int_equal(waitpid(pid, &st_, 0), pid);
	assert_true(WIFEXITED(st_) && WEXITSTATUS(st_) == 0);
	proc_down(&p);
	close(ready[0]);
	close(ready[1]);
	close(go[0]);
	close(go[1]);
}

/* Without a lock file a claim holds in its process only: another process is not stopped. */
static void test_no_lock_file_in_process_only(void **state)
{
	(void)state;
	int ready[2], go[2];
	assert_int_equal(pipe(ready), 0);
	assert_int_equal(pipe(go), 0);
	pid_t pid = claiming_child(NULL, NULL, ready[1], go[0]);
	wait_for(ready[0], 'h');
	struct proc p;
	assert_int_equal(proc_up(&p, NULL, NULL), 0);
	assert_int_equal(lb_module_claimed(p.m, NULL, 0), LB_CLAIM_NONE);
	assert_int_equal(read1(p.m), LB_OK);
	assert_int_equal(write(go[1], "q", 1), 1);
	int st_;
	assert_int_equal(waitpid(pid, &st_, 0), pid);
	proc_down(&p);
	close(ready[0]);
	close(ready[1]);
	close(go[0]);
	close(go[1]);
}

/* A claim file that is a symbolic link, or that others may write, is not used. */
static void test_untrusted_claim_file_refused(void **state)
{
	struct xfx *f = *state;
	struct proc p;
	assert_int_equal(proc_up(&p, f->lock, NULL), 0);
	char target[200];
	snprintf(target, sizeof(target), "%s/elsewhere", f->dir);
	assert_int_equal(symlink(target, f->claim), 0);
	assert_int_equal(lb_module_request(p.m, REASON), LB_E_PERM);
	assert_non_null(strstr(lb_ctx_last_error(p.ctx), "symbolic link"));
	assert_int_equal(lstat(target, &(struct stat){ 0 }), -1); /* nothing made through it */
	assert_int_equal(lb_module_claimed(p.m, NULL, 0), LB_E_PERM);
	assert_int_equal(read1(p.m), LB_E_PERM);
	unlink(f->claim);
	int fd = open(f->claim, O_CREAT | O_WRONLY, 0600);
	assert_true(fd >= 0);
	assert_int_equal(fchmod(fd, 0666), 0);
	close(fd);
	assert_int_equal(lb_module_request(p.m, REASON), LB_E_PERM);
	assert_non_null(strstr(lb_ctx_last_error(p.ctx), "only we may write"));
	unlink(f->claim);
	assert_int_equal(lb_module_request(p.m, REASON), LB_OK);
	/* the lock file cannot move while a claim sits next to it */
	assert_int_equal(lb_bus_set_lock_file(p.bus, NULL, 0), LB_E_BUSY);
	assert_int_equal(lb_module_release(p.m), LB_OK);
	assert_int_equal(lb_bus_set_lock_file(p.bus, NULL, 0), LB_OK);
	proc_down(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_handles_one_claim),
		cmocka_unit_test(test_claim_across_threads),
		cmocka_unit_test_setup_teardown(test_claim_across_processes, xsetup, xteardown),
		cmocka_unit_test_setup_teardown(test_claim_file_per_route, xsetup, xteardown),
		cmocka_unit_test(test_no_lock_file_in_process_only),
		cmocka_unit_test_setup_teardown(test_untrusted_claim_file_refused, xsetup, xteardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
