/* SPDX-License-Identifier: MIT */
/*
 * Latched flags nobody loses (flags.h): consumers of one module each see a flag once, whoever
 * read it from the module; bytes a call does not return, and bytes of a failed call, are
 * kept; handles of one module share the accumulator. And lanes the module marks unsupported
 * (00h:210) or does not monitor (01h:160) are not reported as monitored.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <lightbridge/lightbridge.h>
#include "hal/cmis/decode.h"
#include "emu_rig.h"
#include "image_file.h"
#include "test_run.h"

static void poke1(struct lb_emu_module *emu, uint8_t bank, uint8_t page, uint8_t offset,
		  uint8_t v)
{
	assert_int_equal(lb_emu_module_poke(emu, bank, page, offset, &v, 1), LB_OK);
}

static uint8_t peek1(struct lb_emu_module *emu, uint8_t bank, uint8_t page, uint8_t offset)
{
	uint8_t v = 0xEE;
	assert_int_equal(lb_emu_module_peek(emu, bank, page, offset, &v, 1), LB_OK);
	return v;
}

/* A module up, its power-on flags taken by every consumer given. */
static void settle(struct lb_test_rig *r, struct lb_flag_consumer *c)
{
	struct lb_module_monitors mon = LB_MODULE_MONITORS_INIT;
	struct lb_module_flags f = LB_MODULE_FLAGS_INIT;
	assert_int_equal(lb_module_get_monitors(r->m, &mon), LB_OK);
	if (c)
		assert_int_equal(lb_module_flags_read(r->m, c, &f), LB_OK);
}

/* A poller (monitor polls) and an interrupt handler (its own consumer), either one first. */
static void test_poller_and_handler_each_once(void **state)
{
	(void)state;
	struct lb_test_rig r;
	struct lb_flag_consumer *irq = NULL;
	struct lb_module_monitors mon = LB_MODULE_MONITORS_INIT;
	struct lb_module_flags f = LB_MODULE_FLAGS_INIT;

	lb_test_rig_profile(&r, LB_SOURCE_DIR, "400g-fr4-qsfpdd", 400, false);
	assert_int_equal(lb_flag_consumer_create(r.m, &irq), LB_OK);
	settle(&r, irq);

	for (int handler_first = 1; handler_first >= 0; handler_first--) {
		poke1(r.emu, 0, 0x11, 147, 0x02);                  /* Rx LOS lane 2 */
		poke1(r.emu, 0, 0, 8, LB_MODFLAG_CDB1_COMPLETE);   /* CDB instance 1 done */
		for (int k = 0; k < 2; k++) {
			if ((k == 0) == (handler_first == 1)) {
				assert_int_equal(lb_module_flags_read(r.m, irq, &f), LB_OK);
				assert_int_equal(f.rx_los, 0x02);
				assert_int_equal(f.module_flags, LB_MODFLAG_CDB1_COMPLETE);
				assert_int_equal(f.lanes, 8);
			} else {
				assert_int_equal(lb_module_get_monitors(r.m, &mon), LB_OK);
				assert_int_equal(mon.rx_los, 0x02);
				assert_int_equal(mon.module_flags, LB_MODFLAG_CDB1_COMPLETE);
			}
		}
		/* the module holds them no more; neither sees them twice */
		assert_int_equal(peek1(r.emu, 0, 0x11, 147), 0);
		assert_int_equal(peek1(r.emu, 0, 0, 8), 0);
		assert_int_equal(lb_module_flags_read(r.m, irq, &f), LB_OK);
		assert_int_equal(f.rx_los | f.module_flags, 0);
		assert_int_equal(lb_module_get_monitors(r.m, &mon), LB_OK);
		assert_int_equal(mon.rx_los | mon.module_flags, 0);
	}
	lb_flag_consumer_free(irq);
	lb_test_rig_down(&r);
}

/*
 * Bytes the poll reads but used not to return (lower 10-11, 11h:134, 138, 153): the poll
 * returns them now, and another consumer gets them too.
 */
