/* SPDX-License-Identifier: MIT */
/* Monitors, flags and thresholds: real images (exact values), flags per lane, banks, units. */
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
#include "synth_module.h"

#define assert_near(a, b) assert_true(fabs((double)(a) - (double)(b)) < 1e-9)

struct expect_mon {
	const char *file;
	double temperature_c, vcc_v;
	uint8_t temperature_flags;
	unsigned lanes;
	double bias_lsb_ma;            /* 0.002 x multiplier; 0: no lane monitors */
	unsigned txp[8], bias[8], rxp[8];  /* raw */
	double thr_temp[4];
	unsigned thr_vcc[4], thr_txp[4], thr_bias[4], thr_rxp[4];  /* raw */
};

static const struct expect_mon images[] = {
	{ "acacia-dp08sfp8-800zr-osfp-fboss.txt", 66.0, 3.1944, 0, 1, 0.008,
	  { 12626 }, { 28825 }, { 13167 },
	  { 80.0, -5.0, 75.0, 0.0 }, { 34650, 31350, 34320, 31680 },
	  { 31622, 158, 15848, 251 }, { 0, 0, 0, 0 }, { 65463, 14, 33113, 30 } },
	{ "fboss-2x400g-fr4-lite-osfp.txt", -114 / 256.0, 3.2844,
	  LB_FLAG_LOW_ALARM | LB_FLAG_LOW_WARN, 8, 0.002,
	  { 1, 1, 1, 1, 1, 1, 1, 1 }, { 0 }, { 1, 1, 1, 1, 1, 1, 1, 1 },
	  { 75.0, 10.0, 75.0, 10.0 }, { 35650, 30350, 35650, 30350 },
	  { 35481, 2138, 35481, 2138 }, { 65000, 5000, 65000, 5000 }, { 35481, 1, 35481, 1 } },
	{ "fboss-2x400g-fr4-lpo-osfp.txt", 9136 / 256.0, 3.3141, 0, 8, 0.008,
	  { 9220, 10347, 10226, 15018, 9816, 9157, 8735, 14348 },
	  { 18066, 18076, 18086, 18096, 18076, 18066, 18066, 18117 },
	  { 10970, 10742, 9681, 13990, 11346, 10369, 9428, 13195 },
	  { 78.0, -8.0, 73.0, -3.0 }, { 36300, 29700, 34650, 31350 },
	  { 35481, 2951, 28184, 3715 }, { 50000, 1250, 47500, 1875 }, { 39811, 1047, 31623, 1318 } },
	{ "arista-qdd-400g-xdr4-qsfpdd-fboss.txt", 10961 / 256.0, 3.2491, 0, 4, 0.002,
	  { 15909, 15951, 15928, 16037 }, { 50874, 43463, 44450, 42229 },
	  { 16759, 17396, 16934, 15922 },
	  { 75.0, -5.0, 70.0, 0.0 }, { 36300, 30500, 34650, 31350 },
	  { 35481, 4074, 28184, 5129 }, { 65000, 5000, 62500, 7500 }, { 35481, 1288, 28184, 2042 } },
	{ "credo-cac845301a2nc2xa-800g-aec-osfp.txt", 13124 / 256.0, 3.2980, 0, 8, 0.0,
	  { 0 }, { 0 }, { 0 },
	  { 75.0, -5.0, 70.0, 0.0 }, { 35650, 30350, 34650, 31350 },
	  { 0, 0, 0, 0 }, { 0, 0, 0, 0 }, { 0, 0, 0, 0 } },
	{ "juniper-740-174932-800g-dr8-osfp.txt", 14830 / 256.0, 3.3057, 0, 8, 0.002,
	  { 19723, 14881, 15262, 13601, 17720, 11713, 18687, 15301 },
	  { 34991, 34991, 34991, 34991, 34991, 34991, 34991, 34991 },
	  { 16946, 17029, 21019, 17118, 16553, 19279, 10707, 15247 },
	  { 76.0, -6.0, 73.0, -3.0 }, { 37000, 30000, 36000, 30500 },
	  { 39810, 2570, 31622, 3235 }, { 65000, 5000, 62500, 7500 }, { 47863, 1288, 38018, 1819 } },
};

