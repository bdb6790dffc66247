/* SPDX-License-Identifier: MIT */
/*
 * A telemetry source per module: a model feeds what the module measures. A source whose Rx
 * power falls with time makes the module's Rx power bytes and its low warning and low alarm
 * flags (and IntL) follow in virtual time, with or without host traffic; removing the source
 * keeps the last values.
 */
#include <math.h>
#include "emu_fixture.h"

#define S_NS 1000000000ull

/* Rx power of lane 1 falls by 1 dB per second from 0.5 dBm (the 400G FR4 profile's value). */
struct fading {
	unsigned samples;
	uint64_t last_t;
	unsigned released;
	bool fail;
};

static double fading_dbm(uint64_t t_ns)
{
	return 0.5 - (double)t_ns / (double)S_NS;
}

static double mw(double dbm)
{
	return pow(10.0, dbm / 10.0);
}

static int fading_sample(void *user, uint64_t t_ns, struct lb_emu_telemetry *tm)
{
	struct fading *f = user;
	if (f->samples)
		assert_true(t_ns >= f->last_t); /* asked at the module's time, which only goes on */
	f->samples++;
	f->last_t = t_ns;
	if (f->fail)
		return LB_E_IO;
	assert_true(tm->size >= LB_EMU_TELEMETRY_SIZE_V1);
	assert_int_equal(tm->lanes, 8);
	tm->rx_power_mw[0] = mw(fading_dbm(t_ns));
	return LB_OK;
}

static void fading_release(void *user)
{
	((struct fading *)user)->released++;
}

/* Lane 1 Rx power as the host reads it: 11h:186-187, 0.1 uW. */
static unsigned host_rx_raw(struct lb_emu_segment *s)
{
	uint8_t b[2];
	emu_sel(s, 0, 0x11);
	assert_int_equal(emu_rd(s, 186, b, 2), LB_OK);
	return (unsigned)b[0] << 8 | b[1];
}

static unsigned raw_at(uint64_t t_ns)
{
	return (unsigned)lround(mw(fading_dbm(t_ns)) * 10000.0);
}

static void seg_to(struct lb_emu_segment *s, uint64_t t)
{
	uint64_t now = lb_emu_segment_now_ns(s);
	assert_true(t >= now);
	lb_emu_segment_advance_ns(s, t - now);
}

/* Rx low warning 11h:152 and low alarm 11h:150, lane 1, as stored (no clear-on-read). */
static void peek_flags(struct lb_emu_module *m, uint8_t *lalarm, uint8_t *lwarn)
{
	assert_int_equal(lb_emu_module_peek(m, 0, 0x11, 150, lalarm, 1), LB_OK);
	assert_int_equal(lb_emu_module_peek(m, 0, 0x11, 152, lwarn, 1), LB_OK);
}