static void test_unreturned_bytes_not_lost(void **state)
{
	(void)state;
	struct lb_test_rig r;
	struct lb_flag_consumer *c = NULL;
	struct lb_module_monitors mon = LB_MODULE_MONITORS_INIT;
	struct lb_module_flags f = LB_MODULE_FLAGS_INIT;

	lb_test_rig_profile(&r, LB_SOURCE_DIR, "400g-fr4-qsfpdd", 400, false);
	assert_int_equal(lb_flag_consumer_create(r.m, &c), LB_OK);
	settle(&r, c);
	poke1(r.emu, 0, 0, 10, 0x21);    /* Aux1 high alarm, Aux2 low alarm */
	poke1(r.emu, 0, 0, 11, 0x18);    /* Aux3 low warning, custom high alarm */
	poke1(r.emu, 0, 0x11, 134, 0x01); /* DPStateChanged lane 1 */
	poke1(r.emu, 0, 0x11, 138, 0x04); /* Tx adaptive EQ fail lane 3 */
	poke1(r.emu, 0, 0x11, 153, 0x08); /* Rx output status changed lane 4 */
	assert_int_equal(lb_module_get_monitors(r.m, &mon), LB_OK);
	assert_int_equal(mon.aux1_flags, LB_FLAG_HIGH_ALARM);
	assert_int_equal(mon.aux2_flags, LB_FLAG_LOW_ALARM);
	assert_int_equal(mon.aux3_flags, LB_FLAG_LOW_WARN);
	assert_int_equal(mon.custom_flags, LB_FLAG_HIGH_ALARM);
	assert_int_equal(mon.dp_state_changed, 0x01);
	assert_int_equal(mon.tx_adapt_eq_fail, 0x04);
	assert_int_equal(mon.rx_output_changed, 0x08);
	assert_int_equal(peek1(r.emu, 0, 0x11, 134), 0); /* the poll cleared them in the module */
	assert_int_equal(peek1(r.emu, 0, 0, 10), 0);

	assert_int_equal(lb_module_flags_read(r.m, c, &f), LB_OK);
	assert_int_equal(f.aux1_flags, LB_FLAG_HIGH_ALARM);
	assert_int_equal(f.aux2_flags, LB_FLAG_LOW_ALARM);
	assert_int_equal(f.aux3_flags, LB_FLAG_LOW_WARN);
	assert_int_equal(f.custom_flags, LB_FLAG_HIGH_ALARM);
	assert_int_equal(f.dp_state_changed, 0x01);
	assert_int_equal(f.tx_adapt_eq_fail, 0x04);
	assert_int_equal(f.rx_output_changed, 0x08);

	/* c NULL is the poll's own view: the poll took them already */
	assert_int_equal(lb_module_flags_read(r.m, NULL, &f), LB_OK);
	assert_int_equal(f.aux1_flags | f.dp_state_changed | f.rx_output_changed, 0);

	/* A raw read of a flag byte is a read like any other: its flags reach every consumer. */
	poke1(r.emu, 0, 0x11, 136, 0x80); /* Tx LOS lane 8 */
	uint8_t raw[4];
	assert_int_equal(lb_module_read(r.m, 0, 0x11, 135, raw, sizeof(raw)), LB_OK);
	assert_int_equal(raw[1], 0x80);
	assert_int_equal(lb_module_get_monitors(r.m, &mon), LB_OK);
	assert_int_equal(mon.tx_los, 0x80);
	assert_int_equal(lb_module_flags_read(r.m, c, &f), LB_OK);
	assert_int_equal(f.tx_los, 0x80);
	lb_flag_consumer_free(c);
	lb_test_rig_down(&r);
}

