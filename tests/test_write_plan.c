/* SPDX-License-Identifier: MIT */
/*
 * Planned writes on emulated modules, seen transfer by transfer through a recording driver:
 * the caller's order, the cuts at the module's and the driver's write limits, one select per
 * page, a CDB command ID that lands after its payload, and one hold of the bus for the whole
 * plan while another thread uses the same bus.
 */
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <lightbridge/lightbridge.h>
#include "rec_bus.h"

static void fill(uint8_t *buf, size_t len, uint8_t seed)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)(seed + 7 * i);
}

/* What the module holds at the moment its command ID lands. */
struct id_watch {
	struct lb_emu_module *emu;
	unsigned id_writes;
	uint8_t payload_then[126];
};

/* A write that reaches 9Fh:128-129: take a copy of 9Fh:130-255 as the module has it now. */
static int watch_id(struct lb_test_rec *r, const struct lb_i2c_msg *msgs, unsigned n)
{
	struct id_watch *w = r->user;
	uint8_t sel;
	if (n != 1 || msgs[0].addr != 0x50 || msgs[0].len < 2 || msgs[0].buf[0] < 128 ||
	    msgs[0].buf[0] > 129)
		return LB_OK;
	assert_int_equal(lb_emu_module_peek(w->emu, 0, 0, 127, &sel, 1), LB_OK);
	if (sel != 0x9F)
		return LB_OK;
	w->id_writes++;
	assert_int_equal(lb_emu_module_peek(w->emu, 0, 0x9F, 130, w->payload_then, 126), LB_OK);
	return LB_OK;
}

static void expect_write(const struct lb_test_rec_xfer *x, uint8_t at, uint16_t len)
{
	if (x->read || x->first != at || x->len != len)
		fail_msg("expected a write of %u bytes at %u, got a %s of %u at %u", len, at,
			 x->read ? "read" : "write", x->len, x->first);
}

/* A read of PageSelect alone (127, one byte): the page in force confirmed before a write. */
static void expect_sel_read_back(const struct lb_test_rec_xfer *x)
{
	if (!x->read || x->first != 127 || x->len != 1)
		fail_msg("expected PageSelect read back, got a %s of %u at %u",
			 x->read ? "read" : "write", x->len, x->first);
}

/*
 * A CDB block on a module without a write-length extension: 8-byte writes, payload first in
 * ascending order, the 2-byte command ID last. The module holds the whole payload when the
 * ID lands.
 */
static void test_cdb_block_id_lands_last(void **state)
{
	(void)state;
	struct lb_test_rec_rig r;
	lb_test_rec_rig_up(&r, LB_SOURCE_DIR, "400g-fr4-qsfpdd", 1);
	uint8_t block[128], got[128];
	fill(block, sizeof(block), 0x31);
	struct id_watch watch = { .emu = r.emu[0] };
	r.rec.hook = watch_id;
	r.rec.user = &watch;
	struct lb_mem_write w = { .page = 0x9F, .offset = 128, .len = 128, .buf = block,
				  .head_last = 2 };
	assert_int_equal(lb_module_write_plan(r.m[0], &w, 1, 0), LB_OK);
	/* select 9Fh, 15 writes of 8 and one of 6 (130-255), then the ID (128-129) */
	assert_int_equal(r.rec.n, 1 + 16 + 1);
	expect_write(&r.rec.log[0], 127, 1);
	assert_int_equal(r.rec.log[0].data[0], 0x9F);
	for (unsigned i = 0; i < 16; i++)
		expect_write(&r.rec.log[1 + i], (uint8_t)(130 + 8 * i), i < 15 ? 8 : 6);
	expect_write(&r.rec.log[17], 128, 2);
	assert_memory_equal(r.rec.log[17].data, block, 2);
	/* the ID landed once, after every payload byte */
	assert_int_equal(watch.id_writes, 1);
	assert_memory_equal(watch.payload_then, block + 2, 126);
	assert_int_equal(lb_emu_module_peek(r.emu[0], 0, 0x9F, 128, got, 128), LB_OK);
	assert_memory_equal(got, block, 128);
	struct lb_bus_stats s = LB_BUS_STATS_INIT;
	lb_bus_get_stats(r.bus, &s);
	assert_int_equal(s.errors, 0);

	/* lb_module_write is a plan of one range in ascending order: there the ID goes first.
	 * (The module ran the block above as a command, which failed; it is idle again.) */
	lb_bus_sleep_ns(r.bus, 10 * 1000000ull);
	lb_test_rec_clear(&r.rec);
	watch.id_writes = 0;
	fill(block, sizeof(block), 0x42);
	assert_int_equal(lb_module_write(r.m[0], 0, 0x9F, 128, block, 128), LB_OK);
	/* page 9Fh, in force from the plan before, is read back before anything is written */
	assert_int_equal(r.rec.n, 1 + 16);
	expect_sel_read_back(&r.rec.log[0]);
	expect_write(&r.rec.log[1], 128, 8);
	assert_int_equal(watch.id_writes, 1);
	assert_memory_not_equal(watch.payload_then + 6, block + 8, 8); /* 136-143 not yet there */
	lb_test_rec_rig_down(&r);
}

