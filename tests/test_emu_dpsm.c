/* SPDX-License-Identifier: MIT */
/* Data paths: ApplyDPInit validation and every reject code, the OR rule, init/activation timing. */
#include "emu_fixture.h"

static uint8_t peek(struct emu_fx *fx, uint8_t bank, uint8_t page, uint8_t off)
{
	uint8_t v = 0;
	assert_int_equal(lb_emu_module_peek(fx->m, bank, page, off, &v, 1), LB_OK);
	return v;
}

/* ConfigStatus nibble of host lane (1-8) in bank */
static uint8_t cfg_status(struct emu_fx *fx, uint8_t bank, unsigned lane)
{
	uint8_t b = peek(fx, bank, 0x11, (uint8_t)(202 + (lane - 1) / 2));
	return (uint8_t)((lane - 1) % 2 ? b >> 4 : b & 0xF);
}

/* Power up with every lane held in DPDeinit; returns when ModuleReady. */
static void ready_held(struct emu_fx *fx, const char *profile)
{
	fx_open(fx, profile);
	struct lb_emu_timing t;
	lb_emu_module_get_timing(fx->m, &t);
	for (uint8_t b = 0; b < 2; b++) {
		if (lb_emu_module_peek(fx->m, b, 0x10, 128, (uint8_t[1]){ 0 }, 1) != LB_OK)
			continue;
		emu_sel(fx->s, b, 0x10);
		emu_wr1(fx->s, 128, 0xFF);
	}
	emu_wr1(fx->s, 26, 0x00);
	lb_emu_world_advance_ns(fx->w, t.module_pwr_up_ns);
	assert_int_equal(lb_emu_module_state(fx->m), 3);
	assert_int_equal(lb_emu_module_dp_state(fx->m, 1), 1);
}

static void stage(struct emu_fx *fx, uint8_t bank, const uint8_t cfg[8])
{
	emu_sel(fx->s, bank, 0x10);
	assert_int_equal(emu_wr(fx->s, 145, cfg, 8), LB_OK);
}

/* ApplyDPInit and wait for the result; checks 0xC while in progress. */
static void apply(struct emu_fx *fx, uint8_t bank, uint8_t mask)
{
	struct lb_emu_timing t;
	lb_emu_module_get_timing(fx->m, &t);
	emu_sel(fx->s, bank, 0x10);
	emu_wr1(fx->s, 143, mask);
	for (unsigned l = 1; l <= 8; l++)
		if (mask & (1u << (l - 1)))
			assert_int_equal(cfg_status(fx, bank, l), 0xC);
	lb_emu_world_advance_ns(fx->w, t.apply_ns);
}