/* Two handles on one module: one accumulator, each handle's poll sees each flag once. */
static void test_two_handles(void **state)
{
	(void)state;
	struct lb_test_rig r;
	struct lb_module *m2 = NULL, *other = NULL;
	struct lb_flag_consumer *c = NULL, *c_other = NULL;
	struct lb_module_monitors mon = LB_MODULE_MONITORS_INIT;
	struct lb_module_flags f = LB_MODULE_FLAGS_INIT;

	lb_test_rig_profile(&r, LB_SOURCE_DIR, "1600g-2xdr8-osfpxd", 400, false);
	assert_int_equal(lb_module_open(r.bus, NULL, &m2), LB_OK);
	assert_int_equal(lb_flag_consumer_create(m2, &c), LB_OK); /* made through m2 ... */
	settle(&r, c);
	assert_int_equal(lb_module_get_monitors(m2, &mon), LB_OK);

	poke1(r.emu, 1, 0x11, 147, 0x08); /* Rx LOS lane 12 (bank 1) */
	assert_int_equal(lb_module_get_monitors(m2, &mon), LB_OK);
	assert_int_equal(mon.rx_los, 1u << 11);
	assert_int_equal(lb_module_get_monitors(r.m, &mon), LB_OK); /* read by m2, seen here */
	assert_int_equal(mon.rx_los, 1u << 11);
	assert_int_equal(lb_module_flags_read(r.m, c, &f), LB_OK);  /* ... read through r.m */
	assert_int_equal(f.rx_los, 1u << 11);
	assert_int_equal(f.lanes, 16);
	for (int k = 0; k < 2; k++) {
		assert_int_equal(lb_module_get_monitors(k ? r.m : m2, &mon), LB_OK);
		assert_int_equal(mon.rx_los, 0);
	}
	assert_int_equal(lb_module_flags_read(m2, c, &f), LB_OK);
	assert_int_equal(f.rx_los, 0);

	/* A consumer of another module is refused before any traffic. */
	struct lb_module_addr a51 = { .addr = 0x51, .mux_channel = -1 };
	assert_int_equal(lb_module_open(r.bus, &a51, &other), LB_OK);
	assert_int_equal(lb_flag_consumer_create(other, &c_other), LB_OK);
	lb_bus_reset_stats(r.bus);
	assert_int_equal(lb_module_flags_read(r.m, c_other, &f), LB_E_INVAL);
	assert_true(strstr(lb_module_last_error(r.m), "another module") != NULL);
	assert_int_equal(lb_test_rig_stats(&r).transactions, 0);
	/* A consumer outlives the handles of its module (it sees nothing more). */
	lb_module_close(other);
	lb_flag_consumer_free(c_other);
	lb_module_close(m2);
	lb_flag_consumer_free(c);
	lb_test_rig_down(&r);
}

/* A poll that fails half way has cleared flags in the module: the next poll has them. */
static void test_failed_read_keeps_flags(void **state)
{
	(void)state;
	struct lb_test_rig r;
	struct lb_module_monitors mon = LB_MODULE_MONITORS_INIT;

	lb_test_rig_profile(&r, LB_SOURCE_DIR, "400g-fr4-qsfpdd", 400, true);
	settle(&r, NULL);
	assert_int_equal(lb_emu_module_set_monitor(r.emu, LB_EMU_MON_TEMPERATURE_C, 0, 90.0), LB_OK);
	assert_int_equal(lb_emu_module_set_monitor(r.emu, LB_EMU_MON_TEMPERATURE_C, 0, 40.0), LB_OK);
	/* lower 8-15 is the poll's first read (8-byte reads); the second fails */
	r.flaky.nack_len = 1000;
	r.flaky.nack_at = r.flaky.count + 2;
	assert_int_equal(lb_module_get_monitors(r.m, &mon), LB_E_NACK);
	assert_int_equal(mon.temperature_flags, 0);
	assert_int_equal(peek1(r.emu, 0, 0, 9), 0); /* cleared in the module by the first read */
	r.flaky.nack_at = 0;
	assert_int_equal(lb_module_get_monitors(r.m, &mon), LB_OK);
	assert_int_equal(mon.temperature_flags, LB_FLAG_HIGH_ALARM | LB_FLAG_HIGH_WARN);
	assert_int_equal(lb_module_get_monitors(r.m, &mon), LB_OK);
	assert_int_equal(mon.temperature_flags, 0);

	/* the same through lb_module_flags_read: out zeroed on failure, the flag kept */
	struct lb_flag_consumer *c = NULL;
	struct lb_module_flags f = LB_MODULE_FLAGS_INIT;
	assert_int_equal(lb_flag_consumer_create(r.m, &c), LB_OK);
	poke1(r.emu, 0, 0, 8, LB_MODFLAG_STATE_CHANGED);
	r.flaky.nack_at = r.flaky.count + 2;
	memset(&f.lanes, 0xA5, sizeof(f) - offsetof(struct lb_module_flags, lanes));
	assert_int_equal(lb_module_flags_read(r.m, c, &f), LB_E_NACK);
	assert_int_equal(f.module_flags | f.lanes | f.rx_output_changed, 0);
	r.flaky.nack_at = 0;
	assert_int_equal(lb_module_flags_read(r.m, c, &f), LB_OK);
	assert_int_equal(f.module_flags, LB_MODFLAG_STATE_CHANGED);
	lb_flag_consumer_free(c);
	lb_test_rig_down(&r);
}

