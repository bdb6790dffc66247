/* SPDX-License-Identifier: MIT */
/*
 * One module of lb-emud reached through both of its files at once: a process on the raw
 * window (DIR/<port>/i2c, page select and read as separate calls, under the bus lock file) and
 * another on the EEPROM file (DIR/<port>/eeprom, the optoe view, which selects inside each
 * call). Neither may see another page's bytes: lb-emud runs each EEPROM access with the page
 * it asked for and leaves the select bytes as it found them. The EEPROM side is tried as a
 * plain reader of the file (no lock) and through the optoe bus driver with the same lock
 * file. Writes longer than the module's 8-byte limit through the EEPROM file are split, as
 * the kernel's optoe driver splits them. Skips without /dev/fuse or lb-emud.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <sys/file.h>
#include <cmocka.h>
#include <lightbridge/lightbridge.h>
#include <lightbridge/optoe.h>
#include "tests/processes/emud_rig.h"

/* ---- fixture ---- */

#define N_PAGES 4
#define ITERS 300
static const uint8_t pages[N_PAGES] = { 0x00, 0x01, 0x02, 0x10 };

static int setup(void **state)
{
	struct emud_fx *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	*state = f;
	/* port 3: 8-byte reads, so a raw page read is many select-then-read holds */
	emud_fx_start(f, "mixed", 3, pages, N_PAGES);
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

#define NEEDS_EMUD(f)                    \
	do {                             \
		if (!(f)->rig.pid) {     \
			skip();          \
			return;          \
		}                        \
	} while (0)

struct tally {
	unsigned reads, wrong, errors;
	int first_error; /* the status of the first error, for the log */
};

enum side { RAW_LOCKED, EEPROM_PLAIN, EEPROM_OPTOE_LOCKED };

/* Read the pages in turn through one side; return what went wrong. */
static struct tally hammer(struct emud_fx *f, enum side side, unsigned phase)
{
	struct tally t = { 0 };
	struct lb_ctx *ctx = NULL;
	struct lb_bus *bus = NULL;
	struct lb_module *m = NULL;
	int fd = -1;
	if (side == EEPROM_PLAIN) {
		fd = open(f->eeprom, O_RDONLY);
		if (fd < 0)
			_exit(10);
	} else {
		char opts[PATH_MAX + 64];
		snprintf(opts, sizeof(opts), "{\"path\": \"%s\"}", f->eeprom);
		/* the lock's wait bounded at 20 s: valgrind on a loaded machine is slow, a lock
		 * never given back still fails */
		if (lb_ctx_create(&ctx) || lb_ctx_register_driver(ctx, &emud_rig_rawfile_driver) ||
		    (side == RAW_LOCKED ? lb_bus_open(ctx, "test-rawfile", NULL, f->window, &bus)
					: lb_bus_open(ctx, "optoe", opts, NULL, &bus)) ||
		    lb_bus_set_lock_file(bus, f->lock, 20000) || lb_module_open(bus, NULL, &m))
			_exit(11);
	}
	for (unsigned i = 0; i < ITERS; i++) {
		unsigned k = (i / 2 + phase) % N_PAGES;
		uint8_t buf[128];
		int rc;
		if (side == EEPROM_PLAIN)
			rc = pread(fd, buf, 128, lb_optoe_offset(LB_OPTOE_BANKING_OPTOE, 0, pages[k], 128)) == 128
				     ? LB_OK : LB_E_IO;
		else
			rc = lb_module_read_page(m, 0, pages[k], false, buf);
		t.reads++;
		if (rc && !t.errors++)
			t.first_error = rc;
		if (rc)
			continue;
		if (memcmp(buf, f->expect[k], 128) != 0)
			t.wrong++;
	}
	if (fd >= 0)
		close(fd);
	lb_module_close(m);
	lb_bus_close(bus);
	lb_ctx_destroy(ctx);
	return t;
}

/* The raw side and one EEPROM side at once, in two processes started together. */
static void run_pair(struct emud_fx *f, enum side other, struct tally res[2])
{
	int out[2], go[2];
	assert_int_equal(pipe(out), 0);
	assert_int_equal(pipe(go), 0);
	pid_t pid[2];
	const enum side sides[2] = { RAW_LOCKED, other };
	for (unsigned c = 0; c < 2; c++) {
		pid[c] = fork();
		assert_true(pid[c] >= 0);
		if (pid[c] == 0) {
			char ch;
			if (read(go[0], &ch, 1) != 1)
				_exit(2);
			struct tally t = hammer(f, sides[c], c);
			if (write(out[1], &c, sizeof(c)) != (ssize_t)sizeof(c) ||
			    write(out[1], &t, sizeof(t)) != (ssize_t)sizeof(t))
				_exit(3);
			_exit(0);
		}
	}
	assert_int_equal(write(go[1], "gg", 2), 2);
	for (unsigned c = 0; c < 2; c++) {
		int st;
		assert_int_equal(waitpid(pid[c], &st, 0), pid[c]);
		assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	for (unsigned c = 0; c < 2; c++) {
		unsigned who;
		struct tally t;
		assert_int_equal(read(out[0], &who, sizeof(who)), (ssize_t)sizeof(who));
		assert_int_equal(read(out[0], &t, sizeof(t)), (ssize_t)sizeof(t));
		assert_true(who < 2);
		res[who] = t;
	}
	close(out[0]);
	close(out[1]);
	close(go[0]);
	close(go[1]);
}

static void check_pair(struct emud_fx *f, enum side other, const char *name)
{
	struct tally r[2];
	run_pair(f, other, r);
	fprintf(stderr, "raw window (locked): %u reads, %u wrong, %u errors%s%s; %s: %u reads, %u wrong, "
			"%u errors%s%s\n", r[0].reads, r[0].wrong, r[0].errors, r[0].errors ? ", first " : "",
		r[0].errors ? lb_status_name(r[0].first_error) : "", name, r[1].reads, r[1].wrong,
		r[1].errors, r[1].errors ? ", first " : "", r[1].errors ? lb_status_name(r[1].first_error) : "");
	for (unsigned c = 0; c < 2; c++) {
		assert_int_equal(r[c].reads, ITERS);
		assert_int_equal(r[c].errors, 0);
		assert_int_equal(r[c].wrong, 0);
	}
}

/* A plain reader of the EEPROM file takes no lock: lb-emud keeps the raw window's page. */
static void test_raw_window_and_plain_eeprom_reader(void **state)
{
	struct emud_fx *f = *state;
	NEEDS_EMUD(f);
	check_pair(f, EEPROM_PLAIN, "eeprom file (plain pread)");
}

/* The optoe bus driver with the platform's lock file: holds exclude each other. */
static void test_raw_window_and_optoe_driver_with_lock(void **state)
{
	struct emud_fx *f = *state;
	NEEDS_EMUD(f);
	check_pair(f, EEPROM_OPTOE_LOCKED, "optoe bus driver (locked)");
}

/*
 * An EEPROM access leaves the select bytes as it found them: a page selected through the raw
 * window is still selected after an access to another page through the EEPROM file.
 */
static void test_eeprom_access_keeps_raw_select(void **state)
{
	struct emud_fx *f = *state;
	NEEDS_EMUD(f);
	int w = open(f->window, O_RDWR), e = open(f->eeprom, O_RDONLY);
	assert_true(w >= 0 && e >= 0);
	uint8_t two = 0x02, sel = 0, buf[128];
	assert_int_equal(pwrite(w, &two, 1, 127), 1);
	assert_int_equal(pread(e, buf, 128, lb_optoe_offset(LB_OPTOE_BANKING_OPTOE, 0, 0x01, 128)), 128);
	assert_memory_equal(buf, f->expect[1], 128);
	assert_int_equal(pread(w, &sel, 1, 127), 1);
	assert_int_equal(sel, 0x02);
	assert_int_equal(pread(w, buf, 128, 128), 128);
	assert_memory_equal(buf, f->expect[2], 128);
	/* an access to page 00h's upper half, too */
	assert_int_equal(pread(e, buf, 128, 128), 128);
	assert_memory_equal(buf, f->expect[0], 128);
	assert_int_equal(pread(w, &sel, 1, 127), 1);
	assert_int_equal(sel, 0x02);
	uint8_t zero = 0;
	assert_int_equal(pwrite(w, &zero, 1, 127), 1);
	close(w);
	close(e);
}

/*
 * A platform's "lock_file" on an optoe bus is taken as on any bus: while another process holds
 * it, an access waits its bounded time and is LB_E_BUSY, naming the holder.
 */
static void test_optoe_platform_takes_lock_file(void **state)
{
	struct emud_fx *f = *state;
	NEEDS_EMUD(f);
	char path[PATH_MAX + 64], json[4 * PATH_MAX];
	snprintf(path, sizeof(path), "%s.platform.json", f->lock);
	snprintf(json, sizeof(json),
		 "{\"name\": \"optoe-locked\", \"buses\": [{\"name\": \"p3\", \"driver\": \"optoe\","
		 " \"options\": {\"path\": \"%s\"}, \"lock_file\": \"%s\", \"lock_wait_ms\": 100}],"
		 " \"ports\": [{\"port\": 3, \"bus\": \"p3\", \"cage\": \"QSFP-DD\"}]}\n",
		 f->eeprom, f->lock);
	FILE *pf = fopen(path, "w");
	assert_non_null(pf);
	fputs(json, pf);
	fclose(pf);
	struct lb_ctx *ctx;
	struct lb_platform *p;
	struct lb_module *m;
	assert_int_equal(lb_ctx_create(&ctx), LB_OK);
	assert_int_equal(lb_platform_open(ctx, path, &p), LB_OK);
	assert_int_equal(lb_platform_module(p, 3, &m), LB_OK);
	uint8_t buf[128];
	assert_int_equal(lb_module_read_page(m, 0, 0x01, false, buf), LB_OK);
	assert_memory_equal(buf, f->expect[1], 128);
	int held[2], release[2];
	assert_int_equal(pipe(held), 0);
	assert_int_equal(pipe(release), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int fd = open(f->lock, O_RDWR);
		char c = 'h';
		if (fd < 0 || flock(fd, LOCK_EX) != 0 || write(held[1], &c, 1) != 1 ||
		    read(release[0], &c, 1) != 1)
			_exit(1);
		_exit(0);
	}
	char c;
	assert_int_equal(read(held[0], &c, 1), 1);
	assert_int_equal(lb_module_read_page(m, 0, 0x02, false, buf), LB_E_BUSY);
	char who[64];
	snprintf(who, sizeof(who), "held by pid %ld", (long)pid);
	if (!strstr(lb_ctx_last_error(ctx), who))
		fail_msg("detail lacks \"%s\": %s", who, lb_ctx_last_error(ctx));
	assert_int_equal(write(release[1], "r", 1), 1);
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	assert_int_equal(lb_module_read_page(m, 0, 0x02, false, buf), LB_OK);
	assert_memory_equal(buf, f->expect[2], 128);
	lb_platform_close(p);
	lb_ctx_destroy(ctx);
	close(held[0]);
	close(held[1]);
	close(release[0]);
	close(release[1]);
	unlink(path);
}

/* 16 bytes (and a whole page) written through the EEPROM file land, in the module's 8-byte writes. */
static void test_long_write_through_eeprom(void **state)
{
	struct emud_fx *f = *state;
	NEEDS_EMUD(f);
	int e = open(f->eeprom, O_RDWR);
	assert_true(e >= 0);
	off_t at = lb_optoe_offset(LB_OPTOE_BANKING_OPTOE, 0, 0x03, 128); /* user EEPROM, read-write */
	uint8_t data[128], back[128];
	for (unsigned i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(0xA5 ^ i);
	assert_int_equal(pwrite(e, data, 16, at), 16);
	assert_int_equal(pread(e, back, 16, at), 16);
	assert_memory_equal(back, data, 16);
	for (unsigned i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(0x3C + 7 * i);
	assert_int_equal(pwrite(e, data, 128, at), 128);
	assert_int_equal(pread(e, back, 128, at), 128);
	assert_memory_equal(back, data, 128);
	close(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_eeprom_access_keeps_raw_select),
		cmocka_unit_test(test_raw_window_and_plain_eeprom_reader),
		cmocka_unit_test(test_raw_window_and_optoe_driver_with_lock),
		cmocka_unit_test(test_optoe_platform_takes_lock_file),
		cmocka_unit_test(test_long_write_through_eeprom),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
