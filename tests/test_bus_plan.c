/* SPDX-License-Identifier: MIT */
/*
 * The access plans: merging, splitting and ordering of the ranges a read needs; the order,
 * cuts and head-last ranges of a write plan; the write limits of the page rules.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "hal/cmis/access_plan.h"

static uint8_t sink[512];

static void test_lower_and_one_page_merge_to_two_reads(void **state)
{
	(void)state;
	/* A monitor poll: lower 8-11 + 14-25 do not touch (gap 12-13), page 11h 134-153 + 154-201 do. */
	struct lb_mem_range r[] = {
		{ .offset = 8, .len = 4, .buf = sink },
		{ .offset = 14, .len = 12, .buf = sink },
		{ .page = 0x11, .offset = 154, .len = 48, .buf = sink },
		{ .page = 0x11, .offset = 134, .len = 20, .buf = sink },
	};
	struct lb_read_plan p;
	assert_int_equal(lb_read_plan_build(&p, r, 4, 128, NULL), LB_OK);
	assert_int_equal(p.n, 3);
	assert_true(p.xfer[0].lower);
	assert_int_equal(p.xfer[0].offset, 8);
	assert_int_equal(p.xfer[0].len, 4);
	assert_int_equal(p.xfer[1].offset, 14);
	assert_int_equal(p.xfer[1].len, 12);
	assert_false(p.xfer[2].lower);
	assert_int_equal(p.xfer[2].page, 0x11);
	assert_int_equal(p.xfer[2].offset, 134);
	assert_int_equal(p.xfer[2].len, 68);
	lb_read_plan_free(&p);
}

static void test_split_at_max_read_and_boundary(void **state)
{
	(void)state;
	/* 100..160 crosses 127/128: lower 100..127, then page 01h 128..160 in 8-byte reads. */
	struct lb_mem_range r = { .page = 0x01, .offset = 100, .len = 61, .buf = sink };
	struct lb_read_plan p;
	assert_int_equal(lb_read_plan_build(&p, &r, 1, 8, NULL), LB_OK);
	unsigned lower = 0, upper = 0, total = 0;
	for (unsigned i = 0; i < p.n; i++) {
		assert_true(p.xfer[i].len <= 8);
		assert_true(p.xfer[i].lower ? p.xfer[i].offset + p.xfer[i].len <= 128
					    : p.xfer[i].offset >= 128);
		total += p.xfer[i].len;
		if (p.xfer[i].lower)
			lower++;
		else
			upper++;
	}
	assert_int_equal(total, 61);
	assert_int_equal(lower, 4); /* 28 bytes */
	assert_int_equal(upper, 5); /* 33 bytes */
	lb_read_plan_free(&p);
}

static void test_current_page_first(void **state)
{
	(void)state;
	struct lb_mem_range r[] = {
		{ .page = 0x02, .offset = 128, .len = 8, .buf = sink },
		{ .page = 0x11, .offset = 128, .len = 8, .buf = sink },
		{ .page = 0x01, .offset = 128, .len = 8, .buf = sink },
	};
	struct lb_plan_start at11 = { .valid = true, .bank = 0, .page = 0x11 };
	struct lb_read_plan p;
	assert_int_equal(lb_read_plan_build(&p, r, 3, 128, &at11), LB_OK);
	assert_int_equal(p.n, 3);
	assert_int_equal(p.xfer[0].page, 0x11);
	assert_int_equal(p.xfer[1].page, 0x01);
	assert_int_equal(p.xfer[2].page, 0x02);
	lb_read_plan_free(&p);
}

static void test_banks_kept_apart_only_for_banked_pages(void **state)
{
	(void)state;
	struct lb_mem_range r[] = {
		{ .bank = 0, .page = 0x11, .offset = 128, .len = 4, .buf = sink },
		{ .bank = 1, .page = 0x11, .offset = 132, .len = 4, .buf = sink },
		{ .bank = 0, .page = 0x01, .offset = 128, .len = 4, .buf = sink },
		{ .bank = 1, .page = 0x01, .offset = 132, .len = 4, .buf = sink }, /* 01h is unbanked */
	};
	struct lb_read_plan p;
	assert_int_equal(lb_read_plan_build(&p, r, 4, 128, NULL), LB_OK);
	assert_int_equal(p.n, 3);
	assert_int_equal(p.xfer[0].page, 0x01);
	assert_int_equal(p.xfer[0].len, 8);
	assert_int_equal(p.xfer[1].bank, 0);
	assert_int_equal(p.xfer[2].bank, 1);
	lb_read_plan_free(&p);
}

