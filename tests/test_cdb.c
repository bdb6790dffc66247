/* SPDX-License-Identifier: MIT */
/*
 * The CDB engine (lightbridge/cdb.h) against the emulated modules' CDB: the advertisement,
 * check codes, both trigger methods, background and foreground modes, the failures the module
 * reports, a busy instance, a corrupted reply, and bounded waits in virtual time; the
 * completion flag through the flag accumulator, the module claimed for a foreground command,
 * EPL auto paging, a module's own bad reply check code, password entry.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <lightbridge/lightbridge.h>
#include "emu_rig.h"
#include "hal/cdb/cdb_internal.h"

#define MS 1000000ull

static void up(struct lb_test_rig *r, const char *profile)
{
	lb_test_rig_profile(r, LB_SOURCE_DIR, profile, 400, true);
}

/* The values CMIS 5.4 prints in its command tables for commands without LPL. */
static void test_check_codes_match_the_spec_tables(void **unused)
{
	(void)unused;
	static const struct { uint16_t id; uint8_t chk; } spec[] = {
		{ 0x0040, 0xBF }, { 0x0041, 0xBE }, { 0x0100, 0xFE },
		{ 0x0102, 0xFC }, { 0x0004, 0xFB }, { 0x0107, 0xF7 },
	};
	for (size_t i = 0; i < sizeof(spec) / sizeof(spec[0]); i++) {
		uint8_t blk[8] = { (uint8_t)(spec[i].id >> 8), (uint8_t)spec[i].id, 0, 0, 0, 0x55, 0x66, 0x77 };
		assert_int_equal(lb_cdb_check_code(blk, 8), spec[i].chk);
	}
	/* the LPL is covered; bytes 133-135 are not */
	uint8_t q[10] = { 0, 0, 0, 0, 2, 0, 0, 0, 0x00, 0x10 };
	assert_int_equal(lb_cdb_check_code(q, 10), (uint8_t)~(2u + 0x10u));
}

static void test_caps_from_the_advertisement(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	up(&r, "coherent-800g-qsfpdd");
	struct lb_cdb_caps c = LB_SIZED_INIT(struct lb_cdb_caps);
	assert_int_equal(lb_module_cdb_caps(r.m, &c), LB_OK);
	assert_int_equal(c.instances, 1);
	assert_true(c.background);
	assert_false(c.auto_paging);
	assert_int_equal(c.epl_pages, 4);
	assert_int_equal(c.max_write_9f, 128);
	assert_int_equal(c.max_write_epl, 128);
	assert_false(c.trigger_any_write);
	assert_int_equal(c.max_busy_ms, 80); /* 166 = 0: 80 ms, the default */
	lb_test_rig_down(&r);

	up(&r, "400g-fr4-qsfpdd");
	assert_int_equal(lb_module_cdb_caps(r.m, &c), LB_OK);
	assert_false(c.background);
	assert_int_equal(c.epl_pages, 0);
	assert_int_equal(c.max_write_9f, 8);
	lb_test_rig_down(&r);
}

