/* SPDX-License-Identifier: MIT */
/*
 * The cross-process bus lock (lb_bus_set_lock_file). Two processes hammer one module with
 * page-changing reads over a raw two-wire path whose page select is really shared: lb-emud's
 * DIR/<port>/i2c window, where a select write and the read that follows are separate
 * syscalls (separate bus transactions), exactly as on a shared I2C segment. With the lock no
 * read ever returns bytes of another page; without it they do (the test checks that too, so
 * it is known to be able to fail). And with the lock held elsewhere, a call waits its bounded
 * time and returns LB_E_BUSY.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <sys/file.h>
#include <cmocka.h>
#include <lightbridge/lightbridge.h>
#include <lightbridge/optoe.h>
#include "tests/processes/emud_rig.h"

#define N_PAGES 3
static const uint8_t pages[N_PAGES] = { 0x00, 0x01, 0x02 };

static int setup(void **state)
{
	struct emud_fx *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	*state = f;
	emud_fx_start(f, "hammer", 1, pages, N_PAGES);
	return 0;
}

static int teardown(void **state)
{
	struct emud_fx *f = *state;
	int status = emud_fx_stop(f);
	free(f);
	assert_int_equal(status, 0);
	return 0;
}

struct hammer_result {
	unsigned reads, wrong, errors;
};

static int open_bus(struct emud_fx *f, bool with_lock, struct lb_ctx **ctx, struct lb_bus **bus,
		    struct lb_module **m)
{
	if (lb_ctx_create(ctx) || lb_ctx_register_driver(*ctx, &emud_rig_rawfile_driver) ||
	    lb_bus_open(*ctx, "test-rawfile", NULL, f->window, bus) ||
	    (with_lock && lb_bus_set_lock_file(*bus, f->lock, 5000)) || lb_module_open(*bus, NULL, m))
		return -1;
	return 0;
}

/* One child: read the pages in turn, each twice (the second read trusts the page cache). */
static void hammer(struct emud_fx *f, struct lb_module *m, unsigned phase, unsigned iters, int out, int go)
{
	struct hammer_result r = { 0 };
	char c;
	if (read(go, &c, 1) != 1) /* start together */
		_exit(2);
	for (unsigned i = 0; i < iters; i++) {
		unsigned k = (i / 2 + phase) % N_PAGES;
		uint8_t buf[128];
		int rc = lb_module_read_page(m, 0, pages[k], false, buf);
		r.reads++;
		if (rc)
			r.errors++;
		else if (memcmp(buf, f->expect[k], 128) != 0)
			r.wrong++;
	}
	if (write(out, &r, sizeof(r)) != (ssize_t)sizeof(r))
		_exit(3);
	_exit(0);
}

/* Two processes at once; inherited: the bus is opened before fork and both use their copy. */
static void run_pair(struct emud_fx *f, bool with_lock, bool inherited, struct hammer_result res[2])
{
	int out[2], go[2];
	assert_int_equal(pipe(out), 0);
	assert_int_equal(pipe(go), 0);
	struct lb_ctx *ctx = NULL;
	struct lb_bus *bus = NULL;
	struct lb_module *m = NULL;
	if (inherited)
		assert_int_equal(open_bus(f, with_lock, &ctx, &bus, &m), 0);
	pid_t pid[2];
	for (unsigned c = 0; c < 2; c++) {
		pid[c] = fork();
		assert_true(pid[c] >= 0);
		if (pid[c] == 0) {
			if (!inherited && open_bus(f, with_lock, &ctx, &bus, &m))
				_exit(4);
			hammer(f, m, c, 600, out[1], go[0]);
		}
	}
	assert_int_equal(write(go[1], "gg", 2), 2);
	for (unsigned c = 0; c < 2; c++) {
		int st;
		assert_int_equal(waitpid(pid[c], &st, 0), pid[c]);
		assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
		assert_int_equal(read(out[0], &res[c], sizeof(res[c])), (ssize_t)sizeof(res[c]));
	}
	close(out[0]);
	close(out[1]);
	close(go[0]);
	close(go[1]);
	lb_module_close(m);
	lb_bus_close(bus);
	lb_ctx_destroy(ctx);
}

#define NEEDS_EMUD(f)                    \
	do {                             \
		if (!(f)->rig.pid) {     \
			skip();          \
			return;          \
		}                        \
	} while (0)

