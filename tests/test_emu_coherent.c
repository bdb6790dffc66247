/* SPDX-License-Identifier: MIT */
/*
 * The emulated coherent module shows what its telemetry source models (telemetry V2): VDM
 * samples by descriptor type, the statistics of the interval, FEC counters accumulated over
 * virtual time from BER x line rate (and the U32 frame counter wrapping), the link PMs, the
 * VDM, coherent and media lane flags, and the interval ended by FreezeRequest (2Fh:144.7).
 * Registers are peeked (no clear-on-read) unless the test reads them as a host would.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <lightbridge/lightbridge.h>
#include "emu_rig.h"
#include "test_run.h"

#define NEAR(a, b, eps) (fabs((double)(a) - (double)(b)) <= (eps))
#define MS 1000000ull
#define RATE 800e9          /* 800ZR-A, the profile's default application */
#define FRAME_BITS 10240.0  /* emulator/cmis/emu_coherent.h */

/* What the source models; NAN: not modelled. */
struct model {
	double osnr, esnr, pre_ber, post_ber, cd, dgd, evm;
	bool los;
	unsigned samples;
};

static int model_sample(void *user, uint64_t t_ns, struct lb_emu_telemetry *tm)
{
	(void)t_ns;
	struct model *md = user;
	md->samples++;
	assert_true(tm->size >= LB_EMU_TELEMETRY_SIZE_V2);
	assert_int_equal(tm->media_lanes, 1);
	tm->osnr_db[0] = md->osnr;
	tm->esnr_db[0] = md->esnr;
	tm->pre_fec_ber[0] = md->pre_ber;
	tm->post_fec_ber[0] = md->post_ber;
	tm->cd_ps_nm[0] = md->cd;
	tm->dgd_ps[0] = md->dgd;
	tm->evm_pct[0] = md->evm;
	tm->media_los[0] = md->los;
	return LB_OK;
}

static const struct lb_emu_telemetry_ops model_ops = {
	.size = sizeof(model_ops), .sample = model_sample, .interval_ns = 100 * MS,
};

static struct model healthy(void)
{
	return (struct model){ .osnr = 30.0, .esnr = 14.2, .pre_ber = 2.5e-3, .post_ber = 0,
			       .cd = 1234, .dgd = 3.5, .evm = NAN };
}

static void up(struct lb_test_rig *r, struct model *md, bool bring_up)
{
	lb_test_rig_profile(r, LB_SOURCE_DIR, "coherent-800g-qsfpdd", 1000, false);
	if (bring_up)
		assert_int_equal(lb_module_bring_up(r->m, 0, 0, NULL), LB_OK);
	assert_int_equal(lb_emu_module_set_telemetry_source(r->emu, &model_ops, md), LB_OK);
}

static void sleep_ms(struct lb_test_rig *r, uint64_t ms)
{
	lb_bus_sleep_ns(r->bus, ms * MS);
}

static unsigned peek16(struct lb_test_rig *r, uint8_t page, uint8_t off)
{
	uint8_t b[2];
	assert_int_equal(lb_emu_module_peek(r->emu, 0, page, off, b, 2), LB_OK);
	return (unsigned)b[0] << 8 | b[1];
}

static uint64_t peek_be(struct lb_test_rig *r, uint8_t page, uint8_t off, unsigned n)
{
	uint8_t b[8];
	assert_int_equal(lb_emu_module_peek(r->emu, 0, page, off, b, n), LB_OK);
	uint64_t v = 0;
	for (unsigned i = 0; i < n; i++)
		v = v << 8 | b[i];
	return v;
}

/* The profile's group 1: instance i at 24h:128+2i (docs/coherent.md lists them). */
enum { I_OSNR, I_ESNR, I_BER, I_BER_MIN, I_BER_MAX, I_BER_AVG, I_FERC, I_CD, I_DGD, I_SOPMD,
       I_PDL, I_CFO, I_EVM };
#define SAMPLE(r, i) peek16((r), 0x24, (uint8_t)(128 + 2 * (i)))

static double sample_value(struct lb_test_rig *r, unsigned i)
{
	uint8_t d[2];
	assert_int_equal(lb_emu_module_peek(r->emu, 0, 0x20, (uint8_t)(128 + 2 * i), d, 2), LB_OK);
	return lb_vdm_value(d[1], (uint16_t)SAMPLE(r, i));
}