static void test_bad_ranges_refused(void **state)
{
	(void)state;
	struct lb_read_plan p;
	struct lb_mem_range past = { .page = 0, .offset = 250, .len = 7, .buf = sink };
	assert_int_equal(lb_read_plan_build(&p, &past, 1, 8, NULL), LB_E_INVAL);
	struct lb_mem_range empty = { .offset = 3, .len = 0, .buf = sink };
	assert_int_equal(lb_read_plan_build(&p, &empty, 1, 8, NULL), LB_E_INVAL);
	struct lb_mem_range ok = { .offset = 3, .len = 1, .buf = sink };
	assert_int_equal(lb_read_plan_build(&p, &ok, 1, 0, NULL), LB_E_INVAL);
	assert_int_equal(lb_read_plan_build(&p, &ok, 1, 129, NULL), LB_E_INVAL);
}

static void test_banked_page_table(void **state)
{
	(void)state;
	assert_false(lb_cmis_page_is_banked(0x00));
	assert_false(lb_cmis_page_is_banked(0x04));
	assert_true(lb_cmis_page_is_banked(0x10));
	assert_true(lb_cmis_page_is_banked(0x35));
	assert_false(lb_cmis_page_is_banked(0x40));
	assert_true(lb_cmis_page_is_banked(0x9F));
	assert_true(lb_cmis_page_is_banked(0xAF));
	assert_false(lb_cmis_page_is_banked(0xB0));
}

/* An advertisement with CDB: one instance, four EPL pages, write-length extension ext. */
static struct lb_module_adv cdb_adv(uint8_t ext)
{
	struct lb_module_adv a = { .valid = true, .banks = 1, .max_read = 8,
				   .cdb_caps = 0x44, .cdb_rw_ext = ext };
	return a;
}

static void test_write_limits_by_page(void **state)
{
	(void)state;
	struct lb_module_adv a = cdb_adv(0);
	assert_int_equal(lb_cmis_max_write(&a, 0x9F, false), 8);
	assert_int_equal(lb_cmis_max_write(&a, 0x10, false), 8);
	a.cdb_rw_ext = 3;
	assert_int_equal(lb_cmis_max_write(&a, 0x9F, false), 32);
	assert_int_equal(lb_cmis_max_write(&a, 0xA2, false), 32);
	assert_int_equal(lb_cmis_max_write(&a, 0x9F, true), 8); /* lower memory: always 8 */
	assert_int_equal(lb_cmis_max_write(&a, 0x03, false), 8);
	a.cdb_rw_ext = 255;
	assert_int_equal(lb_cmis_max_write(&a, 0x9F, false), 128);
	assert_int_equal(lb_cmis_max_write(&a, 0xA0, false), 128); /* one page per write */
}

static void test_write_plan_keeps_order_and_puts_head_last(void **state)
{
	(void)state;
	struct lb_module_adv a = cdb_adv(0);
	struct lb_mem_write w[] = {
		{ .page = 0xA0, .offset = 240, .len = 16, .buf = sink },
		{ .page = 0x9F, .offset = 128, .len = 20, .buf = sink + 16, .head_last = 2 },
		{ .offset = 37, .len = 1, .buf = sink + 36 },
	};
	struct lb_write_plan p;
	assert_int_equal(lb_write_plan_build(&p, w, 3, 0, &a, 0), LB_OK);
	static const struct { uint8_t page, offset, len; } want[] = {
		{ 0xA0, 240, 8 }, { 0xA0, 248, 8 },
		{ 0x9F, 130, 8 }, { 0x9F, 138, 8 }, { 0x9F, 146, 2 }, { 0x9F, 128, 2 },
		{ 0x00, 37, 1 },
	};
	assert_int_equal(p.n, 7);
	for (unsigned i = 0; i < p.n; i++) {
		assert_int_equal(p.xfer[i].page, want[i].page);
		assert_int_equal(p.xfer[i].offset, want[i].offset);
		assert_int_equal(p.xfer[i].len, want[i].len);
	}
	assert_ptr_equal(p.xfer[5].src, sink + 16);     /* the head: the range's first bytes */
	assert_ptr_equal(p.xfer[2].src, sink + 16 + 2);
	assert_true(p.xfer[6].lower);
	lb_write_plan_free(&p);
}