static void test_apply_and_bring_up(void **state)
{
	(void)state;
	struct emu_fx fx;
	ready_held(&fx, EMU_PROFILE("coherent-800g-qsfpdd"));
	struct lb_emu_timing t;
	lb_emu_module_get_timing(fx.m, &t);
	uint8_t cfg[8] = { 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20 }; /* 400ZR, DP at lane 1 */
	stage(&fx, 0, cfg);
	emu_wr1(fx.s, 143, 0xFF);
	uint64_t t0 = lb_emu_world_now_ns(fx.w) - lb_emu_segment_last_xfer_ns(fx.s);
	lb_emu_world_advance_ns(fx.w, t.apply_ns - 2 * lb_emu_segment_last_xfer_ns(fx.s));
	assert_int_equal(cfg_status(&fx, 0, 1), 0xC); /* still ConfigInProgress */
	lb_emu_world_set_now_ns(fx.w, t0 + t.apply_ns);
	for (unsigned l = 1; l <= 8; l++)
		assert_int_equal(cfg_status(&fx, 0, l), 0x1);
	for (uint8_t l = 0; l < 8; l++)
		assert_int_equal(peek(&fx, 0, 0x11, (uint8_t)(206 + l)), 0x20); /* active set */
	assert_int_equal(peek(&fx, 0, 0x11, 235), 0xFF); /* DPInitPending */

	/* Tx disabled on the media lane: initialise, stop at DPInitialized */
	emu_wr1(fx.s, 130, 0x01);
	emu_wr1(fx.s, 128, 0x00);
	uint64_t t1 = lb_emu_world_now_ns(fx.w) - lb_emu_segment_last_xfer_ns(fx.s);
	assert_int_equal(lb_emu_module_dp_state(fx.m, 1), 2);
	assert_int_equal(peek(&fx, 0, 0x11, 235), 0x00); /* cleared in DPInit */
	lb_emu_world_set_now_ns(fx.w, t1 + t.dp_init_ns - 1);
	assert_int_equal(lb_emu_module_dp_state(fx.m, 8), 2);
	lb_emu_world_set_now_ns(fx.w, t1 + t.dp_init_ns);
	assert_int_equal(lb_emu_module_dp_state(fx.m, 8), 7);
	lb_emu_world_advance_ns(fx.w, 10000 * MS_NS);
	assert_int_equal(lb_emu_module_dp_state(fx.m, 1), 7);

	/* enable Tx: DPTxTurnOn, then DPActivated after the turn-on time */
	emu_wr1(fx.s, 130, 0x00);
	uint64_t t2 = lb_emu_world_now_ns(fx.w) - lb_emu_segment_last_xfer_ns(fx.s);
	assert_int_equal(lb_emu_module_dp_state(fx.m, 1), 5);
	lb_emu_world_set_now_ns(fx.w, t2 + t.dp_tx_turn_on_ns - 1);
	assert_int_equal(lb_emu_module_dp_state(fx.m, 1), 5);
	lb_emu_world_set_now_ns(fx.w, t2 + t.dp_tx_turn_on_ns);
	assert_int_equal(lb_emu_module_dp_state(fx.m, 1), 4);
	assert_int_equal(peek(&fx, 0, 0x11, 133) & 0x01, 0x01); /* OutputStatusTx valid */
	assert_int_equal(peek(&fx, 0, 0x11, 128), 0x44);
	assert_int_equal(emu_page_rd1(fx.s, 0, 0x11, 134), 0xFF); /* DPStateChanged latched */
	fx_close(&fx);
}

static void test_reject_invalid_appsel(void **state)
{
	(void)state;
	struct emu_fx fx;
	ready_held(&fx, EMU_PROFILE("coherent-800g-qsfpdd")); /* 6 applications */
	uint8_t cfg[8] = { 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90 };
	stage(&fx, 0, cfg);
	apply(&fx, 0, 0xFF);
	for (unsigned l = 1; l <= 8; l++)
		assert_int_equal(cfg_status(&fx, 0, l), 0x3);
	assert_int_equal(peek(&fx, 0, 0x11, 206), 0x10); /* active set unchanged */
	fx_close(&fx);
}

static void test_reject_invalid_lanes(void **state)
{
	(void)state;
	struct emu_fx fx;
	ready_held(&fx, EMU_PROFILE("coherent-800g-qsfpdd"));
	/* ZR200 (4 host lanes) may only start on lane 1: a DP on lanes 5-8 is invalid */
	uint8_t cfg[8] = { 0, 0, 0, 0, 0x58, 0x58, 0x58, 0x58 };
	stage(&fx, 0, cfg);
	apply(&fx, 0, 0xF0);
	for (unsigned l = 5; l <= 8; l++)
		assert_int_equal(cfg_status(&fx, 0, l), 0x4);
	/* 800ZR (8 host lanes) staged on four lanes only */
	uint8_t half[8] = { 0x10, 0x10, 0x10, 0x10, 0, 0, 0, 0 };
	stage(&fx, 0, half);
	apply(&fx, 0, 0x0F);
	assert_int_equal(cfg_status(&fx, 0, 1), 0x4);
	/* DataPathID not the first lane */
	uint8_t badid[8] = { 0x12, 0x12, 0x12, 0x12, 0x12, 0x12, 0x12, 0x12 };
	stage(&fx, 0, badid);
	apply(&fx, 0, 0xFF);
	assert_int_equal(cfg_status(&fx, 0, 8), 0x4);
	fx_close(&fx);
}