static void test_locked_reads_never_see_another_page(void **state)
{
	struct emud_fx *f = *state;
	NEEDS_EMUD(f);
	for (int inherited = 0; inherited < 2; inherited++) {
		struct hammer_result r[2];
		run_pair(f, true, inherited, r);
		for (unsigned c = 0; c < 2; c++) {
			fprintf(stderr, "locked (%s): child %u: %u reads, %u wrong, %u errors\n",
				inherited ? "bus opened before fork" : "bus per process", c, r[c].reads,
				r[c].wrong, r[c].errors);
			assert_int_equal(r[c].errors, 0);
			assert_int_equal(r[c].wrong, 0);
		}
	}
}

/* The same hammer without the lock does go wrong: the test can fail. */
static void test_unlocked_reads_do_see_other_pages(void **state)
{
	struct emud_fx *f = *state;
	NEEDS_EMUD(f);
	unsigned wrong = 0;
	for (int attempt = 0; attempt < 3 && wrong == 0; attempt++) {
		struct hammer_result r[2];
		run_pair(f, false, false, r);
		wrong = r[0].wrong + r[1].wrong;
		fprintf(stderr, "unlocked: %u + %u of %u reads returned another page's bytes\n",
			r[0].wrong, r[1].wrong, r[0].reads + r[1].reads);
	}
	assert_true(wrong > 0);
}

/*
 * A write that is no select write may still move PageSelect (here a write to byte 127 through
 * lb_module_write; a SoftwareReset does the same): the other process must not trust its cache.
 */
static void test_plain_write_invalidates_other_process(void **state)
{
	struct emud_fx *f = *state;
	NEEDS_EMUD(f);
	int ready[2], go[2];
	assert_int_equal(pipe(ready), 0);
	assert_int_equal(pipe(go), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct lb_ctx *c2;
		struct lb_bus *b2;
		struct lb_module *m2;
		uint8_t two = 0x02, page[128];
		char c;
		/* probe and select first, in holds of their own, before the parent's last hold */
		if (open_bus(f, true, &c2, &b2, &m2) || lb_module_read_page(m2, 0, 0x02, false, page))
			_exit(1);
		if (write(ready[1], "r", 1) != 1 || read(go[0], &c, 1) != 1)
			_exit(2);
		/* now a hold with one plain write and no select write */
		if (lb_module_write(m2, 0, 0, 127, &two, 1))
			_exit(3);
		_exit(0);
	}
	char c;
	assert_int_equal(read(ready[0], &c, 1), 1);
	struct lb_ctx *ctx;
	struct lb_bus *bus;
	struct lb_module *m;
	assert_int_equal(open_bus(f, true, &ctx, &bus, &m), 0);
	uint8_t buf[128];
	assert_int_equal(lb_module_read_page(m, 0, 0x01, false, buf), LB_OK);
	assert_memory_equal(buf, f->expect[1], 128);
	assert_int_equal(write(go[1], "g", 1), 1);
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	/* our cache says page 01h is in force; the lock file says someone wrote since */
	assert_int_equal(lb_module_read_page(m, 0, 0x01, false, buf), LB_OK);
	assert_memory_equal(buf, f->expect[1], 128);
	lb_module_close(m);
	lb_bus_close(bus);
	lb_ctx_destroy(ctx);
	close(ready[0]);
	close(ready[1]);
	close(go[0]);
	close(go[1]);
}