static void test_args(void **state)
{
	(void)state;
	struct lb_test_rig r;
	struct lb_flag_consumer *c = NULL;
	struct lb_module_flags f = LB_MODULE_FLAGS_INIT;

	lb_test_rig_profile(&r, LB_SOURCE_DIR, "800g-dr8-osfp", 400, false);
	assert_int_equal(lb_flag_consumer_create(NULL, &c), LB_E_INVAL);
	assert_int_equal(lb_flag_consumer_create(r.m, NULL), LB_E_INVAL);
	lb_flag_consumer_free(NULL);
	assert_int_equal(lb_module_flags_read(NULL, NULL, &f), LB_E_INVAL);
	assert_int_equal(lb_module_flags_read(r.m, NULL, NULL), LB_E_INVAL);
	/* a size below V1 is refused before any read: the flags stay where they are */
	poke1(r.emu, 0, 0x11, 147, 0x01);
	struct { struct lb_module_flags f; uint8_t guard[16]; } g;
	memset(&g, 0x5A, sizeof(g));
	g.f.size = LB_MODULE_FLAGS_SIZE_V1 - 1;
	assert_int_equal(lb_module_flags_read(r.m, NULL, &g.f), LB_E_INVAL);
	const uint8_t *p = (const uint8_t *)&g;
	for (size_t i = sizeof(size_t); i < sizeof(g); i++)
		assert_int_equal(p[i], 0x5A);
	assert_int_equal(peek1(r.emu, 0, 0x11, 147), 0x01);
	/* an older, shorter struct gets its prefix */
	g.f.size = LB_MODULE_FLAGS_SIZE_V1;
	assert_int_equal(lb_module_flags_read(r.m, NULL, &g.f), LB_OK);
	assert_int_equal(g.f.rx_los, 0x01);
	assert_int_equal(g.f.lanes, 8);
	lb_test_rig_down(&r);
}

/*
 * Tuning flags (12h:231-238) of a tunable module: read when the flag summary names page 12h,
 * kept for a consumer whoever read them, and no read of page 12h when nothing is flagged.
 */
