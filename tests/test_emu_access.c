/* SPDX-License-Identifier: MIT */
/* Emulator access rules over the wire: RO/RW/WO/COR, page select, wrap, lengths, NACK, mux, wire time. */
#include "emu_fixture.h"

static void test_read_only_ignored(void **state)
{
	(void)state;
	struct emu_fx fx;
	fx_open(&fx, EMU_PROFILE("coherent-800g-qsfpdd"));
	assert_int_equal(emu_rd1(fx.s, 0), 0x18);
	emu_wr1(fx.s, 0, 0x55); /* identifier: read-only, the write is ACKed and ignored */
	assert_int_equal(emu_rd1(fx.s, 0), 0x18);
	emu_sel(fx.s, 0, 0x00);
	uint8_t before = emu_rd1(fx.s, 130);
	emu_wr1(fx.s, 130, (uint8_t)~before);
	assert_int_equal(emu_rd1(fx.s, 130), before);
	emu_sel(fx.s, 0, 0x11); /* lane status: read-only */
	uint8_t st = emu_rd1(fx.s, 128);
	emu_wr1(fx.s, 128, 0x44);
	assert_int_equal(emu_rd1(fx.s, 128), st);
	fx_close(&fx);
}

static void test_read_write(void **state)
{
	(void)state;
	struct emu_fx fx;
	fx_open(&fx, EMU_PROFILE("coherent-800g-qsfpdd"));
	emu_wr1(fx.s, 31, 0x5A); /* module masks */
	assert_int_equal(emu_rd1(fx.s, 31), 0x5A);
	emu_sel(fx.s, 0, 0x10);
	emu_wr1(fx.s, 130, 0x01); /* OutputDisableTx */
	assert_int_equal(emu_rd1(fx.s, 130), 0x01);
	uint8_t cfg[8] = { 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20 };
	assert_int_equal(emu_wr(fx.s, 145, cfg, 8), LB_OK); /* 8-byte write: allowed */
	uint8_t back[8];
	assert_int_equal(emu_rd(fx.s, 145, back, 8), LB_OK);
	assert_memory_equal(back, cfg, 8);
	fx_close(&fx);
}

static void test_write_only_reads_zero(void **state)
{
	(void)state;
	struct emu_fx fx;
	fx_open(&fx, EMU_PROFILE("coherent-800g-qsfpdd"));
	uint8_t pw[4] = { 0x00, 0x00, 0x10, 0x11 };
	assert_int_equal(emu_wr(fx.s, 122, pw, 4), LB_OK);
	uint8_t back[4];
	assert_int_equal(emu_rd(fx.s, 122, back, 4), LB_OK);
	assert_int_equal(back[0] | back[1] | back[2] | back[3], 0);
	emu_sel(fx.s, 0, 0x10);
	emu_wr1(fx.s, 143, 0x00); /* ApplyDPInit with no lanes */
	assert_int_equal(emu_rd1(fx.s, 143), 0);
	fx_close(&fx);
}

static void test_clear_on_read(void **state)
{
	(void)state;
	struct emu_fx fx;
	fx_open(&fx, EMU_PROFILE("400g-fr4-qsfpdd"));
	assert_int_equal(emu_rd1(fx.s, 8), 0x00);
	emu_wr1(fx.s, 26, 0x00); /* leave low power: LowPwr -> PwrUp latches 8.0 */
	assert_int_equal(emu_rd1(fx.s, 8) & 0x01, 0x01);
	assert_int_equal(emu_rd1(fx.s, 8) & 0x01, 0x00); /* cleared by the read */
	/* peek has no side effects */
	lb_emu_world_advance_ns(fx.w, 100 * MS_NS); /* PwrUp -> Ready, DPs start */
	uint8_t v1, v2;
	assert_int_equal(lb_emu_module_peek(fx.m, 0, 0x11, 134, &v1, 1), LB_OK);
	assert_int_equal(lb_emu_module_peek(fx.m, 0, 0x11, 134, &v2, 1), LB_OK);
	assert_int_equal(v1, 0xFF);
	assert_int_equal(v2, 0xFF);
	assert_int_equal(emu_page_rd1(fx.s, 0, 0x11, 134), 0xFF); /* DPStateChanged, all lanes */
	assert_int_equal(emu_rd1(fx.s, 134), 0x00);
	fx_close(&fx);
}