/* The samples follow the model in each type's format; what it does not model stays. */
static void test_vdm_samples_follow_source(void **state)
{
	(void)state;
	struct lb_test_rig r;
	struct model md = healthy();
	unsigned evm_before = 0;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "coherent-800g-qsfpdd", 1000, false);
	evm_before = SAMPLE(&r, I_EVM);
	assert_int_equal(evm_before, 0x199A); /* the profile's 10 % */
	assert_int_equal(lb_emu_module_set_telemetry_source(r.emu, &model_ops, &md), LB_OK);
	assert_int_equal(SAMPLE(&r, I_OSNR), 300);  /* U16 x 0.1 dB */
	assert_int_equal(SAMPLE(&r, I_ESNR), 142);
	assert_int_equal(SAMPLE(&r, I_CD), 1234);   /* S16 x 1 ps/nm */
	assert_int_equal(SAMPLE(&r, I_DGD), 350);   /* U16 x 0.01 ps */
	assert_true(NEAR(sample_value(&r, I_BER), 2.5e-3, 1e-9)); /* F16 */
	assert_int_equal(SAMPLE(&r, I_BER), 19u << 11 | 250u); /* 250 x 10^-5: M fits 11 bits */
	assert_int_equal(SAMPLE(&r, I_EVM), evm_before); /* not modelled: kept */
	/* a negative CD in S16, a BER below the F16 resolution of its exponent */
	md.cd = -20000;
	md.pre_ber = 1.234567e-5;
	sleep_ms(&r, 100);
	assert_int_equal(SAMPLE(&r, I_CD), (unsigned)(uint16_t)(int16_t)-20000);
	assert_true(NEAR(sample_value(&r, I_BER), 1.235e-5, 1e-12));
	lb_test_rig_down(&r);
}

/* Min/max/average of the interval: VDM statistic types and the link PMs (35h). */
static void test_statistics_over_interval(void **state)
{
	(void)state;
	struct lb_test_rig r;
	struct model md = healthy();
	up(&r, &md, false);
	md.osnr = 20.0;
	md.pre_ber = 1e-3;
	sleep_ms(&r, 100);
	md.osnr = 25.0;
	md.pre_ber = 4e-3;
	sleep_ms(&r, 100);
	/* samples: 30/2.5e-3 (at the source's start), 20/1e-3, 25/4e-3 */
	assert_true(NEAR(sample_value(&r, I_BER_MIN), 1e-3, 1e-12));
	assert_true(NEAR(sample_value(&r, I_BER_MAX), 4e-3, 1e-12));
	assert_true(NEAR(sample_value(&r, I_BER_AVG), 2.5e-3, 1e-12));
	/* 35h OSNR avg/min/max at 158/160/162, U16 x 0.1 dB */
	assert_int_equal(peek16(&r, 0x35, 158), 250);
	assert_int_equal(peek16(&r, 0x35, 160), 200);
	assert_int_equal(peek16(&r, 0x35, 162), 300);
	/* CD as S32 at 128 (avg), 132 (min), 136 (max) */
	assert_int_equal((int32_t)peek_be(&r, 0x35, 128, 4), 1234);
	lb_test_rig_down(&r);
}