static void test_tuning_flags(void **state)
{
	(void)state;
	struct lb_test_rig r;
	struct lb_flag_consumer *c = NULL;
	struct lb_module_flags f = LB_MODULE_FLAGS_INIT;

	lb_test_rig_profile(&r, LB_SOURCE_DIR, "coherent-800g-qsfpdd", 400, false);
	assert_int_equal(lb_flag_consumer_create(r.m, &c), LB_OK);
	assert_int_equal(lb_module_flags_read(r.m, c, &f), LB_OK);  /* power-on flags */
	assert_int_equal(lb_module_flags_read(r.m, NULL, &f), LB_OK);
	/* nothing flagged: lower memory and page 11h, one read each, no page 12h */
	lb_bus_reset_stats(r.bus);
	assert_int_equal(lb_module_flags_read(r.m, c, &f), LB_OK);
	assert_int_equal(lb_test_rig_stats(&r).reads, 2);
	assert_int_equal(f.tuning_flags[0], 0);

	poke1(r.emu, 0, 0x12, 231, LB_TUNEFLAG_COMPLETE | LB_TUNEFLAG_WAVELENGTH_UNLOCKED);
	assert_int_equal(lb_module_flags_read(r.m, c, &f), LB_OK);
	assert_int_equal(f.tuning_flags[0], LB_TUNEFLAG_COMPLETE | LB_TUNEFLAG_WAVELENGTH_UNLOCKED);
	assert_int_equal(peek1(r.emu, 0, 0x12, 231), 0);
	/* the default consumer gets them too, once */
	assert_int_equal(lb_module_flags_read(r.m, NULL, &f), LB_OK);
	assert_int_equal(f.tuning_flags[0], LB_TUNEFLAG_COMPLETE | LB_TUNEFLAG_WAVELENGTH_UNLOCKED);
	assert_int_equal(lb_module_flags_read(r.m, NULL, &f), LB_OK);
	assert_int_equal(f.tuning_flags[0], 0);

	/* a raw read (a tuning wait, say) takes them from the module, not from the consumer */
	poke1(r.emu, 0, 0x12, 231, LB_TUNEFLAG_INVALID_CHANNEL);
	uint8_t raw = 0;
	assert_int_equal(lb_module_read(r.m, 0, 0x12, 231, &raw, 1), LB_OK);
	assert_int_equal(raw, LB_TUNEFLAG_INVALID_CHANNEL);
	assert_int_equal(lb_module_flags_read(r.m, c, &f), LB_OK);
	assert_int_equal(f.tuning_flags[0], LB_TUNEFLAG_INVALID_CHANNEL);
	/* a monitor poll neither reports nor takes them */
	poke1(r.emu, 0, 0x12, 231, LB_TUNEFLAG_NOT_ACCEPTED);
	struct lb_module_monitors mon = LB_MODULE_MONITORS_INIT;
	assert_int_equal(lb_module_get_monitors(r.m, &mon), LB_OK);
	assert_int_equal(lb_module_flags_read(r.m, NULL, &f), LB_OK);
	assert_int_equal(f.tuning_flags[0], LB_TUNEFLAG_INVALID_CHANNEL | LB_TUNEFLAG_NOT_ACCEPTED);
	lb_flag_consumer_free(c);
	lb_test_rig_down(&r);

	/* not tunable: page 12h is never read */
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "800g-dr8-osfp", 400, false);
	assert_int_equal(lb_module_flags_read(r.m, NULL, &f), LB_OK);
	lb_bus_reset_stats(r.bus);
	assert_int_equal(lb_module_flags_read(r.m, NULL, &f), LB_OK);
	assert_int_equal(lb_test_rig_stats(&r).reads, 2);
	lb_test_rig_down(&r);
}

/* 00h:210 marks media lanes 5-8 unsupported: not monitored, not reported. */
static void test_unsupported_lanes(void **state)
{
	(void)state;
	struct lb_test_rig r;
	struct lb_module_monitors mon = LB_MODULE_MONITORS_INIT;

	lb_test_rig_profile(&r, LB_SOURCE_DIR, "800g-dr8-osfp", 400, false);
	/* the byte and page 00h's checksum with it, as a module would have them */
	uint8_t old = peek1(r.emu, 0, 0, 210), sum = peek1(r.emu, 0, 0, 222);
	poke1(r.emu, 0, 0, 210, 0xF0);
	poke1(r.emu, 0, 0, 222, (uint8_t)(sum - old + 0xF0));
	for (unsigned l = 1; l <= 8; l++)
		assert_int_equal(lb_emu_module_set_monitor(r.emu, LB_EMU_MON_RX_POWER_MW, l, 0.5), LB_OK);
	poke1(r.emu, 0, 0x11, 147, 0x31); /* Rx LOS lanes 1, 5, 6 */
	poke1(r.emu, 0, 0x11, 136, 0x30); /* Tx LOS host lanes 5, 6: host lanes are all there */
	assert_int_equal(lb_module_get_monitors(r.m, &mon), LB_OK);
	assert_int_equal(mon.size, sizeof(mon));
	assert_int_equal(mon.lanes, 8);
	assert_int_equal(mon.monitored_lanes, 0x0F);
	for (unsigned l = 0; l < 8; l++) {
		assert_true(isnan(mon.rx_power_mw[l]) == (l >= 4));
		assert_true(isnan(mon.tx_power_mw[l]) == (l >= 4));
		assert_true(isnan(mon.tx_bias_ma[l]) == (l >= 4));
	}
	assert_int_equal(mon.rx_los, 0x01);
	assert_int_equal(mon.tx_los, 0x30);
	lb_test_rig_down(&r);

	/* After an identity read, which checked page 00h already, the poll reads only its own. */
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "800g-dr8-osfp", 400, false);
	struct lb_module_identity id = LB_MODULE_IDENTITY_INIT;
	assert_int_equal(lb_module_get_identity(r.m, &id), LB_OK);
	lb_bus_reset_stats(r.bus);
	assert_int_equal(lb_module_get_monitors(r.m, &mon), LB_OK);
	assert_int_equal(lb_test_rig_stats(&r).reads, 2);
	assert_int_equal(mon.monitored_lanes, 0xFF);
	lb_test_rig_down(&r);
}