static void test_unsupported_page(void **state)
{
	(void)state;
	struct emu_fx fx;
	fx_open(&fx, EMU_PROFILE("400g-fr4-qsfpdd"));
	uint8_t p00[8], up[8];
	assert_int_equal(lb_emu_module_peek(fx.m, 0, 0x00, 128, p00, 8), LB_OK);
	emu_wr1(fx.s, 127, 0x04); /* not tunable: page 04h absent */
	assert_int_equal(emu_rd1(fx.s, 127), 0x00); /* PageSelect cleared */
	assert_int_equal(emu_rd(fx.s, 128, up, 8), LB_OK);
	assert_memory_equal(up, p00, 8); /* upper memory shows page 00h */
	uint8_t tmp;
	assert_int_equal(lb_emu_module_peek(fx.m, 0, 0x04, 128, &tmp, 1), LB_E_NOTFOUND);
	/* bank 1 of a one-bank module: PageSelect cleared, BankSelect kept as written */
	emu_sel(fx.s, 1, 0x11);
	assert_int_equal(emu_rd1(fx.s, 126), 0x01);
	assert_int_equal(emu_rd1(fx.s, 127), 0x00);
	/* an unbanked page ignores BankSelect */
	emu_sel(fx.s, 1, 0x01);
	assert_int_equal(emu_rd1(fx.s, 127), 0x01);
	fx_close(&fx);
}

static void test_banked_pages(void **state)
{
	(void)state;
	struct emu_fx fx;
	fx_open(&fx, EMU_PROFILE("1600g-2xdr8-osfpxd"));
	emu_sel(fx.s, 1, 0x10);
	assert_int_equal(emu_rd1(fx.s, 127), 0x10);
	assert_int_equal(emu_rd1(fx.s, 126), 0x01);
	emu_wr1(fx.s, 130, 0x0F);
	emu_sel(fx.s, 0, 0x10);
	assert_int_equal(emu_rd1(fx.s, 130), 0x00); /* bank 0 untouched */
	uint8_t v;
	assert_int_equal(lb_emu_module_peek(fx.m, 1, 0x10, 130, &v, 1), LB_OK);
	assert_int_equal(v, 0x0F);
	assert_int_equal(lb_emu_module_peek(fx.m, 2, 0x10, 130, &v, 1), LB_E_NOTFOUND);
	/* BankSelect alone does not switch until PageSelect is written */
	emu_wr1(fx.s, 126, 1);
	assert_int_equal(emu_rd1(fx.s, 130), 0x00);
	emu_wr1(fx.s, 127, 0x10);
	assert_int_equal(emu_rd1(fx.s, 130), 0x0F);
	fx_close(&fx);
}

static void test_sequential_wrap(void **state)
{
	(void)state;
	struct emu_fx fx;
	fx_open(&fx, EMU_PROFILE("coherent-800g-qsfpdd"));
	uint8_t buf[4], lower[128], p00[128];
	assert_int_equal(lb_emu_module_peek(fx.m, 0, 0, 0, lower, 128), LB_OK);
	assert_int_equal(lb_emu_module_peek(fx.m, 0, 0, 128, p00, 128), LB_OK);
	emu_sel(fx.s, 0, 0x00);
	lower[126] = 0;
	lower[127] = 0;
	assert_int_equal(emu_rd(fx.s, 126, buf, 4), LB_OK); /* 126, 127, 0, 1 */
	assert_int_equal(buf[2], lower[0]);
	assert_int_equal(buf[3], lower[1]);
	assert_int_equal(emu_rd(fx.s, 254, buf, 4), LB_OK); /* 254, 255, 128, 129 */
	assert_int_equal(buf[0], p00[126]);
	assert_int_equal(buf[1], p00[127]);
	assert_int_equal(buf[2], p00[0]);
	assert_int_equal(buf[3], p00[1]);
	/* the address carries on after a read: a plain read continues where the last ended */
	struct lb_i2c_msg rd = { .addr = 0x50, .flags = LB_I2C_M_RD, .len = 1, .buf = buf };
	assert_int_equal(lb_emu_segment_xfer(fx.s, &rd, 1), LB_OK);
	assert_int_equal(buf[0], p00[2]);
	fx_close(&fx);
}

static void test_lengths(void **state)
{
	(void)state;
	struct emu_fx fx;
	fx_open(&fx, EMU_PROFILE("400g-fr4-qsfpdd")); /* advertises 8-byte reads only */
	uint8_t page[128], want[128];
	emu_sel(fx.s, 0, 0x00);
	assert_int_equal(emu_rd(fx.s, 128, page, 128), LB_OK); /* still served, as real modules do */
	assert_int_equal(lb_emu_module_peek(fx.m, 0, 0, 128, want, 128), LB_OK);
	assert_memory_equal(page, want, 128);
	uint8_t nine[9] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	assert_int_equal(emu_wr(fx.s, 29, nine, 9), LB_E_NACK); /* more than 8 bytes: NACK */
	assert_int_equal(emu_rd1(fx.s, 29), 0x00);               /* and nothing written */
	assert_int_equal(emu_wr(fx.s, 29, nine, 8), LB_OK);
	assert_int_equal(emu_rd1(fx.s, 29), 1);
	fx_close(&fx);

	/* CDB page 9Fh accepts 8 * (1 + min(01h:164, 15)) = 128 bytes on the 800ZR profile */
	fx_open(&fx, EMU_PROFILE("coherent-800g-qsfpdd"));
	uint8_t big[128];
	for (int i = 0; i < 128; i++)
		big[i] = (uint8_t)i;
	emu_sel(fx.s, 0, 0x9F);
	assert_int_equal(emu_wr(fx.s, 128, big, 128), LB_OK);
	assert_int_equal(emu_rd(fx.s, 128, page, 128), LB_OK);
	assert_memory_equal(page, big, 128);
	emu_sel(fx.s, 0, 0x10);
	assert_int_equal(emu_wr(fx.s, 145, big, 9), LB_E_NACK);
	fx_close(&fx);
}