/* FEC counters: BER x line rate over virtual time, only while the data path runs. */
static void test_fec_counters_accumulate(void **state)
{
	(void)state;
	struct lb_test_rig r;
	struct model md = healthy();
	md.pre_ber = 1e-3;
	md.post_ber = 1e-6;
	up(&r, &md, false);
	sleep_ms(&r, 500);
	assert_int_equal(peek_be(&r, 0x34, 128, 8), 0); /* low power: no data path, no bits */
	lb_test_rig_down(&r);

	md = healthy();
	md.pre_ber = 1e-3;
	md.post_ber = 1e-6;
	up(&r, &md, true);
	uint64_t b0 = peek_be(&r, 0x34, 128, 8), c0 = peek_be(&r, 0x34, 144, 8);
	uint64_t f0 = peek_be(&r, 0x34, 168, 4), u0 = peek_be(&r, 0x34, 176, 4);
	sleep_ms(&r, 2000);
	uint64_t bits = peek_be(&r, 0x34, 128, 8) - b0;
	assert_true(NEAR((double)bits, 2 * RATE, 1.0));
	assert_true(NEAR((double)(peek_be(&r, 0x34, 144, 8) - c0), 2 * RATE * 1e-3, 2.0));
	assert_true(NEAR((double)(peek_be(&r, 0x34, 168, 4) - f0), 2 * RATE / FRAME_BITS, 1.0));
	assert_true(NEAR((double)(peek_be(&r, 0x34, 176, 4) - u0), 2 * RATE / FRAME_BITS * 1e-6, 1.0));
	/* per 1 s sub-interval (2Fh:129-130): bits, frames, min/max corrected bits */
	assert_int_equal(peek_be(&r, 0x34, 136, 8), (uint64_t)RATE);
	assert_int_equal(peek_be(&r, 0x34, 172, 4), (uint64_t)(RATE / FRAME_BITS));
	assert_int_equal(peek_be(&r, 0x34, 160, 8), (uint64_t)(RATE * 1e-3));
	/* loss of signal: nothing received, nothing counted; LOS flags latch */
	md.los = true;
	sleep_ms(&r, 100);
	uint64_t b1 = peek_be(&r, 0x34, 128, 8);
	sleep_ms(&r, 1000);
	assert_int_equal(peek_be(&r, 0x34, 128, 8), b1);
	uint8_t f;
	assert_int_equal(lb_emu_module_peek(r.emu, 0, 0x11, 147, &f, 1), LB_OK);
	assert_int_equal(f & 1, 1);
	assert_int_equal(lb_emu_module_peek(r.emu, 0, 0x33, 128, &f, 1), LB_OK);
	assert_int_equal(f & 0x01, 0x01);
	lb_test_rig_down(&r);
}

/* The U32 frame counter wraps as the register does (800G: 2^32 frames in about 55 s). */
static void test_frame_counter_wraps(void **state)
{
	(void)state;
	struct lb_test_rig r;
	struct model md = healthy();
	up(&r, &md, true);
	uint64_t b0 = peek_be(&r, 0x34, 128, 8), f0 = peek_be(&r, 0x34, 168, 4);
	sleep_ms(&r, 60000);
	uint64_t bits = peek_be(&r, 0x34, 128, 8);
	double frames = (double)bits / FRAME_BITS;
	assert_true(frames > 4294967296.0); /* it did wrap */
	uint64_t want = (uint64_t)frames % 4294967296ull;
	uint64_t got = peek_be(&r, 0x34, 168, 4);
	assert_true(NEAR((double)got, (double)want, 2.0));
	assert_true(got < f0 + (uint64_t)((double)(bits - b0) / FRAME_BITS)); /* smaller: wrapped */
	lb_test_rig_down(&r);
}

static uint8_t p2f_145(struct lb_test_rig *r)
{
	uint8_t v;
	assert_int_equal(lb_emu_module_peek(r->emu, 0, 0x2F, 145, &v, 1), LB_OK);
	return v;
}

/* FreezeRequest ends the interval: registers hold, statistics restart, done bits follow. */
static void test_freeze_ends_interval(void **state)
{
	(void)state;
	struct lb_test_rig r;
	struct model md = healthy();
	md.pre_ber = 1e-3;
	up(&r, &md, true);
	assert_int_equal(p2f_145(&r), 0); /* no request served since power-on */
	sleep_ms(&r, 1000);
	uint8_t v = 0x80;
	assert_int_equal(lb_module_write(r.m, 0, 0x2F, 144, &v, 1), LB_OK);
	assert_int_equal(p2f_145(&r) & 0x80, 0); /* FreezeDone follows within tVDMF */
	uint64_t held = peek_be(&r, 0x34, 128, 8);
	unsigned osnr_held = SAMPLE(&r, I_OSNR);
	sleep_ms(&r, 10);
	assert_int_equal(p2f_145(&r) & 0x80, 0x80);
	md.osnr = 18.0;
	sleep_ms(&r, 2000);
	assert_int_equal(peek_be(&r, 0x34, 128, 8), held);  /* frozen */
	assert_int_equal(SAMPLE(&r, I_OSNR), osnr_held);
	v = 0x00;
	assert_int_equal(lb_module_write(r.m, 0, 0x2F, 144, &v, 1), LB_OK);
	assert_int_equal(p2f_145(&r) & 0x40, 0);
	/* what was collected since the freeze: about 2 s of bits, OSNR now 18 */
	uint64_t since = peek_be(&r, 0x34, 128, 8);
	assert_true(NEAR((double)since, 2.01 * RATE, RATE * 0.02));
	assert_int_equal(SAMPLE(&r, I_OSNR), 180);
	assert_int_equal(peek16(&r, 0x35, 160), 180); /* the new interval's OSNR minimum */
	sleep_ms(&r, 10);
	assert_int_equal(p2f_145(&r) & 0x40, 0x40);
	/* the request bit is read-write, the done bits read-only */
	uint8_t b[2];
	assert_int_equal(lb_module_read(r.m, 0, 0x2F, 144, b, 2), LB_OK);
	assert_int_equal(b[0], 0x00);
	lb_test_rig_down(&r);
}