/* A module without lane monitors (01h:160 bits 2-0 clear) monitors no lane (decode). */
static void test_no_lane_monitors(void **state)
{
	(void)state;
	uint8_t lower[128] = { 0 }, p11[1][128];
	memset(p11, 0, sizeof(p11));
	struct lb_module_monitors mon;
	uint8_t p01[128] = { 0 };
	p01[159 - 128] = 0x03;
	p01[160 - 128] = 0x00;
	p11[0][147 - 128] = 0xFF;
	lb_cmis_decode_monitors(lower, p01, (const uint8_t (*)[128])p11, 1, 8, &mon);
	assert_int_equal(mon.lanes, 8);
	assert_int_equal(mon.monitored_lanes, 0);
	assert_true(isnan(mon.rx_power_mw[0]));
	p01[160 - 128] = 0x04; /* Rx power only */
	lb_cmis_decode_monitors(lower, p01, (const uint8_t (*)[128])p11, 1, 8, &mon);
	assert_int_equal(mon.monitored_lanes, 0xFF);
	assert_true(!isnan(mon.rx_power_mw[7]));
	assert_true(isnan(mon.tx_power_mw[7]));
}

/* Real modules: what 00h:210 and 01h:160 say, through the bus. */
static void test_real_images_monitored_lanes(void **state)
{
	(void)state;
	static const struct {
		const char *file;
		unsigned lanes;
		uint32_t monitored;
	} cases[] = {
		{ "acacia-dp08sfp8-800zr-osfp-fboss.txt", 1, 0x01 },       /* 210 = FEh */
		{ "arista-qdd-400g-xdr4-qsfpdd-fboss.txt", 4, 0x0F },      /* 210 = F0h */
		{ "credo-cac845301a2nc2xa-800g-aec-osfp.txt", 8, 0x00 },   /* 160 = 00h */
		{ "juniper-740-174932-800g-dr8-osfp.txt", 8, 0xFF },
	};
	const char *dir = lb_test_modules_dir();
	if (!dir)
		skip();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char path[4200];
		struct lb_test_rig r;
		struct lb_module_monitors mon = LB_MODULE_MONITORS_INIT;
		print_message("%s\n", cases[i].file);
		lb_test_rig_image(&r, lb_test_path(path, sizeof(path), dir, cases[i].file), 400, false);
		assert_int_equal(lb_module_get_monitors(r.m, &mon), LB_OK);
		assert_int_equal(mon.lanes, cases[i].lanes);
		assert_int_equal(mon.monitored_lanes, cases[i].monitored);
		lb_test_rig_down(&r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_poller_and_handler_each_once),
		cmocka_unit_test(test_unreturned_bytes_not_lost),
		cmocka_unit_test(test_two_handles),
		cmocka_unit_test(test_failed_read_keeps_flags),
		cmocka_unit_test(test_args),
		cmocka_unit_test(test_tuning_flags),
		cmocka_unit_test(test_unsupported_lanes),
		cmocka_unit_test(test_no_lane_monitors),
		cmocka_unit_test(test_real_images_monitored_lanes),
	};
	return LB_TEST_RUN(tests, NULL, NULL);
}