static void check_threshold(const struct lb_threshold *t, const unsigned raw[4], double lsb)
{
	assert_near(t->high_alarm, raw[0] * lsb);
	assert_near(t->low_alarm, raw[1] * lsb);
	assert_near(t->high_warn, raw[2] * lsb);
	assert_near(t->low_warn, raw[3] * lsb);
}

static void test_real_images(void **state)
{
	(void)state;
	const char *dir = lb_test_modules_dir();
	if (!dir)
		skip();
	for (size_t i = 0; i < sizeof(images) / sizeof(images[0]); i++) {
		const struct expect_mon *e = &images[i];
		struct lb_test_image img;
		struct lb_app_list apps;
		struct lb_module_monitors mon = LB_MODULE_MONITORS_INIT;
		struct lb_module_thresholds thr = LB_MODULE_THRESHOLDS_INIT;
		char path[4200];

		print_message("%s\n", e->file);
		assert_int_equal(lb_test_image_load(lb_test_path(path, sizeof(path), dir, e->file), &img), 0);
		const uint8_t *p01 = img.page[1];
		lb_cmis_decode_apps(img.lower, p01, &apps);
		unsigned lanes = lb_cmis_media_lane_count(&apps, lb_cmis_lane_banks(p01, img.lower[1]));
		assert_int_equal(lanes, e->lanes);
		lb_cmis_decode_monitors(img.lower, p01, (const uint8_t (*)[128])img.page[0x11], 1,
					lanes, &mon);
		assert_near(mon.temperature_c, e->temperature_c);
		assert_near(mon.vcc_v, e->vcc_v);
		assert_int_equal(mon.temperature_flags, e->temperature_flags);
		assert_int_equal(mon.vcc_flags, 0);
		assert_int_equal(mon.lanes, e->lanes);
		assert_int_equal(mon.module_flags, 0);
		assert_false(mon.module_state_changed);
		for (unsigned l = 0; l < lanes; l++) {
			if (e->bias_lsb_ma == 0.0) {
				assert_true(isnan(mon.tx_power_mw[l]) && isnan(mon.tx_bias_ma[l]) &&
					    isnan(mon.rx_power_mw[l]));
				continue;
			}
			assert_near(mon.tx_power_mw[l], e->txp[l] * 0.0001);
			assert_near(mon.tx_bias_ma[l], e->bias[l] * e->bias_lsb_ma);
			assert_near(mon.rx_power_mw[l], e->rxp[l] * 0.0001);
			assert_int_equal(mon.tx_power_flags[l] | mon.tx_bias_flags[l] |
					 mon.rx_power_flags[l], 0);
		}
		assert_int_equal(mon.tx_los | mon.rx_los | mon.tx_lol | mon.rx_lol | mon.tx_fault, 0);

		lb_cmis_decode_thresholds(img.page[2], lb_cmis_bias_multiplier(p01), &thr);
		assert_near(thr.temperature_c.high_alarm, e->thr_temp[0]);
		assert_near(thr.temperature_c.low_alarm, e->thr_temp[1]);
		assert_near(thr.temperature_c.high_warn, e->thr_temp[2]);
		assert_near(thr.temperature_c.low_warn, e->thr_temp[3]);
		check_threshold(&thr.vcc_v, e->thr_vcc, 0.0001);
		check_threshold(&thr.tx_power_mw, e->thr_txp, 0.0001);
		check_threshold(&thr.tx_bias_ma, e->thr_bias,
				e->bias_lsb_ma == 0.0 ? 0.002 : e->bias_lsb_ma);
		check_threshold(&thr.rx_power_mw, e->thr_rxp, 0.0001);
	}
}

