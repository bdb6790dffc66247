/* SPDX-License-Identifier: MIT */
/*
 * Coherent telemetry through the library (coherent.h): VDM descriptors read once per
 * insertion, freeze/unfreeze of the statistics interval (read-modify-write of its bit, the
 * done bits awaited, refused without statistic observables), the C-CMIS PMs with their
 * interval and the frame counter's wraps put back, the telemetry snapshot (names, units,
 * alarm states through the flag accumulator, one plan), and bad input: missing VDM pages, F16
 * extremes, a module that is not coherent.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <lightbridge/lightbridge.h>
#include "emu_rig.h"
#include "image_file.h"
#include "test_run.h"

#define NEAR(a, b, eps) (fabs((double)(a) - (double)(b)) <= (eps))
#define MS 1000000ull
#define RATE 800e9

struct model {
	double osnr, pre_ber, post_ber;
	bool los;
};

static int model_sample(void *user, uint64_t t_ns, struct lb_emu_telemetry *tm)
{
	(void)t_ns;
	struct model *md = user;
	tm->osnr_db[0] = md->osnr;
	tm->pre_fec_ber[0] = md->pre_ber;
	tm->post_fec_ber[0] = md->post_ber;
	tm->media_los[0] = md->los;
	return LB_OK;
}

static const struct lb_emu_telemetry_ops model_ops = {
	.size = sizeof(model_ops), .sample = model_sample, .interval_ns = 100 * MS,
};

static void up(struct lb_test_rig *r, struct model *md, bool bring_up)
{
	lb_test_rig_profile(r, LB_SOURCE_DIR, "coherent-800g-qsfpdd", 1000, false);
	if (bring_up)
		assert_int_equal(lb_module_bring_up(r->m, 0, 0, NULL), LB_OK);
	if (md)
		assert_int_equal(lb_emu_module_set_telemetry_source(r->emu, &model_ops, md), LB_OK);
}

static void sleep_ms(struct lb_test_rig *r, uint64_t ms)
{
	lb_bus_sleep_ns(r->bus, ms * MS);
}

static struct lb_vdm *vdm_new(void)
{
	struct lb_vdm *v = calloc(1, sizeof(*v));
	assert_non_null(v);
	v->size = sizeof(*v);
	return v;
}

/* Descriptors once per insertion: the second read reads the samples alone. */
static void test_vdm_descriptors_cached(void **state)
{
	(void)state;
	struct lb_test_rig r;
	up(&r, NULL, false);
	struct lb_vdm *v = vdm_new();
	assert_int_equal(lb_module_is_coherent(r.m), 1); /* the advertisement, read */
	struct lb_bus_stats a = lb_test_rig_stats(&r);
	assert_int_equal(lb_vdm_read(r.m, 0, 0, v), LB_OK);
	struct lb_bus_stats b = lb_test_rig_stats(&r);
	assert_int_equal(v->count, 17);
	/* 2Fh:128, descriptors 20h-21h, samples 24h-25h: one read each (full-page reads) */
	assert_int_equal(b.reads - a.reads, 5);
	assert_int_equal(lb_vdm_read(r.m, 0, LB_VDM_THRESHOLDS, v), LB_OK);
	struct lb_bus_stats c = lb_test_rig_stats(&r);
	assert_int_equal(c.reads - b.reads, 4); /* samples and thresholds, no descriptor */
	assert_true(NEAR(v->inst[0].value, 33.9, 1e-9));
	assert_true(NEAR(v->inst[0].low_alarm, 14.0, 1e-9));
	/* a new module in the cage: read again */
	uint8_t none[2] = { 0, 0 };
	assert_int_equal(lb_emu_module_poke(r.emu, 0, 0x20, 128, none, 2), LB_OK);
	assert_int_equal(lb_vdm_read(r.m, 0, 0, v), LB_OK);
	assert_int_equal(v->count, 17); /* still the cached descriptors */
	lb_module_invalidate(r.m);
	assert_int_equal(lb_vdm_read(r.m, 0, 0, v), LB_OK);
	assert_int_equal(v->count, 16);
	free(v);
	lb_test_rig_down(&r);
}