/* Sampled on its own every 100 ms: flags and IntL follow with nobody on the bus. */
static void test_falling_rx_power(void **state)
{
	(void)state;
	struct emu_fx fx;
	fx_open(&fx, EMU_PROFILE("400g-fr4-qsfpdd")); /* Rx low warning -7.1 dBm, low alarm -10.4 */
	struct fading f = { 0 };
	const struct lb_emu_telemetry_ops ops = {
		.size = sizeof(ops), .sample = fading_sample, .release = fading_release,
		.interval_ns = 100 * MS_NS,
	};
	uint8_t mask_all = 0xFF; /* module flags masked: IntL tells the lane flags alone */
	for (uint8_t b = 31; b <= 34; b++)
		assert_int_equal(lb_emu_module_poke(fx.m, 0, 0, b, &mask_all, 1), LB_OK);
	assert_int_equal(lb_emu_module_set_telemetry_source(fx.m, &ops, &f), LB_OK);
	assert_int_equal(f.samples, 1); /* at once, at the module's time */
	uint64_t t0 = f.last_t;
	assert_int_equal(t0, lb_emu_segment_now_ns(fx.s));

	assert_int_equal(t0, 0);

	/* No host traffic: the segment runs the module every 100 ms, on the dot. */
	uint8_t la, lw;
	seg_to(fx.s, 7500 * MS_NS); /* -7.0 dBm: no flag yet */
	assert_int_equal(f.samples, 76);
	assert_int_equal(f.last_t, 7500 * MS_NS);
	peek_flags(fx.m, &la, &lw);
	assert_int_equal(la & 1, 0);
	assert_int_equal(lw & 1, 0);
	assert_int_equal(lb_emu_module_intl(fx.m), 0);
	seg_to(fx.s, 7600 * MS_NS); /* -7.1 dBm is not below the -7.1 dBm low warning */
	peek_flags(fx.m, &la, &lw);
	assert_int_equal(lw & 1, 0);
	seg_to(fx.s, 7700 * MS_NS - 1);
	peek_flags(fx.m, &la, &lw);
	assert_int_equal(lw & 1, 0);
	seg_to(fx.s, 7700 * MS_NS); /* -7.2 dBm: the low warning latches, IntL asserts */
	peek_flags(fx.m, &la, &lw);
	assert_int_equal(lw & 1, 1);
	assert_int_equal(la & 1, 0);
	assert_int_equal(lb_emu_module_intl(fx.m), 1);
	seg_to(fx.s, 10900 * MS_NS); /* -10.4 dBm, not below the low alarm */
	peek_flags(fx.m, &la, &lw);
	assert_int_equal(la & 1, 0);
	seg_to(fx.s, 11000 * MS_NS); /* -10.5 dBm: the low alarm */
	peek_flags(fx.m, &la, &lw);
	assert_int_equal(la & 1, 1);
	uint8_t raw[2];
	assert_int_equal(lb_emu_module_peek(fx.m, 0, 0x11, 186, raw, 2), LB_OK);
	assert_int_equal((unsigned)raw[0] << 8 | raw[1], raw_at(11000 * MS_NS));

	/* The host sees it all, each read with the value of its own time. */
	emu_sel(fx.s, 0, 0x11);
	uint64_t t = lb_emu_segment_now_ns(fx.s); /* the read below acts at its start */
	uint8_t b[2];
	assert_int_equal(emu_rd(fx.s, 186, b, 2), LB_OK);
	assert_int_equal((unsigned)b[0] << 8 | b[1], raw_at(t));
	assert_int_equal(emu_rd1(fx.s, 150) & 1, 1);
	assert_int_equal(emu_rd1(fx.s, 150) & 1, 1); /* still holding: latched again after the read */
	unsigned before_removal = host_rx_raw(fx.s);

	/* Removing the source keeps the last values; time no longer changes them. */
	assert_int_equal(lb_emu_module_set_telemetry_source(fx.m, NULL, NULL), LB_OK);
	assert_int_equal(f.released, 1);
	unsigned samples = f.samples;
	lb_emu_world_advance_ns(fx.w, 5 * S_NS);
	assert_int_equal(f.samples, samples);
	assert_int_equal(host_rx_raw(fx.s), before_removal);
	assert_int_equal(emu_rd1(fx.s, 150) & 1, 1); /* the condition holds with the last value */
	/* the other lanes kept the profile's values throughout */
	uint8_t l2[2], want[2];
	assert_int_equal(emu_rd(fx.s, 188, l2, 2), LB_OK);
	assert_int_equal(lb_emu_module_peek(fx.m, 0, 0x11, 188, want, 2), LB_OK);
	assert_memory_equal(l2, want, 2);
	assert_int_equal((unsigned)l2[0] << 8 | l2[1], (unsigned)lround(mw(0.5) * 10000.0));
	fx_close(&fx);
}

