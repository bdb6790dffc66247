/* SPDX-License-Identifier: MIT */
/* Fault injection, hot removal/insertion, and monitor flags against the page 02h thresholds. */
#include "emu_fixture.h"

static void test_nack_count(void **state)
{
	(void)state;
	struct emu_fx fx;
	fx_open(&fx, EMU_PROFILE("coherent-800g-qsfpdd"));
	uint8_t v;
	assert_int_equal(lb_emu_module_inject(fx.m, LB_EMU_FAULT_NACK, 2), LB_OK);
	assert_int_equal(emu_rd(fx.s, 0, &v, 1), LB_E_NACK); /* one transaction, two messages */
	assert_int_equal(emu_rd(fx.s, 0, &v, 1), LB_E_NACK);
	assert_int_equal(emu_rd(fx.s, 0, &v, 1), LB_OK);
	assert_int_equal(v, 0x18);
	/* a NACKed address costs only its address byte on the wire: START + 9 + STOP */
	assert_int_equal(lb_emu_module_inject(fx.m, LB_EMU_FAULT_NACK, 1), LB_OK);
	assert_int_equal(emu_rd(fx.s, 0, &v, 1), LB_E_NACK);
	assert_int_equal(lb_emu_segment_last_xfer_ns(fx.s), 11u * 2500u);
	assert_int_equal(lb_emu_module_inject(fx.m, (enum lb_emu_fault)99, 1), LB_E_INVAL);
	fx_close(&fx);
}

static void test_short_read(void **state)
{
	(void)state;
	struct emu_fx fx;
	fx_open(&fx, EMU_PROFILE("coherent-800g-qsfpdd"));
	uint8_t buf[8], want[8];
	assert_int_equal(lb_emu_module_peek(fx.m, 0, 0, 0, want, 8), LB_OK);
	assert_int_equal(lb_emu_module_inject(fx.m, LB_EMU_FAULT_SHORT, 1), LB_OK);
	assert_int_equal(emu_rd(fx.s, 0, buf, 8), LB_E_SHORT);
	assert_memory_equal(buf, want, 4);
	assert_int_equal(buf[4] & buf[5] & buf[6] & buf[7], 0xFF);
	assert_int_equal(emu_rd(fx.s, 0, buf, 8), LB_OK);
	assert_memory_equal(buf, want, 8);
	fx_close(&fx);
}

static void test_module_fault(void **state)
{
	(void)state;
	struct emu_fx fx;
	fx_open(&fx, EMU_PROFILE("400g-fr4-qsfpdd"));
	emu_wr1(fx.s, 26, 0x00);
	lb_emu_world_advance_ns(fx.w, 2000 * MS_NS);
	assert_int_equal(lb_emu_module_dp_state(fx.m, 1), 4);
	(void)emu_rd1(fx.s, 8);
	assert_int_equal(lb_emu_module_inject(fx.m, LB_EMU_FAULT_MODULE_FAULT, 4), LB_OK);
	assert_int_equal(emu_host_state(fx.s), 5);
	assert_int_equal(emu_rd1(fx.s, 41), 4); /* transmitter fault */
	assert_int_equal(emu_rd1(fx.s, 8) & 1, 1);
	assert_int_equal(lb_emu_module_dp_state(fx.m, 1), 1);
	emu_wr1(fx.s, 26, 0x10); /* no way out but reset */
	lb_emu_world_advance_ns(fx.w, 2000 * MS_NS);
	assert_int_equal(emu_host_state(fx.s), 5);
	emu_wr1(fx.s, 26, 0x08);
	lb_emu_world_advance_ns(fx.w, 300 * MS_NS);
	assert_int_equal(emu_host_state(fx.s), 1);
	assert_int_equal(emu_rd1(fx.s, 41), 0);
	fx_close(&fx);
}