/*
 * A firmware block as a CDB engine writes it on a module with 01h:164 = 15: the EPL pages
 * first, a whole page per write, then the command block, its ID last; one select per page.
 */
static void test_epl_pages_then_command(void **state)
{
	(void)state;
	struct lb_test_rec_rig r;
	lb_test_rec_rig_up(&r, LB_SOURCE_DIR, "coherent-800g-qsfpdd", 1);
	static uint8_t epl[256], block[128];
	uint8_t got[128];
	fill(epl, sizeof(epl), 0x10);
	fill(block, sizeof(block), 0x90);
	struct id_watch watch = { .emu = r.emu[0] };
	r.rec.hook = watch_id;
	r.rec.user = &watch;
	struct lb_mem_write w[] = {
		{ .page = 0xA0, .offset = 128, .len = 128, .buf = epl },
		{ .page = 0xA1, .offset = 128, .len = 128, .buf = epl + 128 },
		{ .page = 0x9F, .offset = 128, .len = 128, .buf = block, .head_last = 2 },
	};
	lb_bus_reset_stats(r.bus);
	assert_int_equal(lb_module_write_plan(r.m[0], w, 3, 0), LB_OK);
	assert_int_equal(r.rec.n, 7);
	expect_write(&r.rec.log[0], 127, 1);
	assert_int_equal(r.rec.log[0].data[0], 0xA0);
	expect_write(&r.rec.log[1], 128, 128);
	expect_write(&r.rec.log[2], 127, 1);
	assert_int_equal(r.rec.log[2].data[0], 0xA1);
	expect_write(&r.rec.log[3], 128, 128);
	expect_write(&r.rec.log[4], 127, 1);
	assert_int_equal(r.rec.log[4].data[0], 0x9F);
	expect_write(&r.rec.log[5], 130, 126);
	expect_write(&r.rec.log[6], 128, 2);
	assert_int_equal(watch.id_writes, 1);
	assert_memory_equal(watch.payload_then, block + 2, 126);
	struct lb_bus_stats s = LB_BUS_STATS_INIT;
	lb_bus_get_stats(r.bus, &s);
	assert_int_equal(s.select_writes, 3);
	assert_int_equal(s.transactions, 7);
	assert_int_equal(lb_emu_module_peek(r.emu[0], 0, 0xA1, 128, got, 128), LB_OK);
	assert_memory_equal(got, epl + 128, 128);

	/* A module that starts at any write including byte 129: the block in one write. */
	lb_bus_sleep_ns(r.bus, 10 * 1000000ull); /* the module is done with the command above */
	lb_test_rec_clear(&r.rec);
	assert_int_equal(lb_module_write_plan(r.m[0], &w[2], 1, LB_WRITE_WHOLE_IF_FITS), LB_OK);
	assert_int_equal(r.rec.n, 2); /* 9Fh is still in force: read back, then the block */
	expect_sel_read_back(&r.rec.log[0]);
	expect_write(&r.rec.log[1], 128, 128);
	/* the same ranges grouped by page in the order given: A1h, A0h, A1h costs three selects */
	struct lb_mem_write again[] = { w[1], w[0], w[1] };
	lb_bus_reset_stats(r.bus);
	assert_int_equal(lb_module_write_plan(r.m[0], again, 3, 0), LB_OK);
	lb_bus_get_stats(r.bus, &s);
	assert_int_equal(s.select_writes, 3);
	lb_test_rec_rig_down(&r);
}