static void test_flags_per_lane(void **state)
{
	(void)state;
	struct lb_test_image img;
	struct lb_module_monitors mon = LB_MODULE_MONITORS_INIT;
	uint8_t *p11 = img.page[0x11];

	lb_test_synth_cmis(&img);
	img.lower[8] = 0x41;         /* CdbCmdComplete1 + ModuleStateChanged */
	img.lower[9] = 0x51;         /* temperature HA; Vcc HA and HW */
	p11[135 - 128] = 0x02;       /* Tx fault lane 2 */
	p11[136 - 128] = 0x80;       /* Tx LOS lane 8 */
	p11[137 - 128] = 0x01;
	p11[139 - 128] = 0x04;       /* Tx power HA lane 3 */
	p11[142 - 128] = 0x04;       /* Tx power LW lane 3 */
	p11[144 - 128] = 0x01;       /* bias LA lane 1 */
	p11[147 - 128] = 0x0f;       /* Rx LOS lanes 1-4 */
	p11[148 - 128] = 0x10;
	p11[151 - 128] = 0x08;       /* Rx power HW lane 4 */
	p11[152 - 128] = 0x08;       /* and LW: a module may latch both */
	p11[154 - 128] = 0x27;       /* Tx power lane 1 = 0x2710 = 1 mW */
	p11[155 - 128] = 0x10;
	p11[170 - 128] = 0x13;       /* bias lane 1 = 0x1388 x 4 uA (x2 multiplier) = 20 mA */
	p11[171 - 128] = 0x88;
	p11[200 - 128] = 0xff;       /* Rx power lane 8 = 6.5535 mW */
	p11[201 - 128] = 0xff;
	lb_cmis_decode_monitors(img.lower, img.page[1], (const uint8_t (*)[128])p11, 1, 8, &mon);
	assert_int_equal(mon.module_flags, 0x41);
	assert_true(mon.module_state_changed);
	assert_int_equal(mon.temperature_flags, LB_FLAG_HIGH_ALARM);
	assert_int_equal(mon.vcc_flags, LB_FLAG_HIGH_ALARM | LB_FLAG_HIGH_WARN);
	assert_int_equal(mon.tx_fault, 0x02);
	assert_int_equal(mon.tx_los, 0x80);
	assert_int_equal(mon.tx_lol, 0x01);
	assert_int_equal(mon.rx_los, 0x0f);
	assert_int_equal(mon.rx_lol, 0x10);
	assert_int_equal(mon.tx_power_flags[2], LB_FLAG_HIGH_ALARM | LB_FLAG_LOW_WARN);
	assert_int_equal(mon.tx_power_flags[1], 0);
	assert_int_equal(mon.tx_bias_flags[0], LB_FLAG_LOW_ALARM);
	assert_int_equal(mon.rx_power_flags[3], LB_FLAG_HIGH_WARN | LB_FLAG_LOW_WARN);
	assert_near(mon.tx_power_mw[0], 1.0);
	assert_near(mon.tx_bias_ma[0], 20.0);
	assert_near(mon.rx_power_mw[7], 6.5535);
	assert_near(lb_mw_to_dbm(mon.tx_power_mw[0]), 0.0);
}

static void test_banks(void **state)
{
	(void)state;
	struct lb_test_image img;
	static uint8_t p11[2][128];
	struct lb_module_monitors mon = LB_MODULE_MONITORS_INIT;

	lb_test_synth_cmis(&img);
	memset(p11, 0, sizeof(p11));
	p11[1][136 - 128] = 0x01;          /* bank 1 Tx LOS: lane 9 */
	p11[1][147 - 128] = 0x88;          /* bank 1 Rx LOS: lanes 12 and 16 */
	p11[0][147 - 128] = 0x01;          /* bank 0 Rx LOS: lane 1 */
	p11[1][135 - 128] = 0x80;          /* bank 1 Tx fault: lane 16 */
	p11[1][137 - 128] = 0x02;          /* bank 1 Tx CDR LOL: lane 10 */
	p11[1][148 - 128] = 0x40;          /* bank 1 Rx CDR LOL: lane 15 */
	p11[1][139 - 128] = 0x01;          /* lane 9 Tx power HA */
	p11[1][154 - 128] = 0x03;          /* lane 9 Tx power 0x03e8 = 0.1 mW */
	p11[1][155 - 128] = 0xe8;
	p11[1][200 - 128] = 0x00;          /* lane 16 Rx power 0x0064 = 0.01 mW */
	p11[1][201 - 128] = 0x64;
	lb_cmis_decode_monitors(img.lower, img.page[1], (const uint8_t (*)[128])p11, 2, 16, &mon);
	assert_int_equal(mon.lanes, 16);
	assert_near(mon.tx_power_mw[8], 0.1);
	assert_int_equal(mon.tx_power_flags[8], LB_FLAG_HIGH_ALARM);
	assert_near(mon.rx_power_mw[15], 0.01);
	/* One 32-bit mask across the banks: bit i = lane i+1. */
	assert_int_equal(mon.tx_los, 1u << 8);
	assert_int_equal(mon.rx_los, 1u << 0 | 1u << 11 | 1u << 15);
	assert_int_equal(mon.tx_fault, 1u << 15);
	assert_int_equal(mon.tx_lol, 1u << 9);
	assert_int_equal(mon.rx_lol, 1u << 14);
	/* Never more lanes than the banks read, and no flag of a bank not read. */
	lb_cmis_decode_monitors(img.lower, img.page[1], (const uint8_t (*)[128])p11, 1, 16, &mon);
	assert_int_equal(mon.lanes, 8);
	assert_int_equal(mon.rx_los, 1u << 0);
	assert_int_equal(mon.tx_los | mon.tx_fault | mon.tx_lol | mon.rx_lol, 0);
}