static void test_checksum_and_stuck(void **state)
{
	(void)state;
	struct emu_fx fx;
	fx_open(&fx, EMU_PROFILE("coherent-800g-qsfpdd"));
	uint8_t before = emu_page_rd1(fx.s, 0, 0x00, 222);
	assert_int_equal(lb_emu_module_inject(fx.m, LB_EMU_FAULT_CHECKSUM, 1), LB_OK);
	assert_int_equal(emu_rd1(fx.s, 222), (uint8_t)~before);
	uint8_t v;
	assert_int_equal(lb_emu_module_inject(fx.m, LB_EMU_FAULT_STUCK_BUSY, 1), LB_OK);
	for (int i = 0; i < 5; i++)
		assert_int_equal(emu_rd(fx.s, 0, &v, 1), LB_E_NACK);
	lb_emu_world_advance_ns(fx.w, 10000 * MS_NS);
	assert_int_equal(emu_rd(fx.s, 0, &v, 1), LB_E_NACK);
	assert_int_equal(lb_emu_module_inject(fx.m, LB_EMU_FAULT_STUCK_BUSY, 0), LB_OK);
	assert_int_equal(emu_rd(fx.s, 0, &v, 1), LB_OK);
	fx_close(&fx);
}

static void test_hot_removal(void **state)
{
	(void)state;
	struct emu_fx fx;
	fx_open(&fx, EMU_PROFILE("800g-dr8-osfp"));
	emu_wr1(fx.s, 26, 0x00);
	emu_wr1(fx.s, 31, 0x11);
	lb_emu_world_advance_ns(fx.w, 3000 * MS_NS);
	assert_int_equal(lb_emu_module_dp_state(fx.m, 1), 4);
	assert_int_equal(lb_emu_module_present(fx.m), 1);
	lb_emu_module_remove(fx.m);
	assert_int_equal(lb_emu_module_present(fx.m), 0);
	uint8_t v;
	assert_int_equal(emu_rd(fx.s, 0, &v, 1), LB_E_NACK);
	assert_int_equal(lb_emu_module_intl(fx.m), 0);
	lb_emu_world_advance_ns(fx.w, 1000 * MS_NS);
	lb_emu_module_insert(fx.m);
	assert_int_equal(lb_emu_module_present(fx.m), 1);
	assert_int_equal(emu_rd(fx.s, 0, &v, 1), LB_E_NACK); /* management init */
	lb_emu_world_advance_ns(fx.w, 800 * MS_NS);
	assert_int_equal(emu_rd1(fx.s, 3), 0x03); /* power-on: LowPwr (pin asserted) */
	assert_int_equal(emu_rd1(fx.s, 31), 0x00);
	assert_int_equal(lb_emu_module_dp_state(fx.m, 1), 1);
	fx_close(&fx);
}