/* Freeze: its bit alone, done bits awaited, the interval ends; unfreeze resumes. */
static void test_vdm_freeze_unfreeze(void **state)
{
	(void)state;
	struct lb_test_rig r;
	struct model md = { .osnr = 30.0, .pre_ber = 1e-3 };
	up(&r, &md, true);
	uint8_t psm = 0x40 | 0x28; /* PowerSavingMode and a duty cycle: must survive the freeze */
	assert_int_equal(lb_emu_module_poke(r.emu, 0, 0x2F, 144, &psm, 1), LB_OK);
	sleep_ms(&r, 1000);
	uint64_t t0 = lb_bus_now_ns(r.bus);
	assert_int_equal(lb_vdm_freeze(r.m), LB_OK);
	uint64_t waited = lb_bus_now_ns(r.bus) - t0;
	assert_true(waited >= 5 * MS && waited < 20 * MS); /* the module's 5 ms, polled closely */
	uint8_t b[2];
	assert_int_equal(lb_emu_module_peek(r.emu, 0, 0x2F, 144, b, 2), LB_OK);
	assert_int_equal(b[0], 0x80 | psm);
	assert_int_equal(b[1] & 0x80, 0x80);
	struct lb_ccmis_pm pm = LB_CCMIS_PM_INIT, pm2 = LB_CCMIS_PM_INIT;
	assert_int_equal(lb_ccmis_pm_read(r.m, 0, &pm), LB_OK);
	sleep_ms(&r, 1000);
	assert_int_equal(lb_ccmis_pm_read(r.m, 0, &pm2), LB_OK);
	assert_int_equal(pm2.rx_bits, pm.rx_bits); /* the ended interval, held */
	assert_true(pm.rx_bits > 0);
	assert_true(NEAR(pm.pre_fec_ber[LB_PM_AVG], 1e-3, 1e-6));
	/* freezing again: already frozen and served, nothing written */
	struct lb_bus_stats s0 = lb_test_rig_stats(&r);
	assert_int_equal(lb_vdm_freeze(r.m), LB_OK);
	assert_int_equal(lb_test_rig_stats(&r).writes - lb_test_rig_stats(&r).select_writes,
			 s0.writes - s0.select_writes);
	assert_int_equal(lb_vdm_unfreeze(r.m), LB_OK);
	assert_int_equal(lb_emu_module_peek(r.emu, 0, 0x2F, 144, b, 2), LB_OK);
	assert_int_equal(b[0], psm);
	assert_int_equal(b[1] & 0x40, 0x40);
	assert_int_equal(lb_ccmis_pm_read(r.m, 0, &pm2), LB_OK);
	/* what was collected since the freeze: about 1 s */
	assert_true(NEAR((double)pm2.rx_bits, RATE * 1.005, RATE * 0.01));
	lb_test_rig_down(&r);
}

