/* SPDX-License-Identifier: MIT */
/* State save/load: a module restored from JSON behaves as the original, timers included. */
#include <stdlib.h>
#include "test_emu_common.h"

static void compare_memory(struct lb_emu_module *a, struct lb_emu_module *b)
{
	uint8_t x[128], y[128];
	assert_int_equal(lb_emu_module_peek(a, 0, 0, 0, x, 128), LB_OK);
	assert_int_equal(lb_emu_module_peek(b, 0, 0, 0, y, 128), LB_OK);
	assert_memory_equal(x, y, 128);
	for (unsigned bank = 0; bank < 4; bank++)
		for (unsigned p = 0; p < 256; p++) {
			int ra = lb_emu_module_peek(a, (uint8_t)bank, (uint8_t)p, 128, x, 128);
			int rb = lb_emu_module_peek(b, (uint8_t)bank, (uint8_t)p, 128, y, 128);
			assert_int_equal(ra, rb);
			if (ra == LB_OK)
				assert_memory_equal(x, y, 128);
		}
}

static void test_round_trip_mid_timer(void **state)
{
	(void)state;
	struct emu_fx a, b;
	fx_open(&a, EMU_PROFILE("coherent-800g-qsfpdd"));
	emu_sel(a.s, 0, 0x10);
	emu_wr1(a.s, 26, 0x00);
	lb_emu_world_advance_ns(a.w, 4000 * MS_NS); /* Ready at 1.5 s, DPInit running */
	assert_int_equal(lb_emu_module_dp_state(a.m, 1), 2);
	uint8_t cfg[8] = { 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20 };
	assert_int_equal(emu_wr(a.s, 145, cfg, 8), LB_OK);
	lb_emu_module_set_lpmode(a.m, 0);
	assert_int_equal(lb_emu_module_set_monitor(a.m, LB_EMU_MON_TEMPERATURE_C, 0, 77.5), LB_OK);
	assert_int_equal(lb_emu_module_inject(a.m, LB_EMU_FAULT_NACK, 1), LB_OK);

	char *json = NULL;
	assert_int_equal(lb_emu_module_save_state(a.m, &json), LB_OK);
	assert_non_null(json);
	uint64_t now = lb_emu_world_now_ns(a.w);

	fx_open(&b, EMU_PROFILE("coherent-800g-qsfpdd"));
	lb_emu_world_set_now_ns(b.w, now);
	assert_int_equal(lb_emu_module_load_state(b.m, json), LB_OK);
	free(json);
	compare_memory(a.m, b.m);
	assert_int_equal(lb_emu_module_state(b.m), 3);
	assert_int_equal(lb_emu_module_dp_state(b.m, 1), 2);
	assert_int_equal(lb_emu_module_intl(b.m), lb_emu_module_intl(a.m));

	/* the pending NACK and the page select survive */
	uint8_t v;
	assert_int_equal(emu_rd(b.s, 145, &v, 1), LB_E_NACK);
	assert_int_equal(emu_rd(a.s, 145, &v, 1), LB_E_NACK);
	assert_int_equal(emu_rd1(b.s, 145), 0x20); /* still on page 10h */

	/* the timers continue where they were: both reach DPActivated at the same instant */
	for (int i = 0; i < 100; i++) {
		lb_emu_world_advance_ns(a.w, 50 * MS_NS);
		lb_emu_world_advance_ns(b.w, 50 * MS_NS);
		assert_int_equal(lb_emu_module_dp_state(a.m, 1), lb_emu_module_dp_state(b.m, 1));
	}
	assert_int_equal(lb_emu_module_dp_state(b.m, 1), 4);
	compare_memory(a.m, b.m);
	fx_close(&a);
	fx_close(&b);
}

static void test_round_trip_image_and_reset(void **state)
{
	(void)state;
	struct emu_fx a, b;
	fx_open(&a, EMU_PROFILE("1600g-2xdr8-osfpxd"));
	emu_wr1(a.s, 26, 0x08); /* SoftwareReset in progress when saved */
	char *json = NULL;
	assert_int_equal(lb_emu_module_save_state(a.m, &json), LB_OK);
	fx_open(&b, EMU_PROFILE("1600g-2xdr8-osfpxd"));
	lb_emu_world_set_now_ns(b.w, lb_emu_world_now_ns(a.w));
	assert_int_equal(lb_emu_module_load_state(b.m, json), LB_OK);
	uint8_t v;
	assert_int_equal(emu_rd(b.s, 0, &v, 1), LB_E_NACK);
	lb_emu_world_advance_ns(b.w, 1000 * MS_NS);
	assert_int_equal(emu_rd1(b.s, 0), 0x21);

	/* state of another profile does not fit */
	struct emu_fx c;
	fx_open(&c, EMU_PROFILE("800g-dr8-osfp"));
	assert_int_equal(lb_emu_module_load_state(c.m, json), LB_E_PARSE);
	assert_int_equal(lb_emu_module_load_state(c.m, "{\"format\":"), LB_E_PARSE);
	assert_int_equal(lb_emu_module_load_state(c.m, "[]"), LB_E_PARSE);
	/* a truncated page list is refused and leaves the module as it was */
	char *cut = strdup(json);
	char *p = strstr(cut, "{\"bank\":0,\"page\":17");
	assert_non_null(p);
	p[1] = 'x';
	assert_int_equal(lb_emu_module_load_state(b.m, cut), LB_E_PARSE);
	assert_int_equal(emu_rd1(b.s, 0), 0x21);
	free(cut);
	free(json);
	fx_close(&a);
	fx_close(&b);
	fx_close(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_mid_timer),
		cmocka_unit_test(test_round_trip_image_and_reset),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
