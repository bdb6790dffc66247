/* SPDX-License-Identifier: MIT */
/* Module state machine on the virtual clock: power up/down timing, LowPwrS, pins, reset. */
#include "emu_fixture.h"

static void run_to(struct emu_fx *fx, uint64_t t)
{
	uint64_t now = lb_emu_world_now_ns(fx->w);
	assert_true(t >= now);
	lb_emu_world_advance_ns(fx->w, t - now);
}

static void test_starts_low_power(void **state)
{
	(void)state;
	struct emu_fx fx;
	fx_open(&fx, EMU_PROFILE("coherent-800g-qsfpdd"));
	assert_int_equal(emu_rd1(fx.s, 3), 0x03); /* ModuleLowPwr, IntL not asserted */
	assert_int_equal(emu_rd1(fx.s, 26), 0x40); /* LowPwrAllowRequestHW, pin asserted */
	assert_int_equal(lb_emu_module_state(fx.m), 1);
	lb_emu_world_advance_ns(fx.w, 60ull * 1000 * MS_NS);
	assert_int_equal(emu_host_state(fx.s), 1); /* stays while LowPwrS holds */
	assert_int_equal(lb_emu_module_dp_state(fx.m, 1), 1);
	fx_close(&fx);
}

static void test_power_up_down_timing(void **state)
{
	(void)state;
	struct emu_fx fx;
	fx_open(&fx, EMU_PROFILE("coherent-800g-qsfpdd"));
	struct lb_emu_timing t;
	lb_emu_module_get_timing(fx.m, &t);
	assert_int_equal(t.module_pwr_up_ns, 1500 * MS_NS);
	assert_int_equal(t.dp_init_ns, 6000 * MS_NS);

	emu_sel(fx.s, 0, 0x10);
	emu_wr1(fx.s, 128, 0xFF); /* DPDeinit all lanes first, as hosts do */
	emu_wr1(fx.s, 26, 0x00);  /* clear 26.6: LowPwrS false */
	uint64_t t0 = lb_emu_world_now_ns(fx.w) - lb_emu_segment_last_xfer_ns(fx.s);
	assert_int_equal(lb_emu_module_state(fx.m), 2); /* ModulePwrUp */
	run_to(&fx, t0 + t.module_pwr_up_ns - 1);
	assert_int_equal(lb_emu_module_state(fx.m), 2);
	run_to(&fx, t0 + t.module_pwr_up_ns);
	assert_int_equal(lb_emu_module_state(fx.m), 3); /* ModuleReady exactly on time */
	assert_int_equal(emu_rd1(fx.s, 8) & 1, 1);       /* ModuleStateChanged */
	assert_int_equal(lb_emu_module_dp_state(fx.m, 1), 1); /* DPDeinit held */

	/* request low power in software: PwrDn then LowPwr */
	emu_wr1(fx.s, 26, 0x10);
	uint64_t t1 = lb_emu_world_now_ns(fx.w) - lb_emu_segment_last_xfer_ns(fx.s);
	assert_int_equal(lb_emu_module_state(fx.m), 4);
	run_to(&fx, t1 + t.module_pwr_dn_ns - 1);
	assert_int_equal(lb_emu_module_state(fx.m), 4);
	run_to(&fx, t1 + t.module_pwr_dn_ns);
	assert_int_equal(lb_emu_module_state(fx.m), 1);
	fx_close(&fx);
}

static void test_lpmode_pin(void **state)
{
	(void)state;
	struct emu_fx fx;
	fx_open(&fx, EMU_PROFILE("400g-fr4-qsfpdd"));
	lb_emu_module_set_lpmode(fx.m, 0); /* LowPwrS = 26.4 | (26.6 & pin) = 0 */
	assert_int_equal(lb_emu_module_state(fx.m), 2);
	lb_emu_world_advance_ns(fx.w, 60 * MS_NS);
	assert_int_equal(lb_emu_module_state(fx.m), 3);
	/* pin asserted again, 26.6 still 1: the DPs (auto-initialised) go down first, then PwrDn */
	lb_emu_world_advance_ns(fx.w, 1000 * MS_NS);
	assert_int_equal(lb_emu_module_dp_state(fx.m, 1), 4);
	lb_emu_module_set_lpmode(fx.m, 1);
	assert_int_equal(lb_emu_module_state(fx.m), 3);
	assert_int_equal(lb_emu_module_dp_state(fx.m, 1), 6); /* DPTxTurnOff */
	lb_emu_world_advance_ns(fx.w, 6 * MS_NS);              /* TxTurnOff 6 ms */
	assert_int_equal(lb_emu_module_dp_state(fx.m, 1), 3); /* DPDeinit */
	lb_emu_world_advance_ns(fx.w, 15 * MS_NS);
	assert_int_equal(lb_emu_module_dp_state(fx.m, 1), 1);
	assert_int_equal(lb_emu_module_state(fx.m), 4);
	lb_emu_world_advance_ns(fx.w, 20 * MS_NS);
	assert_int_equal(lb_emu_module_state(fx.m), 1);
	/* with 26.6 cleared the pin is ignored */
	emu_wr1(fx.s, 26, 0x00);
	assert_int_equal(lb_emu_module_state(fx.m), 2);
	fx_close(&fx);
}