/* VDM flags with lb_vdm_read: page 2Ch whole, per instance, nobody else loses them. */
static void test_vdm_read_flags(void **state)
{
	(void)state;
	struct lb_test_rig r;
	struct model md = { .osnr = 30.0, .pre_ber = 1e-3 };
	up(&r, &md, false);
	struct lb_flag_consumer *c;
	assert_int_equal(lb_flag_consumer_create(r.m, &c), LB_OK);
	md.osnr = 13.0; /* below the 14 dB low alarm and the 16 dB low warning */
	md.pre_ber = 1.5e-2; /* over the 1e-2 high warning */
	sleep_ms(&r, 100);
	struct lb_vdm *v = vdm_new();
	assert_int_equal(lb_vdm_read(r.m, 0, LB_VDM_FLAGS, v), LB_OK);
	assert_int_equal(lb_test_rig_stats(&r).max_read_len, 128); /* whole pages */
	assert_int_equal(v->flags[0], LB_FLAG_LOW_ALARM | LB_FLAG_LOW_WARN); /* OSNR */
	assert_int_equal(v->flags[1], 0);                                     /* eSNR */
	assert_int_equal(v->flags[2], LB_FLAG_HIGH_WARN);                     /* pre-FEC BER */
	/*
	 * Healthy again. The condition still held right after the read, so the module latched
	 * the flags again (CMIS): the next read shows them once more, the one after nothing.
	 */
	md.osnr = 30.0;
	md.pre_ber = 1e-3;
	sleep_ms(&r, 100);
	assert_int_equal(lb_vdm_read(r.m, 0, LB_VDM_FLAGS, v), LB_OK);
	assert_int_equal(v->flags[0], LB_FLAG_LOW_ALARM | LB_FLAG_LOW_WARN);
	assert_int_equal(lb_vdm_read(r.m, 0, LB_VDM_FLAGS, v), LB_OK);
	assert_int_equal(v->flags[0], 0);
	assert_int_equal(v->flags[2], 0);
	/* consumer c saw it once too */
	struct lb_telemetry *t = calloc(1, sizeof(*t));
	assert_non_null(t);
	t->size = sizeof(*t);
	assert_int_equal(lb_telemetry_read(r.m, c, t), LB_OK);
	for (unsigned i = 0; i < t->count; i++)
		if (strcmp(t->v[i].name, "optical-channel/osnr/instant") == 0)
			assert_int_equal(t->v[i].flags, LB_FLAG_LOW_ALARM | LB_FLAG_LOW_WARN);
	/* a V1-sized struct cannot take flags */
	v->size = LB_VDM_SIZE_V1;
	assert_int_equal(lb_vdm_read(r.m, 0, LB_VDM_FLAGS, v), LB_E_INVAL);
	free(t);
	free(v);
	lb_flag_consumer_free(c);
	lb_test_rig_down(&r);
}

/* A module saved frozen and restored: unfreezing it is served, not left waiting. */
static void test_freeze_across_saved_state(void **state)
{
	(void)state;
	struct lb_test_rig a, b;
	up(&a, NULL, false);
	assert_int_equal(lb_vdm_freeze(a.m), LB_OK);
	char *json = NULL;
	assert_int_equal(lb_emu_module_save_state(a.emu, &json), LB_OK);
	uint64_t now = lb_emu_world_now_ns(a.world);
	lb_test_rig_down(&a);
	up(&b, NULL, false);
	lb_emu_world_set_now_ns(b.world, now);
	assert_int_equal(lb_emu_module_load_state(b.emu, json), LB_OK);
	free(json);
	assert_int_equal(lb_vdm_freeze(b.m), LB_OK); /* already so: nothing to wait for */
	assert_int_equal(lb_vdm_unfreeze(b.m), LB_OK);
	assert_int_equal(lb_vdm_freeze(b.m), LB_OK);
	uint8_t v;
	assert_int_equal(lb_emu_module_peek(b.emu, 0, 0x2F, 145, &v, 1), LB_OK);
	assert_int_equal(v & 0x80, 0x80);
	lb_test_rig_down(&b);
}

/* The module stops answering once the request is written: the wait ends at its bound. */
static void stick_on_first_sleep(struct lb_test_rig *r, uint64_t ns)
{
	(void)ns;
	if (!r->poke_state++)
		assert_int_equal(lb_emu_module_inject(r->emu, LB_EMU_FAULT_STUCK_BUSY, 1), LB_OK);
}