/* What an interrupt reads: module and monitor flags, and every lane flag byte as a mask. */
static void test_decode_flags(void **state)
{
	(void)state;
	struct lb_test_image img;
	static uint8_t p11[2][128];
	struct lb_sideband_event ev = LB_SIDEBAND_EVENT_INIT;

	lb_test_synth_cmis(&img);
	memset(p11, 0, sizeof(p11));
	img.lower[4] = 0x01;        /* bank 0: page 11h flagged */
	img.lower[5] = 0x09;        /* bank 1: pages 11h and 2Ch */
	img.lower[8] = 0x41;
	img.lower[9] = 0x81;        /* temperature HA, Vcc LW */
	img.lower[10] = 0x24;       /* Aux1 HW, Aux2 LA */
	img.lower[11] = 0x18;       /* Aux3 LW, custom HA */
	p11[0][134 - 128] = 0x03;   /* DP state changed lanes 1-2 */
	p11[1][138 - 128] = 0x80;   /* Tx adaptive EQ fail lane 16 */
	p11[1][140 - 128] = 0x04;   /* Tx power LA lane 11 */
	p11[0][146 - 128] = 0x10;   /* Tx bias LW lane 5 */
	p11[1][149 - 128] = 0x01;   /* Rx power HA lane 9 */
	p11[1][147 - 128] = 0x08;   /* Rx LOS lane 12 */
	p11[1][153 - 128] = 0x20;   /* Rx output status changed lane 14 */
	lb_cmis_decode_flags(img.lower, (const uint8_t (*)[128])p11, 2, &ev);
	assert_int_equal(ev.size, sizeof(ev));  /* only flag members are written */
	assert_memory_equal(ev.flag_summary, "\x01\x09\x00\x00", 4);
	assert_int_equal(ev.module_flags, 0x41);
	assert_int_equal(ev.temperature_flags, LB_FLAG_HIGH_ALARM);
	assert_int_equal(ev.vcc_flags, LB_FLAG_LOW_WARN);
	assert_int_equal(ev.aux1_flags, LB_FLAG_HIGH_WARN);
	assert_int_equal(ev.aux2_flags, LB_FLAG_LOW_ALARM);
	assert_int_equal(ev.aux3_flags, LB_FLAG_LOW_WARN);
	assert_int_equal(ev.custom_flags, LB_FLAG_HIGH_ALARM);
	assert_int_equal(ev.lanes, 16);
	assert_int_equal(ev.dp_state_changed, 0x3u);
	assert_int_equal(ev.tx_adapt_eq_fail, 1u << 15);
	assert_int_equal(ev.tx_power_flagged[1], 1u << 10);
	assert_int_equal(ev.tx_power_flagged[0] | ev.tx_power_flagged[2] | ev.tx_power_flagged[3], 0);
	assert_int_equal(ev.tx_bias_flagged[3], 1u << 4);
	assert_int_equal(ev.rx_power_flagged[0], 1u << 8);
	assert_int_equal(ev.rx_los, 1u << 11);
	assert_int_equal(ev.rx_output_changed, 1u << 13);
	assert_int_equal(ev.tx_fault | ev.tx_los | ev.tx_lol | ev.rx_lol, 0);

	/* Flat memory: module flags only. */
	ev = (struct lb_sideband_event)LB_SIDEBAND_EVENT_INIT;
	lb_cmis_decode_flags(img.lower, NULL, 0, &ev);
	assert_int_equal(ev.lanes, 0);
	assert_int_equal(ev.module_flags, 0x41);
	assert_int_equal(ev.dp_state_changed | ev.rx_los, 0);
}