static void test_write_plan_whole_if_fits(void **state)
{
	(void)state;
	struct lb_module_adv a = cdb_adv(15);
	struct lb_mem_write w = { .page = 0x9F, .offset = 128, .len = 128, .buf = sink,
				  .head_last = 2 };
	struct lb_write_plan p;
	assert_int_equal(lb_write_plan_build(&p, &w, 1, LB_WRITE_WHOLE_IF_FITS, &a, 0), LB_OK);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.xfer[0].offset, 128);
	assert_int_equal(p.xfer[0].len, 128);
	lb_write_plan_free(&p);
	/* without the flag: tail then head; with a driver limit of 64: the flag cannot apply */
	assert_int_equal(lb_write_plan_build(&p, &w, 1, 0, &a, 0), LB_OK);
	assert_int_equal(p.n, 2);
	assert_int_equal(p.xfer[0].len, 126);
	assert_int_equal(p.xfer[1].offset, 128);
	lb_write_plan_free(&p);
	assert_int_equal(lb_write_plan_build(&p, &w, 1, LB_WRITE_WHOLE_IF_FITS, &a, 64), LB_OK);
	assert_int_equal(p.n, 3);
	assert_int_equal(p.xfer[0].len, 64);
	assert_int_equal(p.xfer[1].len, 62);
	assert_int_equal(p.xfer[2].offset, 128);
	lb_write_plan_free(&p);
}

static void test_write_plan_splits_at_128(void **state)
{
	(void)state;
	struct lb_module_adv a = cdb_adv(15);
	/* 120..135 on page 9Fh: lower 120-127 (8), then 128-135 on the page */
	struct lb_mem_write w = { .page = 0x9F, .offset = 120, .len = 16, .buf = sink };
	struct lb_write_plan p;
	assert_int_equal(lb_write_plan_build(&p, &w, 1, LB_WRITE_WHOLE_IF_FITS, &a, 0), LB_OK);
	assert_int_equal(p.n, 2);
	assert_true(p.xfer[0].lower);
	assert_int_equal(p.xfer[0].len, 8);
	assert_false(p.xfer[1].lower);
	assert_int_equal(p.xfer[1].page, 0x9F);
	assert_int_equal(p.xfer[1].offset, 128);
	lb_write_plan_free(&p);
}

static void test_write_plan_refuses_bad_ranges(void **state)
{
	(void)state;
	struct lb_module_adv a = cdb_adv(0);
	struct lb_write_plan p;
	struct lb_mem_write w = { .page = 0x9F, .offset = 128, .len = 4, .buf = sink, .head_last = 5 };
	assert_int_equal(lb_write_plan_build(&p, &w, 1, 0, &a, 0), LB_E_INVAL);
	w.head_last = 4; /* the whole range "last": in order */
	assert_int_equal(lb_write_plan_build(&p, &w, 1, 0, &a, 0), LB_OK);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.xfer[0].offset, 128);
	lb_write_plan_free(&p);
	assert_int_equal(lb_write_plan_build(&p, &w, 1, 0x2, &a, 0), LB_E_INVAL);
	w.offset = 253;
	assert_int_equal(lb_write_plan_build(&p, &w, 1, 0, &a, 0), LB_E_INVAL);
	w.offset = 128;
	w.buf = NULL;
	assert_int_equal(lb_write_plan_build(&p, &w, 1, 0, &a, 0), LB_E_INVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lower_and_one_page_merge_to_two_reads),
		cmocka_unit_test(test_split_at_max_read_and_boundary),
		cmocka_unit_test(test_current_page_first),
		cmocka_unit_test(test_banks_kept_apart_only_for_banked_pages),
		cmocka_unit_test(test_bad_ranges_refused),
		cmocka_unit_test(test_banked_page_table),
		cmocka_unit_test(test_write_limits_by_page),
		cmocka_unit_test(test_write_plan_keeps_order_and_puts_head_last),
		cmocka_unit_test(test_write_plan_whole_if_fits),
		cmocka_unit_test(test_write_plan_splits_at_128),
		cmocka_unit_test(test_write_plan_refuses_bad_ranges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