/* The driver's largest write cuts too (the offset byte counts): 33 -> 32 data bytes. */
static void test_driver_write_limit(void **state)
{
	(void)state;
	struct lb_test_rec_rig r;
	lb_test_rec_rig_up(&r, LB_SOURCE_DIR, "coherent-800g-qsfpdd", 1);
	r.rec.max_write = 33;
	uint8_t block[128], got[128];
	fill(block, sizeof(block), 0x55);
	struct lb_mem_write w = { .page = 0x9F, .offset = 128, .len = 128, .buf = block,
				  .head_last = 2 };
	assert_int_equal(lb_module_write_plan(r.m[0], &w, 1, LB_WRITE_WHOLE_IF_FITS), LB_OK);
	assert_int_equal(r.rec.n, 1 + 4 + 1); /* 128 does not fit in one write: ID last still */
	expect_write(&r.rec.log[1], 130, 32);
	expect_write(&r.rec.log[2], 162, 32);
	expect_write(&r.rec.log[3], 194, 32);
	expect_write(&r.rec.log[4], 226, 30);
	expect_write(&r.rec.log[5], 128, 2);
	assert_int_equal(lb_emu_module_peek(r.emu[0], 0, 0x9F, 128, got, 128), LB_OK);
	assert_memory_equal(got, block, 128);
	lb_test_rec_rig_down(&r);
}

/* Every range is checked before any traffic: a bad last range writes nothing at all. */
static void test_bad_plan_writes_nothing(void **state)
{
	(void)state;
	struct lb_test_rec_rig r;
	lb_test_rec_rig_up(&r, LB_SOURCE_DIR, "400g-fr4-qsfpdd", 1);
	uint8_t buf[16] = { 1, 2, 3 };
	struct lb_mem_write w[2] = {
		{ .page = 0x03, .offset = 128, .len = 8, .buf = buf },
		{ .page = 0x9F, .offset = 128, .len = 8, .buf = buf, .head_last = 9 },
	};
	assert_int_equal(lb_module_write_plan(r.m[0], w, 2, 0), LB_E_INVAL);
	w[1].head_last = 2;
	assert_int_equal(lb_module_write_plan(r.m[0], w, 2, 0x80), LB_E_INVAL);
	w[1].offset = 250;
	assert_int_equal(lb_module_write_plan(r.m[0], w, 2, 0), LB_E_INVAL);
	w[1].offset = 128;
	w[1].page = 0xA0; /* no EPL pages on this module */
	assert_int_equal(lb_module_write_plan(r.m[0], w, 2, 0), LB_E_NOTSUP);
	w[1].len = 0;
	assert_int_equal(lb_module_write_plan(r.m[0], w, 2, 0), LB_E_INVAL);
	assert_int_equal(r.rec.n, 0);
	assert_int_equal(lb_module_write_plan(r.m[0], w, 0, 0), LB_OK);
	assert_int_equal(lb_module_write_plan(NULL, w, 1, 0), LB_E_INVAL);
	assert_int_equal(r.rec.n, 0);
	lb_test_rec_rig_down(&r);
}

/* NACK every transfer from the n-th on. */
struct nack_from {
	unsigned seen, from;
};

static int nack_from(struct lb_test_rec *r, const struct lb_i2c_msg *msgs, unsigned n)
{
	(void)msgs;
	(void)n;
	struct nack_from *f = r->user;
	return ++f->seen >= f->from ? LB_E_NACK : LB_OK;
}

/* A write that fails ends the plan: nothing after it is tried, and the ID never lands. */
static void test_failed_write_ends_plan(void **state)
{
	(void)state;
	struct lb_test_rec_rig r;
	lb_test_rec_rig_up(&r, LB_SOURCE_DIR, "400g-fr4-qsfpdd", 1);
	uint8_t block[128], got[2];
	fill(block, sizeof(block), 0x77);
	struct nack_from f = { .from = 5 }; /* select, 3 writes, then NACKs */
	r.rec.hook = nack_from;
	r.rec.user = &f;
	struct lb_mem_write w = { .page = 0x9F, .offset = 128, .len = 128, .buf = block,
				  .head_last = 2 };
	assert_int_equal(lb_module_write_plan(r.m[0], &w, 1, 0), LB_E_NACK);
	/* the NACKs inside tWRITE after our last write were retried, the last one is returned */
	for (unsigned i = 4; i < r.rec.n; i++) {
		assert_int_equal(r.rec.log[i].rc, LB_E_NACK);
		assert_int_equal(r.rec.log[i].first, 154); /* the same write, retried */
	}
	assert_int_equal(lb_emu_module_peek(r.emu[0], 0, 0x9F, 128, got, 2), LB_OK);
	assert_int_equal(got[0], 0);
	assert_int_equal(got[1], 0);
	lb_test_rec_rig_down(&r);
}

/* ---- one hold of the bus for the whole plan, with another thread on the same bus ---- */

struct race {
	struct lb_test_rec_rig *r;
	pthread_t writer;
	int stop;       /* atomic */
	int entered;    /* atomic: calls the reader has begun */
	unsigned reads, failed;
	int plan_started;
};