static void test_unsupported_and_flat(void **state)
{
	(void)state;
	struct lb_test_image img;
	struct lb_module_monitors mon = LB_MODULE_MONITORS_INIT;

	lb_test_synth_cmis(&img);
	img.lower[14] = 0xff;   /* -1/256 degC */
	img.lower[15] = 0xff;
	img.page[1][159 - 128] = 0x01;  /* temperature only */
	img.page[1][160 - 128] = 0x04;  /* Rx power only */
	lb_cmis_decode_monitors(img.lower, img.page[1], (const uint8_t (*)[128])img.page[0x11], 1, 4,
				&mon);
	assert_near(mon.temperature_c, -1.0 / 256.0);
	assert_true(isnan(mon.vcc_v));
	assert_true(isnan(mon.tx_power_mw[0]));
	assert_true(isnan(mon.tx_bias_ma[3]));
	assert_near(mon.rx_power_mw[0], 0.0);

	/* Flat memory: module monitors only, no lanes. */
	img.lower[16] = 0x80;   /* 3.2768 V */
	img.lower[17] = 0x00;
	img.lower[9] = 0x80;    /* Vcc low warning */
	lb_cmis_decode_monitors(img.lower, NULL, NULL, 0, 8, &mon);
	assert_int_equal(mon.lanes, 0);
	assert_near(mon.vcc_v, 3.2768);
	assert_int_equal(mon.vcc_flags, LB_FLAG_LOW_WARN);
	assert_near(mon.temperature_c, -1.0 / 256.0);
}

static void test_thresholds_units(void **state)
{
	(void)state;
	uint8_t p02[128] = { 0 };
	struct lb_module_thresholds t = LB_MODULE_THRESHOLDS_INIT;

	p02[0] = 0x80;          /* -128 degC */
	p02[2] = 0x7f;          /* 127.99609375 */
	p02[3] = 0xff;
	p02[184 - 128] = 0xff;  /* bias HA 65535 x 2 uA x 4 */
	p02[185 - 128] = 0xff;
	lb_cmis_decode_thresholds(p02, 4, &t);
	assert_near(t.temperature_c.high_alarm, -128.0);
	assert_near(t.temperature_c.low_alarm, 32767.0 / 256.0);
	assert_near(t.tx_bias_ma.high_alarm, 65535 * 0.008);
}

static void test_mw_to_dbm(void **state)
{
	(void)state;
	assert_near(lb_mw_to_dbm(1.0), 0.0);
	assert_near(lb_mw_to_dbm(10.0), 10.0);
	assert_near(lb_mw_to_dbm(0.5), 10.0 * log10(0.5));
	assert_near(lb_mw_to_dbm(0.0001), -40.0);
	assert_near(lb_mw_to_dbm(0.0), -40.0);
	assert_near(lb_mw_to_dbm(-1.0), -40.0);
	assert_near(lb_mw_to_dbm(0.00002), -40.0);
	assert_true(isnan(lb_mw_to_dbm(NAN)));
}

/* ---- through the bus ---- */