/* Without an interval the module samples only when it runs at a new time. */
static void test_sampled_when_touched(void **state)
{
	(void)state;
	struct emu_fx fx;
	fx_open(&fx, EMU_PROFILE("400g-fr4-qsfpdd"));
	struct fading f = { 0 };
	const struct lb_emu_telemetry_ops ops = {
		.size = LB_EMU_TELEMETRY_OPS_SIZE_V1, .sample = fading_sample,
	};
	assert_int_equal(lb_emu_module_set_telemetry_source(fx.m, &ops, &f), LB_OK);
	uint8_t raw[2], again[2];
	assert_int_equal(lb_emu_module_peek(fx.m, 0, 0x11, 186, raw, 2), LB_OK);
	lb_emu_segment_advance_ns(fx.s, 3 * S_NS); /* nothing due: the segment leaves it be */
	assert_int_equal(f.samples, 1);
	assert_int_equal(lb_emu_module_peek(fx.m, 0, 0x11, 186, again, 2), LB_OK);
	assert_memory_equal(raw, again, 2);
	uint64_t t = lb_emu_segment_now_ns(fx.s);
	emu_sel(fx.s, 0, 0x11); /* the first transfer at the new time samples */
	assert_int_equal(f.samples, 2);
	assert_int_equal(f.last_t, t);
	lb_emu_world_advance_ns(fx.w, S_NS); /* so does a world advance */
	assert_int_equal(f.samples, 3);
	assert_int_equal(f.last_t, lb_emu_world_now_ns(fx.w));

	/* A sample the source refuses leaves the values as they were. */
	assert_int_equal(lb_emu_module_peek(fx.m, 0, 0x11, 186, raw, 2), LB_OK);
	f.fail = true;
	lb_emu_world_advance_ns(fx.w, S_NS);
	assert_int_equal(f.samples, 4);
	assert_int_equal(lb_emu_module_peek(fx.m, 0, 0x11, 186, again, 2), LB_OK);
	assert_memory_equal(raw, again, 2);

	/* Not while the module is held in reset; again once it runs. */
	f.fail = false;
	lb_emu_module_set_resetl(fx.m, 1);
	lb_emu_world_advance_ns(fx.w, S_NS);
	assert_int_equal(f.samples, 4);
	lb_emu_module_set_resetl(fx.m, 0);
	struct lb_emu_timing tm;
	lb_emu_module_get_timing(fx.m, &tm);
	lb_emu_world_advance_ns(fx.w, tm.reset_ns);
	assert_int_equal(f.samples, 5);

	/* A table too small or without sample is refused; the source stays. */
	struct lb_emu_telemetry_ops bad = ops;
	bad.size = LB_EMU_TELEMETRY_OPS_SIZE_V1 - 1;
	assert_int_equal(lb_emu_module_set_telemetry_source(fx.m, &bad, &f), LB_E_INVAL);
	bad = ops;
	bad.sample = NULL;
	assert_int_equal(lb_emu_module_set_telemetry_source(fx.m, &bad, &f), LB_E_INVAL);
	lb_emu_world_advance_ns(fx.w, S_NS);
	assert_int_equal(f.samples, 6);
	fx_close(&fx); /* destroying the module releases nothing: this source has no release */
}

/* Module monitors too: temperature from the source raises the high alarm. */
static int hot_sample(void *user, uint64_t t_ns, struct lb_emu_telemetry *tm)
{
	(void)user;
	tm->temperature_c = 40.0 + (double)t_ns / (double)S_NS * 10.0; /* +10 C per second */
	return LB_OK;
}

static void test_module_monitors(void **state)
{
	(void)state;
	struct emu_fx fx;
	fx_open(&fx, EMU_PROFILE("400g-fr4-qsfpdd")); /* high alarm 75 C */
	struct fading f = { 0 };
	const struct lb_emu_telemetry_ops ops = {
		.size = sizeof(ops), .sample = hot_sample, .release = fading_release,
		.interval_ns = 10 * MS_NS,
	};
	assert_int_equal(lb_emu_module_set_telemetry_source(fx.m, &ops, &f), LB_OK);
	lb_emu_segment_advance_ns(fx.s, 3 * S_NS);
	uint8_t v;
	assert_int_equal(lb_emu_module_peek(fx.m, 0, 0, 9, &v, 1), LB_OK);
	assert_int_equal(v & 1, 0);
	lb_emu_segment_advance_ns(fx.s, 600 * MS_NS); /* 76 C */
	assert_int_equal(lb_emu_module_peek(fx.m, 0, 0, 9, &v, 1), LB_OK);
	assert_int_equal(v & 1, 1); /* temperature high alarm */
	uint8_t t[2];
	assert_int_equal(emu_rd(fx.s, 14, t, 2), LB_OK);
	assert_true((int16_t)((unsigned)t[0] << 8 | t[1]) / 256.0 > 75.0);
	fx_close(&fx);
	assert_int_equal(f.released, 1); /* the module's destruction released it */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_falling_rx_power),
		cmocka_unit_test(test_sampled_when_touched),
		cmocka_unit_test(test_module_monitors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
