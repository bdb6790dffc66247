/* SPDX-License-Identifier: MIT */
/*
 * A NACK from a module that is busy (inside tWRITE after our own write, or during a busy time
 * the caller declared) is not a bus error: no error is counted, and the other modules on the
 * bus keep their page caches (no select byte is written again for them). A NACK at any other
 * time is an error and drops every cache: the test shows both.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <lightbridge/lightbridge.h>
#include "rec_bus.h"

#define MS 1000000ull

static struct lb_bus_stats stats(struct lb_test_rec_rig *r)
{
	struct lb_bus_stats s = LB_BUS_STATS_INIT;
	lb_bus_get_stats(r->bus, &s);
	return s;
}

/* Module B (0x51) reads page 11h again: how many select writes did that cost? */
static uint64_t b_selects(struct lb_test_rec_rig *r)
{
	uint8_t buf[8];
	lb_bus_reset_stats(r->bus);
	assert_int_equal(lb_module_read(r->m[1], 0, 0x11, 128, buf, 8), LB_OK);
	return stats(r).select_writes;
}

static void test_nack_inside_twrite_is_busy(void **state)
{
	(void)state;
	struct lb_test_rec_rig r;
	lb_test_rec_rig_up(&r, LB_SOURCE_DIR, "800g-dr8-osfp", 2);
	assert_int_equal(b_selects(&r), 1); /* B: page 11h now in force, cached */
	uint8_t v = 0x5A, buf[8];
	assert_int_equal(lb_module_write(r.m[0], 0, 0x03, 130, &v, 1), LB_OK);
	lb_bus_reset_stats(r.bus);
	/* A NACKs twice right after our write: busy, retried, no error */
	assert_int_equal(lb_emu_module_inject(r.emu[0], LB_EMU_FAULT_NACK, 2), LB_OK);
	assert_int_equal(lb_module_read(r.m[0], 0, 0x03, 128, buf, 8), LB_OK);
	assert_int_equal(buf[2], 0x5A);
	struct lb_bus_stats s = stats(&r);
	assert_int_equal(s.busy_nacks, 2);
	assert_int_equal(s.errors, 0);
	assert_int_equal(s.transactions, 3);
	assert_int_equal(b_selects(&r), 0); /* B's page cache survived */

	/* Long after the write a NACK is an error: counted, and B's cache is gone with it. */
	lb_emu_world_advance_ns(r.world, 20 * MS);
	assert_int_equal(lb_emu_module_inject(r.emu[0], LB_EMU_FAULT_NACK, 1), LB_OK);
	lb_bus_reset_stats(r.bus);
	assert_int_equal(lb_module_read(r.m[0], 0, 0x03, 128, buf, 8), LB_E_NACK);
	s = stats(&r);
	assert_int_equal(s.errors, 1);
	assert_int_equal(s.busy_nacks, 0);
	assert_int_equal(b_selects(&r), 1);
	lb_test_rec_rig_down(&r);
}

/* A module that stays busy past tWRITE: the last NACK is an error, the earlier ones busy. */
static void test_twrite_bounds_the_retries(void **state)
{
	(void)state;
	struct lb_test_rec_rig r;
	lb_test_rec_rig_up(&r, LB_SOURCE_DIR, "800g-dr8-osfp", 2);
	assert_int_equal(b_selects(&r), 1);
	uint8_t v = 1, buf[8];
	assert_int_equal(lb_module_write(r.m[0], 0, 0x03, 130, &v, 1), LB_OK);
	uint64_t t0 = lb_bus_now_ns(r.bus);
	assert_int_equal(lb_emu_module_inject(r.emu[0], LB_EMU_FAULT_STUCK_BUSY, 1), LB_OK);
	lb_bus_reset_stats(r.bus);
	assert_int_equal(lb_module_read(r.m[0], 0, 0x03, 128, buf, 8), LB_E_NACK);
	struct lb_bus_stats s = stats(&r);
	uint64_t dt = lb_bus_now_ns(r.bus) - t0;
	fprintf(stderr, "stuck: %llu busy NACKs, %llu error, %.2f ms\n",
		(unsigned long long)s.busy_nacks, (unsigned long long)s.errors, (double)dt / 1e6);
	assert_int_equal(s.errors, 1);
	assert_true(s.busy_nacks >= 8 && s.busy_nacks <= 10);
	assert_true(dt >= 10 * MS && dt < 12 * MS);
	assert_int_equal(lb_emu_module_inject(r.emu[0], LB_EMU_FAULT_STUCK_BUSY, 0), LB_OK);
	lb_test_rec_rig_down(&r);
}

/*
 * A busy time the caller declares (a foreground CDB command): a NACK then comes back at once
 * as LB_E_BUSY, no retry, no error, no cache dropped; after it, a NACK is an error again.
 */