/* VDM flags: a sample against its threshold set, latched, clear-on-read, IntL. */
static void test_vdm_flags(void **state)
{
	(void)state;
	struct lb_test_rig r;
	struct model md = healthy();
	up(&r, &md, false);
	uint8_t f;
	assert_int_equal(lb_emu_module_peek(r.emu, 0, 0x2C, 128, &f, 1), LB_OK);
	assert_int_equal(f, 0); /* healthy */
	md.osnr = 15.0; /* below the 16 dB low warning, above the 14 dB low alarm */
	sleep_ms(&r, 100);
	assert_int_equal(lb_emu_module_peek(r.emu, 0, 0x2C, 128, &f, 1), LB_OK);
	assert_int_equal(f & 0x0F, LB_FLAG_LOW_WARN);
	assert_int_equal(lb_emu_module_intl(r.emu), 1);
	md.osnr = 30.0; /* healthy again: the flag stays latched until read */
	sleep_ms(&r, 100);
	assert_int_equal(lb_emu_module_peek(r.emu, 0, 0x2C, 128, &f, 1), LB_OK);
	assert_int_equal(f & 0x0F, LB_FLAG_LOW_WARN);
	assert_int_equal(lb_module_read(r.m, 0, 0x2C, 128, &f, 1), LB_OK);
	assert_int_equal(f & 0x0F, LB_FLAG_LOW_WARN);
	assert_int_equal(lb_module_read(r.m, 0, 0x2C, 128, &f, 1), LB_OK);
	assert_int_equal(f & 0x0F, 0);
	/* a pre-FEC BER over its high warning (1e-2) and alarm (2e-2): instance 2, bits 3-0 of 129 */
	md.pre_ber = 3e-2;
	sleep_ms(&r, 100);
	assert_int_equal(lb_emu_module_peek(r.emu, 0, 0x2C, 129, &f, 1), LB_OK);
	assert_int_equal(f & 0x0F, LB_FLAG_HIGH_ALARM | LB_FLAG_HIGH_WARN);
	lb_test_rig_down(&r);
}

/* A module whose source models nothing coherent keeps its pages as they are. */
static void test_nothing_modelled_keeps_pages(void **state)
{
	(void)state;
	struct lb_test_rig r;
	struct model md = healthy();
	md.osnr = md.esnr = md.pre_ber = md.post_ber = md.cd = md.dgd = NAN;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "coherent-800g-qsfpdd", 1000, false);
	unsigned osnr = SAMPLE(&r, I_OSNR);
	assert_int_equal(lb_emu_module_set_telemetry_source(r.emu, &model_ops, &md), LB_OK);
	sleep_ms(&r, 300);
	assert_true(md.samples >= 3);
	assert_int_equal(SAMPLE(&r, I_OSNR), osnr);
	assert_int_equal(peek_be(&r, 0x35, 158, 2), 0);
	lb_test_rig_down(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vdm_samples_follow_source),
		cmocka_unit_test(test_statistics_over_interval),
		cmocka_unit_test(test_fec_counters_accumulate),
		cmocka_unit_test(test_frame_counter_wraps),
		cmocka_unit_test(test_freeze_ends_interval),
		cmocka_unit_test(test_vdm_flags),
		cmocka_unit_test(test_nothing_modelled_keeps_pages),
	};
	return LB_TEST_RUN(tests, NULL, NULL);
}