static void test_monitor_flags(void **state)
{
	(void)state;
	struct emu_fx fx;
	fx_open(&fx, EMU_PROFILE("coherent-800g-qsfpdd"));
	assert_int_equal(lb_emu_module_intl(fx.m), 0);
	assert_int_equal(lb_emu_module_set_monitor(fx.m, LB_EMU_MON_TEMPERATURE_C, 0, 77.0), LB_OK);
	uint8_t t[2];
	assert_int_equal(emu_rd(fx.s, 14, t, 2), LB_OK);
	assert_int_equal(t[0], 77);
	assert_int_equal(lb_emu_module_intl(fx.m), 1);          /* high warning, unmasked */
	assert_int_equal(emu_rd1(fx.s, 3) & 1, 0);               /* InterruptDeasserted = 0 */
	assert_int_equal(emu_rd1(fx.s, 9), 0x04);                /* temp high warning */
	assert_int_equal(emu_rd1(fx.s, 9), 0x04);                /* still above: latched again */
	assert_int_equal(lb_emu_module_set_monitor(fx.m, LB_EMU_MON_TEMPERATURE_C, 0, 90.0), LB_OK);
	assert_int_equal(emu_rd1(fx.s, 9), 0x05);                /* + high alarm */
	assert_int_equal(lb_emu_module_set_monitor(fx.m, LB_EMU_MON_TEMPERATURE_C, 0, 40.0), LB_OK);
	assert_int_equal(emu_rd1(fx.s, 9), 0x05);                /* latched until read */
	assert_int_equal(emu_rd1(fx.s, 9), 0x00);
	assert_int_equal(lb_emu_module_intl(fx.m), 0);
	/* masked flags do not assert IntL */
	emu_wr1(fx.s, 32, 0x0F);
	assert_int_equal(lb_emu_module_set_monitor(fx.m, LB_EMU_MON_TEMPERATURE_C, 0, -10.0), LB_OK);
	assert_int_equal(lb_emu_module_intl(fx.m), 0);
	assert_int_equal(emu_rd1(fx.s, 9), 0x0A);                /* low alarm + low warning */
	assert_int_equal(lb_emu_module_set_monitor(fx.m, LB_EMU_MON_VCC_V, 0, 3.0), LB_OK);
	assert_int_equal(emu_rd1(fx.s, 9) & 0xF0, 0x80);         /* Vcc low warning */

	/* lane monitors: Rx power low alarm on media lane 1 (page 11h:149) */
	assert_int_equal(lb_emu_module_set_monitor(fx.m, LB_EMU_MON_RX_POWER_MW, 1, 0.001), LB_OK);
	assert_int_equal(emu_rd1(fx.s, 4) & 1, 1); /* bank 0 page 11h flag summary */
	emu_sel(fx.s, 0, 0x11);
	uint8_t rx[2];
	assert_int_equal(emu_rd(fx.s, 186, rx, 2), LB_OK);
	assert_int_equal(rx[0] << 8 | rx[1], 10); /* 1 uW in 0.1 uW */
	assert_int_equal(emu_rd1(fx.s, 149), 0x00); /* Rx power HA */
	assert_int_equal(emu_rd1(fx.s, 150), 0x01); /* Rx power LA lane 1 */
	assert_int_equal(emu_rd1(fx.s, 152), 0x01); /* Rx power LW lane 1 */
	assert_int_equal(lb_emu_module_set_monitor(fx.m, LB_EMU_MON_TX_BIAS_MA, 1, 240.0), LB_OK);
	assert_int_equal(emu_rd1(fx.s, 145), 0x01); /* Tx bias HW lane 1 */
	uint8_t bias[2];
	assert_int_equal(emu_rd(fx.s, 170, bias, 2), LB_OK);
	assert_int_equal(bias[0] << 8 | bias[1], 60000); /* 240 mA / (2 uA x 2) */
	assert_int_equal(lb_emu_module_set_monitor(fx.m, LB_EMU_MON_RX_POWER_MW, 9, 1.0), LB_E_RANGE);
	assert_int_equal(lb_emu_module_set_monitor(fx.m, LB_EMU_MON_TEMPERATURE_C, 1, 1.0), LB_E_INVAL);
	fx_close(&fx);
}

/*
 * A module pulled off its segment keeps its state; another attached at its place answers
 * instead (a swap the host did not see); the first, attached again, answers as it was.
 */
static void test_detach_and_swap(void **state)
{
	(void)state;
	struct emu_fx fx;
	fx_open(&fx, EMU_PROFILE("400g-fr4-qsfpdd"));
	char err[256] = "";
	struct lb_emu_module *other;
	assert_int_equal(lb_emu_module_create(fx.w, EMU_PROFILE("400g-fr4-qsfpdd"), &other, err,
					      sizeof(err)), LB_OK);
	emu_wr1(fx.s, 127, 0x11); /* the first module on page 11h */
	assert_int_equal(lb_emu_segment_detach(fx.m), LB_OK);
	assert_int_equal(lb_emu_segment_detach(fx.m), LB_E_NOTFOUND);
	assert_int_equal(lb_emu_segment_detach(NULL), LB_E_INVAL);
	uint8_t v;
	assert_int_equal(emu_rd(fx.s, 127, &v, 1), LB_E_NACK); /* nobody there */
	assert_int_equal(lb_emu_segment_attach(fx.s, -1, 0x50, other), LB_OK);
	assert_int_equal(emu_rd1(fx.s, 127), 0x00); /* the other one: page 00h */
	lb_emu_world_advance_ns(fx.w, 100 * MS_NS);
	assert_int_equal(lb_emu_segment_detach(other), LB_OK);
	assert_int_equal(lb_emu_segment_attach(fx.s, -1, 0x50, fx.m), LB_OK);
	assert_int_equal(emu_rd1(fx.s, 127), 0x11); /* back, as it was */
	fx_close(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nack_count),
		cmocka_unit_test(test_short_read),
		cmocka_unit_test(test_module_fault),
		cmocka_unit_test(test_checksum_and_stuck),
		cmocka_unit_test(test_hot_removal),
		cmocka_unit_test(test_monitor_flags),
		cmocka_unit_test(test_detach_and_swap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