static void test_freeze_done_never_comes(void **state)
{
	(void)state;
	struct lb_test_rig r;
	up(&r, NULL, false);
	struct lb_bus_stats s0 = lb_test_rig_stats(&r);
	assert_int_equal(lb_vdm_unfreeze(r.m), LB_OK); /* not frozen: live already */
	struct lb_bus_stats s1 = lb_test_rig_stats(&r);
	assert_int_equal(s1.writes - s1.select_writes, s0.writes - s0.select_writes);
	r.poke_state = 0;
	r.hook = stick_on_first_sleep;
	uint64_t t0 = lb_bus_now_ns(r.bus);
	assert_int_equal(lb_vdm_freeze(r.m), LB_E_TIMEOUT);
	uint64_t took = lb_bus_now_ns(r.bus) - t0;
	assert_true(took >= 1000 * MS && took < 1200 * MS); /* the 1 s bound, not a hang */
	assert_non_null(strstr(lb_module_last_error(r.m), "FreezeDone"));
	/* gone before anything: a clear error at once */
	r.hook = NULL;
	assert_int_equal(lb_emu_module_inject(r.emu, LB_EMU_FAULT_STUCK_BUSY, 0), LB_OK);
	lb_emu_module_remove(r.emu);
	int rc = lb_vdm_unfreeze(r.m);
	assert_true(rc == LB_E_NACK || rc == LB_E_NODEV || rc == LB_E_TIMEOUT);
	struct lb_telemetry *t = calloc(1, sizeof(*t));
	assert_non_null(t);
	t->size = sizeof(*t);
	rc = lb_telemetry_read(r.m, NULL, t);
	assert_true(rc == LB_E_NACK || rc == LB_E_NODEV);
	assert_int_equal(t->count, 0); /* nothing half-read */
	free(t);
	lb_test_rig_down(&r);
}

/* No statistic observable: freeze is refused and writes nothing. */
static void test_freeze_without_statistics(void **state)
{
	(void)state;
	struct lb_test_rig r;
	up(&r, NULL, false);
	/* descriptors without the pre-FEC BER min/max/avg (instances 3-5) */
	uint8_t none[6] = { 0 };
	assert_int_equal(lb_emu_module_poke(r.emu, 0, 0x20, 134, none, 6), LB_OK);
	struct lb_bus_stats s0 = lb_test_rig_stats(&r);
	assert_int_equal(lb_vdm_freeze(r.m), LB_E_NOTSUP);
	assert_non_null(strstr(lb_module_last_error(r.m), "statistic"));
	assert_int_equal(lb_vdm_unfreeze(r.m), LB_E_NOTSUP);
	assert_int_equal(lb_test_rig_stats(&r).writes - lb_test_rig_stats(&r).select_writes,
			 s0.writes - s0.select_writes);
	uint8_t b;
	assert_int_equal(lb_emu_module_peek(r.emu, 0, 0x2F, 144, &b, 1), LB_OK);
	assert_int_equal(b, 0);
	assert_int_equal(lb_vdm_freeze(NULL), LB_E_INVAL);
	lb_test_rig_down(&r);
	/* a module without VDM at all */
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "400g-fr4-qsfpdd", 400, false);
	assert_int_equal(lb_vdm_freeze(r.m), LB_E_NOTSUP);
	lb_test_rig_down(&r);
}