static void test_reject_partial_dp(void **state)
{
	(void)state;
	struct emu_fx fx;
	ready_held(&fx, EMU_PROFILE("coherent-800g-qsfpdd"));
	uint8_t cfg[8] = { 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30 };
	stage(&fx, 0, cfg);
	apply(&fx, 0, 0x0F); /* only half of the 8-lane data path */
	for (unsigned l = 1; l <= 4; l++)
		assert_int_equal(cfg_status(&fx, 0, l), 0x7);
	assert_int_equal(cfg_status(&fx, 0, 5), 0x0); /* not addressed */
	fx_close(&fx);
}

static void test_reject_in_use_and_busy(void **state)
{
	(void)state;
	struct emu_fx fx;
	ready_held(&fx, EMU_PROFILE("800g-dr8-osfp"));
	emu_sel(fx.s, 0, 0x10);
	emu_wr1(fx.s, 128, 0x00); /* the default 800G-DR8 DP initialises */
	assert_int_equal(lb_emu_module_dp_state(fx.m, 1), 2);
	uint8_t cfg[8] = { 0x20, 0x20, 0x20, 0x20, 0x28, 0x28, 0x28, 0x28 };
	stage(&fx, 0, cfg);
	emu_wr1(fx.s, 143, 0xFF);
	emu_wr1(fx.s, 143, 0xFF); /* ignored while ConfigInProgress */
	struct lb_emu_timing t;
	lb_emu_module_get_timing(fx.m, &t);
	lb_emu_world_advance_ns(fx.w, t.apply_ns);
	for (unsigned l = 1; l <= 8; l++)
		assert_int_equal(cfg_status(&fx, 0, l), 0x6);
	/* a multi-byte write covering the Apply byte does not apply */
	emu_wr1(fx.s, 128, 0xFF);
	lb_emu_world_advance_ns(fx.w, 1000 * MS_NS);
	assert_int_equal(lb_emu_module_dp_state(fx.m, 1), 1);
	uint8_t two[2] = { 0xFF, 0x00 };
	assert_int_equal(emu_wr(fx.s, 143, two, 2), LB_OK);
	lb_emu_world_advance_ns(fx.w, t.apply_ns);
	assert_int_equal(cfg_status(&fx, 0, 1), 0x6);
	/* single-byte: two 400G-DR4 data paths */
	apply(&fx, 0, 0xFF);
	for (unsigned l = 1; l <= 8; l++)
		assert_int_equal(cfg_status(&fx, 0, l), 0x1);
	assert_int_equal(peek(&fx, 0, 0x11, 213), 0x28);
	fx_close(&fx);
}

static void test_or_rule_and_two_dps(void **state)
{
	(void)state;
	struct emu_fx fx;
	ready_held(&fx, EMU_PROFILE("800g-dr8-osfp"));
	uint8_t cfg[8] = { 0x20, 0x20, 0x20, 0x20, 0x28, 0x28, 0x28, 0x28 }; /* 2x 400G-DR4 */
	stage(&fx, 0, cfg);
	apply(&fx, 0, 0xFF);
	emu_wr1(fx.s, 128, 0x00);
	lb_emu_world_advance_ns(fx.w, 2000 * MS_NS);
	for (unsigned l = 1; l <= 8; l++)
		assert_int_equal(lb_emu_module_dp_state(fx.m, l), 4);
	/* OutputDisableTx on one media lane (6) takes its whole DP (lanes 5-8) down, not the other */
	emu_wr1(fx.s, 130, 0x20);
	assert_int_equal(lb_emu_module_dp_state(fx.m, 5), 6);
	assert_int_equal(lb_emu_module_dp_state(fx.m, 8), 6);
	assert_int_equal(lb_emu_module_dp_state(fx.m, 1), 4);
	lb_emu_world_advance_ns(fx.w, 100 * MS_NS);
	assert_int_equal(lb_emu_module_dp_state(fx.m, 5), 7);
	assert_int_equal(lb_emu_module_dp_state(fx.m, 7), 7);
	/* DPDeinit on one lane (2) deinitialises the first DP */
	emu_wr1(fx.s, 128, 0x02);
	assert_int_equal(lb_emu_module_dp_state(fx.m, 1), 6);
	lb_emu_world_advance_ns(fx.w, 100 * MS_NS);
	assert_int_equal(lb_emu_module_dp_state(fx.m, 4), 1);
	assert_int_equal(lb_emu_module_dp_state(fx.m, 5), 7);
	/* clear both: everything comes back */
	emu_wr1(fx.s, 128, 0x00);
	emu_wr1(fx.s, 130, 0x00);
	lb_emu_world_advance_ns(fx.w, 2000 * MS_NS);
	for (unsigned l = 1; l <= 8; l++)
		assert_int_equal(lb_emu_module_dp_state(fx.m, l), 4);
	fx_close(&fx);
}