/* With the lock held by a child, a call waits lock_wait_ms and returns LB_E_BUSY. */
static void test_busy_when_held_elsewhere(void **state)
{
	struct emud_fx *f = *state;
	struct lb_ctx *ctx;
	struct lb_emu_world *w;
	struct lb_emu_segment *seg;
	struct lb_emu_module *em;
	struct lb_bus *bus;
	struct lb_module *m;
	char profile[PATH_MAX];
	snprintf(profile, sizeof(profile), "%s/emulator/profiles/400g-fr4-qsfpdd.json", LB_SOURCE_DIR);
	assert_int_equal(lb_ctx_create(&ctx), LB_OK);
	assert_int_equal(lb_emu_register_drivers(ctx), LB_OK);
	assert_int_equal(lb_emu_world_create(&w), LB_OK);
	assert_int_equal(lb_emu_segment_create(w, 400, &seg), LB_OK);
	assert_int_equal(lb_emu_module_create(w, profile, &em, NULL, 0), LB_OK);
	assert_int_equal(lb_emu_segment_attach(seg, -1, 0x50, em), LB_OK);
	assert_int_equal(lb_bus_open(ctx, "emulator", NULL, seg, &bus), LB_OK);
	assert_int_equal(lb_bus_set_lock_file(bus, f->lock, 150), LB_OK);
	assert_int_equal(lb_module_open(bus, NULL, &m), LB_OK);
	uint8_t b;
	assert_int_equal(lb_module_read(m, 0, 0, 0, &b, 1), LB_OK);

	int held[2], release[2];
	assert_int_equal(pipe(held), 0);
	assert_int_equal(pipe(release), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int fd = open(f->lock, O_RDWR);
		if (fd < 0 || flock(fd, LOCK_EX) != 0)
			_exit(1);
		char c = 'h';
		if (write(held[1], &c, 1) != 1 || read(release[0], &c, 1) != 1)
			_exit(2);
		_exit(0); /* the kernel drops the lock with the process */
	}
	char c;
	assert_int_equal(read(held[0], &c, 1), 1);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(lb_module_read(m, 0, 0, 0, &b, 1), LB_E_BUSY);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	fprintf(stderr, "LB_E_BUSY after %.1f ms (lock_wait_ms 150)\n", ms);
	assert_true(ms >= 150.0 && ms < 1000.0);
	/* the holder named: the child, from /proc/locks */
	char who[64];
	snprintf(who, sizeof(who), "held by pid %ld (user ", (long)pid);
	if (!strstr(lb_ctx_last_error(ctx), who))
		fail_msg("detail lacks \"%s\": %s", who, lb_ctx_last_error(ctx));
	/* released: the next call goes through */
	assert_int_equal(write(release[1], "r", 1), 1);
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	assert_int_equal(lb_module_read(m, 0, 0, 0, &b, 1), LB_OK);
	assert_int_equal(b, 0x18);
	close(held[0]);
	close(held[1]);
	close(release[0]);
	close(release[1]);
	lb_module_close(m);
	lb_bus_close(bus);
	lb_emu_world_destroy(w);
	lb_ctx_destroy(ctx);
}

/* ---- a test-only paged driver that selects as the kernel's optoe driver does ---- */

struct kernel_optoe {
	struct lb_emu_segment *seg;
};

static int ko_open(void *priv, const struct lb_driver_env *env, const struct lb_options *options,
		   void *handle)
{
	(void)env;
	(void)options;
	((struct kernel_optoe *)priv)->seg = handle;
	return LB_OK;
}

static void ko_close(void *priv)
{
	(void)priv;
}

static size_t ko_max_transfer(void *priv)
{
	(void)priv;
	return 128;
}

/* Select the page, access, write PageSelect 0 back: optoe's sequence for an upper page. */
static int ko_access(void *priv, uint16_t addr, uint8_t page, uint8_t offset, uint8_t *buf,
		     size_t len, bool is_read)
{
	struct kernel_optoe *k = priv;
	uint8_t sel[2] = { 127, page }, zero[2] = { 127, 0 }, frame[1 + 128] = { offset };
	struct lb_i2c_msg m_sel = { .addr = addr, .len = 2, .buf = sel };
	struct lb_i2c_msg m_zero = { .addr = addr, .len = 2, .buf = zero };
	bool upper = offset >= 128 && page;
	int rc = upper ? lb_emu_segment_xfer(k->seg, &m_sel, 1) : LB_OK;
	if (rc == LB_OK && is_read) {
		struct lb_i2c_msg m[2] = { { .addr = addr, .len = 1, .buf = frame },
					   { .addr = addr, .flags = LB_I2C_M_RD, .len = (uint16_t)len, .buf = buf } };
		rc = lb_emu_segment_xfer(k->seg, m, 2);
	} else if (rc == LB_OK) {
		memcpy(frame + 1, buf, len);
		struct lb_i2c_msg m = { .addr = addr, .len = (uint16_t)(len + 1), .buf = frame };
		rc = lb_emu_segment_xfer(k->seg, &m, 1);
	}
	if (upper)
		lb_emu_segment_xfer(k->seg, &m_zero, 1);
	return rc;
}

static int ko_read(void *priv, uint16_t addr, uint8_t bank, uint8_t page, uint8_t offset,
		   uint8_t *buf, size_t len)
{
	(void)bank;
	return ko_access(priv, addr, page, offset, buf, len, true);
}