/* PMs over the interval; the U32 frame counter's wraps put back from the bits. */
static void test_pm_counters_wrap(void **state)
{
	(void)state;
	struct lb_test_rig r;
	struct model md = { .osnr = 28.0, .pre_ber = 2e-3, .post_ber = 1e-5 };
	up(&r, &md, true);
	struct lb_ccmis_pm pm = LB_CCMIS_PM_INIT;
	assert_int_equal(lb_vdm_freeze(r.m), LB_OK); /* a defined interval start */
	assert_int_equal(lb_vdm_unfreeze(r.m), LB_OK);
	sleep_ms(&r, 30000);
	assert_int_equal(lb_ccmis_pm_read(r.m, 0, &pm), LB_OK);
	assert_int_equal(pm.frames_wrapped, 0);
	assert_int_equal(pm.rx_frames, pm.rx_frames_raw);
	sleep_ms(&r, 30000);
	assert_int_equal(lb_ccmis_pm_read(r.m, 0, &pm), LB_OK);
	double frames = (double)pm.rx_bits / 10240.0;
	assert_true(frames > 4294967296.0);
	assert_int_equal(pm.frames_wrapped, 1);
	assert_true((double)pm.rx_frames_raw < frames - 4e9);
	assert_true(NEAR((double)pm.rx_frames, frames, 2.0));
	assert_true(NEAR(pm.pre_fec_ber[LB_PM_AVG], 2e-3, 1e-7));
	assert_true(NEAR(pm.pre_fec_ber[LB_PM_MIN], 2e-3, 1e-7));
	assert_true(NEAR(pm.pre_fec_ber[LB_PM_MAX], 2e-3, 1e-7));
	assert_true(NEAR(pm.frame_error_ratio[LB_PM_AVG], 1e-5, 1e-7));
	assert_true(NEAR(pm.osnr_db[LB_PM_AVG], 28.0, 1e-9));
	assert_true(NEAR(pm.osnr_db[LB_PM_MIN], 28.0, 1e-9));
	lb_test_rig_down(&r);
	/* nothing received: BER not available, not 0 */
	up(&r, NULL, false);
	assert_int_equal(lb_ccmis_pm_read(r.m, 0, &pm), LB_OK);
	assert_true(isnan(pm.pre_fec_ber[LB_PM_AVG]));
	assert_true(isnan(pm.frame_error_ratio[LB_PM_MAX]));
	assert_int_equal(lb_ccmis_pm_read(r.m, 1, &pm), LB_E_NOTSUP); /* one bank */
	pm.size = LB_CCMIS_PM_SIZE_V1 - 1;
	assert_int_equal(lb_ccmis_pm_read(r.m, 0, &pm), LB_E_INVAL);
	lb_test_rig_down(&r);
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "400g-fr4-qsfpdd", 400, false);
	pm.size = sizeof(pm);
	assert_int_equal(lb_ccmis_pm_read(r.m, 0, &pm), LB_E_NOTSUP);
	lb_test_rig_down(&r);
}

static const struct lb_telemetry_value *find(const struct lb_telemetry *t, const char *name)
{
	for (unsigned i = 0; i < t->count; i++)
		if (strcmp(t->v[i].name, name) == 0)
			return &t->v[i];
	fail_msg("no value %s", name);
	return NULL;
}