static void test_bus_values(void **state)
{
	(void)state;
	struct lb_test_rig r;
	struct lb_module_monitors mon = LB_MODULE_MONITORS_INIT;

	lb_test_rig_profile(&r, LB_SOURCE_DIR, "400g-fr4-qsfpdd", 400, false);
	assert_int_equal(lb_emu_module_set_monitor(r.emu, LB_EMU_MON_TEMPERATURE_C, 0, 41.5), LB_OK);
	assert_int_equal(lb_emu_module_set_monitor(r.emu, LB_EMU_MON_VCC_V, 0, 3.2999), LB_OK);
	for (unsigned l = 1; l <= 4; l++) {
		assert_int_equal(lb_emu_module_set_monitor(r.emu, LB_EMU_MON_TX_POWER_MW, l, 1.2345 + 0.1 * l), LB_OK);
		assert_int_equal(lb_emu_module_set_monitor(r.emu, LB_EMU_MON_TX_BIAS_MA, l, 40.0 + l), LB_OK);
		assert_int_equal(lb_emu_module_set_monitor(r.emu, LB_EMU_MON_RX_POWER_MW, l, 0.8 + 0.01 * l), LB_OK);
	}
	assert_int_equal(lb_module_get_monitors(r.m, &mon), LB_OK);
	assert_near(mon.temperature_c, 41.5);
	assert_near(mon.vcc_v, 3.2999);
	assert_int_equal(mon.lanes, 4);  /* 400GBASE-FR4: four media lanes */
	for (unsigned l = 1; l <= 4; l++) {
		assert_near(mon.tx_power_mw[l - 1], 1.2345 + 0.1 * l);
		assert_near(mon.tx_bias_ma[l - 1], 40.0 + l);
		assert_near(mon.rx_power_mw[l - 1], 0.8 + 0.01 * l);
		assert_int_equal(mon.tx_power_flags[l - 1] | mon.tx_bias_flags[l - 1] |
				 mon.rx_power_flags[l - 1], 0);
	}
	assert_int_equal(mon.temperature_flags | mon.vcc_flags, 0);

	struct lb_module_thresholds t = LB_MODULE_THRESHOLDS_INIT;
	assert_int_equal(lb_module_get_thresholds(r.m, &t), LB_OK);
	assert_near(t.temperature_c.high_alarm, 75.0);
	assert_near(t.temperature_c.low_alarm, -5.0);
	assert_near(t.temperature_c.high_warn, 70.0);
	assert_near(t.temperature_c.low_warn, 0.0);
	assert_near(t.vcc_v.high_alarm, 3.63);
	assert_near(t.vcc_v.low_warn, 3.135);
	assert_near(t.tx_bias_ma.high_alarm, 90.0);
	assert_near(t.tx_bias_ma.low_warn, 15.0);
	assert_true(fabs(lb_mw_to_dbm(t.rx_power_mw.low_alarm) - -10.4) < 0.001);
	assert_true(fabs(lb_mw_to_dbm(t.tx_power_mw.high_alarm) - 6.5) < 0.001);
	lb_test_rig_down(&r);

	/* Bias multiplier x2 (01h:160.4-3) applies to monitors and thresholds alike. */
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "coherent-800g-qsfpdd", 400, false);
	assert_int_equal(lb_emu_module_set_monitor(r.emu, LB_EMU_MON_TX_BIAS_MA, 1, 123.456), LB_OK);
	assert_int_equal(lb_module_get_monitors(r.m, &mon), LB_OK);
	assert_int_equal(mon.lanes, 1);  /* one coherent media lane */
	assert_near(mon.tx_bias_ma[0], 123.456);
	assert_int_equal(lb_module_get_thresholds(r.m, &t), LB_OK);
	assert_true(t.tx_bias_ma.high_alarm > 131.07);  /* beyond a x1 U16 (131.07 mA) */
	lb_test_rig_down(&r);
}