static int ko_write(void *priv, uint16_t addr, uint8_t bank, uint8_t page, uint8_t offset,
		    const uint8_t *buf, size_t len)
{
	(void)bank;
	return ko_access(priv, addr, page, offset, (uint8_t *)(uintptr_t)buf, len, false);
}

static const struct lb_bus_ops ko_ops = {
	.size = sizeof(struct lb_bus_ops),
	.caps = LB_BUS_CAP_PAGED,
	.priv_size = sizeof(struct kernel_optoe),
	.open = ko_open,
	.close = ko_close,
	.max_transfer = ko_max_transfer,
	.paged_read = ko_read,
	.paged_write = ko_write,
};

static const struct lb_driver ko_driver = {
	.abi = LB_DRIVER_ABI, .size = sizeof(struct lb_driver), .kind = LB_DRIVER_BUS,
	.kind_abi = LB_BUS_ABI,
	.name = "test-kernel-optoe", .version = "1", .ops.bus = &ko_ops,
};

/*
 * A raw bus and an optoe-style bus on one module, under one lock file: an optoe read moves
 * PageSelect (the kernel writes page 0 back after it), so the raw holder must not trust its
 * cached page after another process's optoe hold. Reads only: no select write, no other write
 * on the optoe side, yet the lock file's counter must move.
 */
static void test_optoe_hold_moves_the_raw_select(void **state)
{
	struct emud_fx *f = *state;
	struct lb_ctx *ctx;
	struct lb_emu_world *w;
	struct lb_emu_segment *seg;
	struct lb_emu_module *em;
	struct lb_bus *raw, *ko;
	struct lb_module *mr, *mk;
	char profile[PATH_MAX], err[256];
	snprintf(profile, sizeof(profile), "%s/emulator/profiles/800g-dr8-osfp.json", LB_SOURCE_DIR);
	assert_int_equal(lb_ctx_create(&ctx), LB_OK);
	assert_int_equal(lb_emu_register_drivers(ctx), LB_OK);
	assert_int_equal(lb_ctx_register_driver(ctx, &ko_driver), LB_OK);
	assert_int_equal(lb_emu_world_create(&w), LB_OK);
	assert_int_equal(lb_emu_segment_create(w, 400, &seg), LB_OK);
	assert_int_equal(lb_emu_module_create(w, profile, &em, err, sizeof(err)), LB_OK);
	assert_int_equal(lb_emu_segment_attach(seg, -1, 0x50, em), LB_OK);
	assert_int_equal(lb_bus_open(ctx, "emulator", NULL, seg, &raw), LB_OK);
	assert_int_equal(lb_bus_open(ctx, "test-kernel-optoe", NULL, seg, &ko), LB_OK);
	assert_int_equal(lb_bus_set_lock_file(raw, f->lock, 1000), LB_OK);
	assert_int_equal(lb_bus_set_lock_file(ko, f->lock, 1000), LB_OK);
	assert_int_equal(lb_module_open(raw, NULL, &mr), LB_OK);
	assert_int_equal(lb_module_open(ko, NULL, &mk), LB_OK);
	uint8_t p2[128], p1[128], buf[128];
	assert_int_equal(lb_emu_module_peek(em, 0, 0x02, 128, p2, 128), LB_OK);
	assert_int_equal(lb_emu_module_peek(em, 0, 0x01, 128, p1, 128), LB_OK);
	assert_memory_not_equal(p1, p2, 128);
	for (int round = 0; round < 3; round++) {
		assert_int_equal(lb_module_read_page(mr, 0, 0x02, false, buf), LB_OK); /* selects 02h */
		assert_memory_equal(buf, p2, 128);
		assert_int_equal(lb_module_read_page(mk, 0, 0x01, false, buf), LB_OK); /* 01h, then 0 */
		assert_memory_equal(buf, p1, 128);
		assert_int_equal(lb_module_read_page(mr, 0, 0x02, false, buf), LB_OK);
		assert_memory_equal(buf, p2, 128); /* not page 00h's bytes */
	}
	lb_module_close(mk);
	lb_module_close(mr);
	lb_bus_close(ko);
	lb_bus_close(raw);
	lb_emu_world_destroy(w);
	lb_ctx_destroy(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_locked_reads_never_see_another_page),
		cmocka_unit_test(test_unlocked_reads_do_see_other_pages),
		cmocka_unit_test(test_plain_write_invalidates_other_process),
		cmocka_unit_test(test_busy_when_held_elsewhere),
		cmocka_unit_test(test_optoe_hold_moves_the_raw_select),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