/* The snapshot: every value with unit, alarm state and time, flags once per consumer. */
static void test_telemetry_snapshot(void **state)
{
	(void)state;
	struct lb_test_rig r;
	struct model md = { .osnr = 30.0, .pre_ber = 1e-3 };
	up(&r, &md, true);
	struct lb_telemetry *t = calloc(1, sizeof(*t)), *t2 = calloc(1, sizeof(*t2));
	assert_non_null(t);
	assert_non_null(t2);
	t->size = t2->size = sizeof(*t);
	struct lb_flag_consumer *c1, *c2;
	assert_int_equal(lb_flag_consumer_create(r.m, &c1), LB_OK);
	assert_int_equal(lb_flag_consumer_create(r.m, &c2), LB_OK);
	assert_int_equal(lb_telemetry_read(r.m, c1, t), LB_OK);
	assert_int_equal(t->media_lanes, 1);
	assert_int_equal(t->t_ns, lb_bus_now_ns(r.bus));
	const struct lb_telemetry_value *v = find(t, "optical-channel/osnr/instant");
	assert_true(NEAR(v->value, 30.0, 1e-9));
	assert_string_equal(v->unit, "dB");
	assert_int_equal(v->lane, 1);
	assert_true(v->has_alarm);
	assert_int_equal(v->flags, 0);
	assert_int_equal(v->t_ns, t->t_ns);
	assert_true(NEAR(find(t, "otn/pre-fec-ber/instant")->value, 1e-3, 1e-12));
	assert_true(NEAR(find(t, "optical-channel/frequency")->value, 193100000.0, 1e-3));
	assert_string_equal(find(t, "optical-channel/frequency")->unit, "MHz");
	assert_true(NEAR(find(t, "transceiver/temperature/instant")->value, 48.5, 0.01));
	assert_true(NEAR(find(t, "optical-channel/osnr/avg")->value, 30.0, 1e-9));
	assert_false(find(t, "optical-channel/osnr/avg")->has_alarm);
	assert_true(NEAR(find(t, "lightbridge/pm-pre-fec-ber/avg")->value, 1e-3, 1e-6));
	/* an OSNR low warning latches: each consumer sees it once, whoever read it */
	md.osnr = 15.0;
	sleep_ms(&r, 100);
	md.osnr = 30.0;
	sleep_ms(&r, 100);
	assert_int_equal(lb_telemetry_read(r.m, c1, t), LB_OK);
	assert_int_equal(find(t, "optical-channel/osnr/instant")->flags, LB_FLAG_LOW_WARN);
	assert_int_equal(lb_telemetry_read(r.m, c1, t), LB_OK);
	assert_int_equal(find(t, "optical-channel/osnr/instant")->flags, 0);
	assert_int_equal(lb_telemetry_read(r.m, c2, t2), LB_OK);
	assert_int_equal(find(t2, "optical-channel/osnr/instant")->flags, LB_FLAG_LOW_WARN);
	/* loss of signal: the coherent flag, the lane flag */
	md.los = true;
	sleep_ms(&r, 100);
	assert_int_equal(lb_telemetry_read(r.m, c1, t), LB_OK);
	assert_true(find(t, "lightbridge/coherent-loss-of-signal")->value == 1);
	assert_true(find(t, "lightbridge/rx-loss-of-signal")->value == 1);
	/*
	 * What the snapshot reads but does not report stays with the consumer: ModuleStateChanged
	 * (lower 8, read with the monitors) after a trip to low power and back.
	 */
	struct lb_flag_consumer *c3;
	struct lb_module_flags mf = LB_MODULE_FLAGS_INIT;
	assert_int_equal(lb_flag_consumer_create(r.m, &c3), LB_OK);
	assert_int_equal(lb_module_set_low_power(r.m, true), LB_OK);
	assert_int_equal(lb_telemetry_read(r.m, c3, t), LB_OK);
	assert_int_equal(lb_module_flags_read(r.m, c3, &mf), LB_OK);
	assert_true(mf.module_flags & LB_MODFLAG_STATE_CHANGED);
	assert_int_equal(lb_telemetry_read(r.m, c3, t), LB_OK);
	assert_int_equal(lb_module_flags_read(r.m, c3, &mf), LB_OK);
	assert_int_equal(mf.module_flags & LB_MODFLAG_STATE_CHANGED, 0); /* once */
	lb_flag_consumer_free(c3);
	/* one plan: lower memory, then one select and one read per page */
	struct lb_bus_stats s0 = lb_test_rig_stats(&r);
	assert_int_equal(lb_telemetry_read(r.m, c1, t), LB_OK);
	struct lb_bus_stats s1 = lb_test_rig_stats(&r);
	print_message("snapshot: %llu transactions, %llu selects\n",
		      (unsigned long long)(s1.transactions - s0.transactions),
		      (unsigned long long)(s1.select_writes - s0.select_writes));
	/* the page the last snapshot ended on (35h) is read first, without a select */
	assert_int_equal(s1.select_writes - s0.select_writes, 6);
	assert_int_equal(s1.transactions - s0.transactions, 14);
	/* bad input */
	assert_int_equal(lb_telemetry_read(NULL, NULL, t), LB_E_INVAL);
	t->size = LB_TELEMETRY_SIZE_V1 - 1;
	assert_int_equal(lb_telemetry_read(r.m, NULL, t), LB_E_INVAL);
	lb_flag_consumer_free(c1);
	lb_flag_consumer_free(c2);
	free(t);
	free(t2);
	lb_test_rig_down(&r);
}