static void test_bus_latched_flags(void **state)
{
	(void)state;
	struct lb_test_rig r;
	struct lb_module_monitors mon = LB_MODULE_MONITORS_INIT;
	uint8_t b9;

	lb_test_rig_profile(&r, LB_SOURCE_DIR, "400g-fr4-qsfpdd", 400, false);
	assert_int_equal(lb_module_get_monitors(r.m, &mon), LB_OK);  /* clear power-on flags */
	/* An excursion that is over before the poll: the latch keeps it for exactly one poll. */
	assert_int_equal(lb_emu_module_set_monitor(r.emu, LB_EMU_MON_TEMPERATURE_C, 0, 90.0), LB_OK);
	assert_int_equal(lb_emu_module_set_monitor(r.emu, LB_EMU_MON_TEMPERATURE_C, 0, 40.0), LB_OK);
	assert_int_equal(lb_module_get_monitors(r.m, &mon), LB_OK);
	assert_int_equal(mon.temperature_flags, LB_FLAG_HIGH_ALARM | LB_FLAG_HIGH_WARN);
	assert_near(mon.temperature_c, 40.0);
	assert_int_equal(lb_emu_module_peek(r.emu, 0, 0, 9, &b9, 1), LB_OK);
	assert_int_equal(b9, 0);  /* our one read cleared it */
	assert_int_equal(lb_module_get_monitors(r.m, &mon), LB_OK);
	assert_int_equal(mon.temperature_flags, 0);

	/* A condition that persists latches again at once: every poll reports it. */
	assert_int_equal(lb_emu_module_set_monitor(r.emu, LB_EMU_MON_RX_POWER_MW, 2, 0.00001), LB_OK);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(lb_module_get_monitors(r.m, &mon), LB_OK);
		assert_int_equal(mon.rx_power_flags[1], LB_FLAG_LOW_ALARM | LB_FLAG_LOW_WARN);
		assert_int_equal(mon.rx_power_flags[0], 0);
		assert_near(lb_mw_to_dbm(mon.rx_power_mw[1]), -40.0);
	}

	/* Lane status flags straight from page 11h. */
	uint8_t los = 0x0c;
	assert_int_equal(lb_emu_module_poke(r.emu, 0, 0x11, 147, &los, 1), LB_OK);
	assert_int_equal(lb_module_get_monitors(r.m, &mon), LB_OK);
	assert_int_equal(mon.rx_los, 0x0c);
	assert_int_equal(lb_module_get_monitors(r.m, &mon), LB_OK);
	assert_int_equal(mon.rx_los, 0);
	lb_test_rig_down(&r);
}

static void poll_cost(const char *profile, uint64_t reads, uint64_t max_selects, uint64_t read_len)
{
	struct lb_test_rig r;
	struct lb_module_monitors mon = LB_MODULE_MONITORS_INIT;

	lb_test_rig_profile(&r, LB_SOURCE_DIR, profile, 400, false);
	assert_int_equal(lb_module_get_monitors(r.m, &mon), LB_OK);
	lb_bus_reset_stats(r.bus);
	assert_int_equal(lb_module_get_monitors(r.m, &mon), LB_OK);
	struct lb_bus_stats s = lb_test_rig_stats(&r);
	print_message("%s: monitor poll %llu transactions (%llu reads, %llu selects), %.3f ms\n",
		      profile, (unsigned long long)s.transactions, (unsigned long long)s.reads,
		      (unsigned long long)s.select_writes, (double)s.bus_time_ns / 1e6);
	assert_int_equal(s.reads, reads);
	assert_true(s.select_writes <= max_selects);
	assert_int_equal(s.transactions, s.reads + s.select_writes);
	assert_int_equal(s.max_read_len, read_len);
	lb_test_rig_down(&r);
}

static void test_bus_poll_cost(void **state)
{
	(void)state;
	/* Steady state: page 11h stays selected between polls, so no select at all. */
	/* lower 8-25 (3 reads of 8 bytes) and 11h 134-201 (9) */
	poll_cost("400g-fr4-qsfpdd", 3 + 9, 0, 8);
	/* one read each */
	poll_cost("800g-dr8-osfp", 2, 0, 68);
	/* two banks of page 11h: one bank switch per poll */
	poll_cost("1600g-2xdr8-osfpxd", 3, 1, 68);
	/* one bank, one media lane: lower memory and page 11h, one read each */
	poll_cost("coherent-800g-qsfpdd", 2, 0, 68);
}

static void test_bus_banks(void **state)
{
	(void)state;
	struct lb_test_rig r;
	struct lb_module_monitors mon = LB_MODULE_MONITORS_INIT;

	lb_test_rig_profile(&r, LB_SOURCE_DIR, "1600g-2xdr8-osfpxd", 400, false);
	assert_int_equal(lb_emu_module_set_monitor(r.emu, LB_EMU_MON_TX_POWER_MW, 12, 2.5), LB_OK);
	assert_int_equal(lb_emu_module_set_monitor(r.emu, LB_EMU_MON_RX_POWER_MW, 16, 0.25), LB_OK);
	assert_int_equal(lb_module_get_monitors(r.m, &mon), LB_OK);
	assert_int_equal(mon.lanes, 16);
	assert_near(mon.tx_power_mw[11], 2.5);
	assert_near(mon.rx_power_mw[15], 0.25);
	lb_test_rig_down(&r);
}