static void *reader(void *arg)
{
	struct race *x = arg;
	uint8_t buf[8];
	while (!__atomic_load_n(&x->stop, __ATOMIC_ACQUIRE)) {
		__atomic_add_fetch(&x->entered, 1, __ATOMIC_ACQ_REL);
		if (lb_module_read(x->r->m[1], 0, 0x11, 128, buf, 8) != LB_OK)
			x->failed++; /* checked by the main thread: cmocka asserts there only */
		x->reads++;
	}
	return NULL;
}

/*
 * At the plan's first transfer, yield for a while (a bounded number of times, or until the
 * reader begins a call after it): the reader's call needs the bus and, with the bus held for
 * the whole plan, must not get it before the plan ends.
 */
static int hold_for_reader(struct lb_test_rec *rec, const struct lb_i2c_msg *msgs, unsigned n)
{
	(void)n;
	struct race *x = rec->user;
	if (x->plan_started || msgs[0].addr != 0x50 || !pthread_equal(pthread_self(), x->writer))
		return LB_OK;
	x->plan_started = 1;
	int seen = __atomic_load_n(&x->entered, __ATOMIC_ACQUIRE);
	for (unsigned i = 0; i < 20000 && __atomic_load_n(&x->entered, __ATOMIC_ACQUIRE) <= seen; i++)
		sched_yield();
	return LB_OK;
}

static void test_plan_holds_the_bus_once(void **state)
{
	(void)state;
	struct lb_test_rec_rig r;
	lb_test_rec_rig_up(&r, LB_SOURCE_DIR, "800g-dr8-osfp", 2);
	uint8_t buf[8];
	assert_int_equal(lb_module_read(r.m[1], 0, 0x11, 128, buf, 8), LB_OK);
	lb_test_rec_clear(&r.rec);
	static uint8_t data[4][128];
	for (unsigned i = 0; i < 4; i++)
		fill(data[i], 128, (uint8_t)(16 * i));
	/* 8-byte writes on page 03h: many transfers, each a chance for the reader to come in */
	struct lb_mem_write w[] = {
		{ .page = 0x03, .offset = 128, .len = 128, .buf = data[0] },
		{ .page = 0xA0, .offset = 128, .len = 128, .buf = data[1] },
		{ .page = 0x9F, .offset = 128, .len = 128, .buf = data[2], .head_last = 2 },
	};
	struct race x = { .r = &r, .writer = pthread_self() };
	r.rec.hook = hold_for_reader;
	r.rec.user = &x;
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, reader, &x), 0);
	while (__atomic_load_n(&x.entered, __ATOMIC_ACQUIRE) < 3)
		sched_yield();
	assert_int_equal(lb_module_write_plan(r.m[0], w, 3, 0), LB_OK);
	unsigned after = (unsigned)__atomic_load_n(&x.entered, __ATOMIC_ACQUIRE);
	while (__atomic_load_n(&x.entered, __ATOMIC_ACQUIRE) < (int)after + 2)
		sched_yield();
	__atomic_store_n(&x.stop, 1, __ATOMIC_RELEASE);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(x.failed, 0);
	/* the plan's transfers form one run in the log, with reader transfers on both sides */
	unsigned first = r.rec.n, last = 0, plan = 0;
	for (unsigned i = 0; i < r.rec.n; i++) {
		if (r.rec.log[i].addr == 0x50) {
			first = i < first ? i : first;
			last = i;
			plan++;
		}
	}
	assert_int_equal(plan, 1 + 16 + 1 + 1 + 1 + 2); /* 03h: 16 x 8; A0h: 128; 9Fh: 126 + 2 */
	assert_int_equal(last - first + 1, plan);
	assert_true(first > 0);
	assert_true(last + 1 < r.rec.n);
	for (unsigned i = 0; i < r.rec.n; i++)
		assert_int_equal(pthread_equal(r.rec.log[i].thread, x.writer) != 0,
				 r.rec.log[i].addr == 0x50);
	fprintf(stderr, "plan: %u transfers in one run; reader: %u reads around it\n", plan, x.reads);
	lb_test_rec_rig_down(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cdb_block_id_lands_last),
		cmocka_unit_test(test_epl_pages_then_command),
		cmocka_unit_test(test_driver_write_limit),
		cmocka_unit_test(test_bad_plan_writes_nothing),
		cmocka_unit_test(test_failed_write_ends_plan),
		cmocka_unit_test(test_plan_holds_the_bus_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
