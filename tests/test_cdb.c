/* SPDX-License-Identifier: MIT */
/*
 * The CDB engine (lightbridge/cdb.h) against the emulated modules' CDB: the advertisement,
 * check codes, both trigger methods, background and foreground modes, the failures the module
 * reports, a busy instance, a corrupted reply, and bounded waits in virtual time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <lightbridge/lightbridge.h>
#include "emu_rig.h"

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

/* A command still running: the next one is refused, and nothing of it is written. */
static void test_busy_instance_refuses_a_second_command(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	up(&r, "coherent-800g-qsfpdd");
	/* Query status with ResponseDelay 500 ms, triggered by hand */
	uint8_t blk[10] = { 0x00, 0x00, 0, 0, 2, 0, 0, 0, 0x01, 0xF4 };
	blk[5] = lb_cdb_check_code(blk, 10);
	assert_int_equal(lb_module_write(r.m, 0, 0x9F, 130, blk + 2, 8), LB_OK);
	assert_int_equal(lb_module_write(r.m, 0, 0x9F, 128, blk, 2), LB_OK);
	lb_bus_sleep_ns(r.bus, 5 * MS);
	lb_bus_reset_stats(r.bus);
	struct lb_cdb_features f = LB_SIZED_INIT(struct lb_cdb_features);
	assert_int_equal(lb_module_cdb_features(r.m, &f), LB_E_BUSY);
	assert_non_null(strstr(lb_module_last_error(r.m), "CDB busy with an earlier command"));
	assert_int_equal(lb_test_rig_stats(&r).writes, 0);
	/* once it is done, the next one runs */
	lb_bus_sleep_ns(r.bus, 600 * MS);
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
		cmocka_unit_test(test_busy_instance_refuses_a_second_command),
		cmocka_unit_test(test_corrupt_reply_is_caught),
		cmocka_unit_test(test_no_cdb),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