/* Lanes 9-16 live in bank 1: their flags reach the 32-bit masks, each exactly once. */
static void test_bus_bank1_lane_flags(void **state)
{
	(void)state;
	struct lb_test_rig r;
	struct lb_module_monitors mon = LB_MODULE_MONITORS_INIT;
	uint8_t lane12 = 0x08, lane1 = 0x01;

	lb_test_rig_profile(&r, LB_SOURCE_DIR, "1600g-2xdr8-osfpxd", 400, false);
	assert_int_equal(lb_module_get_monitors(r.m, &mon), LB_OK);  /* clear power-on flags */
	assert_int_equal(lb_emu_module_poke(r.emu, 1, 0x11, 136, &lane12, 1), LB_OK); /* Tx LOS */
	assert_int_equal(lb_emu_module_poke(r.emu, 1, 0x11, 147, &lane12, 1), LB_OK); /* Rx LOS */
	assert_int_equal(lb_emu_module_poke(r.emu, 0, 0x11, 147, &lane1, 1), LB_OK);
	assert_int_equal(lb_module_get_monitors(r.m, &mon), LB_OK);
	assert_int_equal(mon.lanes, 16);
	assert_int_equal(mon.tx_los, 1u << 11);
	assert_int_equal(mon.rx_los, 1u << 11 | 1u << 0);
	assert_int_equal(mon.tx_fault | mon.tx_lol | mon.rx_lol, 0);
	uint8_t b;
	assert_int_equal(lb_emu_module_peek(r.emu, 1, 0x11, 147, &b, 1), LB_OK);
	assert_int_equal(b, 0);  /* cleared by the one read */
	assert_int_equal(lb_module_get_monitors(r.m, &mon), LB_OK);
	assert_int_equal(mon.tx_los | mon.rx_los, 0);
	lb_test_rig_down(&r);
}

static void test_bus_nack(void **state)
{
	(void)state;
	struct lb_test_rig r;
	struct lb_module_monitors mon = LB_MODULE_MONITORS_INIT;
	struct lb_module_thresholds t = LB_MODULE_THRESHOLDS_INIT;

	lb_test_rig_profile(&r, LB_SOURCE_DIR, "400g-fr4-qsfpdd", 400, true);
	assert_int_equal(lb_module_get_monitors(r.m, &mon), LB_OK);
	r.flaky.nack_len = 1000;
	r.flaky.nack_at = r.flaky.count + 6;
	assert_int_equal(lb_module_get_monitors(r.m, &mon), LB_E_NACK);
	r.flaky.nack_at = r.flaky.count + 3;
	assert_int_equal(lb_module_get_thresholds(r.m, &t), LB_E_NACK);
	r.flaky.nack_at = 0;
	assert_int_equal(lb_module_get_monitors(r.m, &mon), LB_OK);
	assert_int_equal(lb_module_get_thresholds(r.m, &t), LB_OK);
	assert_int_equal(lb_module_get_monitors(NULL, &mon), LB_E_INVAL);
	assert_int_equal(lb_module_get_thresholds(r.m, NULL), LB_E_INVAL);
	lb_test_rig_down(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_images),
		cmocka_unit_test(test_flags_per_lane),
		cmocka_unit_test(test_banks),
		cmocka_unit_test(test_decode_flags),
		cmocka_unit_test(test_unsupported_and_flat),
		cmocka_unit_test(test_thresholds_units),
		cmocka_unit_test(test_mw_to_dbm),
		cmocka_unit_test(test_bus_values),
		cmocka_unit_test(test_bus_latched_flags),
		cmocka_unit_test(test_bus_poll_cost),
		cmocka_unit_test(test_bus_banks),
		cmocka_unit_test(test_bus_bank1_lane_flags),
		cmocka_unit_test(test_bus_nack),
	};
	return LB_TEST_RUN(tests, NULL, NULL);
}