/* A module that is neither tunable, nor VDM nor coherent: its monitors alone. */
static void test_telemetry_plain_module(void **state)
{
	(void)state;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "400g-fr4-qsfpdd", 400, false);
	struct lb_telemetry *t = calloc(1, sizeof(*t));
	assert_non_null(t);
	t->size = sizeof(*t);
	assert_int_equal(lb_telemetry_read(r.m, NULL, t), LB_OK);
	assert_int_equal(t->media_lanes, 4);
	assert_int_equal(t->count, 2 + 4 * 4);
	for (unsigned i = 0; i < t->count; i++)
		assert_int_equal(t->v[i].source == LB_TELEMETRY_MONITOR || t->v[i].source == LB_TELEMETRY_FLAG, 1);
	free(t);
	lb_test_rig_down(&r);
}

/*
 * VDM pages missing: 2Fh:128 claims four groups where the module has two (no page 22h-23h,
 * their selects fall back to page 00h). A clear error, never values read from page 00h; the
 * snapshot leaves the VDM out and reports the rest.
 */
static void test_missing_vdm_pages(void **state)
{
	(void)state;
	struct lb_test_rig r;
	up(&r, NULL, false);
	uint8_t four = 0x03;
	assert_int_equal(lb_emu_module_poke(r.emu, 0, 0x2F, 128, &four, 1), LB_OK);
	struct lb_vdm *v = vdm_new();
	assert_int_equal(lb_vdm_read(r.m, 0, 0, v), LB_E_NOTSUP);
	assert_non_null(strstr(lb_module_last_error(r.m), "does not have that page"));
	assert_int_equal(v->count, 0);
	/* known missing until the module changes: no bus traffic to find it out again */
	struct lb_bus_stats s0 = lb_test_rig_stats(&r);
	assert_int_equal(lb_vdm_read(r.m, 0, 0, v), LB_E_NOTSUP);
	assert_int_equal(lb_test_rig_stats(&r).transactions, s0.transactions);
	assert_non_null(strstr(lb_module_last_error(r.m), "lacks its pages"));
	assert_int_equal(lb_vdm_freeze(r.m), LB_E_NOTSUP);
	struct lb_telemetry *t = calloc(1, sizeof(*t));
	assert_non_null(t);
	t->size = sizeof(*t);
	assert_int_equal(lb_telemetry_read(r.m, NULL, t), LB_OK);
	bool pm = false;
	for (unsigned i = 0; i < t->count; i++) {
		assert_int_not_equal(t->v[i].source, LB_TELEMETRY_VDM);
		pm |= t->v[i].source == LB_TELEMETRY_PM;
	}
	assert_true(pm);
	/* a module put right (another one in the cage): its VDM read again */
	uint8_t two = 0x01;
	assert_int_equal(lb_emu_module_poke(r.emu, 0, 0x2F, 128, &two, 1), LB_OK);
	lb_module_invalidate(r.m);
	assert_int_equal(lb_vdm_read(r.m, 0, 0, v), LB_OK);
	assert_int_equal(v->count, 17);
	free(t);
	free(v);
	lb_test_rig_down(&r);
}

