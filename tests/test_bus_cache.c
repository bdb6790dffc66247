/* SPDX-License-Identifier: MIT */
/* Page cache, select writes, read limits and bus time on an emulated module. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>
#include <lightbridge/lightbridge.h>

#include "emu_rig.h"

static void test_no_select_written_twice(void **state)
{
	(void)state;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "coherent-800g-qsfpdd", 400, false);
	uint8_t buf[128];
	assert_int_equal(lb_module_read_page(r.m, 0, 0x11, false, buf), LB_OK); /* probe + 11h */
	lb_bus_reset_stats(r.bus);
	assert_int_equal(lb_module_read_page(r.m, 0, 0x11, false, buf), LB_OK);
	assert_int_equal(lb_module_read(r.m, 0, 0x11, 200, buf, 2), LB_OK);
	assert_int_equal(lb_test_rig_stats(&r).select_writes, 0);
	assert_int_equal(lb_test_rig_stats(&r).transactions, 2);
	assert_int_equal(lb_module_read(r.m, 0, 0x02, 128, buf, 8), LB_OK);
	assert_int_equal(lb_module_read(r.m, 0, 0x02, 136, buf, 8), LB_OK);
	assert_int_equal(lb_test_rig_stats(&r).select_writes, 1);
	/* what the cache believes is what the module has */
	uint8_t sel;
	assert_int_equal(lb_emu_module_peek(r.emu, 0, 0, 127, &sel, 1), LB_OK);
	assert_int_equal(sel, 0x02);
	lb_test_rig_down(&r);
}

static void test_error_invalidates_cache(void **state)
{
	(void)state;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "coherent-800g-qsfpdd", 400, false);
	uint8_t buf[8];
	assert_int_equal(lb_module_read(r.m, 0, 0x11, 128, buf, 8), LB_OK);
	/* Inside tWRITE (10 ms) after the select write a NACK is "busy" and retried ... */
	assert_int_equal(lb_emu_module_inject(r.emu, LB_EMU_FAULT_NACK, 1), LB_OK);
	assert_int_equal(lb_module_read(r.m, 0, 0x11, 128, buf, 8), LB_OK);
	/* ... later it is an error, returned as such. */
	lb_emu_world_advance_ns(r.world, 20000000);
	assert_int_equal(lb_emu_module_inject(r.emu, LB_EMU_FAULT_NACK, 1), LB_OK);
	assert_int_equal(lb_module_read(r.m, 0, 0x11, 128, buf, 8), LB_E_NACK);
	lb_bus_reset_stats(r.bus);
	assert_int_equal(lb_module_read(r.m, 0, 0x11, 128, buf, 8), LB_OK);
	/* after an error nothing about the select bytes is trusted: it is written again */
	assert_int_equal(lb_test_rig_stats(&r).select_writes, 1);
	lb_test_rig_down(&r);
}

static void test_full_page_read_in_one_transaction_and_its_time(void **state)
{
	(void)state;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "coherent-800g-qsfpdd", 400, false);
	uint8_t buf[128];
	assert_int_equal(lb_module_read_page(r.m, 0, 0x01, false, buf), LB_OK);
	lb_bus_reset_stats(r.bus);
	uint64_t t0 = lb_bus_now_ns(r.bus);
	assert_int_equal(lb_module_read_page(r.m, 0, 0x01, false, buf), LB_OK);
	struct lb_bus_stats s = lb_test_rig_stats(&r);
	assert_int_equal(s.transactions, 1);
	assert_int_equal(s.max_read_len, 128);
	/*
	 * random read of 128 bytes: 9 * (3 + 128) + 3 = 1182 clocks = 2955 us at 400 kHz; the page
	 * relied on from the call before, PageSelect is read back in the same transaction first:
	 * Sr, address, 127, Sr, address, 1 byte = 38 clocks, 95 us
	 */
	assert_int_equal(s.bus_time_ns, 2955000 + 95000);
	assert_int_equal(lb_bus_now_ns(r.bus) - t0, 2955000 + 95000);
	lb_test_rig_down(&r);
}

static void test_eight_byte_reads_without_full_page_advertisement(void **state)
{
	(void)state;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "400g-fr4-qsfpdd", 400, false);
	uint8_t buf[128];
	assert_int_equal(lb_module_read_page(r.m, 0, 0x00, false, buf), LB_OK);
	assert_int_equal(lb_module_read(r.m, 0, 0, 0, buf, 128), LB_OK);
	struct lb_bus_stats s = lb_test_rig_stats(&r);
	assert_true(s.max_read_len <= 8);
	assert_int_equal(s.errors, 0);
	lb_test_rig_down(&r);
}

static void test_unadvertised_page_refused_without_traffic(void **state)
{
	(void)state;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "400g-fr4-qsfpdd", 400, false);
	uint8_t buf[8];
	assert_int_equal(lb_module_read(r.m, 0, 0x00, 0, buf, 1), LB_OK);
	lb_bus_reset_stats(r.bus);
	assert_int_equal(lb_module_read(r.m, 0, 0x12, 128, buf, 8), LB_E_NOTSUP); /* not tunable */
	assert_int_equal(lb_module_read(r.m, 3, 0x11, 128, buf, 8), LB_E_NOTSUP); /* one bank only */
	assert_int_equal(lb_module_read(r.m, 0, 0x00, 250, buf, 8), LB_E_INVAL);
	assert_int_equal(lb_test_rig_stats(&r).transactions, 0);
	lb_test_rig_down(&r);
}

static void test_banked_select_writes_bank_and_page_together(void **state)
{
	(void)state;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "1600g-2xdr8-osfpxd", 1000, false);
	uint8_t buf[8], sel[2];
	assert_int_equal(lb_module_read(r.m, 0, 0x11, 128, buf, 4), LB_OK);
	lb_bus_reset_stats(r.bus);
	assert_int_equal(lb_module_read(r.m, 1, 0x11, 128, buf, 4), LB_OK);
	assert_int_equal(lb_emu_module_peek(r.emu, 0, 0, 126, sel, 2), LB_OK);
	assert_int_equal(sel[0], 1);
	assert_int_equal(sel[1], 0x11);
	assert_int_equal(lb_test_rig_stats(&r).select_writes, 1);
	/* unbanked page: PageSelect alone, BankSelect left as it is */
	assert_int_equal(lb_module_read(r.m, 0, 0x01, 128, buf, 4), LB_OK);
	assert_int_equal(lb_emu_module_peek(r.emu, 0, 0, 126, sel, 2), LB_OK);
	assert_int_equal(sel[1], 0x01);
	assert_int_equal(lb_test_rig_stats(&r).select_writes, 2);
	assert_int_equal(lb_test_rig_stats(&r).bytes, 4 + 2 + 4 + 1);
	lb_test_rig_down(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_select_written_twice),
		cmocka_unit_test(test_error_invalidates_cache),
		cmocka_unit_test(test_full_page_read_in_one_transaction_and_its_time),
		cmocka_unit_test(test_eight_byte_reads_without_full_page_advertisement),
		cmocka_unit_test(test_unadvertised_page_refused_without_traffic),
		cmocka_unit_test(test_banked_select_writes_bank_and_page_together),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