static void test_breakout_and_release(void **state)
{
	(void)state;
	struct emu_fx fx;
	ready_held(&fx, EMU_PROFILE("800g-dr8-osfp"));
	uint8_t cfg[8];
	for (unsigned l = 0; l < 8; l++)
		cfg[l] = (uint8_t)(0x30 | l << 1); /* 8x 100G-DR, one DP per lane */
	stage(&fx, 0, cfg);
	apply(&fx, 0, 0xFF);
	for (unsigned l = 1; l <= 8; l++)
		assert_int_equal(cfg_status(&fx, 0, l), 0x1);
	emu_wr1(fx.s, 128, 0xFE); /* only lane 1 initialises */
	lb_emu_world_advance_ns(fx.w, 2000 * MS_NS);
	assert_int_equal(lb_emu_module_dp_state(fx.m, 1), 4);
	assert_int_equal(lb_emu_module_dp_state(fx.m, 2), 1);
	/* release lane 2 (AppSel 0) */
	cfg[1] = 0;
	stage(&fx, 0, cfg);
	apply(&fx, 0, 0x02);
	assert_int_equal(cfg_status(&fx, 0, 2), 0x1);
	assert_int_equal(peek(&fx, 0, 0x11, 207), 0x00);
	/* releasing an active lane: in use */
	cfg[0] = 0;
	stage(&fx, 0, cfg);
	apply(&fx, 0, 0x01);
	assert_int_equal(cfg_status(&fx, 0, 1), 0x6);
	fx_close(&fx);
}

static void test_second_bank(void **state)
{
	(void)state;
	struct emu_fx fx;
	ready_held(&fx, EMU_PROFILE("1600g-2xdr8-osfpxd"));
	uint8_t cfg[8] = { 0x20, 0x20, 0x20, 0x20, 0x28, 0x28, 0x28, 0x28 };
	stage(&fx, 1, cfg);
	apply(&fx, 1, 0xFF);
	assert_int_equal(cfg_status(&fx, 1, 5), 0x1);
	assert_int_equal(cfg_status(&fx, 0, 5), 0x0);
	emu_wr1(fx.s, 128, 0x00); /* bank 1 lanes 9-16 */
	lb_emu_world_advance_ns(fx.w, 3000 * MS_NS);
	assert_int_equal(lb_emu_module_dp_state(fx.m, 9), 4);
	assert_int_equal(lb_emu_module_dp_state(fx.m, 16), 4);
	assert_int_equal(lb_emu_module_dp_state(fx.m, 1), 1);
	assert_int_equal(peek(&fx, 1, 0x11, 210), 0x28);
	assert_int_equal(lb_emu_module_dp_state(fx.m, 17), LB_E_RANGE);
	/* leaving Ready: all DPs down before ModulePwrDn */
	emu_wr1(fx.s, 26, 0x10);
	assert_int_equal(lb_emu_module_state(fx.m), 3);
	lb_emu_world_advance_ns(fx.w, 100 * MS_NS);
	assert_int_equal(lb_emu_module_dp_state(fx.m, 9), 1);
	assert_int_equal(lb_emu_module_state(fx.m), 4);
	fx_close(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_apply_and_bring_up),
		cmocka_unit_test(test_reject_invalid_appsel),
		cmocka_unit_test(test_reject_invalid_lanes),
		cmocka_unit_test(test_reject_partial_dp),
		cmocka_unit_test(test_reject_in_use_and_busy),
		cmocka_unit_test(test_or_rule_and_two_dps),
		cmocka_unit_test(test_breakout_and_release),
		cmocka_unit_test(test_second_bank),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