/* F16 at its extremes, both ways: the module's encoding and the library's decoding. */
static void test_f16_extremes(void **state)
{
	(void)state;
	assert_true(lb_vdm_f16_value(0x0000) == 0.0);
	assert_true(NEAR(lb_vdm_f16_value(0x0001), 1e-24, 1e-36));   /* smallest non-zero */
	assert_true(NEAR(lb_vdm_f16_value(0xFFFF), 2047e7, 1.0));     /* largest */
	assert_true(lb_vdm_f16_value(0xF800) == 0.0);                 /* a zero mantissa, any exponent */
	assert_true(lb_vdm_f16_value(0x07FF) > 0 && lb_vdm_f16_value(0x07FF) < 1e-20);
	assert_true(lb_vdm_value(15, 0xFFFF) > 2e10); /* no NaN code in F16 */
	assert_true(lb_vdm_value(100, 0x1234) != lb_vdm_value(100, 0x1234)); /* custom: NaN */
	struct lb_test_rig r;
	struct model md = { .osnr = NAN, .pre_ber = 1e-30 };
	up(&r, &md, false);
	struct lb_vdm *v = vdm_new();
	assert_int_equal(lb_vdm_read(r.m, 0, 0, v), LB_OK);
	assert_int_equal(v->inst[2].raw, 0); /* below 1e-24: zero */
	assert_true(NEAR(v->inst[0].value, 33.9, 1e-9)); /* OSNR not modelled: as it was */
	md.pre_ber = 1e12;
	sleep_ms(&r, 100);
	assert_int_equal(lb_vdm_read(r.m, 0, 0, v), LB_OK);
	assert_int_equal(v->inst[2].raw, 0xFFFF); /* above the largest: the largest */
	md.pre_ber = 0.5;
	sleep_ms(&r, 100);
	assert_int_equal(lb_vdm_read(r.m, 0, 0, v), LB_OK);
	assert_true(NEAR(v->inst[2].value, 0.5, 1e-12));
	free(v);
	lb_test_rig_down(&r);
}

/* The real 800ZR image: every VDM group in the snapshot, its values as decoded by VDM. */
static void test_real_images_telemetry_800zr(void **state)
{
	(void)state;
	char path[4200];
	const char *dir = lb_test_modules_dir();
	struct lb_test_rig r;
	lb_test_rig_image(&r, lb_test_path(path, sizeof(path), dir,
					   "acacia-dp08sfp8-800zr-osfp-fboss.txt"), 400, false);
	struct lb_telemetry *t = calloc(1, sizeof(*t));
	struct lb_vdm *v = vdm_new();
	assert_non_null(t);
	t->size = sizeof(*t);
	assert_int_equal(lb_telemetry_read(r.m, NULL, t), LB_OK);
	assert_int_equal(lb_vdm_read(r.m, 0, 0, v), LB_OK);
	unsigned vdm = 0, known = 0;
	for (unsigned i = 0; i < v->count; i++)
		known += lb_vdm_type_find(v->inst[i].type) != NULL;
	for (unsigned i = 0; i < t->count; i++)
		vdm += t->v[i].source == LB_TELEMETRY_VDM;
	assert_int_equal(vdm, known); /* every instance of a known type, custom ones left out */
	assert_true(t->count > vdm && t->count < LB_TELEMETRY_MAX_VALUES);
	bool osnr = false;
	for (unsigned i = 0; i < t->count; i++)
		if (strcmp(t->v[i].name, "optical-channel/osnr/instant") == 0 && t->v[i].lane == 1)
			osnr = fabs(t->v[i].value - 33.9) < 1e-9;
	assert_true(osnr); /* FBOSS's fixture: OSNR 33.9 dB */
	free(v);
	free(t);
	lb_test_rig_down(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vdm_descriptors_cached),
		cmocka_unit_test(test_vdm_freeze_unfreeze),
		cmocka_unit_test(test_vdm_read_flags),
		cmocka_unit_test(test_freeze_across_saved_state),
		cmocka_unit_test(test_freeze_done_never_comes),
		cmocka_unit_test(test_freeze_without_statistics),
		cmocka_unit_test(test_pm_counters_wrap),
		cmocka_unit_test(test_telemetry_snapshot),
		cmocka_unit_test(test_telemetry_plain_module),
		cmocka_unit_test(test_missing_vdm_pages),
		cmocka_unit_test(test_f16_extremes),
		cmocka_unit_test(test_real_images_telemetry_800zr),
	};
	return LB_TEST_RUN(tests, NULL, NULL);
}