static void test_declared_busy_time(void **state)
{
	(void)state;
	struct lb_test_rec_rig r;
	lb_test_rec_rig_up(&r, LB_SOURCE_DIR, "800g-dr8-osfp", 2);
	assert_int_equal(b_selects(&r), 1);
	uint8_t buf[8];
	lb_emu_world_advance_ns(r.world, 20 * MS); /* well past any write of ours */
	uint64_t t0 = lb_bus_now_ns(r.bus);
	lb_module_expect_busy(r.m[0], t0 + 80 * MS);
	assert_int_equal(lb_emu_module_inject(r.emu[0], LB_EMU_FAULT_STUCK_BUSY, 1), LB_OK);
	lb_bus_reset_stats(r.bus);
	assert_int_equal(lb_module_read(r.m[0], 0, 0, 37, buf, 1), LB_E_BUSY);
	struct lb_bus_stats s = stats(&r);
	assert_int_equal(s.transactions, 1);
	assert_int_equal(s.busy_nacks, 1);
	assert_int_equal(s.errors, 0);
	assert_true(lb_bus_now_ns(r.bus) - t0 < MS); /* no sleep, no retry */
	assert_int_equal(b_selects(&r), 0);
	/* the command ends: the module answers, and so does the call */
	assert_int_equal(lb_emu_module_inject(r.emu[0], LB_EMU_FAULT_STUCK_BUSY, 0), LB_OK);
	assert_int_equal(lb_module_read(r.m[0], 0, 0, 37, buf, 1), LB_OK);
	/* past the declared time a NACK is an error again */
	lb_emu_world_advance_ns(r.world, 100 * MS);
	assert_int_equal(lb_emu_module_inject(r.emu[0], LB_EMU_FAULT_NACK, 1), LB_OK);
	lb_bus_reset_stats(r.bus);
	assert_int_equal(lb_module_read(r.m[0], 0, 0, 37, buf, 1), LB_E_NACK);
	assert_int_equal(stats(&r).errors, 1);
	assert_int_equal(b_selects(&r), 1);
	/* and 0 ends a declared time early */
	lb_module_expect_busy(r.m[0], lb_bus_now_ns(r.bus) + 80 * MS);
	lb_module_expect_busy(r.m[0], 0);
	assert_int_equal(lb_emu_module_inject(r.emu[0], LB_EMU_FAULT_NACK, 1), LB_OK);
	lb_bus_reset_stats(r.bus);
	assert_int_equal(lb_module_read(r.m[0], 0, 0, 37, buf, 1), LB_E_NACK);
	assert_int_equal(stats(&r).busy_nacks, 0);
	lb_test_rec_rig_down(&r);
}

/* A busy NACK keeps the mux cache too: the channel in force is not written again. */
static void test_busy_nack_keeps_mux_state(void **state)
{
	(void)state;
	char path[1024], err[256] = "";
	struct lb_ctx *ctx;
	struct lb_emu_world *w;
	struct lb_emu_segment *seg;
	struct lb_emu_module *emu[2];
	struct lb_bus *bus;
	struct lb_module *m[2];
	struct lb_test_rec rec = { 0 };
	snprintf(path, sizeof(path), "%s/emulator/profiles/400g-fr4-qsfpdd.json", LB_SOURCE_DIR);
	assert_int_equal(lb_ctx_create(&ctx), LB_OK);
	assert_int_equal(lb_emu_world_create(&w), LB_OK);
	assert_int_equal(lb_emu_segment_create(w, 400, &seg), LB_OK);
	assert_int_equal(lb_emu_segment_add_mux(seg, 0x70), LB_OK);
	rec.seg = seg;
	lb_test_rec_open(ctx, &rec, &bus);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(lb_emu_module_create(w, path, &emu[i], err, sizeof(err)), LB_OK);
		assert_int_equal(lb_emu_segment_attach(seg, i, 0x50, emu[i]), LB_OK);
		struct lb_module_addr a = { .addr = 0x50, .mux_addr = 0x70, .mux_channel = i };
		assert_int_equal(lb_module_open(bus, &a, &m[i]), LB_OK);
	}
	uint8_t b, v = 7;
	assert_int_equal(lb_module_read(m[0], 0, 0, 0, &b, 1), LB_OK);
	assert_int_equal(lb_module_read(m[1], 0, 0, 0, &b, 1), LB_OK);
	assert_int_equal(lb_module_write(m[1], 0, 0x03, 130, &v, 1), LB_OK);
	assert_int_equal(lb_emu_module_inject(emu[1], LB_EMU_FAULT_NACK, 1), LB_OK);
	assert_int_equal(lb_module_read(m[1], 0, 0x03, 130, &b, 1), LB_OK); /* busy, retried */
	assert_int_equal(b, 7);
	/* the mux control byte and page 03h are still known to be in force: nothing to write */
	struct lb_bus_stats s = LB_BUS_STATS_INIT;
	lb_bus_reset_stats(bus);
	assert_int_equal(lb_module_read(m[1], 0, 0x03, 130, &b, 1), LB_OK);
	lb_bus_get_stats(bus, &s);
	assert_int_equal(s.select_writes, 0);
	assert_int_equal(s.transactions, 1);
	/* a NACK well after the write is an error: mux and page are written again */
	lb_emu_world_advance_ns(w, 20 * MS);
	assert_int_equal(lb_emu_module_inject(emu[1], LB_EMU_FAULT_NACK, 1), LB_OK);
	assert_int_equal(lb_module_read(m[1], 0, 0x03, 130, &b, 1), LB_E_NACK);
	lb_bus_reset_stats(bus);
	assert_int_equal(lb_module_read(m[1], 0, 0x03, 130, &b, 1), LB_OK);
	lb_bus_get_stats(bus, &s);
	assert_int_equal(s.select_writes, 2);
	assert_int_equal(s.transactions, 3);
	for (int i = 0; i < 2; i++)
		lb_module_close(m[i]);
	lb_bus_close(bus);
	lb_test_rec_free(&rec);
	lb_emu_world_destroy(w);
	lb_ctx_destroy(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nack_inside_twrite_is_busy),
		cmocka_unit_test(test_twrite_bounds_the_retries),
		cmocka_unit_test(test_declared_busy_time),
		cmocka_unit_test(test_busy_nack_keeps_mux_state),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