static void test_nack_and_wire_time(void **state)
{
	(void)state;
	struct emu_fx fx;
	fx_open(&fx, EMU_PROFILE("coherent-800g-qsfpdd"));
	uint8_t off = 0, v;
	struct lb_i2c_msg msgs[2] = {
		{ .addr = 0x51, .flags = 0, .len = 1, .buf = &off },
		{ .addr = 0x51, .flags = LB_I2C_M_RD, .len = 1, .buf = &v },
	};
	assert_int_equal(lb_emu_segment_xfer(fx.s, msgs, 2), LB_E_NACK);
	uint64_t t0 = lb_emu_world_now_ns(fx.w);
	msgs[0].addr = msgs[1].addr = 0x50;
	assert_int_equal(lb_emu_segment_xfer(fx.s, msgs, 2), LB_OK);
	/* 1-byte random read: 39 clocks; 97.5 us at 400 kHz */
	assert_int_equal(lb_emu_segment_last_xfer_ns(fx.s), 97500);
	assert_int_equal(lb_emu_world_now_ns(fx.w) - t0, 97500);
	assert_int_equal(lb_emu_segment_set_clock_khz(fx.s, 1000), LB_OK);
	uint8_t page[128];
	assert_int_equal(emu_rd(fx.s, 128, page, 128), LB_OK);
	assert_int_equal(lb_emu_segment_last_xfer_ns(fx.s), 1182000); /* 1182 clocks at 1 MHz */
	assert_int_equal(lb_emu_segment_set_clock_khz(fx.s, 300), LB_E_INVAL);
	fx_close(&fx);
}

static void test_mux(void **state)
{
	(void)state;
	struct lb_emu_world *w;
	struct lb_emu_segment *s;
	struct lb_emu_module *a, *b;
	char err[256];
	assert_int_equal(lb_emu_world_create(&w), LB_OK);
	assert_int_equal(lb_emu_segment_create(w, 100, &s), LB_OK);
	assert_int_equal(lb_emu_segment_add_mux(s, 0x70), LB_OK);
	assert_int_equal(lb_emu_segment_add_mux(s, 0x71), LB_E_EXISTS);
	assert_int_equal(lb_emu_module_create(w, EMU_PROFILE("400g-fr4-qsfpdd"), &a, err, sizeof(err)), LB_OK);
	assert_int_equal(lb_emu_module_create(w, EMU_PROFILE("800g-dr8-osfp"), &b, err, sizeof(err)), LB_OK);
	assert_int_equal(lb_emu_segment_attach(s, 2, 0x50, a), LB_OK);
	assert_int_equal(lb_emu_segment_attach(s, 5, 0x50, b), LB_OK);
	assert_int_equal(lb_emu_segment_attach(s, 5, 0x50, b), LB_E_EXISTS);
	assert_int_equal(emu_rd(s, 0, (uint8_t[1]){ 0 }, 1), LB_E_NACK); /* no channel enabled */
	uint8_t ch = 1u << 2;
	struct lb_i2c_msg m = { .addr = 0x70, .flags = 0, .len = 1, .buf = &ch };
	assert_int_equal(lb_emu_segment_xfer(s, &m, 1), LB_OK);
	assert_int_equal(emu_rd1(s, 0), 0x18); /* the QSFP-DD */
	ch = 1u << 5;
	assert_int_equal(lb_emu_segment_xfer(s, &m, 1), LB_OK);
	assert_int_equal(emu_rd1(s, 0), 0x19); /* the OSFP */
	uint8_t ctl = 0;
	m.flags = LB_I2C_M_RD;
	m.buf = &ctl;
	assert_int_equal(lb_emu_segment_xfer(s, &m, 1), LB_OK);
	assert_int_equal(ctl, 1u << 5);
	lb_emu_module_destroy(b); /* detaches */
	assert_int_equal(emu_rd(s, 0, (uint8_t[1]){ 0 }, 1), LB_E_NACK);
	lb_emu_world_destroy(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_only_ignored),
		cmocka_unit_test(test_read_write),
		cmocka_unit_test(test_write_only_reads_zero),
		cmocka_unit_test(test_clear_on_read),
		cmocka_unit_test(test_unsupported_page),
		cmocka_unit_test(test_banked_pages),
		cmocka_unit_test(test_sequential_wrap),
		cmocka_unit_test(test_lengths),
		cmocka_unit_test(test_nack_and_wire_time),
		cmocka_unit_test(test_mux),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