static void test_software_reset(void **state)
{
	(void)state;
	struct emu_fx fx;
	fx_open(&fx, EMU_PROFILE("coherent-800g-qsfpdd"));
	emu_wr1(fx.s, 26, 0x00);
	emu_wr1(fx.s, 31, 0x77);
	lb_emu_world_advance_ns(fx.w, 2000 * MS_NS);
	assert_int_equal(lb_emu_module_state(fx.m), 3);
	emu_wr1(fx.s, 26, 0x08); /* SoftwareReset */
	uint8_t v;
	assert_int_equal(emu_rd(fx.s, 0, &v, 1), LB_E_NACK);
	assert_int_equal(lb_emu_module_state(fx.m), 0);
	lb_emu_world_advance_ns(fx.w, 1499 * MS_NS);
	assert_int_equal(emu_rd(fx.s, 0, &v, 1), LB_E_NACK);
	lb_emu_world_advance_ns(fx.w, 1 * MS_NS);
	assert_int_equal(emu_rd1(fx.s, 3), 0x03);  /* back in LowPwr (pin asserted, 26.6 = 1) */
	assert_int_equal(emu_rd1(fx.s, 26), 0x40); /* power-on defaults */
	assert_int_equal(emu_rd1(fx.s, 31), 0x00);
	assert_int_equal(lb_emu_module_dp_state(fx.m, 1), 1);
	fx_close(&fx);
}

static void test_resetl_pin(void **state)
{
	(void)state;
	struct emu_fx fx;
	fx_open(&fx, EMU_PROFILE("400g-fr4-qsfpdd"));
	lb_emu_module_set_resetl(fx.m, 1);
	uint8_t v;
	assert_int_equal(emu_rd(fx.s, 0, &v, 1), LB_E_NACK);
	lb_emu_world_advance_ns(fx.w, 5000 * MS_NS);
	assert_int_equal(emu_rd(fx.s, 0, &v, 1), LB_E_NACK); /* held while asserted */
	lb_emu_module_set_resetl(fx.m, 0);
	lb_emu_world_advance_ns(fx.w, 300 * MS_NS);
	assert_int_equal(emu_rd1(fx.s, 0), 0x18);
	assert_int_equal(emu_host_state(fx.s), 1);
	fx_close(&fx);
}

static void test_clock_drives_world(void **state)
{
	(void)state;
	struct emu_fx fx;
	fx_open(&fx, EMU_PROFILE("800g-dr8-osfp"));
	struct lb_clock c = lb_emu_world_clock(fx.w);
	emu_wr1(fx.s, 26, 0x00);
	uint64_t t0 = c.now_ns(c.user);
	c.sleep_ns(c.user, 250 * MS_NS);
	assert_int_equal(c.now_ns(c.user), t0 + 250 * MS_NS);
	assert_int_equal(lb_emu_module_state(fx.m), 3);
	lb_emu_world_set_now_ns(fx.w, 10); /* never backwards */
	assert_int_equal(lb_emu_world_now_ns(fx.w), t0 + 250 * MS_NS);
	lb_emu_world_set_now_ns(fx.w, t0 + 10000 * MS_NS);
	assert_int_equal(lb_emu_module_dp_state(fx.m, 8), 4); /* the timers ran */
	fx_close(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_starts_low_power),
		cmocka_unit_test(test_power_up_down_timing),
		cmocka_unit_test(test_lpmode_pin),
		cmocka_unit_test(test_software_reset),
		cmocka_unit_test(test_resetl_pin),
		cmocka_unit_test(test_clock_drives_world),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