static void test_max_busy_time_codes(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	up(&r, "coherent-800g-qsfpdd");
	struct { uint8_t b165, b166; uint32_t ms; } cases[] = {
		{ 0x00, 0x00, 80 }, { 0x00, 0x14, 60 }, { 0x00, 0x7F, 0 },
		{ 0x05, 0x80, 800 }, { 0x00, 0x80, 160 }, { 0x9F, 0x80, 4960 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t b[2] = { cases[i].b165, cases[i].b166 };
		assert_int_equal(lb_emu_module_poke(r.emu, 0, 0x01, 165, b, 2), LB_OK);
		lb_module_invalidate(r.m);
		struct lb_cdb_caps c = LB_SIZED_INIT(struct lb_cdb_caps);
		int rc = lb_module_cdb_caps(r.m, &c);
		/* the page checksum no longer matches: the advertisement is still taken */
		assert_true(rc == LB_OK);
		assert_int_equal(c.max_busy_ms, cases[i].ms);
		assert_int_equal(c.trigger_any_write, (cases[i].b165 & 0x80) != 0);
	}
	lb_test_rig_down(&r);
}

static bool has_cmd(const struct lb_cdb_features *f, unsigned id)
{
	return ((unsigned)f->supported[id / 8] >> (id % 8)) & 1u;
}

/* Background mode: polled in virtual time, no NACK taken as an error, reply checked. */
static void test_features_background(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	up(&r, "coherent-800g-qsfpdd");
	lb_bus_reset_stats(r.bus);
	struct lb_cdb_features f = LB_SIZED_INIT(struct lb_cdb_features);
	assert_int_equal(lb_module_cdb_features(r.m, &f), LB_OK);
	assert_true(has_cmd(&f, 0x0000));
	assert_true(has_cmd(&f, 0x0040));
	assert_true(has_cmd(&f, 0x0041));
	assert_false(has_cmd(&f, 0x0042));
	assert_true(f.max_completion_ms > 0);
	struct lb_bus_stats s = lb_test_rig_stats(&r);
	assert_int_equal(s.errors, 0);
	uint8_t st;
	assert_int_equal(lb_module_read(r.m, 0, 0, 37, &st, 1), LB_OK);
	assert_int_equal(st, 0x01);
	/* the CDB-complete flag latched (lower 8 bit 6) */
	uint8_t flags;
	assert_int_equal(lb_module_read(r.m, 0, 0, 8, &flags, 1), LB_OK);
	assert_true(flags & 0x40);
	lb_test_rig_down(&r);
}

/* Foreground mode: the module NACKs until done; those NACKs are busy, not errors. */
static void test_query_foreground(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	up(&r, "400g-fr4-qsfpdd");
	struct lb_cdb_caps caps = LB_SIZED_INIT(struct lb_cdb_caps);
	assert_int_equal(lb_module_cdb_caps(r.m, &caps), LB_OK); /* the advertisement, read once */
	lb_bus_reset_stats(r.bus);
	struct lb_cdb_query q = LB_SIZED_INIT(struct lb_cdb_query);
	uint64_t t0 = lb_bus_now_ns(r.bus);
	assert_int_equal(lb_module_cdb_query(r.m, 30, &q), LB_OK);
	uint64_t took = lb_bus_now_ns(r.bus) - t0;
	assert_int_equal(q.length, 2);
	assert_int_equal(q.password_status, 0x00);
	struct lb_bus_stats s = lb_test_rig_stats(&r);
	assert_int_equal(s.errors, 0);
	assert_true(s.busy_nacks > 0);
	/* ResponseDelay 30 ms, seen within a few percent of it */
	if (took < 31 * MS || took > 33 * MS)
		fail_msg("took %llu ns", (unsigned long long)took);
	lb_test_rig_down(&r);
}

static void test_firmware_info_reply(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	up(&r, "coherent-800g-qsfpdd");
	struct lb_cdb_cmd c = LB_SIZED_INIT(struct lb_cdb_cmd);
	c.id = 0x0100;
	struct lb_cdb_reply rep = LB_SIZED_INIT(struct lb_cdb_reply);
	assert_int_equal(lb_module_cdb_run(r.m, &c, &rep), LB_OK);
	assert_int_equal(rep.status, 0x01);
	assert_int_equal(rep.len, 110);
	assert_int_equal(rep.data[0] & 0x07, 0x03); /* A running and committed, valid */
	uint8_t ver[2];
	assert_int_equal(lb_module_read(r.m, 0, 0, 39, ver, 2), LB_OK);
	assert_int_equal(rep.data[2], ver[0]);
	assert_int_equal(rep.data[3], ver[1]);
	assert_true(rep.elapsed_ns >= 3 * MS && rep.elapsed_ns < 10 * MS);
	lb_test_rig_down(&r);
}

static void test_module_failures_are_named(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	up(&r, "coherent-800g-qsfpdd");
	struct lb_cdb_cmd c = LB_SIZED_INIT(struct lb_cdb_cmd);
	struct lb_cdb_reply rep = LB_SIZED_INIT(struct lb_cdb_reply);
	c.id = 0x0777;
	assert_int_equal(lb_module_cdb_run(r.m, &c, &rep), LB_E_CDB);
	assert_int_equal(rep.status, 0x41);
	assert_string_equal(lb_module_last_error(r.m),
			    "CDB command 0777h: CdbStatus 41h, failed: unknown command");
	/* password with a wrong LPL length: parameter error */
	uint8_t pw[2] = { 0x10, 0x11 };
	c.id = 0x0001;
	c.lpl = pw;
	c.lpl_len = 2;
	assert_int_equal(lb_module_cdb_run(r.m, &c, &rep), LB_E_CDB);
	assert_int_equal(rep.status, 0x42);
	/* lengths the module cannot take are refused before anything is written */
	lb_bus_reset_stats(r.bus);
	uint8_t big[4 * 128 + 1] = { 0 };
	c.id = 0x0104;
	c.lpl_len = 0;
	c.lpl = NULL;
	c.epl = big;
	c.epl_len = sizeof(big);
	assert_int_equal(lb_module_cdb_run(r.m, &c, &rep), LB_E_RANGE);
	assert_int_equal(lb_test_rig_stats(&r).writes, 0);
	lb_test_rig_down(&r);
}

/* A block whose CdbChkCode is wrong (written by hand): the module says 45h. */
static void test_bad_check_code_is_refused_by_the_module(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	up(&r, "coherent-800g-qsfpdd");
	uint8_t blk[8] = { 0x00, 0x40, 0, 0, 0, 0x00 /* should be BFh */, 0, 0 };
	assert_int_equal(lb_module_write(r.m, 0, 0x9F, 130, blk + 2, 6), LB_OK);
	assert_int_equal(lb_module_write(r.m, 0, 0x9F, 128, blk, 2), LB_OK);
	lb_bus_sleep_ns(r.bus, 10 * MS);
	uint8_t st;
	assert_int_equal(lb_module_read(r.m, 0, 0, 37, &st, 1), LB_OK);
	assert_int_equal(st, 0x45);
	assert_string_equal(lb_cdb_status_name(st), "failed: CdbChkCode error");
	lb_test_rig_down(&r);
}

/* Header-last modules take no command from a write that does not end with byte 129. */
static void test_trigger_methods(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	up(&r, "coherent-800g-qsfpdd");
	uint8_t blk[8] = { 0x00, 0x40, 0, 0, 0, 0xBF, 0, 0 };
	assert_int_equal(lb_module_write(r.m, 0, 0x9F, 128, blk, 8), LB_OK);
	lb_bus_sleep_ns(r.bus, 10 * MS);
	uint8_t st;
	assert_int_equal(lb_module_read(r.m, 0, 0, 37, &st, 1), LB_OK);
	assert_int_equal(st, 0x00); /* nothing started */
	/* With 165.7 set, the engine writes the whole block at once, and the module starts. */
	uint8_t b165 = 0x80;
	assert_int_equal(lb_emu_module_poke(r.emu, 0, 0x01, 165, &b165, 1), LB_OK);
	lb_module_invalidate(r.m);
	struct lb_cdb_caps caps = LB_SIZED_INIT(struct lb_cdb_caps);
	assert_int_equal(lb_module_cdb_caps(r.m, &caps), LB_OK);
	assert_true(caps.trigger_any_write);
	lb_bus_reset_stats(r.bus);
	struct lb_cdb_features f = LB_SIZED_INIT(struct lb_cdb_features);
	assert_int_equal(lb_module_cdb_features(r.m, &f), LB_OK);
	assert_true(has_cmd(&f, 0x0040));
	struct lb_bus_stats s = lb_test_rig_stats(&r);
	uint64_t whole = s.writes - s.select_writes;
	assert_int_equal(whole, 1); /* the block, in one write */
	lb_test_rig_down(&r);

	/* header last: the block then the ID, two writes */
	up(&r, "coherent-800g-qsfpdd");
	lb_module_invalidate(r.m);
	assert_int_equal(lb_module_cdb_caps(r.m, &caps), LB_OK);
	lb_bus_reset_stats(r.bus);
	assert_int_equal(lb_module_cdb_features(r.m, &f), LB_OK);
	s = lb_test_rig_stats(&r);
	assert_int_equal(s.writes - s.select_writes, 2); /* the block, then its ID */
	lb_test_rig_down(&r);
}

/* Query status (0000h) with a ResponseDelay of ms, triggered by hand: a command running. */
static void trigger_query(struct lb_test_rig *r, unsigned ms)
{
	uint8_t blk[10] = { 0x00, 0x00, 0, 0, 2, 0, 0, 0, (uint8_t)(ms >> 8), (uint8_t)ms };
	blk[5] = lb_cdb_check_code(blk, 10);
	assert_int_equal(lb_module_write(r->m, 0, 0x9F, 130, blk + 2, 8), LB_OK);
	assert_int_equal(lb_module_write(r->m, 0, 0x9F, 128, blk, 2), LB_OK);
	lb_bus_sleep_ns(r->bus, 5 * MS);
}

/*
 * A command still running (one a call gave up on, or another host's): the next waits for it,
 * bounded by the module's max busy time, writing nothing meanwhile, then runs; one that runs
 * past the bound is refused, nothing of it written.
 */
static void test_busy_instance_waits_then_refuses(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	up(&r, "coherent-800g-qsfpdd");
	struct lb_cdb_caps caps = LB_SIZED_INIT(struct lb_cdb_caps);
	assert_int_equal(lb_module_cdb_caps(r.m, &caps), LB_OK);
	print_message("tCDBB %u ms\n", caps.max_busy_ms);
	assert_true(caps.max_busy_ms >= 10 && caps.max_busy_ms < 60000);
	unsigned delay = caps.max_busy_ms / 2;
	trigger_query(&r, delay);
	uint64_t t0 = lb_bus_now_ns(r.bus);
	struct lb_cdb_features f = LB_SIZED_INIT(struct lb_cdb_features);
	assert_int_equal(lb_module_cdb_features(r.m, &f), LB_OK);
	uint64_t took = lb_bus_now_ns(r.bus) - t0;
	assert_true(took + 5 * MS >= (uint64_t)delay * MS);
	assert_true(took < (uint64_t)caps.max_busy_ms * MS);
	/* past the bound: refused after it, nothing written */
	trigger_query(&r, caps.max_busy_ms + 1000);
	lb_bus_reset_stats(r.bus);
	t0 = lb_bus_now_ns(r.bus);
	assert_int_equal(lb_module_cdb_features(r.m, &f), LB_E_BUSY);
	assert_non_null(strstr(lb_module_last_error(r.m), "CDB busy with an earlier command"));
	assert_true(lb_bus_now_ns(r.bus) - t0 >= (uint64_t)caps.max_busy_ms * MS);
	assert_int_equal(lb_test_rig_stats(&r).writes, 0);
	/* once it is done, the next one runs */
	lb_bus_sleep_ns(r.bus, 1100 * MS);
	assert_int_equal(lb_module_cdb_features(r.m, &f), LB_OK);
	lb_test_rig_down(&r);
}

/* A reply corrupted on the wire is caught by RPLChkCode. */
static void test_corrupt_reply_is_caught(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	up(&r, "coherent-800g-qsfpdd");
	r.flaky.corrupt_page = 0x9F;
	r.flaky.corrupt_addr = 140;
	r.flaky.corrupt_left = 1;
	struct lb_cdb_features f = LB_SIZED_INIT(struct lb_cdb_features);
	assert_int_equal(lb_module_cdb_features(r.m, &f), LB_E_CHECKSUM);
	assert_non_null(strstr(lb_module_last_error(r.m), "reply check code"));
	assert_int_equal(lb_module_cdb_features(r.m, &f), LB_OK);
	lb_test_rig_down(&r);
}

/* No CDB: refused with the reason. */
static void test_no_cdb(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	up(&r, "coherent-800g-qsfpdd");
	uint8_t b163 = 0;
	assert_int_equal(lb_emu_module_poke(r.emu, 0, 0x01, 163, &b163, 1), LB_OK);
	lb_module_invalidate(r.m);
	struct lb_cdb_features f = LB_SIZED_INIT(struct lb_cdb_features);
	assert_int_equal(lb_module_cdb_features(r.m, &f), LB_E_NOTSUP);
	assert_non_null(strstr(lb_module_last_error(r.m), "no CDB"));
	lb_test_rig_down(&r);
}

/* A Query status that takes delay_ms, started with a first poll far away (10 s). */
static void start_slow_query(struct lb_test_rig *r, struct lb_cdb_exec *x, uint16_t delay_ms)
{
	uint8_t lpl[2] = { (uint8_t)(delay_ms >> 8), (uint8_t)delay_ms };
	struct lb_cdb_cmd c = { .size = sizeof(c), .id = 0x0000, .lpl = lpl, .lpl_len = 2,
				.timeout_ms = 20000 };
	struct lb_cdb_sched s = { .first_poll_ns = 10000 * MS };
	assert_int_equal(lb_cdb_exec_start(x, r->m, &c, &s), LB_OK);
}

/*
 * The completion flag (lower 8.6) through the flag accumulator: a command's completion read
 * by someone else (a flags consumer) lets the command's next step poll at once, and the
 * command takes nobody's flag: the handle's default consumer still sees it.
 */
static void test_complete_flag_through_the_accumulator(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	up(&r, "coherent-800g-qsfpdd");
	struct lb_module_flags f = LB_MODULE_FLAGS_INIT;
	assert_int_equal(lb_module_flags_read(r.m, NULL, &f), LB_OK); /* nothing pending */
	struct lb_flag_consumer *c;
	assert_int_equal(lb_flag_consumer_create(r.m, &c), LB_OK);
	struct lb_cdb_exec x;
	start_slow_query(&r, &x, 20);
	struct lb_cdb_reply rep;
	uint64_t wake = 0, t0 = lb_bus_now_ns(r.bus);
	assert_int_equal(lb_cdb_exec_step(&x, &rep, &wake), LB_E_AGAIN);
	assert_true(wake >= t0 + 9000 * MS); /* as scheduled */
	lb_bus_sleep_ns(r.bus, 30 * MS);      /* the module is done by now */
	assert_false(lb_cdb_exec_flagged(&x));
	/* a consumer reads the flags: the completion is seen, by it and by the command */
	assert_int_equal(lb_module_flags_read(r.m, c, &f), LB_OK);
	assert_true(f.module_flags & LB_MODFLAG_CDB1_COMPLETE);
	assert_true(lb_cdb_exec_flagged(&x));
	assert_int_equal(lb_cdb_exec_step(&x, &rep, &wake), LB_OK);
	assert_int_equal(rep.status, 0x01);
	assert_true(lb_bus_now_ns(r.bus) < t0 + 40 * MS); /* not at the 10 s schedule */
	/* nobody's flag taken: the default consumer gets it too */
	f = (struct lb_module_flags)LB_MODULE_FLAGS_INIT;
	assert_int_equal(lb_module_flags_read(r.m, NULL, &f), LB_OK);
	assert_true(f.module_flags & LB_MODFLAG_CDB1_COMPLETE);
	lb_flag_consumer_free(c);
	lb_test_rig_down(&r);
}

/* Foreground mode: the module is claimed for the command; another handle waits, never NACKed. */
static void test_foreground_command_claims_the_module(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	up(&r, "400g-fr4-qsfpdd");
	struct lb_module *other;
	assert_int_equal(lb_module_open(r.bus, NULL, &other), LB_OK);
	struct lb_module_monitors mon = LB_MODULE_MONITORS_INIT;
	assert_int_equal(lb_module_get_monitors(other, &mon), LB_OK);
	lb_bus_reset_stats(r.bus);
	struct lb_cdb_exec x;
	start_slow_query(&r, &x, 30);
	x.first_poll_at = 0; /* poll on the engine's own schedule */
	unsigned refused = 0, steps = 0;
	struct lb_cdb_reply rep;
	for (;;) {
		uint64_t wake = 0;
		int rc = lb_cdb_exec_step(&x, &rep, &wake);
		steps++;
		mon = (struct lb_module_monitors)LB_MODULE_MONITORS_INIT;
		int prc = lb_module_get_monitors(other, &mon);
		if (rc == LB_E_AGAIN) {
			assert_int_equal(prc, LB_E_BUSY);
			assert_non_null(strstr(lb_module_last_error(other), "CDB command in progress"));
			refused++;
			uint64_t now = lb_bus_now_ns(r.bus);
			if (wake > now)
				lb_bus_sleep_ns(r.bus, wake - now);
			continue;
		}
		assert_int_equal(rc, LB_OK);
		assert_int_equal(prc, LB_OK); /* released with the reply in */
		break;
	}
	assert_true(refused > 3);
	struct lb_bus_stats s = lb_test_rig_stats(&r);
	assert_int_equal(s.errors, 0);
	assert_int_equal(lb_module_claimed(r.m, NULL, 0), LB_CLAIM_NONE);
	/* a command while another handle holds the claim: refused, nothing written */
	assert_int_equal(lb_module_request(other, "test"), LB_OK);
	struct lb_cdb_query q = LB_SIZED_INIT(struct lb_cdb_query);
	assert_int_equal(lb_module_cdb_query(r.m, 0, &q), LB_E_BUSY);
	assert_int_equal(lb_module_release(other), LB_OK);
	assert_int_equal(lb_module_cdb_query(r.m, 0, &q), LB_OK);
	lb_module_close(other);
	lb_test_rig_down(&r);
}

/*
 * Auto paging (01h:163.4, 800g-dr8-osfp): a write through byte 255 of an EPL page runs on
 * to the next page and from the last back to A0h; a module without it wraps in the page.
 */
static void test_epl_auto_paging(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	up(&r, "800g-dr8-osfp");
	struct lb_cdb_caps caps = LB_SIZED_INIT(struct lb_cdb_caps);
	assert_int_equal(lb_module_cdb_caps(r.m, &caps), LB_OK);
	assert_true(caps.auto_paging);
	assert_int_equal(caps.epl_pages, 16);
	uint8_t page = 0xA0, d[128], got[128], sel;
	assert_int_equal(lb_emu_module_i2c_write(r.emu, (uint8_t[]){ 127, page }, 2), LB_OK);
	for (unsigned p = 0; p < 17; p++) {
		uint8_t w[1 + 128] = { 128 };
		memset(w + 1, (int)(0x10 + p), 128);
		assert_int_equal(lb_emu_module_i2c_write(r.emu, w, sizeof(w)), LB_OK);
	}
	/* 17 pages written: 16 by auto paging, then A0h again (the wrap): A0h holds the 17th */
	assert_int_equal(lb_emu_module_peek(r.emu, 0, 0xA0, 128, got, 128), LB_OK);
	memset(d, 0x20, sizeof(d));
	assert_memory_equal(got, d, 128);
	assert_int_equal(lb_emu_module_peek(r.emu, 0, 0xAF, 128, got, 128), LB_OK);
	memset(d, 0x1F, sizeof(d));
	assert_memory_equal(got, d, 128);
	assert_int_equal(lb_emu_module_i2c_write(r.emu, (uint8_t[]){ 127 }, 1), LB_OK);
	assert_int_equal(lb_emu_module_i2c_read(r.emu, &sel, 1), LB_OK);
	assert_int_equal(sel, 0xA1); /* PageSelect followed */
	/* a write longer than a page runs on in one transaction, as long as 01h:164 allows */
	uint8_t big[1 + 256] = { 128 };
	memset(big + 1, 0x77, 256);
	assert_int_equal(lb_emu_module_i2c_write(r.emu, big, sizeof(big)), LB_E_NACK); /* 128 */
	uint8_t ext = 0xFF; /* 8 x (1 + 255): 2048 bytes */
	assert_int_equal(lb_emu_module_poke(r.emu, 0, 0x01, 164, &ext, 1), LB_OK);
	assert_int_equal(lb_emu_module_i2c_write(r.emu, big, sizeof(big)), LB_OK);
	assert_int_equal(lb_emu_module_peek(r.emu, 0, 0xA2, 128, got, 128), LB_OK);
	memset(d, 0x77, sizeof(d));
	assert_memory_equal(got, d, 128);
	lb_test_rig_down(&r);

	/*
	 * The access layer follows: the 16 EPL pages read whole, one after the other, cost one
	 * select; the module is then back on A0h, and a read of AFh selects it again rather than
	 * read A0h's bytes for AFh's.
	 */
	up(&r, "800g-dr8-osfp");
	for (unsigned p = 0; p < 16; p++) {
		memset(d, (int)(0x40 + p), sizeof(d));
		assert_int_equal(lb_emu_module_poke(r.emu, 0, (uint8_t)(0xA0 + p), 128, d, 128), LB_OK);
	}
	assert_int_equal(lb_module_cdb_caps(r.m, &caps), LB_OK); /* the advertisement read first */
	lb_bus_reset_stats(r.bus);
	for (unsigned p = 0; p < 16; p++) {
		assert_int_equal(lb_module_read_page(r.m, 0, (uint8_t)(0xA0 + p), false, got), LB_OK);
		memset(d, (int)(0x40 + p), sizeof(d));
		assert_memory_equal(got, d, 128);
	}
	struct lb_bus_stats s = lb_test_rig_stats(&r);
	assert_int_equal(s.select_writes, 1);
	assert_int_equal(lb_module_read_page(r.m, 0, 0xAF, false, got), LB_OK);
	memset(d, 0x4F, sizeof(d));
	assert_memory_equal(got, d, 128);
	/* and written: three pages, one select, each where it belongs */
	lb_bus_reset_stats(r.bus);
	struct lb_mem_write w3[3];
	uint8_t src[3][128];
	for (unsigned p = 0; p < 3; p++) {
		memset(src[p], (int)(0x60 + p), 128);
		w3[p] = (struct lb_mem_write){ .page = (uint8_t)(0xA3 + p), .offset = 128, .len = 128,
					       .buf = src[p] };
	}
	assert_int_equal(lb_module_write_plan(r.m, w3, 3, 0), LB_OK);
	s = lb_test_rig_stats(&r);
	assert_int_equal(s.select_writes, 1);
	for (unsigned p = 0; p < 3; p++) {
		assert_int_equal(lb_emu_module_peek(r.emu, 0, (uint8_t)(0xA3 + p), 128, got, 128), LB_OK);
		assert_memory_equal(got, src[p], 128);
	}
	lb_test_rig_down(&r);

	/* without auto paging (coherent): the address wraps in the page, the page stays */
	up(&r, "coherent-800g-qsfpdd");
	assert_int_equal(lb_emu_module_i2c_write(r.emu, (uint8_t[]){ 127, 0xA0 }, 2), LB_OK);
	uint8_t w[1 + 128] = { 128 };
	memset(w + 1, 0x33, 128);
	assert_int_equal(lb_emu_module_i2c_write(r.emu, w, sizeof(w)), LB_OK);
	assert_int_equal(lb_emu_module_i2c_write(r.emu, (uint8_t[]){ 127 }, 1), LB_OK);
	assert_int_equal(lb_emu_module_i2c_read(r.emu, &sel, 1), LB_OK);
	assert_int_equal(sel, 0xA0);
	lb_test_rig_down(&r);
}

/* The module's own reply check code wrong (not the wire): LB_E_CHECKSUM, the next call fine. */
static void test_bad_reply_check_code_from_the_module(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	up(&r, "coherent-800g-qsfpdd");
	assert_int_equal(lb_emu_module_inject(r.emu, LB_EMU_FAULT_CDB_BAD_REPLY, 1), LB_OK);
	struct lb_cdb_features f = LB_SIZED_INIT(struct lb_cdb_features);
	assert_int_equal(lb_module_cdb_features(r.m, &f), LB_E_CHECKSUM);
	assert_non_null(strstr(lb_module_last_error(r.m), "reply check code"));
	assert_int_equal(lb_module_cdb_features(r.m, &f), LB_OK);
	lb_test_rig_down(&r);

	up(&r, "400g-fr4-qsfpdd"); /* no CDB fault on a module that has CDB but no command in flight */
	assert_int_equal(lb_emu_module_inject(r.emu, LB_EMU_FAULT_CDB_BAD_REPLY, 2), LB_OK);
	struct lb_cdb_query q = LB_SIZED_INIT(struct lb_cdb_query);
	assert_int_equal(lb_module_cdb_query(r.m, 0, &q), LB_E_CHECKSUM);
	assert_int_equal(lb_module_cdb_query(r.m, 0, &q), LB_E_CHECKSUM);
	assert_int_equal(lb_module_cdb_query(r.m, 0, &q), LB_OK);
	lb_test_rig_down(&r);
}

/* A module without a password of its own takes any host password; Query status says so. */
static void test_password_any(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	up(&r, "coherent-800g-qsfpdd");
	struct lb_cdb_query q = LB_SIZED_INIT(struct lb_cdb_query);
	assert_int_equal(lb_module_cdb_query(r.m, 0, &q), LB_OK);
	assert_int_equal(q.password_status, 0x00);
	assert_int_equal(lb_module_cdb_password(r.m, 0x00001011), LB_OK);
	assert_int_equal(lb_module_cdb_query(r.m, 0, &q), LB_OK);
	assert_int_equal(q.password_status, 0x01);
	assert_int_equal(lb_module_cdb_password(NULL, 1), LB_E_INVAL);
	lb_test_rig_down(&r);
}

/*
 * The profile's firmware model: a block's time follows flash_block_ms (not a constant), and
 * bad values are refused with the key named.
 */
static void test_profile_flash_timing(void **unused)
{
	(void)unused;
	struct { const char *ins; int rc; const char *why; } cases[] = {
		{ "\"flash_block_ms\": 30, ", LB_OK, NULL },
		{ "\"flash_block_ms\": -1, ", LB_E_PARSE, "flash_block_ms" },
		{ "\"flash_block_bytes\": 0, ", LB_E_PARSE, "flash_block_bytes" },
		{ "\"password\": \"zz\", ", LB_E_PARSE, "password" },
		{ "\"readback\": 3, ", LB_E_PARSE, "readback" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char path[64], err[256] = "";
		lb_test_profile_variant(LB_SOURCE_DIR, "coherent-800g-qsfpdd", "\"instances\"",
					cases[i].ins, path, sizeof(path));
		struct lb_emu_world *w;
		assert_int_equal(lb_emu_world_create(&w), LB_OK);
		struct lb_emu_module *emu;
		int rc = lb_emu_module_create(w, path, &emu, err, sizeof(err));
		lb_emu_world_destroy(w);
		assert_int_equal(rc, cases[i].rc);
		if (cases[i].why)
			assert_non_null(strstr(err, cases[i].why));
		if (rc) {
			unlink(path);
			continue;
		}
		/*
		 * 30 ms per 2 KiB: a 512-byte block (4 EPL pages) takes 7.5 ms of programming, 0.2
		 * ms a command and the 1 ms capture, where the default 3 ms per 2 KiB makes 1.95 ms
		 */
		struct lb_test_rig r;
		lb_test_rig_profile_file(&r, path, 1000, false);
		unlink(path);
		uint8_t *img;
		size_t len;
		assert_int_equal(lb_emu_firmware_image(1, 1, 1, 512, 5, &img, &len), LB_OK);
		uint8_t start[8 + 16] = { (uint8_t)(len >> 24), (uint8_t)(len >> 16), (uint8_t)(len >> 8),
					  (uint8_t)len };
		memcpy(start + 8, img, 16);
		struct lb_cdb_cmd c = { .size = sizeof(c), .id = 0x0101, .lpl = start, .lpl_len = 24,
					.timeout_ms = 1000 };
		struct lb_cdb_reply rep = LB_SIZED_INIT(struct lb_cdb_reply);
		assert_int_equal(lb_module_cdb_run(r.m, &c, &rep), LB_OK);
		uint8_t addr[4] = { 0 };
		c = (struct lb_cdb_cmd){ .size = sizeof(c), .id = 0x0104, .lpl = addr, .lpl_len = 4,
					 .epl = img + 16, .epl_len = 512, .timeout_ms = 1000 };
		lb_emu_module_reset_cdb_stats(r.emu);
		assert_int_equal(lb_module_cdb_run(r.m, &c, &rep), LB_OK);
		struct lb_emu_cdb_stats s = LB_SIZED_INIT(struct lb_emu_cdb_stats);
		assert_int_equal(lb_emu_module_get_cdb_stats(r.emu, &s), LB_OK);
		assert_int_equal(s.commands, 1);
		assert_int_equal(s.busy_ns, 8700 * 1000ull);
		free(img);
		lb_test_rig_down(&r);
	}
	struct lb_emu_cdb_stats s = { .size = 8 };
	assert_int_equal(lb_emu_module_get_cdb_stats(NULL, &s), LB_E_INVAL);
}

/*
 * Background mode: CdbStatus is polled at a rate that tracks the duration the command is
 * given (1/128 of it, 100 us to 1 ms): a command given 13 ms is seen within ~100 us of its
 * completion, one given 5 s within 1 ms (the module measures the time it waited unseen).
 */
static void test_poll_rate_tracks_the_bound(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	up(&r, "coherent-800g-qsfpdd");
	struct { uint32_t bound_ms; uint64_t max_idle_ns, min_polls; } cases[] = {
		{ 13, 110000, 15 }, /* 3 ms of module time, a poll every ~100 us */
		{ 5000, 1000000, 2 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct lb_cdb_cmd c = LB_SIZED_INIT(struct lb_cdb_cmd);
		c.id = 0x0040;
		c.timeout_ms = cases[i].bound_ms;
		struct lb_cdb_reply rep = LB_SIZED_INIT(struct lb_cdb_reply);
		lb_emu_module_reset_cdb_stats(r.emu);
		lb_bus_reset_stats(r.bus);
		assert_int_equal(lb_module_cdb_run(r.m, &c, &rep), LB_OK);
		struct lb_emu_cdb_stats s = LB_SIZED_INIT(struct lb_emu_cdb_stats);
		assert_int_equal(lb_emu_module_get_cdb_stats(r.emu, &s), LB_OK);
		assert_int_equal(s.commands, 1);
		assert_int_equal(s.busy_ns, 3 * MS); /* capture 1 ms, a query 2 ms */
		if (s.idle_ns > cases[i].max_idle_ns)
			fail_msg("bound %u ms: seen %llu ns after the module was done", cases[i].bound_ms,
				 (unsigned long long)s.idle_ns);
		struct lb_bus_stats b = lb_test_rig_stats(&r);
		assert_true(b.reads >= cases[i].min_polls);
	}
	lb_test_rig_down(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_codes_match_the_spec_tables),
		cmocka_unit_test(test_caps_from_the_advertisement),
		cmocka_unit_test(test_max_busy_time_codes),
		cmocka_unit_test(test_features_background),
		cmocka_unit_test(test_query_foreground),
		cmocka_unit_test(test_firmware_info_reply),
		cmocka_unit_test(test_module_failures_are_named),
		cmocka_unit_test(test_bad_check_code_is_refused_by_the_module),
		cmocka_unit_test(test_trigger_methods),
		cmocka_unit_test(test_busy_instance_waits_then_refuses),
		cmocka_unit_test(test_corrupt_reply_is_caught),
		cmocka_unit_test(test_no_cdb),
		cmocka_unit_test(test_complete_flag_through_the_accumulator),
		cmocka_unit_test(test_foreground_command_claims_the_module),
		cmocka_unit_test(test_epl_auto_paging),
		cmocka_unit_test(test_bad_reply_check_code_from_the_module),
		cmocka_unit_test(test_password_any),
		cmocka_unit_test(test_profile_flash_timing),
		cmocka_unit_test(test_poll_rate_tracks_the_bound),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
